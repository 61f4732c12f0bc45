//! Creating the ring: probing the setup flags the kernel has, and naming the
//! cause when io_uring is not available at all.

use io_uring::IoUring;
use std::io;

use crate::error::{RuntimeError, Unavailable};

/// Which optional setup flags the ring was created with.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RingFeatures {
    /// `IORING_SETUP_SINGLE_ISSUER` (6.0).
    pub single_issuer: bool,
    /// `IORING_SETUP_DEFER_TASKRUN` (6.1): completions are posted only when
    /// the loop asks for them.
    pub defer_taskrun: bool,
    /// `IORING_SETUP_COOP_TASKRUN` (5.19).
    pub coop_taskrun: bool,
}

/// Creates a ring of `entries` SQEs (and `cq_entries` CQEs when given), with
/// the best flags the kernel accepts.
pub(crate) fn build_ring(
    entries: u32,
    cq_entries: Option<u32>,
    want_defer: bool,
) -> Result<(IoUring, RingFeatures), RuntimeError> {
    let attempts: &[RingFeatures] = &[
        RingFeatures {
            single_issuer: true,
            defer_taskrun: true,
            coop_taskrun: false,
        },
        RingFeatures {
            single_issuer: true,
            defer_taskrun: false,
            coop_taskrun: true,
        },
        RingFeatures {
            single_issuer: false,
            defer_taskrun: false,
            coop_taskrun: true,
        },
        RingFeatures::default(),
    ];
    let mut last = None;
    for f in attempts.iter().filter(|f| want_defer || !f.defer_taskrun) {
        let mut b = IoUring::builder();
        if let Some(cq) = cq_entries {
            b.setup_cqsize(cq);
        }
        if f.single_issuer {
            b.setup_single_issuer();
        }
        if f.defer_taskrun {
            b.setup_defer_taskrun();
        }
        if f.coop_taskrun {
            b.setup_coop_taskrun();
            b.setup_taskrun_flag();
        }
        match b.build(entries) {
            Ok(ring) => {
                if !ring.params().is_feature_ext_arg() {
                    return Err(RuntimeError::Unavailable(Unavailable::MissingFeature {
                        feature: "IORING_FEAT_EXT_ARG (timeouts on io_uring_enter)",
                    }));
                }
                return Ok((ring, *f));
            }
            // An unknown flag: try the next, plainer set.
            Err(e) if e.raw_os_error() == Some(libc::EINVAL) => last = Some(e),
            Err(e) => return Err(classify(e)),
        }
    }
    Err(classify(last.unwrap_or_else(|| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            "io_uring_setup rejected every flag set",
        )
    })))
}

/// Turns the errno of a failed `io_uring_setup` into a cause with a remedy.
pub(crate) fn classify(e: io::Error) -> RuntimeError {
    match e.raw_os_error() {
        Some(libc::ENOSYS) => RuntimeError::Unavailable(Unavailable::KernelTooOld),
        Some(libc::ENOMEM) => RuntimeError::Unavailable(Unavailable::OutOfLockedMemory),
        Some(libc::EPERM) | Some(libc::EACCES) => RuntimeError::Unavailable(eperm_cause()),
        _ => RuntimeError::Io(e),
    }
}

fn eperm_cause() -> Unavailable {
    let sysctl = std::fs::read_to_string("/proc/sys/kernel/io_uring_disabled")
        .ok()
        .and_then(|s| s.trim().parse::<u8>().ok())
        .unwrap_or(0);
    if sysctl != 0 {
        return Unavailable::DisabledBySysctl { value: sysctl };
    }
    let seccomp = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("Seccomp:").map(|v| v.trim().to_owned()))
        })
        .unwrap_or_default();
    if seccomp == "2" {
        Unavailable::BlockedBySeccomp
    } else {
        Unavailable::PermissionDenied
    }
}

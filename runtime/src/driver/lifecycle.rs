//! The states of one in-flight operation's slab entry.
//!
//! ```text
//!            submit
//!              │
//!          Submitted ──poll──▶ Waiting(waker)
//!              │                    │
//!        CQE   │        CQE         │            future dropped before CQE
//!              ▼                    ▼              (entry keeps the data)
//!          Completed(cqe) ◀─────────┘         Submitted/Waiting ──▶ Ignored(data)
//!              │                                        │
//!       poll: entry removed,                 CQE: resource released
//!       result + data returned               (fd closed, ...), entry removed
//!
//!   multishot: Multi { queue of CQEs, waker, done }; a CQE carrying
//!   IORING_CQE_F_MORE keeps the entry, the last one (no F_MORE) ends it;
//!   an entry with a cap is cancelled when that many CQEs wait unread.
//!
//!   readiness backend (epoll): Ready ──poll: try, EAGAIN──▶ Waiting(waker)
//!   ──fd ready──▶ Ready ──poll: try, result──▶ entry removed, result
//!   returned; a blocking call goes Submitted/Waiting ─▶ Completed as a CQE.
//! ```

use std::collections::VecDeque;
use std::task::Waker;

use super::op::OpCode;

/// What one completion said.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Cqe {
    /// `res`: a count or fd when >= 0, `-errno` when < 0.
    pub(crate) result: i32,
    /// `flags` (`IORING_CQE_F_MORE`, buffer id, ...).
    pub(crate) flags: u32,
    /// Where in the provided buffer it names the bytes start (non-zero
    /// only with incremental consumption; set by `BufRing::observe`).
    pub(crate) buf_off: u32,
}

impl Cqe {
    /// A completion with `result` and no flags.
    pub(crate) const fn of(result: i32) -> Cqe {
        Cqe {
            result,
            flags: 0,
            buf_off: 0,
        }
    }

    pub(crate) fn into_result(self) -> std::io::Result<u32> {
        if self.result < 0 {
            Err(std::io::Error::from_raw_os_error(-self.result))
        } else {
            Ok(self.result as u32)
        }
    }
}

/// A multishot operation's pending completions.
#[derive(Default)]
pub(crate) struct Multi {
    pub(crate) queue: VecDeque<Cqe>,
    pub(crate) waker: Option<Waker>,
    /// The final CQE (without F_MORE) arrived.
    pub(crate) done: bool,
    /// Most CQEs kept waiting for the consumer (0: no bound). When the
    /// queue reaches it, the driver cancels the operation, so a consumer
    /// that stops taking completions stops the kernel from producing more
    /// (a multishot receive holds a provided buffer per CQE).
    pub(crate) cap: usize,
    /// The driver cancelled the operation because of `cap`; its final
    /// `-ECANCELED` is not queued (the consumer just sees the end).
    pub(crate) capped: bool,
}

pub(crate) enum Lifecycle {
    /// In the SQ or in the kernel; nobody polled yet.
    Submitted,
    /// In the kernel; the future waits with this waker.
    Waiting(Waker),
    /// The future was dropped; the entry owns what the kernel may still touch.
    Ignored(Box<dyn OpCode>),
    /// The CQE arrived; the future has not taken it yet.
    Completed(Cqe),
    /// A multishot operation.
    Multi(Multi),
    /// Readiness backend: the operation is new or its fd became ready; the
    /// future's next poll tries it.
    Ready,
}

impl Lifecycle {
    /// Whether the kernel may still post a CQE for this entry.
    pub(crate) fn in_kernel(&self) -> bool {
        match self {
            Lifecycle::Submitted | Lifecycle::Waiting(_) | Lifecycle::Ignored(_) => true,
            Lifecycle::Completed(_) | Lifecycle::Ready => false,
            Lifecycle::Multi(m) => !m.done,
        }
    }
}

/// Shutdown gave up waiting: the data of every ignored entry is leaked (the
/// kernel or a pool thread may still write it), never freed.
pub(crate) fn leak_ignored(ops: &mut slab::Slab<Lifecycle>) {
    for (_, entry) in ops.iter_mut() {
        if let Lifecycle::Ignored(_) = entry {
            if let Lifecycle::Ignored(data) = std::mem::replace(entry, Lifecycle::Submitted) {
                std::mem::forget(data);
            }
        }
    }
}

//! The default listen backlog: as long as the kernel allows.

use std::sync::OnceLock;

/// Used when `/proc/sys/net/core/somaxconn` cannot be read: the kernel's
/// own default since Linux 5.4 (`listen` caps any larger value anyway).
const FALLBACK: u32 = 4096;

/// The backlog that [`TcpListener::bind`](crate::net::TcpListener::bind),
/// [`UnixListener::bind`](crate::net::UnixListener::bind) and the streams
/// servers use unless told otherwise: the kernel's limit,
/// `/proc/sys/net/core/somaxconn` (4096 on Linux 5.4 and later), read once
/// per process; 4096 when it cannot be read.
///
/// A server that accepts more slowly than clients arrive (a burst of
/// connections, a busy loop, descriptors running out) keeps them queued in
/// the kernel rather than dropping their SYNs, which would make each of
/// those clients wait a second or more for its retransmission. asyncio's
/// default of 100 is too small at that scale; Go's `net` package also
/// listens with `somaxconn`.
pub fn default_backlog() -> u32 {
    static BACKLOG: OnceLock<u32> = OnceLock::new();
    *BACKLOG.get_or_init(|| {
        std::fs::read_to_string("/proc/sys/net/core/somaxconn")
            .ok()
            .and_then(|s| s.trim().parse::<u32>().ok())
            .filter(|&n| n > 0)
            .unwrap_or(FALLBACK)
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn default_backlog_is_somaxconn() {
        let kernel: u32 = std::fs::read_to_string("/proc/sys/net/core/somaxconn")
            .expect("somaxconn is readable on Linux")
            .trim()
            .parse()
            .expect("somaxconn is a number");
        assert_eq!(super::default_backlog(), kernel);
    }
}

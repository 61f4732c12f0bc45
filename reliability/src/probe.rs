//! What the scenarios measure about this process: open fds, resident
//! memory, CPU time, zombie children, and the fd limit.

use std::fs;
use std::io;
use std::time::Duration;

/// Open file descriptors of this process (entries of `/proc/self/fd`,
/// not counting the one used to list them).
pub fn fd_count() -> io::Result<usize> {
    Ok(fs::read_dir("/proc/self/fd")?.count().saturating_sub(1))
}

/// Resident set size of this process in KiB (`VmRSS` of
/// `/proc/self/status`).
pub fn rss_kib() -> io::Result<u64> {
    let status = fs::read_to_string("/proc/self/status")?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .ok_or_else(|| io::Error::other("no VmRSS line in /proc/self/status"))
}

/// User plus system CPU time this process has used.
pub fn cpu_time() -> io::Result<Duration> {
    // SAFETY: an all-zero rusage is a valid value of the plain C struct.
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `ru` is a valid, writable rusage.
    if unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut ru) } != 0 {
        return Err(io::Error::last_os_error());
    }
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    Ok(tv(ru.ru_utime) + tv(ru.ru_stime))
}

/// Children of this process, as `(live, zombies)`, read from `/proc`.
pub fn children() -> io::Result<(usize, usize)> {
    let me = std::process::id();
    let (mut live, mut zombies) = (0, 0);
    for entry in fs::read_dir("/proc")? {
        let entry = entry?;
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|s| s.parse::<u32>().ok())
        else {
            continue;
        };
        // A process may exit between the listing and the read.
        let Ok(stat) = fs::read_to_string(format!("/proc/{pid}/stat")) else {
            continue;
        };
        // Fields after the command name (which may hold spaces): state, ppid.
        let Some(rest) = stat.rsplit_once(')').map(|(_, r)| r) else {
            continue;
        };
        let mut fields = rest.split_whitespace();
        let (Some(state), Some(ppid)) = (fields.next(), fields.next()) else {
            continue;
        };
        if ppid.parse::<u32>().ok() == Some(me) {
            if state == "Z" {
                zombies += 1;
            } else {
                live += 1;
            }
        }
    }
    Ok((live, zombies))
}

/// The soft and hard `RLIMIT_NOFILE`.
pub fn nofile() -> io::Result<(u64, u64)> {
    let mut lim = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: `lim` is a valid, writable rlimit.
    if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) } != 0 {
        return Err(io::Error::last_os_error());
    }
    Ok((lim.rlim_cur, lim.rlim_max))
}

/// Sets the soft `RLIMIT_NOFILE` to `soft` (the hard limit is kept).
pub fn set_nofile(soft: u64) -> io::Result<()> {
    let (_, hard) = nofile()?;
    let lim = libc::rlimit {
        rlim_cur: soft.min(hard),
        rlim_max: hard,
    };
    // SAFETY: `lim` is a valid rlimit.
    if unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &lim) } != 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

/// Raises the soft `RLIMIT_NOFILE` to the hard limit; returns it.
pub fn raise_nofile() -> io::Result<u64> {
    let (_, hard) = nofile()?;
    set_nofile(hard)?;
    Ok(hard)
}

/// The lowest fd number not in use.
pub fn lowest_free_fd() -> io::Result<i32> {
    // SAFETY: F_DUPFD of stdin makes a new fd, closed at once below.
    let fd = unsafe { libc::fcntl(0, libc::F_DUPFD_CLOEXEC, 0) };
    if fd < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: `fd` was just made by us and is not used elsewhere.
    unsafe { libc::close(fd) };
    Ok(fd)
}

/// Megabytes per KiB count, for printing.
pub fn kib_to_mib(kib: i64) -> f64 {
    kib as f64 / 1024.0
}

/// False when `RINGIO_RELIABILITY_RSS=off`: under AddressSanitizer or
/// valgrind, resident memory holds the tool's shadow memory and freed-block
/// quarantine, so RSS figures are printed but not held to their limits.
pub fn rss_checked() -> bool {
    std::env::var_os("RINGIO_RELIABILITY_RSS").is_none_or(|v| v != "off")
}

/// False when `RINGIO_RELIABILITY_TIMING=off`: under valgrind every
/// instruction runs 20-50x slower, so wall-clock figures are printed but
/// not held to their limits (memcheck's own errors still fail the run).
pub fn timing_checked() -> bool {
    std::env::var_os("RINGIO_RELIABILITY_TIMING").is_none_or(|v| v != "off")
}

/// What a figure's limit says when RSS is not checked (else nothing).
pub fn unchecked() -> &'static str {
    if rss_checked() {
        ""
    } else {
        "; not checked under a memory tool"
    }
}

//! When io_uring cannot be used, `Runtime::new()` returns an error naming the
//! cause and the remedy: tested for real by re-running this binary in a
//! child process that installs a seccomp filter making `io_uring_setup` fail
//! with EPERM, ENOSYS or ENOMEM.
//!
//! A `harness = false` test: the same `main` is the parent (no env var) and
//! the child (`RINGIO_SECCOMP_ERRNO` set).

use std::process::Command;

const ENV: &str = "RINGIO_SECCOMP_ERRNO";

fn main() {
    match std::env::var(ENV) {
        Ok(errno) => child(&errno),
        Err(_) => parent(),
    }
}

fn parent() {
    let exe = std::env::current_exe().expect("path of this test binary");
    let cases = [
        ("EPERM", "seccomp filter", "seccomp profile"),
        ("ENOSYS", "kernel is too old", "Linux 5.11 or newer"),
        ("ENOMEM", "locked memory", "ulimit -l"),
    ];
    let mut failed = 0;
    for (errno, cause, remedy) in cases {
        let out = Command::new(&exe)
            .env(ENV, errno)
            .output()
            .expect("re-run this test binary");
        let text = String::from_utf8_lossy(&out.stdout);
        let ok = out.status.success() && text.contains(cause) && text.contains(remedy);
        println!(
            "test io_uring_setup_{errno}_names_cause_and_remedy ... {}",
            if ok { "ok" } else { "FAILED" }
        );
        if !ok {
            failed += 1;
            println!(
                "  status {:?}\n  stdout: {text}\n  stderr: {}",
                out.status,
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
    println!("{} passed, {failed} failed", cases.len() - failed);
    if failed > 0 {
        std::process::exit(1);
    }
}

fn child(errno: &str) {
    let code = match errno {
        "EPERM" => libc::EPERM,
        "ENOSYS" => libc::ENOSYS,
        "ENOMEM" => libc::ENOMEM,
        other => {
            println!("unknown errno {other}");
            std::process::exit(2);
        }
    };
    install_filter(code as u32);
    match ringio_runtime::Runtime::new() {
        Ok(_) => {
            println!("Runtime::new() succeeded under the filter");
            std::process::exit(3);
        }
        Err(e) => {
            println!("{e}");
            std::process::exit(0);
        }
    }
}

/// Makes `io_uring_setup` fail with `errno` for this process.
fn install_filter(errno: u32) {
    // BPF_LD | BPF_W | BPF_ABS
    const BPF_LD_W_ABS: u16 = 0x20;
    // BPF_JMP | BPF_JEQ | BPF_K
    const BPF_JMP_JEQ_K: u16 = 0x15;
    const BPF_RET_K: u16 = 0x06;
    const SECCOMP_RET_ALLOW: u32 = 0x7fff_0000;
    const SECCOMP_RET_ERRNO: u32 = 0x0005_0000;
    #[cfg(target_arch = "x86_64")]
    const AUDIT_ARCH: u32 = 0xC000_003E;
    #[cfg(target_arch = "aarch64")]
    const AUDIT_ARCH: u32 = 0xC000_00B7;
    let nr = libc::SYS_io_uring_setup as u32;
    let filter = [
        // Load the architecture; allow anything from another ABI.
        libc::sock_filter {
            code: BPF_LD_W_ABS,
            jt: 0,
            jf: 0,
            k: 4,
        },
        libc::sock_filter {
            code: BPF_JMP_JEQ_K,
            jt: 0,
            jf: 3,
            k: AUDIT_ARCH,
        },
        // Load the syscall number.
        libc::sock_filter {
            code: BPF_LD_W_ABS,
            jt: 0,
            jf: 0,
            k: 0,
        },
        libc::sock_filter {
            code: BPF_JMP_JEQ_K,
            jt: 0,
            jf: 1,
            k: nr,
        },
        libc::sock_filter {
            code: BPF_RET_K,
            jt: 0,
            jf: 0,
            k: SECCOMP_RET_ERRNO | errno,
        },
        libc::sock_filter {
            code: BPF_RET_K,
            jt: 0,
            jf: 0,
            k: SECCOMP_RET_ALLOW,
        },
    ];
    let prog = libc::sock_fprog {
        len: filter.len() as u16,
        filter: filter.as_ptr() as *mut libc::sock_filter,
    };
    // SAFETY: prctl with integer arguments has no memory preconditions.
    let r = unsafe { libc::prctl(libc::PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) };
    assert_eq!(
        r,
        0,
        "PR_SET_NO_NEW_PRIVS: {}",
        std::io::Error::last_os_error()
    );
    // SAFETY: `prog` points to a filter array that outlives the call; the
    // kernel copies it.
    let r = unsafe {
        libc::prctl(
            libc::PR_SET_SECCOMP,
            libc::SECCOMP_MODE_FILTER,
            &prog as *const libc::sock_fprog,
        )
    };
    assert_eq!(r, 0, "PR_SET_SECCOMP: {}", std::io::Error::last_os_error());
}

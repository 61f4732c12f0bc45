//! When io_uring cannot be used, forcing it (`Backend::IoUring`) returns an
//! error naming the cause and the remedy, and the default (`Backend::Auto`)
//! runs on epoll instead, saying why in one `tracing` info event: tested for
//! real by re-running this binary in a child process that installs a
//! seccomp filter making `io_uring_setup` fail with EPERM, ENOSYS or ENOMEM.
//! The child also runs real I/O on the fallback: TCP, a pipe, a file, a
//! timer and a child process, through `ringio_runtime::run`.
//!
//! A `harness = false` test: the same `main` is the parent (no env var) and
//! the child (`RINGIO_SECCOMP_ERRNO` set).

use std::process::Command;
use std::sync::{Arc, Mutex};

use ringio_runtime::{Backend, Runtime};

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
            // The default backend, whatever the environment of this run.
            .env_remove(ringio_runtime::BACKEND_ENV)
            .output()
            .expect("re-run this test binary");
        let text = String::from_utf8_lossy(&out.stdout);
        let ok = out.status.success()
            && text.contains(cause)
            && text.contains(remedy)
            && text.contains("fallback: one info event naming the cause")
            && text.contains("fallback: I/O works on epoll");
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
    let forced = Runtime::builder().backend(Backend::IoUring).build();
    match forced {
        Ok(_) => {
            println!("Backend::IoUring succeeded under the filter");
            std::process::exit(3);
        }
        Err(e) => println!("{e}"),
    }
    let events = Arc::new(Mutex::new(Vec::new()));
    let subscriber = Recorder(events.clone());
    tracing::subscriber::with_default(subscriber, || {
        let rt = Runtime::new().expect("Backend::Auto falls back to epoll");
        assert_eq!(rt.backend(), Backend::Epoll);
    });
    let events = events.lock().unwrap();
    let fallbacks: Vec<&String> = events.iter().filter(|e| e.contains("epoll")).collect();
    if fallbacks.len() == 1
        && fallbacks[0].contains("INFO")
        && fallbacks[0].contains("io_uring_setup failed")
    {
        println!(
            "fallback: one info event naming the cause: {}",
            fallbacks[0]
        );
    } else {
        println!("fallback events: {events:?}");
        std::process::exit(4);
    }
    let echoed = ringio_runtime::run(io_on_the_fallback()).expect("ringio_runtime::run on epoll");
    assert_eq!(echoed, "over tcp, a pipe, a file and cat");
    println!("fallback: I/O works on epoll");
}

/// TCP, a pipe, a file, a timer and a child process on the running loop.
async fn io_on_the_fallback() -> String {
    use ringio_runtime::net::{TcpListener, TcpStream};
    use ringio_runtime::process::{Command, Stdio};
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = ringio_runtime::spawn(async move {
        let (s, _) = listener.accept().await.unwrap();
        let (res, buf) = s.read(Vec::with_capacity(64)).await;
        let n = res.unwrap();
        let (res, _) = s.write_all(buf[..n].to_vec()).await;
        res.unwrap();
    });
    let c = TcpStream::connect(&addr).await.unwrap();
    let (res, _) = c.write_all(&b"over tcp"[..]).await;
    res.unwrap();
    let (res, buf) = c.read(Vec::with_capacity(64)).await;
    let mut out = String::from_utf8(buf[..res.unwrap()].to_vec()).unwrap();
    server.await.unwrap();

    let (r, w) = ringio_runtime::pipe::pipe().unwrap();
    let (res, _) = w.write_all(&b", a pipe"[..]).await;
    res.unwrap();
    let (res, buf) = r.read(Vec::with_capacity(64)).await;
    out.push_str(std::str::from_utf8(&buf[..res.unwrap()]).unwrap());

    let path = std::env::temp_dir().join(format!("ringio-fallback-{}", std::process::id()));
    let f = ringio_runtime::fs::File::create(&path).await.unwrap();
    let (res, _) = f.write_all_at(&b", a file"[..], 0).await;
    res.unwrap();
    f.sync_data().await.unwrap();
    let back = ringio_runtime::fs::read(&path).await.unwrap();
    out.push_str(std::str::from_utf8(&back).unwrap());
    ringio_runtime::fs::remove_file(&path).await.unwrap();

    ringio_runtime::time::sleep(std::time::Duration::from_millis(5)).await;

    let mut child = Command::new("sh")
        .arg("-c")
        .arg("printf ' and cat'")
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (res, buf) = stdout.read(Vec::with_capacity(64)).await;
    out.push_str(std::str::from_utf8(&buf[..res.unwrap()]).unwrap());
    assert!(child.wait().await.unwrap().success());
    out
}

/// A `tracing` subscriber that records each event as "LEVEL message fields".
struct Recorder(Arc<Mutex<Vec<String>>>);

impl tracing::Subscriber for Recorder {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, _: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        tracing::span::Id::from_u64(1)
    }
    fn record(&self, _: &tracing::span::Id, _: &tracing::span::Record<'_>) {}
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        let mut line = format!("{}", event.metadata().level());
        event.record(
            &mut |field: &tracing::field::Field, value: &dyn std::fmt::Debug| {
                line.push_str(&format!(" {}={:?}", field.name(), value));
            },
        );
        self.0.lock().unwrap().push(line);
    }
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
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

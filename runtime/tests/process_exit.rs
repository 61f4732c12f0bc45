//! Exit codes, `output()`, env and cwd, kill, try_wait, a missing program,
//! and no zombie after a running child is dropped.

use std::io::ErrorKind;
use std::time::Duration;

use ringio_runtime::process::Command;
use ringio_runtime::run;
use ringio_runtime::time::sleep;

#[test]
fn output_collects_both_streams_and_the_code() {
    run(async {
        let out = Command::new("sh")
            .arg("-c")
            .arg("echo out-$GREETING; pwd; echo err >&2; exit 7")
            .env("GREETING", "hi")
            .current_dir("/")
            .output()
            .await
            .unwrap();
        assert_eq!(out.stdout, b"out-hi\n/\n");
        assert_eq!(out.stderr, b"err\n");
        assert_eq!(out.status.code(), Some(7));
        let status = Command::new("true").status().await.unwrap();
        assert!(status.success());
    })
    .unwrap();
}

#[test]
fn kill_then_wait_reports_the_signal() {
    use std::os::unix::process::ExitStatusExt;
    run(async {
        let mut child = Command::new("sleep").arg("30").spawn().unwrap();
        assert!(child.try_wait().unwrap().is_none());
        child.kill().unwrap();
        let status = child.wait().await.unwrap();
        assert_eq!(status.signal(), Some(libc::SIGKILL));
        // Waiting again returns the same status.
        assert_eq!(child.wait().await.unwrap(), status);
    })
    .unwrap();
}

#[test]
fn missing_program_is_not_found() {
    run(async {
        let err = Command::new("/nonexistent/ringio-test-program")
            .spawn()
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::NotFound);
    })
    .unwrap();
}

fn is_zombie_or_alive(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok()
}

#[test]
fn dropped_running_child_is_reaped() {
    run(async {
        let child = Command::new("sleep").arg("0.05").spawn().unwrap();
        let pid = child.id().unwrap();
        drop(child);
        let mut gone = false;
        for _ in 0..200 {
            sleep(Duration::from_millis(10)).await;
            if !is_zombie_or_alive(pid) {
                gone = true;
                break;
            }
        }
        assert!(gone, "the dropped child {pid} was not reaped");
    })
    .unwrap();
}

#[test]
fn child_outliving_its_loop_is_still_reaped() {
    let pid = run(async {
        let child = Command::new("sleep").arg("0.1").spawn().unwrap();
        child.id().unwrap()
        // The loop ends with the child running; its reaper task is dropped.
    })
    .unwrap();
    let start = std::time::Instant::now();
    while is_zombie_or_alive(pid) && start.elapsed() < Duration::from_secs(5) {
        std::thread::sleep(Duration::from_millis(10));
    }
    assert!(!is_zombie_or_alive(pid), "child {pid} left as a zombie");
}

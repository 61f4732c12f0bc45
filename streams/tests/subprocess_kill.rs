//! `kill`, `terminate` and `send_signal` end a child, and `returncode`
//! reports it as asyncio does: `None` while it runs, minus the signal after.

mod common;

use std::time::{Duration, Instant};

use ringio_runtime::time::sleep;
use ringio_streams::subprocess::{create_subprocess_exec, ProcessOptions, Redirect};

#[test]
fn kill_ends_a_sleeping_child() {
    common::run(async {
        let started = Instant::now();
        let opts = ProcessOptions::new().stdout(Redirect::Piped);
        let mut proc = create_subprocess_exec("sleep", ["60"], opts).unwrap();
        assert!(proc.pid() > 0);
        sleep(Duration::from_millis(20)).await;
        assert_eq!(proc.returncode(), None, "sleep 60 still runs");
        proc.kill().unwrap();
        let status = proc.wait().await.unwrap();
        assert!(!status.success());
        assert_eq!(proc.returncode(), Some(-9));
        // The child's stdout closed with it.
        let stdout = proc.stdout.as_mut().unwrap();
        assert_eq!(stdout.read(10).await.unwrap(), "");
        assert!(stdout.at_eof());
        assert!(started.elapsed() < Duration::from_secs(30));
        // Signals after the reaping do nothing.
        proc.kill().unwrap();
        proc.terminate().unwrap();
        assert_eq!(proc.returncode(), Some(-9));
    });
}

#[test]
fn terminate_and_send_signal() {
    common::run(async {
        let mut proc = create_subprocess_exec("sleep", ["60"], ProcessOptions::new()).unwrap();
        proc.terminate().unwrap();
        proc.wait().await.unwrap();
        assert_eq!(proc.returncode(), Some(-15));

        let mut proc = create_subprocess_exec("sleep", ["60"], ProcessOptions::new()).unwrap();
        proc.send_signal(libc::SIGUSR1).unwrap();
        proc.wait().await.unwrap();
        assert_eq!(proc.returncode(), Some(-libc::SIGUSR1));
    });
}

#[test]
fn exit_codes_come_back() {
    common::run(async {
        for code in [0, 1, 42, 255] {
            let mut proc = create_subprocess_exec(
                "sh",
                ["-c", &format!("exit {code}")],
                ProcessOptions::new(),
            )
            .unwrap();
            let status = proc.wait().await.unwrap();
            assert_eq!(status.code(), Some(code));
            assert_eq!(proc.returncode(), Some(code));
            // wait() again: the same status at once.
            assert_eq!(proc.wait().await.unwrap().code(), Some(code));
        }
    });
}

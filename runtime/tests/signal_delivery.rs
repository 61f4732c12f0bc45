//! Signals delivered to the process itself arrive on the ring: SIGUSR1 to
//! two streams at once, a thread-directed SIGUSR2, and ctrl_c (SIGINT).
//! A `harness = false` test: the signals are process-wide, and this main
//! thread, which blocks them, must be the only thread when they are sent.

use std::time::Duration;

use ringio_runtime::signal::{ctrl_c, signal, SignalKind};
use ringio_runtime::time::{sleep, timeout};
use ringio_runtime::{spawn, Runtime};

const LIMIT: Duration = Duration::from_secs(5);

fn main() {
    let rt = Runtime::new().expect("a runtime");
    rt.block_on(async {
        // Two streams of one kind both see a delivery to the process.
        let mut a = signal(SignalKind::user_defined1()).unwrap();
        let mut b = signal(SignalKind::user_defined1()).unwrap();
        let waiter = spawn(async move {
            b.recv().await.unwrap();
            b
        });
        sleep(Duration::from_millis(10)).await;
        // SAFETY: plain system calls; SIGUSR1 is blocked in this thread
        // and there is no other thread.
        assert_eq!(unsafe { libc::kill(libc::getpid(), libc::SIGUSR1) }, 0);
        timeout(LIMIT, a.recv())
            .await
            .expect("a got SIGUSR1")
            .unwrap();
        let mut b = timeout(LIMIT, waiter)
            .await
            .expect("b got SIGUSR1")
            .unwrap();
        println!("test process_directed_signal_reaches_every_stream ... ok");

        // A stream keeps working: a second delivery.
        // SAFETY: as above.
        assert_eq!(unsafe { libc::kill(libc::getpid(), libc::SIGUSR1) }, 0);
        timeout(LIMIT, a.recv())
            .await
            .expect("a got it again")
            .unwrap();
        timeout(LIMIT, b.recv())
            .await
            .expect("b got it again")
            .unwrap();
        println!("test stream_reports_each_delivery ... ok");

        // A thread-directed signal to the loop's thread.
        let mut usr2 = signal(SignalKind::user_defined2()).unwrap();
        assert_eq!(
            // SAFETY: plain system call on this thread.
            unsafe { libc::pthread_kill(libc::pthread_self(), libc::SIGUSR2) },
            0
        );
        timeout(LIMIT, usr2.recv())
            .await
            .expect("SIGUSR2 arrived")
            .unwrap();
        println!("test thread_directed_signal_arrives ... ok");

        // ctrl_c: SIGINT (blocked by ctrl_c's stream, so it cannot kill us).
        let c = spawn(ctrl_c());
        sleep(Duration::from_millis(10)).await;
        // SAFETY: as above.
        assert_eq!(unsafe { libc::kill(libc::getpid(), libc::SIGINT) }, 0);
        timeout(LIMIT, c)
            .await
            .expect("ctrl_c returned")
            .unwrap()
            .unwrap();
        println!("test ctrl_c_sees_sigint ... ok");

        let err = signal(SignalKind::from_raw(libc::SIGKILL)).unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::InvalidInput);
        println!("test sigkill_cannot_be_caught ... ok");
    })
    .expect("the loop runs");
}

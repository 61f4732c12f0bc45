//! Thread-per-core: `run_per_thread` runs one loop per thread, each with
//! its own copy of the future; outputs come back in index order; a loop that
//! cannot be built stops all before any runs; a panic comes back to the
//! caller after every loop has finished.

use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier};
use std::time::Duration;

use ringio_runtime::net::{TcpListener, TcpStream};
use ringio_runtime::time::{sleep, timeout};
use ringio_runtime::{run_per_thread, spawn, spawn_blocking, Runtime};

#[test]
fn each_thread_runs_its_own_loop_concurrently() {
    // All four must be inside their loops at once to pass the barrier; the
    // wait happens on each loop's blocking pool so the loop stays live.
    let barrier = Arc::new(Barrier::new(4));
    let outputs = run_per_thread(4, |i| {
        let barrier = barrier.clone();
        async move {
            // Tasks on this loop need not be Send.
            let local = std::rc::Rc::new(i);
            let task = spawn({
                let local = local.clone();
                async move { *local * 10 }
            });
            timeout(
                Duration::from_secs(10),
                spawn_blocking(move || {
                    barrier.wait();
                }),
            )
            .await
            .expect("the four loops did not all run at once")
            .unwrap();
            (i, task.await.unwrap(), std::thread::current().id())
        }
    })
    .unwrap();
    let indexes: Vec<usize> = outputs.iter().map(|o| o.0).collect();
    assert_eq!(indexes, [0, 1, 2, 3]);
    let values: Vec<usize> = outputs.iter().map(|o| o.1).collect();
    assert_eq!(values, [0, 10, 20, 30]);
    let threads: HashSet<_> = outputs.iter().map(|o| o.2).collect();
    assert_eq!(threads.len(), 4, "every loop runs on a thread of its own");
    assert_eq!(outputs[0].2, std::thread::current().id());
}

#[test]
fn loops_share_a_port_with_reuse_port() {
    let ran = AtomicUsize::new(0);
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let accepted = run_per_thread(2, |_| async {
        ran.fetch_add(1, Ordering::SeqCst);
        let listener = ringio_runtime::net::TcpListenerOptions::new()
            .reuse_port(true)
            .bind(&("127.0.0.1", port))
            .await
            .expect("both loops bind the same port");
        // Each loop connects to the shared port a few times and accepts
        // whatever the kernel gives it, until the deadline.
        for _ in 0..4 {
            let _ = TcpStream::connect(&("127.0.0.1", port)).await.unwrap();
        }
        let mut n = 0;
        while timeout(Duration::from_millis(300), listener.accept())
            .await
            .is_ok()
        {
            n += 1;
        }
        n
    })
    .unwrap();
    assert_eq!(ran.load(Ordering::SeqCst), 2);
    assert_eq!(
        accepted.iter().sum::<usize>(),
        8,
        "every connection accepted once"
    );
}

#[test]
fn a_loop_that_cannot_be_built_stops_all() {
    let ran = AtomicUsize::new(0);
    let err = Runtime::builder()
        .entries(0)
        .run_per_thread(3, |_| async {
            ran.fetch_add(1, Ordering::SeqCst);
        })
        .unwrap_err();
    assert!(err.to_string().contains("entries"), "{err}");
    assert_eq!(ran.load(Ordering::SeqCst), 0, "no future may start");
    let err = run_per_thread(0, |_| async {}).unwrap_err();
    assert!(err.to_string().contains("at least one thread"), "{err}");
}

#[test]
fn a_panic_is_raised_after_every_loop_finished() {
    let finished = AtomicUsize::new(0);
    let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        run_per_thread(3, |i| {
            let finished = &finished;
            async move {
                if i == 2 {
                    panic!("loop two failed");
                }
                sleep(Duration::from_millis(50)).await;
                finished.fetch_add(1, Ordering::SeqCst);
            }
        })
    }));
    let payload = caught.expect_err("the panic must reach the caller");
    let msg = payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .unwrap_or_default();
    assert_eq!(msg, "loop two failed");
    assert_eq!(
        finished.load(Ordering::SeqCst),
        2,
        "the other loops ran to the end"
    );
}

#[test]
fn listener_on_each_loop_is_independent() {
    // Each loop has its own ring: a listener bound in one is served there.
    let addrs = run_per_thread(2, |_| async {
        let l = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = l.local_addr().unwrap();
        let c = TcpStream::connect(&addr).await.unwrap();
        let (s, _) = l.accept().await.unwrap();
        let (res, _) = c.write_all(&b"x"[..]).await;
        res.unwrap();
        let (res, buf) = s.read(vec![0u8; 1]).await;
        assert_eq!(res.unwrap(), 1);
        assert_eq!(buf, b"x");
        addr
    })
    .unwrap();
    assert_ne!(addrs[0], addrs[1]);
}

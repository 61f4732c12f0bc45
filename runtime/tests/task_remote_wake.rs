//! A waker used from another thread goes through the remote queue and
//! wakes the loop parked in the ring.

use std::future::poll_fn;
use std::sync::{Arc, Mutex};
use std::task::{Poll, Waker};
use std::time::{Duration, Instant};

use ringio_runtime::{run, spawn};

#[derive(Default)]
struct Flag {
    set: bool,
    waker: Option<Waker>,
}

async fn wait_flag(flag: Arc<Mutex<Flag>>) {
    poll_fn(|cx| {
        let mut f = flag.lock().unwrap();
        if f.set {
            Poll::Ready(())
        } else {
            f.waker = Some(cx.waker().clone());
            Poll::Pending
        }
    })
    .await
}

fn set_from_thread(flag: Arc<Mutex<Flag>>, after: Duration) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        std::thread::sleep(after);
        let w = {
            let mut f = flag.lock().unwrap();
            f.set = true;
            f.waker.take()
        };
        if let Some(w) = w {
            w.wake();
        }
    })
}

#[test]
fn task_woken_from_another_thread() {
    let took = run(async {
        let flag = Arc::new(Mutex::new(Flag::default()));
        let start = Instant::now();
        let t = set_from_thread(flag.clone(), Duration::from_millis(30));
        spawn(wait_flag(flag)).await.unwrap();
        t.join().unwrap();
        start.elapsed()
    })
    .unwrap();
    assert!(took >= Duration::from_millis(30));
    assert!(
        took < Duration::from_secs(2),
        "{took:?}: the parked loop was not woken"
    );
}

#[test]
fn main_future_woken_from_another_thread() {
    run(async {
        let flag = Arc::new(Mutex::new(Flag::default()));
        let t = set_from_thread(flag.clone(), Duration::from_millis(10));
        wait_flag(flag).await;
        t.join().unwrap();
    })
    .unwrap();
}

#[test]
fn many_threads_wake_many_tasks() {
    run(async {
        let flags: Vec<_> = (0..64)
            .map(|_| Arc::new(Mutex::new(Flag::default())))
            .collect();
        let handles: Vec<_> = flags.iter().map(|f| spawn(wait_flag(f.clone()))).collect();
        let threads: Vec<_> = flags
            .iter()
            .enumerate()
            .map(|(i, f)| set_from_thread(f.clone(), Duration::from_millis(i as u64 % 7)))
            .collect();
        for h in handles {
            ringio_runtime::time::timeout(Duration::from_secs(5), h)
                .await
                .expect("lost wake-up")
                .unwrap();
        }
        for t in threads {
            t.join().unwrap();
        }
    })
    .unwrap();
}

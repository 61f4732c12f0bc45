//! User code that panics inside the runtime's machinery (a `JoinHandle`'s
//! waker woken at shutdown, a panic payload whose own destructor panics)
//! never unwinds through the executor: every task is still cancelled on its
//! own thread, and `current_task()` never sees a task that is gone.

use std::cell::Cell;
use std::future::{poll_fn, Future};
use std::pin::Pin;
use std::rc::Rc;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Wake, Waker};
use std::thread::{self, ThreadId};
use std::time::Duration;

use ringio_runtime::task::current_task;
use ringio_runtime::time::sleep;
use ringio_runtime::{spawn, yield_now, Runtime};

/// A waker that panics when woken.
struct PanickingWaker;
impl Wake for PanickingWaker {
    fn wake(self: Arc<Self>) {
        panic!("waker panicked during shutdown");
    }
}

/// A `!Send` value that records the thread it is dropped on.
struct Canary {
    _not_send: Rc<()>,
    dropped_on: Arc<Mutex<Option<ThreadId>>>,
}
impl Drop for Canary {
    fn drop(&mut self) {
        *self.dropped_on.lock().unwrap() = Some(thread::current().id());
    }
}

#[test]
fn a_panicking_join_waker_at_shutdown_does_not_free_a_future_on_another_thread() {
    let dropped_on = Arc::new(Mutex::new(None));
    let rt = Runtime::new().unwrap();
    // A task whose JoinHandle is awaited with a waker that panics when the
    // task completes, which happens when shutdown cancels it.
    let mut watched = rt.spawn(sleep(Duration::from_secs(600)));
    // Tasks holding !Send canaries, spawned after it, each with an
    // AbortHandle on another thread.
    let mut aborts = Vec::new();
    for _ in 0..8 {
        let canary = Canary {
            _not_send: Rc::new(()),
            dropped_on: dropped_on.clone(),
        };
        let h = rt.spawn(async move {
            let _c = canary;
            // Holds no waker: only the registry and the AbortHandle keep
            // the task alive.
            std::future::pending::<()>().await;
        });
        aborts.push(h.abort_handle());
    }
    rt.block_on(async {
        yield_now().await;
        poll_fn(|_| {
            let w = Waker::from(Arc::new(PanickingWaker));
            let mut cx = Context::from_waker(&w);
            assert!(Pin::new(&mut watched).poll(&mut cx).is_pending());
            Poll::Ready(())
        })
        .await;
    })
    .unwrap();
    // The AbortHandles are dropped on another thread after the runtime is.
    let (go, wait) = std::sync::mpsc::channel::<()>();
    let holder = thread::spawn(move || {
        let _ = wait.recv();
        drop(aborts);
    });
    // The waker's panic is contained: dropping the runtime returns.
    let dropped = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| drop(rt)));
    go.send(()).unwrap();
    holder.join().unwrap();
    assert_eq!(
        *dropped_on.lock().unwrap(),
        Some(thread::current().id()),
        "every !Send future is dropped on its loop's thread"
    );
    assert!(
        dropped.is_ok(),
        "a waker's panic escaped the runtime's drop"
    );
    assert!(watched.is_finished());
}

/// Panics with a payload whose own destructor panics.
struct PanicsWithBadPayload;
impl Drop for PanicsWithBadPayload {
    fn drop(&mut self) {
        std::panic::panic_any(BadPayload);
    }
}
struct BadPayload;
impl Drop for BadPayload {
    fn drop(&mut self) {
        panic!("the payload's destructor panicked");
    }
}

#[test]
fn a_payload_whose_destructor_panics_stays_inside_the_task() {
    let rt = Runtime::new().unwrap();
    let finished = Rc::new(Cell::new(false));
    let flag = finished.clone();
    let out = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        rt.block_on(async move {
            // The future finishes, then panics in its destructor with the
            // bad payload; nobody holds its handle.
            drop(spawn(async {
                let _bad = PanicsWithBadPayload;
            }));
            // Aborted while waiting: the destructor's panic is the result,
            // and the handle is dropped unread.
            let h = spawn(async {
                let _bad = PanicsWithBadPayload;
                sleep(Duration::from_secs(600)).await;
            });
            yield_now().await;
            h.abort();
            drop(h);
            yield_now().await;
            yield_now().await;
            flag.set(true);
        })
    }));
    assert!(out.is_ok(), "a payload's panic unwound out of block_on");
    assert!(finished.get());
    // The next block_on sees its own main task, not the task that unwound
    // (it would read a freed task if the pointer had been left set).
    let seen = rt
        .block_on(async {
            let outside = current_task();
            let inside = spawn(async { current_task().map(|t| t.name) })
                .await
                .unwrap();
            (outside, inside)
        })
        .unwrap();
    assert_eq!(seen.0.map(|t| t.name).as_deref(), Some("main"));
    assert!(seen.1.unwrap().starts_with("Task-"));
}

//! Model-checks oneshot done callbacks across threads: a callback added
//! while another thread sets the result runs exactly once, whichever
//! thread ends up running it, and never before the outcome is decided.
#![cfg(loom)]

use loom::sync::atomic::{AtomicUsize, Ordering};
use loom::sync::Arc;
use loom::thread;
use ringio_sync::oneshot::{self, Outcome};

#[test]
fn a_callback_added_during_set_runs_exactly_once() {
    loom::model(|| {
        let (tx, rx) = oneshot::channel::<u8>();
        let runs = Arc::new(AtomicUsize::new(0));
        let setter = thread::spawn(move || {
            tx.set(1).unwrap();
        });
        {
            let runs = runs.clone();
            rx.add_done_callback(move |outcome| {
                assert_eq!(outcome, Outcome::Value);
                runs.fetch_add(1, Ordering::SeqCst);
            });
        }
        setter.join().unwrap();
        assert_eq!(runs.load(Ordering::SeqCst), 1);
        drop(rx);
    });
}

#[test]
fn callbacks_added_from_two_threads_each_run_once() {
    loom::model(|| {
        let (tx, rx) = oneshot::channel::<u8>();
        let runs = Arc::new(AtomicUsize::new(0));
        let adder = thread::spawn({
            let runs = runs.clone();
            let tx = tx.clone();
            move || {
                tx.add_done_callback(move |_| {
                    runs.fetch_add(1, Ordering::SeqCst);
                });
            }
        });
        {
            let runs = runs.clone();
            rx.add_done_callback(move |_| {
                runs.fetch_add(10, Ordering::SeqCst);
            });
        }
        tx.set(1).unwrap();
        adder.join().unwrap();
        assert_eq!(runs.load(Ordering::SeqCst), 11);
        drop(rx);
    });
}

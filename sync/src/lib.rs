//! ringio-sync: asyncio's synchronisation primitives and queues, for any
//! executor.
//!
//! | asyncio | ringio-sync |
//! |---|---|
//! | `Queue`, `LifoQueue`, `PriorityQueue` | [`Queue`], [`LifoQueue`], [`PriorityQueue`] |
//! | `Lock` | [`Lock<T>`](Lock): a mutex guarding a value, with an RAII [`LockGuard`] |
//! | `Event` | [`Event`] |
//! | `Condition` | [`Condition`], used with a [`Lock`] |
//! | `Semaphore`, `BoundedSemaphore` | [`Semaphore`] (RAII [`SemaphorePermit`]), [`BoundedSemaphore`] |
//! | `Barrier` | [`Barrier`] |
//! | `Future` | [`oneshot`] |
//! | `QueueEmpty`, `QueueFull`, `QueueShutDown`, `BrokenBarrierError` | [`QueueEmpty`], [`QueueFull`], [`QueueShutDown`], [`BrokenBarrierError`] |
//!
//! Every type is `Send + Sync` (given `T: Send` for the ones holding values)
//! and works under any executor: ringio's, tokio's, or the twenty-line one
//! below. The crate depends on nothing but `std` and has no `unsafe` code.
//!
//! # Guarantees
//!
//! - **FIFO hand-off.** A lock or permit released while tasks wait is
//!   handed to the first waiter in the same critical section; a newcomer
//!   (including `try_lock`, `try_acquire`) never takes it first.
//! - **Queues follow asyncio's model.** An item put is in the queue at once
//!   (counted by `qsize`, takeable by `get_nowait`), and it wakes the first
//!   waiting getter, which takes the head *in the queue's own order* when it
//!   runs (so a `PriorityQueue` hands out its smallest item even to getters
//!   that waited before the items came). A get wakes the first waiting
//!   putter the same way. The status calls and the `_nowait` calls always
//!   agree: `if !q.empty() { q.get_nowait() }` never fails.
//! - **Cancellation is dropping, and loses nothing.** Dropping a waiting
//!   `lock`, `acquire`, `get`, `put` or `wait` future gives up its place. If
//!   it had already been handed something (the lock, permits, a
//!   condition's notification) or woken for a queue's item or room, that
//!   passes on to the next waiter.
//! - **No lost wake-ups.** Each primitive keeps its state and its waiters
//!   behind one mutex; a waiter registers under the same lock that the
//!   releaser takes, and a hand-off stays put until its waiter collects it.
//!
//! The waiter list all of this is built on is described in `waiters.rs`, and
//! model-checked with loom (`ci/loom.sh`).
//!
//! # Dependencies
//!
//! None at run time. When built with `RUSTFLAGS="--cfg loom"` (only by
//! `ci/loom.sh`), the crate's one mutex type comes from
//! [loom](https://docs.rs/loom) instead of `std`, so loom is then a
//! dependency of the library itself: that is what lets the model checker
//! explore every interleaving of the real code.
//!
//! # Example
//!
//! A producer and a consumer sharing a [`Queue`], driven by a minimal
//! executor built from [`std::task::Wake`] and thread parking:
//!
//! ```
//! use std::future::Future;
//! use std::pin::pin;
//! use std::sync::Arc;
//! use std::task::{Context, Poll, Wake};
//! use std::thread::{self, Thread};
//!
//! use ringio::sync::Queue;
//!
//! /// Wakes the thread that is blocked in `block_on`.
//! struct Unpark(Thread);
//!
//! impl Wake for Unpark {
//!     fn wake(self: Arc<Self>) {
//!         self.0.unpark();
//!     }
//! }
//!
//! fn block_on<F: Future>(fut: F) -> F::Output {
//!     let waker = Arc::new(Unpark(thread::current())).into();
//!     let mut cx = Context::from_waker(&waker);
//!     let mut fut = pin!(fut);
//!     loop {
//!         match fut.as_mut().poll(&mut cx) {
//!             Poll::Ready(out) => return out,
//!             Poll::Pending => thread::park(),
//!         }
//!     }
//! }
//!
//! let queue = Arc::new(Queue::new(1));
//! let producer = {
//!     let queue = queue.clone();
//!     thread::spawn(move || {
//!         block_on(async {
//!             for i in 0..5 {
//!                 queue.put(i).await.unwrap(); // waits while the queue is full
//!             }
//!             queue.join().await; // until the consumer marked all 5 done
//!             queue.shutdown(false);
//!         })
//!     })
//! };
//! let consumed = block_on(async {
//!     let mut consumed = Vec::new();
//!     while let Ok(item) = queue.get().await {
//!         consumed.push(item);
//!         queue.task_done().unwrap();
//!     }
//!     consumed
//! });
//! producer.join().unwrap();
//! assert_eq!(consumed, [0, 1, 2, 3, 4]);
//! ```
#![forbid(unsafe_code)]

mod barrier;
mod bounded_semaphore;
pub mod condition;
mod event;
mod lock;
pub mod oneshot;
pub mod queue;
mod semaphore;
mod shim;
mod waiters;

pub use barrier::{Barrier, BarrierWait, BrokenBarrierError};
pub use bounded_semaphore::{BoundedSemaphore, BoundedSemaphoreOverflow};
pub use condition::{Condition, ConditionWait};
pub use event::{Event, EventWait};
pub use lock::{Lock, LockFuture, LockGuard, TryLockError};
pub use queue::{
    LifoQueue, PriorityQueue, Queue, QueueEmpty, QueueFull, QueueShutDown, TaskDoneError,
    TryGetError, TryPutError,
};
pub use semaphore::{Acquire, Semaphore, SemaphorePermit, TryAcquireError};

/// Runs a future to completion on the current thread, parking between polls.
///
/// Not part of the API: it lets the examples in these docs run without an
/// executor. Use your executor's `block_on` or `run` instead.
#[doc(hidden)]
pub fn block_on_for_doctests<F: std::future::Future>(fut: F) -> F::Output {
    use std::task::{Context, Poll, Wake};

    struct Unpark(std::thread::Thread);

    impl Wake for Unpark {
        fn wake(self: std::sync::Arc<Self>) {
            self.0.unpark();
        }
    }

    let waker = std::sync::Arc::new(Unpark(std::thread::current())).into();
    let mut cx = Context::from_waker(&waker);
    let mut fut = std::pin::pin!(fut);
    loop {
        match fut.as_mut().poll(&mut cx) {
            Poll::Ready(out) => return out,
            Poll::Pending => std::thread::park(),
        }
    }
}

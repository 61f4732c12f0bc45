//! asyncio's queues: [`Queue`] (FIFO), [`LifoQueue`] and [`PriorityQueue`].
//!
//! The three share one implementation (`core.rs`) and one API; they differ
//! only in the order items come out (`items.rs`). As in asyncio:
//!
//! | asyncio | here |
//! |---|---|
//! | `Queue(maxsize=0)` | [`Queue::new(0)`](Queue::new): 0 means unbounded |
//! | `await q.put(x)`, `await q.get()` | [`put`](Queue::put), [`get`](Queue::get) |
//! | `put_nowait`, `get_nowait` | [`put_nowait`](Queue::put_nowait) (hands the item back on [`QueueFull`]), [`get_nowait`](Queue::get_nowait) |
//! | `qsize()`, `empty()`, `full()`, `maxsize` | same names |
//! | `task_done()`, `await q.join()` | [`task_done`](Queue::task_done) (a [`TaskDoneError`] instead of `ValueError`), [`join`](Queue::join) |
//! | `shutdown(immediate=False)` (3.13) | [`shutdown(immediate)`](Queue::shutdown), with [`QueueShutDown`] |
//!
//! Queues are `Send + Sync` when `T: Send`: producers and consumers may run
//! on different threads and executors. Waiting getters and putters are served
//! in arrival order, and dropping a waiting `get` or `put` loses nothing (see
//! [`Get`] and [`Put`]).
//!
//! ## Shutdown (asyncio 3.13)
//!
//! After [`shutdown(false)`](Queue::shutdown), puts fail with
//! [`QueueShutDown`] (handing the item back), blocked putters are woken with
//! that error, and gets go on returning the remaining items, failing with
//! [`QueueShutDown`] once the queue is empty. [`shutdown(true)`](Queue::shutdown)
//! also discards the remaining items, marking each one done for
//! [`join`](Queue::join), and wakes every blocked getter with the error.

mod core;
mod error;
mod items;

use std::fmt;

use self::core::Core;
pub use self::core::{Get, Join, Put};
pub use self::error::{
    QueueEmpty, QueueFull, QueueShutDown, TaskDoneError, TryGetError, TryPutError,
};
use self::items::Items;

/// The API common to the three queues; each gets its own copy, documented
/// once here.
macro_rules! queue_api {
    ($queue:ident) => {
        impl<T> $queue<T> {
            /// The most items the queue holds; 0 means unbounded.
            pub fn maxsize(&self) -> usize {
                self.core.maxsize()
            }

            /// Number of items in the queue (asyncio's `qsize()`): every item
            /// put and not yet taken, each takeable by
            /// [`get_nowait`](Self::get_nowait).
            pub fn qsize(&self) -> usize {
                self.core.state().qsize()
            }

            /// Whether [`qsize`](Self::qsize) is 0.
            pub fn empty(&self) -> bool {
                self.core.state().is_empty()
            }

            /// Whether the queue holds `maxsize` items; never true when unbounded.
            pub fn full(&self) -> bool {
                self.core.state().full()
            }

            /// Puts an item, waiting for room if the queue is full.
            ///
            /// Fails with [`QueueShutDown`], handing the item back, if the
            /// queue is or gets shut down while waiting. Waiting putters are
            /// woken in arrival order as room appears; room is not reserved,
            /// so [`full`](Self::full) and `put_nowait` always agree.
            pub fn put(&self, item: T) -> Put<'_, T> {
                self.core.put(item)
            }

            /// Puts an item if there is room, without waiting.
            ///
            /// On failure the item is handed back in the error:
            /// [`TryPutError::Full`] or [`TryPutError::ShutDown`].
            pub fn put_nowait(&self, item: T) -> Result<(), TryPutError<T>> {
                self.core.put_nowait(item)
            }

            /// Removes and returns the next item, waiting for one if needed.
            ///
            /// Fails with [`QueueShutDown`] once the queue is shut down and
            /// empty. Waiting getters are woken in arrival order, one per
            /// item put; each takes the head in the queue's order when it
            /// runs. A woken getter that finds the queue emptied meanwhile
            /// (by `get_nowait`) waits again, as in asyncio.
            pub fn get(&self) -> Get<'_, T> {
                self.core.get()
            }

            /// Removes and returns the next item if there is one, without waiting.
            ///
            /// Succeeds whenever [`empty`](Self::empty) is false, also while
            /// getters wait (as in asyncio, the item is in the queue until a
            /// woken getter runs and takes it).
            pub fn get_nowait(&self) -> Result<T, TryGetError> {
                self.core.get_nowait()
            }

            /// Marks one item taken with `get` as processed; [`join`](Self::join)
            /// returns when every item put has been marked.
            ///
            /// Fails with [`TaskDoneError`] if there is no unfinished item.
            pub fn task_done(&self) -> Result<(), TaskDoneError> {
                self.core.task_done()
            }

            /// Waits until every item put has been marked with
            /// [`task_done`](Self::task_done) (returns at once if none is
            /// unfinished).
            pub fn join(&self) -> Join<'_, T> {
                self.core.join()
            }

            /// How many items were put and not yet marked done.
            pub fn unfinished_tasks(&self) -> usize {
                self.core.unfinished_tasks()
            }

            /// Shuts the queue down (asyncio 3.13's `shutdown`): see the
            /// [module docs](crate::queue#shutdown-asyncio-313).
            pub fn shutdown(&self, immediate: bool) {
                self.core.shutdown(immediate)
            }

            /// Whether [`shutdown`](Self::shutdown) has been called.
            pub fn is_shut_down(&self) -> bool {
                self.core.is_shut_down()
            }
        }

        impl<T> fmt::Debug for $queue<T> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                let state = self.core.state();
                f.debug_struct(stringify!($queue))
                    .field("maxsize", &state.maxsize())
                    .field("qsize", &state.qsize())
                    .finish_non_exhaustive()
            }
        }
    };
}

/// A first-in, first-out queue (asyncio's `Queue`).
///
/// ```
/// # ringio::sync::block_on_for_doctests(async {
/// use ringio::sync::Queue;
///
/// let queue = Queue::new(2);
/// queue.put(1).await.unwrap();
/// queue.put_nowait(2).unwrap();
/// assert_eq!(queue.put_nowait(3).unwrap_err().into_inner(), 3); // full
/// assert_eq!(queue.get().await, Ok(1));
/// queue.task_done().unwrap();
/// # });
/// ```
pub struct Queue<T> {
    core: Core<T>,
}

impl<T> Queue<T> {
    /// A queue holding at most `maxsize` items; 0 means unbounded.
    pub fn new(maxsize: usize) -> Self {
        Self {
            core: Core::new(maxsize, Items::fifo()),
        }
    }
}

/// A last-in, first-out queue (asyncio's `LifoQueue`).
///
/// ```
/// # ringio::sync::block_on_for_doctests(async {
/// use ringio::sync::LifoQueue;
///
/// let stack = LifoQueue::new(0);
/// stack.put(1).await.unwrap();
/// stack.put(2).await.unwrap();
/// assert_eq!(stack.get().await, Ok(2));
/// # });
/// ```
pub struct LifoQueue<T> {
    core: Core<T>,
}

impl<T> LifoQueue<T> {
    /// A stack holding at most `maxsize` items; 0 means unbounded.
    pub fn new(maxsize: usize) -> Self {
        Self {
            core: Core::new(maxsize, Items::lifo()),
        }
    }
}

/// A queue that hands out its smallest item first (asyncio's
/// `PriorityQueue`). Use `(priority, data)` tuples to order by priority.
///
/// ```
/// # ringio::sync::block_on_for_doctests(async {
/// use ringio::sync::PriorityQueue;
///
/// let queue = PriorityQueue::new(0);
/// queue.put((2, "later")).await.unwrap();
/// queue.put((1, "first")).await.unwrap();
/// assert_eq!(queue.get().await, Ok((1, "first")));
/// # });
/// ```
pub struct PriorityQueue<T> {
    core: Core<T>,
}

impl<T: Ord> PriorityQueue<T> {
    /// A priority queue holding at most `maxsize` items; 0 means unbounded.
    pub fn new(maxsize: usize) -> Self {
        Self {
            core: Core::new(maxsize, Items::priority()),
        }
    }
}

impl<T> Default for Queue<T> {
    /// An unbounded queue.
    fn default() -> Self {
        Self::new(0)
    }
}

impl<T> Default for LifoQueue<T> {
    /// An unbounded stack.
    fn default() -> Self {
        Self::new(0)
    }
}

impl<T: Ord> Default for PriorityQueue<T> {
    /// An unbounded priority queue.
    fn default() -> Self {
        Self::new(0)
    }
}

queue_api!(Queue);
queue_api!(LifoQueue);
queue_api!(PriorityQueue);

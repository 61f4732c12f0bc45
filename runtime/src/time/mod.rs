//! Time: asyncio's `sleep` and `wait_for`, and tokio-style intervals.
//!
//! Timers live in the loop's hierarchical wheel with 1 ms ticks; a
//! timer never fires early (deadlines round up to the next tick). The loop
//! sleeps in a single `io_uring_enter` whose timeout is the nearest
//! deadline: there is no timeout SQE per `sleep`.
//!
//! Timers due together fire in deadline order, however late the loop is
//! (the exact deadline counts, not its tick), and those with the same
//! deadline in the order they were armed: a task's `sleep` when first
//! polled, [`call_at`](crate::call_at) when called. Woken tasks join the
//! run queue in that order.
//!
//! A timer whose deadline has already passed when it is armed (a `call_at`
//! in the past, or a `sleep` the loop first polls late) does not complete
//! on the spot: it fires at the loop's next turn, sorted with the other due
//! timers, as asyncio's timer heap does. The order therefore holds among
//! every timer armed before that turn; a task the loop has not reached yet
//! (more than `event_interval` tasks were ready, see
//! [`Builder::event_interval`](crate::Builder::event_interval)) cannot be
//! ordered before it arms its timer. A zero `timeout` still ends at its
//! first poll (after one poll of the future), as asyncio's `wait_for(aw, 0)`,
//! and `sleep(Duration::ZERO)` is one turn, as `yield_now`.
//!
//! ```
//! use std::time::Duration;
//! use ringio::time::{sleep, timeout};
//!
//! ringio::run(async {
//!     sleep(Duration::from_millis(5)).await;
//!     let slow = sleep(Duration::from_secs(600));
//!     assert!(timeout(Duration::from_millis(10), slow).await.is_err());
//! })
//! .unwrap();
//! ```

mod interval;
mod scope;
mod sleep;
mod timeout;
pub(crate) mod wheel;

pub use interval::{interval, interval_at, Interval, MissedTickBehavior};
pub use scope::{timeout_scope, timeout_scope_at, TimeoutScope};
pub use sleep::{sleep, sleep_until, Sleep};
pub use std::time::{Duration, Instant};
pub(crate) use timeout::deadline_timer;
pub use timeout::{timeout, timeout_at, Elapsed};

//! asyncio's `loop.call_soon`, `call_later` and `call_at`.
//!
//! `call_soon` spawns the callback's task at once. `call_at` (and so
//! `call_later`) arms a timer in the loop's wheel at the call, as asyncio
//! pushes the handle on its heap, and spawns the callback's task only when
//! the timer fires. So callbacks due together join the run queue in
//! deadline order (ties in call order), however late the loop is; a task
//! spawned at the call would instead first run in call order once its
//! deadline had passed. Until it fires, the callback waits in this thread's
//! table of pending callbacks, keyed by the id its timer's waker carries
//! (a waker must be `Send`, the callback need not be).

use std::cell::{Cell, OnceCell, RefCell};
use std::collections::HashMap;
use std::fmt;
use std::rc::{Rc, Weak};
use std::sync::Arc;
use std::task::{Wake, Waker};
use std::time::{Duration, Instant};

use crate::context;
use crate::handle::Handle;
use crate::task::{spawn, JoinHandle};
use crate::time::wheel::Timer;

/// A scheduled callback; [`cancel`](TimerHandle::cancel) stops it if it has
/// not run. Dropping the handle does not cancel (as in asyncio).
pub struct TimerHandle {
    inner: Rc<Inner>,
    when: Instant,
}

/// What a [`TimerHandle`] shares with its pending callback.
struct Inner {
    /// The callback's task, once spawned.
    task: OnceCell<JoinHandle<()>>,
    /// Cancelled, or dropped unrun with its loop.
    cancelled: Cell<bool>,
    /// Key in [`PENDING`] while the timer waits.
    id: u64,
}

/// A callback whose timer has not fired yet.
struct Pending {
    f: Box<dyn FnOnce()>,
    inner: Rc<Inner>,
    handle: Weak<Handle>,
    timer: Timer,
}

thread_local! {
    static PENDING: RefCell<HashMap<u64, Pending>> = RefCell::new(HashMap::new());
    static NEXT_ID: Cell<u64> = const { Cell::new(0) };
}

/// Takes the pending callback `id` out of this thread's table. The caller
/// drops it after the table's borrow ended (the callback's destructors may
/// touch the table).
fn take_pending(id: u64) -> Option<Pending> {
    PENDING
        .try_with(|p| p.borrow_mut().remove(&id))
        .ok()
        .flatten()
}

/// The waker of a `call_at` timer: spawns the callback when woken; when
/// dropped unwoken (timer removed, loop shut down) drops the callback.
struct Fire(u64);

impl Wake for Fire {
    fn wake(self: Arc<Self>) {
        let Some(p) = take_pending(self.0) else {
            return;
        };
        let Some(handle) = p.handle.upgrade() else {
            return;
        };
        let f = p.f;
        let _ = p.inner.task.set(handle.spawn(async move { f() }, None));
    }
}

impl Drop for Fire {
    fn drop(&mut self) {
        if let Some(p) = take_pending(self.0) {
            p.inner.cancelled.set(true);
        }
    }
}

impl TimerHandle {
    /// Cancels the callback; no effect once it ran.
    pub fn cancel(&self) {
        self.inner.cancelled.set(true);
        if let Some(task) = self.inner.task.get() {
            task.abort();
            return;
        }
        let Some(p) = take_pending(self.inner.id) else {
            return;
        };
        if let Some(handle) = p.handle.upgrade() {
            if let Ok(mut wheel) = handle.timers.try_borrow_mut() {
                wheel.remove(&p.timer);
            }
        }
    }

    /// True once the callback ran or was cancelled.
    pub fn is_done(&self) -> bool {
        self.inner.cancelled.get() || self.inner.task.get().is_some_and(JoinHandle::is_finished)
    }

    /// True once [`cancel`](TimerHandle::cancel) was called (also after
    /// the callback ran, as asyncio's `TimerHandle.cancelled()`), or the
    /// callback was dropped unrun because its loop shut down.
    pub fn cancelled(&self) -> bool {
        self.inner.cancelled.get()
    }

    /// When the callback is (or was) due.
    pub fn when(&self) -> Instant {
        self.when
    }

    fn spawned(task: JoinHandle<()>, when: Instant) -> TimerHandle {
        let inner = Inner {
            task: OnceCell::from(task),
            cancelled: Cell::new(false),
            id: u64::MAX,
        };
        TimerHandle {
            inner: Rc::new(inner),
            when,
        }
    }
}

impl fmt::Debug for TimerHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TimerHandle")
            .field("when", &self.when)
            .field("done", &self.is_done())
            .finish()
    }
}

/// Runs `f` at the loop's next turn, after the tasks already queued.
///
/// # Panics
///
/// When no ringio loop runs on this thread.
pub fn call_soon<F: FnOnce() + 'static>(f: F) -> TimerHandle {
    // A new task goes to the back of the run queue: after what is queued.
    TimerHandle::spawned(spawn(async move { f() }), Instant::now())
}

/// Runs `f` after `delay`.
///
/// # Panics
///
/// When no ringio loop runs on this thread.
pub fn call_later<F: FnOnce() + 'static>(delay: Duration, f: F) -> TimerHandle {
    let when = Instant::now().checked_add(delay).unwrap_or_else(far_future);
    call_at(when, f)
}

/// Runs `f` at `when`. Callbacks due together run in the order of their
/// `when`, those with the same `when` in the order of the calls.
///
/// # Panics
///
/// When no ringio loop runs on this thread.
pub fn call_at<F: FnOnce() + 'static>(when: Instant, f: F) -> TimerHandle {
    let Some(handle) = context::current() else {
        panic!("{}", crate::error::no_runtime());
    };
    let id = NEXT_ID.with(|n| n.replace(n.get() + 1));
    let fire = Waker::from(Arc::new(Fire(id)));
    let tick = handle.deadline_tick(when);
    // A time already past still goes through the wheel, which fires it at
    // the loop's next turn in deadline order with the other due timers.
    let timer = handle.timers.borrow_mut().insert(tick, Some(when), fire);
    let inner = Rc::new(Inner {
        task: OnceCell::new(),
        cancelled: Cell::new(false),
        id,
    });
    let pending = Pending {
        f: Box::new(f),
        inner: inner.clone(),
        handle: Rc::downgrade(&handle),
        timer,
    };
    PENDING.with(|p| p.borrow_mut().insert(id, pending));
    TimerHandle { inner, when }
}

fn far_future() -> Instant {
    Instant::now() + Duration::from_secs(86400 * 365 * 30)
}

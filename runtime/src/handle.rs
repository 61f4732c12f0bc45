//! The state of one event loop, shared (`Rc`) by the `Runtime`, the
//! operations and timers in flight, and the thread's current context.

use std::cell::RefCell;
use std::future::Future;
use std::io;
use std::panic::Location;
use std::rc::Rc;
use std::sync::Arc;
use std::task::Waker;
use std::time::{Duration, Instant};

use crate::blocking::Pool;
use crate::context;
use crate::driver::op::DriverRef;
use crate::driver::{DeferredCloses, Driver};
use crate::executor::Executor;
use crate::metrics::LoopCounters;
use crate::shared::Shared;
use crate::task::contain::contain;
use crate::task::JoinHandle;
use crate::time::wheel::Wheel;

pub(crate) struct Handle {
    pub(crate) driver: DriverRef,
    /// Where an fd dropped while `driver` is borrowed waits to be closed.
    pub(crate) deferred_closes: Rc<DeferredCloses>,
    pub(crate) timers: RefCell<Wheel>,
    pub(crate) exec: Executor,
    pub(crate) shared: Arc<Shared>,
    pub(crate) blocking: Arc<Pool>,
    /// Tick 0 of the timer wheel.
    start: Instant,
    /// Tasks polled between two looks at the ring while busy.
    pub(crate) event_interval: u32,
    /// Reused buffer of wakers to wake after a driver or wheel borrow.
    wakes: RefCell<Vec<Waker>>,
    /// The loop's own metrics counters (parks, busy time).
    pub(crate) counters: LoopCounters,
    /// Tasks that yielded (`yield_now`, `sleep(ZERO)`): woken at the next
    /// turn, after the loop looked at the ring.
    yielded: RefCell<Vec<Waker>>,
}

impl Handle {
    pub(crate) fn new(
        driver: Driver,
        shared: Arc<Shared>,
        blocking: Arc<Pool>,
        event_interval: u32,
    ) -> Handle {
        Handle {
            deferred_closes: driver.deferred_closes(),
            driver: Rc::new(RefCell::new(driver)),
            timers: RefCell::new(Wheel::new()),
            exec: Executor::new(shared.clone()),
            shared,
            blocking,
            start: Instant::now(),
            event_interval: event_interval.max(1),
            wakes: RefCell::new(Vec::with_capacity(64)),
            counters: LoopCounters::new(),
            yielded: RefCell::new(Vec::new()),
        }
    }

    #[track_caller]
    pub(crate) fn spawn<F: Future + 'static>(
        &self,
        future: F,
        name: Option<Box<str>>,
    ) -> JoinHandle<F::Output> {
        self.spawn_at(future, name, Location::caller())
    }

    /// As `spawn`, with the spawn location given.
    pub(crate) fn spawn_at<F: Future + 'static>(
        &self,
        future: F,
        name: Option<Box<str>>,
        location: &'static Location<'static>,
    ) -> JoinHandle<F::Output> {
        self.exec.spawn_at(&self.shared, future, name, location)
    }

    /// Wheel tick of `deadline`, rounded up so a timer never fires early.
    pub(crate) fn deadline_tick(&self, deadline: Instant) -> u64 {
        let d = deadline.saturating_duration_since(self.start);
        let ms = d.as_millis();
        let rounded = if d.subsec_nanos() % 1_000_000 == 0 {
            ms
        } else {
            ms + 1
        };
        u64::try_from(rounded).unwrap_or(u64::MAX)
    }

    fn now_tick(&self, now: Instant) -> u64 {
        u64::try_from(now.saturating_duration_since(self.start).as_millis()).unwrap_or(u64::MAX)
    }

    /// Moves tasks woken from other threads onto the run queue, and runs
    /// the callbacks other threads queued (`call_soon_threadsafe`).
    pub(crate) fn drain_remote(&self) {
        let mut callbacks = Vec::new();
        self.shared
            .drain_remote(&mut |t| self.exec.push(t), &mut callbacks);
        for f in callbacks {
            // asyncio logs a failing callback and goes on; so does the loop.
            contain("a call_soon_threadsafe callback", f);
        }
    }

    /// Wakes `waker` at the next turn, after the loop looked at the ring:
    /// a task that yields lets the ready tasks *and* the I/O have a turn,
    /// as asyncio's `sleep(0)` (its step runs at the next loop iteration,
    /// after the selector) and tokio's `yield_now`.
    pub(crate) fn wake_after_turn(&self, waker: &Waker) {
        self.yielded.borrow_mut().push(waker.clone());
    }

    /// One look at the outside world: completions, remote wakes, timers.
    /// When `may_park` (and no task yielded), waits in the ring until
    /// something happens or the nearest timer is due.
    pub(crate) fn turn(&self, may_park: bool) -> io::Result<()> {
        let may_park = may_park && self.yielded.borrow().is_empty();
        let has_timers = self.timers.borrow().len() > 0;
        let mut now = if has_timers || may_park {
            Some(Instant::now())
        } else {
            None
        };
        {
            let mut driver = self.driver.borrow_mut();
            if may_park {
                let before = now.unwrap_or_else(Instant::now);
                let mut timeout = self.timers.borrow().next_expiration().map(|tick| {
                    let at = self.start + Duration::from_millis(tick);
                    at.saturating_duration_since(before)
                });
                if let Some(debug) = &self.exec.debug {
                    // Wake up in time to check the operations' ages.
                    let check = debug.check_interval();
                    timeout = Some(timeout.map_or(check, |t| t.min(check)));
                }
                driver.park(timeout)?;
                let after = Instant::now();
                self.counters.parked(before, after);
                self.exec.set_clock(after);
                now = Some(after);
            } else {
                driver.poll_nonblocking()?;
            }
        }
        // Tasks that yielded were ready before this turn's events: first.
        let yielded = std::mem::take(&mut *self.yielded.borrow_mut());
        for w in yielded {
            w.wake();
        }
        let mut wakes = std::mem::take(&mut *self.wakes.borrow_mut());
        self.driver.borrow_mut().take_wakes(&mut wakes);
        if let (true, Some(now)) = (has_timers, now) {
            self.timers
                .borrow_mut()
                .advance(self.now_tick(now), &mut wakes);
        }
        for w in wakes.drain(..) {
            w.wake();
        }
        *self.wakes.borrow_mut() = wakes;
        self.drain_remote();
        if let Some(debug) = &self.exec.debug {
            debug.check_ops(self);
        }
        Ok(())
    }

    /// Cancels every task, then every operation in the kernel, and stops
    /// the blocking pool. Safe to call more than once.
    pub(crate) fn shutdown(self: &Rc<Self>) {
        let _enter = context::enter_unchecked(self);
        self.exec.shutdown();
        self.driver.borrow_mut().shutdown();
        let mut wakes = Vec::new();
        self.driver.borrow_mut().take_wakes(&mut wakes);
        for w in wakes {
            contain("dropping a waker at shutdown", || drop(w));
        }
        let yielded = std::mem::take(&mut *self.yielded.borrow_mut());
        contain("dropping the wakers of yielded tasks at shutdown", || {
            drop(yielded)
        });
        let timers = std::mem::replace(&mut *self.timers.borrow_mut(), Wheel::new());
        contain("dropping the timers at shutdown", || drop(timers));
        self.shared.release_eventfd();
        self.blocking.shutdown();
    }
}

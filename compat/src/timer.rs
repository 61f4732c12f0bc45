//! `RingioTimer`: hyper's `Timer` on the ringio loop's timer wheel.
//!
//! hyper wants its sleeps `Send + Sync`, and ringio's `Sleep` is neither
//! (it holds the loop it belongs to). So a [`RingioSleep`] holds only a
//! shared state behind a mutex; at its first poll it starts a small task
//! on the loop (the watcher) that waits on a ringio `sleep_until` and then
//! marks the state fired and wakes hyper. A reset moves the deadline and
//! wakes the watcher, which re-arms; dropping the `RingioSleep` wakes the
//! watcher, which ends and removes its timer from the wheel. A sleep hyper
//! makes and drops without polling (most of hyper's header timeouts, when
//! the request arrives whole) costs no task and no timer.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};

use ringio_runtime::task::Builder;
use ringio_runtime::time;

/// hyper's [`Timer`](hyper::rt::Timer) on ringio's timers, for hyper's
/// timeouts (`header_read_timeout`, keep-alive pings of HTTP/2, the
/// client pool's idle timeout).
///
/// ```no_run
/// use std::time::Duration;
/// use ringio::compat::RingioTimer;
///
/// let mut builder = hyper::server::conn::http1::Builder::new();
/// builder.timer(RingioTimer).header_read_timeout(Duration::from_secs(5));
/// ```
///
/// # Panics
///
/// A [`RingioSleep`] panics when first polled on a thread where no
/// ringio loop runs (as ringio's own `sleep`).
#[derive(Clone, Copy, Debug, Default)]
pub struct RingioTimer;

impl hyper::rt::Timer for RingioTimer {
    fn sleep(&self, duration: Duration) -> Pin<Box<dyn hyper::rt::Sleep>> {
        Box::pin(RingioSleep::new(Instant::now().checked_add(duration)))
    }

    fn sleep_until(&self, deadline: Instant) -> Pin<Box<dyn hyper::rt::Sleep>> {
        Box::pin(RingioSleep::new(Some(deadline)))
    }

    fn reset(&self, sleep: &mut Pin<Box<dyn hyper::rt::Sleep>>, new_deadline: Instant) {
        match sleep.as_mut().downcast_mut_pin::<RingioSleep>() {
            Some(mine) => mine.get_mut().reset(new_deadline),
            None => *sleep = self.sleep_until(new_deadline),
        }
    }
}

/// What a [`RingioSleep`] and its watcher task share.
#[derive(Debug, Default)]
struct Shared {
    /// `None`: too far to represent; never fires.
    deadline: Option<Instant>,
    fired: bool,
    /// The task waiting for the sleep (hyper's connection).
    waiter: Option<Waker>,
    /// The watcher task, while one runs.
    watcher: Option<Waker>,
    watching: bool,
    dropped: bool,
}

/// The sleep [`RingioTimer`] makes: `Send + Sync`, as hyper requires.
#[derive(Debug)]
pub struct RingioSleep {
    shared: Arc<Mutex<Shared>>,
}

fn lock(shared: &Mutex<Shared>) -> MutexGuard<'_, Shared> {
    // No code panics while holding the lock; a poisoned lock still holds
    // consistent state.
    shared.lock().unwrap_or_else(|e| e.into_inner())
}

fn wake(waker: Option<Waker>) {
    if let Some(w) = waker {
        w.wake();
    }
}

impl RingioSleep {
    fn new(deadline: Option<Instant>) -> RingioSleep {
        RingioSleep {
            shared: Arc::new(Mutex::new(Shared {
                deadline,
                ..Shared::default()
            })),
        }
    }

    /// Moves the deadline (re-arming a sleep that already fired).
    fn reset(&mut self, deadline: Instant) {
        let mut s = lock(&self.shared);
        s.deadline = Some(deadline);
        s.fired = false;
        let watcher = s.watcher.take();
        drop(s);
        wake(watcher);
    }
}

impl Future for RingioSleep {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let mut s = lock(&self.shared);
        if s.fired {
            return Poll::Ready(());
        }
        match &mut s.waiter {
            Some(w) if w.will_wake(cx.waker()) => {}
            w => *w = Some(cx.waker().clone()),
        }
        if !s.watching {
            s.watching = true;
            drop(s);
            let watcher = Watcher {
                shared: self.shared.clone(),
                sleep: None,
            };
            if let Err(e) = Builder::new().spawn(watcher) {
                panic!("ringio_compat::RingioTimer: {e}");
            }
        }
        Poll::Pending
    }
}

impl hyper::rt::Sleep for RingioSleep {}

impl Drop for RingioSleep {
    fn drop(&mut self) {
        let mut s = lock(&self.shared);
        s.dropped = true;
        let watcher = s.watcher.take();
        drop(s);
        wake(watcher);
    }
}

/// The task behind a polled [`RingioSleep`], on the loop.
struct Watcher {
    shared: Arc<Mutex<Shared>>,
    /// The ringio sleep, and the deadline it was armed for.
    sleep: Option<(Option<Instant>, time::Sleep)>,
}

impl Future for Watcher {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let shared = self.shared.clone();
        let mut s = lock(&shared);
        if s.dropped {
            return Poll::Ready(());
        }
        s.watcher = Some(cx.waker().clone());
        let deadline = s.deadline;
        drop(s);
        if self.sleep.as_ref().map(|(d, _)| *d) != Some(deadline) {
            // First poll, or the deadline moved.
            let sleep = match deadline {
                Some(d) => time::sleep_until(d),
                // Beyond Instant's range: wait for a reset or the drop.
                None => return Poll::Pending,
            };
            self.sleep = Some((deadline, sleep));
        }
        let Some((_, sleep)) = &mut self.sleep else {
            return Poll::Pending;
        };
        if Pin::new(sleep).poll(cx).is_pending() {
            return Poll::Pending;
        }
        let mut s = lock(&shared);
        if s.deadline != deadline {
            // Reset while this poll ran: the watcher was woken to re-arm.
            return Poll::Pending;
        }
        s.fired = true;
        s.watching = false;
        s.watcher = None;
        let waiter = s.waiter.take();
        drop(s);
        wake(waiter);
        Poll::Ready(())
    }
}

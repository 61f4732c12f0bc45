//! [`LoopHandle`]: an event loop seen from other threads, as asyncio's loop
//! object with `call_soon_threadsafe` and `run_coroutine_threadsafe`.

use std::fmt;
use std::future::Future;
use std::panic::Location;
use std::pin::Pin;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::task::{Context, Poll, Waker};
use std::time::Instant;

use crate::context;
use crate::shared::Shared;
use crate::task::{AbortHandle, JoinError};

/// A handle to one event loop that any thread may hold and use: it can run
/// a function on the loop's thread ([`call_soon_threadsafe`]) and spawn a
/// `Send` future onto the loop and get its result back ([`spawn`], asyncio's
/// `run_coroutine_threadsafe`).
///
/// Get it inside the loop with [`LoopHandle::current`], or from
/// [`Runtime::loop_handle`](crate::Runtime::loop_handle), and send it to
/// other threads (it is `Send + Sync + Clone`).
///
/// ```
/// use ringio::LoopHandle;
///
/// let answer = ringio::run(async {
///     let lh = LoopHandle::current().expect("inside a loop");
///     // Another thread asks the loop to compute something and waits for it.
///     let worker = std::thread::spawn(move || {
///         lh.spawn(async { 6 * 7 }).unwrap().blocking_join().unwrap()
///     });
///     ringio::spawn_blocking(move || worker.join().unwrap())
///         .await
///         .unwrap()
/// })
/// .unwrap();
/// assert_eq!(answer, 42);
/// ```
///
/// [`call_soon_threadsafe`]: LoopHandle::call_soon_threadsafe
/// [`spawn`]: LoopHandle::spawn
#[derive(Clone)]
pub struct LoopHandle {
    shared: Arc<Shared>,
}

impl fmt::Debug for LoopHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LoopHandle").finish_non_exhaustive()
    }
}

/// The error of [`LoopHandle`]'s calls after its loop shut down: the
/// function or future was dropped without running.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoopClosed;

impl fmt::Display for LoopClosed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(
            "the event loop has shut down, so nothing more can run on it: \
             keep the Runtime alive (or the ringio::run call running) while other threads use its handle",
        )
    }
}

impl std::error::Error for LoopClosed {}

impl LoopHandle {
    pub(crate) fn new(shared: Arc<Shared>) -> LoopHandle {
        LoopHandle { shared }
    }

    /// The handle of the loop running on this thread; `None` outside one.
    pub fn current() -> Option<LoopHandle> {
        context::with_current(|h| h.map(|h| LoopHandle::new(h.shared.clone())))
    }

    /// The loop's clock, as asyncio's `loop.time()`: the monotonic clock
    /// that deadlines ([`call_at`](crate::call_at),
    /// [`sleep_until`](crate::time::sleep_until)) are measured on.
    pub fn time(&self) -> Instant {
        Instant::now()
    }

    /// Runs `f` on the loop's thread at its next turn, as asyncio's
    /// `loop.call_soon_threadsafe`; callbacks run in the order they were
    /// queued. A panic in `f` is reported (tracing) and the loop goes on.
    ///
    /// Fails with [`LoopClosed`] (dropping `f`) once the loop shut down.
    pub fn call_soon_threadsafe<F>(&self, f: F) -> Result<(), LoopClosed>
    where
        F: FnOnce() + Send + 'static,
    {
        self.shared
            .push_callback(Box::new(f))
            .map_err(|_| LoopClosed)
    }

    /// Spawns `future` onto the loop from any thread, as asyncio's
    /// `run_coroutine_threadsafe`. The returned handle gives its result:
    /// await it (from any executor) or block on it
    /// ([`RemoteJoinHandle::blocking_join`]).
    ///
    /// Fails with [`LoopClosed`] (dropping `future`) once the loop shut
    /// down; if the loop shuts down before the task finishes, the handle
    /// gives a cancelled [`JoinError`].
    pub fn spawn<F>(&self, future: F) -> Result<RemoteJoinHandle<F::Output>, LoopClosed>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        self.spawn_with(move || future)
    }

    /// As [`spawn`](LoopHandle::spawn), for a future that is not `Send`
    /// (most futures that use the loop, such as one that sleeps or reads a
    /// socket, hold loop-local state): `make` is sent to the loop and called
    /// there, and the future it returns runs as a task of the loop. Only
    /// the output must be `Send`.
    #[track_caller]
    pub fn spawn_with<M, Fut>(&self, make: M) -> Result<RemoteJoinHandle<Fut::Output>, LoopClosed>
    where
        M: FnOnce() -> Fut + Send + 'static,
        Fut: Future + 'static,
        Fut::Output: Send + 'static,
    {
        let (completer, handle) = remote_pair();
        let location = Location::caller();
        self.shared
            .push_callback(Box::new(move || {
                let Some(handle) = context::current() else {
                    return;
                };
                let task = handle.spawn_at(make(), None, location);
                completer.set_abort(task.abort_handle());
                crate::task::spawn(async move {
                    let result = task.await;
                    completer.complete(result);
                });
            }))
            .map_err(|_| LoopClosed)?;
        Ok(handle)
    }

    /// Runs `f` on the loop's thread (between two tasks) and gives its
    /// result through the handle; no task is made.
    pub(crate) fn call<R, F>(&self, f: F) -> Result<RemoteJoinHandle<R>, LoopClosed>
    where
        F: FnOnce() -> R + Send + 'static,
        R: Send + 'static,
    {
        let (completer, handle) = remote_pair();
        self.shared
            .push_callback(Box::new(move || completer.complete(Ok(f()))))
            .map_err(|_| LoopClosed)?;
        Ok(handle)
    }
}

/// A result slot: the loop's side and the awaiting side.
fn remote_pair<T>() -> (Completer<T>, RemoteJoinHandle<T>) {
    let cell = Arc::new(RemoteCell {
        state: Mutex::new(RemoteState {
            result: None,
            waker: None,
            abort: None,
            abort_requested: false,
        }),
        done: Condvar::new(),
    });
    (Completer(cell.clone()), RemoteJoinHandle { cell })
}

struct RemoteState<T> {
    result: Option<Result<T, JoinError>>,
    waker: Option<Waker>,
    abort: Option<AbortHandle>,
    abort_requested: bool,
}

struct RemoteCell<T> {
    state: Mutex<RemoteState<T>>,
    done: Condvar,
}

impl<T> RemoteCell<T> {
    fn lock(&self) -> MutexGuard<'_, RemoteState<T>> {
        // Plain data: a panic elsewhere cannot leave it torn.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// The loop's side of a [`RemoteJoinHandle`]: sets the result once; if it
/// is dropped first (the loop shut down before the task ran or finished),
/// the result is `Cancelled`.
struct Completer<T>(Arc<RemoteCell<T>>);

impl<T> Completer<T> {
    fn set_abort(&self, abort: AbortHandle) {
        let mut st = self.0.lock();
        if st.abort_requested {
            abort.abort();
        }
        st.abort = Some(abort);
    }

    fn complete(&self, result: Result<T, JoinError>) {
        let waker = {
            let mut st = self.0.lock();
            if st.result.is_some() {
                return;
            }
            st.result = Some(result);
            st.abort = None;
            st.waker.take()
        };
        self.0.done.notify_all();
        if let Some(w) = waker {
            w.wake();
        }
    }
}

impl<T> Drop for Completer<T> {
    fn drop(&mut self) {
        self.complete(Err(JoinError::cancelled_unborn()));
    }
}

/// The result of a future spawned onto a loop from another thread
/// ([`LoopHandle::spawn`]). `Send`; await it from any executor, or block
/// on it with [`blocking_join`](RemoteJoinHandle::blocking_join).
/// Dropping it detaches the task (it keeps running).
pub struct RemoteJoinHandle<T> {
    cell: Arc<RemoteCell<T>>,
}

impl<T> fmt::Debug for RemoteJoinHandle<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RemoteJoinHandle")
            .field("finished", &self.is_finished())
            .finish()
    }
}

impl<T> RemoteJoinHandle<T> {
    /// Cancels the task, from any thread: it is dropped at its next
    /// suspension point, and the handle gives a cancelled [`JoinError`].
    pub fn abort(&self) {
        let mut st = self.cell.lock();
        st.abort_requested = true;
        if let Some(a) = &st.abort {
            a.abort();
        }
    }

    /// True once the result is there.
    pub fn is_finished(&self) -> bool {
        self.cell.lock().result.is_some()
    }

    /// Blocks this thread until the task finishes, and returns its result.
    ///
    /// # Panics
    ///
    /// When called on the thread of a running ringio loop: blocking it
    /// would stop the loop that must run the task (await the handle there
    /// instead).
    pub fn blocking_join(self) -> Result<T, JoinError> {
        assert!(
            !context::is_running(),
            "RemoteJoinHandle::blocking_join called on an event loop's thread: \
             this would block the loop; await the handle instead"
        );
        let mut st = self.cell.lock();
        loop {
            if let Some(r) = st.result.take() {
                return r;
            }
            st = self
                .cell
                .done
                .wait(st)
                .unwrap_or_else(PoisonError::into_inner);
        }
    }
}

impl<T> Future for RemoteJoinHandle<T> {
    type Output = Result<T, JoinError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut st = self.cell.lock();
        if let Some(r) = st.result.take() {
            return Poll::Ready(r);
        }
        match &st.waker {
            Some(w) if w.will_wake(cx.waker()) => {}
            _ => st.waker = Some(cx.waker().clone()),
        }
        Poll::Pending
    }
}

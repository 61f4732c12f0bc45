//! `shield`: asyncio's `shield(aw)`, work that outlives its awaiter.

use std::fmt;
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::task::{Context, Poll};

use super::{spawn, JoinError, JoinHandle, TaskId};

/// Starts `future` as a task that runs to its end even when the returned
/// [`Shield`] is dropped, as asyncio's `shield`.
///
/// Awaiting the shield gives the future's output, or a [`JoinError`] if it
/// panicked or its loop shut down first. The task starts at once, whether or
/// not the shield is awaited.
///
/// # Panics
///
/// When no ringio loop runs on this thread, as [`spawn`].
///
/// Cancelling in Rust is dropping, so a future that is dropped half-way
/// stops half-way. `shield(fut)` runs `fut` as a task of its own instead:
/// dropping the [`Shield`] (a timeout ran out, a `select!` picked another
/// branch, the awaiting task was aborted) leaves the work running to its end.
///
/// ```
/// use std::cell::Cell;
/// use std::rc::Rc;
/// use std::time::Duration;
/// use ringio::{run, task::shield, time::{sleep, timeout}};
///
/// run(async {
///     let saved = Rc::new(Cell::new(false));
///     let flag = saved.clone();
///     let save = shield(async move {
///         sleep(Duration::from_millis(30)).await;
///         flag.set(true);
///     });
///     // The caller gives up after 5 ms; the save goes on.
///     assert!(timeout(Duration::from_millis(5), save).await.is_err());
///     sleep(Duration::from_millis(50)).await;
///     assert!(saved.get());
/// })
/// .unwrap();
/// ```
pub fn shield<F>(future: F) -> Shield<F::Output>
where
    F: IntoFuture,
    F::IntoFuture: 'static,
{
    Shield {
        handle: spawn(future.into_future()),
    }
}

/// The future of [`shield`]: dropping it does not stop the work.
#[must_use = "the work runs anyway; await the shield for its result"]
pub struct Shield<T> {
    handle: JoinHandle<T>,
}

impl<T> Shield<T> {
    /// True once the shielded work has finished.
    pub fn is_finished(&self) -> bool {
        self.handle.is_finished()
    }

    /// The id of the task doing the work.
    pub fn id(&self) -> TaskId {
        self.handle.id()
    }
}

impl<T> Future for Shield<T> {
    type Output = Result<T, JoinError>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        self.handle.poll_detached(cx)
    }
}

impl<T> fmt::Debug for Shield<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Shield")
            .field("id", &self.id())
            .field("finished", &self.is_finished())
            .finish()
    }
}

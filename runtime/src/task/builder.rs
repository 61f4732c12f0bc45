//! The task builder: names, and spawning with a `Result`.

use std::fmt;
use std::future::Future;
use std::io;
use std::panic::Location;

use super::raw::Fallible;
use super::JoinHandle;
use crate::context;
use crate::error::no_runtime;

/// Configures a task before spawning it, as asyncio's
/// `create_task(coro, name=...)`.
///
/// ```
/// # ringio::run(async {
/// let handle = ringio::task::Builder::new()
///     .name("worker-1")
///     .spawn(async { 6 * 7 })?;
/// assert_eq!(handle.name(), "worker-1");
/// assert_eq!(handle.await?, 42);
/// # Ok::<(), std::io::Error>(())
/// # }).unwrap().unwrap();
/// ```
#[derive(Debug, Default, Clone)]
pub struct Builder {
    name: Option<String>,
}

impl Builder {
    /// A builder with no name set.
    pub fn new() -> Builder {
        Builder::default()
    }

    /// Names the task (shown by `all_tasks()`, `current_task()`, tracing).
    pub fn name(mut self, name: impl Into<String>) -> Builder {
        self.name = Some(name.into());
        self
    }

    /// Spawns the task on the loop running on this thread. The place of
    /// this call is the task's spawn location.
    ///
    /// Fails with an error saying so when no ringio loop runs here.
    #[track_caller]
    pub fn spawn<F>(self, future: F) -> io::Result<JoinHandle<F::Output>>
    where
        F: Future + 'static,
    {
        let name = self.name.map(String::into_boxed_str);
        let location = Location::caller();
        context::with_current(|h| match h {
            Some(h) => Ok(h.spawn_at(future, name, location)),
            None => Err(no_runtime()),
        })
    }

    /// As [`spawn`](Builder::spawn), for a future whose output is a
    /// `Result`: if the task returns `Err` and nobody reads it (the handle
    /// was dropped, or is dropped without awaiting it), the error is
    /// reported once, as an unretrieved panic is (see
    /// [`unhandled`](crate::unhandled)).
    ///
    /// ```
    /// use std::sync::{Arc, Mutex};
    /// use ringio::{task::Builder, Runtime};
    ///
    /// let seen = Arc::new(Mutex::new(Vec::new()));
    /// let sink = seen.clone();
    /// let rt = Runtime::builder()
    ///     .on_unhandled_error(move |e| sink.lock().unwrap().push(e.message().to_owned()))
    ///     .build()
    ///     .unwrap();
    /// rt.block_on(async {
    ///     let job = Builder::new()
    ///         .name("refresh")
    ///         .spawn_fallible(async { Err::<(), _>("cache server unreachable") })
    ///         .unwrap();
    ///     drop(job); // detached: nobody will see the error...
    ///     ringio::yield_now().await;
    /// })
    /// .unwrap();
    /// // ...so it was reported.
    /// assert_eq!(*seen.lock().unwrap(), ["cache server unreachable"]);
    /// ```
    #[track_caller]
    pub fn spawn_fallible<F, T, E>(self, future: F) -> io::Result<JoinHandle<Result<T, E>>>
    where
        F: Future<Output = Result<T, E>> + 'static,
        E: fmt::Display,
    {
        let name = self.name.map(String::into_boxed_str);
        let location = Location::caller();
        context::with_current(|h| match h {
            Some(h) => Ok(h
                .exec
                .spawn_kind::<F, Fallible>(&h.shared, future, name, location)),
            None => Err(no_runtime()),
        })
    }
}

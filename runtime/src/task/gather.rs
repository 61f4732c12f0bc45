//! `gather!`, `try_gather!`, `gather_all`, `try_gather_all`: asyncio's `gather`.

use std::future::{Future, IntoFuture};
use std::pin::{pin, Pin};
use std::task::{Context, Poll};

use super::propagate::{cancelling, CancelOnDrop};

/// One future of a gather: still running, or finished with its output kept
/// until every other one is done.
enum Slot<F: Future> {
    Running(F),
    Done(F::Output),
    Taken,
}

impl<F: Future + Unpin> Slot<F> {
    /// Polls the future if it still runs; true once its output is stored.
    fn poll_done(&mut self, cx: &mut Context<'_>) -> bool {
        if let Slot::Running(f) = self {
            match Pin::new(f).poll(cx) {
                Poll::Ready(out) => *self = Slot::Done(out),
                Poll::Pending => return false,
            }
        }
        true
    }

    fn take(&mut self) -> F::Output {
        match std::mem::replace(self, Slot::Taken) {
            Slot::Done(out) => out,
            _ => panic!("gather polled again after it returned its results"),
        }
    }
}

impl<T, E, F: Future<Output = Result<T, E>> + Unpin> Slot<F> {
    /// As [`Slot::poll_done`], but hands out an error at once.
    fn try_poll_done(&mut self, cx: &mut Context<'_>) -> Result<bool, E> {
        if let Slot::Running(f) = self {
            match Pin::new(f).poll(cx) {
                Poll::Ready(Ok(v)) => *self = Slot::Done(Ok(v)),
                Poll::Ready(Err(e)) => {
                    *self = Slot::Taken;
                    return Err(e);
                }
                Poll::Pending => return Ok(false),
            }
        }
        Ok(true)
    }

    fn take_ok(&mut self) -> T {
        match std::mem::replace(self, Slot::Taken) {
            Slot::Done(Ok(v)) => v,
            _ => panic!("try_gather polled again after it returned its results"),
        }
    }
}

/// A tuple of futures that [`gather!`](crate::gather) can run side by side.
///
/// Implemented for tuples of 1 to 12 futures; `gather!` calls it, so there is
/// rarely a reason to name it.
pub trait GatherTuple {
    /// The tuple of the futures' outputs, in the same order.
    type Output;

    /// Runs every future concurrently and returns all outputs in order.
    fn gather(self) -> impl Future<Output = Self::Output>;
}

/// A tuple of futures of `Result<_, E>` that [`try_gather!`](crate::try_gather)
/// can run side by side.
///
/// Implemented for tuples of 1 to 12 futures sharing one error type.
pub trait TryGatherTuple {
    /// The tuple of the futures' `Ok` values, in the same order.
    type Ok;
    /// The common error type.
    type Error;

    /// Runs every future concurrently; returns every value, or the first
    /// error as soon as it happens (dropping the futures still running).
    fn try_gather(self) -> impl Future<Output = Result<Self::Ok, Self::Error>>;
}

macro_rules! impl_gather_tuple {
    ($($F:ident $T:ident $f:ident),+) => {
        impl<$($F: Future),+> GatherTuple for ($($F,)+) {
            type Output = ($($F::Output,)+);

            #[allow(non_snake_case)]
            fn gather(self) -> impl Future<Output = Self::Output> {
                let ($($f,)+) = self;
                // Dropped before it finished, the gather cancels the tasks
                // it was awaiting, as asyncio's gather cancels its children.
                CancelOnDrop::new(async move {
                    $(let $f = pin!($f);)+
                    $(let mut $f = Slot::Running($f);)+
                    std::future::poll_fn(move |cx| {
                        let mut all = true;
                        // Every future is polled on every turn, so a slow
                        // one never starves the others.
                        $(all &= $f.poll_done(cx);)+
                        if all {
                            Poll::Ready(($($f.take(),)+))
                        } else {
                            Poll::Pending
                        }
                    })
                    .await
                })
            }
        }

        impl<Err, $($T,)+ $($F: Future<Output = Result<$T, Err>>),+> TryGatherTuple
            for ($($F,)+)
        {
            type Ok = ($($T,)+);
            type Error = Err;

            fn try_gather(self) -> impl Future<Output = Result<Self::Ok, Err>> {
                let ($($f,)+) = self;
                CancelOnDrop::new(async move {
                    $(let $f = pin!($f);)+
                    $(let mut $f = Slot::Running($f);)+
                    std::future::poll_fn(move |cx| {
                        let mut all = true;
                        $(
                            match $f.try_poll_done(cx) {
                                Ok(done) => all &= done,
                                Err(e) => return Poll::Ready(Err(e)),
                            }
                        )+
                        if all {
                            Poll::Ready(Ok(($($f.take_ok(),)+)))
                        } else {
                            Poll::Pending
                        }
                    })
                    .await
                })
            }
        }
    };
}

impl_gather_tuple!(A TA a);
impl_gather_tuple!(A TA a, B TB b);
impl_gather_tuple!(A TA a, B TB b, C TC c);
impl_gather_tuple!(A TA a, B TB b, C TC c, D TD d);
impl_gather_tuple!(A TA a, B TB b, C TC c, D TD d, E TE e);
impl_gather_tuple!(A TA a, B TB b, C TC c, D TD d, E TE e, F TF f);
impl_gather_tuple!(A TA a, B TB b, C TC c, D TD d, E TE e, F TF f, G TG g);
impl_gather_tuple!(A TA a, B TB b, C TC c, D TD d, E TE e, F TF f, G TG g, H TH h);
impl_gather_tuple!(A TA a, B TB b, C TC c, D TD d, E TE e, F TF f, G TG g, H TH h, I TI i);
impl_gather_tuple!(
    A TA a, B TB b, C TC c, D TD d, E TE e, F TF f, G TG g, H TH h, I TI i, J TJ j
);
impl_gather_tuple!(
    A TA a, B TB b, C TC c, D TD d, E TE e, F TF f, G TG g, H TH h, I TI i, J TJ j, K TK k
);
impl_gather_tuple!(
    A TA a, B TB b, C TC c, D TD d, E TE e, F TF f, G TG g, H TH h, I TI i, J TJ j, K TK k,
    L TL l
);

/// Runs futures side by side and gives their outputs as a tuple in argument
/// order, as asyncio's `await gather(a, b, c)`.
///
/// `gather!(a, b, ..)` evaluates to a future (await it); the arguments are
/// anything [`IntoFuture`](std::future::IntoFuture), of different types, 1 to
/// 12 of them. They run inside the gathering future, so they may borrow. For
/// any number of futures of one type use [`gather_all`](crate::task::gather_all).
///
/// Dropped before it finished, the gather aborts the tasks whose handles it
/// awaited (asyncio cancels a cancelled gather's children); a plain dropped
/// `JoinHandle` would detach its task.
///
/// ```
/// # ringio::run(async {
/// use ringio::{gather, spawn};
///
/// let (n, s) = gather!(async { 1 + 1 }, async { "two" }).await;
/// assert_eq!((n, s), (2, "two"));
///
/// // Tasks too: each gives Result<T, JoinError>.
/// let (a, b) = gather!(spawn(async { 'a' }), spawn(async { 'b' })).await;
/// assert_eq!((a.unwrap(), b.unwrap()), ('a', 'b'));
/// # }).unwrap();
/// ```
#[macro_export]
macro_rules! gather {
    ($($future:expr),+ $(,)?) => {
        $crate::task::GatherTuple::gather((
            $(::core::future::IntoFuture::into_future($future),)+
        ))
    };
}

/// Runs futures of `Result<_, E>` side by side: `Ok` with every value in
/// argument order, or the first `Err` as soon as one happens.
///
/// When an error comes first, the futures still running are **dropped**
/// (cancelled: their destructors run, and a spawned task's handle that is
/// dropped detaches the task rather than aborting it, as asyncio's `gather`
/// leaves the other awaitables running after the first exception). Dropping
/// the `try_gather!` itself before it finished aborts the tasks it awaited,
/// as [`gather!`]. All the futures must share one error type.
///
/// ```
/// # ringio::run(async {
/// use std::time::Duration;
/// use ringio::{time::sleep, try_gather};
///
/// let ok = try_gather!(async { Ok::<_, String>(1) }, async { Ok(2) }).await;
/// assert_eq!(ok, Ok((1, 2)));
///
/// let slow = async {
///    sleep(Duration::from_secs(600)).await;
///    Ok::<u32, String>(0)
/// };
/// let failed = try_gather!(slow, async { Err::<u32, _>("boom".to_string()) }).await;
/// assert_eq!(failed, Err("boom".to_string())); // without waiting 600 s
/// # }).unwrap();
/// ```
#[macro_export]
macro_rules! try_gather {
    ($($future:expr),+ $(,)?) => {
        $crate::task::TryGatherTuple::try_gather((
            $(::core::future::IntoFuture::into_future($future),)+
        ))
    };
}

/// Runs every future of `futures` side by side and gives their outputs in
/// iteration order, as asyncio's `await gather(*aws)`.
///
/// Each future is boxed once (the set's size is known only at run time);
/// they run inside the returned future and may borrow. An empty iterator
/// gives an empty `Vec` at once.
///
/// ```
/// # ringio::run(async {
/// use std::time::Duration;
/// use ringio::{task::gather_all, time::sleep};
///
/// let squares = gather_all((1..=4u64).map(|i| async move {
///    sleep(Duration::from_millis(40 - 10 * i)).await; // last finishes first
///    i * i
/// }))
/// .await;
/// assert_eq!(squares, [1, 4, 9, 16]);
/// # }).unwrap();
/// ```
///
/// `gather(*aws)`.
///
/// asyncio's `gather` runs awaitables side by side and returns their results
/// in argument order, whatever order they finish in. Here:
///
/// - [`gather!`](crate::gather)`(a, b, c)` is a future of the tuple
///   `(a_out, b_out, c_out)`, for up to 12 futures of any types;
/// - [`gather_all`]`(iter)` is a future of a `Vec` in iteration order, for any
///   number of futures of one type;
/// - [`try_gather!`](crate::try_gather) and [`try_gather_all`] take futures
///   of `Result<_, E>`: they return `Ok` with every value, or the **first**
///   `Err` as soon as it happens. The other futures are then dropped, which
///   cancels them (their destructors run); nothing of theirs keeps running.
///
/// The futures run concurrently *inside* the gathering future (they are
/// polled by it, not spawned), so they may borrow from the caller and need
/// not be `'static`. Spawned tasks gather the same way: a
/// [`JoinHandle`](super::JoinHandle) is a future, and gathering handles gives
/// one `Result<T, JoinError>` per task, which is asyncio's
/// `gather(..., return_exceptions=True)`.
///
/// **Dropping a gather cancels its tasks**, as cancelling asyncio's gather
/// cancels its children: when a gather (any of the four forms) is dropped
/// before it finished (an outer timeout, `select!`, its task aborted), the
/// tasks whose handles it awaited, directly or inside its futures, are
/// aborted, where a plain dropped `JoinHandle` detaches its task. To let
/// them run on, [`shield`](super::shield) them.
///
/// ```
/// use std::time::Duration;
/// use ringio::{gather, run, time::sleep};
///
/// async fn after(ms: u64, value: &'static str) -> &'static str {
///     sleep(Duration::from_millis(ms)).await;
///     value
/// }
///
/// run(async {
///     // The slowest comes first: results are still in argument order.
///     let (a, b, n) = gather!(after(30, "a"), after(10, "b"), async { 3 }).await;
///     assert_eq!((a, b, n), ("a", "b", 3));
/// })
/// .unwrap();
/// ```
pub fn gather_all<I>(futures: I) -> GatherAll<<I::Item as IntoFuture>::IntoFuture>
where
    I: IntoIterator,
    I::Item: IntoFuture,
{
    GatherAll {
        slots: futures
            .into_iter()
            .map(|f| Slot::Running(Box::pin(f.into_future())))
            .collect(),
    }
}

/// The future of [`gather_all`].
#[must_use = "futures do nothing unless awaited"]
pub struct GatherAll<F: Future> {
    slots: Vec<Slot<Pin<Box<F>>>>,
}

// The futures are boxed and outputs are never pinned: moving is fine.
impl<F: Future> Unpin for GatherAll<F> {}

impl<F: Future> Future for GatherAll<F> {
    type Output = Vec<F::Output>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut all = true;
        for slot in self.slots.iter_mut() {
            all &= slot.poll_done(cx);
        }
        if all {
            Poll::Ready(self.slots.iter_mut().map(Slot::take).collect())
        } else {
            Poll::Pending
        }
    }
}

impl<F: Future> Drop for GatherAll<F> {
    fn drop(&mut self) {
        // Dropped before it finished: cancels the tasks it was awaiting.
        cancelling(|| self.slots.clear());
    }
}

impl<F: Future> std::fmt::Debug for GatherAll<F> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let running = self
            .slots
            .iter()
            .filter(|s| matches!(s, Slot::Running(_)))
            .count();
        f.debug_struct("GatherAll")
            .field("futures", &self.slots.len())
            .field("running", &running)
            .finish()
    }
}

/// Runs every future of `Result<T, E>` side by side: `Ok` with every value in
/// iteration order, or the first `Err` as soon as one happens, the others
/// then being dropped (cancelled), as [`try_gather!`](crate::try_gather).
///
/// ```
/// # ringio::run(async {
/// use ringio::task::try_gather_all;
///
/// let parsed = try_gather_all(["1", "2", "3"].map(|s| async move { s.parse::<u8>() })).await;
/// assert_eq!(parsed, Ok(vec![1, 2, 3]));
/// let failed = try_gather_all(["1", "x"].map(|s| async move { s.parse::<u8>() })).await;
/// assert!(failed.is_err());
/// # }).unwrap();
/// ```
pub fn try_gather_all<I, T, E>(futures: I) -> TryGatherAll<<I::Item as IntoFuture>::IntoFuture>
where
    I: IntoIterator,
    I::Item: IntoFuture<Output = Result<T, E>>,
{
    TryGatherAll {
        slots: futures
            .into_iter()
            .map(|f| Slot::Running(Box::pin(f.into_future())))
            .collect(),
    }
}

/// The future of [`try_gather_all`].
#[must_use = "futures do nothing unless awaited"]
pub struct TryGatherAll<F: Future> {
    slots: Vec<Slot<Pin<Box<F>>>>,
}

// As for GatherAll: boxed futures, unpinned outputs.
impl<F: Future> Unpin for TryGatherAll<F> {}

impl<T, E, F: Future<Output = Result<T, E>>> Future for TryGatherAll<F> {
    type Output = Result<Vec<T>, E>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut all = true;
        for slot in self.slots.iter_mut() {
            match slot.try_poll_done(cx) {
                Ok(done) => all &= done,
                Err(e) => {
                    // Cancel the rest now rather than when this is dropped.
                    self.slots.clear();
                    return Poll::Ready(Err(e));
                }
            }
        }
        if all {
            Poll::Ready(Ok(self.slots.iter_mut().map(Slot::take_ok).collect()))
        } else {
            Poll::Pending
        }
    }
}

impl<F: Future> Drop for TryGatherAll<F> {
    fn drop(&mut self) {
        // As GatherAll: dropped before it finished, it cancels its tasks.
        cancelling(|| self.slots.clear());
    }
}

impl<F: Future> std::fmt::Debug for TryGatherAll<F> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TryGatherAll")
            .field("futures", &self.slots.len())
            .finish()
    }
}

//! `select!`, `select2` and `race`: the first of several futures wins.

use std::fmt;
use std::future::{poll_fn, Future, IntoFuture};
use std::pin::{pin, Pin};
use std::task::{Context, Poll};

/// Which of two futures finished first, with its output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Either<L, R> {
    /// The first future won.
    Left(L),
    /// The second future won.
    Right(R),
}

/// Runs `a` and `b` until one finishes and returns its output; the other is
/// dropped (cancelled). When both are ready at the same poll, `a` wins.
///
/// ```
/// # ringio::run(async {
/// use std::time::Duration;
/// use ringio::task::{select2, Either};
/// use ringio::time::sleep;
///
/// match select2(sleep(Duration::from_secs(600)), async { "now" }).await {
///    Either::Left(()) => unreachable!(),
///    Either::Right(s) => assert_eq!(s, "now"),
/// }
/// # }).unwrap();
/// ```
///
/// For more than two futures, [`select!`](crate::select) and [`race`] run
/// them all until the first finishes, and drop (cancel) the others.
///
/// asyncio spells this `wait(..., return_when=FIRST_COMPLETED)` followed by
/// cancelling the rest; in Rust, dropping a future cancels it, so the losers
/// are simply dropped as soon as a winner is known (their destructors run).
/// To wait for the first *task* without cancelling the others, use
/// [`wait`](super::wait) with [`ReturnWhen::FirstCompleted`](super::ReturnWhen).
///
/// **Bias.** Futures are polled in the order written, so when several are
/// ready at the same poll, the first one wins. Put the branch that must not
/// starve (a shutdown signal, a deadline) first.
///
/// ```
/// use std::time::Duration;
/// use ringio::{run, select, time::sleep};
///
/// run(async {
///     let answer = select! {
///         _ = sleep(Duration::from_secs(600)) => "slow",
///         n = async { 42 } => if n == 42 { "fast" } else { "odd" },
///     };
///     assert_eq!(answer, "fast");
/// })
/// .unwrap();
/// ```
pub async fn select2<A, B>(a: A, b: B) -> Either<A::Output, B::Output>
where
    A: IntoFuture,
    B: IntoFuture,
{
    let mut a = pin!(a.into_future());
    let mut b = pin!(b.into_future());
    poll_fn(|cx| {
        if let Poll::Ready(v) = a.as_mut().poll(cx) {
            return Poll::Ready(Either::Left(v));
        }
        if let Poll::Ready(v) = b.as_mut().poll(cx) {
            return Poll::Ready(Either::Right(v));
        }
        Poll::Pending
    })
    .await
}

/// Runs every future of `futures` until one finishes, and gives its index
/// and output; the others are dropped (cancelled). Ties go to the lowest
/// index. With no futures at all there is no winner: `None`, at once.
///
/// ```
/// # ringio::run(async {
/// use std::time::Duration;
/// use ringio::{task::race, time::sleep};
///
/// let mirrors = [30u64, 10, 20].map(|ms| async move {
///    sleep(Duration::from_millis(ms)).await;
///    ms
/// });
/// assert_eq!(race(mirrors).await, Some((1, 10)));
/// # }).unwrap();
/// ```
pub fn race<I>(futures: I) -> Race<<I::Item as IntoFuture>::IntoFuture>
where
    I: IntoIterator,
    I::Item: IntoFuture,
{
    Race {
        futures: futures
            .into_iter()
            .map(|f| Box::pin(f.into_future()))
            .collect(),
    }
}

/// The future of [`race`].
#[must_use = "futures do nothing unless awaited"]
pub struct Race<F> {
    futures: Vec<Pin<Box<F>>>,
}

impl<F: Future> Future for Race<F> {
    type Output = Option<(usize, F::Output)>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        if self.futures.is_empty() {
            return Poll::Ready(None);
        }
        for (i, f) in self.futures.iter_mut().enumerate() {
            if let Poll::Ready(v) = f.as_mut().poll(cx) {
                // Cancel the losers now, not whenever the Race is dropped.
                self.futures.clear();
                return Poll::Ready(Some((i, v)));
            }
        }
        Poll::Pending
    }
}

impl<F> fmt::Debug for Race<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Race")
            .field("futures", &self.futures.len())
            .finish()
    }
}

/// Waits for the first of several futures, runs that branch's expression
/// with its output, and drops (cancels) the other futures.
///
/// ```text
/// select! {
///    pattern = future => expression,
///    ...
/// }
/// ```
///
/// `select!` must be used inside an async context (it awaits); it evaluates
/// to the chosen branch's expression. Branch expressions run after the other
/// futures were dropped, in the caller's scope, so `?`, `return`, `break` and
/// `continue` work in them. Patterns must be irrefutable (`v`, `_`,
/// `(a, b)`); match on the value inside the expression. Futures are polled
/// in the order written (the first ready one wins). Any number of branches
/// from one.
///
/// ```
/// # ringio::run(async {
/// use std::time::Duration;
/// use ringio::{select, time::sleep};
///
/// let mut ticks = 0;
/// loop {
///    select! {
///        _ = sleep(Duration::from_millis(1)) => ticks += 1,
///        _ = sleep(Duration::from_secs(600)) => unreachable!(),
///    }
///    if ticks == 3 {
///        break;
///    }
/// }
/// # }).unwrap();
/// ```
#[macro_export]
macro_rules! select {
    ($pat:pat = $future:expr => $body:expr $(,)?) => {
        match ::core::future::IntoFuture::into_future($future).await {
            $pat => $body,
        }
    };
    ($pat:pat = $future:expr => $body:expr, $($rest:tt)+) => {
        match $crate::task::select2($future, $crate::__select_future!($($rest)+)).await {
            $crate::task::Either::Left($pat) => $body,
            $crate::task::Either::Right(__ringio_rest) => {
                $crate::__select_branch!(__ringio_rest; $($rest)+)
            }
        }
    };
}

/// The nested `select2` future of the branches of a `select!`.
#[doc(hidden)]
#[macro_export]
macro_rules! __select_future {
    ($pat:pat = $future:expr => $body:expr $(,)?) => {
        $future
    };
    ($pat:pat = $future:expr => $body:expr, $($rest:tt)+) => {
        $crate::task::select2($future, $crate::__select_future!($($rest)+))
    };
}

/// The nested `match` that picks a `select!` branch from a nested `Either`.
#[doc(hidden)]
#[macro_export]
macro_rules! __select_branch {
    ($value:ident; $pat:pat = $future:expr => $body:expr $(,)?) => {
        match $value {
            $pat => $body,
        }
    };
    ($value:ident; $pat:pat = $future:expr => $body:expr, $($rest:tt)+) => {
        match $value {
            $crate::task::Either::Left($pat) => $body,
            $crate::task::Either::Right(__ringio_rest) => {
                $crate::__select_branch!(__ringio_rest; $($rest)+)
            }
        }
    };
}

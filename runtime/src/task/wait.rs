//! `wait` and `wait_with`: asyncio's `wait(aws, timeout=, return_when=)`.

use std::future::{poll_fn, Future};
use std::pin::pin;
use std::task::Poll;
use std::time::Duration;

use super::{Finished, JoinError, JoinHandle};
use crate::time::sleep;

/// When [`wait`] returns (asyncio's `return_when`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReturnWhen {
    /// As soon as at least one task has finished (`FIRST_COMPLETED`).
    FirstCompleted,
    /// As soon as one task raised (panicked, or gave an output that its
    /// [`Outcome`] calls an exception); when none does, when all have
    /// finished (`FIRST_EXCEPTION`).
    FirstException,
    /// When every task has finished (`ALL_COMPLETED`).
    AllCompleted,
}

/// Whether a task's output is an "exception" for
/// [`ReturnWhen::FirstException`].
///
/// `Result` is an exception when it is `Err`; the common plain types never
/// are. Implement it for your own output types, or use [`wait_with`].
#[diagnostic::on_unimplemented(
    message = "`wait` cannot tell whether a `{Self}` is an exception",
    label = "tasks with this output type",
    note = "implement `ringio::task::Outcome` for `{Self}`, or call `wait_with(handles, when, timeout, |out| ...)` with your own test"
)]
pub trait Outcome {
    /// True when this output means the task failed.
    fn is_exception(&self) -> bool;
}

impl<T, E> Outcome for Result<T, E> {
    fn is_exception(&self) -> bool {
        self.is_err()
    }
}

macro_rules! never_exceptional {
    ($($t:ty),+) => {
        $(impl Outcome for $t {
            fn is_exception(&self) -> bool {
                false
            }
        })+
    };
}

never_exceptional!(
    (),
    bool,
    char,
    u8,
    u16,
    u32,
    u64,
    u128,
    usize,
    i8,
    i16,
    i32,
    i64,
    i128,
    isize,
    f32,
    f64,
    String,
    &'static str
);

impl<T> Outcome for Vec<T> {
    fn is_exception(&self) -> bool {
        false
    }
}

impl<T> Outcome for Option<T> {
    /// `None` is a value, not a failure.
    fn is_exception(&self) -> bool {
        false
    }
}

/// Waits for the tasks of `handles` until `return_when` holds or `timeout`
/// passes, and returns `(done, pending)`, as asyncio's
/// `done, pending = await wait(tasks, timeout=, return_when=)`.
///
/// `done` holds the finished tasks' results in the order they were seen
/// finishing (each with its index in `handles`); `pending` the handles of the
/// others, in their order in `handles`. Nothing is cancelled, on return or on
/// timeout (a timeout is not an error: it just returns early). An empty
/// `handles` returns at once. See below for what counts as an
/// exception.
///
/// # What counts as an exception
///
/// For [`ReturnWhen::FirstException`], a task "raised" when
///
/// - it **panicked** (`Err(JoinError::Panic)`), or
/// - it returned a value that its type's [`Outcome`] calls an exception: for
///   a `Result`, an `Err`.
///
/// A task that was **cancelled** does not count, as in asyncio (a cancelled
/// task is done, but did not raise). Outputs other than `Result` implement
/// [`Outcome`] as never exceptional (`()`, numbers, `String`, ...); for any
/// other output type, or another rule, use [`wait_with`] and a predicate.
///
/// ```
/// use std::time::Duration;
/// use ringio::task::{wait, ReturnWhen};
/// use ringio::{run, spawn, time::sleep};
///
/// run(async {
///     let tasks = [30u64, 10, 600_000].map(|ms| {
///         spawn(async move {
///             sleep(Duration::from_millis(ms)).await;
///             ms
///         })
///     });
///     // Whatever finishes within 100 ms; nothing is cancelled.
///     let (done, pending) = wait(tasks, ReturnWhen::AllCompleted, Some(Duration::from_millis(100))).await;
///     let mut values: Vec<u64> = done.into_iter().map(|d| d.result.unwrap()).collect();
///     values.sort();
///     assert_eq!(values, [10, 30]);
///     assert_eq!(pending.len(), 1);
///     assert!(!pending[0].is_finished());
///     pending[0].abort(); // our choice, not wait's
/// })
/// .unwrap();
/// ```
pub async fn wait<T, I>(
    handles: I,
    return_when: ReturnWhen,
    timeout: Option<Duration>,
) -> (Vec<Finished<T>>, Vec<JoinHandle<T>>)
where
    T: Outcome,
    I: IntoIterator<Item = JoinHandle<T>>,
{
    wait_with(handles, return_when, timeout, T::is_exception).await
}

/// [`wait`], with `is_exception` deciding which outputs count as exceptions
/// for [`ReturnWhen::FirstException`] (panics always count, cancellations
/// never do).
///
/// ```
/// # ringio::run(async {
/// use ringio::spawn;
/// use ringio::task::{wait_with, ReturnWhen};
///
/// struct Reply { status: u16 }
/// let tasks = vec![spawn(async { Reply { status: 200 } }), spawn(async { Reply { status: 500 } })];
/// let (done, _pending) =
///    wait_with(tasks, ReturnWhen::FirstException, None, |r: &Reply| r.status >= 500).await;
/// assert!(done.iter().any(|d| matches!(&d.result, Ok(r) if r.status == 500)));
/// # }).unwrap();
/// ```
pub async fn wait_with<T, I, P>(
    handles: I,
    return_when: ReturnWhen,
    timeout: Option<Duration>,
    mut is_exception: P,
) -> (Vec<Finished<T>>, Vec<JoinHandle<T>>)
where
    I: IntoIterator<Item = JoinHandle<T>>,
    P: FnMut(&T) -> bool,
{
    let mut slots: Vec<Option<JoinHandle<T>>> = handles.into_iter().map(Some).collect();
    let mut done = Vec::new();
    let mut timer = pin!(timeout.map(sleep));
    let mut running = slots.len();
    let mut raised = false;
    if running > 0 {
        poll_fn(|cx| {
            for (index, slot) in slots.iter_mut().enumerate() {
                let Some(handle) = slot else { continue };
                if let Poll::Ready(result) = handle.poll_detached(cx) {
                    raised |= match &result {
                        Ok(v) => is_exception(v),
                        Err(e) => is_raise(e),
                    };
                    done.push(Finished {
                        index,
                        id: handle.id(),
                        result,
                    });
                    *slot = None;
                    running -= 1;
                }
            }
            let satisfied = running == 0
                || match return_when {
                    ReturnWhen::FirstCompleted => !done.is_empty(),
                    ReturnWhen::FirstException => raised,
                    ReturnWhen::AllCompleted => false,
                };
            if satisfied {
                return Poll::Ready(());
            }
            match timer.as_mut().as_pin_mut().map(|t| t.poll(cx)) {
                Some(Poll::Ready(())) => Poll::Ready(()),
                _ => Poll::Pending,
            }
        })
        .await;
    }
    (done, slots.into_iter().flatten().collect())
}

/// A panic is asyncio's raised exception; a cancellation is not.
fn is_raise(e: &JoinError) -> bool {
    e.is_panic()
}

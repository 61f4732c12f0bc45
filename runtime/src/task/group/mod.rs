//! `TaskGroup`: asyncio's `async with TaskGroup() as tg:`.

mod child;
mod error;

pub use child::ChildHandle;
pub use error::{ChildError, Failure, GroupError, SpawnError};

use std::cell::RefCell;
use std::fmt;
use std::future::{poll_fn, Future};
use std::pin::{pin, Pin};
use std::rc::Rc;
use std::task::{Poll, Waker};

use slab::Slab;

use super::contain::call_catching;
use super::{AbortHandle, Builder};
use child::{run_child, Member};

/// A group of tasks that succeed or fail together, as asyncio's
/// `TaskGroup`. `E` is the error type the children and the body
/// return.
///
/// The value given to the body of [`TaskGroup::run`] is a handle to the
/// group: clone it into children so that they can spawn siblings.
///
/// [`TaskGroup::run`] runs a *body* that spawns *children* into the group,
/// then waits for every child. The rules are asyncio's:
///
/// - The **first failure** (a child returning `Err` or panicking, or the body
///   returning `Err`) cancels every other child and the body, which are
///   dropped at their next suspension point (their destructors run). The
///   cancel lands once the children already woken in that turn of the loop
///   had their turn, so those that fail in the same turn are reported too.
/// - The group returns only when every child has ended, with `Ok(body's
///   value)`, or `Err(GroupError)` holding **all** the failures, in order.
/// - Once a failure happened, [`TaskGroup::spawn`] refuses new children
///   ([`SpawnError::Aborted`]); after the group ended, [`SpawnError::Closed`].
/// - A child cancelled by hand ([`ChildHandle::abort`]) is not a failure.
/// - Dropping the group's future (an outer timeout, say) aborts every child.
///
/// ```
/// use std::time::Duration;
/// use ringio::{run, task::TaskGroup, time::sleep};
///
/// run(async {
///     let result = TaskGroup::run(|tg| async move {
///         let a = tg.spawn(async {
///             sleep(Duration::from_millis(10)).await;
///             Ok::<_, String>(1)
///         })?;
///         let b = tg.spawn(async { Ok(2) })?;
///         Ok((a, b))
///     })
///     .await;
///     let (a, b) = result.unwrap();
///     // The group waited for both: their results are there.
///     assert_eq!(a.await, Ok(1));
///     assert_eq!(b.await, Ok(2));
///
///     let failed = TaskGroup::<String>::run(|tg| async move {
///         tg.spawn(async {
///             sleep(Duration::from_secs(600)).await; // cancelled, not waited for
///             Ok(())
///         })?;
///         tg.spawn(async { Err::<(), _>("boom".to_string()) })?;
///         Ok(())
///     })
///     .await;
///     let err = failed.unwrap_err();
///     assert_eq!(err.errors().collect::<Vec<_>>(), ["boom"]);
/// })
/// .unwrap();
/// ```
///
/// `?` on a [`SpawnError`] inside the body needs `E: From<SpawnError>`;
/// `String`, `std::io::Error` and `Box<dyn Error>` have it.
pub struct TaskGroup<E> {
    shared: Shared<E>,
}

impl<E> Clone for TaskGroup<E> {
    fn clone(&self) -> Self {
        TaskGroup {
            shared: self.shared.clone(),
        }
    }
}

impl<E> fmt::Debug for TaskGroup<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.shared.0.borrow();
        f.debug_struct("TaskGroup")
            .field("children", &state.children.len())
            .field("failures", &state.failures.len())
            .field("aborted", &state.aborted)
            .field("closed", &state.closed)
            .finish()
    }
}

struct State<E> {
    /// The children still alive; `None` while one is being spawned.
    children: Slab<Option<AbortHandle>>,
    failures: Vec<Failure<E>>,
    /// A failure happened: no new children, the rest is to be cancelled.
    aborted: bool,
    /// The children were aborted after the failure.
    cancelled: bool,
    /// `run` returned.
    closed: bool,
    /// The task running `run`, woken when a child ends or fails.
    waker: Option<Waker>,
}

/// The group's state, shared by its handles, its children and `run`.
struct Shared<E>(Rc<RefCell<State<E>>>);

impl<E> Clone for Shared<E> {
    fn clone(&self) -> Self {
        Shared(self.0.clone())
    }
}

impl<E> Shared<E> {
    /// A child ended, however: forget it, and tell `run` when it was the
    /// last (`run` waits for no other change; failures wake it themselves).
    fn leave(&self, key: usize) {
        let waker = {
            let mut state = self.0.borrow_mut();
            state.children.try_remove(key);
            if state.children.is_empty() {
                state.waker.take()
            } else {
                None
            }
        };
        if let Some(w) = waker {
            w.wake();
        }
    }

    /// Records a failure. The first one makes the group refuse new
    /// children and wakes `run`, which cancels the rest when it next runs:
    /// children already woken in this turn of the loop still get their
    /// turn first, and their failures are recorded too (as asyncio, whose
    /// task-group callbacks also run after the turn's ready tasks).
    fn fail(&self, failure: Failure<E>) {
        let waker = {
            let mut state = self.0.borrow_mut();
            state.failures.push(failure);
            state.aborted = true;
            state.waker.take()
        };
        if let Some(w) = waker {
            w.wake();
        }
    }

    /// Aborts every child once, after the first failure.
    fn cancel_children(&self) {
        let to_abort: Vec<AbortHandle> = {
            let mut state = self.0.borrow_mut();
            if state.cancelled {
                return;
            }
            state.cancelled = true;
            state
                .children
                .iter()
                .filter_map(|(_, h)| h.clone())
                .collect()
        };
        // Outside the borrow: dropping a handle must not run under it.
        for handle in to_abort {
            handle.abort();
        }
    }

    /// Aborts every child left (the group's future was dropped).
    fn abort_all(&self) {
        let to_abort: Vec<AbortHandle> = {
            let mut state = self.0.borrow_mut();
            state.aborted = true;
            state.closed = true;
            state
                .children
                .iter()
                .filter_map(|(_, h)| h.clone())
                .collect()
        };
        for handle in to_abort {
            handle.abort();
        }
    }
}

/// Drops the body's future in place; a panic in its destructor is a
/// failure of the group (it must not escape `run` and lose the failures
/// already collected).
fn drop_body<B, E>(mut body: Pin<&mut Option<B>>, shared: &Shared<E>) {
    if body.is_some() {
        if let Err(payload) = call_catching(|| body.set(None)) {
            shared.fail(Failure::Panic(payload));
        }
    }
}

/// Aborts the children if `run`'s future is dropped (or the body panics)
/// before they ended.
struct AbortOnDrop<E>(Shared<E>);

impl<E> Drop for AbortOnDrop<E> {
    fn drop(&mut self) {
        self.0.abort_all();
    }
}

impl<E: 'static> TaskGroup<E> {
    /// Runs `body` with a handle to a new group, then waits for every child
    /// spawned into it, as asyncio's `async with TaskGroup() as tg:`.
    ///
    /// Returns the body's value when neither it nor any child failed;
    /// otherwise every failure, after every child ended (the first failure
    /// cancels the others and the body). See the [`TaskGroup`].
    pub async fn run<F, Fut, R>(body: F) -> Result<R, GroupError<E>>
    where
        F: FnOnce(TaskGroup<E>) -> Fut,
        Fut: Future<Output = Result<R, E>>,
    {
        let shared = Shared(Rc::new(RefCell::new(State {
            children: Slab::new(),
            failures: Vec::new(),
            aborted: false,
            cancelled: false,
            closed: false,
            waker: None,
        })));
        let _abort_on_drop = AbortOnDrop(shared.clone());
        let mut body = pin!(Some(body(TaskGroup {
            shared: shared.clone(),
        })));
        let mut output = None;
        poll_fn(|cx| {
            {
                let mut state = shared.0.borrow_mut();
                match &state.waker {
                    Some(w) if w.will_wake(cx.waker()) => {}
                    _ => state.waker = Some(cx.waker().clone()),
                }
            }
            if !shared.0.borrow().aborted {
                if let Some(fut) = body.as_mut().as_pin_mut() {
                    // Not under a borrow: the body spawns into the group.
                    if let Poll::Ready(result) = fut.poll(cx) {
                        match result {
                            Ok(v) => output = Some(v),
                            Err(e) => shared.fail(Failure::Error(e)),
                        }
                        drop_body(body.as_mut(), &shared);
                    }
                }
            }
            if shared.0.borrow().aborted {
                // Cancel the body and every child.
                drop_body(body.as_mut(), &shared);
                shared.cancel_children();
            }
            if body.is_none() && shared.0.borrow().children.is_empty() {
                Poll::Ready(())
            } else {
                Poll::Pending
            }
        })
        .await;
        let failures = {
            let mut state = shared.0.borrow_mut();
            state.closed = true;
            state.waker = None;
            std::mem::take(&mut state.failures)
        };
        match output {
            Some(v) if failures.is_empty() => Ok(v),
            _ => Err(GroupError { failures }),
        }
    }

    /// Spawns `future` as a child of the group, as asyncio's
    /// `tg.create_task(coro)`. It starts at the loop's next turn.
    ///
    /// An `Err` it returns, or a panic, fails the group (see the
    /// [`TaskGroup`]). Refused, with the future dropped unpolled, when
    /// the group is cancelling or has ended, or when no loop runs here.
    #[track_caller]
    pub fn spawn<T, F>(&self, future: F) -> Result<ChildHandle<T>, SpawnError>
    where
        T: 'static,
        F: Future<Output = Result<T, E>> + 'static,
    {
        self.spawn_with(Builder::new(), future)
    }

    /// [`spawn`](TaskGroup::spawn), with the child's name (shown by
    /// `all_tasks()`), as `tg.create_task(coro, name=...)`.
    #[track_caller]
    pub fn spawn_named<T, F>(
        &self,
        name: impl Into<String>,
        future: F,
    ) -> Result<ChildHandle<T>, SpawnError>
    where
        T: 'static,
        F: Future<Output = Result<T, E>> + 'static,
    {
        self.spawn_with(Builder::new().name(name), future)
    }

    #[track_caller]
    fn spawn_with<T, F>(&self, builder: Builder, future: F) -> Result<ChildHandle<T>, SpawnError>
    where
        T: 'static,
        F: Future<Output = Result<T, E>> + 'static,
    {
        let key = {
            let mut state = self.shared.0.borrow_mut();
            if state.closed {
                return Err(SpawnError::Closed);
            }
            if state.aborted {
                return Err(SpawnError::Aborted);
            }
            state.children.insert(None)
        };
        let member = Member {
            group: self.shared.clone(),
            key,
        };
        // On failure the wrapper (and the member in it) is dropped, which
        // removes the key again.
        let handle = builder
            .spawn(run_child(member, future))
            .map_err(SpawnError::NoRuntime)?;
        if let Some(slot) = self.shared.0.borrow_mut().children.get_mut(key) {
            *slot = Some(handle.abort_handle());
        }
        Ok(ChildHandle { handle })
    }

    /// True once a failure made the group cancel (spawning is then refused).
    pub fn is_aborted(&self) -> bool {
        self.shared.0.borrow().aborted
    }

    /// How many children are alive.
    pub fn len(&self) -> usize {
        self.shared.0.borrow().children.len()
    }

    /// True when no child is alive.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

//! [`Barrier`]: asyncio's `Barrier`, a meeting point for a fixed number of tasks.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use crate::shim::{lock, Mutex};
use crate::waiters::{Key, WaitList, Wakeups};

/// Lets `parties` tasks wait for each other (asyncio's `Barrier`).
///
/// Each [`wait`](Barrier::wait) blocks until `parties` tasks are waiting, then
/// all of them return, each with a distinct arrival index in `0..parties`
/// (0 for the first to arrive), and the barrier is ready for the next round.
///
/// [`abort`](Barrier::abort) breaks the barrier: current and future waits
/// return [`BrokenBarrierError`] until [`reset`](Barrier::reset), which breaks
/// the current round only and makes the barrier usable again. A wait that is
/// dropped before the round completes leaves the barrier, which then needs one
/// more arrival.
///
/// ```
/// # ringio::sync::block_on_for_doctests(async {
/// use ringio::sync::Barrier;
///
/// let barrier = Barrier::new(1);
/// assert_eq!(barrier.wait().await, Ok(0));
/// barrier.abort();
/// assert!(barrier.wait().await.is_err());
/// # });
/// ```
pub struct Barrier {
    state: Mutex<State>,
}

struct State {
    parties: usize,
    broken: bool,
    /// The tasks of the current round, in arrival order.
    waiters: WaitList<Outcome>,
}

#[derive(Debug, Clone, Copy)]
enum Outcome {
    Pending,
    Passed(usize),
    Broken,
}

impl State {
    /// Wakes everyone waiting with `outcome(i)` for the i-th in line.
    fn finish_round(&mut self, wakeups: &mut Wakeups, outcome: impl Fn(usize) -> Outcome) {
        let mut index = 0;
        while let Some(slot) = self.waiters.front_mut() {
            *slot = outcome(index);
            wakeups.push(self.waiters.notify_front());
            index += 1;
        }
    }
}

impl Barrier {
    /// A barrier for `parties` tasks. A barrier for 0 or 1 task never blocks.
    pub fn new(parties: usize) -> Self {
        Self {
            state: Mutex::new(State {
                parties,
                broken: false,
                waiters: WaitList::new(),
            }),
        }
    }

    /// Waits until `parties` tasks are waiting; returns this task's arrival
    /// index in the round, or [`BrokenBarrierError`] if the barrier is or
    /// gets broken by [`abort`](Barrier::abort) or [`reset`](Barrier::reset).
    pub fn wait(&self) -> BarrierWait<'_> {
        BarrierWait {
            barrier: self,
            key: None,
        }
    }

    /// Breaks the barrier: waiting tasks and later waits get
    /// [`BrokenBarrierError`] until [`reset`](Barrier::reset).
    pub fn abort(&self) {
        let mut wakeups = Wakeups::new();
        {
            let mut state = lock(&self.state);
            state.broken = true;
            state.finish_round(&mut wakeups, |_| Outcome::Broken);
        }
        wakeups.wake();
    }

    /// Returns the barrier to its empty, unbroken state. Tasks waiting in the
    /// current round get [`BrokenBarrierError`].
    pub fn reset(&self) {
        let mut wakeups = Wakeups::new();
        {
            let mut state = lock(&self.state);
            state.broken = false;
            state.finish_round(&mut wakeups, |_| Outcome::Broken);
        }
        wakeups.wake();
    }

    /// How many tasks must wait for the barrier to let them through.
    pub fn parties(&self) -> usize {
        lock(&self.state).parties
    }

    /// How many tasks are waiting in the current round.
    pub fn n_waiting(&self) -> usize {
        lock(&self.state).waiters.len()
    }

    /// Whether the barrier is broken.
    pub fn is_broken(&self) -> bool {
        lock(&self.state).broken
    }
}

impl fmt::Debug for Barrier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = lock(&self.state);
        f.debug_struct("Barrier")
            .field("parties", &state.parties)
            .field("waiting", &state.waiters.len())
            .field("broken", &state.broken)
            .finish()
    }
}

/// The future returned by [`Barrier::wait`].
#[must_use = "futures do nothing unless polled"]
pub struct BarrierWait<'a> {
    barrier: &'a Barrier,
    key: Option<Key>,
}

impl Future for BarrierWait<'_> {
    type Output = Result<usize, BrokenBarrierError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        let mut wakeups = Wakeups::new();
        let result = {
            let mut state = lock(&this.barrier.state);
            match this.key {
                None if state.broken => Poll::Ready(Err(BrokenBarrierError(()))),
                None if state.waiters.len() + 1 >= state.parties => {
                    // Last to arrive: release the round.
                    let index = state.waiters.len();
                    state.finish_round(&mut wakeups, Outcome::Passed);
                    Poll::Ready(Ok(index))
                }
                None => {
                    let waker = Some(cx.waker().clone());
                    this.key = Some(state.waiters.push_back(waker, Outcome::Pending));
                    Poll::Pending
                }
                Some(key) => match state.waiters.poll(key, cx.waker()) {
                    None => Poll::Pending,
                    Some(outcome) => {
                        this.key = None;
                        match outcome {
                            Outcome::Passed(index) => Poll::Ready(Ok(index)),
                            Outcome::Broken | Outcome::Pending => {
                                Poll::Ready(Err(BrokenBarrierError(())))
                            }
                        }
                    }
                },
            }
        };
        wakeups.wake();
        result
    }
}

impl Drop for BarrierWait<'_> {
    fn drop(&mut self) {
        // Leaving before the round completes: one more arrival is needed.
        // After it completed, there is nothing to undo.
        if let Some(key) = self.key.take() {
            lock(&self.barrier.state).waiters.remove(key);
        }
    }
}

impl fmt::Debug for BarrierWait<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BarrierWait")
            .field("waiting", &self.key.is_some())
            .finish()
    }
}

/// The barrier was broken by [`Barrier::abort`] or [`Barrier::reset`] before
/// or while this task waited (asyncio's `BrokenBarrierError`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BrokenBarrierError(());

impl fmt::Display for BrokenBarrierError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(
            "the barrier is broken (aborted or reset); call `reset()` before waiting on it again",
        )
    }
}

impl std::error::Error for BrokenBarrierError {}

//! The blocking pool: `spawn_blocking`, asyncio's `to_thread` /
//! `run_in_executor`, and the home of work io_uring cannot do (DNS lookups).
//!
//! Threads are started on demand up to a bound; a thread idle for the
//! keep-alive period exits. Jobs beyond the bound wait in a FIFO queue.

use std::collections::VecDeque;
use std::future::Future;
use std::io;
use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe};
use std::pin::Pin;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::task::{Context, Poll, Waker};
use std::thread;
use std::time::Duration;

use crate::context;
use crate::error::no_runtime;
use crate::task::JoinHandle;

type Job = Box<dyn FnOnce() + Send + 'static>;

struct State {
    queue: VecDeque<Job>,
    threads: usize,
    idle: usize,
    shutdown: bool,
}

pub(crate) struct Pool {
    state: Mutex<State>,
    cond: Condvar,
    max_threads: usize,
    keep_alive: Duration,
    name: String,
}

impl Pool {
    pub(crate) fn new(max_threads: usize, keep_alive: Duration, name: String) -> Pool {
        Pool {
            state: Mutex::new(State {
                queue: VecDeque::new(),
                threads: 0,
                idle: 0,
                shutdown: false,
            }),
            cond: Condvar::new(),
            max_threads: max_threads.max(1),
            keep_alive,
            name,
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // Jobs run outside the lock and the state is plain counters and a
        // queue: a poisoned lock holds consistent data.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Threads currently alive.
    pub(crate) fn threads(&self) -> usize {
        self.lock().threads
    }

    /// Threads alive, and jobs waiting for one.
    pub(crate) fn load(&self) -> (usize, usize) {
        let st = self.lock();
        (st.threads, st.queue.len())
    }

    /// Queues `job`, starting a thread if none is idle and the bound allows.
    pub(crate) fn execute(self: &Arc<Self>, job: Job) -> io::Result<()> {
        let mut st = self.lock();
        if st.shutdown {
            return Err(io::Error::other(
                "the blocking pool has shut down with its runtime",
            ));
        }
        st.queue.push_back(job);
        if st.idle >= st.queue.len() {
            self.cond.notify_one();
            return Ok(());
        }
        if st.threads < self.max_threads {
            st.threads += 1;
            drop(st);
            let pool = self.clone();
            let spawned = thread::Builder::new()
                .name(self.name.clone())
                .spawn(move || pool.work());
            if let Err(e) = spawned {
                let mut st = self.lock();
                st.threads -= 1;
                if st.threads == 0 {
                    // Nobody will run the job: hand the error back.
                    st.queue.pop_back();
                    return Err(e);
                }
            }
        }
        Ok(())
    }

    fn work(&self) {
        let mut st = self.lock();
        loop {
            if let Some(job) = st.queue.pop_front() {
                drop(st);
                job();
                st = self.lock();
                continue;
            }
            if st.shutdown {
                break;
            }
            st.idle += 1;
            let (guard, res) = self
                .cond
                .wait_timeout(st, self.keep_alive)
                .unwrap_or_else(PoisonError::into_inner);
            st = guard;
            st.idle -= 1;
            if res.timed_out() && st.queue.is_empty() {
                break;
            }
        }
        st.threads -= 1;
    }

    /// Stops accepting jobs, drops queued ones, and lets the threads exit
    /// once their current job is done.
    pub(crate) fn shutdown(&self) {
        let mut st = self.lock();
        st.shutdown = true;
        let queued = std::mem::take(&mut st.queue);
        drop(st);
        drop(queued);
        self.cond.notify_all();
    }
}

/// The result slot shared by a blocking job and the task awaiting it.
struct Slot<T> {
    value: Option<thread::Result<T>>,
    waker: Option<Waker>,
    /// The job was dropped without running (pool shut down).
    dropped: bool,
}

struct Sender<T>(Arc<Mutex<Slot<T>>>);

impl<T> Sender<T> {
    fn send(self, v: thread::Result<T>) {
        let mut s = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        s.value = Some(v);
        if let Some(w) = s.waker.take() {
            drop(s);
            w.wake();
        }
    }
}

impl<T> Drop for Sender<T> {
    fn drop(&mut self) {
        let mut s = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if s.value.is_none() {
            s.dropped = true;
            if let Some(w) = s.waker.take() {
                drop(s);
                w.wake();
            }
        }
    }
}

struct Receiver<T>(Arc<Mutex<Slot<T>>>);

impl<T> Future for Receiver<T> {
    type Output = Option<thread::Result<T>>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut s = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(v) = s.value.take() {
            return Poll::Ready(Some(v));
        }
        if s.dropped {
            return Poll::Ready(None);
        }
        s.waker = Some(cx.waker().clone());
        Poll::Pending
    }
}

/// Runs `f` on the blocking pool and returns a handle to await its result,
/// as asyncio's `to_thread(f)` / `loop.run_in_executor(None, f)`.
///
/// A panic in `f` is reported as `JoinError::Panic`. Aborting the handle
/// stops waiting but cannot stop `f` once it runs.
///
/// # Panics
///
/// When no ringio loop runs on this thread (see [`try_spawn_blocking`]).
pub fn spawn_blocking<F, T>(f: F) -> JoinHandle<T>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    match try_spawn_blocking(f) {
        Ok(h) => h,
        Err(e) => panic!("ringio::spawn_blocking: {e}"),
    }
}

/// [`spawn_blocking`], with an error instead of a panic when no loop runs on
/// this thread or the pool cannot start a thread.
pub fn try_spawn_blocking<F, T>(f: F) -> io::Result<JoinHandle<T>>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    let handle = context::current().ok_or_else(no_runtime)?;
    let slot = Arc::new(Mutex::new(Slot {
        value: None,
        waker: None,
        dropped: false,
    }));
    let tx = Sender(slot.clone());
    let rx = Receiver(slot);
    handle.blocking.execute(Box::new(move || {
        tx.send(catch_unwind(AssertUnwindSafe(f)));
    }))?;
    Ok(handle.spawn(
        async move {
            match rx.await {
                Some(Ok(v)) => v,
                Some(Err(payload)) => resume_unwind(payload),
                None => panic!("the blocking job was dropped before it ran: its runtime shut down"),
            }
        },
        None,
    ))
}

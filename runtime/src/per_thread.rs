//! Thread-per-core: one event loop on each of several threads, each running
//! its own copy of the program's main future.
//!
//! A ringio runtime is one loop on one thread, so tasks need not be `Send`.
//! To use several cores, run several loops side by side, as glommio's
//! executor pools and monoio's thread-per-core model do; servers on
//! different loops share a port with `SO_REUSEPORT` and the kernel spreads
//! the connections between them.

use std::any::Any;
use std::future::Future;
use std::io;
use std::panic::AssertUnwindSafe;
use std::sync::{mpsc, Arc, Condvar, Mutex};

use crate::error::RuntimeError;
use crate::metrics::Siblings;
use crate::runtime::Builder;
use crate::shared::Shared;

/// Runs `make(i)` on its own new loop, on each of `threads` threads (index
/// 0 on the calling thread), with the default configuration; returns the
/// outputs in index order. See [`Builder::run_per_thread`].
///
/// ```
/// let ids = ringio::run_per_thread(3, |i| async move {
///     ringio::time::sleep(std::time::Duration::from_millis(5)).await;
///     (i, std::thread::current().id())
/// })
/// .unwrap();
/// assert_eq!(ids.iter().map(|(i, _)| *i).collect::<Vec<_>>(), [0, 1, 2]);
/// assert_ne!(ids[0].1, ids[1].1);
/// ```
pub fn run_per_thread<F, Fut>(threads: usize, make: F) -> Result<Vec<Fut::Output>, RuntimeError>
where
    F: Fn(usize) -> Fut + Sync,
    Fut: Future,
    Fut::Output: Send,
{
    Builder::new().run_per_thread(threads, make)
}

impl Builder {
    /// Runs `make(i)` on a new loop of this configuration on each of
    /// `threads` threads (index 0 on the calling thread, the others on
    /// threads named `ringio-loop-<i>`), and returns the outputs in index
    /// order once every loop has finished.
    ///
    /// Every loop is built before any future starts: if one cannot be (say
    /// io_uring is unavailable), none runs and that error is returned. A
    /// future that panics does not stop the others; the first panic is
    /// raised again on the calling thread once all loops have returned.
    /// `threads` must be at least 1.
    pub fn run_per_thread<F, Fut>(
        &self,
        threads: usize,
        make: F,
    ) -> Result<Vec<Fut::Output>, RuntimeError>
    where
        F: Fn(usize) -> Fut + Sync,
        Fut: Future,
        Fut::Output: Send,
    {
        if threads == 0 {
            return Err(RuntimeError::Io(io::Error::new(
                io::ErrorKind::InvalidInput,
                "run_per_thread needs at least one thread",
            )));
        }
        // Each spawned loop reports whether it could be built, then waits at
        // the gate until the calling thread says whether all could.
        let gate = Gate::default();
        let (report, reports) = mpsc::channel::<Result<(usize, Arc<Shared>), RuntimeError>>();
        type Joined<T> = Result<Result<Option<T>, RuntimeError>, Box<dyn Any + Send>>;
        let mut results: Vec<Joined<Fut::Output>> = Vec::with_capacity(threads);
        let mut failure = None;
        std::thread::scope(|scope| {
            let mut handles = Vec::with_capacity(threads - 1);
            for index in 1..threads {
                let report = report.clone();
                let (gate, make) = (&gate, &make);
                let spawned = std::thread::Builder::new()
                    .name(format!("ringio-loop-{index}"))
                    .spawn_scoped(scope, move || {
                        let runtime = match self.build() {
                            Ok(rt) => {
                                let _ = report.send(Ok((index, rt.handle.shared.clone())));
                                rt
                            }
                            Err(e) => {
                                let _ = report.send(Err(e));
                                return Ok(None);
                            }
                        };
                        drop(report);
                        if !gate.wait() {
                            return Ok(None);
                        }
                        runtime.block_on(make(index)).map(Some)
                    });
                match spawned {
                    Ok(h) => handles.push(h),
                    Err(e) => {
                        failure.get_or_insert(RuntimeError::Io(e));
                        break;
                    }
                }
            }
            drop(report);
            let own = match self.build() {
                Ok(rt) => Some(rt),
                Err(e) => {
                    failure.get_or_insert(e);
                    None
                }
            };
            let mut loops: Vec<Option<Arc<Shared>>> = vec![None; threads];
            loops[0] = own.as_ref().map(|rt| rt.handle.shared.clone());
            for _ in 0..handles.len() {
                match reports.recv() {
                    Ok(Ok((index, shared))) => loops[index] = Some(shared),
                    Ok(Err(e)) => {
                        failure.get_or_insert(e);
                    }
                    // A loop thread died before reporting (it panicked).
                    Err(_) => break,
                }
            }
            let go = failure.is_none();
            if go {
                // Each loop learns its siblings (for metrics::per_loop).
                let siblings: Siblings = loops
                    .iter()
                    .flatten()
                    .map(Arc::downgrade)
                    .collect::<Vec<_>>()
                    .into();
                for shared in loops.iter().flatten() {
                    let _ = shared.siblings.set(siblings.clone());
                }
            }
            drop(loops);
            gate.open(go);
            if let (true, Some(rt)) = (go, own) {
                results.push(std::panic::catch_unwind(AssertUnwindSafe(|| {
                    rt.block_on(make(0)).map(Some)
                })));
            }
            for h in handles {
                results.push(h.join());
            }
        });
        let mut outputs = Vec::with_capacity(threads);
        let mut first_panic = None;
        let mut first_error = None;
        for r in results {
            match r {
                Ok(Ok(Some(v))) => outputs.push(v),
                Ok(Ok(None)) => {}
                Ok(Err(e)) => {
                    first_error.get_or_insert(e);
                }
                Err(payload) => {
                    first_panic.get_or_insert(payload);
                }
            }
        }
        if let Some(payload) = first_panic {
            std::panic::resume_unwind(payload);
        }
        if let Some(e) = failure.or(first_error) {
            return Err(e);
        }
        Ok(outputs)
    }
}

/// Holds the spawned loops until the calling thread knows whether every
/// loop could be built.
#[derive(Default)]
struct Gate {
    decided: Mutex<Option<bool>>,
    cond: Condvar,
}

impl Gate {
    fn open(&self, go: bool) {
        *self.decided.lock().unwrap_or_else(|p| p.into_inner()) = Some(go);
        self.cond.notify_all();
    }

    /// Waits for the decision: true to run.
    fn wait(&self) -> bool {
        let mut decided = self.decided.lock().unwrap_or_else(|p| p.into_inner());
        loop {
            if let Some(go) = *decided {
                return go;
            }
            decided = self.cond.wait(decided).unwrap_or_else(|p| p.into_inner());
        }
    }
}

//! Metrics of an event loop: cheap counters, always on, readable from any
//! task of the loop ([`current`]), from the [`Runtime`](crate::Runtime)
//! ([`Runtime::metrics`](crate::Runtime::metrics)), and across the loops of
//! [`run_per_thread`](crate::run_per_thread) ([`per_loop`], summed with
//! [`RuntimeMetrics::sum`]), as tokio's `RuntimeMetrics`.
//!
//! Counters are monotonic (since the loop was built) except the gauges
//! `alive_tasks`, `ops_in_flight`, `blocking_threads` and
//! `blocking_queue_depth`. Counting costs a few plain increments on paths
//! that already do much more (a poll, a park, a submission); a snapshot
//! copies them.
//!
//! ```
//! # ringio::run(async {
//! ringio::spawn(async {}).await.unwrap();
//! let m = ringio::runtime::metrics::current().unwrap();
//! assert!(m.spawned_tasks >= 1);
//! assert!(m.polls >= 1);
//! # }).unwrap();
//! ```

use std::cell::Cell;
use std::fmt;
use std::sync::{Arc, Weak};
use std::time::{Duration, Instant};

use crate::context;
use crate::handle::Handle;
use crate::loop_handle::LoopHandle;
use crate::shared::Shared;

/// Operations of one io_uring opcode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpcodeMetrics {
    /// The opcode (`IORING_OP_*`).
    pub opcode: u8,
    /// Its name, as the kernel's `IORING_OP_` suffix in lower case
    /// (`"recv"`, `"accept"`, ...), or `"other"`.
    pub name: &'static str,
    /// Operations submitted.
    pub submitted: u64,
    /// Operations whose final completion arrived.
    pub completed: u64,
}

impl OpcodeMetrics {
    /// Submitted and not yet completed.
    pub fn in_flight(&self) -> u64 {
        self.submitted.saturating_sub(self.completed)
    }
}

/// A snapshot of one loop's counters, or the sum of several
/// ([`RuntimeMetrics::sum`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct RuntimeMetrics {
    /// Loops counted in this snapshot (1, or the number summed).
    pub loops: usize,
    /// Tasks alive (spawned, not finished). A gauge.
    pub alive_tasks: usize,
    /// Tasks spawned.
    pub spawned_tasks: u64,
    /// Polls of tasks.
    pub polls: u64,
    /// Time the loop ran (inside `block_on`) and was not parked.
    pub busy_time: Duration,
    /// Times the loop parked in the ring, waiting for something to happen.
    pub parks: u64,
    /// Operations submitted to the ring.
    pub ops_submitted: u64,
    /// Operations whose final completion arrived.
    pub ops_completed: u64,
    /// Operations in the kernel now. A gauge.
    pub ops_in_flight: u64,
    /// Times a submission found the SQ full and flushed it first.
    pub sq_full_flushes: u64,
    /// Times the kernel reported CQ overflow (completions kept aside).
    pub cq_overflows: u64,
    /// Receives that got their bytes in a buffer of the provided pool.
    pub buffer_pool_hits: u64,
    /// Receives that found the provided pool empty (`ENOBUFS`).
    pub buffer_pool_empty: u64,
    /// Multishot receives stopped because their completions waited unread.
    pub multishot_capped: u64,
    /// Threads alive in the blocking pool. A gauge.
    pub blocking_threads: usize,
    /// Jobs waiting for a blocking-pool thread. A gauge.
    pub blocking_queue_depth: usize,
    /// Per opcode, for each opcode submitted at least once, by opcode.
    pub by_opcode: Vec<OpcodeMetrics>,
}

impl RuntimeMetrics {
    /// The sum of several loops' snapshots (`by_opcode` merged by opcode).
    pub fn sum<'a>(all: impl IntoIterator<Item = &'a RuntimeMetrics>) -> RuntimeMetrics {
        let mut total = RuntimeMetrics::default();
        for m in all {
            total.add(m);
        }
        total
    }

    fn add(&mut self, m: &RuntimeMetrics) {
        self.loops += m.loops;
        self.alive_tasks += m.alive_tasks;
        self.spawned_tasks += m.spawned_tasks;
        self.polls += m.polls;
        self.busy_time += m.busy_time;
        self.parks += m.parks;
        self.ops_submitted += m.ops_submitted;
        self.ops_completed += m.ops_completed;
        self.ops_in_flight += m.ops_in_flight;
        self.sq_full_flushes += m.sq_full_flushes;
        self.cq_overflows += m.cq_overflows;
        self.buffer_pool_hits += m.buffer_pool_hits;
        self.buffer_pool_empty += m.buffer_pool_empty;
        self.multishot_capped += m.multishot_capped;
        self.blocking_threads += m.blocking_threads;
        self.blocking_queue_depth += m.blocking_queue_depth;
        for op in &m.by_opcode {
            match self
                .by_opcode
                .binary_search_by_key(&op.opcode, |o| o.opcode)
            {
                Ok(i) => {
                    self.by_opcode[i].submitted += op.submitted;
                    self.by_opcode[i].completed += op.completed;
                }
                Err(i) => self.by_opcode.insert(i, *op),
            }
        }
    }

    /// The counters of one opcode, by name (`"recv"`, `"timeout"`...).
    pub fn opcode(&self, name: &str) -> Option<&OpcodeMetrics> {
        self.by_opcode.iter().find(|o| o.name == name)
    }
}

impl fmt::Display for RuntimeMetrics {
    /// One line: tasks, polls, busy time, parks, operations, then the
    /// opcodes with their submitted/completed counts.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "loops={} tasks={} spawned={} polls={} busy={:.3}s parks={} ops: submitted={} \
             in_flight={} completed={} sq_full={} cq_overflow={} pool_hits={} pool_empty={} \
             blocking: threads={} queued={}",
            self.loops,
            self.alive_tasks,
            self.spawned_tasks,
            self.polls,
            self.busy_time.as_secs_f64(),
            self.parks,
            self.ops_submitted,
            self.ops_in_flight,
            self.ops_completed,
            self.sq_full_flushes,
            self.cq_overflows,
            self.buffer_pool_hits,
            self.buffer_pool_empty,
            self.blocking_threads,
            self.blocking_queue_depth,
        )?;
        for op in &self.by_opcode {
            write!(f, " {}={}/{}", op.name, op.submitted, op.completed)?;
        }
        Ok(())
    }
}

/// The metrics of the loop running on this thread, `None` outside one.
pub fn current() -> Option<RuntimeMetrics> {
    context::with_current(|h| h.map(snapshot))
}

/// The metrics of every loop of the [`run_per_thread`](crate::run_per_thread)
/// this loop belongs to, in index order (just this loop's for a loop of its
/// own; empty outside a loop). A loop that has finished is left out. Each
/// other loop takes its own snapshot on its thread (between two of its
/// tasks, spawning none), so this awaits one turn of each. Sum them with [`RuntimeMetrics::sum`].
pub async fn per_loop() -> Vec<RuntimeMetrics> {
    let Some((own, siblings)) = context::with_current(|h| {
        h.map(|h| (Arc::as_ptr(&h.shared), h.shared.siblings.get().cloned()))
    }) else {
        return Vec::new();
    };
    let Some(siblings) = siblings else {
        return current().into_iter().collect();
    };
    let mut out = Vec::with_capacity(siblings.len());
    for s in siblings.iter() {
        if std::ptr::eq(s.as_ptr(), own) {
            out.extend(current());
            continue;
        }
        let Some(shared) = s.upgrade() else { continue };
        let Ok(remote) = LoopHandle::new(shared).call(current) else {
            continue;
        };
        if let Ok(Some(m)) = remote.await {
            out.push(m);
        }
    }
    out
}

/// The loops of one `run_per_thread`, in index order (weak: a loop that
/// ended is gone).
pub(crate) type Siblings = Arc<[Weak<Shared>]>;

/// Counters kept by the loop itself (the driver and the executor keep
/// theirs).
#[derive(Debug)]
pub(crate) struct LoopCounters {
    parks: Cell<u64>,
    parked: Cell<Duration>,
    /// Total time spent inside `block_on` calls that have returned.
    ran: Cell<Duration>,
    /// Start of the `block_on` running now.
    running_since: Cell<Option<Instant>>,
}

impl LoopCounters {
    pub(crate) fn new() -> LoopCounters {
        LoopCounters {
            parks: Cell::new(0),
            parked: Cell::new(Duration::ZERO),
            ran: Cell::new(Duration::ZERO),
            running_since: Cell::new(None),
        }
    }

    /// Counts one park that lasted from `from` to `to`.
    pub(crate) fn parked(&self, from: Instant, to: Instant) {
        self.parks.set(self.parks.get() + 1);
        self.parked
            .set(self.parked.get() + to.saturating_duration_since(from));
    }

    /// Marks the loop running until the guard drops.
    pub(crate) fn running(&self) -> Running<'_> {
        let nested = self.running_since.get().is_some();
        if !nested {
            self.running_since.set(Some(Instant::now()));
        }
        Running {
            counters: self,
            nested,
        }
    }

    fn busy(&self) -> Duration {
        let now_running = self
            .running_since
            .get()
            .map_or(Duration::ZERO, |t| t.elapsed());
        (self.ran.get() + now_running).saturating_sub(self.parked.get())
    }
}

/// Ends a `block_on`'s running time.
pub(crate) struct Running<'a> {
    counters: &'a LoopCounters,
    nested: bool,
}

impl Drop for Running<'_> {
    fn drop(&mut self) {
        if self.nested {
            return;
        }
        if let Some(t) = self.counters.running_since.take() {
            self.counters.ran.set(self.counters.ran.get() + t.elapsed());
        }
    }
}

/// The kernel's names of the opcodes ringio uses.
pub(crate) fn opcode_name(op: u8) -> &'static str {
    const NAMES: [(u8, &str); 24] = [
        (0, "nop"),
        (1, "readv"),
        (2, "writev"),
        (3, "fsync"),
        (6, "poll_add"),
        (9, "sendmsg"),
        (10, "recvmsg"),
        (11, "timeout"),
        (13, "accept"),
        (14, "async_cancel"),
        (16, "connect"),
        (18, "openat"),
        (19, "close"),
        (21, "statx"),
        (22, "read"),
        (23, "write"),
        (26, "send"),
        (27, "recv"),
        (34, "shutdown"),
        (35, "renameat"),
        (36, "unlinkat"),
        (37, "mkdirat"),
        (40, "msg_ring"),
        (46, "socket"),
    ];
    NAMES
        .iter()
        .find(|(n, _)| *n == op)
        .map_or("other", |(_, name)| name)
}

/// Takes the snapshot of one loop, on its thread.
pub(crate) fn snapshot(h: &Handle) -> RuntimeMetrics {
    let (stats, by_opcode, in_flight) = {
        let d = h.driver.borrow();
        let counts = d.op_counts();
        let by_opcode = (0..64u8)
            .filter(|&op| counts.submitted[op as usize] > 0)
            .map(|op| OpcodeMetrics {
                opcode: op,
                name: opcode_name(op),
                submitted: counts.submitted[op as usize],
                completed: counts.completed[op as usize],
            })
            .collect();
        (d.stats(), by_opcode, d.in_flight() as u64)
    };
    let (blocking_threads, blocking_queue_depth) = h.blocking.load();
    RuntimeMetrics {
        loops: 1,
        alive_tasks: h.exec.live_tasks(),
        spawned_tasks: h.exec.spawned(),
        polls: h.exec.polls(),
        busy_time: h.counters.busy(),
        parks: h.counters.parks.get(),
        ops_submitted: stats.submitted,
        ops_completed: stats.submitted.saturating_sub(in_flight),
        ops_in_flight: in_flight,
        sq_full_flushes: stats.sq_full_flushes,
        cq_overflows: stats.cq_overflows,
        buffer_pool_hits: stats.pool_reads,
        buffer_pool_empty: stats.pool_empty,
        multishot_capped: stats.multishot_capped,
        blocking_threads,
        blocking_queue_depth,
        by_opcode,
    }
}

//! Operations per opcode, counted by the driver for the loop's metrics;
//! in debug mode also when each operation in flight started and which
//! task started it (slow-operation warnings and task dumps). Each
//! submission and final completion is also a `tracing` DEBUG event (target
//! `ringio::op`, fields `key`, `opcode` and the completion's `result`).

use std::cell::Cell;
use std::collections::HashMap;
use std::rc::Rc;
use std::time::{Duration, Instant};

/// Operations submitted and completed, per io_uring opcode.
#[derive(Debug, Clone)]
pub(crate) struct OpCounts {
    pub(crate) submitted: [u64; 64],
    pub(crate) completed: [u64; 64],
    /// The opcode of each slab key's operation, for its completion.
    kinds: Vec<u8>,
    /// Debug mode only.
    ages: Option<Ages>,
}

/// Debug mode's record of the operations in flight.
#[derive(Debug, Clone)]
struct Ages {
    /// The id of the task being polled (0: none), kept by the executor.
    current_task: Rc<Cell<u64>>,
    /// Per slab key: the operation in flight there, if any.
    ops: Vec<Option<Record>>,
    /// Operations of epoll's readiness path waiting (no slab key), by the
    /// id of their first wait, with their opcode.
    direct: HashMap<u64, (u8, Record)>,
}

#[derive(Debug, Clone, Copy)]
struct Record {
    since: Instant,
    task: u64,
    warned: bool,
}

/// One operation in flight, as debug mode reports it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct InFlightOp {
    pub(crate) opcode: u8,
    /// The id of the task that submitted it (0: none).
    pub(crate) task: u64,
    pub(crate) age: Duration,
}

impl Default for OpCounts {
    fn default() -> Self {
        OpCounts {
            submitted: [0; 64],
            completed: [0; 64],
            kinds: Vec::with_capacity(64),
            ages: None,
        }
    }
}

impl OpCounts {
    pub(super) fn submitted(&mut self, key: usize, opcode: u32) {
        let op = (opcode & 63) as u8;
        if key >= self.kinds.len() {
            self.kinds.resize(key + 1, 0);
        }
        self.kinds[key] = op;
        self.submitted[op as usize] += 1;
        tracing::debug!(target: "ringio::op", key, opcode = op, "operation submitted");
        if let Some(ages) = &mut self.ages {
            if key >= ages.ops.len() {
                ages.ops.resize(key + 1, None);
            }
            ages.ops[key] = Some(Record {
                since: Instant::now(),
                task: ages.current_task.get(),
                warned: false,
            });
        }
    }

    /// Counts an operation of the epoll backend's readiness path (no slab
    /// key) that ended: completed, and submitted too unless it started
    /// waiting (`first`, the id of its first wait, is not 0; see
    /// [`direct_waits`](Self::direct_waits)).
    pub(super) fn direct(&mut self, opcode: u32, first: u64) {
        let op = (opcode & 63) as usize;
        if first == 0 {
            self.submitted[op] += 1;
        } else if let Some(ages) = &mut self.ages {
            ages.direct.remove(&first);
        }
        self.completed[op] += 1;
    }

    /// Counts an operation of the readiness path that starts waiting, under
    /// the id `first`: in flight (submitted, not completed) until
    /// [`direct`](Self::direct); in debug mode recorded with its task.
    pub(super) fn direct_waits(&mut self, opcode: u32, first: u64) {
        let op = (opcode & 63) as u8;
        self.submitted[op as usize] += 1;
        if let Some(ages) = &mut self.ages {
            let record = Record {
                since: Instant::now(),
                task: ages.current_task.get(),
                warned: false,
            };
            ages.direct.insert(first, (op, record));
        }
    }

    /// Whether nothing records operations one by one (no debug mode, no
    /// subscriber for the `ringio::op` events), so an operation may run
    /// without a key: [`direct`](Self::direct) counts it.
    pub(super) fn plain(&self) -> bool {
        self.ages.is_none() && !tracing::enabled!(target: "ringio::op", tracing::Level::DEBUG)
    }

    pub(super) fn completed(&mut self, key: usize, result: i32) {
        if let Some(&op) = self.kinds.get(key) {
            self.completed[op as usize] += 1;
            tracing::debug!(target: "ringio::op", key, opcode = op, result, "operation completed");
        }
        if let Some(slot) = self.ages.as_mut().and_then(|a| a.ops.get_mut(key)) {
            *slot = None;
        }
    }

    /// Debug mode: from now on, record each operation's start and task
    /// (`current_task` is the id of the task being polled, 0 for none).
    pub(crate) fn track_ages(&mut self, current_task: Rc<Cell<u64>>) {
        self.ages = Some(Ages {
            current_task,
            ops: Vec::new(),
            direct: HashMap::new(),
        });
    }

    /// Debug mode: operations in flight for `age` or longer not reported
    /// before (each is returned once).
    pub(crate) fn take_old(&mut self, now: Instant, age: Duration) -> Vec<InFlightOp> {
        let Some(ages) = &mut self.ages else {
            return Vec::new();
        };
        let kinds = &self.kinds;
        let keyed =
            ages.ops.iter_mut().enumerate().filter_map(|(key, slot)| {
                Some((kinds.get(key).copied().unwrap_or(0), slot.as_mut()?))
            });
        let direct = ages.direct.values_mut().map(|(op, r)| (*op, r));
        let mut out = Vec::new();
        for (opcode, r) in keyed.chain(direct) {
            let held = now.saturating_duration_since(r.since);
            if !r.warned && held >= age {
                r.warned = true;
                out.push(InFlightOp {
                    opcode,
                    task: r.task,
                    age: held,
                });
            }
        }
        out
    }

    /// Debug mode: every operation in flight.
    pub(crate) fn in_flight(&self, now: Instant) -> Vec<InFlightOp> {
        let Some(ages) = &self.ages else {
            return Vec::new();
        };
        let keyed =
            ages.ops.iter().enumerate().filter_map(|(key, slot)| {
                slot.map(|r| (self.kinds.get(key).copied().unwrap_or(0), r))
            });
        let direct = ages.direct.values().copied();
        keyed
            .chain(direct)
            .map(|(opcode, r)| InFlightOp {
                opcode,
                task: r.task,
                age: now.saturating_duration_since(r.since),
            })
            .collect()
    }
}

//! Task dumps: every live task of the loop with its state, age, spawn
//! location and, in debug mode, the operations it waits on (asyncio's
//! `all_tasks()` with `Task.print_stack()`, tokio's task dumps).

use std::fmt;
use std::time::{Duration, Instant};

use super::{TaskIdentity, TaskState};
use crate::context;
use crate::metrics::opcode_name;

/// An operation a task waits on: its kind and how long it has been in the
/// kernel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaitingOn {
    /// The io_uring operation (`"recv"`, `"accept"`, `"read"`, ...).
    pub operation: &'static str,
    /// Time since it was submitted.
    pub age: Duration,
}

/// One task in a [`TaskDump`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskSnapshot {
    /// Id, name and spawn location.
    pub task: TaskIdentity,
    /// Running, scheduled, waiting or cancelling.
    pub state: TaskState,
    /// Time since it was spawned (measured from the loop's clock at the
    /// last park outside debug mode, so a little less than that; exact in
    /// debug mode).
    pub age: Duration,
    /// The operations it submitted that are in the kernel. Known in debug
    /// mode only (empty otherwise).
    pub waiting_on: Vec<WaitingOn>,
}

/// Every live task of a loop, in spawn order, from [`dump`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TaskDump {
    /// The tasks.
    pub tasks: Vec<TaskSnapshot>,
    /// Whether operations were tracked (debug mode): if not, `waiting_on`
    /// says nothing.
    pub operations_known: bool,
}

impl TaskDump {
    /// The task named `name`, if there is one.
    pub fn find(&self, name: &str) -> Option<&TaskSnapshot> {
        self.tasks.iter().find(|t| t.task.name == name)
    }
}

impl fmt::Display for TaskDump {
    /// One line per task: identity, state, age, then what it waits on.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} live task", self.tasks.len())?;
        if self.tasks.len() != 1 {
            f.write_str("s")?;
        }
        for t in &self.tasks {
            write!(
                f,
                "\n  {}: {:?}, age {:.3} s",
                t.task,
                t.state,
                t.age.as_secs_f64()
            )?;
            for w in &t.waiting_on {
                write!(
                    f,
                    ", waits on {} for {:.3} s",
                    w.operation,
                    w.age.as_secs_f64()
                )?;
            }
        }
        if !self.operations_known {
            f.write_str("\n  (operations waited on are tracked in debug mode only)")?;
        }
        Ok(())
    }
}

/// A dump of every live task of the loop running on this thread (empty
/// outside a loop): id, name, state, age, spawn location, and in debug
/// mode the operations each waits on. Debug mode prints one on SIGUSR1.
///
/// ```
/// use std::time::Duration;
/// use ringio_runtime::task::{dump, Builder, TaskState};
///
/// # ringio_runtime::run(async {
/// let sleeper = Builder::new()
///     .name("sleeper")
///     .spawn(ringio_runtime::time::sleep(Duration::from_secs(5)))
///     .unwrap();
/// ringio_runtime::yield_now().await;
/// let d = dump();
/// assert_eq!(d.find("sleeper").unwrap().state, TaskState::Waiting);
/// println!("{d}");
/// sleeper.abort();
/// # }).unwrap();
/// ```
pub fn dump() -> TaskDump {
    context::with_current(|h| {
        let Some(h) = h else {
            return TaskDump::default();
        };
        let now = Instant::now();
        let ops = h.driver.borrow().op_counts().in_flight(now);
        let mut tasks: Vec<TaskSnapshot> = h
            .exec
            .dump_entries()
            .into_iter()
            .map(|(info, task, spawned)| {
                let id = task.id.as_u64();
                TaskSnapshot {
                    waiting_on: ops
                        .iter()
                        .filter(|op| op.task == id)
                        .map(|op| WaitingOn {
                            operation: opcode_name(op.opcode),
                            age: op.age,
                        })
                        .collect(),
                    state: info.state,
                    age: now.saturating_duration_since(spawned),
                    task,
                }
            })
            .collect();
        tasks.sort_by_key(|t| t.task.id);
        TaskDump {
            tasks,
            operations_known: h.exec.debug.is_some(),
        }
    })
}

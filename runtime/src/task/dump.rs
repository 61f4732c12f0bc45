//! Task dumps: every live task of the loop with its state, age, spawn
//! location and what it waits on: the timers whose waker is its own, and
//! in debug mode the operations it submitted (asyncio's
//! `all_tasks()` with `Task.print_stack()`, tokio's task dumps).

use std::fmt;
use std::time::{Duration, Instant};

use super::waker::task_of;
use super::{TaskId, TaskIdentity, TaskState};
use crate::context;
use crate::metrics::opcode_name;

/// What a task waits on, where the loop knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum WaitingOn {
    /// An io_uring operation it submitted (known in debug mode).
    Operation {
        /// The operation (`"recv"`, `"accept"`, `"read"`, ...).
        name: &'static str,
        /// Time since it was submitted.
        age: Duration,
    },
    /// A timer (`sleep`, `timeout`, `interval`) whose waker is the task's.
    Timer {
        /// When it fires.
        deadline: Instant,
    },
}

impl fmt::Display for WaitingOn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WaitingOn::Operation { name, age } => {
                write!(f, "{name} for {:.3} s", age.as_secs_f64())
            }
            WaitingOn::Timer { deadline } => {
                let left = deadline.saturating_duration_since(Instant::now());
                write!(f, "a timer due in {:.3} s", left.as_secs_f64())
            }
        }
    }
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
    /// The timers it waits on, and (in debug mode only) the operations it
    /// submitted that are in the kernel.
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
                write!(f, ", waits on {w}")?;
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
/// use ringio::task::{dump, Builder, TaskState};
///
/// # ringio::run(async {
/// let sleeper = Builder::new()
///     .name("sleeper")
///     .spawn(ringio::time::sleep(Duration::from_secs(5)))
///     .unwrap();
/// ringio::yield_now().await;
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
        let timers: Vec<(TaskId, Instant)> = h
            .timers
            .borrow()
            .all_pending()
            .filter_map(|(deadline, w)| Some((task_of(w)?, deadline)))
            .collect();
        let mut tasks: Vec<TaskSnapshot> = h
            .exec
            .dump_entries()
            .into_iter()
            .map(|(info, task, spawned)| {
                let id = task.id;
                TaskSnapshot {
                    waiting_on: ops
                        .iter()
                        .filter(|op| op.task == id.as_u64())
                        .map(|op| WaitingOn::Operation {
                            name: opcode_name(op.opcode),
                            age: op.age,
                        })
                        .chain(
                            timers
                                .iter()
                                .filter(|(t, _)| *t == id)
                                .map(|&(_, deadline)| WaitingOn::Timer { deadline }),
                        )
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

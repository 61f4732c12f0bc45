//! [`joined`]: a scenario task's result as an `io::Result`, so a task
//! that panicked or was cancelled fails the scenario with its message.

use std::io;

use ringio::JoinError;

/// `Ok` with the task's output, or an error naming why the task ended.
pub fn joined<T>(r: Result<T, JoinError>) -> io::Result<T> {
    r.map_err(|e| io::Error::other(format!("a task of the scenario ended: {e}")))
}

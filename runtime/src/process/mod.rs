//! Child processes, as asyncio's `create_subprocess_exec`.
//!
//! [`Command`] configures and starts a program; [`Child`] waits for it.
//! Piped stdio are [`crate::pipe`] ends read and written on the ring. The
//! exit is observed on the ring too: each child has a pidfd, a
//! `POLL_ADD` on it completes when the child exits, and the child is then
//! reaped with `waitpid`. There is no SIGCHLD handler and no helper thread.
//!
//! Every child is reaped: dropping a [`Child`] that still runs hands it to
//! a task on the loop that waits for it; if the loop shuts down first, a
//! thread waits for it instead. No zombie is left behind.
//!
//! For a child's pipes as asyncio's streams (`readline`, `readuntil`,
//! `drain`, `communicate`), see `ringio::streams::subprocess` (the
//! `ringio-streams` crate): it wraps a [`Child`] started here.
//!
//! ```
//! use ringio::process::Command;
//!
//! ringio::run(async {
//!     let out = Command::new("sh").arg("-c").arg("echo hi; exit 3").output().await?;
//!     assert_eq!(out.stdout, b"hi\n");
//!     assert_eq!(out.status.code(), Some(3));
//!     Ok::<(), std::io::Error>(())
//! })
//! .unwrap()
//! .unwrap();
//! ```

mod child;
mod command;
mod output;
mod pidfd;

pub use child::Child;
pub use command::Command;
pub use std::process::{ExitStatus, Output, Stdio};

/// The write end of a child's piped stdin.
pub type ChildStdin = crate::pipe::PipeWriter;
/// The read end of a child's piped stdout.
pub type ChildStdout = crate::pipe::PipeReader;
/// The read end of a child's piped stderr.
pub type ChildStderr = crate::pipe::PipeReader;

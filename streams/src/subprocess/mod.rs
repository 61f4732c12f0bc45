//! Child processes whose pipes are streams: asyncio's
//! `create_subprocess_exec` and `create_subprocess_shell`.
//!
//! | asyncio | ringio-streams |
//! |---|---|
//! | `create_subprocess_exec(prog, *args, stdin=, stdout=, stderr=, limit=)` | [`create_subprocess_exec`] with [`ProcessOptions`] |
//! | `create_subprocess_shell(cmd, ...)` | [`create_subprocess_shell`] |
//! | `PIPE`, `DEVNULL`, `None` | [`Redirect::Piped`], [`Redirect::Null`], [`Redirect::Inherit`] |
//! | `stderr=STDOUT` | [`ProcessOptions::stderr_to_stdout`] |
//! | `Process.stdin` / `.stdout` / `.stderr` | [`Process::stdin`] ([`StreamWriter`](crate::StreamWriter)), [`Process::stdout`], [`Process::stderr`] ([`StreamReader`](crate::StreamReader)) |
//! | `Process.communicate(input)` | [`Process::communicate`] -> [`ProcessOutput`] |
//! | `wait()`, `returncode`, `pid` | [`Process::wait`], [`Process::returncode`], [`Process::pid`] |
//! | `kill()`, `terminate()`, `send_signal()` | [`Process::kill`], [`Process::terminate`], [`Process::send_signal`] |
//! | `Popen`'s `cwd=`, `env=` | [`Process::spawn`] from a [`Command`] |
//!
//! The streams are the socket streams over the child's pipes, with the
//! same semantics: the readers' limit (64 KiB by default) bounds
//! `readline`/`readuntil`, reads dropped mid-way lose no byte, the writer
//! buffers and `drain` waits on its water marks. The child runs under
//! ringio's process support: its exit is watched on the ring (a pidfd),
//! and a child nobody waits for is reaped in the background.
//!
//! Reading a child's output line by line, as the asyncio documentation's
//! example does with `sys.executable -c ...`:
//!
//! ```
//! use ringio::streams::subprocess::{create_subprocess_exec, ProcessOptions, Redirect};
//!
//! ringio::run(async {
//!     let opts = ProcessOptions::new().stdout(Redirect::Piped);
//!     let mut proc = create_subprocess_exec("sh", ["-c", "echo one; echo two"], opts)?;
//!     let mut stdout = proc.stdout.take().expect("piped");
//!     let mut lines = Vec::new();
//!     while let Some(line) = stdout.lines().next_line().await? {
//!         lines.push(line);
//!     }
//!     assert_eq!(lines, ["one\n", "two\n"]);
//!     assert_eq!(proc.wait().await?.code(), Some(0));
//!     Ok::<(), Box<dyn std::error::Error>>(())
//! })
//! .unwrap()
//! .unwrap();
//! ```

mod communicate;
mod error;
mod options;
mod process;

use std::ffi::OsStr;

use ringio_runtime::process::Command;

pub use communicate::ProcessOutput;
pub use error::{CommunicateError, SpawnError};
pub use options::{ProcessOptions, Redirect};
pub use process::Process;

/// The shell of [`create_subprocess_shell`], as Python's `subprocess`.
const SHELL: &str = "/bin/sh";

/// Starts `program` with `args` (asyncio's `create_subprocess_exec`): a
/// name without a slash is looked up in `PATH`; the arguments are passed
/// as they are, with no shell in between. `options` say which streams are
/// piped (unset ones are inherited) and the readers' limit.
///
/// Returns at once with the running child: the program was found and
/// executed. Fails with a [`SpawnError`] that names the program and the
/// cause (`NotFound`, `PermissionDenied`, ...), and when no ringio loop
/// runs on this thread. For no arguments pass an empty list, such as
/// `None::<&str>`.
pub fn create_subprocess_exec<P, I, S>(
    program: P,
    args: I,
    options: ProcessOptions,
) -> Result<Process, SpawnError>
where
    P: AsRef<OsStr>,
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let mut cmd = Command::new(program);
    cmd.args(args);
    Process::spawn(&mut cmd, options)
}

/// Runs `cmd` with the shell, `/bin/sh -c cmd` (asyncio's
/// `create_subprocess_shell`): pipes, redirections and globs work as in a
/// terminal. Quote any untrusted part yourself, or use
/// [`create_subprocess_exec`].
///
/// The shell starts even when the command does not exist: the shell says
/// so on stderr and exits with status 127.
///
/// ```
/// use ringio::streams::subprocess::{create_subprocess_shell, ProcessOptions};
///
/// ringio::run(async {
///     let mut proc = create_subprocess_shell("printf 'b\\na\\n' | sort", ProcessOptions::piped())?;
///     let out = proc.communicate(b"").await?;
///     assert_eq!(out.stdout, "a\nb\n");
///     assert!(out.status.success());
///     Ok::<(), Box<dyn std::error::Error>>(())
/// })
/// .unwrap()
/// .unwrap();
/// ```
pub fn create_subprocess_shell<C: AsRef<OsStr>>(
    cmd: C,
    options: ProcessOptions,
) -> Result<Process, SpawnError> {
    let mut command = Command::new(SHELL);
    command.arg("-c").arg(cmd);
    Process::spawn(&mut command, options)
}

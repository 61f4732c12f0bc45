//! [`Process`]: a running child whose pipes are streams (asyncio's
//! `asyncio.subprocess.Process`).

use std::io;
use std::os::fd::{AsFd, OwnedFd};
use std::os::unix::process::ExitStatusExt;

use ringio_runtime::pipe::{pipe_fds, PipeReader};
use ringio_runtime::process::{Child, Command, ExitStatus, Stdio};
use ringio_runtime::signal::SignalKind;

use super::error::SpawnError;
use super::options::{ProcessOptions, Redirect};
use crate::connect::StreamOptions;
use crate::reader::StreamReader;
use crate::writer::StreamWriter;

/// A started child process with its piped stdio as streams, as asyncio's
/// `Process`.
///
/// The fields are the child's pipes, `Some` when piped: take them out
/// (`Option::take`) to hand them to other tasks. `stdin` is a
/// [`StreamWriter`] (`write`, `drain`, `close`, `write_eof`); `stdout` and
/// `stderr` are [`StreamReader`]s (`readline`, `readuntil`, `readexactly`,
/// `read`, `lines`, with the limit of the [`ProcessOptions`]). Reads are
/// cancel-safe as on a socket: a `readline` dropped mid-line (a timeout)
/// loses no byte.
///
/// Read stdout and stderr while the child runs, or use
/// [`communicate`](Process::communicate): a child writing more than a
/// pipe holds (64 KiB) waits until it is read, so
/// [`wait`](Process::wait) alone would wait forever for it, as in asyncio.
///
/// Dropping a `Process` does not kill the child: it is reaped in the
/// background when it exits. Dropping `stdin` closes it (the child reads
/// end of stream once what was written is sent).
#[derive(Debug)]
pub struct Process {
    /// The child's stdin, when piped.
    pub stdin: Option<StreamWriter>,
    /// The child's stdout, when piped.
    pub stdout: Option<StreamReader>,
    /// The child's stderr, when piped.
    pub stderr: Option<StreamReader>,
    pub(super) child: Child,
    pid: u32,
}

impl Process {
    /// Starts `command` with the stdio of `options` (a stream the options
    /// leave unset stays as `command` has it), wrapping its pipes in
    /// streams. This is the way to set what
    /// [`create_subprocess_exec`](super::create_subprocess_exec) has no
    /// option for: environment, working directory.
    ///
    /// ```
    /// use ringio::process::Command;
    /// use ringio::streams::subprocess::{Process, ProcessOptions, Redirect};
    ///
    /// ringio::run(async {
    ///     let mut cmd = Command::new("sh");
    ///     cmd.arg("-c").arg("echo $GREETING from $(pwd)").env("GREETING", "hi").current_dir("/");
    ///     let mut proc = Process::spawn(&mut cmd, ProcessOptions::new().stdout(Redirect::Piped))?;
    ///     let stdout = proc.stdout.as_mut().expect("piped");
    ///     assert_eq!(stdout.readline().await?, "hi from /\n");
    ///     assert!(proc.wait().await?.success());
    ///     Ok::<(), Box<dyn std::error::Error>>(())
    /// })
    /// .unwrap()
    /// .unwrap();
    /// ```
    pub fn spawn(command: &mut Command, options: ProcessOptions) -> Result<Process, SpawnError> {
        let failed = |command: &Command, e| {
            SpawnError::new(command.get_program(), command.get_current_dir(), e)
        };
        if let Some(r) = options.stdin {
            command.stdin(r);
        }
        if let Some(r) = options.stdout {
            command.stdout(r);
        }
        if let Some(r) = options.stderr {
            command.stderr(r);
        }
        let joined = if options.stderr_to_stdout {
            join_stderr_to_stdout(command, options.stdout).map_err(|e| failed(command, e))?
        } else {
            None
        };
        let spawned = command.spawn();
        if joined.is_some() {
            // The Command holds the joined pipe's write end: while it does,
            // the reader would never see end of stream. The pipe belongs to
            // the Process; the Command is left with both streams piped.
            command.stdout(Stdio::piped());
            command.stderr(Stdio::piped());
        }
        let child = spawned.map_err(|e| failed(command, e))?;
        let mut process =
            Process::from_child(child, options.streams).map_err(|e| failed(command, e))?;
        if let Some(read_end) = joined {
            let reader = StreamReader::from_pipe(read_end.into(), options.get_limit())
                .map_err(|e| failed(command, e.into()))?;
            process.stdout = Some(reader);
        }
        Ok(process)
    }

    /// Wraps a [`Child`] started with [`Command::spawn`]: its piped stdio
    /// become streams (the readers with the limit of `options`). Fails
    /// with `InvalidInput` when the child was already reaped (waited for),
    /// and when the stdin writer's sending task cannot start (no ringio
    /// loop runs on this thread).
    pub fn from_child(mut child: Child, options: StreamOptions) -> io::Result<Process> {
        let Some(pid) = child.id() else {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "the child was already waited for: wrap it in a Process before waiting",
            ));
        };
        let limit = options.get_limit();
        let reader = |p: PipeReader| StreamReader::from_pipe(p, limit).map_err(io::Error::from);
        Ok(Process {
            stdin: child
                .stdin
                .take()
                .map(StreamWriter::from_pipe)
                .transpose()?,
            stdout: child.stdout.take().map(reader).transpose()?,
            stderr: child.stderr.take().map(reader).transpose()?,
            child,
            pid,
        })
    }

    /// The child's process id (asyncio's `pid`); it stays readable after
    /// the exit, but the id may be reused by then.
    pub fn pid(&self) -> u32 {
        self.pid
    }

    /// Waits for the child to exit (asyncio's `wait()`), reaping it, and
    /// returns its status; at once if it already exited. Dropping the
    /// future is safe: the child is still reaped later.
    ///
    /// Unlike [`Child::wait`], it leaves [`stdin`](Process::stdin) open.
    /// A child that writes to a pipe nobody reads can block before it
    /// exits; read its output, or use [`communicate`](Process::communicate).
    pub async fn wait(&mut self) -> io::Result<ExitStatus> {
        self.child.wait().await
    }

    /// The exit status if the child has exited (reaping it), without
    /// waiting.
    pub fn try_wait(&mut self) -> io::Result<Option<ExitStatus>> {
        self.child.try_wait()
    }

    /// asyncio's `returncode`: `None` while the child runs, its exit code
    /// once it exited, and minus the signal number when a signal killed
    /// it (`-9` after [`kill`](Process::kill)). Checks without waiting; an
    /// exit that cannot be checked (the system refused) reads as `None`.
    pub fn returncode(&mut self) -> Option<i32> {
        self.try_wait().ok().flatten().map(returncode)
    }

    /// Sends `SIGKILL` (asyncio's `kill()`). Does nothing once the child
    /// was reaped; [`wait`](Process::wait) for the exit.
    pub fn kill(&mut self) -> io::Result<()> {
        self.child.kill()
    }

    /// Sends `SIGTERM` (asyncio's `terminate()`). Does nothing once the
    /// child was reaped.
    pub fn terminate(&mut self) -> io::Result<()> {
        self.send_signal(SignalKind::terminate().as_raw())
    }

    /// Sends the signal numbered `signal` (asyncio's `send_signal()`).
    /// Does nothing once the child was reaped.
    pub fn send_signal(&mut self, signal: i32) -> io::Result<()> {
        self.child.send_signal(signal)
    }
}

/// Points `command`'s stderr where its stdout goes (`stdout`, inherited
/// when unset); returns the read end of a pipe made for both when stdout
/// is piped.
fn join_stderr_to_stdout(
    command: &mut Command,
    stdout: Option<Redirect>,
) -> io::Result<Option<OwnedFd>> {
    match stdout.unwrap_or(Redirect::Inherit) {
        Redirect::Piped => {
            let (read_end, write_end) = pipe_fds()?;
            command.stdout(Stdio::from(write_end.try_clone()?));
            command.stderr(Stdio::from(write_end));
            Ok(Some(read_end))
        }
        Redirect::Null => {
            command.stdout(Stdio::null());
            command.stderr(Stdio::null());
            Ok(None)
        }
        Redirect::Inherit => {
            command.stdout(Stdio::inherit());
            command.stderr(Stdio::from(io::stdout().as_fd().try_clone_to_owned()?));
            Ok(None)
        }
    }
}

/// asyncio's `returncode` of an exit status: the exit code, or minus the
/// signal that ended the child.
pub(crate) fn returncode(status: ExitStatus) -> i32 {
    match (status.code(), status.signal()) {
        (Some(code), _) => code,
        (None, Some(sig)) => -sig,
        // Neither exited nor signalled: a stopped child is not reaped, so a
        // status here always has one of the two.
        (None, None) => i32::MIN,
    }
}

//! The errors of subprocesses: [`SpawnError`] (the child could not be
//! started) and [`CommunicateError`] (what
//! [`communicate`](crate::subprocess::Process::communicate) can end with).

use std::ffi::OsStr;
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

use crate::error::{ReadError, WriteError};

/// Linux's errno for "exec format error" (streams has no libc dependency).
const ENOEXEC: i32 = 8;

/// Why a child process could not be started (asyncio raises
/// `FileNotFoundError`, `PermissionError`, ... from
/// `create_subprocess_exec`).
///
/// [`kind`](SpawnError::kind) is the underlying error's kind (`NotFound`
/// for a missing program, `PermissionDenied` for a file that is not
/// executable); the message names the program and says what to check.
/// Converts into an [`io::Error`] of the same kind.
///
/// A shell ([`create_subprocess_shell`](crate::subprocess::create_subprocess_shell))
/// starts even when the command it runs does not exist: the shell reports
/// that on the child's stderr and exits with status 127.
#[derive(Debug)]
pub struct SpawnError {
    program: String,
    /// The working directory, when one was set and does not exist.
    missing_dir: Option<PathBuf>,
    error: io::Error,
}

impl SpawnError {
    pub(crate) fn new(program: &OsStr, cwd: Option<&Path>, error: io::Error) -> SpawnError {
        let missing_dir = cwd
            .filter(|d| error.kind() == io::ErrorKind::NotFound && !d.is_dir())
            .map(Path::to_path_buf);
        SpawnError {
            program: program.to_string_lossy().into_owned(),
            missing_dir,
            error,
        }
    }

    /// The program that could not be started.
    pub fn program(&self) -> &str {
        &self.program
    }

    /// The kind of the underlying error (`NotFound`, `PermissionDenied`,
    /// ...).
    pub fn kind(&self) -> io::ErrorKind {
        self.error.kind()
    }

    /// True when the program (or the working directory) does not exist.
    pub fn is_not_found(&self) -> bool {
        self.kind() == io::ErrorKind::NotFound
    }

    /// The error the system reported.
    pub fn io_error(&self) -> &io::Error {
        &self.error
    }
}

impl fmt::Display for SpawnError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let p = &self.program;
        if let Some(dir) = &self.missing_dir {
            return write!(
                f,
                "cannot start `{p}`: its working directory `{}` does not exist",
                dir.display()
            );
        }
        match self.error.kind() {
            io::ErrorKind::NotFound if p.contains('/') => {
                write!(f, "cannot start `{p}`: no such file; check the path")
            }
            io::ErrorKind::NotFound => write!(
                f,
                "cannot start `{p}`: program not found in PATH; check its name, \
                 install it, or give its full path"
            ),
            io::ErrorKind::PermissionDenied => write!(
                f,
                "cannot start `{p}`: permission denied; check that the file is \
                 executable and not a directory"
            ),
            _ if self.error.raw_os_error() == Some(ENOEXEC) => write!(
                f,
                "cannot start `{p}`: not a program the system can run ({}); a script \
                 needs a `#!` line naming its interpreter",
                self.error
            ),
            _ => write!(f, "cannot start `{p}`: {}", self.error),
        }
    }
}

impl std::error::Error for SpawnError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.error)
    }
}

impl From<SpawnError> for io::Error {
    fn from(e: SpawnError) -> Self {
        io::Error::new(e.kind(), e)
    }
}

/// Why [`communicate`](crate::subprocess::Process::communicate) did not
/// return the child's output.
///
/// Converts into an [`io::Error`] of its [`kind`](CommunicateError::kind),
/// keeping the message.
#[derive(Debug)]
#[non_exhaustive]
pub enum CommunicateError {
    /// Input was given but the child's stdin is not piped (start it with
    /// [`Redirect::Piped`](crate::subprocess::Redirect::Piped) for stdin),
    /// or [`Process::stdin`](crate::subprocess::Process::stdin) was taken.
    StdinNotPiped,
    /// The child's stdin did not take the input: it had been closed with
    /// `close()` or `write_eof()`. (A child that exits or closes its stdin
    /// without reading everything is not an error, as in asyncio.)
    Write(WriteError),
    /// Reading the child's stdout or stderr failed.
    Read {
        /// `"stdout"` or `"stderr"`.
        stream: &'static str,
        /// What the read ended with.
        error: ReadError,
    },
    /// Waiting for the child's exit failed.
    Wait(io::Error),
}

impl fmt::Display for CommunicateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CommunicateError::StdinNotPiped => f.write_str(
                "communicate() was given input but the child's stdin is not piped: \
                 start it with stdin(Redirect::Piped), and do not take Process::stdin",
            ),
            CommunicateError::Write(e) => {
                write!(f, "the child's stdin did not take the input: {e}")
            }
            CommunicateError::Read { stream, error } => {
                write!(f, "reading the child's {stream} failed: {error}")
            }
            CommunicateError::Wait(e) => write!(f, "waiting for the child's exit failed: {e}"),
        }
    }
}

impl std::error::Error for CommunicateError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            CommunicateError::StdinNotPiped => None,
            CommunicateError::Write(e) => Some(e),
            CommunicateError::Read { error, .. } => Some(error),
            CommunicateError::Wait(e) => Some(e),
        }
    }
}

impl CommunicateError {
    /// The [`io::ErrorKind`] this error converts with: `InvalidInput` for
    /// `StdinNotPiped`, `BrokenPipe` for `Write`, the kind of the failed
    /// read or wait otherwise.
    pub fn kind(&self) -> io::ErrorKind {
        match self {
            CommunicateError::StdinNotPiped => io::ErrorKind::InvalidInput,
            CommunicateError::Write(_) => io::ErrorKind::BrokenPipe,
            CommunicateError::Read {
                error: ReadError::Io(e),
                ..
            } => e.kind(),
            CommunicateError::Read { .. } => io::ErrorKind::InvalidData,
            CommunicateError::Wait(e) => e.kind(),
        }
    }
}

impl From<CommunicateError> for io::Error {
    /// Keeps the message (which says which stream failed) and the
    /// [`kind`](CommunicateError::kind).
    fn from(e: CommunicateError) -> Self {
        io::Error::new(e.kind(), e)
    }
}

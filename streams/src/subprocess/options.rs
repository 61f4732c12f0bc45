//! [`ProcessOptions`] and [`Redirect`]: how a child's stdio are connected,
//! and the limit of its readers.

use ringio_runtime::process::Stdio;

use crate::connect::StreamOptions;
use crate::error::InvalidLimit;

/// Where one of a child's standard streams goes (asyncio's `stdin=`,
/// `stdout=`, `stderr=` arguments).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Redirect {
    /// The child shares this process's stream (asyncio's `None`, the
    /// default).
    Inherit,
    /// A pipe to this process (asyncio's `PIPE`): the child's stdin becomes
    /// [`Process::stdin`](crate::subprocess::Process::stdin), a
    /// [`StreamWriter`](crate::StreamWriter); its stdout and stderr become
    /// [`StreamReader`](crate::StreamReader)s.
    Piped,
    /// `/dev/null` (asyncio's `DEVNULL`): the child reads end of stream,
    /// and what it writes is discarded.
    Null,
}

impl From<Redirect> for Stdio {
    fn from(r: Redirect) -> Stdio {
        match r {
            Redirect::Inherit => Stdio::inherit(),
            Redirect::Piped => Stdio::piped(),
            Redirect::Null => Stdio::null(),
        }
    }
}

/// How to start a child: where its stdin, stdout and stderr go, and the
/// limit of the readers over its output (asyncio's `limit=`, 64 KiB by
/// default, the same limit as a socket's [`StreamReader`](crate::StreamReader)).
///
/// A stream left unset is inherited by
/// [`create_subprocess_exec`](crate::subprocess::create_subprocess_exec)
/// (as in asyncio), and left as the [`Command`](ringio_runtime::process::Command)
/// has it by [`Process::spawn`](crate::subprocess::Process::spawn).
///
/// ```
/// use ringio::streams::subprocess::{ProcessOptions, Redirect};
///
/// let opts = ProcessOptions::new()
///     .stdout(Redirect::Piped)
///     .stderr(Redirect::Null)
///     .limit(1024)?;
/// assert_eq!(opts.get_limit(), 1024);
/// # Ok::<(), ringio::streams::InvalidLimit>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct ProcessOptions {
    pub(crate) stdin: Option<Redirect>,
    pub(crate) stdout: Option<Redirect>,
    pub(crate) stderr: Option<Redirect>,
    /// stderr goes where stdout goes (asyncio's `stderr=STDOUT`).
    pub(crate) stderr_to_stdout: bool,
    pub(crate) streams: StreamOptions,
}

impl ProcessOptions {
    /// Nothing redirected, a limit of 64 KiB.
    pub fn new() -> Self {
        Self::default()
    }

    /// All three streams piped: what [`communicate`] needs to feed the
    /// child and collect both of its outputs.
    ///
    /// [`communicate`]: crate::subprocess::Process::communicate
    pub fn piped() -> Self {
        Self::new()
            .stdin(Redirect::Piped)
            .stdout(Redirect::Piped)
            .stderr(Redirect::Piped)
    }

    /// Where the child's stdin comes from.
    pub fn stdin(mut self, r: Redirect) -> Self {
        self.stdin = Some(r);
        self
    }

    /// Where the child's stdout goes.
    pub fn stdout(mut self, r: Redirect) -> Self {
        self.stdout = Some(r);
        self
    }

    /// Where the child's stderr goes. Undoes
    /// [`stderr_to_stdout`](ProcessOptions::stderr_to_stdout).
    pub fn stderr(mut self, r: Redirect) -> Self {
        self.stderr = Some(r);
        self.stderr_to_stdout = false;
        self
    }

    /// The child's stderr goes where its stdout goes (asyncio's
    /// `stderr=STDOUT`): with a piped stdout, both arrive interleaved in
    /// [`Process::stdout`](crate::subprocess::Process::stdout) and
    /// [`Process::stderr`](crate::subprocess::Process::stderr) is `None`.
    /// Where stdout goes is what [`stdout`](ProcessOptions::stdout) says
    /// (inherited when unset, whatever a [`Command`](ringio_runtime::process::Command)
    /// given to [`Process::spawn`](crate::subprocess::Process::spawn) had).
    pub fn stderr_to_stdout(mut self) -> Self {
        self.stderr = None;
        self.stderr_to_stdout = true;
        self
    }

    /// The limit of the stdout and stderr readers (see
    /// [`StreamReader`](crate::StreamReader)); 0 is rejected.
    pub fn limit(mut self, limit: usize) -> Result<Self, InvalidLimit> {
        self.streams = self.streams.limit(limit)?;
        Ok(self)
    }

    /// The limit these options give.
    pub fn get_limit(&self) -> usize {
        self.streams.get_limit()
    }
}

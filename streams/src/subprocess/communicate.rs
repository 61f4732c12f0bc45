//! [`Process::communicate`]: feed the child's stdin while reading both of
//! its outputs, then wait for its exit (asyncio's `communicate()`).

use bytes::Bytes;
use ringio_runtime::process::ExitStatus;

use super::error::CommunicateError;
use super::process::{returncode, Process};
use crate::error::{ReadError, WriteError};
use crate::reader::StreamReader;
use crate::write_data::WriteData;
use crate::writer::StreamWriter;

/// What [`Process::communicate`] returns: the child's exit status and
/// everything it wrote (empty for a stream that was not piped).
#[derive(Debug, Clone)]
pub struct ProcessOutput {
    /// How the child ended.
    pub status: ExitStatus,
    /// Everything the child wrote to its stdout.
    pub stdout: Bytes,
    /// Everything the child wrote to its stderr.
    pub stderr: Bytes,
}

impl ProcessOutput {
    /// asyncio's `returncode`: the exit code, or minus the signal number
    /// that ended the child.
    pub fn returncode(&self) -> i32 {
        returncode(self.status)
    }
}

impl Process {
    /// Writes `input` to the child's stdin and closes it, while reading
    /// its stdout and stderr to their ends, then waits for its exit
    /// (asyncio's `communicate(input)`). The three run side by side, so a
    /// child producing lots of output while it is fed lots of input never
    /// deadlocks on a full pipe.
    ///
    /// `input` is anything [`StreamWriter::write`] takes (`b"..."`,
    /// `Vec<u8>`, `Bytes`, `&str`, ...). Pass `b""` for no input: stdin is
    /// closed either way, as with asyncio's `communicate(None)`. Input for
    /// a child whose stdin is not piped fails with
    /// [`CommunicateError::StdinNotPiped`]. A child that exits without
    /// reading all of its input is not an error (asyncio ignores the
    /// broken pipe too).
    ///
    /// Output streams that are not piped come back empty. The readers'
    /// limit does not apply: the whole output is held in memory. A stream
    /// the caller partly read before returns only what was left.
    ///
    /// Dropping the future (a timeout) loses nothing that the child wrote:
    /// what was read stays in [`stdout`](Process::stdout) and
    /// [`stderr`](Process::stderr); the input already written is still
    /// sent, and stdin is closed after it.
    ///
    /// ```
    /// use ringio::streams::subprocess::{create_subprocess_exec, ProcessOptions};
    ///
    /// ringio::run(async {
    ///     let mut proc = create_subprocess_exec("tr", ["a-z", "A-Z"], ProcessOptions::piped())?;
    ///     let out = proc.communicate(b"hello\n").await?;
    ///     assert_eq!(out.stdout, "HELLO\n");
    ///     assert_eq!(out.returncode(), 0);
    ///     Ok::<(), Box<dyn std::error::Error>>(())
    /// })
    /// .unwrap()
    /// .unwrap();
    /// ```
    pub async fn communicate(
        &mut self,
        input: impl WriteData,
    ) -> Result<ProcessOutput, CommunicateError> {
        let input = input.into_bytes();
        if !input.is_empty() && self.stdin.is_none() {
            return Err(CommunicateError::StdinNotPiped);
        }
        let Process {
            stdin,
            stdout,
            stderr,
            child,
            ..
        } = self;
        let (stdout, stderr, ()) = ringio_runtime::try_gather!(
            read_all(stdout.as_mut(), "stdout"),
            read_all(stderr.as_mut(), "stderr"),
            feed(stdin.as_ref(), input),
        )
        .await?;
        // Closed and flushed: asyncio leaves a closed writer, here it goes.
        *stdin = None;
        let status = child.wait().await.map_err(CommunicateError::Wait)?;
        Ok(ProcessOutput {
            status,
            stdout,
            stderr,
        })
    }
}

/// Writes `input`, closes the writer and waits until all is sent.
async fn feed(stdin: Option<&StreamWriter>, input: Bytes) -> Result<(), CommunicateError> {
    let Some(w) = stdin else {
        return Ok(());
    };
    let sent = async {
        if !input.is_empty() {
            w.write(input)?;
        }
        w.close();
        w.wait_closed().await
    };
    match sent.await {
        // The child exited or closed its stdin before reading everything.
        Ok(()) | Err(WriteError::ConnectionLost(_)) => Ok(()),
        Err(e) => Err(CommunicateError::Write(e)),
    }
}

async fn read_all(
    reader: Option<&mut StreamReader>,
    stream: &'static str,
) -> Result<Bytes, CommunicateError> {
    let Some(r) = reader else {
        return Ok(Bytes::new());
    };
    r.read_to_end()
        .await
        .map_err(|error: ReadError| CommunicateError::Read { stream, error })
}

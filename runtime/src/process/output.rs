//! Collecting a child's output: stdout and stderr read side by side (so
//! neither pipe fills up and blocks the child), then its exit.

use std::future::{poll_fn, Future};
use std::io;
use std::pin::pin;
use std::process::Output;
use std::task::Poll;

use super::{Child, ChildStdout};

async fn read_to_end(pipe: Option<ChildStdout>) -> io::Result<Vec<u8>> {
    let mut out = Vec::new();
    let Some(pipe) = pipe else {
        return Ok(out);
    };
    loop {
        if out.capacity() - out.len() < 4096 {
            out.reserve(16 << 10);
        }
        let len = out.len();
        let cap = out.capacity();
        let (res, slice) = pipe.read(crate::buf::IoBuf::slice(out, len..cap)).await;
        out = slice.into_inner();
        match res {
            Ok(0) => return Ok(out),
            Ok(_) => {}
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}

/// Reads the child's stdout and stderr to their ends, then waits for it.
pub(crate) async fn collect(mut child: Child) -> io::Result<Output> {
    drop(child.stdin.take());
    let mut out = pin!(read_to_end(child.stdout.take()));
    let mut err = pin!(read_to_end(child.stderr.take()));
    let (mut o, mut e) = (None, None);
    poll_fn(|cx| {
        if o.is_none() {
            if let Poll::Ready(v) = out.as_mut().poll(cx) {
                o = Some(v);
            }
        }
        if e.is_none() {
            if let Poll::Ready(v) = err.as_mut().poll(cx) {
                e = Some(v);
            }
        }
        if o.is_some() && e.is_some() {
            Poll::Ready(())
        } else {
            Poll::Pending
        }
    })
    .await;
    let status = child.wait().await?;
    let stdout = o.unwrap_or(Ok(Vec::new()))?;
    let stderr = e.unwrap_or(Ok(Vec::new()))?;
    Ok(Output {
        status,
        stdout,
        stderr,
    })
}

//! Accepting connections with one multishot `ACCEPT` kept armed on the
//! listening socket, shared by `TcpListener` and `UnixListener`.
//!
//! The armed operation lives in the listener, not in the `accept` future:
//! dropping an `accept().await` loses no connection (the next call gets
//! it), and dropping the listener cancels the operation and closes any
//! connection accepted but never handed out. When the kernel ends the
//! multishot (an error such as `EMFILE`, or cancellation), the error is
//! returned and the next `accept` arms it again, so a listener recovers
//! once the error clears. Kernels without multishot accept (before 5.19)
//! get one single-shot `ACCEPT` per call.

use std::cell::{Cell, RefCell};
use std::future::poll_fn;
use std::io;
use std::os::fd::RawFd;
use std::task::Poll;

use crate::driver::op::accept::Accept;
use crate::driver::op::{MultiOp, Op};

#[derive(Default)]
pub(crate) struct Acceptor {
    armed: RefCell<Option<MultiOp<Accept>>>,
    /// Cleared when the kernel refuses multishot accept.
    single: Cell<bool>,
}

impl std::fmt::Debug for Acceptor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Acceptor")
            .field("armed", &self.armed.borrow().is_some())
            .field("single", &self.single.get())
            .finish()
    }
}

impl Acceptor {
    /// The next accepted connection's fd (close-on-exec).
    pub(crate) async fn accept(&self, fd: RawFd) -> io::Result<RawFd> {
        if !self.single.get() {
            match self.accept_multi(fd).await {
                Err(e) if e.raw_os_error() == Some(libc::EINVAL) => self.single.set(true),
                res => return res,
            }
        }
        let done = Op::submit(Accept { fd, multi: false }).await;
        done.result.map(|n| n as RawFd)
    }

    async fn accept_multi(&self, fd: RawFd) -> io::Result<RawFd> {
        poll_fn(|cx| {
            let mut armed = self.armed.borrow_mut();
            // At most two rounds: an ended operation is re-armed once.
            for _ in 0..2 {
                let op = match armed.as_mut() {
                    Some(op) => op,
                    None => armed.insert(MultiOp::submit(Accept { fd, multi: true })?),
                };
                match op.poll_next(cx) {
                    Poll::Ready(Some(cqe)) => {
                        return Poll::Ready(cqe.into_result().map(|n| n as RawFd))
                    }
                    Poll::Ready(None) => *armed = None,
                    Poll::Pending => return Poll::Pending,
                }
            }
            cx.waker().wake_by_ref();
            Poll::Pending
        })
        .await
    }
}

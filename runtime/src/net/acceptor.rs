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
//!
//! # Running out of descriptors
//!
//! `EMFILE`, `ENFILE`, `ENOBUFS` and `ENOMEM` do not clear by retrying at
//! once: the kernel fails an accept before it even looks at the queue, so
//! a plain `loop { listener.accept().await }` would spin at full CPU
//! (measured: 1.6 million errors in 2 s). Linux has no way to wait for a
//! descriptor to be freed, so the listener backs off instead: the error is
//! still returned (the caller must learn of it, to log or shed load), but
//! the next `accept` on that listener first sleeps, 1 ms after the first
//! error, doubling per further error up to [`BACKOFF_MAX`]; a successful
//! accept resets it. The cap bounds both the wasted work (at most about 20
//! errors a second) and how long a waiting client stays queued after
//! descriptors free up. The pause is a deadline kept in the listener, so
//! dropping an `accept` future during it neither skips nor restarts it.

use std::cell::{Cell, RefCell};
use std::future::poll_fn;
use std::io;
use std::os::fd::RawFd;
use std::task::Poll;
use std::time::{Duration, Instant};

use crate::context;
use crate::driver::op::accept::Accept;
use crate::driver::op::{MultiOp, Op};

/// The first pause after a resource-exhaustion error.
const BACKOFF_MIN: Duration = Duration::from_millis(1);
/// The longest pause between accepts while resources stay exhausted.
pub(crate) const BACKOFF_MAX: Duration = Duration::from_millis(50);

#[derive(Default)]
pub(crate) struct Acceptor {
    armed: RefCell<Option<MultiOp<Accept>>>,
    /// Cleared when the kernel refuses multishot accept.
    single: Cell<bool>,
    /// The pause after the next exhaustion error (zero: none yet).
    backoff: Cell<Duration>,
    /// No accept is attempted before this instant.
    retry_at: Cell<Option<Instant>>,
}

impl std::fmt::Debug for Acceptor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Acceptor")
            .field("armed", &self.armed.borrow().is_some())
            .field("single", &self.single.get())
            .field("backoff", &self.backoff.get())
            .finish()
    }
}

/// Errors that mean "out of descriptors or memory": retrying at once
/// fails the same way.
pub(crate) fn is_exhaustion(e: &io::Error) -> bool {
    matches!(
        e.raw_os_error(),
        Some(libc::EMFILE | libc::ENFILE | libc::ENOBUFS | libc::ENOMEM)
    )
}

impl Acceptor {
    /// The next accepted connection's fd (close-on-exec). After an
    /// exhaustion error, first waits out the backoff (see the module docs).
    pub(crate) async fn accept(&self, fd: RawFd) -> io::Result<RawFd> {
        if let Some(at) = self.retry_at.get() {
            if Instant::now() < at && context::is_running() {
                crate::time::sleep_until(at).await;
            }
            self.retry_at.set(None);
        }
        let res = self.accept_now(fd).await;
        match &res {
            Ok(_) => self.backoff.set(Duration::ZERO),
            Err(e) if is_exhaustion(e) => {
                let pause = self.backoff.get().max(BACKOFF_MIN);
                self.retry_at.set(Some(Instant::now() + pause));
                self.backoff.set((pause * 2).min(BACKOFF_MAX));
            }
            Err(_) => {}
        }
        res
    }

    async fn accept_now(&self, fd: RawFd) -> io::Result<RawFd> {
        if !self.single.get() {
            match self.accept_multi(fd).await {
                Err(e) if e.raw_os_error() == Some(libc::EINVAL) => self.single.set(true),
                res => return res,
            }
        }
        let done = Op::submit(context::driver(), Accept { fd, multi: false }).await;
        done.result.map(|n| n as RawFd)
    }

    async fn accept_multi(&self, fd: RawFd) -> io::Result<RawFd> {
        poll_fn(|cx| {
            let mut armed = self.armed.borrow_mut();
            // At most two rounds: an ended operation is re-armed once.
            for _ in 0..2 {
                let op = match armed.as_mut() {
                    Some(op) => op,
                    None => armed.insert(MultiOp::submit(
                        context::driver(),
                        Accept { fd, multi: true },
                        0,
                    )?),
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

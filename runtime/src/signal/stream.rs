//! `Signal`: one stream of deliveries of a signal kind.

use std::future::{poll_fn, Future};
use std::io;
use std::os::fd::AsRawFd;
use std::rc::Rc;
use std::task::{Context, Poll};

use super::hub::Hub;
use super::SignalKind;
use crate::context;
use crate::driver::op::poll::PollAdd;
use crate::driver::op::Op;

/// A stream of deliveries of one signal (from [`super::signal`]).
/// [`recv`](Signal::recv) resolves once per delivery (deliveries between
/// two calls are coalesced into one).
pub struct Signal {
    hub: Rc<Hub>,
    kind: SignalKind,
    /// Deliveries this stream has reported.
    seen: u64,
    /// This stream's POLL_ADD on the hub's fd, when it is the watcher.
    watch: Option<Op<PollAdd>>,
}

impl std::fmt::Debug for Signal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Signal")
            .field("kind", &self.kind)
            .field("seen", &self.seen)
            .field("watching", &self.watch.is_some())
            .finish()
    }
}

impl Signal {
    pub(crate) fn new(kind: SignalKind) -> io::Result<Signal> {
        let hub = Hub::get(kind)?;
        let seen = hub.deliveries.get();
        Ok(Signal {
            hub,
            kind,
            seen,
            watch: None,
        })
    }

    /// Which signal this stream reports.
    pub fn kind(&self) -> SignalKind {
        self.kind
    }

    /// Waits for the next delivery.
    pub async fn recv(&mut self) -> io::Result<()> {
        poll_fn(|cx| self.poll_recv(cx)).await
    }

    /// Polls for the next delivery (for implementing a `Stream`).
    pub fn poll_recv(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        loop {
            if self.hub.deliveries.get() > self.seen {
                self.seen = self.hub.deliveries.get();
                return Poll::Ready(Ok(()));
            }
            if self.watch.is_none() {
                if self.hub.watching.get() {
                    self.hub.wait(cx.waker());
                    return Poll::Pending;
                }
                // Deliveries may be pending already: look before arming.
                if self.hub.drain()? > 0 {
                    continue;
                }
                self.hub.watching.set(true);
                self.watch = Some(Op::submit(
                    context::driver(),
                    PollAdd {
                        fd: self.hub.fd.as_raw_fd(),
                        events: libc::POLLIN as u32,
                        multi: false,
                    },
                ));
            }
            let Some(op) = self.watch.as_mut() else {
                continue;
            };
            let done = match std::pin::Pin::new(op).poll(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(done) => done,
            };
            self.watch = None;
            self.hub.watching.set(false);
            if let Err(e) = done.result {
                self.hub.wake_all();
                return Poll::Ready(Err(e));
            }
            if self.hub.drain()? == 0 {
                // Someone else read it first, or a spurious wake-up: the
                // waiters look again, one of them re-arms.
                self.hub.wake_all();
            }
        }
    }
}

impl Drop for Signal {
    fn drop(&mut self) {
        if self.watch.take().is_some() {
            // Hand the watch over to a waiting stream.
            self.hub.watching.set(false);
            self.hub.wake_all();
        }
    }
}

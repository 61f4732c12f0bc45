//! Operations: one file per io_uring opcode behind the [`OpCode`] trait, and
//! the futures that submit them ([`Op`], [`MultiOp`]).

pub(crate) mod accept;
pub(crate) mod connect;
pub(crate) mod fsync;
pub(crate) mod mkdirat;
pub(crate) mod nop;
pub(crate) mod openat;
pub(crate) mod poll;
pub(crate) mod read;
pub(crate) mod recv;
pub(crate) mod recvmsg;
pub(crate) mod renameat;
pub(crate) mod send;
pub(crate) mod sendmsg;
pub(crate) mod shutdown;
pub(crate) mod statx;
pub(crate) mod unlinkat;
pub(crate) mod write;
pub(crate) mod writev;

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use io_uring::squeue;

use super::Cqe;
use crate::context;
use crate::error::no_runtime;
use crate::handle::Handle;

/// The data of one operation and how to turn it into an SQE.
///
/// # Safety
///
/// The SQE returned by `sqe` may point only into memory that stays valid and
/// at the same address while `self` is moved and until `self` is dropped:
/// heap memory `self` owns (a `Vec`'s buffer, a `Box`), or `'static` memory.
/// It must never point into `self`'s own inline fields.
pub(crate) unsafe trait OpCode: 'static {
    /// Builds the SQE (without `user_data`, which the driver sets).
    fn sqe(&mut self) -> squeue::Entry;

    /// Frees what a completion produced when nobody will read it (an
    /// accepted fd, a provided buffer), or keeps it for the next read (a
    /// read's bytes). Called for each such CQE of a dropped operation.
    ///
    /// It runs while the driver is borrowed, so it must wake nobody: a
    /// waker to wake goes into `wakes`, woken after the borrow.
    fn release(&mut self, _cqe: &Cqe, _wakes: &mut Vec<Waker>) {}
}

/// What an operation gave back: the kernel's result and the data.
pub(crate) struct Completion<T> {
    pub(crate) result: io::Result<u32>,
    #[allow(dead_code)]
    pub(crate) flags: u32,
    /// Where the bytes start in the provided buffer `flags` names.
    #[allow(dead_code)]
    pub(crate) buf_off: u32,
    pub(crate) data: T,
}

/// A single-shot operation in flight; resolves to its [`Completion`].
/// Dropping it before completion cancels the operation (see the driver docs).
pub(crate) struct Op<T: OpCode> {
    handle: Option<Rc<Handle>>,
    key: usize,
    data: Option<T>,
}

impl<T: OpCode> Op<T> {
    /// Submits `data`'s SQE to the loop running on this thread. With no
    /// loop, the future resolves at once to an error, with the data.
    pub(crate) fn submit(mut data: T) -> Op<T> {
        let Some(handle) = context::current() else {
            return Op {
                handle: None,
                key: usize::MAX,
                data: Some(data),
            };
        };
        let key = handle.driver.borrow_mut().submit(data.sqe(), false);
        Op {
            handle: Some(handle),
            key,
            data: Some(data),
        }
    }
}

impl<T: OpCode> Unpin for Op<T> {}

impl<T: OpCode> Future for Op<T> {
    type Output = Completion<T>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Completion<T>> {
        let this = &mut *self;
        let cqe = match &this.handle {
            None => None,
            Some(h) => match h.driver.borrow_mut().poll_op(this.key, cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(c) => Some(c),
            },
        };
        this.handle = None;
        let data = this
            .data
            .take()
            .expect("a ringio operation future was polled after it completed");
        Poll::Ready(match cqe {
            Some(c) => Completion {
                result: c.into_result(),
                flags: c.flags,
                buf_off: c.buf_off,
                data,
            },
            None => Completion {
                result: Err(no_runtime()),
                flags: 0,
                buf_off: 0,
                data,
            },
        })
    }
}

impl<T: OpCode> Drop for Op<T> {
    fn drop(&mut self) {
        if let (Some(handle), Some(data)) = (self.handle.take(), self.data.take()) {
            drop_in_driver(&handle, self.key, data);
        }
    }
}

/// Hands the data of a dropped operation future to its entry, and wakes
/// whom releasing its completions woke, after the driver's borrow.
fn drop_in_driver<T: OpCode>(handle: &Handle, key: usize, data: T) {
    let mut wakes = Vec::new();
    match handle.driver.try_borrow_mut() {
        Ok(mut d) => d.drop_op(key, Box::new(data), &mut wakes),
        // Only reachable if a destructor runs inside the driver; the
        // kernel may still write the data, so leak it rather than free.
        Err(_) => std::mem::forget(data),
    }
    for w in wakes {
        w.wake();
    }
}

/// A multishot operation: yields a CQE per completion until the last.
#[cfg_attr(not(test), allow(dead_code))]
pub(crate) struct MultiOp<T: OpCode> {
    handle: Option<Rc<Handle>>,
    key: usize,
    data: Option<T>,
}

#[cfg_attr(not(test), allow(dead_code))]
impl<T: OpCode> MultiOp<T> {
    /// Submits a multishot SQE; errors if no loop runs on this thread.
    pub(crate) fn submit(data: T) -> io::Result<MultiOp<T>> {
        MultiOp::submit_capped(data, 0)
    }

    /// As [`MultiOp::submit`]; the driver cancels the operation when `cap`
    /// of its completions wait unread (0: never).
    pub(crate) fn submit_capped(mut data: T, cap: usize) -> io::Result<MultiOp<T>> {
        let handle = context::current().ok_or_else(no_runtime)?;
        let key = handle
            .driver
            .borrow_mut()
            .submit_capped(data.sqe(), true, cap);
        Ok(MultiOp {
            handle: Some(handle),
            key,
            data: Some(data),
        })
    }

    /// The next completion, or `None` once the kernel ended the operation.
    pub(crate) fn poll_next(&mut self, cx: &mut Context<'_>) -> Poll<Option<Cqe>> {
        let Some(h) = &self.handle else {
            return Poll::Ready(None);
        };
        let res = h.driver.borrow_mut().poll_multi(self.key, cx);
        if let Poll::Ready(None) = res {
            self.handle = None;
        }
        res
    }

    /// Asks the kernel to end the operation: completions it posts until
    /// then still come from [`MultiOp::poll_next`], then `None`.
    pub(crate) fn stop(&self) {
        if let Some(h) = &self.handle {
            h.driver.borrow_mut().stop_multi(self.key);
        }
    }

    /// The next completion if one is already queued, without taking it.
    pub(crate) fn peek(&self) -> Option<Cqe> {
        self.handle.as_ref()?.driver.borrow().peek_multi(self.key)
    }

    /// The operation's data.
    #[allow(dead_code)]
    pub(crate) fn data_mut(&mut self) -> Option<&mut T> {
        self.data.as_mut()
    }
}

impl<T: OpCode> Unpin for MultiOp<T> {}

impl<T: OpCode> Drop for MultiOp<T> {
    fn drop(&mut self) {
        if let (Some(handle), Some(data)) = (self.handle.take(), self.data.take()) {
            drop_in_driver(&handle, self.key, data);
        }
    }
}

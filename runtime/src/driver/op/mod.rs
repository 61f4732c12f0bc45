//! Operations: one file per operation behind the [`OpCode`] trait, and
//! the futures that submit them ([`Op`], [`MultiOp`]).
//!
//! An operation says what to do, once per backend, beside each other in its
//! file: as an SQE for io_uring ([`OpCode::sqe`]), and as a system call for
//! the readiness backend ([`OpCode::readiness`] says how it waits,
//! [`OpCode::attempt`] tries it without blocking, [`OpCode::blocking`] is
//! the call the blocking pool runs for files and paths). The futures get
//! the driver they run on from their caller ([`Op::submit`] takes a
//! [`DriverRef`]): the driver knows nothing of the loop's context, and
//! what a dropped read got goes to a [`KeepBytes`] / [`KeepDatagram`]
//! its reader gave it (the reader's stash, above the driver).

pub(crate) mod accept;
pub(crate) mod connect;
pub(crate) mod fsync;
pub(crate) mod mkdirat;
pub(crate) mod nop;
pub(crate) mod openat;
pub(crate) mod poll;
pub(crate) mod read;
pub(crate) mod recv;
pub(crate) mod recv_bytes;
pub(crate) mod recvmsg;
pub(crate) mod renameat;
pub(crate) mod send;
pub(crate) mod sendmsg;
pub(crate) mod shutdown;
pub(crate) mod statx;
pub(crate) mod unlinkat;
pub(crate) mod write;
pub(crate) mod writev;

use std::cell::RefCell;
use std::future::Future;
use std::io;
use std::os::fd::RawFd;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use io_uring::squeue;

use super::{Cqe, DirectWait, Driver, DIRECT};
use crate::error::no_runtime;
use crate::sockaddr::SockAddr;

/// The driver an operation runs on, shared by the loop and its operations.
pub(crate) type DriverRef = Rc<RefCell<Driver>>;

/// What the readiness backend waits for before it tries an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Interest {
    /// The fd is readable (or at end of stream, or failed).
    Read,
    /// The fd is writable (or failed).
    Write,
}

/// How the readiness backend carries an operation out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Readiness {
    /// [`OpCode::attempt`] on the (non-blocking) `fd`, tried again each time
    /// `fd` becomes ready for the interest, until it is not `-EAGAIN`.
    Fd(RawFd, Interest),
    /// [`OpCode::attempt`] once, now: the call never waits.
    Inline,
    /// [`OpCode::blocking`] on the blocking pool: the call may block (a
    /// file, a path) and readiness says nothing about it.
    Blocking,
}

/// A system call that the blocking pool runs for an operation; returns its
/// result as a completion would (a count or fd, or `-errno`).
pub(crate) struct BlockingCall(Box<dyn FnOnce() -> i32 + Send>);

impl BlockingCall {
    /// A call that runs `f`.
    pub(crate) fn new(f: impl FnOnce() -> i32 + Send + 'static) -> BlockingCall {
        BlockingCall(Box::new(f))
    }

    /// Runs the call.
    pub(crate) fn run(self) -> i32 {
        (self.0)()
    }
}

/// A pointer that a [`BlockingCall`] carries to the pool thread. Only
/// sound under [`OpCode`]'s contract: it points into memory the
/// operation owns, which the driver keeps alive until the call returned.
#[derive(Clone, Copy)]
pub(crate) struct SendPtr<T>(pub(crate) *mut T);

// SAFETY: the pointee is not shared: only the pool thread touches it while
// the call runs, and the operation that owns it is neither used nor freed
// until the call's result is back on the loop (see `OpCode`).
unsafe impl<T> Send for SendPtr<T> {}

impl<T> SendPtr<T> {
    /// The pointer (a method, so that a closure captures the whole
    /// `SendPtr` and not its non-`Send` field).
    pub(crate) fn get(self) -> *mut T {
        self.0
    }
}

/// The result of a libc call as a completion carries it: the value, or
/// `-errno` when the call returned a negative value.
pub(crate) fn syscall_result(ret: isize) -> i32 {
    if ret < 0 {
        -io::Error::last_os_error()
            .raw_os_error()
            .unwrap_or(libc::EIO)
    } else {
        i32::try_from(ret).unwrap_or(i32::MAX)
    }
}

/// Where the bytes a dropped stream read got go (its reader's stash).
pub(crate) trait KeepBytes {
    /// Keeps `got` (when the read got bytes) for the next read and ends the
    /// read's turn. Runs inside the driver: wakers go to `wakes`.
    fn keep(&self, got: Option<&[u8]>, wakes: &mut Vec<Waker>);
}

/// Whether `result` is a count of bytes, more than none and fewer than
/// `asked` (see [`OpCode::drained`]).
pub(crate) fn short(result: i32, asked: usize) -> bool {
    usize::try_from(result).is_ok_and(|n| n > 0 && n < asked)
}

/// Hands what the completion `cqe` of a dropped read into `buf` got to
/// `keep` (see [`KeepBytes`]).
pub(crate) fn keep_read<B: crate::buf::IoBufMut>(
    keep: &dyn KeepBytes,
    buf: &mut B,
    cqe: &Cqe,
    wakes: &mut Vec<Waker>,
) {
    let got = usize::try_from(cqe.result).ok().map(|n| {
        // SAFETY: a read's result counts the bytes the kernel (or the
        // readiness backend's call) wrote at the start of its buffer.
        unsafe { crate::buf::written(buf, n) }
    });
    keep.keep(got, wakes);
}

/// Where the datagram a dropped receive got goes (its socket's stash).
pub(crate) trait KeepDatagram {
    /// Keeps `got` (a datagram and its sender, when the receive got one)
    /// for the next receive and ends the receive's turn. Runs inside the
    /// driver: wakers go to `wakes`.
    fn keep(&self, got: Option<(&[u8], SockAddr)>, wakes: &mut Vec<Waker>);
}

/// The data of one operation and how each backend carries it out.
///
/// # Safety
///
/// The SQE returned by `sqe`, and the pointers the [`BlockingCall`]
/// returned by `blocking` uses, may point only into memory that stays valid
/// and at the same address while `self` is moved and until `self` is
/// dropped: heap memory `self` owns (a `Vec`'s buffer, a `Box`), or
/// `'static` memory. They must never point into `self`'s own inline fields.
pub(crate) unsafe trait OpCode: 'static {
    /// io_uring: builds the SQE (without `user_data`, which the driver sets).
    fn sqe(&mut self) -> squeue::Entry;

    /// The io_uring opcode the operation is (for the metrics per opcode,
    /// on either backend). By default read off [`sqe`](Self::sqe); an
    /// operation whose `sqe` does more than describe it (reserves memory,
    /// say) says it directly.
    fn opcode(&mut self) -> u32 {
        self.sqe().get_opcode()
    }

    /// Readiness backend: how the operation is carried out.
    fn readiness(&self) -> Readiness;

    /// Readiness backend: one try of the call, which must not block when
    /// [`readiness`](Self::readiness) names an fd (the driver made it
    /// non-blocking); a count or fd, or `-errno` (`-EAGAIN`: not ready).
    fn attempt(&mut self) -> i32 {
        -libc::EINVAL
    }

    /// Readiness backend: whether `result` (of a try that did not say
    /// `EAGAIN`) shows the fd drained for its interest, so that the next try
    /// would say `EAGAIN`: a stream read or write that moved fewer bytes
    /// than it asked to (as tokio assumes with epoll). The driver then
    /// waits for the next readiness event instead of trying.
    fn drained(&self, _result: i32) -> bool {
        false
    }

    /// Readiness backend, [`Readiness::Blocking`] operations: one try on
    /// the loop thread that cannot block (a file read of cached pages,
    /// `preadv2(RWF_NOWAIT)`), made before the call goes to the pool.
    /// `Some(result)` completes the operation there; `None` (the default:
    /// nothing to try, or the try said `EAGAIN`) sends it to the pool.
    fn try_nowait(&mut self) -> Option<i32> {
        None
    }

    /// Readiness backend: the call the blocking pool runs, for operations
    /// whose [`readiness`](Self::readiness) is [`Readiness::Blocking`].
    fn blocking(&mut self) -> BlockingCall {
        BlockingCall::new(|| -libc::EINVAL)
    }

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
    driver: Option<DriverRef>,
    key: usize,
    /// Key [`DIRECT`] (epoll's readiness path): where it stands.
    wait: DirectWait,
    data: Option<T>,
}

impl<T: OpCode> Op<T> {
    /// Submits `data` to `driver`. With no driver (no loop runs), the
    /// future resolves at once to an error, with the data.
    pub(crate) fn submit(driver: Option<DriverRef>, mut data: T) -> Op<T> {
        let Some(driver) = driver else {
            return Op {
                driver: None,
                key: usize::MAX,
                wait: DirectWait::default(),
                data: Some(data),
            };
        };
        let key = driver.borrow_mut().submit(&mut data, false, 0);
        Op {
            driver: Some(driver),
            key,
            wait: DirectWait::default(),
            data: Some(data),
        }
    }
}

impl<T: OpCode> Unpin for Op<T> {}

impl<T: OpCode> Future for Op<T> {
    type Output = Completion<T>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Completion<T>> {
        let this = &mut *self;
        let Some(data) = this.data.as_mut() else {
            panic!("a ringio operation future was polled after it completed");
        };
        let cqe = match &this.driver {
            None => None,
            Some(d) => {
                let polled = if this.key == DIRECT {
                    d.borrow_mut().poll_direct(cx, data, &mut this.wait)
                } else {
                    d.borrow_mut().poll_op(this.key, cx, data)
                };
                match polled {
                    Poll::Pending => return Poll::Pending,
                    Poll::Ready(c) => Some(c),
                }
            }
        };
        this.driver = None;
        let Some(data) = this.data.take() else {
            panic!("a ringio operation future was polled after it completed");
        };
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
        if let (Some(driver), Some(data)) = (self.driver.take(), self.data.take()) {
            if self.key == DIRECT {
                drop_direct(&driver, self.wait, data);
            } else {
                drop_in_driver(&driver, self.key, data);
            }
        }
    }
}

/// A dropped operation of epoll's readiness path: it did nothing (its call
/// runs only inside a poll that returns its result), so it stops waiting
/// and is released as cancelled.
fn drop_direct<T: OpCode>(driver: &RefCell<Driver>, wait: DirectWait, mut data: T) {
    if wait.started() {
        // Failing to borrow is only reachable if a destructor runs inside
        // the driver: the stale waker then costs one spurious wake-up, and
        // the metrics per opcode keep counting the operation in flight.
        if let (Ok(mut d), Readiness::Fd(fd, interest)) =
            (driver.try_borrow_mut(), data.readiness())
        {
            d.unwait_call(fd, interest, data.opcode(), wait);
        }
    }
    let mut wakes = Vec::new();
    data.release(&Cqe::of(-libc::ECANCELED), &mut wakes);
    drop(data);
    for w in wakes {
        w.wake();
    }
}

/// Hands the data of a dropped operation future to its entry, and wakes
/// whom releasing its completions woke, after the driver's borrow.
fn drop_in_driver<T: OpCode>(driver: &RefCell<Driver>, key: usize, data: T) {
    let mut wakes = Vec::new();
    match driver.try_borrow_mut() {
        Ok(mut d) => d.drop_op(key, Box::new(data), &mut wakes),
        // Only reachable if a destructor runs inside the driver; the
        // kernel may still write the data, so leak it rather than free.
        Err(_) => std::mem::forget(data),
    }
    for w in wakes {
        w.wake();
    }
}

/// A call on the epoll backend's readiness path, for a caller that lends
/// it data instead of handing an owned operation over: `call` makes the
/// non-blocking system call and says whether it drained the fd (see
/// [`OpCode::drained`]). It runs only inside a poll, when the fd may be
/// ready, and its result is that poll's, so a dropped future has done
/// nothing. Resolves to the call's count. Only for the epoll backend
/// (io_uring answers `EINVAL`); the caller keeps `fd` open while the
/// future lives.
pub(crate) struct ReadyCall<F> {
    driver: DriverRef,
    fd: RawFd,
    interest: Interest,
    /// The io_uring opcode the call stands for (metrics).
    opcode: u32,
    wait: DirectWait,
    call: F,
    done: bool,
}

impl<F: FnMut() -> (i32, bool)> ReadyCall<F> {
    /// The call `call` on `fd`, made when `fd` is ready for `interest`.
    pub(crate) fn new(
        driver: DriverRef,
        fd: RawFd,
        interest: Interest,
        opcode: u32,
        call: F,
    ) -> ReadyCall<F> {
        driver.borrow_mut().prepare_call(fd);
        ReadyCall {
            driver,
            fd,
            interest,
            opcode,
            wait: DirectWait::default(),
            call,
            done: false,
        }
    }
}

// Nothing is pinned in place: the call is only ever used through `&mut`.
impl<F> Unpin for ReadyCall<F> {}

impl<F: FnMut() -> (i32, bool)> Future for ReadyCall<F> {
    type Output = io::Result<u32>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<u32>> {
        let this = &mut *self;
        if this.done {
            panic!("a ringio readiness call was polled after it completed");
        }
        let polled = this.driver.borrow_mut().poll_call(
            cx,
            this.fd,
            this.interest,
            this.opcode,
            &mut this.wait,
            &mut this.call,
        );
        polled.map(|result| {
            this.done = true;
            Cqe::of(result).into_result()
        })
    }
}

impl<F> Drop for ReadyCall<F> {
    fn drop(&mut self) {
        if !self.done && self.wait.started() {
            // See `drop_direct` for a failed borrow.
            if let Ok(mut d) = self.driver.try_borrow_mut() {
                d.unwait_call(self.fd, self.interest, self.opcode, self.wait);
            }
        }
    }
}

/// A multishot operation: yields a CQE per completion until the last.
#[cfg_attr(not(test), allow(dead_code))]
pub(crate) struct MultiOp<T: OpCode> {
    driver: Option<DriverRef>,
    key: usize,
    data: Option<T>,
}

#[cfg_attr(not(test), allow(dead_code))]
impl<T: OpCode> MultiOp<T> {
    /// Submits a multishot operation to `driver`; the driver cancels it
    /// when `cap` of its completions wait unread (0: never). Errors when
    /// there is no driver (no loop runs on this thread).
    pub(crate) fn submit(
        driver: Option<DriverRef>,
        mut data: T,
        cap: usize,
    ) -> io::Result<MultiOp<T>> {
        let driver = driver.ok_or_else(no_runtime)?;
        let key = driver.borrow_mut().submit(&mut data, true, cap);
        Ok(MultiOp {
            driver: Some(driver),
            key,
            data: Some(data),
        })
    }

    /// The next completion, or `None` once the kernel ended the operation.
    pub(crate) fn poll_next(&mut self, cx: &mut Context<'_>) -> Poll<Option<Cqe>> {
        let (Some(d), Some(data)) = (&self.driver, self.data.as_mut()) else {
            return Poll::Ready(None);
        };
        let res = d.borrow_mut().poll_multi(self.key, cx, data);
        if let Poll::Ready(None) = res {
            self.driver = None;
        }
        res
    }

    /// Asks the kernel to end the operation: completions it posts until
    /// then still come from [`MultiOp::poll_next`], then `None`.
    pub(crate) fn stop(&self) {
        if let Some(d) = &self.driver {
            d.borrow_mut().stop_multi(self.key);
        }
    }

    /// The next completion if one is already queued, without taking it.
    pub(crate) fn peek(&self) -> Option<Cqe> {
        self.driver.as_ref()?.borrow().peek_multi(self.key)
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
        if let (Some(driver), Some(data)) = (self.driver.take(), self.data.take()) {
            drop_in_driver(&driver, self.key, data);
        }
    }
}

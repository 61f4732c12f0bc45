//! The socket under every ringio socket type: an owned fd and the ring
//! operations on it.

use std::cell::{Cell, RefCell};
use std::future::poll_fn;
use std::io;
use std::os::fd::{AsRawFd, RawFd};
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use bytes::BytesMut;

use crate::buf::{self, IoBuf, IoBufMut};
use crate::context;
use crate::driver::bufring::BufRing;
use crate::driver::op::connect::Connect;
use crate::driver::op::poll::PollAdd;
use crate::driver::op::recv::{recv_now, Recv, RecvMulti, RecvSelect, RECV_OPCODE};
use crate::driver::op::recv_bytes::recv_append;
use crate::driver::op::recvmsg::RecvMsg;
use crate::driver::op::send::{send_now, Send, SEND_OPCODE};
use crate::driver::op::sendmsg::SendMsg;
use crate::driver::op::shutdown::Shutdown;
use crate::driver::op::writev::Writev;
use crate::driver::op::{short, DriverRef, Interest, MultiOp, Op, ReadyCall};
use crate::driver::{Backend, Cqe};
use crate::error::no_runtime;
use crate::fd::RingFd;
use crate::sockaddr::SockAddr;
use crate::stash::{DatagramStash, StreamStash};

/// The most `read_buf` receives at once when the provided-buffer pool is
/// empty or unavailable (the size of one pool buffer by default).
pub(crate) const READ_BUF_CHUNK: usize = 16 * 1024;

/// The most one `read_buf` appends from the pool: it takes every chunk
/// already received, until this many bytes (a 64 KiB message arrives as
/// several chunks; one read returns it whole).
pub(crate) const READ_BUF_BATCH: usize = 64 * 1024;

/// A `read_buf` that returns this much switches its socket to direct
/// receives (see [`Socket::read_buf`]): from 4 KiB on, the copy out of
/// the pool (and the pool's colder memory) costs more than the syscalls
/// of a direct receive (server CPU per round trip at 64 x 4 KiB: 6.3 us
/// through the pool, 5.35 direct, 5.3 with `read`).
const LARGE_READ: usize = 4 * 1024;

/// Direct `read_buf`s in a row that return less than [`SMALL_READ`]
/// before the socket goes back to the provided-buffer pool (one alone may
/// be the tail of a large message cut by the network).
const SMALL_STREAK: u8 = 4;

/// A direct `read_buf` that returns less than this counts towards
/// [`SMALL_STREAK`].
const SMALL_READ: usize = 1024;

/// Completions a socket's multishot receive may hold unread (each holds
/// part of a provided buffer) before the driver stops it; the next read
/// re-arms it. Above the chunks of one 64 KiB message (four or five of
/// 16 KiB), which arrive together.
const MULTI_RECV_CAP: usize = 8;

/// An owned socket, with a stash (see [`crate::stash`]) so that a dropped
/// read never loses what it received: bytes on a stream socket, whole
/// datagrams with their senders on a datagram socket.
///
/// `read_buf` on a stream socket arms a multishot receive that stays armed
/// in the socket between reads: its completions wait in the driver until a
/// read takes them, so dropping a read loses nothing, and once armed every
/// read (also `recv` into an own buffer) takes its bytes from it, in order.
pub(crate) struct Socket {
    /// Declared before `fd`: dropped (cancelled) before the fd is closed.
    multi: RefCell<Option<MultiOp<RecvMulti>>>,
    /// Set when the kernel refuses multishot receive (before Linux 6.0).
    multi_off: Cell<bool>,
    /// `read_buf` receives straight into the caller's buffer: its reads
    /// are large (see [`Socket::read_buf`]).
    direct: Cell<bool>,
    /// Direct reads in a row that returned less than [`SMALL_READ`].
    small_streak: Cell<u8>,
    fd: RingFd,
    /// Stream sockets only.
    stash: Option<Rc<StreamStash>>,
    /// Datagram sockets only.
    datagrams: Option<Rc<DatagramStash>>,
}

impl std::fmt::Debug for Socket {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Socket")
            .field("fd", &self.fd)
            .field("stash", &self.stash)
            .field("datagrams", &self.datagrams)
            .field("multishot_armed", &self.multi.borrow().is_some())
            .finish()
    }
}

/// A completion of the multishot receive and what its bytes' consumer
/// returned, as [`Socket::poll_multi`] hands it to [`Socket::multi_result`]
/// (`Ok(None)`: the socket receives directly).
type MultiPolled<R> = io::Result<Option<(Cqe, Option<R>)>>;

/// What a completion of the multishot receive means for a read.
enum MultiRecv<R> {
    /// Bytes (handed to the read's consumer) or the end of the stream (0).
    Got(usize, Option<R>),
    Err(io::Error),
    /// The pool ran dry (`ENOBUFS`) or the kernel has no multishot receive:
    /// this read receives into a buffer of its own.
    Fallback,
}

/// The loop's driver, looked up once per call, by what serves a socket's
/// receives and sends.
enum LoopDriver {
    /// The epoll backend, whose readiness path ([`ReadyCall`]) needs no
    /// operation entry.
    Epoll(DriverRef),
    /// io_uring's operations (`None` outside a loop).
    Ops(Option<DriverRef>),
}

fn loop_driver() -> LoopDriver {
    match context::driver() {
        Some(d) if d.borrow().backend() == Backend::Epoll => LoopDriver::Epoll(d),
        other => LoopDriver::Ops(other),
    }
}

/// Turns a `-1` return of a libc call into the thread's errno.
pub(crate) fn cvt(ret: libc::c_int) -> io::Result<libc::c_int> {
    if ret < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(ret)
    }
}

impl Socket {
    /// A new socket (close-on-exec, blocking mode: the ring waits for it).
    pub(crate) fn new(domain: libc::c_int, ty: libc::c_int) -> io::Result<Socket> {
        // SAFETY: plain system call with integer arguments.
        let fd = cvt(unsafe { libc::socket(domain, ty | libc::SOCK_CLOEXEC, 0) })?;
        Ok(Socket::from_fd(fd, ty == libc::SOCK_STREAM))
    }

    /// A connected pair (`socketpair`), for Unix sockets.
    pub(crate) fn pair(ty: libc::c_int) -> io::Result<(Socket, Socket)> {
        let mut fds = [0 as libc::c_int; 2];
        // SAFETY: `fds` is an array of two ints for the kernel to fill.
        cvt(unsafe {
            libc::socketpair(libc::AF_UNIX, ty | libc::SOCK_CLOEXEC, 0, fds.as_mut_ptr())
        })?;
        let stream = ty == libc::SOCK_STREAM;
        Ok((
            Socket::from_fd(fds[0], stream),
            Socket::from_fd(fds[1], stream),
        ))
    }

    /// Takes ownership of `fd`, an open socket.
    pub(crate) fn from_fd(fd: RawFd, stream: bool) -> Socket {
        Socket {
            multi: RefCell::new(None),
            multi_off: Cell::new(false),
            direct: Cell::new(false),
            small_streak: Cell::new(0),
            fd: RingFd::new(fd),
            stash: stream.then(Rc::default),
            datagrams: (!stream).then(Rc::default),
        }
    }

    /// Sets an integer socket option.
    pub(crate) fn set_int(
        &self,
        level: libc::c_int,
        name: libc::c_int,
        v: libc::c_int,
    ) -> io::Result<()> {
        // SAFETY: the value pointer and length describe a live c_int.
        cvt(unsafe {
            libc::setsockopt(
                self.raw(),
                level,
                name,
                (&v as *const libc::c_int).cast(),
                std::mem::size_of::<libc::c_int>() as libc::socklen_t,
            )
        })?;
        Ok(())
    }

    /// Reads an integer socket option.
    pub(crate) fn get_int(&self, level: libc::c_int, name: libc::c_int) -> io::Result<libc::c_int> {
        let mut v: libc::c_int = 0;
        let mut len = std::mem::size_of::<libc::c_int>() as libc::socklen_t;
        // SAFETY: the value pointer and length describe a live c_int.
        cvt(unsafe {
            libc::getsockopt(
                self.raw(),
                level,
                name,
                (&mut v as *mut libc::c_int).cast(),
                &mut len,
            )
        })?;
        Ok(v)
    }

    pub(crate) fn bind(&self, addr: &SockAddr) -> io::Result<()> {
        // SAFETY: the pointer and length describe a live address.
        cvt(unsafe { libc::bind(self.raw(), addr.as_ptr(), addr.len()) })?;
        Ok(())
    }

    pub(crate) fn listen(&self, backlog: u32) -> io::Result<()> {
        let backlog = backlog.min(libc::c_int::MAX as u32) as libc::c_int;
        // SAFETY: plain system call with integer arguments.
        cvt(unsafe { libc::listen(self.raw(), backlog) })?;
        Ok(())
    }

    pub(crate) fn local_addr(&self) -> io::Result<SockAddr> {
        let mut a = SockAddr::empty();
        let mut len = SockAddr::capacity();
        // SAFETY: the pointer and length describe storage for any address.
        cvt(unsafe { libc::getsockname(self.raw(), a.as_mut_ptr(), &mut len) })?;
        a.set_len(len);
        Ok(a)
    }

    pub(crate) fn peer_addr(&self) -> io::Result<SockAddr> {
        let mut a = SockAddr::empty();
        let mut len = SockAddr::capacity();
        // SAFETY: the pointer and length describe storage for any address.
        cvt(unsafe { libc::getpeername(self.raw(), a.as_mut_ptr(), &mut len) })?;
        a.set_len(len);
        Ok(a)
    }

    /// The pending error (`SO_ERROR`), cleared by reading it.
    pub(crate) fn take_error(&self) -> io::Result<Option<io::Error>> {
        let e = self.get_int(libc::SOL_SOCKET, libc::SO_ERROR)?;
        Ok((e != 0).then(|| io::Error::from_raw_os_error(e)))
    }

    pub(crate) fn raw(&self) -> RawFd {
        self.fd.as_raw_fd()
    }

    /// Connects on the ring.
    pub(crate) async fn connect(&self, addr: SockAddr) -> io::Result<()> {
        Op::submit(
            context::driver(),
            Connect {
                fd: self.raw(),
                addr: Box::new(addr),
                started: false,
            },
        )
        .await
        .result
        .map(drop)
    }

    /// Receives into `buf` (from its start). On a stream socket, bytes a
    /// dropped receive got come first (see [`crate::stash`]); on a datagram
    /// socket, one datagram, a dropped receive's first.
    pub(crate) async fn recv<B: IoBufMut>(&self, mut buf: B) -> (io::Result<usize>, B) {
        if !context::is_running() {
            return (Err(no_runtime()), buf);
        }
        if self.datagrams.is_some() {
            let (res, buf) = self.recv_from(buf).await;
            return (res.map(|(n, _)| n), buf);
        }
        let driver = match loop_driver() {
            LoopDriver::Epoll(driver) => {
                // On epoll's readiness path a dropped receive has received
                // nothing, so nothing is ever stashed: no turn to take.
                let fd = self.raw();
                let call = || recv_now(fd, &mut buf);
                let res = ReadyCall::new(driver, fd, Interest::Read, RECV_OPCODE, call).await;
                return (res.map(|n| n as usize), buf);
            }
            LoopDriver::Ops(driver) => driver,
        };
        let stash = self.stash.clone();
        if let Some(s) = &stash {
            let turn = s.turn().await;
            if let Some(n) = s.take_into(&mut buf) {
                return (Ok(n), buf);
            }
            if let Some(bufs) = self.armed_pool() {
                // Bytes already on their way to the multishot receive come
                // before anything a new receive could get.
                let got = self
                    .next_multi(&bufs, |bytes| {
                        let n = buf::fill(&mut buf, bytes);
                        s.push(&bytes[n..]);
                        n
                    })
                    .await;
                match got {
                    MultiRecv::Got(_, Some(n)) => return (Ok(n), buf),
                    MultiRecv::Got(_, None) => return (Ok(0), buf),
                    MultiRecv::Err(e) => return (Err(e), buf),
                    MultiRecv::Fallback => {}
                }
            }
            // The receive below holds the turn; its completion ends it.
            turn.hand_over();
        }
        let done = Op::submit(
            driver,
            Recv {
                fd: self.raw(),
                buf,
                stash: stash.clone().map(|s| s as _),
            },
        )
        .await;
        let mut buf = done.data.buf;
        if let Some(s) = stash {
            s.finish();
        }
        // SAFETY: the result is the receive's into `buf`.
        let res = unsafe { buf::bytes_read(done.result, &mut buf) };
        (res, buf)
    }

    /// Receives what has arrived and appends it to `dst` (up to
    /// [`READ_BUF_BATCH`], plus less than one pool buffer); `Ok(0)` at end
    /// of stream.
    ///
    /// On a stream socket the first call arms a multishot receive that
    /// stays armed between calls: each arrival of data becomes a completion
    /// naming a buffer (or, with incremental consumption, part of one) the
    /// kernel picked from the loop's pool, with no new submission per read;
    /// a read takes every such chunk already queued. While the socket is
    /// idle no buffer is held. Reads of [`LARGE_READ`] or more switch the
    /// socket to direct receives into `dst` (no copy out of the pool, one
    /// receive per read; see [`Socket::go_direct`]) until [`SMALL_STREAK`]
    /// reads in a row return less than [`SMALL_READ`]. A
    /// consumer that stops reading holds the chunks that arrived meanwhile;
    /// once [`MULTI_RECV_CAP`] wait unread the driver stops the receive (the
    /// kernel may deliver one more burst first) and the next call re-arms
    /// it. Where the pool is unavailable (an old kernel) or momentarily
    /// empty (`ENOBUFS`), waits for readability and receives straight into
    /// `dst` (see [`Socket::read_buf_direct`]); where multishot receive is
    /// missing (before Linux 6.0), uses a single-shot receive from the pool.
    pub(crate) async fn read_buf(&self, dst: &mut BytesMut) -> io::Result<usize> {
        let Some(driver) = context::driver() else {
            return Err(no_runtime());
        };
        let (pool, epoll) = {
            let mut d = driver.borrow_mut();
            (d.read_buffers(), d.backend() == Backend::Epoll)
        };
        if epoll {
            // No stash turn: on epoll nothing is ever stashed (a dropped
            // receive has received nothing), and readers of one socket wake
            // in the order they started waiting.
            return self.recv_bytes(driver, dst).await;
        }
        drop(driver);
        if let (Some(bufs), Some(s)) = (&pool, &self.stash) {
            if !self.multi_off.get() {
                let _turn = s.turn().await;
                if let Some(n) = s.take_into_bytes(dst) {
                    return Ok(n);
                }
                let got = self
                    .next_multi(bufs, |bytes| {
                        dst.extend_from_slice(bytes);
                        bytes.len()
                    })
                    .await;
                match got {
                    MultiRecv::Got(0, _) => return Ok(0),
                    MultiRecv::Got(n, _) => {
                        let n =
                            n + self.drain_multi(READ_BUF_BATCH.saturating_sub(n), |bytes, _| {
                                dst.extend_from_slice(bytes);
                                bytes.len()
                            });
                        if n >= LARGE_READ {
                            self.go_direct();
                        }
                        return Ok(n);
                    }
                    MultiRecv::Err(e) => return Err(e),
                    MultiRecv::Fallback => {}
                }
            }
            if self.direct.get() {
                let n = self.recv_direct(dst).await?;
                let streak = if n < SMALL_READ {
                    self.small_streak.get() + 1
                } else {
                    0
                };
                if streak >= SMALL_STREAK {
                    // Small again: back to the pool (the next read re-arms).
                    self.direct.set(false);
                    self.small_streak.set(0);
                } else {
                    self.small_streak.set(streak);
                }
                return Ok(n);
            }
        }
        if let Some(bufs) = pool.filter(|_| self.multi_off.get() || self.stash.is_none()) {
            let stash = self.stash.clone();
            if let Some(s) = &stash {
                let turn = s.turn().await;
                if let Some(n) = s.take_into_bytes(dst) {
                    return Ok(n);
                }
                turn.hand_over();
            }
            let done = Op::submit(
                context::driver(),
                RecvSelect {
                    fd: self.raw(),
                    bufs,
                    stash: stash.clone().map(|s| s as _),
                },
            )
            .await;
            let op = done.data;
            let cqe = Cqe {
                result: done.result.as_ref().map_or(-1, |&n| n as i32),
                flags: done.flags,
                buf_off: done.buf_off,
            };
            let got = op.take(&cqe, |bytes| {
                dst.extend_from_slice(bytes);
                bytes.len()
            });
            if let Some(s) = &stash {
                s.finish();
            }
            let empty = matches!(&done.result, Err(e) if e.raw_os_error() == Some(libc::ENOBUFS));
            if let Some(h) = context::current() {
                h.driver.borrow_mut().count_pool_read(empty);
            }
            match done.result {
                Ok(0) => return Ok(0),
                Ok(_) => {
                    return got.ok_or_else(|| {
                        io::Error::other(
                            "io_uring reported received bytes without naming the buffer",
                        )
                    })
                }
                Err(e) if e.raw_os_error() == Some(libc::ENOBUFS) => {}
                Err(e) => return Err(e),
            }
        }
        self.read_buf_direct(dst).await
    }

    /// `read_buf` without a pool buffer (the pool ran dry or is
    /// unavailable): waits until the socket is readable holding no buffer
    /// (`POLL_ADD`), then receives what is queued straight into `dst`.
    ///
    /// Not a receive into a buffer of its own: when a burst of arrivals
    /// empties the pool (10,000 connections getting a message in the same
    /// loop turn), every connection beyond the pool's size (128 by default)
    /// falls back here at once, and 16 KiB each raised the peak RSS by
    /// ~4 KiB per connection (40 MB at 10,000) and left the heap
    /// fragmented. Reserving in `dst` only what `FIONREAD` says is queued
    /// costs what the pool path costs.
    async fn read_buf_direct(&self, dst: &mut BytesMut) -> io::Result<usize> {
        let _turn = match &self.stash {
            Some(s) => {
                let turn = s.turn().await;
                if let Some(n) = s.take_into_bytes(dst) {
                    return Ok(n);
                }
                Some(turn)
            }
            None => None,
        };
        loop {
            match self.recv_now(dst) {
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                    let ready = Op::submit(
                        context::driver(),
                        PollAdd {
                            fd: self.raw(),
                            events: libc::POLLIN as u32,
                            multi: false,
                        },
                    )
                    .await;
                    ready.result?;
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                res => return res,
            }
        }
    }

    /// `read_buf` on epoll (`driver`): one receive appended to `dst`, made
    /// on the readiness path when the socket is ready (a socket known to be
    /// drained waits for its readiness event without a call), holding no
    /// buffer of its own while it waits. The receive happens inside the
    /// poll that returns it, so a dropped read has received nothing.
    async fn recv_bytes(&self, driver: DriverRef, dst: &mut BytesMut) -> io::Result<usize> {
        let fd = self.raw();
        let call = || {
            let result = recv_append(fd, dst, READ_BUF_CHUNK);
            (result, short(result, READ_BUF_CHUNK))
        };
        let n = ReadyCall::new(driver, fd, Interest::Read, RECV_OPCODE, call).await?;
        Ok(n as usize)
    }

    /// One non-blocking receive into `dst`'s spare capacity, of at most
    /// what the socket has queued (at most [`READ_BUF_CHUNK`]).
    fn recv_now(&self, dst: &mut BytesMut) -> io::Result<usize> {
        let mut queued: libc::c_int = 0;
        // SAFETY: FIONREAD writes one c_int through the pointer.
        let asked = unsafe { libc::ioctl(self.raw(), libc::FIONREAD, &mut queued) };
        // At least one byte, so that 0 can only mean end of stream.
        let want = if asked < 0 {
            READ_BUF_CHUNK
        } else {
            usize::try_from(queued)
                .unwrap_or(0)
                .clamp(1, READ_BUF_CHUNK)
        };
        dst.reserve(want);
        let spare = dst.spare_capacity_mut();
        let want = want.min(spare.len());
        // SAFETY: the pointer and length describe `want` bytes of `dst`'s
        // spare capacity, which nothing else touches during this call.
        let n = unsafe {
            libc::recv(
                self.raw(),
                spare.as_mut_ptr().cast(),
                want,
                libc::MSG_DONTWAIT,
            )
        };
        let n = usize::try_from(n).map_err(|_| io::Error::last_os_error())?;
        // SAFETY: the kernel initialised the first `n` (<= want) bytes of
        // the spare capacity.
        unsafe { dst.set_len(dst.len() + n) };
        Ok(n)
    }

    /// A direct receive: one receive on the ring straight into `dst`'s
    /// spare capacity, which is split off (its own handle on the same
    /// memory, owned by the operation, so a dropped read cannot leave the
    /// kernel writing into memory `dst` reuses), filled, and joined back
    /// without a copy. Up to [`READ_BUF_BATCH`].
    async fn recv_direct(&self, dst: &mut BytesMut) -> io::Result<usize> {
        dst.reserve(READ_BUF_BATCH);
        let spare = dst.split_off(dst.len());
        let (res, got) = self.recv(spare).await;
        dst.unsplit(got);
        res
    }

    /// Switches `read_buf` to direct receives ([`Socket::recv_direct`]):
    /// large reads through the pool cost a copy more than straight into the
    /// caller's buffer, and several completions per read. The multishot
    /// receive is stopped; reads take what it received before it ends
    /// (`recv` takes from it first), then receive directly, in order.
    fn go_direct(&self) {
        self.direct.set(true);
        if let Some(op) = self.multi.borrow().as_ref() {
            op.stop();
        }
    }

    /// After a read took one chunk from the multishot receive: hands the
    /// chunks already queued behind it to `take` (with the room left; it
    /// returns how much it took), until `room` bytes in all; returns the
    /// bytes taken. Stops at anything but bytes (the end of the stream, an
    /// error), which the next read reports. Must be called during the same
    /// [`Turn`].
    fn drain_multi(&self, room: usize, mut take: impl FnMut(&[u8], usize) -> usize) -> usize {
        let mut added = 0;
        let mut cx = Context::from_waker(Waker::noop());
        let mut armed = self.multi.borrow_mut();
        while added < room {
            let Some(op) = armed.as_mut() else { break };
            match op.peek() {
                Some(c) if c.result > 0 && io_uring::cqueue::buffer_select(c.flags).is_some() => {}
                _ => break,
            }
            // Queued: taken at once, the (no-op) waker is not kept.
            let Poll::Ready(Some(cqe)) = op.poll_next(&mut cx) else {
                break;
            };
            let n = op
                .data_mut()
                .and_then(|data| data.take(&cqe, |bytes| take(bytes, room - added)));
            if !io_uring::cqueue::more(cqe.flags) {
                *armed = None;
            }
            let Some(n) = n else { break };
            added += n;
            if let Some(h) = context::current() {
                h.driver.borrow_mut().count_pool_read(false);
            }
        }
        added
    }

    /// The pool of the armed multishot receive, if one is armed.
    fn armed_pool(&self) -> Option<Rc<BufRing>> {
        let armed = self.multi.borrow();
        armed.as_ref()?;
        context::current()?.driver.borrow_mut().read_buffers()
    }

    /// Waits for the next completion of the socket's multishot receive,
    /// arming it first if needed (also after the kernel ended it), and
    /// hands its bytes to `consume`. Must be called during a [`Turn`].
    async fn next_multi<R>(
        &self,
        bufs: &Rc<BufRing>,
        consume: impl FnOnce(&[u8]) -> R,
    ) -> MultiRecv<R> {
        let mut consume = Some(consume);
        let got = poll_fn(|cx| self.poll_multi(cx, bufs, &mut consume)).await;
        self.multi_result(got)
    }

    /// One poll of [`next_multi`](Self::next_multi): the next completion
    /// of the multishot receive (its bytes handed to `consume`), or
    /// `Ok(None)` when the socket receives directly (no multishot).
    fn poll_multi<R, F: FnOnce(&[u8]) -> R>(
        &self,
        cx: &mut Context<'_>,
        bufs: &Rc<BufRing>,
        consume: &mut Option<F>,
    ) -> Poll<MultiPolled<R>> {
        let mut armed = self.multi.borrow_mut();
        // At most two rounds: an ended operation is re-armed once.
        for _ in 0..2 {
            let op = match armed.as_mut() {
                Some(op) => op,
                // Stopped for direct receives: not armed again.
                None if self.direct.get() => return Poll::Ready(Ok(None)),
                None => {
                    if let Some(h) = context::current() {
                        h.driver.borrow_mut().count_multishot_armed();
                    }
                    let op = RecvMulti {
                        fd: self.raw(),
                        bufs: bufs.clone(),
                    };
                    match MultiOp::submit(context::driver(), op, MULTI_RECV_CAP) {
                        Ok(op) => armed.insert(op),
                        Err(e) => return Poll::Ready(Err(e)),
                    }
                }
            };
            match op.poll_next(cx) {
                Poll::Ready(Some(cqe)) => {
                    let bytes = match (op.data_mut(), consume.take()) {
                        (Some(data), Some(f)) => data.take(&cqe, f),
                        _ => None,
                    };
                    if !io_uring::cqueue::more(cqe.flags) {
                        // Its last completion: the entry is done; the
                        // next read arms a new one.
                        *armed = None;
                    }
                    return Poll::Ready(Ok(Some((cqe, bytes))));
                }
                Poll::Ready(None) => *armed = None,
                Poll::Pending => return Poll::Pending,
            }
        }
        cx.waker().wake_by_ref();
        Poll::Pending
    }

    /// What a completion of the multishot receive (from
    /// [`poll_multi`](Self::poll_multi)) means for the read.
    fn multi_result<R>(&self, got: MultiPolled<R>) -> MultiRecv<R> {
        let (cqe, bytes) = match got {
            Ok(Some(c)) => c,
            Ok(None) => return MultiRecv::Fallback,
            Err(e) => return MultiRecv::Err(e),
        };
        let count = |empty| {
            if let Some(h) = context::current() {
                h.driver.borrow_mut().count_pool_read(empty);
            }
        };
        match cqe.result {
            0 => MultiRecv::Got(0, bytes),
            n if n > 0 => match bytes {
                Some(r) => {
                    count(false);
                    MultiRecv::Got(n as usize, Some(r))
                }
                None => MultiRecv::Err(io::Error::other(
                    "io_uring reported received bytes without naming the buffer",
                )),
            },
            e if e == -libc::ENOBUFS => {
                count(true);
                MultiRecv::Fallback
            }
            e if e == -libc::EINVAL => {
                // Multishot receive needs Linux 6.0: use single receives.
                self.multi_off.set(true);
                MultiRecv::Fallback
            }
            e => MultiRecv::Err(io::Error::from_raw_os_error(-e)),
        }
    }

    /// One poll of a receive served from the loop's provided-buffer pool,
    /// for readers that lend a buffer only for the length of a poll (the
    /// poll-based I/O traits): up to `room` bytes are handed to `put`,
    /// possibly in several slices, copied straight out of the pool (the
    /// only copy), and a chunk's bytes beyond `room` wait in the stash for
    /// the next read. The multishot receive stays armed on the socket, so
    /// an idle socket holds no buffer and a read submits nothing; a read
    /// abandoned between polls loses nothing (nothing is in flight on its
    /// behalf). `Ok(0)`: end of stream (or `room` is 0).
    ///
    /// `Ready(None)`: not served from the pool this time (the epoll
    /// backend, no pool, a kernel without multishot receive, the pool ran
    /// dry, the socket reads directly): use [`recv`](Self::recv).
    pub(crate) fn poll_recv_pooled(
        &self,
        cx: &mut Context<'_>,
        room: usize,
        put: &mut dyn FnMut(&[u8]),
    ) -> Poll<Option<io::Result<usize>>> {
        let Some(s) = &self.stash else {
            return Poll::Ready(None);
        };
        if self.multi_off.get() || self.direct.get() {
            return Poll::Ready(None);
        }
        let Some(h) = context::current() else {
            return Poll::Ready(Some(Err(no_runtime())));
        };
        let bufs = {
            let mut d = h.driver.borrow_mut();
            if d.backend() == Backend::Epoll {
                return Poll::Ready(None);
            }
            d.read_buffers()
        };
        let Some(bufs) = bufs else {
            return Poll::Ready(None);
        };
        // Held for this poll only: a read still in the kernel (a dropped
        // `recv`'s) comes first.
        std::task::ready!(s.poll_begin(cx));
        let got = self.pooled_in_turn(cx, &bufs, s, room, put);
        s.finish();
        got
    }

    /// [`poll_recv_pooled`](Self::poll_recv_pooled) once it holds the turn.
    fn pooled_in_turn(
        &self,
        cx: &mut Context<'_>,
        bufs: &Rc<BufRing>,
        s: &StreamStash,
        room: usize,
        put: &mut dyn FnMut(&[u8]),
    ) -> Poll<Option<io::Result<usize>>> {
        if room == 0 {
            return Poll::Ready(Some(Ok(0)));
        }
        if let Some(n) = s.take_with(room, &mut *put) {
            return Poll::Ready(Some(Ok(n)));
        }
        // Hands out what fits; the rest of a chunk waits in the stash.
        let mut take = |bytes: &[u8], room: usize| {
            let n = bytes.len().min(room);
            put(&bytes[..n]);
            s.push(&bytes[n..]);
            n
        };
        let mut consume = Some(|bytes: &[u8]| take(bytes, room));
        let got = std::task::ready!(self.poll_multi(cx, bufs, &mut consume));
        match self.multi_result(got) {
            MultiRecv::Got(0, _) => Poll::Ready(Some(Ok(0))),
            MultiRecv::Got(_, Some(n)) => {
                let more = self.drain_multi(room - n, |bytes, left| take(bytes, left));
                Poll::Ready(Some(Ok(n + more)))
            }
            MultiRecv::Got(_, None) => Poll::Ready(Some(Ok(0))),
            MultiRecv::Err(e) => Poll::Ready(Some(Err(e))),
            MultiRecv::Fallback => Poll::Ready(None),
        }
    }

    /// Sends the initialised bytes of `buf`.
    pub(crate) async fn send<B: IoBuf>(&self, buf: B) -> (io::Result<usize>, B) {
        let driver = match loop_driver() {
            LoopDriver::Epoll(driver) => {
                let fd = self.raw();
                let call = || send_now(fd, &buf);
                let res = ReadyCall::new(driver, fd, Interest::Write, SEND_OPCODE, call).await;
                return (res.map(|n| n as usize), buf);
            }
            LoopDriver::Ops(driver) => driver,
        };
        let done = Op::submit(
            driver,
            Send {
                fd: self.raw(),
                buf,
            },
        )
        .await;
        (done.result.map(|n| n as usize), done.data.buf)
    }

    /// One non-blocking send of `buf`, now, outside the driver: how many
    /// bytes the socket took, or `WouldBlock` when its send buffer is full.
    pub(crate) fn try_send(&self, buf: &[u8]) -> io::Result<usize> {
        loop {
            // SAFETY: the pointer and length describe `buf`, borrowed for
            // the call; the kernel only reads it.
            let n = unsafe {
                libc::send(
                    self.raw(),
                    buf.as_ptr().cast(),
                    buf.len(),
                    libc::MSG_DONTWAIT | libc::MSG_NOSIGNAL,
                )
            };
            match usize::try_from(n) {
                Ok(n) => return Ok(n),
                Err(_) => {
                    let e = io::Error::last_os_error();
                    if e.kind() != io::ErrorKind::Interrupted {
                        return Err(e);
                    }
                }
            }
        }
    }

    /// Sends all of `buf`, looping over short sends.
    pub(crate) async fn send_all<B: IoBuf>(&self, buf: B) -> (io::Result<()>, B) {
        let total = buf.bytes_init();
        let mut done = 0;
        let mut slice = buf.slice(0..total);
        while done < total {
            let (res, s) = self.send(slice).await;
            let inner = s.into_inner();
            match res {
                Ok(0) => return (Err(io::ErrorKind::WriteZero.into()), inner),
                Ok(n) => done += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return (Err(e), inner),
            }
            slice = inner.slice(done..total);
        }
        (Ok(()), slice.into_inner())
    }

    /// Writes the buffers in order, in one gathered write.
    pub(crate) async fn writev<B: IoBuf>(&self, bufs: Vec<B>) -> (io::Result<usize>, Vec<B>) {
        let done = Op::submit(context::driver(), Writev::new(self.raw(), bufs)).await;
        (done.result.map(|n| n as usize), done.data.bufs)
    }

    /// Sends `buf` as one datagram to `addr`.
    pub(crate) async fn send_to<B: IoBuf>(&self, buf: B, addr: SockAddr) -> (io::Result<usize>, B) {
        let done = Op::submit(context::driver(), SendMsg::new(self.raw(), buf, addr)).await;
        (done.result.map(|n| n as usize), done.data.buf)
    }

    /// Receives one datagram and its sender's address; a datagram a dropped
    /// receive got comes first, with its sender (see [`crate::stash`]).
    pub(crate) async fn recv_from<B: IoBufMut>(
        &self,
        mut buf: B,
    ) -> (io::Result<(usize, SockAddr)>, B) {
        if !context::is_running() {
            return (Err(no_runtime()), buf);
        }
        let stash = self.datagrams.clone();
        if let Some(s) = &stash {
            let turn = s.turn().await;
            if let Some(got) = s.take_into(&mut buf) {
                return (Ok(got), buf);
            }
            // The receive below holds the turn; its completion ends it.
            turn.hand_over();
        }
        let keep = stash.clone().map(|s| s as _);
        let done = Op::submit(context::driver(), RecvMsg::new(self.raw(), buf, keep)).await;
        let from = done.data.source();
        let mut buf = done.data.buf;
        if let Some(s) = stash {
            s.finish();
        }
        // SAFETY: the result is the receive's into `buf`.
        let res = unsafe { buf::bytes_read(done.result, &mut buf) };
        (res.map(|n| (n, from)), buf)
    }

    /// Shuts down reading, writing or both.
    pub(crate) async fn shutdown(&self, how: std::net::Shutdown) -> io::Result<()> {
        let how = match how {
            std::net::Shutdown::Read => libc::SHUT_RD,
            std::net::Shutdown::Write => libc::SHUT_WR,
            std::net::Shutdown::Both => libc::SHUT_RDWR,
        };
        Op::submit(
            context::driver(),
            Shutdown {
                fd: self.raw(),
                how,
            },
        )
        .await
        .result
        .map(drop)
    }
}

//! The socket under every ringio socket type: an owned fd and the ring
//! operations on it.

use std::io;
use std::os::fd::{AsRawFd, RawFd};
use std::rc::Rc;

use bytes::BytesMut;

use crate::buf::{IoBuf, IoBufMut};
use crate::context;
use crate::driver::op::connect::Connect;
use crate::driver::op::recv::{Recv, RecvSelect};
use crate::driver::op::recvmsg::RecvMsg;
use crate::driver::op::send::Send;
use crate::driver::op::sendmsg::SendMsg;
use crate::driver::op::shutdown::Shutdown;
use crate::driver::op::writev::Writev;
use crate::driver::op::Op;
use crate::error::no_runtime;
use crate::fd::RingFd;
use crate::net::sockaddr::SockAddr;
use crate::net::stash::Stash;

/// The buffer `read_buf` receives into when the provided-buffer pool is
/// unavailable.
pub(crate) const READ_BUF_CHUNK: usize = 16 * 1024;

/// An owned socket. Stream sockets carry a [`Stash`] so that a dropped read
/// never loses bytes; datagram sockets do not (a datagram a dropped receive
/// got is dropped with it, as UDP may drop any datagram).
#[derive(Debug)]
pub(crate) struct Socket {
    fd: RingFd,
    stash: Option<Rc<Stash>>,
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
            fd: RingFd::new(fd),
            stash: stream.then(Rc::default),
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
        Op::submit(Connect {
            fd: self.raw(),
            addr: Box::new(addr),
        })
        .await
        .result
        .map(drop)
    }

    /// Receives into `buf` (from its start). On a stream socket, bytes a
    /// dropped receive got come first (see [`Stash`]).
    pub(crate) async fn recv<B: IoBufMut>(&self, mut buf: B) -> (io::Result<usize>, B) {
        if !context::is_running() {
            return (Err(no_runtime()), buf);
        }
        let stash = self.stash.clone();
        if let Some(s) = &stash {
            s.begin().await;
            if let Some(n) = s.take_into(&mut buf) {
                s.finish(None);
                return (Ok(n), buf);
            }
        }
        let done = Op::submit(Recv {
            fd: self.raw(),
            buf,
            stash,
        })
        .await;
        let Recv { mut buf, stash, .. } = done.data;
        if let Some(s) = stash {
            s.finish(None);
        }
        let res = done.result.map(|n| {
            // SAFETY: the kernel wrote `n` bytes at the start of the buffer.
            unsafe { buf.set_init(n as usize) };
            n as usize
        });
        (res, buf)
    }

    /// Receives one chunk (at most one provided buffer, 16 KiB by default)
    /// and appends it to `dst`; `Ok(0)` at end of stream. While the socket
    /// is idle no buffer is held: the kernel picks one from the loop's pool
    /// when data arrives. Where the pool is unavailable (an old kernel) or
    /// momentarily empty (`ENOBUFS`), receives into a buffer of its own.
    pub(crate) async fn read_buf(&self, dst: &mut BytesMut) -> io::Result<usize> {
        let Some(handle) = context::current() else {
            return Err(no_runtime());
        };
        let pool = handle.driver.borrow_mut().read_buffers();
        drop(handle);
        if let Some(bufs) = pool {
            let stash = self.stash.clone();
            if let Some(s) = &stash {
                s.begin().await;
                if let Some(n) = s.take_into_bytes(dst) {
                    s.finish(None);
                    return Ok(n);
                }
            }
            let done = Op::submit(RecvSelect {
                fd: self.raw(),
                bufs,
                stash,
            })
            .await;
            let op = done.data;
            let got = op.take(
                done.result.as_ref().map_or(-1, |&n| n as i32),
                done.flags,
                |bytes| {
                    dst.extend_from_slice(bytes);
                    bytes.len()
                },
            );
            if let Some(s) = &op.stash {
                s.finish(None);
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
        let (res, buf) = self.recv(Vec::with_capacity(READ_BUF_CHUNK)).await;
        let n = res?;
        dst.extend_from_slice(&buf[..n]);
        Ok(n)
    }

    /// Sends the initialised bytes of `buf`.
    pub(crate) async fn send<B: IoBuf>(&self, buf: B) -> (io::Result<usize>, B) {
        let done = Op::submit(Send {
            fd: self.raw(),
            buf,
        })
        .await;
        (done.result.map(|n| n as usize), done.data.buf)
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
        let done = Op::submit(Writev::new(self.raw(), bufs)).await;
        (done.result.map(|n| n as usize), done.data.bufs)
    }

    /// Sends `buf` as one datagram to `addr`.
    pub(crate) async fn send_to<B: IoBuf>(&self, buf: B, addr: SockAddr) -> (io::Result<usize>, B) {
        let done = Op::submit(SendMsg::new(self.raw(), buf, addr)).await;
        (done.result.map(|n| n as usize), done.data.buf)
    }

    /// Receives one datagram and its sender's address.
    pub(crate) async fn recv_from<B: IoBufMut>(
        &self,
        buf: B,
    ) -> (io::Result<(usize, SockAddr)>, B) {
        let done = Op::submit(RecvMsg::new(self.raw(), buf)).await;
        let from = done.data.source();
        let mut buf = done.data.buf;
        let res = done.result.map(|n| {
            // SAFETY: the kernel wrote `n` bytes at the start of the buffer.
            unsafe { buf.set_init(n as usize) };
            (n as usize, from)
        });
        (res, buf)
    }

    /// Shuts down reading, writing or both.
    pub(crate) async fn shutdown(&self, how: std::net::Shutdown) -> io::Result<()> {
        let how = match how {
            std::net::Shutdown::Read => libc::SHUT_RD,
            std::net::Shutdown::Write => libc::SHUT_WR,
            std::net::Shutdown::Both => libc::SHUT_RDWR,
        };
        Op::submit(Shutdown {
            fd: self.raw(),
            how,
        })
        .await
        .result
        .map(drop)
    }
}

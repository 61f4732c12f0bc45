//! The per-thread hub of one signal kind: its signalfd, the count of
//! deliveries so far, and which stream is watching the fd.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::io;
use std::mem;
use std::os::fd::AsRawFd;
use std::rc::{Rc, Weak};
use std::task::Waker;

use super::SignalKind;
use crate::fd::RingFd;

thread_local! {
    static HUBS: RefCell<HashMap<i32, Weak<Hub>>> = RefCell::new(HashMap::new());
}

#[derive(Debug)]
pub(crate) struct Hub {
    pub(crate) fd: RingFd,
    /// Deliveries read from the fd so far.
    pub(crate) deliveries: Cell<u64>,
    /// A stream has a POLL_ADD on the fd in flight.
    pub(crate) watching: Cell<bool>,
    /// Streams waiting for the watcher's news.
    waiters: RefCell<Vec<Waker>>,
}

impl Hub {
    /// This thread's hub for `kind`, made (and the signal blocked) on
    /// first use.
    pub(crate) fn get(kind: SignalKind) -> io::Result<Rc<Hub>> {
        let signum = kind.as_raw();
        if let Some(hub) = HUBS.with(|h| h.borrow().get(&signum).and_then(Weak::upgrade)) {
            return Ok(hub);
        }
        if signum <= 0
            || signum > libc::SIGRTMAX()
            || [libc::SIGKILL, libc::SIGSTOP].contains(&signum)
        {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("signal {signum} cannot be caught"),
            ));
        }
        // SAFETY: sigset_t is plain data, initialised by sigemptyset.
        let mut set: libc::sigset_t = unsafe { mem::zeroed() };
        // SAFETY: `set` is a valid sigset_t; the signal number was checked.
        let fd = unsafe {
            libc::sigemptyset(&mut set);
            libc::sigaddset(&mut set, signum);
            let r = libc::pthread_sigmask(libc::SIG_BLOCK, &set, std::ptr::null_mut());
            if r != 0 {
                return Err(io::Error::from_raw_os_error(r));
            }
            libc::signalfd(-1, &set, libc::SFD_NONBLOCK | libc::SFD_CLOEXEC)
        };
        if fd < 0 {
            return Err(io::Error::last_os_error());
        }
        let hub = Rc::new(Hub {
            fd: RingFd::new(fd),
            deliveries: Cell::new(0),
            watching: Cell::new(false),
            waiters: RefCell::new(Vec::new()),
        });
        HUBS.with(|h| h.borrow_mut().insert(signum, Rc::downgrade(&hub)));
        Ok(hub)
    }

    /// Reads every pending delivery off the fd (non-blocking); returns how
    /// many there were and wakes the waiting streams if any.
    pub(crate) fn drain(&self) -> io::Result<u64> {
        let mut n = 0;
        loop {
            // SAFETY: signalfd_siginfo is plain data.
            let mut info: libc::signalfd_siginfo = unsafe { mem::zeroed() };
            let size = mem::size_of::<libc::signalfd_siginfo>();
            // SAFETY: reading into a live struct of `size` bytes.
            let r = unsafe {
                libc::read(
                    self.fd.as_raw_fd(),
                    (&mut info as *mut libc::signalfd_siginfo).cast(),
                    size,
                )
            };
            if r == size as isize {
                n += 1;
                continue;
            }
            let err = io::Error::last_os_error();
            match err.raw_os_error() {
                _ if r >= 0 => break,
                Some(libc::EAGAIN) => break,
                Some(libc::EINTR) => continue,
                _ => return Err(err),
            }
        }
        if n > 0 {
            self.deliveries.set(self.deliveries.get() + n);
            self.wake_all();
        }
        Ok(n)
    }

    pub(crate) fn wait(&self, waker: &Waker) {
        let mut w = self.waiters.borrow_mut();
        if !w.iter().any(|x| x.will_wake(waker)) {
            w.push(waker.clone());
        }
    }

    /// Wakes every waiting stream (news, or the watcher went away).
    pub(crate) fn wake_all(&self) {
        let waiters = mem::take(&mut *self.waiters.borrow_mut());
        for w in waiters {
            w.wake();
        }
    }
}

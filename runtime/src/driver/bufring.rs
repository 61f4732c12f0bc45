//! A ring of provided buffers (`IORING_REGISTER_PBUF_RING`): a pool of
//! receive buffers shared by every socket of the loop, from which the kernel
//! picks one only when data arrives.
//!
//! A receive submitted with `IOSQE_BUFFER_SELECT` names the pool's group
//! instead of a buffer, so a connection waiting for data holds no buffer at
//! all: 10,000 idle connections cost nothing here. The completion says which
//! buffer the kernel filled (`IORING_CQE_F_BUFFER` and the id in the upper
//! flag bits); its owner copies the bytes out and gives its part of the
//! buffer straight back with [`BufRing::release`].
//!
//! # Incremental consumption
//!
//! Where the kernel has it (`IOU_PBUF_RING_INC`, Linux 6.12), the ring is
//! registered for incremental consumption: a receive takes only the bytes it
//! got from the current buffer, and the next receive (of any socket)
//! continues in the same buffer after them, so one 16 KiB buffer serves a
//! hundred 128-byte messages instead of one. The completion names the
//! buffer but not the offset: the kernel hands out each buffer's bytes in
//! order, so [`BufRing::observe`] assigns offsets as the driver reaps the
//! completions, in completion order, and records the offset in the
//! [`Cqe`]. A buffer goes back to the kernel once the kernel has finished
//! with it (a completion without `IORING_CQE_F_BUF_MORE`) and every part
//! of it has been released. Older kernels get one buffer per receive.
//!
//! # Growth
//!
//! When a receive finds the pool empty (`ENOBUFS`, which also ends a
//! multishot receive), the pool doubles its buffers at the end of that
//! batch of completions, up to [`GROWTH`] times its configured count: the
//! ring is registered with room for all of them, and the new buffers are
//! simply added to it (same group), so the next receive armed finds them.
//!
//! # Memory
//!
//! The ring of `io_uring_buf` descriptors (page-aligned, as the kernel
//! requires) that we write and the kernel reads, and the buffer chunks that
//! the kernel writes, are owned here and never moved or freed before the
//! pool is dropped. The driver drops its `Rc<BufRing>` only after the
//! io_uring fd is closed (or leaks it when shutdown gives up), and every
//! receive op that may select a buffer holds another `Rc`, so no allocation
//! is freed while the kernel may touch it.

use std::alloc::{self, Layout};
use std::cell::{Cell, RefCell};
use std::io;
use std::ptr::NonNull;
use std::sync::atomic::{AtomicU16, Ordering};

use io_uring::cqueue;
use io_uring::types::BufRingEntry;
use io_uring::IoUring;

use super::Cqe;

/// The buffer group id of the loop's pool (one pool per ring).
pub(crate) const GROUP: u16 = 0;

/// How many times its configured count of buffers the pool may grow to.
pub(crate) const GROWTH: u16 = 8;

/// `IOU_PBUF_RING_INC` (Linux 6.12): buffers consumed incrementally.
const IOU_PBUF_RING_INC: u16 = 2;

/// What the pool knows of one buffer between its hand-outs to the kernel.
#[derive(Debug, Default, Clone, Copy)]
struct BufState {
    /// Where the next completion's bytes start (incremental consumption).
    next_off: u32,
    /// Completions naming this buffer whose bytes were not released yet.
    parts: u32,
    /// The kernel is done with the buffer: it moved on to the next one.
    kernel_done: bool,
}

/// The provided-buffer pool of one ring.
pub(crate) struct BufRing {
    /// `entries` descriptors, page-aligned.
    ring: NonNull<BufRingEntry>,
    ring_layout: Layout,
    /// The most buffers the ring can hold (a power of two).
    entries: u16,
    /// Buffer chunks: chunk 0 holds buffers `0..count`, chunk `k >= 1`
    /// holds `count << (k - 1)..count << k` (each growth doubles the pool).
    chunks: RefCell<Vec<(NonNull<u8>, Layout)>>,
    /// Buffers in the first chunk (a power of two).
    count: u16,
    /// Buffers in all chunks.
    total: Cell<u16>,
    size: u32,
    /// Registered with `IOU_PBUF_RING_INC`.
    incremental: bool,
    /// Per buffer id, `entries` long.
    state: Box<[Cell<BufState>]>,
    /// Our copy of the tail (the kernel only reads the shared one).
    tail: Cell<u16>,
    /// A completion of the current batch found the pool empty.
    starved: Cell<bool>,
    /// Times the pool grew.
    grown: Cell<u32>,
}

impl BufRing {
    /// Allocates `count` buffers of `size` bytes and registers them with
    /// `ring` as group [`GROUP`], with room to grow to [`GROWTH`] times
    /// `count`, incrementally consumed where the kernel can. `count` must
    /// be a power of two in 1..=32768. Fails with the kernel's error where
    /// provided-buffer rings are not supported (before Linux 5.19).
    pub(crate) fn register(ring: &IoUring, count: u16, size: u32) -> io::Result<BufRing> {
        let invalid = |what: &str| io::Error::new(io::ErrorKind::InvalidInput, what.to_string());
        if count == 0 || !count.is_power_of_two() || count > 32768 {
            return Err(invalid(
                "the read buffer count must be a power of two up to 32768",
            ));
        }
        if size == 0 {
            return Err(invalid("the read buffer size must not be zero"));
        }
        let entries =
            u16::try_from((u32::from(count) * u32::from(GROWTH)).min(32768)).unwrap_or(32768);
        // SAFETY: sysconf has no preconditions.
        let page = usize::try_from(unsafe { libc::sysconf(libc::_SC_PAGESIZE) })
            .ok()
            .filter(|p| p.is_power_of_two())
            .unwrap_or(4096);
        let ring_layout = Layout::from_size_align(
            usize::from(entries) * std::mem::size_of::<BufRingEntry>(),
            page,
        )
        .map_err(|_| invalid("read buffer ring too large"))?;
        // SAFETY: the layout has a non-zero size (entries >= 1).
        let ring_ptr = unsafe { alloc::alloc_zeroed(ring_layout) };
        let Some(ring_nn) = NonNull::new(ring_ptr.cast::<BufRingEntry>()) else {
            alloc::handle_alloc_error(ring_layout)
        };
        let this = BufRing {
            ring: ring_nn,
            ring_layout,
            entries,
            chunks: RefCell::new(Vec::new()),
            count,
            total: Cell::new(0),
            size,
            incremental: false,
            state: (0..entries).map(|_| Cell::default()).collect(),
            tail: Cell::new(0),
            starved: Cell::new(false),
            grown: Cell::new(0),
        };
        // The first chunk, before registering: a failure here frees the
        // descriptors (Drop) without the kernel having seen them.
        this.add_chunk(count)?;
        let mut this = this;
        let register = |flags| {
            // SAFETY: the descriptor memory is page-aligned, `entries` long,
            // zeroed (tail 0), and stays allocated until this BufRing is
            // dropped, which the driver does only after closing the ring
            // (see the module docs).
            unsafe {
                ring.submitter().register_buf_ring_with_flags(
                    this.ring.as_ptr() as u64,
                    entries,
                    GROUP,
                    flags,
                )
            }
        };
        match register(IOU_PBUF_RING_INC) {
            Ok(()) => this.incremental = true,
            // An unknown flag: a kernel before 6.12.
            Err(e) if e.raw_os_error() == Some(libc::EINVAL) => register(0)?,
            Err(e) => return Err(e),
        }
        this.total.set(count);
        for bid in 0..count {
            this.push(bid);
        }
        this.publish();
        Ok(this)
    }

    /// Allocates the buffers of ids `total..total + n` (not yet offered).
    fn add_chunk(&self, n: u16) -> io::Result<()> {
        let len = usize::from(n)
            .checked_mul(self.size as usize)
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "read buffers too large"))?;
        let layout = Layout::from_size_align(len, 64)
            .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "read buffers too large"))?;
        // SAFETY: the layout has a non-zero size (n, size >= 1). The buffers
        // are left uninitialised: only bytes the kernel reports having
        // written are ever read.
        let ptr = unsafe { alloc::alloc(layout) };
        let Some(nn) = NonNull::new(ptr) else {
            return Err(io::Error::from(io::ErrorKind::OutOfMemory));
        };
        self.chunks.borrow_mut().push((nn, layout));
        Ok(())
    }

    /// Bytes in one buffer: the most one receive can return.
    pub(crate) fn size(&self) -> u32 {
        self.size
    }

    /// Whether the ring consumes buffers incrementally (`IOU_PBUF_RING_INC`).
    pub(crate) fn incremental(&self) -> bool {
        self.incremental
    }

    /// Buffers in the pool now (grown from the configured count).
    pub(crate) fn buffers(&self) -> u16 {
        self.total.get()
    }

    /// Times the pool grew because receives found it empty.
    pub(crate) fn times_grown(&self) -> u32 {
        self.grown.get()
    }

    /// The start of buffer `bid`; `None` for an id we never offered.
    fn buf_ptr(&self, bid: u16) -> Option<NonNull<u8>> {
        if bid >= self.total.get() {
            return None;
        }
        let (chunk, idx) = if bid < self.count {
            (0, bid)
        } else {
            // Chunk k >= 1 starts at count << (k - 1).
            let k = (bid / self.count).ilog2() as usize + 1;
            (k, bid - (self.count << (k - 1)))
        };
        let base = self.chunks.borrow().get(chunk)?.0;
        // SAFETY: idx is below the chunk's buffer count, so the offset lies
        // inside its allocation.
        Some(unsafe { base.add(usize::from(idx) * self.size as usize) })
    }

    /// Called by the driver for every completion it reaps, in completion
    /// order: records which part of its buffer a receive filled (its offset
    /// goes into `cqe.buf_off`) and notes a pool found empty.
    pub(crate) fn observe(&self, cqe: &mut Cqe) {
        if cqe.result == -libc::ENOBUFS {
            self.starved.set(true);
            return;
        }
        let Some(bid) = cqueue::buffer_select(cqe.flags) else {
            return;
        };
        let Some(cell) = self.state.get(usize::from(bid)) else {
            return;
        };
        let mut st = cell.get();
        let len = u32::try_from(cqe.result).unwrap_or(0);
        cqe.buf_off = st.next_off;
        st.next_off = st.next_off.saturating_add(len).min(self.size);
        st.parts += 1;
        // Without incremental consumption every receive uses its buffer up;
        // with it, only one that got bytes and filled the buffer's rest (an
        // empty one leaves the buffer current, whatever its flags say).
        if !self.incremental || (len > 0 && !cqueue::buffer_more(cqe.flags)) {
            st.kernel_done = true;
        }
        cell.set(st);
    }

    /// Called by the driver after each batch of completions: if one found
    /// the pool empty, doubles it (up to [`GROWTH`] times its first size).
    pub(crate) fn end_batch(&self) {
        if !self.starved.replace(false) {
            return;
        }
        let total = self.total.get();
        if total >= self.entries {
            return;
        }
        let n = total.min(self.entries - total);
        if let Err(e) = self.add_chunk(n) {
            tracing::debug!(error = %e, "could not grow the provided-buffer pool");
            return;
        }
        self.total.set(total + n);
        for bid in total..total + n {
            self.push(bid);
        }
        self.grown.set(self.grown.get() + 1);
        self.publish();
    }

    /// Hands `f` the bytes a completion of the pool's group reported (none
    /// if it names no buffer), then releases its part of the buffer.
    pub(crate) fn consume<R>(&self, cqe: &Cqe, f: impl FnOnce(&[u8]) -> R) -> Option<R> {
        let bid = cqueue::buffer_select(cqe.flags)?;
        let base = self.buf_ptr(bid)?;
        let off = cqe.buf_off.min(self.size) as usize;
        let len = usize::try_from(cqe.result)
            .unwrap_or(0)
            .min(self.size as usize - off);
        // SAFETY: off + len <= size, so the range lies inside buffer `bid`;
        // the kernel wrote these `len` bytes before posting the completion
        // and, this part being unreleased, neither gives the buffer back
        // nor writes these bytes again (later receives continue after
        // them) until `release` below, after `f` has returned and the
        // slice is gone.
        let bytes = unsafe { std::slice::from_raw_parts(base.as_ptr().add(off), len) };
        let out = f(bytes);
        self.release(cqe);
        Some(out)
    }

    /// Releases the part of its buffer that completion `cqe` reported
    /// without reading it; the buffer goes back to the kernel once the
    /// kernel is done with it and all its parts are released.
    pub(crate) fn release(&self, cqe: &Cqe) {
        let Some(bid) = cqueue::buffer_select(cqe.flags) else {
            return;
        };
        let Some(cell) = self.state.get(usize::from(bid)) else {
            return;
        };
        let mut st = cell.get();
        st.parts = st.parts.saturating_sub(1);
        if st.parts == 0 && st.kernel_done {
            cell.set(BufState::default());
            self.push(bid);
            self.publish();
        } else {
            cell.set(st);
        }
    }

    /// Writes the descriptor of buffer `bid` at our tail.
    fn push(&self, bid: u16) {
        let Some(addr) = self.buf_ptr(bid) else {
            return;
        };
        let tail = self.tail.get();
        let idx = usize::from(tail & (self.entries - 1));
        // SAFETY: idx < entries, inside the descriptor allocation. The
        // kernel reads only descriptors between its head and the published
        // tail, and this slot is beyond the published tail until `publish`
        // (the pool never holds more buffers than the ring has entries, so
        // the slot is not one the kernel still uses).
        unsafe {
            let entry = &mut *self.ring.as_ptr().add(idx);
            entry.set_addr(addr.as_ptr() as u64);
            entry.set_len(self.size);
            entry.set_bid(bid);
        }
        self.tail.set(tail.wrapping_add(1));
    }

    /// Makes the descriptors pushed so far visible to the kernel.
    fn publish(&self) {
        // SAFETY: the tail field lives inside the first descriptor of our
        // allocation, is 2-aligned, and is only ever accessed atomically by
        // us and by the kernel (which only loads it).
        unsafe {
            let tail = BufRingEntry::tail(self.ring.as_ptr()) as *const AtomicU16;
            (*tail).store(self.tail.get(), Ordering::Release);
        }
    }
}

impl Drop for BufRing {
    fn drop(&mut self) {
        // SAFETY: allocated in `register` / `add_chunk` with these layouts;
        // the kernel no longer uses them (the ring is closed, see the
        // module docs).
        unsafe {
            alloc::dealloc(self.ring.as_ptr().cast(), self.ring_layout);
            for (ptr, layout) in self.chunks.get_mut().drain(..) {
                alloc::dealloc(ptr.as_ptr(), layout);
            }
        }
    }
}

impl std::fmt::Debug for BufRing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BufRing")
            .field("buffers", &self.total.get())
            .field("size", &self.size)
            .field("incremental", &self.incremental)
            .finish()
    }
}

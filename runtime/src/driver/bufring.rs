//! A ring of provided buffers (`IORING_REGISTER_PBUF_RING`): a pool of
//! receive buffers shared by every socket of the loop, from which the kernel
//! picks one only when data arrives.
//!
//! A receive submitted with `IOSQE_BUFFER_SELECT` names the pool's group
//! instead of a buffer, so a connection waiting for data holds no buffer at
//! all: 10,000 idle connections cost nothing here. The completion says which
//! buffer the kernel filled (`IORING_CQE_F_BUFFER` and the id in the upper
//! flag bits); its owner copies the bytes out and gives the buffer straight
//! back with [`BufRing::recycle`], so the pool only runs dry (`ENOBUFS`) when
//! more connections than it has buffers complete in the same loop turn, and
//! the caller then receives into a buffer of its own instead.
//!
//! # Memory
//!
//! Two allocations, both owned here and never moved: the ring of
//! `io_uring_buf` descriptors (page-aligned, as the kernel requires) that we
//! write and the kernel reads, and the buffers themselves that the kernel
//! writes. The driver drops its `Rc<BufRing>` only after the io_uring fd is
//! closed (or leaks it when shutdown gives up), and every receive op that
//! may select a buffer holds another `Rc`, so neither allocation is freed
//! while the kernel may touch it.

use std::alloc::{self, Layout};
use std::cell::Cell;
use std::io;
use std::ptr::NonNull;
use std::sync::atomic::{AtomicU16, Ordering};

use io_uring::types::BufRingEntry;
use io_uring::IoUring;

/// The buffer group id of the loop's pool (one pool per ring).
pub(crate) const GROUP: u16 = 0;

/// The provided-buffer pool of one ring.
pub(crate) struct BufRing {
    /// `count` descriptors, page-aligned.
    ring: NonNull<BufRingEntry>,
    ring_layout: Layout,
    /// `count * size` bytes of buffers.
    bufs: NonNull<u8>,
    bufs_layout: Layout,
    count: u16,
    size: u32,
    /// Our copy of the tail (the kernel only reads the shared one).
    tail: Cell<u16>,
}

impl BufRing {
    /// Allocates `count` buffers of `size` bytes and registers them with
    /// `ring` as group [`GROUP`]. `count` must be a power of two in
    /// 1..=32768. Fails with the kernel's error where provided-buffer rings
    /// are not supported (before Linux 5.19).
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
        // SAFETY: sysconf has no preconditions.
        let page = usize::try_from(unsafe { libc::sysconf(libc::_SC_PAGESIZE) })
            .ok()
            .filter(|p| p.is_power_of_two())
            .unwrap_or(4096);
        let ring_layout = Layout::from_size_align(
            usize::from(count) * std::mem::size_of::<BufRingEntry>(),
            page,
        )
        .map_err(|_| invalid("read buffer ring too large"))?;
        let bufs_len = usize::from(count)
            .checked_mul(size as usize)
            .ok_or_else(|| invalid("read buffers too large"))?;
        let bufs_layout =
            Layout::from_size_align(bufs_len, 64).map_err(|_| invalid("read buffers too large"))?;
        // SAFETY: both layouts have a non-zero size (count, size >= 1).
        let ring_ptr = unsafe { alloc::alloc_zeroed(ring_layout) };
        let Some(ring_nn) = NonNull::new(ring_ptr.cast::<BufRingEntry>()) else {
            alloc::handle_alloc_error(ring_layout)
        };
        // SAFETY: as above. The buffers are left uninitialised: only bytes
        // the kernel reports having written are ever read.
        let bufs_ptr = unsafe { alloc::alloc(bufs_layout) };
        let Some(bufs_nn) = NonNull::new(bufs_ptr) else {
            // SAFETY: allocated just above with this layout.
            unsafe { alloc::dealloc(ring_ptr, ring_layout) };
            alloc::handle_alloc_error(bufs_layout)
        };
        let this = BufRing {
            ring: ring_nn,
            ring_layout,
            bufs: bufs_nn,
            bufs_layout,
            count,
            size,
            tail: Cell::new(0),
        };
        // SAFETY: the descriptor memory is page-aligned, `count` entries
        // long, zeroed (tail 0), and stays allocated until this BufRing is
        // dropped, which the driver does only after closing the ring (see the
        // module docs).
        unsafe {
            ring.submitter().register_buf_ring_with_flags(
                this.ring.as_ptr() as u64,
                count,
                GROUP,
                0,
            )?;
        }
        for bid in 0..count {
            this.push(bid);
        }
        this.publish();
        Ok(this)
    }

    /// Bytes in one buffer: the most one receive can return.
    pub(crate) fn size(&self) -> u32 {
        self.size
    }

    /// Hands `f` the first `len` bytes of buffer `bid` (which a completion
    /// reported the kernel filled), then gives the buffer back to the kernel.
    pub(crate) fn consume<R>(&self, bid: u16, len: usize, f: impl FnOnce(&[u8]) -> R) -> R {
        let bid = bid & (self.count - 1);
        let len = len.min(self.size as usize);
        // SAFETY: bid < count, so the range lies inside the buffers'
        // allocation; the kernel wrote these `len` bytes before posting the
        // completion and does not touch this buffer again until it is
        // recycled below, after `f` has returned and the slice is gone.
        let bytes = unsafe {
            std::slice::from_raw_parts(
                self.bufs
                    .as_ptr()
                    .add(usize::from(bid) * self.size as usize),
                len,
            )
        };
        let out = f(bytes);
        self.recycle(bid);
        out
    }

    /// Gives buffer `bid` back to the kernel.
    pub(crate) fn recycle(&self, bid: u16) {
        self.push(bid & (self.count - 1));
        self.publish();
    }

    /// Writes the descriptor of buffer `bid` at our tail.
    fn push(&self, bid: u16) {
        let tail = self.tail.get();
        let idx = usize::from(tail & (self.count - 1));
        // SAFETY: idx < count, inside the descriptor allocation. The kernel
        // reads only descriptors between its head and the published tail,
        // and this slot is beyond the published tail until `publish`.
        unsafe {
            let entry = &mut *self.ring.as_ptr().add(idx);
            entry.set_addr(
                self.bufs
                    .as_ptr()
                    .add(usize::from(bid) * self.size as usize) as u64,
            );
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
        // SAFETY: allocated in `register` with these layouts; the kernel no
        // longer uses them (the ring is closed, see the module docs).
        unsafe {
            alloc::dealloc(self.ring.as_ptr().cast(), self.ring_layout);
            alloc::dealloc(self.bufs.as_ptr(), self.bufs_layout);
        }
    }
}

impl std::fmt::Debug for BufRing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BufRing")
            .field("count", &self.count)
            .field("size", &self.size)
            .finish()
    }
}

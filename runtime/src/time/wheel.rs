//! A hierarchical timer wheel: 6 levels of 64 slots, 1 ms per tick at level
//! 0, 64 ms per slot at level 1, ... (64^6 ms, about 2.2 years, in all;
//! later deadlines are clamped to that horizon and re-checked when reached).
//!
//! An entry sits at the lowest level where its deadline and the wheel's
//! current time differ only in that level's 6 bits, so entries of a lower
//! level always expire before any slot of a higher one. When the wheel
//! reaches a higher-level slot, its entries cascade down (or fire). Entries
//! live in a slab and are chained per slot through `prev`/`next` keys, so
//! insertion and removal are O(1); finding the next expiry scans at most one
//! 64-bit occupancy mask per level.

use std::task::Waker;

use slab::Slab;

const LEVELS: usize = 6;
const SLOT_BITS: u32 = 6;
const SLOTS: usize = 1 << SLOT_BITS;
const MAX_TICK: u64 = (1 << (SLOT_BITS as u64 * LEVELS as u64)) - 1;
const NONE: usize = usize::MAX;

/// A key of one timer in the wheel.
pub(crate) type TimerKey = usize;

struct Entry {
    /// Absolute tick of the deadline.
    when: u64,
    waker: Option<Waker>,
    fired: bool,
    /// Position when linked into a slot.
    level: u8,
    slot: u8,
    prev: usize,
    next: usize,
}

#[derive(Clone, Copy)]
struct Level {
    occupied: u64,
    heads: [usize; SLOTS],
}

/// Where the next expiry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Expiration {
    level: usize,
    slot: usize,
    /// First tick of that slot.
    deadline: u64,
}

pub(crate) struct Wheel {
    /// The tick the wheel has advanced to.
    elapsed: u64,
    levels: [Level; LEVELS],
    entries: Slab<Entry>,
}

impl Wheel {
    pub(crate) fn new() -> Wheel {
        Wheel {
            elapsed: 0,
            levels: [Level {
                occupied: 0,
                heads: [NONE; SLOTS],
            }; LEVELS],
            entries: Slab::new(),
        }
    }

    /// Timers registered (fired ones included until removed).
    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    /// Adds a timer for tick `when`. Returns its key and whether it has
    /// already expired (then it is stored as fired and nothing is woken).
    pub(crate) fn insert(&mut self, when: u64, waker: Waker) -> (TimerKey, bool) {
        let when = when.min(MAX_TICK);
        let expired = when <= self.elapsed;
        let key = self.entries.insert(Entry {
            when,
            waker: Some(waker),
            fired: expired,
            level: 0,
            slot: 0,
            prev: NONE,
            next: NONE,
        });
        if !expired {
            self.link(key);
        }
        (key, expired)
    }

    /// True once the timer fired.
    pub(crate) fn is_fired(&self, key: TimerKey) -> bool {
        self.entries.get(key).is_none_or(|e| e.fired)
    }

    /// Replaces the waker of a pending timer.
    pub(crate) fn set_waker(&mut self, key: TimerKey, waker: &Waker) {
        if let Some(e) = self.entries.get_mut(key) {
            match &e.waker {
                Some(w) if w.will_wake(waker) => {}
                _ => e.waker = Some(waker.clone()),
            }
        }
    }

    /// Removes a timer, fired or not.
    pub(crate) fn remove(&mut self, key: TimerKey) {
        if let Some(e) = self.entries.get(key) {
            if !e.fired {
                self.unlink(key);
            }
            self.entries.remove(key);
        }
    }

    /// The tick of the next expiry, if any timer is pending.
    pub(crate) fn next_expiration(&self) -> Option<u64> {
        self.next_slot().map(|e| e.deadline)
    }

    /// Advances to tick `now`, marking due timers fired and collecting their
    /// wakers into `wakes`.
    pub(crate) fn advance(&mut self, now: u64, wakes: &mut Vec<Waker>) {
        let now = now.min(MAX_TICK);
        while let Some(exp) = self.next_slot() {
            if exp.deadline > now {
                break;
            }
            self.elapsed = exp.deadline.max(self.elapsed);
            let lvl = &mut self.levels[exp.level];
            let mut key = lvl.heads[exp.slot];
            lvl.heads[exp.slot] = NONE;
            lvl.occupied &= !(1u64 << exp.slot);
            while key != NONE {
                let e = &mut self.entries[key];
                let next = e.next;
                e.prev = NONE;
                e.next = NONE;
                if e.when <= now {
                    e.fired = true;
                    if let Some(w) = e.waker.take() {
                        wakes.push(w);
                    }
                } else {
                    self.link(key);
                }
                key = next;
            }
        }
        self.elapsed = self.elapsed.max(now);
    }

    fn level_for(&self, when: u64) -> usize {
        let masked = (self.elapsed ^ when) | (SLOTS as u64 - 1);
        let significant = 63 - masked.leading_zeros() as usize;
        (significant / SLOT_BITS as usize).min(LEVELS - 1)
    }

    fn link(&mut self, key: TimerKey) {
        let when = self.entries[key].when;
        let level = self.level_for(when);
        let slot = ((when >> (level as u32 * SLOT_BITS)) as usize) & (SLOTS - 1);
        let lvl = &mut self.levels[level];
        let head = lvl.heads[slot];
        lvl.heads[slot] = key;
        lvl.occupied |= 1u64 << slot;
        if head != NONE {
            self.entries[head].prev = key;
        }
        let e = &mut self.entries[key];
        e.level = level as u8;
        e.slot = slot as u8;
        e.prev = NONE;
        e.next = head;
    }

    fn unlink(&mut self, key: TimerKey) {
        let (level, slot, prev, next) = {
            let e = &self.entries[key];
            (e.level as usize, e.slot as usize, e.prev, e.next)
        };
        if prev != NONE {
            self.entries[prev].next = next;
        } else {
            let lvl = &mut self.levels[level];
            lvl.heads[slot] = next;
            if next == NONE {
                lvl.occupied &= !(1u64 << slot);
            }
        }
        if next != NONE {
            self.entries[next].prev = prev;
        }
    }

    fn next_slot(&self) -> Option<Expiration> {
        for level in 0..LEVELS {
            let occupied = self.levels[level].occupied;
            if occupied == 0 {
                continue;
            }
            let slot_range = 1u64 << (level as u32 * SLOT_BITS);
            let level_range = slot_range << SLOT_BITS;
            let now_slot = ((self.elapsed / slot_range) % SLOTS as u64) as u32;
            let rotated = occupied.rotate_right(now_slot);
            let slot = ((rotated.trailing_zeros() + now_slot) % SLOTS as u32) as u64;
            let level_start = self.elapsed & !(level_range.wrapping_sub(1));
            let mut deadline = level_start + slot * slot_range;
            if deadline < self.elapsed && level == LEVELS - 1 {
                deadline += level_range;
            }
            return Some(Expiration {
                level,
                slot: slot as usize,
                deadline: deadline.max(self.elapsed),
            });
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;
    use std::task::Wake;

    struct Count(AtomicUsize);
    impl Wake for Count {
        fn wake(self: Arc<Self>) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }

    fn waker() -> Waker {
        Waker::from(Arc::new(Count(AtomicUsize::new(0))))
    }

    /// Advances tick by tick and returns the tick at which each key fired.
    fn fire_ticks(wheel: &mut Wheel, keys: &[TimerKey], until: u64) -> Vec<Option<u64>> {
        let mut fired = vec![None; keys.len()];
        let mut wakes = Vec::new();
        for t in 0..=until {
            wheel.advance(t, &mut wakes);
            for (i, &k) in keys.iter().enumerate() {
                if fired[i].is_none() && wheel.is_fired(k) {
                    fired[i] = Some(t);
                }
            }
        }
        fired
    }

    #[test]
    fn fires_each_timer_exactly_at_its_tick() {
        let mut w = Wheel::new();
        let whens = [1u64, 2, 63, 64, 65, 127, 128, 4095, 4096, 4097, 70_000];
        let keys: Vec<_> = whens.iter().map(|&t| w.insert(t, waker()).0).collect();
        let fired = fire_ticks(&mut w, &keys, 70_001);
        for (i, &t) in whens.iter().enumerate() {
            assert_eq!(fired[i], Some(t), "timer for tick {t}");
        }
    }

    #[test]
    fn next_expiration_is_the_earliest_slot() {
        let mut w = Wheel::new();
        assert_eq!(w.next_expiration(), None);
        w.insert(500, waker());
        w.insert(70, waker());
        // 70 sits at level 1 (slot 64..128): its slot starts at tick 64.
        assert_eq!(w.next_expiration(), Some(64));
        let mut wakes = Vec::new();
        w.advance(64, &mut wakes);
        assert!(wakes.is_empty());
        assert_eq!(w.next_expiration(), Some(70));
        w.advance(70, &mut wakes);
        assert_eq!(wakes.len(), 1);
    }

    #[test]
    fn removed_timer_never_fires() {
        let mut w = Wheel::new();
        let (a, _) = w.insert(10, waker());
        let (b, _) = w.insert(10, waker());
        let (c, _) = w.insert(10, waker());
        w.remove(b);
        let mut wakes = Vec::new();
        w.advance(10, &mut wakes);
        assert_eq!(wakes.len(), 2);
        assert!(w.is_fired(a) && w.is_fired(c));
        w.remove(a);
        w.remove(c);
        assert_eq!(w.len(), 0);
        assert_eq!(w.next_expiration(), None);
    }

    #[test]
    fn past_deadline_is_expired_at_insert() {
        let mut w = Wheel::new();
        let mut wakes = Vec::new();
        w.advance(100, &mut wakes);
        let (k, expired) = w.insert(50, waker());
        assert!(expired);
        assert!(w.is_fired(k));
    }

    #[test]
    fn far_future_is_clamped_not_lost() {
        let mut w = Wheel::new();
        let (k, _) = w.insert(u64::MAX, waker());
        assert!(!w.is_fired(k));
        assert!(w.next_expiration().is_some());
    }

    #[test]
    fn matches_a_sorted_reference_under_random_load() {
        // xorshift: deterministic pseudo-random deadlines and removals.
        let mut seed = 0x9E37_79B9_7F4A_7C15u64;
        let mut rnd = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let mut w = Wheel::new();
        let mut live: Vec<(TimerKey, u64)> = Vec::new();
        let mut now = 0u64;
        let mut wakes = Vec::new();
        for _ in 0..20_000 {
            match rnd() % 4 {
                0 | 1 => {
                    let when = now + 1 + rnd() % 300_000;
                    let (k, expired) = w.insert(when, waker());
                    assert!(!expired);
                    live.push((k, when));
                }
                2 if !live.is_empty() => {
                    let i = (rnd() as usize) % live.len();
                    let (k, _) = live.swap_remove(i);
                    w.remove(k);
                }
                _ => {
                    // Jump to the next expiry or a bit further.
                    let target = match w.next_expiration() {
                        Some(t) => t + rnd() % 3,
                        None => now + 1,
                    };
                    now = target.max(now);
                    wakes.clear();
                    w.advance(now, &mut wakes);
                    let mut expected = 0;
                    live.retain(|&(k, when)| {
                        let due = when <= now;
                        assert_eq!(w.is_fired(k), due, "timer at {when}, now {now}");
                        if due {
                            expected += 1;
                            w.remove(k);
                        }
                        !due
                    });
                    assert_eq!(wakes.len(), expected);
                    if let (Some(next), Some(min)) =
                        (w.next_expiration(), live.iter().map(|l| l.1).min())
                    {
                        assert!(next <= min, "next expiry {next} after earliest timer {min}");
                        assert!(next > now);
                    }
                }
            }
        }
    }
}

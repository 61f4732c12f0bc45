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
//!
//! Order: a slot's list is in no particular order, and a late loop fires
//! many slots (of several levels) in one [`Wheel::advance`]. So each entry
//! keeps its exact deadline (nanoseconds, finer than a tick) and a creation
//! sequence number, and `advance` sorts what expired by (deadline, sequence)
//! before handing out the wakers: timers due together fire in deadline
//! order, ties in the order they were inserted, however late the loop is.
//! That costs O(k log k) for k expired timers and nothing on insert/remove.
//!
//! A fired entry leaves the slab as it fires: whether a [`Timer`] fired is
//! read from the wheel's time alone (every entry due by `elapsed` has fired),
//! so the owner of a timer woken late does not touch its entry again.

use std::task::Waker;
use std::time::{Duration, Instant};

use slab::Slab;

const LEVELS: usize = 6;
const SLOT_BITS: u32 = 6;
const SLOTS: usize = 1 << SLOT_BITS;
const MAX_TICK: u64 = (1 << (SLOT_BITS as u64 * LEVELS as u64)) - 1;
const NONE: usize = usize::MAX;

/// One timer in the wheel, as its owner holds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Timer {
    /// Slab key of the entry while pending.
    key: usize,
    /// Tick of the deadline (clamped to the horizon).
    when: u64,
    /// Insertion number: tells this timer's entry from a later one that
    /// reuses the slab key.
    seq: u64,
}

struct Entry {
    /// Absolute tick of the deadline.
    when: u64,
    /// Exact deadline in nanoseconds since the wheel's origin, and the
    /// insertion number: the order in which due timers fire.
    order: (u64, u64),
    waker: Waker,
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
    /// Instant 0 of the entries' exact deadlines.
    origin: Instant,
    /// Insertion number of the next timer.
    next_seq: u64,
    /// Reused buffer: the timers one `advance` fires, before sorting.
    due: Vec<((u64, u64), Waker)>,
    /// Timers already due when inserted (first polled after their
    /// deadline, the loop being late): fired by the next `advance`, sorted
    /// with the others, so that they too resume in deadline order.
    late: Vec<((u64, u64), Waker)>,
}

impl Wheel {
    /// Every pending timer: its exact deadline and the waker it wakes
    /// (task dumps).
    pub(crate) fn all_pending(&self) -> impl Iterator<Item = (Instant, &Waker)> + '_ {
        let at = move |order: (u64, u64)| self.origin + std::time::Duration::from_nanos(order.0);
        self.entries
            .iter()
            .map(move |(_, e)| (at(e.order), &e.waker))
            .chain(self.late.iter().map(move |(order, w)| (at(*order), w)))
    }

    pub(crate) fn new() -> Wheel {
        Wheel {
            elapsed: 0,
            levels: [Level {
                occupied: 0,
                heads: [NONE; SLOTS],
            }; LEVELS],
            entries: Slab::new(),
            // A day back, so that deadlines already past when the wheel
            // was made (a `call_at` in the past) still order by time.
            origin: {
                let now = Instant::now();
                now.checked_sub(Duration::from_secs(86_400)).unwrap_or(now)
            },
            next_seq: 0,
            due: Vec::new(),
            late: Vec::new(),
        }
    }

    /// Timers pending.
    pub(crate) fn len(&self) -> usize {
        self.entries.len() + self.late.len()
    }

    /// Adds a timer for tick `when`, whose exact deadline is `deadline`
    /// (`None`: never; it orders the timer among those due in one advance,
    /// so it should round up to `when`). A timer already due (`when` at or
    /// before the wheel's time: the loop was late to first poll it) fires
    /// at the next [`advance`](Wheel::advance), in order with the others;
    /// it reads as fired from now on, and removing it does nothing (its
    /// waker may still be woken once).
    pub(crate) fn insert(&mut self, when: u64, deadline: Option<Instant>, waker: Waker) -> Timer {
        let when = when.min(MAX_TICK);
        let exact = deadline.map_or(u64::MAX, |d| {
            let nanos = d.saturating_duration_since(self.origin).as_nanos();
            u64::try_from(nanos).unwrap_or(u64::MAX)
        });
        let seq = self.next_seq;
        self.next_seq += 1;
        if when <= self.elapsed {
            self.late.push(((exact, seq), waker));
            return Timer {
                key: usize::MAX,
                when,
                seq,
            };
        }
        let key = self.entries.insert(Entry {
            when,
            order: (exact, seq),
            waker,
            level: 0,
            slot: 0,
            prev: NONE,
            next: NONE,
        });
        self.link(key);
        Timer { key, when, seq }
    }

    /// True once the timer fired (its entry is gone then).
    pub(crate) fn is_fired(&self, timer: &Timer) -> bool {
        timer.when <= self.elapsed
    }

    /// The entry of a pending timer.
    fn pending(&mut self, timer: &Timer) -> Option<&mut Entry> {
        if self.is_fired(timer) {
            return None;
        }
        self.entries
            .get_mut(timer.key)
            .filter(|e| e.order.1 == timer.seq)
    }

    /// Replaces the waker of a pending timer.
    pub(crate) fn set_waker(&mut self, timer: &Timer, waker: &Waker) {
        if let Some(e) = self.pending(timer) {
            if !e.waker.will_wake(waker) {
                e.waker = waker.clone();
            }
        }
    }

    /// Removes a timer; no effect once it fired.
    pub(crate) fn remove(&mut self, timer: &Timer) {
        if self.pending(timer).is_some() {
            self.unlink(timer.key);
            self.entries.remove(timer.key);
        }
    }

    /// The tick of the next expiry, if any timer is pending.
    pub(crate) fn next_expiration(&self) -> Option<u64> {
        if !self.late.is_empty() {
            return Some(self.elapsed);
        }
        self.next_slot().map(|e| e.deadline)
    }

    /// Advances to tick `now`, removing due timers and appending their
    /// wakers to `wakes` in deadline order (ties in insertion order).
    pub(crate) fn advance(&mut self, now: u64, wakes: &mut Vec<Waker>) {
        let now = now.min(MAX_TICK);
        let mut due = std::mem::take(&mut self.due);
        due.append(&mut self.late);
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
                let e = &self.entries[key];
                let next = e.next;
                if e.when <= now {
                    let e = self.entries.remove(key);
                    due.push((e.order, e.waker));
                } else {
                    self.link(key);
                }
                key = next;
            }
        }
        self.elapsed = self.elapsed.max(now);
        // Orders are distinct (unique sequence numbers): unstable is exact.
        due.sort_unstable_by_key(|d| d.0);
        wakes.extend(due.drain(..).map(|d| d.1));
        self.due = due;
    }

    fn level_for(&self, when: u64) -> usize {
        let masked = (self.elapsed ^ when) | (SLOTS as u64 - 1);
        let significant = 63 - masked.leading_zeros() as usize;
        (significant / SLOT_BITS as usize).min(LEVELS - 1)
    }

    fn link(&mut self, key: usize) {
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

    fn unlink(&mut self, key: usize) {
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

    /// Deterministic pseudo-random numbers (xorshift) for deadlines and
    /// removals.
    fn xorshift(mut seed: u64) -> impl FnMut() -> u64 {
        move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        }
    }

    /// A waker that logs its id when woken.
    struct Logged(usize, Arc<std::sync::Mutex<Vec<usize>>>);
    impl Wake for Logged {
        fn wake(self: Arc<Self>) {
            self.1.lock().unwrap().push(self.0);
        }
    }

    /// Wakes `wakes` in order and returns the ids they logged.
    fn woken_ids(wakes: &mut Vec<Waker>, log: &Arc<std::sync::Mutex<Vec<usize>>>) -> Vec<usize> {
        for w in wakes.drain(..) {
            w.wake();
        }
        std::mem::take(&mut *log.lock().unwrap())
    }

    /// The exact deadline `nanos` past tick `tick - 1` (so `tick` is its
    /// rounded-up tick when `0 < nanos <= 1 ms`).
    fn exact(w: &Wheel, tick: u64, nanos: u64) -> Instant {
        w.origin + std::time::Duration::from_nanos((tick - 1) * 1_000_000 + nanos)
    }

    #[test]
    fn one_tick_fires_by_exact_deadline_not_insertion() {
        let mut w = Wheel::new();
        let log = Arc::default();
        // Five deadlines 100 us apart in tick 10, inserted early to late.
        for i in 0..5u64 {
            w.insert(
                10,
                Some(exact(&w, 10, 100_000 * (i + 1))),
                logged(i as usize, &log),
            );
        }
        let mut wakes = Vec::new();
        w.advance(10, &mut wakes);
        assert_eq!(woken_ids(&mut wakes, &log), [0, 1, 2, 3, 4]);
    }

    #[test]
    fn late_advance_over_many_levels_fires_in_deadline_order() {
        let mut rnd = xorshift(0xD1B5_4A32_D192_ED03);
        let mut w = Wheel::new();
        let log = Arc::default();
        let mut wakes = Vec::new();
        w.advance(40, &mut wakes);
        // Ticks 41..300,000: levels 0 to 3; random exact deadlines in
        // their tick, inserted in random order, some sharing a deadline.
        let mut deadlines = Vec::new();
        for id in 0..3_000 {
            let at = if id % 10 == 9 {
                deadlines[id - 1 - (rnd() % 5) as usize]
            } else {
                exact(&w, 41 + rnd() % 300_000, 1 + rnd() % 1_000_000)
            };
            let tick = ceil_tick(&w, at);
            w.insert(tick, Some(at), logged(id, &log));
            deadlines.push(at);
        }
        // Deadline order, ties by insertion (id) order.
        let mut expected: Vec<usize> = (0..deadlines.len()).collect();
        expected.sort_by_key(|&id| (deadlines[id], id));
        // The loop comes back late three times, then once very late.
        let mut fired = Vec::new();
        for now in [3_000, 70_000, 70_001, 400_000] {
            w.advance(now, &mut wakes);
            let ids = woken_ids(&mut wakes, &log);
            for &id in &ids {
                assert!(
                    ceil_tick(&w, deadlines[id]) <= now,
                    "timer {id} fired early"
                );
            }
            fired.extend(ids);
        }
        assert_eq!(fired, expected);
    }

    /// The tick of `at`, rounded up (as the loop computes it).
    fn ceil_tick(w: &Wheel, at: Instant) -> u64 {
        let nanos = at.saturating_duration_since(w.origin).as_nanos() as u64;
        nanos.div_ceil(1_000_000)
    }

    #[test]
    fn equal_deadlines_fire_in_insertion_order_at_every_level() {
        let mut w = Wheel::new();
        let log = Arc::default();
        // Level 0, level 1 and level 2 deadlines, ten timers each.
        let ticks = [30u64, 200, 10_000];
        for (group, &tick) in ticks.iter().enumerate() {
            let at = exact(&w, tick, 500_000);
            for i in 0..10 {
                w.insert(tick, Some(at), logged(group * 10 + i, &log));
            }
        }
        let mut wakes = Vec::new();
        w.advance(20_000, &mut wakes);
        assert_eq!(woken_ids(&mut wakes, &log), (0..30).collect::<Vec<_>>());
    }

    /// A waker logging `id` into `log`.
    fn logged(id: usize, log: &Arc<std::sync::Mutex<Vec<usize>>>) -> Waker {
        Waker::from(Arc::new(Logged(id, Arc::clone(log))))
    }

    #[test]
    fn fires_each_timer_exactly_at_its_tick() {
        let mut w = Wheel::new();
        let log = Arc::default();
        let whens = [1u64, 2, 63, 64, 65, 127, 128, 4095, 4096, 4097, 70_000];
        let timers: Vec<_> = whens
            .iter()
            .enumerate()
            .map(|(id, &t)| w.insert(t, None, logged(id, &log)))
            .collect();
        // Advance tick by tick; note the tick at which each timer is woken.
        let mut fired = vec![None; whens.len()];
        let mut wakes = Vec::new();
        for t in 0..=70_001 {
            w.advance(t, &mut wakes);
            for id in woken_ids(&mut wakes, &log) {
                assert_eq!(fired[id], None, "timer {id} woken twice");
                fired[id] = Some(t);
            }
            for (timer, fired) in timers.iter().zip(&fired) {
                assert_eq!(w.is_fired(timer), fired.is_some());
            }
        }
        for (i, &t) in whens.iter().enumerate() {
            assert_eq!(fired[i], Some(t), "timer for tick {t}");
        }
        assert_eq!(w.len(), 0, "fired entries leave the wheel");
    }

    #[test]
    fn next_expiration_is_the_earliest_slot() {
        let mut w = Wheel::new();
        assert_eq!(w.next_expiration(), None);
        w.insert(500, None, waker());
        w.insert(70, None, waker());
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
        let log = Arc::default();
        let [a, b, c] = [0, 1, 2].map(|id| w.insert(10, None, logged(id, &log)));
        w.remove(&b);
        let mut wakes = Vec::new();
        w.advance(10, &mut wakes);
        assert_eq!(woken_ids(&mut wakes, &log), [0, 2]);
        assert!(w.is_fired(&a) && w.is_fired(&c));
        assert_eq!(w.len(), 0);
        assert_eq!(w.next_expiration(), None);
    }

    #[test]
    fn removing_a_fired_timer_spares_the_entry_reusing_its_key() {
        let mut w = Wheel::new();
        let log = Arc::default();
        let old = w.insert(10, None, logged(0, &log));
        let mut wakes = Vec::new();
        w.advance(10, &mut wakes);
        let new = w.insert(20, None, logged(1, &log));
        assert_eq!(new.key, old.key, "the slab reuses the freed key");
        // A stale owner removing its fired timer, as a dropped Sleep does.
        w.remove(&old);
        w.advance(20, &mut wakes);
        assert_eq!(woken_ids(&mut wakes, &log), [0, 1]);
    }

    #[test]
    fn past_deadlines_fire_at_the_next_advance_in_deadline_order() {
        let mut w = Wheel::new();
        let mut wakes = Vec::new();
        w.advance(100, &mut wakes);
        let log = Arc::new(std::sync::Mutex::new(Vec::new()));
        // Inserted late, latest deadline first: they read as fired at once,
        // and fire at the next advance by deadline, with a timer due then.
        let a = w.insert(100, Some(exact(&w, 100, 0)), logged(0, &log));
        let b = w.insert(50, Some(exact(&w, 50, 0)), logged(1, &log));
        let c = w.insert(101, Some(exact(&w, 101, 0)), logged(2, &log));
        assert!(w.is_fired(&a) && w.is_fired(&b) && !w.is_fired(&c));
        assert_eq!(w.len(), 3);
        assert_eq!(w.next_expiration(), Some(100), "due now: do not park");
        w.advance(101, &mut wakes);
        assert_eq!(woken_ids(&mut wakes, &log), [1, 0, 2]);
        assert_eq!(w.len(), 0);
    }

    #[test]
    fn far_future_is_clamped_not_lost() {
        let mut w = Wheel::new();
        let t = w.insert(u64::MAX, None, waker());
        assert!(!w.is_fired(&t));
        assert!(w.next_expiration().is_some());
    }

    #[test]
    fn matches_a_sorted_reference_under_random_load() {
        let mut rnd = xorshift(0x9E37_79B9_7F4A_7C15);
        let mut w = Wheel::new();
        let log = Arc::default();
        let mut live: Vec<(Timer, usize)> = Vec::new();
        let mut now = 0u64;
        let mut wakes = Vec::new();
        for id in 0..20_000 {
            match rnd() % 4 {
                0 | 1 => {
                    let when = now + 1 + rnd() % 300_000;
                    let t = w.insert(when, None, logged(id, &log));
                    live.push((t, id));
                }
                2 if !live.is_empty() => {
                    let i = (rnd() as usize) % live.len();
                    let (t, _) = live.swap_remove(i);
                    w.remove(&t);
                }
                _ => {
                    // Jump to the next expiry or a bit further.
                    let target = match w.next_expiration() {
                        Some(t) => t + rnd() % 3,
                        None => now + 1,
                    };
                    now = target.max(now);
                    w.advance(now, &mut wakes);
                    let mut woken = woken_ids(&mut wakes, &log);
                    woken.sort_unstable();
                    let mut expected = Vec::new();
                    live.retain(|&(t, id)| {
                        let due = t.when <= now;
                        assert_eq!(w.is_fired(&t), due, "timer at {}, now {now}", t.when);
                        if due {
                            expected.push(id);
                        }
                        !due
                    });
                    expected.sort_unstable();
                    assert_eq!(woken, expected);
                    assert_eq!(w.len(), live.len());
                    if let (Some(next), Some(min)) =
                        (w.next_expiration(), live.iter().map(|l| l.0.when).min())
                    {
                        assert!(next <= min, "next expiry {next} after earliest timer {min}");
                        assert!(next > now);
                    }
                }
            }
        }
    }
}

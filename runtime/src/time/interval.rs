//! `interval`: a periodic tick.

use std::io;
use std::time::{Duration, Instant};

use super::sleep::{sleep_until, Sleep};

/// What an [`Interval`] does when the caller falls behind by one or more
/// periods (the task was busy, or the loop was blocked).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MissedTickBehavior {
    /// Fire the missed ticks back to back until caught up, then keep the
    /// original schedule (`start + n * period`). The default.
    #[default]
    Burst,
    /// Fire once now, then schedule the next tick a full period after now:
    /// the schedule shifts by the delay.
    Delay,
    /// Fire once now, then skip to the next multiple of the period on the
    /// original schedule: missed ticks are dropped.
    Skip,
}

/// Ticks every period, from [`interval`] or [`interval_at`].
#[derive(Debug)]
pub struct Interval {
    next: Instant,
    period: Duration,
    behavior: MissedTickBehavior,
    sleep: Sleep,
}

/// An interval whose first tick completes at once, then every `period`.
///
/// A zero period is refused with `InvalidInput` (it would spin the loop).
pub fn interval(period: Duration) -> io::Result<Interval> {
    interval_at(Instant::now(), period)
}

/// An interval whose first tick completes at `start`, then every `period`.
///
/// A zero period is refused with `InvalidInput`.
pub fn interval_at(start: Instant, period: Duration) -> io::Result<Interval> {
    if period.is_zero() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "interval period must be greater than zero",
        ));
    }
    Ok(Interval {
        next: start,
        period,
        behavior: MissedTickBehavior::default(),
        sleep: sleep_until(start),
    })
}

impl Interval {
    /// Waits for the next tick and returns the instant it was scheduled for.
    pub async fn tick(&mut self) -> Instant {
        (&mut self.sleep).await;
        let scheduled = self.next;
        let now = Instant::now();
        let next = scheduled + self.period;
        self.next = if next > now {
            next
        } else {
            match self.behavior {
                MissedTickBehavior::Burst => next,
                MissedTickBehavior::Delay => now + self.period,
                MissedTickBehavior::Skip => {
                    let behind = now.duration_since(scheduled).as_nanos();
                    let period = self.period.as_nanos();
                    let periods = (behind / period + 1) as u32;
                    scheduled + self.period * periods
                }
            }
        };
        self.sleep.reset(self.next);
        scheduled
    }

    /// Sets what happens when ticks are missed.
    pub fn set_missed_tick_behavior(&mut self, behavior: MissedTickBehavior) {
        self.behavior = behavior;
    }

    /// The current missed-tick behaviour.
    pub fn missed_tick_behavior(&self) -> MissedTickBehavior {
        self.behavior
    }

    /// The period.
    pub fn period(&self) -> Duration {
        self.period
    }

    /// Restarts the schedule: the next tick is one period from now.
    pub fn reset(&mut self) {
        self.next = Instant::now() + self.period;
        self.sleep.reset(self.next);
    }
}

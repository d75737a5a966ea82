//! The context every part of the dated demonstration (crisis, network) is built over: its generator, the instant
//! it is built at and that day in France, and the summary it fills. Dates are set relative to that instant, so
//! that reminders (overdue actions, reports to send, calls of the day) show whenever the demonstration is built.

use crate::rng::Rng;
use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp, ToSpan};
pub(crate) use maillage_store::change::Change;

/// What a part of the demonstration is built with, and what it counts.
pub(crate) struct Context<S> {
    pub rng: Rng,
    pub now: Timestamp,
    pub today: Date,
    pub summary: S,
}

impl<S: Default> Context<S> {
    pub fn new(rng: Rng, now: Timestamp, today: Date) -> Context<S> {
        Context {
            rng,
            now,
            today,
            summary: S::default(),
        }
    }
}

impl<S> Context<S> {
    /// `h` hours before the demonstration's instant.
    pub fn hours_ago(&self, h: f64) -> Timestamp {
        self.now
            .checked_sub(SignedDuration::from_secs_f64(h * 3600.0))
            .unwrap_or(self.now)
    }

    /// `n` days from today (before it when negative).
    pub fn day(&self, n: i64) -> Date {
        days_from(self.today, n)
    }

    /// The instant `n` days from today at `hour`:`minute`, French time.
    pub fn at(&self, n: i64, hour: i8, minute: i8) -> Option<Timestamp> {
        self.day(n)
            .at(hour, minute, 0, 0)
            .in_tz("Europe/Paris")
            .ok()
            .map(|z| z.timestamp())
    }
}

/// `n` days from `d` (`d` itself beyond the calendar's range).
pub(crate) fn days_from(d: Date, n: i64) -> Date {
    d.checked_add(n.days()).unwrap_or(d)
}

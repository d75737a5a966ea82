//! What needs reminding: follow-up actions past their due date (or due soon), funding reports (bilans) to send,
//! and bodies that have not met at their cadence. Days are French calendar days; `today` is the caller's.

use crate::codes::ActionStatus;
use jiff::ToSpan;
use jiff::civil::Date;
use serde::Serialize;

/// Where a dated obligation stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "etat", rename_all = "snake_case")]
pub enum Due {
    /// Past its date by `days` (1 or more).
    Overdue { days: i64 },
    /// Due in `days` (0: today), within the horizon.
    Soon { days: i64 },
}

impl Due {
    pub fn is_overdue(self) -> bool {
        matches!(self, Due::Overdue { .. })
    }
}

/// Days from `a` to `b` (negative when `b` is before `a`).
pub fn days_between(a: Date, b: Date) -> i64 {
    a.until(b).map_or(0, |s| i64::from(s.get_days()))
}

/// A date `n` days after `d` (the same date if out of the calendar's range).
pub fn add_days(d: Date, n: i64) -> Date {
    d.checked_add(n.days()).unwrap_or(d)
}

/// Where a date stands from `today`: overdue, due within `horizon_days`, or not yet worth a reminder.
pub fn due(on: Date, today: Date, horizon_days: i64) -> Option<Due> {
    let days = days_between(today, on);
    if days < 0 {
        Some(Due::Overdue { days: -days })
    } else if days <= horizon_days {
        Some(Due::Soon { days })
    } else {
        None
    }
}

/// A follow-up action: only open actions with a due date are reminded.
pub fn action(
    status: ActionStatus,
    due_on: Option<Date>,
    today: Date,
    horizon_days: i64,
) -> Option<Due> {
    if !status.is_open() {
        return None;
    }
    due(due_on?, today, horizon_days)
}

/// A report (bilan) owed to a funder: nothing once it is sent.
pub fn report(
    due_on: Date,
    submitted_on: Option<Date>,
    today: Date,
    horizon_days: i64,
) -> Option<Due> {
    if submitted_on.is_some() {
        return None;
    }
    due(due_on, today, horizon_days)
}

/// A body's meetings against its cadence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cadence {
    /// It should have met on `expected` and nothing is planned.
    Late { expected: Date, days: i64 },
    /// It should meet on `expected`, within the horizon, and nothing is planned yet.
    ToSchedule { expected: Date },
}

/// Checks a body meeting every `cadence_days` (the Châteauroux COS: every two months) given its last meeting
/// held and its next planned one (from today on). A body that never met, or has no cadence, has no reminder.
pub fn cadence(
    cadence_days: Option<i64>,
    last_held: Option<Date>,
    next_planned: Option<Date>,
    today: Date,
    horizon_days: i64,
) -> Option<Cadence> {
    let every = cadence_days.filter(|d| *d > 0)?;
    let expected = add_days(last_held?, every);
    if next_planned.is_some_and(|n| n >= today) {
        return None;
    }
    let late = days_between(expected, today);
    if late > 0 {
        Some(Cadence::Late {
            expected,
            days: late,
        })
    } else if days_between(today, expected) <= horizon_days {
        Some(Cadence::ToSchedule { expected })
    } else {
        None
    }
}

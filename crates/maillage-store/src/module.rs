//! What every domain module of the store shares (crisis, network, and the modules to come): one error type
//! generic over the module's rules and refusals, the time helpers (instants as stored, French calendar days) and
//! the reading of stored codes, days and instants. A module's own file declares only what is its own: its
//! [`Refusal`](crate::crisis::Refusal)s, its settings keys, its commune guard.

use crate::StoreError;
use jiff::Timestamp;
use jiff::civil::Date;
use maillage_kit::codes::Coded;

/// What an operation of a module can fail with: `Rule` is the module's rules error (`maillage-crisis`'s
/// `CrisisError`...), `Refusal` the module's own refusals of a change that the rules alone cannot see (a call held
/// by another caller, a contact who unsubscribed...).
#[derive(Debug, thiserror::Error)]
pub enum ModuleError<Rule, Refusal> {
    /// The store failed (boxed: the store's error is large).
    #[error(transparent)]
    Store(Box<StoreError>),
    /// A rule refused the operation (a field, a step...).
    #[error(transparent)]
    Rule(Rule),
    /// A record that does not exist, or lies out of the caller's reach (the caller cannot tell which).
    #[error("{what} {id} does not exist")]
    NotFound { what: &'static str, id: i64 },
    /// The module refused the change.
    #[error(transparent)]
    Refused(Refusal),
}

impl<R, F> From<StoreError> for ModuleError<R, F> {
    fn from(e: StoreError) -> Self {
        ModuleError::Store(Box::new(e))
    }
}

impl<R, F> From<sqlx::Error> for ModuleError<R, F> {
    fn from(e: sqlx::Error) -> Self {
        ModuleError::Store(Box::new(StoreError::Database(e)))
    }
}

/// A wrong typed-in value is a refusal of the module's rules.
impl<R: From<maillage_kit::FieldError>, F> From<maillage_kit::FieldError> for ModuleError<R, F> {
    fn from(e: maillage_kit::FieldError) -> Self {
        ModuleError::Rule(R::from(e))
    }
}

impl<R, F> ModuleError<R, F> {
    /// A stored value that cannot be read: a corrupted row. `shown` is what the error may quote of it.
    pub(crate) fn corrupted(field: &'static str, shown: String) -> Self {
        ModuleError::Store(Box::new(StoreError::InvalidValue {
            field,
            value: shown,
        }))
    }
}

/// Fails with [`ModuleError::NotFound`] when a statement touched no row.
pub(crate) fn touched<R, F>(
    rows: u64,
    what: &'static str,
    id: i64,
) -> Result<(), ModuleError<R, F>> {
    if rows == 0 {
        Err(ModuleError::NotFound { what, id })
    } else {
        Ok(())
    }
}

/// An instant as the store writes it (RFC 3339, UTC, to the second: instants compare as text).
pub fn instant(t: Timestamp) -> String {
    t.round(jiff::Unit::Second).unwrap_or(t).to_string()
}

/// Reads an instant the store wrote.
pub fn parse_instant(s: &str) -> Option<Timestamp> {
    s.parse().ok()
}

/// Today in the instance's time zone (the modules' days — register, stocks, deadlines, due dates — are its
/// calendar days).
pub fn today(now: Timestamp) -> Date {
    maillage_kit::local_time::today(now)
}

/// A stored code of a module's enumeration.
pub(crate) fn code<T: Coded, R, F>(field: &'static str, s: &str) -> Result<T, ModuleError<R, F>> {
    T::parse(s).ok_or_else(|| ModuleError::corrupted(field, maillage_kit::quoted(s)))
}

pub(crate) fn code_opt<T: Coded, R, F>(
    field: &'static str,
    s: Option<String>,
) -> Result<Option<T>, ModuleError<R, F>> {
    s.map(|s| code(field, &s)).transpose()
}

/// A stored `|`-separated list of codes.
pub(crate) fn codes<T: Coded + Ord, R, F>(
    field: &'static str,
    s: &str,
) -> Result<Vec<T>, ModuleError<R, F>> {
    maillage_kit::codes::parse_list(s)
        .map_err(|_| ModuleError::corrupted(field, maillage_kit::quoted(s)))
}

/// A stored day, or an error naming the column (a malformed day is a corrupted row). The value itself is not
/// repeated in the error: it may be a date of birth.
pub(crate) fn day<R, F>(field: &'static str, s: &str) -> Result<Date, ModuleError<R, F>> {
    s.parse()
        .map_err(|_| ModuleError::corrupted(field, "(date illisible)".into()))
}

pub(crate) fn day_opt<R, F>(
    field: &'static str,
    s: Option<String>,
) -> Result<Option<Date>, ModuleError<R, F>> {
    s.map(|s| day(field, &s)).transpose()
}

/// A stored instant, or an error naming the column.
pub(crate) fn at<R, F>(field: &'static str, s: &str) -> Result<Timestamp, ModuleError<R, F>> {
    s.parse()
        .map_err(|_| ModuleError::corrupted(field, maillage_kit::quoted(s)))
}

pub(crate) fn at_opt<R, F>(
    field: &'static str,
    s: Option<String>,
) -> Result<Option<Timestamp>, ModuleError<R, F>> {
    s.map(|s| at(field, &s)).transpose()
}

/// Whether an error is a unique constraint refusing a row (both backends).
pub(crate) fn is_unique_violation(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Database(d) => {
            d.is_unique_violation()
                || d.code()
                    .is_some_and(|c| c == "23505" || c == "2067" || c == "1555")
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use maillage_kit::codes::check;

    #[test]
    fn every_coded_list_of_the_store_reads_back() {
        assert_eq!(check::<crate::accounts::Role>(None), Ok(()));
        assert_eq!(check::<crate::audit::Action>(None), Ok(()));
        assert_eq!(check::<crate::zones::ZoneKind>(None), Ok(()));
        assert_eq!(check::<crate::imports::SourceKind>(None), Ok(()));
    }

    #[test]
    fn instants_are_stored_to_the_second_and_days_are_french() {
        let t: jiff::Timestamp = "2026-06-30T22:30:00.7Z".parse().unwrap_or_default();
        assert_eq!(super::instant(t), "2026-06-30T22:30:01Z");
        assert_eq!(super::today(t).to_string(), "2026-07-01");
    }
}

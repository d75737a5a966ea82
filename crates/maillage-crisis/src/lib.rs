//! Crisis management rules, as pure computation: no database, no web. The store keeps what these functions
//! decide, the web pages show it; both call here for every rule so that the rules are written and tested once.
//!
//! - [`cell`]: crisis events (canicule, grand froid, épidémie...), activation levels, main courante entries,
//!   tasks, service continuity.
//! - [`register`]: the register of vulnerable people (CASF L121-6-1, R121-2 to R121-12): eligibility, the only
//!   fields the law allows, acknowledgement and yearly confirmation.
//! - [`calls`]: phone campaigns over the register: splitting the list among callers, outcomes, retries,
//!   escalation, progress.
//! - [`volunteers`]: matching volunteers to inhabitants' requests by skill, availability and distance; rounds.
//! - [`stocks`]: lots, first-expired-first-out allocation, alerts.
//! - [`epidemic`]: 7-day incidence, positivity and screening rates from daily counts, thresholds, trends.
//! - [`clusters`]: clusters by place (counts only), the 7-day threshold and 14-day activity rules, statuses.
//!
//! Stored codes are stable lower-case slugs ([`Coded`]); French labels and error sentences live in
//! `maillage-messages`. Errors never quote personal data (names, phones, addresses, dates of birth).

pub mod calls;
pub mod cell;
pub mod clusters;
pub mod epidemic;
pub mod error;
pub mod geo;
pub mod register;
pub mod stocks;
pub mod volunteers;

pub use error::{CrisisError, Ineligibility};
/// The shared checks of typed-in values (`maillage-fields`), under the name the module's code uses.
pub use maillage_fields as fields;

/// An enumeration stored as a stable code.
pub trait Coded: Sized + Copy + 'static {
    /// Every value, in display order.
    const ALL: &'static [Self];
    fn code(self) -> &'static str;
    fn parse(code: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|v| v.code() == code)
    }
}

/// Declares an enum with its stable codes and [`Coded`] implementation.
macro_rules! coded {
    ($(#[$m:meta])* pub enum $name:ident { $($(#[$vm:meta])* $variant:ident => $code:literal,)+ }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name { $($(#[$vm])* $variant,)+ }

        /// Serialised as its stable code.
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str($crate::Coded::code(*self))
            }
        }

        impl $crate::Coded for $name {
            const ALL: &'static [Self] = &[$($name::$variant,)+];
            fn code(self) -> &'static str {
                match self { $($name::$variant => $code,)+ }
            }
        }
    };
}
pub(crate) use coded;

/// Parses a code or says which field held an unknown one.
pub fn parse_code<T: Coded>(field: &'static str, code: &str) -> Result<T, CrisisError> {
    T::parse(code.trim()).ok_or(CrisisError::UnknownCode { field })
}

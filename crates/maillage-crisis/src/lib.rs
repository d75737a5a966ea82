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
/// The shared checks of typed-in values (`maillage-kit`), under the name the module's code uses.
pub use maillage_kit::fields;

/// Codes are the kit's: one trait and one declaration for every module.
pub use maillage_kit::FieldError;
pub(crate) use maillage_kit::coded;
pub use maillage_kit::codes::Coded;

/// Parses a code or says which field held an unknown one.
pub fn parse_code<T: Coded>(field: &'static str, code: &str) -> Result<T, CrisisError> {
    T::parse(code.trim()).ok_or(CrisisError::UnknownCode { field })
}

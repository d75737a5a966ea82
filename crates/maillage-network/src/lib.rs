//! The network and Contrat local de santé module (docs/produit.md §3.B, §3.C, §3.G), as pure rules: no database,
//! no web, no network. The store keeps what these functions decide and the pages show it; both call here so
//! that each rule is written and tested once.
//!
//! - [`codes`]: the stable codes of the module (kinds of actors, themes, publics, languages, bodies, members,
//!   statuses...) — stored as lower-case slugs, labelled in French by `maillage-messages`.
//! - [`fields`]: checks of typed-in values (they name the field, never quote the value).
//! - [`directory`]: actor records with the guide fields, their CSV import and export, and the ranking of a
//!   search by need, place, public and language.
//! - [`watch`]: the watch network's case life (signalé → attribué → solution → interpellation...).
//! - [`progress`]: indicator progress from baseline to target, fiche and axis progress of a CLS.
//! - [`reminders`]: overdue follow-up actions, funding report deadlines, bodies late on their cadence.
//! - [`ics`]: an RFC 5545 calendar of meetings and deadlines.
//! - [`sign`]: HMAC-SHA256 signatures of unsubscribe links and calendar feed addresses.
//! - [`mail`]: what a relayed message says (footer, unsubscribe link, list identifier), before any transport.

pub mod codes;
pub mod directory;
pub mod error;
pub mod fields;
pub mod ics;
pub mod mail;
pub mod progress;
pub mod reminders;
pub mod sign;
pub mod watch;

pub use error::{CsvProblem, NetworkError};
/// The calendar day type of the module (re-exported so that users need not name `jiff`).
pub use jiff::civil::Date;

/// Codes are the kit's: one trait and one declaration for every module.
pub use maillage_kit::FieldError;
pub(crate) use maillage_kit::coded;
pub use maillage_kit::codes::Coded;

/// Parses a code or says which field held an unknown one.
pub fn parse_code<T: Coded>(field: &'static str, code: &str) -> Result<T, NetworkError> {
    T::parse(code.trim()).ok_or(NetworkError::UnknownCode { field })
}

/// Parses a list of codes separated by `|` or `,` (as in forms and CSV files), without repeats, in the order
/// of [`Coded::ALL`].
pub fn parse_codes<T: Coded + Ord>(
    field: &'static str,
    text: &str,
) -> Result<Vec<T>, NetworkError> {
    maillage_kit::codes::parse_list(text).map_err(|_| NetworkError::UnknownCode { field })
}

/// Writes a list of codes as stored: `|`-separated.
pub use maillage_kit::codes::join as join_codes;

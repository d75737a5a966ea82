//! The kit of the rules layer, shared by every domain module (crisis, network, and the ones to come), by the
//! store and by the applications:
//!
//! - [`codes`]: enumerations stored as stable codes ([`coded!`], [`codes::Coded`]): roles, actions, zone
//!   kinds, the modules' statuses and kinds, with their listing and parsing derived once.
//! - [`zone`]: the kinds of zones ([`zone::ZoneKind`]), compared as values, never as strings.
//! - [`local_time`]: instants as people of the instance read them (its time zone, Europe/Paris by default).
//! - [`basemap`]: the features of the background map (streets, water, places) and the tiles they are drawn on.
//! - [`fields`]: checks of typed-in values ([`fields::FieldError`] names the field, never the value).
//! - [`search`]: how typed searches find records (folded texts, plurals, one typo tolerated).
//!
//! The field checks are also reachable at the crate's root (the crate was `maillage-fields` before it held
//! the codes; the workspace still lends it that name while the other crates move).

pub mod basemap;
pub mod codes;
pub mod fields;
pub mod local_time;
pub mod search;
pub mod zone;

pub use fields::*;

/// Reached by [`coded!`] from the crates that declare codes, so that they need not name `serde` themselves.
#[doc(hidden)]
pub use serde as __serde;

//! The web kit of Maillage: what every page crate (observatory, crisis, network) and the application share —
//! the table of routes and their access ([`routes`]), the guard and the caller ([`auth`]), the server's state
//! ([`state`]), errors as French pages or JSON ([`error`]), the page layout and its navigation ([`layout`]),
//! query and form parameters ([`params`]), search and pages of long lists ([`lists`]), roles and permissions ([`permissions`]), the audit log ([`audit`]),
//! uploads and their limits ([`multipart`], [`limits`]), secrets and passwords ([`secrets`]), the caller's
//! territory ([`scope`]), accounts ([`users`]), the way every page takes a change and the form helpers of the
//! modules ([`form`], [`fields`]) and the refusals that keep what was typed ([`refill`]), e-mail ([`smtp`]),
//! the observatory's figures cut to a caller ([`data`]) and the parts modules give a person's home page
//! ([`home`]).
//!
//! It knows no page: each page crate exposes `fn routes(r: Routes) -> Routes`, and the application
//! (`maillage-web`) assembles them. Dependency direction: `maillage-report` ← `maillage-web-kit` ← page crates
//! ← `maillage-web`; page crates never depend on each other (a link to another module is a path string).

pub mod audit;
pub mod auth;
pub mod confirm;
pub mod data;
pub mod error;
pub mod fields;
pub mod form;
pub mod home;
pub mod layout;
pub mod limits;
pub mod lists;
pub mod multipart;
pub mod params;
pub mod permissions;
pub mod refill;
pub mod routes;
pub mod scope;
pub mod secrets;
pub mod smtp;
pub mod state;
pub mod users;

pub use state::{AppState, Config};

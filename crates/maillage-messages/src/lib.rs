//! French wording of what the libraries report. Libraries return typed errors; this crate is the one
//! place that turns them into sentences a user of Maillage reads (command line and web pages alike).

mod access;
mod accounts;
mod analysis;
mod audit;
pub mod crisis;
mod formats;
pub mod network;
mod routing;
mod store;

/// A French sentence for the user: what is wrong, where, and what to do.
pub trait French {
    fn french(&self) -> String;
}

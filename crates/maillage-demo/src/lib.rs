//! The demonstration territory: fictional, realistic, identical for a given seed. Its generator lives here and
//! only here; every module of Maillage adds its part of the demonstration to this crate.

mod context;
pub mod crisis;
pub mod model;
mod names;
pub mod network;
mod rng;
mod write;

pub use model::{DemoTerritory, generate};
pub use write::{Summary, build, write};

/// The seed of the territory `maillage demo` builds by default.
pub const DEFAULT_SEED: u64 = 2026;

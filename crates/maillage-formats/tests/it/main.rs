//! Integration tests of `maillage-formats`: the official-file readers on their fixtures (`tests/fixtures`, through `common`) and on the real files when present.
//!
//! One test binary per crate (`tests/it/main.rs`, one module per subject) so the whole stack is linked
//! once, not once per file; helpers shared between modules live in `common` or in `maillage-testkit`. Tests
//! run as threads of this one process: a test must not change process-wide state (environment, current
//! directory, `maillage_formats::limits::set`) nor measure the process's memory: such a test runs its
//! subject in a child process (see `bombs` in the `maillage` crate).

mod annuaire;
mod apl;
mod archive;
mod ban;
mod common;
mod communes;
mod contours;
mod finess;
mod fuzz_seeds;
mod insee;
mod limits;
mod spf;
mod zonage;

//! Integration tests of `maillage-demo`: the demonstration territory.
//!
//! One test binary per crate (`tests/it/main.rs`, one module per subject) so the whole stack is linked
//! once, not once per file; helpers shared between modules live in `common` or in `maillage-testkit`. Tests
//! run as threads of this one process: a test must not change process-wide state (environment, current
//! directory, `maillage_formats::limits::set`) nor measure the process's memory: such a test runs its
//! subject in a child process (see `bombs` in the `maillage` crate).

mod basemap_tiles;
mod demo;

//! Integration tests of `maillage-store`: the store on both backends (SQLite, and PostgreSQL when configured).
//!
//! One test binary per crate (`tests/it/main.rs`, one module per subject) so the whole stack is linked
//! once, not once per file; helpers shared between modules live in `common` or in `maillage-testkit`. Tests
//! run as threads of this one process: a test must not change process-wide state (environment, current
//! directory, `maillage_formats::limits::set`) nor measure the process's memory: such a test runs its
//! subject in a child process (see `bombs` in the `maillage` crate).

mod activity;
mod activity_rows;
mod apl;
mod audit_chain;
mod columns_by_name;
mod common;
mod contours_containers;
mod crisis_communes_migration;
mod gp_rule;
mod imports;
mod one_write_mechanism;
mod reach;
mod reference;
mod row_security;
mod secrecy_real;
mod store;
mod zonage;
mod zone_rows;

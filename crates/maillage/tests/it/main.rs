//! Integration tests of `maillage`: the `maillage` command line run as a user runs it (the binary, through `common`).
//!
//! One test binary per crate (`tests/it/main.rs`, one module per subject) so the whole stack is linked
//! once, not once per file; helpers shared between modules live in `common` or in `maillage-testkit`. Tests
//! run as threads of this one process: a test must not change process-wide state (environment, current
//! directory, `maillage_formats::limits::set`) nor measure the process's memory: such a test runs its
//! subject in a child process (see `bombs` in the `maillage` crate).

mod access_cli;
mod accessibility_cli;
mod accounts_cli;
mod apl_cli;
mod audit_cli;
mod bombs;
mod bounded_errors_cli;
mod common;
mod gp_rule_cli;
mod imports_cli;
mod indicators_cli;
mod reference_cli;
mod routing_cli;
mod serve_cli;
mod setup_cli;
mod spf_cli;
mod zonage_cli;

//! Integration tests of `maillage-testkit`: the repository-wide checks (`tidy`), kept here because they
//! read every crate's sources and depend on none of them, so they build in seconds.
//!
//! One test binary per crate (`tests/it/main.rs`, one module per subject), as in every crate.

mod tidy;

//! Versioned schema migrations, embedded in the binary and applied when a store is opened. Each version exists
//! in both dialects with the same tables and meaning.

use crate::Backend;
use sqlx::SqlSafeStr;
use sqlx::migrate::{Migration, MigrationType, Migrator};

/// (version, description, SQLite, PostgreSQL)
const MIGRATIONS: &[(i64, &str, &str, &str)] = &[
    (
        1,
        "foundation",
        include_str!("../migrations/sqlite/0001_foundation.sql"),
        include_str!("../migrations/postgres/0001_foundation.sql"),
    ),
    (
        2,
        "accounts",
        include_str!("../migrations/sqlite/0002_accounts.sql"),
        include_str!("../migrations/postgres/0002_accounts.sql"),
    ),
    (
        3,
        "accessibility",
        include_str!("../migrations/sqlite/0003_accessibility.sql"),
        include_str!("../migrations/postgres/0003_accessibility.sql"),
    ),
    (
        4,
        "crisis",
        include_str!("../migrations/sqlite/0004_crisis.sql"),
        include_str!("../migrations/postgres/0004_crisis.sql"),
    ),
    (
        5,
        "network",
        include_str!("../migrations/sqlite/0005_network.sql"),
        include_str!("../migrations/postgres/0005_network.sql"),
    ),
    (
        6,
        "zonage",
        include_str!("../migrations/sqlite/0006_zonage.sql"),
        include_str!("../migrations/postgres/0006_zonage.sql"),
    ),
    (
        7,
        "establishment closing",
        include_str!("../migrations/sqlite/0007_establishment_closing.sql"),
        include_str!("../migrations/postgres/0007_establishment_closing.sql"),
    ),
    (
        8,
        "apl variants",
        include_str!("../migrations/sqlite/0008_apl_variants.sql"),
        include_str!("../migrations/postgres/0008_apl_variants.sql"),
    ),
    (
        9,
        "reference figures",
        include_str!("../migrations/sqlite/0009_reference_figures.sql"),
        include_str!("../migrations/postgres/0009_reference_figures.sql"),
    ),
    (
        10,
        "professional acts",
        include_str!("../migrations/sqlite/0010_professional_acts.sql"),
        include_str!("../migrations/postgres/0010_professional_acts.sql"),
    ),
    (
        11,
        "crisis communes",
        include_str!("../migrations/sqlite/0011_crisis_communes.sql"),
        include_str!("../migrations/postgres/0011_crisis_communes.sql"),
    ),
    (
        12,
        "audit",
        include_str!("../migrations/sqlite/0012_audit.sql"),
        include_str!("../migrations/postgres/0012_audit.sql"),
    ),
    (
        13,
        "network communes",
        include_str!("../migrations/sqlite/0013_network_communes.sql"),
        include_str!("../migrations/postgres/0013_network_communes.sql"),
    ),
    (
        14,
        "login limiter",
        include_str!("../migrations/sqlite/0014_login_limiter.sql"),
        include_str!("../migrations/postgres/0014_login_limiter.sql"),
    ),
    (
        15,
        "row level security",
        include_str!("../migrations/sqlite/0015_row_level_security.sql"),
        include_str!("../migrations/postgres/0015_row_level_security.sql"),
    ),
    (
        16,
        "apl rows",
        include_str!("../migrations/sqlite/0016_apl_rows.sql"),
        include_str!("../migrations/postgres/0016_apl_rows.sql"),
    ),
    (
        17,
        "zone and activity rows",
        include_str!("../migrations/sqlite/0017_zone_activity_rows.sql"),
        include_str!("../migrations/postgres/0017_zone_activity_rows.sql"),
    ),
    (
        18,
        "trash and reports",
        include_str!("../migrations/sqlite/0018_trash_and_reports.sql"),
        include_str!("../migrations/postgres/0018_trash_and_reports.sql"),
    ),
    (
        19,
        "basemap",
        include_str!("../migrations/sqlite/0019_basemap.sql"),
        include_str!("../migrations/postgres/0019_basemap.sql"),
    ),
];

pub fn migrator(backend: Backend) -> Migrator {
    migrator_up_to(backend, latest_version())
}

/// The migrations up to `last` included: what a base of that version was given (tests of a later migration
/// start from it).
pub fn migrator_up_to(backend: Backend, last: i64) -> Migrator {
    Migrator::with_migrations(
        MIGRATIONS
            .iter()
            .filter(|m| m.0 <= last)
            .map(|(version, description, sqlite, postgres)| {
                let sql = match backend {
                    Backend::Sqlite => *sqlite,
                    Backend::Postgres => *postgres,
                };
                Migration::new(
                    *version,
                    (*description).into(),
                    MigrationType::Simple,
                    sql.into_sql_str(),
                    false,
                )
            })
            .collect(),
    )
}

pub fn latest_version() -> i64 {
    MIGRATIONS.iter().map(|m| m.0).max().unwrap_or(0)
}

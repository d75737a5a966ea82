//! The territory's store: one SQLite file by default, PostgreSQL when given a `postgres://` URL, with the same
//! behaviour. Versioned migrations are applied when the store is opened. Every import goes through this crate
//! and is atomic (one transaction) and idempotent (row hashes decide inserted / updated / unchanged / removed).
//!
//! SQL is written once for both backends: `$1`-style parameters, `BIGINT`/`REAL`/`TEXT` values only, booleans
//! as 0/1 integers. The two migration folders hold the same schema in each dialect.

pub mod accessibility;
pub mod accounts;
pub mod audit;
pub mod backup;
pub mod batch;
mod codec;
pub mod crisis;
pub mod enrichment;
pub mod error;
pub mod exports;
pub mod freshness;
pub mod geocoding;
pub mod geodata;
pub mod imports;
pub mod locations;
mod migrations;
pub mod network;
pub mod observatory;
pub mod password_policy;
pub mod reference;
pub mod roads;
pub mod rows;
pub mod session;
pub mod settings;
pub mod setup;
pub mod supply;
pub mod territory;
pub mod zones;

pub use error::StoreError;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, Executor};
use std::str::FromStr;
use std::sync::Once;
use std::time::Duration;

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// An open store. Cheap to clone (the pool is shared).
#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    location: String,
}

static DRIVERS: Once = Once::new();

impl Store {
    /// Opens (creating it if needed) the store at `location`: a `postgres://` / `postgresql://` URL, or a path to
    /// a SQLite file (optionally written `sqlite:<path>`). Applies pending migrations.
    pub async fn open(location: &str) -> Result<Store> {
        DRIVERS.call_once(sqlx::any::install_default_drivers);
        let (backend, url) = Self::url_of(location);
        let options = AnyConnectOptions::from_str(&url).map_err(|e| StoreError::Connect {
            location: redact(location),
            reason: e.to_string(),
        })?;
        let pool_options = match backend {
            // WAL lets readers (the web pages, a backup) run while an import writes; one writer at a time.
            Backend::Sqlite => AnyPoolOptions::new().max_connections(4).after_connect(|conn, _| {
                Box::pin(async move {
                    conn.execute(
                        "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 30000; \
                         PRAGMA synchronous = NORMAL;",
                    )
                    .await?;
                    Ok(())
                })
            }),
            Backend::Postgres => AnyPoolOptions::new().max_connections(8),
        };
        let pool = pool_options
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(options)
            .await
            .map_err(|e| StoreError::Connect {
                location: redact(location),
                reason: e.to_string(),
            })?;
        migrations::migrator(backend)
            .run(&pool)
            .await
            .map_err(|e| StoreError::Migration(e.to_string()))?;
        Ok(Store {
            pool,
            backend,
            location: redact(location),
        })
    }

    fn url_of(location: &str) -> (Backend, String) {
        if location.starts_with("postgres://") || location.starts_with("postgresql://") {
            (Backend::Postgres, location.to_string())
        } else {
            let path = location
                .strip_prefix("sqlite://")
                .or_else(|| location.strip_prefix("sqlite:"));
            let path = path.unwrap_or(location);
            let path = path.split('?').next().unwrap_or(path);
            (Backend::Sqlite, format!("sqlite://{path}?mode=rwc"))
        }
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Where the store is, with any password removed: safe to print and log.
    pub fn location(&self) -> &str {
        &self.location
    }

    /// The latest migration version applied (the schema version written into backups).
    pub fn schema_version(&self) -> i64 {
        migrations::latest_version()
    }

    pub async fn close(self) {
        self.pool.close().await;
    }
}

/// Removes the password from a database URL.
pub fn redact(location: &str) -> String {
    match (location.find("://"), location.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let userinfo = &location[scheme_end + 3..at];
            let user = userinfo.split(':').next().unwrap_or("");
            format!(
                "{}{}@{}",
                &location[..scheme_end + 3],
                user,
                &location[at + 1..]
            )
        }
        _ => location.to_string(),
    }
}

/// The current instant as an RFC 3339 UTC string, the one timestamp format of the store.
pub fn now() -> String {
    jiff::Timestamp::now()
        .round(jiff::Unit::Second)
        .unwrap_or_else(|_| jiff::Timestamp::now())
        .to_string()
}

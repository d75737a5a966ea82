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
pub mod basemap;
pub mod batch;
pub mod change;
mod codec;
pub mod crisis;
pub mod enrichment;
pub mod error;
pub mod exports;
pub mod freshness;
pub mod geocoding;
pub mod geodata;
// The GeoPackage writer of the observatory's exports (issue 19: only the store speaks SQL).
pub mod gpkg;
pub mod imports;
pub mod listing;
pub mod locations;
pub mod migrations;
pub mod module;
pub mod network;
pub mod observatory;
pub mod password_policy;
pub mod reach;
pub mod reference;
pub mod roads;
pub mod rows;
pub mod session;
pub mod settings;
pub mod setup;
pub mod supply;
pub mod territory;
pub mod zones;

use error::ApplicationRoleProblem;
pub use error::{BackupProblem, StoreError};
/// The codes of the store's enumerations (roles, actions, sources, zone kinds) are the kit's.
pub use maillage_kit::codes::Coded;

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
        let store = Self::connect(location, None).await?;
        migrations::migrator(store.backend)
            .run(&store.pool)
            .await
            .map_err(|e| StoreError::Migration(e.to_string()))?;
        audit::register(&store).await?;
        Ok(store)
    }

    /// Opens the PostgreSQL store at `location` for the web application: as the owner of the tables first, to
    /// apply pending migrations and grant `role` what the application needs ([`grant_application_role`]), then
    /// with every pooled connection running as `role` (`SET ROLE`), a role that owns nothing, so that the
    /// row-level security policies bind every statement (migration 0015). Whole-base operations (migrations,
    /// backups, restores, the demonstration) keep opening the store as its owner with [`Store::open`].
    pub async fn open_as_application(location: &str, role: &str) -> Result<Store> {
        let problem = |problem| StoreError::ApplicationRole {
            role: role.to_string(),
            problem,
        };
        if !is_plain_role_name(role) {
            return Err(problem(ApplicationRoleProblem::InvalidName));
        }
        let owner = Store::open(location).await?;
        if owner.backend != Backend::Postgres {
            owner.close().await;
            return Err(problem(ApplicationRoleProblem::NotPostgres));
        }
        let granted = grant_application_role(&owner, role).await;
        owner.close().await;
        granted?;
        let store = Self::connect(location, Some(role))
            .await
            .map_err(|e| match e {
                StoreError::Connect { reason, .. } => {
                    problem(ApplicationRoleProblem::CannotAssume(reason))
                }
                other => other,
            })?;
        let current: String = sqlx::query_scalar("SELECT current_user::TEXT")
            .fetch_one(&store.pool)
            .await?;
        if current != role {
            store.close().await;
            return Err(problem(ApplicationRoleProblem::CannotAssume(current)));
        }
        Ok(store)
    }

    /// Opens the PostgreSQL store for the web application with a login of its own (`application`, a URL naming a
    /// role that owns nothing): migrations and grants as the owner at `location` (as
    /// [`Store::open_as_application`]), then every pooled connection logged in as that role, which, unlike a
    /// role taken with `SET ROLE`, cannot return to the owner's rights from inside the application.
    pub async fn open_with_application_login(location: &str, application: &str) -> Result<Store> {
        let owner = Store::open(location).await?;
        let store = match Self::connect(application, None).await {
            Ok(store) => store,
            Err(e) => {
                owner.close().await;
                return Err(e);
            }
        };
        let problem = |role: &str, problem| StoreError::ApplicationRole {
            role: role.to_string(),
            problem,
        };
        if owner.backend != Backend::Postgres || store.backend != Backend::Postgres {
            owner.close().await;
            store.close().await;
            return Err(problem(
                &redact(application),
                ApplicationRoleProblem::NotPostgres,
            ));
        }
        let role: String = sqlx::query_scalar("SELECT current_user::TEXT")
            .fetch_one(&store.pool)
            .await?;
        let granted = grant_application_role(&owner, &role).await;
        owner.close().await;
        if let Err(e) = granted {
            store.close().await;
            return Err(e);
        }
        Ok(store)
    }

    /// A pool on `location`; on PostgreSQL, every connection takes `role` when one is given.
    async fn connect(location: &str, role: Option<&str>) -> Result<Store> {
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
            Backend::Postgres => {
                // The name is checked plain (is_plain_role_name): quoting it is enough.
                let set_role = role.map(|r| format!("SET ROLE \"{r}\""));
                AnyPoolOptions::new()
                    .max_connections(8)
                    .after_connect(move |conn, _| {
                        let set_role = set_role.clone();
                        Box::pin(async move {
                            if let Some(statement) = set_role {
                                conn.execute(sqlx::AssertSqlSafe(statement)).await?;
                            }
                            Ok(())
                        })
                    })
            }
        };
        let pool = pool_options
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(options)
            .await
            .map_err(|e| StoreError::Connect {
                location: redact(location),
                reason: e.to_string(),
            })?;
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

/// Whether `role` is a plain PostgreSQL role name (lowercase ASCII letters, digits and `_`, not starting with a
/// digit, at most 63 bytes), safe to quote into `SET ROLE` and `GRANT`.
pub fn is_plain_role_name(role: &str) -> bool {
    !role.is_empty()
        && role.len() <= 63
        && !role.starts_with(|c: char| c.is_ascii_digit())
        && role
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// Grants `role` what the web application needs and nothing more, as the owner of the tables: SELECT, INSERT,
/// UPDATE and DELETE on every table (not the migrations' table; the audit log: SELECT and INSERT only, it is
/// append-only), the sequences behind the identifiers. Idempotent; run at every start of the application, so
/// that tables added by later migrations are granted too. Refuses a role that could bypass row-level security.
pub async fn grant_application_role(store: &Store, role: &str) -> Result<()> {
    let problem = |problem| StoreError::ApplicationRole {
        role: role.to_string(),
        problem,
    };
    if !is_plain_role_name(role) {
        return Err(problem(ApplicationRoleProblem::InvalidName));
    }
    if store.backend != Backend::Postgres {
        return Err(problem(ApplicationRoleProblem::NotPostgres));
    }
    let found: Option<(bool, i64)> = sqlx::query_as(
        "SELECT (r.rolsuper OR r.rolbypassrls), \
                (SELECT count(*) FROM pg_class c WHERE c.relowner = r.oid) \
         FROM pg_roles r WHERE r.rolname = $1",
    )
    .bind(role)
    .fetch_optional(&store.pool)
    .await?;
    match found {
        None => {
            return Err(problem(ApplicationRoleProblem::CannotAssume(
                "ce rôle n'existe pas".into(),
            )));
        }
        Some((true, _)) => return Err(problem(ApplicationRoleProblem::TooPowerful)),
        Some((false, owned)) if owned > 0 => {
            return Err(problem(ApplicationRoleProblem::TooPowerful));
        }
        Some(_) => {}
    }
    let statements = format!(
        "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO \"{role}\"; \
         REVOKE ALL ON _sqlx_migrations FROM \"{role}\"; \
         REVOKE UPDATE, DELETE ON audit_log FROM \"{role}\"; \
         GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO \"{role}\";"
    );
    sqlx::raw_sql(sqlx::AssertSqlSafe(statements))
        .execute(&store.pool)
        .await?;
    Ok(())
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

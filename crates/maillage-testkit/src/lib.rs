//! Test support shared by the crates' tests: a fresh base on each backend the machine offers, the real-data
//! folder `../shared/data`, and skips that say so.
//!
//! PostgreSQL: set `MAILLAGE_TEST_POSTGRES` to the URL of a role allowed to create databases (CI does); each
//! test gets its own database, dropped at the end. Without the variable, PostgreSQL tests skip visibly, unless
//! `MAILLAGE_EXIGER_POSTGRES=1`, which makes them fail (CI sets it so a missing server cannot go unnoticed).

pub mod bombs;
pub mod drees;
pub mod finess_flux;
pub mod fixtures;
pub mod pbf;
pub mod roles;
pub mod secrecy;

use sqlx::Connection;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// Prints a visible skip line to stderr.
pub fn skip(reason: &str) {
    eprintln!("SKIPPED: {reason}");
}

/// The repository root (two levels above a crate's manifest directory).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("repository root")
}

/// `crates/maillage-formats/tests/fixtures/<rel>`: the hand-written fixtures of the official files (each says
/// it is a fixture, not real data), read by the tests of every crate that imports them.
pub fn format_fixture(rel: &str) -> PathBuf {
    repo_root()
        .join("crates/maillage-formats/tests/fixtures")
        .join(rel)
}

/// The body of a backup file (`maillage sauvegarde`, `backup::save`: gzip, one header line carrying the date,
/// then the store): equal bodies, equal stores.
pub fn backup_body(file: &Path) -> String {
    use std::io::Read;
    let mut text = String::new();
    flate2::read::GzDecoder::new(std::fs::File::open(file).expect("the backup file"))
        .read_to_string(&mut text)
        .expect("a gzip text");
    let (_header, body) = text.split_once('\n').expect("a header line");
    body.to_string()
}

/// A file name in `dir` not used before by this process (`<prefix>-<nanoseconds>.gz`), for successive backups.
pub fn fresh_backup_path(dir: &Path, prefix: &str) -> PathBuf {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("a clock after 1970")
        .as_nanos();
    dir.join(format!("{prefix}-{nanos}.gz"))
}

/// `../shared/data/<rel>` next to the checkout, or None (after printing a skip line) when absent.
pub fn shared_data(rel: &str) -> Option<PathBuf> {
    let path = repo_root().join("../shared/data").join(rel);
    if path.exists() {
        Some(path)
    } else {
        skip(&format!(
            "{} absent (données réelles de ../shared/data non disponibles)",
            path.display()
        ));
        None
    }
}

/// A fresh, empty base for one test. The location is what `--base` / `Store::open` take.
pub struct TestBase {
    pub location: String,
    pub backend: &'static str,
    _dir: Option<tempfile::TempDir>,
    drop_database: Option<(String, String)>,
}

static COUNTER: AtomicU64 = AtomicU64::new(0);

impl TestBase {
    pub fn sqlite() -> TestBase {
        let dir = tempfile::tempdir().expect("temporary directory");
        let location = dir.path().join("maillage.sqlite").display().to_string();
        TestBase {
            location,
            backend: "sqlite",
            _dir: Some(dir),
            drop_database: None,
        }
    }

    /// A new PostgreSQL database, or None when no server is configured (see the crate documentation).
    pub async fn postgres() -> Option<TestBase> {
        let Ok(admin) = std::env::var("MAILLAGE_TEST_POSTGRES") else {
            if std::env::var("MAILLAGE_EXIGER_POSTGRES").as_deref() == Ok("1") {
                panic!("MAILLAGE_EXIGER_POSTGRES=1 mais MAILLAGE_TEST_POSTGRES n'est pas défini");
            }
            skip(
                "PostgreSQL non configuré (variable MAILLAGE_TEST_POSTGRES absente) : tests PostgreSQL sautés",
            );
            return None;
        };
        let name = format!(
            "maillage_test_{}_{}_{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::SeqCst),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.subsec_nanos())
                .unwrap_or(0)
        );
        let mut conn = sqlx::PgConnection::connect(&admin)
            .await
            .expect("connexion PostgreSQL de test");
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&mut conn)
            .await
            .expect("création de la base de test");
        conn.close().await.ok();
        let (prefix, _) = admin
            .rsplit_once('/')
            .expect("URL PostgreSQL avec un nom de base");
        Some(TestBase {
            location: format!("{prefix}/{name}"),
            backend: "postgres",
            _dir: None,
            drop_database: Some((admin, name)),
        })
    }

    /// One fresh base per available backend: SQLite always, PostgreSQL when configured.
    pub async fn all() -> Vec<TestBase> {
        let mut v = vec![TestBase::sqlite()];
        v.extend(TestBase::postgres().await);
        v
    }
}

impl Drop for TestBase {
    fn drop(&mut self) {
        if let Some((admin, name)) = self.drop_database.take() {
            // Best effort, on a thread of its own: Drop may run inside or outside a runtime.
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .ok()?;
                rt.block_on(async {
                    let mut conn = sqlx::PgConnection::connect(&admin).await.ok()?;
                    sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
                        "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                    )))
                    .execute(&mut conn)
                    .await
                    .ok()
                })
            })
            .join();
        }
    }
}

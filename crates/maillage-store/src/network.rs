//! The network and Contrat local de santé module in the store (migration 0005): every SQL statement of the
//! directory, relay lists and messages, bodies and meetings, the watch network, the CLS and consultations, for
//! SQLite and PostgreSQL alike. The rules (checks of fields, allowed steps, progress, reminders) are
//! `maillage-network`'s; this module applies them and keeps the result.
//!
//! Write functions take the caller's transaction (started with [`begin`]), so that the web layer commits the
//! audit entry with the change; read functions take the store. Nothing here logs: contacts are personal data.

pub mod bodies;
pub mod cls;
pub mod democracy;
pub mod directory;
pub mod relay;
pub mod watch;

use crate::{Backend, Store, StoreError};
use jiff::Timestamp;
use jiff::civil::Date;
use maillage_network::{Coded, NetworkError};
use sqlx::{Any, Transaction};

/// What an operation of the module can fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The store failed (boxed: the store's error is large).
    #[error(transparent)]
    Store(Box<StoreError>),
    /// A rule refused the operation (a field, a step...).
    #[error(transparent)]
    Rule(#[from] NetworkError),
    #[error("{what} {id} does not exist")]
    NotFound { what: &'static str, id: i64 },
    /// A value that must be unique is taken (`what` names the field).
    #[error("{what} is already used")]
    Duplicate { what: &'static str },
    /// The contact left the list through their unsubscribe link: only they can come back.
    #[error("contact {contact} unsubscribed from list {list}")]
    Unsubscribed { list: i64, contact: i64 },
    /// Something refers to a row of another body, contract... than the one acted on.
    #[error("{what} {id} does not belong here")]
    Mismatch { what: &'static str, id: i64 },
}

/// A wrong typed-in value is a refusal of the module's rules.
impl From<maillage_fields::FieldError> for Error {
    fn from(e: maillage_fields::FieldError) -> Self {
        Error::Rule(NetworkError::from(e))
    }
}

impl From<StoreError> for Error {
    fn from(e: StoreError) -> Self {
        Error::Store(Box::new(e))
    }
}

impl From<sqlx::Error> for Error {
    fn from(e: sqlx::Error) -> Self {
        Error::Store(Box::new(StoreError::Database(e)))
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Begins a write transaction: `BEGIN IMMEDIATE` on SQLite (the write lock at once, so that a transaction that
/// reads before it writes cannot fail on a lock upgrade), a plain `BEGIN` on PostgreSQL.
pub async fn begin(store: &Store) -> Result<Transaction<'static, Any>> {
    Ok(match store.backend() {
        Backend::Sqlite => store.pool().begin_with("BEGIN IMMEDIATE").await?,
        Backend::Postgres => store.pool().begin().await?,
    })
}

/// An instant as the store writes it (RFC 3339, UTC, to the second).
pub fn instant(t: Timestamp) -> String {
    t.round(jiff::Unit::Second).unwrap_or(t).to_string()
}

/// Today in France (due dates and deadlines are French calendar days).
pub fn today(now: Timestamp) -> Date {
    now.in_tz("Europe/Paris")
        .map(|z| z.date())
        .unwrap_or_else(|_| now.to_zoned(jiff::tz::TimeZone::UTC).date())
}

fn corrupted(field: &'static str, s: &str) -> Error {
    Error::Store(Box::new(StoreError::InvalidValue {
        field,
        value: maillage_fields::quoted(s),
    }))
}

/// A stored code.
pub(crate) fn code<T: Coded>(field: &'static str, s: &str) -> Result<T> {
    T::parse(s).ok_or_else(|| corrupted(field, s))
}

pub(crate) fn code_opt<T: Coded>(field: &'static str, s: Option<String>) -> Result<Option<T>> {
    s.map(|s| code(field, &s)).transpose()
}

/// A stored `|`-separated list of codes.
pub(crate) fn codes<T: Coded + Ord>(field: &'static str, s: &str) -> Result<Vec<T>> {
    maillage_network::parse_codes(field, s).map_err(|_| corrupted(field, s))
}

pub(crate) fn day(field: &'static str, s: &str) -> Result<Date> {
    s.parse().map_err(|_| corrupted(field, s))
}

pub(crate) fn day_opt(field: &'static str, s: Option<String>) -> Result<Option<Date>> {
    s.map(|s| day(field, &s)).transpose()
}

pub(crate) fn at(field: &'static str, s: &str) -> Result<Timestamp> {
    s.parse().map_err(|_| corrupted(field, s))
}

pub(crate) fn at_opt(field: &'static str, s: Option<String>) -> Result<Option<Timestamp>> {
    s.map(|s| at(field, &s)).transpose()
}

pub(crate) fn day_text(d: Option<Date>) -> Option<String> {
    d.map(|d| d.to_string())
}

/// Fails with [`Error::NotFound`] when a statement touched no row.
pub(crate) fn touched(rows: u64, what: &'static str, id: i64) -> Result<()> {
    if rows == 0 {
        Err(Error::NotFound { what, id })
    } else {
        Ok(())
    }
}

/// Whether an error is a unique constraint refusing a row (both backends).
pub(crate) fn is_unique_violation(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Database(d) => {
            d.is_unique_violation()
                || d.code()
                    .is_some_and(|c| c == "23505" || c == "2067" || c == "1555")
        }
        _ => false,
    }
}

/// Settings of the module, kept in the `setting` table.
pub mod keys {
    /// The SMTP server messages go through ([`super::relay::SmtpSettings`]).
    pub const SMTP: &str = "reseau.smtp";
    /// The key signing unsubscribe links and calendar feed addresses (hex, generated on first use).
    pub const SIGNING_KEY: &str = "reseau.cle_signature";
}

/// The instance's signing key, created (32 random bytes) the first time it is needed.
pub async fn signing_key(store: &Store) -> Result<Vec<u8>> {
    if let Some(k) = crate::settings::get::<String>(store, keys::SIGNING_KEY).await?
        && let Ok(bytes) = hex::decode(&k)
        && bytes.len() == 32
    {
        return Ok(bytes);
    }
    let mut tx = begin(store).await?;
    // Another request may have created it meanwhile: read again under the write lock.
    let existing: Option<String> = sqlx::query_scalar("SELECT value FROM setting WHERE key = $1")
        .bind(keys::SIGNING_KEY)
        .fetch_optional(&mut *tx)
        .await?;
    if let Some(bytes) = existing
        .and_then(|v| serde_json::from_str::<String>(&v).ok())
        .and_then(|k| hex::decode(k).ok())
        .filter(|b| b.len() == 32)
    {
        tx.commit().await?;
        return Ok(bytes);
    }
    let mut bytes = [0u8; 32];
    random_bytes(&mut bytes)?;
    crate::settings::set(&mut *tx, keys::SIGNING_KEY, &hex::encode(bytes)).await?;
    tx.commit().await?;
    Ok(bytes.to_vec())
}

/// Random bytes from the operating system.
fn random_bytes(buf: &mut [u8]) -> Result<()> {
    getrandom::fill(buf).map_err(|e| {
        Error::Store(Box::new(StoreError::InvalidValue {
            field: "aléa",
            value: e.to_string(),
        }))
    })
}

//! People who log in: accounts with their roles and territories, sessions, API tokens for partners, and login
//! attempts (for rate limiting). Secrets never reach this module in clear: passwords arrive as argon2id hashes
//! and session / API tokens as SHA-256 digests, computed by the web layer.
//!
//! Role names are the product's (docs/produit.md §2); what each role may do is decided in one place, the web
//! crate's permission table. An unknown role name read from the base grants nothing.

use crate::change::Change;
use crate::{Result, Store, StoreError};
use maillage_kit::codes::Coded;
use serde::Serialize;
use sqlx::Row;
use std::collections::{BTreeSet, HashMap};

maillage_kit::coded! {
    /// The roles of docs/produit.md §2 (serialised as their codes).
    pub enum Role {
        Elu => "elu",
        Coordination => "coordination",
        Observatoire => "observatoire",
        Offre => "offre",
        Ccas => "ccas",
        Mediation => "mediation",
        Crise => "crise",
        Benevole => "benevole",
        Partenaire => "partenaire",
        Dpo => "dpo",
        Admin => "admin",
    }
}

impl Role {
    /// Every role, in display order.
    pub const ALL: &'static [Role] = <Role as Coded>::ALL;

    pub fn as_str(self) -> &'static str {
        self.code()
    }

    pub fn parse(s: &str) -> Option<Role> {
        <Role as Coded>::parse(s)
    }
}

/// What can go wrong when accounts are created or changed.
#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    /// Boxed: the store's error is large, and account checks return this type on every call.
    #[error(transparent)]
    Store(Box<StoreError>),
    #[error("invalid identifier {0:?}: 2 to 64 of a-z 0-9 . _ -, starting with a letter or digit")]
    InvalidIdentifier(String),
    #[error("identifier {0} is already taken")]
    IdentifierTaken(String),
    #[error("display name must have 1 to {max} characters")]
    InvalidDisplayName { max: usize },
    #[error("password shorter than {min} characters")]
    PasswordTooShort { min: usize },
    #[error("password longer than {max} characters")]
    PasswordTooLong { max: usize },
    #[error("the password and its confirmation differ")]
    PasswordMismatch,
    #[error("unknown role {0}")]
    UnknownRole(String),
    #[error("an account needs at least one role")]
    NoRole,
    #[error("invalid commune code {0:?}")]
    InvalidCommuneCode(String),
    #[error("unknown account {0}")]
    UnknownAccount(String),
    #[error("token label must have 1 to {max} characters")]
    InvalidLabel { max: usize },
    #[error("blank password")]
    PasswordBlank,
    #[error("the password is or contains the account's identifier")]
    PasswordContainsIdentifier,
    #[error("the password is a common one")]
    PasswordCommon,
    #[error("the password is one repeated character, a sequence or a repeated block")]
    PasswordRepetitive,
    #[error("the password is too weak: less than {min_bits} bits of entropy")]
    PasswordTooWeak { min_bits: u32 },
    #[error("commune {0} is not one of the territory's")]
    CommuneOutsideTerritory(String),
}

impl From<StoreError> for AccountError {
    fn from(e: StoreError) -> Self {
        AccountError::Store(Box::new(e))
    }
}

impl From<sqlx::Error> for AccountError {
    fn from(e: sqlx::Error) -> Self {
        AccountError::Store(Box::new(StoreError::Database(e)))
    }
}

pub use crate::password_policy::{PASSWORD_MAX_CHARS, PASSWORD_MIN_CHARS};
pub const DISPLAY_NAME_MAX_CHARS: usize = 120;
pub const LABEL_MAX_CHARS: usize = 120;

/// The login as stored: trimmed, lower case, checked.
pub fn normalize_identifier(raw: &str) -> Result<String, AccountError> {
    let id = raw.trim().to_lowercase();
    let ok = (2..=64).contains(&id.len())
        && id.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'));
    if ok {
        Ok(id)
    } else {
        Err(AccountError::InvalidIdentifier(
            raw.chars().take(80).collect(),
        ))
    }
}

/// The password policy ([`crate::password_policy`]): CNIL's recommendation, for the account `identifier`.
pub fn check_password(password: &str, identifier: &str) -> Result<(), AccountError> {
    crate::password_policy::check(password, identifier)
}

pub fn check_display_name(name: &str) -> Result<String, AccountError> {
    let name = name.trim();
    let n = name.chars().count();
    if n == 0 || n > DISPLAY_NAME_MAX_CHARS || name.chars().any(char::is_control) {
        return Err(AccountError::InvalidDisplayName {
            max: DISPLAY_NAME_MAX_CHARS,
        });
    }
    Ok(name.to_string())
}

/// An INSEE commune code: five characters, digits except 2A / 2B for Corsica.
pub fn check_commune_code(code: &str) -> Result<String, AccountError> {
    let c = code.trim().to_uppercase();
    let ok = c.len() == 5
        && (c.chars().all(|ch| ch.is_ascii_digit())
            || ((c.starts_with("2A") || c.starts_with("2B"))
                && c[2..].chars().all(|ch| ch.is_ascii_digit())));
    if ok {
        Ok(c)
    } else {
        Err(AccountError::InvalidCommuneCode(
            code.chars().take(20).collect(),
        ))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Account {
    pub id: i64,
    pub identifier: String,
    pub display_name: String,
    pub roles: BTreeSet<Role>,
    pub territories: BTreeSet<String>,
    /// Every commune of the instance, present and future.
    pub all_territories: bool,
    pub active: bool,
    pub demo: bool,
    pub created_at: String,
    pub password_changed_at: String,
}

/// An account to create. The identifier is normalised and every field checked by [`create`].
#[derive(Debug, Clone)]
pub struct NewAccount {
    pub identifier: String,
    pub display_name: String,
    pub password_hash: String,
    pub roles: BTreeSet<Role>,
    pub territories: BTreeSet<String>,
    pub all_territories: bool,
    pub demo: bool,
}

/// What an administrator may change on an account.
#[derive(Debug, Clone)]
pub struct Grants {
    pub display_name: String,
    pub roles: BTreeSet<Role>,
    pub territories: BTreeSet<String>,
    pub all_territories: bool,
    pub active: bool,
}

const ACCOUNT_COLUMNS: &str =
    "id, identifier, display_name, all_territories, active, demo, created_at, password_changed_at";

/// Creates an account inside `tx` and returns its id.
pub async fn create(tx: &mut Change, new: &NewAccount) -> Result<i64, AccountError> {
    let identifier = normalize_identifier(&new.identifier)?;
    let display_name = check_display_name(&new.display_name)?;
    if new.roles.is_empty() {
        return Err(AccountError::NoRole);
    }
    let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM account WHERE identifier = $1")
        .bind(&identifier)
        .fetch_optional(tx.conn())
        .await?;
    if taken.is_some() {
        return Err(AccountError::IdentifierTaken(identifier));
    }
    let now = crate::now();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO account (identifier, display_name, password_hash, all_territories, active, demo, created_at,
             password_changed_at)
         VALUES ($1, $2, $3, $4, 1, $5, $6, $6) RETURNING id",
    )
    .bind(&identifier)
    .bind(&display_name)
    .bind(&new.password_hash)
    .bind(i64::from(new.all_territories))
    .bind(i64::from(new.demo))
    .bind(&now)
    .fetch_one(tx.conn())
    .await?;
    write_grants(tx, id, &new.roles, &new.territories).await?;
    Ok(id)
}

async fn write_grants(
    tx: &mut Change,
    id: i64,
    roles: &BTreeSet<Role>,
    territories: &BTreeSet<String>,
) -> Result<(), AccountError> {
    sqlx::query("DELETE FROM account_role WHERE account_id = $1")
        .bind(id)
        .execute(tx.conn())
        .await?;
    sqlx::query("DELETE FROM account_territory WHERE account_id = $1")
        .bind(id)
        .execute(tx.conn())
        .await?;
    for role in roles {
        sqlx::query("INSERT INTO account_role (account_id, role) VALUES ($1, $2)")
            .bind(id)
            .bind(role.as_str())
            .execute(tx.conn())
            .await?;
    }
    for code in territories {
        let code = check_commune_code(code)?;
        sqlx::query("INSERT INTO account_territory (account_id, commune_code) VALUES ($1, $2)")
            .bind(id)
            .bind(code)
            .execute(tx.conn())
            .await?;
    }
    Ok(())
}

/// Replaces the display name, roles, territories and active flag of an account. Deactivating it ends its
/// sessions.
pub async fn update_grants(tx: &mut Change, id: i64, grants: &Grants) -> Result<(), AccountError> {
    let display_name = check_display_name(&grants.display_name)?;
    if grants.roles.is_empty() {
        return Err(AccountError::NoRole);
    }
    let n = sqlx::query(
        "UPDATE account SET display_name = $2, all_territories = $3, active = $4 WHERE id = $1",
    )
    .bind(id)
    .bind(&display_name)
    .bind(i64::from(grants.all_territories))
    .bind(i64::from(grants.active))
    .execute(tx.conn())
    .await?
    .rows_affected();
    if n == 0 {
        return Err(AccountError::UnknownAccount(id.to_string()));
    }
    write_grants(tx, id, &grants.roles, &grants.territories).await?;
    if !grants.active {
        sqlx::query("DELETE FROM account_session WHERE account_id = $1")
            .bind(id)
            .execute(tx.conn())
            .await?;
    }
    Ok(())
}

pub async fn set_password_hash(tx: &mut Change, id: i64, hash: &str) -> Result<(), AccountError> {
    let n = sqlx::query(
        "UPDATE account SET password_hash = $2, password_changed_at = $3 WHERE id = $1",
    )
    .bind(id)
    .bind(hash)
    .bind(crate::now())
    .execute(tx.conn())
    .await?
    .rows_affected();
    if n == 0 {
        return Err(AccountError::UnknownAccount(id.to_string()));
    }
    Ok(())
}

async fn complete(store: &Store, rows: Vec<sqlx::any::AnyRow>) -> Result<Vec<Account>> {
    // Roles and communes of every account read in one query (not two per account): this runs on every
    // authenticated request.
    let ids = rows
        .iter()
        .map(|r| r.try_get::<i64, _>("id"))
        .collect::<std::result::Result<Vec<_>, _>>()?;
    let filter = match ids.as_slice() {
        [] => return Ok(Vec::new()),
        [_] => ("WHERE account_id = $1", "WHERE account_id = $2"),
        _ => ("", ""),
    };
    let sql = format!(
        "SELECT account_id, 'role' AS kind, role AS value FROM account_role {}
         UNION ALL
         SELECT account_id, 'commune' AS kind, commune_code AS value FROM account_territory {}",
        filter.0, filter.1
    );
    let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
    if let [id] = ids.as_slice() {
        query = query.bind(*id).bind(*id);
    }
    let mut roles: HashMap<i64, BTreeSet<Role>> = HashMap::new();
    let mut territories: HashMap<i64, BTreeSet<String>> = HashMap::new();
    for r in query.fetch_all(store.pool()).await? {
        let account: i64 = r.try_get("account_id")?;
        let value: String = r.try_get("value")?;
        if r.try_get::<String, _>("kind")? == "role" {
            roles
                .entry(account)
                .or_default()
                .extend(Role::parse(&value));
        } else {
            territories.entry(account).or_default().insert(value);
        }
    }
    let mut accounts = Vec::with_capacity(rows.len());
    for (r, id) in rows.into_iter().zip(ids) {
        accounts.push(Account {
            id,
            identifier: r.try_get("identifier")?,
            display_name: r.try_get("display_name")?,
            roles: roles.remove(&id).unwrap_or_default(),
            territories: territories.remove(&id).unwrap_or_default(),
            all_territories: r.try_get::<i64, _>("all_territories")? != 0,
            active: r.try_get::<i64, _>("active")? != 0,
            demo: r.try_get::<i64, _>("demo")? != 0,
            created_at: r.try_get("created_at")?,
            password_changed_at: r.try_get("password_changed_at")?,
        });
    }
    Ok(accounts)
}

pub async fn get(store: &Store, id: i64) -> Result<Option<Account>> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {ACCOUNT_COLUMNS} FROM account WHERE id = $1"
    )))
    .bind(id)
    .fetch_all(store.pool())
    .await?;
    Ok(complete(store, rows).await?.pop())
}

/// Every account, by identifier.
pub async fn list(store: &Store) -> Result<Vec<Account>> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {ACCOUNT_COLUMNS} FROM account ORDER BY identifier"
    )))
    .fetch_all(store.pool())
    .await?;
    complete(store, rows).await
}

/// The account with this (normalised) identifier and its password hash.
pub async fn credentials(store: &Store, identifier: &str) -> Result<Option<(Account, String)>> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {ACCOUNT_COLUMNS}, password_hash FROM account WHERE identifier = $1"
    )))
    .bind(identifier)
    .fetch_all(store.pool())
    .await?;
    let Some(hash) = rows
        .first()
        .map(|r| r.try_get::<String, _>("password_hash"))
        .transpose()?
    else {
        return Ok(None);
    };
    Ok(complete(store, rows).await?.pop().map(|a| (a, hash)))
}

pub async fn password_hash(store: &Store, id: i64) -> Result<Option<String>> {
    Ok(
        sqlx::query_scalar("SELECT password_hash FROM account WHERE id = $1")
            .bind(id)
            .fetch_optional(store.pool())
            .await?,
    )
}

// ---------------------------------------------------------------------------------------------------------------
// Sessions. The API takes Unix seconds (the web layer computes with them); the base stores RFC 3339 text, which
// compares as time does.

/// Unix seconds as the store's instant text.
fn instant(seconds: i64) -> String {
    jiff::Timestamp::from_second(seconds).map_or_else(|_| crate::now(), |t| t.to_string())
}

fn seconds(text: &str) -> Option<i64> {
    text.parse::<jiff::Timestamp>().ok().map(|t| t.as_second())
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub account_id: i64,
    pub csrf_token: String,
    pub created_at: i64,
    pub last_seen_at: i64,
    /// Absolute end of the session, whatever the activity.
    pub expires_at: i64,
}

pub async fn create_session(store: &Store, token_hash: &str, session: &Session) -> Result<()> {
    sqlx::query(
        "INSERT INTO account_session (token_hash, account_id, csrf_token, created_at, last_seen_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(token_hash)
    .bind(session.account_id)
    .bind(&session.csrf_token)
    .bind(instant(session.created_at))
    .bind(instant(session.last_seen_at))
    .bind(instant(session.expires_at))
    .execute(store.pool())
    .await?;
    Ok(())
}

/// The session of this token (by its hash), with its account.
pub async fn session(store: &Store, token_hash: &str) -> Result<Option<(Session, Account)>> {
    // Session and account in one query (roles and communes in a second): this runs on every request.
    let row = sqlx::query(
        "SELECT s.account_id, s.csrf_token, s.created_at AS session_created_at, s.last_seen_at, s.expires_at,
                a.id, a.identifier, a.display_name, a.all_territories, a.active, a.demo, a.created_at,
                a.password_changed_at
         FROM account_session s JOIN account a ON a.id = s.account_id
         WHERE s.token_hash = $1",
    )
    .bind(token_hash)
    .fetch_optional(store.pool())
    .await?;
    let Some(r) = row else { return Ok(None) };
    let texts: [String; 3] = [
        r.try_get("session_created_at")?,
        r.try_get("last_seen_at")?,
        r.try_get("expires_at")?,
    ];
    let [Some(created_at), Some(last_seen_at), Some(expires_at)] =
        texts.each_ref().map(|t| seconds(t))
    else {
        return Err(StoreError::InvalidValue {
            field: "account_session",
            value: texts.join(" "),
        });
    };
    let session = Session {
        account_id: r.try_get("account_id")?,
        csrf_token: r.try_get("csrf_token")?,
        created_at,
        last_seen_at,
        expires_at,
    };
    Ok(complete(store, vec![r]).await?.pop().map(|a| (session, a)))
}

pub async fn touch_session(store: &Store, token_hash: &str, now: i64) -> Result<()> {
    sqlx::query("UPDATE account_session SET last_seen_at = $2 WHERE token_hash = $1")
        .bind(token_hash)
        .bind(instant(now))
        .execute(store.pool())
        .await?;
    Ok(())
}

pub async fn delete_session(store: &Store, token_hash: &str) -> Result<()> {
    sqlx::query("DELETE FROM account_session WHERE token_hash = $1")
        .bind(token_hash)
        .execute(store.pool())
        .await?;
    Ok(())
}

/// Ends every session of an account but `keep` (the one that changed the password, say).
pub async fn delete_sessions_of(
    tx: &mut Change,
    account_id: i64,
    keep: Option<&str>,
) -> Result<()> {
    sqlx::query("DELETE FROM account_session WHERE account_id = $1 AND token_hash <> $2")
        .bind(account_id)
        .bind(keep.unwrap_or(""))
        .execute(tx.conn())
        .await?;
    Ok(())
}

/// Removes sessions past their absolute end or idle since before `idle_before`.
pub async fn purge_sessions(store: &Store, now: i64, idle_before: i64) -> Result<u64> {
    Ok(
        sqlx::query("DELETE FROM account_session WHERE expires_at <= $1 OR last_seen_at < $2")
            .bind(instant(now))
            .bind(instant(idle_before))
            .execute(store.pool())
            .await?
            .rows_affected(),
    )
}

// ---------------------------------------------------------------------------------------------------------------
// API tokens.

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApiToken {
    pub id: i64,
    pub account_id: i64,
    pub account_identifier: String,
    pub label: String,
    pub prefix: String,
    pub created_at: String,
    pub created_by: String,
    pub revoked_at: Option<String>,
    pub last_used_at: Option<String>,
}

pub struct NewToken<'a> {
    pub account_id: i64,
    pub label: &'a str,
    pub prefix: &'a str,
    pub token_hash: &'a str,
    pub created_by: &'a str,
}

pub async fn create_token(tx: &mut Change, new: &NewToken<'_>) -> Result<i64, AccountError> {
    let label = new.label.trim();
    if label.is_empty()
        || label.chars().count() > LABEL_MAX_CHARS
        || label.chars().any(char::is_control)
    {
        return Err(AccountError::InvalidLabel {
            max: LABEL_MAX_CHARS,
        });
    }
    let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM account WHERE id = $1")
        .bind(new.account_id)
        .fetch_optional(tx.conn())
        .await?;
    if exists.is_none() {
        return Err(AccountError::UnknownAccount(new.account_id.to_string()));
    }
    Ok(sqlx::query_scalar(
        "INSERT INTO api_token (account_id, label, prefix, token_hash, created_at, created_by)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(new.account_id)
    .bind(label)
    .bind(new.prefix)
    .bind(new.token_hash)
    .bind(crate::now())
    .bind(new.created_by)
    .fetch_one(tx.conn())
    .await?)
}

/// A live (not revoked) API token found by the hash of its secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TokenUse {
    pub id: i64,
    pub account_id: i64,
    /// Unix seconds of the last recorded use.
    pub last_used_at: Option<i64>,
}

/// The token in force whose secret has this hash.
pub async fn token_by_hash(store: &Store, token_hash: &str) -> Result<Option<TokenUse>> {
    let row = sqlx::query(
        "SELECT id, account_id, last_used_at FROM api_token WHERE token_hash = $1 AND revoked_at IS NULL",
    )
    .bind(token_hash)
    .fetch_optional(store.pool())
    .await?;
    let Some(r) = row else { return Ok(None) };
    let last_used: Option<String> = r.try_get("last_used_at")?;
    Ok(Some(TokenUse {
        id: r.try_get("id")?,
        account_id: r.try_get("account_id")?,
        last_used_at: last_used.as_deref().and_then(seconds),
    }))
}

pub async fn touch_token(store: &Store, id: i64) -> Result<()> {
    sqlx::query("UPDATE api_token SET last_used_at = $2 WHERE id = $1")
        .bind(id)
        .bind(crate::now())
        .execute(store.pool())
        .await?;
    Ok(())
}

/// Every token, newest first.
pub async fn list_tokens(store: &Store) -> Result<Vec<ApiToken>> {
    let rows = sqlx::query(
        "SELECT t.id, t.account_id, a.identifier, t.label, t.prefix, t.created_at, t.created_by, t.revoked_at,
                t.last_used_at
         FROM api_token t JOIN account a ON a.id = t.account_id ORDER BY t.id DESC",
    )
    .fetch_all(store.pool())
    .await?;
    let mut tokens = Vec::with_capacity(rows.len());
    for r in &rows {
        tokens.push(ApiToken {
            id: r.try_get("id")?,
            account_id: r.try_get("account_id")?,
            account_identifier: r.try_get("identifier")?,
            label: r.try_get("label")?,
            prefix: r.try_get("prefix")?,
            created_at: r.try_get("created_at")?,
            created_by: r.try_get("created_by")?,
            revoked_at: r.try_get("revoked_at")?,
            last_used_at: r.try_get("last_used_at")?,
        });
    }
    Ok(tokens)
}

/// Revokes a token; false when it did not exist or was already revoked.
pub async fn revoke_token(tx: &mut Change, id: i64) -> Result<bool> {
    Ok(
        sqlx::query("UPDATE api_token SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL")
            .bind(id)
            .bind(crate::now())
            .execute(tx.conn())
            .await?
            .rows_affected()
            == 1,
    )
}

// ---------------------------------------------------------------------------------------------------------------
// Login attempts: progressive delays per (account, address), decided before the password is checked.

/// How logins are spaced out for one (account, address): `free_tries` checks in a row, then each further one
/// waits a delay that starts at `first_delay` and doubles up to `max_delay` (seconds). Only a success resets it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoginPacing {
    pub free_tries: i64,
    pub first_delay: i64,
    pub max_delay: i64,
}

/// The limiter's answer for one try.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginTry {
    /// The password may be checked: this is the `attempt`-th check since the last success.
    Granted { attempt: i64 },
    /// Too soon: no check; the next is possible at `allowed_from` (Unix seconds). `refused` counts the tries
    /// turned away since the last success, this one included.
    Refused { allowed_from: i64, refused: i64 },
}

/// The delay set after granting the n-th check (`attempts` checks before it, `delay` the previous delay), in SQL
/// over the row being updated.
const NEXT_DELAY: &str = "CASE WHEN login_throttle.attempts + 1 < $4 THEN 0
     WHEN login_throttle.delay_seconds = 0 THEN $5
     WHEN login_throttle.delay_seconds * 2 > $6 THEN $6
     ELSE login_throttle.delay_seconds * 2 END";

/// Counts a try for (account_key, ip) and decides it, in one statement: concurrent tries are serialised on the
/// row (SQLite's single writer; PostgreSQL's row lock on conflict), so each sees the count the previous one left
/// and no more than `free_tries` checks pass in a burst, however many arrive together.
pub async fn begin_login_try(
    store: &Store,
    account_key: &str,
    ip: &str,
    now: i64,
    pacing: LoginPacing,
) -> Result<LoginTry> {
    let granted_now = "login_throttle.allowed_from <= $3";
    let first_delay = if 1 < pacing.free_tries {
        0
    } else {
        pacing.first_delay
    };
    let sql = format!(
        "INSERT INTO login_throttle (account_key, ip, attempts, delay_seconds, allowed_from, granted, refused, last_at)
         VALUES ($1, $2, 1, $7, $3 + $7, 1, 0, $3)
         ON CONFLICT (account_key, ip) DO UPDATE SET
           attempts = CASE WHEN {granted_now} THEN login_throttle.attempts + 1 ELSE login_throttle.attempts END,
           delay_seconds = CASE WHEN {granted_now} THEN {NEXT_DELAY} ELSE login_throttle.delay_seconds END,
           allowed_from = CASE WHEN {granted_now} THEN $3 + {NEXT_DELAY} ELSE login_throttle.allowed_from END,
           granted = CASE WHEN {granted_now} THEN 1 ELSE 0 END,
           refused = login_throttle.refused + CASE WHEN {granted_now} THEN 0 ELSE 1 END,
           last_at = $3
         RETURNING attempts, allowed_from, granted, refused"
    );
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(account_key)
        .bind(ip)
        .bind(now)
        .bind(pacing.free_tries)
        .bind(pacing.first_delay)
        .bind(pacing.max_delay)
        .bind(first_delay)
        .fetch_one(store.pool())
        .await?;
    Ok(if row.try_get::<i64, _>("granted")? == 1 {
        LoginTry::Granted {
            attempt: row.try_get("attempts")?,
        }
    } else {
        LoginTry::Refused {
            allowed_from: row.try_get("allowed_from")?,
            refused: row.try_get("refused")?,
        }
    })
}

/// A successful login: the (account, address) starts afresh.
pub async fn login_succeeded(store: &Store, account_key: &str, ip: &str) -> Result<()> {
    sqlx::query("DELETE FROM login_throttle WHERE account_key = $1 AND ip = $2")
        .bind(account_key)
        .bind(ip)
        .execute(store.pool())
        .await?;
    Ok(())
}

/// Checks granted for an account since its last success at each address, summed over addresses, and the
/// number of addresses: for a per-account alert (never a lock: the owner's own address is not slowed by them).
pub async fn account_failures(store: &Store, account_key: &str) -> Result<(i64, i64)> {
    let row = sqlx::query(
        "SELECT CAST(COALESCE(SUM(attempts), 0) AS BIGINT) AS attempts, COUNT(*) AS addresses FROM login_throttle
         WHERE account_key = $1",
    )
    .bind(account_key)
    .fetch_one(store.pool())
    .await?;
    Ok((row.try_get("attempts")?, row.try_get("addresses")?))
}

/// Forgets (account, address) pairs untouched since `before` (they hold IP addresses: kept no longer than the
/// limiter needs).
pub async fn purge_attempts(store: &Store, before: i64) -> Result<u64> {
    Ok(sqlx::query("DELETE FROM login_throttle WHERE last_at < $1")
        .bind(before)
        .execute(store.pool())
        .await?
        .rows_affected())
}

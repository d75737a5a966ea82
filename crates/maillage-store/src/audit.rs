//! The audit log: append-only and tamper-evident. Each entry stores the hash of the entry before it and its own
//! hash over a canonical serialisation of its fields, so changing, removing or inserting a row anywhere breaks
//! the chain, which [`verify`] detects. `audit_head` holds the last id and hash: appending takes its row lock
//! first, which serialises writers (on both backends) and lets [`verify`] notice a truncated tail.
//!
//! What is recorded: logins (success and failure), changes, exports, and every read of personal or sensitive
//! data. Entries name who did what to what; they are never written to the program's logs.

use crate::{Result, Store};
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::{Any, Row, Transaction};

/// The hash the first entry points back to.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Every kind of audited event. The codes are stable: they are stored and filtered on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Action {
    LoginSucceeded,
    LoginFailed,
    LoginRateLimited,
    Logout,
    PasswordChanged,
    AccountCreated,
    AccountUpdated,
    AccountPasswordReset,
    AccountsRead,
    TokenCreated,
    TokenRevoked,
    ProfessionalsListed,
    AuditLogRead,
    AuditLogExported,
    AuditLogVerified,
    ImportUploaded,
    ImportFinished,
    DataExported,
    CrisisRegisterRead,
    CrisisRegisterChanged,
    CrisisRegisterExported,
    CrisisRegisterExportRefused,
    CrisisCallRecorded,
    CrisisChanged,
    NetworkChanged,
    NetworkContactsChanged,
    NetworkContactsExported,
    NetworkMessageSent,
    NetworkUnsubscribed,
    ClsChanged,
}

impl Action {
    pub const ALL: [Action; 30] = [
        Action::LoginSucceeded,
        Action::LoginFailed,
        Action::LoginRateLimited,
        Action::Logout,
        Action::PasswordChanged,
        Action::AccountCreated,
        Action::AccountUpdated,
        Action::AccountPasswordReset,
        Action::AccountsRead,
        Action::TokenCreated,
        Action::TokenRevoked,
        Action::ProfessionalsListed,
        Action::AuditLogRead,
        Action::AuditLogExported,
        Action::AuditLogVerified,
        Action::ImportUploaded,
        Action::ImportFinished,
        Action::DataExported,
        Action::CrisisRegisterRead,
        Action::CrisisRegisterChanged,
        Action::CrisisRegisterExported,
        Action::CrisisRegisterExportRefused,
        Action::CrisisCallRecorded,
        Action::CrisisChanged,
        Action::NetworkChanged,
        Action::NetworkContactsChanged,
        Action::NetworkContactsExported,
        Action::NetworkMessageSent,
        Action::NetworkUnsubscribed,
        Action::ClsChanged,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Action::LoginSucceeded => "connexion.reussie",
            Action::LoginFailed => "connexion.echec",
            Action::LoginRateLimited => "connexion.limitee",
            Action::Logout => "deconnexion",
            Action::PasswordChanged => "compte.mot_de_passe",
            Action::AccountCreated => "comptes.creation",
            Action::AccountUpdated => "comptes.modification",
            Action::AccountPasswordReset => "comptes.mot_de_passe",
            Action::AccountsRead => "comptes.consultation",
            Action::TokenCreated => "jetons.creation",
            Action::TokenRevoked => "jetons.revocation",
            Action::ProfessionalsListed => "professionnels.liste",
            Action::AuditLogRead => "journal.consultation",
            Action::AuditLogExported => "journal.export",
            Action::AuditLogVerified => "journal.verification",
            Action::ImportUploaded => "imports.televersement",
            Action::ImportFinished => "imports.fin",
            Action::DataExported => "observatoire.export",
            Action::CrisisRegisterRead => "crise.registre.lecture",
            Action::CrisisRegisterChanged => "crise.registre.modification",
            Action::CrisisRegisterExported => "crise.registre.export_prefet",
            Action::CrisisRegisterExportRefused => "crise.registre.export_refuse",
            Action::CrisisCallRecorded => "crise.appels.resultat",
            Action::CrisisChanged => "crise.modification",
            Action::NetworkChanged => "reseau.modification",
            Action::NetworkContactsChanged => "reseau.contacts.modification",
            Action::NetworkContactsExported => "reseau.contacts.export",
            Action::NetworkMessageSent => "reseau.message.envoi",
            Action::NetworkUnsubscribed => "reseau.desinscription",
            Action::ClsChanged => "cls.modification",
        }
    }

    pub fn parse(code: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.code() == code)
    }
}

/// An event to record.
#[derive(Debug, Clone)]
pub struct Entry<'a> {
    /// The identifier of the account that acted, or a word for who acted otherwise (`anonyme`, `cli`).
    pub actor: &'a str,
    pub actor_id: Option<i64>,
    pub action: Action,
    /// What was acted on (`compte:12`, `api:/api/v1/professionnels`...).
    pub target: &'a str,
    /// Structured details (filters used, counts, fields changed — never passwords or tokens).
    pub details: serde_json::Value,
    /// The client's address, when the event came over the network.
    pub ip: Option<&'a str>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Record {
    pub id: i64,
    pub at: String,
    pub actor: String,
    pub actor_id: Option<i64>,
    pub action: String,
    pub target: String,
    pub details: String,
    pub ip: Option<String>,
    pub prev_hash: String,
    pub hash: String,
}

/// The canonical serialisation, hashed: a version tag, then every field in a fixed order, each as a presence
/// byte, a big-endian length and its bytes (so no two different records serialise alike).
pub fn hash_of(r: &Record) -> String {
    let mut h = Sha256::new();
    h.update(b"maillage-audit-v1");
    let id = r.id.to_string();
    let actor_id = r.actor_id.map(|v| v.to_string());
    let fields: [Option<&str>; 9] = [
        Some(&id),
        Some(&r.at),
        Some(&r.actor),
        actor_id.as_deref(),
        Some(&r.action),
        Some(&r.target),
        Some(&r.details),
        r.ip.as_deref(),
        Some(&r.prev_hash),
    ];
    for f in fields {
        match f {
            Some(s) => {
                h.update([1u8]);
                h.update((s.len() as u64).to_be_bytes());
                h.update(s.as_bytes());
            }
            None => h.update([0u8]),
        }
    }
    hex::encode(h.finalize())
}

/// Records an event in its own transaction.
pub async fn append(store: &Store, entry: &Entry<'_>) -> Result<i64> {
    let mut tx = store.pool().begin().await?;
    let id = append_in(&mut tx, entry).await?;
    tx.commit().await?;
    Ok(id)
}

/// Records an event inside the caller's transaction, so that it is committed with the change it describes or not
/// at all. On SQLite, call it after the transaction's first write (or before any read): its first statement
/// takes the write lock.
pub async fn append_in(tx: &mut Transaction<'static, Any>, entry: &Entry<'_>) -> Result<i64> {
    // Taking the head's row first serialises concurrent writers: the second waits for the first to commit.
    sqlx::query("UPDATE audit_head SET last_id = last_id + 1 WHERE singleton = 1")
        .execute(&mut **tx)
        .await?;
    let head = sqlx::query("SELECT last_id, last_hash FROM audit_head WHERE singleton = 1")
        .fetch_one(&mut **tx)
        .await?;
    let mut record = Record {
        id: head.try_get("last_id")?,
        at: crate::now(),
        actor: entry.actor.to_string(),
        actor_id: entry.actor_id,
        action: entry.action.code().to_string(),
        target: entry.target.to_string(),
        details: entry.details.to_string(),
        ip: entry.ip.map(str::to_string),
        prev_hash: head.try_get("last_hash")?,
        hash: String::new(),
    };
    record.hash = hash_of(&record);
    sqlx::query(
        "INSERT INTO audit_log (id, at, actor, actor_id, action, target, details, ip, prev_hash, hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(record.id)
    .bind(&record.at)
    .bind(&record.actor)
    .bind(record.actor_id)
    .bind(&record.action)
    .bind(&record.target)
    .bind(&record.details)
    .bind(record.ip.clone())
    .bind(&record.prev_hash)
    .bind(&record.hash)
    .execute(&mut **tx)
    .await?;
    sqlx::query("UPDATE audit_head SET last_hash = $1 WHERE singleton = 1")
        .bind(&record.hash)
        .execute(&mut **tx)
        .await?;
    Ok(record.id)
}

/// What to show of the log. Dates are `YYYY-MM-DD` (UTC), both inclusive.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub from: Option<jiff::civil::Date>,
    pub to: Option<jiff::civil::Date>,
    pub actor: Option<String>,
    pub action: Option<Action>,
}

impl Filter {
    /// The WHERE clause and its parameters, numbered from $1.
    fn clause(&self) -> (String, Vec<String>) {
        let mut conditions = Vec::new();
        let mut params = Vec::new();
        let mut push = |condition: &str, value: String| {
            params.push(value);
            conditions.push(condition.replace('?', &format!("${}", params.len())));
        };
        if let Some(d) = self.from {
            push("at >= ?", format!("{d}T00:00:00Z"));
        }
        if let Some(d) = self.to.and_then(|d| d.tomorrow().ok()) {
            push("at < ?", format!("{d}T00:00:00Z"));
        }
        if let Some(a) = &self.actor {
            push("actor = ?", a.clone());
        }
        if let Some(a) = self.action {
            push("action = ?", a.code().to_string());
        }
        let clause = if conditions.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", conditions.join(" AND "))
        };
        (clause, params)
    }
}

const RECORD_COLUMNS: &str =
    "id, at, actor, actor_id, action, target, details, ip, prev_hash, hash";

fn record(r: &sqlx::any::AnyRow) -> Result<Record, sqlx::Error> {
    Ok(Record {
        id: r.try_get("id")?,
        at: r.try_get("at")?,
        actor: r.try_get("actor")?,
        actor_id: r.try_get("actor_id")?,
        action: r.try_get("action")?,
        target: r.try_get("target")?,
        details: r.try_get("details")?,
        ip: r.try_get("ip")?,
        prev_hash: r.try_get("prev_hash")?,
        hash: r.try_get("hash")?,
    })
}

/// Entries matching `filter`, newest first, `limit` of them after skipping `offset`.
pub async fn list(store: &Store, filter: &Filter, limit: i64, offset: i64) -> Result<Vec<Record>> {
    let (clause, params) = filter.clause();
    let n = params.len();
    let sql = format!(
        "SELECT {RECORD_COLUMNS} FROM audit_log {clause} ORDER BY id DESC LIMIT ${} OFFSET ${}",
        n + 1,
        n + 2
    );
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
    for p in params {
        q = q.bind(p);
    }
    let rows = q.bind(limit).bind(offset).fetch_all(store.pool()).await?;
    Ok(rows.iter().map(record).collect::<Result<_, _>>()?)
}

pub async fn count(store: &Store, filter: &Filter) -> Result<i64> {
    let (clause, params) = filter.clause();
    let mut q = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT COUNT(*) FROM audit_log {clause}"
    )));
    for p in params {
        q = q.bind(p);
    }
    Ok(q.fetch_one(store.pool()).await?)
}

/// Where the chain breaks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Break {
    /// The entry's fields no longer give its stored hash: it was modified.
    Modified { id: i64 },
    /// The entry does not point to the hash of the entry before it: one was removed, inserted or rewritten.
    Unlinked { id: i64 },
    /// Ids must follow each other from 1: one is missing.
    Gap { expected: i64, found: i64 },
    /// The head names another last entry: entries were removed at the end (or the head was changed).
    Head { head_id: i64, last_id: i64 },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verification {
    pub entries: u64,
    /// The hash of the last entry (worth writing down: a later verification must extend it).
    pub last_hash: String,
    pub broken: Option<Break>,
}

/// Walks the whole chain, in pages, and reports the first break.
pub async fn verify(store: &Store) -> Result<Verification> {
    const PAGE: i64 = 5_000;
    let mut previous_hash = GENESIS.to_string();
    let mut expected_id = 1;
    let mut entries = 0u64;
    loop {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {RECORD_COLUMNS} FROM audit_log WHERE id >= $1 ORDER BY id LIMIT $2"
        )))
        .bind(expected_id)
        .bind(PAGE)
        .fetch_all(store.pool())
        .await?;
        let done = (rows.len() as i64) < PAGE;
        for r in &rows {
            let r = record(r)?;
            let broken = if r.id != expected_id {
                Some(Break::Gap {
                    expected: expected_id,
                    found: r.id,
                })
            } else if r.prev_hash != previous_hash {
                Some(Break::Unlinked { id: r.id })
            } else if hash_of(&r) != r.hash {
                Some(Break::Modified { id: r.id })
            } else {
                None
            };
            if broken.is_some() {
                return Ok(Verification {
                    entries,
                    last_hash: previous_hash,
                    broken,
                });
            }
            entries += 1;
            expected_id += 1;
            previous_hash = r.hash;
        }
        if done {
            break;
        }
    }
    let head = sqlx::query("SELECT last_id, last_hash FROM audit_head WHERE singleton = 1")
        .fetch_one(store.pool())
        .await?;
    let head_id: i64 = head.try_get("last_id")?;
    let head_hash: String = head.try_get("last_hash")?;
    let broken =
        (head_id != expected_id - 1 || head_hash != previous_hash).then_some(Break::Head {
            head_id,
            last_id: expected_id - 1,
        });
    Ok(Verification {
        entries,
        last_hash: previous_hash,
        broken,
    })
}

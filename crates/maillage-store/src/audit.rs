//! The audit log: append-only, chained and keyed. Each entry stores the hash of the entry before it and its own
//! hash over a canonical serialisation of its fields, so changing, removing or inserting a row anywhere breaks
//! the chain, which [`verify`] detects. `audit_head` holds the last id and hash: appending takes its row lock
//! first, which serialises writers (on both backends) and lets [`verify`] notice a truncated tail.
//!
//! Since migration 0012 the hash is an HMAC-SHA256 keyed by a secret held outside the base (a key file, see
//! [`key`]), and the head carries a seal (an HMAC of its id and hash): someone who can write to the base but has
//! not the key can neither re-hash an edited entry nor move the head back after deleting the tail. Entries
//! written before keying started (`audit_head.keyed_from`) keep the unkeyed rule, so older bases stay valid.
//! An [`Anchor`] — the head signed with the key, kept outside the base — proves later that nothing up to it
//! changed or disappeared, even against someone who holds the key (see `docs/journal-audit.md`). Triggers refuse
//! UPDATE and DELETE on the log (and moving its head back) on both backends.
//!
//! What is recorded: logins (success and failure), changes, exports, and every read of personal or sensitive
//! data. Entries name who did what to what; they are never written to the program's logs.

use crate::change::Change;
use crate::{Backend, Result, Store, StoreError};
use maillage_kit::codes::Coded;
use maillage_network::sign::{constant_time_eq, hmac_sha256};
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::{Any, Row};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock, Mutex, OnceLock};
/// The hash the first entry points back to.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

maillage_kit::coded! {
    /// Every kind of audited event. The codes are stable: they are stored and filtered on; the list, the
    /// parsing of stored codes and the codes themselves come from this one declaration.
    pub enum Action {
        LoginSucceeded => "connexion.reussie",
        LoginFailed => "connexion.echec",
        LoginRateLimited => "connexion.limitee",
        Logout => "deconnexion",
        PasswordChanged => "compte.mot_de_passe",
        AccountCreated => "comptes.creation",
        AccountUpdated => "comptes.modification",
        AccountPasswordReset => "comptes.mot_de_passe",
        AccountsRead => "comptes.consultation",
        TokenCreated => "jetons.creation",
        TokenRevoked => "jetons.revocation",
        ProfessionalsListed => "professionnels.liste",
        AuditLogRead => "journal.consultation",
        AuditLogExported => "journal.export",
        AuditLogVerified => "journal.verification",
        ImportUploaded => "imports.televersement",
        ImportFinished => "imports.fin",
        DataExported => "observatoire.export",
        CrisisRegisterRead => "crise.registre.lecture",
        CrisisRegisterChanged => "crise.registre.modification",
        CrisisRegisterExported => "crise.registre.export_prefet",
        CrisisRegisterExportRefused => "crise.registre.export_refuse",
        CrisisCallRecorded => "crise.appels.resultat",
        CrisisChanged => "crise.modification",
        NetworkChanged => "reseau.modification",
        NetworkContactsChanged => "reseau.contacts.modification",
        NetworkContactsExported => "reseau.contacts.export",
        NetworkMessageSent => "reseau.message.envoi",
        NetworkUnsubscribed => "reseau.desinscription",
        ClsChanged => "cls.modification",
        SettingsChanged => "parametres.modification",
    }
}

impl Action {
    /// Every action, in display order.
    pub const ALL: &'static [Action] = <Action as Coded>::ALL;

    pub fn code(self) -> &'static str {
        Coded::code(self)
    }

    pub fn parse(code: &str) -> Option<Action> {
        <Action as Coded>::parse(code)
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

/// The canonical serialisation: a version tag, then every field in a fixed order, each as a presence byte, a
/// big-endian length and its bytes (so no two different records serialise alike).
fn canonical(tag: &[u8], r: &Record) -> Vec<u8> {
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
    let mut out = tag.to_vec();
    for f in fields {
        match f {
            Some(s) => {
                out.push(1);
                out.extend_from_slice(&(s.len() as u64).to_be_bytes());
                out.extend_from_slice(s.as_bytes());
            }
            None => out.push(0),
        }
    }
    out
}

/// The unkeyed hash (SHA-256): the rule of the entries written before keying started, kept to verify them.
pub fn hash_of(r: &Record) -> String {
    hex::encode(Sha256::digest(canonical(b"maillage-audit-v1", r)))
}

/// The keyed hash (HMAC-SHA256 under the journal's key) of every entry from `audit_head.keyed_from` on.
pub fn keyed_hash_of(key: &AuditKey, r: &Record) -> String {
    key.mac(&canonical(b"maillage-audit-v2", r))
}

/// The secret keying the chain: 256 random bits, kept in a file outside the base.
#[derive(Clone)]
pub struct AuditKey([u8; 32]);

impl std::fmt::Debug for AuditKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "AuditKey({})", self.id())
    }
}

impl AuditKey {
    fn generate(file: &str) -> Result<AuditKey> {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).map_err(|_| key_error(file, KeyProblem::NoRandomness))?;
        Ok(AuditKey(bytes))
    }

    fn mac(&self, message: &[u8]) -> String {
        hex::encode(hmac_sha256(&self.0, message))
    }

    /// A fingerprint naming the key without revealing anything of it (an HMAC of a constant).
    pub fn id(&self) -> String {
        hex::encode(&hmac_sha256(&self.0, b"maillage-audit-identifiant-cle")[..16])
    }

    fn head_seal(&self, last_id: i64, last_hash: &str) -> String {
        self.mac(format!("maillage-audit-tete-v1\n{last_id}\n{last_hash}").as_bytes())
    }
}

/// Why a key file cannot serve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyProblem {
    /// The journal is keyed but there is no key file where the process looks.
    Missing,
    /// Group or others may read the file (`mode`: its permission bits).
    Exposed {
        mode: u32,
    },
    /// The file does not hold 64 hexadecimal digits.
    Malformed,
    Unreadable {
        reason: String,
    },
    Unwritable {
        reason: String,
    },
    NoRandomness,
}

fn key_error(file: &str, problem: KeyProblem) -> StoreError {
    StoreError::AuditKey {
        path: file.to_string(),
        problem,
    }
}

/// The name of the key file when none is given: next to a SQLite base (`<base>.cle-journal`); for PostgreSQL,
/// whose base usually lives on another machine, `$XDG_CONFIG_HOME/maillage/cle-journal` (else
/// `~/.config/maillage/cle-journal`, else `maillage.cle-journal` in the current directory). None for an
/// in-memory base, whose key lives as long as it does.
pub fn default_key_file(store: &Store) -> Option<PathBuf> {
    match store.backend() {
        Backend::Sqlite => {
            let location = store.location();
            let path = location
                .strip_prefix("sqlite://")
                .or_else(|| location.strip_prefix("sqlite:"))
                .unwrap_or(location);
            let path = path.split('?').next().unwrap_or(path);
            (!path.is_empty() && path != ":memory:")
                .then(|| PathBuf::from(format!("{path}.cle-journal")))
        }
        Backend::Postgres => {
            let config = std::env::var_os("XDG_CONFIG_HOME")
                .filter(|d| !d.is_empty())
                .map(PathBuf::from)
                .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".config")));
            Some(match config {
                Some(dir) => dir.join("maillage").join("cle-journal"),
                None => PathBuf::from("maillage.cle-journal"),
            })
        }
    }
}

/// What a new key file says above the key, in the program's words (`maillage_messages::audit::KEY_FILE_COMMENT`),
/// given once per process by [`set_key_file_comment`]; without it the file holds the key alone, which reads the
/// same.
static KEY_FILE_COMMENT: OnceLock<&'static str> = OnceLock::new();

/// Sets, once per process (later calls change nothing), what new key files say above the key: each line is
/// written as a `#` comment, which the reader skips.
pub fn set_key_file_comment(comment: &'static str) {
    let _ = KEY_FILE_COMMENT.set(comment);
}

/// The key in `path`, or None when there is no such file. Refuses a file that group or others may read.
pub fn read_key_file(path: &Path) -> Result<Option<AuditKey>> {
    use std::io::Read;
    let name = path.display().to_string();
    let file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(key_error(
                &name,
                KeyProblem::Unreadable {
                    reason: e.to_string(),
                },
            ));
        }
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = file
            .metadata()
            .map_err(|e| {
                key_error(
                    &name,
                    KeyProblem::Unreadable {
                        reason: e.to_string(),
                    },
                )
            })?
            .permissions()
            .mode();
        if mode & 0o077 != 0 {
            return Err(key_error(&name, KeyProblem::Exposed { mode: mode & 0o777 }));
        }
    }
    // A key file is a few dozen bytes: reading more would only be reading the wrong file.
    let mut text = String::new();
    file.take(4096)
        .read_to_string(&mut text)
        .map_err(|_| key_error(&name, KeyProblem::Malformed))?;
    let digits: String = text
        .lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .collect::<String>()
        .trim()
        .to_string();
    let mut bytes = [0u8; 32];
    hex::decode_to_slice(&digits, &mut bytes)
        .map_err(|_| key_error(&name, KeyProblem::Malformed))?;
    Ok(Some(AuditKey(bytes)))
}

/// The key in `path`, created (256 random bits, readable by its owner only) when the file does not exist.
pub fn read_or_create_key_file(path: &Path) -> Result<AuditKey> {
    use std::io::Write;
    if let Some(key) = read_key_file(path)? {
        return Ok(key);
    }
    let name = path.display().to_string();
    let unwritable = |e: std::io::Error| {
        key_error(
            &name,
            KeyProblem::Unwritable {
                reason: e.to_string(),
            },
        )
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        let mut builder = std::fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder.create(dir).map_err(unwritable)?;
    }
    let key = AuditKey::generate(&name)?;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = match options.open(path) {
        Ok(f) => f,
        // Another process created it meanwhile: theirs is the key.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            return read_key_file(path)?.ok_or_else(|| key_error(&name, KeyProblem::Malformed));
        }
        Err(e) => return Err(unwritable(e)),
    };
    let comment: String = KEY_FILE_COMMENT
        .get()
        .map(|c| c.lines().map(|l| format!("# {l}\n")).collect())
        .unwrap_or_default();
    file.write_all(format!("{comment}{}\n", hex::encode(key.0)).as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(unwritable)?;
    Ok(key)
}

/// The key a process uses for one base: loaded on first use, once. `file` None: an in-memory base.
struct KeySlot {
    file: Option<PathBuf>,
    key: OnceLock<AuditKey>,
}

impl KeySlot {
    fn new(file: Option<PathBuf>) -> Arc<KeySlot> {
        Arc::new(KeySlot {
            file,
            key: OnceLock::new(),
        })
    }

    fn name(&self) -> String {
        self.file
            .as_ref()
            .map_or_else(|| "(mémoire)".to_string(), |f| f.display().to_string())
    }

    /// The key, its file created if there is none yet: for writers and anchors.
    fn key_or_create(&self) -> Result<AuditKey> {
        if let Some(k) = self.key.get() {
            return Ok(k.clone());
        }
        let key = match &self.file {
            Some(f) => read_or_create_key_file(f)?,
            None => AuditKey::generate(&self.name())?,
        };
        Ok(self.key.get_or_init(|| key).clone())
    }

    /// The key a writer uses for this head: created only while the journal has no keyed entry yet (a key file
    /// missing from a keyed journal is an error to fix, not a reason to start another key).
    fn key_for_writing(&self, head: &Head) -> Result<AuditKey> {
        let key = if head.key_id.is_none() {
            self.key_or_create()?
        } else {
            self.existing_key()?.ok_or_else(|| StoreError::AuditKey {
                path: self.name(),
                problem: KeyProblem::Missing,
            })?
        };
        check_key_id(self, &key, head)?;
        Ok(key)
    }

    /// The key if it exists: the verifier creates nothing.
    fn existing_key(&self) -> Result<Option<AuditKey>> {
        if let Some(k) = self.key.get() {
            return Ok(Some(k.clone()));
        }
        let Some(file) = &self.file else {
            return Ok(None);
        };
        Ok(read_key_file(file)?.map(|key| self.key.get_or_init(|| key).clone()))
    }
}

/// The key slot of each base this process opened, by the base's random `base_id`: an entry is appended inside
/// a caller's transaction, which does not know its store, but reads the head, which names the base.
static SLOTS: LazyLock<Mutex<HashMap<String, Arc<KeySlot>>>> = LazyLock::new(Default::default);

fn slots() -> std::sync::MutexGuard<'static, HashMap<String, Arc<KeySlot>>> {
    SLOTS
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn slot(base_id: &str) -> Result<Arc<KeySlot>> {
    slots().get(base_id).cloned().ok_or_else(|| {
        // A base not opened by `Store::open` (never in the program): no key was chosen for it.
        key_error("(aucune clé choisie pour cette base)", KeyProblem::Missing)
    })
}

/// Called by [`Store::open`]: the base's key is in its default file, unless this process already named one.
pub(crate) async fn register(store: &Store) -> Result<()> {
    let head = read_head(store.pool()).await?;
    slots()
        .entry(head.base_id)
        .or_insert_with(|| KeySlot::new(default_key_file(store)));
    Ok(())
}

/// From now on in this process, the base's key is in `file` (the option `--cle-journal`).
pub async fn use_key_file(store: &Store, file: &Path) -> Result<()> {
    let head = read_head(store.pool()).await?;
    slots().insert(head.base_id, KeySlot::new(Some(file.to_path_buf())));
    Ok(())
}

/// The file this process reads the base's key from (None: an in-memory base), without reading or creating it.
pub async fn key_file(store: &Store) -> Result<Option<PathBuf>> {
    let head = read_head(store.pool()).await?;
    Ok(slot(&head.base_id)?.file.clone())
}

/// The key of a base as the server sees it at start.
#[derive(Debug, Clone, Serialize)]
pub struct KeyInfo {
    /// None: an in-memory base.
    pub file: Option<PathBuf>,
    /// The fingerprint of the key (see [`AuditKey::id`]).
    pub id: String,
}

/// Loads the base's key now, creating its file if there is none: the server calls it before serving, so that a
/// missing, exposed or foreign key stops it at start rather than at the first entry.
pub async fn prepare_key(store: &Store) -> Result<KeyInfo> {
    let head = read_head(store.pool()).await?;
    let slot = slot(&head.base_id)?;
    let key = slot.key_for_writing(&head)?;
    Ok(KeyInfo {
        file: slot.file.clone(),
        id: key.id(),
    })
}

fn check_key_id(slot: &KeySlot, key: &AuditKey, head: &Head) -> Result<()> {
    match &head.key_id {
        Some(id) if *id != key.id() => Err(StoreError::AuditKeyMismatch { path: slot.name() }),
        _ => Ok(()),
    }
}

/// The row of `audit_head`.
struct Head {
    last_id: i64,
    last_hash: String,
    keyed_from: i64,
    key_id: Option<String>,
    head_seal: Option<String>,
    base_id: String,
}

async fn read_head<'e>(executor: impl sqlx::Executor<'e, Database = Any>) -> Result<Head> {
    let r = sqlx::query(
        "SELECT last_id, last_hash, keyed_from, key_id, head_seal, base_id FROM audit_head WHERE singleton = 1",
    )
    .fetch_one(executor)
    .await?;
    Ok(Head {
        last_id: r.try_get("last_id")?,
        last_hash: r.try_get("last_hash")?,
        keyed_from: r.try_get("keyed_from")?,
        key_id: r.try_get("key_id")?,
        head_seal: r.try_get("head_seal")?,
        base_id: r.try_get("base_id")?,
    })
}

/// Records an event in its own transaction.
pub async fn append(store: &Store, entry: &Entry<'_>) -> Result<i64> {
    let mut tx = Change::begin(store).await?;
    let id = append_in(&mut tx, entry).await?;
    tx.commit().await?;
    Ok(id)
}

/// Records an event inside the caller's transaction, so that it is committed with the change it describes or not
/// at all. On SQLite, call it after the transaction's first write (or before any read): its first statement
/// takes the write lock.
pub async fn append_in(tx: &mut Change, entry: &Entry<'_>) -> Result<i64> {
    // Taking the head's row first serialises concurrent writers: the second waits for the first to commit.
    sqlx::query("UPDATE audit_head SET last_id = last_id + 1 WHERE singleton = 1")
        .execute(tx.conn())
        .await?;
    let head = read_head(tx.conn()).await?;
    let slot = slot(&head.base_id)?;
    let key = slot.key_for_writing(&head)?;
    let mut record = Record {
        id: head.last_id,
        at: crate::now(),
        actor: entry.actor.to_string(),
        actor_id: entry.actor_id,
        action: entry.action.code().to_string(),
        target: entry.target.to_string(),
        details: entry.details.to_string(),
        ip: entry.ip.map(str::to_string),
        prev_hash: head.last_hash,
        hash: String::new(),
    };
    // keyed_from is at most the next id (migration 0012): every new entry is keyed.
    record.hash = keyed_hash_of(&key, &record);
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
    .execute(tx.conn())
    .await?;
    sqlx::query(
        "UPDATE audit_head SET last_hash = $1, head_seal = $2, key_id = $3 WHERE singleton = 1",
    )
    .bind(&record.hash)
    .bind(key.head_seal(record.id, &record.hash))
    .bind(key.id())
    .execute(tx.conn())
    .await?;
    Ok(record.id)
}

/// What to show of the log. Dates are days of the instance's time zone, both inclusive.
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
            push(
                "at >= ?",
                crate::module::instant(maillage_kit::local_time::day_start(d)),
            );
        }
        if let Some(d) = self.to.and_then(|d| d.tomorrow().ok()) {
            push(
                "at < ?",
                crate::module::instant(maillage_kit::local_time::day_start(d)),
            );
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
    /// The head's seal is not the key's: the head was moved or rewritten by someone without the key.
    HeadSeal { head_id: i64 },
    /// The key held is not the one that keyed this journal (or the key's fingerprint in the head was changed).
    ForeignKey,
    /// The anchor's signature is not the key's: the anchor was forged or altered, or comes from another base.
    AnchorForged,
    /// The anchor says keying started at another entry than the base now says.
    KeyingMoved { anchored: i64, found: i64 },
    /// The anchored entry no longer has the anchored hash.
    AnchorMismatch { id: i64 },
    /// The anchored entry no longer exists: the end of the journal was removed.
    AnchorMissing { id: i64, last_id: i64 },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verification {
    pub entries: u64,
    /// The hash of the last entry verified.
    pub last_hash: String,
    /// The first entry hashed with the key; those before it were written by a version without a key.
    pub keyed_from: i64,
    /// The anchored entry, when the verification started from an anchor.
    pub anchored: Option<i64>,
    pub broken: Option<Break>,
}

/// Walks the whole chain, in pages, and reports the first break. Only reads: it writes nothing, not even an
/// entry saying it ran, and never creates a key.
pub async fn verify(store: &Store) -> Result<Verification> {
    verify_with(store, None).await
}

/// [`verify`], and proves that the anchor was signed with the key, that its entry still has its hash, and so
/// that nothing up to it changed or disappeared.
pub async fn verify_from(store: &Store, anchor: &Anchor) -> Result<Verification> {
    verify_with(store, Some(anchor)).await
}

async fn verify_with(store: &Store, anchor: Option<&Anchor>) -> Result<Verification> {
    const PAGE: i64 = 5_000;
    let head = read_head(store.pool()).await?;
    let slot = slot(&head.base_id)?;
    let key = slot.existing_key()?;
    let need_key = || {
        key.as_ref().ok_or_else(|| StoreError::AuditKey {
            path: slot.name(),
            problem: KeyProblem::Missing,
        })
    };
    let mut v = Verification {
        entries: 0,
        last_hash: GENESIS.to_string(),
        keyed_from: head.keyed_from,
        anchored: None,
        broken: None,
    };
    if let (Some(k), Some(id)) = (&key, &head.key_id)
        && k.id() != *id
    {
        v.broken = Some(Break::ForeignKey);
        return Ok(v);
    }
    if let Some(a) = anchor {
        let signature = a.signature_with(need_key()?);
        v.broken = if !constant_time_eq(signature.as_bytes(), a.signature.as_bytes()) {
            Some(Break::AnchorForged)
        } else if a.keyed_from != head.keyed_from {
            Some(Break::KeyingMoved {
                anchored: a.keyed_from,
                found: head.keyed_from,
            })
        } else if a.id == 0 && a.hash != GENESIS {
            Some(Break::AnchorMismatch { id: 0 })
        } else {
            None
        };
        if v.broken.is_some() {
            return Ok(v);
        }
    }
    let mut expected_id = 1;
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
            let rule_hash = if r.id >= head.keyed_from {
                keyed_hash_of(need_key()?, &r)
            } else {
                hash_of(&r)
            };
            v.broken = if r.id != expected_id {
                Some(Break::Gap {
                    expected: expected_id,
                    found: r.id,
                })
            } else if r.prev_hash != v.last_hash {
                Some(Break::Unlinked { id: r.id })
            } else if !constant_time_eq(rule_hash.as_bytes(), r.hash.as_bytes()) {
                Some(Break::Modified { id: r.id })
            } else if anchor.is_some_and(|a| a.id == r.id && a.hash != r.hash) {
                Some(Break::AnchorMismatch { id: r.id })
            } else {
                None
            };
            if v.broken.is_some() {
                return Ok(v);
            }
            v.entries += 1;
            expected_id += 1;
            v.last_hash = r.hash;
        }
        if done {
            break;
        }
    }
    let last_id = expected_id - 1;
    if let Some(a) = anchor {
        if a.id > last_id {
            v.broken = Some(Break::AnchorMissing { id: a.id, last_id });
            return Ok(v);
        }
        v.anchored = Some(a.id);
    }
    v.broken = if head.last_id != last_id || head.last_hash != v.last_hash {
        Some(Break::Head {
            head_id: head.last_id,
            last_id,
        })
    } else if head.last_id >= head.keyed_from
        && head.head_seal.as_deref().is_none_or(|seal| {
            !constant_time_eq(
                seal.as_bytes(),
                need_key()
                    .map(|k| k.head_seal(head.last_id, &head.last_hash))
                    .unwrap_or_default()
                    .as_bytes(),
            )
        })
    {
        Some(Break::HeadSeal {
            head_id: head.last_id,
        })
    } else {
        None
    };
    Ok(v)
}

/// The head of the journal signed with its key, to keep outside the base (a mail to the DPO, a paper register):
/// a later `verify_from` proves that nothing up to it changed or disappeared.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Anchor {
    /// The last entry when anchored (0: an empty journal).
    pub id: i64,
    pub hash: String,
    /// When the anchor was taken (RFC 3339 UTC).
    pub at: String,
    /// How many entries the journal held.
    pub entries: i64,
    /// The first keyed entry (a rewrite of the keyed entries under the old unkeyed rule would move it).
    pub keyed_from: i64,
    /// HMAC-SHA256 of the fields above under the journal's key.
    pub signature: String,
}

const ANCHOR_TAG: &str = "maillage-ancre-journal";
const ANCHOR_VERSION: &str = "v1";

/// Why a text is not an anchor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnchorProblem {
    /// The text does not contain `maillage-ancre-journal`.
    NotFound,
    /// Another version than this program writes.
    Version(String),
    MissingField(&'static str),
    InvalidField(&'static str),
}

impl Anchor {
    fn signed_text(&self) -> String {
        format!(
            "{ANCHOR_TAG} {ANCHOR_VERSION}\nentree={}\nempreinte={}\ndate={}\nentrees={}\ncle-depuis={}",
            self.id, self.hash, self.at, self.entries, self.keyed_from
        )
    }

    fn signature_with(&self, key: &AuditKey) -> String {
        key.mac(self.signed_text().as_bytes())
    }

    /// The anchor as one line of text, to paste in a mail or copy into a register.
    pub fn text(&self) -> String {
        format!(
            "{ANCHOR_TAG} {ANCHOR_VERSION} entree={} empreinte={} date={} entrees={} cle-depuis={} signature={}",
            self.id, self.hash, self.at, self.entries, self.keyed_from, self.signature
        )
    }

    /// Reads an anchor from a text that contains one (the line itself, or a saved mail around it). Lines may
    /// have been wrapped, and quoted, between fields.
    pub fn parse(text: &str) -> Result<Anchor, AnchorProblem> {
        let start = text.find(ANCHOR_TAG).ok_or(AnchorProblem::NotFound)?;
        let mut words = text[start + ANCHOR_TAG.len()..].split_whitespace();
        match words.next() {
            Some(ANCHOR_VERSION) => {}
            other => {
                return Err(AnchorProblem::Version(
                    other.unwrap_or("").chars().take(20).collect(),
                ));
            }
        }
        let mut fields: HashMap<&str, &str> = HashMap::new();
        for word in words {
            // Quote marks and line breaks a mail added between fields are not fields.
            let Some((name, value)) = word.split_once('=') else {
                continue;
            };
            fields.entry(name).or_insert(value);
            if name == "signature" {
                break;
            }
        }
        let field = |name: &'static str| {
            fields
                .get(name)
                .copied()
                .ok_or(AnchorProblem::MissingField(name))
        };
        let number = |name: &'static str| {
            field(name)?
                .parse::<i64>()
                .ok()
                .filter(|n| *n >= 0)
                .ok_or(AnchorProblem::InvalidField(name))
        };
        let digest = |name: &'static str| {
            let value = field(name)?;
            (value.len() == 64
                && value
                    .bytes()
                    .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)))
            .then(|| value.to_string())
            .ok_or(AnchorProblem::InvalidField(name))
        };
        // Fields checked in the order they are written, so that the first problem is the one reported.
        let id = number("entree")?;
        let hash = digest("empreinte")?;
        let at = field("date")?;
        if at.parse::<jiff::Timestamp>().is_err() {
            return Err(AnchorProblem::InvalidField("date"));
        }
        Ok(Anchor {
            id,
            hash,
            at: at.to_string(),
            entries: number("entrees")?,
            keyed_from: number("cle-depuis")?,
            signature: digest("signature")?,
        })
    }
}

impl std::fmt::Display for Anchor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text())
    }
}

/// The current head, signed with the key (created if this base has none yet). Writes nothing to the base.
pub async fn anchor(store: &Store) -> Result<Anchor> {
    let head = read_head(store.pool()).await?;
    let slot = slot(&head.base_id)?;
    let key = slot.key_for_writing(&head)?;
    let entries: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log")
        .fetch_one(store.pool())
        .await?;
    let mut anchor = Anchor {
        id: head.last_id,
        hash: head.last_hash,
        at: crate::now(),
        entries,
        keyed_from: head.keyed_from,
        signature: String::new(),
    };
    anchor.signature = anchor.signature_with(&key);
    Ok(anchor)
}

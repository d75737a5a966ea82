//! The one mechanism behind every idempotent import: rows identified by a stable key and a hash of their
//! content. Existing hashes are loaded once; a row is inserted when new, updated when its hash changed (or it
//! had been marked removed), left alone otherwise; rows not seen in the batch are marked removed, never deleted.

use crate::Result;
use crate::change::Change;
use crate::codec::{Placeholders, row_hash};
use crate::zones::RowChange;
use sqlx::AssertSqlSafe;
use sqlx::{Any, Row};
use std::collections::{HashMap, HashSet};

/// A column value, typed for both backends.
#[derive(Debug, Clone, PartialEq)]
pub enum Val {
    Text(Option<String>),
    Real(Option<f64>),
    Int(Option<i64>),
}

impl Val {
    pub fn text(s: impl Into<String>) -> Val {
        Val::Text(Some(s.into()))
    }
    pub fn opt(s: Option<impl Into<String>>) -> Val {
        Val::Text(s.map(Into::into))
    }

    fn hash_text(&self) -> Option<String> {
        match self {
            Val::Text(t) => t.clone(),
            Val::Real(r) => r.map(|v| format!("{v:?}")),
            Val::Int(i) => i.map(|v| v.to_string()),
        }
    }
}

pub(crate) fn bind<'q>(
    q: sqlx::query::Query<'q, Any, sqlx::any::AnyArguments>,
    v: Val,
) -> sqlx::query::Query<'q, Any, sqlx::any::AnyArguments> {
    match v {
        Val::Text(t) => q.bind(t),
        Val::Real(r) => q.bind(r),
        Val::Int(i) => q.bind(i),
    }
}

/// Parameters of one multi-row insert: well under SQLite's (32,766) and PostgreSQL's (65,535) limits.
const INSERT_CHUNK_PARAMS: usize = 8000;

pub struct HashedTable {
    table: &'static str,
    key: &'static str,
    columns: &'static [&'static str],
    batch_id: i64,
    /// Rows in the table before this batch: key digest → content hash whose two top bits say whether the row
    /// is marked removed ([`REMOVED`]) and whether this batch wrote its key ([`SEEN`]). 32 bytes a row: a
    /// re-import of millions of rows keeps a small state; the few keys to mark removed are read back at the end.
    existing: HashMap<u128, u128>,
    /// The rows this import covers (`column IN values`), all of the table when `None`.
    scope: Option<(&'static str, Vec<String>)>,
    /// Keys this batch inserts, as digests ([`key_digest`]): 16 bytes a row whatever the key's length (keys
    /// already in the table are marked [`SEEN`] in `existing` instead).
    seen: HashSet<u128>,
    pending: Vec<(String, Vec<Val>, String)>,
}

impl HashedTable {
    /// Loads the key and hash of every row of `table`: the whole table is the scope of the import.
    pub async fn load(
        tx: &mut Change,
        table: &'static str,
        key: &'static str,
        columns: &'static [&'static str],
        batch_id: i64,
    ) -> Result<HashedTable> {
        Self::load_scoped(tx, table, key, columns, batch_id, None).await
    }

    /// Loads the rows whose `scope.0` column takes one of the `scope.1` values: only those can be marked
    /// removed by this import (e.g. the addresses of the communes a BAN file covers).
    pub async fn load_scoped(
        tx: &mut Change,
        table: &'static str,
        key: &'static str,
        columns: &'static [&'static str],
        batch_id: i64,
        scope: Option<(&'static str, &[String])>,
    ) -> Result<HashedTable> {
        let scope = scope.map(|(column, values)| (column, values.to_vec()));
        let sql = format!(
            "SELECT {key} AS k, row_hash, removed_batch_id FROM {table}{}",
            scope_filter(&scope)
        );
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for v in scope.iter().flat_map(|s| &s.1) {
            q = q.bind(v.clone());
        }
        let mut existing = HashMap::new();
        // Streamed, not fetched whole: a table of millions of rows would otherwise sit in memory twice.
        let mut rows = q.fetch(tx.conn());
        while let Some(r) = futures_util::TryStreamExt::try_next(&mut rows).await? {
            let removed: Option<i64> = r.try_get("removed_batch_id")?;
            let hash: String = r.try_get("row_hash")?;
            let flag = if removed.is_some() { REMOVED } else { 0 };
            existing.insert(
                key_digest(&r.try_get::<String, _>("k")?),
                hash_value(&hash) | flag,
            );
        }
        Ok(HashedTable {
            table,
            key,
            columns,
            batch_id,
            existing,
            scope,
            seen: HashSet::new(),
            pending: Vec::new(),
        })
    }

    /// Whether this batch already wrote this key (a duplicate within the file).
    pub fn seen(&self, key: &str) -> bool {
        let digest = key_digest(key);
        self.existing.get(&digest).is_some_and(|v| v & SEEN != 0) || self.seen.contains(&digest)
    }

    /// Inserts, updates or leaves the row; `values` follow `columns`.
    pub async fn put(&mut self, tx: &mut Change, key: &str, values: Vec<Val>) -> Result<RowChange> {
        debug_assert_eq!(values.len(), self.columns.len());
        let texts: Vec<Option<String>> = values.iter().map(Val::hash_text).collect();
        let hash = row_hash(texts.iter().map(|t| t.as_deref()));
        // Importers refuse or skip a key given twice in one file before calling `put`; a second `put` of a key
        // keeps what the first wrote.
        let digest = key_digest(key);
        let value = hash_value(&hash);
        match self.existing.get_mut(&digest) {
            Some(old) if *old & SEEN != 0 => Ok(RowChange::Unchanged),
            Some(old) if *old == value => {
                *old |= SEEN;
                Ok(RowChange::Unchanged)
            }
            Some(old) => {
                *old = value | SEEN;
                let sets: Vec<String> = self
                    .columns
                    .iter()
                    .enumerate()
                    .map(|(i, c)| format!("{c} = ${}", i + 2))
                    .collect();
                let n = self.columns.len();
                let sql = format!(
                    "UPDATE {} SET {}, row_hash = ${}, batch_id = ${}, removed_batch_id = NULL WHERE {} = $1",
                    self.table,
                    sets.join(", "),
                    n + 2,
                    n + 3,
                    self.key
                );
                let mut q = sqlx::query(AssertSqlSafe(sql.clone())).bind(key.to_string());
                for v in values {
                    q = bind(q, v);
                }
                q.bind(hash.clone())
                    .bind(self.batch_id)
                    .execute(tx.conn())
                    .await?;
                Ok(RowChange::Updated)
            }
            None if !self.seen.insert(digest) => Ok(RowChange::Unchanged),
            None => {
                self.pending.push((key.to_string(), values, hash));
                Ok(RowChange::Inserted)
            }
        }
    }

    /// Whether enough inserts are pending to be worth one statement. The caller flushes (parents before
    /// children, for foreign keys).
    pub fn wants_flush(&self) -> bool {
        self.pending.len() * (self.columns.len() + 3) >= INSERT_CHUNK_PARAMS
    }

    /// Writes the pending inserts. Must be called before anything reads the table back.
    pub async fn flush(&mut self, tx: &mut Change) -> Result<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let width = self.columns.len() + 3;
        let mut sql = format!(
            "INSERT INTO {} ({}, {}, row_hash, batch_id) VALUES ",
            self.table,
            self.key,
            self.columns.join(", ")
        );
        let mut p = Placeholders::new(tx.conn());
        let tuples: Vec<String> = (0..self.pending.len()).map(|_| p.tuple(width)).collect();
        sql.push_str(&tuples.join(", "));
        let mut q = sqlx::query(AssertSqlSafe(sql.clone()));
        for (key, values, hash) in self.pending.drain(..) {
            q = q.bind(key);
            for v in values {
                q = bind(q, v);
            }
            q = q.bind(hash).bind(self.batch_id);
        }
        q.execute(tx.conn()).await?;
        Ok(())
    }

    /// Marks removed a row that the file itself says is gone (a FINESS establishment reported inactive), keeping
    /// its content; `None` when the table does not hold it (nothing to close), `Some(false)` when it was already
    /// removed. Either way the key counts as seen, so [`Self::mark_unseen_removed`] leaves it alone.
    pub async fn mark_removed(&mut self, tx: &mut Change, key: &str) -> Result<Option<bool>> {
        let Some(old) = self.existing.get_mut(&key_digest(key)) else {
            return Ok(None);
        };
        let was_removed = *old & REMOVED != 0;
        *old |= SEEN | REMOVED;
        if was_removed {
            return Ok(Some(false));
        }
        let sql = format!(
            "UPDATE {} SET removed_batch_id = $2 WHERE {} = $1",
            self.table, self.key
        );
        sqlx::query(AssertSqlSafe(sql))
            .bind(key.to_string())
            .bind(self.batch_id)
            .execute(tx.conn())
            .await?;
        Ok(Some(true))
    }

    /// The surrogate `id` of the row of `key` (tables that have one, such as `zone`), its pending insert
    /// written first; `None` when the table does not hold it.
    pub async fn id_of(&mut self, tx: &mut Change, key: &str) -> Result<Option<i64>> {
        self.flush(tx).await?;
        let sql = format!("SELECT id FROM {} WHERE {} = $1", self.table, self.key);
        Ok(sqlx::query_scalar(AssertSqlSafe(sql))
            .bind(key.to_string())
            .fetch_optional(tx.conn())
            .await?)
    }

    /// Marks removed the rows in force that this batch did not see; returns how many.
    pub async fn mark_unseen_removed(&mut self, tx: &mut Change) -> Result<u64> {
        self.mark_unseen_removed_where(tx, self.key, |_, _| true)
            .await
    }

    /// [`Self::mark_unseen_removed`], narrowed to the rows for which `within(key, value of column)` holds: for
    /// an import whose reach is known only once read (the IRIS of the communes a contours file covers, the
    /// professionals an activity file names). Decided here rather than in SQL: that reach can be tens of
    /// thousands of values, over the backends' limits on parameters.
    pub async fn mark_unseen_removed_where(
        &mut self,
        tx: &mut Change,
        column: &'static str,
        within: impl Fn(&str, Option<&str>) -> bool,
    ) -> Result<u64> {
        self.flush(tx).await?;
        let gone: HashSet<u128> = self
            .existing
            .iter()
            .filter(|(_, v)| *v & (REMOVED | SEEN) == 0)
            .map(|(k, _)| *k)
            .collect();
        if gone.is_empty() {
            return Ok(0);
        }
        // Only digests were kept: read back the keys of the rows in force and keep those that disappeared.
        let sql = format!(
            "SELECT {} AS k, {column} AS c FROM {}{}",
            self.key,
            self.table,
            scope_filter(&self.scope)
        );
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for v in self.scope.iter().flat_map(|s| &s.1) {
            q = q.bind(v.clone());
        }
        let mut keys = Vec::with_capacity(gone.len());
        {
            let mut rows = q.fetch(tx.conn());
            while let Some(r) = futures_util::TryStreamExt::try_next(&mut rows).await? {
                let key: String = r.try_get("k")?;
                let value: Option<String> = r.try_get("c")?;
                if gone.contains(&key_digest(&key)) && within(&key, value.as_deref()) {
                    keys.push(key);
                }
            }
        }
        for chunk in keys.chunks(500) {
            let mut p = Placeholders::new(tx.conn());
            let first = p.next();
            let sql = format!(
                "UPDATE {} SET removed_batch_id = {first} WHERE {} IN {}",
                self.table,
                self.key,
                p.tuple(chunk.len())
            );
            let mut q = sqlx::query(AssertSqlSafe(sql.clone())).bind(self.batch_id);
            for k in chunk {
                q = q.bind(k.clone());
            }
            q.execute(tx.conn()).await?;
        }
        for k in &keys {
            if let Some(v) = self.existing.get_mut(&key_digest(k)) {
                *v |= REMOVED;
            }
        }
        Ok(keys.len() as u64)
    }
}

/// The `WHERE` clause of an import's scope (`$1…$n` bound to its values), empty for the whole table. Its column
/// may be an expression of the row (`CAST(year AS TEXT)` for a number).
fn scope_filter(scope: &Option<(&'static str, Vec<String>)>) -> String {
    match scope {
        None => String::new(),
        Some((_, values)) if values.is_empty() => " WHERE 1 = 0".into(),
        Some((column, values)) => {
            let params: Vec<String> = (1..=values.len()).map(|i| format!("${i}")).collect();
            format!(" WHERE {column} IN ({})", params.join(", "))
        }
    }
}

/// A 128-bit digest of a key (two SipHash passes with distinct prefixes): what an import remembers of the keys
/// it wrote. Collisions are out of reach at the sizes of the official files (2^-128 per pair).
pub fn key_digest(key: &str) -> u128 {
    use std::hash::{DefaultHasher, Hash, Hasher};
    let half = |salt: u8| {
        let mut h = DefaultHasher::new();
        salt.hash(&mut h);
        key.hash(&mut h);
        h.finish()
    };
    (u128::from(half(1)) << 64) | u128::from(half(2))
}

/// Flag bits of [`HashedTable::existing`]'s values: the row is marked removed; this batch wrote its key.
const REMOVED: u128 = 1 << 127;
const SEEN: u128 = 1 << 126;

/// The content hash of a row (32 hexadecimal digits, [`crate::codec::row_hash`]) as a number, its two top bits
/// left for the flags (126 bits of hash keep collisions out of reach).
fn hash_value(hex: &str) -> u128 {
    u128::from_str_radix(hex, 16).unwrap_or(0) & !(REMOVED | SEEN)
}

//! Import batches: the provenance of every imported row (file, sha256, vintage, date, counts).

use crate::change::Change;
use crate::{Result, Store, StoreError};
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::Row;
use std::io::Read;
use std::path::Path;

/// What an import did, row by row. `filtered` rows were outside the territory (and its buffer);
/// `rejected` rows were well-formed but unusable (each reason is listed in the batch details).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub rows_read: u64,
    pub inserted: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub rejected: u64,
    pub filtered: u64,
    pub removed: u64,
}

impl Counts {
    /// Rows were read, yet none lies in the territory or its buffer: most likely the wrong territory or file.
    pub fn nothing_in_territory(&self) -> bool {
        self.rows_read > 0
            && self.filtered > 0
            && self.inserted + self.updated + self.unchanged + self.rejected == 0
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Batch {
    pub id: i64,
    pub kind: String,
    pub file_name: String,
    pub sha256: String,
    pub vintage: Option<String>,
    pub imported_at: String,
    pub counts: Counts,
    pub details: serde_json::Value,
}

/// The provenance of a file about to be imported.
#[derive(Debug, Clone)]
pub struct Source {
    pub kind: &'static str,
    pub file_name: String,
    pub sha256: String,
    pub vintage: Option<String>,
}

impl Source {
    /// Describes a file on disk (its name and sha256).
    pub fn of_file(kind: &'static str, path: &Path, vintage: Option<String>) -> Result<Source> {
        Ok(Source {
            kind,
            file_name: path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            sha256: sha256_file(path)?,
            vintage,
        })
    }
}

pub fn sha256_file(path: &Path) -> Result<String> {
    let mut file = std::fs::File::open(path).map_err(|e| StoreError::io(path, e))?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = file.read(&mut buf).map_err(|e| StoreError::io(path, e))?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hex::encode(hasher.finalize()))
}

/// The latest import of the same kind of file with the same content (sha256), if any.
pub async fn earlier_import_of(
    tx: &mut Change,
    source: &Source,
) -> Result<Option<crate::session::EarlierImport>> {
    let row = sqlx::query(
        "SELECT id, imported_at FROM import_batch WHERE kind = $1 AND sha256 = $2 ORDER BY id DESC LIMIT 1",
    )
    .bind(source.kind)
    .bind(&source.sha256)
    .fetch_optional(tx.conn())
    .await?;
    row.map(|r| {
        Ok(crate::session::EarlierImport {
            batch_id: r.try_get("id")?,
            imported_at: r.try_get("imported_at")?,
        })
    })
    .transpose()
}

/// Opens a batch inside the import's transaction; it is committed with the data or not at all.
pub async fn begin(tx: &mut Change, source: &Source) -> Result<i64> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO import_batch (kind, file_name, sha256, vintage, imported_at, rows_read, inserted, updated,
             unchanged, rejected, filtered, removed, details)
         VALUES ($1, $2, $3, $4, $5, 0, 0, 0, 0, 0, 0, 0, '{}') RETURNING id",
    )
    .bind(source.kind)
    .bind(&source.file_name)
    .bind(&source.sha256)
    .bind(source.vintage.clone())
    .bind(crate::now())
    .fetch_one(tx.conn())
    .await?;
    Ok(id)
}

pub async fn finish(
    tx: &mut Change,
    id: i64,
    vintage: Option<&str>,
    counts: &Counts,
    details: &serde_json::Value,
) -> Result<()> {
    sqlx::query(
        "UPDATE import_batch SET vintage = COALESCE($2, vintage), rows_read = $3, inserted = $4, updated = $5,
             unchanged = $6, rejected = $7, filtered = $8, removed = $9, details = $10 WHERE id = $1",
    )
    .bind(id)
    .bind(vintage.map(str::to_string))
    .bind(counts.rows_read as i64)
    .bind(counts.inserted as i64)
    .bind(counts.updated as i64)
    .bind(counts.unchanged as i64)
    .bind(counts.rejected as i64)
    .bind(counts.filtered as i64)
    .bind(counts.removed as i64)
    .bind(details.to_string())
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// Every batch, newest first.
pub async fn list(store: &Store) -> Result<Vec<Batch>> {
    let rows = sqlx::query(
        "SELECT id, kind, file_name, sha256, vintage, imported_at, rows_read, inserted, updated, unchanged,
                rejected, filtered, removed, details
         FROM import_batch ORDER BY id DESC",
    )
    .fetch_all(store.pool())
    .await?;
    rows.iter()
        .map(|r| {
            let n = |c: &str| -> Result<u64> { Ok(r.try_get::<i64, _>(c)? as u64) };
            Ok(Batch {
                id: r.try_get("id")?,
                kind: r.try_get("kind")?,
                file_name: r.try_get("file_name")?,
                sha256: r.try_get("sha256")?,
                vintage: r.try_get("vintage")?,
                imported_at: r.try_get("imported_at")?,
                counts: Counts {
                    rows_read: n("rows_read")?,
                    inserted: n("inserted")?,
                    updated: n("updated")?,
                    unchanged: n("unchanged")?,
                    rejected: n("rejected")?,
                    filtered: n("filtered")?,
                    removed: n("removed")?,
                },
                details: serde_json::from_str(&r.try_get::<String, _>("details")?)
                    .unwrap_or_default(),
            })
        })
        .collect()
}

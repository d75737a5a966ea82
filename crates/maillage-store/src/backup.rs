//! `sauvegarde` / `restauration`: a consistent logical copy of the whole store, taken while it is in use
//! (one read transaction: a WAL snapshot on SQLite, REPEATABLE READ on PostgreSQL), restored in one
//! transaction. The same file format serves both backends, so a SQLite store can move to PostgreSQL by a
//! backup and a restore.
//!
//! Format: gzip of JSON lines. A header object, then for each table a `{"table", "columns"}` object followed by
//! one JSON array per row, then an end object with the counts (a truncated file is detected).

use crate::change::Change;
use crate::{Backend, BackupProblem, Result, Store, StoreError};
use flate2::Compression;
use flate2::read::GzDecoder;
use flate2::write::GzEncoder;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sqlx::AssertSqlSafe;
use sqlx::{Any, Row, TypeInfo, ValueRef};
use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::Path;

const FORMAT: &str = "maillage-sauvegarde";
const FORMAT_VERSION: i64 = 1;

#[derive(Debug, Serialize, Deserialize)]
struct Header {
    format: String,
    version: i64,
    schema_version: i64,
    created_at: String,
    backend: String,
}

#[derive(Debug, Serialize, Deserialize)]
struct TableHeader {
    table: String,
    columns: Vec<String>,
}

#[derive(Debug, Serialize, Deserialize)]
struct End {
    end: bool,
    tables: usize,
    rows: u64,
}

/// What a backup or a restore moved.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    pub tables: usize,
    pub rows: u64,
    pub schema_version: i64,
}

/// Tables of the store in an order where every table comes after those it references.
async fn tables(tx: &mut Change, backend: Backend) -> Result<Vec<String>> {
    let (list, fks) = match backend {
        Backend::Sqlite => (
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
             AND name <> '_sqlx_migrations' ORDER BY name",
            "SELECT m.name AS child, f.\"table\" AS parent FROM sqlite_master m, pragma_foreign_key_list(m.name) f
             WHERE m.type = 'table'",
        ),
        Backend::Postgres => (
            "SELECT table_name::text AS name FROM information_schema.tables WHERE table_schema = current_schema()
             AND table_type = 'BASE TABLE' AND table_name <> '_sqlx_migrations' ORDER BY table_name",
            "SELECT tc.table_name::text AS child, ccu.table_name::text AS parent
             FROM information_schema.table_constraints tc
             JOIN information_schema.constraint_column_usage ccu
               ON tc.constraint_name = ccu.constraint_name AND tc.table_schema = ccu.table_schema
             WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_schema = current_schema()",
        ),
    };
    let names: Vec<String> = sqlx::query_scalar(list).fetch_all(tx.conn()).await?;
    let mut parents: BTreeMap<String, BTreeSet<String>> =
        names.iter().map(|n| (n.clone(), BTreeSet::new())).collect();
    for r in sqlx::query(fks).fetch_all(tx.conn()).await? {
        let child: String = r.try_get("child")?;
        let parent: String = r.try_get("parent")?;
        if child != parent {
            parents.entry(child).or_default().insert(parent);
        }
    }
    let mut ordered = Vec::new();
    let mut done = BTreeSet::new();
    while ordered.len() < names.len() {
        let next = names
            .iter()
            .find(|n| {
                !done.contains(*n)
                    && parents[*n]
                        .iter()
                        .all(|p| done.contains(p) || !parents.contains_key(p))
            })
            .cloned();
        let next = next.ok_or_else(|| StoreError::Migration("cycle de clés étrangères".into()))?;
        done.insert(next.clone());
        ordered.push(next);
    }
    Ok(ordered)
}

/// How a column's values are bound on restore (a NULL needs a type on PostgreSQL).
#[derive(Debug, Clone, Copy, PartialEq)]
enum ColumnType {
    Integer,
    Real,
    Text,
    Blob,
}

async fn columns(
    tx: &mut Change,
    backend: Backend,
    table: &str,
) -> Result<Vec<(String, ColumnType)>> {
    let sql = match backend {
        Backend::Sqlite => "SELECT name, type AS t FROM pragma_table_info($1) ORDER BY cid",
        Backend::Postgres => {
            "SELECT column_name::text AS name, data_type::text AS t FROM information_schema.columns
             WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position"
        }
    };
    let rows = sqlx::query(sql).bind(table).fetch_all(tx.conn()).await?;
    rows.iter()
        .map(|r| {
            let t = r.try_get::<String, _>("t")?.to_uppercase();
            let kind = if t.contains("INT") {
                ColumnType::Integer
            } else if t.contains("REAL")
                || t.contains("DOUBLE")
                || t.contains("FLOAT")
                || t.contains("NUMERIC")
            {
                ColumnType::Real
            } else if t.contains("BLOB") || t.contains("BYTEA") {
                ColumnType::Blob
            } else {
                ColumnType::Text
            };
            Ok((r.try_get("name")?, kind))
        })
        .collect()
}

fn value_of(row: &sqlx::any::AnyRow, i: usize) -> Result<Value> {
    let raw = row.try_get_raw(i)?;
    if raw.is_null() {
        return Ok(Value::Null);
    }
    let type_name = raw.type_info().name().to_string();
    Ok(match type_name.as_str() {
        "BOOLEAN" => Value::from(i64::from(row.try_get::<bool, _>(i)?)),
        "SMALLINT" | "INTEGER" | "BIGINT" => Value::from(row.try_get::<i64, _>(i)?),
        "REAL" | "DOUBLE" => Value::from(row.try_get::<f64, _>(i)?),
        "BLOB" => serde_json::json!({ "blob": hex::encode(row.try_get::<Vec<u8>, _>(i)?) }),
        _ => Value::from(row.try_get::<String, _>(i)?),
    })
}

/// Writes a consistent backup of the whole store to `path` (through a temporary file renamed at the end).
pub async fn save(store: &Store, path: &Path) -> Result<Summary> {
    let tmp = path.with_extension("partiel");
    let file = std::fs::File::create(&tmp).map_err(|e| StoreError::io(&tmp, e))?;
    let mut out = GzEncoder::new(BufWriter::new(file), Compression::default());
    let mut tx = Change::begin(store).await?;
    if store.backend() == Backend::Postgres {
        sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            .execute(tx.conn())
            .await?;
    }
    let io = |e: std::io::Error| StoreError::io(path, e);
    let header = Header {
        format: FORMAT.into(),
        version: FORMAT_VERSION,
        schema_version: store.schema_version(),
        created_at: crate::now(),
        backend: format!("{:?}", store.backend()).to_lowercase(),
    };
    writeln!(
        out,
        "{}",
        serde_json::to_string(&header).expect("plain data")
    )
    .map_err(io)?;
    let tables = tables(&mut tx, store.backend()).await?;
    let mut summary = Summary {
        tables: tables.len(),
        rows: 0,
        schema_version: header.schema_version,
    };
    for table in &tables {
        let columns: Vec<String> = columns(&mut tx, store.backend(), table)
            .await?
            .into_iter()
            .map(|c| c.0)
            // The name of this base, not its data: a restored base keeps its own.
            .filter(|c| !(table == "audit_head" && c == "base_id"))
            .collect();
        let th = TableHeader {
            table: table.clone(),
            columns: columns.clone(),
        };
        writeln!(out, "{}", serde_json::to_string(&th).expect("plain data")).map_err(io)?;
        let order: Vec<String> = (1..=columns.len()).map(|i| i.to_string()).collect();
        let list = columns
            .iter()
            .map(|c| format!("\"{c}\""))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "SELECT {list} FROM \"{table}\" ORDER BY {}",
            order.join(", ")
        );
        let rows = sqlx::query(AssertSqlSafe(sql.clone()))
            .fetch_all(tx.conn())
            .await?;
        for row in &rows {
            let values = (0..columns.len())
                .map(|i| value_of(row, i))
                .collect::<Result<Vec<_>>>()?;
            writeln!(out, "{}", Value::Array(values)).map_err(io)?;
        }
        summary.rows += rows.len() as u64;
    }
    tx.commit().await?;
    let end = End {
        end: true,
        tables: summary.tables,
        rows: summary.rows,
    };
    writeln!(out, "{}", serde_json::to_string(&end).expect("plain data")).map_err(io)?;
    out.finish().map_err(io)?.flush().map_err(io)?;
    std::fs::rename(&tmp, path).map_err(|e| StoreError::io(path, e))?;
    Ok(summary)
}

struct PendingTable {
    header: TableHeader,
    rows: Vec<Vec<Value>>,
}

/// Reads and checks a whole backup before anything is touched.
fn read_backup(path: &Path, supported: i64) -> Result<(Header, Vec<PendingTable>)> {
    let not = |reason: BackupProblem| StoreError::NotABackup {
        path: path.display().to_string(),
        reason,
    };
    let file = std::fs::File::open(path).map_err(|e| StoreError::io(path, e))?;
    let mut lines = BufReader::new(GzDecoder::new(file)).lines();
    let first = lines
        .next()
        .ok_or_else(|| not(BackupProblem::EmptyFile))?
        .map_err(|e| not(BackupProblem::Unreadable(e.to_string())))?;
    let header: Header = serde_json::from_str(&first).map_err(|_| not(BackupProblem::NoHeader))?;
    if header.format != FORMAT || header.version != FORMAT_VERSION {
        return Err(not(BackupProblem::OtherFormat {
            format: header.format,
            version: header.version,
        }));
    }
    if header.schema_version > supported {
        return Err(StoreError::BackupTooNew {
            found: header.schema_version,
            supported,
        });
    }
    let mut tables: Vec<PendingTable> = Vec::new();
    let mut end: Option<End> = None;
    for (n, line) in lines.enumerate() {
        let line = line.map_err(|e| {
            not(BackupProblem::UnreadableLine {
                line: n + 2,
                reason: e.to_string(),
            })
        })?;
        if end.is_some() {
            return Err(not(BackupProblem::DataAfterEnd { line: n + 2 }));
        }
        if line.starts_with('[') {
            let row: Vec<Value> = serde_json::from_str(&line).map_err(|e| {
                not(BackupProblem::InvalidRow {
                    line: n + 2,
                    reason: e.to_string(),
                })
            })?;
            let table = tables
                .last_mut()
                .ok_or_else(|| not(BackupProblem::RowOutsideTable { line: n + 2 }))?;
            if row.len() != table.header.columns.len() {
                return Err(not(BackupProblem::ColumnCount { line: n + 2 }));
            }
            table.rows.push(row);
        } else if let Ok(th) = serde_json::from_str::<TableHeader>(&line) {
            tables.push(PendingTable {
                header: th,
                rows: Vec::new(),
            });
        } else if let Ok(e) = serde_json::from_str::<End>(&line) {
            end = Some(e);
        } else {
            return Err(not(BackupProblem::UnexpectedLine { line: n + 2 }));
        }
    }
    let end = end.ok_or_else(|| not(BackupProblem::Truncated))?;
    let rows: u64 = tables.iter().map(|t| t.rows.len() as u64).sum();
    if end.tables != tables.len() || end.rows != rows {
        return Err(not(BackupProblem::InconsistentCounts));
    }
    Ok((header, tables))
}

/// Binds a value as the type of its column in this store, whatever the store that wrote the backup.
fn bind_value<'q>(
    q: sqlx::query::Query<'q, Any, sqlx::any::AnyArguments>,
    column: ColumnType,
    v: &Value,
) -> sqlx::query::Query<'q, Any, sqlx::any::AnyArguments> {
    match column {
        ColumnType::Integer => q.bind(v.as_i64().or_else(|| v.as_bool().map(i64::from))),
        ColumnType::Real => q.bind(v.as_f64()),
        ColumnType::Blob => q.bind(
            v.get("blob")
                .and_then(Value::as_str)
                .and_then(|h| hex::decode(h).ok()),
        ),
        ColumnType::Text => q.bind(match v {
            Value::Null => None,
            Value::String(s) => Some(s.clone()),
            other => Some(other.to_string()),
        }),
    }
}

/// Replaces the whole content of the store by the backup's, in one transaction: either everything is restored
/// or nothing changes.
pub async fn restore(store: &Store, path: &Path) -> Result<Summary> {
    let (header, pending) = read_backup(path, store.schema_version())?;
    let mut tx = Change::begin(store).await?;
    let tables = tables(&mut tx, store.backend()).await?;
    for p in &pending {
        if !tables.contains(&p.header.table) {
            return Err(StoreError::NotABackup {
                path: path.display().to_string(),
                reason: BackupProblem::UnknownTable(p.header.table.clone()),
            });
        }
    }
    // The audit journal refuses DELETE (migration 0012): a restore writes only into an empty one, and moves its
    // head forward instead of replacing it.
    let journal: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log")
        .fetch_one(tx.conn())
        .await?;
    if journal > 0 {
        return Err(StoreError::RestoreOverAuditLog { entries: journal });
    }
    for table in tables.iter().rev().filter(|t| *t != "audit_head") {
        sqlx::query(AssertSqlSafe(format!("DELETE FROM \"{table}\"")))
            .execute(tx.conn())
            .await?;
    }
    let mut summary = Summary {
        tables: pending.len(),
        rows: 0,
        schema_version: header.schema_version,
    };
    for table in &tables {
        let Some(p) = pending.iter().find(|p| &p.header.table == table) else {
            continue;
        };
        if table == "audit_head" {
            restore_audit_head(&mut tx, p).await?;
            summary.rows += p.rows.len() as u64;
            continue;
        }
        let columns = &p.header.columns;
        let types: std::collections::HashMap<String, ColumnType> =
            self::columns(&mut tx, store.backend(), table)
                .await?
                .into_iter()
                .collect();
        let mut kinds = Vec::with_capacity(columns.len());
        for c in columns {
            kinds.push(*types.get(c).ok_or_else(|| StoreError::NotABackup {
                path: path.display().to_string(),
                reason: BackupProblem::UnknownColumn {
                    table: table.clone(),
                    column: c.clone(),
                },
            })?);
        }
        let list = columns
            .iter()
            .map(|c| format!("\"{c}\""))
            .collect::<Vec<_>>()
            .join(", ");
        // Several rows per statement: far fewer round trips, well under every parameter limit.
        let per_statement = (900 / columns.len().max(1)).max(1);
        for chunk in p.rows.chunks(per_statement) {
            let mut p = crate::codec::Placeholders::new(tx.conn());
            let tuples: Vec<String> = chunk.iter().map(|_| p.tuple(columns.len())).collect();
            let sql = format!(
                "INSERT INTO \"{table}\" ({list}) VALUES {}",
                tuples.join(", ")
            );
            let mut q = sqlx::query(AssertSqlSafe(sql.clone()));
            for row in chunk {
                for (v, kind) in row.iter().zip(&kinds) {
                    q = bind_value(q, *kind, v);
                }
            }
            q.execute(tx.conn()).await?;
        }
        summary.rows += p.rows.len() as u64;
        if store.backend() == Backend::Postgres && columns.iter().any(|c| c == "id") {
            // Identity columns must continue after the restored ids.
            sqlx::query(AssertSqlSafe(format!(
                "SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), COALESCE(MAX(id), 1), MAX(id) IS NOT NULL)
                 FROM \"{table}\" WHERE pg_get_serial_sequence('\"{table}\"', 'id') IS NOT NULL"
            )))
            .execute(tx.conn())
            .await?;
        }
    }
    for (version, derivation) in ROW_KEY_DERIVATIONS {
        if header.schema_version < *version {
            sqlx::query(*derivation).execute(tx.conn()).await?;
        }
    }
    tx.commit().await?;
    Ok(summary)
}

/// The stable keys (`rows`) a migration gave a table, derived as that migration did: a backup taken before it
/// holds the table's rows without them (their hash is left empty, so the next import of their file updates them
/// once).
const ROW_KEY_DERIVATIONS: &[(i64, &str)] = &[
    (
        16,
        "UPDATE apl_drees SET row_key = commune_code || '|' || CAST(year AS TEXT) || '|' || profession
         WHERE row_key IS NULL",
    ),
    (
        17,
        "UPDATE zone SET row_key = kind || '|' || code WHERE row_key IS NULL",
    ),
    (
        17,
        "UPDATE population SET row_key = CAST(zone_id AS TEXT) || '|' || CAST(vintage AS TEXT) || '|' || band
         WHERE row_key IS NULL",
    ),
    (
        17,
        "UPDATE professional_acts SET row_key = national_id || '|' || CAST(year AS TEXT) WHERE row_key IS NULL",
    ),
];

/// The journal's head from the backup, written over the empty journal's head (which cannot be deleted). The
/// base keeps its own `base_id`; a backup taken before migration 0012 has only unkeyed entries, so keying starts
/// after its last one.
async fn restore_audit_head(tx: &mut Change, p: &PendingTable) -> Result<()> {
    let Some(row) = p.rows.first() else {
        return Ok(());
    };
    let value = |name: &str| {
        p.header
            .columns
            .iter()
            .position(|c| c == name)
            .and_then(|i| row.get(i))
            .filter(|v| !v.is_null())
    };
    let last_id = value("last_id").and_then(Value::as_i64).unwrap_or(0);
    let text = |name: &str| value(name).and_then(Value::as_str).map(str::to_string);
    sqlx::query(
        "UPDATE audit_head SET last_id = $1, last_hash = $2, keyed_from = $3, key_id = $4, head_seal = $5
         WHERE singleton = 1",
    )
    .bind(last_id)
    .bind(text("last_hash").unwrap_or_else(|| crate::audit::GENESIS.to_string()))
    .bind(
        value("keyed_from")
            .and_then(Value::as_i64)
            .unwrap_or(last_id + 1),
    )
    .bind(text("key_id"))
    .bind(text("head_seal"))
    .execute(tx.conn())
    .await?;
    Ok(())
}

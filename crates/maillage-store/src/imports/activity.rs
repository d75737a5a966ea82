//! The yearly activity of professionals, a file the commune writes (`maillage_formats::activity`): the supply
//! of an accessibility computed in consultations per year, like the DREES APL.
//!
//! Not kept in `local_enrichment`: that table holds what someone typed for one professional (one value per
//! field, no year, no file) and imports never write it; an activity is a figure per professional *and year*,
//! read from a file whose provenance (batch, sha256) must be kept like any import's. Written through `rows` (key
//! `national_id|year`): a file adds or replaces the (professional, year) pairs it gives, and marks removed the
//! pairs it no longer gives of the professionals it names, over the years it covers. The others are left alone:
//! one file per year can follow another, and a file may correct some professionals only.

use super::Progress;
use crate::batch::Source;
use crate::change::Change;
use crate::rows::{HashedTable, Val};
use crate::session::{ImportReport, ImportSession};
use crate::zones::RowChange;
use crate::{Result, Store};
use maillage_formats::activity::read_activity;
use sqlx::Row;
use std::collections::{BTreeSet, HashSet};
use std::path::Path;

pub async fn import(store: &Store, path: &Path, progress: &dyn Progress) -> Result<ImportReport> {
    // Read and checked in full first: a wrong row stops the import before anything is written.
    let file = read_activity(path)?;
    let years: BTreeSet<i64> = file.records.iter().map(|r| r.year).collect();
    let vintage = years.iter().max().map(|y| y.to_string());
    let source = Source::of_file(
        crate::imports::SourceKind::Activite.code(),
        path,
        vintage.clone(),
    )?;
    let known: BTreeSet<String> =
        sqlx::query_scalar("SELECT national_id FROM professional WHERE removed_batch_id IS NULL")
            .fetch_all(store.pool())
            .await?
            .into_iter()
            .collect();
    let mut s = ImportSession::start(store, source).await?;
    // The file covers the years it gives: another year's rows are another file's.
    let covered: Vec<String> = years.iter().map(i64::to_string).collect();
    let mut table = acts_table(&mut s.tx, ("CAST(year AS TEXT)", &covered), s.batch_id).await?;
    let mut unknown = 0u64;
    for r in &file.records {
        s.counts.rows_read += 1;
        if !known.contains(&r.national_id) {
            unknown += 1;
        }
        let change = put_acts(
            &mut s.tx,
            &mut table,
            &r.national_id,
            r.year,
            r.consultations,
            r.visits,
        )
        .await?;
        s.counts.record(change);
        if table.wants_flush() {
            table.flush(&mut s.tx).await?;
        }
    }
    // The file speaks for the professionals it names, over the years it covers: a (professional, year) pair of
    // theirs it no longer gives is marked removed; someone it does not name is left alone (a file correcting one
    // professional's figures leaves the others').
    let named: HashSet<&str> = file
        .records
        .iter()
        .map(|r| r.national_id.as_str())
        .collect();
    s.counts.removed = table
        .mark_unseen_removed_where(&mut s.tx, "national_id", |_, id| {
            id.is_some_and(|id| named.contains(id))
        })
        .await?;
    progress.rows(s.counts.rows_read, None);
    s.commit(
        vintage,
        serde_json::json!({
            "annees": years,
            "professionnels_inconnus": unknown,
            "colonnes_inconnues": file.unknown_columns,
        }),
    )
    .await
}

const TABLE: &str = "professional_acts";
const COLUMNS: &[&str] = &["national_id", "year", "consultations", "visits"];

/// The stable key of a row: one professional, one year (migration 0017 derives it the same way).
fn row_key(national_id: &str, year: i64) -> String {
    format!("{national_id}|{year}")
}

/// The rows of `scope`, as `rows` writes them.
async fn acts_table(
    tx: &mut Change,
    scope: (&'static str, &[String]),
    batch_id: i64,
) -> Result<HashedTable> {
    HashedTable::load_scoped(tx, TABLE, "row_key", COLUMNS, batch_id, Some(scope)).await
}

async fn put_acts(
    tx: &mut Change,
    table: &mut HashedTable,
    national_id: &str,
    year: i64,
    consultations: Option<f64>,
    visits: Option<f64>,
) -> Result<RowChange> {
    let values = vec![
        Val::text(national_id),
        Val::Int(Some(year)),
        Val::Real(consultations),
        Val::Real(visits),
    ];
    table.put(tx, &row_key(national_id, year), values).await
}

/// Writes one professional's acts of one year outside the import of a file (the demonstration), through `rows`
/// like the import: left alone when the same figures are stored already.
pub async fn write_acts(
    tx: &mut Change,
    national_id: &str,
    year: i64,
    consultations: Option<f64>,
    visits: Option<f64>,
    batch_id: i64,
) -> Result<RowChange> {
    let key = [row_key(national_id, year)];
    let mut table = acts_table(tx, ("row_key", &key), batch_id).await?;
    let change = put_acts(tx, &mut table, national_id, year, consultations, visits).await?;
    table.flush(tx).await?;
    Ok(change)
}

/// Acts (consultations + visits) of each professional in their latest year given (rows in force), with that
/// year.
pub async fn latest_acts(store: &Store) -> Result<std::collections::HashMap<String, (i64, f64)>> {
    let rows = sqlx::query(
        "SELECT national_id, year, consultations, visits FROM professional_acts WHERE removed_batch_id IS NULL
         ORDER BY national_id, year",
    )
    .fetch_all(store.pool())
    .await?;
    let mut out = std::collections::HashMap::new();
    for r in rows {
        let acts = r.try_get::<Option<f64>, _>("consultations")?.unwrap_or(0.0)
            + r.try_get::<Option<f64>, _>("visits")?.unwrap_or(0.0);
        // Ordered by year: the latest one wins.
        out.insert(
            r.try_get::<String, _>("national_id")?,
            (r.try_get::<i64, _>("year")?, acts),
        );
    }
    Ok(out)
}

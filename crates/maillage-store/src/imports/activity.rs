//! The yearly activity of professionals, a file the commune writes (`maillage_formats::activity`): the supply
//! of an accessibility computed in consultations per year, like the DREES APL.
//!
//! Not kept in `local_enrichment`: that table holds what someone typed for one professional (one value per
//! field, no year, no file) and imports never write it; an activity is a figure per professional *and year*,
//! read from a file whose provenance (batch, sha256) must be kept like any import's. A file adds or replaces
//! the (professional, year) pairs it gives and leaves the others: one file per year can follow another.

use super::Progress;
use crate::batch::Source;
use crate::change::Change;
use crate::session::{ImportReport, ImportSession};
use crate::zones::RowChange;
use crate::{Result, Store};
use maillage_formats::activity::read_activity;
use sqlx::Row;
use std::collections::BTreeSet;
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
    let mut unknown = 0u64;
    for r in &file.records {
        s.counts.rows_read += 1;
        if !known.contains(&r.national_id) {
            unknown += 1;
        }
        let change = write_acts(
            &mut s.tx,
            &r.national_id,
            r.year,
            r.consultations,
            r.visits,
            s.batch_id,
        )
        .await?;
        s.counts.record(change);
    }
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

/// Writes one professional's acts of one year, unless the same figures are stored already.
pub async fn write_acts(
    tx: &mut Change,
    national_id: &str,
    year: i64,
    consultations: Option<f64>,
    visits: Option<f64>,
    batch_id: i64,
) -> Result<RowChange> {
    let existing = sqlx::query(
        "SELECT consultations, visits FROM professional_acts WHERE national_id = $1 AND year = $2",
    )
    .bind(national_id)
    .bind(year)
    .fetch_optional(tx.conn())
    .await?;
    let sql = match &existing {
        Some(e)
            if e.try_get::<Option<f64>, _>("consultations")? == consultations
                && e.try_get::<Option<f64>, _>("visits")? == visits =>
        {
            return Ok(RowChange::Unchanged);
        }
        Some(_) => {
            "UPDATE professional_acts SET consultations = $3, visits = $4, batch_id = $5
             WHERE national_id = $1 AND year = $2"
        }
        None => {
            "INSERT INTO professional_acts (national_id, year, consultations, visits, batch_id)
             VALUES ($1, $2, $3, $4, $5)"
        }
    };
    sqlx::query(sql)
        .bind(national_id)
        .bind(year)
        .bind(consultations)
        .bind(visits)
        .bind(batch_id)
        .execute(tx.conn())
        .await?;
    Ok(if existing.is_some() {
        RowChange::Updated
    } else {
        RowChange::Inserted
    })
}

/// Acts (consultations + visits) of each professional in their latest year given, with that year.
pub async fn latest_acts(store: &Store) -> Result<std::collections::HashMap<String, (i64, f64)>> {
    let rows = sqlx::query(
        "SELECT national_id, year, consultations, visits FROM professional_acts ORDER BY national_id, year",
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

//! DREES APL xlsx (one sheet per vintage): the official accessibility of each commune, to show beside
//! Maillage's own computation by IRIS. Every variant (all ages, 65, 62 and 60 and under) is kept, with the
//! vintage of the populations it was computed with.

use super::Progress;
use crate::batch::Source;
use crate::session::{ImportNote, ImportReport, ImportSession};
use crate::zones::RowChange;
use crate::{Result, Store, territory};
use maillage_formats::apl::{AplRow, read_apl_workbook};
use sqlx::Row;
use sqlx::any::AnyRow;
use std::path::Path;

/// `profession`: the Maillage profession the file is about (DREES publishes one file per profession).
pub async fn import(
    store: &Store,
    path: &Path,
    profession: &str,
    progress: &dyn Progress,
) -> Result<ImportReport> {
    let filter = territory::filter(store).await?;
    let read = read_apl_workbook(path)?;
    let years: std::collections::BTreeSet<u16> = read.rows.iter().filter_map(|r| r.year).collect();
    let vintage = years.iter().max().map(|y| y.to_string());
    let source = Source::of_file(
        crate::imports::SourceKind::AplDrees.code(),
        path,
        vintage.clone(),
    )?;
    let mut s = ImportSession::start(store, source).await?;
    for w in read.warnings {
        s.note(ImportNote::Format { warning: w });
    }
    for r in &read.rows {
        s.counts.rows_read += 1;
        let Some(year) = r.year else {
            s.counts.rejected += 1;
            continue;
        };
        if !filter.keeps_commune(&r.commune) {
            s.counts.filtered += 1;
            continue;
        }
        let existing = sqlx::query(
            "SELECT apl, apl_under_65, apl_under_62, apl_under_60, standardised_population, population,
                    population_vintage, commune_name FROM apl_drees
             WHERE commune_code = $1 AND year = $2 AND profession = $3",
        )
        .bind(&r.commune)
        .bind(i64::from(year))
        .bind(profession)
        .fetch_optional(s.tx.conn())
        .await?;
        if let Some(e) = &existing
            && same_as_stored(e, r)?
        {
            s.counts.record(RowChange::Unchanged);
            continue;
        }
        sqlx::query(
            "DELETE FROM apl_drees WHERE commune_code = $1 AND year = $2 AND profession = $3",
        )
        .bind(&r.commune)
        .bind(i64::from(year))
        .bind(profession)
        .execute(s.tx.conn())
        .await?;
        sqlx::query(
            "INSERT INTO apl_drees (commune_code, year, profession, commune_name, apl, apl_under_65,
                 apl_under_62, apl_under_60, standardised_population, population, population_vintage, batch_id)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        )
        .bind(&r.commune)
        .bind(i64::from(year))
        .bind(profession)
        .bind(r.commune_name.clone())
        .bind(r.apl)
        .bind(r.apl_under_65)
        .bind(r.apl_under_62)
        .bind(r.apl_under_60)
        .bind(r.standardised_population)
        .bind(r.population)
        .bind(r.population_vintage.map(i64::from))
        .bind(s.batch_id)
        .execute(s.tx.conn())
        .await?;
        s.counts.record(if existing.is_some() {
            RowChange::Updated
        } else {
            RowChange::Inserted
        });
    }
    progress.rows(s.counts.rows_read, None);
    let sheets: Vec<_> = read
        .sheets
        .iter()
        .map(|sh| {
            serde_json::json!({
                "feuille": sh.name,
                "annee": sh.year,
                "millesime_population": sh.population_vintage,
                "ligne_en_tete": sh.header_row,
                "lignes": sh.rows,
            })
        })
        .collect();
    let population_vintages: std::collections::BTreeSet<u16> = read
        .sheets
        .iter()
        .filter_map(|sh| sh.population_vintage)
        .collect();
    s.commit(
        vintage,
        serde_json::json!({
            "profession": profession,
            "annees": years,
            "millesimes_population": population_vintages,
            "feuilles": sheets,
        }),
    )
    .await
}

/// Whether the stored row holds exactly what the file gives (then re-importing changes nothing).
fn same_as_stored(e: &AnyRow, r: &AplRow) -> Result<bool> {
    let num = |c: &str| e.try_get::<Option<f64>, _>(c);
    Ok(num("apl")? == r.apl
        && num("apl_under_65")? == r.apl_under_65
        && num("apl_under_62")? == r.apl_under_62
        && num("apl_under_60")? == r.apl_under_60
        && num("standardised_population")? == r.standardised_population
        && num("population")? == r.population
        && e.try_get::<Option<i64>, _>("population_vintage")?
            == r.population_vintage.map(i64::from)
        && e.try_get::<Option<String>, _>("commune_name")? == r.commune_name)
}

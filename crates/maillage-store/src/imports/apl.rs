//! DREES APL xlsx (one sheet per year): the official accessibility of each commune, to show beside Maillage's
//! own computation by IRIS.

use super::Progress;
use crate::batch::Source;
use crate::session::{ImportReport, ImportSession};
use crate::zones::Change;
use crate::{Result, Store, territory};
use maillage_formats::apl::read_apl;
use sqlx::Row;
use std::path::Path;

/// `profession`: the Maillage profession the file is about (DREES publishes one file per profession).
pub async fn import(
    store: &Store,
    path: &Path,
    profession: &str,
    progress: &dyn Progress,
) -> Result<ImportReport> {
    let filter = territory::filter(store).await?;
    let rows = read_apl(path)?;
    let years: std::collections::BTreeSet<u16> = rows.iter().filter_map(|r| r.year).collect();
    let vintage = years.iter().max().map(|y| y.to_string());
    let source = Source::of_file("apl-drees", path, vintage.clone())?;
    let mut s = ImportSession::start(store, source).await?;
    for r in &rows {
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
            "SELECT apl, apl_under_65, standardised_population, population, commune_name FROM apl_drees
             WHERE commune_code = $1 AND year = $2 AND profession = $3",
        )
        .bind(&r.commune)
        .bind(i64::from(year))
        .bind(profession)
        .fetch_optional(&mut *s.tx)
        .await?;
        let same = match &existing {
            Some(e) => {
                e.try_get::<Option<f64>, _>("apl")? == r.apl
                    && e.try_get::<Option<f64>, _>("apl_under_65")? == r.apl_under_65
                    && e.try_get::<Option<f64>, _>("standardised_population")?
                        == r.standardised_population
                    && e.try_get::<Option<f64>, _>("population")? == r.population
                    && e.try_get::<Option<String>, _>("commune_name")? == r.commune_name
            }
            None => false,
        };
        if same {
            s.counts.record(Change::Unchanged);
            continue;
        }
        sqlx::query(
            "DELETE FROM apl_drees WHERE commune_code = $1 AND year = $2 AND profession = $3",
        )
        .bind(&r.commune)
        .bind(i64::from(year))
        .bind(profession)
        .execute(&mut *s.tx)
        .await?;
        sqlx::query(
            "INSERT INTO apl_drees (commune_code, year, profession, commune_name, apl, apl_under_65,
                 standardised_population, population, batch_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(&r.commune)
        .bind(i64::from(year))
        .bind(profession)
        .bind(r.commune_name.clone())
        .bind(r.apl)
        .bind(r.apl_under_65)
        .bind(r.standardised_population)
        .bind(r.population)
        .bind(s.batch_id)
        .execute(&mut *s.tx)
        .await?;
        s.counts.record(if existing.is_some() {
            Change::Updated
        } else {
            Change::Inserted
        });
    }
    progress.rows(s.counts.rows_read, None);
    s.commit(
        vintage,
        serde_json::json!({ "profession": profession, "annees": years }),
    )
    .await
}

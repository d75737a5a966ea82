//! DREES APL xlsx (one sheet per vintage): the official accessibility of each commune, to show beside
//! Maillage's own computation by IRIS. Every variant (all ages, 65, 62 and 60 and under) is kept, with the
//! vintage of the populations it was computed with. Written through `rows` (key `commune|year|profession`): a
//! file of one profession marks removed that profession's rows it no longer lists, and no other.

use super::Progress;
use crate::batch::Source;
use crate::rows::{HashedTable, Val};
use crate::session::{ImportNote, ImportReport, ImportSession};
use crate::{Result, Store, territory};
use maillage_formats::apl::read_apl_workbook;
use std::path::Path;

const TABLE: &str = "apl_drees";
const COLUMNS: &[&str] = &[
    "commune_code",
    "year",
    "profession",
    "commune_name",
    "apl",
    "apl_under_65",
    "apl_under_62",
    "apl_under_60",
    "standardised_population",
    "population",
    "population_vintage",
];

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
    let professions = [profession.to_string()];
    let mut table = HashedTable::load_scoped(
        &mut s.tx,
        TABLE,
        "row_key",
        COLUMNS,
        s.batch_id,
        Some(("profession", &professions)),
    )
    .await?;
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
        let values = vec![
            Val::text(&r.commune),
            Val::Int(Some(i64::from(year))),
            Val::text(profession),
            Val::opt(r.commune_name.clone()),
            Val::Real(r.apl),
            Val::Real(r.apl_under_65),
            Val::Real(r.apl_under_62),
            Val::Real(r.apl_under_60),
            Val::Real(r.standardised_population),
            Val::Real(r.population),
            Val::Int(r.population_vintage.map(i64::from)),
        ];
        let change = table
            .put(&mut s.tx, &row_key(&r.commune, year, profession), values)
            .await?;
        s.counts.record(change);
        if table.wants_flush() {
            table.flush(&mut s.tx).await?;
        }
    }
    s.counts.removed = table.mark_unseen_removed(&mut s.tx).await?;
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

/// The stable key of a row: one commune, one year, one profession (migration 0016 derives it the same way).
fn row_key(commune: &str, year: u16, profession: &str) -> String {
    format!("{commune}|{year}|{profession}")
}

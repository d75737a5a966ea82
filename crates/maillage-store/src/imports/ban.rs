//! BAN `adresses-<dept>.csv(.gz)`: the addresses of the territory (and its buffer), then geocoding of the
//! practice sites still without a position.

use super::{PROGRESS_EVERY, Progress, date_in_file_name};
use crate::batch::Source;
use crate::geocoding::{self, GeocodingReport};
use crate::rows::{HashedTable, Val};
use crate::session::{ImportNote, ImportReport, ImportSession};
use crate::{Result, Store, locations, territory};
use maillage_formats::ban::{BanAdresse, BanReader};
use std::collections::BTreeSet;
use std::path::Path;

const COLUMNS: &[&str] = &[
    "number",
    "repetition",
    "street",
    "postcode",
    "commune_code",
    "commune_name",
    "lon",
    "lat",
];

pub async fn import(
    store: &Store,
    path: &Path,
    progress: &dyn Progress,
) -> Result<(ImportReport, GeocodingReport)> {
    let filter = territory::filter(store).await?;
    let source = Source::of_file(
        crate::imports::SourceKind::Ban.code(),
        path,
        date_in_file_name(path),
    )?;
    // The territory's addresses are few: keep them, then write them scoped to the communes the file covers, so
    // that the file of another département does not mark these as removed.
    let mut kept: Vec<BanAdresse> = Vec::new();
    let mut rows_read = 0u64;
    let mut filtered = 0u64;
    let mut reader = BanReader::open(path)?;
    while let Some(a) = reader.next() {
        let a = a?;
        rows_read += 1;
        if rows_read.is_multiple_of(PROGRESS_EVERY) {
            progress.rows(rows_read, Some(reader.bytes_read()));
        }
        if filter.keeps_commune(&a.code_insee) {
            kept.push(a);
        } else {
            filtered += 1;
        }
    }
    progress.rows(rows_read, None);
    let warnings = reader.warnings().to_vec();
    let communes: Vec<String> = kept
        .iter()
        .map(|a| a.code_insee.clone())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let mut s = ImportSession::start(store, source).await?;
    s.counts.rows_read = rows_read;
    s.counts.filtered = filtered;
    for w in warnings {
        s.note(ImportNote::Format { warning: w });
    }
    let mut table = HashedTable::load_scoped(
        &mut s.tx,
        "address",
        "ban_id",
        COLUMNS,
        s.batch_id,
        Some(("commune_code", &communes)),
    )
    .await?;
    for a in &kept {
        if table.seen(&a.id) {
            s.counts.rejected += 1;
            s.note(ImportNote::DuplicateAddress {
                line: a.line,
                id: a.id.clone(),
            });
            continue;
        }
        let values = vec![
            Val::Text(a.numero.map(|n| n.to_string())),
            Val::opt(a.rep.clone()),
            Val::text(&a.nom_voie),
            Val::opt(a.code_postal.clone()),
            Val::text(&a.code_insee),
            Val::text(&a.nom_commune),
            Val::Real(Some(a.lon)),
            Val::Real(Some(a.lat)),
        ];
        let change = table.put(&mut s.tx, &a.id, values).await?;
        s.counts.record(change);
        if table.wants_flush() {
            table.flush(&mut s.tx).await?;
        }
    }
    s.counts.removed = table.mark_unseen_removed(&mut s.tx).await?;
    let report = geocoding::geocode_sites(&mut s.tx).await?;
    let located = locations::refresh(&mut s.tx).await?;
    let vintage = s.source.vintage.clone();
    let details =
        serde_json::json!({ "communes": communes, "geocodage": report, "localisation": located });
    Ok((s.commit(vintage, details).await?, report))
}

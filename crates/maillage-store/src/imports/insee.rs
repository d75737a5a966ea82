//! INSEE `base-ic-evol-struct-pop-<year>`: population by IRIS and age band, for the file's vintage.

use super::{PROGRESS_EVERY, Progress};
use crate::batch::Source;
use crate::session::{ImportNote, ImportReport, ImportSession};
use crate::zones::{RowChange, ZoneKind, ZoneRecord, ZoneTables, combine};
use crate::{Result, Store, territory};
use maillage_formats::insee::{BROAD_BANDS, FINE_BANDS, IrisPopulationReader};
use std::path::Path;

pub async fn import(store: &Store, path: &Path, progress: &dyn Progress) -> Result<ImportReport> {
    let filter = territory::filter(store).await?;
    let reader = IrisPopulationReader::open(path)?;
    let vintage = i64::from(reader.vintage());
    let source = Source::of_file(
        crate::imports::SourceKind::InseeIris.code(),
        path,
        Some(vintage.to_string()),
    )?;
    let mut s = ImportSession::start(store, source).await?;
    for w in reader.warnings() {
        s.note(ImportNote::Format { warning: w.clone() });
    }
    let mut zones = ZoneTables::load(&mut s.tx, &[ZoneKind::Iris], s.batch_id).await?;
    let mut reader = reader;
    while let Some(row) = reader.next() {
        let row = row?;
        s.counts.rows_read += 1;
        if s.counts.rows_read % PROGRESS_EVERY == 0 {
            progress.rows(s.counts.rows_read, Some(reader.bytes_read()));
        }
        if !filter.keeps_commune(&row.commune) {
            s.counts.filtered += 1;
            continue;
        }
        let zone = ZoneRecord {
            kind: ZoneKind::Iris,
            code: row.iris.clone(),
            // INSEE gives no IRIS name: the code stands in until contours bring the name.
            name: row.iris.clone(),
            parent_code: Some(row.commune.clone()),
            departement: None,
            attributes: serde_json::json!({ "type_iris": row.typ_iris, "label_iris": row.lab_iris }),
        };
        let (id, change) = zones.ensure(&mut s.tx, &zone).await?;
        let mut figures = vec![("TOTAL".to_string(), Some(row.total))];
        figures.extend(
            FINE_BANDS
                .iter()
                .zip(row.fine)
                .map(|(b, v)| (b.suffix(), v)),
        );
        figures.extend(
            BROAD_BANDS
                .iter()
                .zip(row.broad)
                .map(|(b, v)| (b.suffix(), v)),
        );
        let mut population_change = RowChange::Unchanged;
        for (band, value) in figures {
            if let Some(v) = value {
                let c = zones
                    .set_population(&mut s.tx, id, vintage, &band, v)
                    .await?;
                population_change = combine(population_change, c);
            }
        }
        s.counts.record(combine(change, population_change));
    }
    progress.rows(s.counts.rows_read, None);
    zones.finish(&mut s.tx).await?;
    let v = Some(vintage.to_string());
    s.commit(v, serde_json::json!({ "millesime": vintage }))
        .await
}

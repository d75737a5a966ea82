//! `@etalab/decoupage-administratif`: communes (with arrondissements municipaux, postcodes and legal
//! population) or EPCI (with their member communes).

use super::Progress;
use crate::batch::Source;
use crate::change::Change;
use crate::session::{ImportNote, ImportReport, ImportSession};
use crate::zones::{ZoneKind, ZoneRecord, ZoneTables, combine};
use crate::{Result, Store, reference, territory};
use maillage_formats::communes::{CommuneType, read_communes, read_epci};
use maillage_formats::sniff::{FileKind, detect_file};
use sqlx::Row;
use std::path::Path;

/// The package's vintage: populations légales in force in 2026 (millésime of the package).
const DEFAULT_VINTAGE: i64 = 2026;

pub async fn import(
    store: &Store,
    path: &Path,
    vintage: Option<i64>,
    progress: &dyn Progress,
) -> Result<ImportReport> {
    if detect_file(path)? == Some(FileKind::DecoupageEpci) {
        return import_epci(store, path, progress).await;
    }
    let filter = territory::filter(store).await?;
    let communes = read_communes(path)?;
    let vintage = vintage.unwrap_or(DEFAULT_VINTAGE);
    let source = Source::of_file(
        crate::imports::SourceKind::Communes.code(),
        path,
        Some(vintage.to_string()),
    )?;
    let mut s = ImportSession::start(store, source).await?;
    let mut zones = ZoneTables::load(
        &mut s.tx,
        &[ZoneKind::Commune, ZoneKind::Arrondissement],
        s.batch_id,
    )
    .await?;
    let mut other_kinds = 0u64;
    // Every commune of France, in the territory or not, adds to its département's population.
    let mut populations = reference::PopulationTally::default();
    for c in &communes {
        s.counts.rows_read += 1;
        if let (CommuneType::Actuelle, Some(p)) = (&c.kind, c.population) {
            populations.add(&c.code, p as f64);
        }
        let kind = match c.kind {
            CommuneType::Actuelle => ZoneKind::Commune,
            CommuneType::ArrondissementMunicipal => ZoneKind::Arrondissement,
            _ => {
                // Communes déléguées and associées are not statistical units: their population is counted in
                // their commune nouvelle.
                other_kinds += 1;
                s.counts.filtered += 1;
                continue;
            }
        };
        let commune_of_row = if kind == ZoneKind::Arrondissement {
            c.parent.as_deref().unwrap_or(&c.code)
        } else {
            &c.code
        };
        if !filter.keeps_commune(commune_of_row) {
            s.counts.filtered += 1;
            continue;
        }
        let record = ZoneRecord {
            kind,
            code: c.code.clone(),
            name: c.nom.clone(),
            parent_code: if kind == ZoneKind::Arrondissement {
                c.parent.clone()
            } else {
                None
            },
            departement: c.departement.clone(),
            attributes: serde_json::json!({
                "region": c.region, "zone": c.zone, "siren": c.siren, "codes_postaux": c.codes_postaux,
            }),
        };
        // The EPCI a commune belongs to comes from the EPCI file: keep it when the commune file is re-imported.
        let record = keep_epci(&mut s.tx, record).await?;
        let (id, change) = zones.upsert(&mut s.tx, &record).await?;
        let mut change = change;
        if let Some(p) = c.population {
            let c2 = zones
                .set_population(&mut s.tx, id, vintage, "TOTAL", p as f64)
                .await?;
            change = combine(change, c2);
        }
        if kind == ZoneKind::Commune {
            sqlx::query("DELETE FROM commune_postcode WHERE commune_code = $1")
                .bind(&c.code)
                .execute(s.tx.conn())
                .await?;
            for p in &c.codes_postaux {
                sqlx::query(
                    "INSERT INTO commune_postcode (commune_code, postcode) VALUES ($1, $2)",
                )
                .bind(&c.code)
                .bind(p)
                .execute(s.tx.conn())
                .await?;
            }
        }
        s.counts.record(change);
    }
    progress.rows(s.counts.rows_read, None);
    s.counts.removed = zones
        .mark_unseen_removed(&mut s.tx, ZoneKind::Commune, None)
        .await?;
    s.counts.removed += zones
        .mark_unseen_removed(&mut s.tx, ZoneKind::Arrondissement, None)
        .await?;
    zones.finish(&mut s.tx).await?;
    if other_kinds > 0 {
        s.note(ImportNote::SkippedCommunes { count: other_kinds });
    }
    let modifiees =
        reference::replace_populations(&mut s.tx, s.batch_id, vintage, &populations.populations())
            .await?;
    s.commit(
        Some(vintage.to_string()),
        serde_json::json!({ "references": { "modifiees": modifiees } }),
    )
    .await
}

async fn keep_epci(tx: &mut Change, mut record: ZoneRecord) -> Result<ZoneRecord> {
    if record.kind == ZoneKind::Commune {
        let parent: Option<Option<String>> =
            sqlx::query("SELECT parent_code FROM zone WHERE kind = 'commune' AND code = $1")
                .bind(&record.code)
                .fetch_optional(tx.conn())
                .await?
                .map(|r| r.try_get("parent_code"))
                .transpose()?;
        record.parent_code = parent.flatten();
    }
    Ok(record)
}

async fn import_epci(store: &Store, path: &Path, progress: &dyn Progress) -> Result<ImportReport> {
    let filter = territory::filter(store).await?;
    let epcis = read_epci(path)?;
    let source = Source::of_file(crate::imports::SourceKind::Communes.code(), path, None)?;
    let mut s = ImportSession::start(store, source).await?;
    let mut zones = ZoneTables::load(&mut s.tx, &[ZoneKind::Epci], s.batch_id).await?;
    // Membership is written on the communes, which this file does not list: never marked removed by it.
    let mut communes = ZoneTables::load(&mut s.tx, &[ZoneKind::Commune], s.batch_id).await?;
    for e in &epcis {
        s.counts.rows_read += 1;
        if !e.membres.iter().any(|m| filter.keeps_commune(&m.code)) {
            s.counts.filtered += 1;
            continue;
        }
        let record = ZoneRecord {
            kind: ZoneKind::Epci,
            code: e.code.clone(),
            name: e.nom.clone(),
            parent_code: None,
            departement: None,
            attributes: serde_json::json!({
                "type": e.kind, "membres": e.membres.iter().map(|m| &m.code).collect::<Vec<_>>(),
            }),
        };
        let (id, mut change) = zones.upsert(&mut s.tx, &record).await?;
        if let Some(p) = e.population_municipale {
            let c = zones
                .set_population(&mut s.tx, id, DEFAULT_VINTAGE, "TOTAL", p as f64)
                .await?;
            change = combine(change, c);
        }
        for m in &e.membres {
            // Membership is the commune's parent, set where the commune is known.
            communes
                .set_parent(&mut s.tx, ZoneKind::Commune, &m.code, Some(&e.code))
                .await?;
        }
        s.counts.record(change);
    }
    progress.rows(s.counts.rows_read, None);
    s.counts.removed = zones
        .mark_unseen_removed(&mut s.tx, ZoneKind::Epci, None)
        .await?;
    zones.finish(&mut s.tx).await?;
    communes.finish(&mut s.tx).await?;
    s.commit(None, serde_json::json!({})).await
}

//! FINESS: the extraction (`;`, Latin-1, `structureet` + `geolocalisation` records) or the ANS JSON flux.

use super::{Progress, date_in_file_name};
use crate::batch::Source;
use crate::session::{ImportNote, ImportReport, ImportSession};
use crate::supply::{self, Establishment};
use crate::{Result, Store, locations, territory};
use maillage_formats::finess::json::read_flux;
use maillage_formats::finess::read_extraction;
use maillage_formats::sniff::{FileKind, detect_file};
use maillage_formats::{FormatError, FormatErrorKind, FormatWarning, Location};
use std::collections::HashMap;
use std::path::Path;

pub async fn import(store: &Store, path: &Path, progress: &dyn Progress) -> Result<ImportReport> {
    let filter = territory::filter(store).await?;
    let read = read(path)?;
    let vintage = read.vintage.clone();
    let source = Source::of_file("finess", path, vintage.clone())?;
    let mut s = ImportSession::start(store, source).await?;
    for w in read.warnings {
        s.note(ImportNote::Format { warning: w });
    }
    let mut table = supply::establishments_table(&mut s.tx, s.batch_id).await?;
    let mut first_line: HashMap<String, u64> = HashMap::new();
    for (line, e) in read.establishments {
        s.counts.rows_read += 1;
        if let Some(first) = first_line.insert(e.finess_et.clone(), line) {
            return Err(FormatError::new(
                Location::file(path).line(line).field("nofinesset"),
                FormatErrorKind::DuplicateId {
                    id: e.finess_et,
                    first_line: first,
                },
            )
            .into());
        }
        if !filter.keeps(e.commune_code.as_deref(), e.postcode.as_deref()) {
            s.counts.filtered += 1;
            continue;
        }
        let change = table.put(&mut s.tx, &e.finess_et, e.values()).await?;
        s.counts.record(change);
        if table.wants_flush() {
            table.flush(&mut s.tx).await?;
        }
    }
    progress.rows(s.counts.rows_read, None);
    if read.complete {
        s.counts.removed = table.mark_unseen_removed(&mut s.tx).await?;
    } else {
        // The flux reports closures itself; what it does not mention is unchanged.
        table.flush(&mut s.tx).await?;
        for finess in &read.closed {
            let n = sqlx::query("UPDATE establishment SET removed_batch_id = $2 WHERE finess_et = $1 AND removed_batch_id IS NULL")
                .bind(finess)
                .bind(s.batch_id)
                .execute(&mut *s.tx)
                .await?
                .rows_affected();
            if n > 0 {
                s.counts.removed += n;
                s.note(ImportNote::ClosedEstablishment {
                    finess: finess.clone(),
                });
            }
        }
    }
    // Practice sites that name a FINESS establishment take its position.
    let geocoding = crate::geocoding::geocode_sites(&mut s.tx).await?;
    let located = locations::refresh(&mut s.tx).await?;
    s.commit(
        vintage,
        serde_json::json!({ "geocodage": geocoding, "localisation": located }),
    )
    .await
}

struct Read {
    /// (line or element number, establishment)
    establishments: Vec<(u64, Establishment)>,
    vintage: Option<String>,
    warnings: Vec<FormatWarning>,
    /// The extraction is the whole file of establishments: what it lacks has closed. The flux is not.
    complete: bool,
    /// Establishments the flux reports closed.
    closed: Vec<String>,
}

fn read(path: &Path) -> Result<Read> {
    if detect_file(path)? == Some(FileKind::FinessJson) {
        let flux = read_flux(path)?;
        let closed = flux
            .etablissements
            .iter()
            .filter(|e| !e.active)
            .map(|e| e.nofinesset.clone())
            .collect();
        let rows = flux
            .etablissements
            .into_iter()
            .filter(|e| e.active)
            .map(|e| {
                let address = [
                    e.numvoie.as_deref(),
                    e.typvoie.as_deref(),
                    e.voie.as_deref(),
                    e.lieudit.as_deref(),
                ]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" ");
                let line = e.pmej_index as u64 + 1;
                (
                    line,
                    Establishment {
                        finess_et: e.nofinesset,
                        finess_legal: e.nofinessej,
                        name: e.rs.clone().unwrap_or_default(),
                        long_name: e.rslongue,
                        address: (!address.is_empty()).then_some(address),
                        postcode: e.code_postal,
                        departement: e
                            .commune_insee
                            .as_deref()
                            .map(|c| c[..if c.starts_with("97") { 3 } else { 2 }].to_string()),
                        commune_code: e.commune_insee,
                        category_code: e.categetab,
                        siret: e.siret,
                        opened_on: e.dateouv,
                        position: e.position,
                        coordinates_source: e.position.map(|_| "flux FINESS (WGS84)".to_string()),
                        ..Default::default()
                    },
                )
            })
            .collect();
        return Ok(Read {
            establishments: rows,
            vintage: flux.generated_at.map(|d| d.chars().take(10).collect()),
            warnings: flux.warnings,
            complete: false,
            closed,
        });
    }
    let x = read_extraction(path)?;
    let rows = x
        .etablissements
        .into_iter()
        .map(|e| {
            let address = [
                e.numvoie.as_deref(),
                e.typvoie.as_deref(),
                e.voie.as_deref(),
                e.compvoie.as_deref(),
                e.lieuditbp.as_deref(),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
            let postcode = e.code_postal().map(str::to_string);
            (
                e.line,
                Establishment {
                    finess_et: e.nofinesset.clone(),
                    finess_legal: e.nofinessej.clone(),
                    name: e.rs.clone().unwrap_or_default(),
                    long_name: e.rslongue.clone(),
                    address: (!address.is_empty()).then_some(address),
                    postcode,
                    commune_code: e.commune_insee.clone(),
                    departement: e.departement.clone(),
                    phone: e.telephone.clone(),
                    category_code: e.categetab.clone(),
                    category_label: e.libcategetab.clone(),
                    category_group_code: e.categagretab.clone(),
                    category_group_label: e.libcategagretab.clone(),
                    siret: e.siret.clone(),
                    opened_on: e.dateouv.clone(),
                    updated_on: e.maj.clone(),
                    position: e.position.as_ref().map(|p| (p.lon, p.lat)),
                    coordinates_source: e.position.as_ref().map(|p| {
                        format!(
                            "{} (EPSG:{})",
                            p.source.clone().unwrap_or_default(),
                            p.crs.epsg()
                        )
                        .trim()
                        .to_string()
                    }),
                },
            )
        })
        .collect();
    Ok(Read {
        establishments: rows,
        vintage: x.extraction_date.or_else(|| date_in_file_name(path)),
        warnings: x.warnings,
        complete: true,
        closed: vec![],
    })
}

//! FINESS: the ANS JSON flux (the current source) or, for archives, the extraction (`;`, Latin-1, `structureet` +
//! `geolocalisation` records). Which one is told by the content.
//!
//! Both are full snapshots of the repertory: an establishment absent from the file has closed, and so has one the
//! flux reports inactive (`etatObjet` I), which also keeps its closing date (`closed_on`). Closed establishments
//! are marked removed, never deleted; what the commune added about them (`enrichment`) stays.

use super::{PROGRESS_EVERY, Progress, date_in_file_name};
use crate::batch::Source;
use crate::observatory::PHARMACY_CATEGORY;
use crate::rows::{HashedTable, key_digest};
use crate::session::{ImportNote, ImportReport, ImportSession};
use crate::supply::{self, Establishment};
use crate::territory::Filter as TerritoryFilter;
use crate::{Result, Store, locations, reference, territory};
use maillage_formats::crs::Crs;
use maillage_formats::finess::json::{CoordinateCase, FluxEtablissement, FluxReader, crs_key};
use maillage_formats::finess::{category_label, read_extraction};
use maillage_formats::sniff::{FileKind, detect_file};
use maillage_formats::{FormatError, FormatErrorKind, Location};
use maillage_indicators::professions::PHARMACY;
use std::collections::HashMap;
use std::path::Path;

pub async fn import(store: &Store, path: &Path, progress: &dyn Progress) -> Result<ImportReport> {
    if detect_file(path)? == Some(FileKind::FinessJson) {
        import_flux(store, path, progress).await
    } else {
        import_extraction(store, path, progress).await
    }
}

/// How the coordinates of the establishments kept were written, case by case (`details.coordonnees` of a flux
/// import): what each record's values turned out to be.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct CoordinateCounts {
    pub wgs84: u64,
    pub lambert93: u64,
    pub utm20n: u64,
    pub utm21n: u64,
    pub utm22n: u64,
    pub utm38s: u64,
    pub utm40s: u64,
    /// Pairs written northing (latitude) first, put back in order; also counted under their system.
    pub inversees: u64,
    pub sans_position: u64,
    /// Coordinates no system places in the commune's territory (imported without position).
    pub inconnues: u64,
}

impl CoordinateCounts {
    pub fn add(&mut self, case: CoordinateCase) {
        match case {
            CoordinateCase::Placed { crs, swapped } => {
                *match crs {
                    Crs::Wgs84 => &mut self.wgs84,
                    Crs::Lambert93 => &mut self.lambert93,
                    Crs::Utm20N => &mut self.utm20n,
                    Crs::Utm21N => &mut self.utm21n,
                    Crs::Utm22N => &mut self.utm22n,
                    Crs::Utm38S => &mut self.utm38s,
                    Crs::Utm40S => &mut self.utm40s,
                } += 1;
                self.inversees += u64::from(swapped);
            }
            CoordinateCase::Missing => self.sans_position += 1,
            CoordinateCase::Unknown => self.inconnues += 1,
        }
    }

    /// The counts recorded in an import's details, when it was a flux import.
    pub fn of_details(details: &serde_json::Value) -> Option<CoordinateCounts> {
        serde_json::from_value(details.get("coordonnees")?.clone()).ok()
    }
}

/// Writes one establishment of the snapshot (in force), refusing a number given twice in the file.
struct Snapshot {
    filter: TerritoryFilter,
    table: HashedTable,
    /// Digest of each establishment number read → where (line or element) it was first read.
    first_seen: HashMap<u128, u64>,
}

impl Snapshot {
    async fn start(store: &Store, s: &mut ImportSession) -> Result<Snapshot> {
        Ok(Snapshot {
            filter: territory::filter(store).await?,
            table: supply::establishments_table(&mut s.tx, s.batch_id).await?,
            first_seen: HashMap::new(),
        })
    }

    /// Counts the row read and refuses a second record of the same establishment.
    fn read(&mut self, s: &mut ImportSession, location: Location, id: &str) -> Result<()> {
        s.counts.rows_read += 1;
        // Where the first one was, as the message will say it: the element for the flux, the line otherwise.
        let here = location
            .feature
            .map(|f| f as u64 + 1)
            .or(location.line)
            .unwrap_or(0);
        if let Some(&first_line) = self.first_seen.get(&key_digest(id)) {
            return Err(FormatError::new(
                location.field("nofinesset"),
                FormatErrorKind::DuplicateId {
                    id: id.to_string(),
                    first_line,
                },
            )
            .into());
        }
        self.first_seen.insert(key_digest(id), here);
        Ok(())
    }

    async fn put(&mut self, s: &mut ImportSession, e: &Establishment) -> Result<()> {
        let change = self.table.put(&mut s.tx, &e.finess_et, e.values()).await?;
        s.counts.record(change);
        if self.table.wants_flush() {
            self.table.flush(&mut s.tx).await?;
        }
        Ok(())
    }

    /// Marks closed what the snapshot no longer holds; clears the closing date of what came back.
    async fn finish(mut self, s: &mut ImportSession) -> Result<()> {
        s.counts.removed += self.table.mark_unseen_removed(&mut s.tx).await?;
        sqlx::query(
            "UPDATE establishment SET closed_on = NULL WHERE removed_batch_id IS NULL AND closed_on IS NOT NULL",
        )
        .execute(s.tx.conn())
        .await?;
        Ok(())
    }
}

/// The ANS JSON flux, streamed one legal entity at a time.
async fn import_flux(store: &Store, path: &Path, progress: &dyn Progress) -> Result<ImportReport> {
    let mut reader = FluxReader::open(path)?;
    let source = Source::of_file(
        crate::imports::SourceKind::Finess.code(),
        path,
        date_in_file_name(path),
    )?;
    let mut s = ImportSession::start(store, source).await?;
    let mut snapshot = Snapshot::start(store, &mut s).await?;
    let mut cases = CoordinateCounts::default();
    let mut pharmacies = reference::Tally::default();
    while let Some(e) = reader.next_etablissement()? {
        let location = Location::file(path).line(e.line).feature(e.pmej_index);
        snapshot.read(&mut s, location, &e.nofinesset)?;
        if e.active {
            count_pharmacy(
                &mut pharmacies,
                e.categetab.as_deref(),
                e.commune_insee.as_deref(),
                &e.nofinesset,
            );
        }
        if s.counts.rows_read % PROGRESS_EVERY == 0 {
            progress.rows(s.counts.rows_read, None);
        }
        if !snapshot
            .filter
            .keeps(e.commune_insee.as_deref(), e.code_postal.as_deref())
        {
            s.counts.filtered += 1;
            continue;
        }
        cases.add(e.coordinates);
        if e.active {
            snapshot.put(&mut s, &flux_establishment(e)).await?;
        } else {
            close(&mut s, &mut snapshot.table, &e).await?;
        }
    }
    progress.rows(s.counts.rows_read, None);
    snapshot.finish(&mut s).await?;
    let vintage = reader
        .generated_at()
        .map(|d| d.chars().take(10).collect())
        .or_else(|| date_in_file_name(path));
    let geocoding = crate::geocoding::geocode_sites(&mut s.tx).await?;
    let located = locations::refresh(&mut s.tx).await?;
    let references = reference::record(&mut s, "finess", &pharmacies, &[PHARMACY]).await?;
    s.commit(
        vintage,
        serde_json::json!({
            "geocodage": geocoding,
            "localisation": located,
            "coordonnees": cases,
            "references": references,
        }),
    )
    .await
}

/// An establishment the flux reports inactive: marked removed with its closing date, when the store has it.
async fn close(
    s: &mut ImportSession,
    table: &mut HashedTable,
    e: &FluxEtablissement,
) -> Result<()> {
    let Some(newly) = table.mark_removed(&mut s.tx, &e.nofinesset).await? else {
        // Never imported: nothing to close, and a closed establishment is not worth adding.
        return Ok(());
    };
    if newly {
        s.counts.removed += 1;
        s.note(ImportNote::ClosedEstablishment {
            finess: e.nofinesset.clone(),
        });
    }
    if let Some(date) = &e.datefermeture {
        let date: String = date.chars().take(10).collect();
        sqlx::query(
            "UPDATE establishment SET closed_on = $2
             WHERE finess_et = $1 AND removed_batch_id IS NOT NULL AND (closed_on IS NULL OR closed_on <> $2)",
        )
        .bind(e.nofinesset.clone())
        .bind(date)
        .execute(s.tx.conn())
        .await?;
    }
    Ok(())
}

fn flux_establishment(e: FluxEtablissement) -> Establishment {
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
    let coordinates_source = match e.coordinates {
        CoordinateCase::Placed { crs, swapped } => Some(format!(
            "flux FINESS ({}{})",
            crs_label(crs),
            if swapped { ", X et Y inversés" } else { "" }
        )),
        _ => None,
    };
    Establishment {
        category_label: e
            .categetab
            .as_deref()
            .and_then(category_label)
            .map(str::to_string),
        finess_et: e.nofinesset,
        finess_legal: e.nofinessej,
        name: e.rs.clone().unwrap_or_default(),
        long_name: e.rslongue,
        address: (!address.is_empty()).then_some(address),
        postcode: e.code_postal,
        departement: e
            .commune_insee
            .as_deref()
            .filter(|c| c.len() >= 3)
            .map(|c| c[..if c.starts_with("97") { 3 } else { 2 }].to_string()),
        commune_code: e.commune_insee,
        category_code: e.categetab,
        siret: e.siret,
        opened_on: e.dateouv,
        position: e.position,
        coordinates_source,
        ..Default::default()
    }
}

/// Counts an establishment in force for its département and France when it is an officine (the observatory's
/// pharmacies, [`PHARMACY_CATEGORY`]).
fn count_pharmacy(
    tally: &mut reference::Tally,
    category: Option<&str>,
    commune: Option<&str>,
    finess: &str,
) {
    if category.map(str::trim) == Some(PHARMACY_CATEGORY) {
        tally.add(commune, PHARMACY, finess);
    }
}

/// How a coordinate system is named where users read where a position comes from.
fn crs_label(crs: maillage_formats::crs::Crs) -> String {
    match crs_key(crs) {
        "wgs84" => "WGS84".into(),
        "lambert93" => "Lambert-93".into(),
        _ => format!("UTM, EPSG:{}", crs.epsg()),
    }
}

/// The `;` extraction (archives up to May 2026): read whole (it joins geolocations found at the end of the
/// file), then written as a snapshot.
async fn import_extraction(
    store: &Store,
    path: &Path,
    progress: &dyn Progress,
) -> Result<ImportReport> {
    let x = read_extraction(path)?;
    let vintage = x
        .extraction_date
        .clone()
        .or_else(|| date_in_file_name(path));
    let source = Source::of_file(
        crate::imports::SourceKind::Finess.code(),
        path,
        vintage.clone(),
    )?;
    let mut s = ImportSession::start(store, source).await?;
    for w in x.warnings {
        s.note(ImportNote::Format { warning: w });
    }
    let mut snapshot = Snapshot::start(store, &mut s).await?;
    let mut pharmacies = reference::Tally::default();
    for e in x.etablissements {
        snapshot.read(&mut s, Location::file(path).line(e.line), &e.nofinesset)?;
        // The extraction holds establishments in force only.
        count_pharmacy(
            &mut pharmacies,
            e.categetab.as_deref(),
            e.commune_insee.as_deref(),
            &e.nofinesset,
        );
        let postcode = e.code_postal().map(str::to_string);
        if !snapshot
            .filter
            .keeps(e.commune_insee.as_deref(), postcode.as_deref())
        {
            s.counts.filtered += 1;
            continue;
        }
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
        let establishment = Establishment {
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
        };
        snapshot.put(&mut s, &establishment).await?;
    }
    progress.rows(s.counts.rows_read, None);
    snapshot.finish(&mut s).await?;
    // Practice sites that name a FINESS establishment take its position.
    let geocoding = crate::geocoding::geocode_sites(&mut s.tx).await?;
    let located = locations::refresh(&mut s.tx).await?;
    let references = reference::record(&mut s, "finess", &pharmacies, &[PHARMACY]).await?;
    s.commit(
        vintage,
        serde_json::json!({ "geocodage": geocoding, "localisation": located, "references": references }),
    )
    .await
}

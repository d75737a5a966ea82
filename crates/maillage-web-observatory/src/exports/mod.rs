//! Downloads of what the observatory shows: indicators by zone and profession, zones with their population,
//! the professionals one by one (roles allowed names only), the import history — in CSV (as French Excel opens
//! it, see [`spreadsheet`]) and XLSX — and the zones with their indicators for GIS software, in GeoJSON and
//! GeoPackage.
//!
//! Every export:
//! - takes the **same query parameters as the page that links to it** ([`Filters`]: `type` / `type_zone`,
//!   `profession`, `indicateur`, `commune`, `source`, `diffusion`, `seuil`); a parameter left out keeps
//!   everything;
//! - is cut to the caller's communes ([`data::zones_for`], [`data::indicator_rows`]) and under statistical
//!   secrecy when the caller may not see small counts or asks for `diffusion=1` ([`data::secrecy_for`]);
//! - needs the permission of the page that shows the table: [`Permission::ObservatoryRead`], or
//!   [`Permission::ProfessionalsList`] for names, [`Permission::ObservatoryImport`] for the import history;
//! - is written to the audit log (action [`Action::DataExported`]) with its file name, filters and row count;
//! - is named after the territory and the day: `maillage-indicateurs-bellerive-sur-clain-2026-11-24.csv`.
//!
//! Pages link to them with [`links`], which forwards the page's own query string (or the filters of one table).

pub mod layer;
pub mod spreadsheet;
pub mod table;

use crate::data;
use axum::extract::State;
use axum::http::{HeaderValue, Method, header};
use axum::response::{IntoResponse, Response};
use maillage_indicators::{Indicator, IndicatorRow, professions};
use maillage_store::audit::Action;
use maillage_store::zones::{Zone, ZoneKind};
use maillage_store::{batch, observatory, territory, zones};
use maillage_web_kit::audit;
use maillage_web_kit::auth::Caller;
use maillage_web_kit::error::WebError;
use maillage_web_kit::params::{Params, Query};
use maillage_web_kit::permissions::Permission;
use maillage_web_kit::routes::{Access, Routes};
use maillage_web_kit::state::AppState;
use maud::{Markup, html};
use serde_json::json;
use spreadsheet::Decimal;
use std::collections::HashMap;

/// What can be exported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dataset {
    /// Indicators by zone and profession.
    Indicators,
    /// Zones with their population (and, in GeoJSON / GeoPackage, their indicators).
    Zones,
    /// Professionals one by one.
    Professionals,
    /// The import history.
    Imports,
}

impl Dataset {
    pub fn slug(self) -> &'static str {
        match self {
            Dataset::Indicators => "indicateurs",
            Dataset::Zones => "zones",
            Dataset::Professionals => "professionnels",
            Dataset::Imports => "imports",
        }
    }

    /// The permission of the page that shows this table, needed for its download.
    pub fn permission(self) -> Permission {
        match self {
            Dataset::Indicators | Dataset::Zones => Permission::ObservatoryRead,
            Dataset::Professionals => Permission::ProfessionalsList,
            Dataset::Imports => Permission::ObservatoryImport,
        }
    }

    /// The formats offered for this dataset.
    pub fn formats(self) -> &'static [Format] {
        match self {
            Dataset::Zones => &[
                Format::Csv,
                Format::Xlsx,
                Format::GeoJson,
                Format::GeoPackage,
            ],
            _ => &[Format::Csv, Format::Xlsx],
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
    GeoJson,
    GeoPackage,
}

impl Format {
    pub fn extension(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
            Format::GeoJson => "geojson",
            Format::GeoPackage => "gpkg",
        }
    }

    fn content_type(self) -> &'static str {
        match self {
            Format::Csv => "text/csv; charset=utf-8",
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Format::GeoJson => "application/geo+json",
            Format::GeoPackage => "application/geopackage+sqlite3",
        }
    }

    /// How the link is labelled for people.
    fn label(self) -> &'static str {
        match self {
            Format::Csv => "CSV (Excel)",
            Format::Xlsx => "Classeur XLSX",
            Format::GeoJson => "GeoJSON",
            Format::GeoPackage => "GeoPackage (QGIS)",
        }
    }
}

/// The path of an export.
pub fn path(dataset: Dataset, format: Format) -> String {
    format!(
        "/observatoire/export/{}.{}",
        dataset.slug(),
        format.extension()
    )
}

/// The filters of an export, read from the same query parameters as the observatory's pages.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filters {
    pub zone_kind: Option<ZoneKind>,
    pub profession: Option<&'static str>,
    pub indicator: Option<Indicator>,
    /// A commune: the commune itself and the zones inside it.
    pub commune: Option<String>,
    /// For the import history: one source (`annuaire`, `finess`...).
    pub source: Option<String>,
    /// Figures to be shared outside the commune: statistical secrecy applies.
    pub diffusion: bool,
    pub threshold: Option<u32>,
    /// CSV decimals: a comma (French Excel) unless `decimales=point`.
    pub decimal_point: bool,
}

/// The query parameters [`Filters`] reads (and [`links`] forwards).
pub const FILTER_PARAMS: &[&str] = &[
    "type",
    "type_zone",
    "profession",
    "indicateur",
    "commune",
    "source",
    "diffusion",
    "seuil",
    "decimales",
];

impl Filters {
    pub fn from_params(q: &Params) -> Result<Filters, WebError> {
        let zone_kind = match q.get("type").or_else(|| q.get("type_zone")) {
            None => None,
            Some(k) => Some(ZoneKind::parse(k).ok_or_else(|| {
                WebError::BadRequest(format!(
                    "Type de zone inconnu « {k} » : choisissez commune, iris, quartier, qpv, epci ou \
                     arrondissement."
                ))
            })?),
        };
        let profession = match q.get("profession") {
            None => None,
            Some(p) => Some(
                professions::by_code(p)
                    .ok_or_else(|| WebError::BadRequest(format!("Profession inconnue « {p} ».")))?
                    .code,
            ),
        };
        let indicator = match q.get("indicateur") {
            None => None,
            Some(i) => Some(
                <Indicator as maillage_kit::codes::Coded>::parse(i)
                    .ok_or_else(|| WebError::BadRequest(format!("Indicateur inconnu « {i} ».")))?,
            ),
        };
        let threshold = match q.integer("seuil")? {
            None => None,
            Some(v) if (2..=100).contains(&v) => Some(v as u32),
            Some(_) => {
                return Err(WebError::BadRequest(
                    "« seuil » doit être compris entre 2 et 100.".into(),
                ));
            }
        };
        Ok(Filters {
            zone_kind,
            profession,
            indicator,
            commune: q.get("commune").map(str::to_string),
            source: q.get("source").map(str::to_string),
            diffusion: q.flag("diffusion"),
            threshold,
            decimal_point: q.get("decimales") == Some("point"),
        })
    }

    /// Whether a zone (by kind, code and parent) passes the zone filters.
    fn keeps(&self, kind: &str, code: &str, parent: Option<&str>) -> bool {
        self.zone_kind.is_none_or(|k| k.as_str() == kind)
            && self
                .commune
                .as_deref()
                .is_none_or(|c| code == c || parent == Some(c))
    }

    pub fn keeps_zone(&self, z: &Zone) -> bool {
        self.keeps(z.kind.as_str(), &z.code, z.parent_code.as_deref())
    }

    pub fn keeps_indicator(&self, r: &IndicatorRow) -> bool {
        self.keeps(&r.zone_kind, &r.zone_code, r.zone_parent.as_deref())
            && self.profession.is_none_or(|p| p == r.profession)
            && self.indicator.is_none_or(|i| i == r.indicator)
    }

    /// The filters in words, for the notes of an export.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(k) = self.zone_kind {
            parts.push(format!("type de zone : {}", k.as_str()));
        }
        if let Some(p) = self.profession.and_then(professions::by_code) {
            parts.push(format!("profession : {}", p.label));
        }
        if let Some(i) = self.indicator {
            parts.push(format!("indicateur : {}", table::indicator_label(i)));
        }
        if let Some(c) = &self.commune {
            parts.push(format!("commune : {c}"));
        }
        if let Some(s) = &self.source {
            parts.push(format!("source : {s}"));
        }
        if parts.is_empty() {
            "aucun (tout ce que le compte peut voir)".into()
        } else {
            parts.join(" ; ")
        }
    }
}

/// The query string of `q` restricted to the filters an export reads (nothing else of the page is forwarded).
pub fn filter_query(q: &Params) -> String {
    let mut s = form_urlencoded::Serializer::new(String::new());
    for (k, v) in &q.0 {
        if FILTER_PARAMS.contains(&k.as_str()) && !v.trim().is_empty() {
            s.append_pair(k, v.trim());
        }
    }
    s.finish()
}

/// Download links for a page: one per format of `dataset`, carrying the page's filters (`query`, its query
/// string or [`filters`]), shown only to a caller holding the dataset's permission (the file is then cut to
/// their communes and under the same secrecy as the page). Put it under the table it exports:
/// `(exports::links(&caller, Dataset::Indicators, "ce tableau", &q))`.
pub fn links(caller: &Caller, dataset: Dataset, what: &str, query: &Params) -> Markup {
    if !caller.has(dataset.permission()) {
        return html! {};
    }
    let qs = filter_query(query);
    html! {
        p.exports {
            "Télécharger " (what) " : "
            @for (i, f) in dataset.formats().iter().enumerate() {
                @if i > 0 { " · " }
                @let href = if qs.is_empty() { path(dataset, *f) } else { format!("{}?{qs}", path(dataset, *f)) };
                a href=(href) download { (f.label()) }
            }
        }
    }
}

/// The filters of a download link (`&[("commune", "99101")]`), when a table shows less than its page.
pub fn filters(pairs: &[(&str, &str)]) -> Params {
    Params(
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    )
}

const READ: Access = Access::Requires(Permission::ObservatoryRead);
const NAMES: Access = Access::Requires(Permission::ProfessionalsList);
/// The import history, for those who follow imports (as its page).
const IMPORTS: Access = Access::Requires(Permission::ObservatoryImport);

pub fn routes(r: Routes) -> Routes {
    // One literal path per file, so that the table of routes (and its role × route test) lists each.
    macro_rules! export {
        ($r:expr, $path:literal, $access:expr, $dataset:expr, $format:expr) => {
            $r.page(
                Method::GET,
                $path,
                $access,
                |s: State<AppState>, c: Caller, q: Query| export(s, c, q, $dataset, $format),
            )
        };
    }
    let r = export!(
        r,
        "/observatoire/export/indicateurs.csv",
        READ,
        Dataset::Indicators,
        Format::Csv
    );
    let r = export!(
        r,
        "/observatoire/export/indicateurs.xlsx",
        READ,
        Dataset::Indicators,
        Format::Xlsx
    );
    let r = export!(
        r,
        "/observatoire/export/zones.csv",
        READ,
        Dataset::Zones,
        Format::Csv
    );
    let r = export!(
        r,
        "/observatoire/export/zones.xlsx",
        READ,
        Dataset::Zones,
        Format::Xlsx
    );
    let r = export!(
        r,
        "/observatoire/export/zones.geojson",
        READ,
        Dataset::Zones,
        Format::GeoJson
    );
    let r = export!(
        r,
        "/observatoire/export/zones.gpkg",
        READ,
        Dataset::Zones,
        Format::GeoPackage
    );
    let r = export!(
        r,
        "/observatoire/export/professionnels.csv",
        NAMES,
        Dataset::Professionals,
        Format::Csv
    );
    let r = export!(
        r,
        "/observatoire/export/professionnels.xlsx",
        NAMES,
        Dataset::Professionals,
        Format::Xlsx
    );
    let r = export!(
        r,
        "/observatoire/export/imports.csv",
        IMPORTS,
        Dataset::Imports,
        Format::Csv
    );
    export!(
        r,
        "/observatoire/export/imports.xlsx",
        IMPORTS,
        Dataset::Imports,
        Format::Xlsx
    )
}

/// Lowercase ASCII words joined by hyphens, for file names: "Bellerive-sur-Clain (fictive)" gives
/// "bellerive-sur-clain-fictive".
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        let ascii = match c {
            'à' | 'â' | 'ä' | 'á' | 'ã' => "a",
            'é' | 'è' | 'ê' | 'ë' => "e",
            'î' | 'ï' | 'í' => "i",
            'ô' | 'ö' | 'ó' => "o",
            'ù' | 'û' | 'ü' | 'ú' => "u",
            'ÿ' => "y",
            'ç' => "c",
            'œ' => "oe",
            'æ' => "ae",
            c if c.is_ascii_alphanumeric() => {
                out.push(c);
                continue;
            }
            _ => "-",
        };
        if ascii == "-" {
            if !out.is_empty() && !out.ends_with('-') {
                out.push('-');
            }
        } else {
            out.push_str(ascii);
        }
    }
    let out = out.trim_end_matches('-').to_string();
    if out.is_empty() {
        "territoire".into()
    } else {
        out
    }
}

/// Today's date in the instance's time zone, as file names carry it: 2026-11-24.
pub fn today() -> String {
    maillage_kit::local_time::file_day(jiff::Timestamp::now())
}

/// The place an export is about: the filtered commune when there is one, else the territory.
async fn place_name(
    state: &AppState,
    filters: &Filters,
    zones: &[Zone],
) -> Result<String, WebError> {
    if let Some(c) = &filters.commune
        && let Some(z) = zones
            .iter()
            .find(|z| z.kind == ZoneKind::Commune && &z.code == c)
    {
        return Ok(z.name.clone());
    }
    Ok(territory::load(state.store())
        .await?
        .name
        .unwrap_or_else(|| "territoire".into()))
}

/// A file to download, named for the user's disk.
pub fn download(bytes: Vec<u8>, content_type: &'static str, file_name: &str) -> Response {
    let mut r = bytes.into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    // The name is ASCII by construction (see `slug`), so no RFC 5987 form is needed.
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{file_name}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    r
}

/// What one export produced.
struct Produced {
    bytes: Vec<u8>,
    rows: usize,
}

async fn export(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query,
    dataset: Dataset,
    format: Format,
) -> Result<Response, WebError> {
    let filters = Filters::from_params(&q)?;
    let secrecy = data::secrecy_for(&state, &caller, filters.diffusion, filters.threshold);
    let store = state.store();
    let visible: Vec<Zone> = data::zones_for(&state, &caller).await?;
    let place = place_name(&state, &filters, &visible).await?;
    let day = today();
    let sources = observatory::sources(store).await?;
    let snapshot = crate::data::figures::snapshot(&state).await?;
    let notes = table::notes(
        &place,
        &filters,
        secrecy,
        &sources,
        &maillage_web_kit::layout::date(&day),
        &snapshot.method_context,
    );
    let decimal = if filters.decimal_point {
        Decimal::Point
    } else {
        Decimal::Comma
    };
    let title = format!("Maillage — {} — {place}", dataset.slug());

    let produced = match (dataset, format) {
        (Dataset::Zones, Format::GeoJson | Format::GeoPackage) => {
            let kept: Vec<Zone> = visible
                .into_iter()
                .filter(|z| filters.keeps_zone(z))
                .collect();
            let rows = data::indicator_rows(&state, &caller, secrecy).await?;
            let kinds: Vec<ZoneKind> = {
                let mut k: Vec<ZoneKind> = kept.iter().map(|z| z.kind).collect();
                k.sort();
                k.dedup();
                k
            };
            let mut geometries: HashMap<i64, geo::MultiPolygon<f64>> =
                zones::geometries(store, &kinds)
                    .await?
                    .into_iter()
                    .map(|(id, _, _, g)| (id, g))
                    .collect();
            // Quartiers defined as unions of IRIS get the union's contour.
            if kinds.contains(&ZoneKind::Quartier) {
                for (id, g) in maillage_store::exports::quartier_contours(store).await? {
                    geometries.entry(id).or_insert(g);
                }
            }
            let layer = layer::zones_layer(&kept, &geometries, &rows, &filters, secrecy);
            let bytes = if format == Format::GeoJson {
                serde_json::to_vec(&layer::to_geojson(&layer, &notes)).unwrap_or_default()
            } else {
                maillage_store::gpkg::write(&layer, &title, &notes).await?
            };
            Produced {
                bytes,
                rows: kept.len(),
            }
        }
        _ => {
            let mut t = match dataset {
                Dataset::Indicators => {
                    let rows: Vec<IndicatorRow> = data::indicator_rows(&state, &caller, secrecy)
                        .await?
                        .into_iter()
                        .filter(|r| filters.keeps_indicator(r))
                        .collect();
                    table::indicators(&rows, secrecy, &snapshot.method_context)
                }
                Dataset::Zones => {
                    let kept: Vec<Zone> = visible
                        .into_iter()
                        .filter(|z| filters.keeps_zone(z))
                        .collect();
                    let zonage = maillage_store::imports::zonage::all(store)
                        .await?
                        .into_iter()
                        .map(|e| ((e.unit.clone(), e.code.clone()), e))
                        .collect();
                    table::zones(&kept, &zonage)
                }
                Dataset::Professionals => {
                    caller.require(Permission::ProfessionalsList)?;
                    let list: Vec<data::ProfessionalRow> =
                        data::professionals(store, &caller, filters.profession)
                            .await?
                            .into_iter()
                            .filter(|p| {
                                filters
                                    .commune
                                    .as_deref()
                                    .is_none_or(|c| p.commune_code.as_deref() == Some(c))
                            })
                            .collect();
                    table::professionals(&list)
                }
                Dataset::Imports => {
                    let list: Vec<batch::Batch> = batch::list(store)
                        .await?
                        .into_iter()
                        .filter(|b| filters.source.as_deref().is_none_or(|s| b.kind == s))
                        .collect();
                    table::imports(&list)
                }
            };
            t.notes = notes;
            let rows = t.rows.len();
            let bytes = match format {
                Format::Xlsx => spreadsheet::to_xlsx(&t, &title).map_err(|e| {
                    tracing::error!(error = %e, "XLSX export failed");
                    WebError::BadRequest(
                        "Le classeur n'a pas pu être produit (trop de lignes pour un classeur ?) ; \
                         essayez l'export CSV."
                            .into(),
                    )
                })?,
                _ => spreadsheet::to_csv(&t, decimal),
            };
            Produced { bytes, rows }
        }
    };

    let file_name = format!(
        "maillage-{}-{}-{day}.{}",
        dataset.slug(),
        slug(&place),
        format.extension()
    );
    audit::record(
        &state,
        &caller,
        Action::DataExported,
        &format!("export:{}", path(dataset, format)),
        json!({
            "fichier": file_name,
            "filtres": filter_query(&q),
            "secret_statistique": secrecy,
            "lignes": produced.rows,
        }),
    )
    .await?;
    Ok(download(produced.bytes, format.content_type(), &file_name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_plain_ascii() {
        assert_eq!(
            slug("Bellerive-sur-Clain (fictive)"),
            "bellerive-sur-clain-fictive"
        );
        assert_eq!(slug("Saint-Étienne"), "saint-etienne");
        assert_eq!(slug("Cœur d'Île"), "coeur-d-ile");
        assert_eq!(slug("  "), "territoire");
    }

    #[test]
    fn filters_are_read_from_the_page_query_and_bad_values_explained() {
        let q = Params::parse(
            b"type=iris&profession=infirmier&commune=99101&page=2&diffusion=1&seuil=10",
        );
        let f = Filters::from_params(&q).unwrap();
        assert_eq!(f.zone_kind, Some(ZoneKind::Iris));
        assert_eq!(f.profession, Some("infirmier"));
        assert_eq!(f.commune.as_deref(), Some("99101"));
        assert!(f.diffusion);
        assert_eq!(f.threshold, Some(10));
        // Only the filters are forwarded to export links.
        assert_eq!(
            filter_query(&q),
            "type=iris&profession=infirmier&commune=99101&diffusion=1&seuil=10"
        );
        for bad in [
            "type=ville",
            "profession=sorcier",
            "indicateur=x",
            "seuil=1",
        ] {
            match Filters::from_params(&Params::parse(bad.as_bytes())) {
                Err(WebError::BadRequest(m)) => assert!(!m.is_empty()),
                other => panic!("{bad}: {other:?}"),
            }
        }
    }
}

//! The "Tableau de bord santé": a report per commune and per quartier, as PDF (to put in a CLS or give to the
//! ARS) — key figures, a choropleth map, charts and tables of care supply, the method, the sources with their
//! dates, and the caveats. Served at `/observatoire/rapport/{commune|quartier}/{code}.pdf` and written by
//! `maillage rapport`; the same content is a web page at `/observatoire/rapport/{commune|quartier}/{code}`.
//!
//! The PDF is written by this crate ([`pdf`], on `pdf-writer`), with the Liberation Sans fonts compiled in and
//! embedded as subsets ([`font`]): no system font, no external program, and a light build. Maps and charts are
//! drawn on a [`canvas::Canvas`], which the PDF writer implements and [`canvas::SvgCanvas`] writes as SVG.
//!
//! Like every export, a report is cut to the caller's communes, under statistical secrecy for partners or
//! with `diffusion=1`, and written to the audit log.

pub use maillage_report::{canvas, chart, font, map, pdf};
pub mod document;
pub mod html;

use crate::data;
use crate::exports;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, Method, header};
use axum::response::{IntoResponse, Response};
use geo::MultiPolygon;
use maillage_indicators::IndicatorRow;
use maillage_indicators::professions::GP;
use maillage_store::accessibility::{self, Apl};
use maillage_store::audit::Action;
use maillage_store::batch::Batch;
use maillage_store::zones::{self, Zone, ZoneKind};
use maillage_store::{Store, observatory, territory};
use maillage_web_kit::audit;
use maillage_web_kit::auth::Caller;
use maillage_web_kit::error::WebError;
use maillage_web_kit::params::Query;
use maillage_web_kit::permissions::Permission;
use maillage_web_kit::routes::{Access, Routes};
use maillage_web_kit::scope::Scope;
use maillage_web_kit::state::AppState;
use maud::{Markup, html};
use serde_json::json;
use std::collections::HashMap;

/// What a report is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportKind {
    Commune,
    Quartier,
}

impl ReportKind {
    pub fn parse(s: &str) -> Option<ReportKind> {
        match s {
            "commune" => Some(ReportKind::Commune),
            "quartier" => Some(ReportKind::Quartier),
            _ => None,
        }
    }

    pub fn slug(self) -> &'static str {
        match self {
            ReportKind::Commune => "commune",
            ReportKind::Quartier => "quartier",
        }
    }

    fn zone_kind(self) -> ZoneKind {
        match self {
            ReportKind::Commune => ZoneKind::Commune,
            ReportKind::Quartier => ZoneKind::Quartier,
        }
    }
}

/// Everything a report shows, read once.
pub struct Report {
    pub kind: ReportKind,
    /// The commune or quartier the report is about.
    pub subject: Zone,
    /// Its commune (the subject itself for a commune report).
    pub commune: Zone,
    pub territory: Option<String>,
    /// The day it was made (31/12/2026).
    pub date: String,
    pub secrecy: Option<u32>,
    /// The base holds the fictional demonstration territory.
    pub demo: bool,
    /// The commune and the zones inside it (IRIS, quartiers, QPV...).
    pub zones: Vec<Zone>,
    /// Indicators of those zones (under secrecy when it applies).
    pub rows: Vec<IndicatorRow>,
    pub geometries: HashMap<i64, MultiPolygon<f64>>,
    /// The IRIS codes of the quartiers defined as unions of IRIS, by quartier id.
    pub quartier_iris: std::collections::BTreeMap<i64, Vec<String>>,
    pub sources: Vec<Batch>,
    /// The DREES APL to general practitioners of the commune, when imported.
    pub apl: Option<Apl>,
    /// Which GPs count and how places were located (see `observatory::method_context`).
    pub method_context: String,
    /// The streets, water and places of the commune, drawn under the map.
    pub background: Vec<maillage_kit::basemap::MapFeature>,
}

impl Report {
    /// The indicator of a zone for a profession.
    pub fn row(
        &self,
        indicator: maillage_indicators::Indicator,
        zone: &Zone,
        profession: &str,
    ) -> Option<&IndicatorRow> {
        self.rows.iter().find(|r| {
            r.indicator == indicator
                && r.zone_kind == zone.kind.as_str()
                && r.zone_code == zone.code
                && r.profession == profession
        })
    }

    /// The zones of a kind inside the commune, by code.
    pub fn zones_of(&self, kind: ZoneKind) -> Vec<&Zone> {
        self.zones.iter().filter(|z| z.kind == kind).collect()
    }

    /// The file name of the report: `maillage-tableau-de-bord-<lieu>-<date>.pdf`.
    pub fn file_name(&self) -> String {
        format!(
            "maillage-tableau-de-bord-{}-{}.pdf",
            exports::slug(&self.subject.name),
            exports::today()
        )
    }
}

/// Reads what the report on `kind` / `code` shows, for the communes of `scope`. NotFound when the zone does
/// not exist or lies outside the scope.
pub async fn gather(
    store: &Store,
    scope: &Scope,
    secrecy: Option<u32>,
    demo: bool,
    kind: ReportKind,
    code: &str,
) -> Result<Report, WebError> {
    let visible = data::zones_in(store, scope).await?;
    let subject = visible
        .iter()
        .find(|z| z.kind == kind.zone_kind() && z.code == code)
        .cloned()
        .ok_or(WebError::NotFound)?;
    let commune_code = match kind {
        ReportKind::Commune => subject.code.clone(),
        ReportKind::Quartier => subject.parent_code.clone().ok_or(WebError::NotFound)?,
    };
    let commune = visible
        .iter()
        .find(|z| z.kind == ZoneKind::Commune && z.code == commune_code)
        .cloned()
        .ok_or(WebError::NotFound)?;
    let inside =
        |z: &Zone| z.code == commune_code || z.parent_code.as_deref() == Some(&commune_code);
    let zones: Vec<Zone> = visible.into_iter().filter(|z| inside(z)).collect();
    let rows: Vec<IndicatorRow> = data::indicator_rows_in(store, scope, secrecy)
        .await?
        .into_iter()
        .filter(|r| r.zone_code == commune_code || r.zone_parent.as_deref() == Some(&commune_code))
        .collect();
    let ids: std::collections::HashSet<i64> = zones.iter().map(|z| z.id).collect();
    let geometries = zones::geometries(
        store,
        &[
            ZoneKind::Commune,
            ZoneKind::Iris,
            ZoneKind::Quartier,
            ZoneKind::Qpv,
        ],
    )
    .await?
    .into_iter()
    .filter(|(id, ..)| ids.contains(id))
    .map(|(id, _, _, g)| (id, g))
    .collect::<HashMap<i64, MultiPolygon<f64>>>();
    // Quartiers defined as unions of IRIS get the union's contour.
    let mut geometries = geometries;
    for (id, g) in maillage_store::exports::quartier_contours(store).await? {
        if ids.contains(&id) {
            geometries.entry(id).or_insert(g);
        }
    }
    let quartier_iris = maillage_store::exports::quartier_iris(store)
        .await?
        .into_iter()
        .filter(|(id, _)| ids.contains(id))
        .collect();
    let background = match geometries.get(&commune.id).and_then(crate::basemap::box_of) {
        Some(area) => crate::basemap::features_for(store, area).await?,
        None => Vec::new(),
    };
    let apl = accessibility::apl(store, GP)
        .await?
        .into_iter()
        .find(|a| a.commune_code == commune_code);
    Ok(Report {
        kind,
        subject,
        commune,
        territory: territory::load(store).await?.name,
        date: maillage_web_kit::layout::date(&exports::today()),
        secrecy,
        demo,
        zones,
        rows,
        geometries,
        quartier_iris,
        sources: observatory::sources(store).await?,
        apl,
        method_context: maillage_messages::indicators::method_context(
            &observatory::method_context(store).await?,
        ),
        background,
    })
}

pub fn routes(r: Routes) -> Routes {
    r.page(
        Method::GET,
        "/observatoire/rapport/{type}/{fichier}",
        Access::Requires(Permission::ObservatoryRead),
        report_pdf,
    )
}

/// The path of a report's PDF.
pub fn path(kind: ReportKind, code: &str) -> String {
    let code: String = form_urlencoded::byte_serialize(code.as_bytes()).collect();
    format!("/observatoire/rapport/{}/{code}.pdf", kind.slug())
}

/// The query flag of a report's PDF that asks for a file to save rather than a page to read.
const DOWNLOAD: &str = "telechargement";

/// The path of a report's PDF as a file to save (the pages' "Télécharger le tableau de bord (PDF)").
pub fn download_path(kind: ReportKind, code: &str) -> String {
    format!("{}?{DOWNLOAD}=1", path(kind, code))
}

/// Links to the reports of the communes and quartiers among `zones` (a page's visible zones), as web pages and
/// PDF, for the observatory's pages.
pub fn links(zones: &[Zone]) -> Markup {
    let listed: Vec<(ReportKind, &Zone)> = zones
        .iter()
        .filter_map(|z| match z.kind {
            ZoneKind::Commune => Some((ReportKind::Commune, z)),
            ZoneKind::Quartier => Some((ReportKind::Quartier, z)),
            _ => None,
        })
        .collect();
    html! {
        @if !listed.is_empty() {
            section.rapports aria-labelledby="titre-rapports" {
                h2 #titre-rapports { "Tableaux de bord santé" }
                ul {
                    @for (kind, z) in &listed {
                        li {
                            a href=(page_path(*kind, &z.code)) {
                                @if *kind == ReportKind::Commune { "Commune : " } @else { "Quartier : " }
                                (z.name)
                            }
                            " ("
                            a href=(path(*kind, &z.code)) download aria-label=(format!("PDF du tableau de bord : {}", z.name)) { "PDF" }
                            ")"
                        }
                    }
                }
            }
        }
    }
}

/// The web page of a report.
pub fn page_path(kind: ReportKind, code: &str) -> String {
    let code: String = form_urlencoded::byte_serialize(code.as_bytes()).collect();
    format!("/observatoire/rapport/{}/{code}", kind.slug())
}

/// `{code}.pdf`: the PDF (audited as an export); `{code}`: the same report as a web page.
async fn report_pdf(
    State(state): State<AppState>,
    caller: Caller,
    Path((kind, file)): Path<(String, String)>,
    Query(q): Query,
) -> Result<Response, WebError> {
    let kind = ReportKind::parse(&kind).ok_or(WebError::NotFound)?;
    let (code, pdf) = match file.strip_suffix(".pdf") {
        Some(code) => (code, true),
        None if !file.contains('.') => (file.as_str(), false),
        None => return Err(WebError::NotFound),
    };
    let filters = exports::Filters::from_params(&q)?;
    let secrecy = data::secrecy_for(&state, &caller, filters.diffusion, filters.threshold);
    let report = gather(
        state.store(),
        &caller.scope(),
        secrecy,
        state.is_demo(),
        kind,
        code,
    )
    .await?;
    if !pdf {
        return Ok(html::page_of(&state, &caller, &report).into_response());
    }
    let bytes = document::render(&report);
    let name = report.file_name();
    audit::record(
        &state,
        &caller,
        Action::DataExported,
        &format!("rapport:{}", path(kind, code)),
        json!({ "fichier": name, "secret_statistique": secrecy, "octets": bytes.len() }),
    )
    .await?;
    let mut r = exports::download(bytes, "application/pdf", &name);
    // Shown in the browser, and saved under its name; a download link ([`download_path`]) asks for the file.
    if !q.flag(DOWNLOAD)
        && let Ok(v) = HeaderValue::from_str(&format!("inline; filename=\"{name}\""))
    {
        r.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(r)
}

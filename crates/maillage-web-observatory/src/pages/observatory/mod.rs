//! The observatory in the browser: a dashboard of the caller's territory, a map with choropleths of any
//! indicator, points of care and isochrones (with a table that stands in for it without JavaScript), zone pages
//! (commune, quartier, IRIS, QPV) with tables and charts, and the comparison of QPV with the rest of their
//! commune. The map's data comes from GeoJSON endpoints under `/api/v1/geo/`.
//!
//! Every figure says its source, its date and its method; small counts are hidden for callers who may not see
//! them ([`crate::data::secrecy_for`]); names of professionals only reach roles allowed to list them, and every
//! such listing is audited. Figures are computed once per data version ([`crate::data::figures`]).

pub mod charts;
pub mod choropleth;
pub mod classes;
mod dashboard;
mod geo;
mod map;
pub mod public;
mod qpv;
mod reference;
pub(crate) mod zonage;
mod zone;

use axum::http::Method;
use maillage_indicators::IndicatorRow;
use maillage_store::batch::Batch;
use maillage_store::zones::{PopulationMethod, Zone};
use maillage_web_kit::layout::{date, number};
use maillage_web_kit::permissions::Permission;
use maillage_web_kit::routes::{Access, Routes};
use maillage_web_kit::state::AppState;
use maud::{Markup, html};

pub(crate) const READ: Access = Access::Requires(Permission::ObservatoryRead);

pub fn routes(r: Routes) -> Routes {
    let r = r
        .page(Method::GET, "/observatoire", READ, dashboard::page)
        .page(Method::GET, "/observatoire/carte", READ, map::page)
        .page(Method::GET, "/observatoire/qpv", READ, qpv::page)
        .page(
            Method::GET,
            "/observatoire/zones/{type}/{code}",
            READ,
            zone::page,
        )
        .page(Method::GET, public::PATH, Access::Public, public::page);
    zonage::routes(geo::routes(r))
}

pub fn zone_kind_label(kind: &str) -> &'static str {
    match kind {
        "region" => "Régions",
        "departement" => "Départements",
        "epci" => "Intercommunalités (EPCI)",
        "territoire" => "Ensemble du territoire",
        "commune" => "Communes",
        "arrondissement" => "Arrondissements municipaux",
        "iris" => "IRIS",
        "quartier" => "Quartiers",
        "qpv" => "Quartiers prioritaires (QPV)",
        _ => "Autres zones",
    }
}

/// The kind of a zone in the singular, for headings ("IRIS", "Quartier prioritaire"...).
pub fn zone_kind_singular(kind: &str) -> &'static str {
    match kind {
        "region" => "Région",
        "departement" => "Département",
        "epci" => "Intercommunalité",
        "territoire" => "Territoire",
        "commune" => "Commune",
        "arrondissement" => "Arrondissement municipal",
        "iris" => "IRIS",
        "quartier" => "Quartier",
        "qpv" => "Quartier prioritaire (QPV)",
        _ => "Zone",
    }
}

/// The address of a zone's page.
pub fn zone_href(z: &Zone) -> String {
    let path: String = form_urlencoded::byte_serialize(z.code.as_bytes()).collect();
    format!("/observatoire/zones/{}/{path}", z.kind.as_str())
}

/// A figure of an indicator row as shown: the value, "—" when it cannot be computed, and under secrecy "< k"
/// for a count below the threshold, "secret" for anything else hidden (a density is not "below k").
pub fn shown(row: Option<&IndicatorRow>, decimals: usize, secrecy: Option<u32>) -> String {
    match row {
        Some(r) if r.is_secret() => r.secret_text(secrecy.unwrap_or(5)).unwrap_or_default(),
        Some(IndicatorRow { value: Some(v), .. }) => number(*v, decimals),
        _ => "—".into(),
    }
}

/// The value of an indicator row to draw in a chart (None when hidden or not computable).
pub fn drawn(row: Option<&IndicatorRow>) -> Option<f64> {
    row.filter(|r| !r.is_secret()).and_then(|r| r.value)
}

pub(crate) fn secrecy_note(secrecy: Option<u32>) -> Markup {
    html! {
        @if let Some(t) = secrecy {
            div.message.info role="note" {
                p {
                    strong { "Secret statistique : " }
                    "les effectifs inférieurs à " (t) ", zéro compris, sont remplacés par « < " (t) " » ; les densités calculées \
                     à partir d'eux, et les valeurs qui permettraient de les retrouver par différence avec les \
                     totaux, par « secret »."
                }
            }
        }
    }
}

pub use maillage_messages::imports::source_label;

pub(crate) fn sources_section(sources: &[Batch]) -> Markup {
    html! {
        h2 { "Sources et dates" }
        @if sources.is_empty() {
            p { "Aucune donnée importée pour l'instant." }
        } @else {
            table {
                caption { "Derniers imports de chaque source utilisée" }
                thead { tr {
                    th scope="col" { "Source" } th scope="col" { "Fichier" } th scope="col" { "Millésime" }
                    th scope="col" { "Importé le" } th scope="col" { "Lignes lues" }
                } }
                tbody {
                    @for b in sources {
                        tr {
                            td { (source_label(&b.kind)) }
                            td { (b.file_name) }
                            td { (b.vintage.as_deref().unwrap_or("—")) }
                            td { (date(&b.imported_at)) }
                            td.nombre { (number(b.counts.rows_read as f64, 0)) }
                        }
                    }
                }
            }
        }
    }
}

/// The limits every page of figures recalls (docs/produit.md §1, « Des indicateurs honnêtes »), and the
/// fictional-data warning.
pub(crate) fn caveats(state: &AppState, extra: &[&str]) -> Markup {
    html! {
        h2 { "Limites des données" }
        @if state.is_demo() {
            div.message.info role="note" {
                p {
                    strong { "Données fictives : " }
                    "ce territoire de démonstration, ses habitants, ses professionnels et ses établissements sont \
                     inventés. Aucun chiffre de cette page ne décrit un lieu réel."
                }
            }
        }
        ul {
            li {
                "Les lieux d'exercice de l'Annuaire santé n'ont pas de coordonnées : ils sont placés par \
                 géocodage de leur adresse (Base adresse nationale) ou par la position FINESS de l'établissement \
                 qu'ils citent. Une adresse non trouvée laisse le lieu hors des zones plus fines que la commune."
            }
            li {
                "Un professionnel compte une fois par zone, quel que soit son nombre de lieux d'exercice ; il \
                 compte dans chaque zone où il exerce. Les effectifs ne disent ni le temps de travail ni \
                 l'activité réelle."
            }
            li {
                "Les populations sont celles du millésime indiqué (INSEE) ; celles des quartiers sont la somme de \
                 leurs IRIS, celles des zones dessinées une répartition au prorata de la surface."
            }
            @for e in extra { li { (e) } }
        }
    }
}

/// How a zone's population was obtained, in words.
pub fn population_method_label(m: PopulationMethod) -> &'static str {
    match m {
        PopulationMethod::Published => "publiée",
        PopulationMethod::SumOfIris => "somme des IRIS",
        PopulationMethod::AreaWeighted => "répartie au prorata de la surface",
    }
}

pub(crate) fn population_text(z: &Zone) -> String {
    match &z.population {
        Some(p) => format!("{} (millésime {})", number(p.value, 0), p.vintage),
        None => "inconnue".into(),
    }
}

/// The scripts and style sheet of the map, put in the page of a map only.
pub(crate) fn map_assets() -> Markup {
    html! {
        link rel="stylesheet" href="/static/vendor/leaflet/leaflet.css";
        script src="/static/vendor/leaflet/leaflet.js" defer {}
        script src="/static/carte.js" defer {}
    }
}

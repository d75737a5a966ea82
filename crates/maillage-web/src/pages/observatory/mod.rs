//! The observatory's base pages: a dashboard of the caller's territory, and the zones with their indicators in
//! a table (the map is drawn on top of this page by the cartography module). Every figure says its source, its
//! date and its method; small counts are hidden for callers who may not see them.

use crate::auth::Caller;
use crate::data;
use crate::error::WebError;
use crate::layout::{PageMeta, date, number, page};
use crate::params::Query;
use crate::permissions::Permission;
use crate::routes::{Access, Routes};
use crate::state::AppState;
use axum::extract::State;
use axum::http::Method;
use maillage_indicators::professions::GP;
use maillage_indicators::{Indicator, IndicatorRow, PROFESSIONS, Recourse};
use maillage_store::zones::{Zone, ZoneKind};
use maillage_store::{observatory, territory};
use maud::{Markup, html};
use std::collections::BTreeMap;

pub fn routes(r: Routes) -> Routes {
    r.page(
        Method::GET,
        "/observatoire",
        Access::Requires(Permission::ObservatoryRead),
        dashboard,
    )
    .page(
        Method::GET,
        "/observatoire/carte",
        Access::Requires(Permission::ObservatoryRead),
        zones_table,
    )
}

pub fn zone_kind_label(kind: &str) -> &'static str {
    match kind {
        "region" => "Régions",
        "departement" => "Départements",
        "epci" => "Intercommunalités (EPCI)",
        "commune" => "Communes",
        "arrondissement" => "Arrondissements municipaux",
        "iris" => "IRIS",
        "quartier" => "Quartiers",
        "qpv" => "Quartiers prioritaires (QPV)",
        _ => "Autres zones",
    }
}

/// A figure of an indicator row as shown: the value, "< k" under secrecy, "—" when it cannot be computed.
pub fn shown(row: Option<&IndicatorRow>, decimals: usize, secrecy: Option<u32>) -> String {
    match row {
        Some(r) if r.suppressed => format!("< {}", secrecy.unwrap_or(5)),
        Some(IndicatorRow { value: Some(v), .. }) => number(*v, decimals),
        _ => "—".into(),
    }
}

fn secrecy_note(secrecy: Option<u32>) -> Markup {
    html! {
        @if let Some(t) = secrecy {
            div.message.info role="note" {
                p {
                    strong { "Secret statistique : " }
                    "les effectifs inférieurs à " (t) " sont remplacés par « < " (t) " », ainsi que les densités \
                     calculées à partir d'eux et les valeurs qui permettraient de les retrouver par différence."
                }
            }
        }
    }
}

fn sources_section(sources: &[maillage_store::batch::Batch]) -> Markup {
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
                            td { (b.kind) }
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

fn population_text(z: &Zone) -> String {
    match &z.population {
        Some(p) => format!("{} (millésime {})", number(p.value, 0), p.vintage),
        None => "inconnue".into(),
    }
}

async fn dashboard(State(state): State<AppState>, caller: Caller) -> Result<Markup, WebError> {
    let store = state.store();
    let secrecy = data::secrecy_for(&state, &caller, false, None);
    let rows = data::indicator_rows(&state, &caller, secrecy).await?;
    let zones = data::zones_for(store, &caller).await?;
    let territory = territory::load(store).await?;
    let sources = observatory::sources(store).await?;
    let communes: Vec<&Zone> = zones
        .iter()
        .filter(|z| z.kind == ZoneKind::Commune)
        .collect();
    let mut kinds: BTreeMap<ZoneKind, usize> = BTreeMap::new();
    for z in &zones {
        *kinds.entry(z.kind).or_default() += 1;
    }
    let find = |indicator: Indicator, code: &str, profession: &str| {
        rows.iter().find(|r| {
            r.indicator == indicator
                && r.zone_kind == "commune"
                && r.zone_code == code
                && r.profession == profession
        })
    };
    let content = html! {
        (secrecy_note(secrecy))
        h2 { "Territoire" }
        p { "Territoire servi : " strong { (territory.name.as_deref().unwrap_or("non nommé")) } "." }
        @if zones.is_empty() {
            p { "Aucune zone de votre territoire n'est encore dans la base (ou aucun territoire ne vous est attribué)." }
        } @else {
            ul {
                @for (kind, n) in &kinds {
                    li { (zone_kind_label(kind.as_str())) " : " (n) }
                }
            }
        }
        @for c in &communes {
            h2 { "Professionnels de santé — " (c.name) " (" (c.code) ")" }
            p { "Population : " (population_text(c)) "." }
            table {
                caption { "Professionnels exerçant dans la commune, par profession" }
                thead { tr {
                    th scope="col" { "Profession" } th scope="col" { "Recours" }
                    th scope="col" { "Effectif" } th scope="col" { "Densité pour 10 000 habitants" }
                } }
                tbody {
                    @for p in PROFESSIONS {
                        tr {
                            th scope="row" { (p.label) }
                            td { @if p.recourse == Recourse::First { "premier" } @else { "second" } }
                            td.nombre { (shown(find(Indicator::Count, &c.code, p.code), 0, secrecy)) }
                            td.nombre { (shown(find(Indicator::Per10k, &c.code, p.code), 1, secrecy)) }
                        }
                    }
                }
            }
        }
        p { a href="/observatoire/carte" { "Voir toutes les zones et leurs indicateurs" } }
        h2 { "Méthodes" }
        dl {
            dt { "Effectif" } dd { (Indicator::Count.method()) }
            dt { "Densité pour 10 000 habitants" } dd { (Indicator::Per10k.method()) }
        }
        (sources_section(&sources))
    };
    Ok(page(
        &state,
        Some(&caller),
        PageMeta {
            title: "Observatoire",
            current: "/observatoire",
        },
        content,
    ))
}

async fn zones_table(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query,
) -> Result<Markup, WebError> {
    let store = state.store();
    let secrecy = data::secrecy_for(&state, &caller, false, None);
    let zones = data::zones_for(store, &caller).await?;
    let rows = data::indicator_rows(&state, &caller, secrecy).await?;
    let sources = observatory::sources(store).await?;
    let mut kinds: Vec<ZoneKind> = zones.iter().map(|z| z.kind).collect();
    kinds.sort();
    kinds.dedup();
    let default_kind = if kinds.contains(&ZoneKind::Iris) {
        ZoneKind::Iris
    } else {
        kinds.first().copied().unwrap_or(ZoneKind::Commune)
    };
    let kind = q
        .get("type")
        .and_then(ZoneKind::parse)
        .filter(|k| kinds.contains(k))
        .unwrap_or(default_kind);
    let profession = q
        .get("profession")
        .and_then(maillage_indicators::professions::by_code)
        .map_or(GP, |p| p.code);
    let profession_label =
        maillage_indicators::professions::by_code(profession).map_or("", |p| p.label);
    let mut index: BTreeMap<(Indicator, &str), &IndicatorRow> = BTreeMap::new();
    for r in rows
        .iter()
        .filter(|r| r.zone_kind == kind.as_str() && r.profession == profession)
    {
        index.insert((r.indicator, r.zone_code.as_str()), r);
    }
    let shown_zones: Vec<&Zone> = zones.iter().filter(|z| z.kind == kind).collect();
    let content = html! {
        (secrecy_note(secrecy))
        form.filtres method="get" action="/observatoire/carte" {
            div.champ {
                label for="type" { "Type de zone" }
                select #type name="type" {
                    @for k in &kinds {
                        option value=(k.as_str()) selected[*k == kind] { (zone_kind_label(k.as_str())) }
                    }
                }
            }
            div.champ {
                label for="profession" { "Profession" }
                select #profession name="profession" {
                    @for p in PROFESSIONS {
                        option value=(p.code) selected[p.code == profession] { (p.label) }
                    }
                }
            }
            button type="submit" { "Afficher" }
        }
        @if shown_zones.is_empty() {
            p { "Aucune zone de ce type dans votre territoire." }
        } @else {
            table {
                caption { (profession_label) " — " (zone_kind_label(kind.as_str())) " (" (shown_zones.len()) " zones)" }
                thead { tr {
                    th scope="col" { "Code" } th scope="col" { "Zone" } th scope="col" { "Population" }
                    th scope="col" { "Effectif" } th scope="col" { "Densité pour 10 000 hab." }
                    th scope="col" { "Densité pour 100 000 hab." }
                } }
                tbody {
                    @for z in &shown_zones {
                        tr {
                            td { (z.code) }
                            th scope="row" { (z.name) }
                            td.nombre { (population_text(z)) }
                            td.nombre { (shown(index.get(&(Indicator::Count, z.code.as_str())).copied(), 0, secrecy)) }
                            td.nombre { (shown(index.get(&(Indicator::Per10k, z.code.as_str())).copied(), 1, secrecy)) }
                            td.nombre { (shown(index.get(&(Indicator::Per100k, z.code.as_str())).copied(), 0, secrecy)) }
                        }
                    }
                }
            }
            p.aide { "« — » : valeur non calculable (population de la zone inconnue)." }
        }
        h2 { "Méthodes" }
        dl {
            dt { "Effectif" } dd { (Indicator::Count.method()) }
            dt { "Densités" } dd { (Indicator::Per10k.method()) " " (Indicator::Per100k.method()) }
        }
        (sources_section(&sources))
    };
    Ok(page(
        &state,
        Some(&caller),
        PageMeta {
            title: "Zones et indicateurs",
            current: "/observatoire/carte",
        },
        content,
    ))
}

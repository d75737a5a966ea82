//! The public indicators (`/indicateurs`): what anyone may read of the observatory, logged in or not — for the
//! territory, its intercommunality and each commune, the professionals by profession and their density, always
//! under statistical secrecy at the instance's threshold (the same suppression as a partner's pages, exports and
//! API: one suppressed table, cut afterwards), beside the département and France. No name, no IRIS, nothing of
//! the commune's own enrichment.

use super::reference::Beside;
use super::{caveats, population_text, secrecy_note, shown, sources_section};
use crate::data::figures::{self, Snapshot};
use axum::extract::State;
use maillage_indicators::{Indicator, IndicatorRow, PROFESSIONS};
use maillage_store::observatory;
use maillage_store::zones::{Zone, ZoneKind};
use maillage_web_kit::auth::MaybeCaller;
use maillage_web_kit::error::WebError;
use maillage_web_kit::layout::{PageMeta, page as layout_page};
use maillage_web_kit::scope::Scope;
use maillage_web_kit::state::AppState;
use maud::{Markup, html};
use std::collections::BTreeSet;

/// The path of the page.
pub const PATH: &str = "/indicateurs";

/// Every commune of the territory, as a visitor reads it.
fn everyone() -> Scope {
    Scope {
        all: true,
        communes: BTreeSet::new(),
    }
}

/// The public rows: the territory's zones (never the buffer), under secrecy at the instance's threshold.
pub fn public_rows(state: &AppState, snapshot: &Snapshot) -> Vec<IndicatorRow> {
    let mut rows = snapshot.rows_in(&everyone(), Some(state.config().secrecy_threshold));
    rows.retain(|r| !r.buffer && matches!(r.zone_kind.as_str(), "commune" | "epci" | "territoire"));
    rows
}

/// The communes of the territory, by name.
pub fn public_communes(snapshot: &Snapshot) -> Vec<&Zone> {
    let scope = everyone();
    let mut communes: Vec<&Zone> = snapshot
        .zones_in(&scope)
        .into_iter()
        .filter(|z| z.kind == ZoneKind::Commune)
        .collect();
    communes.sort_by(|a, b| a.name.cmp(&b.name));
    communes
}

pub(super) async fn page(
    State(state): State<AppState>,
    MaybeCaller(caller): MaybeCaller,
) -> Result<Markup, WebError> {
    let snapshot = figures::snapshot(&state).await?;
    let threshold = state.config().secrecy_threshold;
    let rows = public_rows(&state, &snapshot);
    let communes = public_communes(&snapshot);
    let sources = observatory::sources(state.store()).await?;
    let find = |i: Indicator, kind: &str, code: &str, p: &str| {
        rows.iter().find(|r| {
            r.indicator == i && r.zone_kind == kind && r.zone_code == code && r.profession == p
        })
    };
    // The territory and its intercommunality first, then each commune.
    let mut groups: Vec<(String, String, String)> = Vec::new();
    for r in rows.iter().filter(|r| r.zone_kind != "commune") {
        if !groups
            .iter()
            .any(|g| g.0 == r.zone_kind && g.1 == r.zone_code)
        {
            groups.push((
                r.zone_kind.clone(),
                r.zone_code.clone(),
                r.zone_name.clone(),
            ));
        }
    }
    groups.sort_by_key(|g| g.0 != "territoire");
    let table = |kind: &str, code: &str, caption: &str, beside: &Beside| {
        html! {
            div.defilement {
                table {
                    caption { (caption) }
                    thead { tr {
                        th scope="col" { "Profession" } th scope="col" { "Recours" } th scope="col" { "Effectif" }
                        th scope="col" { "Densité pour 10 000 habitants" }
                        (beside.headers("densité pour 10 000 habitants"))
                    } }
                    tbody {
                        @for p in PROFESSIONS {
                            tr {
                                th scope="row" { (p.label) }
                                td { (p.recourse.label()) }
                                td.nombre { (shown(find(Indicator::Count, kind, code, p.code), 0, Some(threshold))) }
                                td.nombre { (shown(find(Indicator::Per10k, kind, code, p.code), 1, Some(threshold))) }
                                (beside.cells(Indicator::Per10k, p.code, 1))
                            }
                        }
                    }
                }
            }
        }
    };
    let content = html! {
        p {
            "Les professionnels de santé du territoire et leur densité, par commune, tels que l'observatoire de la \
             santé les publie. Ces chiffres sont agrégés et protégés par le secret statistique : ils peuvent être \
             repris et diffusés."
        }
        (secrecy_note(Some(threshold)))
        @for (kind, code, name) in &groups {
            section aria-labelledby=(format!("ensemble-{code}")) {
                h2 #(format!("ensemble-{code}")) {
                    (name) @if kind == "territoire" { " (ensemble du territoire)" }
                }
                @let beside = Beside::new(&snapshot, None);
                (table(kind, code, &format!("Professionnels de santé par profession — {name}"), &beside))
            }
        }
        @for c in &communes {
            section aria-labelledby=(format!("commune-{}", c.code)) {
                h2 #(format!("commune-{}", c.code)) { (c.name) " (" (c.code) ")" }
                p { "Population : " (population_text(c)) "." }
                @let beside = Beside::new(&snapshot, snapshot.departement_of(c).as_deref());
                (table("commune", &c.code, &format!("Professionnels de santé exerçant dans la commune, par profession — {}", c.name), &beside))
                (beside.note())
            }
        }
        h2 { "Méthodes" }
        dl {
            dt { "Effectif" } dd { (snapshot.method(Indicator::Count)) }
            dt { "Densité pour 10 000 habitants" } dd { (maillage_messages::indicators::method(Indicator::Per10k)) }
        }
        (sources_section(&sources))
        (caveats(&state, &[]))
        p { a href="/" { "Retour à l'accueil" } }
    };
    Ok(layout_page(
        &state,
        caller.as_ref(),
        PageMeta {
            title: "Indicateurs de santé du territoire",
            current: PATH,
        },
        content,
    ))
}

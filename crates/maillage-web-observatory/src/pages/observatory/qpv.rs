//! QPV against the rest of their commune: for each commune with quartiers prioritaires, the density of each
//! profession inside the QPV (all together) and outside, their ratio, and each QPV on its own.

use super::charts::{self, Group};
use super::{caveats, drawn, population_text, secrecy_note, shown, sources_section, zone_href};
use crate::data;
use crate::data::figures;
use crate::exports::{self, Dataset};
use axum::extract::State;
use maillage_indicators::{Indicator, IndicatorRow, PROFESSIONS, Recourse};
use maillage_store::observatory;
use maillage_store::zones::{Zone, ZoneKind};
use maillage_web_kit::auth::Caller;
use maillage_web_kit::error::WebError;
use maillage_web_kit::layout::{PageMeta, number, page as layout_page};
use maillage_web_kit::state::AppState;
use maud::{Markup, html};
use std::collections::HashMap;

pub(super) async fn page(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Markup, WebError> {
    let snapshot = figures::snapshot(&state).await?;
    let secrecy = data::secrecy_for(&state, &caller, false, None);
    let rows = snapshot.rows_for(&caller, secrecy);
    let zones = snapshot.zones_for(&caller);
    let index: HashMap<(Indicator, &str, &str, &str), &IndicatorRow> = rows
        .iter()
        .map(|r| {
            (
                (
                    r.indicator,
                    r.zone_kind.as_str(),
                    r.zone_code.as_str(),
                    r.profession.as_str(),
                ),
                r,
            )
        })
        .collect();
    let get =
        |i: Indicator, kind: &str, code: &str, p: &str| index.get(&(i, kind, code, p)).copied();
    let communes: Vec<(&Zone, Vec<&Zone>)> = zones
        .iter()
        .copied()
        .filter(|z| z.kind == ZoneKind::Commune)
        .map(|c| {
            let qpvs: Vec<&Zone> = zones
                .iter()
                .copied()
                .filter(|z| {
                    z.kind == ZoneKind::Qpv && z.parent_code.as_deref() == Some(c.code.as_str())
                })
                .collect();
            (c, qpvs)
        })
        .filter(|(_, q)| !q.is_empty())
        .collect();
    let sources = observatory::sources(state.store()).await?;
    let content = html! {
        (secrecy_note(secrecy))
        p {
            "La politique de la ville compare l'offre de soins des quartiers prioritaires (QPV) à celle du reste de \
             la commune. Un rapport inférieur à 1 signifie que les habitants des QPV ont moins de professionnels \
             à proximité, rapporté à leur nombre."
        }
        @if communes.is_empty() {
            p { "Aucun QPV dans les communes de votre territoire (ou leurs contours ne sont pas importés)." }
        }
        @for (c, qpvs) in &communes {
            section aria-labelledby=(format!("qpv-{}", c.code)) {
                h2 #(format!("qpv-{}", c.code)) { a href=(zone_href(c)) { (c.name) } }
                p {
                    (qpvs.len()) " QPV : "
                    @for (i, q) in qpvs.iter().enumerate() {
                        @if i > 0 { ", " }
                        a href=(zone_href(q)) { (q.name) } " (" (population_text(q)) ")"
                    }
                    ". Commune : " (population_text(c)) "."
                }
                table {
                    caption { "Densité pour 10 000 habitants dans les QPV et dans le reste de " (c.name) }
                    thead { tr {
                        th scope="col" { "Profession" }
                        th scope="col" { "Effectif dans les QPV" } th scope="col" { "Densité dans les QPV" }
                        th scope="col" { "Effectif hors QPV" } th scope="col" { "Densité hors QPV" }
                        th scope="col" { "Rapport QPV / hors QPV" }
                    } }
                    tbody {
                        @for p in PROFESSIONS {
                            @let q = get(Indicator::QpvPer10k, "commune", &c.code, p.code);
                            @let r = get(Indicator::RestPer10k, "commune", &c.code, p.code);
                            tr {
                                th scope="row" { (p.label) }
                                td.nombre { (count_of(q, secrecy)) }
                                td.nombre { (shown(q, 1, secrecy)) }
                                td.nombre { (count_of(r, secrecy)) }
                                td.nombre { (shown(r, 1, secrecy)) }
                                td.nombre { (shown(get(Indicator::QpvRatio, "commune", &c.code, p.code), 2, secrecy)) }
                            }
                        }
                    }
                }
                (charts::bars(
                    &format!("qpv-graphique-{}", c.code),
                    &format!("Densité pour 10 000 habitants, QPV et reste de la commune — {}", c.name),
                    "Pour chaque profession de premier recours, deux barres : pleine pour les QPV, hachurée pour le \
                     reste de la commune ; la valeur est écrite au bout de chaque barre.",
                    &["QPV", "hors QPV"],
                    &PROFESSIONS.iter().filter(|p| p.recourse == Recourse::First).map(|p| {
                        let q = get(Indicator::QpvPer10k, "commune", &c.code, p.code);
                        let r = get(Indicator::RestPer10k, "commune", &c.code, p.code);
                        Group { label: p.label.to_string(), values: vec![(drawn(q), shown(q, 1, secrecy)), (drawn(r), shown(r, 1, secrecy))] }
                    }).collect::<Vec<_>>(),
                ))
                table {
                    caption { "Chaque QPV de " (c.name) " : densité pour 10 000 habitants (professions de premier recours)" }
                    thead { tr {
                        th scope="col" { "QPV" }
                        @for p in PROFESSIONS.iter().filter(|p| p.recourse == Recourse::First) { th scope="col" { (p.label) } }
                    } }
                    tbody {
                        @for q in qpvs {
                            tr {
                                th scope="row" { a href=(zone_href(q)) { (q.name) } }
                                @for p in PROFESSIONS.iter().filter(|p| p.recourse == Recourse::First) {
                                    td.nombre { (shown(get(Indicator::Per10k, "qpv", &q.code, p.code), 1, secrecy)) }
                                }
                            }
                        }
                    }
                }
                (exports::links(&caller, Dataset::Indicators, &format!("les indicateurs de {} et de ses zones", c.name), &exports::filters(&[("commune", &c.code)])))
            }
        }
        h2 { "Méthodes" }
        dl {
            dt { "Densité dans les QPV" } dd { (maillage_messages::indicators::method(Indicator::QpvPer10k)) }
            dt { "Densité hors QPV" } dd { (maillage_messages::indicators::method(Indicator::RestPer10k)) }
            dt { "Rapport" } dd { (maillage_messages::indicators::method(Indicator::QpvRatio)) }
        }
        (sources_section(&sources))
        (caveats(&state, &[
            "Un professionnel installé juste en dehors d'un QPV compte « hors QPV » même si les habitants du QPV \
             le consultent : les densités disent l'implantation, pas le recours. L'accessibilité (carte) tient \
             compte des trajets.",
        ]))
    };
    Ok(layout_page(
        &state,
        Some(&caller),
        PageMeta {
            title: "QPV et reste de la commune",
            current: "/observatoire/qpv",
        },
        content,
    ))
}

/// The professionals counted in a QPV / rest density (its numerator), under secrecy.
fn count_of(row: Option<&IndicatorRow>, secrecy: Option<u32>) -> String {
    match row {
        Some(r) if r.is_secret() => r
            .count_secret_text(secrecy.unwrap_or(5))
            .unwrap_or_default(),
        Some(IndicatorRow {
            numerator: Some(n), ..
        }) => number(*n, 0),
        _ => "—".into(),
    }
}

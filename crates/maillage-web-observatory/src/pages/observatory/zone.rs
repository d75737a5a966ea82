//! The page of one zone (commune, quartier, IRIS, QPV): population and its age structure, professionals by
//! profession against the whole commune, accessibility when computed, the zones it contains, the establishments
//! in it, with charts drawn on the server and the tables they come from.

use super::charts::{self, Group};
use super::reference::Beside;
use super::{
    caveats, drawn, population_method_label, secrecy_note, shown, sources_section, zone_href,
    zone_kind_label, zone_kind_singular,
};
use crate::data;
use crate::data::figures;
use crate::exports::{self, Dataset};
use crate::report::{self, ReportKind};
use axum::extract::{Path, State};
use maillage_indicators::professions::GP;
use maillage_indicators::{Indicator, IndicatorRow, PROFESSIONS};
use maillage_store::zones::{Zone, ZoneKind};
use maillage_store::{accessibility, geodata, observatory, zones};
use maillage_web_kit::auth::Caller;
use maillage_web_kit::error::WebError;
use maillage_web_kit::layout::{PageMeta, number, page as layout_page};
use maillage_web_kit::state::AppState;
use maud::{Markup, html};
use std::collections::{BTreeSet, HashMap};

pub(super) async fn page(
    State(state): State<AppState>,
    caller: Caller,
    Path((kind, code)): Path<(String, String)>,
) -> Result<Markup, WebError> {
    let store = state.store();
    let kind = ZoneKind::parse(&kind).ok_or(WebError::NotFound)?;
    let snapshot = figures::snapshot(&state).await?;
    let seen = snapshot.zones_for(&caller);
    // A zone outside the caller's communes does not exist for them.
    let zone: &Zone = seen
        .iter()
        .copied()
        .find(|z| z.kind == kind && z.code == code)
        .ok_or(WebError::NotFound)?;
    let secrecy = data::secrecy_for(&state, &caller, false, None);
    let rows = snapshot.rows_for(&caller, secrecy);
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
    let here = |i: Indicator, p: &str| {
        index
            .get(&(i, kind.as_str(), zone.code.as_str(), p))
            .copied()
    };
    let commune: Option<&Zone> = match kind {
        ZoneKind::Commune => None,
        _ => zone.parent_code.as_deref().and_then(|c| {
            seen.iter()
                .copied()
                .find(|z| z.kind == ZoneKind::Commune && z.code == c)
        }),
    };
    let in_commune = |i: Indicator, p: &str| {
        commune.and_then(|c| index.get(&(i, "commune", c.code.as_str(), p)).copied())
    };

    // The zones inside this one, and the IRIS its age structure is added up from.
    let members = zones::quartier_members(store).await?;
    let children: Vec<&Zone> = match kind {
        ZoneKind::Commune => seen
            .iter()
            .copied()
            .filter(|z| z.parent_code.as_deref() == Some(&zone.code) && z.kind != ZoneKind::Commune)
            .collect(),
        ZoneKind::Quartier => {
            let iris: BTreeSet<&String> = members.get(&zone.code).into_iter().flatten().collect();
            seen.iter()
                .copied()
                .filter(|z| z.kind == ZoneKind::Iris && iris.contains(&z.code))
                .collect()
        }
        _ => Vec::new(),
    };
    let containing: Vec<&Zone> = match kind {
        ZoneKind::Iris => seen
            .iter()
            .copied()
            .filter(|z| {
                z.kind == ZoneKind::Quartier
                    && members.get(&z.code).is_some_and(|m| m.contains(&zone.code))
            })
            .collect(),
        _ => Vec::new(),
    };
    let band_zones: Vec<i64> = match kind {
        ZoneKind::Commune | ZoneKind::Quartier if !children.is_empty() => children
            .iter()
            .filter(|z| z.kind == ZoneKind::Iris)
            .map(|z| z.id)
            .collect(),
        _ => vec![zone.id],
    };
    let bands = geodata::population_bands_sum(store, &band_zones).await?;
    let broad: Vec<(String, f64)> = bands
        .as_ref()
        .map(|(_, b)| {
            b.iter()
                .filter(|(band, _)| BROAD.contains(&band.as_str()))
                .cloned()
                .collect()
        })
        .unwrap_or_default();

    // Accessibility of this zone from the latest run of each profession.
    let mut access: Vec<(&str, Option<f64>, String, String)> = Vec::new();
    for p in PROFESSIONS {
        if let Some((run, results)) = accessibility::latest_run(store, p.code).await? {
            let v = results
                .iter()
                .find(|r| r.zone_kind == kind.as_str() && r.zone_code == zone.code);
            let unit = crate::data::accessibility::unit(&run);
            access.push((p.label, v.and_then(|r| r.value), unit, run.created_at));
        }
    }
    let establishments = establishments_in(store, zone.id).await?;
    let sources = observatory::sources(store).await?;
    let title = format!("{} — {}", zone_kind_singular(kind.as_str()), zone.name);
    let zonage_line = super::zonage::zone_line(&state, kind, &zone.code).await?;
    let beside = Beside::new(&snapshot, snapshot.departement_of(zone).as_deref());
    let report_kind = match kind {
        ZoneKind::Commune => Some(ReportKind::Commune),
        ZoneKind::Quartier => Some(ReportKind::Quartier),
        _ => None,
    };
    let small_map = small_map(store, zone).await?;

    let content = html! {
        (secrecy_note(secrecy))
        dl.fiche {
            dt { "Code" } dd { (zone.code) }
            @if let Some(c) = commune { dt { "Commune" } dd { a href=(zone_href(c)) { (c.name) } } }
            @if !containing.is_empty() {
                dt { "Dans le quartier" }
                dd { @for (i, q) in containing.iter().enumerate() { @if i > 0 { ", " } a href=(zone_href(q)) { (q.name) } } }
            }
            dt { "Population" }
            dd {
                @match (&zone.population, here(Indicator::Per10k, GP)) {
                    (Some(p), _) if kind != ZoneKind::Epci => { (number(p.value, 0)) " habitants (millésime " (p.vintage) ", " (population_method_label(p.method)) ")" }
                    // An EPCI's figures use the population of its communes added up, not the EPCI file's.
                    (None, Some(IndicatorRow { denominator: Some(d), population_vintage, .. })) => {
                        (number(*d, 0)) " habitants (somme des populations des communes"
                        @if let Some(v) = population_vintage { ", millésime " (v) } ")"
                    }
                    _ => "inconnue",
                }
            }
        }
        (zonage_line)
        @if let Some(svg) = &small_map {
            figure.petite-carte {
                (maud::PreEscaped(svg))
                figcaption { "Contour de la zone (trait bleu) sur le fond de carte OpenStreetMap." }
            }
        }
        p { a href=(format!("/observatoire/carte?type={}", kind.as_str())) { "Voir les " (zone_kind_label(kind.as_str()).to_lowercase()) " sur la carte" } }

        h2 { "Professionnels de santé" }
        table {
            caption { "Professionnels exerçant dans la zone, par profession" @if commune.is_some() { ", comparés à la commune" } }
            thead { tr {
                th scope="col" { "Profession" } th scope="col" { "Effectif" }
                th scope="col" { "Densité pour 10 000 habitants" }
                @if commune.is_some() { th scope="col" { "Densité dans la commune" } }
                (beside.headers("pour 10 000 habitants"))
            } }
            tbody {
                @for p in PROFESSIONS {
                    tr {
                        th scope="row" { (p.label) }
                        td.nombre { (shown(here(Indicator::Count, p.code), 0, secrecy)) }
                        td.nombre { (shown(here(Indicator::Per10k, p.code), 1, secrecy)) }
                        @if commune.is_some() { td.nombre { (shown(in_commune(Indicator::Per10k, p.code), 1, secrecy)) } }
                        (beside.cells(Indicator::Per10k, p.code, 1))
                    }
                }
            }
        }
        (beside.note())
        @let commune_code = if kind == ZoneKind::Commune { Some(zone.code.as_str()) } else { zone.parent_code.as_deref() };
        @if let Some(c) = commune_code {
            @let pairs = if kind == ZoneKind::Commune { vec![("commune", c)] } else { vec![("type", kind.as_str()), ("commune", c)] };
            (exports::links(&caller, Dataset::Indicators, "les indicateurs de ces zones", &exports::filters(&pairs)))
        }
        @if let Some(report_kind) = report_kind {
            p.telechargements {
                a href=(report::download_path(report_kind, &zone.code)) download { "Télécharger le tableau de bord (PDF)" }
                " · " a href=(report::page_path(report_kind, &zone.code)) { "Lire le tableau de bord en ligne" }
            }
        }
        @let series: Vec<&str> = if commune.is_some() { vec!["Zone", "Commune"] } else { vec![] };
        (charts::bars(
            "densites-zone",
            &format!("Densité pour 10 000 habitants par profession — {}", zone.name),
            "Barres horizontales par profession ; pour une zone de la commune, la barre pleine est la zone et la \
             barre hachurée la commune entière. Chaque valeur est écrite au bout de sa barre.",
            &series,
            &PROFESSIONS.iter().map(|p| {
                let mut values = vec![(drawn(here(Indicator::Per10k, p.code)), shown(here(Indicator::Per10k, p.code), 1, secrecy))];
                if commune.is_some() {
                    let c = in_commune(Indicator::Per10k, p.code);
                    values.push((drawn(c), shown(c, 1, secrecy)));
                }
                Group { label: p.label.to_string(), values }
            }).collect::<Vec<_>>(),
        ))
        @let share = here(Indicator::Gp60PlusShare, GP);
        p {
            "Médecins généralistes de 60 ans et plus : " strong { (shown(share, 0, secrecy)) @if drawn(share).is_some() { " %" } }
            " de ceux dont l'âge est connu de la commune."
        }

        @if !access.is_empty() {
            h2 { "Accessibilité (E2SFCA)" }
            table {
                caption { "Dernier calcul d'accessibilité de Maillage pour cette zone, par profession" }
                thead { tr { th scope="col" { "Profession" } th scope="col" { "Accessibilité" } th scope="col" { "Unité" } th scope="col" { "Calculée le" } } }
                tbody {
                    @for (label, value, unit, at) in &access {
                        tr {
                            th scope="row" { (label) }
                            td.nombre { (value.map_or("—".into(), |v| number(v, 2))) }
                            td { (unit) }
                            td { (maillage_web_kit::layout::date(at)) }
                        }
                    }
                }
            }
        }

        h2 { "Population par âge" }
        @match &bands {
            Some((vintage, _)) if !broad.is_empty() => {
                @let total: f64 = broad.iter().map(|(_, v)| v).sum();
                table {
                    caption {
                        "Habitants par tranche d'âge (INSEE, millésime " (vintage) ")"
                        @if band_zones.len() > 1 { ", somme de " (band_zones.len()) " IRIS" }
                    }
                    thead { tr { th scope="col" { "Âge" } th scope="col" { "Habitants" } th scope="col" { "Part" } } }
                    tbody {
                        @for (band, v) in &broad {
                            tr {
                                th scope="row" { (band_label(band)) }
                                td.nombre { (number(*v, 0)) }
                                td.nombre { (if total > 0.0 { format!("{} %", number(v / total * 100.0, 1)) } else { "—".into() }) }
                            }
                        }
                    }
                }
                (charts::bars(
                    "ages",
                    &format!("Habitants par tranche d'âge — {}", zone.name),
                    "Barres horizontales, une par tranche d'âge, du plus jeune au plus âgé ; le nombre d'habitants \
                     est écrit au bout de chaque barre.",
                    &[],
                    &broad.iter().map(|(b, v)| Group { label: band_label(b), values: vec![(Some(*v), number(*v, 0))] }).collect::<Vec<_>>(),
                ))
            }
            _ => p { "Pas de population par âge pour cette zone (importez la base INSEE par IRIS)." }
        }

        @if !children.is_empty() {
            h2 { "Zones de " (zone.name) }
            ul.zones-filles {
                @for z in &children {
                    li { a href=(zone_href(z)) { (z.name) } " (" (zone_kind_singular(z.kind.as_str())) ", " (z.code) ")" }
                }
            }
        }

        h2 { "Établissements (FINESS)" }
        @if establishments.is_empty() {
            p { "Aucun établissement localisé dans cette zone." }
        } @else {
            table {
                caption { "Établissements sanitaires et sociaux situés dans la zone" }
                thead { tr { th scope="col" { "Établissement" } th scope="col" { "Catégorie" } th scope="col" { "Adresse" } th scope="col" { "FINESS" } } }
                tbody {
                    @for e in &establishments {
                        tr {
                            th scope="row" { (e.name) }
                            td { (e.category_label.as_deref().unwrap_or("—")) }
                            td { (e.address.as_deref().unwrap_or("—")) }
                            td { (e.finess) }
                        }
                    }
                }
            }
        }
        h2 { "Méthodes" }
        dl {
            dt { "Effectif" } dd { (snapshot.method(Indicator::Count)) }
            dt { "Densité" } dd { (maillage_messages::indicators::method(Indicator::Per10k)) }
            dt { "Âge des médecins généralistes" } dd { (maillage_messages::indicators::method(Indicator::Gp60PlusShare)) }
        }
        (sources_section(&sources))
        (caveats(&state, &[]))
    };
    Ok(layout_page(
        &state,
        Some(&caller),
        PageMeta {
            title: &title,
            current: "",
        },
        content,
    ))
}

/// The broad INSEE age bands, youngest first.
const BROAD: &[&str] = &["0014", "1529", "3044", "4559", "6074", "75P"];

/// "0014" → "0 à 14 ans", "75P" → "75 ans et plus".
fn band_label(band: &str) -> String {
    match (band.get(..2), band.get(2..)) {
        (Some(a), Some("P")) => format!(
            "{} ans et plus",
            a.trim_start_matches('0').parse::<u32>().unwrap_or(0)
        ),
        (Some(a), Some(b)) if b.len() == 2 => {
            let a: u32 = a.parse().unwrap_or(0);
            let b: u32 = b.parse().unwrap_or(0);
            format!("{a} à {b} ans")
        }
        _ => band.to_string(),
    }
}

async fn establishments_in(
    store: &maillage_store::Store,
    zone_id: i64,
) -> Result<Vec<geodata::EstablishmentPoint>, WebError> {
    let memberships = geodata::memberships(store, "etablissement").await?;
    let mut list: Vec<geodata::EstablishmentPoint> = geodata::establishment_points(store)
        .await?
        .into_iter()
        .filter(|e| {
            memberships
                .get(&e.finess)
                .is_some_and(|z| z.contains(&zone_id))
        })
        .collect();
    list.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(list)
}

/// The zone's small map: its contour over the background map, drawn on the server (None without a contour).
async fn small_map(store: &maillage_store::Store, zone: &Zone) -> Result<Option<String>, WebError> {
    let geometry = if zone.kind == ZoneKind::Quartier {
        maillage_store::exports::quartier_contours(store)
            .await?
            .into_iter()
            .find(|(id, _)| *id == zone.id)
            .map(|(_, g)| g)
    } else {
        zones::geometries(store, &[zone.kind])
            .await?
            .into_iter()
            .find(|(id, ..)| *id == zone.id)
            .map(|(.., g)| g)
    };
    let Some(geometry) = geometry else {
        return Ok(None);
    };
    let background = match crate::basemap::box_of(&geometry) {
        Some(area) => crate::basemap::features_for(store, area.grown(0.2)).await?,
        None => Vec::new(),
    };
    let title = format!("Carte de situation : {}", zone.name);
    let svg = maillage_report::map::locator_svg(&geometry, &background, (480.0, 320.0), &title);
    // Inline: named for screen readers by its title.
    Ok(Some(svg.replacen(
        "<svg ",
        &format!(
                "<svg role=\"img\" aria-label=\"{}\" ",
                title
                    .replace('&', "&amp;")
                    .replace('"', "&quot;")
                    .replace('<', "&lt;")
            ),
        1,
    )))
}

#[cfg(test)]
mod tests {
    #[test]
    fn age_bands_read_as_words() {
        assert_eq!(super::band_label("0014"), "0 à 14 ans");
        assert_eq!(super::band_label("4559"), "45 à 59 ans");
        assert_eq!(super::band_label("75P"), "75 ans et plus");
        assert_eq!(super::band_label("TOTAL"), "TOTAL");
    }
}

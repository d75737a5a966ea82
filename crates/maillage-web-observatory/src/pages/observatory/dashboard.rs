//! The home of the observatory: for each commune of the caller's territory, its population, the key indicators
//! of each profession (with QPV against the rest and accessibility when computed), the ageing of GPs and the
//! planned retirements, then the latest imports and the limits of the data.

use super::charts::{self, Group};
use super::reference::Beside;
use super::{
    caveats, drawn, population_text, secrecy_note, shown, source_label, sources_section, zone_href,
    zone_kind_label,
};
use crate::data;
use crate::data::figures;
use crate::exports::{self, Dataset};
use crate::report::{self, ReportKind};
use axum::extract::State;
use maillage_indicators::professions::GP;
use maillage_indicators::{Indicator, IndicatorRow, PROFESSIONS, Recourse};
use maillage_store::zones::{Zone, ZoneKind};
use maillage_store::{accessibility, batch, geodata, observatory, territory};
use maillage_web_kit::auth::Caller;
use maillage_web_kit::error::WebError;
use maillage_web_kit::layout::{PageMeta, date_time, number, page as layout_page};
use maillage_web_kit::params::Query;
use maillage_web_kit::permissions::Permission;
use maillage_web_kit::state::AppState;
use maud::{Markup, html};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// What the dashboard reads besides the figures; it changes only with the data version, so it is read once per
/// version ([`data::per_version`]).
struct Reads {
    territory: territory::Territory,
    sources: Vec<batch::Batch>,
    latest: Vec<batch::Batch>,
    /// The latest accessibility run of each profession of [`PROFESSIONS`], in its order.
    access: Vec<Option<(accessibility::Run, Vec<accessibility::ResultRow>)>>,
    retirements: BTreeMap<String, BTreeSet<(String, i64)>>,
}

async fn reads(store: &maillage_store::Store) -> Result<Reads, WebError> {
    let mut access = Vec::with_capacity(PROFESSIONS.len());
    for p in PROFESSIONS {
        access.push(accessibility::latest_run(store, p.code).await?);
    }
    Ok(Reads {
        territory: territory::load(store).await?,
        sources: observatory::sources(store).await?,
        latest: batch::list(store).await?.into_iter().take(5).collect(),
        access,
        retirements: planned_retirements(store).await?,
    })
}

/// Planned retirements are counted this many years ahead.
const RETIREMENT_HORIZON: i64 = 5;

pub(super) async fn page(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query,
) -> Result<Markup, WebError> {
    let store = state.store();
    let snapshot = figures::snapshot(&state).await?;
    let secrecy = data::secrecy_for(&state, &caller, false, None);
    let rows = snapshot.rows_for(&caller, secrecy);
    let zones = snapshot.zones_for(&caller);
    let reads =
        data::per_version(store, &snapshot.version, "tableau-de-bord", || reads(store)).await?;
    let territory = &reads.territory;
    let sources = &reads.sources;
    // Read apart from the per-version cache: a source grows old with the days, not with the data.
    let stale = crate::pages::imports::stale_sources(store).await?;
    let latest = &reads.latest;
    let communes: Vec<&Zone> = zones
        .iter()
        .copied()
        .filter(|z| z.kind == ZoneKind::Commune)
        .collect();
    let mut kinds: BTreeMap<ZoneKind, usize> = BTreeMap::new();
    for z in &zones {
        *kinds.entry(z.kind).or_default() += 1;
    }
    let index: HashMap<(Indicator, &str, &str), &IndicatorRow> = rows
        .iter()
        .filter(|r| ZoneKind::Commune.is(&r.zone_kind))
        .map(|r| {
            (
                (r.indicator, r.zone_code.as_str(), r.profession.as_str()),
                r,
            )
        })
        .collect();
    let find = |i: Indicator, code: &str, p: &str| index.get(&(i, code, p)).copied();
    // Accessibility of each commune, by profession, from the latest run of each.
    let mut access: HashMap<(String, &str), Option<f64>> = HashMap::new();
    let mut runs: Vec<(String, String)> = Vec::new();
    // Runs may be in different units (activity for GPs, headcount for the others): one header unit only when
    // they share it, else the unit beside each value.
    let mut access_units: HashMap<&str, String> = HashMap::new();
    for (p, latest_run) in PROFESSIONS.iter().zip(&reads.access) {
        if let Some((run, results)) = latest_run {
            runs.push((p.label.to_string(), run.created_at.clone()));
            access_units.insert(p.code, crate::data::accessibility::unit(run));
            for r in results
                .iter()
                .filter(|r| ZoneKind::Commune.is(&r.zone_kind))
            {
                access.insert((r.zone_code.clone(), p.code), r.value);
            }
        }
    }
    let shared_unit = {
        let mut units = access_units.values();
        let first = units.next();
        first.filter(|u| units.all(|o| o == *u)).cloned()
    };
    let access_unit = match &shared_unit {
        Some(u) => format!(", {u}"),
        None => " ; unité sur chaque ligne".to_string(),
    };
    let retirements = &reads.retirements;
    let this_year = jiff::Zoned::now().year() as i64;
    let has_qpv = |c: &Zone| {
        zones
            .iter()
            .any(|z| z.kind == ZoneKind::Qpv && z.parent_code.as_deref() == Some(&c.code))
    };

    let content = html! {
        (secrecy_note(secrecy))
        p {
            "Territoire servi : " strong { (territory.name.as_deref().unwrap_or("non nommé")) } ". "
            a href="/observatoire/carte" { "Carte et zones" } " · "
            a href="/observatoire/qpv" { "Comparer les QPV au reste de la commune" }
            @if caller.has(Permission::ObservatoryImport) {
                " · " a href="/observatoire/imports" { "Importer des fichiers" }
            }
        }
        @if zones.is_empty() {
            p { "Aucune zone de votre territoire n'est encore dans la base (ou aucun territoire ne vous est attribué)." }
        } @else {
            ul.zones-resume {
                @for (kind, n) in &kinds {
                    li { (zone_kind_label(kind.as_str())) " : " (n) }
                }
            }
        }
        (groupings(&rows, secrecy))
        section.telechargements aria-labelledby="telechargements" {
            h2 #telechargements { "Télécharger les données" }
            p.aide { "Chaque fichier reprend ce que vous voyez : vos communes, avec le même secret statistique que la page." }
            (exports::links(&caller, Dataset::Indicators, "les indicateurs de toutes vos zones", &q))
            (exports::links(&caller, Dataset::Zones, "les zones (tableur, ou contours et indicateurs pour un SIG)", &q))
            (exports::links(&caller, Dataset::Professionals, "la liste des professionnels (consultation journalisée)", &q))
        }
        @for c in &communes {
            section.commune aria-labelledby=(format!("commune-{}", c.code)) {
                h2 #(format!("commune-{}", c.code)) {
                    a href=(zone_href(c)) { (c.name) } " (" (c.code) ")"
                }
                p { "Population : " (population_text(c)) "." }
                @let beside = Beside::new(&snapshot, snapshot.departement_of(c).as_deref());
                table {
                    caption { "Professionnels de santé exerçant dans la commune, par profession" }
                    thead { tr {
                        th scope="col" { "Profession" } th scope="col" { "Recours" }
                        th scope="col" { "Effectif" } th scope="col" { "Densité pour 10 000 habitants" }
                        (beside.headers("densité pour 10 000 habitants"))
                        @if has_qpv(c) {
                            th scope="col" { "Densité dans les QPV" } th scope="col" { "Densité hors QPV" }
                        }
                        @if !runs.is_empty() { th scope="col" { "Accessibilité (E2SFCA" (access_unit) ")" } }
                    } }
                    tbody {
                        @for p in PROFESSIONS {
                            tr {
                                th scope="row" { (p.label) }
                                td { (p.recourse.label()) }
                                td.nombre { (shown(find(Indicator::Count, &c.code, p.code), 0, secrecy)) }
                                td.nombre { (shown(find(Indicator::Per10k, &c.code, p.code), 1, secrecy)) }
                                (beside.cells(Indicator::Per10k, p.code, 1))
                                @if has_qpv(c) {
                                    td.nombre { (shown(find(Indicator::QpvPer10k, &c.code, p.code), 1, secrecy)) }
                                    td.nombre { (shown(find(Indicator::RestPer10k, &c.code, p.code), 1, secrecy)) }
                                }
                                @if !runs.is_empty() {
                                    td.nombre {
                                        (access.get(&(c.code.clone(), p.code)).copied().flatten()
                                            .map_or("—".into(), |v| number(v, 2)))
                                        @if shared_unit.is_none() {
                                            @if let Some(u) = access_units.get(p.code) { " " (u) }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                (beside.note())
                (exports::links(&caller, Dataset::Indicators, &format!("les indicateurs de {} et de ses zones", c.name), &exports::filters(&[("commune", &c.code)])))
                p.telechargements {
                    a href=(report::download_path(ReportKind::Commune, &c.code)) download { "Télécharger le tableau de bord de " (c.name) " (PDF)" }
                    " · " a href=(report::page_path(ReportKind::Commune, &c.code)) { "le lire en ligne" }
                }
                (charts::bars(
                    &format!("densites-{}", c.code),
                    &format!("Densité pour 10 000 habitants par profession de premier recours — {}", c.name),
                    "Barres horizontales, une par profession ; la valeur est écrite au bout de chaque barre. \
                     Les mêmes chiffres sont dans le tableau ci-dessus.",
                    &[],
                    &PROFESSIONS.iter().filter(|p| p.recourse == Recourse::First).map(|p| {
                        let r = find(Indicator::Per10k, &c.code, p.code);
                        Group { label: p.label.to_string(), values: vec![(drawn(r), shown(r, 1, secrecy))] }
                    }).collect::<Vec<_>>(),
                ))
                h3 { "Médecins généralistes : âge et départs" }
                @let share = find(Indicator::Gp60PlusShare, &c.code, GP);
                @let planned = retirements.get(&c.code).map_or(0, |s| s.iter().filter(|(_, y)| *y <= this_year + RETIREMENT_HORIZON).count());
                ul {
                    li {
                        "Part des médecins généralistes de 60 ans et plus : "
                        strong { (shown(share, 0, secrecy)) @if drawn(share).is_some() { " %" } }
                        @if let Some(r) = share.filter(|r| !r.is_secret()) {
                            @if let (Some(n), Some(d)) = (r.numerator, r.denominator) {
                                " (" (number(n, 0)) " sur " (number(d, 0)) " dont l'âge est connu)"
                            }
                        }
                        "."
                    }
                    li {
                        "Départs en retraite prévus d'ici " (this_year + RETIREMENT_HORIZON) " (déclarés à la commune) : "
                        strong { (small_count(planned, secrecy)) } "."
                    }
                }
                p.aide { (maillage_messages::indicators::method(Indicator::Gp60PlusShare)) }
            }
        }
        h2 { "Derniers imports" }
        @if latest.is_empty() {
            p { "Aucun import pour l'instant." }
        } @else {
            table {
                caption { "Les cinq derniers imports, du plus récent au plus ancien" }
                thead { tr {
                    th scope="col" { "Date" } th scope="col" { "Source" } th scope="col" { "Fichier" }
                    th scope="col" { "Millésime" } th scope="col" { "Lignes lues" }
                } }
                tbody {
                    @for b in latest {
                        tr {
                            td { (date_time(&b.imported_at)) }
                            td { (source_label(&b.kind)) }
                            td { (b.file_name) }
                            td { (b.vintage.as_deref().unwrap_or("—")) }
                            td.nombre { (number(b.counts.rows_read as f64, 0)) }
                        }
                    }
                }
            }
            @if caller.has(Permission::ObservatoryImport) {
                p { a href="/observatoire/imports/historique" { "Historique complet des imports" } }
            }
            (exports::links(&caller, Dataset::Imports, "l'historique des imports", &q))
        }
        h2 { "Méthodes" }
        dl {
            dt { "Effectif" } dd { (snapshot.method(Indicator::Count)) }
            dt { "Densité pour 10 000 habitants" } dd { (maillage_messages::indicators::method(Indicator::Per10k)) }
            dt { "Densité dans les QPV" } dd { (maillage_messages::indicators::method(Indicator::QpvPer10k)) }
            dt { "Densité hors QPV" } dd { (maillage_messages::indicators::method(Indicator::RestPer10k)) }
            @if !runs.is_empty() {
                dt { "Accessibilité (E2SFCA)" }
                dd {
                    "Offre accessible par habitant depuis chaque IRIS par la route, pondérée par le temps de trajet, \
                     agrégée à la commune en pondérant par la population. Derniers calculs : "
                    (runs.iter().map(|(p, at)| format!("{p} le {}", date_time(at))).collect::<Vec<_>>().join(" ; "))
                    "."
                }
            }
        }
        @for s in &stale { (maillage_web_kit::layout::warning_box(s)) }
        (sources_section(sources))
        (caveats(&state, &[]))
    };
    Ok(layout_page(
        &state,
        Some(&caller),
        PageMeta {
            title: "Observatoire",
            current: "/observatoire",
        },
        content,
    ))
}

/// The EPCI of the territory and the territory as a whole, each the sum of its communes (those of the buffer
/// an EPCI shares with the territory included, and said).
fn groupings(rows: &[IndicatorRow], secrecy: Option<u32>) -> Markup {
    let groups: Vec<&IndicatorRow> = rows
        .iter()
        .filter(|r| {
            matches!(r.zone_kind.as_str(), "epci" | "territoire")
                && r.indicator == Indicator::Count
                && r.profession == GP
        })
        .collect();
    if groups.is_empty() {
        return html! {};
    }
    let find = |i: Indicator, g: &IndicatorRow, p: &str| {
        rows.iter().find(|r| {
            r.indicator == i
                && r.zone_kind == g.zone_kind
                && r.zone_code == g.zone_code
                && r.profession == p
        })
    };
    let buffer: Vec<&str> = rows
        .iter()
        .filter(|r| r.buffer && r.indicator == Indicator::Count && r.profession == GP)
        .map(|r| r.zone_name.as_str())
        .collect();
    html! {
        section.ensemble aria-labelledby="ensemble" {
            h2 #ensemble { "Intercommunalité et ensemble du territoire" }
            p.aide {
                "Chaque professionnel y compte une fois, même s'il exerce dans plusieurs communes ; la population est \
                 la somme de celles des communes."
                @if !buffer.is_empty() {
                    " L'intercommunalité compte aussi ses communes hors du territoire servi (zone tampon) : "
                    (buffer.join(", ")) "."
                }
            }
            table {
                caption { "Professionnels de santé par profession, somme des communes" }
                thead { tr {
                    th scope="col" { "Profession" }
                    @for g in &groups {
                        th scope="col" {
                            @if ZoneKind::Epci.is(&g.zone_kind) {
                                a href=(format!("/observatoire/zones/epci/{}", g.zone_code)) { (g.zone_name) }
                            } @else { (g.zone_name) " (ensemble)" }
                            " : effectif, densité pour 10 000 habitants"
                        }
                    }
                } }
                tbody {
                    @for p in PROFESSIONS {
                        tr {
                            th scope="row" { (p.label) }
                            @for g in &groups {
                                td.nombre {
                                    (shown(find(Indicator::Count, g, p.code), 0, secrecy)) " ; "
                                    (shown(find(Indicator::Per10k, g, p.code), 1, secrecy))
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// A count shown under secrecy: "< k" between 1 and k − 1.
pub(super) fn small_count(n: usize, secrecy: Option<u32>) -> String {
    match secrecy {
        Some(t) if n > 0 && n < t as usize => format!("< {t}"),
        _ => number(n as f64, 0),
    }
}

/// GPs with a planned retirement year entered by the commune, by commune of practice: (national id, year).
async fn planned_retirements(
    store: &maillage_store::Store,
) -> Result<BTreeMap<String, BTreeSet<(String, i64)>>, WebError> {
    let careers = geodata::careers(store).await?;
    let mut out: BTreeMap<String, BTreeSet<(String, i64)>> = BTreeMap::new();
    if careers
        .values()
        .all(|c| c.planned_retirement_year.is_none())
    {
        return Ok(out);
    }
    for site in geodata::site_points(store).await? {
        let Some(commune) = site.commune_code else {
            continue;
        };
        for a in site.activities.iter().filter(|a| a.profession == GP) {
            if let Some(year) = careers
                .get(&a.national_id)
                .and_then(|c| c.planned_retirement_year)
            {
                out.entry(commune.clone())
                    .or_default()
                    .insert((a.national_id.clone(), year));
            }
        }
    }
    Ok(out)
}

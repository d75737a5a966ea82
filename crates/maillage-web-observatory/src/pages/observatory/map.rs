//! The map page: selectors (zone kind, profession, indicator, classes), the map (Leaflet, drawn by
//! `assets/carte.js` from the GeoJSON endpoints), its legend, and the table of the same figures, which is the
//! whole page for a browser without JavaScript or a screen reader.

use super::choropleth::{self, Choropleth, MAP_INDICATORS, Request};
use super::classes::{self, MAX_CLASSES, MIN_CLASSES, Method};
use super::{
    caveats, map_assets, population_text, secrecy_note, sources_section, zone_href, zone_kind_label,
};
use crate::data::figures;
use crate::exports::{self, Dataset};
use axum::extract::State;
use maillage_indicators::PROFESSIONS;
use maillage_store::observatory;
use maillage_store::zones::ZoneKind;
use maillage_web_kit::auth::Caller;
use maillage_web_kit::error::WebError;
use maillage_web_kit::layout::{PageMeta, page as layout_page};
use maillage_web_kit::params::Query;
use maillage_web_kit::permissions::Permission;
use maillage_web_kit::state::AppState;
use maud::{Markup, html};

pub(super) async fn page(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query,
) -> Result<Markup, WebError> {
    let snapshot = figures::snapshot(&state).await?;
    let zones = snapshot.zones_for(&caller);
    let mut kinds: Vec<ZoneKind> = zones.iter().map(|z| z.kind).collect();
    kinds.sort();
    kinds.dedup();
    let request = Request::from_params(&q, &kinds)?;
    let choropleth = choropleth::build(&state, &caller, &snapshot, request).await?;
    let sources = observatory::sources(state.store()).await?;
    let query = request.query();
    let names = caller.has(Permission::ProfessionalsList);
    let has_zonage = maillage_store::imports::zonage::any(state.store()).await?;
    let content = html! {
        (secrecy_note(choropleth.secrecy))
        (filters(&request, &kinds))
        h2 #titre-carte { (choropleth.title()) }
        @if !choropleth.applicable {
            div.message.info role="note" {
                p {
                    strong { "Indicateur non disponible : " }
                    "« " (request.indicator.label()) " » n'existe pas pour ce type de zone ou cette profession. \
                     Choisissez un autre indicateur ou un autre type de zone."
                }
            }
        }
        (legend(&choropleth))
        div.carte-cadre {
            div #carte .carte role="region" aria-label="Carte (le tableau qui suit donne les mêmes valeurs)"
                data-zones=(format!("/api/v1/geo/zones?{query}"))
                data-qpv="/api/v1/geo/zones?type=qpv"
                data-professionnels=(format!("/api/v1/geo/professionnels?profession={}&type={}", request.profession.code, request.kind.as_str()))
                data-etablissements="/api/v1/geo/etablissements"
                data-isochrones="/api/v1/geo/isochrones"
                data-zonage="/api/v1/geo/zonage"
                data-noms=(if names { "1" } else { "0" }) {
                noscript {
                    p { "La carte demande JavaScript ; le tableau ci-dessous donne les mêmes valeurs, zone par zone." }
                }
            }
            p.aide #carte-etat aria-live="polite" {}
            div.legende #legende-isochrones hidden {}
        }
        p.aide {
            "Sur la carte, chaque zone porte le numéro de sa classe (voir la légende) ; « S » marque une valeur \
             cachée par le secret statistique. Les cercles sont des lieux d'exercice, les losanges des \
             établissements (FINESS), les contours en tirets les QPV ; les isochrones (menu des couches) sont des bandes \
             de 5, 10 et 15 minutes, chacune avec son trait (légende sous la carte). Le fond (rues, cours d'eau, voies \
             ferrées, parcs, noms) est dessiné par Maillage à partir de l'extrait OpenStreetMap importé. \
             Survolez ou sélectionnez une zone pour lire sa valeur. "
            @if !names {
                "Les noms des professionnels ne sont pas montrés à votre rôle : les lieux indiquent des effectifs."
            }
        }
        (super::zonage::legend(has_zonage))
        (table(&choropleth))
        @let shown_filters = exports::filters(&[("type", request.kind.as_str()), ("profession", request.profession.code)]);
        (exports::links(&caller, Dataset::Zones, "ces zones (tableur, ou contours et indicateurs pour un SIG)", &shown_filters))
        (exports::links(&caller, Dataset::Indicators, "leurs indicateurs", &shown_filters))
        h2 { "Méthode" }
        p { (choropleth.method) " Unité : " (choropleth.unit) "." }
        @if let Some(p) = &choropleth.provenance { p { (p) } }
        p { "Classes : " (request.method.label()) ", calculées sur les zones affichées." }
        (sources_section(&sources))
        (caveats(&state, &[
            "Les isochrones sont calculées sur le réseau routier OpenStreetMap importé, à vitesse réglementaire, \
             sans embouteillages : ce sont des temps théoriques.",
        ]))
        (map_assets())
    };
    Ok(layout_page(
        &state,
        Some(&caller),
        PageMeta {
            title: "Carte et zones",
            current: "/observatoire/carte",
        },
        content,
    ))
}

fn filters(request: &Request, kinds: &[ZoneKind]) -> Markup {
    html! {
        form.filtres method="get" action="/observatoire/carte" {
            div.champ {
                label for="type" { "Type de zone" }
                select #type name="type" {
                    @for k in kinds {
                        option value=(k.as_str()) selected[*k == request.kind] { (zone_kind_label(k.as_str())) }
                    }
                }
            }
            div.champ {
                label for="profession" { "Profession" }
                select #profession name="profession" {
                    @for p in PROFESSIONS {
                        option value=(p.code) selected[p.code == request.profession.code] { (p.label) }
                    }
                }
            }
            div.champ {
                label for="indicateur" { "Indicateur" }
                select #indicateur name="indicateur" {
                    @for i in MAP_INDICATORS {
                        option value=(i.code()) selected[*i == request.indicator] { (i.label()) }
                    }
                }
            }
            div.champ {
                label for="classes" { "Classes" }
                select #classes name="classes" {
                    @for m in [Method::Quantiles, Method::Jenks] {
                        option value=(m.code()) selected[m == request.method] { (m.label()) }
                    }
                }
            }
            div.champ {
                label for="nombre" { "Nombre de classes" }
                select #nombre name="nombre" {
                    @for n in MIN_CLASSES..=MAX_CLASSES {
                        option value=(n) selected[n == request.classes] { (n) }
                    }
                }
            }
            button type="submit" { "Afficher" }
        }
    }
}

/// The legend: a swatch, the class number written on the map, and the bounds in words, for each class.
fn legend(c: &Choropleth) -> Markup {
    html! {
        div.legende #legende {
            p.legende-titre {
                strong { "Légende" } " — " (c.request.indicator.label())
                // The unit once: a label that already says it ("Densité pour 10 000 habitants") is not repeated.
                @if !c.request.indicator.label().contains(c.unit.as_str()) { " (" (c.unit) ")" }
            }
            @if c.classes.is_empty() {
                p { "Aucune valeur à représenter pour ce choix." }
            } @else {
                ol.legende-classes {
                    @for (i, class) in c.classes.iter().enumerate() {
                        li {
                            (swatch(c.colours[i], &(i + 1).to_string()))
                            " Classe " (i + 1) " : " (c.class_label(i))
                            " (" (class.count) " zone" @if class.count > 1 { "s" } ")"
                        }
                    }
                }
            }
            ul.legende-autres {
                @if c.secrecy.is_some() {
                    li { (swatch("#ffffff", "S")) " Valeur cachée (secret statistique)" }
                }
                li { (swatch("#d9d9d9", "—")) " Valeur non calculable" }
            }
        }
    }
}

/// A legend swatch: the fill of the map and the mark written on it (SVG attributes: no inline style).
pub(super) fn swatch(fill: &str, mark: &str) -> Markup {
    html! {
        svg.pastille xmlns="http://www.w3.org/2000/svg" width="28" height="20" viewBox="0 0 28 20" aria-hidden="true" {
            rect x="0.5" y="0.5" width="27" height="19" fill=(fill) stroke="#1b1b1b" stroke-width="1" {}
            text x="14" y="15" text-anchor="middle" font-size="13" font-weight="700"
                fill=(classes::text_on(fill)) { (mark) }
        }
    }
}

fn table(c: &Choropleth) -> Markup {
    let kind = c.request.kind;
    html! {
        @if c.values.is_empty() {
            p { "Aucune zone de ce type dans votre territoire." }
        } @else {
            table #tableau-zones {
                caption {
                    (c.request.profession.label) " — " (zone_kind_label(kind.as_str()))
                    " (" (c.values.len()) " zones) : " (c.request.indicator.label())
                }
                thead { tr {
                    th scope="col" { "Code" } th scope="col" { "Zone" } th scope="col" { "Population" }
                    th scope="col" { "Valeur" } th scope="col" { "Classe" }
                } }
                tbody {
                    @for v in &c.values {
                        tr {
                            td { (v.zone.code) }
                            th scope="row" { a href=(zone_href(&v.zone)) { (v.zone.name) } }
                            td.nombre { (population_text(&v.zone)) }
                            td.nombre { (v.shown) }
                            td { (v.class.map_or(if v.suppressed { "S".to_string() } else { "—".into() }, |i| (i + 1).to_string())) }
                        }
                    }
                }
            }
            p.aide { "« — » : valeur non calculable (population de la zone inconnue, aucun calcul disponible)." }
        }
    }
}

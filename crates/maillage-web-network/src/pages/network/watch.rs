//! The watch network (`/reseau/veille`, after Grand Nancy's Lab' Santé Solidarité Précarité): dysfunctions in
//! access to care observed in the field, dated and geotagged, assigned, solved or raised with an institution,
//! each step kept in the case's history. A map drawn by the server (SVG, numbered points over the quartiers)
//! with the table of cases as its text alternative: it works without JavaScript and fetches nothing.

use super::{
    Communes, MANAGE, Missing, NETWORK, Notice, Taken, Taking, WATCH, area, day, field, fr,
    local_text, posted_commune, reach, select, take, target,
};
use axum::extract::{Path, State};
use axum::http::Method;
use axum::response::Response;
use geo::{BoundingRect, InteriorPoint, MultiPolygon};
use maillage_network::codes::{WatchCategory, WatchStatus};
use maillage_network::watch::{self, Step};
use maillage_network::{Coded, parse_code};
use maillage_report::canvas::{Anchor, Canvas, Stroke, SvgCanvas};
use maillage_report::font::Weight;
use maillage_store::audit::Action;
use maillage_store::network::bodies;
use maillage_store::network::watch::{self as store, Case, CaseForm};
use maillage_store::zones::{self, ZoneKind};
use maillage_web_kit::auth::Caller;
use maillage_web_kit::error::WebError;
use maillage_web_kit::layout::csrf_field;
use maillage_web_kit::params::{Form, Params, Query};
use maillage_web_kit::permissions::Permission;
use maillage_web_kit::routes::Routes;
use maillage_web_kit::state::AppState;
use maud::{Markup, PreEscaped, html};
use serde_json::json;

pub fn routes(r: Routes) -> Routes {
    r.page(Method::GET, "/reseau/veille", WATCH, cases_page)
        .page(Method::POST, "/reseau/veille", MANAGE, create)
        .page(Method::GET, "/reseau/veille/{id}", WATCH, case_page)
        .page(Method::POST, "/reseau/veille/{id}", MANAGE, update)
        .page(Method::POST, "/reseau/veille/{id}/etape", MANAGE, step)
}

const MESSAGES: &[(&str, &str)] = &[
    ("signale", "le signalement est enregistré."),
    ("modifie", "le signalement est corrigé."),
    ("etape", "l'étape est enregistrée dans l'historique."),
];

fn id_of(s: &str) -> Result<i64, WebError> {
    s.parse().map_err(|_| WebError::NotFound)
}

fn form_of(caller: &Caller, f: &Params) -> CaseForm {
    CaseForm {
        commune: posted_commune(caller, f),
        body_id: f.get("instance").and_then(|b| b.parse().ok()),
        observed_on: f.raw("date_observation").into(),
        title: f.raw("titre").into(),
        description: f.raw("description").into(),
        category: f.raw("categorie").into(),
        public_concerned: f.raw("public_concerne").into(),
        place: f.raw("lieu").into(),
        lon: f.raw("longitude").into(),
        lat: f.raw("latitude").into(),
        reported_by: f.raw("signale_par").into(),
    }
}

fn case_form(
    caller: &Caller,
    communes: &Communes,
    action: &str,
    c: Option<&Case>,
    networks: &[bodies::Body],
) -> Markup {
    let sfx = action.replace('/', "-");
    let v = |f: fn(&Case) -> Option<String>| c.and_then(f).unwrap_or_default();
    html! {
        form.formulaire method="post" action=(action) {
            (csrf_field(caller))
            p.aide { "Décrivez une situation, jamais une personne : ni nom, ni adresse personnelle, ni information sur la santé d'une personne." }
            (field("titre", &format!("v-titre{sfx}"), "Titre", &v(|c| Some(c.title.clone())), "text", true))
            (communes.field(&format!("v-commune{sfx}"), false, c.map(|c| c.commune_code.as_deref())))
            (field("date_observation", &format!("v-date{sfx}"), "Date de l'observation", &v(|c| Some(c.observed_on.to_string())), "date", true))
            div.champ { label for=(format!("v-cat{sfx}")) { "Catégorie" } (select::<WatchCategory>("categorie", &format!("v-cat{sfx}"), c.map(|c| c.category.code()), None)) }
            (area("description", &format!("v-desc{sfx}"), "Description du dysfonctionnement", &v(|c| Some(c.description.clone())), 4))
            (field("public_concerne", &format!("v-public{sfx}"), "Public concerné", &v(|c| c.public_concerned.clone()), "text", false))
            (field("signale_par", &format!("v-par{sfx}"), "Signalé par (partenaire)", &v(|c| Some(c.reported_by.clone())), "text", true))
            (field("lieu", &format!("v-lieu{sfx}"), "Lieu (quartier, structure)", &v(|c| c.place.clone()), "text", false))
            (field("longitude", &format!("v-lon{sfx}"), "Longitude (WGS84, facultatif)", &v(|c| c.position.map(|p| p.0.to_string())), "text", false))
            (field("latitude", &format!("v-lat{sfx}"), "Latitude (WGS84, facultatif)", &v(|c| c.position.map(|p| p.1.to_string())), "text", false))
            @if !networks.is_empty() {
                div.champ {
                    label for=(format!("v-instance{sfx}")) { "Réseau ou instance de suivi" }
                    select name="instance" id=(format!("v-instance{sfx}")) {
                        option value="" { "— aucun —" }
                        @for b in networks { option value=(b.id) selected[c.and_then(|c| c.body_id) == Some(b.id)] { (b.name) } }
                    }
                }
            }
            button type="submit" { "Enregistrer le signalement" }
        }
    }
}

/// Longitude/latitude to the drawing, equirectangular around the mean latitude (true to scale for a town).
struct Frame {
    min_lon: f64,
    max_lat: f64,
    k: f64,
    scale: f64,
}

impl Frame {
    fn point(&self, lon: f64, lat: f64) -> (f32, f32) {
        (
            ((lon - self.min_lon) * self.k * self.scale) as f32 + 10.0,
            ((self.max_lat - lat) * self.scale) as f32 + 10.0,
        )
    }
}

/// The map: the communes where cases were seen, with their quartiers (or IRIS) as a backdrop, and each
/// geotagged case as a numbered point. None when no case is geotagged.
async fn map(state: &AppState, cases: &[(usize, &Case)]) -> Result<Option<String>, WebError> {
    let points: Vec<(usize, (f64, f64), WatchStatus)> = cases
        .iter()
        .filter_map(|(n, c)| c.position.map(|p| (*n, p, c.status)))
        .collect();
    if points.is_empty() {
        return Ok(None);
    }
    let st = state.store();
    let names: std::collections::HashMap<i64, String> = zones::list(st)
        .await?
        .into_iter()
        .map(|z| (z.id, z.name))
        .collect();
    let inside = |g: &MultiPolygon<f64>| {
        g.bounding_rect().is_some_and(|r| {
            points.iter().any(|(_, (x, y), _)| {
                *x >= r.min().x && *x <= r.max().x && *y >= r.min().y && *y <= r.max().y
            })
        })
    };
    let communes: Vec<(String, MultiPolygon<f64>)> = zones::geometries(st, &[ZoneKind::Commune])
        .await?
        .into_iter()
        .filter(|(_, _, _, g)| inside(g))
        .map(|(id, _, _, g)| (names.get(&id).cloned().unwrap_or_default(), g))
        .collect();
    let mut backdrop: Vec<(String, MultiPolygon<f64>)> =
        zones::geometries(st, &[ZoneKind::Quartier])
            .await?
            .into_iter()
            .map(|(id, _, _, g)| (names.get(&id).cloned().unwrap_or_default(), g))
            .collect();
    let labelled = !backdrop.is_empty();
    if backdrop.is_empty() {
        backdrop = zones::geometries(st, &[ZoneKind::Iris])
            .await?
            .into_iter()
            .map(|(_, _, _, g)| (String::new(), g))
            .collect();
    }
    // The view: the communes of the cases, or the points themselves with a margin.
    let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    let mut widen = |a: f64, b: f64, c: f64, d: f64| {
        x0 = x0.min(a);
        y0 = y0.min(b);
        x1 = x1.max(c);
        y1 = y1.max(d);
    };
    for (_, (x, y), _) in &points {
        widen(*x - 0.005, *y - 0.005, *x + 0.005, *y + 0.005);
    }
    for (_, g) in &communes {
        if let Some(r) = g.bounding_rect() {
            widen(r.min().x, r.min().y, r.max().x, r.max().y);
        }
    }
    let k = ((y0 + y1) / 2.0).to_radians().cos();
    let span_x = ((x1 - x0) * k).max(1e-4);
    let span_y = (y1 - y0).max(1e-4);
    let w = 720.0f32;
    let scale = f64::from(w - 20.0) / span_x;
    let h = ((span_y * scale) as f32 + 20.0).clamp(200.0, 900.0);
    let scale = scale.min(f64::from(h - 20.0) / span_y);
    let frame = Frame {
        min_lon: x0,
        max_lat: y1,
        k,
        scale,
    };
    let mut c = SvgCanvas::new(w, h);
    let edge = (0x6b, 0x6b, 0x6b);
    let ink = (0x1b, 0x1b, 0x1b);
    let rings = |g: &MultiPolygon<f64>| -> Vec<Vec<(f32, f32)>> {
        g.0.iter()
            .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
            .map(|r| r.0.iter().map(|p| frame.point(p.x, p.y)).collect())
            .collect()
    };
    c.clip(0.0, 0.0, w, h);
    for (_, g) in &backdrop {
        c.polygon(
            &rings(g),
            Some((0xff, 0xff, 0xff)),
            Some(Stroke::solid((0xb0, 0xb0, 0xb0), 0.6)),
        );
    }
    for (_, g) in &communes {
        c.polygon(&rings(g), None, Some(Stroke::solid(ink, 1.5)));
    }
    if labelled {
        for (name, g) in &backdrop {
            if let Some(p) = g.interior_point() {
                let (x, y) = frame.point(p.x(), p.y());
                c.text(x, y, 9.0, Weight::Regular, edge, Anchor::Middle, name);
            }
        }
    }
    for (n, (x, y), status) in &points {
        let (px, py) = frame.point(*x, *y);
        // Open cases as filled dark squares, closed ones as white squares: told apart by shape and the table,
        // not by colour alone.
        let open = watch::is_open(*status);
        let fill = if open {
            (0xa3, 0x00, 0x0b)
        } else {
            (0xff, 0xff, 0xff)
        };
        c.rect(
            px - 9.0,
            py - 9.0,
            18.0,
            18.0,
            Some(fill),
            Some(Stroke::solid(ink, 1.2)),
        );
        let text = if open { (0xff, 0xff, 0xff) } else { ink };
        c.text(
            px,
            py + 3.5,
            10.0,
            Weight::Bold,
            text,
            Anchor::Middle,
            &n.to_string(),
        );
    }
    c.end_clip();
    let commune_names = communes
        .iter()
        .map(|(n, _)| n.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    Ok(Some(c.finish(
        "Carte des signalements du réseau de veille",
        &format!(
            "{commune_names} : chaque signalement localisé est un carré numéroté (plein : en cours ; blanc : résolu ou clos). Le tableau qui suit donne les mêmes signalements avec leur numéro."
        ),
    )))
}

fn status_badge(s: WatchStatus) -> Markup {
    html! { span.statut { (fr(s)) } }
}

async fn render_cases(
    state: &AppState,
    caller: &Caller,
    notice: Notice,
    typed: Option<&CaseForm>,
) -> Result<Markup, WebError> {
    let cases = store::cases(state.store(), &reach(caller)).await?;
    let numbered: Vec<(usize, &Case)> = cases.iter().enumerate().map(|(i, c)| (i + 1, c)).collect();
    let svg = map(state, &numbered).await?;
    let open = cases.iter().filter(|c| watch::is_open(c.status)).count();
    let interpellations = cases
        .iter()
        .filter(|c| c.interpellation_on.is_some())
        .count();
    let networks: Vec<bodies::Body> = bodies::bodies(state.store(), &reach(caller)).await?;
    let communes = Communes::of(state, caller).await?;
    let content = html! {
        (notice.render())
        ul.tuiles {
            li { span.chiffre { (cases.len()) } "signalements" }
            li { span.chiffre { (open) } "en cours" }
            li { span.chiffre { (interpellations) } "interpellations d'institutions" }
        }
        @if let Some(svg) = svg {
            figure.carte-veille {
                (PreEscaped(svg))
                figcaption { "Signalements localisés, numérotés comme dans le tableau ci-dessous." }
            }
        } @else {
            p { "Aucun signalement n'est localisé : la carte n'est pas dessinée (le tableau ci-dessous les donne tous)." }
        }
        div.defilement {
            table {
                caption { "Signalements, en cours d'abord" }
                thead { tr { th scope="col" { "N°" } th scope="col" { "Signalement" } th scope="col" { "Catégorie" } th scope="col" { "Observé le" } th scope="col" { "Lieu" } th scope="col" { "Statut" } th scope="col" { "Suivi par" } @if communes.several() { th scope="col" { "Commune" } } } }
                tbody {
                    @for (n, c) in &numbered {
                        tr {
                            td.nombre { (n) }
                            th scope="row" { a href=(format!("/reseau/veille/{}", c.id)) { (c.title) } }
                            td { (fr(c.category)) }
                            td { (day(c.observed_on)) }
                            td { (c.place.as_deref().unwrap_or("—")) @if c.position.is_none() { " (non localisé)" } }
                            td { (status_badge(c.status)) @if let Some(i) = &c.institution { br; "interpellé(e) : " (i) } }
                            td { (c.assignee.as_deref().unwrap_or("—")) }
                            @if communes.several() { td { (communes.name(c.commune_code.as_deref())) } }
                        }
                    }
                }
            }
        }
        @if caller.has(Permission::NetworkManage) {
            details.modifier open[typed.is_some()] {
                summary { "Signaler un dysfonctionnement" }
                (case_form(caller, &communes, "/reseau/veille", None, &networks))
            }
        }
    };
    Ok(NETWORK.page(
        state,
        caller,
        "Réseau de veille — accès aux soins",
        "/reseau/veille",
        content,
    ))
}

async fn cases_page(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query,
) -> Result<Markup, WebError> {
    render_cases(&state, &caller, Notice::from_query(&q, MESSAGES), None).await
}

async fn create(
    State(state): State<AppState>,
    caller: Caller,
    Form(f): Form,
) -> Result<Response, WebError> {
    let form = form_of(&caller, &f);
    take(
        &state,
        &caller,
        Missing::Refused,
        async |tx, reach| -> Taking {
            let id = store::create_case(tx, reach, &form, &caller.account.identifier, super::now())
                .await?;
            Ok(Taken::audit(
                Action::NetworkChanged,
                target("veille", id),
                json!({ "signalement": true, "categorie": form.category }),
            )
            .then(format!("/reseau/veille/{id}"), "signale"))
        },
        async |reason| render_cases(&state, &caller, Notice::Refused(reason), Some(&form)).await,
    )
    .await
}

async fn render_case(
    state: &AppState,
    caller: &Caller,
    c: &Case,
    notice: Notice,
) -> Result<Markup, WebError> {
    let history = store::history(state.store(), &reach(caller), c.id).await?;
    let networks = bodies::bodies(state.store(), &reach(caller)).await?;
    let communes = Communes::of(state, caller).await?;
    let network = c.body_id.and_then(|b| networks.iter().find(|n| n.id == b));
    let next = watch::next_statuses(c.status);
    let content = html! {
        (notice.render())
        p { a href="/reseau/veille" { "← Tous les signalements" } }
        dl.fiche {
            dt { "Statut" } dd { (status_badge(c.status)) }
            dt { "Catégorie" } dd { (fr(c.category)) }
            dt { "Observé le" } dd { (day(c.observed_on)) }
            dt { "Signalé par" } dd { (c.reported_by) }
            @if let Some(p) = &c.public_concerned { dt { "Public concerné" } dd { (p) } }
            @if let Some(p) = &c.place { dt { "Lieu" } dd { (p) } }
            @if let Some((x, y)) = c.position { dt { "Coordonnées" } dd { (format!("{y:.5}, {x:.5}")) } }
            @if let Some(n) = network { dt { "Réseau" } dd { a href=(format!("/reseau/instances/{}", n.id)) { (n.name) } } }
            @if let Some(a) = &c.assignee { dt { "Attribué à" } dd { (a) } }
            @if let Some(s) = &c.solution { dt { "Solution" } dd { (s) } }
            @if let Some(i) = &c.institution { dt { "Institution interpellée" } dd { (i) @if let Some(d) = c.interpellation_on { ", le " (day(d)) } } }
        }
        h2 { "Description" }
        (super::paragraphs(&c.description))
        h2 { "Historique" }
        ol {
            @for h in &history {
                li {
                    (local_text(&h.at)) " — "
                    @if let Some(f) = h.from { (fr(f)) " → " }
                    strong { (fr(h.to)) } " (" (maillage_web_kit::layout::author(&h.by)) ")"
                    @if let Some(n) = &h.note { br; (n) }
                }
            }
        }
        @if caller.has(Permission::NetworkManage) {
            h2 { "Étape suivante" }
            form.formulaire method="post" action=(format!("/reseau/veille/{}/etape", c.id)) {
                (csrf_field(caller))
                fieldset {
                    legend { "Nouveau statut" }
                    @for (i, s) in next.iter().enumerate() {
                        div.case { input type="radio" name="statut" value=(s.code()) id=(format!("e-{}", s.code())) required checked[i == 0]; label for=(format!("e-{}", s.code())) { (fr(*s)) } }
                    }
                }
                (field("attribution", "e-attribution", "Attribué à (pour « attribué »)", c.assignee.as_deref().unwrap_or(""), "text", false))
                (area("solution", "e-solution", "Solution (pour « résolu »)", "", 2))
                (field("institution", "e-institution", "Institution interpellée (pour une interpellation : ARS, CPAM, préfecture…)", "", "text", false))
                (area("note", "e-note", "Note pour l'historique", "", 2))
                button type="submit" { "Enregistrer l'étape" }
            }
            details.modifier { summary { "Corriger le signalement" } (case_form(caller, &communes, &format!("/reseau/veille/{}", c.id), Some(c), &networks)) }
        }
    };
    Ok(NETWORK.page(state, caller, &c.title, "/reseau/veille", content))
}

async fn load(state: &AppState, caller: &Caller, id: &str) -> Result<Case, WebError> {
    store::case(state.store(), &reach(caller), id_of(id)?)
        .await?
        .ok_or(WebError::NotFound)
}

async fn case_page(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Query(q): Query,
) -> Result<Markup, WebError> {
    let c = load(&state, &caller, &id).await?;
    render_case(&state, &caller, &c, Notice::from_query(&q, MESSAGES)).await
}

async fn update(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Form(f): Form,
) -> Result<Response, WebError> {
    let c = load(&state, &caller, &id).await?;
    let form = form_of(&caller, &f);
    take(
        &state,
        &caller,
        Missing::Refused,
        async |tx, reach| -> Taking {
            store::update_case(tx, reach, c.id, &form, super::now()).await?;
            Ok(Taken::audit(
                Action::NetworkChanged,
                target("veille", c.id),
                json!({ "modification": true }),
            )
            .then(format!("/reseau/veille/{}", c.id), "modifie"))
        },
        async |reason| render_case(&state, &caller, &c, Notice::Refused(reason)).await,
    )
    .await
}

async fn step(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Form(f): Form,
) -> Result<Response, WebError> {
    let c = load(&state, &caller, &id).await?;
    let s = Step {
        assignee: f.get("attribution").map(str::to_string),
        solution: f.get("solution").map(str::to_string),
        institution: f.get("institution").map(str::to_string),
    };
    take(
        &state,
        &caller,
        Missing::Refused,
        async |tx, reach| -> Taking {
            let to: WatchStatus = parse_code("statut", f.raw("statut"))?;
            store::step(
                tx,
                reach,
                c.id,
                to,
                &s,
                f.raw("note"),
                &caller.account.identifier,
                super::now(),
            )
            .await?;
            Ok(Taken::audit(
                Action::NetworkChanged,
                target("veille", c.id),
                json!({ "de": c.status.code(), "vers": to.code() }),
            )
            .then(format!("/reseau/veille/{}", c.id), "etape"))
        },
        async |reason| render_case(&state, &caller, &c, Notice::Refused(reason)).await,
    )
    .await
}

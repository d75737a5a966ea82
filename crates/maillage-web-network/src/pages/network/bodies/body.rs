//! Bodies (`/reseau/instances`): the list with its creation form, a body's page (members, meetings, board of
//! actions) and its update.

use super::follow_ups::{board, follow_up_form};
use super::meetings::meeting_form;
use super::members::member_form;
use super::{HORIZON_DAYS, MESSAGES, id_of};
use crate::pages::network::{
    Communes, Missing, NETWORK, Notice, Taken, Taking, area, day, field, fr, local, now,
    posted_commune, reach, select, take, target, today,
};
use axum::extract::{Path, State};
use axum::response::Response;
use maillage_network::Coded;
use maillage_network::codes::{BodyKind, MeetingStatus, MemberType};
use maillage_network::reminders;
use maillage_store::audit::Action;
use maillage_store::change::Change;
use maillage_store::network::bodies::{self as store, Body, BodyForm};
use maillage_store::network::{Error, Reach};
use maillage_web_kit::auth::Caller;
use maillage_web_kit::error::WebError;
use maillage_web_kit::layout::csrf_field;
use maillage_web_kit::params::{Form, Params, Query};
use maillage_web_kit::permissions::Permission;
use maillage_web_kit::state::AppState;
use maud::{Markup, html};
use serde_json::json;
use std::collections::BTreeMap;

fn body_form_of(caller: &Caller, f: &Params) -> BodyForm {
    BodyForm {
        commune: posted_commune(caller, f),
        kind: f.raw("type").into(),
        name: f.raw("nom").into(),
        purpose: f.raw("objet").into(),
        parent_id: f.get("parent").and_then(|p| p.parse().ok()),
        cadence_days: f.raw("cadence").into(),
        consultative: f.flag("consultative"),
        pilot: f.raw("pilote").into(),
        since: f.raw("depuis").into(),
        active: f
            .get("active")
            .is_none_or(|v| matches!(v, "1" | "oui" | "on")),
    }
}

fn body_form(
    caller: &Caller,
    communes: &Communes,
    action: &str,
    b: Option<&Body>,
    parents: &[Body],
    parent: Option<i64>,
) -> Markup {
    let sfx = action.replace('/', "-");
    html! {
        form.formulaire method="post" action=(action) {
            (csrf_field(caller))
            (field("nom", &format!("b-nom{sfx}"), "Nom", b.map_or("", |b| b.name.as_str()), "text", true))
            (communes.field(&format!("b-commune{sfx}"), true, b.map(|b| b.commune_code.as_deref())))
            div.champ { label for=(format!("b-type{sfx}")) { "Type" } (select::<BodyKind>("type", &format!("b-type{sfx}"), b.map(|b| b.kind.code()).or(parent.map(|_| "sous_groupe")), None)) }
            (area("objet", &format!("b-objet{sfx}"), "Objet", b.and_then(|b| b.purpose.as_deref()).unwrap_or(""), 3))
            div.champ {
                label for=(format!("b-parent{sfx}")) { "Rattachée à (pour un sous-groupe)" }
                select name="parent" id=(format!("b-parent{sfx}")) {
                    option value="" { "— aucune —" }
                    @for p in parents.iter().filter(|p| Some(p.id) != b.map(|b| b.id)) {
                        option value=(p.id) selected[b.and_then(|b| b.parent_id).or(parent) == Some(p.id)] { (p.name) }
                    }
                }
            }
            (field("cadence", &format!("b-cadence{sfx}"), "Se réunit tous les … jours (60 : tous les deux mois)", &b.and_then(|b| b.cadence_days).map_or(String::new(), |c| c.to_string()), "number", false))
            (field("pilote", &format!("b-pilote{sfx}"), "Pilote", b.and_then(|b| b.pilot.as_deref()).unwrap_or(""), "text", false))
            (field("depuis", &format!("b-depuis{sfx}"), "Depuis le", &b.and_then(|b| b.since).map_or(String::new(), |d| d.to_string()), "date", false))
            div.case { input type="checkbox" name="consultative" value="1" id=(format!("b-consult{sfx}")) checked[b.is_some_and(|b| b.consultative)]; label for=(format!("b-consult{sfx}")) { "Instance consultative" } }
            div.case { input type="hidden" name="active" value="0"; input type="checkbox" name="active" value="1" id=(format!("b-active{sfx}")) checked[b.is_none_or(|b| b.active)]; label for=(format!("b-active{sfx}")) { "Active" } }
            button type="submit" { "Enregistrer l'instance" }
        }
    }
}

fn member_types(members: &[store::Member]) -> String {
    let mut counts: BTreeMap<MemberType, usize> = BTreeMap::new();
    for m in members {
        *counts.entry(m.member_type).or_default() += 1;
    }
    counts
        .iter()
        .map(|(t, n)| format!("{n} × {}", fr(*t)))
        .collect::<Vec<_>>()
        .join(" ; ")
}

async fn render_bodies(
    state: &AppState,
    caller: &Caller,
    notice: Notice,
) -> Result<Markup, WebError> {
    let bodies = store::bodies(state.store(), &reach(caller)).await?;
    let meetings = store::meetings(state.store(), &reach(caller), None).await?;
    let communes = Communes::of(state, caller).await?;
    let now = now();
    let name_of: BTreeMap<i64, &str> = bodies.iter().map(|b| (b.id, b.name.as_str())).collect();
    let content = html! {
        (notice.render())
        div.defilement {
            table {
                caption { "Instances de concertation et sous-groupes" }
                thead { tr { th scope="col" { "Instance" } th scope="col" { "Type" } th scope="col" { "Membres" } th scope="col" { "Rythme" } th scope="col" { "Prochaine réunion" } @if communes.several() { th scope="col" { "Tenue par" } } } }
                tbody {
                    @for b in &bodies {
                        @let next = meetings.iter().filter(|m| m.body_id == b.id && m.starts_at >= now && m.status == MeetingStatus::Planned).map(|m| m.starts_at).min();
                        tr {
                            th scope="row" {
                                a href=(format!("/reseau/instances/{}", b.id)) { (b.name) }
                                @if let Some(p) = b.parent_id.and_then(|p| name_of.get(&p)) { br; span.aide { "sous-groupe de " (p) } }
                                @if !b.active { " (inactive)" }
                            }
                            td { (fr(b.kind)) }
                            td.nombre { (b.members) }
                            td { (b.cadence_days.map_or("—".into(), cadence_text)) }
                            td { (next.map(local).unwrap_or_else(|| "—".into())) }
                            @if communes.several() { td { (communes.name(b.commune_code.as_deref())) } }
                        }
                    }
                }
            }
        }
        p { a href="/reseau/agenda.ics" { "Télécharger l'agenda de toutes les réunions (iCalendar)" } }
        @if caller.has(Permission::NetworkManage) {
            details.modifier {
                summary { "Créer une instance" }
                (body_form(caller, &communes, "/reseau/instances", None, &bodies, None))
            }
        }
    };
    Ok(NETWORK.page(
        state,
        caller,
        "Instances et réunions",
        "/reseau/instances",
        content,
    ))
}

pub(crate) fn cadence_text(days: i64) -> String {
    match days {
        7 => "toutes les semaines".into(),
        14 | 15 => "tous les quinze jours".into(),
        28..=31 => "tous les mois".into(),
        56..=62 => "tous les deux mois".into(),
        84..=92 => "tous les trois mois".into(),
        115..=125 => "trois fois par an".into(),
        d => format!("tous les {d} jours"),
    }
}

pub(super) async fn bodies_page(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query,
) -> Result<Markup, WebError> {
    render_bodies(&state, &caller, Notice::from_query(&q, MESSAGES)).await
}

pub(super) async fn create_body(
    State(state): State<AppState>,
    caller: Caller,
    Form(f): Form,
) -> Result<Response, WebError> {
    let form = body_form_of(&caller, &f);
    take(
        &state,
        &caller,
        Missing::Refused,
        async |tx, reach| -> Taking {
            let id = store::save_body(tx, reach, None, &form, now()).await?;
            Ok(Taken::audit(
                Action::NetworkChanged,
                target("instance", id),
                json!({ "creation": true, "type": form.kind }),
            )
            .then(format!("/reseau/instances/{id}"), "instance"))
        },
        async |reason| render_bodies(&state, &caller, Notice::Refused(reason)).await,
    )
    .await
}

pub(super) async fn render_body(
    state: &AppState,
    caller: &Caller,
    b: &Body,
    notice: Notice,
) -> Result<Markup, WebError> {
    let st = state.store();
    let members = store::members(st, &reach(caller), b.id).await?;
    let all = store::bodies(st, &reach(caller)).await?;
    let communes = Communes::of(state, caller).await?;
    let subgroups: Vec<&Body> = all.iter().filter(|x| x.parent_id == Some(b.id)).collect();
    let parent = b.parent_id.and_then(|p| all.iter().find(|x| x.id == p));
    let meetings = store::meetings(st, &reach(caller), Some(b.id)).await?;
    let actions = store::actions(st, &reach(caller), Some(b.id)).await?;
    let decisions = store::decisions(st, &reach(caller), None, Some(b.id)).await?;
    let manage = caller.has(Permission::NetworkManage);
    let now = now();
    let t = today();
    let last_held = meetings
        .iter()
        .filter(|m| m.status == MeetingStatus::Held)
        .map(|m| maillage_store::network::today(m.starts_at))
        .max();
    let next = meetings
        .iter()
        .filter(|m| m.status == MeetingStatus::Planned && m.starts_at >= now)
        .map(|m| maillage_store::network::today(m.starts_at))
        .min();
    let cadence = reminders::cadence(b.cadence_days, last_held, next, t, HORIZON_DAYS);
    let co_chairs: Vec<&store::Member> = members.iter().filter(|m| m.co_chair).collect();
    let title_of: BTreeMap<i64, &str> = meetings.iter().map(|m| (m.id, m.title.as_str())).collect();
    let content = html! {
        (notice.render())
        dl.fiche {
            dt { "Type" } dd { (fr(b.kind)) @if b.consultative { " — consultative" } }
            @if let Some(p) = parent { dt { "Rattachée à" } dd { a href=(format!("/reseau/instances/{}", p.id)) { (p.name) } } }
            @if let Some(p) = &b.purpose { dt { "Objet" } dd { (p) } }
            @if let Some(p) = &b.pilot { dt { "Pilote" } dd { (p) } }
            @if let Some(d) = b.since { dt { "Depuis le" } dd { (day(d)) } }
            dt { "Rythme" } dd { (b.cadence_days.map_or("non fixé".into(), cadence_text)) }
            dt { "Co-présidence" } dd { @if co_chairs.is_empty() { "—" } @else { (co_chairs.iter().map(|m| format!("{} ({})", m.name, m.function.as_deref().unwrap_or(&fr(m.member_type)))).collect::<Vec<_>>().join(" et ")) } }
            @if !b.active { dt { "État" } dd { "inactive" } }
        }
        @if let Some(c) = cadence { div.message.info role="status" { p { strong { "À réunir : " } (fr(c)) "." } } }
        @if !subgroups.is_empty() {
            h2 { "Sous-groupes de travail" }
            ul { @for s in &subgroups { li { a href=(format!("/reseau/instances/{}", s.id)) { (s.name) } " (" (s.members) " membres)" } } }
        }
        h2 { "Membres (" (members.len()) ")" }
        p { (member_types(&members)) }
        div.defilement {
            table {
                thead { tr { th scope="col" { "Nom" } th scope="col" { "Fonction" } th scope="col" { "Organisme" } th scope="col" { "Type" } @if manage { th scope="col" { "Contact" } th scope="col" { "Actions" } } } }
                tbody {
                    @for m in &members {
                        tr {
                            th scope="row" { (m.name) @if m.co_chair { " — " strong { "co-président(e)" } } }
                            td { (m.function.as_deref().unwrap_or("—")) }
                            td { (m.organisation.as_deref().unwrap_or("—")) }
                            td { (fr(m.member_type)) }
                            @if manage {
                                td { (m.email.as_deref().unwrap_or("")) @if m.email.is_some() && m.phone.is_some() { br; } (m.phone.as_deref().unwrap_or("")) }
                                td { a.bouton-danger href=(format!("/reseau/membres/{}/suppression", m.id)) { "Retirer" span.visuellement-cache { " " (m.name) } "…" } }
                            }
                        }
                    }
                }
            }
        }
        h2 { "Réunions" }
        @if meetings.is_empty() { p { "Aucune réunion." } }
        ul { @for m in meetings.iter().rev() { li { a href=(format!("/reseau/reunions/{}", m.id)) { (m.title) } " — " (local(m.starts_at)) " — " (fr(m.status)) } } }
        p { a href=(format!("/reseau/agenda.ics?instance={}", b.id)) { "Agenda de cette instance (iCalendar)" } }
        h2 { "Tableau des dossiers en cours" }
        (board(caller, &actions))
        h2 { "Relevé des décisions" }
        @if decisions.is_empty() { p { "Aucune décision enregistrée." } }
        ul { @for d in &decisions { li { (d.text) " — " a href=(format!("/reseau/reunions/{}", d.meeting_id)) { (title_of.get(&d.meeting_id).copied().unwrap_or("réunion")) } } } }
        @if manage {
            h2 { "Gérer l'instance" }
            details.modifier { summary { "Ajouter un membre" } (member_form(caller, b.id)) }
            details.modifier { summary { "Programmer une réunion" } (meeting_form(caller, &format!("/reseau/instances/{}/reunions", b.id), None)) }
            details.modifier { summary { "Ajouter une action de suivi" } (follow_up_form(caller, &format!("/reseau/instances/{}/actions", b.id), &meetings, None)) }
            details.modifier { summary { "Créer un sous-groupe" } (body_form(caller, &communes, "/reseau/instances", None, &all, Some(b.id))) }
            details.modifier { summary { "Modifier l'instance" } (body_form(caller, &communes, &format!("/reseau/instances/{}", b.id), Some(b), &all, None)) }
        }
    };
    Ok(NETWORK.page(state, caller, &b.name, "/reseau/instances", content))
}

pub(super) async fn body_page(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Query(q): Query,
) -> Result<Markup, WebError> {
    let b = store::body(state.store(), &reach(&caller), id_of(&id)?)
        .await?
        .ok_or(WebError::NotFound)?;
    render_body(&state, &caller, &b, Notice::from_query(&q, MESSAGES)).await
}

pub(super) async fn load_body(
    state: &AppState,
    caller: &Caller,
    id: &str,
) -> Result<Body, WebError> {
    store::body(state.store(), &reach(caller), id_of(id)?)
        .await?
        .ok_or(WebError::NotFound)
}

/// Takes a change made from a body's page: audited on the body, back to its page, or the page again.
pub(super) async fn on_body(
    state: &AppState,
    caller: &Caller,
    b: &Body,
    code: &'static str,
    details: serde_json::Value,
    work: impl AsyncFnOnce(&mut Change, &Reach) -> Result<(), Error>,
) -> Result<Response, WebError> {
    take(
        state,
        caller,
        Missing::Refused,
        async |tx, reach| -> Taking {
            work(tx, reach).await?;
            Ok(
                Taken::audit(Action::NetworkChanged, target("instance", b.id), details)
                    .then(format!("/reseau/instances/{}", b.id), code),
            )
        },
        async |reason| render_body(state, caller, b, Notice::Refused(reason)).await,
    )
    .await
}

pub(super) async fn update_body(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Form(f): Form,
) -> Result<Response, WebError> {
    let b = load_body(&state, &caller, &id).await?;
    let form = body_form_of(&caller, &f);
    on_body(
        &state,
        &caller,
        &b,
        "instance",
        json!({ "modification": true }),
        async |tx, reach| {
            store::save_body(tx, reach, Some(b.id), &form, now())
                .await
                .map(drop)
        },
    )
    .await
}

//! Bodies and meetings (`/reseau/instances`, `/reseau/reunions/{id}`) and the network's dashboard (`/reseau`):
//! bodies with typed members, co-chairs, sub-groups and cadence; meetings with their agenda, questions
//! collected beforehand, attendance, minutes and decisions; follow-up actions with owners and due dates on a
//! board by status; reminders of overdue actions (on the dashboard, and by e-mail to their owners).

use super::{
    BODIES, Communes, MANAGE, Notice, area, begin, commit, day, done, field, fr, local,
    local_input, local_input_value, page, paragraphs, posted_commune, reach, refusal, refused,
    select, target, today,
};
use axum::extract::{Path, State};
use axum::http::Method;
use axum::response::{IntoResponse, Response};
use maillage_network::codes::{ActionStatus, Attendance, BodyKind, MeetingStatus, MemberType};
use maillage_network::reminders::{self, Due};
use maillage_network::{Coded, parse_code};
use maillage_store::audit::Action;
use maillage_store::network::bodies::{
    self as store, Body, BodyForm, FollowUp, FollowUpForm, Meeting, MeetingForm, MemberForm,
};
use maillage_web_kit::auth::Caller;
use maillage_web_kit::error::WebError;
use maillage_web_kit::layout::csrf_field;
use maillage_web_kit::params::{Form, Params, Query};
use maillage_web_kit::permissions::Permission;
use maillage_web_kit::routes::Routes;
use maillage_web_kit::state::AppState;
use maud::{Markup, html};
use serde_json::json;
use std::collections::BTreeMap;

pub fn routes(r: Routes) -> Routes {
    r.page(Method::GET, "/reseau", BODIES, home)
        .page(Method::POST, "/reseau/rappels", MANAGE, send_reminders)
        .page(Method::GET, "/reseau/instances", BODIES, bodies_page)
        .page(Method::POST, "/reseau/instances", MANAGE, create_body)
        .page(Method::GET, "/reseau/instances/{id}", BODIES, body_page)
        .page(Method::POST, "/reseau/instances/{id}", MANAGE, update_body)
        .page(
            Method::POST,
            "/reseau/instances/{id}/membres",
            MANAGE,
            add_member,
        )
        .page(
            Method::POST,
            "/reseau/membres/{id}/suppression",
            MANAGE,
            delete_member,
        )
        .page(
            Method::POST,
            "/reseau/instances/{id}/reunions",
            MANAGE,
            add_meeting,
        )
        .page(
            Method::POST,
            "/reseau/instances/{id}/actions",
            MANAGE,
            add_action,
        )
        .page(
            Method::POST,
            "/reseau/actions/{id}/statut",
            MANAGE,
            action_status,
        )
        .page(Method::GET, "/reseau/reunions/{id}", BODIES, meeting_page)
        .page(
            Method::POST,
            "/reseau/reunions/{id}",
            MANAGE,
            update_meeting,
        )
        .page(
            Method::POST,
            "/reseau/reunions/{id}/questions",
            MANAGE,
            question,
        )
        .page(
            Method::POST,
            "/reseau/reunions/{id}/presences",
            MANAGE,
            attendance,
        )
        .page(
            Method::POST,
            "/reseau/reunions/{id}/decisions",
            MANAGE,
            decision,
        )
}

/// Days ahead an action or a report is shown as coming due.
pub(crate) const HORIZON_DAYS: i64 = 14;

const MESSAGES: &[(&str, &str)] = &[
    ("instance", "l'instance est enregistrée."),
    ("membre", "le membre est enregistré."),
    ("membre_supprime", "le membre est retiré de l'instance."),
    ("reunion", "la réunion est enregistrée."),
    ("action", "l'action de suivi est enregistrée."),
    ("question", "la question est enregistrée."),
    ("presences", "les présences sont enregistrées."),
    ("decision", "la décision est enregistrée."),
];

fn id_of(s: &str) -> Result<i64, WebError> {
    s.parse().map_err(|_| WebError::NotFound)
}

fn due_text(d: Due) -> Markup {
    html! { @if d.is_overdue() { span.en-retard { (fr(d)) } } @else { (fr(d)) } }
}

// ---------------------------------------------------------------------------------------------------------------
// The dashboard.

/// The network's reminders: overdue (or coming) follow-up actions, bodies late on their cadence.
pub(crate) struct Reminders {
    pub actions: Vec<(FollowUp, Due)>,
    pub cadence: Vec<(Body, reminders::Cadence)>,
}

pub(crate) async fn reminders_of(state: &AppState, caller: &Caller) -> Result<Reminders, WebError> {
    let t = today();
    let actions: Vec<(FollowUp, Due)> = store::actions(state.store(), &reach(caller), None)
        .await?
        .into_iter()
        .filter_map(|a| reminders::action(a.status, a.due_on, t, HORIZON_DAYS).map(|d| (a, d)))
        .collect();
    let meetings = store::meetings(state.store(), &reach(caller), None).await?;
    let mut cadence = Vec::new();
    for b in store::bodies(state.store(), &reach(caller))
        .await?
        .into_iter()
        .filter(|b| b.active)
    {
        let mine = meetings
            .iter()
            .filter(|m| m.body_id == b.id && m.status != MeetingStatus::Cancelled);
        let last_held = mine
            .clone()
            .filter(|m| m.status == MeetingStatus::Held)
            .map(|m| super::store::today(m.starts_at))
            .max();
        let next = mine
            .filter(|m| m.status == MeetingStatus::Planned)
            .map(|m| super::store::today(m.starts_at))
            .filter(|d| *d >= t)
            .min();
        if let Some(c) = reminders::cadence(b.cadence_days, last_held, next, t, HORIZON_DAYS) {
            cadence.push((b, c));
        }
    }
    Ok(Reminders { actions, cadence })
}

fn actions_table(actions: &[(FollowUp, Due)], caption: &str) -> Markup {
    html! {
        div.defilement {
            table {
                caption { (caption) }
                thead { tr { th scope="col" { "Action" } th scope="col" { "Instance" } th scope="col" { "Responsable" } th scope="col" { "Échéance" } th scope="col" { "État" } } }
                tbody {
                    @for (a, d) in actions {
                        tr {
                            th scope="row" { (a.title) }
                            td { a href=(format!("/reseau/instances/{}", a.body_id)) { (a.body_name) } }
                            td { (a.owner) }
                            td { (a.due_on.map(day).unwrap_or_default()) }
                            td { (due_text(*d)) " (" (fr(a.status)) ")" }
                        }
                    }
                }
            }
        }
    }
}

async fn home(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query,
) -> Result<Markup, WebError> {
    let r = reminders_of(&state, &caller).await?;
    let bodies = store::bodies(state.store(), &reach(&caller)).await?;
    let now = super::now();
    let upcoming: Vec<Meeting> = store::meetings(state.store(), &reach(&caller), None)
        .await?
        .into_iter()
        .filter(|m| m.starts_at >= now && m.status == MeetingStatus::Planned)
        .take(6)
        .collect();
    let overdue = r.actions.iter().filter(|(_, d)| d.is_overdue()).count();
    let watch_open = if caller.has(Permission::WatchRead) {
        let cases = maillage_store::network::watch::cases(state.store(), &reach(&caller)).await?;
        Some(
            cases
                .iter()
                .filter(|c| maillage_network::watch::is_open(c.status))
                .count(),
        )
    } else {
        None
    };
    let reports = if caller.has(Permission::ClsRead) {
        super::cls::report_reminders(&state, &caller).await?
    } else {
        Vec::new()
    };
    let notice = match q.get("fait") {
        Some("rappels") => Notice::Done(format!(
            "rappels traités : {}",
            q.get("detail")
                .unwrap_or("")
                .chars()
                .take(200)
                .collect::<String>()
        )),
        _ => Notice::None,
    };
    let content = html! {
        (notice.render())
        ul.tuiles {
            li { span.chiffre { (bodies.len()) } "instances et sous-groupes" }
            li { span.chiffre { (upcoming.len()) } "réunions à venir" }
            li { span.chiffre { (overdue) } "actions de suivi en retard" }
            li { span.chiffre { (r.cadence.len()) } "instances à réunir" }
            @if let Some(n) = watch_open { li { span.chiffre { (n) } a href="/reseau/veille" { "signalements en cours" } } }
            @if caller.has(Permission::ClsRead) { li { span.chiffre { (reports.len()) } a href="/cls" { "bilans de financement à envoyer" } } }
        }
        h2 { "Prochaines réunions" }
        @if upcoming.is_empty() { p { "Aucune réunion prévue." } }
        ul { @for m in &upcoming { li { a href=(format!("/reseau/reunions/{}", m.id)) { (m.body_name) " — " (m.title) } ", le " (local(m.starts_at)) @if let Some(p) = &m.place { ", " (p) } } } }
        p { a href="/reseau/agenda.ics" { "Télécharger l'agenda (iCalendar)" } " · " a href="#abonnement" { "s'abonner depuis un agenda" } }
        h2 { "Actions de suivi en retard ou à échéance sous " (HORIZON_DAYS) " jours" }
        @if r.actions.is_empty() { p { "Aucune." } } @else { (actions_table(&r.actions, "Actions à relancer")) }
        @if caller.has(Permission::NetworkManage) && !r.actions.is_empty() {
            form method="post" action="/reseau/rappels" {
                (csrf_field(&caller))
                p.aide { "Envoie à chaque responsable dont l'adresse est connue la liste de ses actions en retard ou à échéance (par le serveur de courriel ; sans serveur configuré, un fichier à transmettre est proposé)." }
                button type="submit" { "Envoyer les rappels par courriel" }
            }
        }
        h2 { "Instances à réunir" }
        @if r.cadence.is_empty() { p { "Toutes les instances suivent leur rythme de réunion." } }
        ul { @for (b, c) in &r.cadence { li { a href=(format!("/reseau/instances/{}", b.id)) { (b.name) } " : " (fr(*c)) } } }
        @if !reports.is_empty() {
            h2 { "Bilans de financement à envoyer" }
            ul { @for (label, funder, due, d) in &reports { li { (label) " — " (funder) " : pour le " (day(*due)) ", " (due_text(*d)) } } }
        }
        (super::calendar::subscription(&state, &caller).await?)
    };
    Ok(page(
        &state,
        &caller,
        "Réseau et instances",
        "/reseau",
        content,
    ))
}

/// Sends each owner (with an e-mail address) the list of their overdue or coming actions.
async fn send_reminders(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Response, WebError> {
    let r = reminders_of(&state, &caller).await?;
    let mut by_owner: BTreeMap<(String, String), Vec<&(FollowUp, Due)>> = BTreeMap::new();
    let mut without_email = 0;
    for item in &r.actions {
        match &item.0.owner_email {
            Some(e) => by_owner
                .entry((item.0.owner.clone(), e.clone()))
                .or_default()
                .push(item),
            None => without_email += 1,
        }
    }
    let t = today();
    let smtp = maillage_store::network::relay::smtp(state.store()).await?;
    let sender = smtp
        .as_ref()
        .map_or("la coordination".to_string(), |s| s.sender_name.clone());
    let mut sent = 0;
    let mut failed = 0;
    let mut ids = Vec::new();
    for ((owner, email), items) in &by_owner {
        let list: Vec<maillage_network::mail::ReminderItem> = items
            .iter()
            .filter_map(|(a, _)| {
                a.due_on.map(|d| maillage_network::mail::ReminderItem {
                    title: a.title.clone(),
                    body: a.body_name.clone(),
                    due_on: d,
                    days_late: reminders::days_between(d, t),
                })
            })
            .collect();
        let text = maillage_network::mail::reminder_text(owner, &list, &sender);
        match &smtp {
            Some(s) => {
                let outgoing = super::smtp::Outgoing {
                    to_name: owner.clone(),
                    to_email: email.clone(),
                    subject: "Rappel : actions de suivi à échéance".into(),
                    text,
                    list_id: None,
                    unsubscribe_url: None,
                };
                match super::smtp::send(s, &outgoing).await {
                    Ok(()) => {
                        sent += 1;
                        ids.extend(items.iter().map(|(a, _)| a.id));
                    }
                    Err(_) => failed += 1,
                }
            }
            None => failed += 1,
        }
    }
    let mut tx = begin(&state, &caller).await?;
    store::mark_reminded(&mut tx, &reach(&caller), &ids, super::now()).await?;
    commit(
        tx,
        &caller,
        Action::NetworkMessageSent,
        "reseau:rappels",
        json!({ "envoyes": sent, "echecs": failed, "sans_adresse": without_email }),
    )
    .await?;
    let detail = if smtp.is_none() {
        "aucun serveur de courriel n'est configuré (Paramètres › Courriel) : rien n'a été envoyé"
            .to_string()
    } else {
        format!(
            "{sent} courriel(s) envoyé(s), {failed} échec(s), {without_email} action(s) sans adresse de responsable"
        )
    };
    let q = form_urlencoded::Serializer::new(String::new())
        .append_pair("fait", "rappels")
        .append_pair("detail", &detail)
        .finish();
    let mut resp = axum::http::StatusCode::SEE_OTHER.into_response();
    if let Ok(v) = axum::http::HeaderValue::from_str(&format!("/reseau?{q}")) {
        resp.headers_mut().insert(axum::http::header::LOCATION, v);
    }
    Ok(resp)
}

// ---------------------------------------------------------------------------------------------------------------
// Bodies.

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
    let now = super::now();
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
    Ok(page(
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

async fn bodies_page(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query,
) -> Result<Markup, WebError> {
    render_bodies(&state, &caller, Notice::from_query(&q, MESSAGES)).await
}

async fn create_body(
    State(state): State<AppState>,
    caller: Caller,
    Form(f): Form,
) -> Result<Response, WebError> {
    let form = body_form_of(&caller, &f);
    let mut tx = begin(&state, &caller).await?;
    match store::save_body(&mut tx, &reach(&caller), None, &form, super::now()).await {
        Ok(id) => {
            commit(
                tx,
                &caller,
                Action::NetworkChanged,
                &target("instance", id),
                json!({ "creation": true, "type": form.kind }),
            )
            .await?;
            Ok(done(&format!("/reseau/instances/{id}"), "instance"))
        }
        Err(e) => {
            drop(tx);
            let m = refusal(e)?;
            Ok(refused(
                render_bodies(&state, &caller, Notice::Refused(m)).await?,
            ))
        }
    }
}

fn follow_up_form(
    caller: &Caller,
    action: &str,
    meetings: &[Meeting],
    meeting: Option<i64>,
) -> Markup {
    let sfx = action.replace('/', "-");
    html! {
        form.formulaire method="post" action=(action) {
            (csrf_field(caller))
            (field("action", &format!("a-titre{sfx}"), "Action", "", "text", true))
            (field("responsable", &format!("a-resp{sfx}"), "Responsable", "", "text", true))
            (field("courriel_responsable", &format!("a-courriel{sfx}"), "Courriel du responsable (pour les rappels)", "", "email", false))
            (field("echeance", &format!("a-echeance{sfx}"), "Échéance", "", "date", false))
            @if meeting.is_none() && !meetings.is_empty() {
                div.champ {
                    label for=(format!("a-reunion{sfx}")) { "Décidée lors de la réunion" }
                    select name="reunion" id=(format!("a-reunion{sfx}")) {
                        option value="" { "— aucune —" }
                        @for m in meetings { option value=(m.id) { (m.title) " (" (local(m.starts_at)) ")" } }
                    }
                }
            }
            @if let Some(m) = meeting { input type="hidden" name="reunion" value=(m); }
            button type="submit" { "Ajouter l'action" }
        }
    }
}

fn board(caller: &Caller, actions: &[FollowUp]) -> Markup {
    let t = today();
    let manage = caller.has(Permission::NetworkManage);
    html! {
        div.tableau-suivi {
            @for status in ActionStatus::ALL {
                @let items: Vec<&FollowUp> = actions.iter().filter(|a| a.status == *status).collect();
                section aria-labelledby=(format!("col-{}", status.code())) {
                    h3 id=(format!("col-{}", status.code())) { (fr(*status)) " (" (items.len()) ")" }
                    ul {
                        @for a in items {
                            li {
                                strong { (a.title) } br;
                                "Responsable : " (a.owner)
                                @if let Some(d) = a.due_on { br; "Échéance : " (day(d)) @if let Some(due) = reminders::action(a.status, Some(d), t, HORIZON_DAYS) { " — " (due_text(due)) } }
                                @if let Some(d) = a.done_on { br; "Faite le " (day(d)) }
                                @if let Some(m) = a.meeting_id { br; a href=(format!("/reseau/reunions/{m}")) { "Réunion d'origine" } }
                                @if manage {
                                    @for next in ActionStatus::ALL.iter().filter(|s| **s != a.status) {
                                        form method="post" action=(format!("/reseau/actions/{}/statut", a.id)) {
                                            (csrf_field(caller))
                                            input type="hidden" name="statut" value=(next.code());
                                            button type="submit" { "→ " (fr(*next)) span.visuellement-cache { " : " (a.title) } }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

async fn render_body(
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
    let now = super::now();
    let t = today();
    let last_held = meetings
        .iter()
        .filter(|m| m.status == MeetingStatus::Held)
        .map(|m| super::store::today(m.starts_at))
        .max();
    let next = meetings
        .iter()
        .filter(|m| m.status == MeetingStatus::Planned && m.starts_at >= now)
        .map(|m| super::store::today(m.starts_at))
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
                                td { form method="post" action=(format!("/reseau/membres/{}/suppression", m.id)) { (csrf_field(caller)) button type="submit" { "Retirer" span.visuellement-cache { " " (m.name) } } } }
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
    Ok(page(state, caller, &b.name, "/reseau/instances", content))
}

fn member_form(caller: &Caller, body_id: i64) -> Markup {
    html! {
        form.formulaire method="post" action=(format!("/reseau/instances/{body_id}/membres")) {
            (csrf_field(caller))
            (field("nom", "m-nom", "Nom (ou « Un représentant des usagers »)", "", "text", true))
            (field("fonction", "m-fonction", "Fonction", "", "text", false))
            (field("organisme", "m-organisme", "Organisme", "", "text", false))
            div.champ { label for="m-type" { "Type de membre" } (select::<MemberType>("type_membre", "m-type", None, None)) }
            div.case { input type="checkbox" name="copresident" value="1" id="m-copresident"; label for="m-copresident" { "Co-président(e)" } }
            (field("courriel", "m-courriel", "Courriel", "", "email", false))
            (field("telephone", "m-telephone", "Téléphone", "", "tel", false))
            (field("depuis", "m-depuis", "Membre depuis le", "", "date", false))
            button type="submit" { "Ajouter le membre" }
        }
    }
}

fn meeting_form(caller: &Caller, action: &str, m: Option<&Meeting>) -> Markup {
    let sfx = action.replace('/', "-");
    html! {
        form.formulaire method="post" action=(action) {
            (csrf_field(caller))
            (field("titre", &format!("r-titre{sfx}"), "Titre", m.map_or("", |m| m.title.as_str()), "text", true))
            (field("debut", &format!("r-debut{sfx}"), "Début (heure de Paris)", &m.map(|m| local_input_value(m.starts_at)).unwrap_or_default(), "datetime-local", true))
            (field("fin", &format!("r-fin{sfx}"), "Fin", &m.and_then(|m| m.ends_at).map(local_input_value).unwrap_or_default(), "datetime-local", false))
            (field("lieu", &format!("r-lieu{sfx}"), "Lieu (ou lien de visioconférence)", m.and_then(|m| m.place.as_deref()).unwrap_or(""), "text", false))
            @if m.is_some() { div.champ { label for=(format!("r-statut{sfx}")) { "Statut" } (select::<MeetingStatus>("statut", &format!("r-statut{sfx}"), m.map(|m| m.status.code()), None)) } }
            (area("ordre_du_jour", &format!("r-odj{sfx}"), "Ordre du jour", m.and_then(|m| m.agenda.as_deref()).unwrap_or(""), 4))
            @if m.is_some() { (area("compte_rendu", &format!("r-cr{sfx}"), "Compte rendu", m.and_then(|m| m.minutes.as_deref()).unwrap_or(""), 8)) }
            button type="submit" { "Enregistrer la réunion" }
        }
    }
}

async fn body_page(
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

async fn load_body(state: &AppState, caller: &Caller, id: &str) -> Result<Body, WebError> {
    store::body(state.store(), &reach(caller), id_of(id)?)
        .await?
        .ok_or(WebError::NotFound)
}

/// Runs a change of a body's page: audit, commit and redirect, or the page again with the reason.
async fn body_finish(
    state: &AppState,
    caller: &Caller,
    b: &Body,
    tx: maillage_store::change::Change,
    r: Result<(), maillage_store::network::Error>,
    code: &'static str,
    details: serde_json::Value,
) -> Result<Response, WebError> {
    match r {
        Ok(()) => {
            commit(
                tx,
                caller,
                Action::NetworkChanged,
                &target("instance", b.id),
                details,
            )
            .await?;
            Ok(done(&format!("/reseau/instances/{}", b.id), code))
        }
        Err(e) => {
            drop(tx);
            let m = refusal(e)?;
            Ok(refused(
                render_body(state, caller, b, Notice::Refused(m)).await?,
            ))
        }
    }
}

async fn update_body(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Form(f): Form,
) -> Result<Response, WebError> {
    let b = load_body(&state, &caller, &id).await?;
    let form = body_form_of(&caller, &f);
    let mut tx = begin(&state, &caller).await?;
    let r =
        async { store::save_body(&mut tx, &reach(&caller), Some(b.id), &form, super::now()).await }
            .await
            .map(drop);
    body_finish(
        &state,
        &caller,
        &b,
        tx,
        r,
        "instance",
        json!({ "modification": true }),
    )
    .await
}

async fn add_member(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Form(f): Form,
) -> Result<Response, WebError> {
    let b = load_body(&state, &caller, &id).await?;
    let form = MemberForm {
        name: f.raw("nom").into(),
        function: f.raw("fonction").into(),
        organisation: f.raw("organisme").into(),
        member_type: f.raw("type_membre").into(),
        co_chair: f.flag("copresident"),
        email: f.raw("courriel").into(),
        phone: f.raw("telephone").into(),
        actor_id: f.get("acteur").and_then(|a| a.parse().ok()),
        since: f.raw("depuis").into(),
        until: f.raw("jusqu_au").into(),
    };
    let mut tx = begin(&state, &caller).await?;
    let r = async {
        store::save_member(&mut tx, &reach(&caller), None, b.id, &form, super::now()).await
    }
    .await
    .map(drop);
    body_finish(
        &state,
        &caller,
        &b,
        tx,
        r,
        "membre",
        json!({ "membre": "ajout", "type": form.member_type }),
    )
    .await
}

async fn delete_member(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = id_of(&id)?;
    let body_id = store::all_members(state.store(), &reach(&caller))
        .await?
        .into_iter()
        .find(|m| m.id == id)
        .map(|m| m.body_id)
        .ok_or(WebError::NotFound)?;
    let mut tx = begin(&state, &caller).await?;
    store::delete_member(&mut tx, &reach(&caller), body_id, id).await?;
    commit(
        tx,
        &caller,
        Action::NetworkChanged,
        &target("instance", body_id),
        json!({ "membre": "retrait" }),
    )
    .await?;
    Ok(done(
        &format!("/reseau/instances/{body_id}"),
        "membre_supprime",
    ))
}

fn meeting_form_of(f: &Params) -> MeetingForm {
    MeetingForm {
        title: f.raw("titre").into(),
        starts_at: local_input(f.raw("debut")),
        ends_at: local_input(f.raw("fin")),
        place: f.raw("lieu").into(),
        status: f.raw("statut").into(),
        agenda: f.raw("ordre_du_jour").into(),
        minutes: f.raw("compte_rendu").into(),
    }
}

async fn add_meeting(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Form(f): Form,
) -> Result<Response, WebError> {
    let b = load_body(&state, &caller, &id).await?;
    let form = meeting_form_of(&f);
    let mut tx = begin(&state, &caller).await?;
    match store::save_meeting(&mut tx, &reach(&caller), None, b.id, &form, super::now()).await {
        Ok(mid) => {
            commit(
                tx,
                &caller,
                Action::NetworkChanged,
                &target("reunion", mid),
                json!({ "creation": true, "instance": b.id }),
            )
            .await?;
            Ok(done(&format!("/reseau/reunions/{mid}"), "reunion"))
        }
        Err(e) => {
            drop(tx);
            let m = refusal(e)?;
            Ok(refused(
                render_body(&state, &caller, &b, Notice::Refused(m)).await?,
            ))
        }
    }
}

fn follow_up_of(f: &Params) -> FollowUpForm {
    FollowUpForm {
        meeting_id: f.get("reunion").and_then(|m| m.parse().ok()),
        title: f.raw("action").into(),
        owner: f.raw("responsable").into(),
        owner_email: f.raw("courriel_responsable").into(),
        due_on: f.raw("echeance").into(),
        status: f.raw("statut").into(),
        note: f.raw("note").into(),
    }
}

async fn add_action(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Form(f): Form,
) -> Result<Response, WebError> {
    let b = load_body(&state, &caller, &id).await?;
    let form = follow_up_of(&f);
    // From a meeting's page, back to it.
    if let Some(mid) = form.meeting_id.filter(|_| f.flag("depuis_reunion")) {
        let mut tx = begin(&state, &caller).await?;
        return match store::save_action(&mut tx, &reach(&caller), None, b.id, &form, super::now())
            .await
        {
            Ok(aid) => {
                commit(
                    tx,
                    &caller,
                    Action::NetworkChanged,
                    &target("action", aid),
                    json!({ "creation": true }),
                )
                .await?;
                Ok(done(&format!("/reseau/reunions/{mid}"), "action"))
            }
            Err(e) => {
                drop(tx);
                let m = refusal(e)?;
                let meeting = store::meeting(state.store(), &reach(&caller), mid)
                    .await?
                    .ok_or(WebError::NotFound)?;
                Ok(refused(
                    render_meeting(&state, &caller, &meeting, Notice::Refused(m)).await?,
                ))
            }
        };
    }
    let mut tx = begin(&state, &caller).await?;
    let r = async {
        store::save_action(&mut tx, &reach(&caller), None, b.id, &form, super::now()).await
    }
    .await
    .map(drop);
    body_finish(
        &state,
        &caller,
        &b,
        tx,
        r,
        "action",
        json!({ "action": "ajout" }),
    )
    .await
}

async fn action_status(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Form(f): Form,
) -> Result<Response, WebError> {
    let id = id_of(&id)?;
    let status: ActionStatus = parse_code("statut", f.raw("statut")).map_err(|_| {
        WebError::BadRequest(
            "Choisissez un statut de la liste (à faire, en cours, faite, abandonnée).".into(),
        )
    })?;
    let mut tx = begin(&state, &caller).await?;
    let body_id =
        store::set_action_status(&mut tx, &reach(&caller), id, status, super::now()).await?;
    commit(
        tx,
        &caller,
        Action::NetworkChanged,
        &target("action", id),
        json!({ "statut": status.code() }),
    )
    .await?;
    Ok(done(&format!("/reseau/instances/{body_id}"), "action"))
}

// ---------------------------------------------------------------------------------------------------------------
// Meetings.

async fn render_meeting(
    state: &AppState,
    caller: &Caller,
    m: &Meeting,
    notice: Notice,
) -> Result<Markup, WebError> {
    let st = state.store();
    let members = store::members(st, &reach(caller), m.body_id).await?;
    let questions = store::questions(st, &reach(caller), m.id).await?;
    let presence: BTreeMap<i64, Attendance> = store::attendance(st, &reach(caller), m.id)
        .await?
        .into_iter()
        .collect();
    let decisions = store::decisions(st, &reach(caller), Some(m.id), None).await?;
    let actions: Vec<FollowUp> = store::actions(st, &reach(caller), Some(m.body_id))
        .await?
        .into_iter()
        .filter(|a| a.meeting_id == Some(m.id))
        .collect();
    let manage = caller.has(Permission::NetworkManage);
    let present = presence
        .values()
        .filter(|a| matches!(a, Attendance::Present | Attendance::Represented))
        .count();
    let content = html! {
        (notice.render())
        dl.fiche {
            dt { "Instance" } dd { a href=(format!("/reseau/instances/{}", m.body_id)) { (m.body_name) } }
            dt { "Date" } dd { (local(m.starts_at)) @if let Some(e) = m.ends_at { " — " (local(e)) } }
            @if let Some(p) = &m.place { dt { "Lieu" } dd { (p) } }
            dt { "Statut" } dd { span.statut { (fr(m.status)) } }
        }
        h2 { "Ordre du jour" }
        @if let Some(a) = &m.agenda { (paragraphs(a)) } @else { p { "Non renseigné." } }
        h2 { "Questions recueillies avant la réunion (" (questions.len()) ")" }
        @if questions.is_empty() { p { "Aucune question." } }
        ol {
            @for qn in &questions {
                li {
                    (qn.text) @if let Some(by) = &qn.asked_by { " — " em { (by) } }
                    @if let Some(a) = &qn.answer { br; strong { "Réponse : " } (a) }
                    @else if manage {
                        form.formulaire method="post" action=(format!("/reseau/reunions/{}/questions", m.id)) {
                            (csrf_field(caller))
                            input type="hidden" name="question_id" value=(qn.id);
                            (field("reponse", &format!("q-rep-{}", qn.id), "Réponse", "", "text", true))
                            button type="submit" { "Enregistrer la réponse" }
                        }
                    }
                }
            }
        }
        @if manage {
            details.modifier {
                summary { "Ajouter une question" }
                form.formulaire method="post" action=(format!("/reseau/reunions/{}/questions", m.id)) {
                    (csrf_field(caller))
                    (area("question", "q-texte", "Question", "", 3))
                    (field("auteur", "q-auteur", "Posée par (personne ou structure)", "", "text", false))
                    button type="submit" { "Ajouter la question" }
                }
            }
        }
        h2 { "Présences (" (present) " présents ou représentés sur " (members.len()) ")" }
        @if manage {
            form method="post" action=(format!("/reseau/reunions/{}/presences", m.id)) {
                (csrf_field(caller))
                div.defilement {
                    table {
                        thead { tr { th scope="col" { "Membre" } th scope="col" { "Présence" } } }
                        tbody {
                            @for p in &members {
                                tr {
                                    th scope="row" { label for=(format!("p-{}", p.id)) { (p.name) @if let Some(f) = &p.function { " (" (f) ")" } } }
                                    td {
                                        select name=(format!("presence_{}", p.id)) id=(format!("p-{}", p.id)) {
                                            option value="" { "— non renseigné —" }
                                            @for a in Attendance::ALL { option value=(a.code()) selected[presence.get(&p.id) == Some(a)] { (fr(*a)) } }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                button type="submit" { "Enregistrer les présences" }
            }
        } @else {
            ul { @for p in &members { li { (p.name) " : " (presence.get(&p.id).map_or("non renseigné".into(), |a| fr(*a))) } } }
        }
        h2 { "Compte rendu" }
        @if let Some(c) = &m.minutes { (paragraphs(c)) } @else { p { "Pas encore de compte rendu." } }
        h2 { "Décisions" }
        @if decisions.is_empty() { p { "Aucune décision." } }
        ul { @for d in &decisions { li { (d.text) } } }
        @if manage {
            form.formulaire method="post" action=(format!("/reseau/reunions/{}/decisions", m.id)) {
                (csrf_field(caller))
                (area("decision", "d-texte", "Nouvelle décision", "", 2))
                button type="submit" { "Ajouter la décision" }
            }
        }
        h2 { "Actions de suivi décidées" }
        @if actions.is_empty() { p { "Aucune." } }
        ul { @for a in &actions { li { (a.title) " — " (a.owner) @if let Some(d) = a.due_on { ", pour le " (day(d)) } " — " (fr(a.status)) } } }
        @if manage {
            details.modifier {
                summary { "Ajouter une action de suivi" }
                form.formulaire method="post" action=(format!("/reseau/instances/{}/actions", m.body_id)) {
                    (csrf_field(caller))
                    input type="hidden" name="reunion" value=(m.id);
                    input type="hidden" name="depuis_reunion" value="1";
                    (field("action", "ra-titre", "Action", "", "text", true))
                    (field("responsable", "ra-resp", "Responsable", "", "text", true))
                    (field("courriel_responsable", "ra-courriel", "Courriel du responsable (pour les rappels)", "", "email", false))
                    (field("echeance", "ra-echeance", "Échéance", "", "date", false))
                    button type="submit" { "Ajouter l'action" }
                }
            }
            details.modifier { summary { "Modifier la réunion (ordre du jour, compte rendu, statut)" } (meeting_form(caller, &format!("/reseau/reunions/{}", m.id), Some(m))) }
        }
    };
    Ok(page(
        state,
        caller,
        &format!("{} — {}", m.body_name, m.title),
        "/reseau/instances",
        content,
    ))
}

async fn load_meeting(state: &AppState, caller: &Caller, id: &str) -> Result<Meeting, WebError> {
    store::meeting(state.store(), &reach(caller), id_of(id)?)
        .await?
        .ok_or(WebError::NotFound)
}

async fn meeting_page(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Query(q): Query,
) -> Result<Markup, WebError> {
    let m = load_meeting(&state, &caller, &id).await?;
    render_meeting(&state, &caller, &m, Notice::from_query(&q, MESSAGES)).await
}

async fn meeting_finish(
    state: &AppState,
    caller: &Caller,
    m: &Meeting,
    tx: maillage_store::change::Change,
    r: Result<(), maillage_store::network::Error>,
    code: &'static str,
    details: serde_json::Value,
) -> Result<Response, WebError> {
    match r {
        Ok(()) => {
            commit(
                tx,
                caller,
                Action::NetworkChanged,
                &target("reunion", m.id),
                details,
            )
            .await?;
            Ok(done(&format!("/reseau/reunions/{}", m.id), code))
        }
        Err(e) => {
            drop(tx);
            let msg = refusal(e)?;
            Ok(refused(
                render_meeting(state, caller, m, Notice::Refused(msg)).await?,
            ))
        }
    }
}

async fn update_meeting(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Form(f): Form,
) -> Result<Response, WebError> {
    let m = load_meeting(&state, &caller, &id).await?;
    let form = meeting_form_of(&f);
    let mut tx = begin(&state, &caller).await?;
    let r = async {
        store::save_meeting(
            &mut tx,
            &reach(&caller),
            Some(m.id),
            m.body_id,
            &form,
            super::now(),
        )
        .await
    }
    .await
    .map(drop);
    meeting_finish(
        &state,
        &caller,
        &m,
        tx,
        r,
        "reunion",
        json!({ "modification": true, "statut": form.status }),
    )
    .await
}

async fn question(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Form(f): Form,
) -> Result<Response, WebError> {
    let m = load_meeting(&state, &caller, &id).await?;
    match f.get("question_id").and_then(|q| q.parse::<i64>().ok()) {
        Some(qid) => {
            let answer = f.raw("reponse").to_string();
            let mut tx = begin(&state, &caller).await?;
            let r = async {
                store::answer_question(&mut tx, &reach(&caller), m.id, qid, &answer).await
            }
            .await
            .map(drop);
            meeting_finish(
                &state,
                &caller,
                &m,
                tx,
                r,
                "question",
                json!({ "reponse": qid }),
            )
            .await
        }
        None => {
            let (text, by) = (f.raw("question").to_string(), f.raw("auteur").to_string());
            let mut tx = begin(&state, &caller).await?;
            let r = async {
                store::add_question(&mut tx, &reach(&caller), m.id, &by, &text, super::now()).await
            }
            .await
            .map(drop);
            meeting_finish(
                &state,
                &caller,
                &m,
                tx,
                r,
                "question",
                json!({ "question": "ajout" }),
            )
            .await
        }
    }
}

async fn attendance(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Form(f): Form,
) -> Result<Response, WebError> {
    let m = load_meeting(&state, &caller, &id).await?;
    let mut marks = Vec::new();
    for (k, v) in &f.0 {
        if let Some(member) = k
            .strip_prefix("presence_")
            .and_then(|x| x.parse::<i64>().ok())
            && let Some(a) = Attendance::parse(v.trim())
        {
            marks.push((member, a));
        }
    }
    let n = marks.len();
    let mut tx = begin(&state, &caller).await?;
    let r = async {
        for (member, a) in &marks {
            store::set_attendance(&mut tx, &reach(&caller), m.id, *member, *a).await?;
        }
        Ok(())
    }
    .await
    .map(drop);
    meeting_finish(
        &state,
        &caller,
        &m,
        tx,
        r,
        "presences",
        json!({ "presences": n }),
    )
    .await
}

async fn decision(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Form(f): Form,
) -> Result<Response, WebError> {
    let m = load_meeting(&state, &caller, &id).await?;
    let text = f.raw("decision").to_string();
    let mut tx = begin(&state, &caller).await?;
    let r =
        async { store::add_decision(&mut tx, &reach(&caller), m.id, &text, super::now()).await }
            .await
            .map(drop);
    meeting_finish(
        &state,
        &caller,
        &m,
        tx,
        r,
        "decision",
        json!({ "decision": "ajout" }),
    )
    .await
}

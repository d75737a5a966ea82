//! Meetings (`/reseau/reunions/{id}`): their form and creation, their page and update, the questions collected
//! beforehand, attendance and decisions.

use super::body::{load_body, render_body};
use super::{MESSAGES, id_of};
use crate::pages::network::{
    Missing, NETWORK, Notice, Taken, Taking, area, day, field, fr, local, local_input,
    local_input_value, now, paragraphs, reach, select, take, target,
};
use axum::extract::{Path, State};
use axum::response::Response;
use maillage_network::Coded;
use maillage_network::codes::{Attendance, MeetingStatus};
use maillage_store::audit::Action;
use maillage_store::change::Change;
use maillage_store::network::bodies::{self as store, FollowUp, Meeting, MeetingForm};
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

pub(super) fn meeting_form(caller: &Caller, action: &str, m: Option<&Meeting>) -> Markup {
    let sfx = action.replace('/', "-");
    html! {
        form.formulaire method="post" action=(action) {
            (csrf_field(caller))
            (field("titre", &format!("r-titre{sfx}"), "Titre", m.map_or("", |m| m.title.as_str()), "text", true))
            (field("debut", &format!("r-debut{sfx}"), "Début (heure locale)", &m.map(|m| local_input_value(m.starts_at)).unwrap_or_default(), "datetime-local", true))
            (field("fin", &format!("r-fin{sfx}"), "Fin", &m.and_then(|m| m.ends_at).map(local_input_value).unwrap_or_default(), "datetime-local", false))
            (field("lieu", &format!("r-lieu{sfx}"), "Lieu (ou lien de visioconférence)", m.and_then(|m| m.place.as_deref()).unwrap_or(""), "text", false))
            @if m.is_some() { div.champ { label for=(format!("r-statut{sfx}")) { "Statut" } (select::<MeetingStatus>("statut", &format!("r-statut{sfx}"), m.map(|m| m.status.code()), None)) } }
            (area("ordre_du_jour", &format!("r-odj{sfx}"), "Ordre du jour", m.and_then(|m| m.agenda.as_deref()).unwrap_or(""), 4))
            @if m.is_some() { (area("compte_rendu", &format!("r-cr{sfx}"), "Compte rendu", m.and_then(|m| m.minutes.as_deref()).unwrap_or(""), 8)) }
            button type="submit" { "Enregistrer la réunion" }
        }
    }
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

pub(super) async fn add_meeting(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Form(f): Form,
) -> Result<Response, WebError> {
    let b = load_body(&state, &caller, &id).await?;
    let form = meeting_form_of(&f);
    take(
        &state,
        &caller,
        Missing::Refused,
        async |tx, reach| -> Taking {
            let mid = store::save_meeting(tx, reach, None, b.id, &form, now()).await?;
            Ok(Taken::audit(
                Action::NetworkChanged,
                target("reunion", mid),
                json!({ "creation": true, "instance": b.id }),
            )
            .then(format!("/reseau/reunions/{mid}"), "reunion"))
        },
        async |reason| render_body(&state, &caller, &b, Notice::Refused(reason)).await,
    )
    .await
}

pub(super) async fn render_meeting(
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
    Ok(NETWORK.page(
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

pub(super) async fn meeting_page(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Query(q): Query,
) -> Result<Markup, WebError> {
    let m = load_meeting(&state, &caller, &id).await?;
    render_meeting(&state, &caller, &m, Notice::from_query(&q, MESSAGES)).await
}

/// Takes a change made from a meeting's page: audited on the meeting, back to its page, or the page again.
async fn on_meeting(
    state: &AppState,
    caller: &Caller,
    m: &Meeting,
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
                Taken::audit(Action::NetworkChanged, target("reunion", m.id), details)
                    .then(format!("/reseau/reunions/{}", m.id), code),
            )
        },
        async |reason| render_meeting(state, caller, m, Notice::Refused(reason)).await,
    )
    .await
}

pub(super) async fn update_meeting(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Form(f): Form,
) -> Result<Response, WebError> {
    let m = load_meeting(&state, &caller, &id).await?;
    let form = meeting_form_of(&f);
    on_meeting(
        &state,
        &caller,
        &m,
        "reunion",
        json!({ "modification": true, "statut": form.status }),
        async |tx, reach| {
            store::save_meeting(tx, reach, Some(m.id), m.body_id, &form, now())
                .await
                .map(drop)
        },
    )
    .await
}

pub(super) async fn question(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Form(f): Form,
) -> Result<Response, WebError> {
    let m = load_meeting(&state, &caller, &id).await?;
    match f.get("question_id").and_then(|q| q.parse::<i64>().ok()) {
        Some(qid) => {
            let answer = f.raw("reponse").to_string();
            on_meeting(
                &state,
                &caller,
                &m,
                "question",
                json!({ "reponse": qid }),
                async |tx, reach| store::answer_question(tx, reach, m.id, qid, &answer).await,
            )
            .await
        }
        None => {
            let (text, by) = (f.raw("question").to_string(), f.raw("auteur").to_string());
            on_meeting(
                &state,
                &caller,
                &m,
                "question",
                json!({ "question": "ajout" }),
                async |tx, reach| {
                    store::add_question(tx, reach, m.id, &by, &text, now())
                        .await
                        .map(drop)
                },
            )
            .await
        }
    }
}

pub(super) async fn attendance(
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
    on_meeting(
        &state,
        &caller,
        &m,
        "presences",
        json!({ "presences": n }),
        async |tx, reach| {
            for (member, a) in &marks {
                store::set_attendance(tx, reach, m.id, *member, *a).await?;
            }
            Ok(())
        },
    )
    .await
}

pub(super) async fn decision(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Form(f): Form,
) -> Result<Response, WebError> {
    let m = load_meeting(&state, &caller, &id).await?;
    let text = f.raw("decision").to_string();
    on_meeting(
        &state,
        &caller,
        &m,
        "decision",
        json!({ "decision": "ajout" }),
        async |tx, reach| {
            store::add_decision(tx, reach, m.id, &text, now())
                .await
                .map(drop)
        },
    )
    .await
}

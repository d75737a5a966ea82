//! Follow-up actions: their form, the board by status, their creation and their change of status.

use super::body::{load_body, on_body};
use super::meetings::render_meeting;
use super::{HORIZON_DAYS, due_text, id_of};
use crate::pages::network::{
    Missing, Notice, Taken, Taking, day, field, fr, local, now, reach, reason_only, take, target,
    today,
};
use axum::extract::{Path, State};
use axum::response::Response;
use maillage_network::codes::ActionStatus;
use maillage_network::reminders;
use maillage_network::{Coded, parse_code};
use maillage_store::audit::Action;
use maillage_store::network::bodies::{self as store, FollowUp, FollowUpForm, Meeting};
use maillage_web_kit::auth::Caller;
use maillage_web_kit::error::WebError;
use maillage_web_kit::layout::csrf_field;
use maillage_web_kit::params::{Form, Params};
use maillage_web_kit::permissions::Permission;
use maillage_web_kit::state::AppState;
use maud::{Markup, html};
use serde_json::json;

pub(super) fn follow_up_form(
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

pub(super) fn board(caller: &Caller, actions: &[FollowUp]) -> Markup {
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

pub(super) async fn add_action(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Form(f): Form,
) -> Result<Response, WebError> {
    let b = load_body(&state, &caller, &id).await?;
    let form = follow_up_of(&f);
    // From a meeting's page, back to it.
    if let Some(mid) = form.meeting_id.filter(|_| f.flag("depuis_reunion")) {
        return take(
            &state,
            &caller,
            Missing::Refused,
            async |tx, reach| -> Taking {
                let aid = store::save_action(tx, reach, None, b.id, &form, now()).await?;
                Ok(Taken::audit(
                    Action::NetworkChanged,
                    target("action", aid),
                    json!({ "creation": true }),
                )
                .then(format!("/reseau/reunions/{mid}"), "action"))
            },
            async |reason| {
                let meeting = store::meeting(state.store(), &reach(&caller), mid)
                    .await?
                    .ok_or(WebError::NotFound)?;
                render_meeting(&state, &caller, &meeting, Notice::Refused(reason)).await
            },
        )
        .await;
    }
    on_body(
        &state,
        &caller,
        &b,
        "action",
        json!({ "action": "ajout" }),
        async |tx, reach| {
            store::save_action(tx, reach, None, b.id, &form, now())
                .await
                .map(drop)
        },
    )
    .await
}

pub(super) async fn action_status(
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
    take(
        &state,
        &caller,
        Missing::NotFound,
        async |tx, reach| -> Taking {
            let body_id = store::set_action_status(tx, reach, id, status, now()).await?;
            Ok(Taken::audit(
                Action::NetworkChanged,
                target("action", id),
                json!({ "statut": status.code() }),
            )
            .then(format!("/reseau/instances/{body_id}"), "action"))
        },
        reason_only,
    )
    .await
}

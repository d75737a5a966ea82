//! The network's dashboard (`/reseau`): coming meetings, overdue and coming actions and reports, and the
//! e-mail reminders sent to the owners of overdue actions.

use super::{HORIZON_DAYS, due_text};
use crate::pages::network::{
    Missing, NETWORK, Notice, Taken, Taking, calendar, cls, day, fr, local, now, reach,
    reason_only, smtp, take, today,
};
use axum::extract::State;
use axum::response::Response;
use maillage_network::codes::MeetingStatus;
use maillage_network::reminders::{self, Due};
use maillage_store::audit::Action;
use maillage_store::network::bodies::{self as store, Body, FollowUp, Meeting};
use maillage_web_kit::auth::Caller;
use maillage_web_kit::error::WebError;
use maillage_web_kit::layout::csrf_field;
use maillage_web_kit::params::Query;
use maillage_web_kit::permissions::Permission;
use maillage_web_kit::state::AppState;
use maud::{Markup, html};
use serde_json::json;
use std::collections::BTreeMap;

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
            .map(|m| maillage_store::network::today(m.starts_at))
            .max();
        let next = mine
            .filter(|m| m.status == MeetingStatus::Planned)
            .map(|m| maillage_store::network::today(m.starts_at))
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

pub(super) async fn home(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query,
    headers: axum::http::HeaderMap,
) -> Result<Markup, WebError> {
    let r = reminders_of(&state, &caller).await?;
    let bodies = store::bodies(state.store(), &reach(&caller)).await?;
    let now = now();
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
        cls::report_reminders(&state, &caller).await?
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
        (calendar::subscription(&state, &caller, &headers).await?)
    };
    Ok(NETWORK.page(&state, &caller, "Réseau et instances", "/reseau", content))
}

/// Sends each owner (with an e-mail address) the list of their overdue or coming actions.
pub(super) async fn send_reminders(
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
        let text = maillage_messages::network::reminder_text(&maillage_network::mail::Reminder {
            owner,
            items: &list,
            sender: &sender,
        });
        match &smtp {
            Some(s) => {
                let outgoing = smtp::Outgoing {
                    to_name: owner.clone(),
                    to_email: email.clone(),
                    subject: "Rappel : actions de suivi à échéance".into(),
                    text,
                    list_id: None,
                    unsubscribe_url: None,
                };
                match smtp::send(s, &outgoing).await {
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
    let detail = if smtp.is_none() {
        "aucun serveur de courriel n'est configuré (Paramètres › Courriel) : rien n'a été envoyé"
            .to_string()
    } else {
        format!(
            "{}, {}, {} sans adresse de responsable",
            maillage_messages::count(sent, "courriel envoyé", "courriels envoyés"),
            maillage_messages::count(failed, "échec", "échecs"),
            maillage_messages::count(without_email, "action", "actions")
        )
    };
    let q = form_urlencoded::Serializer::new(String::new())
        .append_pair("detail", &detail)
        .finish();
    take(
        &state,
        &caller,
        Missing::NotFound,
        async |tx, reach| -> Taking {
            store::mark_reminded(tx, reach, &ids, now()).await?;
            Ok(Taken::audit(
                Action::NetworkMessageSent,
                "reseau:rappels",
                json!({ "envoyes": sent, "echecs": failed, "sans_adresse": without_email }),
            )
            .then(format!("/reseau?{q}"), "rappels"))
        },
        reason_only,
    )
    .await
}

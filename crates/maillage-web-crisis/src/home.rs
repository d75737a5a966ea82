//! The crisis module's part of a person's home page ([`maillage_web_kit::home`]) and of the public home: the
//! alert in force, the figures the cell follows (calls done, stock alerts, incidence) and what is due (calls
//! left, late tasks, register confirmations, a volunteer's missions). Counts only, never a name, each cut to
//! the caller's communes and permissions as on the module's own pages.

use crate::data::crisis::report_figures;
use maillage_crisis::cell::{ServiceStatus, task_late};
use maillage_store::crisis::{self as store, cell, services, volunteers};
use maillage_store::reach::Reach;
use maillage_web_kit::auth::Caller;
use maillage_web_kit::error::WebError;
use maillage_web_kit::form::{fr, now};
use maillage_web_kit::home::{Part, words as plural};
use maillage_web_kit::layout::number;
use maillage_web_kit::permissions::Permission;
use maillage_web_kit::state::AppState;

/// Days back a volunteer's done missions are still listed (as on `/mes-missions`).
const MISSIONS_DONE_DAYS: i64 = 0;

/// What the caller's home shows of the crisis module.
pub async fn part(state: &AppState, caller: &Caller) -> Result<Part, WebError> {
    let mut part = Part::default();
    let st = state.store();
    let now = now();
    if caller.has(Permission::OwnMissions) {
        let open = volunteers::missions_of(st, &caller.account.identifier, now, MISSIONS_DONE_DAYS)
            .await?
            .iter()
            .filter(|m| m.done_at.is_none())
            .count() as u64;
        part.due(
            open,
            plural(open, "mission à faire", "missions à faire"),
            "/mes-missions",
            false,
        );
    }
    if !caller.has(Permission::CrisisRead) {
        return Ok(part);
    }
    let scope = caller.scope();
    let reach = scope.reach();
    if let Some(e) = cell::active_alert(st, &reach).await? {
        part.alert = Some((alert_text(&e), "/crise".into()));
    }
    let figures = report_figures(state, &scope, now).await?;
    let calls_page = if caller.has(Permission::CrisisCalls) {
        "/crise/appels"
    } else {
        "/crise"
    };
    for (c, p) in &figures.campaigns {
        part.figure(
            format!("{} %", number(p.percent_done(), 0)),
            format!("d'appels terminés — {}", c.title),
            calls_page,
        );
    }
    let alerts = figures.stock_alerts.len() as u64;
    part.figure(
        number(alerts as f64, 0),
        plural(alerts, "alerte de stock", "alertes de stock"),
        "/crise/stocks",
    );
    if let Some(i) = &figures.indicator {
        part.figure(
            i.incidence.map_or("—".into(), |v| number(v, 1)),
            format!(
                "cas pour 100 000 habitants sur 7 jours ({}, {})",
                i.label,
                maillage_web_kit::layout::day(i.day)
            ),
            "/crise/indicateurs",
        );
    }
    if caller.has(Permission::CrisisCalls) {
        let left: u64 = figures
            .campaigns
            .iter()
            .map(|(_, p)| p.a_appeler + p.a_rappeler)
            .sum();
        part.due(
            left,
            plural(left, "appel restant", "appels restants"),
            "/crise/appels",
            false,
        );
    }
    if caller.has(Permission::CrisisManage) {
        let seconds = now.as_second();
        let late = cell::tasks(st, &reach)
            .await?
            .iter()
            .filter(|t| {
                let due = t
                    .due_at
                    .as_deref()
                    .and_then(store::parse_instant)
                    .map(|d| d.as_second());
                task_late(t.status, due, seconds)
            })
            .count() as u64;
        part.due(
            late,
            plural(late, "tâche de la cellule", "tâches de la cellule"),
            "/crise",
            true,
        );
    }
    if caller.has(Permission::CrisisRegister) {
        let r = &figures.register;
        let confirmations = r.confirmation_overdue + r.confirmation_due_soon;
        part.due(
            confirmations,
            plural(
                confirmations,
                "confirmation annuelle à demander (registre)",
                "confirmations annuelles à demander (registre)",
            ),
            "/crise/registre",
            r.confirmation_overdue > 0,
        );
        part.due(
            r.acknowledgement_late,
            plural(
                r.acknowledgement_late,
                "accusé de réception du registre",
                "accusés de réception du registre",
            ),
            "/crise/registre",
            true,
        );
    }
    Ok(part)
}

/// For the public home: the alert in force on the territory, and the services open to the public (name, hours).
pub struct Public {
    pub alert: Option<String>,
    /// (name, hours or status) of the services marked public that are open, fully or not.
    pub open: Vec<(String, String)>,
}

/// What the public home shows of the crisis: only what `/continuite` shows to anyone.
pub async fn public(state: &AppState) -> Result<Public, WebError> {
    let everything = Reach::everything();
    let alert = cell::active_alert(state.store(), &everything)
        .await?
        .map(|e| alert_text(&e));
    let open = services::services(state.store(), &everything, true)
        .await?
        .into_iter()
        .filter(|s| s.status != ServiceStatus::Ferme)
        .map(|s| {
            let when = s.hours.clone().unwrap_or_else(|| fr(s.status));
            (s.name, when)
        })
        .collect();
    Ok(Public { alert, open })
}

/// An alert in words: its kind unless its title already says it ("Canicule — épisode de juillet"), its level.
fn alert_text(e: &cell::Event) -> String {
    let kind = fr(e.kind);
    let level = fr(e.level).to_lowercase();
    if e.title.to_lowercase().starts_with(&kind.to_lowercase()) {
        format!("{} — niveau {level}.", e.title)
    } else {
        format!("{kind} : {} — niveau {level}.", e.title)
    }
}

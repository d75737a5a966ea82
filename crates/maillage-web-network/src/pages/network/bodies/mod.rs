//! Bodies and meetings (`/reseau/instances`, `/reseau/reunions/{id}`) and the network's dashboard (`/reseau`):
//! bodies with typed members, co-chairs, sub-groups and cadence; meetings with their agenda, questions
//! collected beforehand, attendance, minutes and decisions; follow-up actions with owners and due dates on a
//! board by status; reminders of overdue actions (on the dashboard, and by e-mail to their owners).

use super::{BODIES, MANAGE, fr};
use axum::http::Method;
use body::{bodies_page, body_page, create_body, update_body};
use dashboard::{home, send_reminders};
use follow_ups::{action_status, add_action};
use maillage_network::reminders::Due;
use maillage_web_kit::error::WebError;
use maillage_web_kit::routes::Routes;
use maud::{Markup, html};
use meetings::{add_meeting, attendance, decision, meeting_page, question, update_meeting};
use members::{add_member, delete_member};

mod body;
mod dashboard;
mod follow_ups;
mod meetings;
mod members;

pub(crate) use dashboard::reminders_of;

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

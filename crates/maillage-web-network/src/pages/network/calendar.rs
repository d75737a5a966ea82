//! The calendar feed (RFC 5545) of meetings, follow-up action deadlines and, for those who see the CLS, funding
//! report deadlines: downloaded from `/reseau/agenda.ics`, or subscribed to from a calendar program through a
//! personal address `/agenda/{account}-{signature}.ics` (no login: the HMAC signature is the secret, and the
//! account must still be active and allowed to see bodies when the feed is read).

use super::BODIES;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::response::{IntoResponse, Response};
use maillage_network::codes::{ActionStatus, MeetingStatus};
use maillage_network::ics::{self, Event, EventStatus, When};
use maillage_network::sign;
use maillage_store::network::{self as net, Reach, bodies, cls, relay};
use maillage_web_kit::auth::Caller;
use maillage_web_kit::error::WebError;
use maillage_web_kit::params::Query;
use maillage_web_kit::permissions::{Permission, permissions_of_roles};
use maillage_web_kit::routes::{Access, Routes};
use maillage_web_kit::state::AppState;
use maud::{Markup, html};

pub fn routes(r: Routes) -> Routes {
    r.page(Method::GET, "/reseau/agenda.ics", BODIES, download)
        .page(Method::GET, "/agenda/{jeton}", Access::Public, feed)
}

/// The events a reader may see: meetings (of one body, or all) of the bodies it reaches, open actions with a
/// due date, and report deadlines when `with_reports`.
async fn events(
    state: &AppState,
    reach: &Reach,
    body: Option<i64>,
    with_reports: bool,
) -> Result<Vec<Event>, WebError> {
    let st = state.store();
    let base = relay::smtp(st).await?.map(|s| s.public_url);
    let url = |path: String| base.as_ref().map(|b| format!("{b}{path}"));
    let mut out = Vec::new();
    for m in bodies::meetings(st, reach, body).await? {
        out.push(Event {
            uid: format!("reunion-{}@maillage", m.id),
            when: When::At {
                start: m.starts_at,
                end: m.ends_at,
            },
            summary: format!("{} — {}", m.body_name, m.title),
            description: m.agenda.clone(),
            location: m.place.clone(),
            status: match m.status {
                MeetingStatus::Cancelled => EventStatus::Cancelled,
                _ => EventStatus::Confirmed,
            },
            modified: m.updated_at,
            url: url(format!("/reseau/reunions/{}", m.id)),
            categories: vec!["Réunion".into()],
        });
    }
    let stamp = super::now();
    for a in bodies::actions(st, reach, body).await? {
        let (Some(due), true) = (a.due_on, a.status.is_open()) else {
            continue;
        };
        out.push(Event {
            uid: format!("action-{}@maillage", a.id),
            when: When::Day(due),
            summary: format!("Échéance : {} ({})", a.title, a.owner),
            description: Some(format!(
                "Action de suivi de « {} », statut : {}.",
                a.body_name,
                super::fr(a.status).to_lowercase()
            )),
            location: None,
            status: if a.status == ActionStatus::InProgress {
                EventStatus::Confirmed
            } else {
                EventStatus::Tentative
            },
            modified: stamp,
            url: url(format!("/reseau/instances/{}", a.body_id)),
            categories: vec!["Action de suivi".into()],
        });
    }
    if with_reports && body.is_none() {
        for (r, f) in cls::all_reports(st, reach).await? {
            if r.submitted_on.is_some() {
                continue;
            }
            out.push(Event {
                uid: format!("bilan-{}@maillage", r.id),
                when: When::Day(r.due_on),
                summary: format!("Bilan à envoyer : {} — {}", r.label, f.funder),
                description: Some(format!("Financement « {} ».", f.title)),
                location: None,
                status: EventStatus::Confirmed,
                modified: stamp,
                url: url(format!("/cls/{}/financements", f.contract_id)),
                categories: vec!["Financement".into()],
            });
        }
    }
    Ok(out)
}

fn calendar_response(text: String, file_name: &str) -> Response {
    let mut r = text.into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/calendar; charset=utf-8"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("inline; filename=\"{file_name}\"")) {
        r.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    r
}

async fn download(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query,
) -> Result<Response, WebError> {
    let reach = super::reach(&caller);
    let body = q.get("instance").and_then(|b| b.parse().ok());
    // The calendar of one body: a body out of the caller's reach is not found, like a missing one.
    if let Some(id) = body
        && bodies::body(state.store(), &reach, id).await?.is_none()
    {
        return Err(WebError::NotFound);
    }
    let events = events(&state, &reach, body, caller.has(Permission::ClsRead)).await?;
    Ok(calendar_response(
        ics::calendar(
            "Réseau santé — réunions et échéances",
            &events,
            super::now(),
        ),
        "agenda-reseau.ics",
    ))
}

/// The personal feed address of an account: `/agenda/{id}-{signature}.ics`.
pub(crate) async fn feed_path(state: &AppState, account: i64) -> Result<String, WebError> {
    let key = net::signing_key(state.store()).await?;
    Ok(format!(
        "/agenda/{account}-{}.ics",
        sign::feed_signature(&key, account)
    ))
}

async fn feed(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Result<Response, WebError> {
    let token = token.strip_suffix(".ics").unwrap_or(&token);
    let (id, signature) = token.split_once('-').ok_or(WebError::NotFound)?;
    let account: i64 = id.parse().map_err(|_| WebError::NotFound)?;
    let key = net::signing_key(state.store()).await?;
    if !sign::verify_feed(&key, account, signature) {
        return Err(WebError::NotFound);
    }
    let Some(a) = maillage_store::accounts::get(state.store(), account).await? else {
        return Err(WebError::NotFound);
    };
    let permissions = permissions_of_roles(&a.roles);
    if !a.active || (a.demo && !state.is_demo()) || !permissions.contains(&Permission::BodiesRead) {
        return Err(WebError::NotFound);
    }
    // The feed reads as its account: the communes it holds, as on its pages.
    let reach = maillage_web_kit::scope::Scope::of(&a).reach();
    let events = events(
        &state,
        &reach,
        None,
        permissions.contains(&Permission::ClsRead),
    )
    .await?;
    Ok(calendar_response(
        ics::calendar(
            "Réseau santé — réunions et échéances",
            &events,
            super::now(),
        ),
        "agenda-reseau.ics",
    ))
}

/// The block that gives a caller their subscription address: absolute (the site's public address, see
/// [`AppState::public_url`]), in a field to select, with a button that copies it.
pub(crate) async fn subscription(
    state: &AppState,
    caller: &Caller,
    headers: &HeaderMap,
) -> Result<Markup, WebError> {
    let path = feed_path(state, caller.account.id).await?;
    let configured = relay::smtp(state.store()).await?.map(|s| s.public_url);
    let address = format!("{}{path}", state.public_url(configured.as_deref(), headers));
    Ok(html! {
        h2 #abonnement { "S'abonner à l'agenda" }
        p #aide-abonnement { "Votre adresse personnelle d'abonnement, à coller dans votre agenda (Thunderbird, Outlook, téléphone). Elle donne accès sans mot de passe aux réunions et échéances : ne la partagez pas." }
        div.champ {
            label for="adresse-agenda" { "Adresse d'abonnement" }
            input #adresse-agenda type="text" readonly value=(address) aria-describedby="aide-abonnement" size="60";
        }
        button type="button" data-copier="adresse-agenda" data-copier-etat="etat-copie" hidden { "Copier l'adresse" }
        p #etat-copie role="status" {}
        script src="/static/copier.js" defer {}
    })
}

//! What the pages of a module share to take a change: the confirmation or refusal shown after it, the redirect
//! that names it, the commit of the change with its audit entry, and how values read in French (codes, days,
//! times typed in local time). The crisis and network modules use these; their own `mod.rs` adds what depends
//! on their store module (transactions, refusals).

use crate::audit::{self, Actor};
use crate::auth::Caller;
use crate::error::WebError;
use crate::layout::{error_box, success_box};
use crate::params::Params;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;
use maillage_messages::French;
use maillage_store::audit::Action;
use maud::{Markup, html};
use sqlx::{Any, Transaction};

pub(crate) use crate::layout::day;

/// The instant of the request.
pub(crate) fn now() -> Timestamp {
    Timestamp::now()
}

/// The French label of a code.
pub(crate) fn fr(v: impl French) -> String {
    v.french()
}

/// What the person sees after a change: a sentence, or the reason it was refused.
pub(crate) enum Notice {
    None,
    Done(String),
    Refused(String),
}

impl Notice {
    /// The confirmation named in the query string after a redirect (`?fait=...`); only known codes are shown.
    pub(crate) fn from_query(q: &Params, messages: &[(&str, &str)]) -> Notice {
        q.get("fait")
            .and_then(|code| messages.iter().find(|(c, _)| *c == code))
            .map_or(Notice::None, |(_, m)| Notice::Done((*m).to_string()))
    }

    pub(crate) fn render(&self) -> Markup {
        match self {
            Notice::None => html! {},
            Notice::Done(m) => success_box(m),
            Notice::Refused(m) => error_box(m),
        }
    }

    pub(crate) fn status(&self) -> StatusCode {
        match self {
            Notice::Refused(_) => StatusCode::UNPROCESSABLE_ENTITY,
            _ => StatusCode::OK,
        }
    }
}

/// 303 to a page of the module, with a confirmation code.
pub(crate) fn done(path: &str, code: &str) -> Response {
    let sep = if path.contains('?') { '&' } else { '?' };
    let location = format!("{path}{sep}fait={code}");
    let mut r = StatusCode::SEE_OTHER.into_response();
    if let Ok(v) = HeaderValue::from_str(&location) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    r
}

/// The page again, with the reason of the refusal, as 422.
pub(crate) fn refused(markup: Markup) -> Response {
    (StatusCode::UNPROCESSABLE_ENTITY, markup).into_response()
}

/// Writes the change's audit entry in its transaction and commits both.
pub(crate) async fn commit(
    mut tx: Transaction<'static, Any>,
    caller: &Caller,
    action: Action,
    target: &str,
    details: serde_json::Value,
) -> Result<(), WebError> {
    audit::record_in(&mut tx, &Actor::of(caller), action, target, details).await?;
    tx.commit().await?;
    Ok(())
}

/// Reads a `datetime-local` field (local time in France) as an instant.
pub(crate) fn local_input(value: &str) -> Option<Timestamp> {
    let dt: jiff::civil::DateTime = value.trim().parse().ok()?;
    dt.in_tz("Europe/Paris").ok().map(|z| z.timestamp())
}

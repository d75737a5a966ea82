//! What the pages of a module share to take a change: the confirmation or refusal shown after it, the redirect
//! that names it, the commit of the change with its audit entry, and how values read in French (codes, days,
//! times typed in local time). The crisis and network modules use these; their own `mod.rs` adds what depends
//! on their store module (transactions, refusals).

use crate::audit::{self, Actor};
use crate::auth::Caller;
use crate::error::{ModuleFailure, WebError, refusal};
use crate::layout::{error_box, success_box};
use crate::params::Params;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;
use maillage_messages::French;
use maillage_store::audit::Action;
use maillage_store::change::Change;
use maillage_store::reach::Reach;
use maud::{Markup, html};

pub use crate::layout::day;

/// The instant of the request.
pub fn now() -> Timestamp {
    Timestamp::now()
}

/// The French label of a code.
pub fn fr(v: impl French) -> String {
    v.french()
}

/// What the person sees after a change: a sentence, or the reason it was refused.
pub enum Notice {
    None,
    Done(String),
    Refused(String),
}

impl Notice {
    /// The confirmation named in the query string after a redirect (`?fait=...`); only known codes are shown.
    pub fn from_query(q: &Params, messages: &[(&str, &str)]) -> Notice {
        q.get("fait")
            .and_then(|code| messages.iter().find(|(c, _)| *c == code))
            .map_or(Notice::None, |(_, m)| Notice::Done((*m).to_string()))
    }

    pub fn render(&self) -> Markup {
        match self {
            Notice::None => html! {},
            Notice::Done(m) => success_box(m),
            Notice::Refused(m) => error_box(m),
        }
    }

    pub fn status(&self) -> StatusCode {
        match self {
            Notice::Refused(_) => StatusCode::UNPROCESSABLE_ENTITY,
            _ => StatusCode::OK,
        }
    }
}

/// 303 to a page of the module, with a confirmation code.
pub fn done(path: &str, code: &str) -> Response {
    let sep = if path.contains('?') { '&' } else { '?' };
    let location = format!("{path}{sep}fait={code}");
    let mut r = StatusCode::SEE_OTHER.into_response();
    if let Ok(v) = HeaderValue::from_str(&location) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    r
}

/// The page again, with the reason of the refusal, as 422.
pub fn refused(markup: Markup) -> Response {
    (StatusCode::UNPROCESSABLE_ENTITY, markup).into_response()
}

/// Writes the change's audit entry in its transaction and commits both.
pub async fn commit(
    mut tx: Change,
    caller: &Caller,
    action: Action,
    target: &str,
    details: serde_json::Value,
) -> Result<(), WebError> {
    audit::record_in(&mut tx, &Actor::of(caller), action, target, details).await?;
    tx.commit().await?;
    Ok(())
}

/// What a change that went through records in the audit log ([`Taken::audit`]) and where the person goes next
/// ([`Audit::then`]).
pub struct Taken {
    audit: Audit,
    then: String,
    code: &'static str,
}

/// The audit entry of a change: its action, its target and what it did.
pub struct Audit {
    action: Action,
    target: String,
    details: serde_json::Value,
}

impl Taken {
    /// The audit entry of the change.
    pub fn audit(action: Action, target: impl Into<String>, details: serde_json::Value) -> Audit {
        Audit {
            action,
            target: target.into(),
            details,
        }
    }
}

impl Audit {
    /// After the commit, the person goes to `path`, where the confirmation `code` is shown (see [`done`]).
    pub fn then(self, path: impl Into<String>, code: &'static str) -> Taken {
        Taken {
            audit: self,
            then: path.into(),
            code,
        }
    }
}

/// What a row that a change names and that does not exist means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Missing {
    /// A row of the form (a lot, a member removed since the form was shown): the form again says which.
    Refused,
    /// The row of the page's path: 404, as for a page that does not exist.
    NotFound,
}

/// Takes a change: `work` runs in a [`Change`] begun as the caller's reach (given to it). When it goes through,
/// its audit entry is written in the same change, both are committed, and the answer is a 303 to the
/// [`Taken`]'s page with its confirmation code. When the store refuses it, nothing is kept and `again` renders
/// the form again with the French reason (see [`form_again`]); a store failure stays a [`WebError`].
pub async fn take<E: ModuleFailure>(
    state: &crate::state::AppState,
    caller: &Caller,
    missing: Missing,
    work: impl AsyncFnOnce(&mut Change, &Reach) -> Result<Taken, E>,
    again: impl AsyncFnOnce(String) -> Result<Markup, WebError>,
) -> Result<Response, WebError> {
    take_as(state, caller, &caller.scope().reach(), missing, work, again).await
}

/// [`take`] as another reach than the caller's (a volunteer's own missions, whichever commune asked them).
pub async fn take_as<E: ModuleFailure>(
    state: &crate::state::AppState,
    caller: &Caller,
    reach: &Reach,
    missing: Missing,
    work: impl AsyncFnOnce(&mut Change, &Reach) -> Result<Taken, E>,
    again: impl AsyncFnOnce(String) -> Result<Markup, WebError>,
) -> Result<Response, WebError> {
    let mut change = Change::write(state.store(), reach).await?;
    match work(&mut change, reach).await {
        Ok(taken) => {
            let Audit {
                action,
                target,
                details,
            } = taken.audit;
            commit(change, caller, action, &target, details).await?;
            Ok(done(&taken.then, taken.code))
        }
        Err(e) => {
            // Nothing of a refused change is kept.
            drop(change);
            form_again(e, missing, again).await
        }
    }
}

/// The answer to a refusal of the store: the form again (`again`, given the French reason) as 422; a missing
/// row as `missing` says; a store failure as such.
pub async fn form_again<E: ModuleFailure>(
    e: E,
    missing: Missing,
    again: impl AsyncFnOnce(String) -> Result<Markup, WebError>,
) -> Result<Response, WebError> {
    if missing == Missing::NotFound && e.is_not_found() {
        return Err(WebError::NotFound);
    }
    let field = e.field();
    let reason = refusal(e)?;
    let mut response = refused(again(reason).await?);
    response
        .extensions_mut()
        .insert(crate::error::WrongField(field));
    Ok(response)
}

/// The `again` of a change posted from no form of its own (a delete button): the reason alone, as 400.
pub async fn reason_only(reason: String) -> Result<Markup, WebError> {
    Err(WebError::BadRequest(reason))
}

/// Reads a `datetime-local` field (the instance's local time) as an instant.
pub fn local_input(value: &str) -> Option<Timestamp> {
    maillage_kit::local_time::from_local(value)
}

/// A stored instant as lists read it in the instance's time zone: "28/07/2026 14:05".
pub fn local(instant: &str) -> String {
    maillage_kit::local_time::text_date_time_short(instant)
}

/// A stored instant as a sentence reads it: "28/07/2026 à 14:05".
pub fn local_text(instant: &str) -> String {
    maillage_kit::local_time::text_date_time(instant)
}

/// An instant as a sentence reads it: "28/07/2026 à 14:05".
pub fn local_at(t: Timestamp) -> String {
    maillage_kit::local_time::date_time(t)
}

/// The value of a `datetime-local` field for an instant (the instance's local time).
pub fn local_input_value(t: Timestamp) -> String {
    maillage_kit::local_time::input_value(t)
}

/// The communes a new owned record (crisis, network) may be given, for the `commune` select of its form: the
/// caller's communes, every commune of the territory for an account holding all, and « Tout le territoire » (no
/// commune) where the table shares territory-wide records and the caller holds every commune.
pub struct CommuneChoices {
    /// (INSEE code, name), by name.
    pub communes: Vec<(String, String)>,
    pub territorywide: bool,
    /// Every commune's name, for records kept by a commune the caller may not assign (a neighbour's).
    names: std::collections::HashMap<String, String>,
}

/// The field name of the commune select.
pub const COMMUNE_FIELD: &str = "commune";

/// The form gave no commune while the caller has several to choose from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CommuneNotChosen;

impl CommuneChoices {
    pub async fn of(
        state: &crate::state::AppState,
        caller: &Caller,
        territorywide: maillage_store::reach::Territorywide,
    ) -> Result<CommuneChoices, WebError> {
        let scope = caller.scope();
        let codes: std::collections::BTreeSet<String> = if scope.all {
            maillage_store::territory::load(state.store())
                .await?
                .communes
        } else {
            scope.communes.clone()
        };
        let names: std::collections::HashMap<String, String> =
            maillage_store::zones::list(state.store())
                .await?
                .into_iter()
                .filter(|z| z.kind.as_str() == "commune")
                .map(|z| (z.code, z.name))
                .collect();
        let mut communes: Vec<(String, String)> = codes
            .into_iter()
            .map(|c| {
                let name = names.get(&c).cloned().unwrap_or_else(|| c.clone());
                (c, name)
            })
            .collect();
        communes.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0)));
        Ok(CommuneChoices {
            communes,
            territorywide: scope.all
                && territorywide == maillage_store::reach::Territorywide::Shared,
            names,
        })
    }

    /// The commune a posted form gives the record: the chosen one; with nothing chosen, the caller's only commune,
    /// or the whole territory where it is offered (or where the territory names no commune yet). `Err` when a
    /// commune must be chosen. A commune the caller does not hold is refused by the store.
    pub fn chosen(&self, posted: Option<&str>) -> Result<Option<String>, CommuneNotChosen> {
        match posted.map(str::trim).filter(|c| !c.is_empty()) {
            Some(code) => Ok(Some(code.to_string())),
            None if self.territorywide || self.communes.is_empty() => Ok(None),
            None => match self.communes.as_slice() {
                [(only, _)] => Ok(Some(only.clone())),
                _ => Err(CommuneNotChosen),
            },
        }
    }

    /// The name of a commune (the code itself when unknown; « Tout le territoire » for none).
    pub fn name_of(&self, code: Option<&str>) -> String {
        match code {
            None => "Tout le territoire".into(),
            Some(c) => self.names.get(c).cloned().unwrap_or_else(|| c.to_string()),
        }
    }

    /// Whether the form needs to show a choice (more than one possibility).
    pub fn has_choice(&self) -> bool {
        self.communes.len() + usize::from(self.territorywide) > 1
    }

    /// The labelled select (`id` distinguishes several forms of a page), preselected on `selected`, or on the
    /// only commune.
    pub fn select(&self, id: &str, selected: Option<&str>) -> Markup {
        let selected = selected.or(match self.communes.as_slice() {
            [(only, _)] if !self.territorywide => Some(only.as_str()),
            _ => None,
        });
        html! {
            label for=(id) { "Commune" }
            select name=(COMMUNE_FIELD) id=(id) {
                @if self.territorywide {
                    option value="" selected[selected.is_none()] { "Tout le territoire" }
                } @else if self.communes.len() > 1 && selected.is_none() {
                    option value="" { "— choisir —" }
                }
                @for (code, name) in &self.communes {
                    option value=(code) selected[selected == Some(code.as_str())] { (name) }
                }
            }
        }
    }
}

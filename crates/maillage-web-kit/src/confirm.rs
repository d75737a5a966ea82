//! Destructive actions in two steps: the button of a page leads (GET) to a confirmation page saying what will
//! be lost ([`form`]), whose own button posts the action with [`FIELD`] set; a post without it goes back to the
//! confirmation page ([`unconfirmed`]), so no deletion happens in one click, whatever sent it.

use crate::auth::Caller;
use crate::layout::csrf_field;
use crate::params::Params;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};

/// The field the confirmation page's form posts.
pub const FIELD: &str = "confirmation";

/// The confirmation of a destructive action.
pub struct Confirmation<'a> {
    /// What will be lost, and what may be recovered (a few paragraphs).
    pub lost: Markup,
    /// Where the form posts.
    pub action: &'a str,
    /// Fields the action needs (a reason chosen on the previous page…).
    pub hidden: &'a [(&'a str, &'a str)],
    /// The words of the button, which name the action.
    pub button: &'a str,
    /// The page to go back to without doing anything.
    pub cancel: &'a str,
}

/// The confirmation's block: what will be lost, the dangerous button, and the way back.
pub fn form(caller: &Caller, c: &Confirmation<'_>) -> Markup {
    html! {
        div.confirmation {
            (c.lost)
            form method="post" action=(c.action) {
                (csrf_field(caller))
                @for (name, value) in c.hidden { input type="hidden" name=(name) value=(value); }
                input type="hidden" name=(FIELD) value="oui";
                div.actions {
                    button.danger type="submit" { (c.button) }
                    a href=(c.cancel) { "Annuler et revenir" }
                }
            }
        }
    }
}

/// A post that does not come from the confirmation page: the answer that leads there; `None` when confirmed.
pub fn unconfirmed(posted: &Params, confirmation_page: &str) -> Option<Response> {
    (posted.get(FIELD) != Some("oui")).then(|| Redirect::to(confirmation_page).into_response())
}

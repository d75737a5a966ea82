//! One's own account: the password change (the home page is [`super::home`]).

use axum::extract::State;
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use maillage_messages::French;
use maillage_store::accounts::{self, AccountError};
use maillage_store::audit::Action;
use maillage_web_kit::audit::Actor;
use maillage_web_kit::auth::{Caller, Via};
use maillage_web_kit::error::WebError;
use maillage_web_kit::layout::{PageMeta, csrf_field, error_box, page, success_box};
use maillage_web_kit::params::{Form, Query};
use maillage_web_kit::permissions::Permission;
use maillage_web_kit::routes::{Access, Routes};
use maillage_web_kit::secrets;
use maillage_web_kit::state::AppState;
use maillage_web_kit::users;
use maud::{Markup, html};

pub fn routes(r: Routes) -> Routes {
    r.page(
        Method::GET,
        "/compte/mot-de-passe",
        Access::Requires(Permission::OwnAccount),
        password_page,
    )
    .page(
        Method::POST,
        "/compte/mot-de-passe",
        Access::Requires(Permission::OwnAccount),
        change_password,
    )
}

fn password_form(caller: &Caller) -> Markup {
    html! {
        form.formulaire method="post" action="/compte/mot-de-passe" {
            (csrf_field(caller))
            div.champ {
                label for="actuel" { "Mot de passe actuel" }
                input #actuel name="actuel" type="password" autocomplete="current-password" required;
            }
            div.champ {
                label for="nouveau" { "Nouveau mot de passe" }
                p.aide #aide-nouveau {
                    (maillage_web_kit::users::PASSWORD_HELP)
                }
                input #nouveau name="nouveau" type="password" autocomplete="new-password" required
                    minlength=(accounts::PASSWORD_MIN_CHARS) aria-describedby="aide-nouveau";
            }
            div.champ {
                label for="confirmation" { "Confirmation du nouveau mot de passe" }
                input #confirmation name="confirmation" type="password" autocomplete="new-password" required;
            }
            button type="submit" { "Changer le mot de passe" }
        }
    }
}

async fn password_page(State(state): State<AppState>, caller: Caller, Query(q): Query) -> Markup {
    let content = html! {
        @if q.flag("fait") { (success_box("votre mot de passe a été changé ; vos autres sessions ont été fermées.")) }
        (password_form(&caller))
    };
    page(
        &state,
        Some(&caller),
        PageMeta {
            title: "Changer de mot de passe",
            current: "/compte/mot-de-passe",
        },
        content,
    )
}

async fn change_password(
    State(state): State<AppState>,
    caller: Caller,
    Form(f): Form,
) -> Result<Response, WebError> {
    let current = f.raw("actuel").to_string();
    let new = f.raw("nouveau");
    let refusal = if new != f.raw("confirmation") {
        Some(AccountError::PasswordMismatch.french())
    } else if let Err(e) = accounts::check_password(new, &caller.account.identifier) {
        Some(e.french())
    } else {
        let hash = accounts::password_hash(state.store(), caller.account.id)
            .await?
            .unwrap_or_default();
        (!secrets::verify_password_async(current, hash).await)
            .then(|| "le mot de passe actuel est incorrect.".to_string())
    };
    if let Some(message) = refusal {
        let content = html! { (error_box(&message)) (password_form(&caller)) };
        let meta = PageMeta {
            title: "Changer de mot de passe",
            current: "/compte/mot-de-passe",
        };
        return Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            page(&state, Some(&caller), meta, content),
        )
            .into_response());
    }
    let keep = match &caller.via {
        Via::Session { token_hash, .. } => Some(token_hash.as_str()),
        Via::Token { .. } => None,
    };
    users::set_password(
        state.store(),
        &Actor::of(&caller),
        caller.account.id,
        new,
        Action::PasswordChanged,
        keep,
    )
    .await?;
    Ok(Redirect::to("/compte/mot-de-passe?fait=1").into_response())
}

//! Logging in and out. Each try is counted for its (account, client address) before the password is checked,
//! in one statement ([`accounts::begin_login_try`]): a few free tries, then doubling delays (429 in French
//! meanwhile) — never a lock of the account for everyone. Every login, failed, limited or successful, is audited
//! (refusals sparsely); a successful one starts a new session (a fresh random token, so a token planted before
//! login is worthless).

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use maillage_store::accounts::{self, LoginTry, Session};
use maillage_store::audit::Action;
use maillage_web_kit::audit::{Actor, record_as};
use maillage_web_kit::auth::{Caller, ClientIp, MaybeCaller, Via, cookie, unix_now};
use maillage_web_kit::error::{Failure, WebError};
use maillage_web_kit::layout::{PageMeta, error_box, page};
use maillage_web_kit::params::{Form, Query};
use maillage_web_kit::permissions::Permission;
use maillage_web_kit::routes::{Access, Routes};
use maillage_web_kit::secrets;
use maillage_web_kit::state::AppState;
use maud::html;
use serde_json::json;
use std::time::Duration;

pub fn routes(r: Routes) -> Routes {
    r.page(Method::GET, "/connexion", Access::Public, login_page)
        .page(Method::POST, "/connexion", Access::Public, login)
        .page(
            Method::POST,
            "/deconnexion",
            Access::Requires(Permission::OwnAccount),
            logout,
        )
}

/// Only a path of this site: one `/` then visible ASCII, never `//host`, `/\\host`, `https://…` nor a control
/// character (`/%09/evil.example/` decodes to a tab that browsers drop, making it `//evil.example/`; a newline
/// cannot be put in a header). Anything else goes to the home page.
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n)
            if n.starts_with('/')
                && !n.starts_with("//")
                && n.chars().all(|c| c.is_ascii_graphic() && c != '\\')
                && !n.starts_with("/connexion") =>
        {
            n.to_string()
        }
        _ => "/".to_string(),
    }
}

/// Lifetime of the login form's CSRF cookie.
const LOGIN_FORM_LIFETIME: Duration = Duration::from_secs(2 * 3600);

fn form(
    state: &AppState,
    csrf: &str,
    next: &str,
    identifier: &str,
    error: Option<&str>,
) -> maud::Markup {
    let content = html! {
        @if let Some(e) = error { (error_box(e)) }
        form.formulaire method="post" action="/connexion" {
            input type="hidden" name="_csrf" value=(csrf);
            input type="hidden" name="suite" value=(next);
            div.champ {
                label for="identifiant" { "Identifiant" }
                input #identifiant name="identifiant" type="text" autocomplete="username" required
                    autocapitalize="none" spellcheck="false" value=(identifier);
            }
            div.champ {
                label for="mot_de_passe" { "Mot de passe" }
                input #mot_de_passe name="mot_de_passe" type="password" autocomplete="current-password" required;
            }
            button type="submit" { "Se connecter" }
        }
        p.aide { "Pas de compte ? Demandez-en un à l'administrateur de Maillage de votre collectivité." }
    };
    page(
        state,
        None,
        PageMeta {
            title: "Connexion",
            current: "/connexion",
        },
        content,
    )
}

async fn login_page(
    State(state): State<AppState>,
    MaybeCaller(caller): MaybeCaller,
    Query(q): Query,
    headers: HeaderMap,
) -> Response {
    let next = safe_next(q.get("suite"));
    if caller.is_some() {
        return Redirect::to(&next).into_response();
    }
    // The login form's CSRF token: a double-submit cookie, since there is no session yet.
    let existing = cookie(&headers, state.login_csrf_cookie()).filter(|c| c.len() == 64);
    let csrf = existing.clone().unwrap_or_else(secrets::random_token);
    let mut response = form(&state, &csrf, &next, "", None).into_response();
    if existing.is_none() {
        let c = state.cookie(state.login_csrf_cookie(), &csrf, LOGIN_FORM_LIFETIME);
        response.headers_mut().append(
            header::SET_COOKIE,
            HeaderValue::from_str(&c).expect("cookie is ASCII"),
        );
    }
    response
}

async fn login(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Form(f): Form,
) -> Result<Response, WebError> {
    let store = state.store();
    let config = state.config();
    let typed = f.get("identifiant").unwrap_or("");
    let password = f.raw("mot_de_passe").to_string();
    let next = safe_next(f.get("suite"));
    let csrf = cookie(&headers, state.login_csrf_cookie()).unwrap_or_default();
    if typed.is_empty() || password.is_empty() {
        // Not a guess: nothing to count, nothing to verify.
        let markup = form(
            &state,
            &csrf,
            &next,
            typed,
            Some("Saisissez votre identifiant et votre mot de passe."),
        );
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, markup).into_response());
    }
    let ip_text = ip.clone().unwrap_or_else(|| "inconnue".into());
    let identifier = typed.trim().to_lowercase();
    // Limits are kept on a digest of what was typed: unknown identifiers are limited like known ones, and what
    // people type in the identifier field (sometimes a password) is not stored.
    let account_key = secrets::digest(&identifier);
    let now = unix_now();

    let found = match accounts::normalize_identifier(&identifier) {
        Ok(id) => accounts::credentials(store, &id).await?,
        Err(_) => None,
    };
    let actor = match &found {
        Some((a, _)) => Actor {
            name: a.identifier.clone(),
            id: Some(a.id),
            ip: ip.clone(),
            token: None,
        },
        None => Actor::anonymous(ip.clone()),
    };

    // Counted and decided before the password is checked, in one statement: parallel guesses cannot all pass.
    let attempt =
        match accounts::begin_login_try(store, &account_key, &ip_text, now, config.login_pacing)
            .await?
        {
            LoginTry::Granted { attempt } => attempt,
            LoginTry::Refused {
                allowed_from,
                refused,
            } => {
                // The 1st, 2nd, 4th, 8th… refusal is audited: a flood of tries cannot flood the log.
                if (refused as u64).is_power_of_two() {
                    record_as(
                        store,
                        &actor,
                        Action::LoginRateLimited,
                        "connexion",
                        json!({ "limite": "compte_et_adresse", "refus": refused }),
                    )
                    .await?;
                }
                return Ok(too_soon(allowed_from - now));
            }
        };

    // The hash is always verified, against a dummy one for unknown identifiers: both take as long.
    let hash = found
        .as_ref()
        .map(|(_, h)| h.clone())
        .unwrap_or_else(|| state.dummy_hash().to_string());
    let password_ok = secrets::verify_password_async(password, hash).await;
    let refusal = match &found {
        None => Some("compte_inconnu"),
        Some(_) if !password_ok => Some("mot_de_passe"),
        Some((a, _)) if !a.active => Some("compte_desactive"),
        Some((a, _)) if a.demo && !state.is_demo() => {
            Some("compte_demonstration_hors_demonstration")
        }
        Some(_) => None,
    };
    if let Some(reason) = refusal {
        record_as(
            store,
            &actor,
            Action::LoginFailed,
            "connexion",
            json!({ "raison": reason, "essai": attempt }),
        )
        .await?;
        if found.is_some() {
            alert_when_the_account_is_targeted(&state, &actor, &account_key).await?;
        }
        let markup = form(
            &state,
            &csrf,
            &next,
            typed,
            Some("Identifiant ou mot de passe incorrect."),
        );
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, markup).into_response());
    }
    let (account, _) = found.expect("refused above when absent");

    accounts::login_succeeded(store, &account_key, &ip_text).await?;
    // A session token presented before login is discarded, never reused.
    if let Some(old) = cookie(&headers, state.session_cookie()) {
        accounts::delete_session(store, &secrets::digest(&old)).await?;
    }
    let token = secrets::random_token();
    let session = Session {
        account_id: account.id,
        csrf_token: secrets::random_token(),
        created_at: now,
        last_seen_at: now,
        expires_at: now + config.session_absolute.as_secs() as i64,
    };
    accounts::create_session(store, &secrets::digest(&token), &session).await?;
    record_as(
        store,
        &actor,
        Action::LoginSucceeded,
        "connexion",
        json!({}),
    )
    .await?;
    // Housekeeping, cheap and bounded: limiter rows untouched for a day and dead sessions go.
    accounts::purge_attempts(store, now - 24 * 3600).await?;
    accounts::purge_sessions(store, now, now - config.session_idle.as_secs() as i64).await?;

    let mut response = Redirect::to(&next).into_response();
    let session_cookie = state.cookie(state.session_cookie(), &token, config.session_absolute);
    let clear_csrf = state.expired_cookie(state.login_csrf_cookie());
    for c in [session_cookie, clear_csrf] {
        response.headers_mut().append(
            header::SET_COOKIE,
            HeaderValue::from_str(&c).expect("cookie is ASCII"),
        );
    }
    Ok(response)
}

/// 429: this (account, address) must wait; says how long, and what else to do.
fn too_soon(wait_seconds: i64) -> Response {
    let wait = wait_seconds.max(1);
    let minutes = (wait + 59) / 60;
    let delay = if wait < 60 {
        format!("{wait} seconde{}", if wait > 1 { "s" } else { "" })
    } else {
        format!("{minutes} minute{}", if minutes > 1 { "s" } else { "" })
    };
    let message = format!(
        "Trop d'essais de connexion à ce compte depuis votre adresse : réessayez dans {delay}. Si vous avez \
         oublié votre mot de passe, demandez à l'administrateur de Maillage de le réinitialiser."
    );
    let mut r = StatusCode::TOO_MANY_REQUESTS.into_response();
    r.extensions_mut().insert(Failure {
        status: StatusCode::TOO_MANY_REQUESTS,
        message: Some(message),
    });
    r.headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(wait));
    r
}

/// An account failing from many places is audited (each time the failures summed over addresses reach a
/// multiple of the alert threshold), never locked: its owner, from their own address, still logs in.
async fn alert_when_the_account_is_targeted(
    state: &AppState,
    actor: &Actor,
    account_key: &str,
) -> Result<(), WebError> {
    let threshold = state.config().login_account_alert;
    let (failures, addresses) = accounts::account_failures(state.store(), account_key).await?;
    if threshold > 0 && failures > 0 && failures % threshold == 0 {
        record_as(
            state.store(),
            actor,
            Action::LoginRateLimited,
            "connexion",
            json!({ "alerte": "compte", "echecs": failures, "adresses": addresses }),
        )
        .await?;
    }
    Ok(())
}

async fn logout(State(state): State<AppState>, caller: Caller) -> Result<Response, WebError> {
    if let Via::Session { token_hash, .. } = &caller.via {
        accounts::delete_session(state.store(), token_hash).await?;
    }
    maillage_web_kit::audit::record(&state, &caller, Action::Logout, "connexion", json!({}))
        .await?;
    let mut response = Redirect::to("/connexion").into_response();
    let c = state.expired_cookie(state.session_cookie());
    response.headers_mut().append(
        header::SET_COOKIE,
        HeaderValue::from_str(&c).expect("cookie is ASCII"),
    );
    Ok(response)
}

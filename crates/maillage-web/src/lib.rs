//! The web platform of Maillage: an HTTP server (axum) rendering French, accessible HTML pages (maud) and a
//! JSON API, with accounts, roles, sessions, CSRF protection, login rate limiting and an audit log. It is served
//! by the `maillage` binary (`maillage serve`, `maillage demo`).
//!
//! # Crates
//!
//! This crate is the application: it assembles the routes of the page crates (`maillage-web-observatory`,
//! `maillage-web-crisis`, `maillage-web-network`, each `fn routes(r: Routes) -> Routes`) with its own pages
//! (login, account, administration, set-up, DPO) in [`all_routes`], and serves them. What they share is in
//! `maillage-web-kit` (re-exported here under the old paths: [`routes`], [`auth`], [`layout`]…); the drawing of
//! PDF and SVG in `maillage-report`. Page crates never depend on each other.
//!
//! # Security model
//!
//! - **Deny by default.** Every route is declared through [`routes::Routes`] with an [`routes::Access`]:
//!   `Public` or `Requires(Permission)`. There is no other way to add a route: the axum router is built from
//!   that table only, and the guard ([`auth`]) checks the access before the handler runs. Roles get
//!   permissions from one table, [`permissions::permissions_of`]. `tests/it/routes.rs` checks every route × role.
//! - **Sessions**: a random 256-bit token in an HttpOnly, SameSite=Lax cookie (`Secure` and `__Host-` with
//!   `--cookie-securise`), stored as its SHA-256 with an idle and an absolute expiry.
//! - **CSRF**: every POST made with a session carries the session's token (`_csrf` field — the first field of a
//!   file upload, see [`multipart`] — or `x-csrf-token` header); the login form uses a double-submit cookie.
//! - **Passwords**: argon2id, CNIL strength policy. **Logins**: counted per (account, address) before the
//!   password is checked, progressive delays (429 in French), never a lock for everyone; all audited.
//! - **API**: the session cookie, or `Authorization: Bearer` tokens created by an administrator (stored hashed,
//!   revocable, audited). Partners get aggregated figures under statistical secrecy only.
//! - **Audit log**: append-only, hash-chained ([`maillage_store::audit`]); no personal data in program logs.
//!
//! # Extension points (how to add to the platform)
//!
//! **A page.** In a module of [`pages`] (or a new one, listed in [`all_routes`]):
//!
//! ```text
//! pub fn routes(r: Routes) -> Routes {
//!     r.page(Method::GET, "/observatoire/export", Access::Requires(Permission::ObservatoryRead), export_page)
//! }
//! async fn export_page(State(state): State<AppState>, caller: Caller, Query(q): Query) -> Result<Markup, WebError> {
//!     let content = html! { p { "…" } };
//!     Ok(layout::page(&state, Some(&caller), PageMeta { title: "Exports", current: "/observatoire/export" }, content))
//! }
//! ```
//!
//! - The [`auth::Caller`] extractor gives the logged-in account, its permissions and its territory
//!   ([`auth::Caller::scope`]); `caller.require(Permission::X)?` checks a further permission inside a handler.
//! - [`params::Query`] and [`params::Form`] read query strings and form bodies (repeated fields kept).
//! - Forms: `form method="post"` with `(layout::csrf_field(&caller))` inside; the guard rejects a POST without
//!   the right token before the handler runs.
//! - Errors: return [`error::WebError`]; the guard renders it as a French page (or JSON on API routes).
//!   A form that needs correcting is re-rendered with `layout::error_box` and status 422.
//! - Navigation: add a [`layout::NavItem`] to [`layout::NAV`] with its permission.
//! - A new permission: add it to [`permissions::Permission`] and grant it in [`permissions::permissions_of`].
//!
//! **An API endpoint.** `r.api(Method::GET, "/api/v1/…", Access::Requires(p), DOC, handler)` where `DOC` is a
//! [`routes::ApiDoc`] (summary, description, query parameters, JSON Schema of the answer): the route is then in
//! `/api/v1/openapi.json` with its security, accepts bearer tokens, and answers errors as JSON. Apply
//! statistical secrecy with [`data::secrecy_for`] (forced for partners) and cut data to the caller's communes
//! with [`data::zones_for`] / [`data::indicator_rows`] or [`scope::Scope`].
//!
//! **An audit entry.** After a read of personal or sensitive data, an export or a change:
//! `audit::record(&state, &caller, Action::X, "target", json!({ … })).await?` — or, for a change,
//! [`audit::record_in`] inside the change's transaction. Add the action to
//! [`maillage_store::audit::Action`] (stable code) and its French label to [`pages::dpo::action_label`].
//!
//! **A static file.** Put it in `assets/` and add it to [`assets::ASSETS`] (embedded with `include_bytes!`).
//! The Content-Security-Policy allows scripts, styles and images from the site itself only.

pub mod api;
pub mod assets;
pub mod pages;

// The kit's modules and the observatory's report keep their paths here (`maillage_web::audit`,
// `maillage_web::report`…): the `maillage` binary and the tests name them so.
pub use maillage_web_kit::{
    audit, auth, data, error, layout, limits, multipart, params, permissions, routes, scope,
    secrets, state, users,
};
pub use maillage_web_observatory::{exports, report};

pub use state::{AppState, Config};

use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use error::Failure;
use maillage_store::Store;
use routes::{RouteInfo, Routes};
use std::net::SocketAddr;

/// Every route of the site, from every module. Add a module's `routes` here.
pub fn all_routes() -> Routes {
    let r = Routes::new();
    let r = assets::routes(r);
    let r = pages::home::routes(r);
    let r = pages::login::routes(r);
    let r = pages::account::routes(r);
    let r = pages::setup::routes(r);
    let r = pages::admin::routes(r);
    let r = pages::dpo::routes(r);
    let r = pages::instance::routes(r);
    let r = maillage_web_observatory::routes(r);
    let r = maillage_web_crisis::routes(r);
    let r = maillage_web_network::routes(r);
    api::routes(r)
}

/// The table of routes (method, path, access, kind), for tests and documentation.
pub fn route_table() -> Vec<RouteInfo> {
    all_routes().infos()
}

/// The application for a store: every route behind its guard, a French 404, security headers.
pub async fn app(store: Store, config: Config) -> maillage_store::Result<Router> {
    let demo = users::is_demo_base(&store).await?;
    maillage_store::settings::load_time_zone(&store).await?;
    // The directory's trash keeps a deleted entry 30 days; older ones go at each start (and when it is opened).
    maillage_store::network::trash::purge_everywhere(&store, jiff::Timestamp::now()).await?;
    let dummy_hash = secrets::hash_password_async(secrets::random_token()).await;
    let routes = all_routes();
    let state = AppState::new(store, config, demo, routes.infos(), dummy_hash);
    Ok(routes
        .into_router(state.clone())
        .method_not_allowed_fallback(method_not_allowed)
        .fallback(not_found)
        .layer(axum::middleware::map_response(security_headers))
        .with_state(state))
}

async fn not_found(
    axum::extract::State(state): axum::extract::State<AppState>,
    req: Request,
) -> Response {
    let failure = Failure {
        status: StatusCode::NOT_FOUND,
        message: None,
    };
    if req.uri().path().starts_with("/api/") {
        error::error_body(&failure)
    } else {
        layout::error_page(&state, None, &failure)
    }
}

/// A path asked with a method it does not take. A page asked for (GET) at a form's target — a bookmark, an
/// address typed again, a reload — leads to the nearest page above it (the form's page); anything else is a
/// French page (or JSON under `/api/`) saying so, never an empty answer.
async fn method_not_allowed(
    axum::extract::State(state): axum::extract::State<AppState>,
    req: Request,
) -> Response {
    let path = req.uri().path();
    let is_api = path.starts_with("/api/");
    if !is_api
        && matches!(
            *req.method(),
            axum::http::Method::GET | axum::http::Method::HEAD
        )
    {
        let page = page_above(state.routes(), path);
        return axum::response::Redirect::to(&page).into_response();
    }
    let failure = Failure {
        status: StatusCode::METHOD_NOT_ALLOWED,
        message: None,
    };
    if is_api {
        error::error_body(&failure)
    } else {
        layout::error_page(&state, None, &failure)
    }
}

/// The nearest path above `path` that is a page of the site (`/` at worst).
fn page_above(routes: &[RouteInfo], path: &str) -> String {
    let mut segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    while segments.pop().is_some() {
        let candidate = format!("/{}", segments.join("/"));
        let is_page = routes.iter().any(|r| {
            r.method == axum::http::Method::GET
                && r.kind == routes::Kind::Page
                && pattern_matches(r.path, &segments)
        });
        if is_page {
            return candidate;
        }
    }
    "/".into()
}

/// Whether a route's path (`/cls/fiches/{id}`) names these segments.
fn pattern_matches(pattern: &str, segments: &[&str]) -> bool {
    let parts: Vec<&str> = pattern.split('/').filter(|s| !s.is_empty()).collect();
    parts.len() == segments.len()
        && parts
            .iter()
            .zip(segments)
            .all(|(p, s)| (p.starts_with('{') && p.ends_with('}')) || p == s)
}

async fn security_headers(mut response: Response) -> Response {
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; \
             base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
        ),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    h.entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-store"));
    response
}

/// Serves the application (from [`app`]) on `listener` until `shutdown` completes.
pub async fn serve(
    app: Router,
    listener: tokio::net::TcpListener,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}

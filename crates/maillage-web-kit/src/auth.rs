//! Who is calling, and may they: the route guard run before every handler.
//!
//! The guard, for each request: finds the caller (session cookie; on API routes also `Authorization: Bearer`),
//! enforces idle and absolute session expiry, checks the route's [`Access`] (no caller: 303 to the login page or
//! 401 JSON; missing permission: 403), checks the CSRF token of every state-changing request made with a
//! session (synchronizer token bound to the session, form field `_csrf` or header `x-csrf-token`; before login,
//! a double-submit cookie), then runs the handler and renders any [`WebError`] it returned as a French page or
//! JSON.

use crate::error::{Failure, WebError};
use crate::permissions::{Permission, permissions_of_roles};
use crate::routes::{Access, Kind, RouteInfo};
use crate::state::AppState;
use crate::{layout, scope::Scope};
use crate::{limits, secrets};
use axum::body::{Body, Bytes, to_bytes};
use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Version, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use maillage_store::accounts::{self, Account};
use std::collections::BTreeSet;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

/// A session's `last_seen_at` and a token's `last_used_at` are written at most this often (seconds).
const TOUCH_EVERY: i64 = 60;

/// How the caller proved who they are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Via {
    /// A browser session: the digest of its token and its CSRF token.
    Session { token_hash: String, csrf: String },
    /// A partner's API token (its id).
    Token { id: i64 },
}

/// The authenticated caller of a request, available to handlers as an extractor on every non-public route.
#[derive(Debug, Clone)]
pub struct Caller {
    pub account: Account,
    pub permissions: BTreeSet<Permission>,
    pub via: Via,
    /// The client's address (for the audit log only: never written to the program's logs).
    pub ip: Option<String>,
}

impl Caller {
    pub fn has(&self, p: Permission) -> bool {
        self.permissions.contains(&p)
    }

    /// For checks inside a handler (the route's own permission is already checked by the guard).
    pub fn require(&self, p: Permission) -> Result<(), WebError> {
        if self.has(p) {
            Ok(())
        } else {
            Err(WebError::Forbidden)
        }
    }

    /// The communes whose data this caller may see.
    pub fn scope(&self) -> Scope {
        Scope::of(&self.account)
    }

    /// The CSRF token to put in forms (empty for API tokens, which never post forms).
    pub fn csrf(&self) -> &str {
        match &self.via {
            Via::Session { csrf, .. } => csrf,
            Via::Token { .. } => "",
        }
    }
}

/// The caller when the route is public: None when nobody is logged in.
#[derive(Debug, Clone)]
pub struct MaybeCaller(pub Option<Caller>);

/// The client's address: the socket's peer, or what a trusted proxy in front says it is ([`client_address`]).
/// Put in the request by the guard; assets and the fallback see the socket's peer.
#[derive(Debug, Clone)]
pub struct ClientIp(pub Option<String>);

/// The route being served (handlers use it to tell pages from API answers).
#[derive(Debug, Clone)]
pub struct CurrentRoute(pub Arc<RouteInfo>);

impl<S: Send + Sync> FromRequestParts<S> for Caller {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        match parts.extensions.get::<MaybeCaller>() {
            Some(MaybeCaller(Some(c))) => Ok(c.clone()),
            // Only possible on a public route whose handler asks for a caller: a programming error, refused.
            _ => Err(WebError::Forbidden),
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for MaybeCaller {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(parts
            .extensions
            .get::<MaybeCaller>()
            .cloned()
            .unwrap_or(MaybeCaller(None)))
    }
}

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(parts
            .extensions
            .get::<ClientIp>()
            .cloned()
            .unwrap_or_else(|| ClientIp(peer(parts).map(|ip| ip.to_string()))))
    }
}

fn peer(parts: &Parts) -> Option<IpAddr> {
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip())
}

/// The client's address. From a peer that is a trusted proxy, `X-Forwarded-For` is read from the right (each
/// proxy appends the address it received from): the first address that is not itself a trusted proxy is the
/// client; a proxy that appended nothing readable leaves the peer. From any other peer the header is ignored:
/// anyone can write it.
pub fn client_address(
    peer: Option<IpAddr>,
    headers: &HeaderMap,
    trusted: &[IpAddr],
) -> Option<IpAddr> {
    let peer = peer?;
    if !trusted.contains(&peer) {
        return Some(peer);
    }
    let hops: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect();
    let mut client = peer;
    for hop in hops.iter().rev() {
        let Some(ip) = parse_hop(hop) else { break };
        client = ip;
        if !trusted.contains(&ip) {
            break;
        }
    }
    Some(client)
}

/// An address of `X-Forwarded-For`: `192.0.2.1`, `2001:db8::1`, with or without a port.
fn parse_hop(hop: &str) -> Option<IpAddr> {
    hop.parse::<IpAddr>()
        .ok()
        .or_else(|| hop.parse::<SocketAddr>().ok().map(|s| s.ip()))
}

fn client_ip(state: &AppState, parts: &Parts) -> Option<String> {
    client_address(peer(parts), &parts.headers, &state.config().trusted_proxies)
        .map(|ip| ip.to_string())
}

/// The Unix time, in seconds.
pub fn unix_now() -> i64 {
    jiff::Timestamp::now().as_second()
}

/// A cookie's value from the request's `Cookie` headers.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

enum Credentials {
    None,
    Caller(Box<Caller>),
    /// A bearer token was presented and is not valid: 401, never a fallback to the cookie.
    BadToken,
}

async fn account_caller(
    state: &AppState,
    account_id: i64,
    via: Via,
    ip: Option<String>,
) -> Result<Option<Caller>, WebError> {
    let Some(account) = accounts::get(state.store(), account_id).await? else {
        return Ok(None);
    };
    Ok(caller_of(state, account, via, ip))
}

/// The caller an account makes, if it may act: active, and a demonstration account only on a demonstration base.
fn caller_of(state: &AppState, account: Account, via: Via, ip: Option<String>) -> Option<Caller> {
    if !account.active || (account.demo && !state.is_demo()) {
        return None;
    }
    let permissions = permissions_of_roles(&account.roles);
    Some(Caller {
        account,
        permissions,
        via,
        ip,
    })
}

async fn session_caller(
    state: &AppState,
    headers: &HeaderMap,
    ip: Option<String>,
) -> Result<Option<Caller>, WebError> {
    let Some(token) = cookie(headers, state.session_cookie()) else {
        return Ok(None);
    };
    let token_hash = secrets::digest(&token);
    let Some((session, account)) = accounts::session(state.store(), &token_hash).await? else {
        return Ok(None);
    };
    let now = unix_now();
    let idle = state.config().session_idle.as_secs() as i64;
    if now >= session.expires_at || now - session.last_seen_at >= idle {
        accounts::delete_session(state.store(), &token_hash).await?;
        return Ok(None);
    }
    if now - session.last_seen_at >= TOUCH_EVERY {
        accounts::touch_session(state.store(), &token_hash, now).await?;
    }
    Ok(caller_of(
        state,
        account,
        Via::Session {
            token_hash,
            csrf: session.csrf_token,
        },
        ip,
    ))
}

async fn bearer_caller(
    state: &AppState,
    value: &HeaderValue,
    ip: Option<String>,
) -> Result<Credentials, WebError> {
    let Some(token) = value
        .to_str()
        .ok()
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
    else {
        return Ok(Credentials::BadToken);
    };
    let Some(token) = accounts::token_by_hash(state.store(), &secrets::digest(token)).await? else {
        return Ok(Credentials::BadToken);
    };
    // Like a session's last activity: a write per API call would serialise readers behind SQLite's writer.
    if token
        .last_used_at
        .is_none_or(|last| unix_now() - last >= TOUCH_EVERY)
    {
        accounts::touch_token(state.store(), token.id).await?;
    }
    let id = token.id;
    Ok(
        match account_caller(state, token.account_id, Via::Token { id }, ip).await? {
            Some(c) => Credentials::Caller(Box::new(c)),
            None => Credentials::BadToken,
        },
    )
}

async fn credentials(
    state: &AppState,
    kind: Kind,
    parts: &Parts,
    ip: Option<String>,
) -> Result<Credentials, WebError> {
    if kind == Kind::Api
        && let Some(value) = parts.headers.get(header::AUTHORIZATION)
    {
        return bearer_caller(state, value, ip).await;
    }
    Ok(match session_caller(state, &parts.headers, ip).await? {
        Some(c) => Credentials::Caller(Box::new(c)),
        None => Credentials::None,
    })
}

fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// The CSRF token a request presents: the `x-csrf-token` header, or the `_csrf` field of a form body (the body is
/// read and put back for the handler), or the first field of a multipart body ([`crate::multipart`]).
async fn presented_csrf(
    req: Request,
) -> Result<(Request, Option<String>, Option<Bytes>), WebError> {
    if let Some(v) = req
        .headers()
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
    {
        let v = v.to_string();
        return Ok((req, Some(v), None));
    }
    // Uploads: the token is the first field of the multipart body, read without buffering the file.
    if let Some(boundary) = crate::multipart::boundary(req.headers()) {
        let (req, token) = crate::multipart::csrf_first_field(req, &boundary).await?;
        return Ok((req, token, None));
    }
    let is_form = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return Ok((req, None, None));
    }
    let (parts, body) = req.into_parts();
    // The body is already capped by the guard ([`limits::limited`]): its error is the one to tell.
    let bytes = to_bytes(body, usize::MAX).await.map_err(|e| {
        if limits::too_large_in(&e).is_some() {
            WebError::TooLarge(limits::form_too_large_message())
        } else {
            WebError::BadRequest(
                "Le formulaire envoyé est incomplet ; envoyez-le à nouveau.".into(),
            )
        }
    })?;
    let token = form_urlencoded::parse(&bytes)
        .find(|(k, _)| k == "_csrf")
        .map(|(_, v)| v.into_owned());
    Ok((
        Request::from_parts(parts, Body::from(bytes.clone())),
        token,
        Some(bytes),
    ))
}

/// The route guard (see the module documentation).
pub async fn guard(
    State((state, info)): State<(AppState, Arc<RouteInfo>)>,
    req: Request,
    next: Next,
) -> Response {
    if info.kind == Kind::Asset {
        return next.run(req).await;
    }
    let carries_body = !is_safe(req.method())
        || limits::declared_length(req.headers()).is_some_and(|n| n > 0)
        || req.headers().contains_key(header::TRANSFER_ENCODING);
    let http1 = req.version() <= Version::HTTP_11;
    let mut response = guarded(state, info, req, next).await;
    // A refused request's body may be partly unread: the connection is not reused for another request, and
    // the client is told so (else it would send its next request into what the server takes for that body).
    if carries_body
        && http1
        && (response.status().is_client_error() || response.status().is_server_error())
    {
        response
            .headers_mut()
            .insert(header::CONNECTION, HeaderValue::from_static("close"));
    }
    response
}

async fn guarded(state: AppState, info: Arc<RouteInfo>, req: Request, next: Next) -> Response {
    let (parts, body) = req.into_parts();
    // Form bodies are capped here, whatever reads them; uploads by their parts ([`crate::multipart`]).
    let body = if crate::multipart::boundary(&parts.headers).is_some() {
        body
    } else if limits::declared_length(&parts.headers).is_some_and(|n| n > limits::FORM_LIMIT) {
        let refused = limits::payload_too_large(limits::form_too_large_message());
        return finish(&state, &info, None, refused);
    } else {
        limits::limited(body, limits::FORM_LIMIT)
    };
    let ip = client_ip(&state, &parts);
    let caller = match credentials(&state, info.kind, &parts, ip.clone()).await {
        Ok(Credentials::Caller(c)) => Some(*c),
        Ok(Credentials::None) => None,
        // A bad token is refused where a caller is needed; a public route answers as to anyone.
        Ok(Credentials::BadToken) if info.access == Access::Public => None,
        Ok(Credentials::BadToken) => {
            return finish(&state, &info, None, denied(StatusCode::UNAUTHORIZED));
        }
        Err(e) => return finish(&state, &info, None, e.into_response()),
    };
    if let Access::Requires(permission) = info.access {
        match &caller {
            None if info.kind == Kind::Page => return to_login(&parts),
            None => return finish(&state, &info, None, denied(StatusCode::UNAUTHORIZED)),
            Some(c) if !c.has(permission) => {
                return finish(&state, &info, caller.clone(), denied(StatusCode::FORBIDDEN));
            }
            Some(_) => {}
        }
    }
    let safe = is_safe(&parts.method);
    let login_cookie = cookie(&parts.headers, state.login_csrf_cookie()).unwrap_or_default();
    let mut req = Request::from_parts(parts, body);
    // A form's posted fields, to give back to it if it is refused (see [`refill_refused`]).
    let mut posted = None;
    if !safe {
        let expected = match caller.as_ref().map(|c| &c.via) {
            Some(Via::Session { csrf, .. }) => Some(csrf.clone()),
            // API tokens are not sent by browsers on their own: no cross-site forgery to fear.
            Some(Via::Token { .. }) => None,
            None => Some(login_cookie),
        };
        if let Some(expected) = expected {
            let presented = match presented_csrf(req).await {
                Ok((r, token, bytes)) => {
                    req = r;
                    posted = bytes;
                    token
                }
                Err(e) => return finish(&state, &info, caller, e.into_response()),
            };
            let ok = !expected.is_empty()
                && presented.is_some_and(|p| secrets::constant_time_eq(&p, &expected));
            if !ok {
                let failure = Failure {
                    status: StatusCode::FORBIDDEN,
                    message: Some(
                        "Ce formulaire a expiré ou ne vient pas de Maillage (jeton anti-falsification absent ou \
                         invalide). Rechargez la page et envoyez-le à nouveau."
                            .into(),
                    ),
                };
                let mut r = StatusCode::FORBIDDEN.into_response();
                r.extensions_mut().insert(failure);
                return finish(&state, &info, caller, r);
            }
        }
    }
    req.extensions_mut().insert(ClientIp(ip));
    req.extensions_mut().insert(MaybeCaller(caller.clone()));
    req.extensions_mut().insert(CurrentRoute(info.clone()));
    let action = req.uri().path().to_string();
    let address = form_page(req.headers());
    let mut response = next.run(req).await;
    if let Some(bytes) = posted
        && info.kind == Kind::Page
        && response.status() == StatusCode::UNPROCESSABLE_ENTITY
    {
        response = refill_refused(response, &action, &bytes, address.as_deref()).await;
    }
    finish(&state, &info, caller, response)
}

/// The page a form was posted from (the `Referer` the browser sends for this site's own pages), without its
/// confirmation code: the address a refused form's page shows instead of the POST target.
fn form_page(headers: &axum::http::HeaderMap) -> Option<String> {
    let referer = headers.get(header::REFERER)?.to_str().ok()?;
    let host = headers.get(header::HOST)?.to_str().ok()?;
    let after_scheme = referer
        .strip_prefix("http://")
        .or_else(|| referer.strip_prefix("https://"))?;
    let path = after_scheme.strip_prefix(host)?;
    if !path.starts_with('/')
        || path.starts_with("//")
        || !path.bytes().all(|b| b.is_ascii_graphic())
    {
        return None;
    }
    let (path, query) = path.split_once('?').unwrap_or((path, ""));
    let path = path.split('#').next().unwrap_or(path);
    let kept: Vec<&str> = query
        .split('&')
        .filter(|p| !p.is_empty() && !p.starts_with("fait="))
        .collect();
    Some(if kept.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{}", kept.join("&"))
    })
}

/// A form's page shown again after a refusal (422) with what was posted put back into the form
/// ([`crate::refill`]); an answer that is no HTML page is left as it is.
async fn refill_refused(
    response: Response,
    action: &str,
    bytes: &Bytes,
    address: Option<&str>,
) -> Response {
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if !is_html || response.extensions().get::<Failure>().is_some() {
        return response;
    }
    let field = response
        .extensions()
        .get::<crate::error::WrongField>()
        .and_then(|w| w.0);
    let (mut parts, body) = response.into_parts();
    // The page was built by this server: its size is bounded by what the handler wrote.
    let Ok(page) = to_bytes(body, usize::MAX).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let Ok(html) = std::str::from_utf8(&page) else {
        return Response::from_parts(parts, Body::from(page));
    };
    let values: Vec<(String, String)> = form_urlencoded::parse(bytes)
        .filter(|(k, _)| k != "_csrf")
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let refilled = crate::refill::refill(
        html,
        &crate::refill::Posted {
            action,
            values: &values,
            field,
            address,
        },
    );
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(refilled))
}

fn denied(status: StatusCode) -> Response {
    let mut r = status.into_response();
    r.extensions_mut().insert(Failure {
        status,
        message: None,
    });
    r
}

/// 303 to the login page, remembering where the user wanted to go.
fn to_login(parts: &Parts) -> Response {
    let target = parts
        .uri
        .path_and_query()
        .map(|p| p.as_str())
        .unwrap_or("/");
    let query: String = form_urlencoded::Serializer::new(String::new())
        .append_pair("suite", target)
        .finish();
    let mut r = Redirect::to(&format!("/connexion?{query}")).into_response();
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

/// Renders a failure the handler or guard produced, and sets the headers every dynamic answer has.
fn finish(
    state: &AppState,
    info: &RouteInfo,
    caller: Option<Caller>,
    mut response: Response,
) -> Response {
    if let Some(failure) = response.extensions_mut().remove::<Failure>() {
        let mut rendered = match info.kind {
            Kind::Api => crate::error::error_body(&failure),
            _ => layout::error_page(state, caller.as_ref(), &failure),
        };
        if failure.status == StatusCode::UNAUTHORIZED && info.kind == Kind::Api {
            rendered
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        // Headers set by the handler (a cookie, Retry-After) survive the rendering.
        for (name, value) in response.headers() {
            if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
                rendered.headers_mut().append(name.clone(), value.clone());
            }
        }
        response = rendered;
    }
    // Pages and answers depend on who asks: never kept by a browser or a proxy.
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

#[cfg(test)]
mod tests {
    use super::client_address;
    use axum::http::{HeaderMap, HeaderValue};
    use std::net::IpAddr;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn forwarded(values: &[&str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for v in values {
            h.append("x-forwarded-for", HeaderValue::from_str(v).unwrap());
        }
        h
    }

    #[test]
    fn the_header_counts_only_from_a_trusted_proxy_read_from_the_right() {
        let proxy = ip("10.0.0.1");
        let trusted = [proxy, ip("10.0.0.2")];
        let h = forwarded(&["6.6.6.6, 192.0.2.9"]);
        // Not a trusted peer: the header is anyone's words.
        assert_eq!(
            client_address(Some(ip("192.0.2.50")), &h, &trusted),
            Some(ip("192.0.2.50"))
        );
        // From the proxy: its own entry (the rightmost), not what the client wrote before it.
        assert_eq!(
            client_address(Some(proxy), &h, &trusted),
            Some(ip("192.0.2.9"))
        );
        // Two proxies in a row, headers repeated, ports and IPv6.
        let h = forwarded(&["6.6.6.6", "[2001:db8::7]:4711, 10.0.0.2"]);
        assert_eq!(
            client_address(Some(proxy), &h, &trusted),
            Some(ip("2001:db8::7"))
        );
        // A proxy that wrote nothing readable: the peer stays.
        assert_eq!(
            client_address(Some(proxy), &forwarded(&["inconnu"]), &trusted),
            Some(proxy)
        );
        assert_eq!(
            client_address(Some(proxy), &HeaderMap::new(), &trusted),
            Some(proxy)
        );
        // No trusted proxy configured: the socket's peer, always.
        assert_eq!(
            client_address(Some(proxy), &forwarded(&["192.0.2.9"]), &[]),
            Some(proxy)
        );
    }
}

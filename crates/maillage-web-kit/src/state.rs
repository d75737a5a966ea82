//! What every request shares: the store, the server's settings, and the table of routes (for the OpenAPI
//! document).

use crate::routes::RouteInfo;
use maillage_store::Store;
use maillage_store::accounts::LoginPacing;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

/// Settings of a running server.
#[derive(Debug, Clone)]
pub struct Config {
    /// Mark cookies `Secure` (and use the `__Host-` prefix): Maillage is served over HTTPS, by a proxy in front.
    pub secure_cookies: bool,
    /// A session ends after this long without a request.
    pub session_idle: Duration,
    /// A session ends this long after login, whatever the activity.
    pub session_absolute: Duration,
    /// How logins are spaced out per (account, client address): free tries, then doubling delays.
    pub login_pacing: LoginPacing,
    /// Checks failed for one account, summed over addresses, at which the audit log gets an alert (never a lock:
    /// the owner logging in from their own address is not slowed by others' failures).
    pub login_account_alert: i64,
    /// Reverse proxies whose `X-Forwarded-For` is believed; from any other peer the socket's address is the
    /// client's (`maillage serve --proxy-de-confiance`).
    pub trusted_proxies: Vec<IpAddr>,
    /// Smallest count shown outside the commune (docs/produit.md §5.3).
    pub secrecy_threshold: u32,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            secure_cookies: false,
            session_idle: Duration::from_secs(30 * 60),
            session_absolute: Duration::from_secs(10 * 3600),
            login_pacing: LoginPacing {
                free_tries: 5,
                first_delay: 30,
                max_delay: 15 * 60,
            },
            login_account_alert: 20,
            trusted_proxies: Vec::new(),
            secrecy_threshold: 5,
        }
    }
}

struct Inner {
    store: Store,
    config: Config,
    /// The base holds the fictional demonstration territory: demonstration accounts may log in.
    demo: bool,
    routes: Vec<RouteInfo>,
    /// A hash verified when the identifier is unknown, so that unknown and known identifiers take as long.
    dummy_hash: String,
}

/// Shared by every handler (cheap to clone).
#[derive(Clone)]
pub struct AppState(Arc<Inner>);

impl AppState {
    /// The state of a server over `store`: `demo` when the base holds the demonstration territory, `routes` the
    /// table of every route (for the OpenAPI document), `dummy_hash` a password hash checked for unknown
    /// identifiers.
    pub fn new(
        store: Store,
        config: Config,
        demo: bool,
        routes: Vec<RouteInfo>,
        dummy_hash: String,
    ) -> AppState {
        AppState(Arc::new(Inner {
            store,
            config,
            demo,
            routes,
            dummy_hash,
        }))
    }

    pub fn store(&self) -> &Store {
        &self.0.store
    }

    pub fn config(&self) -> &Config {
        &self.0.config
    }

    pub fn is_demo(&self) -> bool {
        self.0.demo
    }

    pub fn routes(&self) -> &[RouteInfo] {
        &self.0.routes
    }

    pub fn dummy_hash(&self) -> &str {
        &self.0.dummy_hash
    }

    /// Name of the session cookie: `__Host-` prefixed when secure, so that no subdomain can set it.
    pub fn session_cookie(&self) -> &'static str {
        if self.0.config.secure_cookies {
            "__Host-maillage_session"
        } else {
            "maillage_session"
        }
    }

    /// Name of the cookie carrying the login form's CSRF token (before there is a session).
    pub fn login_csrf_cookie(&self) -> &'static str {
        if self.0.config.secure_cookies {
            "__Host-maillage_csrf"
        } else {
            "maillage_csrf"
        }
    }

    /// A `Set-Cookie` value with the attributes every Maillage cookie has: HttpOnly, SameSite=Lax, Path=/,
    /// Secure when configured.
    pub fn cookie(&self, name: &str, value: &str, max_age: Duration) -> String {
        let mut c = format!(
            "{name}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}",
            max_age.as_secs()
        );
        if self.0.config.secure_cookies {
            c.push_str("; Secure");
        }
        c
    }

    /// The public address of the site, for links read outside it (calendar subscriptions, unsubscribe links):
    /// the one set by an administrator (`configured`: the "Adresse publique du site" of the mail settings),
    /// else the scheme and `Host` the request came with (https behind `--cookie-securise`), else localhost.
    pub fn public_url(&self, configured: Option<&str>, headers: &axum::http::HeaderMap) -> String {
        if let Some(url) = configured.filter(|u| !u.is_empty()) {
            return url.trim_end_matches('/').to_string();
        }
        let host = headers
            .get(axum::http::header::HOST)
            .and_then(|h| h.to_str().ok())
            .filter(|h| {
                !h.is_empty()
                    && h.chars()
                        .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))
            });
        let scheme = if self.0.config.secure_cookies {
            "https"
        } else {
            "http"
        };
        format!("{scheme}://{}", host.unwrap_or("localhost"))
    }

    /// A `Set-Cookie` value that removes the cookie.
    pub fn expired_cookie(&self, name: &str) -> String {
        self.cookie(name, "", Duration::ZERO)
    }
}

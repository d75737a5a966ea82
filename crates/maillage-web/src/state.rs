//! What every request shares: the store, the server's settings, and the table of routes (for the OpenAPI
//! document).

use crate::routes::RouteInfo;
use maillage_store::Store;
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
    /// Failed logins allowed per account within `login_window` before answering 429.
    pub login_failures_per_account: i64,
    /// Failed logins allowed per client address within `login_window`.
    pub login_failures_per_ip: i64,
    pub login_window: Duration,
    /// Smallest count shown outside the commune (PRODUCT.md §5.3).
    pub secrecy_threshold: u32,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            secure_cookies: false,
            session_idle: Duration::from_secs(30 * 60),
            session_absolute: Duration::from_secs(10 * 3600),
            login_failures_per_account: 5,
            login_failures_per_ip: 20,
            login_window: Duration::from_secs(15 * 60),
            secrecy_threshold: 5,
        }
    }
}

pub(crate) struct Inner {
    pub store: Store,
    pub config: Config,
    /// The base holds the fictional demonstration territory: demonstration accounts may log in.
    pub demo: bool,
    pub routes: Vec<RouteInfo>,
    /// A hash verified when the identifier is unknown, so that unknown and known identifiers take as long.
    pub dummy_hash: String,
}

/// Shared by every handler (cheap to clone).
#[derive(Clone)]
pub struct AppState(pub(crate) Arc<Inner>);

impl AppState {
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

    pub(crate) fn dummy_hash(&self) -> &str {
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
    pub(crate) fn cookie(&self, name: &str, value: &str, max_age: Duration) -> String {
        let mut c = format!(
            "{name}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}",
            max_age.as_secs()
        );
        if self.0.config.secure_cookies {
            c.push_str("; Secure");
        }
        c
    }

    /// A `Set-Cookie` value that removes the cookie.
    pub(crate) fn expired_cookie(&self, name: &str) -> String {
        self.cookie(name, "", Duration::ZERO)
    }
}

//! The only way to add a route: [`Routes`], whose every method takes the route's [`Access`]. The axum router
//! is built from it alone, and each route gets the guard ([`crate::auth::guard`]) that enforces that access
//! before the handler runs. `maillage-web`'s `tests/it/routes.rs` walks its `route_table` and checks every route × role.

use crate::permissions::Permission;
use crate::state::AppState;
use axum::Router;
use axum::handler::Handler;
use axum::http::Method;
use axum::routing::{MethodFilter, MethodRouter, on};
use std::sync::Arc;

/// Who may call a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, logged in or not (login page, health check, assets, the OpenAPI document).
    Public,
    /// A logged-in caller holding this permission.
    Requires(Permission),
}

/// How the guard answers for a route: pages redirect to the login page and show French HTML errors; API routes
/// accept bearer tokens and answer JSON; assets are served as they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Page,
    Api,
    Asset,
}

/// A query parameter of an API route, for the OpenAPI document.
#[derive(Debug, Clone, Copy)]
pub struct ApiParam {
    pub name: &'static str,
    /// `string`, `integer` or `boolean`.
    pub schema_type: &'static str,
    pub description: &'static str,
}

/// The documentation of an API route, required to register it: the OpenAPI document is built from these.
#[derive(Debug, Clone, Copy)]
pub struct ApiDoc {
    pub summary: &'static str,
    pub description: &'static str,
    pub parameters: &'static [ApiParam],
    /// The JSON Schema of a 200 answer.
    pub response: fn() -> serde_json::Value,
}

/// One registered route, without its handler.
#[derive(Debug, Clone)]
pub struct RouteInfo {
    pub method: Method,
    /// axum path syntax: `/admin/utilisateurs/{id}`.
    pub path: &'static str,
    pub access: Access,
    pub kind: Kind,
    pub doc: Option<ApiDoc>,
}

/// A set of routes being declared. Each module of the site exposes `fn routes(r: Routes) -> Routes`.
#[derive(Default)]
pub struct Routes {
    entries: Vec<(RouteInfo, MethodRouter<AppState>)>,
}

fn filter(method: &Method) -> MethodFilter {
    MethodFilter::try_from(method.clone()).expect("routes use standard HTTP methods")
}

impl Routes {
    pub fn new() -> Routes {
        Routes::default()
    }

    fn add<H, T>(mut self, info: RouteInfo, handler: H) -> Routes
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        assert!(
            !self
                .entries
                .iter()
                .any(|(i, _)| i.path == info.path && i.method == info.method),
            "route declared twice: {} {}",
            info.method,
            info.path
        );
        let router = on(filter(&info.method), handler);
        self.entries.push((info, router));
        self
    }

    /// An HTML page or form target.
    pub fn page<H, T>(
        self,
        method: Method,
        path: &'static str,
        access: Access,
        handler: H,
    ) -> Routes
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.add(
            RouteInfo {
                method,
                path,
                access,
                kind: Kind::Page,
                doc: None,
            },
            handler,
        )
    }

    /// A JSON API route, with its documentation.
    pub fn api<H, T>(
        self,
        method: Method,
        path: &'static str,
        access: Access,
        doc: ApiDoc,
        handler: H,
    ) -> Routes
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.add(
            RouteInfo {
                method,
                path,
                access,
                kind: Kind::Api,
                doc: Some(doc),
            },
            handler,
        )
    }

    /// A static file embedded in the binary: always public, never looks at sessions.
    pub fn asset<H, T>(self, path: &'static str, handler: H) -> Routes
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.add(
            RouteInfo {
                method: Method::GET,
                path,
                access: Access::Public,
                kind: Kind::Asset,
                doc: None,
            },
            handler,
        )
    }

    pub fn infos(&self) -> Vec<RouteInfo> {
        self.entries.iter().map(|(i, _)| i.clone()).collect()
    }

    /// The axum router: every route behind its guard.
    pub fn into_router(self, state: AppState) -> Router<AppState> {
        let mut router = Router::new();
        for (info, method_router) in self.entries {
            let path = info.path;
            let guarded = method_router.route_layer(axum::middleware::from_fn_with_state(
                (state.clone(), Arc::new(info)),
                crate::auth::guard,
            ));
            router = router.route(path, guarded);
        }
        router
    }
}

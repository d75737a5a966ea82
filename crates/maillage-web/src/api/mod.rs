//! The platform's own API: the health check and the OpenAPI document of every `/api/v1` route (the modules'
//! API routes live in their crates).
//!
//! An API module declares its routes with [`Routes::api`], giving the permission and an [`maillage_web_kit::routes::ApiDoc`]
//! (summary, parameters, response schema): the route then appears in `/api/v1/openapi.json` with its security,
//! accepts session cookies and partners' bearer tokens, and answers errors as JSON `{"erreur", "statut"}`.
//! Handlers return `Result<Json<_>, WebError>`.

pub mod openapi;

use axum::Json;
use axum::extract::State;
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use maillage_web_kit::routes::{Access, ApiDoc, Routes};
use maillage_web_kit::state::AppState;
use serde_json::json;

pub fn routes(r: Routes) -> Routes {
    let r = r.api(Method::GET, "/sante", Access::Public, HEALTH, health);
    openapi::routes(r)
}

const HEALTH: ApiDoc = ApiDoc {
    summary: "État du service",
    description: "Répond `{\"status\": \"ok\"}` quand le serveur fonctionne et que la base répond. Sans authentification.",
    parameters: &[],
    response: || json!({ "type": "object", "required": ["status"], "properties": { "status": { "type": "string", "enum": ["ok"] } } }),
};

async fn health(State(state): State<AppState>) -> Response {
    // Any read proves the base answers; a setting is the smallest one.
    match maillage_store::settings::get::<serde_json::Value>(state.store(), "demonstration").await {
        Ok(_) => Json(json!({ "status": "ok" })).into_response(),
        Err(_) => (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({ "status": "indisponible" })),
        )
            .into_response(),
    }
}

//! The JSON API under `/api/v1`, the health check and the OpenAPI document.
//!
//! An API module declares its routes with [`Routes::api`], giving the permission and an [`crate::routes::ApiDoc`]
//! (summary, parameters, response schema): the route then appears in `/api/v1/openapi.json` with its security,
//! accepts session cookies and partners' bearer tokens, and answers errors as JSON `{"erreur", "statut"}`.
//! Handlers return `Result<Json<_>, WebError>`.

mod crisis;
mod network;
pub mod openapi;
mod v1;

use crate::error::{Failure, status_message};
use crate::routes::{Access, ApiDoc, Routes};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;

pub fn routes(r: Routes) -> Routes {
    let r = r.api(Method::GET, "/sante", Access::Public, HEALTH, health);
    network::routes(crisis::routes(v1::routes(openapi::routes(r))))
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

/// The JSON body of an API error.
pub(crate) fn error_body(failure: &Failure) -> Response {
    let message = failure
        .message
        .as_deref()
        .unwrap_or(status_message(failure.status));
    (
        failure.status,
        Json(json!({ "erreur": message, "statut": failure.status.as_u16() })),
    )
        .into_response()
}

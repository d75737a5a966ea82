//! The OpenAPI 3.1 document, built from the route table: every API route is in it, with its parameters, its
//! answer and its security (the permission it needs and the roles that hold it).

use axum::Json;
use axum::extract::State;
use axum::http::Method;
use maillage_web_kit::permissions::roles_with;
use maillage_web_kit::routes::{Access, ApiDoc, Kind, Routes};
use maillage_web_kit::state::AppState;
use serde_json::{Map, Value, json};

pub fn routes(r: Routes) -> Routes {
    r.api(
        Method::GET,
        "/api/v1/openapi.json",
        Access::Public,
        DOC,
        document,
    )
}

const DOC: ApiDoc = ApiDoc {
    summary: "Description OpenAPI de l'API",
    description: "Ce document. Sans authentification.",
    parameters: &[],
    response: || json!({ "type": "object" }),
};

fn error_response(description: &str) -> Value {
    json!({
        "description": description,
        "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Erreur" } } }
    })
}

fn operation(method: &Method, path: &str, access: Access, doc: &ApiDoc) -> Value {
    let operation_id: String = format!("{}{}", method.as_str().to_lowercase(), path)
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    // A parameter named like a `{segment}` of the path is that path parameter (required); the others are
    // query parameters.
    let parameters: Vec<Value> = doc
        .parameters
        .iter()
        .map(|p| {
            let in_path = path.contains(&format!("{{{}}}", p.name));
            json!({
                "name": p.name,
                "in": if in_path { "path" } else { "query" },
                "required": in_path,
                "description": p.description,
                "schema": { "type": p.schema_type }
            })
        })
        .collect();
    let mut responses = Map::new();
    responses.insert(
        "200".into(),
        json!({ "description": "Succès", "content": { "application/json": { "schema": (doc.response)() } } }),
    );
    responses.insert("400".into(), error_response("Paramètre invalide"));
    let mut op = json!({
        "operationId": operation_id,
        "summary": doc.summary,
        "parameters": parameters,
    });
    let (description, security) = match access {
        Access::Public => (doc.description.to_string(), json!([])),
        Access::Requires(p) => {
            responses.insert("401".into(), error_response("Ni session ni jeton valide"));
            responses.insert(
                "403".into(),
                error_response("Le compte n'a pas la permission requise"),
            );
            let roles: Vec<&str> = roles_with(p).iter().map(|r| r.as_str()).collect();
            op["x-permission"] = json!(p.code());
            (
                format!(
                    "{}\n\nPermission requise : `{}` (rôles : {}).",
                    doc.description,
                    p.code(),
                    roles.join(", ")
                ),
                json!([{ "session": [] }, { "jeton": [] }]),
            )
        }
    };
    op["description"] = json!(description);
    op["security"] = security;
    op["responses"] = Value::Object(responses);
    op
}

/// The whole document for this server.
pub fn build(state: &AppState) -> Value {
    let mut paths = Map::new();
    for route in state.routes().iter().filter(|r| r.kind == Kind::Api) {
        let Some(doc) = &route.doc else { continue };
        let entry = paths
            .entry(route.path.to_string())
            .or_insert_with(|| json!({}));
        entry[route.method.as_str().to_lowercase()] =
            operation(&route.method, route.path, route.access, doc);
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "API de Maillage",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Données de l'observatoire de santé du territoire. Authentification : la session du site \
                            (cookie) ou un jeton d'API créé par l'administrateur (en-tête `Authorization: Bearer …`). \
                            Les partenaires ne reçoivent que des données agrégées, sous secret statistique."
        },
        "servers": [{ "url": "/" }],
        "paths": paths,
        "components": {
            "securitySchemes": {
                "session": { "type": "apiKey", "in": "cookie", "name": state.session_cookie(), "description": "Session ouverte par la page de connexion" },
                "jeton": { "type": "http", "scheme": "bearer", "description": "Jeton d'API créé par l'administrateur (révocable)" }
            },
            "schemas": {
                "Erreur": {
                    "type": "object",
                    "required": ["erreur", "statut"],
                    "properties": { "erreur": { "type": "string" }, "statut": { "type": "integer" } }
                }
            }
        }
    })
}

async fn document(State(state): State<AppState>) -> Json<Value> {
    Json(build(&state))
}

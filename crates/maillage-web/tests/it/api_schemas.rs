//! Every JSON answer of the API matches the schema its OpenAPI document promises: each documented GET route is
//! called on the demonstration by an account holding every role, and its body is validated against the
//! route's `200` schema by the reference JSON Schema validator (`jsonschema`, installed in `.venv` with
//! `openapi-spec-validator`). The schemas are written beside the handlers (`ApiDoc::response`): this is what
//! ties them to the types the handlers serialise, so a field renamed, removed or of another type fails here.

use crate::common::{account, demo_server};
use maillage_store::accounts::Role;
use maillage_testkit::TestBase;
use maillage_web::routes::Kind;
use serde_json::{Value, json};

/// The reference validator, or a visible skip (a failure when the CI demands the reference tools).
fn validator() -> Option<std::path::PathBuf> {
    let python = maillage_testkit::repo_root().join(".venv/bin/python");
    let available = python.exists()
        && std::process::Command::new(&python)
            .args(["-c", "import jsonschema"])
            .status()
            .is_ok_and(|s| s.success());
    if available {
        return Some(python);
    }
    assert!(
        std::env::var("MAILLAGE_EXIGER_REFERENCES").as_deref() != Ok("1"),
        "MAILLAGE_EXIGER_REFERENCES=1 but .venv lacks jsonschema"
    );
    maillage_testkit::skip("jsonschema absent de .venv : validation des réponses de l'API sautée");
    None
}

/// A documented path made callable: its `{id}` filled with a record of the demonstration, when there is one.
fn callable(path: &str, cls_id: Option<i64>) -> Option<String> {
    match path {
        "/api/v1/cls/{id}" => cls_id.map(|id| format!("/api/v1/cls/{id}")),
        // An import job exists only while an upload is imported (its answer is tested in `imports`).
        "/api/v1/imports/{id}" => None,
        p if p.contains('{') => {
            panic!("{p}: give this path parameter a record of the demonstration")
        }
        p => Some(p.to_string()),
    }
}

#[tokio::test]
async fn every_api_answer_matches_its_documented_schema() {
    let Some(python) = validator() else { return };
    let base = TestBase::sqlite();
    let server = demo_server(&base).await;
    account(&server.store, "tous-roles", Role::ALL).await;
    let mut client = server.client();
    client.login_ok("tous-roles").await;

    let doc = client.get("/api/v1/openapi.json").await.json();
    let cls_id = client.get("/api/v1/cls").await.json()["contrats"]
        .as_array()
        .and_then(|c| c.first())
        .and_then(|c| c["id"].as_i64());
    let mut cases = Vec::new();
    for route in maillage_web::route_table() {
        if route.kind != Kind::Api || route.method != axum::http::Method::GET {
            continue;
        }
        let Some(path) = callable(route.path, cls_id) else {
            continue;
        };
        let reply = client.get(&path).await;
        assert_eq!(
            reply.status,
            200,
            "{path}: {}",
            reply.body.chars().take(300).collect::<String>()
        );
        let mut schema = doc["paths"][route.path]["get"]["responses"]["200"]["content"]
            ["application/json"]["schema"]
            .clone();
        assert!(schema.is_object(), "{path}: no schema documented");
        schema["components"] = doc["components"].clone();
        cases.push(json!({ "path": path, "schema": schema, "body": reply.json() }));
    }
    assert!(cases.len() >= 20, "only {} answers checked", cases.len());
    // The control: a body of another shape must be refused by every schema, or the check proves nothing.
    let controls: Vec<Value> = cases
        .iter()
        .map(|c| json!({ "path": format!("{} (contrôle)", c["path"]), "schema": c["schema"], "body": [42], "refuse": true }))
        .collect();
    cases.extend(controls);

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("cases.json");
    std::fs::write(&file, Value::Array(cases).to_string()).unwrap();
    let script = "import sys, json, jsonschema\n\
                  bad = []\n\
                  for c in json.load(open(sys.argv[1])):\n\
                  \x20   v = jsonschema.validators.validator_for(c['schema'], default=jsonschema.Draft202012Validator)(c['schema'])\n\
                  \x20   errors = sorted(v.iter_errors(c['body']), key=str)\n\
                  \x20   if c.get('refuse'):\n\
                  \x20       if not errors: bad.append(c['path'] + ': a body of another shape passes: the schema constrains nothing')\n\
                  \x20       continue\n\
                  \x20   for e in errors[:3]:\n\
                  \x20       bad.append(c['path'] + ' at ' + '/'.join(map(str, e.absolute_path)) + ': ' + e.message[:200])\n\
                  print('\\n'.join(bad))\n\
                  sys.exit(1 if bad else 0)\n";
    let out = std::process::Command::new(&python)
        .args(["-c", script])
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "answers that do not match their schema:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    server.stop().await;
}

//! The API on the demonstration town: statistical secrecy forced for partners, professionals listed only to the
//! roles allowed, data cut to each account's communes, the OpenAPI document, and the observatory pages.

use crate::common;
use common::{Server, account, demo_server};
use maillage_store::accounts::Role;
use maillage_testkit::TestBase;
use maillage_web::Config;
use maillage_web::audit::Actor;
use maillage_web::routes::{Access, Kind};
use maillage_web::users::{self, UserForm};
use serde_json::Value;
use std::collections::BTreeSet;

fn counts(body: &Value) -> Vec<&Value> {
    body["lignes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["indicateur"] == "effectif")
        .collect()
}

/// Counts that secrecy must hide: 0 to 4 (a published zero would tell that every "< 5" is 1 to 4).
fn small(v: &Value) -> bool {
    v["valeur"].as_f64().is_some_and(|x| x < 5.0)
}

#[tokio::test]
async fn partners_always_get_figures_under_statistical_secrecy() {
    for base in TestBase::all().await {
        let server = demo_server(&base).await;
        account(&server.store, "partenaire", &[Role::Partenaire]).await;
        account(&server.store, "observatoire", &[Role::Observatoire]).await;
        let mut internal = server.client();
        internal.login_ok("observatoire").await;
        let mut partner = server.client();
        partner.login_ok("partenaire").await;

        // Inside the commune: true figures, small ones included.
        let raw = internal.get("/api/v1/indicateurs").await.json();
        assert_eq!(raw["secret_statistique"], false);
        // Départements and France are national counts, outside local secrecy.
        let local = |l: &&Value| l["type_zone"] != "departement" && l["type_zone"] != "france";
        let raw_small = counts(&raw)
            .into_iter()
            .filter(local)
            .filter(|l| small(l))
            .count();
        assert!(
            raw_small > 0,
            "[{}] the demo town has small counts (IRIS level)",
            server.backend
        );
        assert!(
            !raw["sources"].as_array().unwrap().is_empty()
                && raw["methodes"]["effectif"].is_string()
        );

        // A partner: secrecy whatever is asked, and never below the instance's threshold.
        for query in [
            "",
            "?diffusion=0",
            "?diffusion=1",
            "?seuil=2",
            "?diffusion=1&seuil=2",
        ] {
            let body = partner
                .get(&format!("/api/v1/indicateurs{query}"))
                .await
                .json();
            assert_eq!(
                body["secret_statistique"], true,
                "[{}] {query}",
                server.backend
            );
            assert_eq!(body["seuil"], 5, "{query}");
            let lines = counts(&body);
            assert!(
                lines.iter().copied().filter(local).all(|l| !small(l)),
                "[{}] no count 0-4 shown to a partner ({query})",
                server.backend
            );
            let hidden = lines.iter().filter(|l| l["secret"] == true).count();
            assert!(
                hidden >= raw_small,
                "every small count and more (secondary secrecy) are hidden: {hidden} < {raw_small}"
            );
            assert!(
                lines
                    .iter()
                    .filter(|l| l["secret"] == true)
                    .all(|l| l["valeur"].is_null() && l["numerateur"].is_null())
            );
        }
        // Each hidden cell says why, and a cell hidden to protect another is never a bound or a number.
        let body = partner.get("/api/v1/indicateurs").await.json();
        let hidden: Vec<&Value> = body["lignes"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|l| l["secret"] == true)
            .collect();
        assert!(hidden.iter().all(|l| l["valeur"].is_null()));
        assert!(hidden.iter().any(|l| l["motif_secret"] == "seuil"));
        assert!(hidden.iter().any(|l| l["motif_secret"] == "secondaire"));
        let raw_lines = raw["lignes"].as_array().unwrap();
        for l in hidden
            .iter()
            .filter(|l| l["motif_secret"] == "seuil" && l["indicateur"] == "effectif")
        {
            let truth = raw_lines
                .iter()
                .find(|r| {
                    r["indicateur"] == "effectif"
                        && r["code_zone"] == l["code_zone"]
                        && r["profession"] == l["profession"]
                })
                .unwrap();
            assert!(small(truth), "{l} is below the threshold: {truth}");
        }
        // The intercommunality is the sum of its communes (the demo's two neighbours are in its buffer).
        let epci_gps = raw_lines
            .iter()
            .find(|l| {
                l["indicateur"] == "effectif"
                    && l["type_zone"] == "epci"
                    && l["profession"] == "medecin_generaliste"
            })
            .expect("the EPCI has figures");
        assert!(epci_gps["valeur"].as_f64().unwrap() > 0.0);
        let home = internal.get("/observatoire").await.body;
        assert!(
            home.contains("Intercommunalité et ensemble du territoire"),
            "{home}"
        );
        assert!(home.contains("zone tampon"));

        // Densities built on hidden counts are hidden too.
        let body = partner
            .get("/api/v1/indicateurs?indicateur=densite_10000&type_zone=iris")
            .await
            .json();
        assert!(
            body["lignes"]
                .as_array()
                .unwrap()
                .iter()
                .any(|l| l["secret"] == true && l["valeur"].is_null())
        );

        // Internal users ask for secrecy when they prepare something to share.
        let shared = internal
            .get("/api/v1/indicateurs?diffusion=1&seuil=10")
            .await
            .json();
        assert_eq!(
            (
                shared["secret_statistique"].clone(),
                shared["seuil"].clone()
            ),
            (Value::Bool(true), Value::from(10))
        );
        assert!(
            counts(&shared)
                .iter()
                .all(|l| l["valeur"].as_f64().is_none_or(|v| v == 0.0 || v >= 10.0))
        );
        assert_eq!(
            internal.get("/api/v1/indicateurs?seuil=1000").await.status,
            400
        );

        // The partner's dashboard pages show "< 5" rather than the figure.
        let page = partner
            .get("/observatoire/carte?type=iris&profession=pediatre")
            .await;
        assert_eq!(page.status, 200);
        assert!(
            page.body.contains("Secret statistique") && page.body.contains("&lt; 5"),
            "{}",
            page.body
        );
        let page = internal
            .get("/observatoire/carte?type=iris&profession=pediatre")
            .await;
        assert!(!page.body.contains("Secret statistique"));
        server.stop().await;
    }
}

#[tokio::test]
async fn professionals_are_listed_by_name_only_to_roles_allowed() {
    for base in TestBase::all().await {
        let server = demo_server(&base).await;
        for role in [Role::Partenaire, Role::Elu, Role::Offre] {
            account(&server.store, role.as_str(), &[role]).await;
        }
        let mut offre = server.client();
        offre.login_ok("offre").await;
        let list = offre.get("/api/v1/professionnels").await.json();
        assert_eq!(list["mode"], "liste");
        let rows = list["professionnels"].as_array().unwrap();
        assert!(rows.len() > 250, "[{}] {}", server.backend, rows.len());
        assert!(rows.iter().all(
            |r| r["nom"].is_string() && r["commune_code"] == maillage_demo::model::COMMUNE_CODE
        ));
        // Asking for counts works too, and is not a listing.
        assert_eq!(
            offre.get("/api/v1/professionnels?agrege=1").await.json()["mode"],
            "agrege"
        );

        for who in ["partenaire", "elu"] {
            let mut c = server.client();
            c.login_ok(who).await;
            let body = c.get("/api/v1/professionnels").await.json();
            assert_eq!(body["mode"], "agrege", "{who}");
            assert!(body.get("professionnels").is_none(), "{who} gets no names");
            assert!(!body["effectifs"].as_array().unwrap().is_empty());
            assert!(
                !c.get("/api/v1/professionnels")
                    .await
                    .body
                    .contains(rows[0]["nom"].as_str().unwrap())
            );
        }
        let mut c = server.client();
        c.login_ok("offre").await;
        let r = c.get("/api/v1/professionnels?profession=sorcier").await;
        assert_eq!(r.status, 400);
        assert!(
            r.json()["erreur"]
                .as_str()
                .unwrap()
                .contains("Profession inconnue")
        );
        server.stop().await;
    }
}

#[tokio::test]
async fn each_account_sees_only_its_communes() {
    for base in TestBase::all().await {
        let server = demo_server(&base).await;
        let make = |identifier: &'static str, codes: &'static [&'static str]| UserForm {
            identifier: identifier.into(),
            display_name: identifier.into(),
            password: common::PASSWORD.into(),
            roles: BTreeSet::from([Role::Observatoire]),
            territories: codes.iter().map(|c| c.to_string()).collect(),
            all_territories: false,
        };
        let town = maillage_demo::model::COMMUNE_CODE;
        users::create(
            &server.store,
            &Actor::command_line(),
            &make("ville", &[maillage_demo::model::COMMUNE_CODE]),
        )
        .await
        .unwrap();
        users::create(
            &server.store,
            &Actor::command_line(),
            &make("ailleurs", &["99102"]),
        )
        .await
        .unwrap();
        users::create(
            &server.store,
            &Actor::command_line(),
            &make("personne", &[]),
        )
        .await
        .unwrap();

        let mut c = server.client();
        c.login_ok("ville").await;
        let zones = c.get("/api/v1/zones").await.json();
        let zones = zones["zones"].as_array().unwrap();
        assert!(zones.iter().any(|z| z["type"] == "iris"));
        assert!(
            zones
                .iter()
                .all(|z| z["code"] == town || z["parent"] == town),
            "[{}] only the town's zones",
            server.backend
        );
        assert!(
            zones.iter().all(|z| z["type"] != "epci"),
            "the EPCI spans communes not granted"
        );

        for who in ["ailleurs", "personne"] {
            let mut c = server.client();
            c.login_ok(who).await;
            assert!(
                c.get("/api/v1/zones").await.json()["zones"]
                    .as_array()
                    .unwrap()
                    .is_empty(),
                "{who}"
            );
            // Nothing of the territory; at most the national figures of départements and France.
            assert!(
                c.get("/api/v1/indicateurs").await.json()["lignes"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .all(|l| l["type_zone"] == "departement" || l["type_zone"] == "france"),
                "{who}"
            );
            assert!(
                c.get("/api/v1/professionnels").await.json()["professionnels"]
                    .as_array()
                    .unwrap()
                    .is_empty(),
                "{who}"
            );
        }
        server.stop().await;
    }
}

#[tokio::test]
async fn the_observatory_pages_show_figures_sources_and_methods() {
    let base = TestBase::sqlite();
    let server = demo_server(&base).await;
    account(&server.store, "elu", &[Role::Elu]).await;
    let mut c = server.client();
    c.login_ok("elu").await;
    let page = c.get("/observatoire").await;
    assert_eq!(page.status, 200);
    for expected in [
        "<html lang=\"fr\">",
        "href=\"#contenu\"",
        "Bellerive-sur-Clain",
        "Médecins généralistes",
        "Sources et dates",
        "Méthodes",
        "aria-current=\"page\"",
        "Démonstration : ",
    ] {
        assert!(page.body.contains(expected), "{expected} missing");
    }
    assert_eq!(page.body.matches("<h1").count(), 1, "one h1 per page");
    let table = c
        .get("/observatoire/carte?type=quartier&profession=infirmier")
        .await;
    assert!(
        table.body.contains("Infirmiers — Quartiers"),
        "{}",
        table.body
    );
    assert_eq!(
        table.body.matches("<th scope=\"row\">").count(),
        5,
        "one row per quartier of the town"
    );
    // Every form field has its label.
    for id in ["type", "profession"] {
        assert!(
            table.body.contains(&format!("<label for=\"{id}\">")),
            "label for {id}"
        );
    }
    let css = c.get("/static/maillage.css").await;
    assert_eq!(
        css.headers.get("content-type").unwrap(),
        "text/css; charset=utf-8"
    );
    assert!(css.body.contains(":focus"));
    let missing = c.get("/nulle-part").await;
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains("Page introuvable") && missing.body.contains("lang=\"fr\""));
    let missing = c.get("/api/v1/nulle-part").await;
    assert_eq!(
        (missing.status, missing.json()["statut"].clone()),
        (404, Value::from(404))
    );
    let health = server.client().get("/sante").await;
    assert_eq!(
        (health.status, health.json()),
        (200, serde_json::json!({ "status": "ok" }))
    );
    server.stop().await;
}

#[tokio::test]
async fn the_openapi_document_lists_every_api_route_with_its_security() {
    let base = TestBase::sqlite();
    let server = Server::start(&base, Config::default()).await;
    let r = server.client().get("/api/v1/openapi.json").await;
    assert_eq!(r.status, 200);
    let doc = r.json();
    assert_eq!(doc["openapi"], "3.1.0");
    let schemes = &doc["components"]["securitySchemes"];
    assert_eq!(schemes["jeton"]["scheme"], "bearer");
    assert_eq!(schemes["session"]["in"], "cookie");
    let routes: Vec<_> = maillage_web::route_table()
        .into_iter()
        .filter(|r| r.kind == Kind::Api)
        .collect();
    assert!(routes.len() >= 5);
    for route in &routes {
        let op = &doc["paths"][route.path][route.method.as_str().to_lowercase()];
        assert!(
            op.is_object(),
            "{} {} missing from the document",
            route.method,
            route.path
        );
        let security = op["security"].as_array().unwrap();
        match route.access {
            Access::Public => assert!(security.is_empty(), "{} is public", route.path),
            Access::Requires(p) => {
                assert_eq!(security.len(), 2, "{}: session or token", route.path);
                assert_eq!(op["x-permission"], p.code());
                assert!(op["responses"]["401"].is_object() && op["responses"]["403"].is_object());
            }
        }
        assert!(op["responses"]["200"]["content"]["application/json"]["schema"].is_object());
    }
    let documented: usize = doc["paths"]
        .as_object()
        .unwrap()
        .values()
        .map(|p| p.as_object().unwrap().len())
        .sum();
    assert_eq!(
        documented,
        routes.len(),
        "nothing documented that is not served"
    );

    // The official validator, when the reference tools are installed.
    let python = maillage_testkit::repo_root().join(".venv/bin/python");
    let available = python.exists()
        && std::process::Command::new(&python)
            .args(["-c", "import openapi_spec_validator"])
            .status()
            .is_ok_and(|s| s.success());
    if !available {
        assert!(
            std::env::var("MAILLAGE_EXIGER_REFERENCES").as_deref() != Ok("1"),
            "MAILLAGE_EXIGER_REFERENCES=1 but .venv lacks openapi-spec-validator"
        );
        maillage_testkit::skip(
            "openapi-spec-validator absent de .venv : validation officielle du document OpenAPI sautée",
        );
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("openapi.json");
    std::fs::write(&file, &r.body).unwrap();
    let out = std::process::Command::new(&python)
        .args(["-c", "import sys, json; from openapi_spec_validator import validate; validate(json.load(open(sys.argv[1]))); print('ok')"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "invalid OpenAPI document: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    server.stop().await;
}

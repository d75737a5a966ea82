//! The guided set-up page and what imports from the browser say about a real territory: the same file again,
//! a file with nothing in the territory, an edition older than its publication rhythm (on the import page and
//! the observatory). Files are fixtures in the published layouts, not real data.

use crate::common;

use common::{Client, Server, account};
use maillage_store::Store;
use maillage_store::accounts::Role;
use maillage_testkit::{TestBase, repo_root};
use maillage_web::Config;
use serde_json::Value;

/// Communes in the layout of `communes.json` of `@etalab/decoupage-administratif` (fixture, not real data).
const COMMUNES: &str = r#"[
 {"code":"35238","nom":"Rennes","typeLiaison":1,"zone":"metro","departement":"35","region":"53","type":"commune-actuelle","siren":"213502388","population":227830,"codesPostaux":["35000","35200","35700"]},
 {"code":"35047","nom":"Bruz","typeLiaison":0,"zone":"metro","departement":"35","region":"53","type":"commune-actuelle","siren":"213500473","population":19000,"codesPostaux":["35170"]}
]"#;

/// Uploads a file and waits for the end of its import; returns its JSON status and follow-up page.
async fn upload(
    c: &mut Client,
    csrf: &str,
    kind: &str,
    name: &str,
    content: &[u8],
) -> (Value, String) {
    let content_type = common::multipart_type();
    let r = c
        .send(
            hyper::Method::POST,
            "/observatoire/imports",
            &[("content-type", content_type.as_str())],
            common::multipart(&[("_csrf", csrf), ("type", kind)], name, content),
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let page = r.location().to_string();
    let id = page.rsplit('/').next().unwrap().to_string();
    for _ in 0..600 {
        let s = c.get(&format!("/api/v1/imports/{id}")).await.json();
        if s["etat"] == "termine" || s["etat"] == "refuse" {
            return (s, page);
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the import {id} did not end");
}

fn annuaire_fixture() -> Vec<u8> {
    std::fs::read(repo_root().join(
        "crates/maillage-formats/tests/fixtures/annuaire/PS_LibreAcces_Personne_activite_202611240000.txt",
    ))
    .unwrap()
}

#[tokio::test]
async fn the_setup_page_follows_the_imports_and_imports_say_what_matters() {
    for base in TestBase::all().await {
        let store = Store::open(&base.location).await.unwrap();
        let server = Server::start_on(store, base.backend, Config::default()).await;
        account(&server.store, "observatoire", &[Role::Observatoire]).await;
        account(&server.store, "admin", &[Role::Admin]).await;
        let mut c = server.client();
        let csrf = c.login_ok("observatoire").await;

        let setup = c.get("/installation").await;
        assert_eq!(setup.status, 200);
        for expected in [
            "Installation guidée du territoire",
            "aucun territoire défini",
            "Communes et EPCI (paquet @etalab/decoupage-administratif, Etalab)",
            "https://unpkg.com/@etalab/decoupage-administratif/data/",
            "PS_LibreAcces_Personne_activite_&lt;date&gt;.txt",
            "à faire",
            "href=\"/observatoire/imports?type=communes\"",
            "href=\"/installation\"",
        ] {
            assert!(
                setup.body.contains(expected),
                "{expected} in {}",
                setup.body
            );
        }
        let form = c.get("/observatoire/imports?type=communes").await;
        assert!(
            form.body.contains("<option value=\"communes\" selected>"),
            "the type is preselected"
        );

        // Communes: done, with the import's number and date.
        let (first, _) = upload(
            &mut c,
            &csrf,
            "communes",
            "communes.json",
            COMMUNES.as_bytes(),
        )
        .await;
        assert_eq!(first["etat"], "termine", "{first}");
        assert_eq!(first["meme_fichier"], Value::Null);
        let setup = c.get("/installation").await;
        assert!(
            setup
                .body
                .contains(&format!("fait (import n° {} du ", first["lot"])),
            "{}",
            setup.body
        );

        // The same file again: said, and nothing recorded.
        let batches = maillage_store::batch::list(&server.store)
            .await
            .unwrap()
            .len();
        let (again, page) = upload(
            &mut c,
            &csrf,
            "communes",
            "communes.json",
            COMMUNES.as_bytes(),
        )
        .await;
        let same = again["meme_fichier"].as_str().unwrap_or_default();
        assert!(
            same.starts_with(&format!(
                "même fichier que l'import n° {} du ",
                first["lot"]
            )),
            "{again}"
        );
        assert!(
            again["message"]
                .as_str()
                .unwrap()
                .contains("rien n'a été modifié"),
            "{again}"
        );
        assert_eq!(
            maillage_store::batch::list(&server.store)
                .await
                .unwrap()
                .len(),
            batches
        );
        let follow = c.get(&page).await;
        assert!(
            follow.body.contains("même fichier que l'import n°"),
            "{}",
            follow.body
        );

        // A territory the Annuaire fixture does not touch: the import warns instead of saying « terminé ».
        maillage_store::territory::define(&server.store, None, &["35047".to_string()], &[], 0.0)
            .await
            .unwrap();
        let (outside, page) = upload(
            &mut c,
            &csrf,
            "annuaire",
            "PS_LibreAcces_Personne_activite_202609030000.txt",
            &annuaire_fixture(),
        )
        .await;
        assert_eq!(outside["etat"], "termine", "{outside}");
        let warnings = outside["avertissements"].to_string();
        assert!(
            warnings.contains("aucune ligne dans le territoire : vérifiez le territoire défini"),
            "{outside}"
        );
        assert!(
            !outside["message"].as_str().unwrap().contains("terminé :"),
            "{outside}"
        );
        let follow = c.get(&page).await;
        assert!(
            follow.body.contains("aucune ligne dans le territoire")
                && !follow.body.contains("C'est fait"),
            "{}",
            follow.body
        );
        let history = c.get("/observatoire/imports/historique").await;
        assert!(history.body.contains("aucune ligne dans le territoire"));

        // That edition (3 September 2026) is older than the monthly rhythm: the import page and the
        // observatory say so.
        let stale = "Annuaire santé : édition du 3 septembre 2026, plus ancienne que le rythme mensuel de \
                     publication : importez l'édition la plus récente";
        assert!(warnings.contains(stale), "{outside}");
        let form = c.get("/observatoire/imports").await;
        assert!(form.body.contains(stale), "{}", form.body);
        let dashboard = c.get("/observatoire").await;
        assert!(dashboard.body.contains(stale), "{}", dashboard.body);
        let setup = c.get("/installation").await;
        assert!(setup.body.contains("à mettre à jour"), "{}", setup.body);

        // The administration sees the set-up, without import links (it does not import).
        let mut admin = server.client();
        admin.login_ok("admin").await;
        let page = admin.get("/installation").await;
        assert_eq!(page.status, 200);
        assert!(
            page.body.contains("fait (import n° ")
                && !page.body.contains("/observatoire/imports?type=")
        );
        server.stop().await;
    }
}

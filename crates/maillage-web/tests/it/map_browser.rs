//! The background map in a real browser (headless Chromium driven by `browser-tests/carte_fond.mjs`), against the
//! real server on the loopback with the demonstration town: the observatory map's tiles are drawn by Maillage and
//! hold streets and names, the isochrones have their 5/10/15-minute legend, a quartier's page has its small map,
//! and no request leaves the machine. Screenshots go to `target/artefacts/navigateur-carte/`.
//!
//! Skips visibly when Chromium, Node.js or `browser-tests/node_modules` is missing, unless
//! `MAILLAGE_EXIGER_NAVIGATEUR=1` (CI), which makes it fail instead.

use crate::common;

use common::browser::Browser;
use common::{PASSWORD, Server, account};
use maillage_store::accounts::Role;
use maillage_testkit::TestBase;
use maillage_web::Config;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_map_has_its_background_drawn_here_and_nothing_leaves_the_machine() {
    let Some(browser) = Browser::find() else {
        return;
    };
    let base = TestBase::sqlite();
    let store = common::demo_store(&base).await;
    account(&store, "observatoire", &[Role::Observatoire]).await;
    let server = Server::start_on(store, base.backend, Config::default()).await;
    let report = browser
        .run(
            "carte_fond.mjs",
            server.addr,
            "navigateur-carte",
            &[(
                "MAILLAGE_COMPTE",
                serde_json::json!(["observatoire", PASSWORD]).to_string(),
            )],
        )
        .await;
    assert!(report.get("erreur").is_none(), "{report:#}");
    for list in ["consoleErrors", "pageErrors", "external", "failed"] {
        assert_eq!(report[list], serde_json::json!([]), "{list}: {report:#}");
    }
    let c = &report["checks"];
    assert_eq!(c["carte"], "1", "the map loaded: {c:#}");
    assert!(c["tuilesAffichees"].as_u64().unwrap() >= 4, "{c:#}");
    let tiles = c["tuiles"].as_array().unwrap();
    assert!(
        tiles
            .iter()
            .all(|t| t["status"] == 200 && t["type"] == "image/svg+xml"),
        "{tiles:#?}"
    );
    assert!(
        tiles
            .iter()
            .any(|t| t["url"].as_str().unwrap().contains("/carte/fond/")
                && t["traits"].as_u64().unwrap() > 10),
        "a ground tile draws streets: {tiles:#?}"
    );
    assert!(
        tiles
            .iter()
            .any(|t| t["url"].as_str().unwrap().contains("/carte/noms/")
                && t["noms"].as_u64().unwrap() > 0),
        "a names tile writes names: {tiles:#?}"
    );
    let legend = c["legende"].as_str().unwrap();
    assert_eq!(
        legend.matches("pour 10 000 habitants").count(),
        1,
        "the unit is said once: {legend}"
    );
    let isochrones = c["legendeIsochrones"].as_str().unwrap();
    for band in ["5 minutes", "10 minutes", "15 minutes"] {
        assert!(
            isochrones.contains(band),
            "{band} in the legend: {isochrones}"
        );
    }
    let small = &c["petiteCarte"];
    assert!(
        small["nom"].as_str().unwrap().contains("Centre-ville"),
        "{small:#}"
    );
    assert!(small["traits"].as_u64().unwrap() > 20, "{small:#}");
}

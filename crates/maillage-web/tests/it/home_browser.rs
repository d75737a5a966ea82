//! Reaching what Maillage does, in a real browser (`browser-tests/accueil.mjs`, headless Chromium driven by
//! `playwright-core`, axe-core on every page walked): a visitor from `/` to an address of the directory and to
//! the public indicators; an observatory user from the dashboard to every download and to the town's PDF (each
//! download finishes, non-empty); the mayor's home during the demonstration's heatwave alert (the alert, then
//! the figures to watch); the CLS's new fiche action opened from the top of its page; the absolute agenda
//! address with its copy button. Screenshots go to `target/artefacts/navigateur-accueil/`.
//!
//! Same harness as `browser.rs`: skips visibly when Chromium, Node.js or `browser-tests/node_modules` is
//! missing, unless `MAILLAGE_EXIGER_NAVIGATEUR=1` (CI), which makes it fail instead.

use crate::common;

use common::browser::Browser;
use common::{PASSWORD, Server, account};
use maillage_store::accounts::Role;
use maillage_testkit::TestBase;
use maillage_web::Config;
use serde_json::{Value, json};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_visitor_an_observatory_user_and_the_mayor_reach_what_they_need() {
    let Some(browser) = Browser::find() else {
        return;
    };
    let base = TestBase::sqlite();
    let store = common::demo_store(&base).await;
    for role in [Role::Observatoire, Role::Elu, Role::Coordination] {
        account(&store, role.as_str(), &[role]).await;
    }
    let server = Server::start_on(store.clone(), base.backend, Config::default()).await;
    let accounts = json!({
        "observatoire": ["observatoire", PASSWORD],
        "elu": ["elu", PASSWORD],
        "coordination": ["coordination", PASSWORD],
    });
    let report = browser
        .run(
            "accueil.mjs",
            server.addr,
            "navigateur-accueil",
            &[("MAILLAGE_COMPTES", accounts.to_string())],
        )
        .await;
    // axe-core: no violation on any page walked through.
    let axe = report["axe"].as_object().expect("axe results");
    assert!(axe.len() >= 8, "pages checked: {axe:?}");
    for (page, violations) in axe {
        assert_eq!(violations, &json!([]), "axe-core on {page}");
    }
    let c = &report["checks"];

    // The visitor.
    let links: Vec<&str> = c["publicLinks"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    for wanted in ["/annuaire", "/continuite", "/indicateurs", "/connexion"] {
        assert!(links.contains(&wanted), "{wanted} in {links:?}");
    }
    assert!(!c["entryTitle"].as_str().unwrap().is_empty());
    assert_eq!(c["indicatorsTitle"], "Indicateurs de santé du territoire");
    assert!(c["indicatorsTables"].as_u64().unwrap() >= 2);
    assert!(
        c["indicatorsSecret"].as_u64().unwrap() > 0,
        "small counts read « < 5 »"
    );

    // The observatory user: every export of the dashboard, and the PDF.
    let downloads = c["downloads"].as_array().unwrap();
    let hrefs: Vec<&str> = downloads
        .iter()
        .map(|d| d["href"].as_str().unwrap())
        .collect();
    for path in [
        "/observatoire/export/indicateurs.csv",
        "/observatoire/export/indicateurs.xlsx",
        "/observatoire/export/zones.csv",
        "/observatoire/export/zones.xlsx",
        "/observatoire/export/zones.geojson",
        "/observatoire/export/zones.gpkg",
        "/observatoire/export/professionnels.csv",
        "/observatoire/export/professionnels.xlsx",
        "/observatoire/export/imports.csv",
        "/observatoire/export/imports.xlsx",
    ] {
        assert!(
            hrefs.iter().any(|h| h.split('?').next() == Some(path)),
            "{path} downloaded from the dashboard: {hrefs:?}"
        );
    }
    assert!(hrefs.iter().any(|h| h.contains(".pdf")), "{hrefs:?}");
    for d in downloads.iter().chain([&c["pdf"]]) {
        assert_eq!(d["echec"], Value::Null, "{d}");
        assert!(d["octets"].as_u64().unwrap() > 0, "{d}");
        assert!(
            d["fichier"].as_str().unwrap().starts_with("maillage-"),
            "{d}"
        );
    }
    assert!(c["pdf"]["fichier"].as_str().unwrap().ends_with(".pdf"));

    // The mayor during the heatwave.
    let alert = c["mayorAlert"].as_str().unwrap();
    assert!(alert.contains("Alerte en cours"), "{alert}");
    let figures = c["mayorFigures"].as_array().unwrap();
    let all = figures
        .iter()
        .filter_map(Value::as_str)
        .collect::<Vec<_>>()
        .join(" | ");
    for wanted in [
        "d'appels terminés",
        "de stock",
        "cas pour 100 000 habitants",
        "de réalisation des fiches actions",
        "médecins généralistes pour 10 000 habitants",
    ] {
        assert!(all.contains(wanted), "« {wanted} » among {all}");
    }

    // The coordination: the new fiche's form, opened from the top, takes the next Tab.
    assert_eq!(c["ficheFormOpen"], true);
    assert_ne!(
        c["ficheFirstFocus"].as_str().unwrap_or("hors"),
        "",
        "{}",
        c["ficheFirstFocus"]
    );
    assert!(
        !c["ficheFirstFocus"]
            .as_str()
            .unwrap_or("hors")
            .starts_with("hors"),
        "{}",
        c["ficheFirstFocus"]
    );
    let agenda = c["agendaAddress"].as_str().unwrap();
    assert!(
        agenda.starts_with(&format!("http://{}/agenda/", server.addr)),
        "{agenda}"
    );
    assert_eq!(c["copyButtonShown"], true);
    server.stop().await;
}

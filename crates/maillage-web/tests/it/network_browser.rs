//! The public directory in a real browser, on a phone-sized screen (390 × 844), with the keyboard only: headless
//! Chromium (Debian's `chromium`) driven by `playwright-core` (`browser-tests/annuaire.mjs`), against the real
//! server on the loopback with the demonstration town. The skip link, a search by need and age, the results
//! (public entries only, no horizontal scrolling), an entry's page, the print style; every focused element shows
//! its focus; no console error, no failed request, nothing leaves the machine. Screenshots go to
//! `target/artefacts/navigateur-annuaire/`.
//!
//! Skips visibly when Chromium, Node.js or `browser-tests/node_modules` is missing, unless
//! `MAILLAGE_EXIGER_NAVIGATEUR=1` (CI), which makes it fail instead.

use crate::common;

use common::Server;
use common::browser::Browser;
use maillage_testkit::TestBase;
use maillage_web::Config;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_public_directory_works_on_a_phone_with_the_keyboard_only() {
    let Some(browser) = Browser::find() else {
        return;
    };
    let base = TestBase::sqlite();
    let store = common::demo_store(&base).await;
    let internal: Vec<String> =
        sqlx::query_scalar("SELECT name FROM network_actor WHERE visibility = 'interne'")
            .fetch_all(store.pool())
            .await
            .unwrap();
    assert!(!internal.is_empty());
    let server = Server::start_on(store, base.backend, Config::default()).await;
    let report = browser
        .run(
            "annuaire.mjs",
            server.addr,
            "navigateur-annuaire",
            &[(
                "MAILLAGE_INTERNES",
                serde_json::to_string(&internal).unwrap(),
            )],
        )
        .await;
    let c = &report["checks"];
    assert_eq!(c["title"], "Adresses utiles — santé et aide");
    assert_eq!(
        c["firstFocus"], "Aller au contenu",
        "the skip link comes first"
    );
    assert_eq!(c["afterSkip"], "contenu", "and leads to the content");
    assert_eq!(c["needLabel"], "Quel besoin ?");
    assert_eq!(
        c["needValue"], "sante_mentale",
        "chosen with the arrow keys"
    );
    assert_eq!(c["ageLabel"], "Âge de la personne");
    assert!(c["url"].as_str().unwrap().contains("age=15"));
    assert!(
        c["status"].as_str().unwrap().contains("adresse"),
        "the number of results is announced: {}",
        c["status"]
    );
    let results: Vec<&str> = c["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap())
        .collect();
    assert!(
        results.contains(&"Maison des adolescents du Clain (fictif)"),
        "{results:?}"
    );
    assert!(
        !results.contains(&"Centre médico-psychologique adultes (fictif)"),
        "adults only: not for a 15-year-old"
    );
    assert_eq!(
        c["internalShown"],
        serde_json::json!([]),
        "internal entries never show"
    );
    assert_eq!(
        c["overflow"].as_i64(),
        Some(0),
        "no horizontal scrolling on a phone"
    );
    assert_eq!(c["overflowResults"].as_i64(), Some(0));
    let guide = c["guideHref"].as_str().unwrap();
    assert!(
        guide.starts_with("/annuaire/guide.pdf?")
            && guide.contains("besoin=sante_mentale")
            && guide.contains("age=15")
    );
    assert_eq!(
        c["entryTitle"], c["firstResult"],
        "Enter on the first result opens its page"
    );
    assert!(
        c["telLinks"].as_u64().unwrap() >= 1,
        "the phone number dials"
    );
    let fields: Vec<&str> = c["entryFields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect();
    for f in ["Missions", "Adresse", "Téléphone", "Horaires"] {
        assert!(fields.contains(&f), "{f} in {fields:?}");
    }
    assert_eq!(c["printHeaderDisplay"], "none");
    assert_eq!(c["printFormDisplay"], "none");
    assert_eq!(
        c["focusWithoutOutline"],
        serde_json::json!([]),
        "every focused element shows its focus"
    );
    for s in report["screenshots"].as_array().unwrap() {
        let size = std::fs::metadata(s.as_str().unwrap())
            .map(|m| m.len())
            .unwrap_or(0);
        assert!(size > 1000, "screenshot {s} written");
    }
    server.stop().await;
}

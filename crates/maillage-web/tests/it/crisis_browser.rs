//! A caller's session of a phone campaign in a real browser on a phone-sized screen (390 × 844, touch): headless
//! Chromium driven by `playwright-core` (`browser-tests/appels.mjs`), against the real server with the
//! demonstration town. The caller takes the next person, records no answer, takes the next, is told a need
//! requires a note, records it, and sees the progress refresh — without sideways scrolling, with touch targets
//! of at least 44 px, no console error, no failed request and no request leaving the machine. Screenshots go to
//! `target/artefacts/navigateur-appels/`.
//!
//! Same harness as `browser.rs`: skips visibly when Chromium, Node.js or `browser-tests/node_modules` is
//! missing, unless `MAILLAGE_EXIGER_NAVIGATEUR=1` (CI), which makes it fail instead.

use crate::common;

use common::browser::Browser;
use common::{PASSWORD, Server, account};
use maillage_store::accounts::Role;
use maillage_store::crisis::calls;
use maillage_store::reach::Reach;
use maillage_testkit::TestBase;
use maillage_web::Config;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_caller_works_through_the_campaign_on_a_phone() {
    let Some(browser) = Browser::find() else {
        return;
    };
    let base = TestBase::sqlite();
    let store = common::demo_store(&base).await;
    // `ccas` is one of the five callers of the demonstration campaign.
    account(&store, "ccas", &[Role::Ccas]).await;
    let campaign = calls::campaigns(&store, &Reach::everything())
        .await
        .unwrap()[0]
        .id;
    let before = calls::progress(
        &store,
        &Reach::everything(),
        campaign,
        jiff::Timestamp::now(),
    )
    .await
    .unwrap();
    let server = Server::start_on(store.clone(), base.backend, Config::default()).await;
    let report = browser
        .run(
            "appels.mjs",
            server.addr,
            "navigateur-appels",
            &[(
                "MAILLAGE_COMPTE",
                serde_json::json!(["ccas", PASSWORD]).to_string(),
            )],
        )
        .await;
    assert_eq!(
        report["expected"].as_array().map(Vec::len),
        Some(1),
        "the one 422 provoked on purpose"
    );
    let c = &report["checks"];
    assert_eq!(c["campaignTitle"], "Appels canicule — jour 1");
    // A phone screen: nothing scrolls sideways, touch targets are at least 44 px high.
    for screen in ["campaignPhone", "callPhone", "errorPhone"] {
        assert_eq!(
            c[screen]["debordement"], false,
            "{screen}: the page is wider than the phone: {}",
            c[screen]
        );
        for (name, target) in c[screen]["cibles"].as_object().unwrap() {
            assert!(
                target["nombre"].as_u64().unwrap() > 0,
                "{screen}/{name} shown"
            );
            assert!(
                target["plusPetiteHauteur"].as_f64().unwrap() >= 44.0,
                "{screen}/{name}: {target}"
            );
        }
    }
    assert_eq!(
        c["callPhone"]["cibles"]["issues"]["nombre"], 4,
        "four outcomes to choose from"
    );
    if let Some(tel) = c["telHref"].as_str() {
        assert!(tel.starts_with("tel:0"), "{tel}");
    }
    assert_ne!(
        c["firstPerson"], c["secondPerson"],
        "the next person is another one"
    );
    assert!(
        c["afterFirst"]
            .as_str()
            .unwrap()
            .contains("résultat de l'appel est enregistré")
    );
    assert!(
        c["needError"].as_str().unwrap().contains("note"),
        "{}",
        c["needError"]
    );
    assert_eq!(
        c["samePerson"], true,
        "the person stays held while the form is corrected"
    );
    assert!(c["afterSecond"].as_str().unwrap().contains("enregistré"));
    assert_eq!(c["progressApi"], 200);
    assert_eq!(
        c["besoinShown"].as_str().unwrap().parse::<u64>().unwrap(),
        before.besoin + 1,
        "refreshed figure"
    );

    // In the base: two attempts by this caller, one retry scheduled, one need with its escalation.
    let after = calls::progress(
        &store,
        &Reach::everything(),
        campaign,
        jiff::Timestamp::now(),
    )
    .await
    .unwrap();
    assert_eq!(after.besoin, before.besoin + 1);
    assert_eq!(
        after.a_rappeler + after.a_appeler,
        before.a_rappeler + before.a_appeler - 1,
        "{before:?} {after:?}"
    );
    let shots = report["screenshots"].as_array().unwrap();
    assert_eq!(shots.len(), 4);
    for s in shots {
        assert!(
            std::fs::metadata(s.as_str().unwrap())
                .map(|m| m.len())
                .unwrap_or(0)
                > 1000
        );
    }
    server.stop().await;
}

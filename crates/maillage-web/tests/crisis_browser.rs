//! A caller's session of a phone campaign in a real browser on a phone-sized screen (390 × 844, touch): headless
//! Chromium driven by `playwright-core` (`browser-tests/appels.mjs`), against the real server with the
//! demonstration town. The caller takes the next person, records no answer, takes the next, is told a need
//! requires a note, records it, and sees the progress refresh — without sideways scrolling, with touch targets
//! of at least 44 px, no console error, no failed request and no request leaving the machine. Screenshots go to
//! `target/artefacts/navigateur-appels/`.
//!
//! Same harness as `tests/browser.rs`: skips visibly when Chromium, Node.js or `browser-tests/node_modules` is
//! missing, unless `MAILLAGE_EXIGER_NAVIGATEUR=1` (CI), which makes it fail instead.

mod common;

use common::{PASSWORD, Server, account};
use maillage_store::Store;
use maillage_store::accounts::Role;
use maillage_store::crisis::calls;
use maillage_testkit::TestBase;
use maillage_web::Config;
use serde_json::Value;
use std::path::PathBuf;
use std::process::Command;

fn missing(what: &str) {
    if std::env::var("MAILLAGE_EXIGER_NAVIGATEUR").as_deref() == Ok("1") {
        panic!("MAILLAGE_EXIGER_NAVIGATEUR=1 mais {what}");
    }
    maillage_testkit::skip(&format!(
        "test des appels dans le navigateur sauté : {what}"
    ));
}

fn in_path(program: &str) -> Option<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|d| d.join(program))
        .find(|p| p.is_file())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_caller_works_through_the_campaign_on_a_phone() {
    let chromium = std::env::var_os("MAILLAGE_CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    if !chromium.is_file() {
        return missing(&format!(
            "Chromium est absent ({}) : apt-get install chromium",
            chromium.display()
        ));
    }
    let Some(node) = in_path("node") else {
        return missing("Node.js est absent (node introuvable dans le PATH)");
    };
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let scripts = manifest.join("browser-tests");
    if !scripts.join("node_modules/playwright-core").is_dir() {
        return missing(&format!(
            "playwright-core n'est pas installé : npm ci dans {}",
            scripts.display()
        ));
    }

    let base = TestBase::sqlite();
    let store = Store::open(&base.location).await.unwrap();
    maillage_demo::build(&store, maillage_demo::DEFAULT_SEED)
        .await
        .unwrap();
    // `ccas` is one of the five callers of the demonstration campaign.
    account(&store, "ccas", &[Role::Ccas]).await;
    let campaign = calls::campaigns(&store).await.unwrap()[0].id;
    let before = calls::progress(&store, campaign, jiff::Timestamp::now())
        .await
        .unwrap();
    let server = Server::start_on(store.clone(), base.backend, Config::default()).await;
    let artefacts = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| manifest.join("../../target"))
        .join("artefacts")
        .join("navigateur-appels");
    let _ = std::fs::remove_dir_all(&artefacts);

    let mut command = Command::new(node);
    command
        .arg(scripts.join("appels.mjs"))
        .current_dir(&scripts)
        .env("MAILLAGE_URL", format!("http://{}", server.addr))
        .env(
            "MAILLAGE_COMPTE",
            serde_json::json!(["ccas", PASSWORD]).to_string(),
        )
        .env("MAILLAGE_ARTEFACTS", &artefacts)
        .env("MAILLAGE_CHROMIUM", &chromium);
    let output = tokio::task::spawn_blocking(move || command.output())
        .await
        .unwrap()
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "appels.mjs failed: {stderr}\n{stdout}"
    );
    let report: Value = stdout
        .lines()
        .rev()
        .find_map(|l| serde_json::from_str(l).ok())
        .unwrap_or_else(|| panic!("no JSON report: {stdout}\n{stderr}"));
    eprintln!("rapport du navigateur : {report:#}");
    assert!(
        report.get("fatal").is_none(),
        "the session stopped: {}",
        report["fatal"]
    );
    for key in ["consoleErrors", "pageErrors", "external", "failed"] {
        assert_eq!(report[key], serde_json::json!([]), "{key} must be empty");
    }
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
    let after = calls::progress(&store, campaign, jiff::Timestamp::now())
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
    eprintln!("captures d'écran : {}", artefacts.display());
    server.stop().await;
}

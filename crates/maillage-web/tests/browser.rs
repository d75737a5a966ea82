//! The demonstration town in a real browser: headless Chromium (Debian's `chromium`), driven by `playwright-core`
//! (`browser-tests/`, installed with `npm ci`), against the real server on the loopback. The dashboard, the map
//! (zones, class numbers, points, isochrones, keyboard), a zone page, the QPV page and an import with its progress
//! must work with no console error, no failed request and no request leaving the machine; screenshots are kept
//! in `target/artefacts/navigateur/`.
//!
//! Skips visibly when Chromium, Node.js or `browser-tests/node_modules` is missing, unless
//! `MAILLAGE_EXIGER_NAVIGATEUR=1` (CI), which makes it fail instead.

mod common;

use common::{PASSWORD, Server, account};
use maillage_store::Store;
use maillage_store::accounts::Role;
use maillage_testkit::TestBase;
use maillage_web::Config;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

fn required() -> bool {
    std::env::var("MAILLAGE_EXIGER_NAVIGATEUR").as_deref() == Ok("1")
}

/// Prints a skip line, or fails when the browser test is required.
fn missing(what: &str) {
    if required() {
        panic!("MAILLAGE_EXIGER_NAVIGATEUR=1 mais {what}");
    }
    maillage_testkit::skip(&format!("test dans le navigateur sauté : {what}"));
}

fn in_path(program: &str) -> Option<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|d| d.join(program))
        .find(|p| p.is_file())
}

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn artefacts_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| manifest_dir().join("../../target"));
    target.join("artefacts").join("navigateur")
}

/// An INSEE population file (vintage 2022) for the demo town's IRIS, as the import page takes it.
async fn insee_file(store: &Store, dir: &Path) -> PathBuf {
    let mut text = String::from("IRIS;COM;TYP_IRIS;LAB_IRIS;P22_POP\n");
    for z in maillage_store::zones::list(store).await.unwrap() {
        if z.kind == maillage_store::zones::ZoneKind::Iris
            && z.parent_code.as_deref() == Some("99101")
        {
            let total = z.population.as_ref().unwrap().value.round() + 50.0;
            text.push_str(&format!("{};99101;H;1;{total}\n", z.code));
        }
    }
    let path = dir.join("base-ic-evol-struct-pop-2022.CSV");
    std::fs::write(&path, text).unwrap();
    path
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_works_in_a_real_browser_without_errors_or_outside_requests() {
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
    let scripts = manifest_dir().join("browser-tests");
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
    account(&store, "observatoire", &[Role::Observatoire]).await;
    account(&store, "partenaire", &[Role::Partenaire]).await;
    let files = tempfile::tempdir().unwrap();
    let insee = insee_file(&store, files.path()).await;
    let server = Server::start_on(store, base.backend, Config::default()).await;
    let artefacts = artefacts_dir();
    let _ = std::fs::remove_dir_all(&artefacts);

    let comptes = serde_json::json!({
        "observatoire": ["observatoire", PASSWORD],
        "partenaire": ["partenaire", PASSWORD],
    });
    let mut command = Command::new(node);
    command
        .arg(scripts.join("parcours.mjs"))
        .current_dir(&scripts)
        .env("MAILLAGE_URL", format!("http://{}", server.addr))
        .env("MAILLAGE_COMPTES", comptes.to_string())
        .env("MAILLAGE_ARTEFACTS", &artefacts)
        .env("MAILLAGE_CHROMIUM", &chromium)
        .env("MAILLAGE_FICHIER_INSEE", &insee);
    // The browser runs on its own thread; the server keeps answering on the runtime's workers.
    let output = tokio::task::spawn_blocking(move || command.output())
        .await
        .unwrap()
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "parcours.mjs failed: {stderr}\n{stdout}"
    );
    let report: Value = stdout
        .lines()
        .rev()
        .find_map(|l| serde_json::from_str(l).ok())
        .unwrap_or_else(|| panic!("no JSON report: {stdout}\n{stderr}"));
    eprintln!("rapport du navigateur : {report:#}");
    assert!(
        report.get("fatal").is_none(),
        "the walk through stopped: {}",
        report["fatal"]
    );
    for key in ["consoleErrors", "pageErrors", "external", "failed"] {
        assert_eq!(report[key], serde_json::json!([]), "{key} must be empty");
    }
    let checks = &report["checks"];
    let n = |k: &str| {
        checks[k]
            .as_u64()
            .unwrap_or_else(|| panic!("{k} missing: {checks}"))
    };
    assert_eq!(checks["dashboardTitle"], "Observatoire");
    assert!(n("dashboardCharts") >= 1);
    assert_eq!(
        checks["mapReady"], "1",
        "the map loaded: {}",
        checks["mapStatus"]
    );
    assert!(n("mapZones") >= 30, "the 30 IRIS are drawn");
    assert!(
        n("mapClassLabels") >= 30,
        "every IRIS shows its class number"
    );
    assert!(n("mapPoints") > 0, "practice sites are drawn");
    assert!(n("legendClasses") >= 2);
    assert!(
        checks["focusedZoneLabel"]
            .as_str()
            .is_some_and(|l| l.contains(" : ") && l.contains("classe"))
    );
    assert!(
        checks["popupText"]
            .as_str()
            .is_some_and(|t| t.contains("Valeur") && t.contains("Fiche de la zone"))
    );
    assert!(n("isochronePaths") > 0, "the demo's isochrones are drawn");
    assert!(
        checks["zoneTitle"]
            .as_str()
            .is_some_and(|t| t.starts_with("IRIS — "))
    );
    assert!(n("zoneCharts") >= 2);
    assert!(n("qpvTables") >= 2);
    assert!(
        checks["importStatus"]
            .as_str()
            .is_some_and(|s| s.contains("terminé") && s.contains("30 lignes lues")),
        "{}",
        checks["importStatus"]
    );
    assert_eq!(checks["partnerMapReady"], "1");
    assert!(
        n("partnerSecretLabels") > 0,
        "small counts are marked S on the partner's map"
    );
    assert!(
        checks["partnerLegend"]
            .as_str()
            .is_some_and(|t| t.contains("secret statistique"))
    );
    assert_eq!(
        n("noScriptRows"),
        30,
        "without JavaScript the table gives every IRIS"
    );
    assert_eq!(n("noScriptMapZones"), 0);
    let shots = report["screenshots"].as_array().unwrap();
    assert!(shots.len() >= 10);
    for s in shots {
        let path = PathBuf::from(s.as_str().unwrap());
        let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        assert!(size > 1000, "screenshot {} written", path.display());
    }
    eprintln!("captures d'écran : {}", artefacts.display());
    server.stop().await;
}

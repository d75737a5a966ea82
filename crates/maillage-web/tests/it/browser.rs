//! The demonstration town in a real browser: headless Chromium (Debian's `chromium`), driven by `playwright-core`
//! (`browser-tests/`, installed with `npm ci`), against the real server on the loopback. The dashboard, the map
//! (zones, class numbers, points, isochrones, keyboard), a zone page, the QPV page and an import with its progress
//! must work with no console error, no failed request and no request leaving the machine; screenshots are kept
//! in `target/artefacts/navigateur/`.
//!
//! Skips visibly when Chromium, Node.js or `browser-tests/node_modules` is missing, unless
//! `MAILLAGE_EXIGER_NAVIGATEUR=1` (CI), which makes it fail instead.

use crate::common;

use common::browser::Browser;
use common::{PASSWORD, Server, account};
use maillage_store::Store;
use maillage_store::accounts::Role;
use maillage_testkit::TestBase;
use maillage_web::Config;
use std::path::{Path, PathBuf};

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

/// A CartoSanté zonage export (`Code;Libellé;Zonage_MG`, FIXTURE, not real data) classing the demo town's
/// communes, the first as a zone d'intervention prioritaire; gives the file and that commune.
async fn zonage_file(store: &Store, dir: &Path) -> (PathBuf, String) {
    let mut text = String::from("Code;Libellé;Zonage_MG\n");
    let communes: Vec<_> = maillage_store::zones::list(store)
        .await
        .unwrap()
        .into_iter()
        .filter(|z| z.kind == maillage_store::zones::ZoneKind::Commune)
        .collect();
    assert!(!communes.is_empty());
    for (i, z) in communes.iter().enumerate() {
        let value = ["1_ZIP", "2_ZAC", "5_HZ"][i % 3];
        text.push_str(&format!("{};{} (fixture);{value}\n", z.code, z.name));
    }
    let path = dir.join("fixture-zonage-mg-cartosante.csv");
    std::fs::write(&path, text).unwrap();
    (path, communes[0].code.clone())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_works_in_a_real_browser_without_errors_or_outside_requests() {
    let Some(browser) = Browser::find() else {
        return;
    };
    let base = TestBase::sqlite();
    let store = common::demo_store(&base).await;
    account(&store, "observatoire", &[Role::Observatoire]).await;
    account(&store, "partenaire", &[Role::Partenaire]).await;
    let files = tempfile::tempdir().unwrap();
    let insee = insee_file(&store, files.path()).await;
    let (zonage, zip_commune) = zonage_file(&store, files.path()).await;
    let server = Server::start_on(store, base.backend, Config::default()).await;
    let comptes = serde_json::json!({
        "observatoire": ["observatoire", PASSWORD],
        "partenaire": ["partenaire", PASSWORD],
    });
    let report = browser
        .run(
            "parcours.mjs",
            server.addr,
            "navigateur",
            &[
                ("MAILLAGE_COMPTES", comptes.to_string()),
                ("MAILLAGE_FICHIER_INSEE", insee.display().to_string()),
                ("MAILLAGE_FICHIER_ZONAGE", zonage.display().to_string()),
                ("MAILLAGE_COMMUNE_ZONAGE", zip_commune.clone()),
            ],
        )
        .await;
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
    // On a phone: the guided set-up, its link to the import page, the zonage imported there and shown.
    assert_eq!(checks["setupTitle"], "Installation guidée du territoire");
    assert_eq!(n("setupSteps"), 7, "the seven steps of the set-up");
    assert_eq!(
        checks["setupOverflow"].as_i64(),
        Some(0),
        "no horizontal scrolling"
    );
    assert_eq!(
        checks["setupImportType"], "finess",
        "the step's type is chosen"
    );
    assert!(
        checks["zonageImportStatus"]
            .as_str()
            .is_some_and(|s| s.contains("terminé") && !s.contains("aucune ligne")),
        "{}",
        checks["zonageImportStatus"]
    );
    assert_eq!(checks["importOverflow"].as_i64(), Some(0));
    assert_eq!(
        n("zonageLayerOffered"),
        1,
        "the zonage is a layer of the map"
    );
    assert!(
        checks["zonageLegend"]
            .as_str()
            .is_some_and(|t| t.contains("Zone d'intervention prioritaire")),
        "the legend names the zonages"
    );
    assert!(
        checks["zonageZonePage"]
            .as_str()
            .is_some_and(|t| t.contains("Zonage médecins (ARS)")
                && t.contains("Zone d'intervention prioritaire")
                && t.contains("2025")),
        "{}",
        checks["zonageZonePage"]
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
    server.stop().await;
}

//! Forms in a real browser (issue 13): headless Chromium driven by `playwright-core`
//! (`browser-tests/formulaires.mjs`) against the real server with the demonstration. A CLS fiche refused for its
//! budget comes back with what was typed, its section open, the focus on the budget (marked `aria-invalid`,
//! described by the refusal) and the contract's address in the bar; corrected without retyping, it is created;
//! reloading a refused form asks for the page, not the POST; a form's target typed as an address leads to its
//! page. A directory entry is deleted from its confirmation page and restored from the trash. axe-core finds no
//! violation on the refused form, the confirmation and the trash. Screenshots go to
//! `target/artefacts/navigateur-formulaires/`.
//!
//! Same harness as `browser.rs`: skips visibly when Chromium, Node.js or `browser-tests/node_modules` is
//! missing, unless `MAILLAGE_EXIGER_NAVIGATEUR=1` (CI), which makes it fail instead.

use crate::common;

use common::browser::Browser;
use common::{PASSWORD, Server, account};
use maillage_store::accounts::Role;
use maillage_testkit::TestBase;
use maillage_web::Config;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_form_is_corrected_without_retyping_and_a_deleted_entry_comes_back_from_the_trash()
 {
    let Some(browser) = Browser::find() else {
        return;
    };
    let base = TestBase::sqlite();
    let store = common::demo_store(&base).await;
    account(&store, "coordination", &[Role::Coordination]).await;
    let (actor, name): (i64, String) = sqlx::query_as(
        "SELECT a.id, a.name FROM network_actor a WHERE EXISTS (SELECT 1 FROM network_contact c WHERE c.actor_id = a.id)
         ORDER BY a.id LIMIT 1",
    )
    .fetch_one(store.pool())
    .await
    .unwrap();
    let server = Server::start_on(store.clone(), base.backend, Config::default()).await;
    let report = browser
        .run(
            "formulaires.mjs",
            server.addr,
            "navigateur-formulaires",
            &[
                (
                    "MAILLAGE_COMPTE",
                    serde_json::json!(["coordination", PASSWORD]).to_string(),
                ),
                (
                    "MAILLAGE_ACTEUR",
                    serde_json::json!([actor, name]).to_string(),
                ),
            ],
        )
        .await;
    assert_eq!(
        report["expected"].as_array().map(Vec::len),
        Some(2),
        "the two refusals provoked on purpose"
    );
    let c = &report["checks"];
    // The refusal: the contract's address, the reason, the focus on the budget, everything typed kept.
    assert_eq!(
        c["refusedUrl"], "/cls/1",
        "no POST target in the address bar"
    );
    assert!(
        c["refusal"].as_str().unwrap().contains("budget"),
        "{}",
        c["refusal"]
    );
    assert_eq!(c["focusAfterRefusal"], "budget");
    assert_eq!(c["sectionOpen"], true);
    assert_eq!(c["kept"]["titre"], "Aller vers les personnes isolées");
    assert_eq!(
        c["kept"]["description"],
        "Repérage par les pharmacies.\nVisites à domicile."
    );
    assert_eq!(c["kept"]["budget"], "abc");
    assert_eq!(c["kept"]["statut"], "en_cours");
    assert_eq!(c["budgetInvalid"], "true");
    assert_eq!(c["budgetDescribedBy"], "refus");
    // Corrected: created with what was typed first.
    assert!(
        c["afterCorrection"]
            .as_str()
            .unwrap()
            .contains("C'est fait")
    );
    assert_eq!(
        c["ficheTitle"],
        "Fiche 9.9.1 — Aller vers les personnes isolées"
    );
    assert!(c["ficheBudget"].as_str().unwrap().contains("12"));
    // A reload asks for the page again: no POST, no refusal shown.
    assert_eq!(c["reloadMethod"], "GET");
    assert_eq!(c["reloadStatus"], 200);
    assert_eq!(c["reloadUrl"], "/cls/1");
    assert_eq!(c["postsOnReload"], 0);
    assert_eq!(c["alertAfterReload"], 0);
    assert_eq!(c["typedTarget"]["status"], 200);
    assert_eq!(c["typedTarget"]["url"], "/cls/1");
    // The deletion: a page saying what is lost, a red button, the trash, the restore.
    assert_eq!(c["confirmationTitle"], format!("Supprimer la fiche {name}"));
    let said = c["confirmationText"].as_str().unwrap();
    assert!(
        said.contains("corbeille") && said.contains("effacée"),
        "{said}"
    );
    assert_eq!(c["dangerColour"], "rgb(163, 0, 11)");
    assert!(c["afterDelete"].as_str().unwrap().contains("corbeille"));
    assert!(c["trash"].as_str().unwrap().contains(&name));
    assert!(c["restored"].as_str().unwrap().contains("restaurée"));
    assert_eq!(c["restoredTitle"], name.as_str());
    for (page, violations) in report["axe"].as_object().unwrap() {
        assert_eq!(
            violations,
            &serde_json::json!([]),
            "axe-core on {page}: {violations}"
        );
    }
    assert_eq!(report["axe"].as_object().map(|o| o.len()), Some(3));
    server.stop().await;
}

//! Every page on a phone (issue 13), in a real browser (`browser-tests/telephone.mjs`, headless Chromium driven
//! by `playwright-core`): for each role, the pages its links reach, in a 360 × 740 screen. None scrolls
//! sideways, axe-core finds no violation, every box that scrolls sideways is reachable by the keyboard; the
//! header's menu button opens the navigation; a person is found in the register from the phone. Screenshots go
//! to `target/artefacts/navigateur-telephone/`.
//!
//! Skips visibly when Chromium, Node.js or `browser-tests/node_modules` is missing, unless
//! `MAILLAGE_EXIGER_NAVIGATEUR=1` (CI), which makes it fail instead.

use crate::common;

use common::browser::Browser;
use common::{PASSWORD, Server, account};
use maillage_store::Coded;
use maillage_store::accounts::Role;
use maillage_testkit::TestBase;
use maillage_web::Config;
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_of_every_role_fits_a_phone_and_passes_axe() {
    let Some(browser) = Browser::find() else {
        return;
    };
    let base = TestBase::sqlite();
    let store = common::demo_store(&base).await;
    let mut accounts = serde_json::Map::new();
    for &role in Role::ALL {
        let id = format!("tel-{}", role.code());
        account(&store, &id, &[role]).await;
        accounts.insert(role.code().to_string(), json!([id, PASSWORD]));
    }
    let server = Server::start_on(store, base.backend, Config::default()).await;
    let report = browser
        .run(
            "telephone.mjs",
            server.addr,
            "navigateur-telephone",
            &[
                (
                    "MAILLAGE_COMPTES",
                    serde_json::Value::Object(accounts).to_string(),
                ),
                ("MAILLAGE_REGISTRE", Role::Ccas.code().to_string()),
            ],
        )
        .await;
    let c = &report["checks"];
    for &role in Role::ALL {
        let walked = c["pages"][role.code()].as_array().map_or(0, Vec::len);
        assert!(
            walked >= 2,
            "{role:?} walked {walked} pages: {}",
            c["pages"]
        );
    }
    assert!(
        c["pages"][Role::Admin.code()]
            .as_array()
            .is_some_and(|p| p.iter().any(|p| p == "/admin/utilisateurs")),
        "the crawl follows the navigation: {}",
        c["pages"]
    );
    assert_eq!(c["wide"], json!([]), "no page wider than 360 px");
    assert_eq!(
        c["unreachableBoxes"],
        json!([]),
        "every box that scrolls sideways takes the keyboard's focus"
    );
    assert_eq!(report["axe"], json!({}), "axe-core finds no violation");

    let menu = &c["menu"];
    assert_eq!(menu["buttonVisible"], true, "{menu}");
    assert_eq!(menu["navHiddenBefore"], true, "{menu}");
    assert_eq!(menu["expanded"], "true");
    assert_eq!(menu["navVisibleAfter"], true);
    assert!(menu["links"].as_u64().unwrap_or(0) >= 2);
    assert_eq!(menu["closedByEscape"], true);
    assert!(
        menu["headerHeight"]
            .as_f64()
            .is_some_and(|h| h < 740.0 / 5.0),
        "the header takes less than a fifth of the screen: {menu}"
    );

    let r = &c["register"];
    assert_eq!(r["rows"], 50, "50 people a page: {r}");
    assert!(
        r["count"]
            .as_str()
            .is_some_and(|t| t.starts_with("1 à 50 sur ")),
        "{r}"
    );
    let searched = r["searchedFor"].as_str().unwrap_or_default();
    let found = r["found"].as_array().cloned().unwrap_or_default();
    assert!(!found.is_empty(), "{r}");
    assert!(
        found
            .iter()
            .any(|f| f.as_str().is_some_and(|f| f.starts_with(searched))),
        "{r}"
    );
    assert!(r["width"].as_i64().is_some_and(|w| w <= 360), "{r}");
    assert!(
        r["secondPage"]
            .as_str()
            .is_some_and(|t| t.starts_with("51 à ")),
        "{r}"
    );
    server.stop().await;
}

//! Zone pages and the dashboard show every figure beside its département's and France's (same method, same
//! file), over HTTP on a real server: on the demonstration (fictional reference figures) and on a store that
//! imported a generated national Annuaire (FIXTURE, not real data: `maillage_testkit::fixtures::national`).
//! Reference figures are national public counts: a partner, under statistical secrecy, sees them too.

use crate::common;

use common::{Server, account};
use maillage_store::accounts::Role;
use maillage_store::imports::{self, Silent};
use maillage_store::reference::{self, FRANCE_CODE};
use maillage_store::{Store, territory};
use maillage_testkit::TestBase;
use maillage_testkit::fixtures::national;
use maillage_web::Config;
use maillage_web::layout::number;

/// The density per 10,000 of GPs of a reference zone, as the store's figures give it, written as pages write it.
async fn gp_density(store: &Store, code: &str) -> String {
    let f = reference::figures(store)
        .await
        .unwrap()
        .into_iter()
        .find(|f| f.code == code && f.profession == "medecin_generaliste")
        .unwrap();
    number(f.count as f64 / f.population.unwrap() * 1e4, 1)
}

/// The body's row of a profession in the first table that has it: its cells' text.
fn row_cells(body: &str, label: &str) -> Vec<String> {
    let start = body
        .find(&format!("<th scope=\"row\">{label}</th>"))
        .unwrap_or_else(|| panic!("a row {label}"));
    let end = start + body[start..].find("</tr>").unwrap();
    body[start..end]
        .split("<td")
        .skip(1)
        .map(|c| {
            let text = &c[c.find('>').unwrap() + 1..];
            text[..text.find("</td>").unwrap()].to_string()
        })
        .collect()
}

#[tokio::test]
async fn demonstration_zone_pages_show_departement_and_france_beside_the_zone() {
    for base in TestBase::all().await {
        demonstration_pages(&base).await;
    }
}

async fn demonstration_pages(base: &TestBase) {
    let store = common::demo_store(base).await;
    let departement = gp_density(&store, "99").await;
    let france = gp_density(&store, FRANCE_CODE).await;
    let server = Server::start_on(store, base.backend, Config::default()).await;
    account(&server.store, "observatoire", &[Role::Observatoire]).await;
    account(&server.store, "partenaire", &[Role::Partenaire]).await;
    for who in ["observatoire", "partenaire"] {
        let mut c = server.client();
        c.login_ok(who).await;
        // A commune, one of its IRIS, and the dashboard.
        let commune = c.get("/observatoire/zones/commune/99101").await;
        assert_eq!(commune.status, 200, "{who}");
        let iris_code = {
            let at = commune
                .body
                .find("/observatoire/zones/iris/")
                .expect("an IRIS link");
            let rest = &commune.body[at + "/observatoire/zones/iris/".len()..];
            rest[..rest.find('"').unwrap()].to_string()
        };
        let iris = c
            .get(&format!("/observatoire/zones/iris/{iris_code}"))
            .await;
        let dashboard = c.get("/observatoire").await;
        // On the dashboard, the commune's own table (the EPCI's comes first, without reference columns).
        let dashboard_commune = &dashboard.body[dashboard
            .body
            .find("id=\"commune-99101\"")
            .expect("the commune's section")..];
        for (page, body) in [
            ("commune", commune.body.as_str()),
            ("iris", iris.body.as_str()),
            ("tableau de bord", dashboard_commune),
        ] {
            assert!(
                body.contains("Département : Département 99 (fictif) (99)"),
                "{who} {page}"
            );
            assert!(body.contains("France, "), "{who} {page}");
            let cells = row_cells(body, "Médecins généralistes");
            assert!(
                cells.contains(&departement) && cells.contains(&france),
                "{who} {page}: {cells:?} lacks {departement} and {france}"
            );
            assert!(
                body.contains("même fichier national que la zone"),
                "{who} {page}"
            );
        }
    }
    server.stop().await;
}

#[tokio::test]
async fn a_commune_page_shows_its_real_departement_counted_from_the_national_file() {
    let dir = tempfile::tempdir().unwrap();
    let base = TestBase::sqlite();
    let store = Store::open(&base.location).await.unwrap();
    let communes = dir.path().join("communes.json");
    std::fs::write(&communes, national::communes_json()).unwrap();
    imports::communes::import(&store, &communes, None, &Silent)
        .await
        .unwrap();
    territory::define(&store, Some("Poitiers".into()), &["86194".into()], &[], 0.0)
        .await
        .unwrap();
    let annuaire = dir
        .path()
        .join("PS_LibreAcces_Personne_activite_202611240000.txt");
    std::fs::write(&annuaire, national::annuaire_text(&national::rows(300))).unwrap();
    imports::annuaire::import(&store, &annuaire, &Silent)
        .await
        .unwrap();
    let departement = gp_density(&store, "86").await;
    let france = gp_density(&store, FRANCE_CODE).await;
    let server = Server::start_on(store, base.backend, Config::default()).await;
    account(&server.store, "observatoire", &[Role::Observatoire]).await;
    let mut c = server.client();
    c.login_ok("observatoire").await;
    let page = c.get("/observatoire/zones/commune/86194").await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(
        page.body
            .contains("Département : Vienne (86), pour 10 000 habitants")
    );
    assert!(page.body.contains("France, pour 10 000 habitants"));
    let cells = row_cells(&page.body, "Médecins généralistes");
    assert_eq!(cells[cells.len() - 2..], [departement, france], "{cells:?}");
    assert!(page.body.contains("millésime 2026"));
    server.stop().await;
}

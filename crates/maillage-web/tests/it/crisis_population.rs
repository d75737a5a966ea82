//! The epidemic indicators page over HTTP: rates recomputed with the INSEE population of the zone (its vintage
//! said), even when the INSEE file came after Santé publique France's, and SpF's own population shown beside
//! it with the gap. Files are FIXTURES in the published layouts (not real data), except the INSEE fixture's
//! own layout.

use crate::common;

use common::{Server, account};
use maillage_store::Store;
use maillage_store::accounts::Role;
use maillage_store::crisis::epidemic as epi;
use maillage_store::imports::{self, Silent};
use maillage_testkit::{TestBase, repo_root};
use maillage_web::Config;

const INSEE_2020: &str =
    "crates/maillage-formats/tests/fixtures/insee/base-ic-evol-struct-pop-2020.CSV";

/// French number as the page writes it (narrow no-break space between thousands, decimal comma).
fn french(v: f64, decimals: usize) -> String {
    maillage_web::layout::number(v, decimals)
}

#[tokio::test]
async fn the_page_uses_the_insee_population_and_shows_spf_own_with_the_gap() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("sp-pos-quot-com-fixture-non-reelle.csv");
    let spf_population = 40_500.0;
    let mut text = String::from("com;jour;P;T;cl_age90;pop\n");
    for d in 1..=10u32 {
        text.push_str(&format!(
            "69029;2021-02-{d:02};{};{};0;{spf_population}\n",
            d * 2,
            90 + d
        ));
    }
    std::fs::write(&file, text).unwrap();
    // The last full week: days 4 to 10.
    let p7: f64 = (4..=10).map(|d| f64::from(d * 2)).sum();
    for base in TestBase::all().await {
        let store = Store::open(&base.location).await.unwrap();
        epi::import_spf(&store, &file, None).await.unwrap();
        imports::insee::import(&store, &repo_root().join(INSEE_2020), &Silent)
            .await
            .unwrap();
        let info = epi::series_list(&store)
            .await
            .unwrap()
            .into_iter()
            .find(|s| s.zone == "69029")
            .unwrap();
        let insee = info.population.unwrap();
        assert!(
            maillage_messages::crisis::population_source(info.population_source.as_ref().unwrap())
                .starts_with("INSEE 2020"),
            "the INSEE population replaces the SpF file's: {info:?}"
        );
        assert_eq!(info.spf_population, Some(spf_population));

        account(&store, "cellule", &[Role::Crise]).await;
        let server = Server::start_on(store.clone(), base.backend, Config::default()).await;
        let mut cell = server.client();
        cell.login_ok("cellule").await;
        let page = cell
            .get("/crise/indicateurs?serie=commune:69029&jours=tout")
            .await;
        assert_eq!(page.status, 200, "{}", page.body);
        let gap = (insee - spf_population) * 100.0 / spf_population;
        for expected in [
            "Taux recalculés avec la population INSEE 2020 (IRIS agrégés".to_string(),
            format!("{} habitants", french(insee, 0)),
            format!(
                "population utilisée par Santé publique France : {} (écart {}{} %)",
                french(spf_population, 0),
                if gap >= 0.0 { "+" } else { "−" },
                french(gap.abs(), 1)
            ),
            // The incidence of the last day, recomputed by hand with the INSEE population.
            french(p7 * 100_000.0 / insee, 1),
        ] {
            assert!(
                page.body.contains(&expected),
                "[{}] « {expected} » missing",
                base.backend
            );
        }
        server.stop().await;
    }
}

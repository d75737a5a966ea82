//! Zonage médecins of the ARS on the demonstration territory: the line of the commune and QPV pages, the map
//! layer with its legend, the zones export, and an account of another commune seeing none of it.

use crate::common;

use common::{Server, get_bytes};
use maillage_store::accounts::Role;
use maillage_store::imports::Silent;
use maillage_store::imports::zonage::{self, ZonageColumns};
use maillage_testkit::TestBase;
use maillage_web::Config;
use serde_json::Value;

const COMMUNE: &str = maillage_demo::model::COMMUNE_CODE;
const QPV: &str = "QN09901A";

#[tokio::test]
async fn zone_pages_map_layer_and_export_show_the_zonage() {
    let dir = tempfile::tempdir().unwrap();
    for base in TestBase::all().await {
        let store = common::demo_store(&base).await;
        // An ARS file: the demonstration commune in ZAC, one of its QPV in ZIP. FIXTURE, not real data.
        let file = dir.path().join("zonage-ars-fixture-non-reelle.csv");
        std::fs::write(
            &file,
            format!(
                "Code commune;Code QPV;Zonage;Date de l'arrêté\n{COMMUNE};;ZAC;12/03/2025\n;{QPV};ZIP;12/03/2025\n"
            ),
        )
        .unwrap();
        let r = zonage::import(&store, &file, &ZonageColumns::default(), None, &Silent)
            .await
            .unwrap();
        assert_eq!(r.counts.inserted, 2, "{:?}", r.counts);
        common::account(&store, "observatoire", &[Role::Observatoire]).await;
        let server = Server::start_on(store.clone(), base.backend, Config::default()).await;
        let mut c = server.client();
        c.login_ok("observatoire").await;

        let page = c
            .get(&format!("/observatoire/zones/commune/{COMMUNE}"))
            .await;
        assert_eq!(page.status, 200);
        assert!(
            page.body.contains("Zonage médecins (ARS) : ")
                && page
                    .body
                    .contains("action complémentaire, arrêté du 12/03/2025"),
            "{}",
            page.body
        );
        let page = c.get(&format!("/observatoire/zones/qpv/{QPV}")).await;
        assert!(
            page.body
                .contains("intervention prioritaire, arrêté du 12/03/2025"),
            "{}",
            page.body
        );

        let map = c.get("/observatoire/carte").await;
        assert!(map.body.contains("data-zonage=\"/api/v1/geo/zonage\""));
        assert!(
            map.body
                .contains("Zone d&#39;intervention prioritaire (ZIP)")
                || map.body.contains("Zone d'intervention prioritaire (ZIP)")
        );

        let (status, _, bytes) = get_bytes(&c, "/api/v1/geo/zonage").await;
        assert_eq!(status, 200);
        let layer: Value = serde_json::from_slice(&bytes).unwrap();
        let features = layer["features"].as_array().unwrap();
        assert_eq!(features.len(), 2, "{layer}");
        let commune = features
            .iter()
            .find(|f| f["properties"]["code"] == COMMUNE)
            .unwrap();
        assert_eq!(commune["properties"]["zonage"], "ZAC");
        assert_eq!(commune["properties"]["arrete"], "2025-03-12");
        assert_eq!(commune["properties"]["type"], "commune");
        assert!(
            commune["geometry"]["type"].is_string(),
            "a contour: {commune}"
        );
        let qpv = features
            .iter()
            .find(|f| f["properties"]["code"] == QPV)
            .unwrap();
        assert_eq!(
            qpv["properties"]["libelle"],
            "Zone d'intervention prioritaire"
        );
        let legend = layer["legende"].as_array().unwrap();
        assert_eq!(
            legend
                .iter()
                .map(|l| l["zonage"].as_str().unwrap())
                .collect::<Vec<_>>(),
            ["ZIP", "ZAC", "ZAR", "ZV", "HZ"]
        );
        assert_eq!(legend[0]["zones"], 1);
        assert_eq!(legend[1]["zones"], 1);
        assert_eq!(legend[4]["zones"], 0);
        assert!(
            legend
                .iter()
                .all(|l| l["couleur"].as_str().unwrap().starts_with('#'))
        );

        // The zones export carries the zonage of the commune and of the QPV.
        let (status, _, bytes) = get_bytes(&c, "/observatoire/export/zones.csv").await;
        assert_eq!(status, 200);
        let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
        let mut r = csv::ReaderBuilder::new()
            .delimiter(b';')
            .from_reader(text.as_bytes());
        let header: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
        let col = |name: &str| {
            header
                .iter()
                .position(|h| h == name)
                .unwrap_or_else(|| panic!("{name} in {header:?}"))
        };
        let (code, kind, zonage_code, zonage_label, arrete) = (
            col("Code"),
            col("Type de zone"),
            col("Zonage médecins ARS (code)"),
            col("Zonage médecins ARS"),
            col("Date de l'arrêté du zonage"),
        );
        let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
        let row = |k: &str, c: &str| {
            rows.iter()
                .find(|r| &r[kind] == k && &r[code] == c)
                .unwrap()
        };
        let commune = row("commune", COMMUNE);
        assert_eq!(
            (
                &commune[zonage_code],
                &commune[zonage_label],
                &commune[arrete]
            ),
            ("ZAC", "Zone d'action complémentaire", "2025-03-12")
        );
        assert_eq!(&row("qpv", QPV)[zonage_code], "ZIP");
        // Zones without a zonage leave the columns empty.
        assert!(
            rows.iter()
                .filter(|r| &r[kind] == "iris")
                .all(|r| r[zonage_code].is_empty())
        );
        server.stop().await;
    }
}

#[tokio::test]
async fn an_account_of_another_commune_sees_no_zonage() {
    let dir = tempfile::tempdir().unwrap();
    let base = TestBase::sqlite();
    let store = common::demo_store(&base).await;
    let file = dir.path().join("zonage-cartosante-fixture-non-reelle.csv");
    std::fs::write(
        &file,
        format!("Code;Libellé;Zonage_MG\n{COMMUNE};Bellerive;1_ZIP\n"),
    )
    .unwrap();
    zonage::import(
        &store,
        &file,
        &ZonageColumns::default(),
        Some("2025-03-12"),
        &Silent,
    )
    .await
    .unwrap();
    let form = maillage_web::users::UserForm {
        identifier: "voisin".into(),
        display_name: "Commune voisine".into(),
        password: common::PASSWORD.into(),
        roles: [Role::Observatoire].into_iter().collect(),
        territories: ["99102".to_string()].into_iter().collect(),
        all_territories: false,
    };
    maillage_web::users::create(&store, &maillage_web::audit::Actor::command_line(), &form)
        .await
        .unwrap();
    let server = Server::start_on(store, base.backend, Config::default()).await;
    let mut c = server.client();
    c.login_ok("voisin").await;
    let (status, _, bytes) = get_bytes(&c, "/api/v1/geo/zonage").await;
    assert_eq!(status, 200);
    let layer: Value = serde_json::from_slice(&bytes).unwrap();
    assert!(layer["features"].as_array().unwrap().is_empty(), "{layer}");
    server.stop().await;
}

//! E2SFCA with activity as supply and demand standardised by age, on a tiny FICTIONAL territory computed by
//! hand: two IRIS, two practices, three GPs, two road nodes. Then the comparison with the DREES APL: absent
//! (the output says how to get it), then imported in the same unit (direct difference).

use geo::{MultiPolygon, polygon};
use maillage_access::Decay;
use maillage_analysis::{
    AccessibilityRequest, DemandMeasure, NEED_WEIGHTS, Network, SupplyMeasure, accessibility,
};
use maillage_demo::model::{COMMUNE_CODE, DemoProfessional, DemoSite, DemoTerritory, DemoZone, at};
use maillage_store::Store;
use maillage_store::imports::{Silent, apl};
use maillage_testkit::TestBase;

/// A square of 1 km around a point `x_km`, `y_km` from the fictional town's centre.
fn square(x: f64, y: f64) -> MultiPolygon<f64> {
    let (a, b) = at(x - 0.5, y - 0.5);
    let (c, d) = at(x + 0.5, y + 0.5);
    MultiPolygon(vec![
        polygon![(x: a, y: b), (x: c, y: b), (x: c, y: d), (x: a, y: d), (x: a, y: b)],
    ])
}

fn iris(code: &str, x: f64, bands: [f64; 6]) -> DemoZone {
    DemoZone {
        kind: "iris",
        code: code.into(),
        name: format!("IRIS {code} (fictif)"),
        parent_code: Some(COMMUNE_CODE.into()),
        geometry: Some(square(x, 0.0)),
        population: Some(bands.iter().sum()),
        bands: NEED_WEIGHTS
            .iter()
            .zip(bands)
            .map(|((band, _, _), v)| (band.to_string(), v))
            .collect(),
        iris_type: Some("H"),
        iris: vec![],
    }
}

fn site(key: &str, x: f64) -> DemoSite {
    DemoSite {
        key: key.into(),
        name: format!("Cabinet {key} (fictif)"),
        number: "1".into(),
        street: "rue de l'Essai".into(),
        commune_code: COMMUNE_CODE.into(),
        commune_name: "Bellerive-sur-Clain (fictive)".into(),
        postcode: "99100".into(),
        position: at(x, 0.0),
        finess: None,
    }
}

fn gp(id: u64, sites: &[&str], acts: Option<(f64, f64)>) -> DemoProfessional {
    DemoProfessional {
        national_id: format!("8{:011}", 99_800_000_000u64 + id),
        civility: "MME",
        last_name: format!("ESSAI{id}"),
        first_name: "Camille".into(),
        profession: "medecin_generaliste",
        profession_code: "10",
        profession_label: "Médecin",
        skill: Some(("SM54", "Médecine générale")),
        mode: "L",
        sector: "SA07",
        sites: sites.iter().map(|s| s.to_string()).collect(),
        birth_year: None,
        planned_retirement_year: None,
        accepting_new_patients: None,
        yearly_acts: acts,
    }
}

/// IRIS 1 at the node 1 (town centre), IRIS 2 at the node 2, 6 km east, 12 minutes apart by road.
/// Cabinet A at node 1, cabinet B at node 2. GP 1 at A (4,500 consultations + 500 visits), GP 2 at A and B
/// (3,600 + 400), GP 3 at B with no activity given.
fn tiny() -> DemoTerritory {
    let town = DemoZone {
        kind: "commune",
        code: COMMUNE_CODE.into(),
        name: "Bellerive-sur-Clain (fictive)".into(),
        parent_code: None,
        geometry: Some(MultiPolygon(
            square(0.0, 0.0)
                .0
                .into_iter()
                .chain(square(6.0, 0.0).0)
                .collect(),
        )),
        population: Some(3000.0),
        bands: vec![],
        iris_type: None,
        iris: vec![],
    };
    let (lon1, lat1) = at(0.0, 0.0);
    let (lon2, lat2) = at(6.0, 0.0);
    DemoTerritory {
        seed: 1,
        population_vintage: 2021,
        zones: vec![
            town,
            // 0–14, 15–29, 30–44, 45–59, 60–74, 75+
            iris("991010001", 0.0, [200.0, 200.0, 200.0, 200.0, 100.0, 100.0]),
            iris("991010002", 6.0, [800.0, 600.0, 400.0, 200.0, 0.0, 0.0]),
        ],
        sites: vec![site("A", 0.0), site("B", 6.0)],
        professionals: vec![
            gp(1, &["A"], Some((4500.0, 500.0))),
            gp(2, &["A", "B"], Some((3600.0, 400.0))),
            gp(3, &["B"], None),
        ],
        establishments: vec![],
        road_nodes: vec![(1, lon1, lat1), (2, lon2, lat2)],
        road_edges: vec![(1, 2, 720_000), (2, 1, 720_000)],
        basemap: vec![],
    }
}

fn request() -> AccessibilityRequest {
    AccessibilityRequest {
        profession: "medecin_generaliste".into(),
        decay: Decay::drees_gp(),
        max_minutes: 20.0,
        supply: SupplyMeasure::Activity,
        demand: DemandMeasure::AgeStandardised,
        network: Network::Stored,
        max_snap_m: 1000.0,
    }
}

/// By hand. Need weights 0.80, 0.70, 0.85, 1.00, 1.30, 1.80:
///   D1 = 200×0.8 + 200×0.7 + 200×0.85 + 200×1 + 100×1.3 + 100×1.8 = 980 standardised inhabitants;
///   D2 = 800×0.8 + 600×0.7 + 400×0.85 + 200×1 = 1,600.
/// Supply (acts of the year, GP 2 split half and half, GP 3 excluded): S_A = 5,000 + 2,000 = 7,000; S_B = 2,000.
/// Weights (DREES steps): 0 min → 1; 12 min → 2/3.
///   R_A = 7,000 / (980 + 2/3 × 1,600) = 21,000 / 6,140 = 3.420195…
///   R_B = 2,000 / (2/3 × 980 + 1,600) = 6,000 / 6,760 = 0.887574…
///   A_1 = R_A + 2/3 R_B = 4.011911…;  A_2 = 2/3 R_A + R_B = 3.167704…
///   commune = (1,000 A_1 + 2,000 A_2) / 3,000 = 3.449106… consultations per year per standardised inhabitant.
#[tokio::test]
async fn activity_supply_and_standardised_demand_by_hand() {
    let r_a: f64 = 21_000.0 / 6_140.0;
    let r_b: f64 = 6_000.0 / 6_760.0;
    let a1 = r_a + 2.0 / 3.0 * r_b;
    let a2 = 2.0 / 3.0 * r_a + r_b;
    let commune = (1_000.0 * a1 + 2_000.0 * a2) / 3_000.0;
    assert!((a1 - 4.011_911).abs() < 1e-6 && (a2 - 3.167_704).abs() < 1e-6);
    assert!((commune - 3.449_106).abs() < 1e-6);

    let dir = tempfile::tempdir().unwrap();
    for base in TestBase::all().await {
        let store = Store::open(&base.location).await.unwrap();
        maillage_demo::write(&store, &tiny()).await.unwrap();
        let r = accessibility(&store, &request(), maillage_messages::analysis::wording)
            .await
            .unwrap();
        let value = |kind: &str, code: &str| {
            r.results
                .iter()
                .find(|x| x.zone_kind == kind && x.zone_code == code)
                .and_then(|x| x.value)
                .unwrap()
        };
        assert!(
            (value("iris", "991010001") - a1).abs() < 1e-9,
            "{}",
            base.backend
        );
        assert!((value("iris", "991010002") - a2).abs() < 1e-9);
        assert!((value("commune", COMMUNE_CODE) - commune).abs() < 1e-9);
        // Aggregation weights are resident inhabitants, not standardised ones.
        let town = r.results.iter().find(|x| x.zone_kind == "commune").unwrap();
        assert_eq!(town.population, Some(3000.0));

        assert_eq!(
            r.unit,
            "consultations et visites par an et par habitant standardisé"
        );
        assert_eq!(r.professionals_without_activity, Some(1));
        assert_eq!(r.zones_without_age_structure, Some(0));
        let m = &r.metadata;
        assert_eq!(m["methode"]["demande_totale"], 2580.0, "{m}");
        assert_eq!(m["methode"]["offre_totale"], 9000.0);
        let bands = m["standardisation"]["tranches"].as_array().unwrap();
        assert_eq!(bands.len(), 6);
        assert_eq!(bands[5]["tranche"], "75 ans et plus");
        assert_eq!(bands[5]["poids"], 1.8);
        assert!(bands.iter().all(|b| b["statut"] == "non vérifié"));
        assert_eq!(m["activite"]["professionnels_sans_activite"], 1);

        // No DREES APL yet: said, with where to find it and the command.
        let s = &r.comparaison_apl;
        assert!(!s.apl_importee);
        let message = s.message.as_deref().unwrap();
        assert!(message.contains("aucune APL de la DREES n'est importée"));
        assert!(message.contains("maillage import apl-drees"));
        assert!(message.contains("drees.solidarites-sante.gouv.fr"));
        assert!(r.apl.is_empty());

        // Imported: same unit (GPs, activity, standardised demand), so the difference is given.
        let xlsx = dir.path().join("APL-fixture-non-reelle.xlsx");
        apl_fixture(&xlsx, 3.1);
        apl::import(&store, &xlsx, "medecin_generaliste", &Silent)
            .await
            .unwrap();
        let r = accessibility(&store, &request(), maillage_messages::analysis::wording)
            .await
            .unwrap();
        let s = &r.comparaison_apl;
        assert!(s.apl_importee && s.unites_identiques && s.message.is_none());
        assert_eq!(s.communes_comparees, 1);
        assert_eq!(r.apl[0].indice_maillage, Some(100.0));
        assert_eq!(r.apl[0].rang_drees, Some(1.0));
        assert!((r.apl[0].difference.unwrap() - (commune - 3.1)).abs() < 1e-9);

        // Headcount supply: units differ, no difference, only indexes and ranks.
        let mut headcount = request();
        headcount.supply = SupplyMeasure::Headcount;
        headcount.demand = DemandMeasure::Population;
        let r = accessibility(&store, &headcount, maillage_messages::analysis::wording)
            .await
            .unwrap();
        assert_eq!(r.unit, "professionnels pour 100 000 habitants");
        assert!(!r.comparaison_apl.unites_identiques);
        assert_eq!(r.apl[0].difference, None);
        assert_eq!(r.apl[0].indice_drees, Some(100.0));
        assert_eq!(r.professionals_without_activity, None);
    }
}

/// A DREES APL workbook for the fictional town only (FIXTURE in the published layout, not real data).
fn apl_fixture(path: &std::path::Path, value: f64) {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet().set_name("APL 2023").unwrap();
    sheet
        .write(
            0,
            0,
            "APL aux médecins généralistes — fixture, pas des données réelles",
        )
        .unwrap();
    for (c, h) in [
        "Code commune INSEE",
        "Libellé de la commune",
        "APL aux médecins généralistes",
    ]
    .iter()
    .enumerate()
    {
        sheet.write(2, c as u16, *h).unwrap();
    }
    sheet.write(3, 0, COMMUNE_CODE).unwrap();
    sheet.write(3, 1, "Bellerive-sur-Clain (fictive)").unwrap();
    sheet.write(3, 2, value).unwrap();
    book.save(path).unwrap();
}

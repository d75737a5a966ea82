//! Accessibility and isochrones over the territory in the store: on the demonstration (stored network, both
//! backends), with the DREES APL beside it, and from a real OpenStreetMap extract.

use geo::polygon;
use maillage_access::Decay;
use maillage_analysis::{
    AccessibilityRequest, IsochroneRequest, Network, SupplyMeasure, accessibility,
    isochrones_around,
};
use maillage_store::imports::{self, Silent};
use maillage_store::{Store, accessibility as stored};
use maillage_testkit::{TestBase, shared_data};
use std::collections::HashMap;

fn request(profession: &str, network: Network) -> AccessibilityRequest {
    AccessibilityRequest {
        profession: profession.into(),
        decay: Decay::drees_gp(),
        max_minutes: 20.0,
        supply: SupplyMeasure::Headcount,
        demand: maillage_analysis::DemandMeasure::Population,
        network,
        max_snap_m: 1000.0,
    }
}

#[tokio::test]
async fn demo_accessibility_by_iris_quartier_and_commune() {
    for base in TestBase::all().await {
        let store = Store::open(&base.location).await.unwrap();
        maillage_demo::build(&store, 3).await.unwrap();
        let r = accessibility(
            &store,
            &request("medecin_generaliste", Network::Stored),
            maillage_messages::analysis::wording,
        )
        .await
        .unwrap();
        let iris: Vec<_> = r.results.iter().filter(|x| x.zone_kind == "iris").collect();
        assert_eq!(iris.len(), 30, "{}", base.backend);
        assert!(
            iris.iter()
                .all(|x| x.value.unwrap() > 0.0 && x.sites_reached > 0)
        );
        // Buffer communes (without IRIS) are demand zones too, flagged outside the territory.
        assert_eq!(
            r.results
                .iter()
                .filter(|x| x.zone_kind == "commune" && x.outside_territory)
                .count(),
            2
        );
        // Quartiers and the town are the population-weighted means of their IRIS.
        let by_code: HashMap<&str, (f64, f64)> = iris
            .iter()
            .map(|x| {
                (
                    x.zone_code.as_str(),
                    (x.value.unwrap(), x.population.unwrap()),
                )
            })
            .collect();
        let members = maillage_store::zones::quartier_members(&store)
            .await
            .unwrap();
        for q in r.results.iter().filter(|x| x.zone_kind == "quartier") {
            let m = &members[&q.zone_code];
            let (s, p) = m.iter().fold((0.0, 0.0), |(s, p), c| {
                (
                    s + by_code[c.as_str()].0 * by_code[c.as_str()].1,
                    p + by_code[c.as_str()].1,
                )
            });
            assert!(
                (q.value.unwrap() - s / p).abs() < 1e-9 * q.value.unwrap(),
                "{q:?}"
            );
        }
        let town = r
            .results
            .iter()
            .find(|x| x.zone_code == maillage_demo::model::COMMUNE_CODE)
            .unwrap();
        let (s, p) = iris.iter().fold((0.0, 0.0), |(s, p), x| {
            (
                s + x.value.unwrap() * x.population.unwrap(),
                p + x.population.unwrap(),
            )
        });
        assert!((town.value.unwrap() - s / p).abs() < 1e-9 * s / p);
        // The order of magnitude of a GP density: tens per 100,000 inhabitants within 20 minutes.
        assert!((20.0..200.0).contains(&town.value.unwrap()), "{town:?}");
        // Parameters and sources travel with the result.
        assert_eq!(r.metadata["profession"], "medecin_generaliste");
        assert!(
            r.metadata["reseau"]
                .as_str()
                .unwrap()
                .contains("réseau routier")
        );
        let (run, rows) = stored::latest_run(&store, "medecin_generaliste")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(run.id, r.run_id);
        assert_eq!(rows.len(), r.results.len());
    }
}

#[tokio::test]
async fn supply_across_the_border_counts() {
    let base = TestBase::sqlite();
    let store = Store::open(&base.location).await.unwrap();
    maillage_demo::build(&store, 3).await.unwrap();
    // The GPs practising in the two neighbouring communes are supply within reach of the town.
    let all = accessibility(
        &store,
        &request("medecin_generaliste", Network::Stored),
        maillage_messages::analysis::wording,
    )
    .await
    .unwrap();
    let m = &all.metadata["methode"];
    assert_eq!(m["sites_hors_territoire"], 4, "{m}");
    assert_eq!(m["zones_hors_territoire"], 2, "{m}");
    assert_eq!(
        m["offre_totale"], 48.0,
        "every GP of the territory and its buffer counts once: {m}"
    );
}

#[tokio::test]
async fn isochrones_are_nested_and_cover_more_people_with_time() {
    let base = TestBase::sqlite();
    let store = Store::open(&base.location).await.unwrap();
    maillage_demo::build(&store, 3).await.unwrap();
    let centre = maillage_demo::model::at(0.0, 0.0);
    let iso = isochrones_around(
        &store,
        &IsochroneRequest {
            label: "essai".into(),
            points: vec![centre],
            minutes: vec![2.0, 4.0, 8.0],
            network: Network::Stored,
        },
        maillage_messages::analysis::wording,
    )
    .await
    .unwrap();
    assert_eq!(iso.len(), 3);
    let pops: Vec<f64> = iso.iter().map(|i| i.population_covered.unwrap()).collect();
    assert!(
        pops[0] > 0.0 && pops[0] < pops[1] && pops[1] < pops[2],
        "{pops:?}"
    );
    assert!(pops[2] <= 60_400.0 + 7_800.0 + 5_400.0 + 1.0);
    let stored = stored::isochrones(&store).await.unwrap();
    assert!(stored.iter().filter(|i| i.label == "essai").count() == 3);
}

#[tokio::test]
async fn drees_apl_is_shown_beside_the_iris_computation() {
    let dir = tempfile::tempdir().unwrap();
    let xlsx = dir.path().join("APL_MG_2023.xlsx");
    {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet().set_name("APL 2023").unwrap();
        // Fixture in the DREES layout: title rows, then the header, then one row per commune.
        sheet
            .write(
                0,
                0,
                "Accessibilité potentielle localisée (APL) aux médecins généralistes — fixture",
            )
            .unwrap();
        for (c, h) in [
            "Code commune INSEE",
            "Libellé de la commune",
            "APL aux médecins généralistes",
            "APL aux médecins généralistes de moins de 65 ans",
            "Population standardisée 2021 pour la médecine générale",
        ]
        .iter()
        .enumerate()
        {
            sheet.write(2, c as u16, *h).unwrap();
        }
        sheet.write(3, 0, "99101").unwrap();
        sheet.write(3, 1, "Bellerive-sur-Clain (fictive)").unwrap();
        sheet.write(3, 2, 3.4).unwrap();
        sheet.write(3, 3, 2.9).unwrap();
        sheet.write(3, 4, 61_000.0).unwrap();
        sheet.write(4, 0, "01001").unwrap();
        sheet.write(4, 1, "L'Abergement-Clémenciat").unwrap();
        sheet.write(4, 2, 2.1).unwrap();
        sheet.write(4, 3, 1.8).unwrap();
        sheet.write(4, 4, 800.0).unwrap();
        book.save(&xlsx).unwrap();
    }
    let base = TestBase::sqlite();
    let store = Store::open(&base.location).await.unwrap();
    maillage_demo::build(&store, 3).await.unwrap();
    let imported = imports::apl::import(&store, &xlsx, "medecin_generaliste", &Silent)
        .await
        .unwrap();
    assert_eq!(
        (imported.counts.inserted, imported.counts.filtered),
        (1, 1),
        "{:?}",
        imported.counts
    );
    let again = imports::apl::import(&store, &xlsx, "medecin_generaliste", &Silent)
        .await
        .unwrap();
    assert_eq!(again.counts.unchanged, 1);
    let r = accessibility(
        &store,
        &request("medecin_generaliste", Network::Stored),
        maillage_messages::analysis::wording,
    )
    .await
    .unwrap();
    assert_eq!(r.apl.len(), 1);
    assert_eq!(r.apl[0].drees_apl, Some(3.4));
    assert_eq!(r.apl[0].drees_year, 2023);
    let town = r
        .results
        .iter()
        .find(|x| x.zone_kind == "commune" && x.zone_code == "99101")
        .unwrap();
    assert_eq!(r.apl[0].maillage, town.value);
}

/// From a real OpenStreetMap extract: zones and supply placed around Monaco, travel times by road.
#[tokio::test]
async fn from_an_openstreetmap_extract() {
    let Some(pbf) = shared_data("osm/monaco.osm.pbf") else {
        return;
    };
    use maillage_store::batch::Source;
    use maillage_store::session::ImportSession;
    use maillage_store::supply::{Activity, AnnuaireTables, PracticeSite, Professional};
    use maillage_store::zones::{self, ZoneKind, ZoneRecord};
    let base = TestBase::sqlite();
    let store = Store::open(&base.location).await.unwrap();
    let mut s = ImportSession::start(
        &store,
        Source {
            kind: "essai",
            file_name: "essai".into(),
            sha256: "0".repeat(64),
            vintage: None,
        },
    )
    .await
    .unwrap();
    // Four square "IRIS" of 600 m across the extract, west to east, and one far outside it.
    let squares = [
        (7.412, 43.731),
        (7.420, 43.735),
        (7.428, 43.739),
        (7.436, 43.745),
        (7.60, 43.90),
    ];
    for (i, (lon, lat)) in squares.iter().enumerate() {
        let zone = ZoneRecord {
            kind: ZoneKind::Iris,
            code: format!("99999000{i}"),
            name: format!("Zone {i}"),
            parent_code: Some("99999".into()),
            departement: None,
            attributes: serde_json::json!({}),
        };
        let (id, _) = zones::upsert(&mut s.tx, &zone, s.batch_id).await.unwrap();
        let d = 0.003;
        let g = geo::MultiPolygon(vec![
            polygon![(x: lon - d, y: lat - d), (x: lon + d, y: lat - d), (x: lon + d, y: lat + d), (x: lon - d, y: lat + d), (x: lon - d, y: lat - d)],
        ]);
        zones::set_geometry(&mut s.tx, id, &g, s.batch_id)
            .await
            .unwrap();
        zones::set_population(
            &mut s.tx,
            id,
            2021,
            "TOTAL",
            1000.0 + 100.0 * i as f64,
            s.batch_id,
        )
        .await
        .unwrap();
    }
    let mut t = AnnuaireTables::load(&mut s.tx, s.batch_id).await.unwrap();
    for (i, (lon, lat)) in [(7.4205, 43.7365), (7.4275, 43.7385)].iter().enumerate() {
        let site = PracticeSite {
            site_key: format!("SITE{i}"),
            position: Some((*lon, *lat)),
            commune_code: Some("99999".into()),
            ..Default::default()
        };
        t.sites
            .put(&mut s.tx, &site.site_key, site.values())
            .await
            .unwrap();
        let p = Professional {
            national_id: format!("8000{i}"),
            id_type: "8".into(),
            pp_id: format!("000{i}"),
            civility: None,
            last_name: "ESSAI".into(),
            first_name: None,
        };
        t.professionals
            .put(&mut s.tx, &p.national_id, p.values())
            .await
            .unwrap();
        let a = Activity {
            national_id: p.national_id.clone(),
            site_key: Some(site.site_key.clone()),
            profession_code: "10".into(),
            profession: Some("medecin_generaliste".into()),
            ..Default::default()
        };
        t.activities
            .put(&mut s.tx, &a.key(), a.values())
            .await
            .unwrap();
    }
    t.flush(&mut s.tx).await.unwrap();
    s.commit(None, serde_json::json!({})).await.unwrap();

    let r = accessibility(
        &store,
        &request(
            "medecin_generaliste",
            Network::Osm {
                path: pbf,
                profile: maillage_routing::Profile::Car,
            },
        ),
        maillage_messages::analysis::wording,
    )
    .await
    .unwrap();
    assert!(r.network.contains("monaco.osm.pbf"));
    let iris: Vec<_> = r.results.iter().filter(|x| x.zone_kind == "iris").collect();
    assert_eq!(
        iris.len(),
        4,
        "the zone far outside the extract is left out: {:?}",
        r.unsnapped
    );
    assert!(r.unsnapped.iter().any(|u| u.contains("999990004")));
    assert!(
        iris.iter()
            .all(|x| x.sites_reached == 2 && x.value.unwrap() > 0.0),
        "{iris:?}"
    );
    // Two GPs for 4,600 inhabitants all within reach: access per 100,000 is close to 2 / 4,600 × 100,000.
    let mean: f64 = iris
        .iter()
        .map(|x| x.value.unwrap() * x.population.unwrap())
        .sum::<f64>()
        / 4600.0;
    assert!((20.0..=44.0).contains(&mean), "{mean}");
}

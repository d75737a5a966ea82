//! The demonstration territory: what the issue promises, on every backend, identical for a seed.

use maillage_indicators::{Indicator, compute};
use maillage_store::zones::{self, ZoneKind};
use maillage_store::{Store, backup, observatory, roads, territory};
use maillage_testkit::TestBase;
use std::io::Read;

#[tokio::test]
async fn the_demo_is_a_realistic_fictional_town() {
    for base in TestBase::all().await {
        let store = Store::open(&base.location).await.unwrap();
        let summary = maillage_demo::build(&store, maillage_demo::DEFAULT_SEED)
            .await
            .unwrap();
        assert!(
            (55_000.0..=65_000.0).contains(&summary.population),
            "{summary:?}"
        );
        assert_eq!(summary.iris, 30);
        assert_eq!(summary.qpv, 2);
        assert!((250..=350).contains(&summary.professionals), "{summary:?}");

        let zones = zones::list(&store).await.unwrap();
        let commune = zones
            .iter()
            .find(|z| z.code == maillage_demo::model::COMMUNE_CODE)
            .unwrap();
        assert!(
            commune.name.contains("fictive"),
            "the name says it is fictional"
        );
        let iris_sum: f64 = zones
            .iter()
            .filter(|z| z.kind == ZoneKind::Iris)
            .filter_map(|z| z.population.as_ref())
            .map(|p| p.value)
            .sum();
        assert_eq!(
            iris_sum,
            commune.population.as_ref().unwrap().value,
            "the IRIS add up to the commune"
        );
        let quartier_sum: f64 = zones
            .iter()
            .filter(|z| z.kind == ZoneKind::Quartier)
            .filter_map(|z| z.population.as_ref())
            .map(|p| p.value)
            .sum();
        assert_eq!(
            quartier_sum, iris_sum,
            "quartiers are unions of IRIS covering the town"
        );

        let t = territory::load(&store).await.unwrap();
        assert_eq!(t.communes.len(), 1);
        assert_eq!(
            t.neighbours.len(),
            2,
            "both neighbours are in the buffer: {t:?}"
        );

        let network = roads::load(&store).await.unwrap().unwrap();
        assert!(network.nodes.len() > 2000 && network.edges.len() > 8000);

        // The two QPV are less well served than the rest of the town, for GPs.
        let rows = compute(&observatory::indicator_inputs(&store).await.unwrap());
        let ratio = rows
            .iter()
            .find(|r| r.indicator == Indicator::QpvRatio && r.profession == "medecin_generaliste")
            .and_then(|r| r.value)
            .unwrap();
        assert!(ratio < 1.0, "GP density ratio QPV / rest = {ratio}");
        // Pharmacies come from establishments.
        let pharmacies = rows
            .iter()
            .find(|r| {
                r.indicator == Indicator::Count
                    && r.profession == "pharmacie"
                    && r.zone_kind == "commune"
            })
            .unwrap();
        assert_eq!(pharmacies.value, Some(16.0));
        // Some GPs' ages are known, and some are 60 or over.
        let share = rows
            .iter()
            .find(|r| r.indicator == Indicator::Gp60PlusShare && r.zone_kind == "commune")
            .unwrap();
        assert!(
            share.denominator.unwrap() > 20.0 && share.value.unwrap() > 0.0,
            "{share:?}"
        );
    }
}

fn body(path: &std::path::Path) -> String {
    let mut text = String::new();
    flate2::read::GzDecoder::new(std::fs::File::open(path).unwrap())
        .read_to_string(&mut text)
        .unwrap();
    // Without the header (date) and the timestamps of batches and enrichment.
    text.lines()
        .skip(1)
        .map(|l| l.split("\"20").next().unwrap_or(l).to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

#[tokio::test]
async fn the_same_seed_gives_the_same_territory() {
    let dir = tempfile::tempdir().unwrap();
    let mut bodies = Vec::new();
    for i in 0..2 {
        let base = TestBase::sqlite();
        let store = Store::open(&base.location).await.unwrap();
        maillage_demo::build(&store, 7).await.unwrap();
        let file = dir.path().join(format!("{i}.gz"));
        backup::save(&store, &file).await.unwrap();
        bodies.push(body(&file));
    }
    assert_eq!(bodies[0], bodies[1]);
    let other = maillage_demo::generate(8);
    let same = maillage_demo::generate(7);
    assert_ne!(
        other.professionals[0].last_name.clone() + &other.sites[0].street,
        same.professionals[0].last_name.clone() + &same.sites[0].street
    );
}

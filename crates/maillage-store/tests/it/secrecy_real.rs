//! Figures of real territories add up, and their statistical secrecy holds: the Métropole de Lyon (EPCI
//! 200046977, 58 communes, Lyon in 9 arrondissements and 358 IRIS) from the real files of ../shared/data,
//! with supply generated over its real zones (no open extract of the Annuaire is available offline).

use maillage_indicators::{Indicator, IndicatorRow, Policy, Supply, compute, suppress};
use maillage_store::imports::{self, Silent};
use maillage_store::{Store, observatory, territory};
use maillage_testkit::secrecy::{Lcg, attack, narrow};
use maillage_testkit::{TestBase, shared_data, skip};
use std::collections::BTreeSet;

fn count<'a>(
    rows: &'a [IndicatorRow],
    kind: &str,
    code: &str,
    profession: &str,
) -> &'a IndicatorRow {
    rows.iter()
        .find(|r| {
            r.indicator == Indicator::Count
                && r.zone_kind == kind
                && r.zone_code == code
                && r.profession == profession
        })
        .unwrap_or_else(|| panic!("{kind} {code} {profession}"))
}

#[tokio::test]
async fn the_metropole_de_lyon_adds_up_and_its_secrecy_holds() {
    let (Some(communes), Some(epci), Some(iris)) = (
        shared_data("communes/decoupage_administratif_communes_2026.json"),
        shared_data("communes/decoupage_administratif_epci.json"),
        shared_data("iris_lyon/iris_lyon_metropole.geojson"),
    ) else {
        skip("données réelles ../shared/data (communes, EPCI, IRIS de Lyon) absentes");
        return;
    };
    let base = TestBase::sqlite();
    let store = Store::open(&base.location).await.unwrap();
    imports::communes::import(&store, &communes, None, &Silent)
        .await
        .unwrap();
    imports::communes::import(&store, &epci, None, &Silent)
        .await
        .unwrap();
    territory::define(&store, None, &[], &["200046977".into()], 0.0)
        .await
        .unwrap();
    imports::contours::import(&store, &iris, None, &Silent)
        .await
        .unwrap();

    let mut inputs = observatory::indicator_inputs(&store).await.unwrap();
    let kind_count = |k: &str| inputs.zones.iter().filter(|z| z.kind == k).count();
    assert_eq!(
        kind_count("epci"),
        1,
        "the Métropole, and no other EPCI of France"
    );
    assert_eq!(kind_count("commune"), 58);
    assert_eq!(kind_count("arrondissement"), 9);
    assert_eq!(kind_count("territoire"), 0, "the territory is the EPCI");
    let iris_ids: Vec<i64> = inputs
        .zones
        .iter()
        .filter(|z| z.kind == "iris")
        .map(|z| z.id)
        .collect();
    // The file's 358 IRIS but those of its few communes outside the Métropole.
    assert_eq!(iris_ids.len(), 355);

    // Supply: a few professionals in every IRIS of Lyon and every other commune, many small counts; places are
    // located as the store locates them (in an IRIS, or in a commune by its code).
    let mut rng = Lcg(2026);
    let with_iris: BTreeSet<i64> = inputs
        .nesting
        .iter()
        .filter(|n| iris_ids.contains(&n.inner))
        .map(|n| n.outer)
        .collect();
    let others: Vec<i64> = inputs
        .zones
        .iter()
        .filter(|z| z.kind == "commune" && !with_iris.contains(&z.id) && z.code != "69123")
        .map(|z| z.id)
        .collect();
    for (p, profession) in ["medecin_generaliste", "infirmier", "sage_femme"]
        .iter()
        .enumerate()
    {
        for &zone in iris_ids.iter().chain(&others) {
            for k in 0..rng.below(if p == 1 { 9 } else { 6 }) {
                inputs.supply.push(Supply {
                    who: format!("{profession}-{zone}-{k}"),
                    profession: profession.to_string(),
                    zones: BTreeSet::from([zone]),
                    birth_year: None,
                });
            }
        }
    }
    let truth = compute(&inputs);

    // Every level is the sum of the one below (nobody practises in two places here).
    for profession in ["medecin_generaliste", "infirmier", "sage_femme"] {
        let of_kind = |kind: &str, prefix: &str| -> f64 {
            truth
                .iter()
                .filter(|r| {
                    r.indicator == Indicator::Count
                        && r.zone_kind == kind
                        && r.zone_code.starts_with(prefix)
                        && r.profession == profession
                })
                .map(|r| r.value.unwrap())
                .sum()
        };
        let lyon = count(&truth, "commune", "69123", profession).value.unwrap();
        assert_eq!(lyon, of_kind("arrondissement", "6938"), "{profession}");
        assert_eq!(lyon, of_kind("iris", "6938"), "{profession}");
        let metropole = count(&truth, "epci", "200046977", profession);
        assert_eq!(
            metropole.value.unwrap(),
            of_kind("commune", ""),
            "{profession}"
        );
        assert!(metropole.value.unwrap() > 0.0);
    }
    let metropole_population = inputs
        .zones
        .iter()
        .find(|z| z.kind == "epci")
        .unwrap()
        .population;
    let communes_population: f64 = inputs
        .zones
        .iter()
        .filter(|z| z.kind == "commune")
        .filter_map(|z| z.population)
        .sum();
    assert_eq!(metropole_population, Some(communes_population));

    let mut published = truth.clone();
    let audit = suppress(&mut published, &inputs, &Policy::new(5));
    assert!(audit.passes());
    assert!(audit.checks.len() > 100, "{}", audit.checks.len());
    assert_eq!(attack(&published, &truth, &inputs), Vec::<String>::new());
    // No count below 5 is published, zero included, and no "< 5" can be narrowed from what is.
    assert_eq!(audit.shown_below_threshold, 0);
    assert_eq!(narrow(&published, &truth, &inputs, 5), Vec::<String>::new());
}

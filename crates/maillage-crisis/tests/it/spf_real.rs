//! The epidemic computations against Santé publique France figures as published (`../shared/data/covid_dep`,
//! see its SOURCE.txt): daily positives `P` by département from `cas_dep.csv`, read with the product's own SpF
//! reader.
//!
//! - The 7-day sliding mean of `P`, rounded to the unit, equals the file's `cas_glissant` on every row where the
//!   file gives one (and the file gives none where fewer than 7 days are known).
//! - `incidence_dep.csv` is `sum(P over 7 days) / pop × 100000` (SOURCE.txt): the population each row implies is
//!   one whole number per département, and the incidence recomputed from the counts with that population equals
//!   the published one on every row.

use jiff::civil::Date;
use maillage_crisis::epidemic::{self, Daily};
use maillage_formats::spf::{SpfDaily, read_spf};
use std::collections::BTreeMap;

fn day(s: &str) -> Date {
    s.parse().expect("ISO date")
}

fn indicator(row: &SpfDaily, name: &str) -> Option<f64> {
    row.indicators
        .iter()
        .find(|(n, _)| n == name)
        .and_then(|(_, v)| *v)
}

/// Daily series by département.
fn series(rows: &[SpfDaily]) -> BTreeMap<String, Vec<Daily>> {
    let mut by_dep: BTreeMap<String, Vec<Daily>> = BTreeMap::new();
    for r in rows {
        by_dep.entry(r.zone.clone()).or_default().push(Daily {
            day: day(&r.jour),
            positives: r.positives,
            tests: None,
        });
    }
    by_dep
}

#[test]
fn sliding_mean_of_daily_positives_is_the_published_cas_glissant() {
    let Some(path) = maillage_testkit::shared_data("covid_dep/cas_dep.csv") else {
        return;
    };
    let rows = read_spf(&path).expect("cas_dep.csv reads");
    assert_eq!(rows.len(), 76_128, "rows of cas_dep.csv (SOURCE.txt)");
    let computed: BTreeMap<(String, Date), Option<f64>> = series(&rows)
        .into_iter()
        .flat_map(|(dep, s)| {
            epidemic::compute(&s, None)
                .into_iter()
                .map(move |c| ((dep.clone(), c.day), c.mean_positives_7d))
        })
        .collect();
    let (mut compared, mut absent) = (0, 0);
    for r in &rows {
        let mean = computed[&(r.zone.clone(), day(&r.jour))];
        match indicator(r, "cas_glissant") {
            Some(published) => {
                let mean = mean.unwrap_or_else(|| {
                    panic!(
                        "{} {}: no 7-day window but the file has one",
                        r.zone, r.jour
                    )
                });
                assert_eq!(
                    mean.round(),
                    published,
                    "{} {} (line {}): mean {mean}",
                    r.zone,
                    r.jour,
                    r.line
                );
                compared += 1;
            }
            None => {
                assert!(
                    mean.is_none(),
                    "{} {}: the file has no mean, we computed {mean:?}",
                    r.zone,
                    r.jour
                );
                absent += 1;
            }
        }
    }
    // 104 départements × 6 first days without a full week.
    assert_eq!(absent, 104 * 6);
    assert_eq!(compared, 76_128 - 104 * 6);
    eprintln!(
        "cas_glissant : {compared} lignes identiques, {absent} sans moyenne (6 premiers jours)"
    );
}

#[test]
fn incidence_from_daily_positives_matches_incidence_dep_with_the_population_it_implies() {
    let (Some(cases), Some(incidence)) = (
        maillage_testkit::shared_data("covid_dep/cas_dep.csv"),
        maillage_testkit::shared_data("covid_dep/incidence_dep.csv"),
    ) else {
        return;
    };
    let by_dep = series(&read_spf(&cases).expect("cas_dep.csv reads"));
    let sums: BTreeMap<(String, Date), Option<f64>> = by_dep
        .iter()
        .flat_map(|(dep, s)| {
            epidemic::compute(s, None)
                .into_iter()
                .map(move |c| ((dep.clone(), c.day), c.positives_7d))
        })
        .collect();
    let published = read_spf(&incidence).expect("incidence_dep.csv reads");
    assert_eq!(published.len(), 64_584);

    // The population each row implies, per département: the same whole number on every row.
    let mut population: BTreeMap<String, f64> = BTreeMap::new();
    for r in &published {
        let (Some(rate), Some(Some(p7))) = (
            indicator(r, "taux_incid_glissant"),
            sums.get(&(r.zone.clone(), day(&r.jour))),
        ) else {
            continue;
        };
        let Some(implied) = epidemic::implied_population(*p7, rate) else {
            continue;
        };
        let pop = population
            .entry(r.zone.clone())
            .or_insert_with(|| implied.round());
        assert!(
            (implied - *pop).abs() < 1e-6 * *pop,
            "{} {}: implied population {implied} differs from {pop}",
            r.zone,
            r.jour
        );
    }
    assert_eq!(
        population.len(),
        104,
        "every département implies a population"
    );

    // Recomputed with that population, every published incidence is found again.
    let mut compared = 0;
    for r in &published {
        let Some(rate) = indicator(r, "taux_incid_glissant") else {
            continue;
        };
        let p7 = sums[&(r.zone.clone(), day(&r.jour))]
            .expect("a full week of counts before every published rate");
        let ours = epidemic::incidence(p7, population[&r.zone]).expect("population > 0");
        assert!(
            (ours - rate).abs() <= 1e-9 * rate.max(1.0),
            "{} {} (line {}): {ours} recomputed, {rate} published",
            r.zone,
            r.jour,
            r.line
        );
        compared += 1;
    }
    assert_eq!(compared, 64_584);
    // Sanity: the Rhône (69) has about 1.9 million inhabitants.
    assert!(
        (1_800_000.0..2_000_000.0).contains(&population["69"]),
        "{}",
        population["69"]
    );
    eprintln!("incidence : {compared} taux identiques pour 104 départements");
}

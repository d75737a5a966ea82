//! Epidemic indicators from daily counts (docs/produit.md §5.4), the way Santé publique France computes them:
//!
//! - taux d'incidence: positive people over 7 sliding days × 100,000 / population;
//! - taux de positivité: positive tests / tests over 7 sliding days × 100;
//! - taux de dépistage: tests over 7 sliding days × 100,000 / population.
//!
//! The 7 days end on the day shown and include it. A window with a missing day has no value: the figure is not
//! guessed. Thresholds are settings (autumn 2020 used 50, 150 and 250 per 100,000 for incidence).

use crate::CrisisError;
use jiff::ToSpan;
use jiff::civil::Date;
use std::collections::BTreeMap;

/// The window of the sliding indicators, in days.
pub const WINDOW_DAYS: i64 = 7;

/// One day of counts for one zone.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Daily {
    pub day: Date,
    /// Positive people (`P`).
    pub positives: Option<f64>,
    /// Tests performed (`T`).
    pub tests: Option<f64>,
}

/// The indicators of one day.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Computed {
    pub day: Date,
    /// Positives over the 7 days ending on `day`.
    pub positives_7d: Option<f64>,
    pub tests_7d: Option<f64>,
    /// Mean daily positives over the 7 days (what SpF files call `cas_glissant` once rounded).
    pub mean_positives_7d: Option<f64>,
    pub incidence: Option<f64>,
    pub positivity: Option<f64>,
    pub screening: Option<f64>,
}

/// The sum of a value over the `window` days ending on `day` (None when a day is missing or has no value).
fn window_sum(values: &BTreeMap<Date, Option<f64>>, day: Date, window: i64) -> Option<f64> {
    let mut sum = 0.0;
    for k in 0..window {
        let d = day.checked_sub(k.days()).ok()?;
        sum += (*values.get(&d)?)?;
    }
    Some(sum)
}

/// Sliding sums over `window` days, for each day of `values` (days are dates, not positions: a gap in the dates
/// leaves the windows that span it empty).
pub fn sliding_sums(
    values: &BTreeMap<Date, Option<f64>>,
    window: i64,
) -> BTreeMap<Date, Option<f64>> {
    values
        .keys()
        .map(|d| (*d, window_sum(values, *d, window)))
        .collect()
}

/// Incidence per 100,000 from positives over 7 days.
pub fn incidence(positives_7d: f64, population: f64) -> Option<f64> {
    (population > 0.0).then(|| positives_7d * 100_000.0 / population)
}

/// Positivity in percent.
pub fn positivity(positives_7d: f64, tests_7d: f64) -> Option<f64> {
    (tests_7d > 0.0).then(|| positives_7d * 100.0 / tests_7d)
}

/// Screening rate per 100,000.
pub fn screening(tests_7d: f64, population: f64) -> Option<f64> {
    (population > 0.0).then(|| tests_7d * 100_000.0 / population)
}

/// The indicators of every day of a zone's series. `population` may be None (no incidence nor screening then).
pub fn compute(series: &[Daily], population: Option<f64>) -> Vec<Computed> {
    let p: BTreeMap<Date, Option<f64>> = series.iter().map(|d| (d.day, d.positives)).collect();
    let t: BTreeMap<Date, Option<f64>> = series.iter().map(|d| (d.day, d.tests)).collect();
    p.keys()
        .map(|day| {
            let p7 = window_sum(&p, *day, WINDOW_DAYS);
            let t7 = window_sum(&t, *day, WINDOW_DAYS);
            let pop = population.filter(|v| *v > 0.0);
            Computed {
                day: *day,
                positives_7d: p7,
                tests_7d: t7,
                mean_positives_7d: p7.map(|s| s / WINDOW_DAYS as f64),
                incidence: p7.zip(pop).and_then(|(s, n)| incidence(s, n)),
                positivity: p7.zip(t7).and_then(|(s, t)| positivity(s, t)),
                screening: t7.zip(pop).and_then(|(s, n)| screening(s, n)),
            }
        })
        .collect()
}

/// The population a published incidence implies: positives over 7 days × 100,000 / incidence (None for a zero
/// incidence, which implies nothing).
pub fn implied_population(positives_7d: f64, incidence: f64) -> Option<f64> {
    (incidence > 0.0).then(|| positives_7d * 100_000.0 / incidence)
}

/// How far the population the rates use is from Santé publique France's own (fixed) population, in percent
/// of SpF's: (used − SpF) / SpF × 100. SpF divides by that fixed population, so its published rates differ
/// from the recomputed ones by about this much, the other way round.
pub fn population_gap_percent(used: f64, spf: f64) -> Option<f64> {
    (spf > 0.0 && used.is_finite()).then(|| (used - spf) * 100.0 / spf)
}

/// Alert thresholds: increasing values; a value at or above the k-th threshold is at level k.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Thresholds {
    /// Per 100,000 over 7 days.
    pub incidence: Vec<f64>,
    /// Percent.
    pub positivity: Vec<f64>,
}

impl Default for Thresholds {
    /// Incidence 50 (alerte), 150 (alerte renforcée), 250 (alerte maximale) as in autumn 2020; positivity 5 % and
    /// 10 %, the levels the same plans watched.
    fn default() -> Self {
        Thresholds {
            incidence: vec![50.0, 150.0, 250.0],
            positivity: vec![5.0, 10.0],
        }
    }
}

impl Thresholds {
    /// Checks that both lists are increasing positive numbers.
    pub fn check(&self) -> Result<(), CrisisError> {
        for (field, list) in [
            ("seuils_incidence", &self.incidence),
            ("seuils_positivite", &self.positivity),
        ] {
            let ok = list.len() <= 6
                && list.iter().all(|v| v.is_finite() && *v > 0.0)
                && list.windows(2).all(|w| w[0] < w[1]);
            if !ok {
                return Err(CrisisError::InvalidThresholds { field });
            }
        }
        Ok(())
    }
}

/// How many thresholds a value reaches (0: below the first).
pub fn level(value: f64, thresholds: &[f64]) -> usize {
    thresholds.iter().take_while(|t| value >= **t).count()
}

/// The direction of a series over a week.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Trend {
    Hausse,
    Stable,
    Baisse,
}

/// Compares a value with the value a week before: more than 10 % up or down is a trend, less is stable.
pub fn trend(now: f64, week_before: f64) -> Trend {
    if week_before <= 0.0 {
        return if now > 0.0 {
            Trend::Hausse
        } else {
            Trend::Stable
        };
    }
    let ratio = now / week_before;
    if ratio > 1.1 {
        Trend::Hausse
    } else if ratio < 0.9 {
        Trend::Baisse
    } else {
        Trend::Stable
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn day(n: i64, p: f64, t: f64) -> Daily {
        Daily {
            day: date(2020, 9, 1).checked_add(n.days()).unwrap(),
            positives: Some(p),
            tests: Some(t),
        }
    }

    #[test]
    fn seven_day_rates_from_counts() {
        // 10 positives a day out of 200 tests, population 140,000: 70 / 7 days.
        let series: Vec<Daily> = (0..10).map(|n| day(n, 10.0, 200.0)).collect();
        let c = compute(&series, Some(140_000.0));
        assert_eq!(c.len(), 10);
        assert!(
            c[..6]
                .iter()
                .all(|d| d.incidence.is_none() && d.positivity.is_none())
        );
        let d = c[6];
        assert_eq!(d.positives_7d, Some(70.0));
        assert_eq!(d.incidence, Some(50.0));
        assert_eq!(d.positivity, Some(5.0));
        assert_eq!(d.screening, Some(1000.0));
        assert_eq!(d.mean_positives_7d, Some(10.0));
        assert_eq!(level(50.0, &Thresholds::default().incidence), 1);
        assert_eq!(level(49.9, &Thresholds::default().incidence), 0);
        assert_eq!(level(300.0, &Thresholds::default().incidence), 3);
    }

    #[test]
    fn a_missing_day_empties_the_windows_that_span_it() {
        let mut series: Vec<Daily> = (0..14).map(|n| day(n, 1.0, 10.0)).collect();
        series.remove(8);
        let c = compute(&series, Some(1000.0));
        let by_day: BTreeMap<Date, Computed> = c.into_iter().map(|d| (d.day, d)).collect();
        let on = |n: i64| by_day[&date(2020, 9, 1).checked_add(n.days()).unwrap()];
        assert!(on(7).incidence.is_some());
        for n in [9, 10, 11, 12, 13] {
            assert!(on(n).incidence.is_none(), "day {n}");
        }
        // No tests on a day: no positivity, but incidence is still computed.
        let mut s2: Vec<Daily> = (0..7).map(|n| day(n, 2.0, 10.0)).collect();
        s2[3].tests = None;
        let last = *compute(&s2, Some(1000.0)).last().unwrap();
        assert_eq!((last.incidence, last.positivity), (Some(1400.0), None));
        // Zero tests over the week: positivity undefined rather than infinite.
        assert_eq!(positivity(0.0, 0.0), None);
        assert_eq!(incidence(5.0, 0.0), None);
    }

    #[test]
    fn thresholds_and_trends() {
        assert!(Thresholds::default().check().is_ok());
        assert!(
            Thresholds {
                incidence: vec![150.0, 50.0],
                positivity: vec![]
            }
            .check()
            .is_err()
        );
        assert!(
            Thresholds {
                incidence: vec![0.0],
                positivity: vec![]
            }
            .check()
            .is_err()
        );
        assert_eq!(trend(120.0, 100.0), Trend::Hausse);
        assert_eq!(trend(105.0, 100.0), Trend::Stable);
        assert_eq!(trend(80.0, 100.0), Trend::Baisse);
        assert_eq!(trend(0.0, 0.0), Trend::Stable);
    }

    #[test]
    fn population_gap_is_relative_to_spf() {
        let gap = population_gap_percent(112_345.0, 110_000.0).unwrap();
        assert!((gap - 2_345.0 * 100.0 / 110_000.0).abs() < 1e-12);
        assert!(population_gap_percent(90.0, 100.0).unwrap() < 0.0);
        assert_eq!(population_gap_percent(100.0, 0.0), None);
    }
}

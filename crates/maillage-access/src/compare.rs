//! Comparing two accessibility measures of the same zones when their units may differ (Maillage's E2SFCA
//! against the DREES APL): values in different units are never set side by side. Each is turned into forms
//! that compare whatever the unit — an index against the population-weighted mean of the zones compared
//! (= 100), the rank of each zone (1 = best access) — and the agreement of the two rankings is measured by
//! Spearman's rank correlation. When the units are the same, the direct difference is given as well.

use serde::Serialize;

/// One zone with both values and the population that weights the means.
#[derive(Debug, Clone, PartialEq)]
pub struct Paired {
    pub id: String,
    pub population: f64,
    pub first: f64,
    pub second: f64,
}

/// One zone compared.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ComparedZone {
    pub id: String,
    /// Value ÷ population-weighted mean × 100; `None` when the mean is 0.
    #[serde(rename = "indice_premier")]
    pub first_index: Option<f64>,
    #[serde(rename = "indice_second")]
    pub second_index: Option<f64>,
    /// 1 = the highest value; tied zones share the mean of their ranks.
    #[serde(rename = "rang_premier")]
    pub first_rank: f64,
    #[serde(rename = "rang_second")]
    pub second_rank: f64,
    /// `first − second`, only when both are in the same unit.
    #[serde(rename = "difference")]
    pub difference: Option<f64>,
}

/// The comparison of all the zones given.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    #[serde(rename = "zones")]
    pub zones: Vec<ComparedZone>,
    #[serde(rename = "moyenne_ponderee_premier")]
    pub first_mean: Option<f64>,
    #[serde(rename = "moyenne_ponderee_second")]
    pub second_mean: Option<f64>,
    /// Spearman's rank correlation (Pearson's on the ranks, ties averaged); `None` below 3 zones or when
    /// one of the measures is the same everywhere.
    #[serde(rename = "correlation_rangs_spearman")]
    pub spearman: Option<f64>,
}

/// Compares the zones that have both values (non-finite values and negative populations are left out by the
/// caller's duty; zones with a zero population count in the ranks, not in the means).
pub fn compare(zones: &[Paired], same_unit: bool) -> Comparison {
    let weighted_mean = |value: &dyn Fn(&Paired) -> f64| {
        let population: f64 = zones.iter().map(|z| z.population).sum();
        (population > 0.0)
            .then(|| zones.iter().map(|z| value(z) * z.population).sum::<f64>() / population)
    };
    let first_mean = weighted_mean(&|z| z.first);
    let second_mean = weighted_mean(&|z| z.second);
    let first_ranks = ranks(&zones.iter().map(|z| z.first).collect::<Vec<_>>());
    let second_ranks = ranks(&zones.iter().map(|z| z.second).collect::<Vec<_>>());
    let index = |v: f64, mean: Option<f64>| mean.filter(|m| *m != 0.0).map(|m| v / m * 100.0);
    let compared = zones
        .iter()
        .enumerate()
        .map(|(i, z)| ComparedZone {
            id: z.id.clone(),
            first_index: index(z.first, first_mean),
            second_index: index(z.second, second_mean),
            first_rank: first_ranks[i],
            second_rank: second_ranks[i],
            difference: same_unit.then_some(z.first - z.second),
        })
        .collect();
    let spearman = if zones.len() >= 3 {
        pearson(&first_ranks, &second_ranks)
    } else {
        None
    };
    Comparison {
        zones: compared,
        first_mean,
        second_mean,
        spearman,
    }
}

/// Ranks in decreasing order of value (1 = highest), ties sharing the mean of the ranks they span.
pub fn ranks(values: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| values[b].total_cmp(&values[a]));
    let mut out = vec![0.0; values.len()];
    let mut start = 0;
    while start < order.len() {
        let mut end = start + 1;
        while end < order.len() && values[order[end]] == values[order[start]] {
            end += 1;
        }
        // Positions start..end hold ranks start+1..=end: their mean.
        let shared = (start + 1 + end) as f64 / 2.0;
        for &i in &order[start..end] {
            out[i] = shared;
        }
        start = end;
    }
    out
}

fn pearson(a: &[f64], b: &[f64]) -> Option<f64> {
    let n = a.len() as f64;
    let (ma, mb) = (a.iter().sum::<f64>() / n, b.iter().sum::<f64>() / n);
    let (mut cov, mut va, mut vb) = (0.0, 0.0, 0.0);
    for (x, y) in a.iter().zip(b) {
        cov += (x - ma) * (y - mb);
        va += (x - ma).powi(2);
        vb += (y - mb).powi(2);
    }
    (va > 0.0 && vb > 0.0).then(|| cov / (va * vb).sqrt())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zone(id: &str, population: f64, first: f64, second: f64) -> Paired {
        Paired {
            id: id.into(),
            population,
            first,
            second,
        }
    }

    /// Four communes, by hand:
    /// populations 1000, 3000, 2000, 4000 (total 10 000);
    /// first (per 100 000): 80, 60, 100, 40 → weighted mean (80 000 + 180 000 + 200 000 + 160 000) / 10 000 = 62;
    /// second (consultations): 4, 3, 3.5, 2 → weighted mean (4 000 + 9 000 + 7 000 + 8 000) / 10 000 = 2.8;
    /// indexes: first 129.03, 96.77, 161.29, 64.52; second 142.86, 107.14, 125, 71.43;
    /// ranks: first C=1, A=2, B=3, D=4; second A=1, C=2, B=3, D=4;
    /// d = (A: 2−1, B: 0, C: 1−2, D: 0) → Σd² = 2, ρ = 1 − 6·2 / (4·15) = 0.8.
    #[test]
    fn index_rank_and_spearman_by_hand() {
        let zones = [
            zone("A", 1000.0, 80.0, 4.0),
            zone("B", 3000.0, 60.0, 3.0),
            zone("C", 2000.0, 100.0, 3.5),
            zone("D", 4000.0, 40.0, 2.0),
        ];
        let c = compare(&zones, false);
        assert!((c.first_mean.unwrap() - 62.0).abs() < 1e-12);
        assert!((c.second_mean.unwrap() - 2.8).abs() < 1e-12);
        let index: Vec<(f64, f64)> = c
            .zones
            .iter()
            .map(|z| (z.first_index.unwrap(), z.second_index.unwrap()))
            .collect();
        let expected = [
            (8000.0 / 62.0, 400.0 / 2.8),
            (6000.0 / 62.0, 300.0 / 2.8),
            (10000.0 / 62.0, 350.0 / 2.8),
            (4000.0 / 62.0, 200.0 / 2.8),
        ];
        for (got, want) in index.iter().zip(expected) {
            assert!((got.0 - want.0).abs() < 1e-9 && (got.1 - want.1).abs() < 1e-9);
        }
        assert!((c.zones[0].first_index.unwrap() - 129.032_258).abs() < 1e-6);
        assert_eq!(
            c.zones.iter().map(|z| z.first_rank).collect::<Vec<_>>(),
            [2.0, 3.0, 1.0, 4.0]
        );
        assert_eq!(
            c.zones.iter().map(|z| z.second_rank).collect::<Vec<_>>(),
            [1.0, 3.0, 2.0, 4.0]
        );
        assert!((c.spearman.unwrap() - 0.8).abs() < 1e-12);
        assert!(c.zones.iter().all(|z| z.difference.is_none()));
    }

    #[test]
    fn same_unit_adds_the_difference_and_ties_share_ranks() {
        let zones = [
            zone("A", 100.0, 3.0, 2.5),
            zone("B", 100.0, 3.0, 4.0),
            zone("C", 100.0, 1.0, 1.0),
        ];
        let c = compare(&zones, true);
        assert_eq!(
            c.zones.iter().map(|z| z.first_rank).collect::<Vec<_>>(),
            [1.5, 1.5, 3.0]
        );
        assert_eq!(c.zones[0].difference, Some(0.5));
        assert_eq!(c.zones[1].difference, Some(-1.0));
        // Ranks first (1.5, 1.5, 3), second (2, 1, 3): Pearson on ranks = 1.5 / √(1.5 × 2) = 0.866…
        assert!((c.spearman.unwrap() - 1.5 / 3f64.sqrt()).abs() < 1e-12);
    }

    #[test]
    fn too_few_zones_or_a_flat_measure_give_no_correlation() {
        assert_eq!(
            compare(&[zone("A", 1.0, 1.0, 2.0), zone("B", 1.0, 2.0, 1.0)], false).spearman,
            None
        );
        let flat = [
            zone("A", 1.0, 1.0, 2.0),
            zone("B", 1.0, 1.0, 3.0),
            zone("C", 1.0, 1.0, 1.0),
        ];
        assert_eq!(compare(&flat, false).spearman, None);
    }
}

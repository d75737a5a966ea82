//! Classes of a choropleth: quantiles (as many zones in each class) or Jenks natural breaks (Fisher's exact
//! optimisation: least variance within classes). Computed on the server, so the map, its legend and the table
//! that replaces the map without JavaScript show the very same classes.

use maillage_web_kit::layout::number;

/// How class bounds are chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Quantiles,
    Jenks,
}

impl Method {
    pub fn parse(s: &str) -> Option<Method> {
        match s {
            "quantiles" => Some(Method::Quantiles),
            "jenks" => Some(Method::Jenks),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Method::Quantiles => "quantiles",
            Method::Jenks => "jenks",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Method::Quantiles => "Quantiles (autant de zones par classe)",
            Method::Jenks => "Seuils naturels de Jenks (classes homogènes)",
        }
    }
}

/// Fewest and most classes offered.
pub const MIN_CLASSES: usize = 2;
pub const MAX_CLASSES: usize = 7;

/// One class: values in `(lower, upper]`, the first one also holding `lower` itself.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Class {
    pub lower: f64,
    pub upper: f64,
    /// How many of the classified values fall in it.
    pub count: usize,
}

/// Classes of `values` (NaN ignored): at most `wanted`, fewer when there are fewer distinct values.
pub fn classify(values: &[f64], wanted: usize, method: Method) -> Vec<Class> {
    let mut sorted: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    if sorted.is_empty() {
        return Vec::new();
    }
    sorted.sort_by(f64::total_cmp);
    let mut distinct = sorted.clone();
    distinct.dedup();
    let k = wanted.clamp(1, MAX_CLASSES).min(distinct.len());
    let uppers = match method {
        _ if k == 1 => vec![sorted[sorted.len() - 1]],
        Method::Quantiles => quantile_uppers(&sorted, k),
        Method::Jenks => jenks_uppers(&sorted, k),
    };
    let mut classes: Vec<Class> = Vec::with_capacity(uppers.len());
    let mut lower = sorted[0];
    for upper in uppers {
        if classes.last().is_some_and(|c| c.upper >= upper) {
            continue;
        }
        classes.push(Class {
            lower,
            upper,
            count: 0,
        });
        lower = upper;
    }
    for v in &sorted {
        let i = class_of(&classes, *v).expect("every value lies in a class");
        classes[i].count += 1;
    }
    classes
}

/// The class a value falls in.
pub fn class_of(classes: &[Class], value: f64) -> Option<usize> {
    if !value.is_finite() || classes.is_empty() {
        return None;
    }
    Some(
        classes
            .iter()
            .position(|c| value <= c.upper)
            .unwrap_or(classes.len() - 1),
    )
}

/// Upper bounds so that each class holds about the same number of values (ties stay together).
fn quantile_uppers(sorted: &[f64], k: usize) -> Vec<f64> {
    let n = sorted.len();
    (1..=k).map(|i| sorted[(i * n).div_ceil(k) - 1]).collect()
}

/// Fisher–Jenks natural breaks: the partition of the sorted values into `k` runs that minimises the sum of
/// squared deviations within runs, by dynamic programming (O(k·n²), n being the number of zones).
fn jenks_uppers(sorted: &[f64], k: usize) -> Vec<f64> {
    let n = sorted.len();
    // lower[l][j]: 1-based index of the first value of the last class, for the first l values in j classes.
    let mut lower = vec![vec![0usize; k + 1]; n + 1];
    let mut cost = vec![vec![f64::INFINITY; k + 1]; n + 1];
    for j in 1..=k {
        lower[1][j] = 1;
        cost[1][j] = 0.0;
    }
    for l in 2..=n {
        let (mut sum, mut sum_sq, mut w) = (0.0, 0.0, 0.0);
        let mut variance = 0.0;
        for m in 1..=l {
            let first = l - m + 1;
            let v = sorted[first - 1];
            w += 1.0;
            sum += v;
            sum_sq += v * v;
            variance = sum_sq - sum * sum / w;
            let before = first - 1;
            if before != 0 {
                for j in 2..=k {
                    if cost[l][j] >= variance + cost[before][j - 1] {
                        lower[l][j] = first;
                        cost[l][j] = variance + cost[before][j - 1];
                    }
                }
            }
        }
        lower[l][1] = 1;
        cost[l][1] = variance;
    }
    let mut uppers = vec![0.0; k];
    uppers[k - 1] = sorted[n - 1];
    let mut end = n;
    for j in (2..=k).rev() {
        let first = lower[end][j];
        uppers[j - 2] = sorted[first - 2];
        end = first - 1;
    }
    uppers
}

/// The legend text of a class, in words and figures (the map never says anything by colour alone).
pub fn label(classes: &[Class], i: usize, decimals: usize) -> String {
    let c = classes[i];
    if i == 0 {
        if c.lower == c.upper {
            number(c.upper, decimals)
        } else {
            format!(
                "de {} à {}",
                number(c.lower, decimals),
                number(c.upper, decimals)
            )
        }
    } else {
        format!(
            "plus de {} à {}",
            number(c.lower, decimals),
            number(c.upper, decimals)
        )
    }
}

/// Fill colours of `k` classes, light to dark: a sequential blue palette (ColorBrewer « Blues », 7 steps) that
/// stays readable in grey and for colour-blind people. Class numbers are written on the map as well.
pub fn palette(k: usize) -> Vec<&'static str> {
    const BLUES: [&str; 7] = [
        "#eff3ff", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#084594",
    ];
    match k {
        0 => Vec::new(),
        1 => vec![BLUES[3]],
        _ => (0..k)
            .map(|i| BLUES[i * (BLUES.len() - 1) / (k - 1)])
            .collect(),
    }
}

/// The colour of text written on a fill of the palette: white on the two darkest blues, near-black elsewhere
/// (contrast above 4.5:1 in every case).
pub fn text_on(fill: &str) -> &'static str {
    if matches!(fill, "#2171b5" | "#084594") {
        "#ffffff"
    } else {
        "#1b1b1b"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uppers(c: &[Class]) -> Vec<f64> {
        c.iter().map(|c| c.upper).collect()
    }

    #[test]
    fn quantiles_put_as_many_values_in_each_class() {
        let values: Vec<f64> = (1..=10).map(f64::from).collect();
        let c = classify(&values, 5, Method::Quantiles);
        assert_eq!(uppers(&c), vec![2.0, 4.0, 6.0, 8.0, 10.0]);
        assert!(c.iter().all(|c| c.count == 2));
        assert_eq!(c[0].lower, 1.0);
        assert_eq!(c[1].lower, 2.0);
    }

    #[test]
    fn ties_merge_classes_rather_than_split_equal_values() {
        let values = [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 2.0];
        let c = classify(&values, 4, Method::Quantiles);
        // Every quantile cut but the last falls among the zeros: two classes, the zeros together.
        assert_eq!(uppers(&c), vec![0.0, 2.0]);
        assert_eq!(c.iter().map(|c| c.count).collect::<Vec<_>>(), vec![6, 2]);
        // Jenks keeps the three values apart.
        let j = classify(&values, 4, Method::Jenks);
        assert_eq!(uppers(&j), vec![0.0, 1.0, 2.0]);
        // One distinct value: one class.
        let c = classify(&[3.0, 3.0], 5, Method::Jenks);
        assert_eq!(
            c,
            vec![Class {
                lower: 3.0,
                upper: 3.0,
                count: 2
            }]
        );
        assert_eq!(label(&c, 0, 0), "3");
    }

    #[test]
    fn jenks_finds_the_natural_groups() {
        let values = [22.0, 1.0, 2.0, 3.0, 10.0, 11.0, 12.0, 20.0, 21.0];
        let c = classify(&values, 3, Method::Jenks);
        assert_eq!(uppers(&c), vec![3.0, 12.0, 22.0]);
        assert_eq!(c.iter().map(|c| c.count).collect::<Vec<_>>(), vec![3, 3, 3]);
        // Quantiles cut the same data evenly instead.
        let q = classify(&values, 2, Method::Quantiles);
        assert_eq!(uppers(&q), vec![11.0, 22.0]);
    }

    #[test]
    fn jenks_minimises_the_within_class_variance() {
        // Brute force over every partition of a small sample into 3 runs.
        let sorted = [0.5, 1.0, 1.2, 4.0, 4.1, 4.3, 9.0, 9.5, 15.0, 15.2];
        let sse = |run: &[f64]| {
            let m = run.iter().sum::<f64>() / run.len() as f64;
            run.iter().map(|v| (v - m) * (v - m)).sum::<f64>()
        };
        let mut best = (f64::INFINITY, 0, 0);
        for a in 1..sorted.len() - 1 {
            for b in a + 1..sorted.len() {
                let total = sse(&sorted[..a]) + sse(&sorted[a..b]) + sse(&sorted[b..]);
                if total < best.0 {
                    best = (total, a, b);
                }
            }
        }
        let c = classify(&sorted, 3, Method::Jenks);
        assert_eq!(
            uppers(&c),
            vec![sorted[best.1 - 1], sorted[best.2 - 1], 15.2]
        );
    }

    #[test]
    fn every_value_has_its_class_and_labels_say_the_bounds() {
        let values = [0.3, 3.5, 7.0, 12.0, 40.0];
        let c = classify(&values, 3, Method::Quantiles);
        for v in values {
            let i = class_of(&c, v).unwrap();
            assert!(v <= c[i].upper && (i == 0 || v > c[i].lower));
        }
        assert_eq!(label(&c, 0, 1), "de 0,3 à 3,5");
        assert_eq!(label(&c, 1, 1), "plus de 3,5 à 12,0");
        assert_eq!(class_of(&c, f64::NAN), None);
        assert!(classify(&[], 5, Method::Jenks).is_empty());
        assert!(classify(&[f64::NAN], 5, Method::Quantiles).is_empty());
    }

    #[test]
    fn palettes_go_from_light_to_dark_with_one_colour_per_class() {
        for k in 1..=MAX_CLASSES {
            let p = palette(k);
            assert_eq!(p.len(), k);
            let mut q = p.clone();
            q.dedup();
            assert_eq!(q.len(), k, "distinct colours for {k} classes");
        }
        assert_eq!(palette(7)[0], "#eff3ff");
        assert_eq!(palette(2), vec!["#eff3ff", "#084594"]);
    }
}

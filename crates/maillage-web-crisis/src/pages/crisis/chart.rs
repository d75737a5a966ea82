//! Trend charts drawn on the server as SVG: lines over days, with the alert thresholds as labelled dashed
//! lines. Series differ by dash pattern and are named in a legend; the chart has a title and a description for
//! screen readers, and the page puts the figures in a table beside it. Nothing is fetched, nothing runs in the
//! browser.

use jiff::civil::Date;
use maud::{Markup, html};

/// One line of a chart.
pub struct Series<'a> {
    pub name: &'a str,
    pub points: Vec<(Date, Option<f64>)>,
    /// Solid (false) or dashed (true).
    pub dashed: bool,
}

const W: f64 = 720.0;
const H: f64 = 280.0;
const LEFT: f64 = 56.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 44.0;
const BOTTOM: f64 = 40.0;

fn f(v: f64) -> String {
    format!("{v:.1}")
}

/// A "nice" step for about `target` ticks up to `max`.
fn step(max: f64, target: f64) -> f64 {
    let raw = (max / target).max(f64::MIN_POSITIVE);
    let mag = 10f64.powf(raw.log10().floor());
    let n = raw / mag;
    let nice = if n <= 1.0 {
        1.0
    } else if n <= 2.0 {
        2.0
    } else if n <= 5.0 {
        5.0
    } else {
        10.0
    };
    nice * mag
}

fn french(v: f64) -> String {
    maillage_web_kit::layout::number(v, if v.fract() == 0.0 { 0 } else { 1 })
}

/// A line chart of `series` over days, with horizontal `thresholds` (value, label). `id` must be unique in the
/// page.
pub fn lines(
    id: &str,
    title: &str,
    description: &str,
    unit: &str,
    series: &[Series<'_>],
    thresholds: &[(f64, String)],
) -> Markup {
    let days: Vec<Date> = series
        .iter()
        .flat_map(|s| s.points.iter().map(|p| p.0))
        .collect();
    let (Some(first), Some(last)) = (days.iter().min().copied(), days.iter().max().copied()) else {
        return html! { p { "Pas de données à tracer." } };
    };
    let span = (last - first).get_days().max(1) as f64;
    let values = series
        .iter()
        .flat_map(|s| s.points.iter().filter_map(|p| p.1));
    let max_value = values.fold(0.0_f64, f64::max);
    let top_threshold = thresholds
        .iter()
        .map(|t| t.0)
        .filter(|t| *t <= max_value * 1.5)
        .fold(0.0_f64, f64::max);
    let max = (max_value.max(top_threshold) * 1.08).max(1.0);
    let tick = step(max, 5.0);
    let max = (max / tick).ceil() * tick;
    let x = |d: Date| LEFT + (d - first).get_days() as f64 / span * (W - LEFT - RIGHT);
    let y = |v: f64| H - BOTTOM - v / max * (H - TOP - BOTTOM);
    let title_id = format!("{id}-titre");
    let desc_id = format!("{id}-desc");
    // Month ticks on the first of each month (or every few months on long spans).
    let months_step = if span > 400.0 {
        3
    } else if span > 200.0 {
        2
    } else {
        1
    };
    let mut ticks_x = Vec::new();
    let mut m = Date::new(first.year(), first.month(), 1).unwrap_or(first);
    while m <= last {
        if m >= first && (i32::from(m.month()) - 1) % months_step == 0 {
            ticks_x.push(m);
        }
        m = m
            .checked_add(jiff::Span::new().months(1))
            .unwrap_or(last.saturating_add(jiff::Span::new().days(1)));
    }
    let paths: Vec<(String, bool)> = series
        .iter()
        .map(|s| {
            let mut d = String::new();
            let mut pen = false;
            for (day, v) in &s.points {
                match v {
                    Some(v) => {
                        d.push_str(&format!(
                            "{}{} {} ",
                            if pen { "L" } else { "M" },
                            f(x(*day)),
                            f(y(*v))
                        ));
                        pen = true;
                    }
                    None => pen = false,
                }
            }
            (d.trim().to_string(), s.dashed)
        })
        .collect();
    html! {
        figure.graphique {
            svg xmlns="http://www.w3.org/2000/svg" viewBox=(format!("0 0 {W} {H}")) role="img" aria-labelledby=(format!("{title_id} {desc_id}")) {
                title #(title_id) { (title) }
                desc #(desc_id) { (description) }
                // Grid and y axis.
                @for k in 0..=((max / tick).round() as i64) {
                    @let v = k as f64 * tick;
                    line x1=(f(LEFT)) x2=(f(W - RIGHT)) y1=(f(y(v))) y2=(f(y(v))) stroke="#d0d0d0" stroke-width="1" {}
                    text x=(f(LEFT - 6.0)) y=(f(y(v) + 4.0)) text-anchor="end" font-size="11" fill="#1b1b1b" { (french(v)) }
                }
                text x=(f(LEFT - 48.0)) y="38" font-size="12" fill="#1b1b1b" { (unit) }
                @for t in &ticks_x {
                    line x1=(f(x(*t))) x2=(f(x(*t))) y1=(f(H - BOTTOM)) y2=(f(H - BOTTOM + 5.0)) stroke="#1b1b1b" stroke-width="1" {}
                    text x=(f(x(*t))) y=(f(H - BOTTOM + 18.0)) text-anchor="middle" font-size="11" fill="#1b1b1b" { (t.strftime("%m/%Y")) }
                }
                line x1=(f(LEFT)) x2=(f(W - RIGHT)) y1=(f(H - BOTTOM)) y2=(f(H - BOTTOM)) stroke="#1b1b1b" stroke-width="1" {}
                // Thresholds.
                @for (v, label) in thresholds.iter().filter(|t| t.0 <= max) {
                    line x1=(f(LEFT)) x2=(f(W - RIGHT)) y1=(f(y(*v))) y2=(f(y(*v))) stroke="#a3000b" stroke-width="1.5" stroke-dasharray="2 4" {}
                    text x=(f(W - RIGHT - 4.0)) y=(f(y(*v) - 4.0)) text-anchor="end" font-size="11" fill="#a3000b" { (label) }
                }
                // Series: one path per run of consecutive values (a missing day breaks the line).
                @for (d, dashed) in &paths {
                    path d=(d) fill="none" stroke=(if *dashed { "#5a2d8c" } else { "#0a4a9c" }) stroke-width="2"
                        stroke-dasharray=(if *dashed { "7 4" } else { "none" }) {}
                }
                // Legend.
                @for (i, s) in series.iter().enumerate() {
                    @let lx = LEFT + i as f64 * 260.0;
                    line x1=(f(lx)) x2=(f(lx + 30.0)) y1="10" y2="10" stroke=(if s.dashed { "#5a2d8c" } else { "#0a4a9c" }) stroke-width="2"
                        stroke-dasharray=(if s.dashed { "7 4" } else { "none" }) {}
                    text x=(f(lx + 36.0)) y="14" font-size="12" fill="#1b1b1b" { (s.name) }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn a_gap_breaks_the_line_and_thresholds_are_labelled() {
        let points = vec![
            (date(2026, 7, 1), Some(10.0)),
            (date(2026, 7, 2), Some(20.0)),
            (date(2026, 7, 3), None),
            (date(2026, 7, 4), Some(40.0)),
        ];
        let svg = lines(
            "t",
            "Incidence",
            "Taux d'incidence",
            "pour 100 000",
            &[Series {
                name: "calculé",
                points,
                dashed: false,
            }],
            &[(50.0, "seuil 50".into())],
        )
        .into_string();
        assert!(
            svg.contains("role=\"img\"") && svg.contains("<title id=\"t-titre\">Incidence</title>")
        );
        // Two moves: the line restarts after the missing day.
        let path = svg
            .split("<path d=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap();
        assert_eq!(path.matches('M').count(), 2, "{path}");
        assert_eq!(path.matches('L').count(), 1, "{path}");
        assert!(svg.contains("seuil 50"));
        assert!(svg.contains("calculé"));
        assert_eq!(step(97.0, 5.0), 20.0);
        assert_eq!(step(4.0, 5.0), 1.0);
    }
}

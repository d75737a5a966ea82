//! Charts drawn on the server as SVG inside the page: no chart library, nothing to download, printable, and
//! readable without colour: every bar has its value written beside it, series differ by pattern (solid,
//! hatched, light with a border) and are named in a legend, and the chart has a title and a description for
//! screen readers. The same figures are always in a table next to the chart.

use maud::{Markup, html};

/// One category of a chart (a profession, an age band...) with one value per series.
pub struct Group {
    pub label: String,
    /// Per series: the value drawn (None: no bar) and the text written beside it ("12,3", "< 5", "—").
    pub values: Vec<(Option<f64>, String)>,
}

const WIDTH: f64 = 720.0;
const LABEL_W: f64 = 230.0;
const BAR_W: f64 = 330.0;
const ROW_H: f64 = 18.0;
const GROUP_GAP: f64 = 10.0;
const TOP: f64 = 8.0;

/// A horizontal bar chart. `id` must be unique in the page (it names the title, description and patterns).
pub fn bars(id: &str, title: &str, description: &str, series: &[&str], groups: &[Group]) -> Markup {
    let max = groups
        .iter()
        .flat_map(|g| g.values.iter().filter_map(|(v, _)| *v))
        .fold(0.0_f64, f64::max);
    let per_group = series.len().max(1) as f64 * ROW_H + GROUP_GAP;
    let legend_h = if series.len() > 1 { 26.0 } else { 0.0 };
    let height = TOP + legend_h + groups.len() as f64 * per_group + 4.0;
    let scale = if max > 0.0 { BAR_W / max } else { 0.0 };
    let title_id = format!("{id}-titre");
    let desc_id = format!("{id}-desc");
    let hatch = format!("{id}-hachures");
    html! {
        figure.graphique {
            svg xmlns="http://www.w3.org/2000/svg" viewBox=(format!("0 0 {WIDTH} {height:.0}")) role="img"
                aria-labelledby=(format!("{title_id} {desc_id}")) {
                title #(title_id) { (title) }
                desc #(desc_id) { (description) }
                defs {
                    pattern #(hatch) patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)" {
                        rect width="6" height="6" fill="#ffffff" {}
                        line x1="0" y1="0" x2="0" y2="6" stroke="#084594" stroke-width="3" {}
                    }
                }
                @if series.len() > 1 {
                    @for (s, name) in series.iter().enumerate() {
                        @let x = LABEL_W + s as f64 * 170.0;
                        rect x=(fmt(x)) y=(fmt(TOP)) width="16" height="12" fill=(fill(s, &hatch))
                            stroke="#1b1b1b" stroke-width="1" {}
                        text x=(fmt(x + 22.0)) y=(fmt(TOP + 11.0)) font-size="13" fill="#1b1b1b" { (name) }
                    }
                }
                @for (g, group) in groups.iter().enumerate() {
                    @let y0 = TOP + legend_h + g as f64 * per_group;
                    text x=(fmt(LABEL_W - 8.0)) y=(fmt(y0 + ROW_H * series.len().max(1) as f64 / 2.0 + 4.0))
                        text-anchor="end" font-size="13" fill="#1b1b1b" { (group.label) }
                    @for (s, (value, shown)) in group.values.iter().enumerate() {
                        @let y = y0 + s as f64 * ROW_H;
                        @let w = value.map_or(0.0, |v| (v.max(0.0) * scale).max(if v > 0.0 { 1.0 } else { 0.0 }));
                        @if w > 0.0 {
                            rect x=(fmt(LABEL_W)) y=(fmt(y + 2.0)) width=(fmt(w)) height=(fmt(ROW_H - 4.0))
                                fill=(fill(s, &hatch)) stroke="#1b1b1b" stroke-width="1" {}
                        }
                        text x=(fmt(LABEL_W + w + 6.0)) y=(fmt(y + ROW_H - 5.0)) font-size="12" fill="#1b1b1b" {
                            @if series.len() > 1 { (series[s]) " : " }
                            (shown)
                        }
                    }
                }
            }
        }
    }
}

fn fill(series: usize, hatch: &str) -> String {
    match series % 3 {
        0 => "#2171b5".into(),
        1 => format!("url(#{hatch})"),
        _ => "#dbe7f5".into(),
    }
}

fn fmt(v: f64) -> String {
    format!("{v:.1}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_are_proportional_and_every_value_is_written() {
        let groups = vec![
            Group {
                label: "Infirmiers".into(),
                values: vec![(Some(10.0), "10,0".into()), (Some(5.0), "5,0".into())],
            },
            Group {
                label: "Pédiatres".into(),
                values: vec![(None, "< 5".into()), (Some(0.0), "0,0".into())],
            },
        ];
        let svg = bars(
            "essai",
            "Densités",
            "Densité par profession",
            &["QPV", "hors QPV"],
            &groups,
        )
        .into_string();
        assert!(
            svg.contains("role=\"img\"")
                && svg.contains("aria-labelledby=\"essai-titre essai-desc\"")
        );
        assert!(svg.contains("<title id=\"essai-titre\">Densités</title>"));
        // The largest bar takes the full width, the half one half of it; no bar for a hidden or zero value.
        assert!(svg.contains("width=\"330.0\""), "{svg}");
        assert!(svg.contains("width=\"165.0\""), "{svg}");
        assert_eq!(
            svg.matches("stroke-width=\"1\"").count(),
            2 + 2,
            "two legend swatches and two bars"
        );
        for text in [
            "QPV : 10,0",
            "hors QPV : 5,0",
            "QPV : &lt; 5",
            "hors QPV : 0,0",
            "Pédiatres",
        ] {
            assert!(svg.contains(text), "{text} in {svg}");
        }
        // The second series is hatched, not only another colour.
        assert!(svg.contains("fill=\"url(#essai-hachures)\""));
    }
}

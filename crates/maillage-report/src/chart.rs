//! Horizontal bar charts, one group of bars per item (a profession) and one bar per series (the zone, and what
//! it is compared with). Every bar carries its value written beside it, and the series are told apart by a
//! legend and by their position, not by colour alone.

use super::canvas::{Anchor, Canvas, Rgb, Stroke};
use super::font::Weight;
use crate::number;

const TEXT: Rgb = (0x1f, 0x29, 0x33);
const GRID: Rgb = (0xd0, 0xd5, 0xdb);
const LABEL_W: f32 = 150.0;
const BAR_H: f32 = 8.0;
const GROUP_GAP: f32 = 7.0;
const LEGEND_H: f32 = 18.0;

pub struct Series {
    pub label: String,
    pub colour: Rgb,
}

pub struct Group {
    pub label: String,
    /// One value per series: None when unknown, with `secret` telling secrecy apart.
    pub values: Vec<(Option<f64>, bool)>,
}

pub struct ChartSpec {
    pub series: Vec<Series>,
    pub groups: Vec<Group>,
    pub decimals: usize,
    pub secrecy: Option<u32>,
}

/// The height the chart needs.
pub fn height(spec: &ChartSpec) -> f32 {
    LEGEND_H + spec.groups.len() as f32 * (spec.series.len() as f32 * BAR_H + GROUP_GAP) + 14.0
}

/// A round step (1, 2 or 5 times a power of ten) giving at most five steps up to `max`.
pub fn nice_step(max: f64) -> f64 {
    if max <= 0.0 || !max.is_finite() {
        return 1.0;
    }
    let raw = max / 5.0;
    let power = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * power)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * power)
}

pub fn draw(c: &mut dyn Canvas, spec: &ChartSpec, width: f32, _height: f32) {
    // Legend.
    let mut x = LABEL_W;
    for s in &spec.series {
        c.rect(x, 3.0, 10.0, 8.0, Some(s.colour), None);
        c.text(
            x + 14.0,
            10.0,
            7.5,
            Weight::Regular,
            TEXT,
            Anchor::Start,
            &s.label,
        );
        x += 24.0 + c.text_width(&s.label, 7.5, Weight::Regular);
    }
    let max = spec
        .groups
        .iter()
        .flat_map(|g| g.values.iter().filter(|v| !v.1).filter_map(|v| v.0))
        .fold(0.0f64, f64::max);
    let step = nice_step(max);
    let end = (max / step).ceil().max(1.0) * step;
    let plot_w = width - LABEL_W - 45.0;
    let scale = f64::from(plot_w) / end;
    let top = LEGEND_H;
    let bottom = height(spec) - 14.0;
    // Vertical grid on round values.
    let mut v = 0.0;
    while v <= end + step / 2.0 {
        let gx = LABEL_W + (v * scale) as f32;
        c.polyline(&[(gx, top), (gx, bottom)], Stroke::solid(GRID, 0.4));
        let decimals = if step < 1.0 { 1 } else { 0 };
        c.text(
            gx,
            bottom + 9.0,
            6.5,
            Weight::Regular,
            TEXT,
            Anchor::Middle,
            &number(v, decimals),
        );
        v += step;
    }
    let mut y = top;
    for g in &spec.groups {
        let group_h = spec.series.len() as f32 * BAR_H;
        c.text(
            LABEL_W - 6.0,
            y + group_h / 2.0 + 3.0,
            7.5,
            Weight::Regular,
            TEXT,
            Anchor::End,
            &g.label,
        );
        for (k, s) in spec.series.iter().enumerate() {
            let by = y + k as f32 * BAR_H;
            let (value, secret) = g.values.get(k).copied().unwrap_or((None, false));
            let text = match (value, secret) {
                // A value computed from a hidden count: hidden too (it is not "below k").
                (_, true) => "secret".into(),
                (Some(v), false) => number(v, spec.decimals),
                (None, false) => "—".into(),
            };
            let w = value
                .filter(|_| !secret)
                .map_or(0.0, |v| (v * scale) as f32);
            if w > 0.0 {
                c.rect(LABEL_W, by + 1.0, w, BAR_H - 2.0, Some(s.colour), None);
            }
            c.text(
                LABEL_W + w + 3.0,
                by + BAR_H - 1.5,
                6.5,
                Weight::Regular,
                TEXT,
                Anchor::Start,
                &text,
            );
        }
        y += group_h + GROUP_GAP;
    }
    c.polyline(
        &[(LABEL_W, top), (LABEL_W, bottom)],
        Stroke::solid(TEXT, 0.6),
    );
}

#[cfg(test)]
mod tests {
    use super::nice_step;

    #[test]
    fn steps_are_round() {
        assert_eq!(nice_step(13.2), 5.0);
        assert_eq!(nice_step(9.0), 2.0);
        assert_eq!(nice_step(285.7), 100.0);
        assert_eq!(nice_step(0.8), 0.2);
        assert_eq!(nice_step(0.0), 1.0);
    }
}

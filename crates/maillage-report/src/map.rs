//! Choropleth maps of zones (their contours as stored, WGS84) drawn on a [`Canvas`]: classes by quantiles,
//! a colour-blind-safe sequential palette (ColorBrewer YlGnBu), the value written in each zone that has room
//! (no information by colour alone), outlines of quartiers / QPV on top, a legend, a scale bar and north.

use super::canvas::{Anchor, Canvas, Rgb, Stroke};
use super::font::Weight;
use crate::basemap::{self, Frame, Part};
use crate::number;
use geo::{BoundingRect, InteriorPoint, MultiPolygon, Rect};
use maillage_kit::basemap::{MapFeature, zoom_for};

const PALETTE: [Rgb; 5] = [
    (0xff, 0xff, 0xcc),
    (0xa1, 0xda, 0xb4),
    (0x41, 0xb6, 0xc4),
    (0x2c, 0x7f, 0xb8),
    (0x25, 0x34, 0x94),
];
/// Zones without a value (secret, or population unknown).
pub const NO_VALUE: Rgb = (0xd9, 0xd9, 0xd9);
const EDGE: Rgb = (0x80, 0x80, 0x80);
const TEXT: Rgb = (0x1f, 0x29, 0x33);
const LEGEND_W: f32 = 150.0;

pub struct MapZone {
    pub name: String,
    pub geometry: MultiPolygon<f64>,
    pub value: Option<f64>,
    pub secret: bool,
}

/// A contour drawn over the choropleth (a quartier, a QPV, the zone the report is about).
pub struct Outline {
    pub geometry: MultiPolygon<f64>,
    pub stroke: Stroke,
}

pub struct MapSpec {
    pub zones: Vec<MapZone>,
    pub outlines: Vec<Outline>,
    /// What the legend says of each kind of outline.
    pub outline_legend: Vec<(Stroke, String)>,
    /// The extent shown; the zones' extent when None.
    pub view: Option<Rect<f64>>,
    pub legend_title: String,
    pub decimals: usize,
    pub secrecy: Option<u32>,
    /// The streets, water and places drawn under the zones (see [`crate::basemap`]); none: a plain ground.
    pub background: Vec<MapFeature>,
}

/// Class breaks (n + 1 bounds at most) by quantiles of the values; fewer classes when values repeat.
pub fn breaks(values: &[f64], n: usize) -> Vec<f64> {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    if v.is_empty() {
        return Vec::new();
    }
    v.sort_by(f64::total_cmp);
    let mut b: Vec<f64> = (0..=n)
        .map(|i| v[((v.len() - 1) as f64 * i as f64 / n as f64).round() as usize])
        .collect();
    b.dedup_by(|a, b| (*a - *b).abs() < 1e-12);
    if b.len() == 1 {
        b.push(b[0]);
    }
    b
}

/// The class of a value given the breaks.
pub fn class_of(value: f64, breaks: &[f64]) -> usize {
    let classes = breaks.len().saturating_sub(1).max(1);
    (1..breaks.len())
        .find(|&i| value <= breaks[i])
        .map_or(classes - 1, |i| i - 1)
        .min(classes - 1)
}

/// The palette colours used for `classes` classes, spread over the whole ramp.
pub fn colours(classes: usize) -> Vec<Rgb> {
    match classes {
        0 => vec![],
        1 => vec![PALETTE[2]],
        2 => vec![PALETTE[1], PALETTE[3]],
        3 => vec![PALETTE[0], PALETTE[2], PALETTE[4]],
        4 => vec![PALETTE[0], PALETTE[1], PALETTE[3], PALETTE[4]],
        _ => PALETTE.to_vec(),
    }
}

fn extent<'a>(shapes: impl Iterator<Item = &'a MultiPolygon<f64>>) -> Option<Rect<f64>> {
    shapes.filter_map(|g| g.bounding_rect()).reduce(|a, b| {
        Rect::new(
            geo::coord! { x: a.min().x.min(b.min().x), y: a.min().y.min(b.min().y) },
            geo::coord! { x: a.max().x.max(b.max().x), y: a.max().y.max(b.max().y) },
        )
    })
}

/// Longitude/latitude to the canvas: equirectangular around the view's mean latitude (true to scale at the
/// size of a commune), fitted and centred in the box.
struct Projection {
    min_lon: f64,
    max_lat: f64,
    k: f64,
    scale: f64,
    dx: f32,
    dy: f32,
}

impl Projection {
    fn new(view: Rect<f64>, w: f32, h: f32) -> Projection {
        let k = view.center().y.to_radians().cos();
        let span_x = (view.width() * k).max(1e-9);
        let span_y = view.height().max(1e-9);
        let scale = (f64::from(w) / span_x).min(f64::from(h) / span_y);
        Projection {
            min_lon: view.min().x,
            max_lat: view.max().y,
            k,
            scale,
            dx: ((f64::from(w) - span_x * scale) / 2.0) as f32,
            dy: ((f64::from(h) - span_y * scale) / 2.0) as f32,
        }
    }

    fn point(&self, lon: f64, lat: f64) -> (f32, f32) {
        (
            ((lon - self.min_lon) * self.k * self.scale) as f32 + self.dx,
            ((self.max_lat - lat) * self.scale) as f32 + self.dy,
        )
    }

    fn rings(&self, g: &MultiPolygon<f64>) -> Vec<Vec<(f32, f32)>> {
        g.0.iter()
            .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
            .map(|r| r.0.iter().map(|c| self.point(c.x, c.y)).collect())
            .collect()
    }

    /// Canvas points per kilometre.
    fn per_km(&self) -> f32 {
        (self.scale / 111.2) as f32
    }
}

/// Draws the map in a `width` × `height` box: the map on the left, the legend on the right.
pub fn draw(c: &mut dyn Canvas, spec: &MapSpec, width: f32, height: f32) {
    let map_w = width - LEGEND_W - 10.0;
    c.rect(
        0.0,
        0.0,
        map_w,
        height,
        None,
        Some(Stroke::solid(EDGE, 0.5)),
    );
    let Some(view) = spec
        .view
        .or_else(|| extent(spec.zones.iter().map(|z| &z.geometry)))
    else {
        c.text(
            map_w / 2.0,
            height / 2.0,
            9.0,
            Weight::Regular,
            TEXT,
            Anchor::Middle,
            "Aucun contour de zone dans la base : carte impossible.",
        );
        return;
    };
    let pad = 8.0;
    let proj = Projection::new(view, map_w - 2.0 * pad, height - 2.0 * pad);
    let values: Vec<f64> = spec
        .zones
        .iter()
        .filter(|z| !z.secret)
        .filter_map(|z| z.value)
        .collect();
    let b = breaks(&values, 5);
    let palette = colours(b.len().saturating_sub(1));

    c.clip(0.0, 0.0, map_w, height);
    let translucent = !spec.background.is_empty();
    if translucent {
        background_part(c, spec, &proj, pad, (map_w, height), Part::Ground);
        c.translucent(true);
    }
    let shift = |rings: Vec<Vec<(f32, f32)>>| -> Vec<Vec<(f32, f32)>> {
        rings
            .into_iter()
            .map(|r| r.into_iter().map(|(x, y)| (x + pad, y + pad)).collect())
            .collect()
    };
    let mut labels = Vec::new();
    for z in &spec.zones {
        let (fill, class) = match z.value {
            Some(v) if !z.secret && !palette.is_empty() => {
                let k = class_of(v, &b);
                (palette[k.min(palette.len() - 1)], Some(k))
            }
            _ => (NO_VALUE, None),
        };
        c.polygon(
            &shift(proj.rings(&z.geometry)),
            Some(fill),
            Some(Stroke::solid((0xff, 0xff, 0xff), 0.6)),
        );
        let text = if z.secret {
            "secret".to_string()
        } else {
            z.value.map_or("—".into(), |v| number(v, spec.decimals))
        };
        if let (Some(p), Some(r)) = (z.geometry.interior_point(), z.geometry.bounding_rect()) {
            let (x, y) = proj.point(p.x(), p.y());
            let (x0, _) = proj.point(r.min().x, r.min().y);
            let (x1, _) = proj.point(r.max().x, r.max().y);
            let dark = class.is_some_and(|k| palette.len() >= 4 && k + 2 >= palette.len());
            labels.push((x + pad, y + pad, x1 - x0, text, dark));
        }
    }
    c.translucent(false);
    for o in &spec.outlines {
        c.polygon(&shift(proj.rings(&o.geometry)), None, Some(o.stroke));
    }
    if translucent {
        background_part(c, spec, &proj, pad, (map_w, height), Part::Names);
    }
    // Values last, so no outline crosses them; only where the zone is wide enough for them.
    for (x, y, room, text, dark) in labels {
        let size = 6.5;
        if c.text_width(&text, size, Weight::Bold) + 2.0 <= room {
            let color = if dark { (0xff, 0xff, 0xff) } else { TEXT };
            c.text(
                x,
                y + size / 3.0,
                size,
                Weight::Bold,
                color,
                Anchor::Middle,
                &text,
            );
        }
    }
    c.end_clip();

    // Scale bar: a round length near a fifth of the map's width.
    let per_km = proj.per_km();
    if per_km.is_finite() && per_km > 0.0 {
        let km = [0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0]
            .into_iter()
            .rev()
            .find(|k| k * per_km <= map_w / 5.0)
            .unwrap_or(0.1);
        let len = km * per_km;
        let (x, y) = (10.0, height - 10.0);
        let label_w = c.text_width(&format!("{km} km"), 7.0, Weight::Regular);
        // On a white ground, so that it reads over the zones.
        c.rect(
            x - 4.0,
            y - 11.0,
            len + label_w + 14.0,
            15.0,
            Some((0xff, 0xff, 0xff)),
            None,
        );
        c.rect(x, y - 4.0, len, 4.0, Some(TEXT), None);
        let label = if km < 1.0 {
            format!("{} m", (km * 1000.0).round())
        } else {
            format!("{km} km")
        };
        c.text(
            x + len + 4.0,
            y,
            7.0,
            Weight::Regular,
            TEXT,
            Anchor::Start,
            &label,
        );
    }
    // North.
    let (nx, ny) = (map_w - 16.0, 12.0);
    c.polygon(
        &[vec![(nx, ny), (nx - 5.0, ny + 14.0), (nx + 5.0, ny + 14.0)]],
        Some(TEXT),
        None,
    );
    c.text(nx, ny + 24.0, 7.5, Weight::Bold, TEXT, Anchor::Middle, "N");

    legend(c, spec, &b, &palette, map_w + 10.0);
}

/// A part of the background map (the ground under the zones, the names over them), at the zoom of the map's
/// scale.
fn background_part(
    c: &mut dyn Canvas,
    spec: &MapSpec,
    proj: &Projection,
    pad: f32,
    (w, h): (f32, f32),
    part: Part,
) {
    let project = |lon: f64, lat: f64| {
        let (x, y) = proj.point(lon, lat);
        (x + pad, y + pad)
    };
    // A canvas point is about 1/72 inch; a tile's pixel is about 1/96 inch on a screen.
    let metres_per_point = 1000.0 / f64::from(proj.per_km());
    let lat = proj.max_lat;
    let frame = Frame {
        project: &project,
        width: w,
        height: h,
        zoom: zoom_for(metres_per_point * 0.75, lat).saturating_sub(1),
    };
    if part == Part::Ground {
        c.rect(0.0, 0.0, w, h, Some(basemap::LAND), None);
    }
    basemap::draw(c, &spec.background, &frame, part);
}

fn legend(c: &mut dyn Canvas, spec: &MapSpec, b: &[f64], palette: &[Rgb], x: f32) {
    let mut y = 10.0;
    let line = |c: &mut dyn Canvas, text: &str, size: f32, weight: Weight, y: &mut f32| {
        for l in wrap(c, text, size, weight, LEGEND_W) {
            c.text(x, *y + size, size, weight, TEXT, Anchor::Start, &l);
            *y += size * 1.3;
        }
    };
    line(c, &spec.legend_title, 8.0, Weight::Bold, &mut y);
    y += 4.0;
    for (k, colour) in palette.iter().enumerate() {
        c.rect(
            x,
            y,
            14.0,
            10.0,
            Some(*colour),
            Some(Stroke::solid(EDGE, 0.4)),
        );
        let text = format!(
            "{} à {}",
            number(b[k], spec.decimals),
            number(b[k + 1], spec.decimals)
        );
        c.text(
            x + 20.0,
            y + 8.0,
            7.5,
            Weight::Regular,
            TEXT,
            Anchor::Start,
            &text,
        );
        y += 14.0;
    }
    c.rect(
        x,
        y,
        14.0,
        10.0,
        Some(NO_VALUE),
        Some(Stroke::solid(EDGE, 0.4)),
    );
    let none = match spec.secrecy {
        Some(t) => format!("secret (effectif < {t}) ou non calculable"),
        None => "non calculable".into(),
    };
    c.text(
        x + 20.0,
        y + 8.0,
        7.5,
        Weight::Regular,
        TEXT,
        Anchor::Start,
        &none,
    );
    y += 20.0;
    for (stroke, label) in &spec.outline_legend {
        c.polyline(&[(x, y + 5.0), (x + 14.0, y + 5.0)], *stroke);
        c.text(
            x + 20.0,
            y + 8.0,
            7.5,
            Weight::Regular,
            TEXT,
            Anchor::Start,
            label,
        );
        y += 14.0;
    }
    y += 6.0;
    line(
        c,
        "Classes : quantiles des valeurs. Le chiffre inscrit dans chaque zone est sa valeur.",
        6.5,
        Weight::Regular,
        &mut y,
    );
}

/// A zone's small map: its contour over the background map, in a `width` × `height` SVG (the zone's box and a
/// margin around it), with a scale's zoom.
pub fn locator_svg(
    zone: &MultiPolygon<f64>,
    background: &[MapFeature],
    (width, height): (f32, f32),
    title: &str,
) -> String {
    let mut c = crate::canvas::SvgCanvas::new(width, height);
    if let Some(r) = zone.bounding_rect() {
        let margin = (r.width().max(r.height()) * 0.15).max(0.002);
        let view = Rect::new(
            geo::coord! { x: r.min().x - margin, y: r.min().y - margin },
            geo::coord! { x: r.max().x + margin, y: r.max().y + margin },
        );
        let proj = Projection::new(view, width, height);
        let spec = MapSpec {
            zones: Vec::new(),
            outlines: Vec::new(),
            outline_legend: Vec::new(),
            view: Some(view),
            legend_title: String::new(),
            decimals: 0,
            secrecy: None,
            background: background.to_vec(),
        };
        c.clip(0.0, 0.0, width, height);
        background_part(&mut c, &spec, &proj, 0.0, (width, height), Part::Ground);
        // The zone's outline, on a white edge that keeps it apart from the streets under it.
        c.polygon(
            &proj.rings(zone),
            None,
            Some(Stroke::solid((0xff, 0xff, 0xff), 5.0)),
        );
        c.polygon(
            &proj.rings(zone),
            None,
            Some(Stroke::solid((0x25, 0x34, 0x94), 2.5)),
        );
        background_part(&mut c, &spec, &proj, 0.0, (width, height), Part::Names);
        c.end_clip();
    }
    c.rect(
        0.0,
        0.0,
        width,
        height,
        None,
        Some(Stroke::solid(EDGE, 0.8)),
    );
    c.finish_bare(title)
}

/// Greedy line breaking for canvas text.
pub fn wrap(c: &dyn Canvas, text: &str, size: f32, weight: Weight, width: f32) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if c.text_width(&candidate, size, weight) <= width || line.is_empty() {
            line = candidate;
        } else {
            lines.push(std::mem::replace(&mut line, word.to_string()));
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantile_breaks_and_classes() {
        let v: Vec<f64> = (1..=10).map(f64::from).collect();
        let b = breaks(&v, 5);
        assert_eq!(b.first(), Some(&1.0));
        assert_eq!(b.last(), Some(&10.0));
        assert_eq!(b.len(), 6);
        assert_eq!(class_of(1.0, &b), 0);
        assert_eq!(class_of(10.0, &b), 4);
        // Equal values: one class, every value in it.
        let b = breaks(&[3.0, 3.0, 3.0], 5);
        assert_eq!(b, vec![3.0, 3.0]);
        assert_eq!(class_of(3.0, &b), 0);
        assert_eq!(colours(1).len(), 1);
        assert!(breaks(&[], 5).is_empty());
    }
}

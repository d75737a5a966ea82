//! The background map drawn on a [`Canvas`]: the streets by class, water, railways, parks and woods, then the
//! names of places and streets, from the features kept in the store ([`MapFeature`]). One drawing serves the
//! tiles of the interactive map ([`tile_svg`], Web Mercator, as Leaflet asks for them) and the maps of the
//! reports and zone pages ([`draw`] with the map's own projection), so that both look alike.
//!
//! The ground (areas and lines) and the names are two [`Part`]s: the web map lays the names over its
//! choropleth, where they stay legible; a printed map draws both under its translucent zones.

use super::canvas::{Canvas, Rgb, Stroke, SvgCanvas};
use super::font::Weight;
use maillage_kit::basemap::{MapFeature, MapLayer, mercator_px};

pub const LAND: Rgb = (0xf2, 0xef, 0xe9);
const WATER: Rgb = (0xaa, 0xd3, 0xdf);
const WATER_TEXT: Rgb = (0x1d, 0x5a, 0x7a);
const PARK: Rgb = (0xc8, 0xe6, 0xb4);
const FOREST: Rgb = (0xad, 0xd1, 0x9e);
const RAIL: Rgb = (0x8a, 0x8a, 0x8a);
const PLACE_TEXT: Rgb = (0x22, 0x22, 0x22);
const STREET_TEXT: Rgb = (0x44, 0x44, 0x44);
/// The tiles' size in pixels (Leaflet's default).
pub const TILE_SIZE: f32 = 256.0;

/// What part of the background map to draw.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// Land, water, parks, railways and streets.
    Ground,
    /// Names of places, streets and rivers, on a transparent ground.
    Names,
    Both,
}

/// Where the map is drawn: its projection of (lon, lat) to canvas points, its size, and the Web Mercator zoom
/// whose layers and widths it takes.
pub struct Frame<'a> {
    pub project: &'a dyn Fn(f64, f64) -> (f32, f32),
    pub width: f32,
    pub height: f32,
    pub zoom: u8,
}

/// (casing, fill, width in pixels at zoom 16) of a road.
fn road_style(layer: MapLayer) -> (Rgb, Rgb, f32) {
    match layer {
        MapLayer::Motorway => ((0xc2, 0x4e, 0x6e), (0xe8, 0x92, 0xa2), 12.0),
        MapLayer::Primary => ((0xb0, 0x7a, 0x2a), (0xfc, 0xd6, 0xa4), 11.0),
        MapLayer::Secondary => ((0x9a, 0x9a, 0x50), (0xf7, 0xfa, 0xbf), 10.0),
        MapLayer::Tertiary => ((0xb5, 0xb5, 0xb5), (0xff, 0xff, 0xff), 9.0),
        MapLayer::Path => ((0xf2, 0xef, 0xe9), (0xd0, 0x70, 0x60), 1.5),
        _ => ((0xc4, 0xc4, 0xc4), (0xff, 0xff, 0xff), 7.0),
    }
}

/// A width given at zoom 16, at `zoom` (halved about every 1.4 levels, never under half a pixel).
fn width_at(width_16: f32, zoom: u8) -> f32 {
    (width_16 * 2f32.powf((f32::from(zoom) - 16.0) * 0.7)).clamp(0.5, width_16 * 1.6)
}

/// Draws the background map's `part` of `features` in the frame.
pub fn draw(c: &mut dyn Canvas, features: &[MapFeature], frame: &Frame, part: Part) {
    let mut shown: Vec<&MapFeature> = features
        .iter()
        .filter(|f| f.layer.min_zoom() <= frame.zoom)
        .collect();
    // Drawing order is the layers' order: areas, water, railways, small streets under main roads, places.
    shown.sort_by_key(|f| f.layer);
    if part != Part::Names {
        ground(c, &shown, frame);
    }
    if part != Part::Ground {
        names(c, &shown, frame);
    }
}

fn screen(frame: &Frame, f: &MapFeature) -> Vec<(f32, f32)> {
    f.points
        .iter()
        .map(|&(lon, lat)| (frame.project)(lon, lat))
        .collect()
}

fn ground(c: &mut dyn Canvas, shown: &[&MapFeature], frame: &Frame) {
    let z = frame.zoom;
    for f in shown.iter().filter(|f| f.layer.is_area()) {
        let fill = match f.layer {
            MapLayer::Water => WATER,
            MapLayer::Forest => FOREST,
            _ => PARK,
        };
        c.polygon(&[screen(frame, f)], Some(fill), None);
    }
    for f in shown
        .iter()
        .filter(|f| !f.layer.is_area() && !f.layer.is_place())
    {
        let points = screen(frame, f);
        match f.layer {
            MapLayer::River => c.polyline(&points, Stroke::solid(WATER, width_at(14.0, z))),
            MapLayer::Stream => c.polyline(&points, Stroke::solid(WATER, width_at(3.0, z))),
            MapLayer::Railway => {
                c.polyline(&points, Stroke::solid(RAIL, width_at(3.5, z).max(1.0)));
                if z >= 14 {
                    c.polyline(&points, Stroke::dashed(LAND, width_at(1.8, z)));
                }
            }
            _ => {}
        }
    }
    // Roads: every casing first, then every fill, so crossings join instead of cutting each other.
    let roads: Vec<&&MapFeature> = shown.iter().filter(|f| f.layer.is_road()).collect();
    if z >= 13 {
        for f in &roads {
            let (casing, _, w) = road_style(f.layer);
            if f.layer != MapLayer::Path {
                let w = width_at(w, z);
                c.polyline(&screen(frame, f), Stroke::solid(casing, w + 1.6));
            }
        }
    }
    for f in &roads {
        let (_, fill, w) = road_style(f.layer);
        let stroke = if f.layer == MapLayer::Path {
            Stroke::dashed(fill, w)
        } else if z < 13 {
            // Too thin for a casing: the casing's colour, so that the road reads on the land.
            Stroke::solid(road_style(f.layer).0, width_at(w, z))
        } else {
            Stroke::solid(fill, width_at(w, z))
        };
        c.polyline(&screen(frame, f), stroke);
    }
}

/// A label's footprint on the canvas, to keep labels apart.
#[derive(Clone, Copy)]
struct Footprint {
    x0: f32,
    y0: f32,
    x1: f32,
    y1: f32,
}

impl Footprint {
    fn around(x: f32, y: f32, half_w: f32, half_h: f32) -> Footprint {
        Footprint {
            x0: x - half_w,
            y0: y - half_h,
            x1: x + half_w,
            y1: y + half_h,
        }
    }

    fn meets(&self, o: &Footprint) -> bool {
        self.x0 < o.x1 && o.x0 < self.x1 && self.y0 < o.y1 && o.y0 < self.y1
    }

    fn inside(&self, frame: &Frame) -> bool {
        self.x0 >= 1.0
            && self.y0 >= 1.0
            && self.x1 <= frame.width - 1.0
            && self.y1 <= frame.height - 1.0
    }
}

fn place_style(layer: MapLayer, zoom: u8) -> (f32, Weight) {
    match layer {
        MapLayer::Town => (if zoom >= 14 { 16.0 } else { 14.0 }, Weight::Bold),
        MapLayer::Village => (12.5, Weight::Bold),
        MapLayer::Neighbourhood => (11.5, Weight::Regular),
        _ => (10.0, Weight::Regular),
    }
}

fn names(c: &mut dyn Canvas, shown: &[&MapFeature], frame: &Frame) {
    let z = frame.zoom;
    let mut taken: Vec<Footprint> = Vec::new();
    // Places first and whatever their footprint (a tile draws a place name its neighbour finishes: both put it
    // at the same spot), the largest first.
    let mut places: Vec<&&MapFeature> = shown.iter().filter(|f| f.layer.is_place()).collect();
    places.sort_by_key(|f| std::cmp::Reverse(f.layer));
    for f in places {
        let (Some(name), Some(&(lon, lat))) = (&f.name, f.points.first()) else {
            continue;
        };
        let (x, y) = (frame.project)(lon, lat);
        let (size, weight) = place_style(f.layer, z);
        let w = c.text_width(name, size, weight);
        let print = Footprint::around(x, y, w / 2.0 + 2.0, size * 0.7);
        if taken.iter().any(|t| t.meets(&print)) {
            continue;
        }
        c.label(x, y, 0.0, size, weight, PLACE_TEXT, name);
        taken.push(print);
    }
    // Lines named along themselves: rivers, then roads from the main ones; each label wholly inside the frame.
    let mut lines: Vec<&&MapFeature> = shown
        .iter()
        .filter(|f| f.name.is_some() && (f.layer.is_road() || f.layer == MapLayer::River))
        .filter(|f| z >= name_zoom(f.layer))
        .collect();
    lines.sort_by_key(|f| (f.layer != MapLayer::River, std::cmp::Reverse(f.layer)));
    for f in lines {
        let Some(name) = &f.name else { continue };
        let (size, color) = if f.layer == MapLayer::River {
            (11.0, WATER_TEXT)
        } else {
            (
                if f.layer >= MapLayer::Secondary {
                    10.0
                } else {
                    9.0
                },
                STREET_TEXT,
            )
        };
        let width = c.text_width(name, size, Weight::Regular);
        let Some((x, y, angle)) = along(&screen(frame, f), width + 16.0, frame) else {
            continue;
        };
        let r = angle.to_radians();
        let half_w = (width / 2.0) * r.cos().abs() + (size / 2.0) * r.sin().abs() + 2.0;
        let half_h = (width / 2.0) * r.sin().abs() + (size / 2.0) * r.cos().abs() + 2.0;
        let print = Footprint::around(x, y, half_w, half_h);
        if !print.inside(frame) || taken.iter().any(|t| t.meets(&print)) {
            continue;
        }
        c.label(x, y, angle, size, Weight::Regular, color, name);
        taken.push(print);
    }
}

/// The zoom from which a line's name is written.
fn name_zoom(layer: MapLayer) -> u8 {
    match layer {
        MapLayer::River => 12,
        MapLayer::Motorway | MapLayer::Primary | MapLayer::Secondary => 14,
        _ => 15,
    }
}

/// Where to write a name `length` long along a line: the middle of the longest run of the line inside the
/// frame, turned like the run there (never upside down); None when no run is long enough.
fn along(points: &[(f32, f32)], length: f32, frame: &Frame) -> Option<(f32, f32, f32)> {
    let mut best: Option<(f32, Vec<(f32, f32)>)> = None;
    for run in runs_inside(points, frame) {
        let len: f32 = run.windows(2).map(|w| dist(w[0], w[1])).sum();
        if len >= length && best.as_ref().is_none_or(|(l, _)| len > *l) {
            best = Some((len, run));
        }
    }
    let (len, run) = best?;
    let at = |d: f32| -> (f32, f32) {
        let mut left = d;
        for w in run.windows(2) {
            let l = dist(w[0], w[1]);
            if left <= l && l > 0.0 {
                let t = left / l;
                return (
                    w[0].0 + (w[1].0 - w[0].0) * t,
                    w[0].1 + (w[1].1 - w[0].1) * t,
                );
            }
            left -= l;
        }
        run[run.len() - 1]
    };
    let (a, m, b) = (
        at(len / 2.0 - length / 2.0),
        at(len / 2.0),
        at(len / 2.0 + length / 2.0),
    );
    let mut angle = (b.1 - a.1).atan2(b.0 - a.0).to_degrees();
    if angle > 90.0 {
        angle -= 180.0;
    } else if angle < -90.0 {
        angle += 180.0;
    }
    // The label is straight: on a line that bends too much under it, it would leave the street.
    let chord = dist(a, b);
    (chord >= length * 0.85).then_some((m.0, m.1, angle))
}

/// The parts of a line inside the frame (segments cut at its edges, Liang–Barsky).
fn runs_inside(points: &[(f32, f32)], frame: &Frame) -> Vec<Vec<(f32, f32)>> {
    let mut runs: Vec<Vec<(f32, f32)>> = Vec::new();
    let mut current: Vec<(f32, f32)> = Vec::new();
    for w in points.windows(2) {
        let (a, b) = (w[0], w[1]);
        let (dx, dy) = (b.0 - a.0, b.1 - a.1);
        let (mut t0, mut t1) = (0f32, 1f32);
        let edges = [
            (-dx, a.0),
            (dx, frame.width - a.0),
            (-dy, a.1),
            (dy, frame.height - a.1),
        ];
        let visible = edges.iter().all(|&(p, q)| {
            if p == 0.0 {
                return q >= 0.0;
            }
            let t = q / p;
            if p < 0.0 {
                t0 = t0.max(t);
            } else {
                t1 = t1.min(t);
            }
            t0 <= t1
        });
        if !visible {
            if current.len() >= 2 {
                runs.push(std::mem::take(&mut current));
            }
            current.clear();
            continue;
        }
        let start = (a.0 + dx * t0, a.1 + dy * t0);
        let end = (a.0 + dx * t1, a.1 + dy * t1);
        if current.last() != Some(&start) {
            if current.len() >= 2 {
                runs.push(std::mem::take(&mut current));
            }
            current = vec![start];
        }
        current.push(end);
        if t1 < 1.0 {
            runs.push(std::mem::take(&mut current));
        }
    }
    if current.len() >= 2 {
        runs.push(current);
    }
    runs
}

fn dist(a: (f32, f32), b: (f32, f32)) -> f32 {
    ((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt()
}

/// The SVG of Web Mercator tile (`z`, `x`, `y`), `part` of it, from the features near it (land coloured under
/// the ground; the names on a transparent ground), with its `title`.
pub fn tile_svg(
    features: &[MapFeature],
    (z, x, y): (u8, u32, u32),
    part: Part,
    title: &str,
) -> String {
    let (ox, oy) = (
        f64::from(x) * f64::from(TILE_SIZE),
        f64::from(y) * f64::from(TILE_SIZE),
    );
    let project = move |lon: f64, lat: f64| {
        let (px, py) = mercator_px(lon, lat, z, f64::from(TILE_SIZE));
        ((px - ox) as f32, (py - oy) as f32)
    };
    let frame = Frame {
        project: &project,
        width: TILE_SIZE,
        height: TILE_SIZE,
        zoom: z,
    };
    let mut c = SvgCanvas::new(TILE_SIZE, TILE_SIZE);
    if part != Part::Names {
        c.rect(0.0, 0.0, TILE_SIZE, TILE_SIZE, Some(LAND), None);
    }
    draw(&mut c, features, &frame, part);
    c.finish_bare(title)
}

#[cfg(test)]
mod tests {
    use super::*;
    use maillage_kit::basemap::tile_box;

    fn street(name: &str, layer: MapLayer, points: Vec<(f64, f64)>) -> MapFeature {
        MapFeature {
            layer,
            name: Some(name.into()),
            points,
        }
    }

    #[test]
    fn a_tile_draws_streets_water_and_names() {
        let b = tile_box(15, 16538, 11651);
        let (x0, x1) = (b.min_lon, b.max_lon);
        let ym = (b.min_lat + b.max_lat) / 2.0;
        let features = vec![
            street(
                "Avenue de la Gare",
                MapLayer::Primary,
                vec![(x0 - 0.001, ym), (x1 + 0.001, ym)],
            ),
            street(
                "Le Clain",
                MapLayer::River,
                vec![(x0, b.min_lat), (x1, b.max_lat)],
            ),
            MapFeature {
                layer: MapLayer::Town,
                name: Some("Bellerive".into()),
                // Top left, away from the avenue and the river.
                points: vec![(
                    x0 + (x1 - x0) * 0.3,
                    b.min_lat + (b.max_lat - b.min_lat) * 0.8,
                )],
            },
        ];
        let ground = tile_svg(&features, (15, 16538, 11651), Part::Ground, "tuile");
        assert!(ground.contains("<polyline"), "{ground}");
        assert!(ground.contains("#aad3df"), "water is drawn");
        assert!(!ground.contains("Bellerive"), "names are not on the ground");
        let names = tile_svg(&features, (15, 16538, 11651), Part::Names, "tuile");
        assert!(names.contains("Bellerive"), "{names}");
        assert!(
            names.contains("Avenue de la Gare") || names.contains("Le Clain"),
            "{names}"
        );
        // A tile far away draws the land and nothing else.
        let empty = tile_svg(&[], (15, 0, 0), Part::Ground, "tuile");
        assert!(!empty.contains("<polyline"));
    }

    #[test]
    fn labels_follow_the_line_and_are_never_upside_down() {
        let frame = Frame {
            project: &|x, y| (x as f32, y as f32),
            width: 200.0,
            height: 200.0,
            zoom: 16,
        };
        let (_, _, angle) = along(&[(180.0, 100.0), (20.0, 100.0)], 60.0, &frame).unwrap();
        assert!(angle.abs() < 1e-3, "{angle}");
        assert!(along(&[(0.0, 0.0), (10.0, 0.0)], 60.0, &frame).is_none());
    }
}

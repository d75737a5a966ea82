//! The road network of the demonstration territory: a street lattice over the town and its neighbours, bent by
//! the town's shape ([`super::at`]), so that travel times and accessibility are computed over a network, as with
//! real data; and the same streets as lines of the background map, classed and named. The lattice lines nearest
//! the IRIS' borders are moved onto them (IRIS follow streets, as INSEE draws them), and the river Clain runs
//! along the border of Rive Ouest, crossed by bridges where the avenues are.

use super::{CELL_BORDERS_X, CELL_BORDERS_Y, RIVER_X, at};
use crate::names::STREETS;
use crate::rng::Rng;
use maillage_kit::basemap::{MapFeature, MapLayer};

/// Road nodes (id, lon, lat) and one-way edges (from, to, milliseconds).
pub(super) type Roads = (Vec<(i64, f64, f64)>, Vec<(i64, i64, i64)>);

const STEP: f64 = 0.25;
const X0: f64 = -10.0;
const Y0: f64 = -4.0;

/// Names of the lattice's ordinary streets, beyond the town's own list (names.rs).
const MORE_STREETS: &[&str] = &[
    "rue des Lavandières",
    "rue du Pressoir",
    "allée des Charmes",
    "rue de la Fontaine",
    "rue des Peupliers",
    "rue du Four",
    "rue des Jardins",
    "rue Saint-Martin",
    "rue du Stade",
    "rue de l'Église",
    "rue des Coquelicots",
    "impasse du Verger",
    "rue de la Tuilerie",
    "rue des Cerisiers",
    "rue du Lavoir",
    "allée des Saules",
    "rue des Mésanges",
    "rue du Château-d'Eau",
    "rue de la Forge",
    "chemin des Prés",
    "rue Condorcet",
    "rue Voltaire",
    "rue Diderot",
    "rue Molière",
    "rue Racine",
    "rue Lamartine",
    "rue George-Sand",
    "rue Colette",
    "rue Marie-Curie",
    "rue Louise-Michel",
    "rue Jean-Moulin",
    "rue Camille-Claudel",
    "rue des Rosiers",
    "rue des Vergers",
    "rue de la Poste",
    "rue des Bleuets",
];

/// The lattice's x (or y) of index `i`, moved onto an IRIS border when one is within half a step.
fn line_at(origin: f64, i: i64, borders: &[f64]) -> (f64, bool) {
    let v = origin + i as f64 * STEP;
    match borders.iter().find(|b| (*b - v).abs() < STEP / 2.0) {
        Some(b) => (*b, true),
        None => (v, false),
    }
}

/// The road network described above and its lines for the background map; node jitter, missing links and
/// one-way streets are drawn from `rng`.
pub(super) fn roads(rng: &mut Rng) -> (Roads, Vec<MapFeature>) {
    let nx = (20.0 / STEP) as i64 + 1;
    let ny = (8.0 / STEP) as i64 + 1;
    let id = |i: i64, j: i64| 1 + j * nx + i;
    let mut nodes = Vec::new();
    let mut xy = std::collections::HashMap::new();
    for j in 0..ny {
        for i in 0..nx {
            let jitter = (rng.range(-0.04, 0.04), rng.range(-0.04, 0.04));
            let (x, on_x) = line_at(X0, i, CELL_BORDERS_X);
            let (y, on_y) = line_at(Y0, j, CELL_BORDERS_Y);
            // Border streets run straight along the border (bent with the town only).
            let x = if on_x { x } else { x + jitter.0 };
            let y = if on_y { y } else { y + jitter.1 };
            let (lon, lat) = at(x, y);
            nodes.push((id(i, j), lon, lat));
            xy.insert(id(i, j), (x, y));
        }
    }
    let mut edges = Vec::new();
    let link = |a: i64, b: i64, kmh: f64, oneway: bool, edges: &mut Vec<(i64, i64, i64)>| {
        let (xa, ya) = xy[&a];
        let (xb, yb) = xy[&b];
        let km = ((xa - xb).powi(2) + (ya - yb).powi(2)).sqrt();
        let ms = (km / kmh * 3_600_000.0).round().max(1.0) as i64;
        edges.push((a, b, ms));
        if !oneway {
            edges.push((b, a, ms));
        }
    };
    let ring = |i: i64, j: i64| {
        let (x, y) = (X0 + i as f64 * STEP, Y0 + j as f64 * STEP);
        (x.abs() - 4.5).abs() < 1e-9 && y.abs() <= 3.5
            || (y.abs() - 3.5).abs() < 1e-9 && x.abs() <= 4.5
    };
    // The drawn streets: (layer, line key) for each kept link, joined into lines afterwards.
    let mut drawn: Vec<Link> = Vec::new();
    for j in 0..ny {
        for i in 0..nx {
            for (di, dj) in [(1, 0), (0, 1)] {
                let (i2, j2) = (i + di, j + dj);
                if i2 >= nx || j2 >= ny {
                    continue;
                }
                let avenue = if di == 1 { j % 4 == 0 } else { i % 4 == 0 };
                let ring_road = ring(i, j) && ring(i2, j2);
                let kmh = if ring_road {
                    70.0
                } else if avenue {
                    50.0
                } else {
                    30.0
                };
                if !avenue && !ring_road && rng.chance(0.04) {
                    continue; // a missing link: a building, a dead end
                }
                let (x, y) = xy[&id(i, j)];
                let centre = x.abs() < 1.5 && y.abs() < 1.2;
                let oneway = centre && !avenue && rng.chance(0.5);
                // The river: only avenues and the ring road cross it (bridges).
                let x2 = xy[&id(i2, j2)].0;
                let crosses = di == 1 && (x - RIVER_X) * (x2 - RIVER_X) < 0.0 && y.abs() < 4.0;
                if crosses && !avenue && !ring_road {
                    continue;
                }
                let (a, b) = if oneway && (i + j) % 2 == 0 {
                    (id(i2, j2), id(i, j))
                } else {
                    (id(i, j), id(i2, j2))
                };
                link(a, b, kmh, oneway, &mut edges);
                let border = if di == 1 {
                    line_at(Y0, j, CELL_BORDERS_Y).1 && x.abs() <= 4.0 && y.abs() <= 3.0
                } else {
                    line_at(X0, i, CELL_BORDERS_X).1 && y.abs() <= 3.0 && x.abs() <= 4.0
                };
                let layer = if ring_road {
                    MapLayer::Primary
                } else if avenue {
                    MapLayer::Secondary
                } else if border {
                    MapLayer::Tertiary
                } else {
                    MapLayer::Street
                };
                // A line is a row (or column) of the lattice; ordinary streets change name at each avenue.
                let (line, block) = if di == 1 { (j, i / 4) } else { (i, j / 4) };
                let block = if matches!(layer, MapLayer::Street | MapLayer::Tertiary) {
                    block
                } else {
                    -1
                };
                drawn.push(((layer, di == 1, line, block), id(i, j), id(i2, j2)));
            }
        }
    }
    let lines = street_lines(drawn, &|n| {
        let (x, y) = xy[&n];
        at(x, y)
    });
    ((nodes, edges), lines)
}

/// A street's key: its layer, whether it runs east-west, its line of the lattice, its block (-1: whole line).
type StreetKey = (MapLayer, bool, i64, i64);
/// A kept link of the lattice: its street, and the nodes it joins.
type Link = (StreetKey, i64, i64);

/// Consecutive links of one street joined into lines, each named.
fn street_lines(mut drawn: Vec<Link>, position: &dyn Fn(i64) -> (f64, f64)) -> Vec<MapFeature> {
    drawn.sort_by_key(|(key, a, _)| (*key, *a));
    let mut out: Vec<MapFeature> = Vec::new();
    let mut names = std::collections::HashMap::new();
    let mut last: Option<(&StreetKey, i64)> = None;
    for (key, a, b) in &drawn {
        let continues = last.is_some_and(|(k, end)| k == key && end == *a);
        if continues && let Some(f) = out.last_mut() {
            f.points.push(position(*b));
        } else {
            let n = names.len();
            let name = names
                .entry(*key)
                .or_insert_with(|| street_name(key.0, n))
                .clone();
            out.push(MapFeature {
                layer: key.0,
                name: Some(name),
                points: vec![position(*a), position(*b)],
            });
        }
        last = Some((key, *b));
    }
    out
}

/// A street's name: the town's main names for its avenues and border streets, then the others.
fn street_name(layer: MapLayer, n: usize) -> String {
    let name = match layer {
        MapLayer::Primary => "rocade du Clain",
        MapLayer::Secondary | MapLayer::Tertiary => {
            let main: Vec<&str> = STREETS.iter().filter(|s| s.main).map(|s| s.name).collect();
            main[n % main.len()]
        }
        _ => {
            let all: Vec<&str> = STREETS
                .iter()
                .map(|s| s.name)
                .chain(MORE_STREETS.iter().copied())
                .collect();
            all[n % all.len()]
        }
    };
    // As printed on a map: a capital first.
    let mut chars = name.chars();
    chars
        .next()
        .map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}

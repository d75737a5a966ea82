//! The road network of the demonstration territory: a street grid over the town and its neighbours, so that
//! travel times and accessibility are computed over a network, as with real data.

use super::at;
use crate::rng::Rng;

/// A street grid over the town and its neighbours: every 250 m, 30 km/h in streets, 50 km/h on the avenues
/// every kilometre, 70 km/h on a ring road, one-way streets in the centre, a few missing links.
/// Road nodes (id, lon, lat) and one-way edges (from, to, milliseconds).
pub(super) type Roads = (Vec<(i64, f64, f64)>, Vec<(i64, i64, i64)>);

/// The road network described above; node jitter, missing links and one-way streets are drawn from `rng`.
pub(super) fn roads(rng: &mut Rng) -> Roads {
    const STEP: f64 = 0.25;
    let nx = (20.0 / STEP) as i64 + 1;
    let ny = (8.0 / STEP) as i64 + 1;
    let id = |i: i64, j: i64| 1 + j * nx + i;
    let mut nodes = Vec::new();
    let mut xy = std::collections::HashMap::new();
    for j in 0..ny {
        for i in 0..nx {
            let x = -10.0 + i as f64 * STEP + rng.range(-0.04, 0.04);
            let y = -4.0 + j as f64 * STEP + rng.range(-0.04, 0.04);
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
        let (x, y) = (-10.0 + i as f64 * STEP, -4.0 + j as f64 * STEP);
        (x.abs() - 4.5).abs() < 1e-9 && y.abs() <= 3.5
            || (y.abs() - 3.5).abs() < 1e-9 && x.abs() <= 4.5
    };
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
                    continue; // a missing link: a building, a river, a dead end
                }
                let (x, y) = xy[&id(i, j)];
                let centre = x.abs() < 1.5 && y.abs() < 1.2;
                let oneway = centre && !avenue && rng.chance(0.5);
                let (a, b) = if oneway && (i + j) % 2 == 0 {
                    (id(i2, j2), id(i, j))
                } else {
                    (id(i, j), id(i2, j2))
                };
                link(a, b, kmh, oneway, &mut edges);
            }
        }
    }
    (nodes, edges)
}

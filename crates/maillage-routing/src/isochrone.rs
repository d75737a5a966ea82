//! Isochrone polygons by contouring a travel-time field.
//!
//! Method (documented for users in `bench/routing/README.md`):
//! 1. one bounded Dijkstra from the points (all at time 0) up to the largest threshold;
//! 2. every reached arc is sampled every half grid cell, each sample carrying the time interpolated
//!    along the arc, so partly travelled arcs count up to where the time runs out;
//! 3. a regular grid in a local metric projection gets, at each vertex, the smallest
//!    `sample time + distance / off-road speed` over the samples within the off-road distance:
//!    the time to reach that spot, finishing on foot from the nearest reached road;
//! 4. each threshold's polygon is the region where that field is at most the threshold, traced by
//!    marching squares (with the saddle cases decided by the cell centre).
//!
//! Regions of one field at growing levels are nested by construction, polygons follow the roads
//! actually reached (no convex or concave hull bridging across rivers or a motorway never entered),
//! and holes (unreached blocks) are kept.

use crate::error::{Result, RoutingError};
use crate::geodesy::LocalProjection;
use crate::graph::{Graph, NodeIndex};
use crate::profile::Profile;
use crate::search::Dijkstra;
use geo::{Area, BooleanOps, BoundingRect, Coord, LineString, MultiPolygon, Polygon};
use std::collections::HashMap;

/// Parameters of the contouring.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IsochroneOptions {
    /// Grid step in metres: the resolution of the polygons.
    pub cell_m: f64,
    /// How far from a reached road a place still counts as reached, in metres.
    pub offroad_m: f64,
    /// Speed over that last stretch (on foot), km/h.
    pub offroad_kmh: f64,
}

impl IsochroneOptions {
    /// Defaults: 50 m cells and 150 m from the road for cars, 20 m cells and 60 m for walking,
    /// finishing on foot at 5 km/h.
    pub fn for_profile(profile: Option<Profile>) -> Self {
        match profile {
            Some(Profile::Walk) => IsochroneOptions {
                cell_m: 20.0,
                offroad_m: 60.0,
                offroad_kmh: 5.0,
            },
            _ => IsochroneOptions {
                cell_m: 50.0,
                offroad_m: 150.0,
                offroad_kmh: 5.0,
            },
        }
    }
}

/// The area reachable within `minutes`, in WGS84 lon/lat.
#[derive(Debug, Clone, PartialEq)]
pub struct Isochrone {
    pub minutes: f64,
    pub polygon: MultiPolygon<f64>,
    pub area_km2: f64,
    /// Population covered (area-weighted) when zones were given.
    pub population: Option<f64>,
}

/// Most grid vertices a single isochrone computation allocates; beyond, cells are enlarged.
const MAX_GRID_VERTICES: f64 = 16.0e6;

impl Graph {
    /// Isochrones around `sources` (reachable from any of them) for each threshold in minutes, in
    /// the given order. With `zones` (polygon, population), each isochrone also gets the population
    /// it covers, each zone counting in proportion to its area inside the isochrone.
    pub fn isochrones(
        &self,
        sources: &[NodeIndex],
        minutes: &[f64],
        options: &IsochroneOptions,
        zones: Option<&[(MultiPolygon<f64>, f64)]>,
    ) -> Result<Vec<Isochrone>> {
        for &m in minutes {
            if !(m.is_finite() && m > 0.0 && m <= 24.0 * 60.0) {
                return Err(RoutingError::InvalidThreshold { value: m });
            }
        }
        for o in [options.cell_m, options.offroad_m, options.offroad_kmh] {
            if !(o.is_finite() && o > 0.0) {
                return Err(RoutingError::InvalidThreshold { value: o });
            }
        }
        let Some(max_minutes) = minutes.iter().copied().reduce(f64::max) else {
            return Ok(Vec::new());
        };
        let max_ms = (max_minutes * 60_000.0).ceil() as u32;
        let mut search = Dijkstra::new(self);
        search.run(sources, max_ms)?;
        let reached = search.reached();
        if reached.is_empty() {
            return Ok(minutes
                .iter()
                .map(|&m| Isochrone {
                    minutes: m,
                    polygon: MultiPolygon(vec![]),
                    area_km2: 0.0,
                    population: zones.map(|_| 0.0),
                })
                .collect());
        }
        let mean_lat = reached
            .iter()
            .map(|&(n, _)| self.position(n)[1])
            .sum::<f64>()
            / reached.len() as f64;
        let projection = LocalProjection::at_latitude(mean_lat);
        let samples = self.samples(reached, &projection, options.cell_m / 2.0, max_ms);
        let field = Field::new(&samples, options, max_minutes * 60.0);
        Ok(minutes
            .iter()
            .map(|&m| {
                let (polygon, area_m2) = field.region(m * 60.0, &projection);
                let population = zones.map(|z| covered_population(&polygon, z));
                Isochrone {
                    minutes: m,
                    polygon,
                    area_km2: area_m2 / 1e6,
                    population,
                }
            })
            .collect())
    }

    /// Points along reached arcs, projected, with their time in seconds.
    fn samples(
        &self,
        reached: &[(NodeIndex, u32)],
        projection: &LocalProjection,
        step_m: f64,
        max_ms: u32,
    ) -> Vec<[f64; 3]> {
        let mut out = Vec::new();
        for &(u, du) in reached {
            let du = du as f64;
            let [ux, uy] = projection.forward(self.position(u)[0], self.position(u)[1]);
            out.push([ux, uy, du / 1000.0]);
            for arc in self.arcs(u) {
                let [vx, vy] =
                    projection.forward(self.position(arc.head)[0], self.position(arc.head)[1]);
                let length = (vx - ux).hypot(vy - uy);
                let steps = (length / step_m).ceil().max(1.0) as u32;
                for s in 1..steps {
                    let f = s as f64 / steps as f64;
                    let t = du + f * arc.millis as f64;
                    if t > max_ms as f64 {
                        break;
                    }
                    out.push([ux + f * (vx - ux), uy + f * (vy - uy), t / 1000.0]);
                }
            }
        }
        out
    }
}

/// Travel time (seconds) at the vertices of a regular grid in projected metres.
struct Field {
    x0: f64,
    y0: f64,
    cell: f64,
    nx: usize,
    ny: usize,
    values: Vec<f32>,
}

impl Field {
    fn new(samples: &[[f64; 3]], options: &IsochroneOptions, max_seconds: f64) -> Field {
        let r = options.offroad_m;
        let speed = options.offroad_kmh / 3.6;
        let (mut min, mut max) = ([f64::INFINITY; 2], [f64::NEG_INFINITY; 2]);
        for s in samples {
            for d in 0..2 {
                min[d] = min[d].min(s[d]);
                max[d] = max[d].max(s[d]);
            }
        }
        let mut cell = options.cell_m;
        let extent = |cell: f64, d: usize| ((max[d] - min[d] + 2.0 * r) / cell).ceil() + 5.0;
        let vertices = extent(cell, 0) * extent(cell, 1);
        if vertices > MAX_GRID_VERTICES {
            cell *= (vertices / MAX_GRID_VERTICES).sqrt();
        }
        // Two empty cells beyond the reach of any sample keep the border outside every contour.
        let (x0, y0) = (min[0] - r - 2.0 * cell, min[1] - r - 2.0 * cell);
        let (nx, ny) = (extent(cell, 0) as usize, extent(cell, 1) as usize);
        // Unreached vertices get a finite value above every threshold so that crossings can be
        // interpolated; any such value keeps the regions nested.
        let unreached = (max_seconds + r / speed + 1.0) as f32;
        let mut values = vec![unreached; nx * ny];
        let reach = (r / cell).ceil() as i64;
        for &[x, y, t] in samples {
            let (ci, cj) = (
                ((x - x0) / cell).round() as i64,
                ((y - y0) / cell).round() as i64,
            );
            for j in (cj - reach).max(0)..=(cj + reach).min(ny as i64 - 1) {
                let dy = y0 + j as f64 * cell - y;
                for i in (ci - reach).max(0)..=(ci + reach).min(nx as i64 - 1) {
                    let dx = x0 + i as f64 * cell - x;
                    let d = dx.hypot(dy);
                    if d <= r {
                        let v = (t + d / speed) as f32;
                        let slot = &mut values[j as usize * nx + i as usize];
                        if v < *slot {
                            *slot = v;
                        }
                    }
                }
            }
        }
        Field {
            x0,
            y0,
            cell,
            nx,
            ny,
            values,
        }
    }

    #[inline]
    fn at(&self, i: usize, j: usize) -> f32 {
        self.values[j * self.nx + i]
    }

    /// The region where the field is at most `level`, in lon/lat, and its area in m².
    fn region(&self, level: f64, projection: &LocalProjection) -> (MultiPolygon<f64>, f64) {
        let rings = self.contour(level as f32);
        let mut exteriors: Vec<(Vec<[f64; 2]>, f64)> = Vec::new();
        let mut holes: Vec<(Vec<[f64; 2]>, f64)> = Vec::new();
        for ring in rings {
            let a = signed_area(&ring);
            if a > 0.0 {
                exteriors.push((ring, a));
            } else if a < 0.0 {
                holes.push((ring, a));
            }
        }
        // Each hole goes to the smallest exterior containing it (islands inside holes exist).
        let mut interiors: Vec<Vec<Vec<[f64; 2]>>> = vec![Vec::new(); exteriors.len()];
        let boxes: Vec<[f64; 4]> = exteriors.iter().map(|(r, _)| ring_box(r)).collect();
        for (hole, _) in holes {
            let p = hole[0];
            let owner = exteriors
                .iter()
                .enumerate()
                .filter(|(k, (ring, _))| {
                    let b = boxes[*k];
                    p[0] >= b[0]
                        && p[0] <= b[2]
                        && p[1] >= b[1]
                        && p[1] <= b[3]
                        && point_in_ring(p, ring)
                })
                .min_by(|a, b| a.1.1.total_cmp(&b.1.1))
                .map(|(k, _)| k);
            if let Some(k) = owner {
                interiors[k].push(hole);
            }
        }
        let mut area = 0.0;
        let to_lonlat = |ring: &[[f64; 2]]| -> LineString<f64> {
            let mut coords: Vec<Coord<f64>> = ring
                .iter()
                .map(|&[gx, gy]| {
                    let [lon, lat] =
                        projection.inverse(self.x0 + gx * self.cell, self.y0 + gy * self.cell);
                    Coord { x: lon, y: lat }
                })
                .collect();
            coords.push(coords[0]);
            LineString(coords)
        };
        let cell2 = self.cell * self.cell;
        let polygons = exteriors
            .iter()
            .zip(interiors)
            .map(|((ring, a), holes)| {
                area += a * cell2;
                for h in &holes {
                    area -= signed_area(h).abs() * cell2;
                }
                Polygon::new(
                    to_lonlat(ring),
                    holes.iter().map(|h| to_lonlat(h)).collect(),
                )
            })
            .collect();
        (MultiPolygon(polygons), area)
    }

    /// Closed rings (grid coordinates) around the vertices with value ≤ `level`, inside on the left:
    /// outer rings counter-clockwise, holes clockwise.
    fn contour(&self, level: f32) -> Vec<Vec<[f64; 2]>> {
        let (nx, ny) = (self.nx, self.ny);
        // Crossing ids: 2·(j·nx + i) for the edge (i,j)–(i+1,j), +1 for the edge (i,j)–(i,j+1).
        let h = |i: usize, j: usize| 2 * (j * nx + i) as u64;
        let v = |i: usize, j: usize| 2 * (j * nx + i) as u64 + 1;
        let mut next: HashMap<u64, u64> = HashMap::new();
        for j in 0..ny - 1 {
            for i in 0..nx - 1 {
                let corners = [
                    self.at(i, j),
                    self.at(i + 1, j),
                    self.at(i + 1, j + 1),
                    self.at(i, j + 1),
                ];
                let inside = corners.map(|c| c <= level);
                if inside.iter().all(|&b| b) || inside.iter().all(|&b| !b) {
                    continue;
                }
                // Cell edges counter-clockwise: bottom, right, top, left.
                let edges = [h(i, j), v(i + 1, j), h(i, j + 1), v(i, j)];
                let mut leaving = Vec::with_capacity(2); // crossings where the inside is left behind
                let mut entering = Vec::with_capacity(2);
                for k in 0..4 {
                    match (inside[k], inside[(k + 1) % 4]) {
                        (true, false) => leaving.push(k),
                        (false, true) => entering.push(k),
                        _ => {}
                    }
                }
                if leaving.len() == 1 {
                    next.insert(edges[leaving[0]], edges[entering[0]]);
                } else {
                    // Saddle: join through the centre when the centre is inside.
                    let centre_inside = corners.iter().sum::<f32>() / 4.0 <= level;
                    for &k in &leaving {
                        let to = if centre_inside {
                            (k + 1) % 4
                        } else {
                            (k + 3) % 4
                        };
                        next.insert(edges[k], edges[to]);
                    }
                }
            }
        }
        let point = |id: u64| -> [f64; 2] {
            let cell = (id / 2) as usize;
            let (i, j) = (cell % nx, cell / nx);
            let (a, b) = if id.is_multiple_of(2) {
                (self.at(i, j), self.at(i + 1, j))
            } else {
                (self.at(i, j), self.at(i, j + 1))
            };
            let t = f64::from((level - a) / (b - a)).clamp(1e-4, 1.0 - 1e-4);
            if id.is_multiple_of(2) {
                [i as f64 + t, j as f64]
            } else {
                [i as f64, j as f64 + t]
            }
        };
        let mut starts: Vec<u64> = next.keys().copied().collect();
        starts.sort_unstable(); // deterministic output
        let mut rings = Vec::new();
        for start in starts {
            if !next.contains_key(&start) {
                continue;
            }
            let mut ring = Vec::new();
            let mut id = start;
            while let Some(to) = next.remove(&id) {
                ring.push(point(id));
                id = to;
            }
            if ring.len() >= 3 {
                rings.push(ring);
            }
        }
        rings
    }
}

fn signed_area(ring: &[[f64; 2]]) -> f64 {
    let n = ring.len();
    (0..n)
        .map(|k| ring[k][0] * ring[(k + 1) % n][1] - ring[(k + 1) % n][0] * ring[k][1])
        .sum::<f64>()
        / 2.0
}

fn ring_box(ring: &[[f64; 2]]) -> [f64; 4] {
    ring.iter().fold(
        [
            f64::INFINITY,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NEG_INFINITY,
        ],
        |b, p| {
            [
                b[0].min(p[0]),
                b[1].min(p[1]),
                b[2].max(p[0]),
                b[3].max(p[1]),
            ]
        },
    )
}

fn point_in_ring(p: [f64; 2], ring: &[[f64; 2]]) -> bool {
    let mut inside = false;
    let n = ring.len();
    let mut j = n - 1;
    for i in 0..n {
        let (a, b) = (ring[i], ring[j]);
        if (a[1] > p[1]) != (b[1] > p[1])
            && p[0] < (b[0] - a[0]) * (p[1] - a[1]) / (b[1] - a[1]) + a[0]
        {
            inside = !inside;
        }
        j = i;
    }
    inside
}

/// Population inside `area`: each zone's population times the share of the zone's area inside.
/// All coordinates are WGS84 lon/lat; shares are computed on lon/lat areas, which equal the shares
/// of projected areas for any projection affine over the zone (equirectangular at its latitude).
pub fn covered_population(area: &MultiPolygon<f64>, zones: &[(MultiPolygon<f64>, f64)]) -> f64 {
    let Some(bounds) = area.bounding_rect() else {
        return 0.0;
    };
    zones
        .iter()
        .filter(|(_, population)| population.is_finite() && *population > 0.0)
        .map(|(zone, population)| {
            let Some(zb) = zone.bounding_rect() else {
                return 0.0;
            };
            if zb.max().x < bounds.min().x
                || zb.min().x > bounds.max().x
                || zb.max().y < bounds.min().y
                || zb.min().y > bounds.max().y
            {
                return 0.0;
            }
            let total = zone.unsigned_area();
            if total <= 0.0 {
                return 0.0;
            }
            let inside = zone.intersection(area).unsigned_area();
            population * (inside / total).clamp(0.0, 1.0)
        })
        .sum()
}

impl Isochrone {
    /// A GeoJSON Feature: the polygon with properties `minutes`, `surface_km2` and, when known,
    /// `population_couverte`. Coordinates are rounded to 1e-7° (about 1 cm).
    pub fn to_geojson_feature(&self) -> serde_json::Value {
        let round = |v: f64| (v * 1e7).round() / 1e7;
        let ring = |ls: &LineString<f64>| -> serde_json::Value {
            ls.0.iter()
                .map(|c| serde_json::json!([round(c.x), round(c.y)]))
                .collect()
        };
        let polygons: Vec<serde_json::Value> = self
            .polygon
            .0
            .iter()
            .map(|p| {
                let mut rings = vec![ring(p.exterior())];
                rings.extend(p.interiors().iter().map(ring));
                serde_json::Value::Array(rings)
            })
            .collect();
        let mut properties = serde_json::Map::new();
        properties.insert("minutes".into(), serde_json::json!(self.minutes));
        properties.insert(
            "surface_km2".into(),
            serde_json::json!((self.area_km2 * 1e4).round() / 1e4),
        );
        if let Some(p) = self.population {
            properties.insert(
                "population_couverte".into(),
                serde_json::json!((p * 10.0).round() / 10.0),
            );
        }
        serde_json::json!({
            "type": "Feature",
            "properties": properties,
            "geometry": { "type": "MultiPolygon", "coordinates": polygons },
        })
    }
}

/// A GeoJSON FeatureCollection of the given features.
pub fn feature_collection(features: Vec<serde_json::Value>) -> serde_json::Value {
    serde_json::json!({ "type": "FeatureCollection", "features": features })
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{Contains, Point, polygon};

    fn square(x0: f64, y0: f64, x1: f64, y1: f64) -> MultiPolygon<f64> {
        MultiPolygon(vec![
            polygon![(x: x0, y: y0), (x: x1, y: y0), (x: x1, y: y1), (x: x0, y: y1), (x: x0, y: y0)],
        ])
    }

    #[test]
    fn population_by_hand() {
        let area = square(0.0, 0.0, 1.0, 1.0);
        let zones = vec![
            (square(0.5, 0.0, 1.5, 1.0), 100.0),   // half inside → 50
            (square(0.2, 0.2, 0.4, 0.4), 30.0),    // inside → 30
            (square(2.0, 2.0, 3.0, 3.0), 1000.0),  // outside → 0
            (square(0.75, 0.75, 1.25, 1.25), 8.0), // a quarter inside → 2
            (square(0.0, 0.0, 1.0, 1.0), 0.0),     // nobody lives there
        ];
        let p = covered_population(&area, &zones);
        assert!((p - 82.0).abs() < 1e-9, "{p}");
        assert_eq!(covered_population(&MultiPolygon(vec![]), &zones), 0.0);
    }

    /// A square grid of two-way streets, 100 m apart, all at 36 km/h (10 s per block).
    fn city() -> Graph {
        let proj = LocalProjection::at_latitude(45.0);
        let size = 41i64;
        let mut nodes = Vec::new();
        let mut edges = Vec::new();
        for i in 0..size {
            for j in 0..size {
                let id = i * 1000 + j;
                let [lon, lat] = proj.inverse(
                    5.0 * proj.mx + i as f64 * 100.0,
                    45.0 * proj.my + j as f64 * 100.0,
                );
                nodes.push((id, lon, lat));
                if i > 0 {
                    edges.extend([(id, id - 1000, 10_000), (id - 1000, id, 10_000)]);
                }
                if j > 0 {
                    edges.extend([(id, id - 1, 10_000), (id - 1, id, 10_000)]);
                }
            }
        }
        Graph::from_parts(&nodes, &edges).unwrap()
    }

    #[test]
    fn isochrones_are_nested_and_cover_reached_nodes() {
        let g = city();
        let centre = g.index_of(20 * 1000 + 20).unwrap();
        let options = IsochroneOptions::for_profile(Some(Profile::Car));
        let minutes = [1.0, 2.0, 3.0];
        let isos = g.isochrones(&[centre], &minutes, &options, None).unwrap();
        assert_eq!(isos.len(), 3);
        for w in isos.windows(2) {
            assert!(w[0].area_km2 < w[1].area_km2);
            let outside = w[0].polygon.difference(&w[1].polygon).unsigned_area();
            assert!(
                outside <= 1e-12 * w[0].polygon.unsigned_area().max(1e-12),
                "not nested: {outside}"
            );
        }
        let times = g.one_to_many(centre, 180_000).unwrap();
        for iso in &isos {
            for &(node, ms) in &times {
                if (ms as f64) <= iso.minutes * 60_000.0 - 30_000.0 {
                    let [lon, lat] = g.position(node);
                    assert!(
                        iso.polygon.contains(&Point::new(lon, lat)),
                        "node at {ms} ms outside {} min",
                        iso.minutes
                    );
                }
            }
        }
        // In 1 minute (6 blocks of 10 s) the streets reach 600 m from the centre in L1 distance,
        // and the walk from them (150 m at most) adds at most 150·√2 in L1: a diamond of
        // half-diagonal 812 m bounds the region (2 × 0.812² km²).
        let one = isos[0].area_km2;
        assert!(one > 0.1 && one < 2.0 * 0.813f64.powi(2), "{one}");
    }

    #[test]
    fn population_of_an_isochrone() {
        let g = city();
        let centre = g.index_of(20 * 1000 + 20).unwrap();
        let [lon, lat] = g.position(centre);
        let d = 0.0002; // ~20 m around the centre: reached at once
        let zones = vec![
            (square(lon - d, lat - d, lon + d, lat + d), 120.0),
            (square(lon + 1.0, lat, lon + 1.1, lat + 0.1), 5000.0),
        ];
        let options = IsochroneOptions::for_profile(Some(Profile::Car));
        let isos = g
            .isochrones(&[centre], &[1.0, 2.0], &options, Some(&zones))
            .unwrap();
        for iso in &isos {
            assert!((iso.population.unwrap() - 120.0).abs() < 1e-6);
        }
        let f = isos[0].to_geojson_feature();
        assert_eq!(f["properties"]["minutes"], 1.0);
        assert_eq!(f["properties"]["population_couverte"], 120.0);
        assert_eq!(f["geometry"]["type"], "MultiPolygon");
    }

    #[test]
    fn invalid_thresholds() {
        let g = city();
        let o = IsochroneOptions::for_profile(None);
        for bad in [0.0, -5.0, f64::NAN, f64::INFINITY] {
            assert!(matches!(
                g.isochrones(&[0], &[bad], &o, None),
                Err(RoutingError::InvalidThreshold { .. })
            ));
        }
    }
}

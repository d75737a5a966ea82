//! The demonstration territory as plain data, generated from a seed. Nothing here touches the store, so the
//! same model can be written to any backend, or to files.
//!
//! Bellerive-sur-Clain is fictional (codes in the 99xxx range that INSEE never gives to a French commune): a
//! town of about 60,000 inhabitants in 30 IRIS and 5 quartiers, with two QPV less well served than the rest,
//! two neighbouring communes (the buffer: supply across the border), about 300 health professionals, an MSP, a
//! municipal health centre, a hospital, pharmacies, EHPAD, and a road network for travel times.

//!
//! One file per part, in the order of the generator's draws: `zones.rs`, `supply.rs`, `roads.rs`; then the
//! background map's other features (`basemap.rs`, without draws).

mod basemap;
mod roads;
mod supply;
mod zones;

use crate::rng::Rng;
use geo::{Contains, LineString, MultiPolygon, Point, Polygon};
use maillage_kit::basemap::MapFeature;

/// Everything is labelled fictional, in every name a user can see.
pub const FICTIONAL: &str = "fictif";
pub const COMMUNE_CODE: &str = "99101";
pub const COMMUNE_NAME: &str = "Bellerive-sur-Clain (fictive)";
pub const DEPARTEMENT: &str = "99";
pub const POSTCODE: &str = "99100";
pub const EPCI_CODE: &str = "299999999";
pub const EPCI_NAME: &str = "Communauté d'agglomération du Clain (fictive)";

/// Centre of the fictional town (WGS84).
const LON0: f64 = 1.70;
const LAT0: f64 = 46.80;
const KM_PER_DEG_LAT: f64 = 111.2;
fn km_per_deg_lon() -> f64 {
    KM_PER_DEG_LAT * LAT0.to_radians().cos()
}

/// The borders of the IRIS' columns and rows (km): streets run along them (`roads.rs`).
const CELL_BORDERS_X: &[f64] = &[
    -4.0,
    -4.0 + 4.0 / 3.0,
    -4.0 + 8.0 / 3.0,
    0.0,
    4.0 / 3.0,
    8.0 / 3.0,
    4.0,
];
const CELL_BORDERS_Y: &[f64] = &[-3.0, -1.8, -0.6, 0.6, 1.8, 3.0];
/// Where the river Clain runs (km east of the centre, before the town's bend): just west of the border of Rive
/// Ouest, whose quai runs on that border.
const RIVER_X: f64 = -1.42;

/// The town's bend: the plan the generator draws on (a lattice of streets, rectangles of IRIS) turned a little
/// about the centre and waved, so that streets curve as in a town that grew, and every part (IRIS, streets,
/// river, sites) bends alike. Smooth and gentle (under a fifth of a kilometre), so distances stay those of the plan.
fn bend(x: f64, y: f64) -> (f64, f64) {
    let turn = 0.3 * (-(x * x + y * y) / 10.0).exp();
    let (s, c) = turn.sin_cos();
    let (xr, yr) = (x * c - y * s, x * s + y * c);
    (
        xr + 0.12 * (0.9 * y + 0.5).sin() + 0.05 * (2.1 * y + 1.3).sin(),
        yr + 0.10 * (0.8 * x + 1.1).sin() + 0.05 * (1.9 * x).sin(),
    )
}

/// Converts kilometres east / north of the town centre, on the generator's plan, to (lon, lat).
pub fn at(x_km: f64, y_km: f64) -> (f64, f64) {
    let (x, y) = bend(x_km, y_km);
    (LON0 + x / km_per_deg_lon(), LAT0 + y / KM_PER_DEG_LAT)
}

/// A rectangle of the plan, its sides cut every 100 m so that they bend with the town (two rectangles sharing a
/// side cut it at the same points: no gap between neighbouring zones).
fn rect(x0: f64, y0: f64, x1: f64, y1: f64) -> Polygon<f64> {
    let side = |a: f64, b: f64| -> Vec<f64> {
        let mut cuts = vec![a];
        let (lo, hi) = (a.min(b), a.max(b));
        let mut k = (lo * 10.0).floor() + 1.0;
        let mut inner = Vec::new();
        while k / 10.0 < hi - 1e-9 {
            if k / 10.0 > lo + 1e-9 {
                inner.push(k / 10.0);
            }
            k += 1.0;
        }
        if a > b {
            inner.reverse();
        }
        cuts.extend(inner);
        cuts
    };
    let mut ring: Vec<(f64, f64)> = Vec::new();
    ring.extend(side(x0, x1).into_iter().map(|x| at(x, y0)));
    ring.extend(side(y0, y1).into_iter().map(|y| at(x1, y)));
    ring.extend(side(x1, x0).into_iter().map(|x| at(x, y1)));
    ring.extend(side(y1, y0).into_iter().map(|y| at(x0, y)));
    ring.push(at(x0, y0));
    Polygon::new(LineString::from(ring), vec![])
}

#[derive(Debug, Clone)]
pub struct DemoZone {
    pub kind: &'static str,
    pub code: String,
    pub name: String,
    pub parent_code: Option<String>,
    pub geometry: Option<MultiPolygon<f64>>,
    /// Published population (IRIS, communes, QPV), with its age bands for IRIS.
    pub population: Option<f64>,
    pub bands: Vec<(String, f64)>,
    pub iris_type: Option<&'static str>,
    /// For quartiers: the IRIS they are made of.
    pub iris: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct DemoSite {
    pub key: String,
    pub name: String,
    pub number: String,
    pub street: String,
    pub commune_code: String,
    pub commune_name: String,
    pub postcode: String,
    pub position: (f64, f64),
    pub finess: Option<String>,
}

#[derive(Debug, Clone)]
pub struct DemoProfessional {
    pub national_id: String,
    pub civility: &'static str,
    pub last_name: String,
    pub first_name: String,
    /// Maillage profession code.
    pub profession: &'static str,
    pub profession_code: &'static str,
    pub profession_label: &'static str,
    pub skill: Option<(&'static str, &'static str)>,
    /// `L` libéral, `S` salarié.
    pub mode: &'static str,
    /// Secteur d'activité (TRE_R02): SA52 MSP, SA05 centre de santé, SA01 hospital, SA07/SA08 cabinet.
    pub sector: &'static str,
    pub sites: Vec<String>,
    pub birth_year: Option<i64>,
    pub planned_retirement_year: Option<i64>,
    pub accepting_new_patients: Option<bool>,
    /// Consultations and visits of [`ACTIVITY_YEAR`], as a commune would give them (GPs only, some missing).
    pub yearly_acts: Option<(f64, f64)>,
}

/// The year of the GPs' activity figures.
pub const ACTIVITY_YEAR: i64 = 2025;

#[derive(Debug, Clone)]
pub struct DemoEstablishment {
    pub finess: String,
    pub name: String,
    pub category_code: &'static str,
    pub category_label: &'static str,
    pub address: String,
    pub commune_code: String,
    pub position: (f64, f64),
}

#[derive(Debug, Clone)]
pub struct DemoTerritory {
    pub seed: u64,
    pub population_vintage: i64,
    pub zones: Vec<DemoZone>,
    pub sites: Vec<DemoSite>,
    pub professionals: Vec<DemoProfessional>,
    pub establishments: Vec<DemoEstablishment>,
    /// (id, lon, lat)
    pub road_nodes: Vec<(i64, f64, f64)>,
    /// (from, to, milliseconds)
    pub road_edges: Vec<(i64, i64, i64)>,
    /// The background map: the streets above, the river, the railway, parks and place names.
    pub basemap: Vec<MapFeature>,
}

/// A QPV: code, name, contour, population.
type Qpv = (&'static str, &'static str, Polygon<f64>, f64);

/// Whether a point (lon, lat) is inside one of the QPV.
fn in_qpv(qpvs: &[Qpv], p: (f64, f64)) -> bool {
    qpvs.iter().any(|q| q.2.contains(&Point::new(p.0, p.1)))
}

/// Generates the territory for `seed`: zones, then supply, then roads (the generator's draws in that order).
pub fn generate(seed: u64) -> DemoTerritory {
    let mut rng = Rng::new(seed);
    let qpvs = zones::qpv_shapes();
    let zones = zones::zones(&mut rng, &qpvs);
    let supply = supply::Supply::generate(&mut rng, &qpvs);
    let ((road_nodes, road_edges), mut map) = roads::roads(&mut rng);
    map.extend(basemap::features());
    DemoTerritory {
        seed,
        population_vintage: 2021,
        zones,
        sites: supply.sites,
        professionals: supply.professionals,
        establishments: supply.establishments,
        road_nodes,
        road_edges,
        basemap: map,
    }
}

//! The demonstration territory as plain data, generated from a seed. Nothing here touches the store, so the
//! same model can be written to any backend, or to files.
//!
//! Bellerive-sur-Clain is fictional (codes in the 99xxx range that INSEE never gives to a French commune): a
//! town of about 60,000 inhabitants in 30 IRIS and 5 quartiers, with two QPV less well served than the rest,
//! two neighbouring communes (the buffer: supply across the border), about 300 health professionals, an MSP, a
//! municipal health centre, a hospital, pharmacies, EHPAD, and a road network for travel times.

//!
//! One file per part, in the order of the generator's draws: `zones.rs`, `supply.rs`, `roads.rs`.

mod roads;
mod supply;
mod zones;

use crate::rng::Rng;
use geo::{Contains, MultiPolygon, Point, Polygon, polygon};

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

/// Converts kilometres east / north of the town centre to (lon, lat).
pub fn at(x_km: f64, y_km: f64) -> (f64, f64) {
    (LON0 + x_km / km_per_deg_lon(), LAT0 + y_km / KM_PER_DEG_LAT)
}

fn rect(x0: f64, y0: f64, x1: f64, y1: f64) -> Polygon<f64> {
    let (a, b) = at(x0, y0);
    let (c, d) = at(x1, y1);
    polygon![(x: a, y: b), (x: c, y: b), (x: c, y: d), (x: a, y: d), (x: a, y: b)]
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
    let (road_nodes, road_edges) = roads::roads(&mut rng);
    DemoTerritory {
        seed,
        population_vintage: 2021,
        zones,
        sites: supply.sites,
        professionals: supply.professionals,
        establishments: supply.establishments,
        road_nodes,
        road_edges,
    }
}

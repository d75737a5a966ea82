//! The zones of the demonstration territory: the EPCI, 30 IRIS on a 6 × 5 grid (denser in the middle, one
//! activity IRIS and one park) with their age bands, the town and its two neighbours, five quartiers made of
//! IRIS and two QPV. Their order is the order they are written in.

use super::{COMMUNE_CODE, COMMUNE_NAME, DemoZone, EPCI_CODE, EPCI_NAME, Qpv, at, in_qpv, rect};
use crate::rng::Rng;
use geo::{MultiPolygon, Polygon};
use maillage_store::zones::ZoneKind;

const COLS: usize = 6;
const ROWS: usize = 5;
const CELL_W: f64 = 8.0 / COLS as f64;
const CELL_H: f64 = 6.0 / ROWS as f64;

/// Fine INSEE age bands and the share of each in a French town, then the broad ones they add up to.
const FINE_BANDS: &[(&str, f64)] = &[
    ("0002", 0.033),
    ("0305", 0.035),
    ("0610", 0.060),
    ("1117", 0.082),
    ("1824", 0.085),
    ("2539", 0.190),
    ("4054", 0.190),
    ("5564", 0.115),
    ("6579", 0.145),
    ("80P", 0.065),
];

/// (code, name, column range, row range) of the quartiers, unions of IRIS cells.
const QUARTIERS: &[(&str, &str)] = &[
    ("Q01", "Centre-ville"),
    ("Q02", "Les Hauts (nord)"),
    ("Q03", "Val Fleuri (sud)"),
    ("Q04", "Faubourg de l'Est"),
    ("Q05", "Rive Ouest"),
];

/// The quartier (rank in `QUARTIERS`) of the IRIS in cell (`col`, `row`).
fn quartier_of(col: usize, row: usize) -> usize {
    match (col, row) {
        (2..=3, 1..=3) => 0,
        (_, 4) => 1,
        (_, 0) => 2,
        (4..=5, _) => 3,
        _ => 4,
    }
}

/// The QPV contours, in kilometres from the centre.
pub(super) fn qpv_shapes() -> [(&'static str, &'static str, Polygon<f64>, f64); 2] {
    [
        (
            "QN09901A",
            "Les Hauts-de-Bellerive (fictif)",
            rect(1.2, 1.9, 3.6, 3.0),
            5200.0,
        ),
        (
            "QN09902A",
            "Le Val Fleuri (fictif)",
            rect(-3.4, -2.9, -1.6, -1.6),
            3100.0,
        ),
    ]
}

/// The town's neighbours: code, name, shape, population.
fn neighbours() -> [(&'static str, &'static str, Polygon<f64>, f64); 2] {
    [
        (
            "99102",
            "Saint-Aubin-des-Prés (fictive)",
            rect(-10.0, -3.5, -4.0, 3.5),
            7800.0,
        ),
        (
            "99103",
            "Montclain (fictive)",
            rect(4.0, -3.5, 10.0, 3.5),
            5400.0,
        ),
    ]
}

/// The zones, in the order they are written.
pub(super) fn zones(rng: &mut Rng, qpvs: &[Qpv]) -> Vec<DemoZone> {
    let mut zones = Vec::new();
    zones.push(DemoZone {
        kind: "epci",
        code: EPCI_CODE.into(),
        name: EPCI_NAME.into(),
        parent_code: None,
        geometry: None,
        population: None,
        bands: vec![],
        iris_type: None,
        iris: vec![],
    });
    let iris_codes = push_iris(rng, qpvs, &mut zones);
    push_communes(&mut zones);
    push_quartiers(&iris_codes, &mut zones);
    push_qpvs(qpvs, &mut zones);
    zones
}

/// The IRIS; returns their codes with their cells.
fn push_iris(
    rng: &mut Rng,
    qpvs: &[Qpv],
    zones: &mut Vec<DemoZone>,
) -> Vec<(String, usize, usize)> {
    let mut iris_pop = Vec::new();
    for row in 0..ROWS {
        for col in 0..COLS {
            let cx = -4.0 + (col as f64 + 0.5) * CELL_W;
            let cy = -3.0 + (row as f64 + 0.5) * CELL_H;
            let weight = (-(cx * cx + cy * cy) / 18.0).exp() * rng.range(0.8, 1.2);
            iris_pop.push(weight);
        }
    }
    // The activity and "divers" IRIS have fixed small populations; the others share the rest.
    let special = |i: usize| i == 5 || i == (ROWS - 1) * COLS;
    let total: f64 = iris_pop
        .iter()
        .enumerate()
        .filter(|(i, _)| !special(*i))
        .map(|(_, w)| w)
        .sum();
    let town_population = 60_400.0;
    let mut iris_codes = Vec::new();
    for row in 0..ROWS {
        for col in 0..COLS {
            let i = row * COLS + col;
            let code = format!("{COMMUNE_CODE}{:04}", 101 + i);
            let (kind, pop) = match (col, row) {
                (5, 0) => ("A", 140.0),
                (0, 4) => ("D", 35.0),
                _ => (
                    "H",
                    (iris_pop[i] / total * (town_population - 175.0)).round(),
                ),
            };
            let x0 = -4.0 + col as f64 * CELL_W;
            let y0 = -3.0 + row as f64 * CELL_H;
            zones.push(DemoZone {
                kind: "iris",
                code: code.clone(),
                name: format!("{} {}", QUARTIERS[quartier_of(col, row)].1, i + 1),
                parent_code: Some(COMMUNE_CODE.into()),
                geometry: Some(MultiPolygon(vec![rect(x0, y0, x0 + CELL_W, y0 + CELL_H)])),
                population: Some(pop),
                bands: age_bands(rng, qpvs, col, row, pop),
                iris_type: Some(kind),
                iris: vec![],
            });
            iris_codes.push((code, col, row));
        }
    }
    iris_codes
}

/// The age bands of an IRIS of `pop` inhabitants in cell (`col`, `row`): fine INSEE bands drawn around the
/// town's shares, then the broad ones.
fn age_bands(rng: &mut Rng, qpvs: &[Qpv], col: usize, row: usize, pop: f64) -> Vec<(String, f64)> {
    let mut bands: Vec<(String, f64)> = Vec::new();
    // Older in the centre, younger in the QPV: shift the shares a little.
    let (cx, cy) = (
        -4.0 + (col as f64 + 0.5) * CELL_W,
        -3.0 + (row as f64 + 0.5) * CELL_H,
    );
    let young = if in_qpv(qpvs, at(cx, cy)) { 1.25 } else { 1.0 };
    let shares: Vec<f64> = FINE_BANDS
        .iter()
        .enumerate()
        .map(|(b, (_, s))| s * if b < 5 { young } else { 1.0 } * rng.range(0.9, 1.1))
        .collect();
    let share_total: f64 = shares.iter().sum();
    let mut fine: Vec<f64> = shares
        .iter()
        .map(|s| (s / share_total * pop).round())
        .collect();
    let diff = pop - fine.iter().sum::<f64>();
    fine[5] += diff;
    for ((band, _), v) in FINE_BANDS.iter().zip(&fine) {
        bands.push((band.to_string(), *v));
    }
    // Broad bands, as INSEE publishes them (0014, 1529, 3044, 4559, 6074, 75P), approximated from the fine.
    let broad = [
        ("0014", fine[0] + fine[1] + fine[2] + fine[3] * 4.0 / 7.0),
        ("1529", fine[3] * 3.0 / 7.0 + fine[4] + fine[5] * 5.0 / 15.0),
        ("3044", fine[5] * 10.0 / 15.0 + fine[6] * 5.0 / 15.0),
        ("4559", fine[6] * 10.0 / 15.0 + fine[7] * 5.0 / 10.0),
        ("6074", fine[7] * 5.0 / 10.0 + fine[8] * 10.0 / 15.0),
        ("75P", fine[8] * 5.0 / 15.0 + fine[9]),
    ];
    for (band, v) in broad {
        bands.push((band.to_string(), (v * 100.0).round() / 100.0));
    }
    bands
}

/// The town (its population the sum of its IRIS') and its neighbours.
fn push_communes(zones: &mut Vec<DemoZone>) {
    let town_total: f64 = zones
        .iter()
        .filter(|z| ZoneKind::Iris.is(z.kind))
        .filter_map(|z| z.population)
        .sum();
    zones.push(DemoZone {
        kind: "commune",
        code: COMMUNE_CODE.into(),
        name: COMMUNE_NAME.into(),
        parent_code: Some(EPCI_CODE.into()),
        geometry: Some(MultiPolygon(vec![rect(-4.0, -3.0, 4.0, 3.0)])),
        population: Some(town_total),
        bands: vec![],
        iris_type: None,
        iris: vec![],
    });
    for (code, name, shape, pop) in &neighbours() {
        zones.push(DemoZone {
            kind: "commune",
            code: code.to_string(),
            name: name.to_string(),
            parent_code: Some(EPCI_CODE.into()),
            geometry: Some(MultiPolygon(vec![shape.clone()])),
            population: Some(*pop),
            bands: vec![],
            iris_type: None,
            iris: vec![],
        });
    }
}

/// The quartiers, unions of IRIS.
fn push_quartiers(iris_codes: &[(String, usize, usize)], zones: &mut Vec<DemoZone>) {
    for (q, (code, name)) in QUARTIERS.iter().enumerate() {
        let iris: Vec<String> = iris_codes
            .iter()
            .filter(|(_, c, r)| quartier_of(*c, *r) == q)
            .map(|(code, ..)| code.clone())
            .collect();
        zones.push(DemoZone {
            kind: "quartier",
            code: format!("{COMMUNE_CODE}-{code}"),
            name: name.to_string(),
            parent_code: Some(COMMUNE_CODE.into()),
            geometry: None,
            population: None,
            bands: vec![],
            iris_type: None,
            iris,
        });
    }
}

/// The QPV, inside the town.
fn push_qpvs(qpvs: &[Qpv], zones: &mut Vec<DemoZone>) {
    for (code, name, shape, pop) in qpvs {
        zones.push(DemoZone {
            kind: "qpv",
            code: code.to_string(),
            name: name.to_string(),
            parent_code: Some(COMMUNE_CODE.into()),
            geometry: Some(MultiPolygon(vec![shape.clone()])),
            population: Some(*pop),
            bands: vec![],
            iris_type: None,
            iris: vec![],
        });
    }
}

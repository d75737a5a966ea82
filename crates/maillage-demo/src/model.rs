//! The demonstration territory as plain data, generated from a seed. Nothing here touches the store, so the
//! same model can be written to any backend, or to files.
//!
//! Bellerive-sur-Clain is fictional (codes in the 99xxx range that INSEE never gives to a French commune): a
//! town of about 60,000 inhabitants in 30 IRIS and 5 quartiers, with two QPV less well served than the rest,
//! two neighbouring communes (the buffer: supply across the border), about 300 health professionals, an MSP, a
//! municipal health centre, a hospital, pharmacies, EHPAD, and a road network for travel times.

use crate::names::{MEN_FIRST_NAMES, SURNAMES, WOMEN_FIRST_NAMES, any_street};
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

struct ProfessionSpec {
    code: &'static str,
    profession_code: &'static str,
    label: &'static str,
    skill: Option<(&'static str, &'static str)>,
    count: usize,
}

const PROFESSIONS: &[ProfessionSpec] = &[
    ProfessionSpec {
        code: "medecin_generaliste",
        profession_code: "10",
        label: "Médecin",
        skill: Some(("SM54", "Médecine générale")),
        count: 48,
    },
    ProfessionSpec {
        code: "infirmier",
        profession_code: "60",
        label: "Infirmier",
        skill: None,
        count: 84,
    },
    ProfessionSpec {
        code: "masseur_kinesitherapeute",
        profession_code: "70",
        label: "Masseur-Kinésithérapeute",
        skill: None,
        count: 56,
    },
    ProfessionSpec {
        code: "chirurgien_dentiste",
        profession_code: "40",
        label: "Chirurgien-Dentiste",
        skill: None,
        count: 31,
    },
    ProfessionSpec {
        code: "sage_femme",
        profession_code: "50",
        label: "Sage-Femme",
        skill: None,
        count: 9,
    },
    ProfessionSpec {
        code: "gynecologue",
        profession_code: "10",
        label: "Médecin",
        skill: Some(("SM20", "Gynécologie-obstétrique")),
        count: 6,
    },
    ProfessionSpec {
        code: "pediatre",
        profession_code: "10",
        label: "Médecin",
        skill: Some(("SM40", "Pédiatrie")),
        count: 5,
    },
    ProfessionSpec {
        code: "orthophoniste",
        profession_code: "91",
        label: "Orthophoniste",
        skill: None,
        count: 19,
    },
    ProfessionSpec {
        code: "ophtalmologiste",
        profession_code: "10",
        label: "Médecin",
        skill: Some(("SM38", "Ophtalmologie")),
        count: 5,
    },
    ProfessionSpec {
        code: "orthoptiste",
        profession_code: "92",
        label: "Orthoptiste",
        skill: None,
        count: 4,
    },
    ProfessionSpec {
        code: "psychiatre",
        profession_code: "10",
        label: "Médecin",
        skill: Some(("SM42", "Psychiatrie")),
        count: 6,
    },
    ProfessionSpec {
        code: "psychologue",
        profession_code: "93",
        label: "Psychologue",
        skill: None,
        count: 26,
    },
];

/// (code, name, column range, row range) of the quartiers, unions of IRIS cells.
const QUARTIERS: &[(&str, &str)] = &[
    ("Q01", "Centre-ville"),
    ("Q02", "Les Hauts (nord)"),
    ("Q03", "Val Fleuri (sud)"),
    ("Q04", "Faubourg de l'Est"),
    ("Q05", "Rive Ouest"),
];

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
fn qpv_shapes() -> [(&'static str, &'static str, Polygon<f64>, f64); 2] {
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

pub fn generate(seed: u64) -> DemoTerritory {
    let mut rng = Rng::new(seed);
    let mut zones = Vec::new();
    let qpvs = qpv_shapes();
    let in_qpv = |p: (f64, f64)| qpvs.iter().any(|q| q.2.contains(&Point::new(p.0, p.1)));

    // Commune, neighbours, EPCI.
    let commune_shape = MultiPolygon(vec![rect(-4.0, -3.0, 4.0, 3.0)]);
    let neighbours = [
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
    ];
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

    // IRIS: a 6 × 5 grid, denser in the middle; one activity IRIS and one "divers" (a park).
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
            let mut bands: Vec<(String, f64)> = Vec::new();
            // Older in the centre, younger in the QPV: shift the shares a little.
            let (cx, cy) = (
                -4.0 + (col as f64 + 0.5) * CELL_W,
                -3.0 + (row as f64 + 0.5) * CELL_H,
            );
            let young = if in_qpv(at(cx, cy)) { 1.25 } else { 1.0 };
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
            let x0 = -4.0 + col as f64 * CELL_W;
            let y0 = -3.0 + row as f64 * CELL_H;
            zones.push(DemoZone {
                kind: "iris",
                code: code.clone(),
                name: format!("{} {}", QUARTIERS[quartier_of(col, row)].1, i + 1),
                parent_code: Some(COMMUNE_CODE.into()),
                geometry: Some(MultiPolygon(vec![rect(x0, y0, x0 + CELL_W, y0 + CELL_H)])),
                population: Some(pop),
                bands,
                iris_type: Some(kind),
                iris: vec![],
            });
            iris_codes.push((code, col, row));
        }
    }
    let town_total: f64 = zones
        .iter()
        .filter(|z| z.kind == "iris")
        .filter_map(|z| z.population)
        .sum();
    zones.push(DemoZone {
        kind: "commune",
        code: COMMUNE_CODE.into(),
        name: COMMUNE_NAME.into(),
        parent_code: Some(EPCI_CODE.into()),
        geometry: Some(commune_shape),
        population: Some(town_total),
        bands: vec![],
        iris_type: None,
        iris: vec![],
    });
    for (code, name, shape, pop) in &neighbours {
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
    for (code, name, shape, pop) in &qpvs {
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

    // Care supply.
    let mut sites: Vec<DemoSite> = Vec::new();
    let mut professionals: Vec<DemoProfessional> = Vec::new();
    let mut establishments: Vec<DemoEstablishment> = Vec::new();
    let mut next_site = 1;
    let mut new_site = |rng: &mut Rng,
                        name: String,
                        position: (f64, f64),
                        commune: (&str, &str),
                        finess: Option<String>| {
        let key = format!("DEMO-SITE-{next_site:04}");
        next_site += 1;
        sites.push(DemoSite {
            key: key.clone(),
            name,
            number: (1 + rng.below(120)).to_string(),
            street: any_street(rng).to_string(),
            commune_code: commune.0.to_string(),
            commune_name: commune.1.to_string(),
            postcode: if commune.0 == COMMUNE_CODE {
                POSTCODE.to_string()
            } else {
                format!("991{}", &commune.0[3..])
            },
            position,
            finess,
        });
        key
    };
    // A place in town drawn by population density, with far fewer takers inside the QPV.
    let town_point = |rng: &mut Rng| loop {
        let x = rng.range(-3.9, 3.9);
        let y = rng.range(-2.9, 2.9);
        let density = (-(x * x + y * y) / 18.0).exp();
        let p = at(x, y);
        let keep = if in_qpv(p) { density * 0.3 } else { density };
        if rng.chance(keep) {
            return p;
        }
    };
    let town = (COMMUNE_CODE, COMMUNE_NAME);

    // Structures with FINESS numbers (fictional, 99 prefix).
    let msp_pos = at(1.4, 2.2);
    let cms_pos = at(-0.3, 0.2);
    let ch_pos = at(0.9, -1.1);
    let msp = new_site(
        &mut rng,
        "Maison de santé pluriprofessionnelle des Tilleuls".into(),
        msp_pos,
        town,
        Some("990000016".into()),
    );
    let cms = new_site(
        &mut rng,
        "Centre municipal de santé Simone-Veil".into(),
        cms_pos,
        town,
        Some("990000024".into()),
    );
    let ch = new_site(
        &mut rng,
        "Centre hospitalier de Bellerive".into(),
        ch_pos,
        town,
        Some("990000032".into()),
    );
    for (finess, name, code, label, pos) in [
        (
            "990000016",
            "MSP des Tilleuls (fictive)",
            "603",
            "Maison de santé (L.6223-3)",
            msp_pos,
        ),
        (
            "990000024",
            "Centre municipal de santé Simone-Veil (fictif)",
            "124",
            "Centre de santé",
            cms_pos,
        ),
        (
            "990000032",
            "Centre hospitalier de Bellerive (fictif)",
            "355",
            "Centre hospitalier (C.H.)",
            ch_pos,
        ),
        (
            "990000040",
            "CMP adultes du Clain (fictif)",
            "156",
            "Centre médico-psychologique (C.M.P.)",
            at(-1.0, 1.1),
        ),
        (
            "990000057",
            "EHPAD Les Glycines (fictif)",
            "500",
            "EHPAD",
            at(-2.2, 0.8),
        ),
        (
            "990000065",
            "EHPAD Résidence du Parc (fictif)",
            "500",
            "EHPAD",
            at(2.6, -0.7),
        ),
    ] {
        establishments.push(DemoEstablishment {
            finess: finess.into(),
            name: name.into(),
            category_code: code,
            category_label: label,
            address: format!("{} {}", 1 + rng.below(80), any_street(&mut rng)),
            commune_code: COMMUNE_CODE.into(),
            position: pos,
        });
    }
    // Pharmacies: 16 in town (one in each QPV), 3 in the neighbours.
    for i in 0..19 {
        let (pos, commune) = match i {
            0 => (at(2.4, 2.5), COMMUNE_CODE),
            1 => (at(-2.5, -2.2), COMMUNE_CODE),
            16 => (at(-7.0, 0.5), "99102"),
            17 => (at(6.5, -0.8), "99103"),
            18 => (at(-5.2, -1.5), "99102"),
            _ => (town_point(&mut rng), COMMUNE_CODE),
        };
        establishments.push(DemoEstablishment {
            finess: format!("99{:07}", 100_000 + i * 17),
            name: format!("Pharmacie {} (fictive)", rng.pick(SURNAMES)),
            category_code: "620",
            category_label: "Pharmacie d'Officine",
            address: format!("{} {}", 1 + rng.below(80), any_street(&mut rng)),
            commune_code: commune.into(),
            position: pos,
        });
    }

    let this_year = 2026;
    let mut next_id = 1u64;
    let mut cabinets: Vec<(String, &'static str)> = Vec::new();
    for spec in PROFESSIONS {
        for k in 0..spec.count {
            let female = rng.chance(if spec.code == "sage_femme" {
                0.95
            } else {
                0.55
            });
            let (mode, sector, site) = match (spec.code, k) {
                ("medecin_generaliste", 0..=2)
                | ("infirmier", 0..=1)
                | ("masseur_kinesitherapeute", 0) => ("L", "SA52", msp.clone()),
                ("sage_femme", 0) | ("psychologue", 0) => ("L", "SA52", msp.clone()),
                ("medecin_generaliste", 3..=6)
                | ("chirurgien_dentiste", 0)
                | ("gynecologue", 0) => ("S", "SA05", cms.clone()),
                ("psychologue", 1) => ("S", "SA05", cms.clone()),
                ("pediatre", 0..=1)
                | ("gynecologue", 1..=2)
                | ("psychiatre", 0..=2)
                | ("ophtalmologiste", 0)
                | ("sage_femme", 1..=3) => ("S", "SA01", ch.clone()),
                // A few practise across the border: supply the town's inhabitants reach.
                ("medecin_generaliste", 7..=10)
                | ("infirmier", 2..=5)
                | ("masseur_kinesitherapeute", 1..=2) => {
                    let (commune, x) = if k % 2 == 0 {
                        (("99102", "Saint-Aubin-des-Prés (fictive)"), -6.5)
                    } else {
                        (("99103", "Montclain (fictive)"), 6.0)
                    };
                    let pos = at(x + rng.range(-1.0, 1.0), rng.range(-2.0, 2.0));
                    let name = format!("Cabinet {}", rng.pick(SURNAMES));
                    ("L", "SA07", new_site(&mut rng, name, pos, commune, None))
                }
                _ => {
                    // Group practices: join an existing cabinet of the same profession now and then.
                    let shared = cabinets
                        .iter()
                        .filter(|(_, p)| *p == spec.code)
                        .map(|(s, _)| s.clone())
                        .collect::<Vec<_>>();
                    if !shared.is_empty() && rng.chance(0.3) {
                        ("L", "SA08", rng.pick(&shared).clone())
                    } else {
                        let pos = town_point(&mut rng);
                        let name = format!("Cabinet {}", rng.pick(SURNAMES));
                        let s = new_site(&mut rng, name, pos, town, None);
                        cabinets.push((s.clone(), spec.code));
                        ("L", "SA07", s)
                    }
                }
            };
            let mut sites_of = vec![site];
            // Some professionals have a second site (a permanence in a QPV, a second cabinet).
            if mode == "L" && rng.chance(0.06) {
                let pos = town_point(&mut rng);
                let name = format!("Cabinet secondaire {}", rng.pick(SURNAMES));
                sites_of.push(new_site(&mut rng, name, pos, town, None));
            }
            let age = 29 + rng.below(40) as i64;
            let is_gp = spec.code == "medecin_generaliste";
            let known = is_gp && rng.chance(0.8);
            let birth_year =
                known.then_some(this_year - age - if rng.chance(0.25) { 8 } else { 0 });
            let retirement = birth_year
                .filter(|y| this_year - y >= 60)
                .map(|y| (y + 67).max(this_year + 1));
            professionals.push(DemoProfessional {
                national_id: format!("8{:011}", 99_900_000_000u64 + next_id),
                civility: if female { "MME" } else { "M" },
                last_name: rng.pick(SURNAMES).to_uppercase(),
                first_name: rng
                    .pick(if female {
                        WOMEN_FIRST_NAMES
                    } else {
                        MEN_FIRST_NAMES
                    })
                    .to_string(),
                profession: spec.code,
                profession_code: spec.profession_code,
                profession_label: spec.label,
                skill: spec.skill,
                mode,
                sector,
                sites: sites_of,
                birth_year,
                planned_retirement_year: retirement,
                accepting_new_patients: is_gp.then(|| rng.chance(0.35)),
                yearly_acts: yearly_acts(is_gp, next_id),
            });
            next_id += 1;
        }
    }

    let (road_nodes, road_edges) = roads(&mut rng);
    DemoTerritory {
        seed,
        population_vintage: 2021,
        zones,
        sites,
        professionals,
        establishments,
        road_nodes,
        road_edges,
    }
}

/// A GP's consultations and visits of the year, from their rank alone (the random stream, which every other
/// figure of the demonstration depends on, is left untouched): 3,000 to 5,500 consultations and 150 to 450
/// visits; one GP in eight has no figure given, so that the demonstration shows how they are counted.
fn yearly_acts(is_gp: bool, id: u64) -> Option<(f64, f64)> {
    (is_gp && id % 8 != 5).then(|| {
        (
            3_000.0 + ((id * 617) % 2_500) as f64,
            150.0 + ((id * 97) % 300) as f64,
        )
    })
}

/// A street grid over the town and its neighbours: every 250 m, 30 km/h in streets, 50 km/h on the avenues
/// every kilometre, 70 km/h on a ring road, one-way streets in the centre, a few missing links.
/// Road nodes (id, lon, lat) and one-way edges (from, to, milliseconds).
type Roads = (Vec<(i64, f64, f64)>, Vec<(i64, i64, i64)>);

fn roads(rng: &mut Rng) -> Roads {
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

//! FIXTURE GENERATOR, NOT REAL DATA: a national-size FINESS JSON flux (`…json.gz`) in the published layout, for
//! `bench/finess`. Deterministic. Usage: `generate_finess_flux <out.json.gz> [establishments, default 100000]`.
//!
//! Mix of coordinate forms (per establishment, by a fixed draw): 40 % Lambert-93 in order, 20 % Lambert-93
//! swapped, 20 % WGS84 in order, 5 % WGS84 swapped, 3 % overseas (UTM of the territory), 5 % no coordinates,
//! 5 % WGS84 in the `direction…` fields only, 2 % inactive with a closing date.

use maillage_formats::crs::{self, Crs};
use maillage_testkit::finess_flux::{Ege, Pmej, write_flux};

/// A small linear congruential generator: reproducible without a dependency.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn unit(&mut self) -> f64 {
        self.below(1_000_000) as f64 / 1_000_000.0
    }
}

const CATEGORIES: [&str; 10] = [
    "620", "124", "603", "355", "500", "611", "354", "156", "209", "101",
];
const STREETS: [&str; 6] = [
    "DE LA REPUBLIQUE",
    "VICTOR HUGO",
    "DU GENERAL DE GAULLE",
    "JEAN JAURES",
    "PASTEUR",
    "DES ECOLES",
];
/// (commune, postcode, lon, lat, projection) of one commune per overseas territory.
const OVERSEAS: [(&str, &str, f64, f64, Crs); 5] = [
    ("97101", "97139", -61.53, 16.24, Crs::Utm20N),
    ("97209", "97200", -61.07, 14.61, Crs::Utm20N),
    ("97302", "97300", -52.33, 4.93, Crs::Utm22N),
    ("97411", "97400", 55.45, -20.88, Crs::Utm40S),
    ("97611", "97600", 45.23, -12.78, Crs::Utm38S),
];

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let out = std::path::PathBuf::from(
        args.get(1)
            .expect("usage: generate_finess_flux <out.json.gz> [n]"),
    );
    let n: usize = args
        .get(2)
        .map_or(100_000, |s| s.parse().expect("a number"));
    let mut rng = Lcg(20261207);
    let mut made = 0usize;
    let mut pmej = Vec::new();
    let mut entity = 0usize;
    while made < n {
        entity += 1;
        // Most legal entities run one establishment, groups a few, a handful many.
        let size = match rng.below(100) {
            0 => 20 + rng.below(60) as usize,
            1..=14 => 2 + rng.below(4) as usize,
            _ => 1,
        }
        .min(n - made);
        let dep = 1 + rng.below(95);
        let mut ege = Vec::with_capacity(size);
        for _ in 0..size {
            made += 1;
            let finess = format!("{:02}{:07}", dep.min(95), made);
            let category = CATEGORIES[rng.below(CATEGORIES.len() as u64) as usize];
            let draw = rng.below(100);
            let (commune, postcode, lon, lat, projection) = if draw >= 97 {
                let (c, p, lon, lat, crs) = OVERSEAS[rng.below(5) as usize];
                (
                    c.to_string(),
                    p.to_string(),
                    lon + rng.unit() * 0.02,
                    lat + rng.unit() * 0.02,
                    crs,
                )
            } else {
                let c = format!("{:02}{:03}", dep.min(95), 1 + rng.below(400));
                let p = format!("{:02}{:03}", dep.min(95), rng.below(1000));
                (
                    c,
                    p,
                    -1.5 + rng.unit() * 8.0,
                    43.5 + rng.unit() * 5.5,
                    Crs::Lambert93,
                )
            };
            let mut e = Ege::active(
                &finess,
                &format!("FIXTURE ETABLISSEMENT {made}"),
                category,
                &commune,
                &postcode,
            );
            e.street = STREETS[rng.below(STREETS.len() as u64) as usize].into();
            let projected = crs::from_wgs84(projection, lon, lat).expect("projection");
            let round = |v: f64| (v * 100.0).round() / 100.0;
            let deg = |v: f64| (v * 1e7).round() / 1e7;
            match draw {
                0..=39 => e.xy = Some((round(projected.0), round(projected.1))),
                40..=59 => e.xy = Some((round(projected.1), round(projected.0))),
                60..=79 => e.xy = Some((deg(lon), deg(lat))),
                80..=84 => e.xy = Some((deg(lat), deg(lon))),
                85..=89 => {}
                90..=94 => e.direction = Some((deg(lat), deg(lon))),
                95..=96 => {
                    e.xy = Some((round(projected.0), round(projected.1)));
                    e.state = "I";
                    e.closed_on = Some("2025-06-30".into());
                }
                _ => e.xy = Some((round(projected.0), round(projected.1))),
            }
            ege.push(e);
        }
        pmej.push(Pmej {
            finess: format!("{:02}{:07}", dep.min(95), 5_000_000 + entity),
            name: format!("FIXTURE ENTITE JURIDIQUE {entity}"),
            ege,
        });
    }
    // `generatedAt` follows the date in the file name (…-journalier-AAAAMMJJ.json.gz), as in published files.
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let date = name
        .split(['-', '.', '_'])
        .find(|p| p.len() == 8 && p.bytes().all(|b| b.is_ascii_digit()))
        .map_or("2026-12-07".to_string(), |d| {
            format!("{}-{}-{}", &d[..4], &d[4..6], &d[6..])
        });
    write_flux(&out, &format!("{date}T05:00:00.000000000Z"), pmej).expect("write");
    let size = std::fs::metadata(&out).map(|m| m.len()).unwrap_or(0);
    eprintln!(
        "{made} établissements, {entity} entités juridiques, {} Mo",
        size / 1_000_000
    );
}

//! Writes a synthetic Annuaire santé activity file in the official format (UTF-8, `|`, header of the 52
//! columns, every line ending with `|`), for the import benchmark (`bench/import/`). Deterministic: the
//! same arguments always give the same bytes. Every name is invented.
//!
//! With `--2026`, the layout of the 2026 extractions: the 56-column header (`HEADER_2026`: three spellings
//! changed, `Code fonction|Libellé fonction|Code genre d'activité|Libellé genre d'activité` at the end), the
//! same rows with those four fields filled.
//!
//! Usage: `cargo run --release -p maillage-formats --example generate_annuaire -- <out.txt> [rows] [--2026]`

use std::io::{BufWriter, Write};

use maillage_formats::annuaire::{COLUMNS, HEADER_2026};

/// A small deterministic generator (SplitMix64): no dependency, identical output everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

const PROFESSIONS: &[(&str, &str, u64)] = &[
    ("10", "Médecin", 30),
    ("60", "Infirmier", 30),
    ("70", "Masseur-Kinésithérapeute", 12),
    ("21", "Pharmacien", 10),
    ("40", "Chirurgien-Dentiste", 6),
    ("50", "Sage-Femme", 3),
    ("91", "Orthophoniste", 3),
    ("93", "Psychologue", 4),
    ("26", "Audioprothésiste", 2),
];
const SKILLS: &[(&str, &str)] = &[
    ("SM54", "Médecine Générale"),
    ("SM26", "Qualifié en Médecine Générale"),
    ("SM53", "Spécialiste en Médecine Générale"),
    ("SM40", "Pédiatrie"),
    ("SM42", "Psychiatrie"),
    ("SM38", "Ophtalmologie"),
    ("SM04", "Cardiologie et Maladies vasculaires"),
];
const LAST: &[&str] = &[
    "MARTIN", "BERNARD", "DUBOIS", "THOMAS", "ROBERT", "RICHARD", "PETIT", "DURAND", "LEROY",
    "MOREAU", "SIMON", "LAURENT", "LEFEBVRE", "MICHEL", "GARCIA", "DAVID", "BERTRAND", "ROUX",
    "VINCENT", "FOURNIER",
];
const FIRST: &[&str] = &[
    "Marie",
    "Jean",
    "Camille",
    "Nicolas",
    "Julie",
    "Pierre",
    "Sophie",
    "Thomas",
    "Léa",
    "François",
    "Anne",
    "Éric",
];
const STREETS: &[(&str, &str)] = &[
    ("R", "Rue"),
    ("AV", "Avenue"),
    ("BD", "Boulevard"),
    ("PL", "Place"),
    ("CHE", "Chemin"),
    ("ALL", "Allée"),
    ("IMP", "Impasse"),
    ("RTE", "Route"),
    ("QU", "Quai"),
];
const NAMES: &[&str] = &[
    "DE LA REPUBLIQUE",
    "VICTOR HUGO",
    "JEAN JAURES",
    "DU GENERAL DE GAULLE",
    "PASTEUR",
    "DES ECOLES",
    "DE LA GARE",
    "DU MOULIN",
    "GAMBETTA",
    "DE L'EGLISE",
    "NATIONALE",
    "DES LILAS",
];

fn main() -> std::io::Result<()> {
    let (flags, mut args): (Vec<String>, Vec<String>) =
        std::env::args().skip(1).partition(|a| a.starts_with("--"));
    let layout_2026 = flags.iter().any(|f| f == "--2026");
    args.reverse();
    let out = args
        .pop()
        .expect("usage: generate_annuaire <out.txt> [rows] [--2026]");
    let rows: u64 = args
        .pop()
        .map(|n| n.parse().expect("rows must be a number"))
        .unwrap_or(2_000_000);
    let mut w = BufWriter::with_capacity(1 << 20, std::fs::File::create(&out)?);
    if layout_2026 {
        writeln!(w, "{}|", HEADER_2026.join("|"))?;
    } else {
        writeln!(w, "{}|", COLUMNS.join("|"))?;
    }
    let mut rng = Rng(20_261_124);
    let total_weight: u64 = PROFESSIONS.iter().map(|p| p.2).sum();
    let mut f: Vec<String> = vec![String::new(); 52];
    for i in 0..rows {
        f.iter_mut().for_each(String::clear);
        let rpps = rng.below(10_000_000_000) + 10_000_000_000;
        let mut k = rng.below(total_weight);
        let (pcode, plabel, _) = *PROFESSIONS
            .iter()
            .find(|p| {
                if k < p.2 {
                    true
                } else {
                    k -= p.2;
                    false
                }
            })
            .unwrap();
        let dep = 1 + rng.below(95);
        let dep = if dep == 20 {
            "2A".to_string()
        } else {
            format!("{dep:02}")
        };
        let commune = format!("{dep}{:03}", 1 + rng.below(400));
        let (tcode, tlabel) = STREETS[rng.below(STREETS.len() as u64) as usize];
        f[0] = "8".into();
        f[1] = rpps.to_string();
        f[2] = format!("8{rpps}");
        f[5] = rng.pick(&["M", "MME"]).into();
        f[6] = if f[5] == "M" {
            "Monsieur".into()
        } else {
            "Madame".into()
        };
        f[7] = rng.pick(LAST).into();
        f[8] = rng.pick(FIRST).into();
        f[9] = pcode.into();
        f[10] = plabel.into();
        f[11] = "C".into();
        f[12] = "Civil".into();
        if pcode == "10" {
            let (scode, slabel) = SKILLS[rng.below(SKILLS.len() as u64) as usize];
            f[3] = "DR".into();
            f[4] = "Docteur".into();
            f[13] = "S".into();
            f[14] = "Spécialité ordinale".into();
            f[15] = scode.into();
            f[16] = slabel.into();
        }
        let liberal = rng.below(3) > 0;
        f[17] = if liberal { "L".into() } else { "S".into() };
        f[18] = if liberal {
            "Libéral".into()
        } else {
            "Salarié".into()
        };
        if liberal {
            f[19] = format!("{:014}", rng.below(100_000_000_000_000));
            f[20] = f[19][..9].to_string();
            f[23] = format!("S{:09}", i);
            f[24] = format!("CABINET {} {}", f[7], f[8].to_uppercase());
        } else {
            f[21] = format!("{dep}{:07}", rng.below(10_000_000));
            f[22] = format!("{dep}{:07}", rng.below(10_000_000));
            f[24] = "CENTRE HOSPITALIER".into();
        }
        f[28] = (1 + rng.below(150)).to_string();
        if rng.below(10) == 0 {
            f[29] = "B".into();
        }
        f[30] = tcode.into();
        f[31] = tlabel.into();
        f[32] = rng.pick(NAMES).into();
        f[35] = format!("{}{:03}", &commune[..2].replace('A', "0"), rng.below(1000));
        if rng.below(4) > 0 {
            f[36] = commune.clone();
        }
        f[37] = format!("COMMUNE {commune}");
        f[38] = "99000".into();
        f[39] = "France".into();
        f[40] = format!("0{}{:08}", 1 + rng.below(5), rng.below(100_000_000));
        f[44] = dep.clone();
        f[45] = format!("Département {dep}");
        f[47] = "CNOM/CNOM/CNOM".into();
        f[48] = "SA07".into();
        f[49] = "Cabinet individuel".into();
        if pcode == "21" {
            f[50] = "A".into();
            f[51] = "Pharmacien titulaire d'officine".into();
        }
        for field in &f {
            w.write_all(field.as_bytes())?;
            w.write_all(b"|")?;
        }
        if layout_2026 {
            // Fonction and genre d'activité (invented codes): columns Maillage does not use.
            let function = if liberal {
                "FCT01|Titulaire|"
            } else {
                "FCT02|Salarié|"
            };
            w.write_all(function.as_bytes())?;
            w.write_all("GENR01|Activité standard|".as_bytes())?;
        }
        w.write_all(b"\n")?;
    }
    w.flush()
}

//! FIXTURES, NOT REAL DATA: writes FINESS JSON flux files (`finess-structures-journalier-AAAAMMJJ.json[.gz]`)
//! in the layout the ANS publishes (`{schemaVersion, generatedAt, gcc, gco, pmej}`, each `pmej` nesting its `ege`
//! with `informationsGeneralesEGE`, `categorieentiteGeographiqueExercice`, `etatObjet`, `adresse[]` whose usage
//! `03` carries `cogCommune` and `coordonneesGeographique`), for tests and the benchmark. Values are written as
//! the published sample writes them (numbers as strings, Jackson's `"key" : value` pretty print).

use serde_json::{Map, Value, json};
use std::io::{self, BufWriter, Write};
use std::path::Path;

/// One geographic entity (établissement) of a fixture flux.
#[derive(Debug, Clone, Default)]
pub struct Ege {
    pub finess: String,
    pub name: String,
    pub category: String,
    pub commune: String,
    pub postcode: String,
    pub street: String,
    /// `etatObjet`: "A" (active) or "I" (inactive).
    pub state: &'static str,
    pub closed_on: Option<String>,
    /// `coordonneeX`, `coordonneeY` as written (any system, any order).
    pub xy: Option<(f64, f64)>,
    /// `directionLatitude`, `directionLongitude`.
    pub direction: Option<(f64, f64)>,
}

/// One legal entity and its establishments.
#[derive(Debug, Clone, Default)]
pub struct Pmej {
    pub finess: String,
    pub name: String,
    pub ege: Vec<Ege>,
}

impl Ege {
    pub fn active(finess: &str, name: &str, category: &str, commune: &str, postcode: &str) -> Ege {
        Ege {
            finess: finess.into(),
            name: name.into(),
            category: category.into(),
            commune: commune.into(),
            postcode: postcode.into(),
            street: "DE LA REPUBLIQUE".into(),
            state: "A",
            ..Default::default()
        }
    }

    fn to_json(&self, id: usize) -> Value {
        let mut info = Map::new();
        info.insert("egeId".into(), json!(id.to_string()));
        info.insert("dateOuverture".into(), json!("1998-03-02"));
        if let Some(d) = &self.closed_on {
            info.insert("dateFermeture".into(), json!(d));
        }
        info.insert("nomEgeCourt".into(), json!(self.name));
        info.insert("nomEgeLong".into(), json!(self.name));
        info.insert("numFinessEge".into(), json!(self.finess));
        let mut coords = Map::new();
        if let Some((x, y)) = self.xy {
            coords.insert("coordonneeX".into(), json!(format!("{x}")));
            coords.insert("coordonneeY".into(), json!(format!("{y}")));
        }
        if let Some((lat, lon)) = self.direction {
            coords.insert("directionLatitude".into(), json!(format!("{lat}")));
            coords.insert("directionLongitude".into(), json!(format!("{lon}")));
        }
        let mut address = json!({
            "usageAdresse": "03",
            "numeroVoie": "12",
            "typeVoie": "R",
            "libelleVoie": self.street,
            "cogCommune": self.commune,
            "ligneAcheminement": "FIXTURE",
            "codePostal": self.postcode,
        });
        if !coords.is_empty() {
            address["coordonneesGeographique"] = Value::Object(coords);
        }
        json!({
            "informationsGeneralesEGE": info,
            "categorieentiteGeographiqueExercice": self.category,
            "adresse": [address],
            "etatObjet": self.state,
            "dateDerniereMaj": "2026-01-15 00:00:00",
        })
    }
}

impl Pmej {
    fn to_json(&self, id: usize) -> Value {
        json!({
            "informationsGeneralesPMEJ": {
                "pmSmsseId": id.to_string(),
                "codeApe": "86.10Z",
                "denominationPm": self.name,
                "numFinessPm": self.finess,
                "statutJuridique": "73",
            },
            "adresse": [],
            "ege": self.ege.iter().enumerate().map(|(i, e)| e.to_json(id * 100 + i)).collect::<Vec<_>>(),
            "etatObjet": if self.ege.iter().any(|e| e.state == "A") { "A" } else { "I" },
        })
    }
}

/// Writes a flux file; gzip when the name ends in `.gz`. Elements are written one at a time, so that a
/// national-size file never sits in memory.
pub fn write_flux(
    path: &Path,
    generated_at: &str,
    pmej: impl IntoIterator<Item = Pmej>,
) -> io::Result<()> {
    let file = std::fs::File::create(path)?;
    let gz = path.extension().is_some_and(|e| e == "gz");
    let mut out: Box<dyn Write> = if gz {
        Box::new(flate2::write::GzEncoder::new(
            BufWriter::new(file),
            flate2::Compression::default(),
        ))
    } else {
        Box::new(BufWriter::new(file))
    };
    write!(
        out,
        "{{\n  \"schemaVersion\" : \"v1.0.0\",\n  \"generatedAt\" : \"{generated_at}\",\n  \"gcc\" : [ ],\n  \"gco\" : [ ],\n  \"pmej\" : [ "
    )?;
    for (i, p) in pmej.into_iter().enumerate() {
        if i > 0 {
            write!(out, ", ")?;
        }
        write_jackson(&mut out, &p.to_json(i + 1), 2)?;
    }
    write!(out, " ]\n}}\n")?;
    out.flush()
}

/// Jackson's default pretty printer, as in the published files: `"key" : value`, two-space indent, `[ ]` empty.
fn write_jackson(out: &mut dyn Write, v: &Value, indent: usize) -> io::Result<()> {
    let pad = |n: usize| " ".repeat(n);
    match v {
        Value::Object(m) if m.is_empty() => write!(out, "{{ }}"),
        Value::Object(m) => {
            writeln!(out, "{{")?;
            for (i, (k, val)) in m.iter().enumerate() {
                write!(out, "{}{} : ", pad(indent + 2), Value::String(k.clone()))?;
                write_jackson(out, val, indent + 2)?;
                writeln!(out, "{}", if i + 1 < m.len() { "," } else { "" })?;
            }
            write!(out, "{}}}", pad(indent))
        }
        Value::Array(a) if a.is_empty() => write!(out, "[ ]"),
        Value::Array(a) => {
            write!(out, "[ ")?;
            for (i, val) in a.iter().enumerate() {
                if i > 0 {
                    write!(out, ", ")?;
                }
                write_jackson(out, val, indent)?;
            }
            write!(out, " ]")
        }
        other => write!(out, "{other}"),
    }
}

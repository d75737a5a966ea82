//! FINESS, "extraction du fichier des établissements" (data.gouv, file `etalab-cs1100507-stock-*.csv`):
//! `;`-separated, Latin-1 (Windows-1252), no header, CSV quoting for fields holding `"`.
//!
//! Layout, as published (checked against lines of the 2026-05-12 extraction quoted in public code):
//! - line 1: file metadata `finess;etalab;<number>;<extraction date YYYY-MM-DD>`;
//! - `structureet;nofinesset;nofinessej;rs;rslongue;complrs;compldistrib;numvoie;typvoie;voie;compvoie;
//!   lieuditbp;commune;departement;libdepartement;ligneacheminement;telephone;telecopie;categetab;
//!   libcategetab;categagretab;libcategagretab;siret;codeape;codemft;libmft;codesph;libsph;dateouv;
//!   dateautor;maj;numuai` (older files stop at `maj`; some end every line with `;`);
//! - at the end, `geolocalisation;nofinesset;coordxet;coordyet;sourcecoordet;datemaj`, with
//!   `sourcecoordet` naming the system: `1,ATLASANTE,100,IGN,BD_ADRESSE,V2.2,LAMBERT_93` (older),
//!   `1,ATLASANTE,96,BAN,EPSG:2154 RGF93 / Lambert-93 (Métropole)`,
//!   `2,ATLASANTE,96,BAN,EPSG:5490 RGAF09/UTM Zone 20N (Antilles)`, `..., L93_METROPOLE`...
//!
//! Établissements (~100,000) are kept in memory and joined with their geolocation in one pass.

mod categories;
pub mod json;

pub use categories::{FinessCategory, category_label, category_label_or_code, is_hospital};

use std::collections::HashMap;
use std::path::Path;

use crate::crs::{self, Crs, Territory};
use crate::error::{
    FormatError, FormatErrorKind, FormatWarning, Location, Result, WarningKind, expected,
};
use crate::sniff::FileKind;
use crate::table::{Row, TableOptions, TableReader, TextEncoding};

/// The fields of a `structureet` record (names of the official notice), plus the reconstituted INSEE
/// commune code and the WGS84 position from the matching `geolocalisation` record.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Etablissement {
    /// Line of the `structureet` record.
    pub line: u64,
    pub nofinesset: String,
    pub nofinessej: Option<String>,
    pub rs: Option<String>,
    pub rslongue: Option<String>,
    pub complrs: Option<String>,
    pub compldistrib: Option<String>,
    pub numvoie: Option<String>,
    pub typvoie: Option<String>,
    pub voie: Option<String>,
    pub compvoie: Option<String>,
    pub lieuditbp: Option<String>,
    /// Three-digit commune number within the département (see [`Etablissement::commune_insee`]).
    pub commune: Option<String>,
    /// `01`..`95`, `2A`, `2B`, and `9A`..`9L` overseas.
    pub departement: Option<String>,
    pub libdepartement: Option<String>,
    pub ligneacheminement: Option<String>,
    pub telephone: Option<String>,
    pub telecopie: Option<String>,
    pub categetab: Option<String>,
    pub libcategetab: Option<String>,
    pub categagretab: Option<String>,
    pub libcategagretab: Option<String>,
    pub siret: Option<String>,
    pub codeape: Option<String>,
    pub codemft: Option<String>,
    pub libmft: Option<String>,
    pub codesph: Option<String>,
    pub libsph: Option<String>,
    pub dateouv: Option<String>,
    pub dateautor: Option<String>,
    pub maj: Option<String>,
    pub numuai: Option<String>,
    /// INSEE commune code rebuilt from `departement` + `commune` (`01` + `451` → `01451`,
    /// `9D` + `411` → `97411`).
    pub commune_insee: Option<String>,
    pub position: Option<Position>,
}

/// A geolocation converted to WGS84, with what it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Position {
    pub lon: f64,
    pub lat: f64,
    /// The coordinates as written in the file, and their system.
    pub x: f64,
    pub y: f64,
    pub crs: Crs,
    pub source: Option<String>,
    pub updated: Option<String>,
    /// Line of the `geolocalisation` record.
    pub line: u64,
}

impl Etablissement {
    pub fn category(&self) -> FinessCategory {
        FinessCategory::of(
            self.categetab.as_deref().unwrap_or(""),
            self.categagretab.as_deref().unwrap_or(""),
        )
    }
    /// The postcode, first word of `ligneacheminement` (`01440 VIRIAT`).
    pub fn code_postal(&self) -> Option<&str> {
        let w = self
            .ligneacheminement
            .as_deref()?
            .split_whitespace()
            .next()?;
        (w.len() == 5 && w.bytes().all(|b| b.is_ascii_digit())).then_some(w)
    }
}

/// The whole extraction: établissements in file order, with their positions when geolocated.
#[derive(Debug, Clone, Default)]
pub struct FinessExtraction {
    /// From the first line (`finess;etalab;111;2026-05-12`), when present.
    pub extraction_date: Option<String>,
    pub etablissements: Vec<Etablissement>,
    pub warnings: Vec<FormatWarning>,
}

const STRUCTURE_FIELDS: usize = 32; // section + 31 named fields (with numuai)

/// Reads a FINESS extraction file (plain or compressed).
pub fn read_extraction(path: impl AsRef<Path>) -> Result<FinessExtraction> {
    let path = path.as_ref();
    let mut opts = TableOptions::new(FileKind::FinessExtraction, b";");
    opts.encoding = TextEncoding::Latin1;
    opts.has_header = false;
    let mut t = TableReader::open(path, opts)?;
    let mut out = FinessExtraction::default();
    if t.utf8_fallback {
        out.warnings.push(FormatWarning {
            location: Location::file(path),
            kind: WarningKind::Utf8InsteadOfLatin1,
        });
    }
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut geo_seen: HashMap<String, u64> = HashMap::new();
    let mut first = true;
    loop {
        let step = {
            let Some(row) = t.next_row()? else { break };
            let section = row.string(0)?.unwrap_or_default();
            match section.as_str() {
                "finess" if first => {
                    out.extraction_date = row.string(3)?.filter(|d| looks_like_date(d));
                    Ok(())
                }
                "structureet" => structure(&row).and_then(|e| {
                    if let Some(&i) = index.get(&e.nofinesset) {
                        return Err(FormatError::new(
                            row.loc(1).field("nofinesset"),
                            FormatErrorKind::DuplicateId {
                                id: e.nofinesset.clone(),
                                first_line: out.etablissements[i].line,
                            },
                        ));
                    }
                    index.insert(e.nofinesset.clone(), out.etablissements.len());
                    out.etablissements.push(e);
                    Ok(())
                }),
                "geolocalisation" => geolocation(&row, &index, &mut out, &mut geo_seen),
                _ if first => Err(wrong_kind(&t)),
                other => Err(FormatError::new(
                    row.loc(0),
                    FormatErrorKind::InvalidValue {
                        value: crate::text::quoted(other),
                        expected: expected::RECORD_TYPE,
                    },
                )),
            }
        };
        first = false;
        if let Err(e) = step {
            return Err(t.explain(e));
        }
    }
    if out.etablissements.is_empty() {
        return Err(if first {
            FormatError::new(Location::file(path), FormatErrorKind::Empty)
        } else {
            wrong_kind(&t)
        });
    }
    Ok(out)
}

fn wrong_kind(t: &TableReader) -> FormatError {
    t.wrong_kind()
}

fn looks_like_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10 && b[4] == b'-' && b[7] == b'-'
}

/// Checks the field count; empty fields beyond it (a trailing `;`) are tolerated.
///
/// `structureet` lines have 32 fields in every vintage seen: the 2018 layout has 31 named fields and
/// ends with `;`, the current one has 32 named fields (`numuai`, usually empty) and no trailing `;`.
fn width(row: &Row<'_>, expected: usize) -> Result<()> {
    let mut n = row.len();
    while n > expected && row.str(n - 1)?.is_none() {
        n -= 1;
    }
    if n == expected {
        Ok(())
    } else {
        Err(FormatError::new(
            row.line_loc(),
            FormatErrorKind::FieldCount { expected, found: n },
        ))
    }
}

fn structure(row: &Row<'_>) -> Result<Etablissement> {
    width(row, STRUCTURE_FIELDS)?;
    // The establishment's names (rs, rslongue, complrs) are kept as they are: bounded.
    for i in 3..=5 {
        row.name(i)?;
    }
    let s = |i: usize| row.string(i);
    let nofinesset = finess_number(row, 1, "nofinesset")?;
    let mut e = Etablissement {
        line: row.line,
        nofinesset,
        nofinessej: s(2)?,
        rs: s(3)?,
        rslongue: s(4)?,
        complrs: s(5)?,
        compldistrib: s(6)?,
        numvoie: s(7)?,
        typvoie: s(8)?,
        voie: s(9)?,
        compvoie: s(10)?,
        lieuditbp: s(11)?,
        commune: s(12)?,
        departement: s(13)?,
        libdepartement: s(14)?,
        ligneacheminement: s(15)?,
        telephone: s(16)?,
        telecopie: s(17)?,
        categetab: s(18)?,
        libcategetab: s(19)?,
        categagretab: s(20)?,
        libcategagretab: s(21)?,
        siret: s(22)?,
        codeape: s(23)?,
        codemft: s(24)?,
        libmft: s(25)?,
        codesph: s(26)?,
        libsph: s(27)?,
        dateouv: s(28)?,
        dateautor: s(29)?,
        maj: s(30)?,
        numuai: s(31)?,
        commune_insee: None,
        position: None,
    };
    e.commune_insee = commune_insee(e.departement.as_deref(), e.commune.as_deref());
    Ok(e)
}

fn finess_number(row: &Row<'_>, i: usize, name: &str) -> Result<String> {
    let v = row
        .string(i)?
        .ok_or_else(|| FormatError::new(row.loc(i).field(name), FormatErrorKind::MissingValue))?;
    let ok = v.len() == 9 && v.bytes().all(|b| b.is_ascii_alphanumeric());
    if ok {
        Ok(v)
    } else {
        Err(FormatError::new(
            row.loc(i).field(name),
            FormatErrorKind::InvalidValue {
                value: v,
                expected: expected::FINESS_NUMBER,
            },
        ))
    }
}

/// `departement` + three-digit `commune` → INSEE code.
pub fn commune_insee(departement: Option<&str>, commune: Option<&str>) -> Option<String> {
    let dep = departement?.trim();
    let com = commune?.trim();
    if com.is_empty() || com.len() > 3 || !com.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let com = format!("{com:0>3}");
    if let Some(insee_dep) = crs::finess_overseas_departement(dep) {
        // 9D + 411 → 97411: the commune number already carries the third digit of the département.
        return Some(format!("{}{}", &insee_dep[..2], com));
    }
    (dep.len() == 2).then(|| format!("{dep}{com}"))
}

fn geolocation(
    row: &Row<'_>,
    index: &HashMap<String, usize>,
    out: &mut FinessExtraction,
    seen: &mut HashMap<String, u64>,
) -> Result<()> {
    width(row, 6)?;
    let id = finess_number(row, 1, "nofinesset")?;
    if let Some(&first_line) = seen.get(&id) {
        return Err(FormatError::new(
            row.loc(1).field("nofinesset"),
            FormatErrorKind::DuplicateId { id, first_line },
        ));
    }
    seen.insert(id.clone(), row.line);
    let coord = |i: usize, name: &str| -> Result<Option<f64>> {
        row.number(i).map_err(|mut e| {
            e.location.field = Some(name.to_string());
            if let FormatErrorKind::InvalidValue { expected: exp, .. } = &mut e.kind {
                *exp = expected::COORDINATE;
            }
            e
        })
    };
    let x = coord(2, "coordxet")?;
    let y = coord(3, "coordyet")?;
    let source = row.string(4)?;
    let updated = row.string(5)?;
    let Some(&i) = index.get(&id) else {
        out.warnings.push(FormatWarning {
            location: row.loc(1),
            kind: WarningKind::OrphanGeolocation { id },
        });
        return Ok(());
    };
    let (Some(x), Some(y)) = (x, y) else {
        return Ok(());
    };
    let dep = out.etablissements[i]
        .departement
        .clone()
        .unwrap_or_default();
    let territories = territories_of(&dep);
    let crs = source
        .as_deref()
        .and_then(crs_of_source)
        .or_else(|| territories.first().and_then(|t| Crs::of_territory(*t)));
    let Some(crs) = crs else {
        out.warnings.push(FormatWarning {
            location: row.loc(4).field("sourcecoordet"),
            kind: WarningKind::UnknownProjection {
                source: source.unwrap_or_default(),
            },
        });
        return Ok(());
    };
    let inside =
        |p: (f64, f64)| territories.is_empty() || territories.iter().any(|t| t.contains(p.0, p.1));
    let placed = crs::to_wgs84(crs, x, y).filter(|p| inside(*p));
    let placed = match placed {
        Some(p) => Some((p, x, y)),
        None => match crs::to_wgs84(crs, y, x).filter(|p| inside(*p)) {
            Some(p) => {
                out.warnings.push(FormatWarning {
                    location: row.loc(2).field("coordxet"),
                    kind: WarningKind::CoordinatesSwapped { x, y },
                });
                Some((p, y, x))
            }
            None => None,
        },
    };
    match placed {
        Some(((lon, lat), x, y)) => {
            out.etablissements[i].position = Some(Position {
                lon,
                lat,
                x,
                y,
                crs,
                source,
                updated,
                line: row.line,
            });
        }
        None => out.warnings.push(FormatWarning {
            location: row.loc(2).field("coordxet"),
            kind: WarningKind::CoordinatesOutsideTerritory { x, y },
        }),
    }
    Ok(())
}

/// The territories an établissement of this FINESS département may lie in (9A covers Guadeloupe,
/// Saint-Barthélemy and Saint-Martin). Empty when unknown: then any valid position is accepted.
fn territories_of(dep: &str) -> Vec<Territory> {
    match dep {
        "9A" | "971" => vec![
            Territory::Guadeloupe,
            Territory::SaintBarthelemy,
            Territory::SaintMartin,
        ],
        _ => Territory::of_code(dep)
            .filter(|t| *t != Territory::Other)
            .into_iter()
            .collect(),
    }
}

/// The system named in `sourcecoordet`: an `EPSG:nnnn` code, or the older tokens.
pub fn crs_of_source(source: &str) -> Option<Crs> {
    let up = source.to_ascii_uppercase();
    if let Some(p) = up.find("EPSG:") {
        let digits: String = up[p + 5..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        if let Some(c) = digits.parse().ok().and_then(Crs::from_epsg) {
            return Some(c);
        }
    }
    if up.contains("LAMBERT_93") || up.contains("LAMBERT-93") || up.contains("L93") {
        return Some(Crs::Lambert93);
    }
    for (tokens, crs) in [
        (["UTM_N20", "ZONE 20N"], Crs::Utm20N),
        (["UTM_N21", "ZONE 21N"], Crs::Utm21N),
        (["UTM_N22", "ZONE 22N"], Crs::Utm22N),
        (["UTM_S38", "ZONE 38S"], Crs::Utm38S),
        (["UTM_S40", "ZONE 40S"], Crs::Utm40S),
    ] {
        if tokens.iter().any(|t| up.contains(t)) {
            return Some(crs);
        }
    }
    None
}

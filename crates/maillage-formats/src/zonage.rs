//! Zonage médecins of the ARS (article L1434-4 of the code de la santé publique): which communes, and which
//! quartiers prioritaires (QPV), are zones d'intervention prioritaire (ZIP), zones d'action complémentaire (ZAC)
//! and so on, as of an arrêté of the ARS. Two layouts:
//! - the CartoSanté export, `;`-separated, `Code;Libellé;Zonage_MG`, values numbered for sorting (`1_ZIP`,
//!   `2_ZAC`…), a `GQ_` marker (`8_GQ_ZIP`) meaning the zonage holds for some grands quartiers of the commune
//!   only;
//! - an ARS workbook (xlsx) or CSV, columns found by name (aliases below) or named by the user
//!   ([`ZonageColumns`]); the INSEE code and QPV code cells may list several codes separated by commas.
//!
//! Values are compared without case, accents or spacing; the full French names are accepted too.

use std::path::Path;

use calamine::Data;

use crate::columns::{self, ColumnSpec};
use crate::error::{FormatError, FormatErrorKind, Location, Result, expected};
use crate::sniff::FileKind;
use crate::table::{TableOptions, TableReader, TextEncoding};
use crate::text;
use crate::workbook::Workbook;

/// The zonage of a commune or a QPV.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Zonage {
    /// Zone d'intervention prioritaire.
    Zip,
    /// Zone d'action complémentaire.
    Zac,
    /// Zone d'accompagnement régional.
    Zar,
    /// Zone de vigilance.
    Zv,
    /// Hors zonage.
    Hz,
}

impl Zonage {
    pub const ALL: [Zonage; 5] = [
        Zonage::Zip,
        Zonage::Zac,
        Zonage::Zar,
        Zonage::Zv,
        Zonage::Hz,
    ];

    /// The stable code stored and exchanged (`ZIP`, `ZAC`, `ZAR`, `ZV`, `HZ`).
    pub fn code(self) -> &'static str {
        match self {
            Zonage::Zip => "ZIP",
            Zonage::Zac => "ZAC",
            Zonage::Zar => "ZAR",
            Zonage::Zv => "ZV",
            Zonage::Hz => "HZ",
        }
    }

    pub fn from_code(code: &str) -> Option<Zonage> {
        Zonage::ALL.into_iter().find(|z| z.code() == code)
    }

    /// The French name used in the arrêtés (shown to users).
    pub fn label(self) -> &'static str {
        match self {
            Zonage::Zip => "Zone d'intervention prioritaire",
            Zonage::Zac => "Zone d'action complémentaire",
            Zonage::Zar => "Zone d'accompagnement régional",
            Zonage::Zv => "Zone de vigilance",
            Zonage::Hz => "Hors zonage",
        }
    }
}

/// One value of a zonage cell: the zonage, and whether it holds for some grands quartiers of the commune only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ZonageValue {
    pub zonage: Zonage,
    pub quartiers_only: bool,
}

/// Reads `1_ZIP`, `8_GQ_ZIP`, `ZAC`, `zone d'action complémentaire`, `Hors zonage`…
pub fn parse_zonage(value: &str) -> Option<ZonageValue> {
    let folded = text::fold(&value.replace('_', " "));
    let mut words: Vec<&str> = folded.split(' ').filter(|w| !w.is_empty()).collect();
    // CartoSanté numbers its values for sorting (`1_ZIP`): the number says nothing more.
    if words
        .first()
        .is_some_and(|w| w.bytes().all(|b| b.is_ascii_digit()))
    {
        words.remove(0);
    }
    let quartiers_only = words.first() == Some(&"GQ");
    if quartiers_only {
        words.remove(0);
    }
    let rest = words.join(" ");
    let zonage = match rest.as_str() {
        "ZIP" | "ZONE INTERVENTION PRIORITAIRE" | "ZONE D INTERVENTION PRIORITAIRE" => Zonage::Zip,
        "ZAC" | "ZONE ACTION COMPLEMENTAIRE" | "ZONE D ACTION COMPLEMENTAIRE" => Zonage::Zac,
        "ZAR" | "ZONE ACCOMPAGNEMENT REGIONAL" | "ZONE D ACCOMPAGNEMENT REGIONAL" => Zonage::Zar,
        "ZV" | "ZONE DE VIGILANCE" | "ZONE VIGILANCE" => Zonage::Zv,
        "HZ" | "HORS ZONAGE" | "HORS ZONE" => Zonage::Hz,
        _ => return None,
    };
    Some(ZonageValue {
        zonage,
        quartiers_only,
    })
}

/// Column names given by the user for a workbook whose headers the aliases do not know (`--colonne-commune`…).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ZonageColumns {
    pub commune: Option<String>,
    pub qpv: Option<String>,
    pub zonage: Option<String>,
    pub arrete: Option<String>,
}

/// One row of the file: a zonage for every commune and QPV it lists.
#[derive(Debug, Clone, PartialEq)]
pub struct ZonageRecord {
    /// Where the row is (file, sheet, line), for errors found later (outside the territory...).
    pub location: Location,
    pub communes: Vec<String>,
    pub qpvs: Vec<String>,
    /// `Libellé` of the CartoSanté export, or the commune's name.
    pub label: Option<String>,
    pub value: ZonageValue,
    /// ISO date of the arrêté: the row's, else the one given for the file.
    pub arrete: String,
}

/// What a zonage file holds.
#[derive(Debug, Clone, PartialEq)]
pub struct ZonageFile {
    pub records: Vec<ZonageRecord>,
    /// Header columns not used (the import report lists them).
    pub unknown_columns: Vec<String>,
    /// The layout: `cartosante` (its three columns) or `ars`.
    pub layout: &'static str,
}

// Index of each spec in `SPECS`.
const COMMUNE: usize = 0;
const QPV: usize = 1;
const ZONAGE: usize = 2;
const ARRETE: usize = 3;
const LABEL: usize = 4;

const SPECS: [ColumnSpec; 5] = [
    ColumnSpec::optional(
        "Code",
        &[
            "Code commune",
            "Code INSEE",
            "Codes INSEE",
            "Code(s) INSEE",
            "Code commune INSEE",
            "Codes communes",
            "CODGEO",
            "INSEE",
            "COM",
        ],
    ),
    ColumnSpec::optional(
        "Code QPV",
        &[
            "Codes QPV",
            "Code(s) QPV",
            "QPV",
            "Code quartier prioritaire",
            "Code quartier",
        ],
    ),
    ColumnSpec::required(
        "Zonage_MG",
        &[
            "Zonage",
            "Zonage médecins",
            "Zonage médecin",
            "Zonage médecins généralistes",
            "Zonage médecine générale",
            "Zonage MG",
            "Classement",
        ],
    ),
    ColumnSpec::optional(
        "Date arrêté",
        &[
            "Date de l'arrêté",
            "Date d'arrêté",
            "Arrêté",
            "Date arrêté ARS",
        ],
    ),
    ColumnSpec::optional(
        "Libellé",
        &[
            "Commune",
            "Nom commune",
            "Libellé commune",
            "Nom",
            "Libellé QPV",
            "Nom QPV",
        ],
    ),
];

/// Longest cell kept: a list of codes of a whole département stays far below.
const MAX_CELL: usize = 20_000;
/// Rows an xlsx header may be preceded by (titles, notes).
const HEADER_SEARCH_ROWS: usize = 30;

/// Reads a CartoSanté export or an ARS file (CSV or xlsx). `arrete` is the date of the arrêté for rows that do
/// not carry one (ISO `AAAA-MM-JJ`, checked by the caller).
pub fn read_zonage(
    path: impl AsRef<Path>,
    mapping: &ZonageColumns,
    arrete: Option<&str>,
) -> Result<ZonageFile> {
    let path = path.as_ref();
    let mut head = [0u8; 8];
    {
        use std::io::Read;
        let mut f = std::fs::File::open(path).map_err(|e| crate::io::io_error(path, &e))?;
        let n = f
            .read(&mut head)
            .map_err(|e| crate::io::io_error(path, &e))?;
        if n == 0 {
            return Err(FormatError::new(
                Location::file(path),
                FormatErrorKind::Empty,
            ));
        }
    }
    if head.starts_with(b"PK\x03\x04") || head.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        read_workbook(path, mapping, arrete)
    } else {
        read_text(path, mapping, arrete)
    }
}

/// The columns of one header: the aliases' choice, overridden by the names the user gave.
fn locate(
    headers: &[String],
    mapping: &ZonageColumns,
    at: &Location,
) -> Result<(Vec<Option<usize>>, Vec<String>)> {
    // A column named by the user is looked for by that name only.
    let mut specs = SPECS;
    specs[ZONAGE].required = mapping.zonage.is_none();
    let mut map = columns::resolve(headers, &specs, at)?;
    let normalised: Vec<String> = headers.iter().map(|h| columns::normalise(h)).collect();
    for (spec, given) in [
        (COMMUNE, &mapping.commune),
        (QPV, &mapping.qpv),
        (ZONAGE, &mapping.zonage),
        (ARRETE, &mapping.arrete),
    ] {
        if let Some(name) = given {
            let wanted = columns::normalise(name);
            let i = normalised
                .iter()
                .position(|h| *h == wanted)
                .ok_or_else(|| {
                    FormatError::new(
                        at.clone(),
                        FormatErrorKind::MissingColumn {
                            column: text::cut(name, 80),
                        },
                    )
                })?;
            map.indexes[spec] = Some(i);
        }
    }
    if map.get(COMMUNE).is_none() && map.get(QPV).is_none() {
        return Err(FormatError::new(
            at.clone(),
            FormatErrorKind::MissingColumn {
                column: SPECS[COMMUNE].name.to_string(),
            },
        ));
    }
    let used: Vec<usize> = map.indexes.iter().flatten().copied().collect();
    let unknown = headers
        .iter()
        .enumerate()
        .filter(|(i, h)| !used.contains(i) && !h.trim().is_empty())
        .map(|(_, h)| text::cut(h.trim(), 80))
        .collect();
    Ok((map.indexes, unknown))
}

fn layout(headers: &[String], indexes: &[Option<usize>]) -> &'static str {
    let named = |i: Option<usize>, name: &str| {
        i.and_then(|i| headers.get(i))
            .is_some_and(|h| columns::normalise(h) == columns::normalise(name))
    };
    if named(indexes[COMMUNE], "Code") && named(indexes[ZONAGE], "Zonage_MG") {
        "cartosante"
    } else {
        "ars"
    }
}

fn read_text(path: &Path, mapping: &ZonageColumns, arrete: Option<&str>) -> Result<ZonageFile> {
    let mut opts = TableOptions::new(FileKind::ZonageMedecins, b";,\t");
    opts.encoding = TextEncoding::Auto;
    let mut t = TableReader::open(path, opts)?;
    let headers = t.headers.clone();
    let at = Location::file(path).line(1);
    let (indexes, unknown_columns) = match locate(&headers, mapping, &at) {
        Ok(found) => found,
        // A file of another kind says which kind it looks like.
        Err(e) if mapping == &ZonageColumns::default() => {
            let wrong = t.wrong_kind();
            return Err(match wrong.kind {
                FormatErrorKind::WrongKind { hint: Some(_), .. } => wrong,
                _ => e,
            });
        }
        Err(e) => return Err(e),
    };
    let layout = layout(&headers, &indexes);
    let mut records = Vec::new();
    loop {
        let row = match t.next_row() {
            Ok(Some(row)) => row,
            Ok(None) => break,
            Err(e) => return Err(t.explain(e)),
        };
        let mut cells = Vec::with_capacity(headers.len());
        for i in 0..row.len().min(headers.len()) {
            cells.push(row.string(i)?);
        }
        let line = row.line;
        if cells.iter().all(Option::is_none) {
            continue;
        }
        let loc = |i: usize| {
            Location::file(path)
                .line(line)
                .column(i + 1)
                .field(headers[i].clone())
        };
        records.push(record(
            &cells,
            &indexes,
            &loc,
            Location::file(path).line(line),
            arrete,
        )?);
    }
    Ok(ZonageFile {
        records,
        unknown_columns,
        layout,
    })
}

fn cell_text(d: &Data) -> Option<String> {
    let s = match d {
        Data::Empty => return None,
        Data::String(s) => s.trim().to_string(),
        Data::Float(f) if f.fract() == 0.0 => format!("{f:.0}"),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::DateTime(d) => {
            // A date typed as a date: the serial number of Excel's 1900 system.
            return serial_date(d.as_f64());
        }
        other => other.to_string().trim().to_string(),
    };
    (!s.is_empty()).then_some(s)
}

/// An Excel serial day (1900 system, day 1 = 1900-01-01, with Excel's phantom 1900-02-29) as ISO date.
fn serial_date(serial: f64) -> Option<String> {
    if !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    // Days since 1970-01-01: Excel's serial 25569 is that day.
    let days = serial.floor() as i64 - 25_569;
    let (y, m, d) = civil_from_days(days);
    Some(format!("{y:04}-{m:02}-{d:02}"))
}

/// Proleptic Gregorian date of a day count since 1970-01-01 (H. Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

fn read_workbook(path: &Path, mapping: &ZonageColumns, arrete: Option<&str>) -> Result<ZonageFile> {
    let mut wb = Workbook::open(path, path)?;
    // The error of the row that looks most like a header (the most filled cells), if no header is found.
    let mut best_error: Option<(usize, FormatError)> = None;
    for name in wb.sheet_names() {
        let sheet = wb.sheet(&name)?;
        // The header is the first row (of the first few) where the columns are found.
        let header = sheet.find_header(HEADER_SEARCH_ROWS, |row, at| {
            let headers: Vec<String> = row
                .iter()
                .map(|c| cell_text(c).unwrap_or_default())
                .collect();
            match locate(&headers, mapping, &at) {
                Ok(cols) => Ok(Some((headers, cols))),
                Err(e) => {
                    let filled = headers.iter().filter(|h| !h.is_empty()).count();
                    if filled > best_error.as_ref().map_or(0, |(n, _)| *n) {
                        best_error = Some((filled, e));
                    }
                    Ok(None)
                }
            }
        })?;
        let Some(header) = header else {
            continue;
        };
        let (headers, (indexes, unknown_columns)) = &header.found;
        let mut records = Vec::new();
        for (line, row) in sheet.rows_after(&header) {
            let cells: Vec<Option<String>> = row.iter().map(cell_text).collect();
            if cells.iter().all(Option::is_none) {
                continue;
            }
            let loc = |i: usize| sheet.cell_location(line, i, headers);
            let at = Location::file(path).sheet(&name).line(line);
            records.push(record(&cells, indexes, &loc, at, arrete)?);
        }
        return Ok(ZonageFile {
            records,
            unknown_columns: unknown_columns.clone(),
            layout: layout(headers, indexes),
        });
    }
    Err(best_error.map(|(_, e)| e).unwrap_or_else(|| {
        FormatError::new(
            Location::file(path),
            FormatErrorKind::NoTable {
                looked_for: "code commune ou code QPV, zonage".into(),
            },
        )
    }))
}

/// One row, whatever the layout: `cells` by column, `loc(i)` the location of column `i`.
fn record(
    cells: &[Option<String>],
    indexes: &[Option<usize>],
    loc: &dyn Fn(usize) -> Location,
    row: Location,
    default_arrete: Option<&str>,
) -> Result<ZonageRecord> {
    let cell = |spec: usize| -> Option<(usize, &str)> {
        let i = indexes[spec]?;
        cells.get(i)?.as_deref().map(|s| (i, s))
    };
    for (i, c) in cells.iter().enumerate() {
        if c.as_ref().is_some_and(|c| c.len() > MAX_CELL) {
            return Err(FormatError::new(
                loc(i),
                FormatErrorKind::InvalidValue {
                    value: text::cut(c.as_deref().unwrap_or_default(), 80),
                    expected: expected::ZONAGE_CELL,
                },
            ));
        }
    }
    let (zi, raw) = cell(ZONAGE).ok_or_else(|| {
        FormatError::new(
            loc(indexes[ZONAGE].unwrap_or(0)),
            FormatErrorKind::MissingValue,
        )
    })?;
    let value = parse_zonage(raw).ok_or_else(|| {
        FormatError::new(
            loc(zi),
            FormatErrorKind::UnknownZonage {
                value: text::cut(raw, 80),
            },
        )
    })?;
    let communes = match cell(COMMUNE) {
        Some((i, s)) => codes(s, i, loc, is_commune_code, expected::COMMUNE_CODE)?,
        None => Vec::new(),
    };
    let qpvs = match cell(QPV) {
        Some((i, s)) => codes(s, i, loc, is_qpv_code, expected::QPV_CODE)?,
        None => Vec::new(),
    };
    if communes.is_empty() && qpvs.is_empty() {
        let i = indexes[COMMUNE].or(indexes[QPV]).unwrap_or(0);
        return Err(FormatError::new(loc(i), FormatErrorKind::MissingValue));
    }
    let arrete = match cell(ARRETE) {
        Some((i, s)) => iso_date(s).ok_or_else(|| {
            FormatError::new(
                loc(i),
                FormatErrorKind::InvalidValue {
                    value: text::cut(s, 80),
                    expected: expected::DATE,
                },
            )
        })?,
        None => default_arrete
            .map(str::to_string)
            .ok_or_else(|| FormatError::new(row, FormatErrorKind::MissingArreteDate))?,
    };
    if let Some((i, label)) = cell(LABEL) {
        crate::limits::current()
            .check_name(label)
            .map_err(|kind| FormatError::new(loc(i), kind))?;
    }
    Ok(ZonageRecord {
        location: loc(zi),
        communes,
        qpvs,
        label: cell(LABEL).map(|(_, s)| text::cut(s, 200)),
        value,
        arrete,
    })
}

/// A cell of one or several codes (`69029, 69044`; `;`, `/` and line breaks also separate them).
fn codes(
    cell: &str,
    column: usize,
    loc: &dyn Fn(usize) -> Location,
    valid: fn(&str) -> bool,
    what: &'static str,
) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for code in cell.split([',', ';', '/', '\n', '|']).map(str::trim) {
        if code.is_empty() {
            continue;
        }
        // A commune code read from a number cell lost its leading zero (1001 for 01001).
        let code = if what == expected::COMMUNE_CODE
            && code.len() == 4
            && code.bytes().all(|b| b.is_ascii_digit())
        {
            format!("0{code}")
        } else {
            code.to_ascii_uppercase()
        };
        if !valid(&code) {
            return Err(FormatError::new(
                loc(column),
                FormatErrorKind::InvalidValue {
                    value: text::cut(&code, 80),
                    expected: what,
                },
            ));
        }
        if !out.contains(&code) {
            out.push(code);
        }
    }
    Ok(out)
}

fn is_commune_code(c: &str) -> bool {
    c.len() == 5
        && c.is_ascii()
        && (c[..2].bytes().all(|b| b.is_ascii_digit()) || &c[..2] == "2A" || &c[..2] == "2B")
        && c[2..].bytes().all(|b| b.is_ascii_digit())
}

/// `QP0690..` (2015 list, `QP` + 3-digit département + 3 digits) or `QN0690..` (2024 list).
fn is_qpv_code(c: &str) -> bool {
    c.len() == 8
        && (c.starts_with("QP") || c.starts_with("QN"))
        && c[2..].bytes().all(|b| b.is_ascii_alphanumeric())
}

/// `2025-03-12`, `12/03/2025` or `12-03-2025` as ISO date.
pub fn iso_date(s: &str) -> Option<String> {
    let s = s.trim();
    let s = s.get(..10).unwrap_or(s);
    let parts: Vec<&str> = s.split(['-', '/', '.']).collect();
    let [a, b, c] = parts[..] else {
        return None;
    };
    let (y, m, d) = if a.len() == 4 { (a, b, c) } else { (c, b, a) };
    let (y, m, d): (u16, u8, u8) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    let days_in_month = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        _ => return None,
    };
    ((1900..=2100).contains(&y) && (1..=days_in_month).contains(&d))
        .then(|| format!("{y:04}-{m:02}-{d:02}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_as_cartosante_and_the_ars_write_them() {
        let v = |s| parse_zonage(s).map(|v| (v.zonage, v.quartiers_only));
        assert_eq!(v("1_ZIP"), Some((Zonage::Zip, false)));
        assert_eq!(v("2_ZAC"), Some((Zonage::Zac, false)));
        assert_eq!(v("8_GQ_ZIP"), Some((Zonage::Zip, true)));
        assert_eq!(v("zv"), Some((Zonage::Zv, false)));
        assert_eq!(
            v("Zone d'intervention prioritaire"),
            Some((Zonage::Zip, false))
        );
        assert_eq!(v("Hors zonage"), Some((Zonage::Hz, false)));
        assert_eq!(v("ZRR"), None);
        assert_eq!(v("9_"), None);
    }

    #[test]
    fn dates_and_excel_serials() {
        assert_eq!(iso_date("12/03/2025").as_deref(), Some("2025-03-12"));
        assert_eq!(iso_date("2025-03-12").as_deref(), Some("2025-03-12"));
        assert_eq!(iso_date("31/02/2025"), None);
        assert_eq!(serial_date(45728.0).as_deref(), Some("2025-03-12"));
    }
}

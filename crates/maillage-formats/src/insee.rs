//! INSEE "Base infracommunale — évolution et structure de la population", `base-ic-evol-struct-pop-
//! <year>.CSV`: `;`-separated, one row per IRIS, a `P<yy>_` prefix that changes with every vintage.
//!
//! Current layout: `IRIS;COM;TYP_IRIS;LAB_IRIS;P20_POP;P20_POP0002;...`; older vintages (2017, 2018)
//! start with `IRIS;REG;DEP;UU2010;COM;LIBCOM;TRIRIS;GRD_QUART;LIBIRIS;TYP_IRIS;MODIF_IRIS;LAB_IRIS`.
//! Columns are found by name, so both layouts (and any vintage) read alike. Values may be decimals
//! (counts are weighted by the census sampling).

use std::collections::HashMap;
use std::path::Path;

use crate::error::{FormatError, FormatErrorKind, Location, Result, expected};
use crate::sniff::FileKind;
use crate::table::{TableOptions, TableReader, TextEncoding};

/// An age band `[min, max]` in years; `max == None` for the open last band (80+, 75+).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AgeBand {
    pub min: u8,
    pub max: Option<u8>,
}

const fn band(min: u8, max: Option<u8>) -> AgeBand {
    AgeBand { min, max }
}

/// `P<yy>_POP0002` .. `P<yy>_POP80P`.
pub const FINE_BANDS: [AgeBand; 10] = [
    band(0, Some(2)),
    band(3, Some(5)),
    band(6, Some(10)),
    band(11, Some(17)),
    band(18, Some(24)),
    band(25, Some(39)),
    band(40, Some(54)),
    band(55, Some(64)),
    band(65, Some(79)),
    band(80, None),
];

/// `P<yy>_POP0014` .. `P<yy>_POP75P`.
pub const BROAD_BANDS: [AgeBand; 6] = [
    band(0, Some(14)),
    band(15, Some(29)),
    band(30, Some(44)),
    band(45, Some(59)),
    band(60, Some(74)),
    band(75, None),
];

impl AgeBand {
    /// The INSEE column suffix: `0002`, `80P`.
    pub fn suffix(self) -> String {
        match self.max {
            Some(max) => format!("{:02}{:02}", self.min, max),
            None => format!("{:02}P", self.min),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct IrisPopulation {
    pub line: u64,
    /// Nine-character IRIS code (`693840302`; `xxxxx0000` for communes not divided into IRIS).
    pub iris: String,
    pub commune: String,
    /// H habitat, A activité, D divers, Z commune not divided.
    pub typ_iris: Option<String>,
    pub lab_iris: Option<String>,
    /// Census year of the figures (2020 for `P20_`).
    pub vintage: u16,
    pub total: f64,
    /// Counts by [`FINE_BANDS`]; `None` where the file has no value.
    pub fine: [Option<f64>; 10],
    /// Counts by [`BROAD_BANDS`].
    pub broad: [Option<f64>; 6],
}

/// Streaming reader; yields rows until the first error.
pub struct IrisPopulationReader {
    t: TableReader,
    vintage: u16,
    iris: usize,
    com: usize,
    typ: Option<usize>,
    lab: Option<usize>,
    total: usize,
    fine: [Option<usize>; 10],
    broad: [Option<usize>; 6],
    seen: HashMap<String, u64>,
    failed: bool,
}

impl IrisPopulationReader {
    pub fn open(path: impl AsRef<Path>) -> Result<Self> {
        let mut opts = TableOptions::new(FileKind::IrisPopulation, b";,");
        // INSEE files are UTF-8 today; older ones were Latin-1 (only the old layout has names).
        opts.encoding = TextEncoding::Auto;
        let t = TableReader::open(path.as_ref(), opts)?;
        let (total, yy) = t
            .headers
            .iter()
            .enumerate()
            .find_map(|(i, h)| pop_prefix(h).map(|yy| (i, yy)))
            .ok_or_else(|| t.missing("P<aa>_POP"))?;
        let prefix = format!("P{yy:02}_POP");
        let iris = t.require(&["IRIS", "CODE_IRIS", "DCOMIRIS"])?;
        let com = t.require(&["COM", "DEPCOM", "INSEE_COM"])?;
        let col = |b: &AgeBand| t.column(&[&format!("{prefix}{}", b.suffix())]);
        let fine = FINE_BANDS.map(|b| col(&b));
        let broad = BROAD_BANDS.map(|b| col(&b));
        Ok(IrisPopulationReader {
            vintage: 2000 + yy,
            iris,
            com,
            typ: t.column(&["TYP_IRIS"]),
            lab: t.column(&["LAB_IRIS"]),
            total,
            fine,
            broad,
            t,
            seen: HashMap::new(),
            failed: false,
        })
    }

    /// Census year of the file.
    /// Bytes of the (decompressed) file consumed so far.
    pub fn bytes_read(&self) -> u64 {
        self.t.bytes_read()
    }

    pub fn vintage(&self) -> u16 {
        self.vintage
    }

    fn read(&mut self) -> Result<Option<IrisPopulation>> {
        let Some(row) = self.t.next_row()? else {
            return Ok(None);
        };
        row.check_width()?;
        let iris = row.required(self.iris)?;
        if !crate::contours::is_iris_code(&iris) {
            return Err(FormatError::new(
                row.loc(self.iris),
                FormatErrorKind::InvalidValue {
                    value: iris,
                    expected: expected::IRIS_CODE,
                },
            ));
        }
        if let Some(&first_line) = self.seen.get(&iris) {
            return Err(FormatError::new(
                row.loc(self.iris),
                FormatErrorKind::DuplicateId {
                    id: iris,
                    first_line,
                },
            ));
        }
        self.seen.insert(iris.clone(), row.line);
        let total = row
            .number(self.total)?
            .ok_or_else(|| FormatError::new(row.loc(self.total), FormatErrorKind::MissingValue))?;
        let mut fine = [None; 10];
        for (slot, col) in fine.iter_mut().zip(self.fine) {
            if let Some(c) = col {
                *slot = row.number(c)?;
            }
        }
        let mut broad = [None; 6];
        for (slot, col) in broad.iter_mut().zip(self.broad) {
            if let Some(c) = col {
                *slot = row.number(c)?;
            }
        }
        Ok(Some(IrisPopulation {
            line: row.line,
            commune: row.required(self.com)?,
            typ_iris: self.typ.map(|c| row.string(c)).transpose()?.flatten(),
            lab_iris: self.lab.map(|c| row.string(c)).transpose()?.flatten(),
            iris,
            vintage: self.vintage,
            total,
            fine,
            broad,
        }))
    }
}

impl Iterator for IrisPopulationReader {
    type Item = Result<IrisPopulation>;
    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            return None;
        }
        match self.read() {
            Ok(r) => r.map(Ok),
            Err(e) => {
                self.failed = true;
                Some(Err(self.t.explain(e)))
            }
        }
    }
}

/// `P20_POP` → 20.
fn pop_prefix(h: &str) -> Option<u16> {
    let b = h.as_bytes();
    if b.len() != 7 || (b[0] != b'P' && b[0] != b'p') || !h.get(3..)?.eq_ignore_ascii_case("_POP") {
        return None;
    }
    h.get(1..3)?.parse().ok()
}

/// Reads the whole file.
pub fn read_iris_population(path: impl AsRef<Path>) -> Result<Vec<IrisPopulation>> {
    IrisPopulationReader::open(path)?.collect()
}

/// The xlsx edition of the same file (`base-ic-evol-struct-pop-<year>.xlsx`): title rows, a row of long
/// labels, then the row of column codes (`IRIS`, `COM`, `P20_POP`...), found by content. `line` is the
/// 1-based spreadsheet row.
pub fn read_iris_population_xlsx(path: impl AsRef<Path>) -> Result<Vec<IrisPopulation>> {
    use calamine::{Data, Reader};
    let path = path.as_ref();
    let mut wb = calamine::open_workbook_auto(path).map_err(|e| {
        FormatError::new(
            Location::file(path),
            FormatErrorKind::Spreadsheet(e.to_string()),
        )
    })?;
    let text = |d: &Data| match d {
        Data::String(s) => s.trim().to_string(),
        Data::Empty => String::new(),
        other => other.to_string(),
    };
    for name in wb.sheet_names() {
        let range = wb.worksheet_range(&name).map_err(|e| {
            FormatError::new(
                Location::file(path).sheet(&name),
                FormatErrorKind::Spreadsheet(e.to_string()),
            )
        })?;
        let r0 = range.start().map(|(r, _)| r as u64).unwrap_or(0);
        let rows: Vec<&[Data]> = range.rows().collect();
        let Some((h, headers)) = rows.iter().enumerate().take(30).find_map(|(i, r)| {
            let hs: Vec<String> = r.iter().map(text).collect();
            (hs.iter().any(|h| h == "IRIS") && hs.iter().any(|h| pop_prefix(h).is_some()))
                .then_some((i, hs))
        }) else {
            continue;
        };
        let col = |n: &str| headers.iter().position(|x| x.eq_ignore_ascii_case(n));
        let (total, yy) = headers
            .iter()
            .enumerate()
            .find_map(|(i, h)| pop_prefix(h).map(|y| (i, y)))
            .unwrap_or((0, 0));
        let prefix = format!("P{yy:02}_POP");
        let iris_c = col("IRIS").unwrap_or(0);
        let com_c = col("COM").or_else(|| col("DEPCOM"));
        let fine = FINE_BANDS.map(|b| col(&format!("{prefix}{}", b.suffix())));
        let broad = BROAD_BANDS.map(|b| col(&format!("{prefix}{}", b.suffix())));
        let mut seen: HashMap<String, u64> = HashMap::new();
        let mut out = Vec::new();
        for (i, row) in rows.iter().enumerate().skip(h + 1) {
            let line = r0 + i as u64 + 1;
            let loc = |c: usize| {
                let l = Location::file(path).sheet(&name).line(line).column(c + 1);
                match headers.get(c) {
                    Some(h) => l.field(h.clone()),
                    None => l,
                }
            };
            let cell = |c: usize| row.get(c).unwrap_or(&Data::Empty);
            let iris = text(cell(iris_c));
            if iris.is_empty() {
                continue;
            }
            if !crate::contours::is_iris_code(&iris) {
                return Err(FormatError::new(
                    loc(iris_c),
                    FormatErrorKind::InvalidValue {
                        value: iris,
                        expected: expected::IRIS_CODE,
                    },
                ));
            }
            if let Some(&first_line) = seen.get(&iris) {
                return Err(FormatError::new(
                    loc(iris_c),
                    FormatErrorKind::DuplicateId {
                        id: iris,
                        first_line,
                    },
                ));
            }
            seen.insert(iris.clone(), line);
            let number = |c: usize| -> Result<Option<f64>> {
                match cell(c) {
                    Data::Float(f) => Ok(Some(*f)),
                    Data::Int(n) => Ok(Some(*n as f64)),
                    Data::Empty => Ok(None),
                    other => crate::text::parse_number(&text(other)).map_err(|_| {
                        FormatError::new(
                            loc(c),
                            FormatErrorKind::InvalidValue {
                                value: text(other),
                                expected: expected::NUMBER,
                            },
                        )
                    }),
                }
            };
            let opt = |c: Option<usize>| c.map(number).transpose().map(Option::flatten);
            let mut f = [None; 10];
            for (slot, c) in f.iter_mut().zip(fine) {
                *slot = opt(c)?;
            }
            let mut b = [None; 6];
            for (slot, c) in b.iter_mut().zip(broad) {
                *slot = opt(c)?;
            }
            out.push(IrisPopulation {
                line,
                commune: com_c
                    .map(|c| text(cell(c)))
                    .filter(|s| !s.is_empty())
                    .unwrap_or_else(|| iris[..5].to_string()),
                typ_iris: col("TYP_IRIS")
                    .map(|c| text(cell(c)))
                    .filter(|s| !s.is_empty()),
                lab_iris: col("LAB_IRIS")
                    .map(|c| text(cell(c)))
                    .filter(|s| !s.is_empty()),
                vintage: 2000 + yy,
                total: number(total)?
                    .ok_or_else(|| FormatError::new(loc(total), FormatErrorKind::MissingValue))?,
                fine: f,
                broad: b,
                iris,
            });
        }
        return Ok(out);
    }
    Err(FormatError::new(
        Location::file(path),
        FormatErrorKind::NoTable {
            looked_for: "IRIS, P<aa>_POP".into(),
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::pop_prefix;

    #[test]
    fn year_prefix_of_any_vintage() {
        assert_eq!(pop_prefix("P20_POP"), Some(20));
        assert_eq!(pop_prefix("p09_pop"), Some(9));
        assert_eq!(pop_prefix("P20_POPH"), None);
        assert_eq!(pop_prefix("P\u{20ac}POP"), None); // a multi-byte character where the digits should be
    }
}

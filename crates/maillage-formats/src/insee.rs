//! INSEE "Base infracommunale — évolution et structure de la population", `base-ic-evol-struct-pop-
//! <year>.CSV`: `;`-separated, one row per IRIS, a `P<yy>_` prefix that changes with every vintage.
//!
//! Current layout: `IRIS;COM;TYP_IRIS;LAB_IRIS;P20_POP;P20_POP0002;...`; older vintages (2017, 2018)
//! start with `IRIS;REG;DEP;UU2010;COM;LIBCOM;TRIRIS;GRD_QUART;LIBIRIS;TYP_IRIS;MODIF_IRIS;LAB_IRIS`.
//! Columns are found by name ([`SPECS`] through [`crate::columns`]; the figures by their name without the
//! year prefix, `P21_`, `P22_`...), so every layout and vintage reads alike. Values may be decimals
//! (counts are weighted by the census sampling).
//!
//! INSEE publishes the file as CSV or XLSX, each zipped (`base-ic-evol-struct-pop-2021_csv.zip`,
//! `…_xlsx.zip`, the zip also holding a smaller `meta_…` file): [`IrisPopulationReader::open`] takes any of
//! them. The XLSX has title rows and a row of long labels above the row of column codes, found by content.

use std::collections::HashMap;
use std::path::Path;

use crate::archive::{Archive, ArchiveKind};
use crate::columns::{self, ColumnSpec};
use crate::error::{
    FormatError, FormatErrorKind, FormatWarning, Location, Result, WarningKind, expected,
};
use crate::sniff::FileKind;
use crate::table::{TableOptions, TableReader, TextEncoding};
use crate::workbook::Workbook;

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

/// The columns besides the figures, with the names other vintages and extractions give them.
const SPECS: [ColumnSpec; 4] = [
    ColumnSpec::required(
        "IRIS",
        &["CODE_IRIS", "DCOMIRIS", "Code IRIS", "IRIS (code)"],
    ),
    // Optional: the first five characters of the IRIS code are the commune code.
    ColumnSpec::optional(
        "COM",
        &[
            "DEPCOM",
            "INSEE_COM",
            "CODGEO",
            "Code commune",
            "Commune (code)",
            "code_insee",
        ],
    ),
    ColumnSpec::optional("TYP_IRIS", &["Type IRIS", "Type d'IRIS"]),
    ColumnSpec::optional("LAB_IRIS", &["Label IRIS", "Label de l'IRIS"]),
];
const IRIS: usize = 0;
const COM: usize = 1;
const TYP: usize = 2;
const LAB: usize = 3;

/// The name of the total population column in errors.
const TOTAL: &str = "P<aa>_POP";

/// A census figure's column name: `P22_POP0002` → (22, `POP0002`). The two digits after `P` or `C`
/// are the vintage; the rest names the figure.
fn figure(h: &str) -> Option<(u16, String)> {
    let h = h.trim();
    let b = h.as_bytes();
    if b.len() < 5 || !matches!(b[0], b'P' | b'p' | b'C' | b'c') || b[3] != b'_' {
        return None;
    }
    let yy = h.get(1..3)?;
    if !yy.bytes().all(|d| d.is_ascii_digit()) {
        return None;
    }
    Some((yy.parse().ok()?, h.get(4..)?.to_ascii_uppercase()))
}

/// `P20_POP` → 20.
fn pop_prefix(h: &str) -> Option<u16> {
    let (yy, rest) = figure(h)?;
    (h.trim().as_bytes()[0].eq_ignore_ascii_case(&b'P') && rest == "POP").then_some(yy)
}

/// Where the columns of one header stand.
struct Layout {
    vintage: u16,
    iris: usize,
    com: Option<usize>,
    typ: Option<usize>,
    lab: Option<usize>,
    total: usize,
    fine: [Option<usize>; 10],
    broad: [Option<usize>; 6],
    /// Columns neither known nor a census figure, as published.
    unknown: Vec<String>,
}

impl Layout {
    /// Resolves a header; `at` locates it. The figures are those of the vintage of the first `P<aa>_POP`.
    fn of(headers: &[String], at: &Location) -> Result<Layout> {
        let (total, yy) = headers
            .iter()
            .enumerate()
            .find_map(|(i, h)| pop_prefix(h).map(|yy| (i, yy)))
            .ok_or_else(|| {
                FormatError::new(
                    at.clone(),
                    FormatErrorKind::MissingColumn {
                        column: TOTAL.into(),
                    },
                )
            })?;
        let map = columns::resolve(headers, &SPECS, at)?;
        let band = |b: &AgeBand| {
            let wanted = format!("POP{}", b.suffix());
            headers.iter().position(|h| {
                pop_prefix(h).is_none()
                    && figure(h).is_some_and(|(y, rest)| y == yy && rest == wanted)
                    && h.trim().as_bytes()[0].eq_ignore_ascii_case(&b'P')
            })
        };
        Ok(Layout {
            vintage: 2000 + yy,
            iris: map.get(IRIS).expect("required column"),
            com: map.get(COM),
            typ: map.get(TYP),
            lab: map.get(LAB),
            total,
            fine: FINE_BANDS.map(|b| band(&b)),
            broad: BROAD_BANDS.map(|b| band(&b)),
            unknown: map
                .unknown
                .into_iter()
                .filter(|h| figure(h).is_none())
                .collect(),
        })
    }

    fn warnings(&self, at: &Location) -> Vec<FormatWarning> {
        if self.unknown.is_empty() {
            return Vec::new();
        }
        vec![FormatWarning {
            location: at.clone(),
            kind: WarningKind::UnknownColumns {
                columns: self.unknown.clone(),
            },
        }]
    }
}

/// Streaming reader (the CSV, zipped or not, is never held whole; the XLSX is, as a workbook must be);
/// yields rows until the first error.
pub struct IrisPopulationReader {
    rows: Rows,
    vintage: u16,
    warnings: Vec<FormatWarning>,
    failed: bool,
}

enum Rows {
    Table {
        t: TableReader,
        layout: Layout,
        seen: HashMap<String, u64>,
    },
    Sheet(std::vec::IntoIter<IrisPopulation>),
}

fn table_options() -> TableOptions {
    let mut opts = TableOptions::new(FileKind::IrisPopulation, b";,");
    // INSEE files are UTF-8 today; older ones were Latin-1 (only the old layout has names).
    opts.encoding = TextEncoding::Auto;
    opts
}

/// Whether a zip is an XLSX workbook rather than an archive of files.
fn is_workbook(archive: &Archive) -> bool {
    archive
        .members()
        .iter()
        .any(|m| m.name == "[Content_Types].xml" || m.name == "xl/workbook.xml")
}

impl IrisPopulationReader {
    /// Opens the CSV (plain, `.gz`, `.xz`), the XLSX, or a zip / 7z holding either.
    pub fn open(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        if ArchiveKind::of_file(path)?.is_none() {
            return Self::from_table(TableReader::open(path, table_options())?);
        }
        let archive = Archive::open(path)?;
        if is_workbook(&archive) {
            return Self::from_sheet(read_xlsx(path, path)?);
        }
        let member = archive.main_member_of(&["csv", "xlsx"], FileKind::IrisPopulation)?;
        let shown = archive.member_path(member);
        if member.extension() == "xlsx" {
            // calamine needs a file it can seek in: the member is extracted to a temporary directory.
            let extracted = archive.extract(&[member])?;
            return Self::from_sheet(read_xlsx(&extracted.paths()[0], &shown)?);
        }
        let input = archive.open_member(member)?;
        Self::from_table(TableReader::open_input(&shown, input, table_options())?)
    }

    fn from_table(t: TableReader) -> Result<Self> {
        let at = Location::file(&t.path).line(1);
        let layout = Layout::of(&t.headers, &at).map_err(|e| match e.kind {
            // A file of another kind is said to be so, rather than lacking a column.
            FormatErrorKind::MissingColumn { column } => t.missing(&column),
            _ => e,
        })?;
        Ok(IrisPopulationReader {
            vintage: layout.vintage,
            warnings: layout.warnings(&at),
            rows: Rows::Table {
                t,
                layout,
                seen: HashMap::new(),
            },
            failed: false,
        })
    }

    fn from_sheet(sheet: SheetRead) -> Result<Self> {
        Ok(IrisPopulationReader {
            vintage: sheet.vintage,
            warnings: sheet.warnings,
            rows: Rows::Sheet(sheet.rows.into_iter()),
            failed: false,
        })
    }

    /// Bytes of the (decompressed) file consumed so far (0 for a workbook, read whole at opening).
    pub fn bytes_read(&self) -> u64 {
        match &self.rows {
            Rows::Table { t, .. } => t.bytes_read(),
            Rows::Sheet(_) => 0,
        }
    }

    /// Census year of the file.
    pub fn vintage(&self) -> u16 {
        self.vintage
    }

    /// Columns of the header the reader does not use (census figures aside), for the import report.
    pub fn warnings(&self) -> &[FormatWarning] {
        &self.warnings
    }

    fn read(&mut self) -> Result<Option<IrisPopulation>> {
        let (t, l, seen) = match &mut self.rows {
            Rows::Sheet(rows) => return Ok(rows.next()),
            Rows::Table { t, layout, seen } => (t, &*layout, seen),
        };
        let Some(row) = t.next_row()? else {
            return Ok(None);
        };
        row.check_width()?;
        let iris = row.required(l.iris)?;
        if !crate::contours::is_iris_code(&iris) {
            return Err(FormatError::new(
                row.loc(l.iris),
                FormatErrorKind::InvalidValue {
                    value: crate::text::cut(&iris, 80),
                    expected: expected::IRIS_CODE,
                },
            ));
        }
        if let Some(&first_line) = seen.get(&iris) {
            return Err(FormatError::new(
                row.loc(l.iris),
                FormatErrorKind::DuplicateId {
                    id: iris,
                    first_line,
                },
            ));
        }
        seen.insert(iris.clone(), row.line);
        let total = row
            .number(l.total)?
            .ok_or_else(|| FormatError::new(row.loc(l.total), FormatErrorKind::MissingValue))?;
        let mut fine = [None; 10];
        for (slot, col) in fine.iter_mut().zip(l.fine) {
            if let Some(c) = col {
                *slot = row.number(c)?;
            }
        }
        let mut broad = [None; 6];
        for (slot, col) in broad.iter_mut().zip(l.broad) {
            if let Some(c) = col {
                *slot = row.number(c)?;
            }
        }
        let commune = match l.com {
            Some(c) => row.required(c)?,
            None => iris[..5].to_string(),
        };
        Ok(Some(IrisPopulation {
            line: row.line,
            commune,
            typ_iris: l.typ.map(|c| row.string(c)).transpose()?.flatten(),
            lab_iris: l.lab.map(|c| row.name(c)).transpose()?.flatten(),
            iris,
            vintage: l.vintage,
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
                Some(Err(match &mut self.rows {
                    Rows::Table { t, .. } => t.explain(e),
                    Rows::Sheet(_) => e,
                }))
            }
        }
    }
}

/// Reads the whole file (any form [`IrisPopulationReader::open`] takes).
pub fn read_iris_population(path: impl AsRef<Path>) -> Result<Vec<IrisPopulation>> {
    IrisPopulationReader::open(path)?.collect()
}

/// The xlsx edition of the same file (`base-ic-evol-struct-pop-<year>.xlsx`): title rows, a row of long
/// labels, then the row of column codes (`IRIS`, `COM`, `P20_POP`...), found by content. `line` is the
/// 1-based spreadsheet row.
pub fn read_iris_population_xlsx(path: impl AsRef<Path>) -> Result<Vec<IrisPopulation>> {
    let path = path.as_ref();
    read_xlsx(path, path).map(|s| s.rows)
}

struct SheetRead {
    rows: Vec<IrisPopulation>,
    vintage: u16,
    warnings: Vec<FormatWarning>,
}

/// Reads the workbook at `path`; errors name `shown` (the archive member it came from, or itself).
fn read_xlsx(path: &Path, shown: &Path) -> Result<SheetRead> {
    use calamine::Data;
    let mut wb = Workbook::open(path, shown)?;
    let text = |d: &Data| match d {
        Data::String(s) => s.trim().to_string(),
        Data::Empty => String::new(),
        other => other.to_string(),
    };
    for name in wb.sheet_names() {
        let sheet = wb.sheet(&name)?;
        // The header: the first row holding the IRIS column and a total population.
        let header = sheet.find_header(30, |cells, at| {
            let hs: Vec<String> = cells.iter().map(text).collect();
            if !hs.iter().any(|h| pop_prefix(h).is_some()) {
                return Ok(None);
            }
            Ok(Some((Layout::of(&hs, &at)?, hs, at)))
        })?;
        let Some(header) = header else {
            continue;
        };
        let (l, headers, at) = &header.found;
        let mut seen: HashMap<String, u64> = HashMap::new();
        let mut out = Vec::new();
        for (line, row) in sheet.rows_after(&header) {
            let loc = |c: usize| sheet.cell_location(line, c, headers);
            let cell = |c: usize| row.get(c).unwrap_or(&Data::Empty);
            let iris = text(cell(l.iris));
            if iris.is_empty() {
                continue;
            }
            if !crate::contours::is_iris_code(&iris) {
                return Err(FormatError::new(
                    loc(l.iris),
                    FormatErrorKind::InvalidValue {
                        value: crate::text::cut(&iris, 80),
                        expected: expected::IRIS_CODE,
                    },
                ));
            }
            if let Some(&first_line) = seen.get(&iris) {
                return Err(FormatError::new(
                    loc(l.iris),
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
                                value: crate::text::cut(&text(other), 80),
                                expected: expected::NUMBER,
                            },
                        )
                    }),
                }
            };
            let opt = |c: Option<usize>| c.map(number).transpose().map(Option::flatten);
            let mut f = [None; 10];
            for (slot, c) in f.iter_mut().zip(l.fine) {
                *slot = opt(c)?;
            }
            let mut b = [None; 6];
            for (slot, c) in b.iter_mut().zip(l.broad) {
                *slot = opt(c)?;
            }
            let name_of = |c: Option<usize>| c.map(|c| text(cell(c))).filter(|s| !s.is_empty());
            out.push(IrisPopulation {
                line,
                commune: name_of(l.com).unwrap_or_else(|| iris[..5].to_string()),
                typ_iris: name_of(l.typ),
                lab_iris: match l.lab {
                    Some(c) => {
                        let label = name_of(Some(c));
                        if let Some(n) = &label {
                            crate::limits::current()
                                .check_name(n)
                                .map_err(|kind| FormatError::new(loc(c), kind))?;
                        }
                        label
                    }
                    None => None,
                },
                vintage: l.vintage,
                total: number(l.total)?
                    .ok_or_else(|| FormatError::new(loc(l.total), FormatErrorKind::MissingValue))?,
                fine: f,
                broad: b,
                iris,
            });
        }
        return Ok(SheetRead {
            rows: out,
            vintage: l.vintage,
            warnings: l.warnings(at),
        });
    }
    Err(FormatError::new(
        Location::file(shown),
        FormatErrorKind::NoTable {
            looked_for: "IRIS, P<aa>_POP".into(),
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::{figure, pop_prefix};

    #[test]
    fn year_prefix_of_any_vintage() {
        assert_eq!(pop_prefix("P20_POP"), Some(20));
        assert_eq!(pop_prefix("p09_pop"), Some(9));
        assert_eq!(pop_prefix("P22_POP"), Some(22));
        assert_eq!(pop_prefix("P20_POPH"), None);
        assert_eq!(pop_prefix("C22_POP"), None);
        assert_eq!(pop_prefix("P\u{20ac}POP"), None); // a multi-byte character where the digits should be
        assert_eq!(figure("P22_POP0002"), Some((22, "POP0002".into())));
        assert_eq!(figure("IRIS"), None);
    }
}

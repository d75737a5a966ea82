//! DREES "Accessibilité potentielle localisée" xlsx, as published: a notice sheet first, then one sheet per
//! vintage (`APL 2023`, `APL 2022`; older `APL_2019`), each with title lines, the header (around row 9)
//! found by its content, a units row right under it, the table by commune, then footer lines (`Lecture`,
//! `Champ`, `Source`, `Note`).
//!
//! Columns are found by name through one alias table ([`SPECS`], compared by [`crate::columns::normalise`]);
//! the years inside names (`Population standardisée 2021 …`, `Population totale 2021`) are read as the
//! population vintage and do not take part in the comparison, so every vintage's names match. The APL is kept
//! for all ages and for the 65, 62 and 60-and-under variants.

use std::collections::HashMap;
use std::path::Path;

use calamine::Data;

use crate::columns::{self, ColumnMap, ColumnSpec};
use crate::error::{
    FormatError, FormatErrorKind, FormatWarning, Location, Result, WarningKind, expected,
};
use crate::text::{fold, parse_number};
use crate::workbook::{Header, Sheet, Workbook};

/// Which doctors an APL value counts: all of them, or only those up to an age.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AplVariant {
    AllAges,
    UpTo65,
    UpTo62,
    UpTo60,
}

impl AplVariant {
    pub const ALL: [AplVariant; 4] = [
        AplVariant::AllAges,
        AplVariant::UpTo65,
        AplVariant::UpTo62,
        AplVariant::UpTo60,
    ];

    /// Stable code, used in exports (`maillage indicateurs`).
    pub fn code(self) -> &'static str {
        match self {
            AplVariant::AllAges => "tous_ages",
            AplVariant::UpTo65 => "65_ans_et_moins",
            AplVariant::UpTo62 => "62_ans_et_moins",
            AplVariant::UpTo60 => "60_ans_et_moins",
        }
    }

    /// French label.
    pub fn label(self) -> &'static str {
        match self {
            AplVariant::AllAges => "professionnels de tous âges",
            AplVariant::UpTo65 => "professionnels de 65 ans et moins",
            AplVariant::UpTo62 => "professionnels de 62 ans et moins",
            AplVariant::UpTo60 => "professionnels de 60 ans et moins",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct AplRow {
    pub sheet: String,
    /// Year from the sheet name (`APL 2022` → 2022), else from the header, else from the file name.
    pub year: Option<u16>,
    /// 1-based row of the sheet.
    pub row: u64,
    pub commune: String,
    pub commune_name: Option<String>,
    /// All ages.
    pub apl: Option<f64>,
    pub apl_under_65: Option<f64>,
    pub apl_under_62: Option<f64>,
    pub apl_under_60: Option<f64>,
    pub standardised_population: Option<f64>,
    pub population: Option<f64>,
    /// Year of the populations (the APL year minus two in DREES files), from the population headers.
    pub population_vintage: Option<u16>,
}

/// What a workbook gave: its rows (every vintage sheet) and what the import report should mention.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AplRead {
    pub rows: Vec<AplRow>,
    /// One per vintage sheet read.
    pub sheets: Vec<AplSheet>,
    pub warnings: Vec<FormatWarning>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AplSheet {
    pub name: String,
    pub year: Option<u16>,
    pub population_vintage: Option<u16>,
    /// 1-based row of the header.
    pub header_row: u64,
    pub rows: usize,
}

/// Stands for a year in the names of [`SPECS`]: headers have their years replaced by it before matching.
const YEAR: &str = "AAAA";

const CODE: usize = 0;
const NAME: usize = 1;
const APL: usize = 2;
const APL_65: usize = 3;
const APL_62: usize = 4;
const APL_60: usize = 5;
const STD_POP: usize = 6;
const POP: usize = 7;

/// The columns of every vintage (2019 to 2023 files), for GPs and the other professions DREES publishes.
const SPECS: [ColumnSpec; 8] = [
    ColumnSpec::required(
        "Code commune INSEE",
        &[
            "Code commune",
            "Code INSEE",
            "CODGEO",
            "Commune (code)",
            "Code géographique",
            "DEPCOM",
        ],
    ),
    ColumnSpec::optional(
        "Commune",
        &["Libellé commune", "Nom commune", "Libellé", "LIBGEO"],
    ),
    ColumnSpec::required(
        "APL aux médecins généralistes",
        &[
            "APL aux médecins généralistes (sans borne d'âge)",
            "APL aux médecins généralistes tous âges",
            "APL médecine générale",
            "APL MG",
            "APL",
            "APL aux infirmiers",
            "APL aux infirmières",
            "APL aux masseurs-kinésithérapeutes",
            "APL aux chirurgiens-dentistes",
            "APL aux sages-femmes",
        ],
    ),
    ColumnSpec::optional(
        "APL aux médecins généralistes de 65 ans et moins",
        &[
            "APL aux médecins généralistes de moins de 65 ans",
            "APL aux médecins généralistes âgés de 65 ans et moins",
            "APL MG 65 ans et moins",
        ],
    ),
    ColumnSpec::optional(
        "APL aux médecins généralistes de 62 ans et moins",
        &[
            "APL aux médecins généralistes de moins de 62 ans",
            "APL aux médecins généralistes âgés de 62 ans et moins",
        ],
    ),
    ColumnSpec::optional(
        "APL aux médecins généralistes de 60 ans et moins",
        &[
            "APL aux médecins généralistes de moins de 60 ans",
            "APL aux médecins généralistes âgés de 60 ans et moins",
        ],
    ),
    ColumnSpec::optional(
        "Population standardisée AAAA pour la médecine générale",
        &[
            "Population standardisée pour la médecine générale",
            "Population standardisée AAAA",
            "Population standardisée",
        ],
    ),
    ColumnSpec::optional(
        "Population totale AAAA",
        &["Population totale", "Population AAAA", "Population"],
    ),
];

const LOOKED_FOR: &str = "Code commune INSEE, APL aux médecins généralistes";

/// Reads every vintage sheet of the workbook; sheets without such a table (notice, sources) are skipped,
/// but a workbook with none is an error.
pub fn read_apl(path: impl AsRef<Path>) -> Result<Vec<AplRow>> {
    read_apl_workbook(path).map(|r| r.rows)
}

/// Like [`read_apl`], with the sheets read and the unknown columns, for the import report.
pub fn read_apl_workbook(path: impl AsRef<Path>) -> Result<AplRead> {
    let path = path.as_ref();
    if std::fs::metadata(path)
        .map_err(|e| crate::io::io_error(path, &e))?
        .len()
        == 0
    {
        return Err(FormatError::new(
            Location::file(path),
            FormatErrorKind::Empty,
        ));
    }
    let mut wb = Workbook::open(path, path).map_err(|e| {
        // Another kind of file says which kind it looks like.
        // Its first bytes only: the file may be of any size.
        let mut head = Vec::new();
        if let Ok(file) = std::fs::File::open(path) {
            let _ = std::io::Read::read_to_end(&mut std::io::Read::take(file, 4096), &mut head);
        }
        match crate::sniff::hint(&head, crate::sniff::FileKind::Spreadsheet) {
            Some(hint) => FormatError::new(
                Location::file(path),
                FormatErrorKind::WrongKind {
                    expected: "DREES APL (xlsx)",
                    hint: Some(hint),
                },
            ),
            None => e,
        }
    })?;
    let file_year = path.file_name().and_then(|n| n.to_str()).and_then(year_of);
    let mut out = AplRead::default();
    for name in wb.sheet_names() {
        let sheet = wb.sheet(&name)?;
        let Some(header) = sheet.find_header(HEADER_SEARCH_ROWS, recognise_header)? else {
            continue;
        };
        let table = &header.found;
        if !table.columns.unknown.is_empty() {
            out.warnings.push(FormatWarning {
                location: sheet.location(header.index),
                kind: WarningKind::UnknownColumns {
                    columns: table.columns.unknown.clone(),
                },
            });
        }
        let before = out.rows.len();
        read_sheet(&sheet, &header, file_year, &mut out.rows)?;
        out.sheets.push(AplSheet {
            name: name.clone(),
            year: year_of(&name).or(table.header_year).or(file_year),
            population_vintage: table.population_vintage,
            header_row: header.row,
            rows: out.rows.len() - before,
        });
    }
    if out.sheets.is_empty() {
        return Err(FormatError::new(
            Location::file(path),
            FormatErrorKind::NoTable {
                looked_for: LOOKED_FOR.into(),
            },
        ));
    }
    Ok(out)
}

/// The header of a vintage sheet and what it tells.
struct Table {
    headers: Vec<String>,
    columns: ColumnMap,
    /// A year written in an APL column name.
    header_year: Option<u16>,
    population_vintage: Option<u16>,
}

fn cell_text(d: &Data) -> String {
    match d {
        Data::String(s) => s.trim().to_string(),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Empty => String::new(),
        other => other.to_string(),
    }
}

/// A header with its years replaced by [`YEAR`], and the first year found.
fn mark_years(header: &str) -> (String, Option<u16>) {
    let mut marked = String::with_capacity(header.len());
    let mut found = None;
    let mut rest = header;
    while let Some((at, year)) = find_year(rest) {
        marked.push_str(&rest[..at]);
        marked.push_str(YEAR);
        found = found.or(Some(year));
        rest = &rest[at + 4..];
    }
    marked.push_str(rest);
    (marked, found)
}

/// The first four-digit year (2000–2100) standing alone in `s`, with its byte offset.
fn find_year(s: &str) -> Option<(usize, u16)> {
    let bytes = s.as_bytes();
    (0..bytes.len().saturating_sub(3)).find_map(|i| {
        let w = s.get(i..i + 4)?;
        let before = i == 0 || !bytes[i - 1].is_ascii_digit();
        let after = i + 4 == bytes.len() || !bytes[i + 4].is_ascii_digit();
        let y: u16 = w.parse().ok()?;
        (before && after && (2000..=2100).contains(&y)).then_some((i, y))
    })
}

fn year_of(s: &str) -> Option<u16> {
    find_year(s).map(|(_, y)| y)
}

/// Rows a vintage sheet's header may be preceded by (titles, notes).
const HEADER_SEARCH_ROWS: usize = 60;

/// The header is the first row holding a commune-code column and a column named `APL…`; its columns are
/// then resolved, a missing required one being an error at that sheet and row (`at`).
fn recognise_header(row: &[Data], at: Location) -> Result<Option<Table>> {
    let code_only = [SPECS[CODE]];
    let headers: Vec<String> = row.iter().map(cell_text).collect();
    let marked: Vec<(String, Option<u16>)> = headers.iter().map(|h| mark_years(h)).collect();
    let names: Vec<String> = marked.iter().map(|(m, _)| m.clone()).collect();
    let has_code = columns::resolve(&names, &code_only, &at).is_ok();
    let has_apl = names
        .iter()
        .any(|h| columns::normalise(h).split(' ').next() == Some("APL"));
    if !(has_code && has_apl) {
        return Ok(None);
    }
    let mut map = columns::resolve(&names, &SPECS, &at)?;
    let used: Vec<usize> = map.indexes.iter().flatten().copied().collect();
    // Unknown columns are reported as published, years included.
    map.unknown = headers
        .iter()
        .enumerate()
        .filter(|(i, h)| !used.contains(i) && !h.is_empty())
        .map(|(_, h)| crate::text::cut(h, 80))
        .collect();
    let year_in = |spec: usize| map.get(spec).and_then(|c| marked[c].1);
    Ok(Some(Table {
        header_year: year_in(APL),
        population_vintage: year_in(STD_POP).or_else(|| year_in(POP)),
        headers,
        columns: map,
    }))
}

/// A commune code as a cell holds it: `01001`, or the number 1001 of a sheet that lost the zero.
fn commune_code(d: &Data) -> Option<String> {
    let s = match d {
        Data::Float(f) if f.fract() == 0.0 && *f > 0.0 => format!("{:05}", *f as u64),
        Data::Int(i) if *i > 0 => format!("{i:05}"),
        Data::String(s) => s.trim().to_string(),
        _ => return None,
    };
    let ok = s.len() == 5
        && s.is_ascii()
        && s[2..].bytes().all(|b| b.is_ascii_digit())
        && (s[..2].bytes().all(|b| b.is_ascii_digit())
            || matches!(&s[..2], "2A" | "2B" | "2a" | "2b"));
    ok.then(|| s.to_ascii_uppercase())
}

/// Footer lines below the table: reading guide, scope, sources, notes.
fn is_footer(row: &[Data]) -> bool {
    let Some(first) = row.iter().find(|d| !matches!(d, Data::Empty)) else {
        return false;
    };
    let Data::String(s) = first else {
        return false;
    };
    let folded = fold(s);
    [
        "LECTURE", "CHAMP", "SOURCE", "SOURCES", "NOTE", "NOTES", "NB",
    ]
    .iter()
    .any(|w| folded.split(' ').next() == Some(*w))
}

fn is_number(d: &Data) -> bool {
    matches!(d, Data::Float(_) | Data::Int(_))
}

fn read_sheet(
    sheet: &Sheet,
    header: &Header<Table>,
    file_year: Option<u16>,
    out: &mut Vec<AplRow>,
) -> Result<()> {
    let table = &header.found;
    let cols = &table.columns;
    let code_col = cols.get(CODE).expect("required column");
    let year = year_of(&sheet.name).or(table.header_year).or(file_year);
    // DREES computes the APL of year N with the populations of N-2; said so in every notice.
    let population_vintage = table.population_vintage.or_else(|| year.map(|y| y - 2));
    let value_cols: Vec<usize> = [APL, APL_65, APL_62, APL_60]
        .iter()
        .filter_map(|s| cols.get(*s))
        .collect();
    let mut seen: HashMap<String, u64> = HashMap::new();
    let mut data_started = false;
    for (row_no, row) in sheet.rows_after(header) {
        let loc = |col: usize| sheet.cell_location(row_no, col, &table.headers);
        let cell = |col: usize| row.get(col).unwrap_or(&Data::Empty);
        if row.iter().all(|d| matches!(d, Data::Empty)) || is_footer(row) {
            continue;
        }
        let code_cell = cell(code_col);
        let Some(code) = commune_code(code_cell) else {
            // The units row under the header holds only words ("nombre de consultations par an…").
            let units_row = !data_started && !row.iter().any(is_number);
            // A line with neither code nor APL value is a note, not a commune.
            let no_value = value_cols.iter().all(|c| matches!(cell(*c), Data::Empty));
            if units_row || no_value {
                continue;
            }
            let kind = match cell_text(code_cell) {
                t if t.is_empty() => FormatErrorKind::MissingValue,
                t => FormatErrorKind::InvalidValue {
                    value: crate::text::cut(&t, 80),
                    expected: expected::COMMUNE_CODE,
                },
            };
            return Err(FormatError::new(loc(code_col), kind));
        };
        data_started = true;
        if let Some(&first_line) = seen.get(&code) {
            return Err(FormatError::new(
                loc(code_col),
                FormatErrorKind::DuplicateId {
                    id: code,
                    first_line,
                },
            ));
        }
        seen.insert(code.clone(), row_no);
        let number = |spec: usize| -> Result<Option<f64>> {
            let Some(col) = cols.get(spec) else {
                return Ok(None);
            };
            match cell(col) {
                Data::Float(f) => Ok(Some(*f)),
                Data::Int(i) => Ok(Some(*i as f64)),
                Data::Empty => Ok(None),
                other => {
                    let t = cell_text(other);
                    parse_number(&t).map_err(|_| {
                        FormatError::new(
                            loc(col),
                            FormatErrorKind::InvalidValue {
                                value: crate::text::cut(&t, 80),
                                expected: expected::NUMBER,
                            },
                        )
                    })
                }
            }
        };
        let commune_name = cols
            .get(NAME)
            .map(|n| cell_text(cell(n)))
            .filter(|s| !s.is_empty());
        if let (Some(name), Some(col)) = (&commune_name, cols.get(NAME)) {
            crate::limits::current()
                .check_name(name)
                .map_err(|kind| FormatError::new(loc(col), kind))?;
        }
        out.push(AplRow {
            sheet: sheet.name.clone(),
            year,
            row: row_no,
            commune_name,
            apl: number(APL)?,
            apl_under_65: number(APL_65)?,
            apl_under_62: number(APL_62)?,
            apl_under_60: number(APL_60)?,
            standardised_population: number(STD_POP)?,
            population: number(POP)?,
            population_vintage,
            commune: code,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_and_codes() {
        assert_eq!(year_of("APL 2022"), Some(2022));
        assert_eq!(year_of("APL_2019"), Some(2019));
        assert_eq!(year_of("Notice"), None);
        assert_eq!(year_of("Données é 2021"), Some(2021));
        assert_eq!(year_of("x12345"), None);
        assert_eq!(commune_code(&Data::Float(1001.0)).as_deref(), Some("01001"));
        assert_eq!(
            commune_code(&Data::String("2a004".into())).as_deref(),
            Some("2A004")
        );
        assert_eq!(commune_code(&Data::String("Source : DREES".into())), None);
    }

    #[test]
    fn years_in_names_do_not_take_part_in_matching() {
        assert_eq!(
            mark_years("Population standardisée 2021 pour la médecine générale"),
            (
                "Population standardisée AAAA pour la médecine générale".to_string(),
                Some(2021)
            )
        );
        assert_eq!(mark_years("Commune"), ("Commune".to_string(), None));
        assert_eq!(
            mark_years("Population totale 2017"),
            ("Population totale AAAA".to_string(), Some(2017))
        );
    }
}

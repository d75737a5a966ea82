//! DREES "Accessibilité potentielle localisée" xlsx: one sheet per year (plus notice sheets), a few
//! title rows, then a table by commune. The header row is found by content (a commune-code column and
//! an APL column), not by position, since it moves between editions.
//!
//! Recognised headers (accent- and case-insensitive): commune code — "code commune", "code INSEE",
//! "CODGEO", "Commune (code)"; name — "commune", "libellé"; APL — the first header holding "APL" without
//! an age limit; APL under 65 — holding "APL" and "65"; standardised population — "population
//! standardisée"; population — "population totale" / "population".

use std::collections::HashMap;
use std::path::Path;

use calamine::{Data, Range, Reader};

use crate::error::{FormatError, FormatErrorKind, Location, Result, expected};
use crate::text::{fold, parse_number};

#[derive(Debug, Clone, PartialEq)]
pub struct AplRow {
    pub sheet: String,
    /// Year from the sheet name (`APL 2022` → 2022), or from the header.
    pub year: Option<u16>,
    /// 1-based row of the sheet.
    pub row: u64,
    pub commune: String,
    pub commune_name: Option<String>,
    pub apl: Option<f64>,
    pub apl_under_65: Option<f64>,
    pub standardised_population: Option<f64>,
    pub population: Option<f64>,
}

struct Columns {
    header_row: usize,
    code: usize,
    name: Option<usize>,
    apl: usize,
    apl65: Option<usize>,
    std_pop: Option<usize>,
    pop: Option<usize>,
    headers: Vec<String>,
}

const LOOKED_FOR: &str = "code commune, APL";

/// Reads every year sheet of the workbook; sheets without such a table (notice, sources) are skipped,
/// but a workbook with none is an error.
pub fn read_apl(path: impl AsRef<Path>) -> Result<Vec<AplRow>> {
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
    let mut wb = calamine::open_workbook_auto(path).map_err(|e| {
        let head = std::fs::read(path)
            .map(|b| b[..b.len().min(4096)].to_vec())
            .unwrap_or_default();
        match crate::sniff::hint(&head, crate::sniff::FileKind::Spreadsheet) {
            Some(hint) => FormatError::new(
                Location::file(path),
                FormatErrorKind::WrongKind {
                    expected: "DREES APL (xlsx)",
                    hint: Some(hint),
                },
            ),
            None => FormatError::new(
                Location::file(path),
                FormatErrorKind::Spreadsheet(e.to_string()),
            ),
        }
    })?;
    let mut out = Vec::new();
    let mut tables = 0;
    for name in wb.sheet_names() {
        let range = wb.worksheet_range(&name).map_err(|e| {
            FormatError::new(
                Location::file(path).sheet(&name),
                FormatErrorKind::Spreadsheet(e.to_string()),
            )
        })?;
        let Some(cols) = find_header(&range) else {
            continue;
        };
        tables += 1;
        read_sheet(path, &name, &range, &cols, &mut out)?;
    }
    if tables == 0 {
        return Err(FormatError::new(
            Location::file(path),
            FormatErrorKind::NoTable {
                looked_for: LOOKED_FOR.into(),
            },
        ));
    }
    Ok(out)
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

fn find_header(range: &Range<Data>) -> Option<Columns> {
    for (r, row) in range.rows().enumerate().take(60) {
        let headers: Vec<String> = row.iter().map(cell_text).collect();
        let folded: Vec<String> = headers.iter().map(|h| fold(h)).collect();
        let find = |pred: &dyn Fn(&str) -> bool| folded.iter().position(|h| pred(h));
        let code = find(&|h| {
            h == "CODGEO"
                || h == "CODE INSEE"
                || (h.contains("CODE") && (h.contains("COMMUNE") || h.contains("INSEE")))
                || h == "COMMUNE CODE"
        });
        let apl = find(&|h| {
            h.split(' ').any(|w| w == "APL")
                && !h.contains("65")
                && !h.contains("62")
                && !h.contains("MOINS")
        });
        let (Some(code), Some(apl)) = (code, apl) else {
            continue;
        };
        return Some(Columns {
            header_row: r,
            code,
            name: find(&|h| {
                (h.contains("COMMUNE") || h.contains("LIBELLE")) && !h.contains("CODE")
            }),
            apl,
            apl65: find(&|h| h.split(' ').any(|w| w == "APL") && h.contains("65")),
            std_pop: find(&|h| h.contains("POPULATION STANDARDISEE")),
            pop: find(&|h| h.contains("POPULATION") && !h.contains("STANDARDISEE")),
            headers,
        });
    }
    None
}

fn year_of(s: &str) -> Option<u16> {
    let bytes = s.as_bytes();
    (0..bytes.len().saturating_sub(3)).find_map(|i| {
        let w = s.get(i..i + 4)?;
        let before = i == 0 || !bytes[i - 1].is_ascii_digit();
        let after = i + 4 == bytes.len() || !bytes[i + 4].is_ascii_digit();
        let y: u16 = w.parse().ok()?;
        (before && after && (2000..=2100).contains(&y)).then_some(y)
    })
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
    ok.then_some(s)
}

fn read_sheet(
    path: &Path,
    sheet: &str,
    range: &Range<Data>,
    c: &Columns,
    out: &mut Vec<AplRow>,
) -> Result<()> {
    let (r0, c0) = range
        .start()
        .map(|(r, c)| (r as u64, c as usize))
        .unwrap_or((0, 0));
    let year = year_of(sheet).or_else(|| c.headers.get(c.apl).and_then(|h| year_of(h)));
    let mut seen: HashMap<String, u64> = HashMap::new();
    for (i, row) in range.rows().enumerate().skip(c.header_row + 1) {
        let row_no = r0 + i as u64 + 1;
        let loc = |col: usize| {
            let mut l = Location::file(path)
                .sheet(sheet)
                .line(row_no)
                .column(c0 + col + 1);
            if let Some(h) = c.headers.get(col) {
                l = l.field(h.clone());
            }
            l
        };
        let number = |col: Option<usize>| -> Result<Option<f64>> {
            let Some(col) = col else { return Ok(None) };
            match row.get(col).unwrap_or(&Data::Empty) {
                Data::Float(f) => Ok(Some(*f)),
                Data::Int(i) => Ok(Some(*i as f64)),
                Data::Empty => Ok(None),
                other => {
                    let t = cell_text(other);
                    parse_number(&t).map_err(|_| {
                        FormatError::new(
                            loc(col),
                            FormatErrorKind::InvalidValue {
                                value: t,
                                expected: expected::NUMBER,
                            },
                        )
                    })
                }
            }
        };
        let code_cell = row.get(c.code).unwrap_or(&Data::Empty);
        let Some(code) = commune_code(code_cell) else {
            // Blank lines and footnotes ("Source : ...") have no APL value: skip them.
            if matches!(row.get(c.apl), None | Some(Data::Empty)) {
                continue;
            }
            return Err(FormatError::new(
                loc(c.code),
                FormatErrorKind::InvalidValue {
                    value: cell_text(code_cell),
                    expected: expected::COMMUNE_CODE,
                },
            ));
        };
        if let Some(&first_line) = seen.get(&code) {
            return Err(FormatError::new(
                loc(c.code),
                FormatErrorKind::DuplicateId {
                    id: code,
                    first_line,
                },
            ));
        }
        seen.insert(code.clone(), row_no);
        out.push(AplRow {
            sheet: sheet.to_string(),
            year,
            row: row_no,
            commune_name: c
                .name
                .and_then(|n| row.get(n))
                .map(cell_text)
                .filter(|s| !s.is_empty()),
            apl: number(Some(c.apl))?,
            apl_under_65: number(c.apl65)?,
            standardised_population: number(c.std_pop)?,
            population: number(c.pop)?,
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
        assert_eq!(year_of("Notice"), None);
        assert_eq!(year_of("Données é 2021"), Some(2021));
        assert_eq!(year_of("x12345"), None);
        assert_eq!(commune_code(&Data::Float(1001.0)).as_deref(), Some("01001"));
        assert_eq!(
            commune_code(&Data::String("2A004".into())).as_deref(),
            Some("2A004")
        );
        assert_eq!(commune_code(&Data::String("Source : DREES".into())), None);
    }
}

//! Tables as files for spreadsheets.
//!
//! **CSV, as French Excel reads it.** A French Excel opens a `.csv` by double-click with the regional settings
//! of Windows: list separator `;`, decimal comma, and the ANSI code page unless the file starts with a UTF-8
//! byte order mark. So the CSV is UTF-8 with a BOM (accents survive), `;`-separated, with decimal commas
//! (`12,5`: a decimal point would turn numbers into text or even dates), CRLF line ends, no thousands
//! separator (it would stop Excel reading the number). LibreOffice, R (`read.csv2`) and Python
//! (`sep=";", decimal=",", encoding="utf-8-sig"`) read the same file. Scripts that want a decimal point ask for
//! `decimales=point`. Text cells that a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`)
//! get a leading apostrophe (CSV injection).
//!
//! **XLSX** keeps numbers as numbers (with a display format), headers bold and frozen, an autofilter, and a
//! second sheet with the sources, methods, filters and secrecy of the export.

use crate::exports::table::{Cell, Table};

/// The decimal separator of a CSV.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decimal {
    Comma,
    Point,
}

/// A number written in full (no rounding: the file is data), with the chosen decimal separator.
fn number_text(v: f64, decimal: Decimal) -> String {
    let s = if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    };
    match decimal {
        Decimal::Comma => s.replace('.', ","),
        Decimal::Point => s,
    }
}

/// A text cell made safe for spreadsheets: no formula can start it.
fn safe_text(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

fn cell_text(c: &Cell, decimal: Decimal) -> String {
    match c {
        Cell::Text(s) => safe_text(s),
        Cell::Number(v, _) => number_text(*v, decimal),
        Cell::Secret(t) => format!("< {t}"),
        Cell::Empty => String::new(),
    }
}

/// The table as CSV (see the module documentation for the conventions).
pub fn to_csv(table: &Table, decimal: Decimal) -> Vec<u8> {
    let mut out = csv::WriterBuilder::new()
        .delimiter(b';')
        .terminator(csv::Terminator::CRLF)
        .from_writer("\u{feff}".as_bytes().to_vec());
    // Writing to a Vec cannot fail; a failure would be a bug of the csv crate, reported as an empty field.
    let _ = out.write_record(&table.columns);
    for row in &table.rows {
        let _ = out.write_record(row.iter().map(|c| cell_text(c, decimal)));
    }
    out.into_inner().unwrap_or_default()
}

/// The spreadsheet format of a number with `decimals` decimals ("0", "0.0", "0.00" — Excel shows them with the
/// reader's own separators).
fn number_format(decimals: u8) -> String {
    if decimals == 0 {
        "#,##0".to_string()
    } else {
        format!("#,##0.{}", "0".repeat(decimals as usize))
    }
}

/// The table as an XLSX workbook: the table, then a sheet of notes.
pub fn to_xlsx(table: &Table, title: &str) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{DocProperties, Format, Workbook};
    let mut book = Workbook::new();
    book.set_properties(
        &DocProperties::new()
            .set_title(title)
            .set_author("Maillage")
            .set_comment("Export de l'observatoire de Maillage"),
    );
    let bold = Format::new().set_bold();
    let wrap = Format::new().set_text_wrap();
    let formats: Vec<Format> = (0..=4)
        .map(|d| Format::new().set_num_format(number_format(d)))
        .collect();
    let sheet = book.add_worksheet();
    sheet.set_name(table.name)?;
    let mut widths: Vec<usize> = table.columns.iter().map(|c| c.chars().count()).collect();
    for (col, name) in table.columns.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, *name, &bold)?;
    }
    for (i, row) in table.rows.iter().enumerate() {
        let r = i as u32 + 1;
        for (col, cell) in row.iter().enumerate() {
            let c = col as u16;
            let shown = match cell {
                Cell::Text(s) => {
                    sheet.write_string(r, c, s)?;
                    s.chars().count()
                }
                Cell::Number(v, d) => {
                    sheet.write_number_with_format(r, c, *v, &formats[(*d).min(4) as usize])?;
                    8
                }
                Cell::Secret(t) => {
                    sheet.write_string(r, c, format!("< {t}"))?;
                    4
                }
                Cell::Empty => 0,
            };
            if let Some(w) = widths.get_mut(col) {
                *w = (*w).max(shown);
            }
        }
    }
    for (col, w) in widths.iter().enumerate() {
        sheet.set_column_width(col as u16, (*w).clamp(8, 60) as f64 + 2.0)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    if !table.columns.is_empty() {
        let last_row = table.rows.len() as u32;
        sheet.autofilter(0, 0, last_row, table.columns.len() as u16 - 1)?;
    }

    let notes = book.add_worksheet();
    notes.set_name("Sources et méthodes")?;
    notes.write_string_with_format(0, 0, "Rubrique", &bold)?;
    notes.write_string_with_format(0, 1, "Précisions", &bold)?;
    for (i, (k, v)) in table.notes.iter().enumerate() {
        notes.write_string_with_format(i as u32 + 1, 0, k, &bold)?;
        notes.write_string_with_format(i as u32 + 1, 1, v, &wrap)?;
    }
    notes.set_column_width(0, 45)?;
    notes.set_column_width(1, 110)?;
    book.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Table {
        Table {
            name: "Essai",
            columns: vec!["Nom", "Valeur"],
            rows: vec![
                vec![
                    Cell::Text("Élodie; «quote\"»".into()),
                    Cell::Number(12.5, 1),
                ],
                vec![Cell::Text("=SOMME(A1)".into()), Cell::Secret(5)],
                vec![Cell::Empty, Cell::Number(1234.0, 0)],
            ],
            notes: vec![("Source".into(), "essai".into())],
        }
    }

    #[test]
    fn csv_is_what_french_excel_opens() {
        let bytes = to_csv(&table(), Decimal::Comma);
        assert!(bytes.starts_with(&[0xEF, 0xBB, 0xBF]), "UTF-8 BOM");
        let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
        let lines: Vec<&str> = text.split("\r\n").collect();
        assert_eq!(lines[0], "Nom;Valeur");
        assert_eq!(lines[1], "\"Élodie; «quote\"\"»\";12,5");
        assert_eq!(lines[2], "'=SOMME(A1);< 5");
        assert_eq!(lines[3], ";1234");
        let point = String::from_utf8(to_csv(&table(), Decimal::Point)[3..].to_vec()).unwrap();
        assert!(point.contains(";12.5\r\n"));
    }

    #[test]
    fn xlsx_is_a_zip_workbook_with_both_sheets() {
        let bytes = to_xlsx(&table(), "Essai").unwrap();
        assert_eq!(&bytes[..2], b"PK");
        let text = String::from_utf8_lossy(&bytes);
        // Sheet names are in the (deflated) workbook part; the archive's directory names the sheet files.
        assert!(text.contains("xl/worksheets/sheet1.xml"));
        assert!(text.contains("xl/worksheets/sheet2.xml"));
    }
}

//! Workbooks (xlsx, xls, ods) whose table does not start on the first row: publishers put title lines, notes
//! and sometimes a notice sheet before it. The readers (APL, zonage, INSEE) open the workbook here, go through
//! its sheets, and look for their header among the first rows by its columns; what the header must hold and
//! what follows it (units rows, footers, multi-code cells) stays in each reader.

use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};

use calamine::{Data, Range, Reader, Sheets};

use crate::error::{FormatError, FormatErrorKind, Location, Result};

/// An open workbook; errors name `shown` (the file, or the archive member it was extracted from).
pub(crate) struct Workbook {
    sheets: Sheets<BufReader<File>>,
    shown: PathBuf,
}

impl Workbook {
    /// Opens the workbook at `path`; one calamine cannot read is a `Spreadsheet` error at `shown`.
    pub(crate) fn open(path: &Path, shown: &Path) -> Result<Workbook> {
        let sheets = calamine::open_workbook_auto(path).map_err(|e| {
            FormatError::new(
                Location::file(shown),
                FormatErrorKind::Spreadsheet(e.to_string()),
            )
        })?;
        Ok(Workbook {
            sheets,
            shown: shown.to_path_buf(),
        })
    }

    /// The sheet names, in the workbook's order.
    pub(crate) fn sheet_names(&self) -> Vec<String> {
        self.sheets.sheet_names()
    }

    /// The cells of one sheet; a sheet calamine cannot read is a `Spreadsheet` error at that sheet.
    pub(crate) fn sheet(&mut self, name: &str) -> Result<Sheet> {
        let range = self.sheets.worksheet_range(name).map_err(|e| {
            FormatError::new(
                Location::file(&self.shown).sheet(name),
                FormatErrorKind::Spreadsheet(e.to_string()),
            )
        })?;
        let (first_row, first_column) = range
            .start()
            .map_or((0, 0), |(r, c)| (u64::from(r), c as usize));
        Ok(Sheet {
            shown: self.shown.clone(),
            name: name.to_string(),
            range,
            first_row,
            first_column,
        })
    }
}

/// One sheet's cells. Rows are indexed from the first filled row (calamine's range), while locations give
/// the sheet's own row and column numbers.
pub(crate) struct Sheet {
    shown: PathBuf,
    pub(crate) name: String,
    range: Range<Data>,
    /// 0-based sheet row and column of the range's first cell.
    first_row: u64,
    first_column: usize,
}

/// Where a sheet's header stands, and what the reader made of it.
pub(crate) struct Header<T> {
    /// 0-based row index within the sheet's range.
    pub(crate) index: usize,
    /// 1-based row of the sheet.
    pub(crate) row: u64,
    pub(crate) found: T,
}

impl Sheet {
    /// The 1-based sheet row of the range's `index`-th row.
    pub(crate) fn row_number(&self, index: usize) -> u64 {
        self.first_row + index as u64 + 1
    }

    /// The 1-based sheet column of a row's `index`-th cell.
    pub(crate) fn column_number(&self, index: usize) -> usize {
        self.first_column + index + 1
    }

    /// File, sheet and row of the range's `index`-th row.
    pub(crate) fn location(&self, index: usize) -> Location {
        Location::file(&self.shown)
            .sheet(&self.name)
            .line(self.row_number(index))
    }

    /// File, sheet, row and column of a cell, named by its column's header when it has one.
    pub(crate) fn cell_location(&self, row: u64, index: usize, headers: &[String]) -> Location {
        let at = Location::file(&self.shown)
            .sheet(&self.name)
            .line(row)
            .column(self.column_number(index));
        match headers.get(index) {
            Some(header) => at.field(header.clone()),
            None => at,
        }
    }

    /// The header among the first `rows` rows: the first row `recognise` makes something of (it is given the
    /// row's cells and location; `Ok(None)` means "not this row", an error stops the search).
    pub(crate) fn find_header<T>(
        &self,
        rows: usize,
        mut recognise: impl FnMut(&[Data], Location) -> Result<Option<T>>,
    ) -> Result<Option<Header<T>>> {
        for (index, cells) in self.range.rows().enumerate().take(rows) {
            if let Some(found) = recognise(cells, self.location(index))? {
                return Ok(Some(Header {
                    index,
                    row: self.row_number(index),
                    found,
                }));
            }
        }
        Ok(None)
    }

    /// The rows below a header, each with its 1-based sheet row.
    pub(crate) fn rows_after<T>(&self, header: &Header<T>) -> impl Iterator<Item = (u64, &[Data])> {
        self.range
            .rows()
            .enumerate()
            .skip(header.index + 1)
            .map(|(index, cells)| (self.row_number(index), cells))
    }
}

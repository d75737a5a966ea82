//! Workbooks (xlsx, xls, ods) whose table does not start on the first row: publishers put title lines, notes
//! and sometimes a notice sheet before it. The readers (APL, zonage, INSEE) open the workbook here, go through
//! its sheets, and look for their header among the first rows by its columns; what the header must hold and
//! what follows it (units rows, footers, multi-code cells) stays in each reader.

use std::fs::File;
use std::io::{BufReader, Read};
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
    /// A zipped workbook (xlsx, ods) is vetted first ([`vet`]): calamine holds whole cells and sheets.
    pub(crate) fn open(path: &Path, shown: &Path) -> Result<Workbook> {
        let unreadable = |detail: String| {
            FormatError::new(Location::file(shown), FormatErrorKind::Spreadsheet(detail))
        };
        let sheets = if crate::archive::ArchiveKind::of_file(path)?
            == Some(crate::archive::ArchiveKind::Zip)
        {
            vet(path, shown)?;
            // Read as the xlsx that was vetted, whatever its name says (an ods or xlsb is not vetted).
            calamine::open_workbook::<calamine::Xlsx<_>, _>(path)
                .map(Sheets::Xlsx)
                .map_err(|e| unreadable(e.to_string()))?
        } else {
            // An .xls is not compressed: calamine holds it whole, bounded like a document parsed whole
            // (its sheets by the format itself: 65,536 rows of 256 columns).
            let limit = crate::limits::current().document_bytes;
            let len = std::fs::metadata(path)
                .map_err(|e| crate::io::io_error(shown, &e))?
                .len();
            if len > limit {
                return Err(FormatError::new(
                    Location::file(shown),
                    FormatErrorKind::RecordTooLarge {
                        limit_bytes: limit as usize,
                    },
                ));
            }
            calamine::open_workbook_auto(path).map_err(|e| unreadable(e.to_string()))?
        };
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

/// Reads every member of a zipped workbook once, streaming, before calamine loads it: the members together
/// may not expand beyond [`crate::limits::Limits::expanded_limit`] of the file's size, and no text or
/// markup node may be longer than [`crate::limits::Limits::cell_bytes`] (calamine, like quick-xml under it,
/// buffers a whole node: a 1 MB file can hold a 1 GB cell). The refusal names the sheet and the row.
fn vet(path: &Path, shown: &Path) -> Result<()> {
    let limits = crate::limits::current();
    let corrupt = |e: zip::result::ZipError| {
        FormatError::new(
            Location::file(shown),
            FormatErrorKind::Spreadsheet(crate::text::cut(&e.to_string(), 160)),
        )
    };
    let file = File::open(path).map_err(|e| crate::io::io_error(shown, &e))?;
    let file_len = file
        .metadata()
        .map_err(|e| crate::io::io_error(shown, &e))?
        .len();
    let allowed = limits.expanded_limit(file_len);
    let mut zip = zip::ZipArchive::new(BufReader::new(file)).map_err(corrupt)?;
    let too_large = |member: &str| {
        FormatError::new(
            Location::file(shown),
            FormatErrorKind::ArchiveTooLarge {
                member: crate::text::cut(member, 80),
                limit: allowed,
            },
        )
    };
    let mut expanded = 0u64;
    let mut buf = vec![0u8; crate::io::BUFFER];
    for index in 0..zip.len() {
        let mut member = zip.by_index(index).map_err(corrupt)?;
        let name = String::from_utf8_lossy(member.name_raw()).into_owned();
        if expanded.saturating_add(member.size()) > allowed {
            return Err(too_large(&name));
        }
        let mut scan = NodeScan::new(limits.cell_bytes, limits.sheet_cells);
        loop {
            let n = match member.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    return Err(FormatError::new(
                        Location::file(shown),
                        FormatErrorKind::Spreadsheet(crate::text::cut(&e.to_string(), 160)),
                    ));
                }
            };
            expanded += n as u64;
            if expanded > allowed {
                return Err(too_large(&name));
            }
            if let Err(exceeded) = scan.feed(&buf[..n]) {
                drop(member);
                let mut at = Location::file(shown);
                if let Some(sheet) = sheet_of_part(&mut zip, &name) {
                    at = at.sheet(sheet);
                }
                let kind = match exceeded {
                    Exceeded::Node => {
                        if let Some(row) = scan.row {
                            at = at.line(row);
                        }
                        FormatErrorKind::CellTooLarge {
                            part: crate::text::cut(&name, 80),
                            limit_bytes: limits.cell_bytes,
                        }
                    }
                    Exceeded::Area(cells) => FormatErrorKind::SheetTooLarge {
                        cells,
                        limit_cells: limits.sheet_cells,
                    },
                };
                return Err(FormatError::new(at, kind));
            }
        }
    }
    Ok(())
}

/// The longest run of bytes between two of `<` and `>` (a text node, or a tag with its attributes), the last
/// `<row r="…">` met (the row of a worksheet being read), and the rectangle of the filled cells (`<c>` holding
/// a `<v>`, `<is>` or `<f>`), placed as calamine places them: by their `r` attribute, else next to the
/// previous one.
struct NodeScan {
    limit: u64,
    sheet_cells: u64,
    run: u64,
    in_tag: bool,
    /// The first bytes of the tag being read, enough to recognise `row r="123"` and `c r="AB12"`.
    tag_head: Vec<u8>,
    /// The byte before the tag's `>` (`/` for an empty element).
    before_close: u8,
    row: Option<u64>,
    /// Position of the current row and cell (1-based; 0 before the first).
    at_row: u64,
    at_col: u64,
    /// The cell whose value is awaited (its `<c>` is open).
    open_cell: Option<(u64, u64)>,
    /// First and last row and column of the filled cells.
    rows: Option<(u64, u64)>,
    cols: Option<(u64, u64)>,
}

/// Why [`NodeScan::feed`] stopped.
enum Exceeded {
    Node,
    Area(u64),
}

impl NodeScan {
    fn new(limit: u64, sheet_cells: u64) -> Self {
        NodeScan {
            limit,
            sheet_cells,
            run: 0,
            in_tag: false,
            tag_head: Vec::with_capacity(64),
            before_close: 0,
            row: None,
            at_row: 0,
            at_col: 0,
            open_cell: None,
            rows: None,
            cols: None,
        }
    }

    /// Stops as soon as a node exceeds the limit, or the filled cells span more than `sheet_cells`.
    fn feed(&mut self, bytes: &[u8]) -> std::result::Result<(), Exceeded> {
        for &b in bytes {
            match b {
                b'<' => {
                    self.in_tag = true;
                    self.run = 0;
                    self.tag_head.clear();
                }
                b'>' => {
                    if self.in_tag {
                        self.end_of_tag()?;
                    }
                    self.in_tag = false;
                    self.run = 0;
                }
                _ => {
                    self.run += 1;
                    if self.run > self.limit {
                        return Err(Exceeded::Node);
                    }
                    if self.in_tag && self.tag_head.len() < 64 {
                        self.tag_head.push(b);
                    }
                }
            }
            self.before_close = b;
        }
        Ok(())
    }

    fn end_of_tag(&mut self) -> std::result::Result<(), Exceeded> {
        let head = String::from_utf8_lossy(&self.tag_head).into_owned();
        let (closing, head) = match head.strip_prefix('/') {
            Some(rest) => (true, rest),
            None => (false, head.as_str()),
        };
        let (name, attributes) = head
            .split_once(|c: char| c.is_ascii_whitespace() || c == '/')
            .unwrap_or((head, ""));
        // Namespaced sheets (`x:row`) are read like the others.
        let name = name.rsplit(':').next().unwrap_or(name);
        let empty = self.before_close == b'/';
        if closing {
            if name == "c" {
                self.open_cell = None;
            }
            return Ok(());
        }
        match name {
            "row" => {
                self.at_row = attribute(attributes, "r")
                    .and_then(|r| r.parse().ok())
                    .unwrap_or(self.at_row + 1);
                self.row = Some(self.at_row);
                self.at_col = 0;
            }
            "c" => {
                let (col, row) = attribute(attributes, "r")
                    .and_then(cell_reference)
                    .unwrap_or((self.at_col + 1, self.at_row.max(1)));
                self.at_col = col;
                self.open_cell = (!empty).then_some((row, col));
            }
            "v" | "is" | "f" => {
                if let Some((row, col)) = self.open_cell.take() {
                    let widen = |span: Option<(u64, u64)>, at: u64| {
                        span.map_or((at, at), |(first, last)| (first.min(at), last.max(at)))
                    };
                    let rows = widen(self.rows, row);
                    let cols = widen(self.cols, col);
                    (self.rows, self.cols) = (Some(rows), Some(cols));
                    let area = (rows.1 - rows.0 + 1).saturating_mul(cols.1 - cols.0 + 1);
                    if area > self.sheet_cells {
                        return Err(Exceeded::Area(area));
                    }
                }
            }
            _ => {}
        }
        Ok(())
    }
}

/// `AB12` → (column 28, row 12); `AB` alone (a column) gives the current row.
fn cell_reference(reference: &str) -> Option<(u64, u64)> {
    let letters = reference
        .bytes()
        .take_while(u8::is_ascii_alphabetic)
        .count();
    if letters == 0 || letters > 3 {
        return None;
    }
    let col = reference[..letters].bytes().fold(0u64, |n, b| {
        n * 26 + u64::from(b.to_ascii_uppercase() - b'A' + 1)
    });
    let row = reference[letters..].parse().ok()?;
    Some((col, row))
}

/// The value of `name="…"` in a tag's attributes (preceded by a space or at the start).
fn attribute<'a>(attributes: &'a str, name: &str) -> Option<&'a str> {
    let pattern = format!("{name}=\"");
    let mut from = 0;
    while let Some(found) = attributes[from..].find(&pattern) {
        let at = from + found;
        let start = at + pattern.len();
        if at == 0 || attributes.as_bytes()[at - 1].is_ascii_whitespace() {
            return attributes[start..].split('"').next();
        }
        from = start;
    }
    None
}

/// The name of the sheet whose XML is `part` (`xl/worksheets/sheet2.xml`), from the workbook's relations
/// (both small: read at most 1 MB of each).
fn sheet_of_part<R: std::io::Read + std::io::Seek>(
    zip: &mut zip::ZipArchive<R>,
    part: &str,
) -> Option<String> {
    let mut small = |name: &str| -> Option<String> {
        let member = zip.by_name(name).ok()?;
        let mut text = String::new();
        member.take(1 << 20).read_to_string(&mut text).ok()?;
        Some(text)
    };
    let relations = small("xl/_rels/workbook.xml.rels")?;
    let workbook = small("xl/workbook.xml")?;
    let target = part.strip_prefix("xl/").unwrap_or(part);
    let id = relations.split("<Relationship ").skip(1).find_map(|tag| {
        let t = attribute(tag, "Target")?;
        (t.trim_start_matches("/xl/") == target)
            .then(|| attribute(tag, "Id").map(str::to_string))?
    })?;
    workbook.split("<sheet ").skip(1).find_map(|tag| {
        (attribute(tag, "r:id") == Some(id.as_str()))
            .then(|| attribute(tag, "name").map(|n| crate::text::cut(n, 80)))?
    })
}

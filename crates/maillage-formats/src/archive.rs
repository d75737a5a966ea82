//! Archives as they are published: zip (Annuaire santé extraction, data.gouv.fr bundles) and 7z (IGN
//! CONTOURS-IRIS editions), recognised by their magic bytes rather than by their name.
//!
//! [`Archive::open`] lists the members; [`Archive::open_member`] streams one member (bounded memory: a
//! worker thread decompresses into a pipe, so 7z solid blocks and zip members alike are read as one
//! forward stream); [`Archive::extract`] writes members to a temporary directory for consumers that need
//! real files (Shapefile sidecars, GeoPackage, which is a SQLite database).
//!
//! A member may not expand beyond [`Archive::expanded_limit`] bytes (see [`crate::limits`]): an
//! archive that declares or produces more is refused with [`FormatErrorKind::ArchiveTooLarge`] before the
//! disk or the memory fills up.

use std::fs::File;
use std::io::{self, BufReader, Read, Write};
use std::path::{Component, Path, PathBuf};
use std::thread::JoinHandle;

use crate::error::{FormatError, FormatErrorKind, Location, Result};
use crate::io::{BUFFER, Input, io_error};
use crate::sniff::FileKind;

/// How many times its own size an archive may expand to by default: see
/// [`crate::limits::Limits::expansion_ratio`], which archives, gzip and xz streams share.
pub const MAX_EXPANSION_RATIO: u64 = crate::limits::Limits::DEFAULT.expansion_ratio;

/// The expansion allowed by default to any archive, however small: see
/// [`crate::limits::Limits::expansion_floor`].
pub const MIN_EXPANDED_LIMIT: u64 = crate::limits::Limits::DEFAULT.expansion_floor;

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
const ZIP_EMPTY_MAGIC: &[u8] = b"PK\x05\x06";
const SEVEN_ZIP_MAGIC: &[u8] = &[b'7', b'z', 0xbc, 0xaf, 0x27, 0x1c];

/// The archive formats recognised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArchiveKind {
    Zip,
    SevenZip,
}

impl ArchiveKind {
    /// Recognises an archive from its first bytes.
    pub fn detect(head: &[u8]) -> Option<ArchiveKind> {
        if head.starts_with(ZIP_MAGIC) || head.starts_with(ZIP_EMPTY_MAGIC) {
            Some(ArchiveKind::Zip)
        } else if head.starts_with(SEVEN_ZIP_MAGIC) {
            Some(ArchiveKind::SevenZip)
        } else {
            None
        }
    }

    /// Recognises an archive on disk (`None` for any other file).
    pub fn of_file(path: &Path) -> Result<Option<ArchiveKind>> {
        let mut head = [0u8; 6];
        let mut file = File::open(path).map_err(|e| io_error(path, &e))?;
        let mut n = 0;
        while n < head.len() {
            match file.read(&mut head[n..]) {
                Ok(0) => break,
                Ok(k) => n += k,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(io_error(path, &e)),
            }
        }
        Ok(ArchiveKind::detect(&head[..n]))
    }

    /// Stable token of the format, worded by `maillage-messages`.
    pub fn token(self) -> &'static str {
        match self {
            ArchiveKind::Zip => "zip",
            ArchiveKind::SevenZip => "7z",
        }
    }
}

/// A file inside an archive (directories are not listed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    /// Path inside the archive, with `/` separators.
    pub name: String,
    /// Declared decompressed size.
    pub size: u64,
    index: usize,
}

impl Member {
    /// The last component of the name (`CONTOURS-IRIS.gpkg`).
    pub fn file_name(&self) -> &str {
        self.name.rsplit('/').next().unwrap_or(&self.name)
    }

    /// The lower-case extension, without the dot (`gpkg`, `shp`...).
    pub fn extension(&self) -> String {
        Path::new(self.file_name())
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default()
    }
}

/// An opened archive: its kind and its members.
#[derive(Debug, Clone)]
pub struct Archive {
    path: PathBuf,
    kind: ArchiveKind,
    members: Vec<Member>,
    expanded_limit: u64,
}

/// The members [`Archive::extract`] wrote, in a temporary directory removed when this is dropped.
#[derive(Debug)]
pub struct Extracted {
    dir: tempfile::TempDir,
    paths: Vec<PathBuf>,
}

impl Extracted {
    /// The extracted files, in the order of the members given to [`Archive::extract`].
    pub fn paths(&self) -> &[PathBuf] {
        &self.paths
    }
    /// The directory holding them (members keep their relative paths below it).
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }
}

/// A [`FormatErrorKind`] carried through an `io::Error` (from a worker thread or a capped writer) so
/// that the reader that receives it can report it typed: see [`crate::io::io_error`].
#[derive(Debug)]
pub(crate) struct KindError(pub(crate) FormatErrorKind);

impl std::fmt::Display for KindError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for KindError {}

fn kind_io(kind: FormatErrorKind) -> io::Error {
    io::Error::other(KindError(kind))
}

impl Archive {
    /// Opens `path` as a zip or 7z archive and lists its members. Another file is refused with
    /// [`FormatErrorKind::WrongKind`] (hinting at what it looks like).
    pub fn open(path: &Path) -> Result<Archive> {
        let Some(kind) = ArchiveKind::of_file(path)? else {
            let hint = crate::sniff::detect_file(path)?.map(|k| k.label().to_string());
            return Err(FormatError::new(
                Location::file(path),
                FormatErrorKind::WrongKind {
                    expected: "zip / 7z",
                    hint,
                },
            ));
        };
        let archive_len = std::fs::metadata(path)
            .map_err(|e| io_error(path, &e))?
            .len();
        let members = match kind {
            ArchiveKind::Zip => list_zip(path)?,
            ArchiveKind::SevenZip => list_7z(path)?,
        };
        Ok(Archive {
            path: path.to_path_buf(),
            kind,
            members,
            expanded_limit: crate::limits::current().expanded_limit(archive_len),
        })
    }

    /// Changes the expansion limit (tests, or a caller that knows better).
    pub fn with_expanded_limit(mut self, bytes: u64) -> Archive {
        self.expanded_limit = bytes;
        self
    }

    pub fn kind(&self) -> ArchiveKind {
        self.kind
    }
    pub fn path(&self) -> &Path {
        &self.path
    }
    pub fn members(&self) -> &[Member] {
        &self.members
    }
    /// The most bytes one member (or all the members of one extraction) may expand to.
    pub fn expanded_limit(&self) -> u64 {
        self.expanded_limit
    }

    /// The members whose extension is one of `extensions` (lower case, no dot), in archive order.
    pub fn members_with_extension(&self, extensions: &[&str]) -> Vec<&Member> {
        self.members
            .iter()
            .filter(|m| extensions.contains(&m.extension().as_str()))
            .collect()
    }

    /// The one member a single-file consumer reads: the largest with one of `extensions` (the data, not
    /// a readme), or [`FormatErrorKind::NoMember`] listing what was looked for.
    pub fn main_member(&self, extensions: &[&str]) -> Result<&Member> {
        self.members_with_extension(extensions)
            .into_iter()
            .max_by_key(|m| m.size)
            .ok_or_else(|| self.no_member(extensions))
    }

    /// Like [`Self::main_member`], for a reader of `expected` files: an archive holding none of them but
    /// recognised as another kind (contours in a 7z, the Annuaire bundle) is a wrong kind naming it, so that
    /// the message gives the command to use.
    pub fn main_member_of(&self, extensions: &[&str], expected: FileKind) -> Result<&Member> {
        self.main_member(extensions).map_err(|no_member| {
            match crate::sniff::detect_file(&self.path).ok().flatten() {
                Some(kind) if kind != expected && kind.import_command().is_some() => {
                    FormatError::new(
                        Location::file(&self.path),
                        FormatErrorKind::WrongKind {
                            expected: expected.label(),
                            hint: Some(kind.label().to_string()),
                        },
                    )
                }
                _ => no_member,
            }
        })
    }

    /// The error of an archive holding nothing usable: what was looked for, what was found.
    pub fn no_member(&self, extensions: &[&str]) -> FormatError {
        let looked_for = extensions
            .iter()
            .map(|e| format!(".{e}"))
            .collect::<Vec<_>>()
            .join(", ");
        FormatError::new(
            Location::file(&self.path),
            FormatErrorKind::NoMember {
                looked_for,
                found: self
                    .members
                    .iter()
                    .map(|m| crate::text::cut(&m.name, 80))
                    .take(20)
                    .collect(),
            },
        )
    }

    /// How a member is named in messages: `archive.7z/dir/member.gpkg`.
    pub fn member_path(&self, member: &Member) -> PathBuf {
        self.path.join(&member.name)
    }

    fn check_declared(&self, members: &[&Member]) -> Result<()> {
        let total: u64 = members.iter().map(|m| m.size).fold(0, u64::saturating_add);
        if total > self.expanded_limit {
            let name = members
                .iter()
                .max_by_key(|m| m.size)
                .map(|m| m.name.clone());
            return Err(FormatError::new(
                Location::file(&self.path),
                FormatErrorKind::ArchiveTooLarge {
                    member: name.unwrap_or_default(),
                    limit: self.expanded_limit,
                },
            ));
        }
        Ok(())
    }

    /// Streams one member, decompressed. Errors met while reading (corrupt data, expansion beyond the
    /// limit) come out of the reader as `io::Error`s that [`crate::io::io_error`] turns back into their
    /// typed [`FormatErrorKind`].
    pub fn open_member(&self, member: &Member) -> Result<Input> {
        self.check_declared(&[member])?;
        let (reader, writer) = io::pipe().map_err(|e| io_error(&self.path, &e))?;
        let path = self.path.clone();
        let kind = self.kind;
        let wanted = member.clone();
        let limit = self.expanded_limit;
        let worker = std::thread::Builder::new()
            .name("maillage-archive".into())
            .spawn(move || {
                let mut sink = Capped::new(writer, limit);
                let mut write = |m: &Member, data: &mut dyn Read| copy(data, &mut sink, m, kind);
                match kind {
                    ArchiveKind::Zip => each_zip(&path, &[wanted], &mut write),
                    ArchiveKind::SevenZip => each_7z(&path, &[wanted], &mut write),
                }
            })
            .map_err(|e| io_error(&self.path, &e))?;
        Ok(Box::new(BufReader::with_capacity(
            BUFFER,
            Piped {
                pipe: reader,
                worker: Some(worker),
            },
        )))
    }

    /// Writes `members` to a new temporary directory, keeping their relative paths (two territories of
    /// CONTOURS-IRIS both hold a `CONTOURS-IRIS.shp`). One pass over the archive: 7z solid blocks are
    /// decompressed once.
    pub fn extract(&self, members: &[&Member]) -> Result<Extracted> {
        self.check_declared(members)?;
        let dir = tempfile::Builder::new()
            .prefix("maillage-archive-")
            .tempdir()
            .map_err(|e| io_error(&self.path, &e))?;
        let mut paths = Vec::with_capacity(members.len());
        for m in members {
            paths.push(dir.path().join(safe_relative(&m.name).ok_or_else(|| {
                // The decoder's words, for developers: the message never shows them.
                self.corrupt(format!(
                    "invalid member name {:?}",
                    crate::text::cut(&m.name, 80)
                ))
            })?));
        }
        let wanted: Vec<Member> = members.iter().map(|m| (*m).clone()).collect();
        let mut total = 0u64;
        let limit = self.expanded_limit;
        let kind = self.kind;
        let mut write = |m: &Member, data: &mut dyn Read| -> io::Result<()> {
            let target = dir
                .path()
                .join(safe_relative(&m.name).expect("checked above"));
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent)?;
            }
            let mut sink = Capped::new(File::create(&target)?, limit.saturating_sub(total));
            copy(data, &mut sink, m, kind)?;
            sink.inner.flush()?;
            total += sink.written;
            Ok(())
        };
        let done = match self.kind {
            ArchiveKind::Zip => each_zip(&self.path, &wanted, &mut write),
            ArchiveKind::SevenZip => each_7z(&self.path, &wanted, &mut write),
        };
        done.map_err(|e| io_error(&self.path, &e))?;
        Ok(Extracted { dir, paths })
    }

    fn corrupt(&self, detail: String) -> FormatError {
        FormatError::new(
            Location::file(&self.path),
            FormatErrorKind::CorruptArchive {
                format: self.kind.token(),
                detail,
            },
        )
    }
}

/// A relative path made only of normal components (no `..`, no root): a member cannot write outside
/// the extraction directory.
fn safe_relative(name: &str) -> Option<PathBuf> {
    let path = Path::new(name);
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::Normal(p) => out.push(p),
            Component::CurDir => {}
            _ => return None,
        }
    }
    (!out.as_os_str().is_empty()).then_some(out)
}

fn corrupt_io(kind: ArchiveKind, detail: impl std::fmt::Display) -> io::Error {
    kind_io(FormatErrorKind::CorruptArchive {
        format: kind.token(),
        detail: crate::text::cut(&detail.to_string(), 160),
    })
}

/// Copies one member, telling a damaged archive (read side) from a full disk or a closed pipe (write side).
fn copy(
    data: &mut dyn Read,
    sink: &mut dyn Write,
    member: &Member,
    kind: ArchiveKind,
) -> io::Result<()> {
    let mut buf = vec![0u8; BUFFER];
    loop {
        let n = match data.read(&mut buf) {
            Ok(0) => return Ok(()),
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(corrupt_io(kind, format!("{} : {e}", member.name))),
        };
        sink.write_all(&buf[..n])?;
    }
}

/// Refuses to write more than `limit` bytes: the declared sizes of an archive can lie.
struct Capped<W> {
    inner: W,
    written: u64,
    limit: u64,
}

impl<W> Capped<W> {
    fn new(inner: W, limit: u64) -> Self {
        Capped {
            inner,
            written: 0,
            limit,
        }
    }
}

impl<W: Write> Write for Capped<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.written.saturating_add(buf.len() as u64) > self.limit {
            return Err(kind_io(FormatErrorKind::ArchiveTooLarge {
                member: String::new(),
                limit: self.limit,
            }));
        }
        let n = self.inner.write(buf)?;
        self.written += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// The read end of a member being decompressed by a worker thread; at the end of the stream it reports
/// the worker's error, if any (a truncated stream must not pass for a complete one).
struct Piped {
    pipe: io::PipeReader,
    worker: Option<JoinHandle<io::Result<()>>>,
}

impl Read for Piped {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.pipe.read(buf)?;
        if n == 0
            && !buf.is_empty()
            && let Some(worker) = self.worker.take()
        {
            worker
                .join()
                .map_err(|_| io::Error::other("archive worker panicked"))??;
        }
        Ok(n)
    }
}

fn list_zip(path: &Path) -> Result<Vec<Member>> {
    let file = File::open(path).map_err(|e| io_error(path, &e))?;
    let zip = zip::ZipArchive::new(BufReader::new(file)).map_err(|e| {
        FormatError::new(
            Location::file(path),
            FormatErrorKind::CorruptArchive {
                format: ArchiveKind::Zip.token(),
                detail: crate::text::cut(&e.to_string(), 160),
            },
        )
    })?;
    let meta = zip.metadata();
    let mut members = Vec::new();
    for index in 0..meta.len() {
        let Ok(entry) = meta.entry(index) else {
            continue;
        };
        if entry.is_dir() {
            continue;
        }
        members.push(Member {
            name: entry
                .name()
                .map(|n| n.into_owned())
                .unwrap_or_else(|_| String::from_utf8_lossy(entry.name_raw()).into_owned()),
            size: entry.size(),
            index,
        });
    }
    Ok(members)
}

fn list_7z(path: &Path) -> Result<Vec<Member>> {
    let mut file = File::open(path).map_err(|e| io_error(path, &e))?;
    let memory_kib = crate::limits::current().decoder_memory_kib() as usize;
    let archive = sevenz_rust2::Archive::read_with_memory_limit(
        &mut file,
        &sevenz_rust2::Password::empty(),
        memory_kib,
    )
    .map_err(|e| FormatError::new(Location::file(path), seven_zip_kind(e)))?;
    Ok(archive
        .files
        .iter()
        .enumerate()
        .filter(|(_, f)| !f.is_directory && !f.is_anti_item)
        .map(|(index, f)| Member {
            name: f.name.replace('\\', "/"),
            size: f.size,
            index,
        })
        .collect())
}

fn seven_zip_kind(e: sevenz_rust2::Error) -> FormatErrorKind {
    if let sevenz_rust2::Error::Io(io, _) = &e
        && let Some(inner) = io.get_ref().and_then(|i| i.downcast_ref::<KindError>())
    {
        return inner.0.clone();
    }
    if let sevenz_rust2::Error::MaxMemLimited { .. } = e {
        return FormatErrorKind::DecoderMemory {
            limit_bytes: crate::limits::current().decoder_memory_bytes,
        };
    }
    FormatErrorKind::CorruptArchive {
        format: ArchiveKind::SevenZip.token(),
        detail: crate::text::cut(&e.to_string(), 160),
    }
}

/// Calls `each` with the decompressed data of every wanted member of a zip.
fn each_zip(
    path: &Path,
    wanted: &[Member],
    each: &mut dyn FnMut(&Member, &mut dyn Read) -> io::Result<()>,
) -> io::Result<()> {
    let file = File::open(path)?;
    let mut zip =
        zip::ZipArchive::new(BufReader::new(file)).map_err(|e| corrupt_io(ArchiveKind::Zip, e))?;
    for m in wanted {
        let mut data = zip
            .by_index(m.index)
            .map_err(|e| corrupt_io(ArchiveKind::Zip, format!("{} : {e}", m.name)))?;
        each(m, &mut data).map_err(|e| name_member(e, m))?;
    }
    Ok(())
}

/// Calls `each` with the decompressed data of every wanted member of a 7z, in one forward pass.
fn each_7z(
    path: &Path,
    wanted: &[Member],
    each: &mut dyn FnMut(&Member, &mut dyn Read) -> io::Result<()>,
) -> io::Result<()> {
    use sevenz_rust2::{ArchiveReader, EntryDecision, Password};
    // A forged header may ask for a dictionary of gigabytes: bounded like xz's.
    let memory_kib = crate::limits::current().decoder_memory_kib() as usize;
    let mut reader =
        ArchiveReader::new_with_memory_limit(File::open(path)?, Password::empty(), memory_kib)
            .map_err(|e| kind_io(seven_zip_kind(e)))?;
    let mut remaining: Vec<&Member> = wanted.iter().collect();
    // Entries come block by block (then the empty ones), not in listing order: they are matched by
    // name. The last wanted one is read to its end (and checked) before iteration stops.
    let result = reader.for_each_entries_with_decision(|entry, data| {
        if remaining.is_empty() {
            return Ok(EntryDecision::Stop);
        }
        let name = entry.name.replace('\\', "/");
        if let Some(at) = remaining.iter().position(|m| m.name == name) {
            let m = remaining.swap_remove(at);
            each(m, data).map_err(|e| sevenz_rust2::Error::Io(name_member(e, m), "".into()))?;
        }
        Ok(EntryDecision::Continue)
    });
    result.map_err(|e| kind_io(seven_zip_kind(e)))?;
    // A member listed but never met while decoding: the archive is inconsistent, not the member empty.
    match remaining.first() {
        Some(m) => Err(corrupt_io(
            ArchiveKind::SevenZip,
            format!("{}: listed but missing from the data", m.name),
        )),
        None => Ok(()),
    }
}

/// Fills the member name into an expansion error raised by [`Capped`] (which does not know it).
fn name_member(e: io::Error, member: &Member) -> io::Error {
    match e.get_ref().and_then(|i| i.downcast_ref::<KindError>()) {
        Some(KindError(FormatErrorKind::ArchiveTooLarge {
            member: name,
            limit,
        })) if name.is_empty() => kind_io(FormatErrorKind::ArchiveTooLarge {
            member: crate::text::cut(&member.name, 80),
            limit: *limit,
        }),
        _ => e,
    }
}

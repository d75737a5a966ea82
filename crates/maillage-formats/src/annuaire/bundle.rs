//! The Annuaire santé as downloaded from the ANS: a `.zip` holding `PS_LibreAcces_Personne_activite_<date>.txt`
//! beside `PS_LibreAcces_Dipl_AutExerc_<date>.txt` and `PS_LibreAcces_SavoirFaire_<date>.txt`, or the
//! activity file alone (plain, gzip or xz). The zip is read in place by the `zip` crate, member by member,
//! streaming: the 2 GB activity file is never extracted nor held in memory.

use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use super::{AnnuaireReader, COLUMNS, ChainedReader, SkillTable, col, header_names, read_head};
use crate::columns;
use crate::error::{FormatError, FormatErrorKind, Location, Result};
use crate::io;
use crate::sniff::{self, FileKind};

/// How the activity member of a bundle is named.
const ACTIVITY_MEMBER: &str = "PS_LibreAcces_Personne_activite";
const SKILLS_MEMBER: &str = "PS_LibreAcces_SavoirFaire";
/// Every member of the ANS bundle starts so.
const BUNDLE_PREFIX: &str = "PS_LibreAcces_";
/// What a bundle must hold, as the error names it.
const ACTIVITY_PATTERN: &str = "PS_LibreAcces_Personne_activite_<date>.txt";

/// The reader of the activity rows, whatever the form of the file.
pub type InputReader<'a> = ChainedReader<Box<dyn Read + Send + 'a>>;

/// The Annuaire file given by the user: the activity file itself, or the ANS zip bundle.
pub struct AnnuaireInput {
    path: PathBuf,
    bundle: Option<Bundle>,
}

struct Bundle {
    archive: zip::ZipArchive<BufReader<Positioned>>,
    /// Where the archive stands in the zip file: the progress of an import, in the file's own bytes (the
    /// decompressed text is several times larger than the file whose size the user sees).
    position: Arc<AtomicU64>,
    activity: Member,
    skills: Option<Member>,
    /// Size of the zip file: a member may expand to [`crate::limits::Limits::expanded_limit`] of it.
    file_len: u64,
}

struct Member {
    index: usize,
    name: String,
}

impl AnnuaireInput {
    /// Opens `path`, recognising a zip by its first bytes (not its name): a zip must hold the activity
    /// file.
    pub fn open(path: impl AsRef<Path>) -> Result<AnnuaireInput> {
        let path = path.as_ref().to_path_buf();
        let mut file = File::open(&path).map_err(|e| io::io_error(&path, &e))?;
        let mut magic = [0u8; 4];
        let n = read_head_into(&mut file, &mut magic).map_err(|e| io::io_error(&path, &e))?;
        let bundle = is_zip(&magic[..n])
            .then(|| Bundle::open(&path))
            .transpose()?;
        Ok(AnnuaireInput { path, bundle })
    }

    /// The name of the activity file (the member of the bundle, else the file itself): it carries the
    /// extraction date.
    pub fn activity_name(&self) -> &str {
        match &self.bundle {
            Some(b) => member_file_name(&b.activity.name),
            None => self.path.file_name().and_then(|n| n.to_str()).unwrap_or(""),
        }
    }

    /// Whether the file is the zip bundle.
    pub fn is_bundle(&self) -> bool {
        self.bundle.is_some()
    }

    /// The activity rows, header checked. In a bundle whose activity file lacks the savoir-faire columns,
    /// they are joined from the `SavoirFaire` member (read first, see [`SkillTable`]).
    pub fn reader(&mut self) -> Result<InputReader<'_>> {
        let Some(bundle) = &mut self.bundle else {
            let input: Box<dyn Read + Send> = Box::new(io::open(&self.path)?);
            return AnnuaireReader::from_reader_joined(input, &self.path, None);
        };
        let activity_path = self.path.join(&bundle.activity.name);
        let skills_member = bundle
            .skills
            .as_ref()
            .map(|m| (m.index, self.path.join(&m.name)));
        let skills = match skills_member {
            Some((index, skills_path)) if !bundle.activity_has_skills(&activity_path)? => {
                let member = bundle.member(index, &skills_path)?;
                Some(SkillTable::read(member, &skills_path)?)
            }
            _ => None,
        };
        let position = Arc::clone(&bundle.position);
        let member: Box<dyn Read + Send + '_> =
            Box::new(bundle.member(bundle.activity.index, &activity_path)?);
        let mut reader = AnnuaireReader::from_reader_joined(member, &activity_path, skills)?;
        reader.progress = Some(position);
        Ok(reader)
    }
}

impl Bundle {
    fn open(path: &Path) -> Result<Bundle> {
        let file = File::open(path).map_err(|e| io::io_error(path, &e))?;
        let file_len = file.metadata().map_err(|e| io::io_error(path, &e))?.len();
        let position = Arc::new(AtomicU64::new(0));
        let file = Positioned {
            file,
            position: Arc::clone(&position),
        };
        let archive = zip::ZipArchive::new(BufReader::with_capacity(1 << 16, file))
            .map_err(|e| corrupt(path, &e))?;
        let names: Vec<String> = archive
            .file_names()
            .filter_map(|n| n.ok().map(|n| n.into_owned()))
            .collect();
        let find = |prefix: &str| {
            let wanted = prefix.to_ascii_lowercase();
            (0..archive.len()).find_map(|index| {
                let name = archive.name_for_index(index)?.ok()?;
                member_file_name(&name)
                    .to_ascii_lowercase()
                    .starts_with(&wanted)
                    .then(|| Member {
                        index,
                        name: name.into_owned(),
                    })
            })
        };
        let Some(activity) = find(ACTIVITY_MEMBER) else {
            // A zip with nothing of the Annuaire (an Excel workbook, another publisher's archive) is
            // another kind of file; a bundle missing its activity file says what it holds.
            if find(BUNDLE_PREFIX).is_none() {
                return Err(FormatError::new(
                    Location::file(path),
                    FormatErrorKind::WrongKind {
                        expected: FileKind::Annuaire.label(),
                        hint: sniff::hint(&file_head(path)?, FileKind::Annuaire),
                    },
                ));
            }
            return Err(FormatError::new(
                Location::file(path),
                FormatErrorKind::NoMember {
                    looked_for: ACTIVITY_PATTERN.to_string(),
                    found: names
                        .iter()
                        .take(20)
                        .map(|n| crate::text::cut(n, 80))
                        .collect(),
                },
            ));
        };
        let skills = find(SKILLS_MEMBER);
        Ok(Bundle {
            archive,
            position,
            activity,
            skills,
            file_len,
        })
    }

    /// One member, decompressed while read (its checksum verified at the end by the `zip` crate), its
    /// expansion bounded like any archive's ([`crate::limits::Limits::expanded_limit`] of the zip's size).
    fn member(&mut self, index: usize, path: &Path) -> Result<impl Read + Send + '_> {
        let limit = crate::limits::current().expanded_limit(self.file_len);
        let member = self
            .archive
            .by_index(index)
            .map_err(|e| corrupt(path, &e))?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if member.size() > limit {
            return Err(FormatError::new(
                Location::file(path),
                FormatErrorKind::ArchiveTooLarge {
                    member: crate::text::cut(member_file_name(&name), 80),
                    limit,
                },
            ));
        }
        Ok(crate::limits::ExpansionBound::member(
            member,
            self.file_len,
            "zip",
            member_file_name(&name),
        ))
    }

    /// Whether the activity member's header has the savoir-faire columns (only its first bytes are read).
    fn activity_has_skills(&mut self, path: &Path) -> Result<bool> {
        let mut member = self.member(self.activity.index, path)?;
        let head = read_head(&mut member, path)?;
        let first_line = head.split(|&b| b == b'\n').next().unwrap_or(&[]);
        let header = csv::ByteRecord::from(first_line.split(|&b| b == b'|').collect::<Vec<_>>());
        let wanted = columns::normalise(COLUMNS[col::SKILL_CODE]);
        Ok(header_names(&header)
            .unwrap_or_default()
            .iter()
            .any(|n| columns::normalise(n) == wanted))
    }
}

/// The error of an unreadable archive or member, as the generic archive reader words it.
fn corrupt(path: &Path, e: &zip::result::ZipError) -> FormatError {
    FormatError::new(
        Location::file(path),
        FormatErrorKind::CorruptArchive {
            format: "zip",
            detail: crate::text::cut(&e.to_string(), 80),
        },
    )
}

/// A zip archive starts with a local file header (or, empty, with the end of central directory).
fn is_zip(head: &[u8]) -> bool {
    head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06")
}

/// The last component of a member's name (members may sit in a folder of the archive).
fn member_file_name(name: &str) -> &str {
    name.rsplit(['/', '\\']).next().unwrap_or(name)
}

/// The first 4 KB of a file, for [`sniff::hint`].
fn file_head(path: &Path) -> Result<Vec<u8>> {
    let mut file = File::open(path).map_err(|e| io::io_error(path, &e))?;
    let mut head = vec![0; 4096];
    let n = read_head_into(&mut file, &mut head).map_err(|e| io::io_error(path, &e))?;
    head.truncate(n);
    Ok(head)
}

fn read_head_into(file: &mut File, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match file.read(&mut buf[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}

/// A file that publishes its read position.
struct Positioned {
    file: File,
    position: Arc<AtomicU64>,
}

impl Read for Positioned {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.file.read(buf)?;
        self.position.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

impl Seek for Positioned {
    fn seek(&mut self, to: SeekFrom) -> std::io::Result<u64> {
        let at = self.file.seek(to)?;
        self.position.store(at, Ordering::Relaxed);
        Ok(at)
    }
}

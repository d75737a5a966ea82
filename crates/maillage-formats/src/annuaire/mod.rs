//! Annuaire santé, `PS_LibreAcces_Personne_activite_<date>.txt` (ANS, "extractions des données en libre
//! accès"): `|`-separated, header row, UTF-8, no quoting (`"` is data), every line ends with `|` (an empty
//! field after the last named column), one row per activity of a professional.
//!
//! Columns are found by name ([`SPECS`], compared through [`crate::columns`]): editions rename a few
//! (`Libellé civilité exercice`, `(coord. Structure)`), reorder or add some (the 2026 extractions carry 56,
//! see [`HEADER_2026`]). Only the columns Maillage uses are required; the others are reported
//! ([`AnnuaireReader::unknown_columns_warning`]). The downloaded `.zip` bundle is read by [`AnnuaireInput`],
//! which also joins the `SavoirFaire` file when the activity file lacks the savoir-faire columns.
//!
//! The national file is about 2 GB: [`AnnuaireReader`] streams it with one reused record buffer, and
//! [`AnnuaireReader::next_raw`] / [`AnnuaireReader::filtered`] let the caller reject rows of other
//! territories on the raw fields, before any allocation (the header's column positions are resolved once).

mod bundle;
mod professions;
mod skills;

pub use bundle::AnnuaireInput;
pub use professions::{
    Profession, Recourse, classification_needs_skill, classify, classify_activity,
};
pub use skills::{Skill, SkillTable};

use std::io::{BufRead, Read};
use std::path::{Path, PathBuf};

use crate::columns::{self, ColumnSpec};
use crate::error::{FormatError, FormatErrorKind, FormatWarning, Location, Result, WarningKind};
use crate::io::{self, TrackLast};
use crate::limits::LineBound;
use crate::sniff::{self, FileKind};
use crate::text;

macro_rules! annuaire_columns {
    ($( $idx:literal $field:ident $konst:ident $need:ident $header:literal; )*) => {
        /// The 52 columns the reader knows, in the order of the editions up to 2025, as the ANS names them.
        pub const COLUMNS: [&str; 52] = [$($header),*];

        /// The alias table: one spec per known column, in the order of [`COLUMNS`]. Required: what
        /// identifies the professional, the activity and the site, and the address; the savoir-faire
        /// columns are required unless the bundle's `SavoirFaire` file gives them (see [`AnnuaireInput`]).
        pub const SPECS: [ColumnSpec; 52] = [$( ColumnSpec::$need($header, &[]) ),*];

        /// Known columns (indexes into [`SPECS`]) for [`RawActivite::get`]: where each stands in the file
        /// is resolved from the header.
        pub mod col {
            $( #[doc = $header] pub const $konst: usize = $idx; )*
        }

        /// One row of the file: one activity of one professional at one site. Every field is `None` when
        /// empty. Field docs give the official column name.
        #[derive(Debug, Clone, Default, PartialEq, Eq)]
        pub struct Activite {
            /// Physical line of the row in the file (1-based, header = line 1).
            pub line: u64,
            $( #[doc = $header] pub $field: Option<String>, )*
        }

        impl Activite {
            fn from_raw(raw: &RawActivite<'_>) -> Activite {
                Activite {
                    line: raw.line,
                    $( $field: raw.opt($idx), )*
                }
            }
        }
    };
}

annuaire_columns! {
    0 id_type ID_TYPE required "Type d'identifiant PP";
    1 pp_id PP_ID required "Identifiant PP";
    2 national_id NATIONAL_ID required "Identification nationale PP";
    3 practice_title_code PRACTICE_TITLE_CODE optional "Code civilité d'exercice";
    4 practice_title_label PRACTICE_TITLE_LABEL optional "Libellé civilité d'exercice";
    5 civility_code CIVILITY_CODE optional "Code civilité";
    6 civility_label CIVILITY_LABEL optional "Libellé civilité";
    7 last_name LAST_NAME required "Nom d'exercice";
    8 first_name FIRST_NAME required "Prénom d'exercice";
    9 profession_code PROFESSION_CODE required "Code profession";
    10 profession_label PROFESSION_LABEL required "Libellé profession";
    11 category_code CATEGORY_CODE optional "Code catégorie professionnelle";
    12 category_label CATEGORY_LABEL optional "Libellé catégorie professionnelle";
    13 skill_type_code SKILL_TYPE_CODE optional "Code type savoir-faire";
    14 skill_type_label SKILL_TYPE_LABEL optional "Libellé type savoir-faire";
    15 skill_code SKILL_CODE optional "Code savoir-faire";
    16 skill_label SKILL_LABEL optional "Libellé savoir-faire";
    17 practice_mode_code PRACTICE_MODE_CODE required "Code mode exercice";
    18 practice_mode_label PRACTICE_MODE_LABEL optional "Libellé mode exercice";
    19 site_siret SITE_SIRET required "Numéro SIRET site";
    20 site_siren SITE_SIREN optional "Numéro SIREN site";
    21 site_finess SITE_FINESS required "Numéro FINESS site";
    22 legal_entity_finess LEGAL_ENTITY_FINESS optional "Numéro FINESS établissement juridique";
    23 structure_id STRUCTURE_ID required "Identifiant technique de la structure";
    24 company_name COMPANY_NAME required "Raison sociale site";
    25 trade_name TRADE_NAME optional "Enseigne commerciale site";
    26 recipient_complement RECIPIENT_COMPLEMENT optional "Complément destinataire (coord. structure)";
    27 place_complement PLACE_COMPLEMENT optional "Complément point géographique (coord. structure)";
    28 street_number STREET_NUMBER required "Numéro Voie (coord. structure)";
    29 repetition_index REPETITION_INDEX optional "Indice répétition voie (coord. structure)";
    30 street_type_code STREET_TYPE_CODE optional "Code type de voie (coord. structure)";
    31 street_type_label STREET_TYPE_LABEL optional "Libellé type de voie (coord. structure)";
    32 street_name STREET_NAME required "Libellé Voie (coord. structure)";
    33 distribution_mention DISTRIBUTION_MENTION optional "Mention distribution (coord. structure)";
    34 cedex_office CEDEX_OFFICE optional "Bureau cedex (coord. structure)";
    35 postal_code POSTAL_CODE required "Code postal (coord. structure)";
    36 commune_code COMMUNE_CODE required "Code commune (coord. structure)";
    37 commune_label COMMUNE_LABEL required "Libellé commune (coord. structure)";
    38 country_code COUNTRY_CODE optional "Code pays (coord. structure)";
    39 country_label COUNTRY_LABEL optional "Libellé pays (coord. structure)";
    40 phone PHONE optional "Téléphone (coord. structure)";
    41 phone2 PHONE2 optional "Téléphone 2 (coord. structure)";
    42 fax FAX optional "Télécopie (coord. structure)";
    43 email EMAIL optional "Adresse e-mail (coord. structure)";
    44 departement_code DEPARTEMENT_CODE optional "Code Département (structure)";
    45 departement_label DEPARTEMENT_LABEL optional "Libellé Département (structure)";
    46 former_structure_id FORMER_STRUCTURE_ID optional "Ancien identifiant de la structure";
    47 registration_authority REGISTRATION_AUTHORITY optional "Autorité d'enregistrement";
    48 activity_sector_code ACTIVITY_SECTOR_CODE required "Code secteur d'activité";
    49 activity_sector_label ACTIVITY_SECTOR_LABEL optional "Libellé secteur d'activité";
    50 pharmacist_section_code PHARMACIST_SECTION_CODE optional "Code section tableau pharmaciens";
    51 pharmacist_section_label PHARMACIST_SECTION_LABEL optional "Libellé section tableau pharmaciens";
}

const EXPECTED: FileKind = FileKind::Annuaire;

/// The columns kept as names (of the professional, the site, the commune): bounded by
/// [`crate::limits::Limits::name_chars`].
const NAME_COLUMNS: [usize; 5] = [
    col::LAST_NAME,
    col::FIRST_NAME,
    col::COMPANY_NAME,
    col::TRADE_NAME,
    col::COMMUNE_LABEL,
];

impl Activite {
    /// A key identifying the activity across two editions of the file, for idempotent re-imports:
    /// the professional, the structure (technical id, else SIRET, else FINESS site), profession,
    /// savoir-faire and mode d'exercice. Rows with equal keys describe the same activity.
    pub fn natural_key(&self) -> String {
        let f = |o: &Option<String>| o.as_deref().unwrap_or("").to_string();
        let site = self
            .structure_id
            .as_ref()
            .or(self.site_siret.as_ref())
            .or(self.site_finess.as_ref());
        [
            f(&self.national_id),
            site.cloned().unwrap_or_default(),
            f(&self.profession_code),
            f(&self.skill_code),
            f(&self.practice_mode_code),
        ]
        .join("|")
    }

    /// The profession of docs/produit.md §3.A this activity belongs to, if any.
    pub fn profession(&self) -> Option<Profession> {
        classify_activity(self)
    }
}

/// The header of the 2026 extractions, in file order (56 named columns): three spellings differ from
/// [`COLUMNS`] and four columns Maillage does not use come last.
pub const HEADER_2026: [&str; 56] = {
    let mut h = [""; 56];
    let mut i = 0;
    while i < 52 {
        h[i] = COLUMNS[i];
        i += 1;
    }
    h[col::PRACTICE_TITLE_LABEL] = "Libellé civilité exercice";
    h[col::REPETITION_INDEX] = "Indice répétition voie (coord. Structure)";
    h[col::DEPARTEMENT_CODE] = "Code département (coord. structure)";
    h[52] = "Code fonction";
    h[53] = "Libellé fonction";
    h[54] = "Code genre d'activité";
    h[55] = "Libellé genre d'activité";
    h
};

/// A validated row still in the reader's buffer: field access without allocation, for filtering.
pub struct RawActivite<'r> {
    rec: &'r csv::ByteRecord,
    /// All fields, concatenated, checked to be UTF-8 with every field boundary on a character boundary.
    text: &'r str,
    layout: &'r Layout,
    pub line: u64,
    /// Progress once this row was read: bytes of the (decompressed) text, or for a member of the zip
    /// bundle the position in the zip file (comparable to its size).
    pub bytes: u64,
}

impl RawActivite<'_> {
    /// The trimmed field of the known column `column` (see [`col`]), `""` when empty or absent. The
    /// savoir-faire columns come from the joined `SavoirFaire` file when the activity file has none.
    pub fn get(&self, column: usize) -> &str {
        match self.layout.positions.get(column).copied().flatten() {
            Some(index) => self
                .rec
                .range(index)
                .and_then(|r| self.text.get(r))
                .map(str::trim)
                .unwrap_or(""),
            None => self.joined_skill(column).unwrap_or(""),
        }
    }
    fn joined_skill(&self, column: usize) -> Option<&str> {
        let table = self.layout.skills.as_ref()?;
        let skill = table.get(self.get(col::NATIONAL_ID))?;
        Some(match column {
            col::SKILL_TYPE_CODE => &skill.type_code,
            col::SKILL_TYPE_LABEL => &skill.type_label,
            col::SKILL_CODE => &skill.code,
            col::SKILL_LABEL => &skill.label,
            _ => return None,
        })
    }
    pub fn commune_code(&self) -> &str {
        self.get(col::COMMUNE_CODE)
    }
    pub fn postal_code(&self) -> &str {
        self.get(col::POSTAL_CODE)
    }
    pub fn departement_code(&self) -> &str {
        self.get(col::DEPARTEMENT_CODE)
    }
    pub fn profession_code(&self) -> &str {
        self.get(col::PROFESSION_CODE)
    }
    fn opt(&self, column: usize) -> Option<String> {
        text::non_empty(self.get(column)).map(str::to_string)
    }
    /// Builds the owned record (allocates the non-empty fields).
    pub fn to_record(&self) -> Activite {
        Activite::from_raw(self)
    }
}

/// What the header told: where each known column stands, and what else the file holds.
#[derive(Debug, Default)]
struct Layout {
    /// Position in the row of each column of [`SPECS`].
    positions: Vec<Option<usize>>,
    /// The header as published (trimmed), to name a column in errors.
    names: Vec<String>,
    /// Header columns no spec claimed.
    unknown: Vec<String>,
    /// Fields in a row: the named columns, plus the empty field after a final `|`.
    width: usize,
    trailing_bar: bool,
    /// The savoir-faire joined from the bundle's `SavoirFaire` file, when the activity file has none.
    skills: Option<SkillTable>,
}

impl Layout {
    fn named(&self) -> usize {
        self.width - usize::from(self.trailing_bar)
    }
}

/// Streaming reader of the Annuaire santé activity file. Iterating yields records until the first error,
/// then stops (`None`).
pub struct AnnuaireReader<R: Read> {
    rdr: csv::Reader<TrackLast<LineBound<std::io::BufReader<R>>>>,
    rec: csv::ByteRecord,
    spare: csv::ByteRecord,
    path: PathBuf,
    layout: Layout,
    failed: bool,
    limits: crate::limits::Limits,
    /// The progress to report instead of the text's bytes (a zip member: the position in the zip file).
    progress: Option<std::sync::Arc<std::sync::atomic::AtomicU64>>,
}

/// The reader of a file opened from a source that is not a plain path (a member of the zip bundle).
pub type ChainedReader<R> = AnnuaireReader<std::io::Chain<std::io::Cursor<Vec<u8>>, R>>;

impl AnnuaireReader<io::Input> {
    /// Opens the activity file (plain, or gzip / xz compressed) and checks its header. For the `.zip`
    /// bundle as downloaded, use [`AnnuaireInput`].
    pub fn open(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        let mut input = io::open(path)?;
        let head = input
            .fill_buf()
            .map_err(|e| io::io_error(path, &e))?
            .to_vec();
        Self::with_head(input, path, &head, None)
    }
}

impl<R: Read> AnnuaireReader<R> {
    /// Bytes of the (decompressed) text consumed so far.
    pub fn bytes_read(&self) -> u64 {
        self.rdr.position().byte()
    }

    /// Header columns the reader does not use (kept as published, cut to 80 characters).
    pub fn unknown_columns(&self) -> &[String] {
        &self.layout.unknown
    }

    /// The note for the import report when the header holds columns the reader does not use.
    pub fn unknown_columns_warning(&self) -> Option<FormatWarning> {
        (!self.layout.unknown.is_empty()).then(|| FormatWarning {
            location: Location::file(&self.path).line(1),
            kind: WarningKind::UnknownColumns {
                columns: self.layout.unknown.clone(),
            },
        })
    }

    /// Whether the savoir-faire come from the bundle's `SavoirFaire` file rather than from the rows.
    pub fn skills_joined(&self) -> bool {
        self.layout.skills.is_some()
    }

    /// Reads from any source; `path` names it in errors.
    pub fn from_reader(reader: R, path: impl AsRef<Path>) -> Result<ChainedReader<R>> {
        Self::from_reader_joined(reader, path.as_ref(), None)
    }

    /// [`Self::from_reader`], the savoir-faire columns taken from `skills` when the file has none.
    pub(crate) fn from_reader_joined(
        mut reader: R,
        path: &Path,
        skills: Option<SkillTable>,
    ) -> Result<ChainedReader<R>> {
        let head = read_head(&mut reader, path)?;
        let chained = std::io::Cursor::new(head.clone()).chain(reader);
        AnnuaireReader::with_head(chained, path, &head, skills)
    }

    fn with_head(input: R, path: &Path, head: &[u8], skills: Option<SkillTable>) -> Result<Self> {
        if head.iter().all(|b| b.is_ascii_whitespace()) {
            return Err(FormatError::new(
                Location::file(path),
                FormatErrorKind::Empty,
            ));
        }
        let first_line = head.split(|&b| b == b'\n').next().unwrap_or(&[]);
        if !first_line.contains(&b'|') {
            return Err(FormatError::new(
                Location::file(path).line(1),
                FormatErrorKind::WrongKind {
                    expected: EXPECTED.label(),
                    hint: sniff::hint(head, EXPECTED),
                },
            ));
        }
        let rdr = csv::ReaderBuilder::new()
            .delimiter(b'|')
            .has_headers(false)
            .flexible(true)
            .quoting(false)
            // See `table.rs`: `\n` ends a record, a trailing `\r` stays in the (empty) last field.
            .terminator(csv::Terminator::Any(b'\n'))
            .buffer_capacity(1 << 16)
            // A line is bounded before the csv crate buffers it (one line of 2 GB in a tiny `.xz`).
            .from_reader(TrackLast::new(LineBound::new(
                std::io::BufReader::with_capacity(1 << 16, input),
                false,
            )));
        let mut r = AnnuaireReader {
            rdr,
            rec: csv::ByteRecord::new(),
            spare: csv::ByteRecord::new(),
            path: path.to_path_buf(),
            layout: Layout::default(),
            failed: false,
            limits: crate::limits::current(),
            progress: None,
        };
        r.layout = r.read_header(head, skills)?;
        Ok(r)
    }

    fn read_header(&mut self, head: &[u8], skills: Option<SkillTable>) -> Result<Layout> {
        let loc = || Location::file(&self.path).line(1);
        if !self
            .rdr
            .read_byte_record(&mut self.rec)
            .map_err(|e| crate::table::csv_error(&self.path, e))?
        {
            return Err(FormatError::new(loc(), FormatErrorKind::Empty));
        }
        let names = header_names(&self.rec).ok_or_else(|| {
            FormatError::new(loc(), FormatErrorKind::Encoding { expected: "UTF-8" })
        })?;
        // A header without the professional's identifiers is another file altogether.
        if !is_annuaire_header(&names) {
            return Err(FormatError::new(
                loc(),
                FormatErrorKind::WrongKind {
                    expected: EXPECTED.label(),
                    hint: sniff::hint(head, EXPECTED),
                },
            ));
        }
        let map = columns::resolve(&names, &SPECS, &loc())?;
        let has_skills = map.get(col::SKILL_CODE).is_some();
        if !has_skills && skills.is_none() {
            // Only a bundle's `SavoirFaire` file can stand in for them.
            return Err(FormatError::new(
                loc(),
                FormatErrorKind::MissingColumn {
                    column: COLUMNS[col::SKILL_CODE].to_string(),
                },
            ));
        }
        let trailing_bar = names.len() > 1 && names.last().is_some_and(String::is_empty);
        Ok(Layout {
            positions: map.indexes,
            width: names.len(),
            names,
            unknown: map.unknown,
            trailing_bar,
            // The file's own savoir-faire win when it has them.
            skills: if has_skills { None } else { skills },
        })
    }

    /// The next row, validated (field count, UTF-8) but not converted. `None` at the end of the file or
    /// after an error.
    pub fn next_raw(&mut self) -> Option<Result<RawActivite<'_>>> {
        if self.failed {
            return None;
        }
        match self.rdr.read_byte_record(&mut self.rec) {
            Ok(true) => {}
            Ok(false) => return None,
            Err(e) => {
                self.failed = true;
                return Some(Err(crate::table::csv_error(&self.path, e)));
            }
        }
        let line = self.rec.position().map(|p| p.line()).unwrap_or(0);
        let found = self.rec.len();
        let width = self.layout.width;
        if found != width
            || (self.layout.trailing_bar && !self.rec[width - 1].trim_ascii().is_empty())
        {
            self.failed = true;
            return Some(Err(self.width_error(line, found)));
        }
        // One validation of the whole row (much faster than one per field), then the field boundaries:
        // together they prove every field is UTF-8.
        let (text, bad_at) = match std::str::from_utf8(self.rec.as_slice()) {
            // A field starting with a continuation byte is a character split by a `|`.
            Ok(text) => (
                text,
                self.rec
                    .iter()
                    .position(|f| f.first().is_some_and(|b| b & 0xc0 == 0x80)),
            ),
            Err(e) => {
                let rec = &self.rec;
                let field = (0..found)
                    .rev()
                    .find(|&i| rec.range(i).is_some_and(|r| r.start <= e.valid_up_to()));
                ("", Some(field.unwrap_or(0)))
            }
        };
        if let Some(field) = bad_at {
            self.failed = true;
            return Some(Err(FormatError::new(
                Location::file(&self.path)
                    .line(line)
                    .column(field + 1)
                    .field(self.layout.names.get(field).map_or("", String::as_str)),
                FormatErrorKind::Encoding { expected: "UTF-8" },
            )));
        }
        // Names go into the store as they are: one beyond the bound is refused, located.
        for column in NAME_COLUMNS {
            let Some(index) = self.layout.positions.get(column).copied().flatten() else {
                continue;
            };
            let Some(name) = self.rec.range(index).and_then(|r| text.get(r)) else {
                continue;
            };
            if let Err(kind) = self.limits.check_name(name.trim()) {
                self.failed = true;
                return Some(Err(FormatError::new(
                    Location::file(&self.path)
                        .line(line)
                        .column(index + 1)
                        .field(self.layout.names.get(index).map_or("", String::as_str)),
                    kind,
                )));
            }
        }
        let bytes = match &self.progress {
            Some(p) => p.load(std::sync::atomic::Ordering::Relaxed),
            None => self.rdr.position().byte(),
        };
        Some(Ok(RawActivite {
            rec: &self.rec,
            text,
            layout: &self.layout,
            line,
            bytes,
        }))
    }

    /// A row with the wrong number of fields is a truncated file when it is the last one and the file
    /// does not end with a newline.
    fn width_error(&mut self, line: u64, found: usize) -> FormatError {
        let loc = Location::file(&self.path).line(line);
        let is_last = matches!(self.rdr.read_byte_record(&mut self.spare), Ok(false));
        let no_final_newline = self.rdr.get_ref().last != Some(b'\n');
        if is_last && no_final_newline {
            FormatError::new(loc, FormatErrorKind::Truncated)
        } else {
            // Counted in named fields: the empty field after the final `|` is not one.
            let trailing_empty = self.layout.trailing_bar
                && self
                    .rec
                    .get(found.wrapping_sub(1))
                    .is_some_and(|f| f.trim_ascii().is_empty());
            let found = if trailing_empty { found - 1 } else { found };
            FormatError::new(
                loc,
                FormatErrorKind::FieldCount {
                    expected: self.layout.named(),
                    found,
                },
            )
        }
    }

    /// Records whose raw row passes `keep` (e.g. `|r| r.commune_code().starts_with("69")`): rejected rows
    /// cost no allocation.
    pub fn filtered<F>(self, keep: F) -> Filtered<R, F>
    where
        F: FnMut(&RawActivite<'_>) -> bool,
    {
        Filtered { reader: self, keep }
    }
}

impl<R: Read> Iterator for AnnuaireReader<R> {
    type Item = Result<Activite>;
    fn next(&mut self) -> Option<Self::Item> {
        self.next_raw().map(|r| r.map(|raw| raw.to_record()))
    }
}

/// See [`AnnuaireReader::filtered`].
pub struct Filtered<R: Read, F> {
    reader: AnnuaireReader<R>,
    keep: F,
}

impl<R: Read, F: FnMut(&RawActivite<'_>) -> bool> Iterator for Filtered<R, F> {
    type Item = Result<Activite>;
    fn next(&mut self) -> Option<Self::Item> {
        loop {
            match self.reader.next_raw()? {
                Err(e) => return Some(Err(e)),
                Ok(raw) if (self.keep)(&raw) => return Some(Ok(raw.to_record())),
                Ok(_) => continue,
            }
        }
    }
}

/// The first bytes of a source (enough for the header line), for the header checks and the kind hint.
fn read_head(reader: &mut impl Read, path: &Path) -> Result<Vec<u8>> {
    let mut head = vec![0; 8192];
    let mut n = 0;
    while n < head.len() {
        match reader.read(&mut head[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) => return Err(io::io_error(path, &e)),
        }
    }
    head.truncate(n);
    Ok(head)
}

/// The header's names, trimmed, without a byte-order mark; `None` when it is not UTF-8.
fn header_names(rec: &csv::ByteRecord) -> Option<Vec<String>> {
    rec.iter()
        .map(|f| {
            std::str::from_utf8(f)
                .ok()
                .map(|s| s.trim().trim_start_matches('\u{feff}').to_string())
        })
        .collect()
}

/// Whether a header names the professional's identifiers, as every Annuaire file (and the `SavoirFaire`
/// file of the bundle) does.
fn is_annuaire_header(names: &[String]) -> bool {
    let wanted = [
        columns::normalise(COLUMNS[col::PP_ID]),
        columns::normalise(COLUMNS[col::NATIONAL_ID]),
    ];
    names
        .iter()
        .any(|n| wanted.contains(&columns::normalise(n)))
}

/// The extraction date `YYYYMMDDhhmm` written in the file name, e.g. `202405150930` for
/// `PS_LibreAcces_Personne_activite_202405150930.txt`.
pub fn extraction_stamp(path: &Path) -> Option<String> {
    let name = path.file_name()?.to_str()?;
    let digits: String = name
        .rsplit('_')
        .next()?
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    (digits.len() >= 8).then_some(digits)
}

//! Annuaire santé, `PS_LibreAcces_Personne_activite_<date>.txt` (ANS, "extractions des données en libre
//! accès"): `|`-separated, header row, UTF-8, no quoting (`"` is data), every line ends with `|` (52 named
//! columns and an empty 53rd field), one row per activity of a professional.
//!
//! The national file is about 2 GB: [`AnnuaireReader`] streams it with one reused record buffer, and
//! [`AnnuaireReader::next_raw`] / [`AnnuaireReader::filtered`] let the caller reject rows of other
//! territories on the raw fields, before any allocation.

mod professions;

pub use professions::{Profession, Recourse, classify, classify_activity};

use std::io::{BufRead, Read};
use std::path::{Path, PathBuf};

use crate::error::{FormatError, FormatErrorKind, Location, Result};
use crate::io::{self, TrackLast};
use crate::sniff::{self, FileKind};
use crate::text;

macro_rules! annuaire_columns {
    ($( $idx:literal $field:ident $konst:ident $header:literal; )*) => {
        /// The 52 columns, in file order, as the ANS names them.
        pub const COLUMNS: [&str; 52] = [$($header),*];

        /// Column indexes (0-based) for [`RawActivite::get`].
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
    0 id_type ID_TYPE "Type d'identifiant PP";
    1 pp_id PP_ID "Identifiant PP";
    2 national_id NATIONAL_ID "Identification nationale PP";
    3 practice_title_code PRACTICE_TITLE_CODE "Code civilité d'exercice";
    4 practice_title_label PRACTICE_TITLE_LABEL "Libellé civilité d'exercice";
    5 civility_code CIVILITY_CODE "Code civilité";
    6 civility_label CIVILITY_LABEL "Libellé civilité";
    7 last_name LAST_NAME "Nom d'exercice";
    8 first_name FIRST_NAME "Prénom d'exercice";
    9 profession_code PROFESSION_CODE "Code profession";
    10 profession_label PROFESSION_LABEL "Libellé profession";
    11 category_code CATEGORY_CODE "Code catégorie professionnelle";
    12 category_label CATEGORY_LABEL "Libellé catégorie professionnelle";
    13 skill_type_code SKILL_TYPE_CODE "Code type savoir-faire";
    14 skill_type_label SKILL_TYPE_LABEL "Libellé type savoir-faire";
    15 skill_code SKILL_CODE "Code savoir-faire";
    16 skill_label SKILL_LABEL "Libellé savoir-faire";
    17 practice_mode_code PRACTICE_MODE_CODE "Code mode exercice";
    18 practice_mode_label PRACTICE_MODE_LABEL "Libellé mode exercice";
    19 site_siret SITE_SIRET "Numéro SIRET site";
    20 site_siren SITE_SIREN "Numéro SIREN site";
    21 site_finess SITE_FINESS "Numéro FINESS site";
    22 legal_entity_finess LEGAL_ENTITY_FINESS "Numéro FINESS établissement juridique";
    23 structure_id STRUCTURE_ID "Identifiant technique de la structure";
    24 company_name COMPANY_NAME "Raison sociale site";
    25 trade_name TRADE_NAME "Enseigne commerciale site";
    26 recipient_complement RECIPIENT_COMPLEMENT "Complément destinataire (coord. structure)";
    27 place_complement PLACE_COMPLEMENT "Complément point géographique (coord. structure)";
    28 street_number STREET_NUMBER "Numéro Voie (coord. structure)";
    29 repetition_index REPETITION_INDEX "Indice répétition voie (coord. structure)";
    30 street_type_code STREET_TYPE_CODE "Code type de voie (coord. structure)";
    31 street_type_label STREET_TYPE_LABEL "Libellé type de voie (coord. structure)";
    32 street_name STREET_NAME "Libellé Voie (coord. structure)";
    33 distribution_mention DISTRIBUTION_MENTION "Mention distribution (coord. structure)";
    34 cedex_office CEDEX_OFFICE "Bureau cedex (coord. structure)";
    35 postal_code POSTAL_CODE "Code postal (coord. structure)";
    36 commune_code COMMUNE_CODE "Code commune (coord. structure)";
    37 commune_label COMMUNE_LABEL "Libellé commune (coord. structure)";
    38 country_code COUNTRY_CODE "Code pays (coord. structure)";
    39 country_label COUNTRY_LABEL "Libellé pays (coord. structure)";
    40 phone PHONE "Téléphone (coord. structure)";
    41 phone2 PHONE2 "Téléphone 2 (coord. structure)";
    42 fax FAX "Télécopie (coord. structure)";
    43 email EMAIL "Adresse e-mail (coord. structure)";
    44 departement_code DEPARTEMENT_CODE "Code Département (structure)";
    45 departement_label DEPARTEMENT_LABEL "Libellé Département (structure)";
    46 former_structure_id FORMER_STRUCTURE_ID "Ancien identifiant de la structure";
    47 registration_authority REGISTRATION_AUTHORITY "Autorité d'enregistrement";
    48 activity_sector_code ACTIVITY_SECTOR_CODE "Code secteur d'activité";
    49 activity_sector_label ACTIVITY_SECTOR_LABEL "Libellé secteur d'activité";
    50 pharmacist_section_code PHARMACIST_SECTION_CODE "Code section tableau pharmaciens";
    51 pharmacist_section_label PHARMACIST_SECTION_LABEL "Libellé section tableau pharmaciens";
}

const EXPECTED: FileKind = FileKind::Annuaire;

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

    /// The profession of PRODUCT.md §3.A this activity belongs to, if any.
    pub fn profession(&self) -> Option<Profession> {
        classify_activity(self)
    }
}

/// A validated row still in the reader's buffer: field access without allocation, for filtering.
pub struct RawActivite<'r> {
    rec: &'r csv::ByteRecord,
    /// All fields, concatenated, checked to be UTF-8 with every field boundary on a character boundary.
    text: &'r str,
    pub line: u64,
    /// Bytes of the (decompressed) file consumed once this row was read: progress.
    pub bytes: u64,
}

impl RawActivite<'_> {
    /// The trimmed field at `index` (see [`col`]), `""` when empty.
    pub fn get(&self, index: usize) -> &str {
        self.rec
            .range(index)
            .and_then(|r| self.text.get(r))
            .map(str::trim)
            .unwrap_or("")
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
    fn opt(&self, index: usize) -> Option<String> {
        text::non_empty(self.get(index)).map(str::to_string)
    }
    /// Builds the owned record (allocates the non-empty fields).
    pub fn to_record(&self) -> Activite {
        Activite::from_raw(self)
    }
}

/// Streaming reader of the Annuaire santé activity file. Iterating yields records until the first error,
/// then stops (`None`).
pub struct AnnuaireReader<R: Read> {
    rdr: csv::Reader<TrackLast<R>>,
    rec: csv::ByteRecord,
    spare: csv::ByteRecord,
    path: PathBuf,
    /// 53 when lines end with `|` (the published form), 52 otherwise; fixed by the header.
    width: usize,
    failed: bool,
}

impl AnnuaireReader<io::Input> {
    /// Opens the file (plain, or gzip / xz compressed) and checks its header.
    pub fn open(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        let mut input = io::open(path)?;
        let head = input
            .fill_buf()
            .map_err(|e| io::io_error(path, &e))?
            .to_vec();
        Self::with_head(input, path, &head)
    }
}

impl<R: Read> AnnuaireReader<R> {
    /// Bytes of the (decompressed) file consumed so far.
    pub fn bytes_read(&self) -> u64 {
        self.rdr.position().byte()
    }

    /// Reads from any source; `path` names it in errors.
    pub fn from_reader(
        mut reader: R,
        path: impl AsRef<Path>,
    ) -> Result<AnnuaireReader<std::io::Chain<std::io::Cursor<Vec<u8>>, R>>> {
        let path = path.as_ref();
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
        let chained = std::io::Cursor::new(head.clone()).chain(reader);
        AnnuaireReader::with_head(chained, path, &head)
    }

    fn with_head(input: R, path: &Path, head: &[u8]) -> Result<Self> {
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
            .from_reader(TrackLast::new(input));
        let mut r = AnnuaireReader {
            rdr,
            rec: csv::ByteRecord::new(),
            spare: csv::ByteRecord::new(),
            path: path.to_path_buf(),
            width: 53,
            failed: false,
        };
        r.check_header(head)?;
        Ok(r)
    }

    fn check_header(&mut self, head: &[u8]) -> Result<()> {
        let loc = || Location::file(&self.path).line(1);
        if !self
            .rdr
            .read_byte_record(&mut self.rec)
            .map_err(|e| crate::table::csv_error(&self.path, e))?
        {
            return Err(FormatError::new(loc(), FormatErrorKind::Empty));
        }
        let header = csv::StringRecord::from_byte_record(self.rec.clone()).map_err(|_| {
            FormatError::new(loc(), FormatErrorKind::Encoding { expected: "UTF-8" })
        })?;
        let n = header.len();
        self.width = if n == 53 && header[52].trim().is_empty() {
            53
        } else {
            52
        };
        for (i, expected) in COLUMNS.iter().enumerate() {
            let found = header
                .get(i)
                .unwrap_or("")
                .trim()
                .trim_start_matches('\u{feff}');
            if header_key(found) != header_key(expected) {
                // A header that shares nothing with ours is another file altogether.
                if i == 0
                    && !header
                        .iter()
                        .any(|h| header_key(h) == header_key(COLUMNS[1]))
                {
                    return Err(FormatError::new(
                        loc(),
                        FormatErrorKind::WrongKind {
                            expected: EXPECTED.label(),
                            hint: sniff::hint(head, EXPECTED),
                        },
                    ));
                }
                return Err(FormatError::new(
                    loc().column(i + 1).field(*expected),
                    FormatErrorKind::BadHeader {
                        expected: expected.to_string(),
                        found: found.to_string(),
                    },
                ));
            }
        }
        if n != self.width {
            return Err(FormatError::new(
                loc(),
                FormatErrorKind::FieldCount {
                    expected: 52,
                    found: n,
                },
            ));
        }
        Ok(())
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
        if found != self.width || (self.width == 53 && !self.rec[52].trim_ascii().is_empty()) {
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
                    .field(COLUMNS.get(field).copied().unwrap_or("")),
                FormatErrorKind::Encoding { expected: "UTF-8" },
            )));
        }
        let bytes = self.rdr.position().byte();
        Some(Ok(RawActivite {
            rec: &self.rec,
            text,
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
            let trailing_empty = self.width == 53
                && self
                    .rec
                    .get(found.wrapping_sub(1))
                    .is_some_and(|f| f.trim_ascii().is_empty());
            let found = if trailing_empty { found - 1 } else { found };
            FormatError::new(
                loc,
                FormatErrorKind::FieldCount {
                    expected: 52,
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

/// Header names compared without case, accents, spaces or punctuation (`'` vs `’`).
fn header_key(s: &str) -> String {
    text::fold(s).replace(' ', "")
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

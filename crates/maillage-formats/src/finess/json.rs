//! The ANS "flux FINESS" JSON (`finess-structures-journalier-AAAAMMJJ.json.gz` daily,
//! `…-mensuel-AAAAMM.json.gz` monthly; github ansforge/finess): an object `{schemaVersion, generatedAt, gcc, gco,
//! pmej}` whose `pmej` array lists legal entities, each with its geographic entities (`ege`) and their addresses;
//! `coordonneesGeographique` carries `coordonneeX`/`coordonneeY` and `directionLatitude`/`directionLongitude`.
//!
//! Each file is a full snapshot of the repertory (~100,000 geographic entities, ~50 MB compressed): it is read
//! one `pmej` element at a time ([`FluxReader`]), never whole. A small scanner walks the top-level object and
//! copies one element of `pmej` into a buffer bounded by [`MAX_RECORD_BYTES`]; serde then reads that element.
//!
//! The coordinates of a record are told by their values, never by their field names or order: `coordonneeX/Y`
//! hold WGS84 degrees in some records, Lambert-93 or the overseas UTM projection of the commune in others, in
//! either order (the sample of 2026-03-09 has the northing in `coordonneeX`). Each candidate reading must fall
//! in the territory of the address's commune. What was found is kept per record ([`CoordinateCase`]) so that
//! the import report can count the cases.

use std::collections::VecDeque;
use std::io::{BufRead, ErrorKind};
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::Value;

use crate::crs::{self, Crs, Territory};
use crate::error::{FormatError, FormatErrorKind, JsonProblem, JsonSyntax, Location, Result};
use crate::io::{self, Input};
use crate::sniff::{self, FileKind};

/// Largest `pmej` element read (a legal entity with all its establishments: the largest public hospital groups
/// list a few hundred, a few hundred KB). Beyond it the file is refused rather than memory exhausted.
/// The default bound of one element: [`crate::limits::Limits::record_bytes`] (the one in force is read
/// when the flux is opened).
pub const MAX_RECORD_BYTES: usize = crate::limits::Limits::DEFAULT.record_bytes as usize;
/// Largest top-level scalar kept (`generatedAt`) or key.
const MAX_SCALAR_BYTES: usize = 4096;

/// One geographic entity (établissement) of the flux.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FluxEtablissement {
    /// Index of the `pmej` element (0-based) it comes from.
    pub pmej_index: usize,
    /// Line where that element starts in the (decompressed) file.
    pub line: u64,
    pub nofinesset: String,
    pub nofinessej: Option<String>,
    pub rs: Option<String>,
    pub rslongue: Option<String>,
    /// Category code (nomenclature TRE_R397); its label: [`super::category_label`].
    pub categetab: Option<String>,
    pub siret: Option<String>,
    pub dateouv: Option<String>,
    pub datefermeture: Option<String>,
    /// `etatObjet` of the entity (or of its legal entity when absent) is not `I` (inactive).
    pub active: bool,
    pub numvoie: Option<String>,
    pub typvoie: Option<String>,
    pub voie: Option<String>,
    pub lieudit: Option<String>,
    pub commune_insee: Option<String>,
    pub code_postal: Option<String>,
    pub ligneacheminement: Option<String>,
    /// WGS84 `(longitude, latitude)`.
    pub position: Option<(f64, f64)>,
    /// How the position was read, or why there is none.
    pub coordinates: CoordinateCase,
}

/// What the coordinates of a record turned out to be.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum CoordinateCase {
    /// Placed from a pair in `crs` (WGS84, Lambert-93 or an overseas UTM); `swapped` when the pair was
    /// written northing (latitude) first.
    Placed { crs: Crs, swapped: bool },
    /// No coordinates at all.
    #[default]
    Missing,
    /// Coordinates that no system places in the commune's territory: imported without position.
    Unknown,
}

impl CoordinateCase {
    /// Stable key of the case in import reports (`wgs84`, `lambert93`, `utm20n`..., `sans_position`,
    /// `inconnues`). A swapped pair counts under its system and under `inversees` as well.
    pub fn key(self) -> &'static str {
        match self {
            CoordinateCase::Placed { crs, .. } => crs_key(crs),
            CoordinateCase::Missing => "sans_position",
            CoordinateCase::Unknown => "inconnues",
        }
    }
}

/// Report key of a coordinate system.
pub fn crs_key(crs: Crs) -> &'static str {
    match crs {
        Crs::Wgs84 => "wgs84",
        Crs::Lambert93 => "lambert93",
        Crs::Utm20N => "utm20n",
        Crs::Utm21N => "utm21n",
        Crs::Utm22N => "utm22n",
        Crs::Utm38S => "utm38s",
        Crs::Utm40S => "utm40s",
    }
}

/// The whole flux in memory: for tests and small files. Importers stream with [`FluxReader`].
#[derive(Debug, Default)]
pub struct FinessFlux {
    pub generated_at: Option<String>,
    pub etablissements: Vec<FluxEtablissement>,
}

/// Reads the whole flux (through [`FluxReader`]).
pub fn read_flux(path: impl AsRef<Path>) -> Result<FinessFlux> {
    let mut reader = FluxReader::open(path)?;
    let mut out = FinessFlux::default();
    while let Some(e) = reader.next_etablissement()? {
        out.etablissements.push(e);
    }
    out.generated_at = reader.generated_at().map(str::to_string);
    Ok(out)
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Pmej {
    #[serde(rename = "informationsGeneralesPMEJ")]
    info: Option<InfoPmej>,
    #[serde(default)]
    ege: Vec<Ege>,
    etat_objet: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct InfoPmej {
    num_finess_pm: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Ege {
    #[serde(rename = "informationsGeneralesEGE")]
    info: Option<InfoEge>,
    #[serde(rename = "categorieentiteGeographiqueExercice")]
    categorie: Option<String>,
    #[serde(default)]
    adresse: Vec<Adresse>,
    etat_objet: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct InfoEge {
    num_finess_ege: Option<String>,
    nom_ege_court: Option<String>,
    nom_ege_long: Option<String>,
    siret: Option<String>,
    date_ouverture: Option<String>,
    date_fermeture: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct Adresse {
    usage_adresse: Option<String>,
    numero_voie: Option<String>,
    type_voie: Option<String>,
    libelle_voie: Option<String>,
    lieu_dit: Option<String>,
    cog_commune: Option<String>,
    ligne_acheminement: Option<String>,
    code_postal: Option<String>,
    coordonnees_geographique: Option<Coordonnees>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Coordonnees {
    coordonnee_x: Option<Value>,
    coordonnee_y: Option<Value>,
    direction_latitude: Option<Value>,
    direction_longitude: Option<Value>,
}

/// Where the scanner stands in the top-level object.
#[derive(Debug, Clone, Copy, PartialEq)]
enum State {
    /// Before the first key, or after a value of the top-level object.
    InObject {
        first: bool,
    },
    /// Inside `pmej`, before an element (or the closing `]`).
    InPmej {
        first: bool,
    },
    Done,
}

/// Streams the établissements of a flux file (plain or gzip), one `pmej` element in memory at a time.
pub struct FluxReader {
    path: PathBuf,
    scan: Scanner,
    state: State,
    seen_pmej: bool,
    pmej_index: usize,
    generated_at: Option<String>,
    pending: VecDeque<FluxEtablissement>,
    record: Vec<u8>,
}

impl FluxReader {
    /// Opens the file and checks that it is a FINESS flux (a JSON object).
    pub fn open(path: impl AsRef<Path>) -> Result<FluxReader> {
        let path = path.as_ref().to_path_buf();
        let mut input = io::open(&path)?;
        let head = input.fill_buf().map_err(|e| io::io_error(&path, &e))?;
        let head_copy = head[..head.len().min(8192)].to_vec();
        let mut reader = FluxReader {
            scan: Scanner::new(input),
            path,
            state: State::InObject { first: true },
            seen_pmej: false,
            pmej_index: 0,
            generated_at: None,
            pending: VecDeque::new(),
            record: Vec::new(),
        };
        reader.scan.skip_bom().map_err(|e| reader.scan_error(e))?;
        match reader.scan.skip_ws().map_err(|e| reader.scan_error(e))? {
            None => {
                return Err(FormatError::new(
                    Location::file(&reader.path),
                    FormatErrorKind::Empty,
                ));
            }
            Some(b'{') => reader.scan.bump(),
            Some(_) => return Err(wrong_kind(&reader.path, &head_copy)),
        }
        Ok(reader)
    }

    /// `generatedAt` of the file, once read (it comes before `pmej` in published files).
    pub fn generated_at(&self) -> Option<&str> {
        self.generated_at.as_deref()
    }

    /// The next établissement, or `None` at the end of a well-formed file.
    pub fn next_etablissement(&mut self) -> Result<Option<FluxEtablissement>> {
        loop {
            if let Some(e) = self.pending.pop_front() {
                return Ok(Some(e));
            }
            if !self.advance()? {
                return Ok(None);
            }
        }
    }

    /// Reads until the next `pmej` element has been converted into `pending`, or the end. `false` at the end.
    fn advance(&mut self) -> Result<bool> {
        loop {
            match self.state {
                State::Done => return Ok(false),
                State::InObject { first } => {
                    let c = self.peek_ws()?;
                    let c = if !first && c == b',' {
                        self.scan.bump();
                        self.peek_ws()?
                    } else if !first && c != b'}' {
                        return Err(self.syntax(JsonSyntax::CommaOrBraceExpected));
                    } else {
                        c
                    };
                    if c == b'}' {
                        self.scan.bump();
                        if self
                            .scan
                            .skip_ws()
                            .map_err(|e| self.scan_error(e))?
                            .is_some()
                        {
                            return Err(self.syntax(JsonSyntax::TextAfterEnd));
                        }
                        if !self.seen_pmej {
                            return Err(wrong_kind(&self.path, b""));
                        }
                        self.state = State::Done;
                        return Ok(false);
                    }
                    if c != b'"' {
                        return Err(self.syntax(JsonSyntax::FieldNameExpected));
                    }
                    let key = self.small_value()?;
                    let key: String = serde_json::from_slice(&key)
                        .map_err(|_| self.syntax(JsonSyntax::InvalidFieldName))?;
                    if self.peek_ws()? != b':' {
                        return Err(self.syntax(JsonSyntax::ColonExpected));
                    }
                    self.scan.bump();
                    self.peek_ws()?;
                    match key.as_str() {
                        "pmej" => {
                            if self.scan.peek_byte().map_err(|e| self.scan_error(e))? != Some(b'[')
                            {
                                return Err(self.syntax(JsonSyntax::PmejNotArray));
                            }
                            self.scan.bump();
                            self.seen_pmej = true;
                            self.state = State::InPmej { first: true };
                        }
                        "generatedAt" => {
                            let v = self.small_value()?;
                            self.generated_at = serde_json::from_slice::<Option<String>>(&v)
                                .map_err(|_| self.syntax(JsonSyntax::GeneratedAtNotText))?;
                            self.state = State::InObject { first: false };
                        }
                        _ => {
                            self.scan
                                .value(None, usize::MAX)
                                .map_err(|e| self.scan_error(e))?;
                            self.state = State::InObject { first: false };
                        }
                    }
                }
                State::InPmej { first } => {
                    let mut c = self.peek_ws()?;
                    if c == b']' {
                        self.scan.bump();
                        self.state = State::InObject { first: false };
                        continue;
                    }
                    if !first {
                        if c != b',' {
                            return Err(self.syntax(JsonSyntax::CommaOrBracketExpected));
                        }
                        self.scan.bump();
                        c = self.peek_ws()?;
                    }
                    let _ = c;
                    let (line, column) = (self.scan.line, self.scan.column);
                    let mut record = std::mem::take(&mut self.record);
                    record.clear();
                    let limits = crate::limits::current();
                    self.scan
                        .value(Some(&mut record), limits.record_bytes as usize)
                        .map_err(|e| self.scan_error(e))?;
                    // Parsed, a value costs more than its text: their count is bounded as for the communes.
                    let values = limits.record_bytes / 16;
                    if record
                        .iter()
                        .filter(|&&b| matches!(b, b'[' | b'{' | b',' | b':'))
                        .count() as u64
                        > values
                    {
                        return Err(FormatError::new(
                            Location::file(&self.path)
                                .line(line)
                                .column(column)
                                .feature(self.pmej_index),
                            FormatErrorKind::TooManyValues { limit: values },
                        ));
                    }
                    let parsed = serde_json::from_slice::<Pmej>(&record);
                    self.record = record;
                    let pmej = parsed.map_err(|e| {
                        let (l, c) = if e.line() <= 1 {
                            (line, column + e.column().saturating_sub(1))
                        } else {
                            (line + e.line() as u64 - 1, e.column())
                        };
                        FormatError::new(
                            Location::file(&self.path)
                                .line(l)
                                .column(c)
                                .feature(self.pmej_index),
                            FormatErrorKind::Json(strip_position(&e.to_string()).into()),
                        )
                    })?;
                    let before = self.pending.len();
                    convert(self.pmej_index, line, pmej, &mut self.pending);
                    // The names are kept as they are: bounded.
                    for e in self.pending.iter().skip(before) {
                        for name in [&e.rs, &e.rslongue].into_iter().flatten() {
                            limits.check_name(name).map_err(|kind| {
                                FormatError::new(
                                    Location::file(&self.path)
                                        .line(line)
                                        .feature(self.pmej_index),
                                    kind,
                                )
                            })?;
                        }
                    }
                    self.pmej_index += 1;
                    self.state = State::InPmej { first: false };
                    // Keep a buffer sized for ordinary elements, not for the largest one met.
                    if self.record.capacity() > 1024 * 1024 {
                        self.record = Vec::new();
                    }
                    return Ok(true);
                }
            }
        }
    }

    /// The next non-blank byte, not consumed; the end of the file there means it was cut short.
    fn peek_ws(&mut self) -> Result<u8> {
        match self.scan.skip_ws().map_err(|e| self.scan_error(e))? {
            Some(c) => Ok(c),
            None => Err(self.located(FormatErrorKind::Incomplete)),
        }
    }

    fn small_value(&mut self) -> Result<Vec<u8>> {
        let mut v = Vec::new();
        self.scan
            .value(Some(&mut v), MAX_SCALAR_BYTES)
            .map_err(|e| self.scan_error(e))?;
        Ok(v)
    }

    fn located(&self, kind: FormatErrorKind) -> FormatError {
        FormatError::new(
            Location::file(&self.path)
                .line(self.scan.line)
                .column(self.scan.column),
            kind,
        )
    }

    fn syntax(&self, what: JsonSyntax) -> FormatError {
        self.located(FormatErrorKind::Json(JsonProblem::Syntax(what)))
    }

    fn scan_error(&self, e: ScanError) -> FormatError {
        match e {
            ScanError::Eof => self.located(FormatErrorKind::Incomplete),
            ScanError::TooLarge(limit) => {
                let mut err = self.located(FormatErrorKind::RecordTooLarge { limit_bytes: limit });
                err.location = err.location.feature(self.pmej_index);
                err
            }
            ScanError::Syntax(what) => self.syntax(what),
            // A gzip stream cut short ends in the middle of a deflate block.
            ScanError::Io(e) if e.kind() == ErrorKind::UnexpectedEof => {
                self.located(FormatErrorKind::Incomplete)
            }
            ScanError::Io(e) => self.located(FormatErrorKind::Io(e.to_string())),
        }
    }
}

fn wrong_kind(path: &Path, head: &[u8]) -> FormatError {
    FormatError::new(
        Location::file(path),
        FormatErrorKind::WrongKind {
            expected: FileKind::FinessJson.label(),
            hint: sniff::hint(head, FileKind::FinessJson),
        },
    )
}

pub(crate) fn json_error(path: &Path, e: &serde_json::Error) -> FormatError {
    let mut loc = Location::file(path);
    if e.line() > 0 {
        loc = loc.line(e.line() as u64).column(e.column());
    }
    let kind = if e.is_eof() && e.line() <= 1 && e.column() == 0 {
        FormatErrorKind::Empty
    } else {
        FormatErrorKind::Json(strip_position(&e.to_string()).into())
    };
    FormatError::new(loc, kind)
}

/// serde_json appends " at line L column C"; the location already says it.
fn strip_position(msg: &str) -> String {
    match msg.rfind(" at line ") {
        Some(p) => msg[..p].to_string(),
        None => msg.to_string(),
    }
}

enum ScanError {
    Eof,
    TooLarge(usize),
    Syntax(JsonSyntax),
    Io(std::io::Error),
}

impl From<std::io::Error> for ScanError {
    fn from(e: std::io::Error) -> Self {
        ScanError::Io(e)
    }
}

/// Byte-level walk of JSON text: skips blanks and whole values, copying a value when asked. It only tracks
/// strings and nesting; serde checks the copied element itself.
struct Scanner {
    input: Input,
    /// 1-based position of the next byte.
    line: u64,
    column: usize,
}

impl Scanner {
    fn new(input: Input) -> Scanner {
        Scanner {
            input,
            line: 1,
            column: 1,
        }
    }

    fn peek_byte(&mut self) -> std::result::Result<Option<u8>, ScanError> {
        Ok(self.input.fill_buf()?.first().copied())
    }

    /// Consumes one byte already peeked (never a newline).
    fn bump(&mut self) {
        self.input.consume(1);
        self.column += 1;
    }

    fn skip_bom(&mut self) -> std::result::Result<(), ScanError> {
        let buf = self.input.fill_buf()?;
        if buf.starts_with("\u{feff}".as_bytes()) {
            self.input.consume(3);
        }
        Ok(())
    }

    /// Skips blanks; the next byte (not consumed), `None` at the end of the file.
    fn skip_ws(&mut self) -> std::result::Result<Option<u8>, ScanError> {
        loop {
            let buf = self.input.fill_buf()?;
            if buf.is_empty() {
                return Ok(None);
            }
            let mut n = 0;
            for &b in buf {
                match b {
                    b'\n' => {
                        self.line += 1;
                        self.column = 1;
                    }
                    b' ' | b'\t' | b'\r' => self.column += 1,
                    _ => {
                        self.input.consume(n);
                        return Ok(Some(b));
                    }
                }
                n += 1;
            }
            self.input.consume(n);
        }
    }

    /// Reads one value starting at the current (non-blank) byte, copying it into `sink` when given (refused
    /// beyond `limit` bytes). Stops right after the value.
    fn value(
        &mut self,
        mut sink: Option<&mut Vec<u8>>,
        limit: usize,
    ) -> std::result::Result<(), ScanError> {
        let first = self.peek_byte()?.ok_or(ScanError::Eof)?;
        let scalar = !matches!(first, b'{' | b'[' | b'"');
        let mut depth: usize = 0;
        let mut in_string = false;
        let mut escape = false;
        let mut started = false;
        let mut copied = 0usize;
        loop {
            let buf = self.input.fill_buf()?;
            if buf.is_empty() {
                if scalar && started {
                    return Ok(());
                }
                return Err(ScanError::Eof);
            }
            let mut n = 0;
            let mut finished = false;
            for &b in buf {
                if scalar {
                    if matches!(b, b',' | b'}' | b']' | b' ' | b'\t' | b'\r' | b'\n') {
                        if !started {
                            return Err(ScanError::Syntax(JsonSyntax::ValueExpected));
                        }
                        finished = true;
                        break;
                    }
                    started = true;
                } else if in_string {
                    if escape {
                        escape = false;
                    } else if b == b'\\' {
                        escape = true;
                    } else if b == b'"' {
                        in_string = false;
                        if depth == 0 {
                            n += 1;
                            self.column += 1;
                            finished = true;
                            break;
                        }
                    } else if b == b'\n' {
                        return Err(ScanError::Syntax(JsonSyntax::NewlineInText));
                    }
                } else {
                    match b {
                        b'"' => in_string = true,
                        b'{' | b'[' => depth += 1,
                        b'}' | b']' => {
                            if depth == 0 {
                                return Err(ScanError::Syntax(JsonSyntax::CloseWithoutOpen));
                            }
                            depth -= 1;
                            if depth == 0 {
                                n += 1;
                                self.column += 1;
                                finished = true;
                                break;
                            }
                        }
                        _ => {}
                    }
                }
                if b == b'\n' {
                    self.line += 1;
                    self.column = 1;
                } else {
                    self.column += 1;
                }
                n += 1;
            }
            if let Some(s) = sink.as_deref_mut() {
                copied += n;
                if copied > limit {
                    return Err(ScanError::TooLarge(limit));
                }
                s.extend_from_slice(&buf[..n]);
            }
            self.input.consume(n);
            if finished {
                return Ok(());
            }
        }
    }
}

fn clean(s: Option<String>) -> Option<String> {
    s.map(|v| v.trim().to_string()).filter(|v| !v.is_empty())
}

fn number(v: &Option<Value>) -> Option<f64> {
    match v.as_ref()? {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => crate::text::parse_number(s).ok().flatten(),
        _ => None,
    }
}

fn convert(index: usize, line: u64, p: Pmej, out: &mut VecDeque<FluxEtablissement>) {
    let ej = p.info.and_then(|i| clean(i.num_finess_pm));
    let pmej_state = p.etat_objet;
    for ege in p.ege {
        let info = ege.info;
        let Some(nofinesset) = info.as_ref().and_then(|i| clean(i.num_finess_ege.clone())) else {
            continue;
        };
        // Usage 03 is the geographic address; take it first, else the first address.
        let mut addresses = ege.adresse;
        addresses.sort_by_key(|a| a.usage_adresse.as_deref() != Some("03"));
        let a = addresses.into_iter().next().unwrap_or_default();
        let (position, coordinates) = locate(&a);
        let (mut rs, mut rslongue, mut siret, mut dateouv, mut datefermeture) =
            (None, None, None, None, None);
        if let Some(i) = info {
            rs = clean(i.nom_ege_court);
            rslongue = clean(i.nom_ege_long);
            siret = clean(i.siret);
            dateouv = clean(i.date_ouverture);
            datefermeture = clean(i.date_fermeture);
        }
        let state = ege.etat_objet.as_deref().or(pmej_state.as_deref());
        out.push_back(FluxEtablissement {
            pmej_index: index,
            line,
            nofinesset,
            nofinessej: ej.clone(),
            rs,
            rslongue,
            categetab: clean(ege.categorie),
            siret,
            dateouv,
            datefermeture,
            active: state.map(str::trim) != Some("I"),
            numvoie: clean(a.numero_voie),
            typvoie: clean(a.type_voie),
            voie: clean(a.libelle_voie),
            lieudit: clean(a.lieu_dit),
            commune_insee: clean(a.cog_commune),
            code_postal: clean(a.code_postal),
            ligneacheminement: clean(a.ligne_acheminement),
            position,
            coordinates,
        });
    }
}

/// Every territory with a legal projection, for records whose commune is unknown.
const ALL_TERRITORIES: [Territory; 9] = [
    Territory::Metropole,
    Territory::Guadeloupe,
    Territory::Martinique,
    Territory::Guyane,
    Territory::Reunion,
    Territory::SaintPierreEtMiquelon,
    Territory::Mayotte,
    Territory::SaintBarthelemy,
    Territory::SaintMartin,
];

/// WGS84 position of an address and how it was read: `coordonneeX/Y` first, else
/// `directionLongitude/Latitude`; each pair is read by [`place`].
fn locate(a: &Adresse) -> (Option<(f64, f64)>, CoordinateCase) {
    let Some(c) = a.coordonnees_geographique.as_ref() else {
        return (None, CoordinateCase::Missing);
    };
    let territories: Vec<Territory> = match a.cog_commune.as_deref().and_then(Territory::of_code) {
        Some(Territory::Other) => vec![],
        Some(t) => vec![t],
        None => ALL_TERRITORIES.to_vec(),
    };
    let pairs = [
        (number(&c.coordonnee_x), number(&c.coordonnee_y)),
        (
            number(&c.direction_longitude),
            number(&c.direction_latitude),
        ),
    ];
    let mut any = false;
    for pair in pairs {
        if let (Some(a), Some(b)) = pair {
            any = true;
            if let Some((p, case)) = place(a, b, &territories) {
                return (Some(p), case);
            }
        }
    }
    let case = if any {
        CoordinateCase::Unknown
    } else {
        CoordinateCase::Missing
    };
    (None, case)
}

/// Reads a pair by its values: degrees when both fit in degree ranges, else the legal projection of each
/// candidate territory; in the written order first, then swapped. The result must fall in that territory.
pub fn place(a: f64, b: f64, territories: &[Territory]) -> Option<((f64, f64), CoordinateCase)> {
    if !a.is_finite() || !b.is_finite() || (a == 0.0 && b == 0.0) {
        return None;
    }
    let degrees = a.abs() <= 180.0 && b.abs() <= 180.0;
    for &t in territories {
        let crs = if degrees {
            Crs::Wgs84
        } else {
            match Crs::of_territory(t) {
                Some(crs) => crs,
                None => continue,
            }
        };
        for (swapped, (x, y)) in [(false, (a, b)), (true, (b, a))] {
            if let Some(p) = crs::to_wgs84(crs, x, y).filter(|p| t.contains(p.0, p.1)) {
                return Some((p, CoordinateCase::Placed { crs, swapped }));
            }
        }
    }
    None
}

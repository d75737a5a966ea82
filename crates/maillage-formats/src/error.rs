//! The one error type of every reader: what is wrong and exactly where.
//!
//! The wording users see is French and lives in `maillage-messages`; the `Display` here is for developers.

use std::path::PathBuf;

/// Where in a file a problem was found. Lines are 1-based physical lines of the file (header included),
/// columns are 1-based field positions; `feature` is the 0-based index of a GeoJSON/Shapefile feature,
/// of a JSON array element or of a spreadsheet row (see each reader).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Location {
    pub file: PathBuf,
    pub line: Option<u64>,
    pub column: Option<usize>,
    pub field: Option<String>,
    pub feature: Option<usize>,
    /// Spreadsheet sheet name (then `line` is the 1-based row of the sheet).
    pub sheet: Option<String>,
    /// GeoPackage layer (table) name (then `feature` is the 0-based row of the layer).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub layer: Option<String>,
}

impl Location {
    pub fn file(file: impl Into<PathBuf>) -> Self {
        Location {
            file: file.into(),
            ..Default::default()
        }
    }
    pub fn line(mut self, line: u64) -> Self {
        self.line = Some(line);
        self
    }
    pub fn column(mut self, column: usize) -> Self {
        self.column = Some(column);
        self
    }
    pub fn field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(bounded_name(field.into()));
        self
    }
    pub fn feature(mut self, feature: usize) -> Self {
        self.feature = Some(feature);
        self
    }
    pub fn sheet(mut self, sheet: impl Into<String>) -> Self {
        self.sheet = Some(bounded_name(sheet.into()));
        self
    }
    pub fn layer(mut self, layer: impl Into<String>) -> Self {
        self.layer = Some(bounded_name(layer.into()));
        self
    }

    /// The same place with every name cut to what a message may quote (a header cell, a sheet, a layer or an
    /// archive member's name comes from the file and may be of any length).
    pub fn bounded(self) -> Self {
        Location {
            file: bounded_path(self.file),
            field: self.field.map(bounded_name),
            sheet: self.sheet.map(bounded_name),
            layer: self.layer.map(bounded_name),
            ..self
        }
    }
}

/// A name read from a file, kept whole when short (the usual case: no copy), cut otherwise.
fn bounded_name(name: String) -> String {
    if name.len() <= crate::text::QUOTED_CHARS {
        name
    } else {
        crate::text::quoted(&name)
    }
}

/// Longest path a location keeps whole: real paths (a temporary folder and an archive member) fit.
const PATH_KEPT_BYTES: usize = 1024;

/// A path kept whole unless absurdly long (a member name of an archive may be 64 KB): then "…" and its last
/// [`crate::text::QUOTED_CHARS`] characters, the file's own name being what tells the user where.
fn bounded_path(path: PathBuf) -> PathBuf {
    if path.as_os_str().len() <= PATH_KEPT_BYTES {
        return path;
    }
    let shown = path.to_string_lossy();
    let tail: String = {
        let reversed: String = shown
            .chars()
            .rev()
            .take(crate::text::QUOTED_CHARS)
            .collect();
        reversed.chars().rev().collect()
    };
    PathBuf::from(format!("…{tail}"))
}

/// What is wrong in a JSON document: the parser's own words (serde_json, in English), or a syntax error the
/// streaming reader of the FINESS file meets itself (worded in `maillage-messages`).
#[derive(Debug, Clone, PartialEq)]
pub enum JsonProblem {
    Parser(String),
    Syntax(JsonSyntax),
}

impl From<String> for JsonProblem {
    fn from(words: String) -> Self {
        JsonProblem::Parser(words)
    }
}

impl std::fmt::Display for JsonProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            JsonProblem::Parser(words) => f.write_str(words),
            JsonProblem::Syntax(syntax) => write!(f, "{syntax:?}"),
        }
    }
}

/// A syntax error of a JSON document read as a stream (the FINESS file's `pmej` array).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonSyntax {
    /// After a value of an object: neither `,` nor `}`.
    CommaOrBraceExpected,
    /// Characters after the end of the document.
    TextAfterEnd,
    /// A field name (a string) expected.
    FieldNameExpected,
    InvalidFieldName,
    /// No `:` after a field name.
    ColonExpected,
    /// `pmej` is not an array.
    PmejNotArray,
    /// `generatedAt` is not a string.
    GeneratedAtNotText,
    /// Between two elements of `pmej`: neither `,` nor `]`.
    CommaOrBracketExpected,
    ValueExpected,
    /// A line break inside a string.
    NewlineInText,
    /// A closing `}` or `]` without its opening.
    CloseWithoutOpen,
}

/// What is wrong. Each variant carries the data a message needs; no variant carries a finished sentence.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FormatErrorKind {
    #[error("cannot read the file: {0}")]
    Io(String),
    #[error("the file does not exist")]
    NotFound,
    #[error("the file is empty")]
    Empty,
    /// `expected` is the name of the format the reader wants; `hint` the name of the format the
    /// content looks like, when it could be recognised (see [`crate::sniff::FileKind`]).
    #[error("this is not a {expected} file")]
    WrongKind {
        expected: &'static str,
        hint: Option<String>,
    },
    #[error("header does not match: expected {expected}, found {found}")]
    BadHeader { expected: String, found: String },
    /// A column the format needs is absent from the header.
    #[error("missing column {column}")]
    MissingColumn { column: String },
    #[error("wrong number of fields: expected {expected}, found {found}")]
    FieldCount { expected: usize, found: usize },
    #[error("the last line is truncated")]
    Truncated,
    #[error("invalid text encoding (expected {expected})")]
    Encoding { expected: &'static str },
    #[error("invalid value {value:?}: expected {expected}")]
    InvalidValue {
        value: String,
        expected: &'static str,
    },
    #[error("missing required value")]
    MissingValue,
    #[error("coordinates out of range: {x}, {y}")]
    CoordinatesOutOfRange { x: f64, y: f64 },
    /// `first_line` is a line number for line-based files, an element/feature index (1-based) otherwise.
    #[error("duplicate identifier {id}, first seen at line {first_line}")]
    DuplicateId { id: String, first_line: u64 },
    #[error("invalid geometry: {0}")]
    Geometry(String),
    /// `ring` is the 1-based index of the ring within its polygon (1 = exterior ring).
    #[error("ring {ring} is not closed")]
    RingNotClosed { ring: usize },
    #[error("ring {ring} has {positions} positions (at least 4 needed)")]
    RingTooShort { ring: usize, positions: usize },
    /// `found` is the geometry type of the file (`Point`, `LineString`...).
    #[error("{found} instead of a polygon")]
    NotPolygon { found: String },
    #[error("unsupported coordinate reference system: {0}")]
    UnsupportedCrs(String),
    #[error("invalid JSON: {0}")]
    Json(JsonProblem),
    #[error("invalid spreadsheet: {0}")]
    Spreadsheet(String),
    /// A spreadsheet has no sheet whose rows look like the expected table.
    #[error("no table found (looked for columns {looked_for})")]
    NoTable { looked_for: String },
    /// A zip or 7z archive that cannot be read (`format` is `zip` or `7z`; `detail` the decoder's words).
    #[error("unreadable {format} archive: {detail}")]
    CorruptArchive {
        format: &'static str,
        detail: String,
    },
    /// A member expands beyond the safety limit (bytes) of [`crate::archive::Archive::expanded_limit`].
    #[error("member {member} expands beyond {limit} bytes")]
    ArchiveTooLarge { member: String, limit: u64 },
    /// An archive without any member of the kind the importer reads; `found` lists (some of) its members.
    #[error("no member {looked_for} in the archive (found: {found:?})")]
    NoMember {
        looked_for: String,
        found: Vec<String>,
    },
    /// A GeoPackage without any layer of polygons; `found` lists its layers (name and geometry type).
    #[error("no polygon layer (found: {found:?})")]
    NoLayer { found: Vec<String> },
    /// A GeoPackage layer without any feature (the location names the layer).
    #[error("empty layer")]
    EmptyLayer,
    /// The file ends in the middle of the document (a download or a gzip stream cut short).
    #[error("the file ends in the middle of the document")]
    Incomplete,
    /// One record (a JSON element) is larger than the reader accepts.
    #[error("record larger than {limit_bytes} bytes")]
    RecordTooLarge { limit_bytes: usize },
    /// A zonage médecins value that [`crate::zonage::parse_zonage`] does not read.
    #[error("unknown zonage {value:?}")]
    UnknownZonage { value: String },
    /// A zonage row without the date of its arrêté, and none given for the whole file.
    #[error("missing date of the zonage arrêté")]
    MissingArreteDate,
    /// A physical line longer than [`crate::limits::Limits::line_bytes`] (the location gives its line).
    #[error("line longer than {limit_bytes} bytes")]
    LineTooLong { limit_bytes: u64 },
    /// A gzip or xz stream (`format`) that expands beyond `ratio` times the compressed bytes read
    /// ([`crate::limits::Limits::expanded_limit`], here `limit_bytes`).
    #[error(
        "{format} stream expands beyond {limit_bytes} bytes ({ratio} times its compressed size)"
    )]
    ExpansionTooLarge {
        format: &'static str,
        limit_bytes: u64,
        ratio: u64,
    },
    /// A spreadsheet's XML node (a cell, a shared string) longer than
    /// [`crate::limits::Limits::cell_bytes`]; the location names the sheet (or `part`, the workbook's
    /// member holding it) and the row when known.
    #[error("spreadsheet cell longer than {limit_bytes} bytes in {part}")]
    CellTooLarge { part: String, limit_bytes: u64 },
    /// A feature's geometry larger than [`crate::limits::Limits::geometry_bytes`] (or its vertex count).
    #[error("geometry larger than {limit_bytes} bytes")]
    GeometryTooLarge { limit_bytes: u64 },
    /// A text kept as a name longer than [`crate::limits::Limits::name_chars`] characters (`value` cut).
    #[error("name longer than {limit_chars} characters: {value:?}")]
    NameTooLong { value: String, limit_chars: u64 },
    /// A sheet whose filled cells span more than [`crate::limits::Limits::sheet_cells`] cells (calamine
    /// holds a sheet as one rectangle from its first to its last filled cell); the location names the sheet.
    #[error("sheet spanning {cells} cells, beyond {limit_cells}")]
    SheetTooLarge { cells: u64, limit_cells: u64 },
    /// A feature read as text (GeoJSON) with more than [`crate::limits::Limits::geometry_vertices`] positions.
    #[error("geometry with more than {limit} vertices")]
    TooManyVertices { limit: u64 },
    /// A JSON element (a commune, an EPCI) holding more than `limit` values (separators counted).
    #[error("JSON element with more than {limit} values")]
    TooManyValues { limit: u64 },
    /// A compressed file (xz, 7z) whose header asks the decoder for more memory than
    /// [`crate::limits::Limits::decoder_memory_bytes`] (a forged dictionary size).
    #[error("decoder needs more than {limit_bytes} bytes of memory")]
    DecoderMemory { limit_bytes: u64 },
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{kind} ({location:?})")]
pub struct FormatError {
    pub location: Location,
    pub kind: FormatErrorKind,
}

impl FormatError {
    /// A located error. Every text it keeps from the file is cut here, once (about 80 characters, see
    /// [`crate::text::quoted`]): an error is shown, logged and audited, and must never carry a whole 50 MB
    /// field.
    pub fn new(location: Location, kind: FormatErrorKind) -> Self {
        FormatError {
            location: location.bounded(),
            kind: kind.bounded(),
        }
    }
}

/// How many names of an archive's members or of a GeoPackage's layers an error keeps.
const LISTED_NAMES: usize = 10;

impl FormatErrorKind {
    /// The same error with every text taken from the file cut to what a message may quote.
    pub fn bounded(self) -> Self {
        use crate::text::quoted as q;
        use FormatErrorKind::*;
        let list = |names: Vec<String>| -> Vec<String> {
            names.iter().take(LISTED_NAMES).map(|n| q(n)).collect()
        };
        match self {
            Io(e) => Io(q(&e)),
            WrongKind { expected, hint } => WrongKind {
                expected,
                hint: hint.map(|h| q(&h)),
            },
            BadHeader { expected, found } => BadHeader {
                expected: crate::text::cut(&expected, 4 * crate::text::QUOTED_CHARS),
                found: q(&found),
            },
            MissingColumn { column } => MissingColumn { column: q(&column) },
            InvalidValue { value, expected } => InvalidValue {
                value: q(&value),
                expected,
            },
            DuplicateId { id, first_line } => DuplicateId {
                id: q(&id),
                first_line,
            },
            Geometry(e) => Geometry(q(&e)),
            NotPolygon { found } => NotPolygon { found: q(&found) },
            UnsupportedCrs(crs) => UnsupportedCrs(q(&crs)),
            Json(JsonProblem::Parser(e)) => Json(JsonProblem::Parser(q(&e))),
            Spreadsheet(e) => Spreadsheet(q(&e)),
            NoTable { looked_for } => NoTable {
                looked_for: crate::text::cut(&looked_for, 4 * crate::text::QUOTED_CHARS),
            },
            CorruptArchive { format, detail } => CorruptArchive {
                format,
                detail: q(&detail),
            },
            ArchiveTooLarge { member, limit } => ArchiveTooLarge {
                member: q(&member),
                limit,
            },
            NoMember { looked_for, found } => NoMember {
                looked_for: q(&looked_for),
                found: list(found),
            },
            NoLayer { found } => NoLayer { found: list(found) },
            UnknownZonage { value } => UnknownZonage { value: q(&value) },
            // Kinds without text from the file (and kinds added later: their wording cuts them too).
            other => other,
        }
    }

    /// A stable code of the kind of error, kept where the data must not be (the audit log): it never
    /// changes with the wording.
    pub fn code(&self) -> &'static str {
        use FormatErrorKind::*;
        match self {
            Io(_) => "lecture",
            NotFound => "fichier_absent",
            Empty => "fichier_vide",
            WrongKind { .. } => "mauvais_type_de_fichier",
            BadHeader { .. } => "en_tete",
            MissingColumn { .. } => "colonne_absente",
            FieldCount { .. } => "nombre_de_champs",
            Truncated => "ligne_tronquee",
            Encoding { .. } => "encodage",
            InvalidValue { .. } => "valeur_invalide",
            MissingValue => "valeur_absente",
            CoordinatesOutOfRange { .. } => "coordonnees_hors_limites",
            DuplicateId { .. } => "identifiant_en_double",
            Geometry(_) => "geometrie",
            RingNotClosed { .. } => "contour_non_ferme",
            RingTooShort { .. } => "contour_trop_court",
            NotPolygon { .. } => "pas_un_polygone",
            UnsupportedCrs(_) => "systeme_de_coordonnees",
            Json(_) => "json",
            Spreadsheet(_) => "classeur",
            NoTable { .. } => "tableau_absent",
            CorruptArchive { .. } => "archive_illisible",
            ArchiveTooLarge { .. } => "archive_trop_grande",
            NoMember { .. } => "archive_sans_fichier",
            NoLayer { .. } => "couche_absente",
            EmptyLayer => "couche_vide",
            Incomplete => "document_incomplet",
            RecordTooLarge { .. } => "enregistrement_trop_grand",
            UnknownZonage { .. } => "zonage_inconnu",
            MissingArreteDate => "date_arrete_absente",
            #[allow(unreachable_patterns)]
            _ => "format",
        }
    }
}

pub type Result<T, E = FormatError> = std::result::Result<T, E>;

/// Something the reader fixed or skipped on its own and that the user should know about (it is not an
/// error: the import goes on). Worded in French by `maillage-messages`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct FormatWarning {
    pub location: Location,
    pub kind: WarningKind,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum WarningKind {
    /// X and Y (or longitude and latitude) were given in the wrong order; they were swapped back.
    CoordinatesSwapped { x: f64, y: f64 },
    /// A geolocation record names an establishment absent from the file; it was ignored.
    OrphanGeolocation { id: String },
    /// Coordinates whose projection is unknown or outside the supported territories; the record is kept
    /// without a position.
    UnknownProjection { source: String },
    /// A file expected in Latin-1 is actually UTF-8 (re-saved by another tool); it was read as UTF-8.
    Utf8InsteadOfLatin1,
    /// Valid coordinates that fall outside the territory of the record (its département); the record
    /// is kept without a position.
    CoordinatesOutsideTerritory { x: f64, y: f64 },
    /// The CRS of a geometry file was guessed from the coordinate values (no `.prj` / `crs` member).
    CrsGuessed { epsg: u16 },
    /// Header columns the reader does not use (extra columns of a newer edition); they were ignored.
    UnknownColumns { columns: Vec<String> },
}

/// The values of `InvalidValue::expected`: stable tokens that `maillage-messages` words in French.
pub mod expected {
    pub const NUMBER: &str = "number";
    pub const INTEGER: &str = "integer";
    pub const DATE: &str = "date";
    pub const COMMUNE_CODE: &str = "commune code";
    pub const DEPARTEMENT_CODE: &str = "departement code";
    pub const IRIS_CODE: &str = "IRIS code";
    pub const FINESS_NUMBER: &str = "FINESS number";
    pub const RECORD_TYPE: &str = "FINESS record type";
    pub const COORDINATE: &str = "coordinate";
    pub const HEX_WKB: &str = "hex WKB geometry";
    pub const YEAR: &str = "year";
    pub const QPV_CODE: &str = "QPV code";
    pub const ZONAGE_CELL: &str = "zonage cell";
    pub const SHORT_CELL: &str = "short cell";
    pub const NATIONAL_ID: &str = "national identifier";
    pub const ACT_COUNT: &str = "act count";
}

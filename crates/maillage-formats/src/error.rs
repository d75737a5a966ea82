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
        self.field = Some(field.into());
        self
    }
    pub fn feature(mut self, feature: usize) -> Self {
        self.feature = Some(feature);
        self
    }
    pub fn sheet(mut self, sheet: impl Into<String>) -> Self {
        self.sheet = Some(sheet.into());
        self
    }
    pub fn layer(mut self, layer: impl Into<String>) -> Self {
        self.layer = Some(layer.into());
        self
    }
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
    Json(String),
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
    /// A zonage médecins value that is none of [`crate::zonage::ACCEPTED`].
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
    #[error("{format} stream expands beyond {limit_bytes} bytes ({ratio} times its compressed size)")]
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
    pub fn new(location: Location, kind: FormatErrorKind) -> Self {
        FormatError { location, kind }
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

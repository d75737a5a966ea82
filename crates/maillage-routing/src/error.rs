//! The one error type of the crate. Variants carry structured data; the French sentences users read
//! live in `maillage-messages` (`src/routing.rs`). `Display` here is for developers.

use crate::profile::Profile;
use std::path::PathBuf;

/// What went wrong while building, loading or querying a graph.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RoutingError {
    /// The file could not be opened, read or written.
    #[error("cannot access {path}: {message}")]
    Io { path: PathBuf, message: String },

    /// The file is not a readable OSM PBF (not PBF at all, truncated, corrupt block).
    #[error("{path} is not a readable OSM PBF file: {message}")]
    Pbf { path: PathBuf, message: String },

    /// The extract holds no way usable by the profile (or the usable ways are all isolated).
    #[error("no routable way for profile {profile} in {path}")]
    NoRoutableWay { path: PathBuf, profile: Profile },

    /// The same OSM node id appears twice with different positions.
    #[error("node {id} appears twice in {path}")]
    DuplicateOsmNode { path: PathBuf, id: i64 },

    /// `Graph::from_parts`: a node id given twice.
    #[error("node id {id} given twice (positions {first} and {second})")]
    DuplicateNode {
        id: i64,
        first: usize,
        second: usize,
    },

    /// `Graph::from_parts`: an edge refers to an id absent from the node list.
    #[error("edge {index} refers to unknown node {id}")]
    UnknownNode { index: usize, id: i64 },

    /// A node position that is not a WGS84 longitude/latitude.
    #[error("node {id} has invalid coordinates ({lon}, {lat})")]
    InvalidCoordinates { id: i64, lon: f64, lat: f64 },

    /// `Graph::from_parts` produced no node with an edge.
    #[error("the graph has no routable node")]
    EmptyGraph,

    /// The file does not start with the cache magic number.
    #[error("{path} is not a Maillage graph cache")]
    NotACache { path: PathBuf },

    /// The cache was written by another version of the format.
    #[error("{path}: cache format version {found}, expected {expected}")]
    CacheVersion {
        path: PathBuf,
        found: u32,
        expected: u32,
    },

    /// The cache is damaged (checksum mismatch, truncated, inconsistent arrays).
    #[error("{path}: corrupt cache ({problem})")]
    CorruptCache {
        path: PathBuf,
        problem: CacheProblem,
    },

    /// The cache holds a graph of another profile than the one asked for.
    #[error("{path}: cache built for profile {found}, {requested} requested")]
    ProfileMismatch {
        path: PathBuf,
        found: String,
        requested: Profile,
    },

    /// A point file (CSV) is malformed at a precise place.
    #[error("{path}:{line}: {problem:?} (column {column:?})")]
    Csv {
        path: PathBuf,
        line: u64,
        column: Option<usize>,
        problem: CsvProblem,
    },

    /// A point file has a header but no data row (or nothing at all).
    #[error("{path}: no point")]
    NoPoints { path: PathBuf },

    /// A point id used twice in a point file.
    #[error("{path}:{line}: id {id} already used at line {first_line}")]
    DuplicatePointId {
        path: PathBuf,
        id: String,
        line: u64,
        first_line: u64,
    },

    /// A zone file (GeoJSON) that cannot be used.
    #[error("{path}: zone {feature:?}: {problem:?}")]
    Zones {
        path: PathBuf,
        feature: Option<usize>,
        problem: ZoneProblem,
    },

    /// An isochrone threshold that is not a positive finite number of minutes.
    #[error("invalid isochrone threshold {value}")]
    InvalidThreshold { value: f64 },

    /// A search was asked from a node index outside the graph.
    #[error("node index {index} out of range (graph has {len} nodes)")]
    NodeOutOfRange { index: u32, len: usize },
}

/// Why a cache file was rejected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CacheProblem {
    /// The file ends before the sizes announced by its header.
    Truncated,
    /// The checksum stored at the end does not match the content.
    Checksum,
    /// Arrays are inconsistent (offsets not increasing, arc to a missing node...).
    Inconsistent(&'static str),
    /// Unknown profile code.
    UnknownProfile(u8),
}

impl std::fmt::Display for CacheProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CacheProblem::Truncated => write!(f, "truncated"),
            CacheProblem::Checksum => write!(f, "checksum mismatch"),
            CacheProblem::Inconsistent(what) => write!(f, "inconsistent: {what}"),
            CacheProblem::UnknownProfile(code) => write!(f, "unknown profile code {code}"),
        }
    }
}

/// What is wrong in a point file.
#[derive(Debug, Clone, PartialEq)]
pub enum CsvProblem {
    /// The header lacks a required column.
    MissingColumn {
        column: &'static str,
        found: Vec<String>,
    },
    /// A row does not have as many fields as the header.
    FieldCount { expected: usize, found: usize },
    /// A field is not a number.
    NotANumber { field: &'static str, value: String },
    /// A longitude or latitude outside its range.
    OutOfRange { field: &'static str, value: f64 },
    /// An empty identifier.
    EmptyId,
    /// Not UTF-8 or otherwise unreadable by the CSV parser.
    Unreadable(String),
}

/// What is wrong in a zone file.
#[derive(Debug, Clone, PartialEq)]
pub enum ZoneProblem {
    /// Not JSON.
    Json(String),
    /// JSON, but not a GeoJSON FeatureCollection.
    NotAFeatureCollection,
    /// A geometry that is not a valid Polygon or MultiPolygon in lon/lat (its type is given).
    Geometry(String),
    /// The population property is absent.
    MissingPopulation { field: String },
    /// The population property is not a non-negative number.
    InvalidPopulation { field: String, value: String },
}

pub type Result<T, E = RoutingError> = std::result::Result<T, E>;

pub(crate) fn io_error(path: &std::path::Path, e: &std::io::Error) -> RoutingError {
    RoutingError::Io {
        path: path.to_path_buf(),
        message: e.to_string(),
    }
}

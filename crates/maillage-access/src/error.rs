//! Typed errors of the accessibility engine. Each variant carries the data a message needs; the French
//! wording lives in `maillage-messages`, the `Display` here is for developers.

use serde::{Deserialize, Serialize};

/// Which side of the model a value belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Side {
    /// Demand zones (population).
    Demand,
    /// Supply sites (professionals, activity).
    Supply,
}

/// A parameter of the method, named in errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Parameter {
    /// The maximum travel cost (catchment).
    MaxCost,
    /// The output scale (e.g. 100,000).
    Scale,
    /// The gravity decay's cost scale.
    GravityScale,
    /// The gravity decay's exponent.
    GravityAlpha,
    /// The gravity decay's minimum cost.
    GravityMinCost,
    /// The Gaussian decay's width.
    GaussianSigma,
}

/// What is wrong with a list of step weights (`upper_bound:weight,...`).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum StepsError {
    #[error("no step given")]
    Empty,
    /// An item is not `bound:weight`; `item` is 1-based, `text` the offending item.
    #[error("item {item} ({text:?}) is not of the form bound:weight")]
    Syntax { item: usize, text: String },
    /// A number could not be read; `item` is 1-based.
    #[error("item {item}: {text:?} is not a number")]
    NotANumber { item: usize, text: String },
    #[error("step bound {bound} must be a finite number >= 0")]
    InvalidBound { bound: f64 },
    #[error("step bound {bound} is given twice")]
    DuplicateBound { bound: f64 },
    /// Hand-built steps whose bounds are not ascending.
    #[error("step bounds are not ascending at {bound}")]
    NotAscending { bound: f64 },
    #[error("weight {weight} of the step ending at {bound} must be a finite number >= 0")]
    InvalidWeight { bound: f64, weight: f64 },
}

/// Everything the engine refuses, with where.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AccessError {
    /// An identifier is empty; `index` is the 0-based position in the list given.
    #[error("empty {side:?} identifier at position {index}")]
    EmptyId { side: Side, index: usize },
    /// The same identifier appears twice (0-based positions).
    #[error("duplicate {side:?} identifier {id:?} at positions {first} and {second}")]
    DuplicateId {
        side: Side,
        id: String,
        first: usize,
        second: usize,
    },
    /// A demand or supply value is negative, NaN or infinite.
    #[error("invalid {side:?} value {value} for {id:?}")]
    InvalidValue { side: Side, id: String, value: f64 },
    /// An age-standardised zone has a different number of age bands than declared.
    #[error("zone {id:?} has {found} age bands, {expected} declared")]
    BandCount {
        id: String,
        expected: usize,
        found: usize,
    },
    /// A population by age band is negative, NaN or infinite.
    #[error("invalid population {value} in band {band:?} of zone {id:?}")]
    InvalidBandValue {
        id: String,
        band: String,
        value: f64,
    },
    /// Age standardisation without any band.
    #[error("age standardisation needs at least one age band")]
    NoNeedBands,
    /// Two age bands share a label.
    #[error("age band {label:?} declared twice")]
    DuplicateBand { label: String },
    /// A relative-need weight is negative, NaN or infinite.
    #[error("invalid need weight {weight} for age band {label:?}")]
    InvalidNeedWeight { label: String, weight: f64 },
    /// More zones or sites than the engine indexes (u32).
    #[error("too many {side:?} entries: {count}")]
    TooMany { side: Side, count: usize },
    /// A cost pair names an identifier absent from the demand or supply list; `pair` is 0-based.
    #[error("cost pair {pair} names unknown {side:?} identifier {id:?}")]
    UnknownId { side: Side, id: String, pair: usize },
    /// A cost pair's index is out of range (index-based construction).
    #[error("cost pair {pair}: {side:?} index {index} out of range (len {len})")]
    IndexOutOfRange {
        side: Side,
        index: u32,
        len: usize,
        pair: usize,
    },
    /// A travel cost is negative, NaN or infinite.
    #[error("invalid cost {cost} for pair {pair} ({zone:?} -> {site:?})")]
    InvalidCost {
        zone: String,
        site: String,
        cost: f64,
        pair: usize,
    },
    /// The same (zone, site) pair is given twice (0-based positions in the list given).
    #[error("pair {zone:?} -> {site:?} given twice, at positions {first} and {second}")]
    DuplicatePair {
        zone: String,
        site: String,
        first: usize,
        second: usize,
    },
    /// The step weights are invalid.
    #[error("invalid step weights: {0}")]
    Steps(#[from] StepsError),
    /// A numeric parameter is out of its domain.
    #[error("invalid value {value} for parameter {parameter:?}")]
    InvalidParameter { parameter: Parameter, value: f64 },
    /// Plain 2SFCA (binary catchment) needs a maximum cost.
    #[error("binary catchment (2SFCA) needs a maximum cost")]
    MissingMaxCost,
    /// The decay gives an infinite or NaN weight for some cost (e.g. gravity at cost 0 with no minimum).
    #[error("decay weight is not finite at cost {cost}")]
    NonFiniteWeight { cost: f64 },
    /// The cost table was built for other demand or supply lists.
    #[error(
        "cost table built for {table_zones} zones and {table_sites} sites, given {zones} and {sites}"
    )]
    TableMismatch {
        table_zones: usize,
        table_sites: usize,
        zones: usize,
        sites: usize,
    },
    /// Normalisation divides by the population-weighted mean access, which is zero or undefined here.
    #[error("cannot normalise: population-weighted mean access is {mean}")]
    NormalizationUndefined { mean: f64 },
}

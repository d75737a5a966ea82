//! What an analysis says in the results it stores (a run's metadata, its network, the zones left out), as typed
//! values. The words are stored with the run, so the caller gives them: `maillage_messages::analysis::wording`.

use crate::accessibility::{DemandMeasure, SupplyMeasure};

/// How the caller words what an analysis says.
pub type Wording = fn(Text<'_>) -> String;

/// Something an analysis says in its results.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Text<'a> {
    /// Where travel times come from.
    Network(NetworkSource<'a>),
    /// A zone or a place left out of an accessibility run.
    Unsnapped(Unsnapped<'a>),
    /// The band a zone without age structure is put in, with its whole population and weight 1.
    NoStructureBand,
    /// Where the DREES APL is published and how to bring it in: said wherever none has been imported.
    AplHowTo,
    /// What demand is, and where it sits.
    DemandSource(DemandMeasure),
    /// What supply is, for a profession (its code).
    SupplySource {
        supply: SupplyMeasure,
        profession: &'a str,
    },
    /// What the need weights by age band are, and are not.
    NeedWeightsNote,
    /// How zones without population by age are counted.
    NoStructureFallback,
    /// How the activity of a professional is counted as supply.
    ActivityRule,
    /// How professionals without activity are counted.
    WithoutActivity,
    /// Where each demand zone starts from.
    Origins,
    /// How quartiers and communes are aggregated from IRIS.
    Aggregation,
}

/// Where a road network comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NetworkSource<'a> {
    /// An OpenStreetMap extract (or its cache): its file name and the first characters of its SHA-256.
    Osm { file: &'a str, sha256: &'a str },
    /// The network stored with the territory, with its number of nodes.
    Stored { nodes: usize },
}

/// A zone or a place left out of an accessibility run (`kind`: the zone kind's code).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unsnapped<'a> {
    /// A zone without outline has no position.
    ZoneWithoutOutline { kind: &'a str, code: &'a str },
    /// A zone whose centroid is farther from the road network than allowed.
    ZoneTooFar { kind: &'a str, code: &'a str },
    /// A practice site farther from the road network than allowed.
    SiteTooFar { site: &'a str },
}

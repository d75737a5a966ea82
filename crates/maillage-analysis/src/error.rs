//! The one error of an analysis: what failed beneath it (routing, accessibility engine, store), kept typed so that
//! `maillage-messages` words it.

use maillage_access::AccessError;
use maillage_routing::RoutingError;
use maillage_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum AnalysisError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Routing(#[from] RoutingError),
    #[error(transparent)]
    Access(#[from] AccessError),
    /// No OSM extract was given and the store holds no road network.
    #[error("no road network")]
    NoNetwork,
    /// No zone with a population and a position (IRIS or commune contours and INSEE populations).
    #[error("no demand zone")]
    NoDemandZones,
    /// No geolocated site of the profession.
    #[error("no supply site for {profession}")]
    NoSupply { profession: String },
    #[error("unknown profession {0}")]
    UnknownProfession(String),
}

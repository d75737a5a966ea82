//! Territorial analyses: the engines (`maillage-routing`, `maillage-access`) applied to the territory in the
//! store. Accessibility (E2SFCA) by IRIS, quartier and commune for a profession, compared with the DREES APL;
//! isochrones around care sites with the population they cover. Results are stored with their metadata.

mod accessibility;
mod error;
mod isochrones;
mod network;
pub mod wording;

pub use accessibility::{
    AccessibilityReport, AccessibilityRequest, AplComparison, AplSummary, DemandMeasure,
    NEED_WEIGHTS, SupplyMeasure, accessibility, drees_unit, result_unit,
};
pub use error::AnalysisError;
pub use isochrones::{IsochroneRequest, isochrones_around};
pub use network::{Network, load_graph};
pub use wording::{Text, Wording};

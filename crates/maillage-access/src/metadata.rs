//! What every result says about itself: method, parameters, sources and what was left out.
//!
//! Serialised with French keys: the JSON is read by the people who use the figures.

use crate::decay::{Decay, Method};
use crate::input::{DemandKind, SupplyUnit};
use serde::{Deserialize, Serialize};

/// Where the inputs come from (free text given by the caller: file, producer, vintage).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Sources {
    #[serde(rename = "demande")]
    pub demand: Option<String>,
    #[serde(rename = "offre")]
    pub supply: Option<String>,
    #[serde(rename = "couts")]
    pub costs: Option<String>,
}

/// Why a supply site's ratio R is undefined, so that it is left out of step 2.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ExclusionReason {
    /// No zone reaches it with a positive weight within the maximum cost.
    #[serde(rename = "inaccessible")]
    Unreachable,
    /// Reached only by zones whose demand is zero: R = S / 0.
    #[serde(rename = "sans_demande")]
    NoDemand,
}

/// A supply site left out of step 2.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExcludedSite {
    pub id: String,
    #[serde(rename = "motif")]
    pub reason: ExclusionReason,
    /// Its supply value, so that what is lost is visible.
    #[serde(rename = "offre")]
    pub supply: f64,
}

/// Parameters, sources and counts of one computation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Metadata {
    #[serde(rename = "methode")]
    pub method: Method,
    #[serde(rename = "decroissance")]
    pub decay: Decay,
    /// Pairs costing more are ignored (inclusive bound), along with the decay.
    #[serde(rename = "cout_max")]
    pub max_cost: Option<f64>,
    #[serde(rename = "unite_offre")]
    pub supply_unit: SupplyUnit,
    #[serde(rename = "demande")]
    pub demand_kind: DemandKind,
    /// Access is multiplied by this (e.g. 100,000 for "per 100,000 inhabitants"); `None` when the values are
    /// normalised (dimensionless).
    #[serde(rename = "echelle")]
    pub scale: Option<f64>,
    /// Values divided by the demand-weighted mean access (PySAL `normalize=True`).
    #[serde(rename = "normalise")]
    pub normalized: bool,
    /// The demand-weighted mean of raw access used to normalise.
    #[serde(rename = "moyenne_normalisation")]
    pub normalization_mean: Option<f64>,
    #[serde(rename = "sources")]
    pub sources: Sources,

    #[serde(rename = "zones")]
    pub zones: usize,
    /// Buffer zones beyond the territory: computed, but their own results suffer the border effect.
    #[serde(rename = "zones_hors_territoire")]
    pub zones_outside_territory: usize,
    #[serde(rename = "zones_sans_population")]
    pub zones_zero_demand: usize,
    /// Zones reaching no site with a defined ratio: their access is 0.
    #[serde(rename = "zones_sans_acces")]
    pub zones_without_access: usize,
    #[serde(rename = "demande_totale")]
    pub total_demand: f64,

    #[serde(rename = "sites")]
    pub sites: usize,
    #[serde(rename = "sites_hors_territoire")]
    pub sites_outside_territory: usize,
    #[serde(rename = "offre_totale")]
    pub total_supply: f64,
    /// Number of sites left out ([`ExclusionReason::Unreachable`]).
    #[serde(rename = "sites_inaccessibles")]
    pub sites_unreachable: usize,
    /// Number of sites left out ([`ExclusionReason::NoDemand`]).
    #[serde(rename = "sites_sans_demande")]
    pub sites_without_demand: usize,
    /// Supply of the sites left out.
    #[serde(rename = "offre_exclue")]
    pub excluded_supply: f64,
    #[serde(rename = "sites_exclus")]
    pub excluded_sites: Vec<ExcludedSite>,

    #[serde(rename = "couples")]
    pub pairs: usize,
    /// Pairs within the maximum cost with a positive weight.
    #[serde(rename = "couples_utilises")]
    pub pairs_used: usize,
    /// Pairs left out because they named unknown ids.
    #[serde(rename = "couples_ids_inconnus")]
    pub pairs_unknown_ids: usize,

    #[serde(rename = "moteur")]
    pub engine: String,
}

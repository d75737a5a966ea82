//! Demand zones and supply sites, validated once: unique non-empty ids, finite non-negative values.
//!
//! Zones and sites may lie outside the studied territory: floating catchments cross borders, so a
//! territory's own result is only right when the neighbouring zones and sites within reach are included
//! (docs/produit.md §5.1). Such entries are computed like the others and flagged `outside_territory`.

use crate::error::{AccessError, Side};
use crate::ids::IdIndex;
use serde::{Deserialize, Serialize};

/// A demand zone (IRIS, quartier, commune) with its demand: population or age-standardised population.
#[derive(Debug, Clone, PartialEq)]
pub struct Zone {
    pub id: String,
    pub demand: f64,
    /// A buffer zone beyond the territory: computed, but its own result is flagged.
    pub outside_territory: bool,
}

/// A demand zone given as population by age band (same order as the declared [`NeedBand`]s).
#[derive(Debug, Clone, PartialEq)]
pub struct ZoneByAge {
    pub id: String,
    pub population_by_band: Vec<f64>,
    pub outside_territory: bool,
}

/// An age band and its relative need of care (consumption relative to the mean).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NeedBand {
    #[serde(rename = "tranche")]
    pub label: String,
    #[serde(rename = "poids")]
    pub weight: f64,
}

/// How the demand values were obtained; written into every result's metadata.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum DemandKind {
    /// Resident population as given.
    #[serde(rename = "population")]
    Population,
    /// Population by age band × relative-need weight per band.
    #[serde(rename = "population_standardisee")]
    AgeStandardised {
        #[serde(rename = "tranches")]
        bands: Vec<NeedBand>,
    },
}

/// A supply site (practice, health centre, commune) with its supply value.
#[derive(Debug, Clone, PartialEq)]
pub struct Site {
    pub id: String,
    pub supply: f64,
    /// A site beyond the territory but within reach of it.
    pub outside_territory: bool,
}

/// The declared unit of supply values; it decides the usual output scale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SupplyUnit {
    /// Number of professionals.
    #[serde(rename = "effectif")]
    Headcount,
    /// Full-time equivalents (ETP).
    #[serde(rename = "etp")]
    Fte,
    /// Activity: consultations and visits per year (the DREES APL unit).
    #[serde(rename = "activite")]
    Activity,
    /// A plain value whose unit was not declared.
    #[serde(rename = "non_precisee")]
    Unspecified,
}

impl SupplyUnit {
    /// The usual output scale: activity gives consultations per year per inhabitant (scale 1);
    /// headcount and ETP are reported per 100,000 inhabitants; an undeclared unit is left raw.
    pub fn default_scale(self) -> f64 {
        match self {
            SupplyUnit::Headcount | SupplyUnit::Fte => 100_000.0,
            SupplyUnit::Activity | SupplyUnit::Unspecified => 1.0,
        }
    }
}

/// Validated demand zones.
#[derive(Debug, Clone)]
pub struct Demand {
    zones: Vec<Zone>,
    kind: DemandKind,
    index: IdIndex,
}

/// Validated supply sites.
#[derive(Debug, Clone)]
pub struct Supply {
    sites: Vec<Site>,
    unit: SupplyUnit,
    index: IdIndex,
}

fn check_value(side: Side, id: &str, value: f64) -> Result<(), AccessError> {
    if value.is_finite() && value >= 0.0 {
        Ok(())
    } else {
        Err(AccessError::InvalidValue {
            side,
            id: id.to_string(),
            value,
        })
    }
}

/// Index ids, rejecting empty and duplicated ones.
fn index_ids<'a>(
    side: Side,
    ids: impl ExactSizeIterator<Item = &'a str>,
) -> Result<IdIndex, AccessError> {
    let count = ids.len();
    if count > u32::MAX as usize {
        return Err(AccessError::TooMany { side, count });
    }
    let mut index = IdIndex::with_capacity(count);
    for (position, id) in ids.enumerate() {
        if id.is_empty() {
            return Err(AccessError::EmptyId {
                side,
                index: position,
            });
        }
        if let Err(first) = index.push(id.as_bytes()) {
            return Err(AccessError::DuplicateId {
                side,
                id: id.to_string(),
                first: first as usize,
                second: position,
            });
        }
    }
    Ok(index)
}

impl Demand {
    /// Demand as resident population.
    pub fn population(zones: Vec<Zone>) -> Result<Demand, AccessError> {
        Self::build(zones, DemandKind::Population)
    }

    /// Demand as age-standardised population: Σ over bands of population × need weight.
    pub fn age_standardised(
        bands: Vec<NeedBand>,
        zones: Vec<ZoneByAge>,
    ) -> Result<Demand, AccessError> {
        if bands.is_empty() {
            return Err(AccessError::NoNeedBands);
        }
        for (i, band) in bands.iter().enumerate() {
            if !(band.weight.is_finite() && band.weight >= 0.0) {
                return Err(AccessError::InvalidNeedWeight {
                    label: band.label.clone(),
                    weight: band.weight,
                });
            }
            if bands[..i].iter().any(|b| b.label == band.label) {
                return Err(AccessError::DuplicateBand {
                    label: band.label.clone(),
                });
            }
        }
        let mut standardised = Vec::with_capacity(zones.len());
        for zone in zones {
            if zone.population_by_band.len() != bands.len() {
                return Err(AccessError::BandCount {
                    id: zone.id,
                    expected: bands.len(),
                    found: zone.population_by_band.len(),
                });
            }
            let mut demand = 0.0;
            for (value, band) in zone.population_by_band.iter().zip(&bands) {
                if !(value.is_finite() && *value >= 0.0) {
                    return Err(AccessError::InvalidBandValue {
                        id: zone.id.clone(),
                        band: band.label.clone(),
                        value: *value,
                    });
                }
                demand += value * band.weight;
            }
            standardised.push(Zone {
                id: zone.id,
                demand,
                outside_territory: zone.outside_territory,
            });
        }
        Self::build(standardised, DemandKind::AgeStandardised { bands })
    }

    fn build(zones: Vec<Zone>, kind: DemandKind) -> Result<Demand, AccessError> {
        let index = index_ids(Side::Demand, zones.iter().map(|z| z.id.as_str()))?;
        for zone in &zones {
            check_value(Side::Demand, &zone.id, zone.demand)?;
        }
        Ok(Demand { zones, kind, index })
    }

    pub fn zones(&self) -> &[Zone] {
        &self.zones
    }
    pub fn kind(&self) -> &DemandKind {
        &self.kind
    }
    pub fn len(&self) -> usize {
        self.zones.len()
    }
    pub fn is_empty(&self) -> bool {
        self.zones.is_empty()
    }
    /// Position of a zone id.
    pub fn position(&self, id: &str) -> Option<u32> {
        self.index.get(id.as_bytes())
    }
    pub(crate) fn position_bytes(&self, id: &[u8]) -> Option<u32> {
        self.index.get(id)
    }
}

impl Supply {
    pub fn new(unit: SupplyUnit, sites: Vec<Site>) -> Result<Supply, AccessError> {
        let index = index_ids(Side::Supply, sites.iter().map(|s| s.id.as_str()))?;
        for site in &sites {
            check_value(Side::Supply, &site.id, site.supply)?;
        }
        Ok(Supply { sites, unit, index })
    }

    pub fn sites(&self) -> &[Site] {
        &self.sites
    }
    pub fn unit(&self) -> SupplyUnit {
        self.unit
    }
    pub fn len(&self) -> usize {
        self.sites.len()
    }
    pub fn is_empty(&self) -> bool {
        self.sites.is_empty()
    }
    /// Position of a site id.
    pub fn position(&self, id: &str) -> Option<u32> {
        self.index.get(id.as_bytes())
    }
    pub(crate) fn position_bytes(&self, id: &[u8]) -> Option<u32> {
        self.index.get(id)
    }
    /// Start loading where `id` would be found, without waiting.
    pub(crate) fn prefetch(&self, id: &[u8]) {
        self.index.prefetch(id)
    }
}

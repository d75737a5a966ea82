//! The two steps of the floating catchment:
//! step 1, for each site j: `R_j = S_j / Σ_k w(t_kj) · P_k`;
//! step 2, for each zone i: `A_i = Σ_j w(t_ij) · R_j`.
//!
//! Same arithmetic as PySAL `access` (`fca.two_stage_fca`): pairs costing more than the maximum cost are
//! dropped, weights multiply demand in step 1 and ratios in step 2. Where PySAL yields NaN or ∞ this
//! engine decides explicitly, as docs/produit.md §5.1 asks:
//! - a site with zero weighted demand has an undefined R (PySAL: S/0 = ∞ or NaN): it is excluded from
//!   step 2 and reported, whereas PySAL gives ∞ to the zero-population zones that reach it;
//! - a zone reaching no site gets 0 (PySAL: NaN).

use crate::costs::CostTable;
use crate::decay::Decay;
use crate::error::{AccessError, Parameter};
use crate::input::{Demand, Supply};
use crate::metadata::{ExcludedSite, ExclusionReason, Metadata, Sources};
use rayon::prelude::*;

/// Parameters of a computation.
#[derive(Debug, Clone, PartialEq)]
pub struct Params {
    pub decay: Decay,
    /// Pairs costing more are ignored (inclusive bound). Required by [`Decay::Binary`].
    pub max_cost: Option<f64>,
    /// Access is multiplied by this: 1 for activity (consultations per year per inhabitant), 100,000 for
    /// headcount or ETP per 100,000 inhabitants ([`crate::SupplyUnit::default_scale`]).
    pub scale: f64,
    /// Divide by the demand-weighted mean access (PySAL `normalize=True`); the scale is then not applied.
    pub normalize: bool,
    pub sources: Sources,
}

impl Params {
    /// Raw values (scale 1), no maximum cost, not normalised, no sources.
    pub fn new(decay: Decay) -> Params {
        Params {
            decay,
            max_cost: None,
            scale: 1.0,
            normalize: false,
            sources: Sources::default(),
        }
    }

    /// Check the parameters alone (also done by [`compute`]), e.g. before reading large inputs.
    pub fn validate(&self) -> Result<(), AccessError> {
        self.decay.validate()?;
        if let Some(max) = self.max_cost
            && !(max.is_finite() && max >= 0.0)
        {
            return Err(AccessError::InvalidParameter {
                parameter: Parameter::MaxCost,
                value: max,
            });
        }
        if self.decay == Decay::Binary && self.max_cost.is_none() {
            return Err(AccessError::MissingMaxCost);
        }
        if !(self.scale.is_finite() && self.scale > 0.0) {
            return Err(AccessError::InvalidParameter {
                parameter: Parameter::Scale,
                value: self.scale,
            });
        }
        Ok(())
    }
}

/// The result: access per zone (demand order), ratio per site (supply order), and metadata.
#[derive(Debug, Clone, PartialEq)]
pub struct Accessibility {
    /// A_i, scaled (or normalised); 0 when the zone reaches no site with a defined ratio.
    pub access: Vec<f64>,
    /// Number of sites with a defined ratio each zone reaches with a positive weight.
    pub sites_reached: Vec<u32>,
    /// R_j = S_j / weighted demand, unscaled; `None` for excluded sites.
    pub ratio: Vec<Option<f64>>,
    /// Σ_k w(t_kj) · P_k for each site.
    pub weighted_demand: Vec<f64>,
    pub metadata: Metadata,
}

/// One zone's result, with what is needed to flag it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ZoneResult<'a> {
    pub id: &'a str,
    pub access: f64,
    /// A buffer zone: its own value suffers the border effect, show it flagged or not at all.
    pub outside_territory: bool,
    /// 0 means the zone reaches no site: its access 0 is "none within reach".
    pub sites_reached: u32,
}

impl Accessibility {
    /// Each zone's result in demand order (`demand` must be the one computed with).
    pub fn zones<'a>(&'a self, demand: &'a Demand) -> impl Iterator<Item = ZoneResult<'a>> + 'a {
        demand
            .zones()
            .iter()
            .zip(&self.access)
            .zip(&self.sites_reached)
            .map(|((zone, &access), &sites_reached)| ZoneResult {
                id: &zone.id,
                access,
                outside_territory: zone.outside_territory,
                sites_reached,
            })
    }
}

/// Step 1 over a block of zones: what each site receives from them.
struct Block {
    weighted: Vec<f64>,
    used: Vec<u32>,
    /// A cost at which the decay gives a non-finite weight.
    bad_cost: Option<f64>,
}

/// Zone ranges of step 1, cut by pair count. Fixed by the table alone, so that the sums (and their
/// rounding) do not depend on the number of threads; few enough that the blocks' per-site arrays stay small.
fn blocks(costs: &CostTable, sites: usize) -> Vec<std::ops::Range<usize>> {
    let offsets = &costs.by_zone.offsets;
    let (zones, pairs) = (offsets.len() - 1, costs.len());
    let by_work = pairs / (1 << 18) + 1;
    let by_memory = (64 << 20) / (12 * sites.max(1)) + 1;
    let count = by_work.min(by_memory).min(16).min(zones.max(1));
    let mut bounds = vec![0];
    for k in 1..count {
        let cut = offsets
            .partition_point(|&o| o < pairs * k / count)
            .min(zones);
        bounds.push(cut.max(*bounds.last().unwrap_or(&0)));
    }
    bounds.push(zones);
    bounds.windows(2).map(|w| w[0]..w[1]).collect()
}

/// Compute floating catchment accessibility.
pub fn compute(
    demand: &Demand,
    supply: &Supply,
    costs: &CostTable,
    params: &Params,
) -> Result<Accessibility, AccessError> {
    params.validate()?;
    if costs.shape() != (demand.len(), supply.len()) {
        let (table_zones, table_sites) = costs.shape();
        return Err(AccessError::TableMismatch {
            table_zones,
            table_sites,
            zones: demand.len(),
            sites: supply.len(),
        });
    }
    let population: Vec<f64> = demand.zones().iter().map(|z| z.demand).collect();
    let (weighted_demand, used) = step_one(&population, supply.len(), costs, params)?;

    let mut excluded_sites = Vec::new();
    let ratio: Vec<Option<f64>> = supply
        .sites()
        .iter()
        .enumerate()
        .map(|(j, site)| {
            if weighted_demand[j] > 0.0 {
                return Some(site.supply / weighted_demand[j]);
            }
            let reason = if used[j] == 0 {
                ExclusionReason::Unreachable
            } else {
                ExclusionReason::NoDemand
            };
            excluded_sites.push(ExcludedSite {
                id: site.id.clone(),
                reason,
                supply: site.supply,
            });
            None
        })
        .collect();

    let (mut access, sites_reached) = step_two(&ratio, costs, params);
    let total_demand: f64 = population.iter().sum();
    let normalization_mean = if params.normalize {
        // PySAL helpers.normalized_access: Σ A·P / Σ P over every zone.
        let weighted: f64 = access.iter().zip(&population).map(|(a, p)| a * p).sum();
        let mean = weighted / total_demand;
        if !(mean.is_finite() && mean > 0.0) {
            return Err(AccessError::NormalizationUndefined { mean });
        }
        access.iter_mut().for_each(|a| *a /= mean);
        Some(mean)
    } else {
        if params.scale != 1.0 {
            access.iter_mut().for_each(|a| *a *= params.scale);
        }
        None
    };

    let count = |flags: &mut dyn Iterator<Item = bool>| flags.filter(|&b| b).count();
    let reason_count = |reason| count(&mut excluded_sites.iter().map(|e| e.reason == reason));
    let metadata = Metadata {
        method: params.decay.method(),
        decay: params.decay.clone(),
        max_cost: params.max_cost,
        supply_unit: supply.unit(),
        demand_kind: demand.kind().clone(),
        scale: (!params.normalize).then_some(params.scale),
        normalized: params.normalize,
        normalization_mean,
        sources: params.sources.clone(),
        zones: demand.len(),
        zones_outside_territory: count(&mut demand.zones().iter().map(|z| z.outside_territory)),
        zones_zero_demand: count(&mut population.iter().map(|&p| p == 0.0)),
        zones_without_access: count(&mut sites_reached.iter().map(|&n| n == 0)),
        total_demand,
        sites: supply.len(),
        sites_outside_territory: count(&mut supply.sites().iter().map(|s| s.outside_territory)),
        total_supply: supply.sites().iter().map(|s| s.supply).sum(),
        sites_unreachable: reason_count(ExclusionReason::Unreachable),
        sites_without_demand: reason_count(ExclusionReason::NoDemand),
        // Folded from +0.0: an empty f64 sum is −0.0, which would read "-0" in the metadata.
        excluded_supply: excluded_sites.iter().fold(0.0, |total, e| total + e.supply),
        excluded_sites,
        pairs: costs.len(),
        pairs_used: used.iter().sum(),
        pairs_unknown_ids: costs.skipped_unknown(),
        engine: concat!("maillage-access ", env!("CARGO_PKG_VERSION")).to_string(),
    };
    Ok(Accessibility {
        access,
        sites_reached,
        ratio,
        weighted_demand,
        metadata,
    })
}

/// Step 1: Σ_k w(t_kj) · P_k for each site, and how many pairs weigh in, block by block of zones, then
/// the blocks added in order.
fn step_one(
    population: &[f64],
    sites: usize,
    costs: &CostTable,
    params: &Params,
) -> Result<(Vec<f64>, Vec<usize>), AccessError> {
    let max_cost = params.max_cost.unwrap_or(f64::INFINITY);
    let partial: Vec<Block> = blocks(costs, sites)
        .into_par_iter()
        .map(|zones| {
            let mut block = Block {
                weighted: vec![0.0; sites],
                used: vec![0; sites],
                bad_cost: None,
            };
            for zone in zones {
                let p = population[zone];
                let (row_sites, row_costs) = costs.by_zone.row(zone);
                for (&site, &cost) in row_sites.iter().zip(row_costs) {
                    if cost > max_cost {
                        continue;
                    }
                    let w = params.decay.weight(cost);
                    if !w.is_finite() {
                        block.bad_cost.get_or_insert(cost);
                        continue;
                    }
                    // Unconditional: a zero weight adds +0 and counts nothing (no branch to mispredict).
                    block.weighted[site as usize] += w * p;
                    block.used[site as usize] += (w > 0.0) as u32;
                }
            }
            block
        })
        .collect();
    if let Some(cost) = partial.iter().find_map(|b| b.bad_cost) {
        return Err(AccessError::NonFiniteWeight { cost });
    }
    let mut weighted = vec![0.0; sites];
    let mut used = vec![0usize; sites];
    for block in &partial {
        for j in 0..sites {
            weighted[j] += block.weighted[j];
            used[j] += block.used[j] as usize;
        }
    }
    Ok((weighted, used))
}

/// Step 2: Σ_j w(t_ij) · R_j for each zone over the sites with a defined ratio, and how many weigh in.
fn step_two(ratio: &[Option<f64>], costs: &CostTable, params: &Params) -> (Vec<f64>, Vec<u32>) {
    let max_cost = params.max_cost.unwrap_or(f64::INFINITY);
    let zones = costs.shape().0;
    let per_zone: Vec<(f64, u32)> = (0..zones)
        .into_par_iter()
        .map(|zone| {
            let (sites, zone_costs) = costs.by_zone.row(zone);
            let (mut access, mut reached) = (0.0, 0u32);
            for (&site, &cost) in sites.iter().zip(zone_costs) {
                if cost > max_cost {
                    continue;
                }
                if let Some(r) = ratio[site as usize] {
                    let w = params.decay.weight(cost);
                    access += w * r;
                    reached += (w > 0.0) as u32;
                }
            }
            (access, reached)
        })
        .collect();
    per_zone.into_iter().unzip()
}

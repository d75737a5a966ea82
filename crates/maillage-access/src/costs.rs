//! Sparse travel costs between demand zones and supply sites.
//!
//! Pairs absent from the table are unreachable. The table is stored once, in compressed sparse rows by
//! zone: step 2 (Σ over the sites a zone reaches) runs in parallel over rows, and step 1 (Σ over the zones
//! reaching a site) accumulates over fixed blocks of rows in parallel, then adds the blocks in order. A
//! second copy by site would cost a random-access transposition (measured slower than the whole of step 1
//! done this way) and twice the memory. Fixed blocks keep results reproducible bit for bit whatever the
//! number of threads. The table is built once and can serve several methods.

use crate::error::{AccessError, Side};
use crate::input::{Demand, Supply};
use rayon::prelude::*;

/// One reachable pair, by position in the demand and supply lists.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CostPair {
    pub zone: u32,
    pub site: u32,
    /// Travel cost (minutes, metres...: the same unit as the decay's bounds), finite and ≥ 0.
    pub cost: f64,
}

/// Pairs column by column, in input order.
#[derive(Debug, Default)]
pub(crate) struct Columns {
    pub zone: Vec<u32>,
    pub site: Vec<u32>,
    pub cost: Vec<f64>,
}

impl Columns {
    pub fn with_capacity(capacity: usize) -> Columns {
        Columns {
            zone: Vec::with_capacity(capacity),
            site: Vec::with_capacity(capacity),
            cost: Vec::with_capacity(capacity),
        }
    }
    #[inline]
    pub fn push(&mut self, p: CostPair) {
        self.zone.push(p.zone);
        self.site.push(p.site);
        self.cost.push(p.cost);
    }
    pub fn len(&self) -> usize {
        self.zone.len()
    }
    pub fn reserve(&mut self, additional: usize) {
        self.zone.reserve(additional);
        self.site.reserve(additional);
        self.cost.reserve(additional);
    }
    pub fn truncate(&mut self, len: usize) {
        self.zone.truncate(len);
        self.site.truncate(len);
        self.cost.truncate(len);
    }
    /// Move the pairs in `from` to start at `to` (`to` before `from`).
    pub fn move_within(&mut self, from: std::ops::Range<usize>, to: usize) {
        self.zone.copy_within(from.clone(), to);
        self.site.copy_within(from.clone(), to);
        self.cost.copy_within(from, to);
    }
}

/// What to do with a pair naming an id absent from the demand or supply lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnknownIds {
    /// Fail with [`AccessError::UnknownId`].
    Reject,
    /// Leave the pair out, and count it in the result's metadata.
    Skip,
}

/// Compressed sparse rows: row r holds `targets[offsets[r]..offsets[r + 1]]` with their costs.
#[derive(Debug, Clone)]
pub(crate) struct Csr {
    pub offsets: Vec<usize>,
    pub targets: Vec<u32>,
    pub costs: Vec<f64>,
}

impl Csr {
    #[inline]
    pub fn row(&self, r: usize) -> (&[u32], &[f64]) {
        let range = self.offsets[r]..self.offsets[r + 1];
        (&self.targets[range.clone()], &self.costs[range])
    }

    pub fn rows(&self) -> usize {
        self.offsets.len() - 1
    }
}

/// A validated sparse cost table for one demand list and one supply list.
#[derive(Debug, Clone)]
pub struct CostTable {
    zones: usize,
    sites: usize,
    pub(crate) by_zone: Csr,
    skipped_unknown: usize,
}

impl CostTable {
    /// Build from pairs by position. Rejects out-of-range positions, negative or non-finite costs and
    /// pairs given twice.
    pub fn new(
        demand: &Demand,
        supply: &Supply,
        pairs: Vec<CostPair>,
    ) -> Result<CostTable, AccessError> {
        Self::build(demand, supply, pairs, 0)
    }

    /// Build from pairs by id (`zone id, site id, cost`), resolving ids; unknown ids are rejected or
    /// skipped and counted.
    pub fn from_ids<I, Z, S>(
        demand: &Demand,
        supply: &Supply,
        pairs: I,
        unknown: UnknownIds,
    ) -> Result<CostTable, AccessError>
    where
        I: IntoIterator<Item = (Z, S, f64)>,
        Z: AsRef<str>,
        S: AsRef<str>,
    {
        let mut resolved = Vec::new();
        let mut skipped = 0;
        for (position, (zone, site, cost)) in pairs.into_iter().enumerate() {
            let (zone, site) = (zone.as_ref(), site.as_ref());
            let z = demand.position(zone);
            let s = supply.position(site);
            match (z, s) {
                (Some(zone), Some(site)) => resolved.push(CostPair { zone, site, cost }),
                _ if unknown == UnknownIds::Skip => skipped += 1,
                (None, _) => {
                    return Err(AccessError::UnknownId {
                        side: Side::Demand,
                        id: zone.into(),
                        pair: position,
                    });
                }
                (_, None) => {
                    return Err(AccessError::UnknownId {
                        side: Side::Supply,
                        id: site.into(),
                        pair: position,
                    });
                }
            }
        }
        Self::build(demand, supply, resolved, skipped)
    }

    fn build(
        demand: &Demand,
        supply: &Supply,
        pairs: Vec<CostPair>,
        skipped_unknown: usize,
    ) -> Result<CostTable, AccessError> {
        let mut columns = Columns::with_capacity(pairs.len());
        for p in pairs {
            columns.push(p);
        }
        Self::from_columns(demand, supply, columns, skipped_unknown)
    }

    /// Build from pairs held column by column (the CSV reader's form: no copy when they come grouped by
    /// zone, as a travel-time matrix does).
    pub(crate) fn from_columns(
        demand: &Demand,
        supply: &Supply,
        columns: Columns,
        skipped_unknown: usize,
    ) -> Result<CostTable, AccessError> {
        let (zones, sites) = (demand.len(), supply.len());
        let Columns {
            zone: zone_of,
            site: site_of,
            cost: cost_of,
        } = columns;
        // One pass validates, counts pairs per zone and sees whether they already come grouped by zone.
        let mut offsets = vec![0usize; zones + 1];
        let mut grouped = true;
        let mut previous = 0;
        for (pair, ((&zone, &site), &cost)) in
            zone_of.iter().zip(&site_of).zip(&cost_of).enumerate()
        {
            if zone as usize >= zones
                || site as usize >= sites
                || !(cost.is_finite() && cost >= 0.0)
            {
                return Err(invalid_pair(
                    demand,
                    supply,
                    pair,
                    CostPair { zone, site, cost },
                ));
            }
            offsets[zone as usize + 1] += 1;
            grouped &= zone >= previous;
            previous = zone;
        }
        for r in 0..zones {
            offsets[r + 1] += offsets[r];
        }
        // Grouped: the columns are the rows already. Otherwise a counting sort, keeping the order of the
        // pairs within a zone.
        let (targets, costs, site_of) = if grouped {
            (site_of, cost_of, None)
        } else {
            let mut next = offsets[..zones].to_vec();
            let mut targets = vec![0u32; site_of.len()];
            let mut costs = vec![0f64; site_of.len()];
            for ((&zone, &site), &cost) in zone_of.iter().zip(&site_of).zip(&cost_of) {
                let slot = &mut next[zone as usize];
                targets[*slot] = site;
                costs[*slot] = cost;
                *slot += 1;
            }
            (targets, costs, Some(site_of))
        };
        let by_zone = Csr {
            offsets,
            targets,
            costs,
        };
        if let Some((zone, site)) = find_duplicate(&by_zone, sites) {
            let site_of = site_of.as_deref().unwrap_or(&by_zone.targets);
            let mut at = (0..zone_of.len()).filter(|&i| zone_of[i] == zone && site_of[i] == site);
            let first = at.next().unwrap_or(0);
            let second = at.next().unwrap_or(first);
            return Err(AccessError::DuplicatePair {
                zone: demand.zones()[zone as usize].id.clone(),
                site: supply.sites()[site as usize].id.clone(),
                first,
                second,
            });
        }
        Ok(CostTable {
            zones,
            sites,
            by_zone,
            skipped_unknown,
        })
    }

    /// Number of pairs stored.
    pub fn len(&self) -> usize {
        self.by_zone.targets.len()
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Number of zones and of sites the table was built for.
    pub fn shape(&self) -> (usize, usize) {
        (self.zones, self.sites)
    }
    /// The sites a zone reaches, with their costs (input order).
    pub fn pairs_of_zone(&self, zone: u32) -> impl Iterator<Item = (u32, f64)> + '_ {
        let (sites, costs) = self.by_zone.row(zone as usize);
        sites.iter().copied().zip(costs.iter().copied())
    }
    /// Pairs left out because they named unknown ids ([`UnknownIds::Skip`]).
    pub fn skipped_unknown(&self) -> usize {
        self.skipped_unknown
    }
}

fn invalid_pair(demand: &Demand, supply: &Supply, pair: usize, p: CostPair) -> AccessError {
    let (zones, sites) = (demand.len(), supply.len());
    if p.zone as usize >= zones {
        return AccessError::IndexOutOfRange {
            side: Side::Demand,
            index: p.zone,
            len: zones,
            pair,
        };
    }
    if p.site as usize >= sites {
        return AccessError::IndexOutOfRange {
            side: Side::Supply,
            index: p.site,
            len: sites,
            pair,
        };
    }
    AccessError::InvalidCost {
        zone: demand.zones()[p.zone as usize].id.clone(),
        site: supply.sites()[p.site as usize].id.clone(),
        cost: p.cost,
        pair,
    }
}

/// A (zone, site) pair present twice, found by marking each zone's sites (first zone in order).
fn find_duplicate(by_zone: &Csr, sites: usize) -> Option<(u32, u32)> {
    (0..by_zone.rows())
        .into_par_iter()
        .map_init(
            || vec![u32::MAX; sites],
            |mark, zone| {
                let (row, _) = by_zone.row(zone);
                for &site in row {
                    if mark[site as usize] == zone as u32 {
                        return Some((zone as u32, site));
                    }
                    mark[site as usize] = zone as u32;
                }
                None
            },
        )
        .find_map_first(|found| found)
}

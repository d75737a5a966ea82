//! The published table as statistical secrecy sees it: cells (counts of people or places), the additive
//! relations a reader can see between them, and the linear forms that must stay protected.

use super::Secret;
use crate::ZoneKind;
use crate::compute::{Indicator, IndicatorRow, Inputs};
use crate::professions::GP;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// What a cell counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// Professionals (or pharmacies) of a profession in a zone.
    Count,
    /// Those practising in at least one QPV of the commune.
    InQpv,
    /// Those practising in the commune outside its QPV.
    OutsideQpv,
    /// GPs aged 60 and over.
    Gp60Plus,
    /// GPs whose age is known.
    GpKnownAge,
    /// GPs under 60 (known − 60 and over): never published, but readable by subtraction.
    GpUnder60,
}

impl Measure {
    pub fn label(self) -> &'static str {
        match self {
            Measure::Count => "effectif",
            Measure::InQpv => "effectif dans les QPV",
            Measure::OutsideQpv => "effectif hors QPV",
            Measure::Gp60Plus => "médecins généralistes de 60 ans et plus",
            Measure::GpKnownAge => "médecins généralistes d'âge connu",
            Measure::GpUnder60 => "médecins généralistes de moins de 60 ans",
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) struct ZoneRef {
    pub kind: String,
    pub code: String,
    pub name: String,
}

#[derive(Debug, Clone)]
pub(crate) struct Cell {
    pub measure: Measure,
    pub zone: usize,
    pub profession: String,
    pub value: f64,
    pub secret: Option<Secret>,
}

impl Cell {
    /// Whether the cell reads "< 5" (a count below the threshold), which tells a reader it is at most 4; the
    /// counts of GPs by age, hidden in a share, read "secret".
    pub fn marked_below_threshold(&self) -> bool {
        self.secret == Some(Secret::Threshold)
            && matches!(
                self.measure,
                Measure::Count | Measure::InQpv | Measure::OutsideQpv
            )
    }
}

/// `total` counts the union of the places its parts count. When the parts cover it, Σ parts ≥ total, the
/// excess being professionals counted in two parts (`overlap`: 0 when the parts add up exactly); when they
/// do not (quartiers drawn over part of a commune, the QPV of a commune), Σ parts ≤ total. Either way each
/// part ≤ total.
#[derive(Debug, Clone)]
pub(crate) struct Relation {
    pub total: usize,
    pub parts: Vec<usize>,
    pub covering: bool,
    pub overlap: f64,
}

impl Relation {
    pub fn cells(&self) -> impl Iterator<Item = usize> + '_ {
        std::iter::once(self.total).chain(self.parts.iter().copied())
    }
}

/// A linear form over cells that must stay protected: a small count, or the GPs under 60 (known − old).
#[derive(Debug, Clone)]
pub(crate) struct Objective {
    pub terms: Vec<(usize, f64)>,
    pub measure: Measure,
    pub zone: usize,
    pub profession: String,
}

pub(crate) struct Table {
    pub zones: Vec<ZoneRef>,
    pub cells: Vec<Cell>,
    pub relations: Vec<Relation>,
    /// The relations each cell is in.
    relations_of: Vec<Vec<usize>>,
    pub objectives: Vec<Objective>,
    /// Cells published in one row (the share of GPs aged 60 and over gives both its counts): hidden together.
    together: Vec<[usize; 2]>,
    /// The cells each row shows.
    row_cells: Vec<Vec<usize>>,
}

/// A count that may not be published: below the threshold, zero included. A published zero would tell a reader
/// that every "< 5" is 1 to 4, narrowing each hidden cell's interval (see [`super::Policy`]).
fn below(n: f64, threshold: f64) -> bool {
    n < threshold
}

/// A count that describes someone, hence must stay protected: a zero describes no one, and deriving that a
/// "< 5" is 0 tells nothing of anybody, whereas a 1 to 4 must be able to read anything from 0 to the protection.
fn protected(n: f64, threshold: f64) -> bool {
    n > 0.0 && below(n, threshold)
}

/// Parts of one zone nested in another are grouped by kind, except that communes and EPCI together make up
/// the territory (a commune outside any listed EPCI lies directly in it).
fn partition_class(kind: &str) -> &str {
    match kind {
        "commune" | "epci" => "membres",
        other => other,
    }
}

impl Table {
    pub fn of(rows: &[IndicatorRow], inputs: &Inputs) -> Table {
        let zones: Vec<ZoneRef> = inputs
            .zones
            .iter()
            .map(|z| ZoneRef {
                kind: z.kind.clone(),
                code: z.code.clone(),
                name: z.name.clone(),
            })
            .collect();
        let by_key: HashMap<(&str, &str), usize> = inputs
            .zones
            .iter()
            .enumerate()
            .map(|(i, z)| ((z.kind.as_str(), z.code.as_str()), i))
            .collect();
        let by_id: HashMap<i64, usize> = inputs
            .zones
            .iter()
            .enumerate()
            .map(|(i, z)| (z.id, i))
            .collect();
        let mut outers: HashMap<usize, Vec<usize>> = HashMap::new();
        let mut inners: HashMap<usize, Vec<usize>> = HashMap::new();
        for n in &inputs.nesting {
            if let (Some(&i), Some(&o)) = (by_id.get(&n.inner), by_id.get(&n.outer)) {
                outers.entry(i).or_default().push(o);
                inners.entry(o).or_default().push(i);
            }
        }

        let mut cells: Vec<Cell> = Vec::new();
        // Ordered maps: the same table is always suppressed the same way, on every page, export and API.
        let mut index: BTreeMap<(Measure, usize, String), usize> = BTreeMap::new();
        let mut cell = |measure: Measure, zone: usize, profession: &str, value: Option<f64>| {
            let i = *index
                .entry((measure, zone, profession.to_string()))
                .or_insert_with(|| {
                    cells.push(Cell {
                        measure,
                        zone,
                        profession: profession.to_string(),
                        value: 0.0,
                        secret: None,
                    });
                    cells.len() - 1
                });
            if let Some(v) = value {
                cells[i].value = v;
            }
            i
        };
        let mut row_cells = Vec::with_capacity(rows.len());
        let mut together = Vec::new();
        for r in rows {
            // Départements and France are no zones of the territory: national public counts, published as such
            // by their producers, outside local secrecy (no local count can be recovered from them).
            let Some(&zone) = by_key.get(&(r.zone_kind.as_str(), r.zone_code.as_str())) else {
                row_cells.push(Vec::new());
                continue;
            };
            let p = r.profession.as_str();
            let of_row = match r.indicator {
                Indicator::Count | Indicator::Per10k | Indicator::Per100k => {
                    vec![cell(Measure::Count, zone, p, r.numerator)]
                }
                Indicator::QpvPer10k => vec![cell(Measure::InQpv, zone, p, r.numerator)],
                Indicator::RestPer10k => vec![cell(Measure::OutsideQpv, zone, p, r.numerator)],
                // Its numerator and denominator are densities: the counts are the two rows above.
                Indicator::QpvRatio => vec![
                    cell(Measure::InQpv, zone, p, None),
                    cell(Measure::OutsideQpv, zone, p, None),
                ],
                Indicator::Gp60PlusShare => {
                    let pair = [
                        cell(Measure::Gp60Plus, zone, p, r.numerator),
                        cell(Measure::GpKnownAge, zone, p, r.denominator),
                    ];
                    together.push(pair);
                    pair.to_vec()
                }
            };
            row_cells.push(of_row);
        }

        let mut relations = Vec::new();
        // Zones inside zones, for the counts that add up that way.
        let mut nested: BTreeMap<(usize, &str), Vec<usize>> = BTreeMap::new();
        for (&(measure, zone, ref profession), &c) in &index {
            if !matches!(
                measure,
                Measure::Count | Measure::Gp60Plus | Measure::GpKnownAge
            ) {
                continue;
            }
            for &outer in outers.get(&zone).into_iter().flatten() {
                if let Some(&total) = index.get(&(measure, outer, profession.clone())) {
                    nested
                        .entry((total, partition_class(&zones[zone].kind)))
                        .or_default()
                        .push(c);
                }
            }
        }
        for ((total, _), mut parts) in nested {
            parts.sort_unstable();
            relations.push((total, parts));
        }
        for (&(measure, zone, ref profession), &c) in &index {
            let get = |m: Measure, z: usize| index.get(&(m, z, profession.clone())).copied();
            match measure {
                // The commune is its QPV and the rest.
                Measure::Count => {
                    if let (Some(q), Some(r)) =
                        (get(Measure::InQpv, zone), get(Measure::OutsideQpv, zone))
                    {
                        relations.push((c, vec![q, r]));
                    }
                }
                // Those in a QPV of the commune are those of each QPV together.
                Measure::InQpv => {
                    let parts: Vec<usize> = inners
                        .get(&zone)
                        .into_iter()
                        .flatten()
                        .filter(|&&i| ZoneKind::Qpv.is(&zones[i].kind))
                        .filter_map(|&i| get(Measure::Count, i))
                        .collect();
                    if !parts.is_empty() {
                        relations.push((c, parts));
                    }
                }
                // GPs of known age are GPs; those of 60 and over are of known age.
                Measure::GpKnownAge => {
                    if let Some(old) = get(Measure::Gp60Plus, zone) {
                        relations.push((c, vec![old]));
                    }
                    if profession == GP
                        && let Some(all) = get(Measure::Count, zone)
                    {
                        relations.push((all, vec![c]));
                    }
                }
                _ => {}
            }
        }
        let relations = relations
            .into_iter()
            .map(|(total, parts)| {
                let sum: f64 = parts.iter().map(|&p| cells[p].value).sum();
                let t = cells[total].value;
                Relation {
                    total,
                    parts,
                    covering: sum >= t,
                    overlap: (sum - t).max(0.0),
                }
            })
            .collect::<Vec<Relation>>();
        let mut relations_of = vec![Vec::new(); cells.len()];
        for (i, r) in relations.iter().enumerate() {
            for c in r.cells() {
                relations_of[c].push(i);
            }
        }
        Table {
            zones,
            cells,
            relations,
            relations_of,
            objectives: Vec::new(),
            together,
            row_cells,
        }
    }

    /// Primary secrecy: counts below the threshold, zeros included, and shares of GPs by age that would tell
    /// ages (0 % and 100 % included). Every one of them reads "< 5"; those of 1 to 4 are the audit's objectives.
    pub fn primary(&mut self, threshold: u32) {
        let t = f64::from(threshold);
        for i in 0..self.cells.len() {
            let c = &self.cells[i];
            if matches!(
                c.measure,
                Measure::Count | Measure::InQpv | Measure::OutsideQpv
            ) && below(c.value, t)
            {
                self.cells[i].secret = Some(Secret::Threshold);
                if protected(self.cells[i].value, t) {
                    self.objective(vec![(i, 1.0)], self.cells[i].measure, i);
                }
            }
        }
        for [old, known] in self.together.clone() {
            let (o, k) = (self.cells[old].value, self.cells[known].value);
            // Both the old and the others must be numerous enough, or a share of 0 % or 100 % tells ages.
            let hidden = below(k, t) || below(o, t) || below(k - o, t);
            if !hidden {
                continue;
            }
            self.cells[old].secret = Some(Secret::Threshold);
            self.cells[known].secret = Some(Secret::Threshold);
            if protected(k, t) {
                self.objective(vec![(known, 1.0)], Measure::GpKnownAge, known);
            }
            if protected(o, t) {
                self.objective(vec![(old, 1.0)], Measure::Gp60Plus, known);
            }
            if protected(k - o, t) {
                self.objective(vec![(known, 1.0), (old, -1.0)], Measure::GpUnder60, known);
            }
        }
    }

    fn objective(&mut self, terms: Vec<(usize, f64)>, measure: Measure, of: usize) {
        self.objectives.push(Objective {
            terms,
            measure,
            zone: self.cells[of].zone,
            profession: self.cells[of].profession.clone(),
        });
    }

    fn hide(&mut self, cell: usize) -> bool {
        if self.cells[cell].secret.is_some() {
            return false;
        }
        self.cells[cell].secret = Some(Secret::Secondary);
        true
    }

    /// Secondary secrecy: in a relation whose parts cover the total, a single hidden cell would be the total
    /// minus the others; another cell is hidden with it. Repeated until nothing changes,
    /// since relations share cells.
    pub fn secondary(&mut self) {
        loop {
            let mut changed = false;
            for pair in self.together.clone() {
                if pair.iter().any(|&c| self.cells[c].secret.is_some()) {
                    for c in pair {
                        changed |= self.hide(c);
                    }
                }
            }
            for r in 0..self.relations.len() {
                let rel = &self.relations[r];
                if !rel.covering {
                    continue;
                }
                let hidden: Vec<usize> = rel
                    .cells()
                    .filter(|&c| self.cells[c].secret.is_some())
                    .collect();
                if hidden.len() != 1 {
                    continue;
                }
                // The smallest other non-zero cell, a part before the total; a zero when nothing else is left
                // (a lone hidden cell among zeros is as readable as any).
                let total = rel.total;
                let candidate = rel
                    .cells()
                    .filter(|&c| self.cells[c].secret.is_none())
                    .min_by(|&a, &b| {
                        let key = |c: usize| (self.cells[c].value <= 0.0, c == total);
                        key(a)
                            .cmp(&key(b))
                            .then(self.cells[a].value.total_cmp(&self.cells[b].value))
                    });
                if let Some(c) = candidate {
                    changed |= self.hide(c);
                }
            }
            if !changed {
                break;
            }
        }
    }

    /// Hides one more cell next to an objective the audit found too narrow: the smallest shown cell of a
    /// relation that reaches it through hidden cells (what bounds it may be several relations away), in a
    /// covering relation and non-zero first.
    pub fn hide_neighbour(&mut self, objective: usize) -> bool {
        let mut reached: Vec<bool> = vec![false; self.cells.len()];
        let mut frontier: Vec<usize> = self.objectives[objective]
            .terms
            .iter()
            .map(|t| t.0)
            .collect();
        for &c in &frontier {
            reached[c] = true;
        }
        let mut near = Vec::new();
        while let Some(c) = frontier.pop() {
            for &i in &self.relations_of[c] {
                near.push(i);
                for x in self.relations[i].cells() {
                    if self.cells[x].secret.is_some() && !reached[x] {
                        reached[x] = true;
                        frontier.push(x);
                    }
                }
            }
        }
        let candidate = near
            .into_iter()
            .flat_map(|i| {
                let r = &self.relations[i];
                r.cells().map(move |c| (c, r.covering))
            })
            .filter(|&(c, _)| self.cells[c].secret.is_none())
            .min_by(|&(a, ca), &(b, cb)| {
                let key = |c: usize, covering: bool| (!covering, self.cells[c].value <= 0.0);
                key(a, ca)
                    .cmp(&key(b, cb))
                    .then(self.cells[a].value.total_cmp(&self.cells[b].value))
            });
        candidate.is_some_and(|(c, _)| self.hide(c))
    }

    /// Writes the secrecy back on the rows: a row is hidden when a cell it shows is, below the threshold if
    /// one of them is; a hidden row keeps no count.
    pub fn apply(&self, rows: &mut [IndicatorRow]) {
        for (r, cells) in rows.iter_mut().zip(&self.row_cells) {
            r.secret = cells.iter().filter_map(|&c| self.cells[c].secret).min();
            if r.secret.is_some() {
                r.value = None;
                r.numerator = None;
                // A population stays (it is published); a denominator that is a count does not.
                if matches!(r.indicator, Indicator::Gp60PlusShare | Indicator::QpvRatio) {
                    r.denominator = None;
                }
            }
        }
    }
}

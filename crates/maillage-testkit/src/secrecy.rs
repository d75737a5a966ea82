//! A reader trying to recover hidden cells of a published indicator table, to test statistical secrecy.

use maillage_indicators::{Indicator, IndicatorRow, Inputs};
use std::collections::{BTreeMap, BTreeSet};

/// What a reader recovers from published rows: every relation with one unknown cell, assumed to add up
/// exactly (the IRIS of a commune, the communes of an EPCI, the members of the territory are their total;
/// QPV + rest = commune), solved by subtraction, again and again with what was found. The QPV of a commune
/// do not make it up, and a reader knows it: they are left out. Returns the hidden cells recovered at their
/// true value.
pub fn attack(published: &[IndicatorRow], truth: &[IndicatorRow], inputs: &Inputs) -> Vec<String> {
    type Key = (String, String, String); // (what, zone code, profession)
    let key = |r: &IndicatorRow| -> Option<Key> {
        let what = match r.indicator {
            Indicator::Count => "effectif",
            Indicator::QpvPer10k => "qpv",
            Indicator::RestPer10k => "hors_qpv",
            _ => return None,
        };
        Some((what.into(), r.zone_code.clone(), r.profession.clone()))
    };
    let mut known: BTreeMap<Key, f64> = BTreeMap::new();
    let mut hidden: BTreeMap<Key, f64> = BTreeMap::new();
    for (p, t) in published.iter().zip(truth) {
        let Some(k) = key(p) else { continue };
        match p.numerator {
            Some(v) => known.insert(k, v),
            None => hidden.insert(k, t.numerator.unwrap()),
        };
    }
    let code = |id: i64| inputs.zones.iter().find(|z| z.id == id).unwrap();
    let mut relations: Vec<(Key, Vec<Key>)> = Vec::new();
    let professions: BTreeSet<String> = truth.iter().map(|r| r.profession.clone()).collect();
    for p in &professions {
        let mut groups: BTreeMap<(String, &str), Vec<Key>> = BTreeMap::new();
        for n in &inputs.nesting {
            let (inner, outer) = (code(n.inner), code(n.outer));
            if inner.kind == "qpv" {
                continue;
            }
            let class = if inner.kind == "epci" {
                "commune"
            } else {
                inner.kind.as_str()
            };
            groups
                .entry((outer.code.clone(), class))
                .or_default()
                .push(("effectif".into(), inner.code.clone(), p.clone()));
        }
        for ((outer, _), parts) in groups {
            relations.push((("effectif".into(), outer, p.clone()), parts));
        }
        for z in inputs.zones.iter().filter(|z| z.kind == "commune") {
            let k = |w: &str| (w.to_string(), z.code.clone(), p.clone());
            relations.push((k("effectif"), vec![k("qpv"), k("hors_qpv")]));
        }
    }
    let mut recovered = Vec::new();
    loop {
        let mut found = None;
        for (total, parts) in &relations {
            let cells: Vec<&Key> = std::iter::once(total).chain(parts).collect();
            if cells
                .iter()
                .any(|c| !known.contains_key(*c) && !hidden.contains_key(*c))
            {
                continue; // not a published relation
            }
            let unknown: Vec<&&Key> = cells.iter().filter(|c| !known.contains_key(**c)).collect();
            if unknown.len() != 1 {
                continue;
            }
            let u = (**unknown[0]).clone();
            let sum: f64 = parts.iter().filter(|p| **p != u).map(|p| known[p]).sum();
            let value = if &u == total { sum } else { known[total] - sum };
            found = Some((u, value));
            break;
        }
        let Some((u, value)) = found else { break };
        if (hidden[&u] - value).abs() < 1e-9 {
            recovered.push(format!("{u:?} = {value}"));
        }
        known.insert(u, value);
    }
    recovered
}

/// A small deterministic generator for random tables: a failing case is rebuilt from its seed.
pub struct Lcg(pub u64);

impl Lcg {
    /// A number in `0..n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

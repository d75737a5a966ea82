//! A reader trying to recover hidden cells of a published indicator table, to test statistical secrecy.

use maillage_indicators::ZoneKind;
use maillage_indicators::{Indicator, IndicatorRow, Inputs, Secret};
use std::collections::{BTreeMap, BTreeSet};

type Key = (String, String, String); // (what, zone code, profession)

/// What a reader of published rows sees: the counts shown, the counts hidden (with their true value, for the
/// test to check a finding, and whether they read "< 5"), and every relation assumed to add up exactly (the
/// IRIS of a commune, the communes of an EPCI, the members of the territory are their total; QPV + rest =
/// commune). The QPV of a commune do not make it up, and a reader knows it: they are left out.
struct Reader {
    known: BTreeMap<Key, f64>,
    /// True value, and whether the cell reads "< threshold" (a count below it) rather than "secret".
    hidden: BTreeMap<Key, (f64, bool)>,
    relations: Vec<(Key, Vec<Key>)>,
}

impl Reader {
    fn of(published: &[IndicatorRow], truth: &[IndicatorRow], inputs: &Inputs) -> Reader {
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
        let mut hidden: BTreeMap<Key, (f64, bool)> = BTreeMap::new();
        for (p, t) in published.iter().zip(truth) {
            let Some(k) = key(p) else { continue };
            match p.numerator {
                Some(v) => known.insert(k, v),
                None => hidden
                    .insert(
                        k,
                        (t.numerator.unwrap(), p.secret == Some(Secret::Threshold)),
                    )
                    .map(|h| h.0),
            };
        }
        let code = |id: i64| inputs.zones.iter().find(|z| z.id == id).unwrap();
        let mut relations: Vec<(Key, Vec<Key>)> = Vec::new();
        let professions: BTreeSet<String> = truth.iter().map(|r| r.profession.clone()).collect();
        for p in &professions {
            let mut groups: BTreeMap<(String, &str), Vec<Key>> = BTreeMap::new();
            for n in &inputs.nesting {
                let (inner, outer) = (code(n.inner), code(n.outer));
                if ZoneKind::Qpv.is(&inner.kind) {
                    continue;
                }
                let class = if ZoneKind::Epci.is(&inner.kind) {
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
            for z in inputs
                .zones
                .iter()
                .filter(|z| ZoneKind::Commune.is(&z.kind))
            {
                let k = |w: &str| (w.to_string(), z.code.clone(), p.clone());
                relations.push((k("effectif"), vec![k("qpv"), k("hors_qpv")]));
            }
        }
        // Only the relations whose every cell is published, shown or hidden.
        relations.retain(|(total, parts)| {
            std::iter::once(total)
                .chain(parts)
                .all(|c| known.contains_key(c) || hidden.contains_key(c))
        });
        Reader {
            known,
            hidden,
            relations,
        }
    }
}

/// What a reader recovers from published rows: every relation with one unknown cell, solved by subtraction,
/// again and again with what was found. Returns the hidden cells recovered at their true value.
pub fn attack(published: &[IndicatorRow], truth: &[IndicatorRow], inputs: &Inputs) -> Vec<String> {
    let Reader {
        mut known,
        hidden,
        relations,
    } = Reader::of(published, truth, inputs);
    let mut recovered = Vec::new();
    loop {
        let mut found = None;
        for (total, parts) in &relations {
            let cells: Vec<&Key> = std::iter::once(total).chain(parts).collect();
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
        if (hidden[&u].0 - value).abs() < 1e-9 {
            recovered.push(format!("{u:?} = {value}"));
        }
        known.insert(u, value);
    }
    recovered
}

/// What a reader narrows without recovering it: each hidden count is bounded by what its mark says — a
/// "< 5" lies in 0..=4, or in 1..=4 as soon as one count of 0 is published (a zero would then have been
/// shown), a "secret" is any count — and by the relations, whose bounds are carried from cell to cell until
/// nothing moves (knowing, as the audit assumes, which relations add up exactly). Returns the counts of 1 to threshold − 1 whose interval no longer reaches from 0 to
/// threshold − 1 (that is, narrower than their mark alone) while holding their true value.
pub fn narrow(
    published: &[IndicatorRow],
    truth: &[IndicatorRow],
    inputs: &Inputs,
    threshold: u32,
) -> Vec<String> {
    let reader = Reader::of(published, truth, inputs);
    let top = f64::from(threshold) - 1.0;
    let zeros_published = reader.known.values().any(|&v| v == 0.0);
    let floor = if zeros_published { 1.0 } else { 0.0 };
    let mut bounds: BTreeMap<&Key, (f64, f64)> = BTreeMap::new();
    for (k, &v) in &reader.known {
        bounds.insert(k, (v, v));
    }
    for (k, &(_, below)) in &reader.hidden {
        bounds.insert(
            k,
            if below {
                (floor, top)
            } else {
                (0.0, f64::INFINITY)
            },
        );
    }
    // Whether each relation adds up exactly, has parts that count someone twice (Σ parts ≥ total) or does not
    // cover its total (Σ parts ≤ total): a reader may know which, as the audit assumes, not by how much.
    let truth_of = |k: &Key| {
        reader
            .known
            .get(k)
            .copied()
            .unwrap_or_else(|| reader.hidden[k].0)
    };
    let kinds: Vec<std::cmp::Ordering> = reader
        .relations
        .iter()
        .map(|(total, parts)| {
            let sum: f64 = parts.iter().map(truth_of).sum();
            sum.total_cmp(&truth_of(total))
        })
        .collect();
    // Interval arithmetic over the relations until a fixed point (bounds only ever tighten; capped rounds).
    for _ in 0..100 {
        let mut moved = false;
        for ((total, parts), &kind) in reader.relations.iter().zip(&kinds) {
            use std::cmp::Ordering::{Greater, Less};
            let sum = |skip: Option<usize>| {
                parts
                    .iter()
                    .enumerate()
                    .filter(|&(j, _)| Some(j) != skip)
                    .fold((0.0, 0.0), |(l, h), (_, p)| {
                        (l + bounds[p].0, h + bounds[p].1)
                    })
            };
            let (tl, th) = bounds[total];
            let mut updates = Vec::new();
            let (sl, sh) = sum(None);
            // total = Σ parts: below Σ parts when they overlap, above it when they do not cover it.
            let low = if kind == Greater { 0.0 } else { sl };
            let high = if kind == Less { f64::INFINITY } else { sh };
            updates.push((total, low, high));
            for (i, p) in parts.iter().enumerate() {
                let (ol, oh) = sum(Some(i));
                let low = if kind == Less { 0.0 } else { tl - oh };
                let high = if kind == Greater { th } else { th - ol };
                updates.push((p, low, high.min(th)));
            }
            for (c, lo, hi) in updates {
                let b = bounds.get_mut(c).unwrap();
                let tightened = (b.0.max(lo), b.1.min(hi));
                if tightened.0 > b.0 + 1e-9 || tightened.1 < b.1 - 1e-9 {
                    *b = tightened;
                    moved = true;
                }
            }
        }
        if !moved {
            break;
        }
    }
    reader
        .hidden
        .iter()
        .filter(|&(_, &(value, below))| below && value > 0.0)
        .filter_map(|(k, &(value, _))| {
            let (lo, hi) = bounds[k];
            let narrowed = lo > 1e-9 || hi < top - 1e-9;
            let holds = lo - 1e-9 <= value && value <= hi + 1e-9;
            (narrowed && holds).then(|| format!("{k:?} in {lo}..={hi}"))
        })
        .collect()
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

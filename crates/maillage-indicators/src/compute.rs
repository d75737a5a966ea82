//! Counting and densities.

use crate::ZoneKind;
use crate::professions::{GP, PROFESSIONS};
use crate::secrecy::Secret;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};

#[derive(Debug, Clone)]
pub struct ZoneInput {
    pub id: i64,
    /// `commune`, `arrondissement`, `iris`, `quartier`, `qpv`, `epci`, `territoire`...
    pub kind: String,
    pub code: String,
    pub name: String,
    /// The commune of an IRIS, quartier or QPV.
    pub parent_code: Option<String>,
    pub population: Option<f64>,
    pub population_vintage: Option<i64>,
    /// A commune of the buffer around the territory, listed for the EPCI it belongs to.
    pub buffer: bool,
}

/// One place where supply is: a site where a professional practises a profession (a professional with two
/// sites gives two), or an establishment (for pharmacies), with every zone the place lies in.
#[derive(Debug, Clone)]
pub struct Supply {
    /// National identifier of the professional, or FINESS number of the establishment.
    pub who: String,
    pub profession: String,
    pub zones: BTreeSet<i64>,
    pub birth_year: Option<i64>,
}

/// A zone lying wholly inside another: an IRIS in its commune (or arrondissement) and in its quartier, a
/// commune in its EPCI, an EPCI or a commune in the territory. Supply counts in every zone containing its
/// place, transitively — this is how an EPCI or the territory, which no place is located in, gets the sum of
/// its members — and statistical secrecy follows these relations, since a reader can add parts up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Nesting {
    pub inner: i64,
    pub outer: i64,
}

#[derive(Debug, Clone)]
pub struct Inputs {
    pub zones: Vec<ZoneInput>,
    pub nesting: Vec<Nesting>,
    pub supply: Vec<Supply>,
    /// The year ages are computed for (the current year).
    pub reference_year: i64,
    /// Départements and France, counted nationally by the imports (see [`ReferenceZone`]).
    pub references: Vec<ReferenceZone>,
}

/// A zone whose professionals were counted while the national files streamed (a département, France): its
/// counts come ready, per profession, and go through the same densities as the territory's zones.
#[derive(Debug, Clone)]
pub struct ReferenceZone {
    /// Its kind (`departement`, `france`), code, name and population; `id` matches no stored zone.
    pub zone: ZoneInput,
    /// Profession code → count. A profession without a count (its source not imported) gets no row.
    pub counts: BTreeMap<String, f64>,
}

maillage_kit::coded! {
    /// An indicator of the observatory; its code names it in every output (tables, exports, API, CLI).
    pub enum Indicator {
        /// Professionals practising in the zone (each counted once however many sites).
        Count => "effectif",
        Per10k => "densite_10000",
        Per100k => "densite_100000",
        /// Density per 10,000 in the QPV of a commune (all of them together).
        QpvPer10k => "densite_qpv_10000",
        /// Density per 10,000 in the rest of the commune.
        RestPer10k => "densite_hors_qpv_10000",
        /// QPV density divided by the density of the rest of the commune.
        QpvRatio => "ratio_qpv_hors_qpv",
        /// Share (%) of GPs aged 60 and over among those whose age the commune knows.
        Gp60PlusShare => "part_mg_60_ans_et_plus",
    }
}

impl Indicator {
    /// Every indicator, in the order tables list them.
    pub const ALL: &'static [Indicator] = <Indicator as maillage_kit::codes::Coded>::ALL;

    /// The stable code of the indicator.
    pub fn code(self) -> &'static str {
        maillage_kit::codes::Coded::code(self)
    }

    pub fn unit(self) -> &'static str {
        match self {
            Indicator::Count => "professionnels",
            Indicator::Per10k | Indicator::QpvPer10k | Indicator::RestPer10k => {
                "pour 10 000 habitants"
            }
            Indicator::Per100k => "pour 100 000 habitants",
            Indicator::QpvRatio => "ratio",
            Indicator::Gp60PlusShare => "%",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndicatorRow {
    pub indicator: Indicator,
    pub zone_kind: String,
    pub zone_code: String,
    pub zone_name: String,
    /// The commune of an IRIS, quartier or QPV.
    pub zone_parent: Option<String>,
    pub profession: String,
    /// None when it cannot be computed (no population, no GP of known age, no supply in the rest...).
    pub value: Option<f64>,
    pub numerator: Option<f64>,
    pub denominator: Option<f64>,
    pub population_vintage: Option<i64>,
    /// A commune of the buffer, not of the territory itself.
    pub buffer: bool,
    /// Hidden by statistical secrecy, and why: see [`Secret`] for how it reads.
    pub secret: Option<Secret>,
}

/// The zones a place lies in, with every zone containing them (transitively).
fn enclosing(zones: &BTreeSet<i64>, nesting: &[Nesting]) -> BTreeSet<i64> {
    let mut all = zones.clone();
    let mut frontier: Vec<i64> = zones.iter().copied().collect();
    while let Some(z) = frontier.pop() {
        for n in nesting.iter().filter(|n| n.inner == z) {
            if all.insert(n.outer) {
                frontier.push(n.outer);
            }
        }
    }
    all
}

impl IndicatorRow {
    /// `territoire`, or `tampon` for a commune of the buffer (the `perimetre` of outputs).
    pub fn perimeter(&self) -> &'static str {
        if self.buffer { "tampon" } else { "territoire" }
    }
}

fn ratio(n: f64, d: Option<f64>, scale: f64) -> Option<f64> {
    d.filter(|d| *d > 0.0).map(|d| n / d * scale)
}

/// Computes every indicator for every zone and profession. Rows come out ordered by indicator, zone kind, zone
/// code and profession (in the order of [`PROFESSIONS`]).
pub fn compute(inputs: &Inputs) -> Vec<IndicatorRow> {
    let supply: Vec<Supply> = inputs
        .supply
        .iter()
        .map(|s| Supply {
            zones: enclosing(&s.zones, &inputs.nesting),
            ..s.clone()
        })
        .collect();
    // who practises each profession in each zone
    let mut present: HashMap<(i64, &str), BTreeSet<&str>> = HashMap::new();
    for s in &supply {
        for z in &s.zones {
            present
                .entry((*z, s.profession.as_str()))
                .or_default()
                .insert(s.who.as_str());
        }
    }
    let count = |zone: i64, profession: &str| {
        present.get(&(zone, profession)).map_or(0, BTreeSet::len) as f64
    };

    let mut rows = Vec::new();
    let row =
        |indicator, z: &ZoneInput, profession: &str, value, numerator, denominator| IndicatorRow {
            indicator,
            zone_kind: z.kind.clone(),
            zone_code: z.code.clone(),
            zone_name: z.name.clone(),
            zone_parent: z.parent_code.clone(),
            profession: profession.to_string(),
            value,
            numerator,
            denominator,
            population_vintage: z.population_vintage,
            buffer: z.buffer,
            secret: None,
        };
    for z in &inputs.zones {
        for p in PROFESSIONS {
            let n = count(z.id, p.code);
            rows.push(row(Indicator::Count, z, p.code, Some(n), Some(n), None));
            rows.push(row(
                Indicator::Per10k,
                z,
                p.code,
                ratio(n, z.population, 1e4),
                Some(n),
                z.population,
            ));
            rows.push(row(
                Indicator::Per100k,
                z,
                p.code,
                ratio(n, z.population, 1e5),
                Some(n),
                z.population,
            ));
        }
    }

    // Reference zones (départements, France): pre-counted, then the same count and densities.
    for r in &inputs.references {
        for p in PROFESSIONS {
            let Some(&n) = r.counts.get(p.code) else {
                continue;
            };
            let z = &r.zone;
            rows.push(row(Indicator::Count, z, p.code, Some(n), Some(n), None));
            for (indicator, scale) in [(Indicator::Per10k, 1e4), (Indicator::Per100k, 1e5)] {
                let value = ratio(n, z.population, scale);
                rows.push(row(indicator, z, p.code, value, Some(n), z.population));
            }
        }
    }

    // QPV against the rest of their commune.
    let mut qpv_of_commune: BTreeMap<&str, Vec<&ZoneInput>> = BTreeMap::new();
    for z in inputs.zones.iter().filter(|z| ZoneKind::Qpv.is(&z.kind)) {
        if let Some(c) = &z.parent_code {
            qpv_of_commune.entry(c.as_str()).or_default().push(z);
        }
    }
    for commune in inputs
        .zones
        .iter()
        .filter(|z| ZoneKind::Commune.is(&z.kind))
    {
        let Some(qpvs) = qpv_of_commune.get(commune.code.as_str()) else {
            continue;
        };
        let qpv_ids: BTreeSet<i64> = qpvs.iter().map(|q| q.id).collect();
        let qpv_pop: Option<f64> = qpvs.iter().map(|q| q.population).sum();
        let rest_pop = match (commune.population, qpv_pop) {
            (Some(c), Some(q)) => Some(c - q),
            _ => None,
        };
        for p in PROFESSIONS {
            let mut in_qpv = BTreeSet::new();
            let mut in_rest = BTreeSet::new();
            for s in supply
                .iter()
                .filter(|s| s.profession == p.code && s.zones.contains(&commune.id))
            {
                if s.zones.iter().any(|z| qpv_ids.contains(z)) {
                    in_qpv.insert(s.who.as_str());
                } else {
                    in_rest.insert(s.who.as_str());
                }
            }
            let nq = in_qpv.len() as f64;
            let nr = in_rest.len() as f64;
            let dq = ratio(nq, qpv_pop, 1e4);
            let dr = ratio(nr, rest_pop, 1e4);
            rows.push(row(
                Indicator::QpvPer10k,
                commune,
                p.code,
                dq,
                Some(nq),
                qpv_pop,
            ));
            rows.push(row(
                Indicator::RestPer10k,
                commune,
                p.code,
                dr,
                Some(nr),
                rest_pop,
            ));
            let r = match (dq, dr) {
                (Some(q), Some(r)) if r > 0.0 => Some(q / r),
                _ => None,
            };
            rows.push(row(Indicator::QpvRatio, commune, p.code, r, dq, dr));
        }
    }

    // Ageing of GPs, where the local enrichment knows ages.
    for z in &inputs.zones {
        let mut known = BTreeSet::new();
        let mut old = BTreeSet::new();
        for s in supply
            .iter()
            .filter(|s| s.profession == GP && s.zones.contains(&z.id))
        {
            if let Some(y) = s.birth_year {
                known.insert(s.who.as_str());
                if inputs.reference_year - y >= 60 {
                    old.insert(s.who.as_str());
                }
            }
        }
        let k = known.len() as f64;
        let o = old.len() as f64;
        rows.push(row(
            Indicator::Gp60PlusShare,
            z,
            GP,
            ratio(o, Some(k), 100.0),
            Some(o),
            Some(k),
        ));
    }
    rows.sort_by(|a, b| {
        let pa = PROFESSIONS.iter().position(|p| p.code == a.profession);
        let pb = PROFESSIONS.iter().position(|p| p.code == b.profession);
        (a.indicator, &a.zone_kind, &a.zone_code, pa).cmp(&(
            b.indicator,
            &b.zone_kind,
            &b.zone_code,
            pb,
        ))
    });
    rows
}

/// Whether rows of this zone kind are reference figures (`departement`, `france`, see [`ReferenceZone`]).
pub fn is_reference_zone(zone_kind: &str) -> bool {
    matches!(zone_kind, "departement" | "france")
}

#[cfg(test)]
mod tests {
    use super::Indicator;

    /// Its method is worded in `maillage_messages::indicators::method`, which checks every one has one.
    #[test]
    fn every_indicator_has_a_sound_code() {
        assert_eq!(maillage_kit::codes::check::<Indicator>(None), Ok(()));
    }
}

//! What the observatory's indicators are computed from: zones with their population, and every place where
//! supply is, with the zones it lies in.

use crate::zones::{self, ZoneKind};
use crate::{Result, Store, batch};
use maillage_indicators::professions::PHARMACY;
use maillage_indicators::{Inputs, Nesting, Supply, ZoneInput};
use sqlx::Row;
use std::collections::{BTreeMap, BTreeSet};

/// FINESS category of pharmacies (officines).
pub const PHARMACY_CATEGORY: &str = "620";

/// The zones indicators are shown for: communes and what subdivides them, QPV and EPCI.
const OBSERVED: &[ZoneKind] = &[
    ZoneKind::Epci,
    ZoneKind::Commune,
    ZoneKind::Arrondissement,
    ZoneKind::Iris,
    ZoneKind::Quartier,
    ZoneKind::Qpv,
];

pub async fn indicator_inputs(store: &Store) -> Result<Inputs> {
    let (zones, nesting) = observed_zones(store).await?;
    /// (professional, site, profession) → (zones of the site, birth year).
    type Practice = (String, String, String);
    type PracticePlace = (BTreeSet<i64>, Option<i64>);
    let mut places: BTreeMap<Practice, PracticePlace> = BTreeMap::new();
    // Which GPs count as first recourse is decided here, from the stored mode and sector (the rule in force).
    use crate::supply::{COUNTABLE_ACTIVITY, RULE_COLUMNS, counted_profession};
    let rule = crate::supply::gp_rule(store).await?;
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT a.national_id, a.site_key, {RULE_COLUMNS}, l.zone_id, e.birth_year
         FROM activity a
         JOIN practice_site s ON s.site_key = a.site_key AND s.removed_batch_id IS NULL
         LEFT JOIN location_zone l ON l.subject_kind = 'site' AND l.subject_key = a.site_key
         LEFT JOIN local_enrichment e ON e.subject_kind = 'professionnel' AND e.subject_key = a.national_id
         WHERE a.removed_batch_id IS NULL AND {COUNTABLE_ACTIVITY}"
    )))
    .fetch_all(store.pool())
    .await?;
    for r in rows {
        let Some(profession) = counted_profession(&rule, &r)? else {
            continue;
        };
        let key = (
            r.try_get("national_id")?,
            r.try_get("site_key")?,
            profession,
        );
        let e = places
            .entry(key)
            .or_insert((BTreeSet::new(), r.try_get("birth_year")?));
        e.0.extend(r.try_get::<Option<i64>, _>("zone_id")?);
    }
    let rows = sqlx::query(
        "SELECT f.finess_et, l.zone_id FROM establishment f
         LEFT JOIN location_zone l ON l.subject_kind = 'etablissement' AND l.subject_key = f.finess_et
         WHERE f.removed_batch_id IS NULL AND f.category_code = $1",
    )
    .bind(PHARMACY_CATEGORY)
    .fetch_all(store.pool())
    .await?;
    for r in rows {
        let finess: String = r.try_get("finess_et")?;
        let e = places
            .entry((finess.clone(), finess, PHARMACY.to_string()))
            .or_insert((BTreeSet::new(), None));
        e.0.extend(r.try_get::<Option<i64>, _>("zone_id")?);
    }
    let supply = places
        .into_iter()
        .map(|((who, _, profession), (zones, birth_year))| Supply {
            who,
            profession,
            zones,
            birth_year,
        })
        .collect();
    let references = reference_zones(store, &zones).await?;
    Ok(Inputs {
        zones,
        nesting,
        supply,
        reference_year: jiff::Zoned::now().year() as i64,
        references,
    })
}

/// The id of the territory as a whole, which is no zone of the store (nor a reference zone: those count down
/// from -1).
pub const TERRITORY_ZONE_ID: i64 = i64::MIN;

/// The territory's zones with their population, and how they nest. An EPCI is listed when it holds a commune
/// of the territory and every member is a commune of the territory or of its buffer (whose supply is imported
/// too): with those buffer communes, labelled as such. The territory as a whole is listed when it has several
/// communes and is not one EPCI. EPCI and territory have the population of their communes added up, so that
/// they are the sum of their members by the same method (the EPCI file's own population would not be).
async fn observed_zones(store: &Store) -> Result<(Vec<ZoneInput>, Vec<Nesting>)> {
    use crate::territory::Scope;
    let filter = crate::territory::filter(store).await?;
    let all = zones::list(store).await?;
    let input = |z: &zones::Zone, buffer: bool| ZoneInput {
        id: z.id,
        kind: z.kind.as_str().to_string(),
        code: z.code.clone(),
        name: z.name.clone(),
        parent_code: z.parent_code.clone(),
        population: z.population.as_ref().map(|p| p.value),
        population_vintage: z.population.as_ref().map(|p| p.vintage),
        buffer,
    };
    // The territory's own zones; the buffer is there for accessibility, and for the EPCI it shares.
    let mut zones: Vec<ZoneInput> = all
        .iter()
        .filter(|z| OBSERVED.contains(&z.kind) && z.kind != ZoneKind::Epci)
        .filter(|z| {
            z.commune()
                .is_some_and(|c| filter.scope(c) == Scope::Territory)
        })
        .map(|z| input(z, false))
        .collect();
    let buffer: Vec<ZoneInput> = all
        .iter()
        .filter(|z| z.kind == ZoneKind::Commune && filter.scope(&z.code) == Scope::Buffer)
        .map(|z| input(z, true))
        .collect();
    let communes: Vec<&ZoneInput> = zones
        .iter()
        .filter(|z| ZoneKind::Commune.is(&z.kind))
        .collect();
    let id_of: BTreeMap<(&str, &str), i64> = zones
        .iter()
        .map(|z| ((z.kind.as_str(), z.code.as_str()), z.id))
        .collect();
    let mut nesting = Vec::new();
    let mut epcis = Vec::new();
    let mut listed_buffer = BTreeSet::new();
    // Territory communes in an EPCI that lies wholly in the territory.
    let mut in_inner_epci = BTreeSet::new();
    for e in all.iter().filter(|z| z.kind == ZoneKind::Epci) {
        let members = crate::territory::members_of(e, &all);
        let own: Vec<&ZoneInput> = communes
            .iter()
            .copied()
            .filter(|c| members.contains(&c.code))
            .collect();
        let near: Vec<&ZoneInput> = buffer
            .iter()
            .filter(|c| members.contains(&c.code))
            .collect();
        if own.is_empty() || own.len() + near.len() != members.len() {
            continue;
        }
        let mut z = input(e, false);
        (z.population, z.population_vintage) = added_up(own.iter().chain(&near).copied());
        for c in own.iter().chain(&near) {
            nesting.push(Nesting {
                inner: c.id,
                outer: z.id,
            });
        }
        if near.is_empty() {
            in_inner_epci.extend(own.iter().map(|c| c.id));
        }
        listed_buffer.extend(near.iter().map(|c| c.id));
        epcis.push(z);
    }
    let one_epci = epcis.len() == 1 && in_inner_epci.len() == communes.len();
    let mut whole = None;
    if communes.len() > 1 && !one_epci {
        let territory = crate::territory::load(store).await?;
        let (population, population_vintage) = added_up(communes.iter().copied());
        for c in communes.iter().filter(|c| !in_inner_epci.contains(&c.id)) {
            nesting.push(Nesting {
                inner: c.id,
                outer: TERRITORY_ZONE_ID,
            });
        }
        for e in &epcis {
            if nesting
                .iter()
                .any(|n| n.outer == e.id && in_inner_epci.contains(&n.inner))
            {
                nesting.push(Nesting {
                    inner: e.id,
                    outer: TERRITORY_ZONE_ID,
                });
            }
        }
        whole = Some(ZoneInput {
            id: TERRITORY_ZONE_ID,
            kind: "territoire".into(),
            code: "territoire".into(),
            name: territory.name.unwrap_or_else(|| "Territoire".into()),
            parent_code: None,
            population,
            population_vintage,
            buffer: false,
        });
    }
    // IRIS, quartiers, QPV and arrondissements in their commune (an IRIS of Paris, Lyon or Marseille in its
    // arrondissement); IRIS in the quartiers made of them.
    for z in &zones {
        let outer = z.parent_code.as_deref().and_then(|p| {
            let parents: &[&str] = match z.kind.as_str() {
                "iris" => &["arrondissement", "commune"],
                "quartier" | "qpv" | "arrondissement" => &["commune"],
                _ => &[],
            };
            parents.iter().find_map(|k| id_of.get(&(*k, p)).copied())
        });
        if let Some(outer) = outer {
            nesting.push(Nesting { inner: z.id, outer });
        }
    }
    for (quartier, iris) in crate::exports::quartier_iris(store).await? {
        for code in iris {
            if let Some(&inner) = id_of.get(&("iris", code.as_str())) {
                nesting.push(Nesting {
                    inner,
                    outer: quartier,
                });
            }
        }
    }
    zones.extend(buffer.into_iter().filter(|c| listed_buffer.contains(&c.id)));
    zones.extend(epcis);
    zones.extend(whole);
    Ok((zones, nesting))
}

/// The population of a group of communes: their sum, when each has one, of the latest vintage among them.
fn added_up<'a>(communes: impl Iterator<Item = &'a ZoneInput>) -> (Option<f64>, Option<i64>) {
    let mut total = Some(0.0);
    let mut vintage = None;
    for c in communes {
        total = total.zip(c.population).map(|(t, p)| t + p);
        vintage = vintage.max(c.population_vintage);
    }
    (total, vintage)
}

/// The départements of the territory's communes and France, counted nationally (see [`crate::reference`]).
/// Other départements are left out, as the communes and EPCI outside the territory are. A département the
/// territory covers whole is left out too: its count would be the territory's total, which secrecy may hide.
async fn reference_zones(
    store: &Store,
    zones: &[ZoneInput],
) -> Result<Vec<maillage_indicators::ReferenceZone>> {
    let departement_of = crate::reference::commune_departements(store).await?;
    let mut covered: BTreeMap<&str, f64> = BTreeMap::new();
    for z in zones
        .iter()
        .filter(|z| z.kind == ZoneKind::Commune.as_str() && !z.buffer)
    {
        if let Some(d) = departement_of.get(&z.code) {
            *covered.entry(d.as_str()).or_default() += z.population.unwrap_or(0.0);
        }
    }
    let departements: Vec<&str> = covered.keys().copied().collect();
    let mut references = crate::reference::indicator_zones(store, &departements).await?;
    references.retain(|r| {
        r.zone.kind != crate::reference::Level::Departement.as_str()
            || r.zone
                .population
                .is_none_or(|p| covered.get(r.zone.code.as_str()).is_none_or(|c| *c < p))
    });
    Ok(references)
}

/// What every figure's method adds about this base (worded by `maillage_messages::indicators::method_context`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MethodContext {
    /// Which GPs count as first recourse: the rule in force.
    pub rule: maillage_indicators::professions::GpRule,
    /// How many places were located by their address or by their commune code alone.
    pub placement: maillage_indicators::professions::Placement,
}

/// Which GPs count as first recourse and how places were located, for the method of every figure.
pub async fn method_context(store: &Store) -> Result<MethodContext> {
    Ok(MethodContext {
        rule: crate::supply::gp_rule(store).await?,
        placement: crate::locations::placement(store).await?,
    })
}

/// The batches the figures rest on: the latest import of each kind.
pub async fn sources(store: &Store) -> Result<Vec<batch::Batch>> {
    let mut latest: BTreeMap<String, batch::Batch> = BTreeMap::new();
    for b in batch::list(store).await? {
        latest.entry(b.kind.clone()).or_insert(b);
    }
    Ok(latest.into_values().collect())
}

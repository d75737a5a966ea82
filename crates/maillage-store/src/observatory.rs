//! What the observatory's indicators are computed from: zones with their population, and every place where
//! supply is, with the zones it lies in.

use crate::zones::{self, ZoneKind};
use crate::{Result, Store, batch};
use maillage_indicators::professions::PHARMACY;
use maillage_indicators::{Inputs, Supply, ZoneInput};
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
    let territory = crate::territory::filter(store).await?;
    let zones: Vec<ZoneInput> = zones::list(store)
        .await?
        .into_iter()
        .filter(|z| OBSERVED.contains(&z.kind))
        // Only the territory's own zones: the buffer is there for accessibility, not for reporting.
        .filter(|z| {
            let commune = match z.kind {
                ZoneKind::Commune | ZoneKind::Arrondissement => Some(z.code.as_str()),
                ZoneKind::Epci => None,
                _ => z.parent_code.as_deref(),
            };
            commune.is_none_or(|c| territory.scope(c) == crate::territory::Scope::Territory)
        })
        .map(|z| ZoneInput {
            id: z.id,
            kind: z.kind.as_str().to_string(),
            code: z.code,
            name: z.name,
            parent_code: z.parent_code,
            population: z.population.as_ref().map(|p| p.value),
            population_vintage: z.population.as_ref().map(|p| p.vintage),
        })
        .collect();

    /// (professional, site, profession) → (zones of the site, birth year).
    type Practice = (String, String, String);
    type PracticePlace = (BTreeSet<i64>, Option<i64>);
    let mut places: BTreeMap<Practice, PracticePlace> = BTreeMap::new();
    let rows = sqlx::query(
        "SELECT a.national_id, a.site_key, a.profession, l.zone_id, e.birth_year
         FROM activity a
         JOIN practice_site s ON s.site_key = a.site_key AND s.removed_batch_id IS NULL
         LEFT JOIN location_zone l ON l.subject_kind = 'site' AND l.subject_key = a.site_key
         LEFT JOIN local_enrichment e ON e.subject_kind = 'professionnel' AND e.subject_key = a.national_id
         WHERE a.removed_batch_id IS NULL AND a.profession IS NOT NULL",
    )
    .fetch_all(store.pool())
    .await?;
    for r in rows {
        let key = (
            r.try_get("national_id")?,
            r.try_get("site_key")?,
            r.try_get("profession")?,
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
        supply,
        reference_year: jiff::Zoned::now().year() as i64,
        references,
    })
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
        .filter(|z| z.kind == ZoneKind::Commune.as_str())
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

/// The batches the figures rest on: the latest import of each kind.
pub async fn sources(store: &Store) -> Result<Vec<batch::Batch>> {
    let mut latest: BTreeMap<String, batch::Batch> = BTreeMap::new();
    for b in batch::list(store).await? {
        latest.entry(b.kind.clone()).or_insert(b);
    }
    Ok(latest.into_values().collect())
}

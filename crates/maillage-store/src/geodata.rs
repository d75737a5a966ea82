//! What maps and zone pages draw: zone contours as stored (GeoJSON text, forwarded as is), practice sites and
//! establishments as points, where each lies, how practice sites were geocoded, and a data version that changes
//! whenever anything figures are computed from changes (so the web layer can cache computed indicators).

use crate::{Result, Store};
use serde::Serialize;
use sqlx::{AssertSqlSafe, Row};
use std::collections::BTreeMap;

/// A token that changes whenever imported data, local enrichment, accessibility results, isochrones or the
/// territory change. Equal tokens mean the figures computed from the store are still valid.
///
/// Imports always add a batch (atomically with their data), enrichment updates move `updated_at` or the row
/// count, accessibility runs and isochrones get new ids, the territory is one setting.
pub async fn data_version(store: &Store) -> Result<String> {
    let r = sqlx::query(
        "SELECT (SELECT COUNT(*) FROM import_batch) AS batches,
                (SELECT MAX(id) FROM import_batch) AS last_batch,
                (SELECT COUNT(*) FROM local_enrichment) AS enriched,
                (SELECT MAX(updated_at) FROM local_enrichment) AS enrichment,
                (SELECT MAX(id) FROM accessibility_run) AS last_run,
                (SELECT COUNT(*) FROM isochrone) AS isochrones,
                (SELECT MAX(id) FROM isochrone) AS last_isochrone,
                (SELECT value FROM setting WHERE key = 'territoire') AS territory",
    )
    .fetch_one(store.pool())
    .await?;
    let batches: i64 = r.try_get("batches")?;
    let last_batch: Option<i64> = r.try_get("last_batch")?;
    let enriched: i64 = r.try_get("enriched")?;
    let enrichment: Option<String> = r.try_get("enrichment")?;
    let last_run: Option<i64> = r.try_get("last_run")?;
    let isochrones: i64 = r.try_get("isochrones")?;
    let last_isochrone: Option<i64> = r.try_get("last_isochrone")?;
    let territory: Option<String> = r.try_get("territory")?;
    Ok(format!(
        "{batches}/{}/{enriched}/{}/{}/{isochrones}/{}/{}",
        last_batch.unwrap_or(0),
        enrichment.unwrap_or_default(),
        last_run.unwrap_or(0),
        last_isochrone.unwrap_or(0),
        crate::codec::row_hash([territory.as_deref()]),
    ))
}

/// The contour of a zone in force, as stored (a GeoJSON geometry in WGS84).
#[derive(Debug, Clone, Serialize)]
pub struct ZoneShape {
    pub zone_id: i64,
    pub kind: String,
    pub code: String,
    pub geojson: String,
    pub centroid: (f64, f64),
    /// min lon, min lat, max lon, max lat.
    pub bbox: [f64; 4],
}

/// The contours of the zones in force of one kind (`iris`, `commune`, `qpv`...), ordered by code.
pub async fn zone_shapes(store: &Store, kind: &str) -> Result<Vec<ZoneShape>> {
    let rows = sqlx::query(
        "SELECT z.id, z.kind, z.code, g.geojson, g.centroid_lon, g.centroid_lat, g.min_lon, g.min_lat, g.max_lon,
                g.max_lat
         FROM zone z JOIN zone_geometry g ON g.zone_id = z.id
         WHERE z.removed_batch_id IS NULL AND z.kind = $1 ORDER BY z.code",
    )
    .bind(kind)
    .fetch_all(store.pool())
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        out.push(ZoneShape {
            zone_id: r.try_get("id")?,
            kind: r.try_get("kind")?,
            code: r.try_get("code")?,
            geojson: r.try_get("geojson")?,
            centroid: (r.try_get("centroid_lon")?, r.try_get("centroid_lat")?),
            bbox: [
                r.try_get("min_lon")?,
                r.try_get("min_lat")?,
                r.try_get("max_lon")?,
                r.try_get("max_lat")?,
            ],
        });
    }
    Ok(out)
}

/// One professional practising a followed profession at a site.
#[derive(Debug, Clone, Serialize)]
pub struct SiteActivity {
    pub national_id: String,
    pub civility: Option<String>,
    pub last_name: String,
    pub first_name: Option<String>,
    /// Maillage profession code (`medecin_generaliste`...).
    pub profession: String,
}

/// A practice site in force where at least one followed profession is practised.
#[derive(Debug, Clone, Serialize)]
pub struct SitePoint {
    pub site_key: String,
    pub name: Option<String>,
    /// WGS84 (lon, lat) when the site could be placed.
    pub position: Option<(f64, f64)>,
    pub commune_code: Option<String>,
    /// How the position was found: `finess`, `exact_number`, `near_number`, `street_only`, `demonstration`...
    pub geocode_quality: Option<String>,
    pub activities: Vec<SiteActivity>,
}

/// Every practice site in force with its activities in force (followed professions only), ordered by site key;
/// activities by profession then name.
pub async fn site_points(store: &Store) -> Result<Vec<SitePoint>> {
    use crate::supply::{COUNTABLE_ACTIVITY, RULE_COLUMNS, counted_profession};
    let rule = crate::supply::gp_rule(store).await?;
    let rows = sqlx::query(AssertSqlSafe(format!(
        "SELECT s.site_key, s.name, s.lon, s.lat, s.commune_code, s.geocode_quality, {RULE_COLUMNS},
                p.national_id, p.civility, p.last_name, p.first_name
         FROM practice_site s
         JOIN activity a ON a.site_key = s.site_key AND a.removed_batch_id IS NULL AND {COUNTABLE_ACTIVITY}
         JOIN professional p ON p.national_id = a.national_id AND p.removed_batch_id IS NULL
         WHERE s.removed_batch_id IS NULL
         ORDER BY s.site_key, a.profession, p.last_name, p.first_name, p.national_id"
    )))
    .fetch_all(store.pool())
    .await?;
    let mut out: Vec<SitePoint> = Vec::new();
    for r in rows {
        let Some(profession) = counted_profession(&rule, &r)? else {
            continue;
        };
        let key: String = r.try_get("site_key")?;
        if out.last().is_none_or(|s| s.site_key != key) {
            let lon: Option<f64> = r.try_get("lon")?;
            let lat: Option<f64> = r.try_get("lat")?;
            out.push(SitePoint {
                site_key: key,
                name: r.try_get("name")?,
                position: lon.zip(lat),
                commune_code: r.try_get("commune_code")?,
                geocode_quality: r.try_get("geocode_quality")?,
                activities: Vec::new(),
            });
        }
        let activity = SiteActivity {
            national_id: r.try_get("national_id")?,
            civility: r.try_get("civility")?,
            last_name: r.try_get("last_name")?,
            first_name: r.try_get("first_name")?,
            profession,
        };
        let site = out.last_mut().expect("a site was pushed for this row");
        // A professional with two activities of the same profession at one site is one person there.
        if !site
            .activities
            .iter()
            .any(|a| a.national_id == activity.national_id && a.profession == activity.profession)
        {
            site.activities.push(activity);
        }
    }
    // The rule may have turned some GP activities into the counted-apart line: keep the profession order.
    for site in &mut out {
        site.activities
            .sort_by(|a, b| a.profession.cmp(&b.profession));
    }
    Ok(out)
}

/// An establishment in force (FINESS): names and places of establishments are public.
#[derive(Debug, Clone, Serialize)]
pub struct EstablishmentPoint {
    pub finess: String,
    pub name: String,
    pub category_code: Option<String>,
    pub category_label: Option<String>,
    pub address: Option<String>,
    pub commune_code: Option<String>,
    pub position: Option<(f64, f64)>,
    pub coordinates_source: Option<String>,
}

/// Every establishment in force, ordered by FINESS number.
pub async fn establishment_points(store: &Store) -> Result<Vec<EstablishmentPoint>> {
    let rows = sqlx::query(
        "SELECT finess_et, name, category_code, category_label, address, commune_code, lon, lat, coordinates_source
         FROM establishment WHERE removed_batch_id IS NULL ORDER BY finess_et",
    )
    .fetch_all(store.pool())
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let lon: Option<f64> = r.try_get("lon")?;
        let lat: Option<f64> = r.try_get("lat")?;
        let code: Option<String> = r.try_get("category_code")?;
        out.push(EstablishmentPoint {
            finess: r.try_get("finess_et")?,
            name: r.try_get("name")?,
            // Files that give only the code (the FINESS JSON flux, imports made before the labels were kept)
            // still show the TRE_R397 label, never the bare code.
            category_label: r
                .try_get::<Option<String>, _>("category_label")?
                .or_else(|| {
                    code.as_deref()
                        .map(maillage_formats::finess::category_label_or_code)
                }),
            category_code: code,
            address: r.try_get("address")?,
            commune_code: r.try_get("commune_code")?,
            position: lon.zip(lat),
            coordinates_source: r.try_get("coordinates_source")?,
        });
    }
    Ok(out)
}

/// The zones (ids) each practice site (`site`) or establishment (`etablissement`) lies in, by key.
pub async fn memberships(store: &Store, subject_kind: &str) -> Result<BTreeMap<String, Vec<i64>>> {
    let mut out: BTreeMap<String, Vec<i64>> = BTreeMap::new();
    for r in sqlx::query(
        "SELECT subject_key, zone_id FROM location_zone WHERE subject_kind = $1 ORDER BY subject_key, zone_id",
    )
    .bind(subject_kind)
    .fetch_all(store.pool())
    .await?
    {
        out.entry(r.try_get("subject_key")?).or_default().push(r.try_get("zone_id")?);
    }
    Ok(out)
}

/// What the local enrichment says of a professional's career (ages are not in open data).
#[derive(Debug, Clone, Serialize)]
pub struct Career {
    pub national_id: String,
    pub birth_year: Option<i64>,
    pub planned_retirement_year: Option<i64>,
}

/// Birth and planned retirement years the commune entered, by national identifier.
pub async fn careers(store: &Store) -> Result<BTreeMap<String, Career>> {
    let mut out = BTreeMap::new();
    for r in sqlx::query(
        "SELECT subject_key, birth_year, planned_retirement_year FROM local_enrichment
         WHERE subject_kind = 'professionnel' AND (birth_year IS NOT NULL OR planned_retirement_year IS NOT NULL)",
    )
    .fetch_all(store.pool())
    .await?
    {
        let id: String = r.try_get("subject_key")?;
        out.insert(
            id.clone(),
            Career {
                national_id: id,
                birth_year: r.try_get("birth_year")?,
                planned_retirement_year: r.try_get("planned_retirement_year")?,
            },
        );
    }
    Ok(out)
}

/// Population by age band of a set of zones (e.g. the IRIS of a commune or quartier) added up, for the latest
/// vintage any of them has: (vintage, [(band, sum)]) ordered by band; None when none has age bands.
pub async fn population_bands_sum(
    store: &Store,
    zone_ids: &[i64],
) -> Result<Option<(i64, Vec<(String, f64)>)>> {
    let mut by_vintage: BTreeMap<i64, BTreeMap<String, f64>> = BTreeMap::new();
    for chunk in zone_ids.chunks(500) {
        let placeholders: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
        let sql = format!(
            "SELECT vintage, band, SUM(value) AS total FROM population WHERE band <> 'TOTAL' AND zone_id IN ({})
             GROUP BY vintage, band",
            placeholders.join(", ")
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for id in chunk {
            q = q.bind(*id);
        }
        for r in q.fetch_all(store.pool()).await? {
            let vintage: i64 = r.try_get("vintage")?;
            let band: String = r.try_get("band")?;
            *by_vintage
                .entry(vintage)
                .or_default()
                .entry(band)
                .or_default() += r.try_get::<f64, _>("total")?;
        }
    }
    Ok(by_vintage
        .pop_last()
        .map(|(v, bands)| (v, bands.into_iter().collect())))
}

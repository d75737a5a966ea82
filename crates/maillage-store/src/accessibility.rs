//! Accessibility results kept with their provenance: the DREES APL by commune as published, Maillage's own
//! runs (a value per zone, with the parameters and sources of the run), and isochrones.

use crate::change::Change;
use crate::{Result, Store};
use serde::Serialize;
use sqlx::Row;

#[derive(Debug, Clone, Serialize)]
pub struct ResultRow {
    pub zone_kind: String,
    pub zone_code: String,
    /// None when the zone reaches no supply at all... or could not be placed on the network.
    pub value: Option<f64>,
    pub population: Option<f64>,
    pub sites_reached: i64,
    pub outside_territory: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Run {
    pub id: i64,
    pub created_at: String,
    pub profession: String,
    /// What travel times came from: an OSM extract (name and sha256) or the stored network.
    pub network: String,
    /// Parameters, sources and counts of the computation (JSON written by the caller).
    pub metadata: serde_json::Value,
}

pub async fn save_run(
    store: &Store,
    profession: &str,
    network: &str,
    metadata: &serde_json::Value,
    rows: &[ResultRow],
) -> Result<i64> {
    let mut tx = Change::begin(store).await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO accessibility_run (created_at, profession, network, metadata) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(crate::now())
    .bind(profession)
    .bind(network)
    .bind(metadata.to_string())
    .fetch_one(tx.conn())
    .await?;
    for r in rows {
        sqlx::query(
            "INSERT INTO accessibility_result (run_id, zone_kind, zone_code, value, population, sites_reached,
                 outside_territory) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(id)
        .bind(&r.zone_kind)
        .bind(&r.zone_code)
        .bind(r.value)
        .bind(r.population)
        .bind(r.sites_reached)
        .bind(i64::from(r.outside_territory))
        .execute(tx.conn())
        .await?;
    }
    tx.commit().await?;
    Ok(id)
}

/// The latest run for a profession, with its results.
pub async fn latest_run(store: &Store, profession: &str) -> Result<Option<(Run, Vec<ResultRow>)>> {
    let Some(r) = sqlx::query(
        "SELECT id, created_at, profession, network, metadata FROM accessibility_run WHERE profession = $1
         ORDER BY id DESC LIMIT 1",
    )
    .bind(profession)
    .fetch_optional(store.pool())
    .await?
    else {
        return Ok(None);
    };
    let run = Run {
        id: r.try_get("id")?,
        created_at: r.try_get("created_at")?,
        profession: r.try_get("profession")?,
        network: r.try_get("network")?,
        metadata: serde_json::from_str(&r.try_get::<String, _>("metadata")?).unwrap_or_default(),
    };
    let rows = sqlx::query(
        "SELECT zone_kind, zone_code, value, population, sites_reached, outside_territory FROM accessibility_result
         WHERE run_id = $1 ORDER BY zone_kind, zone_code",
    )
    .bind(run.id)
    .fetch_all(store.pool())
    .await?
    .iter()
    .map(|r| {
        Ok(ResultRow {
            zone_kind: r.try_get("zone_kind")?,
            zone_code: r.try_get("zone_code")?,
            value: r.try_get("value")?,
            population: r.try_get("population")?,
            sites_reached: r.try_get("sites_reached")?,
            outside_territory: r.try_get::<i64, _>("outside_territory")? != 0,
        })
    })
    .collect::<Result<Vec<_>>>()?;
    Ok(Some((run, rows)))
}

#[derive(Debug, Clone, Serialize)]
pub struct Apl {
    pub commune_code: String,
    pub commune_name: Option<String>,
    pub profession: String,
    pub year: i64,
    pub apl: Option<f64>,
    pub apl_under_65: Option<f64>,
    pub apl_under_62: Option<f64>,
    pub apl_under_60: Option<f64>,
    pub standardised_population: Option<f64>,
    /// Year of the populations the APL was computed with.
    pub population_vintage: Option<i64>,
}

impl Apl {
    /// The value of one variant.
    pub fn value(&self, variant: maillage_formats::apl::AplVariant) -> Option<f64> {
        use maillage_formats::apl::AplVariant::*;
        match variant {
            AllAges => self.apl,
            UpTo65 => self.apl_under_65,
            UpTo62 => self.apl_under_62,
            UpTo60 => self.apl_under_60,
        }
    }
}

const APL_COLUMNS: &str = "a.commune_code, a.commune_name, a.profession, a.year, a.apl, a.apl_under_65, \
     a.apl_under_62, a.apl_under_60, a.standardised_population, a.population_vintage";

/// The DREES APL in force of each commune for a profession, latest year.
pub async fn apl(store: &Store, profession: &str) -> Result<Vec<Apl>> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {APL_COLUMNS} FROM apl_drees a
         WHERE a.profession = $1 AND a.removed_batch_id IS NULL
           AND a.year = (SELECT MAX(b.year) FROM apl_drees b WHERE b.profession = $1 AND b.removed_batch_id IS NULL)
         ORDER BY a.commune_code"
    )))
    .bind(profession)
    .fetch_all(store.pool())
    .await?;
    rows.iter().map(apl_of_row).collect()
}

/// Every imported DREES APL in force: all professions and years, by commune, profession and year.
pub async fn apl_all(store: &Store) -> Result<Vec<Apl>> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {APL_COLUMNS} FROM apl_drees a WHERE a.removed_batch_id IS NULL
         ORDER BY a.commune_code, a.profession, a.year"
    )))
    .fetch_all(store.pool())
    .await?;
    rows.iter().map(apl_of_row).collect()
}

fn apl_of_row(r: &sqlx::any::AnyRow) -> Result<Apl> {
    Ok(Apl {
        commune_code: r.try_get("commune_code")?,
        commune_name: r.try_get("commune_name")?,
        profession: r.try_get("profession")?,
        year: r.try_get("year")?,
        apl: r.try_get("apl")?,
        apl_under_65: r.try_get("apl_under_65")?,
        apl_under_62: r.try_get("apl_under_62")?,
        apl_under_60: r.try_get("apl_under_60")?,
        standardised_population: r.try_get("standardised_population")?,
        population_vintage: r.try_get("population_vintage")?,
    })
}

#[derive(Debug, Clone, Serialize)]
pub struct StoredIsochrone {
    pub id: i64,
    pub label: String,
    pub profile: String,
    pub minutes: i64,
    pub origin: (f64, f64),
    pub geojson: serde_json::Value,
    pub population_covered: Option<f64>,
    pub network: String,
}

/// Replaces the isochrones of a label (e.g. "MSP des Tilleuls") by new ones.
pub async fn save_isochrones(store: &Store, isochrones: &[StoredIsochrone]) -> Result<()> {
    let mut tx = Change::begin(store).await?;
    for label in isochrones
        .iter()
        .map(|i| &i.label)
        .collect::<std::collections::BTreeSet<_>>()
    {
        sqlx::query("DELETE FROM isochrone WHERE label = $1")
            .bind(label)
            .execute(tx.conn())
            .await?;
    }
    for i in isochrones {
        sqlx::query(
            "INSERT INTO isochrone (created_at, label, profile, minutes, origin_lon, origin_lat, geojson,
                 population_covered, network) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(crate::now())
        .bind(&i.label)
        .bind(&i.profile)
        .bind(i.minutes)
        .bind(i.origin.0)
        .bind(i.origin.1)
        .bind(i.geojson.to_string())
        .bind(i.population_covered)
        .bind(&i.network)
        .execute(tx.conn())
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

pub async fn isochrones(store: &Store) -> Result<Vec<StoredIsochrone>> {
    sqlx::query(
        "SELECT id, label, profile, minutes, origin_lon, origin_lat, geojson, population_covered, network
         FROM isochrone ORDER BY label, minutes DESC",
    )
    .fetch_all(store.pool())
    .await?
    .iter()
    .map(|r| {
        Ok(StoredIsochrone {
            id: r.try_get("id")?,
            label: r.try_get("label")?,
            profile: r.try_get("profile")?,
            minutes: r.try_get("minutes")?,
            origin: (r.try_get("origin_lon")?, r.try_get("origin_lat")?),
            geojson: serde_json::from_str(&r.try_get::<String, _>("geojson")?).unwrap_or_default(),
            population_covered: r.try_get("population_covered")?,
            network: r.try_get("network")?,
        })
    })
    .collect()
}

//! Santé publique France files (tests and cases by commune, département, region or France, daily) imported as
//! published: the raw counts (`P`, `T`, `pop`) and the sliding indicators the file already carries, by zone and
//! day. Rates are recomputed from the counts by `maillage-crisis`, beside the published ones.

use super::{Change, Result, day_text, parse_day};
use crate::batch::Source;
use crate::session::{ImportReport, ImportSession};
use crate::{Store, StoreError};
use jiff::civil::Date;
use maillage_crisis::epidemic::Daily;
use maillage_formats::spf::{SpfReader, ZoneLevel};
use serde::{Deserialize, Serialize};
use sqlx::Row;
use std::collections::BTreeSet;
use std::path::Path;

pub fn level_code(l: ZoneLevel) -> &'static str {
    match l {
        ZoneLevel::Commune => "commune",
        ZoneLevel::Departement => "departement",
        ZoneLevel::Region => "region",
        ZoneLevel::France => "france",
    }
}

/// Imports a Santé publique France CSV as published (one transaction, one batch). Rows by age class other than
/// "all ages" (`cl_age90` = 0) are left out; with `keep`, only those zones are kept (the territory's communes and
/// départements). Re-importing a newer file updates the days it covers.
pub async fn import_spf(
    store: &Store,
    path: &Path,
    keep: Option<&BTreeSet<String>>,
) -> Result<ImportReport, StoreError> {
    import_spf_with(store, path, keep, None).await
}

/// [`import_spf`], with the population of the file's one zone typed by the user (`typed`) instead of the one
/// [`base_population`] finds. Every zone's population is chosen here, once, for the command line and the web
/// form alike: typed, else the base's (INSEE by IRIS or légale), else the file's `pop` column, else the one
/// stored before (typed earlier by the cell).
pub async fn import_spf_with(
    store: &Store,
    path: &Path,
    keep: Option<&BTreeSet<String>>,
    typed: Option<f64>,
) -> Result<ImportReport, StoreError> {
    if let Some(p) = typed.filter(|p| !(p.is_finite() && *p > 0.0)) {
        return Err(StoreError::InvalidValue {
            field: "population",
            value: p.to_string(),
        });
    }
    let whole_base = crate::territory::filter(store).await?.unrestricted();
    let source = Source::of_file(crate::imports::SourceKind::Spf.code(), path, None)?;
    let reader = SpfReader::open(path)?;
    let level = level_code(reader.level());
    let mut s = ImportSession::start(store, source).await?;
    let batch = s.batch_id;
    let (mut first, mut last): (Option<String>, Option<String>) = (None, None);
    let mut zones = BTreeSet::new();
    let mut file_population: std::collections::BTreeMap<String, f64> = Default::default();
    // Days already stored for this level, to count updates apart from insertions without a query per row.
    let mut known: std::collections::HashSet<(String, String)> =
        sqlx::query("SELECT zone, day FROM crisis_epi_daily WHERE level = $1")
            .bind(level)
            .fetch_all(s.tx.conn())
            .await?
            .iter()
            .map(|r| Ok((r.try_get("zone")?, r.try_get("day")?)))
            .collect::<Result<_, sqlx::Error>>()?;
    for row in reader {
        let row = row?;
        s.counts.rows_read += 1;
        if row.cl_age90.is_some_and(|a| a != 0) || keep.is_some_and(|k| !k.contains(&row.zone)) {
            s.counts.filtered += 1;
            continue;
        }
        let had_counts = row.positives.is_some() || row.tests.is_some() || row.population.is_some();
        if had_counts {
            let previous = !known.insert((row.zone.clone(), row.jour.clone()));
            sqlx::query(
                "INSERT INTO crisis_epi_daily (level, zone, day, positives, tests, population, batch_id)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)
                 ON CONFLICT (level, zone, day) DO UPDATE SET
                     positives = COALESCE(excluded.positives, crisis_epi_daily.positives),
                     tests = COALESCE(excluded.tests, crisis_epi_daily.tests),
                     population = COALESCE(excluded.population, crisis_epi_daily.population),
                     batch_id = excluded.batch_id",
            )
            .bind(level)
            .bind(&row.zone)
            .bind(&row.jour)
            .bind(row.positives)
            .bind(row.tests)
            .bind(row.population)
            .bind(batch)
            .execute(s.tx.conn())
            .await?;
            if previous {
                s.counts.updated += 1;
            } else {
                s.counts.inserted += 1;
            }
            if let Some(pop) = row.population.filter(|p| *p > 0.0) {
                file_population.insert(row.zone.clone(), pop);
            }
        }
        for (name, value) in &row.indicators {
            sqlx::query(
                "INSERT INTO crisis_epi_published (level, zone, day, indicator, value, batch_id) VALUES ($1, $2, $3, $4, $5, $6)
                 ON CONFLICT (level, zone, day, indicator) DO UPDATE SET value = excluded.value, batch_id = excluded.batch_id",
            )
            .bind(level)
            .bind(&row.zone)
            .bind(&row.jour)
            .bind(name)
            .bind(*value)
            .bind(batch)
            .execute(s.tx.conn())
            .await?;
        }
        if !had_counts {
            if row.indicators.is_empty() {
                s.counts.rejected += 1;
                continue;
            }
            s.counts.inserted += 1;
        }
        zones.insert(row.zone.clone());
        if first.as_ref().is_none_or(|f| row.jour < *f) {
            first = Some(row.jour.clone());
        }
        if last.as_ref().is_none_or(|l| row.jour > *l) {
            last = Some(row.jour.clone());
        }
    }
    if typed.is_some() && zones.len() > 1 {
        return Err(StoreError::TypedPopulationForSeveralZones {
            zones: zones.len() as u64,
        });
    }
    let mut populations = Vec::with_capacity(zones.len());
    for zone in &zones {
        let chosen = match typed {
            Some(value) => Some(ZonePopulation {
                value,
                origin: PopulationOrigin::Typed,
            }),
            None => match base_population(&mut s.tx, level, zone, whole_base).await? {
                Some(p) => Some(p),
                None => file_population.get(zone).map(|&value| ZonePopulation {
                    value,
                    origin: PopulationOrigin::SpfFile {
                        file: s.source.file_name.clone(),
                    },
                }),
            },
        };
        let (value, source) = match chosen {
            Some(p) => {
                let source = PopulationSource::Origin(p.origin);
                sqlx::query(
                    "INSERT INTO crisis_epi_population (level, zone, population, source) VALUES ($1, $2, $3, $4)
                     ON CONFLICT (level, zone) DO UPDATE SET population = excluded.population, source = excluded.source",
                )
                .bind(level)
                .bind(zone)
                .bind(p.value)
                .bind(source.stored())
                .execute(s.tx.conn())
                .await?;
                (Some(p.value), Some(source))
            }
            // Nothing better: keep what the cell typed before, if anything.
            None => sqlx::query(
                "SELECT population, source FROM crisis_epi_population WHERE level = $1 AND zone = $2",
            )
            .bind(level)
            .bind(zone)
            .fetch_optional(s.tx.conn())
            .await?
            .map(|r| Ok::<_, sqlx::Error>((r.try_get("population")?, r.try_get("source")?)))
            .transpose()?
            .map_or((None, None), |(v, s): (f64, String)| {
                (Some(v), Some(PopulationSource::read(s)))
            }),
        };
        populations.push(serde_json::json!({ "zone": zone, "habitants": value, "source": source }));
    }
    let details = serde_json::json!({ "niveau": level, "zones": zones.len(), "premier_jour": first,
        "dernier_jour": last, "populations": populations });
    s.commit(last, details).await
}

/// Where the population used for a zone's rates comes from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "origine", rename_all = "snake_case")]
pub enum PopulationOrigin {
    /// INSEE population by IRIS (`base-ic-evol-struct-pop`), summed over the commune's IRIS.
    InseeIris { vintage: i64, iris: i64 },
    /// Populations légales of the communes file (`@etalab/decoupage-administratif`), summed over `communes`.
    LegalCommunes { vintage: i64, communes: i64 },
    /// Typed by the user for this import.
    Typed,
    /// The `pop` column of the Santé publique France file itself.
    SpfFile { file: String },
}

/// Where the population of a zone comes from, as stored beside it: the typed origin the import chose (stored
/// as its JSON, worded when read by `maillage_messages::crisis::population_source`), or words — those the cell
/// typed, and those stored by the imports before origins were typed, read as they are.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum PopulationSource {
    Origin(PopulationOrigin),
    Written(String),
}

impl PopulationSource {
    /// The source as the `source` column holds it.
    pub fn read(stored: String) -> PopulationSource {
        match serde_json::from_str::<PopulationOrigin>(&stored) {
            Ok(origin) => PopulationSource::Origin(origin),
            Err(_) => PopulationSource::Written(stored),
        }
    }

    /// The text the `source` column holds.
    fn stored(&self) -> String {
        match self {
            PopulationSource::Origin(origin) => serde_json::to_string(origin).unwrap_or_default(),
            PopulationSource::Written(words) => words.clone(),
        }
    }

    /// Whether it is the Santé publique France file's own population (a fallback the base's INSEE population
    /// replaces as soon as there is one).
    pub fn is_spf_file(&self) -> bool {
        match self {
            PopulationSource::Origin(origin) => matches!(origin, PopulationOrigin::SpfFile { .. }),
            PopulationSource::Written(words) => words.starts_with(SPF_FILE_SOURCE),
        }
    }
}

/// How the words of a population taken from the SpF file began, when imports stored words.
const SPF_FILE_SOURCE: &str = "fichier Santé publique France";

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ZonePopulation {
    pub value: f64,
    #[serde(flatten)]
    pub origin: PopulationOrigin,
}

/// The population of a Santé publique France zone from the zones in the base: a commune by the INSEE figures of
/// its IRIS (those of its arrondissements for Paris, Lyon, Marseille) or its population légale, the most recent
/// vintage winning (légale on a tie, as it covers the commune exactly); a département (or France) as the sum of
/// its communes' populations légales, only when no territory restricts the base (otherwise the base holds a few
/// of its communes and the sum would not be its population).
pub async fn base_population(
    tx: &mut Change,
    level: &str,
    zone: &str,
    whole_base: bool,
) -> Result<Option<ZonePopulation>, StoreError> {
    let legal = |filter: &'static str| {
        format!(
            "SELECT p.vintage, SUM(p.value) AS total, COUNT(*) AS n FROM population p JOIN zone z ON z.id = p.zone_id
             WHERE z.kind = 'commune' AND z.removed_batch_id IS NULL AND p.band = 'TOTAL' AND {filter}
             GROUP BY p.vintage ORDER BY p.vintage DESC"
        )
    };
    let first = |rows: Vec<sqlx::any::AnyRow>| -> Result<Option<(i64, f64, i64)>, sqlx::Error> {
        rows.first()
            .map(|r| Ok((r.try_get("vintage")?, r.try_get("total")?, r.try_get("n")?)))
            .transpose()
    };
    match level {
        "commune" => {
            let iris = sqlx::query(
                "SELECT p.vintage, SUM(p.value) AS total, COUNT(*) AS n FROM population p JOIN zone z ON z.id = p.zone_id
                 WHERE z.kind = 'iris' AND z.removed_batch_id IS NULL AND p.band = 'TOTAL'
                   AND (z.parent_code = $1 OR z.parent_code IN
                        (SELECT a.code FROM zone a WHERE a.kind = 'arrondissement' AND a.parent_code = $1))
                 GROUP BY p.vintage ORDER BY p.vintage DESC",
            )
            .bind(zone)
            .fetch_all(tx.conn())
            .await?;
            let iris = first(iris)?;
            let sql = legal("z.code = $1");
            let legal = first(
                sqlx::query(sqlx::AssertSqlSafe(sql))
                    .bind(zone)
                    .fetch_all(tx.conn())
                    .await?,
            )?;
            Ok(match (iris, legal) {
                (Some((iv, value, n)), l) if l.is_none_or(|(lv, ..)| iv > lv) => {
                    Some(ZonePopulation {
                        value,
                        origin: PopulationOrigin::InseeIris {
                            vintage: iv,
                            iris: n,
                        },
                    })
                }
                (_, Some((vintage, value, communes))) => Some(ZonePopulation {
                    value,
                    origin: PopulationOrigin::LegalCommunes { vintage, communes },
                }),
                _ => None,
            })
        }
        "departement" | "france" if whole_base => {
            let rows = if level == "france" {
                sqlx::query(sqlx::AssertSqlSafe(legal("1 = 1")))
                    .fetch_all(tx.conn())
                    .await?
            } else {
                sqlx::query(sqlx::AssertSqlSafe(legal("z.departement = $1")))
                    .bind(zone)
                    .fetch_all(tx.conn())
                    .await?
            };
            Ok(
                first(rows)?.map(|(vintage, value, communes)| ZonePopulation {
                    value,
                    origin: PopulationOrigin::LegalCommunes { vintage, communes },
                }),
            )
        }
        _ => Ok(None),
    }
}

/// A zone with imported counts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SeriesInfo {
    pub level: String,
    pub zone: String,
    pub first_day: String,
    pub last_day: String,
    pub days: i64,
    /// The population the rates are computed with, and its source (INSEE or légale with its vintage, typed...).
    pub population: Option<f64>,
    pub population_source: Option<PopulationSource>,
    /// Santé publique France's own population of the zone (the `pop` column of its file, fixed by SpF), when
    /// an imported file carried it: shown beside the population used, with the gap.
    pub spf_population: Option<f64>,
}

/// Every zone with imported counts, with the population its rates use: the one chosen at import, except that
/// a population taken from the SpF file (or none) gives way to the base's INSEE population as soon as the
/// base has one (the INSEE file imported after the SpF file).
pub async fn series_list(store: &Store) -> Result<Vec<SeriesInfo>> {
    let mut list = stored_series_list(store).await?;
    let spf: std::collections::HashMap<(String, String), f64> = sqlx::query(
        "SELECT d.level, d.zone, d.population FROM crisis_epi_daily d
         JOIN (SELECT level, zone, MAX(day) AS day FROM crisis_epi_daily WHERE population IS NOT NULL
               GROUP BY level, zone) m ON m.level = d.level AND m.zone = d.zone AND m.day = d.day",
    )
    .fetch_all(store.pool())
    .await?
    .iter()
    .map(|r| Ok(((r.try_get("level")?, r.try_get("zone")?), r.try_get("population")?)))
    .collect::<Result<_, sqlx::Error>>()?;
    let fallback = |s: &SeriesInfo| {
        s.population_source
            .as_ref()
            .is_none_or(PopulationSource::is_spf_file)
    };
    if list.iter().any(fallback) {
        let whole_base = crate::territory::filter(store).await?.unrestricted();
        // A read-only transaction: base_population reads through one.
        let mut tx = Change::begin(store).await?;
        for s in list.iter_mut().filter(|s| fallback(s)) {
            if let Some(p) = base_population(&mut tx, &s.level, &s.zone, whole_base).await? {
                s.population = Some(p.value);
                s.population_source = Some(PopulationSource::Origin(p.origin));
            }
        }
        tx.rollback().await?;
    }
    for s in &mut list {
        s.spf_population = spf.get(&(s.level.clone(), s.zone.clone())).copied();
    }
    Ok(list)
}

/// The zones with imported counts and the population stored for each at import.
async fn stored_series_list(store: &Store) -> Result<Vec<SeriesInfo>> {
    let rows = sqlx::query(
        "SELECT d.level, d.zone, MIN(d.day) AS first_day, MAX(d.day) AS last_day, COUNT(*) AS days,
                p.population, p.source
         FROM crisis_epi_daily d LEFT JOIN crisis_epi_population p ON p.level = d.level AND p.zone = d.zone
         GROUP BY d.level, d.zone, p.population, p.source ORDER BY d.level, d.zone",
    )
    .fetch_all(store.pool())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(SeriesInfo {
                level: r.try_get("level")?,
                zone: r.try_get("zone")?,
                first_day: r.try_get("first_day")?,
                last_day: r.try_get("last_day")?,
                days: r.try_get("days")?,
                population: r.try_get("population")?,
                population_source: r
                    .try_get::<Option<String>, _>("source")?
                    .map(PopulationSource::read),
                spf_population: None,
            })
        })
        .collect()
}

/// The daily counts of a zone, by day, from `since` on.
pub async fn series(
    store: &Store,
    level: &str,
    zone: &str,
    since: Option<Date>,
) -> Result<Vec<Daily>> {
    let rows = sqlx::query(
        "SELECT day, positives, tests FROM crisis_epi_daily WHERE level = $1 AND zone = $2 AND day >= $3 ORDER BY day",
    )
    .bind(level)
    .bind(zone)
    .bind(since.map(day_text).unwrap_or_default())
    .fetch_all(store.pool())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Daily {
                day: parse_day("crisis_epi_daily.day", &r.try_get::<String, _>("day")?)?,
                positives: r.try_get("positives")?,
                tests: r.try_get("tests")?,
            })
        })
        .collect()
}

/// The population used for a zone's rates.
pub async fn population(
    store: &Store,
    level: &str,
    zone: &str,
) -> Result<Option<(f64, PopulationSource)>> {
    let row = sqlx::query(
        "SELECT population, source FROM crisis_epi_population WHERE level = $1 AND zone = $2",
    )
    .bind(level)
    .bind(zone)
    .fetch_optional(store.pool())
    .await?;
    row.map(|r| {
        Ok((
            r.try_get("population")?,
            PopulationSource::read(r.try_get("source")?),
        ))
    })
    .transpose()
}

/// Sets the population of a zone (entered by the cell, or taken from the observatory's zones).
pub async fn set_population(
    tx: &mut Change,
    level: &str,
    zone: &str,
    population: f64,
    source: &str,
) -> Result<()> {
    if !(population.is_finite() && population > 0.0) {
        return Err(maillage_crisis::CrisisError::Field(
            maillage_crisis::FieldError::InvalidField {
                field: "population",
                expected: "nombre positif",
            },
        )
        .into());
    }
    sqlx::query(
        "INSERT INTO crisis_epi_population (level, zone, population, source) VALUES ($1, $2, $3, $4)
         ON CONFLICT (level, zone) DO UPDATE SET population = excluded.population, source = excluded.source",
    )
    .bind(level)
    .bind(zone)
    .bind(population)
    .bind(source)
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// A published indicator of a zone (`taux_incid_glissant`, `cas_glissant`...), by day.
pub async fn published(
    store: &Store,
    level: &str,
    zone: &str,
    indicator: &str,
) -> Result<Vec<(Date, Option<f64>)>> {
    let rows = sqlx::query(
        "SELECT day, value FROM crisis_epi_published WHERE level = $1 AND zone = $2 AND indicator = $3 ORDER BY day",
    )
    .bind(level)
    .bind(zone)
    .bind(indicator)
    .fetch_all(store.pool())
    .await?;
    rows.iter()
        .map(|r| {
            Ok((
                parse_day("crisis_epi_published.day", &r.try_get::<String, _>("day")?)?,
                r.try_get("value")?,
            ))
        })
        .collect()
}

/// The published indicators a zone has.
pub async fn published_names(store: &Store, level: &str, zone: &str) -> Result<Vec<String>> {
    Ok(sqlx::query_scalar(
        "SELECT DISTINCT indicator FROM crisis_epi_published WHERE level = $1 AND zone = $2 ORDER BY indicator",
    )
    .bind(level)
    .bind(zone)
    .fetch_all(store.pool())
    .await?)
}

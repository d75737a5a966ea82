//! Territories: communes, EPCI, IRIS, quartiers, QPV, with geometry and population by age band and vintage.

use crate::change::Change;
use crate::codec::{geometry_from_geojson, geometry_to_geojson, row_hash};
use crate::rows::{HashedTable, Val};
use crate::{Result, Store, StoreError};
use geo::{Area, BoundingRect, Centroid, GeodesicArea, MultiPolygon};
use serde::Serialize;
use sqlx::Row;
use std::collections::{HashMap, HashSet};

/// The kinds of zones are the kit's (shared with the importers and the indicators).
pub use maillage_kit::zone::ZoneKind;

/// The identity of a zone as a source gives it.
#[derive(Debug, Clone)]
pub struct ZoneRecord {
    pub kind: ZoneKind,
    pub code: String,
    pub name: String,
    /// The commune of an IRIS, QPV or arrondissement; the EPCI of a commune when known.
    pub parent_code: Option<String>,
    pub departement: Option<String>,
    /// Everything else the source says (region, postcodes, IRIS type...), kept as JSON.
    pub attributes: serde_json::Value,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowChange {
    Inserted,
    Updated,
    Unchanged,
}

impl crate::batch::Counts {
    pub fn record(&mut self, change: RowChange) {
        match change {
            RowChange::Inserted => self.inserted += 1,
            RowChange::Updated => self.updated += 1,
            RowChange::Unchanged => self.unchanged += 1,
        }
    }
}

/// Combines the changes of the parts of one source row: the row changed if any part did.
pub fn combine(a: RowChange, b: RowChange) -> RowChange {
    match (a, b) {
        (RowChange::Inserted, _) | (_, RowChange::Inserted) => RowChange::Inserted,
        (RowChange::Updated, _) | (_, RowChange::Updated) => RowChange::Updated,
        _ => RowChange::Unchanged,
    }
}

/// The columns of a zone that `rows` writes and hashes, after its key `kind|code` ([`row_key`]).
const ZONE_COLUMNS: &[&str] = &[
    "kind",
    "code",
    "name",
    "parent_code",
    "departement",
    "attributes",
];

/// The columns of a population figure, after its key `zone_id|vintage|band` ([`population_key`]).
const POPULATION_COLUMNS: &[&str] = &["zone_id", "vintage", "band", "value"];

/// The stable key of a zone (migration 0017 derives it the same way).
pub fn row_key(kind: ZoneKind, code: &str) -> String {
    format!("{}|{code}", kind.as_str())
}

/// The stable key of a population figure (migration 0017 derives it the same way).
fn population_key(zone_id: i64, vintage: i64, band: &str) -> String {
    format!("{zone_id}|{vintage}|{band}")
}

fn zone_values(zone: &ZoneRecord) -> Vec<Val> {
    vec![
        Val::text(zone.kind.as_str()),
        Val::text(&zone.code),
        Val::text(&zone.name),
        Val::opt(zone.parent_code.clone()),
        Val::opt(zone.departement.clone()),
        Val::text(zone.attributes.to_string()),
    ]
}

/// The zones and population figures one import writes, through `rows` (the one write mechanism): a zone is
/// inserted, updated or left alone by the hash of its content, and the zones of a kind the file no longer lists
/// are marked removed ([`Self::mark_unseen_removed`]). Population figures are never marked removed: each belongs
/// to its vintage, and stops counting when its zone is removed. [`Self::finish`] writes what is pending.
pub struct ZoneTables {
    zones: HashedTable,
    batch_id: i64,
    /// Population rows by vintage, each vintage loaded when first written.
    populations: HashMap<i64, HashedTable>,
}

/// A zone as stored, for the sources that must not overwrite it ([`ZoneTables::ensure`]).
struct StoredZone {
    id: i64,
    record: ZoneRecord,
    removed: bool,
}

impl ZoneTables {
    /// The zones of `kinds`: the only ones this import writes, and can mark removed.
    pub async fn load(tx: &mut Change, kinds: &[ZoneKind], batch_id: i64) -> Result<ZoneTables> {
        let kinds: Vec<String> = kinds.iter().map(|k| k.as_str().to_string()).collect();
        Self::load_scoped(tx, ("kind", &kinds), batch_id).await
    }

    /// One zone only: a single write outside the import of a file (tests, the demonstration).
    async fn one(tx: &mut Change, kind: ZoneKind, code: &str, batch_id: i64) -> Result<ZoneTables> {
        Self::load_scoped(tx, ("row_key", &[row_key(kind, code)]), batch_id).await
    }

    async fn load_scoped(
        tx: &mut Change,
        scope: (&'static str, &[String]),
        batch_id: i64,
    ) -> Result<ZoneTables> {
        let zones =
            HashedTable::load_scoped(tx, "zone", "row_key", ZONE_COLUMNS, batch_id, Some(scope))
                .await?;
        Ok(ZoneTables {
            zones,
            batch_id,
            populations: HashMap::new(),
        })
    }

    /// Inserts or updates a zone's identity; a zone marked removed comes back when a source lists it again.
    pub async fn upsert(&mut self, tx: &mut Change, zone: &ZoneRecord) -> Result<(i64, RowChange)> {
        let key = row_key(zone.kind, &zone.code);
        let change = self.zones.put(tx, &key, zone_values(zone)).await?;
        // Its id is what its contour and population figures refer to.
        let id = self
            .zones
            .id_of(tx, &key)
            .await?
            .ok_or(StoreError::InvalidValue {
                field: "zone",
                value: key,
            })?;
        Ok((id, change))
    }

    /// Makes sure a zone exists, without overwriting what another source said of it: a new zone is inserted; an
    /// existing one keeps its identity, except a placeholder name (equal to its code) replaced by a real one.
    /// Sources that only add geometry or population (contours, INSEE) use this, so that importing them in any
    /// order, any number of times, converges.
    pub async fn ensure(&mut self, tx: &mut Change, zone: &ZoneRecord) -> Result<(i64, RowChange)> {
        let Some(stored) = stored(tx, zone.kind, &zone.code).await? else {
            return self.upsert(tx, zone).await;
        };
        if (stored.record.name == zone.code && zone.name != zone.code) || stored.removed {
            let mut renamed = zone.clone();
            if zone.name == zone.code {
                renamed.name = stored.record.name;
            }
            return self.upsert(tx, &renamed).await;
        }
        // Written back as stored: unchanged, and seen by this import (not marked removed at its end).
        let key = row_key(zone.kind, &zone.code);
        let change = self
            .zones
            .put(tx, &key, zone_values(&stored.record))
            .await?;
        Ok((stored.id, change))
    }

    /// Sets the parent of an existing zone (e.g. the EPCI of a commune), keeping the rest of what is stored.
    /// Does nothing when the zone is unknown.
    pub async fn set_parent(
        &mut self,
        tx: &mut Change,
        kind: ZoneKind,
        code: &str,
        parent: Option<&str>,
    ) -> Result<Option<RowChange>> {
        let Some(stored) = stored(tx, kind, code).await? else {
            return Ok(None);
        };
        let record = ZoneRecord {
            parent_code: parent.map(str::to_string),
            ..stored.record
        };
        Ok(Some(self.upsert(tx, &record).await?.1))
    }

    /// Sets one population figure (band `TOTAL` for the whole population).
    pub async fn set_population(
        &mut self,
        tx: &mut Change,
        zone_id: i64,
        vintage: i64,
        band: &str,
        value: f64,
    ) -> Result<RowChange> {
        let table = match self.populations.entry(vintage) {
            std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::hash_map::Entry::Vacant(e) => {
                let vintages = [vintage.to_string()];
                let scope = ("CAST(vintage AS TEXT)", &vintages[..]);
                e.insert(population_table(tx, scope, self.batch_id).await?)
            }
        };
        let change = put_population(tx, table, zone_id, vintage, band, value).await?;
        if table.wants_flush() {
            table.flush(tx).await?;
        }
        Ok(change)
    }

    /// Marks removed the zones of `kind` (only those whose parent is in `parents`, when given) that this import
    /// did not write. They stay in the store, with their history, but no longer count.
    pub async fn mark_unseen_removed(
        &mut self,
        tx: &mut Change,
        kind: ZoneKind,
        parents: Option<&HashSet<String>>,
    ) -> Result<u64> {
        let prefix = row_key(kind, "");
        self.zones
            .mark_unseen_removed_where(tx, "parent_code", |key, parent| {
                key.starts_with(&prefix)
                    && parents.is_none_or(|p| parent.is_some_and(|c| p.contains(c)))
            })
            .await
    }

    /// Writes the pending inserts: before the import commits.
    pub async fn finish(&mut self, tx: &mut Change) -> Result<()> {
        self.zones.flush(tx).await?;
        for table in self.populations.values_mut() {
            table.flush(tx).await?;
        }
        Ok(())
    }
}

/// The zone of `kind` and `code` as stored, marked removed or not.
async fn stored(tx: &mut Change, kind: ZoneKind, code: &str) -> Result<Option<StoredZone>> {
    let Some(r) = sqlx::query(
        "SELECT id, name, parent_code, departement, attributes, removed_batch_id FROM zone
         WHERE kind = $1 AND code = $2",
    )
    .bind(kind.as_str())
    .bind(code)
    .fetch_optional(tx.conn())
    .await?
    else {
        return Ok(None);
    };
    let attributes: String = r.try_get("attributes")?;
    Ok(Some(StoredZone {
        id: r.try_get("id")?,
        record: ZoneRecord {
            kind,
            code: code.to_string(),
            name: r.try_get("name")?,
            parent_code: r.try_get("parent_code")?,
            departement: r.try_get("departement")?,
            attributes: serde_json::from_str(&attributes).unwrap_or_default(),
        },
        removed: r.try_get::<Option<i64>, _>("removed_batch_id")?.is_some(),
    }))
}

/// Inserts or updates one zone's identity ([`ZoneTables::upsert`]), outside the import of a file.
pub async fn upsert(tx: &mut Change, zone: &ZoneRecord, batch_id: i64) -> Result<(i64, RowChange)> {
    let mut tables = ZoneTables::one(tx, zone.kind, &zone.code, batch_id).await?;
    let written = tables.upsert(tx, zone).await?;
    tables.finish(tx).await?;
    Ok(written)
}

/// Sets a zone's contour (WGS84). Bounding box, centroid and geodesic area are stored with it.
pub async fn set_geometry(
    tx: &mut Change,
    zone_id: i64,
    geometry: &MultiPolygon<f64>,
    batch_id: i64,
) -> Result<RowChange> {
    let text = geometry_to_geojson(geometry);
    let hash = row_hash([Some(text.as_str())]);
    let old: Option<String> =
        sqlx::query_scalar("SELECT row_hash FROM zone_geometry WHERE zone_id = $1")
            .bind(zone_id)
            .fetch_optional(tx.conn())
            .await?;
    if old.as_deref() == Some(hash.as_str()) {
        return Ok(RowChange::Unchanged);
    }
    let rect = geometry.bounding_rect().ok_or(StoreError::InvalidValue {
        field: "geometry",
        value: "géométrie vide".into(),
    })?;
    let centroid = geometry.centroid().unwrap_or_else(|| rect.center().into());
    let area = geometry.geodesic_area_unsigned();
    sqlx::query("DELETE FROM zone_geometry WHERE zone_id = $1")
        .bind(zone_id)
        .execute(tx.conn())
        .await?;
    sqlx::query(
        "INSERT INTO zone_geometry (zone_id, geojson, min_lon, min_lat, max_lon, max_lat, centroid_lon,
             centroid_lat, area_m2, row_hash, batch_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(zone_id)
    .bind(text)
    .bind(rect.min().x)
    .bind(rect.min().y)
    .bind(rect.max().x)
    .bind(rect.max().y)
    .bind(centroid.x())
    .bind(centroid.y())
    .bind(area)
    .bind(hash)
    .bind(batch_id)
    .execute(tx.conn())
    .await?;
    Ok(if old.is_some() {
        RowChange::Updated
    } else {
        RowChange::Inserted
    })
}

/// Sets one population figure ([`ZoneTables::set_population`]), outside the import of a file.
pub async fn set_population(
    tx: &mut Change,
    zone_id: i64,
    vintage: i64,
    band: &str,
    value: f64,
    batch_id: i64,
) -> Result<RowChange> {
    let key = [population_key(zone_id, vintage, band)];
    let mut table = population_table(tx, ("row_key", &key), batch_id).await?;
    let change = put_population(tx, &mut table, zone_id, vintage, band, value).await?;
    table.flush(tx).await?;
    Ok(change)
}

/// The population rows of `scope`, as `rows` writes them.
async fn population_table(
    tx: &mut Change,
    scope: (&'static str, &[String]),
    batch_id: i64,
) -> Result<HashedTable> {
    HashedTable::load_scoped(
        tx,
        "population",
        "row_key",
        POPULATION_COLUMNS,
        batch_id,
        Some(scope),
    )
    .await
}

async fn put_population(
    tx: &mut Change,
    table: &mut HashedTable,
    zone_id: i64,
    vintage: i64,
    band: &str,
    value: f64,
) -> Result<RowChange> {
    let values = vec![
        Val::Int(Some(zone_id)),
        Val::Int(Some(vintage)),
        Val::text(band),
        Val::Real(Some(value)),
    ];
    table
        .put(tx, &population_key(zone_id, vintage, band), values)
        .await
}

/// How a zone's population figure was obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PopulationMethod {
    /// Published for the zone itself (INSEE, legal population).
    Published,
    /// Sum of the IRIS the quartier is made of.
    SumOfIris,
    /// Share of each IRIS's population proportional to the area of the IRIS inside the zone.
    AreaWeighted,
}

#[derive(Debug, Clone, Serialize)]
pub struct PopulationFigure {
    pub value: f64,
    pub vintage: i64,
    pub method: PopulationMethod,
}

#[derive(Debug, Clone, Serialize)]
pub struct Zone {
    pub id: i64,
    pub kind: ZoneKind,
    pub code: String,
    pub name: String,
    pub parent_code: Option<String>,
    pub departement: Option<String>,
    pub attributes: serde_json::Value,
    pub population: Option<PopulationFigure>,
}

impl Zone {
    /// The commune a zone lies in (itself for a commune or an arrondissement), None above the commune.
    pub fn commune(&self) -> Option<&str> {
        match self.kind {
            ZoneKind::Commune | ZoneKind::Arrondissement => Some(self.code.as_str()),
            ZoneKind::Iris | ZoneKind::Quartier | ZoneKind::Qpv => self.parent_code.as_deref(),
            ZoneKind::Epci | ZoneKind::Departement | ZoneKind::Region => None,
        }
    }
}

/// Every zone in force (not removed), ordered by kind then code, with its population.
pub async fn list(store: &Store) -> Result<Vec<Zone>> {
    let rows = sqlx::query(
        "SELECT id, kind, code, name, parent_code, departement, attributes FROM zone
         WHERE removed_batch_id IS NULL ORDER BY kind, code",
    )
    .fetch_all(store.pool())
    .await?;
    let populations = populations(store).await?;
    let mut zones = Vec::with_capacity(rows.len());
    for r in rows {
        let id: i64 = r.try_get("id")?;
        let kind: String = r.try_get("kind")?;
        zones.push(Zone {
            id,
            kind: ZoneKind::parse(&kind).ok_or(StoreError::InvalidValue {
                field: "zone.kind",
                value: maillage_kit::quoted(&kind),
            })?,
            code: r.try_get("code")?,
            name: r.try_get("name")?,
            parent_code: r.try_get("parent_code")?,
            departement: r.try_get("departement")?,
            attributes: serde_json::from_str(&r.try_get::<String, _>("attributes")?)
                .unwrap_or_default(),
            population: populations.get(&id).cloned(),
        });
    }
    zones.sort_by(|a, b| (a.kind, &a.code).cmp(&(b.kind, &b.code)));
    Ok(zones)
}

/// Population by age band of one zone for its latest vintage (bands as stored, `TOTAL` included).
pub async fn population_bands(
    store: &Store,
    zone_id: i64,
) -> Result<(Option<i64>, Vec<(String, f64)>)> {
    let vintage: Option<i64> =
        sqlx::query_scalar("SELECT MAX(vintage) FROM population WHERE zone_id = $1")
            .bind(zone_id)
            .fetch_one(store.pool())
            .await?;
    let Some(vintage) = vintage else {
        return Ok((None, vec![]));
    };
    let rows = sqlx::query(
        "SELECT band, value FROM population WHERE zone_id = $1 AND vintage = $2 ORDER BY band",
    )
    .bind(zone_id)
    .bind(vintage)
    .fetch_all(store.pool())
    .await?;
    let bands = rows
        .iter()
        .map(|r| {
            Ok((
                r.try_get::<String, _>("band")?,
                r.try_get::<f64, _>("value")?,
            ))
        })
        .collect::<Result<Vec<_>>>()?;
    Ok((Some(vintage), bands))
}

/// The geometry of every zone in force of the given kinds.
pub async fn geometries(
    store: &Store,
    kinds: &[ZoneKind],
) -> Result<Vec<(i64, ZoneKind, String, MultiPolygon<f64>)>> {
    let rows = sqlx::query(
        "SELECT z.id, z.kind, z.code, g.geojson FROM zone z JOIN zone_geometry g ON g.zone_id = z.id
         WHERE z.removed_batch_id IS NULL ORDER BY z.id",
    )
    .fetch_all(store.pool())
    .await?;
    let mut out = Vec::new();
    for r in rows {
        let kind = ZoneKind::parse(&r.try_get::<String, _>("kind")?);
        let Some(kind) = kind.filter(|k| kinds.contains(k)) else {
            continue;
        };
        let text: String = r.try_get("geojson")?;
        if let Some(g) = geometry_from_geojson(&text) {
            out.push((r.try_get("id")?, kind, r.try_get("code")?, g));
        }
    }
    Ok(out)
}

/// The population of every zone that has one: published figures first, then quartiers as sums of their IRIS,
/// then zones with a contour but no figure (drawn quartiers, QPV) by area-weighting the IRIS they overlap.
pub async fn populations(store: &Store) -> Result<HashMap<i64, PopulationFigure>> {
    let rows = sqlx::query(
        "SELECT p.zone_id, p.vintage, p.value FROM population p JOIN zone z ON z.id = p.zone_id
         WHERE p.band = 'TOTAL' AND z.removed_batch_id IS NULL ORDER BY p.zone_id, p.vintage",
    )
    .fetch_all(store.pool())
    .await?;
    let mut out: HashMap<i64, PopulationFigure> = HashMap::new();
    for r in rows {
        // Ordered by vintage: the latest one wins.
        out.insert(
            r.try_get("zone_id")?,
            PopulationFigure {
                value: r.try_get("value")?,
                vintage: r.try_get("vintage")?,
                method: PopulationMethod::Published,
            },
        );
    }
    let iris_by_code: HashMap<String, i64> =
        sqlx::query("SELECT id, code FROM zone WHERE kind = 'iris' AND removed_batch_id IS NULL")
            .fetch_all(store.pool())
            .await?
            .iter()
            .map(|r| Ok((r.try_get::<String, _>("code")?, r.try_get::<i64, _>("id")?)))
            .collect::<Result<_>>()?;
    let unions = sqlx::query(
        "SELECT q.quartier_id, q.iris_code FROM quartier_iris q JOIN zone z ON z.id = q.quartier_id
         WHERE z.removed_batch_id IS NULL ORDER BY q.quartier_id",
    )
    .fetch_all(store.pool())
    .await?;
    let mut sums: HashMap<i64, (f64, i64)> = HashMap::new();
    for r in unions {
        let quartier: i64 = r.try_get("quartier_id")?;
        let iris: String = r.try_get("iris_code")?;
        if let Some(p) = iris_by_code.get(&iris).and_then(|id| out.get(id)) {
            let e = sums.entry(quartier).or_insert((0.0, p.vintage));
            e.0 += p.value;
            e.1 = e.1.min(p.vintage);
        }
    }
    for (quartier, (value, vintage)) in sums {
        out.entry(quartier).or_insert(PopulationFigure {
            value,
            vintage,
            method: PopulationMethod::SumOfIris,
        });
    }
    let missing: Vec<i64> = {
        let all = geometries(store, &[ZoneKind::Quartier, ZoneKind::Qpv]).await?;
        all.iter()
            .filter(|(id, ..)| !out.contains_key(id))
            .map(|(id, ..)| *id)
            .collect()
    };
    if !missing.is_empty() {
        let iris = geometries(store, &[ZoneKind::Iris]).await?;
        let targets = geometries(store, &[ZoneKind::Quartier, ZoneKind::Qpv]).await?;
        for (id, _, _, shape) in targets.into_iter().filter(|(id, ..)| missing.contains(id)) {
            if let Some(figure) = area_weighted(&shape, &iris, &out) {
                out.insert(id, figure);
            }
        }
    }
    Ok(out)
}

fn area_weighted(
    shape: &MultiPolygon<f64>,
    iris: &[(i64, ZoneKind, String, MultiPolygon<f64>)],
    known: &HashMap<i64, PopulationFigure>,
) -> Option<PopulationFigure> {
    use geo::BooleanOps;
    let rect = shape.bounding_rect()?;
    let mut value = 0.0;
    let mut vintage = i64::MAX;
    let mut any = false;
    for (iris_id, _, _, iris_shape) in iris {
        let Some(pop) = known.get(iris_id) else {
            continue;
        };
        let Some(r) = iris_shape.bounding_rect() else {
            continue;
        };
        if r.max().x < rect.min().x
            || r.min().x > rect.max().x
            || r.max().y < rect.min().y
            || r.min().y > rect.max().y
        {
            continue;
        }
        let whole = iris_shape.unsigned_area();
        if whole <= 0.0 {
            continue;
        }
        let inside = shape.intersection(iris_shape).unsigned_area();
        if inside > 0.0 {
            value += pop.value * (inside / whole).min(1.0);
            vintage = vintage.min(pop.vintage);
            any = true;
        }
    }
    any.then_some(PopulationFigure {
        value,
        vintage,
        method: PopulationMethod::AreaWeighted,
    })
}

/// Defines a quartier as the union of the given IRIS (replacing a previous definition).
pub async fn set_quartier_iris(
    tx: &mut Change,
    quartier_id: i64,
    iris: &[String],
) -> Result<RowChange> {
    let old: Vec<String> = sqlx::query_scalar(
        "SELECT iris_code FROM quartier_iris WHERE quartier_id = $1 ORDER BY iris_code",
    )
    .bind(quartier_id)
    .fetch_all(tx.conn())
    .await?;
    let mut new: Vec<String> = iris.to_vec();
    new.sort();
    new.dedup();
    if old == new {
        return Ok(RowChange::Unchanged);
    }
    sqlx::query("DELETE FROM quartier_iris WHERE quartier_id = $1")
        .bind(quartier_id)
        .execute(tx.conn())
        .await?;
    for code in &new {
        sqlx::query("INSERT INTO quartier_iris (quartier_id, iris_code) VALUES ($1, $2)")
            .bind(quartier_id)
            .bind(code)
            .execute(tx.conn())
            .await?;
    }
    Ok(if old.is_empty() {
        RowChange::Inserted
    } else {
        RowChange::Updated
    })
}

/// Centroid (lon, lat) of every zone in force that has a contour.
pub async fn centroids(store: &Store) -> Result<HashMap<i64, (f64, f64)>> {
    sqlx::query(
        "SELECT g.zone_id, g.centroid_lon, g.centroid_lat FROM zone_geometry g JOIN zone z ON z.id = g.zone_id
         WHERE z.removed_batch_id IS NULL",
    )
    .fetch_all(store.pool())
    .await?
    .iter()
    .map(|r| Ok((r.try_get("zone_id")?, (r.try_get("centroid_lon")?, r.try_get("centroid_lat")?))))
    .collect()
}

/// The IRIS each quartier is made of, by quartier code.
pub async fn quartier_members(store: &Store) -> Result<HashMap<String, Vec<String>>> {
    let mut out: HashMap<String, Vec<String>> = HashMap::new();
    for r in sqlx::query(
        "SELECT z.code, q.iris_code FROM quartier_iris q JOIN zone z ON z.id = q.quartier_id
         WHERE z.removed_batch_id IS NULL ORDER BY z.code, q.iris_code",
    )
    .fetch_all(store.pool())
    .await?
    {
        out.entry(r.try_get("code")?)
            .or_default()
            .push(r.try_get("iris_code")?);
    }
    Ok(out)
}

/// For every zone, its population in each of `bands` at the latest vintage that gives all of them (zones
/// lacking one of the bands at every vintage are absent): the age structure of demand.
pub async fn population_by_bands(store: &Store, bands: &[&str]) -> Result<HashMap<i64, Vec<f64>>> {
    let rows = sqlx::query(
        "SELECT zone_id, vintage, band, value FROM population WHERE band <> 'TOTAL' ORDER BY zone_id, vintage",
    )
    .fetch_all(store.pool())
    .await?;
    let mut by_vintage: HashMap<(i64, i64), Vec<Option<f64>>> = HashMap::new();
    for r in rows {
        let band: String = r.try_get("band")?;
        let Some(i) = bands.iter().position(|b| *b == band) else {
            continue;
        };
        let key = (r.try_get("zone_id")?, r.try_get("vintage")?);
        by_vintage
            .entry(key)
            .or_insert_with(|| vec![None; bands.len()])[i] = Some(r.try_get("value")?);
    }
    let mut out: HashMap<i64, (i64, Vec<f64>)> = HashMap::new();
    for ((zone, vintage), values) in by_vintage {
        let Some(values) = values.into_iter().collect::<Option<Vec<f64>>>() else {
            continue;
        };
        if out.get(&zone).is_none_or(|(v, _)| *v < vintage) {
            out.insert(zone, (vintage, values));
        }
    }
    Ok(out.into_iter().map(|(z, (_, v))| (z, v)).collect())
}

//! Which zones each geolocated practice site and establishment lies in. Recomputed inside the transaction of
//! every import that changes positions or contours, so indicators never see a stale assignment.

use crate::Result;
use crate::change::Change;
use crate::codec::geometry_from_geojson;
use crate::zones::ZoneKind;
use geo::{BoundingRect, Contains, MultiPolygon, Point};
use rstar::{AABB, RTree, RTreeObject};
use sqlx::AssertSqlSafe;
use sqlx::Row;
use std::collections::HashMap;

struct ZoneShape {
    id: i64,
    kind: ZoneKind,
    code: String,
    shape: MultiPolygon<f64>,
    envelope: AABB<[f64; 2]>,
}

impl RTreeObject for ZoneShape {
    type Envelope = AABB<[f64; 2]>;
    fn envelope(&self) -> Self::Envelope {
        self.envelope
    }
}

#[derive(Debug, Clone, Copy, Default, serde::Serialize)]
pub struct LocationStats {
    pub located: u64,
    pub without_position: u64,
    pub memberships: u64,
}

/// Rebuilds `location_zone` for every practice site and establishment in force.
pub async fn refresh(tx: &mut Change) -> Result<LocationStats> {
    let mut shapes = Vec::new();
    for r in sqlx::query(
        "SELECT z.id, z.kind, z.code, g.geojson FROM zone z JOIN zone_geometry g ON g.zone_id = z.id
         WHERE z.removed_batch_id IS NULL",
    )
    .fetch_all(tx.conn())
    .await?
    {
        let Some(kind) = ZoneKind::parse(&r.try_get::<String, _>("kind")?) else { continue };
        let Some(shape) = geometry_from_geojson(&r.try_get::<String, _>("geojson")?) else { continue };
        let Some(rect) = shape.bounding_rect() else { continue };
        shapes.push(ZoneShape {
            id: r.try_get("id")?,
            kind,
            code: r.try_get("code")?,
            shape,
            envelope: AABB::from_corners([rect.min().x, rect.min().y], [rect.max().x, rect.max().y]),
        });
    }
    let tree = RTree::bulk_load(shapes);

    // Quartiers made of IRIS: a point is in the quartier when its IRIS is.
    let mut quartiers_of_iris: HashMap<String, Vec<i64>> = HashMap::new();
    for r in sqlx::query(
        "SELECT q.quartier_id, q.iris_code FROM quartier_iris q JOIN zone z ON z.id = q.quartier_id
         WHERE z.removed_batch_id IS NULL",
    )
    .fetch_all(tx.conn())
    .await?
    {
        quartiers_of_iris
            .entry(r.try_get("iris_code")?)
            .or_default()
            .push(r.try_get("quartier_id")?);
    }

    // Communes and arrondissements by code, for places whose commune is known but not (or not inside) a contour.
    let mut commune_zones: HashMap<String, Vec<i64>> = HashMap::new();
    for r in sqlx::query(
        "SELECT z.id, z.code, p.id AS parent_id FROM zone z
         LEFT JOIN zone p ON p.kind = 'commune' AND p.code = z.parent_code AND z.kind = 'arrondissement'
         WHERE z.kind IN ('commune', 'arrondissement') AND z.removed_batch_id IS NULL",
    )
    .fetch_all(tx.conn())
    .await?
    {
        let e = commune_zones.entry(r.try_get("code")?).or_default();
        e.push(r.try_get("id")?);
        e.extend(r.try_get::<Option<i64>, _>("parent_id")?);
    }

    sqlx::query("DELETE FROM location_zone")
        .execute(tx.conn())
        .await?;
    let mut stats = LocationStats::default();
    // Places are read a page at a time (by key) and their memberships written after each page, so that memory
    // stays bounded whatever the number of places (a national import holds millions).
    const PAGE: usize = 5000;
    for (subject, table, key_column) in [
        ("site", "practice_site", "site_key"),
        ("etablissement", "establishment", "finess_et"),
    ] {
        let sql = format!(
            "SELECT {key_column} AS k, lon, lat, commune_code FROM {table}
             WHERE removed_batch_id IS NULL AND {key_column} > $1 ORDER BY {key_column} LIMIT {PAGE}"
        );
        let mut after = String::new();
        loop {
            let rows = sqlx::query(AssertSqlSafe(sql.clone()))
                .bind(after.clone())
                .fetch_all(tx.conn())
                .await?;
            let mut pending: Vec<(&'static str, String, i64)> = Vec::new();
            for r in &rows {
                let key: String = r.try_get("k")?;
                let commune: Option<String> = r.try_get("commune_code")?;
                let mut zones: Vec<i64> = Vec::new();
                let mut in_commune = false;
                if let (Some(lon), Some(lat)) = (
                    r.try_get::<Option<f64>, _>("lon")?,
                    r.try_get::<Option<f64>, _>("lat")?,
                ) {
                    stats.located += 1;
                    let p = Point::new(lon, lat);
                    for z in tree.locate_in_envelope_intersecting(&AABB::from_point([lon, lat])) {
                        if z.shape.contains(&p) {
                            zones.push(z.id);
                            in_commune |=
                                matches!(z.kind, ZoneKind::Commune | ZoneKind::Arrondissement);
                            if z.kind == ZoneKind::Iris {
                                zones.extend(
                                    quartiers_of_iris
                                        .get(&z.code)
                                        .into_iter()
                                        .flatten()
                                        .copied(),
                                );
                            }
                        }
                    }
                } else {
                    stats.without_position += 1;
                }
                if !in_commune {
                    zones.extend(
                        commune
                            .and_then(|c| commune_zones.get(&c))
                            .into_iter()
                            .flatten()
                            .copied(),
                    );
                }
                zones.sort_unstable();
                zones.dedup();
                for z in zones {
                    pending.push((subject, key.clone(), z));
                }
                after = key;
            }
            stats.memberships += pending.len() as u64;
            insert_memberships(tx, &pending).await?;
            if rows.len() < PAGE {
                break;
            }
        }
    }
    Ok(stats)
}

async fn insert_memberships(
    tx: &mut Change,
    pending: &[(&'static str, String, i64)],
) -> Result<()> {
    for chunk in pending.chunks(2000) {
        let mut sql =
            String::from("INSERT INTO location_zone (subject_kind, subject_key, zone_id) VALUES ");
        let mut p = crate::codec::Placeholders::new(tx.conn());
        let tuples: Vec<String> = chunk.iter().map(|_| p.tuple(3)).collect();
        sql.push_str(&tuples.join(", "));
        let mut q = sqlx::query(AssertSqlSafe(sql.clone()));
        for (s, k, z) in chunk {
            q = q.bind(*s).bind(k.clone()).bind(*z);
        }
        q.execute(tx.conn()).await?;
    }
    Ok(())
}

/// How the places the figures count were put into zones: practice sites carrying a countable activity and
/// pharmacies, by coordinates or by the commune code alone (see [`refresh`]).
pub async fn placement(
    store: &crate::Store,
) -> Result<maillage_indicators::professions::Placement> {
    // Doctors without savoir-faire are counted only when the rule in force says so.
    let countable = if crate::supply::gp_rule(store).await?.doctors_without_skill {
        crate::supply::COUNTABLE_ACTIVITY
    } else {
        "a.profession IS NOT NULL"
    };
    const COUNTS: &str = "COALESCE(SUM(CASE WHEN x.lon IS NOT NULL AND x.lat IS NOT NULL THEN 1 ELSE 0 END), 0) AS by_position,
         COALESCE(SUM(CASE WHEN (x.lon IS NULL OR x.lat IS NULL) AND x.commune_code IS NOT NULL THEN 1 ELSE 0 END), 0) AS by_commune,
         COALESCE(SUM(CASE WHEN (x.lon IS NULL OR x.lat IS NULL) AND x.commune_code IS NULL THEN 1 ELSE 0 END), 0) AS unplaced";
    let sites = sqlx::query(AssertSqlSafe(format!(
        "SELECT {COUNTS} FROM practice_site x
         WHERE x.removed_batch_id IS NULL AND EXISTS (SELECT 1 FROM activity a
             WHERE a.site_key = x.site_key AND a.removed_batch_id IS NULL AND {countable})"
    )))
    .fetch_one(store.pool())
    .await?;
    let pharmacies = sqlx::query(AssertSqlSafe(format!(
        "SELECT {COUNTS} FROM establishment x WHERE x.removed_batch_id IS NULL AND x.category_code = $1"
    )))
    .bind(crate::observatory::PHARMACY_CATEGORY)
    .fetch_one(store.pool())
    .await?;
    let n = |r: &sqlx::any::AnyRow, c: &str| -> Result<u64> {
        Ok(r.try_get::<i64, _>(c)?.max(0) as u64)
    };
    Ok(maillage_indicators::professions::Placement {
        sites_by_position: n(&sites, "by_position")?,
        sites_by_commune: n(&sites, "by_commune")?,
        pharmacies_by_position: n(&pharmacies, "by_position")?,
        pharmacies_by_commune: n(&pharmacies, "by_commune")?,
        unplaced: n(&sites, "unplaced")? + n(&pharmacies, "unplaced")?,
    })
}

//! What exports and reports read beyond zones and indicators: the IRIS each quartier is made of, and a contour
//! for every quartier — its own when it was drawn, else the union of its IRIS (a quartier defined as a list of
//! IRIS has no contour of its own, yet maps and GIS files need one).

use crate::zones::{self, ZoneKind};
use crate::{Result, Store};
use geo::MultiPolygon;
use sqlx::Row;
use std::collections::{BTreeMap, HashMap};

/// The IRIS codes of each quartier defined as a union of IRIS, by quartier zone id.
pub async fn quartier_iris(store: &Store) -> Result<BTreeMap<i64, Vec<String>>> {
    let rows = sqlx::query(
        "SELECT q.quartier_id, q.iris_code FROM quartier_iris q JOIN zone z ON z.id = q.quartier_id
         WHERE z.removed_batch_id IS NULL ORDER BY q.quartier_id, q.iris_code",
    )
    .fetch_all(store.pool())
    .await?;
    let mut out: BTreeMap<i64, Vec<String>> = BTreeMap::new();
    for r in rows {
        out.entry(r.try_get("quartier_id")?)
            .or_default()
            .push(r.try_get("iris_code")?);
    }
    Ok(out)
}

/// The contour of every quartier in force, by zone id: the stored one, or the union of its IRIS.
pub async fn quartier_contours(store: &Store) -> Result<HashMap<i64, MultiPolygon<f64>>> {
    let shapes = zones::geometries(store, &[ZoneKind::Quartier, ZoneKind::Iris]).await?;
    let mut out: HashMap<i64, MultiPolygon<f64>> = HashMap::new();
    let mut iris: HashMap<&str, &MultiPolygon<f64>> = HashMap::new();
    for (id, kind, code, g) in &shapes {
        match kind {
            ZoneKind::Quartier => {
                out.insert(*id, g.clone());
            }
            _ => {
                iris.insert(code.as_str(), g);
            }
        }
    }
    for (quartier, codes) in quartier_iris(store).await? {
        if out.contains_key(&quartier) {
            continue;
        }
        let parts: Vec<&MultiPolygon<f64>> = codes
            .iter()
            .filter_map(|c| iris.get(c.as_str()).copied())
            .collect();
        if !parts.is_empty() {
            out.insert(quartier, geo::unary_union(parts));
        }
    }
    Ok(out)
}

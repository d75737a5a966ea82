//! The background map's features (`basemap_feature`): written whole when the territory's OpenStreetMap extract
//! is read (or the demonstration is built), read by box and layer for a tile or a printed map. Streets and
//! rivers hold no personal data: any account reads them, and no reach applies.

use crate::change::Change;
use crate::{Result, Store};
use maillage_kit::basemap::{LonLatBox, MapFeature, MapLayer};
use maillage_kit::codes::Coded;
use sqlx::Row;

/// The most features one read returns: a tile of a dense city centre at the widest zoom holds a few thousand;
/// beyond this, the least important layers are left out rather than the page waiting.
pub const MAX_FEATURES: i64 = 20_000;

/// Replaces every feature; returns how many were written (features without points are left out).
pub async fn replace(tx: &mut Change, features: &[MapFeature]) -> Result<usize> {
    sqlx::query("DELETE FROM basemap_feature")
        .execute(tx.conn())
        .await?;
    let rows: Vec<(MapFeature, LonLatBox)> = features
        .iter()
        .filter_map(|f| LonLatBox::around(&f.points).map(|b| (f.clone(), b)))
        .collect();
    for (n, chunk) in rows.chunks(500).enumerate() {
        let mut sql = String::from(
            "INSERT INTO basemap_feature (id, layer, name, min_lon, min_lat, max_lon, max_lat, points) VALUES ",
        );
        let mut p = crate::codec::Placeholders::new(tx.conn());
        let tuples: Vec<String> = chunk.iter().map(|_| p.tuple(8)).collect();
        sql.push_str(&tuples.join(", "));
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for (i, (f, b)) in chunk.iter().enumerate() {
            q = q
                .bind((n * 500 + i + 1) as i64)
                .bind(f.layer.code())
                .bind(f.name.clone())
                .bind(b.min_lon)
                .bind(b.min_lat)
                .bind(b.max_lon)
                .bind(b.max_lat)
                .bind(encode(&f.points));
        }
        q.execute(tx.conn()).await?;
    }
    Ok(rows.len())
}

/// The features of `layers` whose box meets `area`, the main layers first, at most [`MAX_FEATURES`].
pub async fn in_box(
    store: &Store,
    area: LonLatBox,
    layers: &[MapLayer],
) -> Result<Vec<MapFeature>> {
    if layers.is_empty() {
        return Ok(Vec::new());
    }
    // A handful of parameters: numbered ones suit both backends here.
    let list: Vec<String> = (0..layers.len()).map(|i| format!("${}", i + 5)).collect();
    let sql = format!(
        "SELECT layer, name, points FROM basemap_feature \
         WHERE max_lon >= $1 AND min_lon <= $2 AND max_lat >= $3 AND min_lat <= $4 AND layer IN ({}) \
         ORDER BY id LIMIT {MAX_FEATURES}",
        list.join(", ")
    );
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(area.min_lon)
        .bind(area.max_lon)
        .bind(area.min_lat)
        .bind(area.max_lat);
    for l in layers {
        q = q.bind(l.code());
    }
    let rows = q.fetch_all(store.pool()).await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let code: String = r.try_get("layer")?;
        // A code this version does not know (written by a later one): left out, not an error.
        let Some(layer) = MapLayer::parse(&code) else {
            continue;
        };
        let points: String = r.try_get("points")?;
        out.push(MapFeature {
            layer,
            name: r.try_get("name")?,
            points: decode(&points),
        });
    }
    Ok(out)
}

/// How many features are kept (0: no background map, the maps draw a plain ground).
pub async fn count(store: &Store) -> Result<i64> {
    Ok(sqlx::query("SELECT COUNT(*) AS n FROM basemap_feature")
        .fetch_one(store.pool())
        .await?
        .try_get("n")?)
}

fn encode(points: &[(f64, f64)]) -> String {
    points
        .iter()
        .map(|(lon, lat)| format!("{lon:.7} {lat:.7}"))
        .collect::<Vec<_>>()
        .join(";")
}

fn decode(text: &str) -> Vec<(f64, f64)> {
    text.split(';')
        .filter_map(|pair| {
            let (lon, lat) = pair.split_once(' ')?;
            Some((lon.parse().ok()?, lat.parse().ok()?))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_read_back() {
        let points = vec![(1.7, 46.8), (-0.1234567, 45.0000001)];
        assert_eq!(decode(&encode(&points)), points);
        assert!(decode("").is_empty());
    }
}

//! A road network kept in the store (the demonstration territory's; real territories route on an
//! OpenStreetMap extract instead).

use crate::change::Change;
use crate::{Result, Store};
use sqlx::Row;

#[derive(Debug, Clone, PartialEq)]
pub struct RoadNetwork {
    /// (id, lon, lat)
    pub nodes: Vec<(i64, f64, f64)>,
    /// (from, to, milliseconds), directed
    pub edges: Vec<(i64, i64, i64)>,
}

/// Replaces the stored network.
pub async fn replace(tx: &mut Change, network: &RoadNetwork) -> Result<()> {
    sqlx::query("DELETE FROM road_edge")
        .execute(tx.conn())
        .await?;
    sqlx::query("DELETE FROM road_node")
        .execute(tx.conn())
        .await?;
    for chunk in network.nodes.chunks(2000) {
        let mut sql = String::from("INSERT INTO road_node (id, lon, lat) VALUES ");
        let mut p = crate::codec::Placeholders::new(tx.conn());
        let tuples: Vec<String> = chunk.iter().map(|_| p.tuple(3)).collect();
        sql.push_str(&tuples.join(", "));
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for (id, lon, lat) in chunk {
            q = q.bind(*id).bind(*lon).bind(*lat);
        }
        q.execute(tx.conn()).await?;
    }
    for chunk in network.edges.chunks(2000) {
        let mut sql = String::from("INSERT INTO road_edge (from_node, to_node, millis) VALUES ");
        let mut p = crate::codec::Placeholders::new(tx.conn());
        let tuples: Vec<String> = chunk.iter().map(|_| p.tuple(3)).collect();
        sql.push_str(&tuples.join(", "));
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for (a, b, ms) in chunk {
            q = q.bind(*a).bind(*b).bind(*ms);
        }
        q.execute(tx.conn()).await?;
    }
    Ok(())
}

/// The stored network, or None when there is none.
pub async fn load(store: &Store) -> Result<Option<RoadNetwork>> {
    let nodes: Vec<(i64, f64, f64)> = sqlx::query("SELECT id, lon, lat FROM road_node ORDER BY id")
        .fetch_all(store.pool())
        .await?
        .iter()
        .map(|r| Ok((r.try_get("id")?, r.try_get("lon")?, r.try_get("lat")?)))
        .collect::<Result<_>>()?;
    if nodes.is_empty() {
        return Ok(None);
    }
    let edges =
        sqlx::query("SELECT from_node, to_node, millis FROM road_edge ORDER BY from_node, to_node")
            .fetch_all(store.pool())
            .await?
            .iter()
            .map(|r| {
                Ok((
                    r.try_get("from_node")?,
                    r.try_get("to_node")?,
                    r.try_get("millis")?,
                ))
            })
            .collect::<Result<_>>()?;
    Ok(Some(RoadNetwork { nodes, edges }))
}

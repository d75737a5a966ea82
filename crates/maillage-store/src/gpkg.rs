//! A GeoPackage (OGC 12-128r18, version 1.4) of one feature layer, written with the store's own SQLite (sqlx)
//! into an in-memory database and serialised to bytes: nothing touches the disk, and QGIS opens the result.
//! Here because it speaks SQL (only the store does); the web's observatory builds the [`Layer`] and serves the
//! file.
//!
//! What the standard requires and this writes: the `application_id` ("GPKG") and `user_version` (10400)
//! pragmas; `gpkg_spatial_ref_sys` with the three mandatory systems (-1, 0 and EPSG:4326); `gpkg_contents`
//! with the layer's extent; `gpkg_geometry_columns`; a feature table whose geometry column holds GeoPackage
//! binary geometries (a `GP` header with the SRS id and the envelope, then standard little-endian WKB). The
//! notes of the export go into an attributes table, listed in `gpkg_contents` too.

use geo::{BoundingRect, MultiPolygon, Rect};
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};
use sqlx::{ConnectOptions, Connection, Executor};
use std::str::FromStr;

/// The SQL type of a layer's column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnType {
    Text,
    Real,
    Integer,
}

/// A column of the layer's attributes.
#[derive(Debug, Clone)]
pub struct Column {
    /// A plain identifier (`[a-z0-9_]`): safe as an SQL column and a GeoJSON property.
    pub name: String,
    pub kind: ColumnType,
}

/// One attribute of a feature.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Text(String),
    Real(f64),
    Integer(i64),
    Null,
}

/// A zone of the layer: its contour and its attributes.
#[derive(Debug, Clone)]
pub struct Feature {
    pub geometry: Option<MultiPolygon<f64>>,
    /// One value per column, in order.
    pub values: Vec<Value>,
}

/// A feature layer for GIS software (built by the observatory's exports, written as GeoJSON or GeoPackage).
#[derive(Debug, Clone)]
pub struct Layer {
    pub name: String,
    pub columns: Vec<Column>,
    pub features: Vec<Feature>,
}

/// `application_id` of a GeoPackage: the bytes "GPKG".
pub const APPLICATION_ID: i32 = 0x4750_4B47;
/// `user_version` of GeoPackage 1.4.0.
pub const USER_VERSION: i32 = 10400;
pub const SRS_WGS84: i32 = 4326;

const WGS84_WKT: &str = "GEOGCS[\"WGS 84\",DATUM[\"WGS_1984\",SPHEROID[\"WGS 84\",6378137,298.257223563,\
AUTHORITY[\"EPSG\",\"7030\"]],AUTHORITY[\"EPSG\",\"6326\"]],PRIMEM[\"Greenwich\",0,AUTHORITY[\"EPSG\",\"8901\"]],\
UNIT[\"degree\",0.0174532925199433,AUTHORITY[\"EPSG\",\"9122\"]],AXIS[\"Latitude\",NORTH],AXIS[\"Longitude\",EAST],\
AUTHORITY[\"EPSG\",\"4326\"]]";

const SCHEMA: &str = "
CREATE TABLE gpkg_spatial_ref_sys (
  srs_name TEXT NOT NULL,
  srs_id INTEGER NOT NULL PRIMARY KEY,
  organization TEXT NOT NULL,
  organization_coordsys_id INTEGER NOT NULL,
  definition TEXT NOT NULL,
  description TEXT
);
CREATE TABLE gpkg_contents (
  table_name TEXT NOT NULL PRIMARY KEY,
  data_type TEXT NOT NULL,
  identifier TEXT UNIQUE,
  description TEXT DEFAULT '',
  last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  min_x DOUBLE,
  min_y DOUBLE,
  max_x DOUBLE,
  max_y DOUBLE,
  srs_id INTEGER,
  CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id)
);
CREATE TABLE gpkg_geometry_columns (
  table_name TEXT NOT NULL,
  column_name TEXT NOT NULL,
  geometry_type_name TEXT NOT NULL,
  srs_id INTEGER NOT NULL,
  z TINYINT NOT NULL,
  m TINYINT NOT NULL,
  CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
  CONSTRAINT uk_gc_table_name UNIQUE (table_name),
  CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
  CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id)
);
";

/// The name of the attributes table holding the export's notes.
pub const NOTES_TABLE: &str = "sources_et_methodes";

fn sql_type(kind: ColumnType) -> &'static str {
    match kind {
        ColumnType::Text => "TEXT",
        ColumnType::Real => "REAL",
        ColumnType::Integer => "INTEGER",
    }
}

/// Standard WKB (ISO 13249-3, little endian) of a multipolygon.
pub fn wkb(g: &MultiPolygon<f64>) -> Vec<u8> {
    let mut out = Vec::new();
    out.push(1u8);
    out.extend(6u32.to_le_bytes());
    out.extend((g.0.len() as u32).to_le_bytes());
    for p in &g.0 {
        out.push(1u8);
        out.extend(3u32.to_le_bytes());
        let rings: Vec<&geo::LineString<f64>> =
            std::iter::once(p.exterior()).chain(p.interiors()).collect();
        out.extend((rings.len() as u32).to_le_bytes());
        for r in rings {
            out.extend((r.0.len() as u32).to_le_bytes());
            for c in &r.0 {
                out.extend(c.x.to_le_bytes());
                out.extend(c.y.to_le_bytes());
            }
        }
    }
    out
}

/// A GeoPackage binary geometry: header (magic, version 0, flags: little endian with a [minx, maxx, miny,
/// maxy] envelope), SRS id, envelope, then the WKB.
pub fn geometry_blob(g: &MultiPolygon<f64>, srs_id: i32) -> Vec<u8> {
    let mut out = vec![b'G', b'P', 0u8];
    match g.bounding_rect() {
        Some(r) => {
            out.push(0b0000_0011);
            out.extend(srs_id.to_le_bytes());
            for v in [r.min().x, r.max().x, r.min().y, r.max().y] {
                out.extend(v.to_le_bytes());
            }
        }
        // An empty multipolygon: no envelope, the "empty" flag set.
        None => {
            out.push(0b0001_0001);
            out.extend(srs_id.to_le_bytes());
        }
    }
    out.extend(wkb(g));
    out
}

fn extent(layer: &Layer) -> Option<Rect<f64>> {
    layer
        .features
        .iter()
        .filter_map(|f| f.geometry.as_ref()?.bounding_rect())
        .reduce(|a, b| {
            Rect::new(
                geo::coord! { x: a.min().x.min(b.min().x), y: a.min().y.min(b.min().y) },
                geo::coord! { x: a.max().x.max(b.max().x), y: a.max().y.max(b.max().y) },
            )
        })
}

/// Writes the layer (and the notes) as a GeoPackage and returns the file's bytes.
pub async fn write(
    layer: &Layer,
    description: &str,
    notes: &[(String, String)],
) -> crate::Result<Vec<u8>> {
    let mut conn: SqliteConnection = SqliteConnectOptions::from_str("sqlite::memory:")?
        .connect()
        .await?;
    conn.execute(sqlx::AssertSqlSafe(format!(
        "PRAGMA application_id = {APPLICATION_ID}; PRAGMA user_version = {USER_VERSION};"
    )))
    .await?;
    let mut tx = conn.begin().await?;
    tx.execute(SCHEMA).await?;
    let srs = [
        (
            "Undefined cartesian SRS",
            -1,
            "NONE",
            -1,
            "undefined",
            "undefined cartesian coordinate reference system",
        ),
        (
            "Undefined geographic SRS",
            0,
            "NONE",
            0,
            "undefined",
            "undefined geographic coordinate reference system",
        ),
        (
            "WGS 84 geodetic",
            SRS_WGS84,
            "EPSG",
            SRS_WGS84,
            WGS84_WKT,
            "longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid",
        ),
    ];
    for (name, id, org, org_id, definition, description) in srs {
        sqlx::query(
            "INSERT INTO gpkg_spatial_ref_sys (srs_name, srs_id, organization, organization_coordsys_id, \
             definition, description) VALUES (?, ?, ?, ?, ?, ?)",
        )
        .bind(name)
        .bind(id)
        .bind(org)
        .bind(org_id)
        .bind(definition)
        .bind(description)
        .execute(&mut *tx)
        .await?;
    }

    let table = &layer.name;
    let columns: Vec<String> = layer
        .columns
        .iter()
        .map(|c| format!("\"{}\" {}", c.name, sql_type(c.kind)))
        .collect();
    tx.execute(sqlx::AssertSqlSafe(format!(
        "CREATE TABLE \"{table}\" (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, geom MULTIPOLYGON, {})",
        columns.join(", ")
    )))
    .await?;
    let rect = extent(layer);
    sqlx::query(
        "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, min_x, min_y, max_x, max_y, \
         srs_id) VALUES (?, 'features', ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(table)
    .bind(table)
    .bind(description)
    .bind(rect.map(|r| r.min().x))
    .bind(rect.map(|r| r.min().y))
    .bind(rect.map(|r| r.max().x))
    .bind(rect.map(|r| r.max().y))
    .bind(SRS_WGS84)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO gpkg_geometry_columns (table_name, column_name, geometry_type_name, srs_id, z, m) \
         VALUES (?, 'geom', 'MULTIPOLYGON', ?, 0, 0)",
    )
    .bind(table)
    .bind(SRS_WGS84)
    .execute(&mut *tx)
    .await?;

    let names: Vec<String> = layer
        .columns
        .iter()
        .map(|c| format!("\"{}\"", c.name))
        .collect();
    let marks = vec!["?"; layer.columns.len() + 1].join(", ");
    let insert = format!(
        "INSERT INTO \"{table}\" (geom, {}) VALUES ({marks})",
        names.join(", ")
    );
    for f in &layer.features {
        let mut q = sqlx::query(sqlx::AssertSqlSafe(insert.as_str()))
            .bind(f.geometry.as_ref().map(|g| geometry_blob(g, SRS_WGS84)));
        for v in &f.values {
            q = match v {
                Value::Text(s) => q.bind(s.as_str()),
                Value::Real(x) => q.bind(*x),
                Value::Integer(i) => q.bind(*i),
                Value::Null => q.bind(Option::<String>::None),
            };
        }
        q.execute(&mut *tx).await?;
    }

    tx.execute(sqlx::AssertSqlSafe(format!(
        "CREATE TABLE \"{NOTES_TABLE}\" (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, rubrique TEXT NOT NULL, \
         precisions TEXT NOT NULL)"
    )))
    .await?;
    sqlx::query(
        "INSERT INTO gpkg_contents (table_name, data_type, identifier, description) VALUES (?, 'attributes', ?, ?)",
    )
    .bind(NOTES_TABLE)
    .bind(NOTES_TABLE)
    .bind("Territoire, date, filtres, secret statistique, méthodes et sources de l'export")
    .execute(&mut *tx)
    .await?;
    for (k, v) in notes {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO \"{NOTES_TABLE}\" (rubrique, precisions) VALUES (?, ?)"
        )))
        .bind(k.as_str())
        .bind(v.as_str())
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    let bytes = conn.serialize(None).await?.to_vec();
    conn.close().await?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::polygon;

    #[test]
    fn geometry_blob_has_the_geopackage_header_and_wkb() {
        let g = MultiPolygon(vec![
            polygon![(x: 1.0, y: 46.0), (x: 2.0, y: 46.0), (x: 2.0, y: 47.5), (x: 1.0, y: 46.0)],
        ]);
        let b = geometry_blob(&g, 4326);
        assert_eq!(&b[..4], &[b'G', b'P', 0, 3]);
        assert_eq!(i32::from_le_bytes(b[4..8].try_into().unwrap()), 4326);
        let env: Vec<f64> = (0..4)
            .map(|i| f64::from_le_bytes(b[8 + 8 * i..16 + 8 * i].try_into().unwrap()))
            .collect();
        assert_eq!(env, vec![1.0, 2.0, 46.0, 47.5]);
        let w = &b[40..];
        assert_eq!(w[0], 1);
        assert_eq!(u32::from_le_bytes(w[1..5].try_into().unwrap()), 6);
        // 1 polygon, of type 3, 1 ring of 4 points: 1+4+4 + 1+4+4 + 4 + 4*16 bytes.
        assert_eq!(w.len(), 9 + 9 + 4 + 64);
    }
}

//! The SQL side of GeoPackage contours: a GeoPackage is a SQLite database, and only this crate speaks SQL.
//! These statements run on the user's file (always SQLite, opened read-only and immutable), never on the
//! store; the decoding (geometry blobs, systems, which layers hold zones) is `maillage_formats::contours::gpkg`.

use std::collections::BTreeMap;
use std::path::Path;

use futures_util::TryStreamExt;
use maillage_formats::contours::gpkg::{GpkgFeatures, GpkgLayer, choose_layers};
use maillage_formats::contours::{Contours, ContoursInfo, ZoneKind};
use maillage_formats::{FormatError, FormatErrorKind, Location};
use serde_json::Value;
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection, SqliteRow};
use sqlx::{Column, Connection, Row, TypeInfo, ValueRef};

use crate::Result;

/// Reads the contours of every layer of `path` that holds zones. `shown_as` names the file in messages
/// (`CONTOURS-IRIS.7z/…/CONTOURS-IRIS.gpkg` when it was extracted from an archive).
pub(crate) async fn read_contours(
    path: &Path,
    shown_as: &Path,
    forced: Option<ZoneKind>,
) -> Result<Contours> {
    let unreadable = |e: sqlx::Error| {
        FormatError::new(
            Location::file(shown_as),
            FormatErrorKind::Io(maillage_formats::text::cut(&e.to_string(), 160)),
        )
    };
    let options = SqliteConnectOptions::new()
        .filename(path)
        .read_only(true)
        .immutable(true)
        .create_if_missing(false);
    let mut conn = SqliteConnection::connect_with(&options)
        .await
        .map_err(|_| not_a_geopackage(path, shown_as))?;
    let has_contents: Option<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'gpkg_contents'",
    )
    .fetch_optional(&mut conn)
    .await
    .map_err(|_| not_a_geopackage(path, shown_as))?;
    if has_contents.is_none() {
        return Err(not_a_geopackage(path, shown_as).into());
    }
    let layers = layers(&mut conn).await.map_err(unreadable)?;
    let chosen = choose_layers(shown_as, &layers, forced)?;
    let mut features = Vec::new();
    let mut info: Option<ContoursInfo> = None;
    for layer in chosen {
        check_sizes(&mut conn, shown_as, layer).await?;
        let mut decoder = GpkgFeatures::new(shown_as, layer, forced)?;
        // The table name comes from the file: quoted as an identifier (the only dynamic part).
        let sql = format!("SELECT * FROM {}", quote_identifier(&layer.table));
        let mut rows = sqlx::query(sqlx::AssertSqlSafe(sql)).fetch(&mut conn);
        while let Some(row) = rows.try_next().await.map_err(unreadable)? {
            let (properties, geometry) = row_values(&row, &layer.geometry_column);
            if let Some(f) = decoder.feature(properties, geometry.as_deref())? {
                features.push(f);
            }
        }
        drop(rows);
        let layer_info = decoder.finish()?;
        info = Some(match info {
            None => layer_info,
            Some(mut all) => {
                all.features += layer_info.features;
                all.skipped_without_geometry += layer_info.skipped_without_geometry;
                all.warnings.extend(layer_info.warnings);
                all
            }
        });
    }
    conn.close().await.ok();
    let info = info.expect("choose_layers gives at least one layer");
    Ok(Contours { info, features })
}

fn not_a_geopackage(path: &Path, shown_as: &Path) -> FormatError {
    let hint = maillage_formats::sniff::detect_file(path)
        .ok()
        .flatten()
        .filter(|k| *k != maillage_formats::FileKind::GeoPackage)
        .map(|k| k.label().to_string());
    FormatError::new(
        Location::file(shown_as),
        FormatErrorKind::WrongKind {
            expected: "GeoPackage",
            hint,
        },
    )
}

/// The feature layers, with their geometry column, system and attribute columns.
async fn layers(conn: &mut SqliteConnection) -> std::result::Result<Vec<GpkgLayer>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT c.table_name, g.column_name, g.geometry_type_name, g.srs_id, \
                COALESCE(s.organization, ''), COALESCE(s.organization_coordsys_id, -1), \
                COALESCE(s.definition, '') \
         FROM gpkg_contents c \
         JOIN gpkg_geometry_columns g ON g.table_name = c.table_name \
         LEFT JOIN gpkg_spatial_ref_sys s ON s.srs_id = g.srs_id \
         WHERE lower(c.data_type) = 'features' \
         ORDER BY c.table_name",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut layers = Vec::with_capacity(rows.len());
    for row in rows {
        let table: String = row.try_get(0)?;
        let geometry_column: String = row.try_get(1)?;
        let columns: Vec<String> = sqlx::query_scalar("SELECT name FROM pragma_table_info($1)")
            .bind(&table)
            .fetch_all(&mut *conn)
            .await?
            .into_iter()
            .filter(|c: &String| !c.eq_ignore_ascii_case(&geometry_column))
            .collect();
        layers.push(GpkgLayer {
            table,
            geometry_column,
            geometry_type: row.try_get(2)?,
            srs_id: row.try_get(3)?,
            srs_organization: row.try_get(4)?,
            srs_organization_id: row.try_get(5)?,
            srs_definition: row.try_get(6)?,
            columns,
        });
    }
    Ok(layers)
}

/// Refuses a layer holding a geometry larger than [`maillage_formats::limits::Limits::geometry_bytes`] or a
/// feature whose attributes together exceed [`maillage_formats::limits::Limits::record_bytes`], located at
/// its layer and feature, before any row is read whole: the sizes come from `octet_length`, which SQLite
/// answers from the record header without loading the value.
async fn check_sizes(
    conn: &mut SqliteConnection,
    shown_as: &Path,
    layer: &GpkgLayer,
) -> Result<()> {
    let limits = maillage_formats::limits::current();
    let attributes = if layer.columns.is_empty() {
        "0".to_string()
    } else {
        layer
            .columns
            .iter()
            .map(|c| format!("COALESCE(octet_length({}), 0)", quote_identifier(c)))
            .collect::<Vec<_>>()
            .join(" + ")
    };
    // The same table scan as the reading below: rows come in the same order, so the index is the feature's.
    let sql = format!(
        "SELECT COALESCE(octet_length({}), 0), {attributes} FROM {}",
        quote_identifier(&layer.geometry_column),
        quote_identifier(&layer.table)
    );
    let mut rows = sqlx::query_as::<_, (i64, i64)>(sqlx::AssertSqlSafe(sql)).fetch(&mut *conn);
    let mut index = 0usize;
    while let Some((geometry, attributes)) = rows.try_next().await.map_err(|e| {
        FormatError::new(
            Location::file(shown_as).layer(&layer.table),
            FormatErrorKind::Io(maillage_formats::text::cut(&e.to_string(), 160)),
        )
    })? {
        let at = || Location::file(shown_as).layer(&layer.table).feature(index);
        if geometry as u64 > limits.geometry_bytes {
            return Err(FormatError::new(
                at(),
                FormatErrorKind::GeometryTooLarge {
                    limit_bytes: limits.geometry_bytes,
                },
            )
            .into());
        }
        if attributes as u64 > limits.record_bytes {
            return Err(FormatError::new(
                at(),
                FormatErrorKind::RecordTooLarge {
                    limit_bytes: limits.record_bytes as usize,
                },
            )
            .into());
        }
        index += 1;
    }
    Ok(())
}

/// `"name"`, with inner quotes doubled: layer names come from the file.
fn quote_identifier(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// A row's attributes by column name (numbers stay numbers) and its geometry blob.
fn row_values(
    row: &SqliteRow,
    geometry_column: &str,
) -> (BTreeMap<String, Value>, Option<Vec<u8>>) {
    let mut properties = BTreeMap::new();
    let mut geometry = None;
    for (i, column) in row.columns().iter().enumerate() {
        let name = column.name();
        let Ok(raw) = row.try_get_raw(i) else {
            continue;
        };
        let type_name = if raw.is_null() {
            "NULL".to_string()
        } else {
            raw.type_info().name().to_string()
        };
        if name.eq_ignore_ascii_case(geometry_column) {
            geometry = row.try_get::<Vec<u8>, _>(i).ok();
            continue;
        }
        let value = match type_name.as_str() {
            "NULL" => Value::Null,
            "INTEGER" => row
                .try_get::<i64, _>(i)
                .map(Value::from)
                .unwrap_or(Value::Null),
            "REAL" => row
                .try_get::<f64, _>(i)
                .map(Value::from)
                .unwrap_or(Value::Null),
            "TEXT" => row
                .try_get::<String, _>(i)
                .map(Value::from)
                .unwrap_or(Value::Null),
            // Other blobs are not attributes a zone keeps.
            _ => continue,
        };
        properties.insert(name.to_string(), value);
    }
    (properties, geometry)
}

//! Zones with their population and indicators as one layer for GIS software: a feature per zone, its contour,
//! and one column per (indicator, profession) so that QGIS can draw a choropleth of any of them. Written as
//! GeoJSON (RFC 7946) here and as a GeoPackage by [`maillage_store::gpkg`] (which defines the layer's types).

use crate::exports::Filters;
use crate::exports::table::method_label;
use geo::MultiPolygon;
use maillage_indicators::{Indicator, IndicatorRow, PROFESSIONS};
use maillage_store::zones::Zone;
use serde_json::{Map, Value as Json, json};
use std::collections::{BTreeSet, HashMap};

pub use maillage_store::gpkg::{Column, ColumnType, Feature, Layer, Value};

fn text(s: Option<&str>) -> Value {
    s.map_or(Value::Null, |s| Value::Text(s.to_string()))
}

/// Builds the layer of `zones` (already cut to the caller and the filters) with the indicators of `rows`
/// (already under secrecy when it applies). Suppressed or uncomputable values are null; with secrecy, a
/// `secret_…` column says which nulls are secrecy.
pub fn zones_layer(
    zones: &[Zone],
    geometries: &HashMap<i64, MultiPolygon<f64>>,
    rows: &[IndicatorRow],
    filters: &Filters,
    secrecy: Option<u32>,
) -> Layer {
    let mut columns: Vec<Column> = [
        ("code", ColumnType::Text),
        ("nom", ColumnType::Text),
        ("type_zone", ColumnType::Text),
        ("parent", ColumnType::Text),
        ("population", ColumnType::Real),
        ("millesime_population", ColumnType::Integer),
        ("origine_population", ColumnType::Text),
    ]
    .into_iter()
    .map(|(name, kind)| Column {
        name: name.into(),
        kind,
    })
    .collect();
    let fixed = columns.len();

    let codes: BTreeSet<(&str, &str)> = zones
        .iter()
        .map(|z| (z.kind.as_str(), z.code.as_str()))
        .collect();
    let mut index: HashMap<(&str, &str, &str, &str), &IndicatorRow> = HashMap::new();
    let mut present: BTreeSet<(&str, &str)> = BTreeSet::new();
    for r in rows
        .iter()
        .filter(|r| codes.contains(&(r.zone_kind.as_str(), r.zone_code.as_str())))
        .filter(|r| filters.keeps_indicator(r))
    {
        index.insert(
            (
                r.zone_kind.as_str(),
                r.zone_code.as_str(),
                r.indicator.code(),
                r.profession.as_str(),
            ),
            r,
        );
        present.insert((r.indicator.code(), r.profession.as_str()));
    }
    // Columns in a stable order: by profession (as the observatory lists them), then indicator.
    let mut pairs: Vec<(&str, &str)> = Vec::new();
    for p in PROFESSIONS {
        for &i in Indicator::ALL {
            if present.contains(&(i.code(), p.code)) {
                pairs.push((i.code(), p.code));
            }
        }
    }
    for (i, p) in &pairs {
        columns.push(Column {
            name: format!("{i}_{p}"),
            kind: ColumnType::Real,
        });
        if secrecy.is_some() {
            columns.push(Column {
                name: format!("secret_{i}_{p}"),
                kind: ColumnType::Integer,
            });
        }
    }

    let features = zones
        .iter()
        .map(|z| {
            let pop = z.population.as_ref();
            let mut values = Vec::with_capacity(columns.len());
            values.extend([
                Value::Text(z.code.clone()),
                Value::Text(z.name.clone()),
                Value::Text(z.kind.as_str().into()),
                text(z.parent_code.as_deref()),
                pop.map_or(Value::Null, |p| Value::Real(p.value)),
                pop.map_or(Value::Null, |p| Value::Integer(p.vintage)),
                pop.map_or(Value::Null, |p| Value::Text(method_label(p.method).into())),
            ]);
            debug_assert_eq!(values.len(), fixed);
            for (i, p) in &pairs {
                let row = index.get(&(z.kind.as_str(), z.code.as_str(), *i, *p));
                let value = row
                    .filter(|r| !r.is_secret())
                    .and_then(|r| r.value)
                    .map_or(Value::Null, Value::Real);
                values.push(value);
                if secrecy.is_some() {
                    values.push(Value::Integer(row.is_some_and(|r| r.is_secret()).into()));
                }
            }
            Feature {
                geometry: geometries.get(&z.id).cloned(),
                values,
            }
        })
        .collect();
    Layer {
        name: "zones".into(),
        columns,
        features,
    }
}

fn json_value(v: &Value) -> Json {
    match v {
        Value::Text(s) => Json::from(s.as_str()),
        Value::Real(f) => Json::from(*f),
        Value::Integer(i) => Json::from(*i),
        Value::Null => Json::Null,
    }
}

/// The layer as a GeoJSON FeatureCollection (WGS84 longitude/latitude, RFC 7946), with the export's notes as
/// a foreign member `maillage`.
pub fn to_geojson(layer: &Layer, notes: &[(String, String)]) -> Json {
    let features: Vec<Json> = layer
        .features
        .iter()
        .map(|f| {
            let properties: Map<String, Json> = layer
                .columns
                .iter()
                .zip(&f.values)
                .map(|(c, v)| (c.name.clone(), json_value(v)))
                .collect();
            let geometry = f.geometry.as_ref().map_or(Json::Null, |g| {
                serde_json::to_value(geojson::Geometry::new(geojson::GeometryValue::from(g)))
                    .unwrap_or(Json::Null)
            });
            json!({ "type": "Feature", "geometry": geometry, "properties": properties })
        })
        .collect();
    let notes: Map<String, Json> = notes
        .iter()
        .map(|(k, v)| (k.clone(), Json::from(v.as_str())))
        .collect();
    json!({
        "type": "FeatureCollection",
        "name": layer.name,
        "maillage": notes,
        "features": features,
    })
}

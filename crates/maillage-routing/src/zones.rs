//! Zones with a population (GeoJSON, WGS84), for the population covered by isochrones.

use crate::error::{Result, RoutingError, ZoneProblem, io_error};
use geo::{Coord, LineString, MultiPolygon, Polygon};
use serde_json::Value;
use std::path::Path;

/// Read a GeoJSON FeatureCollection of Polygon/MultiPolygon features in WGS84 lon/lat, with the
/// population in the numeric property `population_field` (a number or a numeric string).
pub fn read_zones_geojson(
    path: &Path,
    population_field: &str,
) -> Result<Vec<(MultiPolygon<f64>, f64)>> {
    let text = std::fs::read_to_string(path).map_err(|e| io_error(path, &e))?;
    let error = |feature: Option<usize>, problem: ZoneProblem| RoutingError::Zones {
        path: path.to_path_buf(),
        feature,
        problem,
    };
    let json: Value =
        serde_json::from_str(&text).map_err(|e| error(None, ZoneProblem::Json(e.to_string())))?;
    let features = match (
        json.get("type").and_then(Value::as_str),
        json.get("features"),
    ) {
        (Some("FeatureCollection"), Some(Value::Array(f))) => f,
        _ => return Err(error(None, ZoneProblem::NotAFeatureCollection)),
    };
    features
        .iter()
        .enumerate()
        .map(|(k, feature)| {
            let geometry = feature.get("geometry").unwrap_or(&Value::Null);
            let kind = geometry.get("type").and_then(Value::as_str).unwrap_or("");
            let coords = geometry.get("coordinates").unwrap_or(&Value::Null);
            let bad_geometry = || error(Some(k), ZoneProblem::Geometry(kind.to_string()));
            let polygons: Vec<Polygon<f64>> = match kind {
                "Polygon" => vec![polygon(coords).ok_or_else(bad_geometry)?],
                "MultiPolygon" => coords
                    .as_array()
                    .ok_or_else(bad_geometry)?
                    .iter()
                    .map(|p| polygon(p).ok_or_else(bad_geometry))
                    .collect::<Result<_>>()?,
                _ => return Err(bad_geometry()),
            };
            let raw = feature
                .get("properties")
                .and_then(|p| p.get(population_field));
            let population = match raw {
                Some(Value::Number(n)) => n.as_f64(),
                Some(Value::String(s)) => s.trim().replace(',', ".").parse().ok(),
                None | Some(Value::Null) => {
                    return Err(error(
                        Some(k),
                        ZoneProblem::MissingPopulation {
                            field: population_field.to_string(),
                        },
                    ));
                }
                _ => None,
            }
            .filter(|p: &f64| p.is_finite() && *p >= 0.0)
            .ok_or_else(|| {
                error(
                    Some(k),
                    ZoneProblem::InvalidPopulation {
                        field: population_field.to_string(),
                        value: raw.map(|v| v.to_string()).unwrap_or_default(),
                    },
                )
            })?;
            Ok((MultiPolygon(polygons), population))
        })
        .collect()
}

fn polygon(value: &Value) -> Option<Polygon<f64>> {
    let rings = value.as_array()?;
    let mut rings = rings.iter().map(ring);
    let exterior = rings.next()??;
    let interiors = rings.collect::<Option<Vec<_>>>()?;
    Some(Polygon::new(exterior, interiors))
}

fn ring(value: &Value) -> Option<LineString<f64>> {
    let coords = value
        .as_array()?
        .iter()
        .map(|p| {
            let p = p.as_array()?;
            let (x, y) = (p.first()?.as_f64()?, p.get(1)?.as_f64()?);
            ((-180.0..=180.0).contains(&x) && (-90.0..=90.0).contains(&y)).then_some(Coord { x, y })
        })
        .collect::<Option<Vec<_>>>()?;
    (coords.len() >= 4).then_some(LineString(coords))
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::Area;

    #[test]
    fn reads_zones_and_reports_bad_ones() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("z.geojson");
        let write = |s: &str| std::fs::write(&path, s).unwrap();
        write(
            r#"{"type":"FeatureCollection","features":[
            {"type":"Feature","properties":{"pop":120},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0]]]}},
            {"type":"Feature","properties":{"pop":"7,5"},"geometry":{"type":"MultiPolygon","coordinates":[[[[2,0],[3,0],[3,1],[2,0]]]]}}]}"#,
        );
        let z = read_zones_geojson(&path, "pop").unwrap();
        assert_eq!(z.len(), 2);
        assert_eq!(z[0].1, 120.0);
        assert_eq!(z[1].1, 7.5);
        assert_eq!(z[0].0.unsigned_area(), 1.0);
        let err = read_zones_geojson(&path, "habitants").unwrap_err();
        assert!(matches!(
            err,
            RoutingError::Zones {
                feature: Some(0),
                problem: ZoneProblem::MissingPopulation { .. },
                ..
            }
        ));
        write(
            r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"pop":1},"geometry":{"type":"Point","coordinates":[0,0]}}]}"#,
        );
        let err = read_zones_geojson(&path, "pop").unwrap_err();
        assert!(matches!(
            err,
            RoutingError::Zones {
                feature: Some(0),
                problem: ZoneProblem::Geometry(_),
                ..
            }
        ));
        write("{ not json");
        assert!(matches!(
            read_zones_geojson(&path, "pop").unwrap_err(),
            RoutingError::Zones { feature: None, .. }
        ));
    }
}

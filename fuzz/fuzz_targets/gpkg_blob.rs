//! GeoPackage `GP` geometry blobs (header, envelope, WKB), decoded as the contours import does for each row.
#![no_main]
use libfuzzer_sys::fuzz_target;
use maillage_formats::contours::ZoneKind;
use maillage_formats::contours::gpkg::{GpkgFeatures, GpkgLayer};
use std::collections::BTreeMap;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let layer = GpkgLayer {
        table: "iris".into(),
        geometry_column: "geom".into(),
        geometry_type: "MULTIPOLYGON".into(),
        srs_id: 2154,
        srs_organization: "EPSG".into(),
        srs_organization_id: 2154,
        srs_definition: String::new(),
        columns: vec!["code_iris".into()],
    };
    let Ok(mut features) =
        GpkgFeatures::new(Path::new("contours.gpkg"), &layer, Some(ZoneKind::Iris))
    else {
        return;
    };
    let mut properties = BTreeMap::new();
    properties.insert("code_iris".to_string(), serde_json::json!("691230101"));
    let _ = features.feature(properties, Some(data));
    let _ = features.finish();
});

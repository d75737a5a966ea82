//! GeoPackage contours (IGN CONTOURS-IRIS since its 3.0 editions, exports of QGIS): the pure decoding.
//!
//! A GeoPackage is a SQLite database; reading its tables is SQL, which only `maillage-store` speaks. The
//! store lists the layers (`gpkg_contents`, `gpkg_geometry_columns`, `gpkg_spatial_ref_sys`) into
//! [`GpkgLayer`]s, lets [`choose_layers`] pick those holding zones, and hands each row to
//! [`GpkgFeatures::feature`]: properties by column name, geometry as the GeoPackage binary blob (`GP`
//! header: version, flags, srs id, optional envelope; then standard WKB).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::properties::kind_of_columns;
use super::{
    ContoursInfo, Duplicates, Feature, GeometryBuilder, ZoneKind, feature_from_properties, wkb,
};
use crate::crs::{self, Crs};
use crate::error::{FormatError, FormatErrorKind, FormatWarning, Location, Result};

/// One feature table of a GeoPackage, as its metadata tables describe it.
#[derive(Debug, Clone, PartialEq)]
pub struct GpkgLayer {
    pub table: String,
    pub geometry_column: String,
    /// `POLYGON`, `MULTIPOLYGON`, `GEOMETRY`...
    pub geometry_type: String,
    pub srs_id: i64,
    /// `EPSG` for the systems French files use.
    pub srs_organization: String,
    pub srs_organization_id: i64,
    /// The WKT of the system.
    pub srs_definition: String,
    /// Attribute columns (the geometry column excluded), in table order.
    pub columns: Vec<String>,
}

impl GpkgLayer {
    /// Polygons, or any geometry (a generic layer may hold them); never points or lines.
    pub fn holds_polygons(&self) -> bool {
        matches!(
            self.geometry_type.to_ascii_uppercase().as_str(),
            "POLYGON" | "MULTIPOLYGON" | "GEOMETRY" | "CURVEPOLYGON" | "MULTISURFACE" | "SURFACE"
        )
    }

    /// What the attribute names say the layer holds.
    pub fn zone_kind(&self) -> Option<ZoneKind> {
        kind_of_columns(&self.columns)
    }

    /// `contours_iris (MULTIPOLYGON)`: how a layer is named in messages.
    pub fn describe(&self) -> String {
        format!(
            "{} ({})",
            crate::text::cut(&self.table, 80),
            self.geometry_type
        )
    }

    /// The system of the layer: `Ok(None)` when the GeoPackage leaves it undefined (srs id 0 or -1),
    /// then it is guessed from the coordinates.
    fn crs(&self, path: &Path) -> Result<Option<Crs>> {
        if self.srs_organization.eq_ignore_ascii_case("EPSG") {
            return Crs::from_epsg(self.srs_organization_id as u32)
                .map(Some)
                .ok_or_else(|| {
                    FormatError::new(
                        Location::file(path).layer(&self.table),
                        FormatErrorKind::UnsupportedCrs(format!(
                            "EPSG:{}",
                            self.srs_organization_id
                        )),
                    )
                });
        }
        if let Some(c) = crs::from_wkt(&self.srs_definition) {
            return Ok(Some(c));
        }
        if self.srs_id <= 0 {
            return Ok(None);
        }
        Err(FormatError::new(
            Location::file(path).layer(&self.table),
            FormatErrorKind::UnsupportedCrs(crate::text::cut(
                &format!("{} {}", self.srs_organization, self.srs_organization_id),
                80,
            )),
        ))
    }
}

/// The layers to import: those of polygons whose attributes name communes, IRIS or QPV; when none does (a
/// file of quartiers) or when the user said what the file holds (`forced`), every polygon layer. A
/// GeoPackage without any polygon layer is [`FormatErrorKind::NoLayer`].
pub fn choose_layers<'a>(
    path: &Path,
    layers: &'a [GpkgLayer],
    forced: Option<ZoneKind>,
) -> Result<Vec<&'a GpkgLayer>> {
    let polygons: Vec<&GpkgLayer> = layers.iter().filter(|l| l.holds_polygons()).collect();
    if polygons.is_empty() {
        return Err(FormatError::new(
            Location::file(path),
            FormatErrorKind::NoLayer {
                found: layers.iter().take(20).map(GpkgLayer::describe).collect(),
            },
        ));
    }
    let recognised: Vec<&GpkgLayer> = polygons
        .iter()
        .copied()
        .filter(|l| l.zone_kind().is_some())
        .collect();
    Ok(if forced.is_some() || recognised.is_empty() {
        polygons
    } else {
        recognised
    })
}

/// Decodes the features of one layer, row by row.
pub struct GpkgFeatures {
    path: PathBuf,
    layer: String,
    crs: Option<Crs>,
    forced: Option<ZoneKind>,
    index: usize,
    without_geometry: usize,
    duplicates: Duplicates,
    warnings: Vec<FormatWarning>,
}

impl GpkgFeatures {
    /// `path` is how the file is named in messages (`CONTOURS-IRIS.7z/…/CONTOURS-IRIS.gpkg` when it came
    /// out of an archive).
    pub fn new(path: &Path, layer: &GpkgLayer, forced: Option<ZoneKind>) -> Result<GpkgFeatures> {
        Ok(GpkgFeatures {
            path: path.to_path_buf(),
            layer: layer.table.clone(),
            crs: layer.crs(path)?,
            forced: forced.or(layer.zone_kind()),
            index: 0,
            without_geometry: 0,
            duplicates: Duplicates::default(),
            warnings: Vec::new(),
        })
    }

    fn location(&self, index: usize) -> Location {
        Location::file(&self.path).layer(&self.layer).feature(index)
    }

    /// One row: its attributes by column name and its geometry blob. `None` for a row without geometry
    /// (counted, not yielded, as the other readers do).
    pub fn feature(
        &mut self,
        properties: BTreeMap<String, Value>,
        geometry: Option<&[u8]>,
    ) -> Result<Option<Feature>> {
        let index = self.index;
        self.index += 1;
        let parsed = match geometry {
            None => None,
            Some(blob) => decode_geometry(blob)
                .map_err(|kind| FormatError::new(self.location(index), kind))?,
        };
        let Some(parsed) = parsed else {
            self.without_geometry += 1;
            return Ok(None);
        };
        let crs = match self.crs {
            Some(c) => c,
            None => {
                let (x, y) = parsed.first_position();
                let c = super::guess_crs(&self.path, x, y, &mut self.warnings);
                self.crs = Some(c);
                c
            }
        };
        let builder = GeometryBuilder {
            path: &self.path,
            index,
            crs,
        };
        let geometry = builder.multi_polygon(&parsed.polygons).map_err(|mut e| {
            e.location.layer = Some(self.layer.clone());
            e
        })?;
        let feature = feature_from_properties(index, self.forced, properties, geometry);
        self.duplicates
            .check(&self.path, &feature)
            .map_err(|mut e| {
                e.location.layer = Some(self.layer.clone());
                e
            })?;
        Ok(Some(feature))
    }

    /// What the layer told, once every row went through. A layer without any row is
    /// [`FormatErrorKind::EmptyLayer`].
    pub fn finish(self) -> Result<ContoursInfo> {
        if self.index == 0 {
            return Err(FormatError::new(
                Location::file(&self.path).layer(&self.layer),
                FormatErrorKind::EmptyLayer,
            ));
        }
        Ok(ContoursInfo {
            source_crs: self.crs.unwrap_or(Crs::Wgs84),
            features: self.index - self.without_geometry,
            skipped_without_geometry: self.without_geometry,
            warnings: self.warnings,
        })
    }
}

/// Decodes a GeoPackage geometry blob: `None` for an empty geometry.
fn decode_geometry(blob: &[u8]) -> std::result::Result<Option<wkb::Parsed>, FormatErrorKind> {
    let bad = |what: &str| FormatErrorKind::Geometry(format!("GeoPackage geometry: {what}"));
    if blob.len() < 8 || &blob[..2] != b"GP" {
        return Err(bad("no GP header"));
    }
    let flags = blob[3];
    if flags & 0b0010_0000 != 0 {
        return Err(bad("extended geometry type"));
    }
    let envelope = match (flags >> 1) & 0b111 {
        0 => 0,
        1 => 32,
        2 | 3 => 48,
        4 => 64,
        _ => return Err(bad("invalid envelope")),
    };
    if flags & 0b0001_0000 != 0 {
        return Ok(None);
    }
    let wkb_bytes = blob
        .get(8 + envelope..)
        .ok_or_else(|| bad("truncated header"))?;
    let parsed = wkb::parse(wkb_bytes)?;
    Ok((!parsed.polygons.is_empty()).then_some(parsed))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn square_wkb() -> Vec<u8> {
        let mut b = vec![1u8];
        b.extend(3u32.to_le_bytes());
        b.extend(1u32.to_le_bytes());
        b.extend(5u32.to_le_bytes());
        for (x, y) in [
            (0.0f64, 0.0f64),
            (1.0, 0.0),
            (1.0, 1.0),
            (0.0, 1.0),
            (0.0, 0.0),
        ] {
            b.extend(x.to_le_bytes());
            b.extend(y.to_le_bytes());
        }
        b
    }

    #[test]
    fn decodes_header_with_and_without_envelope() {
        let mut no_envelope = b"GP\0\x01".to_vec();
        no_envelope.extend(2154i32.to_le_bytes());
        no_envelope.extend(square_wkb());
        assert_eq!(
            decode_geometry(&no_envelope).unwrap().unwrap().polygons[0][0].len(),
            5
        );

        let mut envelope = b"GP\0\x03".to_vec();
        envelope.extend(2154i32.to_le_bytes());
        for v in [0.0f64, 1.0, 0.0, 1.0] {
            envelope.extend(v.to_le_bytes());
        }
        envelope.extend(square_wkb());
        assert_eq!(
            decode_geometry(&envelope).unwrap().unwrap().polygons.len(),
            1
        );

        let empty = b"GP\0\x11\0\0\0\0".to_vec();
        assert!(decode_geometry(&empty).unwrap().is_none());
        assert!(decode_geometry(&square_wkb()).is_err());
        assert!(decode_geometry(&envelope[..20]).is_err());
    }
}

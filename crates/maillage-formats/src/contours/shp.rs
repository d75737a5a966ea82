//! ESRI Shapefiles (`.shp` + `.dbf` + `.prj`, the `.cpg` naming the text encoding), as IGN publishes
//! CONTOURS-IRIS and ADMIN EXPRESS.

use std::collections::BTreeMap;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

use serde_json::{Number, Value};
use shapefile::dbase::FieldValue;
use shapefile::{PolygonRing, Shape};

use super::{ContoursInfo, Feature, GeometryBuilder, ZoneKind, feature_from_properties, guess_crs};
use crate::crs::{self, Crs};
use crate::error::{FormatError, FormatErrorKind, Location, Result};

pub(super) fn visit(
    path: &Path,
    kind: Option<ZoneKind>,
    sink: &mut dyn FnMut(Feature) -> Result<()>,
) -> Result<ContoursInfo> {
    let err = |e: shapefile::Error| shp_error(path, e);
    if std::fs::metadata(path)
        .map_err(|e| crate::io::io_error(path, &e))?
        .len()
        == 0
    {
        return Err(FormatError::new(
            Location::file(path),
            FormatErrorKind::Empty,
        ));
    }
    check_record_sizes(path)?;
    let mut warnings = Vec::new();
    // A system's WKT is a few hundred bytes: a `.prj` is read up to a cell's bound, no further.
    let prj = std::fs::File::open(path.with_extension("prj"))
        .ok()
        .and_then(|f| {
            let mut wkt = String::new();
            f.take(crate::limits::current().cell_bytes)
                .read_to_string(&mut wkt)
                .ok()
                .map(|_| wkt)
        });
    let mut crs = match &prj {
        Some(wkt) => Some(crs::from_wkt(wkt).ok_or_else(|| {
            FormatError::new(
                Location::file(path.with_extension("prj")),
                FormatErrorKind::UnsupportedCrs(wkt.chars().take(80).collect()),
            )
        })?),
        None => None,
    };
    let mut reader = shapefile::Reader::from_path(path).map_err(err)?;
    let mut count = 0;
    let mut skipped = 0;
    for (index, item) in reader.iter_shapes_and_records().enumerate() {
        let (shape, record) = item.map_err(|e| {
            let mut fe = err(e);
            fe.location.feature = Some(index);
            fe
        })?;
        let rings: Vec<(bool, Vec<(f64, f64)>)> = match shape {
            Shape::NullShape => {
                skipped += 1;
                continue;
            }
            Shape::Polygon(p) => p
                .into_inner()
                .into_iter()
                .map(|r| ring_points(r, |p| (p.x, p.y)))
                .collect(),
            Shape::PolygonM(p) => p
                .into_inner()
                .into_iter()
                .map(|r| ring_points(r, |p| (p.x, p.y)))
                .collect(),
            Shape::PolygonZ(p) => p
                .into_inner()
                .into_iter()
                .map(|r| ring_points(r, |p| (p.x, p.y)))
                .collect(),
            other => {
                return Err(FormatError::new(
                    Location::file(path).feature(index),
                    FormatErrorKind::NotPolygon {
                        found: other.shapetype().to_string(),
                    },
                ));
            }
        };
        let crs = *crs.get_or_insert_with(|| {
            let (x, y) = rings
                .first()
                .and_then(|r| r.1.first())
                .copied()
                .unwrap_or((0.0, 0.0));
            guess_crs(path, x, y, &mut warnings)
        });
        // An outer ring starts a polygon; the inner rings that follow are its holes.
        let mut polygons: Vec<Vec<Vec<(f64, f64)>>> = Vec::new();
        for (outer, pts) in rings {
            match polygons.last_mut() {
                Some(p) if !outer => p.push(pts),
                _ => polygons.push(vec![pts]),
            }
        }
        let b = GeometryBuilder { path, index, crs };
        let geometry = b.multi_polygon(&polygons)?;
        let properties: BTreeMap<String, Value> = record
            .into_iter()
            .map(|(k, v)| (k, field_value(v)))
            .collect();
        count += 1;
        sink(feature_from_properties(index, kind, properties, geometry))?;
    }
    Ok(ContoursInfo {
        source_crs: crs.unwrap_or(Crs::Wgs84),
        features: count,
        skipped_without_geometry: skipped,
        warnings,
    })
}

/// Walks the `.shp` record headers (8 bytes each: number, then content length in 16-bit words, big-endian)
/// and refuses a record larger than [`crate::limits::Limits::geometry_bytes`] before any is read whole.
fn check_record_sizes(path: &Path) -> Result<()> {
    let limit = crate::limits::current().geometry_bytes;
    let io_err = |e: std::io::Error| crate::io::io_error(path, &e);
    let mut file = std::io::BufReader::new(std::fs::File::open(path).map_err(io_err)?);
    let len = file.get_ref().metadata().map_err(io_err)?.len();
    let mut at = 100u64;
    let mut index = 0usize;
    let mut header = [0u8; 8];
    file.seek(SeekFrom::Start(at)).map_err(io_err)?;
    while at + 8 <= len {
        file.read_exact(&mut header).map_err(io_err)?;
        let words = u32::from_be_bytes([header[4], header[5], header[6], header[7]]);
        let bytes = u64::from(words) * 2;
        if bytes > limit {
            return Err(FormatError::new(
                Location::file(path).feature(index),
                FormatErrorKind::GeometryTooLarge { limit_bytes: limit },
            ));
        }
        at += 8 + bytes;
        index += 1;
        // Relative: the buffer is kept when the next header is already in it.
        file.seek_relative(bytes as i64).map_err(io_err)?;
    }
    Ok(())
}

fn ring_points<P>(r: PolygonRing<P>, xy: impl Fn(&P) -> (f64, f64)) -> (bool, Vec<(f64, f64)>) {
    let outer = matches!(r, PolygonRing::Outer(_));
    (outer, r.into_inner().iter().map(xy).collect())
}

fn field_value(v: FieldValue) -> Value {
    let num = |f: f64| {
        Number::from_f64(f)
            .map(Value::Number)
            .unwrap_or(Value::Null)
    };
    match v {
        FieldValue::Character(s) => s
            .map(|s| Value::String(s.trim().to_string()))
            .unwrap_or(Value::Null),
        FieldValue::Memo(s) => Value::String(s),
        FieldValue::Numeric(n) => n.map(num).unwrap_or(Value::Null),
        FieldValue::Float(n) => n.map(|f| num(f as f64)).unwrap_or(Value::Null),
        FieldValue::Double(f) | FieldValue::Currency(f) => num(f),
        FieldValue::Integer(i) => Value::Number(i.into()),
        FieldValue::Logical(b) => b.map(Value::Bool).unwrap_or(Value::Null),
        FieldValue::Date(d) => d
            .map(|d| Value::String(format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())))
            .unwrap_or(Value::Null),
        FieldValue::DateTime(dt) => {
            let d = dt.date();
            Value::String(format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day()))
        }
    }
}

fn shp_error(path: &Path, e: shapefile::Error) -> FormatError {
    let loc = Location::file(path);
    match e {
        shapefile::Error::IoError(io) => crate::io::io_error(path, &io),
        shapefile::Error::MissingDbf => FormatError::new(
            Location::file(path.with_extension("dbf")),
            FormatErrorKind::NotFound,
        ),
        shapefile::Error::MissingIndexFile => FormatError::new(
            Location::file(path.with_extension("shx")),
            FormatErrorKind::NotFound,
        ),
        other => FormatError::new(loc, FormatErrorKind::Geometry(other.to_string())),
    }
}

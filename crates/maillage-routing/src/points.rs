//! Point files: CSV with a header row holding `id`, `lon`, `lat` (any order, other columns ignored).
//!
//! A spreadsheet saved "CSV" in French uses `;` between fields and a decimal comma: both are
//! accepted (the separator is taken from the header line).

use crate::error::{CsvProblem, Result, RoutingError, io_error};
use std::collections::HashMap;
use std::path::Path;

/// A named point in WGS84 degrees, with the line of the file it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    pub id: String,
    pub lon: f64,
    pub lat: f64,
    pub line: u64,
}

/// Read a point file. Errors give the line (1-based, header is line 1) and column (1-based).
pub fn read_points_csv(path: &Path) -> Result<Vec<Point>> {
    let bytes = std::fs::read(path).map_err(|e| io_error(path, &e))?;
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let first_line = bytes.split(|&b| b == b'\n').next().unwrap_or_default();
    let semicolon = first_line.contains(&b';') && !first_line.contains(&b',');
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(if semicolon { b';' } else { b',' })
        .has_headers(true)
        .flexible(true)
        .from_reader(bytes);

    let csv_error = |line: u64, column: Option<usize>, problem: CsvProblem| RoutingError::Csv {
        path: path.to_path_buf(),
        line,
        column,
        problem,
    };
    let headers = match reader.headers() {
        Ok(h) => h.clone(),
        Err(e) => return Err(csv_error(1, None, CsvProblem::Unreadable(e.to_string()))),
    };
    if headers.iter().all(|h| h.trim().is_empty()) {
        return Err(RoutingError::NoPoints {
            path: path.to_path_buf(),
        });
    }
    let names: Vec<String> = headers.iter().map(|h| h.trim().to_string()).collect();
    let column = |wanted: &'static str| -> Result<usize> {
        names
            .iter()
            .position(|h| h.eq_ignore_ascii_case(wanted))
            .ok_or_else(|| {
                csv_error(
                    1,
                    None,
                    CsvProblem::MissingColumn {
                        column: wanted,
                        found: names.clone(),
                    },
                )
            })
    };
    let (id_col, lon_col, lat_col) = (column("id")?, column("lon")?, column("lat")?);

    let mut points = Vec::new();
    let mut seen: HashMap<String, u64> = HashMap::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                return Err(csv_error(line, None, CsvProblem::Unreadable(e.to_string())));
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        if record.len() == 1 && record.get(0).is_some_and(|f| f.trim().is_empty()) {
            continue; // blank line
        }
        if record.len() != names.len() {
            return Err(csv_error(
                line,
                None,
                CsvProblem::FieldCount {
                    expected: names.len(),
                    found: record.len(),
                },
            ));
        }
        let id = record.get(id_col).unwrap_or_default().trim().to_string();
        if id.is_empty() {
            return Err(csv_error(line, Some(id_col + 1), CsvProblem::EmptyId));
        }
        let number = |col: usize, field: &'static str, limit: f64| -> Result<f64> {
            let raw = record.get(col).unwrap_or_default().trim();
            let text = if semicolon {
                raw.replace(',', ".")
            } else {
                raw.to_string()
            };
            let value: f64 = text.parse().map_err(|_| {
                csv_error(
                    line,
                    Some(col + 1),
                    CsvProblem::NotANumber {
                        field,
                        value: raw.to_string(),
                    },
                )
            })?;
            if !value.is_finite() || value.abs() > limit {
                return Err(csv_error(
                    line,
                    Some(col + 1),
                    CsvProblem::OutOfRange { field, value },
                ));
            }
            Ok(value)
        };
        let lon = number(lon_col, "lon", 180.0)?;
        let lat = number(lat_col, "lat", 90.0)?;
        if let Some(&first_line) = seen.get(&id) {
            return Err(RoutingError::DuplicatePointId {
                path: path.to_path_buf(),
                id,
                line,
                first_line,
            });
        }
        seen.insert(id.clone(), line);
        points.push(Point { id, lon, lat, line });
    }
    if points.is_empty() {
        return Err(RoutingError::NoPoints {
            path: path.to_path_buf(),
        });
    }
    Ok(points)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<Vec<Point>> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.csv");
        std::fs::write(&path, text).unwrap();
        read_points_csv(&path).map_err(|e| match e {
            RoutingError::Csv {
                line,
                column,
                problem,
                ..
            } => RoutingError::Csv {
                path: "p.csv".into(),
                line,
                column,
                problem,
            },
            RoutingError::NoPoints { .. } => RoutingError::NoPoints {
                path: "p.csv".into(),
            },
            RoutingError::DuplicatePointId {
                id,
                line,
                first_line,
                ..
            } => RoutingError::DuplicatePointId {
                path: "p.csv".into(),
                id,
                line,
                first_line,
            },
            other => other,
        })
    }

    fn csv_err(line: u64, column: Option<usize>, problem: CsvProblem) -> RoutingError {
        RoutingError::Csv {
            path: "p.csv".into(),
            line,
            column,
            problem,
        }
    }

    #[test]
    fn reads_points_in_any_column_order() {
        let p = read("\u{feff}lat,name,id,lon\n43.7,x,b,7.4\n43.8,y,a,7.5\n").unwrap();
        assert_eq!(p.len(), 2);
        assert_eq!(
            (p[0].id.as_str(), p[0].lon, p[0].lat, p[0].line),
            ("b", 7.4, 43.7, 2)
        );
        assert_eq!(p[1].line, 3);
        let p = read("id;lon;lat\n1;7,4;43,7\n").unwrap();
        assert_eq!((p[0].lon, p[0].lat), (7.4, 43.7));
    }

    #[test]
    fn errors_say_where() {
        assert_eq!(
            read("").unwrap_err(),
            RoutingError::NoPoints {
                path: "p.csv".into()
            }
        );
        assert_eq!(
            read("id,lon,lat\n").unwrap_err(),
            RoutingError::NoPoints {
                path: "p.csv".into()
            }
        );
        assert_eq!(
            read("id,x,lat\n1,2,3\n").unwrap_err(),
            csv_err(
                1,
                None,
                CsvProblem::MissingColumn {
                    column: "lon",
                    found: vec!["id".into(), "x".into(), "lat".into()]
                }
            )
        );
        assert_eq!(
            read("id,lon,lat\n1,7.4,43.7\n2,7.4x,43.7\n").unwrap_err(),
            csv_err(
                3,
                Some(2),
                CsvProblem::NotANumber {
                    field: "lon",
                    value: "7.4x".into()
                }
            )
        );
        assert_eq!(
            read("id,lon,lat\n1,7.4,93.7\n").unwrap_err(),
            csv_err(
                2,
                Some(3),
                CsvProblem::OutOfRange {
                    field: "lat",
                    value: 93.7
                }
            )
        );
        assert_eq!(
            read("id,lon,lat\n1,7.4\n").unwrap_err(),
            csv_err(
                2,
                None,
                CsvProblem::FieldCount {
                    expected: 3,
                    found: 2
                }
            )
        );
        assert_eq!(
            read("id,lon,lat\n,7.4,43.0\n").unwrap_err(),
            csv_err(2, Some(1), CsvProblem::EmptyId)
        );
        assert_eq!(
            read("id,lon,lat\nb,7.4,43.7\na,7.4,43.7\nb,7.5,43.7\n").unwrap_err(),
            RoutingError::DuplicatePointId {
                path: "p.csv".into(),
                id: "b".into(),
                line: 4,
                first_line: 2
            }
        );
    }
}

//! The yearly activity of professionals, as a commune gives it (no official open file carries it): one row per
//! professional and year, the number of consultations and of visits (home visits). Used as the supply of the
//! accessibility computation, so that its result is in consultations per year per standardised inhabitant
//! like the DREES APL.
//!
//! Layout (a local file, documented in `maillage import activite --help`): a delimited text file, `;`, `,` or
//! tab, UTF-8 or Windows-1252, a header row; columns found by name in any order:
//!
//! | column | also accepted | |
//! |---|---|---|
//! | `Identifiant national` | `Identification nationale PP`, `RPPS`, `ADELI`, `N° RPPS`… | required |
//! | `Année` | `Annee`, `Exercice`, `Millésime` | required |
//! | `Consultations` | `Nombre de consultations`, `Nb consultations` | one of the two |
//! | `Visites` | `Nombre de visites`, `Nb visites`, `Visites à domicile` | one of the two |
//!
//! The identifier is the Annuaire's national one (`8` + RPPS, or `0` + ADELI); an 11-digit RPPS number is
//! read as `8` + RPPS. An empty count is a count not given (a professional with only visits).

use std::path::Path;

use crate::columns::{self, ColumnSpec};
use crate::error::{FormatError, FormatErrorKind, Location, Result, expected};
use crate::limits::LineBound;
use crate::sniff::FileKind;
use crate::table::{TableOptions, TableReader, TextEncoding};
use crate::text;

/// One professional's activity in one year.
#[derive(Debug, Clone, PartialEq)]
pub struct ActivityRecord {
    /// The Annuaire's national identifier (`8` + RPPS, or `0` + ADELI).
    pub national_id: String,
    pub year: i64,
    pub consultations: Option<f64>,
    pub visits: Option<f64>,
    /// Line in the file, for reports.
    pub line: u64,
}

impl ActivityRecord {
    /// Consultations and visits together: the acts the DREES APL counts as supply.
    pub fn acts(&self) -> f64 {
        self.consultations.unwrap_or(0.0) + self.visits.unwrap_or(0.0)
    }
}

/// The whole file, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct ActivityFile {
    pub records: Vec<ActivityRecord>,
    /// Header names no column claimed (for the import report).
    pub unknown_columns: Vec<String>,
}

const ID: usize = 0;
const YEAR: usize = 1;
const CONSULTATIONS: usize = 2;
const VISITS: usize = 3;

const SPECS: [ColumnSpec; 4] = [
    ColumnSpec::required(
        "Identifiant national",
        &[
            "Identification nationale PP",
            "Identification nationale",
            "Identifiant PP",
            "Identifiant RPPS",
            "Identifiant",
            "RPPS",
            "N° RPPS",
            "Numéro RPPS",
            "ADELI",
            "RPPS ou ADELI",
            "id_national",
        ],
    ),
    ColumnSpec::required(
        "Année",
        &["Annee", "Année d'activité", "Exercice", "Millésime", "an"],
    ),
    ColumnSpec::optional(
        "Consultations",
        &[
            "Nombre de consultations",
            "Nb consultations",
            "Nb de consultations",
            "Actes de consultation",
        ],
    ),
    ColumnSpec::optional(
        "Visites",
        &[
            "Nombre de visites",
            "Nb visites",
            "Nb de visites",
            "Visites à domicile",
            "Actes de visite",
        ],
    ),
];

/// Longest cell read: identifiers, years and counts are short; anything longer is not this file.
pub const MAX_CELL: usize = 200;
/// More acts than this in a year (about 400 a working day) is a unit mistake, not an activity.
pub const MAX_ACTS: f64 = 100_000.0;
/// Longest line read (bytes): a few short columns, and room for the ones a commune adds.
pub const MAX_LINE: usize = 16 * 1024;
/// Years accepted.
pub const YEARS: std::ops::RangeInclusive<i64> = 2000..=2100;

/// Reads and checks the whole file; the first wrong row stops the reading with its location.
pub fn read_activity(path: impl AsRef<Path>) -> Result<ActivityFile> {
    let path = path.as_ref();
    let mut opts = TableOptions::new(FileKind::ActiviteLocale, b";,\t");
    opts.encoding = TextEncoding::Auto;
    // Lines of this file are short: a longer one stops the reading there, at its line.
    let input = LineBound::with(
        crate::io::open(path)?,
        true,
        MAX_LINE as u64,
        MAX_LINE as u64,
    );
    let mut t = TableReader::open_input(path, Box::new(input), opts)?;
    let at = Location::file(path).line(1);
    let map = columns::resolve(&t.headers, &SPECS, &at).map_err(|e| {
        let wrong = t.wrong_kind();
        match wrong.kind {
            FormatErrorKind::WrongKind { hint: Some(_), .. } => wrong,
            _ => e,
        }
    })?;
    if map.get(CONSULTATIONS).is_none() && map.get(VISITS).is_none() {
        return Err(FormatError::new(
            at,
            FormatErrorKind::MissingColumn {
                column: format!(
                    "{} » ou « {}",
                    SPECS[CONSULTATIONS].name, SPECS[VISITS].name
                ),
            },
        ));
    }
    let width = t.headers.len();
    let mut records = Vec::new();
    let mut first_seen: std::collections::HashMap<(String, i64), u64> =
        std::collections::HashMap::new();
    loop {
        let row = match t.next_row() {
            Ok(Some(row)) => row,
            Ok(None) => break,
            Err(e) => return Err(t.explain(e)),
        };
        // A blank line (a trailing one left by a spreadsheet) is no record.
        if (0..row.len()).all(|i| matches!(row.str(i), Ok(None))) {
            continue;
        }
        let line = row.line;
        let checked = (|| {
            row.check_width()?;
            for i in 0..row.len().min(width) {
                if let Some(s) = row.str(i)?
                    && s.len() > MAX_CELL
                {
                    return Err(FormatError::new(
                        row.loc(i),
                        FormatErrorKind::InvalidValue {
                            value: text::cut(&s, 80),
                            expected: expected::SHORT_CELL,
                        },
                    ));
                }
            }
            let id_at = map.get(ID).unwrap_or(0);
            let raw_id = row.required(id_at)?;
            let national_id = national_id(&raw_id).ok_or_else(|| {
                FormatError::new(
                    row.loc(id_at),
                    FormatErrorKind::InvalidValue {
                        value: text::cut(&raw_id, 80),
                        expected: expected::NATIONAL_ID,
                    },
                )
            })?;
            let year_at = map.get(YEAR).unwrap_or(0);
            let raw_year = row.required(year_at)?;
            let year = raw_year
                .parse::<i64>()
                .ok()
                .filter(|y| YEARS.contains(y))
                .ok_or_else(|| {
                    FormatError::new(
                        row.loc(year_at),
                        FormatErrorKind::InvalidValue {
                            value: text::cut(&raw_year, 80),
                            expected: expected::YEAR,
                        },
                    )
                })?;
            let count = |spec: usize| -> Result<Option<f64>> {
                let Some(i) = map.get(spec) else {
                    return Ok(None);
                };
                let Some(s) = row.str(i)? else {
                    return Ok(None);
                };
                match text::parse_number(&s) {
                    Ok(Some(v)) if v.is_finite() && (0.0..=MAX_ACTS).contains(&v) => Ok(Some(v)),
                    Ok(None) => Ok(None),
                    _ => Err(FormatError::new(
                        row.loc(i),
                        FormatErrorKind::InvalidValue {
                            value: text::cut(&s, 80),
                            expected: expected::ACT_COUNT,
                        },
                    )),
                }
            };
            let consultations = count(CONSULTATIONS)?;
            let visits = count(VISITS)?;
            if consultations.is_none() && visits.is_none() {
                let i = map.get(CONSULTATIONS).or(map.get(VISITS)).unwrap_or(0);
                return Err(FormatError::new(row.loc(i), FormatErrorKind::MissingValue));
            }
            Ok(ActivityRecord {
                national_id,
                year,
                consultations,
                visits,
                line,
            })
        })();
        let record = checked?;
        let key = (record.national_id.clone(), record.year);
        if let Some(first_line) = first_seen.get(&key) {
            return Err(FormatError::new(
                Location::file(path).line(line),
                FormatErrorKind::DuplicateId {
                    id: format!("{} ({})", record.national_id, record.year),
                    first_line: *first_line,
                },
            ));
        }
        first_seen.insert(key, line);
        records.push(record);
    }
    Ok(ActivityFile {
        records,
        unknown_columns: map.unknown,
    })
}

/// The Annuaire's national identifier from what a commune may write: the identifier itself (`8` + 11 digits
/// for an RPPS, `0` + 9 characters for an ADELI), or a bare 11-digit RPPS number.
pub fn national_id(raw: &str) -> Option<String> {
    let s: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    match s.len() {
        12 if s.starts_with('8') && digits(&s) => Some(s),
        10 if s.starts_with('0') && s.bytes().all(|b| b.is_ascii_alphanumeric()) => Some(s),
        11 if digits(&s) => Some(format!("8{s}")),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn national_ids_are_read_as_the_annuaire_writes_them() {
        assert_eq!(national_id("810001234567").as_deref(), Some("810001234567"));
        assert_eq!(national_id("10001234567").as_deref(), Some("810001234567"));
        assert_eq!(national_id("0123456789").as_deref(), Some("0123456789"));
        assert_eq!(
            national_id(" 8 10001234567 ").as_deref(),
            Some("810001234567")
        );
        assert_eq!(national_id("12345"), None);
        assert_eq!(national_id("91000123456X"), None);
    }
}

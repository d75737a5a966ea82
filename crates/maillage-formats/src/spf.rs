//! Santé publique France daily CSVs (tests, cases, incidence, positivity) by département or commune:
//! the classic SI-DEP layouts `sp-pos-quot-dep` (`dep;jour;P;T;cl_age90;pop`) and `sp-pos-quot-com`,
//! and derived series such as `cas_dep.csv` (`jour,dep,P,cas_glissant`), `incidence_dep.csv`
//! (`dep,jour,taux_incid_glissant`). `;` or `,`; `NA` means no value.

use std::path::Path;

use crate::error::{FormatError, FormatErrorKind, Result, expected};
use crate::sniff::FileKind;
use crate::table::{TableOptions, TableReader, TextEncoding};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ZoneLevel {
    Commune,
    Departement,
    Region,
    France,
}

/// One day of one zone (and age class, when the file splits by age).
#[derive(Debug, Clone, PartialEq)]
pub struct SpfDaily {
    pub line: u64,
    pub level: ZoneLevel,
    /// INSEE code of the zone (`69`, `2A`, `974`, `69123`); `FR` for national files.
    pub zone: String,
    /// ISO date `YYYY-MM-DD`.
    pub jour: String,
    /// `cl_age90`: 0 = all ages, else the upper bound of the 10-year class (9, 19, ..., 90).
    pub cl_age90: Option<u8>,
    /// Positive tests (`P`).
    pub positives: Option<f64>,
    /// Tests performed (`T`).
    pub tests: Option<f64>,
    /// Population (`pop`).
    pub population: Option<f64>,
    /// Every other numeric column (`taux_incid_glissant`, `cas_glissant`...), in file order.
    pub indicators: Vec<(String, Option<f64>)>,
}

pub struct SpfReader {
    t: TableReader,
    level: ZoneLevel,
    zone: Option<usize>,
    jour: usize,
    age: Option<usize>,
    p: Option<usize>,
    tests: Option<usize>,
    pop: Option<usize>,
    others: Vec<usize>,
    failed: bool,
}

impl SpfReader {
    pub fn open(path: impl AsRef<Path>) -> Result<Self> {
        let mut opts = TableOptions::new(FileKind::SantePubliqueFrance, b";,");
        opts.encoding = TextEncoding::Auto;
        let t = TableReader::open(path.as_ref(), opts)?;
        let jour = t.require(&["jour", "date"])?;
        let (level, zone) = [
            ("com", ZoneLevel::Commune),
            ("dep", ZoneLevel::Departement),
            ("reg", ZoneLevel::Region),
        ]
        .into_iter()
        .find_map(|(n, l)| t.column(&[n]).map(|c| (l, Some(c))))
        .unwrap_or((ZoneLevel::France, t.column(&["fra"])));
        let age = t.column(&["cl_age90"]);
        let p = t.column(&["P"]);
        let tests = t.column(&["T"]);
        let pop = t.column(&["pop"]);
        let used = [Some(jour), zone, age, p, tests, pop];
        let others = (0..t.headers.len())
            .filter(|i| !used.contains(&Some(*i)))
            .collect();
        Ok(SpfReader {
            t,
            level,
            zone,
            jour,
            age,
            p,
            tests,
            pop,
            others,
            failed: false,
        })
    }

    pub fn level(&self) -> ZoneLevel {
        self.level
    }

    fn read(&mut self) -> Result<Option<SpfDaily>> {
        let Some(row) = self.t.next_row()? else {
            return Ok(None);
        };
        row.check_width()?;
        let zone = match self.zone {
            Some(c) => {
                let z = row.required(c)?;
                if !valid_zone(self.level, &z) {
                    let exp = if self.level == ZoneLevel::Commune {
                        expected::COMMUNE_CODE
                    } else {
                        expected::DEPARTEMENT_CODE
                    };
                    return Err(FormatError::new(
                        row.loc(c),
                        FormatErrorKind::InvalidValue {
                            value: z,
                            expected: exp,
                        },
                    ));
                }
                z
            }
            None => "FR".to_string(),
        };
        let jour = row.required(self.jour)?;
        let day = jour.get(..10).unwrap_or("");
        if !is_iso_date(day) {
            return Err(FormatError::new(
                row.loc(self.jour),
                FormatErrorKind::InvalidValue {
                    value: jour,
                    expected: expected::DATE,
                },
            ));
        }
        let cl_age90 = match self.age {
            Some(c) => row.number(c)?.map(|v| v as u8),
            None => None,
        };
        let num = |c: Option<usize>| c.map(|c| row.number(c)).transpose().map(Option::flatten);
        let mut indicators = Vec::with_capacity(self.others.len());
        for &c in &self.others {
            indicators.push((row.headers()[c].clone(), row.number(c)?));
        }
        Ok(Some(SpfDaily {
            line: row.line,
            level: self.level,
            zone,
            jour: day.to_string(),
            cl_age90,
            positives: num(self.p)?,
            tests: num(self.tests)?,
            population: num(self.pop)?,
            indicators,
        }))
    }
}

fn valid_zone(level: ZoneLevel, z: &str) -> bool {
    let dep = |d: &str| {
        (d.len() == 2 && (d.bytes().all(|b| b.is_ascii_digit()) || d == "2A" || d == "2B"))
            || (d.len() == 3
                && (d.starts_with("97") || d.starts_with("98"))
                && d.bytes().all(|b| b.is_ascii_digit()))
    };
    match level {
        ZoneLevel::Departement => dep(z),
        ZoneLevel::Commune => {
            z.len() == 5 && z.is_ascii() && z[2..].bytes().all(|b| b.is_ascii_digit())
        }
        ZoneLevel::Region => z.len() <= 3 && z.bytes().all(|b| b.is_ascii_digit()),
        ZoneLevel::France => true,
    }
}

fn is_iso_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
        && (1..=12).contains(&s[5..7].parse::<u8>().unwrap_or(0))
        && (1..=31).contains(&s[8..10].parse::<u8>().unwrap_or(0))
}

impl Iterator for SpfReader {
    type Item = Result<SpfDaily>;
    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            return None;
        }
        match self.read() {
            Ok(r) => r.map(Ok),
            Err(e) => {
                self.failed = true;
                Some(Err(self.t.explain(e)))
            }
        }
    }
}

/// Reads the whole file.
pub fn read_spf(path: impl AsRef<Path>) -> Result<Vec<SpfDaily>> {
    SpfReader::open(path)?.collect()
}

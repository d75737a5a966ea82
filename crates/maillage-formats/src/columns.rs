//! Columns found by name, never by position: publishers reorder, rename slightly and add columns between
//! editions. Each source keeps one alias table ([`ColumnSpec`]s); headers and aliases are compared in a
//! normalised form ([`normalise`]), so that case, accents, apostrophes, spacing, `d'`/`de`, `(coord.
//! structure)` against `(structure)` and a trailing space do not matter. Only the columns a reader uses are
//! required; the others are reported as unknown, for the import report.

use crate::error::{FormatError, FormatErrorKind, Location, Result};
use crate::text;

/// One column a reader knows: its canonical name (the one named in errors) and the other names it has been
/// published under. `required` columns missing from a header are an error; optional ones give `None`.
#[derive(Debug, Clone, Copy)]
pub struct ColumnSpec {
    pub name: &'static str,
    pub aliases: &'static [&'static str],
    pub required: bool,
}

impl ColumnSpec {
    pub const fn required(name: &'static str, aliases: &'static [&'static str]) -> Self {
        ColumnSpec {
            name,
            aliases,
            required: true,
        }
    }
    pub const fn optional(name: &'static str, aliases: &'static [&'static str]) -> Self {
        ColumnSpec {
            name,
            aliases,
            required: false,
        }
    }

    fn matches(&self, normalised_header: &str) -> bool {
        normalise(self.name) == normalised_header
            || self
                .aliases
                .iter()
                .any(|a| normalise(a) == normalised_header)
    }
}

/// Words that carry no meaning in a column name and vary between editions.
const FILLERS: [&str; 10] = [
    "D", "L", "DE", "DU", "DES", "LA", "LE", "COORD", "AU", "AUX",
];

/// The comparable form of a column name: accents folded, upper case, punctuation as spaces, filler words
/// dropped. `"Libellé civilité d'exercice"` and `"Libellé civilité exercice "` give the same form, and so do
/// `"Code département (coord. structure)"` and `"Code Département (structure)"`.
pub fn normalise(name: &str) -> String {
    let name = name.trim().trim_start_matches('\u{feff}');
    text::fold(name)
        .split(' ')
        .filter(|w| !w.is_empty() && !FILLERS.contains(w))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Where each known column stands in one header, and what the header holds besides.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ColumnMap {
    /// One entry per spec, in the order of the table given to [`resolve`].
    pub indexes: Vec<Option<usize>>,
    /// Header names no spec claimed (kept as published, for the report).
    pub unknown: Vec<String>,
}

impl ColumnMap {
    /// The position of the `i`-th spec's column in the header.
    pub fn get(&self, spec: usize) -> Option<usize> {
        self.indexes.get(spec).copied().flatten()
    }
}

/// Matches a header against a source's alias table. The first header matching a spec wins; a missing
/// required column is a `MissingColumn` error at `at` (the header's location) naming the canonical name.
pub fn resolve(headers: &[String], specs: &[ColumnSpec], at: &Location) -> Result<ColumnMap> {
    let normalised: Vec<String> = headers.iter().map(|h| normalise(h)).collect();
    let mut claimed = vec![false; headers.len()];
    let mut indexes = Vec::with_capacity(specs.len());
    for spec in specs {
        let found = normalised
            .iter()
            .enumerate()
            .position(|(i, h)| !claimed[i] && !h.is_empty() && spec.matches(h));
        if let Some(i) = found {
            claimed[i] = true;
        } else if spec.required {
            return Err(FormatError::new(
                at.clone(),
                FormatErrorKind::MissingColumn {
                    column: spec.name.to_string(),
                },
            ));
        }
        indexes.push(found);
    }
    let unknown = headers
        .iter()
        .zip(&claimed)
        .filter(|(h, c)| !**c && !h.trim().is_empty())
        .map(|(h, _)| text::cut(h.trim(), 80))
        .collect();
    Ok(ColumnMap { indexes, unknown })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_compare_without_case_accents_fillers_or_spacing() {
        assert_eq!(
            normalise("Libellé civilité d'exercice"),
            normalise("Libellé civilité exercice ")
        );
        assert_eq!(
            normalise("Code département (coord. structure)"),
            normalise("Code Département (structure)")
        );
        assert_eq!(
            normalise("APL aux médecins généralistes de 65 ans et moins "),
            normalise("APL aux medecins generalistes de 65 ans et moins")
        );
        assert_ne!(
            normalise("APL aux médecins généralistes de 65 ans et moins"),
            normalise("APL aux médecins généralistes de 62 ans et moins")
        );
    }

    #[test]
    fn resolves_reordered_headers_and_reports_unknown_ones() {
        const SPECS: [ColumnSpec; 3] = [
            ColumnSpec::required("Code commune INSEE", &["CODGEO", "Code commune"]),
            ColumnSpec::optional("Commune", &["Libellé commune"]),
            ColumnSpec::optional("Population", &[]),
        ];
        let headers: Vec<String> = ["Libellé commune", "Autre", "CODGEO"]
            .map(String::from)
            .to_vec();
        let map = resolve(&headers, &SPECS, &Location::file("f.csv").line(1)).unwrap();
        assert_eq!(map.indexes, vec![Some(2), Some(0), None]);
        assert_eq!(map.unknown, vec!["Autre".to_string()]);

        let missing = resolve(&headers[..2], &SPECS, &Location::file("f.csv").line(1)).unwrap_err();
        assert_eq!(
            missing.kind,
            FormatErrorKind::MissingColumn {
                column: "Code commune INSEE".into()
            }
        );
        assert_eq!(missing.location.line, Some(1));
    }
}

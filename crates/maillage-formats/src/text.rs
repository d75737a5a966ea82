//! Small text helpers shared by the readers: accent folding, French decimal numbers, Latin-1.

use std::borrow::Cow;

/// Uppercase ASCII without accents; every other character becomes a space, runs of spaces collapse.
/// `"Rue de l'Église-Saint-Étienne"` → `"RUE DE L EGLISE SAINT ETIENNE"`.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = true; // no leading space
    let mut push = |c: char, out: &mut String| {
        if c == ' ' {
            if !space {
                out.push(' ');
                space = true;
            }
        } else {
            out.push(c);
            space = false;
        }
    };
    for c in s.chars() {
        match fold_char(c) {
            Folded::One(c) => push(c, &mut out),
            Folded::Two(a, b) => {
                push(a, &mut out);
                push(b, &mut out);
            }
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

enum Folded {
    One(char),
    Two(char, char),
}

fn fold_char(c: char) -> Folded {
    use Folded::*;
    if c.is_ascii_alphanumeric() {
        return One(c.to_ascii_uppercase());
    }
    One(match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' => 'A',
        'ç' | 'Ç' => 'C',
        'è' | 'é' | 'ê' | 'ë' | 'È' | 'É' | 'Ê' | 'Ë' => 'E',
        'ì' | 'í' | 'î' | 'ï' | 'Ì' | 'Í' | 'Î' | 'Ï' => 'I',
        'ñ' | 'Ñ' => 'N',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'ø' | 'Ø' => 'O',
        'ù' | 'ú' | 'û' | 'ü' | 'Ù' | 'Ú' | 'Û' | 'Ü' => 'U',
        'ý' | 'ÿ' | 'Ý' | 'Ÿ' => 'Y',
        'œ' | 'Œ' => return Two('O', 'E'),
        'æ' | 'Æ' => return Two('A', 'E'),
        'ß' => return Two('S', 'S'),
        _ => ' ',
    })
}

// The one cut of a quoted value, shared with the crates that do not read files.
pub use maillage_kit::{QUOTED_CHARS, cut, quoted};

/// A value that should have been a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotANumber;

/// A number as French files write it: `12.5`, `12,5`, ` 12 `. Empty, `NA`, `N/A`, `ND`, `NS`, `\N`,
/// `s` (secret) give `Ok(None)`; anything else that is not a finite number gives `Err(NotANumber)`.
pub fn parse_number(s: &str) -> Result<Option<f64>, NotANumber> {
    let t = s.trim();
    if t.is_empty() || is_missing_marker(t) {
        return Ok(None);
    }
    let t: Cow<str> = if t.contains(',') && !t.contains('.') {
        t.replace(',', ".").into()
    } else {
        t.into()
    };
    // Thousands separators as spaces (non-breaking or not) occur in spreadsheet exports.
    let t: Cow<str> = if t.contains([' ', '\u{a0}', '\u{202f}']) {
        t.replace([' ', '\u{a0}', '\u{202f}'], "").into()
    } else {
        t
    };
    match t.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(Some(v)),
        _ => Err(NotANumber),
    }
}

fn is_missing_marker(t: &str) -> bool {
    matches!(
        t,
        "NA" | "N/A" | "NaN" | "nan" | "ND" | "NS" | "nd" | "ns" | "\\N" | "s" | "-"
    )
}

/// Decodes Latin-1 as published by the ministry (Windows-1252 in practice: the superset browsers use).
pub fn latin1(bytes: &[u8]) -> Cow<'_, str> {
    encoding_rs::WINDOWS_1252
        .decode_without_bom_handling(bytes)
        .0
}

/// Bytes that Windows-1252 leaves undefined: in a Latin-1 file they mean corruption or another encoding.
pub(crate) fn latin1_oddity(bytes: &[u8]) -> Option<usize> {
    bytes
        .iter()
        .position(|b| matches!(b, 0x81 | 0x8d | 0x8f | 0x90 | 0x9d | 0x00))
}

/// `Some(trimmed)` unless the field is empty once trimmed.
pub(crate) fn non_empty(s: &str) -> Option<&str> {
    let t = s.trim();
    (!t.is_empty()).then_some(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_french_text() {
        assert_eq!(
            fold("Rue de l'Église-Saint-Étienne"),
            "RUE DE L EGLISE SAINT ETIENNE"
        );
        assert_eq!(fold("  Cœur   d'Ânes  "), "COEUR D ANES");
        assert_eq!(fold(""), "");
    }

    #[test]
    fn parses_french_numbers() {
        assert_eq!(parse_number("12,5"), Ok(Some(12.5)));
        assert_eq!(parse_number(" 1 234,5 "), Ok(Some(1234.5)));
        assert_eq!(parse_number("NA"), Ok(None));
        assert_eq!(parse_number(""), Ok(None));
        assert_eq!(parse_number("abc"), Err(NotANumber));
        assert_eq!(parse_number("inf"), Err(NotANumber));
    }

    #[test]
    fn latin1_decodes_accents() {
        assert_eq!(latin1(&[0x43, 0x48, 0x20, 0xc9, 0xe8, 0xf4]), "CH Éèô");
        assert_eq!(latin1_oddity(b"ok"), None);
        assert_eq!(latin1_oddity(&[b'a', 0x81]), Some(1));
    }
}

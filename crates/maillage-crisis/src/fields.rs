//! Checks of typed-in fields, shared by every form of the module. They say which field is wrong and what is
//! expected, never the value (it may be personal).

use crate::CrisisError;
use jiff::civil::Date;

/// A required text: trimmed, without control characters, at most `max` characters.
pub fn required(field: &'static str, value: &str, max: usize) -> Result<String, CrisisError> {
    optional(field, value, max)?.ok_or(CrisisError::MissingField { field })
}

/// An optional text: None when empty.
pub fn optional(
    field: &'static str,
    value: &str,
    max: usize,
) -> Result<Option<String>, CrisisError> {
    let v = value.trim();
    if v.is_empty() {
        return Ok(None);
    }
    if v.chars().count() > max {
        return Err(CrisisError::TooLong { field, max });
    }
    // Line breaks are fine in notes; other control characters are not text anyone typed.
    if v.chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        return Err(CrisisError::InvalidField {
            field,
            expected: "texte",
        });
    }
    Ok(Some(v.to_string()))
}

/// A French phone number (10 digits starting with 0, or +33 and 9 digits; spaces, dots and dashes allowed),
/// written back as `01 23 45 67 89`.
pub fn phone(field: &'static str, value: &str) -> Result<Option<String>, CrisisError> {
    let v = value.trim();
    if v.is_empty() {
        return Ok(None);
    }
    let invalid = CrisisError::InvalidField {
        field,
        expected: "numéro de téléphone",
    };
    if !v
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '.' | '-' | '+'))
    {
        return Err(invalid);
    }
    let digits: String = v.chars().filter(char::is_ascii_digit).collect();
    let national = if let Some(rest) = v.strip_prefix("+33") {
        let rest: String = rest.chars().filter(char::is_ascii_digit).collect();
        let rest = rest.strip_prefix('0').unwrap_or(&rest).to_string();
        format!("0{rest}")
    } else if v.contains('+') {
        return Err(invalid);
    } else {
        digits
    };
    if national.len() != 10 || !national.starts_with('0') || national.as_bytes()[1] == b'0' {
        return Err(invalid);
    }
    let pairs: Vec<&str> = (0..5).map(|i| &national[2 * i..2 * i + 2]).collect();
    Ok(Some(pairs.join(" ")))
}

/// A date written `AAAA-MM-JJ` (HTML date fields) or `JJ/MM/AAAA`.
pub fn date(field: &'static str, value: &str) -> Result<Option<Date>, CrisisError> {
    let v = value.trim();
    if v.is_empty() {
        return Ok(None);
    }
    let invalid = CrisisError::InvalidField {
        field,
        expected: "date AAAA-MM-JJ",
    };
    if let Ok(d) = v.parse::<Date>() {
        return Ok(Some(d));
    }
    let parts: Vec<&str> = v.split('/').collect();
    match parts.as_slice() {
        [d, m, y] if y.len() == 4 => {
            let (Ok(d), Ok(m), Ok(y)) = (d.parse::<i8>(), m.parse::<i8>(), y.parse::<i16>()) else {
                return Err(invalid);
            };
            Date::new(y, m, d).map(Some).map_err(|_| invalid)
        }
        _ => Err(invalid),
    }
}

/// A whole number.
pub fn integer(field: &'static str, value: &str) -> Result<Option<i64>, CrisisError> {
    let v = value.trim();
    if v.is_empty() {
        return Ok(None);
    }
    v.parse::<i64>()
        .map(Some)
        .map_err(|_| CrisisError::InvalidField {
            field,
            expected: "nombre entier",
        })
}

/// A decimal number (comma or point).
pub fn decimal(field: &'static str, value: &str) -> Result<Option<f64>, CrisisError> {
    let v = value.trim();
    if v.is_empty() {
        return Ok(None);
    }
    v.replace(',', ".")
        .parse::<f64>()
        .ok()
        .filter(|x| x.is_finite())
        .map(Some)
        .ok_or(CrisisError::InvalidField {
            field,
            expected: "nombre",
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_are_normalised_or_refused_without_quoting_them() {
        assert_eq!(
            phone("t", "0123456789").unwrap().as_deref(),
            Some("01 23 45 67 89")
        );
        assert_eq!(
            phone("t", "06.39.98.12.34").unwrap().as_deref(),
            Some("06 39 98 12 34")
        );
        assert_eq!(
            phone("t", "+33 6 39 98 12 34").unwrap().as_deref(),
            Some("06 39 98 12 34")
        );
        assert_eq!(phone("t", "+33 (0)6").ok(), None);
        assert_eq!(phone("t", "").unwrap(), None);
        for bad in [
            "012345678",
            "00123456789",
            "1234567890",
            "01 23 45 67 8x",
            "+44 20 7946 0958",
        ] {
            let e = phone("telephone", bad).unwrap_err();
            assert_eq!(
                e,
                CrisisError::InvalidField {
                    field: "telephone",
                    expected: "numéro de téléphone"
                }
            );
            assert!(!e.to_string().contains(bad));
        }
    }

    #[test]
    fn dates_in_both_spellings() {
        let d = Date::new(1941, 3, 9).unwrap();
        assert_eq!(date("d", "1941-03-09").unwrap(), Some(d));
        assert_eq!(date("d", "09/03/1941").unwrap(), Some(d));
        assert!(date("d", "31/02/1941").is_err());
        assert!(date("d", "hier").is_err());
    }

    #[test]
    fn texts_are_trimmed_and_bounded() {
        assert_eq!(required("nom", "  Martin ", 10).unwrap(), "Martin");
        assert_eq!(
            required("nom", "   ", 10),
            Err(CrisisError::MissingField { field: "nom" })
        );
        assert_eq!(
            required("nom", "abcdefghijk", 10),
            Err(CrisisError::TooLong {
                field: "nom",
                max: 10
            })
        );
        assert!(optional("note", "a\u{7}b", 10).is_err());
        assert_eq!(
            optional("note", "ligne 1\nligne 2", 40).unwrap().as_deref(),
            Some("ligne 1\nligne 2")
        );
    }
}

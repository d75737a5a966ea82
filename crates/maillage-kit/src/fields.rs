//! Checks of values typed into a form or read from an imported file, shared by every module (crisis, network,
//! settings). Each returns the cleaned value or a [`FieldError`] naming the field and what is expected, never
//! the value itself: it may be personal (a name, a phone number), and errors are shown and may reach logs.
//! Modules turn a `FieldError` into their own error type (`From`), so French wording stays in one place.

use jiff::civil::Date;

/// What is wrong with a typed-in value. Carries the field's name and what was expected, never the value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FieldError {
    #[error("field {field} is required")]
    MissingField { field: &'static str },
    #[error("field {field} is not valid ({expected} expected)")]
    InvalidField {
        field: &'static str,
        expected: &'static str,
    },
    #[error("field {field} is longer than {max} characters")]
    TooLong { field: &'static str, max: usize },
}

impl FieldError {
    /// The name of the field (as the form posts it), so that a page can point at it.
    pub fn field(&self) -> &'static str {
        match self {
            FieldError::MissingField { field }
            | FieldError::InvalidField { field, .. }
            | FieldError::TooLong { field, .. } => field,
        }
    }
}

/// How many characters of a value a message, a log line or an audit entry may quote.
pub const QUOTED_CHARS: usize = 80;

/// At most `max` characters of `s`, with "…" when cut: what a message may quote of a value read from a
/// file or typed in (a whole 50 MB field must never reach a message, a log or the audit log). Reads at
/// most `max + 1` characters of `s`, whatever its length.
pub fn cut(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        None => s.to_string(),
        Some((end, _)) => format!("{}…", &s[..end]),
    }
}

/// [`cut`] to [`QUOTED_CHARS`]: the extract of a value that errors keep from the moment they are built.
pub fn quoted(s: &str) -> String {
    cut(s, QUOTED_CHARS)
}

/// A required text: trimmed, without control characters, at most `max` characters.
pub fn required(field: &'static str, value: &str, max: usize) -> Result<String, FieldError> {
    optional(field, value, max)?.ok_or(FieldError::MissingField { field })
}

/// An optional text: None when empty.
pub fn optional(
    field: &'static str,
    value: &str,
    max: usize,
) -> Result<Option<String>, FieldError> {
    let v = value.trim();
    if v.is_empty() {
        return Ok(None);
    }
    if v.chars().count() > max {
        return Err(FieldError::TooLong { field, max });
    }
    // Line breaks are fine in long texts; other control characters are not text anyone typed.
    if v.chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        return Err(FieldError::InvalidField {
            field,
            expected: "texte",
        });
    }
    Ok(Some(v.replace("\r\n", "\n")))
}

/// A one-line text (a name, a title): no line break.
pub fn line(field: &'static str, value: &str, max: usize) -> Result<Option<String>, FieldError> {
    let v = optional(field, value, max)?;
    if v.as_deref().is_some_and(|v| v.contains(['\n', '\r', '\t'])) {
        return Err(FieldError::InvalidField {
            field,
            expected: "texte sur une ligne",
        });
    }
    Ok(v)
}

/// A required one-line text.
pub fn required_line(field: &'static str, value: &str, max: usize) -> Result<String, FieldError> {
    line(field, value, max)?.ok_or(FieldError::MissingField { field })
}

/// An e-mail address: one `@`, a dotted domain, no spaces, no characters that would split a header. Kept as
/// typed, lower-cased domain.
pub fn email(field: &'static str, value: &str) -> Result<Option<String>, FieldError> {
    let v = value.trim();
    if v.is_empty() {
        return Ok(None);
    }
    let invalid = FieldError::InvalidField {
        field,
        expected: "adresse électronique",
    };
    if v.len() > 254
        || v.chars()
            .any(|c| c.is_whitespace() || c.is_control() || "<>,;:\"()[]\\".contains(c))
    {
        return Err(invalid);
    }
    let Some((local, domain)) = v.split_once('@') else {
        return Err(invalid);
    };
    if local.is_empty()
        || local.len() > 64
        || domain.contains('@')
        || !domain.contains('.')
        || domain.starts_with(['.', '-'])
        || domain.ends_with(['.', '-'])
        || domain.contains("..")
        || !domain
            .chars()
            .all(|c| c.is_alphanumeric() || c == '.' || c == '-')
    {
        return Err(invalid);
    }
    Ok(Some(format!("{local}@{}", domain.to_lowercase())))
}

/// A person's French phone number (10 digits starting with 0, or +33 and 9 digits; spaces, dots and dashes
/// allowed), written back as `01 23 45 67 89`.
pub fn phone(field: &'static str, value: &str) -> Result<Option<String>, FieldError> {
    french_phone(field, value, false)
}

/// A service's phone number: as [`phone`], and also the short public numbers (15, 115, 3919...) kept as typed
/// when they are digits only.
pub fn service_phone(field: &'static str, value: &str) -> Result<Option<String>, FieldError> {
    french_phone(field, value, true)
}

fn french_phone(
    field: &'static str,
    value: &str,
    short: bool,
) -> Result<Option<String>, FieldError> {
    let v = value.trim();
    if v.is_empty() {
        return Ok(None);
    }
    let invalid = FieldError::InvalidField {
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
    if short && !v.contains('+') && (2..=4).contains(&digits.len()) {
        return Ok(Some(digits));
    }
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

/// A web address: `http://` or `https://` and a host; `www.x.fr` gets `https://`.
pub fn url(field: &'static str, value: &str) -> Result<Option<String>, FieldError> {
    let v = value.trim();
    if v.is_empty() {
        return Ok(None);
    }
    let invalid = FieldError::InvalidField {
        field,
        expected: "adresse web (https://…)",
    };
    if v.len() > 300
        || v.chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '"' || c == '<' || c == '>')
    {
        return Err(invalid);
    }
    let full = if v.starts_with("https://") || v.starts_with("http://") {
        v.to_string()
    } else {
        format!("https://{v}")
    };
    let host = full
        .split("://")
        .nth(1)
        .unwrap_or("")
        .split(['/', '?', '#'])
        .next()
        .unwrap_or("");
    if !host.contains('.')
        || host.starts_with('.')
        || host.ends_with('.')
        || !host
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | ':'))
    {
        return Err(invalid);
    }
    Ok(Some(full))
}

/// A date written `AAAA-MM-JJ` (HTML date fields) or `JJ/MM/AAAA`.
pub fn date(field: &'static str, value: &str) -> Result<Option<Date>, FieldError> {
    let v = value.trim();
    if v.is_empty() {
        return Ok(None);
    }
    let invalid = FieldError::InvalidField {
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

/// A required date.
pub fn required_date(field: &'static str, value: &str) -> Result<Date, FieldError> {
    date(field, value)?.ok_or(FieldError::MissingField { field })
}

/// A whole number within `min..=max`.
pub fn integer(
    field: &'static str,
    value: &str,
    min: i64,
    max: i64,
) -> Result<Option<i64>, FieldError> {
    let v = value.trim();
    if v.is_empty() {
        return Ok(None);
    }
    match v.parse::<i64>() {
        Ok(n) if (min..=max).contains(&n) => Ok(Some(n)),
        _ => Err(FieldError::InvalidField {
            field,
            expected: "nombre entier",
        }),
    }
}

/// A decimal number (comma or point, spaces as thousands separators), finite.
pub fn decimal(field: &'static str, value: &str) -> Result<Option<f64>, FieldError> {
    let v: String = value
        .trim()
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{202f}')
        .collect();
    if v.is_empty() {
        return Ok(None);
    }
    let v = v.trim_end_matches('€').replace(',', ".");
    match v.parse::<f64>() {
        Ok(x) if x.is_finite() => Ok(Some(x)),
        _ => Err(FieldError::InvalidField {
            field,
            expected: "nombre",
        }),
    }
}

/// A yes/no value: `oui`/`non`, `1`/`0`, `vrai`/`faux`; empty is None.
pub fn yes_no(field: &'static str, value: &str) -> Result<Option<bool>, FieldError> {
    match value.trim().to_lowercase().as_str() {
        "" => Ok(None),
        "oui" | "o" | "1" | "vrai" | "true" | "yes" | "on" => Ok(Some(true)),
        "non" | "n" | "0" | "faux" | "false" | "no" => Ok(Some(false)),
        _ => Err(FieldError::InvalidField {
            field,
            expected: "oui ou non",
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_quoted_value_keeps_80_characters_and_says_it_was_cut() {
        assert_eq!(quoted("86194"), "86194");
        let exact = "é".repeat(QUOTED_CHARS);
        assert_eq!(quoted(&exact), exact);
        let long = "é".repeat(50 * 1024 * 1024);
        let shown = quoted(&long);
        assert_eq!(shown, format!("{}…", "é".repeat(QUOTED_CHARS)));
        assert_eq!(cut("abcdef", 3), "abc…");
        assert_eq!(cut("", 3), "");
    }

    #[test]
    fn emails() {
        assert_eq!(
            email("c", " Anne.Dupont@Mairie.FR ").unwrap().as_deref(),
            Some("Anne.Dupont@mairie.fr")
        );
        for bad in [
            "a",
            "a@b",
            "a@@b.fr",
            "a b@c.fr",
            "a@b..fr",
            "a@.b.fr",
            "<a@b.fr>",
            "a@b.fr,c@d.fr",
            "a@b.fr\r\nBcc: x@y.fr",
        ] {
            assert!(email("c", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn phones_and_short_numbers() {
        assert_eq!(
            phone("t", "+33 6 12 34 56 78").unwrap().as_deref(),
            Some("06 12 34 56 78")
        );
        assert_eq!(
            phone("t", "05.49.00.00.00").unwrap().as_deref(),
            Some("05 49 00 00 00")
        );
        assert_eq!(service_phone("t", "115").unwrap().as_deref(), Some("115"));
        assert!(
            phone("t", "115").is_err(),
            "a person's number has 10 digits"
        );
        assert!(phone("t", "0012345678").is_err());
        assert!(phone("t", "tel 05").is_err());
    }

    #[test]
    fn numbers_and_dates() {
        assert_eq!(decimal("m", "12 500,50 €").unwrap(), Some(12500.5));
        assert!(decimal("m", "NaN").is_err());
        assert_eq!(
            date("d", "28/07/2026").unwrap(),
            Some(Date::new(2026, 7, 28).unwrap())
        );
        assert!(date("d", "31/02/2026").is_err());
        assert_eq!(integer("n", "12", 0, 120).unwrap(), Some(12));
        assert!(integer("n", "130", 0, 120).is_err());
    }

    #[test]
    fn urls() {
        assert_eq!(
            url("u", "www.mda.fr").unwrap().as_deref(),
            Some("https://www.mda.fr")
        );
        assert!(url("u", "javascript:alert(1)").is_err());
        assert!(url("u", "https://localhost").is_err());
    }
}

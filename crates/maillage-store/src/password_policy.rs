//! What a password must be (CNIL, délibération n° 2022-100 du 21 juillet 2022, recommandation relative aux mots
//! de passe): an entropy of at least 80 bits, reached either by length with variety — 12 characters with upper
//! case, lower case, digits and other characters; 14 with three of those kinds; longer with fewer, such as a
//! passphrase — and never a common password, the account's identifier, blank, one repeated character or a
//! simple sequence.
//!
//! The entropy is estimated as CNIL does (length × log2 of the alphabet the characters come from), on the
//! *effective* length: a character that repeats, continues or reverses a run of the previous one
//! (`aaaa`, `1234`, `dcba`) and a repetition of an earlier block (`abcabc`) add nothing.

use crate::accounts::AccountError;
use std::collections::HashSet;
use std::sync::OnceLock;

pub const PASSWORD_MIN_CHARS: usize = 12;
pub const PASSWORD_MAX_CHARS: usize = 256;
/// The entropy CNIL's recommendation asks for (in bits).
pub const MIN_ENTROPY_BITS: f64 = 80.0;
/// CNIL's first example: 12 characters of the four kinds (≈ 78 bits by its own count), accepted as such.
const FOUR_KINDS_MIN_CHARS: usize = 12;

/// The kinds of characters, and how many characters each kind brings to the alphabet.
const LOWER: f64 = 26.0;
const UPPER: f64 = 26.0;
const DIGIT: f64 = 10.0;
/// Punctuation, symbols and the space of the French keyboard (accented letters count here too: they are rare).
const OTHER: f64 = 33.0;

fn common_passwords() -> &'static HashSet<&'static str> {
    static LIST: OnceLock<HashSet<&'static str>> = OnceLock::new();
    LIST.get_or_init(|| {
        include_str!("../data/mots-de-passe-courants.txt")
            .lines()
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .collect()
    })
}

/// Checks a password about to be set for the account `identifier` (the identifier as typed or stored).
pub fn check(password: &str, identifier: &str) -> Result<(), AccountError> {
    let n = password.chars().count();
    if password.trim().is_empty() {
        return Err(AccountError::PasswordBlank);
    }
    if n < PASSWORD_MIN_CHARS {
        return Err(AccountError::PasswordTooShort {
            min: PASSWORD_MIN_CHARS,
        });
    }
    if n > PASSWORD_MAX_CHARS {
        return Err(AccountError::PasswordTooLong {
            max: PASSWORD_MAX_CHARS,
        });
    }
    let folded = password.to_lowercase();
    let identifier = identifier.trim().to_lowercase();
    // The identifier in the password: equal always refused; contained when long enough to matter (a two- or
    // three-letter identifier such as `elu` would turn away good passphrases by chance).
    if !identifier.is_empty()
        && (folded.trim() == identifier
            || (identifier.chars().count() >= 4 && folded.contains(&identifier)))
    {
        return Err(AccountError::PasswordContainsIdentifier);
    }
    if is_common(&folded) {
        return Err(AccountError::PasswordCommon);
    }
    let chars: Vec<char> = password.chars().collect();
    let effective = effective_length(&chars);
    // One character repeated, a sequence, a block repeated: two thirds or more of it bring nothing.
    if effective <= 2 || effective * 3 <= n {
        return Err(AccountError::PasswordRepetitive);
    }
    if !strong_enough(&chars, effective) {
        return Err(AccountError::PasswordTooWeak {
            min_bits: MIN_ENTROPY_BITS as u32,
        });
    }
    Ok(())
}

/// The common list, on the password's core: case folded, `@`→a, `0`→o… undone, digits and symbols around it
/// removed (`P@ssw0rd2024!` is `password`).
fn is_common(folded: &str) -> bool {
    let list = common_passwords();
    if list.contains(folded) || list.contains(folded.trim()) {
        return true;
    }
    let strip_ends = |s: &str| -> String {
        s.trim_matches(|c: char| !c.is_alphabetic())
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect()
    };
    // Only the ends are stripped (the core of `123motdepasse456` is its middle), then substitutions undone.
    let core = strip_ends(folded);
    let unleet: String = core
        .chars()
        .map(|c| match c {
            '@' | '4' => 'a',
            '0' => 'o',
            '1' | '!' => 'i',
            '3' => 'e',
            '$' | '5' => 's',
            '7' => 't',
            c => c,
        })
        .collect();
    [core, unleet]
        .iter()
        .any(|c| c.chars().count() >= 4 && list.contains(c.as_str()))
}

/// The number of characters that bring something: not a repeat, a step up or down of the previous one, nor
/// the continuation of a block already seen.
fn effective_length(chars: &[char]) -> usize {
    // A password made of one block repeated (`abcabcabc`, `azerazerazer`) counts as that block.
    let n = chars.len();
    let period = (1..=n / 2)
        .find(|&p| (p..n).all(|i| chars[i] == chars[i - p]))
        .unwrap_or(n);
    let unit = &chars[..period];
    let mut count = 0;
    let mut step: Option<i64> = None;
    for (i, c) in unit.iter().enumerate() {
        let this_step = (i > 0).then(|| *c as i64 - unit[i - 1] as i64);
        let continues = match this_step {
            Some(0) => true,
            // A run keeps one step (`1234`, `9876`, `abcd`): its first step is counted, the next ones not.
            Some(s @ (-1 | 1)) => step == Some(s),
            _ => false,
        };
        if !continues {
            count += 1;
        }
        step = this_step;
    }
    count
}

/// CNIL's entropy test on the effective length.
fn strong_enough(chars: &[char], effective: usize) -> bool {
    let (mut lower, mut upper, mut digit, mut other) = (false, false, false, false);
    for c in chars {
        match c {
            c if c.is_ascii_lowercase() => lower = true,
            c if c.is_ascii_uppercase() => upper = true,
            c if c.is_ascii_digit() => digit = true,
            c if c.is_lowercase() => lower = true,
            c if c.is_uppercase() => upper = true,
            _ => other = true,
        }
    }
    if lower && upper && digit && other && effective >= FOUR_KINDS_MIN_CHARS {
        return true;
    }
    let alphabet = [
        (lower, LOWER),
        (upper, UPPER),
        (digit, DIGIT),
        (other, OTHER),
    ]
    .iter()
    .filter(|(present, _)| *present)
    .map(|(_, size)| size)
    .sum::<f64>();
    effective as f64 * alphabet.log2() >= MIN_ENTROPY_BITS
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refusal(password: &str) -> String {
        match check(password, "mairie.dupont") {
            Ok(()) => "accepté".into(),
            Err(e) => format!("{e:?}"),
        }
    }

    #[test]
    fn the_issue_s_weak_passwords_are_refused_each_for_its_reason() {
        assert_eq!(refusal("            "), "PasswordBlank");
        assert_eq!(refusal("aaaaaaaaaaaa"), "PasswordRepetitive");
        assert_eq!(refusal("123456789012"), "PasswordRepetitive");
        assert_eq!(refusal("abcdefghijklmnop"), "PasswordRepetitive");
        assert_eq!(refusal("zyxwvutsrqponm"), "PasswordRepetitive");
        assert!(matches!(
            check("mairie.dupont", "mairie.dupont"),
            Err(AccountError::PasswordContainsIdentifier)
        ));
        assert!(matches!(
            check("Mairie.Dupont-2026!", "mairie.dupont"),
            Err(AccountError::PasswordContainsIdentifier)
        ));
        assert_eq!(refusal("court"), "PasswordTooShort { min: 12 }");
    }

    #[test]
    fn common_passwords_are_refused_even_decorated() {
        for p in [
            "P@ssw0rd2024!",
            "Password123456",
            "Sunshine!2024",
            "  qwertyuiop  ",
            "contortionist",
        ] {
            assert_eq!(refusal(p), "PasswordCommon", "{p}");
        }
    }

    #[test]
    fn too_little_variety_for_the_length_is_refused() {
        // Lower case only: 17 effective characters give 79.9 bits, 18 give 84.6.
        assert_eq!(
            refusal("kqzmwhfxtrplgvnjy"),
            "PasswordTooWeak { min_bits: 80 }"
        );
        assert_eq!(refusal("kqzmwhfxtrplgvnjyb"), "accepté");
        // Three kinds: 13 characters too few, 14 enough (CNIL's second example).
        assert_eq!(refusal("Kq7mWh2xTrPlG"), "PasswordTooWeak { min_bits: 80 }");
        assert_eq!(refusal("Kq7mWh2xTrPlGv"), "accepté");
        // Four kinds: 12 characters (CNIL's first example).
        assert_eq!(refusal("Kq7m;h2x_rPl"), "accepté");
        // A block repeated counts once.
        assert_eq!(refusal("Kq7;Kq7;Kq7;Kq7;"), "PasswordRepetitive");
    }

    #[test]
    fn passphrases_and_generated_passwords_pass() {
        assert_eq!(refusal("une phrase de passe assez longue"), "accepté");
        assert_eq!(refusal("cheval correct pile agrafe"), "accepté");
        assert_eq!(refusal("abcd-efgh-jkmn-pqrs-tuvw"), "accepté");
        // Sequences inside a long random string only cost their own characters.
        assert_eq!(refusal("x7k2-9abc-q4mz-h8tw-p3rn"), "accepté");
    }

    #[test]
    fn a_short_identifier_inside_a_passphrase_is_not_a_reason() {
        assert!(check("le conseil municipal se reunit", "elu").is_ok());
        assert!(matches!(
            check("elu", "elu"),
            Err(AccountError::PasswordTooShort { .. })
        ));
    }
}

//! French wording of what the libraries report. Libraries return typed errors; this crate is the one
//! place that turns them into sentences a user of Maillage reads (command line and web pages alike).

/// French labels of a module's codes, one `Type { Variant => "label", }` per enumeration; in tests, every
/// listed enumeration is checked with the kit (codes unique and read back, every value labelled).
macro_rules! labels {
    ($($ty:ty { $($variant:ident => $label:literal,)+ })+) => {
        $(impl French for $ty {
            fn french(&self) -> String {
                match self { $(<$ty>::$variant => $label,)+ }.to_string()
            }
        })+

        /// Every code of this module's labelled enumerations with its label: what a page must never show raw.
        pub fn labelled_codes() -> Vec<(&'static str, String)> {
            let mut all = Vec::new();
            $(for v in <$ty as maillage_kit::codes::Coded>::ALL {
                all.push((maillage_kit::codes::Coded::code(*v), v.french()));
            })+
            all
        }

        #[cfg(test)]
        #[test]
        fn every_labelled_code_reads_back_and_has_a_label() {
            $(assert_eq!(
                maillage_kit::codes::check::<$ty>(Some(&|v: $ty| v.french())),
                Ok(()),
                "{}",
                stringify!($ty)
            );)+
        }
    };
}

mod access;
mod accounts;
pub mod analysis;
pub mod audit;
pub mod crisis;
mod formats;
pub mod imports;
pub mod indicators;
pub mod network;
mod routing;
mod store;

use maillage_formats::text::{QUOTED_CHARS, cut};
use std::fmt;
pub use store::coordinate_counts;

/// A value quoted in a message, shown to at most [`QUOTED_CHARS`] characters with "…" when longer. Errors
/// cut their values when they are built; this is the wording's own guard, for any text an error carries
/// (written through, never copied whole: a 1 GB value costs no memory here).
pub(crate) struct Cut<T>(pub T);

impl<T: fmt::Display> fmt::Display for Cut<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_at_most(f, &self.0, QUOTED_CHARS)
    }
}

/// At most `max_chars` characters of what `value` displays, with "…" when longer, without ever holding more:
/// the last guard of what the command line prints and the server logs.
pub fn at_most(value: impl fmt::Display, max_chars: usize) -> String {
    struct AtMost<T>(T, usize);
    impl<T: fmt::Display> fmt::Display for AtMost<T> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write_at_most(f, &self.0, self.1)
        }
    }
    AtMost(value, max_chars).to_string()
}

fn write_at_most(
    out: &mut fmt::Formatter<'_>,
    value: &dyn fmt::Display,
    max_chars: usize,
) -> fmt::Result {
    /// Passes the first characters on, drops the others (returning an error would make `format!` panic).
    struct Bounded<'a, 'b> {
        out: &'a mut fmt::Formatter<'b>,
        left: usize,
        cut: bool,
    }
    impl fmt::Write for Bounded<'_, '_> {
        fn write_str(&mut self, s: &str) -> fmt::Result {
            if self.cut {
                return Ok(());
            }
            match s.char_indices().nth(self.left) {
                None => {
                    self.left -= s.chars().count();
                    self.out.write_str(s)
                }
                Some((end, _)) => {
                    self.cut = true;
                    self.out.write_str(&s[..end])?;
                    self.out.write_str("…")
                }
            }
        }
    }
    let mut bounded = Bounded {
        out,
        left: max_chars,
        cut: false,
    };
    fmt::write(&mut bounded, format_args!("{value}"))
}

/// Names read from a file (columns, members, layers), each quoted and cut to 60 characters, as many as fit in
/// about 200 characters (one at least): « a », « b » et 3 autres.
pub(crate) fn quoted_names(names: &[String]) -> String {
    const NAME_CHARS: usize = 60;
    const LIST_CHARS: usize = 200;
    let mut shown: Vec<String> = Vec::new();
    let mut length = 0;
    for name in names {
        let quoted = format!("« {} »", cut(name, NAME_CHARS));
        length += quoted.chars().count() + 2;
        if !shown.is_empty() && length > LIST_CHARS {
            break;
        }
        shown.push(quoted);
    }
    match names.len() - shown.len() {
        0 => shown.join(", "),
        more => format!(
            "{} et {more} autre{}",
            shown.join(", "),
            if more > 1 { "s" } else { "" }
        ),
    }
}

/// A French sentence for the user: what is wrong, where, and what to do.
pub trait French {
    fn french(&self) -> String;
}

/// A label with its first letter in capitals ("origines" → "Origines").
pub fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A message of [`French`] shown on its own: capital first letter, final full stop.
pub fn sentence(s: &str) -> String {
    let mut out = capitalised(s);
    if !out.is_empty() && !out.ends_with(['.', '!', '?']) {
        out.push('.');
    }
    out
}

/// What a JSON parser (serde_json) said, in French: its English never reaches a page. The line and column
/// are given by the error's location; text already French (a check of Maillage's own) is kept.
pub(crate) fn json_parser_in_french(said: &str) -> String {
    let said = said.split(" at line ").next().unwrap_or(said);
    const KNOWN: [(&str, &str); 14] = [
        (
            "EOF while parsing a list",
            "le fichier s'arrête au milieu d'une liste : il est sans doute tronqué",
        ),
        (
            "EOF while parsing an object",
            "le fichier s'arrête au milieu d'un objet : il est sans doute tronqué",
        ),
        (
            "EOF while parsing a string",
            "le fichier s'arrête au milieu d'un texte : il est sans doute tronqué",
        ),
        (
            "EOF while parsing a value",
            "le fichier s'arrête avant la fin d'une valeur : il est sans doute tronqué",
        ),
        (
            "EOF while parsing",
            "le fichier s'arrête trop tôt : il est sans doute tronqué",
        ),
        (
            "expected `,` or `]`",
            "une virgule ou un crochet fermant « ] » était attendu",
        ),
        (
            "expected `,` or `}`",
            "une virgule ou une accolade fermante « } » était attendue",
        ),
        ("expected `:`", "un deux-points « : » était attendu"),
        ("expected value", "une valeur était attendue"),
        (
            "key must be a string",
            "un nom de champ doit être écrit entre guillemets",
        ),
        (
            "trailing comma",
            "une virgule de trop avant la fin d'une liste ou d'un objet",
        ),
        (
            "trailing characters",
            "du texte en trop après la fin des données",
        ),
        ("missing field", "un champ obligatoire manque"),
        ("invalid type", "une valeur n'a pas le type attendu"),
    ];
    if let Some((_, french)) = KNOWN.iter().find(|(english, _)| said.starts_with(english)) {
        return (*french).to_string();
    }
    let english = [
        "invalid",
        "expected",
        "EOF",
        "unknown",
        "missing",
        "trailing",
        "control character",
        "number out of range",
        "recursion limit",
    ];
    if english.iter().any(|w| said.contains(w)) {
        "structure JSON incorrecte".into()
    } else {
        Cut(said).to_string()
    }
}

/// What a select refused asks for, with the field named as the form prints it: "choisissez un motif dans la
/// liste", "choisissez une qualité dans la liste".
pub(crate) fn choose_in_list(label: &str) -> String {
    // The feminine nouns the modules' lists are labelled with (the first word decides the article).
    const FEMININE: [&str; 12] = [
        "qualité",
        "visibilité",
        "langue",
        "liste",
        "catégorie",
        "unité",
        "action",
        "période",
        "source",
        "date",
        "valeur",
        "génération",
    ];
    let first = label.split([' ', '\'']).next().unwrap_or(label);
    let article = if FEMININE.contains(&first) {
        "une"
    } else {
        "un"
    };
    format!("choisissez {article} {label} dans la liste")
}

/// Every labelled code of the modules, with its label (for the tests that look for codes shown raw).
pub fn every_labelled_code() -> Vec<(&'static str, String)> {
    let mut all = crisis::labelled_codes();
    all.extend(network::labelled_codes());
    all
}

/// A whole number a count may be given as (lists' lengths, counters of the store).
pub trait Count: Copy {
    fn value(self) -> i128;
}

macro_rules! counts {
    ($($t:ty)*) => { $(impl Count for $t { fn value(self) -> i128 { self as i128 } })* };
}
counts!(u8 u16 u32 u64 usize i32 i64);

/// A count with its words agreed, as French writes it (0 and 1 take the singular): `count(3, "appel",
/// "appels")` gives "3 appels", `count(1, "action faite", "actions faites")` "1 action faite". Never "appel(s)".
pub fn count(n: impl Count, one: &str, many: &str) -> String {
    format!("{} {}", whole(n.value()), agreed(n, one, many))
}

/// A whole number as French writes it, thousands apart by a narrow no-break space: "12 345".
fn whole(n: i128) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::from(if n < 0 { "-" } else { "" });
    for (i, c) in digits.char_indices() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('\u{202f}');
        }
        out.push(c);
    }
    out
}

/// The words alone, agreed with the count: `agreed(2, "fiche", "fiches")` gives "fiches".
pub fn agreed<'a>(n: impl Count, one: &'a str, many: &'a str) -> &'a str {
    if n.value().abs() < 2 { one } else { many }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_start_with_a_capital_and_end_with_a_stop() {
        assert_eq!(capitalised("écart de 3 m"), "Écart de 3 m");
        assert_eq!(
            sentence("le champ « quantité » est vide"),
            "Le champ « quantité » est vide."
        );
        assert_eq!(sentence("déjà fini ?"), "Déjà fini ?");
        assert_eq!(sentence(""), "");
    }

    #[test]
    fn parser_english_is_said_in_french() {
        assert_eq!(
            json_parser_in_french("EOF while parsing a list at line 3 column 1"),
            "le fichier s'arrête au milieu d'une liste : il est sans doute tronqué"
        );
        assert_eq!(
            json_parser_in_french("invalid escape"),
            "structure JSON incorrecte"
        );
        assert_eq!(
            json_parser_in_french("l'élément n'a pas de code"),
            "l'élément n'a pas de code"
        );
    }

    #[test]
    fn a_refused_choice_names_the_field_with_its_article() {
        assert_eq!(
            sentence(&choose_in_list("motif")),
            "Choisissez un motif dans la liste."
        );
        assert_eq!(
            choose_in_list("qualité"),
            "choisissez une qualité dans la liste"
        );
    }

    #[test]
    fn counts_agree_with_their_words() {
        assert_eq!(count(0_usize, "appel", "appels"), "0 appel");
        assert_eq!(
            count(1_i64, "action faite", "actions faites"),
            "1 action faite"
        );
        assert_eq!(count(1234_u32, "fiche", "fiches"), "1\u{202f}234 fiches");
        assert_eq!(agreed(2_usize, "inscrit", "inscrits"), "inscrits");
    }

    #[test]
    fn a_quoted_value_is_cut_to_80_characters_whatever_it_is() {
        let long = "é".repeat(10_000_000);
        let shown = Cut(&long).to_string();
        assert_eq!(shown.chars().count(), QUOTED_CHARS + 1);
        assert!(shown.ends_with('…'));
        assert_eq!(Cut("court").to_string(), "court");
        assert_eq!(Cut(12.5).to_string(), "12.5");
        // A value written in several pieces (a path, a wrapped error) is cut across them.
        let path = std::path::PathBuf::from(format!("{}/{}", "a".repeat(60), "b".repeat(60)));
        assert_eq!(
            Cut(path.display()).to_string(),
            cut(&path.display().to_string(), QUOTED_CHARS)
        );
    }
}

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

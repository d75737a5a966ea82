//! French wording of what the libraries report. Libraries return typed errors; this crate is the one
//! place that turns them into sentences a user of Maillage reads (command line and web pages alike).

mod access;
mod accounts;
mod analysis;
mod audit;
pub mod crisis;
mod formats;
pub mod imports;
pub mod network;
mod routing;
mod store;

use maillage_formats::text::cut;
pub use store::coordinate_counts;

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
}

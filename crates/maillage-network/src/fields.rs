//! Field checks of the network module: the shared checks of `maillage-kit`, plus periods and the folding of
//! texts that directory searches compare.

use crate::NetworkError;
use jiff::civil::Date;
pub use maillage_kit::*;

/// A period: both ends optional, the end not before the start.
pub fn period(
    field: &'static str,
    start: Option<Date>,
    end: Option<Date>,
) -> Result<(), NetworkError> {
    match (start, end) {
        (Some(s), Some(e)) if e < s => Err(NetworkError::PeriodInverted {
            field,
            start: s,
            end: e,
        }),
        _ => Ok(()),
    }
}

/// How texts are compared in searches: the kit's folding ("Santé  mentale" and "sante-mentale" match).
pub use maillage_kit::search::fold;

/// A slug for identifiers: the folded text with dashes (`Maison des adolescents` → `maison-des-adolescents`).
pub fn slug(text: &str) -> String {
    fold(text).replace(' ', "-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding() {
        assert_eq!(fold("Santé  MENTALE — Écoute"), "sante mentale ecoute");
        assert_eq!(
            slug("Maison des Adolescents (MDA)"),
            "maison-des-adolescents-mda"
        );
        assert_eq!(fold("Cœur"), "coeur");
    }

    #[test]
    fn an_inverted_period_is_refused() {
        assert!(
            period(
                "p",
                Some(Date::new(2026, 2, 1).unwrap()),
                Some(Date::new(2026, 1, 1).unwrap())
            )
            .is_err()
        );
        assert!(period("p", Some(Date::new(2026, 1, 1).unwrap()), None).is_ok());
    }
}

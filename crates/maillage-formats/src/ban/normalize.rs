//! Street names normalised for matching: uppercase without accents, street types and common words
//! expanded to one spelling (`AV`, `AVE`, `Avenue` → `AVENUE`; `ST` → `SAINT`), articles dropped.
//! `"Av. du Général de Gaulle"` and `"AVENUE GENERAL DE GAULLE"` both give `AVENUE GENERAL GAULLE`.

use crate::text::fold;

/// Street types (AFNOR / La Poste abbreviations as used by the Annuaire's "Code type de voie" and
/// FINESS's `typvoie`) and their full form. The first column may be a full form too.
const TYPES: &[(&str, &str)] = &[
    ("ALL", "ALLEE"),
    ("ALLEE", "ALLEE"),
    ("ALLEES", "ALLEE"),
    ("AV", "AVENUE"),
    ("AVE", "AVENUE"),
    ("AVENUE", "AVENUE"),
    ("BD", "BOULEVARD"),
    ("BLD", "BOULEVARD"),
    ("BOUL", "BOULEVARD"),
    ("BOULEVARD", "BOULEVARD"),
    ("CAR", "CARREFOUR"),
    ("CARREFOUR", "CARREFOUR"),
    ("CHE", "CHEMIN"),
    ("CHEM", "CHEMIN"),
    ("CHEMIN", "CHEMIN"),
    ("CHS", "CHAUSSEE"),
    ("CHAUSSEE", "CHAUSSEE"),
    ("CITE", "CITE"),
    ("CLOS", "CLOS"),
    ("COR", "CORNICHE"),
    ("CORNICHE", "CORNICHE"),
    ("CRS", "COURS"),
    ("COURS", "COURS"),
    ("DOM", "DOMAINE"),
    ("DOMAINE", "DOMAINE"),
    ("ESP", "ESPLANADE"),
    ("ESPLANADE", "ESPLANADE"),
    ("FG", "FAUBOURG"),
    ("FBG", "FAUBOURG"),
    ("FAUBOURG", "FAUBOURG"),
    ("HAM", "HAMEAU"),
    ("HAMEAU", "HAMEAU"),
    ("HLE", "HALLE"),
    ("IMP", "IMPASSE"),
    ("IMPASSE", "IMPASSE"),
    ("LD", "LIEU DIT"),
    ("LOT", "LOTISSEMENT"),
    ("LOTISSEMENT", "LOTISSEMENT"),
    ("MAIL", "MAIL"),
    ("MTE", "MONTEE"),
    ("MONTEE", "MONTEE"),
    ("PARC", "PARC"),
    ("PAS", "PASSAGE"),
    ("PASS", "PASSAGE"),
    ("PASSAGE", "PASSAGE"),
    ("PL", "PLACE"),
    ("PLACE", "PLACE"),
    ("PLN", "PLAINE"),
    ("PLT", "PLATEAU"),
    ("PONT", "PONT"),
    ("PORT", "PORT"),
    ("PRO", "PROMENADE"),
    ("PROM", "PROMENADE"),
    ("PROMENADE", "PROMENADE"),
    ("PRV", "PARVIS"),
    ("PARVIS", "PARVIS"),
    ("QU", "QUAI"),
    ("QUAI", "QUAI"),
    ("QUA", "QUARTIER"),
    ("QUART", "QUARTIER"),
    ("QUARTIER", "QUARTIER"),
    ("R", "RUE"),
    ("RUE", "RUE"),
    ("RLE", "RUELLE"),
    ("RUELLE", "RUELLE"),
    ("RES", "RESIDENCE"),
    ("RESIDENCE", "RESIDENCE"),
    ("RPT", "ROND POINT"),
    ("RTE", "ROUTE"),
    ("ROUTE", "ROUTE"),
    ("SEN", "SENTIER"),
    ("SENTIER", "SENTIER"),
    ("SQ", "SQUARE"),
    ("SQUARE", "SQUARE"),
    ("TRA", "TRAVERSE"),
    ("TRAVERSE", "TRAVERSE"),
    ("VC", "VOIE COMMUNALE"),
    ("VLA", "VILLA"),
    ("VILLA", "VILLA"),
    ("VOIE", "VOIE"),
    ("ZA", "ZA"),
    ("ZAC", "ZAC"),
    ("ZI", "ZI"),
];

/// Common words abbreviated inside street names.
const WORDS: &[(&str, &str)] = &[
    ("ST", "SAINT"),
    ("STE", "SAINTE"),
    ("STS", "SAINTS"),
    ("DR", "DOCTEUR"),
    ("GAL", "GENERAL"),
    ("GEN", "GENERAL"),
    ("MAL", "MARECHAL"),
    ("PDT", "PRESIDENT"),
    ("PROF", "PROFESSEUR"),
    ("CDT", "COMMANDANT"),
    ("CNE", "CAPITAINE"),
    ("LT", "LIEUTENANT"),
    ("COL", "COLONEL"),
    ("MGR", "MONSEIGNEUR"),
    ("NTRE", "NOTRE"),
    ("ND", "NOTRE DAME"),
];

/// Articles and prepositions left out of the key (`RUE DE LA PAIX` = `RUE PAIX`).
const STOP: &[&str] = &[
    "DE", "DU", "DES", "LA", "LE", "LES", "L", "D", "ET", "A", "AU", "AUX", "EN", "SUR", "SOUS",
];

/// The full form of a street type (`"av"` → `AVENUE`), if it is one.
pub fn street_type(s: &str) -> Option<&'static str> {
    let f = fold(s);
    TYPES.iter().find(|(k, _)| *k == f).map(|(_, v)| *v)
}

/// Normalised key of a street name. `type_voie` (code or label, may be empty) is prepended unless the
/// name already starts with that type.
pub fn normalize_street(type_voie: Option<&str>, voie: &str) -> String {
    let mut tokens: Vec<&str> = Vec::new();
    let folded_voie = fold(voie);
    let mut name_tokens: Vec<&str> = folded_voie.split(' ').filter(|t| !t.is_empty()).collect();
    let declared = type_voie.and_then(street_type);
    // The first word of the name is a type when it is in the table (`R DE LA PAIX`).
    let first_is_type = name_tokens
        .first()
        .and_then(|t| TYPES.iter().find(|(k, _)| k == t))
        .map(|(_, v)| *v);
    match (declared, first_is_type) {
        (Some(d), Some(f)) if d == f => {
            name_tokens.remove(0);
            tokens.push(d);
        }
        (Some(d), _) => tokens.push(d),
        (None, Some(f)) => {
            name_tokens.remove(0);
            tokens.push(f);
        }
        (None, None) => {}
    }
    for t in name_tokens {
        if STOP.contains(&t) {
            continue;
        }
        tokens.push(
            WORDS
                .iter()
                .find(|(k, _)| *k == t)
                .map(|(_, v)| *v)
                .unwrap_or(t),
        );
    }
    tokens.join(" ")
}

/// The key without its leading street type (for names given without one).
pub(crate) fn bare(key: &str) -> &str {
    let mut best = "";
    for (_, full) in TYPES {
        if key.starts_with(full) && key[full.len()..].starts_with(' ') && full.len() > best.len() {
            best = full;
        }
    }
    if best.is_empty() {
        key
    } else {
        &key[best.len() + 1..]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unifies_spellings() {
        let a = normalize_street(Some("AV"), "du Général de Gaulle");
        let b = normalize_street(None, "Avenue Général de Gaulle");
        let c = normalize_street(Some("Avenue"), "AV GAL DE GAULLE");
        assert_eq!(a, "AVENUE GENERAL GAULLE");
        assert_eq!(a, b);
        assert_eq!(a, c);
        assert_eq!(
            normalize_street(Some("R"), "de la Reine Blanche"),
            "RUE REINE BLANCHE"
        );
        assert_eq!(normalize_street(None, "Place Allègre"), "PLACE ALLEGRE");
        assert_eq!(bare("PLACE ALLEGRE"), "ALLEGRE");
        assert_eq!(bare("ROND POINT EUROPE"), "EUROPE");
        assert_eq!(street_type("bd"), Some("BOULEVARD"));
    }
}

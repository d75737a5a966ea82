//! FINESS categories that matter for local care supply.
//!
//! | category | `categetab` | note |
//! |---|---|---|
//! | pharmacie d'officine | 620 | sure |
//! | centre de santé | 124 | sure |
//! | maison de santé (L6223-3) | 603 | sure (MSP) |
//! | hôpital | 101 CHR/CHU, 106 CH ex-hôpital local, 114 hôpital des armées, 122 soins obstétriques et chirurgico-gynécologiques, 128 soins chirurgicaux, 129 soins médicaux, 131 centre de lutte contre le cancer, 292 CH spécialisé lutte contre les maladies mentales, 355 CH, 362 soins de longue durée, 365 soins pluridisciplinaires, 366 soins de suite; or aggregate `categagretab` 11xx ("établissements hospitaliers") | codes 101, 106, 355, 365 sure; the others from the FINESS nomenclature as usually cited, not re-checked |

/// What an établissement is, for the observatory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FinessCategory {
    PharmacieOfficine,
    CentreDeSante,
    MaisonDeSante,
    Hopital,
    Autre,
}

const HOSPITALS: &[&str] = &[
    "101", "106", "114", "122", "128", "129", "131", "292", "355", "362", "365", "366",
];

impl FinessCategory {
    pub fn of(categetab: &str, categagretab: &str) -> FinessCategory {
        match categetab.trim() {
            "620" => FinessCategory::PharmacieOfficine,
            "124" => FinessCategory::CentreDeSante,
            "603" => FinessCategory::MaisonDeSante,
            c if is_hospital(c, categagretab) => FinessCategory::Hopital,
            _ => FinessCategory::Autre,
        }
    }
}

/// Hospital categories (see the table above).
pub fn is_hospital(categetab: &str, categagretab: &str) -> bool {
    let agr = categagretab.trim();
    HOSPITALS.contains(&categetab.trim()) || (agr.len() == 4 && agr.starts_with("11"))
}

/// The TRE_R397 table (`data/finess-categories-tre-r397.csv`, source and date in its header): code → label.
const TRE_R397: &str = include_str!("../../data/finess-categories-tre-r397.csv");

fn labels() -> &'static std::collections::HashMap<&'static str, &'static str> {
    static LABELS: std::sync::OnceLock<std::collections::HashMap<&'static str, &'static str>> =
        std::sync::OnceLock::new();
    LABELS.get_or_init(|| {
        TRE_R397
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .skip(1) // `code;libelle`
            .filter_map(|l| l.split_once(';'))
            .map(|(code, label)| (code.trim(), label.trim()))
            .collect()
    })
}

/// The official French label of a FINESS category code (nomenclature TRE_R397), when the table has it.
pub fn category_label(code: &str) -> Option<&'static str> {
    labels().get(code.trim()).copied()
}

/// What users read for a category code: its label, or "Catégorie FINESS <code>" for a code newer than the
/// table (never the bare code).
pub fn category_label_or_code(code: &str) -> String {
    match category_label(code) {
        Some(label) => label.to_string(),
        None => format!("Catégorie FINESS {}", code.trim()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_of_the_categories_the_observatory_uses() {
        assert_eq!(category_label("355"), Some("Centre Hospitalier (C.H.)"));
        assert_eq!(category_label("620"), Some("Pharmacie d'Officine"));
        assert_eq!(category_label("124"), Some("Centre de Santé"));
        assert_eq!(category_label(" 603 "), Some("Maison de santé (L.6223-3)"));
        assert_eq!(category_label("code"), None);
        assert_eq!(category_label_or_code("999"), "Catégorie FINESS 999");
        // Every row is `code;label` with a three-digit code, and no code twice.
        let rows: Vec<&str> = TRE_R397
            .lines()
            .filter(|l| !l.starts_with('#'))
            .skip(1)
            .collect();
        assert_eq!(labels().len(), rows.len());
        assert!(rows.len() >= 300, "{} categories", rows.len());
        for code in labels().keys() {
            assert!(
                code.len() == 3 && code.bytes().all(|b| b.is_ascii_digit()),
                "{code}"
            );
        }
        for code in HOSPITALS {
            assert!(
                category_label(code).is_some(),
                "hospital category {code} without a label"
            );
        }
    }
}

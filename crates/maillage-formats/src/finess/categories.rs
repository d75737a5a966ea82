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

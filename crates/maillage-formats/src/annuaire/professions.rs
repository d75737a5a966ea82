//! Recognising the professions of docs/produit.md §3.A from the Annuaire's profession and savoir-faire.
//!
//! Profession codes come from the ANS nomenclature TRE_G15 "ProfessionSante"; savoir-faire codes from
//! TRE_R38 "SpecialiteOrdinale" (both checked against the ANS terminology server's published value sets,
//! JDV_J54 and JDV_J107, 2026). Where a code is missing from a row, the label decides
//! (accent- and case-insensitive).
//!
//! | profession | recourse | rule | certainty |
//! |---|---|---|---|
//! | médecin généraliste | 1st | profession 10 and savoir-faire SM26 "Qualifié en médecine générale", SM53 "Spécialiste en médecine générale", SM54 "Médecine générale" (or a label containing "médecine générale") | codes sure; SM26 kept on purpose (the qualification of GPs trained before the 2004 DES: most GPs over about 45); a doctor with no savoir-faire at all is *not* recognised here (the file lists GPs with one of these) but a commune may count them at read time. Which GP activities are *first recourse* (mode d'exercice, secteur d'activité) is decided when figures are read: `maillage_indicators::professions`, `GpRule` |
//! | infirmier | 1st | profession 60 "Infirmier" or 69 "Infirmier psychiatrique" | sure |
//! | masseur-kinésithérapeute | 1st | profession 70 | sure |
//! | chirurgien-dentiste | 1st | profession 40 (all specialties: ODF, chirurgie orale, MBD) | sure |
//! | pharmacien | 1st | profession 21 (any section; officine = section A, see `pharmacist_section_code`) | sure |
//! | gynécologue | 2nd | profession 10 and SM19, SM20, SM51, SM52 (gynécologie médicale / obstétrique) | sure |
//! | sage-femme | 2nd | profession 50 | sure |
//! | pédiatre | 2nd | profession 10 and SM40, SM87–SM90 (pédiatrie and its options) | sure |
//! | orthophoniste | 2nd | profession 91 | sure |
//! | ophtalmologiste | 2nd | profession 10 and SM38, SM85 | sure |
//! | orthoptiste | 2nd | profession 92 | sure |
//! | psychiatre | 2nd | profession 10 and SM42, SM43, SM92, SM93; SM33 "Neuro-psychiatrie" (old qualification covering neurology too) counted as psychiatre | SM33 uncertain |
//! | psychologue | 2nd | profession 93 (registered in the Annuaire since the RPPS extension; older files may lack them) | sure for the code; coverage uncertain |

use super::Activite;
use crate::text::fold;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Profession {
    MedecinGeneraliste,
    Infirmier,
    MasseurKinesitherapeute,
    ChirurgienDentiste,
    Pharmacien,
    Gynecologue,
    SageFemme,
    Pediatre,
    Orthophoniste,
    Ophtalmologiste,
    Orthoptiste,
    Psychiatre,
    Psychologue,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Recourse {
    First,
    Second,
}

impl Profession {
    pub const ALL: [Profession; 13] = [
        Profession::MedecinGeneraliste,
        Profession::Infirmier,
        Profession::MasseurKinesitherapeute,
        Profession::ChirurgienDentiste,
        Profession::Pharmacien,
        Profession::Gynecologue,
        Profession::SageFemme,
        Profession::Pediatre,
        Profession::Orthophoniste,
        Profession::Ophtalmologiste,
        Profession::Orthoptiste,
        Profession::Psychiatre,
        Profession::Psychologue,
    ];

    pub fn recourse(self) -> Recourse {
        use Profession::*;
        match self {
            MedecinGeneraliste
            | Infirmier
            | MasseurKinesitherapeute
            | ChirurgienDentiste
            | Pharmacien => Recourse::First,
            _ => Recourse::Second,
        }
    }

    /// A stable code for storage (`medecin_generaliste`, ...).
    pub fn code(self) -> &'static str {
        use Profession::*;
        match self {
            MedecinGeneraliste => "medecin_generaliste",
            Infirmier => "infirmier",
            MasseurKinesitherapeute => "masseur_kinesitherapeute",
            ChirurgienDentiste => "chirurgien_dentiste",
            Pharmacien => "pharmacien",
            Gynecologue => "gynecologue",
            SageFemme => "sage_femme",
            Pediatre => "pediatre",
            Orthophoniste => "orthophoniste",
            Ophtalmologiste => "ophtalmologiste",
            Orthoptiste => "orthoptiste",
            Psychiatre => "psychiatre",
            Psychologue => "psychologue",
        }
    }

    pub fn from_code(code: &str) -> Option<Profession> {
        Profession::ALL.into_iter().find(|p| p.code() == code)
    }
}

/// Savoir-faire codes of doctors, by profession.
const DOCTOR_SKILLS: &[(Profession, &[&str])] = &[
    (Profession::MedecinGeneraliste, &["SM26", "SM53", "SM54"]),
    (Profession::Gynecologue, &["SM19", "SM20", "SM51", "SM52"]),
    (
        Profession::Pediatre,
        &["SM40", "SM87", "SM88", "SM89", "SM90"],
    ),
    (Profession::Ophtalmologiste, &["SM38", "SM85"]),
    (
        Profession::Psychiatre,
        &["SM42", "SM43", "SM92", "SM93", "SM33"],
    ),
];

/// Label fragments (folded) used when the savoir-faire code is absent or unknown.
const DOCTOR_LABELS: &[(Profession, &[&str])] = &[
    (Profession::MedecinGeneraliste, &["MEDECINE GENERALE"]),
    (Profession::Gynecologue, &["GYNECO"]),
    (Profession::Pediatre, &["PEDIATRIE"]),
    (Profession::Ophtalmologiste, &["OPHTALMO"]),
    (Profession::Psychiatre, &["PSYCHIATRIE"]),
];

/// Classifies one activity from its profession code/label and savoir-faire code/label.
pub fn classify(
    profession_code: &str,
    profession_label: &str,
    skill_code: &str,
    skill_label: &str,
) -> Option<Profession> {
    let code = profession_code.trim();
    let by_code = match code {
        "10" => return doctor(skill_code.trim(), skill_label),
        "21" => Some(Profession::Pharmacien),
        "40" => Some(Profession::ChirurgienDentiste),
        "50" => Some(Profession::SageFemme),
        "60" | "69" => Some(Profession::Infirmier),
        "70" => Some(Profession::MasseurKinesitherapeute),
        "91" => Some(Profession::Orthophoniste),
        "92" => Some(Profession::Orthoptiste),
        "93" => Some(Profession::Psychologue),
        "" => None,
        _ => return None,
    };
    by_code.or_else(|| {
        let label = fold(profession_label);
        match label.as_str() {
            "MEDECIN" => doctor(skill_code.trim(), skill_label),
            "PHARMACIEN" => Some(Profession::Pharmacien),
            "CHIRURGIEN DENTISTE" => Some(Profession::ChirurgienDentiste),
            "SAGE FEMME" => Some(Profession::SageFemme),
            "INFIRMIER" | "INFIRMIER PSYCHIATRIQUE" => Some(Profession::Infirmier),
            "MASSEUR KINESITHERAPEUTE" => Some(Profession::MasseurKinesitherapeute),
            "ORTHOPHONISTE" => Some(Profession::Orthophoniste),
            "ORTHOPTISTE" => Some(Profession::Orthoptiste),
            "PSYCHOLOGUE" => Some(Profession::Psychologue),
            _ => None,
        }
    })
}

/// Whether the savoir-faire decides the profession of an activity (doctors only): the join of the bundle's
/// `SavoirFaire` file keeps the savoir-faire of these professionals only.
pub fn classification_needs_skill(profession_code: &str, profession_label: &str) -> bool {
    match profession_code.trim() {
        "10" => true,
        "" => fold(profession_label) == "MEDECIN",
        _ => false,
    }
}

fn doctor(skill_code: &str, skill_label: &str) -> Option<Profession> {
    if let Some((p, _)) = DOCTOR_SKILLS
        .iter()
        .find(|(_, codes)| codes.contains(&skill_code))
    {
        return Some(*p);
    }
    let label = fold(skill_label);
    DOCTOR_LABELS
        .iter()
        .find(|(_, frags)| frags.iter().any(|f| label.contains(f)))
        .map(|(p, _)| *p)
}

/// [`classify`] applied to a record.
pub fn classify_activity(a: &Activite) -> Option<Profession> {
    let s = |o: &Option<String>| o.as_deref().unwrap_or("").to_string();
    classify(
        &s(&a.profession_code),
        &s(&a.profession_label),
        &s(&a.skill_code),
        &s(&a.skill_label),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doctors_by_code_and_label() {
        assert_eq!(
            classify("10", "Médecin", "SM54", "Médecine Générale"),
            Some(Profession::MedecinGeneraliste)
        );
        assert_eq!(
            classify("10", "Médecin", "SM26", ""),
            Some(Profession::MedecinGeneraliste)
        );
        assert_eq!(
            classify("10", "Médecin", "", "Spécialiste en Médecine Générale"),
            Some(Profession::MedecinGeneraliste)
        );
        assert_eq!(
            classify("10", "Médecin", "SM40", "Pédiatrie"),
            Some(Profession::Pediatre)
        );
        assert_eq!(
            classify("10", "Médecin", "SMXX", "PSYCHIATRIE option enfant"),
            Some(Profession::Psychiatre)
        );
        assert_eq!(
            classify(
                "10",
                "Médecin",
                "SM04",
                "Cardiologie et Maladies vasculaires"
            ),
            None
        );
        assert_eq!(classify("10", "Médecin", "", ""), None);
    }

    #[test]
    fn other_professions() {
        assert_eq!(
            classify("60", "Infirmier", "", ""),
            Some(Profession::Infirmier)
        );
        assert_eq!(
            classify("", "Masseur-Kinésithérapeute", "", ""),
            Some(Profession::MasseurKinesitherapeute)
        );
        assert_eq!(classify("26", "Audioprothésiste", "", ""), None);
        assert_eq!(Profession::Psychologue.recourse(), Recourse::Second);
        assert_eq!(
            Profession::from_code("sage_femme"),
            Some(Profession::SageFemme)
        );
    }
}

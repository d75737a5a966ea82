//! The professions the observatory follows (docs/produit.md §3.A): first and second recourse, and who counts as a
//! first-recourse GP.
//!
//! ## First-recourse GPs
//!
//! The Annuaire recognises general practitioners at import (`maillage-formats`, `annuaire::professions`:
//! profession 10 with savoir-faire SM26, SM53 or SM54). Which of their activities count as *first recourse* is
//! decided here, when figures are read, from the activity's mode d'exercice and secteur d'activité kept in the
//! store: changing the rule ([`GpRule`], an instance setting) changes every figure without re-importing.
//! Activities that do not count are shown apart, as the followed line [`GP_OTHER`] ("Médecins généralistes
//! hors premier recours").
//!
//! Codes (mode d'exercice: ANS nomenclature TRE_R23 "ModeExercice"; secteur d'activité: TRE_R02
//! "SecteurActivite"; both checked against the ANS published code systems, IG "Nomenclatures des objets de
//! santé" 2024):
//!
//! | code | label (ANS) | default rule | certainty |
//! |---|---|---|---|
//! | mode L | Libéral, indépendant, artisan, commerçant | first recourse (unless the sector is a hospital or SA50) | sure |
//! | mode S | Salarié | first recourse only in SA05 or SA52; otherwise apart | sure |
//! | mode B | Bénévole | apart | sure |
//! | SA05 | Centre de santé | salaried: first recourse | sure |
//! | SA52 | Maison de santé ou Pôle de santé (MSP) | salaried: first recourse | sure |
//! | SA07, SA08, SA09 | Cabinet individuel, Cabinet de groupe, Exercice en société | libéral practice | sure |
//! | SA01, SA02, SA03, SA04, SA40 | Etablissement public de santé, Hôpital militaire du SSA, Etablissement privé PSPH, Etablissement privé non PSPH, Secteur privé praticien hospitalier temps plein | hospital: apart (any mode) | sure |
//! | SA50 | Permanence de soins ambulatoires hors cabinet | permanence des soins: apart (any mode) | sure |
//! | other SA.. (PMI SA15, EHPAD SA17, entreprise SA13, ...) | — | salaried: apart; libéral: first recourse | sure for the codes; the split is a choice |
//! | mode S or B, no sector | — | apart (salaried, place unknown) | choice |
//! | no mode, sector SA07/SA08/SA09, SA05 or SA52 | — | first recourse (the sector tells) | choice |
//! | no mode and no sector | — | first recourse (the file does not say otherwise) | choice, stated in the method |
//!
//! Savoir-faire: SM26 "Qualifié en médecine générale (SM)" (TRE_R38) is kept with SM53 "Spécialiste en
//! médecine générale" and SM54 "Médecine générale": SM26 is the ordinal qualification of doctors who
//! practised general medicine before it became a specialty with its own DES (2004), so it covers the GPs
//! trained before then, a large share of those practising today. Public tools reading the RPPS extract treat
//! the three codes as one speciality (the extract lists family doctors under each); dropping SM26 would drop
//! those GPs. Certainty: sure for the codes, a choice for counting SM26 (stated in every method text). A doctor
//! (profession 10) with no savoir-faire at all is counted only when the commune asks for it
//! ([`GpRule::doctors_without_skill`]): the Annuaire does not say such a doctor practises general medicine,
//! and in the 2026 bundles the savoir-faire lives in a sibling file, so an absent savoir-faire may only mean
//! that file was not joined (specialists would then be counted as GPs).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Recourse {
    First,
    Second,
    /// Counted apart: GPs outside first recourse (hospital, permanence des soins, other salaried practice).
    OutsideFirst,
}

impl Recourse {
    /// French wording, as shown in tables.
    pub fn label(self) -> &'static str {
        match self {
            Recourse::First => "premier",
            Recourse::Second => "second",
            Recourse::OutsideFirst => "hors premier recours",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Profession {
    /// Stable code used in the store and in exports.
    pub code: &'static str,
    /// French label, plural, as shown in tables.
    pub label: &'static str,
    pub recourse: Recourse,
}

pub const GP: &str = "medecin_generaliste";
/// GPs whose activity is outside first recourse under the rule in force ([`GpRule`]): counted apart.
pub const GP_OTHER: &str = "medecin_generaliste_hors_premier_recours";
/// Pharmacies are counted as FINESS establishments (officines), not as pharmacists.
pub const PHARMACY: &str = "pharmacie";

pub const PROFESSIONS: &[Profession] = &[
    Profession {
        code: GP,
        label: "Médecins généralistes",
        recourse: Recourse::First,
    },
    Profession {
        code: GP_OTHER,
        label: "Médecins généralistes hors premier recours (hôpital, permanence des soins, autres salariés)",
        recourse: Recourse::OutsideFirst,
    },
    Profession {
        code: "infirmier",
        label: "Infirmiers",
        recourse: Recourse::First,
    },
    Profession {
        code: "masseur_kinesitherapeute",
        label: "Masseurs-kinésithérapeutes",
        recourse: Recourse::First,
    },
    Profession {
        code: "chirurgien_dentiste",
        label: "Chirurgiens-dentistes",
        recourse: Recourse::First,
    },
    Profession {
        code: PHARMACY,
        label: "Pharmacies",
        recourse: Recourse::First,
    },
    Profession {
        code: "gynecologue",
        label: "Gynécologues",
        recourse: Recourse::Second,
    },
    Profession {
        code: "sage_femme",
        label: "Sages-femmes",
        recourse: Recourse::Second,
    },
    Profession {
        code: "pediatre",
        label: "Pédiatres",
        recourse: Recourse::Second,
    },
    Profession {
        code: "orthophoniste",
        label: "Orthophonistes",
        recourse: Recourse::Second,
    },
    Profession {
        code: "ophtalmologiste",
        label: "Ophtalmologistes",
        recourse: Recourse::Second,
    },
    Profession {
        code: "orthoptiste",
        label: "Orthoptistes",
        recourse: Recourse::Second,
    },
    Profession {
        code: "psychiatre",
        label: "Psychiatres",
        recourse: Recourse::Second,
    },
    Profession {
        code: "psychologue",
        label: "Psychologues",
        recourse: Recourse::Second,
    },
];

pub fn by_code(code: &str) -> Option<&'static Profession> {
    PROFESSIONS.iter().find(|p| p.code == code)
}

/// Mode d'exercice "Libéral" (TRE_R23).
pub const MODE_LIBERAL: &str = "L";
/// Mode d'exercice "Salarié" (TRE_R23).
pub const MODE_SALARIED: &str = "S";
/// Mode d'exercice "Bénévole" (TRE_R23).
pub const MODE_VOLUNTEER: &str = "B";
/// Secteur "Centre de santé" (TRE_R02).
pub const SECTOR_HEALTH_CENTRE: &str = "SA05";
/// Secteur "Maison de santé ou Pôle de santé" (TRE_R02).
pub const SECTOR_MSP: &str = "SA52";
/// Secteur "Permanence de soins ambulatoires hors cabinet" (TRE_R02).
pub const SECTOR_PDS: &str = "SA50";
/// Hospital sectors (TRE_R02): public, military, private PSPH and non-PSPH establishments, and the private
/// practice of full-time hospital practitioners.
pub const HOSPITAL_SECTORS: &[&str] = &["SA01", "SA02", "SA03", "SA04", "SA40"];

/// Where a GP's activity takes place, from its mode d'exercice and secteur d'activité.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GpPractice {
    /// Libéral (cabinet, société, or any sector that is neither a hospital nor SA50).
    Liberal,
    /// Salaried in a centre de santé (SA05).
    HealthCentre,
    /// Salaried in a maison or pôle de santé (SA52).
    Msp,
    /// Any mode in a hospital sector.
    Hospital,
    /// Any mode in the permanence des soins (SA50).
    OutOfHours,
    /// Salaried (or volunteer) elsewhere: PMI, EHPAD, company, school...
    OtherSalaried,
    /// Neither mode nor sector given.
    Unknown,
}

impl GpPractice {
    pub const ALL: [GpPractice; 7] = [
        GpPractice::Liberal,
        GpPractice::HealthCentre,
        GpPractice::Msp,
        GpPractice::Hospital,
        GpPractice::OutOfHours,
        GpPractice::OtherSalaried,
        GpPractice::Unknown,
    ];

    /// One bit per way of practising: a professional's activities make a mask, counted once, which any rule
    /// turns into the lines they count in ([`GpRule::lines_of`]) — how national reference counts follow the
    /// rule in force without a re-import.
    pub fn bit(self) -> u8 {
        1 << GpPractice::ALL.iter().position(|p| *p == self).unwrap_or(0)
    }

    pub fn of(mode: Option<&str>, sector: Option<&str>) -> GpPractice {
        let mode = mode.map(str::trim).filter(|m| !m.is_empty());
        let sector = sector.map(str::trim).filter(|s| !s.is_empty());
        match (mode, sector) {
            (_, Some(s)) if HOSPITAL_SECTORS.contains(&s) => GpPractice::Hospital,
            (_, Some(SECTOR_PDS)) => GpPractice::OutOfHours,
            (Some(MODE_LIBERAL), _) => GpPractice::Liberal,
            (Some(MODE_SALARIED), Some(SECTOR_HEALTH_CENTRE)) => GpPractice::HealthCentre,
            (Some(MODE_SALARIED), Some(SECTOR_MSP)) => GpPractice::Msp,
            (Some(_), _) => GpPractice::OtherSalaried,
            // No mode: the sector alone tells a cabinet or a centre from the rest.
            (None, Some("SA07" | "SA08" | "SA09")) => GpPractice::Liberal,
            (None, Some(SECTOR_HEALTH_CENTRE)) => GpPractice::HealthCentre,
            (None, Some(SECTOR_MSP)) => GpPractice::Msp,
            (None, Some(_)) => GpPractice::OtherSalaried,
            (None, None) => GpPractice::Unknown,
        }
    }
}

/// Who counts as a first-recourse GP in the access indicators. The default is the rule: libéral,
/// or salaried in a centre de santé or an MSP; everything else is counted apart ([`GP_OTHER`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct GpRule {
    /// Count GPs of hospital sectors as first recourse.
    pub hospital: bool,
    /// Count GPs of the permanence des soins (SA50) as first recourse.
    pub out_of_hours: bool,
    /// Count other salaried and volunteer GPs (PMI, EHPAD, company...) as first recourse.
    pub other_salaried: bool,
    /// Count doctors (profession 10) with no savoir-faire at all as GPs.
    pub doctors_without_skill: bool,
}

/// What the store knows of one activity, enough to apply a [`GpRule`].
#[derive(Debug, Clone, Copy, Default)]
pub struct ActivityFacts<'a> {
    /// The profession recognised at import (`medecin_generaliste`...), if any.
    pub profession: Option<&'a str>,
    /// Annuaire profession code (10 = médecin).
    pub profession_code: &'a str,
    /// Whether the activity carries a savoir-faire (code or label).
    pub has_skill: bool,
    pub mode: Option<&'a str>,
    pub sector: Option<&'a str>,
}

impl GpRule {
    pub fn counts_as_first_recourse(&self, practice: GpPractice) -> bool {
        match practice {
            GpPractice::Liberal
            | GpPractice::HealthCentre
            | GpPractice::Msp
            | GpPractice::Unknown => true,
            GpPractice::Hospital => self.hospital,
            GpPractice::OutOfHours => self.out_of_hours,
            GpPractice::OtherSalaried => self.other_salaried,
        }
    }

    /// The followed profession an activity counts for under this rule ([`GP`] or [`GP_OTHER`] for general
    /// medicine), or `None` when it is not followed.
    pub fn profession_of<'a>(&self, a: &ActivityFacts<'a>) -> Option<&'a str> {
        let general_medicine = a.profession == Some(GP)
            || (a.profession.is_none()
                && self.doctors_without_skill
                && a.profession_code.trim() == "10"
                && !a.has_skill);
        if !general_medicine {
            return a.profession;
        }
        if self.counts_as_first_recourse(GpPractice::of(a.mode, a.sector)) {
            Some(GP)
        } else {
            Some(GP_OTHER)
        }
    }
}

impl GpRule {
    /// The lines (first recourse [`GP`], or [`GP_OTHER`]) a professional whose GP activities are the ways of
    /// `mask` counts in under this rule, once each; `without_skill`: a doctor without savoir-faire, counted
    /// only when the rule says so.
    pub fn lines_of(&self, mask: u8, without_skill: bool) -> Vec<&'static str> {
        if without_skill && !self.doctors_without_skill {
            return Vec::new();
        }
        let mut lines = Vec::new();
        for practice in GpPractice::ALL.into_iter().filter(|p| mask & p.bit() != 0) {
            let line = if self.counts_as_first_recourse(practice) {
                GP
            } else {
                GP_OTHER
            };
            if !lines.contains(&line) {
                lines.push(line);
            }
        }
        lines
    }
}

/// How the places counted in the figures were put into zones: by their coordinates (geocoding of the
/// address, FINESS coordinates) or, lacking them, by the commune code of the file alone.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Placement {
    /// Practice sites with coordinates.
    pub sites_by_position: u64,
    /// Practice sites with a commune code but no coordinates.
    pub sites_by_commune: u64,
    /// Pharmacies (FINESS) with coordinates.
    pub pharmacies_by_position: u64,
    /// Pharmacies with a commune code but no coordinates.
    pub pharmacies_by_commune: u64,
    /// Places with neither: counted in no zone.
    pub unplaced: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gp(mode: Option<&'static str>, sector: Option<&'static str>) -> ActivityFacts<'static> {
        ActivityFacts {
            profession: Some(GP),
            profession_code: "10",
            has_skill: true,
            mode,
            sector,
        }
    }

    #[test]
    fn default_rule_counts_liberal_and_centres_only() {
        let rule = GpRule::default();
        let cases = [
            (gp(Some("L"), Some("SA07")), GP),
            (gp(Some("L"), Some("SA08")), GP),
            (gp(Some("L"), Some("SA09")), GP),
            (gp(Some("S"), Some("SA05")), GP),
            (gp(Some("S"), Some("SA52")), GP),
            (gp(Some("S"), Some("SA01")), GP_OTHER),
            (gp(Some("S"), Some("SA03")), GP_OTHER),
            (gp(Some("L"), Some("SA40")), GP_OTHER),
            (gp(Some("L"), Some("SA50")), GP_OTHER),
            (gp(Some("S"), Some("SA50")), GP_OTHER),
            (gp(Some("S"), Some("SA15")), GP_OTHER),
            (gp(Some("B"), Some("SA28")), GP_OTHER),
            (gp(Some("S"), None), GP_OTHER),
            (gp(None, Some("SA08")), GP),
            (gp(None, None), GP),
        ];
        for (facts, expected) in cases {
            assert_eq!(
                rule.profession_of(&facts),
                Some(expected),
                "mode {:?} secteur {:?}",
                facts.mode,
                facts.sector
            );
        }
    }

    #[test]
    fn each_option_moves_its_sectors_into_first_recourse() {
        let hospital = gp(Some("S"), Some("SA01"));
        let pds = gp(Some("L"), Some("SA50"));
        let pmi = gp(Some("S"), Some("SA15"));
        let rule = GpRule {
            hospital: true,
            ..GpRule::default()
        };
        assert_eq!(rule.profession_of(&hospital), Some(GP));
        assert_eq!(rule.profession_of(&pds), Some(GP_OTHER));
        let rule = GpRule {
            out_of_hours: true,
            ..GpRule::default()
        };
        assert_eq!(rule.profession_of(&pds), Some(GP));
        assert_eq!(rule.profession_of(&hospital), Some(GP_OTHER));
        let rule = GpRule {
            other_salaried: true,
            ..GpRule::default()
        };
        assert_eq!(rule.profession_of(&pmi), Some(GP));
        assert_eq!(rule.profession_of(&hospital), Some(GP_OTHER));
    }

    #[test]
    fn doctors_without_skill_only_on_request_and_other_professions_untouched() {
        let bare = ActivityFacts {
            profession: None,
            profession_code: "10",
            has_skill: false,
            mode: Some("L"),
            sector: Some("SA07"),
        };
        assert_eq!(GpRule::default().profession_of(&bare), None);
        let rule = GpRule {
            doctors_without_skill: true,
            ..GpRule::default()
        };
        assert_eq!(rule.profession_of(&bare), Some(GP));
        // A cardiologist (savoir-faire present, not general medicine) stays unfollowed.
        let cardio = ActivityFacts {
            has_skill: true,
            ..bare
        };
        assert_eq!(rule.profession_of(&cardio), None);
        // A salaried hospital nurse is a nurse: the rule is about GPs only.
        let nurse = ActivityFacts {
            profession: Some("infirmier"),
            profession_code: "60",
            has_skill: false,
            mode: Some("S"),
            sector: Some("SA01"),
        };
        assert_eq!(GpRule::default().profession_of(&nurse), Some("infirmier"));
    }
}

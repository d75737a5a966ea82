//! The professions the observatory follows (PRODUCT.md §3.A): first and second recourse.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Recourse {
    First,
    Second,
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
/// Pharmacies are counted as FINESS establishments (officines), not as pharmacists.
pub const PHARMACY: &str = "pharmacie";

pub const PROFESSIONS: &[Profession] = &[
    Profession {
        code: GP,
        label: "Médecins généralistes",
        recourse: Recourse::First,
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

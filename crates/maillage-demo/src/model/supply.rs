//! The care supply of the demonstration territory: the MSP, the municipal health centre and the hospital, other
//! establishments with FINESS numbers, 19 pharmacies, and about 300 professionals in their practices (group
//! practices, second sites, a few across the border), with the ages of GPs and their activity. Their order, and
//! the order of the generator's draws, is the order below.

use super::{
    COMMUNE_CODE, COMMUNE_NAME, DemoEstablishment, DemoProfessional, DemoSite, POSTCODE, Qpv, at,
    in_qpv,
};
use crate::names::{MEN_FIRST_NAMES, SURNAMES, WOMEN_FIRST_NAMES, any_street};
use crate::rng::Rng;

struct ProfessionSpec {
    code: &'static str,
    profession_code: &'static str,
    label: &'static str,
    skill: Option<(&'static str, &'static str)>,
    count: usize,
}

const PROFESSIONS: &[ProfessionSpec] = &[
    ProfessionSpec {
        code: "medecin_generaliste",
        profession_code: "10",
        label: "Médecin",
        skill: Some(("SM54", "Médecine générale")),
        count: 48,
    },
    ProfessionSpec {
        code: "infirmier",
        profession_code: "60",
        label: "Infirmier",
        skill: None,
        count: 84,
    },
    ProfessionSpec {
        code: "masseur_kinesitherapeute",
        profession_code: "70",
        label: "Masseur-Kinésithérapeute",
        skill: None,
        count: 56,
    },
    ProfessionSpec {
        code: "chirurgien_dentiste",
        profession_code: "40",
        label: "Chirurgien-Dentiste",
        skill: None,
        count: 31,
    },
    ProfessionSpec {
        code: "sage_femme",
        profession_code: "50",
        label: "Sage-Femme",
        skill: None,
        count: 9,
    },
    ProfessionSpec {
        code: "gynecologue",
        profession_code: "10",
        label: "Médecin",
        skill: Some(("SM20", "Gynécologie-obstétrique")),
        count: 6,
    },
    ProfessionSpec {
        code: "pediatre",
        profession_code: "10",
        label: "Médecin",
        skill: Some(("SM40", "Pédiatrie")),
        count: 5,
    },
    ProfessionSpec {
        code: "orthophoniste",
        profession_code: "91",
        label: "Orthophoniste",
        skill: None,
        count: 19,
    },
    ProfessionSpec {
        code: "ophtalmologiste",
        profession_code: "10",
        label: "Médecin",
        skill: Some(("SM38", "Ophtalmologie")),
        count: 5,
    },
    ProfessionSpec {
        code: "orthoptiste",
        profession_code: "92",
        label: "Orthoptiste",
        skill: None,
        count: 4,
    },
    ProfessionSpec {
        code: "psychiatre",
        profession_code: "10",
        label: "Médecin",
        skill: Some(("SM42", "Psychiatrie")),
        count: 6,
    },
    ProfessionSpec {
        code: "psychologue",
        profession_code: "93",
        label: "Psychologue",
        skill: None,
        count: 26,
    },
];

/// The year the professionals' ages are counted from.
const THIS_YEAR: i64 = 2026;

/// The town, as a site's commune.
const TOWN: (&str, &str) = (COMMUNE_CODE, COMMUNE_NAME);

/// The sites of the three structures many professionals practise in.
struct Structures {
    msp: String,
    cms: String,
    ch: String,
}

/// The supply as it is generated.
pub(super) struct Supply<'q> {
    qpvs: &'q [Qpv],
    pub sites: Vec<DemoSite>,
    pub professionals: Vec<DemoProfessional>,
    pub establishments: Vec<DemoEstablishment>,
    next_site: usize,
    next_id: u64,
    /// Cabinets that others of the same profession may join: site, profession.
    cabinets: Vec<(String, &'static str)>,
}

impl<'q> Supply<'q> {
    /// Generates the supply, given the QPV (fewer practices open inside them).
    pub fn generate(rng: &mut Rng, qpvs: &'q [Qpv]) -> Supply<'q> {
        let mut supply = Supply {
            qpvs,
            sites: Vec::new(),
            professionals: Vec::new(),
            establishments: Vec::new(),
            next_site: 1,
            next_id: 1,
            cabinets: Vec::new(),
        };
        let structures = supply.structures(rng);
        supply.pharmacies(rng);
        for spec in PROFESSIONS {
            for k in 0..spec.count {
                supply.professional(rng, spec, k, &structures);
            }
        }
        supply
    }

    /// A new site; returns its key.
    fn new_site(
        &mut self,
        rng: &mut Rng,
        name: String,
        position: (f64, f64),
        commune: (&str, &str),
        finess: Option<String>,
    ) -> String {
        let key = format!("DEMO-SITE-{:04}", self.next_site);
        self.next_site += 1;
        self.sites.push(DemoSite {
            key: key.clone(),
            name,
            number: (1 + rng.below(120)).to_string(),
            street: any_street(rng).to_string(),
            commune_code: commune.0.to_string(),
            commune_name: commune.1.to_string(),
            postcode: if commune.0 == COMMUNE_CODE {
                POSTCODE.to_string()
            } else {
                format!("991{}", &commune.0[3..])
            },
            position,
            finess,
        });
        key
    }

    /// A place in town drawn by population density, with far fewer takers inside the QPV.
    fn town_point(&self, rng: &mut Rng) -> (f64, f64) {
        loop {
            let x = rng.range(-3.9, 3.9);
            let y = rng.range(-2.9, 2.9);
            let density = (-(x * x + y * y) / 18.0).exp();
            let p = at(x, y);
            let keep = if in_qpv(self.qpvs, p) {
                density * 0.3
            } else {
                density
            };
            if rng.chance(keep) {
                return p;
            }
        }
    }

    /// Structures with FINESS numbers (fictional, 99 prefix).
    fn structures(&mut self, rng: &mut Rng) -> Structures {
        let msp_pos = at(1.4, 2.2);
        let cms_pos = at(-0.3, 0.2);
        let ch_pos = at(0.9, -1.1);
        let msp = self.new_site(
            rng,
            "Maison de santé pluriprofessionnelle des Tilleuls".into(),
            msp_pos,
            TOWN,
            Some("990000016".into()),
        );
        let cms = self.new_site(
            rng,
            "Centre municipal de santé Simone-Veil".into(),
            cms_pos,
            TOWN,
            Some("990000024".into()),
        );
        let ch = self.new_site(
            rng,
            "Centre hospitalier de Bellerive".into(),
            ch_pos,
            TOWN,
            Some("990000032".into()),
        );
        for (finess, name, code, label, pos) in [
            (
                "990000016",
                "MSP des Tilleuls (fictive)",
                "603",
                "Maison de santé (L.6223-3)",
                msp_pos,
            ),
            (
                "990000024",
                "Centre municipal de santé Simone-Veil (fictif)",
                "124",
                "Centre de santé",
                cms_pos,
            ),
            (
                "990000032",
                "Centre hospitalier de Bellerive (fictif)",
                "355",
                "Centre hospitalier (C.H.)",
                ch_pos,
            ),
            (
                "990000040",
                "CMP adultes du Clain (fictif)",
                "156",
                "Centre médico-psychologique (C.M.P.)",
                at(-1.0, 1.1),
            ),
            (
                "990000057",
                "EHPAD Les Glycines (fictif)",
                "500",
                "EHPAD",
                at(-2.2, 0.8),
            ),
            (
                "990000065",
                "EHPAD Résidence du Parc (fictif)",
                "500",
                "EHPAD",
                at(2.6, -0.7),
            ),
        ] {
            self.establishments.push(DemoEstablishment {
                finess: finess.into(),
                name: name.into(),
                category_code: code,
                category_label: label,
                address: format!("{} {}", 1 + rng.below(80), any_street(rng)),
                commune_code: COMMUNE_CODE.into(),
                position: pos,
            });
        }
        Structures { msp, cms, ch }
    }

    /// Pharmacies: 16 in town (one in each QPV), 3 in the neighbours.
    fn pharmacies(&mut self, rng: &mut Rng) {
        for i in 0..19 {
            let (pos, commune) = match i {
                0 => (at(2.4, 2.5), COMMUNE_CODE),
                1 => (at(-2.5, -2.2), COMMUNE_CODE),
                16 => (at(-7.0, 0.5), "99102"),
                17 => (at(6.5, -0.8), "99103"),
                18 => (at(-5.2, -1.5), "99102"),
                _ => (self.town_point(rng), COMMUNE_CODE),
            };
            self.establishments.push(DemoEstablishment {
                finess: format!("99{:07}", 100_000 + i * 17),
                name: format!("Pharmacie {} (fictive)", rng.pick(SURNAMES)),
                category_code: "620",
                category_label: "Pharmacie d'Officine",
                address: format!("{} {}", 1 + rng.below(80), any_street(rng)),
                commune_code: commune.into(),
                position: pos,
            });
        }
    }

    /// The `k`-th professional of `spec`.
    fn professional(&mut self, rng: &mut Rng, spec: &ProfessionSpec, k: usize, st: &Structures) {
        let female = rng.chance(if spec.code == "sage_femme" {
            0.95
        } else {
            0.55
        });
        let (mode, sector, site) = self.practice(rng, spec, k, st);
        let mut sites_of = vec![site];
        // Some professionals have a second site (a permanence in a QPV, a second cabinet).
        if mode == "L" && rng.chance(0.06) {
            let pos = self.town_point(rng);
            let name = format!("Cabinet secondaire {}", rng.pick(SURNAMES));
            sites_of.push(self.new_site(rng, name, pos, TOWN, None));
        }
        let age = 29 + rng.below(40) as i64;
        let is_gp = spec.code == "medecin_generaliste";
        let known = is_gp && rng.chance(0.8);
        let birth_year = known.then_some(THIS_YEAR - age - if rng.chance(0.25) { 8 } else { 0 });
        let retirement = birth_year
            .filter(|y| THIS_YEAR - y >= 60)
            .map(|y| (y + 67).max(THIS_YEAR + 1));
        self.professionals.push(DemoProfessional {
            national_id: format!("8{:011}", 99_900_000_000u64 + self.next_id),
            civility: if female { "MME" } else { "M" },
            last_name: rng.pick(SURNAMES).to_uppercase(),
            first_name: rng
                .pick(if female {
                    WOMEN_FIRST_NAMES
                } else {
                    MEN_FIRST_NAMES
                })
                .to_string(),
            profession: spec.code,
            profession_code: spec.profession_code,
            profession_label: spec.label,
            skill: spec.skill,
            mode,
            sector,
            sites: sites_of,
            birth_year,
            planned_retirement_year: retirement,
            accepting_new_patients: is_gp.then(|| rng.chance(0.35)),
            yearly_acts: yearly_acts(is_gp, self.next_id),
        });
        self.next_id += 1;
    }

    /// Where the `k`-th professional of `spec` practises: mode (`L` libéral, `S` salarié), sector, site.
    fn practice(
        &mut self,
        rng: &mut Rng,
        spec: &ProfessionSpec,
        k: usize,
        st: &Structures,
    ) -> (&'static str, &'static str, String) {
        match (spec.code, k) {
            ("medecin_generaliste", 0..=2)
            | ("infirmier", 0..=1)
            | ("masseur_kinesitherapeute", 0) => ("L", "SA52", st.msp.clone()),
            ("sage_femme", 0) | ("psychologue", 0) => ("L", "SA52", st.msp.clone()),
            ("medecin_generaliste", 3..=6) | ("chirurgien_dentiste", 0) | ("gynecologue", 0) => {
                ("S", "SA05", st.cms.clone())
            }
            ("psychologue", 1) => ("S", "SA05", st.cms.clone()),
            ("pediatre", 0..=1)
            | ("gynecologue", 1..=2)
            | ("psychiatre", 0..=2)
            | ("ophtalmologiste", 0)
            | ("sage_femme", 1..=3) => ("S", "SA01", st.ch.clone()),
            // A few practise across the border: supply the town's inhabitants reach.
            ("medecin_generaliste", 7..=10)
            | ("infirmier", 2..=5)
            | ("masseur_kinesitherapeute", 1..=2) => {
                let (commune, x) = if k.is_multiple_of(2) {
                    (("99102", "Saint-Aubin-des-Prés (fictive)"), -6.5)
                } else {
                    (("99103", "Montclain (fictive)"), 6.0)
                };
                let pos = at(x + rng.range(-1.0, 1.0), rng.range(-2.0, 2.0));
                let name = format!("Cabinet {}", rng.pick(SURNAMES));
                ("L", "SA07", self.new_site(rng, name, pos, commune, None))
            }
            _ => {
                // Group practices: join an existing cabinet of the same profession now and then.
                let shared = self
                    .cabinets
                    .iter()
                    .filter(|(_, p)| *p == spec.code)
                    .map(|(s, _)| s.clone())
                    .collect::<Vec<_>>();
                if !shared.is_empty() && rng.chance(0.3) {
                    ("L", "SA08", rng.pick(&shared).clone())
                } else {
                    let pos = self.town_point(rng);
                    let name = format!("Cabinet {}", rng.pick(SURNAMES));
                    let s = self.new_site(rng, name, pos, TOWN, None);
                    self.cabinets.push((s.clone(), spec.code));
                    ("L", "SA07", s)
                }
            }
        }
    }
}

/// A GP's consultations and visits of the year, from their rank alone (the random stream, which every other
/// figure of the demonstration depends on, is left untouched): 3,000 to 5,500 consultations and 150 to 450
/// visits; one GP in eight has no figure given, so that the demonstration shows how they are counted.
fn yearly_acts(is_gp: bool, id: u64) -> Option<(f64, f64)> {
    (is_gp && id % 8 != 5).then(|| {
        (
            3_000.0 + ((id * 617) % 2_500) as f64,
            150.0 + ((id * 97) % 300) as f64,
        )
    })
}

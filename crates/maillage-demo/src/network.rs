//! The network and CLS part of the demonstration (fictional, every name labelled so): a directory of about 80
//! actors of the town (structures, professionals, associations, services; most public, some internal) with
//! contact persons; a Conseil d'organisation de la santé like Châteauroux's (17 typed members, co-chaired by an
//! élu and a doctor, 4 sub-groups, meeting every two months, with its board of files in progress); a
//! health–precarity watch network like Grand Nancy's Lab' (three thematic meetings a year and a few cases from
//! report to interpellation); a second-generation Contrat local de santé with the four axes of the Pays de
//! Morlaix, its fiches actions, indicators with dated measures (one linked to the observatory), funding with
//! report deadlines; relay lists; consultations of inhabitants.
//!
//! Everything goes through `maillage_store::network` (the functions the web pages call), with dates set
//! relative to the day the demonstration is built, so that reminders (overdue actions, reports to send) show.
//! Phones are in the ranges ARCEP keeps for fiction (01 99 00, 06 39 98), e-mails end in `.invalid`.

use crate::model::{self, COMMUNE_NAME, POSTCODE};
use crate::rng::Rng;
use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp, ToSpan};
use maillage_network::Coded;
use maillage_network::codes::{ActionStatus, Attendance, WatchStatus};
use maillage_network::directory::{ActorFields, ActorRecord};
use maillage_network::watch::Step;
use maillage_store::network::bodies::{self, BodyForm, FollowUpForm, MeetingForm, MemberForm};
use maillage_store::network::cls::{self, ContractForm, FicheForm, FundingForm, IndicatorForm};
use maillage_store::network::democracy::{self, ConsultationForm};
use maillage_store::network::directory::{self, ContactForm};
use maillage_store::network::watch::{self, CaseForm};
use maillage_store::network::{self as net, Reach, relay};
use maillage_store::{Store, StoreError};
use sqlx::{Any, Transaction};

/// What the network demonstration holds.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct NetworkSummary {
    pub actors: usize,
    pub public_actors: usize,
    pub contacts: usize,
    pub bodies: usize,
    pub meetings: usize,
    pub watch_cases: usize,
    pub fiches: usize,
    pub indicators: usize,
}

const BY: &str = "demonstration";

/// The communes keeping the records (a commune account sees a part): most are the town's, some its first
/// neighbour's (Saint-Aubin-des-Prés, in the model's EPCI), and intercommunal ones (the CLS, the watch network,
/// a relay list) belong to the whole territory.
const TOWN: Option<&str> = Some(model::COMMUNE_CODE);
const NEIGHBOUR: Option<&str> = Some("99102");
const TERRITORY: Option<&str> = None;

fn owned(commune: Option<&str>) -> Option<String> {
    commune.map(str::to_string)
}

fn fail(e: net::Error) -> StoreError {
    match e {
        net::Error::Store(e) => *e,
        other => StoreError::InvalidValue {
            field: "demonstration_reseau",
            value: other.to_string(),
        },
    }
}

/// Builds the network demonstration into a store that holds the demonstration territory.
pub async fn build(store: &Store, seed: u64) -> Result<NetworkSummary, StoreError> {
    build_at(store, seed, Timestamp::now()).await.map_err(fail)
}

fn days(d: Date, n: i64) -> Date {
    d.checked_add(n.days()).unwrap_or(d)
}

/// An instant `n` days from `today` at `hour`:`minute`, French time.
fn at(today: Date, n: i64, hour: i8, minute: i8) -> Option<Timestamp> {
    days(today, n)
        .at(hour, minute, 0, 0)
        .in_tz("Europe/Paris")
        .ok()
        .map(|z| z.timestamp())
}

/// A phone number in the ranges kept for fiction.
fn phone(rng: &mut Rng, mobile: bool) -> String {
    let n = rng.below(10_000);
    if mobile {
        format!("06 39 98 {:02} {:02}", n / 100, n % 100)
    } else {
        format!("01 99 00 {:02} {:02}", n / 100, n % 100)
    }
}

/// (kind, name, needs, publics, missions, conditions, hours, appointment, cost, ages, languages, accessible, visibility)
struct Spec {
    kind: &'static str,
    name: &'static str,
    themes: &'static str,
    publics: &'static str,
    missions: &'static str,
    conditions: &'static str,
    hours: &'static str,
    appointment: &'static str,
    cost: &'static str,
    ages: (Option<i64>, Option<i64>),
    languages: &'static str,
    public: bool,
}

const fn spec(
    kind: &'static str,
    name: &'static str,
    themes: &'static str,
    publics: &'static str,
    missions: &'static str,
    appointment: &'static str,
    cost: &'static str,
) -> Spec {
    Spec {
        kind,
        name,
        themes,
        publics,
        missions,
        conditions: "",
        hours: "Du lundi au vendredi, de 9 h à 12 h et de 14 h à 17 h",
        appointment,
        cost,
        ages: (None, None),
        languages: "fr",
        public: true,
    }
}

fn specs() -> Vec<Spec> {
    vec![
        Spec {
            conditions: "Jeunes domiciliés ou scolarisés dans l'agglomération, et leurs parents.",
            hours: "Lundi, mercredi et vendredi de 9 h à 12 h et de 13 h à 18 h 30\nAccueil du public 7 jours sur 7",
            ages: (Some(11), Some(25)),
            languages: "fr|en|ar",
            ..spec(
                "structure",
                "Maison des adolescents du Clain",
                "sante_mentale|prevention_depistage",
                "jeunes|familles",
                "Accueil, écoute, information et orientation des adolescents et de leur entourage ; accompagnement pluridisciplinaire de courte durée.",
                "avec_ou_sans_rdv",
                "gratuit",
            )
        },
        Spec {
            ages: (Some(18), None),
            conditions: "Adultes du secteur de psychiatrie de Bellerive.",
            ..spec(
                "service",
                "Centre médico-psychologique adultes",
                "sante_mentale",
                "tout_public",
                "Consultations de psychiatres, psychologues et infirmiers ; orientation vers l'hôpital de jour.",
                "avec_rdv",
                "gratuit",
            )
        },
        Spec {
            ages: (Some(0), Some(17)),
            ..spec(
                "service",
                "Centre médico-psychologique enfants et adolescents",
                "sante_mentale",
                "enfants|jeunes|familles",
                "Consultations et suivis pour les enfants et adolescents et leur famille.",
                "avec_rdv",
                "gratuit",
            )
        },
        Spec {
            languages: "fr|ar|pt",
            hours: "Du lundi au vendredi de 8 h 30 à 19 h, le samedi de 9 h à 12 h",
            ..spec(
                "structure",
                "Centre municipal de santé",
                "soins_premier_recours|prevention_depistage",
                "tout_public",
                "Médecine générale, soins infirmiers, consultations de prévention ; tiers payant intégral ; médecin traitant pour les habitants sans médecin.",
                "avec_rdv",
                "selon_situation",
            )
        },
        spec(
            "structure",
            "Maison de santé pluriprofessionnelle des Hauts",
            "soins_premier_recours",
            "tout_public",
            "Médecins généralistes, infirmiers, masseurs-kinésithérapeutes, orthophoniste et sage-femme regroupés.",
            "avec_rdv",
            "payant",
        ),
        Spec {
            languages: "fr|en|ar|ro",
            hours: "Du lundi au vendredi de 9 h à 17 h",
            conditions: "Personnes sans couverture santé ou avec des droits incomplets.",
            ..spec(
                "service",
                "Permanence d'accès aux soins de santé (PASS) du centre hospitalier",
                "acces_aux_droits|soins_premier_recours|precarite",
                "personnes_precaires|personnes_migrantes",
                "Consultations médicales, délivrance de médicaments, ouverture des droits avec l'assistante sociale.",
                "sans_rdv",
                "gratuit",
            )
        },
        spec(
            "service",
            "Permanence de la caisse primaire d'assurance maladie",
            "acces_aux_droits",
            "tout_public",
            "Ouverture et renouvellement des droits, complémentaire santé solidaire, carte Vitale.",
            "avec_rdv",
            "gratuit",
        ),
        spec(
            "service",
            "Centre communal d'action sociale",
            "acces_aux_droits|precarite|personnes_agees",
            "tout_public",
            "Aides facultatives, domiciliation, registre des personnes vulnérables, aide à la complémentaire santé.",
            "avec_ou_sans_rdv",
            "gratuit",
        ),
        spec(
            "association",
            "Épicerie solidaire Le Panier du Clain",
            "precarite|activite_physique_nutrition",
            "personnes_precaires|familles",
            "Produits alimentaires et d'hygiène à prix réduit, ateliers cuisine et budget.",
            "avec_rdv",
            "selon_situation",
        ),
        Spec {
            hours: "Mardi et jeudi de 14 h à 17 h",
            ..spec(
                "association",
                "Antenne de la banque alimentaire",
                "precarite",
                "personnes_precaires",
                "Distribution de colis alimentaires sur orientation d'un travailleur social.",
                "avec_rdv",
                "gratuit",
            )
        },
        Spec {
            ages: (Some(12), None),
            ..spec(
                "service",
                "Centre de santé sexuelle",
                "sante_sexuelle|perinatalite|prevention_depistage",
                "jeunes|femmes",
                "Contraception, dépistages, entretiens de conseil conjugal ; gratuit et confidentiel pour les mineurs.",
                "avec_ou_sans_rdv",
                "gratuit",
            )
        },
        Spec {
            ages: (Some(0), Some(6)),
            ..spec(
                "service",
                "Protection maternelle et infantile (PMI)",
                "perinatalite|prevention_depistage",
                "familles|enfants",
                "Consultations des nourrissons, suivi de grossesse, vaccinations, puéricultrices à domicile.",
                "avec_rdv",
                "gratuit",
            )
        },
        spec(
            "service",
            "Centre de soins, d'accompagnement et de prévention en addictologie (CSAPA)",
            "addictions",
            "tout_public",
            "Consultations, accompagnement médico-social, consultations jeunes consommateurs.",
            "avec_ou_sans_rdv",
            "gratuit",
        ),
        Spec {
            hours: "Du lundi au vendredi de 13 h 30 à 17 h 30",
            ..spec(
                "association",
                "Accueil de réduction des risques (CAARUD)",
                "addictions|precarite",
                "personnes_precaires",
                "Matériel de réduction des risques, accueil, douches, orientation ; anonyme.",
                "sans_rdv",
                "gratuit",
            )
        },
        spec(
            "service",
            "Centre gratuit d'information, de dépistage et de diagnostic (CeGIDD)",
            "sante_sexuelle|prevention_depistage",
            "tout_public",
            "Dépistage du VIH, des hépatites et des infections sexuellement transmissibles ; traitement post-exposition.",
            "sans_rdv",
            "gratuit",
        ),
        spec(
            "service",
            "Centre de vaccination",
            "prevention_depistage",
            "tout_public",
            "Vaccinations du calendrier vaccinal et conseils aux voyageurs.",
            "avec_rdv",
            "gratuit",
        ),
        spec(
            "service",
            "Antenne du centre régional de dépistage des cancers",
            "prevention_depistage",
            "tout_public",
            "Dépistage organisé des cancers du sein, colorectal et du col de l'utérus ; relances et information.",
            "avec_rdv",
            "gratuit",
        ),
        spec(
            "structure",
            "Maison sport-santé",
            "activite_physique_nutrition|prevention_depistage",
            "tout_public",
            "Activité physique adaptée, sport sur ordonnance, bilans de condition physique.",
            "avec_rdv",
            "selon_situation",
        ),
        spec(
            "association",
            "Association d'aide aux aidants du Clain",
            "aidants",
            "aidants",
            "Écoute, groupes de parole, formation des aidants, relais à domicile.",
            "avec_rdv",
            "gratuit",
        ),
        Spec {
            ages: (Some(60), None),
            ..spec(
                "service",
                "Plateforme d'accompagnement et de répit",
                "aidants|personnes_agees",
                "aidants|personnes_agees",
                "Répit des aidants de personnes atteintes de troubles neurocognitifs ; accueil de jour.",
                "avec_rdv",
                "selon_situation",
            )
        },
        Spec {
            ages: (Some(60), None),
            ..spec(
                "service",
                "Espace seniors (CLIC)",
                "personnes_agees|acces_aux_droits",
                "personnes_agees|aidants",
                "Information, évaluation des besoins, coordination des aides au maintien à domicile.",
                "avec_ou_sans_rdv",
                "gratuit",
            )
        },
        spec(
            "service",
            "Service de soins infirmiers à domicile (SSIAD)",
            "personnes_agees|handicap",
            "personnes_agees|personnes_handicapees",
            "Soins infirmiers et d'hygiène à domicile sur prescription médicale.",
            "avec_rdv",
            "gratuit",
        ),
        spec(
            "service",
            "Antenne de la maison départementale des personnes handicapées",
            "handicap|acces_aux_droits",
            "personnes_handicapees",
            "Dépôt et suivi des demandes de droits et prestations liés au handicap.",
            "avec_rdv",
            "gratuit",
        ),
        spec(
            "association",
            "Association Handi-Clain",
            "handicap",
            "personnes_handicapees|aidants",
            "Accompagnement, loisirs adaptés, défense des droits des personnes en situation de handicap.",
            "avec_rdv",
            "gratuit",
        ),
        spec(
            "association",
            "Aide aux victimes du Clain",
            "violences|acces_aux_droits",
            "tout_public",
            "Écoute, information juridique, accompagnement des victimes d'infractions.",
            "avec_rdv",
            "gratuit",
        ),
        Spec {
            languages: "fr|en|ar",
            ..spec(
                "association",
                "Centre d'information sur les droits des femmes et des familles",
                "violences|acces_aux_droits",
                "femmes|familles",
                "Information juridique, accompagnement des femmes victimes de violences, emploi.",
                "avec_rdv",
                "gratuit",
            )
        },
        Spec {
            languages: "fr|ar|ro|ber|wo|en",
            ..spec(
                "association",
                "Médiation santé Bellerive",
                "mediation_interpretariat|acces_aux_droits|prevention_depistage",
                "personnes_precaires|personnes_migrantes",
                "Médiateurs en santé dans les quartiers : accompagnement vers les droits, les soins et le dépistage.",
                "avec_ou_sans_rdv",
                "gratuit",
            )
        },
        Spec {
            languages: "fr|ar|ro|ru|uk|tr|zh|es|pt",
            hours: "Par téléphone, du lundi au vendredi de 8 h à 19 h",
            ..spec(
                "service",
                "Service d'interprétariat médico-social",
                "mediation_interpretariat",
                "personnes_migrantes|professionnels",
                "Interprétariat professionnel par téléphone et sur place pour les consultations et démarches.",
                "avec_rdv",
                "gratuit",
            )
        },
        Spec {
            ages: (Some(16), Some(25)),
            ..spec(
                "service",
                "Point santé de la mission locale",
                "acces_aux_droits|sante_mentale|prevention_depistage",
                "jeunes",
                "Bilans de santé, ouverture des droits, écoute psychologique pour les jeunes suivis.",
                "avec_rdv",
                "gratuit",
            )
        },
        Spec {
            ages: (Some(12), Some(25)),
            hours: "Mercredi de 14 h à 19 h, vendredi de 16 h à 19 h",
            ..spec(
                "association",
                "Point écoute jeunes",
                "sante_mentale",
                "jeunes|familles",
                "Écoute anonyme et gratuite des jeunes et de leurs parents par des psychologues.",
                "sans_rdv",
                "gratuit",
            )
        },
        spec(
            "association",
            "Groupe d'entraide mutuelle L'Escale",
            "sante_mentale",
            "tout_public",
            "Lieu d'accueil et d'entraide entre personnes vivant avec des troubles psychiques.",
            "sans_rdv",
            "gratuit",
        ),
        spec(
            "association",
            "Délégation de l'union des familles en santé mentale",
            "sante_mentale|aidants",
            "aidants|familles",
            "Accueil et soutien des familles et proches de personnes vivant avec des troubles psychiques.",
            "avec_rdv",
            "gratuit",
        ),
        Spec {
            hours: "Du lundi au vendredi de 20 h à minuit, samedi de 12 h à minuit, dimanche et jours fériés de 8 h à minuit",
            conditions: "Appeler le 15 avant de se déplacer.",
            ..spec(
                "structure",
                "Maison médicale de garde",
                "urgences|soins_premier_recours",
                "tout_public",
                "Consultations de médecine générale aux heures de fermeture des cabinets.",
                "avec_rdv",
                "payant",
            )
        },
        spec(
            "structure",
            "Centre de santé dentaire mutualiste",
            "soins_premier_recours",
            "tout_public",
            "Soins dentaires, prothèses, tiers payant.",
            "avec_rdv",
            "payant",
        ),
        spec(
            "service",
            "Point d'accès aux démarches numériques",
            "acces_aux_droits",
            "tout_public",
            "Aide aux démarches en ligne (ameli, complémentaire santé solidaire, retraite) avec un conseiller.",
            "avec_ou_sans_rdv",
            "gratuit",
        ),
        Spec {
            hours: "Selon le planning des tournées dans les quartiers",
            ..spec(
                "service",
                "Unité mobile de prévention",
                "prevention_depistage|precarite",
                "personnes_precaires|tout_public",
                "Dépistages, vaccination et information santé au pied des immeubles et sur les marchés.",
                "sans_rdv",
                "gratuit",
            )
        },
        Spec {
            hours: "Tous les jours de 8 h 30 à 12 h 30",
            ..spec(
                "association",
                "Accueil de jour La Passerelle",
                "precarite|acces_aux_droits",
                "personnes_precaires",
                "Accueil, petit-déjeuner, douches, bagagerie, domiciliation, orientation vers les soins.",
                "sans_rdv",
                "gratuit",
            )
        },
        spec(
            "association",
            "Unité locale de la Croix-Rouge",
            "precarite|prevention_depistage",
            "personnes_precaires|tout_public",
            "Maraudes, aide alimentaire, formations aux premiers secours.",
            "sans_rdv",
            "gratuit",
        ),
        spec(
            "association",
            "Comité du Secours populaire",
            "precarite|acces_aux_droits",
            "personnes_precaires|familles",
            "Aide alimentaire, accès aux droits, vacances et culture.",
            "avec_ou_sans_rdv",
            "gratuit",
        ),
        spec(
            "association",
            "Dispositif logement et santé",
            "precarite|acces_aux_droits",
            "personnes_precaires",
            "Accompagnement vers le logement des personnes ayant des problèmes de santé.",
            "avec_rdv",
            "gratuit",
        ),
    ]
}

/// Structures repeated in each quartier: (kind, name, needs, publics, missions, appointment, cost).
const BY_QUARTIER: &[(&str, &str, &str, &str, &str, &str, &str)] = &[
    (
        "structure",
        "Centre social",
        "acces_aux_droits|prevention_depistage",
        "familles|tout_public",
        "Accueil, ateliers santé, permanences d'accès aux droits, actions collectives de prévention.",
        "sans_rdv",
        "gratuit",
    ),
    (
        "structure",
        "Pharmacie",
        "soins_premier_recours|prevention_depistage",
        "tout_public",
        "Délivrance de médicaments, conseil, vaccination, dépistages rapides.",
        "sans_rdv",
        "payant",
    ),
];

/// Professionals: (kind label in the name, needs, missions), placed across the quartiers.
const PROFESSIONALS: &[(&str, &str, &str)] = &[
    (
        "Cabinet de médecine générale",
        "soins_premier_recours",
        "Consultations de médecine générale ; nouveaux patients selon disponibilités.",
    ),
    (
        "Cabinet de médecine générale",
        "soins_premier_recours",
        "Consultations de médecine générale, visites à domicile.",
    ),
    (
        "Cabinet de médecine générale",
        "soins_premier_recours",
        "Consultations de médecine générale, suivi des maladies chroniques.",
    ),
    (
        "Cabinet de médecine générale",
        "soins_premier_recours",
        "Consultations de médecine générale et gynécologie de base.",
    ),
    (
        "Cabinet infirmier",
        "soins_premier_recours|personnes_agees",
        "Soins infirmiers au cabinet et à domicile, 7 jours sur 7.",
    ),
    (
        "Cabinet infirmier",
        "soins_premier_recours|personnes_agees",
        "Soins infirmiers à domicile, pansements, injections.",
    ),
    (
        "Cabinet infirmier",
        "soins_premier_recours",
        "Soins infirmiers, prélèvements, éducation thérapeutique.",
    ),
    (
        "Sage-femme libérale",
        "perinatalite|sante_sexuelle",
        "Suivi de grossesse, préparation à la naissance, suivi gynécologique de prévention.",
    ),
    (
        "Sage-femme libérale",
        "perinatalite",
        "Préparation à la naissance, rééducation périnéale, suivi à domicile après la sortie.",
    ),
    (
        "Psychologue",
        "sante_mentale",
        "Consultations de psychologie, dispositif de séances remboursées.",
    ),
    (
        "Psychologue pour enfants",
        "sante_mentale",
        "Consultations pour enfants et adolescents, guidance parentale.",
    ),
    (
        "Orthophoniste",
        "soins_premier_recours",
        "Bilans et rééducations du langage oral et écrit.",
    ),
    (
        "Masseur-kinésithérapeute",
        "soins_premier_recours|activite_physique_nutrition",
        "Rééducation, kinésithérapie respiratoire, activité physique adaptée.",
    ),
    (
        "Chirurgien-dentiste",
        "soins_premier_recours",
        "Soins dentaires, urgences dentaires en semaine.",
    ),
    (
        "Chirurgien-dentiste",
        "soins_premier_recours",
        "Soins dentaires pour enfants et adultes.",
    ),
];

/// Internal entries: institutions and partners of the coordination.
const INTERNAL: &[(&str, &str, &str)] = &[
    (
        "service",
        "Délégation départementale de l'agence régionale de santé",
        "Interlocuteur du CLS, financement FIR, appels à projets.",
    ),
    (
        "service",
        "Direction de la caisse primaire d'assurance maladie",
        "Accès aux droits, mission accompagnement santé, partenariats.",
    ),
    (
        "association",
        "Communauté professionnelle territoriale de santé du Clain",
        "Coordination des professionnels de santé libéraux du territoire.",
    ),
    (
        "structure",
        "Direction du centre hospitalier de Bellerive",
        "Direction de l'hôpital, PASS, urgences, filières.",
    ),
    (
        "structure",
        "Clinique Saint-Roch",
        "Établissement de santé privé.",
    ),
    (
        "service",
        "Conseil départemental — direction de la solidarité",
        "PMI, action sociale, autonomie.",
    ),
    (
        "service",
        "Préfecture — service politique de la ville",
        "Contrat de ville, appels à projets.",
    ),
    (
        "association",
        "Conseil départemental de l'ordre des médecins",
        "Représentation de la profession médicale.",
    ),
    (
        "association",
        "Union régionale des professionnels de santé — médecins libéraux",
        "Représentation des médecins libéraux.",
    ),
    (
        "service",
        "Agence d'attractivité du département",
        "Accueil des professionnels de santé qui s'installent.",
    ),
    (
        "association",
        "Accès droits santé solidarité (association)",
        "Co-pilote du réseau santé précarité ; accompagnement vers les droits.",
    ),
    (
        "structure",
        "Observatoire régional de la santé",
        "Études et diagnostics de santé.",
    ),
];

const QUARTIERS: &[(&str, f64, f64)] = &[
    ("Centre-ville", 0.2, 0.1),
    ("Les Hauts", 2.0, 2.3),
    ("Val Fleuri", -2.4, -2.2),
    ("Faubourg de l'Est", 2.9, -0.6),
    ("Rive Ouest", -2.8, 0.7),
];

const STREETS: &[&str] = &[
    "rue Victor-Hugo",
    "avenue Jean-Jaurès",
    "rue de la République",
    "boulevard Gambetta",
    "rue Pasteur",
    "place du Marché",
    "rue des Tilleuls",
    "rue du Moulin",
    "avenue de la Gare",
    "rue Émile-Zola",
    "rue des Écoles",
    "rue Jules-Ferry",
    "quai des Tanneurs",
    "avenue de Verdun",
    "rue des Acacias",
];

const FIRST: &[&str] = &[
    "Claire", "Nadia", "Julien", "Sophie", "Karim", "Élodie", "Thomas", "Aïcha", "Marc", "Léa",
    "Hugo", "Fatou", "Pierre", "Inès",
];
const LAST: &[&str] = &[
    "Arnaud",
    "Benali",
    "Chevalier",
    "Delmas",
    "Fabre",
    "Garnier",
    "Hamon",
    "Joly",
    "Lemaire",
    "Marchand",
    "Nicolas",
    "Perrin",
    "Roche",
    "Vidal",
];

/// A professional's name (public: it is the name of their practice).
fn person(rng: &mut Rng) -> String {
    format!("{} {}", rng.pick(FIRST), rng.pick(LAST))
}

const CONTACT_FIRST: &[&str] = &[
    "Agathe", "Bastien", "Céline", "Damien", "Estelle", "Farid", "Gaëlle", "Hélène", "Ismaël",
    "Jeanne", "Loïc", "Maëlle",
];
const CONTACT_LAST: &[&str] = &[
    "Aubry", "Besson", "Collin", "Dumont", "Étienne", "Ferrand", "Guillot", "Hervé", "Jacquet",
    "Klein", "Langlois", "Mallet",
];

/// A contact person's name (personal data, never public): drawn apart from professionals' names.
fn contact_person(rng: &mut Rng) -> String {
    format!("{} {}", rng.pick(CONTACT_FIRST), rng.pick(CONTACT_LAST))
}

fn slug(s: &str) -> String {
    maillage_network::fields::slug(s)
}

#[allow(clippy::too_many_arguments)]
fn record(
    rng: &mut Rng,
    kind: &str,
    name: &str,
    themes: &str,
    publics: &str,
    missions: &str,
    appointment: &str,
    cost: &str,
    quartier: usize,
    public: bool,
) -> ActorFields {
    let (q, x, y) = QUARTIERS[quartier % QUARTIERS.len()];
    let (lon, lat) = model::at(x + rng.range(-0.5, 0.5), y + rng.range(-0.4, 0.4));
    let mut f = ActorFields::default();
    f.set("type", kind);
    f.set("nom", format!("{name} (fictif)"));
    f.set("besoins", themes);
    f.set("publics", publics);
    f.set("missions", missions);
    f.set("rendez_vous", appointment);
    f.set("tarif", cost);
    f.set(
        "adresse",
        format!("{} {}", 1 + rng.below(80), rng.pick(STREETS)),
    );
    f.set("code_postal", POSTCODE);
    f.set("commune", COMMUNE_NAME);
    f.set("territoire", format!("Quartier {q}"));
    f.set("telephone", phone(rng, false));
    f.set(
        "courriel",
        format!(
            "accueil@{}.bellerive.invalid",
            slug(name).chars().take(30).collect::<String>()
        ),
    );
    f.set(
        "horaires",
        "Du lundi au vendredi, de 9 h à 12 h et de 14 h à 17 h",
    );
    f.set("langues", "fr");
    f.set(
        "accessible_pmr",
        if rng.chance(0.75) { "oui" } else { "non" },
    );
    f.set("visibilite", if public { "publique" } else { "interne" });
    f.set("longitude", format!("{lon:.6}"));
    f.set("latitude", format!("{lat:.6}"));
    f
}

async fn save(
    tx: &mut Transaction<'static, Any>,
    commune: Option<&str>,
    f: &ActorFields,
    now: Timestamp,
) -> Result<i64, net::Error> {
    let r = ActorRecord::from_fields(f)?;
    directory::save_actor(tx, &Reach::everything(), None, commune, &r, BY, now).await
}

async fn contact(
    tx: &mut Transaction<'static, Any>,
    rng: &mut Rng,
    actor: i64,
    role: &str,
    now: Timestamp,
) -> Result<i64, net::Error> {
    let name = contact_person(rng);
    let form = ContactForm {
        email: format!("{}@contacts.bellerive.invalid", slug(&name)),
        name,
        role: role.into(),
        phone: phone(rng, true),
    };
    // A contact is its actor's commune's.
    directory::save_contact(
        tx,
        &Reach::everything(),
        None,
        Some(actor),
        None,
        &form,
        now,
    )
    .await
}

/// A watch case: title, category, description, days ago, position (km from the centre), reported by, steps.
type CaseSpec = (
    &'static str,
    &'static str,
    &'static str,
    i64,
    Option<(f64, f64)>,
    &'static str,
    &'static [(WatchStatus, &'static str)],
);
/// An indicator: label, kind, unit, baseline, target, measures (days from today, value), observatory link.
type Ind = (
    &'static str,
    &'static str,
    &'static str,
    f64,
    f64,
    &'static [(i64, f64)],
    &'static str,
);
/// A fiche: number, title, pilot, public, territory, budget, status, nature, indicators.
type FicheSpec = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    f64,
    &'static str,
    &'static str,
    &'static [Ind],
);
/// An axis with its objectives and their fiches.
type AxisSpec = (
    &'static str,
    &'static [(&'static str, &'static [FicheSpec])],
);
/// Funding: title, funder, scheme, amount, status, fiche number, reports (label, due in days, sent days ago).
type FundingSpec = (
    &'static str,
    &'static str,
    &'static str,
    f64,
    &'static str,
    Option<&'static str>,
    &'static [(&'static str, i64, Option<i64>)],
);

async fn build_at(store: &Store, seed: u64, now: Timestamp) -> Result<NetworkSummary, net::Error> {
    let mut rng = Rng::new(seed ^ 0x5E5E_A0C1_5000);
    let today = net::today(now);
    let mut summary = NetworkSummary::default();
    let mut tx = net::begin(store, &Reach::everything()).await?;

    // The directory.
    let mut precarity_contacts = Vec::new();
    let mut professional_contacts = Vec::new();
    let mut partner_contacts = Vec::new();
    for (i, s) in specs().iter().enumerate() {
        let mut f = record(
            &mut rng,
            s.kind,
            s.name,
            s.themes,
            s.publics,
            s.missions,
            s.appointment,
            s.cost,
            i,
            s.public,
        );
        f.set("horaires", s.hours);
        f.set("conditions_acces", s.conditions);
        f.set("langues", s.languages);
        f.set(
            "age_min",
            s.ages.0.map(|a| a.to_string()).unwrap_or_default(),
        );
        f.set(
            "age_max",
            s.ages.1.map(|a| a.to_string()).unwrap_or_default(),
        );
        f.set(
            "identifiant",
            format!("demo-{}", slug(s.name).chars().take(60).collect::<String>()),
        );
        let id = save(&mut tx, if i % 4 == 3 { NEIGHBOUR } else { TOWN }, &f, now).await?;
        summary.actors += 1;
        summary.public_actors += usize::from(s.public);
        if i % 2 == 0 {
            let c = contact(&mut tx, &mut rng, id, "Responsable de l'accueil", now).await?;
            summary.contacts += 1;
            if s.themes.contains("precarite") || s.themes.contains("acces_aux_droits") {
                precarity_contacts.push(c);
            } else {
                partner_contacts.push(c);
            }
        }
    }
    for (q, (name, ..)) in QUARTIERS.iter().enumerate() {
        for (kind, base, themes, publics, missions, appointment, cost) in BY_QUARTIER {
            let full = format!("{base} {name}");
            let mut f = record(
                &mut rng,
                kind,
                &full,
                themes,
                publics,
                missions,
                appointment,
                cost,
                q,
                true,
            );
            f.set("identifiant", format!("demo-{}", slug(&full)));
            let id = save(&mut tx, TOWN, &f, now).await?;
            summary.actors += 1;
            summary.public_actors += 1;
            if *base == "Centre social" {
                precarity_contacts
                    .push(contact(&mut tx, &mut rng, id, "Référente famille", now).await?);
                summary.contacts += 1;
            }
        }
    }
    for (i, (label, themes, missions)) in PROFESSIONALS.iter().enumerate() {
        let who = person(&mut rng);
        let full = format!("{label} {who}");
        let mut f = record(
            &mut rng,
            "professionnel",
            &full,
            themes,
            "tout_public",
            missions,
            "avec_rdv",
            "payant",
            i,
            true,
        );
        f.set("identifiant", format!("demo-pro-{}", i + 1));
        let id = save(&mut tx, if i % 3 == 2 { NEIGHBOUR } else { TOWN }, &f, now).await?;
        summary.actors += 1;
        summary.public_actors += 1;
        if i % 3 == 0 {
            professional_contacts
                .push(contact(&mut tx, &mut rng, id, "Professionnel(le) de santé", now).await?);
            summary.contacts += 1;
        }
    }
    for (i, (kind, name, missions)) in INTERNAL.iter().enumerate() {
        let mut f = record(
            &mut rng,
            kind,
            name,
            "",
            "professionnels",
            missions,
            "avec_rdv",
            "gratuit",
            i,
            false,
        );
        f.set("identifiant", format!("demo-int-{}", i + 1));
        let id = save(&mut tx, if i % 2 == 1 { NEIGHBOUR } else { TOWN }, &f, now).await?;
        summary.actors += 1;
        partner_contacts.push(contact(&mut tx, &mut rng, id, "Chargé(e) de mission", now).await?);
        summary.contacts += 1;
    }

    // Relay lists.
    let precarity_list = relay::create_list(
        &mut tx,
        &Reach::everything(),
        TERRITORY,
        "Réseau santé précarité (fictif)",
        "Partenaires du réseau de veille sanitaire et sociale.",
        now,
    )
    .await?;
    for c in &precarity_contacts {
        relay::add_member(&mut tx, &Reach::everything(), precarity_list, *c, now).await?;
    }
    let pros = relay::create_list(
        &mut tx,
        &Reach::everything(),
        TOWN,
        "Lettre « Santé Bellerive » aux professionnels (fictive)",
        "Lettre d'information aux professionnels de santé.",
        now,
    )
    .await?;
    for c in &professional_contacts {
        relay::add_member(&mut tx, &Reach::everything(), pros, *c, now).await?;
    }
    let partners = relay::create_list(
        &mut tx,
        &Reach::everything(),
        TERRITORY,
        "Partenaires du CLS (fictif)",
        "Signataires et partenaires du contrat local de santé.",
        now,
    )
    .await?;
    for c in partner_contacts.iter().take(18) {
        relay::add_member(&mut tx, &Reach::everything(), partners, *c, now).await?;
    }
    // The crisis cell relays its alerts through the same lists (the heatwave of maillage-demo's crisis.rs).
    let heatwave = relay::create_list(
        &mut tx,
        &Reach::everything(),
        TOWN,
        "Alerte canicule : relais de la cellule de crise (fictif)",
        "Établissements, associations et professionnels prévenus à chaque niveau d'alerte.",
        now,
    )
    .await?;
    for c in precarity_contacts
        .iter()
        .chain(professional_contacts.iter().take(10))
        .chain(partner_contacts.iter().take(4))
    {
        relay::add_member(&mut tx, &Reach::everything(), heatwave, *c, now).await?;
    }
    let alert = relay::create_message(
        &mut tx,
        &Reach::everything(),
        heatwave,
        relay::MessageKind::Message,
        "Canicule : passage en alerte, numéro de la cellule et appels aux personnes inscrites (fictif)",
        "Bonjour,\n\nLa commune passe en niveau « alerte » du plan canicule. La cellule de crise appelle chaque jour          les personnes inscrites au registre ; signalez-lui toute personne isolée qui vous semble en difficulté.\n\n         La cellule de crise",
        BY,
        now - SignedDuration::from_hours(30),
    )
    .await?;
    for c in precarity_contacts
        .iter()
        .chain(professional_contacts.iter().take(10))
        .chain(partner_contacts.iter().take(4))
    {
        relay::record_delivery(
            &mut tx,
            &Reach::everything(),
            alert,
            *c,
            "exporte",
            None,
            now - SignedDuration::from_hours(30),
        )
        .await?;
    }
    relay::finish_message(
        &mut tx,
        &Reach::everything(),
        alert,
        relay::Mode::Export,
        now - SignedDuration::from_hours(30),
    )
    .await?;
    let message = relay::create_message(
        &mut tx,
        &Reach::everything(),
        pros,
        relay::MessageKind::Newsletter,
        "Santé Bellerive n° 12 : campagne de dépistage et nouvelle permanence CPAM (fictif)",
        "Bonjour,\n\nLa campagne de dépistage organisé du cancer du sein reprend ce mois-ci avec l'unité mobile de prévention. \
         Une permanence de la CPAM s'ouvre au centre social des Hauts le mardi matin.\n\nBonne lecture,\nLa coordination du CLS",
        BY,
        now - SignedDuration::from_hours(24 * 20),
    )
    .await?;
    for c in &professional_contacts {
        relay::record_delivery(
            &mut tx,
            &Reach::everything(),
            message,
            *c,
            "exporte",
            None,
            now - SignedDuration::from_hours(24 * 20),
        )
        .await?;
    }
    relay::finish_message(
        &mut tx,
        &Reach::everything(),
        message,
        relay::Mode::Export,
        now - SignedDuration::from_hours(24 * 20),
    )
    .await?;
    tx.commit().await?;

    // The Conseil d'organisation de la santé, after Châteauroux's (S003:915-950).
    let mut tx = net::begin(store, &Reach::everything()).await?;
    let cos = bodies::save_body(
        &mut tx,
        &Reach::everything(),
        None,
        &BodyForm {
            commune: owned(TOWN),
            kind: "cos".into(),
            name: "Conseil d'organisation de la santé (fictif)".into(),
            purpose: "Réunir celles et ceux qui travaillent sur les questions de santé pour améliorer l'accès aux soins et attirer des professionnels.".into(),
            parent_id: None,
            cadence_days: "60".into(),
            consultative: true,
            pilot: "Coordinatrice du service santé publique".into(),
            since: days(today, -600).to_string(),
            active: true,
        },
        now,
    )
    .await?;
    let cos_members: &[(&str, &str, &str, &str, bool)] = &[
        (
            "Mme Hélène Marceau",
            "Directrice du centre hospitalier",
            "Centre hospitalier de Bellerive",
            "etablissement",
            false,
        ),
        (
            "M. Bruno Tessier",
            "Directeur de la clinique",
            "Clinique Saint-Roch",
            "etablissement",
            false,
        ),
        (
            "Un représentant des usagers",
            "Représentant des usagers",
            "Association des usagers du Clain",
            "representant_usagers",
            false,
        ),
        (
            "Un représentant des infirmiers",
            "Représentant des infirmiers libéraux",
            "URPS infirmiers",
            "representant_profession",
            false,
        ),
        (
            "Une représentante des agents du centre hospitalier",
            "Représentante du personnel",
            "Centre hospitalier de Bellerive",
            "etablissement",
            false,
        ),
        (
            "Dr Alain Pichon",
            "Président de la commission médicale d'établissement",
            "Centre hospitalier de Bellerive",
            "etablissement",
            false,
        ),
        (
            "Dr Sylvie Caron",
            "Représentante du conseil de l'ordre des médecins",
            "Ordre des médecins",
            "representant_profession",
            false,
        ),
        (
            "Dr Nathalie Roussel",
            "Présidente de la CPTS",
            "CPTS du Clain",
            "representant_profession",
            false,
        ),
        (
            "Mme Inès Baraka",
            "Chargée de mission santé",
            "Agence d'attractivité",
            "institution",
            false,
        ),
        ("Mme Anne Delorme", "Sénatrice", "Sénat", "elu", false),
        (
            "Mme Odile Perret",
            "Vice-présidente déléguée à la santé",
            "Communauté d'agglomération du Clain",
            "elu",
            false,
        ),
        (
            "Mme Claire Fontaine",
            "Maire-adjointe déléguée à l'événementiel",
            "Ville de Bellerive",
            "elu",
            false,
        ),
        (
            "M. Paul Granger",
            "Maire-adjoint délégué à la santé publique",
            "Ville de Bellerive",
            "elu",
            true,
        ),
        (
            "Mme Justine Morel",
            "Coordinatrice du contrat local de santé",
            "Ville de Bellerive",
            "coordination",
            false,
        ),
        (
            "Dr Jean Lebrun",
            "Médecin généraliste, représentant des professions médicales",
            "Cabinet des Tilleuls",
            "professionnel_sante",
            true,
        ),
        (
            "Dr Samia Ouali",
            "Médecin généraliste",
            "Maison de santé des Hauts",
            "professionnel_sante",
            false,
        ),
        (
            "Dr Marc Giraud",
            "Médecin généraliste",
            "Cabinet du Val Fleuri",
            "professionnel_sante",
            false,
        ),
    ];
    let mut members = Vec::new();
    for (name, function, organisation, kind, co_chair) in cos_members {
        let id = bodies::save_member(
            &mut tx,
            &Reach::everything(),
            None,
            cos,
            &MemberForm {
                name: (*name).into(),
                function: (*function).into(),
                organisation: (*organisation).into(),
                member_type: (*kind).into(),
                co_chair: *co_chair,
                email: format!("{}@cos.bellerive.invalid", slug(name)),
                phone: String::new(),
                actor_id: None,
                since: days(today, -600).to_string(),
                until: String::new(),
            },
            now,
        )
        .await?;
        members.push(id);
    }
    let subgroups = [
        (
            "Logement et mobilité des étudiants (fictif)",
            "Loger et accueillir les internes et étudiants en santé.",
        ),
        (
            "Locaux pour les professionnels de santé (fictif)",
            "Recenser les locaux vacants et les projets immobiliers.",
        ),
        (
            "Audit de l'offre de soins (fictif)",
            "Suivre l'étude sur l'accès aux soins de premier recours dans le bassin de vie.",
        ),
        (
            "Conditions d'installation (fictif)",
            "Aides, accueil et accompagnement des professionnels qui s'installent.",
        ),
    ];
    let mut subgroup_ids = Vec::new();
    for (i, (name, purpose)) in subgroups.iter().enumerate() {
        let id = bodies::save_body(
            &mut tx,
            &Reach::everything(),
            None,
            &BodyForm {
                commune: owned(TOWN),
                kind: "sous_groupe".into(),
                name: (*name).into(),
                purpose: (*purpose).into(),
                parent_id: Some(cos),
                cadence_days: String::new(),
                consultative: true,
                pilot: String::new(),
                since: days(today, -540).to_string(),
                active: true,
            },
            now,
        )
        .await?;
        for (j, (name, function, organisation, kind, _)) in cos_members
            .iter()
            .enumerate()
            .filter(|(j, _)| (j + i) % 4 == 0)
        {
            bodies::save_member(
                &mut tx,
                &Reach::everything(),
                None,
                id,
                &MemberForm {
                    name: (*name).into(),
                    function: (*function).into(),
                    organisation: (*organisation).into(),
                    member_type: (*kind).into(),
                    co_chair: j % 8 == 0,
                    ..Default::default()
                },
                now,
            )
            .await?;
        }
        subgroup_ids.push(id);
    }
    // Six meetings held every two months, the next one planned in three weeks.
    let mut held = Vec::new();
    for k in (1..=6).rev() {
        let day = -60 * k + 5;
        let id = bodies::save_meeting(
            &mut tx,
            &Reach::everything(),
            None,
            cos,
            &MeetingForm {
                title: format!("Séance n° {}", 7 - k),
                starts_at: at(today, day, 18, 0),
                ends_at: at(today, day, 20, 0),
                place: "Hôtel de ville, salle du conseil".into(),
                status: "tenue".into(),
                agenda: "1. Avancement des dossiers en cours\n2. Point des sous-groupes\n3. Étude sur l'accès aux soins de premier recours\n4. Questions des membres".into(),
                minutes: format!(
                    "Séance n° {} du conseil d'organisation de la santé. Les co-présidents ouvrent la séance. Les sous-groupes présentent leur avancement ; \
                     le cabinet d'études présente l'état de l'étude « évaluation et enjeux de l'accès aux soins de premiers recours sur le bassin de vie ».",
                    7 - k
                ),
            },
            now,
        )
        .await?;
        for (n, m) in members.iter().enumerate() {
            let a = match (n + k as usize) % 7 {
                0 => Attendance::Excused,
                1 if k % 2 == 0 => Attendance::Represented,
                6 => Attendance::Absent,
                _ => Attendance::Present,
            };
            bodies::set_attendance(&mut tx, &Reach::everything(), id, *m, a).await?;
        }
        bodies::add_question(
            &mut tx,
            &Reach::everything(),
            id,
            "CPTS du Clain",
            "Où en est la recherche de locaux pour le deuxième cabinet des Hauts ?",
            now,
        )
        .await?;
        held.push(id);
    }
    let last = *held.last().unwrap_or(&0);
    let q = bodies::add_question(&mut tx, &Reach::everything(), last, "Un représentant des usagers", "Comment les habitants seront-ils informés de l'ouverture du centre municipal de santé le samedi ?", now).await?;
    bodies::answer_question(
        &mut tx,
        &Reach::everything(),
        last,
        q,
        "Par la lettre municipale, les centres sociaux et les médiateurs en santé.",
    )
    .await?;
    bodies::add_decision(
        &mut tx,
        &Reach::everything(),
        held[0],
        "Lancer une étude sur l'accès aux soins de premier recours avec un cabinet d'études.",
        now,
    )
    .await?;
    bodies::add_decision(
        &mut tx,
        &Reach::everything(),
        held[2],
        "Proposer trois logements pour les internes dès la rentrée.",
        now,
    )
    .await?;
    bodies::add_decision(
        &mut tx,
        &Reach::everything(),
        last,
        "Présenter les conclusions de l'étude au conseil municipal.",
        now,
    )
    .await?;
    let next = bodies::save_meeting(
        &mut tx,
        &Reach::everything(),
        None,
        cos,
        &MeetingForm {
            title: "Séance n° 7".into(),
            starts_at: at(today, 21, 18, 0),
            ends_at: at(today, 21, 20, 0),
            place: "Hôtel de ville, salle du conseil".into(),
            status: "prevue".into(),
            agenda: "1. Restitution de l'étude sur l'accès aux soins\n2. Locaux : projet des Hauts\n3. Logement des internes\n4. Questions recueillies avant la séance".into(),
            minutes: String::new(),
        },
        now,
    )
    .await?;
    bodies::add_question(
        &mut tx,
        &Reach::everything(),
        next,
        "Ordre des médecins",
        "Quelles aides à l'installation la commune peut-elle apporter aux jeunes médecins ?",
        now,
    )
    .await?;
    bodies::add_question(
        &mut tx,
        &Reach::everything(),
        next,
        "Un représentant des infirmiers",
        "Le stationnement des infirmiers à domicile peut-il être facilité en centre-ville ?",
        now,
    )
    .await?;
    let actions: &[(&str, &str, i64, ActionStatus, usize)] = &[
        (
            "Recenser les locaux vacants adaptés à un cabinet médical",
            "Justine Morel",
            -20,
            ActionStatus::InProgress,
            1,
        ),
        (
            "Rédiger le cahier des charges de l'étude sur l'accès aux soins",
            "Justine Morel",
            -200,
            ActionStatus::Done,
            0,
        ),
        (
            "Contacter les bailleurs pour trois logements d'internes",
            "Paul Granger",
            -10,
            ActionStatus::ToDo,
            2,
        ),
        (
            "Préparer la restitution de l'étude",
            "Justine Morel",
            10,
            ActionStatus::InProgress,
            5,
        ),
        (
            "Organiser une soirée d'accueil des internes",
            "Odile Perret",
            -45,
            ActionStatus::Done,
            3,
        ),
        (
            "Proposer un stationnement réservé aux soignants à domicile",
            "Claire Fontaine",
            25,
            ActionStatus::ToDo,
            5,
        ),
        (
            "Faire le point avec la CPTS sur les soins non programmés",
            "Nathalie Roussel",
            -3,
            ActionStatus::ToDo,
            4,
        ),
        (
            "Mettre à jour la liste des médecins acceptant de nouveaux patients",
            "Jean Lebrun",
            40,
            ActionStatus::Dropped,
            2,
        ),
    ];
    for (title, owner, due, status, meeting) in actions {
        let id = bodies::save_action(
            &mut tx,
            &Reach::everything(),
            None,
            cos,
            &FollowUpForm {
                meeting_id: held.get(*meeting).copied(),
                title: (*title).into(),
                owner: (*owner).into(),
                owner_email: format!("{}@cos.bellerive.invalid", slug(owner)),
                due_on: days(today, *due).to_string(),
                status: status.code().into(),
                note: String::new(),
            },
            now,
        )
        .await?;
        let _ = id;
    }
    for (i, sg) in subgroup_ids.iter().enumerate() {
        bodies::save_action(
            &mut tx,
            &Reach::everything(),
            None,
            *sg,
            &FollowUpForm {
                meeting_id: None,
                title: format!("Remettre la note d'étape du sous-groupe {}", i + 1),
                owner: "Justine Morel".into(),
                owner_email: "justine-morel@cos.bellerive.invalid".into(),
                due_on: days(today, 15 * i as i64 - 20).to_string(),
                status: "en_cours".into(),
                note: String::new(),
            },
            now,
        )
        .await?;
    }
    summary.meetings += held.len() + 1;

    // The health–precarity watch network, after Grand Nancy's Lab' (S003:844-862).
    let lab = bodies::save_body(
        &mut tx,
        &Reach::everything(),
        None,
        &BodyForm {
            commune: owned(TERRITORY),
            kind: "reseau".into(),
            name: "Lab' santé solidarité précarité (fictif)".into(),
            purpose: "Encourager le partenariat ; repérer les dysfonctionnements de l'accès aux soins et interpeller les institutions ; sensibiliser et former les professionnels.".into(),
            parent_id: None,
            cadence_days: "120".into(),
            consultative: false,
            pilot: "Ville de Bellerive et association Accès droits santé solidarité (co-pilotage)".into(),
            since: days(today, -2000).to_string(),
            active: true,
        },
        now,
    )
    .await?;
    let lab_members: &[(&str, &str, &str, bool)] = &[
        (
            "Mme Justine Morel",
            "Coordinatrice du CLS",
            "coordination",
            true,
        ),
        (
            "M. Yanis Haddad",
            "Directeur de l'association Accès droits santé solidarité",
            "association",
            true,
        ),
        (
            "Mme Lucie Bertin",
            "Assistante sociale de la PASS",
            "etablissement",
            false,
        ),
        (
            "M. Olivier Raynal",
            "Responsable accès aux droits",
            "institution",
            false,
        ),
        (
            "Mme Fatou Diallo",
            "Médiatrice en santé",
            "association",
            false,
        ),
        (
            "Mme Agnès Kervella",
            "Responsable du CCAS",
            "service_municipal",
            false,
        ),
        (
            "Une personne accompagnée",
            "Personne concernée",
            "habitant",
            false,
        ),
        (
            "M. Rachid Meziane",
            "Éducateur de l'accueil de jour",
            "association",
            false,
        ),
        (
            "Dr Camille Roy",
            "Médecin généraliste",
            "professionnel_sante",
            false,
        ),
        (
            "Mme Sandrine Petit",
            "Bénévole de la Croix-Rouge",
            "association",
            false,
        ),
    ];
    for (name, function, kind, co_chair) in lab_members {
        bodies::save_member(
            &mut tx,
            &Reach::everything(),
            None,
            lab,
            &MemberForm {
                name: (*name).into(),
                function: (*function).into(),
                member_type: (*kind).into(),
                co_chair: *co_chair,
                ..Default::default()
            },
            now,
        )
        .await?;
    }
    let themes = [
        (-230, "Inclusion bancaire et lutte contre le surendettement"),
        (-110, "Dépistage du cancer du sein"),
        (10, "Permanence d'accès aux soins de santé"),
    ];
    for (day, theme) in themes {
        let id = bodies::save_meeting(
            &mut tx,
            &Reach::everything(),
            None,
            lab,
            &MeetingForm {
                title: format!("Rencontre thématique : {theme}"),
                starts_at: at(today, day, 9, 30),
                ends_at: at(today, day, 12, 0),
                place: "Centre social Centre-ville".into(),
                status: if day < 0 { "tenue".into() } else { "prevue".into() },
                agenda: format!("Thème retenu par les membres : {theme}.\nÉtude de cas, dysfonctionnements repérés, pistes de solution."),
                minutes: if day < 0 { format!("Rencontre sur le thème « {theme} ». Les partenaires présentent les situations rencontrées.") } else { String::new() },
            },
            now,
        )
        .await?;
        if day < 0 {
            bodies::add_decision(
                &mut tx,
                &Reach::everything(),
                id,
                &format!("Écrire aux institutions concernées sur le thème « {theme} »."),
                now,
            )
            .await?;
        }
        summary.meetings += 1;
    }
    summary.bodies += 2 + subgroup_ids.len();

    // The CLS steering committee and the CLSM.
    for (kind, name, cadence) in [
        (
            "comite_pilotage",
            "Comité de pilotage du contrat local de santé (fictif)",
            "180",
        ),
        ("clsm", "Conseil local de santé mentale (fictif)", "90"),
    ] {
        let id = bodies::save_body(
            &mut tx,
            &Reach::everything(),
            None,
            &BodyForm {
                kind: kind.into(),
                name: name.into(),
                cadence_days: cadence.into(),
                active: true,
                ..Default::default()
            },
            now,
        )
        .await?;
        bodies::save_meeting(
            &mut tx,
            &Reach::everything(),
            None,
            id,
            &MeetingForm {
                title: "Séance plénière".into(),
                starts_at: at(today, -200, 14, 0),
                place: "Hôtel d'agglomération".into(),
                status: "tenue".into(),
                ..Default::default()
            },
            now,
        )
        .await?;
        summary.bodies += 1;
        summary.meetings += 1;
    }
    tx.commit().await?;

    // Watch cases: situations, never persons.
    let cases: &[CaseSpec] = &[
        (
            "Refus de rendez-vous aux bénéficiaires de la complémentaire santé solidaire chez un spécialiste",
            "refus_de_soins",
            "Plusieurs personnes orientées par la PASS se voient refuser un rendez-vous dès qu'elles indiquent leur couverture.",
            -95,
            Some((0.4, 0.3)),
            "Médiation santé Bellerive",
            &[
                (WatchStatus::Assigned, "Accès droits santé solidarité"),
                (
                    WatchStatus::Interpellation,
                    "Caisse primaire d'assurance maladie",
                ),
            ],
        ),
        (
            "Délais de plus de six mois en ophtalmologie",
            "delais_rendez_vous",
            "Les enfants repérés au bilan scolaire attendent plus de six mois une consultation.",
            -70,
            Some((-0.6, 0.8)),
            "Centre social Rive Ouest",
            &[
                (WatchStatus::Assigned, "Coordination du CLS"),
                (WatchStatus::SolutionInProgress, ""),
            ],
        ),
        (
            "Personnes âgées sans médecin traitant après un départ en retraite",
            "medecin_traitant",
            "Le départ en retraite d'un médecin laisse des patients âgés du Val Fleuri sans médecin traitant.",
            -150,
            Some((-2.3, -2.1)),
            "Espace seniors (CLIC)",
            &[
                (WatchStatus::Assigned, "Centre municipal de santé"),
                (
                    WatchStatus::Resolved,
                    "Orientation vers le centre municipal de santé, qui les accepte comme patients.",
                ),
                (WatchStatus::Closed, ""),
            ],
        ),
        (
            "Interprétariat indisponible à la PASS le week-end",
            "interpretariat",
            "Sans interprète le samedi, des consultations sont reportées.",
            -40,
            Some((1.0, -0.4)),
            "Service d'interprétariat médico-social",
            &[(
                WatchStatus::Interpellation,
                "Direction du centre hospitalier",
            )],
        ),
        (
            "Rupture de droits à l'aide médicale de l'État au renouvellement",
            "droits_couverture",
            "Des renouvellements déposés à temps ne sont pas traités avant l'échéance.",
            -120,
            Some((2.2, 2.1)),
            "Accueil de jour La Passerelle",
            &[
                (WatchStatus::Assigned, "Accès droits santé solidarité"),
                (
                    WatchStatus::Resolved,
                    "Circuit de dépôt prioritaire convenu avec la CPAM.",
                ),
            ],
        ),
        (
            "Pas de transport vers l'hôpital depuis Les Hauts le matin",
            "mobilite_transport",
            "Le premier bus arrive après l'heure des consultations du matin.",
            -12,
            Some((2.6, 2.6)),
            "Centre social Les Hauts",
            &[],
        ),
        (
            "Démarches de complémentaire santé solidaire impossibles sans aide numérique",
            "demarches_numeriques",
            "Des personnes âgées renoncent à la demande en ligne.",
            -30,
            None,
            "Point d'accès aux démarches numériques",
            &[
                (
                    WatchStatus::Assigned,
                    "Point d'accès aux démarches numériques",
                ),
                (WatchStatus::SolutionInProgress, ""),
            ],
        ),
        (
            "Avance de frais demandée malgré le tiers payant",
            "reste_a_charge",
            "Une avance de frais est demandée en pharmacie à des personnes qui ont droit au tiers payant.",
            -5,
            Some((-0.3, -1.2)),
            "Centre communal d'action sociale",
            &[],
        ),
    ];
    let mut tx = net::begin(store, &Reach::everything()).await?;
    for (n, (title, category, description, observed, position, reported_by, steps)) in
        cases.iter().enumerate()
    {
        let (lon, lat) = position
            .map(|(x, y)| model::at(x, y))
            .map_or((String::new(), String::new()), |(a, b)| {
                (format!("{a:.6}"), format!("{b:.6}"))
            });
        let id = watch::create_case(
            &mut tx,
            &Reach::everything(),
            &CaseForm {
                // Cases without a place named in town are the neighbour's (the Lab' covers both).
                commune: owned(if position.is_none() && n % 2 == 1 {
                    NEIGHBOUR
                } else {
                    TOWN
                }),
                body_id: Some(lab),
                observed_on: days(today, *observed).to_string(),
                title: format!("{title} (fictif)"),
                description: (*description).into(),
                category: (*category).into(),
                public_concerned: "Personnes en situation de précarité".into(),
                place: position
                    .map(|_| "Bellerive-sur-Clain (fictive)".to_string())
                    .unwrap_or_default(),
                lon,
                lat,
                reported_by: format!("{reported_by} (fictif)"),
            },
            BY,
            now,
        )
        .await?;
        for (status, text) in *steps {
            let step = match status {
                WatchStatus::Assigned => Step {
                    assignee: Some((*text).into()),
                    ..Default::default()
                },
                WatchStatus::Resolved => Step {
                    solution: Some((*text).into()),
                    ..Default::default()
                },
                WatchStatus::Interpellation => Step {
                    institution: Some((*text).into()),
                    ..Default::default()
                },
                _ => Step::default(),
            };
            watch::step(
                &mut tx,
                &Reach::everything(),
                id,
                *status,
                &step,
                "",
                BY,
                now,
            )
            .await?;
        }
        summary.watch_cases += 1;
    }
    tx.commit().await?;

    // The Contrat local de santé, second generation, with the four axes of the Pays de Morlaix (S004:118-123).
    let mut tx = net::begin(store, &Reach::everything()).await?;
    let start = Date::new(today.year() - 2, 1, 1).unwrap_or(today);
    let contract = cls::save_contract(
        &mut tx,
        &Reach::everything(),
        None,
        &ContractForm {
            // Signed with the agglomération: an intercommunal contract of the whole territory.
            commune: owned(TERRITORY),
            name: "Contrat local de santé de Bellerive-sur-Clain (fictif)".into(),
            generation: "2".into(),
            starts_on: start.to_string(),
            ends_on: days(Date::new(start.year() + 5, 1, 1).unwrap_or(start), -1).to_string(),
            territory: "Bellerive-sur-Clain et communauté d'agglomération du Clain (fictives)".into(),
            status: "en_vigueur".into(),
            signed_on: days(start, 73).to_string(),
            summary: "Outil de mobilisation des acteurs, de démocratie sanitaire et de déclinaison des politiques de santé sur le territoire, porté par la Ville et l'ARS.".into(),
        },
        now,
    )
    .await?;
    for name in [
        "Agence régionale de santé (délégation départementale, fictive)",
        "Préfecture (fictive)",
        "Caisse primaire d'assurance maladie (fictive)",
        "Ville de Bellerive-sur-Clain (fictive)",
        "Communauté d'agglomération du Clain (fictive)",
        "Conseil départemental (fictif)",
        "Centre hospitalier de Bellerive (fictif)",
        "CPTS du Clain (fictive)",
    ] {
        cls::add_signatory(
            &mut tx,
            &Reach::everything(),
            contract,
            name,
            "",
            &days(start, 73).to_string(),
        )
        .await?;
    }
    let axes: &[AxisSpec] = &[
        (
            "La prévention et la promotion de la santé",
            &[
                (
                    "Développer le dépistage organisé des cancers dans les quartiers prioritaires",
                    &[
                        (
                            "1.1.1",
                            "Unité mobile de dépistage au pied des immeubles",
                            "Ville de Bellerive",
                            "Habitants des QPV",
                            "QPV Les Hauts et Val Fleuri",
                            38_000.0,
                            "en_cours",
                            "existante",
                            &[(
                                "Taux de participation au dépistage du cancer du sein dans les QPV",
                                "resultat",
                                "%",
                                38.0,
                                50.0,
                                &[(-500, 39.5), (-130, 42.0)],
                                "",
                            )],
                        ),
                        (
                            "1.1.2",
                            "Former les médiateurs en santé aux dépistages",
                            "Médiation santé Bellerive",
                            "Médiateurs en santé",
                            "Commune",
                            6_000.0,
                            "realisee",
                            "nouvelle",
                            &[(
                                "Médiateurs formés",
                                "processus",
                                "personnes",
                                0.0,
                                6.0,
                                &[(-300, 6.0)],
                                "",
                            )],
                        ),
                    ],
                ),
                (
                    "Promouvoir l'activité physique et une alimentation favorable à la santé",
                    &[
                        (
                            "1.2.1",
                            "Sport sur ordonnance à la maison sport-santé",
                            "Maison sport-santé",
                            "Adultes atteints de maladies chroniques",
                            "Commune",
                            22_000.0,
                            "en_cours",
                            "existante",
                            &[(
                                "Personnes accompagnées par an",
                                "processus",
                                "personnes",
                                40.0,
                                120.0,
                                &[(-400, 65.0), (-40, 98.0)],
                                "",
                            )],
                        ),
                        (
                            "1.2.2",
                            "Ateliers cuisine et petit budget",
                            "Épicerie solidaire",
                            "Familles en situation de précarité",
                            "Quartier Val Fleuri",
                            4_500.0,
                            "a_lancer",
                            "nouvelle",
                            &[],
                        ),
                    ],
                ),
            ],
        ),
        (
            "L'accès aux soins",
            &[
                (
                    "Attirer et installer des professionnels de santé",
                    &[
                        (
                            "2.1.1",
                            "Accueil et logement des internes",
                            "Ville de Bellerive",
                            "Internes en médecine générale",
                            "Commune",
                            15_000.0,
                            "en_cours",
                            "nouvelle",
                            &[(
                                "Internes accueillis par an",
                                "processus",
                                "internes",
                                2.0,
                                8.0,
                                &[(-380, 3.0), (-20, 5.0)],
                                "",
                            )],
                        ),
                        (
                            "2.1.2",
                            "Maison de santé pluriprofessionnelle des Hauts",
                            "Ville de Bellerive, ARS et CPAM",
                            "Habitants des Hauts",
                            "QPV Les Hauts",
                            450_000.0,
                            "en_cours",
                            "existante",
                            &[(
                                "Médecins généralistes pour 10 000 habitants (commune)",
                                "resultat",
                                "pour 10 000 hab.",
                                7.2,
                                8.5,
                                &[(-420, 7.3), (-60, 7.6)],
                                "densite_10000|medecin_generaliste|commune|99101",
                            )],
                        ),
                    ],
                ),
                (
                    "Garantir un médecin traitant et des soins sans avance de frais",
                    &[
                        (
                            "2.2.1",
                            "Centre municipal de santé : ouverture le samedi",
                            "Ville de Bellerive",
                            "Personnes sans médecin traitant",
                            "Commune",
                            85_000.0,
                            "realisee",
                            "nouvelle",
                            &[(
                                "Part des patients sans médecin traitant",
                                "resultat",
                                "%",
                                14.0,
                                9.0,
                                &[(-500, 13.1), (-100, 11.2)],
                                "",
                            )],
                        ),
                        (
                            "2.2.2",
                            "Orienter les personnes sans médecin traitant",
                            "CPAM",
                            "Personnes sans médecin traitant",
                            "Commune",
                            0.0,
                            "en_cours",
                            "existante",
                            &[(
                                "Demandes d'orientation traitées dans le mois",
                                "processus",
                                "%",
                                40.0,
                                80.0,
                                &[(-200, 61.0)],
                                "",
                            )],
                        ),
                    ],
                ),
            ],
        ),
        (
            "L'accompagnement des populations vulnérables et des aidants",
            &[
                (
                    "Rapprocher du soin les personnes en situation de précarité",
                    &[
                        (
                            "3.1.1",
                            "Médiation en santé dans les quartiers prioritaires",
                            "Médiation santé Bellerive",
                            "Habitants des QPV, personnes migrantes",
                            "QPV Les Hauts et Val Fleuri",
                            60_000.0,
                            "en_cours",
                            "existante",
                            &[(
                                "Personnes accompagnées vers l'ouverture de droits",
                                "resultat",
                                "personnes",
                                120.0,
                                300.0,
                                &[(-450, 150.0), (-90, 240.0)],
                                "",
                            )],
                        ),
                        (
                            "3.1.2",
                            "Réseau de veille santé précarité",
                            "Ville et Accès droits santé solidarité",
                            "Personnes en situation de précarité",
                            "Agglomération",
                            12_000.0,
                            "en_cours",
                            "existante",
                            &[(
                                "Dysfonctionnements traités (résolus ou portés aux institutions)",
                                "processus",
                                "%",
                                50.0,
                                80.0,
                                &[(-30, 62.5)],
                                "",
                            )],
                        ),
                    ],
                ),
                (
                    "Soutenir les aidants",
                    &[
                        (
                            "3.2.1",
                            "Groupes de parole et répit des aidants",
                            "Association d'aide aux aidants",
                            "Aidants",
                            "Agglomération",
                            9_000.0,
                            "reportee",
                            "existante",
                            &[],
                        ),
                        (
                            "3.2.2",
                            "Guide des aides aux aidants",
                            "CCAS",
                            "Aidants",
                            "Commune",
                            2_000.0,
                            "realisee",
                            "nouvelle",
                            &[],
                        ),
                    ],
                ),
            ],
        ),
        (
            "L'innovation et la participation citoyenne",
            &[
                (
                    "Associer les habitants aux décisions de santé",
                    &[
                        (
                            "4.1.1",
                            "Ambassadeurs santé dans chaque quartier",
                            "Ville de Bellerive",
                            "Habitants volontaires",
                            "Cinq quartiers",
                            8_000.0,
                            "en_cours",
                            "nouvelle",
                            &[(
                                "Ambassadeurs santé actifs",
                                "processus",
                                "personnes",
                                0.0,
                                25.0,
                                &[(-300, 9.0), (-30, 17.0)],
                                "",
                            )],
                        ),
                        (
                            "4.1.2",
                            "Conseil citoyen de santé",
                            "Ville de Bellerive",
                            "Habitants",
                            "Commune",
                            3_000.0,
                            "a_lancer",
                            "en_perspective",
                            &[],
                        ),
                    ],
                ),
                (
                    "Innover dans l'organisation des soins",
                    &[(
                        "4.2.1",
                        "Téléconsultation accompagnée en pharmacie",
                        "CPTS du Clain",
                        "Personnes sans médecin traitant",
                        "Quartiers Les Hauts et Val Fleuri",
                        18_000.0,
                        "abandonnee",
                        "nouvelle",
                        &[],
                    )],
                ),
            ],
        ),
    ];
    let mut fiche_ids = Vec::new();
    for (axis_title, objectives) in axes {
        let axis = cls::save_axis(
            &mut tx,
            &Reach::everything(),
            None,
            contract,
            axis_title,
            "",
        )
        .await?;
        for (objective_title, fiches) in *objectives {
            let objective =
                cls::save_objective(&mut tx, &Reach::everything(), None, axis, objective_title)
                    .await?;
            for (number, title, pilot, public, territory, budget, status, nature, indicators) in
                *fiches
            {
                let fiche = cls::save_fiche(
                    &mut tx,
                    &Reach::everything(),
                    None,
                    objective,
                    &FicheForm {
                        number: (*number).into(),
                        title: (*title).into(),
                        description: String::new(),
                        pilot: (*pilot).into(),
                        copilots: if number.starts_with('2') {
                            "ARS, CPAM".into()
                        } else {
                            String::new()
                        },
                        partners: "Centres sociaux, CPTS du Clain, associations du réseau".into(),
                        target_public: (*public).into(),
                        territory: (*territory).into(),
                        budget: if *budget > 0.0 {
                            budget.to_string()
                        } else {
                            String::new()
                        },
                        starts_on: days(start, 90).to_string(),
                        ends_on: days(start, 365 * 4).to_string(),
                        status: (*status).into(),
                        nature: (*nature).into(),
                    },
                    BY,
                    now,
                )
                .await?;
                summary.fiches += 1;
                fiche_ids.push((fiche, *number));
                if *budget > 0.0 {
                    cls::add_funder(
                        &mut tx,
                        &Reach::everything(),
                        fiche,
                        "Agence régionale de santé (FIR)",
                        &(budget * 0.5).to_string(),
                    )
                    .await?;
                    cls::add_funder(
                        &mut tx,
                        &Reach::everything(),
                        fiche,
                        "Ville de Bellerive",
                        &(budget * 0.5).to_string(),
                    )
                    .await?;
                }
                for (label, kind, unit, baseline, target, measures, link) in *indicators {
                    let indicator = cls::save_indicator(
                        &mut tx,
                        &Reach::everything(),
                        None,
                        fiche,
                        &IndicatorForm {
                            kind: (*kind).into(),
                            label: (*label).into(),
                            unit: (*unit).into(),
                            baseline: baseline.to_string(),
                            baseline_on: start.to_string(),
                            target: target.to_string(),
                            target_on: days(Date::new(start.year() + 5, 1, 1).unwrap_or(start), -1)
                                .to_string(),
                            source: if link.is_empty() {
                                "Bilan annuel de la fiche (fictif)".into()
                            } else {
                                "Observatoire Maillage".into()
                            },
                            observatory: (*link).into(),
                        },
                    )
                    .await?;
                    summary.indicators += 1;
                    for (day, v) in *measures {
                        cls::add_measure(
                            &mut tx,
                            &Reach::everything(),
                            indicator,
                            &days(today, *day).to_string(),
                            &v.to_string(),
                            "Relevé de la coordination (fictif)",
                            "",
                            BY,
                            now,
                        )
                        .await?;
                    }
                }
            }
        }
    }
    // Funding and its reports: one due soon, one late, one sent.
    let fiche = |n: &str| fiche_ids.iter().find(|(_, x)| *x == n).map(|(id, _)| *id);
    let fundings: &[FundingSpec] = &[
        (
            "Médiation en santé dans les QPV",
            "Agence régionale de santé",
            "fir",
            45_000.0,
            "accorde",
            Some("3.1.1"),
            &[
                ("Bilan intermédiaire", 20, None),
                ("Bilan final", 380, None),
            ],
        ),
        (
            "Ateliers cuisine et petit budget",
            "Préfecture — contrat de ville",
            "contrat_de_ville",
            4_500.0,
            "accorde",
            Some("1.2.2"),
            &[("Bilan de l'action", -10, None)],
        ),
        (
            "Accueil des internes",
            "Conseil départemental",
            "appel_a_projets",
            15_000.0,
            "depose",
            Some("2.1.1"),
            &[],
        ),
        (
            "Sport sur ordonnance",
            "Caisse primaire d'assurance maladie",
            "subvention",
            11_000.0,
            "accorde",
            Some("1.2.1"),
            &[("Bilan annuel", -60, Some(-65))],
        ),
    ];
    for (title, funder, scheme, amount, status, fiche_number, reports) in fundings {
        let funding = cls::save_funding(
            &mut tx,
            &Reach::everything(),
            None,
            contract,
            &FundingForm {
                fiche_id: fiche_number.and_then(&fiche),
                funder: format!("{funder} (fictif)"),
                scheme: (*scheme).into(),
                title: (*title).into(),
                requested: amount.to_string(),
                granted: if *status == "accorde" {
                    amount.to_string()
                } else {
                    String::new()
                },
                status: (*status).into(),
                applied_on: days(today, -300).to_string(),
                decided_on: if *status == "accorde" {
                    days(today, -240).to_string()
                } else {
                    String::new()
                },
                period_start: days(today, -240).to_string(),
                period_end: days(today, 125).to_string(),
            },
            now,
        )
        .await?;
        for (label, due, submitted) in *reports {
            let r = cls::add_report(
                &mut tx,
                &Reach::everything(),
                funding,
                label,
                &days(today, *due).to_string(),
            )
            .await?;
            if let Some(s) = submitted {
                cls::submit_report(
                    &mut tx,
                    &Reach::everything(),
                    r,
                    &days(today, *s).to_string(),
                )
                .await?;
            }
        }
    }
    // Démocratie en santé.
    let consultations: &[(&str, &str, i64, i64, &str, &str)] = &[
        (
            "consultation",
            "Concertation des habitants sur la maison de santé des Hauts",
            -420,
            54,
            "Aménagement de l'accueil, horaires, espace de prévention.",
            "Salle d'attente repensée, espace prévention confié aux associations du quartier.",
        ),
        (
            "atelier_participatif",
            "Atelier : priorités de santé du Val Fleuri",
            -160,
            23,
            "Accès aux spécialistes, santé mentale des jeunes, transport vers l'hôpital.",
            "Trois priorités inscrites au bilan à mi-parcours du CLS.",
        ),
        (
            "diagnostic_partage",
            "Diagnostic partagé du contrat local de santé",
            -800,
            80,
            "Diagnostic présenté aux habitants, partenaires et élus.",
            "Les quatre axes du contrat retenus avec des critères de décision collectifs.",
        ),
        (
            "initiative_habitants",
            "Marche santé hebdomadaire des habitants des Hauts",
            -60,
            15,
            "Initiative d'habitantes relayée par le centre social.",
            "Soutien du CLS : matériel et communication.",
        ),
    ];
    for (n, (kind, title, day, participants, summary_text, outcomes)) in
        consultations.iter().enumerate()
    {
        democracy::save_consultation(
            &mut tx,
            &Reach::everything(),
            None,
            &ConsultationForm {
                commune: owned(if n % 3 == 2 { NEIGHBOUR } else { TOWN }),
                kind: (*kind).into(),
                title: format!("{title} (fictif)"),
                held_on: days(today, *day).to_string(),
                place: "Bellerive-sur-Clain (fictive)".into(),
                participants: participants.to_string(),
                public_concerned: "Habitants".into(),
                body_id: None,
                contract_id: Some(contract),
                summary: (*summary_text).into(),
                outcomes: (*outcomes).into(),
            },
            BY,
            now,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(summary)
}

//! The directory's actors of the network demonstration, as data: about 40 structures, services and associations
//! of the fictional town, each with what it offers (themes, publics, missions, conditions, hours, ages, languages)
//! and whether it shows in the public directory. `actors.rs` writes them; keeping the list apart keeps the code
//! that writes it short.

/// An actor of the directory: what it offers, to whom and when, and whether the public directory shows it.
pub(super) struct Spec {
    pub kind: &'static str,
    pub name: &'static str,
    pub themes: &'static str,
    pub publics: &'static str,
    pub missions: &'static str,
    pub conditions: &'static str,
    pub hours: &'static str,
    pub appointment: &'static str,
    pub cost: &'static str,
    pub ages: (Option<i64>, Option<i64>),
    pub languages: &'static str,
    pub public: bool,
}

/// An actor open on weekdays, to every age, in French, shown in the public directory.
pub(super) const fn spec(
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

/// The actors of the directory, each in its own quartier (by rank) and commune (every fourth the neighbour's).
pub(super) const ACTORS: &[Spec] = &[
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
];

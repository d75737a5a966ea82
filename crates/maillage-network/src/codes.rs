//! The stable codes of the module. Their French labels are in `maillage-messages` (`network.rs`).

use crate::coded;

coded! {
    /// What an entry of the directory is.
    pub enum ActorKind {
        Structure => "structure",
        Professional => "professionnel",
        Association => "association",
        Service => "service",
    }
}

coded! {
    /// Who may see a directory entry: everyone (the public directory) or the commune's staff only.
    pub enum Visibility {
        Public => "publique",
        Internal => "interne",
    }
}

coded! {
    pub enum Appointment {
        WithAppointment => "avec_rdv",
        WithoutAppointment => "sans_rdv",
        Either => "avec_ou_sans_rdv",
    }
}

coded! {
    pub enum Cost {
        Free => "gratuit",
        Paid => "payant",
        DependsOnSituation => "selon_situation",
    }
}

coded! {
    /// Needs a directory entry answers (the "besoin" of the public search), and themes of the network.
    pub enum Theme {
        PrimaryCare => "soins_premier_recours",
        MentalHealth => "sante_mentale",
        Rights => "acces_aux_droits",
        Prevention => "prevention_depistage",
        Addictions => "addictions",
        SexualHealth => "sante_sexuelle",
        Precarity => "precarite",
        Perinatal => "perinatalite",
        Disability => "handicap",
        Ageing => "personnes_agees",
        Carers => "aidants",
        Violence => "violences",
        Mediation => "mediation_interpretariat",
        PhysicalActivity => "activite_physique_nutrition",
        Emergency => "urgences",
    }
}

coded! {
    /// The publics an entry is for.
    pub enum Public {
        Everyone => "tout_public",
        Children => "enfants",
        Young => "jeunes",
        Families => "familles",
        Women => "femmes",
        Elderly => "personnes_agees",
        Disabled => "personnes_handicapees",
        Precarious => "personnes_precaires",
        Migrants => "personnes_migrantes",
        Carers => "aidants",
        Professionals => "professionnels",
    }
}

coded! {
    /// Languages spoken at the reception (ISO 639 codes; `lsf`: langue des signes française).
    pub enum Language {
        French => "fr",
        English => "en",
        Arabic => "ar",
        Spanish => "es",
        Portuguese => "pt",
        Italian => "it",
        German => "de",
        Turkish => "tr",
        Romanian => "ro",
        Russian => "ru",
        Ukrainian => "uk",
        Chinese => "zh",
        Tamazight => "ber",
        Wolof => "wo",
        SignLanguage => "lsf",
    }
}

coded! {
    /// Kinds of bodies (instances de concertation).
    pub enum BodyKind {
        LocalHealthCouncil => "conseil_local_sante",
        Cos => "cos",
        Clasp => "clasp",
        Clsm => "clsm",
        SteeringCommittee => "comite_pilotage",
        Commission => "commission",
        SubGroup => "sous_groupe",
        Network => "reseau",
        Other => "autre",
    }
}

coded! {
    /// What a member of a body represents.
    pub enum MemberType {
        Elected => "elu",
        Institution => "institution",
        Establishment => "etablissement",
        HealthProfessional => "professionnel_sante",
        ProfessionBody => "representant_profession",
        UsersRepresentative => "representant_usagers",
        Inhabitant => "habitant",
        Association => "association",
        MunicipalService => "service_municipal",
        Coordination => "coordination",
        Expert => "expert",
        Other => "autre",
    }
}

coded! {
    pub enum MeetingStatus {
        Planned => "prevue",
        Held => "tenue",
        Cancelled => "annulee",
    }
}

coded! {
    pub enum Attendance {
        Present => "present",
        Represented => "represente",
        Excused => "excuse",
        Absent => "absent",
    }
}

coded! {
    /// Status of a follow-up action decided in a meeting.
    pub enum ActionStatus {
        ToDo => "a_faire",
        InProgress => "en_cours",
        Done => "faite",
        Dropped => "abandonnee",
    }
}

impl ActionStatus {
    /// Still expected from its owner.
    pub fn is_open(self) -> bool {
        matches!(self, ActionStatus::ToDo | ActionStatus::InProgress)
    }
}

coded! {
    /// What kind of dysfunction in access to care a watch case reports.
    pub enum WatchCategory {
        CareRefusal => "refus_de_soins",
        Delays => "delais_rendez_vous",
        Rights => "droits_couverture",
        NoGp => "medecin_traitant",
        Interpreting => "interpretariat",
        Mobility => "mobilite_transport",
        Digital => "demarches_numeriques",
        Pass => "pass_hopital",
        Costs => "reste_a_charge",
        Other => "autre",
    }
}

coded! {
    /// Where a watch case stands (see [`crate::watch`]).
    pub enum WatchStatus {
        Reported => "signale",
        Assigned => "attribue",
        SolutionInProgress => "solution_en_cours",
        Interpellation => "interpellation",
        Resolved => "resolu",
        Closed => "clos",
    }
}

coded! {
    pub enum ClsStatus {
        Preparation => "preparation",
        InForce => "en_vigueur",
        Evaluation => "en_evaluation",
        Closed => "clos",
    }
}

coded! {
    /// Status of a fiche action.
    pub enum FicheStatus {
        NotStarted => "a_lancer",
        InProgress => "en_cours",
        Done => "realisee",
        Postponed => "reportee",
        Dropped => "abandonnee",
    }
}

coded! {
    /// Existing, new or future action (beyond the contract's term), as fiches say.
    pub enum FicheNature {
        Existing => "existante",
        New => "nouvelle",
        Future => "en_perspective",
    }
}

coded! {
    pub enum IndicatorKind {
        Process => "processus",
        Result => "resultat",
    }
}

coded! {
    pub enum FundingScheme {
        CallForProjects => "appel_a_projets",
        Grant => "subvention",
        Fir => "fir",
        CityContract => "contrat_de_ville",
        Cpom => "cpom",
        Other => "autre",
    }
}

coded! {
    pub enum FundingStatus {
        Planned => "prevu",
        Submitted => "depose",
        Granted => "accorde",
        Refused => "refuse",
        Settled => "solde",
    }
}

coded! {
    /// Démocratie en santé: how inhabitants or users took part.
    pub enum ConsultationKind {
        Consultation => "consultation",
        Workshop => "atelier_participatif",
        Survey => "enquete",
        PublicMeeting => "reunion_publique",
        SharedDiagnosis => "diagnostic_partage",
        Initiative => "initiative_habitants",
    }
}

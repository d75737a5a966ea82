//! French wording of the network and CLS module: its errors (which never quote personal values) and the labels
//! of its codes (kinds of actors, needs, publics, languages, bodies, members, statuses...), for screens,
//! exports and the command line.

use crate::{Cut, French};
use maillage_network::codes::*;
use maillage_network::reminders::{Cadence, Due};
use maillage_network::{CsvProblem, NetworkError};
use maillage_store::network::Refusal;

/// The French name of a field of the module (fields are named by stable slugs in errors).
pub fn field_label(field: &str) -> &str {
    match field {
        "identifiant" => "identifiant",
        "type" => "type",
        "nom" => "nom",
        "missions" => "missions",
        "missions_specifiques" => "missions spécifiques",
        "public_cible" => "public cible",
        "conditions_acces" => "conditions d'accès",
        "adresse" => "adresse",
        "code_postal" => "code postal",
        "commune" => "commune",
        "telephone" => "téléphone",
        "courriel" => "adresse électronique",
        "site_web" => "site web",
        "horaires" => "horaires",
        "rendez_vous" => "rendez-vous",
        "tarif" => "tarif",
        "age_min" => "âge minimal",
        "age_max" => "âge maximal",
        "langues" => "langues",
        "besoins" => "besoins et thèmes",
        "publics" => "publics",
        "territoire" => "territoire",
        "accessible_pmr" => "accessibilité aux personnes à mobilité réduite",
        "visibilite" => "visibilité",
        "longitude" => "longitude",
        "latitude" => "latitude",
        "fonction" => "fonction",
        "serveur" => "serveur SMTP",
        "port" => "port",
        "utilisateur" => "utilisateur",
        "expediteur" => "adresse de l'expéditeur",
        "nom_expediteur" => "nom de l'expéditeur",
        "adresse_publique" => "adresse publique du site",
        "description" => "description",
        "objet" => "objet",
        "texte" => "texte",
        "cadence" => "fréquence des réunions (jours)",
        "pilote" => "pilote",
        "depuis" => "date de début",
        "parent" => "instance de rattachement",
        "type_membre" => "type de membre",
        "jusqu_au" => "date de fin",
        "mandat" => "mandat",
        "titre" => "titre",
        "debut" => "début",
        "fin" => "fin",
        "lieu" => "lieu",
        "statut" => "statut",
        "ordre_du_jour" => "ordre du jour",
        "compte_rendu" => "compte rendu",
        "auteur" => "auteur",
        "question" => "question",
        "reponse" => "réponse",
        "decision" => "décision",
        "action" => "action",
        "responsable" => "responsable",
        "courriel_responsable" => "adresse électronique du responsable",
        "echeance" => "échéance",
        "note" => "note",
        "date_observation" => "date de l'observation",
        "categorie" => "catégorie",
        "public_concerne" => "public concerné",
        "signale_par" => "signalé par",
        "attribution" => "attribution",
        "solution" => "solution",
        "institution" => "institution interpellée",
        "generation" => "génération",
        "periode" => "période",
        "presentation" => "présentation",
        "signature" => "date de signature",
        "signataire" => "signataire",
        "represente_par" => "représenté par",
        "numero" => "numéro",
        "copilotes" => "copilotes",
        "partenaires" => "partenaires",
        "budget" => "budget",
        "calendrier" => "calendrier",
        "financeur" => "financeur",
        "montant" => "montant",
        "libelle" => "libellé",
        "unite" => "unité",
        "valeur_reference" => "valeur de référence",
        "date_reference" => "date de référence",
        "cible" => "valeur cible",
        "date_cible" => "date cible",
        "source" => "source",
        "observatoire" => "indicateur de l'observatoire",
        "date_mesure" => "date de la mesure",
        "valeur" => "valeur",
        "dispositif" => "dispositif",
        "intitule" => "intitulé",
        "montant_demande" => "montant demandé",
        "montant_accorde" => "montant accordé",
        "date_depot" => "date de dépôt",
        "date_decision" => "date de décision",
        "bilan" => "bilan",
        "date_envoi" => "date d'envoi",
        "date" => "date",
        "participants" => "nombre de participants",
        "synthese" => "synthèse",
        "suites" => "suites données",
        "liste" => "liste",
        other => other,
    }
}

fn day(d: &maillage_network::Date) -> String {
    d.strftime("%d/%m/%Y").to_string()
}

impl French for NetworkError {
    fn french(&self) -> String {
        match self {
            NetworkError::Field(maillage_network::FieldError::MissingField { field }) => {
                format!("le champ « {} » est obligatoire", field_label(field))
            }
            NetworkError::Field(maillage_network::FieldError::InvalidField { field, expected }) => {
                format!(
                    "le champ « {} » n'est pas valide : {expected} attendu",
                    field_label(field)
                )
            }
            NetworkError::Field(maillage_network::FieldError::TooLong { field, max }) => format!(
                "le champ « {} » dépasse {max} caractères",
                field_label(field)
            ),
            NetworkError::UnknownCode { field } => crate::choose_in_list(field_label(field)),
            NetworkError::InvertedRange { field, low, high } => format!(
                "« {} » ({low}) est supérieur à la borne haute ({high}) : vérifiez les deux valeurs",
                field_label(field),
                low = Cut(low),
                high = Cut(high)
            ),
            NetworkError::CsvLine {
                line,
                column,
                problem,
            } => {
                format!(
                    "ligne {line}, colonne « {column} » : {}",
                    problem.french(),
                    column = Cut(column)
                )
            }
            NetworkError::CsvMissingColumn(c) => {
                format!(
                    "le fichier n'a pas de colonne « {c} » : la première ligne doit nommer les colonnes",
                    c = Cut(c)
                )
            }
            NetworkError::CsvUnknownColumn(c) => format!(
                "la colonne « {c} » est inconnue : utilisez les noms de colonnes de l'export de l'annuaire \
                 (identifiant, type, nom, missions…)",
                c = Cut(c)
            ),
            NetworkError::CsvUnreadable { line, reason } => {
                let reason = match reason {
                    CsvProblem::Header(words) => Cut(words).to_string(),
                    CsvProblem::ColumnCount { found, expected } => {
                        format!("{found} colonnes au lieu de {expected}")
                    }
                    CsvProblem::Unreadable => "ligne illisible".into(),
                };
                format!(
                    "le fichier est illisible à la ligne {line} ({reason}) : enregistrez-le au format CSV"
                )
            }
            NetworkError::CsvDuplicateKey { key, first, second } => {
                format!(
                    "l'identifiant « {key} » figure deux fois (lignes {first} et {second})",
                    key = Cut(key)
                )
            }
            NetworkError::CsvEmpty => "le fichier ne contient aucune fiche".into(),
            NetworkError::Transition { from, to } => format!(
                "un signalement « {} » ne peut pas passer directement à « {} »",
                from.french().to_lowercase(),
                to.french().to_lowercase()
            ),
            NetworkError::StepNeeds(what) => match *what {
                "attribution" => {
                    "indiquez à qui le signalement est attribué (personne ou partenaire)".into()
                }
                "solution" => {
                    "décrivez la solution trouvée pour clore la situation comme résolue".into()
                }
                "institution" => {
                    "indiquez l'institution interpellée (ARS, CPAM, préfecture…)".into()
                }
                other => format!("cette étape demande : {other}"),
            },
            // The form shows a « Début » and a « Fin », never the name the rule gives the pair.
            NetworkError::PeriodInverted {
                field: _,
                start,
                end,
            } => format!(
                "la date de fin ({}) est antérieure à la date de début ({}) : vérifiez les deux dates",
                day(end),
                day(start)
            ),
        }
    }
}

impl French for Refusal {
    fn french(&self) -> String {
        match self {
            Refusal::Duplicate { what } => format!(
                "ce {} est déjà utilisé : choisissez-en un autre",
                field_label(what)
            ),
            Refusal::Unsubscribed { .. } => {
                "ce contact s'est désinscrit de cette liste par son lien de désinscription : \
                 seule sa demande peut l'y réinscrire"
                    .into()
            }
            Refusal::Mismatch { what, id } => format!("{what} n° {id} ne relève pas de cet élément"),
            Refusal::OutOfReach { commune: Some(code) } => format!(
                "la commune {} n'est pas parmi celles de votre compte : choisissez l'une de vos communes",
                maillage_formats::text::cut(code, 80)
            ),
            Refusal::OutOfReach { commune: None } => {
                "seul un compte couvrant toutes les communes peut rattacher un élément à tout le territoire : \
                 choisissez l'une de vos communes"
                    .into()
            }
        }
    }
}

impl French for Due {
    fn french(&self) -> String {
        match *self {
            Due::Overdue { days: 1 } => "en retard d'un jour".into(),
            Due::Overdue { days } => format!("en retard de {days} jours"),
            Due::Soon { days: 0 } => "échéance aujourd'hui".into(),
            Due::Soon { days: 1 } => "échéance demain".into(),
            Due::Soon { days } => format!("échéance dans {days} jours"),
        }
    }
}

impl French for Cadence {
    fn french(&self) -> String {
        match self {
            Cadence::Late { expected, days } => format!(
                "aurait dû se réunir le {} (retard de {days} jour{}) et aucune réunion n'est prévue",
                day(expected),
                if *days > 1 { "s" } else { "" }
            ),
            Cadence::ToSchedule { expected } => {
                format!(
                    "prochaine réunion attendue vers le {} : à programmer",
                    day(expected)
                )
            }
        }
    }
}

labels! {
    ActorKind { Structure => "Structure", Professional => "Professionnel(le)", Association => "Association", Service => "Service", }
    Visibility { Public => "Publique (annuaire public)", Internal => "Interne", }
    Appointment { WithAppointment => "Sur rendez-vous", WithoutAppointment => "Sans rendez-vous", Either => "Avec ou sans rendez-vous", }
    Cost { Free => "Gratuit", Paid => "Payant", DependsOnSituation => "Selon la situation", }
    Theme {
        PrimaryCare => "Soins de premier recours",
        MentalHealth => "Santé mentale, écoute",
        Rights => "Accès aux droits, couverture santé",
        Prevention => "Prévention, dépistage, vaccination",
        Addictions => "Addictions",
        SexualHealth => "Santé sexuelle, contraception",
        Precarity => "Précarité, aide alimentaire",
        Perinatal => "Grossesse, petite enfance",
        Disability => "Handicap",
        Ageing => "Vieillissement, autonomie",
        Carers => "Aide aux aidants",
        Violence => "Violences, aide aux victimes",
        Mediation => "Médiation en santé, interprétariat",
        PhysicalActivity => "Activité physique, nutrition",
        Emergency => "Urgences, soins non programmés",
    }
    Public {
        Everyone => "Tout public",
        Children => "Enfants",
        Young => "Adolescents et jeunes",
        Families => "Familles, parents",
        Women => "Femmes",
        Elderly => "Personnes âgées",
        Disabled => "Personnes en situation de handicap",
        Precarious => "Personnes en situation de précarité",
        Migrants => "Personnes migrantes",
        Carers => "Aidants",
        Professionals => "Professionnels",
    }
    Language {
        French => "Français",
        English => "Anglais",
        Arabic => "Arabe",
        Spanish => "Espagnol",
        Portuguese => "Portugais",
        Italian => "Italien",
        German => "Allemand",
        Turkish => "Turc",
        Romanian => "Roumain",
        Russian => "Russe",
        Ukrainian => "Ukrainien",
        Chinese => "Chinois",
        Tamazight => "Tamazight (berbère)",
        Wolof => "Wolof",
        SignLanguage => "Langue des signes française",
    }
    BodyKind {
        LocalHealthCouncil => "Conseil local de santé",
        Cos => "Conseil d'organisation de la santé (COS)",
        Clasp => "Conseil local d'appui en santé publique (CLASP)",
        Clsm => "Conseil local de santé mentale (CLSM)",
        SteeringCommittee => "Comité de pilotage",
        Commission => "Commission",
        SubGroup => "Sous-groupe de travail",
        Network => "Réseau",
        Other => "Autre instance",
    }
    MemberType {
        Elected => "Élu(e)",
        Institution => "Institution (ARS, CPAM, État…)",
        Establishment => "Établissement de santé",
        HealthProfessional => "Professionnel(le) de santé",
        ProfessionBody => "Représentant d'une profession (Ordre, URPS, CPTS)",
        UsersRepresentative => "Représentant des usagers",
        Inhabitant => "Habitant(e)",
        Association => "Association",
        MunicipalService => "Service municipal",
        Coordination => "Coordination (CLS, ASV, CLSM)",
        Expert => "Personne qualifiée",
        Other => "Autre",
    }
    MeetingStatus { Planned => "Prévue", Held => "Tenue", Cancelled => "Annulée", }
    Attendance { Present => "Présent(e)", Represented => "Représenté(e)", Excused => "Excusé(e)", Absent => "Absent(e)", }
    ActionStatus { ToDo => "À faire", InProgress => "En cours", Done => "Faite", Dropped => "Abandonnée", }
    WatchCategory {
        CareRefusal => "Refus de soins",
        Delays => "Délais de rendez-vous",
        Rights => "Droits, couverture santé",
        NoGp => "Absence de médecin traitant",
        Interpreting => "Interprétariat",
        Mobility => "Mobilité, transport",
        Digital => "Démarches numériques",
        Pass => "Permanence d'accès aux soins (PASS)",
        Costs => "Reste à charge, avance de frais",
        Other => "Autre",
    }
    WatchStatus {
        Reported => "Signalé",
        Assigned => "Attribué",
        SolutionInProgress => "Solution en cours",
        Interpellation => "Institution interpellée",
        Resolved => "Résolu",
        Closed => "Clos",
    }
    ClsStatus { Preparation => "En préparation", InForce => "En vigueur", Evaluation => "En évaluation", Closed => "Clos", }
    FicheStatus { NotStarted => "À lancer", InProgress => "En cours", Done => "Réalisée", Postponed => "Reportée", Dropped => "Abandonnée", }
    FicheNature { Existing => "Action existante", New => "Action nouvelle", Future => "Action en perspective", }
    IndicatorKind { Process => "Processus", Result => "Résultat", }
    FundingScheme {
        CallForProjects => "Appel à projets",
        Grant => "Subvention",
        Fir => "Fonds d'intervention régional (FIR)",
        CityContract => "Contrat de ville",
        Cpom => "CPOM",
        Other => "Autre",
    }
    FundingStatus { Planned => "Prévu", Submitted => "Déposé", Granted => "Accordé", Refused => "Refusé", Settled => "Soldé", }
    ConsultationKind {
        Consultation => "Consultation des habitants",
        Workshop => "Atelier participatif",
        Survey => "Enquête",
        PublicMeeting => "Réunion publique",
        SharedDiagnosis => "Diagnostic partagé",
        Initiative => "Initiative d'habitants",
    }
}

/// The text of a message relayed to a list: the message, then a footer naming the list and the sender, and the
/// unsubscribe link.
pub fn relayed_text(m: &maillage_network::mail::Relayed<'_>) -> String {
    format!(
        "{}\n\n-- \nVous recevez ce message parce que vous êtes inscrit(e) à la liste « {} » de {}.\n\
         Pour ne plus recevoir les messages de cette liste : {}\n",
        m.text.trim_end(),
        m.list_name,
        m.sender,
        m.unsubscribe_url
    )
}

/// The text of a reminder to the owner of follow-up actions.
pub fn reminder_text(r: &maillage_network::mail::Reminder<'_>) -> String {
    let mut s = format!(
        "Bonjour {},\n\nVoici les actions de suivi qui vous sont confiées et qui arrivent à échéance ou sont en retard :\n\n",
        r.owner
    );
    for i in r.items {
        let when = if i.days_late > 0 {
            format!(
                "en retard de {} jour{}",
                i.days_late,
                if i.days_late > 1 { "s" } else { "" }
            )
        } else {
            "à échéance".to_string()
        };
        s.push_str(&format!(
            "- {} ({}) : prévue pour le {}, {when}\n",
            i.title,
            i.body,
            i.due_on.strftime("%d/%m/%Y")
        ));
    }
    s.push_str(&format!(
        "\nMerci d'indiquer où elles en sont à la coordination.\n\n-- \n{}\nMessage envoyé par Maillage.\n",
        r.sender
    ));
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use maillage_network::mail::{Relayed, Reminder, ReminderItem};

    #[test]
    fn relayed_messages_end_with_the_list_and_the_link() {
        let link =
            "https://sante.bellerive.example/desinscription?liste=3&contact=17&signature=abcd";
        let text = relayed_text(&Relayed {
            text: "Bonjour,\n\nLa prochaine réunion…\n\n",
            list_name: "Réseau santé précarité",
            sender: "la Ville",
            unsubscribe_url: link,
        });
        assert!(text.starts_with("Bonjour,\n\nLa prochaine réunion…\n\n-- \n"));
        assert!(
            text.contains("« Réseau santé précarité »") && text.ends_with(&format!("{link}\n"))
        );
    }

    #[test]
    fn a_reminder_lists_each_action_with_its_delay() {
        let items = vec![
            ReminderItem {
                title: "Envoyer le compte rendu".into(),
                body: "COS".into(),
                due_on: maillage_network::Date::new(2026, 3, 1).unwrap(),
                days_late: 9,
            },
            ReminderItem {
                title: "Réserver la salle".into(),
                body: "CLS".into(),
                due_on: maillage_network::Date::new(2026, 3, 10).unwrap(),
                days_late: 0,
            },
        ];
        let r = reminder_text(&Reminder {
            owner: "Mme Martin",
            items: &items,
            sender: "Coordination CLS",
        });
        assert!(r.starts_with("Bonjour Mme Martin,\n\n"), "{r}");
        assert!(r.contains(
            "Envoyer le compte rendu (COS) : prévue pour le 01/03/2026, en retard de 9 jours"
        ));
        assert!(r.contains("Réserver la salle (CLS) : prévue pour le 10/03/2026, à échéance"));
        assert!(
            r.ends_with("Coordination CLS\nMessage envoyé par Maillage.\n"),
            "{r}"
        );
    }
}

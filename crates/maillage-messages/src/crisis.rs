//! French wording of the crisis module: its errors (which never quote personal values) and the labels of its
//! codes (levels, outcomes, statuses...), for screens, exports and the command line.

use crate::{Cut, French};
use maillage_crisis::calls::{CallStatus, Escalation, EscalationStatus, Outcome};
use maillage_crisis::cell::{
    EventKind, Level, LevelChange, LogKind, MemberKind, ServiceStatus, TaskStatus,
};
use maillage_crisis::clusters::{ClusterStatus, SiteKind};
use maillage_crisis::epidemic::Trend;
use maillage_crisis::register::{Basis, RemovalReason, Requester};
use maillage_crisis::stocks::{MovementKind, Recipient};
use maillage_crisis::volunteers::{RequestStatus, Skill};
use maillage_crisis::{Coded, CrisisError, Ineligibility};
use maillage_store::crisis::Refusal;
use maillage_store::crisis::epidemic::{PopulationOrigin, PopulationSource};

/// The French name of a form field of the module (fields are named by stable slugs in errors).
pub fn field_label(field: &str) -> &str {
    match field {
        "nom" => "nom",
        "prenom" => "prénom",
        "date_naissance" => "date de naissance",
        "adresse" => "adresse",
        "telephone" => "téléphone",
        "qualite" => "qualité de la personne (âge, inaptitude, handicap)",
        "demandeur" => "qualité du demandeur",
        "date_demande" => "date de la demande",
        "date_information" => "date d'information de la personne",
        "contact_urgence" => "personne à prévenir en cas d'urgence",
        "telephone_urgence" => "téléphone de la personne à prévenir",
        "services_domicile" => "services intervenant à domicile",
        "medecin_traitant" => "médecin traitant",
        "titre" => "titre",
        "texte" => "texte",
        "auteur" => "auteur (qui a décidé ou recommandé)",
        "heure" => "date et heure",
        "tache" => "tâche",
        "responsable" => "responsable",
        "fonction" => "fonction",
        "organisme" => "organisme",
        "courriel" => "adresse électronique",
        "type" => "type",
        "script" => "script d'appel",
        "note" => "note",
        "raison" => "raison",
        "suivi" => "suivi",
        "competences" => "compétences",
        "jours" => "jours de disponibilité",
        "disponibilites" => "disponibilités",
        "secteur" => "secteur",
        "rayon_km" => "rayon d'intervention (km)",
        "consentement" => "date du consentement",
        "compte" => "compte de connexion",
        "beneficiaire" => "bénéficiaire",
        "details" => "détails",
        "pour_le" => "date souhaitée",
        "demandes" => "demandes",
        "statut" => "statut",
        "code" => "code de l'article",
        "libelle" => "libellé",
        "unite" => "unité",
        "lot" => "numéro de lot",
        "fournisseur" => "fournisseur",
        "destinataire" => "destinataire",
        "etat" => "état du service",
        "horaires" => "horaires",
        "liste" => "liste de diffusion",
        "jour" => "jour",
        "population" => "population",
        "seuil_cluster" => "seuil de cas d'un cluster",
        "durees_cluster" => "durées des règles de cluster",
        "seuils_incidence" => "seuils d'incidence",
        "seuils_positivite" => "seuils de positivité",
        "motif" => "motif",
        "niveau" => "niveau",
        "evenement" => "événement",
        "appelants" => "appelants",
        "relances" => "intervalles de relance",
        "quantite" => "quantité",
        "article" => "article",
        "resultat" => "résultat de l'appel",
        "confirmer" => "confirmation",
        "fait" => "confirmation que la mission est faite",
        "benevole" => "bénévole",
        "action" => "action",
        "cas" => "nombre de cas",
        "peremption" => "date de péremption",
        "destinataires" => "type de destinataires",
        other => other,
    }
}

impl French for Ineligibility {
    fn french(&self) -> String {
        match self {
            Ineligibility::NotAtHome => {
                "le registre ne concerne que les personnes qui vivent à leur domicile (CASF, art. R121-2)".into()
            }
            Ineligibility::TooYoung { age, required } => format!(
                "la personne a {age} ans : cette qualité demande au moins {required} ans (65 ans et plus ; 60 ans et \
                 plus reconnus inaptes au travail ; adultes handicapés — CASF, art. R121-2)"
            ),
            Ineligibility::BornAfterRequest => {
                "la date de naissance est postérieure à la date de la demande ; vérifiez les deux dates".into()
            }
        }
    }
}

impl French for CrisisError {
    fn french(&self) -> String {
        match self {
            CrisisError::Field(maillage_crisis::FieldError::MissingField { field }) => format!("le champ « {} » est obligatoire", field_label(field)),
            CrisisError::Field(maillage_crisis::FieldError::InvalidField { field, expected }) => {
                format!("le champ « {} » n'est pas valide : {expected} attendu", field_label(field))
            }
            CrisisError::Field(maillage_crisis::FieldError::TooLong { field, max }) => {
                format!("le champ « {} » dépasse {max} caractères", field_label(field))
            }
            CrisisError::UnknownCode { field } => crate::choose_in_list(field_label(field)),
            CrisisError::NotEligible(why) => format!("inscription impossible : {}", why.french()),
            CrisisError::PersonNotInformed => "la demande vient d'un tiers : la personne doit en avoir été informée \
                 (elle peut s'y opposer) ; indiquez la date à laquelle elle l'a été"
                .into(),
            CrisisError::PersonRefused => {
                "la personne s'oppose à son inscription : rien n'est enregistré (CASF, art. R121-4)".into()
            }
            CrisisError::ConsentMissing => "le bénévole doit avoir consenti au traitement de ses données ; \
                 indiquez la date de son consentement"
                .into(),
            CrisisError::NoActiveAlert => "aucune alerte n'est en cours (niveau « alerte » ou « crise ») : le \
                 registre n'est transmis au préfet et les campagnes d'appels ne démarrent qu'en cas de \
                 déclenchement du plan d'alerte et d'urgence"
                .into(),
            CrisisError::NoCallers => "indiquez au moins un appelant (identifiant de son compte)".into(),
            CrisisError::InvalidQuantity(q) => {
                format!("quantité invalide ({q}) : un nombre entier supérieur à zéro est attendu")
            }
            CrisisError::InsufficientStock { item, requested, available } => format!(
                "stock insuffisant pour « {item} » : {requested} demandés, {available} disponibles (lots non \
                 périmés) ; rien n'a été distribué", item = Cut(item)
            ),
            CrisisError::ExpiredLot { lot, expiry } => format!(
                "le lot « {lot} » est périmé depuis le {} : il ne peut pas être distribué",
                expiry.strftime("%d/%m/%Y"), lot = Cut(lot)
            ),
            CrisisError::ClusterStillActive { last_case } => format!(
                "le cluster ne peut pas être clôturé : un cas a été identifié le {} ; il se clôt de lui-même après \
                 la durée d'activité sans nouveau cas",
                last_case.strftime("%d/%m/%Y")
            ),
            CrisisError::NoActiveCluster => {
                "aucun cluster actif en ce lieu : ce statut ne s'applique qu'à un cluster en cours".into()
            }
            CrisisError::PopulationMissing { zone } => format!(
                "la population de la zone « {zone} » est inconnue : saisissez-la pour calculer les taux", zone = Cut(zone)
            ),
            CrisisError::InvalidThresholds { field } => format!(
                "les {} doivent être des nombres positifs croissants (au plus six), séparés par des virgules",
                field_label(field)
            ),
            CrisisError::ReasonRequired => "indiquez le motif de la transmission (demande du préfet, référence)".into(),
        }
    }
}

impl French for Refusal {
    fn french(&self) -> String {
        match self {
            Refusal::CallNotHeld(_) => {
                "cet appel n'est plus réservé à votre nom (délai dépassé ou appel repris par \
                 un autre appelant) : revenez à la liste et prenez l'appel suivant"
                    .into()
            }
            Refusal::CampaignClosed(_) => "cette campagne d'appels est close".into(),
            Refusal::EventClosed(_) => "cet événement est clos".into(),
            Refusal::NotYours(_) => "cette mission ne vous est pas confiée".into(),
            Refusal::RequestClosed(_) => "cette demande est déjà faite ou annulée".into(),
            Refusal::CommuneNotHeld => {
                "vous ne pouvez enregistrer que pour une commune qui vous est attribuée : \
                 choisissez-la dans la liste des communes"
                    .into()
            }
        }
    }
}

labels! {
    EventKind { Canicule => "Canicule", GrandFroid => "Grand froid", Epidemie => "Épidémie", Autre => "Autre événement", }
    Level { Veille => "Veille", Alerte => "Alerte", Crise => "Crise", }
    LogKind {
        Evenement => "Événement", Information => "Information", Recommandation => "Recommandation",
        Decision => "Décision", Arrete => "Arrêté", Fermeture => "Fermeture d'un établissement",
        Reouverture => "Réouverture d'un établissement", Niveau => "Niveau d'activation",
    }
    MemberKind { Membre => "Membre de la cellule", ContactExterne => "Contact extérieur", }
    TaskStatus { AFaire => "À faire", EnCours => "En cours", Faite => "Faite", Abandonnee => "Abandonnée", }
    ServiceStatus {
        Ouvert => "Ouvert", HorairesReduits => "Horaires réduits", SurRendezVous => "Sur rendez-vous",
        Distance => "À distance (téléphone, courriel)", Ferme => "Fermé",
    }
    Basis {
        Age65 => "65 ans et plus", Inapte60 => "60 ans et plus, reconnue inapte au travail",
        AdulteHandicape => "Adulte handicapé(e)",
    }
    Requester {
        Personne => "La personne elle-même", RepresentantLegal => "Son représentant légal", Proche => "Un proche",
        Voisin => "Un voisin", Medecin => "Son médecin", ServiceDomicile => "Un service d'aide ou de soins à domicile",
        AutreTiers => "Un autre tiers",
    }
    RemovalReason {
        Demande => "À la demande de la personne", Deces => "Décès", Demenagement => "Déménagement",
        NonConfirmation => "Inscription non confirmée", Autre => "Autre motif",
    }
    Outcome { Joint => "Joint(e), tout va bien", PasDeReponse => "Pas de réponse", Besoin => "Joint(e), a un besoin", Urgence => "Urgence", }
    CallStatus {
        AAppeler => "À appeler", ARappeler => "À rappeler", Joint => "Joint(e)", Besoin => "Besoin signalé",
        Urgence => "Urgence", Injoignable => "Injoignable (visite)",
    }
    Escalation { Visite => "Visite à domicile", Secours => "Secours (15, 18, 112)", Besoin => "Besoin à satisfaire", }
    EscalationStatus { Ouverte => "Ouverte", EnCours => "En cours", Close => "Close", }
    Skill {
        Courses => "Courses", Repas => "Portage de repas", Medicaments => "Médicaments", Convivialite => "Appel de convivialité",
        Visite => "Visite", Transport => "Transport", ColisAlimentaire => "Colis alimentaire", Autre => "Autre",
    }
    RequestStatus { Nouvelle => "Nouvelle", Affectee => "Confiée à un bénévole", Faite => "Faite", Annulee => "Annulée", }
    Recipient {
        Professionnel => "Professionnels de santé", Pharmacie => "Pharmacies", Structure => "Structures",
        Agent => "Agents municipaux", Habitant => "Habitants",
    }
    MovementKind { Reception => "Réception", Distribution => "Distribution", }
    SiteKind {
        Ecole => "École", Creche => "Crèche", Ehpad => "EHPAD", Foyer => "Foyer de travailleurs",
        Hebergement => "Hébergement", EquipementMunicipal => "Équipement municipal", AireAccueil => "Aire d'accueil",
        Entreprise => "Entreprise", Autre => "Autre lieu",
    }
    ClusterStatus {
        EnInvestigation => "En cours d'investigation", Maitrise => "Maîtrisé",
        DiffusionCommunautaire => "Diffusion communautaire", Cloture => "Clôturé",
    }
}

/// A trend is computed, never stored: it has no code.
impl French for Trend {
    fn french(&self) -> String {
        match self {
            Trend::Hausse => "en hausse",
            Trend::Stable => "stable",
            Trend::Baisse => "en baisse",
        }
        .to_string()
    }
}

/// Where the population of an epidemic zone comes from, as shown with the rates: « INSEE 2020 (IRIS agrégés : 3) »,
/// « population légale 2021 (communes) »… Words stored before origins were typed are shown as they are.
pub fn population_source(source: &PopulationSource) -> String {
    let origin = match source {
        PopulationSource::Origin(origin) => origin,
        PopulationSource::Written(words) => return words.clone(),
    };
    match origin {
        PopulationOrigin::InseeIris { vintage, iris } => {
            format!("INSEE {vintage} (IRIS agrégés : {iris})")
        }
        PopulationOrigin::LegalCommunes {
            vintage,
            communes: 1,
        } => format!("population légale {vintage} (communes)"),
        PopulationOrigin::LegalCommunes { vintage, communes } => {
            format!("population légale {vintage} (somme de {communes} communes)")
        }
        PopulationOrigin::Typed => "population saisie à l'import".into(),
        PopulationOrigin::SpfFile { file } => {
            format!("fichier Santé publique France (colonne pop), {file}")
        }
    }
}

/// The population an epidemic zone's rates use, with its source and vintage, and, when Santé publique
/// France's own population is known (the `pop` column of its file), that one and the gap: « population INSEE
/// 2020 (IRIS agrégés : 3) : 112 345 habitants ; population utilisée par Santé publique France : 110 000
/// (écart +2,1 %) ».
pub fn epidemic_population(
    source: Option<&PopulationSource>,
    used: f64,
    spf: Option<f64>,
    number: &dyn Fn(f64, usize) -> String,
) -> String {
    let spf_own = source.is_some_and(PopulationSource::is_spf_file);
    let source = source.map_or_else(|| "de la zone".to_string(), population_source);
    let source = if source.starts_with("population") {
        source.to_string()
    } else if spf_own {
        format!("population du {source}")
    } else {
        format!("population {source}")
    };
    let mut text = format!("{source} : {} habitants", number(used, 0));
    if let Some(spf) = spf
        && let Some(gap) = maillage_crisis::epidemic::population_gap_percent(used, spf)
        && !spf_own
    {
        // Signed as shown (one decimal): a gap that rounds to nothing reads « 0,0 % », not « −0,0 % ».
        let shown = (gap * 10.0).round() / 10.0;
        let sign = match shown.total_cmp(&0.0) {
            std::cmp::Ordering::Greater => "+",
            std::cmp::Ordering::Less if shown != 0.0 => "−",
            _ => "",
        };
        text.push_str(&format!(
            " ; population utilisée par Santé publique France : {} (écart {sign}{} %)",
            number(spf, 0),
            number(shown.abs(), 1)
        ));
    }
    text
}

/// A change of an event's level as the main courante records it.
pub fn level_entry(change: &LevelChange<'_>) -> String {
    match change {
        LevelChange::Opened { title, level } => format!(
            "Ouverture de l'événement « {title} » au niveau {}",
            level.code()
        ),
        LevelChange::Changed { level } => format!("Passage au niveau {}", level.code()),
        LevelChange::Closed => {
            "Fin de l'événement : la cellule est levée pour cet événement".into()
        }
    }
}

#[cfg(test)]
mod epidemic_population_tests {
    use super::epidemic_population;
    use maillage_store::crisis::epidemic::{PopulationOrigin, PopulationSource};

    fn origin(origin: PopulationOrigin) -> PopulationSource {
        PopulationSource::Origin(origin)
    }

    fn plain(v: f64, d: usize) -> String {
        format!("{v:.d$}").replace('.', ",")
    }

    #[test]
    fn the_gap_with_spf_is_signed_and_relative_to_spf() {
        assert_eq!(
            epidemic_population(
                Some(&origin(PopulationOrigin::InseeIris {
                    vintage: 2022,
                    iris: 3
                })),
                112_345.0,
                Some(110_000.0),
                &plain
            ),
            "population INSEE 2022 (IRIS agrégés : 3) : 112345 habitants ; population utilisée par Santé \
             publique France : 110000 (écart +2,1 %)"
        );
        assert!(
            epidemic_population(
                Some(&origin(PopulationOrigin::LegalCommunes {
                    vintage: 2026,
                    communes: 1
                })),
                99_000.0,
                Some(100_000.0),
                &plain
            )
            .ends_with("(écart −1,0 %)")
        );
        // One inhabitant apart: no sign on a gap that rounds to zero.
        assert!(
            epidemic_population(
                Some(&origin(PopulationOrigin::LegalCommunes {
                    vintage: 2021,
                    communes: 1
                })),
                60_399.0,
                Some(60_400.0),
                &plain
            )
            .ends_with("(écart 0,0 %)"),
            "{}",
            epidemic_population(
                Some(&origin(PopulationOrigin::LegalCommunes {
                    vintage: 2021,
                    communes: 1
                })),
                60_399.0,
                Some(60_400.0),
                &plain
            )
        );
        // Without SpF's population, or when the population is SpF's own, no gap.
        assert_eq!(
            epidemic_population(
                Some(&origin(PopulationOrigin::Typed)),
                5_000.0,
                None,
                &plain
            ),
            "population saisie à l'import : 5000 habitants"
        );
        let spf_file = origin(PopulationOrigin::SpfFile {
            file: "f.csv".into(),
        });
        let spf_file = Some(&spf_file);
        assert!(
            !epidemic_population(spf_file, 110_000.0, Some(110_000.0), &plain).contains("écart")
        );
        // Words stored by an import before origins were typed read as they are, the SpF file's too.
        let stored =
            PopulationSource::Written("fichier Santé publique France (colonne pop), f.csv".into());
        assert_eq!(
            epidemic_population(Some(&stored), 110_000.0, Some(110_000.0), &plain),
            epidemic_population(spf_file, 110_000.0, Some(110_000.0), &plain)
        );
        assert_eq!(
            epidemic_population(None, 5_000.0, None, &plain),
            "population de la zone : 5000 habitants"
        );
    }
}

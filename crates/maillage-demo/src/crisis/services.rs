//! The service continuity register of the crisis demonstration: the town's public services during the heatwave
//! (open, on reduced hours or closed), as inhabitants see them. The heatwave's relay lists are the network part's
//! (`network/relay.rs`): one relay for all.

use super::CrisisSummary;
use crate::context::Context;
use crate::model::COMMUNE_CODE;
use maillage_store::Store;
use maillage_store::crisis::{self as cs, services};
use maillage_store::reach::Reach;

/// The services: name, status, hours, address, phone, note.
const SERVICES: &[(&str, &str, &str, &str, &str, &str)] = &[
    (
        "Accueil de la mairie",
        "horaires_reduits",
        "du lundi au vendredi, 8 h 30 – 12 h 30",
        "place de la Mairie",
        "01 99 00 10 00",
        "L'après-midi : sur rendez-vous.",
    ),
    (
        "CCAS",
        "ouvert",
        "du lundi au samedi, 8 h 30 – 18 h",
        "rue Pasteur",
        "01 99 00 10 20",
        "Inscription au registre des personnes vulnérables.",
    ),
    (
        "Salle rafraîchie (salle des fêtes)",
        "ouvert",
        "tous les jours, 10 h – 19 h",
        "avenue de la Gare",
        "01 99 00 10 30",
        "Navette sur demande au CCAS.",
    ),
    (
        "Médiathèque",
        "horaires_reduits",
        "le matin seulement, 9 h – 12 h",
        "rue Émile-Zola",
        "",
        "Fermée l'après-midi pendant la canicule.",
    ),
    (
        "Piscine municipale",
        "ouvert",
        "tous les jours, 9 h – 21 h",
        "chemin des Vignes",
        "",
        "Horaires élargis pendant la canicule.",
    ),
    (
        "Centre municipal de santé",
        "ouvert",
        "du lundi au vendredi, 8 h – 19 h",
        "rue des Tilleuls",
        "01 99 00 10 50",
        "",
    ),
    (
        "Maison de quartier des Hauts",
        "ferme",
        "",
        "rue du Moulin",
        "",
        "Activités suspendues jusqu'à la fin de l'alerte.",
    ),
];

/// Writes the services in one transaction.
pub(super) async fn write(store: &Store, c: &Context<CrisisSummary>) -> Result<(), cs::Error> {
    let all = &Reach::everything();
    let mut tx = cs::begin(store, all).await?;
    for &(name, status, hours, addr, tel, note) in SERVICES {
        let form = services::ServiceForm {
            name: name.into(),
            address: addr.into(),
            status: status.into(),
            hours: hours.into(),
            phone: tel.into(),
            note: note.into(),
            public: true,
        };
        services::save_service(
            &mut tx,
            all,
            Some(COMMUNE_CODE),
            None,
            &form,
            "crise",
            c.hours_ago(40.0),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

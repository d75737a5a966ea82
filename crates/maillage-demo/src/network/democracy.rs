//! Démocratie en santé in the network demonstration: consultations of inhabitants, workshops, a shared diagnosis
//! and an inhabitants' initiative, linked to the Contrat local de santé.

use super::{BY, NEIGHBOUR, NetworkSummary, TOWN, owned};
use crate::context::{Change, Context};
use maillage_store::network::democracy::{self, ConsultationForm};
use maillage_store::network::{self as net, Reach};

/// Consultations: kind, title, held (days from today), participants, summary, outcomes.
const CONSULTATIONS: &[(&str, &str, i64, i64, &str, &str)] = &[
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

/// Writes the consultations of the contract `contract` (one in three is the neighbour's).
pub(super) async fn write(
    tx: &mut Change,
    c: &Context<NetworkSummary>,
    contract: i64,
) -> Result<(), net::Error> {
    for (n, (kind, title, day, participants, summary_text, outcomes)) in
        CONSULTATIONS.iter().enumerate()
    {
        democracy::save_consultation(
            tx,
            &Reach::everything(),
            None,
            &ConsultationForm {
                commune: owned(if n % 3 == 2 { NEIGHBOUR } else { TOWN }),
                kind: (*kind).into(),
                title: format!("{title} (fictif)"),
                held_on: c.day(*day).to_string(),
                place: "Bellerive-sur-Clain (fictive)".into(),
                participants: participants.to_string(),
                public_concerned: "Habitants".into(),
                body_id: None,
                contract_id: Some(contract),
                summary: (*summary_text).into(),
                outcomes: (*outcomes).into(),
            },
            BY,
            c.now,
        )
        .await?;
    }
    Ok(())
}

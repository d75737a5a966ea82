//! The phone campaign of the crisis demonstration: started this morning for the whole register, split among the 5
//! callers, already half made (150 call slots over five hours, with retries, needs and emergencies), and the
//! follow-up of the escalations the calls opened.

use super::{CALLERS, CrisisSummary};
use crate::context::Context;
use jiff::{SignedDuration, Timestamp};
use maillage_crisis::calls::{Escalation, EscalationStatus, Outcome, RetryPolicy};
use maillage_store::Store;
use maillage_store::crisis::{self as cs, calls};
use maillage_store::reach::Reach;

/// The call slots spread over the five hours since the campaign started.
const CALL_SLOTS: i64 = 150;

/// What callers note when a person needs something.
const NEEDS: &[&str] = &[
    "Besoin de courses (eau, fruits) : ne peut pas sortir avec la chaleur.",
    "Renouvellement d'ordonnance à aller chercher à la pharmacie.",
    "Se sent seule : souhaite un appel de convivialité chaque jour.",
    "Ventilateur en panne : demande une visite.",
];

/// Writes the campaign about the heatwave `heat`, its calls and the escalations' follow-up.
pub(super) async fn write(
    store: &Store,
    c: &mut Context<CrisisSummary>,
    heat: i64,
) -> Result<(), cs::Error> {
    let all = &Reach::everything();
    let start = c.hours_ago(6.0);
    let callers: Vec<String> = CALLERS.iter().map(|caller| caller.to_string()).collect();
    let mut tx = cs::begin(store, all).await?;
    let campaign = calls::start(
        &mut tx,
        all,
        &calls::NewCampaign {
            // The whole register: each call keeps its person's commune.
            commune: None,
            event_id: heat,
            title: "Appels canicule — jour 1",
            script: "Bonjour, je suis [prénom], du CCAS de Bellerive. Vous êtes inscrit(e) au registre ; nous prenons de vos \
                     nouvelles pendant la canicule.\n1. Comment allez-vous ? Avez-vous chaud, soif ?\n2. Buvez-vous régulièrement, \
                     gardez-vous les volets fermés ?\n3. Avez-vous besoin de courses, de médicaments, d'une visite ?\n4. En cas de \
                     malaise : le 15. Salle rafraîchie ouverte de 10 h à 19 h à la salle des fêtes.",
            retry: RetryPolicy::default(),
            callers: &callers,
        },
        "ccas",
        start,
    )
    .await?;
    tx.commit().await?;
    c.summary.callers = callers.len();
    c.summary.calls_made = make_calls(store, c, campaign, start).await?;
    follow_up_escalations(store, c, campaign).await
}

/// Claims and makes the calls of each slot in turn; returns how many were made.
async fn make_calls(
    store: &Store,
    c: &mut Context<CrisisSummary>,
    campaign: i64,
    start: Timestamp,
) -> Result<usize, cs::Error> {
    let all = &Reach::everything();
    let mut made = 0;
    for k in 0..CALL_SLOTS {
        let at = start
            .checked_add(SignedDuration::from_secs(k * 5 * 3600 / CALL_SLOTS))
            .unwrap_or(c.now);
        let caller = CALLERS[k as usize % CALLERS.len()];
        let Some(call) = calls::claim_next(store, all, campaign, caller, at).await? else {
            continue;
        };
        let tried = calls::call(store, all, call)
            .await?
            .map_or(0, |record| record.attempts);
        let (outcome, note) = outcome(c, tried);
        let mut tx = cs::begin(store, all).await?;
        calls::record_outcome(&mut tx, all, call, caller, outcome, note, at).await?;
        tx.commit().await?;
        made += 1;
    }
    Ok(made)
}

/// The outcome of a call to a person already tried `tried` times, with the caller's note. People who did not
/// answer once often do not answer again: some end unreachable, and get a visit.
fn outcome(c: &mut Context<CrisisSummary>, tried: i64) -> (Outcome, Option<&'static str>) {
    let outcome = if tried > 0 && c.rng.chance(0.6) {
        Outcome::PasDeReponse
    } else {
        match c.rng.below(100) {
            0..=59 => Outcome::Joint,
            60..=84 => Outcome::PasDeReponse,
            85..=96 => Outcome::Besoin,
            _ => Outcome::Urgence,
        }
    };
    let note = match outcome {
        Outcome::Besoin => Some(*c.rng.pick(NEEDS)),
        Outcome::Urgence => {
            Some("Propos confus, dit avoir très chaud et ne pas avoir bu depuis hier.")
        }
        _ => None,
    };
    (outcome, note)
}

/// The follow-up of the escalations: emergencies closed, visits planned, one need in two passed to volunteers.
async fn follow_up_escalations(
    store: &Store,
    c: &Context<CrisisSummary>,
    campaign: i64,
) -> Result<(), cs::Error> {
    let all = &Reach::everything();
    let escalations = calls::escalations(store, all, Some(campaign)).await?;
    let mut tx = cs::begin(store, all).await?;
    for (i, e) in escalations.iter().enumerate() {
        let (status, text) = match e.kind {
            Escalation::Secours => (
                EscalationStatus::Close,
                "SAMU appelé ; la personne a été prise en charge, sa fille est prévenue.",
            ),
            Escalation::Visite => (
                EscalationStatus::EnCours,
                "Visite de l'équipe du CCAS prévue cet après-midi.",
            ),
            Escalation::Besoin if i % 2 == 0 => (
                EscalationStatus::EnCours,
                "Demande transmise aux bénévoles.",
            ),
            Escalation::Besoin => continue,
        };
        calls::follow_up(&mut tx, all, e.id, status, text, "ccas", c.hours_ago(0.5)).await?;
    }
    tx.commit().await?;
    Ok(())
}

//! The crisis cell of the crisis demonstration: an epidemic followed at the watch level and a heatwave raised to
//! the alert level, with the main courante of the heatwave, the cell's members and external contacts, and its
//! tasks (some done, one late). The log entry built here also serves the clusters' decisions (`clusters.rs`).

use super::{CrisisSummary, phone};
use crate::context::{Change, Context};
use maillage_crisis::cell::{EventKind, Level, LogKind, TaskStatus};
use maillage_store::Store;
use maillage_store::crisis::{self as cs, cell};
use maillage_store::reach::Reach;

/// The events the other parts refer to.
pub(super) struct Events {
    pub epidemic: i64,
    pub heat: i64,
}

/// The main courante of the heatwave: kind, hours ago, author, text.
const HEATWAVE_LOG: &[(LogKind, f64, &str, &str)] = &[
    (
        LogKind::Information,
        50.0,
        "Préfecture (SIDPC)",
        "Vigilance canicule orange Météo-France pour le département à partir de demain 6 h. Déclenchement du niveau 3 du plan canicule par le préfet.",
    ),
    (
        LogKind::Decision,
        46.0,
        "Mme la Maire",
        "Activation de la cellule de crise communale ; le CCAS lance les appels aux personnes inscrites au registre.",
    ),
    (
        LogKind::Decision,
        45.5,
        "Mme la Maire",
        "Ouverture de la salle rafraîchie (salle des fêtes) de 10 h à 19 h, navette sur demande au CCAS.",
    ),
    (
        LogKind::Arrete,
        30.0,
        "Mme la Maire",
        "Arrêté municipal : horaires élargis de la piscine municipale et fermeture de la médiathèque l'après-midi.",
    ),
    (
        LogKind::Information,
        8.0,
        "ARS, délégation départementale",
        "Point téléphonique ARS / préfecture / communes : pas de tension hospitalière signalée ; vigilance pour les EHPAD.",
    ),
];

/// Members and external contacts: kind, name, function, organisation, always reachable, mailbox.
const MEMBERS: &[(&str, &str, &str, &str, bool, &str)] = &[
    (
        "membre",
        "Hélène Marchand (fictive)",
        "Maire",
        "Mairie de Bellerive-sur-Clain",
        true,
        "maire",
    ),
    (
        "membre",
        "Karim Benali (fictif)",
        "Adjoint à la santé",
        "Mairie",
        true,
        "adjoint.sante",
    ),
    (
        "membre",
        "Sophie Leclerc (fictive)",
        "Directrice du CCAS",
        "CCAS",
        true,
        "direction.ccas",
    ),
    (
        "membre",
        "Julien Roche (fictif)",
        "Directeur général des services",
        "Mairie",
        false,
        "dgs",
    ),
    (
        "membre",
        "Camille Vidal (fictive)",
        "Coordinatrice du contrat local de santé",
        "Service santé",
        false,
        "cls",
    ),
    (
        "contact_externe",
        "Point focal régional",
        "Point focal régional de veille et d'alerte sanitaire",
        "ARS (fictive)",
        true,
        "point-focal.ars",
    ),
    (
        "contact_externe",
        "Permanence SIDPC",
        "Service interministériel de défense et de protection civiles",
        "Préfecture (fictive)",
        true,
        "sidpc.prefecture",
    ),
    (
        "contact_externe",
        "Officier de permanence",
        "Centre de secours",
        "SDIS (fictif)",
        true,
        "permanence.sdis",
    ),
];

/// Tasks: title, owner, due in (hours), status.
const TASKS: &[(&str, &str, f64, TaskStatus)] = &[
    (
        "Ouvrir et équiper la salle rafraîchie (brumisateurs, eau, fauteuils)",
        "Services techniques",
        -40.0,
        TaskStatus::Faite,
    ),
    (
        "Appeler toutes les personnes du registre",
        "CCAS",
        6.0,
        TaskStatus::EnCours,
    ),
    (
        "Informer les EHPAD et foyers de la vigilance orange",
        "Coordination CLS",
        -30.0,
        TaskStatus::Faite,
    ),
    (
        "Distribuer des bouteilles d'eau aux personnes sans abri",
        "CCAS et associations",
        -2.0,
        TaskStatus::AFaire,
    ),
    (
        "Point de situation à la préfecture",
        "DGS",
        20.0,
        TaskStatus::AFaire,
    ),
];

/// Writes the cell in its own transaction; returns its events.
pub(super) async fn write(
    store: &Store,
    c: &mut Context<CrisisSummary>,
) -> Result<Events, cs::Error> {
    let all = &Reach::everything();
    let mut tx = cs::begin(store, all).await?;
    let events = open_events(&mut tx, c).await?;
    for &(kind, hours, author, text) in HEATWAVE_LOG {
        let e = log_entry(c, kind, hours, author, text, None, events.heat);
        cell::append_log(&mut tx, all, &e, "demonstration", e.at).await?;
    }
    cell::set_level(
        &mut tx,
        all,
        events.heat,
        Level::Alerte,
        Some("Mme la Maire"),
        "demonstration",
        c.hours_ago(46.0),
        maillage_messages::crisis::level_entry,
    )
    .await?;
    write_members(&mut tx, c).await?;
    write_tasks(&mut tx, c, events.heat).await?;
    tx.commit().await?;
    Ok(events)
}

/// The epidemic, followed for 40 days, and the heatwave, declared 52 hours ago.
async fn open_events(tx: &mut Change, c: &Context<CrisisSummary>) -> Result<Events, cs::Error> {
    let all = &Reach::everything();
    let epidemic = cell::open_event(
        tx,
        all,
        None,
        EventKind::Epidemie,
        "Covid-19 — suivi épidémique",
        Level::Veille,
        "demonstration",
        c.hours_ago(24.0 * 40.0),
        maillage_messages::crisis::level_entry,
    )
    .await?;
    let heat = cell::open_event(
        tx,
        all,
        None,
        EventKind::Canicule,
        "Canicule — épisode de juillet",
        Level::Veille,
        "demonstration",
        c.hours_ago(52.0),
        maillage_messages::crisis::level_entry,
    )
    .await?;
    Ok(Events { epidemic, heat })
}

/// An entry of the main courante about `event` (and a site of it, if any), `hours` ago.
pub(super) fn log_entry(
    c: &Context<CrisisSummary>,
    kind: LogKind,
    hours: f64,
    author: &str,
    text: &str,
    site: Option<i64>,
    event: i64,
) -> cell::NewLogEntry {
    cell::NewLogEntry {
        commune: None,
        event_id: Some(event),
        site_id: site,
        at: c.hours_ago(hours),
        kind,
        author: Some(author.to_string()),
        text: text.to_string(),
    }
}

/// The cell's members (mobile phones) and external contacts (landlines).
async fn write_members(tx: &mut Change, c: &mut Context<CrisisSummary>) -> Result<(), cs::Error> {
    let all = &Reach::everything();
    for &(kind, name, function, organisation, always, mailbox) in MEMBERS {
        let form = cell::MemberForm {
            kind: kind.into(),
            name: name.into(),
            function: function.into(),
            organisation: organisation.into(),
            phone: phone(&mut c.rng, kind == "membre"),
            email: format!("{mailbox}@example.org"),
            always_reachable: always,
        };
        cell::add_member(tx, all, None, &form, c.hours_ago(50.0)).await?;
    }
    Ok(())
}

/// The tasks of the heatwave: those not to do any more were updated 20 hours ago.
async fn write_tasks(
    tx: &mut Change,
    c: &Context<CrisisSummary>,
    heat: i64,
) -> Result<(), cs::Error> {
    let all = &Reach::everything();
    for &(title, owner, due_in_hours, status) in TASKS {
        let due = c.hours_ago(-due_in_hours);
        let id = cell::add_task(
            tx,
            all,
            None,
            Some(heat),
            title,
            owner,
            Some(due),
            "demonstration",
            c.hours_ago(45.0),
        )
        .await?;
        if status != TaskStatus::AFaire {
            cell::set_task_status(tx, all, id, status, c.hours_ago(20.0)).await?;
        }
    }
    Ok(())
}

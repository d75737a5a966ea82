//! The crisis part of the demonstration (fictional): a heatwave at the `alerte` level with its crisis cell and
//! main courante, about 200 people in the register of vulnerable people, a phone campaign split among 5 callers
//! and already half made (with retries, needs, emergencies and visits), volunteers and inhabitants' requests
//! (the `benevole` demonstration account has missions and a meal round), stocks of masks, gel and gloves by lot,
//! a Santé publique France-like epidemic series for the town imported through the real importer, clusters in a
//! school and an EHPAD with the ARS recommendation and the mayor's decision, and the service continuity register.
//!
//! Everything goes through `maillage_store::crisis` (the same functions the web pages call), with times set
//! relative to the moment the demonstration is built. Records are spread over two communes (the town and its
//! neighbour Saint-Aubin-des-Prés) and the territory's cell, so that an account limited to one commune sees its
//! part only. Names, phones (ARCEP fiction ranges 01 99 00 and
//! 06 39 98) and addresses are invented.

use crate::model::{self, COMMUNE_CODE, POSTCODE};
use crate::names::{ADULT_FIRST_NAMES, ELDERLY_FIRST_NAMES, HOME_CARE_SERVICES, REGISTER_SURNAMES};
use crate::rng::Rng;
use jiff::{SignedDuration, Timestamp, ToSpan};
use maillage_crisis::calls::{EscalationStatus, Outcome, RetryPolicy};
use maillage_crisis::cell::{EventKind, Level, LogKind, TaskStatus};
use maillage_crisis::clusters::{ClusterStatus, Rules, SiteKind};
use maillage_crisis::register::{RegistrationForm, validate};
use maillage_crisis::stocks::Recipient;
use maillage_store::crisis::{
    self as cs, calls, cell, clusters, register, services, stocks, volunteers,
};
use maillage_store::reach::Reach;
use maillage_store::{Store, StoreError};
use std::io::Write;

/// What the crisis demonstration holds.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct CrisisSummary {
    pub registered: usize,
    pub callers: usize,
    pub calls_made: usize,
    pub volunteers: usize,
    pub requests: usize,
    pub epidemic_days: usize,
}

/// The callers of the demonstration campaign: the two demonstration accounts that may call, and three agents.
pub const CALLERS: [&str; 5] = ["ccas", "crise", "agent.ccas2", "agent.ccas3", "agent.ccas4"];

fn hours_ago(now: Timestamp, h: f64) -> Timestamp {
    now.checked_sub(SignedDuration::from_secs_f64(h * 3600.0))
        .unwrap_or(now)
}

fn fail(e: cs::Error) -> StoreError {
    match e {
        cs::Error::Store(e) => *e,
        other => StoreError::InvalidValue {
            field: "demonstration_crise",
            value: other.to_string(),
        },
    }
}

fn phone(rng: &mut Rng, mobile: bool) -> String {
    if mobile {
        format!("06 39 98 {:02} {:02}", rng.below(100), rng.below(100))
    } else {
        format!("01 99 00 {:02} {:02}", rng.below(100), rng.below(100))
    }
}

fn address(rng: &mut Rng) -> String {
    format!(
        "{} {}, {POSTCODE} Bellerive-sur-Clain",
        1 + rng.below(120),
        crate::names::any_street(rng)
    )
}

/// A place in town, denser in the centre.
fn place(rng: &mut Rng) -> (f64, f64) {
    loop {
        let x = rng.range(-3.6, 3.6);
        let y = rng.range(-2.7, 2.7);
        if rng.chance((-(x * x + y * y) / 14.0).exp()) {
            return model::at(x, y);
        }
    }
}

/// Builds the crisis demonstration in a store that holds the demonstration territory.
pub async fn build(store: &Store, seed: u64) -> Result<CrisisSummary, StoreError> {
    build_at(store, seed, Timestamp::now()).await.map_err(fail)
}

/// The second commune of the demonstration's crisis records (a neighbour of the town).
const OTHER_COMMUNE: &str = "99102";

/// The commune keeping the `i`-th personal record: one in five is the neighbour's.
fn commune_of(i: usize) -> &'static str {
    if i % 5 == 4 {
        OTHER_COMMUNE
    } else {
        COMMUNE_CODE
    }
}

pub(crate) async fn build_at(
    store: &Store,
    seed: u64,
    now: Timestamp,
) -> Result<CrisisSummary, cs::Error> {
    // The demonstration is written as the owner: every commune.
    let all = &Reach::everything();
    let mut rng = Rng::new(seed ^ 0xC415_15C0_FFEE);
    let today = cs::today(now);
    let mut summary = CrisisSummary::default();

    // The crisis cell: an epidemic followed at the watch level, and a heatwave raised to the alert level.
    let mut tx = cs::begin(store, all).await?;
    let epidemic = cell::open_event(
        &mut tx,
        all,
        None,
        EventKind::Epidemie,
        "Covid-19 — suivi épidémique",
        Level::Veille,
        "demonstration",
        hours_ago(now, 24.0 * 40.0),
    )
    .await?;
    let heat = cell::open_event(
        &mut tx,
        all,
        None,
        EventKind::Canicule,
        "Canicule — épisode de juillet",
        Level::Veille,
        "demonstration",
        hours_ago(now, 52.0),
    )
    .await?;
    let log = |kind,
               hours: f64,
               author: Option<&str>,
               text: &str,
               site: Option<i64>,
               event: Option<i64>| cell::NewLogEntry {
        commune: None,
        event_id: event,
        site_id: site,
        at: hours_ago(now, hours),
        kind,
        author: author.map(str::to_string),
        text: text.to_string(),
    };
    let entries = [
        log(
            LogKind::Information,
            50.0,
            Some("Préfecture (SIDPC)"),
            "Vigilance canicule orange Météo-France pour le département à partir de demain 6 h. Déclenchement du niveau 3 du plan canicule par le préfet.",
            None,
            Some(heat),
        ),
        log(
            LogKind::Decision,
            46.0,
            Some("Mme la Maire"),
            "Activation de la cellule de crise communale ; le CCAS lance les appels aux personnes inscrites au registre.",
            None,
            Some(heat),
        ),
        log(
            LogKind::Decision,
            45.5,
            Some("Mme la Maire"),
            "Ouverture de la salle rafraîchie (salle des fêtes) de 10 h à 19 h, navette sur demande au CCAS.",
            None,
            Some(heat),
        ),
        log(
            LogKind::Arrete,
            30.0,
            Some("Mme la Maire"),
            "Arrêté municipal : horaires élargis de la piscine municipale et fermeture de la médiathèque l'après-midi.",
            None,
            Some(heat),
        ),
        log(
            LogKind::Information,
            8.0,
            Some("ARS, délégation départementale"),
            "Point téléphonique ARS / préfecture / communes : pas de tension hospitalière signalée ; vigilance pour les EHPAD.",
            None,
            Some(heat),
        ),
    ];
    for e in &entries {
        cell::append_log(&mut tx, all, e, "demonstration", e.at).await?;
    }
    cell::set_level(
        &mut tx,
        all,
        heat,
        Level::Alerte,
        Some("Mme la Maire"),
        "demonstration",
        hours_ago(now, 46.0),
    )
    .await?;
    let members = [
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
    for (kind, name, function, organisation, always, mailbox) in members {
        let form = cell::MemberForm {
            kind: kind.into(),
            name: name.into(),
            function: function.into(),
            organisation: organisation.into(),
            phone: phone(&mut rng, kind == "membre"),
            email: format!("{mailbox}@example.org"),
            always_reachable: always,
        };
        cell::add_member(&mut tx, all, None, &form, hours_ago(now, 50.0)).await?;
    }
    let tasks = [
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
    for (title, owner, due_in_hours, status) in tasks {
        let due = now
            .checked_add(SignedDuration::from_secs_f64(due_in_hours * 3600.0))
            .unwrap_or(now);
        let id = cell::add_task(
            &mut tx,
            all,
            None,
            Some(heat),
            title,
            owner,
            Some(due),
            "demonstration",
            hours_ago(now, 45.0),
        )
        .await?;
        if status != TaskStatus::AFaire {
            cell::set_task_status(&mut tx, all, id, status, hours_ago(now, 20.0)).await?;
        }
    }
    tx.commit().await?;
    let _ = epidemic;

    // The register: about 200 people, registered over the last two years.
    let mut tx = cs::begin(store, all).await?;
    let n_people = 196 + rng.below(9);
    for i in 0..n_people {
        let (basis, birth_year) = match rng.below(20) {
            // Old enough on the day of their request, up to two years ago.
            0..=15 => ("age_65", today.year() - 67 - rng.below(32) as i16),
            16..=17 => ("inapte_60", today.year() - 63 - rng.below(4) as i16),
            _ => ("adulte_handicape", today.year() - 21 - rng.below(45) as i16),
        };
        let birth = jiff::civil::date(birth_year, 1 + rng.below(12) as i8, 1 + rng.below(28) as i8);
        let requested = today.saturating_sub(((10 + rng.below(700)) as i64).days());
        let requester = *rng.pick(&[
            "personne",
            "personne",
            "personne",
            "proche",
            "proche",
            "voisin",
            "medecin",
            "service_domicile",
            "representant_legal",
        ]);
        let third = !matches!(requester, "personne" | "representant_legal");
        let old = basis == "age_65";
        let form = RegistrationForm {
            last_name: rng.pick(REGISTER_SURNAMES).to_string(),
            first_name: rng
                .pick(if old {
                    ELDERLY_FIRST_NAMES
                } else {
                    ADULT_FIRST_NAMES
                })
                .to_string(),
            birth_date: birth.to_string(),
            address: address(&mut rng),
            phone: if rng.chance(0.97) {
                let mobile = rng.chance(0.25);
                phone(&mut rng, mobile)
            } else {
                String::new()
            },
            basis: basis.into(),
            living_at_home: true,
            requester: requester.into(),
            requested_on: requested.to_string(),
            informed_on: if third {
                requested.saturating_add(3.days()).min(today).to_string()
            } else {
                String::new()
            },
            refused: false,
            emergency_contact: if rng.chance(0.7) {
                format!(
                    "{} {} ({})",
                    rng.pick(ADULT_FIRST_NAMES),
                    rng.pick(REGISTER_SURNAMES),
                    rng.pick(&["fille", "fils", "voisine", "neveu", "amie"])
                )
            } else {
                String::new()
            },
            emergency_phone: String::new(),
            home_care: if rng.chance(0.45) {
                rng.pick(HOME_CARE_SERVICES).to_string()
            } else {
                String::new()
            },
            doctor: if rng.chance(0.5) {
                format!("Dr {} (fictif)", rng.pick(REGISTER_SURNAMES))
            } else {
                String::new()
            },
        };
        let mut form = form;
        if !form.emergency_contact.is_empty() {
            form.emergency_phone = phone(&mut rng, true);
        }
        let registration = validate(&form, today)?;
        let id = register::create(
            &mut tx,
            all,
            Some(commune_of(i)),
            &registration,
            Some(place(&mut rng)),
            "ccas",
            hours_ago(now, 24.0 * 30.0),
        )
        .await?;
        // Most registrations are acknowledged; the most recent ones not yet.
        let age_days = (today - requested).get_days();
        if age_days > 6 || rng.chance(0.3) {
            register::acknowledge(
                &mut tx,
                all,
                id,
                requested
                    .saturating_add((1 + rng.below(6) as i64).days())
                    .min(today),
                now,
            )
            .await?;
        }
        // Yearly confirmations: most people confirmed last spring; a few did not answer yet.
        if age_days > 330 && rng.chance(0.85) {
            register::confirm(
                &mut tx,
                all,
                id,
                today.saturating_sub(((20 + rng.below(90)) as i64).days()),
                now,
            )
            .await?;
        }
    }
    tx.commit().await?;
    summary.registered = n_people;

    // A phone campaign started this morning, split among 5 callers; calls made over the last hours.
    let start = hours_ago(now, 6.0);
    let callers: Vec<String> = CALLERS.iter().map(|c| c.to_string()).collect();
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
    summary.callers = callers.len();
    let mut made = 0;
    let steps = 150;
    for k in 0..steps {
        let at = start
            .checked_add(SignedDuration::from_secs(k * 5 * 3600 / steps))
            .unwrap_or(now);
        let caller = CALLERS[k as usize % CALLERS.len()];
        let Some(call) = calls::claim_next(store, all, campaign, caller, at).await? else {
            continue;
        };
        // People who did not answer once often do not answer again: some end unreachable, and get a visit.
        let tried = calls::call(store, all, call)
            .await?
            .map_or(0, |c| c.attempts);
        let outcome = if tried > 0 && rng.chance(0.6) {
            Outcome::PasDeReponse
        } else {
            match rng.below(100) {
                0..=59 => Outcome::Joint,
                60..=84 => Outcome::PasDeReponse,
                85..=96 => Outcome::Besoin,
                _ => Outcome::Urgence,
            }
        };
        let note = match outcome {
            Outcome::Besoin => Some(*rng.pick(&[
                "Besoin de courses (eau, fruits) : ne peut pas sortir avec la chaleur.",
                "Renouvellement d'ordonnance à aller chercher à la pharmacie.",
                "Se sent seule : souhaite un appel de convivialité chaque jour.",
                "Ventilateur en panne : demande une visite.",
            ])),
            Outcome::Urgence => {
                Some("Propos confus, dit avoir très chaud et ne pas avoir bu depuis hier.")
            }
            _ => None,
        };
        let mut tx = cs::begin(store, all).await?;
        calls::record_outcome(&mut tx, all, call, caller, outcome, note, at).await?;
        tx.commit().await?;
        made += 1;
    }
    summary.calls_made = made;
    // Follow-up of the escalations opened by the calls.
    let escalations = calls::escalations(store, all, Some(campaign)).await?;
    let mut tx = cs::begin(store, all).await?;
    for (i, e) in escalations.iter().enumerate() {
        let (status, text) = match e.kind {
            maillage_crisis::calls::Escalation::Secours => (
                EscalationStatus::Close,
                "SAMU appelé ; la personne a été prise en charge, sa fille est prévenue.",
            ),
            maillage_crisis::calls::Escalation::Visite => (
                EscalationStatus::EnCours,
                "Visite de l'équipe du CCAS prévue cet après-midi.",
            ),
            maillage_crisis::calls::Escalation::Besoin if i % 2 == 0 => (
                EscalationStatus::EnCours,
                "Demande transmise aux bénévoles.",
            ),
            maillage_crisis::calls::Escalation::Besoin => continue,
        };
        calls::follow_up(
            &mut tx,
            all,
            e.id,
            status,
            text,
            "ccas",
            hours_ago(now, 0.5),
        )
        .await?;
    }
    tx.commit().await?;

    // Volunteers and requests; the `benevole` demonstration account is linked to a volunteer with missions.
    let mut tx = cs::begin(store, all).await?;
    let skills_sets: &[&[&str]] = &[
        &["courses", "medicaments"],
        &["repas", "colis_alimentaire", "courses"],
        &["convivialite"],
        &["visite", "convivialite"],
        &["transport", "courses"],
        &["courses", "repas", "medicaments", "visite"],
    ];
    let mut volunteer_ids = Vec::new();
    let n_volunteers = 15;
    for i in 0..n_volunteers {
        let is_demo = i == 0;
        let name = if is_demo {
            "Claire Fontaine (fictive)".to_string()
        } else {
            format!(
                "{} {} (fictif)",
                rng.pick(ADULT_FIRST_NAMES),
                rng.pick(REGISTER_SURNAMES)
            )
        };
        let skills: Vec<String> = if is_demo {
            vec![
                "courses".into(),
                "repas".into(),
                "medicaments".into(),
                "convivialite".into(),
            ]
        } else {
            rng.pick(skills_sets)
                .iter()
                .map(|s| s.to_string())
                .collect()
        };
        let days: Vec<String> = if is_demo || rng.chance(0.4) {
            Vec::new()
        } else {
            let start = rng.below(7);
            (0..3)
                .map(|d| maillage_crisis::volunteers::WEEKDAY_CODES[(start + d) % 7].to_string())
                .collect()
        };
        let form = volunteers::VolunteerForm {
            name,
            phone: phone(&mut rng, true),
            email: String::new(),
            account: if is_demo {
                "benevole".into()
            } else {
                String::new()
            },
            skills,
            days,
            availability: rng
                .pick(&["le matin", "l'après-midi", "en soirée", "toute la journée"])
                .to_string(),
            area: rng
                .pick(&[
                    "Centre-ville",
                    "Les Hauts",
                    "Val Fleuri",
                    "Faubourg de l'Est",
                    "Rive Ouest",
                ])
                .to_string(),
            position: Some(if is_demo {
                model::at(0.3, 0.2)
            } else {
                place(&mut rng)
            }),
            radius_km: format!("{}", 1.5 + rng.below(6) as f64 * 0.5),
            consent_on: today
                .saturating_sub(((5 + rng.below(200)) as i64).days())
                .to_string(),
        };
        volunteer_ids.push(
            volunteers::add_volunteer(
                &mut tx,
                all,
                Some(commune_of(i)),
                &form,
                hours_ago(now, 24.0 * 10.0),
            )
            .await?,
        );
    }
    summary.volunteers = n_volunteers;
    let kinds = [
        "courses",
        "repas",
        "medicaments",
        "convivialite",
        "colis_alimentaire",
        "courses",
        "repas",
        "visite",
    ];
    let mut request_ids = Vec::new();
    for i in 0..22 {
        let kind = kinds[i % kinds.len()];
        let form = volunteers::RequestForm {
            kind: kind.into(),
            beneficiary: format!(
                "{} {}.",
                rng.pick(ELDERLY_FIRST_NAMES),
                rng.pick(REGISTER_SURNAMES).chars().next().unwrap_or('X')
            ),
            address: address(&mut rng),
            phone: phone(&mut rng, false),
            details: match kind {
                "courses" => {
                    "Eau (6 bouteilles), fruits, yaourts ; paiement à la livraison.".into()
                }
                "repas" => "Repas du midi, régime sans sel.".into(),
                "medicaments" => {
                    "Ordonnance à prendre à la pharmacie du Marché (déjà prévenue).".into()
                }
                "convivialite" => "Appel d'un quart d'heure en fin de matinée.".into(),
                "colis_alimentaire" => "Colis pour 2 personnes.".into(),
                _ => "Passer vérifier que tout va bien.".into(),
            },
            needed_on: today
                .saturating_add(((rng.below(3)) as i64).days())
                .to_string(),
            position: Some(place(&mut rng)),
        };
        request_ids.push((
            kind,
            volunteers::add_request(
                &mut tx,
                all,
                Some(commune_of(i)),
                &form,
                "ccas",
                hours_ago(now, 30.0 - i as f64),
            )
            .await?,
        ));
    }
    summary.requests = request_ids.len();
    // The demonstration volunteer: groceries and medicine to bring, one done yesterday; a meal round tomorrow.
    let demo_volunteer = volunteer_ids[0];
    let mut given = 0;
    for (kind, id) in &request_ids {
        if matches!(*kind, "courses" | "medicaments" | "convivialite") && given < 4 {
            volunteers::assign(&mut tx, all, *id, demo_volunteer, hours_ago(now, 20.0)).await?;
            given += 1;
            if given == 1 {
                volunteers::close_request(
                    &mut tx,
                    all,
                    *id,
                    maillage_crisis::volunteers::RequestStatus::Faite,
                    Some("Courses livrées, tout va bien."),
                    hours_ago(now, 18.0),
                )
                .await?;
            }
        }
    }
    // Meals go in a round; food parcels stay to be given.
    let meals: Vec<i64> = request_ids
        .iter()
        .filter(|(k, _)| *k == "repas")
        .map(|(_, id)| *id)
        .collect();
    volunteers::create_round(
        &mut tx,
        all,
        &volunteers::NewRound {
            commune: Some(COMMUNE_CODE),
            day: today.saturating_add(1.days()),
            kind: maillage_crisis::volunteers::Skill::Repas,
            label: "Portage de repas — secteur centre",
            volunteer_id: Some(demo_volunteer),
            depot: Some(model::at(0.0, 0.0)),
            requests: &meals,
        },
        "ccas",
        hours_ago(now, 3.0),
    )
    .await?;
    // Others: a few assigned to the nearest volunteer who can.
    for (kind, id) in request_ids
        .iter()
        .filter(|(k, _)| matches!(*k, "visite" | "colis_alimentaire"))
        .take(3)
    {
        let Some(r) = volunteers::request(store, all, *id).await? else {
            continue;
        };
        let _ = kind;
        if let Some(c) = volunteers::candidates(store, all, &r).await?.first() {
            volunteers::assign(&mut tx, all, *id, c.volunteer, hours_ago(now, 2.0)).await?;
        }
    }
    tx.commit().await?;

    // Stocks by lot: receipts at the start of the crisis, distributions since; FFP2 under its threshold.
    let mut tx = cs::begin(store, all).await?;
    let items = [
        (
            "masques_chirurgicaux",
            "Masques chirurgicaux",
            "masques",
            2_000,
        ),
        ("masques_ffp2", "Masques FFP2", "masques", 500),
        (
            "gel_hydroalcoolique",
            "Gel hydroalcoolique 500 ml",
            "flacons",
            100,
        ),
        (
            "gants_nitrile",
            "Gants nitrile (boîtes de 100)",
            "boîtes",
            50,
        ),
        (
            "eau_bouteilles",
            "Eau minérale (packs de 6 × 1,5 l)",
            "packs",
            40,
        ),
    ];
    let mut item_ids = Vec::new();
    for (code, label, unit, threshold) in items {
        // The town's stocks; the water packs are the territory's (the EPCI's reserve).
        let commune = (code != "eau_bouteilles").then_some(COMMUNE_CODE);
        item_ids.push(
            stocks::add_item(&mut tx, all, commune, code, label, unit, Some(threshold)).await?,
        );
    }
    let lots = [
        (
            0,
            "MC-2025-118",
            Some(today.saturating_add(400.days())),
            10_000,
            "Dotation de l'État",
        ),
        (
            0,
            "MC-2024-031",
            Some(today.saturating_add(20.days())),
            3_000,
            "Don d'une entreprise locale",
        ),
        (
            1,
            "FFP2-7781",
            Some(today.saturating_add(700.days())),
            1_200,
            "Centrale d'achat régionale",
        ),
        (
            2,
            "GHA-5502",
            Some(today.saturating_add(300.days())),
            400,
            "Pharmacie centrale",
        ),
        (
            2,
            "GHA-4410",
            Some(today.saturating_sub(15.days())),
            30,
            "Stock de 2020",
        ),
        (
            3,
            "GN-2291",
            Some(today.saturating_add(900.days())),
            150,
            "Centrale d'achat régionale",
        ),
        (4, "EAU-0712", None, 120, "Supermarché partenaire (don)"),
    ];
    for (item, number, expiry, quantity, supplier) in lots {
        let receipt = stocks::Receipt {
            item_id: item_ids[item],
            lot_number: number,
            expiry,
            quantity,
            supplier: Some(supplier),
        };
        stocks::receive(&mut tx, all, &receipt, "crise", hours_ago(now, 24.0 * 20.0)).await?;
    }
    let distributions = [
        (
            0,
            2_400,
            Recipient::Professionnel,
            "Infirmiers libéraux de la CPTS",
        ),
        (
            0,
            1_500,
            Recipient::Pharmacie,
            "Pharmacies de la commune (6)",
        ),
        (
            0,
            3_000,
            Recipient::Habitant,
            "Habitants — distribution au marché",
        ),
        (1, 800, Recipient::Structure, "EHPAD Les Glycines (fictif)"),
        (
            2,
            180,
            Recipient::Agent,
            "Agents de l'accueil et de la police municipale",
        ),
        (3, 60, Recipient::Structure, "Centre municipal de santé"),
        (
            4,
            70,
            Recipient::Habitant,
            "Personnes sans abri — maraude du CCAS",
        ),
    ];
    for (item, quantity, kind, recipient) in distributions {
        let d = stocks::Distribution {
            item_id: item_ids[item],
            lot_id: None,
            quantity,
            recipient_kind: kind,
            recipient,
        };
        stocks::distribute(&mut tx, all, &d, "crise", hours_ago(now, 24.0 * 3.0)).await?;
    }
    tx.commit().await?;

    // An epidemic series for the town, written as a Santé publique France file and read by the real importer.
    let days = 150;
    let population = 60_400.0;
    // A folder of its own: several demonstrations may be built at once (tests).
    static BUILDS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = BUILDS.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let dir = std::env::temp_dir().join(format!(
        "maillage-demo-spf-{}-{n}-{}",
        std::process::id(),
        now.as_nanosecond()
    ));
    std::fs::create_dir_all(&dir).map_err(|e| StoreError::Io {
        path: dir.display().to_string(),
        reason: e.to_string(),
    })?;
    let path = dir.join("sp-pos-quot-com-demonstration-fictive.csv");
    let mut text = String::from("com;jour;P;T;cl_age90;pop\n");
    for d in 0..days {
        let day = today.saturating_sub(((days - d) as i64).days());
        // Two waves over a low baseline; fewer tests at week-ends.
        let t = d as f64;
        let wave = 14.0 * (-(t - 45.0).powi(2) / 300.0).exp()
            + 24.0 * (-(t - 125.0).powi(2) / 260.0).exp()
            + 1.0;
        let weekend = matches!(
            day.weekday(),
            jiff::civil::Weekday::Saturday | jiff::civil::Weekday::Sunday
        );
        let tests = ((if weekend { 120.0 } else { 260.0 }) + wave * 9.0 + rng.range(-20.0, 20.0))
            .round()
            .max(0.0);
        let positives = (wave * rng.range(0.7, 1.3) * if weekend { 0.6 } else { 1.0 })
            .round()
            .max(0.0)
            .min(tests);
        text.push_str(&format!(
            "{COMMUNE_CODE};{day};{positives};{tests};0;{population}\n"
        ));
    }
    let written = std::fs::File::create(&path).and_then(|mut f| f.write_all(text.as_bytes()));
    written.map_err(|e| StoreError::Io {
        path: path.display().to_string(),
        reason: e.to_string(),
    })?;
    let imported = cs::epidemic::import_spf(store, &path, None).await;
    let _ = std::fs::remove_dir_all(&dir);
    imported?;
    summary.epidemic_days = days;

    // Clusters: a school with an active cluster (ARS recommendation, then the mayor's decision), an EHPAD whose
    // cluster closed, a workers' hostel under watch, a nursery without case.
    let rules = Rules::default();
    let mut tx = cs::begin(store, all).await?;
    let school = clusters::add_site(
        &mut tx,
        all,
        Some(COMMUNE_CODE),
        "École élémentaire Jules-Ferry (fictive)",
        SiteKind::Ecole,
        Some("rue Jules-Ferry"),
        true,
        hours_ago(now, 24.0 * 30.0),
    )
    .await?;
    let ehpad = clusters::add_site(
        &mut tx,
        all,
        Some(OTHER_COMMUNE),
        "EHPAD Les Glycines (fictif)",
        SiteKind::Ehpad,
        Some("allée des Érables"),
        false,
        hours_ago(now, 24.0 * 60.0),
    )
    .await?;
    let hostel = clusters::add_site(
        &mut tx,
        all,
        Some(COMMUNE_CODE),
        "Foyer de travailleurs du Clain (fictif)",
        SiteKind::Foyer,
        Some("quai des Tanneurs"),
        false,
        hours_ago(now, 24.0 * 30.0),
    )
    .await?;
    clusters::add_site(
        &mut tx,
        all,
        Some(COMMUNE_CODE),
        "Crèche municipale Les Petits Pas (fictive)",
        SiteKind::Creche,
        Some("rue des Écoles"),
        true,
        hours_ago(now, 24.0 * 30.0),
    )
    .await?;
    let cases = [
        (school, 9, 2),
        (school, 8, 1),
        (school, 6, 1),
        (school, 3, 1),
        (ehpad, 41, 2),
        (ehpad, 39, 2),
        (ehpad, 33, 1),
        (hostel, 2, 1),
    ];
    for (site, days_ago, n) in cases {
        clusters::set_cases(
            &mut tx,
            all,
            site,
            today.saturating_sub((days_ago as i64).days()),
            n,
            "crise",
            now,
        )
        .await?;
    }
    clusters::set_status(
        &mut tx,
        all,
        school,
        ClusterStatus::Maitrise,
        Some("Classe de CE2 fermée, dépistage réalisé."),
        &rules,
        "crise",
        now,
    )
    .await?;
    let site_log = [
        (
            school,
            LogKind::Recommandation,
            7.0 * 24.0,
            "ARS, délégation départementale",
            "Recommandation sanitaire : fermeture de la classe de CE2 pour 7 jours et dépistage des élèves et du personnel.",
        ),
        (
            school,
            LogKind::Fermeture,
            6.5 * 24.0,
            "Mme la Maire",
            "Décision de fermeture de la classe de CE2 de l'école Jules-Ferry pour 7 jours ; les familles sont prévenues par l'école.",
        ),
        (
            school,
            LogKind::Reouverture,
            0.5 * 24.0,
            "Mme la Maire",
            "Réouverture de la classe de CE2 à la fin de la période de fermeture.",
        ),
        (
            ehpad,
            LogKind::Information,
            40.0 * 24.0,
            "Direction de l'EHPAD",
            "Signalement de cas parmi les résidents ; mesures de l'établissement, visites suspendues.",
        ),
    ];
    for (site, kind, hours, author, text) in site_log {
        let mut e = log(kind, hours, Some(author), text, Some(site), Some(epidemic));
        // Decisions about a place are its commune's.
        e.commune = Some(
            if site == ehpad {
                OTHER_COMMUNE
            } else {
                COMMUNE_CODE
            }
            .to_string(),
        );
        cell::append_log(&mut tx, all, &e, "crise", e.at).await?;
    }
    tx.commit().await?;

    // Service continuity and relay lists.
    let mut tx = cs::begin(store, all).await?;
    let list = [
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
    for (name, status, hours, addr, tel, note) in list {
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
            hours_ago(now, 40.0),
        )
        .await?;
    }
    // The relay lists of the heatwave are the network's (maillage-demo's network.rs): one relay for all.
    tx.commit().await?;
    let _ = rng.unit();
    Ok(summary)
}

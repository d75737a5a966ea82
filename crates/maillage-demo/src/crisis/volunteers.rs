//! Volunteers and inhabitants' requests in the crisis demonstration: 15 volunteers (the `benevole` demonstration
//! account is the first, with missions: groceries and medicine to bring, one done yesterday, and a meal round
//! tomorrow), 22 requests of the day, and a few others given to the nearest volunteer who can.

use super::{CrisisSummary, address, commune_of, phone, place};
use crate::context::{Change, Context};
use crate::model::{self, COMMUNE_CODE};
use crate::names::{ADULT_FIRST_NAMES, ELDERLY_FIRST_NAMES, REGISTER_SURNAMES};
use jiff::ToSpan;
use maillage_store::Store;
use maillage_store::crisis::{self as cs, volunteers};
use maillage_store::reach::Reach;

/// What volunteers offer to do.
const SKILL_SETS: &[&[&str]] = &[
    &["courses", "medicaments"],
    &["repas", "colis_alimentaire", "courses"],
    &["convivialite"],
    &["visite", "convivialite"],
    &["transport", "courses"],
    &["courses", "repas", "medicaments", "visite"],
];

/// The volunteers, the first being the demonstration's.
const VOLUNTEERS: usize = 15;

/// The kinds of the requests, in turn.
const REQUEST_KINDS: [&str; 8] = [
    "courses",
    "repas",
    "medicaments",
    "convivialite",
    "colis_alimentaire",
    "courses",
    "repas",
    "visite",
];

/// Writes the volunteers, the requests and their assignments in one transaction.
pub(super) async fn write(store: &Store, c: &mut Context<CrisisSummary>) -> Result<(), cs::Error> {
    let all = &Reach::everything();
    let mut tx = cs::begin(store, all).await?;
    let mut volunteer_ids = Vec::new();
    for i in 0..VOLUNTEERS {
        let form = volunteer_form(c, i);
        volunteer_ids.push(
            volunteers::add_volunteer(
                &mut tx,
                all,
                Some(commune_of(i)),
                &form,
                c.hours_ago(24.0 * 10.0),
            )
            .await?,
        );
    }
    c.summary.volunteers = VOLUNTEERS;
    let mut request_ids = Vec::new();
    for i in 0..22 {
        let kind = REQUEST_KINDS[i % REQUEST_KINDS.len()];
        let form = request_form(c, kind);
        request_ids.push((
            kind,
            volunteers::add_request(
                &mut tx,
                all,
                Some(commune_of(i)),
                &form,
                "ccas",
                c.hours_ago(30.0 - i as f64),
            )
            .await?,
        ));
    }
    c.summary.requests = request_ids.len();
    give_to_demonstration_volunteer(&mut tx, c, volunteer_ids[0], &request_ids).await?;
    give_to_nearest(store, &mut tx, c, &request_ids).await?;
    tx.commit().await?;
    Ok(())
}

/// The `i`-th volunteer (the first is the demonstration account's).
fn volunteer_form(c: &mut Context<CrisisSummary>, i: usize) -> volunteers::VolunteerForm {
    let is_demo = i == 0;
    let name = if is_demo {
        "Claire Fontaine (fictive)".to_string()
    } else {
        format!(
            "{} {} (fictif)",
            c.rng.pick(ADULT_FIRST_NAMES),
            c.rng.pick(&REGISTER_SURNAMES)
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
        c.rng
            .pick(SKILL_SETS)
            .iter()
            .map(|s| s.to_string())
            .collect()
    };
    let days: Vec<String> = if is_demo || c.rng.chance(0.4) {
        Vec::new()
    } else {
        let start = c.rng.below(7);
        (0..3)
            .map(|d| maillage_crisis::volunteers::WEEKDAY_CODES[(start + d) % 7].to_string())
            .collect()
    };
    volunteers::VolunteerForm {
        name,
        phone: phone(&mut c.rng, true),
        email: String::new(),
        account: if is_demo {
            "benevole".into()
        } else {
            String::new()
        },
        skills,
        days,
        availability: c
            .rng
            .pick(&["le matin", "l'après-midi", "en soirée", "toute la journée"])
            .to_string(),
        area: c
            .rng
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
            place(&mut c.rng)
        }),
        radius_km: format!("{}", 1.5 + c.rng.below(6) as f64 * 0.5),
        consent_on: c
            .today
            .saturating_sub(((5 + c.rng.below(200)) as i64).days())
            .to_string(),
    }
}

/// A request of the day of `kind`, for an elderly person.
fn request_form(c: &mut Context<CrisisSummary>, kind: &str) -> volunteers::RequestForm {
    volunteers::RequestForm {
        kind: kind.into(),
        beneficiary: format!(
            "{} {}.",
            c.rng.pick(ELDERLY_FIRST_NAMES),
            c.rng.pick(&REGISTER_SURNAMES).chars().next().unwrap_or('X')
        ),
        address: address(&mut c.rng),
        phone: phone(&mut c.rng, false),
        details: details(kind).into(),
        needed_on: c
            .today
            .saturating_add(((c.rng.below(3)) as i64).days())
            .to_string(),
        position: Some(place(&mut c.rng)),
    }
}

/// What a request of `kind` asks for.
fn details(kind: &str) -> &'static str {
    match kind {
        "courses" => "Eau (6 bouteilles), fruits, yaourts ; paiement à la livraison.",
        "repas" => "Repas du midi, régime sans sel.",
        "medicaments" => "Ordonnance à prendre à la pharmacie du Marché (déjà prévenue).",
        "convivialite" => "Appel d'un quart d'heure en fin de matinée.",
        "colis_alimentaire" => "Colis pour 2 personnes.",
        _ => "Passer vérifier que tout va bien.",
    }
}

/// The demonstration volunteer: groceries and medicine to bring, one done yesterday; a meal round tomorrow (meals
/// go in a round; food parcels stay to be given).
async fn give_to_demonstration_volunteer(
    tx: &mut Change,
    c: &Context<CrisisSummary>,
    demo_volunteer: i64,
    request_ids: &[(&str, i64)],
) -> Result<(), cs::Error> {
    let all = &Reach::everything();
    let mut given = 0;
    for (kind, id) in request_ids {
        if matches!(*kind, "courses" | "medicaments" | "convivialite") && given < 4 {
            volunteers::assign(tx, all, *id, demo_volunteer, c.hours_ago(20.0)).await?;
            given += 1;
            if given == 1 {
                volunteers::close_request(
                    tx,
                    all,
                    *id,
                    maillage_crisis::volunteers::RequestStatus::Faite,
                    Some("Courses livrées, tout va bien."),
                    c.hours_ago(18.0),
                )
                .await?;
            }
        }
    }
    let meals: Vec<i64> = request_ids
        .iter()
        .filter(|(k, _)| *k == "repas")
        .map(|(_, id)| *id)
        .collect();
    volunteers::create_round(
        tx,
        all,
        &volunteers::NewRound {
            commune: Some(COMMUNE_CODE),
            day: c.today.saturating_add(1.days()),
            kind: maillage_crisis::volunteers::Skill::Repas,
            label: "Portage de repas — secteur centre",
            volunteer_id: Some(demo_volunteer),
            depot: Some(model::at(0.0, 0.0)),
            requests: &meals,
        },
        "ccas",
        c.hours_ago(3.0),
    )
    .await?;
    Ok(())
}

/// A few visits and food parcels, assigned to the nearest volunteer who can.
async fn give_to_nearest(
    store: &Store,
    tx: &mut Change,
    c: &Context<CrisisSummary>,
    requests: &[(&str, i64)],
) -> Result<(), cs::Error> {
    let all = &Reach::everything();
    for (_, id) in requests
        .iter()
        .filter(|(k, _)| matches!(*k, "visite" | "colis_alimentaire"))
        .take(3)
    {
        let Some(r) = volunteers::request(store, all, *id).await? else {
            continue;
        };
        if let Some(candidate) = volunteers::candidates(store, all, &r).await?.first() {
            volunteers::assign(tx, all, *id, candidate.volunteer, c.hours_ago(2.0)).await?;
        }
    }
    Ok(())
}

//! The register of vulnerable people of the crisis demonstration: about 200 people registered over the last two
//! years (aged 65 and over, unfit for work at 60, disabled adults), on their own request or a third party's, with
//! relatives, home care and doctors; most acknowledged, those registered over a year ago mostly confirmed.

use super::{CrisisSummary, address, commune_of, phone, place};
use crate::context::{Change, Context};
use crate::names::{ADULT_FIRST_NAMES, ELDERLY_FIRST_NAMES, HOME_CARE_SERVICES, REGISTER_SURNAMES};
use jiff::ToSpan;
use jiff::civil::Date;
use maillage_crisis::register::{Registration, RegistrationForm, validate};
use maillage_store::Store;
use maillage_store::crisis::{self as cs, register};
use maillage_store::reach::Reach;

/// Who asks for a registration, as often as they do.
const REQUESTERS: &[&str] = &[
    "personne",
    "personne",
    "personne",
    "proche",
    "proche",
    "voisin",
    "medecin",
    "service_domicile",
    "representant_legal",
];

/// Writes the register in its own transaction.
pub(super) async fn write(store: &Store, c: &mut Context<CrisisSummary>) -> Result<(), cs::Error> {
    let all = &Reach::everything();
    let mut tx = cs::begin(store, all).await?;
    let n_people = 196 + c.rng.below(9);
    for i in 0..n_people {
        let (form, requested) = registration_form(c);
        let registration = validate(&form, c.today)?;
        write_person(&mut tx, c, i, &registration, requested).await?;
    }
    tx.commit().await?;
    c.summary.registered = n_people;
    Ok(())
}

/// A person's registration form, and the day it was asked for.
fn registration_form(c: &mut Context<CrisisSummary>) -> (RegistrationForm, Date) {
    let (basis, birth_year) = match c.rng.below(20) {
        // Old enough on the day of their request, up to two years ago.
        0..=15 => ("age_65", c.today.year() - 67 - c.rng.below(32) as i16),
        16..=17 => ("inapte_60", c.today.year() - 63 - c.rng.below(4) as i16),
        _ => (
            "adulte_handicape",
            c.today.year() - 21 - c.rng.below(45) as i16,
        ),
    };
    let birth = jiff::civil::date(
        birth_year,
        1 + c.rng.below(12) as i8,
        1 + c.rng.below(28) as i8,
    );
    let requested = c
        .today
        .saturating_sub(((10 + c.rng.below(700)) as i64).days());
    let requester = *c.rng.pick(REQUESTERS);
    let third = !matches!(requester, "personne" | "representant_legal");
    let old = basis == "age_65";
    let mut form = RegistrationForm {
        last_name: c.rng.pick(&REGISTER_SURNAMES).to_string(),
        first_name: c
            .rng
            .pick(if old {
                ELDERLY_FIRST_NAMES
            } else {
                ADULT_FIRST_NAMES
            })
            .to_string(),
        birth_date: birth.to_string(),
        address: address(&mut c.rng),
        phone: if c.rng.chance(0.97) {
            let mobile = c.rng.chance(0.25);
            phone(&mut c.rng, mobile)
        } else {
            String::new()
        },
        basis: basis.into(),
        living_at_home: true,
        requester: requester.into(),
        requested_on: requested.to_string(),
        informed_on: if third {
            requested.saturating_add(3.days()).min(c.today).to_string()
        } else {
            String::new()
        },
        refused: false,
        emergency_contact: if c.rng.chance(0.7) {
            format!(
                "{} {} ({})",
                c.rng.pick(ADULT_FIRST_NAMES),
                c.rng.pick(&REGISTER_SURNAMES),
                c.rng.pick(&["fille", "fils", "voisine", "neveu", "amie"])
            )
        } else {
            String::new()
        },
        emergency_phone: String::new(),
        home_care: if c.rng.chance(0.45) {
            c.rng.pick(HOME_CARE_SERVICES).to_string()
        } else {
            String::new()
        },
        doctor: if c.rng.chance(0.5) {
            format!("Dr {} (fictif)", c.rng.pick(&REGISTER_SURNAMES))
        } else {
            String::new()
        },
    };
    if !form.emergency_contact.is_empty() {
        form.emergency_phone = phone(&mut c.rng, true);
    }
    (form, requested)
}

/// The `i`-th person of the register, acknowledged and confirmed as time went by.
async fn write_person(
    tx: &mut Change,
    c: &mut Context<CrisisSummary>,
    i: usize,
    registration: &Registration,
    requested: Date,
) -> Result<(), cs::Error> {
    let all = &Reach::everything();
    let id = register::create(
        tx,
        all,
        Some(commune_of(i)),
        registration,
        Some(place(&mut c.rng)),
        "ccas",
        c.hours_ago(24.0 * 30.0),
    )
    .await?;
    // Most registrations are acknowledged; the most recent ones not yet.
    let age_days = (c.today - requested).get_days();
    if age_days > 6 || c.rng.chance(0.3) {
        register::acknowledge(
            tx,
            all,
            id,
            requested
                .saturating_add((1 + c.rng.below(6) as i64).days())
                .min(c.today),
            c.now,
        )
        .await?;
    }
    // Yearly confirmations: most people confirmed last spring; a few did not answer yet.
    if age_days > 330 && c.rng.chance(0.85) {
        register::confirm(
            tx,
            all,
            id,
            c.today
                .saturating_sub(((20 + c.rng.below(90)) as i64).days()),
            c.now,
        )
        .await?;
    }
    Ok(())
}

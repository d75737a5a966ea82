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
//!
//! One file per part, in the order they are written (identifiers and the generator's draws follow it): `cell.rs`,
//! `register.rs`, `calls.rs`, `volunteers.rs`, `stocks.rs`, `epidemic.rs`, `clusters.rs`, `services.rs`, each over
//! the shared context (`crate::context`) and in its own transactions.

mod calls;
mod cell;
mod clusters;
mod epidemic;
mod register;
mod services;
mod stocks;
mod volunteers;

use crate::context::Context;
use crate::model::{self, COMMUNE_CODE, POSTCODE};
use crate::names::{any_street, fictional_phone};
use crate::rng::Rng;
use jiff::Timestamp;
use maillage_store::crisis as cs;
use maillage_store::{Store, StoreError};

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

/// The store's error of a failed build (the demonstration's own values are never invalid).
fn fail(e: cs::Error) -> StoreError {
    match e {
        cs::Error::Store(e) => *e,
        other => StoreError::InvalidValue {
            field: "demonstration_crise",
            value: other.to_string(),
        },
    }
}

/// A phone number in the ranges kept for fiction (one draw for each of its last two pairs of digits).
fn phone(rng: &mut Rng, mobile: bool) -> String {
    fictional_phone(mobile, rng.below(100), rng.below(100))
}

/// An address in town.
fn address(rng: &mut Rng) -> String {
    format!(
        "{} {}, {POSTCODE} Bellerive-sur-Clain",
        1 + rng.below(120),
        any_street(rng)
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

/// Builds the crisis demonstration at `now`, part by part (the demonstration is written as the owner: every
/// commune).
pub(crate) async fn build_at(
    store: &Store,
    seed: u64,
    now: Timestamp,
) -> Result<CrisisSummary, cs::Error> {
    let mut c = Context::new(Rng::new(seed ^ 0xC415_15C0_FFEE), now, cs::today(now));
    let events = cell::write(store, &mut c).await?;
    register::write(store, &mut c).await?;
    calls::write(store, &mut c, events.heat).await?;
    volunteers::write(store, &mut c).await?;
    stocks::write(store, &c).await?;
    epidemic::write(store, &mut c).await?;
    clusters::write(store, &c, events.epidemic).await?;
    services::write(store, &c).await?;
    Ok(c.summary)
}

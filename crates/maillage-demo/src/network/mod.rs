//! The network and CLS part of the demonstration (fictional, every name labelled so): a directory of about 80
//! actors of the town (structures, professionals, associations, services; most public, some internal) with
//! contact persons; a Conseil d'organisation de la santé like Châteauroux's (17 typed members, co-chaired by an
//! élu and a doctor, 4 sub-groups, meeting every two months, with its board of files in progress); a
//! health–precarity watch network like Grand Nancy's Lab' (three thematic meetings a year and a few cases from
//! report to interpellation); a second-generation Contrat local de santé with the four axes of the Pays de
//! Morlaix, its fiches actions, indicators with dated measures (one linked to the observatory), funding with
//! report deadlines; relay lists; consultations of inhabitants.
//!
//! Everything goes through `maillage_store::network` (the functions the web pages call), with dates set
//! relative to the day the demonstration is built, so that reminders (overdue actions, reports to send) show.
//! Phones are in the ranges ARCEP keeps for fiction (01 99 00, 06 39 98), e-mails end in `.invalid`.
//!
//! One file per part, each writing over the shared context (`crate::context`): `actors.rs` (the directory, whose
//! data is `actor_list.rs`), `relay.rs`, `cos.rs`, `bodies.rs` (the watch network and the steering bodies),
//! `watch.rs`, `cls.rs` (whose axes are `cls_axes.rs`) and `democracy.rs`. The order of the writes is the
//! demonstration's: identifiers and draws of the generator follow it.

mod actor_list;
mod actors;
mod bodies;
mod cls;
mod cls_axes;
mod cos;
mod democracy;
mod relay;
mod watch;

use crate::context::Context;
use crate::model;
use crate::names::fictional_phone;
use crate::rng::Rng;
use jiff::Timestamp;
use maillage_store::network::{self as net, Reach};
use maillage_store::{Store, StoreError};

/// What the network demonstration holds.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct NetworkSummary {
    pub actors: usize,
    pub public_actors: usize,
    pub contacts: usize,
    pub bodies: usize,
    pub meetings: usize,
    pub watch_cases: usize,
    pub fiches: usize,
    pub indicators: usize,
}

/// The author of every record of the demonstration.
const BY: &str = "demonstration";

/// The communes keeping the records (a commune account sees a part): most are the town's, some its first
/// neighbour's (Saint-Aubin-des-Prés, in the model's EPCI), and intercommunal ones (the CLS, the watch network,
/// a relay list) belong to the whole territory.
const TOWN: Option<&str> = Some(model::COMMUNE_CODE);
const NEIGHBOUR: Option<&str> = Some("99102");
const TERRITORY: Option<&str> = None;

/// A record's commune, as the forms take it.
fn owned(commune: Option<&str>) -> Option<String> {
    commune.map(str::to_string)
}

/// The store's error of a failed build (the demonstration's own values are never invalid).
fn fail(e: net::Error) -> StoreError {
    match e {
        net::Error::Store(e) => *e,
        other => StoreError::InvalidValue {
            field: "demonstration_reseau",
            value: other.to_string(),
        },
    }
}

/// Builds the network demonstration into a store that holds the demonstration territory.
pub async fn build(store: &Store, seed: u64) -> Result<NetworkSummary, StoreError> {
    build_at(store, seed, Timestamp::now()).await.map_err(fail)
}

/// Builds the network demonstration at `now`, part by part, one transaction per group of parts.
pub(crate) async fn build_at(
    store: &Store,
    seed: u64,
    now: Timestamp,
) -> Result<NetworkSummary, net::Error> {
    let mut c = Context::new(Rng::new(seed ^ 0x5E5E_A0C1_5000), now, net::today(now));
    let mut tx = net::begin(store, &Reach::everything()).await?;
    let contacts = actors::write(&mut tx, &mut c).await?;
    relay::write(&mut tx, &c, &contacts).await?;
    tx.commit().await?;

    let mut tx = net::begin(store, &Reach::everything()).await?;
    cos::write(&mut tx, &mut c).await?;
    let lab = bodies::write_watch_network(&mut tx, &mut c).await?;
    bodies::write_steering(&mut tx, &mut c).await?;
    tx.commit().await?;

    let mut tx = net::begin(store, &Reach::everything()).await?;
    watch::write(&mut tx, &mut c, lab).await?;
    tx.commit().await?;

    let mut tx = net::begin(store, &Reach::everything()).await?;
    let contract = cls::write(&mut tx, &mut c).await?;
    democracy::write(&mut tx, &c, contract).await?;
    tx.commit().await?;
    Ok(c.summary)
}

/// A phone number in the ranges kept for fiction (one draw for its last four digits).
fn phone(rng: &mut Rng, mobile: bool) -> String {
    let n = rng.below(10_000);
    fictional_phone(mobile, n / 100, n % 100)
}

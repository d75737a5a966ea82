//! The stocks of the crisis demonstration, by lot: masks, gel, gloves and water received at the start of the
//! crisis (one lot soon out of date, one already), distributions since to professionals, pharmacies, inhabitants,
//! structures and agents; the FFP2 masks end under their alert threshold.

use super::CrisisSummary;
use crate::context::{Change, Context};
use crate::model::COMMUNE_CODE;
use jiff::ToSpan;
use maillage_crisis::stocks::Recipient;
use maillage_store::Store;
use maillage_store::crisis::{self as cs, stocks};
use maillage_store::reach::Reach;

/// Items: code, label, unit, alert threshold.
const ITEMS: &[(&str, &str, &str, i64)] = &[
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

/// Lots received: item (rank in `ITEMS`), number, expiry (days from today), quantity, supplier.
const LOTS: &[(usize, &str, Option<i64>, i64, &str)] = &[
    (0, "MC-2025-118", Some(400), 10_000, "Dotation de l'État"),
    (
        0,
        "MC-2024-031",
        Some(20),
        3_000,
        "Don d'une entreprise locale",
    ),
    (
        1,
        "FFP2-7781",
        Some(700),
        1_200,
        "Centrale d'achat régionale",
    ),
    (2, "GHA-5502", Some(300), 400, "Pharmacie centrale"),
    (2, "GHA-4410", Some(-15), 30, "Stock de 2020"),
    (3, "GN-2291", Some(900), 150, "Centrale d'achat régionale"),
    (4, "EAU-0712", None, 120, "Supermarché partenaire (don)"),
];

/// Distributions: item (rank in `ITEMS`), quantity, recipient kind, recipient.
const DISTRIBUTIONS: &[(usize, i64, Recipient, &str)] = &[
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

/// Writes the items, the lots received 20 days ago and the distributions of 3 days ago, in one transaction.
pub(super) async fn write(store: &Store, c: &Context<CrisisSummary>) -> Result<(), cs::Error> {
    let all = &Reach::everything();
    let mut tx = cs::begin(store, all).await?;
    let item_ids = write_items(&mut tx).await?;
    for &(item, number, expiry, quantity, supplier) in LOTS {
        let receipt = stocks::Receipt {
            item_id: item_ids[item],
            lot_number: number,
            expiry: expiry.map(|days| c.today.saturating_add(days.days())),
            quantity,
            supplier: Some(supplier),
        };
        stocks::receive(&mut tx, all, &receipt, "crise", c.hours_ago(24.0 * 20.0)).await?;
    }
    for &(item, quantity, kind, recipient) in DISTRIBUTIONS {
        let d = stocks::Distribution {
            item_id: item_ids[item],
            lot_id: None,
            quantity,
            recipient_kind: kind,
            recipient,
        };
        stocks::distribute(&mut tx, all, &d, "crise", c.hours_ago(24.0 * 3.0)).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The items; returns their ids in the order of `ITEMS`.
async fn write_items(tx: &mut Change) -> Result<Vec<i64>, cs::Error> {
    let all = &Reach::everything();
    let mut item_ids = Vec::new();
    for &(code, label, unit, threshold) in ITEMS {
        // The town's stocks; the water packs are the territory's (the EPCI's reserve).
        let commune = (code != "eau_bouteilles").then_some(COMMUNE_CODE);
        item_ids
            .push(stocks::add_item(tx, all, commune, code, label, unit, Some(threshold)).await?);
    }
    Ok(item_ids)
}

//! The clusters of the crisis demonstration: a school with an active cluster (the ARS recommendation, then the
//! mayor's decision to close a class and to reopen it), an EHPAD of the neighbour whose cluster closed, a workers'
//! hostel under watch and a nursery without case.

use super::cell::log_entry;
use super::{CrisisSummary, OTHER_COMMUNE};
use crate::context::{Change, Context};
use crate::model::COMMUNE_CODE;
use jiff::ToSpan;
use maillage_crisis::cell::LogKind;
use maillage_crisis::clusters::{ClusterStatus, Rules, SiteKind};
use maillage_store::Store;
use maillage_store::crisis::{self as cs, cell, clusters};
use maillage_store::reach::Reach;

/// A site followed for clusters: commune, name, kind, street, whether it is municipal, days since it is followed.
type Site = (
    &'static str,
    &'static str,
    SiteKind,
    &'static str,
    bool,
    f64,
);

/// The sites, by rank: the school, the EHPAD, the hostel, the nursery.
const SITES: [Site; 4] = [
    (
        COMMUNE_CODE,
        "École élémentaire Jules-Ferry (fictive)",
        SiteKind::Ecole,
        "rue Jules-Ferry",
        true,
        30.0,
    ),
    (
        OTHER_COMMUNE,
        "EHPAD Les Glycines (fictif)",
        SiteKind::Ehpad,
        "allée des Érables",
        false,
        60.0,
    ),
    (
        COMMUNE_CODE,
        "Foyer de travailleurs du Clain (fictif)",
        SiteKind::Foyer,
        "quai des Tanneurs",
        false,
        30.0,
    ),
    (
        COMMUNE_CODE,
        "Crèche municipale Les Petits Pas (fictive)",
        SiteKind::Creche,
        "rue des Écoles",
        true,
        30.0,
    ),
];
const SCHOOL: usize = 0;
const EHPAD: usize = 1;
const HOSTEL: usize = 2;

/// Cases by day: site, days ago, cases.
const CASES: [(usize, i64, i64); 8] = [
    (SCHOOL, 9, 2),
    (SCHOOL, 8, 1),
    (SCHOOL, 6, 1),
    (SCHOOL, 3, 1),
    (EHPAD, 41, 2),
    (EHPAD, 39, 2),
    (EHPAD, 33, 1),
    (HOSTEL, 2, 1),
];

/// The log of the sites: site, kind, hours ago, author, text.
const SITE_LOG: [(usize, LogKind, f64, &str, &str); 4] = [
    (
        SCHOOL,
        LogKind::Recommandation,
        7.0 * 24.0,
        "ARS, délégation départementale",
        "Recommandation sanitaire : fermeture de la classe de CE2 pour 7 jours et dépistage des élèves et du personnel.",
    ),
    (
        SCHOOL,
        LogKind::Fermeture,
        6.5 * 24.0,
        "Mme la Maire",
        "Décision de fermeture de la classe de CE2 de l'école Jules-Ferry pour 7 jours ; les familles sont prévenues par l'école.",
    ),
    (
        SCHOOL,
        LogKind::Reouverture,
        0.5 * 24.0,
        "Mme la Maire",
        "Réouverture de la classe de CE2 à la fin de la période de fermeture.",
    ),
    (
        EHPAD,
        LogKind::Information,
        40.0 * 24.0,
        "Direction de l'EHPAD",
        "Signalement de cas parmi les résidents ; mesures de l'établissement, visites suspendues.",
    ),
];

/// Writes the sites, their cases, the school's status and the sites' log about the epidemic, in one transaction.
pub(super) async fn write(
    store: &Store,
    c: &Context<CrisisSummary>,
    epidemic: i64,
) -> Result<(), cs::Error> {
    let all = &Reach::everything();
    let rules = Rules::default();
    let mut tx = cs::begin(store, all).await?;
    let sites = write_sites(&mut tx, c).await?;
    for (site, days_ago, n) in CASES {
        let day = c.today.saturating_sub(days_ago.days());
        clusters::set_cases(&mut tx, all, sites[site], day, n, "crise", c.now).await?;
    }
    clusters::set_status(
        &mut tx,
        all,
        sites[SCHOOL],
        ClusterStatus::Maitrise,
        Some("Classe de CE2 fermée, dépistage réalisé."),
        &rules,
        "crise",
        c.now,
    )
    .await?;
    for (site, kind, hours, author, text) in SITE_LOG {
        let mut e = log_entry(c, kind, hours, author, text, Some(sites[site]), epidemic);
        // Decisions about a place are its commune's.
        e.commune = Some(SITES[site].0.to_string());
        cell::append_log(&mut tx, all, &e, "crise", e.at).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The sites; returns their ids in the order of `SITES`.
async fn write_sites(tx: &mut Change, c: &Context<CrisisSummary>) -> Result<Vec<i64>, cs::Error> {
    let all = &Reach::everything();
    let mut ids = Vec::new();
    for (commune, name, kind, street, children, days) in SITES {
        let since = c.hours_ago(24.0 * days);
        ids.push(
            clusters::add_site(
                tx,
                all,
                Some(commune),
                name,
                kind,
                Some(street),
                children,
                since,
            )
            .await?,
        );
    }
    Ok(ids)
}

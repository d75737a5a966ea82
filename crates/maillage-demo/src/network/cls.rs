//! The Contrat local de santé of the network demonstration, second generation: the contract signed with the
//! agglomération and its signatories, its axes, objectives and fiches actions (`cls_axes.rs`) with funders and
//! indicators, and the funding obtained with report deadlines (one due soon, one late, one sent), so that the
//! reminders show.

use super::cls_axes::{AXES, FicheSpec, Ind};
use super::{BY, NetworkSummary, TERRITORY, owned};
use crate::context::{Change, Context, days_from};
use jiff::civil::Date;
use maillage_store::network::cls::{self, ContractForm, FicheForm, FundingForm, IndicatorForm};
use maillage_store::network::{self as net, Reach};

/// Funding: title, funder, scheme, amount, status, fiche number, reports (label, due in days, sent days ago).
type FundingSpec = (
    &'static str,
    &'static str,
    &'static str,
    f64,
    &'static str,
    Option<&'static str>,
    &'static [(&'static str, i64, Option<i64>)],
);

const FUNDINGS: &[FundingSpec] = &[
    (
        "Médiation en santé dans les QPV",
        "Agence régionale de santé",
        "fir",
        45_000.0,
        "accorde",
        Some("3.1.1"),
        &[
            ("Bilan intermédiaire", 20, None),
            ("Bilan final", 380, None),
        ],
    ),
    (
        "Ateliers cuisine et petit budget",
        "Préfecture — contrat de ville",
        "contrat_de_ville",
        4_500.0,
        "accorde",
        Some("1.2.2"),
        &[("Bilan de l'action", -10, None)],
    ),
    (
        "Accueil des internes",
        "Conseil départemental",
        "appel_a_projets",
        15_000.0,
        "depose",
        Some("2.1.1"),
        &[],
    ),
    (
        "Sport sur ordonnance",
        "Caisse primaire d'assurance maladie",
        "subvention",
        11_000.0,
        "accorde",
        Some("1.2.1"),
        &[("Bilan annuel", -60, Some(-65))],
    ),
];

/// Writes the contract with its fiches and funding; returns the contract's id.
pub(super) async fn write(
    tx: &mut Change,
    c: &mut Context<NetworkSummary>,
) -> Result<i64, net::Error> {
    let start = Date::new(c.today.year() - 2, 1, 1).unwrap_or(c.today);
    let contract = write_contract(tx, c, start).await?;
    let fiches = write_axes(tx, c, contract, start).await?;
    write_fundings(tx, c, contract, &fiches).await?;
    Ok(contract)
}

/// The contract runs five calendar years from `start`: its last day.
fn contract_end(start: Date) -> Date {
    days_from(Date::new(start.year() + 5, 1, 1).unwrap_or(start), -1)
}

/// The contract, signed 73 days after it starts, and its signatories.
async fn write_contract(
    tx: &mut Change,
    c: &Context<NetworkSummary>,
    start: Date,
) -> Result<i64, net::Error> {
    let contract = cls::save_contract(
        tx,
        &Reach::everything(),
        None,
        &ContractForm {
            // Signed with the agglomération: an intercommunal contract of the whole territory.
            commune: owned(TERRITORY),
            name: "Contrat local de santé de Bellerive-sur-Clain (fictif)".into(),
            generation: "2".into(),
            starts_on: start.to_string(),
            ends_on: contract_end(start).to_string(),
            territory: "Bellerive-sur-Clain et communauté d'agglomération du Clain (fictives)".into(),
            status: "en_vigueur".into(),
            signed_on: days_from(start, 73).to_string(),
            summary: "Outil de mobilisation des acteurs, de démocratie sanitaire et de déclinaison des politiques de santé sur le territoire, porté par la Ville et l'ARS.".into(),
        },
        c.now,
    )
    .await?;
    for name in [
        "Agence régionale de santé (délégation départementale, fictive)",
        "Préfecture (fictive)",
        "Caisse primaire d'assurance maladie (fictive)",
        "Ville de Bellerive-sur-Clain (fictive)",
        "Communauté d'agglomération du Clain (fictive)",
        "Conseil départemental (fictif)",
        "Centre hospitalier de Bellerive (fictif)",
        "CPTS du Clain (fictive)",
    ] {
        cls::add_signatory(
            tx,
            &Reach::everything(),
            contract,
            name,
            "",
            &days_from(start, 73).to_string(),
        )
        .await?;
    }
    Ok(contract)
}

/// Writes the axes, objectives and fiches of the contract; returns each fiche's id with its number.
async fn write_axes(
    tx: &mut Change,
    c: &mut Context<NetworkSummary>,
    contract: i64,
    start: Date,
) -> Result<Vec<(i64, &'static str)>, net::Error> {
    let all = &Reach::everything();
    let mut fiche_ids = Vec::new();
    for (axis_title, objectives) in AXES {
        let axis = cls::save_axis(tx, all, None, contract, axis_title, "").await?;
        for (objective_title, fiches) in *objectives {
            let objective = cls::save_objective(tx, all, None, axis, objective_title).await?;
            for spec in *fiches {
                let fiche = write_fiche(tx, c, objective, start, spec).await?;
                fiche_ids.push((fiche, spec.0));
            }
        }
    }
    Ok(fiche_ids)
}

/// A fiche action, half funded by the ARS and half by the town when it has a budget, with its indicators.
async fn write_fiche(
    tx: &mut Change,
    c: &mut Context<NetworkSummary>,
    objective: i64,
    start: Date,
    spec: &FicheSpec,
) -> Result<i64, net::Error> {
    let (number, title, pilot, public, territory, budget, status, nature, indicators) = spec;
    let fiche = cls::save_fiche(
        tx,
        &Reach::everything(),
        None,
        objective,
        &FicheForm {
            number: (*number).into(),
            title: (*title).into(),
            description: String::new(),
            pilot: (*pilot).into(),
            copilots: if number.starts_with('2') {
                "ARS, CPAM".into()
            } else {
                String::new()
            },
            partners: "Centres sociaux, CPTS du Clain, associations du réseau".into(),
            target_public: (*public).into(),
            territory: (*territory).into(),
            budget: if *budget > 0.0 {
                budget.to_string()
            } else {
                String::new()
            },
            starts_on: days_from(start, 90).to_string(),
            ends_on: days_from(start, 365 * 4).to_string(),
            status: (*status).into(),
            nature: (*nature).into(),
        },
        BY,
        c.now,
    )
    .await?;
    c.summary.fiches += 1;
    if *budget > 0.0 {
        cls::add_funder(
            tx,
            &Reach::everything(),
            fiche,
            "Agence régionale de santé (FIR)",
            &(budget * 0.5).to_string(),
        )
        .await?;
        cls::add_funder(
            tx,
            &Reach::everything(),
            fiche,
            "Ville de Bellerive",
            &(budget * 0.5).to_string(),
        )
        .await?;
    }
    for indicator in *indicators {
        write_indicator(tx, c, fiche, start, indicator).await?;
    }
    Ok(fiche)
}

/// An indicator of a fiche with its dated measures.
async fn write_indicator(
    tx: &mut Change,
    c: &mut Context<NetworkSummary>,
    fiche: i64,
    start: Date,
    spec: &Ind,
) -> Result<(), net::Error> {
    let (label, kind, unit, baseline, target, measures, link) = spec;
    let indicator = cls::save_indicator(
        tx,
        &Reach::everything(),
        None,
        fiche,
        &IndicatorForm {
            kind: (*kind).into(),
            label: (*label).into(),
            unit: (*unit).into(),
            baseline: baseline.to_string(),
            baseline_on: start.to_string(),
            target: target.to_string(),
            target_on: contract_end(start).to_string(),
            source: if link.is_empty() {
                "Bilan annuel de la fiche (fictif)".into()
            } else {
                "Observatoire Maillage".into()
            },
            observatory: (*link).into(),
        },
    )
    .await?;
    c.summary.indicators += 1;
    for (day, v) in *measures {
        cls::add_measure(
            tx,
            &Reach::everything(),
            indicator,
            &c.day(*day).to_string(),
            &v.to_string(),
            "Relevé de la coordination (fictif)",
            "",
            BY,
            c.now,
        )
        .await?;
    }
    Ok(())
}

/// The funding of the contract and of some fiches, with the reports owed to the funders.
async fn write_fundings(
    tx: &mut Change,
    c: &Context<NetworkSummary>,
    contract: i64,
    fiche_ids: &[(i64, &str)],
) -> Result<(), net::Error> {
    let fiche = |n: &str| fiche_ids.iter().find(|(_, x)| *x == n).map(|(id, _)| *id);
    for (title, funder, scheme, amount, status, fiche_number, reports) in FUNDINGS {
        let funding = cls::save_funding(
            tx,
            &Reach::everything(),
            None,
            contract,
            &FundingForm {
                fiche_id: fiche_number.and_then(&fiche),
                funder: format!("{funder} (fictif)"),
                scheme: (*scheme).into(),
                title: (*title).into(),
                requested: amount.to_string(),
                granted: if *status == "accorde" {
                    amount.to_string()
                } else {
                    String::new()
                },
                status: (*status).into(),
                applied_on: c.day(-300).to_string(),
                decided_on: if *status == "accorde" {
                    c.day(-240).to_string()
                } else {
                    String::new()
                },
                period_start: c.day(-240).to_string(),
                period_end: c.day(125).to_string(),
            },
            c.now,
        )
        .await?;
        for (label, due, submitted) in *reports {
            let r = cls::add_report(
                tx,
                &Reach::everything(),
                funding,
                label,
                &c.day(*due).to_string(),
            )
            .await?;
            if let Some(s) = submitted {
                cls::submit_report(tx, &Reach::everything(), r, &c.day(*s).to_string()).await?;
            }
        }
    }
    Ok(())
}

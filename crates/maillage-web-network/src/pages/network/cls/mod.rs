//! The Contrat local de santé (`/cls`): contracts by generation, their dashboard of progress by axis (shared,
//! aggregated: partners see it too), fiches actions with their funders, indicators and dated measures (linked
//! to the observatory's indicators where relevant), and the funding tracker with its report deadlines.
//!
//! Progress is computed by `maillage_network::progress`: the share of fiches carried out and the mean progress of
//! indicators from baseline to target, kept apart and both explained on the page.

use super::{CLS_MANAGE, CLS_READ, CLS_SHARED};
use axum::http::Method;
use contracts::{
    add_axis, add_fiche, add_objective, add_signatory, contract_page, contracts_page,
    create_contract, update_contract,
};
use fiches::{add_funder, fiche_page, update_fiche};
use funding::{add_funding, add_report, funding_page, submit_report};
use indicators::{add_indicator, add_measure};
use maillage_web_kit::error::WebError;
use maillage_web_kit::layout;
use maillage_web_kit::routes::Routes;

mod contracts;
mod fiches;
mod funding;
mod indicators;
mod progress;

pub(crate) use progress::report_reminders;

pub fn routes(r: Routes) -> Routes {
    r.page(Method::GET, "/cls", CLS_SHARED, contracts_page)
        .page(Method::POST, "/cls", CLS_MANAGE, create_contract)
        .page(Method::GET, "/cls/{id}", CLS_SHARED, contract_page)
        .page(Method::POST, "/cls/{id}", CLS_MANAGE, update_contract)
        .page(
            Method::POST,
            "/cls/{id}/signataires",
            CLS_MANAGE,
            add_signatory,
        )
        .page(Method::POST, "/cls/{id}/axes", CLS_MANAGE, add_axis)
        .page(
            Method::POST,
            "/cls/{id}/objectifs",
            CLS_MANAGE,
            add_objective,
        )
        .page(Method::POST, "/cls/{id}/fiches", CLS_MANAGE, add_fiche)
        .page(
            Method::GET,
            "/cls/{id}/financements",
            CLS_READ,
            funding_page,
        )
        .page(
            Method::POST,
            "/cls/{id}/financements",
            CLS_MANAGE,
            add_funding,
        )
        .page(
            Method::POST,
            "/cls/financements/{id}/bilans",
            CLS_MANAGE,
            add_report,
        )
        .page(Method::POST, "/cls/bilans/{id}", CLS_MANAGE, submit_report)
        .page(Method::GET, "/cls/fiches/{id}", CLS_READ, fiche_page)
        .page(Method::POST, "/cls/fiches/{id}", CLS_MANAGE, update_fiche)
        .page(
            Method::POST,
            "/cls/fiches/{id}/financeurs",
            CLS_MANAGE,
            add_funder,
        )
        .page(
            Method::POST,
            "/cls/fiches/{id}/indicateurs",
            CLS_MANAGE,
            add_indicator,
        )
        .page(
            Method::POST,
            "/cls/indicateurs/{id}/mesures",
            CLS_MANAGE,
            add_measure,
        )
}

/// Days ahead a report is shown as coming due.
pub(crate) const REPORT_HORIZON_DAYS: i64 = 30;

const MESSAGES: &[(&str, &str)] = &[
    ("contrat", "le contrat est enregistré."),
    ("signataire", "le signataire est ajouté."),
    ("axe", "l'axe est ajouté."),
    ("objectif", "l'objectif est ajouté."),
    ("fiche", "la fiche action est enregistrée."),
    ("financeur", "le financeur est ajouté."),
    ("indicateur", "l'indicateur est enregistré."),
    ("mesure", "la mesure est enregistrée."),
    ("financement", "le financement est enregistré."),
    ("bilan", "le bilan est enregistré."),
];

fn id_of(s: &str) -> Result<i64, WebError> {
    s.parse().map_err(|_| WebError::NotFound)
}

fn money(v: f64) -> String {
    format!("{} €", layout::number(v, 0))
}

fn value(v: f64, unit: Option<&str>) -> String {
    let decimals = if v.fract().abs() < 1e-9 { 0 } else { 1 };
    match unit {
        Some(u) if !u.is_empty() => format!("{} {u}", layout::number(v, decimals)),
        _ => layout::number(v, decimals),
    }
}

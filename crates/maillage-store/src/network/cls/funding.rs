//! The funding tracker: fundings applied for and granted, and the reports (bilans) each one owes.

use crate::Store;
use crate::change::Change;
use crate::network::Refusal;
use crate::network::{
    Error, Owner, Reach, Result, Territorywide, begin_read, code, day, day_opt, day_text, guard,
    instant, read_if_reached, touched,
};
use jiff::Timestamp;
use jiff::civil::Date;
use maillage_network::codes::{FundingScheme, FundingStatus};
use maillage_network::{Coded, NetworkError, fields, parse_code};
use sqlx::Row;
use sqlx::any::AnyRow;
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq)]
pub struct Funding {
    pub id: i64,
    pub contract_id: i64,
    pub fiche_id: Option<i64>,
    pub funder: String,
    pub scheme: FundingScheme,
    pub title: String,
    pub requested: Option<f64>,
    pub granted: Option<f64>,
    pub status: FundingStatus,
    pub applied_on: Option<Date>,
    pub decided_on: Option<Date>,
    pub period_start: Option<Date>,
    pub period_end: Option<Date>,
}

#[derive(Debug, Clone, Default)]
pub struct FundingForm {
    pub fiche_id: Option<i64>,
    pub funder: String,
    pub scheme: String,
    pub title: String,
    pub requested: String,
    pub granted: String,
    pub status: String,
    pub applied_on: String,
    pub decided_on: String,
    pub period_start: String,
    pub period_end: String,
}

pub(super) fn funding_of(r: &AnyRow) -> Result<Funding> {
    Ok(Funding {
        id: r.try_get("id")?,
        contract_id: r.try_get("contract_id")?,
        fiche_id: r.try_get("fiche_id")?,
        funder: r.try_get("funder")?,
        scheme: code("cls_funding.scheme", &r.try_get::<String, _>("scheme")?)?,
        title: r.try_get("title")?,
        requested: r.try_get("requested")?,
        granted: r.try_get("granted")?,
        status: code("cls_funding.status", &r.try_get::<String, _>("status")?)?,
        applied_on: day_opt("cls_funding.applied_on", r.try_get("applied_on")?)?,
        decided_on: day_opt("cls_funding.decided_on", r.try_get("decided_on")?)?,
        period_start: day_opt("cls_funding.period_start", r.try_get("period_start")?)?,
        period_end: day_opt("cls_funding.period_end", r.try_get("period_end")?)?,
    })
}

pub(super) const FUNDING_COLUMNS: &str = "id, contract_id, fiche_id, funder, scheme, title, requested, granted, status, applied_on, \
     decided_on, period_start, period_end";

pub async fn save_funding(
    tx: &mut Change,
    reach: &Reach,
    id: Option<i64>,
    contract_id: i64,
    f: &FundingForm,
    now: Timestamp,
) -> Result<i64> {
    // The update names its contract too: reaching the contract is reaching the funding.
    guard(tx, reach, Owner::Contract, contract_id).await?;
    let funder = fields::required_line("financeur", &f.funder, 200)?;
    let scheme: FundingScheme = parse_code("dispositif", &f.scheme)?;
    let title = fields::required_line("intitule", &f.title, 300)?;
    let requested = fields::decimal("montant_demande", &f.requested)?;
    let granted = fields::decimal("montant_accorde", &f.granted)?;
    if requested.is_some_and(|v| v < 0.0) || granted.is_some_and(|v| v < 0.0) {
        return Err(
            NetworkError::Field(maillage_network::FieldError::InvalidField {
                field: "montant_demande",
                expected: "un montant positif",
            })
            .into(),
        );
    }
    let status: FundingStatus = match f.status.trim() {
        "" => FundingStatus::Planned,
        s => parse_code("statut", s)?,
    };
    let applied_on = fields::date("date_depot", &f.applied_on)?;
    let decided_on = fields::date("date_decision", &f.decided_on)?;
    let period_start = fields::date("debut", &f.period_start)?;
    let period_end = fields::date("fin", &f.period_end)?;
    fields::period("periode", period_start, period_end)?;
    if let Some(fiche) = f.fiche_id {
        let of: Option<i64> = sqlx::query_scalar(
            "SELECT a.contract_id FROM cls_fiche f JOIN cls_objective o ON o.id = f.objective_id
             JOIN cls_axis a ON a.id = o.axis_id WHERE f.id = $1",
        )
        .bind(fiche)
        .fetch_optional(tx.conn())
        .await?;
        if of != Some(contract_id) {
            return Err(Error::Refused(Refusal::Mismatch {
                what: "fiche action",
                id: fiche,
            }));
        }
    }
    let at = instant(now);
    match id {
        None => {
            Ok(sqlx::query_scalar(
                "INSERT INTO cls_funding (contract_id, fiche_id, funder, scheme, title, requested, granted, status,
                     applied_on, decided_on, period_start, period_end, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING id",
            )
            .bind(contract_id)
            .bind(f.fiche_id)
            .bind(funder)
            .bind(scheme.code())
            .bind(title)
            .bind(requested)
            .bind(granted)
            .bind(status.code())
            .bind(day_text(applied_on))
            .bind(day_text(decided_on))
            .bind(day_text(period_start))
            .bind(day_text(period_end))
            .bind(at)
            .fetch_one(tx.conn())
            .await?)
        }
        Some(id) => {
            let n = sqlx::query(
                "UPDATE cls_funding SET fiche_id = $3, funder = $4, scheme = $5, title = $6, requested = $7, granted = $8,
                     status = $9, applied_on = $10, decided_on = $11, period_start = $12, period_end = $13,
                     updated_at = $14
                 WHERE id = $1 AND contract_id = $2",
            )
            .bind(id)
            .bind(contract_id)
            .bind(f.fiche_id)
            .bind(funder)
            .bind(scheme.code())
            .bind(title)
            .bind(requested)
            .bind(granted)
            .bind(status.code())
            .bind(day_text(applied_on))
            .bind(day_text(decided_on))
            .bind(day_text(period_start))
            .bind(day_text(period_end))
            .bind(at)
            .execute(tx.conn())
            .await?
            .rows_affected();
            touched(n, "financement", id)?;
            Ok(id)
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub id: i64,
    pub funding_id: i64,
    pub label: String,
    pub due_on: Date,
    pub submitted_on: Option<Date>,
}

pub(super) fn report_of(r: &AnyRow) -> Result<Report> {
    Ok(Report {
        id: r.try_get("id")?,
        funding_id: r.try_get("funding_id")?,
        label: r.try_get("label")?,
        due_on: day(
            "cls_funding_report.due_on",
            &r.try_get::<String, _>("due_on")?,
        )?,
        submitted_on: day_opt(
            "cls_funding_report.submitted_on",
            r.try_get("submitted_on")?,
        )?,
    })
}

pub async fn add_report(
    tx: &mut Change,
    reach: &Reach,
    funding_id: i64,
    label: &str,
    due_on: &str,
) -> Result<i64> {
    guard(tx, reach, Owner::Funding, funding_id).await?;
    let label = fields::required_line("bilan", label, 200)?;
    let due_on = fields::required_date("echeance", due_on)?;
    Ok(sqlx::query_scalar("INSERT INTO cls_funding_report (funding_id, label, due_on) VALUES ($1, $2, $3) RETURNING id")
        .bind(funding_id)
        .bind(label)
        .bind(due_on.to_string())
        .fetch_one(tx.conn())
        .await?)
}

/// Marks a report sent on `submitted_on` (empty: not sent). Returns its funding's contract.
pub async fn submit_report(
    tx: &mut Change,
    reach: &Reach,
    id: i64,
    submitted_on: &str,
) -> Result<i64> {
    guard(tx, reach, Owner::Report, id).await?;
    let submitted = fields::date("date_envoi", submitted_on)?;
    let contract: Option<i64> = sqlx::query_scalar(
        "SELECT f.contract_id FROM cls_funding_report r JOIN cls_funding f ON f.id = r.funding_id WHERE r.id = $1",
    )
    .bind(id)
    .fetch_optional(tx.conn())
    .await?;
    let contract = contract.ok_or(Error::NotFound { what: "bilan", id })?;
    sqlx::query("UPDATE cls_funding_report SET submitted_on = $2 WHERE id = $1")
        .bind(id)
        .bind(day_text(submitted))
        .execute(tx.conn())
        .await?;
    Ok(contract)
}

/// Every report of every contract the caller reaches, by due date, with its funding (for reminders and the
/// calendar).
pub async fn all_reports(store: &Store, reach: &Reach) -> Result<Vec<(Report, Funding)>> {
    let clause = reach.clause("c.commune_code", 1, Territorywide::Shared);
    let mut tx = begin_read(store, reach).await?;
    let fundings: BTreeMap<i64, Funding> = clause
        .bind(sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {FUNDING_COLUMNS} FROM cls_funding WHERE contract_id IN (SELECT c.id FROM cls_contract c WHERE {})",
            clause.sql
        ))))
        .fetch_all(tx.conn())
    .await?
    .iter()
    .map(|r| funding_of(r).map(|f| (f.id, f)))
    .collect::<Result<_>>()?;
    let rows = sqlx::query("SELECT id, funding_id, label, due_on, submitted_on FROM cls_funding_report ORDER BY due_on, id")
        .fetch_all(tx.conn())
        .await?;
    tx.commit().await?;
    let mut out = Vec::new();
    for r in &rows {
        let report = report_of(r)?;
        if let Some(f) = fundings.get(&report.funding_id) {
            out.push((report, f.clone()));
        }
    }
    Ok(out)
}

/// The contract of a funding the caller reaches.
pub async fn contract_of_funding(
    store: &Store,
    reach: &Reach,
    funding_id: i64,
) -> Result<Option<i64>> {
    let Some(mut tx) = read_if_reached(store, reach, Owner::Funding, funding_id).await? else {
        return Ok(None);
    };
    let contract = sqlx::query_scalar("SELECT contract_id FROM cls_funding WHERE id = $1")
        .bind(funding_id)
        .fetch_optional(tx.conn())
        .await?;
    tx.commit().await?;
    Ok(contract)
}

/// The contract of a funding report the caller reaches.
pub async fn contract_of_report(
    store: &Store,
    reach: &Reach,
    report_id: i64,
) -> Result<Option<i64>> {
    let Some(mut tx) = read_if_reached(store, reach, Owner::Report, report_id).await? else {
        return Ok(None);
    };
    let contract = sqlx::query_scalar(
        "SELECT f.contract_id FROM cls_funding_report r JOIN cls_funding f ON f.id = r.funding_id WHERE r.id = $1",
    )
    .bind(report_id)
    .fetch_optional(tx.conn())
    .await?;
    tx.commit().await?;
    Ok(contract)
}

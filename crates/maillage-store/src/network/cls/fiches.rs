//! The plan of a contract: its axes, their objectives, and the fiches actions with their funders.

use crate::Store;
use crate::change::Change;
use crate::network::{
    Error, Owner, Reach, Refusal, Result, code, day_opt, day_text, guard, instant, read_if_reached,
    touched,
};
use jiff::Timestamp;
use jiff::civil::Date;
use maillage_network::codes::{FicheNature, FicheStatus};
use maillage_network::{Coded, NetworkError, fields, parse_code};
use sqlx::Row;
use sqlx::any::AnyRow;

#[derive(Debug, Clone, PartialEq)]
pub struct Axis {
    pub id: i64,
    pub contract_id: i64,
    pub position: i64,
    pub title: String,
    pub description: Option<String>,
}

/// Adds an axis at the end (`id` None) or renames one.
pub async fn save_axis(
    tx: &mut Change,
    reach: &Reach,
    id: Option<i64>,
    contract_id: i64,
    title: &str,
    description: &str,
) -> Result<i64> {
    // The update names its contract too: reaching the contract is reaching the axis.
    guard(tx, reach, Owner::Contract, contract_id).await?;
    let title = fields::required_line("titre", title, 300)?;
    let description = fields::optional("description", description, 5000)?;
    match id {
        None => {
            Ok(sqlx::query_scalar(
                "INSERT INTO cls_axis (contract_id, position, title, description)
                 VALUES ($1, (SELECT COALESCE(MAX(position), 0) + 1 FROM cls_axis WHERE contract_id = $1), $2, $3)
                 RETURNING id",
            )
            .bind(contract_id)
            .bind(title)
            .bind(description)
            .fetch_one(tx.conn())
            .await?)
        }
        Some(id) => {
            let n = sqlx::query("UPDATE cls_axis SET title = $3, description = $4 WHERE id = $1 AND contract_id = $2")
                .bind(id)
                .bind(contract_id)
                .bind(title)
                .bind(description)
                .execute(tx.conn())
                .await?
                .rows_affected();
            touched(n, "axe", id)?;
            Ok(id)
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Objective {
    pub id: i64,
    pub axis_id: i64,
    pub position: i64,
    pub title: String,
}

pub async fn save_objective(
    tx: &mut Change,
    reach: &Reach,
    id: Option<i64>,
    axis_id: i64,
    title: &str,
) -> Result<i64> {
    guard(tx, reach, Owner::Axis, axis_id).await?;
    let title = fields::required_line("objectif", title, 400)?;
    match id {
        None => {
            Ok(sqlx::query_scalar(
                "INSERT INTO cls_objective (axis_id, position, title)
                 VALUES ($1, (SELECT COALESCE(MAX(position), 0) + 1 FROM cls_objective WHERE axis_id = $1), $2)
                 RETURNING id",
            )
            .bind(axis_id)
            .bind(title)
            .fetch_one(tx.conn())
            .await?)
        }
        Some(id) => {
            let n =
                sqlx::query("UPDATE cls_objective SET title = $3 WHERE id = $1 AND axis_id = $2")
                    .bind(id)
                    .bind(axis_id)
                    .bind(title)
                    .execute(tx.conn())
                    .await?
                    .rows_affected();
            touched(n, "objectif", id)?;
            Ok(id)
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Fiche {
    pub id: i64,
    pub objective_id: i64,
    pub number: String,
    pub title: String,
    pub description: Option<String>,
    pub pilot: String,
    pub copilots: Option<String>,
    pub partners: Option<String>,
    pub target_public: Option<String>,
    pub territory: Option<String>,
    pub budget: Option<f64>,
    pub starts_on: Option<Date>,
    pub ends_on: Option<Date>,
    pub status: FicheStatus,
    pub nature: FicheNature,
    pub updated_at: String,
    pub updated_by: String,
}

#[derive(Debug, Clone, Default)]
pub struct FicheForm {
    pub number: String,
    pub title: String,
    pub description: String,
    pub pilot: String,
    pub copilots: String,
    pub partners: String,
    pub target_public: String,
    pub territory: String,
    pub budget: String,
    pub starts_on: String,
    pub ends_on: String,
    pub status: String,
    pub nature: String,
}

pub(super) fn fiche_of(r: &AnyRow) -> Result<Fiche> {
    Ok(Fiche {
        id: r.try_get("id")?,
        objective_id: r.try_get("objective_id")?,
        number: r.try_get("number")?,
        title: r.try_get("title")?,
        description: r.try_get("description")?,
        pilot: r.try_get("pilot")?,
        copilots: r.try_get("copilots")?,
        partners: r.try_get("partners")?,
        target_public: r.try_get("target_public")?,
        territory: r.try_get("territory")?,
        budget: r.try_get("budget")?,
        starts_on: day_opt("cls_fiche.starts_on", r.try_get("starts_on")?)?,
        ends_on: day_opt("cls_fiche.ends_on", r.try_get("ends_on")?)?,
        status: code("cls_fiche.status", &r.try_get::<String, _>("status")?)?,
        nature: code("cls_fiche.nature", &r.try_get::<String, _>("nature")?)?,
        updated_at: r.try_get("updated_at")?,
        updated_by: r.try_get("updated_by")?,
    })
}

pub(super) const FICHE_COLUMNS: &str = "f.id, f.objective_id, f.number, f.title, f.description, f.pilot, f.copilots, f.partners, \
     f.target_public, f.territory, f.budget, f.starts_on, f.ends_on, f.status, f.nature, f.updated_at, f.updated_by";

/// Adds a fiche to an objective (`id` None) or replaces one (`objective_id` is then its objective).
pub async fn save_fiche(
    tx: &mut Change,
    reach: &Reach,
    id: Option<i64>,
    objective_id: i64,
    f: &FicheForm,
    by: &str,
    now: Timestamp,
) -> Result<i64> {
    match id {
        Some(id) => guard(tx, reach, Owner::Fiche, id).await?,
        None => guard(tx, reach, Owner::Objective, objective_id).await?,
    }
    let number = fields::required_line("numero", &f.number, 20)?;
    // A fiche's number is unique within its contract (the fiches of every axis and objective alike).
    let taken: Option<i64> = sqlx::query_scalar(
        "SELECT f.id FROM cls_fiche f JOIN cls_objective o ON o.id = f.objective_id JOIN cls_axis a ON a.id = o.axis_id
         WHERE f.number = $1 AND f.id <> $2 AND a.contract_id =
             (SELECT a2.contract_id FROM cls_objective o2 JOIN cls_axis a2 ON a2.id = o2.axis_id WHERE o2.id = $3)
         LIMIT 1",
    )
    .bind(&number)
    .bind(id.unwrap_or(0))
    .bind(objective_id)
    .fetch_optional(tx.conn())
    .await?;
    if taken.is_some() {
        return Err(Error::Refused(Refusal::Duplicate { what: "numero" }));
    }
    let title = fields::required_line("titre", &f.title, 300)?;
    let description = fields::optional("description", &f.description, 10_000)?;
    let pilot = fields::required_line("pilote", &f.pilot, 200)?;
    let copilots = fields::line("copilotes", &f.copilots, 400)?;
    let partners = fields::optional("partenaires", &f.partners, 2000)?;
    let target_public = fields::line("public_cible", &f.target_public, 400)?;
    let territory = fields::line("territoire", &f.territory, 200)?;
    let budget = fields::decimal("budget", &f.budget)?;
    if budget.is_some_and(|b| b < 0.0) {
        return Err(
            NetworkError::Field(maillage_network::FieldError::InvalidField {
                field: "budget",
                expected: "un montant positif",
            })
            .into(),
        );
    }
    let starts_on = fields::date("debut", &f.starts_on)?;
    let ends_on = fields::date("fin", &f.ends_on)?;
    fields::period("calendrier", starts_on, ends_on)?;
    let status: FicheStatus = match f.status.trim() {
        "" => FicheStatus::NotStarted,
        s => parse_code("statut", s)?,
    };
    let nature: FicheNature = match f.nature.trim() {
        "" => FicheNature::New,
        s => parse_code("nature", s)?,
    };
    let at = instant(now);
    match id {
        None => {
            Ok(sqlx::query_scalar(
                "INSERT INTO cls_fiche (objective_id, number, title, description, pilot, copilots, partners, target_public,
                     territory, budget, starts_on, ends_on, status, nature, created_at, updated_at, updated_by)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15, $16) RETURNING id",
            )
            .bind(objective_id)
            .bind(number)
            .bind(title)
            .bind(description)
            .bind(pilot)
            .bind(copilots)
            .bind(partners)
            .bind(target_public)
            .bind(territory)
            .bind(budget)
            .bind(day_text(starts_on))
            .bind(day_text(ends_on))
            .bind(status.code())
            .bind(nature.code())
            .bind(at)
            .bind(by)
            .fetch_one(tx.conn())
            .await?)
        }
        Some(id) => {
            let n = sqlx::query(
                "UPDATE cls_fiche SET number = $2, title = $3, description = $4, pilot = $5, copilots = $6, partners = $7,
                     target_public = $8, territory = $9, budget = $10, starts_on = $11, ends_on = $12, status = $13,
                     nature = $14, updated_at = $15, updated_by = $16
                 WHERE id = $1",
            )
            .bind(id)
            .bind(number)
            .bind(title)
            .bind(description)
            .bind(pilot)
            .bind(copilots)
            .bind(partners)
            .bind(target_public)
            .bind(territory)
            .bind(budget)
            .bind(day_text(starts_on))
            .bind(day_text(ends_on))
            .bind(status.code())
            .bind(nature.code())
            .bind(at)
            .bind(by)
            .execute(tx.conn())
            .await?
            .rows_affected();
            touched(n, "fiche action", id)?;
            Ok(id)
        }
    }
}

/// The contract a fiche the caller reaches belongs to.
pub async fn contract_of_fiche(store: &Store, reach: &Reach, fiche_id: i64) -> Result<Option<i64>> {
    let Some(mut tx) = read_if_reached(store, reach, Owner::Fiche, fiche_id).await? else {
        return Ok(None);
    };
    Ok(sqlx::query_scalar(
        "SELECT a.contract_id FROM cls_fiche f JOIN cls_objective o ON o.id = f.objective_id
         JOIN cls_axis a ON a.id = o.axis_id WHERE f.id = $1",
    )
    .bind(fiche_id)
    .fetch_optional(tx.conn())
    .await?)
}

#[derive(Debug, Clone, PartialEq)]
pub struct Funder {
    pub id: i64,
    pub fiche_id: i64,
    pub funder: String,
    pub amount: Option<f64>,
}

pub async fn add_funder(
    tx: &mut Change,
    reach: &Reach,
    fiche_id: i64,
    funder: &str,
    amount: &str,
) -> Result<i64> {
    guard(tx, reach, Owner::Fiche, fiche_id).await?;
    let funder = fields::required_line("financeur", funder, 200)?;
    let amount = fields::decimal("montant", amount)?;
    if amount.is_some_and(|a| a < 0.0) {
        return Err(
            NetworkError::Field(maillage_network::FieldError::InvalidField {
                field: "montant",
                expected: "un montant positif",
            })
            .into(),
        );
    }
    Ok(sqlx::query_scalar(
        "INSERT INTO cls_fiche_funder (fiche_id, funder, amount) VALUES ($1, $2, $3) RETURNING id",
    )
    .bind(fiche_id)
    .bind(funder)
    .bind(amount)
    .fetch_one(tx.conn())
    .await?)
}

pub async fn delete_funder(tx: &mut Change, reach: &Reach, fiche_id: i64, id: i64) -> Result<()> {
    guard(tx, reach, Owner::Fiche, fiche_id).await?;
    let n = sqlx::query("DELETE FROM cls_fiche_funder WHERE id = $1 AND fiche_id = $2")
        .bind(id)
        .bind(fiche_id)
        .execute(tx.conn())
        .await?
        .rows_affected();
    touched(n, "financeur", id)
}

//! The contract of each generation (period, territory, status, summary) and its signatories.

use crate::Store;
use crate::change::Change;
use crate::change::reached_rows;
use crate::network::{
    Owner, Reach, Result, Territorywide, code, day, day_opt, day_text, guard, instant, may_assign,
    read_if_reached, touched,
};
use jiff::Timestamp;
use jiff::civil::Date;
use maillage_network::codes::ClsStatus;
use maillage_network::{Coded, NetworkError, fields, parse_code};
use sqlx::Row;
use sqlx::any::AnyRow;

#[derive(Debug, Clone, PartialEq)]
pub struct Contract {
    pub id: i64,
    /// The commune keeping the contract (None: an intercommunal contract of the whole territory).
    pub commune_code: Option<String>,
    pub name: String,
    pub generation: i64,
    pub starts_on: Date,
    pub ends_on: Date,
    pub territory: String,
    pub status: ClsStatus,
    pub signed_on: Option<Date>,
    pub summary: Option<String>,
    pub updated_at: String,
}

#[derive(Debug, Clone, Default)]
pub struct ContractForm {
    /// The commune keeping the contract (None: the whole territory).
    pub commune: Option<String>,
    pub name: String,
    pub generation: String,
    pub starts_on: String,
    pub ends_on: String,
    pub territory: String,
    pub status: String,
    pub signed_on: String,
    pub summary: String,
}

fn contract_of(r: &AnyRow) -> Result<Contract> {
    Ok(Contract {
        id: r.try_get("id")?,
        commune_code: r.try_get("commune_code")?,
        name: r.try_get("name")?,
        generation: r.try_get("generation")?,
        starts_on: day(
            "cls_contract.starts_on",
            &r.try_get::<String, _>("starts_on")?,
        )?,
        ends_on: day("cls_contract.ends_on", &r.try_get::<String, _>("ends_on")?)?,
        territory: r.try_get("territory")?,
        status: code("cls_contract.status", &r.try_get::<String, _>("status")?)?,
        signed_on: day_opt("cls_contract.signed_on", r.try_get("signed_on")?)?,
        summary: r.try_get("summary")?,
        updated_at: r.try_get("updated_at")?,
    })
}

const CONTRACT_COLUMNS: &str = "id, commune_code, name, generation, starts_on, ends_on, territory, status, signed_on, summary, updated_at";

pub async fn save_contract(
    tx: &mut Change,
    reach: &Reach,
    id: Option<i64>,
    f: &ContractForm,
    now: Timestamp,
) -> Result<i64> {
    if let Some(id) = id {
        guard(tx, reach, Owner::Contract, id).await?;
    }
    may_assign(reach, f.commune.as_deref())?;
    let name = fields::required_line("nom", &f.name, 200)?;
    let generation = fields::integer("generation", &f.generation, 1, 20)?.ok_or(
        NetworkError::Field(maillage_network::FieldError::MissingField {
            field: "generation",
        }),
    )?;
    let starts_on = fields::required_date("debut", &f.starts_on)?;
    let ends_on = fields::required_date("fin", &f.ends_on)?;
    fields::period("periode", Some(starts_on), Some(ends_on))?;
    let territory = fields::required_line("territoire", &f.territory, 200)?;
    let status: ClsStatus = match f.status.trim() {
        "" => ClsStatus::Preparation,
        s => parse_code("statut", s)?,
    };
    let signed_on = fields::date("signature", &f.signed_on)?;
    let summary = fields::optional("presentation", &f.summary, 5000)?;
    let at = instant(now);
    match id {
        None => Ok(sqlx::query_scalar(
            "INSERT INTO cls_contract (name, generation, starts_on, ends_on, territory, status, signed_on, summary,
                 created_at, updated_at, commune_code)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $10) RETURNING id",
        )
        .bind(name)
        .bind(generation)
        .bind(starts_on.to_string())
        .bind(ends_on.to_string())
        .bind(territory)
        .bind(status.code())
        .bind(day_text(signed_on))
        .bind(summary)
        .bind(at)
        .bind(&f.commune)
        .fetch_one(tx.conn())
        .await?),
        Some(id) => {
            let n = sqlx::query(
                "UPDATE cls_contract SET name = $2, generation = $3, starts_on = $4, ends_on = $5, territory = $6,
                     status = $7, signed_on = $8, summary = $9, updated_at = $10, commune_code = $11 WHERE id = $1",
            )
            .bind(id)
            .bind(name)
            .bind(generation)
            .bind(starts_on.to_string())
            .bind(ends_on.to_string())
            .bind(territory)
            .bind(status.code())
            .bind(day_text(signed_on))
            .bind(summary)
            .bind(at)
            .bind(&f.commune)
            .execute(tx.conn())
            .await?
            .rows_affected();
            touched(n, "contrat", id)?;
            Ok(id)
        }
    }
}

/// The contracts the caller reaches, latest generation first.
pub async fn contracts(store: &Store, reach: &Reach) -> Result<Vec<Contract>> {
    let rows =
        reached_rows(store, reach, "commune_code", Territorywide::Shared, &format!("SELECT {CONTRACT_COLUMNS} FROM cls_contract WHERE {{reach}} ORDER BY starts_on DESC, generation DESC, id DESC")).await?;
    rows.iter().map(contract_of).collect()
}

pub async fn contract(store: &Store, reach: &Reach, id: i64) -> Result<Option<Contract>> {
    let Some(mut tx) = read_if_reached(store, reach, Owner::Contract, id).await? else {
        return Ok(None);
    };
    let sql = format!("SELECT {CONTRACT_COLUMNS} FROM cls_contract WHERE id = $1");
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(tx.conn())
        .await?
        .as_ref()
        .map(contract_of)
        .transpose()
}

#[derive(Debug, Clone, PartialEq)]
pub struct Signatory {
    pub id: i64,
    pub name: String,
    pub represented_by: Option<String>,
    pub signed_on: Option<Date>,
}

pub async fn add_signatory(
    tx: &mut Change,
    reach: &Reach,
    contract_id: i64,
    name: &str,
    represented_by: &str,
    signed_on: &str,
) -> Result<i64> {
    guard(tx, reach, Owner::Contract, contract_id).await?;
    let name = fields::required_line("signataire", name, 200)?;
    let represented_by = fields::line("represente_par", represented_by, 200)?;
    let signed_on = fields::date("signature", signed_on)?;
    Ok(sqlx::query_scalar(
        "INSERT INTO cls_signatory (contract_id, name, represented_by, signed_on) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(contract_id)
    .bind(name)
    .bind(represented_by)
    .bind(day_text(signed_on))
    .fetch_one(tx.conn())
    .await?)
}

pub async fn delete_signatory(
    tx: &mut Change,
    reach: &Reach,
    contract_id: i64,
    id: i64,
) -> Result<()> {
    guard(tx, reach, Owner::Contract, contract_id).await?;
    let n = sqlx::query("DELETE FROM cls_signatory WHERE id = $1 AND contract_id = $2")
        .bind(id)
        .bind(contract_id)
        .execute(tx.conn())
        .await?
        .rows_affected();
    touched(n, "signataire", id)
}

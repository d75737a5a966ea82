//! The continuity of municipal services (which services and reception points stay open, their hours), shown on
//! a public page, and the lists of actors information is relayed to.

use super::cell::changeable;
use super::{Error, Result, SHARED, assignable, begin_read, code, instant};
use crate::Store;
use crate::change::Change;
use crate::reach::Reach;
use jiff::Timestamp;
use maillage_crisis::cell::ServiceStatus;
use maillage_crisis::{Coded, fields};
use serde::Serialize;
use sqlx::Row;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Service {
    pub id: i64,
    pub name: String,
    pub address: Option<String>,
    pub status: ServiceStatus,
    pub hours: Option<String>,
    pub phone: Option<String>,
    pub note: Option<String>,
    pub public: bool,
    pub updated_at: String,
    pub updated_by: String,
    /// The commune running the service (None: the territory).
    pub commune_code: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct ServiceForm {
    pub name: String,
    pub address: String,
    pub status: String,
    pub hours: String,
    pub phone: String,
    pub note: String,
    pub public: bool,
}

/// Adds a service (`id` None) or replaces one the caller may change, run by `commune` (one the caller holds).
#[allow(clippy::too_many_arguments)]
pub async fn save_service(
    tx: &mut Change,
    reach: &Reach,
    commune: Option<&str>,
    id: Option<i64>,
    form: &ServiceForm,
    by: &str,
    now: Timestamp,
) -> Result<i64> {
    let name = fields::required("nom", &form.name, 200)?;
    let address = fields::optional("adresse", &form.address, 300)?;
    let status: ServiceStatus = maillage_crisis::parse_code("etat", &form.status)?;
    let hours = fields::optional("horaires", &form.hours, 300)?;
    // A service's number is public information: any format the service uses is kept as typed.
    let phone = fields::optional("telephone", &form.phone, 40)?;
    let note = fields::optional("note", &form.note, 500)?;
    assignable(reach, commune)?;
    let at = instant(now);
    match id {
        None => Ok(sqlx::query_scalar(
            "INSERT INTO crisis_service (name, address, status, hours, phone, note, public, updated_at, updated_by,
                 commune_code)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        )
        .bind(name)
        .bind(address)
        .bind(status.code())
        .bind(hours)
        .bind(phone)
        .bind(note)
        .bind(i64::from(form.public))
        .bind(at)
        .bind(by)
        .bind(commune)
        .fetch_one(tx.conn())
        .await?),
        Some(id) => {
            let clause = changeable(reach, 12);
            let sql = format!(
                "UPDATE crisis_service SET name = $2, address = $3, status = $4, hours = $5, phone = $6, note = $7,
                     public = $8, updated_at = $9, updated_by = $10, commune_code = $11 WHERE id = $1 AND {}",
                clause.sql
            );
            let q = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .bind(name)
            .bind(address)
            .bind(status.code())
            .bind(hours)
            .bind(phone)
            .bind(note)
            .bind(i64::from(form.public))
            .bind(at)
            .bind(by)
            .bind(commune);
            let n = clause
                .bind(q)
                .execute(tx.conn())
                .await?
                .rows_affected();
            if n == 0 {
                return Err(Error::NotFound { what: "service", id });
            }
            Ok(id)
        }
    }
}

/// Services the caller reaches, by name; `public_only` for the public page (read with every commune: its rows
/// are public).
pub async fn services(store: &Store, reach: &Reach, public_only: bool) -> Result<Vec<Service>> {
    let mut tx = begin_read(store, reach).await?;
    let clause = reach.clause("commune_code", 2, SHARED);
    let sql = format!(
        "SELECT id, name, address, status, hours, phone, note, public, updated_at, updated_by, commune_code
         FROM crisis_service WHERE ($1 = 0 OR public = 1) AND {} ORDER BY name, id",
        clause.sql
    );
    let rows = clause
        .bind(sqlx::query(sqlx::AssertSqlSafe(sql)).bind(i64::from(public_only)))
        .fetch_all(tx.conn())
        .await?;
    rows.iter()
        .map(|r| {
            Ok(Service {
                id: r.try_get("id")?,
                name: r.try_get("name")?,
                address: r.try_get("address")?,
                status: code("crisis_service.status", &r.try_get::<String, _>("status")?)?,
                hours: r.try_get("hours")?,
                phone: r.try_get("phone")?,
                note: r.try_get("note")?,
                public: r.try_get::<i64, _>("public")? != 0,
                updated_at: r.try_get("updated_at")?,
                updated_by: r.try_get("updated_by")?,
                commune_code: r.try_get("commune_code")?,
            })
        })
        .collect()
}

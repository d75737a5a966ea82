//! Places followed for clusters: daily counts of cases (never individual cases), statuses set by the cell, and
//! the decisions about the place, which are main courante entries tied to it (the ARS recommendation and the
//! mayor's decision are two entries).

use super::cell::changeable;
use super::{Error, Result, SHARED, assignable, code, day_text, instant, parse_day};
use crate::Store;
use crate::change::Change;
use crate::change::reached_rows;
use crate::reach::Reach;
use jiff::Timestamp;
use jiff::civil::Date;
use maillage_crisis::clusters::{
    ClusterStatus, Rules, SiteKind, State, check_manual_status, state_on,
};
use maillage_crisis::{Coded, CrisisError, fields};
use serde::Serialize;
use sqlx::Row;
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Site {
    pub id: i64,
    pub name: String,
    pub kind: SiteKind,
    pub address: Option<String>,
    pub municipal: bool,
    /// The commune of the place (None: followed by the territory's cell).
    pub commune_code: Option<String>,
}

/// Follows a place of `commune` (one the caller holds).
#[allow(clippy::too_many_arguments)]
pub async fn add_site(
    tx: &mut Change,
    reach: &Reach,
    commune: Option<&str>,
    name: &str,
    kind: SiteKind,
    address: Option<&str>,
    municipal: bool,
    now: Timestamp,
) -> Result<i64> {
    let name = fields::required("nom", name, 200)?;
    let address = fields::optional("adresse", address.unwrap_or(""), 300)?;
    assignable(reach, commune)?;
    Ok(sqlx::query_scalar(
        "INSERT INTO crisis_site (name, kind, address, municipal, created_at, commune_code)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(name)
    .bind(kind.code())
    .bind(address)
    .bind(i64::from(municipal))
    .bind(instant(now))
    .bind(commune)
    .fetch_one(tx.conn())
    .await?)
}

/// The places the caller reaches.
pub async fn sites(store: &Store, reach: &Reach) -> Result<Vec<Site>> {
    let rows =
        reached_rows(store, reach, "commune_code", SHARED, "SELECT id, name, kind, address, municipal, commune_code FROM crisis_site WHERE {reach} ORDER BY name, id").await?;
    rows.iter()
        .map(|r| {
            Ok(Site {
                id: r.try_get("id")?,
                name: r.try_get("name")?,
                kind: code("crisis_site.kind", &r.try_get::<String, _>("kind")?)?,
                address: r.try_get("address")?,
                municipal: r.try_get::<i64, _>("municipal")? != 0,
                commune_code: r.try_get("commune_code")?,
            })
        })
        .collect()
}

pub async fn site(store: &Store, reach: &Reach, id: i64) -> Result<Option<Site>> {
    Ok(sites(store, reach).await?.into_iter().find(|s| s.id == id))
}

/// `NotFound` unless the caller may change the place (its communes' places; the territory's with every commune).
async fn check_changeable(tx: &mut Change, reach: &Reach, site_id: i64) -> Result<()> {
    let clause = changeable(reach, 2);
    let sql = format!(
        "SELECT id FROM crisis_site WHERE id = $1 AND {}",
        clause.sql
    );
    let exists: Option<i64> = clause
        .bind_scalar(sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).bind(site_id))
        .fetch_optional(tx.conn())
        .await?;
    if exists.is_none() {
        return Err(Error::NotFound {
            what: "lieu",
            id: site_id,
        });
    }
    Ok(())
}

/// Sets the number of cases (confirmed or probable) identified at a place on a day; a correction replaces it.
#[allow(clippy::too_many_arguments)]
pub async fn set_cases(
    tx: &mut Change,
    reach: &Reach,
    site_id: i64,
    day: Date,
    cases: i64,
    by: &str,
    now: Timestamp,
) -> Result<()> {
    if !(0..=10_000).contains(&cases) {
        return Err(CrisisError::InvalidQuantity(cases).into());
    }
    if day > super::today(now) {
        return Err(
            CrisisError::Field(maillage_crisis::FieldError::InvalidField {
                field: "jour",
                expected: "jour passé ou du jour",
            })
            .into(),
        );
    }
    check_changeable(tx, reach, site_id).await?;
    sqlx::query(
        "INSERT INTO crisis_site_cases (site_id, day, cases, recorded_at, recorded_by) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (site_id, day) DO UPDATE SET cases = excluded.cases, recorded_at = excluded.recorded_at,
             recorded_by = excluded.recorded_by",
    )
    .bind(site_id)
    .bind(day_text(day))
    .bind(cases)
    .bind(instant(now))
    .bind(by)
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// Daily cases of every place the caller reaches, by place id.
pub async fn all_cases(store: &Store, reach: &Reach) -> Result<BTreeMap<i64, BTreeMap<Date, u32>>> {
    let rows =
        reached_rows(store, reach, "s.commune_code", SHARED, "SELECT c.site_id, c.day, c.cases FROM crisis_site_cases c JOIN crisis_site s ON s.id = c.site_id
         WHERE {reach} ORDER BY c.site_id, c.day").await?;
    let mut out: BTreeMap<i64, BTreeMap<Date, u32>> = BTreeMap::new();
    for r in &rows {
        out.entry(r.try_get("site_id")?).or_default().insert(
            parse_day("crisis_site_cases.day", &r.try_get::<String, _>("day")?)?,
            r.try_get::<i64, _>("cases")?.max(0) as u32,
        );
    }
    Ok(out)
}

/// Statuses set by the cell on the places the caller reaches, by place id, oldest first.
pub async fn all_statuses(
    store: &Store,
    reach: &Reach,
) -> Result<BTreeMap<i64, Vec<(Date, ClusterStatus)>>> {
    let rows =
        reached_rows(store, reach, "s.commune_code", SHARED, "SELECT t.site_id, t.day, t.status FROM crisis_site_status t JOIN crisis_site s ON s.id = t.site_id
         WHERE {reach} ORDER BY t.site_id, t.day, t.id").await?;
    let mut out: BTreeMap<i64, Vec<(Date, ClusterStatus)>> = BTreeMap::new();
    for r in &rows {
        out.entry(r.try_get("site_id")?).or_default().push((
            parse_day("crisis_site_status.day", &r.try_get::<String, _>("day")?)?,
            code(
                "crisis_site_status.status",
                &r.try_get::<String, _>("status")?,
            )?,
        ));
    }
    Ok(out)
}

/// The cell sets a status on a place (refused by the rules when it contradicts the counts).
#[allow(clippy::too_many_arguments)]
pub async fn set_status(
    tx: &mut Change,
    reach: &Reach,
    site_id: i64,
    status: ClusterStatus,
    note: Option<&str>,
    rules: &Rules,
    by: &str,
    now: Timestamp,
) -> Result<()> {
    let note = fields::optional("note", note.unwrap_or(""), 1000)?;
    let day = super::today(now);
    check_changeable(tx, reach, site_id).await?;
    let rows = sqlx::query("SELECT day, cases FROM crisis_site_cases WHERE site_id = $1")
        .bind(site_id)
        .fetch_all(tx.conn())
        .await?;
    let mut cases = BTreeMap::new();
    for r in &rows {
        cases.insert(
            parse_day("crisis_site_cases.day", &r.try_get::<String, _>("day")?)?,
            r.try_get::<i64, _>("cases")?.max(0) as u32,
        );
    }
    let state: State = state_on(&cases, day, rules);
    check_manual_status(&state, status)?;
    sqlx::query(
        "INSERT INTO crisis_site_status (site_id, day, status, note, recorded_at, recorded_by) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(site_id)
    .bind(day_text(day))
    .bind(status.code())
    .bind(note)
    .bind(instant(now))
    .bind(by)
    .execute(tx.conn())
    .await?;
    Ok(())
}

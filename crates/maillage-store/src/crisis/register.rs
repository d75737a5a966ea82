//! The register of vulnerable people. Every function that returns people returns sensitive data: the web layer
//! writes an audit entry for each such read. A removal deletes the person and their calls; only an anonymous
//! count of removals remains.

use super::{
    Error, PERSONAL, Result, assignable, begin_read, code, day_text, instant, parse_day,
    parse_day_opt, today,
};
use crate::Store;
use crate::change::Change;
use crate::change::reached_rows;
use crate::listing::{Slice, Window};
use crate::reach::Reach;
use jiff::Timestamp;
use jiff::civil::Date;
use maillage_crisis::Coded;
use maillage_crisis::geo::Point;
use maillage_crisis::register::{
    Basis, Confirmation, Registration, RemovalReason, Requester, confirmation,
};
use serde::Serialize;
use sqlx::Row;
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq)]
pub struct Person {
    pub id: i64,
    pub last_name: String,
    pub first_name: String,
    pub birth_date: Date,
    pub address: String,
    pub phone: Option<String>,
    pub basis: Basis,
    pub requester: Requester,
    pub requested_on: Date,
    pub informed_on: Option<Date>,
    pub acknowledged_on: Option<Date>,
    pub emergency_contact: Option<String>,
    pub emergency_phone: Option<String>,
    pub home_care: Option<String>,
    pub doctor: Option<String>,
    pub position: Option<Point>,
    pub confirmed_on: Date,
    pub created_at: String,
    pub created_by: String,
    pub updated_at: String,
    /// The commune keeping the registration (None: the whole territory).
    pub commune_code: Option<String>,
}

const COLUMNS: &str = "id, last_name, first_name, birth_date, address, phone, basis, requester, requested_on, informed_on,
    acknowledged_on, emergency_contact, emergency_phone, home_care, doctor, lon, lat, confirmed_on, created_at,
    created_by, updated_at, commune_code";

pub(crate) fn person_of(r: &sqlx::any::AnyRow) -> Result<Person> {
    let lon: Option<f64> = r.try_get("lon")?;
    let lat: Option<f64> = r.try_get("lat")?;
    Ok(Person {
        id: r.try_get("id")?,
        last_name: r.try_get("last_name")?,
        first_name: r.try_get("first_name")?,
        birth_date: parse_day(
            "crisis_person.birth_date",
            &r.try_get::<String, _>("birth_date")?,
        )?,
        address: r.try_get("address")?,
        phone: r.try_get("phone")?,
        basis: code("crisis_person.basis", &r.try_get::<String, _>("basis")?)?,
        requester: code(
            "crisis_person.requester",
            &r.try_get::<String, _>("requester")?,
        )?,
        requested_on: parse_day(
            "crisis_person.requested_on",
            &r.try_get::<String, _>("requested_on")?,
        )?,
        informed_on: parse_day_opt("crisis_person.informed_on", r.try_get("informed_on")?)?,
        acknowledged_on: parse_day_opt(
            "crisis_person.acknowledged_on",
            r.try_get("acknowledged_on")?,
        )?,
        emergency_contact: r.try_get("emergency_contact")?,
        emergency_phone: r.try_get("emergency_phone")?,
        home_care: r.try_get("home_care")?,
        doctor: r.try_get("doctor")?,
        position: lon.zip(lat),
        confirmed_on: parse_day(
            "crisis_person.confirmed_on",
            &r.try_get::<String, _>("confirmed_on")?,
        )?,
        created_at: r.try_get("created_at")?,
        created_by: r.try_get("created_by")?,
        updated_at: r.try_get("updated_at")?,
        commune_code: r.try_get("commune_code")?,
    })
}

/// Registers a person (the registration takes effect on the request's date, which also starts the yearly
/// confirmation), kept by `commune` (one the caller holds).
pub async fn create(
    tx: &mut Change,
    reach: &Reach,
    commune: Option<&str>,
    r: &Registration,
    position: Option<Point>,
    by: &str,
    now: Timestamp,
) -> Result<i64> {
    assignable(reach, commune)?;
    let at = instant(now);
    Ok(sqlx::query_scalar(
        "INSERT INTO crisis_person (last_name, first_name, birth_date, address, phone, basis, requester, requested_on,
             informed_on, emergency_contact, emergency_phone, home_care, doctor, lon, lat, confirmed_on, created_at,
             created_by, updated_at, commune_code)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $8, $16, $17, $16, $18) RETURNING id",
    )
    .bind(&r.last_name)
    .bind(&r.first_name)
    .bind(day_text(r.birth_date))
    .bind(&r.address)
    .bind(r.phone.clone())
    .bind(r.basis.code())
    .bind(r.requester.code())
    .bind(day_text(r.requested_on))
    .bind(r.informed_on.map(day_text))
    .bind(r.emergency_contact.clone())
    .bind(r.emergency_phone.clone())
    .bind(r.home_care.clone())
    .bind(r.doctor.clone())
    .bind(position.map(|p| p.0))
    .bind(position.map(|p| p.1))
    .bind(&at)
    .bind(by)
    .bind(commune)
    .fetch_one(tx.conn())
    .await?)
}

/// Replaces the registration's fields (a correction asked by the person, a new phone, another commune of the
/// caller's). A person outside the caller's reach is not found.
#[allow(clippy::too_many_arguments)]
pub async fn update(
    tx: &mut Change,
    reach: &Reach,
    id: i64,
    commune: Option<&str>,
    r: &Registration,
    position: Option<Point>,
    now: Timestamp,
) -> Result<()> {
    assignable(reach, commune)?;
    let clause = reach.clause("commune_code", 19, PERSONAL);
    let sql = format!(
        "UPDATE crisis_person SET last_name = $2, first_name = $3, birth_date = $4, address = $5, phone = $6, basis = $7,
             requester = $8, requested_on = $9, informed_on = $10, emergency_contact = $11, emergency_phone = $12,
             home_care = $13, doctor = $14, lon = $15, lat = $16, updated_at = $17, commune_code = $18
         WHERE id = $1 AND {}",
        clause.sql
    );
    let q = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .bind(&r.last_name)
        .bind(&r.first_name)
        .bind(day_text(r.birth_date))
        .bind(&r.address)
        .bind(r.phone.clone())
        .bind(r.basis.code())
        .bind(r.requester.code())
        .bind(day_text(r.requested_on))
        .bind(r.informed_on.map(day_text))
        .bind(r.emergency_contact.clone())
        .bind(r.emergency_phone.clone())
        .bind(r.home_care.clone())
        .bind(r.doctor.clone())
        .bind(position.map(|p| p.0))
        .bind(position.map(|p| p.1))
        .bind(instant(now))
        .bind(commune);
    let n = clause.bind(q).execute(tx.conn()).await?.rows_affected();
    if n == 0 {
        return Err(Error::NotFound {
            what: "personne",
            id,
        });
    }
    Ok(())
}

async fn set_day(
    tx: &mut Change,
    reach: &Reach,
    id: i64,
    column: &'static str,
    day: Date,
    now: Timestamp,
) -> Result<()> {
    let clause = reach.clause("commune_code", 4, PERSONAL);
    let sql = format!(
        "UPDATE crisis_person SET {column} = $2, updated_at = $3 WHERE id = $1 AND {}",
        clause.sql
    );
    let q = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .bind(day_text(day))
        .bind(instant(now));
    let n = clause.bind(q).execute(tx.conn()).await?.rows_affected();
    if n == 0 {
        return Err(Error::NotFound {
            what: "personne",
            id,
        });
    }
    Ok(())
}

/// The mayor's acknowledgement was sent on `day`.
pub async fn acknowledge(
    tx: &mut Change,
    reach: &Reach,
    id: i64,
    day: Date,
    now: Timestamp,
) -> Result<()> {
    set_day(tx, reach, id, "acknowledged_on", day, now).await
}

/// The person confirmed their registration on `day` (yearly confirmation).
pub async fn confirm(
    tx: &mut Change,
    reach: &Reach,
    id: i64,
    day: Date,
    now: Timestamp,
) -> Result<()> {
    set_day(tx, reach, id, "confirmed_on", day, now).await
}

/// Removes a person from the register: their row and calls are deleted; an anonymous removal is counted.
pub async fn remove(
    tx: &mut Change,
    reach: &Reach,
    id: i64,
    reason: RemovalReason,
    by: &str,
    now: Timestamp,
) -> Result<()> {
    // Escalations and attempts go with the calls (ON DELETE CASCADE), calls with the person. The removal is
    // counted for the person's commune.
    let clause = reach.clause("commune_code", 2, PERSONAL);
    let sql = format!(
        "DELETE FROM crisis_person WHERE id = $1 AND {} RETURNING commune_code",
        clause.sql
    );
    let removed: Option<Option<String>> = clause
        .bind_scalar(sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).bind(id))
        .fetch_optional(tx.conn())
        .await?;
    let Some(commune) = removed else {
        return Err(Error::NotFound {
            what: "personne",
            id,
        });
    };
    sqlx::query(
        "INSERT INTO crisis_person_removal (removed_at, reason, removed_by, commune_code) VALUES ($1, $2, $3, $4)",
    )
    .bind(instant(now))
    .bind(reason.code())
    .bind(by)
    .bind(commune)
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// The register the caller reaches, by name. Sensitive.
pub async fn list(store: &Store, reach: &Reach) -> Result<Vec<Person>> {
    let rows = reached_rows(
        store,
        reach,
        "commune_code",
        PERSONAL,
        &format!(
            "SELECT {COLUMNS} FROM crisis_person WHERE {{reach}} ORDER BY last_name, first_name, id"
        ),
    )
    .await?;
    rows.iter().map(person_of).collect()
}

/// What a page of the register shows: the people whose name or address holds every word of `text` (the kit's
/// search: accents, plurals and one typo aside), of `commune` only when given, only those whose acknowledgement
/// is still to send when `to_acknowledge`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PersonFilter {
    pub text: String,
    pub commune: Option<String>,
    pub to_acknowledge: bool,
}

/// One page of the register the caller reaches, by name, and how many people match in all. Sensitive. Without
/// words to find, the page is cut in SQL; with words, names and addresses of the people reached are matched
/// here, and only the page's people are read whole.
pub async fn search(
    store: &Store,
    reach: &Reach,
    filter: &PersonFilter,
    window: Window,
) -> Result<Slice<Person>> {
    let mut tx = begin_read(store, reach).await?;
    let clause = reach.clause("commune_code", 3, PERSONAL);
    let filtered = format!(
        "FROM crisis_person WHERE ($1 = '' OR commune_code = $1) AND ($2 = 0 OR acknowledged_on IS NULL) AND {}",
        clause.sql
    );
    let commune = filter.commune.clone().unwrap_or_default();
    let pending = i64::from(filter.to_acknowledge);
    let words = maillage_kit::search::search_words(&filter.text);
    let (ids, total) = if words.is_empty() {
        let sql = format!("SELECT COUNT(*) {filtered}");
        let total = clause
            .bind_scalar(
                sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(sql))
                    .bind(commune.clone())
                    .bind(pending),
            )
            .fetch_one(tx.conn())
            .await?;
        let sql = format!(
            "SELECT id {filtered} ORDER BY last_name, first_name, id LIMIT {} OFFSET {}",
            window.limit, window.offset
        );
        let ids = clause
            .bind_scalar(
                sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(sql))
                    .bind(commune)
                    .bind(pending),
            )
            .fetch_all(tx.conn())
            .await?;
        (ids, usize::try_from(total).unwrap_or(0))
    } else {
        let sql = format!(
            "SELECT id, last_name, first_name, address {filtered} ORDER BY last_name, first_name, id"
        );
        let rows = clause
            .bind(
                sqlx::query(sqlx::AssertSqlSafe(sql))
                    .bind(commune)
                    .bind(pending),
            )
            .fetch_all(tx.conn())
            .await?;
        let mut found = Vec::new();
        for r in &rows {
            let text = format!(
                "{} {} {}",
                r.try_get::<String, _>("last_name")?,
                r.try_get::<String, _>("first_name")?,
                r.try_get::<String, _>("address")?
            );
            if maillage_kit::search::matches_all(&text, &words) {
                found.push(r.try_get::<i64, _>("id")?);
            }
        }
        let page = window.cut(found);
        (page.rows, page.total)
    };
    let mut people = Vec::with_capacity(ids.len());
    if !ids.is_empty() {
        // The ids come from the store itself: written into the statement, they need no binding.
        let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
        let clause = reach.clause("commune_code", 1, PERSONAL);
        let sql = format!(
            "SELECT {COLUMNS} FROM crisis_person WHERE id IN ({list}) AND {} ORDER BY last_name, first_name, id",
            clause.sql
        );
        let rows = clause
            .bind(sqlx::query(sqlx::AssertSqlSafe(sql)))
            .fetch_all(tx.conn())
            .await?;
        for r in &rows {
            people.push(person_of(r)?);
        }
    }
    tx.commit().await?;
    Ok(Slice {
        rows: people,
        total,
    })
}

/// One person, when the caller reaches them. Sensitive.
pub async fn get(store: &Store, reach: &Reach, id: i64) -> Result<Option<Person>> {
    let mut tx = begin_read(store, reach).await?;
    let clause = reach.clause("commune_code", 2, PERSONAL);
    let sql = format!(
        "SELECT {COLUMNS} FROM crisis_person WHERE id = $1 AND {}",
        clause.sql
    );
    let row = clause
        .bind(sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id))
        .fetch_optional(tx.conn())
        .await?;
    row.as_ref().map(person_of).transpose()
}

/// Positions and communes only (for splitting call lists): no names. The people of `commune`, or everyone when
/// the campaign is the whole territory's.
pub(crate) async fn positions(
    tx: &mut Change,
    commune: Option<&str>,
) -> Result<Vec<(i64, Option<Point>, Option<String>)>> {
    let rows = sqlx::query(
        "SELECT id, lon, lat, commune_code FROM crisis_person WHERE $1 IS NULL OR commune_code = $1 ORDER BY id",
    )
    .bind(commune)
    .fetch_all(tx.conn())
    .await?;
    rows.iter()
        .map(|r| {
            let lon: Option<f64> = r.try_get("lon")?;
            let lat: Option<f64> = r.try_get("lat")?;
            Ok((r.try_get("id")?, lon.zip(lat), r.try_get("commune_code")?))
        })
        .collect()
}

/// Figures of the register without anyone in them (for élus and dashboards).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Counts {
    pub total: u64,
    /// By registration quality code.
    pub by_basis: BTreeMap<String, u64>,
    /// Registrations not yet acknowledged.
    pub to_acknowledge: u64,
    /// Of which past the 8-day limit.
    pub acknowledgement_late: u64,
    pub confirmation_due_soon: u64,
    pub confirmation_overdue: u64,
    pub removals: u64,
}

/// Counts of the register the caller reaches on the day of `now`, with confirmations due within `remind_days`.
pub async fn counts(
    store: &Store,
    reach: &Reach,
    now: Timestamp,
    remind_days: i64,
) -> Result<Counts> {
    let day = today(now);
    let mut tx = begin_read(store, reach).await?;
    let clause = reach.clause("commune_code", 1, PERSONAL);
    let sql = format!(
        "SELECT basis, requested_on, acknowledged_on, confirmed_on FROM crisis_person WHERE {}",
        clause.sql
    );
    let rows = clause
        .bind(sqlx::query(sqlx::AssertSqlSafe(sql)))
        .fetch_all(tx.conn())
        .await?;
    let mut c = Counts::default();
    for r in &rows {
        c.total += 1;
        *c.by_basis
            .entry(r.try_get::<String, _>("basis")?)
            .or_default() += 1;
        let requested = parse_day(
            "crisis_person.requested_on",
            &r.try_get::<String, _>("requested_on")?,
        )?;
        if r.try_get::<Option<String>, _>("acknowledged_on")?.is_none() {
            c.to_acknowledge += 1;
            if maillage_crisis::register::acknowledgement_due(requested) < day {
                c.acknowledgement_late += 1;
            }
        }
        let confirmed = parse_day(
            "crisis_person.confirmed_on",
            &r.try_get::<String, _>("confirmed_on")?,
        )?;
        match confirmation(confirmed, day, remind_days) {
            Confirmation::DueSoon { .. } => c.confirmation_due_soon += 1,
            Confirmation::Overdue { .. } => c.confirmation_overdue += 1,
            Confirmation::UpToDate { .. } => {}
        }
    }
    let sql = format!(
        "SELECT COUNT(*) FROM crisis_person_removal WHERE {}",
        clause.sql
    );
    c.removals = clause
        .bind_scalar(sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(sql)))
        .fetch_one(tx.conn())
        .await? as u64;
    Ok(c)
}

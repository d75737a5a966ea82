//! Volunteers, inhabitants' requests, their matching and assignment, delivery rounds, and what a volunteer
//! sees of their own missions (only what they need to do them).

use super::{
    Error, PERSONAL, Result, assignable, begin_read, code, day_text, instant, parse_day_opt,
};
use crate::Store;
use crate::change::Change;
use crate::change::reached_rows;
use crate::crisis::Refusal;
use crate::reach::Reach;
use jiff::Timestamp;
use jiff::civil::Date;
use maillage_crisis::geo::Point;
use maillage_crisis::volunteers::{
    self as rules, Candidate, RequestStatus, Skill, WEEKDAY_CODES, parse_weekday,
};
use maillage_crisis::{Coded, CrisisError, fields};
use serde::Serialize;
use sqlx::Row;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Volunteer {
    pub id: i64,
    pub name: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub account: Option<String>,
    pub skills: BTreeSet<Skill>,
    /// Days of the week (0 = Monday).
    pub days: BTreeSet<u8>,
    pub availability: Option<String>,
    pub area: Option<String>,
    pub position: Option<Point>,
    pub radius_km: f64,
    pub consent_on: String,
    pub active: bool,
    pub open_tasks: u32,
    /// The commune the volunteer helps (None: the whole territory).
    pub commune_code: Option<String>,
}

/// A volunteer as typed in the form.
#[derive(Debug, Clone, Default)]
pub struct VolunteerForm {
    pub name: String,
    pub phone: String,
    pub email: String,
    pub account: String,
    pub skills: Vec<String>,
    pub days: Vec<String>,
    pub availability: String,
    pub area: String,
    pub position: Option<Point>,
    pub radius_km: String,
    /// The day the volunteer consented to the processing of their data.
    pub consent_on: String,
}

fn join<T: Coded>(set: &BTreeSet<T>) -> String {
    set.iter().map(|s| s.code()).collect::<Vec<_>>().join(",")
}

fn skills_of(text: &str) -> BTreeSet<Skill> {
    text.split(',').filter_map(Skill::parse).collect()
}

fn days_of(text: &str) -> BTreeSet<u8> {
    text.split(',').filter_map(parse_weekday).collect()
}

/// Registers a volunteer of `commune` (one the caller holds).
pub async fn add_volunteer(
    tx: &mut Change,
    reach: &Reach,
    commune: Option<&str>,
    form: &VolunteerForm,
    now: Timestamp,
) -> Result<i64> {
    let name = fields::required("nom", &form.name, 150)?;
    let phone = fields::phone("telephone", &form.phone)?;
    let email = fields::optional("courriel", &form.email, 200)?;
    let account = fields::optional("compte", &form.account, 64)?.map(|a| a.to_lowercase());
    let skills: BTreeSet<Skill> = form
        .skills
        .iter()
        .map(|s| maillage_crisis::parse_code("competences", s))
        .collect::<Result<_, _>>()?;
    if skills.is_empty() {
        return Err(
            CrisisError::Field(maillage_crisis::FieldError::MissingField {
                field: "competences",
            })
            .into(),
        );
    }
    let days: BTreeSet<u8> = form
        .days
        .iter()
        .map(|d| parse_weekday(d).ok_or(CrisisError::UnknownCode { field: "jours" }))
        .collect::<Result<_, _>>()?;
    let radius = fields::decimal("rayon_km", &form.radius_km)?.unwrap_or(2.0);
    if !(0.1..=100.0).contains(&radius) {
        return Err(
            CrisisError::Field(maillage_crisis::FieldError::InvalidField {
                field: "rayon_km",
                expected: "distance de 0,1 à 100 km",
            })
            .into(),
        );
    }
    let consent =
        fields::date("consentement", &form.consent_on)?.ok_or(CrisisError::ConsentMissing)?;
    let days_text = days
        .iter()
        .map(|d| WEEKDAY_CODES[*d as usize])
        .collect::<Vec<_>>()
        .join(",");
    assignable(reach, commune)?;
    Ok(sqlx::query_scalar(
        "INSERT INTO crisis_volunteer (name, phone, email, account, skills, days, availability, area, lon, lat, radius_km,
             consent_on, active, created_at, commune_code)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 1, $13, $14) RETURNING id",
    )
    .bind(name)
    .bind(phone)
    .bind(email)
    .bind(account)
    .bind(join(&skills))
    .bind(days_text)
    .bind(fields::optional("disponibilites", &form.availability, 300)?)
    .bind(fields::optional("secteur", &form.area, 150)?)
    .bind(form.position.map(|p| p.0))
    .bind(form.position.map(|p| p.1))
    .bind(radius)
    .bind(day_text(consent))
    .bind(instant(now))
    .bind(commune)
    .fetch_one(tx.conn())
    .await?)
}

pub async fn set_volunteer_active(
    tx: &mut Change,
    reach: &Reach,
    id: i64,
    active: bool,
) -> Result<()> {
    let clause = reach.clause("commune_code", 3, PERSONAL);
    let sql = format!(
        "UPDATE crisis_volunteer SET active = $2 WHERE id = $1 AND {}",
        clause.sql
    );
    let n = clause
        .bind(
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(id)
                .bind(i64::from(active)),
        )
        .execute(tx.conn())
        .await?
        .rows_affected();
    if n == 0 {
        return Err(Error::NotFound {
            what: "bénévole",
            id,
        });
    }
    Ok(())
}

/// Every volunteer the caller reaches with their open tasks. Personal data.
pub async fn volunteers(store: &Store, reach: &Reach) -> Result<Vec<Volunteer>> {
    let rows =
        reached_rows(store, reach, "v.commune_code", PERSONAL, "SELECT v.id, v.name, v.phone, v.email, v.account, v.skills, v.days, v.availability, v.area, v.lon, v.lat,
                v.radius_km, v.consent_on, v.active, v.commune_code,
                (SELECT COUNT(*) FROM crisis_request r WHERE r.volunteer_id = v.id AND r.status = 'affectee') AS open_tasks
         FROM crisis_volunteer v WHERE {reach} ORDER BY v.active DESC, v.name, v.id").await?;
    rows.iter()
        .map(|r| {
            let lon: Option<f64> = r.try_get("lon")?;
            let lat: Option<f64> = r.try_get("lat")?;
            Ok(Volunteer {
                id: r.try_get("id")?,
                name: r.try_get("name")?,
                phone: r.try_get("phone")?,
                email: r.try_get("email")?,
                account: r.try_get("account")?,
                skills: skills_of(&r.try_get::<String, _>("skills")?),
                days: days_of(&r.try_get::<String, _>("days")?),
                availability: r.try_get("availability")?,
                area: r.try_get("area")?,
                position: lon.zip(lat),
                radius_km: r.try_get("radius_km")?,
                consent_on: r.try_get("consent_on")?,
                active: r.try_get::<i64, _>("active")? != 0,
                open_tasks: r.try_get::<i64, _>("open_tasks")? as u32,
                commune_code: r.try_get("commune_code")?,
            })
        })
        .collect()
}

#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    pub id: i64,
    pub kind: Skill,
    pub beneficiary: String,
    pub address: String,
    pub phone: Option<String>,
    pub details: Option<String>,
    pub position: Option<Point>,
    pub needed_on: Option<Date>,
    pub status: RequestStatus,
    pub volunteer_id: Option<i64>,
    pub volunteer_name: Option<String>,
    pub round_id: Option<i64>,
    pub round_position: Option<i64>,
    pub created_at: String,
    pub assigned_at: Option<String>,
    pub done_at: Option<String>,
    pub done_note: Option<String>,
    /// The commune of the inhabitant (None: the whole territory).
    pub commune_code: Option<String>,
    /// The last volunteer who could not do it, and why ([`report_not_done`]).
    pub not_done: Option<NotDone>,
}

/// A volunteer's report that they could not do a mission (migration 0018).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotDone {
    /// The volunteer's name, as the coordinator knows them.
    pub by: String,
    /// RFC 3339.
    pub at: String,
    pub reason: String,
}

/// A request as typed in the form.
#[derive(Debug, Clone, Default)]
pub struct RequestForm {
    pub kind: String,
    pub beneficiary: String,
    pub address: String,
    pub phone: String,
    pub details: String,
    pub needed_on: String,
    pub position: Option<Point>,
}

/// Records an inhabitant's request in `commune` (one the caller holds).
pub async fn add_request(
    tx: &mut Change,
    reach: &Reach,
    commune: Option<&str>,
    form: &RequestForm,
    by: &str,
    now: Timestamp,
) -> Result<i64> {
    let kind: Skill = maillage_crisis::parse_code("type", &form.kind)?;
    let beneficiary = fields::required("beneficiaire", &form.beneficiary, 150)?;
    let address = fields::required("adresse", &form.address, 300)?;
    let phone = fields::phone("telephone", &form.phone)?;
    let details = fields::optional("details", &form.details, 1000)?;
    let needed_on = fields::date("pour_le", &form.needed_on)?;
    assignable(reach, commune)?;
    Ok(sqlx::query_scalar(
        "INSERT INTO crisis_request (kind, beneficiary, address, phone, details, lon, lat, needed_on, status, created_at,
             created_by, commune_code)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'nouvelle', $9, $10, $11) RETURNING id",
    )
    .bind(kind.code())
    .bind(beneficiary)
    .bind(address)
    .bind(phone)
    .bind(details)
    .bind(form.position.map(|p| p.0))
    .bind(form.position.map(|p| p.1))
    .bind(needed_on.map(day_text))
    .bind(instant(now))
    .bind(by)
    .bind(commune)
    .fetch_one(tx.conn())
    .await?)
}

const REQUEST_COLUMNS: &str = "r.id, r.kind, r.beneficiary, r.address, r.phone, r.details, r.lon, r.lat, r.needed_on,
    r.status, r.volunteer_id, v.name AS volunteer_name, r.round_id, r.round_position, r.created_at, r.assigned_at,
    r.done_at, r.done_note, r.commune_code, r.not_done_reason, r.not_done_by, r.not_done_at";

fn request_of(r: &sqlx::any::AnyRow) -> Result<Request> {
    let lon: Option<f64> = r.try_get("lon")?;
    let lat: Option<f64> = r.try_get("lat")?;
    Ok(Request {
        id: r.try_get("id")?,
        kind: code("crisis_request.kind", &r.try_get::<String, _>("kind")?)?,
        beneficiary: r.try_get("beneficiary")?,
        address: r.try_get("address")?,
        phone: r.try_get("phone")?,
        details: r.try_get("details")?,
        position: lon.zip(lat),
        needed_on: parse_day_opt("crisis_request.needed_on", r.try_get("needed_on")?)?,
        status: code("crisis_request.status", &r.try_get::<String, _>("status")?)?,
        volunteer_id: r.try_get("volunteer_id")?,
        volunteer_name: r.try_get("volunteer_name")?,
        round_id: r.try_get("round_id")?,
        round_position: r.try_get("round_position")?,
        created_at: r.try_get("created_at")?,
        assigned_at: r.try_get("assigned_at")?,
        done_at: r.try_get("done_at")?,
        done_note: r.try_get("done_note")?,
        commune_code: r.try_get("commune_code")?,
        not_done: match (
            r.try_get::<Option<String>, _>("not_done_reason")?,
            r.try_get::<Option<String>, _>("not_done_by")?,
            r.try_get::<Option<String>, _>("not_done_at")?,
        ) {
            (Some(reason), Some(by), Some(at)) => Some(NotDone { by, at, reason }),
            _ => None,
        },
    })
}

/// Requests the caller reaches, open ones first (by the day needed), then the others, newest first. Personal
/// data.
pub async fn requests(store: &Store, reach: &Reach) -> Result<Vec<Request>> {
    requests_where(store, reach, None).await
}

/// A request the caller reaches.
pub async fn request(store: &Store, reach: &Reach, id: i64) -> Result<Option<Request>> {
    Ok(requests_where(store, reach, Some(id)).await?.pop())
}

async fn requests_where(store: &Store, reach: &Reach, id: Option<i64>) -> Result<Vec<Request>> {
    let mut tx = begin_read(store, reach).await?;
    let clause = reach.clause("r.commune_code", 2, PERSONAL);
    // The volunteer's name only when the caller reaches the volunteer too.
    let volunteer = reach.clause("v.commune_code", 2 + clause.count(), PERSONAL);
    let sql = format!(
        "SELECT {REQUEST_COLUMNS} FROM crisis_request r
             LEFT JOIN crisis_volunteer v ON v.id = r.volunteer_id AND {}
         WHERE ($1 = 0 OR r.id = $1) AND {}
         ORDER BY CASE WHEN r.status IN ('nouvelle', 'affectee') THEN 0 ELSE 1 END,
                  CASE WHEN r.needed_on IS NULL THEN 1 ELSE 0 END, r.needed_on, r.id DESC",
        volunteer.sql, clause.sql
    );
    // Parameters are numbered by position in the text: the request's clause was numbered first.
    let rows = volunteer
        .bind(clause.bind(sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id.unwrap_or(0))))
        .fetch_all(tx.conn())
        .await?;
    rows.iter().map(request_of).collect()
}

/// Volunteers the caller reaches who can take a request, best first
/// ([`maillage_crisis::volunteers::rank`]).
pub async fn candidates(store: &Store, reach: &Reach, request: &Request) -> Result<Vec<Candidate>> {
    let list: Vec<rules::Volunteer> = volunteers(store, reach)
        .await?
        .into_iter()
        .map(|v| rules::Volunteer {
            id: v.id,
            skills: v.skills,
            days: v.days,
            position: v.position,
            radius_km: v.radius_km,
            active: v.active,
            open_tasks: v.open_tasks,
        })
        .collect();
    let r = rules::Request {
        kind: request.kind,
        position: request.position,
        needed_on: request.needed_on,
    };
    Ok(rules::rank(&r, &list))
}

/// Assigns an open request the caller reaches to an active volunteer the caller reaches.
pub async fn assign(
    tx: &mut Change,
    reach: &Reach,
    id: i64,
    volunteer_id: i64,
    now: Timestamp,
) -> Result<()> {
    let volunteer = reach.clause("v.commune_code", 4, PERSONAL);
    let request = reach.clause("commune_code", 4 + volunteer.count(), PERSONAL);
    let sql = format!(
        "UPDATE crisis_request SET volunteer_id = $2, status = 'affectee', assigned_at = $3
         WHERE id = $1 AND status IN ('nouvelle', 'affectee')
           AND EXISTS (SELECT 1 FROM crisis_volunteer v WHERE v.id = $2 AND v.active = 1 AND {}) AND {}",
        volunteer.sql, request.sql
    );
    let q = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .bind(volunteer_id)
        .bind(instant(now));
    let n = request
        .bind(volunteer.bind(q))
        .execute(tx.conn())
        .await?
        .rows_affected();
    if n == 0 {
        return Err(request_refusal(tx, reach, id, Some(volunteer_id)).await);
    }
    Ok(())
}

async fn request_refusal(tx: &mut Change, reach: &Reach, id: i64, volunteer: Option<i64>) -> Error {
    let clause = reach.clause("commune_code", 2, PERSONAL);
    let sql = format!(
        "SELECT status FROM crisis_request WHERE id = $1 AND {}",
        clause.sql
    );
    let status: Result<Option<String>, sqlx::Error> = clause
        .bind_scalar(sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).bind(id))
        .fetch_optional(tx.conn())
        .await;
    match status {
        Err(e) => e.into(),
        Ok(None) => Error::NotFound {
            what: "demande",
            id,
        },
        Ok(Some(s)) if !RequestStatus::parse(&s).is_some_and(RequestStatus::is_open) => {
            Error::Refused(Refusal::RequestClosed(id))
        }
        Ok(Some(_)) => Error::NotFound {
            what: "bénévole actif",
            id: volunteer.unwrap_or(0),
        },
    }
}

/// Marks a request done or cancelled (by the staff).
pub async fn close_request(
    tx: &mut Change,
    reach: &Reach,
    id: i64,
    status: RequestStatus,
    note: Option<&str>,
    now: Timestamp,
) -> Result<()> {
    if status.is_open() {
        return Err(
            CrisisError::Field(maillage_crisis::FieldError::InvalidField {
                field: "statut",
                expected: "faite ou annulée",
            })
            .into(),
        );
    }
    let note = fields::optional("note", note.unwrap_or(""), 1000)?;
    let clause = reach.clause("commune_code", 5, PERSONAL);
    let sql = format!(
        "UPDATE crisis_request SET status = $2, done_at = $3, done_note = $4
         WHERE id = $1 AND status IN ('nouvelle', 'affectee') AND {}",
        clause.sql
    );
    let q = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .bind(status.code())
        .bind(instant(now))
        .bind(note);
    let n = clause.bind(q).execute(tx.conn()).await?.rows_affected();
    if n == 0 {
        return Err(request_refusal(tx, reach, id, None).await);
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------------------------
// A volunteer's own missions.

/// What a volunteer sees of a request assigned to them: what to do, for whom, where, how to reach them. No
/// register data, no other request.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Mission {
    pub id: i64,
    pub kind: Skill,
    pub beneficiary: String,
    pub address: String,
    pub phone: Option<String>,
    pub details: Option<String>,
    pub needed_on: Option<String>,
    pub status: RequestStatus,
    pub round: Option<String>,
    pub round_position: Option<i64>,
    pub done_at: Option<String>,
}

/// The volunteer record linked to an account, if any.
/// (The link to the account is what gives a volunteer their own record, whatever communes the account holds.)
pub async fn volunteer_of_account(
    store: &Store,
    account: &str,
) -> Result<Option<(i64, String, bool)>> {
    let mut tx = begin_read(store, &Reach::everything()).await?;
    let row = sqlx::query("SELECT id, name, active FROM crisis_volunteer WHERE account = $1")
        .bind(account)
        .fetch_optional(tx.conn())
        .await?;
    row.map(|r| {
        Ok((
            r.try_get("id")?,
            r.try_get("name")?,
            r.try_get::<i64, _>("active")? != 0,
        ))
    })
    .transpose()
}

/// The missions of the volunteer linked to `account`: open ones, and those done in the last `done_days` days.
/// A volunteer's missions are theirs by the link to their account, whichever commune asked them (the
/// transaction reaches every commune; the condition on the account is the whole filter).
pub async fn missions_of(
    store: &Store,
    account: &str,
    now: Timestamp,
    done_days: i64,
) -> Result<Vec<Mission>> {
    let since = instant(
        now.checked_sub(jiff::SignedDuration::from_hours(24 * done_days))
            .unwrap_or(now),
    );
    let rows = sqlx::query(
        "SELECT r.id, r.kind, r.beneficiary, r.address, r.phone, r.details, r.needed_on, r.status, o.label AS round,
                r.round_position, r.done_at
         FROM crisis_request r JOIN crisis_volunteer v ON v.id = r.volunteer_id
              LEFT JOIN crisis_round o ON o.id = r.round_id
         WHERE v.account = $1 AND v.active = 1
           AND (r.status = 'affectee' OR (r.status = 'faite' AND r.done_at >= $2))
         ORDER BY CASE WHEN r.status = 'affectee' THEN 0 ELSE 1 END, CASE WHEN r.needed_on IS NULL THEN 1 ELSE 0 END,
                  r.needed_on, r.round_id, r.round_position, r.id",
    )
    .bind(account)
    .bind(since)
    .fetch_all(begin_read(store, &Reach::everything()).await?.conn())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Mission {
                id: r.try_get("id")?,
                kind: code("crisis_request.kind", &r.try_get::<String, _>("kind")?)?,
                beneficiary: r.try_get("beneficiary")?,
                address: r.try_get("address")?,
                phone: r.try_get("phone")?,
                details: r.try_get("details")?,
                needed_on: r.try_get("needed_on")?,
                status: code("crisis_request.status", &r.try_get::<String, _>("status")?)?,
                round: r.try_get("round")?,
                round_position: r.try_get("round_position")?,
                done_at: r.try_get("done_at")?,
            })
        })
        .collect()
}

/// A volunteer marks one of their own missions done. Another volunteer's request is refused as not theirs.
pub async fn complete_mission(
    tx: &mut Change,
    id: i64,
    account: &str,
    note: Option<&str>,
    now: Timestamp,
) -> Result<()> {
    let note = fields::optional("note", note.unwrap_or(""), 1000)?;
    let n = sqlx::query(
        "UPDATE crisis_request SET status = 'faite', done_at = $3, done_note = $4
         WHERE id = $1 AND status = 'affectee'
           AND volunteer_id = (SELECT v.id FROM crisis_volunteer v WHERE v.account = $2 AND v.active = 1)",
    )
    .bind(id)
    .bind(account)
    .bind(instant(now))
    .bind(note)
    .execute(tx.conn())
    .await?
    .rows_affected();
    if n == 1 {
        return Ok(());
    }
    Err(mission_refusal(tx, id, account).await?)
}

/// A volunteer could not do one of their own missions: it goes back to the coordinator (open, given to no one)
/// with the volunteer's name, the moment and the reason, which the coordinator reads on the requests page.
pub async fn report_not_done(
    tx: &mut Change,
    id: i64,
    account: &str,
    reason: Option<&str>,
    now: Timestamp,
) -> Result<()> {
    let reason = fields::required_line("raison", reason.unwrap_or(""), 1000)?;
    let n = sqlx::query(
        "UPDATE crisis_request SET status = 'nouvelle', volunteer_id = NULL, assigned_at = NULL,
             not_done_reason = $3, not_done_at = $4,
             not_done_by = (SELECT v.name FROM crisis_volunteer v WHERE v.account = $2 AND v.active = 1)
         WHERE id = $1 AND status = 'affectee'
           AND volunteer_id = (SELECT v.id FROM crisis_volunteer v WHERE v.account = $2 AND v.active = 1)",
    )
    .bind(id)
    .bind(account)
    .bind(reason)
    .bind(instant(now))
    .execute(tx.conn())
    .await?
    .rows_affected();
    if n == 1 {
        return Ok(());
    }
    Err(mission_refusal(tx, id, account).await?)
}

/// Why a volunteer's change of mission `id` touched nothing: not theirs (or none), or no longer open.
async fn mission_refusal(tx: &mut Change, id: i64, account: &str) -> Result<Error> {
    let row = sqlx::query(
        "SELECT r.status, v.account FROM crisis_request r LEFT JOIN crisis_volunteer v ON v.id = r.volunteer_id
         WHERE r.id = $1",
    )
    .bind(id)
    .fetch_optional(tx.conn())
    .await?;
    Ok(match row {
        // Someone else's request (or none): the volunteer learns nothing about it.
        None => Error::Refused(Refusal::NotYours(id)),
        Some(r) if r.try_get::<Option<String>, _>("account")?.as_deref() != Some(account) => {
            Error::Refused(Refusal::NotYours(id))
        }
        Some(_) => Error::Refused(Refusal::RequestClosed(id)),
    })
}

// ---------------------------------------------------------------------------------------------------------------
// Rounds.

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Round {
    pub id: i64,
    /// The commune of the round (None: the whole territory).
    pub commune_code: Option<String>,
    pub day: String,
    pub kind: Skill,
    pub label: String,
    pub volunteer_id: Option<i64>,
    pub volunteer_name: Option<String>,
    pub length_km: Option<f64>,
    pub stops: u64,
    pub done: u64,
}

pub struct NewRound<'a> {
    /// The commune of the round (one the caller holds); its requests are the caller's.
    pub commune: Option<&'a str>,
    pub day: Date,
    pub kind: Skill,
    pub label: &'a str,
    pub volunteer_id: Option<i64>,
    pub depot: Option<Point>,
    pub requests: &'a [i64],
}

/// Creates a delivery round over open requests of its kind, in the order of [`maillage_crisis::volunteers::order_round`]
/// from the depot, and assigns them to the round's volunteer. Requests and volunteer must be reached by the caller.
pub async fn create_round(
    tx: &mut Change,
    reach: &Reach,
    new: &NewRound<'_>,
    by: &str,
    now: Timestamp,
) -> Result<i64> {
    if !matches!(new.kind, Skill::Repas | Skill::ColisAlimentaire) {
        return Err(
            CrisisError::Field(maillage_crisis::FieldError::InvalidField {
                field: "type",
                expected: "repas ou colis alimentaire",
            })
            .into(),
        );
    }
    let label = fields::required("nom", new.label, 150)?;
    if new.requests.is_empty() {
        return Err(
            CrisisError::Field(maillage_crisis::FieldError::MissingField { field: "demandes" })
                .into(),
        );
    }
    assignable(reach, new.commune)?;
    if let Some(volunteer_id) = new.volunteer_id {
        let clause = reach.clause("commune_code", 2, PERSONAL);
        let sql = format!(
            "SELECT id FROM crisis_volunteer WHERE id = $1 AND {}",
            clause.sql
        );
        let found: Option<i64> = clause
            .bind_scalar(sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).bind(volunteer_id))
            .fetch_optional(tx.conn())
            .await?;
        if found.is_none() {
            return Err(Error::NotFound {
                what: "bénévole",
                id: volunteer_id,
            });
        }
    }
    let at = instant(now);
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO crisis_round (day, kind, label, volunteer_id, depot_lon, depot_lat, created_at, created_by,
             commune_code)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(day_text(new.day))
    .bind(new.kind.code())
    .bind(label)
    .bind(new.volunteer_id)
    .bind(new.depot.map(|p| p.0))
    .bind(new.depot.map(|p| p.1))
    .bind(&at)
    .bind(by)
    .bind(new.commune)
    .fetch_one(tx.conn())
    .await?;
    let mut stops: Vec<(i64, Option<Point>)> = Vec::new();
    let clause = reach.clause("commune_code", 2, PERSONAL);
    let sql = format!(
        "SELECT kind, status, lon, lat FROM crisis_request WHERE id = $1 AND {}",
        clause.sql
    );
    for rid in new.requests {
        let row = clause
            .bind(sqlx::query(sqlx::AssertSqlSafe(sql.clone())).bind(rid))
            .fetch_optional(tx.conn())
            .await?
            .ok_or(Error::NotFound {
                what: "demande",
                id: *rid,
            })?;
        let kind: Skill = code("crisis_request.kind", &row.try_get::<String, _>("kind")?)?;
        let status: RequestStatus = code(
            "crisis_request.status",
            &row.try_get::<String, _>("status")?,
        )?;
        if !status.is_open() {
            return Err(Error::Refused(Refusal::RequestClosed(*rid)));
        }
        if kind != new.kind {
            return Err(
                CrisisError::Field(maillage_crisis::FieldError::InvalidField {
                    field: "demandes",
                    expected: "demandes du type de la tournée",
                })
                .into(),
            );
        }
        let lon: Option<f64> = row.try_get("lon")?;
        let lat: Option<f64> = row.try_get("lat")?;
        stops.push((*rid, lon.zip(lat)));
    }
    let depot = new
        .depot
        .or_else(|| stops.iter().find_map(|(_, p)| *p))
        .unwrap_or((0.0, 0.0));
    let (order, length) = rules::order_round(depot, &stops);
    for (i, rid) in order.iter().enumerate() {
        sqlx::query(
            "UPDATE crisis_request SET round_id = $2, round_position = $3,
                 volunteer_id = COALESCE($4, volunteer_id),
                 status = CASE WHEN COALESCE($4, volunteer_id) IS NULL THEN status ELSE 'affectee' END,
                 assigned_at = CASE WHEN $4 IS NULL THEN assigned_at ELSE $5 END
             WHERE id = $1",
        )
        .bind(rid)
        .bind(id)
        .bind(i as i64 + 1)
        .bind(new.volunteer_id)
        .bind(&at)
        .execute(tx.conn())
        .await?;
    }
    sqlx::query("UPDATE crisis_round SET length_km = $2 WHERE id = $1")
        .bind(id)
        .bind(if new.depot.is_some() {
            Some(length)
        } else {
            None
        })
        .execute(tx.conn())
        .await?;
    Ok(id)
}

/// The rounds the caller reaches.
pub async fn rounds(store: &Store, reach: &Reach) -> Result<Vec<Round>> {
    let rows =
        reached_rows(store, reach, "o.commune_code", PERSONAL, "SELECT o.id, o.day, o.kind, o.label, o.volunteer_id, v.name AS volunteer_name, o.length_km, o.commune_code,
                (SELECT COUNT(*) FROM crisis_request r WHERE r.round_id = o.id) AS stops,
                (SELECT COUNT(*) FROM crisis_request r WHERE r.round_id = o.id AND r.status = 'faite') AS done
         FROM crisis_round o LEFT JOIN crisis_volunteer v ON v.id = o.volunteer_id
         WHERE {reach} ORDER BY o.day DESC, o.id DESC").await?;
    rows.iter()
        .map(|r| {
            Ok(Round {
                id: r.try_get("id")?,
                commune_code: r.try_get("commune_code")?,
                day: r.try_get("day")?,
                kind: code("crisis_round.kind", &r.try_get::<String, _>("kind")?)?,
                label: r.try_get("label")?,
                volunteer_id: r.try_get("volunteer_id")?,
                volunteer_name: r.try_get("volunteer_name")?,
                length_km: r.try_get("length_km")?,
                stops: r.try_get::<i64, _>("stops")? as u64,
                done: r.try_get::<i64, _>("done")? as u64,
            })
        })
        .collect()
}

/// Counts for dashboards of what the caller reaches: (active volunteers, open requests by kind code, requests
/// done).
pub async fn counts(store: &Store, reach: &Reach) -> Result<(u64, BTreeMap<String, u64>, u64)> {
    let mut tx = begin_read(store, reach).await?;
    let clause = reach.clause("commune_code", 1, PERSONAL);
    let sql = format!(
        "SELECT COUNT(*) FROM crisis_volunteer WHERE active = 1 AND {}",
        clause.sql
    );
    let active: i64 = clause
        .bind_scalar(sqlx::query_scalar(sqlx::AssertSqlSafe(sql)))
        .fetch_one(tx.conn())
        .await?;
    let sql = format!(
        "SELECT kind, COUNT(*) AS n FROM crisis_request WHERE status IN ('nouvelle', 'affectee') AND {} GROUP BY kind",
        clause.sql
    );
    let rows = clause
        .bind(sqlx::query(sqlx::AssertSqlSafe(sql)))
        .fetch_all(tx.conn())
        .await?;
    let mut open = BTreeMap::new();
    for r in &rows {
        open.insert(
            r.try_get::<String, _>("kind")?,
            r.try_get::<i64, _>("n")? as u64,
        );
    }
    let sql = format!(
        "SELECT COUNT(*) FROM crisis_request WHERE status = 'faite' AND {}",
        clause.sql
    );
    let done: i64 = clause
        .bind_scalar(sqlx::query_scalar(sqlx::AssertSqlSafe(sql)))
        .fetch_one(tx.conn())
        .await?;
    Ok((active as u64, open, done as u64))
}

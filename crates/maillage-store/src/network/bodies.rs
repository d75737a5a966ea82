//! Bodies (instances de concertation) and their sub-groups, typed members and co-chairs, meetings with their
//! agenda, questions collected beforehand, attendance, minutes and decisions, and the follow-up actions with
//! owners and due dates (the body's board of files in progress).

use super::{
    Error, Owner, Reach, Result, Territorywide, at, at_opt, begin_read, code, commune_of, day_opt,
    day_text, guard, instant, may_assign, read_if_reached, today, touched,
};
use crate::Store;
use crate::change::Change;
use crate::change::reached_rows;
use crate::network::Refusal;
use jiff::Timestamp;
use jiff::civil::Date;
use maillage_network::codes::{ActionStatus, Attendance, BodyKind, MeetingStatus, MemberType};
use maillage_network::{Coded, NetworkError, fields, parse_code};
use sqlx::Row;
use sqlx::any::AnyRow;

#[derive(Debug, Clone, PartialEq)]
pub struct Body {
    pub id: i64,
    /// The commune keeping the body (None: the whole territory, e.g. an intercommunal council).
    pub commune_code: Option<String>,
    pub kind: BodyKind,
    pub name: String,
    pub purpose: Option<String>,
    pub parent_id: Option<i64>,
    pub cadence_days: Option<i64>,
    pub consultative: bool,
    pub pilot: Option<String>,
    pub since: Option<Date>,
    pub active: bool,
    pub members: i64,
}

#[derive(Debug, Clone, Default)]
pub struct BodyForm {
    /// The commune keeping the body (None: the whole territory).
    pub commune: Option<String>,
    pub kind: String,
    pub name: String,
    pub purpose: String,
    pub parent_id: Option<i64>,
    pub cadence_days: String,
    pub consultative: bool,
    pub pilot: String,
    pub since: String,
    pub active: bool,
}

fn body_of(r: &AnyRow) -> Result<Body> {
    Ok(Body {
        id: r.try_get("id")?,
        commune_code: r.try_get("commune_code")?,
        kind: code("network_body.kind", &r.try_get::<String, _>("kind")?)?,
        name: r.try_get("name")?,
        purpose: r.try_get("purpose")?,
        parent_id: r.try_get("parent_id")?,
        cadence_days: r.try_get("cadence_days")?,
        consultative: r.try_get::<i64, _>("consultative")? != 0,
        pilot: r.try_get("pilot")?,
        since: day_opt("network_body.since", r.try_get("since")?)?,
        active: r.try_get::<i64, _>("active")? != 0,
        members: r.try_get("members")?,
    })
}

const BODY_SELECT: &str = "SELECT b.id, b.commune_code, b.kind, b.name, b.purpose, b.parent_id, b.cadence_days, b.consultative, b.pilot,
         b.since, b.active, (SELECT COUNT(*) FROM network_member m WHERE m.body_id = b.id) AS members
     FROM network_body b";

/// Adds a body (`id` None) or replaces one. A sub-group names its parent body; a body cannot be its own parent.
pub async fn save_body(
    tx: &mut Change,
    reach: &Reach,
    id: Option<i64>,
    form: &BodyForm,
    now: Timestamp,
) -> Result<i64> {
    if let Some(id) = id {
        guard(tx, reach, Owner::Body, id).await?;
    }
    let commune = form.commune.as_deref();
    may_assign(reach, commune)?;
    let kind: BodyKind = parse_code("type", &form.kind)?;
    let name = fields::required_line("nom", &form.name, 200)?;
    let purpose = fields::optional("objet", &form.purpose, 3000)?;
    let cadence = fields::integer("cadence", &form.cadence_days, 1, 3660)?;
    let pilot = fields::line("pilote", &form.pilot, 200)?;
    let since = fields::date("depuis", &form.since)?;
    if let Some(p) = form.parent_id {
        if Some(p) == id {
            return Err(
                NetworkError::Field(maillage_network::FieldError::InvalidField {
                    field: "parent",
                    expected: "une autre instance",
                })
                .into(),
            );
        }
        guard(tx, reach, Owner::Body, p).await?;
    }
    let at = instant(now);
    match id {
        None => Ok(sqlx::query_scalar(
            "INSERT INTO network_body (kind, name, purpose, parent_id, cadence_days, consultative, pilot, since, active,
                 created_at, updated_at, commune_code)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, $11) RETURNING id",
        )
        .bind(kind.code())
        .bind(name)
        .bind(purpose)
        .bind(form.parent_id)
        .bind(cadence)
        .bind(i64::from(form.consultative))
        .bind(pilot)
        .bind(day_text(since))
        .bind(i64::from(form.active))
        .bind(at)
        .bind(commune)
        .fetch_one(tx.conn())
        .await?),
        Some(id) => {
            let n = sqlx::query(
                "UPDATE network_body SET kind = $2, name = $3, purpose = $4, parent_id = $5, cadence_days = $6,
                     consultative = $7, pilot = $8, since = $9, active = $10, updated_at = $11, commune_code = $12
                 WHERE id = $1",
            )
            .bind(id)
            .bind(kind.code())
            .bind(name)
            .bind(purpose)
            .bind(form.parent_id)
            .bind(cadence)
            .bind(i64::from(form.consultative))
            .bind(pilot)
            .bind(day_text(since))
            .bind(i64::from(form.active))
            .bind(at)
            .bind(commune)
            .execute(tx.conn())
            .await?
            .rows_affected();
            touched(n, "instance", id)?;
            Ok(id)
        }
    }
}

/// The bodies the caller reaches.
pub async fn bodies(store: &Store, reach: &Reach) -> Result<Vec<Body>> {
    let rows = reached_rows(
        store,
        reach,
        "b.commune_code",
        Territorywide::Shared,
        &format!("{BODY_SELECT} WHERE {{reach}} ORDER BY b.parent_id IS NOT NULL, b.name, b.id"),
    )
    .await?;
    rows.iter().map(body_of).collect()
}

pub async fn body(store: &Store, reach: &Reach, id: i64) -> Result<Option<Body>> {
    let Some(mut tx) = read_if_reached(store, reach, Owner::Body, id).await? else {
        return Ok(None);
    };
    let sql = format!("{BODY_SELECT} WHERE b.id = $1");
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(tx.conn())
        .await?
        .as_ref()
        .map(body_of)
        .transpose()
}

// ---------------------------------------------------------------------------------------------------------------
// Members.

#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    pub id: i64,
    /// Its body's commune (a copy, kept with the personal row).
    pub commune_code: Option<String>,
    pub body_id: i64,
    pub name: String,
    pub function: Option<String>,
    pub organisation: Option<String>,
    pub member_type: MemberType,
    pub co_chair: bool,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub actor_id: Option<i64>,
    pub since: Option<Date>,
    pub until: Option<Date>,
}

#[derive(Debug, Clone, Default)]
pub struct MemberForm {
    pub name: String,
    pub function: String,
    pub organisation: String,
    pub member_type: String,
    pub co_chair: bool,
    pub email: String,
    pub phone: String,
    pub actor_id: Option<i64>,
    pub since: String,
    pub until: String,
}

fn member_of(r: &AnyRow) -> Result<Member> {
    Ok(Member {
        id: r.try_get("id")?,
        commune_code: r.try_get("commune_code")?,
        body_id: r.try_get("body_id")?,
        name: r.try_get("name")?,
        function: r.try_get("function")?,
        organisation: r.try_get("organisation")?,
        member_type: code(
            "network_member.member_type",
            &r.try_get::<String, _>("member_type")?,
        )?,
        co_chair: r.try_get::<i64, _>("co_chair")? != 0,
        email: r.try_get("email")?,
        phone: r.try_get("phone")?,
        actor_id: r.try_get("actor_id")?,
        since: day_opt("network_member.since", r.try_get("since")?)?,
        until: day_opt("network_member.until", r.try_get("until")?)?,
    })
}

const MEMBER_COLUMNS: &str = "id, commune_code, body_id, name, function, organisation, member_type, co_chair, email, phone, actor_id, since, until";

/// Adds a member to a body (`id` None) or replaces one; a member is their body's commune's.
pub async fn save_member(
    tx: &mut Change,
    reach: &Reach,
    id: Option<i64>,
    body_id: i64,
    form: &MemberForm,
    now: Timestamp,
) -> Result<i64> {
    let name = fields::required_line("nom", &form.name, 150)?;
    let function = fields::line("fonction", &form.function, 200)?;
    let organisation = fields::line("organisme", &form.organisation, 200)?;
    let member_type: MemberType = parse_code("type_membre", &form.member_type)?;
    let email = fields::email("courriel", &form.email)?;
    let phone = fields::phone("telephone", &form.phone)?;
    let since = fields::date("depuis", &form.since)?;
    let until = fields::date("jusqu_au", &form.until)?;
    fields::period("mandat", since, until)?;
    let commune = commune_of(tx, reach, Owner::Body, body_id).await?;
    if let Some(a) = form.actor_id {
        guard(tx, reach, Owner::Actor, a).await?;
    }
    match id {
        None => {
            Ok(sqlx::query_scalar(
                "INSERT INTO network_member (body_id, name, function, organisation, member_type, co_chair, email, phone,
                     actor_id, since, until, created_at, commune_code)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
            )
            .bind(body_id)
            .bind(name)
            .bind(function)
            .bind(organisation)
            .bind(member_type.code())
            .bind(i64::from(form.co_chair))
            .bind(email)
            .bind(phone)
            .bind(form.actor_id)
            .bind(day_text(since))
            .bind(day_text(until))
            .bind(instant(now))
            .bind(commune)
            .fetch_one(tx.conn())
            .await?)
        }
        Some(id) => {
            guard(tx, reach, Owner::Member, id).await?;
            let n = sqlx::query(
                "UPDATE network_member SET name = $3, function = $4, organisation = $5, member_type = $6, co_chair = $7,
                     email = $8, phone = $9, actor_id = $10, since = $11, until = $12 WHERE id = $1 AND body_id = $2",
            )
            .bind(id)
            .bind(body_id)
            .bind(name)
            .bind(function)
            .bind(organisation)
            .bind(member_type.code())
            .bind(i64::from(form.co_chair))
            .bind(email)
            .bind(phone)
            .bind(form.actor_id)
            .bind(day_text(since))
            .bind(day_text(until))
            .execute(tx.conn())
            .await?
            .rows_affected();
            touched(n, "membre", id)?;
            Ok(id)
        }
    }
}

pub async fn delete_member(tx: &mut Change, reach: &Reach, body_id: i64, id: i64) -> Result<()> {
    guard(tx, reach, Owner::Member, id).await?;
    let n = sqlx::query("DELETE FROM network_member WHERE id = $1 AND body_id = $2")
        .bind(id)
        .bind(body_id)
        .execute(tx.conn())
        .await?
        .rows_affected();
    touched(n, "membre", id)
}

/// The members of a body the caller reaches: co-chairs first, then by type and name.
pub async fn members(store: &Store, reach: &Reach, body_id: i64) -> Result<Vec<Member>> {
    let Some(mut tx) = read_if_reached(store, reach, Owner::Body, body_id).await? else {
        return Ok(Vec::new());
    };
    let clause = reach.clause("commune_code", 2, Territorywide::HolderOfAll);
    let sql = format!(
        "SELECT {MEMBER_COLUMNS} FROM network_member WHERE body_id = $1 AND {} ORDER BY co_chair DESC, name, id",
        clause.sql
    );
    let rows = clause
        .bind(sqlx::query(sqlx::AssertSqlSafe(sql)).bind(body_id))
        .fetch_all(tx.conn())
        .await?;
    tx.commit().await?;
    let mut v: Vec<Member> = rows.iter().map(member_of).collect::<Result<_>>()?;
    v.sort_by(|a, b| {
        b.co_chair
            .cmp(&a.co_chair)
            .then(a.member_type.cmp(&b.member_type))
            .then(a.name.cmp(&b.name))
    });
    Ok(v)
}

/// Every member the caller reaches, of every body (users' representatives are shown on the démocratie en santé
/// page).
pub async fn all_members(store: &Store, reach: &Reach) -> Result<Vec<Member>> {
    let rows = reached_rows(
        store,
        reach,
        "commune_code",
        Territorywide::HolderOfAll,
        &format!(
            "SELECT {MEMBER_COLUMNS} FROM network_member WHERE {{reach}} ORDER BY body_id, name, id"
        ),
    )
    .await?;
    rows.iter().map(member_of).collect()
}

// ---------------------------------------------------------------------------------------------------------------
// Meetings.

#[derive(Debug, Clone, PartialEq)]
pub struct Meeting {
    pub id: i64,
    pub body_id: i64,
    pub body_name: String,
    pub title: String,
    pub starts_at: Timestamp,
    pub ends_at: Option<Timestamp>,
    pub place: Option<String>,
    pub status: MeetingStatus,
    pub agenda: Option<String>,
    pub minutes: Option<String>,
    pub updated_at: Timestamp,
}

#[derive(Debug, Clone, Default)]
pub struct MeetingForm {
    pub title: String,
    pub starts_at: Option<Timestamp>,
    pub ends_at: Option<Timestamp>,
    pub place: String,
    pub status: String,
    pub agenda: String,
    pub minutes: String,
}

fn meeting_of(r: &AnyRow) -> Result<Meeting> {
    Ok(Meeting {
        id: r.try_get("id")?,
        body_id: r.try_get("body_id")?,
        body_name: r.try_get("body_name")?,
        title: r.try_get("title")?,
        starts_at: at(
            "network_meeting.starts_at",
            &r.try_get::<String, _>("starts_at")?,
        )?,
        ends_at: at_opt("network_meeting.ends_at", r.try_get("ends_at")?)?,
        place: r.try_get("place")?,
        status: code("network_meeting.status", &r.try_get::<String, _>("status")?)?,
        agenda: r.try_get("agenda")?,
        minutes: r.try_get("minutes")?,
        updated_at: at(
            "network_meeting.updated_at",
            &r.try_get::<String, _>("updated_at")?,
        )?,
    })
}

const MEETING_SELECT: &str =
    "SELECT m.id, m.body_id, b.name AS body_name, m.title, m.starts_at, m.ends_at, m.place,
         m.status, m.agenda, m.minutes, m.updated_at
     FROM network_meeting m JOIN network_body b ON b.id = m.body_id";

pub async fn save_meeting(
    tx: &mut Change,
    reach: &Reach,
    id: Option<i64>,
    body_id: i64,
    form: &MeetingForm,
    now: Timestamp,
) -> Result<i64> {
    guard(tx, reach, Owner::Body, body_id).await?;
    let title = fields::required_line("titre", &form.title, 200)?;
    let starts = form.starts_at.ok_or(NetworkError::Field(
        maillage_network::FieldError::MissingField { field: "debut" },
    ))?;
    if form.ends_at.is_some_and(|e| e < starts) {
        return Err(
            NetworkError::Field(maillage_network::FieldError::InvalidField {
                field: "fin",
                expected: "une fin après le début",
            })
            .into(),
        );
    }
    let place = fields::line("lieu", &form.place, 300)?;
    let status: MeetingStatus = match form.status.trim() {
        "" => MeetingStatus::Planned,
        s => parse_code("statut", s)?,
    };
    let agenda = fields::optional("ordre_du_jour", &form.agenda, 10_000)?;
    let minutes = fields::optional("compte_rendu", &form.minutes, 100_000)?;
    let at = instant(now);
    match id {
        None => {
            Ok(sqlx::query_scalar(
                "INSERT INTO network_meeting (body_id, title, starts_at, ends_at, place, status, agenda, minutes,
                     created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id",
            )
            .bind(body_id)
            .bind(title)
            .bind(instant(starts))
            .bind(form.ends_at.map(instant))
            .bind(place)
            .bind(status.code())
            .bind(agenda)
            .bind(minutes)
            .bind(at)
            .fetch_one(tx.conn())
            .await?)
        }
        Some(id) => {
            let n = sqlx::query(
                "UPDATE network_meeting SET title = $3, starts_at = $4, ends_at = $5, place = $6, status = $7,
                     agenda = $8, minutes = $9, updated_at = $10 WHERE id = $1 AND body_id = $2",
            )
            .bind(id)
            .bind(body_id)
            .bind(title)
            .bind(instant(starts))
            .bind(form.ends_at.map(instant))
            .bind(place)
            .bind(status.code())
            .bind(agenda)
            .bind(minutes)
            .bind(at)
            .execute(tx.conn())
            .await?
            .rows_affected();
            touched(n, "réunion", id)?;
            Ok(id)
        }
    }
}

/// Meetings of a body, or of every body the caller reaches, in time order.
pub async fn meetings(store: &Store, reach: &Reach, body_id: Option<i64>) -> Result<Vec<Meeting>> {
    let clause = reach.clause("b.commune_code", 3, Territorywide::Shared);
    let sql = format!(
        "{MEETING_SELECT} WHERE ($1 = 0 OR m.body_id = $2) AND {} ORDER BY m.starts_at, m.id",
        clause.sql
    );
    let mut tx = begin_read(store, reach).await?;
    let rows = clause
        .bind(
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(i64::from(body_id.is_some()))
                .bind(body_id.unwrap_or(0)),
        )
        .fetch_all(tx.conn())
        .await?;
    tx.commit().await?;
    rows.iter().map(meeting_of).collect()
}

pub async fn meeting(store: &Store, reach: &Reach, id: i64) -> Result<Option<Meeting>> {
    let Some(mut tx) = read_if_reached(store, reach, Owner::Meeting, id).await? else {
        return Ok(None);
    };
    let sql = format!("{MEETING_SELECT} WHERE m.id = $1");
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(tx.conn())
        .await?
        .as_ref()
        .map(meeting_of)
        .transpose()
}

#[derive(Debug, Clone, PartialEq)]
pub struct Question {
    pub id: i64,
    pub meeting_id: i64,
    pub asked_by: Option<String>,
    pub text: String,
    pub answer: Option<String>,
    pub asked_at: String,
}

pub async fn add_question(
    tx: &mut Change,
    reach: &Reach,
    meeting_id: i64,
    asked_by: &str,
    text: &str,
    now: Timestamp,
) -> Result<i64> {
    guard(tx, reach, Owner::Meeting, meeting_id).await?;
    let asked_by = fields::line("auteur", asked_by, 150)?;
    let text = fields::required("question", text, 3000)?;
    Ok(sqlx::query_scalar(
        "INSERT INTO network_question (meeting_id, asked_by, text, asked_at) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(meeting_id)
    .bind(asked_by)
    .bind(text)
    .bind(instant(now))
    .fetch_one(tx.conn())
    .await?)
}

pub async fn answer_question(
    tx: &mut Change,
    reach: &Reach,
    meeting_id: i64,
    id: i64,
    answer: &str,
) -> Result<()> {
    guard(tx, reach, Owner::Meeting, meeting_id).await?;
    let answer = fields::optional("reponse", answer, 5000)?;
    let n =
        sqlx::query("UPDATE network_question SET answer = $3 WHERE id = $1 AND meeting_id = $2")
            .bind(id)
            .bind(meeting_id)
            .bind(answer)
            .execute(tx.conn())
            .await?
            .rows_affected();
    touched(n, "question", id)
}

pub async fn questions(store: &Store, reach: &Reach, meeting_id: i64) -> Result<Vec<Question>> {
    let Some(mut tx) = read_if_reached(store, reach, Owner::Meeting, meeting_id).await? else {
        return Ok(Vec::new());
    };
    let rows = sqlx::query(
        "SELECT id, meeting_id, asked_by, text, answer, asked_at FROM network_question WHERE meeting_id = $1
         ORDER BY asked_at, id",
    )
    .bind(meeting_id)
    .fetch_all(tx.conn())
    .await?;
    tx.commit().await?;
    rows.iter()
        .map(|r| {
            Ok(Question {
                id: r.try_get("id")?,
                meeting_id: r.try_get("meeting_id")?,
                asked_by: r.try_get("asked_by")?,
                text: r.try_get("text")?,
                answer: r.try_get("answer")?,
                asked_at: r.try_get("asked_at")?,
            })
        })
        .collect()
}

/// Records who attended: members of the meeting's body only.
pub async fn set_attendance(
    tx: &mut Change,
    reach: &Reach,
    meeting_id: i64,
    member_id: i64,
    status: Attendance,
) -> Result<()> {
    guard(tx, reach, Owner::Meeting, meeting_id).await?;
    guard(tx, reach, Owner::Member, member_id).await?;
    let same_body: Option<i64> = sqlx::query_scalar(
        "SELECT m.id FROM network_meeting m JOIN network_member p ON p.body_id = m.body_id
         WHERE m.id = $1 AND p.id = $2",
    )
    .bind(meeting_id)
    .bind(member_id)
    .fetch_optional(tx.conn())
    .await?;
    same_body.ok_or(Error::Refused(Refusal::Mismatch {
        what: "membre",
        id: member_id,
    }))?;
    sqlx::query(
        "INSERT INTO network_attendance (meeting_id, member_id, status) VALUES ($1, $2, $3)
         ON CONFLICT (meeting_id, member_id) DO UPDATE SET status = excluded.status",
    )
    .bind(meeting_id)
    .bind(member_id)
    .bind(status.code())
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// (member id, attendance) of a meeting.
pub async fn attendance(
    store: &Store,
    reach: &Reach,
    meeting_id: i64,
) -> Result<Vec<(i64, Attendance)>> {
    let Some(mut tx) = read_if_reached(store, reach, Owner::Meeting, meeting_id).await? else {
        return Ok(Vec::new());
    };
    let rows =
        sqlx::query("SELECT member_id, status FROM network_attendance WHERE meeting_id = $1")
            .bind(meeting_id)
            .fetch_all(tx.conn())
            .await?;
    tx.commit().await?;
    rows.iter()
        .map(|r| {
            Ok((
                r.try_get("member_id")?,
                code(
                    "network_attendance.status",
                    &r.try_get::<String, _>("status")?,
                )?,
            ))
        })
        .collect()
}

#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    pub id: i64,
    pub meeting_id: i64,
    pub text: String,
    pub created_at: String,
}

pub async fn add_decision(
    tx: &mut Change,
    reach: &Reach,
    meeting_id: i64,
    text: &str,
    now: Timestamp,
) -> Result<i64> {
    guard(tx, reach, Owner::Meeting, meeting_id).await?;
    let text = fields::required("decision", text, 3000)?;
    Ok(sqlx::query_scalar("INSERT INTO network_decision (meeting_id, text, created_at) VALUES ($1, $2, $3) RETURNING id")
        .bind(meeting_id)
        .bind(text)
        .bind(instant(now))
        .fetch_one(tx.conn())
        .await?)
}

/// Decisions of a meeting, or of every meeting of a body (`meeting_id` None), of the bodies the caller reaches,
/// oldest first.
pub async fn decisions(
    store: &Store,
    reach: &Reach,
    meeting_id: Option<i64>,
    body_id: Option<i64>,
) -> Result<Vec<Decision>> {
    let clause = reach.clause("b.commune_code", 5, Territorywide::Shared);
    let sql = format!(
        "SELECT d.id, d.meeting_id, d.text, d.created_at FROM network_decision d
         JOIN network_meeting m ON m.id = d.meeting_id JOIN network_body b ON b.id = m.body_id
         WHERE ($1 = 0 OR d.meeting_id = $2) AND ($3 = 0 OR m.body_id = $4) AND {} ORDER BY m.starts_at, d.id",
        clause.sql
    );
    let mut tx = begin_read(store, reach).await?;
    let rows = clause
        .bind(
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(i64::from(meeting_id.is_some()))
                .bind(meeting_id.unwrap_or(0))
                .bind(i64::from(body_id.is_some()))
                .bind(body_id.unwrap_or(0)),
        )
        .fetch_all(tx.conn())
        .await?;
    tx.commit().await?;
    rows.iter()
        .map(|r| {
            Ok(Decision {
                id: r.try_get("id")?,
                meeting_id: r.try_get("meeting_id")?,
                text: r.try_get("text")?,
                created_at: r.try_get("created_at")?,
            })
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------------------------
// Follow-up actions.

#[derive(Debug, Clone, PartialEq)]
pub struct FollowUp {
    pub id: i64,
    pub body_id: i64,
    pub body_name: String,
    pub meeting_id: Option<i64>,
    pub title: String,
    pub owner: String,
    pub owner_email: Option<String>,
    pub due_on: Option<Date>,
    pub status: ActionStatus,
    pub note: Option<String>,
    pub done_on: Option<Date>,
    pub reminded_at: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct FollowUpForm {
    pub meeting_id: Option<i64>,
    pub title: String,
    pub owner: String,
    pub owner_email: String,
    pub due_on: String,
    pub status: String,
    pub note: String,
}

fn follow_up_of(r: &AnyRow) -> Result<FollowUp> {
    Ok(FollowUp {
        id: r.try_get("id")?,
        body_id: r.try_get("body_id")?,
        body_name: r.try_get("body_name")?,
        meeting_id: r.try_get("meeting_id")?,
        title: r.try_get("title")?,
        owner: r.try_get("owner")?,
        owner_email: r.try_get("owner_email")?,
        due_on: day_opt("network_action.due_on", r.try_get("due_on")?)?,
        status: code("network_action.status", &r.try_get::<String, _>("status")?)?,
        note: r.try_get("note")?,
        done_on: day_opt("network_action.done_on", r.try_get("done_on")?)?,
        reminded_at: r.try_get("reminded_at")?,
    })
}

const ACTION_SELECT: &str =
    "SELECT a.id, a.body_id, b.name AS body_name, a.meeting_id, a.title, a.owner, a.owner_email,
         a.due_on, a.status, a.note, a.done_on, a.reminded_at
     FROM network_action a JOIN network_body b ON b.id = a.body_id";

/// Adds a follow-up action (`id` None) or replaces one. Done: the day it was marked done is kept.
pub async fn save_action(
    tx: &mut Change,
    reach: &Reach,
    id: Option<i64>,
    body_id: i64,
    form: &FollowUpForm,
    now: Timestamp,
) -> Result<i64> {
    guard(tx, reach, Owner::Body, body_id).await?;
    let title = fields::required_line("action", &form.title, 300)?;
    let owner = fields::required_line("responsable", &form.owner, 150)?;
    let owner_email = fields::email("courriel_responsable", &form.owner_email)?;
    let due_on = fields::date("echeance", &form.due_on)?;
    let status: ActionStatus = match form.status.trim() {
        "" => ActionStatus::ToDo,
        s => parse_code("statut", s)?,
    };
    let note = fields::optional("note", &form.note, 3000)?;
    let done_on = (status == ActionStatus::Done).then(|| today(now));
    if let Some(m) = form.meeting_id {
        let ok: Option<i64> =
            sqlx::query_scalar("SELECT id FROM network_meeting WHERE id = $1 AND body_id = $2")
                .bind(m)
                .bind(body_id)
                .fetch_optional(tx.conn())
                .await?;
        ok.ok_or(Error::Refused(Refusal::Mismatch {
            what: "réunion",
            id: m,
        }))?;
    }
    let at = instant(now);
    match id {
        None => {
            Ok(sqlx::query_scalar(
                "INSERT INTO network_action (body_id, meeting_id, title, owner, owner_email, due_on, status, note,
                     done_on, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id",
            )
            .bind(body_id)
            .bind(form.meeting_id)
            .bind(title)
            .bind(owner)
            .bind(owner_email)
            .bind(day_text(due_on))
            .bind(status.code())
            .bind(note)
            .bind(day_text(done_on))
            .bind(at)
            .fetch_one(tx.conn())
            .await?)
        }
        Some(id) => {
            // A done action keeps the day it was first marked done.
            let n = sqlx::query(
                "UPDATE network_action SET meeting_id = $3, title = $4, owner = $5, owner_email = $6, due_on = $7,
                     status = $8, note = $9, done_on = CASE WHEN $8 = 'faite' THEN COALESCE(done_on, $10) ELSE NULL END,
                     updated_at = $11
                 WHERE id = $1 AND body_id = $2",
            )
            .bind(id)
            .bind(body_id)
            .bind(form.meeting_id)
            .bind(title)
            .bind(owner)
            .bind(owner_email)
            .bind(day_text(due_on))
            .bind(status.code())
            .bind(note)
            .bind(day_text(Some(today(now))))
            .bind(at)
            .execute(tx.conn())
            .await?
            .rows_affected();
            touched(n, "action", id)?;
            Ok(id)
        }
    }
}

/// Changes only the status of an action (the board's buttons).
pub async fn set_action_status(
    tx: &mut Change,
    reach: &Reach,
    id: i64,
    status: ActionStatus,
    now: Timestamp,
) -> Result<i64> {
    guard(tx, reach, Owner::Action, id).await?;
    let body_id: Option<i64> =
        sqlx::query_scalar("SELECT body_id FROM network_action WHERE id = $1")
            .bind(id)
            .fetch_optional(tx.conn())
            .await?;
    let body_id = body_id.ok_or(Error::NotFound { what: "action", id })?;
    sqlx::query(
        "UPDATE network_action SET status = $2,
             done_on = CASE WHEN $2 = 'faite' THEN COALESCE(done_on, $3) ELSE NULL END, updated_at = $4 WHERE id = $1",
    )
    .bind(id)
    .bind(status.code())
    .bind(today(now).to_string())
    .bind(instant(now))
    .execute(tx.conn())
    .await?;
    Ok(body_id)
}

/// Follow-up actions of a body (or of every body the caller reaches), by due date (undated last).
pub async fn actions(store: &Store, reach: &Reach, body_id: Option<i64>) -> Result<Vec<FollowUp>> {
    let clause = reach.clause("b.commune_code", 3, Territorywide::Shared);
    let sql = format!(
        "{ACTION_SELECT} WHERE ($1 = 0 OR a.body_id = $2) AND {} ORDER BY a.due_on IS NULL, a.due_on, a.id",
        clause.sql
    );
    let mut tx = begin_read(store, reach).await?;
    let rows = clause
        .bind(
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(i64::from(body_id.is_some()))
                .bind(body_id.unwrap_or(0)),
        )
        .fetch_all(tx.conn())
        .await?;
    tx.commit().await?;
    rows.iter().map(follow_up_of).collect()
}

/// Notes that reminders were sent for these actions.
pub async fn mark_reminded(
    tx: &mut Change,
    reach: &Reach,
    ids: &[i64],
    now: Timestamp,
) -> Result<()> {
    for id in ids {
        guard(tx, reach, Owner::Action, *id).await?;
        sqlx::query("UPDATE network_action SET reminded_at = $2 WHERE id = $1")
            .bind(id)
            .bind(instant(now))
            .execute(tx.conn())
            .await?;
    }
    Ok(())
}

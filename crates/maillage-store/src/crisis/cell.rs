//! The crisis cell: events and levels, composition, main courante, tasks.

use super::{Error, Result, SHARED, assignable, begin_read, code, instant};
use crate::Store;
use crate::change::Change;
use crate::change::reached_rows;
use crate::crisis::Refusal;
use crate::reach::Reach;
use jiff::Timestamp;
use maillage_crisis::cell::{
    EventKind, Level, LevelChange, LevelWording, LogKind, MemberKind, TaskStatus,
};
use maillage_crisis::{Coded, CrisisError};
use serde::Serialize;
use sqlx::Row;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Event {
    pub id: i64,
    pub kind: EventKind,
    pub title: String,
    pub level: Level,
    pub opened_at: String,
    pub opened_by: String,
    pub closed_at: Option<String>,
    /// The commune whose cell follows the event (None: the territory's cell).
    pub commune_code: Option<String>,
}

fn event_of(r: &sqlx::any::AnyRow) -> Result<Event> {
    Ok(Event {
        id: r.try_get("id")?,
        kind: code("crisis_event.kind", &r.try_get::<String, _>("kind")?)?,
        title: r.try_get("title")?,
        level: code("crisis_event.level", &r.try_get::<String, _>("level")?)?,
        opened_at: r.try_get("opened_at")?,
        opened_by: r.try_get("opened_by")?,
        closed_at: r.try_get("closed_at")?,
        commune_code: r.try_get("commune_code")?,
    })
}

/// Every event the caller reaches (their communes' and the territory's), open ones first, newest first.
pub async fn events(store: &Store, reach: &Reach) -> Result<Vec<Event>> {
    events_where(store, reach, None).await
}

/// An event the caller reaches.
pub async fn event(store: &Store, reach: &Reach, id: i64) -> Result<Option<Event>> {
    Ok(events_where(store, reach, Some(id)).await?.pop())
}

async fn events_where(store: &Store, reach: &Reach, id: Option<i64>) -> Result<Vec<Event>> {
    let mut tx = begin_read(store, reach).await?;
    let clause = reach.clause("commune_code", 2, SHARED);
    let sql = format!(
        "SELECT id, kind, title, level, opened_at, opened_by, closed_at, commune_code FROM crisis_event
         WHERE ($1 = 0 OR id = $1) AND {}
         ORDER BY CASE WHEN closed_at IS NULL THEN 0 ELSE 1 END, opened_at DESC, id DESC",
        clause.sql
    );
    let rows = clause
        .bind(sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id.unwrap_or(0)))
        .fetch_all(tx.conn())
        .await?;
    rows.iter().map(event_of).collect()
}

/// The open event the caller reaches with the highest level at or above `alerte`, if any: an alert is active.
pub async fn active_alert(store: &Store, reach: &Reach) -> Result<Option<Event>> {
    Ok(events(store, reach)
        .await?
        .into_iter()
        .filter(|e| e.closed_at.is_none() && e.level.is_alert())
        .max_by_key(|e| (e.level, e.id)))
}

/// Same check inside a transaction (the préfet export and campaigns check it where they act): an alert the
/// caller reaches.
pub async fn alert_active_in(tx: &mut Change, reach: &Reach) -> Result<bool> {
    let clause = reach.clause("commune_code", 1, SHARED);
    let sql = format!(
        "SELECT COUNT(*) FROM crisis_event WHERE closed_at IS NULL AND level IN ('alerte', 'crise') AND {}",
        clause.sql
    );
    let n: i64 = clause
        .bind_scalar(sqlx::query_scalar(sqlx::AssertSqlSafe(sql)))
        .fetch_one(tx.conn())
        .await?;
    Ok(n > 0)
}

/// Opens an event followed by the cell of `commune` (None: the territory's); its opening is written in the main
/// courante, in the words of `word`.
#[allow(clippy::too_many_arguments)]
pub async fn open_event(
    tx: &mut Change,
    reach: &Reach,
    commune: Option<&str>,
    kind: EventKind,
    title: &str,
    level: Level,
    by: &str,
    now: Timestamp,
    word: LevelWording,
) -> Result<i64> {
    let title = maillage_crisis::fields::required("titre", title, 200)?;
    assignable(reach, commune)?;
    let at = instant(now);
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO crisis_event (kind, title, level, opened_at, opened_by, commune_code)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(kind.code())
    .bind(&title)
    .bind(level.code())
    .bind(&at)
    .bind(by)
    .bind(commune)
    .fetch_one(tx.conn())
    .await?;
    let entry = NewLogEntry {
        commune: commune.map(str::to_string),
        event_id: Some(id),
        site_id: None,
        at: now,
        kind: LogKind::Niveau,
        author: None,
        text: word(&LevelChange::Opened {
            title: &title,
            level,
        }),
    };
    append_log(tx, reach, &entry, by, now).await?;
    Ok(id)
}

/// Changes the level of an open event (written in the main courante with who decided it).
#[allow(clippy::too_many_arguments)]
pub async fn set_level(
    tx: &mut Change,
    reach: &Reach,
    id: i64,
    level: Level,
    author: Option<&str>,
    by: &str,
    now: Timestamp,
    word: LevelWording,
) -> Result<()> {
    let commune = open_event_commune(tx, reach, id).await?;
    sqlx::query("UPDATE crisis_event SET level = $2 WHERE id = $1 AND closed_at IS NULL")
        .bind(id)
        .bind(level.code())
        .execute(tx.conn())
        .await?;
    let entry = NewLogEntry {
        commune,
        event_id: Some(id),
        site_id: None,
        at: now,
        kind: LogKind::Niveau,
        author: author.map(str::to_string),
        text: word(&LevelChange::Changed { level }),
    };
    append_log(tx, reach, &entry, by, now).await?;
    Ok(())
}

/// Closes an event (end of the alert), written in the main courante in the words of `word`.
#[allow(clippy::too_many_arguments)]
pub async fn close_event(
    tx: &mut Change,
    reach: &Reach,
    id: i64,
    author: Option<&str>,
    by: &str,
    now: Timestamp,
    word: LevelWording,
) -> Result<()> {
    let commune = open_event_commune(tx, reach, id).await?;
    sqlx::query("UPDATE crisis_event SET closed_at = $2 WHERE id = $1 AND closed_at IS NULL")
        .bind(id)
        .bind(instant(now))
        .execute(tx.conn())
        .await?;
    let entry = NewLogEntry {
        commune,
        event_id: Some(id),
        site_id: None,
        at: now,
        kind: LogKind::Niveau,
        author: author.map(str::to_string),
        text: word(&LevelChange::Closed),
    };
    append_log(tx, reach, &entry, by, now).await?;
    Ok(())
}

/// The commune of an open event the caller may change: `NotFound` when missing or outside the reach (a commune
/// account reads the territory's cell but changes only its communes' events), `EventClosed` when closed.
async fn open_event_commune(tx: &mut Change, reach: &Reach, id: i64) -> Result<Option<String>> {
    let row = sqlx::query("SELECT closed_at, commune_code FROM crisis_event WHERE id = $1")
        .bind(id)
        .fetch_optional(tx.conn())
        .await?;
    let Some(row) = row else {
        return Err(Error::NotFound {
            what: "événement",
            id,
        });
    };
    let commune: Option<String> = row.try_get("commune_code")?;
    if !reach.may_assign(commune.as_deref()) {
        return Err(Error::NotFound {
            what: "événement",
            id,
        });
    }
    if row.try_get::<Option<String>, _>("closed_at")?.is_some() {
        return Err(Error::Refused(Refusal::EventClosed(id)));
    }
    Ok(commune)
}

// ---------------------------------------------------------------------------------------------------------------
// Composition.

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Member {
    pub id: i64,
    pub kind: MemberKind,
    pub name: String,
    pub function: String,
    pub organisation: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub always_reachable: bool,
    pub active: bool,
    pub commune_code: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct MemberForm {
    pub kind: String,
    pub name: String,
    pub function: String,
    pub organisation: String,
    pub phone: String,
    pub email: String,
    pub always_reachable: bool,
}

/// Adds a member to the cell of `commune` (None: the territory's).
pub async fn add_member(
    tx: &mut Change,
    reach: &Reach,
    commune: Option<&str>,
    form: &MemberForm,
    now: Timestamp,
) -> Result<i64> {
    use maillage_crisis::fields;
    let kind: MemberKind = maillage_crisis::parse_code("type", &form.kind)?;
    let name = fields::required("nom", &form.name, 150)?;
    let function = fields::required("fonction", &form.function, 150)?;
    let organisation = fields::optional("organisme", &form.organisation, 150)?;
    let phone = fields::phone("telephone", &form.phone)?;
    let email = fields::optional("courriel", &form.email, 200)?;
    if email
        .as_deref()
        .is_some_and(|e| !e.contains('@') || e.contains(char::is_whitespace))
    {
        return Err(
            CrisisError::Field(maillage_crisis::FieldError::InvalidField {
                field: "courriel",
                expected: "adresse électronique",
            })
            .into(),
        );
    }
    assignable(reach, commune)?;
    Ok(sqlx::query_scalar(
        "INSERT INTO crisis_member (kind, name, function, organisation, phone, email, always_reachable, active, created_at,
             commune_code)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, $9) RETURNING id",
    )
    .bind(kind.code())
    .bind(name)
    .bind(function)
    .bind(organisation)
    .bind(phone)
    .bind(email)
    .bind(i64::from(form.always_reachable))
    .bind(instant(now))
    .bind(commune)
    .fetch_one(tx.conn())
    .await?)
}

/// A member of a cell the caller holds (not the territory's for a commune account: `NotFound`).
pub async fn set_member_active(
    tx: &mut Change,
    reach: &Reach,
    id: i64,
    active: bool,
) -> Result<()> {
    let clause = changeable(reach, 3);
    let sql = format!(
        "UPDATE crisis_member SET active = $2 WHERE id = $1 AND {}",
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
        return Err(Error::NotFound { what: "membre", id });
    }
    Ok(())
}

/// The rows a caller may change in a table of the cell: its communes' rows, and the territory's only with every
/// commune (a commune account reads the EPCI's cell but does not change it).
pub(crate) fn changeable(reach: &Reach, first: usize) -> crate::reach::Clause {
    reach.clause(
        "commune_code",
        first,
        crate::reach::Territorywide::HolderOfAll,
    )
}

/// Members then outside contacts of the cells the caller reaches, active first.
pub async fn members(store: &Store, reach: &Reach) -> Result<Vec<Member>> {
    let rows =
        reached_rows(store, reach, "commune_code", SHARED, "SELECT id, kind, name, function, organisation, phone, email, always_reachable, active, commune_code
         FROM crisis_member WHERE {reach} ORDER BY active DESC, kind DESC, id").await?;
    rows.iter()
        .map(|r| {
            Ok(Member {
                id: r.try_get("id")?,
                kind: code("crisis_member.kind", &r.try_get::<String, _>("kind")?)?,
                name: r.try_get("name")?,
                function: r.try_get("function")?,
                organisation: r.try_get("organisation")?,
                phone: r.try_get("phone")?,
                email: r.try_get("email")?,
                always_reachable: r.try_get::<i64, _>("always_reachable")? != 0,
                active: r.try_get::<i64, _>("active")? != 0,
                commune_code: r.try_get("commune_code")?,
            })
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------------------------
// Main courante.

#[derive(Debug, Clone)]
pub struct NewLogEntry {
    /// The commune whose main courante it is (None: the territory's).
    pub commune: Option<String>,
    pub event_id: Option<i64>,
    pub site_id: Option<i64>,
    /// When it happened.
    pub at: Timestamp,
    pub kind: LogKind,
    /// Who decided or recommended (required for decisions and recommendations).
    pub author: Option<String>,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LogEntry {
    pub id: i64,
    pub event_id: Option<i64>,
    pub site_id: Option<i64>,
    pub site_name: Option<String>,
    pub at: String,
    pub recorded_at: String,
    pub kind: LogKind,
    pub author: Option<String>,
    pub text: String,
    pub recorded_by: String,
    pub commune_code: Option<String>,
}

/// Appends an entry to the main courante (it can never be changed afterwards).
/// Appends an entry to the main courante of a commune the caller holds (or the territory's, with every commune).
pub async fn append_log(
    tx: &mut Change,
    reach: &Reach,
    entry: &NewLogEntry,
    by: &str,
    now: Timestamp,
) -> Result<i64> {
    use maillage_crisis::fields;
    let text = fields::required("texte", &entry.text, 4000)?;
    let author = fields::optional("auteur", entry.author.as_deref().unwrap_or(""), 200)?;
    if entry.kind.needs_author() && author.is_none() {
        return Err(
            CrisisError::Field(maillage_crisis::FieldError::MissingField { field: "auteur" })
                .into(),
        );
    }
    if entry.at > now {
        return Err(
            CrisisError::Field(maillage_crisis::FieldError::InvalidField {
                field: "heure",
                expected: "heure passée ou actuelle",
            })
            .into(),
        );
    }
    assignable(reach, entry.commune.as_deref())?;
    Ok(sqlx::query_scalar(
        "INSERT INTO crisis_log (event_id, site_id, at, recorded_at, kind, author, text, recorded_by, commune_code)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(entry.event_id)
    .bind(entry.site_id)
    .bind(instant(entry.at))
    .bind(instant(now))
    .bind(entry.kind.code())
    .bind(author)
    .bind(text)
    .bind(by)
    .bind(entry.commune.as_deref())
    .fetch_one(tx.conn())
    .await?)
}

/// The main courante the caller reaches, newest first; `site` keeps the entries about one place.
pub async fn log(
    store: &Store,
    reach: &Reach,
    site: Option<i64>,
    limit: i64,
) -> Result<Vec<LogEntry>> {
    let mut tx = begin_read(store, reach).await?;
    let clause = reach.clause("l.commune_code", 3, SHARED);
    let sql = format!(
        "SELECT l.id, l.event_id, l.site_id, s.name AS site_name, l.at, l.recorded_at, l.kind, l.author, l.text,
                l.recorded_by, l.commune_code
         FROM crisis_log l LEFT JOIN crisis_site s ON s.id = l.site_id
         WHERE ($1 = 0 OR l.site_id = $1) AND {}
         ORDER BY l.at DESC, l.id DESC LIMIT $2",
        clause.sql
    );
    let rows = clause
        .bind(
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(site.unwrap_or(0))
                .bind(limit),
        )
        .fetch_all(tx.conn())
        .await?;
    rows.iter()
        .map(|r| {
            Ok(LogEntry {
                id: r.try_get("id")?,
                event_id: r.try_get("event_id")?,
                site_id: r.try_get("site_id")?,
                site_name: r.try_get("site_name")?,
                at: r.try_get("at")?,
                recorded_at: r.try_get("recorded_at")?,
                kind: code("crisis_log.kind", &r.try_get::<String, _>("kind")?)?,
                author: r.try_get("author")?,
                text: r.try_get("text")?,
                recorded_by: r.try_get("recorded_by")?,
                commune_code: r.try_get("commune_code")?,
            })
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------------------------
// Tasks.

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Task {
    pub id: i64,
    pub event_id: Option<i64>,
    pub title: String,
    pub owner: String,
    pub due_at: Option<String>,
    pub status: TaskStatus,
    pub created_at: String,
    pub created_by: String,
    pub done_at: Option<String>,
    pub commune_code: Option<String>,
}

/// Adds a task to the cell of `commune` (None: the territory's).
#[allow(clippy::too_many_arguments)]
pub async fn add_task(
    tx: &mut Change,
    reach: &Reach,
    commune: Option<&str>,
    event_id: Option<i64>,
    title: &str,
    owner: &str,
    due: Option<Timestamp>,
    by: &str,
    now: Timestamp,
) -> Result<i64> {
    use maillage_crisis::fields;
    let title = fields::required("tache", title, 300)?;
    let owner = fields::required("responsable", owner, 150)?;
    assignable(reach, commune)?;
    Ok(sqlx::query_scalar(
        "INSERT INTO crisis_task (event_id, title, owner, due_at, status, created_at, created_by, commune_code)
         VALUES ($1, $2, $3, $4, 'a_faire', $5, $6, $7) RETURNING id",
    )
    .bind(event_id)
    .bind(title)
    .bind(owner)
    .bind(due.map(instant))
    .bind(instant(now))
    .bind(by)
    .bind(commune)
    .fetch_one(tx.conn())
    .await?)
}

pub async fn set_task_status(
    tx: &mut Change,
    reach: &Reach,
    id: i64,
    status: TaskStatus,
    now: Timestamp,
) -> Result<()> {
    let done = (!status.is_open()).then(|| instant(now));
    let clause = changeable(reach, 4);
    let sql = format!(
        "UPDATE crisis_task SET status = $2, done_at = $3 WHERE id = $1 AND {}",
        clause.sql
    );
    let n = clause
        .bind(
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(id)
                .bind(status.code())
                .bind(done),
        )
        .execute(tx.conn())
        .await?
        .rows_affected();
    if n == 0 {
        return Err(Error::NotFound { what: "tâche", id });
    }
    Ok(())
}

/// The tasks the caller reaches: open ones first (by due time), then the others, newest first.
pub async fn tasks(store: &Store, reach: &Reach) -> Result<Vec<Task>> {
    let rows =
        reached_rows(store, reach, "commune_code", SHARED, "SELECT id, event_id, title, owner, due_at, status, created_at, created_by, done_at, commune_code
         FROM crisis_task WHERE {reach}
         ORDER BY CASE WHEN status IN ('a_faire', 'en_cours') THEN 0 ELSE 1 END,
                  CASE WHEN due_at IS NULL THEN 1 ELSE 0 END, due_at, id DESC").await?;
    rows.iter()
        .map(|r| {
            Ok(Task {
                id: r.try_get("id")?,
                event_id: r.try_get("event_id")?,
                title: r.try_get("title")?,
                owner: r.try_get("owner")?,
                due_at: r.try_get("due_at")?,
                status: code("crisis_task.status", &r.try_get::<String, _>("status")?)?,
                created_at: r.try_get("created_at")?,
                created_by: r.try_get("created_by")?,
                done_at: r.try_get("done_at")?,
                commune_code: r.try_get("commune_code")?,
            })
        })
        .collect()
}

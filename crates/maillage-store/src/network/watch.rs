//! The watch network's cases (dysfunctions in access to care) and their history. Steps are checked by
//! [`maillage_network::watch::check_step`]; each one writes an entry of the append-only history.

use super::{
    Owner, Reach, Result, Territorywide, code, code_opt, commune_of, day, day_opt, day_text, guard,
    instant, may_assign, read_if_reached, today,
};
use crate::Store;
use crate::change::Change;
use crate::change::reached_rows;
use jiff::Timestamp;
use jiff::civil::Date;
use maillage_network::codes::{WatchCategory, WatchStatus};
use maillage_network::watch::{self, Step};
use maillage_network::{Coded, NetworkError, fields, parse_code};
use sqlx::Row;
use sqlx::any::AnyRow;

#[derive(Debug, Clone, PartialEq)]
pub struct Case {
    pub id: i64,
    /// The commune keeping the case (None: the whole territory, read only with every commune).
    pub commune_code: Option<String>,
    pub body_id: Option<i64>,
    pub observed_on: Date,
    pub title: String,
    pub description: String,
    pub category: WatchCategory,
    pub public_concerned: Option<String>,
    pub place: Option<String>,
    pub position: Option<(f64, f64)>,
    pub reported_by: String,
    pub status: WatchStatus,
    pub assignee: Option<String>,
    pub solution: Option<String>,
    pub institution: Option<String>,
    pub interpellation_on: Option<Date>,
    pub updated_at: String,
}

#[derive(Debug, Clone, Default)]
pub struct CaseForm {
    /// The commune keeping the case (None: the whole territory).
    pub commune: Option<String>,
    pub body_id: Option<i64>,
    pub observed_on: String,
    pub title: String,
    pub description: String,
    pub category: String,
    pub public_concerned: String,
    pub place: String,
    pub lon: String,
    pub lat: String,
    pub reported_by: String,
}

fn case_of(r: &AnyRow) -> Result<Case> {
    let lon: Option<f64> = r.try_get("lon")?;
    let lat: Option<f64> = r.try_get("lat")?;
    Ok(Case {
        id: r.try_get("id")?,
        commune_code: r.try_get("commune_code")?,
        body_id: r.try_get("body_id")?,
        observed_on: day(
            "network_watch_case.observed_on",
            &r.try_get::<String, _>("observed_on")?,
        )?,
        title: r.try_get("title")?,
        description: r.try_get("description")?,
        category: code(
            "network_watch_case.category",
            &r.try_get::<String, _>("category")?,
        )?,
        public_concerned: r.try_get("public_concerned")?,
        place: r.try_get("place")?,
        position: lon.zip(lat),
        reported_by: r.try_get("reported_by")?,
        status: code(
            "network_watch_case.status",
            &r.try_get::<String, _>("status")?,
        )?,
        assignee: r.try_get("assignee")?,
        solution: r.try_get("solution")?,
        institution: r.try_get("institution")?,
        interpellation_on: day_opt(
            "network_watch_case.interpellation_on",
            r.try_get("interpellation_on")?,
        )?,
        updated_at: r.try_get("updated_at")?,
    })
}

const CASE_COLUMNS: &str = "id, commune_code, body_id, observed_on, title, description, category, public_concerned, place, lon, lat, \
     reported_by, status, assignee, solution, institution, interpellation_on, updated_at";

struct Checked {
    observed_on: Date,
    title: String,
    description: String,
    category: WatchCategory,
    public_concerned: Option<String>,
    place: Option<String>,
    position: Option<(f64, f64)>,
    reported_by: String,
}

fn check(form: &CaseForm, now: Timestamp) -> Result<Checked> {
    let observed_on = fields::required_date("date_observation", &form.observed_on)?;
    if observed_on > today(now) {
        return Err(
            NetworkError::Field(maillage_network::FieldError::InvalidField {
                field: "date_observation",
                expected: "une date passée",
            })
            .into(),
        );
    }
    let lon = fields::decimal("longitude", &form.lon)?;
    let lat = fields::decimal("latitude", &form.lat)?;
    let position = match (lon, lat) {
        (None, None) => None,
        (Some(x), Some(y)) if (-180.0..=180.0).contains(&x) && (-90.0..=90.0).contains(&y) => {
            Some((x, y))
        }
        _ => {
            return Err(
                NetworkError::Field(maillage_network::FieldError::InvalidField {
                    field: "longitude",
                    expected: "longitude et latitude WGS84",
                })
                .into(),
            );
        }
    };
    Ok(Checked {
        observed_on,
        title: fields::required_line("titre", &form.title, 200)?,
        description: fields::required("description", &form.description, 5000)?,
        category: parse_code("categorie", &form.category)?,
        public_concerned: fields::line("public_concerne", &form.public_concerned, 200)?,
        place: fields::line("lieu", &form.place, 200)?,
        position,
        reported_by: fields::required_line("signale_par", &form.reported_by, 200)?,
    })
}

async fn event(
    tx: &mut Change,
    case_id: i64,
    from: Option<WatchStatus>,
    to: WatchStatus,
    note: Option<&str>,
    by: &str,
    now: Timestamp,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO network_watch_event (case_id, at, from_status, to_status, note, recorded_by)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(case_id)
    .bind(instant(now))
    .bind(from.map(Coded::code))
    .bind(to.code())
    .bind(note)
    .bind(by)
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// Reports a dysfunction: a new case, status `signale`, with the first entry of its history.
pub async fn create_case(
    tx: &mut Change,
    reach: &Reach,
    form: &CaseForm,
    by: &str,
    now: Timestamp,
) -> Result<i64> {
    let c = check(form, now)?;
    may_assign(reach, form.commune.as_deref())?;
    if let Some(b) = form.body_id {
        guard(tx, reach, Owner::Body, b).await?;
    }
    let at = instant(now);
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO network_watch_case (body_id, observed_on, title, description, category, public_concerned, place,
             lon, lat, reported_by, status, created_at, updated_at, recorded_by, commune_code)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, $13, $14) RETURNING id",
    )
    .bind(form.body_id)
    .bind(c.observed_on.to_string())
    .bind(c.title)
    .bind(c.description)
    .bind(c.category.code())
    .bind(c.public_concerned)
    .bind(c.place)
    .bind(c.position.map(|p| p.0))
    .bind(c.position.map(|p| p.1))
    .bind(c.reported_by)
    .bind(WatchStatus::Reported.code())
    .bind(at)
    .bind(by)
    .bind(&form.commune)
    .fetch_one(tx.conn())
    .await?;
    event(tx, id, None, WatchStatus::Reported, None, by, now).await?;
    Ok(id)
}

/// Corrects the description of a case (its status moves only by [`step`]).
pub async fn update_case(
    tx: &mut Change,
    reach: &Reach,
    id: i64,
    form: &CaseForm,
    now: Timestamp,
) -> Result<()> {
    let c = check(form, now)?;
    commune_of(tx, reach, Owner::WatchCase, id).await?;
    may_assign(reach, form.commune.as_deref())?;
    if let Some(b) = form.body_id {
        guard(tx, reach, Owner::Body, b).await?;
    }
    let n = sqlx::query(
        "UPDATE network_watch_case SET body_id = $2, observed_on = $3, title = $4, description = $5, category = $6,
             public_concerned = $7, place = $8, lon = $9, lat = $10, reported_by = $11, updated_at = $12,
             commune_code = $13 WHERE id = $1",
    )
    .bind(id)
    .bind(form.body_id)
    .bind(c.observed_on.to_string())
    .bind(c.title)
    .bind(c.description)
    .bind(c.category.code())
    .bind(c.public_concerned)
    .bind(c.place)
    .bind(c.position.map(|p| p.0))
    .bind(c.position.map(|p| p.1))
    .bind(c.reported_by)
    .bind(instant(now))
    .bind(&form.commune)
    .execute(tx.conn())
    .await?
    .rows_affected();
    super::touched(n, "signalement", id)
}

/// Moves a case to its next status, if the rules allow it, and writes the step in its history. An
/// interpellation records the institution and the day; a resolution its solution.
#[allow(clippy::too_many_arguments)]
pub async fn step(
    tx: &mut Change,
    reach: &Reach,
    id: i64,
    to: WatchStatus,
    s: &Step,
    note: &str,
    by: &str,
    now: Timestamp,
) -> Result<()> {
    guard(tx, reach, Owner::WatchCase, id).await?;
    let current: String = sqlx::query_scalar("SELECT status FROM network_watch_case WHERE id = $1")
        .bind(id)
        .fetch_one(tx.conn())
        .await?;
    let from: WatchStatus = code("network_watch_case.status", &current)?;
    let clean = |field: &'static str, v: &Option<String>| -> Result<Option<String>> {
        Ok(fields::optional(field, v.as_deref().unwrap_or(""), 3000)?)
    };
    let step = Step {
        assignee: clean("attribution", &s.assignee)?,
        solution: clean("solution", &s.solution)?,
        institution: clean("institution", &s.institution)?,
    };
    watch::check_step(from, to, &step)?;
    let note = fields::optional("note", note, 3000)?;
    let interpellation_on = (to == WatchStatus::Interpellation).then(|| today(now));
    // Only what the step carries changes: an assignment keeps an earlier solution, and so on.
    sqlx::query(
        "UPDATE network_watch_case SET status = $2, assignee = COALESCE($3, assignee), solution = COALESCE($4, solution),
             institution = COALESCE($5, institution), interpellation_on = COALESCE($6, interpellation_on), updated_at = $7
         WHERE id = $1",
    )
    .bind(id)
    .bind(to.code())
    .bind(step.assignee)
    .bind(step.solution)
    .bind(step.institution)
    .bind(day_text(interpellation_on))
    .bind(instant(now))
    .execute(tx.conn())
    .await?;
    event(tx, id, Some(from), to, note.as_deref(), by, now).await
}

/// Every case the caller reaches, open ones first, most recent first.
pub async fn cases(store: &Store, reach: &Reach) -> Result<Vec<Case>> {
    let rows =
        reached_rows(store, reach, "commune_code", Territorywide::HolderOfAll, &format!("SELECT {CASE_COLUMNS} FROM network_watch_case WHERE {{reach}}
         ORDER BY CASE WHEN status IN ('resolu', 'clos') THEN 1 ELSE 0 END, observed_on DESC, id DESC")).await?;
    rows.iter().map(case_of).collect()
}

pub async fn case(store: &Store, reach: &Reach, id: i64) -> Result<Option<Case>> {
    let Some(mut tx) = read_if_reached(store, reach, Owner::WatchCase, id).await? else {
        return Ok(None);
    };
    let sql = format!("SELECT {CASE_COLUMNS} FROM network_watch_case WHERE id = $1");
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(tx.conn())
        .await?
        .as_ref()
        .map(case_of)
        .transpose()
}

#[derive(Debug, Clone, PartialEq)]
pub struct HistoryEntry {
    pub at: String,
    pub from: Option<WatchStatus>,
    pub to: WatchStatus,
    pub note: Option<String>,
    pub by: String,
}

/// The history of a case, oldest first.
pub async fn history(store: &Store, reach: &Reach, case_id: i64) -> Result<Vec<HistoryEntry>> {
    let Some(mut tx) = read_if_reached(store, reach, Owner::WatchCase, case_id).await? else {
        return Ok(Vec::new());
    };
    let rows = sqlx::query(
        "SELECT at, from_status, to_status, note, recorded_by FROM network_watch_event WHERE case_id = $1 ORDER BY at, id",
    )
    .bind(case_id)
    .fetch_all(tx.conn())
    .await?;
    tx.commit().await?;
    rows.iter()
        .map(|r| {
            Ok(HistoryEntry {
                at: r.try_get("at")?,
                from: code_opt("network_watch_event.from_status", r.try_get("from_status")?)?,
                to: code(
                    "network_watch_event.to_status",
                    &r.try_get::<String, _>("to_status")?,
                )?,
                note: r.try_get("note")?,
                by: r.try_get("recorded_by")?,
            })
        })
        .collect()
}

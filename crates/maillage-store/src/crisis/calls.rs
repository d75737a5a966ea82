//! Phone campaigns over the register. A campaign starts only while an alert is active; its list is split among
//! the callers ([`maillage_crisis::calls::split`]); a caller takes the next person with [`claim_next`] (their own
//! list first, then anyone's still waiting), which holds the call for them alone, and records the outcome with
//! [`record_outcome`].

use super::register::{Person, person_of};
use super::{
    Error, PERSONAL, Result, SHARED, assignable, begin_read, code, instant, parse_instant,
};
use crate::Store;
use crate::change::Change;
use crate::change::reached_rows;
use crate::crisis::Refusal;
use crate::reach::Reach;
use jiff::{Timestamp, ToSpan};
use maillage_crisis::calls::{
    CallStatus, Escalation, EscalationStatus, Outcome, Progress, RetryPolicy, ToCall, Transition,
    after_outcome, split,
};
use maillage_crisis::{Coded, CrisisError};
use serde::Serialize;
use sqlx::Row;

/// A call is held this long by the caller who took it; after that (a closed phone, a lost connection) anyone may
/// take it again.
pub const CLAIM_MINUTES: i64 = 20;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Campaign {
    pub id: i64,
    pub event_id: i64,
    pub title: String,
    pub script: String,
    pub retry: RetryPolicy,
    pub started_at: String,
    pub started_by: String,
    pub closed_at: Option<String>,
    pub callers: Vec<String>,
    /// The commune whose register is called (None: every commune of the territory).
    pub commune_code: Option<String>,
}

pub struct NewCampaign<'a> {
    /// The commune whose register is called (None: the whole territory, only with every commune).
    pub commune: Option<&'a str>,
    pub event_id: i64,
    pub title: &'a str,
    pub script: &'a str,
    pub retry: RetryPolicy,
    /// Account identifiers of the callers.
    pub callers: &'a [String],
}

fn retry_text(p: &RetryPolicy) -> String {
    p.intervals_minutes
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

/// Starts a campaign over the register of its commune (or the whole register), split among the callers. Refused
/// unless an alert is active in an event the caller reaches.
pub async fn start(
    tx: &mut Change,
    reach: &Reach,
    new: &NewCampaign<'_>,
    by: &str,
    now: Timestamp,
) -> Result<i64> {
    use maillage_crisis::fields;
    let title = fields::required("titre", new.title, 200)?;
    let script = fields::required("script", new.script, 8000)?;
    let mut callers: Vec<String> = new
        .callers
        .iter()
        .map(|c| c.trim().to_lowercase())
        .filter(|c| !c.is_empty())
        .collect();
    callers.sort();
    callers.dedup();
    if callers.is_empty() {
        return Err(CrisisError::NoCallers.into());
    }
    assignable(reach, new.commune)?;
    // The first statement writes: on SQLite the write lock is held from here (see `begin`).
    let at = instant(now);
    let clause = reach.clause("commune_code", 2, SHARED);
    let sql = format!(
        "SELECT level FROM crisis_event WHERE id = $1 AND closed_at IS NULL AND {}",
        clause.sql
    );
    let open: Option<String> = clause
        .bind_scalar(sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).bind(new.event_id))
        .fetch_optional(tx.conn())
        .await?;
    match open {
        None => {
            return Err(Error::NotFound {
                what: "événement ouvert",
                id: new.event_id,
            });
        }
        Some(level)
            if !code::<maillage_crisis::cell::Level, _, _>("crisis_event.level", &level)?
                .is_alert() =>
        {
            return Err(CrisisError::NoActiveAlert.into());
        }
        Some(_) => {}
    }
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO crisis_campaign (event_id, title, script, retry_minutes, started_at, started_by, commune_code)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(new.event_id)
    .bind(title)
    .bind(script)
    .bind(retry_text(&new.retry))
    .bind(&at)
    .bind(by)
    .bind(new.commune)
    .fetch_one(tx.conn())
    .await?;
    for c in &callers {
        sqlx::query("INSERT INTO crisis_campaign_caller (campaign_id, caller) VALUES ($1, $2)")
            .bind(id)
            .bind(c)
            .execute(tx.conn())
            .await?;
    }
    let registered = super::register::positions(tx, new.commune).await?;
    let communes: std::collections::HashMap<i64, Option<String>> = registered
        .iter()
        .map(|(id, _, commune)| (*id, commune.clone()))
        .collect();
    let people: Vec<ToCall> = registered
        .into_iter()
        .map(|(id, position, _)| ToCall { id, position })
        .collect();
    let lists = split(&people, callers.len());
    for (caller, list) in callers.iter().zip(&lists) {
        for (position, person) in list.iter().enumerate() {
            // Each call keeps its person's commune: the call is as personal as the register.
            sqlx::query(
                "INSERT INTO crisis_call (campaign_id, person_id, assigned_to, position, status, attempts, next_attempt_at,
                     updated_at, commune_code)
                 VALUES ($1, $2, $3, $4, 'a_appeler', 0, $5, $5, $6)",
            )
            .bind(id)
            .bind(person)
            .bind(caller)
            .bind(position as i64)
            .bind(&at)
            .bind(communes.get(person).cloned().flatten())
            .execute(tx.conn())
            .await?;
        }
    }
    Ok(id)
}

/// Ends a campaign: no call can be taken any more (outcomes of calls in progress are still recorded).
pub async fn close(tx: &mut Change, reach: &Reach, id: i64, now: Timestamp) -> Result<()> {
    // Only a campaign of the caller's communes (the territory's with every commune).
    let closed = reached_campaign_closed(tx, reach, id, PERSONAL).await?;
    if closed {
        return Err(Error::Refused(Refusal::CampaignClosed(id)));
    }
    sqlx::query("UPDATE crisis_campaign SET closed_at = $2 WHERE id = $1 AND closed_at IS NULL")
        .bind(id)
        .bind(instant(now))
        .execute(tx.conn())
        .await?;
    Ok(())
}

/// Whether a campaign the caller reaches is closed; `NotFound` when it is missing or outside the reach.
async fn reached_campaign_closed(
    tx: &mut Change,
    reach: &Reach,
    id: i64,
    territorywide: crate::reach::Territorywide,
) -> Result<bool> {
    let clause = reach.clause("commune_code", 2, territorywide);
    let sql = format!(
        "SELECT closed_at FROM crisis_campaign WHERE id = $1 AND {}",
        clause.sql
    );
    let found: Option<Option<String>> = clause
        .bind_scalar(sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).bind(id))
        .fetch_optional(tx.conn())
        .await?;
    match found {
        None => Err(Error::NotFound {
            what: "campagne",
            id,
        }),
        Some(closed) => Ok(closed.is_some()),
    }
}

fn campaign_of(r: &sqlx::any::AnyRow, callers: Vec<String>) -> Result<Campaign> {
    let retry: String = r.try_get("retry_minutes")?;
    Ok(Campaign {
        id: r.try_get("id")?,
        event_id: r.try_get("event_id")?,
        title: r.try_get("title")?,
        script: r.try_get("script")?,
        retry: RetryPolicy::parse(&retry).unwrap_or_default(),
        started_at: r.try_get("started_at")?,
        started_by: r.try_get("started_by")?,
        closed_at: r.try_get("closed_at")?,
        callers,
        commune_code: r.try_get("commune_code")?,
    })
}

async fn callers_of(tx: &mut Change, id: i64) -> Result<Vec<String>> {
    Ok(sqlx::query_scalar(
        "SELECT caller FROM crisis_campaign_caller WHERE campaign_id = $1 ORDER BY caller",
    )
    .bind(id)
    .fetch_all(tx.conn())
    .await?)
}

/// A campaign the caller reaches.
pub async fn campaign(store: &Store, reach: &Reach, id: i64) -> Result<Option<Campaign>> {
    Ok(campaigns_where(store, reach, Some(id)).await?.pop())
}

/// Every campaign the caller reaches, open ones first, newest first.
pub async fn campaigns(store: &Store, reach: &Reach) -> Result<Vec<Campaign>> {
    campaigns_where(store, reach, None).await
}

async fn campaigns_where(store: &Store, reach: &Reach, id: Option<i64>) -> Result<Vec<Campaign>> {
    let mut tx = begin_read(store, reach).await?;
    let clause = reach.clause("commune_code", 2, SHARED);
    let sql = format!(
        "SELECT id, event_id, title, script, retry_minutes, started_at, started_by, closed_at, commune_code
         FROM crisis_campaign WHERE ($1 = 0 OR id = $1) AND {}
         ORDER BY CASE WHEN closed_at IS NULL THEN 0 ELSE 1 END, id DESC",
        clause.sql
    );
    let rows = clause
        .bind(sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id.unwrap_or(0)))
        .fetch_all(tx.conn())
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        let id: i64 = r.try_get("id")?;
        out.push(campaign_of(r, callers_of(&mut tx, id).await?)?);
    }
    Ok(out)
}

fn claim_expiry(now: Timestamp) -> String {
    instant(
        now.checked_sub((CLAIM_MINUTES * 60).seconds())
            .unwrap_or(now),
    )
}

/// Gives `caller` the next person to call in a campaign and holds the call for them: a call they already hold,
/// else one of their own list whose time has come, else anyone's still waiting. None when nobody is waiting now.
/// Concurrent callers never get the same person: the hold is one conditional update, and a caller who loses the
/// race on a row simply tries the next one.
/// Only calls of people the caller reaches are given.
pub async fn claim_next(
    store: &Store,
    reach: &Reach,
    campaign_id: i64,
    caller: &str,
    now: Timestamp,
) -> Result<Option<i64>> {
    {
        let mut tx = begin_read(store, reach).await?;
        if reached_campaign_closed(&mut tx, reach, campaign_id, SHARED).await? {
            return Err(Error::Refused(Refusal::CampaignClosed(campaign_id)));
        }
    }
    let at = instant(now);
    let expiry = claim_expiry(now);
    let clause = reach.clause("commune_code", 4, PERSONAL);
    let sql = format!(
        "SELECT id FROM crisis_call WHERE campaign_id = $1 AND claimed_by = $2 AND claimed_at >= $3
           AND status IN ('a_appeler', 'a_rappeler') AND {} ORDER BY claimed_at, id LIMIT 1",
        clause.sql
    );
    let held: Option<i64> = {
        let mut tx = begin_read(store, reach).await?;
        clause
            .bind_scalar(
                sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
                    .bind(campaign_id)
                    .bind(caller)
                    .bind(&expiry),
            )
            .fetch_optional(tx.conn())
            .await?
    };
    if held.is_some() {
        return Ok(held);
    }
    let clause = reach.clause("commune_code", 5, PERSONAL);
    let candidates_sql = format!(
        "SELECT id FROM crisis_call
         WHERE campaign_id = $1 AND status IN ('a_appeler', 'a_rappeler') AND next_attempt_at <= $2
           AND (claimed_by IS NULL OR claimed_at < $3) AND {}
         ORDER BY CASE WHEN assigned_to = $4 THEN 0 ELSE 1 END, next_attempt_at, position, id LIMIT 8",
        clause.sql
    );
    // A bounded number of rounds: each lost race means another caller progressed. Each statement runs in its
    // own short transaction (the reach set for it), so that holds are visible to other callers at once.
    for _ in 0..50 {
        let candidates: Vec<i64> = {
            let mut tx = begin_read(store, reach).await?;
            clause
                .bind_scalar(
                    sqlx::query_scalar(sqlx::AssertSqlSafe(candidates_sql.clone()))
                        .bind(campaign_id)
                        .bind(&at)
                        .bind(&expiry)
                        .bind(caller),
                )
                .fetch_all(tx.conn())
                .await?
        };
        if candidates.is_empty() {
            return Ok(None);
        }
        for id in candidates {
            let mut tx = begin_read(store, reach).await?;
            let won = sqlx::query(
                "UPDATE crisis_call SET claimed_by = $2, claimed_at = $3
                 WHERE id = $1 AND status IN ('a_appeler', 'a_rappeler') AND next_attempt_at <= $3
                   AND (claimed_by IS NULL OR claimed_at < $4)",
            )
            .bind(id)
            .bind(caller)
            .bind(&at)
            .bind(&expiry)
            .execute(tx.conn())
            .await?
            .rows_affected()
                == 1;
            tx.commit().await?;
            if won {
                return Ok(Some(id));
            }
        }
    }
    Ok(None)
}

/// Gives back a call without an outcome (the caller cannot call now).
pub async fn release(store: &Store, reach: &Reach, call_id: i64, caller: &str) -> Result<()> {
    let mut tx = begin_read(store, reach).await?;
    let clause = reach.clause("commune_code", 3, PERSONAL);
    let sql = format!(
        "UPDATE crisis_call SET claimed_by = NULL, claimed_at = NULL WHERE id = $1 AND claimed_by = $2 AND {}",
        clause.sql
    );
    let n = clause
        .bind(
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(call_id)
                .bind(caller),
        )
        .execute(tx.conn())
        .await?
        .rows_affected();
    tx.commit().await?;
    if n == 0 {
        return Err(Error::Refused(Refusal::CallNotHeld(call_id)));
    }
    Ok(())
}

/// Records the outcome of a call `caller` holds: the attempt, the new status (a retry time, or the end), and the
/// escalation the outcome calls for. Returns the transition applied.
pub async fn record_outcome(
    tx: &mut Change,
    reach: &Reach,
    call_id: i64,
    caller: &str,
    outcome: Outcome,
    note: Option<&str>,
    now: Timestamp,
) -> Result<Transition> {
    let note = maillage_crisis::fields::optional("note", note.unwrap_or(""), 2000)?;
    if matches!(outcome, Outcome::Besoin | Outcome::Urgence) && note.is_none() {
        return Err(
            CrisisError::Field(maillage_crisis::FieldError::MissingField { field: "note" }).into(),
        );
    }
    let at = instant(now);
    // Write first: the hold is checked and the attempt counted in the same statement.
    let clause = reach.clause("commune_code", 4, PERSONAL);
    let sql = format!(
        "UPDATE crisis_call SET attempts = attempts + 1, updated_at = $3
         WHERE id = $1 AND claimed_by = $2 AND status IN ('a_appeler', 'a_rappeler') AND {}",
        clause.sql
    );
    let n = clause
        .bind(
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(call_id)
                .bind(caller)
                .bind(&at),
        )
        .execute(tx.conn())
        .await?
        .rows_affected();
    if n == 0 {
        return Err(Error::Refused(Refusal::CallNotHeld(call_id)));
    }
    let row = sqlx::query(
        "SELECT c.attempts, p.retry_minutes FROM crisis_call c JOIN crisis_campaign p ON p.id = c.campaign_id
         WHERE c.id = $1",
    )
    .bind(call_id)
    .fetch_one(tx.conn())
    .await?;
    let attempts: i64 = row.try_get("attempts")?;
    let policy =
        RetryPolicy::parse(&row.try_get::<String, _>("retry_minutes")?).unwrap_or_default();
    let t = after_outcome(outcome, attempts as usize, now.as_second(), &policy);
    let next = t
        .next_attempt_at
        .and_then(|s| Timestamp::from_second(s).ok())
        .map(instant)
        .unwrap_or_else(|| at.clone());
    sqlx::query(
        "UPDATE crisis_call SET status = $2, next_attempt_at = $3, claimed_by = NULL, claimed_at = NULL WHERE id = $1",
    )
    .bind(call_id)
    .bind(t.status.code())
    .bind(next)
    .execute(tx.conn())
    .await?;
    sqlx::query("INSERT INTO crisis_call_attempt (call_id, at, caller, outcome, note) VALUES ($1, $2, $3, $4, $5)")
        .bind(call_id)
        .bind(&at)
        .bind(caller)
        .bind(outcome.code())
        .bind(note)
        .execute(tx.conn())
        .await?;
    if let Some(kind) = t.escalation {
        sqlx::query(
            "INSERT INTO crisis_escalation (call_id, kind, status, created_at, created_by, updated_at, updated_by)
             VALUES ($1, $2, 'ouverte', $3, $4, $3, $4)",
        )
        .bind(call_id)
        .bind(kind.code())
        .bind(&at)
        .bind(caller)
        .execute(tx.conn())
        .await?;
    }
    Ok(t)
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Attempt {
    pub at: String,
    pub caller: String,
    pub outcome: Outcome,
    pub note: Option<String>,
}

/// A call with the person to call: what the call screen shows. Sensitive.
#[derive(Debug, Clone, PartialEq)]
pub struct CallView {
    pub id: i64,
    pub campaign_id: i64,
    pub person: Person,
    pub assigned_to: Option<String>,
    pub status: CallStatus,
    pub attempts: i64,
    pub next_attempt_at: String,
    pub claimed_by: Option<String>,
    pub claimed_at: Option<String>,
    pub history: Vec<Attempt>,
}

/// A call of a person the caller reaches.
pub async fn call(store: &Store, reach: &Reach, call_id: i64) -> Result<Option<CallView>> {
    let mut tx = begin_read(store, reach).await?;
    let clause = reach.clause("c.commune_code", 2, PERSONAL);
    let sql = format!(
        "SELECT c.id AS call_id, c.campaign_id, c.assigned_to, c.status, c.attempts, c.next_attempt_at, c.claimed_by,
                c.claimed_at, p.*
         FROM crisis_call c JOIN crisis_person p ON p.id = c.person_id WHERE c.id = $1 AND {}",
        clause.sql
    );
    let row = clause
        .bind(sqlx::query(sqlx::AssertSqlSafe(sql)).bind(call_id))
        .fetch_optional(tx.conn())
        .await?;
    let Some(r) = row else { return Ok(None) };
    let history = sqlx::query(
        "SELECT at, caller, outcome, note FROM crisis_call_attempt WHERE call_id = $1 ORDER BY id",
    )
    .bind(call_id)
    .fetch_all(tx.conn())
    .await?
    .iter()
    .map(|a| {
        Ok(Attempt {
            at: a.try_get("at")?,
            caller: a.try_get("caller")?,
            outcome: code(
                "crisis_call_attempt.outcome",
                &a.try_get::<String, _>("outcome")?,
            )?,
            note: a.try_get("note")?,
        })
    })
    .collect::<Result<Vec<_>>>()?;
    Ok(Some(CallView {
        id: r.try_get("call_id")?,
        campaign_id: r.try_get("campaign_id")?,
        person: person_of(&r)?,
        assigned_to: r.try_get("assigned_to")?,
        status: code("crisis_call.status", &r.try_get::<String, _>("status")?)?,
        attempts: r.try_get("attempts")?,
        next_attempt_at: r.try_get("next_attempt_at")?,
        claimed_by: r.try_get("claimed_by")?,
        claimed_at: r.try_get("claimed_at")?,
        history,
    }))
}

/// Whether `caller` holds the call now.
pub fn held_by(view: &CallView, caller: &str, now: Timestamp) -> bool {
    let expiry = claim_expiry(now);
    view.claimed_by.as_deref() == Some(caller)
        && view
            .claimed_at
            .as_deref()
            .is_some_and(|c| c >= expiry.as_str())
}

/// Counts by status of the calls the caller reaches, and those held right now.
pub async fn progress(
    store: &Store,
    reach: &Reach,
    campaign_id: i64,
    now: Timestamp,
) -> Result<Progress> {
    let mut tx = begin_read(store, reach).await?;
    let clause = reach.clause("commune_code", 2, PERSONAL);
    let sql = format!(
        "SELECT status, COUNT(*) AS n FROM crisis_call WHERE campaign_id = $1 AND {} GROUP BY status",
        clause.sql
    );
    let rows = clause
        .bind(sqlx::query(sqlx::AssertSqlSafe(sql)).bind(campaign_id))
        .fetch_all(tx.conn())
        .await?;
    let mut p = Progress::default();
    for r in &rows {
        p.add(
            code("crisis_call.status", &r.try_get::<String, _>("status")?)?,
            r.try_get::<i64, _>("n")? as u64,
        );
    }
    let clause = reach.clause("commune_code", 3, PERSONAL);
    let sql = format!(
        "SELECT COUNT(*) FROM crisis_call WHERE campaign_id = $1 AND claimed_by IS NOT NULL AND claimed_at >= $2
           AND status IN ('a_appeler', 'a_rappeler') AND {}",
        clause.sql
    );
    p.en_cours = clause
        .bind_scalar(
            sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(sql))
                .bind(campaign_id)
                .bind(claim_expiry(now)),
        )
        .fetch_one(tx.conn())
        .await? as u64;
    Ok(p)
}

/// Per caller of a campaign: (caller, people in their list, of which done, calls they made), counting the calls
/// the caller reaches.
pub async fn callers_progress(
    store: &Store,
    reach: &Reach,
    campaign_id: i64,
) -> Result<Vec<(String, u64, u64, u64)>> {
    let mut tx = begin_read(store, reach).await?;
    // The same condition three times, each with its own parameters.
    let assigned = reach.clause("c.commune_code", 2, PERSONAL);
    let done = reach.clause("c.commune_code", 2 + assigned.count(), PERSONAL);
    let made = reach.clause("c.commune_code", 2 + 2 * assigned.count(), PERSONAL);
    let sql = format!(
        "SELECT k.caller,
                (SELECT COUNT(*) FROM crisis_call c WHERE c.campaign_id = k.campaign_id AND c.assigned_to = k.caller
                    AND {}) AS assigned,
                (SELECT COUNT(*) FROM crisis_call c WHERE c.campaign_id = k.campaign_id AND c.assigned_to = k.caller
                    AND c.status NOT IN ('a_appeler', 'a_rappeler') AND {}) AS done,
                (SELECT COUNT(*) FROM crisis_call_attempt a JOIN crisis_call c ON c.id = a.call_id
                    WHERE c.campaign_id = k.campaign_id AND a.caller = k.caller AND {}) AS made
         FROM crisis_campaign_caller k WHERE k.campaign_id = $1 ORDER BY k.caller",
        assigned.sql, done.sql, made.sql
    );
    let q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(campaign_id);
    let rows = made
        .bind(done.bind(assigned.bind(q)))
        .fetch_all(tx.conn())
        .await?;
    rows.iter()
        .map(|r| {
            Ok((
                r.try_get("caller")?,
                r.try_get::<i64, _>("assigned")? as u64,
                r.try_get::<i64, _>("done")? as u64,
                r.try_get::<i64, _>("made")? as u64,
            ))
        })
        .collect()
}

/// A line of a caller's list (names: sensitive).
#[derive(Debug, Clone, PartialEq)]
pub struct ListLine {
    pub call_id: i64,
    pub name: String,
    pub status: CallStatus,
    pub attempts: i64,
    pub next_attempt_at: String,
    pub held_by: Option<String>,
}

/// The list of one caller, in calling order (the people the reader reaches).
pub async fn list_of(
    store: &Store,
    reach: &Reach,
    campaign_id: i64,
    caller: &str,
    now: Timestamp,
) -> Result<Vec<ListLine>> {
    let expiry = claim_expiry(now);
    let mut tx = begin_read(store, reach).await?;
    let clause = reach.clause("c.commune_code", 3, PERSONAL);
    let sql = format!(
        "SELECT c.id, p.last_name, p.first_name, c.status, c.attempts, c.next_attempt_at, c.claimed_by, c.claimed_at
         FROM crisis_call c JOIN crisis_person p ON p.id = c.person_id
         WHERE c.campaign_id = $1 AND c.assigned_to = $2 AND {} ORDER BY c.position, c.id",
        clause.sql
    );
    let rows = clause
        .bind(
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(campaign_id)
                .bind(caller),
        )
        .fetch_all(tx.conn())
        .await?;
    rows.iter()
        .map(|r| {
            let claimed_at: Option<String> = r.try_get("claimed_at")?;
            let claimed_by: Option<String> = r.try_get("claimed_by")?;
            Ok(ListLine {
                call_id: r.try_get("id")?,
                name: format!(
                    "{} {}",
                    r.try_get::<String, _>("last_name")?,
                    r.try_get::<String, _>("first_name")?
                ),
                status: code("crisis_call.status", &r.try_get::<String, _>("status")?)?,
                attempts: r.try_get("attempts")?,
                next_attempt_at: r.try_get("next_attempt_at")?,
                held_by: claimed_by
                    .filter(|_| claimed_at.as_deref().is_some_and(|c| c >= expiry.as_str())),
            })
        })
        .collect()
}

#[derive(Debug, Clone, PartialEq)]
pub struct EscalationView {
    pub id: i64,
    pub call_id: i64,
    pub campaign_id: i64,
    pub kind: Escalation,
    pub status: EscalationStatus,
    pub created_at: String,
    pub created_by: String,
    pub follow_up: Option<String>,
    pub updated_at: String,
    pub updated_by: String,
    /// The person: name, address, phone, emergency contact (sensitive).
    pub name: String,
    pub address: String,
    pub phone: Option<String>,
    pub emergency: Option<String>,
    /// The note of the last attempt (what the caller heard).
    pub last_note: Option<String>,
}

/// Open escalations (not closed) by kind code: counts only, for dashboards.
pub async fn open_escalation_counts(
    store: &Store,
    reach: &Reach,
) -> Result<std::collections::BTreeMap<String, u64>> {
    let rows =
        reached_rows(store, reach, "c.commune_code", PERSONAL, "SELECT e.kind, COUNT(*) AS n FROM crisis_escalation e JOIN crisis_call c ON c.id = e.call_id
         WHERE e.status <> 'close' AND {reach} GROUP BY e.kind").await?;
    rows.iter()
        .map(|r| Ok((r.try_get("kind")?, r.try_get::<i64, _>("n")? as u64)))
        .collect()
}

/// Escalations, open ones first. Sensitive.
pub async fn escalations(
    store: &Store,
    reach: &Reach,
    campaign_id: Option<i64>,
) -> Result<Vec<EscalationView>> {
    let mut tx = begin_read(store, reach).await?;
    let clause = reach.clause("c.commune_code", 2, PERSONAL);
    let sql = format!(
        "SELECT e.id, e.call_id, c.campaign_id, e.kind, e.status, e.created_at, e.created_by, e.follow_up, e.updated_at,
                e.updated_by, p.last_name, p.first_name, p.address, p.phone, p.emergency_contact, p.emergency_phone,
                (SELECT a.note FROM crisis_call_attempt a WHERE a.call_id = e.call_id ORDER BY a.id DESC LIMIT 1)
                    AS last_note
         FROM crisis_escalation e JOIN crisis_call c ON c.id = e.call_id JOIN crisis_person p ON p.id = c.person_id
         WHERE ($1 = 0 OR c.campaign_id = $1) AND {}
         ORDER BY CASE e.status WHEN 'ouverte' THEN 0 WHEN 'en_cours' THEN 1 ELSE 2 END,
                  CASE e.kind WHEN 'secours' THEN 0 WHEN 'visite' THEN 1 ELSE 2 END, e.id",
        clause.sql
    );
    let rows = clause
        .bind(sqlx::query(sqlx::AssertSqlSafe(sql)).bind(campaign_id.unwrap_or(0)))
        .fetch_all(tx.conn())
        .await?;
    rows.iter()
        .map(|r| {
            let contact: Option<String> = r.try_get("emergency_contact")?;
            let contact_phone: Option<String> = r.try_get("emergency_phone")?;
            let emergency = match (contact, contact_phone) {
                (Some(c), Some(p)) => Some(format!("{c} — {p}")),
                (c, p) => c.or(p),
            };
            Ok(EscalationView {
                id: r.try_get("id")?,
                call_id: r.try_get("call_id")?,
                campaign_id: r.try_get("campaign_id")?,
                kind: code("crisis_escalation.kind", &r.try_get::<String, _>("kind")?)?,
                status: code(
                    "crisis_escalation.status",
                    &r.try_get::<String, _>("status")?,
                )?,
                created_at: r.try_get("created_at")?,
                created_by: r.try_get("created_by")?,
                follow_up: r.try_get("follow_up")?,
                updated_at: r.try_get("updated_at")?,
                updated_by: r.try_get("updated_by")?,
                name: format!(
                    "{} {}",
                    r.try_get::<String, _>("last_name")?,
                    r.try_get::<String, _>("first_name")?
                ),
                address: r.try_get("address")?,
                phone: r.try_get("phone")?,
                emergency,
                last_note: r.try_get("last_note")?,
            })
        })
        .collect()
}

/// Follow-up of an escalation: its status and what was done (appended to the previous follow-up, dated).
pub async fn follow_up(
    tx: &mut Change,
    reach: &Reach,
    id: i64,
    status: EscalationStatus,
    text: &str,
    by: &str,
    now: Timestamp,
) -> Result<()> {
    let text = maillage_crisis::fields::required("suivi", text, 2000)?;
    let at = instant(now);
    let line = format!(
        "[{}, {by}] {text}",
        at.get(..16).unwrap_or(&at).replace('T', " ")
    );
    let clause = reach.clause("c.commune_code", 2, PERSONAL);
    let sql = format!(
        "SELECT e.follow_up FROM crisis_escalation e JOIN crisis_call c ON c.id = e.call_id WHERE e.id = $1 AND {}",
        clause.sql
    );
    let previous: Option<Option<String>> = clause
        .bind_scalar(sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).bind(id))
        .fetch_optional(tx.conn())
        .await?;
    let Some(previous) = previous else {
        return Err(Error::NotFound {
            what: "signalement",
            id,
        });
    };
    let follow = match previous {
        Some(p) => format!("{p}\n{line}"),
        None => line,
    };
    let n = sqlx::query(
        "UPDATE crisis_escalation SET status = $2, updated_at = $3, updated_by = $4, follow_up = $5 WHERE id = $1",
    )
    .bind(id)
    .bind(status.code())
    .bind(&at)
    .bind(by)
    .bind(follow)
    .execute(tx.conn())
    .await?
    .rows_affected();
    if n == 0 {
        return Err(Error::NotFound {
            what: "signalement",
            id,
        });
    }
    Ok(())
}

/// The last instant a call's hold was taken, for callers' screens.
pub fn claimed_since(view: &CallView) -> Option<Timestamp> {
    view.claimed_at.as_deref().and_then(parse_instant)
}

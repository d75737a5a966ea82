//! Démocratie en santé: consultations of inhabitants and users, participatory workshops, shared diagnoses,
//! inhabitants' initiatives — recorded with their participants, what was said and what came of it. Users'
//! representatives in bodies are the members typed `representant_usagers` (see [`super::bodies`]).

use super::{
    Owner, Reach, Result, Territorywide, code, day, day_text, guard, instant, may_assign, touched,
};
use crate::Store;
use crate::change::Change;
use crate::change::reached_rows;
use jiff::Timestamp;
use jiff::civil::Date;
use maillage_network::codes::ConsultationKind;
use maillage_network::{Coded, fields, parse_code};
use sqlx::Row;
use sqlx::any::AnyRow;

#[derive(Debug, Clone, PartialEq)]
pub struct Consultation {
    pub id: i64,
    /// The commune keeping the record (None: the whole territory).
    pub commune_code: Option<String>,
    pub kind: ConsultationKind,
    pub title: String,
    pub held_on: Date,
    pub place: Option<String>,
    pub participants: Option<i64>,
    pub public_concerned: Option<String>,
    pub body_id: Option<i64>,
    pub contract_id: Option<i64>,
    pub summary: Option<String>,
    pub outcomes: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct ConsultationForm {
    /// The commune keeping the record (None: the whole territory).
    pub commune: Option<String>,
    pub kind: String,
    pub title: String,
    pub held_on: String,
    pub place: String,
    pub participants: String,
    pub public_concerned: String,
    pub body_id: Option<i64>,
    pub contract_id: Option<i64>,
    pub summary: String,
    pub outcomes: String,
}

fn consultation_of(r: &AnyRow) -> Result<Consultation> {
    Ok(Consultation {
        id: r.try_get("id")?,
        commune_code: r.try_get("commune_code")?,
        kind: code(
            "network_consultation.kind",
            &r.try_get::<String, _>("kind")?,
        )?,
        title: r.try_get("title")?,
        held_on: day(
            "network_consultation.held_on",
            &r.try_get::<String, _>("held_on")?,
        )?,
        place: r.try_get("place")?,
        participants: r.try_get("participants")?,
        public_concerned: r.try_get("public_concerned")?,
        body_id: r.try_get("body_id")?,
        contract_id: r.try_get("contract_id")?,
        summary: r.try_get("summary")?,
        outcomes: r.try_get("outcomes")?,
    })
}

pub async fn save_consultation(
    tx: &mut Change,
    reach: &Reach,
    id: Option<i64>,
    f: &ConsultationForm,
    by: &str,
    now: Timestamp,
) -> Result<i64> {
    if let Some(id) = id {
        guard(tx, reach, Owner::Consultation, id).await?;
    }
    may_assign(reach, f.commune.as_deref())?;
    if let Some(b) = f.body_id {
        guard(tx, reach, Owner::Body, b).await?;
    }
    if let Some(c) = f.contract_id {
        guard(tx, reach, Owner::Contract, c).await?;
    }
    let kind: ConsultationKind = parse_code("type", &f.kind)?;
    let title = fields::required_line("titre", &f.title, 300)?;
    let held_on = fields::required_date("date", &f.held_on)?;
    let place = fields::line("lieu", &f.place, 200)?;
    let participants = fields::integer("participants", &f.participants, 0, 1_000_000)?;
    let public_concerned = fields::line("public_concerne", &f.public_concerned, 300)?;
    let summary = fields::optional("synthese", &f.summary, 10_000)?;
    let outcomes = fields::optional("suites", &f.outcomes, 10_000)?;
    match id {
        None => Ok(sqlx::query_scalar(
            "INSERT INTO network_consultation (kind, title, held_on, place, participants, public_concerned, body_id,
                 contract_id, summary, outcomes, created_at, recorded_by, commune_code)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
        )
        .bind(kind.code())
        .bind(title)
        .bind(held_on.to_string())
        .bind(place)
        .bind(participants)
        .bind(public_concerned)
        .bind(f.body_id)
        .bind(f.contract_id)
        .bind(summary)
        .bind(outcomes)
        .bind(instant(now))
        .bind(by)
        .bind(&f.commune)
        .fetch_one(tx.conn())
        .await?),
        Some(id) => {
            let n = sqlx::query(
                "UPDATE network_consultation SET kind = $2, title = $3, held_on = $4, place = $5, participants = $6,
                     public_concerned = $7, body_id = $8, contract_id = $9, summary = $10, outcomes = $11,
                     commune_code = $12 WHERE id = $1",
            )
            .bind(id)
            .bind(kind.code())
            .bind(title)
            .bind(day_text(Some(held_on)))
            .bind(place)
            .bind(participants)
            .bind(public_concerned)
            .bind(f.body_id)
            .bind(f.contract_id)
            .bind(summary)
            .bind(outcomes)
            .bind(&f.commune)
            .execute(tx.conn())
            .await?
            .rows_affected();
            touched(n, "consultation", id)?;
            Ok(id)
        }
    }
}

/// The consultations the caller reaches, most recent first.
pub async fn consultations(store: &Store, reach: &Reach) -> Result<Vec<Consultation>> {
    let rows =
        reached_rows(store, reach, "commune_code", Territorywide::Shared, "SELECT id, commune_code, kind, title, held_on, place, participants, public_concerned, body_id, contract_id,
             summary, outcomes
         FROM network_consultation WHERE {reach} ORDER BY held_on DESC, id DESC").await?;
    rows.iter().map(consultation_of).collect()
}

//! Local enrichment: what the commune knows that open data lacks (age and planned retirement of GPs, part-time,
//! new patients, teleconsultation, notes). Keyed by stable national identifiers (RPPS/ADELI national id, site
//! key, FINESS number) and never written by imports, so it survives every re-import.

use crate::codec::{flag, unflag};
use crate::{Result, Store, StoreError};
use serde::{Deserialize, Serialize};
use sqlx::Row;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Subject {
    Professionnel,
    Site,
    Etablissement,
}

impl Subject {
    pub fn as_str(self) -> &'static str {
        match self {
            Subject::Professionnel => "professionnel",
            Subject::Site => "site",
            Subject::Etablissement => "etablissement",
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Enrichment {
    pub birth_year: Option<i64>,
    pub planned_retirement_year: Option<i64>,
    pub part_time: Option<bool>,
    pub accepting_new_patients: Option<bool>,
    pub teleconsultation: Option<bool>,
    pub notes: Option<String>,
}

impl Enrichment {
    /// Fields given in `update` replace those stored; the others are kept.
    pub fn merged(&self, update: &Enrichment) -> Enrichment {
        Enrichment {
            birth_year: update.birth_year.or(self.birth_year),
            planned_retirement_year: update
                .planned_retirement_year
                .or(self.planned_retirement_year),
            part_time: update.part_time.or(self.part_time),
            accepting_new_patients: update
                .accepting_new_patients
                .or(self.accepting_new_patients),
            teleconsultation: update.teleconsultation.or(self.teleconsultation),
            notes: update.notes.clone().or_else(|| self.notes.clone()),
        }
    }

    fn check(&self) -> Result<()> {
        let this_year = jiff::Zoned::now().year() as i64;
        if let Some(y) = self
            .birth_year
            .filter(|y| !(1900..=this_year - 18).contains(y))
        {
            return Err(StoreError::InvalidValue {
                field: "annee_naissance",
                value: y.to_string(),
            });
        }
        if let Some(y) = self
            .planned_retirement_year
            .filter(|y| !(1950..=2100).contains(y))
        {
            return Err(StoreError::InvalidValue {
                field: "depart_prevu",
                value: y.to_string(),
            });
        }
        Ok(())
    }
}

pub async fn get(store: &Store, subject: Subject, key: &str) -> Result<Option<Enrichment>> {
    let row = sqlx::query(
        "SELECT birth_year, planned_retirement_year, part_time, accepting_new_patients, teleconsultation, notes
         FROM local_enrichment WHERE subject_kind = $1 AND subject_key = $2",
    )
    .bind(subject.as_str())
    .bind(key)
    .fetch_optional(store.pool())
    .await?;
    row.map(|r| {
        Ok(Enrichment {
            birth_year: r.try_get("birth_year")?,
            planned_retirement_year: r.try_get("planned_retirement_year")?,
            part_time: unflag(r.try_get("part_time")?),
            accepting_new_patients: unflag(r.try_get("accepting_new_patients")?),
            teleconsultation: unflag(r.try_get("teleconsultation")?),
            notes: r.try_get("notes")?,
        })
    })
    .transpose()
}

/// Merges `update` into what is known of the subject and returns the result.
pub async fn update(
    store: &Store,
    subject: Subject,
    key: &str,
    update: &Enrichment,
    by: &str,
) -> Result<Enrichment> {
    let current = get(store, subject, key).await?.unwrap_or_default();
    let merged = current.merged(update);
    merged.check()?;
    sqlx::query(
        "INSERT INTO local_enrichment (subject_kind, subject_key, birth_year, planned_retirement_year, part_time,
             accepting_new_patients, teleconsultation, notes, updated_at, updated_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         ON CONFLICT (subject_kind, subject_key) DO UPDATE SET birth_year = excluded.birth_year,
             planned_retirement_year = excluded.planned_retirement_year, part_time = excluded.part_time,
             accepting_new_patients = excluded.accepting_new_patients,
             teleconsultation = excluded.teleconsultation, notes = excluded.notes,
             updated_at = excluded.updated_at, updated_by = excluded.updated_by",
    )
    .bind(subject.as_str())
    .bind(key)
    .bind(merged.birth_year)
    .bind(merged.planned_retirement_year)
    .bind(flag(merged.part_time))
    .bind(flag(merged.accepting_new_patients))
    .bind(flag(merged.teleconsultation))
    .bind(merged.notes.clone())
    .bind(crate::now())
    .bind(by)
    .execute(store.pool())
    .await?;
    Ok(merged)
}

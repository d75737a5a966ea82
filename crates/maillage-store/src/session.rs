//! One import = one transaction and one batch. Dropping a session without committing rolls everything back,
//! so a failed or killed import leaves the store exactly as it was.

use crate::batch::{self, Counts, Source};
use crate::{Result, Store};
use maillage_formats::FormatWarning;
use serde::{Deserialize, Serialize};
use sqlx::{Any, Transaction};

pub struct ImportSession {
    pub tx: Transaction<'static, Any>,
    pub batch_id: i64,
    pub counts: Counts,
    pub source: Source,
    /// What was fixed, skipped or rejected without stopping the import (kept in the batch details).
    pub notes: Vec<ImportNote>,
}

/// Something an import did not stop for, typed: the French wording is in `maillage-messages`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ImportNote {
    /// A reader's warning (coordinates swapped and fixed, projection guessed...).
    Format { warning: FormatWarning },
    /// The same activity twice in the file: the second row is rejected.
    DuplicateActivity { line: u64 },
    /// An Annuaire row without a national identifier is rejected.
    MissingNationalId { line: u64 },
    /// The same BAN address identifier twice: the second row is rejected.
    DuplicateAddress { line: u64, id: String },
    /// Communes déléguées and associées are skipped (counted in their commune nouvelle).
    SkippedCommunes { count: u64 },
    /// An establishment the FINESS flux reports closed.
    ClosedEstablishment { finess: String },
}

/// What an import did: the batch and its counts, plus what the kind of import reports (e.g. geocoding).
#[derive(Debug, Clone, Serialize)]
pub struct ImportReport {
    pub kind: &'static str,
    pub file: String,
    pub batch_id: i64,
    pub sha256: String,
    pub vintage: Option<String>,
    #[serde(flatten)]
    pub counts: Counts,
    pub notes: Vec<ImportNote>,
    pub details: serde_json::Value,
}

const MAX_NOTES: usize = 200;

impl ImportSession {
    pub async fn start(store: &Store, source: Source) -> Result<ImportSession> {
        let mut tx = store.pool().begin().await?;
        let batch_id = batch::begin(&mut tx, &source).await?;
        Ok(ImportSession {
            tx,
            batch_id,
            counts: Counts::default(),
            source,
            notes: Vec::new(),
        })
    }

    pub fn note(&mut self, note: ImportNote) {
        if self.notes.len() < MAX_NOTES {
            self.notes.push(note);
        }
    }

    /// Records the batch's counts and commits the data with it.
    pub async fn commit(
        mut self,
        vintage: Option<String>,
        details: serde_json::Value,
    ) -> Result<ImportReport> {
        let mut all = serde_json::json!({ "notes": self.notes });
        if let (Some(all), serde_json::Value::Object(d)) = (all.as_object_mut(), &details) {
            all.extend(d.clone());
        }
        batch::finish(
            &mut self.tx,
            self.batch_id,
            vintage.as_deref(),
            &self.counts,
            &all,
        )
        .await?;
        self.tx.commit().await?;
        Ok(ImportReport {
            kind: self.source.kind,
            file: self.source.file_name,
            batch_id: self.batch_id,
            sha256: self.source.sha256,
            vintage: vintage.or(self.source.vintage),
            counts: self.counts,
            notes: self.notes,
            details,
        })
    }
}

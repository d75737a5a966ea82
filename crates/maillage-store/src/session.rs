//! One import = one transaction and one batch. Dropping a session without committing rolls everything back,
//! so a failed or killed import leaves the store exactly as it was.

use crate::batch::{self, Counts, Source};
use crate::change::Change;
use crate::{Result, Store};
use maillage_formats::FormatWarning;
use serde::{Deserialize, Serialize};

pub struct ImportSession {
    pub tx: Change,
    pub batch_id: i64,
    pub counts: Counts,
    pub source: Source,
    /// What was fixed, skipped or rejected without stopping the import (kept in the batch details).
    pub notes: Vec<ImportNote>,
    /// The latest earlier import of the very same file (same kind, same sha256), if any.
    pub same_file_as: Option<EarlierImport>,
}

/// An earlier import of the same file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EarlierImport {
    pub batch_id: i64,
    pub imported_at: String,
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
    /// The file is the same as an earlier import's (same sha256). When it changed nothing either, nothing was
    /// recorded: `batch_id` is then the earlier import's and `recorded` is false.
    pub same_file_as: Option<EarlierImport>,
    /// Whether this import was kept as a new batch.
    pub recorded: bool,
}

impl ImportReport {
    /// Rows were read, yet none lies in the territory or its buffer: most likely the wrong territory or file.
    pub fn nothing_in_territory(&self) -> bool {
        self.counts.nothing_in_territory()
    }
}

const MAX_NOTES: usize = 200;

impl ImportSession {
    pub async fn start(store: &Store, source: Source) -> Result<ImportSession> {
        let mut tx = Change::begin(store).await?;
        let same_file_as = batch::earlier_import_of(&mut tx, &source).await?;
        let batch_id = batch::begin(&mut tx, &source).await?;
        Ok(ImportSession {
            tx,
            batch_id,
            counts: Counts::default(),
            source,
            notes: Vec::new(),
            same_file_as,
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
        if let Some(earlier) = self.same_file_as.clone()
            && !self.changed_anything(&details)
        {
            // The same file again, and nothing to change: keep the store exactly as it was, not even a batch.
            self.tx.rollback().await?;
            return Ok(ImportReport {
                kind: self.source.kind,
                file: self.source.file_name,
                batch_id: earlier.batch_id,
                sha256: self.source.sha256,
                vintage: vintage.or(self.source.vintage),
                counts: self.counts,
                notes: self.notes,
                details,
                same_file_as: Some(earlier),
                recorded: false,
            });
        }
        let mut all = serde_json::json!({ "notes": self.notes });
        if let Some(earlier) = &self.same_file_as {
            all["same_file_as"] = serde_json::json!(earlier);
        }
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
            same_file_as: self.same_file_as,
            recorded: true,
        })
    }

    /// Whether the import wrote anything: rows, or positions found by the geocoding it runs.
    fn changed_anything(&self, details: &serde_json::Value) -> bool {
        let c = &self.counts;
        let placed = details.get("geocodage").is_some_and(|g| {
            ["from_finess", "exact_number", "near_number", "street_only"]
                .iter()
                .any(|k| g.get(k).and_then(|v| v.as_u64()).unwrap_or(0) > 0)
        });
        // Reference figures (départements, France) counted in the same pass, written when they changed.
        let references = details
            .pointer("/references/modifiees")
            .and_then(|v| v.as_bool())
            .unwrap_or(false);
        c.inserted + c.updated + c.removed > 0 || placed || references
    }
}

//! The official sources as values: each kind of file Maillage imports is one [`SourceKind`] (its stable code,
//! stored in `import_batch.kind`), and one [`Import`] says how to import it with its options. The command line,
//! the import page and the labels (`maillage-messages`) derive from these two: a new source is a new variant,
//! and the compiler then points at every place that must say something about it (its importer here, its label
//! and its description in `maillage-messages`).

use super::Progress;
use super::contours::ContourKind;
use crate::session::ImportReport;
use crate::{Result, Store};
use maillage_formats::zonage::ZonageColumns;
use std::path::Path;

maillage_kit::coded! {
    /// A kind of file Maillage imports, as its batches record it.
    pub enum SourceKind {
        Annuaire => "annuaire",
        Finess => "finess",
        InseeIris => "insee-iris",
        Contours => "contours",
        Communes => "communes",
        Ban => "ban",
        AplDrees => "apl-drees",
        Spf => "spf",
        Zonage => "zonage",
        Activite => "activite",
    }
}

impl SourceKind {
    /// The code written in `import_batch.kind`.
    pub fn code(self) -> &'static str {
        maillage_kit::codes::Coded::code(self)
    }
}

/// An import to run: the kind of file with the options of that kind.
#[derive(Debug, Clone, PartialEq)]
pub enum Import {
    Annuaire,
    Finess,
    InseeIris,
    /// What the file holds, when its attributes do not say.
    Contours(Option<ContourKind>),
    /// The vintage of the legal population (the importer's default when None).
    Communes(Option<i64>),
    Ban,
    /// The profession of the file (DREES publishes one file per profession).
    AplDrees(String),
    /// The population of the file's one zone, typed instead of the base's.
    Spf(Option<f64>),
    /// The names of the file's columns when its headers are not the usual ones, and the date of the ARS's
    /// decree for the lines that do not give it.
    Zonage {
        columns: ZonageColumns,
        decree: Option<String>,
    },
    Activite,
}

impl Import {
    /// The import of `kind` with its default options.
    pub fn of(kind: SourceKind) -> Import {
        match kind {
            SourceKind::Annuaire => Import::Annuaire,
            SourceKind::Finess => Import::Finess,
            SourceKind::InseeIris => Import::InseeIris,
            SourceKind::Contours => Import::Contours(None),
            SourceKind::Communes => Import::Communes(None),
            SourceKind::Ban => Import::Ban,
            SourceKind::AplDrees => {
                Import::AplDrees(maillage_indicators::professions::GP.to_string())
            }
            SourceKind::Spf => Import::Spf(None),
            SourceKind::Zonage => Import::Zonage {
                columns: ZonageColumns::default(),
                decree: None,
            },
            SourceKind::Activite => Import::Activite,
        }
    }

    pub fn kind(&self) -> SourceKind {
        match self {
            Import::Annuaire => SourceKind::Annuaire,
            Import::Finess => SourceKind::Finess,
            Import::InseeIris => SourceKind::InseeIris,
            Import::Contours(_) => SourceKind::Contours,
            Import::Communes(_) => SourceKind::Communes,
            Import::Ban => SourceKind::Ban,
            Import::AplDrees(_) => SourceKind::AplDrees,
            Import::Spf(_) => SourceKind::Spf,
            Import::Zonage { .. } => SourceKind::Zonage,
            Import::Activite => SourceKind::Activite,
        }
    }

    /// Imports the file at `path`: one transaction, idempotent (see [`crate::session::ImportSession`]).
    pub async fn run(
        &self,
        store: &Store,
        path: &Path,
        progress: &dyn Progress,
    ) -> Result<ImportReport> {
        match self {
            Import::Annuaire => super::annuaire::import(store, path, progress).await,
            Import::Finess => super::finess::import(store, path, progress).await,
            Import::InseeIris => super::insee::import(store, path, progress).await,
            Import::Contours(kind) => super::contours::import(store, path, *kind, progress).await,
            Import::Communes(vintage) => {
                super::communes::import(store, path, *vintage, progress).await
            }
            Import::Ban => super::ban::import(store, path, progress)
                .await
                .map(|(report, _)| report),
            Import::AplDrees(profession) => {
                super::apl::import(store, path, profession, progress).await
            }
            Import::Spf(population) => {
                crate::crisis::epidemic::import_spf_with(store, path, None, *population).await
            }
            Import::Zonage { columns, decree } => {
                super::zonage::import(store, path, columns, decree.as_deref(), progress).await
            }
            Import::Activite => super::activity::import(store, path, progress).await,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_source_has_a_sound_code_and_an_importer_of_its_own_kind() {
        assert_eq!(maillage_kit::codes::check::<SourceKind>(None), Ok(()));
        for &kind in <SourceKind as maillage_kit::codes::Coded>::ALL {
            assert_eq!(Import::of(kind).kind(), kind);
        }
    }
}

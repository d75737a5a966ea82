//! The store's one error type. The French wording lives in `maillage-messages`.

use maillage_formats::FormatError;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot open the store {location}: {reason}")]
    Connect { location: String, reason: String },
    #[error("cannot migrate the schema: {0}")]
    Migration(String),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// Boxed: a located format error is large, and every store result would carry its size.
    #[error(transparent)]
    Format(Box<FormatError>),
    #[error("cannot read or write {path}: {reason}")]
    Io { path: String, reason: String },
    #[error("not a Maillage backup: {path} ({reason:?})")]
    NotABackup { path: String, reason: BackupProblem },
    #[error("backup schema version {found} is newer than this program's ({supported})")]
    BackupTooNew { found: i64, supported: i64 },
    #[error("unknown {kind} {code}")]
    UnknownZone { kind: String, code: String },
    #[error("unknown commune {0}")]
    UnknownCommune(String),
    #[error("invalid value for {field}: {value}")]
    InvalidValue { field: &'static str, value: String },
    #[error("{0} already exists")]
    AlreadyExists(String),
    #[error("the import was interrupted")]
    Interrupted,
    /// An EPCI code the store does not know; `epci_known` EPCI are known (0: the EPCI file is not imported).
    #[error("unknown EPCI {code} ({epci_known} EPCI known)")]
    UnknownEpci { code: String, epci_known: u64 },
    /// A population typed for one zone, for a file that holds several.
    #[error("a typed population applies to one zone, the file holds {zones}")]
    TypedPopulationForSeveralZones { zones: u64 },
    /// The application role of `maillage serve --role-application` cannot be used.
    #[error("application role {role}: {problem:?}")]
    ApplicationRole {
        role: String,
        problem: ApplicationRoleProblem,
    },
    /// The audit journal's key file cannot serve.
    #[error("audit key file {path}: {problem:?}")]
    AuditKey {
        path: String,
        problem: crate::audit::KeyProblem,
    },
    /// The key held is not the one that keyed this base's audit journal.
    #[error("the audit key in {path} is not the one of this base's journal")]
    AuditKeyMismatch { path: String },
    #[error("not an audit anchor: {0:?}")]
    InvalidAnchor(crate::audit::AnchorProblem),
    /// A restore would have to remove an audit journal: it only writes into an empty one.
    #[error("the target base's audit journal holds {entries} entries")]
    RestoreOverAuditLog { entries: i64 },
}

/// Why an application role cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApplicationRoleProblem {
    /// Not a plain PostgreSQL role name (lowercase letters, digits, `_`, at most 63 characters).
    InvalidName,
    /// SQLite has no roles.
    NotPostgres,
    /// The role does not exist, or the owner is not a member of it (the server's reason).
    CannotAssume(String),
    /// The role could bypass the policies: a superuser, a role with BYPASSRLS, or the owner of tables.
    TooPowerful,
}

impl From<FormatError> for StoreError {
    fn from(e: FormatError) -> Self {
        StoreError::Format(Box::new(e))
    }
}

impl StoreError {
    pub(crate) fn io(path: &std::path::Path, e: impl std::fmt::Display) -> Self {
        StoreError::Io {
            path: path.display().to_string(),
            reason: e.to_string(),
        }
    }

    /// A stable code of the kind of failure, for the audit log (which keeps the kind and the place of a
    /// failed import, never its data): `format:<kind>` for a file's error, the store's own kind otherwise.
    pub fn code(&self) -> String {
        let own = match self {
            StoreError::Format(e) => return format!("format:{}", e.kind.code()),
            StoreError::Connect { .. } => "connexion",
            StoreError::Migration(_) => "migration",
            StoreError::Database(_) => "base",
            StoreError::Io { .. } => "lecture_ecriture",
            StoreError::NotABackup { .. } => "pas_une_sauvegarde",
            StoreError::BackupTooNew { .. } => "sauvegarde_trop_recente",
            StoreError::UnknownZone { .. } => "zone_inconnue",
            StoreError::UnknownCommune(_) => "commune_inconnue",
            StoreError::InvalidValue { .. } => "valeur_invalide",
            StoreError::AlreadyExists(_) => "existe_deja",
            StoreError::Interrupted => "interrompu",
            StoreError::UnknownEpci { .. } => "epci_inconnu",
            StoreError::TypedPopulationForSeveralZones { .. } => "population_pour_plusieurs_zones",
            StoreError::ApplicationRole { .. } => "role_applicatif",
            StoreError::AuditKey { .. } => "cle_journal",
            StoreError::AuditKeyMismatch { .. } => "cle_journal_differente",
            StoreError::InvalidAnchor(_) => "ancre_invalide",
            StoreError::RestoreOverAuditLog { .. } => "restauration_sur_journal",
        };
        format!("base:{own}")
    }

    /// Where in a file the failure lies, when it is a file's error.
    pub fn location(&self) -> Option<&maillage_formats::Location> {
        match self {
            StoreError::Format(e) => Some(&e.location),
            _ => None,
        }
    }
}

/// Why a file is not a Maillage backup this program can restore (`line`: the line of the file, from 1).
#[derive(Debug, Clone, PartialEq)]
pub enum BackupProblem {
    EmptyFile,
    /// Not gzip, or unreadable: the reader's words.
    Unreadable(String),
    NoHeader,
    /// Another format, or another version of it.
    OtherFormat {
        format: String,
        version: i64,
    },
    UnreadableLine {
        line: usize,
        reason: String,
    },
    DataAfterEnd {
        line: usize,
    },
    /// A row that is not JSON: the parser's words.
    InvalidRow {
        line: usize,
        reason: String,
    },
    RowOutsideTable {
        line: usize,
    },
    ColumnCount {
        line: usize,
    },
    UnexpectedLine {
        line: usize,
    },
    /// No end mark: the file was cut.
    Truncated,
    /// The end mark's counts differ from what was read.
    InconsistentCounts,
    UnknownTable(String),
    UnknownColumn {
        table: String,
        column: String,
    },
}

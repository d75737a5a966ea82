//! What the rules refuse. Variants carry structured data (field names, lines, codes, dates of the rules), never
//! the values typed in: contacts are personal data, and these errors are shown on screens and may reach logs.

use crate::codes::WatchStatus;
use jiff::civil::Date;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum NetworkError {
    #[error("field {field} is required")]
    MissingField { field: &'static str },
    #[error("field {field} is not valid ({expected} expected)")]
    InvalidField {
        field: &'static str,
        expected: &'static str,
    },
    #[error("field {field} is longer than {max} characters")]
    TooLong { field: &'static str, max: usize },
    #[error("field {field} holds an unknown code")]
    UnknownCode { field: &'static str },
    #[error("field {field}: {low} is above {high}")]
    InvertedRange {
        field: &'static str,
        low: String,
        high: String,
    },
    /// A line of an imported CSV file is wrong (line 1 is the header).
    #[error("line {line}, column {column}: {problem}")]
    CsvLine {
        line: u64,
        column: String,
        problem: Box<NetworkError>,
    },
    #[error("the CSV file lacks the column {0}")]
    CsvMissingColumn(String),
    #[error("the CSV file has an unknown column {0}")]
    CsvUnknownColumn(String),
    #[error("the CSV file is unreadable at line {line}: {reason}")]
    CsvUnreadable { line: u64, reason: String },
    #[error("the identifier {key} is given twice (lines {first} and {second})")]
    CsvDuplicateKey {
        key: String,
        first: u64,
        second: u64,
    },
    #[error("the CSV file holds no entry")]
    CsvEmpty,
    #[error("a watch case cannot go from {from:?} to {to:?}")]
    Transition { from: WatchStatus, to: WatchStatus },
    #[error("a watch case needs {0} for this step")]
    StepNeeds(&'static str),
    #[error("the dates of {field} end ({end}) before they start ({start})")]
    PeriodInverted {
        field: &'static str,
        start: Date,
        end: Date,
    },
}

/// A wrong typed-in value, in the module's own error type (same variants, same French wording).
impl From<maillage_kit::FieldError> for NetworkError {
    fn from(e: maillage_kit::FieldError) -> Self {
        use maillage_kit::FieldError as F;
        match e {
            F::MissingField { field } => NetworkError::MissingField { field },
            F::InvalidField { field, expected } => NetworkError::InvalidField { field, expected },
            F::TooLong { field, max } => NetworkError::TooLong { field, max },
        }
    }
}

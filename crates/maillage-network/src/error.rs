//! What the rules refuse. Variants carry structured data (field names, lines, codes, dates of the rules), never
//! the values typed in: contacts are personal data, and these errors are shown on screens and may reach logs.

use crate::codes::WatchStatus;
use jiff::civil::Date;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum NetworkError {
    /// A typed-in value the shared field checks refuse (the kit's error, wrapped rather than restated).
    #[error(transparent)]
    Field(#[from] maillage_kit::FieldError),
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
    #[error("the CSV file is unreadable at line {line}: {reason:?}")]
    CsvUnreadable { line: u64, reason: CsvProblem },
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

/// Why a line of an imported CSV file cannot be read.
#[derive(Debug, Clone, PartialEq)]
pub enum CsvProblem {
    /// The header line: the reader's own words, quoted.
    Header(String),
    /// A line with another number of columns than the header.
    ColumnCount { found: u64, expected: u64 },
    /// Anything else the reader refuses (an encoding, a quote left open).
    Unreadable,
}

impl NetworkError {
    /// The field the error is about, when it is about one (as the form posts it).
    pub fn field(&self) -> Option<&'static str> {
        match self {
            NetworkError::Field(e) => Some(e.field()),
            NetworkError::UnknownCode { field }
            | NetworkError::InvertedRange { field, .. }
            | NetworkError::PeriodInverted { field, .. } => Some(field),
            _ => None,
        }
    }
}

//! What the crisis rules refuse. Variants carry structured data (field names, counts, dates of the rules), never
//! the personal values that were refused: these errors are shown on screens and may reach logs.

use jiff::civil::Date;

/// Why a person cannot be entered in the register of vulnerable people (CASF R121-2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Ineligibility {
    #[error("the person does not live at home")]
    NotAtHome,
    #[error("age {age} is below the {required} years the basis requires")]
    TooYoung { age: i16, required: i16 },
    #[error("the date of birth is after the date of the request")]
    BornAfterRequest,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CrisisError {
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
    #[error("not eligible to the register: {0}")]
    NotEligible(Ineligibility),
    #[error("a third party registered the person, who must be informed first")]
    PersonNotInformed,
    #[error("the person refused the registration")]
    PersonRefused,
    #[error("the volunteer has not consented to the processing of their data")]
    ConsentMissing,
    #[error("no alert is active (level alerte or crise)")]
    NoActiveAlert,
    #[error("no caller for the campaign")]
    NoCallers,
    #[error("a quantity must be a whole number above zero, got {0}")]
    InvalidQuantity(i64),
    #[error("{requested} requested but only {available} available for {item}")]
    InsufficientStock {
        item: String,
        requested: i64,
        available: i64,
    },
    #[error("lot {lot} expired on {expiry}")]
    ExpiredLot { lot: String, expiry: Date },
    #[error("the cluster still has a case within the activity window (last case {last_case})")]
    ClusterStillActive { last_case: Date },
    #[error("no active cluster at this place")]
    NoActiveCluster,
    #[error("no population for zone {zone}")]
    PopulationMissing { zone: String },
    #[error("threshold list {field} must be increasing positive numbers")]
    InvalidThresholds { field: &'static str },
    #[error("the reason of the export is required")]
    ReasonRequired,
}

/// A wrong typed-in value, in the module's own error type (same variants, same French wording).
impl From<maillage_kit::FieldError> for CrisisError {
    fn from(e: maillage_kit::FieldError) -> Self {
        use maillage_kit::FieldError as F;
        match e {
            F::MissingField { field } => CrisisError::MissingField { field },
            F::InvalidField { field, expected } => CrisisError::InvalidField { field, expected },
            F::TooLong { field, max } => CrisisError::TooLong { field, max },
        }
    }
}

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
    /// A typed-in value the shared field checks refuse (the kit's error, wrapped rather than restated).
    #[error(transparent)]
    Field(#[from] maillage_kit::FieldError),
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

impl CrisisError {
    /// The field the error is about, when it is about one (as the form posts it).
    pub fn field(&self) -> Option<&'static str> {
        match self {
            CrisisError::Field(e) => Some(e.field()),
            CrisisError::UnknownCode { field } | CrisisError::InvalidThresholds { field } => {
                Some(field)
            }
            _ => None,
        }
    }
}

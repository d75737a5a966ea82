//! Crisis management in the store (migration 0004): every SQL statement of the module, for SQLite and PostgreSQL
//! alike. The rules themselves (eligibility, retries, clusters, allocation...) are `maillage-crisis`'s; this
//! module applies them inside transactions that hold under concurrency:
//!
//! - **Calls**: a caller holds a person's call by one conditional `UPDATE ... WHERE claimed_by IS NULL` (or an
//!   expired claim): a single statement is atomic on both backends, so two callers never hold the same person.
//! - **Stocks**: a distribution first bumps its item's `version` (a row lock on PostgreSQL, the write lock on
//!   SQLite), then takes units with `UPDATE ... SET available = available - q WHERE available >= q`; the column's
//!   `CHECK (available >= 0)` refuses anything else. A lot can never go below zero.
//! - **Write transactions** start with [`crate::reach::begin_write`]: `BEGIN IMMEDIATE` on SQLite, so that a
//!   transaction that reads before it writes cannot fail on a lock upgrade under concurrent writers.
//! - **Communes** (migration 0011): every record carries the commune that keeps it (`commune_code`, NULL for the
//!   whole territory). Every function takes the caller's [`Reach`]: lists and reads keep the rows it reaches
//!   (personal records of the whole territory only with every commune), a change of a row outside it is
//!   `NotFound` like a missing id, and a new record may only be given a commune the caller holds.
//!
//! Write functions take the caller's transaction (begun with the same reach), so that the web layer commits the
//! audit entry with the change; read functions take the store and run in [`crate::reach::begin_read`]. Nothing
//! here logs: the rows are personal or sensitive.

pub mod calls;
pub mod cell;
pub mod clusters;
pub mod epidemic;
pub mod register;
pub mod services;
pub mod stocks;
pub mod volunteers;

pub use crate::change::Change;
pub(crate) use crate::module::{code, day as parse_day, day_opt as parse_day_opt};
pub use crate::module::{instant, parse_instant, today};
use crate::reach::{Reach, Territorywide};
use crate::{Store, module::ModuleError};
use jiff::civil::Date;
use maillage_crisis::CrisisError;

/// What a crisis operation can fail with: the store, a rule, a missing record, or one of the module's
/// [`Refusal`]s.
pub type Error = ModuleError<CrisisError, Refusal>;

/// What the crisis module refuses beyond its rules.
#[derive(Debug, thiserror::Error)]
pub enum Refusal {
    /// The call is not held by this caller (another holds it, or it is finished).
    #[error("call {0} is not held by this caller")]
    CallNotHeld(i64),
    #[error("campaign {0} is closed")]
    CampaignClosed(i64),
    #[error("event {0} is closed")]
    EventClosed(i64),
    /// A volunteer acting on a request that is not theirs.
    #[error("request {0} is not assigned to this volunteer")]
    NotYours(i64),
    #[error("request {0} is no longer open")]
    RequestClosed(i64),
    /// A record given a commune the caller does not hold (or the whole territory without holding every commune).
    #[error("commune not held by the caller")]
    CommuneNotHeld,
}

impl Refusal {
    /// The field of the form the refusal is about, when it is about one.
    pub fn field(&self) -> Option<&'static str> {
        match self {
            Refusal::CommuneNotHeld => Some("commune"),
            _ => None,
        }
    }
}

impl From<CrisisError> for Error {
    fn from(e: CrisisError) -> Self {
        Error::Rule(e)
    }
}

impl From<Refusal> for Error {
    fn from(e: Refusal) -> Self {
        Error::Refused(e)
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Begins a change as `reach` (see [`Change::write`]).
pub async fn begin(store: &Store, reach: &Reach) -> Result<Change> {
    Ok(Change::write(store, reach).await?)
}

/// Begins a read transaction as `reach` (see [`Change::read`]).
pub(crate) async fn begin_read(store: &Store, reach: &Reach) -> Result<Change> {
    Ok(Change::read(store, reach).await?)
}

/// Refuses to give a new record a commune the caller does not hold.
pub(crate) fn assignable(reach: &Reach, commune: Option<&str>) -> Result<()> {
    if reach.may_assign(commune) {
        Ok(())
    } else {
        Err(Refusal::CommuneNotHeld.into())
    }
}

/// Internal records of the cell (events, members, log, tasks, campaigns, sites, stocks, services): a record of
/// the whole territory is read by every account.
pub(crate) const SHARED: Territorywide = Territorywide::Shared;
/// Personal records (register, removals, calls, volunteers, rounds, requests): a record of the whole territory
/// is read only with every commune.
pub(crate) const PERSONAL: Territorywide = Territorywide::HolderOfAll;

pub(crate) fn day_text(d: Date) -> String {
    d.to_string()
}

/// Settings of the module, kept in the `setting` table.
pub mod keys {
    /// Epidemic thresholds ([`maillage_crisis::epidemic::Thresholds`]).
    pub const THRESHOLDS: &str = "crise.seuils";
    /// Cluster rules ([`maillage_crisis::clusters::Rules`]).
    pub const CLUSTER_RULES: &str = "crise.regles_clusters";
}

/// The epidemic thresholds in force (the defaults until the cell changes them).
pub async fn thresholds(store: &Store) -> Result<maillage_crisis::epidemic::Thresholds> {
    Ok(crate::settings::get(store, keys::THRESHOLDS)
        .await?
        .unwrap_or_default())
}

/// The cluster rules in force.
pub async fn cluster_rules(store: &Store) -> Result<maillage_crisis::clusters::Rules> {
    Ok(crate::settings::get(store, keys::CLUSTER_RULES)
        .await?
        .unwrap_or_default())
}

//! Observatory indicators, as pure computation over zones and care supply: counts and densities per 10,000 and
//! 100,000 inhabitants by profession and zone, QPV against the rest of their commune, share of GPs aged 60 and
//! over, and the statistical secrecy applied to anything shared outside the commune.
//!
//! Inputs come from the store, outputs go to the command line, the web pages and reports; this crate knows
//! neither.

pub mod compute;
pub mod professions;
pub mod secrecy;

pub use compute::{
    Indicator, IndicatorRow, Inputs, Nesting, ReferenceZone, Supply, ZoneInput, compute,
    is_reference_zone,
};
pub use maillage_kit::zone::ZoneKind;
pub use professions::{PROFESSIONS, Profession, Recourse};
pub use secrecy::{Audit, Check, Measure, Policy, Secret, suppress};

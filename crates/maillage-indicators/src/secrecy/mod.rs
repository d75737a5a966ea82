//! Statistical secrecy for anything shared outside the commune (docs/produit.md §5.3).
//!
//! Counts below the threshold are hidden (primary secrecy, read "< 5"), zero included; so is every figure that would let them
//! be recomputed (secondary secrecy, read "secret"): the densities, shares and ratios built on a hidden count,
//! and other cells of every additive relation a reader can see — IRIS ⊂ quartier ⊂ commune ⊂ EPCI ⊂ territory,
//! QPV + rest = commune, the QPV of a commune, GPs of known age ⊂ GPs. An audit by linear programming then
//! checks, as the statistical offices' τ-ARGUS does, that no hidden cell can be narrowed below its protection
//! interval from what is published; where one could, one more cell is hidden and the audit runs again, so the
//! table that leaves [`suppress`] always passes it.
//!
//! Zeros are not published: a 0 shown beside "< 5" would tell every reader that a hidden count is 1 to 4, not 0
//! to 4, and narrow each hidden interval by one (two hidden "< 5" adding up to 2 would both be 1). As ameli's
//! "NS" and Rézone do, "< 5" covers 0 to 4; the commune's own users, who see fine figures, still see its zeros.

mod audit;
mod table;

pub use audit::{Audit, Check};
pub use table::Measure;

use crate::compute::{Indicator, IndicatorRow, Inputs};
use serde::Serialize;

/// Why a figure is hidden.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Secret {
    /// Its count is below the threshold, zero included: a count reads "< 5".
    Threshold,
    /// Hidden to protect another cell (or built on a hidden count): reads "secret", never a number.
    Secondary,
}

impl Secret {
    /// The `motif_secret` of JSON outputs.
    pub fn code(self) -> &'static str {
        match self {
            Secret::Threshold => "seuil",
            Secret::Secondary => "secondaire",
        }
    }
}

/// What may be published, and how well hidden cells must be protected.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Policy {
    /// The smallest count that may be shown (5 by default).
    pub threshold: u32,
    /// Every count of 1 to threshold − 1 must remain able, given every published figure and the additive
    /// relations, to take any value from 0 up to this one (by default the threshold). A hidden zero reads "< 5"
    /// too but protects no one: it is hidden so that 0 stays a possible value of every "< 5".
    pub protection: f64,
}

impl Policy {
    pub fn new(threshold: u32) -> Policy {
        Policy {
            threshold,
            protection: f64::from(threshold),
        }
    }
}

impl IndicatorRow {
    pub fn is_secret(&self) -> bool {
        self.secret.is_some()
    }

    /// How a hidden figure reads on a page: "< 5" for a count below the threshold, "secret" for anything
    /// else hidden (a density of a small count is not "< 5").
    pub fn secret_text(&self, threshold: u32) -> Option<String> {
        self.secret.map(|s| match (s, self.indicator) {
            (Secret::Threshold, Indicator::Count) => format!("< {threshold}"),
            _ => "secret".to_string(),
        })
    }

    /// How the count behind a hidden figure reads (the professionals of a QPV density): "< 5" when it is below
    /// the threshold, "secret" when it is hidden to protect another.
    pub fn count_secret_text(&self, threshold: u32) -> Option<String> {
        self.secret.map(|s| match s {
            Secret::Threshold => format!("< {threshold}"),
            Secret::Secondary => "secret".to_string(),
        })
    }

    /// The same in a spreadsheet cell (CSV, XLSX): "< 5" or "s", the statistical offices' mark.
    pub fn secret_mark(&self, threshold: u32) -> Option<String> {
        self.secret_text(threshold)
            .map(|t| if t == "secret" { "s".to_string() } else { t })
    }
}

/// Hides in place what may not be published, and returns the audit of the published table (which passes:
/// cells are hidden until it does).
pub fn suppress(rows: &mut [IndicatorRow], inputs: &Inputs, policy: &Policy) -> Audit {
    let mut table = table::Table::of(rows, inputs);
    table.primary(policy.threshold);
    table.secondary();
    let mut audit = audit::run(&table, policy);
    // Each round hides at least one more cell, so this ends (at worst with every cell of a relation hidden).
    while !audit.passes() {
        let mut changed = false;
        for objective in audit.failing_objectives() {
            changed |= table.hide_neighbour(objective);
        }
        if !changed {
            break;
        }
        table.secondary();
        audit = audit::run(&table, policy);
    }
    table.apply(rows);
    audit
}

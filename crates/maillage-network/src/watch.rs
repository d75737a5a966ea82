//! The life of a watch-network case (réseau de veille, after Grand Nancy's Lab' Santé Solidarité Précarité):
//! a dysfunction in access to care is reported (signalé), given to someone (attribué), worked on (solution en
//! cours), solved (résolu) or, when the solution is out of the partners' reach, raised with an institution
//! (interpellation), and finally closed. Each step is kept in the case's history by the store.
//!
//! Cases describe situations, not people: the forms ask for no name, and nothing here checks for one.

use crate::NetworkError;
use crate::codes::WatchStatus;

/// What a step may carry.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Step {
    pub assignee: Option<String>,
    pub solution: Option<String>,
    pub institution: Option<String>,
}

/// The steps allowed from each status. Reopening (back to attribué) is allowed from résolu and clos: the
/// dysfunction came back.
pub fn next_statuses(from: WatchStatus) -> &'static [WatchStatus] {
    use WatchStatus::*;
    match from {
        Reported => &[Assigned, Interpellation, Closed],
        Assigned => &[SolutionInProgress, Interpellation, Resolved, Closed],
        SolutionInProgress => &[Assigned, Interpellation, Resolved, Closed],
        Interpellation => &[SolutionInProgress, Resolved, Closed],
        Resolved => &[Closed, Assigned],
        Closed => &[Assigned],
    }
}

/// Checks a step: allowed from the current status, and carrying what it needs — a person or partner to assign
/// to, the solution found, the institution raised.
pub fn check_step(from: WatchStatus, to: WatchStatus, step: &Step) -> Result<(), NetworkError> {
    if !next_statuses(from).contains(&to) {
        return Err(NetworkError::Transition { from, to });
    }
    let has = |v: &Option<String>| v.as_deref().is_some_and(|s| !s.trim().is_empty());
    match to {
        WatchStatus::Assigned if !has(&step.assignee) => {
            Err(NetworkError::StepNeeds("attribution"))
        }
        WatchStatus::Resolved if !has(&step.solution) => Err(NetworkError::StepNeeds("solution")),
        WatchStatus::Interpellation if !has(&step.institution) => {
            Err(NetworkError::StepNeeds("institution"))
        }
        _ => Ok(()),
    }
}

/// Still needs someone's work (shown first, counted on dashboards).
pub fn is_open(s: WatchStatus) -> bool {
    !matches!(s, WatchStatus::Resolved | WatchStatus::Closed)
}

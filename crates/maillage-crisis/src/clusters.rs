//! Clusters in municipal facilities and sensitive sites (schools, EHPAD, foyers...), kept as daily counts of
//! cases by place: the commune does no contact tracing and holds no individual case data.
//!
//! Rules (Santé publique France, docs/produit.md §5.4): a cluster is at least `threshold` confirmed or probable
//! cases within `window_days` sliding days in the same place (3 and 7 by default; S000 (docs/exigences.md) wrote
//! "plus de trois", so the threshold is a setting); it stays active while a case was identified in the last
//! `active_days` days (14), and closes on the first day without a case in that span. A later run of cases reaching the threshold
//! again is a new episode.

use crate::{CrisisError, coded};
use jiff::ToSpan;
use jiff::civil::Date;
use std::collections::BTreeMap;

coded! {
    /// Kinds of places followed.
    pub enum SiteKind {
        Ecole => "ecole",
        Creche => "creche",
        Ehpad => "ehpad",
        Foyer => "foyer",
        Hebergement => "hebergement",
        EquipementMunicipal => "equipement_municipal",
        AireAccueil => "aire_accueil",
        Entreprise => "entreprise",
        Autre => "autre",
    }
}

coded! {
    /// Statuses of a cluster. The first three are set by the cell while the cluster is active; `cloture` follows
    /// from the 14-day rule.
    pub enum ClusterStatus {
        EnInvestigation => "en_investigation",
        Maitrise => "maitrise",
        DiffusionCommunautaire => "diffusion_communautaire",
        Cloture => "cloture",
    }
}

/// The rules' settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Rules {
    pub threshold: u32,
    pub window_days: i64,
    pub active_days: i64,
}

impl Default for Rules {
    fn default() -> Self {
        Rules {
            threshold: 3,
            window_days: 7,
            active_days: 14,
        }
    }
}

impl Rules {
    pub fn check(&self) -> Result<(), CrisisError> {
        if !(1..=100).contains(&self.threshold) {
            return Err(CrisisError::Field(crate::FieldError::InvalidField {
                field: "seuil_cluster",
                expected: "nombre de 1 à 100",
            }));
        }
        if !(1..=60).contains(&self.window_days) || !(1..=90).contains(&self.active_days) {
            return Err(CrisisError::Field(crate::FieldError::InvalidField {
                field: "durees_cluster",
                expected: "nombre de jours de 1 à 90",
            }));
        }
        Ok(())
    }
}

/// One cluster episode of a place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Episode {
    /// The first case of the window that reached the threshold.
    pub first_case: Date,
    /// The day the threshold was reached (the cluster is known from then on).
    pub detected_on: Date,
    pub last_case: Date,
    /// The first day without a case in the activity span: the cluster is closed from that day.
    pub closes_on: Date,
    /// Cases from `first_case` to `last_case`.
    pub cases: u32,
}

fn plus(d: Date, days: i64) -> Date {
    d.saturating_add(days.days())
}

/// The episodes of a place from its daily case counts (days with zero cases may be present or not).
pub fn episodes(cases: &BTreeMap<Date, u32>, rules: &Rules) -> Vec<Episode> {
    let days: Vec<(Date, u32)> = cases
        .iter()
        .filter(|(_, n)| **n > 0)
        .map(|(d, n)| (*d, *n))
        .collect();
    let mut out: Vec<Episode> = Vec::new();
    let mut current: Option<Episode> = None;
    for (i, &(day, n)) in days.iter().enumerate() {
        if let Some(e) = current.as_mut() {
            if day < e.closes_on {
                e.last_case = day;
                e.closes_on = plus(day, rules.active_days);
                e.cases += n;
                continue;
            }
            out.push(*e);
            current = None;
        }
        // Not in a cluster: does the window ending today reach the threshold? Cases of a closed episode are at
        // least `active_days` old, older than any window, provided the window is not longer than the span.
        let floor = out.last().map(|e| e.closes_on);
        let window_start = plus(day, -(rules.window_days - 1));
        let in_window: Vec<(Date, u32)> = days[..=i]
            .iter()
            .copied()
            .filter(|(d, _)| *d >= window_start && floor.is_none_or(|f| *d >= f))
            .collect();
        let sum: u32 = in_window.iter().map(|(_, n)| n).sum();
        if sum >= rules.threshold {
            current = Some(Episode {
                first_case: in_window[0].0,
                detected_on: day,
                last_case: day,
                closes_on: plus(day, rules.active_days),
                cases: sum,
            });
        }
    }
    out.extend(current);
    out
}

/// Where a place stands on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// No case in the activity span and no cluster ever.
    Calme,
    /// Cases in the activity span, below the threshold: watched, not a cluster.
    Surveillance { cases: u32 },
    /// A cluster is active.
    Actif(Episode),
    /// The last cluster has closed (and no case since in the window).
    Clos(Episode),
}

/// The state of a place on `today`, from the cases known up to that day.
pub fn state_on(cases: &BTreeMap<Date, u32>, today: Date, rules: &Rules) -> State {
    let known: BTreeMap<Date, u32> = cases.range(..=today).map(|(d, n)| (*d, *n)).collect();
    let eps = episodes(&known, rules);
    if let Some(e) = eps.last().filter(|e| today < e.closes_on) {
        return State::Actif(*e);
    }
    let recent: u32 = known
        .range(plus(today, -(rules.active_days - 1))..)
        .map(|(_, n)| n)
        .sum();
    let after_last = eps.last().map(|e| e.closes_on);
    let recent_new: u32 = known
        .range(plus(today, -(rules.active_days - 1))..)
        .filter(|(d, _)| after_last.is_none_or(|c| **d >= c))
        .map(|(_, n)| n)
        .sum();
    match eps.last() {
        Some(_) if recent_new > 0 => State::Surveillance { cases: recent_new },
        Some(e) => State::Clos(*e),
        None if recent > 0 => State::Surveillance { cases: recent },
        None => State::Calme,
    }
}

/// The status shown on `today`: for an active cluster, the last status the cell set during the episode
/// (`en_investigation` until then); `cloture` once closed; None for a place that is not a cluster.
pub fn status_on(
    state: &State,
    manual: &[(Date, ClusterStatus)],
    today: Date,
) -> Option<ClusterStatus> {
    match state {
        State::Actif(e) => Some(
            manual
                .iter()
                .filter(|(d, s)| *d >= e.first_case && *d <= today && *s != ClusterStatus::Cloture)
                .max_by_key(|(d, _)| *d)
                .map_or(ClusterStatus::EnInvestigation, |(_, s)| *s),
        ),
        State::Clos(_) => Some(ClusterStatus::Cloture),
        _ => None,
    }
}

/// Whether the cell may set `status` on `today`: closure only by the 14-day rule, the other statuses only while
/// a cluster is active.
pub fn check_manual_status(state: &State, status: ClusterStatus) -> Result<(), CrisisError> {
    match (state, status) {
        (State::Actif(e), ClusterStatus::Cloture) => Err(CrisisError::ClusterStillActive {
            last_case: e.last_case,
        }),
        (State::Actif(_), _) => Ok(()),
        (_, ClusterStatus::Cloture) => Ok(()),
        _ => Err(CrisisError::NoActiveCluster),
    }
}

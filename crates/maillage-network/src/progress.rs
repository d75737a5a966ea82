//! How far a Contrat local de santé has come: each indicator from its baseline towards its target, each fiche
//! action by its status, and each axis by both — the share of its fiches carried out ("réalisation") and the
//! mean progress of its indicators towards their targets ("atteinte des cibles"). The two are kept apart on
//! purpose: an action carried out is not a result reached, and a CLS evaluation reports both.

use crate::codes::FicheStatus;
use jiff::civil::Date;
use serde::Serialize;

/// Which way an indicator should move.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// The target is above the baseline.
    Increase,
    /// The target is below the baseline (fewer patients without a GP, shorter delays...).
    Decrease,
    /// The target equals the baseline: keep at least that level.
    Maintain,
}

/// An indicator's progress.
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorProgress {
    /// The latest measure (the latest date; among equal dates, the last given).
    pub latest: Option<(Date, f64)>,
    pub direction: Option<Direction>,
    /// (latest − baseline) / (target − baseline), as measured: below 0 when it moved away from the target,
    /// above 1 when it went beyond.
    pub raw: Option<f64>,
    /// `raw` kept within 0 and 1: what averages use, so that one indicator far beyond its target cannot hide
    /// others behind.
    pub ratio: Option<f64>,
    pub reached: bool,
}

/// Progress of an indicator with `baseline` and `target` given its dated `measures`. Without a baseline, a
/// target or a measure, there is no ratio (and the page says which is missing).
pub fn indicator(
    baseline: Option<f64>,
    target: Option<f64>,
    measures: &[(Date, f64)],
) -> IndicatorProgress {
    let latest = measures
        .iter()
        .enumerate()
        .max_by(|(i, a), (j, b)| a.0.cmp(&b.0).then(i.cmp(j)))
        .map(|(_, m)| *m)
        .filter(|m| m.1.is_finite());
    let (Some(b), Some(t)) = (
        baseline.filter(|v| v.is_finite()),
        target.filter(|v| v.is_finite()),
    ) else {
        return IndicatorProgress {
            latest,
            direction: None,
            raw: None,
            ratio: None,
            reached: false,
        };
    };
    let direction = if t > b {
        Direction::Increase
    } else if t < b {
        Direction::Decrease
    } else {
        Direction::Maintain
    };
    let Some((_, v)) = latest else {
        return IndicatorProgress {
            latest,
            direction: Some(direction),
            raw: None,
            ratio: None,
            reached: false,
        };
    };
    let (raw, reached) = match direction {
        Direction::Maintain => {
            let ok = v >= t;
            (if ok { 1.0 } else { 0.0 }, ok)
        }
        Direction::Increase => ((v - b) / (t - b), v >= t),
        Direction::Decrease => ((v - b) / (t - b), v <= t),
    };
    IndicatorProgress {
        latest,
        direction: Some(direction),
        raw: Some(raw),
        ratio: Some(raw.clamp(0.0, 1.0)),
        reached,
    }
}

/// The weight of a fiche's status in the share of fiches carried out: carried out 1, in progress ½, not started
/// or postponed 0. An abandoned fiche does not count at all (None).
pub fn fiche_realisation(status: FicheStatus) -> Option<f64> {
    match status {
        FicheStatus::Done => Some(1.0),
        FicheStatus::InProgress => Some(0.5),
        FicheStatus::NotStarted | FicheStatus::Postponed => Some(0.0),
        FicheStatus::Dropped => None,
    }
}

/// What [`axis`] needs of a fiche: its status and the progress of each of its indicators.
#[derive(Debug, Clone, PartialEq)]
pub struct FicheInput {
    pub status: FicheStatus,
    pub indicators: Vec<IndicatorProgress>,
}

/// Progress of an axis (or of the whole contract, given every fiche).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AxisProgress {
    pub fiches: usize,
    pub not_started: usize,
    pub in_progress: usize,
    pub done: usize,
    pub postponed: usize,
    pub dropped: usize,
    /// Mean of [`fiche_realisation`] over the fiches that count; None without any.
    pub realisation: Option<f64>,
    pub indicators: usize,
    /// Indicators with a baseline, a target and a measure.
    pub indicators_measured: usize,
    pub indicators_reached: usize,
    /// Mean of the measured indicators' ratios; None without any.
    pub targets: Option<f64>,
}

fn mean(values: impl Iterator<Item = f64>) -> Option<f64> {
    let (sum, n) = values.fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
    (n > 0).then(|| sum / n as f64)
}

pub fn axis(fiches: &[FicheInput]) -> AxisProgress {
    let count = |s: FicheStatus| fiches.iter().filter(|f| f.status == s).count();
    let all_indicators = || fiches.iter().flat_map(|f| f.indicators.iter());
    AxisProgress {
        fiches: fiches.len(),
        not_started: count(FicheStatus::NotStarted),
        in_progress: count(FicheStatus::InProgress),
        done: count(FicheStatus::Done),
        postponed: count(FicheStatus::Postponed),
        dropped: count(FicheStatus::Dropped),
        realisation: mean(fiches.iter().filter_map(|f| fiche_realisation(f.status))),
        indicators: all_indicators().count(),
        indicators_measured: all_indicators().filter(|i| i.ratio.is_some()).count(),
        indicators_reached: all_indicators().filter(|i| i.reached).count(),
        targets: mean(all_indicators().filter_map(|i| i.ratio)),
    }
}

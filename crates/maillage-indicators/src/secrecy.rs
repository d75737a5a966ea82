//! Statistical secrecy for anything shared outside the commune (PRODUCT.md §5.3): counts below the threshold
//! are hidden, and so is every figure that would let them be recomputed — the densities and shares built on
//! them, and (secondary suppression) a second cell of any group whose parts add up to a published total.

use crate::compute::{Indicator, IndicatorRow};
use std::collections::{BTreeMap, BTreeSet};

fn small(n: Option<f64>, threshold: f64) -> bool {
    n.is_some_and(|n| n > 0.0 && n < threshold)
}

/// Marks rows as suppressed in place. `threshold` is the smallest count that may be shown (5 by default).
pub fn suppress(rows: &mut [IndicatorRow], threshold: u32) {
    let t = f64::from(threshold);
    // Primary: small counts, and shares that would tell ages.
    for r in rows.iter_mut() {
        // Départements and France are national public counts (Annuaire, FINESS), published as such by their
        // producers: no local count can be recovered from them, so local secrecy does not apply.
        if crate::compute::is_reference_zone(&r.zone_kind) {
            continue;
        }
        r.suppressed |= match r.indicator {
            Indicator::Count | Indicator::QpvPer10k | Indicator::RestPer10k => {
                small(r.numerator, t)
            }
            Indicator::Gp60PlusShare => {
                // Both the old and the others must be numerous enough, or a share of 0 % or 100 % tells ages.
                let known = r.denominator.unwrap_or(0.0);
                let old = r.numerator.unwrap_or(0.0);
                known > 0.0 && (known < t || small(Some(old), t) || small(Some(known - old), t))
            }
            Indicator::Per10k | Indicator::Per100k | Indicator::QpvRatio => false,
        };
    }

    // Secondary, for additive groups: the IRIS (and the quartiers) of a commune for one profession, and the
    // QPV / rest pair of a commune. One hidden part among shown ones is hidden again with the smallest other
    // non-zero part. Repeated until nothing changes, since groups share cells.
    let mut groups: BTreeMap<(&'static str, String, String, String), Vec<usize>> = BTreeMap::new();
    for (i, r) in rows.iter().enumerate() {
        match r.indicator {
            Indicator::Count if r.zone_kind == "iris" || r.zone_kind == "quartier" => {
                let parent = r.zone_parent.clone().unwrap_or_default();
                groups
                    .entry(("parts", r.zone_kind.clone(), parent, r.profession.clone()))
                    .or_default()
                    .push(i);
            }
            Indicator::QpvPer10k | Indicator::RestPer10k => {
                groups
                    .entry((
                        "qpv",
                        String::new(),
                        r.zone_code.clone(),
                        r.profession.clone(),
                    ))
                    .or_default()
                    .push(i);
            }
            _ => {}
        }
    }
    loop {
        let mut changed = false;
        for members in groups.values() {
            changed |= hide_second(rows, members);
        }
        if !changed {
            break;
        }
    }

    // Densities are counts divided by a published population: hidden with their count. A ratio of densities is
    // hidden when either density is.
    let hidden: BTreeSet<(Indicator, String, String, String)> = rows
        .iter()
        .filter(|r| r.suppressed)
        .map(|r| {
            (
                r.indicator,
                r.zone_kind.clone(),
                r.zone_code.clone(),
                r.profession.clone(),
            )
        })
        .collect();
    let is_hidden = |i: Indicator, r: &IndicatorRow| {
        hidden.contains(&(
            i,
            r.zone_kind.clone(),
            r.zone_code.clone(),
            r.profession.clone(),
        ))
    };
    for r in rows.iter_mut() {
        r.suppressed |= match r.indicator {
            Indicator::Per10k | Indicator::Per100k => is_hidden(Indicator::Count, r),
            Indicator::QpvRatio => {
                is_hidden(Indicator::QpvPer10k, r) || is_hidden(Indicator::RestPer10k, r)
            }
            _ => false,
        };
    }
    for r in rows.iter_mut().filter(|r| r.suppressed) {
        r.value = None;
        r.numerator = None;
    }
}

/// Within a group of parts, if exactly one is hidden, hides the smallest non-zero shown part too.
fn hide_second(rows: &mut [IndicatorRow], members: &[usize]) -> bool {
    let hidden = members.iter().filter(|&&i| rows[i].suppressed).count();
    if hidden != 1 {
        return false;
    }
    let candidate = members
        .iter()
        .copied()
        .filter(|&i| !rows[i].suppressed && rows[i].numerator.is_some_and(|n| n > 0.0))
        .min_by(|&a, &b| {
            rows[a]
                .numerator
                .partial_cmp(&rows[b].numerator)
                .unwrap_or(std::cmp::Ordering::Equal)
        });
    match candidate {
        Some(i) => {
            rows[i].suppressed = true;
            true
        }
        None => false,
    }
}

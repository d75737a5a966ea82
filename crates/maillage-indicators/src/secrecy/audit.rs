//! The audit of a published table: for each protected form, the smallest and largest value it can take given
//! every published figure and the additive relations (linear programming, as τ-ARGUS' audit), and whether that
//! interval still reaches from 0 to the protection level. Zeros are hidden like the other small counts, so 0 is
//! a value a reader cannot exclude and the interval rightly starts there; the audit checks that none is shown.

use super::table::{Measure, Table};
use super::{Policy, Secret};
use microlp::{ComparisonOp, OptimizationDirection, Problem};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// Rounding of the solver: an interval reaching 0 within this is taken as reaching it.
const TOLERANCE: f64 = 1e-6;

/// One protected form: a count hidden below the threshold (or the GPs under 60).
#[derive(Debug, Clone, Serialize)]
pub struct Check {
    pub zone_kind: String,
    pub zone_code: String,
    pub zone_name: String,
    pub profession: String,
    pub measure: Measure,
    /// The smallest value a reader can derive (knowing that a "< 5" is 0 to 4).
    pub lower: f64,
    /// The largest, `None` when nothing bounds it: at most 4 for a count read "< 5"; for another form, what the
    /// relations alone allow.
    pub upper: Option<f64>,
    pub protected: bool,
    #[serde(skip)]
    objective: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Audit {
    pub threshold: u32,
    pub protection: f64,
    /// Hidden cells (counts), by profession: (below the threshold, secondary).
    pub hidden: BTreeMap<String, (usize, usize)>,
    /// Counts below the threshold that are published anyway, zeros included: none once primary secrecy ran.
    /// The intervals of `checks` start from 0 because a "< 5" may be a zero; one published zero would tell a
    /// reader that every "< 5" is at least 1.
    pub shown_below_threshold: usize,
    pub checks: Vec<Check>,
}

impl Audit {
    pub fn passes(&self) -> bool {
        self.shown_below_threshold == 0 && self.checks.iter().all(|c| c.protected)
    }

    pub fn failures(&self) -> impl Iterator<Item = &Check> {
        self.checks.iter().filter(|c| !c.protected)
    }

    pub(crate) fn failing_objectives(&self) -> Vec<usize> {
        self.failures().map(|c| c.objective).collect()
    }

    /// The check with the narrowest interval, the one a reader comes closest to.
    pub fn tightest(&self) -> Option<&Check> {
        self.checks.iter().min_by(|a, b| {
            let width = |c: &Check| c.upper.unwrap_or(f64::INFINITY) - c.lower;
            width(a).total_cmp(&width(b))
        })
    }
}

/// Hidden cells linked by a relation are solved together; the rest of the table is constant.
struct Components {
    parent: Vec<usize>,
}

impl Components {
    fn find(&mut self, mut x: usize) -> usize {
        while self.parent[x] != x {
            self.parent[x] = self.parent[self.parent[x]];
            x = self.parent[x];
        }
        x
    }

    fn join(&mut self, a: usize, b: usize) {
        let (a, b) = (self.find(a), self.find(b));
        if a != b {
            self.parent[a] = b;
        }
    }
}

pub(crate) fn run(table: &Table, policy: &Policy) -> Audit {
    let hidden = |c: usize| table.cells[c].secret.is_some();
    let mut components = Components {
        parent: (0..table.cells.len()).collect(),
    };
    for r in &table.relations {
        let mut cells = r.cells().filter(|&c| hidden(c));
        if let Some(first) = cells.next() {
            for c in cells {
                components.join(first, c);
            }
        }
    }
    // Relations by component of the hidden cells they hold.
    let mut relations_of: HashMap<usize, Vec<usize>> = HashMap::new();
    for (i, r) in table.relations.iter().enumerate() {
        if let Some(c) = r.cells().find(|&c| hidden(c)) {
            let root = components.find(c);
            relations_of.entry(root).or_default().push(i);
        }
    }

    let mut checks = Vec::new();
    for (o, objective) in table.objectives.iter().enumerate() {
        let root = components.find(objective.terms[0].0);
        let relations = relations_of.get(&root).map_or(&[][..], Vec::as_slice);
        let extreme =
            |direction, marks| solve(table, policy, marks, relations, &objective.terms, direction);
        // What a reader derives, knowing that a "< 5" is at most 4 (`marks`).
        let lower = extreme(OptimizationDirection::Minimize, true)
            .unwrap_or(0.0)
            .max(0.0);
        // The relations alone, marks aside, must let it reach the protection level (hidden cells that add up to
        // a small count would publish that small count); and a count read "< 5", at most 4 to anyone, must be
        // narrowed no further by what is published.
        let relations_alone = extreme(OptimizationDirection::Maximize, false);
        let mut protected = reaches(relations_alone, policy.protection);
        let marked = matches!(objective.terms.as_slice(),
            &[(c, _)] if table.cells[c].marked_below_threshold());
        let upper = if marked {
            let upper = extreme(OptimizationDirection::Maximize, true);
            protected &= reaches(upper, policy.protection.min(mark_bound(policy)));
            upper
        } else {
            relations_alone
        };
        let protected = lower <= TOLERANCE && protected;
        let zone = &table.zones[objective.zone];
        checks.push(Check {
            zone_kind: zone.kind.clone(),
            zone_code: zone.code.clone(),
            zone_name: zone.name.clone(),
            profession: objective.profession.clone(),
            measure: objective.measure,
            lower,
            upper,
            protected,
            objective: o,
        });
    }
    let mut by_profession: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for c in &table.cells {
        let e = by_profession.entry(c.profession.clone()).or_default();
        match c.secret {
            Some(Secret::Threshold) => e.0 += 1,
            Some(Secret::Secondary) => e.1 += 1,
            None => {}
        }
    }
    by_profession.retain(|_, v| *v != (0, 0));
    let shown_below_threshold = table
        .cells
        .iter()
        .filter(|c| c.secret.is_none() && c.value < f64::from(policy.threshold))
        .count();
    Audit {
        threshold: policy.threshold,
        protection: policy.protection,
        hidden: by_profession,
        shown_below_threshold,
        checks,
    }
}

/// Whether an upper bound (`None`: unbounded) reaches `level`.
fn reaches(upper: Option<f64>, level: f64) -> bool {
    upper.is_none_or(|u| u >= level - TOLERANCE)
}

/// The largest count that reads "< threshold".
fn mark_bound(policy: &Policy) -> f64 {
    f64::from(policy.threshold) - 1.0
}

/// The extreme value of `objective` over the hidden cells of these relations, every shown cell at its value,
/// each "< 5" at most 4 with `marks`; `None` when unbounded.
fn solve(
    table: &Table,
    policy: &Policy,
    marks: bool,
    relations: &[usize],
    objective: &[(usize, f64)],
    direction: OptimizationDirection,
) -> Option<f64> {
    let mut problem = Problem::new(direction);
    let mut vars = HashMap::new();
    let mut var = |problem: &mut Problem, c: usize| {
        *vars.entry(c).or_insert_with(|| {
            let coefficient = objective
                .iter()
                .filter(|t| t.0 == c)
                .map(|t| t.1)
                .sum::<f64>();
            // What a reader knows of a hidden cell before any relation: what its mark says.
            let most = if marks && table.cells[c].marked_below_threshold() {
                mark_bound(policy)
            } else {
                f64::INFINITY
            };
            problem.add_var(coefficient, (0.0, most))
        })
    };
    for &(c, _) in objective {
        var(&mut problem, c);
    }
    // A linear form over cells: its hidden terms as variables, the rest as a constant.
    let mut constraint = |problem: &mut Problem, terms: &[(usize, f64)], op, rhs: f64| {
        let mut expr = Vec::new();
        let mut constant = 0.0;
        for &(c, k) in terms {
            if table.cells[c].secret.is_some() {
                expr.push((var(problem, c), k));
            } else {
                constant += k * table.cells[c].value;
            }
        }
        if !expr.is_empty() {
            problem.add_constraint(expr.as_slice(), op, rhs - constant);
        }
    };
    for &r in relations {
        let r = &table.relations[r];
        let mut sum: Vec<(usize, f64)> = r.parts.iter().map(|&p| (p, 1.0)).collect();
        sum.push((r.total, -1.0));
        if r.covering && r.overlap == 0.0 {
            // The parts add up exactly: a reader assuming so is right.
            constraint(&mut problem, &sum, ComparisonOp::Eq, 0.0);
        } else if r.covering {
            // Some places count in two parts: a reader knows only that the parts make at least the total,
            // and each part at most the total.
            constraint(&mut problem, &sum, ComparisonOp::Ge, 0.0);
            for &p in &r.parts {
                constraint(
                    &mut problem,
                    &[(p, 1.0), (r.total, -1.0)],
                    ComparisonOp::Le,
                    0.0,
                );
            }
        } else {
            // Σ parts ≤ total: each part at most the total follows, the cells being counts (≥ 0).
            constraint(&mut problem, &sum, ComparisonOp::Le, 0.0);
        }
    }
    match problem.solve() {
        Ok(outcome) => outcome.into_solution().ok().map(|s| s.objective()),
        Err(microlp::Error::Unbounded) => None,
        // The true table satisfies every constraint, so the problem is feasible; a numerical failure is
        // answered as the worst case (no protection), which hides more rather than less.
        Err(_) => Some(match direction {
            OptimizationDirection::Minimize => f64::INFINITY,
            OptimizationDirection::Maximize => f64::NEG_INFINITY,
        }),
    }
}

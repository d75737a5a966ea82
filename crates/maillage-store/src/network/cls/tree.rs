//! A whole contract read at once, from its signatories down to the measures of each indicator and the
//! reports of each funding, for its dashboard and its evaluation report.

use crate::Store;
use crate::network::{Reach, Result, begin_read, day_opt};
use jiff::civil::Date;
use maillage_network::progress::{self, AxisProgress, FicheInput, IndicatorProgress};
use sqlx::Row;
use std::collections::BTreeMap;

use super::contract::{Contract, Signatory, contract};
use super::fiches::{Axis, FICHE_COLUMNS, Fiche, Funder, Objective, fiche_of};
use super::funding::{FUNDING_COLUMNS, Funding, Report, funding_of, report_of};
use super::indicators::{INDICATOR_COLUMNS, Indicator, Measure, indicator_of, measure_of};

#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorTree {
    pub indicator: Indicator,
    /// Oldest first.
    pub measures: Vec<Measure>,
}

impl IndicatorTree {
    /// How far the measures have gone from baseline to target ([`maillage_network::progress`]).
    pub fn progress(&self) -> IndicatorProgress {
        let measures: Vec<(Date, f64)> = self
            .measures
            .iter()
            .map(|m| (m.measured_on, m.value))
            .collect();
        progress::indicator(self.indicator.baseline, self.indicator.target, &measures)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct FicheTree {
    pub fiche: Fiche,
    pub funders: Vec<Funder>,
    pub indicators: Vec<IndicatorTree>,
}

impl FicheTree {
    fn progress_input(&self) -> FicheInput {
        FicheInput {
            status: self.fiche.status,
            indicators: self
                .indicators
                .iter()
                .map(IndicatorTree::progress)
                .collect(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ObjectiveTree {
    pub objective: Objective,
    pub fiches: Vec<FicheTree>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AxisTree {
    pub axis: Axis,
    pub objectives: Vec<ObjectiveTree>,
}

impl AxisTree {
    /// Progress of the axis: its fiches carried out, its indicators towards their targets.
    pub fn progress(&self) -> AxisProgress {
        let fiches: Vec<FicheInput> = self
            .objectives
            .iter()
            .flat_map(|o| o.fiches.iter())
            .map(FicheTree::progress_input)
            .collect();
        progress::axis(&fiches)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct FundingTree {
    pub funding: Funding,
    pub reports: Vec<Report>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ContractTree {
    pub contract: Contract,
    pub signatories: Vec<Signatory>,
    pub axes: Vec<AxisTree>,
    pub fundings: Vec<FundingTree>,
}

impl ContractTree {
    /// Every fiche of the contract, in order.
    pub fn fiches(&self) -> impl Iterator<Item = &FicheTree> {
        self.axes
            .iter()
            .flat_map(|a| a.objectives.iter().flat_map(|o| o.fiches.iter()))
    }

    pub fn fiche(&self, id: i64) -> Option<&FicheTree> {
        self.fiches().find(|f| f.fiche.id == id)
    }

    /// Progress of the whole contract ([`maillage_network::progress`]).
    pub fn progress(&self) -> AxisProgress {
        let fiches: Vec<FicheInput> = self.fiches().map(FicheTree::progress_input).collect();
        progress::axis(&fiches)
    }
}

/// Reads a whole contract: signatories, axes, objectives, fiches with their funders, indicators and measures,
/// fundings with their reports.
pub async fn tree(store: &Store, reach: &Reach, contract_id: i64) -> Result<Option<ContractTree>> {
    let Some(contract) = contract(store, reach, contract_id).await? else {
        return Ok(None);
    };
    let mut tx = begin_read(store, reach).await?;
    let signatories = sqlx::query(
        "SELECT id, name, represented_by, signed_on FROM cls_signatory WHERE contract_id = $1 ORDER BY id",
    )
    .bind(contract_id)
    .fetch_all(tx.conn())
    .await?
    .iter()
    .map(|r| {
        Ok(Signatory {
            id: r.try_get("id")?,
            name: r.try_get("name")?,
            represented_by: r.try_get("represented_by")?,
            signed_on: day_opt("cls_signatory.signed_on", r.try_get("signed_on")?)?,
        })
    })
    .collect::<Result<Vec<_>>>()?;
    let axes = sqlx::query(
        "SELECT id, contract_id, position, title, description FROM cls_axis WHERE contract_id = $1 ORDER BY position, id",
    )
    .bind(contract_id)
    .fetch_all(tx.conn())
    .await?
    .iter()
    .map(|r| {
        Ok(Axis {
            id: r.try_get("id")?,
            contract_id: r.try_get("contract_id")?,
            position: r.try_get("position")?,
            title: r.try_get("title")?,
            description: r.try_get("description")?,
        })
    })
    .collect::<Result<Vec<_>>>()?;
    let objectives = sqlx::query(
        "SELECT o.id, o.axis_id, o.position, o.title FROM cls_objective o JOIN cls_axis a ON a.id = o.axis_id
         WHERE a.contract_id = $1 ORDER BY o.position, o.id",
    )
    .bind(contract_id)
    .fetch_all(tx.conn())
    .await?
    .iter()
    .map(|r| {
        Ok(Objective {
            id: r.try_get("id")?,
            axis_id: r.try_get("axis_id")?,
            position: r.try_get("position")?,
            title: r.try_get("title")?,
        })
    })
    .collect::<Result<Vec<_>>>()?;
    let in_contract = "JOIN cls_objective o ON o.id = f.objective_id JOIN cls_axis a ON a.id = o.axis_id WHERE a.contract_id = $1";
    let fiches = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {FICHE_COLUMNS} FROM cls_fiche f {in_contract} ORDER BY f.number, f.id"
    )))
    .bind(contract_id)
    .fetch_all(tx.conn())
    .await?
    .iter()
    .map(fiche_of)
    .collect::<Result<Vec<_>>>()?;
    let funders = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT x.id, x.fiche_id, x.funder, x.amount FROM cls_fiche_funder x JOIN cls_fiche f ON f.id = x.fiche_id
         {in_contract} ORDER BY x.id"
    )))
    .bind(contract_id)
    .fetch_all(tx.conn())
    .await?
    .iter()
    .map(|r| {
        Ok(Funder {
            id: r.try_get("id")?,
            fiche_id: r.try_get("fiche_id")?,
            funder: r.try_get("funder")?,
            amount: r.try_get("amount")?,
        })
    })
    .collect::<Result<Vec<_>>>()?;
    let indicators = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {INDICATOR_COLUMNS} FROM cls_indicator i JOIN cls_fiche f ON f.id = i.fiche_id {in_contract} ORDER BY i.id"
    )))
    .bind(contract_id)
    .fetch_all(tx.conn())
    .await?
    .iter()
    .map(indicator_of)
    .collect::<Result<Vec<_>>>()?;
    let measures = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT m.id, m.indicator_id, m.measured_on, m.value, m.source, m.note, m.recorded_by FROM cls_measure m
         JOIN cls_indicator i ON i.id = m.indicator_id JOIN cls_fiche f ON f.id = i.fiche_id {in_contract}
         ORDER BY m.measured_on, m.id"
    )))
    .bind(contract_id)
    .fetch_all(tx.conn())
    .await?
    .iter()
    .map(measure_of)
    .collect::<Result<Vec<_>>>()?;
    let fundings = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {FUNDING_COLUMNS} FROM cls_funding WHERE contract_id = $1 ORDER BY id"
    )))
    .bind(contract_id)
    .fetch_all(tx.conn())
    .await?
    .iter()
    .map(funding_of)
    .collect::<Result<Vec<_>>>()?;
    let reports = sqlx::query(
        "SELECT r.id, r.funding_id, r.label, r.due_on, r.submitted_on FROM cls_funding_report r
         JOIN cls_funding f ON f.id = r.funding_id WHERE f.contract_id = $1 ORDER BY r.due_on, r.id",
    )
    .bind(contract_id)
    .fetch_all(tx.conn())
    .await?
    .iter()
    .map(report_of)
    .collect::<Result<Vec<_>>>()?;
    tx.commit().await?;

    let mut measures_of: BTreeMap<i64, Vec<Measure>> = BTreeMap::new();
    for m in measures {
        measures_of.entry(m.indicator_id).or_default().push(m);
    }
    let mut indicators_of: BTreeMap<i64, Vec<IndicatorTree>> = BTreeMap::new();
    for i in indicators {
        let measures = measures_of.remove(&i.id).unwrap_or_default();
        indicators_of
            .entry(i.fiche_id)
            .or_default()
            .push(IndicatorTree {
                indicator: i,
                measures,
            });
    }
    let mut funders_of: BTreeMap<i64, Vec<Funder>> = BTreeMap::new();
    for f in funders {
        funders_of.entry(f.fiche_id).or_default().push(f);
    }
    let mut fiches_of: BTreeMap<i64, Vec<FicheTree>> = BTreeMap::new();
    for f in fiches {
        let t = FicheTree {
            funders: funders_of.remove(&f.id).unwrap_or_default(),
            indicators: indicators_of.remove(&f.id).unwrap_or_default(),
            fiche: f,
        };
        fiches_of.entry(t.fiche.objective_id).or_default().push(t);
    }
    let mut objectives_of: BTreeMap<i64, Vec<ObjectiveTree>> = BTreeMap::new();
    for o in objectives {
        let fiches = fiches_of.remove(&o.id).unwrap_or_default();
        objectives_of
            .entry(o.axis_id)
            .or_default()
            .push(ObjectiveTree {
                objective: o,
                fiches,
            });
    }
    let axes = axes
        .into_iter()
        .map(|a| AxisTree {
            objectives: objectives_of.remove(&a.id).unwrap_or_default(),
            axis: a,
        })
        .collect();
    let mut reports_of: BTreeMap<i64, Vec<Report>> = BTreeMap::new();
    for r in reports {
        reports_of.entry(r.funding_id).or_default().push(r);
    }
    let fundings = fundings
        .into_iter()
        .map(|f| FundingTree {
            reports: reports_of.remove(&f.id).unwrap_or_default(),
            funding: f,
        })
        .collect();
    Ok(Some(ContractTree {
        contract,
        signatories,
        axes,
        fundings,
    }))
}

//! Contrats locaux de santé: the contract of each generation (period, signatories, territory), its axes,
//! objectives and fiches actions (pilot, co-pilots, partners, public, territory, budget and funders, schedule,
//! status, nature), indicators with baseline, target and dated measures (optionally linked to an observatory
//! indicator), and the funding tracker with its reports (bilans). [`tree`] reads a whole contract at once for
//! its dashboard and its evaluation report.

mod contract;
mod fiches;
mod funding;
mod indicators;
mod tree;

pub use contract::{
    Contract, ContractForm, Signatory, add_signatory, contract, contracts, delete_signatory,
    save_contract,
};
pub use fiches::{
    Axis, Fiche, FicheForm, Funder, Objective, add_funder, contract_of_fiche, delete_funder,
    save_axis, save_fiche, save_objective,
};
pub use funding::{
    Funding, FundingForm, Report, add_report, all_reports, contract_of_funding, contract_of_report,
    save_funding, submit_report,
};
pub use indicators::{
    Indicator, IndicatorForm, Measure, ObservatoryLink, add_measure, delete_measure, indicator,
    save_indicator,
};
pub use tree::{
    AxisTree, ContractTree, FicheTree, FundingTree, IndicatorTree, ObjectiveTree, tree,
};

//! Floating catchment area (FCA) accessibility: 2SFCA, E2SFCA (the method behind the DREES APL), and
//! gravity or Gaussian decays, on sparse travel costs. Pure computation: inputs are demand zones, supply
//! sites and (zone, site, cost) pairs; the result carries its parameters and sources.
//!
//! ```
//! use maillage_access::*;
//! let demand = Demand::population(vec![
//!     Zone { id: "A".into(), demand: 1000.0, outside_territory: false },
//!     Zone { id: "B".into(), demand: 2000.0, outside_territory: false },
//! ]).unwrap();
//! let supply = Supply::new(SupplyUnit::Headcount, vec![
//!     Site { id: "S1".into(), supply: 2.0, outside_territory: false },
//! ]).unwrap();
//! let costs = CostTable::from_ids(&demand, &supply, [("A", "S1", 5.0), ("B", "S1", 15.0)], UnknownIds::Reject).unwrap();
//! let mut params = Params::new(Decay::luo_qi());
//! params.scale = SupplyUnit::Headcount.default_scale();
//! let result = compute(&demand, &supply, &costs, &params).unwrap();
//! // R = 2 / (1000 + 0.68 × 2000); A_A = R × 100,000 doctors per 100,000 inhabitants.
//! assert!((result.access[0] - 2.0 / 2360.0 * 1e5).abs() < 1e-9);
//! ```

pub mod compare;
mod compute;
mod costs;
mod decay;
mod error;
mod ids;
mod input;
mod metadata;
pub mod tables;

pub use compute::{Accessibility, Params, ZoneResult, compute};
pub use costs::{CostPair, CostTable, UnknownIds};
pub use decay::{Decay, Method, Step, parse_steps};
pub use error::{AccessError, Parameter, Side, StepsError};
pub use input::{Demand, DemandKind, NeedBand, Site, Supply, SupplyUnit, Zone, ZoneByAge};
pub use metadata::{ExcludedSite, ExclusionReason, Metadata, Sources};

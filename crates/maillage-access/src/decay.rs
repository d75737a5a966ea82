//! Distance-decay functions, as PySAL `access/weights.py` defines them.

use crate::error::{AccessError, Parameter, StepsError};
use serde::{Deserialize, Serialize};

/// One band of a step function: weight for costs up to `upper` (inclusive).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Step {
    #[serde(rename = "borne_sup")]
    pub upper: f64,
    #[serde(rename = "poids")]
    pub weight: f64,
}

/// Which floating catchment method a decay makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Method {
    /// Two-step FCA, binary catchment (Luo & Wang 2003).
    #[serde(rename = "2SFCA")]
    TwoStep,
    /// Enhanced 2SFCA, step weights (Luo & Qi 2009), the method behind the DREES APL.
    #[serde(rename = "E2SFCA")]
    Enhanced,
    /// 2SFCA with a gravity (power) decay.
    #[serde(rename = "2SFCA_gravite")]
    Gravity,
    /// 2SFCA with a Gaussian decay.
    #[serde(rename = "2SFCA_gaussienne")]
    Gaussian,
}

/// A distance-decay function w(cost), used in both steps.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum Decay {
    /// w = 1 within the maximum cost (which is then required), 0 beyond.
    #[serde(rename = "binaire")]
    Binary,
    /// w = weight of the first band whose upper bound is ≥ cost (bounds ascending); 0 beyond the last.
    #[serde(rename = "paliers")]
    Steps {
        #[serde(rename = "paliers")]
        steps: Vec<Step>,
    },
    /// w = (max(cost, min_cost) / scale)^alpha (alpha is usually negative).
    #[serde(rename = "gravite")]
    Gravity {
        #[serde(rename = "echelle")]
        scale: f64,
        alpha: f64,
        #[serde(rename = "cout_min")]
        min_cost: f64,
    },
    /// w = exp(−cost² / 2σ²).
    #[serde(rename = "gaussienne")]
    Gaussian { sigma: f64 },
}

impl Decay {
    /// Step weights, sorted by bound; rejects duplicated bounds and negative or non-finite values.
    pub fn steps(steps: Vec<Step>) -> Result<Decay, StepsError> {
        Ok(Decay::Steps {
            steps: check_steps(steps)?,
        })
    }

    /// Luo & Qi's weights, PySAL `access`'s default: ≤10 → 1, ≤20 → 0.68, ≤30 → 0.22.
    pub fn luo_qi() -> Decay {
        Decay::Steps {
            steps: vec![
                Step {
                    upper: 10.0,
                    weight: 1.0,
                },
                Step {
                    upper: 20.0,
                    weight: 0.68,
                },
                Step {
                    upper: 30.0,
                    weight: 0.22,
                },
            ],
        }
    }

    /// DREES-style GP weights as usually quoted (not verified against the DREES notice):
    /// ≤10 → 1, ≤15 → 2/3, ≤20 → 1/3.
    pub fn drees_gp() -> Decay {
        Decay::Steps {
            steps: vec![
                Step {
                    upper: 10.0,
                    weight: 1.0,
                },
                Step {
                    upper: 15.0,
                    weight: 2.0 / 3.0,
                },
                Step {
                    upper: 20.0,
                    weight: 1.0 / 3.0,
                },
            ],
        }
    }

    pub fn gravity(scale: f64, alpha: f64, min_cost: f64) -> Result<Decay, AccessError> {
        let decay = Decay::Gravity {
            scale,
            alpha,
            min_cost,
        };
        decay.validate()?;
        Ok(decay)
    }

    pub fn gaussian(sigma: f64) -> Result<Decay, AccessError> {
        let decay = Decay::Gaussian { sigma };
        decay.validate()?;
        Ok(decay)
    }

    pub fn method(&self) -> Method {
        match self {
            Decay::Binary => Method::TwoStep,
            Decay::Steps { .. } => Method::Enhanced,
            Decay::Gravity { .. } => Method::Gravity,
            Decay::Gaussian { .. } => Method::Gaussian,
        }
    }

    /// Check the parameters (the variants' fields are public, so this runs again before computing).
    pub fn validate(&self) -> Result<(), AccessError> {
        let bad = |parameter, value: f64| Err(AccessError::InvalidParameter { parameter, value });
        match self {
            Decay::Binary => Ok(()),
            Decay::Steps { steps } => {
                check_steps(steps.clone())?;
                // weight() relies on ascending bounds: a hand-built list must already be sorted.
                if let Some(w) = steps.windows(2).find(|w| w[0].upper > w[1].upper) {
                    return Err(StepsError::NotAscending { bound: w[1].upper }.into());
                }
                Ok(())
            }
            Decay::Gravity {
                scale,
                alpha,
                min_cost,
            } => {
                if !(scale.is_finite() && *scale > 0.0) {
                    return bad(Parameter::GravityScale, *scale);
                }
                if !alpha.is_finite() {
                    return bad(Parameter::GravityAlpha, *alpha);
                }
                if !(min_cost.is_finite() && *min_cost >= 0.0) {
                    return bad(Parameter::GravityMinCost, *min_cost);
                }
                Ok(())
            }
            Decay::Gaussian { sigma } => {
                if !(sigma.is_finite() && *sigma > 0.0) {
                    return bad(Parameter::GaussianSigma, *sigma);
                }
                Ok(())
            }
        }
    }

    /// The weight at a cost, before any maximum cost is applied.
    #[inline]
    pub fn weight(&self, cost: f64) -> f64 {
        match self {
            Decay::Binary => 1.0,
            Decay::Steps { steps } => {
                // The band is the number of bounds below the cost (bounds ascending), counted without
                // branches: costs fall in bands at random, and mispredictions dominated this loop.
                let band: usize = steps.iter().map(|s| (cost > s.upper) as usize).sum();
                steps.get(band).map_or(0.0, |s| s.weight)
            }
            Decay::Gravity {
                scale,
                alpha,
                min_cost,
            } => (cost.max(*min_cost) / scale).powf(*alpha),
            Decay::Gaussian { sigma } => (-cost * cost / (2.0 * sigma * sigma)).exp(),
        }
    }
}

/// Validate and sort step bands.
fn check_steps(mut steps: Vec<Step>) -> Result<Vec<Step>, StepsError> {
    if steps.is_empty() {
        return Err(StepsError::Empty);
    }
    for s in &steps {
        if !(s.upper.is_finite() && s.upper >= 0.0) {
            return Err(StepsError::InvalidBound { bound: s.upper });
        }
        if !(s.weight.is_finite() && s.weight >= 0.0) {
            return Err(StepsError::InvalidWeight {
                bound: s.upper,
                weight: s.weight,
            });
        }
    }
    // PySAL's step_fn sorts its dict by bound; do the same so the order given does not matter.
    steps.sort_by(|a, b| a.upper.total_cmp(&b.upper));
    if let Some(w) = steps.windows(2).find(|w| w[0].upper == w[1].upper) {
        return Err(StepsError::DuplicateBound { bound: w[0].upper });
    }
    Ok(steps)
}

/// Parse `upper:weight,upper:weight,...` (e.g. `10:1,20:0.68,30:0.22`) into sorted, validated steps.
pub fn parse_steps(text: &str) -> Result<Vec<Step>, StepsError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(StepsError::Empty);
    }
    let mut steps = Vec::new();
    for (i, item) in text.split(',').enumerate() {
        let number = i + 1;
        let item = item.trim();
        let Some((bound, weight)) = item.split_once(':') else {
            return Err(StepsError::Syntax {
                item: number,
                text: item.to_string(),
            });
        };
        let parse = |s: &str| {
            s.trim().parse::<f64>().map_err(|_| StepsError::NotANumber {
                item: number,
                text: s.trim().to_string(),
            })
        };
        steps.push(Step {
            upper: parse(bound)?,
            weight: parse(weight)?,
        });
    }
    check_steps(steps)
}

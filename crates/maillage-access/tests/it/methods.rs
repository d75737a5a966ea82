//! Hand-computed cases for each method.

use crate::common::{site, zone};
use maillage_access::*;

/// The PySAL reference case: zones A=1000, B=2000, C=500; sites S1=2, S2=1.
fn reference() -> (Demand, Supply, CostTable) {
    let demand =
        Demand::population(vec![zone("A", 1000.0), zone("B", 2000.0), zone("C", 500.0)]).unwrap();
    let supply = Supply::new(
        SupplyUnit::Headcount,
        vec![site("S1", 2.0), site("S2", 1.0)],
    )
    .unwrap();
    let pairs = [
        ("A", "S1", 5.0),
        ("A", "S2", 25.0),
        ("B", "S1", 15.0),
        ("B", "S2", 8.0),
        ("C", "S1", 35.0),
        ("C", "S2", 12.0),
    ];
    let costs = CostTable::from_ids(&demand, &supply, pairs, UnknownIds::Reject).unwrap();
    (demand, supply, costs)
}

fn close(a: f64, b: f64, rel: f64) -> bool {
    (a - b).abs() <= rel * b.abs().max(f64::MIN_POSITIVE)
}

#[test]
fn e2sfca_matches_the_pysal_reference_case() {
    let (demand, supply, costs) = reference();
    let result = compute(&demand, &supply, &costs, &Params::new(Decay::luo_qi())).unwrap();
    // Step 1: S1 is reached by A (w 1) and B (w 0.68), not C (35 min > 30); S2 by A (0.22), B (1), C (0.68).
    let d1 = 1000.0 * 1.0 + 2000.0 * 0.68;
    let d2 = 1000.0 * 0.22 + 2000.0 * 1.0 + 500.0 * 0.68;
    assert_eq!(result.weighted_demand, vec![d1, d2]);
    let (r1, r2) = (2.0 / d1, 1.0 / d2);
    assert_eq!(result.ratio, vec![Some(r1), Some(r2)]);
    let expected = [r1 + 0.22 * r2, 0.68 * r1 + r2, 0.68 * r2];
    for (got, want) in result.access.iter().zip(expected) {
        assert!(close(*got, want, 1e-15), "{got} vs {want}");
    }
    // The figures quoted with the case (9 significant digits).
    for (got, quoted) in result
        .access
        .iter()
        .zip([0.000933395, 0.000966896, 0.000265625])
    {
        assert!((got - quoted).abs() < 5e-10, "{got} vs {quoted}");
    }
    assert_eq!(result.sites_reached, vec![2, 2, 1]);
    let m = &result.metadata;
    assert_eq!(m.method, Method::Enhanced);
    assert_eq!(m.pairs, 6);
    assert_eq!(m.pairs_used, 5);
    assert_eq!(m.zones_without_access, 0);
    assert!(m.excluded_sites.is_empty());
}

#[test]
fn two_step_binary_catchment_needs_and_uses_max_cost() {
    let (demand, supply, costs) = reference();
    let mut params = Params::new(Decay::Binary);
    assert_eq!(
        compute(&demand, &supply, &costs, &params),
        Err(AccessError::MissingMaxCost)
    );
    params.max_cost = Some(15.0);
    let result = compute(&demand, &supply, &costs, &params).unwrap();
    // Within 15 min (inclusive): S1 ← A (5), B (15); S2 ← B (8), C (12).
    let (r1, r2) = (2.0 / 3000.0, 1.0 / 2500.0);
    assert_eq!(result.ratio, vec![Some(r1), Some(r2)]);
    let expected = [r1, r1 + r2, r2];
    for (got, want) in result.access.iter().zip(expected) {
        assert!(close(*got, want, 1e-15));
    }
    assert_eq!(result.metadata.method, Method::TwoStep);
    assert_eq!(result.metadata.max_cost, Some(15.0));
}

#[test]
fn gravity_decay_follows_pysal_formula() {
    let (demand, supply, costs) = reference();
    let decay = Decay::gravity(10.0, -2.0, 1.0).unwrap();
    let mut params = Params::new(decay.clone());
    params.max_cost = Some(30.0);
    let result = compute(&demand, &supply, &costs, &params).unwrap();
    // PySAL weights.gravity: (max(x, min_dist) / scale) ** alpha.
    let w = |t: f64| (t.max(1.0) / 10.0_f64).powf(-2.0);
    assert!(close(w(5.0), 4.0, 1e-15) && close(w(20.0), 0.25, 1e-15));
    let d1 = 1000.0 * w(5.0) + 2000.0 * w(15.0); // C–S1 (35) is beyond max_cost
    let d2 = 1000.0 * w(25.0) + 2000.0 * w(8.0) + 500.0 * w(12.0);
    let (r1, r2) = (2.0 / d1, 1.0 / d2);
    let expected = [
        w(5.0) * r1 + w(25.0) * r2,
        w(15.0) * r1 + w(8.0) * r2,
        w(12.0) * r2,
    ];
    for (got, want) in result.access.iter().zip(expected) {
        assert!(close(*got, want, 1e-14), "{got} vs {want}");
    }
    assert_eq!(result.metadata.method, Method::Gravity);
    assert_eq!(result.metadata.decay, decay);
}

#[test]
fn gaussian_decay_follows_pysal_formula() {
    let (demand, supply, costs) = reference();
    let result = compute(
        &demand,
        &supply,
        &costs,
        &Params::new(Decay::gaussian(20.0).unwrap()),
    )
    .unwrap();
    // PySAL weights.gaussian(20): exp(-x²/(2·20²)); f(20) = e^-0.5 as in its docstring.
    let w = |t: f64| (-t * t / 800.0).exp();
    assert!(close(w(20.0), 0.6065306597126334, 1e-15));
    let d1 = 1000.0 * w(5.0) + 2000.0 * w(15.0) + 500.0 * w(35.0);
    let d2 = 1000.0 * w(25.0) + 2000.0 * w(8.0) + 500.0 * w(12.0);
    let (r1, r2) = (2.0 / d1, 1.0 / d2);
    let expected = [
        w(5.0) * r1 + w(25.0) * r2,
        w(15.0) * r1 + w(8.0) * r2,
        w(35.0) * r1 + w(12.0) * r2,
    ];
    for (got, want) in result.access.iter().zip(expected) {
        assert!(close(*got, want, 1e-14), "{got} vs {want}");
    }
    assert_eq!(result.metadata.method, Method::Gaussian);
}

#[test]
fn gravity_without_minimum_at_zero_cost_is_refused() {
    let demand = Demand::population(vec![zone("A", 10.0)]).unwrap();
    let supply = Supply::new(SupplyUnit::Headcount, vec![site("S", 1.0)]).unwrap();
    let costs =
        CostTable::from_ids(&demand, &supply, [("A", "S", 0.0)], UnknownIds::Reject).unwrap();
    let params = Params::new(Decay::gravity(1.0, -1.0, 0.0).unwrap());
    assert_eq!(
        compute(&demand, &supply, &costs, &params),
        Err(AccessError::NonFiniteWeight { cost: 0.0 })
    );
}

#[test]
fn scale_per_100000_and_activity_units() {
    let (demand, supply, costs) = reference();
    let raw = compute(&demand, &supply, &costs, &Params::new(Decay::luo_qi())).unwrap();
    let mut params = Params::new(Decay::luo_qi());
    params.scale = SupplyUnit::Fte.default_scale();
    assert_eq!(params.scale, 100_000.0);
    let scaled = compute(&demand, &supply, &costs, &params).unwrap();
    for (s, r) in scaled.access.iter().zip(&raw.access) {
        assert_eq!(*s, r * 100_000.0);
    }
    assert_eq!(scaled.metadata.scale, Some(100_000.0));
    assert_eq!(SupplyUnit::Activity.default_scale(), 1.0);
    assert_eq!(SupplyUnit::Headcount.default_scale(), 100_000.0);
}

#[test]
fn normalisation_divides_by_population_weighted_mean() {
    let (demand, supply, costs) = reference();
    let raw = compute(&demand, &supply, &costs, &Params::new(Decay::luo_qi())).unwrap();
    let mut params = Params::new(Decay::luo_qi());
    params.normalize = true;
    params.scale = 100_000.0; // not applied to normalised values
    let normalised = compute(&demand, &supply, &costs, &params).unwrap();
    let pop = [1000.0, 2000.0, 500.0];
    let mean = raw.access.iter().zip(pop).map(|(a, p)| a * p).sum::<f64>() / 3500.0;
    assert_eq!(normalised.metadata.normalization_mean, Some(mean));
    assert_eq!(normalised.metadata.scale, None);
    for (n, r) in normalised.access.iter().zip(&raw.access) {
        assert_eq!(*n, r / mean);
    }
    // The demand-weighted mean of normalised access is 1.
    let weighted = normalised
        .access
        .iter()
        .zip(pop)
        .map(|(a, p)| a * p)
        .sum::<f64>()
        / 3500.0;
    assert!(close(weighted, 1.0, 1e-14));
}

#[test]
fn age_standardised_demand_weights_bands_by_need() {
    let bands = vec![
        NeedBand {
            label: "0-17".into(),
            weight: 0.759,
        },
        NeedBand {
            label: "18-59".into(),
            weight: 1.0,
        },
        NeedBand {
            label: "60+".into(),
            weight: 1.4,
        },
    ];
    let zones = vec![
        ZoneByAge {
            id: "Z1".into(),
            population_by_band: vec![200.0, 500.0, 300.0],
            outside_territory: false,
        },
        ZoneByAge {
            id: "Z2".into(),
            population_by_band: vec![100.0, 100.0, 0.0],
            outside_territory: false,
        },
    ];
    let demand = Demand::age_standardised(bands.clone(), zones).unwrap();
    let p1 = 200.0 * 0.759 + 500.0 + 300.0 * 1.4;
    let p2 = 100.0 * 0.759 + 100.0;
    assert_eq!(demand.zones()[0].demand, p1);
    assert_eq!(demand.zones()[1].demand, p2);
    let supply = Supply::new(SupplyUnit::Activity, vec![site("S", 4000.0)]).unwrap();
    let costs = CostTable::from_ids(
        &demand,
        &supply,
        [("Z1", "S", 3.0), ("Z2", "S", 12.0)],
        UnknownIds::Reject,
    )
    .unwrap();
    let result = compute(&demand, &supply, &costs, &Params::new(Decay::luo_qi())).unwrap();
    let r = 4000.0 / (p1 + 0.68 * p2);
    assert!(close(result.access[0], r, 1e-15));
    assert!(close(result.access[1], 0.68 * r, 1e-15));
    assert_eq!(
        result.metadata.demand_kind,
        DemandKind::AgeStandardised { bands }
    );
    assert_eq!(result.metadata.supply_unit, SupplyUnit::Activity);
}

#[test]
fn metadata_serialises_with_its_parameters() {
    let (demand, supply, costs) = reference();
    let mut params = Params::new(Decay::luo_qi());
    params.max_cost = Some(30.0);
    params.sources.costs = Some("OSM voiture".into());
    let result = compute(&demand, &supply, &costs, &params).unwrap();
    let json = serde_json::to_value(&result.metadata).unwrap();
    assert_eq!(json["methode"], "E2SFCA");
    assert_eq!(json["decroissance"]["type"], "paliers");
    assert_eq!(json["decroissance"]["paliers"][1]["borne_sup"], 20.0);
    assert_eq!(json["decroissance"]["paliers"][1]["poids"], 0.68);
    assert_eq!(json["cout_max"], 30.0);
    assert_eq!(json["unite_offre"], "effectif");
    assert_eq!(json["demande"]["type"], "population");
    assert_eq!(json["sources"]["couts"], "OSM voiture");
    let back: Metadata = serde_json::from_value(json).unwrap();
    assert_eq!(back, result.metadata);
}

#[test]
fn step_weights_parse_sort_and_validate() {
    let steps = parse_steps("20:0.68, 10:1 ,30:0.22").unwrap();
    assert_eq!(Decay::Steps { steps }, Decay::luo_qi());
    assert_eq!(parse_steps(""), Err(StepsError::Empty));
    assert_eq!(
        parse_steps("10:1,20"),
        Err(StepsError::Syntax {
            item: 2,
            text: "20".into()
        })
    );
    assert_eq!(
        parse_steps("10:1,2O:0.5"),
        Err(StepsError::NotANumber {
            item: 2,
            text: "2O".into()
        })
    );
    assert_eq!(
        parse_steps("10:1,10:0.5"),
        Err(StepsError::DuplicateBound { bound: 10.0 })
    );
    assert_eq!(
        parse_steps("10:-1"),
        Err(StepsError::InvalidWeight {
            bound: 10.0,
            weight: -1.0
        })
    );
    assert_eq!(
        parse_steps("-5:1"),
        Err(StepsError::InvalidBound { bound: -5.0 })
    );
    assert_eq!(
        parse_steps("inf:1"),
        Err(StepsError::InvalidBound {
            bound: f64::INFINITY
        })
    );
    // Hand-built steps must be ascending.
    let unsorted = Decay::Steps {
        steps: vec![
            Step {
                upper: 20.0,
                weight: 0.5,
            },
            Step {
                upper: 10.0,
                weight: 1.0,
            },
        ],
    };
    assert_eq!(
        unsorted.validate(),
        Err(AccessError::Steps(StepsError::NotAscending { bound: 10.0 }))
    );
}

#[test]
fn invalid_parameters_are_refused() {
    assert!(matches!(
        Decay::gaussian(0.0),
        Err(AccessError::InvalidParameter {
            parameter: Parameter::GaussianSigma,
            ..
        })
    ));
    assert!(matches!(
        Decay::gravity(0.0, -2.0, 0.0),
        Err(AccessError::InvalidParameter {
            parameter: Parameter::GravityScale,
            ..
        })
    ));
    let (demand, supply, costs) = reference();
    let mut params = Params::new(Decay::luo_qi());
    params.max_cost = Some(-1.0);
    assert!(matches!(
        compute(&demand, &supply, &costs, &params),
        Err(AccessError::InvalidParameter {
            parameter: Parameter::MaxCost,
            ..
        })
    ));
    params.max_cost = None;
    params.scale = 0.0;
    assert!(matches!(
        compute(&demand, &supply, &costs, &params),
        Err(AccessError::InvalidParameter {
            parameter: Parameter::Scale,
            ..
        })
    ));
}

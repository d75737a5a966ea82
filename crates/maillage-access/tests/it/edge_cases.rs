//! The edge cases of docs/produit.md §5.1 and bad inputs.

use crate::common::{site, zone};
use maillage_access::*;

fn table(demand: &Demand, supply: &Supply, pairs: &[(&str, &str, f64)]) -> CostTable {
    CostTable::from_ids(demand, supply, pairs.iter().copied(), UnknownIds::Reject).unwrap()
}

#[test]
fn a_site_no_one_reaches_is_excluded_and_reported() {
    let demand = Demand::population(vec![zone("A", 100.0), zone("B", 200.0)]).unwrap();
    let supply = Supply::new(
        SupplyUnit::Fte,
        vec![site("near", 1.0), site("far", 3.0), site("nopair", 2.0)],
    )
    .unwrap();
    // "far" is only reached beyond the last step (31 min): weight 0, so no one reaches it.
    let costs = table(
        &demand,
        &supply,
        &[("A", "near", 5.0), ("B", "near", 12.0), ("A", "far", 31.0)],
    );
    let result = compute(&demand, &supply, &costs, &Params::new(Decay::luo_qi())).unwrap();
    assert_eq!(result.ratio[1], None);
    assert_eq!(result.ratio[2], None);
    let r = 1.0 / (100.0 + 0.68 * 200.0);
    assert_eq!(result.access, vec![r, 0.68 * r]);
    let m = &result.metadata;
    assert_eq!(m.sites_unreachable, 2);
    assert_eq!(m.sites_without_demand, 0);
    assert_eq!(m.excluded_supply, 5.0);
    assert_eq!(
        m.excluded_sites,
        vec![
            ExcludedSite {
                id: "far".into(),
                reason: ExclusionReason::Unreachable,
                supply: 3.0
            },
            ExcludedSite {
                id: "nopair".into(),
                reason: ExclusionReason::Unreachable,
                supply: 2.0
            },
        ]
    );
    // A maximum cost below every pair makes every site unreachable and every zone without access.
    let mut params = Params::new(Decay::luo_qi());
    params.max_cost = Some(4.0);
    let none = compute(&demand, &supply, &costs, &params).unwrap();
    assert_eq!(none.access, vec![0.0, 0.0]);
    assert_eq!(none.metadata.zones_without_access, 2);
    assert_eq!(none.metadata.sites_unreachable, 3);
}

#[test]
fn zones_with_zero_population_get_access_but_weigh_nothing() {
    let demand = Demand::population(vec![
        zone("A", 1000.0),
        zone("empty", 0.0),
        zone("lonely", 0.0),
    ])
    .unwrap();
    let supply = Supply::new(
        SupplyUnit::Headcount,
        vec![site("S1", 2.0), site("S2", 5.0)],
    )
    .unwrap();
    // S2 is reached only by zones without population: R = 5 / 0 is undefined.
    let costs = table(
        &demand,
        &supply,
        &[
            ("A", "S1", 5.0),
            ("empty", "S1", 15.0),
            ("lonely", "S2", 3.0),
            ("empty", "S2", 3.0),
        ],
    );
    let result = compute(&demand, &supply, &costs, &Params::new(Decay::luo_qi())).unwrap();
    let r1 = 2.0 / 1000.0;
    assert_eq!(result.ratio, vec![Some(r1), None]);
    // "empty" still has the access S1 offers it; "lonely" reaches only the excluded site.
    assert_eq!(result.access, vec![r1, 0.68 * r1, 0.0]);
    assert_eq!(result.sites_reached, vec![1, 1, 0]);
    let m = &result.metadata;
    assert_eq!(m.zones_zero_demand, 2);
    assert_eq!(m.zones_without_access, 1);
    assert_eq!(m.sites_without_demand, 1);
    assert_eq!(
        m.excluded_sites[0],
        ExcludedSite {
            id: "S2".into(),
            reason: ExclusionReason::NoDemand,
            supply: 5.0
        }
    );
}

#[test]
fn a_site_exactly_on_a_band_boundary_takes_that_band() {
    let demand = Demand::population(vec![
        zone("at10", 100.0),
        zone("at20", 100.0),
        zone("at30", 100.0),
        zone("above30", 100.0),
    ])
    .unwrap();
    let supply = Supply::new(SupplyUnit::Headcount, vec![site("S", 1.0)]).unwrap();
    let just_above = 30.0_f64.next_up();
    let costs = table(
        &demand,
        &supply,
        &[
            ("at10", "S", 10.0),
            ("at20", "S", 20.0),
            ("at30", "S", 30.0),
            ("above30", "S", just_above),
        ],
    );
    let result = compute(&demand, &supply, &costs, &Params::new(Decay::luo_qi())).unwrap();
    let weighted = 100.0 * 1.0 + 100.0 * 0.68 + 100.0 * 0.22;
    assert_eq!(result.weighted_demand, vec![weighted]);
    let r = 1.0 / weighted;
    assert_eq!(result.access, vec![r, 0.68 * r, 0.22 * r, 0.0]);
    // Same with the DREES-style bands (10, 15, 20) and a maximum cost equal to a pair's cost.
    let mut params = Params::new(Decay::drees_gp());
    params.max_cost = Some(20.0);
    let drees = compute(&demand, &supply, &costs, &params).unwrap();
    let third = 1.0 / 3.0;
    let r = 1.0 / (100.0 + 100.0 * third);
    assert_eq!(drees.access[0], r);
    assert_eq!(drees.access[1], third * r);
    assert_eq!(&drees.access[2..], &[0.0, 0.0]);
}

#[test]
fn buffer_zones_and_sites_beyond_the_territory_count_and_are_flagged() {
    let demand = Demand::population(vec![
        zone("in", 1000.0),
        Zone {
            id: "buffer".into(),
            demand: 3000.0,
            outside_territory: true,
        },
    ])
    .unwrap();
    let supply = Supply::new(
        SupplyUnit::Fte,
        vec![
            site("inside", 1.0),
            Site {
                id: "neighbour".into(),
                supply: 2.0,
                outside_territory: true,
            },
        ],
    )
    .unwrap();
    let costs = table(
        &demand,
        &supply,
        &[
            ("in", "inside", 5.0),
            ("in", "neighbour", 12.0),
            ("buffer", "neighbour", 4.0),
            ("buffer", "inside", 25.0),
        ],
    );
    let result = compute(&demand, &supply, &costs, &Params::new(Decay::luo_qi())).unwrap();
    // The neighbour's doctors serve the buffer zone too: ignoring it would overstate "in"'s access.
    let r_inside = 1.0 / (1000.0 + 0.22 * 3000.0);
    let r_neighbour = 2.0 / (0.68 * 1000.0 + 3000.0);
    assert_eq!(result.ratio, vec![Some(r_inside), Some(r_neighbour)]);
    assert_eq!(result.access[0], r_inside + 0.68 * r_neighbour);
    assert_eq!(result.access[1], 0.22 * r_inside + r_neighbour);
    assert_eq!(result.metadata.zones_outside_territory, 1);
    assert_eq!(result.metadata.sites_outside_territory, 1);
    let zones: Vec<ZoneResult> = result.zones(&demand).collect();
    assert_eq!(
        zones[1],
        ZoneResult {
            id: "buffer",
            access: result.access[1],
            outside_territory: true,
            sites_reached: 2
        }
    );
    assert!(!zones[0].outside_territory);
}

#[test]
fn negative_missing_and_non_finite_values_are_rejected() {
    assert_eq!(
        Demand::population(vec![zone("A", -1.0)]).unwrap_err(),
        AccessError::InvalidValue {
            side: Side::Demand,
            id: "A".into(),
            value: -1.0
        }
    );
    assert!(matches!(
        Demand::population(vec![zone("A", f64::NAN)]),
        Err(AccessError::InvalidValue {
            side: Side::Demand,
            ..
        })
    ));
    assert!(matches!(
        Supply::new(SupplyUnit::Fte, vec![site("S", f64::INFINITY)]),
        Err(AccessError::InvalidValue {
            side: Side::Supply,
            ..
        })
    ));
    assert_eq!(
        Supply::new(SupplyUnit::Fte, vec![site("", 1.0)]).unwrap_err(),
        AccessError::EmptyId {
            side: Side::Supply,
            index: 0
        }
    );
    let demand = Demand::population(vec![zone("A", 1.0)]).unwrap();
    let supply = Supply::new(SupplyUnit::Fte, vec![site("S", 1.0)]).unwrap();
    assert_eq!(
        CostTable::from_ids(&demand, &supply, [("A", "S", -3.0)], UnknownIds::Reject).unwrap_err(),
        AccessError::InvalidCost {
            zone: "A".into(),
            site: "S".into(),
            cost: -3.0,
            pair: 0
        }
    );
    assert!(matches!(
        CostTable::from_ids(&demand, &supply, [("A", "S", f64::NAN)], UnknownIds::Reject),
        Err(AccessError::InvalidCost { pair: 0, .. })
    ));
    let bands = vec![NeedBand {
        label: "0-17".into(),
        weight: 0.8,
    }];
    let by_age = |values: Vec<f64>| ZoneByAge {
        id: "Z".into(),
        population_by_band: values,
        outside_territory: false,
    };
    assert!(matches!(
        Demand::age_standardised(bands.clone(), vec![by_age(vec![-2.0])]),
        Err(AccessError::InvalidBandValue { .. })
    ));
    assert_eq!(
        Demand::age_standardised(bands.clone(), vec![by_age(vec![1.0, 2.0])]).unwrap_err(),
        AccessError::BandCount {
            id: "Z".into(),
            expected: 1,
            found: 2
        }
    );
    assert_eq!(
        Demand::age_standardised(vec![], vec![]).unwrap_err(),
        AccessError::NoNeedBands
    );
    let negative = vec![NeedBand {
        label: "x".into(),
        weight: -1.0,
    }];
    assert!(matches!(
        Demand::age_standardised(negative, vec![]),
        Err(AccessError::InvalidNeedWeight { .. })
    ));
}

#[test]
fn duplicated_ids_and_pairs_are_rejected() {
    assert_eq!(
        Demand::population(vec![zone("A", 1.0), zone("B", 1.0), zone("A", 2.0)]).unwrap_err(),
        AccessError::DuplicateId {
            side: Side::Demand,
            id: "A".into(),
            first: 0,
            second: 2
        }
    );
    assert!(matches!(
        Supply::new(SupplyUnit::Fte, vec![site("S", 1.0), site("S", 1.0)]),
        Err(AccessError::DuplicateId {
            side: Side::Supply,
            first: 0,
            second: 1,
            ..
        })
    ));
    let demand = Demand::population(vec![zone("A", 1.0), zone("B", 1.0)]).unwrap();
    let supply = Supply::new(SupplyUnit::Fte, vec![site("S", 1.0), site("T", 1.0)]).unwrap();
    // Pairs grouped by zone (the table keeps them as they are) and not grouped (the table sorts them).
    let grouped = [
        ("A", "S", 1.0),
        ("A", "T", 2.0),
        ("A", "S", 3.0),
        ("B", "S", 4.0),
    ];
    assert_eq!(
        CostTable::from_ids(&demand, &supply, grouped, UnknownIds::Reject).unwrap_err(),
        AccessError::DuplicatePair {
            zone: "A".into(),
            site: "S".into(),
            first: 0,
            second: 2
        }
    );
    let pairs = [
        ("A", "S", 1.0),
        ("B", "S", 2.0),
        ("A", "T", 3.0),
        ("B", "S", 4.0),
    ];
    assert_eq!(
        CostTable::from_ids(&demand, &supply, pairs, UnknownIds::Reject).unwrap_err(),
        AccessError::DuplicatePair {
            zone: "B".into(),
            site: "S".into(),
            first: 1,
            second: 3
        }
    );
}

#[test]
fn unknown_ids_in_the_cost_table_are_rejected_or_counted() {
    let demand = Demand::population(vec![zone("A", 10.0)]).unwrap();
    let supply = Supply::new(SupplyUnit::Fte, vec![site("S", 1.0)]).unwrap();
    let pairs = [("A", "S", 1.0), ("A", "ghost", 2.0), ("nowhere", "S", 3.0)];
    assert_eq!(
        CostTable::from_ids(&demand, &supply, pairs, UnknownIds::Reject).unwrap_err(),
        AccessError::UnknownId {
            side: Side::Supply,
            id: "ghost".into(),
            pair: 1
        }
    );
    let costs = CostTable::from_ids(&demand, &supply, pairs, UnknownIds::Skip).unwrap();
    assert_eq!(costs.len(), 1);
    let result = compute(&demand, &supply, &costs, &Params::new(Decay::luo_qi())).unwrap();
    assert_eq!(result.metadata.pairs_unknown_ids, 2);
    assert_eq!(result.access, vec![0.1]);
    // Positions out of range are refused too.
    assert_eq!(
        CostTable::new(
            &demand,
            &supply,
            vec![CostPair {
                zone: 0,
                site: 1,
                cost: 1.0
            }]
        )
        .unwrap_err(),
        AccessError::IndexOutOfRange {
            side: Side::Supply,
            index: 1,
            len: 1,
            pair: 0
        }
    );
}

#[test]
fn a_table_for_other_lists_is_refused() {
    let demand = Demand::population(vec![zone("A", 10.0)]).unwrap();
    let supply = Supply::new(SupplyUnit::Fte, vec![site("S", 1.0)]).unwrap();
    let costs =
        CostTable::from_ids(&demand, &supply, [("A", "S", 1.0)], UnknownIds::Reject).unwrap();
    let bigger = Demand::population(vec![zone("A", 10.0), zone("B", 5.0)]).unwrap();
    assert_eq!(
        compute(&bigger, &supply, &costs, &Params::new(Decay::luo_qi())).unwrap_err(),
        AccessError::TableMismatch {
            table_zones: 1,
            table_sites: 1,
            zones: 2,
            sites: 1
        }
    );
}

#[test]
fn normalisation_without_any_access_is_an_error() {
    let demand = Demand::population(vec![zone("A", 10.0)]).unwrap();
    let supply = Supply::new(SupplyUnit::Fte, vec![site("S", 1.0)]).unwrap();
    let costs =
        CostTable::from_ids(&demand, &supply, [("A", "S", 45.0)], UnknownIds::Reject).unwrap();
    let mut params = Params::new(Decay::luo_qi());
    params.normalize = true;
    assert_eq!(
        compute(&demand, &supply, &costs, &params).unwrap_err(),
        AccessError::NormalizationUndefined { mean: 0.0 }
    );
}

#[test]
fn results_do_not_depend_on_pair_order() {
    let ids: Vec<String> = (0..40).map(|i| format!("Z{i}")).collect();
    let zones = ids
        .iter()
        .enumerate()
        .map(|(i, id)| zone(id, (i * 37 % 11) as f64 * 100.0))
        .collect();
    let demand = Demand::population(zones).unwrap();
    let sites = (0..15)
        .map(|j| site(&format!("S{j}"), 1.0 + j as f64))
        .collect();
    let supply = Supply::new(SupplyUnit::Fte, sites).unwrap();
    let mut pairs = Vec::new();
    for i in 0..40u32 {
        for j in 0..15u32 {
            if (i * 7 + j * 3) % 4 != 0 {
                pairs.push(CostPair {
                    zone: i,
                    site: j,
                    cost: ((i * 13 + j * 29) % 40) as f64,
                });
            }
        }
    }
    let forward = CostTable::new(&demand, &supply, pairs.clone()).unwrap();
    pairs.reverse();
    let backward = CostTable::new(&demand, &supply, pairs).unwrap();
    let params = Params::new(Decay::luo_qi());
    let a = compute(&demand, &supply, &forward, &params).unwrap();
    let b = compute(&demand, &supply, &backward, &params).unwrap();
    for (x, y) in a.access.iter().zip(&b.access) {
        assert!((x - y).abs() <= 1e-15 * x.abs(), "{x} vs {y}");
    }
    assert!(a.access.iter().any(|&x| x > 0.0));
}

//! Indicators on hand-computed cases, and statistical secrecy (primary and secondary suppression).

use maillage_indicators::{Indicator, IndicatorRow, Inputs, Supply, ZoneInput, compute, suppress};
use std::collections::BTreeSet;

fn zone(id: i64, kind: &str, code: &str, parent: Option<&str>, population: f64) -> ZoneInput {
    ZoneInput {
        id,
        kind: kind.into(),
        code: code.into(),
        name: format!("{kind} {code}"),
        parent_code: parent.map(Into::into),
        population: Some(population),
        population_vintage: Some(2021),
    }
}

fn at(who: &str, profession: &str, zones: &[i64], birth_year: Option<i64>) -> Supply {
    Supply {
        who: who.into(),
        profession: profession.into(),
        zones: zones.iter().copied().collect::<BTreeSet<_>>(),
        birth_year,
    }
}

/// A commune (id 1, 20,000 inhabitants) of two IRIS (ids 2 and 3), one of which holds a QPV (id 4, 4,000).
fn town(supply: Vec<Supply>) -> Inputs {
    Inputs {
        references: Vec::new(),
        zones: vec![
            zone(1, "commune", "99001", None, 20_000.0),
            zone(2, "iris", "990010101", Some("99001"), 12_000.0),
            zone(3, "iris", "990010102", Some("99001"), 8_000.0),
            zone(4, "qpv", "QN00001A", Some("99001"), 4_000.0),
        ],
        supply,
        reference_year: 2026,
    }
}

fn find<'a>(
    rows: &'a [IndicatorRow],
    indicator: Indicator,
    code: &str,
    profession: &str,
) -> &'a IndicatorRow {
    rows.iter()
        .find(|r| r.indicator == indicator && r.zone_code == code && r.profession == profession)
        .unwrap_or_else(|| panic!("{indicator:?} {code} {profession}"))
}

fn gps(n_rest: usize, n_qpv: usize) -> Vec<Supply> {
    let mut v = Vec::new();
    for i in 0..n_rest {
        v.push(at(
            &format!("R{i}"),
            "medecin_generaliste",
            &[1, 2],
            Some(1960 + i as i64),
        ));
    }
    for i in 0..n_qpv {
        v.push(at(
            &format!("Q{i}"),
            "medecin_generaliste",
            &[1, 3, 4],
            None,
        ));
    }
    v
}

#[test]
fn counts_and_densities() {
    let mut supply = gps(14, 2);
    // One GP with two sites in the commune counts once in the commune, once in each IRIS.
    supply.push(at("R0", "medecin_generaliste", &[1, 3], Some(1960)));
    let rows = compute(&town(supply));
    assert_eq!(
        find(&rows, Indicator::Count, "99001", "medecin_generaliste").value,
        Some(16.0)
    );
    assert_eq!(
        find(&rows, Indicator::Per10k, "99001", "medecin_generaliste").value,
        Some(8.0)
    );
    assert_eq!(
        find(&rows, Indicator::Per100k, "99001", "medecin_generaliste").value,
        Some(80.0)
    );
    assert_eq!(
        find(&rows, Indicator::Count, "990010102", "medecin_generaliste").value,
        Some(3.0)
    );
    assert_eq!(
        find(&rows, Indicator::Count, "99001", "infirmier").value,
        Some(0.0)
    );
}

#[test]
fn qpv_against_the_rest_of_the_commune() {
    let rows = compute(&town(gps(14, 2)));
    // QPV: 2 GPs for 4,000 → 5 per 10,000; rest: 14 for 16,000 → 8.75; ratio 5 / 8.75.
    assert_eq!(
        find(&rows, Indicator::QpvPer10k, "99001", "medecin_generaliste").value,
        Some(5.0)
    );
    assert_eq!(
        find(&rows, Indicator::RestPer10k, "99001", "medecin_generaliste").value,
        Some(8.75)
    );
    let ratio = find(&rows, Indicator::QpvRatio, "99001", "medecin_generaliste")
        .value
        .unwrap();
    assert!((ratio - 5.0 / 8.75).abs() < 1e-12);
}

#[test]
fn share_of_gps_aged_60_and_over() {
    // 14 GPs of known age born 1960..1973: in 2026, those born up to 1966 are 60 or over (7 of 14).
    let rows = compute(&town(gps(14, 2)));
    let share = find(
        &rows,
        Indicator::Gp60PlusShare,
        "99001",
        "medecin_generaliste",
    );
    assert_eq!(
        (share.numerator, share.denominator, share.value),
        (Some(7.0), Some(14.0), Some(50.0))
    );
}

#[test]
fn zones_without_population_have_no_density() {
    let mut inputs = town(gps(3, 0));
    inputs.zones[1].population = None;
    let rows = compute(&inputs);
    assert_eq!(
        find(&rows, Indicator::Per10k, "990010101", "medecin_generaliste").value,
        None
    );
    assert_eq!(
        find(&rows, Indicator::Count, "990010101", "medecin_generaliste").value,
        Some(3.0)
    );
}

#[test]
fn small_counts_are_hidden_and_cannot_be_recomputed() {
    // IRIS 1: 14 GPs, IRIS 2: 2 GPs (small). The commune shows 16, so hiding IRIS 2 alone would let anyone
    // compute it as 16 - 14: the smallest other IRIS is hidden too.
    let mut rows = compute(&town(gps(14, 2)));
    suppress(&mut rows, 5);
    let iris2 = find(&rows, Indicator::Count, "990010102", "medecin_generaliste");
    assert!(iris2.suppressed && iris2.value.is_none() && iris2.numerator.is_none());
    assert!(
        find(&rows, Indicator::Count, "990010101", "medecin_generaliste").suppressed,
        "secondary suppression"
    );
    assert!(
        find(&rows, Indicator::Per10k, "990010102", "medecin_generaliste").suppressed,
        "densities go with counts"
    );
    assert!(
        !find(&rows, Indicator::Count, "99001", "medecin_generaliste").suppressed,
        "the total is shown"
    );
    // QPV (2) and rest (14) add up to the commune: both hidden, and their ratio.
    assert!(find(&rows, Indicator::QpvPer10k, "99001", "medecin_generaliste").suppressed);
    assert!(find(&rows, Indicator::RestPer10k, "99001", "medecin_generaliste").suppressed);
    assert!(find(&rows, Indicator::QpvRatio, "99001", "medecin_generaliste").suppressed);
    // Zeros are not secret.
    assert!(!find(&rows, Indicator::Count, "990010101", "infirmier").suppressed);
}

#[test]
fn shares_that_would_tell_ages_are_hidden() {
    // 3 GPs of known age: below the threshold, hidden.
    let mut rows = compute(&town(gps(3, 0)));
    suppress(&mut rows, 5);
    assert!(
        find(
            &rows,
            Indicator::Gp60PlusShare,
            "99001",
            "medecin_generaliste"
        )
        .suppressed
    );
    // 14 known, 7 old: shown.
    let mut rows = compute(&town(gps(14, 0)));
    suppress(&mut rows, 5);
    assert!(
        !find(
            &rows,
            Indicator::Gp60PlusShare,
            "99001",
            "medecin_generaliste"
        )
        .suppressed
    );
}

#[test]
fn the_threshold_is_a_setting() {
    let mut rows = compute(&town(gps(14, 8)));
    suppress(&mut rows, 10);
    assert!(
        find(&rows, Indicator::Count, "990010102", "medecin_generaliste").suppressed,
        "8 < 10"
    );
    let mut rows = compute(&town(gps(14, 8)));
    suppress(&mut rows, 5);
    assert!(
        !find(&rows, Indicator::Count, "990010102", "medecin_generaliste").suppressed,
        "8 ≥ 5"
    );
}

/// Départements and France come pre-counted: the same count and densities as any zone, on their own
/// population, and never hidden by local secrecy (they are national public counts).
#[test]
fn reference_zones_get_the_same_densities_and_no_local_secrecy() {
    let mut inputs = town(vec![]);
    let reference =
        |kind: &str, code: &str, population: f64, gps: f64| maillage_indicators::ReferenceZone {
            zone: ZoneInput {
                id: -1,
                kind: kind.into(),
                code: code.into(),
                name: code.into(),
                parent_code: None,
                population: Some(population),
                population_vintage: Some(2023),
            },
            counts: [("medecin_generaliste".to_string(), gps)]
                .into_iter()
                .collect(),
        };
    inputs.references = vec![
        reference("departement", "86", 437_000.0, 3.0),
        reference("france", "FR", 68_000_000.0, 99_000.0),
    ];
    let mut rows = compute(&inputs);
    suppress(&mut rows, 5);
    let find = |i: Indicator, code: &str| {
        rows.iter()
            .find(|r| {
                r.indicator == i && r.zone_code == code && r.profession == "medecin_generaliste"
            })
            .unwrap()
    };
    assert_eq!(find(Indicator::Count, "86").value, Some(3.0));
    assert!(
        !find(Indicator::Count, "86").suppressed,
        "a national count of 3 stays shown"
    );
    assert_eq!(
        find(Indicator::Per100k, "FR").value,
        Some(99_000.0 / 68_000_000.0 * 1e5)
    );
    assert_eq!(find(Indicator::Per10k, "86").population_vintage, Some(2023));
    // A profession the sources did not count gets no row.
    assert!(
        !rows
            .iter()
            .any(|r| r.zone_code == "FR" && r.profession == "infirmier")
    );
}

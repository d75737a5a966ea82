//! Indicators on hand-computed cases, and statistical secrecy (primary and secondary suppression).

use maillage_indicators::{
    Indicator, IndicatorRow, Inputs, Nesting, Policy, Secret, Supply, ZoneInput, compute, suppress,
};
use maillage_testkit::secrecy::{Lcg, attack, narrow};
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
        buffer: false,
    }
}

fn nest(pairs: &[(i64, i64)]) -> Vec<Nesting> {
    pairs
        .iter()
        .map(|&(inner, outer)| Nesting { inner, outer })
        .collect()
}

/// Computes and applies secrecy at a threshold, as every output does.
fn published(inputs: &Inputs, threshold: u32) -> Vec<IndicatorRow> {
    let mut rows = compute(inputs);
    let audit = suppress(&mut rows, inputs, &Policy::new(threshold));
    assert!(audit.passes(), "{:?}", audit.failures().collect::<Vec<_>>());
    rows
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
        nesting: nest(&[(2, 1), (3, 1), (4, 1)]),
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
    let rows = published(&town(gps(14, 2)), 5);
    let iris2 = find(&rows, Indicator::Count, "990010102", "medecin_generaliste");
    assert!(iris2.is_secret() && iris2.value.is_none() && iris2.numerator.is_none());
    assert!(
        find(&rows, Indicator::Count, "990010101", "medecin_generaliste").is_secret(),
        "secondary suppression"
    );
    assert!(
        find(&rows, Indicator::Per10k, "990010102", "medecin_generaliste").is_secret(),
        "densities go with counts"
    );
    assert!(
        !find(&rows, Indicator::Count, "99001", "medecin_generaliste").is_secret(),
        "the total is shown"
    );
    // QPV (2) and rest (14) add up to the commune: both hidden, and their ratio.
    assert!(find(&rows, Indicator::QpvPer10k, "99001", "medecin_generaliste").is_secret());
    assert!(find(&rows, Indicator::RestPer10k, "99001", "medecin_generaliste").is_secret());
    assert!(find(&rows, Indicator::QpvRatio, "99001", "medecin_generaliste").is_secret());
    // Zeros read "< 5" like the other small counts.
    let zero = find(&rows, Indicator::Count, "990010101", "infirmier");
    assert_eq!(zero.secret, Some(Secret::Threshold));
    assert_eq!(zero.secret_text(5).as_deref(), Some("< 5"));
}

#[test]
fn shares_that_would_tell_ages_are_hidden() {
    // 3 GPs of known age: below the threshold, hidden.
    let rows = published(&town(gps(3, 0)), 5);
    assert!(
        find(
            &rows,
            Indicator::Gp60PlusShare,
            "99001",
            "medecin_generaliste"
        )
        .is_secret()
    );
    // 14 known, 7 old: shown.
    let rows = published(&town(gps(14, 0)), 5);
    assert!(
        !find(
            &rows,
            Indicator::Gp60PlusShare,
            "99001",
            "medecin_generaliste"
        )
        .is_secret()
    );
}

#[test]
fn the_threshold_is_a_setting() {
    let rows = published(&town(gps(14, 8)), 10);
    assert!(
        find(&rows, Indicator::Count, "990010102", "medecin_generaliste").is_secret(),
        "8 < 10"
    );
    // (It may still be hidden to protect another cell: here the GPs of known age, none in that IRIS.)
    let rows = published(&town(gps(14, 8)), 5);
    assert_ne!(
        find(&rows, Indicator::Count, "990010102", "medecin_generaliste").secret,
        Some(Secret::Threshold),
        "8 ≥ 5"
    );
}

#[test]
fn hidden_cells_say_why() {
    let rows = published(&town(gps(14, 2)), 5);
    let small = find(&rows, Indicator::Count, "990010102", "medecin_generaliste");
    assert_eq!(small.secret, Some(Secret::Threshold));
    assert_eq!(small.secret_text(5).as_deref(), Some("< 5"));
    // 14 GPs, hidden to protect the 2: never "< 5".
    let other = find(&rows, Indicator::Count, "990010101", "medecin_generaliste");
    assert_eq!(other.secret, Some(Secret::Secondary));
    assert_eq!(other.secret_text(5).as_deref(), Some("secret"));
    assert_eq!(other.secret_mark(5).as_deref(), Some("s"));
    // A density of a small count is not "< 5" either, though it is hidden for the same reason.
    let density = find(
        &rows,
        Indicator::Per100k,
        "990010102",
        "medecin_generaliste",
    );
    assert_eq!(density.secret, Some(Secret::Threshold));
    assert_eq!(density.secret_text(5).as_deref(), Some("secret"));
    assert!(density.value.is_none() && density.numerator.is_none());
    assert_eq!(
        density.denominator,
        Some(8_000.0),
        "the population is published"
    );
}

/// Two communes (ids 1 and 2) in an EPCI (id 10), itself the territory (id 20) with a third commune (id 3)
/// outside any EPCI; commune 1 has two IRIS (ids 4 and 5).
fn intercommunality(supply: Vec<Supply>) -> Inputs {
    Inputs {
        zones: vec![
            zone(1, "commune", "99001", Some("200000001"), 20_000.0),
            zone(2, "commune", "99002", Some("200000001"), 5_000.0),
            zone(3, "commune", "99003", None, 2_000.0),
            zone(4, "iris", "990010101", Some("99001"), 12_000.0),
            zone(5, "iris", "990010102", Some("99001"), 8_000.0),
            zone(10, "epci", "200000001", None, 25_000.0),
            zone(20, "territoire", "T", None, 27_000.0),
        ],
        nesting: nest(&[(1, 10), (2, 10), (10, 20), (3, 20), (4, 1), (5, 1)]),
        supply,
        reference_year: 2026,
        references: Vec::new(),
    }
}

fn located(prefix: &str, n: usize, profession: &str, zones: &[i64]) -> Vec<Supply> {
    (0..n)
        .map(|i| at(&format!("{prefix}{i}"), profession, zones, None))
        .collect()
}

#[test]
fn an_epci_and_the_territory_are_the_sums_of_their_communes() {
    // Places are located in communes (and IRIS) only, as the store locates them: nothing is in an EPCI.
    let mut supply = located("A", 20, "medecin_generaliste", &[1, 4]);
    supply.extend(located("B", 12, "medecin_generaliste", &[2]));
    supply.extend(located("C", 6, "medecin_generaliste", &[3]));
    // A GP with a site in two communes of the EPCI counts once in it.
    supply.push(at("A0", "medecin_generaliste", &[2], None));
    supply.extend(located("N", 24, "infirmier", &[2]));
    let rows = compute(&intercommunality(supply));
    let count = |code: &str, p: &str| find(&rows, Indicator::Count, code, p).value;
    assert_eq!(count("99001", "medecin_generaliste"), Some(20.0));
    assert_eq!(count("99002", "medecin_generaliste"), Some(13.0));
    assert_eq!(count("200000001", "medecin_generaliste"), Some(32.0));
    assert_eq!(count("T", "medecin_generaliste"), Some(38.0));
    assert_eq!(count("200000001", "infirmier"), Some(24.0));
    assert_eq!(
        find(
            &rows,
            Indicator::Per100k,
            "200000001",
            "medecin_generaliste"
        )
        .value,
        Some(32.0 / 25_000.0 * 1e5)
    );
}

#[test]
fn a_hidden_commune_cannot_be_recovered_from_its_epci() {
    // EPCI: 20 + 4 = 24 GPs; the 4 are hidden, and so must be something else than the 20 alone.
    let mut supply = located("A", 20, "medecin_generaliste", &[1, 4]);
    supply.extend(located("B", 4, "medecin_generaliste", &[2]));
    supply.extend(located("C", 9, "medecin_generaliste", &[3]));
    let inputs = intercommunality(supply);
    let truth = compute(&inputs);
    let rows = published(&inputs, 5);
    assert_eq!(
        find(&rows, Indicator::Count, "99002", "medecin_generaliste").secret,
        Some(Secret::Threshold)
    );
    assert_eq!(attack(&rows, &truth, &inputs), Vec::<String>::new());
}

#[test]
fn two_small_cells_that_add_up_below_the_threshold_get_a_third() {
    // IRIS of 3 and 1 GPs in a commune of 24: hiding both still tells their sum (4), below 5, so the audit
    // asks for one more cell.
    let mut supply = located("A", 20, "medecin_generaliste", &[1]);
    supply.extend(located("B", 3, "medecin_generaliste", &[1, 4]));
    supply.extend(located("C", 1, "medecin_generaliste", &[1, 5]));
    let mut inputs = intercommunality(supply);
    inputs
        .zones
        .push(zone(6, "iris", "990010103", Some("99001"), 1_000.0));
    inputs.nesting.push(Nesting { inner: 6, outer: 1 });
    for s in inputs.supply.iter_mut().filter(|s| s.who.starts_with('A')) {
        s.zones.insert(6);
    }
    let truth = compute(&inputs);
    let rows = published(&inputs, 5);
    assert_eq!(
        find(&rows, Indicator::Count, "990010103", "medecin_generaliste").secret,
        Some(Secret::Secondary)
    );
    assert_eq!(attack(&rows, &truth, &inputs), Vec::<String>::new());
}

/// Territories of random shape and supply: EPCI of communes of IRIS, some with a QPV, small counts
/// everywhere; professionals sometimes with two sites.
fn random_territory(seed: u64) -> Inputs {
    let mut rng = Lcg(seed);
    let mut zones = vec![zone(1, "territoire", "T", None, 0.0)];
    let mut nesting = Vec::new();
    let mut supply = Vec::new();
    let mut next = 2;
    let mut iris_of: Vec<(i64, Vec<i64>, Option<i64>)> = Vec::new();
    for e in 0..1 + rng.below(2) {
        let epci = next;
        next += 1;
        zones.push(zone(epci, "epci", &format!("2000000{e:02}"), None, 0.0));
        nesting.push(Nesting {
            inner: epci,
            outer: 1,
        });
        for c in 0..1 + rng.below(4) {
            let commune = next;
            next += 1;
            let ccode = format!("9{e}{c:03}");
            zones.push(zone(commune, "commune", &ccode, None, 10_000.0));
            nesting.push(Nesting {
                inner: commune,
                outer: epci,
            });
            let mut iris = Vec::new();
            for i in 0..rng.below(4) {
                zones.push(zone(
                    next,
                    "iris",
                    &format!("{ccode}{i:04}"),
                    Some(&ccode),
                    3_000.0,
                ));
                nesting.push(Nesting {
                    inner: next,
                    outer: commune,
                });
                iris.push(next);
                next += 1;
            }
            let qpv = (rng.below(3) == 0 && !iris.is_empty()).then(|| {
                zones.push(zone(
                    next,
                    "qpv",
                    &format!("QN{ccode}"),
                    Some(&ccode),
                    1_500.0,
                ));
                nesting.push(Nesting {
                    inner: next,
                    outer: commune,
                });
                next += 1;
                next - 1
            });
            iris_of.push((commune, iris, qpv));
        }
    }
    for (p, profession) in ["medecin_generaliste", "infirmier", "sage_femme"]
        .iter()
        .enumerate()
    {
        for (commune, iris, qpv) in &iris_of {
            for k in 0..rng.below(if p == 0 { 30 } else { 9 }) {
                let mut at_zones = vec![*commune];
                if !iris.is_empty() {
                    let i = iris[rng.below(iris.len() as u64) as usize];
                    at_zones.push(i);
                    if qpv.is_some() && i == iris[0] {
                        at_zones.push(qpv.unwrap());
                    }
                }
                let who = format!("{profession}-{commune}-{k}");
                supply.push(at(&who, profession, &at_zones, None));
                if rng.below(8) == 0 && iris.len() > 1 {
                    // a second site in another IRIS of the commune
                    supply.push(at(&who, profession, &[*commune, iris[1]], None));
                }
            }
        }
    }
    Inputs {
        zones,
        nesting,
        supply,
        reference_year: 2026,
        references: Vec::new(),
    }
}

#[test]
fn no_random_table_leaks_a_hidden_cell() {
    for seed in 0..200 {
        let inputs = random_territory(seed);
        let truth = compute(&inputs);
        let rows = published(&inputs, 5);
        assert_eq!(
            attack(&rows, &truth, &inputs),
            Vec::<String>::new(),
            "seed {seed}"
        );
        assert_eq!(
            narrow(&rows, &truth, &inputs, 5),
            Vec::<String>::new(),
            "seed {seed}"
        );
        // Whatever is hidden, its densities are hidden too, and what is shown is the truth.
        for (r, t) in rows.iter().zip(&truth) {
            if r.is_secret() {
                assert!(
                    r.value.is_none() && r.numerator.is_none(),
                    "seed {seed}: {r:?}"
                );
            } else {
                assert_eq!(r.value, t.value, "seed {seed}");
            }
            if r.indicator == Indicator::Count {
                // Every count below the threshold, zero included, reads "< 5"; none above.
                assert_eq!(
                    r.secret == Some(Secret::Threshold),
                    t.value.is_some_and(|v| v < 5.0),
                    "seed {seed}: {t:?}"
                );
            }
        }
        let hidden_counts: BTreeSet<(&str, &str)> = rows
            .iter()
            .filter(|r| r.indicator == Indicator::Count && r.is_secret())
            .map(|r| (r.zone_code.as_str(), r.profession.as_str()))
            .collect();
        for r in rows.iter().filter(|r| r.indicator == Indicator::Per10k) {
            assert_eq!(
                r.is_secret(),
                hidden_counts.contains(&(r.zone_code.as_str(), r.profession.as_str())),
                "seed {seed}"
            );
        }
    }
}

#[test]
fn the_audit_reports_every_protected_cell_with_its_interval() {
    let mut supply = located("A", 20, "medecin_generaliste", &[1, 4]);
    supply.extend(located("B", 4, "medecin_generaliste", &[2]));
    supply.extend(located("C", 9, "medecin_generaliste", &[3]));
    let inputs = intercommunality(supply);
    let mut rows = compute(&inputs);
    let audit = suppress(&mut rows, &inputs, &Policy::new(5));
    let check = audit
        .checks
        .iter()
        .find(|c| c.zone_code == "99002" && c.profession == "medecin_generaliste")
        .expect("the commune of 4 is checked");
    assert!(check.protected && check.lower == 0.0);
    // It reads "< 5": a reader knows it is at most 4, and can narrow it no further.
    assert_eq!(check.upper, Some(4.0), "{check:?}");
    // A stricter protection hides more, and still passes.
    let mut strict = compute(&inputs);
    let policy = Policy {
        threshold: 5,
        protection: 15.0,
    };
    let audit = suppress(&mut strict, &inputs, &policy);
    assert!(audit.passes());
    let hidden = |rows: &[IndicatorRow]| rows.iter().filter(|r| r.is_secret()).count();
    assert!(hidden(&strict) >= hidden(&rows));
}

#[test]
fn the_attacker_recovers_what_primary_secrecy_alone_would_leave() {
    // The same table with only the small counts blanked: the reader's subtractions find them.
    let mut supply = located("A", 20, "medecin_generaliste", &[1, 4]);
    supply.extend(located("B", 4, "medecin_generaliste", &[2]));
    supply.extend(located("C", 9, "medecin_generaliste", &[3]));
    let inputs = intercommunality(supply);
    let truth = compute(&inputs);
    let mut naive = truth.clone();
    for r in naive.iter_mut() {
        if r.indicator == Indicator::Count && r.value.is_some_and(|v| v > 0.0 && v < 5.0) {
            r.value = None;
            r.numerator = None;
        }
    }
    assert_eq!(
        attack(&naive, &truth, &inputs),
        vec![r#"("effectif", "99002", "medecin_generaliste") = 4"#.to_string()]
    );
}

/// A commune of 17 GPs in three IRIS: 10, 3 and 4; and no nurse in the first IRIS.
fn seventeen_gps() -> Inputs {
    let mut supply = located("A", 10, "medecin_generaliste", &[1, 4]);
    supply.extend(located("B", 3, "medecin_generaliste", &[1, 5]));
    supply.extend(located("C", 4, "medecin_generaliste", &[1, 6]));
    supply.extend(located("N", 7, "infirmier", &[1, 5]));
    let mut inputs = intercommunality(supply);
    inputs
        .zones
        .push(zone(6, "iris", "990010103", Some("99001"), 1_000.0));
    inputs.nesting.push(Nesting { inner: 6, outer: 1 });
    inputs
}

#[test]
fn published_zeros_would_let_a_reader_narrow_every_small_count() {
    // The rule before: the same table, its zeros shown. A reader then knows a "< 5" is not 0, so at least 1.
    let inputs = seventeen_gps();
    let truth = compute(&inputs);
    let mut with_zeros = published(&inputs, 5);
    for (r, t) in with_zeros.iter_mut().zip(&truth) {
        if r.indicator == Indicator::Count && t.value == Some(0.0) {
            *r = t.clone();
        }
    }
    // With communes 2 and 3 shown at 0, the commune of 17 is known again, and so are both small IRIS to 3..=4.
    let narrowed = narrow(&with_zeros, &truth, &inputs, 5);
    for iris in ["990010102", "990010103"] {
        assert!(
            narrowed
                .iter()
                .any(|n| n.contains(&format!(r#""{iris}", "medecin_generaliste") in 3"#))),
            "{narrowed:?}"
        );
    }
    // As published now, the zeros read "< 5" too: the reader narrows nothing.
    let rows = published(&inputs, 5);
    let nurses = find(&rows, Indicator::Count, "990010101", "infirmier");
    assert_eq!(nurses.secret_text(5).as_deref(), Some("< 5"));
    assert!(
        rows.iter()
            .filter(|r| r.indicator == Indicator::Count && r.zone_kind != "departement")
            .all(|r| r.value.is_none_or(|v| v >= 5.0)),
        "no count below 5 is published, zero included"
    );
    assert_eq!(narrow(&rows, &truth, &inputs, 5), Vec::<String>::new());
}

#[test]
fn two_small_counts_are_not_bounded_by_their_marks() {
    // 17 = 10 + "< 5" + "< 5": the two hidden IRIS add up to 7, and as each reads "< 5" (at most 4), each
    // would be at least 3. The audit knows what "< 5" tells, and hides one more cell.
    let mut inputs = seventeen_gps();
    inputs
        .supply
        .extend(located("D", 6, "medecin_generaliste", &[2]));
    inputs
        .supply
        .extend(located("E", 7, "medecin_generaliste", &[3]));
    let truth = compute(&inputs);
    let rows = published(&inputs, 5);
    assert_eq!(
        find(&rows, Indicator::Count, "990010102", "medecin_generaliste").secret,
        Some(Secret::Threshold)
    );
    assert_eq!(
        find(&rows, Indicator::Count, "990010103", "medecin_generaliste").secret,
        Some(Secret::Threshold)
    );
    assert!(
        find(&rows, Indicator::Count, "99001", "medecin_generaliste").is_secret()
            || find(&rows, Indicator::Count, "990010101", "medecin_generaliste").is_secret(),
        "one more cell is hidden"
    );
    assert_eq!(narrow(&rows, &truth, &inputs, 5), Vec::<String>::new());
    assert_eq!(attack(&rows, &truth, &inputs), Vec::<String>::new());
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
                buffer: false,
            },
            counts: [("medecin_generaliste".to_string(), gps)]
                .into_iter()
                .collect(),
        };
    inputs.references = vec![
        reference("departement", "86", 437_000.0, 3.0),
        reference("france", "FR", 68_000_000.0, 99_000.0),
    ];
    let rows = published(&inputs, 5);
    let find = |i: Indicator, code: &str| {
        rows.iter()
            .find(|r| {
                r.indicator == i && r.zone_code == code && r.profession == "medecin_generaliste"
            })
            .unwrap()
    };
    assert_eq!(find(Indicator::Count, "86").value, Some(3.0));
    assert!(
        !find(Indicator::Count, "86").is_secret(),
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

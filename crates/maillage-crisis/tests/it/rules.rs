//! The crisis rules on worked cases: eligibility to the register, splitting call lists, matching volunteers,
//! delivery rounds, and clusters over time with the 7-day threshold and the 14-day activity rule.

use jiff::ToSpan;
use jiff::civil::{Date, date};
use maillage_crisis::calls::{ToCall, split};
use maillage_crisis::clusters::{self, ClusterStatus, Rules, State, episodes, state_on, status_on};
use maillage_crisis::register::{self, Basis, RegistrationForm, check_eligibility};
use maillage_crisis::volunteers::{Request, Skill, Volunteer, order_round, rank};
use maillage_crisis::{CrisisError, Ineligibility};
use std::collections::{BTreeMap, BTreeSet};

#[test]
fn eligibility_follows_r121_2() {
    let on = date(2026, 7, 1);
    // 65 or more at home.
    assert_eq!(
        check_eligibility(Basis::Age65, date(1961, 7, 1), true, on),
        Ok(())
    );
    assert_eq!(
        check_eligibility(Basis::Age65, date(1961, 7, 2), true, on),
        Err(Ineligibility::TooYoung {
            age: 64,
            required: 65
        })
    );
    // 60 or more, unfit for work.
    assert_eq!(
        check_eligibility(Basis::Inapte60, date(1966, 6, 30), true, on),
        Ok(())
    );
    assert_eq!(
        check_eligibility(Basis::Inapte60, date(1967, 1, 1), true, on),
        Err(Ineligibility::TooYoung {
            age: 59,
            required: 60
        })
    );
    // Disabled adults: from 18.
    assert_eq!(
        check_eligibility(Basis::AdulteHandicape, date(2008, 7, 1), true, on),
        Ok(())
    );
    assert_eq!(
        check_eligibility(Basis::AdulteHandicape, date(2008, 7, 2), true, on),
        Err(Ineligibility::TooYoung {
            age: 17,
            required: 18
        })
    );
    // Whatever the age, only people living at home.
    assert_eq!(
        check_eligibility(Basis::Age65, date(1930, 1, 1), false, on),
        Err(Ineligibility::NotAtHome)
    );
    assert_eq!(
        check_eligibility(Basis::Age65, date(2027, 1, 1), true, on),
        Err(Ineligibility::BornAfterRequest)
    );
}

fn form() -> RegistrationForm {
    RegistrationForm {
        last_name: "Lefèvre".into(),
        first_name: "Jeanne".into(),
        birth_date: "1938-04-12".into(),
        address: "4 rue des Tilleuls, 99100 Bellerive".into(),
        phone: "01 99 00 12 34".into(),
        basis: "age_65".into(),
        living_at_home: true,
        requester: "personne".into(),
        requested_on: "2026-06-02".into(),
        ..Default::default()
    }
}

#[test]
fn a_registration_keeps_only_the_fields_the_law_allows_and_checks_them() {
    let today = date(2026, 6, 10);
    let r = register::validate(&form(), today).unwrap();
    assert_eq!(r.birth_date, date(1938, 4, 12));
    assert_eq!(r.phone.as_deref(), Some("01 99 00 12 34"));
    assert_eq!(r.requested_on, date(2026, 6, 2));
    assert_eq!(
        register::acknowledgement_due(r.requested_on),
        date(2026, 6, 10)
    );

    // A third party's request: the person must have been informed, and may refuse.
    let mut f = form();
    f.requester = "voisin".into();
    assert_eq!(
        register::validate(&f, today),
        Err(CrisisError::PersonNotInformed)
    );
    f.informed_on = "2026-06-03".into();
    assert!(register::validate(&f, today).is_ok());
    f.refused = true;
    assert_eq!(
        register::validate(&f, today),
        Err(CrisisError::PersonRefused)
    );

    // Ineligible: said without quoting the date of birth.
    let mut f = form();
    f.birth_date = "1970-01-01".into();
    let e = register::validate(&f, today).unwrap_err();
    assert_eq!(
        e,
        CrisisError::NotEligible(Ineligibility::TooYoung {
            age: 56,
            required: 65
        })
    );
    assert!(!e.to_string().contains("1970"));

    let mut f = form();
    f.basis = "riche".into();
    assert_eq!(
        register::validate(&f, today),
        Err(CrisisError::UnknownCode { field: "qualite" })
    );
    let mut f = form();
    f.requested_on = "2026-06-11".into();
    assert!(matches!(
        register::validate(&f, today),
        Err(CrisisError::Field(
            maillage_crisis::FieldError::InvalidField {
                field: "date_demande",
                ..
            }
        ))
    ));
    let mut f = form();
    f.phone = "12".into();
    assert!(matches!(
        register::validate(&f, today),
        Err(CrisisError::Field(
            maillage_crisis::FieldError::InvalidField {
                field: "telephone",
                ..
            }
        ))
    ));
}

#[test]
fn call_lists_are_balanced_sectors_with_every_person_exactly_once() {
    // 103 people on a ring around a centre, 7 without a position.
    let mut people: Vec<ToCall> = (0..96)
        .map(|i| {
            let a = i as f64 * std::f64::consts::TAU / 96.0;
            ToCall {
                id: 1000 + i,
                position: Some((0.34 + 0.02 * a.cos(), 46.58 + 0.014 * a.sin())),
            }
        })
        .collect();
    people.extend((0..7).map(|i| ToCall {
        id: 5000 + i,
        position: None,
    }));
    for callers in [1, 2, 5, 7, 103, 150] {
        let lists = split(&people, callers);
        assert_eq!(lists.len(), callers);
        let all: Vec<i64> = lists.iter().flatten().copied().collect();
        let unique: BTreeSet<i64> = all.iter().copied().collect();
        assert_eq!(all.len(), people.len(), "{callers} callers: everyone once");
        assert_eq!(
            unique.len(),
            people.len(),
            "{callers} callers: nobody twice"
        );
        let sizes: Vec<usize> = lists.iter().map(Vec::len).collect();
        assert!(
            sizes.iter().max().unwrap() - sizes.iter().min().unwrap() <= 1,
            "{sizes:?}"
        );
    }
    // With 4 callers and only located people, each list is one quarter of the ring: consecutive angles.
    let ring: Vec<ToCall> = people[..96].to_vec();
    let lists = split(&ring, 4);
    for list in &lists {
        let mut idx: Vec<i64> = list.iter().map(|id| id - 1000).collect();
        idx.sort_unstable();
        // Contiguous modulo the ring: at most one gap.
        let gaps = idx.windows(2).filter(|w| w[1] - w[0] != 1).count();
        assert!(gaps <= 1, "sector {idx:?}");
        assert_eq!(idx.len(), 24);
    }
    // Deterministic.
    assert_eq!(split(&people, 5), split(&people, 5));
    assert!(split(&people, 0).is_empty());
}

fn volunteer(
    id: i64,
    skills: &[Skill],
    days: &[u8],
    position: Option<(f64, f64)>,
    radius_km: f64,
) -> Volunteer {
    Volunteer {
        id,
        skills: skills.iter().copied().collect(),
        days: days.iter().copied().collect(),
        position,
        radius_km,
        active: true,
        open_tasks: 0,
    }
}

#[test]
fn volunteers_are_matched_by_skill_day_and_distance() {
    let home = (0.3400, 46.5800);
    // 0.01° of latitude is about 1.1 km.
    let near = (0.3400, 46.5810);
    let mid = (0.3400, 46.5900);
    let far = (0.3400, 46.6300);
    let mut vs = vec![
        volunteer(1, &[Skill::Courses], &[], Some(mid), 3.0),
        volunteer(2, &[Skill::Courses, Skill::Repas], &[], Some(near), 3.0),
        volunteer(3, &[Skill::Courses], &[], Some(far), 3.0), // 5.6 km: beyond their radius
        volunteer(4, &[Skill::Medicaments], &[], Some(near), 3.0), // wrong skill
        volunteer(5, &[Skill::Courses], &[5, 6], Some(near), 3.0), // week-ends only
        volunteer(6, &[Skill::Courses], &[], None, 3.0),      // place unknown: kept, last
    ];
    vs.push(Volunteer {
        active: false,
        ..volunteer(7, &[Skill::Courses], &[], Some(near), 3.0)
    });
    // A Wednesday.
    let req = Request {
        kind: Skill::Courses,
        position: Some(home),
        needed_on: Some(date(2026, 7, 1)),
    };
    let ids: Vec<i64> = rank(&req, &vs).iter().map(|c| c.volunteer).collect();
    assert_eq!(ids, vec![2, 1, 6]);
    let c = &rank(&req, &vs)[0];
    assert!((c.distance_km.unwrap() - 0.111).abs() < 0.01);
    // On a Saturday, the week-end volunteer comes in.
    let sat = Request {
        needed_on: Some(date(2026, 7, 4)),
        ..req.clone()
    };
    assert_eq!(
        rank(&sat, &vs)
            .iter()
            .map(|c| c.volunteer)
            .collect::<Vec<_>>(),
        vec![2, 5, 1, 6]
    );
    // Same distance: the least busy first.
    vs[1].open_tasks = 2;
    vs[4].days.clear();
    assert_eq!(
        rank(&req, &vs)
            .iter()
            .map(|c| c.volunteer)
            .take(2)
            .collect::<Vec<_>>(),
        vec![5, 2]
    );
    // A company call ignores distance.
    let call = Request {
        kind: Skill::Convivialite,
        position: Some(home),
        needed_on: None,
    };
    let phone = vec![volunteer(9, &[Skill::Convivialite], &[], Some(far), 0.5)];
    assert_eq!(rank(&call, &phone).len(), 1);
}

#[test]
fn rounds_visit_the_nearest_stop_next() {
    let depot = (0.0, 0.0);
    let stops = [
        (10, Some((0.0, 0.03))),
        (11, Some((0.0, 0.01))),
        (12, None),
        (13, Some((0.0, 0.02))),
    ];
    let (order, km) = order_round(depot, &stops);
    assert_eq!(order, vec![11, 13, 10, 12]);
    assert!((km - 3.0 * 1.1119).abs() < 0.01, "{km}");
}

fn d(day: i64) -> Date {
    date(2026, 9, 1).checked_add(day.days()).unwrap()
}

fn counts(list: &[(i64, u32)]) -> BTreeMap<Date, u32> {
    list.iter().map(|(k, n)| (d(*k), *n)).collect()
}

#[test]
fn a_cluster_needs_the_threshold_within_seven_days() {
    let rules = Rules::default();
    // 2 cases on day 0 and 1 on day 6: 3 within 7 days (days 0..=6).
    let c = counts(&[(0, 2), (6, 1)]);
    let e = episodes(&c, &rules);
    assert_eq!(e.len(), 1);
    assert_eq!(
        (e[0].first_case, e[0].detected_on, e[0].cases),
        (d(0), d(6), 3)
    );
    // One day later is outside the window: no cluster.
    let c = counts(&[(0, 2), (7, 1)]);
    assert!(episodes(&c, &rules).is_empty());
    assert_eq!(state_on(&c, d(7), &rules), State::Surveillance { cases: 3 });
    // The threshold is a setting: with "plus de trois" (4), 3 cases are not a cluster.
    let strict = Rules {
        threshold: 4,
        ..rules
    };
    assert!(episodes(&counts(&[(0, 2), (6, 1)]), &strict).is_empty());
    assert_eq!(episodes(&counts(&[(0, 2), (6, 2)]), &strict).len(), 1);
}

#[test]
fn a_cluster_stays_active_fourteen_days_after_its_last_case() {
    let rules = Rules::default();
    let c = counts(&[(0, 1), (1, 1), (2, 1), (10, 1)]);
    // Detected on day 2, last case day 10: active through day 23, closed from day 24.
    assert_eq!(state_on(&c, d(1), &rules), State::Surveillance { cases: 2 });
    let State::Actif(e) = state_on(&c, d(2), &rules) else {
        panic!("active on day 2")
    };
    assert_eq!((e.detected_on, e.last_case, e.cases), (d(2), d(2), 3));
    let State::Actif(e) = state_on(&c, d(23), &rules) else {
        panic!("active on day 23")
    };
    assert_eq!((e.last_case, e.closes_on, e.cases), (d(10), d(24), 4));
    let State::Clos(e) = state_on(&c, d(24), &rules) else {
        panic!("closed on day 24")
    };
    assert_eq!(e.closes_on, d(24));
    // Statuses: investigation by default, what the cell set during the episode, closed after.
    let manual = [
        (d(-30), ClusterStatus::Maitrise),
        (d(5), ClusterStatus::DiffusionCommunautaire),
    ];
    assert_eq!(
        status_on(&state_on(&c, d(3), &rules), &manual, d(3)),
        Some(ClusterStatus::EnInvestigation)
    );
    assert_eq!(
        status_on(&state_on(&c, d(6), &rules), &manual, d(6)),
        Some(ClusterStatus::DiffusionCommunautaire)
    );
    assert_eq!(
        status_on(&state_on(&c, d(30), &rules), &manual, d(30)),
        Some(ClusterStatus::Cloture)
    );
    assert_eq!(status_on(&State::Calme, &manual, d(30)), None);
    // Closure by hand is refused while a case is within the 14 days.
    assert_eq!(
        clusters::check_manual_status(&state_on(&c, d(20), &rules), ClusterStatus::Cloture),
        Err(CrisisError::ClusterStillActive { last_case: d(10) })
    );
    assert_eq!(
        clusters::check_manual_status(&State::Calme, ClusterStatus::Maitrise),
        Err(CrisisError::NoActiveCluster)
    );
    // The activity span is a setting too.
    let short = Rules {
        active_days: 7,
        ..rules
    };
    assert!(matches!(state_on(&c, d(17), &short), State::Clos(_)));
}

#[test]
fn a_new_run_of_cases_after_closure_is_a_new_episode() {
    let rules = Rules::default();
    let c = counts(&[(0, 3), (20, 1), (40, 1), (41, 2)]);
    let e = episodes(&c, &rules);
    // Day 0 (3 cases) closes on day 14; day 20 alone is below the threshold; days 40-41 make a second cluster.
    assert_eq!(e.len(), 2);
    assert_eq!((e[0].detected_on, e[0].closes_on), (d(0), d(14)));
    assert_eq!(
        (e[1].first_case, e[1].detected_on, e[1].cases),
        (d(40), d(41), 3)
    );
    assert_eq!(
        state_on(&c, d(25), &rules),
        State::Surveillance { cases: 1 }
    );
    assert!(matches!(state_on(&c, d(35), &rules), State::Clos(_)));
    assert!(matches!(state_on(&c, d(41), &rules), State::Actif(_)));
    // Cases of the closed episode never count towards the next one.
    let c = counts(&[(0, 3), (13, 1), (27, 2)]);
    let e = episodes(&c, &rules);
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!(e[0].last_case, d(13));
    assert!(rules.check().is_ok());
    assert!(
        Rules {
            threshold: 0,
            ..rules
        }
        .check()
        .is_err()
    );
}

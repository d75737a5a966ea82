use crate::common::{fixture, shared, temp_file};
use maillage_formats::FormatErrorKind;
use maillage_formats::spf::{self, SpfReader, ZoneLevel};

#[test]
fn si_dep_layouts() {
    let rows = spf::read_spf(fixture("spf/sp-pos-quot-dep-2021-03-01-19h20.csv")).unwrap();
    assert_eq!(rows.len(), 5);
    let all_ages = rows
        .iter()
        .find(|r| r.zone == "01" && r.cl_age90 == Some(0))
        .unwrap();
    assert_eq!(
        (all_ages.positives, all_ages.tests, all_ages.population),
        (Some(211.0), Some(7035.0), Some(656955.0))
    );
    assert_eq!(all_ages.jour, "2021-02-22");
    assert!(rows.iter().any(|r| r.zone == "2A") && rows.iter().any(|r| r.zone == "974"));
    let com = SpfReader::open(fixture("spf/sp-pos-quot-com-2021-03-01-19h20.csv")).unwrap();
    assert_eq!(com.level(), ZoneLevel::Commune);
    let rows: Vec<_> = com.collect::<Result<_, _>>().unwrap();
    assert_eq!(
        (rows[1].zone.as_str(), rows[1].positives, rows[1].tests),
        ("69266", None, None)
    );
}

#[test]
fn covid_dep_series() {
    for (file, n, indicator) in [
        ("cas_dep.csv", 76_128, "cas_glissant"),
        ("incidence_dep.csv", 64_584, "taux_incid_glissant"),
        ("positivite_dep.csv", 76_128, "taux_posiv_glissant"),
    ] {
        let Some(p) = shared(&format!("covid_dep/{file}")) else {
            return;
        };
        let rows = spf::read_spf(&p).unwrap();
        assert_eq!(rows.len(), n, "{file}");
        assert!(
            rows.iter()
                .all(|r| r.level == ZoneLevel::Departement && r.indicators[0].0 == indicator)
        );
        let deps: std::collections::HashSet<_> = rows.iter().map(|r| r.zone.as_str()).collect();
        assert_eq!(deps.len(), 104, "{file}");
    }
    let Some(p) = shared("covid_dep/incidence_dep.csv") else {
        return;
    };
    let rows = spf::read_spf(&p).unwrap();
    let r = rows
        .iter()
        .find(|r| r.zone == "01" && r.jour == "2020-09-01")
        .unwrap();
    assert_eq!(
        r.indicators,
        vec![("taux_incid_glissant".to_string(), Some(61.19140580405051))]
    );
    let Some(p) = shared("covid_dep/cas_dep.csv") else {
        return;
    };
    let rows = spf::read_spf(&p).unwrap();
    let r = rows
        .iter()
        .find(|r| r.zone == "01" && r.jour == "2020-05-13")
        .unwrap();
    assert_eq!((r.positives, r.indicators[0].1), (Some(9.0), None));
}

#[test]
fn bad_inputs() {
    let text =
        std::fs::read_to_string(fixture("spf/sp-pos-quot-dep-2021-03-01-19h20.csv")).unwrap();
    let err = |t: &str| {
        let (_d, p) = temp_file("sp-pos.csv", t.as_bytes());
        match SpfReader::open(&p) {
            Err(e) => e,
            Ok(r) => r.filter_map(Result::err).next().unwrap(),
        }
    };
    let e = err(&text.replacen("2021-02-22", "22/02/2021", 1));
    assert!(matches!(
        e.kind,
        FormatErrorKind::InvalidValue {
            expected: "date",
            ..
        }
    ));
    assert_eq!((e.location.line, e.location.column), (Some(2), Some(2)));
    let e = err(&text.replacen("2A;", "Corse-du-Sud;", 1));
    assert!(matches!(
        e.kind,
        FormatErrorKind::InvalidValue {
            expected: "departement code",
            ..
        }
    ));
    assert_eq!(e.location.line, Some(5));
    let e = err(&text.replacen("503;19", "503", 1));
    assert_eq!(
        e.kind,
        FormatErrorKind::FieldCount {
            expected: 6,
            found: 5
        }
    );
    let e = err(&std::fs::read_to_string(fixture("ban/adresses-69.csv")).unwrap());
    assert!(matches!(e.kind, FormatErrorKind::WrongKind { .. }));
}

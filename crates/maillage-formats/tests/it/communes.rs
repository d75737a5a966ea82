use std::collections::HashSet;

use crate::common::{shared, temp_file};
use maillage_formats::FormatErrorKind;
use maillage_formats::communes::{self, CommuneType};

#[test]
fn all_french_communes_2026() {
    let Some(p) = shared("communes/decoupage_administratif_communes_2026.json") else {
        return;
    };
    let all = communes::read_communes(&p).unwrap();
    assert_eq!(all.len(), 37_590);
    let current: Vec<_> = all
        .iter()
        .filter(|c| c.kind == CommuneType::Actuelle)
        .collect();
    assert_eq!(current.len(), 34_969);
    assert_eq!(
        current
            .iter()
            .map(|c| c.population.unwrap_or(0))
            .sum::<u64>(),
        68_952_941
    );
    let lyon = current.iter().find(|c| c.code == "69123").unwrap();
    assert_eq!(
        (lyon.nom.as_str(), lyon.population),
        ("Lyon", Some(519_127))
    );
    let arr: Vec<_> = all
        .iter()
        .filter(|c| c.kind == CommuneType::ArrondissementMunicipal)
        .collect();
    assert_eq!(arr.len(), 45);
    assert!(
        arr.iter()
            .filter(|a| a.code.starts_with("6938"))
            .all(|a| a.parent.as_deref() == Some("69123"))
    );
    assert_eq!(
        all.iter()
            .filter(|c| c.kind == CommuneType::Deleguee)
            .count(),
        2_105
    );
    // EPCI members are current communes.
    let Some(e) = shared("communes/decoupage_administratif_epci.json") else {
        return;
    };
    let epci = communes::read_epci(&e).unwrap();
    let codes: HashSet<&str> = current.iter().map(|c| c.code.as_str()).collect();
    assert!(epci.len() > 1_200);
    assert!(epci.iter().all(|e| !e.membres.is_empty()));
    assert!(
        epci.iter()
            .flat_map(|e| &e.membres)
            .all(|m| codes.contains(m.code.as_str()))
    );
    let metro = epci
        .iter()
        .find(|e| e.membres.iter().any(|m| m.code == "69123"))
        .unwrap();
    assert_eq!(metro.code, "200046977");
}

#[test]
fn bad_element_reports_its_index() {
    let json = r#"[
      {"code":"01001","nom":"A","type":"commune-actuelle","population":10},
      {"code":"01002","nom":"B","type":"commune-actuelle","population":"beaucoup"}
    ]"#;
    let (_d, p) = temp_file("communes.json", json.as_bytes());
    let e = communes::read_communes(&p).unwrap_err();
    assert!(matches!(e.kind, FormatErrorKind::Json(_)));
    assert_eq!(e.location.feature, Some(1));

    let dup = r#"[{"code":"01001","nom":"A","type":"commune-actuelle"},{"code":"01001","nom":"A2","type":"commune-actuelle"},
                 {"code":"01001","nom":"A","type":"commune-deleguee"}]"#;
    let (_d, p) = temp_file("communes.json", dup.as_bytes());
    let e = communes::read_communes(&p).unwrap_err();
    assert_eq!(
        e.kind,
        FormatErrorKind::DuplicateId {
            id: "01001".into(),
            first_line: 1
        }
    );
    assert_eq!(e.location.feature, Some(1));

    let (_d, p) = temp_file(
        "communes.json",
        b"[{\"code\":\"01001\",\"nom\":\"A\",\"type\":",
    );
    let e = communes::read_communes(&p).unwrap_err();
    assert!(matches!(e.kind, FormatErrorKind::Json(_)));
    assert_eq!(e.location.line, Some(1));

    let (_d, p) = temp_file("communes.json", b"[]");
    assert_eq!(
        communes::read_communes(&p).unwrap_err().kind,
        FormatErrorKind::Empty
    );
}

#[test]
fn epci_file_given_as_communes() {
    let Some(e) = shared("communes/decoupage_administratif_epci.json") else {
        return;
    };
    let err = communes::read_communes(&e).unwrap_err();
    assert_eq!(
        err.kind,
        FormatErrorKind::WrongKind {
            expected: "découpage administratif (communes.json)",
            hint: Some("découpage administratif (epci.json)".into())
        }
    );
}

//! Names beyond `Limits::name_chars` (500 characters, default limits) are refused by every reader that keeps
//! them, located at their line and column, instead of being written into zones, addresses or establishments.
//! The fixtures are the readers' own (FIXTURES, not real data) with one name lengthened.

use crate::common::{fixture, temp_file};
use maillage_formats::ban::BanReader;
use maillage_formats::zonage::{ZonageColumns, read_zonage};
use maillage_formats::{FormatError, FormatErrorKind, finess, insee};

/// 600 characters (1,200 bytes): beyond the 500 of the default limit, in characters, not bytes.
fn long_name() -> String {
    "É".repeat(600)
}

fn assert_name_refused(e: &FormatError, line: u64, column: usize) {
    assert!(
        matches!(&e.kind, FormatErrorKind::NameTooLong { limit_chars: 500, value } if value.chars().count() <= 81),
        "{e:?}"
    );
    assert_eq!(
        (e.location.line, e.location.column),
        (Some(line), Some(column)),
        "{e:?}"
    );
}

#[test]
fn ban_street_and_commune_names() {
    let text = std::fs::read_to_string(fixture("ban/adresses-69.csv")).unwrap();
    for (name, column) in [("Rue de la Part-Dieu", 5), ("Lyon 3e Arrondissement", 8)] {
        let (_d, p) = temp_file(
            "adresses-69-fixture.csv",
            text.replacen(name, &long_name(), 1).as_bytes(),
        );
        let e = BanReader::open(&p)
            .unwrap()
            .find_map(Result::err)
            .expect("refused");
        assert_name_refused(&e, 2, column);
    }
}

#[test]
fn insee_iris_label() {
    let text = std::fs::read_to_string(fixture("insee/base-ic-evol-struct-pop-2020.CSV")).unwrap();
    let (_d, p) = temp_file(
        "base-ic-evol-struct-pop-2020.CSV",
        text.replacen(";H;1;", &format!(";H;{};", long_name()), 1)
            .as_bytes(),
    );
    let e = insee::read_iris_population(&p).unwrap_err();
    assert_name_refused(&e, 2, 4);
}

#[test]
fn finess_establishment_name() {
    // The extraction is Latin-1: the long name in bytes of that encoding.
    let bytes = std::fs::read(fixture("finess/etalab-cs1100507-stock-20261124-0000.csv")).unwrap();
    let at = bytes
        .windows(14)
        .position(|w| w == b"CH DE FLEYRIAT")
        .unwrap();
    let mut lengthened = bytes[..at].to_vec();
    lengthened.extend(std::iter::repeat_n(0xC9u8, 600)); // « É » in Latin-1
    lengthened.extend(&bytes[at + 14..]);
    let (_d, p) = temp_file("etalab-cs1100507-stock-20261124-0000.csv", &lengthened);
    let e = finess::read_extraction(&p).unwrap_err();
    assert_name_refused(&e, 2, 4);
}

#[test]
fn zonage_label() {
    let text = format!(
        "Code;Libellé;Zonage_MG\n69029;Bron;1_ZIP\n69044;{};2_ZAC\n",
        long_name()
    );
    let (_d, p) = temp_file(
        "zonage-mg-cartosante-fixture-non-reelle.csv",
        text.as_bytes(),
    );
    let e = read_zonage(&p, &ZonageColumns::default(), Some("2025-03-12")).unwrap_err();
    assert_name_refused(&e, 3, 2);
}

mod common;

use common::{assert_close, fixture, temp_file};
use maillage_formats::FormatErrorKind;
use maillage_formats::insee::{self, BROAD_BANDS, FINE_BANDS, IrisPopulationReader};

#[test]
fn current_layout_with_decimals() {
    let r = IrisPopulationReader::open(fixture("insee/base-ic-evol-struct-pop-2020.CSV")).unwrap();
    assert_eq!(r.vintage(), 2020);
    let rows: Vec<_> = r.collect::<Result<_, _>>().unwrap();
    assert_eq!(rows.len(), 5);
    let a = &rows[0];
    assert_eq!(
        (a.iris.as_str(), a.commune.as_str(), a.typ_iris.as_deref()),
        ("693830101", "69383", Some("H"))
    );
    assert_eq!(a.total, 2457.3821);
    assert_eq!(a.fine[0], Some(253.740494));
    for r in &rows {
        let fine: f64 = r.fine.iter().map(|v| v.unwrap()).sum();
        let broad: f64 = r.broad.iter().map(|v| v.unwrap()).sum();
        assert_close(fine, r.total, 1e-6, &r.iris);
        assert_close(broad, r.total, 1e-6, &r.iris);
    }
    assert_eq!(rows[4].typ_iris.as_deref(), Some("Z"));
    assert_eq!(FINE_BANDS[9].suffix(), "80P");
    assert_eq!(BROAD_BANDS[0].suffix(), "0014");
}

#[test]
fn older_layout_and_vintage() {
    let rows =
        insee::read_iris_population(fixture("insee/base-ic-evol-struct-pop-2013.csv")).unwrap();
    assert_eq!(rows.len(), 3);
    assert!(rows.iter().all(|r| r.vintage == 2013));
    assert_eq!(rows[0].commune, "69383");
    assert_eq!(rows[0].lab_iris.as_deref(), Some("1"));
}

fn error_of(text: &str) -> maillage_formats::FormatError {
    let (_d, p) = temp_file("base-ic.CSV", text.as_bytes());
    match IrisPopulationReader::open(&p) {
        Err(e) => e,
        Ok(r) => r.filter_map(Result::err).next().unwrap(),
    }
}

#[test]
fn bad_inputs() {
    let text = std::fs::read_to_string(fixture("insee/base-ic-evol-struct-pop-2020.CSV")).unwrap();
    let e = error_of(&text.replacen("2101", "2x01", 1));
    assert!(
        matches!(e.kind, FormatErrorKind::InvalidValue { ref value, expected: "number" } if value == "2x01")
    );
    assert_eq!(
        (
            e.location.line,
            e.location.column,
            e.location.field.as_deref()
        ),
        (Some(3), Some(5), Some("P20_POP"))
    );
    let dup = text.lines().nth(1).unwrap();
    let e = error_of(&format!("{text}{dup}\n"));
    assert_eq!(
        e.kind,
        FormatErrorKind::DuplicateId {
            id: "693830101".into(),
            first_line: 2
        }
    );
    assert_eq!(e.location.line, Some(7));
    let e = error_of(&text.replace("P20_", "X20_"));
    assert_eq!(
        e.kind,
        FormatErrorKind::MissingColumn {
            column: "P<aa>_POP".into()
        }
    );
    let e = error_of(&text[..text.len() - 20]);
    assert_eq!(e.kind, FormatErrorKind::Truncated);
    assert_eq!(error_of("").kind, FormatErrorKind::Empty);
    let e = error_of(&std::fs::read_to_string(fixture("ban/adresses-69.csv")).unwrap());
    assert_eq!(
        e.kind,
        FormatErrorKind::WrongKind {
            expected: "INSEE (population par IRIS)",
            hint: Some("BAN (adresses-<département>.csv)".into())
        }
    );
}

/// The xlsx edition (generated here, in INSEE's layout: title rows, labels row, codes row).
#[test]
fn xlsx_edition() {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet().set_name("IRIS").unwrap();
    ws.write_string(
        0,
        0,
        "FIXTURE — Évolution et structure de la population en 2020",
    )
    .unwrap();
    ws.write_string(4, 0, "Code géographique IRIS").unwrap();
    let codes = [
        "IRIS",
        "COM",
        "TYP_IRIS",
        "LAB_IRIS",
        "P20_POP",
        "P20_POP0002",
        "P20_POP80P",
        "P20_POP0014",
    ];
    for (c, h) in codes.iter().enumerate() {
        ws.write_string(5, c as u16, *h).unwrap();
    }
    for (r, (iris, total)) in [("693830101", 2457.38), ("693830102", 2101.0)]
        .iter()
        .enumerate()
    {
        let r = 6 + r as u32;
        ws.write_string(r, 0, *iris).unwrap();
        ws.write_string(r, 1, "69383").unwrap();
        ws.write_string(r, 2, "H").unwrap();
        ws.write_string(r, 3, "1").unwrap();
        ws.write_number(r, 4, *total).unwrap();
        ws.write_number(r, 5, 100.5).unwrap();
        ws.write_number(r, 6, 80.25).unwrap();
        ws.write_number(r, 7, 400.0).unwrap();
    }
    let (_d, p) = temp_file(
        "base-ic-evol-struct-pop-2020.xlsx",
        &wb.save_to_buffer().unwrap(),
    );
    let rows = insee::read_iris_population_xlsx(&p).unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(
        (rows[0].line, rows[0].vintage, rows[0].total),
        (7, 2020, 2457.38)
    );
    assert_eq!(
        (rows[1].fine[0], rows[1].fine[9], rows[1].fine[1]),
        (Some(100.5), Some(80.25), None)
    );
    assert_eq!(rows[1].broad[0], Some(400.0));
}

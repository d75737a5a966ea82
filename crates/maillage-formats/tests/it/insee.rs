use crate::common::{assert_close, fixture, temp_file};
use maillage_formats::insee::{self, BROAD_BANDS, FINE_BANDS, IrisPopulationReader};
use maillage_formats::{FormatErrorKind, WarningKind};

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
/// The XLSX edition in its published layout (title rows, a row of long labels, then the codes); a fixture.
fn xlsx_fixture() -> Vec<u8> {
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
    wb.save_to_buffer().unwrap()
}

#[test]
fn xlsx_edition() {
    let (_d, p) = temp_file("base-ic-evol-struct-pop-2020.xlsx", &xlsx_fixture());
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

/// The 2020 fixture as a later vintage would publish it: `P22_` prefixes, the IRIS and commune columns
/// under other names, the columns in reverse order and one more (`DEP`) in front.
fn p22_reordered() -> String {
    let text = std::fs::read_to_string(fixture("insee/base-ic-evol-struct-pop-2020.CSV")).unwrap();
    let mut out = String::new();
    for (n, line) in text.lines().enumerate() {
        let mut fields: Vec<String> = line
            .split(';')
            .map(|f| match (n, f) {
                (0, "IRIS") => "CODE_IRIS".to_string(),
                (0, "COM") => "Code commune".to_string(),
                (0, f) => f.replacen("20_", "22_", 1),
                (_, f) => f.to_string(),
            })
            .collect();
        fields.resize(27, String::new());
        fields.reverse();
        let dep = if n == 0 { "DEP" } else { "69" };
        out.push_str(&format!("{dep};{}\n", fields.join(";")));
    }
    out
}

#[test]
fn year_prefixes_reordered_and_renamed_columns() {
    let plain =
        insee::read_iris_population(fixture("insee/base-ic-evol-struct-pop-2020.CSV")).unwrap();
    let (_d, p) = temp_file(
        "base-ic-evol-struct-pop-2022.CSV",
        p22_reordered().as_bytes(),
    );
    let reader = IrisPopulationReader::open(&p).unwrap();
    assert_eq!(reader.vintage(), 2022);
    assert_eq!(
        reader
            .warnings()
            .iter()
            .map(|w| &w.kind)
            .collect::<Vec<_>>(),
        [&WarningKind::UnknownColumns {
            columns: vec!["DEP".into()]
        }],
        "census figures the reader does not use are not listed"
    );
    let rows: Vec<_> = reader.collect::<Result<_, _>>().unwrap();
    assert_eq!(rows.len(), plain.len());
    for (r, p) in rows.iter().zip(&plain) {
        assert_eq!(
            (
                &r.iris,
                &r.commune,
                &r.typ_iris,
                r.total,
                r.fine,
                r.broad,
                r.vintage
            ),
            (
                &p.iris,
                &p.commune,
                &p.typ_iris,
                p.total,
                p.fine,
                p.broad,
                2022
            )
        );
    }

    // Without an IRIS column: refused at the header, naming it.
    let text = p22_reordered().replacen("CODE_IRIS", "ZONE", 1);
    let (_d, p) = temp_file("base-ic-evol-struct-pop-2022.CSV", text.as_bytes());
    let e = IrisPopulationReader::open(&p).err().unwrap();
    assert_eq!(
        e.kind,
        FormatErrorKind::MissingColumn {
            column: "IRIS".into()
        }
    );
    assert_eq!(e.location.line, Some(1));
}

#[test]
fn zips_as_insee_publishes_them() {
    let csv = std::fs::read(fixture("insee/base-ic-evol-struct-pop-2020.CSV")).unwrap();
    let meta: &[u8] = b"COD_VAR;LIB_VAR\nIRIS;IRIS (FIXTURE)\n";
    let bytes = maillage_testkit::fixtures::zip(&[
        ("meta_base-ic-evol-struct-pop-2020.CSV", meta),
        ("base-ic-evol-struct-pop-2020.CSV", &csv),
    ]);
    let (_d, p) = temp_file("base-ic-evol-struct-pop-2020_csv.zip", &bytes);
    let plain =
        insee::read_iris_population(fixture("insee/base-ic-evol-struct-pop-2020.CSV")).unwrap();
    assert_eq!(insee::read_iris_population(&p).unwrap(), plain);

    // An error inside names the member within the archive.
    let bad = String::from_utf8(csv.clone())
        .unwrap()
        .replacen("693830102", "69383x102", 1);
    let bytes =
        maillage_testkit::fixtures::zip(&[("base-ic-evol-struct-pop-2020.CSV", bad.as_bytes())]);
    let (_d, p) = temp_file("base-ic-evol-struct-pop-2020_csv.zip", &bytes);
    let e = insee::read_iris_population(&p).unwrap_err();
    assert_eq!(
        e.location.file,
        p.join("base-ic-evol-struct-pop-2020.CSV"),
        "{e:?}"
    );
    assert_eq!(e.location.line, Some(3));

    let bytes =
        maillage_testkit::fixtures::zip(&[("base-ic-evol-struct-pop-2020.xlsx", &xlsx_fixture())]);
    let (_d, p) = temp_file("base-ic-evol-struct-pop-2020_xlsx.zip", &bytes);
    let reader = IrisPopulationReader::open(&p).unwrap();
    assert_eq!(reader.vintage(), 2020);
    let rows: Vec<_> = reader.collect::<Result<_, _>>().unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(
        (rows[0].iris.as_str(), rows[0].total),
        ("693830101", 2457.38)
    );

    // The XLSX itself (a zip too) through the same entry point.
    let (_d, p) = temp_file("base-ic-evol-struct-pop-2020.xlsx", &xlsx_fixture());
    assert_eq!(insee::read_iris_population(&p).unwrap().len(), 2);

    // A zip without any table.
    let bytes = maillage_testkit::fixtures::zip(&[("LISEZMOI.txt", b"FIXTURE")]);
    let (_d, p) = temp_file("base-ic-evol-struct-pop-2020_csv.zip", &bytes);
    assert!(matches!(
        insee::read_iris_population(&p).unwrap_err().kind,
        FormatErrorKind::NoMember { .. }
    ));
}

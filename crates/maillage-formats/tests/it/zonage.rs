//! Zonage médecins of the ARS: the CartoSanté export and ARS workbooks with multi-code cells, built here in the
//! published layouts. Every file written by these tests is a FIXTURE, not real data (made-up zonages).

use maillage_formats::FormatErrorKind;
use maillage_formats::zonage::{Zonage, ZonageColumns, read_zonage};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use std::path::{Path, PathBuf};

/// CartoSanté export: `;`, `Code;Libellé;Zonage_MG`, numbered values. FIXTURE, not real data.
fn cartosante(dir: &Path, rows: &[(&str, &str, &str)]) -> PathBuf {
    let path = dir.join("zonage-mg-cartosante-fixture-non-reelle.csv");
    let mut text = String::from("Code;Libellé;Zonage_MG\n");
    for (code, label, zonage) in rows {
        text.push_str(&format!("{code};{label};{zonage}\n"));
    }
    std::fs::write(&path, text).unwrap();
    path
}

/// An ARS workbook: a title line, the header on row 3, cells listing several codes, the arrêté date typed as a
/// date in one row and as text in another. FIXTURE, not real data.
fn ars_workbook(dir: &Path, headers: [&str; 5], zonage_of_row_2: &str) -> PathBuf {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Zonage MG 2025").unwrap();
    ws.write_string(
        0,
        0,
        "FIXTURE (pas des données réelles) — Zonage médecins généralistes, arrêté ARS",
    )
    .unwrap();
    for (c, h) in headers.iter().enumerate() {
        ws.write_string(2, c as u16, *h).unwrap();
    }
    let date = Format::new().set_num_format("dd/mm/yyyy");
    // Row 4: two communes and two QPV, ZIP, date as an Excel date.
    ws.write_string(3, 0, "69029, 69044").unwrap();
    ws.write_string(3, 1, "Bron, Chaponost").unwrap();
    ws.write_string(3, 2, "QN06901M,QN06902M").unwrap();
    ws.write_string(3, 3, "ZIP").unwrap();
    ws.write_datetime_with_format(3, 4, ExcelDateTime::from_ymd(2025, 3, 12).unwrap(), &date)
        .unwrap();
    // Row 5: one commune typed as a number (its leading zero lost), date as text.
    ws.write_number(4, 0, 1004.0).unwrap();
    ws.write_string(4, 1, "Ambérieu-en-Bugey").unwrap();
    ws.write_string(4, 3, zonage_of_row_2).unwrap();
    ws.write_string(4, 4, "12/03/2025").unwrap();
    // Row 6: a QPV alone.
    ws.write_string(5, 2, "QN06903M").unwrap();
    ws.write_string(5, 3, "zone d'action complémentaire")
        .unwrap();
    ws.write_string(5, 4, "2025-03-12").unwrap();
    let path = dir.join("zonage-ars-fixture-non-reelle.xlsx");
    wb.save(&path).unwrap();
    path
}

const ARS_HEADERS: [&str; 5] = [
    "Code(s) INSEE",
    "Commune",
    "Code(s) QPV",
    "Zonage",
    "Date de l'arrêté",
];

#[test]
fn cartosante_export_values_and_grands_quartiers() {
    let dir = tempfile::tempdir().unwrap();
    let path = cartosante(
        dir.path(),
        &[
            ("69029", "Bron", "1_ZIP"),
            ("69044", "Chaponost", "2_ZAC"),
            ("69123", "Lyon", "8_GQ_ZIP"),
            ("01004", "Ambérieu-en-Bugey", "HZ"),
        ],
    );
    let file = read_zonage(&path, &ZonageColumns::default(), Some("2025-03-12")).unwrap();
    assert_eq!(file.layout, "cartosante");
    assert!(file.unknown_columns.is_empty());
    let got: Vec<(Vec<String>, Zonage, bool, Option<String>)> = file
        .records
        .iter()
        .map(|r| {
            (
                r.communes.clone(),
                r.value.zonage,
                r.value.quartiers_only,
                r.label.clone(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (
                vec!["69029".into()],
                Zonage::Zip,
                false,
                Some("Bron".into())
            ),
            (
                vec!["69044".into()],
                Zonage::Zac,
                false,
                Some("Chaponost".into())
            ),
            (vec!["69123".into()], Zonage::Zip, true, Some("Lyon".into())),
            (
                vec!["01004".into()],
                Zonage::Hz,
                false,
                Some("Ambérieu-en-Bugey".into())
            ),
        ]
    );
    assert!(file.records.iter().all(|r| r.arrete == "2025-03-12"));
    assert_eq!(file.records[2].location.line, Some(4));
}

#[test]
fn cartosante_export_without_arrete_date_is_a_located_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = cartosante(dir.path(), &[("69029", "Bron", "1_ZIP")]);
    let e = read_zonage(&path, &ZonageColumns::default(), None).unwrap_err();
    assert_eq!(e.kind, FormatErrorKind::MissingArreteDate);
    assert_eq!(e.location.line, Some(2));
}

#[test]
fn ars_workbook_with_several_codes_per_cell() {
    let dir = tempfile::tempdir().unwrap();
    let path = ars_workbook(dir.path(), ARS_HEADERS, "ZAR");
    let file = read_zonage(&path, &ZonageColumns::default(), None).unwrap();
    assert_eq!(file.layout, "ars");
    assert_eq!(file.records.len(), 3);
    let first = &file.records[0];
    assert_eq!(first.communes, vec!["69029", "69044"]);
    assert_eq!(first.qpvs, vec!["QN06901M", "QN06902M"]);
    assert_eq!(first.value.zonage, Zonage::Zip);
    assert_eq!(first.arrete, "2025-03-12");
    assert_eq!(first.location.sheet.as_deref(), Some("Zonage MG 2025"));
    assert_eq!(first.location.line, Some(4));
    assert_eq!(file.records[1].communes, vec!["01004"]);
    assert_eq!(file.records[1].value.zonage, Zonage::Zar);
    assert_eq!(file.records[1].arrete, "2025-03-12");
    assert!(file.records[2].communes.is_empty());
    assert_eq!(file.records[2].qpvs, vec!["QN06903M"]);
    assert_eq!(file.records[2].value.zonage, Zonage::Zac);
}

#[test]
fn ars_workbook_through_a_column_mapping() {
    let dir = tempfile::tempdir().unwrap();
    let headers = [
        "Communes concernées (INSEE)",
        "Nom",
        "Quartiers prioritaires concernés",
        "Classement retenu par l'ARS",
        "Signé le",
    ];
    let path = ars_workbook(dir.path(), headers, "ZV");
    // Without a mapping, the columns are not found: the zonage column is named in the error.
    let e = read_zonage(&path, &ZonageColumns::default(), None).unwrap_err();
    assert_eq!(
        e.kind,
        FormatErrorKind::MissingColumn {
            column: "Zonage_MG".into()
        }
    );
    let mapping = ZonageColumns {
        commune: Some(headers[0].into()),
        qpv: Some(headers[2].into()),
        zonage: Some(headers[3].into()),
        arrete: Some(headers[4].into()),
    };
    let file = read_zonage(&path, &mapping, None).unwrap();
    assert_eq!(file.records.len(), 3);
    assert_eq!(file.records[0].communes, vec!["69029", "69044"]);
    assert_eq!(file.records[1].value.zonage, Zonage::Zv);
    // A mapping naming a column the file does not have names it.
    let wrong = ZonageColumns {
        zonage: Some("Zonage 2024".into()),
        ..mapping
    };
    let e = read_zonage(&path, &wrong, None).unwrap_err();
    assert_eq!(
        e.kind,
        FormatErrorKind::MissingColumn {
            column: "Zonage 2024".into()
        }
    );
}

#[test]
fn unknown_zonage_value_is_located() {
    let dir = tempfile::tempdir().unwrap();
    let path = ars_workbook(dir.path(), ARS_HEADERS, "ZRR");
    let e = read_zonage(&path, &ZonageColumns::default(), None).unwrap_err();
    assert_eq!(
        e.kind,
        FormatErrorKind::UnknownZonage {
            value: "ZRR".into()
        }
    );
    assert_eq!(e.location.sheet.as_deref(), Some("Zonage MG 2025"));
    assert_eq!(e.location.line, Some(5));
    assert_eq!(e.location.column, Some(4));
    assert_eq!(e.location.field.as_deref(), Some("Zonage"));

    let csv = cartosante(
        dir.path(),
        &[("69029", "Bron", "1_ZIP"), ("69044", "Chaponost", "9_XYZ")],
    );
    let e = read_zonage(&csv, &ZonageColumns::default(), Some("2025-03-12")).unwrap_err();
    assert_eq!(
        e.kind,
        FormatErrorKind::UnknownZonage {
            value: "9_XYZ".into()
        }
    );
    assert_eq!((e.location.line, e.location.column), (Some(3), Some(3)));
}

#[test]
fn missing_zonage_column_and_bad_codes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sans-zonage-fixture.csv");
    std::fs::write(&path, "Code;Libellé\n69029;Bron\n").unwrap();
    let e = read_zonage(&path, &ZonageColumns::default(), Some("2025-03-12")).unwrap_err();
    assert_eq!(
        e.kind,
        FormatErrorKind::MissingColumn {
            column: "Zonage_MG".into()
        }
    );
    assert_eq!(e.location.line, Some(1));

    let bad = cartosante(
        dir.path(),
        &[("6902", "Bron", "1_ZIP"), ("Lyon", "Lyon", "1_ZIP")],
    );
    let e = read_zonage(&bad, &ZonageColumns::default(), Some("2025-03-12")).unwrap_err();
    assert!(matches!(e.kind, FormatErrorKind::InvalidValue { ref value, .. } if value == "LYON"));
    assert_eq!(e.location.line, Some(3));
}

/// A table that starts in column B (column A left empty, as some ARS sheets are laid out) is located by the
/// sheet's own columns. FIXTURE, not real data.
#[test]
fn a_table_starting_in_column_b_is_located_by_the_sheet_columns() {
    let dir = tempfile::tempdir().unwrap();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Zonage MG").unwrap();
    ws.write_string(0, 1, "FIXTURE (pas des données réelles) — zonage médecins")
        .unwrap();
    for (c, h) in ARS_HEADERS.iter().enumerate() {
        ws.write_string(2, c as u16 + 1, *h).unwrap();
    }
    ws.write_string(3, 1, "69029").unwrap();
    ws.write_string(3, 4, "ZRR").unwrap();
    ws.write_string(3, 5, "12/03/2025").unwrap();
    let path = dir.path().join("zonage-colonne-b-fixture-non-reelle.xlsx");
    wb.save(&path).unwrap();

    let e = read_zonage(&path, &ZonageColumns::default(), None).unwrap_err();
    assert_eq!(
        e.kind,
        FormatErrorKind::UnknownZonage {
            value: "ZRR".into()
        }
    );
    assert_eq!(e.location.sheet.as_deref(), Some("Zonage MG"));
    assert_eq!((e.location.line, e.location.column), (Some(4), Some(5)));
    assert_eq!(e.location.field.as_deref(), Some("Zonage"));
}

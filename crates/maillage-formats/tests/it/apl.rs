//! The DREES APL workbook is not available offline: fixtures are generated here by `maillage_testkit::drees`,
//! in the published layout (notice sheet first, title lines, header on row 9, units row, footers `Lecture`,
//! `Champ`, `Source`, one sheet per vintage), each marked as a fixture in its first cell.

use crate::common::temp_file;
use maillage_formats::FormatErrorKind;
use maillage_formats::WarningKind;
use maillage_formats::apl::{self, AplRow};
use maillage_testkit::drees::{
    AplSheet, HEADER_2019, HEADER_2023, ROWS_2023, apl_2023_workbook, apl_workbook,
};

fn row<'a>(rows: &'a [AplRow], sheet: &str, code: &str) -> &'a AplRow {
    rows.iter()
        .find(|r| r.sheet == sheet && r.commune == code)
        .unwrap_or_else(|| panic!("{code} in {sheet}"))
}

#[test]
fn reads_every_vintage_past_the_units_row_and_footers() {
    let (_d, p) = temp_file(
        "Indicateur-APL-medecins-generalistes.xlsx",
        &apl_2023_workbook(),
    );
    let read = apl::read_apl_workbook(&p).unwrap();
    // 4 communes in 2023, 2 in 2022: neither the units row nor the footers became rows.
    assert_eq!(read.rows.len(), 6);
    let lyon = row(&read.rows, "APL 2023", "69123");
    // Header on row 9, units on row 10: the first commune is on row 11.
    assert_eq!((lyon.year, lyon.row), (Some(2023), 11));
    assert_eq!(lyon.commune_name.as_deref(), Some("Lyon"));
    assert_eq!(
        (
            lyon.apl,
            lyon.apl_under_65,
            lyon.apl_under_62,
            lyon.apl_under_60
        ),
        (Some(4.4), Some(3.8), Some(3.5), Some(3.1))
    );
    assert_eq!(
        (
            lyon.standardised_population,
            lyon.population,
            lyon.population_vintage
        ),
        (Some(530210.0), Some(522250.0), Some(2021))
    );
    let villeurbanne = row(&read.rows, "APL 2023", "69264");
    assert_eq!(
        (villeurbanne.apl_under_62, villeurbanne.apl_under_60),
        (None, None)
    );
    let lyon_2022 = row(&read.rows, "APL 2022", "69123");
    assert_eq!(
        (
            lyon_2022.year,
            lyon_2022.apl,
            lyon_2022.apl_under_60,
            lyon_2022.population_vintage
        ),
        (Some(2022), Some(4.5), Some(3.2), Some(2020))
    );
    assert_eq!(row(&read.rows, "APL 2023", "2A004").apl, Some(3.2));
    let sheets: Vec<_> = read
        .sheets
        .iter()
        .map(|s| {
            (
                s.name.as_str(),
                s.year,
                s.population_vintage,
                s.header_row,
                s.rows,
            )
        })
        .collect();
    assert_eq!(
        sheets,
        [
            ("APL 2023", Some(2023), Some(2021), 9, 4),
            ("APL 2022", Some(2022), Some(2020), 9, 2)
        ]
    );
    assert!(read.warnings.is_empty(), "{:?}", read.warnings);
}

#[test]
fn older_layout_apl_2019_and_reordered_extra_columns() {
    // The 2019 names, with an extra column and the APL before the commune name.
    let header = [
        HEADER_2019[0],
        HEADER_2019[2],
        "Commune",
        "Département",
        HEADER_2019[3],
        HEADER_2019[4],
        HEADER_2019[5],
    ];
    let rows: &[(&str, &str, &[Option<f64>])] = &[(
        "01001",
        "3.9",
        &[None, None, Some(3.2), Some(812.3), Some(790.0)],
    )];
    let bytes = apl_workbook(
        &[AplSheet {
            name: "APL_2019",
            header: &header,
            rows,
        }],
        // The builder writes the code and the name first: put the APL and the name where this header says.
        &[
            ("APL_2019", 10, 2, "L'Abergement-Clémenciat"),
            ("APL_2019", 10, 3, "Ain"),
        ],
    );
    let (_d, p) = temp_file("APL_mg_2019.xlsx", &bytes);
    let read = apl::read_apl_workbook(&p).unwrap();
    assert_eq!(read.rows.len(), 1);
    let r = &read.rows[0];
    assert_eq!((r.year, r.population_vintage), (Some(2019), Some(2017)));
    assert_eq!(r.commune_name.as_deref(), Some("L'Abergement-Clémenciat"));
    // "3.9" is text in the cell: read as a number all the same.
    assert_eq!(
        (r.apl, r.apl_under_65, r.apl_under_62),
        (Some(3.9), Some(3.2), None)
    );
    assert_eq!(r.standardised_population, Some(812.3));
    assert_eq!(
        read.warnings.iter().map(|w| &w.kind).collect::<Vec<_>>(),
        [&WarningKind::UnknownColumns {
            columns: vec!["Département".into()]
        }]
    );
    assert_eq!(read.warnings[0].location.sheet.as_deref(), Some("APL_2019"));
    assert_eq!(read.warnings[0].location.line, Some(9));
}

#[test]
fn a_missing_required_column_is_named_with_its_sheet_and_row() {
    // A header with the 65-and-under APL only: the all-ages column is missing.
    let header = [
        HEADER_2023[0],
        HEADER_2023[1],
        HEADER_2023[3],
        HEADER_2023[7],
    ];
    let bytes = apl_workbook(
        &[AplSheet {
            name: "APL 2023",
            header: &header,
            rows: &[("69123", "Lyon", &[Some(3.8), Some(522250.0)])],
        }],
        &[],
    );
    let (_d, p) = temp_file("apl.xlsx", &bytes);
    let e = apl::read_apl(&p).unwrap_err();
    assert_eq!(
        e.kind,
        FormatErrorKind::MissingColumn {
            column: "APL aux médecins généralistes".into()
        }
    );
    assert_eq!(e.location.sheet.as_deref(), Some("APL 2023"));
    assert_eq!(e.location.line, Some(9));
}

#[test]
fn bad_cells_are_located() {
    let sheet = |rows| AplSheet {
        name: "APL 2023",
        header: &HEADER_2023,
        rows,
    };
    // Row 12 (0-based 11), column C: a word where the APL should be.
    let bytes = apl_workbook(&[sheet(ROWS_2023)], &[("APL 2023", 11, 2, "beaucoup")]);
    let (_d, p) = temp_file("apl.xlsx", &bytes);
    let e = apl::read_apl(&p).unwrap_err();
    assert!(
        matches!(e.kind, FormatErrorKind::InvalidValue { ref value, expected: "number" } if value == "beaucoup")
    );
    assert_eq!(e.location.sheet.as_deref(), Some("APL 2023"));
    assert_eq!((e.location.line, e.location.column), (Some(12), Some(3)));
    assert_eq!(
        e.location.field.as_deref(),
        Some("APL aux médecins généralistes")
    );

    // A code that is not a commune code, on a row with values.
    let bytes = apl_workbook(&[sheet(ROWS_2023)], &[("APL 2023", 12, 0, "Lyon 7e")]);
    let (_d, p) = temp_file("apl.xlsx", &bytes);
    let e = apl::read_apl(&p).unwrap_err();
    assert_eq!(
        e.kind,
        FormatErrorKind::InvalidValue {
            value: "Lyon 7e".into(),
            expected: "commune code"
        }
    );
    assert_eq!((e.location.line, e.location.column), (Some(13), Some(1)));

    // The same commune twice in a sheet.
    let bytes = apl_workbook(&[sheet(ROWS_2023)], &[("APL 2023", 11, 0, "69123")]);
    let (_d, p) = temp_file("apl.xlsx", &bytes);
    assert_eq!(
        apl::read_apl(&p).unwrap_err().kind,
        FormatErrorKind::DuplicateId {
            id: "69123".into(),
            first_line: 11
        }
    );
}

#[test]
fn not_an_apl_workbook() {
    let (_d, p) = temp_file("apl.xlsx", &apl_workbook(&[], &[]));
    assert_eq!(
        apl::read_apl(&p).unwrap_err().kind,
        FormatErrorKind::NoTable {
            looked_for: "Code commune INSEE, APL aux médecins généralistes".into()
        }
    );

    let (_d, p) = temp_file("apl.xlsx", b"");
    assert_eq!(apl::read_apl(&p).unwrap_err().kind, FormatErrorKind::Empty);
    let (_d, p) = temp_file(
        "apl.xlsx",
        std::fs::read(crate::common::fixture(
            "spf/sp-pos-quot-dep-2021-03-01-19h20.csv",
        ))
        .unwrap()
        .as_slice(),
    );
    let e = apl::read_apl(&p).unwrap_err();
    assert_eq!(
        e.kind,
        FormatErrorKind::WrongKind {
            expected: "DREES APL (xlsx)",
            hint: Some("Santé publique France".into())
        }
    );
}

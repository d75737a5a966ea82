//! The DREES APL workbook is not available offline: the fixture is generated here, in the layout of the
//! DREES file (a notice sheet, one sheet per year, title rows above the table, codes stored as text,
//! footnotes below), and marked as a fixture in its title.

mod common;

use common::temp_file;
use maillage_formats::FormatErrorKind;
use maillage_formats::apl;
use rust_xlsxwriter::Workbook;

/// Code, name, APL, APL to GPs under 65, standardised population.
type Row = (&'static str, &'static str, f64, f64, f64);

fn workbook(year_sheets: &[(&str, &[Row])], bad: Option<(u32, u16, &str)>) -> Vec<u8> {
    let mut wb = Workbook::new();
    let notice = wb.add_worksheet().set_name("Notice").unwrap();
    notice.write_string(0, 0, "FIXTURE (pas des données réelles) — Accessibilité potentielle localisée (APL) aux médecins généralistes").unwrap();
    notice.write_string(2, 0, "L'APL est exprimée en nombre de consultations accessibles par an et par habitant standardisé.").unwrap();
    for (name, rows) in year_sheets {
        let ws = wb.add_worksheet().set_name(*name).unwrap();
        ws.write_string(
            0,
            0,
            "FIXTURE — Accessibilité potentielle localisée (APL) aux médecins généralistes",
        )
        .unwrap();
        ws.write_string(1, 0, "Source : SNIIR-AM, EGB, CNAM-TS ; populations par sexe et âge, distancier METRIC, INSEE ; traitements DREES").unwrap();
        let header = [
            "Code commune INSEE",
            "Commune",
            "APL aux médecins généralistes",
            "APL aux médecins généralistes de 65 ans et moins",
            "Population standardisée 2019 pour la médecine générale",
            "Population totale 2019",
        ];
        for (c, h) in header.iter().enumerate() {
            ws.write_string(8, c as u16, *h).unwrap();
        }
        let mut r = 9;
        for (code, nom, apl, apl65, std) in rows.iter() {
            ws.write_string(r, 0, *code).unwrap();
            ws.write_string(r, 1, *nom).unwrap();
            ws.write_number(r, 2, *apl).unwrap();
            ws.write_number(r, 3, *apl65).unwrap();
            ws.write_number(r, 4, *std).unwrap();
            ws.write_number(r, 5, (*std * 1.02).round()).unwrap();
            r += 1;
        }
        ws.write_string(
            r + 1,
            0,
            "Note : les communes de moins de 1 000 habitants...",
        )
        .unwrap();
        if let Some((row, col, text)) = bad {
            ws.write_string(row, col, text).unwrap();
        }
    }
    wb.save_to_buffer().unwrap()
}

const ROWS_2022: &[Row] = &[
    ("01001", "L'Abergement-Clémenciat", 2.1, 1.9, 812.3),
    ("69123", "Lyon", 4.4, 3.8, 530210.0),
    ("2A004", "Ajaccio", 3.2, 2.9, 73125.4),
];
const ROWS_2021: &[(&str, &str, f64, f64, f64)] =
    &[("01001", "L'Abergement-Clémenciat", 2.3, 2.0, 805.0)];

#[test]
fn reads_every_year_sheet() {
    let bytes = workbook(&[("APL 2022", ROWS_2022), ("APL 2021", ROWS_2021)], None);
    let (_d, p) = temp_file("Indicateur-APL-medecins-generalistes.xlsx", &bytes);
    let rows = apl::read_apl(&p).unwrap();
    assert_eq!(rows.len(), 4);
    let lyon = rows.iter().find(|r| r.commune == "69123").unwrap();
    assert_eq!(
        (lyon.sheet.as_str(), lyon.year, lyon.row),
        ("APL 2022", Some(2022), 11)
    );
    assert_eq!(
        (lyon.apl, lyon.apl_under_65, lyon.standardised_population),
        (Some(4.4), Some(3.8), Some(530210.0))
    );
    assert_eq!(lyon.population, Some(540814.0));
    assert_eq!(lyon.commune_name.as_deref(), Some("Lyon"));
    assert_eq!(rows.iter().filter(|r| r.year == Some(2021)).count(), 1);
    assert!(rows.iter().any(|r| r.commune == "2A004"));
}

#[test]
fn bad_cells_are_located() {
    let bytes = workbook(&[("APL 2022", ROWS_2022)], Some((10, 2, "beaucoup")));
    let (_d, p) = temp_file("apl.xlsx", &bytes);
    let e = apl::read_apl(&p).unwrap_err();
    assert!(
        matches!(e.kind, FormatErrorKind::InvalidValue { ref value, expected: "number" } if value == "beaucoup")
    );
    assert_eq!(e.location.sheet.as_deref(), Some("APL 2022"));
    assert_eq!((e.location.line, e.location.column), (Some(11), Some(3)));
    assert_eq!(
        e.location.field.as_deref(),
        Some("APL aux médecins généralistes")
    );

    let bytes = workbook(&[("APL 2022", ROWS_2022)], Some((10, 0, "01001")));
    let (_d, p) = temp_file("apl.xlsx", &bytes);
    let e = apl::read_apl(&p).unwrap_err();
    assert_eq!(
        e.kind,
        FormatErrorKind::DuplicateId {
            id: "01001".into(),
            first_line: 10
        }
    );

    let bytes = workbook(&[], None);
    let (_d, p) = temp_file("apl.xlsx", &bytes);
    assert!(matches!(
        apl::read_apl(&p).unwrap_err().kind,
        FormatErrorKind::NoTable { .. }
    ));

    let (_d, p) = temp_file("apl.xlsx", b"");
    assert_eq!(apl::read_apl(&p).unwrap_err().kind, FormatErrorKind::Empty);
    let (_d, p) = temp_file(
        "apl.xlsx",
        std::fs::read(common::fixture("spf/sp-pos-quot-dep-2021-03-01-19h20.csv"))
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

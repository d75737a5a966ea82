//! DREES APL workbooks built at test time in the layout DREES publishes (the real file is not available
//! offline): a notice sheet first, then one sheet per vintage with title lines, the header on row 9, a units
//! row right under it, the table by commune and footer lines `Lecture`, `Champ`, `Source`. Every workbook
//! says in its first cell that it is a fixture, not real data.

use rust_xlsxwriter::Workbook;

/// One vintage sheet.
pub struct AplSheet<'a> {
    pub name: &'a str,
    /// Column names, as published (the first two are the commune code and name).
    pub header: &'a [&'a str],
    /// Commune code, name and one value per remaining header column (`None`: empty cell).
    pub rows: &'a [(&'a str, &'a str, &'a [Option<f64>])],
}

/// The header of the 2023 edition (APL 2023, populations 2021), with the trailing space DREES leaves after
/// the 65-and-under column.
pub const HEADER_2023: [&str; 8] = [
    "Code commune INSEE",
    "Commune",
    "APL aux médecins généralistes",
    "APL aux médecins généralistes de 65 ans et moins ",
    "APL aux médecins généralistes de 62 ans et moins",
    "APL aux médecins généralistes de 60 ans et moins",
    "Population standardisée 2021 pour la médecine générale",
    "Population totale 2021",
];

/// The header of the 2022 sheet of the same workbook (populations 2020).
pub const HEADER_2022: [&str; 8] = [
    "Code commune INSEE",
    "Commune",
    "APL aux médecins généralistes",
    "APL aux médecins généralistes de 65 ans et moins",
    "APL aux médecins généralistes de 62 ans et moins",
    "APL aux médecins généralistes de 60 ans et moins",
    "Population standardisée 2020 pour la médecine générale",
    "Population totale 2020",
];

/// The header of the older editions (sheet `APL_2019`, populations 2017).
pub const HEADER_2019: [&str; 6] = [
    "Code commune INSEE",
    "Commune",
    "APL aux médecins généralistes (sans borne d'âge)",
    "APL aux médecins généralistes de moins de 65 ans",
    "Population standardisée 2017 pour la médecine générale",
    "Population totale 2017",
];

/// Row (0-based) of the header: row 9 of the sheet.
pub const HEADER_ROW: u32 = 8;

/// The workbook; `cells` are written last, over anything (to plant a malformed value).
pub fn apl_workbook(sheets: &[AplSheet], cells: &[(&str, u32, u16, &str)]) -> Vec<u8> {
    let mut wb = Workbook::new();
    let notice = wb.add_worksheet().set_name("Notice").unwrap();
    notice
        .write_string(0, 0, "FIXTURE (pas des données réelles) — Accessibilité potentielle localisée (APL) aux médecins généralistes")
        .unwrap();
    notice
        .write_string(2, 0, "L'APL est exprimée en nombre de consultations accessibles par an et par habitant standardisé.")
        .unwrap();
    for sheet in sheets {
        let ws = wb.add_worksheet().set_name(sheet.name).unwrap();
        ws.write_string(
            0,
            0,
            format!(
                "FIXTURE (pas des données réelles) — APL aux médecins généralistes, {}",
                sheet.name
            ),
        )
        .unwrap();
        ws.write_string(
            2,
            0,
            "Accessibilité potentielle localisée aux médecins généralistes par commune",
        )
        .unwrap();
        ws.write_string(
            4,
            0,
            "Unité : consultations accessibles par an et par habitant standardisé",
        )
        .unwrap();
        for (c, h) in sheet.header.iter().enumerate() {
            ws.write_string(HEADER_ROW, c as u16, *h).unwrap();
        }
        // The units row, under the value columns only.
        for (c, h) in sheet.header.iter().enumerate().skip(2) {
            let unit = if h.starts_with("APL") {
                "en nombre de consultations par an et par habitant standardisé"
            } else {
                "en nombre d'habitants"
            };
            ws.write_string(HEADER_ROW + 1, c as u16, unit).unwrap();
        }
        let mut r = HEADER_ROW + 2;
        for (code, name, values) in sheet.rows {
            ws.write_string(r, 0, *code).unwrap();
            ws.write_string(r, 1, *name).unwrap();
            for (c, v) in values.iter().enumerate() {
                if let Some(v) = v {
                    ws.write_number(r, c as u16 + 2, *v).unwrap();
                }
            }
            r += 1;
        }
        for footer in [
            "Lecture : en 2023, les habitants de la commune ont accès en moyenne à 2,1 consultations par an.",
            "Champ : France hors Mayotte, médecins généralistes libéraux et salariés des centres de santé.",
            "Source : SNIIR-AM, EGB, CNAM ; populations par sexe et âge, distancier METRIC, INSEE ; traitements DREES.",
        ] {
            r += 1;
            ws.write_string(r, 0, footer).unwrap();
        }
    }
    for (sheet, row, col, text) in cells {
        wb.worksheet_from_name(sheet)
            .unwrap()
            .write_string(*row, *col, *text)
            .unwrap();
    }
    wb.save_to_buffer().unwrap()
}

/// The usual two-vintage workbook (`APL 2023` then `APL 2022`) for three communes of the Rhône and Ajaccio.
pub fn apl_2023_workbook() -> Vec<u8> {
    apl_workbook(
        &[
            AplSheet {
                name: "APL 2023",
                header: &HEADER_2023,
                rows: ROWS_2023,
            },
            AplSheet {
                name: "APL 2022",
                header: &HEADER_2022,
                rows: ROWS_2022,
            },
        ],
        &[],
    )
}

pub const ROWS_2023: &[(&str, &str, &[Option<f64>])] = &[
    (
        "69123",
        "Lyon",
        &[
            Some(4.4),
            Some(3.8),
            Some(3.5),
            Some(3.1),
            Some(530210.0),
            Some(522250.0),
        ],
    ),
    (
        "69381",
        "Lyon 1er Arrondissement",
        &[
            Some(5.2),
            Some(4.6),
            Some(4.1),
            Some(3.7),
            Some(29900.5),
            Some(29404.0),
        ],
    ),
    (
        "69264",
        "Villeurbanne",
        &[
            Some(3.1),
            Some(2.7),
            None,
            None,
            Some(152000.0),
            Some(150659.0),
        ],
    ),
    (
        "2A004",
        "Ajaccio",
        &[
            Some(3.2),
            Some(2.9),
            Some(2.6),
            Some(2.4),
            Some(73125.4),
            Some(72000.0),
        ],
    ),
];

pub const ROWS_2022: &[(&str, &str, &[Option<f64>])] = &[
    (
        "69123",
        "Lyon",
        &[
            Some(4.5),
            Some(3.9),
            Some(3.6),
            Some(3.2),
            Some(528000.0),
            Some(520000.0),
        ],
    ),
    (
        "69264",
        "Villeurbanne",
        &[
            Some(3.0),
            Some(2.6),
            Some(2.3),
            Some(2.1),
            Some(151000.0),
            Some(149000.0),
        ],
    ),
];

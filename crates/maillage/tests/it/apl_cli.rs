//! `maillage import apl-drees` then `maillage indicateurs`: the imported DREES APL of each commune listed as
//! `apl_drees` rows with year, variant and population vintage, in JSON and CSV; a malformed workbook refused
//! in French with its sheet and row, changing nothing. Workbooks come from `maillage_testkit::drees`
//! (fixtures in the published layout, not real data).

use crate::common::{maillage, ok};
use maillage_testkit::TestBase;
use maillage_testkit::drees::{AplSheet, HEADER_2023, apl_2023_workbook, apl_workbook};

/// The `apl_drees` rows of `maillage indicateurs --format json`.
fn apl_rows(base: &str) -> Vec<serde_json::Value> {
    let doc: serde_json::Value =
        serde_json::from_str(&ok(base, &["indicateurs", "--format", "json"])).unwrap();
    doc["indicateurs"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["indicateur"] == "apl_drees")
        .cloned()
        .collect()
}

#[tokio::test]
async fn indicators_list_the_imported_apl_by_year_and_variant() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("Indicateur-APL-medecins-generalistes.xlsx");
    std::fs::write(&file, apl_2023_workbook()).unwrap();
    let missing = dir.path().join("apl-sans-colonne.xlsx");
    let header = [HEADER_2023[0], HEADER_2023[1], HEADER_2023[3]];
    std::fs::write(
        &missing,
        apl_workbook(
            &[AplSheet {
                name: "APL 2023",
                header: &header,
                rows: &[("69123", "Lyon", &[Some(3.8)])],
            }],
            &[],
        ),
    )
    .unwrap();
    for base in TestBase::all().await {
        let base = base.location.as_str();
        assert!(apl_rows(base).is_empty());
        let report: serde_json::Value = serde_json::from_str(
            ok(
                base,
                &["import", "apl-drees", file.to_str().unwrap(), "--json"],
            )
            .trim(),
        )
        .unwrap();
        assert_eq!(
            report["details"]["millesimes_population"],
            serde_json::json!([2020, 2021])
        );

        let rows = apl_rows(base);
        // 2023: Lyon, Lyon 1er, Ajaccio with 4 variants, Villeurbanne with 2; 2022: 2 communes × 4.
        assert_eq!(rows.len(), 3 * 4 + 2 + 2 * 4);
        let lyon_2023: Vec<_> = rows
            .iter()
            .filter(|r| r["code_zone"] == "69123" && r["annee"] == 2023)
            .map(|r| {
                (
                    r["variante"].as_str().unwrap(),
                    r["valeur"].as_f64().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            lyon_2023,
            [
                ("tous_ages", 4.4),
                ("65_ans_et_moins", 3.8),
                ("62_ans_et_moins", 3.5),
                ("60_ans_et_moins", 3.1)
            ]
        );
        let r = rows
            .iter()
            .find(|r| r["code_zone"] == "69264" && r["annee"] == 2022)
            .unwrap();
        assert_eq!(
            (
                &r["type_zone"],
                &r["nom_zone"],
                &r["profession"],
                &r["millesime_population"]
            ),
            (
                &serde_json::json!("commune"),
                &serde_json::json!("Villeurbanne"),
                &serde_json::json!("medecin_generaliste"),
                &serde_json::json!(2020)
            )
        );

        // The CSV says the same, with the year and variant columns.
        let csv_text = ok(base, &["indicateurs", "--format", "csv"]);
        let mut rdr = csv::Reader::from_reader(csv_text.as_bytes());
        let headers = rdr.headers().unwrap().clone();
        let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
        let csv_rows: Vec<csv::StringRecord> = rdr
            .records()
            .map(Result::unwrap)
            .filter(|r| &r[0] == "apl_drees")
            .collect();
        assert_eq!(csv_rows.len(), rows.len());
        assert!(csv_rows.iter().any(|r| &r[col("code_zone")] == "2A004"
            && &r[col("annee")] == "2023"
            && &r[col("variante")] == "60_ans_et_moins"
            && &r[col("valeur")] == "2.4000"));

        // Another zone type asked: no APL rows (the DREES APL is by commune).
        let doc: serde_json::Value = serde_json::from_str(&ok(
            base,
            &["indicateurs", "--format", "json", "--type-zone", "iris"],
        ))
        .unwrap();
        assert!(
            !doc["indicateurs"]
                .as_array()
                .unwrap()
                .iter()
                .any(|r| r["indicateur"] == "apl_drees")
        );

        // A workbook without the all-ages column: French error naming sheet, row and column; nothing changes.
        let out = maillage(base, &["import", "apl-drees", missing.to_str().unwrap()]);
        assert!(!out.status.success());
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(err.starts_with("erreur : "), "{err}");
        assert!(
            err.contains("feuille « APL 2023 »")
                && err.contains("ligne 9")
                && err.contains("« APL aux médecins généralistes » est absente"),
            "{err}"
        );
        assert_eq!(apl_rows(base), rows);
    }
}

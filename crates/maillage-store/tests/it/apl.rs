//! The DREES APL workbook imported end to end on both backends, from fixtures built in the published layout
//! (`maillage_testkit::drees`, marked as fixtures): every vintage and variant stored with its population
//! vintage, re-import changing nothing, malformed workbooks refused with their location and the store unchanged.

use maillage_formats::FormatErrorKind;
use maillage_formats::apl::AplVariant;
use maillage_store::accessibility::{self, Apl};
use maillage_store::imports::{self, Silent};
use maillage_store::{Store, StoreError, batch};
use maillage_testkit::TestBase;
use maillage_testkit::drees::{AplSheet, HEADER_2023, ROWS_2023, apl_2023_workbook, apl_workbook};

const GP: &str = "medecin_generaliste";

fn find<'a>(all: &'a [Apl], code: &str, year: i64) -> &'a Apl {
    all.iter()
        .find(|a| a.commune_code == code && a.year == year)
        .unwrap_or_else(|| panic!("{code} {year}"))
}

/// The stored APL and the number of batches: equal states, equal stores for this import.
async fn state(store: &Store) -> (String, usize) {
    let apl = accessibility::apl_all(store).await.unwrap();
    (
        serde_json::to_string(&apl).unwrap(),
        batch::list(store).await.unwrap().len(),
    )
}

#[tokio::test]
async fn every_vintage_and_variant_is_kept_and_reimport_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir
        .path()
        .join("Indicateur-APL-medecins-generalistes-2023.xlsx");
    std::fs::write(&file, apl_2023_workbook()).unwrap();
    for base in TestBase::all().await {
        let store = Store::open(&base.location).await.unwrap();
        let first = imports::apl::import(&store, &file, GP, &Silent)
            .await
            .unwrap();
        assert_eq!(
            (
                first.counts.rows_read,
                first.counts.inserted,
                first.counts.rejected
            ),
            (6, 6, 0),
            "{}",
            base.backend
        );
        assert_eq!(first.vintage.as_deref(), Some("2023"));
        assert_eq!(
            first.details["millesimes_population"],
            serde_json::json!([2020, 2021])
        );
        assert_eq!(first.details["feuilles"][0]["feuille"], "APL 2023");
        assert_eq!(first.details["feuilles"][0]["millesime_population"], 2021);

        let all = accessibility::apl_all(&store).await.unwrap();
        let lyon = find(&all, "69123", 2023);
        assert_eq!(
            AplVariant::ALL.map(|v| lyon.value(v)),
            [Some(4.4), Some(3.8), Some(3.5), Some(3.1)]
        );
        assert_eq!(
            (lyon.population_vintage, lyon.profession.as_str()),
            (Some(2021), GP)
        );
        assert_eq!(find(&all, "69264", 2022).population_vintage, Some(2020));
        assert_eq!(find(&all, "69264", 2023).value(AplVariant::UpTo62), None);
        // The observatory's view: the latest year only.
        assert_eq!(accessibility::apl(&store, GP).await.unwrap().len(), 4);

        let before = accessibility::apl_all(&store).await.unwrap();
        let again = imports::apl::import(&store, &file, GP, &Silent)
            .await
            .unwrap();
        assert_eq!(
            (
                again.counts.inserted,
                again.counts.updated,
                again.counts.unchanged
            ),
            (0, 0, 6)
        );
        assert_eq!(
            serde_json::to_string(&accessibility::apl_all(&store).await.unwrap()).unwrap(),
            serde_json::to_string(&before).unwrap(),
            "{}: re-import changes no row",
            base.backend
        );
    }
}

#[tokio::test]
async fn malformed_workbooks_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, bytes: Vec<u8>| {
        let p = dir.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        p
    };
    let good = write("apl.xlsx", apl_2023_workbook());
    let no_all_ages = [
        HEADER_2023[0],
        HEADER_2023[1],
        HEADER_2023[3],
        HEADER_2023[7],
    ];
    let missing_column = write(
        "apl-sans-colonne.xlsx",
        apl_workbook(
            &[AplSheet {
                name: "APL 2023",
                header: &no_all_ages,
                rows: &[("69123", "Lyon", &[Some(3.8), Some(522250.0)])],
            }],
            &[],
        ),
    );
    let bad_value = write(
        "apl-valeur.xlsx",
        apl_workbook(
            &[AplSheet {
                name: "APL 2023",
                header: &HEADER_2023,
                rows: ROWS_2023,
            }],
            &[("APL 2023", 13, 3, "n.d. (secret)")],
        ),
    );
    let wrong_kind = write("apl-finess.xlsx", b"structureet;010000024;CH\n".to_vec());
    for base in TestBase::all().await {
        let store = Store::open(&base.location).await.unwrap();
        imports::apl::import(&store, &good, GP, &Silent)
            .await
            .unwrap();
        let before = state(&store).await;
        for (file, sheet, line) in [
            (&missing_column, Some("APL 2023"), Some(9)),
            (&bad_value, Some("APL 2023"), Some(14)),
            (&wrong_kind, None, None),
        ] {
            match imports::apl::import(&store, file, GP, &Silent).await {
                Err(StoreError::Format(e)) => {
                    assert_eq!(
                        (e.location.sheet.as_deref(), e.location.line),
                        (sheet, line),
                        "{e:?}"
                    );
                    if file == &missing_column {
                        assert_eq!(
                            e.kind,
                            FormatErrorKind::MissingColumn {
                                column: "APL aux médecins généralistes".into()
                            }
                        );
                    }
                }
                other => panic!("{}: expected a format error, got {other:?}", file.display()),
            }
            assert_eq!(
                state(&store).await,
                before,
                "{}: the store is unchanged",
                base.backend
            );
        }
    }
}

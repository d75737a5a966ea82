//! The DREES APL workbook imported end to end on both backends, from fixtures built in the published layout
//! (`maillage_testkit::drees`, marked as fixtures): every vintage and variant stored with its population
//! vintage, re-import changing nothing, malformed workbooks refused with their location and the store unchanged;
//! rows written through `rows` (a newer file marks removed, within its profession, the rows it no longer lists),
//! rows of a base or backup from before migration 0016 given their key and updated once by the next import.

use crate::common::changes;
use maillage_formats::FormatErrorKind;
use maillage_formats::apl::AplVariant;
use maillage_store::accessibility::{self, Apl};
use maillage_store::imports::{self, Silent};
use maillage_store::{Backend, Store, StoreError, backup, batch, migrations};
use maillage_testkit::TestBase;
use maillage_testkit::drees::{
    AplSheet, HEADER_2022, HEADER_2023, ROWS_2022, ROWS_2023, apl_2023_workbook, apl_workbook,
};
use std::io::{Read, Write};

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

#[tokio::test]
async fn a_newer_file_marks_removed_the_communes_it_no_longer_lists_in_its_profession_only() {
    let dir = tempfile::tempdir().unwrap();
    let first = dir.path().join("apl-2023.xlsx");
    std::fs::write(&first, apl_2023_workbook()).unwrap();
    // The same vintages without Ajaccio (2A004, listed in 2023 only).
    let without_ajaccio: Vec<_> = ROWS_2023
        .iter()
        .filter(|r| r.0 != "2A004")
        .copied()
        .collect();
    let newer = dir.path().join("apl-2023-revise.xlsx");
    std::fs::write(
        &newer,
        apl_workbook(
            &[
                AplSheet {
                    name: "APL 2023",
                    header: &HEADER_2023,
                    rows: &without_ajaccio,
                },
                AplSheet {
                    name: "APL 2022",
                    header: &HEADER_2022,
                    rows: ROWS_2022,
                },
            ],
            &[],
        ),
    )
    .unwrap();
    const NURSE: &str = "infirmier";
    for base in TestBase::all().await {
        let be = base.backend;
        let store = Store::open(&base.location).await.unwrap();
        for profession in [GP, NURSE] {
            imports::apl::import(&store, &first, profession, &Silent)
                .await
                .unwrap();
        }
        let again = imports::apl::import(&store, &first, GP, &Silent)
            .await
            .unwrap();
        assert_eq!(changes(&again), (0, 0, 6, 0), "{be}: re-import");

        let newer_report = imports::apl::import(&store, &newer, GP, &Silent)
            .await
            .unwrap();
        assert_eq!(changes(&newer_report), (0, 0, 5, 1), "{be}: newer file");
        let ajaccio = |all: &[Apl], profession: &str| {
            all.iter()
                .any(|a| a.commune_code == "2A004" && a.profession == profession)
        };
        let all = accessibility::apl_all(&store).await.unwrap();
        assert!(!ajaccio(&all, GP), "{be}: removed for the GPs");
        assert!(ajaccio(&all, NURSE), "{be}: kept for the nurses");
        let latest = accessibility::apl(&store, GP).await.unwrap();
        assert_eq!(latest.len(), 3, "{be}");
        assert!(!ajaccio(&latest, GP), "{be}");
        assert_eq!(accessibility::apl(&store, NURSE).await.unwrap().len(), 4);

        // The older file lists it again: the row comes back (an update of the row marked removed).
        let back = imports::apl::import(&store, &first, GP, &Silent)
            .await
            .unwrap();
        assert_eq!(changes(&back), (0, 1, 5, 0), "{be}: back");
        assert!(ajaccio(&accessibility::apl_all(&store).await.unwrap(), GP));
    }
}

/// Lyon's 2023 row for the GPs as an import before migration 0016 wrote it (values of `ROWS_2023`).
const LYON_2023_BEFORE_0016: &str = "INSERT INTO apl_drees (commune_code, year, profession, commune_name, apl,
     apl_under_65, apl_under_62, apl_under_60, standardised_population, population, population_vintage)
     VALUES ('69123', 2023, 'medecin_generaliste', 'Lyon', 4.4, 3.8, 3.5, 3.1, 530210.0, 522250.0, 2021)";

#[tokio::test]
async fn rows_imported_before_migration_16_get_their_key_and_are_updated_once() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("apl-2023.xlsx");
    std::fs::write(&file, apl_2023_workbook()).unwrap();
    sqlx::any::install_default_drivers();
    for base in TestBase::all().await {
        let be = base.backend;
        let (backend, url) = if be == "sqlite" {
            (
                Backend::Sqlite,
                format!("sqlite://{}?mode=rwc", base.location),
            )
        } else {
            (Backend::Postgres, base.location.clone())
        };
        let pool = sqlx::any::AnyPoolOptions::new()
            .max_connections(1)
            .connect(&url)
            .await
            .unwrap();
        migrations::migrator_up_to(backend, 15)
            .run(&pool)
            .await
            .unwrap();
        sqlx::query(LYON_2023_BEFORE_0016)
            .execute(&pool)
            .await
            .unwrap();
        pool.close().await;

        let store = Store::open(&base.location).await.unwrap();
        let key: Option<String> = sqlx::query_scalar("SELECT row_key FROM apl_drees")
            .fetch_one(store.pool())
            .await
            .unwrap();
        assert_eq!(
            key.as_deref(),
            Some("69123|2023|medecin_generaliste"),
            "{be}"
        );
        let first = imports::apl::import(&store, &file, GP, &Silent)
            .await
            .unwrap();
        assert_eq!(changes(&first), (5, 1, 0, 0), "{be}: hashed once");
        let again = imports::apl::import(&store, &file, GP, &Silent)
            .await
            .unwrap();
        assert_eq!(changes(&again), (0, 0, 6, 0), "{be}: then left alone");
    }
}

/// `backup` with the form a backup of a base before migration 0016 has: schema version 15, no key, hash or
/// removal mark in `apl_drees`.
fn as_backup_before_0016(backup: &std::path::Path, older: &std::path::Path) {
    let mut text = String::new();
    flate2::read::GzDecoder::new(std::fs::File::open(backup).unwrap())
        .read_to_string(&mut text)
        .unwrap();
    const ADDED: [&str; 3] = ["row_key", "row_hash", "removed_batch_id"];
    let mut dropped: Vec<usize> = Vec::new();
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let mut v: serde_json::Value = serde_json::from_str(line).unwrap();
        if n == 0 {
            v["schema_version"] = 15.into();
        } else if let Some(table) = v.get("table").and_then(|t| t.as_str()) {
            dropped.clear();
            if table == "apl_drees" {
                let columns = v["columns"].as_array_mut().unwrap();
                dropped = (0..columns.len())
                    .filter(|&i| ADDED.contains(&columns[i].as_str().unwrap()))
                    .collect();
                assert_eq!(dropped.len(), 3);
                for &i in dropped.iter().rev() {
                    columns.remove(i);
                }
            }
        } else if let Some(row) = v.as_array_mut() {
            for &i in dropped.iter().rev() {
                row.remove(i);
            }
        }
        out.push(v.to_string());
    }
    let mut gz = flate2::write::GzEncoder::new(
        std::fs::File::create(older).unwrap(),
        flate2::Compression::default(),
    );
    gz.write_all((out.join("\n") + "\n").as_bytes()).unwrap();
    gz.finish().unwrap();
}

#[tokio::test]
async fn a_backup_from_before_migration_16_restores_its_apl_with_their_keys() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("apl-2023.xlsx");
    std::fs::write(&file, apl_2023_workbook()).unwrap();
    for base in TestBase::all().await {
        let be = base.backend;
        let store = Store::open(&base.location).await.unwrap();
        imports::apl::import(&store, &file, GP, &Silent)
            .await
            .unwrap();
        let saved = dir.path().join(format!("{be}.maillage.gz"));
        backup::save(&store, &saved).await.unwrap();
        let older = dir.path().join(format!("{be}-avant-0016.maillage.gz"));
        as_backup_before_0016(&saved, &older);

        let fresh = match be {
            "sqlite" => TestBase::sqlite(),
            _ => TestBase::postgres().await.unwrap(),
        };
        let restored = Store::open(&fresh.location).await.unwrap();
        backup::restore(&restored, &older).await.unwrap();
        assert_eq!(
            serde_json::to_string(&accessibility::apl_all(&restored).await.unwrap()).unwrap(),
            serde_json::to_string(&accessibility::apl_all(&store).await.unwrap()).unwrap(),
            "{be}"
        );
        let first = imports::apl::import(&restored, &file, GP, &Silent)
            .await
            .unwrap();
        assert_eq!(changes(&first), (0, 6, 0, 0), "{be}: hashed once");
        let again = imports::apl::import(&restored, &file, GP, &Silent)
            .await
            .unwrap();
        assert_eq!(changes(&again), (0, 0, 6, 0), "{be}: then left alone");
    }
}

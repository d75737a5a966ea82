//! Zones and their populations written through `rows` (migration 0017), on both backends: re-importing the same
//! communes, EPCI or IRIS contours file changes nothing (no new row, no changed hash, the whole store identical);
//! a newer file without a zone marks it removed, and readers no longer see it nor its population; the older
//! file brings it back. A base or a backup from before migration 0017 gets its keys. Files are FIXTURES written
//! here (`maillage_testkit::fixtures::national`, made-up IRIS), not real data.

use crate::common::{changes, rows_of, snapshot};
use maillage_store::imports::{self, Silent};
use maillage_store::zones::{self, ZoneKind};
use maillage_store::{Backend, Store, backup, migrations};
use maillage_testkit::TestBase;
use maillage_testkit::fixtures::national::communes_json;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::Path;

/// The zones in force of `kind`, by code, with their population.
async fn in_force(store: &Store, kind: ZoneKind) -> BTreeMap<String, Option<f64>> {
    zones::list(store)
        .await
        .unwrap()
        .into_iter()
        .filter(|z| z.kind == kind)
        .map(|z| (z.code, z.population.map(|p| p.value)))
        .collect()
}

/// The communes file of the fixture, without the communes of `dropped`.
fn communes_file(dir: &Path, name: &str, dropped: &[&str]) -> std::path::PathBuf {
    let mut list: Vec<Value> = serde_json::from_str(&communes_json()).unwrap();
    list.retain(|c| !dropped.contains(&c["code"].as_str().unwrap()));
    let path = dir.join(name);
    std::fs::write(&path, serde_json::to_string(&list).unwrap()).unwrap();
    path
}

const BASTIA: &str = "2B033";

#[tokio::test]
async fn communes_reimported_change_nothing_and_a_newer_file_marks_removed_what_it_no_longer_lists()
{
    let dir = tempfile::tempdir().unwrap();
    let first = communes_file(dir.path(), "communes.json", &[]);
    let newer = communes_file(dir.path(), "communes-sans-bastia.json", &[BASTIA]);
    for base in TestBase::all().await {
        let be = base.backend;
        let store = Store::open(&base.location).await.unwrap();
        let r = imports::communes::import(&store, &first, Some(2023), &Silent)
            .await
            .unwrap();
        assert_eq!(r.counts.removed, 0, "{be}");
        assert!(r.counts.inserted > 10, "{be}: {:?}", r.counts);
        let zones_before = rows_of(&store, "zone").await;
        let populations_before = rows_of(&store, "population").await;
        let whole = snapshot(&store, dir.path()).await;
        assert_eq!(
            in_force(&store, ZoneKind::Commune).await[BASTIA],
            Some(48_000.0)
        );

        let again = imports::communes::import(&store, &first, Some(2023), &Silent)
            .await
            .unwrap();
        assert_eq!(
            changes(&again),
            (0, 0, r.counts.inserted, 0),
            "{be}: re-import"
        );
        assert_eq!(rows_of(&store, "zone").await, zones_before, "{be}");
        assert_eq!(
            rows_of(&store, "population").await,
            populations_before,
            "{be}"
        );
        assert_eq!(
            snapshot(&store, dir.path()).await,
            whole,
            "{be}: store unchanged"
        );

        let newer_report = imports::communes::import(&store, &newer, Some(2023), &Silent)
            .await
            .unwrap();
        assert_eq!(
            changes(&newer_report),
            (0, 0, r.counts.inserted - 1, 1),
            "{be}: newer file"
        );
        assert!(
            !in_force(&store, ZoneKind::Commune)
                .await
                .contains_key(BASTIA),
            "{be}"
        );
        let populations = zones::populations(&store).await.unwrap();
        let bastia_id = zone_id(&store, BASTIA).await;
        assert!(
            !populations.contains_key(&bastia_id),
            "{be}: its population is not read"
        );
        // Kept, marked removed by the newer file's batch, its row otherwise as it was.
        let removed = &rows_of(&store, "zone").await[&zones::row_key(ZoneKind::Commune, BASTIA)];
        let before = &zones_before[&zones::row_key(ZoneKind::Commune, BASTIA)];
        assert_eq!((&removed.0, removed.1), (&before.0, before.1), "{be}");
        assert_eq!(removed.2, Some(newer_report.batch_id), "{be}");

        // The older file lists it again: it comes back (an update of the row marked removed).
        let back = imports::communes::import(&store, &first, Some(2023), &Silent)
            .await
            .unwrap();
        assert_eq!(
            changes(&back),
            (0, 1, r.counts.inserted - 1, 0),
            "{be}: back"
        );
        assert_eq!(
            in_force(&store, ZoneKind::Commune).await[BASTIA],
            Some(48_000.0)
        );
    }
}

/// The id of a zone, in force or not.
async fn zone_id(store: &Store, code: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM zone WHERE code = $1")
        .bind(code)
        .fetch_one(store.pool())
        .await
        .unwrap()
}

/// An IRIS contours GeoJSON with the 2020 population (`P20_POP`): (code, name, population), all in Lyon 1er.
fn iris_file(dir: &Path, name: &str, iris: &[(&str, &str, f64)]) -> std::path::PathBuf {
    let features: Vec<Value> = iris
        .iter()
        .enumerate()
        .map(|(i, (code, name, population))| {
            let x = 4.83 + 0.002 * i as f64;
            json!({
                "type": "Feature",
                "properties": {
                    "code_iris": code, "nom_iris": name, "code_insee": "69381", "type_iris": "H",
                    "P20_POP": population,
                },
                "geometry": {"type": "Polygon", "coordinates": [[
                    [x, 45.76], [x + 0.002, 45.76], [x + 0.002, 45.762], [x, 45.762], [x, 45.76]
                ]]},
            })
        })
        .collect();
    let path = dir.join(name);
    let collection = json!({
        "type": "FeatureCollection", "name": "fixture, pas des donnees reelles", "features": features,
    });
    std::fs::write(&path, collection.to_string()).unwrap();
    path
}

const IRIS: [(&str, &str, f64); 3] = [
    ("693810101", "Fixture Terreaux", 2_100.0),
    ("693810102", "Fixture Pentes", 1_800.0),
    ("693810103", "Fixture Martinière", 2_400.0),
];

#[tokio::test]
async fn iris_contours_reimported_change_nothing_and_a_newer_file_marks_removed_what_it_no_longer_lists()
 {
    let dir = tempfile::tempdir().unwrap();
    let first = iris_file(dir.path(), "iris.geojson", &IRIS);
    let newer = iris_file(dir.path(), "iris-sans-martiniere.geojson", &IRIS[..2]);
    for base in TestBase::all().await {
        let be = base.backend;
        let store = Store::open(&base.location).await.unwrap();
        let r = imports::contours::import(&store, &first, None, &Silent)
            .await
            .unwrap();
        assert_eq!(changes(&r), (3, 0, 0, 0), "{be}");
        assert_eq!(
            in_force(&store, ZoneKind::Iris).await["693810103"],
            Some(2_400.0),
            "{be}"
        );
        let zones_before = rows_of(&store, "zone").await;
        let populations_before = rows_of(&store, "population").await;
        assert_eq!(populations_before.len(), 3, "{be}");
        let whole = snapshot(&store, dir.path()).await;

        let again = imports::contours::import(&store, &first, None, &Silent)
            .await
            .unwrap();
        assert_eq!(changes(&again), (0, 0, 3, 0), "{be}: re-import");
        assert_eq!(rows_of(&store, "zone").await, zones_before, "{be}");
        assert_eq!(
            rows_of(&store, "population").await,
            populations_before,
            "{be}"
        );
        assert_eq!(
            snapshot(&store, dir.path()).await,
            whole,
            "{be}: store unchanged"
        );

        let newer_report = imports::contours::import(&store, &newer, None, &Silent)
            .await
            .unwrap();
        assert_eq!(changes(&newer_report), (0, 0, 2, 1), "{be}: newer file");
        let iris = in_force(&store, ZoneKind::Iris).await;
        assert_eq!(
            iris.keys().collect::<Vec<_>>(),
            ["693810101", "693810102"],
            "{be}: readers see the IRIS in force only"
        );
        let centroids = zones::centroids(&store).await.unwrap();
        assert!(
            !centroids.contains_key(&zone_id(&store, "693810103").await),
            "{be}"
        );

        let back = imports::contours::import(&store, &first, None, &Silent)
            .await
            .unwrap();
        assert_eq!(changes(&back), (0, 1, 2, 0), "{be}: back");
        assert_eq!(in_force(&store, ZoneKind::Iris).await.len(), 3, "{be}");
    }
}

/// The zone and population rows as a base before migration 0017 holds them (no key; no hash nor removal mark
/// on the population).
const BEFORE_0017: [&str; 2] = [
    "INSERT INTO zone (kind, code, name, parent_code, departement, attributes, row_hash)
     VALUES ('commune', '2B033', 'Bastia', NULL, '2B', '{}', 'ancienne')",
    "INSERT INTO population (zone_id, vintage, band, value)
     VALUES ((SELECT id FROM zone WHERE code = '2B033'), 2023, 'TOTAL', 48000.0)",
];

#[tokio::test]
async fn zones_written_before_migration_17_get_their_key_and_are_updated_once() {
    let dir = tempfile::tempdir().unwrap();
    let file = communes_file(dir.path(), "communes.json", &[]);
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
        migrations::migrator_up_to(backend, 16)
            .run(&pool)
            .await
            .unwrap();
        for statement in BEFORE_0017 {
            sqlx::query(statement).execute(&pool).await.unwrap();
        }
        pool.close().await;

        let store = Store::open(&base.location).await.unwrap();
        assert_eq!(
            rows_of(&store, "zone").await.keys().collect::<Vec<_>>(),
            ["commune|2B033"],
            "{be}"
        );
        assert_eq!(
            rows_of(&store, "population")
                .await
                .keys()
                .collect::<Vec<_>>(),
            [&format!("{}|2023|TOTAL", zone_id(&store, BASTIA).await)],
            "{be}"
        );
        let first = imports::communes::import(&store, &file, Some(2023), &Silent)
            .await
            .unwrap();
        let listed = first.counts.inserted + first.counts.updated;
        assert_eq!(
            (first.counts.updated, first.counts.unchanged),
            (1, 0),
            "{be}: Bastia hashed once"
        );
        let again = imports::communes::import(&store, &file, Some(2023), &Silent)
            .await
            .unwrap();
        assert_eq!(changes(&again), (0, 0, listed, 0), "{be}: then left alone");
    }
}

/// `backup` as a backup of a base before migration 0017 has it: schema version 16, no `row_key` in `zone`, no
/// key, hash nor removal mark in `population` and `professional_acts`.
fn as_backup_before_0017(backup: &Path, older: &Path) {
    let mut text = String::new();
    flate2::read::GzDecoder::new(std::fs::File::open(backup).unwrap())
        .read_to_string(&mut text)
        .unwrap();
    let added = |table: &str| -> &'static [&'static str] {
        match table {
            "zone" => &["row_key"],
            "population" | "professional_acts" => &["row_key", "row_hash", "removed_batch_id"],
            _ => &[],
        }
    };
    let mut dropped: Vec<usize> = Vec::new();
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let mut v: Value = serde_json::from_str(line).unwrap();
        if n == 0 {
            v["schema_version"] = 16.into();
        } else if let Some(table) = v.get("table").and_then(|t| t.as_str()).map(str::to_string) {
            let columns_added = added(&table);
            let columns = v["columns"].as_array_mut().unwrap();
            dropped = (0..columns.len())
                .filter(|&i| columns_added.contains(&columns[i].as_str().unwrap()))
                .collect();
            assert_eq!(dropped.len(), columns_added.len(), "{table}");
            for &i in dropped.iter().rev() {
                columns.remove(i);
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
async fn a_backup_from_before_migration_17_restores_its_zones_and_acts_with_their_keys() {
    let dir = tempfile::tempdir().unwrap();
    let communes = communes_file(dir.path(), "communes.json", &[]);
    let acts = dir.path().join("activite-fixture-non-reelle.csv");
    std::fs::write(
        &acts,
        "Identifiant national;Année;Consultations;Visites\n810000000001;2024;4200;300\n",
    )
    .unwrap();
    for base in TestBase::all().await {
        let be = base.backend;
        let store = Store::open(&base.location).await.unwrap();
        imports::communes::import(&store, &communes, Some(2023), &Silent)
            .await
            .unwrap();
        imports::activity::import(&store, &acts, &Silent)
            .await
            .unwrap();
        let saved = dir.path().join(format!("{be}.maillage.gz"));
        backup::save(&store, &saved).await.unwrap();
        let older = dir.path().join(format!("{be}-avant-0017.maillage.gz"));
        as_backup_before_0017(&saved, &older);

        let fresh = match be {
            "sqlite" => TestBase::sqlite(),
            _ => TestBase::postgres().await.unwrap(),
        };
        let restored = Store::open(&fresh.location).await.unwrap();
        backup::restore(&restored, &older).await.unwrap();
        for table in ["zone", "population", "professional_acts"] {
            assert_eq!(
                rows_of(&restored, table).await.keys().collect::<Vec<_>>(),
                rows_of(&store, table).await.keys().collect::<Vec<_>>(),
                "{be}: {table}"
            );
        }
        assert_eq!(
            serde_json::to_string(&zones::list(&restored).await.unwrap()).unwrap(),
            serde_json::to_string(&zones::list(&store).await.unwrap()).unwrap(),
            "{be}"
        );
        // The zones kept their hash; the population figures and acts had none: hashed once, then left alone.
        let first = imports::communes::import(&restored, &communes, Some(2023), &Silent)
            .await
            .unwrap();
        assert_eq!(first.counts.inserted, 0, "{be}");
        assert!(first.counts.updated > 0, "{be}: {:?}", first.counts);
        let again = imports::communes::import(&restored, &communes, Some(2023), &Silent)
            .await
            .unwrap();
        assert_eq!(
            (again.counts.inserted, again.counts.updated),
            (0, 0),
            "{be}"
        );
        let acts_again = imports::activity::import(&restored, &acts, &Silent)
            .await
            .unwrap();
        assert_eq!(changes(&acts_again), (0, 1, 0, 0), "{be}: acts hashed once");
        let acts_then = imports::activity::import(&restored, &acts, &Silent)
            .await
            .unwrap();
        assert_eq!(changes(&acts_then), (0, 0, 1, 0), "{be}: then left alone");
    }
}

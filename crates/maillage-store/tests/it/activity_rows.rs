//! The commune's activity file written through `rows` (migration 0017), on both backends: re-importing the same
//! file changes nothing (no new row, no changed hash, the whole store identical); a newer file covering the same
//! years marks removed the (professional, year) pairs it no longer gives of the professionals it names, and
//! readers no longer see them; a file of another year, or naming other professionals, leaves them alone. Files
//! are FIXTURES written here, not real data.

use crate::common::{changes, rows_of, snapshot};
use maillage_store::Store;
use maillage_store::imports::{Silent, activity};
use maillage_testkit::TestBase;
use std::path::{Path, PathBuf};

const HEADER: &str = "Identifiant national;Année;Consultations;Visites\n";
const FIRST: &str =
    "810000000001;2024;4200;300\n810000000002;2024;3000;\n810000000001;2023;4000;250\n";
/// The same years and professionals, without 810000000001's 2024.
const NEWER: &str = "810000000002;2024;3000;\n810000000001;2023;4000;250\n";
/// Another year only.
const NEXT_YEAR: &str = "810000000001;2025;4400;310\n";

fn fixture(dir: &Path, name: &str, rows: &str) -> PathBuf {
    let path = dir.join(format!("{name}-fixture-non-reelle.csv"));
    std::fs::write(&path, format!("{HEADER}{rows}")).unwrap();
    path
}

#[tokio::test]
async fn reimport_changes_nothing_and_a_newer_file_marks_removed_what_it_no_longer_gives() {
    let dir = tempfile::tempdir().unwrap();
    let first = fixture(dir.path(), "activite", FIRST);
    let newer = fixture(dir.path(), "activite-revisee", NEWER);
    let next_year = fixture(dir.path(), "activite-2025", NEXT_YEAR);
    for base in TestBase::all().await {
        let be = base.backend;
        let store = Store::open(&base.location).await.unwrap();
        let r = activity::import(&store, &first, &Silent).await.unwrap();
        assert_eq!(changes(&r), (3, 0, 0, 0), "{be}");
        let rows = rows_of(&store, "professional_acts").await;
        assert_eq!(
            rows.keys().collect::<Vec<_>>(),
            [
                "810000000001|2023",
                "810000000001|2024",
                "810000000002|2024"
            ],
            "{be}"
        );
        let whole = snapshot(&store, dir.path()).await;

        let again = activity::import(&store, &first, &Silent).await.unwrap();
        assert_eq!(changes(&again), (0, 0, 3, 0), "{be}: re-import");
        assert_eq!(rows_of(&store, "professional_acts").await, rows, "{be}");
        assert_eq!(
            snapshot(&store, dir.path()).await,
            whole,
            "{be}: store unchanged"
        );

        let newer_report = activity::import(&store, &newer, &Silent).await.unwrap();
        assert_eq!(changes(&newer_report), (0, 0, 2, 1), "{be}: newer file");
        let removed = &rows_of(&store, "professional_acts").await["810000000001|2024"];
        assert_eq!(removed.2, Some(newer_report.batch_id), "{be}");
        let acts = activity::latest_acts(&store).await.unwrap();
        assert_eq!(
            acts["810000000001"],
            (2023, 4250.0),
            "{be}: the 2024 row removed is no longer read"
        );
        assert_eq!(acts["810000000002"], (2024, 3000.0), "{be}");

        // Another year's file leaves 2023 and 2024 alone.
        let next = activity::import(&store, &next_year, &Silent).await.unwrap();
        assert_eq!(changes(&next), (1, 0, 0, 0), "{be}: another year");
        let acts = activity::latest_acts(&store).await.unwrap();
        assert_eq!(acts["810000000001"], (2025, 4710.0), "{be}");
        assert_eq!(acts["810000000002"], (2024, 3000.0), "{be}");

        // The first file gives the pair again: it comes back (an update of the row marked removed).
        let back = activity::import(&store, &first, &Silent).await.unwrap();
        assert_eq!(changes(&back), (0, 1, 2, 0), "{be}: back");
        assert_eq!(
            rows_of(&store, "professional_acts").await["810000000001|2024"].2,
            None,
            "{be}"
        );
    }
}

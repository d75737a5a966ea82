//! The activity file of professionals (a local layout, `maillage_formats::activity`) imported on both
//! backends: columns by name in any order and under their aliases, `;` or `,`, UTF-8 or Windows-1252,
//! idempotent re-import, and every malformed variant refused with its location while the store stays as it
//! was. Files are FIXTURES written here, not real data.

use maillage_formats::FormatErrorKind;
use maillage_formats::error::expected;
use maillage_store::imports::{Silent, activity};
use maillage_store::{Store, StoreError, batch};
use maillage_testkit::TestBase;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

fn fixture(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(format!("{name}-fixture-non-reelle.csv"));
    std::fs::write(&path, bytes).unwrap();
    path
}

const GOOD: &str = "Identifiant national;Année;Consultations;Visites\n\
                    810000000001;2024;4200;300\n\
                    810000000002;2024;3000;\n\
                    810000000001;2023;4000;250\n";

async fn state(store: &Store) -> (HashMap<String, (i64, f64)>, usize) {
    (
        activity::latest_acts(store).await.unwrap(),
        batch::list(store).await.unwrap().len(),
    )
}

#[tokio::test]
async fn good_file_then_the_same_file_again_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let good = fixture(dir.path(), "activite", GOOD.as_bytes());
    for base in TestBase::all().await {
        let store = Store::open(&base.location).await.unwrap();
        let r = activity::import(&store, &good, &Silent).await.unwrap();
        assert_eq!(
            (r.kind, r.counts.rows_read, r.counts.inserted),
            ("activite", 3, 3),
            "{}",
            base.backend
        );
        assert_eq!(r.vintage.as_deref(), Some("2024"));
        assert_eq!(r.details["annees"], serde_json::json!([2023, 2024]));
        // Nobody is in the Annuaire of this empty store: the rows are kept and counted as unknown.
        assert_eq!(r.details["professionnels_inconnus"], 3);
        let (acts, batches) = state(&store).await;
        // Latest year of each professional: consultations + visits.
        assert_eq!(acts["810000000001"], (2024, 4500.0));
        assert_eq!(acts["810000000002"], (2024, 3000.0));
        assert_eq!(batches, 1);

        let again = activity::import(&store, &good, &Silent).await.unwrap();
        assert_eq!(
            (
                again.counts.unchanged,
                again.counts.inserted,
                again.recorded
            ),
            (3, 0, false)
        );
        assert_eq!(state(&store).await, (acts, batches));
    }
}

#[tokio::test]
async fn aliases_reordered_columns_commas_and_windows_1252_are_read() {
    let dir = tempfile::tempdir().unwrap();
    // Windows-1252 header (« é » is 0xE9), `,` separator, columns reordered and named by their aliases,
    // a bare 11-digit RPPS number, an extra column.
    let mut bytes = b"Nb visites,Commentaire,Ann".to_vec();
    bytes.push(0xE9);
    bytes.extend_from_slice(
        b"e,RPPS,Nombre de consultations\r\n120,cabinet,2024,10000000003,2500\r\n",
    );
    let file = fixture(dir.path(), "activite-alias", &bytes);
    for base in TestBase::all().await {
        let store = Store::open(&base.location).await.unwrap();
        let r = activity::import(&store, &file, &Silent).await.unwrap();
        assert_eq!(r.counts.inserted, 1, "{}", base.backend);
        assert_eq!(
            r.details["colonnes_inconnues"],
            serde_json::json!(["Commentaire"])
        );
        let (acts, _) = state(&store).await;
        assert_eq!(acts["810000000003"], (2024, 2620.0));
    }
}

#[tokio::test]
async fn a_changed_figure_updates_its_row_only() {
    let dir = tempfile::tempdir().unwrap();
    let good = fixture(dir.path(), "activite", GOOD.as_bytes());
    let changed = fixture(
        dir.path(),
        "activite-corrigee",
        b"Identifiant national;Ann\xc3\xa9e;Consultations;Visites\n810000000002;2024;3100;\n",
    );
    for base in TestBase::all().await {
        let store = Store::open(&base.location).await.unwrap();
        activity::import(&store, &good, &Silent).await.unwrap();
        let r = activity::import(&store, &changed, &Silent).await.unwrap();
        assert_eq!(
            (r.counts.updated, r.counts.inserted),
            (1, 0),
            "{}",
            base.backend
        );
        let (acts, batches) = state(&store).await;
        assert_eq!(acts["810000000002"], (2024, 3100.0));
        // The rows the second file does not give are kept.
        assert_eq!(acts["810000000001"], (2024, 4500.0));
        assert_eq!(batches, 2);
    }
}

#[tokio::test]
async fn every_malformed_variant_is_located_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let good = fixture(dir.path(), "activite", GOOD.as_bytes());
    let long = "9".repeat(300);
    // (file content, expected line, expected column, expected kind)
    let cases: Vec<(String, Option<u64>, Option<usize>, FormatErrorKind)> = vec![
        (
            "Année;Consultations\n2024;10\n".into(),
            Some(1),
            None,
            FormatErrorKind::MissingColumn {
                column: "Identifiant national".into(),
            },
        ),
        (
            "Identifiant national;Année;Commentaire\n810000000001;2024;x\n".into(),
            Some(1),
            None,
            FormatErrorKind::MissingColumn {
                column: "Consultations » ou « Visites".into(),
            },
        ),
        (
            "Identifiant national;Année;Consultations\n810000000001;2024;10\n12345;2024;10\n".into(),
            Some(3),
            Some(1),
            FormatErrorKind::InvalidValue {
                value: "12345".into(),
                expected: expected::NATIONAL_ID,
            },
        ),
        (
            "Identifiant national;Année;Consultations\n810000000001;vingt;10\n".into(),
            Some(2),
            Some(2),
            FormatErrorKind::InvalidValue {
                value: "vingt".into(),
                expected: expected::YEAR,
            },
        ),
        (
            "Identifiant national;Année;Consultations\n810000000001;2024;-3\n".into(),
            Some(2),
            Some(3),
            FormatErrorKind::InvalidValue {
                value: "-3".into(),
                expected: expected::ACT_COUNT,
            },
        ),
        (
            "Identifiant national;Année;Consultations\n810000000001;2024;250000\n".into(),
            Some(2),
            Some(3),
            FormatErrorKind::InvalidValue {
                value: "250000".into(),
                expected: expected::ACT_COUNT,
            },
        ),
        (
            "Identifiant national;Année;Consultations;Visites\n810000000001;2024;;\n".into(),
            Some(2),
            Some(3),
            FormatErrorKind::MissingValue,
        ),
        (
            "Identifiant national;Année;Consultations\n810000000001;2024;10\n810000000001;2024;12\n".into(),
            Some(3),
            None,
            FormatErrorKind::DuplicateId {
                id: "810000000001 (2024)".into(),
                first_line: 2,
            },
        ),
        (
            "Identifiant national;Année;Consultations\n810000000001;2024\n".into(),
            Some(2),
            None,
            FormatErrorKind::FieldCount {
                expected: 3,
                found: 2,
            },
        ),
        (
            format!("Identifiant national;Année;Consultations\n810000000001;2024;{long}\n"),
            Some(2),
            Some(3),
            FormatErrorKind::InvalidValue {
                value: maillage_formats::text::cut(&long, 80),
                expected: expected::SHORT_CELL,
            },
        ),
        (
            // A line without end, beyond the line limit: refused there, not read whole.
            format!(
                "Identifiant national;Année;Consultations\n810000000001;2024;10\n{}",
                "x".repeat(maillage_formats::activity::MAX_LINE + 10)
            ),
            Some(3),
            None,
            FormatErrorKind::LineTooLong {
                limit_bytes: maillage_formats::activity::MAX_LINE as u64,
            },
        ),
    ];
    for base in TestBase::all().await {
        let store = Store::open(&base.location).await.unwrap();
        activity::import(&store, &good, &Silent).await.unwrap();
        let before = state(&store).await;
        for (i, (content, line, column, kind)) in cases.iter().enumerate() {
            let bad = fixture(
                dir.path(),
                &format!("activite-mauvaise-{i}"),
                content.as_bytes(),
            );
            match activity::import(&store, &bad, &Silent).await {
                Err(StoreError::Format(e)) => {
                    assert_eq!(&e.kind, kind, "case {i} on {}", base.backend);
                    assert_eq!(e.location.line, *line, "case {i}");
                    if column.is_some() {
                        assert_eq!(e.location.column, *column, "case {i}");
                    }
                    assert!(e.location.file.ends_with(bad.file_name().unwrap()));
                }
                other => panic!("case {i}: {other:?}"),
            }
            assert_eq!(state(&store).await, before, "case {i} changed the store");
        }
    }
}

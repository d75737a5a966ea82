//! Zonage médecins imported on both backends: a CartoSanté export (FIXTURE files written here, not real data),
//! idempotence, a newer arrêté updating and removing rows, the territory filter, and bad files changing nothing.

use maillage_formats::FormatErrorKind;
use maillage_formats::zonage::ZonageColumns;
use maillage_store::imports::{Silent, zonage};
use maillage_store::{Store, StoreError, batch};
use maillage_testkit::TestBase;
use std::path::{Path, PathBuf};

/// CartoSanté layout `Code;Libellé;Zonage_MG`. FIXTURE, not real data.
fn cartosante(dir: &Path, name: &str, rows: &[(&str, &str, &str)]) -> PathBuf {
    let path = dir.join(format!("{name}-fixture-non-reelle.csv"));
    let mut text = String::from("Code;Libellé;Zonage_MG\n");
    for (code, label, zonage) in rows {
        text.push_str(&format!("{code};{label};{zonage}\n"));
    }
    std::fs::write(&path, text).unwrap();
    path
}

const FIRST: [(&str, &str, &str); 4] = [
    ("69029", "Bron", "1_ZIP"),
    ("69044", "Chaponost", "2_ZAC"),
    ("69123", "Lyon", "8_GQ_ZIP"),
    ("69266", "Villeurbanne", "5_HZ"),
];

async fn state(store: &Store) -> (Vec<zonage::ZonageEntry>, usize) {
    (
        zonage::all(store).await.unwrap(),
        batch::list(store).await.unwrap().len(),
    )
}

#[tokio::test]
async fn cartosante_export_is_idempotent_and_a_newer_arrete_replaces_it() {
    let dir = tempfile::tempdir().unwrap();
    let columns = ZonageColumns::default();
    for base in TestBase::all().await {
        let store = Store::open(&base.location).await.unwrap();
        let first = cartosante(dir.path(), "zonage-2025", &FIRST);
        let r = zonage::import(&store, &first, &columns, Some("2025-03-12"), &Silent)
            .await
            .unwrap();
        assert_eq!(
            (r.counts.inserted, r.counts.rows_read),
            (4, 4),
            "{}",
            base.backend
        );
        assert_eq!(r.vintage.as_deref(), Some("2025-03-12"));
        assert_eq!(r.details["par_zonage"]["ZIP"], 2);
        let bron = zonage::of_zone(&store, "commune", "69029")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            (bron.zonage.as_str(), bron.arrete.as_str()),
            ("ZIP", "2025-03-12")
        );
        let lyon = zonage::of_zone(&store, "commune", "69123")
            .await
            .unwrap()
            .unwrap();
        assert!(lyon.quartiers_only);

        // The same file again changes no row.
        let again = zonage::import(&store, &first, &columns, Some("2025-03-12"), &Silent)
            .await
            .unwrap();
        assert_eq!(
            (
                again.counts.inserted,
                again.counts.updated,
                again.counts.unchanged
            ),
            (0, 0, 4)
        );

        // A newer arrêté: Bron becomes ZAC, Villeurbanne is no longer listed (marked removed, not deleted).
        let newer = cartosante(
            dir.path(),
            "zonage-2026",
            &[
                ("69029", "Bron", "2_ZAC"),
                ("69044", "Chaponost", "2_ZAC"),
                ("69123", "Lyon", "8_GQ_ZIP"),
            ],
        );
        let r = zonage::import(&store, &newer, &columns, Some("2026-01-15"), &Silent)
            .await
            .unwrap();
        // Every row's arrêté changed: three updates, one removal.
        assert_eq!((r.counts.updated, r.counts.removed), (3, 1));
        let bron = zonage::of_zone(&store, "commune", "69029")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            (bron.zonage.as_str(), bron.arrete.as_str()),
            ("ZAC", "2026-01-15")
        );
        assert!(
            zonage::of_zone(&store, "commune", "69266")
                .await
                .unwrap()
                .is_none()
        );

        // Bad files change nothing: an unknown value, a commune given twice with two zonages.
        let before = state(&store).await;
        let unknown = cartosante(
            dir.path(),
            "inconnu",
            &[("69029", "Bron", "1_ZIP"), ("69044", "Chaponost", "ZRR")],
        );
        match zonage::import(&store, &unknown, &columns, Some("2026-02-01"), &Silent).await {
            Err(StoreError::Format(e)) => {
                assert_eq!(
                    e.kind,
                    FormatErrorKind::UnknownZonage {
                        value: "ZRR".into()
                    }
                );
                assert_eq!(e.location.line, Some(3));
            }
            other => panic!("{other:?}"),
        }
        let twice = cartosante(
            dir.path(),
            "double",
            &[("69029", "Bron", "1_ZIP"), ("69029", "Bron", "2_ZAC")],
        );
        match zonage::import(&store, &twice, &columns, Some("2026-02-01"), &Silent).await {
            Err(StoreError::Format(e)) => {
                assert_eq!(
                    e.kind,
                    FormatErrorKind::DuplicateId {
                        id: "69029".into(),
                        first_line: 2
                    }
                );
                assert_eq!(e.location.line, Some(3));
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(state(&store).await, before);
    }
}

#[tokio::test]
async fn ars_file_keeps_the_territory_and_its_qpv() {
    let dir = tempfile::tempdir().unwrap();
    for base in TestBase::all().await {
        let store = Store::open(&base.location).await.unwrap();
        maillage_store::territory::define(&store, Some("Bron".into()), &["69029".into()], &[], 0.0)
            .await
            .unwrap();
        // An ARS file as CSV with several codes per cell and its own column names. FIXTURE, not real data.
        let path = dir.path().join("zonage-ars-fixture-non-reelle.csv");
        std::fs::write(
            &path,
            "Communes;Quartiers;Classement;Signé le\n\
             \"69029, 69044\";QN06901M;ZIP;12/03/2025\n\
             69266;\"QN06905M,QN06906M\";ZAC;12/03/2025\n",
        )
        .unwrap();
        let columns = ZonageColumns {
            commune: Some("Communes".into()),
            qpv: Some("Quartiers".into()),
            zonage: Some("Classement".into()),
            arrete: Some("Signé le".into()),
        };
        let r = zonage::import(&store, &path, &columns, None, &Silent)
            .await
            .unwrap();
        // Bron and the QPV of its row are kept; Chaponost and Villeurbanne's row lie outside the territory.
        assert_eq!(
            (r.counts.inserted, r.counts.filtered),
            (2, 4),
            "{:?}",
            r.counts
        );
        let kept: Vec<(String, String, String)> = zonage::all(&store)
            .await
            .unwrap()
            .into_iter()
            .map(|e| (e.unit, e.code, e.arrete))
            .collect();
        assert_eq!(
            kept,
            vec![
                ("commune".into(), "69029".into(), "2025-03-12".into()),
                ("qpv".into(), "QN06901M".into(), "2025-03-12".into()),
            ]
        );
    }
}

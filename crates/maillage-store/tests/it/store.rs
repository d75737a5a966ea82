//! The store on every backend: migrations, idempotent zone writes, enrichment, backup and restore round trips.

use geo::{MultiPolygon, polygon};
use maillage_store::batch::Source;
use maillage_store::enrichment::{self, Enrichment, Subject};
use maillage_store::session::ImportSession;
use maillage_store::zones::{self, RowChange, ZoneKind, ZoneRecord};
use maillage_store::{Store, backup};
use maillage_testkit::TestBase;
use std::io::Read;

fn square(x: f64, y: f64, size: f64) -> MultiPolygon<f64> {
    MultiPolygon(vec![
        polygon![(x: x, y: y), (x: x + size, y: y), (x: x + size, y: y + size), (x: x, y: y + size), (x: x, y: y)],
    ])
}

fn source(kind: &'static str) -> Source {
    Source {
        kind,
        file_name: "essai.json".into(),
        sha256: "0".repeat(64),
        vintage: Some("2024".into()),
    }
}

async fn fill(store: &Store) -> (RowChange, RowChange) {
    let mut s = ImportSession::start(store, source("contours"))
        .await
        .unwrap();
    let commune = ZoneRecord {
        kind: ZoneKind::Commune,
        code: "99001".into(),
        name: "Commune d'essai".into(),
        parent_code: None,
        departement: Some("99".into()),
        attributes: serde_json::json!({"codes_postaux": ["99100"]}),
    };
    let (id, first) = zones::upsert(&mut s.tx, &commune, s.batch_id)
        .await
        .unwrap();
    zones::set_geometry(&mut s.tx, id, &square(2.0, 48.0, 0.02), s.batch_id)
        .await
        .unwrap();
    zones::set_population(&mut s.tx, id, 2021, "TOTAL", 1234.5, s.batch_id)
        .await
        .unwrap();
    for (i, code) in ["990010101", "990010102"].iter().enumerate() {
        let iris = ZoneRecord {
            kind: ZoneKind::Iris,
            code: code.to_string(),
            name: format!("IRIS « {i} »"),
            parent_code: Some("99001".into()),
            departement: Some("99".into()),
            attributes: serde_json::json!({}),
        };
        let (iid, _) = zones::upsert(&mut s.tx, &iris, s.batch_id).await.unwrap();
        zones::set_geometry(
            &mut s.tx,
            iid,
            &square(2.0 + 0.01 * i as f64, 48.0, 0.01),
            s.batch_id,
        )
        .await
        .unwrap();
        zones::set_population(&mut s.tx, iid, 2021, "TOTAL", 600.0 + i as f64, s.batch_id)
            .await
            .unwrap();
    }
    let (_, second) = zones::upsert(&mut s.tx, &commune, s.batch_id)
        .await
        .unwrap();
    s.commit(Some("2024".into()), serde_json::json!({}))
        .await
        .unwrap();
    enrichment::update(
        store,
        Subject::Professionnel,
        "810000000001",
        &Enrichment {
            birth_year: Some(1961),
            notes: Some("Départ envisagé ; « à confirmer »".into()),
            ..Default::default()
        },
        "essai",
    )
    .await
    .unwrap();
    (first, second)
}

#[tokio::test]
async fn zones_are_written_once_and_listed_with_population() {
    for base in TestBase::all().await {
        let store = Store::open(&base.location).await.unwrap();
        let (first, second) = fill(&store).await;
        assert_eq!(
            (first, second),
            (RowChange::Inserted, RowChange::Unchanged),
            "{}",
            base.backend
        );
        let zones = zones::list(&store).await.unwrap();
        assert_eq!(zones.len(), 3, "{}", base.backend);
        let commune = zones.iter().find(|z| z.kind == ZoneKind::Commune).unwrap();
        assert_eq!(commune.population.as_ref().unwrap().value, 1234.5);
        assert_eq!(commune.population.as_ref().unwrap().vintage, 2021);
        // Reopening applies no migration twice and keeps the data.
        store.close().await;
        let store = Store::open(&base.location).await.unwrap();
        assert_eq!(zones::list(&store).await.unwrap().len(), 3);
    }
}

#[tokio::test]
async fn enrichment_merges_and_validates() {
    for base in TestBase::all().await {
        let store = Store::open(&base.location).await.unwrap();
        fill(&store).await;
        let e = enrichment::update(
            &store,
            Subject::Professionnel,
            "810000000001",
            &Enrichment {
                accepting_new_patients: Some(false),
                ..Default::default()
            },
            "essai",
        )
        .await
        .unwrap();
        assert_eq!(e.birth_year, Some(1961), "the earlier field is kept");
        assert_eq!(e.accepting_new_patients, Some(false));
        let bad = enrichment::update(
            &store,
            Subject::Professionnel,
            "810000000001",
            &Enrichment {
                birth_year: Some(1800),
                ..Default::default()
            },
            "essai",
        )
        .await;
        assert!(bad.is_err());
        let kept = enrichment::get(&store, Subject::Professionnel, "810000000001")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            kept.birth_year,
            Some(1961),
            "a refused update changes nothing"
        );
    }
}

/// The backup's table sections, without the header (which carries the date and the source backend).
fn body(path: &std::path::Path) -> String {
    let mut text = String::new();
    flate2::read::GzDecoder::new(std::fs::File::open(path).unwrap())
        .read_to_string(&mut text)
        .unwrap();
    text.split_once('\n').unwrap().1.to_string()
}

#[tokio::test]
async fn backup_then_restore_gives_back_exactly_the_same_data() {
    let dir = tempfile::tempdir().unwrap();
    let mut bodies = Vec::new();
    for base in TestBase::all().await {
        let store = Store::open(&base.location).await.unwrap();
        fill(&store).await;
        let first = dir.path().join(format!("{}-1.maillage.gz", base.backend));
        let summary = backup::save(&store, &first).await.unwrap();
        assert!(summary.rows >= 9, "{summary:?}");

        // Restore into a fresh base of the same backend.
        let fresh = match base.backend {
            "sqlite" => TestBase::sqlite(),
            _ => TestBase::postgres().await.unwrap(),
        };
        let restored = Store::open(&fresh.location).await.unwrap();
        backup::restore(&restored, &first).await.unwrap();
        let second = dir.path().join(format!("{}-2.maillage.gz", base.backend));
        backup::save(&restored, &second).await.unwrap();
        assert_eq!(body(&first), body(&second), "{}", base.backend);

        // Restoring over existing data replaces it, and new rows get fresh identifiers after the restored ones.
        backup::restore(&store, &first).await.unwrap();
        let mut s = ImportSession::start(&restored, source("contours"))
            .await
            .unwrap();
        let q = ZoneRecord {
            kind: ZoneKind::Quartier,
            code: "Q1".into(),
            name: "Quartier".into(),
            parent_code: Some("99001".into()),
            departement: None,
            attributes: serde_json::json!({}),
        };
        zones::upsert(&mut s.tx, &q, s.batch_id).await.unwrap();
        s.commit(None, serde_json::json!({})).await.unwrap();
        bodies.push(body(&first));
    }
    // The same data on both backends gives the same backup body (and a SQLite backup restores into PostgreSQL).
    if bodies.len() == 2
        && let Some(pg) = TestBase::postgres().await
    {
        let store = Store::open(&pg.location).await.unwrap();
        backup::restore(&store, &dir.path().join("sqlite-1.maillage.gz"))
            .await
            .unwrap();
        let again = dir.path().join("from-sqlite.maillage.gz");
        backup::save(&store, &again).await.unwrap();
        assert_eq!(body(&again), body(&dir.path().join("sqlite-1.maillage.gz")));
    }
}

#[tokio::test]
async fn a_damaged_backup_is_refused_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    for base in TestBase::all().await {
        let store = Store::open(&base.location).await.unwrap();
        fill(&store).await;
        let good = dir.path().join(format!("{}.maillage.gz", base.backend));
        backup::save(&store, &good).await.unwrap();
        // Truncate the decompressed content: the end marker is missing.
        let text = body(&good);
        let header = {
            let mut t = String::new();
            flate2::read::GzDecoder::new(std::fs::File::open(&good).unwrap())
                .read_to_string(&mut t)
                .unwrap();
            t.lines().next().unwrap().to_string()
        };
        let truncated = dir
            .path()
            .join(format!("{}-tronque.maillage.gz", base.backend));
        let cut: String = text.lines().take(5).map(|l| format!("{l}\n")).collect();
        let mut enc = flate2::write::GzEncoder::new(
            std::fs::File::create(&truncated).unwrap(),
            Default::default(),
        );
        std::io::Write::write_all(&mut enc, format!("{header}\n{cut}").as_bytes()).unwrap();
        enc.finish().unwrap();
        let before = zones::list(&store).await.unwrap().len();
        let err = backup::restore(&store, &truncated).await.unwrap_err();
        assert!(
            matches!(err, maillage_store::StoreError::NotABackup { .. }),
            "{err:?}"
        );
        assert_eq!(zones::list(&store).await.unwrap().len(), before);
        // A file that is not a backup at all.
        let other = dir.path().join("autre.txt");
        std::fs::write(&other, "IRIS;COM\n").unwrap();
        assert!(backup::restore(&store, &other).await.is_err());
        assert_eq!(zones::list(&store).await.unwrap().len(), before);
    }
}

#[tokio::test]
async fn accounts_are_read_with_their_own_roles_and_communes() {
    use maillage_store::accounts::{self, NewAccount, Role};
    use std::collections::BTreeSet;
    for base in TestBase::all().await {
        let store = Store::open(&base.location).await.unwrap();
        let wanted = [
            ("elue", vec![Role::Elu], vec!["99101"]),
            (
                "ccas",
                vec![Role::Ccas, Role::Crise],
                vec!["99101", "99102"],
            ),
            ("dpo", vec![Role::Dpo], vec![]),
        ];
        let mut ids = Vec::new();
        for (identifier, roles, communes) in &wanted {
            let mut tx = maillage_store::change::Change::begin(&store).await.unwrap();
            let new = NewAccount {
                identifier: identifier.to_string(),
                display_name: identifier.to_string(),
                password_hash: "x".into(),
                roles: roles.iter().copied().collect(),
                territories: communes.iter().map(|c| c.to_string()).collect(),
                all_territories: false,
                demo: false,
            };
            ids.push(accounts::create(&mut tx, &new).await.unwrap());
            tx.commit().await.unwrap();
        }
        let listed = accounts::list(&store).await.unwrap();
        for ((identifier, roles, communes), id) in wanted.iter().zip(&ids) {
            let roles: BTreeSet<Role> = roles.iter().copied().collect();
            let communes: BTreeSet<String> = communes.iter().map(|c| c.to_string()).collect();
            let one = accounts::get(&store, *id).await.unwrap().unwrap();
            let in_list = listed.iter().find(|a| a.id == *id).unwrap();
            for a in [&one, in_list] {
                assert_eq!(a.identifier, *identifier, "{}", base.backend);
                assert_eq!(a.roles, roles, "[{}] {identifier}", base.backend);
                assert_eq!(a.territories, communes, "[{}] {identifier}", base.backend);
            }
        }
        assert!(accounts::get(&store, 0).await.unwrap().is_none());
    }
}

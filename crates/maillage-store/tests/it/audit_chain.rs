//! The audit journal against a careful insider (issue 14): the base refuses UPDATE and DELETE, the chain is keyed
//! by a file outside the base, the head is sealed, and anchors kept outside prove that nothing up to them changed
//! or disappeared. Each attack of the issue is played as its author would, with the triggers dropped first
//! (whoever holds the base can), on SQLite and PostgreSQL.

use maillage_store::audit::{self, Action, Anchor, AnchorProblem, Break, Entry, KeyProblem};
use maillage_store::{Store, StoreError, backup};
use maillage_testkit::TestBase;
use serde_json::json;
use sqlx::Row;

async fn entries(store: &Store, n: usize) {
    for i in 0..n {
        let entry = Entry {
            actor: "essai",
            actor_id: Some(i as i64),
            action: Action::AccountsRead,
            target: "comptes",
            details: json!({ "i": i }),
            ip: None,
        };
        audit::append(store, &entry).await.unwrap();
    }
}

async fn sql(store: &Store, statement: &str) -> Result<(), sqlx::Error> {
    sqlx::raw_sql(sqlx::AssertSqlSafe(statement.to_string()))
        .execute(store.pool())
        .await
        .map(|_| ())
}

/// What an insider with the base in hand does first.
async fn drop_locks(store: &Store, backend: &str) {
    let triggers = [
        ("audit_log_append_only", "audit_log"),
        ("audit_log_no_delete", "audit_log"),
        ("audit_head_forward_only", "audit_head"),
    ];
    for (trigger, table) in triggers {
        let statement = if backend == "sqlite" {
            format!("DROP TRIGGER {trigger}")
        } else {
            format!("DROP TRIGGER {trigger} ON {table}")
        };
        sql(store, &statement).await.unwrap();
    }
}

async fn count(store: &Store) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM audit_log")
        .fetch_one(store.pool())
        .await
        .unwrap()
}

async fn head(store: &Store) -> (i64, String, Option<String>) {
    let r = sqlx::query("SELECT last_id, last_hash, head_seal FROM audit_head")
        .fetch_one(store.pool())
        .await
        .unwrap();
    (r.get("last_id"), r.get("last_hash"), r.get("head_seal"))
}

async fn records(store: &Store) -> Vec<audit::Record> {
    let mut all = audit::list(store, &audit::Filter::default(), 1000, 0)
        .await
        .unwrap();
    all.reverse();
    all
}

#[tokio::test]
async fn the_journal_and_its_head_refuse_update_and_delete() {
    for base in TestBase::all().await {
        let store = Store::open(&base.location).await.unwrap();
        entries(&store, 3).await;
        let attempts = [
            "UPDATE audit_log SET details = '{}' WHERE id = 2",
            "DELETE FROM audit_log WHERE id = 3",
            "DELETE FROM audit_log",
            "DELETE FROM audit_head",
            "UPDATE audit_head SET last_id = 2",
            "UPDATE audit_head SET keyed_from = 10",
            "UPDATE audit_head SET key_id = NULL",
        ];
        for statement in attempts {
            assert!(
                sql(&store, statement).await.is_err(),
                "[{}] refused: {statement}",
                base.backend
            );
        }
        if base.backend == "postgres" {
            for table in ["audit_log", "audit_head"] {
                assert!(
                    sql(&store, &format!("TRUNCATE {table}")).await.is_err(),
                    "TRUNCATE {table} refused"
                );
            }
        }
        assert_eq!(count(&store).await, 3, "[{}]", base.backend);
        let v = audit::verify(&store).await.unwrap();
        assert_eq!((v.entries, v.broken, v.keyed_from), (3, None, 1));
    }
}

#[tokio::test]
async fn the_key_file_is_created_outside_the_base_readable_by_its_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let base = TestBase::sqlite();
    let store = Store::open(&base.location).await.unwrap();
    let file = std::path::PathBuf::from(format!("{}.cle-journal", base.location));
    // Opening and verifying create nothing.
    assert_eq!(audit::verify(&store).await.unwrap().broken, None);
    assert!(!file.exists(), "the verifier creates no key");
    entries(&store, 1).await;
    let mode = std::fs::metadata(&file).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600, "{mode:o}");
    let text = std::fs::read_to_string(&file).unwrap();
    let digits: String = text.lines().filter(|l| !l.starts_with('#')).collect();
    assert_eq!(digits.trim().len(), 64, "256 bits in hexadecimal: {text}");
    assert!(
        !text.contains(&records(&store).await[0].hash),
        "the key is not a hash of the base"
    );

    // A copy readable by the group is refused, before anything is written.
    let exposed = file.with_extension("exposee");
    std::fs::copy(&file, &exposed).unwrap();
    std::fs::set_permissions(&exposed, std::fs::Permissions::from_mode(0o640)).unwrap();
    let err = audit::read_key_file(&exposed).unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::AuditKey {
                problem: KeyProblem::Exposed { mode: 0o640 },
                ..
            }
        ),
        "{err:?}"
    );
    audit::use_key_file(&store, &exposed).await.unwrap();
    assert!(audit::prepare_key(&store).await.is_err());
    let refused = audit::append(
        &store,
        &Entry {
            actor: "essai",
            actor_id: None,
            action: Action::AccountsRead,
            target: "comptes",
            details: json!({}),
            ip: None,
        },
    )
    .await;
    assert!(refused.is_err());
    assert_eq!(
        count(&store).await,
        1,
        "nothing written without a usable key"
    );

    // A damaged file is refused as such.
    let damaged = file.with_extension("abimee");
    std::fs::write(&damaged, "pas une clé\n").unwrap();
    std::fs::set_permissions(&damaged, std::fs::Permissions::from_mode(0o600)).unwrap();
    assert!(matches!(
        audit::read_key_file(&damaged),
        Err(StoreError::AuditKey {
            problem: KeyProblem::Malformed,
            ..
        })
    ));
}

#[tokio::test]
async fn another_key_is_refused_and_named() {
    for base in TestBase::all().await {
        let store = Store::open(&base.location).await.unwrap();
        entries(&store, 2).await;
        let dir = tempfile::tempdir().unwrap();
        let other = dir.path().join("autre.cle-journal");
        audit::use_key_file(&store, &other).await.unwrap();
        // The verifier creates no key: the journal is keyed, the key is missing.
        assert!(matches!(
            audit::verify(&store).await,
            Err(StoreError::AuditKey {
                problem: KeyProblem::Missing,
                ..
            })
        ));
        // Nor does a writer: the journal is keyed, another key would fork it.
        assert!(matches!(
            audit::prepare_key(&store).await,
            Err(StoreError::AuditKey {
                problem: KeyProblem::Missing,
                ..
            })
        ));
        assert!(!other.exists());
        // Another key that exists is named as not the journal's, and nothing is written with it.
        std::fs::write(&other, format!("{}\n", "ab".repeat(32))).unwrap();
        std::fs::set_permissions(&other, std::os::unix::fs::PermissionsExt::from_mode(0o600))
            .unwrap();
        let err = audit::prepare_key(&store).await.unwrap_err();
        assert!(
            matches!(err, StoreError::AuditKeyMismatch { .. }),
            "[{}] {err:?}",
            base.backend
        );
        assert!(audit::append(&store, &sample()).await.is_err());
        assert_eq!(count(&store).await, 2);
        assert_eq!(
            audit::verify(&store).await.unwrap().broken,
            Some(Break::ForeignKey)
        );
    }
}

fn sample() -> Entry<'static> {
    Entry {
        actor: "essai",
        actor_id: None,
        action: Action::AccountsRead,
        target: "comptes",
        details: json!({}),
        ip: None,
    }
}

#[tokio::test]
async fn deleting_the_tail_and_moving_the_head_is_detected() {
    for base in TestBase::all().await {
        let store = Store::open(&base.location).await.unwrap();
        entries(&store, 4).await;
        // The insider notes the head (and its seal) as it is after entry 4, to bring it back later.
        let (_, hash_4, seal_4) = head(&store).await;
        entries(&store, 2).await;
        let anchor = audit::anchor(&store).await.unwrap();
        assert_eq!((anchor.id, anchor.entries, anchor.keyed_from), (6, 6, 1));
        entries(&store, 2).await;

        drop_locks(&store, base.backend).await;
        sql(&store, "DELETE FROM audit_log WHERE id > 4")
            .await
            .unwrap();
        sqlx::query("UPDATE audit_head SET last_id = 4, last_hash = $1")
            .bind(&hash_4)
            .execute(store.pool())
            .await
            .unwrap();
        // Without the key, the head's seal cannot follow.
        let v = audit::verify(&store).await.unwrap();
        assert_eq!(
            v.broken,
            Some(Break::HeadSeal { head_id: 4 }),
            "[{}]",
            base.backend
        );
        assert_eq!(v.entries, 4);

        // Bringing back the seal seen earlier passes the keyed verification: the anchor kept outside does not.
        sqlx::query("UPDATE audit_head SET head_seal = $1")
            .bind(seal_4)
            .execute(store.pool())
            .await
            .unwrap();
        assert_eq!(audit::verify(&store).await.unwrap().broken, None);
        let v = audit::verify_from(&store, &anchor).await.unwrap();
        assert_eq!(
            v.broken,
            Some(Break::AnchorMissing { id: 6, last_id: 4 }),
            "[{}]",
            base.backend
        );
    }
}

/// Rewrites entry `from` with other details and re-hashes it and every later entry with the old unkeyed rule,
/// then moves the head onto the new last hash: a perfect forgery under the rule before keying.
async fn rewrite_from(store: &Store, from: i64) {
    let mut previous = audit::GENESIS.to_string();
    for mut r in records(store).await {
        if r.id >= from {
            if r.id == from {
                r.details = json!({ "i": "autre chose" }).to_string();
            }
            r.prev_hash = previous.clone();
            r.hash = audit::hash_of(&r);
            sqlx::query(
                "UPDATE audit_log SET details = $1, prev_hash = $2, hash = $3 WHERE id = $4",
            )
            .bind(&r.details)
            .bind(&r.prev_hash)
            .bind(&r.hash)
            .bind(r.id)
            .execute(store.pool())
            .await
            .unwrap();
        }
        previous = r.hash;
    }
    sqlx::query("UPDATE audit_head SET last_hash = $1")
        .bind(&previous)
        .execute(store.pool())
        .await
        .unwrap();
}

#[tokio::test]
async fn editing_an_entry_and_rehashing_with_the_unkeyed_rule_is_detected() {
    for base in TestBase::all().await {
        let store = Store::open(&base.location).await.unwrap();
        entries(&store, 6).await;
        let anchor = audit::anchor(&store).await.unwrap();
        entries(&store, 1).await;
        drop_locks(&store, base.backend).await;
        rewrite_from(&store, 3).await;
        assert_eq!(
            audit::verify(&store).await.unwrap().broken,
            Some(Break::Modified { id: 3 }),
            "[{}]",
            base.backend
        );
        assert_eq!(
            audit::verify_from(&store, &anchor).await.unwrap().broken,
            Some(Break::Modified { id: 3 })
        );

        // Claiming the journal was never keyed (keying "starts" after the end, the head unsealed) fools a
        // verification without an anchor: that is what anchors are for. The anchor names where keying started.
        rewrite_from(&store, 1).await;
        sql(
            &store,
            "UPDATE audit_head SET keyed_from = 8, head_seal = NULL, key_id = NULL",
        )
        .await
        .unwrap();
        let v = audit::verify(&store).await.unwrap();
        assert_eq!((v.broken, v.keyed_from), (None, 8), "[{}]", base.backend);
        assert_eq!(
            audit::verify_from(&store, &anchor).await.unwrap().broken,
            Some(Break::KeyingMoved {
                anchored: 1,
                found: 8
            })
        );
        // And an anchor whose text was changed to match is no longer the key's.
        let mut forged = anchor.clone();
        forged.keyed_from = 8;
        assert_eq!(
            audit::verify_from(&store, &forged).await.unwrap().broken,
            Some(Break::AnchorForged)
        );
    }
}

#[tokio::test]
async fn an_anchor_reads_back_from_its_line_and_proves_an_untouched_journal() {
    for base in TestBase::all().await {
        let store = Store::open(&base.location).await.unwrap();
        let empty = audit::anchor(&store).await.unwrap();
        assert_eq!((empty.id, empty.entries), (0, 0));
        entries(&store, 5).await;
        let anchor = audit::anchor(&store).await.unwrap();
        let line = anchor.text();
        assert!(
            line.starts_with("maillage-ancre-journal v1 entree=5 empreinte="),
            "{line}"
        );
        assert_eq!(Anchor::parse(&line).unwrap(), anchor);
        // As found in a mail: quoted, wrapped between fields.
        let mail = format!(
            "Bonjour,\n\n> {}\n\nCordialement",
            line.replace(" date=", "\n> date=")
        );
        assert_eq!(Anchor::parse(&mail).unwrap(), anchor);
        entries(&store, 3).await;
        for a in [&empty, &anchor] {
            let before = (count(&store).await, head(&store).await);
            let v = audit::verify_from(&store, a).await.unwrap();
            assert_eq!((v.broken, v.anchored, v.entries), (None, Some(a.id), 8));
            assert_eq!(
                (count(&store).await, head(&store).await),
                before,
                "the verifier only reads"
            );
        }
        // Anchoring writes nothing either.
        audit::anchor(&store).await.unwrap();
        assert_eq!(count(&store).await, 8);

        // Altered or incomplete anchors.
        let mut other = anchor.clone();
        other.id = 4;
        assert_eq!(
            audit::verify_from(&store, &other).await.unwrap().broken,
            Some(Break::AnchorForged)
        );
        assert_eq!(Anchor::parse("rien à voir"), Err(AnchorProblem::NotFound));
        assert_eq!(
            Anchor::parse(line.split(" signature=").next().unwrap()),
            Err(AnchorProblem::MissingField("signature"))
        );
        assert_eq!(
            Anchor::parse(&line.replace("entree=5", "entree=cinq")),
            Err(AnchorProblem::InvalidField("entree"))
        );
        assert!(matches!(
            Anchor::parse(&line.replace(" v1 ", " v9 ")),
            Err(AnchorProblem::Version(v)) if v == "v9"
        ));
    }
}

/// A base written before keying (migrations 1 to 10, the unkeyed rule), then opened by this version.
#[tokio::test]
async fn an_older_unkeyed_journal_stays_valid_and_is_keyed_from_its_next_entry() {
    for base in TestBase::all().await {
        let dialect = if base.backend == "sqlite" {
            "sqlite"
        } else {
            "postgres"
        };
        older_base(&base.location, dialect).await;
        let store = Store::open(&base.location).await.unwrap();
        let v = audit::verify(&store).await.unwrap();
        assert_eq!(
            (v.entries, v.broken.clone(), v.keyed_from),
            (3, None, 4),
            "[{}] the three old entries follow the old rule, without any key",
            base.backend
        );
        entries(&store, 2).await;
        let v = audit::verify(&store).await.unwrap();
        assert_eq!((v.entries, v.broken, v.keyed_from), (5, None, 4));
        let r = records(&store).await;
        assert_ne!(r[3].hash, audit::hash_of(&r[3]), "entry 4 is keyed");
        assert_eq!(r[2].hash, audit::hash_of(&r[2]), "entry 3 is not");
    }
}

/// Applies the migrations of version 1 to 10 (as an earlier Maillage did) and writes three entries with the
/// unkeyed rule of that version.
async fn older_base(location: &str, dialect: &str) {
    use sqlx::migrate::{Migration, MigrationType, Migrator};
    use sqlx::{Connection, SqlSafeStr};
    sqlx::any::install_default_drivers();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("migrations")
        .join(dialect);
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.as_str() < "0011")
        .collect();
    names.sort();
    assert_eq!(names.len(), 10);
    // Same versions, descriptions and text as the store's own list, so that it sees them as applied.
    let descriptions = [
        "foundation",
        "accounts",
        "accessibility",
        "crisis",
        "network",
        "zonage",
        "establishment closing",
        "apl variants",
        "reference figures",
        "professional acts",
    ];
    let migrations = names
        .iter()
        .zip(descriptions)
        .enumerate()
        .map(|(i, (name, description))| {
            let text: &'static str = Box::leak(
                std::fs::read_to_string(dir.join(name))
                    .unwrap()
                    .into_boxed_str(),
            );
            Migration::new(
                i as i64 + 1,
                description.into(),
                MigrationType::Simple,
                text.into_sql_str(),
                false,
            )
        })
        .collect();
    let url = if dialect == "sqlite" {
        format!("sqlite://{location}?mode=rwc")
    } else {
        location.to_string()
    };
    let mut conn = sqlx::AnyConnection::connect(&url).await.unwrap();
    Migrator::with_migrations(migrations)
        .run(&mut conn)
        .await
        .unwrap();
    let mut previous = audit::GENESIS.to_string();
    for id in 1..=3 {
        let mut r = audit::Record {
            id,
            at: "2025-01-0{id}T10:00:00Z".replace("{id}", &id.to_string()),
            actor: "ancien".into(),
            actor_id: None,
            action: "comptes.consultation".into(),
            target: "comptes".into(),
            details: "{}".into(),
            ip: None,
            prev_hash: previous.clone(),
            hash: String::new(),
        };
        r.hash = audit::hash_of(&r);
        sqlx::query(
            "INSERT INTO audit_log (id, at, actor, actor_id, action, target, details, ip, prev_hash, hash)
             VALUES ($1, $2, $3, NULL, $4, $5, $6, NULL, $7, $8)",
        )
        .bind(r.id)
        .bind(&r.at)
        .bind(&r.actor)
        .bind(&r.action)
        .bind(&r.target)
        .bind(&r.details)
        .bind(&r.prev_hash)
        .bind(&r.hash)
        .execute(&mut conn)
        .await
        .unwrap();
        sqlx::query("UPDATE audit_head SET last_id = $1, last_hash = $2")
            .bind(id)
            .bind(&r.hash)
            .execute(&mut conn)
            .await
            .unwrap();
        previous = r.hash;
    }
    conn.close().await.unwrap();
}

#[tokio::test]
async fn a_restore_writes_only_into_an_empty_journal_and_keeps_the_chain() {
    for base in TestBase::all().await {
        let store = Store::open(&base.location).await.unwrap();
        entries(&store, 3).await;
        let key_file = audit::prepare_key(&store).await.unwrap().file.unwrap();
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("sauvegarde.gz");
        backup::save(&store, &file).await.unwrap();
        entries(&store, 2).await;

        // Over a journal that has entries: refused, nothing changed.
        let err = backup::restore(&store, &file).await.unwrap_err();
        assert!(
            matches!(err, StoreError::RestoreOverAuditLog { entries: 5 }),
            "[{}] {err:?}",
            base.backend
        );
        assert_eq!(count(&store).await, 5);
        assert_eq!(audit::verify(&store).await.unwrap().broken, None);

        // Into a new base, with the journal's key: the chain is intact and goes on.
        let fresh = match base.backend {
            "sqlite" => TestBase::sqlite(),
            _ => TestBase::postgres().await.unwrap(),
        };
        let restored = Store::open(&fresh.location).await.unwrap();
        audit::use_key_file(&restored, &key_file).await.unwrap();
        backup::restore(&restored, &file).await.unwrap();
        let v = audit::verify(&restored).await.unwrap();
        assert_eq!((v.entries, v.broken), (3, None), "[{}]", base.backend);
        entries(&restored, 1).await;
        let v = audit::verify(&restored).await.unwrap();
        assert_eq!((v.entries, v.broken), (4, None));
    }
}

#[test]
fn the_key_file_says_what_it_is_above_the_key_in_the_programs_words() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cle-journal");
    // The program gives its words once (the command line: maillage_messages::audit::KEY_FILE_COMMENT).
    audit::set_key_file_comment("Clé d'essai.\nSeconde ligne.");
    let key = audit::read_or_create_key_file(&path).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.starts_with("# Clé d'essai.\n# Seconde ligne.\n"),
        "{text}"
    );
    let read = audit::read_key_file(&path).unwrap().expect("the key file");
    assert_eq!(read.id(), key.id());
}

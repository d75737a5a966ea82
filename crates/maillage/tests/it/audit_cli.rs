//! `maillage audit ancrer` and `maillage audit verifier [--depuis]`, run as the DPO would, against the attacks of
//! issue 14, on SQLite and PostgreSQL: French output, exit code 1 on any failure, and a verifier that writes
//! nothing.

use maillage_store::Store;
use maillage_store::audit::{self, Action, Entry};
use maillage_testkit::TestBase;
use std::process::{Command, Output};

fn maillage(base: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_maillage"))
        .args(args)
        .args(["--base", base])
        .output()
        .unwrap()
}

fn text(o: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

async fn entries(store: &Store, n: usize) {
    for i in 0..n {
        let entry = Entry {
            actor: "essai",
            actor_id: None,
            action: Action::CrisisRegisterRead,
            target: "registre",
            details: serde_json::json!({ "i": i }),
            ip: None,
        };
        audit::append(store, &entry).await.unwrap();
    }
}

async fn sql(store: &Store, statement: &str) {
    sqlx::raw_sql(sqlx::AssertSqlSafe(statement.to_string()))
        .execute(store.pool())
        .await
        .unwrap();
}

async fn count(store: &Store) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM audit_log")
        .fetch_one(store.pool())
        .await
        .unwrap()
}

#[tokio::test]
async fn an_anchor_kept_outside_catches_a_deleted_tail_that_the_head_hides() {
    for base in TestBase::all().await {
        let db = base.location.as_str();
        let store = Store::open(db).await.unwrap();
        entries(&store, 5).await;
        let dir = tempfile::tempdir().unwrap();
        let register = dir.path().join("ancres.txt");
        let register_arg = register.to_str().unwrap();

        let o = maillage(db, &["audit", "ancrer", "--fichier", register_arg]);
        let (out, err) = text(&o);
        assert!(o.status.success(), "[{}] {err}", base.backend);
        let line = out.trim().to_string();
        assert!(
            line.starts_with("maillage-ancre-journal v1 entree=5 empreinte=")
                && line.contains(" signature="),
            "{line}"
        );
        assert!(err.contains("Ancre ajoutée à la fin de"), "{err}");
        assert_eq!(std::fs::read_to_string(&register).unwrap().trim(), line);

        entries(&store, 2).await;
        let before = count(&store).await;
        for given in [line.as_str(), register_arg] {
            let o = maillage(db, &["audit", "verifier", "--depuis", given]);
            let (out, err) = text(&o);
            assert!(o.status.success(), "[{}] {err}", base.backend);
            assert!(
                out.contains("Journal d'audit intact : 7 entrées vérifiées")
                    && out.contains("L'ancre de l'entrée n° 5")
                    && out.contains("rien n'a été modifié ni supprimé jusqu'à elle"),
                "{out}"
            );
        }
        assert_eq!(count(&store).await, before, "the verifier writes nothing");

        // The insider drops the locks, deletes from entry 4 on and moves the head back onto entry 3, seal included
        // as it was then (read from an old copy of the base, say).
        let r = sqlx::query_as::<_, (String,)>("SELECT hash FROM audit_log WHERE id = 3")
            .fetch_one(store.pool())
            .await
            .unwrap();
        let drops: &[&str] = if base.backend == "sqlite" {
            &[
                "DROP TRIGGER audit_log_no_delete",
                "DROP TRIGGER audit_head_forward_only",
            ]
        } else {
            &[
                "DROP TRIGGER audit_log_no_delete ON audit_log",
                "DROP TRIGGER audit_head_forward_only ON audit_head",
            ]
        };
        for d in drops {
            sql(&store, d).await;
        }
        sql(&store, "DELETE FROM audit_log WHERE id >= 4").await;
        sqlx::query("UPDATE audit_head SET last_id = 3, last_hash = $1")
            .bind(&r.0)
            .execute(store.pool())
            .await
            .unwrap();

        let o = maillage(db, &["audit", "verifier"]);
        let (_, err) = text(&o);
        assert_eq!(o.status.code(), Some(1), "[{}] {err}", base.backend);
        assert!(
            err.starts_with("erreur : journal d'audit altéré : l'en-tête du journal d'audit (dernière entrée n° 3) \
                             n'est pas scellé par la clé"),
            "{err}"
        );
        let o = maillage(db, &["audit", "verifier", "--depuis", register_arg]);
        let (_, err) = text(&o);
        assert_eq!(o.status.code(), Some(1), "[{}] {err}", base.backend);
        assert!(
            err.contains("l'entrée n° 5 nommée par l'ancre n'existe plus (le journal s'arrête à l'entrée n° 3)"),
            "{err}"
        );
        // A broken journal is not anchored.
        let o = maillage(db, &["audit", "ancrer"]);
        assert_eq!(o.status.code(), Some(1));
        assert!(text(&o).1.contains("il n'est pas ancré"), "{}", text(&o).1);
    }
}

#[tokio::test]
async fn a_rewrite_under_the_old_unkeyed_rule_fails_the_verification_in_french() {
    for base in TestBase::all().await {
        let db = base.location.as_str();
        let store = Store::open(db).await.unwrap();
        entries(&store, 4).await;
        let drop = if base.backend == "sqlite" {
            "DROP TRIGGER audit_log_append_only"
        } else {
            "DROP TRIGGER audit_log_append_only ON audit_log"
        };
        sql(&store, drop).await;
        // Entry 4 (the last) rewritten and re-hashed with the unkeyed rule, the head following it.
        let mut last = audit::list(&store, &audit::Filter::default(), 1, 0)
            .await
            .unwrap()
            .remove(0);
        last.details = "{\"i\":\"autre\"}".into();
        last.hash = audit::hash_of(&last);
        sqlx::query("UPDATE audit_log SET details = $1, hash = $2 WHERE id = 4")
            .bind(&last.details)
            .bind(&last.hash)
            .execute(store.pool())
            .await
            .unwrap();
        sqlx::query("UPDATE audit_head SET last_hash = $1")
            .bind(&last.hash)
            .execute(store.pool())
            .await
            .unwrap();
        let o = maillage(db, &["audit", "verifier"]);
        let (_, err) = text(&o);
        assert_eq!(o.status.code(), Some(1), "[{}] {err}", base.backend);
        assert_eq!(
            err.trim(),
            "erreur : journal d'audit altéré : l'entrée n° 4 du journal d'audit a été modifiée après son écriture \
             (son contenu ne correspond plus à son empreinte) (3 entrées intactes avant la rupture)"
        );
    }
}

#[tokio::test]
async fn the_key_file_is_named_checked_and_never_created_by_the_verifier() {
    use std::os::unix::fs::PermissionsExt;
    let base = TestBase::sqlite();
    let db = base.location.as_str();
    let default_key = format!("{db}.cle-journal");
    let dir = tempfile::tempdir().unwrap();
    let own = dir.path().join("cle");
    let own_arg = own.to_str().unwrap();

    // An empty journal verifies without any key; nothing is created.
    let o = maillage(db, &["audit", "verifier", "--cle-journal", own_arg]);
    assert!(o.status.success(), "{}", text(&o).1);
    assert!(!own.exists() && !std::path::Path::new(&default_key).exists());

    // The first anchor creates the named key, readable by its owner only.
    let o = maillage(db, &["audit", "ancrer", "--cle-journal", own_arg]);
    assert!(o.status.success(), "{}", text(&o).1);
    assert_eq!(
        std::fs::metadata(&own).unwrap().permissions().mode() & 0o777,
        0o600
    );
    let o = maillage(
        db,
        &[
            "utilisateur",
            "creer",
            "--identifiant",
            "dpo",
            "--role",
            "dpo",
            "--cle-journal",
            own_arg,
        ],
    );
    assert!(o.status.success(), "{}", text(&o).1);
    assert!(!std::path::Path::new(&default_key).exists());
    let store = Store::open(db).await.unwrap();
    assert_eq!(count(&store).await, 1);

    // Without the option, the default file does not exist: the verifier says where it looked and what to do, and a
    // writer neither starts another key nor writes.
    let o = maillage(db, &["audit", "verifier"]);
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("la clé du journal d'audit est introuvable")
            && err.contains(&default_key)
            && err.contains("--cle-journal"),
        "{err}"
    );
    let o = maillage(
        db,
        &[
            "utilisateur",
            "creer",
            "--identifiant",
            "autre",
            "--role",
            "dpo",
        ],
    );
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("la clé du journal d'audit est introuvable"),
        "{err}"
    );
    assert!(!std::path::Path::new(&default_key).exists());
    assert_eq!(count(&store).await, 1);

    // Another key is named as such.
    let other = dir.path().join("autre-cle");
    std::fs::write(&other, format!("{}\n", "ab".repeat(32))).unwrap();
    std::fs::set_permissions(&other, std::fs::Permissions::from_mode(0o600)).unwrap();
    let other_arg = other.to_str().unwrap();
    let o = maillage(
        db,
        &[
            "utilisateur",
            "creer",
            "--identifiant",
            "autre",
            "--role",
            "dpo",
            "--cle-journal",
            other_arg,
        ],
    );
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("n'est pas celle qui a scellé le journal de cette base"),
        "{err}"
    );
    assert_eq!(count(&store).await, 1);
    let o = maillage(db, &["audit", "verifier", "--cle-journal", other_arg]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o)
            .1
            .contains("la clé donnée n'est pas celle qui a scellé ce journal"),
        "{}",
        text(&o).1
    );

    // The named key, made readable by others, is refused.
    std::fs::set_permissions(&own, std::fs::Permissions::from_mode(0o644)).unwrap();
    let o = maillage(db, &["audit", "verifier", "--cle-journal", own_arg]);
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("est lisible par d'autres comptes (droits 644)") && err.contains("chmod 600"),
        "{err}"
    );
    std::fs::set_permissions(&own, std::fs::Permissions::from_mode(0o600)).unwrap();
    let o = maillage(db, &["audit", "verifier", "--cle-journal", own_arg]);
    assert!(o.status.success(), "{}", text(&o).1);

    // No mail server configured: the anchor is printed all the same, and the failure said.
    let o = maillage(
        db,
        &[
            "audit",
            "ancrer",
            "--cle-journal",
            own_arg,
            "--courriel",
            "dpo@mairie.example",
        ],
    );
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        out.starts_with("maillage-ancre-journal v1 entree=1 "),
        "{out}"
    );
    assert!(
        err.contains("aucun serveur de courriel n'est configuré")
            && err.contains("recopiez la ligne"),
        "{err}"
    );

    // A garbled anchor is refused with what is wrong.
    let o = maillage(
        db,
        &[
            "audit",
            "verifier",
            "--cle-journal",
            own_arg,
            "--depuis",
            "maillage-ancre-journal v1 entree=1",
        ],
    );
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("ancre du journal d'audit illisible : le champ « empreinte » manque"),
        "{err}"
    );
}

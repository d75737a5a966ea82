//! `maillage utilisateur` and `maillage audit verifier`, run as a user would, on SQLite and PostgreSQL.

use maillage_testkit::TestBase;
use std::io::Write;
use std::process::{Command, Output, Stdio};

fn maillage(base: &str, args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_maillage"))
        .args(args)
        .args(["--base", base])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    if let Some(text) = stdin {
        input.write_all(text.as_bytes()).unwrap();
    }
    drop(input);
    child.wait_with_output().unwrap()
}

fn text(o: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[tokio::test]
async fn the_first_administrator_is_created_and_the_audit_chain_is_verified() {
    for base in TestBase::all().await {
        let db = base.location.as_str();
        let create = [
            "utilisateur",
            "creer",
            "--identifiant",
            "Admin",
            "--role",
            "admin",
            "--mot-de-passe-stdin",
        ];
        let o = maillage(db, &create, Some("une phrase de passe assez longue\n"));
        let (out, err) = text(&o);
        assert!(o.status.success(), "[{}] {out}{err}", base.backend);
        assert!(out.contains("Compte « admin » créé"), "{out}");
        assert!(
            !out.contains("une phrase de passe"),
            "a password given on stdin is not echoed"
        );

        let o = maillage(db, &create, Some("une phrase de passe assez longue\n"));
        assert!(!o.status.success());
        assert!(
            text(&o)
                .1
                .contains("erreur : l'identifiant « admin » est déjà pris"),
            "{}",
            text(&o).1
        );
        let o = maillage(
            db,
            &[
                "utilisateur",
                "creer",
                "--identifiant",
                "x2",
                "--role",
                "maire",
                "--mot-de-passe-stdin",
            ],
            Some("une phrase de passe assez longue\n"),
        );
        assert!(
            text(&o).1.contains("rôle inconnu « maire »"),
            "{}",
            text(&o).1
        );
        let o = maillage(
            db,
            &[
                "utilisateur",
                "creer",
                "--identifiant",
                "x3",
                "--role",
                "elu",
                "--mot-de-passe-stdin",
            ],
            Some("court\n"),
        );
        assert!(
            text(&o).1.contains("mot de passe trop court"),
            "{}",
            text(&o).1
        );

        // Without --mot-de-passe-stdin, a password is drawn and shown once.
        let o = maillage(
            db,
            &[
                "utilisateur",
                "creer",
                "--identifiant",
                "ars",
                "--role",
                "partenaire",
                "--territoire",
                "86194",
            ],
            None,
        );
        let (out, err) = text(&o);
        assert!(o.status.success(), "{err}");
        assert!(out.contains("Mot de passe : "), "{out}");

        let (out, _) = text(&maillage(db, &["utilisateur", "liste"], None));
        assert!(
            out.contains("admin — admin — rôles : admin")
                && out.contains("ars — ars — rôles : partenaire — territoire : 86194"),
            "{out}"
        );

        let o = maillage(
            db,
            &[
                "utilisateur",
                "mot-de-passe",
                "--identifiant",
                "ars",
                "--mot-de-passe-stdin",
            ],
            Some("une autre phrase de passe\r\n"),
        );
        assert!(o.status.success(), "{}", text(&o).1);
        // Weak passwords are refused by the command line too (CNIL policy), in French, and change nothing.
        for (weak, expected) in [
            ("123456789012", "une suite simple"),
            ("ars.ars.ars.ars", "motif répété"),
            ("Azerty123456!", "fait partie des plus courants"),
        ] {
            let o = maillage(
                db,
                &[
                    "utilisateur",
                    "mot-de-passe",
                    "--identifiant",
                    "ars",
                    "--mot-de-passe-stdin",
                ],
                Some(&format!("{weak}\n")),
            );
            assert!(!o.status.success(), "{weak}");
            assert!(text(&o).1.contains(expected), "{weak}: {}", text(&o).1);
        }

        let o = maillage(db, &["audit", "verifier"], None);
        let (out, err) = text(&o);
        assert!(o.status.success(), "[{}] {err}", base.backend);
        assert!(
            out.contains("Journal d'audit intact : 3 entrées vérifiées"),
            "{out}"
        );

        // Someone rewrites the first entry directly in the base: the verification fails, in French, exit 1.
        let store = maillage_store::Store::open(db).await.unwrap();
        let drop = if base.backend == "sqlite" {
            "DROP TRIGGER audit_log_append_only"
        } else {
            "DROP TRIGGER audit_log_append_only ON audit_log"
        };
        sqlx::raw_sql(drop).execute(store.pool()).await.unwrap();
        sqlx::raw_sql("UPDATE audit_log SET actor = 'quelqu''un d''autre' WHERE id = 1")
            .execute(store.pool())
            .await
            .unwrap();
        store.close().await;
        let o = maillage(db, &["audit", "verifier"], None);
        let (_, err) = text(&o);
        assert_eq!(o.status.code(), Some(1), "[{}] {err}", base.backend);
        assert!(
            err.starts_with(
                "erreur : journal d'audit altéré : l'entrée n° 1 du journal d'audit a été modifiée"
            ),
            "{err}"
        );
    }
}

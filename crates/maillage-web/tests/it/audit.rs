//! The audit log: what is recorded, the DPO's page and export, and the hash chain catching any tampering, on
//! SQLite and PostgreSQL.

use crate::common;
use common::{account, audit_actions, demo_server, sql};
use maillage_store::Store;
use maillage_store::accounts::Role;
use maillage_store::audit::{self, Action, Break, Entry};
use maillage_testkit::TestBase;
use serde_json::json;

#[tokio::test]
async fn reads_of_personal_data_logins_and_changes_are_audited() {
    for base in TestBase::all().await {
        let server = demo_server(&base).await;
        for role in [Role::Observatoire, Role::Partenaire, Role::Dpo, Role::Admin] {
            account(&server.store, role.as_str(), &[role]).await;
        }

        // The nominative list of professionals: audited, with who, what and how many.
        let mut obs = server.client();
        obs.login_ok("observatoire").await;
        let r = obs
            .get("/api/v1/professionnels?profession=medecin_generaliste")
            .await;
        assert_eq!(r.status, 200);
        let listed = r.json()["professionnels"].as_array().unwrap().len();
        assert!(
            listed > 10,
            "[{}] the demo town has GPs: {listed}",
            server.backend
        );
        let entries = audit_actions(&server.store, "professionnels.liste").await;
        assert_eq!(entries.len(), 1, "[{}]", server.backend);
        let e = &entries[0];
        assert_eq!(e.actor, "observatoire");
        assert_eq!(e.ip.as_deref(), Some("127.0.0.1"));
        let details: serde_json::Value = serde_json::from_str(&e.details).unwrap();
        assert_eq!(details["lignes"], listed);
        assert_eq!(details["profession"], "medecin_generaliste");

        // Aggregated counts are not personal data: not logged as a listing.
        let mut partner = server.client();
        partner.login_ok("partenaire").await;
        assert_eq!(
            partner.get("/api/v1/professionnels").await.json()["mode"],
            "agrege"
        );
        assert_eq!(
            audit_actions(&server.store, "professionnels.liste")
                .await
                .len(),
            1
        );

        // The administrator reading the accounts, creating one.
        let mut admin = server.client();
        let csrf = admin.login_ok("admin").await;
        admin.get("/admin/utilisateurs").await;
        assert_eq!(
            audit_actions(&server.store, "comptes.consultation")
                .await
                .len(),
            1
        );
        let r = admin
            .post_form(
                "/admin/utilisateurs",
                &[
                    ("_csrf", &csrf),
                    ("identifiant", "nouvelle"),
                    ("nom", "Nouvelle"),
                    ("mot_de_passe", common::PASSWORD),
                    ("role", "ccas"),
                    ("territoires", "99101"),
                ],
            )
            .await;
        assert_eq!(r.status, 303, "{}", r.body);
        let created = audit_actions(&server.store, "comptes.creation").await;
        let last = created.last().unwrap();
        assert_eq!(last.actor, "admin");
        assert!(
            last.details.contains("\"ccas\"") && last.details.contains("99101"),
            "{}",
            last.details
        );
        assert!(
            !last.details.contains(common::PASSWORD),
            "never a password in the log"
        );

        // The DPO reads the log (itself audited), filters it and exports it.
        let mut dpo = server.client();
        dpo.login_ok("dpo").await;
        let page = dpo.get("/dpo/journal?action=professionnels.liste").await;
        assert_eq!(page.status, 200);
        assert!(
            page.body.contains("Liste nominative des professionnels")
                && page.body.contains(">1 entrée.<"),
            "{}",
            page.body
        );
        let page = dpo.get("/dpo/journal?acteur=admin").await;
        assert!(
            page.body.contains("Création d&#39;un compte")
                || page.body.contains("Création d'un compte")
        );
        assert!(
            !page.body.contains(">observatoire<"),
            "filtered on the actor"
        );
        // The filter's days are the instance's (Europe/Paris), as the dates shown.
        let today = maillage_kit::local_time::today(jiff::Timestamp::now());
        let page = dpo
            .get(&format!("/dpo/journal?du={today}&au={today}"))
            .await;
        assert!(!page.body.contains("Aucun résultat."), "today's entries");
        let page = dpo.get("/dpo/journal?du=2000-01-01&au=2000-01-02").await;
        assert!(page.body.contains("Aucun résultat."), "{}", page.body);
        assert_eq!(dpo.get("/dpo/journal?du=hier").await.status, 400);
        assert_eq!(
            audit_actions(&server.store, "journal.consultation")
                .await
                .len(),
            4
        );

        let csv = dpo.get("/dpo/journal.csv?action=connexion.reussie").await;
        assert_eq!(csv.status, 200);
        assert_eq!(
            csv.headers.get("content-type").unwrap(),
            "text/csv; charset=utf-8"
        );
        assert!(
            csv.headers
                .get("content-disposition")
                .unwrap()
                .to_str()
                .unwrap()
                .contains("attachment")
        );
        let lines: Vec<&str> = csv.body.trim_start_matches('\u{feff}').lines().collect();
        assert!(
            lines[0].starts_with("numero;date;acteur;action"),
            "{}",
            lines[0]
        );
        assert_eq!(
            lines.len(),
            1 + 4,
            "header + the four successful logins: {lines:?}"
        );
        assert!(lines[1..].iter().all(|l| l.contains(";connexion.reussie;")));
        let exports = audit_actions(&server.store, "journal.export").await;
        assert_eq!(exports.len(), 1);
        assert!(
            exports[0].details.contains("\"lignes\":4"),
            "{}",
            exports[0].details
        );

        // The whole log is a valid chain.
        let page = dpo.get("/dpo/journal/verification").await;
        assert!(page.body.contains("le journal est intact"), "{}", page.body);
        let v = audit::verify(&server.store).await.unwrap();
        assert_eq!(v.broken, None);
        assert!(v.entries > 10);
        server.stop().await;
    }
}

async fn some_entries(store: &Store, n: usize) {
    for i in 0..n {
        let entry = Entry {
            actor: "essai",
            actor_id: Some(i as i64),
            action: Action::AccountsRead,
            target: "comptes",
            details: json!({ "i": i, "texte": "accentué ; « guillemets »" }),
            ip: if i % 2 == 0 { Some("127.0.0.1") } else { None },
        };
        audit::append(store, &entry).await.unwrap();
    }
}

#[tokio::test]
async fn the_hash_chain_detects_modified_removed_and_truncated_entries() {
    for base in TestBase::all().await {
        let store = Store::open(&base.location).await.unwrap();
        some_entries(&store, 6).await;
        let v = audit::verify(&store).await.unwrap();
        assert_eq!(
            (v.entries, v.broken.clone()),
            (6, None),
            "[{}]",
            base.backend
        );

        // Append-only: the base itself refuses an UPDATE.
        let refused = sql(&store, "UPDATE audit_log SET details = '{}' WHERE id = 3").await;
        assert!(
            refused.is_err(),
            "[{}] the trigger forbids updates",
            base.backend
        );

        // Someone with the base in hand drops the trigger and rewrites an entry: the chain tells.
        let drop = if base.backend == "sqlite" {
            "DROP TRIGGER audit_log_append_only"
        } else {
            "DROP TRIGGER audit_log_append_only ON audit_log"
        };
        sql(&store, drop).await.unwrap();
        sql(
            &store,
            "UPDATE audit_log SET details = '{\"i\":2,\"texte\":\"autre\"}' WHERE id = 3",
        )
        .await
        .unwrap();
        let v = audit::verify(&store).await.unwrap();
        assert_eq!(
            v.broken,
            Some(Break::Modified { id: 3 }),
            "[{}]",
            base.backend
        );
        assert_eq!(v.entries, 2, "two intact entries before the break");

        // Rewriting the hash too does not help without the key.
        rehash_and_check(&store, base.backend).await;
    }
}

/// Recomputes the hash of the tampered entry 3 as a forger who reads the code but lacks the journal's key would
/// (the public, unkeyed rule): the keyed chain still finds entry 3 modified.
async fn rehash_and_check(store: &Store, backend: &str) {
    let records = audit::list(store, &audit::Filter::default(), 100, 0)
        .await
        .unwrap();
    let mut third = records.iter().find(|r| r.id == 3).unwrap().clone();
    third.hash = audit::hash_of(&third);
    sqlx::query("UPDATE audit_log SET hash = $1 WHERE id = 3")
        .bind(&third.hash)
        .execute(store.pool())
        .await
        .unwrap();
    let v = audit::verify(store).await.unwrap();
    assert_eq!(v.broken, Some(Break::Modified { id: 3 }), "[{backend}]");
}

#[tokio::test]
async fn removing_entries_anywhere_is_detected() {
    for base in TestBase::all().await {
        let store = Store::open(&base.location).await.unwrap();
        some_entries(&store, 5).await;
        // The base refuses DELETE: only someone who drops the trigger first gets there.
        assert!(
            sql(&store, "DELETE FROM audit_log WHERE id = 5")
                .await
                .is_err()
        );
        let drop = if base.backend == "sqlite" {
            "DROP TRIGGER audit_log_no_delete"
        } else {
            "DROP TRIGGER audit_log_no_delete ON audit_log"
        };
        sql(&store, drop).await.unwrap();
        sql(&store, "DELETE FROM audit_log WHERE id = 5")
            .await
            .unwrap();
        assert_eq!(
            audit::verify(&store).await.unwrap().broken,
            Some(Break::Head {
                head_id: 5,
                last_id: 4
            }),
            "[{}] tail",
            base.backend
        );
        sql(&store, "DELETE FROM audit_log WHERE id = 2")
            .await
            .unwrap();
        assert_eq!(
            audit::verify(&store).await.unwrap().broken,
            Some(Break::Gap {
                expected: 2,
                found: 3
            }),
            "[{}] middle",
            base.backend
        );
        sql(&store, "DELETE FROM audit_log").await.unwrap();
        assert_eq!(
            audit::verify(&store).await.unwrap().broken,
            Some(Break::Head {
                head_id: 5,
                last_id: 0
            }),
            "[{}] all",
            base.backend
        );
    }
}

#[tokio::test]
async fn concurrent_writers_keep_one_unbroken_chain() {
    for base in TestBase::all().await {
        let store = Store::open(&base.location).await.unwrap();
        let tasks: Vec<_> = (0..24)
            .map(|i| {
                let store = store.clone();
                tokio::spawn(async move {
                    let entry = Entry {
                        actor: "parallele",
                        actor_id: Some(i),
                        action: Action::ProfessionalsListed,
                        target: "essai",
                        details: json!({ "tache": i }),
                        ip: None,
                    };
                    audit::append(&store, &entry).await.unwrap()
                })
            })
            .collect();
        let mut ids = Vec::new();
        for t in tasks {
            ids.push(t.await.unwrap());
        }
        ids.sort();
        assert_eq!(
            ids,
            (1..=24).collect::<Vec<i64>>(),
            "[{}] every entry got its own place",
            base.backend
        );
        let v = audit::verify(&store).await.unwrap();
        assert_eq!((v.entries, v.broken), (24, None), "[{}]", base.backend);
    }
}

#[tokio::test]
async fn the_log_survives_a_backup_and_restore_intact() {
    for base in TestBase::all().await {
        let store = Store::open(&base.location).await.unwrap();
        some_entries(&store, 3).await;
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("sauvegarde.gz");
        maillage_store::backup::save(&store, &file).await.unwrap();
        // A journal is never replaced: the restore goes into a new base, which reads the same key.
        let key = audit::prepare_key(&store).await.unwrap().file.unwrap();
        let fresh = match base.backend {
            "sqlite" => TestBase::sqlite(),
            _ => TestBase::postgres().await.unwrap(),
        };
        let restored = Store::open(&fresh.location).await.unwrap();
        audit::use_key_file(&restored, &key).await.unwrap();
        maillage_store::backup::restore(&restored, &file)
            .await
            .unwrap();
        let v = audit::verify(&restored).await.unwrap();
        assert_eq!((v.entries, v.broken), (3, None), "[{}]", base.backend);
        some_entries(&restored, 1).await;
        assert_eq!(
            audit::verify(&restored).await.unwrap().entries,
            4,
            "the chain goes on after a restore"
        );
    }
}

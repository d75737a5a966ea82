//! Migration 0011 on a base that already holds crisis records, on SQLite and PostgreSQL: the base is first
//! brought to version 10 with the migrations as shipped, filled with a fixture record of each kind (not real
//! data), then opened by the store, which applies 0011. A territory of one commune gives its rows that commune
//! (the append-only main courante included); a territory of several leaves them to the whole territory.

use maillage_store::crisis::register;
use maillage_store::reach::Reach;
use maillage_store::{Backend, Store, migrations};
use maillage_testkit::TestBase;
use sqlx::any::AnyPoolOptions;

/// Brings the base at `location` to version 10 and writes the territory `communes` and one crisis record of
/// each kind the test reads back.
async fn base_at_version_10(location: &str, postgres: bool, communes: &[&str]) {
    sqlx::any::install_default_drivers();
    let url = if postgres {
        location.to_string()
    } else {
        format!("sqlite://{location}?mode=rwc")
    };
    let pool = AnyPoolOptions::new()
        .max_connections(1)
        .connect(&url)
        .await
        .unwrap();
    let backend = if postgres {
        Backend::Postgres
    } else {
        Backend::Sqlite
    };
    let migrator = migrations::migrator_up_to(backend, 10);
    migrator.run(&pool).await.unwrap();
    let territory = serde_json::json!({
        "name": "Territoire (fixture)", "communes": communes, "neighbours": [], "buffer_km": 2.0
    });
    let statements = [
        "INSERT INTO setting (key, value) VALUES ('territoire', $1)",
        "INSERT INTO crisis_person (last_name, first_name, birth_date, address, basis, requester, requested_on,
             confirmed_on, created_at, created_by, updated_at)
         VALUES ('Avant-Fixture', 'Jeanne', '1940-01-01', '1 rue (fixture)', 'age_65', 'personne', '2026-01-02',
             '2026-01-02', '2026-01-02T10:00:00Z', 'test', '2026-01-02T10:00:00Z')",
        "INSERT INTO crisis_event (kind, title, level, opened_at, opened_by)
         VALUES ('canicule', 'Canicule (fixture)', 'veille', '2026-01-02T10:00:00Z', 'test')",
        "INSERT INTO crisis_log (at, recorded_at, kind, text, recorded_by)
         VALUES ('2026-01-02T10:00:00Z', '2026-01-02T10:00:00Z', 'information', 'Entrée (fixture)', 'test')",
    ];
    for (i, sql) in statements.iter().enumerate() {
        let q = sqlx::query(sqlx::AssertSqlSafe(*sql));
        let q = if i == 0 {
            q.bind(territory.to_string())
        } else {
            q
        };
        q.execute(&pool).await.unwrap();
    }
    pool.close().await;
}

async fn communes_of(store: &Store, table: &str) -> Vec<Option<String>> {
    sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT commune_code FROM {table} ORDER BY id"
    )))
    .fetch_all(store.pool())
    .await
    .unwrap()
}

#[tokio::test]
async fn existing_crisis_rows_get_the_commune_of_a_one_commune_territory() {
    for (communes, expected) in [
        (&["86194"][..], Some("86194".to_string())),
        (&["86194", "86041"][..], None),
    ] {
        for base in TestBase::all().await {
            let postgres = base.location.starts_with("postgres");
            base_at_version_10(&base.location, postgres, communes).await;
            let store = Store::open(&base.location).await.unwrap();
            let be = base.backend;
            for table in ["crisis_person", "crisis_event", "crisis_log"] {
                assert_eq!(
                    communes_of(&store, table).await,
                    std::slice::from_ref(&expected),
                    "[{be}] {table} with {communes:?}"
                );
            }
            // The main courante is append-only again after the migration.
            assert!(
                sqlx::query("UPDATE crisis_log SET text = 'changé'")
                    .execute(store.pool())
                    .await
                    .is_err(),
                "[{be}]"
            );
            // A one-commune account reads the person only when the migration gave them its commune.
            let one = Reach::communes(["86194"]);
            assert_eq!(
                register::list(&store, &one).await.unwrap().len(),
                usize::from(expected.is_some()),
                "[{be}]"
            );
            assert_eq!(
                register::list(&store, &Reach::everything())
                    .await
                    .unwrap()
                    .len(),
                1
            );
            store.close().await;
        }
    }
}

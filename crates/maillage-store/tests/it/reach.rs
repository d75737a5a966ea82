//! The reach of a caller applied in SQL on both backends: a commune account lists its communes' rows (and the
//! shared rows of the whole territory where the table allows it), and on PostgreSQL the transaction carries the
//! reach the row-level security policies read.

use maillage_store::reach::{self, Reach, Territorywide};
use maillage_store::{Backend, Store};
use maillage_testkit::TestBase;

async fn codes(store: &Store, reach: &Reach, territorywide: Territorywide) -> Vec<String> {
    let mut tx = reach::begin_read(store, reach).await.unwrap();
    let clause = reach.clause("commune_code", 2, territorywide);
    let sql = format!(
        "SELECT label FROM reach_probe WHERE label <> $1 AND {} ORDER BY label",
        clause.sql
    );
    let rows: Vec<String> = clause
        .bind_scalar(sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).bind("jamais"))
        .fetch_all(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    rows
}

#[tokio::test]
async fn a_reach_selects_the_rows_of_its_communes_on_both_backends() {
    for base in TestBase::all().await {
        let store = Store::open(&base.location).await.unwrap();
        sqlx::query("CREATE TABLE reach_probe (label TEXT NOT NULL, commune_code TEXT)")
            .execute(store.pool())
            .await
            .unwrap();
        for (label, commune) in [("a", Some("86194")), ("b", Some("86041")), ("t", None)] {
            sqlx::query("INSERT INTO reach_probe (label, commune_code) VALUES ($1, $2)")
                .bind(label)
                .bind(commune)
                .execute(store.pool())
                .await
                .unwrap();
        }
        let b = Reach::communes(["86041"]);
        assert_eq!(
            codes(&store, &b, Territorywide::HolderOfAll).await,
            ["b"],
            "{}",
            base.backend
        );
        assert_eq!(
            codes(&store, &b, Territorywide::Shared).await,
            ["b", "t"],
            "{}",
            base.backend
        );
        assert_eq!(
            codes(&store, &Reach::everything(), Territorywide::HolderOfAll).await,
            ["a", "b", "t"]
        );
        assert!(
            codes(
                &store,
                &Reach::communes(Vec::<String>::new()),
                Territorywide::HolderOfAll
            )
            .await
            .is_empty()
        );

        if store.backend() == Backend::Postgres {
            // The setting lives for the transaction only: a pooled connection does not keep it.
            let mut tx = reach::begin_write(&store, &b).await.unwrap();
            let set: String =
                sqlx::query_scalar("SELECT current_setting('maillage.communes', true)")
                    .fetch_one(&mut *tx)
                    .await
                    .unwrap();
            assert_eq!(set, "86041");
            tx.commit().await.unwrap();
            let after: Option<String> =
                sqlx::query_scalar("SELECT current_setting('maillage.communes', true)")
                    .fetch_one(store.pool())
                    .await
                    .unwrap();
            assert!(after.as_deref().unwrap_or("").is_empty(), "{after:?}");
        }
        store.close().await;
    }
}

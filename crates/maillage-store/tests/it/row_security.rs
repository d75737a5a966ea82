//! Row-level security on PostgreSQL, the second lock on the records that belong to a commune (migration 0015):
//! the application's role, with the reach of commune B, reads none of commune A's rows even with a raw
//! `SELECT *`, cannot write a row of A or of the whole territory, and without a reach reads nothing; the owner
//! (migrations, backups) reads every row. On SQLite the migration is a comment and applies as such.

use maillage_store::error::ApplicationRoleProblem;
use maillage_store::reach::{self, OWNED_TABLES, Reach, Territorywide};
use maillage_store::{Backend, Store, StoreError};
use maillage_testkit::TestBase;
use maillage_testkit::roles::{application_login, application_role};
use std::collections::BTreeSet;

const COMMUNE_A: &str = "99101";
const COMMUNE_B: &str = "99102";

/// Tables (among the owned ones) that row-level security locks, with their policies' count.
async fn locked_tables(store: &Store) -> BTreeSet<(String, i64)> {
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT c.relname::TEXT, (SELECT count(*) FROM pg_policies p WHERE p.tablename = c.relname) \
         FROM pg_class c WHERE c.relrowsecurity AND c.relnamespace = current_schema()::regnamespace",
    )
    .fetch_all(store.pool())
    .await
    .unwrap();
    rows.into_iter().collect()
}

async fn has_commune_column(store: &Store, table: &str) -> bool {
    sqlx::query_scalar::<_, i64>(
        "SELECT count(*) FROM information_schema.columns \
         WHERE table_schema = current_schema() AND table_name = $1 AND column_name = 'commune_code'",
    )
    .bind(table)
    .fetch_one(store.pool())
    .await
    .unwrap()
        == 1
}

/// Plants a person (personal, HolderOfAll) and an event (internal, Shared) per commune, and one of each for the
/// whole territory, as the owner.
async fn plant(owner: &Store) {
    for (name, commune) in [
        ("Personne-de-A", Some(COMMUNE_A)),
        ("Personne-de-B", Some(COMMUNE_B)),
        ("Personne-du-territoire", None),
    ] {
        sqlx::query(
            "INSERT INTO crisis_person (last_name, first_name, birth_date, address, basis, requester, \
             requested_on, confirmed_on, created_at, created_by, updated_at, commune_code) \
             VALUES ($1, 'Fixture', '1940-01-01', '1 rue fictive', 'age_65', 'personne', '2026-01-01', \
             '2026-01-01', '2026-01-01', 'test', '2026-01-01', $2)",
        )
        .bind(name)
        .bind(commune)
        .execute(owner.pool())
        .await
        .unwrap();
    }
    for (title, commune) in [
        ("Evenement-de-A", Some(COMMUNE_A)),
        ("Evenement-de-B", Some(COMMUNE_B)),
        ("Evenement-du-territoire", None),
    ] {
        sqlx::query(
            "INSERT INTO crisis_event (kind, title, level, opened_at, opened_by, commune_code) \
             VALUES ('canicule', $1, 'veille', '2026-07-01', 'test', $2)",
        )
        .bind(title)
        .bind(commune)
        .execute(owner.pool())
        .await
        .unwrap();
    }
}

/// Every `crisis_person` name and `crisis_event` title a raw `SELECT *` returns as `reach` (None: no reach set).
async fn visible(store: &Store, reach: Option<&Reach>) -> Vec<String> {
    let mut tx = match reach {
        Some(r) => reach::begin_read(store, r).await.unwrap(),
        None => store.pool().begin().await.unwrap(),
    };
    let mut names: Vec<String> = Vec::new();
    for (sql, column) in [
        ("SELECT * FROM crisis_person", "last_name"),
        ("SELECT * FROM crisis_event", "title"),
    ] {
        use sqlx::Row;
        for row in sqlx::query(sql).fetch_all(&mut *tx).await.unwrap() {
            names.push(row.try_get::<String, _>(column).unwrap());
        }
    }
    tx.commit().await.unwrap();
    names.sort();
    names
}

async fn insert_person(
    store: &Store,
    reach: &Reach,
    commune: Option<&str>,
) -> Result<(), sqlx::Error> {
    let mut tx = reach::begin_write(store, reach).await.unwrap();
    sqlx::query(
        "INSERT INTO crisis_person (last_name, first_name, birth_date, address, basis, requester, requested_on, \
         confirmed_on, created_at, created_by, updated_at, commune_code) \
         VALUES ('Intrus', 'Fixture', '1940-01-01', '2 rue fictive', 'age_65', 'personne', '2026-01-01', \
         '2026-01-01', '2026-01-01', 'test', '2026-01-01', $1)",
    )
    .bind(commune)
    .execute(&mut *tx)
    .await?;
    tx.commit().await
}

async fn changed_as(store: &Store, reach: &Reach, statement: &'static str) -> u64 {
    let mut tx = reach::begin_write(store, reach).await.unwrap();
    let n = sqlx::query(statement)
        .bind(COMMUNE_A)
        .execute(&mut *tx)
        .await
        .unwrap()
        .rows_affected();
    tx.commit().await.unwrap();
    n
}

#[tokio::test]
async fn the_sqlite_migration_is_a_comment_and_roles_are_postgresql_only() {
    let base = TestBase::sqlite();
    let store = Store::open(&base.location).await.unwrap();
    let applied: i64 =
        sqlx::query_scalar("SELECT count(*) FROM _sqlx_migrations WHERE version = 15 AND success")
            .fetch_one(store.pool())
            .await
            .unwrap();
    assert_eq!(applied, 1);
    let refused = maillage_store::grant_application_role(&store, "maillage_application").await;
    assert!(
        matches!(
            refused,
            Err(StoreError::ApplicationRole {
                problem: ApplicationRoleProblem::NotPostgres,
                ..
            })
        ),
        "{refused:?}"
    );
    store.close().await;
    let refused = Store::open_as_application(&base.location, "Robert'); DROP TABLE x; --").await;
    assert!(
        matches!(
            refused,
            Err(StoreError::ApplicationRole {
                problem: ApplicationRoleProblem::InvalidName,
                ..
            })
        ),
        "{:?}",
        refused.err()
    );
}

#[tokio::test]
async fn the_application_role_reaches_only_its_communes_rows_on_postgresql() {
    let Some(base) = TestBase::postgres().await else {
        return;
    };
    let Some(role) = application_role(&base.location).await else {
        return;
    };
    let owner = Store::open(&base.location).await.unwrap();
    assert_eq!(owner.backend(), Backend::Postgres);

    // The migration's list is the store's list.
    let listed: BTreeSet<(String, bool)> =
        sqlx::query_as("SELECT tbl, shared FROM maillage_owned_tables()")
            .fetch_all(owner.pool())
            .await
            .unwrap()
            .into_iter()
            .collect();
    let expected: BTreeSet<(String, bool)> = OWNED_TABLES
        .iter()
        .map(|(t, w)| (t.to_string(), *w == Territorywide::Shared))
        .collect();
    assert_eq!(listed, expected);

    // Every owned table that already has its commune column (migrations 0011 and 0013) is locked by the
    // migration itself, with its two policies.
    let locked = locked_tables(&owner).await;
    for (table, _) in OWNED_TABLES {
        if has_commune_column(&owner, table).await {
            assert!(
                locked.contains(&(table.to_string(), 2)),
                "{table} has commune_code but no row-level security: {locked:?}"
            );
        }
    }
    // Before the ownership migrations are merged in, give the columns here and lock as the migration does.
    for (table, _) in OWNED_TABLES {
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
            "ALTER TABLE {table} ADD COLUMN IF NOT EXISTS commune_code TEXT"
        )))
        .execute(owner.pool())
        .await
        .unwrap();
    }
    sqlx::query("SELECT maillage_lock_owned_tables()")
        .execute(owner.pool())
        .await
        .unwrap();
    let locked = locked_tables(&owner).await;
    let owned: BTreeSet<(String, i64)> = OWNED_TABLES
        .iter()
        .map(|(t, _)| (t.to_string(), 2))
        .collect();
    assert_eq!(locked, owned, "exactly the owned tables are locked");

    plant(&owner).await;
    // A role that owns tables would bypass the policies: refused.
    let refused = maillage_store::grant_application_role(&owner, "maillage").await;
    assert!(
        matches!(
            refused,
            Err(StoreError::ApplicationRole {
                problem: ApplicationRoleProblem::TooPowerful,
                ..
            })
        ),
        "{refused:?}"
    );

    let app = Store::open_as_application(&base.location, role)
        .await
        .unwrap();
    let b = Reach::communes([COMMUNE_B]);

    // Commune B: its own rows and the shared event of the whole territory; not the territory's person.
    assert_eq!(
        visible(&app, Some(&b)).await,
        ["Evenement-de-B", "Evenement-du-territoire", "Personne-de-B"]
    );
    // No reach set: nothing at all, not even shared rows.
    assert!(visible(&app, None).await.is_empty());
    // A reach of no commune: only the shared rows of the whole territory.
    assert_eq!(
        visible(&app, Some(&Reach::communes(Vec::<String>::new()))).await,
        ["Evenement-du-territoire"]
    );
    // Every commune: everything.
    assert_eq!(visible(&app, Some(&Reach::everything())).await.len(), 6);

    // Commune B cannot write a row of A, nor of the whole territory; it can write its own.
    let refused = insert_person(&app, &b, Some(COMMUNE_A)).await;
    assert!(
        refused
            .as_ref()
            .is_err_and(|e| e.to_string().contains("row-level security")),
        "{refused:?}"
    );
    assert!(insert_person(&app, &b, None).await.is_err());
    insert_person(&app, &b, Some(COMMUNE_B)).await.unwrap();
    // Changes aimed at A's rows, or at the shared event of the whole territory, change nothing.
    assert_eq!(
        changed_as(
            &app,
            &b,
            "UPDATE crisis_person SET last_name = 'Modifie' WHERE commune_code = $1"
        )
        .await,
        0
    );
    assert_eq!(
        changed_as(
            &app,
            &b,
            "DELETE FROM crisis_person WHERE commune_code = $1"
        )
        .await,
        0
    );
    assert_eq!(
        changed_as(
            &app,
            &b,
            "DELETE FROM crisis_event WHERE commune_code IS NULL OR commune_code = $1"
        )
        .await,
        0
    );
    // Moving B's own row to A is refused (WITH CHECK).
    let mut tx = reach::begin_write(&app, &b).await.unwrap();
    let moved = sqlx::query("UPDATE crisis_person SET commune_code = $1 WHERE commune_code = $2")
        .bind(COMMUNE_A)
        .bind(COMMUNE_B)
        .execute(&mut *tx)
        .await;
    assert!(moved.is_err(), "{moved:?}");
    tx.rollback().await.unwrap();

    // The application role cannot lift the lock nor rewrite the audit log.
    for statement in [
        "ALTER TABLE crisis_person DISABLE ROW LEVEL SECURITY",
        "DROP POLICY maillage_reach_read ON crisis_person",
        "DELETE FROM audit_log",
        "UPDATE audit_log SET actor = 'autre'",
        "DELETE FROM _sqlx_migrations",
    ] {
        let refused = sqlx::raw_sql(statement).execute(app.pool()).await;
        assert!(refused.is_err(), "{statement} must be refused: {refused:?}");
    }
    app.close().await;

    // The owner (migrations, backups) is not bound: every row is there, A's untouched.
    let mut everything = visible(&owner, None).await;
    everything.dedup();
    assert_eq!(
        everything,
        [
            "Evenement-de-A",
            "Evenement-de-B",
            "Evenement-du-territoire",
            "Intrus",
            "Personne-de-A",
            "Personne-de-B",
            "Personne-du-territoire"
        ]
    );
    owner.close().await;
}

#[tokio::test]
async fn an_application_login_cannot_return_to_the_owner_on_postgresql() {
    let Some(base) = TestBase::postgres().await else {
        return;
    };
    let Some(login) = application_login(&base.location).await else {
        return;
    };
    let owner = Store::open(&base.location).await.unwrap();
    for (table, _) in OWNED_TABLES {
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
            "ALTER TABLE {table} ADD COLUMN IF NOT EXISTS commune_code TEXT"
        )))
        .execute(owner.pool())
        .await
        .unwrap();
    }
    sqlx::query("SELECT maillage_lock_owned_tables()")
        .execute(owner.pool())
        .await
        .unwrap();
    plant(&owner).await;
    owner.close().await;

    let app = Store::open_with_application_login(&base.location, &login)
        .await
        .unwrap();
    // RESET ROLE keeps the login's own role: the owner's rights are out of reach.
    let mut tx = reach::begin_read(&app, &Reach::communes([COMMUNE_B]))
        .await
        .unwrap();
    sqlx::raw_sql("RESET ROLE").execute(&mut *tx).await.unwrap();
    let user: String = sqlx::query_scalar("SELECT current_user::TEXT")
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    assert_eq!(user, "maillage_application");
    let names: Vec<String> = sqlx::query_scalar("SELECT last_name FROM crisis_person ORDER BY 1")
        .fetch_all(&mut *tx)
        .await
        .unwrap();
    assert_eq!(names, ["Personne-de-B"]);
    tx.commit().await.unwrap();
    app.close().await;
}

//! The directory's trash ("Corbeille", migration 0018): an actor deleted is marked (`deleted_at`, `deleted_by`)
//! and disappears from every list and page; it can be restored for [`KEPT_DAYS`] days, then it is purged for good.
//! Only the entry is kept: it describes a structure, a service or a practice, not a person (its contact persons
//! are erased when it is deleted, [`super::directory::delete_actor`]).
//!
//! Purges run when the server starts and whenever someone opens the trash ([`purge`]), so an entry is never
//! restorable after its 30 days and never listed.

use super::{Reach, Result, Territorywide, instant, touched};
use crate::Store;
use crate::change::{Change, reached_rows};
use jiff::{Timestamp, ToSpan};
use sqlx::Row;

/// How long a deleted entry stays restorable.
pub const KEPT_DAYS: i64 = 30;

/// An entry of the trash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trashed {
    pub id: i64,
    pub name: String,
    pub commune_code: Option<String>,
    /// When it was deleted (RFC 3339) and by whom (account identifier).
    pub deleted_at: String,
    pub deleted_by: String,
    /// When it will be purged (RFC 3339).
    pub purged_at: String,
}

/// The moment before which a deletion is past its keeping.
fn cutoff(now: Timestamp) -> String {
    instant(now - (KEPT_DAYS * 24).hours())
}

/// The deleted entries the caller reaches, most recent first.
pub async fn deleted_actors(store: &Store, reach: &Reach) -> Result<Vec<Trashed>> {
    let rows = reached_rows(
        store,
        reach,
        "commune_code",
        Territorywide::Shared,
        "SELECT id, name, commune_code, deleted_at, deleted_by FROM network_actor
         WHERE deleted_at IS NOT NULL AND {reach} ORDER BY deleted_at DESC, id DESC",
    )
    .await?;
    rows.iter()
        .map(|r| {
            let deleted_at: String = r.try_get("deleted_at")?;
            let purged_at = deleted_at
                .parse::<Timestamp>()
                .map(|t| instant(t + (KEPT_DAYS * 24).hours()))
                .unwrap_or_default();
            Ok(Trashed {
                id: r.try_get("id")?,
                name: r.try_get("name")?,
                commune_code: r.try_get("commune_code")?,
                deleted_at,
                deleted_by: r.try_get("deleted_by")?,
                purged_at,
            })
        })
        .collect()
}

/// Brings a deleted entry back (without its contact persons, erased at its deletion); its name, for the
/// confirmation. `NotFound` for an entry not in the trash, out of reach or past its keeping.
pub async fn restore_actor(
    tx: &mut Change,
    reach: &Reach,
    id: i64,
    now: Timestamp,
) -> Result<String> {
    let clause = reach.clause("commune_code", 3, Territorywide::Shared);
    let sql = format!(
        "UPDATE network_actor SET deleted_at = NULL, deleted_by = NULL
         WHERE id = $1 AND deleted_at IS NOT NULL AND deleted_at >= $2 AND {} RETURNING name",
        clause.sql
    );
    let name: Option<String> = clause
        .bind_scalar(
            sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
                .bind(id)
                .bind(cutoff(now)),
        )
        .fetch_optional(tx.conn())
        .await?;
    touched(u64::from(name.is_some()), "acteur", id)?;
    Ok(name.unwrap_or_default())
}

/// Erases for good the entries deleted more than [`KEPT_DAYS`] days before `now` that `reach` reaches; how many.
pub async fn purge(tx: &mut Change, reach: &Reach, now: Timestamp) -> crate::Result<u64> {
    let clause = reach.clause("commune_code", 2, Territorywide::Shared);
    let sql = format!(
        "DELETE FROM network_actor WHERE deleted_at IS NOT NULL AND deleted_at < $1 AND {}",
        clause.sql
    );
    Ok(clause
        .bind(sqlx::query(sqlx::AssertSqlSafe(sql)).bind(cutoff(now)))
        .execute(tx.conn())
        .await?
        .rows_affected())
}

/// [`purge`] over the whole territory in a change of its own (at the server's start).
pub async fn purge_everywhere(store: &Store, now: Timestamp) -> crate::Result<u64> {
    let reach = Reach::everything();
    let mut tx = Change::write(store, &reach).await?;
    let n = purge(&mut tx, &reach, now).await?;
    tx.commit().await?;
    Ok(n)
}

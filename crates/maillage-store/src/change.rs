//! A change in progress: the one transaction type the other crates hold. The web layer begins a [`Change`],
//! hands it to the store's write functions and to the audit ([`crate::audit::append_in`]), then commits both
//! at once; no crate but the store names `sqlx`. Read functions run in the same type, begun with
//! [`Change::read`], and [`reached_rows`] reads the listing rows a caller reaches in one call.

use crate::reach::{self, Reach, Territorywide};
use crate::{Result, Store};
use sqlx::any::AnyRow;
use sqlx::{Any, AnyConnection, Transaction};

/// A transaction of the store: everything done through it is kept by [`Change::commit`] and dropped otherwise
/// (also when the `Change` is dropped without a commit).
pub struct Change {
    tx: Transaction<'static, Any>,
}

impl Change {
    /// Begins a change as `reach`: `BEGIN IMMEDIATE` on SQLite, the reach set for the row-level security
    /// policies on PostgreSQL (see [`crate::reach::begin_write`]).
    pub async fn write(store: &Store, reach: &Reach) -> Result<Change> {
        Ok(Change {
            tx: reach::begin_write(store, reach).await?,
        })
    }

    /// Begins a transaction that only reads, as `reach` (see [`crate::reach::begin_read`]).
    pub async fn read(store: &Store, reach: &Reach) -> Result<Change> {
        Ok(Change {
            tx: reach::begin_read(store, reach).await?,
        })
    }

    /// Begins a change of records that belong to no commune (accounts, tokens, settings): a plain `BEGIN`.
    pub async fn begin(store: &Store) -> Result<Change> {
        Ok(Change {
            tx: store.pool().begin().await?,
        })
    }

    /// Keeps everything done in the change.
    pub async fn commit(self) -> Result<()> {
        Ok(self.tx.commit().await?)
    }

    /// Drops everything done in the change (as dropping it does, but waiting for the server to have done so).
    pub async fn rollback(self) -> Result<()> {
        Ok(self.tx.rollback().await?)
    }

    /// The connection the statements run on.
    pub(crate) fn conn(&mut self) -> &mut AnyConnection {
        &mut self.tx
    }
}

/// Every row of a listing that the caller reaches, read in one read transaction: `select` holds `{reach}`
/// where the condition on the commune `column` goes (its parameters are the statement's only ones, from `$1`).
pub(crate) async fn reached_rows(
    store: &Store,
    reach: &Reach,
    column: &str,
    territorywide: Territorywide,
    select: &str,
) -> Result<Vec<AnyRow>> {
    let clause = reach.clause(column, 1, territorywide);
    let sql = select.replace("{reach}", &clause.sql);
    let mut tx = Change::read(store, reach).await?;
    let rows = clause
        .bind(sqlx::query(sqlx::AssertSqlSafe(sql)))
        .fetch_all(tx.conn())
        .await?;
    tx.commit().await?;
    Ok(rows)
}

//! Helpers shared by the store's test modules.

use maillage_store::session::ImportReport;
use maillage_store::{Store, backup};
use std::collections::BTreeMap;
use std::path::Path;

/// Everything the store holds, as a backup body (without the header's date): equal bodies, equal stores.
pub async fn snapshot(store: &Store, dir: &Path) -> String {
    let file = maillage_testkit::fresh_backup_path(dir, "snapshot");
    backup::save(store, &file).await.unwrap();
    maillage_testkit::backup_body(&file)
}

/// (inserted, updated, unchanged, removed) of an import.
pub fn changes(r: &ImportReport) -> (u64, u64, u64, u64) {
    (
        r.counts.inserted,
        r.counts.updated,
        r.counts.unchanged,
        r.counts.removed,
    )
}

/// Every row of a table written through `rows`, by key: its hash, batch and removal mark. Equal maps: nothing
/// was written.
pub async fn rows_of(
    store: &Store,
    table: &str,
) -> BTreeMap<String, (String, Option<i64>, Option<i64>)> {
    sqlx::query_as::<_, (String, String, Option<i64>, Option<i64>)>(sqlx::AssertSqlSafe(format!(
        "SELECT row_key, row_hash, batch_id, removed_batch_id FROM {table}"
    )))
    .fetch_all(store.pool())
    .await
    .unwrap()
    .into_iter()
    .map(|(k, h, b, r)| (k, (h, b, r)))
    .collect()
}

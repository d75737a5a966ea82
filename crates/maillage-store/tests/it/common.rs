//! Helpers shared by the store's test modules.

use maillage_store::{Store, backup};
use std::path::Path;

/// Everything the store holds, as a backup body (without the header's date): equal bodies, equal stores.
pub async fn snapshot(store: &Store, dir: &Path) -> String {
    let file = maillage_testkit::fresh_backup_path(dir, "snapshot");
    backup::save(store, &file).await.unwrap();
    maillage_testkit::backup_body(&file)
}

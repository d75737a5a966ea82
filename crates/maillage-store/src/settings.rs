//! Instance settings: a key and a JSON value.

use crate::change::Change;
use crate::{Result, Store};
use serde::{Serialize, de::DeserializeOwned};
use sqlx::{Any, Executor};

pub async fn get<T: DeserializeOwned>(store: &Store, key: &str) -> Result<Option<T>> {
    let value: Option<String> = sqlx::query_scalar("SELECT value FROM setting WHERE key = $1")
        .bind(key)
        .fetch_optional(store.pool())
        .await?;
    Ok(value.and_then(|v| serde_json::from_str(&v).ok()))
}

/// Sets a setting inside a change (committed with it, and with its audit entry).
pub async fn set<T: Serialize>(tx: &mut Change, key: &str, value: &T) -> Result<()> {
    write(tx.conn(), key, value).await
}

/// Sets a setting at once, in its own statement.
pub async fn set_now<T: Serialize>(store: &Store, key: &str, value: &T) -> Result<()> {
    write(store.pool(), key, value).await
}

async fn write<'e, T: Serialize>(
    executor: impl Executor<'e, Database = Any>,
    key: &str,
    value: &T,
) -> Result<()> {
    let text = serde_json::to_string(value).expect("settings are plain data");
    sqlx::query(
        "INSERT INTO setting (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )
    .bind(key)
    .bind(text)
    .execute(executor)
    .await?;
    Ok(())
}

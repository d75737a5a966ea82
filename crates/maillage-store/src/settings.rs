//! Instance settings: a key and a JSON value.

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

pub async fn set<'e, T: Serialize>(
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

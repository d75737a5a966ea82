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

/// The instance's time zone: a name of [`maillage_kit::local_time::ZONES`] (Europe/Paris when unset).
pub const TIME_ZONE: &str = "instance.fuseau_horaire";

/// Makes the instance's time zone the one this process writes times in (Europe/Paris when none was chosen
/// or the one stored cannot be read), and gives its name.
pub async fn load_time_zone(store: &Store) -> Result<String> {
    use maillage_kit::local_time;
    let chosen = get::<String>(store, TIME_ZONE).await?;
    if local_time::set_zone(chosen.as_deref().unwrap_or(local_time::DEFAULT_ZONE)).is_err() {
        // A stored name this machine cannot read: Paris's time rather than no page at all.
        let _ = local_time::set_zone(local_time::DEFAULT_ZONE);
    }
    Ok(local_time::zone_name())
}

/// Chooses the instance's time zone inside a change (with its audit entry), and makes it this process's.
pub async fn set_time_zone(
    tx: &mut Change,
    name: &str,
) -> std::result::Result<Result<()>, maillage_kit::local_time::UnknownZone> {
    maillage_kit::local_time::set_zone(name)?;
    Ok(set(tx, TIME_ZONE, &name).await)
}

//! What every command that works on a store shares: the `--base` option, the async runtime, French errors.

use anyhow::anyhow;
use clap::Args;
use maillage_messages::French;
use maillage_store::Store;

#[derive(Args, Debug, Clone)]
pub struct BaseArg {
    /// Base de données : chemin d'un fichier SQLite (créé s'il n'existe pas) ou URL postgres://…
    // Global: accepted before the command as well as after it (`maillage --base x import …`).
    #[arg(
        long,
        global = true,
        env = "MAILLAGE_BASE",
        default_value = "maillage.sqlite",
        value_name = "FICHIER|URL"
    )]
    pub base: String,
    /// Fichier de la clé du journal d'audit (hors de la base ; créé au premier usage, lisible par son seul
    /// propriétaire). Par défaut : « <base>.cle-journal » à côté d'une base SQLite, ~/.config/maillage/cle-journal
    /// pour PostgreSQL
    #[arg(
        long,
        global = true,
        env = "MAILLAGE_CLE_JOURNAL",
        value_name = "FICHIER"
    )]
    pub cle_journal: Option<std::path::PathBuf>,
}

/// Runs a future to completion on a runtime made for one command.
pub fn block_on<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("the async runtime starts")
        .block_on(f)
}

/// Turns any library error into an `anyhow::Error` carrying its French wording.
pub fn fr<E: French>(e: E) -> anyhow::Error {
    anyhow!(e.french())
}

pub async fn open(base: &BaseArg) -> anyhow::Result<Store> {
    let store = Store::open(&base.base).await.map_err(fr)?;
    use_key_file(&store, base.cle_journal.as_deref()).await?;
    // The times the commands print are the instance's.
    maillage_store::settings::load_time_zone(&store)
        .await
        .map_err(fr)?;
    Ok(store)
}

/// The audit journal's key from the file named on the command line, if one was.
pub async fn use_key_file(store: &Store, file: Option<&std::path::Path>) -> anyhow::Result<()> {
    if let Some(file) = file {
        maillage_store::audit::use_key_file(store, file)
            .await
            .map_err(fr)?;
    }
    Ok(())
}

/// Prints a value as one JSON document on stdout.
pub fn print_json<T: serde::Serialize>(value: &T) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string(value)?);
    Ok(())
}

/// Formats a number the French way for people (1 234,5), not for files.
pub fn nombre(value: f64, decimals: usize) -> String {
    let s = format!("{value:.decimals$}");
    let (int, frac) = s
        .split_once('.')
        .map_or((s.as_str(), None), |(i, f)| (i, Some(f)));
    let (sign, digits) = int.strip_prefix('-').map_or(("", int), |d| ("-", d));
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push('\u{202f}');
        }
        grouped.push(c);
    }
    match frac {
        Some(f) => format!("{sign}{grouped},{f}"),
        None => format!("{sign}{grouped}"),
    }
}

//! `maillage sauvegarde` and `maillage restauration`.

use super::base::{BaseArg, block_on, fr, nombre, open};
use anyhow::bail;
use clap::Args;
use maillage_store::{backup, zones};
use std::path::PathBuf;

/// Arguments de `maillage sauvegarde`.
#[derive(Args, Debug)]
pub struct SaveArgs {
    /// Fichier de sauvegarde à écrire (remplacé s'il existe)
    pub fichier: PathBuf,
    #[command(flatten)]
    pub base: BaseArg,
}

/// Arguments de `maillage restauration`.
#[derive(Args, Debug)]
pub struct RestoreArgs {
    /// Fichier de sauvegarde à restaurer
    pub fichier: PathBuf,
    /// Remplacer les données d'une base qui n'est pas vide (sans cette option, la restauration le refuse) ;
    /// une base dont le journal d'audit a des entrées n'est jamais remplacée : restaurez dans une base neuve
    #[arg(long)]
    pub remplacer: bool,
    #[command(flatten)]
    pub base: BaseArg,
}

pub fn save(args: SaveArgs) -> anyhow::Result<()> {
    block_on(async {
        let store = open(&args.base).await?;
        let summary = backup::save(&store, &args.fichier).await.map_err(fr)?;
        println!(
            "Sauvegarde écrite dans « {} » : {} tables, {} lignes (schéma {}).",
            args.fichier.display(),
            summary.tables,
            nombre(summary.rows as f64, 0),
            summary.schema_version
        );
        // The key of the audit journal is not in the base, hence not in its backup.
        if let Some(key) = maillage_store::audit::key_file(&store).await.map_err(fr)? {
            println!(
                "La clé du journal d'audit n'est pas dans la sauvegarde : gardez aussi une copie de « {} » ; une \
                 restauration se fait dans une base neuve, avec --cle-journal <cette copie>.",
                key.display()
            );
        }
        Ok(())
    })
}

pub fn restore(args: RestoreArgs) -> anyhow::Result<()> {
    block_on(async {
        let store = open(&args.base).await?;
        let existing = zones::list(&store).await.map_err(fr)?.len();
        let batches = maillage_store::batch::list(&store).await.map_err(fr)?.len();
        if (existing > 0 || batches > 0) && !args.remplacer {
            bail!(
                "la base « {} » contient déjà des données ({existing} zones, {batches} imports) ; \
                 ajoutez --remplacer pour les remplacer par la sauvegarde (faites d'abord une sauvegarde de l'état \
                 actuel si besoin)",
                store.location()
            );
        }
        let summary = backup::restore(&store, &args.fichier).await.map_err(fr)?;
        println!(
            "Sauvegarde « {} » restaurée : {} tables, {} lignes.",
            args.fichier.display(),
            summary.tables,
            nombre(summary.rows as f64, 0)
        );
        Ok(())
    })
}

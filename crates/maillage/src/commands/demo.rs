//! `maillage demo`: the fictional demonstration territory.

use super::base::{block_on, fr, nombre};
use anyhow::bail;
use clap::Args;
use maillage_store::Store;

/// Arguments de `maillage demo`.
#[derive(Args, Debug)]
pub struct DemoArgs {
    /// Base de démonstration (fichier SQLite, créé s'il est absent)
    #[arg(long, default_value = "maillage-demo.sqlite", value_name = "FICHIER")]
    pub base: String,
    /// Graine du générateur : la même graine donne toujours le même territoire
    #[arg(long, default_value_t = maillage_demo::DEFAULT_SEED)]
    pub graine: u64,
    /// Reconstruire la base de démonstration même si elle existe déjà (elle est effacée)
    #[arg(long)]
    pub reconstruire: bool,
}

pub fn run(args: DemoArgs) -> anyhow::Result<()> {
    if args.base.starts_with("postgres") {
        bail!("le territoire de démonstration se construit dans un fichier SQLite ; donnez un chemin de fichier à --base");
    }
    let path = std::path::Path::new(&args.base);
    if args.reconstruire {
        for suffix in ["", "-wal", "-shm"] {
            let p = format!("{}{suffix}", args.base);
            if std::path::Path::new(&p).exists() {
                std::fs::remove_file(&p).map_err(|e| anyhow::anyhow!("impossible d'effacer « {p} » : {e}"))?;
            }
        }
    }
    let existed = path.exists();
    block_on(async {
        let store = Store::open(&args.base).await.map_err(fr)?;
        if existed && !maillage_store::batch::list(&store).await.map_err(fr)?.is_empty() {
            println!(
                "La base de démonstration « {} » existe déjà (territoire fictif). Pour la refaire : \
                 maillage demo --reconstruire",
                args.base
            );
        } else {
            let s = maillage_demo::build(&store, args.graine).await.map_err(fr)?;
            println!("Territoire de démonstration FICTIF construit dans « {} » (graine {}) :", args.base, s.seed);
            println!("  commune : {} — {} habitants", s.commune, nombre(s.population, 0));
            println!("  {} IRIS, {} quartiers, {} QPV, 2 communes voisines (zone tampon)", s.iris, s.quartiers, s.qpv);
            println!("  {} professionnels de santé, {} établissements", s.professionals, s.establishments);
            println!("  réseau routier : {} nœuds, {} tronçons orientés", nombre(s.road_nodes as f64, 0), nombre(s.road_edges as f64, 0));
        }
        println!();
        println!("Pour l'explorer :");
        println!("  maillage zones --base {}", args.base);
        println!("  maillage indicateurs --base {}", args.base);
        Ok(())
    })
}

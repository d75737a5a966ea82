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
    /// Port du serveur web (sur 127.0.0.1, cette machine seulement)
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
    /// Construire la base (et les comptes de démonstration) sans lancer le serveur web
    #[arg(long)]
    pub sans_serveur: bool,
    /// Fichier de la clé du journal d'audit (par défaut « <base>.cle-journal », créé au premier usage)
    #[arg(long, env = "MAILLAGE_CLE_JOURNAL", value_name = "FICHIER")]
    pub cle_journal: Option<std::path::PathBuf>,
}

pub fn run(args: DemoArgs) -> anyhow::Result<()> {
    if args.base.starts_with("postgres") {
        bail!(
            "le territoire de démonstration se construit dans un fichier SQLite ; donnez un chemin de fichier à --base"
        );
    }
    let path = std::path::Path::new(&args.base);
    if args.reconstruire {
        for suffix in ["", "-wal", "-shm"] {
            let p = format!("{}{suffix}", args.base);
            if std::path::Path::new(&p).exists() {
                std::fs::remove_file(&p)
                    .map_err(|e| anyhow::anyhow!("impossible d'effacer « {p} » : {e}"))?;
            }
        }
    }
    let existed = path.exists();
    block_on(async {
        let store = Store::open(&args.base).await.map_err(fr)?;
        super::base::use_key_file(&store, args.cle_journal.as_deref()).await?;
        if existed
            && !maillage_store::batch::list(&store)
                .await
                .map_err(fr)?
                .is_empty()
        {
            println!(
                "La base de démonstration « {} » existe déjà (territoire fictif). Pour la refaire : \
                 maillage demo --reconstruire",
                args.base
            );
        } else {
            let s = maillage_demo::build(&store, args.graine)
                .await
                .map_err(fr)?;
            println!(
                "Territoire de démonstration FICTIF construit dans « {} » (graine {}) :",
                args.base, s.seed
            );
            println!(
                "  commune : {} — {} habitants",
                s.commune,
                nombre(s.population, 0)
            );
            println!(
                "  {} IRIS, {} quartiers, {} QPV, 2 communes voisines (zone tampon)",
                s.iris, s.quartiers, s.qpv
            );
            println!(
                "  {} professionnels de santé, {} établissements",
                s.professionals, s.establishments
            );
            println!(
                "  réseau routier : {} nœuds, {} tronçons orientés",
                nombre(s.road_nodes as f64, 0),
                nombre(s.road_edges as f64, 0)
            );
            // Professions by their French label (the summary keeps the stable codes).
            let professions: Vec<&str> = s
                .accessibility
                .iter()
                .map(|code| {
                    maillage_indicators::PROFESSIONS
                        .iter()
                        .find(|p| p.code == code)
                        .map_or(code.as_str(), |p| p.label)
                })
                .collect();
            println!(
                "  accessibilité E2SFCA calculée pour : {}",
                professions.join(", ")
            );
            println!(
                "  isochrones : {} polygones (5, 10 et 15 minutes autour de la MSP et du centre de santé)",
                s.isochrones.len()
            );
            let c = &s.crisis;
            println!(
                "  crise : alerte canicule, {} personnes inscrites au registre, {} appelants ({} appels passés), \
                 {} bénévoles, {} demandes, {} jours de série épidémique",
                c.registered, c.callers, c.calls_made, c.volunteers, c.requests, c.epidemic_days
            );
            let n = &s.network;
            println!(
                "  réseau : {} acteurs ({} publics), {} instances, {} réunions, {} signalements de veille ; \
                 CLS : {} fiches actions, {} indicateurs",
                n.actors,
                n.public_actors,
                n.bodies,
                n.meetings,
                n.watch_cases,
                n.fiches,
                n.indicators
            );
        }
        println!();
        println!("Pour l'explorer :");
        println!("  maillage zones --base {}", args.base);
        println!("  maillage indicateurs --base {}", args.base);
        serve_demo(store, &args).await
    })
}

/// Demonstration accounts (one per role, fresh passwords each time), printed, then the web server.
async fn serve_demo(store: Store, args: &DemoArgs) -> anyhow::Result<()> {
    let accounts = maillage_web::users::prepare_demo_accounts(&store)
        .await
        .map_err(fr)?;
    let url = format!("http://127.0.0.1:{}/", args.port);
    println!();
    println!(
        "Comptes de démonstration (un par rôle ; mots de passe renouvelés à chaque lancement) :"
    );
    println!("  {:<14} {:<16} rôle", "identifiant", "mot de passe");
    for a in &accounts {
        println!(
            "  {:<14} {:<16} {}",
            a.identifier,
            a.password,
            maillage_web::permissions::role_label(a.role)
        );
    }
    println!();
    if args.sans_serveur {
        println!(
            "Pour servir les pages web : maillage serve --base {}",
            args.base
        );
        return Ok(());
    }
    println!("Ouvrez {url} dans un navigateur et connectez-vous avec l'un de ces comptes.");
    let address = std::net::SocketAddr::from(([127, 0, 0, 1], args.port));
    super::serve::serve_store(store, maillage_web::Config::default(), address).await
}

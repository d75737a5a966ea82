//! `maillage serve`: the web pages and the API.

use super::base::{BaseArg, block_on, fr, open};
use anyhow::anyhow;
use clap::Args;
use maillage_store::Store;
use maillage_web::Config;
use std::net::SocketAddr;

/// Arguments de `maillage serve`.
#[derive(Args, Debug)]
pub struct ServeArgs {
    /// Adresse et port d'écoute (127.0.0.1 : cette machine seulement ; 0.0.0.0 : tout le réseau)
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "ADRESSE:PORT")]
    pub adresse: SocketAddr,
    /// Marquer les cookies « Secure » : à donner quand Maillage est servi en HTTPS (derrière un proxy inverse)
    #[arg(long)]
    pub cookie_securise: bool,
    /// PostgreSQL : rôle sous lequel les pages et l'API lisent et écrivent la base (un rôle qui ne possède
    /// rien, soumis à la sécurité par commune des lignes) ; la base est mise à jour et ce rôle reçoit ses droits
    /// sous le propriétaire donné par --base. À créer une fois par un administrateur PostgreSQL :
    /// CREATE ROLE maillage_application NOLOGIN; GRANT maillage_application TO <propriétaire>;
    #[arg(long, env = "MAILLAGE_ROLE_APPLICATION", value_name = "RÔLE")]
    pub role_application: Option<String>,
    /// PostgreSQL : URL postgres://… d'une connexion propre aux pages et à l'API, sous un rôle qui ne possède
    /// rien (plus sûr que --role-application : ce rôle ne peut pas reprendre les droits du propriétaire) ; la
    /// base est mise à jour et ce rôle reçoit ses droits sous le propriétaire donné par --base
    #[arg(
        long,
        env = "MAILLAGE_BASE_APPLICATION",
        value_name = "URL",
        conflicts_with = "role_application"
    )]
    pub base_application: Option<String>,
    /// Adresse d'un proxy inverse de confiance (répétable) : de lui seul, l'en-tête X-Forwarded-For donne
    /// l'adresse du client (limitation des connexions, journal d'audit) ; sans cette option, l'adresse retenue
    /// est celle de la connexion
    #[arg(long = "proxy-de-confiance", value_name = "IP")]
    pub proxy_de_confiance: Vec<std::net::IpAddr>,
    #[command(flatten)]
    pub base: BaseArg,
    /// Limites des fichiers importés depuis les pages (les mêmes que `maillage import`)
    #[command(flatten)]
    pub limits: super::limits::LimitArgs,
}

pub fn run(args: ServeArgs) -> anyhow::Result<()> {
    args.limits.apply();
    block_on(async {
        let store = match (&args.role_application, &args.base_application) {
            (Some(role), _) => Store::open_as_application(&args.base.base, role)
                .await
                .map_err(fr)?,
            (None, Some(url)) => Store::open_with_application_login(&args.base.base, url)
                .await
                .map_err(fr)?,
            (None, None) => open(&args.base).await?,
        };
        let accounts = maillage_store::accounts::list(&store).await.map_err(fr)?;
        if accounts.is_empty() {
            println!(
                "Aucun compte dans cette base : créez le premier administrateur avec\n  maillage utilisateur creer \
                 --identifiant admin --role admin --base {}",
                args.base.base
            );
        }
        let config = Config {
            secure_cookies: args.cookie_securise,
            trusted_proxies: args.proxy_de_confiance,
            ..Config::default()
        };
        serve_store(store, config, args.adresse).await
    })
}

/// Serves a store until Ctrl+C (shared with `maillage demo`).
pub async fn serve_store(store: Store, config: Config, address: SocketAddr) -> anyhow::Result<()> {
    // Program logs: errors only by default (MAILLAGE_JOURNAL=info for more); they never carry personal data.
    let filter = tracing_subscriber::EnvFilter::try_from_env("MAILLAGE_JOURNAL")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
    if !address.ip().is_loopback() && !config.secure_cookies {
        eprintln!(
            "attention : Maillage écoute sur le réseau ({address}) sans --cookie-securise ; servez-le derrière un \
             proxy HTTPS et ajoutez --cookie-securise, sinon les sessions circulent en clair"
        );
    }
    let listener = tokio::net::TcpListener::bind(address).await.map_err(|e| {
        anyhow!("impossible d'écouter sur {address} ({e}) ; le port est peut-être déjà pris : choisissez-en un autre")
    })?;
    // A missing, exposed or foreign key of the audit journal stops the server now, not at the first entry.
    let key = maillage_store::audit::prepare_key(&store)
        .await
        .map_err(fr)?;
    if let Some(file) = &key.file {
        println!(
            "Journal d'audit scellé par la clé du fichier « {} » : gardez-en une copie hors de cette machine.",
            file.display()
        );
    }
    let app = maillage_web::app(store, config).await.map_err(fr)?;
    println!("Maillage est servi sur http://{address}/ — Ctrl+C pour arrêter.");
    let shutdown = stop_signal();
    maillage_web::serve(app, listener, shutdown)
        .await
        .map_err(|e| anyhow!("le serveur s'est arrêté sur une erreur ({e})"))?;
    println!("Serveur arrêté.");
    Ok(())
}

/// Ctrl+C, or SIGTERM (what a service manager sends): requests under way finish, then the server stops.
async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

//! `maillage rapport`: the "Tableau de bord santé" of a commune or a quartier as a PDF file, the same document
//! the web pages serve.

use super::base::{BaseArg, block_on, fr, open};
use anyhow::anyhow;
use clap::Args;
use maillage_store::audit::Action;
use maillage_web::audit::{Actor, record_as};
use maillage_web::error::WebError;
use maillage_web::report::{self, ReportKind};
use maillage_web::scope::Scope;
use serde_json::json;
use std::path::PathBuf;

/// Arguments de `maillage rapport`.
#[derive(Args, Debug)]
pub struct ReportArgs {
    /// Code INSEE de la commune (ex. 99101 pour la démonstration)
    #[arg(long, value_name = "CODE")]
    pub commune: String,
    /// Code d'un quartier de cette commune : le tableau de bord porte alors sur ce quartier
    #[arg(long, value_name = "CODE")]
    pub quartier: Option<String>,
    /// Fichier PDF à écrire
    #[arg(long, value_name = "FICHIER")]
    pub sortie: PathBuf,
    /// Pour une diffusion hors de la commune : applique le secret statistique (petits effectifs masqués,
    /// secret secondaire pour qu'ils ne se déduisent pas des totaux)
    #[arg(long)]
    pub diffusion: bool,
    /// Plus petit effectif diffusable (avec --diffusion)
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u32).range(2..=100))]
    pub seuil: u32,
    #[command(flatten)]
    pub base: BaseArg,
}

fn web_error(e: WebError) -> anyhow::Error {
    match e {
        WebError::Store(e) => fr(*e),
        WebError::BadRequest(m) | WebError::TooLarge(m) => anyhow!(m),
        WebError::Account(e) => fr(e),
        WebError::NotFound | WebError::Forbidden => {
            anyhow!("le tableau de bord n'a pas pu être produit : zone introuvable dans cette base")
        }
    }
}

/// The cause of a failed write, in French.
fn io_reason(e: &std::io::Error) -> &'static str {
    use std::io::ErrorKind::*;
    match e.kind() {
        NotFound => "dossier introuvable",
        PermissionDenied | ReadOnlyFilesystem => "écriture non permise",
        StorageFull => "disque plein",
        IsADirectory => "c'est un dossier",
        _ => "erreur du système de fichiers",
    }
}

pub fn run(args: ReportArgs) -> anyhow::Result<()> {
    block_on(async {
        let store = open(&args.base).await?;
        let demo = maillage_web::users::is_demo_base(&store)
            .await
            .map_err(fr)?;
        // At the command line, the person holds the whole base: every commune is in scope.
        let scope = Scope {
            all: true,
            communes: Default::default(),
        };
        let secrecy = args.diffusion.then_some(args.seuil);
        let (kind, code) = match &args.quartier {
            Some(q) => (ReportKind::Quartier, q.as_str()),
            None => (ReportKind::Commune, args.commune.as_str()),
        };
        let report = match report::gather(&store, &scope, secrecy, demo, kind, code).await {
            Ok(r) => r,
            Err(WebError::NotFound) => {
                return Err(match kind {
                    ReportKind::Commune => anyhow!(
                        "aucune commune de code « {code} » dans le territoire de cette base ; la liste des \
                         communes : maillage zones --type commune"
                    ),
                    ReportKind::Quartier => anyhow!(
                        "aucun quartier de code « {code} » dans le territoire de cette base ; la liste des \
                         quartiers : maillage zones --type quartier"
                    ),
                });
            }
            Err(e) => return Err(web_error(e)),
        };
        if report.commune.code != args.commune {
            return Err(anyhow!(
                "le quartier « {code} » appartient à la commune {} ({}), pas à {} : corrigez --commune",
                report.commune.name,
                report.commune.code,
                args.commune
            ));
        }
        let bytes = report::document::render(&report);
        std::fs::write(&args.sortie, &bytes).map_err(|e| {
            anyhow!(
                "impossible d'écrire le fichier « {} » ({}) ; vérifiez que le dossier existe et qu'il est \
                 accessible en écriture",
                args.sortie.display(),
                io_reason(&e)
            )
        })?;
        record_as(
            &store,
            &Actor::command_line(),
            Action::DataExported,
            &format!("rapport:{}", report::path(kind, code)),
            json!({
                "fichier": args.sortie.display().to_string(),
                "secret_statistique": secrecy,
                "octets": bytes.len(),
            }),
        )
        .await
        .map_err(fr)?;
        println!(
            "Tableau de bord santé de {} écrit dans {} ({} Kio){}.",
            report.subject.name,
            args.sortie.display(),
            bytes.len().div_ceil(1024),
            if secrecy.is_some() {
                ", secret statistique appliqué"
            } else {
                " — usage interne : petits effectifs non masqués"
            }
        );
        Ok(())
    })
}

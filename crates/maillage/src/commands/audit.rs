//! `maillage audit verifier`: checks the audit log's hash chain.

use super::base::{BaseArg, block_on, fr, nombre, open, print_json};
use anyhow::bail;
use clap::{Args, Subcommand};
use maillage_messages::French;
use maillage_store::audit::{self, Action};
use maillage_web::audit::{Actor, record_as};
use serde_json::json;

/// Arguments de `maillage audit`.
#[derive(Args, Debug)]
pub struct AuditArgs {
    #[command(subcommand)]
    pub action: AuditAction,
}

#[derive(Subcommand, Debug)]
pub enum AuditAction {
    /// Vérifier que le journal d'audit n'a pas été modifié (chaîne d'empreintes) ; code de sortie 1 sinon
    Verifier(VerifyArgs),
}

/// Arguments de `maillage audit verifier`.
#[derive(Args, Debug)]
pub struct VerifyArgs {
    /// Sortie JSON
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub base: BaseArg,
}

pub fn run(args: AuditArgs) -> anyhow::Result<()> {
    match args.action {
        AuditAction::Verifier(a) => verify(a),
    }
}

fn verify(args: VerifyArgs) -> anyhow::Result<()> {
    block_on(async {
        let store = open(&args.base).await?;
        let v = audit::verify(&store).await.map_err(fr)?;
        let result = if v.broken.is_some() {
            "rompu"
        } else {
            "intact"
        };
        let details = json!({ "resultat": result, "entrees": v.entries });
        record_as(
            &store,
            &Actor::command_line(),
            Action::AuditLogVerified,
            "journal",
            details,
        )
        .await
        .map_err(fr)?;
        if args.json {
            print_json(&v)?;
        }
        match &v.broken {
            None => {
                if !args.json {
                    println!(
                        "Journal d'audit intact : {} entrée(s) vérifiée(s). Empreinte de la dernière : {}",
                        nombre(v.entries as f64, 0),
                        v.last_hash
                    );
                }
                Ok(())
            }
            Some(b) => bail!(
                "journal d'audit altéré : {} ({} entrée(s) intacte(s) avant la rupture)",
                b.french(),
                nombre(v.entries as f64, 0)
            ),
        }
    })
}

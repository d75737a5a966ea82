//! `maillage audit verifier` and `maillage audit ancrer`: the audit journal's chain checked, its head signed.
//! Both only read the base: a verification writes no entry (it would change what it verifies, and whoever runs
//! it holds the base anyway); an anchor is written outside it.

use super::base::{BaseArg, block_on, fr, open, print_json};
use anyhow::{anyhow, bail};
use clap::{Args, Subcommand};
use maillage_messages::French;
use maillage_store::StoreError;
use maillage_store::audit::{self, Anchor, Verification};
use std::io::{Read, Write};
use std::path::PathBuf;

/// Arguments de `maillage audit`.
#[derive(Args, Debug)]
pub struct AuditArgs {
    #[command(subcommand)]
    pub action: AuditAction,
}

#[derive(Subcommand, Debug)]
pub enum AuditAction {
    /// Vérifier que le journal d'audit n'a pas été modifié (chaîne d'empreintes scellée par la clé) ; avec
    /// --depuis, prouver aussi que rien n'a changé ni disparu jusqu'à une ancre ; code de sortie 1 sinon.
    /// N'écrit rien dans la base
    Verifier(VerifyArgs),
    /// Signer la tête actuelle du journal d'audit avec sa clé : une ligne à garder hors de la base (courriel au
    /// délégué à la protection des données, registre papier), que « verifier --depuis » éprouvera
    Ancrer(AnchorArgs),
}

/// Arguments de `maillage audit verifier`.
#[derive(Args, Debug)]
pub struct VerifyArgs {
    /// Ancre de référence : la ligne imprimée par « maillage audit ancrer », ou un fichier qui la contient
    #[arg(long, value_name = "ANCRE|FICHIER")]
    pub depuis: Option<String>,
    /// Sortie JSON
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub base: BaseArg,
}

/// Arguments de `maillage audit ancrer`.
#[derive(Args, Debug)]
pub struct AnchorArgs {
    /// Ajouter aussi l'ancre à la fin de ce fichier (créé s'il est absent : un registre d'ancres)
    #[arg(long, value_name = "FICHIER")]
    pub fichier: Option<PathBuf>,
    /// Envoyer aussi l'ancre à cette adresse, par le serveur de courriel configuré dans Maillage
    #[arg(long, value_name = "ADRESSE")]
    pub courriel: Option<String>,
    #[command(flatten)]
    pub base: BaseArg,
}

pub fn run(args: AuditArgs) -> anyhow::Result<()> {
    match args.action {
        AuditAction::Verifier(a) => verify(a),
        AuditAction::Ancrer(a) => anchor(a),
    }
}

fn intact_entries(n: u64) -> String {
    maillage_messages::count(n, "entrée intacte", "entrées intactes")
}

/// An anchor given as its text or as a file holding it (a saved mail, a register of anchors: the last one).
fn read_anchor(given: &str) -> anyhow::Result<Anchor> {
    let path = std::path::Path::new(given);
    let text = if !given.contains("maillage-ancre-journal") && path.is_file() {
        // A register or a saved mail is small; anything far larger is not what was meant.
        let mut text = String::new();
        std::fs::File::open(path)
            .and_then(|f| f.take(1 << 20).read_to_string(&mut text))
            .map_err(|e| anyhow!("impossible de lire l'ancre dans « {given} » ({e})"))?;
        match text.rfind("maillage-ancre-journal") {
            Some(last) => text[last..].to_string(),
            None => text,
        }
    } else {
        given.to_string()
    };
    Anchor::parse(&text).map_err(|p| fr(StoreError::InvalidAnchor(p)))
}

fn verify(args: VerifyArgs) -> anyhow::Result<()> {
    block_on(async {
        let anchor = args.depuis.as_deref().map(read_anchor).transpose()?;
        let store = open(&args.base).await?;
        let v = match &anchor {
            Some(a) => audit::verify_from(&store, a).await,
            None => audit::verify(&store).await,
        }
        .map_err(fr)?;
        if args.json {
            print_json(&v)?;
        }
        if let Some(b) = &v.broken {
            bail!(
                "journal d'audit altéré : {} ({} avant la rupture)",
                b.french(),
                intact_entries(v.entries)
            );
        }
        if !args.json {
            print_verification(&v, anchor.as_ref());
        }
        Ok(())
    })
}

fn print_verification(v: &Verification, anchor: Option<&Anchor>) {
    println!(
        "Journal d'audit intact : {}. Empreinte de la dernière : {}",
        maillage_messages::count(v.entries, "entrée vérifiée", "entrées vérifiées"),
        v.last_hash
    );
    let unkeyed = (v.keyed_from - 1).min(v.entries as i64);
    if unkeyed > 0 {
        println!(
            "Les entrées n° 1 à n° {unkeyed}, écrites avant la mise en place de la clé, sont chaînées sans clé : \
             seule une ancre gardée hors de la base les protège d'une réécriture."
        );
    }
    match anchor {
        Some(a) => println!(
            "L'ancre de l'entrée n° {} (prise le {}) est signée par la clé et le journal la contient intacte : \
             rien n'a été modifié ni supprimé jusqu'à elle.",
            a.id,
            maillage_kit::local_time::text_date_time(&a.at)
        ),
        None => println!(
            "Pour prouver plus tard que rien n'a changé jusqu'ici, même face à qui détient la clé : maillage audit \
             ancrer, et gardez la ligne hors de la base."
        ),
    }
}

fn anchor(args: AnchorArgs) -> anyhow::Result<()> {
    block_on(async {
        let store = open(&args.base).await?;
        // Signing a broken chain would certify it.
        let v = audit::verify(&store).await.map_err(fr)?;
        if let Some(b) = &v.broken {
            bail!(
                "le journal d'audit est altéré, il n'est pas ancré : {} ; \
                 faites constater l'altération avant toute nouvelle ancre",
                b.french()
            );
        }
        let anchor = audit::anchor(&store).await.map_err(fr)?;
        let line = anchor.text();
        println!("{line}");
        if let Some(file) = &args.fichier {
            std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(file)
                .and_then(|mut f| writeln!(f, "{line}").and_then(|()| f.sync_all()))
                .map_err(|e| {
                    anyhow!(
                        "l'ancre n'a pas pu être ajoutée à « {} » ({e}) ; recopiez la ligne ci-dessus",
                        file.display()
                    )
                })?;
            eprintln!("Ancre ajoutée à la fin de « {} ».", file.display());
        }
        if let Some(to) = &args.courriel {
            maillage_web::audit::mail_anchor(&store, to, &anchor)
                .await
                .map_err(|reason| {
                    anyhow!("l'ancre n'a pas été envoyée à « {to} » : {reason} ; recopiez la ligne ci-dessus")
                })?;
            eprintln!("Ancre envoyée à « {to} ».");
        }
        Ok(())
    })
}

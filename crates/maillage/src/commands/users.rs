//! `maillage utilisateur`: accounts from the command line (the first administrator, a forgotten password).

use super::base::{BaseArg, block_on, fr, open, print_json};
use anyhow::{anyhow, bail};
use clap::{Args, Subcommand};
use maillage_store::accounts::{self, AccountError};
use maillage_web::audit::Actor;
use maillage_web::permissions::role_label;
use maillage_web::users::{self, UserForm, parse_roles, parse_territories};
use std::io::BufRead;

/// Arguments de `maillage utilisateur`.
#[derive(Args, Debug)]
pub struct UserArgs {
    #[command(subcommand)]
    pub action: UserAction,
}

#[derive(Subcommand, Debug)]
pub enum UserAction {
    /// Créer un compte (par exemple le premier administrateur)
    Creer(CreateArgs),
    /// Lister les comptes, leurs rôles et leurs territoires
    Liste(ListArgs),
    /// Donner un nouveau mot de passe à un compte (ses sessions sont fermées)
    MotDePasse(PasswordArgs),
}

/// Arguments de `maillage utilisateur creer`.
#[derive(Args, Debug)]
pub struct CreateArgs {
    /// Identifiant de connexion (lettres minuscules sans accent, chiffres, point, tiret)
    #[arg(long, value_name = "IDENTIFIANT")]
    pub identifiant: String,
    /// Rôle (à répéter pour en donner plusieurs) : elu, coordination, observatoire, offre, ccas, mediation,
    /// crise, benevole, partenaire, dpo, admin
    #[arg(long = "role", value_name = "ROLE", required = true)]
    pub roles: Vec<String>,
    /// Nom affiché (par défaut l'identifiant)
    #[arg(long, value_name = "NOM")]
    pub nom: Option<String>,
    /// Code INSEE d'une commune que le compte peut voir (à répéter)
    #[arg(long = "territoire", value_name = "CODE")]
    pub territoires: Vec<String>,
    /// Le compte voit toutes les communes servies par Maillage
    #[arg(long)]
    pub tout_le_territoire: bool,
    /// Lire le mot de passe sur l'entrée standard (une ligne) ; sinon un mot de passe est tiré au hasard et affiché
    #[arg(long)]
    pub mot_de_passe_stdin: bool,
    #[command(flatten)]
    pub base: BaseArg,
}

/// Arguments de `maillage utilisateur liste`.
#[derive(Args, Debug)]
pub struct ListArgs {
    /// Sortie JSON
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub base: BaseArg,
}

/// Arguments de `maillage utilisateur mot-de-passe`.
#[derive(Args, Debug)]
pub struct PasswordArgs {
    #[arg(long, value_name = "IDENTIFIANT")]
    pub identifiant: String,
    /// Lire le mot de passe sur l'entrée standard (une ligne) ; sinon un mot de passe est tiré au hasard et affiché
    #[arg(long)]
    pub mot_de_passe_stdin: bool,
    #[command(flatten)]
    pub base: BaseArg,
}

pub fn run(args: UserArgs) -> anyhow::Result<()> {
    match args.action {
        UserAction::Creer(a) => create(a),
        UserAction::Liste(a) => list(a),
        UserAction::MotDePasse(a) => password(a),
    }
}

/// The password given on standard input (one line), or a random one to print.
fn password_from(stdin: bool) -> anyhow::Result<(String, bool)> {
    if !stdin {
        return Ok((maillage_web::secrets::readable_password(), true));
    }
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| anyhow!("impossible de lire le mot de passe sur l'entrée standard ({e})"))?;
    let password = line.strip_suffix('\n').unwrap_or(&line);
    let password = password.strip_suffix('\r').unwrap_or(password).to_string();
    if password.is_empty() {
        bail!(
            "aucun mot de passe reçu sur l'entrée standard (--mot-de-passe-stdin attend une ligne)"
        );
    }
    Ok((password, false))
}

fn account_error(e: AccountError) -> anyhow::Error {
    fr(e)
}

fn create(args: CreateArgs) -> anyhow::Result<()> {
    let identifier = accounts::normalize_identifier(&args.identifiant).map_err(account_error)?;
    let (password, generated) = password_from(args.mot_de_passe_stdin)?;
    let form = UserForm {
        display_name: args.nom.clone().unwrap_or_else(|| identifier.clone()),
        identifier: identifier.clone(),
        password: password.clone(),
        roles: parse_roles(args.roles.iter().map(String::as_str)).map_err(account_error)?,
        territories: parse_territories(&args.territoires.join(" ")).map_err(account_error)?,
        all_territories: args.tout_le_territoire,
    };
    block_on(async {
        let store = open(&args.base).await?;
        users::create(&store, &Actor::command_line(), &form)
            .await
            .map_err(account_error)?;
        println!(
            "Compte « {identifier} » créé avec {} : {}.",
            maillage_messages::agreed(form.roles.len(), "le rôle", "les rôles"),
            form.roles
                .iter()
                .map(|r| role_label(*r))
                .collect::<Vec<_>>()
                .join(", ")
        );
        if form.territories.is_empty() && !form.all_territories {
            println!(
                "Aucun territoire attribué (--territoire CODE ou --tout-le-territoire pour en donner un)."
            );
        }
        if generated {
            println!("Mot de passe : {password}");
            println!(
                "Transmettez-le par un canal sûr ; il se change après connexion (« Changer de mot de passe »)."
            );
        }
        Ok(())
    })
}

fn list(args: ListArgs) -> anyhow::Result<()> {
    block_on(async {
        let store = open(&args.base).await?;
        let list = accounts::list(&store).await.map_err(fr)?;
        if args.json {
            return print_json(&list);
        }
        if list.is_empty() {
            println!(
                "Aucun compte. Créez le premier administrateur : maillage utilisateur creer --identifiant admin --role admin"
            );
        }
        for a in &list {
            let territory = if a.all_territories {
                "toutes les communes".to_string()
            } else if a.territories.is_empty() {
                "aucune commune".to_string()
            } else {
                a.territories.iter().cloned().collect::<Vec<_>>().join(", ")
            };
            println!(
                "{} — {} — rôles : {} — territoire : {}{}{}",
                a.identifier,
                a.display_name,
                a.roles
                    .iter()
                    .map(|r| r.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
                territory,
                if a.active { "" } else { " — désactivé" },
                if a.demo { " — démonstration" } else { "" },
            );
        }
        Ok(())
    })
}

fn password(args: PasswordArgs) -> anyhow::Result<()> {
    let (password, generated) = password_from(args.mot_de_passe_stdin)?;
    block_on(async {
        let store = open(&args.base).await?;
        let identifier =
            accounts::normalize_identifier(&args.identifiant).map_err(account_error)?;
        let Some((account, _)) = accounts::credentials(&store, &identifier)
            .await
            .map_err(fr)?
        else {
            bail!(
                "compte inconnu « {identifier} » ; la liste s'affiche avec « maillage utilisateur liste »"
            );
        };
        let action = maillage_store::audit::Action::AccountPasswordReset;
        users::set_password(
            &store,
            &Actor::command_line(),
            account.id,
            &password,
            action,
            None,
        )
        .await
        .map_err(account_error)?;
        println!(
            "Nouveau mot de passe enregistré pour « {identifier} » ; ses sessions ont été fermées."
        );
        if generated {
            println!("Mot de passe : {password}");
        }
        Ok(())
    })
}

//! `maillage`: the one binary. It parses the command line, calls the libraries and turns what they
//! report into French for the user. No domain logic lives here.

mod cli_french;
mod commands;
mod progress;

use clap::{FromArgMatches, Parser};
use std::process::ExitCode;

/// Maillage : système d'information et de coordination santé d'une commune ou d'une intercommunalité.
///
/// Observer l'offre de soins et l'accès aux soins jusqu'au quartier, à partir des fichiers officiels
/// publiés (Annuaire santé, FINESS, INSEE, IGN, ANCT, BAN, OpenStreetMap, DREES).
#[derive(Parser)]
#[command(
    name = "maillage",
    version,
    about,
    long_about,
    subcommand_value_name = "COMMANDE"
)]
#[command(
    after_help = "Base de données : par défaut le fichier SQLite « maillage.sqlite » du dossier courant \
                        (ou la variable d'environnement MAILLAGE_BASE) ; une URL postgres://… pour PostgreSQL.\n\
                        Aide d'une commande : maillage <commande> --help"
)]
struct Cli {
    #[command(subcommand)]
    command: commands::Command,
}

fn main() -> ExitCode {
    let matches = match cli_french::command::<Cli>().try_get_matches() {
        Ok(m) => m,
        Err(e) => return cli_french::report_parse_error(e),
    };
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => return cli_french::report_parse_error(e),
    };
    match commands::run(cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("erreur : {e:#}");
            ExitCode::FAILURE
        }
    }
}

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
    #[command(flatten)]
    #[allow(dead_code)]
    base: BaseBeforeCommand,
}

/// `maillage --base x.sqlite import …`: clap hands a global argument's value down to the command's own `--base`
/// (same id). No default and no environment variable here, so that the command's own ones still apply when it
/// is not given (`maillage demo` keeps its own default base, whatever `MAILLAGE_BASE` says).
#[derive(clap::Args)]
struct BaseBeforeCommand {
    /// Base de données : chemin d'un fichier SQLite ou URL postgres://… (avant ou après la commande)
    #[arg(long = "base", id = "base", global = true, value_name = "FICHIER|URL")]
    base: Option<String>,
}

/// Longest error the command line prints: a located message with its extracts is far shorter.
const ERROR_MAX_CHARS: usize = 2000;

fn main() -> ExitCode {
    quiet_on_closed_pipe_and_french_panics();
    maillage_store::audit::set_key_file_comment(maillage_messages::audit::KEY_FILE_COMMENT);
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
        Err(e) if is_closed_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            // Messages quote values cut (about 80 characters); this bounds the whole, whatever its source.
            eprintln!(
                "erreur : {}",
                maillage_messages::at_most(format_args!("{e:#}"), ERROR_MAX_CHARS)
            );
            ExitCode::FAILURE
        }
    }
}

/// The reader of our output went away (`maillage zones | head -1`): stop quietly, as `cat` would.
fn is_closed_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            || cause.downcast_ref::<csv::Error>().is_some_and(
                |c| matches!(c.kind(), csv::ErrorKind::Io(io) if io.kind() == std::io::ErrorKind::BrokenPipe),
            )
            || cause
                .downcast_ref::<serde_json::Error>()
                .is_some_and(|j| j.io_error_kind() == Some(std::io::ErrorKind::BrokenPipe))
    })
}

/// `println!` panics when stdout is a closed pipe: end quietly instead. Any other panic is a bug: say so in
/// French, where it happened, and how to report it, without Rust's English banner and backtrace hint.
fn quiet_on_closed_pipe_and_french_panics() {
    std::panic::set_hook(Box::new(|info| {
        let payload = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        if payload.contains("failed printing to stdout") {
            std::process::exit(0);
        }
        let place = info
            .location()
            .map(|l| format!(" ({}, ligne {})", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!(
            "erreur interne de Maillage{place} : c'est un défaut du programme, pas de vos données ; \
             signalez-le avec la commande lancée et ce message (détail technique : {})",
            maillage_formats::text::cut(&payload, 200)
        );
    }));
}

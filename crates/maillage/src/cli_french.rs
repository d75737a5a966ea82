//! The command line speaks French: help headings, the help and version flags, and parse errors.

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, Command, CommandFactory};
use std::process::ExitCode;

const TEMPLATE: &str =
    "{before-help}{about-with-newline}\n\x1b[1mUsage :\x1b[0m {usage}\n\n{all-args}{after-help}";

/// The clap command of `T`, with every level translated.
pub fn command<T: CommandFactory>() -> Command {
    frenchify(T::command(), true)
}

fn frenchify(cmd: Command, top: bool) -> Command {
    let mut cmd = cmd
        .disable_help_flag(true)
        .disable_help_subcommand(true)
        .help_template(TEMPLATE.replace("\x1b[1m", "").replace("\x1b[0m", ""))
        .subcommand_help_heading("Commandes")
        .arg(
            Arg::new("aide")
                .short('h')
                .long("help")
                .help("Afficher l'aide (--help pour le détail)")
                .action(ArgAction::Help)
                .global(false),
        );
    if top {
        cmd = cmd.disable_version_flag(true).arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .help("Afficher la version")
                .action(ArgAction::Version),
        );
    }
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    for name in names {
        cmd = cmd.mut_subcommand(name, |s| frenchify(s, false));
    }
    cmd
}

fn context(e: &clap::Error, kind: ContextKind) -> Option<String> {
    match e.get(kind)? {
        ContextValue::String(s) => Some(s.clone()),
        ContextValue::Strings(v) => Some(v.join(", ")),
        ContextValue::StyledStr(s) => Some(s.to_string()),
        ContextValue::StyledStrs(v) => Some(
            v.iter()
                .map(|s| s.to_string())
                .collect::<Vec<_>>()
                .join(", "),
        ),
        ContextValue::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Print a parse error in French (help and version go to stdout as they are) and give the exit code.
pub fn report_parse_error(e: clap::Error) -> ExitCode {
    let arg = context(&e, ContextKind::InvalidArg).unwrap_or_default();
    let value = context(&e, ContextKind::InvalidValue).unwrap_or_default();
    let valid = context(&e, ContextKind::ValidValue);
    let message = match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand | ErrorKind::MissingSubcommand => {
            let _ = e.print();
            return ExitCode::from(2);
        }
        ErrorKind::InvalidSubcommand => format!(
            "commande inconnue « {value} » ; la liste des commandes s'affiche avec : maillage --help"
        ),
        ErrorKind::UnknownArgument => {
            format!(
                "option inconnue « {arg} » ; les options de la commande s'affichent avec --help"
            )
        }
        ErrorKind::MissingRequiredArgument => {
            format!("argument obligatoire manquant : {arg} ; voir --help")
        }
        ErrorKind::InvalidValue => match valid {
            Some(valid) => {
                format!("valeur « {value} » invalide pour {arg} ; valeurs possibles : {valid}")
            }
            None => format!("valeur « {value} » invalide pour {arg}"),
        },
        ErrorKind::ValueValidation => {
            let cause = std::error::Error::source(&e)
                .map(|s| format!(" ({s})"))
                .unwrap_or_default();
            format!("valeur « {value} » invalide pour {arg}{cause}")
        }
        ErrorKind::ArgumentConflict => {
            format!("l'option {arg} ne peut pas être utilisée avec celles déjà données")
        }
        ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues => {
            format!("trop de valeurs ou valeur en trop : « {value} » ; voir --help")
        }
        _ => format!(
            "ligne de commande invalide ; voir maillage --help ({})",
            e.kind()
        ),
    };
    eprintln!("erreur : {message}");
    ExitCode::from(2)
}

//! The command line speaks French: help headings, the help and version flags, the default, environment and
//! possible-value notes clap would print in English, and parse errors.

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
        .mut_args(french_notes)
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

/// clap writes `[default: …]`, `[env: …]` and `[possible values: …]` in English: hide them and append the
/// same facts, in French, to the argument's own help.
fn french_notes(mut arg: Arg) -> Arg {
    let mut notes = Vec::new();
    // Values that carry their own help are listed one per line in the long help instead.
    let mut described_values = Vec::new();
    let mut values_note = None;
    if let Some(env) = arg.get_env().filter(|_| !arg.is_hide_env_set()) {
        notes.push(format!(
            "variable d'environnement : {}",
            env.to_string_lossy()
        ));
        arg = arg.hide_env(true);
    }
    let takes_value = arg.get_action().takes_values();
    if takes_value && !arg.is_hide_possible_values_set() {
        let values: Vec<_> = arg
            .get_possible_values()
            .into_iter()
            .filter(|v| !v.is_hide_set())
            .collect();
        if !values.is_empty() {
            let names: Vec<&str> = values.iter().map(|v| v.get_name()).collect();
            values_note = Some(format!("valeurs possibles : {}", names.join(", ")));
            if values.iter().any(|v| v.get_help().is_some()) {
                described_values = values
                    .iter()
                    .map(|v| match v.get_help() {
                        Some(help) => format!("  - {} : {help}", v.get_name()),
                        None => format!("  - {}", v.get_name()),
                    })
                    .collect();
            }
            arg = arg.hide_possible_values(true);
        }
    }
    if takes_value && !arg.is_hide_default_value_set() && !arg.get_default_values().is_empty() {
        let defaults: Vec<_> = arg
            .get_default_values()
            .iter()
            .map(|d| d.to_string_lossy().into_owned())
            .collect();
        notes.push(format!("par défaut : {}", defaults.join(" ")));
        arg = arg.hide_default_value(true);
    }
    if notes.is_empty() && values_note.is_none() {
        return arg;
    }
    let bracket = |notes: &[String]| {
        if notes.is_empty() {
            String::new()
        } else {
            format!(" [{}]", notes.join(" ; "))
        }
    };
    let short = arg.get_help().map(|h| h.to_string()).unwrap_or_default();
    let long = arg
        .get_long_help()
        .map(|h| h.to_string())
        .unwrap_or_else(|| short.clone());
    let short_notes: Vec<String> = values_note
        .iter()
        .cloned()
        .chain(notes.iter().cloned())
        .collect();
    let long_text = if described_values.is_empty() {
        format!("{long}{}", bracket(&short_notes))
    } else {
        format!(
            "{long}{}\n\nValeurs possibles :\n{}",
            bracket(&notes),
            described_values.join("\n")
        )
    };
    arg.help(
        format!("{short}{}", bracket(&short_notes))
            .trim_start()
            .to_string(),
    )
    .long_help(long_text.trim_start().to_string())
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Every help text, short and long, of every command: none of clap's English notes survives.
    #[test]
    fn help_texts_are_french() {
        fn walk(cmd: &mut Command, path: &str, seen: &mut usize) {
            for long in [false, true] {
                let text = if long {
                    cmd.render_long_help().to_string()
                } else {
                    cmd.render_help().to_string()
                };
                for english in [
                    "[default:",
                    "[env:",
                    "[possible values:",
                    "Possible values:",
                    "Usage:",
                    "Print help",
                    "Commands:",
                ] {
                    assert!(
                        !text.contains(english),
                        "« {english} » dans l'aide de {path} :\n{text}"
                    );
                }
                *seen += 1;
            }
            let names: Vec<String> = cmd
                .get_subcommands()
                .map(|s| s.get_name().to_string())
                .collect();
            for name in names {
                let sub = cmd.find_subcommand_mut(&name).expect("sous-commande");
                walk(sub, &format!("{path} {name}"), seen);
            }
        }
        let mut cmd = command::<crate::Cli>();
        cmd.build();
        let mut seen = 0;
        walk(&mut cmd, "maillage", &mut seen);
        assert!(seen > 20, "trop peu de commandes parcourues : {}", seen / 2);
    }

    #[test]
    fn defaults_and_environment_are_told_in_french() {
        let mut cmd = command::<crate::Cli>();
        cmd.build();
        let serve = cmd
            .find_subcommand_mut("serve")
            .expect("commande serve")
            .render_help()
            .to_string();
        // The help is wrapped to the terminal's width: read it as one line of words.
        let serve = serve.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(serve.contains("par défaut : 127.0.0.1:8080"), "{serve}");
        assert!(
            serve.contains("variable d'environnement : MAILLAGE_BASE"),
            "{serve}"
        );
        assert!(
            serve.contains("variable d'environnement : MAILLAGE_ROLE_APPLICATION"),
            "{serve}"
        );
    }
}

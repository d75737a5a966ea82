//! What a relayed message says before any transport: the text with its footer (why the person receives it, how
//! to leave the list), the unsubscribe address, the list's identifier (RFC 2919), and the text of a reminder of
//! overdue actions. Sending is the web layer's (SMTP), and so is the export when no server is configured.

use crate::{NetworkError, fields};
use jiff::civil::Date;

/// Checks a subject: one line, at most 200 characters.
pub fn subject(value: &str) -> Result<String, NetworkError> {
    Ok(fields::required_line("objet", value, 200)?)
}

/// Checks a message's text: at most 50,000 characters.
pub fn text(value: &str) -> Result<String, NetworkError> {
    Ok(fields::required("texte", value, 50_000)?)
}

/// The public address of the site, as written in messages: `http(s)://host[:port][/path]`, no trailing slash.
pub fn public_url(value: &str) -> Result<String, NetworkError> {
    let v = fields::url("adresse_publique", value)?.ok_or(NetworkError::Field(
        crate::FieldError::MissingField {
            field: "adresse_publique",
        },
    ))?;
    if v.contains(['?', '#']) {
        return Err(NetworkError::Field(crate::FieldError::InvalidField {
            field: "adresse_publique",
            expected: "adresse du site sans paramètres",
        }));
    }
    Ok(v.trim_end_matches('/').to_string())
}

/// The unsubscribe address of a contact on a list.
pub fn unsubscribe_url(public_url: &str, list: i64, contact: i64, signature: &str) -> String {
    format!("{public_url}/desinscription?liste={list}&contact={contact}&signature={signature}")
}

/// The `List-Id` of a list (RFC 2919): `liste-3.reseau.<host of the site>`.
pub fn list_id(list: i64, public_url: &str) -> String {
    let host = public_url
        .split("://")
        .nth(1)
        .unwrap_or("maillage.invalid")
        .split(['/', ':'])
        .next()
        .unwrap_or("");
    let host = if host.is_empty() {
        "maillage.invalid"
    } else {
        host
    };
    format!("liste-{list}.reseau.{host}")
}

/// The text sent: the message, then a footer naming the list and the sender, and the unsubscribe link.
pub fn with_footer(text: &str, list_name: &str, sender: &str, unsubscribe_url: &str) -> String {
    format!(
        "{}\n\n-- \nVous recevez ce message parce que vous êtes inscrit(e) à la liste « {list_name} » de {sender}.\n\
         Pour ne plus recevoir les messages de cette liste : {unsubscribe_url}\n",
        text.trim_end()
    )
}

/// One overdue or coming action in a reminder.
#[derive(Debug, Clone, PartialEq)]
pub struct ReminderItem {
    pub title: String,
    pub body: String,
    pub due_on: Date,
    /// Days late (0 or less: not late yet).
    pub days_late: i64,
}

/// The text of a reminder to the owner of follow-up actions.
pub fn reminder_text(owner: &str, items: &[ReminderItem], sender: &str) -> String {
    let mut s = format!(
        "Bonjour {owner},\n\nVoici les actions de suivi qui vous sont confiées et qui arrivent à échéance ou sont en retard :\n\n"
    );
    for i in items {
        let when = if i.days_late > 0 {
            format!(
                "en retard de {} jour{}",
                i.days_late,
                if i.days_late > 1 { "s" } else { "" }
            )
        } else {
            "à échéance".to_string()
        };
        s.push_str(&format!(
            "- {} ({}) : prévue pour le {}, {when}\n",
            i.title,
            i.body,
            i.due_on.strftime("%d/%m/%Y")
        ));
    }
    s.push_str(&format!(
        "\nMerci d'indiquer où elles en sont à la coordination.\n\n-- \n{sender}\nMessage envoyé par Maillage.\n"
    ));
    s
}

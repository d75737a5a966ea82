//! What a relayed message says before any transport: the text with its footer (why the person receives it, how
//! to leave the list), the unsubscribe address, the list's identifier (RFC 2919), and the text of a reminder of
//! overdue actions, as typed values the messages crate words. Sending is the web layer's (SMTP), and so is the
//! export when no server is configured.

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

/// A message relayed to a list, as sent: its text, then a footer naming the list and the sender, and the
/// contact's unsubscribe link (worded by `maillage_messages::network::relayed_text`).
#[derive(Debug, Clone, PartialEq)]
pub struct Relayed<'a> {
    pub text: &'a str,
    pub list_name: &'a str,
    pub sender: &'a str,
    pub unsubscribe_url: &'a str,
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

/// A reminder to the owner of follow-up actions of what is due or late (worded by
/// `maillage_messages::network::reminder_text`).
#[derive(Debug, Clone, PartialEq)]
pub struct Reminder<'a> {
    pub owner: &'a str,
    pub items: &'a [ReminderItem],
    pub sender: &'a str,
}

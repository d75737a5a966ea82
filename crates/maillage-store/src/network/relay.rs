//! Information relay: lists of contacts, messages and newsletters sent to them, who received what, and the
//! signed unsubscribe. The SMTP server's settings are kept here too (the `setting` table); sending is the web
//! layer's.

use super::{
    Error, Owner, Reach, Result, Territorywide, code, code_opt, commune_of, guard, instant,
    is_unique_violation, keys, may_assign, read_if_reached, touched,
};
use crate::Store;
use crate::change::Change;
use crate::change::reached_rows;
use crate::network::Refusal;
use crate::network::directory::Contact;
use jiff::Timestamp;
use maillage_network::{NetworkError, fields, mail};
use serde::{Deserialize, Serialize};
use sqlx::Row;
use sqlx::any::AnyRow;

/// The SMTP server messages go through. Plain SMTP (with optional AUTH): TLS is left to the relay it talks to
/// (the commune's mail relay, or a local MTA), see the web layer's documentation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    pub username: Option<String>,
    /// Never shown back on a page.
    pub password: Option<String>,
    pub sender_address: String,
    pub sender_name: String,
    /// The public address of the site, for links in messages (unsubscribe).
    pub public_url: String,
}

/// What the settings form sends.
#[derive(Debug, Clone, Default)]
pub struct SmtpForm {
    pub host: String,
    pub port: String,
    pub username: String,
    /// Empty keeps the password already saved.
    pub password: String,
    pub sender_address: String,
    pub sender_name: String,
    pub public_url: String,
}

/// The settings in force, if a server is configured.
pub async fn smtp(store: &Store) -> Result<Option<SmtpSettings>> {
    Ok(crate::settings::get(store, keys::SMTP).await?)
}

/// Checks and saves the settings.
pub async fn save_smtp(
    tx: &mut Change,
    form: &SmtpForm,
    previous: Option<&SmtpSettings>,
) -> Result<SmtpSettings> {
    let host = fields::required_line("serveur", &form.host, 200)?;
    if !host
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
    {
        return Err(
            NetworkError::Field(maillage_network::FieldError::InvalidField {
                field: "serveur",
                expected: "nom ou adresse du serveur",
            })
            .into(),
        );
    }
    let port = fields::integer("port", &form.port, 1, 65_535)?.unwrap_or(25) as u16;
    let username = fields::line("utilisateur", &form.username, 200)?;
    let password = match form.password.as_str() {
        "" => previous
            .and_then(|p| p.password.clone())
            .filter(|_| username.is_some()),
        p => Some(p.to_string()),
    };
    let sender_address = fields::email("expediteur", &form.sender_address)?.ok_or(
        NetworkError::Field(maillage_network::FieldError::MissingField {
            field: "expediteur",
        }),
    )?;
    let sender_name = fields::required_line("nom_expediteur", &form.sender_name, 120)?;
    let public_url = mail::public_url(&form.public_url)?;
    let settings = SmtpSettings {
        host,
        port,
        username,
        password,
        sender_address,
        sender_name,
        public_url,
    };
    crate::settings::set(tx, keys::SMTP, &settings).await?;
    Ok(settings)
}

/// Forgets the server: messages are exported again.
pub async fn clear_smtp(tx: &mut Change) -> Result<()> {
    sqlx::query("DELETE FROM setting WHERE key = $1")
        .bind(keys::SMTP)
        .execute(tx.conn())
        .await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------------------------
// Lists.

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct List {
    pub id: i64,
    /// The commune keeping the list (None: the whole territory).
    pub commune_code: Option<String>,
    pub name: String,
    pub description: Option<String>,
    /// Members still subscribed.
    pub subscribed: i64,
    pub unsubscribed: i64,
}

fn list_of(r: &AnyRow) -> Result<List> {
    Ok(List {
        id: r.try_get("id")?,
        commune_code: r.try_get("commune_code")?,
        name: r.try_get("name")?,
        description: r.try_get("description")?,
        subscribed: r.try_get("subscribed")?,
        unsubscribed: r.try_get("unsubscribed")?,
    })
}

const LIST_SELECT: &str = "SELECT l.id, l.commune_code, l.name, l.description,
         (SELECT COUNT(*) FROM network_list_member m WHERE m.list_id = l.id AND m.unsubscribed_at IS NULL) AS subscribed,
         (SELECT COUNT(*) FROM network_list_member m WHERE m.list_id = l.id AND m.unsubscribed_at IS NOT NULL)
             AS unsubscribed
     FROM network_list l";

/// A new list kept by `commune` (None: the whole territory).
pub async fn create_list(
    tx: &mut Change,
    reach: &Reach,
    commune: Option<&str>,
    name: &str,
    description: &str,
    now: Timestamp,
) -> Result<i64> {
    let name = fields::required_line("nom", name, 120)?;
    let description = fields::optional("description", description, 500)?;
    may_assign(reach, commune)?;
    let r = sqlx::query_scalar(
        "INSERT INTO network_list (name, description, created_at, commune_code) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(name)
    .bind(description)
    .bind(instant(now))
    .bind(commune)
    .fetch_one(tx.conn())
    .await;
    match r {
        Ok(id) => Ok(id),
        Err(e) if is_unique_violation(&e) => Err(Error::Refused(Refusal::Duplicate {
            what: "nom de liste",
        })),
        Err(e) => Err(e.into()),
    }
}

/// The lists the caller reaches.
pub async fn lists(store: &Store, reach: &Reach) -> Result<Vec<List>> {
    let rows = reached_rows(
        store,
        reach,
        "l.commune_code",
        Territorywide::Shared,
        &format!("{LIST_SELECT} WHERE {{reach}} ORDER BY l.name, l.id"),
    )
    .await?;
    rows.iter().map(list_of).collect()
}

pub async fn list(store: &Store, reach: &Reach, id: i64) -> Result<Option<List>> {
    let Some(mut tx) = read_if_reached(store, reach, Owner::List, id).await? else {
        return Ok(None);
    };
    let sql = format!("{LIST_SELECT} WHERE l.id = $1");
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(tx.conn())
        .await?
        .as_ref()
        .map(list_of)
        .transpose()
}

/// Adds a contact to a list. A contact who left the list by their unsubscribe link is not added back: only
/// they can come back (by asking the coordination, who then removes the mark with [`resubscribe`]).
pub async fn add_member(
    tx: &mut Change,
    reach: &Reach,
    list: i64,
    contact: i64,
    now: Timestamp,
) -> Result<()> {
    guard(tx, reach, Owner::List, list).await?;
    guard(tx, reach, Owner::Contact, contact).await?;
    let existing: Option<Option<String>> = sqlx::query_scalar(
        "SELECT unsubscribed_at FROM network_list_member WHERE list_id = $1 AND contact_id = $2",
    )
    .bind(list)
    .bind(contact)
    .fetch_optional(tx.conn())
    .await?;
    match existing {
        Some(Some(_)) => return Err(Error::Refused(Refusal::Unsubscribed { list, contact })),
        Some(None) => return Ok(()),
        None => {}
    }
    let has_list: Option<i64> = sqlx::query_scalar("SELECT id FROM network_list WHERE id = $1")
        .bind(list)
        .fetch_optional(tx.conn())
        .await?;
    has_list.ok_or(Error::NotFound {
        what: "liste",
        id: list,
    })?;
    let has_contact: Option<i64> =
        sqlx::query_scalar("SELECT id FROM network_contact WHERE id = $1")
            .bind(contact)
            .fetch_optional(tx.conn())
            .await?;
    has_contact.ok_or(Error::NotFound {
        what: "contact",
        id: contact,
    })?;
    sqlx::query(
        "INSERT INTO network_list_member (list_id, contact_id, added_at) VALUES ($1, $2, $3)",
    )
    .bind(list)
    .bind(contact)
    .bind(instant(now))
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// The contact asked to come back to a list they had left.
pub async fn resubscribe(tx: &mut Change, reach: &Reach, list: i64, contact: i64) -> Result<()> {
    guard(tx, reach, Owner::List, list).await?;
    guard(tx, reach, Owner::Contact, contact).await?;
    let n = sqlx::query("UPDATE network_list_member SET unsubscribed_at = NULL WHERE list_id = $1 AND contact_id = $2")
        .bind(list)
        .bind(contact)
        .execute(tx.conn())
        .await?
        .rows_affected();
    touched(n, "inscription", contact)
}

pub async fn remove_member(tx: &mut Change, reach: &Reach, list: i64, contact: i64) -> Result<()> {
    guard(tx, reach, Owner::List, list).await?;
    guard(tx, reach, Owner::Contact, contact).await?;
    let n = sqlx::query("DELETE FROM network_list_member WHERE list_id = $1 AND contact_id = $2")
        .bind(list)
        .bind(contact)
        .execute(tx.conn())
        .await?
        .rows_affected();
    touched(n, "inscription", contact)
}

/// Records the unsubscribe of a contact from a list (from their signed link). Returns false when they had
/// already left it, or were not on it.
pub async fn unsubscribe(tx: &mut Change, list: i64, contact: i64, now: Timestamp) -> Result<bool> {
    let n = sqlx::query(
        "UPDATE network_list_member SET unsubscribed_at = $3 WHERE list_id = $1 AND contact_id = $2
             AND unsubscribed_at IS NULL",
    )
    .bind(list)
    .bind(contact)
    .bind(instant(now))
    .execute(tx.conn())
    .await?
    .rows_affected();
    Ok(n > 0)
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Member {
    pub contact: Contact,
    pub unsubscribed_at: Option<String>,
}

/// Members of a list the caller reaches, by name, with whether they left it: only the contacts the caller
/// reaches (an account of every commune may have put another commune's contact on a shared list).
pub async fn members(store: &Store, reach: &Reach, list: i64) -> Result<Vec<Member>> {
    let Some(mut tx) = read_if_reached(store, reach, Owner::List, list).await? else {
        return Ok(Vec::new());
    };
    let clause = reach.clause("c.commune_code", 2, Territorywide::HolderOfAll);
    let sql = format!(
        "SELECT c.id, c.commune_code, c.actor_id, a.name AS actor_name, c.name, c.role, c.email, c.phone,
             m.unsubscribed_at
         FROM network_list_member m JOIN network_contact c ON c.id = m.contact_id
         LEFT JOIN network_actor a ON a.id = c.actor_id
         WHERE m.list_id = $1 AND {} ORDER BY c.name, c.id",
        clause.sql
    );
    let rows = clause
        .bind(sqlx::query(sqlx::AssertSqlSafe(sql)).bind(list))
        .fetch_all(tx.conn())
        .await?;
    tx.commit().await?;
    rows.iter()
        .map(|r| {
            Ok(Member {
                contact: Contact {
                    id: r.try_get("id")?,
                    commune_code: r.try_get("commune_code")?,
                    actor_id: r.try_get("actor_id")?,
                    actor_name: r.try_get("actor_name")?,
                    name: r.try_get("name")?,
                    role: r.try_get("role")?,
                    email: r.try_get("email")?,
                    phone: r.try_get("phone")?,
                },
                unsubscribed_at: r.try_get("unsubscribed_at")?,
            })
        })
        .collect()
}

/// Whether a contact is (still) subscribed to a list.
pub async fn is_member(store: &Store, list: i64, contact: i64) -> Result<Option<bool>> {
    let v: Option<Option<String>> = sqlx::query_scalar(
        "SELECT unsubscribed_at FROM network_list_member WHERE list_id = $1 AND contact_id = $2",
    )
    .bind(list)
    .bind(contact)
    .fetch_optional(store.pool())
    .await?;
    Ok(v.map(|u| u.is_none()))
}

// ---------------------------------------------------------------------------------------------------------------
// Messages.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageKind {
    Message,
    Newsletter,
}

impl maillage_network::Coded for MessageKind {
    const ALL: &'static [Self] = &[MessageKind::Message, MessageKind::Newsletter];
    fn code(self) -> &'static str {
        match self {
            MessageKind::Message => "message",
            MessageKind::Newsletter => "lettre",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    Smtp,
    Export,
}

impl maillage_network::Coded for Mode {
    const ALL: &'static [Self] = &[Mode::Smtp, Mode::Export];
    fn code(self) -> &'static str {
        match self {
            Mode::Smtp => "smtp",
            Mode::Export => "export",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Message {
    pub id: i64,
    /// Its list's commune.
    pub commune_code: Option<String>,
    pub list_id: i64,
    pub list_name: String,
    pub kind: MessageKind,
    pub subject: String,
    pub body: String,
    pub created_at: String,
    pub created_by: String,
    pub mode: Option<Mode>,
    pub sent_at: Option<String>,
    pub recipients: i64,
    pub failures: i64,
}

fn message_of(r: &AnyRow) -> Result<Message> {
    Ok(Message {
        id: r.try_get("id")?,
        commune_code: r.try_get("commune_code")?,
        list_id: r.try_get("list_id")?,
        list_name: r.try_get("list_name")?,
        kind: code("network_message.kind", &r.try_get::<String, _>("kind")?)?,
        subject: r.try_get("subject")?,
        body: r.try_get("body")?,
        created_at: r.try_get("created_at")?,
        created_by: r.try_get("created_by")?,
        mode: code_opt("network_message.mode", r.try_get("mode")?)?,
        sent_at: r.try_get("sent_at")?,
        recipients: r.try_get("recipients")?,
        failures: r.try_get("failures")?,
    })
}

const MESSAGE_SELECT: &str =
    "SELECT m.id, m.commune_code, m.list_id, l.name AS list_name, m.kind, m.subject, m.body, m.created_at,
         m.created_by, m.mode, m.sent_at, m.recipients, m.failures
     FROM network_message m JOIN network_list l ON l.id = m.list_id";

/// Writes a message to a list (not sent yet).
#[allow(clippy::too_many_arguments)]
pub async fn create_message(
    tx: &mut Change,
    reach: &Reach,
    list: i64,
    kind: MessageKind,
    subject: &str,
    body: &str,
    by: &str,
    now: Timestamp,
) -> Result<i64> {
    let subject = mail::subject(subject)?;
    let body = mail::text(body)?;
    // A message is its list's commune's.
    let commune = commune_of(tx, reach, Owner::List, list).await?;
    use maillage_network::Coded;
    Ok(sqlx::query_scalar(
        "INSERT INTO network_message (list_id, kind, subject, body, created_at, created_by, commune_code)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(list)
    .bind(kind.code())
    .bind(subject)
    .bind(body)
    .bind(instant(now))
    .bind(by)
    .bind(commune)
    .fetch_one(tx.conn())
    .await?)
}

/// The outcome for one recipient: `envoye`, `echec` (with the server's answer) or `exporte`.
pub async fn record_delivery(
    tx: &mut Change,
    reach: &Reach,
    message: i64,
    contact: i64,
    status: &str,
    error: Option<&str>,
    now: Timestamp,
) -> Result<()> {
    guard(tx, reach, Owner::Message, message).await?;
    sqlx::query(
        "INSERT INTO network_message_recipient (message_id, contact_id, status, error, at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (message_id, contact_id) DO UPDATE SET status = excluded.status, error = excluded.error, at = excluded.at",
    )
    .bind(message)
    .bind(contact)
    .bind(status)
    .bind(error)
    .bind(instant(now))
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// Marks a message sent (or exported) and counts its outcomes.
pub async fn finish_message(
    tx: &mut Change,
    reach: &Reach,
    message: i64,
    mode: Mode,
    now: Timestamp,
) -> Result<()> {
    guard(tx, reach, Owner::Message, message).await?;
    use maillage_network::Coded;
    let n = sqlx::query(
        "UPDATE network_message SET mode = $2, sent_at = $3,
             recipients = (SELECT COUNT(*) FROM network_message_recipient r WHERE r.message_id = $1),
             failures = (SELECT COUNT(*) FROM network_message_recipient r WHERE r.message_id = $1 AND r.status = 'echec')
         WHERE id = $1",
    )
    .bind(message)
    .bind(mode.code())
    .bind(instant(now))
    .execute(tx.conn())
    .await?
    .rows_affected();
    touched(n, "message", message)
}

/// The messages the caller reaches, newest first.
pub async fn messages(store: &Store, reach: &Reach) -> Result<Vec<Message>> {
    let rows = reached_rows(
        store,
        reach,
        "m.commune_code",
        Territorywide::Shared,
        &format!("{MESSAGE_SELECT} WHERE {{reach}} ORDER BY m.created_at DESC, m.id DESC"),
    )
    .await?;
    rows.iter().map(message_of).collect()
}

pub async fn message(store: &Store, reach: &Reach, id: i64) -> Result<Option<Message>> {
    let Some(mut tx) = read_if_reached(store, reach, Owner::Message, id).await? else {
        return Ok(None);
    };
    let sql = format!("{MESSAGE_SELECT} WHERE m.id = $1");
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(tx.conn())
        .await?
        .as_ref()
        .map(message_of)
        .transpose()
}

/// A recipient of a message and what happened.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Delivery {
    pub contact_id: i64,
    pub name: String,
    pub email: Option<String>,
    pub status: String,
    pub error: Option<String>,
}

/// The recipients of a message the caller reaches, among the contacts it reaches.
pub async fn deliveries(store: &Store, reach: &Reach, message: i64) -> Result<Vec<Delivery>> {
    let Some(mut tx) = read_if_reached(store, reach, Owner::Message, message).await? else {
        return Ok(Vec::new());
    };
    let clause = reach.clause("c.commune_code", 2, Territorywide::HolderOfAll);
    let sql = format!(
        "SELECT r.contact_id, c.name, c.email, r.status, r.error FROM network_message_recipient r
         JOIN network_contact c ON c.id = r.contact_id WHERE r.message_id = $1 AND {} ORDER BY c.name, c.id",
        clause.sql
    );
    let rows = clause
        .bind(sqlx::query(sqlx::AssertSqlSafe(sql)).bind(message))
        .fetch_all(tx.conn())
        .await?;
    tx.commit().await?;
    rows.iter()
        .map(|r| {
            Ok(Delivery {
                contact_id: r.try_get("contact_id")?,
                name: r.try_get("name")?,
                email: r.try_get("email")?,
                status: r.try_get("status")?,
                error: r.try_get("error")?,
            })
        })
        .collect()
}

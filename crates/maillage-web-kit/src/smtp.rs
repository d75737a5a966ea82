//! Sending e-mail through the configured SMTP server, with `lettre` (builder and SMTP transport only: default
//! features off, no TLS library). The connection is plain SMTP, with AUTH when a user is configured: Maillage
//! talks to the commune's mail relay (or a local MTA such as Postfix), which handles TLS towards the internet.
//! Without TLS, credentials cross the network in clear: configure a relay on the same machine or a trusted
//! network only. Each recipient gets their own message (their own unsubscribe link); nothing personal is
//! logged, and a failure keeps only the server's answer.

use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::message::{Mailbox, Message};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use maillage_store::network::relay::SmtpSettings;
use std::time::Duration;

/// One message to one person.
#[derive(Debug, Clone)]
pub struct Outgoing {
    pub to_name: String,
    pub to_email: String,
    pub subject: String,
    /// The whole text, footer included.
    pub text: String,
    /// `List-Id` (RFC 2919), for messages to a list.
    pub list_id: Option<String>,
    /// `List-Unsubscribe` (RFC 2369), for messages to a list.
    pub unsubscribe_url: Option<String>,
}

/// Why a message did not leave: a French sentence without personal data (the server's answer is kept as it is,
/// cut short).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendFailure(pub String);

fn host_of(url: &str) -> &str {
    url.split("://")
        .nth(1)
        .unwrap_or("")
        .split(['/', ':'])
        .next()
        .filter(|h| !h.is_empty())
        .unwrap_or("maillage.invalid")
}

/// The message as it is sent (also what an export writes).
pub fn build(s: &SmtpSettings, o: &Outgoing) -> Result<Message, SendFailure> {
    let from_address = s
        .sender_address
        .parse()
        .map_err(|_| SendFailure("l'adresse de l'expéditeur est invalide".into()))?;
    let to_address = o
        .to_email
        .parse()
        .map_err(|_| SendFailure("l'adresse du destinataire est invalide".into()))?;
    let mut random = [0u8; 12];
    getrandom::fill(&mut random).map_err(|_| SendFailure("aléa indisponible".into()))?;
    let mut builder = Message::builder()
        .from(Mailbox::new(Some(s.sender_name.clone()), from_address))
        .to(Mailbox::new(Some(o.to_name.clone()), to_address))
        .subject(o.subject.clone())
        .message_id(Some(format!(
            "<{}@{}>",
            hex::encode(random),
            host_of(&s.public_url)
        )))
        .date_now()
        .user_agent("Maillage".into());
    if let Some(id) = &o.list_id {
        builder = builder.raw_header(HeaderValue::new(
            HeaderName::new_from_ascii_str("List-Id"),
            format!("<{id}>"),
        ));
    }
    if let Some(url) = &o.unsubscribe_url {
        builder = builder.raw_header(HeaderValue::new(
            HeaderName::new_from_ascii_str("List-Unsubscribe"),
            format!("<{url}>"),
        ));
    }
    builder
        .header(ContentType::TEXT_PLAIN)
        .body(o.text.clone())
        .map_err(|_| SendFailure("le message n'a pas pu être composé".into()))
}

fn transport(s: &SmtpSettings) -> AsyncSmtpTransport<Tokio1Executor> {
    let mut b = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(s.host.clone())
        .port(s.port)
        .timeout(Some(Duration::from_secs(20)));
    if let (Some(u), Some(p)) = (&s.username, &s.password) {
        b = b.credentials(Credentials::new(u.clone(), p.clone()));
    }
    b.build()
}

fn failure(e: lettre::transport::smtp::Error) -> SendFailure {
    // The server's code and text say what went wrong (refused recipient, relay denied...); lettre's message
    // names no address.
    let text: String = e.to_string().chars().take(300).collect();
    SendFailure(format!(
        "le serveur de courriel a refusé ou n'a pas répondu ({text})"
    ))
}

/// Sends one message.
pub async fn send(s: &SmtpSettings, o: &Outgoing) -> Result<(), SendFailure> {
    let m = build(s, o)?;
    transport(s).send(m).await.map(|_| ()).map_err(failure)
}

/// Sends several messages over one transport; one outcome per message, in order.
pub async fn send_all(s: &SmtpSettings, messages: &[Outgoing]) -> Vec<Result<(), SendFailure>> {
    let t = transport(s);
    let mut out = Vec::with_capacity(messages.len());
    for o in messages {
        out.push(match build(s, o) {
            Ok(m) => t.send(m).await.map(|_| ()).map_err(failure),
            Err(e) => Err(e),
        });
    }
    out
}

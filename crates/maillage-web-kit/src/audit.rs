//! Writing to the audit log from the web layer (and from the command line, which has no caller).
//!
//! In a handler: `audit::record(&state, &caller, Action::ProfessionalsListed, "api:/api/v1/professionnels",
//! json!({ "lignes": n })).await?;` — after the read or change it describes. For a change, write the entry in
//! the change's transaction with [`record_in`], so both are committed together or not at all. Details never
//! hold passwords or tokens; they may name filters, counts and the fields changed.

use crate::auth::{Caller, Via};
use crate::error::WebError;
use crate::state::AppState;
use maillage_store::Store;
use maillage_store::audit::{self, Action, Entry};
use maillage_store::change::Change;

/// Who acts: an account (from the web or an API token) or the command line.
#[derive(Debug, Clone)]
pub struct Actor {
    pub name: String,
    pub id: Option<i64>,
    pub ip: Option<String>,
    /// The API token used, if any.
    pub token: Option<i64>,
}

impl Actor {
    /// The person at the command line of the server (who has the base in hand anyway).
    pub fn command_line() -> Actor {
        Actor {
            name: "ligne-de-commande".into(),
            id: None,
            ip: None,
            token: None,
        }
    }

    /// Someone not logged in (a failed login, say).
    pub fn anonymous(ip: Option<String>) -> Actor {
        Actor {
            name: "anonyme".into(),
            id: None,
            ip,
            token: None,
        }
    }

    pub fn of(caller: &Caller) -> Actor {
        Actor {
            name: caller.account.identifier.clone(),
            id: Some(caller.account.id),
            ip: caller.ip.clone(),
            token: match caller.via {
                Via::Token { id } => Some(id),
                Via::Session { .. } => None,
            },
        }
    }

    fn entry<'a>(
        &'a self,
        action: Action,
        target: &'a str,
        mut details: serde_json::Value,
    ) -> Entry<'a> {
        if let (Some(token), Some(map)) = (self.token, details.as_object_mut()) {
            map.insert("jeton_api".into(), token.into());
        }
        Entry {
            actor: &self.name,
            actor_id: self.id,
            action,
            target,
            details,
            ip: self.ip.as_deref(),
        }
    }
}

/// Records an event for the caller of a request.
pub async fn record(
    state: &AppState,
    caller: &Caller,
    action: Action,
    target: &str,
    details: serde_json::Value,
) -> Result<(), WebError> {
    Ok(record_as(state.store(), &Actor::of(caller), action, target, details).await?)
}

/// Records an event for any actor, in its own transaction.
pub async fn record_as(
    store: &Store,
    actor: &Actor,
    action: Action,
    target: &str,
    details: serde_json::Value,
) -> maillage_store::Result<()> {
    audit::append(store, &actor.entry(action, target, details)).await?;
    Ok(())
}

/// Records an event inside the transaction of the change it describes.
pub async fn record_in(
    tx: &mut Change,
    actor: &Actor,
    action: Action,
    target: &str,
    details: serde_json::Value,
) -> maillage_store::Result<()> {
    audit::append_in(tx, &actor.entry(action, target, details)).await?;
    Ok(())
}

/// Sends an anchor of the audit journal by mail through the instance's SMTP server (the relay's settings), so
/// that it is kept outside the base. The error is a French sentence.
pub async fn mail_anchor(
    store: &Store,
    to: &str,
    anchor: &maillage_store::audit::Anchor,
) -> Result<(), String> {
    use maillage_messages::French;
    let settings = maillage_store::network::relay::smtp(store)
        .await
        .map_err(|e| e.french())?
        .ok_or_else(|| {
            "aucun serveur de courriel n'est configuré (page « Relais d'information », réglages du serveur)"
                .to_string()
        })?;
    let line = anchor.text();
    let message = crate::smtp::Outgoing {
        to_name: to.to_string(),
        to_email: to.to_string(),
        subject: format!(
            "Ancre du journal d'audit de Maillage — entrée n° {}",
            anchor.id
        ),
        text: format!(
            "Ancre du journal d'audit de Maillage (base « {} »), prise le {} :\n\n{line}\n\n\
             Gardez ce message hors de Maillage. Pour prouver plus tard que rien n'a été modifié ni supprimé \
             jusqu'à cette entrée, sur le serveur :\n\n  maillage audit verifier --depuis \"{line}\"\n",
            store.location(),
            anchor.at
        ),
        list_id: None,
        unsubscribe_url: None,
    };
    crate::smtp::send(&settings, &message)
        .await
        .map_err(|failure| failure.0)
}

/// What the audit log keeps of a failed import: the kind of failure (a stable code, see
/// [`maillage_store::StoreError::code`]) and where it lies — the file as the user named it, the member of an
/// archive, line, column, field, sheet, layer, object — never the data, nor the message that quotes it (a
/// 50 MB field once made a 52 MB entry that the chain forbids removing). Every name is cut.
pub fn import_failure(error: &maillage_store::StoreError, file_name: &str) -> serde_json::Value {
    use maillage_kit::quoted;
    let mut place = serde_json::Map::new();
    place.insert("fichier".into(), quoted(file_name).into());
    if let Some(location) = error.location() {
        // The file read may be a member of the uploaded archive (`…/archive.zip/dossier/membre.txt`).
        let parts: Vec<_> = location.file.iter().collect();
        if let Some(at) = parts.iter().position(|p| *p == file_name)
            && at + 1 < parts.len()
        {
            let member: std::path::PathBuf = parts[at + 1..].iter().collect();
            place.insert("membre".into(), quoted(&member.to_string_lossy()).into());
        }
        let numbers = [
            ("ligne", location.line),
            ("colonne", location.column.map(|c| c as u64)),
            ("objet", location.feature.map(|f| f as u64 + 1)),
        ];
        for (key, value) in numbers {
            if let Some(value) = value {
                place.insert(key.into(), value.into());
            }
        }
        let names = [
            ("champ", &location.field),
            ("feuille", &location.sheet),
            ("couche", &location.layer),
        ];
        for (key, value) in names {
            if let Some(value) = value {
                place.insert(key.into(), quoted(value).into());
            }
        }
    }
    serde_json::json!({ "resultat": "refuse", "erreur": error.code(), "lieu": place })
}

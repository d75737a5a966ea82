//! The network and Contrat local de santé module in the store (migration 0005): every SQL statement of the
//! directory, relay lists and messages, bodies and meetings, the watch network, the CLS and consultations, for
//! SQLite and PostgreSQL alike. The rules (checks of fields, allowed steps, progress, reminders) are
//! `maillage-network`'s; this module applies them and keeps the result.
//!
//! Write functions take the caller's transaction (started with [`begin`]), so that the web layer commits the
//! audit entry with the change; read functions take the store. Nothing here logs: contacts are personal data.
//!
//! Every record belongs to a commune (`commune_code`, migration 0013; NULL: the whole territory) and every
//! function takes the caller's [`Reach`]: lists keep the records reached, and a record out of reach is
//! [`Error::NotFound`], exactly like a missing one. Children (meetings, fiches, measures...) are reached through
//! their parent ([`Owner`]).

pub mod bodies;
pub mod cls;
pub mod democracy;
pub mod directory;
pub mod relay;
pub mod trash;
pub mod watch;

pub use crate::change::Change;
pub(crate) use crate::module::{
    at, at_opt, code, code_opt, codes, day, day_opt, is_unique_violation, touched,
};
pub use crate::module::{instant, today};
pub use crate::reach::{Reach, Territorywide};
use crate::{Store, StoreError, module::ModuleError};
use jiff::civil::Date;
use maillage_network::NetworkError;

/// What an operation of the module can fail with: the store, a rule, a missing record, or one of the module's
/// [`Refusal`]s.
pub type Error = ModuleError<NetworkError, Refusal>;

/// What the network module refuses beyond its rules.
#[derive(Debug, thiserror::Error)]
pub enum Refusal {
    /// A value that must be unique is taken (`what` names the field).
    #[error("{what} is already used")]
    Duplicate { what: &'static str },
    /// The contact left the list through their unsubscribe link: only they can come back.
    #[error("contact {contact} unsubscribed from list {list}")]
    Unsubscribed { list: i64, contact: i64 },
    /// Something refers to a row of another body, contract... than the one acted on.
    #[error("{what} {id} does not belong here")]
    Mismatch { what: &'static str, id: i64 },
    /// The caller may not give a record to this commune (None: the whole territory, kept for accounts holding
    /// every commune).
    #[error("commune {commune:?} is out of the caller's reach")]
    OutOfReach { commune: Option<String> },
}

impl Refusal {
    /// The field of the form the refusal is about, when it is about one.
    pub fn field(&self) -> Option<&'static str> {
        match self {
            Refusal::Duplicate { what } => Some(what),
            Refusal::OutOfReach { .. } => Some("commune"),
            _ => None,
        }
    }
}

impl From<NetworkError> for Error {
    fn from(e: NetworkError) -> Self {
        Error::Rule(e)
    }
}

impl From<Refusal> for Error {
    fn from(e: Refusal) -> Self {
        Error::Refused(e)
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Begins a change as `reach` (see [`Change::write`]).
pub async fn begin(store: &Store, reach: &Reach) -> Result<Change> {
    Ok(Change::write(store, reach).await?)
}

/// Begins a read transaction as `reach` (see [`Change::read`]).
pub(crate) async fn begin_read(store: &Store, reach: &Reach) -> Result<Change> {
    Ok(Change::read(store, reach).await?)
}

/// A kind of record of the module, with the way to its commune (its own column, or its parent's).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owner {
    Actor,
    Contact,
    List,
    Message,
    Body,
    Member,
    Meeting,
    Question,
    Action,
    WatchCase,
    Contract,
    Signatory,
    Axis,
    Objective,
    Fiche,
    Funder,
    Indicator,
    Measure,
    Funding,
    Report,
    Consultation,
}

impl Owner {
    /// The commune of the record `$1` (one row when it exists).
    fn commune_sql(self) -> &'static str {
        match self {
            Owner::Actor => {
                "SELECT commune_code FROM network_actor WHERE id = $1 AND deleted_at IS NULL"
            }
            Owner::Contact => "SELECT commune_code FROM network_contact WHERE id = $1",
            Owner::List => "SELECT commune_code FROM network_list WHERE id = $1",
            Owner::Message => "SELECT commune_code FROM network_message WHERE id = $1",
            Owner::Body => "SELECT commune_code FROM network_body WHERE id = $1",
            Owner::Member => "SELECT commune_code FROM network_member WHERE id = $1",
            Owner::Meeting => {
                "SELECT b.commune_code FROM network_meeting m JOIN network_body b ON b.id = m.body_id WHERE m.id = $1"
            }
            Owner::Question => {
                "SELECT b.commune_code FROM network_question q JOIN network_meeting m ON m.id = q.meeting_id
                 JOIN network_body b ON b.id = m.body_id WHERE q.id = $1"
            }
            Owner::Action => {
                "SELECT b.commune_code FROM network_action a JOIN network_body b ON b.id = a.body_id WHERE a.id = $1"
            }
            Owner::WatchCase => "SELECT commune_code FROM network_watch_case WHERE id = $1",
            Owner::Contract => "SELECT commune_code FROM cls_contract WHERE id = $1",
            Owner::Signatory => {
                "SELECT c.commune_code FROM cls_signatory s JOIN cls_contract c ON c.id = s.contract_id WHERE s.id = $1"
            }
            Owner::Axis => {
                "SELECT c.commune_code FROM cls_axis a JOIN cls_contract c ON c.id = a.contract_id WHERE a.id = $1"
            }
            Owner::Objective => {
                "SELECT c.commune_code FROM cls_objective o JOIN cls_axis a ON a.id = o.axis_id
                 JOIN cls_contract c ON c.id = a.contract_id WHERE o.id = $1"
            }
            Owner::Fiche => {
                "SELECT c.commune_code FROM cls_fiche f JOIN cls_objective o ON o.id = f.objective_id
                 JOIN cls_axis a ON a.id = o.axis_id JOIN cls_contract c ON c.id = a.contract_id WHERE f.id = $1"
            }
            Owner::Funder => {
                "SELECT c.commune_code FROM cls_fiche_funder ff JOIN cls_fiche f ON f.id = ff.fiche_id
                 JOIN cls_objective o ON o.id = f.objective_id JOIN cls_axis a ON a.id = o.axis_id
                 JOIN cls_contract c ON c.id = a.contract_id WHERE ff.id = $1"
            }
            Owner::Indicator => {
                "SELECT c.commune_code FROM cls_indicator i JOIN cls_fiche f ON f.id = i.fiche_id
                 JOIN cls_objective o ON o.id = f.objective_id JOIN cls_axis a ON a.id = o.axis_id
                 JOIN cls_contract c ON c.id = a.contract_id WHERE i.id = $1"
            }
            Owner::Measure => {
                "SELECT c.commune_code FROM cls_measure m JOIN cls_indicator i ON i.id = m.indicator_id
                 JOIN cls_fiche f ON f.id = i.fiche_id JOIN cls_objective o ON o.id = f.objective_id
                 JOIN cls_axis a ON a.id = o.axis_id JOIN cls_contract c ON c.id = a.contract_id WHERE m.id = $1"
            }
            Owner::Funding => {
                "SELECT c.commune_code FROM cls_funding g JOIN cls_contract c ON c.id = g.contract_id WHERE g.id = $1"
            }
            Owner::Report => {
                "SELECT c.commune_code FROM cls_funding_report r JOIN cls_funding g ON g.id = r.funding_id
                 JOIN cls_contract c ON c.id = g.contract_id WHERE r.id = $1"
            }
            Owner::Consultation => "SELECT commune_code FROM network_consultation WHERE id = $1",
        }
    }

    /// Who reaches the records of the whole territory: contacts, members and watch cases are personal.
    pub fn territorywide(self) -> Territorywide {
        match self {
            Owner::Contact | Owner::Member | Owner::WatchCase => Territorywide::HolderOfAll,
            _ => Territorywide::Shared,
        }
    }

    /// The word of [`Error::NotFound`].
    fn what(self) -> &'static str {
        match self {
            Owner::Actor => "acteur",
            Owner::Contact => "contact",
            Owner::List => "liste",
            Owner::Message => "message",
            Owner::Body => "instance",
            Owner::Member => "membre",
            Owner::Meeting => "réunion",
            Owner::Question => "question",
            Owner::Action => "action",
            Owner::WatchCase => "situation",
            Owner::Contract => "contrat",
            Owner::Signatory => "signataire",
            Owner::Axis => "axe",
            Owner::Objective => "objectif",
            Owner::Fiche => "fiche",
            Owner::Funder => "financeur",
            Owner::Indicator => "indicateur",
            Owner::Measure => "mesure",
            Owner::Funding => "financement",
            Owner::Report => "bilan",
            Owner::Consultation => "consultation",
        }
    }
}

/// The commune of a record the caller reaches (None inside: the whole territory); [`Error::NotFound`] when it
/// does not exist or lies outside the caller's communes, so that nobody learns which ids exist elsewhere.
pub async fn commune_of(
    tx: &mut Change,
    reach: &Reach,
    owner: Owner,
    id: i64,
) -> Result<Option<String>> {
    let row: Option<Option<String>> = sqlx::query_scalar(owner.commune_sql())
        .bind(id)
        .fetch_optional(tx.conn())
        .await?;
    match row {
        Some(commune) if reach.reaches(commune.as_deref(), owner.territorywide()) => Ok(commune),
        _ => Err(Error::NotFound {
            what: owner.what(),
            id,
        }),
    }
}

/// Fails with [`Error::NotFound`] unless the caller reaches the record (see [`commune_of`]).
pub(crate) async fn guard(tx: &mut Change, reach: &Reach, owner: Owner, id: i64) -> Result<()> {
    commune_of(tx, reach, owner, id).await.map(|_| ())
}

/// A read transaction as `reach` when the caller reaches the record, None otherwise (missing or elsewhere):
/// single-record reads run their statement in it.
pub(crate) async fn read_if_reached(
    store: &Store,
    reach: &Reach,
    owner: Owner,
    id: i64,
) -> Result<Option<Change>> {
    let mut tx = begin_read(store, reach).await?;
    match commune_of(&mut tx, reach, owner, id).await {
        Ok(_) => Ok(Some(tx)),
        Err(Error::NotFound { .. }) => Ok(None),
        Err(e) => Err(e),
    }
}

/// Whether the caller reaches the record, read in its own transaction (pages that only need to know).
pub async fn reaches(store: &Store, reach: &Reach, owner: Owner, id: i64) -> Result<bool> {
    let mut tx = begin_read(store, reach).await?;
    let found = match commune_of(&mut tx, reach, owner, id).await {
        Ok(_) => true,
        Err(Error::NotFound { .. }) => false,
        Err(e) => return Err(e),
    };
    tx.commit().await?;
    Ok(found)
}

/// Fails with [`Error::OutOfReach`] unless the caller may give a new or changed record to `commune`.
pub(crate) fn may_assign(reach: &Reach, commune: Option<&str>) -> Result<()> {
    if reach.may_assign(commune) {
        Ok(())
    } else {
        Err(Refusal::OutOfReach {
            commune: commune.map(str::to_string),
        }
        .into())
    }
}

pub(crate) fn day_text(d: Option<Date>) -> Option<String> {
    d.map(|d| d.to_string())
}

/// Settings of the module, kept in the `setting` table.
pub mod keys {
    /// The SMTP server messages go through ([`super::relay::SmtpSettings`]).
    pub const SMTP: &str = "reseau.smtp";
    /// The key signing unsubscribe links and calendar feed addresses (hex, generated on first use).
    pub const SIGNING_KEY: &str = "reseau.cle_signature";
}

/// The instance's signing key, created (32 random bytes) the first time it is needed.
pub async fn signing_key(store: &Store) -> Result<Vec<u8>> {
    if let Some(k) = crate::settings::get::<String>(store, keys::SIGNING_KEY).await?
        && let Ok(bytes) = hex::decode(&k)
        && bytes.len() == 32
    {
        return Ok(bytes);
    }
    // The key is the instance's, not a commune's record.
    let mut tx = begin(store, &Reach::everything()).await?;
    // Another request may have created it meanwhile: read again under the write lock.
    let existing: Option<String> = sqlx::query_scalar("SELECT value FROM setting WHERE key = $1")
        .bind(keys::SIGNING_KEY)
        .fetch_optional(tx.conn())
        .await?;
    if let Some(bytes) = existing
        .and_then(|v| serde_json::from_str::<String>(&v).ok())
        .and_then(|k| hex::decode(k).ok())
        .filter(|b| b.len() == 32)
    {
        tx.commit().await?;
        return Ok(bytes);
    }
    let mut bytes = [0u8; 32];
    random_bytes(&mut bytes)?;
    crate::settings::set(&mut tx, keys::SIGNING_KEY, &hex::encode(bytes)).await?;
    tx.commit().await?;
    Ok(bytes.to_vec())
}

/// Random bytes from the operating system.
fn random_bytes(buf: &mut [u8]) -> Result<()> {
    getrandom::fill(buf).map_err(|e| {
        Error::Store(Box::new(StoreError::InvalidValue {
            field: "aléa",
            value: e.to_string(),
        }))
    })
}

/// The names of the communes in force (INSEE code, name), for the forms and lists that name a record's commune
/// (cheaper than reading every zone with its population).
pub async fn commune_names(store: &Store) -> Result<std::collections::HashMap<String, String>> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT code, name FROM zone WHERE kind = 'commune' AND removed_batch_id IS NULL",
    )
    .fetch_all(store.pool())
    .await?;
    Ok(rows.into_iter().collect())
}

//! The relay lists of the network demonstration: the precarity network, the professionals' letter, the CLS
//! partners and the heatwave alert list the crisis cell relays through (the crisis part's heatwave), each with
//! contact persons of the directory; and two messages already sent (the heatwave alert, a newsletter), exported
//! to every member, so that the history of sendings shows.

use super::actors::Contacts;
use super::{BY, NetworkSummary, TERRITORY, TOWN};
use crate::context::{Change, Context};
use maillage_store::network::{self as net, Reach, relay};

/// Writes the relay lists with their members, and the messages sent to two of them.
pub(super) async fn write(
    tx: &mut Change,
    c: &Context<NetworkSummary>,
    contacts: &Contacts,
) -> Result<(), net::Error> {
    let partners_and_pros = || {
        contacts
            .precarity
            .iter()
            .chain(contacts.professional.iter().take(10))
            .chain(contacts.partner.iter().take(4))
            .copied()
    };
    list(
        tx,
        c,
        TERRITORY,
        "Réseau santé précarité (fictif)",
        "Partenaires du réseau de veille sanitaire et sociale.",
        contacts.precarity.iter().copied(),
    )
    .await?;
    let pros = list(
        tx,
        c,
        TOWN,
        "Lettre « Santé Bellerive » aux professionnels (fictive)",
        "Lettre d'information aux professionnels de santé.",
        contacts.professional.iter().copied(),
    )
    .await?;
    list(
        tx,
        c,
        TERRITORY,
        "Partenaires du CLS (fictif)",
        "Signataires et partenaires du contrat local de santé.",
        contacts.partner.iter().take(18).copied(),
    )
    .await?;
    let heatwave = list(
        tx,
        c,
        TOWN,
        "Alerte canicule : relais de la cellule de crise (fictif)",
        "Établissements, associations et professionnels prévenus à chaque niveau d'alerte.",
        partners_and_pros(),
    )
    .await?;
    let alert = Message {
        list: heatwave,
        kind: relay::MessageKind::Message,
        subject: "Canicule : passage en alerte, numéro de la cellule et appels aux personnes inscrites (fictif)",
        body: "Bonjour,\n\nLa commune passe en niveau « alerte » du plan canicule. La cellule de crise appelle chaque jour          les personnes inscrites au registre ; signalez-lui toute personne isolée qui vous semble en difficulté.\n\n         La cellule de crise",
        hours_ago: 30.0,
    };
    send(tx, c, &alert, partners_and_pros()).await?;
    let newsletter = Message {
        list: pros,
        kind: relay::MessageKind::Newsletter,
        subject: "Santé Bellerive n° 12 : campagne de dépistage et nouvelle permanence CPAM (fictif)",
        body: "Bonjour,\n\nLa campagne de dépistage organisé du cancer du sein reprend ce mois-ci avec l'unité mobile de prévention. \
         Une permanence de la CPAM s'ouvre au centre social des Hauts le mardi matin.\n\nBonne lecture,\nLa coordination du CLS",
        hours_ago: 24.0 * 20.0,
    };
    send(tx, c, &newsletter, contacts.professional.iter().copied()).await
}

/// A relay list kept by `commune`, with its members; returns its id.
async fn list(
    tx: &mut Change,
    c: &Context<NetworkSummary>,
    commune: Option<&str>,
    name: &str,
    description: &str,
    members: impl Iterator<Item = i64>,
) -> Result<i64, net::Error> {
    let all = &Reach::everything();
    let id = relay::create_list(tx, all, commune, name, description, c.now).await?;
    for member in members {
        relay::add_member(tx, all, id, member, c.now).await?;
    }
    Ok(id)
}

/// A message sent to a list some hours ago.
struct Message {
    list: i64,
    kind: relay::MessageKind,
    subject: &'static str,
    body: &'static str,
    hours_ago: f64,
}

/// Writes a message as exported to each of `recipients`.
async fn send(
    tx: &mut Change,
    c: &Context<NetworkSummary>,
    m: &Message,
    recipients: impl Iterator<Item = i64>,
) -> Result<(), net::Error> {
    let all = &Reach::everything();
    let sent = c.hours_ago(m.hours_ago);
    let id = relay::create_message(tx, all, m.list, m.kind, m.subject, m.body, BY, sent).await?;
    for recipient in recipients {
        relay::record_delivery(tx, all, id, recipient, "exporte", None, sent).await?;
    }
    relay::finish_message(tx, all, id, relay::Mode::Export, sent).await?;
    Ok(())
}

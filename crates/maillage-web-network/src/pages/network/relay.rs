//! Information relay (`/reseau/relais`): lists of contacts, messages and newsletters sent to them by e-mail
//! through the configured SMTP server ([`super::smtp`]), each with a signed unsubscribe link; when no server is
//! configured, the message is kept and exported as a mail-merge CSV (one line per recipient with their own
//! link). The unsubscribe page (`/desinscription`) needs no login: the HMAC signature is the proof. The server is
//! configured by the administrator (`/admin/courriel`).

use super::{
    Communes, Missing, NETWORK, Notice, RELAY, SETTINGS, Taken, Taking, area, begin, commit, done,
    field, local_text, posted_commune, reach, reason_only, refusal, refused, take, target,
};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use maillage_network::{Coded, mail, sign};
use maillage_store::audit::Action;
use maillage_store::network::Reach;
use maillage_store::network::directory as contacts;
use maillage_store::network::relay::{
    self as store, Message, MessageKind, Mode, SmtpForm, SmtpSettings,
};
use maillage_web_kit::audit::{self, Actor};
use maillage_web_kit::auth::{Caller, ClientIp, MaybeCaller, cookie};
use maillage_web_kit::error::WebError;
use maillage_web_kit::layout::{self, PageMeta, csrf_field};
use maillage_web_kit::lists::{self, Paging};
use maillage_web_kit::params::{Form, Params, Query};
use maillage_web_kit::permissions::Permission;
use maillage_web_kit::routes::{Access, Routes};
use maillage_web_kit::state::AppState;
use maud::{Markup, html};
use serde_json::json;
use std::time::Duration;

pub fn routes(r: Routes) -> Routes {
    r.page(Method::GET, "/reseau/relais", RELAY, relay_page)
        .page(Method::POST, "/reseau/relais/listes", RELAY, create_list)
        .page(Method::GET, "/reseau/relais/listes/{id}", RELAY, list_page)
        .page(
            Method::POST,
            "/reseau/relais/listes/{id}/membres",
            RELAY,
            members,
        )
        .page(Method::POST, "/reseau/relais/messages", RELAY, send_message)
        .page(
            Method::GET,
            "/reseau/relais/messages/{id}",
            RELAY,
            message_page,
        )
        .page(
            Method::GET,
            "/reseau/relais/messages/{id}/export.csv",
            RELAY,
            export_message,
        )
        .page(
            Method::GET,
            "/desinscription",
            Access::Public,
            unsubscribe_page,
        )
        .page(Method::POST, "/desinscription", Access::Public, unsubscribe)
        .page(Method::GET, "/admin/courriel", SETTINGS, settings_page)
        .page(Method::POST, "/admin/courriel", SETTINGS, save_settings)
}

const MESSAGES: &[(&str, &str)] = &[
    ("liste", "la liste est créée."),
    ("membres", "la liste est mise à jour."),
    ("envoye", "le message est parti."),
    (
        "exporte",
        "aucun serveur de courriel n'est configuré : le message est prêt à être exporté.",
    ),
    ("serveur", "le serveur de courriel est enregistré."),
];

fn id_of(s: &str) -> Result<i64, WebError> {
    s.parse().map_err(|_| WebError::NotFound)
}

/// The public address of the site: the configured one, or else the one the request came to.
fn public_url(state: &AppState, smtp: Option<&SmtpSettings>, headers: &HeaderMap) -> String {
    state.public_url(smtp.map(|s| s.public_url.as_str()), headers)
}

fn kind_label(k: MessageKind) -> &'static str {
    match k {
        MessageKind::Message => "Message",
        MessageKind::Newsletter => "Lettre d'information",
    }
}

async fn render_relay(
    state: &AppState,
    caller: &Caller,
    notice: Notice,
) -> Result<Markup, WebError> {
    let st = state.store();
    let smtp = store::smtp(st).await?;
    let lists = store::lists(st, &reach(caller)).await?;
    let messages = store::messages(st, &reach(caller)).await?;
    let communes = Communes::of(state, caller).await?;
    let content = html! {
        (notice.render())
        @match &smtp {
            Some(s) => div.message.info { p { "Les messages partent par le serveur " code { (s.host) ":" (s.port) } ", expéditeur " (s.sender_name) " <" (s.sender_address) ">." } },
            None => div.message.info { p { strong { "Aucun serveur de courriel n'est configuré : " } "les messages sont enregistrés et exportés (fichier de publipostage, un lien de désinscription par personne) pour être envoyés avec votre messagerie. "
                @if caller.has(Permission::SettingsManage) { a href="/admin/courriel" { "Configurer le serveur" } } @else { "L'administrateur de Maillage peut configurer un serveur." } } },
        }
        h2 { "Listes de diffusion" }
        div.defilement {
            table {
                thead { tr { th scope="col" { "Liste" } th scope="col" { "Inscrits" } th scope="col" { "Désinscrits" } @if communes.several() { th scope="col" { "Tenue par" } } } }
                tbody { @for l in &lists { tr { th scope="row" { a href=(format!("/reseau/relais/listes/{}", l.id)) { (l.name) } @if let Some(d) = &l.description { br; span.aide { (d) } } } td.nombre { (l.subscribed) } td.nombre { (l.unsubscribed) } @if communes.several() { td { (communes.name(l.commune_code.as_deref())) } } } } }
            }
        }
        details.modifier {
            summary { "Créer une liste" }
            form.formulaire method="post" action="/reseau/relais/listes" {
                (csrf_field(caller))
                (field("nom", "l-nom", "Nom de la liste", "", "text", true))
                (communes.field("l-commune", true, None))
                (area("description", "l-description", "Description", "", 2))
                button type="submit" { "Créer la liste" }
            }
        }
        h2 { "Écrire à une liste" }
        @if lists.is_empty() { p { "Créez d'abord une liste." } }
        @else {
            form.formulaire method="post" action="/reseau/relais/messages" {
                (csrf_field(caller))
                div.champ { label for="m-liste" { "Liste" } select name="liste" id="m-liste" { @for l in &lists { option value=(l.id) { (l.name) " (" (l.subscribed) " inscrits)" } } } }
                div.champ { label for="m-type" { "Type" } select name="type" id="m-type" { option value="message" { "Message" } option value="lettre" { "Lettre d'information" } } }
                (field("objet", "m-objet", "Objet", "", "text", true))
                (area("texte", "m-texte", "Texte (un pied de message avec le lien de désinscription est ajouté)", "", 10))
                button type="submit" { @if smtp.is_some() { "Envoyer" } @else { "Enregistrer et préparer l'export" } }
            }
        }
        h2 { "Messages" }
        @if messages.is_empty() { p { "Aucun message." } }
        div.defilement {
            table {
                thead { tr { th scope="col" { "Objet" } th scope="col" { "Liste" } th scope="col" { "Type" } th scope="col" { "Écrit le" } th scope="col" { "Envoi" } } }
                tbody {
                    @for m in &messages {
                        tr {
                            th scope="row" { a href=(format!("/reseau/relais/messages/{}", m.id)) { (m.subject) } }
                            td { (m.list_name) }
                            td { (kind_label(m.kind)) }
                            td { (local_text(&m.created_at)) }
                            td { (sent_text(m)) }
                        }
                    }
                }
            }
        }
    };
    Ok(NETWORK.page(
        state,
        caller,
        "Relais d'information",
        "/reseau/relais",
        content,
    ))
}

fn sent_text(m: &Message) -> String {
    match m.mode {
        Some(Mode::Smtp) => format!(
            "envoyé à {}, {}",
            maillage_messages::count(m.recipients - m.failures, "personne", "personnes"),
            maillage_messages::count(m.failures, "échec", "échecs")
        ),
        Some(Mode::Export) => format!(
            "exporté pour {}",
            maillage_messages::count(m.recipients, "personne", "personnes")
        ),
        None => "non envoyé".into(),
    }
}

async fn relay_page(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query,
) -> Result<Markup, WebError> {
    render_relay(&state, &caller, Notice::from_query(&q, MESSAGES)).await
}

async fn create_list(
    State(state): State<AppState>,
    caller: Caller,
    Form(f): Form,
) -> Result<Response, WebError> {
    let commune = posted_commune(&caller, &f);
    take(
        &state,
        &caller,
        Missing::Refused,
        async |tx, reach| -> Taking {
            let id = store::create_list(
                tx,
                reach,
                commune.as_deref(),
                f.raw("nom"),
                f.raw("description"),
                super::now(),
            )
            .await?;
            Ok(Taken::audit(
                Action::NetworkChanged,
                target("liste", id),
                json!({ "creation": true }),
            )
            .then(format!("/reseau/relais/listes/{id}"), "liste"))
        },
        async |reason| render_relay(&state, &caller, Notice::Refused(reason)).await,
    )
    .await
}

async fn render_list(
    state: &AppState,
    caller: &Caller,
    list_id: i64,
    notice: Notice,
    q: &Params,
) -> Result<Markup, WebError> {
    let st = state.store();
    let reach = reach(caller);
    let l = store::list(st, &reach, list_id)
        .await?
        .ok_or(WebError::NotFound)?;
    let members = store::members(st, &reach, list_id).await?;
    let path = format!("/reseau/relais/listes/{list_id}");
    let words = lists::search_words(q.get("q").unwrap_or(""));
    let paging = Paging::from_query(q);
    let shown = paging.cut(
        members
            .iter()
            .filter(|m| {
                let c = &m.contact;
                let text = format!(
                    "{} {} {}",
                    c.name,
                    c.actor_name.as_deref().unwrap_or(""),
                    c.email.as_deref().unwrap_or("")
                );
                lists::matches_all(&text, &words)
            })
            .collect(),
    );
    let all = contacts::contacts(st, &reach, None).await?;
    let candidates: Vec<&contacts::Contact> = all
        .iter()
        .filter(|c| c.email.is_some() && !members.iter().any(|m| m.contact.id == c.id))
        .collect();
    let action = format!("/reseau/relais/listes/{list_id}/membres");
    let content = html! {
        (notice.render())
        @if let Some(d) = &l.description { p { (d) } }
        p { (maillage_messages::count(l.subscribed, "inscrit", "inscrits")) ", " (maillage_messages::count(l.unsubscribed, "désinscrit", "désinscrits")) ". " a href="/reseau/relais" { "Écrire à cette liste" } }
        (lists::search_form(&path, q, "Nom, structure ou courriel", html! {}))
        (lists::pager(&path, q, &paging, shown.total, ("membre", "membres")))
        div.defilement tabindex="0" role="region" aria-label="Membres de la liste (défilement horizontal)" {
            table {
                caption { "Membres de la liste" }
                thead { tr { th scope="col" { "Nom" } th scope="col" { "Structure" } th scope="col" { "Courriel" } th scope="col" { "Inscription" } th scope="col" { "Actions" } } }
                tbody {
                    @for m in &shown.rows {
                        tr {
                            th scope="row" { (m.contact.name) }
                            td { (m.contact.actor_name.as_deref().unwrap_or("—")) }
                            td { (m.contact.email.as_deref().unwrap_or("pas d'adresse")) }
                            td { @if let Some(u) = &m.unsubscribed_at { "désinscrit(e) le " (local_text(u)) } @else { "inscrit(e)" } }
                            td {
                                form method="post" action=(action) { (csrf_field(caller)) input type="hidden" name="retrait" value=(m.contact.id); button type="submit" { "Retirer" span.visuellement-cache { " " (m.contact.name) } } }
                                @if m.unsubscribed_at.is_some() {
                                    form method="post" action=(action) { (csrf_field(caller)) input type="hidden" name="reinscription" value=(m.contact.id); button type="submit" { "Réinscrire (à sa demande)" } }
                                }
                            }
                        }
                    }
                }
            }
        }
        h2 { "Ajouter des contacts" }
        @if candidates.is_empty() { p { "Tous les contacts ayant une adresse électronique sont déjà dans la liste. Les contacts s'ajoutent dans les fiches de " a href="/reseau/acteurs" { "l'annuaire" } "." } }
        @else {
            form.formulaire method="post" action=(action) {
                (csrf_field(caller))
                fieldset.cases {
                    legend { "Contacts" }
                    @for c in &candidates {
                        div.case { input type="checkbox" name="contact" value=(c.id) id=(format!("lc-{}", c.id)); label for=(format!("lc-{}", c.id)) { (c.name) @if let Some(a) = &c.actor_name { " — " (a) } } }
                    }
                }
                button type="submit" { "Ajouter à la liste" }
            }
        }
    };
    Ok(NETWORK.page(
        state,
        caller,
        &format!("Liste « {} »", l.name),
        "/reseau/relais",
        content,
    ))
}

async fn list_page(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Query(q): Query,
) -> Result<Markup, WebError> {
    render_list(
        &state,
        &caller,
        id_of(&id)?,
        Notice::from_query(&q, MESSAGES),
        &q,
    )
    .await
}

async fn members(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Form(f): Form,
) -> Result<Response, WebError> {
    let list = id_of(&id)?;
    store::list(state.store(), &reach(&caller), list)
        .await?
        .ok_or(WebError::NotFound)?;
    // An unreadable contact number is a contact that does not exist.
    let contact = |v: &str| {
        v.parse::<i64>()
            .map_err(|_| maillage_store::network::Error::NotFound {
                what: "contact",
                id: 0,
            })
    };
    take(
        &state,
        &caller,
        Missing::Refused,
        async |tx, reach| -> Taking {
            let details = if let Some(c) = f.get("retrait") {
                let c = contact(c)?;
                store::remove_member(tx, reach, list, c).await?;
                json!({ "retrait": c })
            } else if let Some(c) = f.get("reinscription") {
                let c = contact(c)?;
                store::resubscribe(tx, reach, list, c).await?;
                json!({ "reinscription": c })
            } else {
                let ids: Vec<i64> = f
                    .all("contact")
                    .iter()
                    .filter_map(|c| c.parse().ok())
                    .collect();
                if ids.is_empty() {
                    return Err(maillage_network::NetworkError::Field(
                        maillage_network::FieldError::MissingField { field: "contact" },
                    )
                    .into());
                }
                for c in &ids {
                    store::add_member(tx, reach, list, *c, super::now()).await?;
                }
                json!({ "ajouts": ids.len() })
            };
            Ok(Taken::audit(
                Action::NetworkContactsChanged,
                target("liste", list),
                details,
            )
            .then(format!("/reseau/relais/listes/{list}"), "membres"))
        },
        async |reason| {
            render_list(
                &state,
                &caller,
                list,
                Notice::Refused(reason),
                &Params::default(),
            )
            .await
        },
    )
    .await
}

/// The unsubscribe link of a contact on a list.
async fn unsubscribe_link(
    state: &AppState,
    base: &str,
    list: i64,
    contact: i64,
) -> Result<String, WebError> {
    let key = maillage_store::network::signing_key(state.store()).await?;
    Ok(mail::unsubscribe_url(
        base,
        list,
        contact,
        &sign::unsubscribe_signature(&key, list, contact),
    ))
}

/// The personalised messages of a list: subscribed members with an address, their own link in the footer.
async fn outgoing(
    state: &AppState,
    reach: &Reach,
    m: &Message,
    base: &str,
    sender: &str,
) -> Result<Vec<(i64, super::smtp::Outgoing)>, WebError> {
    let mut out = Vec::new();
    for member in store::members(state.store(), reach, m.list_id).await? {
        let (Some(email), None) = (member.contact.email.clone(), &member.unsubscribed_at) else {
            continue;
        };
        let link = unsubscribe_link(state, base, m.list_id, member.contact.id).await?;
        out.push((
            member.contact.id,
            super::smtp::Outgoing {
                to_name: member.contact.name.clone(),
                to_email: email,
                subject: m.subject.clone(),
                text: maillage_messages::network::relayed_text(&mail::Relayed {
                    text: &m.body,
                    list_name: &m.list_name,
                    sender,
                    unsubscribe_url: &link,
                }),
                list_id: Some(mail::list_id(m.list_id, base)),
                unsubscribe_url: Some(link),
            },
        ));
    }
    Ok(out)
}

async fn send_message(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Form(f): Form,
) -> Result<Response, WebError> {
    let st = state.store();
    let kind = match f.raw("type") {
        "lettre" => MessageKind::Newsletter,
        _ => MessageKind::Message,
    };
    let list = f
        .get("liste")
        .and_then(|l| l.parse::<i64>().ok())
        .unwrap_or(0);
    // Not [`take`]: the message is kept first, then sent, and its deliveries kept in a second change.
    let reach = reach(&caller);
    let mut tx = begin(&state, &caller).await?;
    let id = match store::create_message(
        &mut tx,
        &reach,
        list,
        kind,
        f.raw("objet"),
        f.raw("texte"),
        &caller.account.identifier,
        super::now(),
    )
    .await
    {
        Ok(id) => id,
        Err(e) => {
            drop(tx);
            let m = match e {
                maillage_store::network::Error::NotFound { .. } => {
                    "Choisissez une liste.".to_string()
                }
                e => refusal(e)?,
            };
            return Ok(refused(
                render_relay(&state, &caller, Notice::Refused(m)).await?,
            ));
        }
    };
    tx.commit().await?;
    let m = store::message(st, &reach, id)
        .await?
        .ok_or(WebError::NotFound)?;
    let smtp = store::smtp(st).await?;
    let base = public_url(&state, smtp.as_ref(), &headers);
    let sender = smtp
        .as_ref()
        .map_or("la coordination santé".to_string(), |s| {
            s.sender_name.clone()
        });
    let messages = outgoing(&state, &reach, &m, &base, &sender).await?;
    let now = super::now();
    let mut tx = begin(&state, &caller).await?;
    let (mode, code, sent, failed) = match &smtp {
        Some(s) => {
            let results = super::smtp::send_all(
                s,
                &messages.iter().map(|(_, o)| o.clone()).collect::<Vec<_>>(),
            )
            .await;
            let mut failed = 0;
            for ((contact, _), r) in messages.iter().zip(&results) {
                let (status, error) = match r {
                    Ok(()) => ("envoye", None),
                    Err(e) => {
                        failed += 1;
                        ("echec", Some(e.0.as_str()))
                    }
                };
                store::record_delivery(&mut tx, &reach, id, *contact, status, error, now).await?;
            }
            (Mode::Smtp, "envoye", messages.len() - failed, failed)
        }
        None => {
            for (contact, _) in &messages {
                store::record_delivery(&mut tx, &reach, id, *contact, "exporte", None, now).await?;
            }
            (Mode::Export, "exporte", 0, 0)
        }
    };
    store::finish_message(&mut tx, &reach, id, mode, now).await?;
    commit(tx, &caller, Action::NetworkMessageSent, &target("message", id), json!({ "liste": list, "mode": mode.code(), "envoyes": sent, "echecs": failed, "destinataires": messages.len() })).await?;
    Ok(done(&format!("/reseau/relais/messages/{id}"), code))
}

async fn message_page(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Query(q): Query,
) -> Result<Markup, WebError> {
    let reach = reach(&caller);
    let m = store::message(state.store(), &reach, id_of(&id)?)
        .await?
        .ok_or(WebError::NotFound)?;
    let deliveries = store::deliveries(state.store(), &reach, m.id).await?;
    let notice = Notice::from_query(&q, MESSAGES);
    let content = html! {
        (notice.render())
        dl.fiche {
            dt { "Liste" } dd { a href=(format!("/reseau/relais/listes/{}", m.list_id)) { (m.list_name) } }
            dt { "Type" } dd { (kind_label(m.kind)) }
            dt { "Écrit" } dd { "le " (local_text(&m.created_at)) " par " (maillage_web_kit::layout::author(&m.created_by)) }
            dt { "Envoi" } dd { (sent_text(&m)) @if let Some(s) = &m.sent_at { ", le " (local_text(s)) } }
        }
        @if m.mode == Some(Mode::Export) {
            p { a href=(format!("/reseau/relais/messages/{}/export.csv", m.id)) { "Exporter le publipostage (CSV : nom, courriel, objet, texte personnalisé avec le lien de désinscription)" } }
        }
        h2 { "Texte" }
        pre.texte-message { (m.body) }
        h2 { "Destinataires (" (deliveries.len()) ")" }
        div.defilement {
            table {
                thead { tr { th scope="col" { "Nom" } th scope="col" { "Courriel" } th scope="col" { "Résultat" } } }
                tbody { @for d in &deliveries { tr { th scope="row" { (d.name) } td { (d.email.as_deref().unwrap_or("")) } td { (match d.status.as_str() { "envoye" => "envoyé", "echec" => "échec", _ => "exporté" }) @if let Some(e) = &d.error { " : " (e) } } } } }
            }
        }
    };
    Ok(NETWORK.page(&state, &caller, &m.subject, "/reseau/relais", content))
}

/// The mail merge: one line per subscribed recipient, with their own unsubscribe link (personal data: audited).
async fn export_message(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let reach = reach(&caller);
    let m = store::message(state.store(), &reach, id_of(&id)?)
        .await?
        .ok_or(WebError::NotFound)?;
    let smtp = store::smtp(state.store()).await?;
    let base = public_url(&state, smtp.as_ref(), &headers);
    let sender = smtp
        .as_ref()
        .map_or("la coordination santé".to_string(), |s| {
            s.sender_name.clone()
        });
    let messages = outgoing(&state, &reach, &m, &base, &sender).await?;
    let mut w = csv::WriterBuilder::new()
        .delimiter(b';')
        .terminator(csv::Terminator::CRLF)
        .from_writer("\u{feff}".as_bytes().to_vec());
    let protect = |v: &str| {
        if v.starts_with(['=', '+', '-', '@']) {
            format!("'{v}")
        } else {
            v.to_string()
        }
    };
    let _ = w.write_record(["nom", "courriel", "objet", "texte", "lien_desinscription"]);
    for (_, o) in &messages {
        let _ = w.write_record(
            [
                &o.to_name,
                &o.to_email,
                &o.subject,
                &o.text,
                o.unsubscribe_url.as_deref().unwrap_or(""),
            ]
            .map(&protect),
        );
    }
    audit::record(
        &state,
        &caller,
        Action::NetworkContactsExported,
        &target("message", m.id),
        json!({ "lignes": messages.len() }),
    )
    .await?;
    let mut r = w.into_inner().unwrap_or_default().into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    r.headers_mut().insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("attachment; filename=\"publipostage.csv\""),
    );
    Ok(r)
}

// ---------------------------------------------------------------------------------------------------------------
// Unsubscribe (public).

struct Link {
    list: i64,
    contact: i64,
    signature: String,
}

async fn verified(state: &AppState, p: &Params) -> Result<Option<Link>, WebError> {
    let (Some(list), Some(contact), Some(signature)) = (
        p.get("liste").and_then(|v| v.parse().ok()),
        p.get("contact").and_then(|v| v.parse().ok()),
        p.get("signature"),
    ) else {
        return Ok(None);
    };
    let key = maillage_store::network::signing_key(state.store()).await?;
    Ok(
        sign::verify_unsubscribe(&key, list, contact, signature).then(|| Link {
            list,
            contact,
            signature: signature.to_string(),
        }),
    )
}

const INVALID: &str = "Ce lien de désinscription n'est pas valide (il a peut-être été coupé par votre messagerie). \
     Copiez l'adresse complète depuis le message, ou répondez au message pour demander votre désinscription.";

async fn unsubscribe_page(
    State(state): State<AppState>,
    MaybeCaller(caller): MaybeCaller,
    Query(q): Query,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let Some(link) = verified(&state, &q).await? else {
        return Err(WebError::BadRequest(INVALID.into()));
    };
    // The signed link is the authority here: it names one contact on one list, whoever opens it.
    let list = store::list(state.store(), &Reach::everything(), link.list).await?;
    let subscribed = store::is_member(state.store(), link.list, link.contact).await?;
    // The form's CSRF token: the session's, or a double-submit cookie as on the login page.
    let (csrf, cookie_to_set) = match &caller {
        Some(c) => (c.csrf().to_string(), None),
        None => {
            let existing = cookie(&headers, state.login_csrf_cookie()).filter(|c| c.len() == 64);
            let token = existing
                .clone()
                .unwrap_or_else(maillage_web_kit::secrets::random_token);
            (
                token.clone(),
                existing.is_none().then(|| {
                    state.cookie(
                        state.login_csrf_cookie(),
                        &token,
                        Duration::from_secs(2 * 3600),
                    )
                }),
            )
        }
    };
    let name = list
        .as_ref()
        .map_or("cette liste".to_string(), |l| format!("« {} »", l.name));
    let content = html! {
        (super::NETWORK.style())
        @match subscribed {
            Some(true) => {
                p { "Vous ne recevrez plus les messages de la liste " (name) "." }
                form method="post" action="/desinscription" {
                    input type="hidden" name="_csrf" value=(csrf);
                    input type="hidden" name="liste" value=(link.list);
                    input type="hidden" name="contact" value=(link.contact);
                    input type="hidden" name="signature" value=(link.signature);
                    button type="submit" { "Confirmer ma désinscription" }
                }
            }
            Some(false) => p { "Vous êtes déjà désinscrit(e) de la liste " (name) "." },
            None => p { "Vous ne figurez plus sur la liste " (name) "." },
        }
    };
    let mut r = layout::page(
        &state,
        caller.as_ref(),
        PageMeta {
            title: "Désinscription",
            current: "/desinscription",
        },
        content,
    )
    .into_response();
    if let Some(c) = cookie_to_set
        && let Ok(v) = HeaderValue::from_str(&c)
    {
        r.headers_mut().append(header::SET_COOKIE, v);
    }
    Ok(r)
}

async fn unsubscribe(
    State(state): State<AppState>,
    MaybeCaller(caller): MaybeCaller,
    ClientIp(ip): ClientIp,
    Form(f): Form,
) -> Result<Response, WebError> {
    let Some(link) = verified(&state, &f).await? else {
        return Err(WebError::BadRequest(INVALID.into()));
    };
    let mut tx = maillage_store::network::begin(state.store(), &Reach::everything()).await?;
    let changed = store::unsubscribe(&mut tx, link.list, link.contact, super::now()).await?;
    if changed {
        // The person is not logged in: the entry names the contact's number, never their address.
        audit::record_in(
            &mut tx,
            &Actor::anonymous(ip),
            Action::NetworkUnsubscribed,
            &target("liste", link.list),
            json!({ "contact": link.contact }),
        )
        .await?;
    }
    tx.commit().await?;
    let content = html! {
        (super::NETWORK.style())
        (layout::success_box("votre désinscription est enregistrée : vous ne recevrez plus les messages de cette liste."))
        p { a href="/annuaire" { "Consulter l'annuaire des adresses utiles" } }
    };
    Ok((
        StatusCode::OK,
        layout::page(
            &state,
            caller.as_ref(),
            PageMeta {
                title: "Désinscription",
                current: "/desinscription",
            },
            content,
        ),
    )
        .into_response())
}

// ---------------------------------------------------------------------------------------------------------------
// The SMTP server (administrator).

async fn render_settings(
    state: &AppState,
    caller: &Caller,
    notice: Notice,
    typed: Option<&SmtpForm>,
) -> Result<Markup, WebError> {
    let current = store::smtp(state.store()).await?;
    let v = |f: fn(&SmtpForm) -> &str, s: fn(&SmtpSettings) -> String| -> String {
        typed
            .map(|t| f(t).to_string())
            .or_else(|| current.as_ref().map(s))
            .unwrap_or_default()
    };
    let content = html! {
        (super::NETWORK.style())
        (notice.render())
        p { "Le serveur par lequel partent les messages du relais d'information et les rappels. Maillage s'y connecte en SMTP simple (avec authentification si un utilisateur est indiqué), sans chiffrement : indiquez le relais de messagerie de la commune ou un serveur de messagerie installé sur la même machine (Postfix…), qui assure lui-même le chiffrement vers l'extérieur." }
        @if current.is_none() { p { strong { "Aucun serveur n'est configuré : " } "les messages sont exportés pour être envoyés avec une messagerie." } }
        form.formulaire method="post" action="/admin/courriel" {
            (csrf_field(caller))
            (field("serveur", "s-serveur", "Serveur SMTP (nom ou adresse)", &v(|t| &t.host, |s| s.host.clone()), "text", true))
            (field("port", "s-port", "Port", &v(|t| &t.port, |s| s.port.to_string()), "number", false))
            (field("utilisateur", "s-utilisateur", "Utilisateur (facultatif)", &v(|t| &t.username, |s| s.username.clone().unwrap_or_default()), "text", false))
            div.champ {
                label for="s-mdp" { "Mot de passe" }
                p.aide { @if current.as_ref().is_some_and(|c| c.password.is_some()) { "Un mot de passe est enregistré : laissez vide pour le garder." } @else { "Facultatif." } }
                input type="password" name="mot_de_passe" id="s-mdp" autocomplete="new-password";
            }
            (field("expediteur", "s-expediteur", "Adresse de l'expéditeur", &v(|t| &t.sender_address, |s| s.sender_address.clone()), "email", true))
            (field("nom_expediteur", "s-nom", "Nom de l'expéditeur", &v(|t| &t.sender_name, |s| s.sender_name.clone()), "text", true))
            (field("adresse_publique", "s-url", "Adresse publique du site (pour les liens de désinscription)", &v(|t| &t.public_url, |s| s.public_url.clone()), "text", true))
            (field("essai", "s-essai", "Envoyer un message d'essai à (facultatif)", "", "email", false))
            button type="submit" { "Enregistrer" }
        }
        @if current.is_some() {
            form method="post" action="/admin/courriel" {
                (csrf_field(caller))
                input type="hidden" name="supprimer" value="1";
                button type="submit" { "Ne plus utiliser de serveur (exporter les messages)" }
            }
        }
    };
    Ok(layout::page(
        state,
        Some(caller),
        PageMeta {
            title: "Serveur de courriel",
            current: "/admin/courriel",
        },
        content,
    ))
}

async fn settings_page(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query,
) -> Result<Markup, WebError> {
    let notice = match q.get("fait") {
        Some("essai") => {
            Notice::Done("le serveur est enregistré et le message d'essai est parti.".into())
        }
        _ => Notice::from_query(&q, MESSAGES),
    };
    render_settings(&state, &caller, notice, None).await
}

async fn save_settings(
    State(state): State<AppState>,
    caller: Caller,
    Form(f): Form,
) -> Result<Response, WebError> {
    if f.flag("supprimer") {
        return take(
            &state,
            &caller,
            Missing::Refused,
            async |tx, _| -> Taking {
                store::clear_smtp(tx).await?;
                Ok(Taken::audit(
                    Action::NetworkChanged,
                    "reseau:serveur_courriel",
                    json!({ "serveur": "retire" }),
                )
                .then("/admin/courriel", "serveur"))
            },
            reason_only,
        )
        .await;
    }
    let form = SmtpForm {
        host: f.raw("serveur").into(),
        port: f.raw("port").into(),
        username: f.raw("utilisateur").into(),
        password: f.raw("mot_de_passe").into(),
        sender_address: f.raw("expediteur").into(),
        sender_name: f.raw("nom_expediteur").into(),
        public_url: f.raw("adresse_publique").into(),
    };
    let trial = match maillage_network::fields::email("essai", f.raw("essai"))
        .map_err(maillage_network::NetworkError::from)
    {
        Ok(t) => t,
        Err(e) => {
            return Ok(refused(
                render_settings(
                    &state,
                    &caller,
                    Notice::Refused(maillage_messages::sentence(
                        &maillage_messages::French::french(&e),
                    )),
                    Some(&form),
                )
                .await?,
            ));
        }
    };
    let previous = store::smtp(state.store()).await?;
    // Not [`take`]: the trial message goes after the commit, and its failure is told on the page.
    let mut tx = begin(&state, &caller).await?;
    let saved = match store::save_smtp(&mut tx, &form, previous.as_ref()).await {
        Ok(s) => s,
        Err(e) => {
            drop(tx);
            let m = refusal(e)?;
            return Ok(refused(
                render_settings(&state, &caller, Notice::Refused(m), Some(&form)).await?,
            ));
        }
    };
    // Never the password in the audit log: the server and whether authentication is used.
    commit(tx, &caller, Action::NetworkChanged, "reseau:serveur_courriel", json!({ "serveur": saved.host, "port": saved.port, "authentification": saved.username.is_some() })).await?;
    if let Some(to) = trial {
        let o = super::smtp::Outgoing {
            to_name: to.clone(),
            to_email: to,
            subject: "Maillage : message d'essai".into(),
            text: "Ce message d'essai confirme que Maillage peut envoyer des courriels par ce serveur.\n".into(),
            list_id: None,
            unsubscribe_url: None,
        };
        if let Err(e) = super::smtp::send(&saved, &o).await {
            let m = format!(
                "Le serveur est enregistré, mais le message d'essai n'est pas parti : {}.",
                e.0
            );
            return Ok(refused(
                render_settings(&state, &caller, Notice::Refused(m), None).await?,
            ));
        }
        return Ok(done("/admin/courriel", "essai"));
    }
    Ok(done("/admin/courriel", "serveur"))
}

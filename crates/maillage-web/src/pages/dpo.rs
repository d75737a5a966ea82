//! The DPO's view of the audit log: filters (dates, actor, action), pages, CSV export, and a verification of the
//! hash chain. Reading and exporting the log are themselves audited (the log names people).

use axum::extract::State;
use axum::http::{HeaderValue, Method, header};
use axum::response::{IntoResponse, Response};
use maillage_messages::French;
use maillage_store::StoreError;
use maillage_store::audit::{self as store_audit, Action, Filter};
use maillage_web_kit::audit;
use maillage_web_kit::auth::Caller;
use maillage_web_kit::error::WebError;
use maillage_web_kit::layout::{PageMeta, date_time, error_box, number, page, success_box};
use maillage_web_kit::lists::{self, Paging};
use maillage_web_kit::params::{Params, Query};
use maillage_web_kit::permissions::Permission;
use maillage_web_kit::routes::{Access, Routes};
use maillage_web_kit::state::AppState;
use maud::{Markup, html};
use serde_json::json;

const READ: Access = Access::Requires(Permission::AuditRead);

pub fn routes(r: Routes) -> Routes {
    r.page(Method::GET, "/dpo/journal", READ, journal)
        .page(Method::GET, "/dpo/journal.csv", READ, export)
        .page(Method::GET, "/dpo/journal/verification", READ, verification)
}

/// French wording of each action, for the DPO.
pub fn action_label(action: Action) -> &'static str {
    match action {
        Action::LoginSucceeded => "Connexion réussie",
        Action::LoginFailed => "Connexion refusée",
        Action::LoginRateLimited => "Connexion bloquée (trop d'échecs)",
        Action::Logout => "Déconnexion",
        Action::PasswordChanged => "Changement de son mot de passe",
        Action::AccountCreated => "Création d'un compte",
        Action::AccountUpdated => "Modification d'un compte",
        Action::AccountPasswordReset => "Nouveau mot de passe donné à un compte",
        Action::AccountsRead => "Consultation de la liste des comptes",
        Action::TokenCreated => "Création d'un jeton d'API",
        Action::TokenRevoked => "Révocation d'un jeton d'API",
        Action::ProfessionalsListed => "Liste nominative des professionnels",
        Action::AuditLogRead => "Consultation du journal d'audit",
        Action::AuditLogExported => "Export du journal d'audit",
        Action::AuditLogVerified => "Vérification du journal d'audit",
        Action::ImportUploaded => "Dépôt d'un fichier à importer",
        Action::ImportFinished => "Fin d'un import (réussi ou refusé)",
        Action::DataExported => "Export ou rapport de l'observatoire (tableau, carte, PDF)",
        Action::CrisisRegisterRead => "Consultation du registre des personnes vulnérables",
        Action::CrisisRegisterChanged => {
            "Inscription, modification ou radiation au registre des personnes vulnérables"
        }
        Action::CrisisRegisterExported => {
            "Transmission du registre des personnes vulnérables au préfet"
        }
        Action::CrisisRegisterExportRefused => {
            "Transmission du registre au préfet refusée (aucune alerte en cours)"
        }
        Action::CrisisCallRecorded => "Résultat d'un appel d'une campagne téléphonique",
        Action::CrisisChanged => {
            "Modification de la gestion de crise (cellule, main courante, stocks, bénévoles…)"
        }
        Action::NetworkChanged => {
            "Modification du réseau (annuaire, instances, réunions, veille, relais)"
        }
        Action::NetworkContactsChanged => {
            "Ajout, modification ou suppression de personnes contacts du réseau"
        }
        Action::NetworkContactsExported => "Export des personnes contacts du réseau",
        Action::NetworkMessageSent => "Envoi ou export d'un message aux listes du réseau",
        Action::NetworkUnsubscribed => "Désinscription d'une liste de diffusion par son lien",
        Action::ClsChanged => {
            "Modification du contrat local de santé (fiches, indicateurs, financements)"
        }
        Action::SettingsChanged => "Modification des paramètres de l'instance (fuseau horaire)",
    }
}

/// The object of an entry as people read it: "appel:161" is "appel n° 161".
fn target_text(target: &str) -> String {
    target
        .split(':')
        .map(|part| match part {
            p if !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()) => format!("n° {p}"),
            "cls" => "CLS".to_string(),
            "reseau" => "réseau".to_string(),
            "parametres" => "paramètres".to_string(),
            "demonstration" => "démonstration".to_string(),
            p => p.replace('_', " "),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A value of the details, in words: yes/no, lists joined, roles by their label.
fn detail_value(v: &serde_json::Value) -> String {
    use serde_json::Value;
    match v {
        Value::Null => "—".into(),
        Value::Bool(true) => "oui".into(),
        Value::Bool(false) => "non".into(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => match maillage_store::accounts::Role::parse(s) {
            Some(role) => maillage_web_kit::permissions::role_label(role).to_string(),
            None => s.replace('_', " "),
        },
        Value::Array(items) => items
            .iter()
            .map(detail_value)
            .collect::<Vec<_>>()
            .join(", "),
        Value::Object(fields) => fields
            .iter()
            .map(|(k, v)| format!("{} : {}", detail_key(k), detail_value(v)))
            .collect::<Vec<_>>()
            .join(" ; "),
    }
}

/// A key of the details in words ("secret_statistique" is « secret statistique »).
fn detail_key(key: &str) -> String {
    match key {
        "demonstration" => "démonstration".into(),
        "roles" => "rôles".into(),
        "identifiant" | "fichier" | "motif" => key.into(),
        k => k.replace('_', " "),
    }
}

/// The details of an entry (a JSON object) as a list of labelled fields; any other text as it is.
fn details_list(details: &str) -> Markup {
    match serde_json::from_str::<serde_json::Value>(details) {
        Ok(serde_json::Value::Object(fields)) => html! {
            @if fields.is_empty() { "—" } @else {
                ul.details { @for (k, v) in &fields { li { (detail_key(k)) " : " (detail_value(v)) } } }
            }
        },
        _ => html! { (details) },
    }
}

fn label_of(code: &str) -> &str {
    Action::parse(code).map_or(code, |a| action_label(a))
}

fn parse_date(q: &Params, name: &str, label: &str) -> Result<Option<jiff::civil::Date>, WebError> {
    q.get(name)
        .map(|v| {
            v.parse::<jiff::civil::Date>().map_err(|_| {
                WebError::BadRequest(format!(
                    "La date « {label} » doit s'écrire AAAA-MM-JJ (par exemple 2026-03-31)."
                ))
            })
        })
        .transpose()
}

fn filter_of(q: &Params) -> Result<Filter, WebError> {
    let action = match q.get("action") {
        Some(code) => Some(
            Action::parse(code)
                .ok_or_else(|| WebError::BadRequest(format!("Action inconnue « {code} ».")))?,
        ),
        None => None,
    };
    Ok(Filter {
        from: parse_date(q, "du", "du")?,
        to: parse_date(q, "au", "au")?,
        actor: q.get("acteur").map(|a| a.to_lowercase()),
        action,
    })
}

fn filter_details(f: &Filter) -> serde_json::Value {
    json!({
        "du": f.from.map(|d| d.to_string()),
        "au": f.to.map(|d| d.to_string()),
        "acteur": f.actor,
        "action": f.action.map(|a| a.code()),
    })
}

fn filter_form(q: &Params) -> Markup {
    let selected = q.get("action").unwrap_or("");
    html! {
        form.filtres method="get" action="/dpo/journal" {
            div.champ {
                label for="du" { "Du (AAAA-MM-JJ)" }
                input #du name="du" type="date" value=(q.get("du").unwrap_or(""));
            }
            div.champ {
                label for="au" { "Au (AAAA-MM-JJ)" }
                input #au name="au" type="date" value=(q.get("au").unwrap_or(""));
            }
            div.champ {
                label for="acteur" { "Acteur (identifiant)" }
                input #acteur name="acteur" type="text" value=(q.get("acteur").unwrap_or(""));
            }
            div.champ {
                label for="action" { "Action" }
                select #action name="action" {
                    option value="" selected[selected.is_empty()] { "Toutes" }
                    @for &a in Action::ALL {
                        option value=(a.code()) selected[selected == a.code()] { (action_label(a)) }
                    }
                }
            }
            button type="submit" { "Filtrer" }
        }
    }
}

/// The query string of the current filters (for the export link and the pages).
fn filter_query(q: &Params) -> String {
    let mut s = form_urlencoded::Serializer::new(String::new());
    for name in ["du", "au", "acteur", "action"] {
        if let Some(v) = q.get(name) {
            s.append_pair(name, v);
        }
    }
    s.finish()
}

async fn journal(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query,
) -> Result<Markup, WebError> {
    let filter = filter_of(&q)?;
    let paging = Paging::from_query(&q);
    let window = paging.window();
    let total = store_audit::count(state.store(), &filter).await?;
    let records = store_audit::list(
        state.store(),
        &filter,
        i64::try_from(window.limit).unwrap_or(i64::MAX),
        i64::try_from(window.offset).unwrap_or(i64::MAX),
    )
    .await?;
    let mut details = filter_details(&filter);
    details["page"] = paging.page.into();
    audit::record(&state, &caller, Action::AuditLogRead, "journal", details).await?;
    let query = filter_query(&q);
    let content = html! {
        p {
            "Chaque entrée du journal porte l'empreinte de la précédente : toute modification ou suppression se voit "
            "à la vérification. "
            a href="/dpo/journal/verification" { "Vérifier l'intégrité du journal" }
        }
        (filter_form(&q))
        p { a href={"/dpo/journal.csv?" (query)} download { "Exporter ces entrées en CSV" } }
        (lists::pager("/dpo/journal", &q, &paging, usize::try_from(total).unwrap_or(0), ("entrée", "entrées")))
        @if !records.is_empty() {
            div.defilement tabindex="0" role="region" aria-label="Journal d'audit (défilement horizontal)" {
            table {
                caption { "Journal d'audit, du plus récent au plus ancien" }
                thead { tr {
                    th scope="col" { "N°" } th scope="col" { "Date" } th scope="col" { "Acteur" }
                    th scope="col" { "Action" } th scope="col" { "Objet" } th scope="col" { "Détails" }
                    th scope="col" { "Adresse" }
                } }
                tbody {
                    @for r in &records {
                        tr {
                            td { (r.id) }
                            td { (date_time(&r.at)) }
                            td { (r.actor) }
                            td { (label_of(&r.action)) }
                            td { (target_text(&r.target)) }
                            td { (details_list(&r.details)) }
                            td { (r.ip.as_deref().unwrap_or("—")) }
                        }
                    }
                }
            }
            }
            (lists::pager_links("/dpo/journal", &q, &paging, usize::try_from(total).unwrap_or(0)))
        }
    };
    Ok(page(
        &state,
        Some(&caller),
        PageMeta {
            title: "Journal d'audit",
            current: "/dpo/journal",
        },
        content,
    ))
}

/// Spreadsheets run cells starting with these as formulas: such a cell is prefixed with an apostrophe.
fn spreadsheet_safe(value: &str) -> String {
    if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_string()
    }
}

async fn export(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query,
) -> Result<Response, WebError> {
    let filter = filter_of(&q)?;
    let total = store_audit::count(state.store(), &filter).await?;
    let records = store_audit::list(state.store(), &filter, total.max(1), 0).await?;
    let mut details = filter_details(&filter);
    details["lignes"] = records.len().into();
    audit::record(
        &state,
        &caller,
        Action::AuditLogExported,
        "journal",
        details,
    )
    .await?;
    let mut out = csv::WriterBuilder::new()
        .delimiter(b';')
        .from_writer(Vec::new());
    let write = |out: &mut csv::Writer<Vec<u8>>| -> Result<(), csv::Error> {
        out.write_record([
            "numero",
            "date",
            "acteur",
            "action",
            "libelle",
            "objet",
            "details",
            "adresse",
            "empreinte_precedente",
            "empreinte",
        ])?;
        for r in &records {
            out.write_record([
                r.id.to_string(),
                r.at.clone(),
                spreadsheet_safe(&r.actor),
                r.action.clone(),
                label_of(&r.action).to_string(),
                spreadsheet_safe(&r.target),
                spreadsheet_safe(&r.details),
                r.ip.clone().unwrap_or_default(),
                r.prev_hash.clone(),
                r.hash.clone(),
            ])?;
        }
        Ok(())
    };
    write(&mut out).map_err(|_| WebError::BadRequest("L'export n'a pas pu être écrit.".into()))?;
    let bytes = out
        .into_inner()
        .map_err(|_| WebError::BadRequest("L'export n'a pas pu être écrit.".into()))?;
    // A BOM so that spreadsheet programs read the accents right.
    let mut body = "\u{feff}".as_bytes().to_vec();
    body.extend(bytes);
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    headers.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("attachment; filename=\"journal-audit.csv\""),
    );
    Ok(response)
}

async fn verification(State(state): State<AppState>, caller: Caller) -> Result<Markup, WebError> {
    let verified = match store_audit::verify(state.store()).await {
        Ok(v) => Ok(v),
        // The key cannot be read: say so to the DPO, who has to get it fixed (the log is not proven intact).
        Err(e @ (StoreError::AuditKey { .. } | StoreError::AuditKeyMismatch { .. })) => {
            Err(e.french())
        }
        Err(e) => return Err(e.into()),
    };
    let (result, entries) = match &verified {
        Ok(v) if v.broken.is_none() => ("intact", v.entries),
        Ok(v) => ("rompu", v.entries),
        Err(_) => ("cle_indisponible", 0),
    };
    // A read of the log by a person over the network, audited like the other reads (the command-line verifier,
    // run by whoever holds the base, writes nothing).
    audit::record(
        &state,
        &caller,
        Action::AuditLogVerified,
        "journal",
        json!({ "resultat": result, "entrees": entries }),
    )
    .await?;
    let content = html! {
        @match &verified {
            Err(message) => (error_box(&format!("{message}."))),
            Ok(v) => {
                @match &v.broken {
                    None => (success_box(&format!(
                        "le journal est intact : {} {}, chaîne d'empreintes continue, scellée par la clé du journal \
                         depuis l'entrée n° {}.",
                        number(v.entries as f64, 0),
                        if v.entries > 1 { "entrées vérifiées" } else { "entrée vérifiée" },
                        v.keyed_from
                    ))),
                    Some(b) => (error_box(&format!("{}.", b.french()))),
                }
                @if v.keyed_from > 1 {
                    p.aide {
                        "Les entrées n° 1 à n° " (v.keyed_from - 1) ", écrites avant la mise en place de la clé, \
                         sont chaînées sans clé : seule une ancre gardée hors de la base les protège."
                    }
                }
                p { "Empreinte de la dernière entrée vérifiée : " code { (v.last_hash) } }
            }
        }
        p.aide {
            "Sans la clé du journal (un fichier hors de la base), personne ne peut réécrire une entrée ni \
             supprimer la fin du journal sans que cette vérification le montre. Contre qui détiendrait à la fois \
             la base et la clé, gardez des ancres hors de Maillage : « maillage audit ancrer --courriel \
             <votre adresse> » (chaque jour par exemple) signe la tête du journal, et « maillage audit verifier \
             --depuis <ancre> » prouve ensuite que rien n'a changé ni disparu jusqu'à elle."
        }
        p { a href="/dpo/journal" { "Retour au journal" } }
    };
    Ok(page(
        &state,
        Some(&caller),
        PageMeta {
            title: "Intégrité du journal d'audit",
            current: "/dpo/journal",
        },
        content,
    ))
}

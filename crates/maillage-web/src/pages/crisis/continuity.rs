//! The continuity of municipal services (which services and reception points stay open, their hours), kept by
//! the cell and published on a public page (`/continuite`, no login); and the relay of information to lists of
//! actors: contacts, a CSV export and a `mailto:` link (no mail server is configured yet).

use super::{
    MANAGE, Notice, READ, begin, commit, done, fr, local, page, read_failure, refusal, refused,
    select,
};
use crate::auth::{Caller, MaybeCaller};
use crate::error::WebError;
use crate::layout::{self, csrf_field};
use crate::params::{Form, Query};
use crate::permissions::Permission;
use crate::routes::{Access, Routes};
use crate::state::AppState;
use axum::extract::State;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use maillage_crisis::cell::ServiceStatus;
use maillage_store::audit::Action;
use maillage_store::crisis::{Error, services};
use maud::{Markup, html};
use serde_json::json;
use std::collections::BTreeMap;

pub fn routes(r: Routes) -> Routes {
    r.page(Method::GET, "/crise/continuite", READ, continuity_page)
        .page(Method::POST, "/crise/continuite", MANAGE, save_service)
        .page(Method::GET, "/continuite", Access::Public, public_page)
        .page(Method::GET, "/crise/relais", MANAGE, relay_page)
        .page(Method::POST, "/crise/relais", MANAGE, add_contact)
        .page(Method::GET, "/crise/relais.csv", MANAGE, relay_csv)
}

const MESSAGES: &[(&str, &str)] = &[(
    "service",
    "le service est enregistré ; la page publique est à jour.",
)];

fn services_table(list: &[services::Service], caption: &str) -> Markup {
    html! {
        div.defilement {
            table {
                caption { (caption) }
                thead { tr { th scope="col" { "Service" } th scope="col" { "État" } th scope="col" { "Horaires" } th scope="col" { "Adresse" } th scope="col" { "Téléphone" } th scope="col" { "Précisions" } } }
                tbody {
                    @for s in list {
                        tr {
                            th scope="row" { (s.name) }
                            td { strong { (fr(s.status)) } }
                            td { (s.hours.as_deref().unwrap_or("—")) }
                            td { (s.address.as_deref().unwrap_or("—")) }
                            td { @if let Some(p) = &s.phone { a href=(format!("tel:{}", p.replace(' ', ""))) { (p) } } @else { "—" } }
                            td { (s.note.as_deref().unwrap_or("")) }
                        }
                    }
                }
            }
        }
    }
}

async fn continuity_page(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query,
) -> Result<Response, WebError> {
    let notice = Notice::from_query(&q, MESSAGES);
    Ok(render(&state, &caller, notice).await?.into_response())
}

async fn render(
    state: &AppState,
    caller: &Caller,
    notice: Notice,
) -> Result<(StatusCode, Markup), WebError> {
    let list = services::services(state.store(), false)
        .await
        .map_err(read_failure)?;
    let manage = caller.has(Permission::CrisisManage);
    let content = html! {
        (notice.render())
        p { "Les services marqués publics sont affichés sur la page publique " a href="/continuite" { "/continuite" } ", sans connexion." }
        (services_table(&list, "Services et accueils municipaux"))
        @if manage {
            @for s in &list {
                details {
                    summary { "Modifier : " (s.name) }
                    (service_form(caller, Some(s)))
                }
            }
            details {
                summary { "Ajouter un service ou un accueil" }
                (service_form(caller, None))
            }
        }
    };
    Ok((
        notice.status(),
        page(
            state,
            caller,
            "Continuité des services",
            "/crise/continuite",
            content,
        ),
    ))
}

fn service_form(caller: &Caller, s: Option<&services::Service>) -> Markup {
    let id = s.map_or("nouveau".to_string(), |s| s.id.to_string());
    let v = |f: fn(&services::Service) -> Option<&str>| s.and_then(f).unwrap_or("").to_string();
    html! {
        form.formulaire method="post" action="/crise/continuite" {
            (csrf_field(caller))
            @if let Some(s) = s { input type="hidden" name="id" value=(s.id); }
            div.champ { label for=(format!("sv-nom-{id}")) { "Nom" } input type="text" name="nom" id=(format!("sv-nom-{id}")) required value=(v(|s| Some(s.name.as_str()))); }
            div.champ { label for=(format!("sv-etat-{id}")) { "État" } (select::<ServiceStatus>("etat", &format!("sv-etat-{id}"), s.map(|s| maillage_crisis::Coded::code(s.status)), false)) }
            div.champ { label for=(format!("sv-horaires-{id}")) { "Horaires" } input type="text" name="horaires" id=(format!("sv-horaires-{id}")) value=(v(|s| s.hours.as_deref())); }
            div.champ { label for=(format!("sv-adresse-{id}")) { "Adresse" } input type="text" name="adresse" id=(format!("sv-adresse-{id}")) value=(v(|s| s.address.as_deref())); }
            div.champ { label for=(format!("sv-tel-{id}")) { "Téléphone" } input type="tel" name="telephone" id=(format!("sv-tel-{id}")) value=(v(|s| s.phone.as_deref())); }
            div.champ { label for=(format!("sv-note-{id}")) { "Précisions" } input type="text" name="note" id=(format!("sv-note-{id}")) value=(v(|s| s.note.as_deref())); }
            div.case { input type="checkbox" name="public" value="oui" id=(format!("sv-public-{id}")) checked[s.is_none_or(|s| s.public)]; label for=(format!("sv-public-{id}")) { "Afficher sur la page publique" } }
            button type="submit" { "Enregistrer" }
        }
    }
}

async fn save_service(
    State(state): State<AppState>,
    caller: Caller,
    Form(f): Form,
) -> Result<Response, WebError> {
    let form = services::ServiceForm {
        name: f.raw("nom").into(),
        address: f.raw("adresse").into(),
        status: f.raw("etat").into(),
        hours: f.raw("horaires").into(),
        phone: f.raw("telephone").into(),
        note: f.raw("note").into(),
        public: f.flag("public"),
    };
    let id = f.integer("id")?;
    let mut tx = begin(&state).await?;
    match services::save_service(&mut tx, id, &form, &caller.account.identifier, super::now()).await
    {
        Ok(id) => {
            commit(
                tx,
                &caller,
                Action::CrisisChanged,
                &format!("crise:service:{id}"),
                json!({ "etat": form.status }),
            )
            .await?;
            Ok(done("/crise/continuite", "service"))
        }
        Err(Error::NotFound { .. }) => Err(WebError::NotFound),
        Err(e) => {
            drop(tx);
            let message = refusal(e)?;
            Ok(refused(
                render(&state, &caller, Notice::Refused(message)).await?.1,
            ))
        }
    }
}

/// The public page: open to anyone, logged in or not. Only services marked public, no personal data.
async fn public_page(
    State(state): State<AppState>,
    MaybeCaller(caller): MaybeCaller,
) -> Result<Markup, WebError> {
    let list = services::services(state.store(), true)
        .await
        .map_err(read_failure)?;
    let updated = list.iter().map(|s| s.updated_at.as_str()).max().map(local);
    let alert = maillage_store::crisis::cell::active_alert(state.store())
        .await
        .map_err(read_failure)?;
    let content = html! {
        (super::style())
        @if let Some(e) = &alert {
            div.message.erreur role="status" { p { strong { (fr(e.kind)) " : " } (e.title) " — niveau " (fr(e.level)) "." } }
        }
        p { "Services et accueils de la commune pendant la période de crise : ce qui reste ouvert, à quelles heures, et comment les joindre." }
        @if let Some(u) = updated { p { "Mis à jour le " (u) "." } }
        (services_table(&list, "Services et accueils municipaux"))
        p { "En cas d'urgence médicale, appelez le 15 (SAMU) ou le 112. Canicule info service : 0 800 06 66 66 (appel gratuit)." }
    };
    Ok(layout::page(
        &state,
        caller.as_ref(),
        layout::PageMeta {
            title: "Services ouverts pendant la crise",
            current: "/continuite",
        },
        content,
    ))
}

// ---------------------------------------------------------------------------------------------------------------
// Information relay.

async fn relay_page(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query,
) -> Result<Response, WebError> {
    let notice = Notice::from_query(&q, &[("contact", "le contact est ajouté à la liste.")]);
    Ok(render_relay(&state, &caller, notice).await?.into_response())
}

async fn render_relay(
    state: &AppState,
    caller: &Caller,
    notice: Notice,
) -> Result<(StatusCode, Markup), WebError> {
    let contacts = services::contacts(state.store())
        .await
        .map_err(read_failure)?;
    let mut lists: BTreeMap<&str, Vec<&services::Contact>> = BTreeMap::new();
    for c in &contacts {
        lists.entry(c.list_name.as_str()).or_default().push(c);
    }
    let content = html! {
        (notice.render())
        p { "Aucun serveur de courriel n'est configuré : pour relayer une information, ouvrez un message adressé à une liste \
             (les adresses sont en copie cachée) ou exportez les contacts en CSV." }
        p { a href="/crise/relais.csv" { "Exporter tous les contacts (CSV)" } }
        @for (name, people) in &lists {
            @let emails: Vec<&str> = people.iter().filter_map(|c| c.email.as_deref()).collect();
            section {
                h2 { (name) " (" (people.len()) ")" }
                @if !emails.is_empty() {
                    p { a href=(format!("mailto:?bcc={}", emails.join(","))) { "Écrire à cette liste (" (emails.len()) " adresses en copie cachée)" } }
                }
                ul { @for c in people { li { (c.name) @if let Some(o) = &c.organisation { " — " (o) } @if let Some(e) = &c.email { " — " (e) } @if let Some(p) = &c.phone { " — " (p) } } } }
            }
        }
        h2 { "Ajouter un contact" }
        form.formulaire method="post" action="/crise/relais" {
            (csrf_field(caller))
            div.champ { label for="c-liste" { "Liste" } input type="text" name="liste" id="c-liste" required list="listes";
                datalist #listes { @for name in lists.keys() { option value=(name) {} } } }
            div.champ { label for="c-nom" { "Nom" } input type="text" name="nom" id="c-nom" required; }
            div.champ { label for="c-org" { "Organisme" } input type="text" name="organisme" id="c-org"; }
            div.champ { label for="c-courriel" { "Courriel" } input type="email" name="courriel" id="c-courriel"; }
            div.champ { label for="c-tel" { "Téléphone" } input type="tel" name="telephone" id="c-tel"; }
            button type="submit" { "Ajouter" }
        }
    };
    Ok((
        notice.status(),
        page(
            state,
            caller,
            "Relais d'information",
            "/crise/relais",
            content,
        ),
    ))
}

async fn add_contact(
    State(state): State<AppState>,
    caller: Caller,
    Form(f): Form,
) -> Result<Response, WebError> {
    let mut tx = begin(&state).await?;
    match services::add_contact(
        &mut tx,
        f.raw("liste"),
        f.raw("nom"),
        f.raw("organisme"),
        f.raw("courriel"),
        f.raw("telephone"),
        super::now(),
    )
    .await
    {
        Ok(id) => {
            commit(
                tx,
                &caller,
                Action::CrisisChanged,
                &format!("crise:contact:{id}"),
                json!({ "ajout": "contact" }),
            )
            .await?;
            Ok(done("/crise/relais", "contact"))
        }
        Err(e) => {
            drop(tx);
            let message = refusal(e)?;
            Ok(refused(
                render_relay(&state, &caller, Notice::Refused(message))
                    .await?
                    .1,
            ))
        }
    }
}

async fn relay_csv(State(state): State<AppState>, caller: Caller) -> Result<Response, WebError> {
    let contacts = services::contacts(state.store())
        .await
        .map_err(read_failure)?;
    let mut w = csv::WriterBuilder::new()
        .delimiter(b';')
        .terminator(csv::Terminator::CRLF)
        .from_writer("\u{feff}".as_bytes().to_vec());
    let _ = w.write_record(["Liste", "Nom", "Organisme", "Courriel", "Téléphone"]);
    for c in &contacts {
        let cells = [
            &c.list_name,
            &c.name,
            c.organisation.as_ref().unwrap_or(&String::new()),
            c.email.as_ref().unwrap_or(&String::new()),
            c.phone.as_ref().unwrap_or(&String::new()),
        ]
        .map(|v| {
            if v.starts_with(['=', '+', '-', '@']) {
                format!("'{v}")
            } else {
                v.to_string()
            }
        });
        let _ = w.write_record(&cells);
    }
    crate::audit::record(
        &state,
        &caller,
        Action::DataExported,
        "crise:relais.csv",
        json!({ "lignes": contacts.len() }),
    )
    .await?;
    let mut r = w.into_inner().unwrap_or_default().into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    r.headers_mut().insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("attachment; filename=\"contacts-relais-crise.csv\""),
    );
    Ok(r)
}

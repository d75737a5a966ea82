//! The continuity of municipal services (which services and reception points stay open, their hours), kept by
//! the cell and published on a public page (`/continuite`, no login). Information is relayed to the actors'
//! lists by the network's relay (`/reseau/relais`), the one place where lists and messages live.

use super::{
    CRISIS, CommuneChoices, MANAGE, Missing, Notice, READ, Taken, Taking, chosen_commune,
    commune_field, communes, fr, local, reach, select, take,
};
use axum::extract::State;
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use maillage_crisis::cell::ServiceStatus;
use maillage_store::audit::Action;
use maillage_store::crisis::services;
use maillage_store::reach::{Reach, Territorywide};
use maillage_web_kit::auth::{Caller, MaybeCaller};
use maillage_web_kit::error::WebError;
use maillage_web_kit::layout::{self, csrf_field};
use maillage_web_kit::params::{Form, Query};
use maillage_web_kit::permissions::Permission;
use maillage_web_kit::routes::{Access, Routes};
use maillage_web_kit::state::AppState;
use maud::{Markup, html};
use serde_json::json;

pub fn routes(r: Routes) -> Routes {
    r.page(Method::GET, "/crise/continuite", READ, continuity_page)
        .page(Method::POST, "/crise/continuite", MANAGE, save_service)
        .page(Method::GET, "/continuite", Access::Public, public_page)
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
    let reach = reach(caller);
    let list = services::services(state.store(), &reach, false).await?;
    let manage = caller.has(Permission::CrisisManage);
    let choices = communes(state, caller, Territorywide::Shared).await?;
    let content = html! {
        (notice.render())
        p { "Les services marqués publics sont affichés sur la page publique " a href="/continuite" { "/continuite" } ", sans connexion." }
        (services_table(&list, "Services et accueils municipaux"))
        @if manage {
            @for s in list.iter().filter(|s| reach.may_assign(s.commune_code.as_deref())) {
                details {
                    summary { "Modifier : " (s.name) }
                    (service_form(caller, &choices, Some(s)))
                }
            }
            details {
                summary { "Ajouter un service ou un accueil" }
                (service_form(caller, &choices, None))
            }
        }
    };
    Ok((
        notice.status(),
        CRISIS.page(
            state,
            caller,
            "Continuité des services",
            "/crise/continuite",
            content,
        ),
    ))
}

fn service_form(
    caller: &Caller,
    choices: &CommuneChoices,
    s: Option<&services::Service>,
) -> Markup {
    let id = s.map_or("nouveau".to_string(), |s| s.id.to_string());
    let v = |f: fn(&services::Service) -> Option<&str>| s.and_then(f).unwrap_or("").to_string();
    html! {
        form.formulaire method="post" action="/crise/continuite" {
            (csrf_field(caller))
            @if let Some(s) = s { input type="hidden" name="id" value=(s.id); }
            (commune_field(choices, &format!("sv-commune-{id}"), s.and_then(|s| s.commune_code.as_deref())))
            div.champ { label for=(format!("sv-nom-{id}")) { "Nom" } input type="text" name="nom" id=(format!("sv-nom-{id}")) required value=(v(|s| Some(s.name.as_str()))); }
            div.champ { label for=(format!("sv-etat-{id}")) { "État" } (select::<ServiceStatus>("etat", &format!("sv-etat-{id}"), s.map(|s| maillage_crisis::Coded::code(s.status)), None)) }
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
    let choices = communes(&state, &caller, Territorywide::Shared).await?;
    take(
        &state,
        &caller,
        Missing::NotFound,
        async |tx, reach| -> Taking {
            let commune = chosen_commune(&choices, &f)?;
            let id = services::save_service(
                tx,
                reach,
                commune.as_deref(),
                id,
                &form,
                &caller.account.identifier,
                super::now(),
            )
            .await?;
            Ok(Taken::audit(
                Action::CrisisChanged,
                format!("crise:service:{id}"),
                json!({ "etat": form.status }),
            )
            .then("/crise/continuite", "service"))
        },
        async |reason| Ok(render(&state, &caller, Notice::Refused(reason)).await?.1),
    )
    .await
}

/// The public page: open to anyone, logged in or not. Only services marked public, no personal data.
async fn public_page(
    State(state): State<AppState>,
    MaybeCaller(caller): MaybeCaller,
) -> Result<Markup, WebError> {
    // Public information of every commune of the territory.
    let everything = Reach::everything();
    let list = services::services(state.store(), &everything, true).await?;
    let updated = list.iter().map(|s| s.updated_at.as_str()).max().map(local);
    let alert = maillage_store::crisis::cell::active_alert(state.store(), &everything).await?;
    let content = html! {
        (super::CRISIS.style())
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

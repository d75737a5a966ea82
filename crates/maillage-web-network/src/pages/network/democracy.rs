//! Démocratie en santé (`/reseau/democratie`): consultations of inhabitants, participatory workshops, shared
//! diagnoses and inhabitants' initiatives, recorded with their participants, what was said and what came of it;
//! and the users' representatives and inhabitants who sit in the bodies.

use super::{
    BODIES, Communes, MANAGE, Missing, NETWORK, Notice, Taken, Taking, area, day, field, fr,
    paragraphs, posted_commune, reach, select, take, target,
};
use axum::extract::State;
use axum::http::Method;
use axum::response::Response;
use maillage_network::codes::{ConsultationKind, MemberType};
use maillage_store::audit::Action;
use maillage_store::network::democracy::{self as store, ConsultationForm};
use maillage_store::network::{bodies, cls};
use maillage_web_kit::auth::Caller;
use maillage_web_kit::error::WebError;
use maillage_web_kit::layout::csrf_field;
use maillage_web_kit::params::{Form, Query};
use maillage_web_kit::permissions::Permission;
use maillage_web_kit::routes::Routes;
use maillage_web_kit::state::AppState;
use maud::{Markup, html};
use serde_json::json;
use std::collections::BTreeMap;

pub fn routes(r: Routes) -> Routes {
    r.page(Method::GET, "/reseau/democratie", BODIES, democracy_page)
        .page(Method::POST, "/reseau/democratie", MANAGE, create)
}

async fn render(state: &AppState, caller: &Caller, notice: Notice) -> Result<Markup, WebError> {
    let st = state.store();
    let consultations = store::consultations(st, &reach(caller)).await?;
    let all_bodies = bodies::bodies(st, &reach(caller)).await?;
    let body_name: BTreeMap<i64, &str> =
        all_bodies.iter().map(|b| (b.id, b.name.as_str())).collect();
    let contracts = cls::contracts(st, &reach(caller)).await?;
    let communes = Communes::of(state, caller).await?;
    let representatives: Vec<bodies::Member> = bodies::all_members(st, &reach(caller))
        .await?
        .into_iter()
        .filter(|m| {
            matches!(
                m.member_type,
                MemberType::UsersRepresentative | MemberType::Inhabitant
            )
        })
        .collect();
    let participants: i64 = consultations.iter().filter_map(|c| c.participants).sum();
    let content = html! {
        (notice.render())
        ul.tuiles {
            li { span.chiffre { (consultations.len()) } "consultations et initiatives" }
            li { span.chiffre { (participants) } "participations recensées" }
            li { span.chiffre { (representatives.len()) } "représentants des usagers et habitants dans les instances" }
        }
        h2 { "Représentants des usagers et habitants dans les instances" }
        @if representatives.is_empty() { p { "Aucun : ajoutez-les comme membres des instances (type « représentant des usagers » ou « habitant »)." } }
        ul { @for m in &representatives { li { (m.name) " — " (fr(m.member_type)) @if let Some(o) = &m.organisation { ", " (o) } " — " a href=(format!("/reseau/instances/{}", m.body_id)) { (body_name.get(&m.body_id).copied().unwrap_or("instance")) } } } }
        h2 { "Consultations, ateliers et initiatives" }
        @if consultations.is_empty() { p { "Aucune consultation enregistrée." } }
        @for c in &consultations {
            article.fiche-acteur {
                h3 { (c.title) }
                @if communes.several() { p.aide { "Tenue par : " (communes.name(c.commune_code.as_deref())) } }
                p { (fr(c.kind)) " — " (day(c.held_on)) @if let Some(p) = &c.place { ", " (p) } @if let Some(n) = c.participants { " — " (maillage_messages::count(n, "participant", "participants")) } }
                @if let Some(p) = &c.public_concerned { p { "Public : " (p) } }
                @if let Some(b) = c.body_id.and_then(|b| body_name.get(&b)) { p { "Instance : " (b) } }
                @if let Some(s) = &c.summary { h4 { "Ce qui a été dit" } (paragraphs(s)) }
                @if let Some(o) = &c.outcomes { h4 { "Suites données" } (paragraphs(o)) }
            }
        }
        @if caller.has(Permission::NetworkManage) {
            details.modifier {
                summary { "Enregistrer une consultation ou une initiative" }
                form.formulaire method="post" action="/reseau/democratie" {
                    (csrf_field(caller))
                    div.champ { label for="d-type" { "Type" } (select::<ConsultationKind>("type", "d-type", None, None)) }
                    (field("titre", "d-titre", "Titre", "", "text", true))
                    (communes.field("d-commune", true, None))
                    (field("date", "d-date", "Date", "", "date", true))
                    (field("lieu", "d-lieu", "Lieu", "", "text", false))
                    (field("participants", "d-participants", "Nombre de participants", "", "number", false))
                    (field("public_concerne", "d-public", "Public concerné", "", "text", false))
                    div.champ { label for="d-instance" { "Instance" } select name="instance" id="d-instance" { option value="" { "— aucune —" } @for b in &all_bodies { option value=(b.id) { (b.name) } } } }
                    div.champ { label for="d-contrat" { "Contrat local de santé" } select name="contrat" id="d-contrat" { option value="" { "— aucun —" } @for c in &contracts { option value=(c.id) { (c.name) } } } }
                    (area("synthese", "d-synthese", "Ce qui a été dit", "", 4))
                    (area("suites", "d-suites", "Suites données (décisions, critères retenus)", "", 3))
                    button type="submit" { "Enregistrer" }
                }
            }
        }
    };
    Ok(NETWORK.page(
        state,
        caller,
        "Démocratie en santé",
        "/reseau/democratie",
        content,
    ))
}

async fn democracy_page(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query,
) -> Result<Markup, WebError> {
    render(
        &state,
        &caller,
        Notice::from_query(&q, &[("consultation", "la consultation est enregistrée.")]),
    )
    .await
}

async fn create(
    State(state): State<AppState>,
    caller: Caller,
    Form(f): Form,
) -> Result<Response, WebError> {
    let form = ConsultationForm {
        commune: posted_commune(&caller, &f),
        kind: f.raw("type").into(),
        title: f.raw("titre").into(),
        held_on: f.raw("date").into(),
        place: f.raw("lieu").into(),
        participants: f.raw("participants").into(),
        public_concerned: f.raw("public_concerne").into(),
        body_id: f.get("instance").and_then(|b| b.parse().ok()),
        contract_id: f.get("contrat").and_then(|c| c.parse().ok()),
        summary: f.raw("synthese").into(),
        outcomes: f.raw("suites").into(),
    };
    take(
        &state,
        &caller,
        Missing::Refused,
        async |tx, reach| -> Taking {
            let id = store::save_consultation(
                tx,
                reach,
                None,
                &form,
                &caller.account.identifier,
                super::now(),
            )
            .await?;
            Ok(Taken::audit(
                Action::NetworkChanged,
                target("consultation", id),
                json!({ "creation": true, "type": form.kind }),
            )
            .then("/reseau/democratie", "consultation"))
        },
        async |reason| render(&state, &caller, Notice::Refused(reason)).await,
    )
    .await
}

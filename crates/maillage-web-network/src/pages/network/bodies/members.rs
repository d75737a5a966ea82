//! Members of a body: the form adding one, and their addition and removal.

use super::body::{body_finish, load_body};
use super::id_of;
use crate::pages::network::{begin, commit, done, field, now, reach, select, target};
use axum::extract::{Path, State};
use axum::response::Response;
use maillage_network::codes::MemberType;
use maillage_store::audit::Action;
use maillage_store::network::bodies::{self as store, MemberForm};
use maillage_web_kit::auth::Caller;
use maillage_web_kit::error::WebError;
use maillage_web_kit::layout::csrf_field;
use maillage_web_kit::params::Form;
use maillage_web_kit::state::AppState;
use maud::{Markup, html};
use serde_json::json;

pub(super) fn member_form(caller: &Caller, body_id: i64) -> Markup {
    html! {
        form.formulaire method="post" action=(format!("/reseau/instances/{body_id}/membres")) {
            (csrf_field(caller))
            (field("nom", "m-nom", "Nom (ou « Un représentant des usagers »)", "", "text", true))
            (field("fonction", "m-fonction", "Fonction", "", "text", false))
            (field("organisme", "m-organisme", "Organisme", "", "text", false))
            div.champ { label for="m-type" { "Type de membre" } (select::<MemberType>("type_membre", "m-type", None, None)) }
            div.case { input type="checkbox" name="copresident" value="1" id="m-copresident"; label for="m-copresident" { "Co-président(e)" } }
            (field("courriel", "m-courriel", "Courriel", "", "email", false))
            (field("telephone", "m-telephone", "Téléphone", "", "tel", false))
            (field("depuis", "m-depuis", "Membre depuis le", "", "date", false))
            button type="submit" { "Ajouter le membre" }
        }
    }
}

pub(super) async fn add_member(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Form(f): Form,
) -> Result<Response, WebError> {
    let b = load_body(&state, &caller, &id).await?;
    let form = MemberForm {
        name: f.raw("nom").into(),
        function: f.raw("fonction").into(),
        organisation: f.raw("organisme").into(),
        member_type: f.raw("type_membre").into(),
        co_chair: f.flag("copresident"),
        email: f.raw("courriel").into(),
        phone: f.raw("telephone").into(),
        actor_id: f.get("acteur").and_then(|a| a.parse().ok()),
        since: f.raw("depuis").into(),
        until: f.raw("jusqu_au").into(),
    };
    let mut tx = begin(&state, &caller).await?;
    let r = async { store::save_member(&mut tx, &reach(&caller), None, b.id, &form, now()).await }
        .await
        .map(drop);
    body_finish(
        &state,
        &caller,
        &b,
        tx,
        r,
        "membre",
        json!({ "membre": "ajout", "type": form.member_type }),
    )
    .await
}

pub(super) async fn delete_member(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = id_of(&id)?;
    let body_id = store::all_members(state.store(), &reach(&caller))
        .await?
        .into_iter()
        .find(|m| m.id == id)
        .map(|m| m.body_id)
        .ok_or(WebError::NotFound)?;
    let mut tx = begin(&state, &caller).await?;
    store::delete_member(&mut tx, &reach(&caller), body_id, id).await?;
    commit(
        tx,
        &caller,
        Action::NetworkChanged,
        &target("instance", body_id),
        json!({ "membre": "retrait" }),
    )
    .await?;
    Ok(done(
        &format!("/reseau/instances/{body_id}"),
        "membre_supprime",
    ))
}

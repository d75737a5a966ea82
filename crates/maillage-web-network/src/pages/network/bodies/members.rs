//! Members of a body: the form adding one, and their addition and removal.

use super::body::{load_body, on_body};
use super::id_of;
use crate::pages::network::{
    Missing, Taken, Taking, field, now, reach, reason_only, select, take, target,
};
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
    on_body(
        &state,
        &caller,
        &b,
        "membre",
        json!({ "membre": "ajout", "type": form.member_type }),
        async |tx, reach| {
            store::save_member(tx, reach, None, b.id, &form, now())
                .await
                .map(drop)
        },
    )
    .await
}

pub(super) async fn delete_member(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Form(f): Form,
) -> Result<Response, WebError> {
    let id = id_of(&id)?;
    let body_id = store::all_members(state.store(), &reach(&caller))
        .await?
        .into_iter()
        .find(|m| m.id == id)
        .map(|m| m.body_id)
        .ok_or(WebError::NotFound)?;
    // Only the confirmation page's button removes (network::trash).
    if let Some(to_confirmation) =
        maillage_web_kit::confirm::unconfirmed(&f, &format!("/reseau/membres/{id}/suppression"))
    {
        return Ok(to_confirmation);
    }
    take(
        &state,
        &caller,
        Missing::NotFound,
        async |tx, reach| -> Taking {
            store::delete_member(tx, reach, body_id, id).await?;
            Ok(Taken::audit(
                Action::NetworkChanged,
                target("instance", body_id),
                json!({ "membre": "retrait" }),
            )
            .then(format!("/reseau/instances/{body_id}"), "membre_supprime"))
        },
        reason_only,
    )
    .await
}

//! Deletions of the network module in two steps (a confirmation page saying what is lost, then its button), and
//! the directory's trash (`/reseau/corbeille`): a deleted entry is kept 30 days, listed here with the way to
//! restore it, then purged ([`maillage_store::network::trash`]). Its contact persons, personal data, are erased
//! at the deletion, as a contact person or a member of a body removed on their own: the confirmation says so.

use super::{MANAGE, Missing, NETWORK, Taken, Taking, commit, local_text, reach, take, target};
use axum::extract::{Path, State};
use axum::http::Method;
use axum::response::Response;
use maillage_store::audit::Action;
use maillage_store::network::bodies;
use maillage_store::network::directory as store;
use maillage_store::network::trash::{self, KEPT_DAYS};
use maillage_web_kit::auth::Caller;
use maillage_web_kit::confirm::{self, Confirmation};
use maillage_web_kit::error::WebError;
use maillage_web_kit::form::reason_only;
use maillage_web_kit::layout::csrf_field;
use maillage_web_kit::params::Form;
use maillage_web_kit::routes::Routes;
use maillage_web_kit::state::AppState;
use maud::{Markup, html};
use serde_json::json;

pub fn routes(r: Routes) -> Routes {
    r.page(
        Method::GET,
        "/reseau/acteurs/{id}/suppression",
        MANAGE,
        confirm_delete,
    )
    .page(
        Method::POST,
        "/reseau/acteurs/{id}/suppression",
        MANAGE,
        delete,
    )
    .page(
        Method::GET,
        "/reseau/contacts/{id}/suppression",
        MANAGE,
        confirm_contact,
    )
    .page(
        Method::GET,
        "/reseau/membres/{id}/suppression",
        MANAGE,
        confirm_member,
    )
    .page(Method::GET, "/reseau/corbeille", MANAGE, trash_page)
    .page(
        Method::POST,
        "/reseau/corbeille/{id}/restauration",
        MANAGE,
        restore,
    )
}

/// The address of an entry's confirmation page.
pub(crate) fn confirmation_path(id: i64) -> String {
    format!("/reseau/acteurs/{id}/suppression")
}

fn id_of(s: &str) -> Result<i64, WebError> {
    s.parse().map_err(|_| WebError::NotFound)
}

async fn confirm_delete(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Markup, WebError> {
    let id = id_of(&id)?;
    let a = store::actor(state.store(), &reach(&caller), id)
        .await?
        .ok_or(WebError::NotFound)?;
    let contacts = store::contacts(state.store(), &reach(&caller), Some(id))
        .await?
        .len();
    let action = confirmation_path(id);
    let back = format!("/reseau/acteurs/{id}");
    let lost = html! {
        p { strong { "Supprimer la fiche « " (a.record.name) " » ?" } }
        ul {
            li { "La fiche quitte l'annuaire (interne et public). Elle reste " (KEPT_DAYS) " jours dans la "
                 a href="/reseau/corbeille" { "corbeille" } ", d'où vous pouvez la restaurer ; elle est ensuite effacée définitivement." }
            @match contacts {
                0 => li { "Elle n'a aucune personne contact." },
                1 => li { strong { "Sa personne contact est effacée définitivement" } " (donnée personnelle : elle n'est pas gardée dans la corbeille)." },
                n => li { strong { "Ses " (n) " personnes contacts sont effacées définitivement" } " (données personnelles : elles ne sont pas gardées dans la corbeille)." },
            }
        }
    };
    let content = html! {
        p { a href=(back) { "← " (a.record.name) } }
        (confirm::form(&caller, &Confirmation {
            lost,
            action: &action,
            hidden: &[],
            button: "Supprimer la fiche",
            cancel: &back,
        }))
    };
    Ok(NETWORK.page(
        &state,
        &caller,
        &format!("Supprimer la fiche {}", a.record.name),
        "/reseau/acteurs",
        content,
    ))
}

async fn delete(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Form(f): Form,
) -> Result<Response, WebError> {
    let id = id_of(&id)?;
    if let Some(to_confirmation) = confirm::unconfirmed(&f, &confirmation_path(id)) {
        return Ok(to_confirmation);
    }
    let by = caller.account.identifier.clone();
    take(
        &state,
        &caller,
        Missing::NotFound,
        async |tx, reach| -> Taking {
            store::delete_actor(tx, reach, id, &by, super::now()).await?;
            Ok(Taken::audit(
                Action::NetworkContactsChanged,
                target("acteur", id),
                json!({ "suppression": true, "corbeille": true }),
            )
            .then("/reseau/acteurs", "supprime"))
        },
        reason_only,
    )
    .await
}

async fn trash_page(State(state): State<AppState>, caller: Caller) -> Result<Markup, WebError> {
    // What is past its keeping goes first, so that it is never shown as restorable.
    let reach = reach(&caller);
    let mut tx = super::begin(&state, &caller).await?;
    let purged = trash::purge(&mut tx, &reach, super::now()).await?;
    if purged > 0 {
        commit(
            tx,
            &caller,
            Action::NetworkChanged,
            "reseau:corbeille",
            json!({ "purge": purged }),
        )
        .await?;
    } else {
        tx.commit().await?;
    }
    let entries = trash::deleted_actors(state.store(), &reach).await?;
    let content = html! {
        p { "Les fiches de l'annuaire supprimées y restent " (KEPT_DAYS) " jours : vous pouvez les restaurer, sans leurs personnes contacts \
             (effacées à la suppression). Passé ce délai, elles sont effacées définitivement." }
        @if entries.is_empty() {
            p { "La corbeille est vide." }
        } @else {
            div.defilement tabindex="0" role="region" aria-label="Fiches dans la corbeille" {
                table {
                    caption { "Fiches supprimées" }
                    thead { tr { th scope="col" { "Fiche" } th scope="col" { "Supprimée" } th scope="col" { "Effacée définitivement le" } th scope="col" { "Action" } } }
                    tbody {
                        @for e in &entries {
                            tr {
                                th scope="row" { (e.name) }
                                td { "le " (local_text(&e.deleted_at)) " par " (e.deleted_by) }
                                td { (local_text(&e.purged_at)) }
                                td {
                                    form method="post" action=(format!("/reseau/corbeille/{}/restauration", e.id)) {
                                        (csrf_field(&caller))
                                        button type="submit" { "Restaurer " span.visuellement-cache { (e.name) } }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    Ok(NETWORK.page(
        &state,
        &caller,
        "Corbeille de l'annuaire",
        "/reseau/acteurs",
        content,
    ))
}

async fn restore(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = id_of(&id)?;
    take(
        &state,
        &caller,
        Missing::NotFound,
        async |tx, reach| -> Taking {
            trash::restore_actor(tx, reach, id, super::now()).await?;
            Ok(Taken::audit(
                Action::NetworkChanged,
                target("acteur", id),
                json!({ "restauration": true }),
            )
            .then(format!("/reseau/acteurs/{id}"), "restaure"))
        },
        reason_only,
    )
    .await
}

/// What erasing a person's record means, said on its confirmation page.
fn erased_for_good(what: Markup) -> Markup {
    html! {
        p { strong { (what) } }
        p { "Ces données personnelles sont " strong { "effacées définitivement" } " : elles ne vont pas dans la corbeille." }
    }
}

async fn confirm_contact(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Markup, WebError> {
    let c = store::contact(state.store(), &reach(&caller), id_of(&id)?)
        .await?
        .ok_or(WebError::NotFound)?;
    let back = super::directory::contact_back(&c);
    let lost = erased_for_good(html! {
        "Supprimer la personne contact « " (c.name) " »"
        @if let Some(a) = &c.actor_name { " de « " (a) " »" }
        " (nom, fonction, courriel, téléphone, inscriptions aux listes de diffusion) ?"
    });
    let action = format!("/reseau/contacts/{}/suppression", c.id);
    let content = confirm::form(
        &caller,
        &Confirmation {
            lost,
            action: &action,
            hidden: &[],
            button: "Supprimer la personne contact",
            cancel: &back,
        },
    );
    Ok(NETWORK.page(
        &state,
        &caller,
        &format!("Supprimer {}", c.name),
        "/reseau/acteurs",
        content,
    ))
}

async fn confirm_member(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Markup, WebError> {
    let id = id_of(&id)?;
    let m = bodies::all_members(state.store(), &reach(&caller))
        .await?
        .into_iter()
        .find(|m| m.id == id)
        .ok_or(WebError::NotFound)?;
    let back = format!("/reseau/instances/{}", m.body_id);
    let lost = erased_for_good(html! {
        "Retirer « " (m.name) " » de l'instance, avec ses coordonnées ?"
    });
    let action = format!("/reseau/membres/{id}/suppression");
    let content = confirm::form(
        &caller,
        &Confirmation {
            lost,
            action: &action,
            hidden: &[],
            button: "Retirer le membre",
            cancel: &back,
        },
    );
    Ok(NETWORK.page(
        &state,
        &caller,
        &format!("Retirer {}", m.name),
        "/reseau/instances",
        content,
    ))
}

//! The funding tracker: fundings of a contract, their reports (bilans) and when each is due or sent.

use super::contracts::load_tree;
use super::{MESSAGES, REPORT_HORIZON_DAYS, id_of, money};
use crate::pages::network::{
    Missing, NETWORK, Notice, Taken, Taking, day, field, fr, now, reach, select, take, today,
};
use axum::extract::{Path, State};
use axum::response::Response;
use maillage_network::codes::{FundingScheme, FundingStatus};
use maillage_network::reminders;
use maillage_store::audit::Action;
use maillage_store::change::Change;
use maillage_store::network::cls::{self as store, ContractTree, FundingForm};
use maillage_store::network::{Error, Reach};
use maillage_web_kit::auth::Caller;
use maillage_web_kit::error::WebError;
use maillage_web_kit::layout::csrf_field;
use maillage_web_kit::params::{Form, Query};
use maillage_web_kit::permissions::Permission;
use maillage_web_kit::state::AppState;
use maud::{Markup, html};
use serde_json::json;

async fn render_funding(
    state: &AppState,
    caller: &Caller,
    t: &ContractTree,
    notice: Notice,
) -> Result<Markup, WebError> {
    let manage = caller.has(Permission::ClsManage);
    let t_day = today();
    let requested: f64 = t.fundings.iter().filter_map(|f| f.funding.requested).sum();
    let granted: f64 = t
        .fundings
        .iter()
        .filter(|f| {
            matches!(
                f.funding.status,
                FundingStatus::Granted | FundingStatus::Settled
            )
        })
        .filter_map(|f| f.funding.granted)
        .sum();
    let fiches: Vec<(i64, String)> = t
        .fiches()
        .map(|f| (f.fiche.id, format!("{} {}", f.fiche.number, f.fiche.title)))
        .collect();
    let content = html! {
        (notice.render())
        p { a href=(format!("/cls/{}", t.contract.id)) { "← " (t.contract.name) } }
        ul.tuiles {
            li { span.chiffre { (t.fundings.len()) } "demandes de financement" }
            li { span.chiffre { (money(requested)) } "demandés" }
            li { span.chiffre { (money(granted)) } "accordés" }
        }
        @for fd in &t.fundings {
            @let f = &fd.funding;
            section.fiche-acteur {
                h2 { (f.title) }
                p { (f.funder) " — " (fr(f.scheme)) " — " span.statut { (fr(f.status)) } }
                p {
                    @if let Some(r) = f.requested { "Demandé : " (money(r)) ". " }
                    @if let Some(g) = f.granted { "Accordé : " (money(g)) ". " }
                    @if let Some(d) = f.applied_on { "Déposé le " (day(d)) ". " }
                    @if let Some(d) = f.decided_on { "Décision le " (day(d)) ". " }
                    @if let (Some(a), Some(b)) = (f.period_start, f.period_end) { "Période : du " (day(a)) " au " (day(b)) "." }
                }
                @if let Some(fid) = f.fiche_id { @if let Some(x) = t.fiche(fid) { p { "Fiche : " a href=(format!("/cls/fiches/{fid}")) { (x.fiche.number) " " (x.fiche.title) } } } }
                h3 { "Bilans à rendre" }
                @if fd.reports.is_empty() { p { "Aucun bilan attendu." } }
                ul {
                    @for r in &fd.reports {
                        li {
                            (r.label) " — pour le " (day(r.due_on)) " : "
                            @if let Some(s) = r.submitted_on { "envoyé le " (day(s)) }
                            @else {
                                @match reminders::report(r.due_on, None, t_day, REPORT_HORIZON_DAYS) {
                                    Some(d) if d.is_overdue() => { span.en-retard { (fr(d)) } }
                                    Some(d) => { strong { (fr(d)) } }
                                    None => { "à venir" }
                                }
                                @if manage {
                                    form method="post" action=(format!("/cls/bilans/{}", r.id)) {
                                        (csrf_field(caller))
                                        label for=(format!("bi-{}", r.id)) { "Envoyé le " }
                                        input type="date" name="date_envoi" id=(format!("bi-{}", r.id)) value=(t_day.to_string());
                                        button type="submit" { "Marquer envoyé" }
                                    }
                                }
                            }
                        }
                    }
                }
                @if manage {
                    details.modifier {
                        summary { "Ajouter un bilan attendu" }
                        form.formulaire method="post" action=(format!("/cls/financements/{}/bilans", f.id)) {
                            (csrf_field(caller))
                            (field("bilan", &format!("bl-lib-{}", f.id), "Bilan (intermédiaire, final…)", "", "text", true))
                            (field("echeance", &format!("bl-date-{}", f.id), "À rendre le", "", "date", true))
                            button type="submit" { "Ajouter" }
                        }
                    }
                }
            }
        }
        @if manage {
            details.modifier {
                summary { "Ajouter une demande de financement" }
                form.formulaire method="post" action=(format!("/cls/{}/financements", t.contract.id)) {
                    (csrf_field(caller))
                    (field("intitule", "fd-titre", "Intitulé", "", "text", true))
                    (field("financeur", "fd-fin", "Financeur", "", "text", true))
                    div.champ { label for="fd-disp" { "Dispositif" } (select::<FundingScheme>("dispositif", "fd-disp", None, None)) }
                    div.champ { label for="fd-statut" { "Statut" } (select::<FundingStatus>("statut", "fd-statut", None, None)) }
                    div.champ { label for="fd-fiche" { "Fiche action" } select name="fiche" id="fd-fiche" { option value="" { "— aucune —" } @for (id, l) in &fiches { option value=(id) { (l) } } } }
                    (field("montant_demande", "fd-dem", "Montant demandé (€)", "", "text", false))
                    (field("montant_accorde", "fd-acc", "Montant accordé (€)", "", "text", false))
                    (field("date_depot", "fd-dep", "Déposé le", "", "date", false))
                    (field("date_decision", "fd-dec", "Décision le", "", "date", false))
                    (field("debut", "fd-debut", "Période : début", "", "date", false))
                    (field("fin", "fd-fin2", "Période : fin", "", "date", false))
                    button type="submit" { "Ajouter" }
                }
            }
        }
    };
    Ok(NETWORK.page(
        state,
        caller,
        &format!("Financements — {}", t.contract.name),
        "/cls",
        content,
    ))
}

pub(super) async fn funding_page(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Query(q): Query,
) -> Result<Markup, WebError> {
    let t = load_tree(&state, &caller, &id).await?;
    render_funding(&state, &caller, &t, Notice::from_query(&q, MESSAGES)).await
}

/// Takes a change made from a contract's funding tracker: audited on the contract, back to the tracker, or the
/// tracker again.
async fn on_funding(
    state: &AppState,
    caller: &Caller,
    t: &ContractTree,
    code: &'static str,
    details: serde_json::Value,
    work: impl AsyncFnOnce(&mut Change, &Reach) -> Result<(), Error>,
) -> Result<Response, WebError> {
    take(
        state,
        caller,
        Missing::Refused,
        async |tx, reach| -> Taking {
            work(tx, reach).await?;
            Ok(Taken::audit(
                Action::ClsChanged,
                format!("cls:contrat:{}", t.contract.id),
                details,
            )
            .then(format!("/cls/{}/financements", t.contract.id), code))
        },
        async |reason| render_funding(state, caller, t, Notice::Refused(reason)).await,
    )
    .await
}

pub(super) async fn add_funding(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Form(f): Form,
) -> Result<Response, WebError> {
    let t = load_tree(&state, &caller, &id).await?;
    let form = FundingForm {
        fiche_id: f.get("fiche").and_then(|x| x.parse().ok()),
        funder: f.raw("financeur").into(),
        scheme: f.raw("dispositif").into(),
        title: f.raw("intitule").into(),
        requested: f.raw("montant_demande").into(),
        granted: f.raw("montant_accorde").into(),
        status: f.raw("statut").into(),
        applied_on: f.raw("date_depot").into(),
        decided_on: f.raw("date_decision").into(),
        period_start: f.raw("debut").into(),
        period_end: f.raw("fin").into(),
    };
    on_funding(
        &state,
        &caller,
        &t,
        "financement",
        json!({ "financement": "ajout" }),
        async |tx, reach| {
            store::save_funding(tx, reach, None, t.contract.id, &form, now())
                .await
                .map(drop)
        },
    )
    .await
}

/// The whole contract of a funding the caller reaches.
async fn contract_of_funding(
    state: &AppState,
    caller: &Caller,
    funding: i64,
) -> Result<ContractTree, WebError> {
    let reach = reach(caller);
    let contract = store::contract_of_funding(state.store(), &reach, funding)
        .await?
        .ok_or(WebError::NotFound)?;
    store::tree(state.store(), &reach, contract)
        .await?
        .ok_or(WebError::NotFound)
}

pub(super) async fn add_report(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Form(f): Form,
) -> Result<Response, WebError> {
    let fid = id_of(&id)?;
    let t = contract_of_funding(&state, &caller, fid).await?;
    on_funding(
        &state,
        &caller,
        &t,
        "bilan",
        json!({ "bilan": "ajout", "financement": fid }),
        async |tx, reach| {
            store::add_report(tx, reach, fid, f.raw("bilan"), f.raw("echeance"))
                .await
                .map(drop)
        },
    )
    .await
}

pub(super) async fn submit_report(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Form(f): Form,
) -> Result<Response, WebError> {
    let rid = id_of(&id)?;
    let contract = store::contract_of_report(state.store(), &reach(&caller), rid)
        .await?
        .ok_or(WebError::NotFound)?;
    let t = store::tree(state.store(), &reach(&caller), contract)
        .await?
        .ok_or(WebError::NotFound)?;
    on_funding(
        &state,
        &caller,
        &t,
        "bilan",
        json!({ "bilan": rid, "envoye": f.raw("date_envoi") }),
        async |tx, reach| {
            store::submit_report(tx, reach, rid, f.raw("date_envoi"))
                .await
                .map(drop)
        },
    )
    .await
}

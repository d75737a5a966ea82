//! A fiche action: its page (funders, indicators with their measures), its update and its funders.

use super::contracts::{fiche_form, fiche_form_of};
use super::indicators::{link_code, link_label, link_options, observatory_rows, observatory_value};
use super::{MESSAGES, id_of, money, value};
use crate::pages::network::{
    Missing, NETWORK, Notice, Taken, Taking, day, field, fr, now, paragraphs, percent, reach,
    select, take, today,
};
use axum::extract::{Path, State};
use axum::response::Response;
use maillage_network::codes::IndicatorKind;
use maillage_store::audit::Action;
use maillage_store::change::Change;
use maillage_store::network::cls::{self as store, ContractTree, FicheTree};
use maillage_store::network::{Error, Reach};
use maillage_web_kit::auth::Caller;
use maillage_web_kit::error::WebError;
use maillage_web_kit::layout::csrf_field;
use maillage_web_kit::params::{Form, Query};
use maillage_web_kit::permissions::Permission;
use maillage_web_kit::state::AppState;
use maud::{Markup, html};
use serde_json::json;

async fn render_fiche(
    state: &AppState,
    caller: &Caller,
    t: &ContractTree,
    f: &FicheTree,
    notice: Notice,
) -> Result<Markup, WebError> {
    let manage = caller.has(Permission::ClsManage);
    let needs_rows = manage
        || f.indicators
            .iter()
            .any(|i| i.indicator.observatory.is_some());
    let rows = if needs_rows && caller.has(Permission::ObservatoryRead) {
        observatory_rows(state, caller).await?
    } else {
        Vec::new()
    };
    let fi = &f.fiche;
    let (axis, objective) = t
        .axes
        .iter()
        .find_map(|a| {
            a.objectives
                .iter()
                .find(|o| o.objective.id == fi.objective_id)
                .map(|o| (a, o))
        })
        .ok_or(WebError::NotFound)?;
    let funded: f64 = f.funders.iter().filter_map(|x| x.amount).sum();
    let content = html! {
        (notice.render())
        p { a href=(format!("/cls/{}", t.contract.id)) { "← " (t.contract.name) } }
        dl.fiche {
            dt { "Axe" } dd { (axis.axis.position) ". " (axis.axis.title) }
            dt { "Objectif" } dd { (axis.axis.position) "." (objective.objective.position) " " (objective.objective.title) }
            dt { "Statut" } dd { span.statut { (fr(fi.status)) } " — " (fr(fi.nature)) }
            dt { "Pilote" } dd { (fi.pilot) }
            @if let Some(c) = &fi.copilots { dt { "Co-pilotes" } dd { (c) } }
            @if let Some(p) = &fi.partners { dt { "Partenaires" } dd { (p) } }
            @if let Some(p) = &fi.target_public { dt { "Public cible" } dd { (p) } }
            @if let Some(p) = &fi.territory { dt { "Territoire" } dd { (p) } }
            dt { "Calendrier" } dd { @match (fi.starts_on, fi.ends_on) { (Some(a), Some(b)) => { "du " (day(a)) " au " (day(b)) }, (Some(a), None) => { "à partir du " (day(a)) }, (None, Some(b)) => { "jusqu'au " (day(b)) }, (None, None) => { "non fixé" } } }
            dt { "Budget" } dd { (fi.budget.map(money).unwrap_or_else(|| "—".into())) @if !f.funders.is_empty() { " — financements identifiés : " (money(funded)) } }
        }
        @if let Some(d) = &fi.description { (paragraphs(d)) }
        h2 { "Financeurs" }
        @if f.funders.is_empty() { p { "Aucun financeur renseigné." } }
        ul { @for x in &f.funders { li { (x.funder) @if let Some(a) = x.amount { " : " (money(a)) } } } }
        h2 { "Indicateurs" }
        @if f.indicators.is_empty() { p { "Aucun indicateur." } }
        @for i in &f.indicators {
            @let p = i.progress();
            @let unit = i.indicator.unit.as_deref();
            section.fiche-acteur {
                h3 { (i.indicator.label) " (" (fr(i.indicator.kind).to_lowercase()) ")" }
                p {
                    "Référence : " (i.indicator.baseline.map(|v| value(v, unit)).unwrap_or_else(|| "—".into())) @if let Some(d) = i.indicator.baseline_on { " (" (day(d)) ")" }
                    " — cible : " (i.indicator.target.map(|v| value(v, unit)).unwrap_or_else(|| "—".into())) @if let Some(d) = i.indicator.target_on { " (" (day(d)) ")" }
                    " — progression : " (percent(p.ratio)) @if p.reached { " (cible atteinte)" }
                }
                @if let Some(s) = &i.indicator.source { p.aide { "Source : " (s) } }
                @if let Some(l) = &i.indicator.observatory {
                    p { "Suivi par l'observatoire : " (link_label(l, &rows)) " — valeur actuelle : "
                        (observatory_value(l, &rows).map(|v| value(v, unit)).unwrap_or_else(|| "non calculable".into())) }
                }
                @if !i.measures.is_empty() {
                    table {
                        caption { "Mesures" }
                        thead { tr { th scope="col" { "Date" } th scope="col" { "Valeur" } th scope="col" { "Source" } } }
                        tbody { @for m in &i.measures { tr { td { (day(m.measured_on)) } td.nombre { (value(m.value, unit)) } td { (m.source.as_deref().unwrap_or("")) @if let Some(n) = &m.note { " — " (n) } } } } }
                    }
                }
                @if manage {
                    form.formulaire method="post" action=(format!("/cls/indicateurs/{}/mesures", i.indicator.id)) {
                        (csrf_field(caller))
                        (field("date_mesure", &format!("me-date-{}", i.indicator.id), "Date de la mesure", &today().to_string(), "date", true))
                        (field("valeur", &format!("me-val-{}", i.indicator.id), "Valeur", "", "text", true))
                        (field("source", &format!("me-src-{}", i.indicator.id), "Source", "", "text", false))
                        button type="submit" { "Enregistrer la mesure" }
                    }
                    @if i.indicator.observatory.is_some() {
                        form method="post" action=(format!("/cls/indicateurs/{}/mesures", i.indicator.id)) {
                            (csrf_field(caller))
                            input type="hidden" name="depuis_observatoire" value="1";
                            button type="submit" { "Relever la valeur actuelle de l'observatoire" }
                        }
                    }
                }
            }
        }
        @if manage {
            h2 { "Tenir la fiche" }
            details.modifier {
                summary { "Ajouter un indicateur" }
                form.formulaire method="post" action=(format!("/cls/fiches/{}/indicateurs", fi.id)) {
                    (csrf_field(caller))
                    (field("libelle", "in-lib", "Libellé", "", "text", true))
                    div.champ { label for="in-type" { "Type" } (select::<IndicatorKind>("type", "in-type", Some("resultat"), None)) }
                    (field("unite", "in-unite", "Unité (%, nombre, pour 10 000…)", "", "text", false))
                    (field("valeur_reference", "in-ref", "Valeur de référence", "", "text", false))
                    (field("date_reference", "in-dref", "Date de référence", "", "date", false))
                    (field("cible", "in-cible", "Valeur cible", "", "text", false))
                    (field("date_cible", "in-dcible", "Date cible", "", "date", false))
                    (field("source", "in-src", "Source", "", "text", false))
                    div.champ {
                        label for="in-obs" { "Suivre un indicateur de l'observatoire (facultatif)" }
                        select name="observatoire" id="in-obs" {
                            option value="" { "— aucun —" }
                            @for l in link_options(&rows) { option value=(link_code(&l)) { (link_label(&l, &rows)) } }
                        }
                    }
                    button type="submit" { "Ajouter l'indicateur" }
                }
            }
            details.modifier {
                summary { "Ajouter un financeur" }
                form.formulaire method="post" action=(format!("/cls/fiches/{}/financeurs", fi.id)) {
                    (csrf_field(caller))
                    (field("financeur", "fi-nom", "Financeur", "", "text", true))
                    (field("montant", "fi-montant", "Montant (€)", "", "text", false))
                    button type="submit" { "Ajouter le financeur" }
                }
            }
            details.modifier { summary { "Modifier la fiche" } (fiche_form(caller, &format!("/cls/fiches/{}", fi.id), Some(fi), None)) }
        }
    };
    Ok(NETWORK.page(
        state,
        caller,
        &format!("Fiche {} — {}", fi.number, fi.title),
        "/cls",
        content,
    ))
}

pub(super) async fn load_fiche(
    state: &AppState,
    caller: &Caller,
    id: &str,
) -> Result<(ContractTree, i64), WebError> {
    let fid = id_of(id)?;
    let contract = store::contract_of_fiche(state.store(), &reach(caller), fid)
        .await?
        .ok_or(WebError::NotFound)?;
    let t = store::tree(state.store(), &reach(caller), contract)
        .await?
        .ok_or(WebError::NotFound)?;
    Ok((t, fid))
}

pub(super) async fn fiche_page(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Query(q): Query,
) -> Result<Markup, WebError> {
    let (t, fid) = load_fiche(&state, &caller, &id).await?;
    let f = t.fiche(fid).ok_or(WebError::NotFound)?;
    render_fiche(&state, &caller, &t, f, Notice::from_query(&q, MESSAGES)).await
}

/// Takes a change made from a fiche's page: audited on the fiche, back to its page, or the page again.
pub(super) async fn on_fiche(
    state: &AppState,
    caller: &Caller,
    t: &ContractTree,
    fid: i64,
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
            Ok(
                Taken::audit(Action::ClsChanged, format!("cls:fiche:{fid}"), details)
                    .then(format!("/cls/fiches/{fid}"), code),
            )
        },
        async |reason| {
            let f = t.fiche(fid).ok_or(WebError::NotFound)?;
            render_fiche(state, caller, t, f, Notice::Refused(reason)).await
        },
    )
    .await
}

pub(super) async fn update_fiche(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Form(f): Form,
) -> Result<Response, WebError> {
    let form = fiche_form_of(&f);
    let by = caller.account.identifier.clone();
    let (t, fid) = load_fiche(&state, &caller, &id).await?;
    // The fiche's objective, from the contract just read as the caller (no SQL here: only the store speaks it).
    let objective = t
        .fiche(fid)
        .map(|f| f.fiche.objective_id)
        .ok_or(WebError::NotFound)?;
    on_fiche(
        &state,
        &caller,
        &t,
        fid,
        "fiche",
        json!({ "modification": true, "statut": form.status }),
        async |tx, reach| {
            store::save_fiche(tx, reach, Some(fid), objective, &form, &by, now())
                .await
                .map(drop)
        },
    )
    .await
}

pub(super) async fn add_funder(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Form(f): Form,
) -> Result<Response, WebError> {
    let (t, fid) = load_fiche(&state, &caller, &id).await?;
    on_fiche(
        &state,
        &caller,
        &t,
        fid,
        "financeur",
        json!({ "financeur": "ajout" }),
        async |tx, reach| {
            store::add_funder(tx, reach, fid, f.raw("financeur"), f.raw("montant"))
                .await
                .map(drop)
        },
    )
    .await
}

//! Contracts: the list by generation, a contract's dashboard (progress by axis, indicators), its update,
//! and the plan built on it: signatories, axes, objectives and new fiches actions.

use super::progress::{METHOD, progress_block};
use super::{MESSAGES, REPORT_HORIZON_DAYS, id_of, money, value};
use crate::pages::network::{
    Communes, Missing, NETWORK, Notice, Taken, Taking, area, day, field, fr, now, percent,
    posted_commune, reach, select, take, today,
};
use axum::extract::{Path, State};
use axum::response::Response;
use maillage_network::Coded;
use maillage_network::codes::{ClsStatus, FicheNature, FicheStatus};
use maillage_network::reminders;
use maillage_store::audit::Action;
use maillage_store::change::Change;
use maillage_store::network::cls::{
    self as store, AxisTree, ContractForm, ContractTree, FicheForm, FicheTree, IndicatorTree,
};
use maillage_store::network::{Error, Reach};
use maillage_web_kit::auth::Caller;
use maillage_web_kit::error::WebError;
use maillage_web_kit::layout::csrf_field;
use maillage_web_kit::params::{Form, Params, Query};
use maillage_web_kit::permissions::Permission;
use maillage_web_kit::state::AppState;
use maud::{Markup, html};
use serde_json::json;

fn contract_form(
    caller: &Caller,
    communes: &Communes,
    action: &str,
    c: Option<&store::Contract>,
) -> Markup {
    let sfx = action.replace('/', "-");
    let v = |f: fn(&store::Contract) -> String| c.map(f).unwrap_or_default();
    html! {
        form.formulaire method="post" action=(action) {
            (csrf_field(caller))
            (field("nom", &format!("c-nom{sfx}"), "Nom", &v(|c| c.name.clone()), "text", true))
            (communes.field(&format!("c-commune{sfx}"), true, c.map(|c| c.commune_code.as_deref())))
            (field("generation", &format!("c-gen{sfx}"), "Génération (1, 2, 3…)", &v(|c| c.generation.to_string()), "number", true))
            (field("debut", &format!("c-debut{sfx}"), "Début", &v(|c| c.starts_on.to_string()), "date", true))
            (field("fin", &format!("c-fin{sfx}"), "Fin", &v(|c| c.ends_on.to_string()), "date", true))
            (field("territoire", &format!("c-terr{sfx}"), "Territoire", &v(|c| c.territory.clone()), "text", true))
            div.champ { label for=(format!("c-statut{sfx}")) { "Statut" } (select::<ClsStatus>("statut", &format!("c-statut{sfx}"), c.map(|c| c.status.code()), None)) }
            (field("signature", &format!("c-sign{sfx}"), "Signé le", &v(|c| c.signed_on.map(|d| d.to_string()).unwrap_or_default()), "date", false))
            (area("presentation", &format!("c-pres{sfx}"), "Présentation", &v(|c| c.summary.clone().unwrap_or_default()), 3))
            button type="submit" { "Enregistrer le contrat" }
        }
    }
}

fn contract_form_of(caller: &Caller, f: &Params) -> ContractForm {
    ContractForm {
        commune: posted_commune(caller, f),
        name: f.raw("nom").into(),
        generation: f.raw("generation").into(),
        starts_on: f.raw("debut").into(),
        ends_on: f.raw("fin").into(),
        territory: f.raw("territoire").into(),
        status: f.raw("statut").into(),
        signed_on: f.raw("signature").into(),
        summary: f.raw("presentation").into(),
    }
}

async fn render_contracts(
    state: &AppState,
    caller: &Caller,
    notice: Notice,
) -> Result<Markup, WebError> {
    let contracts = store::contracts(state.store(), &reach(caller)).await?;
    let communes = Communes::of(state, caller).await?;
    let mut trees = Vec::new();
    for c in &contracts {
        if let Some(t) = store::tree(state.store(), &reach(caller), c.id).await? {
            trees.push(t);
        }
    }
    let content = html! {
        (notice.render())
        @if trees.is_empty() { p { "Aucun contrat local de santé n'est enregistré." } }
        @for t in &trees {
            @let p = t.progress();
            section.fiche-acteur aria-labelledby=(format!("cls-{}", t.contract.id)) {
                h2 id=(format!("cls-{}", t.contract.id)) { a href=(format!("/cls/{}", t.contract.id)) { (t.contract.name) } }
                p { (t.contract.generation) "e génération, du " (day(t.contract.starts_on)) " au " (day(t.contract.ends_on)) " — " (t.contract.territory) " — " (fr(t.contract.status)) }
                p { (t.axes.len()) " axes, " (p.fiches) " fiches actions." }
                (progress_block(&p))
            }
        }
        @if caller.has(Permission::ClsManage) {
            details.modifier { summary { "Enregistrer un contrat (nouvelle génération)" } (contract_form(caller, &communes, "/cls", None)) }
        }
    };
    Ok(NETWORK.page(state, caller, "Contrat local de santé", "/cls", content))
}

pub(super) async fn contracts_page(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query,
) -> Result<Markup, WebError> {
    render_contracts(&state, &caller, Notice::from_query(&q, MESSAGES)).await
}

pub(super) async fn create_contract(
    State(state): State<AppState>,
    caller: Caller,
    Form(f): Form,
) -> Result<Response, WebError> {
    let form = contract_form_of(&caller, &f);
    take(
        &state,
        &caller,
        Missing::Refused,
        async |tx, reach| -> Taking {
            let id = store::save_contract(tx, reach, None, &form, now()).await?;
            Ok(Taken::audit(
                Action::ClsChanged,
                format!("cls:contrat:{id}"),
                json!({ "creation": true }),
            )
            .then(format!("/cls/{id}"), "contrat"))
        },
        async |reason| render_contracts(&state, &caller, Notice::Refused(reason)).await,
    )
    .await
}

fn indicators_table(a: &AxisTree, with_links: bool) -> Markup {
    let rows: Vec<(&FicheTree, &IndicatorTree)> = a
        .objectives
        .iter()
        .flat_map(|o| o.fiches.iter())
        .flat_map(|f| f.indicators.iter().map(move |i| (f, i)))
        .collect();
    html! {
        @if !rows.is_empty() {
            div.defilement {
                table {
                    caption { "Indicateurs de l'axe" }
                    thead { tr { th scope="col" { "Indicateur" } th scope="col" { "Fiche" } th scope="col" { "Référence" } th scope="col" { "Cible" } th scope="col" { "Dernière mesure" } th scope="col" { "Progression" } } }
                    tbody {
                        @for (f, i) in rows {
                            @let p = i.progress();
                            @let unit = i.indicator.unit.as_deref();
                            tr {
                                th scope="row" { (i.indicator.label) " (" (fr(i.indicator.kind).to_lowercase()) ")" }
                                td { @if with_links { a href=(format!("/cls/fiches/{}", f.fiche.id)) { (f.fiche.number) } } @else { (f.fiche.number) } }
                                td.nombre { (i.indicator.baseline.map(|v| value(v, unit)).unwrap_or_else(|| "—".into())) @if let Some(d) = i.indicator.baseline_on { br; (day(d)) } }
                                td.nombre { (i.indicator.target.map(|v| value(v, unit)).unwrap_or_else(|| "—".into())) @if let Some(d) = i.indicator.target_on { br; (day(d)) } }
                                td.nombre { @if let Some((d, v)) = p.latest { (value(v, unit)) br; (day(d)) } @else { "—" } }
                                td.nombre { (percent(p.ratio)) @if p.reached { br; "cible atteinte" } }
                            }
                        }
                    }
                }
            }
        }
    }
}

async fn render_contract(
    state: &AppState,
    caller: &Caller,
    t: &ContractTree,
    notice: Notice,
) -> Result<Markup, WebError> {
    let full = caller.has(Permission::ClsRead);
    let manage = caller.has(Permission::ClsManage);
    let communes = Communes::of(state, caller).await?;
    let c = &t.contract;
    let total = t.progress();
    let budget: f64 = t.fiches().filter_map(|f| f.fiche.budget).sum();
    let t_day = today();
    let late_reports = t
        .fundings
        .iter()
        .flat_map(|f| f.reports.iter())
        .filter(|r| {
            reminders::report(r.due_on, r.submitted_on, t_day, REPORT_HORIZON_DAYS).is_some()
        })
        .count();
    let objectives: Vec<(i64, String)> = t
        .axes
        .iter()
        .flat_map(|a| {
            a.objectives.iter().map(move |o| {
                (
                    o.objective.id,
                    format!(
                        "{}.{} {}",
                        a.axis.position, o.objective.position, o.objective.title
                    ),
                )
            })
        })
        .collect();
    let content = html! {
        (notice.render())
        // The forms are at the end of a long page: a link to the one most used, first.
        @if manage && !objectives.is_empty() {
            p { a.bouton href="#nouvelle-fiche" { "Nouvelle fiche action" } }
        }
        dl.fiche {
            dt { "Génération" } dd { (c.generation) }
            dt { "Période" } dd { "du " (day(c.starts_on)) " au " (day(c.ends_on)) }
            dt { "Territoire" } dd { (c.territory) }
            dt { "Statut" } dd { (fr(c.status)) @if let Some(s) = c.signed_on { ", signé le " (day(s)) } }
            dt { "Signataires" } dd { @if t.signatories.is_empty() { "—" } @else { (t.signatories.iter().map(|s| s.name.clone()).collect::<Vec<_>>().join(", ")) } }
            @if full { dt { "Budget des fiches" } dd { (money(budget)) } }
        }
        @if let Some(s) = &c.summary { p { (s) } }
        @if full {
            p { a href=(format!("/cls/{}/evaluation.pdf", c.id)) { "Rapport d'évaluation de la génération (PDF)" } " · "
                a href=(format!("/cls/{}/financements", c.id)) { "Suivi des financements" @if late_reports > 0 { " (" (maillage_messages::count(late_reports, "bilan à envoyer", "bilans à envoyer")) ")" } } }
        }
        h2 { "Avancement d'ensemble" }
        (progress_block(&total))
        details { summary { "Méthode" } p { (METHOD) } }
        h2 { "Avancement par axe" }
        ol.axes {
            @for a in &t.axes {
                @let p = a.progress();
                li {
                    h3 { "Axe " (a.axis.position) " — " (a.axis.title) }
                    @if let Some(d) = &a.axis.description { p { (d) } }
                    (progress_block(&p))
                    @if full {
                        @for o in &a.objectives {
                            h4 { "Objectif " (a.axis.position) "." (o.objective.position) " — " (o.objective.title) }
                            @if o.fiches.is_empty() { p { "Aucune fiche action." } }
                            ul { @for f in &o.fiches { li { a href=(format!("/cls/fiches/{}", f.fiche.id)) { "Fiche " (f.fiche.number) " — " (f.fiche.title) } " — " (fr(f.fiche.status)) ", pilote : " (f.fiche.pilot) } } }
                        }
                    }
                    (indicators_table(a, full))
                }
            }
        }
        @if manage {
            h2 { "Tenir le contrat" }
            details.modifier {
                summary { "Ajouter un axe" }
                form.formulaire method="post" action=(format!("/cls/{}/axes", c.id)) {
                    (csrf_field(caller))
                    (field("titre", "ax-titre", "Titre de l'axe", "", "text", true))
                    (area("description", "ax-desc", "Description", "", 2))
                    button type="submit" { "Ajouter l'axe" }
                }
            }
            @if !t.axes.is_empty() {
                details.modifier {
                    summary { "Ajouter un objectif" }
                    form.formulaire method="post" action=(format!("/cls/{}/objectifs", c.id)) {
                        (csrf_field(caller))
                        div.champ { label for="ob-axe" { "Axe" } select name="axe" id="ob-axe" { @for a in &t.axes { option value=(a.axis.id) { (a.axis.position) ". " (a.axis.title) } } } }
                        (field("objectif", "ob-titre", "Objectif", "", "text", true))
                        button type="submit" { "Ajouter l'objectif" }
                    }
                }
            }
            @if !objectives.is_empty() {
                details.modifier {
                    summary { "Ajouter une fiche action" }
                    // A link to an element inside a closed `details` opens it (HTML's ancestor revealing).
                    div #nouvelle-fiche { (fiche_form(caller, &format!("/cls/{}/fiches", c.id), None, Some(&objectives))) }
                }
            }
            details.modifier {
                summary { "Ajouter un signataire" }
                form.formulaire method="post" action=(format!("/cls/{}/signataires", c.id)) {
                    (csrf_field(caller))
                    (field("signataire", "sg-nom", "Signataire (organisme)", "", "text", true))
                    (field("represente_par", "sg-par", "Représenté par", "", "text", false))
                    (field("signature", "sg-date", "Signé le", "", "date", false))
                    button type="submit" { "Ajouter le signataire" }
                }
            }
            details.modifier { summary { "Modifier le contrat" } (contract_form(caller, &communes, &format!("/cls/{}", c.id), Some(c))) }
        }
    };
    Ok(NETWORK.page(state, caller, &c.name, "/cls", content))
}

pub(super) async fn load_tree(
    state: &AppState,
    caller: &Caller,
    id: &str,
) -> Result<ContractTree, WebError> {
    store::tree(state.store(), &reach(caller), id_of(id)?)
        .await?
        .ok_or(WebError::NotFound)
}

pub(super) async fn contract_page(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Query(q): Query,
) -> Result<Markup, WebError> {
    let t = load_tree(&state, &caller, &id).await?;
    render_contract(&state, &caller, &t, Notice::from_query(&q, MESSAGES)).await
}

/// Takes a change made from a contract's page: audited on the contract, back to its page, or the page again.
async fn on_contract(
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
            .then(format!("/cls/{}", t.contract.id), code))
        },
        async |reason| render_contract(state, caller, t, Notice::Refused(reason)).await,
    )
    .await
}

pub(super) async fn update_contract(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Form(f): Form,
) -> Result<Response, WebError> {
    let t = load_tree(&state, &caller, &id).await?;
    let form = contract_form_of(&caller, &f);
    on_contract(
        &state,
        &caller,
        &t,
        "contrat",
        json!({ "modification": true, "statut": form.status }),
        async |tx, reach| {
            store::save_contract(tx, reach, Some(t.contract.id), &form, now())
                .await
                .map(drop)
        },
    )
    .await
}

pub(super) async fn add_signatory(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Form(f): Form,
) -> Result<Response, WebError> {
    let t = load_tree(&state, &caller, &id).await?;
    on_contract(
        &state,
        &caller,
        &t,
        "signataire",
        json!({ "signataire": "ajout" }),
        async |tx, reach| {
            store::add_signatory(
                tx,
                reach,
                t.contract.id,
                f.raw("signataire"),
                f.raw("represente_par"),
                f.raw("signature"),
            )
            .await
            .map(drop)
        },
    )
    .await
}

pub(super) async fn add_axis(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Form(f): Form,
) -> Result<Response, WebError> {
    let t = load_tree(&state, &caller, &id).await?;
    on_contract(
        &state,
        &caller,
        &t,
        "axe",
        json!({ "axe": "ajout" }),
        async |tx, reach| {
            store::save_axis(
                tx,
                reach,
                None,
                t.contract.id,
                f.raw("titre"),
                f.raw("description"),
            )
            .await
            .map(drop)
        },
    )
    .await
}

pub(super) async fn add_objective(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Form(f): Form,
) -> Result<Response, WebError> {
    let t = load_tree(&state, &caller, &id).await?;
    let axis = f
        .get("axe")
        .and_then(|a| a.parse::<i64>().ok())
        .filter(|a| t.axes.iter().any(|x| x.axis.id == *a));
    on_contract(
        &state,
        &caller,
        &t,
        "objectif",
        json!({ "objectif": "ajout" }),
        async |tx, reach| {
            let axis = axis.ok_or(maillage_network::NetworkError::Field(
                maillage_network::FieldError::MissingField { field: "axe" },
            ))?;
            store::save_objective(tx, reach, None, axis, f.raw("objectif"))
                .await
                .map(drop)
        },
    )
    .await
}

pub(super) fn fiche_form_of(f: &Params) -> FicheForm {
    FicheForm {
        number: f.raw("numero").into(),
        title: f.raw("titre").into(),
        description: f.raw("description").into(),
        pilot: f.raw("pilote").into(),
        copilots: f.raw("copilotes").into(),
        partners: f.raw("partenaires").into(),
        target_public: f.raw("public_cible").into(),
        territory: f.raw("territoire").into(),
        budget: f.raw("budget").into(),
        starts_on: f.raw("debut").into(),
        ends_on: f.raw("fin").into(),
        status: f.raw("statut").into(),
        nature: f.raw("nature").into(),
    }
}

pub(super) fn fiche_form(
    caller: &Caller,
    action: &str,
    fiche: Option<&store::Fiche>,
    objectives: Option<&[(i64, String)]>,
) -> Markup {
    let sfx = action.replace('/', "-");
    let v = |f: fn(&store::Fiche) -> String| fiche.map(f).unwrap_or_default();
    html! {
        form.formulaire method="post" action=(action) {
            (csrf_field(caller))
            @if let Some(obs) = objectives {
                div.champ { label for=(format!("f-obj{sfx}")) { "Objectif" } select name="objectif" id=(format!("f-obj{sfx}")) { @for (id, label) in obs { option value=(id) { (label) } } } }
            }
            (field("numero", &format!("f-num{sfx}"), "Numéro (1.2.3)", &v(|f| f.number.clone()), "text", true))
            (field("titre", &format!("f-titre{sfx}"), "Intitulé", &v(|f| f.title.clone()), "text", true))
            (area("description", &format!("f-desc{sfx}"), "Description, données de contexte", &v(|f| f.description.clone().unwrap_or_default()), 3))
            (field("pilote", &format!("f-pilote{sfx}"), "Pilote", &v(|f| f.pilot.clone()), "text", true))
            (field("copilotes", &format!("f-copil{sfx}"), "Co-pilotes", &v(|f| f.copilots.clone().unwrap_or_default()), "text", false))
            (area("partenaires", &format!("f-part{sfx}"), "Partenaires", &v(|f| f.partners.clone().unwrap_or_default()), 2))
            (field("public_cible", &format!("f-public{sfx}"), "Public cible", &v(|f| f.target_public.clone().unwrap_or_default()), "text", false))
            (field("territoire", &format!("f-terr{sfx}"), "Territoire", &v(|f| f.territory.clone().unwrap_or_default()), "text", false))
            (field("budget", &format!("f-budget{sfx}"), "Budget (€)", &v(|f| f.budget.map(|b| b.to_string()).unwrap_or_default()), "text", false))
            (field("debut", &format!("f-debut{sfx}"), "Début", &v(|f| f.starts_on.map(|d| d.to_string()).unwrap_or_default()), "date", false))
            (field("fin", &format!("f-fin{sfx}"), "Fin", &v(|f| f.ends_on.map(|d| d.to_string()).unwrap_or_default()), "date", false))
            div.champ { label for=(format!("f-statut{sfx}")) { "Statut" } (select::<FicheStatus>("statut", &format!("f-statut{sfx}"), fiche.map(|f| f.status.code()), None)) }
            div.champ { label for=(format!("f-nature{sfx}")) { "Nature" } (select::<FicheNature>("nature", &format!("f-nature{sfx}"), fiche.map(|f| f.nature.code()).or(Some("nouvelle")), None)) }
            button type="submit" { "Enregistrer la fiche" }
        }
    }
}

pub(super) async fn add_fiche(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Form(f): Form,
) -> Result<Response, WebError> {
    let t = load_tree(&state, &caller, &id).await?;
    let objective = f
        .get("objectif")
        .and_then(|o| o.parse::<i64>().ok())
        .filter(|o| {
            t.axes
                .iter()
                .any(|a| a.objectives.iter().any(|x| x.objective.id == *o))
        });
    let form = fiche_form_of(&f);
    take(
        &state,
        &caller,
        Missing::Refused,
        async |tx, reach| -> Taking {
            let o = objective.ok_or(maillage_network::NetworkError::Field(
                maillage_network::FieldError::MissingField { field: "objectif" },
            ))?;
            let fid =
                store::save_fiche(tx, reach, None, o, &form, &caller.account.identifier, now())
                    .await?;
            Ok(Taken::audit(
                Action::ClsChanged,
                format!("cls:fiche:{fid}"),
                json!({ "creation": true }),
            )
            .then(format!("/cls/fiches/{fid}"), "fiche"))
        },
        async |reason| render_contract(&state, &caller, &t, Notice::Refused(reason)).await,
    )
    .await
}

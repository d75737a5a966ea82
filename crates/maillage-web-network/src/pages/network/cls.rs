//! The Contrat local de santé (`/cls`): contracts by generation, their dashboard of progress by axis (shared,
//! aggregated: partners see it too), fiches actions with their funders, indicators and dated measures (linked
//! to the observatory's indicators where relevant), and the funding tracker with its report deadlines.
//!
//! Progress is computed by `maillage_network::progress`: the share of fiches carried out and the mean progress of
//! indicators from baseline to target, kept apart and both explained on the page.

use super::{
    CLS_MANAGE, CLS_READ, CLS_SHARED, Communes, Notice, area, begin, commit, day, done, field, fr,
    page, percent, posted_commune, reach, refusal, refused, select, today,
};
use axum::extract::{Path, State};
use axum::http::Method;
use axum::response::Response;
use maillage_indicators::IndicatorRow;
use maillage_network::codes::{
    ClsStatus, FicheNature, FicheStatus, FundingScheme, FundingStatus, IndicatorKind,
};
use maillage_network::progress::AxisProgress;
use maillage_network::reminders::{self, Due};
use maillage_network::{Coded, Date};
use maillage_store::audit::Action;
use maillage_store::network::cls::{
    self as store, AxisTree, ContractForm, ContractTree, FicheForm, FicheTree, FundingForm,
    IndicatorForm, IndicatorTree, ObservatoryLink,
};
use maillage_web_kit::auth::Caller;
use maillage_web_kit::error::WebError;
use maillage_web_kit::layout::{self, csrf_field};
use maillage_web_kit::params::{Form, Params, Query};
use maillage_web_kit::permissions::Permission;
use maillage_web_kit::routes::Routes;
use maillage_web_kit::state::AppState;
use maud::{Markup, html};
use serde_json::json;

pub fn routes(r: Routes) -> Routes {
    r.page(Method::GET, "/cls", CLS_SHARED, contracts_page)
        .page(Method::POST, "/cls", CLS_MANAGE, create_contract)
        .page(Method::GET, "/cls/{id}", CLS_SHARED, contract_page)
        .page(Method::POST, "/cls/{id}", CLS_MANAGE, update_contract)
        .page(
            Method::POST,
            "/cls/{id}/signataires",
            CLS_MANAGE,
            add_signatory,
        )
        .page(Method::POST, "/cls/{id}/axes", CLS_MANAGE, add_axis)
        .page(
            Method::POST,
            "/cls/{id}/objectifs",
            CLS_MANAGE,
            add_objective,
        )
        .page(Method::POST, "/cls/{id}/fiches", CLS_MANAGE, add_fiche)
        .page(
            Method::GET,
            "/cls/{id}/financements",
            CLS_READ,
            funding_page,
        )
        .page(
            Method::POST,
            "/cls/{id}/financements",
            CLS_MANAGE,
            add_funding,
        )
        .page(
            Method::POST,
            "/cls/financements/{id}/bilans",
            CLS_MANAGE,
            add_report,
        )
        .page(Method::POST, "/cls/bilans/{id}", CLS_MANAGE, submit_report)
        .page(Method::GET, "/cls/fiches/{id}", CLS_READ, fiche_page)
        .page(Method::POST, "/cls/fiches/{id}", CLS_MANAGE, update_fiche)
        .page(
            Method::POST,
            "/cls/fiches/{id}/financeurs",
            CLS_MANAGE,
            add_funder,
        )
        .page(
            Method::POST,
            "/cls/fiches/{id}/indicateurs",
            CLS_MANAGE,
            add_indicator,
        )
        .page(
            Method::POST,
            "/cls/indicateurs/{id}/mesures",
            CLS_MANAGE,
            add_measure,
        )
}

/// Days ahead a report is shown as coming due.
pub(crate) const REPORT_HORIZON_DAYS: i64 = 30;

const MESSAGES: &[(&str, &str)] = &[
    ("contrat", "le contrat est enregistré."),
    ("signataire", "le signataire est ajouté."),
    ("axe", "l'axe est ajouté."),
    ("objectif", "l'objectif est ajouté."),
    ("fiche", "la fiche action est enregistrée."),
    ("financeur", "le financeur est ajouté."),
    ("indicateur", "l'indicateur est enregistré."),
    ("mesure", "la mesure est enregistrée."),
    ("financement", "le financement est enregistré."),
    ("bilan", "le bilan est enregistré."),
];

fn id_of(s: &str) -> Result<i64, WebError> {
    s.parse().map_err(|_| WebError::NotFound)
}

fn money(v: f64) -> String {
    format!("{} €", layout::number(v, 0))
}

fn value(v: f64, unit: Option<&str>) -> String {
    let decimals = if v.fract().abs() < 1e-9 { 0 } else { 1 };
    match unit {
        Some(u) if !u.is_empty() => format!("{} {u}", layout::number(v, decimals)),
        _ => layout::number(v, decimals),
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Progress.

fn bar(label: &str, v: Option<f64>) -> Markup {
    html! {
        div.barre {
            @match v {
                Some(x) => { meter min="0" max="100" value=(format!("{:.0}", x * 100.0)) aria-label=(label) { (percent(Some(x))) } span { (percent(Some(x))) } }
                None => { span { "non mesurable" } }
            }
        }
    }
}

fn progress_block(p: &AxisProgress) -> Markup {
    html! {
        p { strong { "Réalisation des fiches actions" } } (bar("Réalisation des fiches actions", p.realisation))
        p.aide {
            (p.fiches) " fiche(s) : " (p.done) " réalisée(s), " (p.in_progress) " en cours, " (p.not_started) " à lancer"
            @if p.postponed > 0 { ", " (p.postponed) " reportée(s)" } @if p.dropped > 0 { ", " (p.dropped) " abandonnée(s)" } "."
        }
        p { strong { "Atteinte des cibles des indicateurs" } } (bar("Atteinte des cibles des indicateurs", p.targets))
        p.aide { (p.indicators_measured) " indicateur(s) mesuré(s) sur " (p.indicators) ", " (p.indicators_reached) " cible(s) atteinte(s)." }
    }
}

const METHOD: &str = "Réalisation : part des fiches actions réalisées (une fiche en cours compte pour moitié, une fiche abandonnée n'est pas comptée). \
     Atteinte des cibles : pour chaque indicateur qui a une valeur de référence, une cible et au moins une mesure, (dernière mesure − référence) ÷ (cible − référence), \
     ramené entre 0 et 100 %, puis la moyenne des indicateurs. Les deux sont distincts : une action réalisée n'est pas un résultat atteint.";

/// Reports still to send, within the horizon or late: (label, funder, due date, where it stands).
pub(crate) async fn report_reminders(
    state: &AppState,
    caller: &Caller,
) -> Result<Vec<(String, String, Date, Due)>, WebError> {
    let t = today();
    Ok(store::all_reports(state.store(), &reach(caller))
        .await?
        .into_iter()
        .filter_map(|(r, f)| {
            reminders::report(r.due_on, r.submitted_on, t, REPORT_HORIZON_DAYS)
                .map(|d| (r.label, f.funder, r.due_on, d))
        })
        .collect())
}

// ---------------------------------------------------------------------------------------------------------------
// Contracts.

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
    Ok(page(
        state,
        caller,
        "Contrat local de santé",
        "/cls",
        content,
    ))
}

async fn contracts_page(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query,
) -> Result<Markup, WebError> {
    render_contracts(&state, &caller, Notice::from_query(&q, MESSAGES)).await
}

async fn create_contract(
    State(state): State<AppState>,
    caller: Caller,
    Form(f): Form,
) -> Result<Response, WebError> {
    let form = contract_form_of(&caller, &f);
    let mut tx = begin(&state, &caller).await?;
    match store::save_contract(&mut tx, &reach(&caller), None, &form, super::now()).await {
        Ok(id) => {
            commit(
                tx,
                &caller,
                Action::ClsChanged,
                &format!("cls:contrat:{id}"),
                json!({ "creation": true }),
            )
            .await?;
            Ok(done(&format!("/cls/{id}"), "contrat"))
        }
        Err(e) => {
            drop(tx);
            let m = refusal(e)?;
            Ok(refused(
                render_contracts(&state, &caller, Notice::Refused(m)).await?,
            ))
        }
    }
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
                a href=(format!("/cls/{}/financements", c.id)) { "Suivi des financements" @if late_reports > 0 { " (" (late_reports) " bilan(s) à envoyer)" } } }
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
                    (fiche_form(caller, &format!("/cls/{}/fiches", c.id), None, Some(&objectives)))
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
    Ok(page(state, caller, &c.name, "/cls", content))
}

async fn load_tree(state: &AppState, caller: &Caller, id: &str) -> Result<ContractTree, WebError> {
    store::tree(state.store(), &reach(caller), id_of(id)?)
        .await?
        .ok_or(WebError::NotFound)
}

async fn contract_page(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Query(q): Query,
) -> Result<Markup, WebError> {
    let t = load_tree(&state, &caller, &id).await?;
    render_contract(&state, &caller, &t, Notice::from_query(&q, MESSAGES)).await
}

/// A change made from a contract's page.
async fn contract_finish(
    state: &AppState,
    caller: &Caller,
    t: &ContractTree,
    tx: maillage_store::change::Change,
    r: Result<(), maillage_store::network::Error>,
    code: &'static str,
    details: serde_json::Value,
) -> Result<Response, WebError> {
    match r {
        Ok(()) => {
            commit(
                tx,
                caller,
                Action::ClsChanged,
                &format!("cls:contrat:{}", t.contract.id),
                details,
            )
            .await?;
            Ok(done(&format!("/cls/{}", t.contract.id), code))
        }
        Err(e) => {
            drop(tx);
            let m = refusal(e)?;
            Ok(refused(
                render_contract(state, caller, t, Notice::Refused(m)).await?,
            ))
        }
    }
}

async fn update_contract(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Form(f): Form,
) -> Result<Response, WebError> {
    let t = load_tree(&state, &caller, &id).await?;
    let form = contract_form_of(&caller, &f);
    let mut tx = begin(&state, &caller).await?;
    let r = async {
        store::save_contract(
            &mut tx,
            &reach(&caller),
            Some(t.contract.id),
            &form,
            super::now(),
        )
        .await
    }
    .await
    .map(drop);
    contract_finish(
        &state,
        &caller,
        &t,
        tx,
        r,
        "contrat",
        json!({ "modification": true, "statut": form.status }),
    )
    .await
}

async fn add_signatory(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Form(f): Form,
) -> Result<Response, WebError> {
    let t = load_tree(&state, &caller, &id).await?;
    let mut tx = begin(&state, &caller).await?;
    let r = async {
        store::add_signatory(
            &mut tx,
            &reach(&caller),
            t.contract.id,
            f.raw("signataire"),
            f.raw("represente_par"),
            f.raw("signature"),
        )
        .await
    }
    .await
    .map(drop);
    contract_finish(
        &state,
        &caller,
        &t,
        tx,
        r,
        "signataire",
        json!({ "signataire": "ajout" }),
    )
    .await
}

async fn add_axis(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Form(f): Form,
) -> Result<Response, WebError> {
    let t = load_tree(&state, &caller, &id).await?;
    let mut tx = begin(&state, &caller).await?;
    let r = async {
        store::save_axis(
            &mut tx,
            &reach(&caller),
            None,
            t.contract.id,
            f.raw("titre"),
            f.raw("description"),
        )
        .await
    }
    .await
    .map(drop);
    contract_finish(&state, &caller, &t, tx, r, "axe", json!({ "axe": "ajout" })).await
}

async fn add_objective(
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
    let mut tx = begin(&state, &caller).await?;
    let r = async {
        let axis = axis.ok_or(maillage_network::NetworkError::MissingField { field: "axe" })?;
        store::save_objective(&mut tx, &reach(&caller), None, axis, f.raw("objectif")).await
    }
    .await
    .map(drop);
    contract_finish(
        &state,
        &caller,
        &t,
        tx,
        r,
        "objectif",
        json!({ "objectif": "ajout" }),
    )
    .await
}

fn fiche_form_of(f: &Params) -> FicheForm {
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

fn fiche_form(
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

async fn add_fiche(
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
    let mut tx = begin(&state, &caller).await?;
    let r = match objective {
        Some(o) => {
            store::save_fiche(
                &mut tx,
                &reach(&caller),
                None,
                o,
                &form,
                &caller.account.identifier,
                super::now(),
            )
            .await
        }
        None => Err(maillage_network::NetworkError::MissingField { field: "objectif" }.into()),
    };
    match r {
        Ok(fid) => {
            commit(
                tx,
                &caller,
                Action::ClsChanged,
                &format!("cls:fiche:{fid}"),
                json!({ "creation": true }),
            )
            .await?;
            Ok(done(&format!("/cls/fiches/{fid}"), "fiche"))
        }
        Err(e) => {
            drop(tx);
            let m = refusal(e)?;
            Ok(refused(
                render_contract(&state, &caller, &t, Notice::Refused(m)).await?,
            ))
        }
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Fiches.

fn observatory_label(code: &str) -> &str {
    match code {
        "effectif" => "Effectif",
        "densite_10000" => "Densité pour 10 000 habitants",
        "densite_100000" => "Densité pour 100 000 habitants",
        "densite_qpv_10000" => "Densité dans les QPV pour 10 000 habitants",
        "densite_hors_qpv_10000" => "Densité hors QPV pour 10 000 habitants",
        "ratio_qpv_hors_qpv" => "Rapport de densité QPV / reste de la commune",
        "part_mg_60_ans_et_plus" => "Part des généralistes de 60 ans et plus (%)",
        other => other,
    }
}

fn profession_label(code: &str) -> &str {
    maillage_indicators::professions::by_code(code).map_or(code, |p| p.label)
}

fn link_code(l: &ObservatoryLink) -> String {
    format!(
        "{}|{}|{}|{}",
        l.indicator, l.profession, l.zone_kind, l.zone_code
    )
}

fn link_label(l: &ObservatoryLink, rows: &[IndicatorRow]) -> String {
    let zone = rows
        .iter()
        .find(|r| r.zone_kind == l.zone_kind && r.zone_code == l.zone_code)
        .map_or(l.zone_code.clone(), |r| r.zone_name.clone());
    format!(
        "{} — {} — {}",
        observatory_label(&l.indicator),
        profession_label(&l.profession),
        zone
    )
}

/// The observatory's current value of a link (None when not computable, or under secrecy).
fn observatory_value(l: &ObservatoryLink, rows: &[IndicatorRow]) -> Option<f64> {
    rows.iter()
        .find(|r| {
            r.indicator.code() == l.indicator
                && r.profession == l.profession
                && r.zone_kind == l.zone_kind
                && r.zone_code == l.zone_code
        })
        .filter(|r| !r.is_secret())
        .and_then(|r| r.value)
}

/// The links offered: the observatory's commune-level indicators for first-recourse professions.
fn link_options(rows: &[IndicatorRow]) -> Vec<ObservatoryLink> {
    const OFFERED: &[&str] = &[
        "densite_10000",
        "densite_qpv_10000",
        "densite_hors_qpv_10000",
        "ratio_qpv_hors_qpv",
        "part_mg_60_ans_et_plus",
    ];
    rows.iter()
        .filter(|r| r.zone_kind == "commune" && OFFERED.contains(&r.indicator.code()))
        .filter(|r| {
            maillage_indicators::professions::by_code(&r.profession)
                .is_some_and(|p| p.recourse == maillage_indicators::professions::Recourse::First)
        })
        .map(|r| ObservatoryLink {
            indicator: r.indicator.code().into(),
            profession: r.profession.clone(),
            zone_kind: r.zone_kind.clone(),
            zone_code: r.zone_code.clone(),
        })
        .collect()
}

async fn observatory_rows(
    state: &AppState,
    caller: &Caller,
) -> Result<Vec<IndicatorRow>, WebError> {
    let secrecy = maillage_web_kit::data::secrecy_for(state, caller, false, None);
    maillage_web_kit::data::indicator_rows(state, caller, secrecy).await
}

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
        @if let Some(d) = &fi.description { (super::paragraphs(d)) }
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
    Ok(page(
        state,
        caller,
        &format!("Fiche {} — {}", fi.number, fi.title),
        "/cls",
        content,
    ))
}

async fn load_fiche(
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

async fn fiche_page(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Query(q): Query,
) -> Result<Markup, WebError> {
    let (t, fid) = load_fiche(&state, &caller, &id).await?;
    let f = t.fiche(fid).ok_or(WebError::NotFound)?;
    render_fiche(&state, &caller, &t, f, Notice::from_query(&q, MESSAGES)).await
}

/// A change made from a fiche's page.
#[allow(clippy::too_many_arguments)]
async fn fiche_finish(
    state: &AppState,
    caller: &Caller,
    t: &ContractTree,
    fid: i64,
    tx: maillage_store::change::Change,
    r: Result<(), maillage_store::network::Error>,
    code: &'static str,
    details: serde_json::Value,
) -> Result<Response, WebError> {
    match r {
        Ok(()) => {
            commit(
                tx,
                caller,
                Action::ClsChanged,
                &format!("cls:fiche:{fid}"),
                details,
            )
            .await?;
            Ok(done(&format!("/cls/fiches/{fid}"), code))
        }
        Err(e) => {
            drop(tx);
            let m = refusal(e)?;
            let f = t.fiche(fid).ok_or(WebError::NotFound)?;
            Ok(refused(
                render_fiche(state, caller, t, f, Notice::Refused(m)).await?,
            ))
        }
    }
}

async fn update_fiche(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Form(f): Form,
) -> Result<Response, WebError> {
    let form = fiche_form_of(&f);
    let by = caller.account.identifier.clone();
    let (t, fid) = load_fiche(&state, &caller, &id).await?;
    let mut tx = begin(&state, &caller).await?;
    // The fiche's objective, from the contract just read as the caller (no SQL here: only the store speaks it).
    let objective = t
        .fiche(fid)
        .map(|f| f.fiche.objective_id)
        .ok_or(WebError::NotFound)?;
    let r = store::save_fiche(
        &mut tx,
        &reach(&caller),
        Some(fid),
        objective,
        &form,
        &by,
        super::now(),
    )
    .await
    .map(drop);
    fiche_finish(
        &state,
        &caller,
        &t,
        fid,
        tx,
        r,
        "fiche",
        json!({ "modification": true, "statut": form.status }),
    )
    .await
}

async fn add_funder(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Form(f): Form,
) -> Result<Response, WebError> {
    let (t, fid) = load_fiche(&state, &caller, &id).await?;
    let mut tx = begin(&state, &caller).await?;
    let r = async {
        store::add_funder(
            &mut tx,
            &reach(&caller),
            fid,
            f.raw("financeur"),
            f.raw("montant"),
        )
        .await
    }
    .await
    .map(drop);
    fiche_finish(
        &state,
        &caller,
        &t,
        fid,
        tx,
        r,
        "financeur",
        json!({ "financeur": "ajout" }),
    )
    .await
}

async fn add_indicator(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Form(f): Form,
) -> Result<Response, WebError> {
    let form = IndicatorForm {
        kind: f.raw("type").into(),
        label: f.raw("libelle").into(),
        unit: f.raw("unite").into(),
        baseline: f.raw("valeur_reference").into(),
        baseline_on: f.raw("date_reference").into(),
        target: f.raw("cible").into(),
        target_on: f.raw("date_cible").into(),
        source: f.raw("source").into(),
        observatory: f.raw("observatoire").into(),
    };
    let (t, fid) = load_fiche(&state, &caller, &id).await?;
    let mut tx = begin(&state, &caller).await?;
    let r = async { store::save_indicator(&mut tx, &reach(&caller), None, fid, &form).await }
        .await
        .map(drop);
    fiche_finish(
        &state,
        &caller,
        &t,
        fid,
        tx,
        r,
        "indicateur",
        json!({ "indicateur": "ajout" }),
    )
    .await
}

async fn add_measure(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Form(f): Form,
) -> Result<Response, WebError> {
    let iid = id_of(&id)?;
    let indicator = store::indicator(state.store(), &reach(&caller), iid)
        .await?
        .ok_or(WebError::NotFound)?;
    let fiche = indicator.fiche_id.to_string();
    let (date, value_text, source) = if f.flag("depuis_observatoire") {
        let link = indicator.observatory.as_ref().ok_or_else(|| {
            WebError::BadRequest(
                "Cet indicateur ne suit pas d'indicateur de l'observatoire.".into(),
            )
        })?;
        let rows = maillage_web_kit::data::indicator_rows(&state, &caller, None).await?;
        let v = observatory_value(link, &rows)
            .map(|v| v.to_string())
            .unwrap_or_default();
        (
            today().to_string(),
            v,
            format!("Observatoire Maillage : {}", link_label(link, &rows)),
        )
    } else {
        (
            f.raw("date_mesure").to_string(),
            f.raw("valeur").to_string(),
            f.raw("source").to_string(),
        )
    };
    let note = f.raw("note").to_string();
    let by = caller.account.identifier.clone();
    let (t, fid) = load_fiche(&state, &caller, &fiche).await?;
    let mut tx = begin(&state, &caller).await?;
    let r = async {
        store::add_measure(
            &mut tx,
            &reach(&caller),
            iid,
            &date,
            &value_text,
            &source,
            &note,
            &by,
            super::now(),
        )
        .await
    }
    .await
    .map(drop);
    fiche_finish(
        &state,
        &caller,
        &t,
        fid,
        tx,
        r,
        "mesure",
        json!({ "indicateur": iid, "date": date }),
    )
    .await
}

// ---------------------------------------------------------------------------------------------------------------
// Funding tracker.

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
    Ok(page(
        state,
        caller,
        &format!("Financements — {}", t.contract.name),
        "/cls",
        content,
    ))
}

async fn funding_page(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Query(q): Query,
) -> Result<Markup, WebError> {
    let t = load_tree(&state, &caller, &id).await?;
    render_funding(&state, &caller, &t, Notice::from_query(&q, MESSAGES)).await
}

async fn funding_finish(
    state: &AppState,
    caller: &Caller,
    t: &ContractTree,
    tx: maillage_store::change::Change,
    r: Result<(), maillage_store::network::Error>,
    code: &'static str,
    details: serde_json::Value,
) -> Result<Response, WebError> {
    match r {
        Ok(()) => {
            commit(
                tx,
                caller,
                Action::ClsChanged,
                &format!("cls:contrat:{}", t.contract.id),
                details,
            )
            .await?;
            Ok(done(&format!("/cls/{}/financements", t.contract.id), code))
        }
        Err(e) => {
            drop(tx);
            let m = refusal(e)?;
            Ok(refused(
                render_funding(state, caller, t, Notice::Refused(m)).await?,
            ))
        }
    }
}

async fn add_funding(
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
    let mut tx = begin(&state, &caller).await?;
    let r = async {
        store::save_funding(
            &mut tx,
            &reach(&caller),
            None,
            t.contract.id,
            &form,
            super::now(),
        )
        .await
    }
    .await
    .map(drop);
    funding_finish(
        &state,
        &caller,
        &t,
        tx,
        r,
        "financement",
        json!({ "financement": "ajout" }),
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

async fn add_report(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Form(f): Form,
) -> Result<Response, WebError> {
    let fid = id_of(&id)?;
    let t = contract_of_funding(&state, &caller, fid).await?;
    let mut tx = begin(&state, &caller).await?;
    let r = async {
        store::add_report(
            &mut tx,
            &reach(&caller),
            fid,
            f.raw("bilan"),
            f.raw("echeance"),
        )
        .await
    }
    .await
    .map(drop);
    funding_finish(
        &state,
        &caller,
        &t,
        tx,
        r,
        "bilan",
        json!({ "bilan": "ajout", "financement": fid }),
    )
    .await
}

async fn submit_report(
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
    let mut tx = begin(&state, &caller).await?;
    let r =
        async { store::submit_report(&mut tx, &reach(&caller), rid, f.raw("date_envoi")).await }
            .await
            .map(drop);
    funding_finish(
        &state,
        &caller,
        &t,
        tx,
        r,
        "bilan",
        json!({ "bilan": rid, "envoye": f.raw("date_envoi") }),
    )
    .await
}

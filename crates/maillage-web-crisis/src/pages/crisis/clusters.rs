//! Clusters in municipal facilities and sensitive sites (schools, EHPAD, foyers...): cases counted by place and
//! day (never individual cases), the status each place has under the 7-day threshold and 14-day activity rules
//! (settings), statuses set by the cell, and the ARS recommendations and the mayor's decisions about the place,
//! recorded separately in the main courante.

use super::{
    CHOOSE, CRISIS, MANAGE, Missing, Notice, READ, Taken, Taking, chosen_commune, commune_field,
    communes, day, form_again, fr, local, reach, select, take,
};
use crate::data::crisis::cluster_overview;
use axum::extract::{Path, State};
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use maillage_crisis::cell::LogKind;
use maillage_crisis::clusters::{ClusterStatus, Rules, SiteKind, State as SiteState};
use maillage_crisis::{Coded, CrisisError, fields};
use maillage_store::audit::Action;
use maillage_store::crisis::{self as store, Error, cell, clusters};
use maillage_store::reach::Territorywide;
use maillage_web_kit::auth::Caller;
use maillage_web_kit::error::WebError;
use maillage_web_kit::layout::csrf_field;
use maillage_web_kit::params::{Form, Query};
use maillage_web_kit::permissions::Permission;
use maillage_web_kit::routes::Routes;
use maillage_web_kit::state::AppState;
use maud::{Markup, html};
use serde_json::json;

pub fn routes(r: Routes) -> Routes {
    r.page(Method::GET, "/crise/clusters", READ, clusters_page)
        .page(Method::POST, "/crise/clusters", MANAGE, add_site)
        .page(Method::POST, "/crise/clusters/regles", MANAGE, set_rules)
        .page(Method::POST, "/crise/clusters/{id}/cas", MANAGE, set_cases)
        .page(
            Method::POST,
            "/crise/clusters/{id}/statut",
            MANAGE,
            set_status,
        )
        .page(
            Method::POST,
            "/crise/clusters/{id}/decision",
            MANAGE,
            decision,
        )
}

const MESSAGES: &[(&str, &str)] = &[
    ("lieu", "le lieu est suivi."),
    ("cas", "le nombre de cas est enregistré."),
    ("statut", "le statut est enregistré."),
    ("decision", "l'entrée est inscrite dans la main courante."),
    ("regles", "les règles sont enregistrées."),
];

fn state_text(s: &SiteState) -> Markup {
    match s {
        SiteState::Calme => html! { "aucun cas récent" },
        SiteState::Surveillance { cases } => {
            html! { "sous surveillance (" (cases) " cas récents, sous le seuil)" }
        }
        SiteState::Actif(e) => html! {
            strong { "cluster actif" } " — détecté le " (day(e.detected_on)) ", " (e.cases) " cas depuis le " (day(e.first_case))
            ", dernier cas le " (day(e.last_case)) " ; clos le " (day(e.closes_on)) " sans nouveau cas"
        },
        SiteState::Clos(e) => {
            html! { "cluster clos le " (day(e.closes_on)) " (" (e.cases) " cas)" }
        }
    }
}

async fn clusters_page(
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
    let now = super::now();
    let rules = store::cluster_rules(state.store()).await?;
    let lines = cluster_overview(state, &caller.scope(), now).await?;
    let manage = caller.has(Permission::CrisisManage);
    let reach = reach(caller);
    let choices = communes(state, caller, Territorywide::Shared).await?;
    let today = store::today(now);
    let mut logs = Vec::new();
    for l in &lines {
        logs.push(cell::log(state.store(), &reach, Some(l.site.id), 20).await?);
    }
    let content = html! {
        (notice.render())
        p { "Règles en vigueur : un cluster est d'au moins " strong { (rules.threshold) " cas" } " confirmés ou probables en "
            (rules.window_days) " jours glissants dans un même lieu ; il reste actif tant qu'un cas a été identifié dans les "
            (rules.active_days) " derniers jours. La commune ne fait pas de recherche de contacts et ne garde que des nombres de cas par lieu. "
            "Seul le maire décide de la fermeture d'un équipement municipal ; l'ARS recommande : les deux s'inscrivent séparément." }
        @if lines.is_empty() { p { "Aucun lieu suivi." } }
        @for (l, log) in lines.iter().zip(&logs) {
            section {
                h2 { (l.site.name) }
                p { (fr(l.site.kind)) @if l.site.municipal { " — équipement dont le maire est l'autorité de gestion" }
                    @if let Some(a) = &l.site.address { " — " (a) }
                    @if choices.has_choice() { " — " (choices.name_of(l.site.commune_code.as_deref())) } }
                p { "Statut : " strong { @if let Some(s) = l.status { (fr(s)) } @else { "pas de cluster" } } " — " (state_text(&l.state)) }
                p { (l.cases_7) " cas sur " (rules.window_days) " jours, " (l.cases_14) " sur " (rules.active_days) " jours." }
                @if !log.is_empty() {
                    ul { @for e in log { li { (local(&e.at)) " — " strong { (fr(e.kind)) } @if let Some(a) = &e.author { " (" (a) ")" } " : " (e.text) } } }
                }
                @if manage && reach.may_assign(l.site.commune_code.as_deref()) {
                    details.pas-imprime {
                        summary { "Enregistrer des cas, un statut, une recommandation ou une décision" }
                        form.filtres method="post" action=(format!("/crise/clusters/{}/cas", l.site.id)) {
                            (csrf_field(caller))
                            div.champ { label for=(format!("j-{}", l.site.id)) { "Jour" } input type="date" name="jour" id=(format!("j-{}", l.site.id)) value=(today.to_string()) required; }
                            div.champ { label for=(format!("n-{}", l.site.id)) { "Nouveaux cas identifiés ce jour" } input type="number" min="0" step="1" name="cas" id=(format!("n-{}", l.site.id)) required; }
                            button type="submit" { "Enregistrer les cas" }
                        }
                        @if l.active() {
                            form.filtres method="post" action=(format!("/crise/clusters/{}/statut", l.site.id)) {
                                (csrf_field(caller))
                                div.champ { label for=(format!("s-{}", l.site.id)) { "Statut" } (select::<ClusterStatus>("statut", &format!("s-{}", l.site.id), l.status.map(|s| s.code()), None)) }
                                div.champ { label for=(format!("sn-{}", l.site.id)) { "Note" } input type="text" name="note" id=(format!("sn-{}", l.site.id)); }
                                button type="submit" { "Changer le statut" }
                            }
                        }
                        form.formulaire method="post" action=(format!("/crise/clusters/{}/decision", l.site.id)) {
                            (csrf_field(caller))
                            div.champ {
                                label for=(format!("dt-{}", l.site.id)) { "Nature" }
                                select name="type" id=(format!("dt-{}", l.site.id)) {
                                    @for k in [LogKind::Recommandation, LogKind::Decision, LogKind::Fermeture, LogKind::Reouverture, LogKind::Arrete, LogKind::Information] {
                                        option value=(k.code()) { (fr(k)) }
                                    }
                                }
                            }
                            div.champ { label for=(format!("da-{}", l.site.id)) { "Par (ARS, Mme la Maire…)" } input type="text" name="auteur" id=(format!("da-{}", l.site.id)) required; }
                            div.champ { label for=(format!("dx-{}", l.site.id)) { "Texte" } textarea name="texte" id=(format!("dx-{}", l.site.id)) required {} }
                            button type="submit" { "Inscrire" }
                        }
                    }
                }
            }
        }
        @if manage {
            h2 { "Suivre un lieu" }
            form.formulaire method="post" action="/crise/clusters" {
                (csrf_field(caller))
                (commune_field(&choices, "l-commune", None))
                div.champ { label for="l-nom" { "Nom" } input type="text" name="nom" id="l-nom" required; }
                div.champ { label for="l-type" { "Type" } (select::<SiteKind>("type", "l-type", None, Some(CHOOSE))) }
                div.champ { label for="l-adresse" { "Adresse" } input type="text" name="adresse" id="l-adresse"; }
                div.case { input type="checkbox" name="municipal" id="l-municipal" value="oui"; label for="l-municipal" { "Le maire est l'autorité de gestion (équipement municipal, école…)" } }
                button type="submit" { "Suivre ce lieu" }
            }
            h2 { "Règles" }
            form.formulaire.filtres method="post" action="/crise/clusters/regles" {
                (csrf_field(caller))
                div.champ { label for="r-seuil" { "Cas pour un cluster (au moins)" } input type="number" min="1" max="100" name="seuil" id="r-seuil" value=(rules.threshold); }
                div.champ { label for="r-fenetre" { "En combien de jours" } input type="number" min="1" max="60" name="fenetre" id="r-fenetre" value=(rules.window_days); }
                div.champ { label for="r-actif" { "Actif tant qu'un cas date de moins de (jours)" } input type="number" min="1" max="90" name="actif" id="r-actif" value=(rules.active_days); }
                button type="submit" { "Enregistrer les règles" }
            }
        }
    };
    Ok((
        notice.status(),
        CRISIS.page(
            state,
            caller,
            "Clusters et lieux sensibles",
            "/crise/clusters",
            content,
        ),
    ))
}

/// The clusters page again with the reason of a refusal.
async fn again(state: &AppState, caller: &Caller, reason: String) -> Result<Markup, WebError> {
    Ok(render(state, caller, Notice::Refused(reason)).await?.1)
}

async fn add_site(
    State(state): State<AppState>,
    caller: Caller,
    Form(f): Form,
) -> Result<Response, WebError> {
    let choices = communes(&state, &caller, Territorywide::Shared).await?;
    take(
        &state,
        &caller,
        Missing::Refused,
        async |tx, reach| -> Taking {
            let kind = maillage_crisis::parse_code::<SiteKind>("type", f.raw("type"))?;
            let commune = chosen_commune(&choices, &f)?;
            let id = clusters::add_site(
                tx,
                reach,
                commune.as_deref(),
                f.raw("nom"),
                kind,
                f.get("adresse"),
                f.flag("municipal"),
                super::now(),
            )
            .await?;
            Ok(Taken::audit(
                Action::CrisisChanged,
                format!("crise:lieu:{id}"),
                json!({ "ajout": kind.code() }),
            )
            .then("/crise/clusters", "lieu"))
        },
        async |reason| again(&state, &caller, reason).await,
    )
    .await
}

async fn set_cases(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Form(f): Form,
) -> Result<Response, WebError> {
    take(
        &state,
        &caller,
        Missing::NotFound,
        async |tx, reach| -> Taking {
            let d = fields::date("jour", f.raw("jour"))?.ok_or(CrisisError::Field(
                maillage_crisis::FieldError::MissingField { field: "jour" },
            ))?;
            let n = fields::integer("cas", f.raw("cas"), i64::MIN, i64::MAX)?.ok_or(
                CrisisError::Field(maillage_crisis::FieldError::MissingField { field: "cas" }),
            )?;
            clusters::set_cases(
                tx,
                reach,
                id,
                d,
                n,
                &caller.account.identifier,
                super::now(),
            )
            .await?;
            Ok(Taken::audit(
                Action::CrisisChanged,
                format!("crise:lieu:{id}"),
                json!({ "jour": d.to_string(), "cas": n }),
            )
            .then("/crise/clusters", "cas"))
        },
        async |reason| again(&state, &caller, reason).await,
    )
    .await
}

async fn set_status(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Form(f): Form,
) -> Result<Response, WebError> {
    let rules = store::cluster_rules(state.store()).await?;
    take(
        &state,
        &caller,
        Missing::NotFound,
        async |tx, reach| -> Taking {
            let status = maillage_crisis::parse_code::<ClusterStatus>("statut", f.raw("statut"))?;
            clusters::set_status(
                tx,
                reach,
                id,
                status,
                f.get("note"),
                &rules,
                &caller.account.identifier,
                super::now(),
            )
            .await?;
            Ok(Taken::audit(
                Action::CrisisChanged,
                format!("crise:lieu:{id}"),
                json!({ "statut": status.code() }),
            )
            .then("/crise/clusters", "statut"))
        },
        async |reason| again(&state, &caller, reason).await,
    )
    .await
}

async fn decision(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Form(f): Form,
) -> Result<Response, WebError> {
    let kind = match maillage_crisis::parse_code::<LogKind>("type", f.raw("type")) {
        Ok(k) => k,
        Err(e) => {
            return form_again(Error::from(e), Missing::Refused, async |reason| {
                again(&state, &caller, reason).await
            })
            .await;
        }
    };
    let reach = reach(&caller);
    // A place the caller may change (its communes'; the territory's with every commune); the entry is the
    // place's commune's.
    let Some(site) = clusters::site(state.store(), &reach, id)
        .await?
        .filter(|s| reach.may_assign(s.commune_code.as_deref()))
    else {
        return Err(WebError::NotFound);
    };
    take(
        &state,
        &caller,
        Missing::Refused,
        async |tx, reach| -> Taking {
            let now = super::now();
            let entry = cell::NewLogEntry {
                commune: site.commune_code,
                event_id: None,
                site_id: Some(id),
                at: now,
                kind,
                author: f.get("auteur").map(str::to_string),
                text: f.raw("texte").to_string(),
            };
            let entry_id =
                cell::append_log(tx, reach, &entry, &caller.account.identifier, now).await?;
            Ok(Taken::audit(
                Action::CrisisChanged,
                format!("crise:main-courante:{entry_id}"),
                json!({ "lieu": id, "nature": kind.code() }),
            )
            .then("/crise/clusters", "decision"))
        },
        async |reason| again(&state, &caller, reason).await,
    )
    .await
}

async fn set_rules(
    State(state): State<AppState>,
    caller: Caller,
    Form(f): Form,
) -> Result<Response, WebError> {
    take(
        &state,
        &caller,
        Missing::Refused,
        async |tx, _| -> Taking {
            let get = |name: &'static str| -> Result<i64, Error> {
                Ok(fields::integer(name, f.raw(name), i64::MIN, i64::MAX)?
                    .ok_or(CrisisError::Field(maillage_crisis::FieldError::MissingField { field: name }))?)
            };
            let threshold = get("seuil")?;
            let rules = Rules {
                threshold: u32::try_from(threshold).map_err(|_| CrisisError::Field(maillage_crisis::FieldError::InvalidField {
                    field: "seuil_cluster",
                    expected: "nombre de 1 à 100",
                }))?,
                window_days: get("fenetre")?,
                active_days: get("actif")?,
            };
            rules.check()?;
            maillage_store::settings::set(tx, store::keys::CLUSTER_RULES, &rules).await?;
            Ok(Taken::audit(
                Action::CrisisChanged,
                "crise:regles-clusters",
                json!({ "seuil": rules.threshold, "fenetre": rules.window_days, "actif": rules.active_days }),
            )
            .then("/crise/clusters", "regles"))
        },
        async |reason| again(&state, &caller, reason).await,
    )
    .await
}

//! The crisis cell: the dashboard (`/crise`: events and levels, key figures without names, composition, tasks),
//! the main courante (`/crise/main-courante`) and the one-page situation report (`/crise/point-de-situation`).

use super::{
    CHOOSE, CRISIS, MANAGE, Missing, Notice, READ, Taken, Taking, chosen_commune, commune_field,
    communes, day, fr, local, local_input, reach, select, take,
};
use axum::extract::{Path, State};
use axum::http::Method;
use axum::response::{IntoResponse, Response};
use maillage_crisis::cell::{EventKind, Level, LogKind, MemberKind, TaskStatus, task_late};
use maillage_crisis::{Coded, CrisisError};
use maillage_messages::crisis::level_entry;
use maillage_store::audit::Action;
use maillage_store::crisis::{self as store, cell};
use maillage_store::reach::Territorywide;
use maillage_web_kit::auth::Caller;
use maillage_web_kit::error::WebError;
use maillage_web_kit::layout::{csrf_field, number};
use maillage_web_kit::params::{Form, Params, Query};
use maillage_web_kit::permissions::Permission;
use maillage_web_kit::routes::Routes;
use maillage_web_kit::state::AppState;
use maud::{Markup, html};
use serde_json::json;

pub fn routes(r: Routes) -> Routes {
    r.page(Method::GET, "/crise", READ, dashboard)
        .page(Method::POST, "/crise/evenements", MANAGE, open_event)
        .page(
            Method::POST,
            "/crise/evenements/{id}/niveau",
            MANAGE,
            set_level,
        )
        .page(Method::POST, "/crise/membres", MANAGE, add_member)
        .page(Method::POST, "/crise/taches", MANAGE, add_task)
        .page(Method::POST, "/crise/taches/{id}", MANAGE, set_task)
        .page(Method::GET, "/crise/main-courante", READ, log_page)
        .page(Method::POST, "/crise/main-courante", MANAGE, append_log)
        .page(Method::GET, "/crise/point-de-situation", READ, report)
}

const MESSAGES: &[(&str, &str)] = &[
    (
        "evenement",
        "l'événement est ouvert et inscrit dans la main courante.",
    ),
    (
        "niveau",
        "le niveau est changé et inscrit dans la main courante.",
    ),
    ("cloture", "l'événement est clos."),
    (
        "membre",
        "la personne est ajoutée à la composition de la cellule.",
    ),
    ("tache", "la tâche est enregistrée."),
    ("statut", "le statut de la tâche est changé."),
    (
        "main-courante",
        "l'entrée est inscrite dans la main courante.",
    ),
];

fn level_badge(level: Level) -> Markup {
    html! { span class=(format!("niveau niveau-{}", level.code())) { "Niveau : " (fr(level)) } }
}

async fn dashboard(
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
) -> Result<(axum::http::StatusCode, Markup), WebError> {
    let st = state.store();
    let now = super::now();
    let reach = reach(caller);
    let events = cell::events(st, &reach).await?;
    let open: Vec<&cell::Event> = events.iter().filter(|e| e.closed_at.is_none()).collect();
    let alert = open.iter().any(|e| e.level.is_alert());
    let members = cell::members(st, &reach).await?;
    let tasks = cell::tasks(st, &reach).await?;
    let figures = super::report_figures(state, &caller.scope(), now).await?;
    let manage = caller.has(Permission::CrisisManage);
    let choices = communes(state, caller, Territorywide::Shared).await?;
    // A commune account reads the territory's cell but changes only its communes' records.
    let changes = |commune: Option<&str>| manage && reach.may_assign(commune);
    let content = html! {
        (notice.render())
        @if alert {
            div.message.erreur role="status" { p { strong { "Alerte en cours. " } "Le registre peut être transmis au préfet et les campagnes d'appels lancées." } }
        } @else {
            div.message.info role="status" { p { strong { "Aucune alerte en cours. " } "Niveau de veille ou aucun événement ouvert." } }
        }
        p.pas-imprime { a href="/crise/point-de-situation" { "Point de situation imprimable" } }

        h2 { "Événements suivis" }
        @if open.is_empty() { p { "Aucun événement ouvert." } }
        @for e in &open {
            section.evenement {
                h3 { (e.title) " (" (fr(e.kind)) ")" }
                p {
                    (level_badge(e.level)) " · ouvert le " (local(&e.opened_at)) " par " (maillage_web_kit::layout::author(&e.opened_by))
                    @if choices.has_choice() || e.commune_code.is_none() { " · " (choices.name_of(e.commune_code.as_deref())) }
                }
                @if changes(e.commune_code.as_deref()) {
                    form method="post" action=(format!("/crise/evenements/{}/niveau", e.id)) .filtres {
                        (csrf_field(caller))
                        div.champ {
                            label for=(format!("niveau-{}", e.id)) { "Nouveau niveau" }
                            select name="niveau" id=(format!("niveau-{}", e.id)) {
                                option value="" { "— choisir —" }
                                @for l in Level::ALL { option value=(l.code()) { (fr(*l)) } }
                                option value="fin" { "Fin de l'événement" }
                            }
                        }
                        div.champ {
                            label for=(format!("auteur-niveau-{}", e.id)) { "Décidé par" }
                            input type="text" name="auteur" id=(format!("auteur-niveau-{}", e.id)) placeholder="Mme la Maire";
                        }
                        button type="submit" { "Changer le niveau" }
                    }
                }
            }
        }
        @if manage {
            details {
                summary { "Ouvrir un événement" }
                form.formulaire method="post" action="/crise/evenements" {
                    (csrf_field(caller))
                    (commune_field(&choices, "ev-commune", None))
                    div.champ { label for="ev-type" { "Type" } (select::<EventKind>("type", "ev-type", None, Some(CHOOSE))) }
                    div.champ { label for="ev-titre" { "Titre" } input type="text" name="titre" id="ev-titre" required placeholder="Canicule de juillet"; }
                    div.champ { label for="ev-niveau" { "Niveau" } (select::<Level>("niveau", "ev-niveau", Some("veille"), None)) }
                    button type="submit" { "Ouvrir l'événement" }
                }
            }
        }

        h2 { "Chiffres clés" }
        (super::figures_tiles(&figures))

        h2 { "Composition de la cellule et contacts" }
        div.defilement {
            table {
                caption { "Membres de la cellule et contacts extérieurs (point focal ARS, préfecture…)" }
                thead { tr { th scope="col" { "Nom" } th scope="col" { "Fonction" } th scope="col" { "Organisme" } th scope="col" { "Téléphone" } th scope="col" { "Courriel" } th scope="col" { "24 h / 24" } } }
                tbody {
                    @for m in members.iter().filter(|m| m.active) {
                        tr {
                            th scope="row" { (m.name) br; small { (fr(m.kind)) } }
                            td { (m.function) }
                            td { (m.organisation.as_deref().unwrap_or("—")) }
                            td { @if let Some(p) = &m.phone { a href=(format!("tel:{}", p.replace(' ', ""))) { (p) } } @else { "—" } }
                            td { @if let Some(e) = &m.email { a href=(format!("mailto:{e}")) { (e) } } @else { "—" } }
                            td { @if m.always_reachable { "oui" } @else { "non" } }
                        }
                    }
                }
            }
        }
        @if manage {
            details {
                summary { "Ajouter un membre ou un contact" }
                form.formulaire method="post" action="/crise/membres" {
                    (csrf_field(caller))
                    (commune_field(&choices, "m-commune", None))
                    div.champ { label for="m-type" { "Type" } (select::<MemberKind>("type", "m-type", Some("membre"), None)) }
                    div.champ { label for="m-nom" { "Nom" } input type="text" name="nom" id="m-nom" required; }
                    div.champ { label for="m-fonction" { "Fonction" } input type="text" name="fonction" id="m-fonction" required placeholder="Point focal régional de veille sanitaire"; }
                    div.champ { label for="m-organisme" { "Organisme" } input type="text" name="organisme" id="m-organisme"; }
                    div.champ { label for="m-tel" { "Téléphone" } input type="tel" name="telephone" id="m-tel"; }
                    div.champ { label for="m-courriel" { "Courriel" } input type="email" name="courriel" id="m-courriel"; }
                    div.case { input type="checkbox" name="permanent" id="m-permanent" value="oui"; label for="m-permanent" { "Joignable 24 h / 24" } }
                    button type="submit" { "Ajouter" }
                }
            }
        }

        h2 { "Tâches" }
        (tasks_table(caller, &tasks, now.as_second(), &changes))
        @if manage {
            details {
                summary { "Ajouter une tâche" }
                form.formulaire method="post" action="/crise/taches" {
                    (csrf_field(caller))
                    (commune_field(&choices, "t-commune", None))
                    div.champ { label for="t-titre" { "Tâche" } input type="text" name="tache" id="t-titre" required; }
                    div.champ { label for="t-resp" { "Responsable" } input type="text" name="responsable" id="t-resp" required; }
                    div.champ { label for="t-echeance" { "Échéance" } input type="datetime-local" name="echeance" id="t-echeance"; }
                    @if let Some(e) = open.first() { input type="hidden" name="evenement" value=(e.id); }
                    button type="submit" { "Ajouter la tâche" }
                }
            }
        }
    };
    let status = notice.status();
    Ok((
        status,
        CRISIS.page(state, caller, "Cellule de crise", "/crise", content),
    ))
}

/// `changes` tells whether the caller may change a task of a commune.
fn tasks_table(
    caller: &Caller,
    tasks: &[cell::Task],
    now: i64,
    changes: &dyn Fn(Option<&str>) -> bool,
) -> Markup {
    html! {
        @if tasks.is_empty() { p { "Aucune tâche." } }
        @else {
            div.defilement {
                table {
                    caption { "Tâches de la cellule, les plus urgentes d'abord" }
                    thead { tr { th scope="col" { "Tâche" } th scope="col" { "Responsable" } th scope="col" { "Échéance" } th scope="col" { "Statut" } } }
                    tbody {
                        @for t in tasks {
                            @let due = t.due_at.as_deref().and_then(store::parse_instant).map(|d| d.as_second());
                            @let late = task_late(t.status, due, now);
                            tr {
                                th scope="row" { (t.title) }
                                td { (t.owner) }
                                td {
                                    @if let Some(d) = &t.due_at { (local(d)) } @else { "—" }
                                    @if late { " " span.en-retard { "(en retard)" } }
                                }
                                td {
                                    @if changes(t.commune_code.as_deref()) && t.status.is_open() {
                                        form method="post" action=(format!("/crise/taches/{}", t.id)) {
                                            (csrf_field(caller))
                                            label.visuellement-cache for=(format!("statut-{}", t.id)) { "Statut de la tâche" }
                                            (select::<TaskStatus>("statut", &format!("statut-{}", t.id), Some(t.status.code()), None))
                                            " " button type="submit" { "Enregistrer" }
                                        }
                                    } @else {
                                        (fr(t.status))
                                        @if let Some(d) = &t.done_at { " le " (local(d)) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The cell's page again with the reason of a refusal.
async fn again(state: &AppState, caller: &Caller, reason: String) -> Result<Markup, WebError> {
    Ok(render(state, caller, Notice::Refused(reason)).await?.1)
}

/// A time typed in a `datetime-local` field (French time), when one is given.
fn typed_time(value: Option<&str>) -> Result<Option<jiff::Timestamp>, CrisisError> {
    value
        .map(|v| {
            local_input(v).ok_or(CrisisError::Field(
                maillage_crisis::FieldError::InvalidField {
                    field: "heure",
                    expected: "date et heure",
                },
            ))
        })
        .transpose()
}

async fn open_event(
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
            let kind = maillage_crisis::parse_code::<EventKind>("type", f.raw("type"))?;
            let level = maillage_crisis::parse_code::<Level>("niveau", f.raw("niveau"))?;
            let commune = chosen_commune(&choices, &f)?;
            let id = cell::open_event(
                tx,
                reach,
                commune.as_deref(),
                kind,
                f.raw("titre"),
                level,
                &caller.account.identifier,
                super::now(),
                level_entry,
            )
            .await?;
            Ok(Taken::audit(
                Action::CrisisChanged,
                format!("crise:evenement:{id}"),
                json!({ "ouverture": kind.code(), "niveau": level.code() }),
            )
            .then("/crise", "evenement"))
        },
        async |reason| again(&state, &caller, reason).await,
    )
    .await
}

async fn set_level(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Form(f): Form,
) -> Result<Response, WebError> {
    let author = f.get("auteur");
    let now = super::now();
    take(
        &state,
        &caller,
        Missing::NotFound,
        async |tx, reach| -> Taking {
            let by = &caller.account.identifier;
            let (code, details) = match f.get("niveau") {
                Some("fin") => {
                    cell::close_event(tx, reach, id, author, by, now, level_entry).await?;
                    ("cloture", json!({ "fin": true }))
                }
                value => {
                    let level =
                        maillage_crisis::parse_code::<Level>("niveau", value.unwrap_or(""))?;
                    cell::set_level(tx, reach, id, level, author, by, now, level_entry).await?;
                    ("niveau", json!({ "niveau": level.code() }))
                }
            };
            Ok(Taken::audit(
                Action::CrisisChanged,
                format!("crise:evenement:{id}"),
                details,
            )
            .then("/crise", code))
        },
        async |reason| again(&state, &caller, reason).await,
    )
    .await
}

async fn add_member(
    State(state): State<AppState>,
    caller: Caller,
    Form(f): Form,
) -> Result<Response, WebError> {
    let form = cell::MemberForm {
        kind: f.raw("type").into(),
        name: f.raw("nom").into(),
        function: f.raw("fonction").into(),
        organisation: f.raw("organisme").into(),
        phone: f.raw("telephone").into(),
        email: f.raw("courriel").into(),
        always_reachable: f.flag("permanent"),
    };
    let choices = communes(&state, &caller, Territorywide::Shared).await?;
    take(
        &state,
        &caller,
        Missing::Refused,
        async |tx, reach| -> Taking {
            let commune = chosen_commune(&choices, &f)?;
            let id = cell::add_member(tx, reach, commune.as_deref(), &form, super::now()).await?;
            Ok(Taken::audit(
                Action::CrisisChanged,
                format!("crise:membre:{id}"),
                json!({ "ajout": "membre" }),
            )
            .then("/crise", "membre"))
        },
        async |reason| again(&state, &caller, reason).await,
    )
    .await
}

async fn add_task(
    State(state): State<AppState>,
    caller: Caller,
    Form(f): Form,
) -> Result<Response, WebError> {
    let event = f.integer("evenement")?;
    let choices = communes(&state, &caller, Territorywide::Shared).await?;
    take(
        &state,
        &caller,
        Missing::Refused,
        async |tx, reach| -> Taking {
            let due = typed_time(f.get("echeance"))?;
            let commune = chosen_commune(&choices, &f)?;
            let id = cell::add_task(
                tx,
                reach,
                commune.as_deref(),
                event,
                f.raw("tache"),
                f.raw("responsable"),
                due,
                &caller.account.identifier,
                super::now(),
            )
            .await?;
            Ok(Taken::audit(
                Action::CrisisChanged,
                format!("crise:tache:{id}"),
                json!({ "ajout": "tache" }),
            )
            .then("/crise", "tache"))
        },
        async |reason| again(&state, &caller, reason).await,
    )
    .await
}

async fn set_task(
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
            let status = maillage_crisis::parse_code::<TaskStatus>("statut", f.raw("statut"))?;
            cell::set_task_status(tx, reach, id, status, super::now()).await?;
            Ok(Taken::audit(
                Action::CrisisChanged,
                format!("crise:tache:{id}"),
                json!({ "statut": status.code() }),
            )
            .then("/crise", "statut"))
        },
        async |reason| again(&state, &caller, reason).await,
    )
    .await
}

// ---------------------------------------------------------------------------------------------------------------
// Main courante.

const LOG_MESSAGES: &[(&str, &str)] = &[(
    "main-courante",
    "l'entrée est inscrite dans la main courante.",
)];

async fn log_page(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query,
) -> Result<Response, WebError> {
    let notice = Notice::from_query(&q, LOG_MESSAGES);
    Ok(render_log(&state, &caller, notice, None)
        .await?
        .into_response())
}

async fn render_log(
    state: &AppState,
    caller: &Caller,
    notice: Notice,
    typed: Option<&Params>,
) -> Result<(axum::http::StatusCode, Markup), WebError> {
    let st = state.store();
    let reach = reach(caller);
    let entries = cell::log(st, &reach, None, 500).await?;
    let events = cell::events(st, &reach).await?;
    let sites = store::clusters::sites(st, &reach).await?;
    let choices = communes(state, caller, Territorywide::Shared).await?;
    let typed = typed.cloned().unwrap_or_default();
    let content = html! {
        (notice.render())
        p { "Journal horodaté des événements et des décisions de la cellule, et de qui les a prises. Une entrée ne peut \
             plus être modifiée : une correction s'écrit comme une nouvelle entrée. Une recommandation (ARS, préfecture) et \
             la décision du maire s'inscrivent séparément." }
        @if caller.has(Permission::CrisisManage) {
            details open[typed.get("texte").is_some()] {
                summary { "Inscrire une entrée" }
                form.formulaire method="post" action="/crise/main-courante" {
                    (csrf_field(caller))
                    (commune_field(&choices, "l-commune", typed.get("commune")))
                    div.champ { label for="l-type" { "Nature" } (select::<LogKind>("type", "l-type", typed.get("type"), Some(CHOOSE))) }
                    div.champ {
                        label for="l-heure" { "Date et heure des faits" }
                        p.aide { "Laissez vide pour maintenant." }
                        input type="datetime-local" name="heure" id="l-heure" value=(typed.get("heure").unwrap_or(""));
                    }
                    div.champ {
                        label for="l-auteur" { "Décidé ou recommandé par" }
                        p.aide { "Obligatoire pour une décision, un arrêté, une fermeture ou une recommandation (ex. « Mme la Maire », « ARS, délégation départementale »)." }
                        input type="text" name="auteur" id="l-auteur" value=(typed.get("auteur").unwrap_or(""));
                    }
                    div.champ { label for="l-texte" { "Texte" } textarea name="texte" id="l-texte" required { (typed.get("texte").unwrap_or("")) } }
                    @if !events.is_empty() {
                        div.champ {
                            label for="l-ev" { "Événement" }
                            select name="evenement" id="l-ev" {
                                option value="" { "— aucun —" }
                                @for e in &events { option value=(e.id) { (e.title) } }
                            }
                        }
                    }
                    @if !sites.is_empty() {
                        div.champ {
                            label for="l-lieu" { "Lieu concerné" }
                            select name="lieu" id="l-lieu" {
                                option value="" { "— aucun —" }
                                @for s in &sites { option value=(s.id) { (s.name) } }
                            }
                        }
                    }
                    button type="submit" { "Inscrire" }
                }
            }
        }
        (log_table(&entries))
    };
    Ok((
        notice.status(),
        CRISIS.page(
            state,
            caller,
            "Main courante",
            "/crise/main-courante",
            content,
        ),
    ))
}

pub(crate) fn log_table(entries: &[cell::LogEntry]) -> Markup {
    html! {
        @if entries.is_empty() { p { "La main courante est vide." } }
        @else {
            div.defilement {
                table {
                    caption { "Main courante, la plus récente d'abord" }
                    thead { tr { th scope="col" { "Quand" } th scope="col" { "Nature" } th scope="col" { "Qui a décidé" } th scope="col" { "Texte" } th scope="col" { "Inscrit par" } } }
                    tbody {
                        @for e in entries {
                            tr {
                                td { (local(&e.at)) }
                                td { (fr(e.kind)) @if let Some(s) = &e.site_name { br; small { (s) } } }
                                td { (maillage_web_kit::layout::author(e.author.as_deref().unwrap_or("—"))) }
                                td { (e.text) }
                                td { (maillage_web_kit::layout::author(&e.recorded_by)) br; small { "le " (local(&e.recorded_at)) } }
                            }
                        }
                    }
                }
            }
        }
    }
}

async fn append_log(
    State(state): State<AppState>,
    caller: Caller,
    Form(f): Form,
) -> Result<Response, WebError> {
    let now = super::now();
    let event_id = f.integer("evenement")?;
    let site_id = f.integer("lieu")?;
    let choices = communes(&state, &caller, Territorywide::Shared).await?;
    take(
        &state,
        &caller,
        Missing::Refused,
        async |tx, reach| -> Taking {
            let kind = maillage_crisis::parse_code::<LogKind>("type", f.raw("type"))?;
            let at = typed_time(f.get("heure"))?.unwrap_or(now);
            let entry = cell::NewLogEntry {
                commune: chosen_commune(&choices, &f)?,
                event_id,
                site_id,
                at,
                kind,
                author: f.get("auteur").map(str::to_string),
                text: f.raw("texte").to_string(),
            };
            let id = cell::append_log(tx, reach, &entry, &caller.account.identifier, now).await?;
            Ok(Taken::audit(
                Action::CrisisChanged,
                format!("crise:main-courante:{id}"),
                json!({ "nature": kind.code() }),
            )
            .then("/crise/main-courante", "main-courante"))
        },
        async |reason| {
            Ok(
                render_log(&state, &caller, Notice::Refused(reason), Some(&f))
                    .await?
                    .1,
            )
        },
    )
    .await
}

// ---------------------------------------------------------------------------------------------------------------
// Situation report.

async fn report(State(state): State<AppState>, caller: Caller) -> Result<Markup, WebError> {
    let st = state.store();
    let now = super::now();
    let reach = reach(&caller);
    let events = cell::events(st, &reach).await?;
    let figures = super::report_figures(&state, &caller.scope(), now).await?;
    let entries = cell::log(st, &reach, None, 12).await?;
    let tasks: Vec<cell::Task> = cell::tasks(st, &reach)
        .await?
        .into_iter()
        .filter(|t| t.status.is_open())
        .collect();
    let services = store::services::services(st, &reach, false).await?;
    let members = cell::members(st, &reach).await?;
    let content = html! {
        div.point-situation {
            p { strong { "Établi le " (local(&store::instant(now))) } " par " (caller.account.display_name) ". "
                "Ce document ne contient aucune donnée nominative du registre." }
            p.pas-imprime { "Pour l'imprimer ou l'enregistrer en PDF : menu Imprimer du navigateur." }
            h2 { "Événements et niveaux" }
            ul {
                @for e in events.iter().filter(|e| e.closed_at.is_none()) {
                    li { strong { (e.title) } " (" (fr(e.kind)) ") : " (level_badge(e.level)) ", ouvert le " (local(&e.opened_at)) }
                }
                @if events.iter().all(|e| e.closed_at.is_some()) { li { "Aucun événement ouvert." } }
            }
            h2 { "Chiffres clés" }
            (super::figures_tiles(&figures))
            h2 { "Dernières entrées de la main courante" }
            (log_table(&entries))
            h2 { "Tâches ouvertes" }
            (tasks_table(&caller, &tasks, now.as_second(), &|_| false))
            h2 { "Services municipaux" }
            @if services.is_empty() { p { "Aucun service recensé." } }
            @else {
                ul {
                    @for s in &services {
                        li { strong { (s.name) } " : " (fr(s.status)) @if let Some(h) = &s.hours { " — " (h) } }
                    }
                }
            }
            h2 { "Contacts joignables 24 h / 24" }
            ul {
                @for m in members.iter().filter(|m| m.active && m.always_reachable) {
                    li { (m.function) " — " (m.name) @if let Some(p) = &m.phone { " — " (p) } }
                }
            }
            p { small { "Sources : saisies de la cellule ; indicateurs épidémiques recalculés à partir des fichiers de Santé \
                publique France importés (" (number(figures.indicator_days as f64, 0)) " jours)." } }
        }
    };
    let today = day(store::today(now));
    Ok(CRISIS.page(
        &state,
        &caller,
        &format!("Point de situation du {today}"),
        "/crise/point-de-situation",
        content,
    ))
}

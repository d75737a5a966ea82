//! Phone campaigns over the register during an alert, made to be used on a phone: one column, large buttons, the
//! number as a `tel:` link. A caller presses "Appeler la personne suivante": the server holds that person's call
//! for them alone (their own list first, then anyone's waiting), shows the script and the person, and records
//! the outcome; no answer is retried at the campaign's intervals, an emergency or a person unreachable after
//! every attempt opens an escalation (emergency services, visit) followed up on the campaign page. Progress
//! refreshes itself (`/static/crise.js`).

use super::{
    CALLS, CRISIS, Missing, Notice, Taken, Taking, audit_read, chosen_commune, commune_field,
    communes, day, done, form_again, fr, local, reach, select, take,
};
use axum::extract::{Path, State};
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use maillage_crisis::calls::{EscalationStatus, Outcome, Progress, RetryPolicy};
use maillage_crisis::register::age_on;
use maillage_crisis::{Coded, CrisisError};
use maillage_store::audit::Action;
use maillage_store::crisis::{self as store, Error, calls, cell};
use maillage_store::reach::Territorywide;
use maillage_web_kit::auth::Caller;
use maillage_web_kit::error::WebError;
use maillage_web_kit::layout::{csrf_field, number};
use maillage_web_kit::params::{Form, Query};
use maillage_web_kit::routes::Routes;
use maillage_web_kit::state::AppState;
use maud::{Markup, html};
use serde_json::json;

pub fn routes(r: Routes) -> Routes {
    r.page(Method::GET, "/crise/appels", CALLS, campaigns_page)
        .page(Method::POST, "/crise/appels", CALLS, start)
        .page(Method::GET, "/crise/appels/{id}", CALLS, campaign_page)
        .page(Method::POST, "/crise/appels/{id}/suivant", CALLS, next)
        .page(Method::POST, "/crise/appels/{id}/cloture", CALLS, close)
        .page(
            Method::GET,
            "/crise/appels/{id}/appel/{call}",
            CALLS,
            call_page,
        )
        .page(
            Method::POST,
            "/crise/appels/{id}/appel/{call}",
            CALLS,
            outcome,
        )
        .page(
            Method::POST,
            "/crise/appels/{id}/appel/{call}/liberer",
            CALLS,
            release,
        )
        .page(Method::POST, "/crise/signalements/{id}", CALLS, follow_up)
}

const MESSAGES: &[(&str, &str)] = &[
    (
        "campagne",
        "la campagne est lancée : la liste est répartie entre les appelants.",
    ),
    ("appel", "le résultat de l'appel est enregistré."),
    (
        "vide",
        "personne n'est à appeler pour l'instant (les rappels viendront à leur heure).",
    ),
    (
        "libere",
        "l'appel est rendu : un autre appelant peut le prendre.",
    ),
    ("cloture", "la campagne est close."),
    ("suivi", "le suivi du signalement est enregistré."),
];

const DEFAULT_SCRIPT: &str = "Bonjour, je suis [prénom], de la mairie (CCAS). Vous êtes inscrit(e) au registre des personnes \
vulnérables ; nous appelons pendant l'alerte pour prendre de vos nouvelles.\n\
1. Comment allez-vous ? Avez-vous chaud / froid, soif, des difficultés ?\n\
2. Buvez-vous régulièrement ? Pouvez-vous garder votre logement frais (volets fermés le jour) ?\n\
3. Quelqu'un passe-t-il vous voir ? Avez-vous besoin de courses, de médicaments, d'une visite ?\n\
4. Rappel : en cas de malaise, appelez le 15. Canicule info service : 0 800 06 66 66 (gratuit).\n\
Si la personne ne va pas bien ou ne répond pas de façon cohérente : choisissez « Urgence ».";

fn progress_block(id: i64, p: &Progress) -> Markup {
    html! {
        div.progression data-progression=(id) {
            progress max=(p.total.max(1)) value=(p.done()) { (number(p.percent_done(), 0)) " %" }
            p {
                strong { span data-pourcentage { (number(p.percent_done(), 0)) } " % terminés" } " — "
                span data-compte="total" { (p.total) } " personnes : "
                span data-compte="a_appeler" { (p.a_appeler) } " à appeler, "
                span data-compte="a_rappeler" { (p.a_rappeler) } " à rappeler, "
                span data-compte="en_cours" { (p.en_cours) } " en cours, "
                span data-compte="joint" { (p.joint) } " jointes, "
                span data-compte="besoin" { (p.besoin) } " avec un besoin, "
                span data-compte="urgence" { (p.urgence) } " urgences, "
                span data-compte="injoignable" { (p.injoignable) } " injoignables."
            }
            p.aide { "Mis à jour automatiquement ; dernière mise à jour : " span data-heure { "au chargement" } "." }
        }
    }
}

fn script_tag() -> Markup {
    html! { script src="/static/crise.js" defer {} }
}

async fn campaigns_page(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query,
) -> Result<Response, WebError> {
    let notice = Notice::from_query(&q, MESSAGES);
    Ok(render_campaigns(&state, &caller, notice)
        .await?
        .into_response())
}

async fn render_campaigns(
    state: &AppState,
    caller: &Caller,
    notice: Notice,
) -> Result<(StatusCode, Markup), WebError> {
    let st = state.store();
    let now = super::now();
    let reach = reach(caller);
    let list = calls::campaigns(st, &reach).await?;
    let alert = cell::active_alert(st, &reach).await?;
    let choices = communes(state, caller, Territorywide::Shared).await?;
    let mut rows = Vec::new();
    for c in &list {
        rows.push((c, calls::progress(st, &reach, c.id, now).await?));
    }
    let today = day(store::today(now));
    let content = html! {
        (notice.render())
        @for (c, p) in rows.iter().filter(|(c, _)| c.closed_at.is_none()) {
            section {
                h2 { a href=(format!("/crise/appels/{}", c.id)) { (c.title) } }
                (progress_block(c.id, p))
                form method="post" action=(format!("/crise/appels/{}/suivant", c.id)) {
                    (csrf_field(caller))
                    button.bouton-large type="submit" { "Appeler la personne suivante" }
                }
            }
        }
        @if let Some(e) = &alert {
            details open[list.iter().all(|c| c.closed_at.is_some())] {
                summary { "Lancer une campagne d'appels" }
                p { "Alerte en cours : " (e.title) ". La campagne porte sur toutes les personnes inscrites au registre \
                     de la commune choisie (ou de tout le territoire), réparties entre les appelants par secteur." }
                form.formulaire method="post" action="/crise/appels" {
                    (csrf_field(caller))
                    (commune_field(&choices, "c-commune", None))
                    input type="hidden" name="evenement" value=(e.id);
                    div.champ { label for="c-titre" { "Titre" } input type="text" name="titre" id="c-titre" required value=(format!("Appels du {today}")); }
                    div.champ {
                        label for="c-appelants" { "Appelants" }
                        p.aide { "Identifiants de connexion des appelants, séparés par des virgules." }
                        input type="text" name="appelants" id="c-appelants" required value=(caller.account.identifier);
                    }
                    div.champ {
                        label for="c-relances" { "Rappels après une absence de réponse (minutes)" }
                        p.aide { "Par exemple « 30, 60, 120 » : trois rappels, puis une visite est demandée." }
                        input type="text" name="relances" id="c-relances" value="30, 60, 120";
                    }
                    div.champ { label for="c-script" { "Script d'appel" } textarea name="script" id="c-script" rows="8" required { (DEFAULT_SCRIPT) } }
                    button type="submit" { "Lancer la campagne" }
                }
            }
        } @else {
            p { "Aucune alerte en cours : une campagne d'appels ne peut être lancée qu'au niveau « alerte » ou « crise »." }
        }
        @let closed: Vec<_> = rows.iter().filter(|(c, _)| c.closed_at.is_some()).collect();
        @if !closed.is_empty() {
            h2 { "Campagnes closes" }
            ul {
                @for (c, p) in closed {
                    li { a href=(format!("/crise/appels/{}", c.id)) { (c.title) } " — " (p.total) " personnes, "
                         (number(p.percent_done(), 0)) " % terminées, close le " (local(c.closed_at.as_deref().unwrap_or(""))) }
                }
            }
        }
        (script_tag())
    };
    Ok((
        notice.status(),
        CRISIS.page(
            state,
            caller,
            "Campagnes d'appels",
            "/crise/appels",
            content,
        ),
    ))
}

/// The campaigns page again with the reason of a refusal.
async fn campaigns_again(
    state: &AppState,
    caller: &Caller,
    reason: String,
) -> Result<Markup, WebError> {
    Ok(render_campaigns(state, caller, Notice::Refused(reason))
        .await?
        .1)
}

/// A campaign's page again with the reason of a refusal.
async fn campaign_again(
    state: &AppState,
    caller: &Caller,
    id: i64,
    reason: String,
) -> Result<Markup, WebError> {
    Ok(render_campaign(state, caller, id, Notice::Refused(reason))
        .await?
        .1)
}

/// A call's page again with the reason of a refusal.
async fn call_again(
    state: &AppState,
    caller: &Caller,
    id: i64,
    call: i64,
    reason: String,
) -> Result<Markup, WebError> {
    Ok(
        render_call(state, caller, id, call, Notice::Refused(reason))
            .await?
            .1,
    )
}

async fn start(
    State(state): State<AppState>,
    caller: Caller,
    Form(f): Form,
) -> Result<Response, WebError> {
    let event_id = f.integer("evenement")?;
    let callers: Vec<String> = f
        .raw("appelants")
        .split([',', ';', ' ', '\n'])
        .map(str::to_string)
        .collect();
    let choices = communes(&state, &caller, Territorywide::Shared).await?;
    take(
        &state,
        &caller,
        Missing::Refused,
        async |tx, reach| -> Taking {
            let event_id = event_id.ok_or(CrisisError::NoActiveAlert)?;
            let retry = RetryPolicy::parse(f.raw("relances")).ok_or(CrisisError::Field(
                maillage_crisis::FieldError::InvalidField {
                    field: "relances",
                    expected: "minutes séparées par des virgules (1 à 1440)",
                },
            ))?;
            let commune = chosen_commune(&choices, &f)?;
            let new = calls::NewCampaign {
                commune: commune.as_deref(),
                event_id,
                title: f.raw("titre"),
                script: f.raw("script"),
                retry,
                callers: &callers,
            };
            let id =
                calls::start(tx, reach, &new, &caller.account.identifier, super::now()).await?;
            Ok(Taken::audit(
                Action::CrisisChanged,
                format!("crise:campagne:{id}"),
                json!({ "lancement": true }),
            )
            .then(format!("/crise/appels/{id}"), "campagne"))
        },
        async |reason| campaigns_again(&state, &caller, reason).await,
    )
    .await
}

async fn campaign_page(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Query(q): Query,
) -> Result<Response, WebError> {
    let notice = Notice::from_query(&q, MESSAGES);
    Ok(render_campaign(&state, &caller, id, notice)
        .await?
        .into_response())
}

async fn render_campaign(
    state: &AppState,
    caller: &Caller,
    id: i64,
    notice: Notice,
) -> Result<(StatusCode, Markup), WebError> {
    let st = state.store();
    let now = super::now();
    let reach = reach(caller);
    let Some(c) = calls::campaign(st, &reach, id).await? else {
        return Err(WebError::NotFound);
    };
    let p = calls::progress(st, &reach, id, now).await?;
    let by_caller = calls::callers_progress(st, &reach, id).await?;
    let mine = calls::list_of(st, &reach, id, &caller.account.identifier, now).await?;
    let escalations = calls::escalations(st, &reach, Some(id)).await?;
    audit_read(
        state,
        caller,
        &format!("crise:campagne:{id}"),
        json!({ "page": "campagne", "ma_liste": mine.len(), "signalements": escalations.len() }),
    )
    .await?;
    let open = c.closed_at.is_none();
    let content = html! {
        (notice.render())
        p { "Lancée le " (local(&c.started_at)) " par " (maillage_web_kit::layout::author(&c.started_by))
            @if let Some(cl) = &c.closed_at { " — close le " (local(cl)) } }
        (progress_block(id, &p))
        @if open {
            form method="post" action=(format!("/crise/appels/{id}/suivant")) {
                (csrf_field(caller))
                button.bouton-large type="submit" { "Appeler la personne suivante" }
            }
        }
        details {
            summary { "Script d'appel" }
            p.script { (c.script) }
            p.aide { "Rappels après une absence de réponse : "
                (c.retry.intervals_minutes.iter().map(|m| format!("{m} min")).collect::<Vec<_>>().join(", "))
                " ; ensuite, une visite est demandée." }
        }

        h2 { "Ma liste" }
        @if mine.is_empty() { p { "Aucune personne ne vous est attribuée dans cette campagne ; « Appeler la personne suivante » vous donne celles qui attendent." } }
        @else {
            ol {
                @for l in &mine {
                    li {
                        a href=(format!("/crise/appels/{id}/appel/{}", l.call_id)) { (l.name) } " — " (fr(l.status))
                        @if l.attempts > 0 { ", " (maillage_messages::count(l.attempts, "appel", "appels")) }
                        @if l.status.is_pending() && l.attempts > 0 { ", rappel à partir de " (local(&l.next_attempt_at)) }
                        @if let Some(h) = &l.held_by { " — en cours (" (h) ")" }
                    }
                }
            }
        }

        h2 { "Signalements à suivre" }
        @let pending: Vec<_> = escalations.iter().filter(|e| e.status != EscalationStatus::Close).collect();
        @if pending.is_empty() { p { "Aucun signalement ouvert." } }
        ul.missions {
            @for e in &pending {
                li {
                    p { strong { (fr(e.kind)) } " — " (fr(e.status)) " — signalé le " (local(&e.created_at)) " par " (maillage_web_kit::layout::author(&e.created_by)) }
                    p { strong { (e.name) } ", " (e.address)
                        @if let Some(t) = &e.phone { " — " a href=(format!("tel:{}", t.replace(' ', ""))) { (t) } } }
                    @if let Some(em) = &e.emergency { p { "Personne à prévenir : " (em) } }
                    @if let Some(n) = &e.last_note { p { "Dernier appel : " (n) } }
                    @if let Some(fu) = &e.follow_up { p.script { (fu) } }
                    details {
                        summary { "Enregistrer un suivi" }
                        form.formulaire method="post" action=(format!("/crise/signalements/{}", e.id)) {
                            (csrf_field(caller))
                            input type="hidden" name="campagne" value=(id);
                            div.champ { label for=(format!("s-statut-{}", e.id)) { "Statut" } (select::<EscalationStatus>("statut", &format!("s-statut-{}", e.id), Some(e.status.code()), None)) }
                            div.champ { label for=(format!("s-suivi-{}", e.id)) { "Ce qui a été fait" } textarea name="suivi" id=(format!("s-suivi-{}", e.id)) required {} }
                            button type="submit" { "Enregistrer le suivi" }
                        }
                    }
                }
            }
        }
        @let closed_count = escalations.len() - pending.len();
        @if closed_count > 0 { p { (closed_count) " signalements clos." } }

        h2 { "Répartition entre les appelants" }
        div.defilement tabindex="0" role="region" aria-label="Avancement par appelant (défilement horizontal)" {
            table {
                caption { "Avancement par appelant" }
                thead { tr { th scope="col" { "Appelant" } th scope="col" { "Personnes attribuées" } th scope="col" { "Terminées" } th scope="col" { "Appels passés" } } }
                tbody {
                    @for (who, assigned, finished, made) in &by_caller {
                        tr { th scope="row" { (who) } td.nombre { (assigned) } td.nombre { (finished) } td.nombre { (made) } }
                    }
                }
            }
        }
        @if open && reach.may_assign(c.commune_code.as_deref()) {
            details.pas-imprime {
                summary { "Clore la campagne" }
                form.formulaire method="post" action=(format!("/crise/appels/{id}/cloture")) {
                    (csrf_field(caller))
                    div.case { input type="checkbox" name="confirmer" id="confirmer" value="oui" required; label for="confirmer" { "Je confirme la clôture : plus aucun appel ne pourra être pris." } }
                    button type="submit" { "Clore la campagne" }
                }
            }
        }
        (script_tag())
    };
    Ok((
        notice.status(),
        CRISIS.page(state, caller, &c.title, "/crise/appels", content),
    ))
}

async fn next(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    match calls::claim_next(
        state.store(),
        &reach(&caller),
        id,
        &caller.account.identifier,
        super::now(),
    )
    .await
    {
        Ok(Some(call)) => Ok(done(&format!("/crise/appels/{id}/appel/{call}"), "reserve")),
        Ok(None) => Ok(done(&format!("/crise/appels/{id}"), "vide")),
        Err(e) => {
            form_again(e, Missing::NotFound, async |reason| {
                campaign_again(&state, &caller, id, reason).await
            })
            .await
        }
    }
}

async fn close(
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
            if !f.flag("confirmer") {
                return Err(
                    CrisisError::Field(maillage_crisis::FieldError::MissingField {
                        field: "confirmer",
                    })
                    .into(),
                );
            }
            calls::close(tx, reach, id, super::now()).await?;
            Ok(Taken::audit(
                Action::CrisisChanged,
                format!("crise:campagne:{id}"),
                json!({ "cloture": true }),
            )
            .then(format!("/crise/appels/{id}"), "cloture"))
        },
        async |reason| campaign_again(&state, &caller, id, reason).await,
    )
    .await
}

async fn call_page(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, call)): Path<(i64, i64)>,
) -> Result<Response, WebError> {
    Ok(render_call(&state, &caller, id, call, Notice::None)
        .await?
        .into_response())
}

async fn render_call(
    state: &AppState,
    caller: &Caller,
    id: i64,
    call: i64,
    notice: Notice,
) -> Result<(StatusCode, Markup), WebError> {
    let st = state.store();
    let now = super::now();
    let reach = reach(caller);
    let Some(c) = calls::campaign(st, &reach, id).await? else {
        return Err(WebError::NotFound);
    };
    let Some(v) = calls::call(st, &reach, call)
        .await?
        .filter(|v| v.campaign_id == id)
    else {
        return Err(WebError::NotFound);
    };
    audit_read(
        state,
        caller,
        &format!("appel:{call}"),
        json!({ "personne": v.person.id, "campagne": id }),
    )
    .await?;
    let held = calls::held_by(&v, &caller.account.identifier, now);
    let person = &v.person;
    let age = age_on(person.birth_date, store::today(now));
    let content = html! {
        div.appel {
            (notice.render())
            p { a href=(format!("/crise/appels/{id}")) { "← Campagne : " (c.title) } }
            section.personne aria-labelledby="personne-nom" {
                h2 #personne-nom { (person.first_name) " " (person.last_name) }
                p { (age) " ans — " (fr(person.basis)) }
                @if let Some(t) = &person.phone {
                    a.tel href=(format!("tel:{}", t.replace(' ', ""))) { "Appeler le " (t) }
                } @else {
                    p.en-retard { "Pas de numéro de téléphone : demandez une visite (choisissez « Pas de réponse » jusqu'à la visite, ou « Besoin »)." }
                }
                p { "Adresse : " (person.address) }
                @if person.emergency_contact.is_some() || person.emergency_phone.is_some() {
                    p { "Personne à prévenir : " (person.emergency_contact.as_deref().unwrap_or("")) " "
                        @if let Some(t) = &person.emergency_phone { a href=(format!("tel:{}", t.replace(' ', ""))) { (t) } } }
                }
                @if let Some(h) = &person.home_care { p { "Services à domicile : " (h) } }
                @if let Some(d) = &person.doctor { p { "Médecin traitant : " (d) } }
            }
            p { "Statut : " strong { (fr(v.status)) } " — " (maillage_messages::count(v.attempts, "appel déjà passé", "appels déjà passés")) "." }
            @if !v.history.is_empty() {
                details {
                    summary { "Appels précédents" }
                    ul { @for a in &v.history { li { (local(&a.at)) " — " (a.caller) " — " (fr(a.outcome)) @if let Some(n) = &a.note { " : " (n) } } } }
                }
            }
            details {
                summary { "Script d'appel" }
                p.script { (c.script) }
            }
            @if held {
                form method="post" action=(format!("/crise/appels/{id}/appel/{call}")) {
                    (csrf_field(caller))
                    fieldset.issues {
                        legend { "Résultat de l'appel" }
                        @for o in Outcome::ALL {
                            label { input type="radio" name="resultat" value=(o.code()) required; (fr(*o)) }
                        }
                    }
                    div.champ {
                        label for="note" { "Note (obligatoire pour un besoin ou une urgence)" }
                        p.aide #aide-note { "Ce qu'il faut savoir pour agir : le besoin, l'état de la personne. Rien de plus." }
                        textarea name="note" id="note" aria-describedby="aide-note" {}
                    }
                    button type="submit" { "Enregistrer le résultat" }
                }
                form method="post" action=(format!("/crise/appels/{id}/appel/{call}/liberer")) {
                    (csrf_field(caller))
                    button.bouton-secondaire type="submit" { "Rendre cet appel sans résultat" }
                }
            } @else {
                div.message.info role="note" {
                    p { "Cet appel n'est pas réservé à votre nom en ce moment"
                        @if let Some(h) = v.claimed_by.as_deref().filter(|h| *h != caller.account.identifier) { " (" (h) " l'a pris)" }
                        ". Pour appeler, utilisez « Appeler la personne suivante » depuis la campagne." }
                }
            }
        }
    };
    Ok((
        notice.status(),
        CRISIS.page(state, caller, "Appel", "/crise/appels", content),
    ))
}

async fn outcome(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, call)): Path<(i64, i64)>,
    Form(f): Form,
) -> Result<Response, WebError> {
    let result = match maillage_crisis::parse_code::<Outcome>("resultat", f.raw("resultat")) {
        Ok(o) => o,
        Err(_) => {
            let missing = Error::from(CrisisError::Field(
                maillage_crisis::FieldError::MissingField { field: "resultat" },
            ));
            return form_again(missing, Missing::Refused, async |reason| {
                call_again(&state, &caller, id, call, reason).await
            })
            .await;
        }
    };
    // A call outside the caller's reach (or of another campaign) is not found.
    if calls::call(state.store(), &reach(&caller), call)
        .await?
        .is_none_or(|v| v.campaign_id != id)
    {
        return Err(WebError::NotFound);
    }
    take(
        &state,
        &caller,
        Missing::Refused,
        async |tx, reach| -> Taking {
            let t = calls::record_outcome(
                tx,
                reach,
                call,
                &caller.account.identifier,
                result,
                f.get("note"),
                super::now(),
            )
            .await?;
            let details = json!({
                "resultat": result.code(),
                "statut": t.status.code(),
                "signalement": t.escalation.map(|e| e.code()),
                "campagne": id,
            });
            Ok(
                Taken::audit(Action::CrisisCallRecorded, format!("appel:{call}"), details)
                    .then(format!("/crise/appels/{id}"), "appel"),
            )
        },
        async |reason| call_again(&state, &caller, id, call, reason).await,
    )
    .await
}

async fn release(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, call)): Path<(i64, i64)>,
) -> Result<Response, WebError> {
    // Giving back a call one does not hold changes nothing: the answer is the same.
    match calls::release(
        state.store(),
        &reach(&caller),
        call,
        &caller.account.identifier,
    )
    .await
    {
        Ok(()) | Err(Error::Refused(maillage_store::crisis::Refusal::CallNotHeld(_))) => {
            Ok(done(&format!("/crise/appels/{id}"), "libere"))
        }
        Err(e) => Err(e.into()),
    }
}

async fn follow_up(
    State(state): State<AppState>,
    caller: Caller,
    Path(esc): Path<i64>,
    Form(f): Form,
) -> Result<Response, WebError> {
    let campaign = f.integer("campagne")?;
    let back = campaign.map_or("/crise/appels".to_string(), |c| {
        format!("/crise/appels/{c}")
    });
    take(
        &state,
        &caller,
        Missing::NotFound,
        async |tx, reach| -> Taking {
            let status =
                maillage_crisis::parse_code::<EscalationStatus>("statut", f.raw("statut"))?;
            calls::follow_up(
                tx,
                reach,
                esc,
                status,
                f.raw("suivi"),
                &caller.account.identifier,
                super::now(),
            )
            .await?;
            Ok(Taken::audit(
                Action::CrisisCallRecorded,
                format!("signalement:{esc}"),
                json!({ "statut": status.code() }),
            )
            .then(back, "suivi"))
        },
        async |reason| match campaign {
            Some(c) => campaign_again(&state, &caller, c, reason).await,
            None => campaigns_again(&state, &caller, reason).await,
        },
    )
    .await
}

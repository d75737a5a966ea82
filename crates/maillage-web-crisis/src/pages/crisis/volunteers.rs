//! Volunteers and inhabitants' requests (courses, repas, médicaments, appel de convivialité...): registration of
//! volunteers with their consent, requests, the volunteers who can take each request (skill, day, distance),
//! assignment, completion, and meal / food-aid rounds. `/mes-missions`: what a volunteer sees — their own
//! missions, with only what they need to do them.

use super::{
    CHOOSE, CRISIS, MISSIONS, Missing, Notice, Taken, Taking, VOLUNTEERS, chosen_commune,
    commune_field, communes, day, fr, local, reach, select, take, take_as,
};
use axum::extract::{Path, State};
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use maillage_crisis::volunteers::{RequestStatus, Skill, WEEKDAY_CODES};
use maillage_crisis::{Coded, CrisisError};
use maillage_store::audit::Action;
use maillage_store::crisis::{Error, volunteers as vol};
use maillage_store::reach::{Reach, Territorywide};
use maillage_web_kit::auth::Caller;
use maillage_web_kit::error::WebError;
use maillage_web_kit::layout::{self, csrf_field, number};
use maillage_web_kit::lists::{self, Paging};
use maillage_web_kit::params::{Form, Params, Query};
use maillage_web_kit::routes::Routes;
use maillage_web_kit::state::AppState;
use maud::{Markup, html};
use serde_json::json;
use std::collections::BTreeMap;

pub fn routes(r: Routes) -> Routes {
    r.page(Method::GET, "/crise/benevoles", VOLUNTEERS, page_volunteers)
        .page(Method::POST, "/crise/benevoles", VOLUNTEERS, add_volunteer)
        .page(Method::POST, "/crise/demandes", VOLUNTEERS, add_request)
        .page(
            Method::POST,
            "/crise/demandes/{id}/affectation",
            VOLUNTEERS,
            assign,
        )
        .page(
            Method::POST,
            "/crise/demandes/{id}/cloture",
            VOLUNTEERS,
            close_request,
        )
        .page(Method::POST, "/crise/tournees", VOLUNTEERS, create_round)
        .page(Method::GET, "/mes-missions", MISSIONS, missions)
        .page(Method::POST, "/mes-missions/{id}", MISSIONS, complete)
        .page(
            Method::POST,
            "/mes-missions/{id}/pas-pu",
            MISSIONS,
            not_done,
        )
}

const MESSAGES: &[(&str, &str)] = &[
    ("benevole", "le bénévole est enregistré."),
    (
        "demande",
        "la demande est enregistrée ; choisissez un bénévole parmi ceux proposés.",
    ),
    (
        "affectation",
        "la demande est confiée au bénévole : elle apparaît dans ses missions.",
    ),
    ("cloture", "la demande est close."),
    (
        "tournee",
        "la tournée est créée, dans l'ordre des arrêts le plus court depuis le point de départ.",
    ),
];

const DAY_LABELS: [&str; 7] = [
    "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
];

async fn page_volunteers(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query,
) -> Result<Response, WebError> {
    let notice = Notice::from_query(&q, MESSAGES);
    Ok(render(&state, &caller, notice, None, &q)
        .await?
        .into_response())
}

async fn render(
    state: &AppState,
    caller: &Caller,
    notice: Notice,
    typed: Option<&Params>,
    q: &Params,
) -> Result<(StatusCode, Markup), WebError> {
    let st = state.store();
    let reach = reach(caller);
    let volunteers = vol::volunteers(st, &reach).await?;
    let requests = vol::requests(st, &reach).await?;
    let rounds = vol::rounds(st, &reach).await?;
    let choices = communes(state, caller, Territorywide::HolderOfAll).await?;
    let names: BTreeMap<i64, &str> = volunteers.iter().map(|v| (v.id, v.name.as_str())).collect();
    let mut candidates = BTreeMap::new();
    for r in requests
        .iter()
        .filter(|r| r.status == RequestStatus::Nouvelle)
    {
        candidates.insert(r.id, vol::candidates(st, &reach, r).await?);
    }
    let empty = Params::default();
    let t = typed.unwrap_or(&empty);
    let words = lists::search_words(q.get("q").unwrap_or(""));
    let paging = Paging::from_query(q);
    let shown = paging.cut(
        volunteers
            .iter()
            .filter(|v| {
                let skills: Vec<String> = v.skills.iter().map(|s| fr(*s)).collect();
                let text = format!(
                    "{} {} {}",
                    v.name,
                    skills.join(" "),
                    v.area.as_deref().unwrap_or("")
                );
                lists::matches_all(&text, &words)
            })
            .collect(),
    );
    let open: Vec<&vol::Request> = requests.iter().filter(|r| r.status.is_open()).collect();
    let content = html! {
        (notice.render())
        h2 { "Demandes en cours (" (open.len()) ")" }
        @if open.is_empty() { p { "Aucune demande en cours." } }
        ul.missions {
            @for r in &open {
                li {
                    p { strong { (fr(r.kind)) } " pour " (r.beneficiary) " — " (r.address)
                        @if let Some(d) = r.needed_on { " — pour le " (day(d)) } }
                    @if let Some(d) = &r.details { p { (d) } }
                    p { "Statut : " (fr(r.status))
                        @if let Some(n) = &r.volunteer_name { " — " (n) }
                        @if let Some(p) = r.round_position { " (arrêt n° " (p) " de sa tournée)" } }
                    @if let Some(n) = &r.not_done {
                        div.message.info role="note" {
                            p { strong { "Mission non faite : " } (n.by) " n'a pas pu la faire (" (local(&n.at)) ") — « " (n.reason) " ». "
                                @if r.status == RequestStatus::Nouvelle { "Confiez-la à un autre bénévole." } }
                        }
                    }
                    @if r.status == RequestStatus::Nouvelle {
                        @let list = candidates.get(&r.id).map(Vec::as_slice).unwrap_or(&[]);
                        @if list.is_empty() {
                            p.en-retard { "Aucun bénévole disponible n'a cette compétence dans son rayon ce jour-là." }
                        } @else {
                            form.filtres method="post" action=(format!("/crise/demandes/{}/affectation", r.id)) {
                                (csrf_field(caller))
                                div.champ {
                                    label for=(format!("b-{}", r.id)) { "Bénévoles proposés (le plus proche d'abord)" }
                                    select name="benevole" id=(format!("b-{}", r.id)) {
                                        @for c in list {
                                            option value=(c.volunteer) {
                                                (names.get(&c.volunteer).copied().unwrap_or("?"))
                                                @if let Some(d) = c.distance_km { " — " (number(d, 1)) " km" }
                                                " — " (maillage_messages::count(c.open_tasks, "mission en cours", "missions en cours"))
                                            }
                                        }
                                    }
                                }
                                button type="submit" { "Confier" }
                            }
                        }
                    }
                    details {
                        summary { "Clore la demande (faite ou annulée)" }
                        form.filtres method="post" action=(format!("/crise/demandes/{}/cloture", r.id)) {
                            (csrf_field(caller))
                            div.champ {
                                label for=(format!("c-{}", r.id)) { "Clore" }
                                select name="statut" id=(format!("c-{}", r.id)) {
                                    option value="faite" { "Faite" } option value="annulee" { "Annulée" }
                                }
                            }
                            div.champ { label for=(format!("n-{}", r.id)) { "Note" } input type="text" name="note" id=(format!("n-{}", r.id)); }
                            button.bouton-secondaire type="submit" { "Clore la demande" }
                        }
                    }
                }
            }
        }

        details open[t.get("beneficiaire").is_some()] {
            summary { "Enregistrer une demande d'habitant" }
            form.formulaire method="post" action="/crise/demandes" {
                (csrf_field(caller))
                (commune_field(&choices, "d-commune", t.get("commune")))
                div.champ { label for="d-type" { "Besoin" } (select::<Skill>("type", "d-type", t.get("type"), Some(CHOOSE))) }
                div.champ { label for="d-benef" { "Bénéficiaire (nom tel qu'il se présente)" } input type="text" name="beneficiaire" id="d-benef" required value=(t.get("beneficiaire").unwrap_or("")); }
                div.champ { label for="d-adresse" { "Adresse" } input type="text" name="adresse" id="d-adresse" required value=(t.get("adresse").unwrap_or("")); }
                div.champ { label for="d-tel" { "Téléphone" } input type="tel" name="telephone" id="d-tel" value=(t.get("telephone").unwrap_or("")); }
                div.champ { label for="d-pour" { "Pour le" } input type="date" name="pour_le" id="d-pour" value=(t.get("pour_le").unwrap_or("")); }
                div.champ { label for="d-details" { "Détails utiles au bénévole" } textarea name="details" id="d-details" { (t.get("details").unwrap_or("")) } }
                button type="submit" { "Enregistrer la demande" }
            }
        }

        h2 { "Tournées de repas et d'aide alimentaire" }
        @if rounds.is_empty() { p { "Aucune tournée." } }
        @else {
            div.defilement {
                table {
                    caption { "Tournées" }
                    thead { tr { th scope="col" { "Jour" } th scope="col" { "Tournée" } th scope="col" { "Bénévole" } th scope="col" { "Arrêts" } th scope="col" { "Distance" } } }
                    tbody {
                        @for o in &rounds {
                            tr {
                                td { (o.day) }
                                th scope="row" { (o.label) br; small { (fr(o.kind)) } }
                                td { (o.volunteer_name.as_deref().unwrap_or("—")) }
                                td.nombre { (o.done) " / " (o.stops) " livrés" }
                                td.nombre { @if let Some(k) = o.length_km { (number(k, 1)) " km" } @else { "—" } }
                            }
                        }
                    }
                }
            }
        }
        @let deliverable: Vec<&&vol::Request> = open.iter().filter(|r| matches!(r.kind, Skill::Repas | Skill::ColisAlimentaire) && r.round_id.is_none()).collect();
        @if !deliverable.is_empty() {
            details {
                summary { "Créer une tournée" }
                form.formulaire method="post" action="/crise/tournees" {
                    (csrf_field(caller))
                    (commune_field(&choices, "o-commune", None))
                    div.champ { label for="o-nom" { "Nom" } input type="text" name="nom" id="o-nom" required; }
                    div.champ { label for="o-jour" { "Jour" } input type="date" name="jour" id="o-jour" required; }
                    div.champ {
                        label for="o-type" { "Type" }
                        select name="type" id="o-type" { option value="repas" { (fr(Skill::Repas)) } option value="colis_alimentaire" { (fr(Skill::ColisAlimentaire)) } }
                    }
                    div.champ {
                        label for="o-benevole" { "Bénévole" }
                        select name="benevole" id="o-benevole" {
                            option value="" { "— à confier plus tard —" }
                            @for v in volunteers.iter().filter(|v| v.active) { option value=(v.id) { (v.name) } }
                        }
                    }
                    fieldset {
                        legend { "Demandes à livrer" }
                        @for r in &deliverable {
                            div.case { input type="checkbox" name="demande" value=(r.id) id=(format!("o-d-{}", r.id));
                                label for=(format!("o-d-{}", r.id)) { (fr(r.kind)) " — " (r.beneficiary) ", " (r.address) } }
                        }
                    }
                    button type="submit" { "Créer la tournée" }
                }
            }
        }

        h2 #benevoles { "Bénévoles (" (volunteers.iter().filter(|v| v.active).count()) " actifs)" }
        (lists::search_form("/crise/benevoles", q, "Nom, compétence ou secteur", html! {}))
        (lists::pager("/crise/benevoles", q, &paging, shown.total, ("bénévole", "bénévoles")))
        div.defilement tabindex="0" role="region" aria-label="Bénévoles (défilement horizontal)" {
            table {
                caption { "Bénévoles, leurs compétences et disponibilités" }
                thead { tr { th scope="col" { "Nom" } th scope="col" { "Compétences" } th scope="col" { "Jours" } th scope="col" { "Secteur" } th scope="col" { "Téléphone" } th scope="col" { "Missions en cours" } th scope="col" { "Compte" } } }
                tbody {
                    @for v in &shown.rows {
                        tr {
                            th scope="row" { (v.name) @if !v.active { br; small { "(inactif)" } } }
                            td { (v.skills.iter().map(|s| fr(*s)).collect::<Vec<_>>().join(", ")) }
                            td { @if v.days.is_empty() { "tous les jours" } @else { (v.days.iter().map(|d| DAY_LABELS[*d as usize]).collect::<Vec<_>>().join(", ")) } }
                            td { (v.area.as_deref().unwrap_or("—")) " (" (number(v.radius_km, 1)) " km)" }
                            td { (v.phone.as_deref().unwrap_or("—")) }
                            td.nombre { (v.open_tasks) }
                            td { (v.account.as_deref().unwrap_or("—")) }
                        }
                    }
                }
            }
        }
        details {
            summary { "Enregistrer un bénévole" }
            form.formulaire method="post" action="/crise/benevoles" {
                (csrf_field(caller))
                (commune_field(&choices, "v-commune", None))
                div.champ { label for="v-nom" { "Nom" } input type="text" name="nom" id="v-nom" required; }
                div.champ { label for="v-tel" { "Téléphone" } input type="tel" name="telephone" id="v-tel"; }
                div.champ { label for="v-courriel" { "Courriel" } input type="email" name="courriel" id="v-courriel"; }
                div.champ {
                    label for="v-compte" { "Compte de connexion (facultatif)" }
                    p.aide { "L'identifiant d'un compte au rôle « bénévole » : le bénévole y verra ses missions, et rien d'autre." }
                    input type="text" name="compte" id="v-compte";
                }
                fieldset { legend { "Compétences" }
                    @for s in Skill::ALL { div.case { input type="checkbox" name="competences" value=(s.code()) id=(format!("v-s-{}", s.code())); label for=(format!("v-s-{}", s.code())) { (fr(*s)) } } }
                }
                fieldset { legend { "Jours de disponibilité (aucun coché : tous les jours)" }
                    @for (i, code) in WEEKDAY_CODES.iter().enumerate() { div.case { input type="checkbox" name="jours" value=(code) id=(format!("v-j-{code}")); label for=(format!("v-j-{code}")) { (DAY_LABELS[i]) } } }
                }
                div.champ { label for="v-dispo" { "Disponibilités (précisions)" } input type="text" name="disponibilites" id="v-dispo" placeholder="le matin"; }
                div.champ { label for="v-secteur" { "Secteur" } input type="text" name="secteur" id="v-secteur"; }
                div.champ { label for="v-rayon" { "Rayon d'intervention (km)" } input type="text" name="rayon_km" id="v-rayon" value="2" inputmode="decimal"; }
                div.champ {
                    label for="v-consent" { "Date du consentement au traitement de ses données" }
                    input type="date" name="consentement" id="v-consent" required;
                }
                button type="submit" { "Enregistrer" }
            }
        }
    };
    Ok((
        notice.status(),
        CRISIS.page(
            state,
            caller,
            "Bénévoles et demandes",
            "/crise/benevoles",
            content,
        ),
    ))
}

/// The page again with the reason of a refusal, keeping what was `typed` in the form that has it.
async fn again(
    state: &AppState,
    caller: &Caller,
    reason: String,
    typed: Option<&Params>,
) -> Result<Markup, WebError> {
    Ok(render(
        state,
        caller,
        Notice::Refused(reason),
        typed,
        &Params::default(),
    )
    .await?
    .1)
}

async fn add_volunteer(
    State(state): State<AppState>,
    caller: Caller,
    Form(f): Form,
) -> Result<Response, WebError> {
    let form = vol::VolunteerForm {
        name: f.raw("nom").into(),
        phone: f.raw("telephone").into(),
        email: f.raw("courriel").into(),
        account: f.raw("compte").into(),
        skills: f
            .all("competences")
            .into_iter()
            .map(str::to_string)
            .collect(),
        days: f.all("jours").into_iter().map(str::to_string).collect(),
        availability: f.raw("disponibilites").into(),
        area: f.raw("secteur").into(),
        position: None,
        radius_km: f.raw("rayon_km").into(),
        consent_on: f.raw("consentement").into(),
    };
    let choices = communes(&state, &caller, Territorywide::HolderOfAll).await?;
    take(
        &state,
        &caller,
        Missing::Refused,
        async |tx, reach| -> Taking {
            let commune = chosen_commune(&choices, &f)?;
            let id = vol::add_volunteer(tx, reach, commune.as_deref(), &form, super::now()).await?;
            Ok(Taken::audit(
                Action::CrisisChanged,
                format!("crise:benevole:{id}"),
                json!({ "ajout": "benevole" }),
            )
            .then("/crise/benevoles", "benevole"))
        },
        async |reason| again(&state, &caller, reason, None).await,
    )
    .await
}

async fn add_request(
    State(state): State<AppState>,
    caller: Caller,
    Form(f): Form,
) -> Result<Response, WebError> {
    let form = vol::RequestForm {
        kind: f.raw("type").into(),
        beneficiary: f.raw("beneficiaire").into(),
        address: f.raw("adresse").into(),
        phone: f.raw("telephone").into(),
        details: f.raw("details").into(),
        needed_on: f.raw("pour_le").into(),
        position: None,
    };
    let choices = communes(&state, &caller, Territorywide::HolderOfAll).await?;
    take(
        &state,
        &caller,
        Missing::Refused,
        async |tx, reach| -> Taking {
            let commune = chosen_commune(&choices, &f)?;
            let id = vol::add_request(
                tx,
                reach,
                commune.as_deref(),
                &form,
                &caller.account.identifier,
                super::now(),
            )
            .await?;
            Ok(Taken::audit(
                Action::CrisisChanged,
                format!("crise:demande:{id}"),
                json!({ "ajout": "demande", "type": form.kind }),
            )
            .then("/crise/benevoles", "demande"))
        },
        async |reason| again(&state, &caller, reason, Some(&f)).await,
    )
    .await
}

async fn assign(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Form(f): Form,
) -> Result<Response, WebError> {
    // A request outside the caller's reach is not found.
    if vol::request(state.store(), &reach(&caller), id)
        .await?
        .is_none()
    {
        return Err(WebError::NotFound);
    }
    let volunteer = f.integer("benevole")?;
    take(
        &state,
        &caller,
        Missing::Refused,
        async |tx, reach| -> Taking {
            let volunteer = volunteer.ok_or(CrisisError::Field(
                maillage_crisis::FieldError::MissingField { field: "benevole" },
            ))?;
            vol::assign(tx, reach, id, volunteer, super::now()).await?;
            Ok(Taken::audit(
                Action::CrisisChanged,
                format!("crise:demande:{id}"),
                json!({ "benevole": volunteer }),
            )
            .then("/crise/benevoles", "affectation"))
        },
        async |reason| again(&state, &caller, reason, None).await,
    )
    .await
}

async fn close_request(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Form(f): Form,
) -> Result<Response, WebError> {
    if vol::request(state.store(), &reach(&caller), id)
        .await?
        .is_none()
    {
        return Err(WebError::NotFound);
    }
    take(
        &state,
        &caller,
        Missing::Refused,
        async |tx, reach| -> Taking {
            let status = maillage_crisis::parse_code::<RequestStatus>("statut", f.raw("statut"))?;
            vol::close_request(tx, reach, id, status, f.get("note"), super::now()).await?;
            Ok(Taken::audit(
                Action::CrisisChanged,
                format!("crise:demande:{id}"),
                json!({ "statut": status.code() }),
            )
            .then("/crise/benevoles", "cloture"))
        },
        async |reason| again(&state, &caller, reason, None).await,
    )
    .await
}

async fn create_round(
    State(state): State<AppState>,
    caller: Caller,
    Form(f): Form,
) -> Result<Response, WebError> {
    let mut ids = Vec::new();
    for v in f.all("demande") {
        match v.parse::<i64>() {
            Ok(id) => ids.push(id),
            Err(_) => {
                return Err(WebError::BadRequest(
                    "« demande » doit être un nombre entier.".into(),
                ));
            }
        }
    }
    let volunteer = f.integer("benevole")?;
    let choices = communes(&state, &caller, Territorywide::HolderOfAll).await?;
    take(
        &state,
        &caller,
        Missing::Refused,
        async |tx, reach| -> Taking {
            let kind = maillage_crisis::parse_code::<Skill>("type", f.raw("type"))?;
            let day = maillage_crisis::fields::date("jour", f.raw("jour"))?.ok_or(
                CrisisError::Field(maillage_crisis::FieldError::MissingField { field: "jour" }),
            )?;
            let commune = chosen_commune(&choices, &f)?;
            // The depot: the town hall, taken as the first located request when none is known.
            let new = vol::NewRound {
                commune: commune.as_deref(),
                day,
                kind,
                label: f.raw("nom"),
                volunteer_id: volunteer,
                depot: None,
                requests: &ids,
            };
            let id = vol::create_round(tx, reach, &new, &caller.account.identifier, super::now())
                .await?;
            Ok(Taken::audit(
                Action::CrisisChanged,
                format!("crise:tournee:{id}"),
                json!({ "arrets": ids.len() }),
            )
            .then("/crise/benevoles", "tournee"))
        },
        async |reason| again(&state, &caller, reason, None).await,
    )
    .await
}

// ---------------------------------------------------------------------------------------------------------------
// A volunteer's own missions.

const MISSION_MESSAGES: &[(&str, &str)] = &[
    ("faite", "merci ! La mission est notée comme faite."),
    (
        "pas_pu",
        "c'est noté : la mission revient à la cellule, qui la confiera à quelqu'un d'autre. Merci de l'avoir dit.",
    ),
];

async fn missions(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query,
) -> Result<Response, WebError> {
    let notice = Notice::from_query(&q, MISSION_MESSAGES);
    Ok(render_missions(&state, &caller, notice)
        .await?
        .into_response())
}

async fn render_missions(
    state: &AppState,
    caller: &Caller,
    notice: Notice,
) -> Result<(StatusCode, Markup), WebError> {
    let st = state.store();
    let account = &caller.account.identifier;
    let me = vol::volunteer_of_account(st, account).await?;
    let list = vol::missions_of(st, account, super::now(), 7).await?;
    let (open, finished): (Vec<_>, Vec<_>) = list
        .iter()
        .partition(|m| m.status == RequestStatus::Affectee);
    let content = html! {
        (super::CRISIS.style())
        (notice.render())
        @match &me {
            None => p { "Votre compte n'est relié à aucune fiche de bénévole. Demandez à la cellule de crise ou au CCAS de vous enregistrer avec cet identifiant : " strong { (account) } "." },
            Some((_, _, false)) => p { "Votre fiche de bénévole est inactive : aucune mission ne vous est confiée." },
            Some((_, name, true)) => p { "Bonjour " (name) ". Voici les missions qui vous sont confiées. Ces informations ne servent qu'à les accomplir : ne les gardez pas." },
        }
        h2 { "À faire (" (open.len()) ")" }
        @if open.is_empty() { p { "Aucune mission en cours." } }
        ul.missions {
            @for m in &open {
                li {
                    h3 { @match &m.round { Some(r) => { @if !r.starts_with(&fr(m.kind)) { (fr(m.kind)) " — " } (r) @if let Some(p) = m.round_position { ", arrêt n° " (p) } } None => { (fr(m.kind)) } } }
                    p { strong { (m.beneficiary) } br; (m.address) }
                    @if let Some(t) = &m.phone { p { a.tel href=(format!("tel:{}", t.replace(' ', ""))) { "Appeler le " (t) } } }
                    @if let Some(d) = &m.needed_on { p { "Pour le " (layout::date(d)) } }
                    @if let Some(d) = &m.details { p { (d) } }
                    form method="post" action=(format!("/mes-missions/{}", m.id)) {
                        (csrf_field(caller))
                        input type="hidden" name="fait" value="oui";
                        div.champ { label for=(format!("note-{}", m.id)) { "Un mot pour la cellule (facultatif)" } input type="text" name="note" id=(format!("note-{}", m.id)); }
                        button.bouton-large type="submit" { "C'est fait" }
                    }
                    details {
                        summary { "Je n'ai pas pu la faire" }
                        form method="post" action=(format!("/mes-missions/{}/pas-pu", m.id)) {
                            (csrf_field(caller))
                            div.champ {
                                label for=(format!("raison-{}", m.id)) { "Pourquoi ? (la cellule le lira pour confier la mission à quelqu'un d'autre) " abbr title="obligatoire" { "*" } }
                                input type="text" name="raison" id=(format!("raison-{}", m.id)) required;
                            }
                            button.bouton-secondaire type="submit" { "Je n'ai pas pu" }
                        }
                    }
                }
            }
        }
        @if !finished.is_empty() {
            h2 { "Faites ces 7 derniers jours" }
            ul { @for m in &finished { li { (fr(m.kind)) " — " (m.beneficiary) @if let Some(d) = &m.done_at { " — le " (local(d)) } } } }
        }
    };
    let markup = layout::page(
        state,
        Some(caller),
        layout::PageMeta {
            title: "Mes missions",
            current: "/mes-missions",
        },
        content,
    );
    Ok((notice.status(), markup))
}

/// The missions page again with the reason of a refusal.
async fn missions_again(
    state: &AppState,
    caller: &Caller,
    reason: String,
) -> Result<Markup, WebError> {
    Ok(render_missions(state, caller, Notice::Refused(reason))
        .await?
        .1)
}

async fn complete(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Form(f): Form,
) -> Result<Response, WebError> {
    let by = caller.account.identifier.clone();
    on_own_mission(&state, &caller, id, "faite", async |tx| {
        if !f.flag("fait") {
            return Err(
                CrisisError::Field(maillage_crisis::FieldError::MissingField { field: "fait" })
                    .into(),
            );
        }
        vol::complete_mission(tx, id, &by, f.get("note"), super::now()).await
    })
    .await
}

async fn not_done(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Form(f): Form,
) -> Result<Response, WebError> {
    let by = caller.account.identifier.clone();
    on_own_mission(&state, &caller, id, "pas_pu", async |tx| {
        vol::report_not_done(tx, id, &by, f.get("raison"), super::now()).await
    })
    .await
}

/// A volunteer's change of one of their missions (`code`: done, or could not): audited, back to their missions.
/// A volunteer's missions are theirs by the link to their account, whichever commune asked them: the
/// statements themselves keep to the volunteer's own requests.
async fn on_own_mission(
    state: &AppState,
    caller: &Caller,
    id: i64,
    code: &'static str,
    work: impl AsyncFnOnce(&mut maillage_store::change::Change) -> Result<(), Error>,
) -> Result<Response, WebError> {
    take_as(
        state,
        caller,
        &Reach::everything(),
        Missing::NotFound,
        async |tx, _| -> Taking {
            work(tx).await.map_err(not_yours_is_missing)?;
            Ok(Taken::audit(
                Action::CrisisChanged,
                format!("crise:demande:{id}"),
                json!({ "mission": code }),
            )
            .then("/mes-missions", code))
        },
        async |reason| missions_again(state, caller, reason).await,
    )
    .await
}

/// Someone else's mission: as if it did not exist.
fn not_yours_is_missing(e: Error) -> Error {
    match e {
        Error::Refused(maillage_store::crisis::Refusal::NotYours(id)) => Error::NotFound {
            what: "mission",
            id,
        },
        e => e,
    }
}

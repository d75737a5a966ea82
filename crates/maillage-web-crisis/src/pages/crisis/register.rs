//! The register of vulnerable people (CASF L121-6-1): the list, registration with its information notice, a
//! person's page (correction, acknowledgement, yearly confirmation, removal at their request) and the
//! transmission to the préfet, allowed only while an alert is active. Every page that shows people writes an
//! audit entry; nothing of a person goes to the program's logs or into an error message.

use super::{
    CHOOSE, CRISIS, EXPORT, Missing, Notice, REGISTER, Taken, Taking, audit_read, chosen_commune,
    commune_field, communes, day, form_again, fr, local, reach, reason_only, refused, select, take,
};
use axum::extract::{Path, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use maillage_crisis::register::{
    self as rules, Basis, Confirmation, RegistrationForm, RemovalReason, Requester,
    acknowledgement_due, age_on, confirmation,
};
use maillage_crisis::{Coded, CrisisError};
use maillage_report::pdf::{Align, Doc, PdfTable};
use maillage_store::audit::Action;
use maillage_store::crisis::register::{self as reg, Person};
use maillage_store::crisis::{self as store, cell};
use maillage_store::reach::Territorywide;
use maillage_web_kit::audit;
use maillage_web_kit::auth::Caller;
use maillage_web_kit::error::WebError;
use maillage_web_kit::form::commit;
use maillage_web_kit::layout::csrf_field;
use maillage_web_kit::params::{Form, Params, Query};
use maillage_web_kit::permissions::Permission;
use maillage_web_kit::routes::Routes;
use maillage_web_kit::state::AppState;
use maud::{Markup, html};
use serde_json::json;

pub fn routes(r: Routes) -> Routes {
    r.page(Method::GET, "/crise/registre", REGISTER, list)
        .page(Method::POST, "/crise/registre", REGISTER, create)
        .page(Method::GET, "/crise/registre/{id}", REGISTER, person_page)
        .page(Method::POST, "/crise/registre/{id}", REGISTER, update)
        .page(
            Method::POST,
            "/crise/registre/{id}/radiation",
            REGISTER,
            remove,
        )
        .page(
            Method::POST,
            "/crise/registre/transmission",
            EXPORT,
            transmit,
        )
}

const MESSAGES: &[(&str, &str)] = &[
    (
        "inscription",
        "la personne est inscrite. Envoyez-lui l'accusé de réception dans les 8 jours.",
    ),
    (
        "radiation",
        "la personne est radiée du registre : ses données sont effacées.",
    ),
    ("modification", "l'inscription est corrigée."),
    ("accuse", "l'envoi de l'accusé de réception est noté."),
    ("confirmation", "la confirmation annuelle est notée."),
];

/// The information notice the registration form carries (CNIL fiche of 14 April 2020).
fn notice_text() -> Markup {
    html! {
        details.message.info {
            summary { "Information à donner à la personne (mentions obligatoires)" }
            p { "Le registre nominatif des personnes âgées et des personnes handicapées vivant à domicile est tenu par le maire \
                 (article L121-6-1 du code de l'action sociale et des familles). Il a pour seule finalité de permettre \
                 l'intervention ciblée des services sanitaires et sociaux en cas de déclenchement du plan d'alerte et \
                 d'urgence (canicule, grand froid, épidémie)." }
            p { "L'inscription est facultative. Elle peut être demandée par la personne, son représentant légal ou un tiers ; \
                 la personne en est alors informée et peut s'y opposer. Les données (identité, date de naissance, adresse, \
                 téléphone, personne à prévenir, services à domicile, médecin traitant si elle le souhaite) ne sont \
                 communiquées qu'au préfet, à sa demande, lorsque le plan d'alerte est déclenché." }
            p { "La personne peut à tout moment consulter, faire rectifier ses données ou demander sa radiation, auprès du \
                 CCAS. Elles sont conservées tant qu'elle est inscrite, et effacées à sa radiation." }
        }
    }
}

fn form_of(f: &Params) -> RegistrationForm {
    RegistrationForm {
        last_name: f.raw("nom").into(),
        first_name: f.raw("prenom").into(),
        birth_date: f.raw("date_naissance").into(),
        address: f.raw("adresse").into(),
        phone: f.raw("telephone").into(),
        basis: f.raw("qualite").into(),
        living_at_home: f.flag("domicile"),
        requester: f.raw("demandeur").into(),
        requested_on: f.raw("date_demande").into(),
        informed_on: f.raw("date_information").into(),
        refused: f.flag("opposition"),
        emergency_contact: f.raw("contact_urgence").into(),
        emergency_phone: f.raw("telephone_urgence").into(),
        home_care: f.raw("services_domicile").into(),
        doctor: f.raw("medecin_traitant").into(),
    }
}

fn params_of(p: &Person) -> Params {
    let pairs = [
        ("nom", p.last_name.clone()),
        ("prenom", p.first_name.clone()),
        ("date_naissance", p.birth_date.to_string()),
        ("adresse", p.address.clone()),
        ("telephone", p.phone.clone().unwrap_or_default()),
        ("qualite", p.basis.code().to_string()),
        ("domicile", "oui".to_string()),
        ("demandeur", p.requester.code().to_string()),
        ("date_demande", p.requested_on.to_string()),
        (
            "date_information",
            p.informed_on.map(|d| d.to_string()).unwrap_or_default(),
        ),
        (
            "contact_urgence",
            p.emergency_contact.clone().unwrap_or_default(),
        ),
        (
            "telephone_urgence",
            p.emergency_phone.clone().unwrap_or_default(),
        ),
        ("services_domicile", p.home_care.clone().unwrap_or_default()),
        ("medecin_traitant", p.doctor.clone().unwrap_or_default()),
    ];
    Params(pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
}

/// The registration form, filled with `v` (what was typed, or the person's current data).
fn registration_fields(v: &Params, creating: bool) -> Markup {
    let text = |name: &str, label: &str, required: bool, kind: &str, help: Option<&str>| {
        html! {
            div.champ {
                label for=(format!("r-{name}")) { (label) @if required { " (obligatoire)" } }
                @if let Some(h) = help { p.aide id=(format!("aide-{name}")) { (h) } }
                input type=(kind) name=(name) id=(format!("r-{name}")) value=(v.get(name).unwrap_or("")) required[required]
                    autocomplete="off";
            }
        }
    };
    html! {
        fieldset {
            legend { "La personne" }
            (text("nom", "Nom", true, "text", None))
            (text("prenom", "Prénom", true, "text", None))
            (text("date_naissance", "Date de naissance", true, "date", None))
            (text("adresse", "Adresse", true, "text", None))
            (text("telephone", "Téléphone", false, "tel", Some("Le numéro auquel la joindre pendant une alerte.")))
            div.champ { label for="r-qualite" { "Inscrite en qualité de (obligatoire)" } (select::<Basis>("qualite", "r-qualite", v.get("qualite"), Some(CHOOSE))) }
            div.case {
                input type="checkbox" name="domicile" id="r-domicile" value="oui" checked[v.flag("domicile") || creating && v.get("nom").is_none()];
                label for="r-domicile" { "Vit à son domicile (condition d'inscription)" }
            }
        }
        fieldset {
            legend { "La demande" }
            div.champ { label for="r-demandeur" { "Demandée par (obligatoire)" } (select::<Requester>("demandeur", "r-demandeur", v.get("demandeur"), Some(CHOOSE))) }
            (text("date_demande", "Date de la demande", false, "date", Some("L'inscription prend effet à cette date ; vide : aujourd'hui.")))
            (text("date_information", "Date d'information de la personne", false, "date", Some("Obligatoire quand la demande vient d'un tiers : la personne doit être informée et peut s'opposer.")))
            @if creating {
                div.case {
                    input type="checkbox" name="opposition" id="r-opposition" value="oui";
                    label for="r-opposition" { "La personne, informée, s'oppose à son inscription" }
                }
            }
        }
        fieldset {
            legend { "En cas d'urgence" }
            (text("contact_urgence", "Personne à prévenir", false, "text", None))
            (text("telephone_urgence", "Téléphone de la personne à prévenir", false, "tel", None))
            (text("services_domicile", "Services intervenant à domicile", false, "text", Some("Aide à domicile, soins infirmiers, portage de repas…")))
            (text("medecin_traitant", "Médecin traitant (facultatif)", false, "text", None))
        }
    }
}

fn confirmation_text(c: Confirmation) -> Markup {
    match c {
        Confirmation::UpToDate { due } => html! { "à confirmer avant le " (day(due)) },
        Confirmation::DueSoon { due } => html! { strong { "à confirmer avant le " (day(due)) } },
        Confirmation::Overdue { due, days_late } => {
            html! { span.en-retard { "confirmation attendue depuis le " (day(due)) " (" (days_late) " jours)" } }
        }
    }
}

async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query,
) -> Result<Response, WebError> {
    let notice = Notice::from_query(&q, MESSAGES);
    Ok(render_list(&state, &caller, notice, None)
        .await?
        .into_response())
}

async fn render_list(
    state: &AppState,
    caller: &Caller,
    notice: Notice,
    typed: Option<&Params>,
) -> Result<(StatusCode, Markup), WebError> {
    let st = state.store();
    let now = super::now();
    let today = store::today(now);
    let reach = reach(caller);
    let people = reg::list(st, &reach).await?;
    let choices = communes(state, caller, Territorywide::HolderOfAll).await?;
    audit_read(
        state,
        caller,
        "crise:registre",
        json!({ "page": "liste", "lignes": people.len() }),
    )
    .await?;
    let counts = reg::counts(st, &reach, now, super::REMIND_DAYS).await?;
    let alert = cell::active_alert(st, &reach).await?;
    let empty = Params::default();
    let content = html! {
        (notice.render())
        div.message.info role="note" {
            p { strong { "Données sensibles. " } "Chaque consultation de cette page est inscrite au journal d'audit. \
                 Le registre ne sert qu'au plan d'alerte et d'urgence ; ne le copiez pas ailleurs." }
        }
        ul.tuiles {
            li { span.chiffre { (counts.total) } "personnes inscrites" }
            li { span.chiffre { (counts.to_acknowledge) } "accusés de réception à envoyer"
                 @if counts.acknowledgement_late > 0 { br; span.en-retard { (counts.acknowledgement_late) " au-delà de 8 jours" } } }
            li { span.chiffre { (counts.confirmation_due_soon + counts.confirmation_overdue) } "confirmations annuelles à demander"
                 @if counts.confirmation_overdue > 0 { br; span.en-retard { (counts.confirmation_overdue) " en retard" } } }
            li { span.chiffre { (counts.removals) } "radiations (aucune donnée conservée)" }
        }

        h2 { "Transmission au préfet" }
        @if let Some(e) = &alert {
            p { "Alerte en cours : " strong { (e.title) } " (" (fr(e.level)) "). Le registre peut être transmis au préfet, à sa demande." }
        } @else {
            p { "Aucune alerte en cours : le registre ne peut pas être transmis (il ne l'est qu'en cas de déclenchement du plan d'alerte et d'urgence)." }
        }
        @if caller.has(Permission::CrisisRegisterExport) {
            form.formulaire.filtres method="post" action="/crise/registre/transmission" {
                (csrf_field(caller))
                div.champ { label for="t-motif" { "Motif (demande du préfet, référence)" } input type="text" name="motif" id="t-motif" required; }
                div.champ {
                    label for="t-format" { "Format" }
                    select name="format" id="t-format" { option value="csv" { "CSV (tableur)" } option value="pdf" { "PDF" } }
                }
                button type="submit" { "Transmettre le registre" }
            }
        }

        h2 { "Personnes inscrites" }
        div.defilement {
            table {
                caption { "Registre nominatif, par nom (" (people.len()) " personnes)" }
                thead { tr {
                    th scope="col" { "Nom" } th scope="col" { "Âge" } th scope="col" { "Qualité" } th scope="col" { "Téléphone" }
                    th scope="col" { "Adresse" }
                    @if choices.has_choice() { th scope="col" { "Commune" } }
                    th scope="col" { "Accusé de réception" } th scope="col" { "Confirmation" }
                } }
                tbody {
                    @for p in &people {
                        tr {
                            th scope="row" { a href=(format!("/crise/registre/{}", p.id)) { (p.last_name) " " (p.first_name) } }
                            td.nombre { (age_on(p.birth_date, today)) " ans" }
                            td { (fr(p.basis)) }
                            td { (p.phone.as_deref().unwrap_or("—")) }
                            td { (p.address) }
                            @if choices.has_choice() { td { (choices.name_of(p.commune_code.as_deref())) } }
                            td {
                                @if let Some(a) = p.acknowledged_on { "envoyé le " (day(a)) }
                                @else if acknowledgement_due(p.requested_on) < today { span.en-retard { "à envoyer (délai dépassé)" } }
                                @else { "à envoyer avant le " (day(acknowledgement_due(p.requested_on))) }
                            }
                            td { (confirmation_text(confirmation(p.confirmed_on, today, super::REMIND_DAYS))) }
                        }
                    }
                }
            }
        }

        h2 #inscription { "Inscrire une personne" }
        (notice_text())
        form.formulaire method="post" action="/crise/registre" {
            (csrf_field(caller))
            (commune_field(&choices, "r-commune", typed.and_then(|t| t.get("commune"))))
            (registration_fields(typed.unwrap_or(&empty), true))
            button type="submit" { "Inscrire" }
        }
    };
    Ok((
        notice.status(),
        CRISIS.page(
            state,
            caller,
            "Registre des personnes vulnérables",
            "/crise/registre",
            content,
        ),
    ))
}

/// The register's list again with the reason of a refusal, keeping what was `typed` in the registration form.
async fn list_again(
    state: &AppState,
    caller: &Caller,
    reason: String,
    typed: Option<&Params>,
) -> Result<Markup, WebError> {
    Ok(render_list(state, caller, Notice::Refused(reason), typed)
        .await?
        .1)
}

async fn create(
    State(state): State<AppState>,
    caller: Caller,
    Form(f): Form,
) -> Result<Response, WebError> {
    let now = super::now();
    let choices = communes(&state, &caller, Territorywide::HolderOfAll).await?;
    take(
        &state,
        &caller,
        Missing::Refused,
        async |tx, reach| -> Taking {
            let registration = rules::validate(&form_of(&f), store::today(now))?;
            let commune = chosen_commune(&choices, &f)?;
            let id = reg::create(
                tx,
                reach,
                commune.as_deref(),
                &registration,
                None,
                &caller.account.identifier,
                now,
            )
            .await?;
            let details = json!({ "inscription": true, "qualite": registration.basis.code(), "demandeur": registration.requester.code() });
            Ok(
                Taken::audit(Action::CrisisRegisterChanged, format!("personne:{id}"), details)
                    .then(format!("/crise/registre/{id}"), "inscription"),
            )
        },
        async |reason| list_again(&state, &caller, reason, Some(&f)).await,
    )
    .await
}

async fn person_page(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Query(q): Query,
) -> Result<Response, WebError> {
    let notice = Notice::from_query(&q, MESSAGES);
    Ok(render_person(&state, &caller, id, notice, None)
        .await?
        .into_response())
}

async fn render_person(
    state: &AppState,
    caller: &Caller,
    id: i64,
    notice: Notice,
    typed: Option<&Params>,
) -> Result<(StatusCode, Markup), WebError> {
    let now = super::now();
    let today = store::today(now);
    let Some(p) = reg::get(state.store(), &reach(caller), id).await? else {
        return Err(WebError::NotFound);
    };
    let choices = communes(state, caller, Territorywide::HolderOfAll).await?;
    audit_read(
        state,
        caller,
        &format!("personne:{id}"),
        json!({ "page": "fiche" }),
    )
    .await?;
    let current = params_of(&p);
    let content = html! {
        (notice.render())
        p { a href="/crise/registre" { "← Retour au registre" } }
        dl {
            dt { "Âge" } dd { (age_on(p.birth_date, today)) " ans (né(e) le " (day(p.birth_date)) ")" }
            dt { "Qualité" } dd { (fr(p.basis)) }
            @if choices.has_choice() { dt { "Commune" } dd { (choices.name_of(p.commune_code.as_deref())) } }
            dt { "Téléphone" } dd { @if let Some(t) = &p.phone { a href=(format!("tel:{}", t.replace(' ', ""))) { (t) } } @else { "—" } }
            dt { "Adresse" } dd { (p.address) }
            dt { "Demande" } dd { (fr(p.requester)) ", le " (day(p.requested_on))
                @if let Some(i) = p.informed_on { " ; personne informée le " (day(i)) } }
            dt { "Accusé de réception" } dd {
                @if let Some(a) = p.acknowledged_on { "envoyé le " (day(a)) }
                @else { "à envoyer avant le " (day(acknowledgement_due(p.requested_on))) }
            }
            dt { "Confirmation annuelle" } dd { "dernière le " (day(p.confirmed_on)) " — " (confirmation_text(confirmation(p.confirmed_on, today, super::REMIND_DAYS))) }
            dt { "Personne à prévenir" } dd { (p.emergency_contact.as_deref().unwrap_or("—")) @if let Some(t) = &p.emergency_phone { " — " (t) } }
            dt { "Services à domicile" } dd { (p.home_care.as_deref().unwrap_or("—")) }
            dt { "Médecin traitant" } dd { (p.doctor.as_deref().unwrap_or("—")) }
            dt { "Inscription saisie" } dd { "le " (local(&p.created_at)) " par " (p.created_by) }
        }
        div.filtres {
            @if p.acknowledged_on.is_none() {
                form method="post" action=(format!("/crise/registre/{id}")) {
                    (csrf_field(caller)) input type="hidden" name="action" value="accuse";
                    button type="submit" { "Accusé de réception envoyé aujourd'hui" }
                }
            }
            form method="post" action=(format!("/crise/registre/{id}")) {
                (csrf_field(caller)) input type="hidden" name="action" value="confirme";
                button type="submit" { "La personne confirme son inscription aujourd'hui" }
            }
        }
        h2 { "Corriger l'inscription" }
        form.formulaire method="post" action=(format!("/crise/registre/{id}")) {
            (csrf_field(caller))
            input type="hidden" name="action" value="modifier";
            (commune_field(&choices, "r-commune", typed.and_then(|t| t.get("commune")).or(p.commune_code.as_deref())))
            (registration_fields(typed.unwrap_or(&current), false))
            button type="submit" { "Enregistrer les corrections" }
        }
        h2 { "Radier la personne" }
        p { "À la demande de la personne, à tout moment et sans motif à justifier. Ses données sont effacées (appels compris) ; \
             seul le nombre de radiations est conservé." }
        form.formulaire method="post" action=(format!("/crise/registre/{id}/radiation")) {
            (csrf_field(caller))
            div.champ { label for="rad-motif" { "Motif" } (select::<RemovalReason>("motif", "rad-motif", None, Some(CHOOSE))) }
            button type="submit" { "Radier et effacer les données" }
        }
    };
    let title = format!("{} {}", p.last_name, p.first_name);
    Ok((
        notice.status(),
        CRISIS.page(state, caller, &title, "/crise/registre", content),
    ))
}

async fn update(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Form(f): Form,
) -> Result<Response, WebError> {
    let now = super::now();
    let today = store::today(now);
    let action = f.get("action").unwrap_or("");
    // A person outside the caller's reach is not found, whatever the action.
    let Some(current) = reg::get(state.store(), &reach(&caller), id).await? else {
        return Err(WebError::NotFound);
    };
    take(
        &state,
        &caller,
        Missing::NotFound,
        async |tx, reach| -> Taking {
            let code =
                match action {
                    "accuse" => {
                        reg::acknowledge(tx, reach, id, today, now).await?;
                        "accuse"
                    }
                    "confirme" => {
                        reg::confirm(tx, reach, id, today, now).await?;
                        "confirmation"
                    }
                    "modifier" => {
                        let r = rules::validate(&form_of(&f), today)?;
                        // The commune chosen in the form, or the one the person has.
                        let commune = f
                            .get("commune")
                            .map(str::to_string)
                            .or(current.commune_code.clone());
                        reg::update(tx, reach, id, commune.as_deref(), &r, current.position, now)
                            .await?;
                        "modification"
                    }
                    _ => {
                        return Err(CrisisError::Field(
                            maillage_crisis::FieldError::MissingField { field: "action" },
                        )
                        .into());
                    }
                };
            Ok(Taken::audit(
                Action::CrisisRegisterChanged,
                format!("personne:{id}"),
                json!({ "action": code }),
            )
            .then(format!("/crise/registre/{id}"), code))
        },
        async |reason| {
            let typed = (action == "modifier").then_some(&f);
            Ok(
                render_person(&state, &caller, id, Notice::Refused(reason), typed)
                    .await?
                    .1,
            )
        },
    )
    .await
}

async fn remove(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Form(f): Form,
) -> Result<Response, WebError> {
    let reason = match maillage_crisis::parse_code::<RemovalReason>("motif", f.raw("motif")) {
        Ok(r) => r,
        Err(e) => {
            return form_again(store::Error::from(e), Missing::Refused, async |reason| {
                Ok(
                    render_person(&state, &caller, id, Notice::Refused(reason), None)
                        .await?
                        .1,
                )
            })
            .await;
        }
    };
    // A refused removal answers 400 with the reason alone, not the page again.
    take(
        &state,
        &caller,
        Missing::NotFound,
        async |tx, reach| -> Taking {
            reg::remove(
                tx,
                reach,
                id,
                reason,
                &caller.account.identifier,
                super::now(),
            )
            .await?;
            Ok(Taken::audit(
                Action::CrisisRegisterChanged,
                format!("personne:{id}"),
                json!({ "radiation": reason.code() }),
            )
            .then("/crise/registre", "radiation"))
        },
        reason_only,
    )
    .await
}

// ---------------------------------------------------------------------------------------------------------------
// Transmission to the préfet.

const COLUMNS: [&str; 13] = [
    "Nom",
    "Prénom",
    "Date de naissance",
    "Adresse",
    "Téléphone",
    "Qualité",
    "Demandée par",
    "Date de la demande",
    "Personne à prévenir",
    "Téléphone de la personne à prévenir",
    "Services à domicile",
    "Médecin traitant",
    "Dernière confirmation",
];

fn row(p: &Person) -> [String; 13] {
    [
        p.last_name.clone(),
        p.first_name.clone(),
        day(p.birth_date),
        p.address.clone(),
        p.phone.clone().unwrap_or_default(),
        fr(p.basis),
        fr(p.requester),
        day(p.requested_on),
        p.emergency_contact.clone().unwrap_or_default(),
        p.emergency_phone.clone().unwrap_or_default(),
        p.home_care.clone().unwrap_or_default(),
        p.doctor.clone().unwrap_or_default(),
        day(p.confirmed_on),
    ]
}

/// CSV as French spreadsheets open it: UTF-8 with a byte order mark, `;`, CRLF; cells that a spreadsheet would
/// run as a formula are prefixed with an apostrophe.
fn csv(people: &[Person]) -> Vec<u8> {
    let mut w = ::csv::WriterBuilder::new()
        .delimiter(b';')
        .terminator(::csv::Terminator::CRLF)
        .from_writer("\u{feff}".as_bytes().to_vec());
    let _ = w.write_record(COLUMNS);
    for p in people {
        let cells = row(p).map(|c| {
            if c.starts_with(['=', '+', '-', '@', '\t', '\r']) {
                format!("'{c}")
            } else {
                c
            }
        });
        let _ = w.write_record(&cells);
    }
    w.into_inner().unwrap_or_default()
}

fn pdf(people: &[Person], reason: &str, event: &str, at: &str, by: &str) -> Vec<u8> {
    let mut doc = Doc::new(
        "Registre des personnes vulnérables — transmission au préfet",
        "Document confidentiel — CASF L121-6-1",
    );
    doc.heading("Registre des personnes vulnérables", 1);
    doc.paragraph(
        &format!("Transmis au préfet le {at} par {by}, pendant l'alerte « {event} ». Motif : {reason}. {} personnes.", people.len()),
        10.0,
        maillage_report::font::Weight::Regular,
        maillage_report::pdf::INK,
    );
    let widths = [0.12, 0.10, 0.09, 0.22, 0.11, 0.12, 0.24];
    let table = PdfTable {
        caption: "Personnes inscrites".into(),
        columns: [
            "Nom",
            "Prénom",
            "Naissance",
            "Adresse",
            "Téléphone",
            "Qualité",
            "Personne à prévenir",
        ]
        .iter()
        .zip(widths)
        .map(|(h, w)| (h.to_string(), w, Align::Left))
        .collect(),
        rows: people
            .iter()
            .map(|p| {
                let r = row(p);
                let contact = match (r[8].is_empty(), r[9].is_empty()) {
                    (false, false) => format!("{} — {}", r[8], r[9]),
                    _ => format!("{}{}", r[8], r[9]),
                };
                vec![
                    r[0].clone(),
                    r[1].clone(),
                    r[2].clone(),
                    r[3].clone(),
                    r[4].clone(),
                    r[5].clone(),
                    contact,
                ]
            })
            .collect(),
    };
    doc.table(&table);
    doc.finish()
}

async fn transmit(
    State(state): State<AppState>,
    caller: Caller,
    Form(f): Form,
) -> Result<Response, WebError> {
    let now = super::now();
    let Some(reason) = f
        .get("motif")
        .map(|r| r.chars().take(300).collect::<String>())
    else {
        let message = maillage_messages::sentence(&maillage_messages::French::french(
            &CrisisError::ReasonRequired,
        ));
        return Ok(refused(list_again(&state, &caller, message, None).await?));
    };
    let format = match f.get("format").unwrap_or("csv") {
        "pdf" => "pdf",
        _ => "csv",
    };
    // The alert is checked in the transaction that records the transmission; not [`take`]: the answer is the
    // file itself.
    let reach = reach(&caller);
    let mut tx = store::begin(state.store(), &reach).await?;
    let active = cell::alert_active_in(&mut tx, &reach).await?;
    if !active {
        drop(tx);
        audit::record(
            &state,
            &caller,
            Action::CrisisRegisterExportRefused,
            "crise:registre",
            json!({ "motif": reason, "raison": "aucune_alerte" }),
        )
        .await?;
        let message = maillage_messages::sentence(&maillage_messages::French::french(
            &CrisisError::NoActiveAlert,
        ));
        let markup = list_again(&state, &caller, message, None).await?;
        return Ok((StatusCode::CONFLICT, markup).into_response());
    }
    // The caller's register only: an account of commune B transmits commune B's people.
    let people = reg::list(state.store(), &reach).await?;
    let event = cell::active_alert(state.store(), &reach)
        .await?
        .map(|e| e.title)
        .unwrap_or_default();
    let details =
        json!({ "motif": reason, "format": format, "lignes": people.len(), "evenement": event });
    commit(
        tx,
        &caller,
        Action::CrisisRegisterExported,
        "crise:registre",
        details,
    )
    .await?;
    let stamp = store::today(now).to_string();
    let at = local(&store::instant(now));
    let (bytes, content_type, ext) = match format {
        "pdf" => (
            pdf(&people, &reason, &event, &at, &caller.account.display_name),
            "application/pdf",
            "pdf",
        ),
        _ => (csv(&people), "text/csv; charset=utf-8", "csv"),
    };
    let mut r = bytes.into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(v) = HeaderValue::from_str(&format!(
        "attachment; filename=\"registre-personnes-vulnerables-{stamp}.{ext}\""
    )) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(r)
}

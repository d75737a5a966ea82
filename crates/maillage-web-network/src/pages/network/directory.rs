//! The internal directory of actors (`/reseau/acteurs`): every entry, public or internal, with its contact
//! persons; creation, edition, CSV import (all or nothing, errors with line and column) and exports. Contact
//! persons are personal data: their changes and exports are audited under their own actions.

use super::public::{actor_card, search_form};
use super::{
    Communes, DIRECTORY, MANAGE, Missing, NETWORK, Notice, Taken, Taking, area, begin, checkboxes,
    commit, commune_typed, field, fr, posted_commune, reach, reason_only, refusal, refused, select,
    take, target,
};
use crate::data::network::search_of;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use maillage_messages::French;
use maillage_network::Coded;
use maillage_network::codes::{ActorKind, Appointment, Cost, Language, Public, Theme, Visibility};
use maillage_network::directory::{self, ActorFields, ActorRecord, COLUMNS};
use maillage_store::audit::Action;
use maillage_store::network::directory::{self as store, Actor, ContactForm};
use maillage_web_kit::auth::Caller;
use maillage_web_kit::error::WebError;
use maillage_web_kit::layout::csrf_field;
use maillage_web_kit::lists::{self, Paging};
use maillage_web_kit::params::{Form, Params, Query};
use maillage_web_kit::permissions::Permission;
use maillage_web_kit::routes::Routes;
use maillage_web_kit::state::AppState;
use maud::{Markup, html};
use serde_json::json;

pub fn routes(r: Routes) -> Routes {
    r.page(Method::GET, "/reseau/acteurs", DIRECTORY, list_page)
        .page(Method::POST, "/reseau/acteurs", MANAGE, create)
        .page(Method::GET, "/reseau/acteurs.csv", DIRECTORY, export_actors)
        .page(Method::GET, "/reseau/contacts.csv", MANAGE, export_contacts)
        .page(Method::POST, "/reseau/acteurs/import", MANAGE, import)
        .page(Method::GET, "/reseau/acteurs/{id}", DIRECTORY, actor_page)
        .page(Method::POST, "/reseau/acteurs/{id}", MANAGE, update)
        .page(
            Method::POST,
            "/reseau/acteurs/{id}/contacts",
            MANAGE,
            add_contact,
        )
        .page(
            Method::POST,
            "/reseau/contacts/{id}",
            MANAGE,
            update_contact,
        )
        .page(
            Method::POST,
            "/reseau/contacts/{id}/suppression",
            MANAGE,
            delete_contact,
        )
}

/// Largest CSV file the import reads (a directory of a few thousand entries is far below).
const MAX_IMPORT: usize = 10 << 20;

const MESSAGES: &[(&str, &str)] = &[
    ("cree", "la fiche est créée."),
    ("modifie", "la fiche est enregistrée."),
    (
        "supprime",
        "la fiche est dans la corbeille : vous pouvez l'y restaurer pendant 30 jours.",
    ),
    ("restaure", "la fiche est restaurée depuis la corbeille."),
    ("contact", "le contact est enregistré."),
    ("contact_supprime", "le contact est supprimé."),
];

fn id_of(s: &str) -> Result<i64, WebError> {
    s.parse().map_err(|_| WebError::NotFound)
}

/// The fields of the entry form, as typed (check boxes of codes joined as stored).
fn fields_of(f: &Params) -> ActorFields {
    let mut out = ActorFields::default();
    for (c, _) in COLUMNS {
        match *c {
            "langues" | "besoins" | "publics" => out.set(c, f.all(c).join("|")),
            _ => out.set(c, f.raw(c)),
        }
    }
    out
}

/// The form of an entry (new when `record` is None), filled with `values`; `commune` is the entry's (see
/// [`Communes::field`]).
fn actor_form(
    caller: &Caller,
    communes: &Communes,
    action: &str,
    values: &ActorFields,
    record: Option<&ActorRecord>,
    commune: Option<Option<&str>>,
) -> Markup {
    let v = |c: &str| values.get(c).to_string();
    let id = |c: &str| format!("f-{c}");
    let checked_themes: Vec<Theme> = record.map(|r| r.themes.clone()).unwrap_or_default();
    let checked_publics: Vec<Public> = record.map(|r| r.publics.clone()).unwrap_or_default();
    let checked_languages: Vec<Language> = record.map(|r| r.languages.clone()).unwrap_or_default();
    html! {
        form.formulaire method="post" action=(action) {
            (csrf_field(caller))
            p.aide { "Les champs marqués * sont obligatoires. Une fiche publique apparaît dans l'annuaire public : n'y mettez que les coordonnées de l'accueil, jamais celles d'une personne (elles vont dans les contacts)." }
            (field("nom", &id("nom"), "Nom", &v("nom"), "text", true))
            (communes.field(&id("commune_code"), true, commune))
            div.champ { label for=(id("type")) { "Type" } (select::<ActorKind>("type", &id("type"), Some(values.get("type")), None)) }
            div.champ { label for=(id("visibilite")) { "Visibilité" } (select::<Visibility>("visibilite", &id("visibilite"), Some(values.get("visibilite")).filter(|s| !s.is_empty()).or(Some("interne")), None)) }
            (area("missions", &id("missions"), "Missions générales", &v("missions"), 3))
            (area("missions_specifiques", &id("missions_specifiques"), "Missions spécifiques", &v("missions_specifiques"), 3))
            (area("public_cible", &id("public_cible"), "Population cible", &v("public_cible"), 2))
            (area("conditions_acces", &id("conditions_acces"), "Conditions d'accès", &v("conditions_acces"), 2))
            (field("age_min", &id("age_min"), "Âge minimal", &v("age_min"), "number", false))
            (field("age_max", &id("age_max"), "Âge maximal", &v("age_max"), "number", false))
            (checkboxes::<Theme>("besoins", "Besoins et thèmes", &checked_themes))
            (checkboxes::<Public>("publics", "Publics", &checked_publics))
            (checkboxes::<Language>("langues", "Langues parlées à l'accueil", &checked_languages))
            (field("adresse", &id("adresse"), "Adresse de l'accueil", &v("adresse"), "text", false))
            (field("code_postal", &id("code_postal"), "Code postal", &v("code_postal"), "text", false))
            (field("commune", &id("commune"), "Commune", &v("commune"), "text", false))
            (field("territoire", &id("territoire"), "Territoire d'intervention (quartier, commune…)", &v("territoire"), "text", false))
            (field("telephone", &id("telephone"), "Téléphone de l'accueil", &v("telephone"), "tel", false))
            (field("courriel", &id("courriel"), "Courriel de l'accueil", &v("courriel"), "email", false))
            (field("site_web", &id("site_web"), "Site web", &v("site_web"), "text", false))
            (area("horaires", &id("horaires"), "Horaires d'ouverture", &v("horaires"), 3))
            div.champ { label for=(id("rendez_vous")) { "Rendez-vous" } (select::<Appointment>("rendez_vous", &id("rendez_vous"), Some(values.get("rendez_vous")), Some("— non précisé —"))) }
            div.champ { label for=(id("tarif")) { "Tarif" } (select::<Cost>("tarif", &id("tarif"), Some(values.get("tarif")), Some("— non précisé —"))) }
            div.champ {
                label for=(id("accessible_pmr")) { "Accueil accessible en fauteuil roulant" }
                select name="accessible_pmr" id=(id("accessible_pmr")) {
                    option value="" selected[v("accessible_pmr").is_empty()] { "— non précisé —" }
                    option value="oui" selected[v("accessible_pmr") == "oui"] { "Oui" }
                    option value="non" selected[v("accessible_pmr") == "non"] { "Non" }
                }
            }
            (field("longitude", &id("longitude"), "Longitude (WGS84, facultatif)", &v("longitude"), "text", false))
            (field("latitude", &id("latitude"), "Latitude (WGS84, facultatif)", &v("latitude"), "text", false))
            (field("identifiant", &id("identifiant"), "Identifiant (facultatif : sert aux mises à jour par import)", &v("identifiant"), "text", false))
            button type="submit" { "Enregistrer la fiche" }
        }
    }
}

async fn render_list(
    state: &AppState,
    caller: &Caller,
    q: &Params,
    notice: Notice,
    typed: Option<&ActorFields>,
) -> Result<Markup, WebError> {
    let s = search_of(q);
    let paging = Paging::from_query(q);
    let found = store::search(state.store(), &reach(caller), false, &s, paging.window()).await?;
    let (every, public) = store::count(state.store(), &reach(caller)).await?;
    let communes = Communes::of(state, caller).await?;
    let manage = caller.has(Permission::NetworkManage);
    let empty = ActorFields::default();
    let content = html! {
        (notice.render())
        p { (every) " fiches, dont " (public) " publiques (visibles dans " a href="/annuaire" { "l'annuaire public" } ")." }
        p { a href="/reseau/acteurs.csv" { "Exporter l'annuaire (CSV)" }
            @if manage { " · " a href="/reseau/contacts.csv" { "Exporter les personnes contacts (CSV, export journalisé)" } " · " a href="/reseau/corbeille" { "Corbeille" } } }
        (search_form("/reseau/acteurs", &s, None))
        (lists::pager("/reseau/acteurs", q, &paging, found.total, ("fiche", "fiches")))
        div.defilement tabindex="0" role="region" aria-label="Fiches de l'annuaire (défilement horizontal)" {
            table {
                caption { "Fiches de l'annuaire" }
                thead { tr { th scope="col" { "Nom" } th scope="col" { "Type" } th scope="col" { "Besoins" } th scope="col" { "Commune" } th scope="col" { "Visibilité" } @if communes.several() { th scope="col" { "Tenue par" } } } }
                tbody {
                    @for a in &found.rows {
                        tr {
                            th scope="row" { a href=(format!("/reseau/acteurs/{}", a.id)) { (a.record.name) } }
                            td { (fr(a.record.kind)) }
                            td { (a.record.themes.iter().map(|t| t.french()).collect::<Vec<_>>().join(", ")) }
                            td { (a.record.commune.as_deref().unwrap_or("—")) }
                            td { @if a.record.is_public() { "Publique" } @else { "Interne" } }
                            @if communes.several() { td { (communes.name(a.commune_code.as_deref())) } }
                        }
                    }
                }
            }
        }
        @if manage {
            h2 { "Importer des fiches (CSV)" }
            p.aide { "Un fichier CSV (séparateur ; ou ,) dont la première ligne nomme les colonnes : "
                @for (i, (c, _)) in COLUMNS.iter().enumerate() { @if i > 0 { ", " } code { (c) } }
                ". Seule la colonne « nom » est obligatoire. Une fiche dont l'identifiant existe déjà est mise à jour ; les autres sont ajoutées ; rien n'est supprimé. Une erreur sur une ligne fait refuser tout le fichier, en indiquant la ligne et la colonne." }
            form.formulaire method="post" action="/reseau/acteurs/import" enctype="multipart/form-data" {
                (csrf_field(caller))
                (communes.field("import-commune", true, None))
                div.champ { label for="import-fichier" { "Fichier CSV" } input type="file" name="fichier" id="import-fichier" accept=".csv,text/csv" required; }
                button type="submit" { "Importer" }
            }
            details.modifier open[typed.is_some()] {
                summary { "Ajouter une fiche" }
                (actor_form(caller, &communes, "/reseau/acteurs", typed.unwrap_or(&empty), None, None))
            }
        }
    };
    Ok(NETWORK.page(
        state,
        caller,
        "Annuaire des acteurs",
        "/reseau/acteurs",
        content,
    ))
}

async fn list_page(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query,
) -> Result<Markup, WebError> {
    let notice = Notice::from_query(&q, MESSAGES);
    render_list(&state, &caller, &q, notice, None).await
}

async fn create(
    State(state): State<AppState>,
    caller: Caller,
    Form(f): Form,
) -> Result<Response, WebError> {
    let values = fields_of(&f);
    let commune = posted_commune(&caller, &f);
    take(
        &state,
        &caller,
        Missing::Refused,
        async |tx, reach| -> Taking {
            let record = ActorRecord::from_fields(&values)?;
            let id = store::save_actor(
                tx,
                reach,
                None,
                commune.as_deref(),
                &record,
                &caller.account.identifier,
                super::now(),
            )
            .await?;
            Ok(Taken::audit(
                Action::NetworkChanged,
                target("acteur", id),
                json!({ "creation": true, "visibilite": record.visibility.code() }),
            )
            .then(format!("/reseau/acteurs/{id}"), "cree"))
        },
        async |reason| {
            render_list(
                &state,
                &caller,
                &Params::default(),
                Notice::Refused(reason),
                Some(&values),
            )
            .await
        },
    )
    .await
}

async fn render_actor(
    state: &AppState,
    caller: &Caller,
    a: &Actor,
    notice: Notice,
    typed: Option<&ActorFields>,
) -> Result<Markup, WebError> {
    let contacts = store::contacts(state.store(), &reach(caller), Some(a.id)).await?;
    let communes = Communes::of(state, caller).await?;
    let manage = caller.has(Permission::NetworkManage);
    let current = ActorFields::of(&a.record);
    let content = html! {
        (notice.render())
        p { a href="/reseau/acteurs" { "← Annuaire des acteurs" }
            @if a.record.is_public() { " · " a href=(format!("/annuaire/fiche/{}", a.id)) { "Voir la fiche publique" } } }
        (actor_card(a, 2, None))
        p.aide { "Identifiant : " code { (a.record.key.as_deref().unwrap_or("")) } ". Tenue par : " (communes.name(a.commune_code.as_deref())) ". Visibilité : " (fr(a.record.visibility)) ". Dernière modification : " (super::local_text(&a.updated_at)) " par " (maillage_web_kit::layout::author(&a.updated_by)) "." }
        h2 { "Personnes contacts" }
        p.aide { "Données personnelles : jamais publiées ; leurs modifications et exports sont journalisés." }
        @if contacts.is_empty() { p { "Aucune personne contact." } }
        @else {
            div.defilement {
                table {
                    thead { tr { th scope="col" { "Nom" } th scope="col" { "Fonction" } th scope="col" { "Courriel" } th scope="col" { "Téléphone" } @if manage { th scope="col" { "Actions" } } } }
                    tbody {
                        @for c in &contacts {
                            tr {
                                th scope="row" { (c.name) }
                                td { (c.role.as_deref().unwrap_or("—")) }
                                td { @if let Some(e) = &c.email { a href=(format!("mailto:{e}")) { (e) } } @else { "—" } }
                                td { (c.phone.as_deref().unwrap_or("—")) }
                                @if manage {
                                    td {
                                        details {
                                            summary { "Modifier " span.visuellement-cache { (c.name) } }
                                            (contact_form(caller, &format!("/reseau/contacts/{}", c.id), Some(c)))
                                        }
                                        a.bouton-danger href=(format!("/reseau/contacts/{}/suppression", c.id)) { "Supprimer" span.visuellement-cache { " " (c.name) } "…" }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        @if manage {
            details.modifier {
                summary { "Ajouter une personne contact" }
                (contact_form(caller, &format!("/reseau/acteurs/{}/contacts", a.id), None))
            }
            details.modifier open[typed.is_some()] {
                summary { "Modifier la fiche" }
                (actor_form(caller, &communes, &format!("/reseau/acteurs/{}", a.id), typed.unwrap_or(&current), Some(&a.record), Some(a.commune_code.as_deref())))
            }
            p { a.bouton-danger href=(super::trash::confirmation_path(a.id)) { "Supprimer la fiche et ses contacts…" } }
        }
    };
    Ok(NETWORK.page(state, caller, &a.record.name, "/reseau/acteurs", content))
}

fn contact_form(caller: &Caller, action: &str, c: Option<&store::Contact>) -> Markup {
    let suffix = action.replace('/', "-");
    let v = |f: fn(&store::Contact) -> Option<&str>| c.and_then(f).unwrap_or("").to_string();
    html! {
        form.formulaire method="post" action=(action) {
            (csrf_field(caller))
            (field("nom", &format!("c-nom{suffix}"), "Nom", &v(|c| Some(c.name.as_str())), "text", true))
            (field("fonction", &format!("c-fonction{suffix}"), "Fonction", &v(|c| c.role.as_deref()), "text", false))
            (field("courriel", &format!("c-courriel{suffix}"), "Courriel", &v(|c| c.email.as_deref()), "email", false))
            (field("telephone", &format!("c-tel{suffix}"), "Téléphone", &v(|c| c.phone.as_deref()), "tel", false))
            button type="submit" { "Enregistrer le contact" }
        }
    }
}

async fn actor_page(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Query(q): Query,
) -> Result<Markup, WebError> {
    let a = store::actor(state.store(), &reach(&caller), id_of(&id)?)
        .await?
        .ok_or(WebError::NotFound)?;
    render_actor(&state, &caller, &a, Notice::from_query(&q, MESSAGES), None).await
}

async fn update(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Form(f): Form,
) -> Result<Response, WebError> {
    let a = store::actor(state.store(), &reach(&caller), id_of(&id)?)
        .await?
        .ok_or(WebError::NotFound)?;
    let mut values = fields_of(&f);
    if values.get("identifiant").trim().is_empty() {
        values.set("identifiant", a.record.key.clone().unwrap_or_default());
    }
    let commune = posted_commune(&caller, &f);
    take(
        &state,
        &caller,
        Missing::Refused,
        async |tx, reach| -> Taking {
            let record = ActorRecord::from_fields(&values)?;
            store::save_actor(
                tx,
                reach,
                Some(a.id),
                commune.as_deref(),
                &record,
                &caller.account.identifier,
                super::now(),
            )
            .await?;
            Ok(Taken::audit(
                Action::NetworkChanged,
                target("acteur", a.id),
                json!({ "modification": true, "visibilite": record.visibility.code() }),
            )
            .then(format!("/reseau/acteurs/{}", a.id), "modifie"))
        },
        async |reason| {
            render_actor(&state, &caller, &a, Notice::Refused(reason), Some(&values)).await
        },
    )
    .await
}

fn contact_of(f: &Params) -> ContactForm {
    ContactForm {
        name: f.raw("nom").into(),
        role: f.raw("fonction").into(),
        email: f.raw("courriel").into(),
        phone: f.raw("telephone").into(),
    }
}

async fn add_contact(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Form(f): Form,
) -> Result<Response, WebError> {
    let a = store::actor(state.store(), &reach(&caller), id_of(&id)?)
        .await?
        .ok_or(WebError::NotFound)?;
    // A contact of an actor is the actor's commune's (the whole territory's actor: the caller's commune).
    let commune = posted_commune(&caller, &f);
    take(
        &state,
        &caller,
        Missing::Refused,
        async |tx, reach| -> Taking {
            let cid = store::save_contact(
                tx,
                reach,
                None,
                Some(a.id),
                commune.as_deref(),
                &contact_of(&f),
                super::now(),
            )
            .await?;
            Ok(Taken::audit(
                Action::NetworkContactsChanged,
                target("contact", cid),
                json!({ "acteur": a.id, "creation": true }),
            )
            .then(format!("/reseau/acteurs/{}", a.id), "contact"))
        },
        async |reason| render_actor(&state, &caller, &a, Notice::Refused(reason), None).await,
    )
    .await
}

async fn update_contact(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Form(f): Form,
) -> Result<Response, WebError> {
    let c = store::contact(state.store(), &reach(&caller), id_of(&id)?)
        .await?
        .ok_or(WebError::NotFound)?;
    take(
        &state,
        &caller,
        Missing::Refused,
        async |tx, reach| -> Taking {
            store::save_contact(
                tx,
                reach,
                Some(c.id),
                c.actor_id,
                c.commune_code.as_deref(),
                &contact_of(&f),
                super::now(),
            )
            .await?;
            Ok(Taken::audit(
                Action::NetworkContactsChanged,
                target("contact", c.id),
                json!({ "modification": true }),
            )
            .then(contact_back(&c), "contact"))
        },
        async |reason| match c.actor_id {
            Some(a) => {
                let a = store::actor(state.store(), &reach(&caller), a)
                    .await?
                    .ok_or(WebError::NotFound)?;
                render_actor(&state, &caller, &a, Notice::Refused(reason), None).await
            }
            None => reason_only(reason).await,
        },
    )
    .await
}

/// Where a contact's changes lead: its actor's page, or the relay's for a contact of no actor.
pub(super) fn contact_back(c: &store::Contact) -> String {
    c.actor_id.map_or("/reseau/relais".to_string(), |a| {
        format!("/reseau/acteurs/{a}")
    })
}

async fn delete_contact(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Form(f): Form,
) -> Result<Response, WebError> {
    let c = store::contact(state.store(), &reach(&caller), id_of(&id)?)
        .await?
        .ok_or(WebError::NotFound)?;
    // Only the confirmation page's button erases (super::trash).
    if let Some(to_confirmation) = maillage_web_kit::confirm::unconfirmed(
        &f,
        &format!("/reseau/contacts/{}/suppression", c.id),
    ) {
        return Ok(to_confirmation);
    }
    take(
        &state,
        &caller,
        Missing::NotFound,
        async |tx, reach| -> Taking {
            store::delete_contact(tx, reach, c.id).await?;
            Ok(Taken::audit(
                Action::NetworkContactsChanged,
                target("contact", c.id),
                json!({ "suppression": true }),
            )
            .then(contact_back(&c), "contact_supprime"))
        },
        reason_only,
    )
    .await
}

fn csv_response(bytes: Vec<u8>, file_name: &str) -> Response {
    let mut r = bytes.into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{file_name}\"")) {
        r.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    r
}

/// The directory as CSV (the same columns the import reads): reception contacts only, no person.
async fn export_actors(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Response, WebError> {
    let actors = store::actors(state.store(), &reach(&caller), false).await?;
    let records: Vec<ActorRecord> = actors.into_iter().map(|a| a.record).collect();
    maillage_web_kit::audit::record(
        &state,
        &caller,
        Action::DataExported,
        "reseau:acteurs.csv",
        json!({ "lignes": records.len() }),
    )
    .await?;
    Ok(csv_response(
        directory::to_csv(&records),
        "annuaire-acteurs.csv",
    ))
}

/// The contact persons as CSV: personal data, the export is audited.
async fn export_contacts(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Response, WebError> {
    let contacts = store::contacts(state.store(), &reach(&caller), None).await?;
    let mut w = csv::WriterBuilder::new()
        .delimiter(b';')
        .terminator(csv::Terminator::CRLF)
        .from_writer("\u{feff}".as_bytes().to_vec());
    let protect = |v: &str| {
        if v.starts_with(['=', '+', '-', '@']) {
            format!("'{v}")
        } else {
            v.to_string()
        }
    };
    let _ = w.write_record(["acteur", "nom", "fonction", "courriel", "telephone"]);
    for c in &contacts {
        let cells = [
            c.actor_name.as_deref(),
            Some(c.name.as_str()),
            c.role.as_deref(),
            c.email.as_deref(),
            c.phone.as_deref(),
        ]
        .map(|v| protect(v.unwrap_or("")));
        let _ = w.write_record(&cells);
    }
    maillage_web_kit::audit::record(
        &state,
        &caller,
        Action::NetworkContactsExported,
        "reseau:contacts.csv",
        json!({ "lignes": contacts.len() }),
    )
    .await?;
    Ok(csv_response(
        w.into_inner().unwrap_or_default(),
        "contacts-reseau.csv",
    ))
}

/// The longest commune field read from the import form (an INSEE code has 5 characters).
const MAX_COMMUNE_FIELD: usize = 32;

/// What the import form sends: the file and the commune new entries go to.
struct Upload {
    bytes: Vec<u8>,
    commune: String,
}

/// Reads the uploaded file (the `fichier` field) into memory, within [`MAX_IMPORT`], and the commune the new
/// entries go to (the `commune_code` field, sent before the file).
async fn uploaded(headers: &HeaderMap, body: Body) -> Result<Upload, String> {
    let boundary = maillage_web_kit::multipart::boundary(headers)
        .ok_or("Le fichier doit être envoyé par le formulaire d'import.")?;
    let mut form = maillage_web_kit::multipart::Form::new(body, boundary);
    let mut commune = String::new();
    while let Some(mut field) = form.next_field().await.map_err(|r| r.message)? {
        if field.name() == Some("commune_code") {
            let mut text = Vec::new();
            while let Some(chunk) = field
                .chunk()
                .await
                .map_err(|e| maillage_web_kit::multipart::refusal(&e).message)?
            {
                text.extend_from_slice(&chunk);
                if text.len() > MAX_COMMUNE_FIELD {
                    return Err("La commune choisie n'est pas un code de commune : choisissez-la dans la liste.".into());
                }
            }
            commune = String::from_utf8_lossy(&text).into_owned();
            continue;
        }
        if field.name() != Some("fichier") {
            continue;
        }
        let mut bytes = Vec::new();
        while let Some(chunk) = field
            .chunk()
            .await
            .map_err(|e| maillage_web_kit::multipart::refusal(&e).message)?
        {
            bytes.extend_from_slice(&chunk);
            if bytes.len() > MAX_IMPORT {
                return Err("Le fichier dépasse 10 Mo : découpez-le.".into());
            }
        }
        return Ok(Upload { bytes, commune });
    }
    Err("Choisissez le fichier CSV à importer.".into())
}

async fn import(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, WebError> {
    let Upload { bytes, commune } = match uploaded(&headers, body).await {
        Ok(b) => b,
        Err(m) => {
            return Ok((
                StatusCode::BAD_REQUEST,
                render_list(
                    &state,
                    &caller,
                    &Params::default(),
                    Notice::Refused(m),
                    None,
                )
                .await?,
            )
                .into_response());
        }
    };
    let records = match directory::parse_csv(&bytes) {
        Ok(r) => r,
        Err(e) => {
            let m = format!(
                "Rien n'a été importé. {}",
                maillage_messages::sentence(&e.french())
            );
            return Ok(refused(
                render_list(
                    &state,
                    &caller,
                    &Params::default(),
                    Notice::Refused(m),
                    None,
                )
                .await?,
            ));
        }
    };
    // Not [`take`]: the answer is the list with the import's counts, not a redirect.
    let mut tx = begin(&state, &caller).await?;
    let commune = commune_typed(&caller, &commune);
    match store::import(
        &mut tx,
        &reach(&caller),
        commune.as_deref(),
        &records,
        &caller.account.identifier,
        super::now(),
    )
    .await
    {
        Ok(counts) => {
            commit(tx, &caller, Action::NetworkChanged, "reseau:acteurs:import", json!({ "ajoutees": counts.inserted, "modifiees": counts.updated, "inchangees": counts.unchanged })).await?;
            let m = format!(
                "import terminé : {}, {}, {}.",
                maillage_messages::count(counts.inserted, "fiche ajoutée", "fiches ajoutées"),
                maillage_messages::count(counts.updated, "mise à jour", "mises à jour"),
                maillage_messages::count(counts.unchanged, "inchangée", "inchangées")
            );
            Ok(
                render_list(&state, &caller, &Params::default(), Notice::Done(m), None)
                    .await?
                    .into_response(),
            )
        }
        Err(e) => {
            drop(tx);
            let m = format!("Rien n'a été importé. {}", refusal(e)?);
            Ok(refused(
                render_list(
                    &state,
                    &caller,
                    &Params::default(),
                    Notice::Refused(m),
                    None,
                )
                .await?,
            ))
        }
    }
}

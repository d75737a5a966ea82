//! The public directory, "adresses utiles" (`/annuaire`, no login): the entries marked public, searchable by need,
//! place, public, age and language, each with the fields of a resource guide; an entry's own page; the same
//! selection as a printable guide (PDF, on the site's PDF writer, [`maillage_report::pdf`]); and a link to the
//! public page of services open during a crisis (`/continuite`). Contact persons are never shown here: only the
//! reception's address, phone and e-mail.

use super::{NETWORK, day, fr, today};
use crate::data::network::{ranked, search_of};
use axum::extract::{Path, State};
use axum::http::{HeaderValue, Method, header};
use axum::response::{IntoResponse, Response};
use maillage_network::Coded;
use maillage_network::codes::{Appointment, Cost, Language, Public, Theme};
use maillage_network::directory::{ActorRecord, Search};
use maillage_report::font::Weight;
use maillage_report::pdf::{self, Doc};
use maillage_store::network::directory::{self as store, Actor};
use maillage_web_kit::auth::MaybeCaller;
use maillage_web_kit::error::WebError;
use maillage_web_kit::layout::{self, PageMeta};
use maillage_web_kit::lists::{self, Paging};
use maillage_web_kit::params::Query;
use maillage_web_kit::routes::{Access, Routes};
use maillage_web_kit::state::AppState;
use maud::{Markup, html};

pub fn routes(r: Routes) -> Routes {
    r.page(Method::GET, "/annuaire", Access::Public, directory_page)
        .page(
            Method::GET,
            "/annuaire/fiche/{id}",
            Access::Public,
            entry_page,
        )
        .page(
            Method::GET,
            "/annuaire/guide.pdf",
            Access::Public,
            guide_pdf,
        )
}

/// The query string of a search (to print the same selection, or come back to it).
pub(crate) fn query_of(s: &Search) -> String {
    let mut q = form_urlencoded::Serializer::new(String::new());
    if !s.text.is_empty() {
        q.append_pair("q", &s.text);
    }
    if let Some(t) = s.theme {
        q.append_pair("besoin", t.code());
    }
    if let Some(p) = s.public {
        q.append_pair("public", p.code());
    }
    if let Some(l) = s.language {
        q.append_pair("langue", l.code());
    }
    if !s.place.is_empty() {
        q.append_pair("lieu", &s.place);
    }
    if let Some(a) = s.age {
        q.append_pair("age", &a.to_string());
    }
    for (flag, name) in [
        (s.free_only, "gratuit"),
        (s.without_appointment, "sans_rdv"),
        (s.accessible_only, "accessible"),
    ] {
        if flag {
            q.append_pair(name, "1");
        }
    }
    q.finish()
}

fn options<T: Coded + maillage_messages::French + PartialEq>(
    selected: Option<T>,
    all_label: &str,
) -> Markup {
    html! {
        option value="" { (all_label) }
        @for v in T::ALL {
            @if Some(*v) == selected { option value=(v.code()) selected { (fr(*v)) } }
            @else { option value=(v.code()) { (fr(*v)) } }
        }
    }
}

/// The search form (`action`: the page it searches).
pub(crate) fn search_form(action: &str, s: &Search, pdf: Option<&str>) -> Markup {
    html! {
        form.recherche-annuaire method="get" action=(action) role="search" aria-label="Rechercher dans l'annuaire" {
            div.champ {
                label for="a-besoin" { "Quel besoin ?" }
                select name="besoin" id="a-besoin" { (options::<Theme>(s.theme, "Tous les besoins")) }
            }
            div.champ {
                label for="a-public" { "Pour qui ?" }
                select name="public" id="a-public" { (options::<Public>(s.public, "Tous les publics")) }
            }
            div.champ {
                label for="a-age" { "Âge de la personne" }
                input type="number" name="age" id="a-age" min="0" max="120" inputmode="numeric"
                    value=(s.age.map_or(String::new(), |a| a.to_string()));
            }
            div.champ {
                label for="a-langue" { "Langue parlée à l'accueil" }
                select name="langue" id="a-langue" { (options::<Language>(s.language, "Toutes les langues")) }
            }
            div.champ {
                label for="a-lieu" { "Où ? (commune, quartier, code postal)" }
                input type="text" name="lieu" id="a-lieu" value=(s.place) autocomplete="address-level2";
            }
            div.champ {
                label for="a-q" { "Mots-clés" }
                input type="text" name="q" id="a-q" value=(s.text);
            }
            fieldset.cases {
                legend { "Conditions" }
                div.case { input type="checkbox" name="gratuit" value="1" id="a-gratuit" checked[s.free_only]; label for="a-gratuit" { "Gratuit" } }
                div.case { input type="checkbox" name="sans_rdv" value="1" id="a-sans-rdv" checked[s.without_appointment]; label for="a-sans-rdv" { "Sans rendez-vous" } }
                div.case { input type="checkbox" name="accessible" value="1" id="a-accessible" checked[s.accessible_only]; label for="a-accessible" { "Accessible en fauteuil roulant" } }
            }
            div.actions {
                button type="submit" { "Rechercher" }
                a href=(action) { "Effacer la recherche" }
                @if let Some(p) = pdf { a href=(p) { "Imprimer ce guide (PDF)" } }
            }
        }
    }
}

fn tel(phone: &str) -> String {
    format!(
        "tel:{}",
        phone
            .chars()
            .filter(|c| c.is_ascii_digit() || *c == '+')
            .collect::<String>()
    )
}

fn ages(r: &ActorRecord) -> Option<String> {
    match (r.age_min, r.age_max) {
        (Some(a), Some(b)) => Some(format!("de {a} à {b} ans")),
        (Some(a), None) => Some(format!("à partir de {a} ans")),
        (None, Some(b)) => Some(format!("jusqu'à {b} ans")),
        (None, None) => None,
    }
}

fn joined<T: Copy + maillage_messages::French>(v: &[T]) -> String {
    v.iter().map(|x| fr(*x)).collect::<Vec<_>>().join(", ")
}

/// The fields of a guide record, as lines (label, text): shared by cards and the PDF.
pub(crate) fn guide_lines(r: &ActorRecord) -> Vec<(&'static str, String)> {
    let mut v = Vec::new();
    let mut push = |label: &'static str, value: Option<String>| {
        if let Some(x) = value.filter(|x| !x.is_empty()) {
            v.push((label, x));
        }
    };
    push("Missions", r.missions.clone());
    push("Missions spécifiques", r.specific_missions.clone());
    push("Public", r.target_public.clone());
    push("Âges", ages(r));
    push("Conditions d'accès", r.access_conditions.clone());
    let address = [
        r.address.clone(),
        r.postcode
            .clone()
            .map(|p| format!("{p} {}", r.commune.clone().unwrap_or_default()))
            .or(r.commune.clone()),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(", ");
    push("Adresse", Some(address));
    push("Territoire", r.territory.clone());
    push("Téléphone", r.phone.clone());
    push("Courriel", r.email.clone());
    push("Site web", r.website.clone());
    push("Horaires", r.opening_hours.clone());
    push("Rendez-vous", r.appointment.map(|a: Appointment| fr(a)));
    push("Tarif", r.cost.map(|c: Cost| fr(c)));
    push(
        "Langues",
        (!r.languages.is_empty()).then(|| joined(&r.languages)),
    );
    push(
        "Accessibilité",
        r.accessible.map(|a| {
            if a {
                "accueil accessible en fauteuil roulant".into()
            } else {
                "accueil non accessible en fauteuil roulant".into()
            }
        }),
    );
    v
}

/// An entry of the directory as a card with the guide's fields; `link` makes its name a link.
pub(crate) fn actor_card(a: &Actor, heading: u8, link: Option<&str>) -> Markup {
    let r = &a.record;
    let name = html! { @if let Some(l) = link { a href=(l) { (r.name) } } @else { (r.name) } };
    html! {
        article.fiche-acteur aria-labelledby=(format!("acteur-{}", a.id)) {
            @if heading == 2 { h2 id=(format!("acteur-{}", a.id)) { (name) } } @else { h3 id=(format!("acteur-{}", a.id)) { (name) } }
            p { (fr(r.kind)) }
            @if !r.themes.is_empty() || !r.publics.is_empty() {
                ul.etiquettes aria-label="Besoins et publics" {
                    @for t in &r.themes { li { (fr(*t)) } }
                    @for p in &r.publics { li { (fr(*p)) } }
                }
            }
            dl {
                @for (label, value) in guide_lines(r) {
                    dt { (label) }
                    dd {
                        @match label {
                            "Téléphone" => { a href=(tel(&value)) { (value) } }
                            "Courriel" => { a href=(format!("mailto:{value}")) { (value) } }
                            "Site web" => { a href=(value) rel="noopener" { (value) } }
                            _ => { @for (i, l) in value.lines().enumerate() { @if i > 0 { br; } (l) } }
                        }
                    }
                }
            }
        }
    }
}

async fn continuity_notice(state: &AppState) -> Markup {
    let alert = maillage_store::crisis::cell::active_alert(
        state.store(),
        // The public page names the alert in force anywhere on the territory: public information.
        &maillage_store::reach::Reach::everything(),
    )
    .await
    .ok()
    .flatten();
    html! {
        p.lien-continuite {
            @if let Some(e) = alert {
                strong { "Alerte en cours : " (e.title) ". " }
            }
            "Pendant une crise sanitaire, une canicule ou un grand froid, "
            a href="/continuite" { "consultez les services municipaux ouverts et leurs horaires" } "."
        }
    }
}

async fn directory_page(
    State(state): State<AppState>,
    MaybeCaller(caller): MaybeCaller,
    Query(q): Query,
) -> Result<Markup, WebError> {
    let s = search_of(&q);
    let paging = Paging::from_query(&q);
    let found = store::search(
        state.store(),
        &maillage_store::reach::Reach::everything(),
        true,
        &s,
        paging.window(),
    )
    .await?;
    let query = query_of(&s);
    let pdf = if query.is_empty() {
        "/annuaire/guide.pdf".to_string()
    } else {
        format!("/annuaire/guide.pdf?{query}")
    };
    let content = html! {
        (NETWORK.style())
        p { "Les structures, associations et services de santé et d'aide du territoire : où s'adresser, pour qui, à quelles conditions, à quelles heures." }
        (continuity_notice(&state).await)
        (search_form("/annuaire", &s, Some(&pdf)))
        h2 #resultats { "Résultats" }
        (lists::pager("/annuaire", &q, &paging, found.total, ("adresse", "adresses")))
        @if found.rows.is_empty() {
            p { "Aucune adresse ne répond à tous ces critères : retirez-en un, ou appelez le 115 (urgence sociale) ou le 15 (urgence médicale)." }
        }
        ul.fiches-acteurs {
            @for a in &found.rows { li { (actor_card(a, 3, Some(&format!("/annuaire/fiche/{}", a.id)))) } }
        }
        (lists::pager_links("/annuaire", &q, &paging, found.total))
        p { "En cas d'urgence médicale, appelez le 15 (SAMU) ou le 112. Urgence sociale : 115." }
    };
    Ok(layout::page(
        &state,
        caller.as_ref(),
        PageMeta {
            title: "Adresses utiles — santé et aide",
            current: "/annuaire",
        },
        content,
    ))
}

async fn entry_page(
    State(state): State<AppState>,
    MaybeCaller(caller): MaybeCaller,
    Path(id): Path<String>,
) -> Result<Markup, WebError> {
    let id: i64 = id.parse().map_err(|_| WebError::NotFound)?;
    let a = store::actor(
        state.store(),
        &maillage_store::reach::Reach::everything(),
        id,
    )
    .await?
    .filter(|a| a.record.is_public())
    .ok_or(WebError::NotFound)?;
    let content = html! {
        (NETWORK.style())
        p { a href="/annuaire" { "← Retour à l'annuaire" } }
        (actor_card(&a, 2, None))
        p { "Fiche mise à jour le " (layout::date(&a.updated_at)) "." }
    };
    Ok(layout::page(
        &state,
        caller.as_ref(),
        PageMeta {
            title: &a.record.name,
            current: "/annuaire",
        },
        content,
    ))
}

/// The selection as a printable guide (A4 PDF).
async fn guide_pdf(State(state): State<AppState>, Query(q): Query) -> Result<Response, WebError> {
    let s = search_of(&q);
    let actors = store::actors(
        state.store(),
        &maillage_store::reach::Reach::everything(),
        true,
    )
    .await?;
    let hits = ranked(&actors, &s);
    let territory = maillage_store::territory::load(state.store()).await?.name;
    let bytes = guide(&hits, territory.as_deref(), &s, state.is_demo());
    let mut r = bytes.into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/pdf"),
    );
    r.headers_mut().insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("inline; filename=\"adresses-utiles.pdf\""),
    );
    Ok(r)
}

fn criteria(s: &Search) -> Vec<String> {
    let mut v = Vec::new();
    if let Some(t) = s.theme {
        v.push(format!("besoin : {}", fr(t)));
    }
    if let Some(p) = s.public {
        v.push(format!("public : {}", fr(p)));
    }
    if let Some(a) = s.age {
        v.push(format!("âge : {a} ans"));
    }
    if let Some(l) = s.language {
        v.push(format!("langue : {}", fr(l)));
    }
    if !s.place.is_empty() {
        v.push(format!("lieu : {}", s.place));
    }
    if !s.text.is_empty() {
        v.push(format!("mots-clés : {}", s.text));
    }
    if s.free_only {
        v.push("gratuit".into());
    }
    if s.without_appointment {
        v.push("sans rendez-vous".into());
    }
    if s.accessible_only {
        v.push("accessible".into());
    }
    v
}

/// The guide's PDF: a title, the criteria, then each entry with its fields.
pub(crate) fn guide(
    entries: &[&Actor],
    territory: Option<&str>,
    s: &Search,
    demo: bool,
) -> Vec<u8> {
    let title = match territory {
        Some(t) => format!("Adresses utiles — {t}"),
        None => "Adresses utiles".to_string(),
    };
    let mut doc = Doc::new(
        &title,
        &format!("Guide imprimé le {} depuis Maillage", day(today())),
    );
    doc.heading(&title, 1);
    doc.paragraph(
        "Structures, associations et services de santé et d'aide : missions, public, conditions d'accès, contacts et horaires.",
        10.0,
        Weight::Regular,
        pdf::INK,
    );
    if demo {
        doc.paragraph(
            "Démonstration : territoire et données fictifs.",
            9.0,
            Weight::Bold,
            pdf::MUTED,
        );
    }
    let c = criteria(s);
    let selection = if c.is_empty() {
        "toutes les adresses publiques".to_string()
    } else {
        c.join(" ; ")
    };
    doc.paragraph(
        &format!(
            "Sélection : {selection} — {}.",
            maillage_messages::count(entries.len(), "adresse", "adresses")
        ),
        9.0,
        Weight::Regular,
        pdf::MUTED,
    );
    doc.paragraph(
        "Urgence médicale : 15 (SAMU) ou 112. Urgence sociale : 115.",
        9.0,
        Weight::Bold,
        pdf::INK,
    );
    for a in entries {
        doc.heading(&a.record.name, 2);
        let mut items = vec![format!("Type : {}", fr(a.record.kind))];
        if !a.record.themes.is_empty() {
            items.push(format!("Besoins : {}", joined(&a.record.themes)));
        }
        if !a.record.publics.is_empty() {
            items.push(format!("Publics : {}", joined(&a.record.publics)));
        }
        for (label, value) in guide_lines(&a.record) {
            items.push(format!("{label} : {}", value.replace('\n', " ; ")));
        }
        doc.bullets(&items, 8.5);
    }
    doc.finish()
}

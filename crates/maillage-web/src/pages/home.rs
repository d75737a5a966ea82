//! The home page (`/`), public: a visitor finds the useful addresses (the public directory), the services open
//! during a crisis, the public indicators and what this installation is, with the login as one link among them;
//! a logged-in person finds the alert in force, the figures to watch and what is due for their roles, then their
//! modules. Each module gives its part ([`maillage_web_kit::home`]), cut to the caller's permissions and communes;
//! nothing here reads a record itself, and the public part shows only what the public pages show.

use axum::extract::State;
use axum::http::Method;
use maillage_messages::imports::source_label;
use maillage_store::{observatory, territory};
use maillage_web_kit::auth::{Caller, MaybeCaller};
use maillage_web_kit::error::WebError;
use maillage_web_kit::home::{self, Part};
use maillage_web_kit::layout::{NAV, PageMeta, date, page, roles_text};
use maillage_web_kit::routes::{Access, Routes};
use maillage_web_kit::state::AppState;
use maillage_web_observatory::pages::observatory::public as indicators;
use maud::{Markup, html};

pub fn routes(r: Routes) -> Routes {
    r.page(Method::GET, "/", Access::Public, home_page)
}

async fn home_page(
    State(state): State<AppState>,
    MaybeCaller(caller): MaybeCaller,
) -> Result<Markup, WebError> {
    match caller {
        Some(c) => personal(&state, &c).await,
        None => public(&state).await,
    }
}

/// A person's home: greeting, the modules' parts (alert, figures, what is due), then the modules.
async fn personal(state: &AppState, caller: &Caller) -> Result<Markup, WebError> {
    let parts: Vec<Part> = vec![
        maillage_web_crisis::home::part(state, caller).await?,
        maillage_web_network::pages::network::home::part(state, caller).await?,
        maillage_web_observatory::home::part(state, caller).await?,
    ];
    let scope = caller.scope();
    let content = html! {
        p {
            "Bonjour " strong { (caller.account.display_name) } ". Vos rôles : " (roles_text(caller)) ". "
            "Votre territoire : "
            @if scope.all { "toutes les communes servies par Maillage." }
            @else if scope.communes.is_empty() { "aucune commune (demandez à l'administrateur si vous en avez besoin)." }
            @else { "communes " (scope.communes.iter().cloned().collect::<Vec<_>>().join(", ")) "." }
        }
        (home::render(&parts))
        section aria-labelledby="modules" {
            h2 #modules { "Vos modules" }
            ul.modules-accueil {
                @for item in NAV.iter().filter(|i| i.path != "/" && caller.has(i.permission)) {
                    li { a href=(item.path) { (item.label) } }
                }
                li { a href=(indicators::PATH) { "Indicateurs publics" } }
                li { a href="/annuaire" { "Annuaire public" } }
                li { a href="/compte/mot-de-passe" { "Changer de mot de passe" } }
            }
        }
    };
    Ok(page(
        state,
        Some(caller),
        PageMeta {
            title: "Accueil",
            current: "/",
        },
        content,
    ))
}

/// The public home: only what the public pages show (`/annuaire`, `/continuite`, `/indicateurs`) and what the
/// installation is (territory, communes, sources and their dates).
async fn public(state: &AppState) -> Result<Markup, WebError> {
    let store = state.store();
    let crisis = maillage_web_crisis::home::public(state).await?;
    let figures = maillage_web_observatory::home::public_figures(state).await?;
    let territory = territory::load(store).await?;
    let snapshot = maillage_web_kit::data::figures::snapshot(state).await?;
    let communes: Vec<String> = indicators::public_communes(&snapshot)
        .into_iter()
        .map(|z| z.name.clone())
        .collect();
    let sources = observatory::sources(store).await?;
    let name = territory.name.as_deref().unwrap_or("le territoire");
    let content = html! {
        @if let Some(a) = &crisis.alert {
            div.message.erreur role="status" {
                p { strong { "Alerte en cours : " } (a) " " a href="/continuite" { "Services ouverts et numéros utiles" } }
            }
        }
        p.chapeau {
            "Maillage rassemble l'information de santé de " strong { (name) } " : où trouver de l'aide, ce qui reste \
             ouvert pendant une crise, et les chiffres de l'offre de soins."
        }
        section aria-labelledby="adresses-utiles" {
            h2 #adresses-utiles { "Adresses utiles" }
            p { "Les lieux d'accueil, de soins, d'accompagnement et d'aide aux droits du territoire, avec leurs horaires et leurs conditions d'accès." }
            form.recherche-accueil method="get" action="/annuaire" role="search" aria-label="Rechercher une adresse utile" {
                div.champ {
                    label for="accueil-q" { "Que cherchez-vous ? (par exemple : dentiste, aide alimentaire, PMI)" }
                    input type="text" name="q" id="accueil-q";
                }
                button type="submit" { "Rechercher dans l'annuaire" }
            }
            p { a href="/annuaire" { "Voir tout l'annuaire des adresses utiles" } }
        }
        section aria-labelledby="services-ouverts" {
            h2 #services-ouverts { "Services ouverts pendant une crise" }
            @if crisis.open.is_empty() {
                p { "Aucun service n'est signalé pour l'instant." }
            } @else {
                ul { @for (service, when) in &crisis.open { li { strong { (service) } " : " (when) } } }
            }
            p { a href="/continuite" { "Services ouverts, horaires et numéros utiles" } }
        }
        section aria-labelledby="indicateurs-publics" {
            h2 #indicateurs-publics { "Indicateurs publics" }
            @if !figures.is_empty() {
                ul.tuiles.chiffres-accueil {
                    @for f in &figures { li { span.chiffre { (f.value) } a href=(f.href) { (f.label) } } }
                }
            }
            p { a href=(indicators::PATH) { "Tous les indicateurs de santé du territoire" } " (chiffres agrégés, protégés par le secret statistique)." }
        }
        section aria-labelledby="installation" {
            h2 #installation { "À propos de cette installation" }
            dl.fiche {
                dt { "Territoire servi" } dd { (name) }
                dt { "Communes" } dd { @if communes.is_empty() { "aucune pour l'instant" } @else { (communes.join(", ")) } }
                dt { "Données" }
                dd {
                    @if sources.is_empty() { "aucune donnée importée pour l'instant." }
                    @else {
                        ul { @for b in &sources { li { (source_label(&b.kind)) @if let Some(v) = &b.vintage { ", millésime " (v) } ", importé le " (date(&b.imported_at)) } } }
                    }
                }
            }
            @if state.is_demo() {
                p { "Cette installation est une démonstration : le territoire, ses habitants et ses professionnels sont fictifs." }
            }
            p { "Maillage est installé et administré par la collectivité ; les comptes sont créés par son administrateur." }
        }
        section aria-labelledby="espace-professionnel" {
            h2 #espace-professionnel { "Espace des agents et des partenaires" }
            p { a href="/connexion" { "Se connecter" } " (élus, services de la collectivité, CCAS, partenaires, bénévoles)." }
        }
    };
    Ok(page(
        state,
        None,
        PageMeta {
            title: "Santé du territoire",
            current: "/",
        },
        content,
    ))
}

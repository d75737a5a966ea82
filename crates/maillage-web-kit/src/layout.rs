//! The page layout every HTML answer uses: French, accessible (RGAA): `lang="fr"`, a skip link, one `h1` per
//! page, navigation in a labelled `nav`, visible focus, and nothing said by colour alone. Templates are maud, so
//! every value is escaped by construction.
//!
//! A handler builds its content and calls [`page`]; links to modules go in [`NAV`] with their permission, so a
//! caller only sees what they may open.

use crate::auth::Caller;
use crate::error::{Failure, status_message, status_title};
use crate::permissions::{Permission, role_label};
use crate::state::AppState;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::{DOCTYPE, Markup, html};

/// An entry of the main navigation, shown to callers holding its permission.
pub struct NavItem {
    pub path: &'static str,
    pub label: &'static str,
    pub permission: Permission,
}

/// The main navigation, in order. Add a module's entry point here.
pub const NAV: &[NavItem] = &[
    NavItem {
        path: "/",
        label: "Accueil",
        permission: Permission::OwnAccount,
    },
    NavItem {
        path: "/observatoire",
        label: "Observatoire",
        permission: Permission::ObservatoryRead,
    },
    NavItem {
        path: "/observatoire/carte",
        label: "Carte et zones",
        permission: Permission::ObservatoryRead,
    },
    NavItem {
        path: "/observatoire/qpv",
        label: "QPV",
        permission: Permission::ObservatoryRead,
    },
    NavItem {
        path: "/observatoire/imports",
        label: "Imports",
        permission: Permission::ObservatoryImport,
    },
    NavItem {
        path: "/installation",
        label: "Installation",
        permission: Permission::TerritorySetup,
    },
    NavItem {
        path: "/reseau",
        label: "Réseau",
        permission: Permission::BodiesRead,
    },
    NavItem {
        path: "/reseau/acteurs",
        label: "Annuaire",
        permission: Permission::DirectoryRead,
    },
    NavItem {
        path: "/cls",
        label: "CLS",
        permission: Permission::ClsShared,
    },
    NavItem {
        path: "/crise",
        label: "Crise",
        permission: Permission::CrisisRead,
    },
    NavItem {
        path: "/mes-missions",
        label: "Mes missions",
        permission: Permission::OwnMissions,
    },
    NavItem {
        path: "/admin/utilisateurs",
        label: "Comptes",
        permission: Permission::AccountsManage,
    },
    NavItem {
        path: "/admin/jetons",
        label: "Jetons d'API",
        permission: Permission::AccountsManage,
    },
    NavItem {
        path: "/admin/courriel",
        label: "Courriel",
        permission: Permission::SettingsManage,
    },
    NavItem {
        path: "/admin/fuseau-horaire",
        label: "Fuseau horaire",
        permission: Permission::SettingsManage,
    },
    NavItem {
        path: "/dpo/journal",
        label: "Journal d'audit",
        permission: Permission::AuditRead,
    },
];

/// The site's icon, written into every page (`/favicon.ico` serves the same for clients that ask for it): no
/// request of its own, which a page left quickly would cut short.
const ICON: &str = "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 32 32'%3E%3Crect \
     width='32' height='32' rx='6' fill='%230a4a9c'/%3E%3Cpath d='M6 24V8h4l6 9 6-9h4v16h-4V15l-6 8-6-8v9z' \
     fill='%23fff'/%3E%3C/svg%3E";

/// What a page needs to know besides its content.
pub struct PageMeta<'a> {
    pub title: &'a str,
    /// The path of the page, to mark the current navigation entry.
    pub current: &'a str,
}

/// A whole HTML page: header (navigation, account, logout), the content under the page's `h1`, footer.
pub fn page(
    state: &AppState,
    caller: Option<&Caller>,
    meta: PageMeta<'_>,
    content: Markup,
) -> Markup {
    html! {
        (DOCTYPE)
        html lang="fr" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (meta.title) " — Maillage" }
                link rel="stylesheet" href="/static/maillage.css";
                link rel="icon" type="image/svg+xml" href=(ICON);
                // The phone menu's button (the navigation stays open without the script).
                script src="/static/maillage.js" defer {}
            }
            body {
                a.evitement href="#contenu" { "Aller au contenu" }
                header.entete {
                    div.marque {
                        a href="/" { "Maillage" }
                        span.sous-titre { "santé du territoire" }
                    }
                    @if state.is_demo() {
                        p.bandeau-demo role="note" {
                            strong { "Démonstration : " }
                            "territoire et données fictifs."
                        }
                    }
                    @if caller.is_none() {
                        (public_nav(meta.current))
                    }
                    @if let Some(c) = caller {
                        button.menu-bouton type="button" aria-expanded="false" aria-controls="menu-principal" hidden {
                            "Menu"
                        }
                        div.menu #menu-principal {
                        nav aria-label="Navigation principale" {
                            ul {
                                @for item in NAV.iter().filter(|i| c.has(i.permission)) {
                                    li {
                                        @if item.path == meta.current {
                                            a href=(item.path) aria-current="page" { (item.label) }
                                        } @else {
                                            a href=(item.path) { (item.label) }
                                        }
                                    }
                                }
                            }
                        }
                        div.compte {
                            span { "Connecté(e) : " strong { (c.account.display_name) } }
                            a href="/compte/mot-de-passe" { "Changer de mot de passe" }
                            form method="post" action="/deconnexion" {
                                (csrf_field(c))
                                button type="submit" { "Se déconnecter" }
                            }
                        }
                        }
                    }
                }
                main #contenu tabindex="-1" {
                    h1 { (meta.title) }
                    (content)
                }
                footer.pied {
                    p { "Maillage — système d'information et de coordination santé du territoire." }
                }
            }
        }
    }
}

/// The pages anyone may open, for visitors without a session (the login is one of them).
pub const PUBLIC_NAV: &[(&str, &str)] = &[
    ("/", "Accueil"),
    ("/annuaire", "Adresses utiles"),
    ("/continuite", "Services ouverts"),
    ("/indicateurs", "Indicateurs"),
    ("/connexion", "Se connecter"),
];

fn public_nav(current: &str) -> Markup {
    html! {
        nav aria-label="Navigation publique" {
            ul {
                @for (path, label) in PUBLIC_NAV {
                    li {
                        @if *path == current { a href=(path) aria-current="page" { (label) } }
                        @else { a href=(path) { (label) } }
                    }
                }
            }
        }
    }
}

/// The hidden field carrying the caller's CSRF token: put it in every `form method="post"`.
pub fn csrf_field(caller: &Caller) -> Markup {
    html! { input type="hidden" name="_csrf" value=(caller.csrf()); }
}

/// An error message block: announced to screen readers, marked by a word and not only by its colour.
pub fn error_box(message: &str) -> Markup {
    html! {
        div.message.erreur role="alert" {
            p { strong { "Erreur : " } (message) }
        }
    }
}

/// A confirmation block.
pub fn success_box(message: &str) -> Markup {
    html! {
        div.message.succes role="status" {
            p { strong { "C'est fait : " } (message) }
        }
    }
}

/// A warning block: the action went through, but something needs the user's attention.
pub fn warning_box(message: &str) -> Markup {
    html! {
        div.message.info role="status" {
            p { strong { "Attention : " } (message) }
        }
    }
}

/// The roles of the caller, in words.
pub fn roles_text(caller: &Caller) -> String {
    caller
        .account
        .roles
        .iter()
        .map(|r| role_label(*r))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The French page of a failure (403, 404, 422, 429, 500...).
pub fn error_page(state: &AppState, caller: Option<&Caller>, failure: &Failure) -> Response {
    let message = failure
        .message
        .as_deref()
        .unwrap_or(status_message(failure.status));
    let body = html! {
        (error_box(message))
        @if failure.status == StatusCode::TOO_MANY_REQUESTS || caller.is_none() {
            p { a href="/connexion" { "Retour à la page de connexion" } }
        } @else {
            p { a href="/" { "Retour à l'accueil" } }
        }
    };
    let markup = page(
        state,
        caller,
        PageMeta {
            title: status_title(failure.status),
            current: "",
        },
        body,
    );
    (failure.status, markup).into_response()
}

/// A module's secondary navigation: the pages of `pages` (path, label, permission) the caller may open, in a
/// `nav` of class `class` labelled `label`, the `current` one marked.
pub fn subnav(
    caller: &Caller,
    current: &str,
    class: &str,
    label: &str,
    pages: &[(&str, &str, Permission)],
) -> Markup {
    html! {
        nav class=(class) aria-label=(label) {
            ul {
                @for (path, label, _) in pages.iter().filter(|(_, _, p)| caller.has(*p)) {
                    li {
                        @if *path == current { a href=(path) aria-current="page" { (label) } }
                        @else { a href=(path) { (label) } }
                    }
                }
            }
        }
    }
}

/// A domain module's pages (crisis, network): its style sheet, its secondary navigation, and the entry of the
/// main navigation each of its pages belongs to. Each module declares one; its pages are built by [`Module::page`].
pub struct Module {
    /// The module's style sheet, linked at the top of each page's content (the layout links the site's own).
    pub stylesheet: &'static str,
    /// The class and the French label of the secondary navigation.
    pub nav_class: &'static str,
    pub nav_label: &'static str,
    /// The module's pages (path, label, permission), those the caller may open shown in the navigation.
    pub pages: &'static [(&'static str, &'static str, Permission)],
    /// The main navigation entry a page (its path) belongs to.
    pub entry: fn(&str) -> &'static str,
}

impl Module {
    /// The link to the module's style sheet.
    pub fn style(&self) -> Markup {
        html! { link rel="stylesheet" href=(self.stylesheet); }
    }

    /// The module's pages this caller may open, as a secondary navigation, with the module's style sheet.
    pub fn subnav(&self, caller: &Caller, current: &str) -> Markup {
        html! {
            (self.style())
            (subnav(caller, current, self.nav_class, self.nav_label, self.pages))
        }
    }

    /// A whole page of the module.
    pub fn page(
        &self,
        state: &AppState,
        caller: &Caller,
        title: &str,
        current: &str,
        content: Markup,
    ) -> Markup {
        let body = html! { (self.subnav(caller, current)) (content) };
        page(
            state,
            Some(caller),
            PageMeta {
                title,
                current: (self.entry)(current),
            },
            body,
        )
    }
}

/// A number the French way (1 234,5), for people: the report crate's, so that pages and drawings agree.
pub use maillage_report::number;

/// A day as people read it: "28/07/2026".
pub fn day(d: jiff::civil::Date) -> String {
    maillage_kit::local_time::day(d)
}

/// The day of a stored instant in the instance's time zone (31/12/2025); a stored day as it is written.
pub fn date(instant: &str) -> String {
    maillage_kit::local_time::text_date(instant)
}

/// A stored instant as a sentence reads it in the instance's time zone (31/12/2025 à 14:05).
pub fn date_time(instant: &str) -> String {
    maillage_kit::local_time::text_date_time(instant)
}

/// Who did something, as a page names them: the account's identifier, or what the system writers are (the
/// demonstration's builder, the command line) in words.
pub fn author(identifier: &str) -> &str {
    match identifier {
        "demonstration" => "la démonstration",
        "ligne-de-commande" => "la ligne de commande",
        other => other,
    }
}

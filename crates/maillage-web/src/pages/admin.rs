//! Administration: accounts (roles, territories, activation, password reset) and partners' API tokens.

use axum::extract::{Path, State};
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use maillage_messages::French;
use maillage_store::accounts::{self, Account, AccountError, Grants, Role};
use maillage_store::audit::Action;
use maillage_web_kit::audit::{self, Actor};
use maillage_web_kit::auth::Caller;
use maillage_web_kit::error::WebError;
use maillage_web_kit::layout::{
    PageMeta, csrf_field, date, date_time, error_box, page, success_box,
};
use maillage_web_kit::lists::{self, Paging, matches_all, search_words};
use maillage_web_kit::params::{Form, Params, Query};
use maillage_web_kit::permissions::{Permission, permissions_of, role_label};
use maillage_web_kit::routes::{Access, Routes};
use maillage_web_kit::state::AppState;
use maillage_web_kit::users::{self, UserForm, parse_roles, parse_territories};
use maud::{Markup, html};
use serde_json::json;

const MANAGE: Access = Access::Requires(Permission::AccountsManage);

pub fn routes(r: Routes) -> Routes {
    r.page(Method::GET, "/admin/utilisateurs", MANAGE, users_page)
        .page(Method::POST, "/admin/utilisateurs", MANAGE, create_user)
        .page(Method::GET, "/admin/utilisateurs/{id}", MANAGE, user_page)
        .page(
            Method::POST,
            "/admin/utilisateurs/{id}",
            MANAGE,
            update_user,
        )
        .page(
            Method::POST,
            "/admin/utilisateurs/{id}/mot-de-passe",
            MANAGE,
            reset_password,
        )
        .page(Method::GET, "/admin/jetons", MANAGE, tokens_page)
        .page(Method::POST, "/admin/jetons", MANAGE, create_token)
        .page(
            Method::POST,
            "/admin/jetons/{id}/revocation",
            MANAGE,
            revoke_token,
        )
}

fn parse_id(raw: &str) -> Result<i64, WebError> {
    raw.parse().map_err(|_| WebError::NotFound)
}

fn role_boxes(checked: &dyn Fn(Role) -> bool) -> Markup {
    html! {
        fieldset {
            legend { "Rôles" }
            @for &role in Role::ALL {
                div.case {
                    input type="checkbox" name="role" value=(role.as_str()) id={"role-" (role.as_str())}
                        checked[checked(role)];
                    label for={"role-" (role.as_str())} { (role_label(role)) }
                }
            }
        }
    }
}

fn territory_fields(all: bool, codes: &str) -> Markup {
    html! {
        fieldset {
            legend { "Territoire" }
            div.case {
                input #tout name="tout_le_territoire" type="checkbox" value="1" checked[all];
                label for="tout" { "Toutes les communes servies par Maillage" }
            }
            div.champ {
                label for="territoires" { "Ou seulement ces communes (codes INSEE séparés par des espaces)" }
                input #territoires name="territoires" type="text" value=(codes) inputmode="text";
            }
        }
    }
}

fn create_form(caller: &Caller, values: &Params) -> Markup {
    let roles = values.all("role");
    html! {
        form.formulaire method="post" action="/admin/utilisateurs" {
            (csrf_field(caller))
            div.champ {
                label for="identifiant" { "Identifiant (connexion)" }
                p.aide #aide-identifiant { "De 2 à 64 caractères : lettres minuscules sans accent, chiffres, point, tiret." }
                input #identifiant name="identifiant" type="text" required autocomplete="off"
                    aria-describedby="aide-identifiant" value=(values.get("identifiant").unwrap_or(""));
            }
            div.champ {
                label for="nom" { "Nom affiché" }
                input #nom name="nom" type="text" required value=(values.get("nom").unwrap_or(""));
            }
            div.champ {
                label for="mot_de_passe" { "Mot de passe initial" }
                p.aide #aide-mdp { (maillage_web_kit::users::PASSWORD_HELP) " À transmettre à la personne par un canal sûr." }
                input #mot_de_passe name="mot_de_passe" type="password" required autocomplete="new-password"
                    aria-describedby="aide-mdp";
            }
            (role_boxes(&|r| roles.contains(&r.as_str())))
            (territory_fields(values.flag("tout_le_territoire"), values.get("territoires").unwrap_or("")))
            button type="submit" { "Créer le compte" }
        }
    }
}

fn roles_table() -> Markup {
    html! {
        table {
            caption { "Ce que permet chaque rôle (refus par défaut : rien d'autre)" }
            thead { tr { th scope="col" { "Rôle" } th scope="col" { "Permissions" } } }
            tbody {
                @for &role in Role::ALL {
                    tr {
                        th scope="row" { (role_label(role)) }
                        td { ul { @for p in permissions_of(role) { li { (p.label()) } } } }
                    }
                }
            }
        }
    }
}

fn territory_text(a: &Account) -> String {
    if a.all_territories {
        "toutes les communes".into()
    } else if a.territories.is_empty() {
        "aucune".into()
    } else {
        a.territories.iter().cloned().collect::<Vec<_>>().join(", ")
    }
}

async fn users_list(
    state: &AppState,
    caller: &Caller,
    notice: Option<Markup>,
    form_values: &Params,
    q: &Params,
) -> Result<Markup, WebError> {
    let words = search_words(q.get("q").unwrap_or(""));
    let paging = Paging::from_query(q);
    let found = paging.cut(
        accounts::list(state.store())
            .await?
            .into_iter()
            .filter(|a| matches_all(&format!("{} {}", a.identifier, a.display_name), &words))
            .collect(),
    );
    let list = &found.rows;
    audit::record(
        state,
        caller,
        Action::AccountsRead,
        "comptes",
        json!({ "comptes": list.len() }),
    )
    .await?;
    let content = html! {
        @if let Some(n) = notice { (n) }
        (lists::search_form("/admin/utilisateurs", q, "Identifiant ou nom", html! {}))
        (lists::pager("/admin/utilisateurs", q, &paging, found.total, ("compte", "comptes")))
        div.defilement tabindex="0" role="region" aria-label="Comptes (défilement horizontal)" {
        table {
            caption { "Comptes" }
            thead { tr {
                th scope="col" { "Identifiant" } th scope="col" { "Nom affiché" } th scope="col" { "Rôles" }
                th scope="col" { "Territoire" } th scope="col" { "État" } th scope="col" { "Créé le" }
            } }
            tbody {
                @for a in list {
                    tr {
                        td { a href={"/admin/utilisateurs/" (a.id)} { (a.identifier) } }
                        td { (a.display_name) }
                        td { (a.roles.iter().map(|r| role_label(*r)).collect::<Vec<_>>().join(", ")) }
                        td { (territory_text(a)) }
                        td {
                            @if a.active { "actif" } @else { "désactivé" }
                            @if a.demo { " (démonstration)" }
                        }
                        td { (date(&a.created_at)) }
                    }
                }
            }
        }
        }
        h2 { "Créer un compte" }
        (create_form(caller, form_values))
        h2 { "Rôles et permissions" }
        (roles_table())
    };
    Ok(page(
        state,
        Some(caller),
        PageMeta {
            title: "Comptes",
            current: "/admin/utilisateurs",
        },
        content,
    ))
}

async fn users_page(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query,
) -> Result<Markup, WebError> {
    users_list(&state, &caller, None, &Params::default(), &q).await
}

async fn create_user(
    State(state): State<AppState>,
    caller: Caller,
    Form(f): Form,
) -> Result<Response, WebError> {
    let form = (|| -> Result<UserForm, AccountError> {
        Ok(UserForm {
            identifier: f.get("identifiant").unwrap_or("").to_string(),
            display_name: f.get("nom").unwrap_or("").to_string(),
            password: f.raw("mot_de_passe").to_string(),
            roles: parse_roles(f.all("role"))?,
            territories: parse_territories(f.get("territoires").unwrap_or(""))?,
            all_territories: f.flag("tout_le_territoire"),
        })
    })();
    let result = match form {
        Ok(form) => match users::check_in_territory(state.store(), &form.territories).await {
            Ok(()) => users::create(state.store(), &Actor::of(&caller), &form).await,
            Err(e) => Err(e),
        },
        Err(e) => Err(e),
    };
    match result {
        Ok(id) => Ok(Redirect::to(&format!("/admin/utilisateurs/{id}?cree=1")).into_response()),
        Err(AccountError::Store(e)) => Err(e.into()),
        Err(e) => {
            let markup = users_list(
                &state,
                &caller,
                Some(error_box(&e.french())),
                &f,
                &Params::default(),
            )
            .await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, markup).into_response())
        }
    }
}

async fn user_view(
    state: &AppState,
    caller: &Caller,
    account: &Account,
    notice: Option<Markup>,
) -> Markup {
    let title = format!("Compte « {} »", account.identifier);
    let content = html! {
        @if let Some(n) = notice { (n) }
        p { a href="/admin/utilisateurs" { "Retour à la liste des comptes" } }
        dl {
            dt { "Identifiant" } dd { (account.identifier) }
            dt { "Créé le" } dd { (date_time(&account.created_at)) }
            dt { "Mot de passe changé le" } dd { (date_time(&account.password_changed_at)) }
            @if account.demo { dt { "Type" } dd { "compte de démonstration (ne fonctionne que sur une base de démonstration)" } }
        }
        h2 { "Droits" }
        form.formulaire method="post" action={"/admin/utilisateurs/" (account.id)} {
            (csrf_field(caller))
            div.champ {
                label for="nom" { "Nom affiché" }
                input #nom name="nom" type="text" required value=(account.display_name);
            }
            (role_boxes(&|r| account.roles.contains(&r)))
            (territory_fields(account.all_territories, &account.territories.iter().cloned().collect::<Vec<_>>().join(" ")))
            div.case {
                input #actif name="actif" type="checkbox" value="1" checked[account.active];
                label for="actif" { "Compte actif (décocher pour empêcher toute connexion et fermer ses sessions)" }
            }
            button type="submit" { "Enregistrer" }
        }
        h2 { "Nouveau mot de passe" }
        form.formulaire method="post" action={"/admin/utilisateurs/" (account.id) "/mot-de-passe"} {
            (csrf_field(caller))
            div.champ {
                label for="mot_de_passe" { "Nouveau mot de passe (les sessions du compte seront fermées)" }
                p.aide #aide-nouveau-mdp { (maillage_web_kit::users::PASSWORD_HELP) }
                input #mot_de_passe name="mot_de_passe" type="password" required autocomplete="new-password"
                    aria-describedby="aide-nouveau-mdp";
            }
            button type="submit" { "Changer le mot de passe" }
        }
    };
    page(
        state,
        Some(caller),
        PageMeta {
            title: &title,
            current: "/admin/utilisateurs",
        },
        content,
    )
}

async fn load(state: &AppState, raw_id: &str) -> Result<Account, WebError> {
    accounts::get(state.store(), parse_id(raw_id)?)
        .await?
        .ok_or(WebError::NotFound)
}

async fn user_page(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Query(q): Query,
) -> Result<Markup, WebError> {
    let account = load(&state, &id).await?;
    let notice = if q.flag("cree") {
        Some(success_box("le compte a été créé."))
    } else if q.flag("modifie") {
        Some(success_box("le compte a été mis à jour."))
    } else if q.flag("mot_de_passe") {
        Some(success_box(
            "le mot de passe a été changé et les sessions du compte fermées.",
        ))
    } else {
        None
    };
    Ok(user_view(&state, &caller, &account, notice).await)
}

async fn update_user(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Form(f): Form,
) -> Result<Response, WebError> {
    let account = load(&state, &id).await?;
    let grants = (|| -> Result<Grants, AccountError> {
        Ok(Grants {
            display_name: f.get("nom").unwrap_or("").to_string(),
            roles: parse_roles(f.all("role"))?,
            territories: parse_territories(f.get("territoires").unwrap_or(""))?,
            all_territories: f.flag("tout_le_territoire"),
            active: f.flag("actif"),
        })
    })();
    let message = match grants {
        Err(e) => e.french(),
        // An administrator cannot lock themselves out: someone must remain able to manage accounts.
        Ok(g) if account.id == caller.account.id && (!g.active || !g.roles.contains(&Role::Admin)) => {
            "vous ne pouvez pas retirer votre propre rôle d'administration ni désactiver votre propre compte.".into()
        }
        Ok(g) => match users::check_in_territory(state.store(), &g.territories).await {
            Err(AccountError::Store(e)) => return Err(e.into()),
            Err(e) => e.french(),
            Ok(()) => match users::update(state.store(), &Actor::of(&caller), account.id, &g).await {
                Ok(()) => return Ok(Redirect::to(&format!("/admin/utilisateurs/{}?modifie=1", account.id)).into_response()),
                Err(AccountError::Store(e)) => return Err(e.into()),
                Err(e) => e.french(),
            },
        },
    };
    let markup = user_view(&state, &caller, &account, Some(error_box(&message))).await;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, markup).into_response())
}

async fn reset_password(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Form(f): Form,
) -> Result<Response, WebError> {
    let account = load(&state, &id).await?;
    let actor = Actor::of(&caller);
    match users::set_password(
        state.store(),
        &actor,
        account.id,
        f.raw("mot_de_passe"),
        Action::AccountPasswordReset,
        None,
    )
    .await
    {
        Ok(()) => Ok(Redirect::to(&format!(
            "/admin/utilisateurs/{}?mot_de_passe=1",
            account.id
        ))
        .into_response()),
        Err(AccountError::Store(e)) => Err(e.into()),
        Err(e) => {
            let markup = user_view(&state, &caller, &account, Some(error_box(&e.french()))).await;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, markup).into_response())
        }
    }
}

async fn tokens_view(
    state: &AppState,
    caller: &Caller,
    notice: Option<Markup>,
) -> Result<Markup, WebError> {
    let tokens = accounts::list_tokens(state.store()).await?;
    let list = accounts::list(state.store()).await?;
    let content = html! {
        @if let Some(n) = notice { (n) }
        p {
            "Un jeton permet à un partenaire (ARS, CPAM, CPTS, ORS…) d'interroger l'API "
            code { "/api/v1" } " avec les droits du compte auquel il est rattaché : donnez-le à un compte de rôle "
            code { "partenaire" } ". Il s'envoie dans l'en-tête " code { "Authorization: Bearer …" } "."
        }
        table {
            caption { "Jetons d'API (" (tokens.len()) ")" }
            thead { tr {
                th scope="col" { "Libellé" } th scope="col" { "Compte" } th scope="col" { "Début du jeton" }
                th scope="col" { "Créé le" } th scope="col" { "Dernier usage" } th scope="col" { "État" }
            } }
            tbody {
                @for t in &tokens {
                    tr {
                        td { (t.label) }
                        td { (t.account_identifier) }
                        td { code { (t.prefix) "…" } }
                        td { (date_time(&t.created_at)) " par " (maillage_web_kit::layout::author(&t.created_by)) }
                        td { (t.last_used_at.as_deref().map(date_time).unwrap_or_else(|| "jamais".into())) }
                        td {
                            @if let Some(r) = &t.revoked_at {
                                "révoqué le " (date_time(r))
                            } @else {
                                form method="post" action={"/admin/jetons/" (t.id) "/revocation"} {
                                    (csrf_field(caller))
                                    button type="submit" aria-label={"Révoquer le jeton " (t.label)} { "Révoquer" }
                                }
                            }
                        }
                    }
                }
            }
        }
        h2 { "Créer un jeton" }
        form.formulaire method="post" action="/admin/jetons" {
            (csrf_field(caller))
            div.champ {
                label for="compte" { "Compte" }
                select #compte name="compte" required {
                    @for a in list.iter().filter(|a| a.active) {
                        option value=(a.id) { (a.identifier) " — " (a.display_name) }
                    }
                }
            }
            div.champ {
                label for="libelle" { "Libellé (qui l'utilise, pour quoi)" }
                input #libelle name="libelle" type="text" required;
            }
            button type="submit" { "Créer le jeton" }
        }
    };
    Ok(page(
        state,
        Some(caller),
        PageMeta {
            title: "Jetons d'API",
            current: "/admin/jetons",
        },
        content,
    ))
}

async fn tokens_page(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query,
) -> Result<Markup, WebError> {
    let notice = q
        .flag("revoque")
        .then(|| success_box("le jeton a été révoqué ; il ne donne plus accès à rien."));
    tokens_view(&state, &caller, notice).await
}

async fn create_token(
    State(state): State<AppState>,
    caller: Caller,
    Form(f): Form,
) -> Result<Response, WebError> {
    let account_id = f.integer("compte")?.unwrap_or(0);
    match users::create_token(
        state.store(),
        &Actor::of(&caller),
        account_id,
        f.get("libelle").unwrap_or(""),
    )
    .await
    {
        Ok((_, token)) => {
            let notice = html! {
                div.message.succes role="status" {
                    p { strong { "Jeton créé. " } "Copiez-le maintenant : il ne sera plus jamais affiché." }
                    p { code.jeton { (token) } }
                }
            };
            Ok(tokens_view(&state, &caller, Some(notice))
                .await?
                .into_response())
        }
        Err(AccountError::Store(e)) => Err(e.into()),
        Err(e) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            tokens_view(&state, &caller, Some(error_box(&e.french()))).await?,
        )
            .into_response()),
    }
}

async fn revoke_token(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    if users::revoke_token(state.store(), &Actor::of(&caller), parse_id(&id)?).await? {
        Ok(Redirect::to("/admin/jetons?revoque=1").into_response())
    } else {
        Err(WebError::NotFound)
    }
}

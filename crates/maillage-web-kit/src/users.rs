//! Account operations, one way each, used by the administration pages, the command line and the demonstration:
//! every change is checked, hashed where needed, and audited in the same transaction.

use crate::audit::{Actor, record_in};
use crate::secrets;
use maillage_store::accounts::{self, AccountError, Grants, NewAccount, NewToken, Role};
use maillage_store::audit::Action;
use maillage_store::change::Change;
use maillage_store::{Store, settings};
use serde_json::json;
use std::collections::BTreeSet;

/// What a password must be, for the forms that set one ([`accounts::check_password`] decides).
pub const PASSWORD_HELP: &str = "Au moins 12 caractères mêlant majuscules, minuscules, chiffres et caractères \
     spéciaux, ou 14 avec majuscules, minuscules et chiffres, ou une phrase de passe de cinq mots ou plus \
     (recommandation de la CNIL) ; jamais un mot de passe courant, l'identifiant, ni une suite comme 123456.";

/// An account to create, as typed.
#[derive(Debug, Clone)]
pub struct UserForm {
    pub identifier: String,
    pub display_name: String,
    pub password: String,
    pub roles: BTreeSet<Role>,
    pub territories: BTreeSet<String>,
    pub all_territories: bool,
}

/// Role names to roles (`elu`, `admin`...).
pub fn parse_roles<'a>(
    values: impl IntoIterator<Item = &'a str>,
) -> Result<BTreeSet<Role>, AccountError> {
    values
        .into_iter()
        .map(|v| {
            Role::parse(v.trim())
                .ok_or_else(|| AccountError::UnknownRole(v.chars().take(40).collect()))
        })
        .collect()
}

/// Commune codes separated by spaces, commas or semicolons.
pub fn parse_territories(text: &str) -> Result<BTreeSet<String>, AccountError> {
    text.split(|c: char| c.is_whitespace() || c == ',' || c == ';')
        .filter(|s| !s.is_empty())
        .map(accounts::check_commune_code)
        .collect()
}

/// Refuses commune codes that are not communes of the territory Maillage serves (when one is defined): an
/// account limited to a commune that does not exist would see nothing, without anyone knowing why.
pub async fn check_in_territory(
    store: &Store,
    codes: &BTreeSet<String>,
) -> Result<(), AccountError> {
    let served = maillage_store::territory::load(store).await?.communes;
    if served.is_empty() {
        return Ok(());
    }
    let inside = |code: &str| {
        served.contains(code)
            || maillage_store::territory::plm_commune_of(code).is_some_and(|c| served.contains(c))
    };
    match codes.iter().find(|c| !inside(c)) {
        Some(outside) => Err(AccountError::CommuneOutsideTerritory(outside.clone())),
        None => Ok(()),
    }
}

/// Whether the base holds the fictional demonstration territory.
pub async fn is_demo_base(store: &Store) -> maillage_store::Result<bool> {
    Ok(settings::get::<serde_json::Value>(store, "demonstration")
        .await?
        .is_some())
}

async fn create_account(
    store: &Store,
    actor: &Actor,
    form: &UserForm,
    demo: bool,
) -> Result<i64, AccountError> {
    accounts::check_password(&form.password, &form.identifier)?;
    let password_hash = secrets::hash_password_async(form.password.clone()).await;
    let new = NewAccount {
        identifier: form.identifier.clone(),
        display_name: form.display_name.clone(),
        password_hash,
        roles: form.roles.clone(),
        territories: form.territories.clone(),
        all_territories: form.all_territories,
        demo,
    };
    let mut tx = Change::begin(store).await?;
    let id = accounts::create(&mut tx, &new).await?;
    let details = json!({
        "identifiant": accounts::normalize_identifier(&form.identifier)?,
        "roles": form.roles.iter().map(|r| r.as_str()).collect::<Vec<_>>(),
        "territoires": form.territories,
        "tout_le_territoire": form.all_territories,
        "demonstration": demo,
    });
    record_in(
        &mut tx,
        actor,
        Action::AccountCreated,
        &format!("compte:{id}"),
        details,
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Creates an account and returns its id.
pub async fn create(store: &Store, actor: &Actor, form: &UserForm) -> Result<i64, AccountError> {
    create_account(store, actor, form, false).await
}

/// Changes what an account may do and see.
pub async fn update(
    store: &Store,
    actor: &Actor,
    id: i64,
    grants: &Grants,
) -> Result<(), AccountError> {
    let mut tx = Change::begin(store).await?;
    accounts::update_grants(&mut tx, id, grants).await?;
    let details = json!({
        "nom_affiche_modifie": true,
        "roles": grants.roles.iter().map(|r| r.as_str()).collect::<Vec<_>>(),
        "territoires": grants.territories,
        "tout_le_territoire": grants.all_territories,
        "actif": grants.active,
    });
    record_in(
        &mut tx,
        actor,
        Action::AccountUpdated,
        &format!("compte:{id}"),
        details,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Sets a new password, by an administrator or the command line (ends every session of the account), or by
/// the account itself (`keep_session`: the session it is using stays open, the others end).
pub async fn set_password(
    store: &Store,
    actor: &Actor,
    id: i64,
    password: &str,
    action: Action,
    keep_session: Option<&str>,
) -> Result<(), AccountError> {
    let identifier = accounts::get(store, id)
        .await?
        .ok_or_else(|| AccountError::UnknownAccount(id.to_string()))?
        .identifier;
    accounts::check_password(password, &identifier)?;
    let hash = secrets::hash_password_async(password.to_string()).await;
    let mut tx = Change::begin(store).await?;
    accounts::set_password_hash(&mut tx, id, &hash).await?;
    accounts::delete_sessions_of(&mut tx, id, keep_session).await?;
    record_in(&mut tx, actor, action, &format!("compte:{id}"), json!({})).await?;
    tx.commit().await?;
    Ok(())
}

/// A new API token for an account: returns its id and the token, shown once and never stored in clear.
pub async fn create_token(
    store: &Store,
    actor: &Actor,
    account_id: i64,
    label: &str,
) -> Result<(i64, String), AccountError> {
    let token = format!("mlg_{}", secrets::random_token());
    let prefix: String = token.chars().take(12).collect();
    let token_hash = secrets::digest(&token);
    let mut tx = Change::begin(store).await?;
    let new = NewToken {
        account_id,
        label,
        prefix: &prefix,
        token_hash: &token_hash,
        created_by: &actor.name,
    };
    let id = accounts::create_token(&mut tx, &new).await?;
    let details = json!({ "compte": account_id, "libelle": label.trim(), "prefixe": prefix });
    record_in(
        &mut tx,
        actor,
        Action::TokenCreated,
        &format!("jeton:{id}"),
        details,
    )
    .await?;
    tx.commit().await?;
    Ok((id, token))
}

/// Revokes a token; false when it was unknown or already revoked.
pub async fn revoke_token(store: &Store, actor: &Actor, id: i64) -> Result<bool, AccountError> {
    let mut tx = Change::begin(store).await?;
    let revoked = accounts::revoke_token(&mut tx, id).await?;
    if revoked {
        record_in(
            &mut tx,
            actor,
            Action::TokenRevoked,
            &format!("jeton:{id}"),
            json!({}),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(revoked)
}

/// A demonstration account and its password, to print.
#[derive(Debug, Clone)]
pub struct DemoAccount {
    pub identifier: String,
    pub password: String,
    pub role: Role,
}

/// On a demonstration base only: one account per role (identifier = the role's name), every commune, with a
/// fresh random password each time (so the ones printed are the ones that work). Elsewhere: nothing.
pub async fn prepare_demo_accounts(store: &Store) -> Result<Vec<DemoAccount>, AccountError> {
    if !is_demo_base(store).await? {
        return Ok(Vec::new());
    }
    let actor = Actor {
        name: "demonstration".into(),
        id: None,
        ip: None,
        token: None,
    };
    let mut out = Vec::new();
    for &role in Role::ALL {
        let identifier = role.as_str().to_string();
        // Random and long enough to pass the policy; drawn again in the rare case it contains the identifier.
        let password = std::iter::repeat_with(secrets::readable_password)
            .find(|p| accounts::check_password(p, &identifier).is_ok())
            .expect("a random password passes the policy");
        match accounts::credentials(store, &identifier).await? {
            Some((account, _)) if account.demo => {
                set_password(
                    store,
                    &actor,
                    account.id,
                    &password,
                    Action::AccountPasswordReset,
                    None,
                )
                .await?;
            }
            // A real account of that name: left alone, and no demonstration account for this role.
            Some(_) => continue,
            None => {
                let form = UserForm {
                    identifier: identifier.clone(),
                    display_name: format!(
                        "Démonstration — {}",
                        crate::permissions::role_label(role)
                    ),
                    password: password.clone(),
                    roles: BTreeSet::from([role]),
                    territories: BTreeSet::new(),
                    all_territories: true,
                };
                create_account(store, &actor, &form, true).await?;
            }
        }
        out.push(DemoAccount {
            identifier,
            password,
            role,
        });
    }
    Ok(out)
}

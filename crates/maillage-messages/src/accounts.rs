//! French wording of account errors and the names of roles as stored.

use crate::{Cut, French};
use maillage_store::accounts::{AccountError, Role};

impl French for AccountError {
    fn french(&self) -> String {
        match self {
            AccountError::Store(e) => e.french(),
            AccountError::InvalidIdentifier(value) => format!(
                "identifiant invalide « {value} » : de 2 à 64 caractères parmi a-z, 0-9, point, tiret et tiret bas, \
                 en commençant par une lettre ou un chiffre (sans accent ni espace)", value = Cut(value)
            ),
            AccountError::IdentifierTaken(identifier) => {
                format!("l'identifiant « {identifier} » est déjà pris ; choisissez-en un autre", identifier = Cut(identifier))
            }
            AccountError::InvalidDisplayName { max } => {
                format!("le nom affiché doit compter de 1 à {max} caractères, sans caractère de contrôle")
            }
            AccountError::PasswordTooShort { min } => format!(
                "mot de passe trop court : au moins {min} caractères (une phrase de passe de plusieurs mots est \
                 plus sûre et plus facile à retenir)"
            ),
            AccountError::PasswordTooLong { max } => format!("mot de passe trop long : au plus {max} caractères"),
            AccountError::PasswordMismatch => {
                "le nouveau mot de passe et sa confirmation sont différents ; saisissez-les à nouveau".into()
            }
            AccountError::UnknownRole(value) => format!(
                "rôle inconnu « {value} » ; rôles possibles : {}",
                Role::ALL.iter().map(|r| r.as_str()).collect::<Vec<_>>().join(", "), value = Cut(value)
            ),
            AccountError::NoRole => "un compte doit avoir au moins un rôle".into(),
            AccountError::InvalidCommuneCode(value) => format!(
                "code commune invalide « {value} » : un code INSEE à 5 caractères est attendu (par exemple 86194)", value = Cut(value)
            ),
            AccountError::CommuneOutsideTerritory(code) => format!(
                "la commune « {code} » n'est pas une commune du territoire servi par Maillage ; indiquez le code \
                 INSEE d'une de ses communes (liste sur la page du territoire) ou cochez « Toutes les communes »",
                code = Cut(code)
            ),
            AccountError::UnknownAccount(who) => format!("compte inconnu « {who} »", who = Cut(who)),
            AccountError::InvalidLabel { max } => {
                format!("le libellé du jeton doit compter de 1 à {max} caractères, sans caractère de contrôle")
            }
            AccountError::PasswordBlank => {
                "le mot de passe est vide ou fait seulement d'espaces ; choisissez une phrase de passe de plusieurs \
                 mots"
                    .into()
            }
            AccountError::PasswordContainsIdentifier => {
                "le mot de passe ne doit ni être ni contenir l'identifiant du compte ; choisissez-en un autre".into()
            }
            AccountError::PasswordCommon => {
                "ce mot de passe fait partie des plus courants (même avec des chiffres ou des symboles autour) : \
                 il serait deviné parmi les premiers ; choisissez une phrase de passe de plusieurs mots"
                    .into()
            }
            AccountError::PasswordRepetitive => {
                "le mot de passe est un caractère répété, une suite simple (1234…, abcd…) ou un motif répété ; \
                 choisissez une phrase de passe de plusieurs mots"
                    .into()
            }
            AccountError::PasswordTooWeak { min_bits } => format!(
                "mot de passe trop faible (recommandation de la CNIL : au moins {min_bits} bits d'entropie) : \
                 12 caractères mêlant majuscules, minuscules, chiffres et caractères spéciaux, ou 14 caractères \
                 avec majuscules, minuscules et chiffres, ou une phrase de passe plus longue (par exemple 5 mots \
                 ou plus)"
            ),
        }
    }
}

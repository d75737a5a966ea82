//! The one error type of handlers. A handler returns it; the route guard, which knows whether the route is a
//! page or an API and who is calling, turns it into a French HTML page (with the site's layout) or a JSON body.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maillage_messages::French;
use maillage_store::StoreError;
use maillage_store::accounts::AccountError;
use serde_json::json;

#[derive(Debug)]
pub enum WebError {
    /// 404: nothing here (or nothing this caller may know exists).
    NotFound,
    /// 403: the caller lacks a permission checked inside the handler.
    Forbidden,
    /// 400 with a French explanation of what is wrong in the request.
    BadRequest(String),
    /// The store failed: 500, details only in the server's log. Boxed: the store's error is large.
    Store(Box<StoreError>),
    /// An account operation was refused: 422 with the French reason.
    Account(AccountError),
    /// 413: the request is larger than its limit; the French sentence says what, the limit and what to do.
    TooLarge(String),
}

impl From<StoreError> for WebError {
    fn from(e: StoreError) -> Self {
        WebError::Store(Box::new(e))
    }
}

impl From<Box<StoreError>> for WebError {
    fn from(e: Box<StoreError>) -> Self {
        WebError::Store(e)
    }
}

impl From<AccountError> for WebError {
    fn from(e: AccountError) -> Self {
        match e {
            AccountError::Store(e) => WebError::Store(e),
            e => WebError::Account(e),
        }
    }
}

/// A failure of a module of the store (crisis, network): the store's own failure, or the module's refusal.
pub trait ModuleFailure: French + Sized {
    /// The store's failure, or the module's error itself when it is a refusal.
    fn store_failure(self) -> Result<Box<StoreError>, Self>;
    /// The row acted on (or named by the request) does not exist.
    fn is_not_found(&self) -> bool;
    /// The field of the form a refusal is about (its posted name), when it is about one.
    fn field(&self) -> Option<&'static str>;
}

/// A module's failure where the request only reads: missing things are a 404, a store failure a 500, a refusal
/// a 400 with its French reason.
fn read_failure<E: ModuleFailure>(e: E) -> WebError {
    if e.is_not_found() {
        return WebError::NotFound;
    }
    match e.store_failure() {
        Ok(store) => WebError::Store(store),
        Err(refused) => WebError::BadRequest(maillage_messages::sentence(&refused.french())),
    }
}

/// Both store modules' errors: a boxed store failure, a `NotFound`, or a refusal of their rules; read
/// failures convert into a `WebError`.
macro_rules! module_failure {
    ($($error:ty),*) => {$(
        impl ModuleFailure for $error {
            fn store_failure(self) -> Result<Box<StoreError>, Self> {
                match self {
                    Self::Store(e) => Ok(e),
                    other => Err(other),
                }
            }
            fn is_not_found(&self) -> bool {
                matches!(self, Self::NotFound { .. })
            }
            fn field(&self) -> Option<&'static str> {
                match self {
                    Self::Rule(rule) => rule.field(),
                    Self::Refused(refusal) => refusal.field(),
                    _ => None,
                }
            }
        }

        impl From<$error> for WebError {
            fn from(e: $error) -> Self {
                read_failure(e)
            }
        }
    )*};
}

module_failure!(
    maillage_store::crisis::Error,
    maillage_store::network::Error
);

/// A module's failure where the request asks for a change: the French sentence of the refusal, shown with the
/// form again, or the failure to report as such (a store failure is a 500, with no detail shown or logged
/// beyond its kind). A row the change names that does not exist (a lot, a volunteer, a member removed since the
/// form was shown) is a refusal too: the form says which. Handlers that load the row of their path first
/// answer 404 for it before any change.
pub fn refusal<E: ModuleFailure>(e: E) -> Result<String, WebError> {
    match e.store_failure() {
        Ok(store) => match *store {
            StoreError::AlreadyExists(_) | StoreError::InvalidValue { .. } => {
                Ok(maillage_messages::sentence(&store.french()))
            }
            other => Err(WebError::Store(Box::new(other))),
        },
        Err(refused) => Ok(maillage_messages::sentence(&refused.french())),
    }
}

/// The field a refused form is to correct, carried in the 422 answer's extensions for the guard, which marks it
/// on the page ([`crate::refill`]).
#[derive(Debug, Clone, Copy)]
pub struct WrongField(pub Option<&'static str>);

/// What the guard needs to render an error: carried in the response's extensions.
#[derive(Debug, Clone)]
pub struct Failure {
    pub status: StatusCode,
    /// A French sentence for the user; a generic one per status when None.
    pub message: Option<String>,
}

impl WebError {
    pub fn failure(&self) -> Failure {
        match self {
            WebError::NotFound => Failure {
                status: StatusCode::NOT_FOUND,
                message: None,
            },
            WebError::Forbidden => Failure {
                status: StatusCode::FORBIDDEN,
                message: None,
            },
            WebError::BadRequest(m) => Failure {
                status: StatusCode::BAD_REQUEST,
                message: Some(m.clone()),
            },
            WebError::Account(e) => Failure {
                status: StatusCode::UNPROCESSABLE_ENTITY,
                message: Some(e.french()),
            },
            WebError::TooLarge(m) => Failure {
                status: StatusCode::PAYLOAD_TOO_LARGE,
                message: Some(m.clone()),
            },
            WebError::Store(e) => {
                // The kind of failure only: store errors may quote values, and logs carry no personal data.
                tracing::error!(
                    error = %e.code(),
                    "store error while answering a request"
                );
                Failure {
                    status: StatusCode::INTERNAL_SERVER_ERROR,
                    message: None,
                }
            }
        }
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let failure = self.failure();
        let mut response = failure.status.into_response();
        response.extensions_mut().insert(failure);
        response
    }
}

/// The generic French sentence of a status.
pub fn status_message(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 => "La demande est incorrecte.",
        401 => "Authentification requise : connectez-vous, ou présentez un jeton d'API valide.",
        403 => {
            "Vous n'avez pas les droits nécessaires pour accéder à cette page. Si vous pensez en avoir besoin, \
                adressez-vous à l'administrateur de Maillage."
        }
        404 => "Cette page n'existe pas. Vérifiez l'adresse, ou repartez de l'accueil.",
        405 => "Cette adresse n'accepte pas ce type de demande.",
        413 => "La demande est trop volumineuse.",
        422 => "Les informations saisies ne conviennent pas.",
        429 => {
            "Trop de tentatives de connexion ont échoué. Pour protéger les comptes, la connexion est \
                suspendue pendant quelques minutes ; réessayez plus tard."
        }
        _ => {
            "Une erreur interne est survenue ; elle a été consignée. Réessayez, et si elle persiste, \
              prévenez l'administrateur de Maillage."
        }
    }
}

/// The short French title of a status.
pub fn status_title(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 => "Demande incorrecte",
        401 => "Connexion requise",
        403 => "Accès refusé",
        404 => "Page introuvable",
        405 => "Méthode non acceptée",
        413 => "Demande trop volumineuse",
        422 => "Saisie à corriger",
        429 => "Trop de tentatives",
        _ => "Erreur interne",
    }
}

/// The JSON body of an API error.
pub fn error_body(failure: &Failure) -> Response {
    let message = failure
        .message
        .as_deref()
        .unwrap_or(status_message(failure.status));
    (
        failure.status,
        Json(json!({ "erreur": message, "statut": failure.status.as_u16() })),
    )
        .into_response()
}

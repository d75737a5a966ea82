//! Form bodies and query strings, read the same way: as a list of (name, value) pairs. Repeated names (check
//! boxes) are kept, and a missing or malformed field is the handler's to explain in French, never a generic
//! rejection.

use crate::error::WebError;
use axum::body::to_bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;

/// Above the guard's limit ([`crate::limits::FORM_LIMIT`], which wraps every body): that one speaks first.
const LIMIT: usize = 2 << 20;

#[derive(Debug, Clone, Default)]
pub struct Params(pub Vec<(String, String)>);

impl Params {
    pub fn parse(input: &[u8]) -> Params {
        Params(
            form_urlencoded::parse(input)
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
        )
    }

    /// The first value of a field, trimmed; None when absent or empty.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
    }

    /// The first value of a field as typed (passwords keep their spaces).
    pub fn raw(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    }

    /// Every value of a repeated field.
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// A check box or a yes/no parameter: `1`, `true`, `oui`, `on`.
    pub fn flag(&self, name: &str) -> bool {
        self.get(name)
            .is_some_and(|v| matches!(v, "1" | "true" | "oui" | "on"))
    }

    /// A whole number, or a French explanation.
    pub fn integer(&self, name: &str) -> Result<Option<i64>, WebError> {
        self.get(name)
            .map(|v| {
                v.parse().map_err(|_| {
                    WebError::BadRequest(format!("« {name} » doit être un nombre entier."))
                })
            })
            .transpose()
    }
}

/// The query string of the request.
#[derive(Debug, Clone, Default)]
pub struct Query(pub Params);

impl<S: Send + Sync> FromRequestParts<S> for Query {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Query(Params::parse(
            parts.uri.query().unwrap_or("").as_bytes(),
        )))
    }
}

/// The body of a form (`application/x-www-form-urlencoded`).
#[derive(Debug, Clone, Default)]
pub struct Form(pub Params);

impl<S: Send + Sync> FromRequest<S> for Form {
    type Rejection = WebError;

    async fn from_request(req: Request, _: &S) -> Result<Self, Self::Rejection> {
        let bytes = to_bytes(req.into_body(), LIMIT).await.map_err(|e| {
            if crate::limits::too_large_in(&e).is_some() {
                WebError::TooLarge(crate::limits::form_too_large_message())
            } else {
                WebError::BadRequest(
                    "Le formulaire envoyé est trop volumineux ou incomplet.".into(),
                )
            }
        })?;
        Ok(Form(Params::parse(&bytes)))
    }
}

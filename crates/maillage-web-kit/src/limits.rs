//! How much of a request the server reads: form bodies (`application/x-www-form-urlencoded`, JSON) are capped as
//! a whole ([`FORM_LIMIT`]); uploads (`multipart/form-data`) per text field and by number of parts
//! ([`crate::multipart`]), their file part by each upload page. Beyond, a French 413 says what was too large,
//! the limit and what to do, and nothing is written. Any refusal of a request that carries a body closes the
//! connection (`Connection: close`): the unread rest of the body must not be taken for the next request.

use crate::error::Failure;
use axum::body::Body;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use std::fmt;

/// Largest form body (all fields together), far above any form of the site.
pub const FORM_LIMIT: u64 = 1 << 20;

/// The body went past its limit (an error inside the body stream, so that every reader stops there).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BodyTooLarge {
    pub limit: u64,
}

impl fmt::Display for BodyTooLarge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "request body larger than {} bytes", self.limit)
    }
}

impl std::error::Error for BodyTooLarge {}

/// The body, failing with [`BodyTooLarge`] as soon as more than `limit` bytes have come.
pub fn limited(body: Body, limit: u64) -> Body {
    let mut seen = 0u64;
    Body::from_stream(body.into_data_stream().map(move |chunk| {
        let chunk = chunk?;
        seen += chunk.len() as u64;
        if seen > limit {
            Err(axum::Error::new(BodyTooLarge { limit }))
        } else {
            Ok(chunk)
        }
    }))
}

/// The [`BodyTooLarge`] behind an error, however deeply wrapped.
pub fn too_large_in(error: &(dyn std::error::Error + 'static)) -> Option<BodyTooLarge> {
    let mut e: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(current) = e {
        if let Some(t) = current.downcast_ref::<BodyTooLarge>() {
            return Some(*t);
        }
        e = current.source();
    }
    None
}

/// The body's declared length, when it says one.
pub fn declared_length(headers: &HeaderMap) -> Option<u64> {
    headers
        .get(header::CONTENT_LENGTH)?
        .to_str()
        .ok()?
        .trim()
        .parse()
        .ok()
}

/// A size for people: `64 Kio`, `1 Mio`, `4 Gio`.
pub fn size_label(bytes: u64) -> String {
    const UNITS: [(u64, &str); 3] = [(1 << 30, "Gio"), (1 << 20, "Mio"), (1 << 10, "Kio")];
    for (unit, name) in UNITS {
        if bytes >= unit {
            let value = bytes as f64 / unit as f64;
            return if value.fract() == 0.0 {
                format!("{value:.0} {name}")
            } else {
                format!("{} {name}", format!("{value:.1}").replace('.', ","))
            };
        }
    }
    format!("{bytes} octets")
}

/// The sentence of a form body over [`FORM_LIMIT`].
pub fn form_too_large_message() -> String {
    format!(
        "Le formulaire envoyé dépasse {} (limite de tous ses champs ensemble) : rien n'a été enregistré. \
         Raccourcissez les textes saisis puis envoyez-le à nouveau ; un fichier s'envoie par sa page d'import.",
        size_label(FORM_LIMIT)
    )
}

/// A 413 the guard renders as a French page or JSON.
pub fn payload_too_large(message: String) -> Response {
    let mut r = StatusCode::PAYLOAD_TOO_LARGE.into_response();
    r.extensions_mut().insert(Failure {
        status: StatusCode::PAYLOAD_TOO_LARGE,
        message: Some(message),
    });
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_the_french_way() {
        assert_eq!(size_label(64 * 1024), "64 Kio");
        assert_eq!(size_label(1 << 20), "1 Mio");
        assert_eq!(size_label(3 << 29), "1,5 Gio");
        assert_eq!(size_label(900), "900 octets");
    }
}

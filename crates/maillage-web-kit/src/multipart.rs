//! File uploads (`multipart/form-data`). The route guard must check the CSRF token of an upload before the
//! handler runs, without reading a file of possibly gigabytes into memory: forms put the `_csrf` field first,
//! and [`csrf_first_field`] reads just enough of the body to find it, then hands the handler the whole body
//! again (what was read, followed by the rest of the stream). Scripts may send the `x-csrf-token` header
//! instead, which the guard reads first.
//!
//! Upload pages read the body through [`Form`]: every text field is capped at [`TEXT_FIELD_LIMIT`] (a 512 MB
//! field stops after 64 Kio, never held), the headers of a part and whatever precedes it at
//! [`BETWEEN_FIELDS_LIMIT`], the number of parts at [`PARTS_LIMIT`]; the file part (`fichier`) streams to disk
//! under the page's own cap. Beyond, a [`Refusal`] in French (413, naming the field and the limit).

use crate::error::WebError;
use crate::limits::{BodyTooLarge, size_label, too_large_in};
use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::{HeaderMap, StatusCode, header};
use futures_util::StreamExt;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

/// The most of a body read to find the token (the first field is a few hundred bytes).
const PREFIX_LIMIT: usize = 64 * 1024;

/// Largest text field of an upload form (a territory code, a choice, the CSRF token: a few bytes each).
pub const TEXT_FIELD_LIMIT: u64 = 64 * 1024;
/// Most bytes read while looking for the next part (the rest of a skipped text field, the part's headers).
pub const BETWEEN_FIELDS_LIMIT: u64 = 1 << 20;
/// Most parts in an upload form (the forms have fewer than ten).
pub const PARTS_LIMIT: usize = 32;
/// The name of the file part in every upload form.
pub const FILE_FIELD: &str = "fichier";

/// Why an upload was refused, in French, with its status (413 beyond a limit, 400 when malformed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub status: StatusCode,
    pub message: String,
}

impl From<Refusal> for (StatusCode, String) {
    fn from(r: Refusal) -> Self {
        (r.status, r.message)
    }
}

impl From<Refusal> for WebError {
    fn from(r: Refusal) -> Self {
        if r.status == StatusCode::PAYLOAD_TOO_LARGE {
            WebError::TooLarge(r.message)
        } else {
            WebError::BadRequest(r.message)
        }
    }
}

/// The French refusal for an error met while reading an upload (a field, a chunk, the next part).
pub fn refusal(error: &multer::Error) -> Refusal {
    let too_large = |message: String| Refusal {
        status: StatusCode::PAYLOAD_TOO_LARGE,
        message,
    };
    match error {
        multer::Error::FieldSizeExceeded { limit, field_name } => too_large(format!(
            "Le champ « {} » du formulaire dépasse {} : rien n'a été enregistré. Ce champ attend une valeur \
             courte ; rechargez la page d'import et envoyez le formulaire à nouveau.",
            maillage_formats::text::cut(field_name.as_deref().unwrap_or("sans nom"), 80),
            size_label(*limit)
        )),
        multer::Error::StreamReadFailed(e) => match too_large_in(e.as_ref()) {
            Some(BodyTooLarge { limit }) => too_large(format!(
                "Une partie du formulaire envoyé dépasse {} avant même son contenu (en-têtes ou texte hors \
                 champ) : rien n'a été enregistré. Envoyez le fichier depuis la page d'import.",
                size_label(limit)
            )),
            None => interrupted(),
        },
        _ => interrupted(),
    }
}

fn interrupted() -> Refusal {
    Refusal {
        status: StatusCode::BAD_REQUEST,
        message: "L'envoi du formulaire a été interrompu ou est mal formé ; recommencez.".into(),
    }
}

/// An upload form being read: [`multer::Multipart`] under the limits of this module.
pub struct Form {
    inner: multer::Multipart<'static>,
    parts: usize,
    /// Set while looking for the next part: the bytes pulled then are counted against [`BETWEEN_FIELDS_LIMIT`].
    seeking: Arc<AtomicBool>,
    pulled_while_seeking: Arc<AtomicU64>,
}

impl Form {
    /// Reads `body` (of boundary `boundary`); the file part is not capped here (each page caps its file).
    pub fn new(body: Body, boundary: impl Into<String>) -> Form {
        let seeking = Arc::new(AtomicBool::new(false));
        let pulled = Arc::new(AtomicU64::new(0));
        let (s, p) = (seeking.clone(), pulled.clone());
        // multer keeps what it reads until it finds the end of a part's headers: bounded here, in the stream.
        let stream = body.into_data_stream().map(move |chunk| {
            let chunk = chunk?;
            if s.load(Ordering::Relaxed)
                && p.fetch_add(chunk.len() as u64, Ordering::Relaxed) + chunk.len() as u64
                    > BETWEEN_FIELDS_LIMIT
            {
                return Err(axum::Error::new(BodyTooLarge {
                    limit: BETWEEN_FIELDS_LIMIT,
                }));
            }
            Ok(chunk)
        });
        let constraints = multer::Constraints::new().size_limit(
            multer::SizeLimit::new()
                .per_field(TEXT_FIELD_LIMIT)
                .for_field(FILE_FIELD, u64::MAX),
        );
        Form {
            inner: multer::Multipart::with_constraints(stream, boundary, constraints),
            parts: 0,
            seeking,
            pulled_while_seeking: pulled,
        }
    }

    /// The next part, or None at the end of the form.
    pub async fn next_field(&mut self) -> Result<Option<multer::Field<'static>>, Refusal> {
        if self.parts >= PARTS_LIMIT {
            return Err(Refusal {
                status: StatusCode::PAYLOAD_TOO_LARGE,
                message: format!(
                    "Le formulaire envoyé compte plus de {PARTS_LIMIT} champs : rien n'a été enregistré. \
                     Envoyez-le depuis la page d'import, sans champ ajouté."
                ),
            });
        }
        self.pulled_while_seeking.store(0, Ordering::Relaxed);
        self.seeking.store(true, Ordering::Relaxed);
        let next = self.inner.next_field().await;
        self.seeking.store(false, Ordering::Relaxed);
        let field = next.map_err(|e| refusal(&e))?;
        if field.is_some() {
            self.parts += 1;
        }
        Ok(field)
    }
}

/// The boundary of a `multipart/form-data` request, None for any other body.
pub fn boundary(headers: &HeaderMap) -> Option<String> {
    let content_type = headers.get(header::CONTENT_TYPE)?.to_str().ok()?;
    if !content_type
        .trim_start()
        .to_ascii_lowercase()
        .starts_with("multipart/form-data")
    {
        return None;
    }
    multer::parse_boundary(content_type).ok()
}

/// The value of the body's first field when it is `_csrf` (None otherwise), and the request with its body intact.
pub async fn csrf_first_field(
    req: Request,
    boundary: &str,
) -> Result<(Request, Option<String>), WebError> {
    let (parts, body) = req.into_parts();
    let mut stream = body.into_data_stream();
    let mut buf: Vec<u8> = Vec::new();
    let token = loop {
        if let Some(decided) = first_field(&buf, boundary) {
            break decided;
        }
        if buf.len() > PREFIX_LIMIT {
            break None;
        }
        match stream.next().await {
            Some(Ok(chunk)) => buf.extend_from_slice(&chunk),
            Some(Err(_)) => {
                return Err(WebError::BadRequest(
                    "L'envoi du fichier a été interrompu ; recommencez.".into(),
                ));
            }
            None => break None,
        }
    };
    let prefix = Bytes::from(buf);
    let body =
        Body::from_stream(futures_util::stream::iter([Ok::<_, axum::Error>(prefix)]).chain(stream));
    Ok((Request::from_parts(parts, body), token))
}

/// Looks for the `_csrf` field at the start of a multipart body: `Some(Some(token))` when found, `Some(None)`
/// when the first field is another one, `None` when more bytes are needed to tell.
fn first_field(buf: &[u8], boundary: &str) -> Option<Option<String>> {
    let delimiter = format!("--{boundary}");
    let start = find(buf, delimiter.as_bytes(), 0)? + delimiter.len();
    let headers_end = find(buf, b"\r\n\r\n", start)?;
    let headers = std::str::from_utf8(&buf[start..headers_end]).ok()?;
    let is_csrf = headers.lines().any(|line| {
        let Some((name, value)) = line.split_once(':') else {
            return false;
        };
        name.trim().eq_ignore_ascii_case("content-disposition")
            && value
                .split(';')
                .any(|p| matches!(p.trim(), "name=\"_csrf\"" | "name=_csrf"))
    });
    if !is_csrf {
        return Some(None);
    }
    let value_start = headers_end + 4;
    let value_end = find(buf, format!("\r\n{delimiter}").as_bytes(), value_start)?;
    Some(
        std::str::from_utf8(&buf[value_start..value_end])
            .ok()
            .map(str::to_string),
    )
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    haystack
        .get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

#[cfg(test)]
mod tests {
    use super::first_field;

    const B: &str = "----xyz";

    #[test]
    fn the_token_of_the_first_field_is_found_once_complete() {
        let body = "------xyz\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\nabc123\r\n------xyz\r\n\
                    Content-Disposition: form-data; name=\"fichier\"; filename=\"a.txt\"\r\n\r\ncontenu\r\n------xyz--\r\n";
        assert_eq!(first_field(body.as_bytes(), B), Some(Some("abc123".into())));
        // Cut anywhere before the end of the value: not decided yet.
        for cut in [0, 5, 30, 60, 66] {
            assert_eq!(
                first_field(&body.as_bytes()[..cut], B),
                None,
                "cut at {cut}"
            );
        }
    }

    #[test]
    fn another_first_field_means_no_token() {
        let body = "------xyz\r\nContent-Disposition: form-data; name=\"fichier\"; filename=\"_csrf\"\r\n\r\nx";
        assert_eq!(first_field(body.as_bytes(), B), Some(None));
        let body = "------xyz\r\ncontent-disposition: form-data; name=_csrf\r\n\r\nT\r\n------xyz";
        assert_eq!(first_field(body.as_bytes(), B), Some(Some("T".into())));
    }
}

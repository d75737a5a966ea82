//! File uploads (`multipart/form-data`). The route guard must check the CSRF token of an upload before the
//! handler runs, without reading a file of possibly gigabytes into memory: forms put the `_csrf` field first,
//! and [`csrf_first_field`] reads just enough of the body to find it, then hands the handler the whole body
//! again (what was read, followed by the rest of the stream). Scripts may send the `x-csrf-token` header
//! instead, which the guard reads first.

use crate::error::WebError;
use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::{HeaderMap, header};
use futures_util::StreamExt;

/// The most of a body read to find the token (the first field is a few hundred bytes).
const PREFIX_LIMIT: usize = 64 * 1024;

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
pub(crate) async fn csrf_first_field(
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

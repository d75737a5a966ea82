//! The module's own static files, embedded in the binary: its style sheet and the script that refreshes the
//! progress of phone campaigns (the pages work without it).

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use maillage_web_kit::routes::Routes;

pub const CSS: &[u8] = include_bytes!("crise.css");
pub const JS: &[u8] = include_bytes!("crise.js");

pub fn routes(r: Routes) -> Routes {
    r.asset("/static/crise.css", || async {
        asset("text/css; charset=utf-8", CSS)
    })
    .asset("/static/crise.js", || async {
        asset("text/javascript; charset=utf-8", JS)
    })
}

fn asset(content_type: &'static str, bytes: &'static [u8]) -> Response {
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=3600"),
    );
    response
}

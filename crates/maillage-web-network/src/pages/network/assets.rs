//! The module's style sheet, embedded in the binary.

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use maillage_web_kit::routes::Routes;

pub const CSS: &[u8] = include_bytes!("reseau.css");

pub fn routes(r: Routes) -> Routes {
    r.asset("/static/reseau.css", || async {
        asset("text/css; charset=utf-8", CSS)
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

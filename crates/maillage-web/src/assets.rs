//! Files embedded in the binary and served as they are: nothing is fetched from the internet. To add one
//! (a script, an icon), put it in `assets/` and add a line to [`ASSETS`].

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use maillage_web_kit::routes::Routes;

/// (path, content type, bytes)
pub const ASSETS: &[(&str, &str, &[u8])] = &[
    (
        "/static/maillage.css",
        "text/css; charset=utf-8",
        include_bytes!("../assets/maillage.css"),
    ),
    // Every page's script: the phone menu.
    (
        "/static/maillage.js",
        JS,
        include_bytes!("../assets/maillage.js"),
    ),
    // The observatory map: its script, the import page's script, and Leaflet 1.9.4 as published on npm
    // (BSD-2-Clause, LICENSE beside it).
    ("/static/carte.js", JS, include_bytes!("../assets/carte.js")),
    (
        "/static/imports.js",
        JS,
        include_bytes!("../assets/imports.js"),
    ),
    // A refused form's page: its address and focus (maillage-web-kit's refill.rs).
    (
        maillage_web_kit::refill::SCRIPT,
        JS,
        include_bytes!("../assets/formulaires.js"),
    ),
    (
        "/static/vendor/leaflet/leaflet.js",
        JS,
        include_bytes!("../assets/vendor/leaflet/leaflet.js"),
    ),
    (
        "/static/vendor/leaflet/leaflet.css",
        "text/css; charset=utf-8",
        include_bytes!("../assets/vendor/leaflet/leaflet.css"),
    ),
    (
        "/static/vendor/leaflet/images/layers.png",
        "image/png",
        include_bytes!("../assets/vendor/leaflet/images/layers.png"),
    ),
    (
        "/static/vendor/leaflet/images/layers-2x.png",
        "image/png",
        include_bytes!("../assets/vendor/leaflet/images/layers-2x.png"),
    ),
    // The site's icon (browsers ask for /favicon.ico on their own) and the copy buttons' script.
    (
        "/favicon.ico",
        "image/vnd.microsoft.icon",
        include_bytes!("../assets/favicon.ico"),
    ),
    (
        "/static/favicon.svg",
        "image/svg+xml",
        include_bytes!("../assets/favicon.svg"),
    ),
    (
        "/static/copier.js",
        JS,
        include_bytes!("../assets/copier.js"),
    ),
    (
        "/static/vendor/leaflet/LICENSE",
        "text/plain; charset=utf-8",
        include_bytes!("../assets/vendor/leaflet/LICENSE"),
    ),
];

const JS: &str = "text/javascript; charset=utf-8";

pub fn routes(mut r: Routes) -> Routes {
    for (path, content_type, bytes) in ASSETS {
        r = r.asset(path, move || async move { asset(content_type, bytes) });
    }
    r
}

fn asset(content_type: &'static str, bytes: &'static [u8]) -> Response {
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    // Same binary, same files: browsers may keep them an hour.
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=3600"),
    );
    response
}

//! The background map served by Maillage itself: SVG tiles of the streets, water and places kept in the store
//! (`/carte/fond/{z}/{x}/{y}.svg` for the ground, `/carte/noms/…` for the names laid over the zones), which
//! Leaflet shows in `<img>` as it would any tile server's, and the features under the maps drawn on the server
//! (reports, zone pages). Nothing is fetched from outside.
//!
//! Tiles hold no personal data (the streets of OpenStreetMap, the names of places): any logged-in account may
//! read them, whatever its role or its communes; logging in is still asked so that nobody outside can make the
//! server draw. Each tile reads at most [`maillage_store::basemap::MAX_FEATURES`] features; drawn tiles are
//! kept in memory (bounded) until the data changes.

use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use maillage_kit::basemap::{LonLatBox, MAX_ZOOM, MIN_ZOOM, MapFeature, MapLayer, tile_box};
use maillage_report::basemap::{Part, tile_svg};
use maillage_store::{Store, basemap, geodata};
use maillage_web_kit::error::WebError;
use maillage_web_kit::permissions::Permission;
use maillage_web_kit::routes::{Access, Routes};
use maillage_web_kit::state::AppState;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

/// Every logged-in account (see the module's documentation).
const TILES: Access = Access::Requires(Permission::OwnAccount);
/// Tiles kept in memory per server; beyond, the cache starts again (a commune's map is a few hundred tiles).
const CACHE_TILES: usize = 4096;
/// How long the data's version is trusted before it is read again.
const VERSION_CHECK: Duration = Duration::from_secs(30);

pub fn routes(r: Routes) -> Routes {
    r.page(
        axum::http::Method::GET,
        "/carte/fond/{z}/{x}/{y}",
        TILES,
        ground,
    )
    .page(
        axum::http::Method::GET,
        "/carte/noms/{z}/{x}/{y}",
        TILES,
        names,
    )
}

async fn ground(
    State(state): State<AppState>,
    Path((z, x, y)): Path<(u8, u32, String)>,
) -> Result<Response, WebError> {
    tile(&state, Part::Ground, z, x, &y).await
}

async fn names(
    State(state): State<AppState>,
    Path((z, x, y)): Path<(u8, u32, String)>,
) -> Result<Response, WebError> {
    tile(&state, Part::Names, z, x, &y).await
}

type Key = (String, u8, u8, u32, u32);

struct Cache {
    version: String,
    checked: Instant,
    tiles: HashMap<Key, Arc<String>>,
}

/// Tiles by store location (tests run several servers in one process).
fn cache() -> &'static Mutex<HashMap<String, Cache>> {
    static CACHE: OnceLock<Mutex<HashMap<String, Cache>>> = OnceLock::new();
    CACHE.get_or_init(Default::default)
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A panic while holding the lock leaves plain data behind: still usable.
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// The cached tile, after checking (at most every [`VERSION_CHECK`]) that the data has not changed.
async fn cached(store: &Store, key: &Key) -> Result<Option<Arc<String>>, WebError> {
    let location = store.location().to_string();
    let stale = lock(cache())
        .get(&location)
        .is_none_or(|c| c.checked.elapsed() > VERSION_CHECK);
    if stale {
        let version = geodata::data_version(store).await?;
        let mut all = lock(cache());
        let entry = all.entry(location.clone()).or_insert_with(|| Cache {
            version: version.clone(),
            checked: Instant::now(),
            tiles: HashMap::new(),
        });
        if entry.version != version {
            entry.tiles.clear();
            entry.version = version;
        }
        entry.checked = Instant::now();
    }
    Ok(lock(cache())
        .get(&location)
        .and_then(|c| c.tiles.get(key).cloned()))
}

fn keep(store: &Store, key: Key, svg: Arc<String>) {
    if let Some(c) = lock(cache()).get_mut(&store.location().to_string()) {
        if c.tiles.len() >= CACHE_TILES {
            c.tiles.clear();
        }
        c.tiles.insert(key, svg);
    }
}

async fn tile(state: &AppState, part: Part, z: u8, x: u32, y: &str) -> Result<Response, WebError> {
    let y: u32 = y
        .strip_suffix(".svg")
        .and_then(|y| y.parse().ok())
        .ok_or(WebError::NotFound)?;
    let n = 1u64 << z.min(31);
    if !(MIN_ZOOM..=MAX_ZOOM).contains(&z) || u64::from(x) >= n || u64::from(y) >= n {
        return Err(WebError::NotFound);
    }
    let store = state.store();
    let key = (store.location().to_string(), part as u8, z, x, y);
    let svg = match cached(store, &key).await? {
        Some(svg) => svg,
        None => {
            // A little beyond the tile: lines and place names across its edge are drawn on both sides.
            let area = tile_box(z, x, y).grown(0.25);
            let features = basemap::in_box(store, area, &MapLayer::shown_at(z)).await?;
            let b = tile_box(z, x, y);
            let title = format!(
                "Fond de carte OpenStreetMap autour de {:.4}° N, {:.4}° E",
                (b.min_lat + b.max_lat) / 2.0,
                (b.min_lon + b.max_lon) / 2.0
            );
            let svg = Arc::new(tile_svg(&features, (z, x, y), part, &title));
            keep(store, key, svg.clone());
            svg
        }
    };
    let mut response = svg.as_str().to_string().into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("image/svg+xml"),
    );
    // Private: a logged-in account's; an hour, as the other files of the map.
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=3600"),
    );
    Ok(response)
}

/// The features under a map drawn on the server (a report, a zone's small map) showing `area`.
pub async fn features_for(store: &Store, area: LonLatBox) -> Result<Vec<MapFeature>, WebError> {
    Ok(basemap::in_box(store, area.grown(0.1), &MapLayer::shown_at(MAX_ZOOM)).await?)
}

/// The box of a zone's contour.
pub fn box_of(g: &geo::MultiPolygon<f64>) -> Option<LonLatBox> {
    use geo::BoundingRect;
    g.bounding_rect().map(|r| LonLatBox {
        min_lon: r.min().x,
        min_lat: r.min().y,
        max_lon: r.max().x,
        max_lat: r.max().y,
    })
}

//! maillage-routing: Maillage's road routing engine.
//!
//! - [`Graph::from_osm_pbf`]: an OpenStreetMap extract to a routable graph for a [`Profile`] (car or
//!   walking), largest strongly connected component only, in a compact CSR layout ordered along a
//!   Hilbert curve, travel times in integer milliseconds; [`Graph::from_parts`] for graphs built
//!   elsewhere; [`Graph::save_cache`] / [`Graph::load_cache`] for a checked binary cache.
//! - [`read_basemap`]: the same extract's streets, water, railways, parks and places, for the background map.
//! - [`Graph::snap`]: nearest routable node of a point (R-tree), with the distance.
//! - [`Graph::travel_times`], [`Graph::one_to_many`], [`Dijkstra`]: bounded travel times, parallel.
//! - [`Graph::isochrones`]: polygons at given minutes, with the population covered.
//!
//! No web, no database: the store and the command line call this crate.

mod basemap;
mod cache;
mod core;
mod error;
mod geodesy;
mod graph;
mod isochrone;
mod order;
mod osm;
mod points;
mod profile;
mod scc;
mod search;
mod snap;
mod zones;

pub use basemap::{place_layer, read_basemap, way_layer};
pub use cache::{CACHE_MAGIC, CACHE_VERSION, is_cache_file};
pub use error::{CacheProblem, CsvProblem, Result, RoutingError, ZoneProblem};
pub use geodesy::{LocalProjection, haversine_m, travel_millis};
pub use graph::{Arc, BuildInfo, BuildOptions, Graph, NodeIndex, NodeOrder, Seconds};
pub use isochrone::{Isochrone, IsochroneOptions, covered_population, feature_collection};
pub use points::{Point, read_points_csv};
pub use profile::{Profile, WALK_KMH, WayRule, car_class_speed, parse_maxspeed};
pub use search::{Dijkstra, TravelTime};
pub use snap::Snap;
pub use zones::read_zones_geojson;

/// The `geo` crate this one uses, so callers build [`geo::MultiPolygon`] zones of the same version.
pub use geo;

//! Isochrones around care sites, with the population they cover (IRIS populations, area-weighted), stored.

use crate::AnalysisError;
use crate::network::{Network, load_graph};
use crate::wording::Wording;
use maillage_routing::IsochroneOptions;
use maillage_store::Store;
use maillage_store::accessibility::{self, StoredIsochrone};
use maillage_store::zones::{self, ZoneKind};

#[derive(Debug, Clone)]
pub struct IsochroneRequest {
    /// What the isochrones are around, as users will read it (e.g. "MSP des Tilleuls").
    pub label: String,
    /// WGS84 (lon, lat) points: the area reachable from any of them.
    pub points: Vec<(f64, f64)>,
    pub minutes: Vec<f64>,
    pub network: Network,
}

pub async fn isochrones_around(
    store: &Store,
    request: &IsochroneRequest,
    word: Wording,
) -> Result<Vec<StoredIsochrone>, AnalysisError> {
    let (graph, network) = load_graph(store, &request.network, word).await?;
    let sources: Vec<u32> = request
        .points
        .iter()
        .filter_map(|&(lon, lat)| graph.snap(lon, lat))
        .map(|s| s.node)
        .collect();
    // Population by the finest zones known: IRIS where they exist, communes elsewhere.
    let populations = zones::populations(store).await?;
    let shapes = zones::geometries(store, &[ZoneKind::Iris]).await?;
    let shapes = if shapes.is_empty() {
        zones::geometries(store, &[ZoneKind::Commune]).await?
    } else {
        shapes
    };
    let weighted: Vec<(maillage_routing::geo::MultiPolygon<f64>, f64)> = shapes
        .into_iter()
        .filter_map(|(id, _, _, g)| populations.get(&id).map(|p| (g, p.value)))
        .collect();
    let options = IsochroneOptions::for_profile(graph.profile());
    let iso = graph.isochrones(
        &sources,
        &request.minutes,
        &options,
        (!weighted.is_empty()).then_some(&weighted[..]),
    )?;
    let profile = match graph.profile() {
        Some(maillage_routing::Profile::Walk) => "pieton",
        _ => "voiture",
    };
    let origin = request.points.first().copied().unwrap_or_default();
    let stored: Vec<StoredIsochrone> = iso
        .iter()
        .map(|i| StoredIsochrone {
            id: 0,
            label: request.label.clone(),
            profile: profile.into(),
            minutes: i.minutes.round() as i64,
            origin,
            geojson: i.to_geojson_feature(),
            population_covered: i.population,
            network: network.clone(),
        })
        .collect();
    accessibility::save_isochrones(store, &stored).await?;
    Ok(stored)
}

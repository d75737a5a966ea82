//! Reading the background map's features from the same OpenStreetMap extract as the road graph: streets by
//! class, railways, rivers and streams, lakes, parks and woods, and named places, inside the territory's box.
//!
//! Two passes, as for the graph: ways and place nodes with their tags, then the positions of the ways' nodes.
//! Areas drawn as multipolygon relations (large lakes, forests) are not read: the ways that outline most
//! parks and ponds are.

use crate::error::{Result, io_error};
use crate::osm::{check_framing, for_each_block, pbf_error};
use maillage_kit::basemap::{LonLatBox, MapFeature, MapLayer};
use rayon::prelude::*;
use std::path::Path;

/// The layer of an OpenStreetMap way from its tags, None when the background map does not draw it.
pub fn way_layer<'a>(tags: impl Iterator<Item = (&'a str, &'a str)>) -> Option<MapLayer> {
    let mut found = None;
    for (key, value) in tags {
        let layer = match (key, value) {
            ("highway", "motorway" | "trunk" | "motorway_link" | "trunk_link") => {
                MapLayer::Motorway
            }
            ("highway", "primary" | "primary_link") => MapLayer::Primary,
            ("highway", "secondary" | "secondary_link") => MapLayer::Secondary,
            ("highway", "tertiary" | "tertiary_link") => MapLayer::Tertiary,
            ("highway", "residential" | "unclassified" | "living_street" | "pedestrian") => {
                MapLayer::Street
            }
            ("highway", "footway" | "path" | "cycleway" | "track" | "steps" | "bridleway") => {
                MapLayer::Path
            }
            ("railway", "rail" | "light_rail" | "tram" | "narrow_gauge") => MapLayer::Railway,
            ("waterway", "river" | "canal") => MapLayer::River,
            ("waterway", "stream") => MapLayer::Stream,
            ("natural", "water")
            | ("waterway", "riverbank")
            | ("landuse", "reservoir" | "basin") => MapLayer::Water,
            ("leisure", "park" | "garden" | "recreation_ground" | "nature_reserve")
            | (
                "landuse",
                "grass" | "recreation_ground" | "village_green" | "cemetery" | "meadow",
            ) => MapLayer::Park,
            ("landuse", "forest") | ("natural", "wood") => MapLayer::Forest,
            _ => continue,
        };
        // A way tagged twice (a park's pond): the layer drawn on top wins.
        found = Some(found.map_or(layer, |f: MapLayer| f.max(layer)));
    }
    found
}

/// The layer of an OpenStreetMap `place` node.
pub fn place_layer(value: &str) -> Option<MapLayer> {
    Some(match value {
        "city" | "town" => MapLayer::Town,
        "village" => MapLayer::Village,
        "suburb" | "quarter" | "neighbourhood" => MapLayer::Neighbourhood,
        "hamlet" | "locality" | "isolated_dwelling" => MapLayer::Locality,
        _ => return None,
    })
}

fn name_of<'a>(tags: impl Iterator<Item = (&'a str, &'a str)>) -> Option<String> {
    tags.filter(|(k, _)| *k == "name")
        .map(|(_, v)| v.to_string())
        .next()
}

struct Way {
    layer: MapLayer,
    name: Option<String>,
    refs: Vec<i64>,
}

/// The background map's features of an extract, those with a point in `area` (the territory's box, a little
/// grown) when given.
pub fn read_basemap(path: &Path, area: Option<LonLatBox>) -> Result<Vec<MapFeature>> {
    let meta = std::fs::metadata(path).map_err(|e| io_error(path, &e))?;
    if meta.len() == 0 {
        return Err(pbf_error(path, "empty file"));
    }
    check_framing(path)?;
    let inside = |lon: f64, lat: f64| {
        area.is_none_or(|b| {
            lon >= b.min_lon && lon <= b.max_lon && lat >= b.min_lat && lat <= b.max_lat
        })
    };
    let deg = |decimicro: i32| f64::from(decimicro) / 1e7;
    type Found = (Option<Way>, Option<MapFeature>);
    let found: Vec<Found> = for_each_block(path, |block| {
        let mut out: Vec<Found> = Vec::new();
        let place = |out: &mut Vec<Found>, tags: Vec<(&str, &str)>, lon: f64, lat: f64| {
            let layer = tags
                .iter()
                .find(|(k, _)| *k == "place")
                .and_then(|(_, v)| place_layer(v));
            if let (Some(layer), Some(name)) = (layer, name_of(tags.iter().copied()))
                && inside(lon, lat)
            {
                out.push((
                    None,
                    Some(MapFeature {
                        layer,
                        name: Some(name),
                        points: vec![(lon, lat)],
                    }),
                ));
            }
        };
        for group in block.groups() {
            for node in group.nodes() {
                let lon = deg(node.decimicro_lon());
                let lat = deg(node.decimicro_lat());
                place(&mut out, node.tags().collect(), lon, lat);
            }
            for node in group.dense_nodes() {
                let lon = deg(node.decimicro_lon());
                let lat = deg(node.decimicro_lat());
                place(&mut out, node.tags().collect(), lon, lat);
            }
            for way in group.ways() {
                if let Some(layer) = way_layer(way.tags()) {
                    let refs: Vec<i64> = way.refs().collect();
                    if refs.len() >= 2 {
                        let name = name_of(way.tags());
                        out.push((Some(Way { layer, name, refs }), None));
                    }
                }
            }
        }
        out
    })?;
    let mut ways = Vec::new();
    let mut features = Vec::new();
    for (way, feature) in found {
        ways.extend(way);
        features.extend(feature);
    }
    let mut ids: Vec<i64> = ways.iter().flat_map(|w| w.refs.iter().copied()).collect();
    ids.par_sort_unstable();
    ids.dedup();
    let positions: Vec<(usize, (f64, f64))> = for_each_block(path, |block| {
        let mut out = Vec::new();
        for group in block.groups() {
            for node in group.nodes() {
                if let Ok(k) = ids.binary_search(&node.id()) {
                    out.push((k, (deg(node.decimicro_lon()), deg(node.decimicro_lat()))));
                }
            }
            for node in group.dense_nodes() {
                if let Ok(k) = ids.binary_search(&node.id()) {
                    out.push((k, (deg(node.decimicro_lon()), deg(node.decimicro_lat()))));
                }
            }
        }
        out
    })?;
    let mut coords = vec![None; ids.len()];
    for (k, c) in positions {
        coords[k] = Some(c);
    }
    for way in ways {
        // A node missing from the extract (a way cut at its edge) is skipped, not the whole way.
        let points: Vec<(f64, f64)> = way
            .refs
            .iter()
            .filter_map(|id| ids.binary_search(id).ok().and_then(|k| coords[k]))
            .collect();
        let closed = way.refs.first() == way.refs.last();
        if points.len() < 2 || (way.layer.is_area() && (!closed || points.len() < 4)) {
            continue;
        }
        if points.iter().any(|&(lon, lat)| inside(lon, lat)) {
            features.push(MapFeature {
                layer: way.layer,
                name: way.name,
                points,
            });
        }
    }
    Ok(features)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_give_layers() {
        let tags = |t: &'static [(&'static str, &'static str)]| t.iter().copied();
        assert_eq!(
            way_layer(tags(&[("highway", "residential")])),
            Some(MapLayer::Street)
        );
        assert_eq!(
            way_layer(tags(&[("highway", "trunk")])),
            Some(MapLayer::Motorway)
        );
        assert_eq!(
            way_layer(tags(&[("waterway", "river"), ("name", "Le Clain")])),
            Some(MapLayer::River)
        );
        assert_eq!(way_layer(tags(&[("building", "yes")])), None);
        assert_eq!(place_layer("town"), Some(MapLayer::Town));
        assert_eq!(place_layer("county"), None);
    }
}

//! Where travel times come from: an OpenStreetMap extract (or its cache), or the network kept in the store.

use crate::AnalysisError;
use crate::wording::{NetworkSource, Text, Wording};
use maillage_routing::{BuildOptions, Graph, Profile};
use maillage_store::{Store, batch::sha256_file, roads};
use std::path::PathBuf;

#[derive(Debug, Clone)]
pub enum Network {
    /// An `.osm.pbf` extract or a graph cache written by `maillage graphe --cache`.
    Osm { path: PathBuf, profile: Profile },
    /// The road network stored with the territory (the demonstration's).
    Stored,
}

/// The graph and a description of its source for the results' metadata, in the words of `word`.
pub async fn load_graph(
    store: &Store,
    network: &Network,
    word: Wording,
) -> Result<(Graph, String), AnalysisError> {
    match network {
        Network::Osm { path, profile } => {
            let graph = if maillage_routing::is_cache_file(path)? {
                Graph::load_cache(path)?
            } else {
                Graph::from_osm_pbf(path, *profile)?
            };
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let sha = sha256_file(path)?;
            Ok((
                graph,
                word(Text::Network(NetworkSource::Osm {
                    file: &name,
                    sha256: &sha[..16],
                })),
            ))
        }
        Network::Stored => {
            let net = roads::load(store).await?.ok_or(AnalysisError::NoNetwork)?;
            let edges: Vec<(i64, i64, u32)> = net
                .edges
                .iter()
                .map(|&(a, b, ms)| (a, b, ms.clamp(1, i64::from(u32::MAX)) as u32))
                .collect();
            let graph = Graph::from_parts_with(&net.nodes, &edges, &BuildOptions::default())?;
            Ok((
                graph,
                word(Text::Network(NetworkSource::Stored {
                    nodes: net.nodes.len(),
                })),
            ))
        }
    }
}

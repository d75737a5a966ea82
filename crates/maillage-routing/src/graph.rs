//! The routable graph: a compressed sparse row (CSR) array of arcs, nodes numbered along a Hilbert
//! curve so that nodes close on the ground are close in memory (see `bench/routing/README.md` for
//! the measured effect), travel times in integer milliseconds so that sums are exact.

use crate::core::Core;
use crate::error::{Result, RoutingError};
use crate::profile::Profile;
use crate::snap::Snapper;
use crate::{order, scc};
use rayon::prelude::*;
use std::io::Write;
use std::sync::OnceLock;

/// Index of a node inside a [`Graph`] (0..`node_count()`); not the external (OSM) id.
pub type NodeIndex = u32;

/// A directed arc: where it goes and how long it takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Arc {
    pub head: NodeIndex,
    pub millis: u32,
}

/// How to number nodes. Only [`NodeOrder::Hilbert`] is meant for use; the others exist so the
/// benchmark can measure what the ordering buys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum NodeOrder {
    /// Along a Hilbert space-filling curve over the node positions.
    #[default]
    Hilbert,
    /// In the order the nodes were given (OSM: increasing id).
    Input,
    /// A pseudo-random permutation with this seed (worst case for caches).
    Random(u64),
}

/// Options of a graph build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BuildOptions {
    pub order: NodeOrder,
    /// Keep only the largest strongly connected component, so that every node can reach and be
    /// reached from every other (no snapping onto an island or a dead-end one-way). When false,
    /// every node touched by at least one arc is kept.
    pub largest_component_only: bool,
}

impl Default for BuildOptions {
    fn default() -> Self {
        BuildOptions {
            order: NodeOrder::Hilbert,
            largest_component_only: true,
        }
    }
}

/// Counts describing how a graph was built, for summaries and logs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct BuildInfo {
    /// OSM ways kept by the profile (0 for `from_parts`).
    pub ways: u64,
    /// Nodes and arcs before the component filter.
    pub input_nodes: u64,
    pub input_arcs: u64,
    /// Nodes dropped because they lie outside the largest strongly connected component.
    pub dropped_nodes: u64,
    /// Way segments skipped because a node was missing from the extract (clipped extracts).
    pub missing_node_refs: u64,
}

/// A routable directed graph.
pub struct Graph {
    pub(crate) profile: Option<Profile>,
    pub(crate) ids: Vec<i64>,
    /// `[lon, lat]` in WGS84 degrees.
    pub(crate) coords: Vec<[f64; 2]>,
    pub(crate) first_out: Vec<u32>,
    pub(crate) arcs: Vec<Arc>,
    pub(crate) info: BuildInfo,
    pub(crate) snapper: OnceLock<Snapper>,
    pub(crate) id_index: OnceLock<Vec<(i64, NodeIndex)>>,
    pub(crate) core: OnceLock<Core>,
}

impl std::fmt::Debug for Graph {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Graph")
            .field("profile", &self.profile)
            .field("nodes", &self.node_count())
            .field("arcs", &self.arc_count())
            .finish()
    }
}

/// Nodes and directed edges with dense indices, before cleaning and ordering.
pub(crate) struct RawGraph {
    pub ids: Vec<i64>,
    pub coords: Vec<[f64; 2]>,
    /// (from, to, millis) as indices into `ids`.
    pub edges: Vec<(u32, u32, u32)>,
}

impl Graph {
    /// Build a graph from plain parts: nodes as (external id, lon, lat) and directed edges as
    /// (from id, to id, milliseconds). Parallel edges keep the fastest; loops are dropped; only the
    /// largest strongly connected component is kept (see [`Graph::from_parts_with`] to change that).
    pub fn from_parts(nodes: &[(i64, f64, f64)], edges: &[(i64, i64, u32)]) -> Result<Graph> {
        Self::from_parts_with(nodes, edges, &BuildOptions::default())
    }

    pub fn from_parts_with(
        nodes: &[(i64, f64, f64)],
        edges: &[(i64, i64, u32)],
        options: &BuildOptions,
    ) -> Result<Graph> {
        let mut by_id: Vec<(i64, u32)> = nodes
            .iter()
            .enumerate()
            .map(|(i, n)| (n.0, i as u32))
            .collect();
        by_id.par_sort_unstable();
        if let Some(w) = by_id.windows(2).find(|w| w[0].0 == w[1].0) {
            let (a, b) = (w[0].1.min(w[1].1), w[0].1.max(w[1].1));
            return Err(RoutingError::DuplicateNode {
                id: w[0].0,
                first: a as usize,
                second: b as usize,
            });
        }
        for &(id, lon, lat) in nodes {
            check_coordinates(id, lon, lat)?;
        }
        let lookup = |id: i64, index: usize| -> Result<u32> {
            by_id
                .binary_search_by_key(&id, |p| p.0)
                .map(|k| by_id[k].1)
                .map_err(|_| RoutingError::UnknownNode { index, id })
        };
        let edges = edges
            .iter()
            .enumerate()
            .map(|(k, &(from, to, ms))| Ok((lookup(from, k)?, lookup(to, k)?, ms)))
            .collect::<Result<Vec<_>>>()?;
        let raw = RawGraph {
            ids: nodes.iter().map(|n| n.0).collect(),
            coords: nodes.iter().map(|n| [n.1, n.2]).collect(),
            edges,
        };
        build(raw, options, None, BuildInfo::default()).ok_or(RoutingError::EmptyGraph)
    }

    pub fn node_count(&self) -> usize {
        self.ids.len()
    }

    pub fn arc_count(&self) -> usize {
        self.arcs.len()
    }

    /// The profile the graph was built for (`None` for graphs built with `from_parts`).
    pub fn profile(&self) -> Option<Profile> {
        self.profile
    }

    pub fn build_info(&self) -> &BuildInfo {
        &self.info
    }

    /// External (OSM) id of a node.
    pub fn id(&self, node: NodeIndex) -> i64 {
        self.ids[node as usize]
    }

    /// `[lon, lat]` of a node.
    pub fn position(&self, node: NodeIndex) -> [f64; 2] {
        self.coords[node as usize]
    }

    /// Index of the node with this external id, if it is in the graph.
    pub fn index_of(&self, id: i64) -> Option<NodeIndex> {
        let index = self.id_index.get_or_init(|| {
            let mut v: Vec<(i64, NodeIndex)> = self
                .ids
                .iter()
                .enumerate()
                .map(|(i, &id)| (id, i as u32))
                .collect();
            v.par_sort_unstable();
            v
        });
        index
            .binary_search_by_key(&id, |p| p.0)
            .ok()
            .map(|k| index[k].1)
    }

    /// Outgoing arcs of a node.
    #[inline]
    pub fn arcs(&self, node: NodeIndex) -> &[Arc] {
        let u = node as usize;
        &self.arcs[self.first_out[u] as usize..self.first_out[u + 1] as usize]
    }

    /// The raw CSR arrays (offsets of length `node_count() + 1`, and arcs), for benchmarks.
    pub fn csr(&self) -> (&[u32], &[Arc]) {
        (&self.first_out, &self.arcs)
    }

    /// The junction graph searches run on, built on first use.
    pub(crate) fn core(&self) -> &Core {
        self.core.get_or_init(|| Core::build(self))
    }

    /// Build the search structures now rather than on the first search.
    pub fn prepare_search(&self) {
        self.core();
    }

    /// Bytes held by the search structures (junction graph and streets), once built.
    pub fn search_memory_bytes(&self) -> usize {
        self.core.get().map_or(0, Core::memory_bytes)
    }

    /// Bytes held by the graph arrays (not counting the snapping index and search structures,
    /// built on first use).
    pub fn memory_bytes(&self) -> usize {
        self.ids.capacity() * 8
            + self.coords.capacity() * 16
            + self.first_out.capacity() * 4
            + self.arcs.capacity() * std::mem::size_of::<Arc>()
    }

    /// Write `id,lon,lat` for every node.
    pub fn write_nodes_csv(&self, mut w: impl Write) -> std::io::Result<()> {
        writeln!(w, "id,lon,lat")?;
        for (id, [lon, lat]) in self.ids.iter().zip(&self.coords) {
            writeln!(w, "{id},{lon},{lat}")?;
        }
        w.flush()
    }

    /// Write `from,to,seconds` for every arc, seconds printed exactly from the stored milliseconds.
    pub fn write_edges_csv(&self, mut w: impl Write) -> std::io::Result<()> {
        writeln!(w, "from,to,seconds")?;
        for u in 0..self.node_count() as u32 {
            let from = self.ids[u as usize];
            for arc in self.arcs(u) {
                writeln!(
                    w,
                    "{from},{},{}",
                    self.ids[arc.head as usize],
                    Seconds(arc.millis)
                )?;
            }
        }
        w.flush()
    }
}

/// Milliseconds displayed as exact decimal seconds (`12345` → `12.345`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seconds(pub u32);

impl std::fmt::Display for Seconds {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{:03}", self.0 / 1000, self.0 % 1000)
    }
}

pub(crate) fn check_coordinates(id: i64, lon: f64, lat: f64) -> Result<()> {
    if lon.is_finite()
        && lat.is_finite()
        && (-180.0..=180.0).contains(&lon)
        && (-90.0..=90.0).contains(&lat)
    {
        Ok(())
    } else {
        Err(RoutingError::InvalidCoordinates { id, lon, lat })
    }
}

/// Clean, filter and order a raw graph into CSR. `None` when nothing routable is left.
pub(crate) fn build(
    raw: RawGraph,
    options: &BuildOptions,
    profile: Option<Profile>,
    mut info: BuildInfo,
) -> Option<Graph> {
    let RawGraph {
        ids,
        coords,
        mut edges,
    } = raw;
    let n = ids.len();
    edges.retain(|e| e.0 != e.1);
    // Sorting by (from, to, millis) then keeping the first of each pair keeps the fastest.
    edges.par_sort_unstable();
    edges.dedup_by(|b, a| a.0 == b.0 && a.1 == b.1);
    info.input_nodes = n as u64;
    info.input_arcs = edges.len() as u64;

    let keep: Vec<bool> = if options.largest_component_only {
        let (first_out, heads) = csr_heads(n, &edges);
        scc::largest_component(&first_out, &heads)
    } else {
        // Without the component filter, still drop nodes no arc touches: they cannot be routed.
        let mut touched = vec![false; n];
        for e in &edges {
            touched[e.0 as usize] = true;
            touched[e.1 as usize] = true;
        }
        touched
    };
    let kept: Vec<u32> = (0..n as u32).filter(|&i| keep[i as usize]).collect();
    if kept.is_empty() || (options.largest_component_only && kept.len() < 2) {
        return None;
    }
    info.dropped_nodes = (n - kept.len()) as u64;

    let ordered = order::order_nodes(&kept, &coords, options.order);
    let mut new_index = vec![u32::MAX; n];
    for (new, &old) in ordered.iter().enumerate() {
        new_index[old as usize] = new as u32;
    }
    let mut arcs: Vec<(u32, u32, u32)> = edges
        .into_par_iter()
        .filter_map(|(a, b, ms)| {
            let (a, b) = (new_index[a as usize], new_index[b as usize]);
            (a != u32::MAX && b != u32::MAX).then_some((a, b, ms))
        })
        .collect();
    arcs.par_sort_unstable();
    let m = ordered.len();
    let (first_out, _) = csr_heads(m, &arcs);
    // Collected in place from 12-byte tuples, the arc vector would keep 1.5× the memory it needs.
    let mut arcs: Vec<Arc> = arcs
        .into_iter()
        .map(|(_, head, millis)| Arc { head, millis })
        .collect();
    arcs.shrink_to_fit();
    Some(Graph {
        profile,
        ids: ordered.iter().map(|&i| ids[i as usize]).collect(),
        coords: ordered.iter().map(|&i| coords[i as usize]).collect(),
        first_out,
        arcs,
        info,
        snapper: OnceLock::new(),
        id_index: OnceLock::new(),
        core: OnceLock::new(),
    })
}

/// Offsets and heads of edges sorted by tail.
fn csr_heads(n: usize, sorted_edges: &[(u32, u32, u32)]) -> (Vec<u32>, Vec<u32>) {
    let mut first_out = vec![0u32; n + 1];
    for e in sorted_edges {
        first_out[e.0 as usize + 1] += 1;
    }
    for i in 0..n {
        first_out[i + 1] += first_out[i];
    }
    (first_out, sorted_edges.iter().map(|e| e.1).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_are_exact() {
        assert_eq!(Seconds(12_345).to_string(), "12.345");
        assert_eq!(Seconds(5).to_string(), "0.005");
        assert_eq!(Seconds(60_000).to_string(), "60.000");
    }

    #[test]
    fn from_parts_keeps_largest_scc_and_fastest_parallel_edge() {
        // 1 <-> 2 <-> 3 strongly connected; 4 only reachable (one-way) from 3: dropped.
        let nodes = [
            (1, 7.0, 43.0),
            (2, 7.001, 43.0),
            (3, 7.002, 43.0),
            (4, 7.003, 43.0),
        ];
        let edges = [
            (1, 2, 500),
            (2, 1, 500),
            (2, 3, 700),
            (2, 3, 400),
            (3, 2, 400),
            (3, 4, 100),
            (3, 3, 9),
        ];
        let g = Graph::from_parts(&nodes, &edges).unwrap();
        assert_eq!(g.node_count(), 3);
        assert_eq!(g.arc_count(), 4);
        assert_eq!(g.build_info().dropped_nodes, 1);
        assert!(g.index_of(4).is_none());
        let two = g.index_of(2).unwrap();
        let three = g.index_of(3).unwrap();
        let to_three: Vec<_> = g.arcs(two).iter().filter(|a| a.head == three).collect();
        assert_eq!(to_three.len(), 1);
        assert_eq!(to_three[0].millis, 400);
    }

    #[test]
    fn from_parts_rejects_bad_input() {
        let nodes = [(1, 7.0, 43.0), (2, 7.001, 43.0), (1, 7.002, 43.0)];
        assert_eq!(
            Graph::from_parts(&nodes, &[]).unwrap_err(),
            RoutingError::DuplicateNode {
                id: 1,
                first: 0,
                second: 2
            }
        );
        let nodes = [(1, 7.0, 43.0), (2, 7.001, 43.0)];
        assert_eq!(
            Graph::from_parts(&nodes, &[(1, 2, 10), (2, 9, 10)]).unwrap_err(),
            RoutingError::UnknownNode { index: 1, id: 9 }
        );
        assert!(matches!(
            Graph::from_parts(&[(1, 200.0, 43.0)], &[]).unwrap_err(),
            RoutingError::InvalidCoordinates { id: 1, .. }
        ));
        assert_eq!(
            Graph::from_parts(&nodes, &[(1, 2, 10)]).unwrap_err(),
            RoutingError::EmptyGraph
        );
    }

    #[test]
    fn unsorted_ids_give_the_same_graph() {
        let nodes = [(30, 7.002, 43.0), (10, 7.0, 43.0), (20, 7.001, 43.0)];
        let edges = [(20, 30, 5), (10, 20, 3), (30, 20, 5), (20, 10, 3)];
        let g = Graph::from_parts(&nodes, &edges).unwrap();
        let mut sorted_nodes = nodes;
        sorted_nodes.sort_by_key(|n| n.0);
        let h = Graph::from_parts(&sorted_nodes, &edges).unwrap();
        let arcs = |g: &Graph| {
            let mut v: Vec<(i64, i64, u32)> = (0..g.node_count() as u32)
                .flat_map(|u| {
                    g.arcs(u)
                        .iter()
                        .map(move |a| (g.id(u), g.id(a.head), a.millis))
                })
                .collect();
            v.sort();
            v
        };
        assert_eq!(arcs(&g), arcs(&h));
        assert_eq!(
            arcs(&g),
            vec![(10, 20, 3), (20, 10, 3), (20, 30, 5), (30, 20, 5)]
        );
    }
}

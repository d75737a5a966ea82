//! Snapping points to the nearest routable node with an R-tree over locally projected positions.

use crate::geodesy::{LocalProjection, haversine_m};
use crate::graph::{Graph, NodeIndex};
use rayon::prelude::*;
use rstar::RTree;
use rstar::primitives::GeomWithData;

/// Where a point was attached to the graph, and how far it had to move (metres, great circle).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Snap {
    pub node: NodeIndex,
    pub distance_m: f64,
}

pub(crate) struct Snapper {
    projection: LocalProjection,
    tree: RTree<GeomWithData<[f64; 2], NodeIndex>>,
}

impl Snapper {
    fn new(graph: &Graph) -> Self {
        let mean_lat =
            graph.coords.iter().map(|c| c[1]).sum::<f64>() / graph.coords.len().max(1) as f64;
        let projection = LocalProjection::at_latitude(mean_lat);
        let points = graph
            .coords
            .par_iter()
            .enumerate()
            .map(|(i, c)| GeomWithData::new(projection.forward(c[0], c[1]), i as NodeIndex))
            .collect();
        Snapper {
            projection,
            tree: RTree::bulk_load(points),
        }
    }
}

impl Graph {
    fn snapper(&self) -> &Snapper {
        self.snapper.get_or_init(|| Snapper::new(self))
    }

    /// Build the snapping index now rather than on the first [`Graph::snap`].
    pub fn prepare_snapping(&self) {
        self.snapper();
    }

    /// The nearest node to a lon/lat point; `None` for non-finite coordinates.
    pub fn snap(&self, lon: f64, lat: f64) -> Option<Snap> {
        if !(lon.is_finite() && lat.is_finite()) {
            return None;
        }
        let s = self.snapper();
        let nearest = s.tree.nearest_neighbor(&s.projection.forward(lon, lat))?;
        let node = nearest.data;
        let [nlon, nlat] = self.position(node);
        Some(Snap {
            node,
            distance_m: haversine_m(lon, lat, nlon, nlat),
        })
    }

    /// [`Graph::snap`] for many points, in parallel, in the same order.
    pub fn snap_all(&self, points: &[[f64; 2]]) -> Vec<Option<Snap>> {
        self.snapper();
        points.par_iter().map(|p| self.snap(p[0], p[1])).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid() -> Graph {
        // 20 × 20 nodes, 0.001° apart, two-way arcs between neighbours.
        let mut nodes = Vec::new();
        let mut edges = Vec::new();
        for i in 0..20i64 {
            for j in 0..20i64 {
                let id = i * 100 + j;
                nodes.push((id, 2.0 + i as f64 * 0.001, 48.0 + j as f64 * 0.001));
                if i > 0 {
                    edges.push((id, id - 100, 1000));
                    edges.push((id - 100, id, 1000));
                }
                if j > 0 {
                    edges.push((id, id - 1, 1000));
                    edges.push((id - 1, id, 1000));
                }
            }
        }
        Graph::from_parts(&nodes, &edges).unwrap()
    }

    #[test]
    fn snaps_to_the_true_nearest_node() {
        let g = grid();
        let mut state = 7u64;
        for _ in 0..500 {
            let r = |s: &mut u64| (crate::order::splitmix64(s) % 1_000_000) as f64 / 1_000_000.0;
            let lon = 1.995 + r(&mut state) * 0.03;
            let lat = 47.995 + r(&mut state) * 0.03;
            let snap = g.snap(lon, lat).unwrap();
            let brute = (0..g.node_count() as u32)
                .map(|n| haversine_m(lon, lat, g.position(n)[0], g.position(n)[1]))
                .fold(f64::INFINITY, f64::min);
            // The projection is not the sphere: allow a relative tolerance far below the grid step.
            assert!(
                snap.distance_m <= brute * (1.0 + 1e-3) + 1e-6,
                "{lon},{lat}: {} > {brute}",
                snap.distance_m
            );
        }
    }

    #[test]
    fn reports_distance_of_a_far_point() {
        let g = grid();
        let s = g.snap(2.0, 48.0).unwrap();
        assert_eq!(g.id(s.node), 0);
        assert_eq!(s.distance_m, 0.0);
        // 1° of latitude south of the grid's corner: ~111 km.
        let far = g.snap(2.0, 47.0).unwrap();
        assert_eq!(g.id(far.node), 0);
        assert!(
            (far.distance_m - 111_195.0).abs() < 100.0,
            "{}",
            far.distance_m
        );
        assert_eq!(g.snap(f64::NAN, 48.0), None);
    }
}

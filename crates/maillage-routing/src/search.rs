//! Bounded Dijkstra searches.
//!
//! Distances are integer milliseconds, so the priority queue is a radix heap: keys only grow during
//! a Dijkstra search, which lets a push cost O(1) and a pop amortised O(log C) with cheap integer
//! operations. A search touches only the nodes within the bound; its buffers are reset through the
//! list of touched nodes, never by clearing an array of the graph's size, so one buffer serves any
//! number of searches (one per rayon thread). The measurements behind these choices are in
//! `bench/routing/README.md`.

use crate::error::{Result, RoutingError};
use crate::graph::{Graph, NodeIndex};
use rayon::prelude::*;

const UNREACHED: u32 = u32::MAX;

/// Monotone priority queue for `u32` keys (radix heap, Ahuja et al. 1990).
struct RadixHeap {
    last: u32,
    len: usize,
    buckets: [Vec<(u32, NodeIndex)>; 33],
}

impl Default for RadixHeap {
    fn default() -> Self {
        RadixHeap {
            last: 0,
            len: 0,
            buckets: std::array::from_fn(|_| Vec::new()),
        }
    }
}

impl RadixHeap {
    #[inline]
    fn bucket(&self, key: u32) -> usize {
        (32 - (key ^ self.last).leading_zeros()) as usize
    }

    #[inline]
    fn push(&mut self, key: u32, node: NodeIndex) {
        debug_assert!(key >= self.last);
        let b = self.bucket(key);
        self.buckets[b].push((key, node));
        self.len += 1;
    }

    #[inline]
    fn pop(&mut self) -> Option<(u32, NodeIndex)> {
        if self.len == 0 {
            return None;
        }
        if self.buckets[0].is_empty() {
            let i = (1..33)
                .find(|&i| !self.buckets[i].is_empty())
                .expect("len > 0");
            let mut items = std::mem::take(&mut self.buckets[i]);
            self.last = items.iter().map(|e| e.0).min().expect("non-empty bucket");
            for &(key, node) in &items {
                let b = self.bucket(key);
                self.buckets[b].push((key, node));
            }
            items.clear();
            self.buckets[i] = items;
        }
        self.len -= 1;
        self.buckets[0].pop()
    }

    fn clear(&mut self) {
        for b in &mut self.buckets {
            b.clear();
        }
        self.last = 0;
        self.len = 0;
    }
}

/// Ask the processor to fetch the arcs of a node that has just entered the queue: it will be
/// settled later, and the miss on its arcs was the main cost of a search (see the benchmark notes).
#[inline(always)]
fn prefetch(arcs: &[crate::graph::Arc], first: u32) {
    #[cfg(target_arch = "x86_64")]
    if let Some(a) = arcs.get(first as usize) {
        use std::arch::x86_64::{_MM_HINT_T0, _mm_prefetch};
        // SAFETY: SSE is part of the x86_64 baseline, and a prefetch is a hint that reads nothing
        // and cannot fault; the pointer comes from a live reference anyway.
        unsafe { _mm_prefetch::<_MM_HINT_T0>((a as *const crate::graph::Arc).cast::<i8>()) };
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = (arcs, first);
}

/// A reusable bounded Dijkstra search over one graph. Create one per thread and run it many times.
pub struct Dijkstra<'g> {
    graph: &'g Graph,
    dist: Vec<u32>,
    touched: Vec<NodeIndex>,
    settled: Vec<NodeIndex>,
    heap: RadixHeap,
}

impl<'g> Dijkstra<'g> {
    pub fn new(graph: &'g Graph) -> Self {
        Dijkstra {
            graph,
            dist: vec![UNREACHED; graph.node_count()],
            touched: Vec::new(),
            settled: Vec::new(),
            heap: RadixHeap::default(),
        }
    }

    fn reset(&mut self) {
        for &n in &self.touched {
            self.dist[n as usize] = UNREACHED;
        }
        self.touched.clear();
        self.settled.clear();
        self.heap.clear();
    }

    /// Search from the given sources (all at time 0) up to `max_millis` inclusive. `stop` is called
    /// on every settled node with its time; returning `true` ends the search early.
    pub fn run(
        &mut self,
        sources: &[NodeIndex],
        max_millis: u32,
        mut stop: impl FnMut(NodeIndex, u32) -> bool,
    ) -> Result<()> {
        self.reset();
        let n = self.graph.node_count();
        for &s in sources {
            if s as usize >= n {
                return Err(RoutingError::NodeOutOfRange { index: s, len: n });
            }
            if self.dist[s as usize] != 0 {
                self.dist[s as usize] = 0;
                self.touched.push(s);
                self.heap.push(0, s);
            }
        }
        let (first_out, arcs) = self.graph.csr();
        while let Some((d, u)) = self.heap.pop() {
            if d > self.dist[u as usize] {
                continue; // stale entry: u was reached faster since
            }
            self.settled.push(u);
            if stop(u, d) {
                break;
            }
            let (begin, end) = (
                first_out[u as usize] as usize,
                first_out[u as usize + 1] as usize,
            );
            for arc in &arcs[begin..end] {
                let nd = d.saturating_add(arc.millis);
                if nd > max_millis {
                    continue;
                }
                let slot = &mut self.dist[arc.head as usize];
                if nd < *slot {
                    if *slot == UNREACHED {
                        self.touched.push(arc.head);
                    }
                    *slot = nd;
                    self.heap.push(nd, arc.head);
                    prefetch(arcs, first_out[arc.head as usize]);
                }
            }
        }
        Ok(())
    }

    /// Time to a node found by the last run, if it was settled within the bound. Exact for every
    /// settled node; `None` for nodes not reached (or not yet settled when the search was stopped).
    pub fn time_to(&self, node: NodeIndex) -> Option<u32> {
        let d = *self.dist.get(node as usize)?;
        (d != UNREACHED).then_some(d)
    }

    /// Nodes settled by the last run, in increasing time.
    pub fn settled(&self) -> &[NodeIndex] {
        &self.settled
    }
}

/// One cell of a travel-time matrix: indices into the origin and destination slices.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TravelTime {
    pub origin: u32,
    pub destination: u32,
    pub millis: u32,
}

impl Graph {
    /// Every node reachable from `source` within `max_millis`, with its time, in increasing time.
    pub fn one_to_many(&self, source: NodeIndex, max_millis: u32) -> Result<Vec<(NodeIndex, u32)>> {
        let mut search = Dijkstra::new(self);
        search.run(&[source], max_millis, |_, _| false)?;
        Ok(search
            .settled()
            .iter()
            .map(|&n| (n, search.time_to(n).expect("settled nodes have a time")))
            .collect())
    }

    /// Run one bounded search per source, in parallel, and map each finished search with `f`
    /// (given the source's position in `sources`). Results come back in the order of `sources`.
    ///
    /// Searches are run in node order, not in the given order: nodes are numbered along a Hilbert
    /// curve, so successive searches on a thread start near each other and find much of the graph
    /// they explore still in the processor's cache (see `bench/routing/README.md`).
    pub fn map_searches<T: Send>(
        &self,
        sources: &[NodeIndex],
        max_millis: u32,
        f: impl Fn(usize, &Dijkstra) -> T + Sync,
    ) -> Result<Vec<T>> {
        self.map_searches_until(sources, max_millis, || |_, _| false, f)
    }

    fn map_searches_until<T: Send, S: FnMut(NodeIndex, u32) -> bool>(
        &self,
        sources: &[NodeIndex],
        max_millis: u32,
        stop: impl Fn() -> S + Sync,
        f: impl Fn(usize, &Dijkstra) -> T + Sync,
    ) -> Result<Vec<T>> {
        let n = self.node_count();
        if let Some(&bad) = sources.iter().find(|&&x| x as usize >= n) {
            return Err(RoutingError::NodeOutOfRange { index: bad, len: n });
        }
        let mut order: Vec<usize> = (0..sources.len()).collect();
        order.sort_by_key(|&k| sources[k]);
        let mut results: Vec<(usize, T)> = order
            .par_iter()
            .with_min_len(4)
            .map_init(
                || Dijkstra::new(self),
                |search, &k| {
                    search
                        .run(&[sources[k]], max_millis, stop())
                        .expect("indices checked above");
                    (k, f(k, search))
                },
            )
            .collect();
        results.sort_unstable_by_key(|r| r.0);
        Ok(results.into_iter().map(|r| r.1).collect())
    }

    /// Travel times from every origin to every destination reachable within `max_millis`
    /// (inclusive), as a sparse matrix in origin-major order, destinations in the given order.
    /// Searches run in parallel (one per origin, see [`Graph::map_searches`]); each stops as soon
    /// as every destination node is settled or the bound is reached.
    pub fn travel_times(
        &self,
        origins: &[NodeIndex],
        destinations: &[NodeIndex],
        max_millis: u32,
    ) -> Result<Vec<TravelTime>> {
        let n = self.node_count();
        if let Some(&bad) = destinations.iter().find(|&&x| x as usize >= n) {
            return Err(RoutingError::NodeOutOfRange { index: bad, len: n });
        }
        let mut is_target = vec![false; n];
        let mut distinct = 0usize;
        for &d in destinations {
            if !std::mem::replace(&mut is_target[d as usize], true) {
                distinct += 1;
            }
        }
        let is_target = &is_target;
        let stop = || {
            let mut found = 0usize;
            move |node: NodeIndex, _| {
                if is_target[node as usize] {
                    found += 1;
                }
                found == distinct
            }
        };
        let rows = self.map_searches_until(origins, max_millis, stop, |o, search| {
            destinations
                .iter()
                .enumerate()
                .filter_map(|(j, &d)| {
                    search
                        .time_to(d)
                        .filter(|&t| t <= max_millis)
                        .map(|millis| TravelTime {
                            origin: o as u32,
                            destination: j as u32,
                            millis,
                        })
                })
                .collect::<Vec<_>>()
        })?;
        Ok(rows.into_iter().flatten().collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BinaryHeap;

    #[test]
    fn radix_heap_pops_in_order() {
        let mut h = RadixHeap::default();
        let mut state = 3u64;
        let mut reference = BinaryHeap::new();
        let mut last = 0u32;
        for round in 0..20_000u32 {
            if round % 3 != 2 {
                let key = last + (crate::order::splitmix64(&mut state) % 100_000) as u32;
                h.push(key, round);
                reference.push(std::cmp::Reverse(key));
            } else if let Some((k, _)) = h.pop() {
                assert_eq!(std::cmp::Reverse(k), reference.pop().unwrap());
                last = k;
            }
        }
        while let Some((k, _)) = h.pop() {
            assert_eq!(k, reference.pop().unwrap().0);
        }
        assert!(reference.is_empty());
    }

    /// A directed graph where every answer can be written down by hand.
    fn small() -> Graph {
        //  1 --10--> 2 --10--> 3
        //  ^         |         |
        //  +---50----+<---5----+     and 3 --100--> 1
        let nodes = [(1, 7.0, 43.0), (2, 7.01, 43.0), (3, 7.02, 43.0)];
        let edges = [(1, 2, 10), (2, 3, 10), (3, 2, 5), (2, 1, 50), (3, 1, 100)];
        Graph::from_parts(&nodes, &edges).unwrap()
    }

    #[test]
    fn times_on_a_small_graph() {
        let g = small();
        let i = |id| g.index_of(id).unwrap();
        let mut from1: Vec<(i64, u32)> = g
            .one_to_many(i(1), u32::MAX)
            .unwrap()
            .into_iter()
            .map(|(n, t)| (g.id(n), t))
            .collect();
        from1.sort();
        assert_eq!(from1, vec![(1, 0), (2, 10), (3, 20)]);
        // 3 → 1: direct 100, or 3→2→1 = 55.
        let t = g.travel_times(&[i(3)], &[i(1), i(2)], u32::MAX).unwrap();
        assert_eq!(
            t,
            vec![
                TravelTime {
                    origin: 0,
                    destination: 0,
                    millis: 55
                },
                TravelTime {
                    origin: 0,
                    destination: 1,
                    millis: 5
                }
            ]
        );
        // The bound is inclusive.
        let t = g.travel_times(&[i(1)], &[i(3)], 20).unwrap();
        assert_eq!(t.len(), 1);
        assert!(g.travel_times(&[i(1)], &[i(3)], 19).unwrap().is_empty());
        assert!(matches!(
            g.travel_times(&[7], &[0], 10),
            Err(RoutingError::NodeOutOfRange { index: 7, len: 3 })
        ));
    }

    #[test]
    fn repeated_destinations_and_multi_source() {
        let g = small();
        let i = |id| g.index_of(id).unwrap();
        let t = g
            .travel_times(&[i(1), i(1)], &[i(3), i(3), i(1)], 1000)
            .unwrap();
        assert_eq!(t.len(), 6);
        assert!(
            t.iter()
                .all(|c| c.millis == if c.destination == 2 { 0 } else { 20 })
        );
        let mut s = Dijkstra::new(&g);
        s.run(&[i(1), i(3)], 1000, |_, _| false).unwrap();
        assert_eq!(s.time_to(i(2)), Some(5));
        // Buffers are reset between runs.
        s.run(&[i(2)], 1000, |_, _| false).unwrap();
        assert_eq!(s.time_to(i(1)), Some(50));
        assert_eq!(s.time_to(i(3)), Some(10));
    }
}

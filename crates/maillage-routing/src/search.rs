//! Bounded Dijkstra searches.
//!
//! A search runs on the junction graph (`core.rs`): one priority-queue operation per junction, the
//! nodes inside streets timed afterwards from their street's ends. Distances are integer
//! milliseconds, so the priority queue is a radix heap (keys only grow during a search: O(1) push,
//! cheap integer pops). A search touches only what lies within its bound; its buffers are reset
//! through the list of touched nodes, never by clearing an array of the graph's size, so one buffer
//! serves any number of searches (one per rayon thread). The measurements behind these choices are
//! in `bench/routing/README.md`.

use crate::core::{Core, NONE};
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
///
/// The search settles junctions only (see `core.rs`); the time of any other node is derived
/// exactly from the streets it lies on, on demand ([`Dijkstra::time_to`]) or for the whole ball
/// ([`Dijkstra::reached`]).
pub struct Dijkstra<'g> {
    graph: &'g Graph,
    core: &'g Core,
    max_millis: u32,
    /// Junction times from the search; intermediate-node times once `reached` has run.
    dist: Vec<u32>,
    touched: Vec<NodeIndex>,
    settled: Vec<NodeIndex>,
    /// Sources lying inside a street: (position in `walk_nodes`, walk).
    inner_sources: Vec<(u32, u32)>,
    reached: Vec<(NodeIndex, u32)>,
    reached_done: bool,
    heap: RadixHeap,
}

impl<'g> Dijkstra<'g> {
    pub fn new(graph: &'g Graph) -> Self {
        Dijkstra {
            graph,
            core: graph.core(),
            max_millis: 0,
            dist: vec![UNREACHED; graph.node_count()],
            touched: Vec::new(),
            settled: Vec::new(),
            inner_sources: Vec::new(),
            reached: Vec::new(),
            reached_done: false,
            heap: RadixHeap::default(),
        }
    }

    fn reset(&mut self) {
        for &n in &self.touched {
            self.dist[n as usize] = UNREACHED;
        }
        self.touched.clear();
        self.settled.clear();
        self.inner_sources.clear();
        self.reached.clear();
        self.reached_done = false;
        self.heap.clear();
    }

    #[inline]
    fn improve(&mut self, node: NodeIndex, time: u32) -> bool {
        let slot = &mut self.dist[node as usize];
        if time < *slot {
            if *slot == UNREACHED {
                self.touched.push(node);
            }
            *slot = time;
            true
        } else {
            false
        }
    }

    /// Search from the given sources (all at time 0) up to `max_millis` inclusive.
    pub fn run(&mut self, sources: &[NodeIndex], max_millis: u32) -> Result<()> {
        self.run_until(sources, max_millis, |_| false)
    }

    /// Like [`Dijkstra::run`], calling `stop` on every settled junction; `true` ends the search.
    pub(crate) fn run_until(
        &mut self,
        sources: &[NodeIndex],
        max_millis: u32,
        mut stop: impl FnMut(NodeIndex) -> bool,
    ) -> Result<()> {
        self.reset();
        self.max_millis = max_millis;
        let n = self.graph.node_count();
        let core = self.core;
        for &s in sources {
            if s as usize >= n {
                return Err(RoutingError::NodeOutOfRange { index: s, len: n });
            }
            if core.is_junction(s) {
                if self.improve(s, 0) {
                    self.heap.push(0, s);
                }
                continue;
            }
            // A source inside a street leaves it by the street's exits.
            for pos in core.node_pos[s as usize] {
                if pos == NONE {
                    continue;
                }
                let w = core.walk_at(pos);
                self.inner_sources.push((pos, w as u32));
                let walk = core.walks[w];
                let t = walk.total - core.walk_nodes[pos as usize].1;
                if t <= max_millis && self.improve(walk.exit, t) {
                    self.heap.push(t, walk.exit);
                }
            }
        }
        let (first_out, arcs) = (&core.first_out[..], &core.arcs[..]);
        while let Some((d, u)) = self.heap.pop() {
            if d > self.dist[u as usize] {
                continue; // stale entry: u was reached faster since
            }
            self.settled.push(u);
            if stop(u) {
                break;
            }
            let (begin, end) = (
                first_out[u as usize] as usize,
                first_out[u as usize + 1] as usize,
            );
            for arc in &arcs[begin..end] {
                let nd = d.saturating_add(arc.millis);
                if nd <= max_millis && self.improve(arc.head, nd) {
                    self.heap.push(nd, arc.head);
                    prefetch(arcs, first_out[arc.head as usize]);
                }
            }
        }
        Ok(())
    }

    /// Time to a node from the last run, if within the bound. Exact for every node once the search
    /// ran to its end; after an early stop (travel times), exact for the nodes it was stopped for.
    pub fn time_to(&self, node: NodeIndex) -> Option<u32> {
        let core = self.core;
        if *self.dist.get(node as usize)? == UNREACHED && core.is_junction(node) {
            return None;
        }
        if core.is_junction(node) {
            return Some(self.dist[node as usize]);
        }
        let mut best = UNREACHED;
        for pos in core.node_pos[node as usize] {
            if pos == NONE {
                continue;
            }
            let w = core.walk_at(pos);
            let offset = core.walk_nodes[pos as usize].1;
            let entry = self.dist[core.walk_entry[w] as usize];
            if entry != UNREACHED {
                best = best.min(entry.saturating_add(offset));
            }
            for &(spos, sw) in &self.inner_sources {
                if sw as usize == w && spos <= pos {
                    best = best.min(offset - core.walk_nodes[spos as usize].1);
                }
            }
        }
        (best != UNREACHED && best <= self.max_millis).then_some(best)
    }

    /// Every node within the bound of the last run, with its time, in no particular order.
    pub fn reached(&mut self) -> &[(NodeIndex, u32)] {
        if self.reached_done {
            return &self.reached;
        }
        self.reached_done = true;
        let core = self.core;
        let max = self.max_millis;
        let reached_time =
            |dist: &[u32], j: NodeIndex| Some(dist[j as usize]).filter(|&d| d != UNREACHED);
        // Streets holding a source: rare, computed node by node with `time_to`.
        let mut special: Vec<u32> = Vec::new();
        for &(_, w) in &self.inner_sources {
            for street in [w, core.twin[w as usize]] {
                if street != NONE && !special.contains(&street) {
                    special.push(street);
                }
            }
        }
        let mut out = std::mem::take(&mut self.reached);
        for &street in &special {
            // Emit each street once: from the walk, not from its twin (both are in `special`).
            let twin = core.twin[street as usize];
            if twin != NONE && twin < street {
                continue;
            }
            let walk = core.walks[street as usize];
            for &(x, _) in &core.walk_nodes[walk.start as usize..(walk.start + walk.len) as usize] {
                if let Some(t) = self.time_to(x) {
                    out.push((x, t));
                }
            }
        }
        // In node order, the street arrays are read front to back: the ball is a compact region,
        // hence a few long runs of the Hilbert numbering, and the processor streams them.
        let mut junctions = std::mem::take(&mut self.settled);
        junctions.sort_unstable();
        for &j in &junctions {
            let dj = self.dist[j as usize];
            out.push((j, dj));
            for w in core.walk_first[j as usize]..core.walk_first[j as usize + 1] {
                if special.contains(&w) {
                    continue;
                }
                let walk = core.walks[w as usize];
                let nodes = &core.walk_nodes[walk.start as usize..(walk.start + walk.len) as usize];
                let twin = core.twin[w as usize];
                let other = (twin != NONE)
                    .then(|| reached_time(&self.dist, walk.exit))
                    .flatten();
                match other {
                    // Both ends reached: the street is emitted once, from its lower-numbered walk.
                    Some(dk) => {
                        if twin < w {
                            continue;
                        }
                        let back = core.walks[twin as usize];
                        let back_nodes =
                            &core.walk_nodes[back.start as usize..(back.start + back.len) as usize];
                        for (&(x, off), &(_, back_off)) in nodes.iter().zip(back_nodes.iter().rev())
                        {
                            let t = dj.saturating_add(off).min(dk.saturating_add(back_off));
                            if t <= max {
                                out.push((x, t));
                            }
                        }
                    }
                    // One end only (or a one-way street): times grow along the walk.
                    None => {
                        for &(x, off) in nodes {
                            let t = dj.saturating_add(off);
                            if t > max {
                                break;
                            }
                            out.push((x, t));
                        }
                    }
                }
            }
        }
        self.settled = junctions;
        self.reached = out;
        &self.reached
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
    /// Every node reachable from `source` within `max_millis`, with its time, by increasing time.
    pub fn one_to_many(&self, source: NodeIndex, max_millis: u32) -> Result<Vec<(NodeIndex, u32)>> {
        let mut search = Dijkstra::new(self);
        search.run(&[source], max_millis)?;
        let mut reached = search.reached().to_vec();
        reached.sort_unstable_by_key(|&(node, t)| (t, node));
        Ok(reached)
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
        f: impl Fn(usize, &mut Dijkstra) -> T + Sync,
    ) -> Result<Vec<T>> {
        self.map_searches_until(sources, max_millis, || |_| false, f)
    }

    fn map_searches_until<T: Send, S: FnMut(NodeIndex) -> bool>(
        &self,
        sources: &[NodeIndex],
        max_millis: u32,
        stop: impl Fn() -> S + Sync,
        f: impl Fn(usize, &mut Dijkstra) -> T + Sync,
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
                        .run_until(&[sources[k]], max_millis, stop())
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
    /// as the junctions the destinations depend on are settled, or at the bound.
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
        // A destination's time is known once the junctions it is reached from are settled.
        let core = self.core();
        let mut needed = vec![false; n];
        let mut distinct = 0usize;
        let mut need = |j: NodeIndex| {
            if !std::mem::replace(&mut needed[j as usize], true) {
                distinct += 1;
            }
        };
        for &d in destinations {
            if core.is_junction(d) {
                need(d);
            } else {
                for pos in core.node_pos[d as usize].into_iter().filter(|&p| p != NONE) {
                    need(core.walk_entry[core.walk_at(pos)]);
                }
            }
        }
        let needed = &needed;
        let stop = || {
            let mut found = 0usize;
            move |node: NodeIndex| {
                if needed[node as usize] {
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
                    search.time_to(d).map(|millis| TravelTime {
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
        s.run(&[i(1), i(3)], 1000).unwrap();
        assert_eq!(s.time_to(i(2)), Some(5));
        // Buffers are reset between runs.
        s.run(&[i(2)], 1000).unwrap();
        assert_eq!(s.time_to(i(1)), Some(50));
        assert_eq!(s.time_to(i(3)), Some(10));
    }
}

/// The engine against a textbook Dijkstra on the full graph (no junction graph), on graphs built to
/// exercise the street contraction: rings without junctions, loop streets, one-way streets,
/// different times in each direction, sources inside streets, several sources.
#[cfg(test)]
mod contraction_tests {
    use super::*;
    use std::cmp::Reverse;
    use std::collections::BinaryHeap;

    fn plain(g: &Graph, sources: &[NodeIndex], max: u32) -> Vec<u32> {
        let mut dist = vec![UNREACHED; g.node_count()];
        let mut heap = BinaryHeap::new();
        for &s in sources {
            dist[s as usize] = 0;
            heap.push(Reverse((0u32, s)));
        }
        while let Some(Reverse((d, u))) = heap.pop() {
            if d > dist[u as usize] {
                continue;
            }
            for a in g.arcs(u) {
                let nd = d + a.millis;
                if nd <= max && nd < dist[a.head as usize] {
                    dist[a.head as usize] = nd;
                    heap.push(Reverse((nd, a.head)));
                }
            }
        }
        dist
    }

    fn check(g: &Graph, max: u32) {
        let mut search = Dijkstra::new(g);
        let n = g.node_count() as u32;
        let mut source_sets: Vec<Vec<u32>> = (0..n).map(|s| vec![s]).collect();
        source_sets.push(vec![0, n / 2]);
        source_sets.push(vec![n - 1, n / 3, n / 3]);
        for sources in &source_sets {
            let want = plain(g, sources, max);
            search.run(sources, max).unwrap();
            for v in 0..n {
                let w = want[v as usize];
                assert_eq!(
                    search.time_to(v),
                    (w != UNREACHED).then_some(w),
                    "{sources:?} → {v}"
                );
            }
            let mut got: Vec<(u32, u32)> = search.reached().to_vec();
            got.sort();
            let mut expected: Vec<(u32, u32)> = (0..n)
                .filter(|&v| want[v as usize] != UNREACHED)
                .map(|v| (v, want[v as usize]))
                .collect();
            expected.sort();
            assert_eq!(got, expected, "{sources:?}");
        }
        // Travel times with early stops agree too.
        let all: Vec<u32> = (0..n).collect();
        let some: Vec<u32> = (0..n).step_by(3).collect();
        for t in g.travel_times(&all, &some, max).unwrap() {
            let want =
                plain(g, &[all[t.origin as usize]], max)[some[t.destination as usize] as usize];
            assert_eq!(t.millis, want);
        }
        let count = g.travel_times(&all, &some, max).unwrap().len();
        let want: usize = all
            .iter()
            .map(|&o| {
                let d = plain(g, &[o], max);
                some.iter().filter(|&&x| d[x as usize] != UNREACHED).count()
            })
            .sum();
        assert_eq!(count, want);
    }

    fn graph(nodes: usize, edges: &[(i64, i64, u32)]) -> Graph {
        let nodes: Vec<(i64, f64, f64)> = (0..nodes as i64)
            .map(|i| (i, 7.0 + (i % 7) as f64 * 1e-3, 43.0 + (i / 7) as f64 * 1e-3))
            .collect();
        let options = crate::graph::BuildOptions {
            largest_component_only: false,
            ..Default::default()
        };
        Graph::from_parts_with(&nodes, edges, &options).unwrap()
    }

    #[test]
    fn ring_without_junction() {
        // A one-way ring and, separately, a two-way ring: every node has two neighbours.
        let mut e: Vec<(i64, i64, u32)> =
            (0..6).map(|i| (i, (i + 1) % 6, 100 + i as u32)).collect();
        for i in 6..11 {
            let j = if i == 10 { 6 } else { i + 1 };
            e.push((i, j, 50));
            e.push((j, i, 70));
        }
        check(&graph(11, &e), u32::MAX);
        check(&graph(11, &e), 250);
    }

    #[test]
    fn streets_loops_and_one_ways() {
        // Junction 0 with: a two-way street 0–1–2–3 (3 a junction: dead end), a loop street
        // 0–4–5–6–0, a one-way street 0→7→8→9→0, asymmetric times, and a crossing at 10.
        let e = vec![
            (0, 1, 10),
            (1, 0, 12),
            (1, 2, 10),
            (2, 1, 15),
            (2, 3, 10),
            (3, 2, 9),
            (0, 4, 5),
            (4, 0, 5),
            (4, 5, 5),
            (5, 4, 6),
            (5, 6, 5),
            (6, 5, 5),
            (6, 0, 8),
            (0, 6, 8),
            (0, 7, 20),
            (7, 8, 20),
            (8, 9, 20),
            (9, 0, 20),
            (2, 10, 3),
            (10, 2, 3),
            (10, 11, 4),
            (11, 10, 4),
            (10, 12, 4),
            (12, 10, 4),
            (12, 13, 1),
            (13, 12, 2),
        ];
        let g = graph(14, &e);
        check(&g, u32::MAX);
        for max in [0, 5, 17, 40, 61] {
            check(&g, max);
        }
    }
}

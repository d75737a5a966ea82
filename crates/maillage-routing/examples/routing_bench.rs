//! Benchmark driver for `bench/routing/` (release builds only; nothing here is a test).
//!
//! routing_bench <graph_dir> <origins> <max_seconds> [--order hilbert|input|random] [--algo engine|engine-unsorted|binaryheap|quad|sweep]
//!               [--threads N] [--seed S] [--out checks.csv]
//!
//! Reads `<graph_dir>/nodes.csv` and `edges.csv` (as written by `maillage graphe --export` or by the
//! `generate_road_graph` example), builds the graph exactly as given (no component filter, so the
//! reference tools see the same graph), picks `origins` nodes at random (ids written to
//! `<graph_dir>/origins.txt` for the Python and SQL scripts), runs one bounded one-to-many search per
//! origin and prints timings. With `--out`, writes per origin: count of nodes reached within the
//! bound, sum of their times (ms), and Σ (id mod P)·(ms mod P) with P = 1,000,003, which the reference
//! scripts compute the same way.

use maillage_routing::{BuildOptions, Dijkstra, Graph, NodeOrder};
use rayon::prelude::*;
use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::io::{BufRead, BufReader, Write};
use std::time::Instant;

const P: u64 = 1_000_003;

fn arg<T: std::str::FromStr>(args: &[String], name: &str) -> Option<T> {
    args.iter()
        .position(|a| a == name)
        .and_then(|k| args.get(k + 1))
        .map(|v| v.parse().ok().expect(name))
}

fn read_lines(path: &std::path::Path) -> impl Iterator<Item = String> {
    BufReader::with_capacity(1 << 20, std::fs::File::open(path).expect("open"))
        .lines()
        .skip(1)
        .map(|l| l.expect("read"))
}

fn millis(seconds: &str) -> u32 {
    let (s, ms) = seconds.split_once('.').unwrap_or((seconds, "0"));
    s.parse::<u32>().expect("seconds") * 1000
        + format!("{ms:0<3}")[..3].parse::<u32>().expect("millis")
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    // `routing_bench <extract.osm.pbf> voiture|pieton`: time the build from OSM (parse, profile,
    // component, ordering) and the cache round trip.
    if args[1].ends_with(".pbf") {
        return pbf_build(std::path::Path::new(&args[1]), &args[2]);
    }
    let dir = std::path::PathBuf::from(&args[1]);
    let n_origins: usize = args[2].parse().expect("origins");
    let max_ms = (args[3].parse::<f64>().expect("max seconds") * 1000.0).round() as u32;
    let order = match arg::<String>(&args, "--order").as_deref() {
        None | Some("hilbert") => NodeOrder::Hilbert,
        Some("input") => NodeOrder::Input,
        Some("random") => NodeOrder::Random(7),
        Some(o) => panic!("unknown order {o}"),
    };
    let algo = arg::<String>(&args, "--algo").unwrap_or_else(|| "engine".into());
    let seed: u64 = arg(&args, "--seed").unwrap_or(1);
    if let Some(t) = arg::<usize>(&args, "--threads") {
        rayon::ThreadPoolBuilder::new()
            .num_threads(t)
            .build_global()
            .expect("pool");
    }

    let t = Instant::now();
    let nodes: Vec<(i64, f64, f64)> = read_lines(&dir.join("nodes.csv"))
        .map(|l| {
            let mut f = l.split(',');
            let id = f.next().unwrap().parse().unwrap();
            let lon = f.next().unwrap().parse().unwrap();
            let lat = f.next().unwrap().parse().unwrap();
            (id, lon, lat)
        })
        .collect();
    let edges: Vec<(i64, i64, u32)> = read_lines(&dir.join("edges.csv"))
        .map(|l| {
            let mut f = l.split(',');
            (
                f.next().unwrap().parse().unwrap(),
                f.next().unwrap().parse().unwrap(),
                millis(f.next().unwrap()),
            )
        })
        .collect();
    let parse_s = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let options = BuildOptions {
        order,
        largest_component_only: false,
    };
    let graph = Graph::from_parts_with(&nodes, &edges, &options).expect("graph");
    let build_s = t.elapsed().as_secs_f64();
    let t = Instant::now();
    graph.prepare_snapping();
    let snap_s = t.elapsed().as_secs_f64();
    let t = Instant::now();
    graph.prepare_search();
    let core_s = t.elapsed().as_secs_f64();
    drop(edges);

    // Origins: a deterministic sample of distinct node ids, shared with the reference scripts.
    let mut state = seed;
    let mut chosen = std::collections::HashSet::new();
    let mut origins: Vec<i64> = Vec::with_capacity(n_origins);
    while origins.len() < n_origins.min(nodes.len()) {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let id = nodes[((state >> 33) % nodes.len() as u64) as usize].0;
        if chosen.insert(id) {
            origins.push(id);
        }
    }
    // `--warm`: every search from the first origin, to measure the cost with a warm cache.
    let origins: Vec<i64> = if args.iter().any(|a| a == "--warm") {
        vec![origins[0]; origins.len()]
    } else {
        origins
    };
    let mut f = std::fs::File::create(dir.join("origins.txt")).expect("origins.txt");
    for o in &origins {
        writeln!(f, "{o}").unwrap();
    }
    let sources: Vec<u32> = origins
        .iter()
        .map(|&id| graph.index_of(id).expect("origin in graph"))
        .collect();

    let t = Instant::now();
    let checks: Vec<(u64, u64, u64)> = match algo.as_str() {
        // The engine's own parallel driver (searches in locality order).
        "engine" => graph
            .map_searches(&sources, max_ms, |_, d| {
                checksum(d.reached().iter().map(|&(n, t)| (graph.id(n), t)))
            })
            .unwrap(),
        // The same searches in the given (random) order, to measure what the ordering buys.
        "engine-unsorted" => sources
            .par_iter()
            .map_init(
                || Dijkstra::new(&graph),
                |d, &s| {
                    d.run(&[s], max_ms).unwrap();
                    checksum(d.reached().iter().map(|&(n, t)| (graph.id(n), t)))
                },
            )
            .collect(),
        "binaryheap" => sources
            .par_iter()
            .map_init(
                || {
                    (
                        vec![u32::MAX; graph.node_count()],
                        Vec::new(),
                        BinaryHeap::new(),
                    )
                },
                |(dist, touched, heap), &s| {
                    binary_heap_dijkstra(&graph, s, max_ms, dist, touched, heap)
                },
            )
            .collect(),
        "quad" => sources
            .par_iter()
            .map_init(
                || {
                    (
                        vec![u32::MAX; graph.node_count()],
                        vec![u32::MAX; graph.node_count()],
                        Vec::new(),
                        Vec::new(),
                    )
                },
                |(dist, pos, heap, touched), &s| {
                    quad_heap_dijkstra(&graph, s, max_ms, dist, pos, heap, touched)
                },
            )
            .collect(),
        "sweep" => sources
            .par_iter()
            .map_init(
                || vec![u32::MAX; graph.node_count()],
                |dist, &s| sweep(&graph, s, dist),
            )
            .collect(),
        a => panic!("unknown algo {a}"),
    };
    let query_s = t.elapsed().as_secs_f64();
    let settled: u64 = checks.iter().map(|c| c.0).sum();
    println!(
        "nodes={} arcs={} parse_s={parse_s:.2} build_s={build_s:.2} snap_index_s={snap_s:.2} search_prep_s={core_s:.2} graph_bytes_per_node={:.1} search_bytes_per_node={:.1} \
         algo={algo} order={order:?} threads={} origins={} max_s={} query_s={query_s:.3} per_origin_ms={:.3} \
         settled_per_origin={:.0} ns_per_settled={:.1}",
        graph.node_count(),
        graph.arc_count(),
        graph.memory_bytes() as f64 / graph.node_count() as f64,
        graph.search_memory_bytes() as f64 / graph.node_count() as f64,
        rayon::current_num_threads(),
        sources.len(),
        max_ms as f64 / 1000.0,
        query_s * 1000.0 / sources.len() as f64,
        settled as f64 / sources.len() as f64,
        query_s * 1e9 * rayon::current_num_threads() as f64 / settled.max(1) as f64,
    );
    if let Some(out) = arg::<String>(&args, "--out") {
        let mut f = std::io::BufWriter::new(std::fs::File::create(out).expect("out"));
        writeln!(f, "origin,count,sum_ms,hash").unwrap();
        for (o, c) in origins.iter().zip(&checks) {
            writeln!(f, "{o},{},{},{}", c.0, c.1, c.2).unwrap();
        }
    }
}

fn checksum(reached: impl Iterator<Item = (i64, u32)>) -> (u64, u64, u64) {
    reached.fold((0, 0, 0), |(c, s, h), (id, ms)| {
        (
            c + 1,
            s + ms as u64,
            h + (id.rem_euclid(P as i64) as u64) * (ms as u64 % P),
        )
    })
}

/// The textbook alternative: lazy-deletion binary heap (std), same reset-by-touched-list buffers.
fn binary_heap_dijkstra(
    graph: &Graph,
    s: u32,
    max_ms: u32,
    dist: &mut [u32],
    touched: &mut Vec<u32>,
    heap: &mut BinaryHeap<Reverse<(u32, u32)>>,
) -> (u64, u64, u64) {
    for &n in touched.iter() {
        dist[n as usize] = u32::MAX;
    }
    touched.clear();
    heap.clear();
    let (first_out, arcs) = graph.csr();
    dist[s as usize] = 0;
    touched.push(s);
    heap.push(Reverse((0, s)));
    let mut settled = Vec::new();
    while let Some(Reverse((d, u))) = heap.pop() {
        if d > dist[u as usize] {
            continue;
        }
        settled.push((graph.id(u), d));
        for a in &arcs[first_out[u as usize] as usize..first_out[u as usize + 1] as usize] {
            let nd = d + a.millis;
            if nd <= max_ms && nd < dist[a.head as usize] {
                if dist[a.head as usize] == u32::MAX {
                    touched.push(a.head);
                }
                dist[a.head as usize] = nd;
                heap.push(Reverse((nd, a.head)));
            }
        }
    }
    checksum(settled.into_iter())
}

/// Cost floor of PHAST's per-source downward sweep: one linear pass over every node and arc.
/// (Times are not shortest paths here; only the cost is measured.)
fn sweep(graph: &Graph, s: u32, dist: &mut [u32]) -> (u64, u64, u64) {
    dist.fill(u32::MAX);
    dist[s as usize] = 0;
    let (first_out, arcs) = graph.csr();
    for u in 0..graph.node_count() {
        // PHAST relaxes every arc whatever the distance of its tail: no early exit here either.
        let du = dist[u];
        for a in &arcs[first_out[u] as usize..first_out[u + 1] as usize] {
            let nd = du.saturating_add(a.millis);
            let h = &mut dist[a.head as usize];
            if nd < *h {
                *h = nd;
            }
        }
    }
    (graph.node_count() as u64, 0, 0)
}

/// 4-ary heap with decrease-key (positions indexed by node), no stale entries.
fn quad_heap_dijkstra(
    graph: &Graph,
    s: u32,
    max_ms: u32,
    dist: &mut [u32],
    pos: &mut [u32],
    heap: &mut Vec<(u32, u32)>,
    touched: &mut Vec<u32>,
) -> (u64, u64, u64) {
    for &n in touched.iter() {
        dist[n as usize] = u32::MAX;
        pos[n as usize] = u32::MAX;
    }
    touched.clear();
    heap.clear();
    fn up(heap: &mut [(u32, u32)], pos: &mut [u32], mut i: usize) {
        let item = heap[i];
        while i > 0 {
            let p = (i - 1) / 4;
            if heap[p].0 <= item.0 {
                break;
            }
            heap[i] = heap[p];
            pos[heap[i].1 as usize] = i as u32;
            i = p;
        }
        heap[i] = item;
        pos[item.1 as usize] = i as u32;
    }
    fn down(heap: &mut [(u32, u32)], pos: &mut [u32], mut i: usize) {
        let item = heap[i];
        let n = heap.len();
        loop {
            let c = 4 * i + 1;
            if c >= n {
                break;
            }
            let mut best = c;
            for k in c + 1..(c + 4).min(n) {
                if heap[k].0 < heap[best].0 {
                    best = k;
                }
            }
            if heap[best].0 >= item.0 {
                break;
            }
            heap[i] = heap[best];
            pos[heap[i].1 as usize] = i as u32;
            i = best;
        }
        heap[i] = item;
        pos[item.1 as usize] = i as u32;
    }
    let (first_out, arcs) = graph.csr();
    dist[s as usize] = 0;
    touched.push(s);
    heap.push((0, s));
    pos[s as usize] = 0;
    let mut settled = Vec::new();
    while !heap.is_empty() {
        let (d, u) = heap[0];
        let last = heap.pop().unwrap();
        pos[u as usize] = u32::MAX - 1; // settled
        if !heap.is_empty() {
            heap[0] = last;
            down(heap, pos, 0);
        }
        settled.push((graph.id(u), d));
        for a in &arcs[first_out[u as usize] as usize..first_out[u as usize + 1] as usize] {
            let nd = d + a.millis;
            let h = a.head as usize;
            if nd <= max_ms && nd < dist[h] {
                if dist[h] == u32::MAX {
                    touched.push(a.head);
                    dist[h] = nd;
                    heap.push((nd, a.head));
                    let i = heap.len() - 1;
                    up(heap, pos, i);
                } else {
                    dist[h] = nd;
                    let i = pos[h] as usize;
                    heap[i].0 = nd;
                    up(heap, pos, i);
                }
            }
        }
    }
    checksum(settled.into_iter())
}

fn pbf_build(path: &std::path::Path, profile: &str) {
    let profile = if profile == "pieton" {
        maillage_routing::Profile::Walk
    } else {
        maillage_routing::Profile::Car
    };
    let t = Instant::now();
    let graph = Graph::from_osm_pbf(path, profile).expect("graph");
    let build_s = t.elapsed().as_secs_f64();
    let cache = std::env::temp_dir().join("routing_bench.graphe");
    let t = Instant::now();
    graph.save_cache(&cache).expect("save");
    let save_s = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let loaded = Graph::load_cache(&cache).expect("load");
    let load_s = t.elapsed().as_secs_f64();
    let size = std::fs::metadata(&cache).map(|m| m.len()).unwrap_or(0);
    let _ = std::fs::remove_file(&cache);
    println!(
        "pbf={} profile={profile} nodes={} arcs={} build_s={build_s:.3} cache_bytes={size} save_s={save_s:.3} load_s={load_s:.3}",
        path.display(),
        loaded.node_count(),
        loaded.arc_count()
    );
}

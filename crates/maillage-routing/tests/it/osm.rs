//! Building graphs from OSM PBF files: profile rules on a hand-made extract, robustness to damaged
//! files, and real extracts (Monaco, Île-de-France) when the shared data is present.

use geo::{Area, BooleanOps};
use maillage_routing::{
    Graph, IsochroneOptions, Profile, RoutingError, haversine_m, travel_millis,
};
use maillage_testkit::pbf::{Node, Way, pbf, way};
use std::path::PathBuf;

fn data(relative: &str) -> Option<PathBuf> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data")
        .join(relative);
    if path.exists() {
        Some(path)
    } else {
        eprintln!(
            "SKIPPED: {} is absent (shared data not beside the checkout)",
            path.display()
        );
        None
    }
}

/// Eight nodes 0.001° apart around (7.0, 43.0).
fn village_nodes() -> Vec<Node> {
    vec![
        (1, 7.000, 43.000),
        (2, 7.001, 43.000),
        (3, 7.001, 43.001),
        (4, 7.000, 43.001),
        (5, 7.002, 43.000),
        (6, 7.003, 43.000),
        (7, 6.999, 43.000),
        (8, 7.002, 43.001),
    ]
}

fn village_ways() -> Vec<Way> {
    vec![
        way(10, &[1, 2], &[("highway", "residential")]),
        way(
            11,
            &[2, 3],
            &[("highway", "residential"), ("oneway", "yes")],
        ),
        // Digitised 4→3 with oneway=-1: traffic goes 3→4 only.
        way(12, &[4, 3], &[("highway", "residential"), ("oneway", "-1")]),
        way(
            13,
            &[4, 1],
            &[("highway", "residential"), ("maxspeed", "20 mph")],
        ),
        way(14, &[2, 5], &[("highway", "footway")]),
        way(15, &[5, 6], &[("highway", "residential")]),
        // Motorways are one-way by default: 7 can be entered but not left by car.
        way(16, &[1, 7], &[("highway", "motorway")]),
        way(
            17,
            &[3, 8],
            &[("highway", "residential"), ("access", "private")],
        ),
        way(18, &[1], &[("highway", "residential")]),
        way(19, &[1, 2], &[("building", "yes")]),
    ]
}

fn write(dir: &tempfile::TempDir, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

fn arcs(g: &Graph) -> Vec<(i64, i64, u32)> {
    let mut v: Vec<_> = (0..g.node_count() as u32)
        .flat_map(|u| {
            g.arcs(u)
                .iter()
                .map(move |a| (g.id(u), g.id(a.head), a.millis))
        })
        .collect();
    v.sort();
    v
}

fn expected_millis(a: i64, b: i64, kmh: f64) -> u32 {
    let nodes = village_nodes();
    let p = |id| nodes.iter().find(|n| n.0 == id).unwrap();
    let (pa, pb) = (p(a), p(b));
    travel_millis(haversine_m(pa.1, pa.2, pb.1, pb.2), kmh)
}

#[test]
fn car_profile_on_a_hand_made_extract() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        &dir,
        "village.osm.pbf",
        &pbf(&[(&village_nodes(), &village_ways())]),
    );
    let g = Graph::from_osm_pbf(&path, Profile::Car).unwrap();
    let mph20 = 20.0 * 1.609_344;
    assert_eq!(
        arcs(&g),
        vec![
            (1, 2, expected_millis(1, 2, 30.0)),
            (1, 4, expected_millis(1, 4, mph20)),
            (2, 1, expected_millis(1, 2, 30.0)),
            (2, 3, expected_millis(2, 3, 30.0)),
            (3, 4, expected_millis(3, 4, 30.0)),
            (4, 1, expected_millis(1, 4, mph20)),
        ]
    );
    // By hand: 0.001° of longitude at 43° N is 81.32 m, 9.758 s at 30 km/h.
    assert!((expected_millis(1, 2, 30.0) as i64 - 9_758).abs() <= 2);
    // 5–6 is only reachable through a footway, 7 only by a one-way motorway, 8 is private.
    assert_eq!(g.build_info().dropped_nodes, 3); // 5, 6 and 7 (8 is on no usable way)
    assert_eq!(g.build_info().ways, 6); // 10, 11, 12, 13, 15, 16
    assert_eq!(g.profile(), Some(Profile::Car));
}

#[test]
fn walking_profile_on_a_hand_made_extract() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        &dir,
        "village.osm.pbf",
        &pbf(&[(&village_nodes(), &village_ways())]),
    );
    let g = Graph::from_osm_pbf(&path, Profile::Walk).unwrap();
    let got = arcs(&g);
    let mut want = Vec::new();
    for (a, b) in [(1, 2), (2, 3), (4, 3), (4, 1), (2, 5), (5, 6)] {
        want.push((a, b, expected_millis(a, b, 5.0)));
        want.push((b, a, expected_millis(a, b, 5.0)));
    }
    want.sort();
    assert_eq!(got, want);
}

#[test]
fn unsorted_files_give_the_same_graph() {
    let dir = tempfile::tempdir().unwrap();
    let sorted = write(
        &dir,
        "sorted.osm.pbf",
        &pbf(&[(&village_nodes(), &village_ways())]),
    );
    let mut nodes = village_nodes();
    nodes.reverse();
    let mut ways = village_ways();
    ways.reverse();
    let (first, second) = nodes.split_at(3);
    // Ways before nodes, nodes in decreasing id order over two blocks.
    let unsorted = write(
        &dir,
        "unsorted.osm.pbf",
        &pbf(&[(&[], &ways), (second, &[]), (first, &[])]),
    );
    for profile in [Profile::Car, Profile::Walk] {
        let a = Graph::from_osm_pbf(&sorted, profile).unwrap();
        let b = Graph::from_osm_pbf(&unsorted, profile).unwrap();
        assert_eq!(arcs(&a), arcs(&b));
    }
}

#[test]
fn duplicate_node_with_two_positions_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let mut nodes = village_nodes();
    nodes.push((2, 7.5, 43.5));
    let path = write(&dir, "dup.osm.pbf", &pbf(&[(&nodes, &village_ways())]));
    assert!(matches!(
        Graph::from_osm_pbf(&path, Profile::Car).unwrap_err(),
        RoutingError::DuplicateOsmNode { id: 2, .. }
    ));
}

#[test]
fn missing_nodes_and_roadless_extracts() {
    let dir = tempfile::tempdir().unwrap();
    // Node 4 is missing (clipped extract): its segments are skipped and counted.
    let nodes: Vec<Node> = village_nodes().into_iter().filter(|n| n.0 != 4).collect();
    let ways = vec![
        way(10, &[1, 2], &[("highway", "residential")]),
        way(11, &[2, 3, 4], &[("highway", "residential")]),
    ];
    let path = write(&dir, "clipped.osm.pbf", &pbf(&[(&nodes, &ways)]));
    let g = Graph::from_osm_pbf(&path, Profile::Car).unwrap();
    assert_eq!(g.node_count(), 3);
    assert_eq!(g.build_info().missing_node_refs, 1);
    let buildings = vec![way(19, &[1, 2, 3, 1], &[("building", "yes")])];
    let path = write(
        &dir,
        "buildings.osm.pbf",
        &pbf(&[(&village_nodes(), &buildings)]),
    );
    assert!(matches!(
        Graph::from_osm_pbf(&path, Profile::Car).unwrap_err(),
        RoutingError::NoRoutableWay {
            profile: Profile::Car,
            ..
        }
    ));
}

#[test]
fn damaged_and_foreign_files_are_errors_not_panics() {
    let dir = tempfile::tempdir().unwrap();
    let good = pbf(&[(&village_nodes(), &village_ways())]);
    let is_pbf_error = |e: &RoutingError| {
        matches!(
            e,
            RoutingError::Pbf { .. } | RoutingError::NoRoutableWay { .. }
        )
    };
    for (name, bytes) in [
        ("empty.osm.pbf", Vec::new()),
        ("text.osm.pbf", b"id,lon,lat\n1,2,3\n".to_vec()),
        ("zeros.osm.pbf", vec![0u8; 64]),
        ("half.osm.pbf", good[..good.len() / 2].to_vec()),
        ("short.osm.pbf", good[..good.len() - 3].to_vec()),
    ] {
        let path = write(&dir, name, &bytes);
        let e = Graph::from_osm_pbf(&path, Profile::Car).unwrap_err();
        assert!(is_pbf_error(&e), "{name}: {e:?}");
    }
    // Every single-byte corruption gives a graph or an error, never a panic.
    let path = dir.path().join("flipped.osm.pbf");
    for k in 0..good.len() {
        let mut bad = good.clone();
        bad[k] ^= 0xA5;
        std::fs::write(&path, &bad).unwrap();
        let _ = Graph::from_osm_pbf(&path, Profile::Car);
    }
    let missing = dir.path().join("nope.osm.pbf");
    assert!(matches!(
        Graph::from_osm_pbf(&missing, Profile::Car).unwrap_err(),
        RoutingError::Io { .. }
    ));
}

#[test]
fn monaco_car_and_walk_graphs() {
    let Some(path) = data("osm/monaco.osm.pbf") else {
        return;
    };
    let car = Graph::from_osm_pbf(&path, Profile::Car).unwrap();
    let walk = Graph::from_osm_pbf(&path, Profile::Walk).unwrap();
    assert!(car.node_count() > 3_000, "{}", car.node_count());
    assert!(walk.node_count() > car.node_count());
    // Strongly connected: from any node, every node is reachable (and so back).
    for g in [&car, &walk] {
        for source in [0, g.node_count() as u32 / 2, g.node_count() as u32 - 1] {
            assert_eq!(
                g.one_to_many(source, u32::MAX).unwrap().len(),
                g.node_count()
            );
        }
    }
    // Every arc of the walking graph has its reverse at the same time.
    for u in 0..walk.node_count() as u32 {
        for a in walk.arcs(u) {
            assert!(
                walk.arcs(a.head)
                    .iter()
                    .any(|b| b.head == u && b.millis == a.millis)
            );
        }
    }
    // The car graph has one-way streets.
    let one_way = (0..car.node_count() as u32)
        .flat_map(|u| car.arcs(u).iter().map(move |a| (u, a.head)))
        .filter(|&(u, v)| !car.arcs(v).iter().any(|b| b.head == u))
        .count();
    assert!(one_way > 100, "{one_way}");
}

#[test]
fn monaco_cache_round_trip_gives_identical_times() {
    let Some(path) = data("osm/monaco.osm.pbf") else {
        return;
    };
    let g = Graph::from_osm_pbf(&path, Profile::Car).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("monaco.graphe");
    g.save_cache(&cache).unwrap();
    let h = Graph::load_cache(&cache).unwrap();
    assert_eq!(h.profile(), Some(Profile::Car));
    assert_eq!(h.build_info(), g.build_info());
    assert_eq!(arcs(&g), arcs(&h));
    let nodes: Vec<u32> = (0..g.node_count() as u32).step_by(97).collect();
    assert_eq!(
        g.travel_times(&nodes, &nodes, 600_000).unwrap(),
        h.travel_times(&nodes, &nodes, 600_000).unwrap()
    );
    assert_eq!(g.snap(7.4246, 43.7384), h.snap(7.4246, 43.7384));
    // The PBF is not mistaken for a cache, and the cache is not read as a PBF.
    assert!(!maillage_routing::is_cache_file(&path).unwrap());
    assert!(Graph::load_cache(&path).is_err());
    assert!(Graph::from_osm_pbf(&cache, Profile::Car).is_err());
}

#[test]
fn monaco_isochrones_are_nested() {
    let Some(path) = data("osm/monaco.osm.pbf") else {
        return;
    };
    let g = Graph::from_osm_pbf(&path, Profile::Car).unwrap();
    // Place du Casino.
    let snap = g.snap(7.4275, 43.7393).unwrap();
    assert!(snap.distance_m < 100.0, "{}", snap.distance_m);
    let options = IsochroneOptions::for_profile(g.profile());
    let isos = g
        .isochrones(&[snap.node], &[2.0, 5.0, 10.0], &options, None)
        .unwrap();
    for w in isos.windows(2) {
        assert!(
            w[0].area_km2 < w[1].area_km2,
            "{} ≥ {}",
            w[0].area_km2,
            w[1].area_km2
        );
        let outside = w[0].polygon.difference(&w[1].polygon).unsigned_area();
        assert!(
            outside <= 1e-9 * w[0].polygon.unsigned_area(),
            "{} min not inside {} min",
            w[0].minutes,
            w[1].minutes
        );
    }
    assert!(isos[0].area_km2 > 0.1);
}

#[test]
fn ile_de_france_extracts_build() {
    for name in ["artemis", "maisons_laffitte", "st_ger", "trocadero"] {
        let Some(path) = data(&format!("osm_derived_idf/{name}.DERIVED.osm.pbf")) else {
            return;
        };
        for profile in [Profile::Car, Profile::Walk] {
            let g = Graph::from_osm_pbf(&path, profile).unwrap();
            assert!(g.node_count() > 200, "{name} {profile}: {}", g.node_count());
            assert_eq!(g.one_to_many(0, u32::MAX).unwrap().len(), g.node_count());
        }
    }
}

/// Textbook Dijkstra on the full graph (every node, every arc), for comparison.
fn plain_dijkstra(g: &Graph, source: u32, max: u32) -> Vec<(u32, u32)> {
    use std::cmp::Reverse;
    let mut dist = vec![u32::MAX; g.node_count()];
    let mut heap = std::collections::BinaryHeap::from([Reverse((0u32, source))]);
    dist[source as usize] = 0;
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
    let mut v: Vec<(u32, u32)> = (0..g.node_count() as u32)
        .filter(|&n| dist[n as usize] != u32::MAX)
        .map(|n| (n, dist[n as usize]))
        .collect();
    v.sort_by_key(|&(n, t)| (t, n));
    v
}

#[test]
fn monaco_balls_equal_a_plain_dijkstra_on_the_full_graph() {
    let Some(path) = data("osm/monaco.osm.pbf") else {
        return;
    };
    for (profile, max) in [(Profile::Car, 300_000), (Profile::Walk, 900_000)] {
        let g = Graph::from_osm_pbf(&path, profile).unwrap();
        for source in (0..g.node_count() as u32).step_by(g.node_count() / 40) {
            assert_eq!(
                g.one_to_many(source, max).unwrap(),
                plain_dijkstra(&g, source, max),
                "{profile} from {source}"
            );
        }
    }
}

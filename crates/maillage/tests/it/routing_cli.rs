//! `maillage graphe`, `temps` and `isochrones` run as a user runs them. Travel times are checked
//! against a plain Dijkstra written here, on the graph exported by `maillage graphe`.

use maillage_routing::geo::{Area, BooleanOps, Contains, MultiPolygon, Point, Polygon};
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn maillage(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_maillage"))
        .args(args)
        .output()
        .expect("run maillage")
}

fn ok(args: &[&str]) -> String {
    let out = maillage(args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "maillage {args:?} failed: {stderr}");
    String::from_utf8_lossy(&out.stdout).into_owned() + &stderr
}

/// Run a command that must fail with a French error (exit 1, `erreur : …`, no panic) and return it.
fn fails(args: &[&str]) -> String {
    let out = maillage(args);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(1), "maillage {args:?}: {stderr}");
    assert!(stderr.contains("erreur : "), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    stderr
}

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

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// "12.345" → 12345, exactly.
fn millis(seconds: &str) -> u64 {
    let (whole, frac) = seconds
        .split_once('.')
        .expect("seconds with three decimals");
    assert_eq!(frac.len(), 3, "{seconds}");
    whole.parse::<u64>().unwrap() * 1000 + frac.parse::<u64>().unwrap()
}

fn csv_rows(path: &Path) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(path).unwrap();
    text.lines()
        .skip(1)
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect()
}

/// The exported graph: node positions and adjacency lists with times in ms.
struct Exported {
    nodes: Vec<(i64, String, String)>,
    index: HashMap<i64, usize>,
    adjacency: Vec<Vec<(usize, u64)>>,
}

fn export(source: &Path, profile: &str, dir: &Path) -> Exported {
    ok(&["graphe", s(source), "--profil", profile, "--export", s(dir)]);
    let nodes: Vec<(i64, String, String)> = csv_rows(&dir.join("nodes.csv"))
        .into_iter()
        .map(|r| (r[0].parse().unwrap(), r[1].clone(), r[2].clone()))
        .collect();
    let index: HashMap<i64, usize> = nodes.iter().enumerate().map(|(k, n)| (n.0, k)).collect();
    assert_eq!(index.len(), nodes.len(), "node ids are unique");
    let mut adjacency = vec![Vec::new(); nodes.len()];
    for r in csv_rows(&dir.join("edges.csv")) {
        let (a, b) = (
            index[&r[0].parse::<i64>().unwrap()],
            index[&r[1].parse::<i64>().unwrap()],
        );
        adjacency[a].push((b, millis(&r[2])));
    }
    Exported {
        nodes,
        index,
        adjacency,
    }
}

/// Textbook Dijkstra: all nodes within `max` ms of `source`.
fn reference_dijkstra(g: &Exported, source: usize, max: u64) -> HashMap<usize, u64> {
    let mut dist: HashMap<usize, u64> = HashMap::new();
    let mut heap = BinaryHeap::from([Reverse((0u64, source))]);
    dist.insert(source, 0);
    let mut done = HashSet::new();
    while let Some(Reverse((d, u))) = heap.pop() {
        if !done.insert(u) {
            continue;
        }
        for &(v, w) in &g.adjacency[u] {
            let nd = d + w;
            if nd <= max && dist.get(&v).is_none_or(|&old| nd < old) {
                dist.insert(v, nd);
                heap.push(Reverse((nd, v)));
            }
        }
    }
    dist
}

/// Nodes whose position no other node shares, so that a point put there snaps to that very node.
fn unique_position_nodes(g: &Exported) -> Vec<usize> {
    let mut count: HashMap<(&str, &str), usize> = HashMap::new();
    for n in &g.nodes {
        *count.entry((n.1.as_str(), n.2.as_str())).or_default() += 1;
    }
    (0..g.nodes.len())
        .filter(|&k| count[&(g.nodes[k].1.as_str(), g.nodes[k].2.as_str())] == 1)
        .collect()
}

fn write_points(path: &Path, g: &Exported, nodes: &[usize]) {
    let mut text = String::from("id,lon,lat\n");
    for &k in nodes {
        text.push_str(&format!(
            "n{},{},{}\n",
            g.nodes[k].0, g.nodes[k].1, g.nodes[k].2
        ));
    }
    std::fs::write(path, text).unwrap();
}

/// Export the graph, ask `maillage temps` for times between nodes, and compare every pair with the
/// reference Dijkstra run on the export.
fn check_against_reference(
    source: &Path,
    profile: &str,
    n_origins: usize,
    n_destinations: usize,
    max_s: u64,
) {
    let dir = tempfile::tempdir().unwrap();
    let g = export(source, profile, &dir.path().join("export"));
    let candidates = unique_position_nodes(&g);
    assert!(
        candidates.len() > n_destinations,
        "{} candidates",
        candidates.len()
    );
    let pick = |n: usize, offset: usize| -> Vec<usize> {
        (0..n)
            .map(|k| candidates[(offset + k * candidates.len() / n) % candidates.len()])
            .collect()
    };
    let origins = pick(n_origins, 0);
    let destinations = pick(n_destinations, 7);
    let [o, d, t, a] = ["o.csv", "d.csv", "t.csv", "a.csv"].map(|f| dir.path().join(f));
    write_points(&o, &g, &origins);
    write_points(&d, &g, &destinations);
    let max = max_s.to_string();
    #[rustfmt::skip]
    ok(&["temps", "--graphe", s(source), "--profil", profile, "--origines", s(&o), "--destinations", s(&d),
         "--max", &max, "--sortie", s(&t), "--accrochages", s(&a)]);

    // Each point snapped onto its own node, at distance 0.
    for r in csv_rows(&a) {
        assert_eq!(r[1], format!("n{}", r[2]), "{r:?}");
        assert_eq!(r[3], "0.00");
    }
    let got: HashMap<(String, String), u64> = csv_rows(&t)
        .into_iter()
        .map(|r| ((r[0].clone(), r[1].clone()), millis(&r[2])))
        .collect();
    let mut want = HashMap::new();
    for &o in &origins {
        let dist = reference_dijkstra(&g, o, max_s * 1000);
        for &d in &destinations {
            if let Some(&ms) = dist.get(&d) {
                want.insert(
                    (format!("n{}", g.nodes[o].0), format!("n{}", g.nodes[d].0)),
                    ms,
                );
            }
        }
    }
    assert!(
        want.len() > n_origins,
        "the test should cover reachable pairs ({} found)",
        want.len()
    );
    assert_eq!(got.len(), want.len(), "number of reachable pairs");
    assert_eq!(got, want);
    // The index of the export is complete: every arc joins known nodes.
    assert_eq!(g.index.len(), g.nodes.len());
}

#[test]
fn monaco_car_times_equal_a_plain_dijkstra() {
    let Some(pbf) = data("osm/monaco.osm.pbf") else {
        return;
    };
    check_against_reference(&pbf, "voiture", 40, 300, 600);
}

#[test]
fn monaco_walking_times_equal_a_plain_dijkstra() {
    let Some(pbf) = data("osm/monaco.osm.pbf") else {
        return;
    };
    check_against_reference(&pbf, "pieton", 20, 200, 1200);
}

#[test]
fn ile_de_france_times_equal_a_plain_dijkstra() {
    for name in ["artemis", "maisons_laffitte", "st_ger", "trocadero"] {
        let Some(pbf) = data(&format!("osm_derived_idf/{name}.DERIVED.osm.pbf")) else {
            return;
        };
        check_against_reference(&pbf, "voiture", 20, 150, 900);
    }
    let Some(pbf) = data("osm_derived_idf/st_ger.DERIVED.osm.pbf") else {
        return;
    };
    check_against_reference(&pbf, "pieton", 10, 150, 1800);
}

/// A tiny extract: a triangle of two-way residential streets plus a far-away dead end.
fn tiny_pbf(dir: &Path) -> PathBuf {
    let nodes = [
        (1, 7.000, 43.000),
        (2, 7.001, 43.000),
        (3, 7.001, 43.001),
        (4, 7.010, 43.010),
    ];
    let ways = [
        maillage_testkit::pbf::way(10, &[1, 2, 3, 1], &[("highway", "residential")]),
        maillage_testkit::pbf::way(
            11,
            &[3, 4],
            &[("highway", "residential"), ("oneway", "yes")],
        ),
    ];
    let path = dir.join("tiny.osm.pbf");
    std::fs::write(&path, maillage_testkit::pbf::pbf(&[(&nodes, &ways)])).unwrap();
    path
}

#[test]
fn cache_gives_the_same_times_and_a_corrupt_cache_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let pbf = tiny_pbf(dir.path());
    let cache = dir.path().join("tiny.graphe");
    let out = ok(&[
        "graphe",
        s(&pbf),
        "--profil",
        "voiture",
        "--cache",
        s(&cache),
    ]);
    assert!(
        out.contains("3 nœuds") && out.contains("1 nœuds écartés"),
        "{out}"
    );
    let [o, t1, t2] = ["o.csv", "t1.csv", "t2.csv"].map(|f| dir.path().join(f));
    std::fs::write(&o, "id,lon,lat\nb,7.001,43.0\na,7.0,43.0\nc,7.001,43.001\n").unwrap();
    ok(&[
        "temps",
        "--graphe",
        s(&pbf),
        "--profil",
        "voiture",
        "--origines",
        s(&o),
        "--destinations",
        s(&o),
        "--max",
        "60",
        "--sortie",
        s(&t1),
    ]);
    ok(&[
        "temps",
        "--graphe",
        s(&cache),
        "--origines",
        s(&o),
        "--destinations",
        s(&o),
        "--max",
        "60",
        "--sortie",
        s(&t2),
    ]);
    let t1_text = std::fs::read_to_string(&t1).unwrap();
    assert_eq!(t1_text, std::fs::read_to_string(&t2).unwrap());
    // Unsorted ids are fine; rows follow the order of the files.
    assert!(
        t1_text.starts_with("origin,destination,seconds\nb,b,0.000\nb,a,"),
        "{t1_text}"
    );
    assert_eq!(t1_text.lines().count(), 10);
    // The cache of one profile is not used for another.
    let e = fails(&[
        "temps",
        "--graphe",
        s(&cache),
        "--profil",
        "pieton",
        "--origines",
        s(&o),
        "--destinations",
        s(&o),
        "--max",
        "60",
        "--sortie",
        s(&t2),
    ]);
    assert!(e.contains("profil"), "{e}");
    let mut bytes = std::fs::read(&cache).unwrap();
    let k = bytes.len() / 2;
    bytes[k] ^= 0xFF;
    std::fs::write(&cache, &bytes).unwrap();
    let e = fails(&["graphe", s(&cache), "--export", s(&dir.path().join("x"))]);
    assert!(e.contains("endommagé"), "{e}");
    std::fs::write(&cache, &bytes[..bytes.len() / 3]).unwrap();
    let e = fails(&["graphe", s(&cache)]);
    assert!(e.contains("endommagé") && e.contains("tronqué"), "{e}");
}

#[test]
fn bad_inputs_give_french_errors() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let pbf = tiny_pbf(d);
    let good = std::fs::read(&pbf).unwrap();
    let truncated = d.join("truncated.osm.pbf");
    std::fs::write(&truncated, &good[..good.len() - 10]).unwrap();
    let e = fails(&["graphe", s(&truncated), "--profil", "voiture"]);
    assert!(
        e.contains("n'est pas un extrait OpenStreetMap") && e.contains("tronqué"),
        "{e}"
    );
    let text = d.join("notes.osm.pbf");
    std::fs::write(&text, "Ceci n'est pas un fichier PBF.\n").unwrap();
    let e = fails(&["graphe", s(&text), "--profil", "voiture"]);
    assert!(e.contains("n'est pas un extrait OpenStreetMap"), "{e}");
    let e = fails(&[
        "graphe",
        s(&d.join("absent.osm.pbf")),
        "--profil",
        "voiture",
    ]);
    assert!(e.contains("inaccessible"), "{e}");
    let e = fails(&["graphe", s(&pbf)]);
    assert!(e.contains("profil manquant"), "{e}");

    let points = |name: &str, text: &str| {
        let p = d.join(name);
        std::fs::write(&p, text).unwrap();
        p
    };
    let good_points = points("ok.csv", "id,lon,lat\na,7.0,43.0\n");
    let out = d.join("t.csv");
    let temps = |origins: &Path| {
        fails(&[
            "temps",
            "--graphe",
            s(&pbf),
            "--profil",
            "voiture",
            "--origines",
            s(origins),
            "--destinations",
            s(&good_points),
            "--max",
            "600",
            "--sortie",
            s(&out),
        ])
    };
    let e = temps(&points("empty.csv", ""));
    assert!(e.contains("ne contient aucun point"), "{e}");
    let e = temps(&points("header.csv", "id,lon,lat\n"));
    assert!(e.contains("ne contient aucun point"), "{e}");
    let e = temps(&points("bad.csv", "id,lon,lat\na,7.0,43.0\nb,sept,43.0\n"));
    assert!(
        e.contains("ligne 3, colonne 2") && e.contains("« sept »"),
        "{e}"
    );
    let e = temps(&points("short.csv", "id,lon,lat\na,7.0\n"));
    assert!(
        e.contains("ligne 2") && e.contains("nombre de champs"),
        "{e}"
    );
    let e = temps(&points("cols.csv", "id,x,y\na,7.0,43.0\n"));
    assert!(e.contains("colonne « lon » absente"), "{e}");
    let e = temps(&points("range.csv", "id,lon,lat\na,652000,6862000\n"));
    assert!(
        e.contains("ligne 2, colonne 2") && e.contains("hors limites"),
        "{e}"
    );
    let e = temps(&points(
        "dup.csv",
        "id,lon,lat\na,7.0,43.0\nb,7.001,43.0\na,7.001,43.001\n",
    ));
    assert!(
        e.contains("ligne 4") && e.contains("« a » en double") && e.contains("ligne 2"),
        "{e}"
    );
    let e = temps(&points("far.csv", "id,lon,lat\nparis,2.35,48.85\n"));
    assert!(
        e.contains("aucun des points") && e.contains("--accroche-max"),
        "{e}"
    );
    let e = fails(&[
        "temps",
        "--graphe",
        s(&pbf),
        "--profil",
        "voiture",
        "--origines",
        s(&good_points),
        "--destinations",
        s(&good_points),
        "--max",
        "-5",
        "--sortie",
        s(&out),
    ]);
    assert!(e.contains("--max"), "{e}");

    // A point too far is reported and left out; the others are computed.
    let mixed = points("mixed.csv", "id,lon,lat\nparis,2.35,48.85\na,7.0,43.0\n");
    let out_text = ok(&[
        "temps",
        "--graphe",
        s(&pbf),
        "--profil",
        "voiture",
        "--origines",
        s(&mixed),
        "--destinations",
        s(&good_points),
        "--max",
        "600",
        "--sortie",
        s(&out),
    ]);
    assert!(
        out_text.contains("attention : 1 origines") && out_text.contains("« paris » (ligne 2)"),
        "{out_text}"
    );
    assert_eq!(
        std::fs::read_to_string(&out).unwrap(),
        "origin,destination,seconds\na,a,0.000\n"
    );
    let e = fails(&[
        "isochrones",
        "--graphe",
        s(&pbf),
        "--profil",
        "voiture",
        "--points",
        s(&good_points),
        "--minutes",
        "5,x",
        "--sortie",
        s(&d.join("i.geojson")),
    ]);
    assert!(e.contains("« x »"), "{e}");
}

fn multipolygon(feature: &serde_json::Value) -> MultiPolygon<f64> {
    let geometry = &feature["geometry"];
    assert_eq!(geometry["type"], "MultiPolygon");
    let ring = |r: &serde_json::Value| -> Vec<(f64, f64)> {
        r.as_array()
            .unwrap()
            .iter()
            .map(|p| (p[0].as_f64().unwrap(), p[1].as_f64().unwrap()))
            .collect()
    };
    MultiPolygon(
        geometry["coordinates"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                let rings = p.as_array().unwrap();
                Polygon::new(
                    ring(&rings[0]).into(),
                    rings[1..].iter().map(|r| ring(r).into()).collect(),
                )
            })
            .collect(),
    )
}

#[test]
fn monaco_isochrones_with_population() {
    let Some(pbf) = data("osm/monaco.osm.pbf") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let [p, z, iso] = ["p.csv", "z.geojson", "iso.geojson"].map(|f| dir.path().join(f));
    std::fs::write(&p, "id,lon,lat\ncasino,7.4275,43.7393\n").unwrap();
    // A small block by the casino (reached within 5 minutes) and a zone 10 km out at sea.
    std::fs::write(
        &z,
        r#"{"type":"FeatureCollection","features":[
        {"type":"Feature","properties":{"pop":250},"geometry":{"type":"Polygon","coordinates":[[[7.4270,43.7390],[7.4280,43.7390],[7.4280,43.7396],[7.4270,43.7396],[7.4270,43.7390]]]}},
        {"type":"Feature","properties":{"pop":9000},"geometry":{"type":"Polygon","coordinates":[[[7.45,43.60],[7.46,43.60],[7.46,43.61],[7.45,43.61],[7.45,43.60]]]}}]}"#,
    )
    .unwrap();
    #[rustfmt::skip]
    let out = ok(&["isochrones", "--graphe", s(&pbf), "--profil", "voiture", "--points", s(&p), "--minutes", "5,10,15",
                   "--sortie", s(&iso), "--zones", s(&z), "--champ-population", "pop"]);
    assert!(out.contains("5 min"), "{out}");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&iso).unwrap()).unwrap();
    assert_eq!(json["type"], "FeatureCollection");
    let features = json["features"].as_array().unwrap();
    assert_eq!(features.len(), 3);
    let polygons: Vec<MultiPolygon<f64>> = features.iter().map(multipolygon).collect();
    for (k, f) in features.iter().enumerate() {
        assert_eq!(f["properties"]["minutes"], [5.0, 10.0, 15.0][k]);
        assert_eq!(f["properties"]["population_couverte"], 250.0);
        assert!(polygons[k].contains(&Point::new(7.4275, 43.7393)));
    }
    for k in 0..2 {
        assert!(polygons[k].unsigned_area() < polygons[k + 1].unsigned_area());
        let outside = polygons[k].difference(&polygons[k + 1]).unsigned_area();
        assert!(
            outside <= 1e-9 * polygons[k].unsigned_area(),
            "{} min not inside the next",
            [5, 10][k]
        );
    }
}

#[test]
fn isochrones_per_point_on_foot() {
    let dir = tempfile::tempdir().unwrap();
    let pbf = tiny_pbf(dir.path());
    let [p, iso] = ["p.csv", "iso.geojson"].map(|f| dir.path().join(f));
    std::fs::write(&p, "id,lon,lat\nnord,7.001,43.001\nouest,7.0,43.0\n").unwrap();
    #[rustfmt::skip]
    ok(&["isochrones", "--graphe", s(&pbf), "--profil", "pieton", "--points", s(&p), "--minutes", "1,3",
         "--sortie", s(&iso), "--par-point"]);
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&iso).unwrap()).unwrap();
    let features = json["features"].as_array().unwrap();
    let labels: Vec<(String, f64)> = features
        .iter()
        .map(|f| {
            (
                f["properties"]["point"].as_str().unwrap().to_string(),
                f["properties"]["minutes"].as_f64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        labels,
        [
            ("nord".into(), 1.0),
            ("nord".into(), 3.0),
            ("ouest".into(), 1.0),
            ("ouest".into(), 3.0)
        ]
    );
    // Each point lies in its own isochrones.
    for (f, (lon, lat)) in
        features
            .iter()
            .zip([(7.001, 43.001), (7.001, 43.001), (7.0, 43.0), (7.0, 43.0)])
    {
        assert!(multipolygon(f).contains(&Point::new(lon, lat)));
    }
}

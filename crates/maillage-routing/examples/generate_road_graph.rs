//! Write a synthetic, road-like directed graph as `nodes.csv` (id,lon,lat) and `edges.csv`
//! (from,to,seconds), the format of `maillage graphe --export`, for benchmarks at any size.
//!
//! A jittered grid of streets 100 m apart around Paris: local streets at 30 km/h (one in five
//! one-way, alternating direction), arterials every 10th line at 50 km/h, expressways every 50th at
//! 90 km/h, 8 % of local street segments missing (dead ends, blocks), a diagonal shortcut now and
//! then, and 0 to 6 shape points along each street as in OSM. Deterministic for a given size and
//! seed.
//!
//! cargo run --release -p maillage-routing --example generate_road_graph -- <nodes> <out_dir> [seed]

use maillage_routing::{LocalProjection, Seconds, haversine_m, travel_millis};
use std::io::{BufWriter, Write};

fn splitmix(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn unit(state: &mut u64) -> f64 {
    (splitmix(state) >> 11) as f64 / (1u64 << 53) as f64
}

/// Average shape points per street segment (0 to 6): OSM streets are drawn with many nodes; on the
/// Monaco extract 88 % of the car graph's nodes are such shape points.
const MAX_SHAPE_POINTS: u64 = 6;

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 3 {
        eprintln!("usage: generate_road_graph <nodes> <out_dir> [seed]");
        std::process::exit(2);
    }
    let wanted: u64 = args[1].parse().expect("node count");
    let out = std::path::PathBuf::from(&args[2]);
    let mut state: u64 = args.get(3).map_or(42, |s| s.parse().expect("seed"));
    std::fs::create_dir_all(&out)?;
    // Each intersection brings ~2 segments of ~3 shape points: ~6.5 nodes per intersection.
    let side = ((wanted as f64) / 6.5).sqrt().ceil() as i64;
    let proj = LocalProjection::at_latitude(48.85);
    let origin = proj.forward(2.35, 48.85);
    let id = |i: i64, j: i64| i * side + j + 1;
    let round = |v: f64| (v * 1e7).round() / 1e7; // OSM precision, exact in the CSV
    let mut nodes =
        BufWriter::with_capacity(1 << 20, std::fs::File::create(out.join("nodes.csv"))?);
    let mut edges =
        BufWriter::with_capacity(1 << 20, std::fs::File::create(out.join("edges.csv"))?);
    writeln!(nodes, "id,lon,lat")?;
    writeln!(edges, "from,to,seconds")?;
    let mut xy = vec![[0.0f64; 2]; (side * side) as usize];
    for i in 0..side {
        for j in 0..side {
            let x = origin[0] + (i - side / 2) as f64 * 100.0 + (unit(&mut state) - 0.5) * 30.0;
            let y = origin[1] + (j - side / 2) as f64 * 100.0 + (unit(&mut state) - 0.5) * 30.0;
            xy[(i * side + j) as usize] = [x, y];
            let [lon, lat] = proj.inverse(x, y);
            writeln!(nodes, "{},{},{}", id(i, j), round(lon), round(lat))?;
        }
    }
    let lonlat = |p: [f64; 2]| {
        let [lon, lat] = proj.inverse(p[0], p[1]);
        [round(lon), round(lat)]
    };
    let mut next_id = side * side + 1;
    let (mut node_count, mut arc_count) = ((side * side) as u64, 0u64);
    let mut segment = |a: (i64, i64),
                       b: (i64, i64),
                       line: i64,
                       state: &mut u64,
                       nodes: &mut BufWriter<std::fs::File>,
                       edges: &mut BufWriter<std::fs::File>|
     -> std::io::Result<()> {
        let (kmh, local) = if line % 50 == 0 {
            (90.0, false)
        } else if line % 10 == 0 {
            (50.0, false)
        } else {
            (30.0, true)
        };
        if local && unit(state) < 0.08 {
            return Ok(()); // a missing block side: dead ends and irregular blocks
        }
        let (forward, backward) = if local && line % 5 == 1 {
            (line % 2 == 0, line % 2 == 1)
        } else {
            (true, true)
        };
        let (pa, pb) = (
            xy[(a.0 * side + a.1) as usize],
            xy[(b.0 * side + b.1) as usize],
        );
        // The street: a, some shape points slightly off the straight line, b.
        let shape = splitmix(state) % (MAX_SHAPE_POINTS + 1);
        let mut chain = vec![(id(a.0, a.1), lonlat(pa))];
        for k in 1..=shape {
            let f = k as f64 / (shape + 1) as f64;
            let p = [
                pa[0] + f * (pb[0] - pa[0]) + (unit(state) - 0.5) * 8.0,
                pa[1] + f * (pb[1] - pa[1]) + (unit(state) - 0.5) * 8.0,
            ];
            let ll = lonlat(p);
            writeln!(nodes, "{next_id},{},{}", ll[0], ll[1])?;
            chain.push((next_id, ll));
            next_id += 1;
            node_count += 1;
        }
        chain.push((id(b.0, b.1), lonlat(pb)));
        for w in chain.windows(2) {
            let ((ia, ca), (ib, cb)) = (w[0], w[1]);
            let ms = Seconds(travel_millis(haversine_m(ca[0], ca[1], cb[0], cb[1]), kmh));
            if forward {
                writeln!(edges, "{ia},{ib},{ms}")?;
                arc_count += 1;
            }
            if backward {
                writeln!(edges, "{ib},{ia},{ms}")?;
                arc_count += 1;
            }
        }
        Ok(())
    };
    for i in 0..side {
        for j in 0..side {
            if i + 1 < side {
                segment((i, j), (i + 1, j), j, &mut state, &mut nodes, &mut edges)?;
            }
            if j + 1 < side {
                segment((i, j), (i, j + 1), i, &mut state, &mut nodes, &mut edges)?;
            }
            if i + 1 < side && j + 1 < side && unit(&mut state) < 0.03 {
                segment(
                    (i, j),
                    (i + 1, j + 1),
                    3,
                    &mut state,
                    &mut nodes,
                    &mut edges,
                )?;
            }
        }
    }
    nodes.flush()?;
    edges.flush()?;
    eprintln!(
        "{node_count} nodes, {arc_count} directed edges written to {}",
        out.display()
    );
    Ok(())
}

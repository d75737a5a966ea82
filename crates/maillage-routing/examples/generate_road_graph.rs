//! Write a synthetic, road-like directed graph as `nodes.csv` (id,lon,lat) and `edges.csv`
//! (from,to,seconds), the format of `maillage graphe --export`, for benchmarks at any size.
//!
//! A jittered grid of streets 100 m apart around Paris: local streets at 30 km/h (one in five
//! one-way, alternating direction), arterials every 10th line at 50 km/h, expressways every 50th at
//! 90 km/h, 8 % of local street segments missing (dead ends, blocks), a diagonal shortcut now and
//! then. Deterministic for a given size and seed.
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
    let side = (wanted as f64).sqrt().ceil() as i64;
    let proj = LocalProjection::at_latitude(48.85);
    let origin = proj.forward(2.35, 48.85);
    let id = |i: i64, j: i64| i * side + j + 1;
    let mut coords = vec![[0.0f64; 2]; (side * side) as usize];
    let mut nodes =
        BufWriter::with_capacity(1 << 20, std::fs::File::create(out.join("nodes.csv"))?);
    writeln!(nodes, "id,lon,lat")?;
    for i in 0..side {
        for j in 0..side {
            let x = origin[0] + (i - side / 2) as f64 * 100.0 + (unit(&mut state) - 0.5) * 30.0;
            let y = origin[1] + (j - side / 2) as f64 * 100.0 + (unit(&mut state) - 0.5) * 30.0;
            let [lon, lat] = proj.inverse(x, y);
            // Round like OSM (1e-7 degrees) so the CSV carries the exact coordinates.
            let (lon, lat) = ((lon * 1e7).round() / 1e7, (lat * 1e7).round() / 1e7);
            coords[(i * side + j) as usize] = [lon, lat];
            writeln!(nodes, "{},{lon},{lat}", id(i, j))?;
        }
    }
    nodes.flush()?;
    let mut edges =
        BufWriter::with_capacity(1 << 20, std::fs::File::create(out.join("edges.csv"))?);
    writeln!(edges, "from,to,seconds")?;
    let mut count = 0u64;
    let mut segment = |edges: &mut BufWriter<std::fs::File>,
                       a: (i64, i64),
                       b: (i64, i64),
                       line: i64,
                       state: &mut u64|
     -> std::io::Result<()> {
        let (ca, cb) = (
            coords[(a.0 * side + a.1) as usize],
            coords[(b.0 * side + b.1) as usize],
        );
        let (kmh, local) = if line % 50 == 0 {
            (90.0, false)
        } else if line % 10 == 0 {
            (50.0, false)
        } else {
            (30.0, true)
        };
        if local && unit(state) < 0.08 {
            return Ok(());
        }
        let ms = travel_millis(haversine_m(ca[0], ca[1], cb[0], cb[1]), kmh);
        let (forward, backward) = if local && line % 5 == 1 {
            (line % 2 == 0, line % 2 == 1)
        } else {
            (true, true)
        };
        if forward {
            writeln!(edges, "{},{},{}", id(a.0, a.1), id(b.0, b.1), Seconds(ms))?;
            count += 1;
        }
        if backward {
            writeln!(edges, "{},{},{}", id(b.0, b.1), id(a.0, a.1), Seconds(ms))?;
            count += 1;
        }
        Ok(())
    };
    for i in 0..side {
        for j in 0..side {
            if i + 1 < side {
                segment(&mut edges, (i, j), (i + 1, j), j, &mut state)?;
            }
            if j + 1 < side {
                segment(&mut edges, (i, j), (i, j + 1), i, &mut state)?;
            }
            if i + 1 < side && j + 1 < side && unit(&mut state) < 0.03 {
                segment(&mut edges, (i, j), (i + 1, j + 1), 3, &mut state)?;
            }
        }
    }
    edges.flush()?;
    eprintln!(
        "{} nodes, {count} directed edges written to {}",
        side * side,
        out.display()
    );
    Ok(())
}

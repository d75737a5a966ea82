//! The background map's tiles over the demonstration town, drawn from the model (no base): every tile of the
//! town at the zooms a commune needs holds streets, stays small, and is cheap to draw. A benchmark as well: it
//! prints the time and size of the tiles.
//!
//! Measured on the development machine (2 cores, AMD EPYC, debug build with `opt-level = 2` as the workspace's
//! dev profile), 7 December 2026: zoom 13, 6 tiles, at most 1.9 ms and 64 KB a tile; zoom 14, 15 tiles, 1.0 ms
//! and 26 KB; zoom 15, 45 tiles, 0.6 ms and 14 KB; zoom 16, 160 tiles, 0.4 ms and 7 KB. Through the server
//! (reading the features from SQLite, then cached), a first ground tile at zoom 14 took 15 ms, a cached one 2 ms.

use maillage_kit::basemap::{MapLayer, mercator_px};
use maillage_report::basemap::{Part, tile_svg};
use std::time::Instant;

#[test]
fn every_tile_of_the_town_draws_streets_quickly_and_stays_small() {
    let t = maillage_demo::generate(maillage_demo::DEFAULT_SEED);
    assert!(t.basemap.iter().any(|f| f.layer == MapLayer::River));
    assert!(t.basemap.iter().any(|f| f.layer == MapLayer::Railway));
    assert!(
        t.basemap
            .iter()
            .filter(|f| f.layer == MapLayer::Street && f.name.is_some())
            .count()
            > 100
    );
    let (w, n) = (
        maillage_demo::model::at(-4.0, 3.0),
        maillage_demo::model::at(4.0, -3.0),
    );
    for z in 13u8..=16 {
        let (x0, y0) = mercator_px(w.0, w.1, z, 1.0);
        let (x1, y1) = mercator_px(n.0, n.1, z, 1.0);
        let (mut count, mut slowest, mut largest) = (0, 0.0f64, 0usize);
        for x in x0 as u32..=x1 as u32 {
            for y in y0 as u32..=y1 as u32 {
                let started = Instant::now();
                let ground = tile_svg(&t.basemap, (z, x, y), Part::Ground, "tuile");
                let names = tile_svg(&t.basemap, (z, x, y), Part::Names, "tuile");
                slowest = slowest.max(started.elapsed().as_secs_f64() * 1000.0);
                largest = largest.max(ground.len() + names.len());
                assert!(
                    ground.contains("<polyline"),
                    "tile {z}/{x}/{y} draws streets"
                );
                count += 1;
            }
        }
        println!(
            "zoom {z}: {count} tiles, at most {slowest:.1} ms and {} KB a tile",
            largest / 1024
        );
        assert!(largest < 400_000, "zoom {z}: a tile of {largest} bytes");
    }
}

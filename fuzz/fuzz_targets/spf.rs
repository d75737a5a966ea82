//! Santé publique France daily CSVs, streamed.
#![no_main]
use libfuzzer_sys::fuzz_target;
use maillage_formats::spf::SpfReader;

fuzz_target!(|data: &[u8]| {
    maillage_fuzz::with_file("sp-pos-quot-dep.csv", data, |path| {
        if let Ok(reader) = SpfReader::open(path) {
            maillage_fuzz::drain(reader);
        }
    });
});

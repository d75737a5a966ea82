//! FINESS JSON flux of the ANS, element by element.
#![no_main]
use libfuzzer_sys::fuzz_target;
use maillage_formats::finess::json::FluxReader;

fuzz_target!(|data: &[u8]| {
    maillage_fuzz::with_file("finess.json", data, |path| {
        let Ok(mut reader) = FluxReader::open(path) else {
            return;
        };
        for _ in 0..maillage_fuzz::MAX_RECORDS {
            match reader.next_etablissement() {
                Ok(Some(_)) => {}
                _ => break,
            }
        }
    });
});

//! INSEE population by IRIS, CSV.
#![no_main]
use libfuzzer_sys::fuzz_target;
use maillage_formats::insee::IrisPopulationReader;

fuzz_target!(|data: &[u8]| {
    maillage_fuzz::with_file("base-ic-evol-struct-pop-2021.CSV", data, |path| {
        if let Ok(reader) = IrisPopulationReader::open(path) {
            maillage_fuzz::drain(reader);
        }
    });
});

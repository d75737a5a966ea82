//! FINESS `;` extraction (etalab stock file).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    maillage_fuzz::with_file("etalab-cs1100507-stock-20260101-0000.csv", data, |path| {
        let _ = maillage_formats::finess::read_extraction(path);
    });
});

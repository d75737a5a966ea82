//! INSEE population by IRIS, xlsx workbook.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    maillage_fuzz::with_file("base-ic-evol-struct-pop-2021.xlsx", data, |path| {
        let _ = maillage_formats::insee::read_iris_population_xlsx(path);
    });
});

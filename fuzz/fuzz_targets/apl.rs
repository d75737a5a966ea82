//! DREES APL workbook (xlsx).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    maillage_fuzz::with_file("Indicateur_APL.xlsx", data, |path| {
        let _ = maillage_formats::apl::read_apl_workbook(path);
    });
});

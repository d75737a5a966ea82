//! The commune's yearly activity of professionals (CSV).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    maillage_fuzz::with_file("activite.csv", data, |path| {
        let _ = maillage_formats::activity::read_activity(path);
    });
});

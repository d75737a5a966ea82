//! `@etalab/decoupage-administratif` communes or EPCI JSON (first byte chooses).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((name, file)) = maillage_fuzz::split_choice(data, &["communes.json", "epci.json"])
    else {
        return;
    };
    maillage_fuzz::with_file(name, file, |path| {
        if name == "communes.json" {
            let _ = maillage_formats::communes::read_communes(path);
        } else {
            let _ = maillage_formats::communes::read_epci(path);
        }
    });
});

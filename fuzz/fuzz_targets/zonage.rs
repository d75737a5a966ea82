//! Zonage médecins: CartoSanté export or ARS file, CSV or xlsx (first byte chooses), columns found by name.
#![no_main]
use libfuzzer_sys::fuzz_target;
use maillage_formats::zonage::{ZonageColumns, read_zonage};

fuzz_target!(|data: &[u8]| {
    let Some((name, file)) = maillage_fuzz::split_choice(data, &["zonage.csv", "zonage.xlsx"])
    else {
        return;
    };
    let columns = ZonageColumns::default();
    maillage_fuzz::with_file(name, file, |path| {
        let _ = read_zonage(path, &columns, Some("2024-01-01"));
    });
});

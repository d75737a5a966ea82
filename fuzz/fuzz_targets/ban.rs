//! BAN `adresses-<dept>.csv` (streamed) or BANO (first byte chooses).
#![no_main]
use libfuzzer_sys::fuzz_target;
use maillage_formats::ban::BanReader;

fuzz_target!(|data: &[u8]| {
    let Some((name, file)) = maillage_fuzz::split_choice(data, &["adresses-69.csv", "bano-69.csv"])
    else {
        return;
    };
    maillage_fuzz::with_file(name, file, |path| {
        if name == "adresses-69.csv" {
            if let Ok(reader) = BanReader::open(path) {
                maillage_fuzz::drain(reader);
            }
        } else {
            let _ = maillage_formats::ban::read_bano(path);
        }
    });
});

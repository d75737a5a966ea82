//! Annuaire santé activity file (text, `.gz`/`.xz`, or the ANS zip bundle), through `AnnuaireInput`.
#![no_main]
use libfuzzer_sys::fuzz_target;
use maillage_formats::annuaire::AnnuaireInput;

fuzz_target!(|data: &[u8]| {
    maillage_fuzz::with_file("PS_LibreAcces_Personne_activite.txt", data, |path| {
        let Ok(mut input) = AnnuaireInput::open(path) else {
            return;
        };
        if let Ok(reader) = input.reader() {
            maillage_fuzz::drain(reader);
        }
    });
});

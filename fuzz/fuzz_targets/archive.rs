//! Archives: what a file looks like (`sniff`), then a zip or 7z opened, each member streamed and extracted
//! under the decompressed-size limit.
#![no_main]
use libfuzzer_sys::fuzz_target;
use maillage_formats::archive::Archive;
use std::io::Read;

fuzz_target!(|data: &[u8]| {
    let _ = maillage_formats::sniff::detect(data);
    maillage_fuzz::with_file("archive.bin", data, |path| {
        let _ = maillage_formats::sniff::detect_file(path);
        let Ok(archive) = Archive::open(path) else {
            return;
        };
        let archive = archive.with_expanded_limit(1 << 20);
        let members: Vec<_> = archive.members().iter().take(8).cloned().collect();
        for member in &members {
            if let Ok(mut input) = archive.open_member(member) {
                let _ = std::io::copy(&mut input.by_ref().take(2 << 20), &mut std::io::sink());
            }
        }
        let refs: Vec<_> = members.iter().collect();
        let _ = archive.extract(&refs);
    });
});

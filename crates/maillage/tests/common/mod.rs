//! Running the `maillage` binary from the command-line tests, as a user runs it. Shared by the test files
//! through `mod common;`; each file uses only some of these helpers, hence the `dead_code` allowance.
#![allow(dead_code)]

use std::io::Read;
use std::path::Path;
use std::process::{Command, Output};

/// `maillage <args> --base <base>` (the base given last, as a user adds it at the end of a line).
pub fn maillage(base: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_maillage"))
        .args(args)
        .args(["--base", base])
        .output()
        .expect("the binary runs")
}

/// [`maillage`] that must succeed; its standard output.
pub fn ok(base: &str, args: &[&str]) -> String {
    succeeded(args, maillage(base, args))
}

/// [`ok`] printing one JSON document.
pub fn json(base: &str, args: &[&str]) -> serde_json::Value {
    serde_json::from_str(ok(base, args).trim()).expect("one JSON document")
}

/// `maillage <args>` exactly as written (the base, if any, among them) and without `MAILLAGE_BASE` from the
/// environment, so that only the line decides which base is used.
pub fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_maillage"))
        .args(args)
        .env_remove("MAILLAGE_BASE")
        .output()
        .expect("the binary runs")
}

/// [`run`] that must succeed; its standard output.
pub fn run_ok(args: &[&str]) -> String {
    succeeded(args, run(args))
}

/// [`run_ok`] printing one JSON document.
pub fn run_json(args: &[&str]) -> serde_json::Value {
    serde_json::from_str(run_ok(args).trim()).expect("one JSON document")
}

/// The standard output of a run that must have succeeded (else the test fails showing its error).
fn succeeded(args: &[&str], out: Output) -> String {
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The whole store as a backup body (`maillage sauvegarde` into `dir`), without its header line (which
/// carries the date): equal before and after, nothing in the store changed.
pub fn snapshot(base: &str, dir: &Path) -> String {
    let file = dir.join(format!(
        "s{}.gz",
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    ));
    ok(base, &["sauvegarde", file.to_str().unwrap()]);
    let mut text = String::new();
    flate2::read::GzDecoder::new(std::fs::File::open(&file).unwrap())
        .read_to_string(&mut text)
        .unwrap();
    text.split_once('\n').unwrap().1.to_string()
}

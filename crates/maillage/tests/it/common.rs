//! Running the `maillage` binary from the command-line tests, as a user runs it. Shared by the test modules
//! of this binary (`crate::common`).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

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
    let file = maillage_testkit::fresh_backup_path(dir, "s");
    ok(base, &["sauvegarde", file.to_str().unwrap()]);
    maillage_testkit::backup_body(&file)
}

/// A copy of the demonstration base (`maillage demo --sans-serveur`) in `dir`; its location. The
/// demonstration is built once per test process, then copied, so each test changes only its own copy.
pub fn demo_base(dir: &Path) -> String {
    static BUILT: OnceLock<PathBuf> = OnceLock::new();
    let built = BUILT.get_or_init(build_demo);
    // The base is its file, its write-ahead log and its audit key (`demo.sqlite*`); SQLite rebuilds the
    // shared-memory index from the log.
    for entry in std::fs::read_dir(built).expect("the demonstration's folder") {
        let entry = entry.expect("a file of the demonstration");
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with(DEMO_FILE) && !name.ends_with("-shm") {
            std::fs::copy(entry.path(), dir.join(&name)).expect("copy of the demonstration base");
        }
    }
    dir.join(DEMO_FILE)
        .to_str()
        .expect("a UTF-8 path")
        .to_string()
}

/// The demonstration base's file name; the files that belong to it are named after it.
const DEMO_FILE: &str = "demo.sqlite";

/// Builds the demonstration into `<target>/tmp/demo-<pid>/` (the folder returned), after removing the folders
/// of processes that ended (a static is never dropped, so a process cannot remove its own).
fn build_demo() -> PathBuf {
    let root = Path::new(env!("CARGO_TARGET_TMPDIR"));
    for entry in std::fs::read_dir(root).into_iter().flatten().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if let Some(pid) = name.strip_prefix("demo-")
            && !Path::new("/proc").join(pid).exists()
        {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
    let dir = root.join(format!("demo-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("the demonstration's folder");
    let base = dir.join(DEMO_FILE);
    run_ok(&[
        "demo",
        "--base",
        base.to_str().expect("a UTF-8 path"),
        "--sans-serveur",
    ]);
    dir
}

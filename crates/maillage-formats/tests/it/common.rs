//! Helpers of the readers' tests: the hand-written fixtures, the real files when present, temporary files.

use std::path::PathBuf;

pub use maillage_testkit::format_fixture as fixture;
pub use maillage_testkit::shared_data as shared;

/// Writes `bytes` to a fresh temporary directory under `name`.
pub fn temp_file(name: &str, bytes: &[u8]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).expect("write temp file");
    (dir, path)
}

pub fn assert_close(a: f64, b: f64, tol: f64, what: &str) {
    assert!((a - b).abs() <= tol, "{what}: {a} vs {b} (tolerance {tol})");
}

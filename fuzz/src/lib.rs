//! What every target shares: the bytes written to a file of the name a reader expects (the public API takes
//! paths), in one temporary directory per fuzzing process, and a cap on records read, so that one input is
//! one quick run whatever the reader yields.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// Records read from one input at most: enough to reach every state of a reader, few enough to stay fast.
pub const MAX_RECORDS: usize = 10_000;

/// Writes `data` to a file named `name` and hands its path to `read`.
pub fn with_file<T>(name: &str, data: &[u8], read: impl FnOnce(&Path) -> T) -> T {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    let dir = DIR.get_or_init(|| tempfile::tempdir().expect("a temporary directory"));
    let path: PathBuf = dir.path().join(name);
    std::fs::write(&path, data).expect("the input written");
    read(&path)
}

/// Drains a reader's records (each `Ok` or a located error), stopping at the first error as importers do.
pub fn drain<T, E>(records: impl Iterator<Item = Result<T, E>>) {
    for r in records.take(MAX_RECORDS) {
        if r.is_err() {
            break;
        }
    }
}

/// The first byte chooses among `names` (a reader told by extension), the rest is the file.
pub fn split_choice<'a>(
    data: &'a [u8],
    names: &[&'static str],
) -> Option<(&'static str, &'a [u8])> {
    let (&first, rest) = data.split_first()?;
    Some((names[usize::from(first) % names.len()], rest))
}

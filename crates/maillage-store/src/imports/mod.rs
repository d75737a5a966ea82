//! Importers: one per official file, each reading records from `maillage-formats` and writing them through
//! [`ImportSession`](crate::session::ImportSession): atomic, idempotent, filtered by territory while streaming.
//! Each kind of file is one [`SourceKind`], imported by one [`Import`] (the one dispatch of the command line and
//! the import page).

pub mod activity;
pub mod annuaire;
pub mod apl;
pub mod ban;
pub mod communes;
pub mod contours;
pub mod finess;
mod geopackage;
pub mod insee;
mod source;
pub mod zonage;

pub use source::{Import, SourceKind};

/// Receives progress while a file streams in. The command line draws a bar with it.
pub trait Progress: Sync {
    /// Rows read so far, and bytes of the file consumed when the reader knows them.
    fn rows(&self, _rows: u64, _bytes: Option<u64>) {}
}

/// No progress to show.
pub struct Silent;
impl Progress for Silent {}

/// How often progress is reported.
pub(crate) const PROGRESS_EVERY: u64 = 10_000;

/// A vintage written in a file name as `_YYYYMMDD` (or `_YYYYMMDDhhmm`), as ISO date.
pub fn date_in_file_name(path: &std::path::Path) -> Option<String> {
    let name = path.file_stem()?.to_string_lossy().into_owned();
    name.split(['_', '-', '.']).find_map(|part| {
        let digits = part.len() >= 8 && part.bytes().all(|b| b.is_ascii_digit());
        (digits && part.starts_with("20"))
            .then(|| format!("{}-{}-{}", &part[0..4], &part[4..6], &part[6..8]))
    })
}

//! The epidemic series of the crisis demonstration: 150 days of tests and positives for the town (two waves over
//! a low baseline, fewer tests at week-ends), written as a Santé publique France file and read by the real
//! importer, so that the demonstration goes through the same path as real data.

use super::CrisisSummary;
use crate::context::Context;
use crate::model::COMMUNE_CODE;
use jiff::ToSpan;
use maillage_store::crisis as cs;
use maillage_store::{Store, StoreError};
use std::io::Write;

/// The days of the series, up to yesterday.
const DAYS: usize = 150;

/// Writes the series to a file of its own and imports it.
pub(super) async fn write(store: &Store, c: &mut Context<CrisisSummary>) -> Result<(), cs::Error> {
    let text = series(c);
    // A folder of its own: several demonstrations may be built at once (tests).
    static BUILDS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = BUILDS.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let dir = std::env::temp_dir().join(format!(
        "maillage-demo-spf-{}-{n}-{}",
        std::process::id(),
        c.now.as_nanosecond()
    ));
    std::fs::create_dir_all(&dir).map_err(|e| StoreError::Io {
        path: dir.display().to_string(),
        reason: e.to_string(),
    })?;
    let path = dir.join("sp-pos-quot-com-demonstration-fictive.csv");
    let written = std::fs::File::create(&path).and_then(|mut f| f.write_all(text.as_bytes()));
    written.map_err(|e| StoreError::Io {
        path: path.display().to_string(),
        reason: e.to_string(),
    })?;
    let imported = cs::epidemic::import_spf(store, &path, None).await;
    let _ = std::fs::remove_dir_all(&dir);
    imported?;
    c.summary.epidemic_days = DAYS;
    Ok(())
}

/// The series as a Santé publique France file (`sp-pos-quot-com`).
fn series(c: &mut Context<CrisisSummary>) -> String {
    let population = 60_400.0;
    let mut text = String::from("com;jour;P;T;cl_age90;pop\n");
    for d in 0..DAYS {
        let day = c.today.saturating_sub(((DAYS - d) as i64).days());
        // Two waves over a low baseline; fewer tests at week-ends.
        let t = d as f64;
        let wave = 14.0 * (-(t - 45.0).powi(2) / 300.0).exp()
            + 24.0 * (-(t - 125.0).powi(2) / 260.0).exp()
            + 1.0;
        let weekend = matches!(
            day.weekday(),
            jiff::civil::Weekday::Saturday | jiff::civil::Weekday::Sunday
        );
        let tests = ((if weekend { 120.0 } else { 260.0 }) + wave * 9.0 + c.rng.range(-20.0, 20.0))
            .round()
            .max(0.0);
        let positives = (wave * c.rng.range(0.7, 1.3) * if weekend { 0.6 } else { 1.0 })
            .round()
            .max(0.0)
            .min(tests);
        text.push_str(&format!(
            "{COMMUNE_CODE};{day};{positives};{tests};0;{population}\n"
        ));
    }
    text
}

//! Throughput of the Annuaire reader against a plain `csv` read-and-split of the same file
//! (`bench/import/README.md`). Run each mode in its own process to measure its peak memory:
//!
//! `bench_annuaire <file> csv` — `csv::Reader` with `|`, no quoting, `ByteRecord` reuse, fields counted;
//! `bench_annuaire <file> records` — `AnnuaireReader`: header, field count, UTF-8 checks, and an owned
//! `Activite` (52 fields) for every row;
//! `bench_annuaire <file> filter` — the same with the raw pre-filter keeping département 69 only;
//! `bench_annuaire <file> raw` — validated rows (header, field count, UTF-8) without building records.

use std::time::Instant;

use maillage_formats::annuaire::AnnuaireReader;

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args
        .next()
        .expect("usage: bench_annuaire <file> <csv|records|filter>");
    let mode = args.next().unwrap_or_else(|| "records".into());
    let bytes = std::fs::metadata(&path).expect("file").len();
    let start = Instant::now();
    let (rows, kept) = match mode.as_str() {
        "csv" => {
            let mut rdr = csv::ReaderBuilder::new()
                .delimiter(b'|')
                .quoting(false)
                .has_headers(true)
                .flexible(true)
                .from_path(&path)
                .expect("open");
            let mut rec = csv::ByteRecord::new();
            let (mut rows, mut fields) = (0u64, 0u64);
            while rdr.read_byte_record(&mut rec).expect("read") {
                rows += 1;
                fields += rec.len() as u64;
            }
            (rows, fields / 53)
        }
        "records" => {
            let mut rows = 0u64;
            let mut doctors = 0u64;
            for a in AnnuaireReader::open(&path).expect("open") {
                let a = a.expect("valid row");
                rows += 1;
                doctors += (a.profession_code.as_deref() == Some("10")) as u64;
            }
            (rows, doctors)
        }
        "filter" => {
            let mut seen = 0u64;
            let mut kept = 0u64;
            let rows = AnnuaireReader::open(&path).expect("open").filtered(|raw| {
                seen += 1;
                raw.departement_code() == "69"
            });
            for a in rows {
                a.expect("valid row");
                kept += 1;
            }
            (seen, kept)
        }
        "raw" => {
            let mut r = AnnuaireReader::open(&path).expect("open");
            let mut rows = 0u64;
            while let Some(raw) = r.next_raw() {
                raw.expect("valid row");
                rows += 1;
            }
            (rows, rows)
        }
        other => panic!("unknown mode {other}"),
    };
    let secs = start.elapsed().as_secs_f64();
    println!(
        "mode={mode} rows={rows} kept={kept} seconds={secs:.2} rows_per_s={:.0} MB_per_s={:.0}",
        rows as f64 / secs,
        bytes as f64 / 1e6 / secs
    );
}

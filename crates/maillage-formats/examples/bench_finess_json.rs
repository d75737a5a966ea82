//! Reads a FINESS JSON flux (`.json` or `.json.gz`) for `bench/finess`: `stream` walks it with `FluxReader`
//! (one `pmej` element in memory at a time, coordinates read by their values), `value` parses the whole
//! document into a `serde_json::Value` (the naive way). Usage: `bench_finess_json <stream|value> <file>`.

use flate2::read::MultiGzDecoder;
use maillage_formats::finess::json::FluxReader;
use std::collections::BTreeMap;
use std::io::{BufReader, Read};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (mode, path) = (args.get(1).expect("mode"), args.get(2).expect("file"));
    match mode.as_str() {
        "stream" => {
            let mut r = FluxReader::open(path).unwrap_or_else(|e| panic!("{e}"));
            let mut cases: BTreeMap<&str, u64> = BTreeMap::new();
            let mut n = 0u64;
            while let Some(e) = r.next_etablissement().unwrap_or_else(|e| panic!("{e}")) {
                n += 1;
                *cases.entry(e.coordinates.key()).or_default() += 1;
            }
            println!("{n} établissements ; {cases:?}");
        }
        "value" => {
            let file = BufReader::new(std::fs::File::open(path).expect("open"));
            let input: Box<dyn Read> = if path.ends_with(".gz") {
                Box::new(BufReader::new(MultiGzDecoder::new(file)))
            } else {
                Box::new(file)
            };
            let v: serde_json::Value = serde_json::from_reader(input).expect("JSON");
            let n: usize = v["pmej"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .map(|p| p["ege"].as_array().map_or(0, Vec::len))
                        .sum()
                })
                .unwrap_or(0);
            println!("{n} établissements");
        }
        other => panic!("mode inconnu : {other}"),
    }
}

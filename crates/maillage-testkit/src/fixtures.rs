//! Building fixtures in the layouts publishers ship, at test time, from the hand-written fixtures of
//! `crates/maillage-formats/tests/fixtures` (which say they are fixtures, not real data).

use std::io::Write;

/// Where an output column of [`relayout`] takes its values.
#[derive(Debug, Clone, Copy)]
pub enum From<'a> {
    /// The source column of that header name.
    Column(&'a str),
    /// The same value on every row.
    Value(&'a str),
}

/// Rewrites a `|`-separated file whose lines end with `|` (header, then rows) into another layout: each
/// output column is `(header name, where its values come from)`. Lines still end with `|`.
pub fn relayout(text: &str, columns: &[(&str, From<'_>)]) -> String {
    let mut lines = text.lines().filter(|l| !l.is_empty());
    let header: Vec<&str> = lines.next().expect("a header").split('|').collect();
    let source = |name: &str| {
        header
            .iter()
            .position(|h| *h == name)
            .unwrap_or_else(|| panic!("no column {name:?} in the source fixture"))
    };
    let picks: Vec<_> = columns
        .iter()
        .map(|(_, from)| match from {
            From::Column(name) => Ok(source(name)),
            From::Value(v) => Err(*v),
        })
        .collect();
    let mut out = String::new();
    let names: Vec<&str> = columns.iter().map(|(n, _)| *n).collect();
    out.push_str(&names.join("|"));
    out.push_str("|\n");
    for line in lines {
        let fields: Vec<&str> = line.split('|').collect();
        let row: Vec<&str> = picks
            .iter()
            .map(|p| match p {
                Ok(i) => fields[*i],
                Err(v) => v,
            })
            .collect();
        out.push_str(&row.join("|"));
        out.push_str("|\n");
    }
    out
}

/// A zip archive (deflated) holding `members` in order.
pub fn zip(members: &[(&str, &[u8])]) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in members {
        writer.start_file(*name, options).expect("zip member");
        writer.write_all(bytes).expect("zip write");
    }
    writer.finish().expect("zip finish").into_inner()
}

//! A minimal OSM PBF writer for test fixtures: plain (not dense) nodes and ways, uncompressed blobs.
//! Used by the routing tests and the command-line tests, so fixtures need no external tool.

/// A node: id, lon, lat.
pub type Node = (i64, f64, f64);

/// A way: id, node refs, tags.
pub struct Way {
    pub id: i64,
    pub refs: Vec<i64>,
    pub tags: Vec<(&'static str, &'static str)>,
}

pub fn way(id: i64, refs: &[i64], tags: &[(&'static str, &'static str)]) -> Way {
    Way {
        id,
        refs: refs.to_vec(),
        tags: tags.to_vec(),
    }
}

fn varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn zigzag(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

fn key(out: &mut Vec<u8>, field: u32, wire: u32) {
    varint(out, u64::from(field << 3 | wire));
}

fn bytes_field(out: &mut Vec<u8>, field: u32, bytes: &[u8]) {
    key(out, field, 2);
    varint(out, bytes.len() as u64);
    out.extend_from_slice(bytes);
}

fn varint_field(out: &mut Vec<u8>, field: u32, v: u64) {
    key(out, field, 0);
    varint(out, v);
}

fn packed(values: impl IntoIterator<Item = u64>) -> Vec<u8> {
    let mut out = Vec::new();
    for v in values {
        varint(&mut out, v);
    }
    out
}

/// Strings of a block: index 0 is the empty string, as the format requires.
struct StringTable(Vec<String>);

impl StringTable {
    fn index(&mut self, s: &str) -> u64 {
        if let Some(k) = self.0.iter().position(|x| x == s) {
            return k as u64;
        }
        self.0.push(s.to_string());
        (self.0.len() - 1) as u64
    }
}

fn primitive_block(nodes: &[Node], ways: &[Way]) -> Vec<u8> {
    let mut strings = StringTable(vec![String::new()]);
    let mut group = Vec::new();
    for &(id, lon, lat) in nodes {
        let mut n = Vec::new();
        key(&mut n, 1, 0);
        varint(&mut n, zigzag(id));
        key(&mut n, 8, 0);
        varint(&mut n, zigzag((lat * 1e7).round() as i64));
        key(&mut n, 9, 0);
        varint(&mut n, zigzag((lon * 1e7).round() as i64));
        bytes_field(&mut group, 1, &n);
    }
    for w in ways {
        let mut m = Vec::new();
        varint_field(&mut m, 1, w.id as u64);
        let keys: Vec<u64> = w.tags.iter().map(|(k, _)| strings.index(k)).collect();
        let vals: Vec<u64> = w.tags.iter().map(|(_, v)| strings.index(v)).collect();
        bytes_field(&mut m, 2, &packed(keys));
        bytes_field(&mut m, 3, &packed(vals));
        let mut last = 0i64;
        let deltas: Vec<u64> = w
            .refs
            .iter()
            .map(|&r| {
                let d = r - last;
                last = r;
                zigzag(d)
            })
            .collect();
        bytes_field(&mut m, 8, &packed(deltas));
        bytes_field(&mut group, 3, &m);
    }
    let mut table = Vec::new();
    for s in &strings.0 {
        bytes_field(&mut table, 1, s.as_bytes());
    }
    let mut block = Vec::new();
    bytes_field(&mut block, 1, &table);
    bytes_field(&mut block, 2, &group);
    block
}

fn blob(out: &mut Vec<u8>, kind: &str, content: &[u8]) {
    let mut blob = Vec::new();
    // raw_size before the data, as osmium and osmosis write it.
    varint_field(&mut blob, 2, content.len() as u64);
    bytes_field(&mut blob, 1, content);
    let mut header = Vec::new();
    bytes_field(&mut header, 1, kind.as_bytes());
    varint_field(&mut header, 3, blob.len() as u64);
    out.extend_from_slice(&(header.len() as u32).to_be_bytes());
    out.extend_from_slice(&header);
    out.extend_from_slice(&blob);
}

/// A PBF file: a header block, then one data block per (nodes, ways) pair, in the given order.
pub fn pbf(blocks: &[(&[Node], &[Way])]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut header = Vec::new();
    bytes_field(&mut header, 4, b"OsmSchema-V0.6");
    blob(&mut out, "OSMHeader", &header);
    for (nodes, ways) in blocks {
        blob(&mut out, "OSMData", &primitive_block(nodes, ways));
    }
    out
}

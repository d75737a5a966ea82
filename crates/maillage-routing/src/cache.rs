//! On-disk cache of a built graph, so that a large extract is parsed once.
//!
//! Layout (all integers little-endian):
//!
//! | bytes | content |
//! |---|---|
//! | 8 | magic `MAILGRPH` |
//! | 4 | format version (u32) |
//! | 1 | profile code (0 none, 1 car, 2 walk) |
//! | 3 | reserved, zero |
//! | 8 + 8 | node count n, arc count m (u64) |
//! | 5 × 8 | build counts ([`BuildInfo`]) |
//! | 8n, 8n, 8n | ids (i64), lon (f64), lat (f64) |
//! | 4(n+1) | CSR offsets (u32) |
//! | 4m, 4m | arc heads, arc milliseconds (u32) |
//! | 4 | CRC-32 of every byte before it |
//!
//! A file whose magic, version, size, checksum or arrays do not check out is rejected with an
//! error; nothing in it is trusted before the checksum has been verified.

use crate::error::{CacheProblem, Result, RoutingError, io_error};
use crate::graph::{Arc, BuildInfo, Graph};
use crate::profile::Profile;
use std::io::{BufWriter, Read, Write};
use std::path::Path;
use std::sync::OnceLock;

pub const CACHE_MAGIC: &[u8; 8] = b"MAILGRPH";
pub const CACHE_VERSION: u32 = 1;
const HEADER_LEN: usize = 8 + 4 + 4 + 16 + 40;

/// Whether the file starts with the cache magic number (a PBF never does).
pub fn is_cache_file(path: &Path) -> Result<bool> {
    let mut f = std::fs::File::open(path).map_err(|e| io_error(path, &e))?;
    let mut magic = [0u8; 8];
    let mut read = 0;
    while read < 8 {
        match f.read(&mut magic[read..]) {
            Ok(0) => return Ok(false),
            Ok(k) => read += k,
            Err(e) => return Err(io_error(path, &e)),
        }
    }
    Ok(&magic == CACHE_MAGIC)
}

/// Writes bytes and keeps the running checksum.
struct Checked<W: Write> {
    inner: W,
    crc: crc32fast::Hasher,
}

impl<W: Write> Checked<W> {
    fn put(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.crc.update(bytes);
        self.inner.write_all(bytes)
    }
}

impl Graph {
    /// Save the graph to a cache file (written to a temporary name, then renamed).
    pub fn save_cache(&self, path: &Path) -> Result<()> {
        let tmp = path.with_extension("tmp-maillage");
        let file = std::fs::File::create(&tmp).map_err(|e| io_error(path, &e))?;
        let mut w = Checked {
            inner: BufWriter::with_capacity(1 << 20, file),
            crc: crc32fast::Hasher::new(),
        };
        self.write_cache(&mut w).map_err(|e| io_error(path, &e))?;
        let crc = w.crc.finalize();
        w.inner
            .write_all(&crc.to_le_bytes())
            .map_err(|e| io_error(path, &e))?;
        w.inner
            .into_inner()
            .map_err(|e| io_error(path, e.error()))?
            .sync_all()
            .map_err(|e| io_error(path, &e))?;
        std::fs::rename(&tmp, path).map_err(|e| io_error(path, &e))
    }

    fn write_cache<W: Write>(&self, w: &mut Checked<W>) -> std::io::Result<()> {
        w.put(CACHE_MAGIC)?;
        w.put(&CACHE_VERSION.to_le_bytes())?;
        w.put(&[self.profile.map_or(0, Profile::code), 0, 0, 0])?;
        w.put(&(self.node_count() as u64).to_le_bytes())?;
        w.put(&(self.arc_count() as u64).to_le_bytes())?;
        let i = &self.info;
        for v in [
            i.ways,
            i.input_nodes,
            i.input_arcs,
            i.dropped_nodes,
            i.missing_node_refs,
        ] {
            w.put(&v.to_le_bytes())?;
        }
        // Arrays go through a buffer of a few thousand values at a time.
        fn put_all<W: Write, T: Copy, const N: usize>(
            w: &mut Checked<W>,
            values: impl Iterator<Item = T>,
            bytes: impl Fn(T) -> [u8; N],
        ) -> std::io::Result<()> {
            let mut buf = Vec::with_capacity(N * 8192);
            for v in values {
                buf.extend_from_slice(&bytes(v));
                if buf.len() >= N * 8192 {
                    w.put(&buf)?;
                    buf.clear();
                }
            }
            w.put(&buf)
        }
        put_all(w, self.ids.iter().copied(), i64::to_le_bytes)?;
        put_all(w, self.coords.iter().map(|c| c[0]), f64::to_le_bytes)?;
        put_all(w, self.coords.iter().map(|c| c[1]), f64::to_le_bytes)?;
        put_all(w, self.first_out.iter().copied(), u32::to_le_bytes)?;
        put_all(w, self.arcs.iter().map(|a| a.head), u32::to_le_bytes)?;
        put_all(w, self.arcs.iter().map(|a| a.millis), u32::to_le_bytes)
    }

    /// Load a graph saved by [`Graph::save_cache`].
    pub fn load_cache(path: &Path) -> Result<Graph> {
        let bytes = std::fs::read(path).map_err(|e| io_error(path, &e))?;
        parse(&bytes).map_err(|problem| match problem {
            Problem::NotACache => RoutingError::NotACache {
                path: path.to_path_buf(),
            },
            Problem::Version(found) => RoutingError::CacheVersion {
                path: path.to_path_buf(),
                found,
                expected: CACHE_VERSION,
            },
            Problem::Corrupt(problem) => RoutingError::CorruptCache {
                path: path.to_path_buf(),
                problem,
            },
        })
    }
}

enum Problem {
    NotACache,
    Version(u32),
    Corrupt(CacheProblem),
}

impl From<CacheProblem> for Problem {
    fn from(p: CacheProblem) -> Self {
        Problem::Corrupt(p)
    }
}

/// Reads little-endian values from a byte slice, failing on a short read.
struct Cursor<'a> {
    bytes: &'a [u8],
}

impl<'a> Cursor<'a> {
    fn take(&mut self, len: usize) -> Result<&'a [u8], CacheProblem> {
        if len > self.bytes.len() {
            return Err(CacheProblem::Truncated);
        }
        let (head, rest) = self.bytes.split_at(len);
        self.bytes = rest;
        Ok(head)
    }
    fn u64(&mut self) -> Result<u64, CacheProblem> {
        Ok(u64::from_le_bytes(
            self.take(8)?.try_into().expect("8 bytes"),
        ))
    }
    fn array<T, const N: usize>(
        &mut self,
        count: usize,
        f: impl Fn([u8; N]) -> T,
    ) -> Result<Vec<T>, CacheProblem> {
        let bytes = self.take(count.checked_mul(N).ok_or(CacheProblem::Truncated)?)?;
        Ok(bytes
            .chunks_exact(N)
            .map(|c| f(c.try_into().expect("chunk of N bytes")))
            .collect())
    }
}

fn parse(bytes: &[u8]) -> Result<Graph, Problem> {
    if bytes.len() < 8 || &bytes[..8] != CACHE_MAGIC {
        return Err(Problem::NotACache);
    }
    if bytes.len() < 12 {
        return Err(CacheProblem::Truncated.into());
    }
    let version = u32::from_le_bytes(bytes[8..12].try_into().expect("4 bytes"));
    if version != CACHE_VERSION {
        return Err(Problem::Version(version));
    }
    if bytes.len() < HEADER_LEN + 4 {
        return Err(CacheProblem::Truncated.into());
    }
    let (body, stored) = bytes.split_at(bytes.len() - 4);
    let stored = u32::from_le_bytes(stored.try_into().expect("4 bytes"));
    let mut c = Cursor { bytes: &body[12..] };
    let flags = c.take(4)?;
    let n = c.u64()?;
    let m = c.u64()?;
    // Announced sizes must fit the file before anything is allocated.
    let expected = (HEADER_LEN as u128) + 24 * n as u128 + 4 * (n as u128 + 1) + 8 * m as u128;
    if expected != body.len() as u128 {
        return Err(CacheProblem::Truncated.into());
    }
    if crc32fast::hash(body) != stored {
        return Err(CacheProblem::Checksum.into());
    }
    let profile = match flags[0] {
        0 => None,
        code => Some(Profile::from_code(code).ok_or(CacheProblem::UnknownProfile(code))?),
    };
    let (n, m) = (n as usize, m as usize);
    if n > u32::MAX as usize - 1 || m > u32::MAX as usize {
        return Err(CacheProblem::Inconsistent("sizes").into());
    }
    let info = BuildInfo {
        ways: c.u64()?,
        input_nodes: c.u64()?,
        input_arcs: c.u64()?,
        dropped_nodes: c.u64()?,
        missing_node_refs: c.u64()?,
    };
    let ids = c.array(n, i64::from_le_bytes)?;
    let lon = c.array(n, f64::from_le_bytes)?;
    let lat = c.array(n, f64::from_le_bytes)?;
    let first_out = c.array(n + 1, u32::from_le_bytes)?;
    let heads = c.array(m, u32::from_le_bytes)?;
    let millis = c.array(m, u32::from_le_bytes)?;
    if first_out[0] != 0 || first_out[n] as usize != m || first_out.windows(2).any(|w| w[0] > w[1])
    {
        return Err(CacheProblem::Inconsistent("offsets").into());
    }
    if heads.iter().any(|&h| h as usize >= n) {
        return Err(CacheProblem::Inconsistent("arc heads").into());
    }
    let coords: Vec<[f64; 2]> = lon.into_iter().zip(lat).map(|(x, y)| [x, y]).collect();
    for (k, c) in coords.iter().enumerate() {
        if crate::graph::check_coordinates(ids[k], c[0], c[1]).is_err() {
            return Err(CacheProblem::Inconsistent("coordinates").into());
        }
    }
    Ok(Graph {
        profile,
        ids,
        coords,
        first_out,
        arcs: heads
            .into_iter()
            .zip(millis)
            .map(|(head, millis)| Arc { head, millis })
            .collect(),
        info,
        snapper: OnceLock::new(),
        id_index: OnceLock::new(),
        core: OnceLock::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Graph {
        let nodes = [(10, 7.0, 43.0), (-20, 7.001, 43.0005), (30, 7.002, 43.001)];
        let edges = [
            (10, -20, 1234),
            (-20, 10, 1300),
            (-20, 30, 7),
            (30, 10, 99_999),
        ];
        Graph::from_parts(&nodes, &edges).unwrap()
    }

    #[test]
    fn round_trip_is_identical() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("g.graphe");
        let g = sample();
        g.save_cache(&path).unwrap();
        assert!(is_cache_file(&path).unwrap());
        let h = Graph::load_cache(&path).unwrap();
        assert_eq!(g.ids, h.ids);
        assert_eq!(g.coords, h.coords);
        assert_eq!(g.first_out, h.first_out);
        assert_eq!(g.arcs, h.arcs);
        assert_eq!(g.info, h.info);
        assert_eq!(h.profile(), None);
    }

    #[test]
    fn damaged_caches_are_errors() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("g.graphe");
        sample().save_cache(&path).unwrap();
        let good = std::fs::read(&path).unwrap();
        let load = |bytes: &[u8]| {
            std::fs::write(&path, bytes).unwrap();
            Graph::load_cache(&path).unwrap_err()
        };
        // Every truncation is detected.
        for len in [0, 5, 8, 11, 12, 40, good.len() / 2, good.len() - 1] {
            let e = load(&good[..len]);
            assert!(
                matches!(
                    e,
                    RoutingError::NotACache { .. } | RoutingError::CorruptCache { .. }
                ),
                "len {len}: {e:?}"
            );
        }
        // Every flipped byte after the magic is detected (version, sizes, checksum or content).
        for k in 8..good.len() {
            let mut bad = good.clone();
            bad[k] ^= 0x40;
            let e = load(&bad);
            assert!(
                matches!(
                    e,
                    RoutingError::CacheVersion { .. } | RoutingError::CorruptCache { .. }
                ),
                "byte {k}: {e:?}"
            );
        }
        let mut other = good.clone();
        other[8] = 9;
        assert!(matches!(
            load(&other),
            RoutingError::CacheVersion {
                found: 9,
                expected: 1,
                ..
            }
        ));
        assert!(matches!(
            load(b"not a cache at all"),
            RoutingError::NotACache { .. }
        ));
        assert!(!is_cache_file(&dir.path().join("g.graphe")).unwrap());
    }
}

//! Reading an OpenStreetMap `.osm.pbf` extract into a routable graph.
//!
//! Two passes over the file, each decoding blobs in parallel: the first keeps the ways the profile
//! may use (and so learns which nodes matter), the second reads only those nodes' positions. Nothing
//! assumes the file is sorted.

use crate::error::{Result, RoutingError, io_error};
use crate::geodesy::{haversine_m, travel_millis};
use crate::graph::{BuildInfo, BuildOptions, Graph, RawGraph, build};
use crate::profile::{Profile, WayRule};
use osmpbf::{BlobDecode, BlobReader, PrimitiveBlock};
use rayon::prelude::*;
use std::panic::AssertUnwindSafe;
use std::path::Path;

struct Way {
    refs: Vec<i64>,
    rule: WayRule,
}

impl Graph {
    /// Build the graph of `profile` from an OSM PBF extract, with default options.
    pub fn from_osm_pbf(path: &Path, profile: Profile) -> Result<Graph> {
        Self::from_osm_pbf_with(path, profile, &BuildOptions::default())
    }

    pub fn from_osm_pbf_with(
        path: &Path,
        profile: Profile,
        options: &BuildOptions,
    ) -> Result<Graph> {
        let meta = std::fs::metadata(path).map_err(|e| io_error(path, &e))?;
        if meta.len() == 0 {
            return Err(pbf_error(path, "empty file"));
        }
        check_framing(path)?;
        let ways: Vec<Way> = for_each_block(path, |block| {
            let mut out = Vec::new();
            for group in block.groups() {
                for way in group.ways() {
                    if let Some(rule) = profile.way_rule(way.tags()) {
                        let refs: Vec<i64> = way.refs().collect();
                        if refs.len() >= 2 {
                            out.push(Way { refs, rule });
                        }
                    }
                }
            }
            out
        })?;
        if ways.is_empty() {
            return Err(RoutingError::NoRoutableWay {
                path: path.to_path_buf(),
                profile,
            });
        }

        let mut ids: Vec<i64> = ways.iter().flat_map(|w| w.refs.iter().copied()).collect();
        ids.par_sort_unstable();
        ids.dedup();
        let positions: Vec<(usize, [f64; 2])> = for_each_block(path, |block| {
            let mut out = Vec::new();
            let mut keep = |id: i64, lon: f64, lat: f64| {
                if let Ok(k) = ids.binary_search(&id) {
                    out.push((k, [lon, lat]));
                }
            };
            // OSM positions are fixed-point 1e-7 degrees: keep them as such (exact decimal export).
            let deg = |decimicro: i32| f64::from(decimicro) / 1e7;
            for group in block.groups() {
                for node in group.nodes() {
                    keep(
                        node.id(),
                        deg(node.decimicro_lon()),
                        deg(node.decimicro_lat()),
                    );
                }
                for node in group.dense_nodes() {
                    keep(
                        node.id(),
                        deg(node.decimicro_lon()),
                        deg(node.decimicro_lat()),
                    );
                }
            }
            out
        })?;
        let mut coords = vec![[f64::NAN; 2]; ids.len()];
        for (k, c) in positions {
            crate::graph::check_coordinates(ids[k], c[0], c[1]).map_err(|_| {
                pbf_error(path, &format!("node {} has invalid coordinates", ids[k]))
            })?;
            if !coords[k][0].is_nan() && coords[k] != c {
                return Err(RoutingError::DuplicateOsmNode {
                    path: path.to_path_buf(),
                    id: ids[k],
                });
            }
            coords[k] = c;
        }

        let mut info = BuildInfo {
            ways: ways.len() as u64,
            ..BuildInfo::default()
        };
        type Edges = Vec<(u32, u32, u32)>;
        let per_way: Vec<(Edges, u64)> = ways
            .par_iter()
            .map(|way| {
                let mut edges = Vec::with_capacity(2 * way.refs.len());
                let mut missing = 0u64;
                for pair in way.refs.windows(2) {
                    let a = ids.binary_search(&pair[0]).expect("every ref is in ids") as u32;
                    let b = ids.binary_search(&pair[1]).expect("every ref is in ids") as u32;
                    let (ca, cb) = (coords[a as usize], coords[b as usize]);
                    if ca[0].is_nan() || cb[0].is_nan() {
                        missing += 1;
                        continue;
                    }
                    let metres = haversine_m(ca[0], ca[1], cb[0], cb[1]);
                    if let Some(kmh) = way.rule.forward_kmh {
                        edges.push((a, b, travel_millis(metres, kmh)));
                    }
                    if let Some(kmh) = way.rule.backward_kmh {
                        edges.push((b, a, travel_millis(metres, kmh)));
                    }
                }
                (edges, missing)
            })
            .collect();
        info.missing_node_refs = per_way.iter().map(|p| p.1).sum();
        let edges: Vec<(u32, u32, u32)> = per_way.into_iter().flat_map(|p| p.0).collect();
        // Nodes whose position is missing never appear in an edge; give them a valid placeholder
        // position so the ordering stays well defined (they are dropped by the component filter).
        for c in &mut coords {
            if c[0].is_nan() {
                *c = [0.0, 0.0];
            }
        }
        let raw = RawGraph { ids, coords, edges };
        build(raw, options, Some(profile), info).ok_or_else(|| RoutingError::NoRoutableWay {
            path: path.to_path_buf(),
            profile,
        })
    }
}

/// Walk the blob framing (4-byte length, BlobHeader, blob of `datasize` bytes) to the end of the
/// file. The decoder alone accepts a file cut at a protobuf field boundary; this check rejects any
/// file whose blobs do not end exactly where the file ends.
pub(crate) fn check_framing(path: &Path) -> Result<()> {
    use std::io::{Read, Seek, SeekFrom};
    let mut f = std::fs::File::open(path).map_err(|e| io_error(path, &e))?;
    let len = f.metadata().map_err(|e| io_error(path, &e))?.len();
    let mut pos = 0u64;
    while pos < len {
        let mut size = [0u8; 4];
        f.read_exact(&mut size)
            .map_err(|_| pbf_error(path, &format!("truncated blob header at byte {pos}")))?;
        let size = u32::from_be_bytes(size) as u64;
        if size >= 64 * 1024 {
            return Err(pbf_error(
                path,
                &format!("invalid blob header size {size} at byte {pos}"),
            ));
        }
        let mut header = vec![0u8; size as usize];
        f.read_exact(&mut header)
            .map_err(|_| pbf_error(path, &format!("truncated blob header at byte {pos}")))?;
        let datasize = blob_datasize(&header)
            .ok_or_else(|| pbf_error(path, &format!("invalid blob header at byte {pos}")))?;
        pos += 4 + size + datasize;
        if pos > len {
            return Err(pbf_error(
                path,
                &format!("file truncated: {len} bytes, last block ends at byte {pos}"),
            ));
        }
        f.seek(SeekFrom::Start(pos))
            .map_err(|e| io_error(path, &e))?;
    }
    Ok(())
}

/// The `datasize` field (3) of a BlobHeader message.
fn blob_datasize(mut b: &[u8]) -> Option<u64> {
    fn varint(b: &mut &[u8]) -> Option<u64> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let (&byte, rest) = b.split_first()?;
            *b = rest;
            v |= u64::from(byte & 0x7f) << shift;
            if byte < 0x80 {
                return Some(v);
            }
        }
        None
    }
    let mut datasize = None;
    while !b.is_empty() {
        let key = varint(&mut b)?;
        match key & 7 {
            0 => {
                let v = varint(&mut b)?;
                if key >> 3 == 3 {
                    datasize = Some(v);
                }
            }
            2 => {
                let n = varint(&mut b)? as usize;
                b = b.get(n..)?;
            }
            _ => return None,
        }
    }
    datasize
}

pub(crate) fn pbf_error(path: &Path, message: &str) -> RoutingError {
    RoutingError::Pbf {
        path: path.to_path_buf(),
        message: message.to_string(),
    }
}

/// Decode every data block of the file in parallel and gather what `f` extracts from each.
/// A malformed file gives an error; a block whose decoding panics (corrupt data the decoder does
/// not guard against) gives an error too rather than bringing the program down.
pub(crate) fn for_each_block<T: Send>(
    path: &Path,
    f: impl Fn(&PrimitiveBlock) -> Vec<T> + Sync,
) -> Result<Vec<T>> {
    let reader = BlobReader::from_path(path)
        .map_err(|e| io_error(path, &std::io::Error::other(e.to_string())))?;
    let mut saw_blob = false;
    let parts: Vec<Vec<T>> = reader
        .inspect(|_| saw_blob = true)
        .par_bridge()
        .map(|blob| {
            let blob = blob.map_err(|e| pbf_error(path, &e.to_string()))?;
            let decoded = std::panic::catch_unwind(AssertUnwindSafe(|| match blob.decode() {
                Ok(BlobDecode::OsmData(block)) => Ok(f(&block)),
                Ok(_) => Ok(Vec::new()),
                Err(e) => Err(e.to_string()),
            }));
            match decoded {
                Ok(Ok(v)) => Ok(v),
                Ok(Err(message)) => Err(pbf_error(path, &message)),
                Err(_) => Err(pbf_error(path, "corrupt data block")),
            }
        })
        .collect::<Result<_>>()?;
    if !saw_blob {
        return Err(pbf_error(path, "no data block"));
    }
    Ok(parts.into_iter().flatten().collect())
}

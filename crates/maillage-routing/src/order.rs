//! Node numbering. Nodes close on the ground get close indices (Hilbert curve), so a search that
//! spreads around a point touches few cache lines and memory pages.

use crate::graph::NodeOrder;
use rayon::prelude::*;

/// The given node indices (`kept`) reordered as asked.
pub(crate) fn order_nodes(kept: &[u32], coords: &[[f64; 2]], order: NodeOrder) -> Vec<u32> {
    match order {
        NodeOrder::Input => kept.to_vec(),
        NodeOrder::Random(seed) => {
            let mut v = kept.to_vec();
            let mut state = seed;
            for i in (1..v.len()).rev() {
                let j = (splitmix64(&mut state) % (i as u64 + 1)) as usize;
                v.swap(i, j);
            }
            v
        }
        NodeOrder::Hilbert => {
            let (mut min, mut max) = ([f64::INFINITY; 2], [f64::NEG_INFINITY; 2]);
            for &i in kept {
                let c = coords[i as usize];
                for d in 0..2 {
                    min[d] = min[d].min(c[d]);
                    max[d] = max[d].max(c[d]);
                }
            }
            let scale = |v: f64, d: usize| -> u32 {
                let span = max[d] - min[d];
                if span <= 0.0 {
                    0
                } else {
                    (((v - min[d]) / span) * 65_535.0).round() as u32
                }
            };
            let mut keyed: Vec<(u32, u32)> = kept
                .par_iter()
                .map(|&i| {
                    let c = coords[i as usize];
                    (hilbert_index(scale(c[0], 0), scale(c[1], 1)), i)
                })
                .collect();
            keyed.par_sort_unstable();
            keyed.into_iter().map(|(_, i)| i).collect()
        }
    }
}

/// Position of (x, y) along a Hilbert curve over a 65,536 × 65,536 grid.
pub(crate) fn hilbert_index(mut x: u32, mut y: u32) -> u32 {
    let mut d: u32 = 0;
    let mut s: u32 = 1 << 15;
    while s > 0 {
        let rx = u32::from(x & s > 0);
        let ry = u32::from(y & s > 0);
        d += s * s * ((3 * rx) ^ ry);
        // Rotate the quadrant so the curve stays continuous.
        if ry == 0 {
            if rx == 1 {
                x = (s - 1).wrapping_sub(x) & 0xFFFF;
                y = (s - 1).wrapping_sub(y) & 0xFFFF;
            }
            std::mem::swap(&mut x, &mut y);
        }
        s >>= 1;
    }
    d
}

pub(crate) fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hilbert_curve_is_a_bijection_with_unit_steps() {
        // On the 4x4 corner of the grid the first 16 indices visit every cell, each next to the last.
        let mut cells: Vec<(u32, u32, u32)> = Vec::new();
        for x in 0..256u32 {
            for y in 0..256u32 {
                let d = hilbert_index(x, y);
                if d < 256 * 256 {
                    cells.push((d, x, y));
                }
            }
        }
        cells.sort();
        assert_eq!(cells.len(), 256 * 256);
        for (k, w) in cells.windows(2).enumerate() {
            assert_eq!(w[0].0, k as u32);
            let step = w[0].1.abs_diff(w[1].1) + w[0].2.abs_diff(w[1].2);
            assert_eq!(step, 1, "cells {:?} and {:?} are not adjacent", w[0], w[1]);
        }
    }
}

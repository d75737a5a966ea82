//! Identifier → position lookup, the hot spot of reading millions of cost pairs.
//!
//! Short ids (INSEE, IRIS, FINESS, RPPS codes all fit in 15 bytes) are packed into two integers and found
//! by open addressing in slots holding the packed key and the position together: a lookup costs one cache
//! line, instead of a generic map's bucket plus a pointer to a heap string (measured about twice as fast
//! on a 20,000-site table). Longer ids go to an ordinary map.

use foldhash::{HashMap, HashMapExt};

const EMPTY: u32 = u32::MAX;

/// A short id packed with its length, and its position.
#[derive(Debug, Clone, Copy)]
struct Slot {
    key: [u64; 2],
    position: u32,
}

const FREE: Slot = Slot {
    key: [0, 0],
    position: EMPTY,
};

#[derive(Debug, Clone)]
pub(crate) struct IdIndex {
    /// Length a power of two, at most half full.
    slots: Vec<Slot>,
    short: usize,
    next: u32,
    long: HashMap<Box<[u8]>, u32>,
}

/// The id's bytes and its length in two integers, when it fits (built byte by byte: a variable-length
/// copy followed by a wide load stalls the processor).
#[inline]
fn pack(id: &[u8]) -> Option<[u64; 2]> {
    if id.len() > 15 {
        return None;
    }
    let mut key = [0u64, (id.len() as u64) << 56];
    for (i, &b) in id.iter().enumerate() {
        key[i / 8] |= (b as u64) << (8 * (i % 8));
    }
    Some(key)
}

#[inline]
fn hash(key: [u64; 2]) -> u64 {
    let h = key[0].wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ key[1].wrapping_mul(0xC2B2_AE3D_27D4_EB4F);
    (h ^ (h >> 29)).wrapping_mul(0x1656_67B1_9E37_79F9)
}

impl IdIndex {
    pub fn with_capacity(capacity: usize) -> IdIndex {
        let size = (capacity * 2).next_power_of_two().max(16);
        IdIndex {
            slots: vec![FREE; size],
            short: 0,
            next: 0,
            long: HashMap::new(),
        }
    }

    /// First slot to probe for a key.
    #[inline]
    fn start(&self, key: [u64; 2]) -> usize {
        let bits = self.slots.len().trailing_zeros();
        (hash(key) >> (64 - bits)) as usize
    }

    #[inline]
    pub fn get(&self, id: &[u8]) -> Option<u32> {
        let Some(key) = pack(id) else {
            return self.long.get(id).copied();
        };
        let mask = self.slots.len() - 1;
        let mut at = self.start(key);
        loop {
            let slot = &self.slots[at];
            if slot.position == EMPTY {
                return None;
            }
            if slot.key == key {
                return Some(slot.position);
            }
            at = (at + 1) & mask;
        }
    }

    /// Ask for the first slot `id` would probe to be brought into cache, without waiting for it.
    #[inline]
    pub fn prefetch(&self, id: &[u8]) {
        if let Some(key) = pack(id) {
            let slot: *const Slot = &self.slots[self.start(key)];
            // SAFETY: a prefetch is only a hint: it never faults, even on a bad address, and changes no
            // memory; the `sse` feature it needs is part of the x86_64 baseline.
            #[cfg(target_arch = "x86_64")]
            unsafe {
                core::arch::x86_64::_mm_prefetch::<{ core::arch::x86_64::_MM_HINT_T0 }>(slot.cast())
            };
            #[cfg(not(target_arch = "x86_64"))]
            let _ = slot;
        }
    }

    /// Record the next position (0, 1, 2… in order) for `id`, or give the position it already has.
    pub fn push(&mut self, id: &[u8]) -> Result<(), u32> {
        let position = self.next;
        let Some(key) = pack(id) else {
            if let Some(&first) = self.long.get(id) {
                return Err(first);
            }
            self.long.insert(id.into(), position);
            self.next += 1;
            return Ok(());
        };
        if (self.short + 1) * 2 > self.slots.len() {
            self.grow();
        }
        let mask = self.slots.len() - 1;
        let mut at = self.start(key);
        while self.slots[at].position != EMPTY {
            if self.slots[at].key == key {
                return Err(self.slots[at].position);
            }
            at = (at + 1) & mask;
        }
        self.slots[at] = Slot { key, position };
        self.short += 1;
        self.next += 1;
        Ok(())
    }

    fn grow(&mut self) {
        let size = self.slots.len() * 2;
        let old = std::mem::replace(&mut self.slots, vec![FREE; size]);
        let mask = size - 1;
        for slot in old.into_iter().filter(|s| s.position != EMPTY) {
            let mut at = self.start(slot.key);
            while self.slots[at].position != EMPTY {
                at = (at + 1) & mask;
            }
            self.slots[at] = slot;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_and_long_ids() {
        let ids = [
            "",
            "A",
            "A\0",
            "751010101",
            "exactly15bytes!",
            "sixteen-bytes-id",
            "a much longer identifier",
        ];
        // Too small a capacity on purpose: the slots grow.
        let mut index = IdIndex::with_capacity(1);
        for id in ids {
            assert_eq!(index.push(id.as_bytes()), Ok(()));
        }
        for (i, id) in ids.iter().enumerate() {
            assert_eq!(index.get(id.as_bytes()), Some(i as u32), "{id:?}");
            assert_eq!(index.push(id.as_bytes()), Err(i as u32));
        }
        assert_eq!(index.get(b"B"), None);
        assert_eq!(index.get(b"sixteen-bytes-iX"), None);
    }

    #[test]
    fn many_ids() {
        let mut index = IdIndex::with_capacity(50_000);
        for i in 0..50_000 {
            assert_eq!(index.push(format!("S{i:05}").as_bytes()), Ok(()));
        }
        for i in 0..50_000 {
            assert_eq!(index.get(format!("S{i:05}").as_bytes()), Some(i));
        }
        assert_eq!(index.get(b"S50000"), None);
    }
}

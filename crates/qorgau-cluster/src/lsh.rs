//! LSH banding and the rule that turns a shared bucket into a merge.
//!
//! A signature is cut into `bands` bands of `rows` values; two documents
//! whose values agree on a whole band land in the same bucket. With Jaccard
//! similarity `s` that happens in at least one band with probability
//! `1 - (1 - s^rows)^bands`: 32 × 4 puts the S-curve's steep part at about
//! 0.42, so a pair at the 0.5 merge threshold is found with probability
//! 0.87 directly, and more often through transitivity.
//!
//! A shared bucket is only a candidate. Each bucket keeps a few
//! *representatives* (the first documents that matched no earlier one);
//! a document is merged with the first representative whose signature
//! agrees on at least `min_similarity` of all positions, and becomes a
//! representative itself if it matched none. So a generic bucket ("пиши в
//! лс") cannot chain unrelated ads: every merge is a verified similar pair,
//! and the cap on representatives keeps a huge bucket cheap.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::hash::{BuildHasherDefault, Hasher};

use serde::{Deserialize, Serialize};

use crate::minhash::Signature;

/// Parameters of the clustering step.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ClusterParams {
    /// Number of LSH bands.
    pub bands: usize,
    /// Signature values per band; `bands * rows` values are used, bands that
    /// do not fit in a signature are skipped.
    pub rows: usize,
    /// Least estimated Jaccard similarity for a merge.
    pub min_similarity: f64,
    /// Most representatives kept per bucket.
    pub max_representatives: usize,
    /// Worker threads for the bulk paths; 0 means all cores.
    pub threads: usize,
}

impl Default for ClusterParams {
    /// 32 bands × 4 rows over 128 values, merge at ≥ 0.5 estimated Jaccard,
    /// 8 representatives: chosen by measurement (`bench/cluster-results.md`).
    fn default() -> Self {
        Self {
            bands: 32,
            rows: 4,
            min_similarity: 0.5,
            max_representatives: 8,
            threads: 0,
        }
    }
}

impl ClusterParams {
    /// Number of bands that fit in a signature of `len` values.
    pub(crate) fn bands_for(&self, len: usize) -> usize {
        self.bands.min(len / self.rows.max(1))
    }

    /// Least number of agreeing positions out of `len` for a merge.
    pub(crate) fn needed(&self, len: usize) -> usize {
        let need = (self.min_similarity.clamp(0.0, 1.0) * len as f64).ceil();
        (need as usize).max(1)
    }
}

/// Bucket key of one band of a signature. 32 bits keep the band maps and
/// the bulk path's key table small; two different bands that happen to
/// share a key only cost a comparison that fails.
#[inline]
pub(crate) fn band_key(sig: &Signature, band: usize, rows: usize) -> u32 {
    let rows = rows.max(1);
    let values = &sig.values()[band * rows..(band + 1) * rows];
    let mut h = (band as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    for &v in values {
        h = (h ^ u64::from(v)).wrapping_mul(0xFF51_AFD7_ED55_8CCD);
        h ^= h >> 32;
    }
    h ^= h >> 29;
    h = h.wrapping_mul(0xC4CE_B9FE_1A85_EC53);
    ((h >> 32) ^ h) as u32
}

/// Bucket keys are already well mixed: spread them over 64 bits with one
/// multiplication (the map's control bytes use the top bits) instead of
/// hashing them again.
#[derive(Default)]
pub(crate) struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }
    fn write_u32(&mut self, n: u32) {
        self.0 = u64::from(n).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

pub(crate) type KeyMap<V> = HashMap<u32, V, BuildHasherDefault<KeyHasher>>;

/// One band's buckets: for each key, its representatives in the order they
/// came. The first one is kept inline (most buckets never get a second
/// document), further ones aside, so a band costs one small map entry per
/// bucket.
#[derive(Default)]
pub(crate) struct BandIndex {
    first: KeyMap<u32>,
    more: KeyMap<Vec<u32>>,
}

impl BandIndex {
    /// Forgets every bucket, keeping the allocations (bulk path, band after band).
    pub(crate) fn clear(&mut self) {
        self.first.clear();
        self.more.clear();
    }

    /// Compares `doc` with the representatives of bucket `key` in order
    /// (`similar(rep)`) and returns the first similar one; when none is,
    /// `doc` becomes a new representative if the bucket has fewer than
    /// `max_reps` (at least 1). Stopping at the first match keeps a busy
    /// bucket to about one comparison per document; bridges between
    /// representatives still form through other bands.
    #[inline]
    pub(crate) fn visit(
        &mut self,
        key: u32,
        doc: u32,
        max_reps: usize,
        mut similar: impl FnMut(u32) -> bool,
    ) -> Option<u32> {
        let first = match self.first.entry(key) {
            Entry::Vacant(e) => {
                e.insert(doc);
                return None;
            }
            Entry::Occupied(e) => *e.get(),
        };
        if similar(first) {
            return Some(first);
        }
        match self.more.get_mut(&key) {
            Some(more) => {
                if let Some(&r) = more.iter().find(|&&r| similar(r)) {
                    return Some(r);
                }
                if more.len() + 1 < max_reps {
                    more.push(doc);
                }
            }
            None => {
                if max_reps > 1 {
                    self.more.insert(key, vec![doc]);
                }
            }
        }
        None
    }
}

/// The last two comparisons of each document. Near duplicates share most
/// bands and so meet the same representative band after band; remembering
/// the outcome compares such a pair once instead of up to `bands` times,
/// without touching the document's signature again. A comparison is a pure
/// function of the two signatures, so this changes no result.
pub(crate) struct Memo {
    slots: Vec<[(u32, bool); 2]>,
}

impl Memo {
    pub(crate) fn new(len: usize) -> Self {
        Self {
            slots: vec![[(u32::MAX, false); 2]; len],
        }
    }

    /// `compare()`'s result for (`slot`'s document, `rep`), from memory if
    /// it was one of the last two asked.
    #[inline]
    pub(crate) fn similar(
        &mut self,
        slot: usize,
        rep: u32,
        compare: impl FnOnce() -> bool,
    ) -> bool {
        let s = &mut self.slots[slot];
        if s[0].0 == rep {
            return s[0].1;
        }
        if s[1].0 == rep {
            return s[1].1;
        }
        let result = compare();
        s[1] = s[0];
        s[0] = (rep, result);
        result
    }
}

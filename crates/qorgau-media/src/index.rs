//! Finding every stored 64-bit hash within a Hamming distance of a query,
//! among millions, in well under a millisecond.
//!
//! # Multi-index hashing, and why
//!
//! [`HammingIndex`] is multi-index hashing (Norouzi, Punjani and Fleet,
//! "Fast exact search in Hamming space with multi-index hashing", 2014). The
//! 64 bits are cut into `m` substrings. If two hashes differ in at most `d`
//! bits, then (pigeonhole) at least one of their substrings differs in at
//! most `⌊d / m⌋` bits. So for each substring the index keeps the hashes
//! sorted by that substring's value (counting sort: an offsets table and an
//! array of ids), and a query looks up, in each table, every substring value
//! within `⌊d / m⌋` bits of its own. Each candidate is checked with one
//! popcount, so the answer is exact: nothing within `d` is missed, nothing
//! beyond it is returned. A candidate met in several tables is checked only
//! in the first one whose substring is close enough.
//!
//! The substring width follows the number of hashes (`≈ log2 n` bits, at most
//! 24): then each bucket holds about one hash, and a query costs the number
//! of neighbouring substring values, not the size of the index. For 10
//! million hashes that is 3 substrings of 21–22 bits; d = 8 visits
//! 3 × 232 buckets. When the neighbourhoods grow so large that scanning
//! everything is cheaper (large `d`), the query scans instead; the answer is
//! the same.
//!
//! A BK-tree was not chosen: under the Hamming metric with distances of 8–10
//! out of 64 a query visits a large part of the tree (the triangle
//! inequality prunes little when the radius is a third of the typical
//! distance), through pointers scattered over memory. Multi-index hashing
//! does exact lookups in flat arrays.
//!
//! Written here rather than taken from a crate. The one crate that does it,
//! `mih-rs` 0.3.1 (read before deciding), returns `anyhow` errors from a
//! library, unwraps in library code, and its `deserialize_from` allocates
//! whatever capacity the input's length fields say (a crafted index file
//! aborts the process); a persistent index would need exactly that part. It
//! would save the ~150 lines below, which `tests/index.rs` checks against a
//! linear scan with a property test, and it would not give the pair index
//! with the matching rule ([`ImageIndex`]) that the callers need.
//!
//! Memory: 8 bytes per hash plus 4 bytes per hash and substring, plus the
//! offsets (4 × 2^bits bytes per substring): about 230 MB for 10 million.

/// The most bits a substring may have: its offsets table has 2^bits + 1
/// entries (64 MiB at 24 bits).
const MAX_BITS: u32 = 24;

/// An exact range-search index over 64-bit hashes. Ids are positions in the
/// vector it was built from.
#[derive(Debug, Clone)]
pub struct HammingIndex {
    codes: Vec<u64>,
    tables: Vec<Table>,
}

#[derive(Debug, Clone)]
struct Table {
    /// First bit of the substring (0 = least significant).
    shift: u32,
    /// Width of the substring.
    bits: u32,
    /// `offsets[v]..offsets[v + 1]` are the ids whose substring is `v`.
    offsets: Vec<u32>,
    ids: Vec<u32>,
}

impl Table {
    fn mask(&self) -> u64 {
        (1u64 << self.bits) - 1
    }

    fn key(&self, code: u64) -> usize {
        ((code >> self.shift) & self.mask()) as usize
    }
}

/// Why an index could not be built.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum IndexError {
    /// Ids are 32-bit, to halve the tables' memory.
    #[error("a hash index holds at most {max} hashes; {given} were given")]
    TooMany {
        /// The number given.
        given: usize,
        /// The largest number an index holds.
        max: u64,
    },
}

/// One hash found by a query.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Hit {
    /// Bits in which it differs from the query.
    pub distance: u32,
    /// Its position in the vector the index was built from.
    pub id: u32,
}

impl HammingIndex {
    /// Builds the index over `codes`; the id of `codes[i]` is `i`.
    ///
    /// Linear in the number of hashes (two passes per substring).
    pub fn new(codes: Vec<u64>) -> Result<Self, IndexError> {
        if u32::try_from(codes.len()).is_err() {
            return Err(IndexError::TooMany {
                given: codes.len(),
                max: u64::from(u32::MAX),
            });
        }
        let n = codes.len().max(2) as f64;
        // ≈ log2 n bits per substring, so buckets hold about one hash each.
        let target_bits = (n.log2().round() as u32).clamp(8, MAX_BITS);
        let count = 64u32.div_ceil(target_bits);
        let tables = (0..count)
            .map(|i| {
                // Spread the 64 bits as evenly as possible.
                let shift = 64 * i / count;
                let bits = 64 * (i + 1) / count - shift;
                build_table(&codes, shift, bits)
            })
            .collect();
        Ok(Self { codes, tables })
    }

    /// The number of hashes in the index.
    pub fn len(&self) -> usize {
        self.codes.len()
    }

    /// Whether the index holds no hash.
    pub fn is_empty(&self) -> bool {
        self.codes.is_empty()
    }

    /// The hash with this id, if any.
    pub fn code(&self, id: u32) -> Option<u64> {
        self.codes.get(id as usize).copied()
    }

    /// The number of substrings (tables) the hashes are split into.
    pub fn substrings(&self) -> usize {
        self.tables.len()
    }

    /// Every hash within `distance` bits of `query`, nearest first (ties by
    /// id). Exact: the same answer as [`linear_scan`].
    pub fn within(&self, query: u64, distance: u32) -> Vec<Hit> {
        self.search(query, distance, true)
    }

    /// [`HammingIndex::within`] that always looks up the substring tables,
    /// even where a scan would be cheaper: for tests of the lookups on
    /// small indexes.
    #[doc(hidden)]
    pub fn within_by_lookup(&self, query: u64, distance: u32) -> Vec<Hit> {
        self.search(query, distance, false)
    }

    fn search(&self, query: u64, distance: u32, may_scan: bool) -> Vec<Hit> {
        let mut hits = Vec::new();
        if self.codes.is_empty() {
            return hits;
        }
        let m = self.tables.len() as u32;
        let radius = distance / m;
        // Cost of the lookups against a scan: each candidate is a random
        // read, about 8 times a sequential one.
        let buckets: u64 = self
            .tables
            .iter()
            .map(|t| neighbourhood_size(t.bits, radius))
            .sum();
        let expected = buckets as f64 * self.codes.len() as f64
            / self
                .tables
                .iter()
                .map(|t| (1u64 << t.bits) as f64)
                .fold(f64::INFINITY, f64::min);
        if distance >= 64 || (may_scan && buckets as f64 + 8.0 * expected > self.codes.len() as f64)
        {
            return linear_scan(&self.codes, query, distance);
        }
        for (t, table) in self.tables.iter().enumerate() {
            let key = table.key(query);
            for_each_neighbour(key as u64, table.bits, radius, &mut |value| {
                let v = value as usize;
                let (Some(&start), Some(&end)) = (table.offsets.get(v), table.offsets.get(v + 1))
                else {
                    return;
                };
                for &id in &table.ids[start as usize..end as usize] {
                    let code = self.codes[id as usize];
                    // Met in an earlier table already?
                    if self.tables[..t].iter().any(|earlier| {
                        (((code ^ query) >> earlier.shift) & earlier.mask()).count_ones() <= radius
                    }) {
                        continue;
                    }
                    let d = (code ^ query).count_ones();
                    if d <= distance {
                        hits.push(Hit { distance: d, id });
                    }
                }
            });
        }
        hits.sort_unstable();
        hits
    }
}

/// The images of a collection, searchable by both perceptual hashes at once.
///
/// One [`HammingIndex`] per hash. The rule, measured on generated image sets
/// (`tests/reuse.rs`, BENCHMARKS.md "Image reuse"): an image matches a query
/// at distance `N` when
///
/// * its **pHash** is within `N` bits, or
/// * its **dHash** is within `N` bits **and** its pHash within `2N`.
///
/// dHash is the second witness, never the only one: it rescues copies whose
/// pHash moved a little too far (a caption band over the bottom of the
/// picture, a crop of 5 %), but on its own it confuses every picture lit by a
/// smooth gradient (each row of its grid then reads "brighter to the right",
/// whatever the picture), which made nine in ten of its matches wrong on the
/// generated set. Unrelated pictures are about 32 pHash bits apart; within
/// 2N (16 at the default N = 8 of `qorgau media similar`) lie few of them,
/// and those few must then also agree in dHash.
/// Each match carries both distances, so the examiner sees how close each
/// measure found it.
#[derive(Debug, Clone)]
pub struct ImageIndex {
    phash: HammingIndex,
    dhash: HammingIndex,
}

/// An image found near a query, with how near by each hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImageMatch {
    /// Position of the image in the list the index was built from.
    pub id: u32,
    /// pHash distance to the query.
    pub phash_distance: u32,
    /// dHash distance to the query.
    pub dhash_distance: u32,
}

impl ImageMatch {
    /// Whether this pair of distances is a match at `distance` under the
    /// rule of [`ImageIndex`].
    pub fn is_match(phash_distance: u32, dhash_distance: u32, distance: u32) -> bool {
        phash_distance <= distance
            || (dhash_distance <= distance && phash_distance <= distance.saturating_mul(2))
    }
}

impl ImageIndex {
    /// Builds the index over `(phash, dhash)` pairs; the id of `hashes[i]`
    /// is `i`.
    pub fn new(hashes: &[(u64, u64)]) -> Result<Self, IndexError> {
        Ok(Self {
            phash: HammingIndex::new(hashes.iter().map(|h| h.0).collect())?,
            dhash: HammingIndex::new(hashes.iter().map(|h| h.1).collect())?,
        })
    }

    /// The number of images.
    pub fn len(&self) -> usize {
        self.phash.len()
    }

    /// Whether the index holds no image.
    pub fn is_empty(&self) -> bool {
        self.phash.is_empty()
    }

    /// Every image that matches the query at `distance` under the rule
    /// above, by pHash distance, then dHash distance, then id.
    pub fn similar(&self, phash: u64, dhash: u64, distance: u32) -> Vec<ImageMatch> {
        let mut ids: Vec<u32> = self
            .phash
            .within(phash, distance)
            .into_iter()
            .chain(self.dhash.within(dhash, distance))
            .map(|hit| hit.id)
            .collect();
        ids.sort_unstable();
        ids.dedup();
        let mut matches: Vec<ImageMatch> = ids
            .into_iter()
            .filter_map(|id| {
                let found = ImageMatch {
                    id,
                    phash_distance: (self.phash.code(id)? ^ phash).count_ones(),
                    dhash_distance: (self.dhash.code(id)? ^ dhash).count_ones(),
                };
                ImageMatch::is_match(found.phash_distance, found.dhash_distance, distance)
                    .then_some(found)
            })
            .collect();
        matches.sort_unstable_by_key(|m| (m.phash_distance, m.dhash_distance, m.id));
        matches
    }
}

/// The pictures of `hashes` joined into groups of near-duplicates: two
/// pictures are in one group when they match at `distance` under the rule
/// of [`ImageIndex`], or are joined through a chain of such matches. Only
/// groups of two or more are returned, each with its members in input
/// order, the groups in the order of their first members.
///
/// It exists so that every place that links documents through a picture
/// (a scan's batch, the monitoring archive's network view) groups them by
/// one rule: a re-poster's copy of a copy is still the same picture.
pub fn near_duplicate_groups(hashes: &[(u64, u64)], distance: u32) -> Vec<Vec<usize>> {
    if hashes.len() < 2 {
        return Vec::new();
    }
    let Ok(index) = ImageIndex::new(hashes) else {
        return Vec::new();
    };
    let mut sets = UnionFind::new(hashes.len());
    for (i, &(phash, dhash)) in hashes.iter().enumerate() {
        for m in index.similar(phash, dhash, distance) {
            let j = m.id as usize;
            if j > i {
                sets.union(i, j);
            }
        }
    }
    let mut members: std::collections::HashMap<usize, Vec<usize>> =
        std::collections::HashMap::new();
    for i in 0..hashes.len() {
        members.entry(sets.find(i)).or_default().push(i);
    }
    let mut groups: Vec<Vec<usize>> = members.into_values().filter(|m| m.len() > 1).collect();
    groups.sort_unstable_by_key(|m| m[0]);
    groups
}

/// Union-find with path halving and union by size, over positions.
struct UnionFind {
    parent: Vec<usize>,
    size: Vec<usize>,
}

impl UnionFind {
    fn new(n: usize) -> Self {
        UnionFind {
            parent: (0..n).collect(),
            size: vec![1; n],
        }
    }

    fn find(&mut self, mut x: usize) -> usize {
        while self.parent[x] != x {
            self.parent[x] = self.parent[self.parent[x]];
            x = self.parent[x];
        }
        x
    }

    fn union(&mut self, a: usize, b: usize) {
        let (mut a, mut b) = (self.find(a), self.find(b));
        if a == b {
            return;
        }
        if self.size[a] < self.size[b] {
            std::mem::swap(&mut a, &mut b);
        }
        self.parent[b] = a;
        self.size[a] += self.size[b];
    }
}

/// Every code within `distance` bits of `query`, nearest first (ties by
/// position): the plain scan the index must agree with, and what it is
/// measured against.
pub fn linear_scan(codes: &[u64], query: u64, distance: u32) -> Vec<Hit> {
    let mut hits: Vec<Hit> = codes
        .iter()
        .enumerate()
        .filter_map(|(id, &code)| {
            let d = (code ^ query).count_ones();
            (d <= distance).then_some(Hit {
                distance: d,
                id: id as u32,
            })
        })
        .collect();
    hits.sort_unstable();
    hits
}

fn build_table(codes: &[u64], shift: u32, bits: u32) -> Table {
    let mut table = Table {
        shift,
        bits,
        offsets: vec![0; (1usize << bits) + 1],
        ids: vec![0; codes.len()],
    };
    for &code in codes {
        let key = table.key(code);
        table.offsets[key + 1] += 1;
    }
    for v in 1..table.offsets.len() {
        table.offsets[v] += table.offsets[v - 1];
    }
    let mut next = table.offsets.clone();
    for (id, &code) in codes.iter().enumerate() {
        let slot = &mut next[table.key(code)];
        table.ids[*slot as usize] = id as u32;
        *slot += 1;
    }
    table
}

/// How many values lie within `radius` bits of a `bits`-bit value.
fn neighbourhood_size(bits: u32, radius: u32) -> u64 {
    let mut total = 0u64;
    let mut choose = 1u64; // C(bits, k)
    for k in 0..=radius.min(bits) {
        total = total.saturating_add(choose);
        choose = choose.saturating_mul(u64::from(bits - k)) / u64::from(k + 1);
    }
    total
}

/// Calls `f` with every `bits`-bit value within `radius` bits of `value`,
/// each once (the value itself first).
fn for_each_neighbour(value: u64, bits: u32, radius: u32, f: &mut dyn FnMut(u64)) {
    fn flip(value: u64, from: u32, bits: u32, left: u32, f: &mut dyn FnMut(u64)) {
        if left == 0 {
            return;
        }
        for bit in from..bits {
            let next = value ^ (1u64 << bit);
            f(next);
            flip(next, bit + 1, bits, left - 1, f);
        }
    }
    f(value);
    flip(value, 0, bits, radius, f);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn neighbourhoods_are_complete_and_distinct() {
        for (bits, radius) in [(8, 0), (8, 2), (10, 3), (16, 2)] {
            let mut seen = Vec::new();
            for_each_neighbour(0b1010_0110, bits, radius, &mut |v| seen.push(v));
            let count = seen.len();
            seen.sort_unstable();
            seen.dedup();
            assert_eq!(seen.len(), count, "duplicates for {bits}/{radius}");
            assert_eq!(count as u64, neighbourhood_size(bits, radius));
            assert!(
                seen.iter()
                    .all(|v| (v ^ 0b1010_0110).count_ones() <= radius && *v < 1 << bits)
            );
        }
    }

    #[test]
    fn substrings_follow_the_size() {
        let small = HammingIndex::new(vec![1, 2, 3]).unwrap();
        assert_eq!(small.substrings(), 8);
        let codes: Vec<u64> = (0..1u64 << 16)
            .map(|i| i.wrapping_mul(0x9E37_79B9_7F4A_7C15))
            .collect();
        assert_eq!(HammingIndex::new(codes).unwrap().substrings(), 4);
    }

    #[test]
    fn empty_index_finds_nothing() {
        let index = HammingIndex::new(Vec::new()).unwrap();
        assert!(index.within(0, 64).is_empty());
        assert!(index.is_empty());
    }
}

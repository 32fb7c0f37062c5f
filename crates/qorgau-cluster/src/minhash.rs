//! MinHash signatures over canonical shingles.
//!
//! A signature is a fixed-length summary of a document's shingle set whose
//! positions agree between two documents with probability equal to the
//! Jaccard similarity of their sets. It is what LSH buckets on and what the
//! clusterer compares, so the full text never has to be kept in memory.

use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::xxh3_64;

use crate::error::SignatureError;
use crate::tokens::for_each_token;

/// Which shingles a document is cut into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Shingle {
    /// Word n-grams inside one line (lines may be shuffled between reposts,
    /// so no shingle spans a line break). A line shorter than n gives one
    /// shingle of all its words.
    Words(usize),
    /// Character n-grams of each line's canonical tokens joined by spaces.
    Chars(usize),
}

/// Parameters of a [`MinHasher`]. Signatures made with different parameters
/// cannot be compared: keep them with the signatures they made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MinHashParams {
    /// Shingles of ordinary documents.
    pub shingle: Shingle,
    /// Documents with fewer canonical tokens than this are cut into
    /// character shingles instead (a word shingle or two is too coarse to
    /// measure similarity); 0 turns this off.
    pub short_tokens: usize,
    /// Character n-gram size for short documents.
    pub short_chars: usize,
    /// Number of MinHash values per signature.
    pub hashes: usize,
    /// Seed of the hash family; ids and buckets depend on it.
    pub seed: u64,
}

impl Default for MinHashParams {
    /// Word bigrams, char 4-grams below 5 tokens, 128 values: chosen by
    /// measurement on synthetic corpora (see `bench/cluster-results.md`);
    /// 64 values were noisy enough to bridge two look-alike templates in a
    /// million ads.
    fn default() -> Self {
        Self {
            shingle: Shingle::Words(2),
            short_tokens: 5,
            short_chars: 4,
            hashes: 128,
            seed: 0x71_6f_72_67_61_75, // "qorgau"
        }
    }
}

/// Computes [`Signature`]s. Holds the permutation family, so build one and
/// share it between threads (it is `Send + Sync`).
#[derive(Debug, Clone)]
pub struct MinHasher {
    params: MinHashParams,
    /// Multipliers (odd) and offsets of the multiply-add-shift family
    /// `h_i(x) = (a_i * x + b_i) >> 32`: one 64-bit hash per shingle,
    /// `hashes` cheap permutations of it (no second hash pass).
    mul: Box<[u64]>,
    add: Box<[u64]>,
}

/// SplitMix64: a small, well-mixed, reproducible stream for the permutation
/// constants (no RNG crate needed for 2 × 128 numbers).
fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Order-dependent combination of token hashes into one shingle hash
/// (murmur3's 64-bit finaliser after each step).
#[inline]
fn combine(hashes: &[u64]) -> u64 {
    let mut h = 0x2545_F491_4F6C_DD1Du64 ^ hashes.len() as u64;
    for &x in hashes {
        h = h.rotate_left(27) ^ x;
        h ^= h >> 33;
        h = h.wrapping_mul(0xFF51_AFD7_ED55_8CCD);
        h ^= h >> 33;
        h = h.wrapping_mul(0xC4CE_B9FE_1A85_EC53);
        h ^= h >> 33;
    }
    h
}

impl MinHasher {
    /// A hasher for `params`; `hashes` is at least 1.
    pub fn new(params: MinHashParams) -> Self {
        let k = params.hashes.max(1);
        let mut state = params.seed;
        let mul: Box<[u64]> = (0..k).map(|_| splitmix64(&mut state) | 1).collect();
        let add: Box<[u64]> = (0..k).map(|_| splitmix64(&mut state)).collect();
        Self {
            params: MinHashParams {
                hashes: k,
                ..params
            },
            mul,
            add,
        }
    }

    /// The parameters this hasher was built with.
    pub fn params(&self) -> &MinHashParams {
        &self.params
    }

    /// The signature of one document, given as text already normalised by
    /// `qorgau-normalize`. A text without a letter or digit gets the empty
    /// signature ([`Signature::is_empty`]).
    pub fn signature(&self, normalized_text: &str) -> Signature {
        let mut mins = vec![u32::MAX; self.mul.len()].into_boxed_slice();
        // Token hashes and canonical text of all lines, flat; `lines` holds
        // each line's (token range, byte range).
        let mut hashes: Vec<u64> = Vec::with_capacity(64);
        let mut joined = String::with_capacity(normalized_text.len());
        let mut lines: Vec<(usize, usize, usize, usize)> = Vec::new();
        for_each_token(normalized_text, |line, token| {
            if lines.len() <= line {
                if !joined.is_empty() {
                    joined.push('\n');
                }
                lines.push((hashes.len(), hashes.len(), joined.len(), joined.len()));
            } else {
                joined.push(' ');
            }
            hashes.push(xxh3_64(token.as_bytes()));
            joined.push_str(token);
            if let Some(l) = lines.last_mut() {
                l.1 = hashes.len();
                l.3 = joined.len();
            }
        });
        let count = hashes.len();
        let shingle = if count > 0 && count < self.params.short_tokens {
            Shingle::Chars(self.params.short_chars)
        } else {
            self.params.shingle
        };
        match shingle {
            Shingle::Words(n) => {
                let n = n.max(1);
                for &(s, e, _, _) in &lines {
                    let line = &hashes[s..e];
                    if line.len() <= n {
                        self.update(&mut mins, combine(line));
                    } else {
                        for w in line.windows(n) {
                            self.update(&mut mins, combine(w));
                        }
                    }
                }
            }
            Shingle::Chars(n) => {
                let n = n.max(1);
                let mut bounds: Vec<usize> = Vec::new();
                for &(_, _, s, e) in &lines {
                    let text = &joined[s..e];
                    bounds.clear();
                    bounds.extend(text.char_indices().map(|(i, _)| i));
                    bounds.push(text.len());
                    let chars = bounds.len() - 1;
                    if chars <= n {
                        self.update(&mut mins, xxh3_64(text.as_bytes()));
                    } else {
                        for i in 0..=chars - n {
                            let gram = &text.as_bytes()[bounds[i]..bounds[i + n]];
                            self.update(&mut mins, xxh3_64(gram));
                        }
                    }
                }
            }
        }
        Signature(mins)
    }

    /// Signatures of many normalised texts on all cores, in input order.
    pub fn sign_all<S: AsRef<str> + Sync>(&self, texts: &[S]) -> Vec<Signature> {
        crate::parallel::map_chunks(texts, |t| self.signature(t.as_ref()))
    }

    #[inline]
    fn update(&self, mins: &mut [u32], x: u64) {
        for ((m, &a), &b) in mins.iter_mut().zip(&*self.mul).zip(&*self.add) {
            let v = (a.wrapping_mul(x).wrapping_add(b) >> 32) as u32;
            *m = (*m).min(v);
        }
    }
}

/// A MinHash signature: the minimum of each permutation over the shingles.
/// Serialises as a list of numbers (serde) or as little-endian bytes
/// ([`Signature::to_bytes`]) for storage.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Signature(Box<[u32]>);

impl Signature {
    /// Wraps stored values (for signatures read back from storage).
    pub fn from_values(values: Vec<u32>) -> Self {
        Self(values.into_boxed_slice())
    }

    /// The MinHash values.
    pub fn values(&self) -> &[u32] {
        &self.0
    }

    /// True for a text without any shingle: such a document never joins a
    /// cluster (nothing to compare).
    pub fn is_empty(&self) -> bool {
        self.0.iter().all(|&v| v == u32::MAX)
    }

    /// Estimated Jaccard similarity of the two shingle sets: the share of
    /// positions that agree. 0 when the lengths differ or either is empty.
    pub fn jaccard_estimate(&self, other: &Signature) -> f64 {
        if self.0.len() != other.0.len() || self.0.is_empty() || self.is_empty() {
            return 0.0;
        }
        let same = self.agreeing(other);
        same as f64 / self.0.len() as f64
    }

    /// Number of agreeing positions; 0 when the lengths differ (signatures
    /// of different hashers never merge). No emptiness check.
    #[inline]
    pub(crate) fn agreeing(&self, other: &Signature) -> usize {
        if self.0.len() != other.0.len() {
            return 0;
        }
        // Counted in u32 lanes over fixed chunks so that it vectorises.
        let mut a = self.0.chunks_exact(16);
        let mut b = other.0.chunks_exact(16);
        let mut n = 0u32;
        for (x, y) in a.by_ref().zip(b.by_ref()) {
            n += x.iter().zip(y).map(|(p, q)| u32::from(p == q)).sum::<u32>();
        }
        for (p, q) in a.remainder().iter().zip(b.remainder()) {
            n += u32::from(p == q);
        }
        n as usize
    }

    /// Little-endian bytes, 4 per value.
    pub fn to_bytes(&self) -> Vec<u8> {
        self.0.iter().flat_map(|v| v.to_le_bytes()).collect()
    }

    /// Reads [`Signature::to_bytes`] output back.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, SignatureError> {
        if bytes.is_empty() || !bytes.len().is_multiple_of(4) {
            return Err(SignatureError::Length(bytes.len()));
        }
        Ok(Self(
            bytes
                .chunks_exact(4)
                .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                .collect(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exact_jaccard(a: &str, b: &str) -> f64 {
        use std::collections::HashSet;
        let set = |t: &str| -> HashSet<String> {
            let mut toks = Vec::new();
            for_each_token(t, |_, w| toks.push(w.to_owned()));
            toks.windows(2).map(|w| w.join(" ")).collect()
        };
        let (x, y) = (set(a), set(b));
        x.intersection(&y).count() as f64 / x.union(&y).count() as f64
    }

    #[test]
    fn estimate_tracks_exact_jaccard() {
        let h = MinHasher::new(MinHashParams {
            hashes: 256,
            ..MinHashParams::default()
        });
        let a = "раз два три четыре пять шесть семь восемь девять десять одиннадцать двенадцать";
        let b = "раз два три четыре пять шесть семь восемь девять десять сто тысяча";
        let exact = exact_jaccard(a, b);
        let est = h.signature(a).jaccard_estimate(&h.signature(b));
        assert!((exact - est).abs() < 0.12, "exact {exact} est {est}");
    }

    #[test]
    fn identical_canonical_text_gives_identical_signature() {
        let h = MinHasher::new(MinHashParams::default());
        let a = h.signature("Работа в Дубае! ЗП 3000$ 💸 звони 87011234567");
        let b = h.signature("работа в дубае зп 500 $ звони 8 702 999 11 22 🔥🔥");
        assert_eq!(a, b);
        assert!(!a.is_empty());
    }

    #[test]
    fn empty_text_gives_empty_signature() {
        let h = MinHasher::new(MinHashParams::default());
        let s = h.signature("🔥🔥 !!! ...");
        assert!(s.is_empty());
        assert_eq!(s.jaccard_estimate(&s), 0.0);
    }

    #[test]
    fn bytes_round_trip() {
        let h = MinHasher::new(MinHashParams::default());
        let s = h.signature("Жұмыс бар, Астана");
        assert_eq!(Signature::from_bytes(&s.to_bytes()).ok(), Some(s.clone()));
        assert!(Signature::from_bytes(&[1, 2, 3]).is_err());
        let json = serde_json::to_string(&s).unwrap_or_default();
        let back: Signature = serde_json::from_str(&json).unwrap_or_else(|_| s.clone());
        assert_eq!(back, s);
    }
}

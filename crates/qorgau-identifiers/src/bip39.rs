//! BIP-39 English seed phrases.
//!
//! A seed phrase in a chat is the wallet itself: victims are told to hand
//! over "their" wallet, and investigators must fix and hash phrases they
//! find (study 5.3). A phrase is reported only when every word is on the
//! BIP-39 English list and the checksum bits agree, so twelve ordinary
//! English words in a row are not mistaken for one.
//!
//! `bip39_english.txt` is the official list from github.com/bitcoin/bips,
//! `bip-0039/english.txt` (BSD-2-Clause), unchanged (SHA-256
//! 2f5eed53a4727b4bf8880d8f3f199efc90e58503646d9ff8eff3a2ed3b24dbda).

use sha2::{Digest as _, Sha256};

const ENGLISH: &str = include_str!("bip39_english.txt");

/// The 2048 words, with a small open-addressing table keyed by the first four
/// letters (unique in the English list) for a lookup without allocation.
#[derive(Debug)]
pub(crate) struct Wordlist {
    words: Vec<&'static str>,
    /// Slot -> word index + 1 (0 = empty).
    table: Vec<u16>,
    /// Slot -> [`key`] of its word: most words looked up are no BIP-39
    /// word, and comparing keys in the table answers them without reading
    /// the word list.
    keys: Vec<u32>,
}

const TABLE_BITS: u32 = 13;

fn key(word: &[u8]) -> u32 {
    let mut k = [0u8; 4];
    for (i, c) in word.iter().take(4).enumerate() {
        k[i] = c.to_ascii_lowercase();
    }
    u32::from_le_bytes(k)
}

fn slot(k: u32) -> usize {
    (k.wrapping_mul(0x9E37_79B1) >> (32 - TABLE_BITS)) as usize
}

impl Wordlist {
    pub(crate) fn new() -> Self {
        let words: Vec<&'static str> = ENGLISH
            .lines()
            .map(str::trim)
            .filter(|w| !w.is_empty())
            .collect();
        let mut table = vec![0u16; 1 << TABLE_BITS];
        let mut keys = vec![0u32; 1 << TABLE_BITS];
        for (i, w) in words.iter().enumerate() {
            let k = key(w.as_bytes());
            let mut s = slot(k);
            while table[s] != 0 {
                s = (s + 1) & ((1 << TABLE_BITS) - 1);
            }
            table[s] = (i + 1) as u16;
            keys[s] = k;
        }
        Self { words, table, keys }
    }

    /// Index of `word` (ASCII letters, any case) in the list.
    pub(crate) fn index(&self, word: &[u8]) -> Option<u16> {
        if !(3..=8).contains(&word.len()) {
            return None;
        }
        let k = key(word);
        let mut s = slot(k);
        loop {
            let v = *self.table.get(s)?;
            if v == 0 {
                return None;
            }
            // Equal words (up to ASCII case) have equal keys.
            if self.keys.get(s) == Some(&k) {
                let w = self.words.get(usize::from(v - 1))?;
                if w.as_bytes().eq_ignore_ascii_case(word) {
                    return Some(v - 1);
                }
            }
            s = (s + 1) & ((1 << TABLE_BITS) - 1);
        }
    }

    pub(crate) fn word(&self, i: u16) -> &'static str {
        self.words.get(usize::from(i)).copied().unwrap_or("")
    }

    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.words.len()
    }
}

/// Whether word indices form a valid BIP-39 mnemonic: 12, 15, 18, 21 or 24
/// words whose last bits are the leading bits of SHA-256 of the entropy.
pub(crate) fn checksum_ok(indices: &[u16]) -> bool {
    let n = indices.len();
    if !matches!(n, 12 | 15 | 18 | 21 | 24) {
        return false;
    }
    let total_bits = n * 11;
    let cs_bits = total_bits / 33;
    let ent_bits = total_bits - cs_bits;
    let mut bits = Vec::with_capacity(total_bits);
    for &i in indices {
        for b in (0..11).rev() {
            bits.push((i >> b) & 1 == 1);
        }
    }
    let entropy: Vec<u8> = bits[..ent_bits]
        .chunks(8)
        .map(|c| c.iter().fold(0u8, |acc, &b| (acc << 1) | u8::from(b)))
        .collect();
    let hash = Sha256::digest(&entropy);
    let first = hash.first().copied().unwrap_or(0);
    bits[ent_bits..]
        .iter()
        .enumerate()
        .all(|(k, &b)| ((first >> (7 - k)) & 1 == 1) == b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_is_complete_and_lookups_work() {
        let w = Wordlist::new();
        assert_eq!(w.len(), 2048);
        assert_eq!(w.index(b"abandon"), Some(0));
        assert_eq!(w.index(b"Zoo"), Some(2047));
        assert_eq!(w.index(b"ABOUT"), Some(3));
        assert_eq!(w.index(b"aband"), None);
        assert_eq!(w.index(b"hello"), w.index(b"HELLO"));
        assert!(w.index(b"qorgau").is_none());
    }

    #[test]
    fn abandon_about() {
        let w = Wordlist::new();
        let mut idx = vec![0u16; 11];
        idx.push(w.index(b"about").unwrap_or(0));
        assert!(checksum_ok(&idx));
        idx[11] = w.index(b"abandon").unwrap_or(0);
        assert!(!checksum_ok(&idx));
    }
}

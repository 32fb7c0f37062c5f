//! Phrase matching: one Aho-Corasick automaton over every word of every
//! pattern, then phrases assembled from word matches.
//!
//! Every distinct pattern word («работ», «дубае», «оплач») is one needle in
//! a single automaton. Patterns only match at word starts, so the automaton
//! runs anchored at the start of each word of the folded text, bounded by
//! the word's end, in leftmost-longest mode: that finds the longest needle
//! that is a prefix of the word, and every shorter needle that is also a
//! prefix of the word is a prefix of that one, listed once at load time.
//! So one bounded, anchored search per word finds every word match, and a
//! match is a whole word when it ends where the word ends (stems may end
//! earlier). Phrases are then checked word by word from the words that
//! matched their first word. Matching words rather than whole phrases lets a
//! phrase carry stems in any position («билет* оплач*»), which inflected
//! Russian and agglutinative Kazakh, Kyrgyz and Uzbek need.

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, AhoCorasickKind, Anchored, Input, MatchKind, StartKind};

use crate::error::LexiconError;
use crate::fold::Folded;
use crate::lexicon::Entry;

/// A pattern occurrence: entry, pattern, first and last token (inclusive).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RawHit {
    pub entry: u32,
    pub pattern: u32,
    pub first: u32,
    pub last: u32,
}

/// One word of a compiled pattern: atom, stem, gap before it.
type PWord = (u32, bool, u8);

/// The compiled automaton and the indexes around it.
#[derive(Debug, Clone)]
pub(crate) struct Matcher {
    ac: AhoCorasick,
    /// For every atom: the shorter atoms that are its prefixes.
    prefixes: Vec<Vec<u32>>,
    /// For every atom: the (entry, pattern) pairs whose first word it is.
    starts: Vec<Vec<(u32, u32)>>,
    /// Words of every pattern: entry → pattern → words.
    words: Vec<Vec<Vec<PWord>>>,
}

/// The longest atom that is a prefix of a token, and whether it is the
/// whole token.
#[derive(Debug, Clone, Copy)]
struct TokMatch {
    atom: u32,
    whole: bool,
}

impl Matcher {
    pub fn build(atoms: &[String], entries: &[Entry]) -> Result<Matcher, LexiconError> {
        let build = |kind| {
            AhoCorasick::builder()
                .match_kind(MatchKind::LeftmostLongest)
                .start_kind(StartKind::Anchored)
                .kind(Some(kind))
                .build(atoms)
        };
        // The contiguous NFA measured faster than the DFA here: with a few
        // thousand Cyrillic needles the DFA grows to ~10 MB and every
        // transition misses the cache, while words are short. The
        // noncontiguous NFA is the fallback should the contiguous one hit
        // its size limit.
        let ac = build(AhoCorasickKind::ContiguousNFA)
            .or_else(|_| build(AhoCorasickKind::NoncontiguousNFA))
            .map_err(|e| LexiconError::Automaton(e.to_string()))?;
        let ids: HashMap<&str, u32> = atoms
            .iter()
            .enumerate()
            .map(|(i, a)| (a.as_str(), i as u32))
            .collect();
        let prefixes = atoms
            .iter()
            .map(|a| {
                a.char_indices()
                    .skip(1)
                    .filter_map(|(i, _)| ids.get(&a[..i]).copied())
                    .collect()
            })
            .collect();
        let mut starts = vec![Vec::new(); atoms.len()];
        let mut words = Vec::with_capacity(entries.len());
        for (ei, e) in entries.iter().enumerate() {
            let mut ew = Vec::with_capacity(e.patterns.len());
            for (pi, p) in e.patterns.iter().enumerate() {
                if let Some((atom, _)) = p.words.first()
                    && let Some(s) = starts.get_mut(*atom as usize)
                {
                    s.push((ei as u32, pi as u32));
                }
                ew.push(
                    p.words
                        .iter()
                        .map(|(a, w)| (*a, w.stem, w.gap_before))
                        .collect(),
                );
            }
            words.push(ew);
        }
        Ok(Matcher {
            ac,
            prefixes,
            starts,
            words,
        })
    }

    /// Whether token match `m` satisfies pattern word (`atom`, `stem`).
    fn word_matches(&self, m: Option<TokMatch>, atom: u32, stem: bool) -> bool {
        let Some(m) = m else { return false };
        if m.atom == atom {
            return stem || m.whole;
        }
        // A shorter atom than the longest match is never the whole token.
        stem && self
            .prefixes
            .get(m.atom as usize)
            .is_some_and(|p| p.contains(&atom))
    }

    /// Every pattern occurrence in `f`; overlapping occurrences of the same
    /// entry are merged into the longest.
    pub fn find(&self, f: &Folded) -> Vec<RawHit> {
        let text = f.text.as_str();
        let toks: Vec<Option<TokMatch>> = f
            .tokens
            .iter()
            .map(|r| {
                let input = Input::new(text).span(r.clone()).anchored(Anchored::Yes);
                self.ac.find(input).map(|m| TokMatch {
                    atom: m.pattern().as_u32(),
                    whole: m.end() == r.end,
                })
            })
            .collect();
        let at = |tok: usize, atom: u32, stem: bool| -> bool {
            self.word_matches(toks.get(tok).copied().flatten(), atom, stem)
        };
        let mut hits = Vec::new();
        for (ti, m) in toks.iter().enumerate() {
            let Some(m) = m else { continue };
            let firsts = std::iter::once(m.atom).chain(
                self.prefixes
                    .get(m.atom as usize)
                    .into_iter()
                    .flatten()
                    .copied(),
            );
            for atom in firsts {
                let Some(cands) = self.starts.get(atom as usize) else {
                    continue;
                };
                for &(e, p) in cands {
                    let Some(words) = self.words.get(e as usize).and_then(|w| w.get(p as usize))
                    else {
                        continue;
                    };
                    let Some(&(a0, stem0, _)) = words.first() else {
                        continue;
                    };
                    if !self.word_matches(Some(*m), a0, stem0) {
                        continue;
                    }
                    if let Some(last) = extend(&words[1..], ti + 1, toks.len(), &at) {
                        hits.push(RawHit {
                            entry: e,
                            pattern: p,
                            first: ti as u32,
                            last: last as u32,
                        });
                    }
                }
            }
        }
        dedupe(hits)
    }
}

/// Matches the remaining `words` from token `next`; returns the last token.
fn extend(
    words: &[PWord],
    next: usize,
    ntok: usize,
    at: &dyn Fn(usize, u32, bool) -> bool,
) -> Option<usize> {
    let Some(&(atom, stem, gap)) = words.first() else {
        return Some(next.saturating_sub(1));
    };
    for j in next..=next + usize::from(gap) {
        if j >= ntok {
            break;
        }
        if at(j, atom, stem)
            && let Some(end) = extend(&words[1..], j + 1, ntok, at)
        {
            return Some(end);
        }
    }
    None
}

/// Keeps, per entry, the longest of overlapping occurrences.
fn dedupe(mut hits: Vec<RawHit>) -> Vec<RawHit> {
    hits.sort_unstable_by_key(|h| (h.entry, h.first, std::cmp::Reverse(h.last)));
    let mut out: Vec<RawHit> = Vec::with_capacity(hits.len());
    for h in hits {
        if let Some(prev) = out.last()
            && prev.entry == h.entry
            && h.first <= prev.last
        {
            continue;
        }
        out.push(h);
    }
    out.sort_unstable_by_key(|h| (h.first, h.entry));
    out
}

//! The template of one cluster: the text its members share and the slots
//! where they differ, with the values seen there.
//!
//! Investigators read a cluster through its template ("Работа в {Дубае|
//! Анталье} … пиши {…}"), as InfoShield shows it, but here for any script.
//! Method: tokenise each member into words (kept as written, compared by
//! their canonical key: lower case, digits masked, punctuation and emoji
//! dropped); sample at most `max_sample` members evenly; pick the medoid (the
//! member most similar to all others by word-set Jaccard); reorder each
//! member's lines to follow the medoid's (greedy best line match, since
//! reposts shuffle lines); align each member to the medoid with an LCS over
//! keys. A medoid word matched by more than `fixed_share` (0.8) of the
//! sample is fixed (a word most but not nearly all members share, such as
//! the commonest city, is shown as a slot, not as fixed text); a number is fixed only if it is the same everywhere. Every other
//! word of every member falls into the gap after the last fixed word before
//! it; a gap becomes a slot when the medoid has words there or at least
//! `slot_share` of the sample does. The cost is O(sample² · words) for the
//! medoid and O(sample · words²) for the alignments, independent of the
//! cluster size.

use std::collections::HashMap;
use std::fmt;

use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::xxh3_64;

use crate::tokens::{DIGITS, word_key};

/// A cluster template: fixed text and slots, in reading order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Template {
    /// Fixed runs and slots in order. A fixed run keeps the medoid's words
    /// as written, joined by spaces, with `\n` where the medoid's line
    /// changes.
    pub segments: Vec<Segment>,
    /// Number of member texts given.
    pub members: usize,
    /// Number of members the template was computed from.
    pub sampled: usize,
}

/// One part of a [`Template`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Segment {
    /// Words most members share.
    Fixed(String),
    /// A place where members differ.
    Slot {
        /// Distinct values seen (words as written, joined by spaces), most
        /// frequent first, capped at `max_values`; `""` means some members
        /// have nothing there.
        values: Vec<String>,
        /// Number of distinct values seen in the sample (≥ `values.len()`).
        distinct: usize,
    },
}

/// Knobs of [`template_with`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TemplateParams {
    /// Most members aligned.
    pub max_sample: usize,
    /// A word is fixed when more than this share of the sample has it.
    pub fixed_share: f64,
    /// A gap between fixed words that only members fill becomes a slot when
    /// at least this share of the sample fills it.
    pub slot_share: f64,
    /// Most values listed per slot.
    pub max_values: usize,
    /// Words per member considered (longer texts are cut).
    pub max_words: usize,
}

impl Default for TemplateParams {
    fn default() -> Self {
        Self {
            max_sample: 200,
            fixed_share: 0.8,
            slot_share: 0.1,
            max_values: 20,
            max_words: 1000,
        }
    }
}

impl Template {
    /// Number of slots.
    pub fn slot_count(&self) -> usize {
        self.segments
            .iter()
            .filter(|s| matches!(s, Segment::Slot { .. }))
            .count()
    }

    /// The fixed runs, in order.
    pub fn fixed(&self) -> impl Iterator<Item = &str> {
        self.segments.iter().filter_map(|s| match s {
            Segment::Fixed(t) => Some(t.as_str()),
            Segment::Slot { .. } => None,
        })
    }
}

impl fmt::Display for Template {
    /// Fixed text as is, slots as `{a|b|…}`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (n, seg) in self.segments.iter().enumerate() {
            if n > 0 && !matches!(seg, Segment::Fixed(t) if t.starts_with('\n')) {
                f.write_str(" ")?;
            }
            match seg {
                Segment::Fixed(t) => f.write_str(t)?,
                Segment::Slot { values, distinct } => {
                    f.write_str("{")?;
                    f.write_str(&values.join("|"))?;
                    if *distinct > values.len() {
                        f.write_str("|…")?;
                    }
                    f.write_str("}")?;
                }
            }
        }
        Ok(())
    }
}

/// One word of a member.
struct Word<'a> {
    key: u64,
    text: &'a str,
    line: u32,
    number: bool,
}

/// A member's words and the word range of each non-empty line.
struct Member<'a> {
    words: Vec<Word<'a>>,
    lines: Vec<(usize, usize)>,
}

fn tokenize<'a>(
    text: &'a str,
    max_words: usize,
    buf: &mut String,
    scratch: &mut String,
) -> Member<'a> {
    let mut words = Vec::new();
    let mut lines = Vec::new();
    for raw in text.split(['\n', '\r', '\u{2028}', '\u{2029}']) {
        let start = words.len();
        for w in raw.split_whitespace() {
            if words.len() >= max_words {
                break;
            }
            word_key(w, buf, scratch);
            if buf.is_empty() {
                continue;
            }
            words.push(Word {
                key: xxh3_64(buf.as_bytes()),
                text: w,
                line: lines.len() as u32,
                number: buf.contains(DIGITS),
            });
        }
        if words.len() > start {
            lines.push((start, words.len()));
        }
    }
    Member { words, lines }
}

fn sorted_keys(words: &[Word<'_>]) -> Vec<u64> {
    let mut k: Vec<u64> = words.iter().map(|w| w.key).collect();
    k.sort_unstable();
    k.dedup();
    k
}

/// |a ∩ b| of two sorted, deduplicated key lists.
fn common(a: &[u64], b: &[u64]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

fn jaccard(a: &[u64], b: &[u64]) -> f64 {
    let c = common(a, b);
    let u = a.len() + b.len() - c;
    if u == 0 { 0.0 } else { c as f64 / u as f64 }
}

/// The member's word indices in the order that follows the medoid's lines.
fn reorder(medoid: &Member<'_>, member: &Member<'_>) -> Vec<usize> {
    let line_keys = |m: &Member<'_>| -> Vec<Vec<u64>> {
        m.lines
            .iter()
            .map(|&(s, e)| sorted_keys(&m.words[s..e]))
            .collect()
    };
    let (ml, xl) = (line_keys(medoid), line_keys(member));
    let mut pairs: Vec<(usize, usize, usize)> = Vec::new(); // (score, medoid line, member line)
    for (i, a) in ml.iter().enumerate() {
        for (j, b) in xl.iter().enumerate() {
            let c = common(a, b);
            if c > 0 {
                // Share of the longer line, scaled to an integer for a total order.
                pairs.push((c * 1_000_000 / a.len().max(b.len()), i, j));
            }
        }
    }
    pairs.sort_unstable_by(|x, y| y.0.cmp(&x.0).then(x.1.cmp(&y.1)).then(x.2.cmp(&y.2)));
    let mut of_member: Vec<Option<usize>> = vec![None; xl.len()];
    let mut taken = vec![false; ml.len()];
    for (_, i, j) in pairs {
        if of_member[j].is_none() && !taken[i] {
            of_member[j] = Some(i);
            taken[i] = true;
        }
    }
    let mut order: Vec<(i64, u8, usize)> = Vec::with_capacity(xl.len());
    let mut last = -1i64;
    for (j, m) in of_member.iter().enumerate() {
        match m {
            Some(i) => {
                last = *i as i64;
                order.push((last, 0, j));
            }
            None => order.push((last, 1, j)),
        }
    }
    order.sort_unstable();
    order
        .into_iter()
        .flat_map(|(_, _, j)| {
            let (s, e) = member.lines[j];
            s..e
        })
        .collect()
}

/// LCS alignment of keys: for each medoid word, the matched position in `b`.
fn align(a: &[u64], b: &[u64]) -> Vec<Option<usize>> {
    let (m, n) = (a.len(), b.len());
    let w = n + 1;
    let mut dp = vec![0u16; (m + 1) * w];
    for i in (0..m).rev() {
        for j in (0..n).rev() {
            dp[i * w + j] = if a[i] == b[j] {
                dp[(i + 1) * w + j + 1] + 1
            } else {
                dp[(i + 1) * w + j].max(dp[i * w + j + 1])
            };
        }
    }
    let mut out = vec![None; m];
    let (mut i, mut j) = (0, 0);
    while i < m && j < n {
        if a[i] == b[j] {
            out[i] = Some(j);
            i += 1;
            j += 1;
        } else if dp[(i + 1) * w + j] >= dp[i * w + j + 1] {
            i += 1;
        } else {
            j += 1;
        }
    }
    out
}

/// The template of one cluster with default [`TemplateParams`].
pub fn template(texts: &[&str]) -> Template {
    template_with(texts, &TemplateParams::default())
}

/// The template of one cluster; `texts` are its members, normalised.
pub fn template_with(texts: &[&str], params: &TemplateParams) -> Template {
    let max_words = params.max_words.clamp(1, u16::MAX as usize - 1);
    let take = params.max_sample.max(1).min(texts.len());
    let (mut buf, mut scratch) = (String::new(), String::new());
    let sample: Vec<Member<'_>> = (0..take)
        .map(|k| k * texts.len() / take)
        .map(|i| tokenize(texts[i], max_words, &mut buf, &mut scratch))
        .collect();
    let s = sample.len();
    let empty = Template {
        segments: Vec::new(),
        members: texts.len(),
        sampled: s,
    };
    if s == 0 {
        return empty;
    }

    // Medoid: highest summed word-set similarity to the rest; first on ties.
    let keys: Vec<Vec<u64>> = sample.iter().map(|m| sorted_keys(&m.words)).collect();
    let mut score = vec![0.0f64; s];
    for a in 0..s {
        for b in a + 1..s {
            let j = jaccard(&keys[a], &keys[b]);
            score[a] += j;
            score[b] += j;
        }
    }
    let mut med = 0;
    for (i, &sc) in score.iter().enumerate() {
        if sc > score[med] {
            med = i;
        }
    }
    let medoid = &sample[med];
    let m = medoid.words.len();
    if m == 0 {
        return empty;
    }
    let med_keys: Vec<u64> = medoid.words.iter().map(|w| w.key).collect();

    // Align every sampled member: (reordered word indices, medoid pos → index into it).
    let aligned: Vec<(Vec<usize>, Vec<Option<usize>>)> = sample
        .iter()
        .enumerate()
        .map(|(k, member)| {
            if k == med {
                return ((0..m).collect(), (0..m).map(Some).collect());
            }
            let order = reorder(medoid, member);
            let ks: Vec<u64> = order.iter().map(|&w| member.words[w].key).collect();
            let matches = align(&med_keys, &ks);
            (order, matches)
        })
        .collect();

    // Fixed medoid words.
    let mut count = vec![0usize; m];
    for (_, matches) in &aligned {
        for (i, mt) in matches.iter().enumerate() {
            if mt.is_some() {
                count[i] += 1;
            }
        }
    }
    let mut fixed: Vec<bool> = count
        .iter()
        .map(|&c| c as f64 > params.fixed_share * s as f64)
        .collect();
    for i in 0..m {
        if fixed[i] && medoid.words[i].number {
            let first = medoid.words[i].text.to_lowercase();
            let varies = sample
                .iter()
                .zip(&aligned)
                .any(|(member, (order, matches))| {
                    matches[i].is_some_and(|p| member.words[order[p]].text.to_lowercase() != first)
                });
            if varies {
                fixed[i] = false;
            }
        }
    }

    // Each member's free words, grouped by the gap they fall in: gap g + 1
    // follows fixed medoid word g, gap 0 precedes the first.
    let mut gaps: Vec<Vec<String>> = vec![vec![String::new(); s]; m + 1];
    for (k, (member, (order, matches))) in sample.iter().zip(&aligned).enumerate() {
        let mut anchor_of = vec![None; order.len()];
        for (i, mt) in matches.iter().enumerate() {
            if let Some(p) = mt
                && fixed[i]
            {
                anchor_of[*p] = Some(i);
            }
        }
        let mut gap = 0usize;
        for (p, &w) in order.iter().enumerate() {
            match anchor_of[p] {
                Some(i) => gap = i + 1,
                None => {
                    let v = &mut gaps[gap][k];
                    if !v.is_empty() {
                        v.push(' ');
                    }
                    v.push_str(member.words[w].text);
                }
            }
        }
    }
    let is_slot = |g: usize| -> bool {
        let filled = gaps[g].iter().filter(|v| !v.is_empty()).count();
        !gaps[g][med].is_empty() || filled as f64 >= (params.slot_share * s as f64).max(1.0)
    };
    let slot = |g: usize| -> Segment {
        let mut seen: HashMap<&str, (usize, usize)> = HashMap::new();
        for (k, v) in gaps[g].iter().enumerate() {
            seen.entry(v.as_str()).or_insert((0, k)).0 += 1;
        }
        let mut vals: Vec<(&str, (usize, usize))> = seen.into_iter().collect();
        vals.sort_unstable_by(|a, b| b.1.0.cmp(&a.1.0).then(a.1.1.cmp(&b.1.1)));
        Segment::Slot {
            distinct: vals.len(),
            values: vals
                .into_iter()
                .take(params.max_values.max(1))
                .map(|(v, _)| v.to_owned())
                .collect(),
        }
    };

    let mut segments = Vec::new();
    let mut cur = String::new();
    let mut last_line: Option<u32> = None;
    if is_slot(0) {
        segments.push(slot(0));
    }
    for (i, w) in medoid.words.iter().enumerate() {
        if !fixed[i] {
            continue;
        }
        if last_line.is_some_and(|l| l != w.line) {
            cur.push('\n');
        } else if !cur.is_empty() {
            cur.push(' ');
        }
        cur.push_str(w.text);
        last_line = Some(w.line);
        if is_slot(i + 1) {
            segments.push(Segment::Fixed(std::mem::take(&mut cur)));
            segments.push(slot(i + 1));
        }
    }
    if !cur.is_empty() {
        segments.push(Segment::Fixed(cur));
    }
    Template {
        segments,
        members: texts.len(),
        sampled: s,
    }
}

//! Mirror domains: the names a site takes when it hops after a block
//! (kyzdar.net → kyzdar2.net → kyzdar4.net, kyzdar.org, kyzdar-new.net, kyzd4r.net,
//! a Cyrillic look-alike in an IDN), grouped so that an investigator sees one site with a
//! timeline rather than unrelated domains.
//!
//! # How names are compared
//! Each registrable domain is split into its name label and public suffix, IDN labels
//! (`xn--…`) decoded. The label is reduced to a **base**: split at `-`/`_`; digits at the
//! start or end of a part dropped (versions, `24`, `2`); *filler* parts that hops add
//! (`new`, `official`, `mirror`, `zerkalo`, `kz`, … — `data/mirror_words.txt`; business words such as `pro`, `group` or `vip` are not fillers, since unrelated firms differ by them) dropped
//! whole, and stripped as a prefix or suffix when at least four letters remain
//! (`newkyzdar`, `kyzdarkz`). The base is then mapped to a **skeleton**: Cyrillic and Greek
//! look-alikes to Latin, leetspeak digits inside the name to letters (0→o, 1→l, 3→e, 4→a,
//! 5→s, 7→t, 8→b), `i`→`l`, `q`→`k` (Kazakh қ is written both ways), `rn`→`m`, `vv`→`w`.
//!
//! Two domains are linked when (strongest first):
//! 1. their labels are equal (`kyzdar.net`, `kyzdar.org`): same name, another suffix;
//! 2. their bases are equal (`kyzdar2.net`, `kyzdar-new.net`);
//! 3. their skeletons are equal (`kyzd4r.net`, `kуzdar.net` with Cyrillic у);
//! 4. their page contents have near-identical fingerprints (a 64-bit SimHash or similar
//!    given by the caller; at most [`MirrorOptions::max_content_distance`] bits apart),
//!    whatever their names;
//! 5. their bases are equal and the caller says they have the same owner (documents linked
//!    by shared identifiers) — the only way a *generic* name is grouped;
//! 6. their skeletons are close: optimal-string-alignment distance 1 from
//!    [`MirrorOptions::fuzzy_min_len`] characters (6), 2 from
//!    [`MirrorOptions::fuzzy2_min_len`] (14). Candidates come from deletion neighbourhoods;
//!    two-deletion neighbourhoods are built only for names up to 8 characters past
//!    `fuzzy2_min_len`, since they grow with the square of the length.
//!
//! Rules 1–3 and 6 apply only to **distinctive** names: a skeleton of at least
//! [`MirrorOptions::min_base_len`] characters that is not made up entirely of *generic*
//! words (`work`, `jobs`, `dosug`, `models`, city names, … and the fillers). So `work.kz`,
//! `works.kz` and `work.org` stay apart — unrelated sites share such names all the time —
//! and short names never match by edit distance.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::sync::OnceLock;

use chrono::{DateTime, FixedOffset};
use serde::Serialize;

use crate::ident;
use crate::unionfind::UnionFind;

const WORDS: &str = include_str!("../data/mirror_words.txt");

/// Filler words that may also be stripped as a prefix of a longer part.
const PREFIX_FILLERS: &[&str] = &["new", "novyi", "official", "www", "mirror", "zerkalo"];

/// Tuning of name comparison; see the module doc.
#[derive(Clone, Debug)]
pub struct MirrorOptions {
    /// Shortest skeleton compared by name at all.
    pub min_base_len: usize,
    /// Shortest skeleton allowed one edit.
    pub fuzzy_min_len: usize,
    /// Shortest skeleton allowed two edits.
    pub fuzzy2_min_len: usize,
    /// Most differing bits between two content fingerprints still called the same content.
    pub max_content_distance: u32,
}

impl Default for MirrorOptions {
    fn default() -> Self {
        MirrorOptions {
            min_base_len: 4,
            fuzzy_min_len: 6,
            fuzzy2_min_len: 14,
            max_content_distance: 3,
        }
    }
}

/// A per-domain number: a content fingerprint or an owner key.
pub type DomainKey<'a> = &'a dyn Fn(&str) -> Option<u64>;

/// When a domain was first and last seen.
pub type DomainSeen<'a> =
    &'a dyn Fn(&str) -> Option<(DateTime<FixedOffset>, DateTime<FixedOffset>)>;

/// Supporting evidence the caller may have about each domain.
#[derive(Clone, Copy, Default)]
pub struct MirrorEvidence<'a> {
    /// A fingerprint of the domain's page content (e.g. a 64-bit SimHash).
    pub content: Option<DomainKey<'a>>,
    /// An owner key: equal for domains whose documents are linked by shared identifiers.
    pub owner: Option<DomainKey<'a>>,
    /// When the domain was first and last seen, to order each group as a timeline.
    pub seen: Option<DomainSeen<'a>>,
}

/// Why two domains are called mirrors.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum MirrorReason {
    /// The same name label under another public suffix.
    SameLabel {
        /// The shared label.
        label: String,
    },
    /// The same base once digits and filler words are dropped.
    SameBase {
        /// The shared base.
        base: String,
    },
    /// The same skeleton: homoglyphs, leetspeak or IDN look-alikes.
    LookAlike {
        /// The shared skeleton.
        skeleton: String,
    },
    /// Near-identical page content.
    SameContent {
        /// Differing fingerprint bits.
        distance: u32,
    },
    /// The same (generic) base, and documents linked by shared identifiers.
    SharedOwner {
        /// The shared base.
        base: String,
    },
    /// Skeletons a small edit apart.
    NearName {
        /// Edits between the skeletons.
        distance: usize,
    },
}

impl fmt::Display for MirrorReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MirrorReason::SameLabel { label } => {
                write!(f, "same name '{label}' under another suffix")
            }
            MirrorReason::SameBase { base } => {
                write!(f, "same name '{base}' with digits or version words changed")
            }
            MirrorReason::LookAlike { skeleton } => write!(
                f,
                "look-alike spelling of '{skeleton}' (homoglyphs, leetspeak or IDN)"
            ),
            MirrorReason::SameContent { distance } => write!(
                f,
                "near-identical page content (fingerprints {distance} bits apart)"
            ),
            MirrorReason::SharedOwner { base } => write!(
                f,
                "same name '{base}' and documents linked by shared identifiers"
            ),
            MirrorReason::NearName { distance } => {
                let s = if *distance == 1 { "" } else { "s" };
                write!(f, "name differs by {distance} character{s}")
            }
        }
    }
}

/// One explained link of a group: `from` is a mirror of `to` (the earlier or first-named).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MirrorLink {
    /// The later or variant domain.
    pub from: String,
    /// The domain it mirrors.
    pub to: String,
    /// Why.
    pub reason: MirrorReason,
}

impl MirrorLink {
    /// The edge label used in graphs: "mirror of kyzdar.net: same name 'kyzdar' …".
    pub fn describe(&self) -> String {
        format!("mirror of {}: {}", self.to, self.reason)
    }
}

/// One domain of a group, with when it was seen.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MirrorMember {
    /// The registrable domain as given (lower-case, ASCII/punycode).
    pub domain: String,
    /// The same with IDN labels decoded, when that differs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unicode: Option<String>,
    /// First time seen, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_seen: Option<DateTime<FixedOffset>>,
    /// Last time seen, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_seen: Option<DateTime<FixedOffset>>,
}

/// A group of domains taken to be one site under several names.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MirrorGroup {
    /// `m-` and 12 hex digits of SHA-256 of the group's alphabetically first domain, so the
    /// id stays put while the group gains newer mirrors.
    pub id: String,
    /// The base name of the earliest member.
    pub base: String,
    /// Members in timeline order: first seen first (unknown times last), then by name.
    pub members: Vec<MirrorMember>,
    /// A spanning set of links, each with its reason.
    pub links: Vec<MirrorLink>,
}

impl MirrorGroup {
    /// Whether `domain` is a member.
    pub fn contains(&self, domain: &str) -> bool {
        self.members.iter().any(|m| m.domain == domain)
    }

    /// Member names in timeline order.
    pub fn domains(&self) -> Vec<&str> {
        self.members.iter().map(|m| m.domain.as_str()).collect()
    }

    /// First time any member was seen.
    pub fn first_seen(&self) -> Option<DateTime<FixedOffset>> {
        self.members.iter().filter_map(|m| m.first_seen).min()
    }

    /// Last time any member was seen.
    pub fn last_seen(&self) -> Option<DateTime<FixedOffset>> {
        self.members.iter().filter_map(|m| m.last_seen).max()
    }
}

/// How a domain name reads for mirror grouping; public so that reports can show why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DomainName {
    /// The registrable domain, lower-case ASCII as given.
    pub domain: String,
    /// The name label, IDN decoded.
    pub label: String,
    /// The public suffix.
    pub suffix: String,
    /// The label without digits and filler words.
    pub base: String,
    /// The base with look-alikes folded.
    pub skeleton: String,
    /// Whether the name is too short or made only of generic words to be grouped by name.
    pub generic: bool,
}

struct Words {
    filler: HashSet<&'static str>,
    generic: HashSet<&'static str>,
    /// Fillers longest first, so that suffix stripping does not depend on hash order.
    suffixes: Vec<&'static str>,
}

fn words() -> &'static Words {
    static WORDS_CELL: OnceLock<Words> = OnceLock::new();
    WORDS_CELL.get_or_init(|| {
        let mut w = Words {
            filler: HashSet::new(),
            generic: HashSet::new(),
            suffixes: Vec::new(),
        };
        for line in WORDS.lines() {
            let line = line.split('#').next().unwrap_or("").trim();
            match line.split_once(' ') {
                Some(("filler", word)) => {
                    w.filler.insert(word.trim());
                }
                Some(("generic", word)) => {
                    w.generic.insert(word.trim());
                }
                _ => {}
            }
        }
        let mut suffixes: Vec<&'static str> = w.filler.iter().copied().collect();
        suffixes.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
        w.suffixes = suffixes;
        w
    })
}

impl DomainName {
    /// Reads a domain (or host, or URL) for grouping; `None` when it is not a domain name.
    pub fn parse(input: &str, options: &MirrorOptions) -> Option<DomainName> {
        let host = if input.contains(['/', ':', '@']) {
            ident::host_of(input)?
        } else {
            input.trim().trim_end_matches('.').to_lowercase()
        };
        let host = host.strip_prefix("www.").unwrap_or(&host);
        if !host.contains('.')
            || host.split('.').any(|l| {
                l.is_empty()
                    || !l
                        .chars()
                        .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
            })
        {
            return None;
        }
        let domain = ident::registrable(host);
        let (label, suffix) = ident::split_suffix(&domain);
        let label = decode_idn(label);
        let (base, stripped_all) = base_of(&label);
        let skeleton = skeleton_of(&base);
        let generic = stripped_all
            || skeleton.chars().count() < options.min_base_len
            || all_generic(&base)
            || all_generic(&skeleton);
        Some(DomainName {
            suffix: suffix.to_owned(),
            domain: domain.clone(),
            label,
            base,
            skeleton,
            generic,
        })
    }
}

fn decode_idn(label: &str) -> String {
    label
        .strip_prefix("xn--")
        .and_then(idna::punycode::decode_to_string)
        .map(|s| s.to_lowercase())
        .unwrap_or_else(|| label.to_owned())
}

fn strip_digits(part: &str) -> &str {
    part.trim_matches(|c: char| c.is_ascii_digit())
}

/// The base of a label and whether nothing distinctive was left (so the base is a fallback).
fn base_of(label: &str) -> (String, bool) {
    let w = words();
    let mut kept: Vec<String> = Vec::new();
    for part in label.split(['-', '_']) {
        let mut part = strip_digits(part).to_owned();
        if part.is_empty() || w.filler.contains(part.as_str()) {
            continue;
        }
        loop {
            let before = part.len();
            for filler in &w.suffixes {
                if filler.len() >= 2 && part.len() >= filler.len() + 4 && part.ends_with(filler) {
                    part.truncate(part.len() - filler.len());
                    part = strip_digits(&part).to_owned();
                    break;
                }
            }
            for filler in PREFIX_FILLERS {
                if part.len() >= filler.len() + 4 && part.starts_with(filler) {
                    part = strip_digits(&part[filler.len()..]).to_owned();
                    break;
                }
            }
            if part.len() == before {
                break;
            }
        }
        if !part.is_empty() {
            kept.push(part);
        }
    }
    if kept.is_empty() {
        let fallback: String = strip_digits(label)
            .chars()
            .filter(|c| c.is_alphanumeric())
            .collect();
        return (fallback, true);
    }
    (kept.concat(), false)
}

/// Folds look-alike characters so that spoofed spellings meet.
fn skeleton_of(base: &str) -> String {
    let mut out = String::with_capacity(base.len());
    for c in base.chars() {
        let mapped = match c {
            'а' | 'α' | 'ä' | 'á' | 'à' | 'â' | 'ã' | 'å' | 'ə' | 'ә' | '4' => 'a',
            'в' | 'β' | 'ь' | '8' => 'b',
            'с' | 'ç' | 'ϲ' => 'c',
            'ԁ' => 'd',
            'е' | 'ё' | 'ε' | 'é' | 'è' | 'ê' | 'ë' | '3' => 'e',
            'һ' | 'н' | 'ң' => 'h',
            'і' | 'ї' | 'ι' | 'í' | 'ì' | 'î' | 'ï' | 'ӏ' | 'i' | '1' | 'l' | '|' => 'l',
            'ј' => 'j',
            'к' | 'κ' | 'қ' | 'q' | 'ԛ' => 'k',
            'м' => 'm',
            'η' => 'n',
            'о' | 'ο' | 'ө' | 'ö' | 'ó' | 'ò' | 'ô' | 'õ' | '0' => 'o',
            'р' | 'ρ' => 'p',
            'ѕ' | '5' => 's',
            'т' | 'τ' | '7' => 't',
            'υ' | 'ü' | 'ú' | 'ù' | 'û' => 'u',
            'ν' => 'v',
            'ԝ' | 'ω' => 'w',
            'х' | 'χ' => 'x',
            'у' | 'ү' | 'ұ' | 'ý' => 'y',
            other => other,
        };
        out.push(mapped);
    }
    out.replace("rn", "m").replace("vv", "w")
}

/// Whether `s` splits entirely into generic words, filler words and digit runs.
fn all_generic(s: &str) -> bool {
    let w = words();
    let bounds: Vec<usize> = s
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(s.len()))
        .collect();
    let n = bounds.len();
    if n <= 1 {
        return true;
    }
    let mut ok = vec![false; n];
    ok[0] = true;
    for end in 1..n {
        for start in 0..end {
            if !ok[start] {
                continue;
            }
            let piece = &s[bounds[start]..bounds[end]];
            if w.generic.contains(piece)
                || w.filler.contains(piece)
                || piece.chars().all(|c| c.is_ascii_digit())
            {
                ok[end] = true;
                break;
            }
        }
    }
    ok[n - 1]
}

/// Groups near-identical domain names; a domain in no group is left out. `content` may give
/// a page fingerprint per domain (see [`MirrorEvidence::content`]).
pub fn mirror_groups<'a>(
    domains: impl IntoIterator<Item = &'a str>,
    content: Option<DomainKey<'_>>,
) -> Vec<MirrorGroup> {
    let evidence = MirrorEvidence {
        content,
        ..MirrorEvidence::default()
    };
    mirror_groups_with(domains, &MirrorOptions::default(), &evidence)
}

/// [`mirror_groups`] with explicit options and all kinds of supporting evidence.
pub fn mirror_groups_with<'a>(
    domains: impl IntoIterator<Item = &'a str>,
    options: &MirrorOptions,
    evidence: &MirrorEvidence<'_>,
) -> Vec<MirrorGroup> {
    let mut names: Vec<DomainName> = Vec::new();
    let mut seen_names = HashSet::new();
    for d in domains {
        if let Some(name) = DomainName::parse(d, options)
            && seen_names.insert(name.domain.clone())
        {
            names.push(name);
        }
    }
    names.sort_by(|a, b| a.domain.cmp(&b.domain));
    let times: Vec<Option<(DateTime<FixedOffset>, DateTime<FixedOffset>)>> = names
        .iter()
        .map(|n| evidence.seen.and_then(|f| f(&n.domain)))
        .collect();
    // Earlier-seen first, then alphabetical: the order in which a link points "to" a domain.
    let order_key = |i: usize| (times[i].map(|t| t.0).is_none(), times[i].map(|t| t.0), i);

    let mut uf = UnionFind::new(names.len());
    let mut links: Vec<(usize, usize, MirrorReason)> = Vec::new();
    let mut link = |uf: &mut UnionFind, a: usize, b: usize, reason: MirrorReason| {
        if uf.union(a as u32, b as u32) {
            let (to, from) = if order_key(a) <= order_key(b) {
                (a, b)
            } else {
                (b, a)
            };
            links.push((from, to, reason));
        }
    };

    // Rules 1-3: equal label, base, skeleton among distinctive names.
    let distinctive: Vec<usize> = (0..names.len()).filter(|&i| !names[i].generic).collect();
    for rule in 0..3 {
        let mut by_key: HashMap<&str, Vec<usize>> = HashMap::new();
        for &i in &distinctive {
            let key = match rule {
                0 => names[i].label.as_str(),
                1 => names[i].base.as_str(),
                _ => names[i].skeleton.as_str(),
            };
            by_key.entry(key).or_default().push(i);
        }
        let mut classes: Vec<Vec<usize>> = by_key.into_values().filter(|v| v.len() > 1).collect();
        classes.sort();
        for mut class in classes {
            class.sort_by_key(|&i| order_key(i));
            let head = class[0];
            for &other in &class[1..] {
                let reason = match rule {
                    0 => MirrorReason::SameLabel {
                        label: names[head].label.clone(),
                    },
                    1 => MirrorReason::SameBase {
                        base: names[head].base.clone(),
                    },
                    _ => MirrorReason::LookAlike {
                        skeleton: names[head].skeleton.clone(),
                    },
                };
                link(&mut uf, head, other, reason);
            }
        }
    }

    // Rule 4: content fingerprints, blocked by four 16-bit bands (pigeonhole: fingerprints
    // at most 3 bits apart agree on at least one band).
    if let Some(content) = evidence.content {
        let prints: Vec<Option<u64>> = names.iter().map(|n| content(&n.domain)).collect();
        let max = options.max_content_distance;
        let mut exact: HashMap<u64, usize> = HashMap::new();
        let mut bands: HashMap<(u8, u16), Vec<usize>> = HashMap::new();
        for (i, p) in prints.iter().enumerate() {
            let Some(p) = *p else { continue };
            match exact.get(&p) {
                Some(&head) => link(&mut uf, head, i, MirrorReason::SameContent { distance: 0 }),
                None => {
                    exact.insert(p, i);
                    for band in 0..4u8 {
                        let key = ((p >> (16 * u32::from(band))) & 0xffff) as u16;
                        bands.entry((band, key)).or_default().push(i);
                    }
                }
            }
        }
        if max > 0 {
            let mut buckets: Vec<Vec<usize>> =
                bands.into_values().filter(|v| v.len() > 1).collect();
            buckets.sort();
            for bucket in buckets {
                // A pathological bucket (many pages sharing a band) is cut to keep time bounded.
                let bucket = &bucket[..bucket.len().min(512)];
                for (x, &a) in bucket.iter().enumerate() {
                    for &b in &bucket[x + 1..] {
                        if let (Some(pa), Some(pb)) = (prints[a], prints[b]) {
                            let distance = (pa ^ pb).count_ones();
                            if distance <= max {
                                link(&mut uf, a, b, MirrorReason::SameContent { distance });
                            }
                        }
                    }
                }
            }
        }
    }

    // Rule 5: same base (generic or not) and the same owner.
    if let Some(owner) = evidence.owner {
        let mut by_owner: HashMap<(u64, &str), Vec<usize>> = HashMap::new();
        for (i, n) in names.iter().enumerate() {
            if n.base.is_empty() {
                continue;
            }
            if let Some(o) = owner(&n.domain) {
                by_owner.entry((o, n.base.as_str())).or_default().push(i);
            }
        }
        let mut classes: Vec<Vec<usize>> = by_owner.into_values().filter(|v| v.len() > 1).collect();
        classes.sort();
        for mut class in classes {
            class.sort_by_key(|&i| order_key(i));
            let head = class[0];
            for &other in &class[1..] {
                let base = names[head].base.clone();
                link(&mut uf, head, other, MirrorReason::SharedOwner { base });
            }
        }
    }

    // Rule 6: skeletons within a small edit distance, blocked by deletion neighbourhoods.
    let mut skeletons: Vec<(&str, usize)> = Vec::new();
    let mut skeleton_seen: HashSet<&str> = HashSet::new();
    for &i in &distinctive {
        let s = names[i].skeleton.as_str();
        if s.chars().count() >= options.fuzzy_min_len && skeleton_seen.insert(s) {
            skeletons.push((s, i));
        }
    }
    let mut neighbourhoods: HashMap<String, Vec<usize>> = HashMap::new();
    for (k, (s, _)) in skeletons.iter().enumerate() {
        // Two deletions only on mid-length names: the neighbourhood grows with the square of
        // the length, and long names rarely differ by exactly two characters by chance.
        let len = s.chars().count();
        let deep = len >= options.fuzzy2_min_len && len <= options.fuzzy2_min_len + 8;
        for variant in deletions(s, if deep { 2 } else { 1 }) {
            neighbourhoods.entry(variant).or_default().push(k);
        }
    }
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    for bucket in neighbourhoods.values() {
        if bucket.len() < 2 || bucket.len() > 256 {
            continue;
        }
        for (x, &a) in bucket.iter().enumerate() {
            for &b in &bucket[x + 1..] {
                pairs.push((a.min(b), a.max(b)));
            }
        }
    }
    pairs.sort_unstable();
    pairs.dedup();
    for (a, b) in pairs {
        let (sa, ia) = skeletons[a];
        let (sb, ib) = skeletons[b];
        let shorter = sa.chars().count().min(sb.chars().count());
        let allowed = if shorter >= options.fuzzy2_min_len {
            2
        } else if shorter >= options.fuzzy_min_len {
            1
        } else {
            0
        };
        let distance = strsim::osa_distance(sa, sb);
        if distance > 0 && distance <= allowed {
            link(&mut uf, ia, ib, MirrorReason::NearName { distance });
        }
    }

    // Collect groups.
    let mut members: HashMap<u32, Vec<usize>> = HashMap::new();
    for i in 0..names.len() {
        let root = uf.find(i as u32);
        members.entry(root).or_default().push(i);
    }
    let mut links_by_root: HashMap<u32, Vec<MirrorLink>> = HashMap::new();
    for (from, to, reason) in links {
        let root = uf.find(from as u32);
        links_by_root.entry(root).or_default().push(MirrorLink {
            from: names[from].domain.clone(),
            to: names[to].domain.clone(),
            reason,
        });
    }
    let mut groups: Vec<MirrorGroup> = Vec::new();
    for (root, mut idx) in members {
        if idx.len() < 2 {
            continue;
        }
        idx.sort_by_key(|&i| order_key(i));
        let first_domain = idx
            .iter()
            .map(|&i| names[i].domain.as_str())
            .min()
            .unwrap_or_default();
        let group_members = idx
            .iter()
            .map(|&i| {
                let n = &names[i];
                let unicode = if n.label != ident::split_suffix(&n.domain).0 {
                    Some(format!("{}.{}", n.label, n.suffix))
                } else {
                    None
                };
                MirrorMember {
                    domain: n.domain.clone(),
                    unicode,
                    first_seen: times[i].map(|t| t.0),
                    last_seen: times[i].map(|t| t.1),
                }
            })
            .collect();
        groups.push(MirrorGroup {
            id: format!("m-{}", crate::short_hash(first_domain)),
            base: names[idx[0]].base.clone(),
            members: group_members,
            links: links_by_root.remove(&root).unwrap_or_default(),
        });
    }
    groups.sort_by(|a, b| {
        let fa = a.members.first().map(|m| m.domain.as_str());
        let fb = b.members.first().map(|m| m.domain.as_str());
        b.members.len().cmp(&a.members.len()).then(fa.cmp(&fb))
    });
    groups
}

/// Every string made by deleting up to `depth` characters of `s` (including `s` itself).
fn deletions(s: &str, depth: usize) -> HashSet<String> {
    let mut out: HashSet<String> = HashSet::new();
    out.insert(s.to_owned());
    let mut frontier: Vec<String> = vec![s.to_owned()];
    for _ in 0..depth {
        let mut next = Vec::new();
        for word in &frontier {
            let chars: Vec<char> = word.chars().collect();
            for skip in 0..chars.len() {
                let v: String = chars
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| *i != skip)
                    .map(|(_, c)| *c)
                    .collect();
                if out.insert(v.clone()) {
                    next.push(v);
                }
            }
        }
        frontier = next;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(d: &str) -> DomainName {
        DomainName::parse(d, &MirrorOptions::default()).unwrap()
    }

    #[test]
    fn bases_drop_versions_and_fillers() {
        assert_eq!(name("kyzdar4.net").base, "kyzdar");
        assert_eq!(name("kyzdar-new.net").base, "kyzdar");
        assert_eq!(name("newkyzdar.net").base, "kyzdar");
        assert_eq!(name("new-kyzdar.org").base, "kyzdar");
        assert_eq!(name("kyzdar-official24.kz").base, "kyzdar");
        assert_eq!(name("kyzdar-zerkalo.kz").base, "kyzdar");
        assert_eq!(name("kyzdarkz.com").base, "kyzdar");
        assert_eq!(name("kyzdar-pro.kz").base, "kyzdarpro");
        assert_eq!(name("24kyzdar.kz").base, "kyzdar");
        assert_eq!(name("shop.kyzdar.com.kz").domain, "kyzdar.com.kz");
    }

    #[test]
    fn skeletons_fold_look_alikes() {
        assert_eq!(name("kyzd4r.net").skeleton, name("kyzdar.net").skeleton);
        assert_eq!(name("kуzdar.net").skeleton, name("kyzdar.net").skeleton); // Cyrillic у
        assert_eq!(name("qyzdar.net").skeleton, name("kyzdar.net").skeleton);
        assert_eq!(name("rnodels.com").skeleton, "models");
        // IDN labels are decoded before folding.
        let encoded = idna::punycode::encode_str("кыздар").unwrap();
        let idn = name(&format!("xn--{encoded}.kz"));
        assert_eq!(idn.label, "кыздар");
    }

    #[test]
    fn generic_names_are_marked() {
        assert!(name("work.kz").generic);
        assert!(name("works.kz").generic);
        assert!(name("rabota-almaty24.kz").generic);
        assert!(name("dosug24.kz").generic);
        assert!(name("new24.kz").generic);
        assert!(name("abc.kz").generic);
        assert!(!name("kyzdar.net").generic);
        assert!(!name("nurdosug.org").generic);
    }

    #[test]
    fn deletions_cover_one_edit() {
        let a = deletions("kyzdar", 1);
        let b = deletions("kyzdra", 1);
        assert!(a.intersection(&b).next().is_some());
    }
}

//! Telegram, Instagram and TikTok usernames written as `@name` or as a bare
//! name after a platform word («тг: name», «пиши в телегу @name», «инст»,
//! «TikTok»).
//!
//! A bare `@name` says nothing about the platform, and the same name on two
//! platforms may be two people, so a handle is reported only when the text
//! names the platform just before it. Platform words are matched on a
//! look-alike skeleton (`text::skeleton`), so «тeлeгa» with Latin e and a
//! and «ТікТок» still count.

use std::collections::HashMap;
use std::ops::Range;

use crate::text::{View, fast_lower, is_alnum, is_alpha, is_handle_byte, is_space, skeleton};
use crate::web::{instagram_ok, telegram_ok, tiktok_ok};
use crate::{Collector, IdentifierKind};

/// Platform words, by skeleton; exact words and prefixes.
#[derive(Debug)]
pub(crate) struct Triggers {
    exact: HashMap<String, IdentifierKind>,
    prefixes: Vec<(String, IdentifierKind)>,
    fillers: Vec<String>,
    /// The first two skeleton letters of every platform word (and of
    /// «ток»), as bits of `text::pair_bit`, to pass over other words after
    /// two letters.
    starts: [u64; 64],
    /// [`Triggers::may_be_platform`] of every word that starts with two
    /// basic Cyrillic letters (U+0400..=U+047F) or two ASCII characters,
    /// one bit per pair (`pair_index`): the same answer without decoding
    /// and folding the two characters.
    pairs: &'static [u64],
}

/// Bit of [`Triggers::pairs`] for a word starting with bytes `b`: two
/// ASCII characters (bits 0..16384) or two basic Cyrillic letters (bits
/// 16384..32768); `None` for other starts.
#[inline]
fn pair_index(b: &[u8]) -> Option<usize> {
    match *b {
        [a0, a1, b0, b1, ..] if a0 & 0xFE == 0xD0 && b0 & 0xFE == 0xD0 => {
            let code = |lead: u8, cont: u8| (usize::from(lead & 1) << 6) | usize::from(cont & 0x3F);
            Some(1 << 14 | code(a0, a1) << 7 | code(b0, b1))
        }
        [a, b, ..] if a < 0x80 && b < 0x80 => Some(usize::from(a) << 7 | usize::from(b)),
        _ => None,
    }
}

const TELEGRAM_WORDS: &[&str] = &[
    "тг",
    "tg",
    "тгк",
    "tlg",
    "тлг",
    "телега",
    "телеги",
    "телеге",
    "телегу",
    "телегой",
    "telega",
    "teleg",
    "телеграм",
    "телеграмм",
    "telegram",
    "telegramm",
    "телеграмме",
    "телеграмда",
    "телеграмға",
    "telegramda",
    "telegramga",
];
const TELEGRAM_PREFIXES: &[&str] = &["телеграм", "телегра", "telegram", "telegra"];
const INSTAGRAM_WORDS: &[&str] = &[
    "инст",
    "инста",
    "инсте",
    "инсту",
    "инстой",
    "инсты",
    "insta",
    "inst",
    "ig",
    "инстаграм",
    "instagram",
    "директ",
    "директе",
    "директа",
    "direct",
    "insta'da",
    "инстада",
];
const INSTAGRAM_PREFIXES: &[&str] = &["инстаграм", "instagram", "инстагр", "директ"];
const TIKTOK_WORDS: &[&str] = &["тикток", "tiktok", "тик-ток", "tik-tok", "тт", "tt"];
const TIKTOK_PREFIXES: &[&str] = &["тикток", "tiktok"];
/// Words that may stand between a platform word and an `@name`.
const FILLERS: &[&str] = &[
    "канал",
    "канале",
    "каналу",
    "чат",
    "чате",
    "бот",
    "группа",
    "группе",
    "аккаунт",
    "профиль",
    "ник",
    "логин",
    "страница",
    "странице",
    "channel",
    "chat",
    "bot",
    "group",
    "account",
    "profile",
    "page",
    "nick",
    "username",
    "в",
    "на",
    "во",
    "in",
    "on",
    "at",
    "мой",
    "наш",
    "мы",
    "my",
    "our",
    "us",
    "me",
    "пиши",
    "пишите",
    "напиши",
    "write",
    "dm",
    "сюда",
    "here",
    "тут",
    "здесь",
    "нам",
    "мне",
    "админу",
    "админ",
    "менеджеру",
    "менеджер",
    "admin",
    "manager",
    "жазыңыз",
    "жаз",
    "yozing",
    "и",
];
/// Separators that chain several handles after one platform word.
const LIST_WORDS: &[&str] = &["или", "и", "or", "and", "немесе", "yoki"];

/// Common words that never stand for a bare (no `@`) username.
const NOT_HANDLES: &[&str] = &[
    "the",
    "and",
    "for",
    "you",
    "me",
    "us",
    "here",
    "now",
    "today",
    "bot",
    "channel",
    "chat",
    "group",
    "link",
    "contact",
    "account",
    "profile",
    "direct",
    "dm",
    "only",
    "please",
    "pls",
    "write",
    "message",
    "send",
    "subscribe",
    "follow",
    "join",
    "official",
    "page",
    "online",
    "free",
    "video",
    "photo",
    "and",
    "or",
    "with",
    "via",
    "whatsapp",
    "telegram",
    "instagram",
    "tiktok",
    "viber",
    "insta",
    "usdt",
    "trc20",
    "erc20",
    "kaspi",
    "halyk",
];

impl Triggers {
    pub(crate) fn new() -> Self {
        let mut exact = HashMap::new();
        let mut prefixes = Vec::new();
        for (words, prefs, kind) in [
            (TELEGRAM_WORDS, TELEGRAM_PREFIXES, IdentifierKind::Telegram),
            (
                INSTAGRAM_WORDS,
                INSTAGRAM_PREFIXES,
                IdentifierKind::Instagram,
            ),
            (TIKTOK_WORDS, TIKTOK_PREFIXES, IdentifierKind::Tiktok),
        ] {
            for w in words {
                exact.insert(skeleton(w), kind);
            }
            for p in prefs {
                prefixes.push((skeleton(p), kind));
            }
        }
        let mut starts = [0u64; 64];
        for w in exact
            .keys()
            .chain(prefixes.iter().map(|(p, _)| p))
            .map(String::as_str)
            .chain(std::iter::once("tok"))
        {
            let mut ch = w.chars();
            if let Some(bit) = crate::text::pair_bit(ch.next(), ch.next()) {
                starts[bit / 64] |= 1 << (bit % 64);
            }
        }
        let mut tr = Self {
            exact,
            prefixes,
            fillers: FILLERS.iter().map(|w| skeleton(w)).collect(),
            starts,
            pairs: &[],
        };
        // Every pair of two ASCII characters or two basic Cyrillic letters,
        // answered by the general test once per process (the word lists
        // are constant).
        static PAIRS: std::sync::OnceLock<Vec<u64>> = std::sync::OnceLock::new();
        tr.pairs = PAIRS.get_or_init(|| tr.pair_bits());
        tr
    }

    /// The bits of [`Triggers::pairs`], from the folded test.
    fn pair_bits(&self) -> Vec<u64> {
        let mut pairs = vec![0u64; (1 << 15) / 64];
        for x in 0u32..128 {
            for y in 0u32..128 {
                for base in [0u32, 0x400] {
                    let (Some(a), Some(b)) = (char::from_u32(base + x), char::from_u32(base + y))
                    else {
                        continue;
                    };
                    let w: String = [a, b].iter().collect();
                    if let Some(bit) = pair_index(w.as_bytes())
                        && self.may_be_platform_slow(&w)
                    {
                        pairs[bit / 64] |= 1 << (bit % 64);
                    }
                }
            }
        }
        pairs
    }

    /// The platform words and prefixes (skeletons).
    pub(crate) fn words(&self) -> impl Iterator<Item = String> + '_ {
        self.exact
            .keys()
            .cloned()
            .chain(self.prefixes.iter().map(|(p, _)| p.clone()))
    }

    /// Whether `word` may be a platform word or «ток»: its first two
    /// letters read as the start of one. Every word that
    /// [`Triggers::platform`] or [`is_tok`] accepts passes.
    #[inline]
    pub(crate) fn may_be_platform(&self, word: &str) -> bool {
        match pair_index(word.as_bytes()) {
            Some(bit) => self
                .pairs
                .get(bit / 64)
                .is_some_and(|w| w & (1 << (bit % 64)) != 0),
            None => self.may_be_platform_slow(word),
        }
    }

    /// [`Triggers::may_be_platform`] from the folded first two letters.
    fn may_be_platform_slow(&self, word: &str) -> bool {
        let mut ch = word.chars();
        crate::text::pair_bit(ch.next(), ch.next())
            .is_some_and(|bit| self.starts[bit / 64] & (1 << (bit % 64)) != 0)
    }

    pub(crate) fn platform(&self, word: &str) -> Option<IdentifierKind> {
        // Every platform word starts with т/t, и/i or д/d and is short.
        let first = word
            .chars()
            .next()
            .map(|c| fast_lower(c).unwrap_or_else(|| c.to_lowercase().next().unwrap_or(c)));
        if word.len() > 32 || !matches!(first, Some('т' | 't' | 'и' | 'u' | 'i' | 'і' | 'д' | 'd'))
        {
            return None;
        }
        let mut buf = [0u8; SKELETON_BUF];
        let s = skeleton_in(word, &mut buf)?;
        self.exact.get(s).copied().or_else(|| {
            self.prefixes
                .iter()
                .find(|(p, _)| s.starts_with(p.as_str()))
                .map(|(_, k)| *k)
        })
    }

    fn is_filler(&self, word: &str) -> bool {
        let mut buf = [0u8; SKELETON_BUF];
        skeleton_in(word, &mut buf).is_some_and(|s| self.fillers.iter().any(|f| f == s))
    }
}

/// Room for the skeleton of any word the triggers compare (the longest
/// platform and filler words are 12 letters).
const SKELETON_BUF: usize = 128;

/// [`skeleton`] written into `buf` without allocating; `None` when it does
/// not fit (then it matches no trigger word).
fn skeleton_in<'a>(word: &str, buf: &'a mut [u8; SKELETON_BUF]) -> Option<&'a str> {
    let mut n = 0;
    let mut put = |l: char, n: &mut usize| {
        let m = crate::text::skeleton_char(l);
        let len = m.len_utf8();
        if *n + len > buf.len() {
            return false;
        }
        m.encode_utf8(&mut buf[*n..*n + len]);
        *n += len;
        true
    };
    for c in word.chars() {
        if let Some(l) = fast_lower(c) {
            if !put(l, &mut n) {
                return None;
            }
        } else {
            for l in c.to_lowercase() {
                if !put(l, &mut n) {
                    return None;
                }
            }
        }
    }
    std::str::from_utf8(&buf[..n]).ok()
}

/// Whether platform word `word` at `t[ws..]` is «тг» after a number:
/// tenge, not Telegram (see `context_before`).
pub(crate) fn is_tenge(t: &str, ws: usize, word: &str) -> bool {
    let mut buf = [0u8; SKELETON_BUF];
    matches!(skeleton_in(word, &mut buf), Some("tr" | "tg"))
        && t[..ws]
            .trim_end_matches([' ', '\t'])
            .ends_with(|c: char| c.is_ascii_digit())
}

/// Whether `word` reads «ток»/«tok», the second half of «тик ток».
pub(crate) fn is_tok(word: &str) -> bool {
    let mut buf = [0u8; SKELETON_BUF];
    word.len() <= 8 && skeleton_in(word, &mut buf) == Some("tok")
}

/// Byte ranges of the words in `t` that name a platform (or are the «ток»
/// of «тик ток»): a handle is read only shortly after one of them.
pub(crate) fn platform_words(t: &str, tr: &Triggers) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let check = |s: usize, e: usize, out: &mut Vec<Range<usize>>| {
        let w = &t[s..e];
        if tr.may_be_platform(w) && (tr.platform(w).is_some() || is_tok(w)) {
            out.push(s..e);
        }
    };
    let b = t.as_bytes();
    let mut start: Option<usize> = None;
    let mut i = 0;
    while i < b.len() {
        let x = b[i];
        // ASCII and the two-byte Cyrillic letters U+0400..=U+047F without
        // decoding; other characters by `text::is_alpha`.
        let (alpha, len) = if x < 0x80 {
            (x.is_ascii_alphabetic(), 1)
        } else if x == 0xD0 || x == 0xD1 {
            (true, 2)
        } else {
            match t[i..].chars().next() {
                Some(c) => (is_alpha(c), c.len_utf8()),
                None => break,
            }
        };
        if alpha {
            start.get_or_insert(i);
        } else if let Some(s) = start.take() {
            check(s, i, &mut out);
        }
        i += len;
    }
    if let Some(s) = start {
        check(s, t.len(), &mut out);
    }
    out
}

/// How far after a platform word a handle may stand and still be tied to
/// it (`context_before` looks back at most 24 bytes of separators, two
/// filler words and a platform word, or 96 bytes further in the sentence).
const REACH: usize = 400;

/// What stands before a handle.
struct Context {
    kind: IdentifierKind,
    /// The platform word is written in Cyrillic.
    cyrillic: bool,
    /// A colon separates it from the handle.
    colon: bool,
    /// Only separators (no filler words) stand between.
    direct: bool,
}

/// Characters skipped between a platform word and a handle: spaces, colons,
/// dashes, arrows, emoji and other symbols, but not sentence punctuation.
fn is_skippable(c: char) -> bool {
    if c == '\n' {
        return false;
    }
    if is_space(c) {
        return true;
    }
    if is_alnum(c) {
        return false;
    }
    !matches!(
        c,
        '.' | ',' | '!' | '?' | ';' | '@' | '/' | '"' | '«' | '»' | '_'
    )
}

/// The word that ends at byte `end`: letters and inner hyphens.
fn word_before(t: &str, end: usize) -> Option<(usize, &str)> {
    let head = t.get(..end)?;
    let mut start = end;
    for (i, c) in head.char_indices().rev() {
        if is_alpha(c) || (c == '-' && i + 1 < start && start < end) || c == '\'' {
            start = i;
        } else {
            break;
        }
        if end - start > 48 {
            return None;
        }
    }
    (start < end).then(|| (start, &t[start..end]))
}

/// Skips skippable characters backwards from `pos`, at most `limit` bytes;
/// a line break is crossed only right after a colon ("Telegram:\n@name").
fn skip_back(t: &str, mut pos: usize, limit: usize, colon: &mut bool) -> usize {
    let stop = pos.saturating_sub(limit);
    while pos > stop {
        let Some(c) = t[..pos].chars().next_back() else {
            break;
        };
        if c == ':' {
            *colon = true;
        }
        let crossing = c == '\n'
            && t[..pos - 1]
                .trim_end_matches([' ', '\t', '\r'])
                .ends_with(':');
        if !(is_skippable(c) || crossing) {
            break;
        }
        pos -= c.len_utf8();
    }
    pos
}

/// The platform named before byte `pos`, if any.
fn context_before(
    t: &str,
    tr: &Triggers,
    pos: usize,
    last: Option<(usize, IdentifierKind)>,
    allow_far: bool,
) -> Option<Context> {
    let mut colon = false;
    let mut p = skip_back(t, pos, 24, &mut colon);
    // A list of handles after one platform word: "тг: @a, @b или @c".
    if let Some((end, kind)) = last {
        let gap = t.get(end..pos).unwrap_or("x");
        let g = gap.trim_matches(|c: char| c.is_whitespace() || c == ',' || c == '/');
        if gap.len() < 12 && (g.is_empty() || LIST_WORDS.contains(&g.to_lowercase().as_str())) {
            return Some(Context {
                kind,
                cyrillic: false,
                colon: true,
                direct: true,
            });
        }
    }
    let mut fillers = 0;
    loop {
        let (ws, w) = word_before(t, p)?;
        if let Some(kind) = tr.platform(w) {
            // «5000 тг» is tenge, not Telegram.
            if is_tenge(t, ws, w) {
                return None;
            }
            return Some(Context {
                kind,
                cyrillic: w.chars().any(|c| matches!(c, '\u{0400}'..='\u{04FF}')),
                colon,
                direct: fillers == 0,
            });
        }
        // "тик ток" / "tik tok" in two words.
        let sk = skeleton(w);
        if sk == "tok" {
            let mut c2 = false;
            let q = skip_back(t, ws, 3, &mut c2);
            if let Some((_, w2)) = word_before(t, q)
                && matches!(skeleton(w2).as_str(), "tuk" | "tik")
            {
                return Some(Context {
                    kind: IdentifierKind::Tiktok,
                    cyrillic: w.chars().any(|c| matches!(c, '\u{0400}'..='\u{04FF}')),
                    colon,
                    direct: fillers == 0,
                });
            }
        }
        if fillers >= 2 || !tr.is_filler(w) {
            return if allow_far {
                far_context(t, tr, ws, colon)
            } else {
                None
            };
        }
        fillers += 1;
        p = skip_back(t, ws, 24, &mut colon);
    }
}

/// A platform word further back in the same sentence: «давай общаться в
/// телеге, там удобнее 👉 @name». The nearest one wins.
fn far_context(t: &str, tr: &Triggers, mut p: usize, colon: bool) -> Option<Context> {
    let stop = p.saturating_sub(96);
    while p > stop {
        let c = t[..p].chars().next_back()?;
        if c == '\n' || matches!(c, '.' | '!' | '?') {
            return None;
        }
        if is_alpha(c) {
            let (ws, w) = word_before(t, p)?;
            if let Some(kind) = tr.platform(w) {
                let sk = skeleton(w);
                if sk == "tr" || sk == "tg" {
                    return None;
                }
                return Some(Context {
                    kind,
                    cyrillic: w.chars().any(|c| matches!(c, '\u{0400}'..='\u{04FF}')),
                    colon,
                    direct: false,
                });
            }
            p = ws;
        } else {
            p -= c.len_utf8();
        }
    }
    None
}

fn valid_for(kind: IdentifierKind, h: &str) -> bool {
    match kind {
        IdentifierKind::Telegram => telegram_ok(h),
        IdentifierKind::Instagram => instagram_ok(h),
        IdentifierKind::Tiktok => tiktok_ok(h),
        _ => false,
    }
}

pub(crate) fn scan(v: &View<'_>, tr: &Triggers, out: &mut Collector) {
    let (t, b) = (v.t, v.b);
    // Every handle needs a platform word before it (directly, or through
    // the handle before it in a list), so text without one is skipped.
    let words = platform_words(t, tr);
    let Some(first) = words.first() else {
        return;
    };
    let mut w = 0;
    let mut last: Option<(usize, IdentifierKind)> = None;
    let mut i = first.start;
    while i < b.len() {
        // Jump over text too far from any platform word and any handle.
        while words.get(w).is_some_and(|r| r.end + REACH < i) {
            w += 1;
        }
        let near_last = last.is_some_and(|(e, _)| i < e + 64);
        match words.get(w) {
            Some(r) if !near_last && i < r.start => i = r.start,
            None if !near_last => break,
            _ => {}
        }
        if i >= b.len() {
            break;
        }
        let c = b[i];
        let at = c == b'@';
        if !(at || c.is_ascii_alphanumeric() || c == b'_') {
            i += 1;
            continue;
        }
        // Token start: '@' or a handle character after a non-handle one.
        let prev = v.char_before(i);
        if prev.is_some_and(|p| {
            is_alnum(p) || p == '_' || p == '.' || p == '@' || p == '/' || p == '-'
        }) {
            i += 1;
            while i < b.len() && is_handle_byte(b[i]) {
                i += 1;
            }
            continue;
        }
        let hs = if at { i + 1 } else { i };
        let mut he = hs;
        while he < b.len() && is_handle_byte(b[he]) {
            he += 1;
        }
        while he > hs && b[he - 1] == b'.' {
            he -= 1;
        }
        let next_i = he.max(i + 1);
        let glued_after = v
            .char_at(he)
            .is_some_and(|c| is_alnum(c) || c == '@' || c == '/');
        if he == hs || glued_after {
            i = next_i;
            continue;
        }
        let handle = &t[hs..he];
        let span = v.orig(i..he);
        if out.is_claimed(&span) {
            i = next_i;
            continue;
        }
        // An arrow or a colon right before a bare name points at it.
        let pointed = {
            let from = t[..i].char_indices().rev().nth(3).map_or(0, |(k, _)| k);
            t[from..i].contains(['👉', '➡', '→', '⬇', '👇', ':'])
        };
        let Some(ctx) = context_before(t, tr, i, last, at || pointed) else {
            i = next_i;
            continue;
        };
        let lower = handle.to_ascii_lowercase();
        let ok = if at {
            true
        } else {
            let marked = handle
                .bytes()
                .any(|c| c.is_ascii_digit() || c == b'_' || c == b'.');
            let latin_after_cyrillic =
                ctx.cyrillic && handle.bytes().any(|c| c.is_ascii_alphabetic());
            (ctx.direct || pointed)
                && lower.len() >= 3
                && handle.bytes().any(|c| c.is_ascii_alphabetic())
                && !NOT_HANDLES.contains(&lower.as_str())
                && (marked || ctx.colon || latin_after_cyrillic)
        };
        if ok && valid_for(ctx.kind, &lower) {
            out.add(ctx.kind, lower, None, span.clone());
            out.claim(span);
            last = Some((he, ctx.kind));
        }
        i = next_i;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pair_table_agrees_with_the_folded_test() {
        let tr = Triggers::new();
        for x in 0u32..128 {
            for y in 0u32..128 {
                for base in [0u32, 0x400] {
                    let (Some(a), Some(b)) = (char::from_u32(base + x), char::from_u32(base + y))
                    else {
                        continue;
                    };
                    for tail in ["", "к", "x", " "] {
                        let w = format!("{a}{b}{tail}");
                        assert_eq!(tr.may_be_platform(&w), tr.may_be_platform_slow(&w), "{w:?}");
                    }
                }
            }
        }
        for w in [
            "тг",
            "Тг",
            "tg",
            "ТикТок",
            "инст",
            "ig",
            "t",
            "т",
            "",
            "қз",
            "ңт",
        ] {
            assert_eq!(tr.may_be_platform(w), tr.may_be_platform_slow(w), "{w:?}");
        }
        assert!(tr.may_be_platform("телеграм") && tr.may_be_platform("tiktok"));
    }
}

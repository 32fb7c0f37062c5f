//! Phone numbers validated with libphonenumber's metadata (`phonenumber`).
//!
//! The same recruiter's number appears as `8 (701) 123-45-67`,
//! `+7 701 1234567` and `wa.me/77011234567`; only the E.164 form lets these
//! be linked. Validation against the numbering plans keeps prices, dates and
//! order numbers out. Only strings built here from ASCII digits are handed to
//! the parser.

use std::ops::Range;

use phonenumber::Mode;
use phonenumber::country::Id;

use crate::text::View;
use crate::{Collector, IdentifierKind};

/// How a candidate digit run was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Prefix {
    /// Preceded by `+`: international format.
    Plus,
    /// No `+`.
    None,
}

/// Three-digit prefixes of the national numbers of the +7 plan under which
/// every ten-digit number is valid in libphonenumber's metadata: the
/// Kazakh mobile operators (700–708, 747, 751, 760–764, 771, 775–778,
/// 785) and the Russian mobile range 9xx. Most numbers in Kazakh ads are
/// of these; reading them needs no metadata patterns. The test
/// `fast_plan_agrees_with_libphonenumber` holds the list to the metadata.
fn fast_plan_7(national: &[u8]) -> bool {
    match national {
        [b'9', b'0'..=b'9', b'0'..=b'9', rest @ ..] => rest.len() == 7,
        [b'7', a, b, rest @ ..] if rest.len() == 7 => matches!(
            (a, b),
            (b'0', b'0'..=b'2' | b'5'..=b'8')
                | (b'4', b'7')
                | (b'5', b'1')
                | (b'6', b'0'..=b'4')
                | (b'7', b'1' | b'5'..=b'8')
                | (b'8', b'5')
        ),
        _ => false,
    }
}

/// E.164 form of an international number given as its digits (country code
/// first, no `+`), if valid.
pub fn e164_international(digits: &str) -> Option<String> {
    if !(8..=15).contains(&digits.len()) || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if digits.len() == 11 && digits.starts_with('7') && fast_plan_7(&digits.as_bytes()[1..]) {
        return Some(format!("+{digits}"));
    }
    cached(None, digits, || {
        let n = phonenumber::parse(None, format!("+{digits}")).ok()?;
        if !crate::phone_valid::is_valid(&n) {
            return None;
        }
        Some(n.format().mode(Mode::E164).to_string())
    })
}

/// Compiled patterns libphonenumber's metadata keeps (`phonenumber` keeps
/// 100 in an LRU cache and compiles the others again on every use, which
/// numbers from several countries in one run make the costliest step of
/// extraction). The patterns of all the regions read here fit.
const REGEX_CACHE: usize = 4096;

/// Widens `phonenumber`'s cache of compiled patterns (once per process).
pub(crate) fn widen_regex_cache() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let cache = phonenumber::metadata::DATABASE.cache();
        if let Ok(mut c) = cache.lock()
            && c.capacity() < REGEX_CACHE
        {
            c.set_capacity(REGEX_CACHE);
        }
    });
}

/// Parsed numbers by (region, digits).
type Cache = std::collections::HashMap<(Option<Id>, String), Option<String>>;

thread_local! {
    /// Parsed numbers of this thread: a network repeats its numbers across
    /// thousands of ads, and libphonenumber's parse is the costliest step
    /// of extraction. Cleared when it grows past a bound.
    static CACHE: std::cell::RefCell<Cache> = std::cell::RefCell::new(Cache::new());
}

fn cached(
    region: Option<Id>,
    digits: &str,
    parse: impl FnOnce() -> Option<String>,
) -> Option<String> {
    let key = (region, digits.to_owned());
    if let Some(hit) = CACHE.with(|c| c.borrow().get(&key).cloned()) {
        return hit;
    }
    let value = parse();
    CACHE.with(|c| {
        let mut c = c.borrow_mut();
        if c.len() >= 16_384 {
            c.clear();
        }
        c.insert(key, value.clone());
    });
    value
}

/// E.164 form of a number written in Kazakh/Russian national form
/// (`8 7xx…`, `8 9xx…`) or as a bare 10-digit national number.
fn e164_national_kz(digits: &str) -> Option<String> {
    if digits.len() == 11 && digits.starts_with('8') && fast_plan_7(&digits.as_bytes()[1..]) {
        return Some(format!("+7{}", &digits[1..]));
    }
    cached(Some(Id::KZ), digits, || {
        let n = phonenumber::parse(Some(Id::KZ), digits).ok()?;
        if !crate::phone_valid::is_valid(&n) {
            return None;
        }
        let e = n.format().mode(Mode::E164).to_string();
        // Only numbers of the +7 plan are read from national forms.
        e.starts_with("+7").then_some(e)
    })
}

/// Country codes that are recognised without `+` when the text says it is a
/// phone number (Central Asia, Russia, and the destination countries of the
/// study: Turkey, UAE, Korea, plus neighbours).
const BARE_CC: [&str; 14] = [
    "996", "998", "992", "993", "994", "995", "971", "90", "82", "86", "374", "375", "380", "973",
];

/// Reads a digit run as a phone number; `context` says whether a phone word
/// (тел, звони, WhatsApp…) stands just before it.
pub(crate) fn read(digits: &str, prefix: Prefix, context: bool) -> Option<String> {
    let len = digits.len();
    if prefix == Prefix::Plus {
        return e164_international(digits);
    }
    if let Some(rest) = digits.strip_prefix("00") {
        return e164_international(rest);
    }
    let first = digits.as_bytes().first().copied()?;
    match (len, first) {
        (11, b'8') => e164_national_kz(digits),
        (11, b'7') => e164_international(digits),
        // A bare national number of the +7 plan (701 123 45 67, 916…).
        (10, b'7' | b'9') if context => e164_international(&format!("7{digits}")),
        (11..=13, _) if context && BARE_CC.iter().any(|cc| digits.starts_with(cc)) => {
            e164_international(digits)
        }
        _ => None,
    }
}

/// Words that say the next number is a phone (lower case, matched as
/// substrings of the few words before it).
const PHONE_WORDS: &[&str] = &[
    "тел",
    "звон",
    "номер",
    "моб",
    "сот",
    "whatsapp",
    "ватсап",
    "вотсап",
    "вацап",
    "уатсап",
    "viber",
    "вайбер",
    "phone",
    "tel",
    "call",
    "mob",
    "contact",
    "контакт",
    "связ",
    "wa:",
    "☎",
    "📞",
    "📱",
    "қоңырау",
    "хабарлас",
    "ұялы",
    "nomer",
    "raqam",
    "телефон",
];

/// Words after which a number is an order, account or document number.
const NOT_PHONE_WORDS: &[&str] = &[
    "№",
    "no",
    "nº",
    "#",
    "заказ",
    "заказа",
    "order",
    "иин",
    "бин",
    "iin",
    "bin",
    "счет",
    "счёт",
    "договор",
    "id",
    "лицензия",
    "лицензии",
    "license",
    "артикул",
    "код",
    "code",
    "карта",
    "карту",
    "card",
    "iban",
    "invoice",
    "инвойс",
    "трек",
    "track",
    "паспорт",
    "passport",
    "удостоверение",
];

/// Lower-cased text of up to `n` bytes before `pos` on the same line.
fn window_before(t: &str, pos: usize, n: usize) -> String {
    let mut s = pos.saturating_sub(n);
    while s > 0 && !t.is_char_boundary(s) {
        s -= 1;
    }
    let w = &t[s..pos];
    let w = w.rsplit('\n').next().unwrap_or(w);
    w.to_lowercase()
}

fn last_word(w: &str) -> &str {
    let w = w.trim_end_matches(|c: char| c.is_whitespace() || matches!(c, ':' | '.' | '-'));
    let start = w
        .char_indices()
        .rev()
        .find(|&(_, c)| c.is_whitespace())
        .map_or(0, |(i, c)| i + c.len_utf8());
    &w[start..]
}

/// Length of a separator inside a written phone number at the start of `b`:
/// space, dot, dash, brackets, Unicode hyphens and dashes.
pub(crate) fn sep_len(b: &[u8]) -> usize {
    match b {
        [b' ' | b'.' | b'-' | b'(' | b')', ..] => 1,
        [0xC2, 0xA0, ..] => 2,
        [0xE2, 0x80, 0x90..=0x95, ..] => 3,
        _ => 0,
    }
}

/// Whether the digit run `b[s..e]` may start a chain of seven or more
/// digits: it is that long, or separators (at most three) and another
/// digit follow it.
pub(crate) fn may_chain(b: &[u8], s: usize, e: usize) -> bool {
    if e - s >= 7 {
        return true;
    }
    let (mut j, mut n) = (e, 0);
    while j < b.len() && n < 3 {
        let l = sep_len(&b[j..]);
        if l == 0 {
            break;
        }
        j += l;
        n += 1;
    }
    j > e && j < b.len() && b[j].is_ascii_digit()
}

/// Digit groups of one written number starting at `s`: groups separated by
/// at most three separator characters.
fn chain_into(b: &[u8], s: usize, groups: &mut Vec<Range<usize>>) {
    groups.clear();
    let mut i = s;
    loop {
        let g = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        groups.push(g..i);
        let (mut j, mut n) = (i, 0);
        while j < b.len() && n < 3 {
            let l = sep_len(&b[j..]);
            if l == 0 {
                break;
            }
            j += l;
            n += 1;
        }
        if j > i && j < b.len() && b[j].is_ascii_digit() && groups.len() < 12 {
            i = j;
        } else {
            return;
        }
    }
}

/// Places inside the digits of `groups` where a second number may start:
/// group boundaries, and points inside a group where the original text had
/// something between two digits (a separator the normaliser removed).
fn cut_points(v: &View<'_>, groups: &[Range<usize>]) -> Vec<(usize, usize)> {
    // (index into the concatenated digits, byte offset in the text)
    let mut out = Vec::new();
    let mut n = 0;
    for (gi, g) in groups.iter().enumerate() {
        if gi > 0 {
            out.push((n, g.start));
        }
        for k in g.start + 1..g.end {
            let a = v.orig(k - 1..k);
            let b = v.orig(k..k + 1);
            if b.start > a.end {
                out.push((n + k - g.start, k));
            }
        }
        n += g.len();
    }
    out
}

/// Country hints in a document, for numbers written in a foreign national
/// format ("0555 123 456" in Bishkek).
pub(crate) fn national_regions(t: &str) -> Vec<Id> {
    let lower = t.to_lowercase();
    let hints: [(Id, &[&str]); 5] = [
        (
            Id::KG,
            &[
                "бишкек",
                "кыргыз",
                "кырғыз",
                " сом",
                "ош ",
                "чалыңыз",
                "kyrgyz",
                "bishkek",
            ],
        ),
        (
            Id::AE,
            &[
                "дубай",
                "dubai",
                "оаэ",
                "uae",
                "абу-даби",
                "шарджа",
                "дирхам",
                "aed",
            ],
        ),
        (
            Id::TR,
            &[
                "турци",
                "түркия",
                "turkey",
                "türk",
                "стамбул",
                "istanbul",
                "анталь",
                "antalya",
                "лир",
            ],
        ),
        (Id::KR, &["корея", "корей", "korea", "сеул", "seoul"]),
        (
            Id::UZ,
            &["ташкент", "узбек", "өзбек", "toshkent", "uzbek", "o'zbek"],
        ),
    ];
    let mut scored: Vec<(usize, usize, Id)> = hints
        .iter()
        .enumerate()
        .map(|(k, (id, ws))| (ws.iter().filter(|w| lower.contains(*w)).count(), k, *id))
        .collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    scored.into_iter().map(|x| x.2).collect()
}

/// A number written with its national trunk `0` in one of the regions.
fn e164_national_foreign(digits: &str, regions: &[Id]) -> Option<String> {
    if !digits.starts_with('0') || !(10..=11).contains(&digits.len()) {
        return None;
    }
    regions.iter().find_map(|&r| {
        cached(Some(r), digits, || {
            let n = phonenumber::parse(Some(r), digits).ok()?;
            crate::phone_valid::is_valid(&n).then(|| n.format().mode(Mode::E164).to_string())
        })
    })
}

/// Value of a group of at most four ASCII digits.
fn group_value(b: &[u8], g: &Range<usize>) -> u32 {
    b[g.clone()]
        .iter()
        .fold(0, |n, &d| n * 10 + u32::from(d.wrapping_sub(b'0')))
}

/// Whether groups `k..k + 3` of a chain are a date: `12.05.2024`,
/// `12.05.24`, `12-05-2024`, `2024-05-12` (day 1–31, month 1–12, years
/// 19xx/20xx; a two-digit year only with dots, since `12-34-56` is how
/// phone numbers end). Chat exports put one before every message, and
/// read together with the time after it, it passes for a phone number.
pub(crate) fn is_date(b: &[u8], groups: &[Range<usize>], k: usize) -> bool {
    let Some(w) = groups.get(k..k + 3) else {
        return false;
    };
    let sep = |g: &Range<usize>| b.get(g.end).copied();
    let (s1, s2) = (sep(&w[0]), sep(&w[1]));
    let single = w[1].start == w[0].end + 1 && w[2].start == w[1].end + 1;
    if !single || s1 != s2 || !matches!(s1, Some(b'.' | b'-')) {
        return false;
    }
    let (la, lm, lc) = (w[0].len(), w[1].len(), w[2].len());
    if la > 4 || lm > 4 || lc > 4 {
        return false;
    }
    let (a, m, c) = (
        group_value(b, &w[0]),
        group_value(b, &w[1]),
        group_value(b, &w[2]),
    );
    let day = |l: usize, v: u32| (1..=2).contains(&l) && (1..=31).contains(&v);
    let month = |l: usize, v: u32| (1..=2).contains(&l) && (1..=12).contains(&v);
    let year = |l: usize, v: u32| l == 4 && (1900..=2099).contains(&v);
    (day(la, a) && month(lm, m) && (year(lc, c) || (lc == 2 && s1 == Some(b'.'))))
        || (year(la, a) && month(lm, m) && day(lc, c))
}

/// The end of a date (see [`is_date`]) that starts at `s`, if one does:
/// what [`candidate_into`] skips, found without building the chain.
pub(crate) fn date_at(b: &[u8], s: usize) -> Option<usize> {
    let mut groups: [Range<usize>; 3] = [0..0, 0..0, 0..0];
    let mut i = s;
    for (k, g) in groups.iter_mut().enumerate() {
        let st = i;
        while i < b.len() && b[i].is_ascii_digit() && i - st < 5 {
            i += 1;
        }
        if i == st || (i < b.len() && b[i].is_ascii_digit()) {
            return None;
        }
        *g = st..i;
        if k < 2 {
            if !matches!(b.get(i), Some(b'.' | b'-')) {
                return None;
            }
            i += 1;
        }
    }
    is_date(b, &groups, 0).then_some(groups[2].end)
}

/// The digit groups of one candidate number starting at `s`, into a reused
/// vector, and where to look next: a chain is cut before a date, and a
/// date at its start is skipped.
pub(crate) fn candidate_into(b: &[u8], s: usize, groups: &mut Vec<Range<usize>>) -> usize {
    chain_into(b, s, groups);
    if let Some(k) = (0..groups.len()).find(|&k| is_date(b, groups, k)) {
        if k == 0 {
            let next = groups[2].end;
            groups.clear();
            return next;
        }
        groups.truncate(k);
    }
    let e = groups.last().map_or(s, |g| g.end);
    e.max(s + 1)
}

/// Phone numbers in the normalised text. `regions` gives the country hints
/// of the whole document (see `national_regions`), asked at most once and
/// only for numbers written with a national trunk `0`.
pub(crate) fn scan(v: &View<'_>, out: &mut Collector, regions_of: &dyn Fn() -> Vec<Id>) {
    let (t, b) = (v.t, v.b);
    let mut regions: Option<Vec<Id>> = None;
    let mut groups = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let s = i;
        let next = candidate_into(b, s, &mut groups);
        let groups = &groups;
        i = next;
        let total: usize = groups.iter().map(|g| g.len()).sum();
        if !(9..=30).contains(&total) {
            continue;
        }
        let e = groups.last().map_or(s, |g| g.end);
        let digits: String = groups.iter().map(|g| &t[g.clone()]).collect();
        let glued_before = s > 0
            && (b[s - 1].is_ascii_alphabetic()
                || matches!(b[s - 1], b'_' | b'/' | b'@' | b'=' | b'#' | b'&')
                || (b[s - 1] == b'.' && s > 1 && b[s - 2].is_ascii_alphanumeric()));
        let glued_after =
            e < b.len() && (b[e].is_ascii_alphabetic() || b[e] == b'_' || b[e] == b'@');
        if glued_before || glued_after {
            continue;
        }
        // A '+' before the digits, possibly with a space or bracket between.
        let mut start = s;
        let mut prefix = Prefix::None;
        let mut k = s;
        while k > 0 && s - k < 2 && matches!(b[k - 1], b' ' | b'(') {
            k -= 1;
        }
        if k > 0 && b[k - 1] == b'+' {
            prefix = Prefix::Plus;
            start = k - 1;
        }
        let window = window_before(t, start, 64);
        if NOT_PHONE_WORDS.contains(&last_word(&window)) {
            continue;
        }
        let context = PHONE_WORDS.iter().any(|w| window.contains(w));
        let span = v.orig(start..e);
        if out.is_claimed(&span) {
            continue;
        }
        let written_apart = groups.len() > 1 || span.len() > e - s;
        let read_one = |d: &str, p: Prefix, regions: &mut Option<Vec<Id>>| {
            read(d, p, context).or_else(|| {
                if p == Prefix::None && (context || written_apart) && d.starts_with('0') {
                    let r = regions.get_or_insert_with(regions_of);
                    e164_national_foreign(d, r)
                } else {
                    None
                }
            })
        };
        if let Some(p) = read_one(&digits, prefix, &mut regions) {
            out.add(IdentifierKind::Phone, p, None, span);
            continue;
        }
        // Two numbers written one after the other ("8701… - 8777…"): split
        // where the writer separated them and both halves are phones.
        if digits.len() >= 18 {
            for (n, at) in cut_points(v, groups) {
                let (a, z) = (&digits[..n], &digits[n..]);
                if let (Some(pa), Some(pz)) = (
                    read_one(a, prefix, &mut regions),
                    read_one(z, Prefix::None, &mut regions),
                ) {
                    let end_a = groups
                        .iter()
                        .rev()
                        .find(|g| g.end <= at)
                        .map_or(at, |g| g.end);
                    out.add(
                        IdentifierKind::Phone,
                        pa,
                        None,
                        v.orig(start..end_a.min(at).max(start + 1)),
                    );
                    out.add(IdentifierKind::Phone, pz, None, v.orig(at..e));
                    break;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fast_plan_agrees_with_libphonenumber() {
        // Every three-digit prefix, several subscriber numbers each
        // (a fixed pseudo-random sequence): where the fast path answers,
        // libphonenumber must give the same number.
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x % 10_000_000
        };
        for op in 0..1000u32 {
            for _ in 0..12 {
                let national = format!("{op:03}{:07}", next());
                if !fast_plan_7(national.as_bytes()) {
                    continue;
                }
                let want = format!("+7{national}");
                let n = phonenumber::parse(None, &want).ok();
                assert!(n.as_ref().is_some_and(phonenumber::is_valid), "{want}");
                let kz = phonenumber::parse(Some(Id::KZ), format!("8{national}")).ok();
                assert_eq!(
                    kz.filter(phonenumber::is_valid)
                        .map(|n| n.format().mode(Mode::E164).to_string()),
                    Some(want.clone())
                );
                assert_eq!(
                    e164_international(&format!("7{national}")),
                    Some(want.clone())
                );
                assert_eq!(e164_national_kz(&format!("8{national}")), Some(want));
            }
        }
    }

    #[test]
    fn kazakh_forms() {
        let want = Some("+77011234567".to_owned());
        assert_eq!(read("87011234567", Prefix::None, false), want);
        assert_eq!(read("77011234567", Prefix::Plus, false), want);
        assert_eq!(read("77011234567", Prefix::None, false), want);
        assert_eq!(read("7011234567", Prefix::None, true), want);
        assert_eq!(read("7011234567", Prefix::None, false), None);
    }

    #[test]
    fn neighbours_and_destinations() {
        assert_eq!(
            read("89161234567", Prefix::None, false).as_deref(),
            Some("+79161234567")
        );
        for d in [
            "996555123456",
            "998901234567",
            "905321234567",
            "971501234567",
            "821012345678",
        ] {
            assert_eq!(read(d, Prefix::Plus, false), Some(format!("+{d}")), "{d}");
        }
        assert_eq!(
            read("998901234567", Prefix::None, true).as_deref(),
            Some("+998901234567")
        );
        assert_eq!(read("998901234567", Prefix::None, false), None);
    }

    #[test]
    fn not_phones() {
        for d in [
            "2024",
            "150000",
            "12052024",
            "4111111111111111",
            "123456789012",
        ] {
            assert_eq!(read(d, Prefix::None, false), None, "{d}");
        }
    }
}

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

/// E.164 form of an international number given as its digits (country code
/// first, no `+`), if valid.
pub fn e164_international(digits: &str) -> Option<String> {
    if !(8..=15).contains(&digits.len()) || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    cached(None, digits, || {
        let n = phonenumber::parse(None, format!("+{digits}")).ok()?;
        if !phonenumber::is_valid(&n) {
            return None;
        }
        Some(n.format().mode(Mode::E164).to_string())
    })
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
    cached(Some(Id::KZ), digits, || {
        let n = phonenumber::parse(Some(Id::KZ), digits).ok()?;
        if !phonenumber::is_valid(&n) {
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
fn sep_len(b: &[u8]) -> usize {
    match b {
        [b' ' | b'.' | b'-' | b'(' | b')', ..] => 1,
        [0xC2, 0xA0, ..] => 2,
        [0xE2, 0x80, 0x90..=0x95, ..] => 3,
        _ => 0,
    }
}

/// Digit groups of one written number starting at `s`: groups separated by
/// at most three separator characters.
fn chain(b: &[u8], s: usize) -> Vec<Range<usize>> {
    let mut groups = Vec::new();
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
            return groups;
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
fn national_regions(t: &str) -> Vec<Id> {
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
            phonenumber::is_valid(&n).then(|| n.format().mode(Mode::E164).to_string())
        })
    })
}

/// Phone numbers in the normalised text.
pub(crate) fn scan(v: &View<'_>, out: &mut Collector) {
    let (t, b) = (v.t, v.b);
    let mut regions: Option<Vec<Id>> = None;
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let s = i;
        let groups = chain(b, s);
        let e = groups.last().map_or(s, |g| g.end);
        i = e.max(s + 1);
        let digits: String = groups.iter().map(|g| &t[g.clone()]).collect();
        if digits.len() < 9 || digits.len() > 30 {
            continue;
        }
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
                    let r = regions.get_or_insert_with(|| national_regions(t));
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
            for (n, at) in cut_points(v, &groups) {
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

//! Language identification for Russian, Kazakh, Kyrgyz, Uzbek (Latin and
//! Cyrillic) and English, and `mixed` for documents written in two.
//!
//! Written by hand: the small language-ID crates either lack Kazakh,
//! Kyrgyz and Uzbek Cyrillic or confuse them on 200-character ads, and the
//! letters alone settle most cases. The text is cut into segments (lines,
//! then sentences); each segment votes for one language, weighted by its
//! letter count. A segment's vote comes from
//! - letters only one language of its script uses: Kazakh ә ұ һ і, Uzbek
//!   ў ҳ, Kazakh-or-Uzbek ғ қ, Kazakh-or-Kyrgyz ң ө ү; the Uzbek Latin
//!   oʻ gʻ; Kazakh Latin á ǵ ı ń ó ú;
//! - frequent words per language (`words`), including the plain-keyboard
//!   spellings of Kazakh and Kyrgyz;
//! - a few endings (Russian adjective and verb endings, Kyrgyz long vowels,
//!   Uzbek plural and case endings).
//!
//! Cyrillic with no evidence counts as Russian and Latin as English, the
//! likeliest readings in Kazakhstan. A document is `mixed` when a second
//! language holds at least [`MIXED_SHARE`] of the voting letters.

mod words;

use std::collections::HashMap;
use std::sync::LazyLock;

use serde::{Serialize, Serializer};

/// A document language, as reported by `qorgau scan`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    /// Russian.
    Ru,
    /// Kazakh.
    Kk,
    /// English.
    En,
    /// Kyrgyz.
    Ky,
    /// Uzbek (Latin or Cyrillic).
    Uz,
    /// Substantially written in two languages.
    Mixed,
    /// No letters to judge by.
    Unknown,
}

impl Lang {
    /// The code used in output (`und` for unknown, as in BCP 47).
    pub fn as_str(self) -> &'static str {
        match self {
            Lang::Ru => "ru",
            Lang::Kk => "kk",
            Lang::En => "en",
            Lang::Ky => "ky",
            Lang::Uz => "uz",
            Lang::Mixed => "mixed",
            Lang::Unknown => "und",
        }
    }
}

impl Serialize for Lang {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// A second language with at least this share of the voting letters makes
/// a document `mixed`.
pub const MIXED_SHARE: f32 = 0.25;
/// ... provided it also has at least this many letters,
const MIXED_MIN_LETTERS: usize = 20;
/// ... counted in segments of at least this many words.
const MIXED_MIN_WORDS: usize = 3;

const RU: usize = 0;
const KK: usize = 1;
const EN: usize = 2;
const KY: usize = 3;
const UZ: usize = 4;
const N: usize = 5;
const LANGS: [Lang; N] = [Lang::Ru, Lang::Kk, Lang::En, Lang::Ky, Lang::Uz];

/// Word → bit set of languages that list it (bit per index above).
static CYRL: LazyLock<HashMap<&'static str, u8>> = LazyLock::new(|| {
    let mut m = HashMap::new();
    for (list, l) in [
        (words::RU, RU),
        (words::KK, KK),
        (words::KY, KY),
        (words::UZ_CYRL, UZ),
    ] {
        for w in list {
            *m.entry(*w).or_insert(0u8) |= 1 << l;
        }
    }
    m
});

static LATN: LazyLock<HashMap<&'static str, u8>> = LazyLock::new(|| {
    let mut m = HashMap::new();
    for (list, l) in [(words::EN, EN), (words::UZ_LATN, UZ), (words::RU_LATN, RU)] {
        for w in list {
            *m.entry(*w).or_insert(0u8) |= 1 << l;
        }
    }
    m
});

/// A letter, with a fast path for the scripts we read.
fn is_letter(c: char) -> bool {
    match c {
        _ if c.is_ascii() => c.is_ascii_alphabetic(),
        '\u{0400}'..='\u{0481}' | '\u{048A}'..='\u{052F}' => true,
        _ => c.is_alphabetic(),
    }
}

fn is_cyrillic(c: char) -> bool {
    matches!(c, '\u{0400}'..='\u{04FF}' | '\u{0500}'..='\u{052F}')
}

fn is_latin(c: char) -> bool {
    c.is_ascii_alphabetic() || matches!(c, '\u{00C0}'..='\u{024F}')
}

/// Identifies the language of `text` (best on normalised text, where
/// look-alike letters are already resolved).
pub fn detect_language(text: &str) -> Lang {
    language_profile(text).lang
}

/// The language decision with the share of voting letters per language,
/// so a reviewer can see why a document was called `mixed`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LangProfile {
    /// The decision, as [`detect_language`] returns it.
    pub lang: Lang,
    /// Share of voting letters per language, largest first (empty when the
    /// text has no letters).
    pub shares: Vec<(Lang, f32)>,
}

/// Like [`detect_language`], with the shares behind the decision.
pub fn language_profile(text: &str) -> LangProfile {
    let mut totals = [0usize; N];
    // Letters from segments of at least MIXED_MIN_WORDS words: a city or a
    // name in another language does not make a document mixed.
    let mut substantial = [0usize; N];
    for seg in segments(text) {
        if let Some(v) = segment_vote(seg) {
            totals[v.lang] += v.letters;
            if v.words >= MIXED_MIN_WORDS {
                substantial[v.lang] += v.letters;
            }
        }
    }
    let sum: usize = totals.iter().sum();
    if sum == 0 {
        return LangProfile {
            lang: Lang::Unknown,
            shares: Vec::new(),
        };
    }
    let mut order: Vec<usize> = (0..N).filter(|&i| totals[i] > 0).collect();
    order.sort_by(|a, b| totals[*b].cmp(&totals[*a]));
    let shares: Vec<(Lang, f32)> = order
        .iter()
        .map(|&i| (LANGS[i], totals[i] as f32 / sum as f32))
        .collect();
    let sub_sum: usize = substantial.iter().sum();
    let mut sub: Vec<usize> = (0..N).collect();
    sub.sort_by(|a, b| substantial[*b].cmp(&substantial[*a]));
    let mixed = sub_sum > 0
        && substantial[sub[1]] >= MIXED_MIN_LETTERS
        && substantial[sub[1]] as f32 / sub_sum as f32 >= MIXED_SHARE;
    let lang = match order.first() {
        _ if mixed => Lang::Mixed,
        Some(&first) => LANGS[first],
        None => Lang::Unknown,
    };
    LangProfile { lang, shares }
}

/// Lines, and within lines sentences, so that a Russian half and an
/// English half on one line are judged apart.
fn segments(text: &str) -> impl Iterator<Item = &str> {
    text.split(['\n', '\r', '.', '!', '?', '|', '•', ';'])
        .filter(|s| s.chars().any(is_letter))
}

/// Platform, payment and brand names written in Latin inside texts of any
/// language; they say nothing about the language of the text.
const NEUTRAL_LATIN: &[&str] = &[
    "whatsapp",
    "telegram",
    "instagram",
    "insta",
    "tiktok",
    "facebook",
    "youtube",
    "viber",
    "snapchat",
    "onlyfans",
    "kaspi",
    "gold",
    "halyk",
    "jusan",
    "freedom",
    "visa",
    "mastercard",
    "usdt",
    "trc",
    "btc",
    "eth",
    "ton",
    "vip",
    "dm",
    "ok",
    "wa",
    "tg",
    "ig",
    "online",
    "sms",
    "dubai",
    "istanbul",
    "seoul",
    "moscow",
    "almaty",
    "astana",
    "shymkent",
    "bishkek",
    "tashkent",
    "samarkand",
    "antalya",
    "uae",
    "usa",
    "vpn",
    "olx",
    "wildberries",
    "ozon",
];

/// One segment's vote.
struct Vote {
    lang: usize,
    /// Letters that vote (reduced when nothing but the script decided).
    letters: usize,
    /// Words with letters in the segment.
    words: usize,
}

/// Language of one segment and how many letters vote for it.
fn segment_vote(seg: &str) -> Option<Vote> {
    let mut cyr_score = [0.0f32; N];
    let mut lat_score = [0.0f32; N];
    let (mut cyr, mut lat) = (0usize, 0usize);
    let mut words = 0usize;
    let mut word = String::new();
    for raw in seg.split_whitespace() {
        // Links, handles, e-mails and codes say nothing about language.
        if raw.contains('@')
            || raw.contains('_')
            || raw.contains("://")
            || raw.contains('/')
            || raw.starts_with("www")
            || raw.bytes().any(|b| b.is_ascii_digit())
            || has_inner_dot(raw)
        {
            continue;
        }
        for w in raw
            .split(|c: char| !(is_letter(c) || is_apostrophe(c)))
            .map(|w| w.trim_matches(is_apostrophe))
            .filter(|w| !w.is_empty())
        {
            let (mut c, mut l, mut upper) = (0usize, 0usize, 0usize);
            word.clear();
            for ch in w.chars() {
                if is_cyrillic(ch) {
                    c += 1;
                } else if is_latin(ch) {
                    l += 1;
                    upper += usize::from(ch.is_ascii_uppercase());
                }
                match ch {
                    _ if is_apostrophe(ch) => word.push('\''),
                    'A'..='Z' => word.push(ch.to_ascii_lowercase()),
                    '\u{0410}'..='\u{042F}' => {
                        word.push(char::from_u32(ch as u32 + 0x20).unwrap_or(ch));
                    }
                    _ if ch.is_ascii() || ('\u{0430}'..='\u{045F}').contains(&ch) => word.push(ch),
                    _ => word.extend(ch.to_lowercase()),
                }
            }
            if c >= l && c > 0 {
                cyr += c;
                words += 1;
                cyrillic_word(&word, &mut cyr_score);
            } else if l > 0 {
                // Acronyms (VIP, USDT) and platform names are not language.
                if (l > 1 && upper == l) || NEUTRAL_LATIN.contains(&word.as_str()) {
                    continue;
                }
                lat += l;
                words += 1;
                latin_word(&word, &mut lat_score);
            }
        }
    }
    if cyr == 0 && lat == 0 {
        return None;
    }
    let (score, letters, default) = if cyr >= lat {
        (&cyr_score, cyr, RU)
    } else {
        (&lat_score, lat, EN)
    };
    let lang = argmax(score, default);
    // A segment where no word gave evidence (seed-phrase words, names)
    // still votes for the script's default language, but weakly.
    let evidence = score.iter().any(|v| *v > 0.0);
    Some(Vote {
        lang,
        letters: if evidence { letters } else { letters / 4 },
        words,
    })
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | 'ʻ' | 'ʼ' | '‘' | '’' | '`')
}

fn has_inner_dot(w: &str) -> bool {
    let t = w.trim_end_matches(['.', ',', '!', '?']);
    t.contains('.')
}

fn argmax(score: &[f32; N], default: usize) -> usize {
    let mut best = default;
    for (i, v) in score.iter().enumerate() {
        if *v > score[best] {
            best = i;
        }
    }
    best
}

/// The last four characters of a word, last first (`'\0'` when shorter).
fn tail(w: &str) -> [char; 4] {
    let mut t = ['\0'; 4];
    for (slot, c) in t.iter_mut().zip(w.chars().rev()) {
        *slot = c;
    }
    t
}

/// Adds the word-list votes of `w`.
fn add_listed(bits: Option<&u8>, s: &mut [f32; N]) {
    if let Some(bits) = bits {
        let n = bits.count_ones() as f32;
        for (l, v) in s.iter_mut().enumerate() {
            if bits & (1 << l) != 0 {
                *v += 1.5 / n;
            }
        }
    }
}

/// Adds the votes of one lower-case Cyrillic word (one pass over its
/// letters: this runs for every word of every document).
fn cyrillic_word(w: &str, s: &mut [f32; N]) {
    let (mut uz_only, mut kk_only, mut kk_uz, mut kk_ky, mut has_y, mut ru_only) =
        (false, false, false, false, false, false);
    let mut long_vowel = false;
    let mut prev = '\0';
    for c in w.chars() {
        match c {
            'ў' | 'ҳ' => uz_only = true,
            'ә' | 'ұ' | 'һ' | 'і' => kk_only = true,
            'ғ' | 'қ' => kk_uz = true,
            'ң' | 'ө' | 'ү' => kk_ky = true,
            'ы' => has_y = true,
            'щ' | 'ъ' | 'ё' => ru_only = true,
            _ => {}
        }
        // Kyrgyz writes long vowels double («жооп», «сулуу», «көрөө»).
        if c == prev && matches!(c, 'ө' | 'ү' | 'э' | 'у' | 'о') {
            long_vowel = true;
        }
        prev = c;
    }
    if uz_only {
        s[UZ] += 2.0;
    }
    if kk_only {
        s[KK] += 2.0;
    } else if kk_uz {
        s[KK] += 1.0;
        s[UZ] += 1.0;
    }
    if kk_ky {
        // Shared by Kazakh and Kyrgyz, but a Kazakh text also carries
        // ә ұ һ і ғ қ in most words, so these alone lean Kyrgyz.
        s[KK] += 0.5;
        s[KY] += 1.0;
    }
    if has_y {
        // Uzbek has no «ы».
        s[UZ] -= 0.5;
    }
    if long_vowel && !w.starts_with("соо") && !w.starts_with("коо") {
        s[KY] += 0.7;
    }
    if ru_only {
        s[RU] += 0.5;
    }
    // Russian adjective, verb and noun endings.
    let ru_ending = matches!(
        tail(w),
        ['й', 'ы' | 'и', _, _]
            | ['я', 'а', _, _]
            | ['е', 'о', _, _]
            | ['о', 'г', 'о', _]
            | ['у', 'м', 'е', _]
            | ['ь', 'ш', 'е', _]
            | ['я', 'с', 'т' | 'ь', _]
            | ['о', 'в', 'т', 'с']
            | ['я', 'и', 'ц', _]
    );
    if ru_ending {
        s[RU] += 0.6;
    }
    // Uzbek personal and participle endings on a word with қ/ғ (Kazakh
    // writes -мын/-мыз/-ған/-ды with «ы» instead).
    if kk_uz && !kk_only && !has_y {
        let uz_ending = matches!(
            tail(w),
            ['з', 'и', 'м', _]
                | ['н', 'а', 'м', _]
                | ['н', 'а', 'г', _]
                | ['и', 'д', _, _]
                | ['қ', 'о', 'м', _]
        );
        if uz_ending {
            s[UZ] += 1.0;
        }
    }
    add_listed(CYRL.get(w), s);
}

/// Adds the votes of one lower-case Latin word.
fn latin_word(w: &str, s: &mut [f32; N]) {
    let (mut apos, mut kk_latin, mut q) = (false, false, false);
    let mut prev = '\0';
    for c in w.chars() {
        match c {
            '\'' if matches!(prev, 'o' | 'g') => apos = true,
            'á' | 'ǵ' | 'ı' | 'ń' | 'ó' | 'ú' | 'ý' => kk_latin = true,
            'u' if prev == 'q' => q = false,
            'q' => q = true,
            _ => {}
        }
        prev = c;
    }
    if apos {
        s[UZ] += 2.0;
    }
    if kk_latin {
        s[KK] += 2.0;
    }
    if q {
        s[UZ] += 0.4;
    }
    // Uzbek plural and case endings on words long enough to carry them.
    let n = w.len();
    let uz_ending = match tail(w) {
        ['r', 'a', 'l', _] | ['a', 'g', _, _] | ['g', 'n', 'i', 'n'] | ['i', 'g', 'a', 'd'] => {
            n > 5
        }
        ['i', 'r', 'a', 'l'] | ['z', 'i', 'm', 'i'] | ['z', 'i', 'g', 'n'] => n > 6,
        _ => false,
    };
    if uz_ending {
        s[UZ] += 0.7;
    }
    add_listed(LATN.get(w), s);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_languages() {
        let cases = [
            (
                "Требуются девушки для работы в кафе, жильё предоставляем.",
                Lang::Ru,
            ),
            ("Шетелде жұмыс бар, қыздар үшін жалақы жоғары.", Lang::Kk),
            (
                "Кыздар үчүн жумуш бар, айлык жакшы, жатакана берилет.",
                Lang::Ky,
            ),
            ("Хорижда иш бор, қизлар учун маош жуда яхши.", Lang::Uz),
            (
                "Xorijda ish bor, qizlar uchun maosh juda yaxshi, qo'ng'iroq qiling.",
                Lang::Uz,
            ),
            (
                "We are hiring young women for hotel work abroad, visa provided.",
                Lang::En,
            ),
            ("12345 +7 701 000 00 00", Lang::Unknown),
        ];
        for (text, lang) in cases {
            assert_eq!(detect_language(text), lang, "{text}");
        }
    }

    #[test]
    fn mixed_lines() {
        let text = "Работа для девушек в Астане, жильё бесплатно, оплата каждый день.\n\
                    Қыздар үшін жұмыс, тұрғын үй тегін, жалақы күн сайын беріледі.";
        assert_eq!(detect_language(text), Lang::Mixed);
    }

    #[test]
    fn brand_names_do_not_make_it_mixed() {
        let text = "Работа в Dubai для девушек, пишите в WhatsApp или Telegram, \
                    t.me/some_handle, зарплата от 3000$ в месяц, жильё предоставляем.";
        assert_eq!(detect_language(text), Lang::Ru);
    }
}

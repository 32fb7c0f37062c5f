//! Identifier extraction for `qorgau scan`.
//!
//! Networks behind recruitment and exploitation ads are found through what
//! their ads share: phone numbers, messenger handles, links, cards, wallets.
//! [`Extractor::extract`] finds those identifiers in a document's text,
//! validates them (libphonenumber metadata, checksums, the public suffix
//! list) and returns them normalised, each with its byte span in the
//! *original* text so a reviewer sees exactly what was written.
//!
//! Text is read twice:
//! - through [`qorgau_normalize::normalize`] for phones, e-mails, links,
//!   domains, handles and seed phrases, so that «восемь семь ноль…»,
//!   `8 7 0 1`, keycap digits, «собака»/«точка» and look-alike letters are
//!   read as meant;
//! - through [`qorgau_normalize::strip_invisible`] for wallet addresses,
//!   cards, IBANs and IINs, which are case- and digit-sensitive: only
//!   invisible characters are removed, every checksum is verified.
//!
//! Speed: chat exports and web pages are mostly lines that hold no
//! identifier. A one-pass triage of every line (`triage`) finds the few
//! that may hold or hide one; only those, with the neighbours that
//! normalisation could join them with, are normalised and scanned. The
//! result equals reading every line ([`Extractor::extract_whole`]; a
//! property test holds the two together). Numbers of the common +7 plan
//! are validated without libphonenumber's patterns, and dates in front of
//! chat messages are never read as phone numbers.
//!
//! The meaning of each kind and of its normalised value is the scan
//! contract of issue 3 (see the crate README of the data set): a number
//! written out is a phone, a `wa.me` link is a WhatsApp number plus a URL
//! plus a domain, handles need a platform shown in the text, invite links
//! are not handles, an e-mail's domain is not repeated as a domain.

use std::ops::Range;

use qorgau_normalize::Normalized;
use serde::{Deserialize, Serialize};

mod bank;
mod bip39;
mod crypto;
mod handles;
mod light;
mod phone;
mod phone_valid;
mod seed;
mod select;
mod text;
mod triage;
mod web;

pub use bank::{iin_check_digit, is_card, is_iin, kz_iban, luhn};
pub use crypto::validate_address;
pub use phone::e164_international;

/// What an identifier is; serialised in snake case as in the scan output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdentifierKind {
    /// Phone number, E.164.
    Phone,
    /// E-mail address, lower case.
    Email,
    /// Link as written, scheme and host lower-cased.
    Url,
    /// Registrable domain, lower case.
    Domain,
    /// Telegram username, lower case, no `@`.
    Telegram,
    /// WhatsApp number from a link, E.164.
    Whatsapp,
    /// Instagram username, lower case, no `@`.
    Instagram,
    /// TikTok username, lower case, no `@`.
    Tiktok,
    /// Cryptocurrency address in canonical form; see [`Chain`].
    Crypto,
    /// Payment card number, digits only.
    Card,
    /// Kazakh IBAN, upper case, no spaces.
    Iban,
    /// Kazakh individual identification number, 12 digits.
    Iin,
    /// BIP-39 English mnemonic, lower-case words joined by single spaces.
    SeedPhrase,
}

impl IdentifierKind {
    /// The name of the kind in the scan output (`"phone"`, `"seed_phrase"`…),
    /// for writers that do not go through serde.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Phone => "phone",
            Self::Email => "email",
            Self::Url => "url",
            Self::Domain => "domain",
            Self::Telegram => "telegram",
            Self::Whatsapp => "whatsapp",
            Self::Instagram => "instagram",
            Self::Tiktok => "tiktok",
            Self::Crypto => "crypto",
            Self::Card => "card",
            Self::Iban => "iban",
            Self::Iin => "iin",
            Self::SeedPhrase => "seed_phrase",
        }
    }
}

/// The chain of a [`IdentifierKind::Crypto`] address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Chain {
    /// Bitcoin: base58check P2PKH/P2SH or bech32/bech32m.
    Btc,
    /// Ethereum (and EVM chains, USDT ERC-20): EIP-55.
    Eth,
    /// TRON (USDT TRC-20): base58check, `T…`.
    Tron,
    /// Litecoin: `L…`, `M…` or `ltc1…`.
    Ltc,
    /// Monero standard address, `4…`/`8…`.
    Xmr,
    /// Zcash transparent address, `t1…`/`t3…`.
    Zec,
    /// TON user-friendly address, base64url.
    Ton,
}

/// One identifier found in a text.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Identifier {
    /// What it is.
    pub kind: IdentifierKind,
    /// The normalised value (see [`IdentifierKind`]).
    pub value: String,
    /// The chain, for crypto addresses only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chain: Option<Chain>,
    /// Byte range in the original text, serialised as `[start, end]`.
    #[serde(with = "span_pair")]
    pub span: Range<usize>,
}

/// `Range<usize>` as a two-element array, the form of the scan contract.
mod span_pair {
    use std::ops::Range;

    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub(crate) fn serialize<S: Serializer>(r: &Range<usize>, s: S) -> Result<S::Ok, S::Error> {
        [r.start, r.end].serialize(s)
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Range<usize>, D::Error> {
        let [a, b] = <[usize; 2]>::deserialize(d)?;
        Ok(a..b)
    }
}

/// Identifiers found so far, and the spans they occupy so that one piece of
/// text is not read as two things (the digits of a card as a phone, the
/// local part of an e-mail as a domain).
#[derive(Debug, Default)]
pub(crate) struct Collector {
    items: Vec<Identifier>,
    /// Claimed ranges of the original text.
    claimed: Vec<Range<usize>>,
}

impl Collector {
    pub(crate) fn add(
        &mut self,
        kind: IdentifierKind,
        value: String,
        chain: Option<Chain>,
        span: Range<usize>,
    ) {
        self.items.push(Identifier {
            kind,
            value,
            chain,
            span,
        });
    }

    pub(crate) fn claim(&mut self, span: Range<usize>) {
        self.claimed.push(span);
    }

    pub(crate) fn is_claimed(&self, span: &Range<usize>) -> bool {
        self.claimed
            .iter()
            .any(|c| c.start < span.end.max(span.start + 1) && span.start < c.end)
    }

    /// Takes over what `other` found in a part of the text that starts at
    /// byte `base`.
    fn absorb(&mut self, other: Collector, base: usize) {
        self.items.extend(other.items.into_iter().map(|mut i| {
            i.span = i.span.start + base..i.span.end + base;
            i
        }));
    }

    /// In text order, one per (kind, value), keeping the first span.
    fn finish(mut self) -> Vec<Identifier> {
        self.items.sort_by(|a, b| {
            (a.span.start, a.span.end, a.kind).cmp(&(b.span.start, b.span.end, b.kind))
        });
        // The first of each (kind, value) in that order: equal ones are
        // found by sorting their positions, not by hashing a copy of every
        // value (most documents hold a handful of identifiers, and the
        // copies and the hasher were a measurable share of dense ads).
        let items = &self.items;
        let mut order: Vec<usize> = (0..items.len()).collect();
        order.sort_unstable_by(|&a, &b| {
            (items[a].kind, items[a].value.as_str(), a).cmp(&(
                items[b].kind,
                items[b].value.as_str(),
                b,
            ))
        });
        let mut keep = vec![true; items.len()];
        for w in order.windows(2) {
            let (a, b) = (&items[w[0]], &items[w[1]]);
            if a.kind == b.kind && a.value == b.value {
                keep[w[1]] = false;
            }
        }
        let mut k = keep.into_iter();
        self.items.retain(|_| k.next().unwrap_or(true));
        self.items
    }
}

/// Extracts identifiers; built once (word lists, lookup tables) and shared
/// between threads.
#[derive(Debug)]
pub struct Extractor {
    words: bip39::Wordlist,
    triggers: handles::Triggers,
    /// Built once per process (see `WordStarts::shared`).
    starts: &'static triage::WordStarts,
}

impl Default for Extractor {
    fn default() -> Self {
        Self::new()
    }
}

impl Extractor {
    /// Builds the tables.
    pub fn new() -> Self {
        phone::widen_regex_cache();
        let triggers = handles::Triggers::new();
        Self {
            words: bip39::Wordlist::new(),
            starts: triage::WordStarts::shared(&triggers),
            triggers,
        }
    }

    /// Identifiers in `original`, in text order, one per (kind, value).
    ///
    /// Only the lines that may hold an identifier are read in full, with
    /// the neighbours normalisation could join them with (see `triage`);
    /// the result is the same as that of [`Extractor::extract_whole`].
    pub fn extract(&self, original: &str) -> Vec<Identifier> {
        // When nearly all of the document needs reading, reading it whole
        // costs less than reading it in parts (and gives the same result);
        // the triage stops as soon as its hot lines alone show that.
        let Some(windows) = triage::windows_unless_dense(original, &self.tables(), true) else {
            return self.extract_whole(original);
        };
        let covered: usize = windows.iter().map(|w| w.len()).sum();
        if windows.is_empty() {
            return Vec::new();
        }
        if triage::is_dense(covered, original.len()) {
            return self.extract_whole(original);
        }
        // Country hints come from the whole document, as in `extract_whole`.
        let regions = std::cell::OnceCell::new();
        let regions_of = || {
            regions
                .get_or_init(|| {
                    let n =
                        qorgau_normalize::normalize_selected(original, select::needs_normalizing);
                    phone::national_regions(n.as_str())
                })
                .clone()
        };
        let doc = qorgau_normalize::Document::new(original);
        let mut all = Collector::default();
        for w in windows {
            let normalized = doc.normalize_selected(w.clone(), select::needs_normalizing);
            let mut out = Collector::default();
            self.scan(&original[w.clone()], &normalized, &regions_of, &mut out);
            all.absorb(out, w.start);
        }
        all.finish()
    }

    /// Bytes of `original` that [`Extractor::extract`] reads in full (the
    /// rest is only looked at once): what the fast path saves, for
    /// benchmarks and tuning.
    pub fn bytes_read_in_full(&self, original: &str) -> usize {
        self.windows(original).iter().map(|w| w.len()).sum()
    }

    /// The parts of `original` that [`Extractor::extract`] reads in full.
    fn windows(&self, original: &str) -> Vec<Range<usize>> {
        triage::windows(original, &self.tables())
    }

    /// The lookups of the triage.
    fn tables(&self) -> triage::Tables<'_> {
        triage::Tables {
            words: &self.words,
            triggers: &self.triggers,
            starts: self.starts,
        }
    }

    /// [`Extractor::extract`] reading every line of the document in full:
    /// normalised where it may hide an identifier (see `select`), then
    /// scanned. The reference that the fast path must equal, and the faster
    /// way for short documents dense with contacts.
    pub fn extract_whole(&self, original: &str) -> Vec<Identifier> {
        let normalized = qorgau_normalize::normalize_selected(original, select::needs_normalizing);
        self.extract_normalized(original, &normalized)
    }

    /// Identifiers in `original`, reusing its normalisation (which must be
    /// `qorgau_normalize::normalize(original)` or a
    /// `normalize_selected` of it).
    pub fn extract_normalized(&self, original: &str, normalized: &Normalized) -> Vec<Identifier> {
        let mut out = Collector::default();
        let regions_of = || phone::national_regions(normalized.as_str());
        self.scan(original, normalized, &regions_of, &mut out);
        out.finish()
    }

    /// Every scanner over one text (a document or a window of it).
    fn scan(
        &self,
        original: &str,
        normalized: &Normalized,
        regions_of: &dyn Fn() -> Vec<phonenumber::country::Id>,
        out: &mut Collector,
    ) {
        // Without an invisible character the light view is the text
        // itself.
        if has_invisible(original) {
            light::scan(&qorgau_normalize::strip_invisible(original), out);
        } else {
            light::scan_text(original, &|r| r, out);
        }
        let view = text::View::new(normalized);
        web::scan_emails(&view, out);
        web::scan_links(&view, out);
        handles::scan(&view, &self.triggers, out);
        seed::scan(&view, &self.words, out);
        phone::scan(&view, out, regions_of);
    }
}

/// Lead bytes of the characters `qorgau_normalize::strip_invisible`
/// removes (its own quick test).
#[inline]
fn invisible_lead(b: u8) -> bool {
    matches!(b, 0xC2 | 0xCD | 0xD8 | 0xE1 | 0xE2 | 0xE3 | 0xEF | 0xF3)
}

/// Whether `qorgau_normalize::strip_invisible` would remove anything from
/// `text`. Dashes, quotes, `₸`, `№` and `❤` share lead bytes with the
/// invisible characters, so most chat and page text would otherwise be
/// copied (with a map) for nothing. Characters below U+10000 are looked up
/// in a table made once per process by asking `strip_invisible` about each
/// character with those lead bytes; the rest (lead byte `0xF3`) count as
/// invisible, which only sends the text the long way.
fn has_invisible(text: &str) -> bool {
    static INVISIBLE: std::sync::OnceLock<Vec<u64>> = std::sync::OnceLock::new();
    let b = text.as_bytes();
    let Some(first) = b.iter().position(|&x| invisible_lead(x)) else {
        return false;
    };
    let bits = INVISIBLE.get_or_init(|| {
        let mut bits = vec![0u64; 0x10000 / 64];
        let mut buf = [0u8; 4];
        for n in (0x80u32..0x800)
            .chain(0x1000..0x4000)
            .chain(0xF000..0x10000)
        {
            let Some(c) = char::from_u32(n) else {
                continue;
            };
            let s = c.encode_utf8(&mut buf);
            if invisible_lead(s.as_bytes()[0])
                && qorgau_normalize::strip_invisible(s).as_str().is_empty()
            {
                bits[n as usize / 64] |= 1 << (n % 64);
            }
        }
        bits
    });
    for (i, &x) in b.iter().enumerate().skip(first) {
        if !invisible_lead(x) {
            continue;
        }
        let Some(c) = text.get(i..).and_then(|t| t.chars().next()) else {
            return true;
        };
        let n = c as usize;
        if n >= 0x10000 || bits.get(n / 64).is_none_or(|w| w & (1 << (n % 64)) != 0) {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invisible_characters_are_found_as_strip_invisible_finds_them() {
        let plain = |t: &str| qorgau_normalize::strip_invisible(t).as_str() == t;
        for n in (0u32..0x4000)
            .chain(0xF000..0x10000)
            .chain([0xE0001, 0xE0100, 0x1F600])
        {
            let Some(c) = char::from_u32(n) else { continue };
            for t in [format!("{c}"), format!("а{c}б — 5 ₸"), format!("x{c}")] {
                assert!(!has_invisible(&t) || !plain(&t) || n >= 0x10000, "{n:x}");
                assert!(has_invisible(&t) || plain(&t), "{n:x}");
            }
        }
        assert!(!has_invisible("цена — 5 000 ₸, №12 ❤"));
        assert!(has_invisible("при\u{200B}вет"));
    }

    #[test]
    fn serialises_as_the_scan_contract() {
        let i = Identifier {
            kind: IdentifierKind::SeedPhrase,
            value: "x".into(),
            chain: None,
            span: 3..7,
        };
        let j = serde_json::to_string(&i).unwrap_or_default();
        assert_eq!(j, r#"{"kind":"seed_phrase","value":"x","span":[3,7]}"#);
        let c = Identifier {
            kind: IdentifierKind::Crypto,
            value: "T".into(),
            chain: Some(Chain::Tron),
            span: 0..1,
        };
        let j = serde_json::to_string(&c).unwrap_or_default();
        assert_eq!(
            j,
            r#"{"kind":"crypto","value":"T","chain":"tron","span":[0,1]}"#
        );
        let back: Identifier = serde_json::from_str(&j).unwrap_or(i);
        assert_eq!(back, c);
    }

    #[test]
    fn kind_names_are_the_serialised_ones() {
        use IdentifierKind::*;
        for k in [
            Phone, Email, Url, Domain, Telegram, Whatsapp, Instagram, Tiktok, Crypto, Card, Iban,
            Iin, SeedPhrase,
        ] {
            assert_eq!(
                serde_json::to_string(&k).unwrap_or_default(),
                format!("\"{}\"", k.as_str())
            );
        }
    }

    #[test]
    fn extractor_is_send_and_sync() {
        fn check<T: Send + Sync>() {}
        check::<Extractor>();
    }
}

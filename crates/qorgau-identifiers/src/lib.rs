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
mod seed;
mod select;
mod text;
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

    /// In text order, one per (kind, value), keeping the first span.
    fn finish(mut self) -> Vec<Identifier> {
        self.items.sort_by(|a, b| {
            (a.span.start, a.span.end, a.kind).cmp(&(b.span.start, b.span.end, b.kind))
        });
        let mut seen = std::collections::HashSet::new();
        self.items
            .retain(|i| seen.insert((i.kind, i.value.clone())));
        self.items
    }
}

/// Extracts identifiers; built once (word lists, lookup tables) and shared
/// between threads.
#[derive(Debug)]
pub struct Extractor {
    words: bip39::Wordlist,
    triggers: handles::Triggers,
}

impl Default for Extractor {
    fn default() -> Self {
        Self::new()
    }
}

impl Extractor {
    /// Builds the tables.
    pub fn new() -> Self {
        Self {
            words: bip39::Wordlist::new(),
            triggers: handles::Triggers::new(),
        }
    }

    /// Identifiers in `original`, normalising it first (only the lines that
    /// may hide an identifier; see `select`).
    pub fn extract(&self, original: &str) -> Vec<Identifier> {
        let normalized = qorgau_normalize::normalize_selected(original, select::needs_normalizing);
        self.extract_normalized(original, &normalized)
    }

    /// Identifiers in `original`, reusing its normalisation (which must be
    /// `qorgau_normalize::normalize(original)` or a
    /// `normalize_selected` of it).
    pub fn extract_normalized(&self, original: &str, normalized: &Normalized) -> Vec<Identifier> {
        let mut out = Collector::default();
        let light = qorgau_normalize::strip_invisible(original);
        light::scan(&light, &mut out);
        let view = text::View::new(normalized);
        web::scan_emails(&view, &mut out);
        web::scan_links(&view, &mut out);
        handles::scan(&view, &self.triggers, &mut out);
        seed::scan(&view, &self.words, &mut out);
        phone::scan(&view, &mut out);
        out.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn extractor_is_send_and_sync() {
        fn check<T: Send + Sync>() {}
        check::<Extractor>();
    }
}

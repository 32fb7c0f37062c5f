//! Checking and normalising indicator values before they become STIX.
//!
//! Normalising matters beyond tidiness: a cyber-observable's id is computed
//! from its value, so `Kyzdar4.Example.` and `kyzdar4.example` must become the
//! same string or two partners holding the same domain would hold two objects.
//! Values are rejected, never guessed at: a wallet with a space in it is
//! reported, not joined. Checksums (Base58Check, bech32, EIP-55) are not
//! verified here: the extractor in `qorgau-identifiers` did that when the
//! value was found; this module guards the shape of what is shared.

use crate::error::ValueProblem;
use crate::model::{Chain, IndicatorKind, Platform};

/// Returns the value as it is exported for the kind, or why it cannot be.
///
/// * domain: lowercase, one trailing dot dropped, ASCII (internationalised
///   names in punycode `xn--`);
/// * URL: `http`/`https` only; scheme and host lowercased; characters not
///   allowed by RFC 3986 (non-ASCII, `"`, `<`, `>`, `\`, `^`, `` ` ``, `{`,
///   `|`, `}`) percent-encoded as UTF-8;
/// * e-mail: the domain lowercased, the local part kept;
/// * handle: a leading `@` dropped, lowercased on platforms whose names are
///   case-insensitive, checked against the platform's alphabet;
/// * wallet: checked against the chain's address form; Ethereum addresses and
///   bech32 addresses lowercased;
/// * phone: E.164 exactly (`+` and 7–15 digits, no spaces).
pub fn normalise_value(kind: &IndicatorKind, value: &str) -> Result<String, ValueProblem> {
    if value.chars().any(char::is_control) {
        return Err(ValueProblem::ControlCharacter);
    }
    if value.chars().any(char::is_whitespace) {
        return Err(ValueProblem::Whitespace);
    }
    if value.is_empty() {
        return Err(ValueProblem::Empty);
    }
    match kind {
        IndicatorKind::Domain => domain(value).map_err(ValueProblem::Domain),
        IndicatorKind::Url => url(value),
        IndicatorKind::Email => email(value),
        IndicatorKind::Handle { platform } => handle(platform, value),
        IndicatorKind::Wallet { chain } => wallet(chain, value),
        IndicatorKind::Phone => phone(value),
    }
}

/// Checks a slug of `Platform::Other` or `Chain::Other`.
pub(crate) fn check_slug(slug: &str) -> Result<(), ValueProblem> {
    let mut bytes = slug.bytes();
    let ok = slug.len() <= 32
        && bytes
            .next()
            .is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        && bytes.all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-');
    if ok {
        Ok(())
    } else {
        Err(ValueProblem::Slug(slug.to_owned()))
    }
}

const DOMAIN_MAX: usize = 253;

fn domain(value: &str) -> Result<String, &'static str> {
    let lower = value.to_ascii_lowercase();
    let name = lower.strip_suffix('.').unwrap_or(&lower);
    if !name.is_ascii() {
        return Err("has non-ASCII characters; give internationalised names in punycode (xn--...)");
    }
    if name.len() > DOMAIN_MAX {
        return Err("is longer than 253 characters");
    }
    let labels: Vec<&str> = name.split('.').collect();
    if labels.len() < 2 {
        return Err("needs at least two labels (name.tld)");
    }
    for label in &labels {
        if label.is_empty() {
            return Err("has an empty label (two dots in a row, or a leading dot)");
        }
        if label.len() > 63 {
            return Err("has a label longer than 63 characters");
        }
        if !label
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        {
            return Err("has characters other than letters, digits, '-' and '_'");
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Err("has a label that starts or ends with '-'");
        }
    }
    if labels
        .last()
        .is_some_and(|tld| tld.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err("ends in a number: an IP address is not a domain");
    }
    Ok(name.to_owned())
}

fn url(value: &str) -> Result<String, ValueProblem> {
    let bad = ValueProblem::Url;
    if value.chars().count() > 2048 {
        return Err(ValueProblem::TooLong { max: 2048 });
    }
    let Some((scheme, rest)) = value.split_once("://") else {
        return Err(bad("has no scheme (https://...)"));
    };
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "http" && scheme != "https" {
        return Err(bad("only http and https URLs are shared"));
    }
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end);
    let (userinfo, hostport) = match authority.rsplit_once('@') {
        Some((user, host)) => (Some(user), host),
        None => (None, authority),
    };
    let host = if let Some(v6) = hostport.strip_prefix('[') {
        let Some((inner, after)) = v6.split_once(']') else {
            return Err(bad("has an unclosed IPv6 literal"));
        };
        if inner.is_empty()
            || !inner
                .bytes()
                .all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.')
        {
            return Err(bad("has an invalid IPv6 literal"));
        }
        check_port(after)?;
        format!("[{}]{after}", inner.to_ascii_lowercase())
    } else {
        let (host, port) = match hostport.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (hostport, None),
        };
        if let Some(port) = port {
            check_port(&format!(":{port}"))?;
        }
        if host.is_empty() {
            return Err(bad("has no host"));
        }
        let lower = host.to_ascii_lowercase();
        if !is_ipv4(&lower) {
            domain(&lower).map_err(|_| bad("its host is not a domain name or IPv4 address (punycode for internationalised names)"))?;
        }
        match port {
            Some(p) => format!("{lower}:{p}"),
            None => lower,
        }
    };
    let mut out = String::with_capacity(value.len());
    out.push_str(&scheme);
    out.push_str("://");
    if let Some(user) = userinfo {
        out.push_str(&percent_encode_disallowed(user));
        out.push('@');
    }
    out.push_str(&host);
    out.push_str(&percent_encode_disallowed(tail));
    Ok(out)
}

fn check_port(after_host: &str) -> Result<(), ValueProblem> {
    if after_host.is_empty() {
        return Ok(());
    }
    let Some(port) = after_host.strip_prefix(':') else {
        return Err(ValueProblem::Url(
            "has characters between the host and the path",
        ));
    };
    if port.is_empty() || port.len() > 5 || !port.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ValueProblem::Url("has a port that is not a number"));
    }
    match port.parse::<u32>() {
        Ok(p) if p <= 65535 => Ok(()),
        _ => Err(ValueProblem::Url("has a port above 65535")),
    }
}

fn is_ipv4(host: &str) -> bool {
    let parts: Vec<&str> = host.split('.').collect();
    parts.len() == 4
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.len() <= 3
                && p.bytes().all(|b| b.is_ascii_digit())
                && p.parse::<u16>().is_ok_and(|n| n <= 255)
        })
}

fn percent_encode_disallowed(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        let allowed = ch.is_ascii()
            && !ch.is_ascii_control()
            && !matches!(
                ch,
                '"' | '<' | '>' | '\\' | '^' | '`' | '{' | '|' | '}' | ' '
            );
        if allowed {
            out.push(ch);
        } else {
            let mut buf = [0u8; 4];
            for byte in ch.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{byte:02X}"));
            }
        }
    }
    out
}

fn email(value: &str) -> Result<String, ValueProblem> {
    let bad = ValueProblem::Email;
    if value.len() > 254 {
        return Err(ValueProblem::TooLong { max: 254 });
    }
    let Some((local, domain_part)) = value.rsplit_once('@') else {
        return Err(bad("has no '@'"));
    };
    if local.is_empty() {
        return Err(bad("has nothing before '@'"));
    }
    if local.len() > 64 {
        return Err(bad("has more than 64 characters before '@'"));
    }
    if !local.is_ascii()
        || local.chars().any(|c| {
            matches!(
                c,
                '"' | '(' | ')' | ',' | ':' | ';' | '<' | '>' | '@' | '[' | '\\' | ']'
            )
        })
    {
        return Err(bad("has characters before '@' that need quoting"));
    }
    if local.starts_with('.') || local.ends_with('.') || local.contains("..") {
        return Err(bad("has a misplaced '.' before '@'"));
    }
    let domain_part = domain(domain_part).map_err(|_| bad("its domain is not a domain name"))?;
    Ok(format!("{local}@{domain_part}"))
}

fn phone(value: &str) -> Result<String, ValueProblem> {
    let Some(digits) = value.strip_prefix('+') else {
        return Err(ValueProblem::Phone);
    };
    let ok = (7..=15).contains(&digits.len())
        && digits.bytes().all(|b| b.is_ascii_digit())
        && !digits.starts_with('0');
    if ok {
        Ok(value.to_owned())
    } else {
        Err(ValueProblem::Phone)
    }
}

fn handle(platform: &Platform, value: &str) -> Result<String, ValueProblem> {
    if let Platform::Other(slug) = platform {
        check_slug(slug)?;
    }
    let name = value.strip_prefix('@').unwrap_or(value);
    if name.is_empty() {
        return Err(ValueProblem::Empty);
    }
    let bad = ValueProblem::Handle;
    let (min, max, extra): (usize, usize, &[u8]) = match platform {
        // t.me names: 5-32 characters; 4-character names are sold on Fragment.
        Platform::Telegram => (4, 32, b"_"),
        Platform::Instagram => (1, 30, b"._"),
        Platform::Tiktok => (2, 24, b"._"),
        Platform::X => (1, 15, b"_"),
        Platform::Vk => (1, 32, b"._"),
        Platform::Facebook => (1, 50, b"."),
        Platform::Whatsapp | Platform::Olx | Platform::Other(_) => (1, 64, b"._-+"),
    };
    let len = name.chars().count();
    if len > max {
        return Err(ValueProblem::TooLong { max });
    }
    if len < min {
        return Err(bad("is shorter than the platform allows"));
    }
    if !name
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || extra.contains(&b))
    {
        return Err(bad(
            "has characters the platform does not allow in account names",
        ));
    }
    if platform.case_insensitive() {
        Ok(name.to_ascii_lowercase())
    } else {
        Ok(name.to_owned())
    }
}

const BASE58: &[u8] = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
const BECH32: &[u8] = b"qpzry9x8gf2tvdw0s3jn54khce6mua7l";

fn all_in(text: &str, alphabet: &[u8]) -> bool {
    text.bytes().all(|b| alphabet.contains(&b))
}

fn bech32(value: &str, hrp: &str, min: usize, max: usize) -> Option<Result<String, &'static str>> {
    let lower = value.to_ascii_lowercase();
    let data = lower.strip_prefix(hrp)?;
    if value != lower && value != value.to_ascii_uppercase() {
        return Some(Err("mixes upper and lower case (bech32)"));
    }
    if !(min..=max).contains(&value.len()) || !all_in(data, BECH32) {
        return Some(Err("is not a bech32 address of the right length"));
    }
    Some(Ok(lower))
}

fn wallet(chain: &Chain, value: &str) -> Result<String, ValueProblem> {
    if let Chain::Other(slug) = chain {
        check_slug(slug)?;
    }
    let bad = ValueProblem::Wallet;
    let base58 = |min: usize, max: usize, first: &[u8]| -> Result<String, ValueProblem> {
        let ok = (min..=max).contains(&value.len())
            && value.bytes().next().is_some_and(|b| first.contains(&b))
            && all_in(value, BASE58);
        if ok {
            Ok(value.to_owned())
        } else {
            Err(bad("is not a Base58 address of this chain"))
        }
    };
    match chain {
        Chain::Bitcoin => match bech32(value, "bc1", 14, 74) {
            Some(result) => result.map_err(bad),
            None => base58(26, 35, b"13"),
        },
        Chain::Litecoin => match bech32(value, "ltc1", 15, 75) {
            Some(result) => result.map_err(bad),
            None => base58(26, 35, b"LM3"),
        },
        Chain::Ethereum => {
            let hex = value
                .strip_prefix("0x")
                .or_else(|| value.strip_prefix("0X"))
                .ok_or(bad("does not start with 0x"))?;
            if hex.len() == 40 && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                Ok(format!("0x{}", hex.to_ascii_lowercase()))
            } else {
                Err(bad("is not 0x and 40 hexadecimal digits"))
            }
        }
        Chain::Tron => base58(34, 34, b"T"),
        Chain::Monero => {
            if (value.len() == 95 || value.len() == 106)
                && value.bytes().next().is_some_and(|b| b == b'4' || b == b'8')
                && all_in(value, BASE58)
            {
                Ok(value.to_owned())
            } else {
                Err(bad(
                    "is not a Monero address (95 or 106 Base58 characters starting 4 or 8)",
                ))
            }
        }
        Chain::Zcash => {
            if let Some(result) = bech32(value, "zs1", 78, 78) {
                return result.map_err(bad);
            }
            if let Some(result) = bech32(value, "u1", 100, 400) {
                return result.map_err(bad);
            }
            base58(35, 35, b"t")
        }
        Chain::Ton => {
            let raw = value
                .strip_prefix("0:")
                .or_else(|| value.strip_prefix("-1:"));
            match raw {
                Some(hex) if hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit()) => {
                    Ok(value.to_ascii_lowercase())
                }
                Some(_) => Err(bad("is not a raw TON address (workchain:64 hex digits)")),
                None if value.len() == 48
                    && value.bytes().all(|b| {
                        b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'+' | b'/')
                    }) =>
                {
                    Ok(value.to_owned())
                }
                None => Err(bad(
                    "is not a TON address (48 base64 characters or workchain:hex)",
                )),
            }
        }
        Chain::Other(_) => {
            if !(10..=128).contains(&value.len()) {
                return Err(bad("is not 10-128 characters long"));
            }
            if value
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b':' | b'_' | b'-'))
            {
                Ok(value.to_owned())
            } else {
                Err(bad(
                    "has characters other than letters, digits, ':', '_' and '-'",
                ))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(kind: IndicatorKind, value: &str) -> String {
        match normalise_value(&kind, value) {
            Ok(v) => v,
            Err(e) => panic!("{value:?} rejected: {e}"),
        }
    }

    fn err(kind: IndicatorKind, value: &str) -> ValueProblem {
        match normalise_value(&kind, value) {
            Ok(v) => panic!("{value:?} accepted as {v:?}"),
            Err(e) => e,
        }
    }

    #[test]
    fn domains() {
        assert_eq!(
            ok(IndicatorKind::Domain, "Kyzdar4.Example."),
            "kyzdar4.example"
        );
        assert_eq!(
            ok(IndicatorKind::Domain, "xn--80ak6aa92e.example"),
            "xn--80ak6aa92e.example"
        );
        assert!(matches!(
            err(IndicatorKind::Domain, "localhost"),
            ValueProblem::Domain(_)
        ));
        assert!(matches!(
            err(IndicatorKind::Domain, "10.0.0.1"),
            ValueProblem::Domain(_)
        ));
        assert!(matches!(
            err(IndicatorKind::Domain, "a..example"),
            ValueProblem::Domain(_)
        ));
        assert!(matches!(
            err(IndicatorKind::Domain, "-a.example"),
            ValueProblem::Domain(_)
        ));
        assert!(matches!(
            err(IndicatorKind::Domain, "кыздар.example"),
            ValueProblem::Domain(_)
        ));
        assert_eq!(
            err(IndicatorKind::Domain, "kyzdar .example"),
            ValueProblem::Whitespace
        );
        assert_eq!(err(IndicatorKind::Domain, ""), ValueProblem::Empty);
    }

    #[test]
    fn urls() {
        assert_eq!(
            ok(
                IndicatorKind::Url,
                "HTTPS://Kyzdar4.Example:8443/anketa?id=7#top"
            ),
            "https://kyzdar4.example:8443/anketa?id=7#top"
        );
        assert_eq!(
            ok(IndicatorKind::Url, "https://jobs.example/вакансия/it's\\x"),
            "https://jobs.example/%D0%B2%D0%B0%D0%BA%D0%B0%D0%BD%D1%81%D0%B8%D1%8F/it's%5Cx"
        );
        assert_eq!(
            ok(IndicatorKind::Url, "http://192.0.2.10/x"),
            "http://192.0.2.10/x"
        );
        assert_eq!(
            ok(IndicatorKind::Url, "http://[2001:DB8::1]:80/"),
            "http://[2001:db8::1]:80/"
        );
        for bad in [
            "kyzdar4.example/path",
            "ftp://files.example/",
            "https://",
            "https:///path",
            "https://host:99999/",
            "https://host:abc/",
            "javascript://alert(1)",
        ] {
            assert!(
                matches!(err(IndicatorKind::Url, bad), ValueProblem::Url(_)),
                "{bad}"
            );
        }
        assert_eq!(
            err(IndicatorKind::Url, "https://a.example/x y"),
            ValueProblem::Whitespace
        );
    }

    #[test]
    fn emails() {
        assert_eq!(
            ok(IndicatorKind::Email, "Hr.Dept@Jobs-Abroad.Example"),
            "Hr.Dept@jobs-abroad.example"
        );
        assert_eq!(
            ok(IndicatorKind::Email, "o'hara@jobs.example"),
            "o'hara@jobs.example"
        );
        for bad in [
            "no-at.example",
            "@jobs.example",
            "a@b",
            "a..b@jobs.example",
            "a\\b@jobs.example",
        ] {
            assert!(
                matches!(err(IndicatorKind::Email, bad), ValueProblem::Email(_)),
                "{bad}"
            );
        }
    }

    #[test]
    fn phones() {
        assert_eq!(ok(IndicatorKind::Phone, "+77010000000"), "+77010000000");
        assert_eq!(
            err(IndicatorKind::Phone, "+7 701 000 00 00"),
            ValueProblem::Whitespace
        );
        for bad in [
            "87010000000",
            "+7(701)0000000",
            "+0123456789",
            "+123",
            "+1234567890123456",
        ] {
            assert_eq!(err(IndicatorKind::Phone, bad), ValueProblem::Phone, "{bad}");
        }
    }

    #[test]
    fn handles() {
        let tg = IndicatorKind::Handle {
            platform: Platform::Telegram,
        };
        assert_eq!(ok(tg.clone(), "@Recruiter_Example"), "recruiter_example");
        assert_eq!(err(tg.clone(), "@"), ValueProblem::Empty);
        assert_eq!(err(tg.clone(), ""), ValueProblem::Empty);
        assert!(matches!(err(tg.clone(), "@abc"), ValueProblem::Handle(_)));
        assert!(matches!(err(tg, "@bad-name"), ValueProblem::Handle(_)));
        let other = IndicatorKind::Handle {
            platform: Platform::Other("Bad Slug".into()),
        };
        assert!(matches!(err(other, "someone"), ValueProblem::Slug(_)));
        let cams = IndicatorKind::Handle {
            platform: Platform::Other("stripchat".into()),
        };
        assert_eq!(ok(cams, "Studio_Model-01"), "Studio_Model-01");
    }

    #[test]
    fn wallets() {
        let eth = IndicatorKind::Wallet {
            chain: Chain::Ethereum,
        };
        assert_eq!(
            ok(eth.clone(), "0x52908400098527886E0F7030069857D2E4169EE7"),
            "0x52908400098527886e0f7030069857d2e4169ee7"
        );
        assert!(matches!(err(eth, "0x1234"), ValueProblem::Wallet(_)));
        let tron = IndicatorKind::Wallet { chain: Chain::Tron };
        assert_eq!(
            ok(tron.clone(), "TLa2f6VPqDgRE67v1736s7bJ8Ray5wYjU7"),
            "TLa2f6VPqDgRE67v1736s7bJ8Ray5wYjU7"
        );
        assert_eq!(
            err(tron.clone(), "TLa2f6VPqDgRE67v 1736s7bJ8Ray5wYjU7"),
            ValueProblem::Whitespace
        );
        assert!(matches!(
            err(tron, "TLa2f6VPqDgRE67v1736s7bJ8Ray5wYjU0"),
            ValueProblem::Wallet(_)
        ));
        let btc = IndicatorKind::Wallet {
            chain: Chain::Bitcoin,
        };
        assert_eq!(
            ok(btc.clone(), "BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4"),
            "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"
        );
        assert!(matches!(
            err(btc.clone(), "bc1qW508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"),
            ValueProblem::Wallet(_)
        ));
        assert_eq!(
            ok(btc, "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2"),
            "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2"
        );
    }
}

//! E-mail addresses, links, registrable domains, and what links carry
//! (Telegram, Instagram and TikTok usernames, WhatsApp numbers).
//!
//! Mirror domains (`kyzdar.net` → `kyzdar2.net`) and shared contact links
//! tie ads together. Hosts are checked against the public suffix list (the
//! `psl` crate, ICANN and private sections) and reduced to the registrable
//! domain, so `m.site.net` and `www.site.net` are one site while
//! `x.com.kz` stays itself.

use std::ops::Range;

use crate::text::View;
use crate::{Collector, IdentifierKind, phone};

fn is_host_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'.'
}

fn is_local_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'%' | b'+' | b'-')
}

/// Top-level domains accepted for a bare host name written without scheme,
/// `www.` or path (besides every two-letter country code): the generic ones
/// that sites of this kind use. Longer brand-new gTLDs collide with words run
/// together at a sentence end ("Dubai.Call").
const BARE_GTLDS: &[&str] = &[
    "com", "net", "org", "info", "biz", "pro", "vip", "club", "online", "site", "xyz", "top",
    "shop", "store", "live", "life", "fun", "space", "website", "tech", "app", "dev", "link",
    "click", "work", "jobs", "agency", "group", "team", "world", "today", "center", "studio",
    "models", "model", "dating", "love", "sexy", "girl", "girls", "escort", "mobi", "name", "asia",
    "travel", "global", "media", "news", "blog", "icu", "cc", "tv", "me", "io", "ru", "kz", "uz",
    "kg", "tj", "tm", "az", "ge", "am", "by", "ua", "tr", "ae", "kr", "su", "eu", "help", "care",
    "support", "email", "porn", "adult", "sex", "cam", "chat", "bet", "casino", "money", "cash",
    "finance", "capital", "exchange", "company", "business", "services", "global",
];

/// Two-letter suffixes that are far more often file extensions.
const FILE_LIKE: &[&str] = &[
    "sh", "py", "rs", "md", "js", "ts", "cs", "pl", "so", "db", "gz",
];

/// Whether `host` (lower case) is a well-formed name under a known public
/// suffix; returns its registrable domain.
pub(crate) fn registrable(host: &str) -> Option<&str> {
    if host.len() > 253 || !host.contains('.') {
        return None;
    }
    for label in host.split('.') {
        let lb = label.as_bytes();
        if lb.is_empty()
            || lb.len() > 63
            || lb.first() == Some(&b'-')
            || lb.last() == Some(&b'-')
            || !lb.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-')
        {
            return None;
        }
    }
    let tld = host.rsplit('.').next()?;
    if tld.len() < 2 || !(tld.bytes().all(|c| c.is_ascii_alphabetic()) || tld.starts_with("xn--")) {
        return None;
    }
    let suffix = psl::suffix(host.as_bytes())?;
    if !suffix.is_known() {
        return None;
    }
    let domain = psl::domain_str(host)?;
    Some(domain)
}

/// A bare host name (no scheme, `www.` or path) is reported only under a
/// common TLD and when it does not look like two words run together.
fn bare_host_ok(host_as_written: &str, host: &str) -> bool {
    let Some(tld) = host.rsplit('.').next() else {
        return false;
    };
    let written_tld = host_as_written.rsplit('.').next().unwrap_or("");
    let title_case = written_tld.chars().next().is_some_and(char::is_uppercase)
        && written_tld.chars().skip(1).any(char::is_lowercase);
    !title_case && !FILE_LIKE.contains(&tld) && (tld.len() == 2 || BARE_GTLDS.contains(&tld))
}

/// E-mail addresses: `local@host` with a host under a known suffix.
pub(crate) fn scan_emails(v: &View<'_>, out: &mut Collector) {
    let b = v.b;
    for a in memchr::memchr_iter(b'@', b) {
        let mut ls = a;
        while ls > 0 && is_local_byte(b[ls - 1]) {
            ls -= 1;
        }
        while ls < a && !b[ls].is_ascii_alphanumeric() {
            ls += 1;
        }
        if ls == a || (ls > 0 && matches!(b[ls - 1], b'/' | b':' | b'@')) {
            continue;
        }
        let mut de = a + 1;
        while de < b.len() && is_host_byte(b[de]) {
            de += 1;
        }
        while de > a + 1 && matches!(b[de - 1], b'.' | b'-') {
            de -= 1;
        }
        let host = v.t[a + 1..de].to_ascii_lowercase();
        if registrable(&host).is_none() {
            continue;
        }
        let r = v.orig(ls..de);
        if out.is_claimed(&r) {
            continue;
        }
        out.add(
            IdentifierKind::Email,
            v.t[ls..de].to_ascii_lowercase(),
            None,
            r.clone(),
        );
        out.claim(r);
    }
}

/// Whether `c` may continue a URL after its host.
fn is_url_char(c: char) -> bool {
    if c.is_ascii() {
        !(c.is_ascii_whitespace()
            || c.is_ascii_control()
            || matches!(
                c,
                '"' | '\'' | '<' | '>' | '`' | '{' | '}' | '|' | '\\' | '^'
            ))
    } else {
        crate::text::is_alnum(c)
    }
}

/// End of the URL's path/query starting at `i` (just after host and port),
/// with trailing sentence punctuation and unbalanced brackets trimmed.
fn url_end(t: &str, i: usize) -> usize {
    let mut e = i;
    for (k, c) in t[i..].char_indices() {
        if !is_url_char(c) {
            break;
        }
        e = i + k + c.len_utf8();
    }
    while let Some(last) = t[i..e].chars().next_back() {
        let unbalanced = |open: char, close: char| {
            last == close && t[i..e].matches(open).count() < t[i..e].matches(close).count()
        };
        if matches!(last, '.' | ',' | ';' | ':' | '!' | '?' | '*')
            || unbalanced('(', ')')
            || unbalanced('[', ']')
        {
            e -= last.len_utf8();
        } else {
            break;
        }
    }
    e
}

/// Links and bare domains.
pub(crate) fn scan_links(v: &View<'_>, out: &mut Collector) {
    let (t, b) = (v.t, v.b);
    let mut i = 0;
    while let Some(k) = memchr::memchr(b'.', &b[i.min(b.len())..]) {
        let d = i + k;
        i = d + 1;
        if d == 0
            || !(b[d - 1].is_ascii_alphanumeric() || b[d - 1] == b'-')
            || !b.get(d + 1).is_some_and(u8::is_ascii_alphabetic)
        {
            continue;
        }
        let mut hs = d;
        while hs > 0 && is_host_byte(b[hs - 1]) {
            hs -= 1;
        }
        while hs < d && !b[hs].is_ascii_alphanumeric() {
            hs += 1;
        }
        let mut he = d + 1;
        while he < b.len() && is_host_byte(b[he]) {
            he += 1;
        }
        while he > d + 1 && matches!(b[he - 1], b'.' | b'-') {
            he -= 1;
        }
        i = he;
        // Part of a handle, an e-mail or a word in another script.
        let before = v.char_before(hs);
        if before.is_some_and(|c| c == '@' || c == '_' || crate::text::is_alnum(c))
            || b.get(he).is_some_and(|&c| c == b'@' || c == b'_')
            || v.char_at(he).is_some_and(crate::text::is_alnum)
        {
            continue;
        }
        let host_written = &t[hs..he];
        let host = host_written.to_ascii_lowercase();
        let Some(domain) = registrable(&host) else {
            continue;
        };
        // Scheme.
        let mut start = hs;
        let mut scheme = None;
        if t[..hs].ends_with("://") {
            let mut ss = hs - 3;
            while ss > 0 && b[ss - 1].is_ascii_alphabetic() {
                ss -= 1;
            }
            if ss < hs - 3 {
                scheme = Some(t[ss..hs - 3].to_ascii_lowercase());
                start = ss;
            }
        }
        // Port, path, query.
        let mut end = he;
        if b.get(end) == Some(&b':') && b.get(end + 1).is_some_and(u8::is_ascii_digit) {
            end += 1;
            while b.get(end).is_some_and(u8::is_ascii_digit) {
                end += 1;
            }
        }
        let has_path = matches!(b.get(end), Some(b'/' | b'?' | b'#'));
        if has_path {
            end = url_end(t, end);
        }
        let is_url = scheme.is_some() || host.starts_with("www.") || has_path;
        if !is_url && !bare_host_ok(host_written, &host) {
            continue;
        }
        let r = v.orig(start..end);
        if out.is_claimed(&r) {
            continue;
        }
        if is_url {
            let mut value = String::with_capacity(end - start);
            if let Some(s) = &scheme {
                value.push_str(s);
                value.push_str("://");
            }
            value.push_str(&host);
            value.push_str(&t[he..end]);
            out.add(IdentifierKind::Url, value, None, r.clone());
        }
        out.add(IdentifierKind::Domain, domain.to_owned(), None, r.clone());
        link_identifiers(out, domain, &host, &t[he..end], r.clone());
        out.claim(r);
        i = end.max(i);
    }
}

/// First path segment and the rest, without query and fragment.
fn segments(rest: &str) -> Vec<&str> {
    let path_end = rest.find(['?', '#']).unwrap_or(rest.len());
    rest[..path_end]
        .trim_start_matches(|c: char| c.is_ascii_digit() || c == ':')
        .split('/')
        .filter(|s| !s.is_empty())
        .collect()
}

fn query_param<'a>(rest: &'a str, name: &str) -> Option<&'a str> {
    let q = &rest[rest.find('?')? + 1..];
    q.split('&')
        .find_map(|kv| kv.strip_prefix(name)?.strip_prefix('='))
}

/// Telegram usernames: 5–32 letters, digits and underscores, starting with
/// a letter.
pub(crate) fn telegram_ok(h: &str) -> bool {
    let b = h.as_bytes();
    (5..=32).contains(&b.len())
        && b[0].is_ascii_alphabetic()
        && b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'_')
}

/// Instagram usernames: up to 30 letters, digits, periods and underscores,
/// with at least one letter, no leading/trailing or doubled period.
pub(crate) fn instagram_ok(h: &str) -> bool {
    let b = h.as_bytes();
    (1..=30).contains(&b.len())
        && b.iter()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_'))
        && b.iter().any(u8::is_ascii_alphabetic)
        && b[0] != b'.'
        && b[b.len() - 1] != b'.'
        && !h.contains("..")
}

/// TikTok usernames: 2–24 letters, digits, periods and underscores.
pub(crate) fn tiktok_ok(h: &str) -> bool {
    let b = h.as_bytes();
    (2..=24).contains(&b.len())
        && b.iter()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_'))
        && b.iter().any(u8::is_ascii_alphabetic)
        && b[b.len() - 1] != b'.'
}

const TELEGRAM_RESERVED: &[&str] = &[
    "joinchat",
    "addstickers",
    "addemoji",
    "addlist",
    "share",
    "proxy",
    "socks",
    "c",
    "iv",
    "login",
    "confirmphone",
    "setlanguage",
    "addtheme",
    "boost",
    "invoice",
    "contact",
    "bg",
    "s",
    "m",
    "k",
    "a",
    "z",
];
const INSTAGRAM_RESERVED: &[&str] = &[
    "p",
    "reel",
    "reels",
    "tv",
    "explore",
    "accounts",
    "direct",
    "about",
    "legal",
    "developer",
    "web",
    "stories",
    "s",
    "challenge",
    "ar",
];

fn link_identifiers(out: &mut Collector, domain: &str, host: &str, rest: &str, r: Range<usize>) {
    let segs = segments(rest);
    match domain {
        "t.me" | "telegram.me" | "telegram.dog" => {
            // t.me/s/name is the web preview of channel `name`.
            let seg = match segs.as_slice() {
                ["s", name, ..] => Some(*name),
                [first, ..] => Some(*first),
                [] => None,
            };
            if let Some(h) = seg
                && !h.starts_with('+')
                && (segs.first() == Some(&"s")
                    || !TELEGRAM_RESERVED.contains(&h.to_ascii_lowercase().as_str()))
                && telegram_ok(h)
            {
                out.add(IdentifierKind::Telegram, h.to_ascii_lowercase(), None, r);
            }
        }
        "instagram.com" | "instagr.am" => {
            let seg = match segs.as_slice() {
                ["stories", name, ..] => Some(*name),
                [first, ..]
                    if !INSTAGRAM_RESERVED.contains(&first.to_ascii_lowercase().as_str()) =>
                {
                    Some(*first)
                }
                _ => None,
            };
            if let Some(h) = seg.map(|h| h.trim_start_matches('@'))
                && instagram_ok(h)
            {
                out.add(IdentifierKind::Instagram, h.to_ascii_lowercase(), None, r);
            }
        }
        "tiktok.com" => {
            if let Some(h) = segs.first().and_then(|s| s.strip_prefix('@'))
                && tiktok_ok(h)
                && !host.starts_with("vm.")
                && !host.starts_with("vt.")
            {
                out.add(IdentifierKind::Tiktok, h.to_ascii_lowercase(), None, r);
            }
        }
        "wa.me" => {
            let digits = segs
                .first()
                .map(|s| s.trim_start_matches('+'))
                .or_else(|| query_param(rest, "phone"));
            whatsapp(out, digits, r);
        }
        "whatsapp.com" if segs.first().is_some_and(|s| s.eq_ignore_ascii_case("send")) => {
            whatsapp(out, query_param(rest, "phone"), r);
        }
        _ => {}
    }
}

fn whatsapp(out: &mut Collector, digits: Option<&str>, r: Range<usize>) {
    let Some(d) = digits else {
        return;
    };
    let d = d
        .trim_start_matches("%2B")
        .trim_start_matches("%2b")
        .trim_start_matches('+');
    if !d.bytes().all(|c| c.is_ascii_digit()) {
        return;
    }
    let e164 = phone::e164_international(d).or_else(|| phone::read(d, phone::Prefix::None, true));
    if let Some(e) = e164 {
        out.add(IdentifierKind::Whatsapp, e, None, r);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registrable_domains_with_private_section() {
        assert_eq!(registrable("t.me"), Some("t.me"));
        assert_eq!(registrable("wa.me"), Some("wa.me"));
        assert_eq!(registrable("m.site.net"), Some("site.net"));
        assert_eq!(registrable("x.com.kz"), Some("x.com.kz"));
        assert_eq!(registrable("www.x.com.kz"), Some("x.com.kz"));
        assert_eq!(registrable("api.whatsapp.com"), Some("whatsapp.com"));
        assert_eq!(registrable("www.instagram.com"), Some("instagram.com"));
        assert_eq!(registrable("com.kz"), None);
        assert_eq!(registrable("photo.jpg"), None);
        assert_eq!(registrable("a..b.com"), None);
    }
}

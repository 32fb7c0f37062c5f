//! Identifier keys: two documents share an identifier only if their keys are equal, so the
//! key must forgive the spellings producers differ in (case of handles, `https://` or not,
//! `www.`), and nothing more.
//!
//! Values from `qorgau scan` are already normalised (see the scan contract); this is a
//! second, idempotent pass so that facts from other producers (a truth file, an analyst's
//! spreadsheet) link the same way.

use std::borrow::Cow;

/// Kinds whose value is case-insensitive and written with an optional leading `@`.
const HANDLE_KINDS: &[&str] = &["telegram", "instagram", "tiktok"];

/// Hosts whose URL paths are case-insensitive user names, so `t.me/Name` and `t.me/name`
/// are the same link.
const CASELESS_PATH_HOSTS: &[&str] = &[
    "t.me",
    "telegram.me",
    "telegram.dog",
    "instagram.com",
    "tiktok.com",
];

/// Public suffixes of more than one label that the region's domains use. Only needed when
/// a producer hands over a host instead of a registrable domain; the identifier stage uses
/// the full public suffix list.
const MULTI_LABEL_SUFFIXES: &[&str] = &[
    "com.kz", "org.kz", "net.kz", "gov.kz", "edu.kz", "mil.kz", "co.kz", "com.kg", "org.kg",
    "net.kg", "gov.kg", "edu.kg", "co.uz", "com.uz", "org.uz", "net.uz", "com.ru", "org.ru",
    "net.ru", "msk.ru", "spb.ru", "com.ua", "org.ua", "com.tr", "org.tr", "net.tr", "co.kr",
    "or.kr", "com.cn", "co.uk", "org.uk", "com.au", "co.in", "ae.org", "com.de",
];

/// Normalises one `(kind, value)` pair into its key parts; `None` for an empty value.
/// Borrows when the producer already wrote the normalised form (the common case), so that a
/// million documents do not cost millions of allocations.
pub(crate) fn normalize<'a>(kind: &'a str, value: &'a str) -> Option<(Cow<'a, str>, Cow<'a, str>)> {
    let kind = kind.trim();
    let kind: Cow<'a, str> = if kind.bytes().any(|b| b.is_ascii_uppercase()) || !kind.is_ascii() {
        Cow::Owned(kind.to_lowercase())
    } else {
        Cow::Borrowed(kind)
    };
    let value = value.trim();
    if kind.is_empty() || value.is_empty() {
        return None;
    }
    if already_normal(&kind, value) {
        return Some((kind, Cow::Borrowed(value)));
    }
    let value = match kind.as_ref() {
        "email" | "domain" => value.trim_end_matches('.').to_lowercase(),
        k if HANDLE_KINDS.contains(&k) => value.trim_start_matches('@').to_lowercase(),
        "phone" | "whatsapp" => {
            let digits: String = value.chars().filter(char::is_ascii_digit).collect();
            if digits.is_empty() {
                return None;
            }
            if value.starts_with('+') {
                format!("+{digits}")
            } else {
                digits
            }
        }
        "card" | "iin" => value.chars().filter(char::is_ascii_digit).collect(),
        "iban" => value
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_uppercase(),
        "seed_phrase" => value
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase(),
        "url" => url_key(value),
        _ => value.to_owned(),
    };
    if value.is_empty() || value == "+" {
        None
    } else {
        Some((kind, Cow::Owned(value)))
    }
}

/// Whether `value` is already in the form [`normalize`] would give (checked cheaply; a
/// `false` only costs the slow path).
fn already_normal(kind: &str, value: &str) -> bool {
    let lower_ascii = || {
        !value
            .bytes()
            .any(|b| b.is_ascii_uppercase() || b.is_ascii_whitespace())
    };
    match kind {
        "email" | "domain" => value.is_ascii() && lower_ascii() && !value.ends_with('.'),
        k if HANDLE_KINDS.contains(&k) => {
            value.is_ascii() && lower_ascii() && !value.starts_with('@')
        }
        "phone" | "whatsapp" => {
            value.len() > 1
                && value.starts_with('+')
                && value.bytes().skip(1).all(|b| b.is_ascii_digit())
        }
        "card" | "iin" => value.bytes().all(|b| b.is_ascii_digit()),
        "iban" => value
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()),
        "seed_phrase" | "url" => false,
        _ => true,
    }
}

/// The key of a link: no scheme, lower-case host without `www.`, no fragment, no trailing
/// slash; the path lower-cased on hosts where it is a case-insensitive user name.
pub(crate) fn url_key(url: &str) -> String {
    let mut rest = url.trim();
    if let Some(pos) = rest.find("://")
        && rest[..pos]
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '+' || c == '-' || c == '.')
    {
        rest = &rest[pos + 3..];
    }
    if let Some(pos) = rest.find('#') {
        rest = &rest[..pos];
    }
    let split = rest.find(['/', '?']).unwrap_or(rest.len());
    let (host, path) = rest.split_at(split);
    let host = host.to_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host).to_owned();
    let path = path.trim_end_matches('/');
    let caseless = CASELESS_PATH_HOSTS
        .iter()
        .any(|h| host == *h || host.ends_with(&format!(".{h}")));
    if caseless {
        format!("{host}{}", path.to_lowercase())
    } else {
        format!("{host}{path}")
    }
}

/// The host of a link or URL key, lower-case, without port, user info or `www.`.
pub(crate) fn host_of(url: &str) -> Option<String> {
    let key = url_key(url);
    let host = key.split(['/', '?']).next()?;
    let host = host.rsplit('@').next()?;
    let host = host.split(':').next()?;
    let host = host.trim_end_matches('.');
    if host.is_empty() || !host.contains('.') {
        return None;
    }
    Some(host.to_owned())
}

/// Whether a URL key has nothing after its host (so it names the site, not a page or user).
pub(crate) fn url_is_bare(key: &str) -> bool {
    match key.find(['/', '?']) {
        None => true,
        Some(pos) => key[pos..].trim_matches(['/', '?']).is_empty(),
    }
}

/// The registrable domain of a host, by the short suffix list above: `m.site.net` →
/// `site.net`, `x.com.kz` stays. An approximation used only on hosts, never on the
/// registrable domains the identifier stage already gives.
pub(crate) fn registrable(host: &str) -> String {
    let host = host.trim_end_matches('.').to_lowercase();
    let labels: Vec<&str> = host.split('.').filter(|l| !l.is_empty()).collect();
    if labels.len() <= 2 {
        return labels.join(".");
    }
    let n = labels.len();
    let last_two = format!("{}.{}", labels[n - 2], labels[n - 1]);
    let keep = if MULTI_LABEL_SUFFIXES.contains(&last_two.as_str()) {
        3
    } else {
        2
    };
    labels[n - keep..].join(".")
}

/// Splits a registrable domain into its name label and its public suffix, by the same list.
pub(crate) fn split_suffix(domain: &str) -> (&str, &str) {
    let labels = domain.split('.').count();
    if labels >= 3 {
        for suffix in MULTI_LABEL_SUFFIXES {
            if let Some(name) = domain.strip_suffix(suffix)
                && let Some(name) = name.strip_suffix('.')
            {
                let label = name.rsplit('.').next().unwrap_or(name);
                return (label, suffix);
            }
        }
    }
    match domain.rfind('.') {
        Some(pos) => {
            let name = &domain[..pos];
            let label = name.rsplit('.').next().unwrap_or(name);
            (label, &domain[pos + 1..])
        }
        None => (domain, ""),
    }
}

/// The source key documents are grouped by when judging how widely an identifier spreads:
/// the `source` field, else the host of the document's URL, else one shared "unknown".
pub(crate) fn source_key(source: Option<&str>, url: Option<&str>) -> String {
    if let Some(s) = source.map(str::trim).filter(|s| !s.is_empty()) {
        return s.to_lowercase();
    }
    url.and_then(host_of)
        .map(|h| registrable(&h))
        .unwrap_or_default()
}

/// The domain a `web:<domain>` source names, if it does.
pub(crate) fn web_source_domain(source: &str) -> Option<String> {
    let rest = source.trim().strip_prefix("web:")?;
    let host = host_of(rest)?;
    Some(registrable(&host))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_forgive_spelling_only() {
        let n = |k: &str, v: &str| normalize(k, v).map(|(_, v)| v.into_owned());
        assert_eq!(n("Telegram", "@Kamila_VIP").as_deref(), Some("kamila_vip"));
        assert_eq!(
            n("phone", "+7 701 123-45-67").as_deref(),
            Some("+77011234567")
        );
        assert_eq!(
            n("card", "4400 4343 1821 4474").as_deref(),
            Some("4400434318214474")
        );
        assert_eq!(n("iban", "kz27 998k zt98").as_deref(), Some("KZ27998KZT98"));
        assert_eq!(n("crypto", "TQrqAbC").as_deref(), Some("TQrqAbC"));
        assert_eq!(n("phone", "no digits"), None);
        assert_eq!(n("email", "  "), None);
        assert_eq!(
            n("url", "https://t.me/Hidden_Official/").as_deref(),
            Some("t.me/hidden_official")
        );
        assert_eq!(
            n("url", "HTTPS://WWW.Site.kz/Page?A=1#top").as_deref(),
            Some("site.kz/Page?A=1")
        );
    }

    #[test]
    fn hosts_and_suffixes() {
        assert_eq!(
            host_of("https://user@m.Site.net:8080/x").as_deref(),
            Some("m.site.net")
        );
        assert_eq!(registrable("m.site.net"), "site.net");
        assert_eq!(registrable("shop.x.com.kz"), "x.com.kz");
        assert_eq!(split_suffix("kyzdar2.net"), ("kyzdar2", "net"));
        assert_eq!(split_suffix("x.com.kz"), ("x", "com.kz"));
        assert!(url_is_bare("wa.me/"));
        assert!(!url_is_bare("wa.me/77011234567"));
        assert_eq!(
            web_source_domain("web:www.kyzdar.net").as_deref(),
            Some("kyzdar.net")
        );
    }
}

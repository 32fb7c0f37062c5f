//! Links: resolving them, and keeping hidden link targets findable.
//!
//! A Telegram `text_link`, or an HTML `<a href="https://wa.me/7...">Напишите
//! нам</a>`, shows words and hides the address, and the address is often the
//! one contact in the ad. The rule, shared by every reader: each link target
//! that does not already appear in the visible text is appended at the end of
//! the document text, one per line, after a line break, in order of first
//! appearance and without repeats. "Appears" ignores the scheme, a leading
//! `www.`, a trailing slash and ASCII case; a `t.me/<name>` link counts as
//! visible when `@<name>` is in the text (a mention), and a `tel:` link when
//! its last ten digits are. So the identifiers in a link are found by the
//! same text scan as everything else, and spans of the visible part are
//! unchanged (the hidden part only ever comes after it).

use url::Url;

/// Resolves `href` against `base`. An absolute `href` is kept as written
/// (trimmed), so that what a reader of the source sees is what is scanned;
/// a relative one is joined to `base`. `None` for empty or fragment-only
/// links, script/data/about URLs, and relative links without a base.
pub(crate) fn resolve(base: Option<&Url>, href: &str) -> Option<String> {
    let href = href.trim();
    if href.is_empty() || href.starts_with('#') {
        return None;
    }
    let absolute = match Url::parse(href) {
        Ok(u) => {
            if matches!(u.scheme(), "javascript" | "data" | "about" | "blob") {
                return None;
            }
            return Some(href.to_string());
        }
        Err(url::ParseError::RelativeUrlWithoutBase) => base?.join(href).ok()?,
        Err(_) => return None,
    };
    if matches!(absolute.scheme(), "javascript" | "data" | "about" | "blob") {
        return None;
    }
    Some(absolute.into())
}

/// Most link targets looked at, and appended, per document: a hostile page
/// with a million anchors must not make the check quadratic.
const MAX_LINKS: usize = 1000;
const MAX_APPENDED: usize = 100;

/// Appends the link targets of `hrefs` that `text` does not show (see the
/// module documentation), each on its own line; at most 100 of them, from
/// the first 1000 links.
pub(crate) fn append_hidden(text: &mut String, hrefs: &[String]) {
    if hrefs.is_empty() {
        return;
    }
    let visible = text.to_lowercase();
    let visible_digits: String = text.chars().filter(char::is_ascii_digit).collect();
    let mut added: Vec<&str> = Vec::new();
    for href in hrefs.iter().take(MAX_LINKS) {
        if added.len() == MAX_APPENDED {
            break;
        }
        let href = href.trim();
        if href.is_empty() || added.contains(&href) || is_visible(&visible, &visible_digits, href) {
            continue;
        }
        added.push(href);
    }
    for href in added {
        if !text.is_empty() {
            text.push('\n');
        }
        text.push_str(href);
    }
}

fn is_visible(visible_lower: &str, visible_digits: &str, href: &str) -> bool {
    let lower = percent_decode(href).to_lowercase();
    if let Some(tel) = lower.strip_prefix("tel:") {
        let digits: String = tel.chars().filter(char::is_ascii_digit).collect();
        let tail = &digits[digits.len().saturating_sub(10)..];
        return !tail.is_empty() && visible_digits.contains(tail);
    }
    let mut bare = lower.as_str();
    for scheme in ["https://", "http://", "mailto:", "tg://"] {
        if let Some(rest) = bare.strip_prefix(scheme) {
            bare = rest;
            break;
        }
    }
    bare = bare.strip_prefix("www.").unwrap_or(bare);
    bare = bare.trim_end_matches('/');
    if bare.is_empty() || visible_lower.contains(bare) {
        return true;
    }
    for host in ["t.me/", "telegram.me/"] {
        if let Some(name) = bare.strip_prefix(host)
            && !name.is_empty()
            && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
            && visible_lower.contains(&format!("@{name}"))
        {
            return true;
        }
    }
    false
}

/// `%D0%B0` → `а`, for comparing a link with the text; invalid sequences
/// are left as they are.
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = |b: u8| (b as char).to_digit(16);
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The host of an absolute URL, lower-case, without a leading `www.`.
pub(crate) fn host_of(url: &str) -> Option<String> {
    let u = Url::parse(url).ok()?;
    let host = u.host_str()?.to_ascii_lowercase();
    Some(
        host.strip_prefix("www.")
            .map(str::to_string)
            .unwrap_or(host),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hidden(text: &str, hrefs: &[&str]) -> String {
        let mut t = text.to_string();
        let hrefs: Vec<String> = hrefs.iter().map(|h| h.to_string()).collect();
        append_hidden(&mut t, &hrefs);
        t
    }

    #[test]
    fn hidden_links_are_appended_once() {
        assert_eq!(
            hidden(
                "Пишите нам",
                &["https://wa.me/77011234567", "https://wa.me/77011234567"]
            ),
            "Пишите нам\nhttps://wa.me/77011234567"
        );
    }

    #[test]
    fn visible_links_mentions_and_phones_are_not_repeated() {
        assert_eq!(
            hidden("сайт www.Example.kz/jobs/", &["https://example.kz/jobs"]),
            "сайт www.Example.kz/jobs/"
        );
        assert_eq!(
            hidden("пишите @Hr_Seoul", &["https://t.me/hr_seoul"]),
            "пишите @Hr_Seoul"
        );
        assert_eq!(
            hidden("звоните 8 701 123 45 67", &["tel:+77011234567"]),
            "звоните 8 701 123 45 67"
        );
        assert_eq!(
            hidden("сайт", &["https://example.kz/%D0%B0"]),
            "сайт\nhttps://example.kz/%D0%B0"
        );
        assert_eq!(
            hidden("сайт example.kz/а", &["https://example.kz/%D0%B0"]),
            "сайт example.kz/а"
        );
    }

    #[test]
    fn resolution() {
        let base = Url::parse("https://jobs.example.kz/a/b.html").ok();
        assert_eq!(
            resolve(base.as_ref(), "../c?x=1").as_deref(),
            Some("https://jobs.example.kz/c?x=1")
        );
        assert_eq!(
            resolve(base.as_ref(), " https://wa.me/7701 ").as_deref(),
            Some("https://wa.me/7701")
        );
        assert_eq!(resolve(base.as_ref(), "#top"), None);
        assert_eq!(resolve(base.as_ref(), "javascript:void(0)"), None);
        assert_eq!(resolve(None, "/rel"), None);
        assert_eq!(
            resolve(None, "tg://resolve?domain=x").as_deref(),
            Some("tg://resolve?domain=x")
        );
    }
}

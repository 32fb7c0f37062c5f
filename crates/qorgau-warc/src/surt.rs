//! SURT keys (Sort-friendly URI Reordering Transform) for CDXJ indexes.
//!
//! A port of the Python `surt` package (0.3.1) with its default
//! canonicaliser (Google's then the Internet Archive's rules), because
//! pywb, ReplayWeb.page, `cdxj-indexer` and `py-wacz` all key their
//! indexes with it: a key that differs by one byte is a page replay cannot
//! find. Ported function by function with the Python names in comments;
//! the tests compare against the package itself.
//!
//! Known difference: host names with non-ASCII letters are converted with
//! UTS #46 (the `idna` crate) where Python uses IDNA 2003; the two agree on
//! Cyrillic and Kazakh names (lower-case, Punycode) and differ on rare
//! characters such as `ß`.

use std::net::Ipv4Addr;
use std::sync::LazyLock;

use regex::bytes::Regex;

/// The SURT key of `url`, e.g. `kz,example)/path?a=1&b=2` for
/// `http://www.Example.kz/Path?b=2&a=1`. URLs the Python package cannot
/// parse (an invalid port, say) come back unchanged, as `cdxj-indexer`
/// then writes them.
pub fn surt(url: &str) -> String {
    let bytes = url.as_bytes();
    if bytes.is_empty() {
        return "-".to_owned();
    }
    if bytes.starts_with(b"filedesc") {
        return url.to_owned();
    }
    match HandyUrl::parse(bytes) {
        Some(mut h) => {
            google_canonicalize(&mut h);
            ia_canonicalize(&mut h);
            String::from_utf8_lossy(&h.surt_bytes()).into_owned()
        }
        None => url.to_owned(),
    }
}

fn re(pattern: &str) -> Option<Regex> {
    Regex::new(pattern).ok()
}

// Patterns of handyurl.py, IAURLCanonicalizer.py and URLRegexTransformer.py,
// case-insensitive on ASCII only (`(?i-u)`) like Python's bytes patterns.
static RE_HAS_PROTOCOL: LazyLock<Option<Regex>> =
    LazyLock::new(|| re(r"(?-u)^[a-zA-Z][a-zA-Z0-9+\-.]*:"));
static RE_MULTIPLE_PROTOCOLS: LazyLock<Option<Regex>> = LazyLock::new(|| re(r"(?-u)^(https?://)+"));
static RE_RFC2396: LazyLock<Option<Regex>> = LazyLock::new(|| {
    re(r"(?s-u)^(([a-zA-Z][a-zA-Z0-9+.-]*):)?((//([^/?#]*))?([^?#]*)(\?([^#]*))?)?(#(.*))?$")
});
static RE_WWW_DIGITS: LazyLock<Option<Regex>> = LazyLock::new(|| re(r"(?-u)^www\d*\."));
static RE_PATH_SESSION: LazyLock<[Option<Regex>; 2]> = LazyLock::new(|| {
    [
        re(r"(?i-u)^(.*/)(\((?:[a-z]\([0-9a-z]{24}\))+\)/)([^\?]+\.aspx.*)$"),
        re(r"(?i-u)^(.*/)(\([0-9a-z]{24}\)/)([^\?]+\.aspx.*)$"),
    ]
});
static RE_QUERY_SESSION: LazyLock<[Option<Regex>; 5]> = LazyLock::new(|| {
    [
        re(r"(?i-u)^(.*)(?:jsessionid=[0-9a-zA-Z]{32})(?:&(.*))?$"),
        re(r"(?i-u)^(.*)(?:phpsessid=[0-9a-zA-Z]{32})(?:&(.*))?$"),
        re(r"(?i-u)^(.*)(?:sid=[0-9a-zA-Z]{32})(?:&(.*))?$"),
        re(r"(?i-u)^(.*)(?:ASPSESSIONID[a-zA-Z]{8}=[a-zA-Z]{24})(?:&(.*))?$"),
        re(r"(?i-u)^(.*)(?:cfid=[^&]+&cftoken=[^&]+)(?:&(.*))?$"),
    ]
});
static RE_DECIMAL_IP: LazyLock<Option<Regex>> =
    LazyLock::new(|| re(r"(?-u)^([1-9][0-9]*)(\.[0-9]+)?(\.[0-9]+)?(\.[0-9]+)?$"));
static RE_OCTAL_IP: LazyLock<Option<Regex>> =
    LazyLock::new(|| re(r"(?-u)^(0[0-7]*)(\.[0-7]+)?(\.[0-7]+)?(\.[0-7]+)?$"));

/// handyurl: the parts of a URL as the Python package keeps them.
#[derive(Debug, Default)]
struct HandyUrl {
    scheme: Option<Vec<u8>>,
    host: Option<Vec<u8>>,
    port: Option<u32>,
    path: Option<Vec<u8>>,
    query: Option<Vec<u8>>,
    last_delimiter: Option<Vec<u8>>,
}

fn non_empty(v: &[u8]) -> Option<Vec<u8>> {
    (!v.is_empty()).then(|| v.to_vec())
}

impl HandyUrl {
    /// handyurl.parse; `None` where Python raises.
    fn parse(url: &[u8]) -> Option<Self> {
        let url = url.trim_ascii();
        let mut url: Vec<u8> = url
            .iter()
            .copied()
            .filter(|b| !matches!(b, b'\n' | b'\r' | b'\t'))
            .collect();
        // addDefaultSchemeIfNeeded
        if !url.is_empty() && !RE_HAS_PROTOCOL.as_ref()?.is_match(&url) {
            url.splice(0..0, b"http://".iter().copied());
        }
        // _RE_MULTIPLE_PROTOCOLS.sub(lambda m: m.group(1), url): group 1 is
        // the last repetition.
        if let Some(m) = RE_MULTIPLE_PROTOCOLS.as_ref()?.captures(&url)
            && let (Some(all), Some(last)) = (m.get(0), m.get(1))
        {
            let (end, last) = (all.end(), last.as_bytes().to_vec());
            url.splice(0..end, last);
        }
        let caps = RE_RFC2396.as_ref()?.captures(&url)?;
        let group = |i: usize| caps.get(i).map_or(&b""[..], |m| m.as_bytes());
        let scheme = non_empty(group(2));
        let mut netloc = group(5);
        let path = group(6);
        let query = non_empty(group(8));
        while let Some(n) = netloc.strip_suffix(b":") {
            netloc = n;
        }
        let (hostname, port) = host_info(netloc);
        let port = match port {
            None => None,
            Some(p) => {
                if p.is_empty() || !p.iter().all(u8::is_ascii_digit) {
                    return None;
                }
                let n: u64 = std::str::from_utf8(p)
                    .ok()?
                    .trim_start_matches('0')
                    .parse()
                    .unwrap_or(0);
                if n > 65535 {
                    return None;
                }
                u32::try_from(n).ok().filter(|&n| n != 0)
            }
        };
        let mut host = hostname.filter(|h| !h.is_empty()).map(|h| {
            // hostname: lower-case up to a `%zone`.
            let cut = h.iter().position(|&b| b == b'%').unwrap_or(h.len());
            let mut out = h[..cut].to_ascii_lowercase();
            out.extend_from_slice(&h[cut..]);
            out
        });
        let mut path = non_empty(path);
        if scheme.as_deref()?.starts_with(b"http")
            && host.is_none()
            && let Some(p) = &path
        {
            let trimmed: &[u8] = {
                let start = p.iter().position(|&b| b != b'/').unwrap_or(p.len());
                &p[start..]
            };
            let (h, rest) = match trimmed.iter().position(|&b| b == b'/') {
                Some(i) => (&trimmed[..i], &trimmed[i + 1..]),
                None => (trimmed, &b""[..]),
            };
            host = Some(h.to_vec());
            let mut np = b"/".to_vec();
            np.extend_from_slice(rest);
            path = Some(np);
        }
        let last_delimiter = (url.ends_with(b"?") && query.is_none()).then(|| b"?".to_vec());
        Some(Self {
            scheme,
            host,
            port,
            path,
            query,
            last_delimiter,
        })
    }

    /// geturl_bytes(surt=True, with_scheme=False).
    fn surt_bytes(&self) -> Vec<u8> {
        let host_src = self.host.as_deref().filter(|h| !h.is_empty()).map(|h| {
            let mut parts: Vec<&[u8]> = h.split(|&b| b == b'.').collect();
            parts.reverse();
            parts.join(&b","[..])
        });
        let mut s = Vec::new();
        match &host_src {
            None => {
                s.extend_from_slice(self.scheme.as_deref().unwrap_or_default());
                s.push(b':');
            }
            Some(h) => {
                s.extend_from_slice(h);
                if let Some(p) = self.port {
                    s.extend_from_slice(format!(":{p}").as_bytes());
                }
                s.push(b')');
            }
        }
        match &self.path {
            Some(p) if !p.is_empty() => s.extend_from_slice(p),
            _ if self.query.is_some() => s.push(b'/'),
            _ => {}
        }
        if let Some(q) = &self.query {
            s.push(b'?');
            s.extend_from_slice(q);
        }
        if let Some(d) = &self.last_delimiter {
            s.extend_from_slice(d);
        }
        s
    }
}

/// urllib's `_hostinfo` of a netloc: host and port text.
fn host_info(netloc: &[u8]) -> (Option<&[u8]>, Option<&[u8]>) {
    let hostinfo = match netloc.iter().rposition(|&b| b == b'@') {
        Some(i) => &netloc[i + 1..],
        None => netloc,
    };
    let (host, port) = if let Some(i) = hostinfo.iter().position(|&b| b == b'[') {
        let bracketed = &hostinfo[i + 1..];
        let (h, rest) = match bracketed.iter().position(|&b| b == b']') {
            Some(j) => (&bracketed[..j], &bracketed[j + 1..]),
            None => (bracketed, &b""[..]),
        };
        let port = match rest.iter().position(|&b| b == b':') {
            Some(k) => &rest[k + 1..],
            None => &b""[..],
        };
        (h, port)
    } else {
        match hostinfo.iter().position(|&b| b == b':') {
            Some(i) => (&hostinfo[..i], &hostinfo[i + 1..]),
            None => (hostinfo, &b""[..]),
        }
    };
    (Some(host), (!port.is_empty()).then_some(port))
}

/// GoogleURLCanonicalizer.canonicalize.
fn google_canonicalize(u: &mut HandyUrl) {
    if let Some(q) = u.query.take() {
        u.query = Some(escape_once(&unescape_repeatedly(&q)));
    }
    if let Some(h) = u.host.take().filter(|h| !h.is_empty()) {
        let mut host = unescape_repeatedly(&h);
        if !host.is_ascii() {
            let text = String::from_utf8_lossy(&host).replace('\u{FFFD}', "");
            if let Some(ascii) = idna_2003ish(&text) {
                host = ascii.into_bytes();
            }
        }
        let mut host = replace_double_dots(&host);
        let start = host.iter().position(|&b| b != b'.').unwrap_or(host.len());
        let end = host
            .iter()
            .rposition(|&b| b != b'.')
            .map_or(start, |i| i + 1);
        host = host[start..end.max(start)].to_vec();
        u.host = Some(match attempt_ip_formats(&host) {
            Some(ip) => ip.into_bytes(),
            None => escape_once(&host.to_ascii_lowercase()),
        });
    }
    if let Some(p) = u.path.take() {
        let mut path = unescape_repeatedly(&p);
        if u.host.as_deref().is_some_and(|h| !h.is_empty()) {
            path = normalize_path(&path);
        }
        u.path = Some(escape_once(&path));
    } else if u.host.as_deref().is_some_and(|h| !h.is_empty()) {
        u.path = Some(b"/".to_vec());
    }
}

/// `host.replace(b'..', b'.')`: one left-to-right pass, no overlaps.
fn replace_double_dots(host: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(host.len());
    let mut i = 0;
    while i < host.len() {
        if host[i] == b'.' && host.get(i + 1) == Some(&b'.') {
            out.push(b'.');
            i += 2;
        } else {
            out.push(host[i]);
            i += 1;
        }
    }
    out
}

/// `host.encode('idna')` as far as the `idna` crate matches it: `None`
/// where Python raises (empty or over-long labels, refused characters).
fn idna_2003ish(host: &str) -> Option<String> {
    let labels: Vec<&str> = host.strip_suffix('.').unwrap_or(host).split('.').collect();
    if labels.iter().any(|l| l.is_empty()) {
        return None;
    }
    let ascii = idna::domain_to_ascii(host).ok()?;
    let inner = ascii.strip_suffix('.').unwrap_or(&ascii);
    if inner.split('.').any(|l| l.is_empty() || l.len() > 63) {
        return None;
    }
    Some(ascii)
}

/// normalizePath: resolves `.` and `..` segments, drops empty ones except
/// the last.
fn normalize_path(path: &[u8]) -> Vec<u8> {
    if path.is_empty() {
        return b"/".to_vec();
    }
    let mut kept: Vec<&[u8]> = Vec::new();
    for p in path.split(|&b| b == b'/').skip(1) {
        match p {
            b"." => {}
            b".." => {
                if kept.is_empty() {
                    kept.push(p);
                } else {
                    kept.pop();
                }
            }
            _ => kept.push(p),
        }
    }
    let mut out = b"/".to_vec();
    if let Some((last, rest)) = kept.split_last() {
        for p in rest {
            if !p.is_empty() {
                out.extend_from_slice(p);
                out.push(b'/');
            }
        }
        out.extend_from_slice(last);
    }
    out
}

/// attemptIPFormats: a host that is a number or dotted numbers becomes a
/// dotted quad, as `socket.inet_ntoa` / `gethostbyname` (glibc inet_aton
/// rules: leading 0 means octal; fewer parts fill the low bytes).
fn attempt_ip_formats(host: &[u8]) -> Option<String> {
    if host.is_empty() {
        return None;
    }
    if host.iter().all(u8::is_ascii_digit) {
        // int(host) & 0xffffffff: the low 32 bits of an arbitrarily long
        // decimal number.
        let mut v: u64 = 0;
        for &d in host {
            v = (v * 10 + u64::from(d - b'0')) & 0xffff_ffff;
        }
        return Some(Ipv4Addr::from(u32::try_from(v).ok()?).to_string());
    }
    let numeric = RE_DECIMAL_IP.as_ref().is_some_and(|r| r.is_match(host))
        || RE_OCTAL_IP.as_ref().is_some_and(|r| r.is_match(host));
    if !numeric {
        return None;
    }
    inet_aton(host).map(|a| Ipv4Addr::from(a).to_string())
}

/// glibc `inet_aton` for digits and dots (hexadecimal cannot reach here).
fn inet_aton(s: &[u8]) -> Option<u32> {
    let mut parts: Vec<u64> = Vec::new();
    for p in s.split(|&b| b == b'.') {
        if p.is_empty() {
            return None;
        }
        let (digits, radix) = if p.len() > 1 && p[0] == b'0' {
            (&p[1..], 8)
        } else {
            (p, 10)
        };
        let mut v: u64 = 0;
        for &d in digits {
            let d = u64::from(d.wrapping_sub(b'0'));
            if d >= radix {
                return None;
            }
            v = v.checked_mul(radix)?.checked_add(d)?;
            if v > 0xffff_ffff {
                return None;
            }
        }
        parts.push(v);
    }
    let (last, init) = parts.split_last()?;
    if init.iter().any(|&p| p > 0xff) {
        return None;
    }
    let max_last: u64 = match init.len() {
        0 => 0xffff_ffff,
        1 => 0x00ff_ffff,
        2 => 0xffff,
        3 => 0xff,
        _ => return None,
    };
    if *last > max_last {
        return None;
    }
    let mut v: u64 = *last;
    for (i, p) in init.iter().enumerate() {
        v |= p << (24 - 8 * i);
    }
    u32::try_from(v).ok()
}

/// IAURLCanonicalizer.canonicalize with its defaults.
fn ia_canonicalize(u: &mut HandyUrl) {
    if let Some(h) = u.host.as_mut().filter(|h| !h.is_empty()) {
        h.make_ascii_lowercase();
        if u.scheme.as_deref() != Some(b"dns")
            && let Some(m) = RE_WWW_DIGITS.as_ref().and_then(|r| r.find(h))
        {
            let end = m.end();
            h.drain(..end);
        }
    }
    if let Some(scheme) = &u.scheme {
        let default = match scheme.to_ascii_lowercase().as_slice() {
            b"http" => Some(80),
            b"https" => Some(443),
            _ => None,
        };
        if default.is_some() && u.port == default {
            u.port = None;
        }
    }
    if let Some(p) = u.path.as_mut().filter(|p| !p.is_empty()) {
        p.make_ascii_lowercase();
        for r in RE_PATH_SESSION.iter().flatten() {
            if let Some(c) = r.captures(p) {
                let mut np = c.get(1).map_or(&b""[..], |m| m.as_bytes()).to_vec();
                np.extend_from_slice(c.get(3).map_or(&b""[..], |m| m.as_bytes()));
                *p = np;
            }
        }
        if p.len() > 1 && p.ends_with(b"/") {
            p.pop();
        }
    }
    match u.query.take() {
        Some(q) if !q.is_empty() => {
            let mut q = q;
            for r in RE_QUERY_SESSION.iter().flatten() {
                if let Some(c) = r.captures(&q) {
                    let mut nq = c.get(1).map_or(&b""[..], |m| m.as_bytes()).to_vec();
                    if let Some(rest) = c.get(2).filter(|m| !m.as_bytes().is_empty()) {
                        nq.extend_from_slice(rest.as_bytes());
                    }
                    q = nq;
                }
            }
            q.make_ascii_lowercase();
            let q = alpha_reorder_query(&q);
            u.query = (!q.is_empty()).then_some(q);
        }
        _ => u.last_delimiter = None,
    }
}

/// alphaReorderQuery: sorts `name=value` pairs as Python sorts tuples.
fn alpha_reorder_query(q: &[u8]) -> Vec<u8> {
    if q.len() <= 1 {
        return q.to_vec();
    }
    let mut args: Vec<Vec<&[u8]>> = q
        .split(|&b| b == b'&')
        .map(|a| match a.iter().position(|&b| b == b'=') {
            Some(i) => vec![&a[..i], &a[i + 1..]],
            None => vec![a],
        })
        .collect();
    args.sort();
    let joined: Vec<Vec<u8>> = args.iter().map(|t| t.join(&b"="[..])).collect();
    joined.join(&b"&"[..])
}

/// urllib.parse.unquote_to_bytes until nothing changes.
fn unescape_repeatedly(input: &[u8]) -> Vec<u8> {
    let mut cur = input.to_vec();
    loop {
        let next = unquote(&cur);
        if next == cur {
            return cur;
        }
        cur = next;
    }
}

fn unquote(s: &[u8]) -> Vec<u8> {
    let hex = |b: u8| (b as char).to_digit(16);
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        if s[i] == b'%'
            && let (Some(h), Some(l)) = (
                s.get(i + 1).and_then(|&b| hex(b)),
                s.get(i + 2).and_then(|&b| hex(b)),
            )
        {
            out.push(u8::try_from(h * 16 + l).unwrap_or(b'?'));
            i += 3;
            continue;
        }
        out.push(s[i]);
        i += 1;
    }
    out
}

/// escapeOnce: `quote_from_bytes` with the package's safe set.
fn escape_once(s: &[u8]) -> Vec<u8> {
    const SAFE: &[u8] = b"!\"$&'()*+,-./:;<=>?@[\\]^_`{|}~";
    let mut out = Vec::with_capacity(s.len());
    for &b in s {
        if b.is_ascii_alphanumeric() || SAFE.contains(&b) {
            out.push(b);
        } else {
            out.extend_from_slice(format!("%{b:02X}").as_bytes());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_patterns_compile() {
        assert!(
            RE_HAS_PROTOCOL.is_some() && RE_MULTIPLE_PROTOCOLS.is_some() && RE_RFC2396.is_some()
        );
        assert!(RE_WWW_DIGITS.is_some() && RE_DECIMAL_IP.is_some() && RE_OCTAL_IP.is_some());
        assert!(RE_PATH_SESSION.iter().all(Option::is_some));
        assert!(RE_QUERY_SESSION.iter().all(Option::is_some));
    }

    #[test]
    fn examples_from_the_python_package() {
        assert_eq!(surt("http://www.archive.org/"), "org,archive)/");
        assert_eq!(
            surt("http://archive.org/goo/?a=2&b&a=1"),
            "org,archive)/goo?a=1&a=2&b"
        );
        assert_eq!(surt("http://archive.org:8080/goo"), "org,archive:8080)/goo");
        assert_eq!(surt("http://www.rte.ie/news/"), "ie,rte)/news");
        assert_eq!(surt("dns:archive.org"), "dns:archive.org");
        // As the Python package computes it (int & 0xffffffff, then inet_ntoa).
        assert_eq!(surt("http://3279880203/blah"), "11,0,127,195)/blah");
        assert_eq!(surt(""), "-");
    }
}

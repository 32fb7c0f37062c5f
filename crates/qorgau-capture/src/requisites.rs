//! The resources an HTML page needs to be shown (`wget -p`'s "page
//! requisites"): what plain-HTTP capture fetches besides the page, so the
//! WARC replays the page with its pictures and styles.

use scraper::{Html, Selector};
use url::Url;

/// Element/attribute pairs that name a requisite.
const SOURCES: &[(&str, &str)] = &[
    ("img[src]", "src"),
    ("img[data-src]", "data-src"),
    ("link[rel~=stylesheet][href]", "href"),
    ("link[rel~=icon][href]", "href"),
    ("script[src]", "src"),
    ("video[src]", "src"),
    ("video[poster]", "poster"),
    ("audio[src]", "src"),
    ("source[src]", "src"),
    ("embed[src]", "src"),
    ("input[type=image][src]", "src"),
];

/// Absolute http(s) URLs of the page's requisites, in document order,
/// without repeats, at most `max`.
pub(crate) fn requisites(html: &str, base: &Url, max: usize) -> Vec<String> {
    let doc = Html::parse_document(html);
    let base = doc
        .select(&selector("base[href]"))
        .next()
        .and_then(|b| b.value().attr("href"))
        .and_then(|h| base.join(h).ok())
        .unwrap_or_else(|| base.clone());
    let mut found: Vec<(usize, String)> = Vec::new();
    let mut push = |pos: usize, raw: &str| {
        let raw = raw.trim();
        if raw.is_empty() || raw.starts_with("data:") {
            return;
        }
        if let Ok(u) = base.join(raw)
            && matches!(u.scheme(), "http" | "https")
        {
            let mut u = u;
            u.set_fragment(None);
            found.push((pos, u.to_string()));
        }
    };
    // Document order: position of the element in a pre-order walk.
    let order: std::collections::HashMap<_, usize> = doc
        .root_element()
        .descendants()
        .enumerate()
        .map(|(i, n)| (n.id(), i))
        .collect();
    for (sel, attr) in SOURCES {
        for el in doc.select(&selector(sel)) {
            let pos = order.get(&el.id()).copied().unwrap_or(usize::MAX);
            if let Some(v) = el.value().attr(attr) {
                push(pos, v);
            }
        }
    }
    for el in doc.select(&selector("img[srcset], source[srcset]")) {
        let pos = order.get(&el.id()).copied().unwrap_or(usize::MAX);
        if let Some(set) = el.value().attr("srcset") {
            for candidate in set.split(',') {
                if let Some(u) = candidate.split_whitespace().next() {
                    push(pos, u);
                }
            }
        }
    }
    found.sort_by_key(|(pos, _)| *pos);
    let mut seen = std::collections::HashSet::new();
    found
        .into_iter()
        .map(|(_, u)| u)
        .filter(|u| seen.insert(u.clone()))
        .take(max)
        .collect()
}

fn selector(s: &str) -> Selector {
    // The selectors are constants of this module; a typo is caught by the
    // unit test below, so the fallback (match nothing) never runs.
    Selector::parse(s).unwrap_or_else(|_| {
        #[allow(clippy::unwrap_used)]
        Selector::parse("never-an-element").unwrap()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_selector_parses() {
        for (s, _) in SOURCES {
            assert!(Selector::parse(s).is_ok(), "{s}");
        }
        assert!(Selector::parse("img[srcset], source[srcset]").is_ok());
    }

    #[test]
    fn requisites_are_absolute_ordered_and_unique() {
        let base = Url::parse("http://example.test/a/page.html").unwrap();
        let html = r#"<html><head><link rel="stylesheet" href="/s.css"><script src="j.js"></script></head>
            <body><img src="x.png"><img src="x.png#frag"><img srcset="small.jpg 1x, big.jpg 2x">
            <video poster="p.jpg"><source src="v.mp4"></video><img src="data:image/png;base64,AAAA">
            <a href="/not-a-requisite">link</a></body></html>"#;
        let r = requisites(html, &base, 100);
        assert_eq!(
            r,
            vec![
                "http://example.test/s.css",
                "http://example.test/a/j.js",
                "http://example.test/a/x.png",
                "http://example.test/a/small.jpg",
                "http://example.test/a/big.jpg",
                "http://example.test/a/p.jpg",
                "http://example.test/a/v.mp4",
            ]
        );
        assert_eq!(requisites(html, &base, 2).len(), 2);
    }
}

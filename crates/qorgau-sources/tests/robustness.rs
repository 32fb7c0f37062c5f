//! No input makes a parser panic: random bytes, random soups of the tokens
//! each format is made of, and random corruptions (byte changes,
//! truncations, insertions) of every fixture, fed to every reader.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::io::Cursor;

use proptest::prelude::*;
use qorgau_sources::{
    Format, ReadOptions, detect_format, html_to_document, parse_feed, parse_sitemap,
    parse_url_list_checked, read, telegram_web_page,
};

const FORMATS: [Format; 7] = [
    Format::Auto,
    Format::Jsonl,
    Format::Telegram,
    Format::TelegramWeb,
    Format::Html,
    Format::Text,
    Format::Csv,
];

const FIXTURES: [&str; 16] = [
    "jsonl/ads.jsonl",
    "telegram/single_chat/result.json",
    "telegram/account/result.json",
    "telegram_web/channel.html",
    "html/jobs.html",
    "html/cp1251.html",
    "text/ad.txt",
    "text/ad-cp1251.txt",
    "csv/ads.csv",
    "feeds/rss2.xml",
    "feeds/atom.xml",
    "feeds/rss1.rdf",
    "sitemaps/sitemap.xml",
    "sitemaps/sitemap.xml.gz",
    "sitemaps/sitemap_index.xml",
    "lists/urls.txt",
];

/// Pieces of JSON, CSV, HTML and XML syntax, so that random inputs reach
/// deep into the parsers instead of failing on the first byte.
const TOKENS: [&str; 48] = [
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    "\"",
    "\"id\"",
    "\"text\"",
    "\"messages\"",
    "\"chats\"",
    "\"list\"",
    "\"type\"",
    "\"service\"",
    "\"text_link\"",
    "\"href\"",
    "1",
    "-7",
    "null",
    "\n",
    "\r\n",
    ";",
    "\t",
    "<",
    ">",
    "/",
    "=",
    "<item>",
    "</item>",
    "<entry>",
    "<rss>",
    "<feed xmlns=\"http://www.w3.org/2005/Atom\">",
    "<link href=\"x\"/>",
    "<![CDATA[",
    "]]>",
    "&amp;",
    "&#1078;",
    "&nbsp;",
    "<br>",
    "<div class=\"tgme_widget_message\" data-post=\"c/1\">",
    "<div class=\"tgme_widget_message_text\">",
    "</div>",
    "<a href=\"https://wa.me/7\">",
    "<url><loc>",
    "</loc></url>",
    "<urlset>",
    "Жұмыс 🇰🇷",
    "\u{feff}",
];

fn run_everything(name: &str, bytes: &[u8]) {
    for format in FORMATS {
        if let Ok(items) = read(
            name,
            Cursor::new(bytes.to_vec()),
            format,
            &ReadOptions::default(),
        ) {
            for item in items.take(10_000) {
                let _ = item;
            }
        }
    }
    let _ = detect_format(name, bytes);
    let _ = parse_feed(bytes, Some("https://base.example/feed/"));
    let _ = parse_feed(bytes, None);
    let _ = parse_sitemap(bytes);
    let _ = telegram_web_page(bytes);
    let _ = html_to_document("https://page.example/a/b", bytes);
    let _ = parse_url_list_checked(&String::from_utf8_lossy(bytes));
}

fn token_soup() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(prop::sample::select(TOKENS.to_vec()), 0..200)
        .prop_map(|tokens| tokens.concat().into_bytes())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        run_everything("random", &bytes);
        run_everything("random.json", &bytes);
    }

    #[test]
    fn token_soups(bytes in token_soup()) {
        run_everything("soup", &bytes);
        run_everything("soup.csv", &bytes);
    }

    #[test]
    fn corrupted_fixtures(
        which in 0..FIXTURES.len(),
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0u8..3), 1..8),
        cut in any::<prop::sample::Index>(),
        truncate in any::<bool>(),
    ) {
        let name = FIXTURES[which];
        let mut bytes = common::bytes(name);
        for (at, byte, op) in edits {
            if bytes.is_empty() {
                break;
            }
            let i = at.index(bytes.len());
            match op {
                0 => bytes[i] = byte,
                1 => bytes.insert(i, byte),
                _ => { bytes.remove(i); }
            }
        }
        if truncate && !bytes.is_empty() {
            let n = cut.index(bytes.len());
            bytes.truncate(n);
        }
        run_everything(name, &bytes);
    }
}

/// Every prefix of the smaller fixtures: truncation at each byte.
#[test]
fn every_truncation_of_small_fixtures() {
    for name in [
        "jsonl/ads.jsonl",
        "csv/ads.csv",
        "feeds/atom.xml",
        "sitemaps/sitemap_index.xml",
    ] {
        let bytes = common::bytes(name);
        for n in 0..bytes.len() {
            let prefix = &bytes[..n];
            let _ = parse_feed(prefix, None);
            let _ = parse_sitemap(prefix);
            for format in [Format::Jsonl, Format::Csv, Format::Telegram] {
                if let Ok(items) = read(
                    name,
                    Cursor::new(prefix.to_vec()),
                    format,
                    &ReadOptions::default(),
                ) {
                    items.for_each(drop);
                }
            }
        }
    }
}

/// Deep nesting cannot stall the HTML readers: without the depth cap,
/// 20,000 unclosed `<div>`s took 2.5 s in html5ever and the cost grows with
/// the square of the depth.
#[test]
fn hostile_nesting_is_parsed_quickly() {
    for (tag, n) in [
        ("<div>", 100_000),
        ("<b><div>", 50_000),
        ("<table><tr><td>", 30_000),
        ("<dl><dt>", 30_000),
    ] {
        let html = tag.repeat(n) + "глубоко <a href='https://wa.me/77010000000'>x</a>";
        let started = std::time::Instant::now();
        let page = html_to_document("deep.html", html.as_bytes());
        assert_eq!(page.text, "глубоко x", "{tag}");
        let posts = telegram_web_page(format!("<div class=\"tgme_widget_message\" data-post=\"c/1\"><div class=\"tgme_widget_message_text\">{html}</div></div>").as_bytes()).unwrap();
        assert!(posts.posts[0].text.starts_with("глубоко x"), "{tag}");
        let feed = parse_feed(format!("<rss><channel><item><description><![CDATA[{html}]]></description></item></channel></rss>").as_bytes(), None).unwrap();
        assert!(feed.entries[0].text.starts_with("глубоко x"), "{tag}");
        let elapsed = started.elapsed();
        assert!(elapsed.as_secs() < 10, "{tag}: {elapsed:?}");
    }
}

//! Monitoring source lists: RSS/Atom feeds, sitemaps, URL lists.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::io::Write;

use common::bytes;
use qorgau_sources::{
    Feed, FeedEntry, FeedKind, Sitemap, SitemapEntry, SitemapKind, SourceError, parse_feed,
    parse_sitemap, parse_url_list, parse_url_list_checked,
};

fn s(v: &str) -> Option<String> {
    Some(v.to_string())
}

#[test]
fn rss2_feed() {
    let feed = parse_feed(&bytes("feeds/rss2.xml"), None).unwrap();
    assert_eq!(
        feed,
        Feed {
            kind: FeedKind::Rss2,
            title: s("Доска объявлений — Работа за рубежом"),
            link: s("https://board.example/rabota-za-rubezhom/"),
            truncated: false,
            entries: vec![
                // CDATA HTML description; hidden WhatsApp link appended;
                // RFC 2822 date converted.
                FeedEntry {
                    id: s("https://board.example/ad/5501-rabota-v-koree"),
                    url: s("https://board.example/ad/5501-rabota-v-koree"),
                    title: s("Работа в Корее для девушек, 2000$ & жильё"),
                    text: "Кафе в Сеуле, без опыта.\nПаспорт и билеты — наша забота. WhatsApp\nhttps://wa.me/77015553311".into(),
                    published: s("2024-05-14T18:05:00+05:00"),
                    updated: None,
                    author: s("Агентство «Сеул-Трэвел»"),
                },
                // Relative link resolved against the channel link;
                // content:encoded preferred to the escaped description;
                // a guid that is not a permalink is the id only.
                FeedEntry {
                    id: s("board-5502"),
                    url: s("https://board.example/ad/5502-turkiya"),
                    title: s("Қазақша: Түркияда жұмыс"),
                    text: "Отельге даяшылар керек.\n\nАйлығы 900$, тұрғын үй тегін.\n\nБайланыс: @turkiya_jumys_example".into(),
                    published: s("2024-05-15T04:00:00+00:00"),
                    updated: None,
                    author: None,
                },
                // No link: the permalink guid is the URL; an unparsable date is kept.
                FeedEntry {
                    id: s("https://board.example/ad/5503"),
                    url: s("https://board.example/ad/5503"),
                    title: s("Вахта в Москве"),
                    text: "Склад, 30/30, проживание. Тел: 8 700 555 20 20".into(),
                    published: s("15 мая 2024 г."),
                    updated: None,
                    author: s("hr@board.example (Отдел кадров)"),
                },
            ],
        }
    );
    let doc = feed.entries[1].to_document("rss2.xml#2", None);
    assert_eq!(doc.id, "board-5502");
    assert_eq!(doc.source.as_deref(), Some("board.example"));
    assert!(
        doc.text
            .starts_with("Қазақша: Түркияда жұмыс\n\nОтельге даяшылар керек.")
    );
    assert_eq!(
        doc.published_at.as_deref(),
        Some("2024-05-15T04:00:00+00:00")
    );
}

#[test]
fn atom_feed() {
    let feed = parse_feed(&bytes("feeds/atom.xml"), None).unwrap();
    assert_eq!(
        feed,
        Feed {
            kind: FeedKind::Atom,
            title: s("Блог кастинг-агентства"),
            link: s("https://casting.example/"),
            truncated: false,
            entries: vec![
                // rel=alternate chosen over rel=edit; type="html" title;
                // type="xhtml" content preferred to the summary.
                FeedEntry {
                    id: s("tag:casting.example,2024:post-41"),
                    url: s("https://casting.example/posts/41-kasting-dubai"),
                    title: s("Кастинг моделей в Дубай"),
                    text: "Ищем девушек 17–23 лет для съёмок в Дубае.\n\nОплата за портфолио — 20 000 тг на карту. Заполнить анкету\nhttps://forms.example/casting-41".into(),
                    published: s("2024-05-15T10:00:00+05:00"),
                    updated: s("2024-05-16T09:30:00+05:00"),
                    author: s("Менеджер Алина"),
                },
                // A link without rel, relative to the feed's alternate link.
                FeedEntry {
                    id: s("tag:casting.example,2024:post-42"),
                    url: s("https://casting.example/posts/42-online"),
                    title: s("Онлайн-работа моделью"),
                    text: "Работа из дома, общение в видеочате. Доход от 3000$ в месяц.".into(),
                    published: None,
                    updated: s("2024-05-16T11:00:00+05:00"),
                    author: None,
                },
            ],
        }
    );
    let doc = feed.entries[1].to_document("x", Some("feed:casting"));
    assert_eq!(
        doc.published_at.as_deref(),
        Some("2024-05-16T11:00:00+05:00")
    );
    assert_eq!(doc.source.as_deref(), Some("feed:casting"));
}

#[test]
fn rss1_feed() {
    let feed = parse_feed(&bytes("feeds/rss1.rdf"), None).unwrap();
    assert_eq!(
        feed,
        Feed {
            kind: FeedKind::Rss1,
            title: s("Новости региона"),
            link: s("https://news.example/"),
            truncated: false,
            entries: vec![FeedEntry {
                id: s("https://news.example/2024/05/vakansii"),
                url: s("https://news.example/2024/05/vakansii"),
                title: s("Полиция предупреждает о фальшивых вакансиях за рубежом"),
                text: "Мошенники обещают работу в Корее и забирают паспорта.".into(),
                published: s("2024-05-17T08:00:00+05:00"),
                updated: None,
                author: s("Пресс-служба"),
            }],
        }
    );
}

#[test]
fn feed_base_url_windows_1251_and_html_entities() {
    let mut xml = b"<?xml version=\"1.0\" encoding=\"windows-1251\"?><rss version=\"2.0\"><channel><item><title>".to_vec();
    xml.extend_from_slice(&[0xD0, 0xE0, 0xE1, 0xEE, 0xF2, 0xE0]); // «Работа»
    xml.extend_from_slice(b"</title><link>ad/1</link><description>a&amp;nbsp;b &lt;br&gt;c</description></item></channel></rss>");
    let feed = parse_feed(&xml, Some("https://site.example/rss/")).unwrap();
    assert_eq!(feed.entries[0].title.as_deref(), Some("Работа"));
    assert_eq!(
        feed.entries[0].url.as_deref(),
        Some("https://site.example/rss/ad/1")
    );
    assert_eq!(feed.entries[0].text, "a b\nc");
}

#[test]
fn malformed_and_foreign_xml_are_errors() {
    let err = parse_feed(b"<rss><channel><item><title>x</item></channel></rss>", None).unwrap_err();
    assert!(matches!(err, SourceError::Xml { .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        "malformed XML at byte 28: ill-formed document: expected `</title>`, but `</item>` was found"
    );

    let err = parse_feed(b"<rss><channel><item><title>x</title>", None).unwrap_err();
    assert_eq!(
        err.to_string(),
        "malformed XML at byte 36: unexpected end of document: elements left open"
    );

    let err = parse_feed(b"<html><body>not a feed</body></html>", None).unwrap_err();
    assert_eq!(
        err.to_string(),
        "not an RSS or Atom feed: the root element is <html>"
    );
    let err = parse_feed(b"", None).unwrap_err();
    assert_eq!(
        err.to_string(),
        "not an RSS or Atom feed: the root element is <>"
    );
    let err = parse_sitemap(&bytes("feeds/rss2.xml")).unwrap_err();
    assert_eq!(err.to_string(), "not a sitemap: the root element is <rss>");
}

#[test]
fn custom_entities_are_not_expanded() {
    let bomb = br#"<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><rss><channel><item><title>&b;</title></item></channel></rss>"#;
    let feed = parse_feed(bomb, None).unwrap();
    assert_eq!(feed.entries[0].title.as_deref(), Some("&b;"));
}

fn expected_urlset() -> Sitemap {
    Sitemap {
        kind: SitemapKind::UrlSet,
        entries: vec![
            SitemapEntry {
                loc: "https://board.example/ad/5501-rabota-v-koree".into(),
                lastmod: s("2024-05-14T18:05:00+05:00"),
            },
            // Whitespace trimmed, &amp; decoded; the image:loc is not a page;
            // a <url> without <loc> is skipped.
            SitemapEntry {
                loc: "https://board.example/search?cat=rabota&city=almaty".into(),
                lastmod: None,
            },
            SitemapEntry {
                loc: "https://board.example/ad/5502-turkiya".into(),
                lastmod: s("2024-05-15"),
            },
        ],
    }
}

#[test]
fn sitemaps_plain_gzipped_and_index() {
    assert_eq!(
        parse_sitemap(&bytes("sitemaps/sitemap.xml")).unwrap(),
        expected_urlset()
    );
    assert_eq!(
        parse_sitemap(&bytes("sitemaps/sitemap.xml.gz")).unwrap(),
        expected_urlset()
    );
    assert_eq!(
        parse_sitemap(&bytes("sitemaps/sitemap_index.xml")).unwrap(),
        Sitemap {
            kind: SitemapKind::Index,
            entries: vec![
                SitemapEntry {
                    loc: "https://board.example/sitemaps/ads-1.xml.gz".into(),
                    lastmod: s("2024-05-15T00:00:00+00:00"),
                },
                SitemapEntry {
                    loc: "https://board.example/sitemaps/ads-2.xml.gz".into(),
                    lastmod: None,
                },
            ],
        }
    );
}

#[test]
fn gzip_bomb_sitemap_is_refused() {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    let zeros = vec![b' '; 1 << 20];
    for _ in 0..65 {
        gz.write_all(&zeros).unwrap();
    }
    let bomb = gz.finish().unwrap();
    assert!(bomb.len() < 1 << 20);
    assert_eq!(
        parse_sitemap(&bomb).unwrap_err().to_string(),
        "sitemap (gzip): larger than 67108864 bytes; raise the limit or split the input"
    );
}

#[test]
fn url_list_fixture() {
    let text = String::from_utf8(bytes("lists/urls.txt")).unwrap();
    assert_eq!(
        parse_url_list(&text),
        [
            "https://jobabroad.example/vakansii/",
            "https://board.example/rabota-za-rubezhom",
            "https://t.me/s/rabota_korea_kz",
        ]
    );
    assert_eq!(
        parse_url_list_checked(&text).rejected,
        [(7, "mailto:hr@board.example".to_string())]
    );
}

//! Both capture engines against the local test site: what each page of it
//! is there to test.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

use std::time::Duration;

use qorgau_capture::{BrowserEngine, CaptureOptions, HttpEngine, PageCapture, find_chromium};
use qorgau_testsite::{CP1251_TEXT, HUGE_PAGE_BYTES, LAZY_IMAGES, NEVER_FIRST_CHUNK, TestSite};

fn options() -> CaptureOptions {
    CaptureOptions {
        load_timeout: Duration::from_secs(4),
        settle_timeout: Duration::from_secs(3),
        ..CaptureOptions::default()
    }
}

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

fn statuses(c: &PageCapture) -> Vec<(String, Option<u16>)> {
    c.exchanges
        .iter()
        .map(|e| (e.request.url.clone(), e.response.as_ref().map(|r| r.status)))
        .collect()
}

fn page_body(c: &PageCapture) -> &[u8] {
    let doc = c
        .exchanges
        .iter()
        .rev()
        .find(|e| e.request.url == c.final_url && e.response.is_some())
        .expect("the page's own exchange");
    &doc.response.as_ref().unwrap().body
}

/// Checks every engine shares: the ad page with its requisites.
fn check_ad(site: &TestSite, c: &PageCapture) {
    assert_eq!(c.status, Some(200));
    assert_eq!(c.final_url, site.url("/ad"));
    assert_eq!(c.title.as_deref(), Some("Работа в Дубае — хостес"));
    assert!(
        c.visible_text.contains("@synthetic_dubai_job"),
        "{}",
        c.visible_text
    );
    assert!(c.visible_text.contains("тәжірибе қажет емес"));
    assert!(
        c.links
            .iter()
            .any(|l| l == "https://t.me/synthetic_dubai_job"),
        "{:?}",
        c.links
    );
    assert!(
        c.links.iter().any(|l| l == &site.url("/page/1")),
        "{:?}",
        c.links
    );
    assert_eq!(c.server_ip.as_deref(), Some("127.0.0.1"));
    assert!(c.partial.is_none(), "{:?}", c.partial);
    let urls: Vec<String> = c.exchanges.iter().map(|e| e.request.url.clone()).collect();
    for path in [
        "/ad",
        "/static/site.css",
        "/static/site.js",
        "/img/ad-photo-1.png",
        "/img/ad-photo-2.png",
    ] {
        assert!(
            urls.contains(&site.url(path)),
            "{path} not requested: {urls:?}"
        );
    }
    let media: Vec<_> = c.media().collect();
    assert_eq!(media.len(), 2, "{:?}", statuses(c));
    for (_, r) in media {
        assert!(r.body.starts_with(b"\x89PNG\r\n\x1a\n"));
    }
    assert!(String::from_utf8_lossy(page_body(c)).contains("synthetic_dubai_job"));
}

#[test]
fn plain_http_capture_keeps_page_redirects_and_requisites() {
    let site = TestSite::start();
    let rt = rt();
    let engine = HttpEngine::new(options()).unwrap();
    let c = rt.block_on(engine.capture(&site.url("/ad"))).unwrap();
    check_ad(&site, &c);
    assert!(c.screenshot_png.is_none());
    let page = &c.exchanges[0];
    let resp = page.response.as_ref().unwrap();
    assert!(!resp.decoded, "plain HTTP keeps the bytes as sent");
    assert_eq!(
        resp.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert!(
        page.request
            .headers
            .iter()
            .any(|(k, v)| k == "Accept-Encoding" && v == "identity")
    );

    // Redirects: one record per hop.
    let r = rt.block_on(engine.capture(&site.url("/r1"))).unwrap();
    assert_eq!(r.requested_url, site.url("/r1"));
    assert_eq!(r.final_url, site.url("/ad"));
    let s = statuses(&r);
    assert_eq!(s[0].0, site.url("/r1"));
    assert!(matches!(s[0].1, Some(302 | 303 | 307)), "{s:?}");
    assert_eq!(s[1], (site.url("/r2"), Some(308)));
    assert_eq!(s[2], (site.url("/ad"), Some(200)));
}

#[test]
fn plain_http_capture_of_difficult_pages() {
    let site = TestSite::start();
    let rt = rt();
    let engine = HttpEngine::new(options()).unwrap();

    // A page that never finishes: kept, marked partial, with what came.
    let never = rt.block_on(engine.capture(&site.url("/never"))).unwrap();
    let why = never.partial.as_deref().expect("marked partial");
    assert!(why.contains("never finished loading"), "{why}");
    assert!(page_body(&never).starts_with(NEVER_FIRST_CHUNK.as_bytes()));
    let resp = never.exchanges[0].response.as_ref().unwrap();
    assert_eq!(resp.truncated.as_deref(), Some("time"));

    // A 404 is evidence too (the ad was removed).
    let gone = rt.block_on(engine.capture(&site.url("/gone"))).unwrap();
    assert_eq!(gone.status, Some(404));
    assert!(
        gone.warnings.iter().any(|w| w.contains("404")),
        "{:?}",
        gone.warnings
    );

    // windows-1251 declared only in the header.
    let legacy = rt.block_on(engine.capture(&site.url("/cp1251"))).unwrap();
    assert!(
        legacy.visible_text.contains(CP1251_TEXT),
        "{}",
        legacy.visible_text
    );
    assert!(
        std::str::from_utf8(page_body(&legacy)).is_err(),
        "the WARC body stays as served"
    );

    // A huge page is read whole.
    let huge = rt.block_on(engine.capture(&site.url("/huge"))).unwrap();
    assert!(page_body(&huge).len() >= HUGE_PAGE_BYTES);
    assert!(huge.visible_text.trim_end().ends_with("Конец архива."));

    // A self-signed certificate: captured, recorded, not trusted.
    let tls = rt.block_on(engine.capture(&site.tls_url("/ad"))).unwrap();
    assert_eq!(tls.status, Some(200));
    let facts = tls.tls.as_ref().expect("certificate recorded");
    assert!(!facts.trusted);
    assert!(facts.trust_error.is_some());
    assert!(facts.subject.contains("CN=localhost"), "{}", facts.subject);
    assert!(
        facts.san.contains(&"localhost".to_owned()),
        "{:?}",
        facts.san
    );
    assert!(
        facts
            .certificate_der
            .as_ref()
            .is_some_and(|d| d.len() > 100)
    );
    assert!(tls.warnings.iter().any(|w| w.contains("not trusted")));

    // Nothing listening: an error that names the URL.
    let err = rt
        .block_on(engine.capture("http://127.0.0.1:9/nothing"))
        .unwrap_err()
        .to_string();
    assert!(err.contains("http://127.0.0.1:9/nothing"), "{err}");
    let err = rt
        .block_on(engine.capture("ftp://example.test/"))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("ftp://example.test/") && err.contains("scheme"),
        "{err}"
    );
}

#[test]
fn a_missing_browser_is_named_with_the_way_to_install_it() {
    let err = find_chromium(Some(std::path::Path::new("/nonexistent/chromium")))
        .unwrap_err()
        .to_string();
    assert!(err.contains("/nonexistent/chromium"), "{err}");
    assert!(err.contains("apt-get install chromium"), "{err}");
    assert!(err.contains("--no-browser"), "{err}");
}

#[test]
fn browser_capture_runs_scripts_scrolls_and_screenshots() {
    let site = TestSite::start();
    let rt = rt();
    let chromium = find_chromium(None)
        .expect("Chromium (scripts/install-test-tools installs Debian's chromium)");
    rt.block_on(async {
        let engine = BrowserEngine::launch(&chromium, options()).await.unwrap();
        assert!(engine.product().contains("Chrome/"), "{}", engine.product());

        let c = engine.capture(&site.url("/ad")).await.unwrap();
        check_ad(&site, &c);
        let dom = c.dom_html.as_deref().unwrap();
        assert!(
            dom.contains("data-scripted=\"yes\""),
            "the script ran: {}",
            &dom[..200.min(dom.len())]
        );
        let png = c.screenshot_png.as_deref().unwrap();
        let decoder = png::Decoder::new(std::io::Cursor::new(png));
        let info = decoder.read_info().unwrap().info().clone();
        assert_eq!(info.width, 1366);
        assert!(info.height >= 300, "{}", info.height);
        assert!(
            c.browser_version
                .as_deref()
                .is_some_and(|v| v.contains("Chrome/"))
        );

        // Lazy images load because the page is scrolled.
        let lazy = engine.capture(&site.url("/lazy")).await.unwrap();
        let urls: Vec<&str> = lazy
            .exchanges
            .iter()
            .map(|e| e.request.url.as_str())
            .collect();
        for img in LAZY_IMAGES {
            assert!(
                urls.contains(&site.url(img).as_str()),
                "{img} not loaded: {urls:?}"
            );
        }

        // Redirects: each hop kept.
        let r = engine.capture(&site.url("/r1")).await.unwrap();
        assert_eq!(r.final_url, site.url("/ad"));
        let s = statuses(&r);
        assert!(
            s.iter()
                .any(|(u, st)| u == &site.url("/r1") && matches!(st, Some(300..=399))),
            "{s:?}"
        );
        assert!(
            s.iter()
                .any(|(u, st)| u == &site.url("/r2") && *st == Some(308)),
            "{s:?}"
        );

        // The page that never finishes.
        let never = engine.capture(&site.url("/never")).await.unwrap();
        assert!(
            never
                .partial
                .as_deref()
                .is_some_and(|p| p.contains("never finished")),
            "{:?}",
            never.partial
        );
        assert!(
            never.visible_text.contains("официантка в Анталье"),
            "{}",
            never.visible_text
        );
        assert!(never.screenshot_png.is_some());

        // 404, windows-1251, self-signed TLS, huge.
        let gone = engine.capture(&site.url("/gone")).await.unwrap();
        assert_eq!(gone.status, Some(404));
        let legacy = engine.capture(&site.url("/cp1251")).await.unwrap();
        assert!(
            legacy.visible_text.contains(CP1251_TEXT),
            "{}",
            legacy.visible_text
        );
        let tls = engine.capture(&site.tls_url("/ad")).await.unwrap();
        assert_eq!(tls.status, Some(200));
        let facts = tls.tls.as_ref().expect("certificate recorded");
        assert!(!facts.trusted, "{facts:?}");
        assert!(facts.subject.contains("localhost"), "{facts:?}");
        let huge = engine.capture(&site.url("/huge")).await.unwrap();
        assert!(
            huge.screenshot_note
                .as_deref()
                .is_some_and(|n| n.contains("first 16000")),
            "{:?}",
            huge.screenshot_note
        );
        assert!(huge.visible_text.contains("Конец архива."));

        // Refused connection: an error naming the URL.
        let err = engine
            .capture("http://127.0.0.1:9/")
            .await
            .unwrap_err()
            .to_string();
        assert!(err.contains("127.0.0.1:9"), "{err}");
        engine.close().await;
    });
}

#[test]
fn a_channel_is_paged_back_to_a_date_or_a_count() {
    use qorgau_capture::{Capturer, ChannelLimits, capture_channel};
    use qorgau_testsite::{CHANNEL, CHANNEL_POSTS, PAGE_POSTS, post_text};
    let site = TestSite::start();
    let rt = rt();
    let capturer = Capturer::Http(HttpEngine::new(options()).unwrap());
    let url = site.url(&format!("/s/{CHANNEL}"));

    // Everything: 45 posts on three pages.
    let all = rt
        .block_on(capture_channel(
            &capturer,
            &url,
            &ChannelLimits::default(),
            |_, _| {},
        ))
        .unwrap();
    assert_eq!(all.channel, CHANNEL);
    assert_eq!(all.posts.len() as u64, CHANNEL_POSTS);
    assert_eq!(all.pages.len() as u64, CHANNEL_POSTS.div_ceil(PAGE_POSTS));
    assert_eq!(all.stopped, "reached the channel's first post");
    let ids: Vec<u64> = all.posts.iter().map(|p| p.id).collect();
    assert_eq!(ids, (1..=CHANNEL_POSTS).collect::<Vec<_>>());
    let p12 = &all.posts[11];
    assert_eq!(p12.text, post_text(12));
    assert_eq!(p12.date.as_deref(), Some("2026-10-04T00:00:00+00:00"));
    assert_eq!(
        p12.url.as_deref(),
        Some(&*format!("https://t.me/{CHANNEL}/12"))
    );
    assert_eq!(p12.media.len(), 1, "{p12:?}");
    assert!(p12.views.as_deref().is_some_and(|v| v.ends_with('K')));
    assert_eq!(all.posts[9].author.as_deref(), Some("Админ Айгерим"));
    assert!(
        all.pages[1].final_url.ends_with("?before=26"),
        "{}",
        all.pages[1].final_url
    );

    // A count: the newest 25 posts, two pages.
    let limits = ChannelLimits {
        max_posts: 25,
        ..ChannelLimits::default()
    };
    let some = rt
        .block_on(capture_channel(&capturer, &url, &limits, |_, _| {}))
        .unwrap();
    assert_eq!(some.posts.len(), 25);
    assert_eq!(some.posts.first().unwrap().id, CHANNEL_POSTS - 24);
    assert_eq!(some.pages.len(), 2);

    // A date: posts from 2026-10-10 on (ids 36…45 are dated from then).
    let until = chrono::DateTime::parse_from_rfc3339("2026-10-10T00:00:00Z")
        .unwrap()
        .to_utc();
    let limits = ChannelLimits {
        until: Some(until),
        ..ChannelLimits::default()
    };
    let recent = rt
        .block_on(capture_channel(&capturer, &url, &limits, |_, _| {}))
        .unwrap();
    assert_eq!(recent.posts.first().unwrap().id, 36);
    assert_eq!(recent.pages.len(), 1);
    assert!(recent.stopped.starts_with("reached posts older than"));

    // Not a channel.
    let err = rt
        .block_on(capture_channel(
            &capturer,
            &site.url("/ad"),
            &ChannelLimits::default(),
            |_, _| {},
        ))
        .unwrap_err()
        .to_string();
    assert!(err.contains("/ad"), "{err}");
}

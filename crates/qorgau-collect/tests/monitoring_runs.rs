//! Monitoring runs against a local web server (never the internet): a
//! Telegram channel preview, an RSS feed, pages and a sitemap that change
//! between runs. Checks what is kept, what is new, changed and deleted, and
//! that every run and its requests are in the case's OSINT log.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use qorgau_collect::{Assess, Assessed, HttpClient, HttpOptions, RunContext, run_job};
use qorgau_core::{Actor, CaseName, Id, Timestamp, Tool};
use qorgau_evidence::{EventKind, LedgerKey};
use qorgau_monitor::{Filters, JobSpec, SourceKind};
use qorgau_sources::Document;
use qorgau_store::testing::TestDatabase;
use qorgau_store::{DocumentFilter, JobRecord, LedgerFilter, Store};

/// The site's content, changed by the test between runs.
#[derive(Default)]
struct Site {
    posts: BTreeMap<u64, String>,
    pages: BTreeMap<u64, String>,
    feed_items: Vec<(String, String)>,
}

type Shared = Arc<Mutex<Site>>;

fn channel_page(posts: &BTreeMap<u64, String>) -> String {
    let mut html = String::from(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Vakansii – Telegram</title>\
         <link rel=\"canonical\" href=\"https://t.me/s/vakansii_test\"/></head>\
         <body class=\"widget_frame_base tgme_webpreview\"><main class=\"tgme_main\">\
         <section class=\"tgme_channel_history js-message_history\">",
    );
    for (id, text) in posts {
        html.push_str(&format!(
            "<div class=\"tgme_widget_message_wrap js-widget_message_wrap\">\
             <div class=\"tgme_widget_message text_not_supported_wrap js-widget_message\" \
             data-post=\"vakansii_test/{id}\" data-view=\"x\"><div class=\"tgme_widget_message_bubble\">\
             <div class=\"tgme_widget_message_author accent_color\"><a class=\"tgme_widget_message_owner_name\" \
             href=\"https://t.me/vakansii_test\"><span dir=\"auto\">Vakansii</span></a></div>\
             <div class=\"tgme_widget_message_text js-message_text\" dir=\"auto\">{text}</div>\
             <div class=\"tgme_widget_message_footer compact js-message_footer\"><div class=\"tgme_widget_message_info short js-message_info\">\
             <span class=\"tgme_widget_message_views\">1.2K</span><span class=\"tgme_widget_message_meta\">\
             <a class=\"tgme_widget_message_date\" href=\"https://t.me/vakansii_test/{id}\">\
             <time datetime=\"2026-11-20T10:{m:02}:00+00:00\" class=\"time\">10:{m:02}</time></a></span></div></div>\
             </div></div></div>",
            m = id % 60
        ));
    }
    html.push_str("</section></main></body></html>");
    html
}

async fn telegram(State(site): State<Shared>, Path(channel): Path<String>) -> Response {
    if channel != "vakansii_test" {
        return StatusCode::NOT_FOUND.into_response();
    }
    let html = channel_page(&site.lock().unwrap().posts);
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response()
}

async fn page(State(site): State<Shared>, Path(n): Path<u64>) -> Response {
    match site.lock().unwrap().pages.get(&n) {
        Some(text) => (
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            format!("<html><head><title>Объявление {n}</title></head><body><h1>Объявление</h1><p>{text}</p></body></html>"),
        )
            .into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

async fn feed(State(site): State<Shared>) -> Response {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel><title>Jobs</title><link>http://jobs.test/</link>",
    );
    for (guid, text) in &site.lock().unwrap().feed_items {
        xml.push_str(&format!(
            "<item><title>{text}</title><link>http://jobs.test/{guid}</link><guid>{guid}</guid>\
             <description>{text}</description><pubDate>Fri, 20 Nov 2026 10:00:00 +0500</pubDate></item>"
        ));
    }
    xml.push_str("</channel></rss>");
    ([(header::CONTENT_TYPE, "application/rss+xml")], xml).into_response()
}

async fn sitemap(State(site): State<Shared>, headers: axum::http::HeaderMap) -> Response {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">",
    );
    for n in site.lock().unwrap().pages.keys() {
        xml.push_str(&format!("<url><loc>http://{host}/page/{n}</loc></url>"));
    }
    xml.push_str("</urlset>");
    ([(header::CONTENT_TYPE, "application/xml")], xml).into_response()
}

async fn serve(site: Shared) -> String {
    let app = axum::Router::new()
        .route("/s/{channel}", get(telegram))
        .route("/page/{n}", get(page))
        .route("/feed.xml", get(feed))
        .route("/sitemap.xml", get(sitemap))
        .with_state(site);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}")
}

/// A stand-in for the detection pipeline at this layer: the binary's tests
/// run the real one. Risk is high when the text mentions Dubai.
struct KeywordRisk;

impl Assess for KeywordRisk {
    fn assess(&self, doc: &Document) -> Assessed {
        let normalized = qorgau_normalize::normalize(&doc.text).text;
        let risk = if normalized.to_lowercase().contains("дуба") {
            0.9
        } else {
            0.1
        };
        Assessed {
            lang: "ru".into(),
            risk,
            flagged: risk >= 0.5,
            json: serde_json::json!({ "id": doc.id, "risk": risk }),
            normalized,
        }
    }
}

struct Fixture {
    store: Store,
    key: LedgerKey,
    http: HttpClient,
    base: String,
    site: Shared,
    case_id: Id,
    // Dropping it drops the PostgreSQL schema: keep it as long as the store.
    _db: TestDatabase,
    _dir: tempfile::TempDir,
}

impl Fixture {
    async fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let db = TestDatabase::fresh(dir.path()).await;
        let store = Store::open(&db.location).await.unwrap();
        let key = LedgerKey::from_seed([5; 32]);
        let (case, _) = store
            .open_case(
                &CaseName::parse("MON-1").unwrap(),
                &actor(),
                &Tool::qorgau(),
                &key,
            )
            .await
            .unwrap();
        let site = Shared::default();
        let base = serve(site.clone()).await;
        let http = HttpClient::new(HttpOptions {
            pause: Duration::ZERO,
            ..HttpOptions::default()
        })
        .unwrap();
        Self {
            store,
            key,
            http,
            base,
            site,
            case_id: case.id,
            _db: db,
            _dir: dir,
        }
    }

    async fn job(
        &self,
        name: &str,
        kind: SourceKind,
        targets: Vec<String>,
        keywords: &[&str],
    ) -> JobRecord {
        let job = JobRecord {
            id: Id::new(),
            spec: JobSpec {
                name: name.into(),
                kind,
                targets,
                keywords: keywords.iter().map(|s| s.to_string()).collect(),
                filters: Filters::default(),
                interval_secs: 600,
            }
            .validated()
            .unwrap(),
            case_id: Some(self.case_id),
            created_at: Timestamp::now(),
            created_by: "analyst".into(),
            enabled: true,
            last_run_at: None,
        };
        self.store.create_job(&job).await.unwrap();
        job
    }

    async fn run(&self, job: &JobRecord) -> qorgau_collect::RunReport {
        let ctx = RunContext {
            store: &self.store,
            key: &self.key,
            actor: actor(),
            tool: Tool::qorgau(),
            http: &self.http,
            telegram_base: self.base.clone(),
            assess: &KeywordRisk,
        };
        let report = run_job(&ctx, job).await.unwrap();
        tokio::time::sleep(Duration::from_millis(2)).await;
        report
    }
}

fn actor() -> Actor {
    Actor {
        user: "analyst".into(),
        host: "ws-03".into(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn telegram_channel_runs_keep_matches_and_archive_deleted_posts() {
    let f = Fixture::new().await;
    {
        let mut site = f.site.lock().unwrap();
        site.posts
            .insert(10, "Рaбота в Дубае, официанткам 2000$".into());
        site.posts.insert(11, "Работа на складе в Алматы".into());
        site.posts.insert(12, "Продам диван, самовывоз".into());
    }
    let job = f
        .job(
            "vakansii",
            SourceKind::Telegram,
            vec!["@vakansii_test".into()],
            &["работа"],
        )
        .await;
    let first = f.run(&job).await;
    assert_eq!(first.status, "ok", "{:?}", first.errors);
    assert_eq!(
        (
            first.counts.documents,
            first.counts.kept,
            first.counts.skipped,
            first.counts.new
        ),
        (3, 2, 1, 2)
    );
    assert_eq!(first.counts.flagged, 1);
    assert_eq!(first.flagged[0].key, "vakansii_test/10");
    assert_eq!(
        first.flagged[0].url.as_deref(),
        Some("https://t.me/vakansii_test/10")
    );

    // The recruiter edits one post and deletes another; a new one appears.
    {
        let mut site = f.site.lock().unwrap();
        site.posts.insert(
            10,
            "Работа в Дубае, официанткам 3000$, билеты за наш счёт".into(),
        );
        site.posts.remove(&11);
        site.posts
            .insert(13, "Срочно! Работа в Дубае для девушек".into());
    }
    let second = f.run(&job).await;
    assert_eq!(
        (
            second.counts.new,
            second.counts.changed,
            second.counts.deleted,
            second.counts.unchanged
        ),
        (1, 1, 1, 0)
    );
    let deleted = f
        .store
        .documents(&DocumentFilter {
            job_id: Some(job.id),
            deleted_only: true,
            ..DocumentFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(deleted.len(), 1);
    assert_eq!(deleted[0].key, "vakansii_test/11");
    assert!(
        deleted[0].body.contains("складе"),
        "the deleted post keeps its text"
    );
    assert!(deleted[0].deleted_at.unwrap() > deleted[0].last_seen);

    // Both runs are in the case's OSINT log with source, keywords and requests.
    let log = f
        .store
        .ledger(&LedgerFilter {
            case_id: Some(f.case_id),
            kinds: vec![EventKind::InvestigativeStep],
            ..LedgerFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(log.len(), 2);
    let details: serde_json::Value = serde_json::from_str(&log[1].details).unwrap();
    assert_eq!(details["job"], "vakansii");
    assert_eq!(details["source_kind"], "telegram");
    assert_eq!(details["sources"], serde_json::json!(["vakansii_test"]));
    assert_eq!(details["keywords"], serde_json::json!(["работа"]));
    assert_eq!(
        details["requests"],
        serde_json::json!([format!("{}/s/vakansii_test", f.base)])
    );
    assert_eq!(details["counts"]["deleted"], 1);
    assert_eq!(log[1].actor.user, "analyst");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_feeds_and_sitemaps() {
    let f = Fixture::new().await;
    {
        let mut site = f.site.lock().unwrap();
        site.pages
            .insert(1, "Требуются девушки на работу в Дубай".into());
        site.pages.insert(2, "Работа хостес в Анталье".into());
        site.feed_items.push(("a1".into(), "Работа в Корее".into()));
        site.feed_items
            .push(("a2".into(), "Курсы английского".into()));
    }
    let urls = f
        .job(
            "pages",
            SourceKind::Urls,
            vec![format!("{}/page/1", f.base), format!("{}/page/2", f.base)],
            &[],
        )
        .await;
    let feed = f
        .job(
            "feed",
            SourceKind::Feed,
            vec![format!("{}/feed.xml", f.base)],
            &["работа"],
        )
        .await;
    let sitemap = f
        .job(
            "sitemap",
            SourceKind::Sitemap,
            vec![format!("{}/sitemap.xml", f.base)],
            &[],
        )
        .await;
    let r = f.run(&urls).await;
    assert_eq!((r.counts.new, r.counts.flagged), (2, 1));
    let r = f.run(&feed).await;
    assert_eq!(
        (r.counts.documents, r.counts.new, r.counts.skipped),
        (2, 1, 1)
    );
    let r = f.run(&sitemap).await;
    assert_eq!((r.counts.requests, r.counts.new), (3, 2));

    f.site.lock().unwrap().pages.remove(&2);
    let r = f.run(&urls).await;
    assert_eq!((r.counts.unchanged, r.counts.deleted), (1, 1));
    assert_eq!(r.status, "ok", "a 404 is a finding, not an error");
    // The sitemap no longer lists page 2; the job checks it and finds it gone.
    let r = f.run(&sitemap).await;
    assert_eq!(
        (r.counts.requests, r.counts.unchanged, r.counts.deleted),
        (3, 1, 1)
    );
    let feed_docs = f
        .store
        .documents(&DocumentFilter {
            job_id: Some(feed.id),
            ..DocumentFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(feed_docs.len(), 1);
    assert_eq!(feed_docs[0].key, "a1");
    assert_eq!(feed_docs[0].url.as_deref(), Some("http://jobs.test/a1"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unreachable_source_fails_the_run_without_touching_the_archive() {
    let f = Fixture::new().await;
    f.site
        .lock()
        .unwrap()
        .pages
        .insert(1, "Работа в Дубае".into());
    let job = f
        .job(
            "down",
            SourceKind::Urls,
            vec![format!("{}/page/1", f.base)],
            &[],
        )
        .await;
    assert_eq!(f.run(&job).await.counts.new, 1);
    // Point the job at a port nobody listens on.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let dead = format!("http://{}/page/1", listener.local_addr().unwrap());
    drop(listener);
    let mut broken = job.clone();
    broken.spec.targets = vec![dead.clone()];
    let r = f.run(&broken).await;
    assert_eq!(r.status, "failed");
    assert_eq!(r.counts.errors, 1);
    assert!(r.errors[0].contains(&dead), "{:?}", r.errors);
    let docs = f
        .store
        .documents(&DocumentFilter {
            job_id: Some(job.id),
            ..DocumentFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(docs.len(), 1);
    assert!(docs[0].deleted_at.is_none());
}

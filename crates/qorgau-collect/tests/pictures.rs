//! A monitoring run fetches the pictures of the pages it archives and hashes
//! them, so that the network view can link ads that show the same photo.
//! Against a local web server only: two ads show one photo (one of them a
//! smaller JPEG re-encoding), a third a different photo, a fourth a picture
//! that is gone and a fifth a "picture" that is an HTML page.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

use std::collections::BTreeMap;
use std::io::Cursor;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use image::{ImageFormat, Rgb, RgbImage};
use qorgau_collect::{Assess, Assessed, HttpClient, HttpOptions, RunContext, run_job};
use qorgau_core::{Actor, CaseName, Id, Timestamp, Tool};
use qorgau_evidence::{EventKind, LedgerKey};
use qorgau_monitor::{Filters, JobSpec, SourceKind};
use qorgau_sources::Document;
use qorgau_store::testing::TestDatabase;
use qorgau_store::{DocumentFilter, JobRecord, LedgerFilter, Store};

#[derive(Default)]
struct Site {
    /// Page number → HTML body.
    pages: BTreeMap<u64, String>,
    /// Picture name → (content type, bytes).
    pictures: BTreeMap<String, (&'static str, Vec<u8>)>,
    /// Requests per picture name.
    asked: BTreeMap<String, usize>,
}

type Shared = Arc<Mutex<Site>>;

async fn page(State(site): State<Shared>, Path(n): Path<u64>) -> Response {
    match site.lock().unwrap().pages.get(&n) {
        Some(body) => (
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            format!("<html><head><title>Объявление {n}</title></head><body>{body}</body></html>"),
        )
            .into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

async fn picture(State(site): State<Shared>, Path(name): Path<String>) -> Response {
    let mut site = site.lock().unwrap();
    *site.asked.entry(name.clone()).or_default() += 1;
    match site.pictures.get(&name) {
        Some((kind, bytes)) => ([(header::CONTENT_TYPE, *kind)], bytes.clone()).into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

async fn serve(site: Shared) -> String {
    let app = axum::Router::new()
        .route("/page/{n}", get(page))
        .route("/img/{name}", get(picture))
        .with_state(site);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}")
}

/// The detection pipeline at this layer, reduced to what the run must hand
/// it: the document's pictures as it sees them when it assesses.
struct Pictures;

impl Assess for Pictures {
    fn assess(&self, doc: &Document) -> Assessed {
        Assessed {
            normalized: doc.text.to_lowercase(),
            lang: "ru".into(),
            risk: 0.1,
            flagged: false,
            json: serde_json::json!({ "id": doc.id, "images": doc.images(), "flagged": false }),
        }
    }
}

/// A photo-like picture: soft shapes over a gradient, different per seed.
fn photo(seed: u32, width: u32, height: u32) -> RgbImage {
    RgbImage::from_fn(width, height, |x, y| {
        let (fx, fy) = (x as f32 / width as f32, y as f32 / height as f32);
        let wave = ((fx * (3.0 + seed as f32) + fy * 2.0).sin() * 0.5 + 0.5) * 255.0;
        let disc = if ((fx - 0.3 - 0.1 * seed as f32).powi(2) + (fy - 0.5).powi(2)) < 0.05 {
            200.0
        } else {
            40.0
        };
        Rgb([wave as u8, disc as u8, ((fx * fy) * 255.0) as u8])
    })
}

fn encode(img: &RgbImage, format: ImageFormat) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, format).unwrap();
    out.into_inner()
}

fn ad(base: &str, text: &str, picture: &str) -> String {
    format!("<h1>Работа</h1><p>{text}</p><img src=\"{base}/img/{picture}\" alt=\"\">")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_run_hashes_the_pictures_of_new_pages_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = TestDatabase::fresh(dir.path()).await;
    let store = Store::open(&db.location).await.unwrap();
    let key = LedgerKey::from_seed([7; 32]);
    let actor = Actor {
        user: "analyst".into(),
        host: "ws-03".into(),
    };
    let (case, _) = store
        .open_case(
            &CaseName::parse("MON-PIC").unwrap(),
            &actor,
            &Tool::qorgau(),
            &key,
        )
        .await
        .unwrap();
    let site = Shared::default();
    let base = serve(site.clone()).await;
    let original = photo(1, 320, 240);
    let smaller =
        image::imageops::resize(&original, 200, 150, image::imageops::FilterType::Triangle);
    {
        let mut s = site.lock().unwrap();
        s.pictures.insert(
            "a.png".into(),
            ("image/png", encode(&original, ImageFormat::Png)),
        );
        s.pictures.insert(
            "a-small.jpg".into(),
            ("image/jpeg", encode(&smaller, ImageFormat::Jpeg)),
        );
        s.pictures.insert(
            "b.png".into(),
            ("image/png", encode(&photo(4, 320, 240), ImageFormat::Png)),
        );
        s.pictures.insert(
            "page.png".into(),
            ("text/html", b"<html>not a picture</html>".to_vec()),
        );
        s.pages
            .insert(1, ad(&base, "Работа в Дубае, девушки", "a.png"));
        s.pages
            .insert(2, ad(&base, "Работа в Дубае, хостес", "a-small.jpg"));
        s.pages.insert(3, ad(&base, "Работа в Сеуле", "b.png"));
        s.pages.insert(
            4,
            ad(&base, "Работа в Анталье", "gone.png") + &ad(&base, "и ещё", "a.png"),
        );
        s.pages
            .insert(5, ad(&base, "Работа в Стамбуле", "page.png"));
    }
    let job = JobRecord {
        id: Id::new(),
        spec: JobSpec {
            name: "pictures".into(),
            kind: SourceKind::Urls,
            targets: (1..=5).map(|n| format!("{base}/page/{n}")).collect(),
            keywords: vec![],
            filters: Filters::default(),
            interval_secs: 600,
        }
        .validated()
        .unwrap(),
        case_id: Some(case.id),
        created_at: Timestamp::now(),
        created_by: "analyst".into(),
        enabled: true,
        last_run_at: None,
    };
    store.create_job(&job).await.unwrap();
    // The competent authority's list (synthetic) names b.png by its bytes and
    // a.png by its pHash: pages showing them must be flagged for a person.
    let b_bytes = site.lock().unwrap().pictures["b.png"].1.clone();
    let a_hashes =
        qorgau_media::phash::hash_bytes(&encode(&original, ImageFormat::Png), "a").unwrap();
    store
        .save_hash_list(&qorgau_store::NewHashList {
            name: "Синтетический список",
            supplier: "Синтетический орган",
            file_sha256: &"0".repeat(64),
            max_distance: 4,
            imported_by: "analyst",
            entries: &[
                ("sha256".into(), hex_sha256(&b_bytes)),
                (
                    format!("{}:phash", qorgau_media::phash::ALGORITHM),
                    a_hashes.phash_hex(),
                ),
            ],
        })
        .await
        .unwrap();
    let http = HttpClient::new(HttpOptions {
        pause: Duration::ZERO,
        ..HttpOptions::default()
    })
    .unwrap();
    let ctx = RunContext {
        store: &store,
        key: &key,
        actor: actor.clone(),
        tool: Tool::qorgau(),
        http: &http,
        telegram_base: base.clone(),
        assess: &Pictures,
    };

    let first = run_job(&ctx, &job).await.unwrap();
    assert_eq!(
        first.status, "ok",
        "a broken picture is not an error of the run: {:?}",
        first.errors
    );
    assert_eq!(first.counts.new, 5);
    // Five pages and four distinct pictures; a.png, shown twice, fetched once.
    assert_eq!(first.counts.requests, 5 + 5);
    assert_eq!(site.lock().unwrap().asked.get("a.png"), Some(&1));

    let docs = store
        .documents(&DocumentFilter {
            job_id: Some(job.id),
            ..DocumentFilter::default()
        })
        .await
        .unwrap();
    let images = |n: u64| -> Vec<serde_json::Value> {
        let doc = docs
            .iter()
            .find(|d| d.key.ends_with(&format!("/page/{n}")))
            .unwrap();
        let a: serde_json::Value =
            serde_json::from_str(doc.assessment.as_deref().unwrap()).unwrap();
        a["images"].as_array().unwrap().clone()
    };
    let hashes = |v: &serde_json::Value| -> (u64, u64) {
        (
            u64::from_str_radix(v["phash"].as_str().unwrap(), 16).unwrap(),
            u64::from_str_radix(v["dhash"].as_str().unwrap(), 16).unwrap(),
        )
    };
    let (a, a_small, b) = (images(1), images(2), images(3));
    assert_eq!(a[0]["width"], 320);
    assert_eq!(a_small[0]["width"], 200);
    assert_eq!(a[0]["algorithm"], qorgau_media_algorithm());
    let (pa, da) = hashes(&a[0]);
    let (ps, ds) = hashes(&a_small[0]);
    let (pb, _) = hashes(&b[0]);
    assert!(
        (pa ^ ps).count_ones() <= 8 || (da ^ ds).count_ones() <= 8,
        "the re-encoded copy is a near-duplicate"
    );
    assert!((pa ^ pb).count_ones() > 16, "a different photo is far");
    // The gone picture and the HTML page are noted, naming their URL; the
    // page's other picture is hashed (from the run's cache).
    let four = images(4);
    assert!(four[0]["phash"].is_null());
    let note = four[0]["note"].as_str().unwrap();
    assert!(
        note.contains("/img/gone.png") && note.contains("HTTP 404"),
        "{note}"
    );
    assert_eq!(hashes(&four[1]), (pa, da));
    let five = images(5);
    let note = five[0]["note"].as_str().unwrap();
    assert!(
        note.contains("not a picture") && note.contains("text/html"),
        "{note}"
    );

    // Listed pictures: named with their list and how they matched, their
    // pages flagged whatever the text scored; the rest untouched.
    let listed = |n: u64| images(n)[0]["listed"].as_str().map(str::to_owned);
    assert_eq!(
        listed(3).as_deref(),
        Some("on the hash list \"Синтетический список\" (sha256)")
    );
    assert_eq!(
        listed(1).as_deref(),
        Some("on the hash list \"Синтетический список\" (phash within 0 bits)")
    );
    assert_eq!(listed(5), None);
    let flagged: Vec<bool> = (1..=5u64)
        .map(|n| {
            docs.iter()
                .find(|d| d.key.ends_with(&format!("/page/{n}")))
                .unwrap()
                .flagged
        })
        .collect();
    assert!(
        flagged[0] && flagged[2] && flagged[3] && !flagged[4],
        "{flagged:?}"
    );
    assert!(first.counts.listed_pictures >= 2, "{:?}", first.counts);

    // Every picture request is in the OSINT log entry with the pages.
    let log = store
        .ledger(&LedgerFilter {
            case_id: Some(case.id),
            kinds: vec![EventKind::InvestigativeStep],
            ..LedgerFilter::default()
        })
        .await
        .unwrap();
    let details: serde_json::Value = serde_json::from_str(&log.last().unwrap().details).unwrap();
    let requested: Vec<&str> = details["requests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u.as_str().unwrap())
        .collect();
    assert!(
        requested.contains(&format!("{base}/img/a-small.jpg").as_str()),
        "{requested:?}"
    );
    assert!(requested.contains(&format!("{base}/img/gone.png").as_str()));

    // Unchanged pages keep their assessment: their pictures are not fetched
    // again. A changed page's pictures are.
    site.lock()
        .unwrap()
        .pages
        .insert(3, ad(&base, "Работа в Сеуле, срочно", "b.png"));
    let second = run_job(&ctx, &job).await.unwrap();
    assert_eq!((second.counts.unchanged, second.counts.changed), (4, 1));
    assert_eq!(second.counts.requests, 5 + 1);
    let asked = site.lock().unwrap().asked.clone();
    assert_eq!((asked["a.png"], asked["b.png"]), (1, 2));

    // max-pictures=0 turns fetching off.
    let mut off = job.clone();
    off.id = Id::new();
    off.spec.name = "no-pictures".into();
    off.spec.filters.apply("max-pictures=0").unwrap();
    store.create_job(&off).await.unwrap();
    let third = run_job(&ctx, &off).await.unwrap();
    assert_eq!(third.counts.requests, 5);
    assert!(off.spec.filters.apply("max-pictures=65").is_err());
}

fn qorgau_media_algorithm() -> &'static str {
    "qorgau-phash-dct32x8+dhash9x8-v1"
}

fn hex_sha256(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

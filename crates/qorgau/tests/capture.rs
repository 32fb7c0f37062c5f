//! `qorgau capture` end to end against the loopback test site: what lands
//! in the vault, checked with warcio (the WARC reference implementation's
//! Python library) and `qorgau verify`.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use qorgau_store::testing::TestDatabase;
use qorgau_testsite::{CHANNEL, TestSite, ad_text};
use serde_json::Value;

struct Env {
    dir: tempfile::TempDir,
    db: TestDatabase,
}

impl Env {
    async fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let db = TestDatabase::fresh(&dir.path().join("vault")).await;
        Self { dir, db }
    }

    fn vault(&self) -> PathBuf {
        self.dir.path().join("vault")
    }

    fn run(&self, args: &[&str]) -> Output {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_qorgau"));
        cmd.env("QORGAU_DATA_DIR", self.vault())
            .env("QORGAU_OPERATOR", "test-investigator")
            .env_remove("QORGAU_DATABASE_URL");
        if let Some(url) = &self.db.url {
            cmd.env("QORGAU_DATABASE_URL", url);
        }
        cmd.args(args).output().unwrap()
    }

    fn ok(&self, args: &[&str]) -> Output {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out
    }

    /// The items of a case, by relative path.
    fn items(&self, case: &str) -> Vec<Value> {
        json_lines(&self.ok(&["items", "--case", case, "--json"]))
    }

    fn blob(&self, item: &Value) -> PathBuf {
        let sha = item["sha256"].as_str().unwrap();
        self.vault()
            .join("blobs/sha256")
            .join(&sha[0..2])
            .join(&sha[2..4])
            .join(sha)
    }
}

fn json_lines(out: &Output) -> Vec<Value> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn path_of(item: &Value) -> &str {
    item["relative_path"].as_str().unwrap()
}

/// warcio's command line (`warcio check|index`), run through Python so the
/// test needs only the package.
const WARCIO: &str = "import sys; from warcio.cli import main; sys.exit(main(sys.argv[1:]))";

/// `warcio check` and `warcio index` pass; returns the index lines.
fn warcio_checks(warc: &Path) -> Vec<Value> {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("capture.warc.gz");
    std::fs::copy(warc, &file).unwrap();
    let check = Command::new("python3")
        .args(["-c", WARCIO, "check", "-v"])
        .arg(&file)
        .output()
        .expect("python3 with warcio (pip install warcio==1.7.5; scripts/install-test-tools)");
    assert!(
        check.status.success(),
        "warcio check: {}{}",
        String::from_utf8_lossy(&check.stdout),
        String::from_utf8_lossy(&check.stderr)
    );
    let index = Command::new("python3")
        .args([
            "-c",
            WARCIO,
            "index",
            "-f",
            "warc-type,warc-target-uri,http:status,length,offset",
        ])
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        index.status.success(),
        "{}",
        String::from_utf8_lossy(&index.stderr)
    );
    json_lines(&index)
}

/// Every response body in the WARC, read back by warcio, by target URI.
fn warcio_bodies(warc: &Path) -> Vec<(String, Vec<u8>)> {
    let script = r#"
import sys, json, base64
from warcio.archiveiterator import ArchiveIterator
with open(sys.argv[1], 'rb') as f:
    for r in ArchiveIterator(f):
        if r.rec_type == 'response':
            body = r.content_stream().read()
            print(json.dumps([r.rec_headers.get_header('WARC-Target-URI'), base64.b64encode(body).decode()]))
"#;
    let out = Command::new("python3")
        .args(["-c", script])
        .arg(warc)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| {
            let v: Vec<String> = serde_json::from_str(l).unwrap();
            use base64::Engine;
            (
                v[0].clone(),
                base64::engine::general_purpose::STANDARD
                    .decode(&v[1])
                    .unwrap(),
            )
        })
        .collect()
}

fn served(url: &str) -> Vec<u8> {
    let out = Command::new("python3")
        .args(["-c", "import sys, urllib.request; sys.stdout.buffer.write(urllib.request.urlopen(sys.argv[1]).read())"])
        .arg(url)
        .output()
        .unwrap();
    assert!(out.status.success());
    out.stdout
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_captured_without_a_browser_is_a_valid_warc_and_verifies() {
    let site = TestSite::start();
    let env = Env::new().await;
    let url = site.url("/ad");
    let out = env.ok(&[
        "capture",
        &url,
        "--case",
        "Op Dubai",
        "--no-browser",
        "--note",
        "found by monitoring",
        "--json",
    ]);
    let lines = json_lines(&out);
    assert_eq!(lines.len(), 1);
    let c = &lines[0];
    assert_eq!(c["url"], url.as_str());
    assert_eq!(c["final_url"], url.as_str());
    assert_eq!(c["http_status"], 200);
    assert_eq!(c["engine"], "http");
    assert_eq!(c["partial"], Value::Null);
    assert_eq!(c["version"], 1);

    let items = env.items("Op Dubai");
    let names: Vec<&str> = items.iter().map(path_of).collect();
    for want in [
        "capture.warc.gz",
        "text.txt",
        "title.txt",
        "links.txt",
        "capture.json",
        "manifest.json",
    ] {
        assert!(
            names.iter().any(|n| n.ends_with(want)),
            "{want} missing from {names:?}"
        );
    }
    assert_eq!(
        names.iter().filter(|n| n.contains("media/")).count(),
        2,
        "{names:?}"
    );
    let text = items
        .iter()
        .find(|i| path_of(i).ends_with("text.txt"))
        .unwrap();
    let text = std::fs::read_to_string(env.blob(text)).unwrap();
    assert!(text.contains("@synthetic_dubai_job"), "{text}");

    // The manifest lists every other file with the hashes the vault holds.
    let manifest = items
        .iter()
        .find(|i| path_of(i).ends_with("manifest.json"))
        .unwrap();
    assert_eq!(manifest["sha256"], c["manifest_sha256"]);
    let m: Value = serde_json::from_slice(&std::fs::read(env.blob(manifest)).unwrap()).unwrap();
    for f in m["files"].as_array().unwrap() {
        let item = items
            .iter()
            .find(|i| path_of(i).ends_with(f["path"].as_str().unwrap()))
            .unwrap_or_else(|| panic!("{f} not stored"));
        assert_eq!(item["sha256"], f["sha256"]);
        assert_eq!(item["md5"], f["md5"]);
    }

    // The WARC: warcio accepts it, and gives back exactly what was served.
    let warc = env.blob(
        items
            .iter()
            .find(|i| path_of(i).ends_with(".warc.gz"))
            .unwrap(),
    );
    let index = warcio_checks(&warc);
    let types: Vec<&str> = index
        .iter()
        .map(|r| r["warc-type"].as_str().unwrap())
        .collect();
    assert_eq!(types[0], "warcinfo");
    assert!(
        types.contains(&"request") && types.contains(&"metadata"),
        "{types:?}"
    );
    let bodies = warcio_bodies(&warc);
    let page = bodies
        .iter()
        .find(|(u, _)| u == &url)
        .expect("the page's response");
    assert_eq!(page.1, served(&url));
    for img in [
        "/img/ad-photo-1.png",
        "/img/ad-photo-2.png",
        "/static/site.css",
    ] {
        let u = site.url(img);
        let b = bodies
            .iter()
            .find(|(x, _)| x == &u)
            .unwrap_or_else(|| panic!("{img} not in WARC"));
        assert_eq!(b.1, served(&u), "{img}");
    }
    assert!(String::from_utf8_lossy(&page.1).contains(&ad_text()[..40]));

    // The capture is in the OSINT log, and the vault verifies.
    let log = json_lines(&env.ok(&["log", "show", "--case", "Op Dubai", "--json"]));
    let step = log
        .iter()
        .find(|e| e["kind"] == "investigative_step")
        .expect("the capture's OSINT-log entry");
    let details: Value = serde_json::from_str(step["details"].as_str().unwrap()).unwrap();
    assert_eq!(details["action"], "capture");
    assert_eq!(details["capture_id"], c["capture"]);
    assert_eq!(details["sources"][0], url.as_str());
    assert_eq!(details["manifest_sha256"], c["manifest_sha256"]);
    assert_eq!(details["note"], "found by monitoring");
    env.ok(&["verify"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_captured_in_chromium_has_screenshot_dom_and_resources() {
    let site = TestSite::start();
    let env = Env::new().await;
    let url = site.url("/lazy");
    let out = env.ok(&["capture", &url, "--case", "Lazy", "--json"]);
    let c = &json_lines(&out)[0];
    assert_eq!(c["engine"], "browser");
    let items = env.items("Lazy");
    let shot = items
        .iter()
        .find(|i| path_of(i).ends_with("screenshot.png"))
        .expect("screenshot");
    assert_eq!(shot["media_type"], "image/png");
    let dom = items
        .iter()
        .find(|i| path_of(i).ends_with("dom.html"))
        .expect("DOM");
    let dom = std::fs::read_to_string(env.blob(dom)).unwrap();
    assert!(
        dom.contains("lazy-observer.png"),
        "the script set the observed image"
    );
    let warc = env.blob(
        items
            .iter()
            .find(|i| path_of(i).ends_with(".warc.gz"))
            .unwrap(),
    );
    let index = warcio_checks(&warc);
    for img in qorgau_testsite::LAZY_IMAGES {
        let u = site.url(img);
        assert!(
            index
                .iter()
                .any(|r| r["warc-type"] == "response" && r["warc-target-uri"] == u.as_str()),
            "{img} not captured"
        );
    }
    let bodies = warcio_bodies(&warc);
    let png = bodies
        .iter()
        .find(|(u, _)| u == &site.url(qorgau_testsite::LAZY_IMAGES[0]))
        .unwrap();
    assert_eq!(png.1, served(&site.url(qorgau_testsite::LAZY_IMAGES[0])));
    env.ok(&["verify"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn captures_of_one_url_are_versions_and_their_differences_are_shown() {
    let site = TestSite::start();
    let env = Env::new().await;
    let url = site.url("/changing");
    let first =
        &json_lines(&env.ok(&["capture", &url, "--case", "Seoul", "--no-browser", "--json"]))[0];
    let second =
        &json_lines(&env.ok(&["capture", &url, "--case", "Seoul", "--no-browser", "--json"]))[0];
    assert_eq!(first["version"], 1);
    assert_eq!(second["version"], 2);
    let listed = json_lines(&env.ok(&["capture", "--list", &url, "--json"]));
    assert_eq!(listed.len(), 2);
    assert_eq!(listed[1]["capture"], second["capture"]);

    let out = env.ok(&["capture", "--diff", &url]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("- Зарплата 110 000 вон в день."), "{text}");
    assert!(text.contains("+ Зарплата 120 000 вон в день."), "{text}");
    assert!(
        text.contains("link added: https://t.me/synthetic_seoul_2"),
        "{text}"
    );
    assert!(
        text.contains("link removed: https://t.me/synthetic_seoul_1"),
        "{text}"
    );
    assert!(text.contains("media added: changing-2.png"), "{text}");

    let a = first["capture"].as_str().unwrap();
    let same = json_lines(&env.ok(&["capture", "--diff", a, a, "--json"]));
    assert_eq!(same[0]["same"], true);

    // A capture record altered in the database is caught by verify.
    env.ok(&["verify"]);
    let store = qorgau_store::Store::open(&env.db.location).await.unwrap();
    store.drop_guards_unchecked().await.unwrap();
    store
        .execute_unchecked(format!(
            "UPDATE captures SET final_url = 'http://elsewhere.test/' WHERE id = '{a}'"
        ))
        .await
        .unwrap();
    store.close().await;
    let out = env.run(&["verify"]);
    assert_eq!(out.status.code(), Some(1));
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        report.contains(&format!("capture {a}")) && report.contains("altered"),
        "{report}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_channel_is_captured_page_by_page_with_each_post_an_item() {
    let site = TestSite::start();
    let env = Env::new().await;
    let url = site.url(&format!("/s/{CHANNEL}"));
    let out = env.ok(&[
        "capture",
        &url,
        "--channel",
        "--max-posts",
        "25",
        "--case",
        "Channel",
        "--no-browser",
        "--json",
    ]);
    let c = &json_lines(&out)[0];
    assert_eq!(c["kind"], "channel");
    let items = env.items("Channel");
    let posts: Vec<&Value> = items
        .iter()
        .filter(|i| path_of(i).contains("posts/"))
        .collect();
    assert_eq!(posts.len(), 25);
    let newest = items
        .iter()
        .find(|i| path_of(i).ends_with("posts/45.json"))
        .unwrap();
    let post: Value = serde_json::from_slice(&std::fs::read(env.blob(newest)).unwrap()).unwrap();
    assert_eq!(post["id"], 45);
    assert_eq!(post["text"], qorgau_testsite::post_text(45));
    assert!(post["date"].as_str().unwrap().starts_with("2026-10-12"));
    let warcs = items
        .iter()
        .filter(|i| path_of(i).ends_with(".warc.gz"))
        .count();
    assert_eq!(warcs, 2, "one WARC per preview page");
    for w in items.iter().filter(|i| path_of(i).ends_with(".warc.gz")) {
        warcio_checks(&env.blob(w));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn difficult_pages_and_bad_input() {
    let site = TestSite::start();
    let env = Env::new().await;

    // Never finishes: kept, marked partial, exit 0.
    let out = env.ok(&[
        "capture",
        &site.url("/never"),
        "--case",
        "Hard",
        "--no-browser",
        "--timeout",
        "2",
        "--json",
    ]);
    let c = &json_lines(&out)[0];
    assert!(
        c["partial"]
            .as_str()
            .unwrap()
            .contains("never finished loading"),
        "{c}"
    );
    let items = env.items("Hard");
    let warc = env.blob(
        items
            .iter()
            .find(|i| path_of(i).ends_with(".warc.gz"))
            .unwrap(),
    );
    let index = warcio_checks(&warc);
    assert!(index.iter().any(|r| r["warc-type"] == "response"));
    let truncated = Command::new("python3")
        .args(["-c", "import sys\nfrom warcio.archiveiterator import ArchiveIterator\nprint([r.rec_headers.get_header('WARC-Truncated') for r in ArchiveIterator(open(sys.argv[1],'rb')) if r.rec_type=='response'])"])
        .arg(&warc)
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&truncated.stdout).contains("time"),
        "{}",
        String::from_utf8_lossy(&truncated.stdout)
    );

    // A 404 and a self-signed site are captured and say so.
    let gone = &json_lines(&env.ok(&[
        "capture",
        &site.url("/gone"),
        "--case",
        "Hard",
        "--no-browser",
        "--json",
    ]))[0];
    assert_eq!(gone["http_status"], 404);
    let tls = &json_lines(&env.ok(&[
        "capture",
        &site.tls_url("/ad"),
        "--case",
        "Hard",
        "--no-browser",
        "--json",
    ]))[0];
    assert!(tls["warnings"].to_string().contains("not trusted"), "{tls}");

    // Bad input: exit 2, nothing stored.
    let before = env.items("Hard").len();
    let bad = env.run(&[
        "capture",
        "ftp://example.test/x",
        "--case",
        "Hard",
        "--no-browser",
    ]);
    assert_eq!(
        bad.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&bad.stderr)
    );
    assert!(String::from_utf8_lossy(&bad.stderr).contains("ftp://example.test/x"));
    let bad = env.run(&["capture", &site.url("/ad")]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--case"));
    assert_eq!(env.items("Hard").len(), before);

    // No browser where one is named.
    let missing = env.run(&[
        "capture",
        &site.url("/ad"),
        "--case",
        "Hard",
        "--chromium",
        "/nonexistent/chromium",
    ]);
    assert!(!missing.status.success());
    let err = String::from_utf8_lossy(&missing.stderr);
    assert!(
        err.contains("apt-get install chromium") && err.contains("--no-browser"),
        "{err}"
    );

    // Nothing answers: the URL is named, the others still run, exit 1.
    let out = env.run(&[
        "capture",
        "http://127.0.0.1:9/",
        &site.url("/ad"),
        "--case",
        "Hard",
        "--no-browser",
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("127.0.0.1:9"));
    assert_eq!(json_lines(&out).len(), 1);
    env.ok(&["verify"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_protocol_of_a_capture_names_every_file_and_hash() {
    let site = TestSite::start();
    let env = Env::new().await;
    let url = site.url("/r1");
    let c = &json_lines(&env.ok(&["capture", &url, "--case", "Protocol", "--json"]))[0];
    let id = c["capture"].as_str().unwrap();
    let pdf = env.dir.path().join("protocol.pdf");
    let out = env.ok(&[
        "protocol",
        id,
        "--lang",
        "kk",
        "--format",
        "pdf",
        "--out",
        pdf.to_str().unwrap(),
        "--position",
        "тергеуші",
        "--agency",
        "ПД",
        "--participant",
        "specialist:Сарсенова А.",
        "--json",
    ]);
    assert_eq!(json_lines(&out)[0]["captures"], 1);
    let text = Command::new("pdftotext")
        .args(["-layout"])
        .arg(&pdf)
        .arg("-")
        .output()
        .expect("pdftotext (Debian package poppler-utils)");
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains(&url), "the URL");
    assert!(text.contains(&site.url("/ad")), "the final URL");
    assert!(
        text.contains(c["manifest_sha256"].as_str().unwrap()),
        "the manifest hash"
    );
    assert!(text.contains("Сарсенова"), "the participant");
    for item in env.items("Protocol") {
        assert!(
            text.contains(item["sha256"].as_str().unwrap()),
            "{}",
            path_of(&item)
        );
    }
    let html = env.dir.path().join("protocol.html");
    env.ok(&[
        "protocol",
        "Protocol",
        "--lang",
        "ru",
        "--format",
        "html",
        "--out",
        html.to_str().unwrap(),
    ]);
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(
        page.contains("data:image/png;base64,"),
        "the screenshot is embedded"
    );
    let bad = env.run(&["protocol", id, "--lang", "de"]);
    assert_eq!(bad.status.code(), Some(2));
    env.ok(&["verify"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_time_stamped_capture_is_checked_by_verify_and_by_openssl() {
    use qorgau_testsite::tsa::{KeyKind, TsaServer, openssl};
    let site = TestSite::start();
    let tsa = TsaServer::start(KeyKind::Rsa);
    let env = Env::new().await;
    let url = site.url("/ad");
    let c = &json_lines(&env.ok(&[
        "capture",
        &url,
        "--case",
        "Stamped",
        "--no-browser",
        "--tsa",
        &tsa.url,
        "--public-address",
        "203.0.113.7",
        "--json",
    ]))[0];
    assert_eq!(c["time_stamp_authority"], tsa.url.as_str());
    let items = env.items("Stamped");
    let blob_of = |suffix: &str| {
        env.blob(
            items
                .iter()
                .find(|i| path_of(i).ends_with(suffix))
                .unwrap_or_else(|| panic!("no {suffix} item")),
        )
    };
    let (token, manifest) = (blob_of("manifest.tsr"), blob_of("manifest.json"));

    // openssl, independently: the token is over the stored manifest and
    // signed by the TSA under the test CA.
    let out = openssl(
        tsa.tsa.dir.path(),
        &[
            "ts",
            "-verify",
            "-token_in",
            "-in",
            token.to_str().unwrap(),
            "-data",
            manifest.to_str().unwrap(),
            "-CAfile",
            "ca.pem",
            "-untrusted",
            "tsa.pem",
        ],
    );
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.status.success() && said.contains("Verification: OK"),
        "{said}"
    );

    // verify without TSA certificates: integrity holds, identity unchecked.
    let report = &json_lines(&env.ok(&["verify", "--json"]))[0];
    let stamps = report["time_stamps"].as_array().unwrap();
    assert_eq!(stamps.len(), 1);
    assert_eq!(stamps[0]["capture"], c["capture"]);
    assert_eq!(stamps[0]["trusted_by"], Value::Null);
    assert!(
        stamps[0]["signer"]
            .as_str()
            .unwrap()
            .contains("Qorgau Test TSA")
    );

    // With the CA as a trust anchor the chain is named.
    let anchors = env.vault().join("keys/tsa");
    std::fs::create_dir_all(&anchors).unwrap();
    std::fs::copy(tsa.tsa.path("ca.pem"), anchors.join("test-ca.pem")).unwrap();
    let report = &json_lines(&env.ok(&["verify", "--json"]))[0];
    assert!(
        report["time_stamps"][0]["trusted_by"]
            .as_str()
            .unwrap()
            .contains("Qorgau Test Root CA")
    );

    // A different authority as the only anchor: the token is not trusted.
    let impostor = tsa.tsa.make_other_ca("impostor");
    std::fs::copy(&impostor, anchors.join("test-ca.pem")).unwrap();
    let out = env.run(&["verify"]);
    assert_eq!(out.status.code(), Some(1));
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains(c["capture"].as_str().unwrap()) && said.contains("time-stamp"),
        "{said}"
    );

    // A file that is no certificate is named, not skipped.
    std::fs::write(anchors.join("test-ca.pem"), "not a certificate").unwrap();
    let out = env.run(&["verify"]);
    assert_ne!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stderr).contains("test-ca.pem"));
    std::fs::remove_dir_all(&anchors).unwrap();

    // The protocol names the authority and how to check the token.
    let html = env.dir.path().join("stamped.html");
    env.ok(&[
        "protocol",
        c["capture"].as_str().unwrap(),
        "--lang",
        "en",
        "--format",
        "html",
        "--out",
        html.to_str().unwrap(),
    ]);
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.contains(&tsa.url) && page.contains("openssl ts -verify"));
    assert!(page.contains("203.0.113.7"), "the source address");

    // An authority that cannot be reached: the page is still preserved,
    // said loudly, and the run fails.
    let out = env.run(&[
        "capture",
        &url,
        "--case",
        "Stamped",
        "--no-browser",
        "--tsa",
        "http://127.0.0.1:9/tsr",
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let line = &json_lines(&out)[0];
    assert_eq!(line["time_stamp_authority"], Value::Null);
    assert!(
        line["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w.as_str().unwrap().contains("NOT TIME-STAMPED")),
        "{line}"
    );
    // A TSA URL that is not http(s): nothing is captured.
    let before = env.items("Stamped").len();
    let out = env.run(&[
        "capture",
        &url,
        "--case",
        "Stamped",
        "--no-browser",
        "--tsa",
        "ftp://tsa.example/",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--tsa"));
    assert_eq!(env.items("Stamped").len(), before);
    env.ok(&["verify"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_case_s_captures_export_as_a_wacz_that_validates() {
    let site = TestSite::start();
    let env = Env::new().await;
    let (ad, redirected, channel) = (
        site.url("/ad"),
        site.url("/r1"),
        site.url(&format!("/s/{CHANNEL}")),
    );
    env.ok(&[
        "capture",
        &ad,
        &redirected,
        "--case",
        "Replay",
        "--no-browser",
    ]);
    env.ok(&[
        "capture",
        &channel,
        "--channel",
        "--case",
        "Replay",
        "--no-browser",
        "--max-posts",
        "30",
    ]);
    let captures = json_lines(&env.ok(&["capture", "--list", "--case", "Replay", "--json"]));
    assert_eq!(captures.len(), 3);
    let warc_items: Vec<Value> = env
        .items("Replay")
        .into_iter()
        .filter(|i| path_of(i).ends_with(".warc.gz"))
        .collect();
    assert!(
        warc_items.len() > 3,
        "the channel has a WARC per page: {:?}",
        warc_items.iter().map(path_of).collect::<Vec<_>>()
    );

    let file = env.dir.path().join("replay.wacz");
    let summary = &json_lines(&env.ok(&[
        "export",
        "Replay",
        "--wacz",
        file.to_str().unwrap(),
        "--json",
    ]))[0];
    assert_eq!(summary["captures"], 3);
    assert_eq!(summary["warcs"], warc_items.len());
    assert_eq!(summary["pages"], 3);

    // py-wacz, the format's reference tool, accepts it.
    let out = Command::new("python3")
        .args([
            "-c",
            "import sys; from wacz.main import main; sys.exit(main(sys.argv[1:]))",
            "validate",
            "-f",
        ])
        .arg(&file)
        .output()
        .expect("python3 with wacz (pip install wacz==0.6.0; scripts/install-test-tools)");
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && said.contains("Validation succeeded"),
        "wacz validate:\n{said}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // Each WARC is the vault's copy, byte for byte; the pages are the final
    // URLs; the package's hash is the one the ledger records.
    let script = r#"
import sys, json, zipfile, hashlib
z = zipfile.ZipFile(sys.argv[1])
warcs = sorted(hashlib.sha256(z.read(n)).hexdigest() for n in z.namelist() if n.startswith('archive/'))
pages = [json.loads(l) for l in z.read('pages/pages.jsonl').decode().splitlines()][1:]
print(json.dumps({'warcs': warcs, 'pages': sorted(p['url'] for p in pages),
                  'sha256': hashlib.sha256(open(sys.argv[1], 'rb').read()).hexdigest()}))
"#;
    let out = Command::new("python3")
        .args(["-c", script])
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let got: Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut want: Vec<&str> = warc_items
        .iter()
        .map(|i| i["sha256"].as_str().unwrap())
        .collect();
    want.sort();
    assert_eq!(got["warcs"], serde_json::json!(want));
    let mut finals: Vec<&str> = captures
        .iter()
        .map(|c| c["final_url"].as_str().unwrap())
        .collect();
    finals.sort();
    assert_eq!(got["pages"], serde_json::json!(finals));
    assert!(finals.contains(&ad.as_str()), "/r1 ends on /ad: {finals:?}");
    assert_eq!(got["sha256"], summary["sha256"]);
    let ledger = json_lines(&env.ok(&["ledger", "export", "--case", "Replay"]));
    let exported = ledger.last().unwrap();
    assert_eq!(exported["kind"], "exported");
    let details: Value = match &exported["details"] {
        Value::String(s) => serde_json::from_str(s).unwrap(),
        v => v.clone(),
    };
    assert_eq!(details["sha256"], summary["sha256"]);
    assert_eq!(details["format"], "WACZ 1.1.1");

    // Bad input: an existing file is never overwritten; a case without
    // captures and an unknown case are refused; nothing is recorded.
    let before = std::fs::read(&file).unwrap();
    let out = env.run(&["export", "Replay", "--wacz", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("exists already"));
    assert_eq!(std::fs::read(&file).unwrap(), before);
    let note = env.dir.path().join("note.txt");
    std::fs::write(&note, "a note").unwrap();
    env.ok(&["add", note.to_str().unwrap(), "--case", "Paper"]);
    let empty = env.dir.path().join("empty.wacz");
    let out = env.run(&["export", "Paper", "--wacz", empty.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no web captures"));
    assert!(!empty.exists());
    let out = env.run(&["export", "Nobody", "--wacz", empty.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        json_lines(&env.ok(&["ledger", "export", "--case", "Replay"])).len(),
        ledger.len()
    );
    env.ok(&["verify"]);
}

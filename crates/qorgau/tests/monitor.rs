//! `qorgau monitor` end to end with the real detection pipeline, against a
//! local web server standing in for Telegram's channel preview: a job is
//! added, run twice while the channel changes, its archive and its OSINT-log
//! entries are read back. SQLite by default, PostgreSQL when
//! `QORGAU_TEST_DATABASE_URL` is set.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};

use qorgau_store::testing::TestDatabase;
use serde_json::Value;

/// Serves the current channel page for any GET, one connection at a time.
fn serve(page: Arc<Mutex<String>>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            // Read the request head.
            while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                line.clear();
            }
            let body = page.lock().unwrap().clone();
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    format!("http://{addr}")
}

fn channel(posts: &[(u64, &str)]) -> String {
    let mut html = String::from(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Demo – Telegram</title></head>\
         <body class=\"widget_frame_base tgme_webpreview\"><section class=\"tgme_channel_history js-message_history\">",
    );
    for (id, text) in posts {
        html.push_str(&format!(
            "<div class=\"tgme_widget_message_wrap\"><div class=\"tgme_widget_message js-widget_message\" \
             data-post=\"jumys_demo/{id}\"><div class=\"tgme_widget_message_bubble\">\
             <div class=\"tgme_widget_message_text js-message_text\" dir=\"auto\">{text}</div>\
             <div class=\"tgme_widget_message_footer\"><span class=\"tgme_widget_message_meta\">\
             <a class=\"tgme_widget_message_date\" href=\"https://t.me/jumys_demo/{id}\">\
             <time datetime=\"2026-11-2{id}T08:00:00+00:00\" class=\"time\">08:00</time></a></span></div></div></div></div>"
        ));
    }
    html.push_str("</section></body></html>");
    html
}

struct Env {
    dir: tempfile::TempDir,
    db: TestDatabase,
    base: String,
}

impl Env {
    fn run(&self, args: &[&str]) -> Output {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_qorgau"));
        cmd.env("QORGAU_DATA_DIR", self.dir.path().join("vault"))
            .env("QORGAU_OPERATOR", "test-analyst")
            .env("QORGAU_TELEGRAM_WEB", &self.base)
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
}

fn json_lines(out: &Output) -> Vec<Value> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn monitor_a_channel_with_the_real_pipeline() {
    let dir = tempfile::tempdir().unwrap();
    let db = TestDatabase::fresh(&dir.path().join("vault")).await;
    let page = Arc::new(Mutex::new(channel(&[
        (
            1,
            "Работа в Дубае для девушек 18-25, официантки, билеты и виза за наш счёт, жильё бесплатно. Пиши в тг @jumys_demo_hr",
        ),
        (
            2,
            "Работа в Астане: бухгалтер в торговую компанию, официальное оформление.",
        ),
        (3, "Поздравляем всех с праздником!"),
    ])));
    let env = Env {
        base: serve(page.clone()),
        dir,
        db,
    };
    let added = env.run(&[
        "monitor",
        "add",
        "jumys",
        "--kind",
        "telegram",
        "--source",
        "@jumys_demo",
        "--keyword",
        "работа",
        "--interval",
        "1h",
        "--json",
    ]);
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );
    let job = &json_lines(&added)[0];
    assert_eq!(job["sources"], serde_json::json!(["jumys_demo"]));
    // The same name twice is refused as bad input.
    let again = env.run(&[
        "monitor",
        "add",
        "jumys",
        "--kind",
        "telegram",
        "--source",
        "@x_demo_chan",
    ]);
    assert_eq!(again.status.code(), Some(2));
    let bad = env.run(&[
        "monitor", "add", "bad", "--kind", "telegram", "--source", "@a b",
    ]);
    assert_eq!(bad.status.code(), Some(2));

    let listed = json_lines(&env.ok(&["monitor", "list", "--json"]));
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["due"], true);

    let first = json_lines(&env.ok(&["monitor", "run", "--pause-ms", "0", "--json"]));
    assert_eq!(first.len(), 1);
    let counts = &first[0]["counts"];
    assert_eq!(
        (
            counts["documents"].as_u64(),
            counts["kept"].as_u64(),
            counts["new"].as_u64()
        ),
        (Some(3), Some(2), Some(2))
    );
    assert_eq!(counts["flagged"], 1, "{}", first[0]);
    assert_eq!(first[0]["flagged"][0]["key"], "jumys_demo/1");
    // Not due again within the hour.
    let idle = env.ok(&["monitor", "run"]);
    assert!(String::from_utf8_lossy(&idle.stderr).contains("no job is due"));

    // Post 1 disappears; a new one appears.
    *page.lock().unwrap() = channel(&[
        (
            2,
            "Работа в Астане: бухгалтер в торговую компанию, официальное оформление.",
        ),
        (3, "Поздравляем всех с праздником!"),
        (
            4,
            "Работа в Корее на заводе, мужчины и женщины, визу делаем",
        ),
    ]);
    env.ok(&["monitor", "run", "jumys", "--pause-ms", "0"]);
    let deleted =
        json_lines(&env.ok(&["monitor", "docs", "--job", "jumys", "--deleted", "--json"]));
    assert_eq!(deleted.len(), 1);
    let gone = &deleted[0];
    assert_eq!(gone["key"], "jumys_demo/1");
    assert!(gone["text"].as_str().unwrap().contains("Дубае"));
    assert_eq!(gone["assessment"]["scenario"], "employment_abroad");
    assert!(
        gone["assessment"]["identifiers"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["value"] == "jumys_demo_hr")
    );
    assert!(gone["last_seen"].as_str().unwrap() < gone["deleted_at"].as_str().unwrap());
    let all = json_lines(&env.ok(&["monitor", "docs", "--json"]));
    assert_eq!(all.len(), 3);

    // Both runs are in the installation's OSINT log with source and keywords.
    let log = json_lines(&env.ok(&["log", "show", "--json"]));
    let runs: Vec<Value> = log
        .iter()
        .filter(|e| e["kind"] == "investigative_step")
        .map(|e| serde_json::from_str::<Value>(e["details"].as_str().unwrap()).unwrap())
        .filter(|d| d["action"] == "monitoring run")
        .collect();
    assert_eq!(runs.len(), 2, "{log:?}");
    assert_eq!(runs[0]["keywords"], serde_json::json!(["работа"]));
    assert_eq!(runs[0]["sources"], serde_json::json!(["jumys_demo"]));
    env.ok(&["verify"]);
}

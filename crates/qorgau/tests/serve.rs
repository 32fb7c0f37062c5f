//! `qorgau admin create` and `qorgau serve` as an operator runs them.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

mod serving;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};

use qorgau_store::testing::TestDatabase;

fn qorgau(dir: &std::path::Path, db: &TestDatabase) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_qorgau"));
    cmd.env("QORGAU_DATA_DIR", dir)
        .env("QORGAU_OPERATOR", "test-operator")
        .env_remove("QORGAU_DATABASE_URL")
        .env_remove("QORGAU_PASSWORD");
    if let Some(url) = &db.url {
        cmd.env("QORGAU_DATABASE_URL", url);
    }
    cmd
}

fn create(
    dir: &std::path::Path,
    db: &TestDatabase,
    user: &str,
    roles: &[&str],
    password: &str,
) -> std::process::Output {
    let mut cmd = qorgau(dir, db);
    cmd.args([
        "admin",
        "create",
        "--username",
        user,
        "--display-name",
        "Synthetic Admin",
        "--agency",
        "mvd-cyber",
        "--password-stdin",
        "--json",
    ]);
    for role in roles {
        cmd.args(["--role", role]);
    }
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(format!("{password}\n").as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

/// Starts `qorgau serve` on a free loopback port; returns it and its address.
/// The caller kills and waits for it; a panic here ends the test process.
#[allow(clippy::zombie_processes)]
fn serve(dir: &std::path::Path, db: &TestDatabase) -> (std::process::Child, String) {
    let mut server = qorgau(dir, db)
        .args(["serve", "--bind", "127.0.0.1:0", "--insecure-cookies"])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let addr = serving::address(&mut server);
    (server, addr)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_first_administrator_and_the_server() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("vault");
    let db = TestDatabase::fresh(&dir).await;

    let out = create(
        &dir,
        &db,
        "first.admin",
        &["administrator"],
        "Synthetic pass 2026",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let user: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(user["roles"], serde_json::json!(["administrator"]));
    // Bad input: a taken name, an unknown role, a weak password — exit 2, nothing stored.
    for (name, role, password, says) in [
        (
            "first.admin",
            "administrator",
            "Synthetic pass 2026",
            "exists",
        ),
        ("second", "root", "Synthetic pass 2026", "root"),
        ("third", "analyst", "short", "12"),
    ] {
        let out = create(&dir, &db, name, &[role], password);
        assert_eq!(out.status.code(), Some(2), "{name}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains(says),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    let doc = qorgau(&dir, &db)
        .args(["serve", "--openapi"])
        .output()
        .unwrap();
    assert!(doc.status.success());
    let doc: serde_json::Value = serde_json::from_slice(&doc.stdout).unwrap();
    assert!(doc["paths"]["/api/signals"].is_object());

    // Refuses cookies without Secure on a non-loopback address.
    let out = qorgau(&dir, &db)
        .args(["serve", "--bind", "0.0.0.0:0", "--insecure-cookies"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));

    let (mut server, addr) = serve(&dir, &db);
    let mut stream = TcpStream::connect(&addr).unwrap();
    write!(
        stream,
        "GET /api/health HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(response.contains("\"status\":\"ok\""));
    server.kill().unwrap();
    server.wait().unwrap();
}

/// Signs in over HTTP, issues a token and runs schemathesis (PyPI) with it:
/// generated requests against every operation of the OpenAPI document must
/// get no server error and no response that breaks the document.
const SCHEMATHESIS: &str = r#"
import json, subprocess, sys, urllib.request
base, password = sys.argv[1], sys.argv[2]
def call(path, body, headers):
    req = urllib.request.Request(base + path, data=json.dumps(body).encode(),
                                 headers={"content-type": "application/json", **headers})
    with urllib.request.urlopen(req) as r:
        return json.load(r), r.headers.get("set-cookie", "")
login, cookie = call("/api/auth/login", {"username": "fuzz.admin", "password": password}, {})
token, _ = call("/api/users/%s/tokens" % login["user"]["id"], {"label": "schemathesis"},
                {"cookie": cookie.split(";")[0], "x-csrf-token": login["csrf_token"]})
sys.exit(subprocess.call([sys.executable, "-m", "schemathesis.cli", "run", base + "/api/openapi.json",
    "-H", "Authorization: Bearer " + token["token"],
    "--checks", "not_a_server_error,response_schema_conformance,status_code_conformance,content_type_conformance",
    "--max-examples", "25", "--seed", "20261206"]))
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn schemathesis_finds_no_server_error_and_no_schema_violation() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("vault");
    let db = TestDatabase::fresh(&dir).await;
    let out = create(
        &dir,
        &db,
        "fuzz.admin",
        &["administrator", "analyst", "investigator"],
        "Synthetic pass 2026",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (mut server, addr) = serve(&dir, &db);
    // schemathesis keeps a cache in its working directory: a scratch one.
    let out = Command::new("python3")
        .args(["-c", SCHEMATHESIS, &format!("http://{addr}"), "Synthetic pass 2026"])
        .current_dir(tmp.path())
        .output()
        .expect("python3 with schemathesis (pip install schemathesis==4.32.5; scripts/install-test-tools)");
    server.kill().unwrap();
    server.wait().unwrap();
    assert!(
        out.status.success(),
        "schemathesis:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

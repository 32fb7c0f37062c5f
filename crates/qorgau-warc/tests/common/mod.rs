//! Helpers shared by the integration tests: running the independent Python
//! tools (warcio, cdxj-indexer, surt, py-wacz) that judge our output, and
//! the synthetic capture the tests write.
#![allow(dead_code)]
// Test support: panicking on a broken fixture is the right failure.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::{Command, Output};

use chrono::{DateTime, TimeZone, Utc};
use qorgau_warc::*;

/// The pinned PyPI packages the tests need, as scripts/install-test-tools
/// installs them.
pub const PIP_PINS: &str = "warcio==1.7.5 cdxj-indexer==1.5.0 surt==0.3.1 wacz==0.6.0";

/// Fails with the pip package to install when a Python module is missing.
pub fn require_module(module: &str, pip: &str) {
    let ok = Command::new("python3")
        .args(["-c", &format!("import {module}")])
        .status()
        .is_ok_and(|s| s.success());
    assert!(
        ok,
        "this test needs the Python module `{module}`: install it with `python3 -m pip install {pip}` \
         (all test tools: scripts/install-test-tools; pins: {PIP_PINS})"
    );
}

/// Runs `python3 -c SCRIPT ARGS…` and returns its output (not checked).
pub fn python(script: &str, args: &[&str]) -> Output {
    Command::new("python3")
        .arg("-c")
        .arg(script)
        .args(args)
        .output()
        .expect("python3 runs")
}

/// Runs a Python script and insists that it succeeds; returns stdout.
pub fn python_ok(script: &str, args: &[&str]) -> String {
    let out = python(script, args);
    assert!(
        out.status.success(),
        "python failed ({}):\nstdout:\n{}\nstderr:\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8 output")
}

/// `warcio ARGS…` through its Python entry point (no PATH assumptions).
pub fn warcio(args: &[&str]) -> Output {
    require_module("warcio", "warcio==1.7.5");
    python(
        "import sys; from warcio.cli import main; sys.exit(main(sys.argv[1:]))",
        args,
    )
}

/// `cdxj-indexer FILE` output lines, sorted as the tool sorts them.
pub fn cdxj_indexer(file: &Path) -> Vec<String> {
    require_module("cdxj_indexer", "cdxj-indexer==1.5.0");
    let out = python_ok(
        "import sys; from cdxj_indexer.main import main; main(sys.argv[1:])",
        &["--sort", file.to_str().expect("utf-8 path")],
    );
    out.lines().map(str::to_owned).collect()
}

/// A fixed capture time, so that files are comparable.
pub fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 3, 14, 9, 26, 53).unwrap() + chrono::Duration::microseconds(589_793)
}

/// Cyrillic text in windows-1251 (А..я map to 0xC0..0xFF).
pub fn cp1251(s: &str) -> Vec<u8> {
    s.chars()
        .map(|c| match c as u32 {
            0x410..=0x44F => u8::try_from(c as u32 - 0x410 + 0xC0).unwrap(),
            0x401 => 0xA8,
            0x451 => 0xB8,
            x if x < 0x80 => x as u8,
            _ => b'?',
        })
        .collect()
}

/// Binary bytes that include CR, LF, NUL and the record separator itself.
pub fn binary_png_like(n: usize) -> Vec<u8> {
    let mut v = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    let mut x: u32 = 0x1234_5678;
    while v.len() < n {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        v.push((x >> 24) as u8);
        if v.len().is_multiple_of(97) {
            v.extend_from_slice(b"\r\n\r\nWARC/1.1\r\n");
        }
    }
    v
}

fn gzip(data: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

/// What a record was written with, to compare readers' output against.
#[derive(Debug, Clone)]
pub struct Expected {
    pub written: WrittenRecord,
    pub record_type: RecordType,
    pub target_uri: Option<String>,
    pub block: Vec<u8>,
    /// The body a reader should produce after HTTP decoding (the block
    /// itself for non-HTTP records).
    pub content: Vec<u8>,
}

/// Writes the synthetic capture of one page with every record type and
/// returns the file bytes and what each record holds.
pub fn write_capture(compression: Compression, filename: &str) -> (Vec<u8>, Vec<Expected>) {
    let mut w = WarcWriter::new(Vec::new(), compression);
    let mut expected = Vec::new();
    let put =
        |expected: &mut Vec<Expected>, w: &mut WarcWriter<Vec<u8>>, r: Record, content: Vec<u8>| {
            let written = w.write(&r).unwrap();
            expected.push(Expected {
                written,
                record_type: r.record_type,
                target_uri: r.target_uri.clone(),
                block: r.block.clone(),
                content,
            });
        };
    let page = "https://www.example.kz/объявления/page?b=2&a=1";
    let page = page.replace(
        "объявления",
        "%D0%BE%D0%B1%D1%8A%D1%8F%D0%B2%D0%BB%D0%B5%D0%BD%D0%B8%D1%8F",
    );

    let mut info = WarcInfo::new("qorgau/0.1.0");
    info.hostname = Some("capture-host".into());
    info.operator = Some("Investigator A (synthetic)".into());
    info.filename = Some(filename.into());
    info.extra.push((
        "http-header-user-agent".into(),
        "Mozilla/5.0 (synthetic)".into(),
    ));
    let warcinfo = Record::warcinfo(&info).unwrap().with_date(t0());
    let info_id = warcinfo.id.clone();
    let info_block = warcinfo.block.clone();
    put(&mut expected, &mut w, warcinfo, info_block);

    // The page: windows-1251 HTML stored as transmitted.
    let html = cp1251(
        "<html><head><meta charset=windows-1251><title>Работа за границей</title></head><body>Высокая зарплата, жильё</body></html>",
    );
    let req = Record::request(
        page.clone(),
        HttpBlock::request(
            "GET",
            &page,
            [
                ("User-Agent", "Mozilla/5.0 (synthetic)"),
                ("Accept", "text/html"),
            ],
            b"",
            BodyForm::AsTransmitted,
        )
        .unwrap(),
    )
    .with_date(t0())
    .warcinfo_id(&info_id);
    let req_id = req.id.clone();
    put(&mut expected, &mut w, req, Vec::new());
    let resp = Record::response(
        page.clone(),
        HttpBlock::response(
            200,
            Some("OK"),
            [
                ("Content-Type", "text/html; charset=windows-1251"),
                ("Content-Length", &html.len().to_string()),
            ],
            &html,
            BodyForm::AsTransmitted,
        )
        .unwrap(),
    )
    .with_date(t0())
    .concurrent_to(&req_id)
    .warcinfo_id(&info_id)
    .ip_address("127.0.0.1".parse().unwrap());
    let resp_id = resp.id.clone();
    put(&mut expected, &mut w, resp, html.clone());

    // A stylesheet a browser handed over decoded (was gzip + chunked).
    let css = b"body { color: #333 }\n".repeat(40);
    let r = Record::response(
        "https://www.example.kz/static/site.css",
        HttpBlock::response(
            200,
            None,
            [
                ("Content-Type", "text/css"),
                ("Content-Encoding", "gzip"),
                ("Transfer-Encoding", "chunked"),
            ],
            &css,
            BodyForm::Decoded,
        )
        .unwrap(),
    )
    .with_date(t0());
    put(&mut expected, &mut w, r, css.clone());

    // A script stored as transmitted, still gzip-compressed on the wire.
    let js = b"console.log('lazy images');\n".repeat(30);
    let gz = gzip(&js);
    let r = Record::response(
        "https://www.example.kz/static/app.js",
        HttpBlock::response(
            200,
            None,
            [
                ("Content-Type", "application/javascript"),
                ("Content-Encoding", "gzip"),
                ("Content-Length", &gz.len().to_string()),
            ],
            &gz,
            BodyForm::AsTransmitted,
        )
        .unwrap(),
    )
    .with_date(t0());
    put(&mut expected, &mut w, r, js.clone());

    // A binary image.
    let img = binary_png_like(5000);
    let r = Record::response(
        "https://cdn.example.kz/img/photo.png?size=large",
        HttpBlock::response(
            200,
            None,
            [("Content-Type", "image/png")],
            &img,
            BodyForm::Decoded,
        )
        .unwrap(),
    )
    .with_date(t0());
    put(&mut expected, &mut w, r, img.clone());

    // A redirect and a 404.
    let r = Record::response(
        "http://example.kz/",
        HttpBlock::response(
            301,
            None,
            [("Location", "https://www.example.kz/")],
            b"",
            BodyForm::Decoded,
        )
        .unwrap(),
    )
    .with_date(t0());
    put(&mut expected, &mut w, r, Vec::new());
    let r = Record::response(
        "https://www.example.kz/missing",
        HttpBlock::response(
            404,
            None,
            [("Content-Type", "text/plain")],
            b"not found",
            BodyForm::Decoded,
        )
        .unwrap(),
    )
    .with_date(t0());
    put(&mut expected, &mut w, r, b"not found".to_vec());

    // A page that never finished loading: body cut at a limit.
    let partial = b"<html><body>"
        .iter()
        .copied()
        .chain(std::iter::repeat_n(b'x', 3000))
        .collect::<Vec<u8>>();
    let r = Record::response(
        "https://slow.example.kz/endless",
        HttpBlock::response(
            200,
            None,
            [("Content-Type", "text/html")],
            &partial,
            BodyForm::Decoded,
        )
        .unwrap(),
    )
    .with_date(t0())
    .truncated(Truncated::Length);
    put(&mut expected, &mut w, r, partial.clone());

    // Metadata: warc-fields and JSON.
    let mut f = WarcFields::new();
    f.push("finalURL", page.clone())
        .push("serverIP", "127.0.0.1")
        .push("tlsSubject", "CN=www.example.kz")
        .push("tlsIssuer", "CN=Synthetic Test CA")
        .push("tlsNotBefore", "2025-01-01T00:00:00Z")
        .push("tlsNotAfter", "2026-01-01T00:00:00Z")
        .push("browser", "Chromium/130.0 (synthetic)")
        .push("viewport", "1366x768");
    let r = Record::metadata_fields(page.clone(), &f)
        .unwrap()
        .with_date(t0())
        .refers_to(&resp_id)
        .concurrent_to(&resp_id);
    let b = r.block.clone();
    put(&mut expected, &mut w, r, b);
    let json = br#"{"captureStarted":"2025-03-14T09:26:50Z","captureEnded":"2025-03-14T09:26:58Z","partial":false}"#.to_vec();
    let r = Record::metadata(
        format!("urn:qorgau:capture:{page}"),
        "application/json",
        json.clone(),
    )
    .with_date(t0())
    .refers_to(&resp_id);
    put(&mut expected, &mut w, r, json);

    // Resources: the screenshot and the rendered DOM (UTF-8).
    let shot = binary_png_like(20_000);
    let r = Record::resource(
        format!("urn:qorgau:screenshot:{page}"),
        "image/png",
        shot.clone(),
    )
    .with_date(t0());
    put(&mut expected, &mut w, r, shot);
    let dom = "<html><body>Высокая зарплата — қазақша: әғқңөұүһі</body></html>"
        .as_bytes()
        .to_vec();
    let r = Record::resource(
        format!("urn:qorgau:dom:{page}"),
        "text/html; charset=utf-8",
        dom.clone(),
    )
    .with_date(t0());
    put(&mut expected, &mut w, r, dom);

    // A revisit of the page, identical payload.
    let first = expected
        .iter()
        .find(|e| e.written.id == resp_id)
        .unwrap()
        .written
        .clone();
    let r = Record::revisit(
        page.clone(),
        HttpBlock::response(
            200,
            None,
            [("Content-Type", "text/html; charset=windows-1251")],
            b"",
            BodyForm::AsTransmitted,
        )
        .unwrap(),
        &resp_id,
        page.clone(),
        t0(),
        first.payload_digest.clone().unwrap(),
    )
    .with_date(t0() + chrono::Duration::hours(1));
    put(&mut expected, &mut w, r, Vec::new());

    (w.into_inner(), expected)
}

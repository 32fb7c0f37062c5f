//! WARC writing and reading, judged by warcio: `warcio check` verifies our
//! digests, `warcio index` finds our records where we say they are, warcio
//! reads back every body byte for byte; and our reader reads what warcio
//! writes.

#![allow(clippy::unwrap_used)] // test helpers below panic on broken fixtures

mod common;

use std::collections::HashMap;
use std::io::Cursor;

use common::*;
use qorgau_warc::*;

fn write_file(dir: &std::path::Path, name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

#[test]
fn warcio_check_verifies_every_digest_we_write() {
    let dir = tempfile::tempdir().unwrap();
    for (compression, name) in [
        (Compression::GzipPerRecord, "cap.warc.gz"),
        (Compression::None, "cap.warc"),
    ] {
        let (bytes, expected) = write_capture(compression, name);
        let path = write_file(dir.path(), name, &bytes);
        let out = warcio(&["check", "-v", path.to_str().unwrap()]);
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "warcio check failed on {name}:\n{text}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        // Every record but the revisit has its digests checked and passed.
        let passes = text.matches("digest pass").count();
        assert_eq!(passes, expected.len() - 1, "{text}");
        assert_eq!(
            text.matches("digest present but not checked (revisit)")
                .count(),
            1,
            "{text}"
        );
        assert!(!text.contains("fail"), "{text}");

        // A flipped byte in a body is caught by warcio too (the check can fail).
        if compression == Compression::None {
            let mut bad = bytes.clone();
            let html_at = expected[2].written.offset as usize + 400;
            let i = html_at + bad[html_at..].iter().position(|&b| b == b'<').unwrap();
            bad[i] = b'{';
            let bad_path = write_file(dir.path(), "bad.warc", &bad);
            let out = warcio(&["check", bad_path.to_str().unwrap()]);
            assert!(
                !out.status.success(),
                "warcio check must fail on an altered body"
            );
            assert!(String::from_utf8_lossy(&out.stdout).contains("digest failed"));
        }
    }
}

#[test]
fn warcio_index_finds_records_at_our_offsets() {
    let dir = tempfile::tempdir().unwrap();
    for (compression, name) in [
        (Compression::GzipPerRecord, "cap.warc.gz"),
        (Compression::None, "cap.warc"),
    ] {
        let (bytes, expected) = write_capture(compression, name);
        let path = write_file(dir.path(), name, &bytes);
        let out = warcio(&[
            "index",
            "-f",
            "warc-type,warc-target-uri,offset,length,warc-record-id",
            path.to_str().unwrap(),
        ]);
        assert!(
            out.status.success(),
            "warcio index failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), expected.len());
        for (line, e) in lines.iter().zip(&expected) {
            assert_eq!(line["warc-type"], e.record_type.as_str());
            assert_eq!(line["warc-record-id"], e.written.id.as_str());
            assert_eq!(
                line["offset"],
                e.written.offset.to_string(),
                "{name} {line}"
            );
            assert_eq!(
                line["length"],
                e.written.length.to_string(),
                "{name} {line}"
            );
            if let Some(u) = &e.target_uri {
                assert_eq!(line["warc-target-uri"], u.as_str());
            }
        }
    }
}

#[test]
fn warcio_reads_back_every_body_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let (bytes, expected) = write_capture(Compression::GzipPerRecord, "cap.warc.gz");
    let path = write_file(dir.path(), "cap.warc.gz", &bytes);
    // content_stream() is what replay serves: HTTP head removed, any
    // content coding still on the stored body decoded.
    let script = r#"
import sys, json
from warcio.archiveiterator import ArchiveIterator
out = []
with open(sys.argv[1], 'rb') as f:
    it = ArchiveIterator(f)
    for r in it:
        body = r.content_stream().read()
        out.append({'type': r.rec_type, 'id': r.rec_headers.get_header('WARC-Record-ID'),
                    'status': r.http_headers.get_statuscode() if r.http_headers and r.rec_type != 'request' else None,
                    'truncated': r.rec_headers.get_header('WARC-Truncated'),
                    'date': r.rec_headers.get_header('WARC-Date'),
                    'body': body.hex()})
print(json.dumps(out))
"#;
    let got: Vec<serde_json::Value> =
        serde_json::from_str(&python_ok(script, &[path.to_str().unwrap()])).unwrap();
    assert_eq!(got.len(), expected.len());
    for (g, e) in got.iter().zip(&expected) {
        assert_eq!(g["type"], e.record_type.as_str());
        assert_eq!(g["id"], e.written.id.as_str());
        let body = hex_decode(g["body"].as_str().unwrap());
        assert!(
            body == e.content,
            "body of {} {:?} differs: warcio read {} bytes, we wrote {}",
            e.record_type,
            e.target_uri,
            body.len(),
            e.content.len()
        );
    }
    let statuses: Vec<_> = got.iter().filter_map(|g| g["status"].as_str()).collect();
    assert_eq!(
        statuses,
        ["200", "200", "200", "200", "301", "404", "200", "200"]
    );
    assert_eq!(got.iter().filter(|g| g["truncated"] == "length").count(), 1);
    assert_eq!(got[1]["date"], "2025-03-14T09:26:53.589793Z");
}

fn hex_decode(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

#[test]
fn our_reader_reads_our_files_and_verifies_digests() {
    for compression in [Compression::GzipPerRecord, Compression::None] {
        let (bytes, expected) = write_capture(compression, "cap.warc.gz");
        let records: Vec<OwnedRecord> = WarcReader::new(Cursor::new(&bytes))
            .unwrap()
            .into_records(1 << 20)
            .collect::<Result<_>>()
            .unwrap();
        assert_eq!(records.len(), expected.len());
        for (r, e) in records.iter().zip(&expected) {
            assert_eq!(r.headers.record_type(), Some(e.record_type));
            assert_eq!(r.headers.record_id(), Some(e.written.id.as_str()));
            assert_eq!(r.headers.target_uri(), e.target_uri.as_deref());
            assert_eq!(r.block, e.block);
            assert_eq!(r.end.offset, e.written.offset);
            assert_eq!(r.end.length, Some(e.written.length));
            assert_eq!(r.end.block_digest, DigestCheck::Verified, "{:?}", r.headers);
            let want_payload = match e.record_type {
                RecordType::Warcinfo | RecordType::Metadata => DigestCheck::Absent,
                RecordType::Revisit => DigestCheck::NotApplicable,
                _ => DigestCheck::Verified,
            };
            assert_eq!(r.end.payload_digest, want_payload, "{:?}", r.headers);
            assert_eq!(
                r.headers.date(),
                Some(if e.record_type == RecordType::Revisit {
                    t0() + chrono::Duration::hours(1)
                } else {
                    t0()
                })
            );
            if e.record_type == RecordType::Response {
                let http = HttpResponse::parse(&r.block).unwrap();
                assert_eq!(
                    http.decoded_body(1 << 20).unwrap(),
                    e.content,
                    "{:?}",
                    e.target_uri
                );
            }
            if e.record_type == RecordType::Request {
                let http = HttpRequest::parse(&r.block).unwrap();
                assert_eq!(http.method, "GET");
                assert!(http.target.starts_with("/%D0%BE"), "{}", http.target);
                assert_eq!(http.headers.get("host"), Some("www.example.kz"));
            }
        }
        let truncated: Vec<_> = records
            .iter()
            .filter_map(|r| r.headers.truncated())
            .collect();
        assert_eq!(truncated, ["length"]);
    }
}

#[test]
fn our_reader_catches_an_altered_payload() {
    let (mut bytes, expected) = write_capture(Compression::None, "cap.warc");
    let img = expected
        .iter()
        .find(|e| {
            e.target_uri
                .as_deref()
                .is_some_and(|u| u.ends_with("size=large"))
        })
        .unwrap();
    let at = img.written.offset as usize + img.written.length as usize - 10;
    bytes[at] ^= 0xff;
    let records: Vec<OwnedRecord> = WarcReader::new(Cursor::new(&bytes))
        .unwrap()
        .into_records(1 << 20)
        .collect::<Result<_>>()
        .unwrap();
    let bad: Vec<_> = records.iter().filter(|r| !r.end.digests_ok()).collect();
    assert_eq!(bad.len(), 1);
    assert!(matches!(
        bad[0].end.block_digest,
        DigestCheck::Mismatch { .. }
    ));
    assert!(matches!(
        bad[0].end.payload_digest,
        DigestCheck::Mismatch { .. }
    ));
    assert_eq!(bad[0].end.offset, img.written.offset);
}

#[test]
fn sha1_digests_also_pass_warcio_check() {
    let dir = tempfile::tempdir().unwrap();
    let mut w = WarcWriter::new(Vec::new(), Compression::GzipPerRecord)
        .with_digest_algorithm(DigestAlgorithm::Sha1);
    let b = HttpBlock::response(
        200,
        None,
        [("Content-Type", "text/plain")],
        b"hello",
        BodyForm::Decoded,
    )
    .unwrap();
    let written = w.write(&Record::response("http://example.kz/", b)).unwrap();
    assert!(
        written
            .payload_digest
            .unwrap()
            .to_string()
            .starts_with("sha1:")
    );
    let path = write_file(dir.path(), "sha1.warc.gz", &w.into_inner());
    let out = warcio(&["check", "-v", path.to_str().unwrap()]);
    assert!(out.status.success() && String::from_utf8_lossy(&out.stdout).contains("digest pass"));
}

/// warcio writes a WARC (its own writer, sha1 digests, chunked body kept as
/// transmitted); our reader reads and verifies it and finds the same bodies.
#[test]
fn our_reader_reads_what_warcio_writes() {
    require_module("warcio", "warcio==1.7.5");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("warcio.warc.gz");
    let script = r#"
import sys, json, io
from warcio.warcwriter import WARCWriter
from warcio.statusandheaders import StatusAndHeaders
bodies = {}
with open(sys.argv[1], 'wb') as f:
    w = WARCWriter(f, gzip=True)
    info = w.create_warcinfo_record('warcio.warc.gz', {'software': 'warcio', 'format': 'WARC File Format 1.1'})
    w.write_record(info)
    html = 'Привет, мир'.encode('cp1251')
    chunked = b'%x\r\n' % len(html) + html + b'\r\n0\r\n\r\n'
    h = StatusAndHeaders('200 OK', [('Content-Type', 'text/html; charset=windows-1251'), ('Transfer-Encoding', 'chunked')], protocol='HTTP/1.1')
    r = w.create_warc_record('http://example.kz/chunked', 'response', payload=io.BytesIO(chunked), http_headers=h)
    w.write_record(r)
    bodies['http://example.kz/chunked'] = html.hex()
    req = StatusAndHeaders('GET /chunked HTTP/1.1', [('Host', 'example.kz')], is_http_request=True)
    w.write_record(w.create_warc_record('http://example.kz/chunked', 'request', payload=io.BytesIO(b''), http_headers=req))
    png = bytes(range(256)) * 10
    w.write_record(w.create_warc_record('urn:test:resource', 'resource', payload=io.BytesIO(png), warc_content_type='image/png'))
    bodies['urn:test:resource'] = png.hex()
    meta = b'{"a": 1}'
    w.write_record(w.create_warc_record('urn:test:meta', 'metadata', payload=io.BytesIO(meta), warc_content_type='application/json'))
    bodies['urn:test:meta'] = meta.hex()
print(json.dumps(bodies))
"#;
    let bodies: HashMap<String, String> =
        serde_json::from_str(&python_ok(script, &[path.to_str().unwrap()])).unwrap();
    let records: Vec<OwnedRecord> = WarcReader::open(&path)
        .unwrap()
        .into_records(1 << 20)
        .collect::<Result<_>>()
        .unwrap();
    let types: Vec<_> = records
        .iter()
        .map(|r| r.headers.record_type().unwrap())
        .collect();
    assert_eq!(
        types,
        [
            RecordType::Warcinfo,
            RecordType::Response,
            RecordType::Request,
            RecordType::Resource,
            RecordType::Metadata
        ]
    );
    // warcio's own index agrees with our offsets and lengths.
    let out = warcio(&["index", "-f", "offset,length", path.to_str().unwrap()]);
    let theirs: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    for (r, t) in records.iter().zip(&theirs) {
        assert_eq!(t["offset"], r.end.offset.to_string());
        assert_eq!(t["length"], r.end.length.unwrap().to_string());
        assert!(r.end.digests_ok(), "{:?}", r.end);
        assert_ne!(
            r.end.block_digest,
            DigestCheck::Absent,
            "warcio writes block digests"
        );
    }
    let resp = &records[1];
    assert_eq!(resp.end.payload_digest, DigestCheck::Verified);
    assert!(
        resp.headers
            .get("WARC-Payload-Digest")
            .unwrap()
            .starts_with("sha1:")
    );
    let http = HttpResponse::parse(&resp.block).unwrap();
    assert_eq!(http.status, 200);
    assert_eq!(
        hex(&http.decoded_body(1 << 20).unwrap()),
        bodies["http://example.kz/chunked"],
        "de-chunked body"
    );
    assert_eq!(hex(&records[3].block), bodies["urn:test:resource"]);
    assert_eq!(hex(&records[4].block), bodies["urn:test:meta"]);
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

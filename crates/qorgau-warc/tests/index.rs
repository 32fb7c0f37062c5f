//! CDXJ lines and SURT keys, compared with the tools replay uses:
//! `cdxj-indexer` (which py-wacz runs) and the `surt` package.

mod common;

use std::io::Cursor;

use common::*;
use qorgau_warc::*;

#[test]
fn cdxj_lines_match_cdxj_indexer_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    for (compression, name) in [
        (Compression::GzipPerRecord, "cap.warc.gz"),
        (Compression::None, "cap.warc"),
    ] {
        let (bytes, _) = write_capture(compression, name);
        let path = dir.path().join(name);
        std::fs::write(&path, &bytes).unwrap();
        let theirs = cdxj_indexer(&path);
        let entries = index_warc(Cursor::new(&bytes), name).unwrap();
        let mut ours = Vec::new();
        write_cdxj(&entries, &mut ours).unwrap();
        let ours: Vec<String> = String::from_utf8(ours)
            .unwrap()
            .lines()
            .map(str::to_owned)
            .collect();
        assert_eq!(ours, theirs, "{name}");
        // Response, revisit, resources and JSON metadata are indexed; the
        // warc-fields metadata and requests are not.
        assert_eq!(ours.len(), 11, "{ours:#?}");
        assert!(ours.iter().any(|l| l.contains(r#""mime": "warc/revisit""#)));
    }
}

#[test]
fn cdxj_of_a_warcio_written_file_matches_cdxj_indexer() {
    require_module("warcio", "warcio==1.7.5");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("w.warc.gz");
    // Records without payload digests make both indexers compute one.
    let script = r#"
import sys, io
from warcio.warcwriter import WARCWriter
from warcio.statusandheaders import StatusAndHeaders
with open(sys.argv[1], 'wb') as f:
    w = WARCWriter(f, gzip=True)
    h = StatusAndHeaders('200 OK', [('Content-Type', 'text/html; charset=utf-8')], protocol='HTTP/1.1')
    w.write_record(w.create_warc_record('https://www.Example.KZ:443/a/./b/../c/?z=1&A=2#frag', 'response', payload=io.BytesIO('<p>Ә</p>'.encode()), http_headers=h))
    r = w.create_warc_record('urn:x:meta', 'metadata', payload=io.BytesIO(b'{"k": "v"}'), warc_content_type='application/json')
    del r.rec_headers['WARC-Payload-Digest']
    w.write_record(r)
    h = StatusAndHeaders('302 Found', [('Location', '/x')], protocol='HTTP/1.1')
    r = w.create_warc_record('http://пример.қаз/путь?q=мир', 'response', payload=io.BytesIO(b''), http_headers=h)
    del r.rec_headers['WARC-Payload-Digest']
    w.write_record(r)
"#;
    python_ok(script, &[path.to_str().unwrap()]);
    let theirs = cdxj_indexer(&path);
    let mut ours = Vec::new();
    write_cdxj(
        &index_warc(
            std::io::BufReader::new(std::fs::File::open(&path).unwrap()),
            "w.warc.gz",
        )
        .unwrap(),
        &mut ours,
    )
    .unwrap();
    let ours: Vec<String> = String::from_utf8(ours)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect();
    assert_eq!(ours, theirs);
    assert_eq!(ours.len(), 3);
}

#[test]
fn surt_keys_match_the_python_surt_package() {
    require_module("surt", "surt==0.3.1");
    let urls = [
        "http://www.example.kz/",
        "https://WWW.Example.KZ/Path/To/Page.HTML?b=2&a=1&A=0",
        "https://www2.example.kz:443/",
        "http://example.kz:80/x",
        "http://example.kz:8080/x/",
        "example.kz/no-scheme",
        "http://http://example.kz/doubled",
        "https://user:pass@example.kz/secret",
        "http://example.kz/a/./b/../../c/",
        "http://example.kz/%7Euser/%41%42?q=%7e%20x#frag",
        "http://example.kz/?",
        "http://example.kz/path?",
        "http://example.kz/p?jsessionid=0123456789abcdef0123456789abcdef&x=1",
        "http://example.kz/p?a=1&PHPSESSID=0123456789ABCDEF0123456789ABCDEF",
        "http://example.kz/p?cfid=12&cftoken=34&z=9",
        "http://example.kz/(S(abcdefghijklmnopqrstuvwx))/default.aspx?x=1",
        "http://127.0.0.1:8080/page",
        "http://3279880203/blah",
        "http://0177.0.0.1/",
        "http://1.010.1.1/",
        "http://1.2/",
        "http://999.1.1.1/",
        "http://[::1]:8080/v6",
        "http://пример.қаз/путь?q=мир",
        "https://сайт.kz/Объявления",
        "http://ex%41mple.kz/",
        "http://example..kz./",
        "http://example.kz:/empty-port",
        "https://t.me/s/channel?before=123",
        "urn:qorgau:screenshot:https://www.example.kz/page",
        "dns:www.example.kz",
        "mailto:Someone@Example.kz",
        "http://example.kz/a b",
        "http://example.kz/p?b&a=&a",
        "ftp://ftp.example.kz/pub/File.txt",
        "filedesc://x.arc",
        "http://example.kz:0099/port",
    ];
    let script = r#"
import sys, json, surt
out = []
for u in json.loads(sys.stdin.read()):
    try: out.append(surt.surt(u))
    except Exception: out.append(u)
print(json.dumps(out))
"#;
    let mut child = std::process::Command::new("python3")
        .args(["-c", script])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(serde_json::to_string(&urls[..]).unwrap().as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let theirs: Vec<String> = serde_json::from_slice(&out.stdout).unwrap();
    let mismatches: Vec<_> = urls
        .iter()
        .zip(&theirs)
        .filter(|(u, t)| surt(u) != **t)
        .map(|(u, t)| format!("{u}\n  python: {t}\n  ours:   {}", surt(u)))
        .collect();
    assert!(
        mismatches.is_empty(),
        "SURT differs:\n{}",
        mismatches.join("\n")
    );
}

//! WACZ packages, validated by py-wacz (`wacz validate`) and inspected with
//! Python's zipfile: WARCs stored uncompressed and byte-identical, every
//! hash in datapackage.json right, the index what cdxj-indexer makes.

mod common;

use std::io::Cursor;

use common::*;
use qorgau_warc::*;

#[test]
fn wacz_passes_wacz_validate_and_holds_exact_copies() {
    require_module("wacz", "wacz==0.6.0");
    let dir = tempfile::tempdir().unwrap();
    let (a, _) = write_capture(Compression::GzipPerRecord, "capture-1.warc.gz");
    let (b, _) = write_capture(Compression::GzipPerRecord, "capture-2.warc.gz");
    let a_path = dir.path().join("capture-1.warc.gz");
    std::fs::write(&a_path, &a).unwrap();

    let wacz_path = dir.path().join("case.wacz");
    let file = std::fs::File::create(&wacz_path).unwrap();
    let mut w = WaczWriter::new(file, t0());
    // One WARC streamed from a file, one from memory.
    assert_eq!(
        w.add_warc("capture-1.warc.gz", std::fs::File::open(&a_path).unwrap())
            .unwrap(),
        a.len() as u64
    );
    w.add_warc("capture-2.warc.gz", Cursor::new(&b)).unwrap();
    assert!(
        w.add_warc("capture-2.warc.gz", Cursor::new(&b)).is_err(),
        "duplicate names are refused"
    );
    assert!(w.add_warc("../evil.warc.gz", Cursor::new(&b)).is_err());
    let page = "https://www.example.kz/%D0%BE%D0%B1%D1%8A%D1%8F%D0%B2%D0%BB%D0%B5%D0%BD%D0%B8%D1%8F/page?b=2&a=1";
    w.add_page(Page {
        id: "capture-1".into(),
        url: page.into(),
        ts: t0(),
        title: Some("Работа за границей".into()),
    });
    let info = PackageInfo {
        title: "Case 2025-001 (synthetic)".into(),
        description: Some("Web captures".into()),
        software: "qorgau 0.1.0".into(),
        created: t0(),
        main_page: Some((page.into(), t0())),
    };
    let (_, resources) = w.finish(&info).unwrap();
    let paths: Vec<_> = resources.iter().map(|r| r.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "archive/capture-1.warc.gz",
            "archive/capture-2.warc.gz",
            "indexes/index.cdx",
            "pages/pages.jsonl"
        ]
    );

    let out = python(
        "import sys; from wacz.main import main; sys.exit(main(sys.argv[1:]))",
        &["validate", "-f", wacz_path.to_str().unwrap()],
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && text.contains("Validation succeeded"),
        "wacz validate:\n{text}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // Independent checks py-wacz does not make.
    let script = r#"
import sys, json, zipfile, hashlib
z = zipfile.ZipFile(sys.argv[1])
names = z.namelist()
dp = json.loads(z.read('datapackage.json'))
dd = json.loads(z.read('datapackage-digest.json'))
assert dd['path'] == 'datapackage.json'
assert dd['hash'] == 'sha256:' + hashlib.sha256(z.read('datapackage.json')).hexdigest()
for res in dp['resources']:
    data = z.read(res['path'])
    assert res['hash'] == 'sha256:' + hashlib.sha256(data).hexdigest(), res
    assert res['bytes'] == len(data), res
for n in names:
    if n.startswith('archive/'):
        assert z.getinfo(n).compress_type == zipfile.ZIP_STORED, n
assert z.read('archive/capture-1.warc.gz') == open(sys.argv[2], 'rb').read()
pages = [json.loads(l) for l in z.read('pages/pages.jsonl').decode().splitlines()]
assert pages[0]['format'] == 'json-pages-1.0'
assert pages[1]['title'] == 'Работа за границей'
print(json.dumps({'wacz_version': dp['wacz_version'], 'profile': dp['profile'], 'names': names,
                  'main': dp.get('mainPageURL'), 'cdx': z.read('indexes/index.cdx').decode()}))
"#;
    let got: serde_json::Value = serde_json::from_str(&python_ok(
        script,
        &[wacz_path.to_str().unwrap(), a_path.to_str().unwrap()],
    ))
    .unwrap();
    assert_eq!(got["wacz_version"], "1.1.1");
    assert_eq!(got["profile"], "data-package");
    assert_eq!(got["main"], page);

    // The package's index is cdxj-indexer's over both WARCs.
    let b_path = dir.path().join("capture-2.warc.gz");
    std::fs::write(&b_path, &b).unwrap();
    let mut theirs = cdxj_indexer(&a_path);
    theirs.extend(cdxj_indexer(&b_path));
    theirs.sort();
    let ours: Vec<&str> = got["cdx"].as_str().unwrap().lines().collect();
    assert_eq!(ours, theirs);
}

#[test]
fn wacz_validate_rejects_a_tampered_package() {
    require_module("wacz", "wacz==0.6.0");
    let dir = tempfile::tempdir().unwrap();
    let (a, _) = write_capture(Compression::GzipPerRecord, "c.warc.gz");
    let path = dir.path().join("t.wacz");
    let mut w = WaczWriter::new(std::fs::File::create(&path).unwrap(), t0());
    w.add_warc("c.warc.gz", Cursor::new(&a)).unwrap();
    w.finish(&PackageInfo {
        title: "t".into(),
        description: None,
        software: "qorgau".into(),
        created: t0(),
        main_page: None,
    })
    .unwrap();
    // Alter one byte (of the WARC, or of the page list) and rebuild the ZIP
    // around it, so that the ZIP itself is sound and only the package's own
    // checks can tell. The WARC's byte is the first of its last gzip
    // member's CRC-32 (8 bytes from the end): the deflate data stays
    // decodable whatever the random record ids made of it, so the validator
    // always meets the same failure, the checksum.
    for (entry, expect) in [
        ("archive/c.warc.gz", "CRC check failed"),
        ("pages/pages.jsonl", "does not match the expected hash"),
    ] {
        let tampered = dir.path().join("tampered.wacz");
        python_ok(
            r#"
import sys, zipfile
zin = zipfile.ZipFile(sys.argv[1])
with zipfile.ZipFile(sys.argv[2], 'w') as zout:
    for item in zin.infolist():
        data = zin.read(item.filename)
        if item.filename == sys.argv[3]:
            data = data.replace(b'All Pages', b'All Pagez') if data.startswith(b'{') else data[:-8] + bytes([data[-8] ^ 1]) + data[-7:]
            assert data != zin.read(item.filename)
        zout.writestr(item, data)
"#,
            &[path.to_str().unwrap(), tampered.to_str().unwrap(), entry],
        );
        let out = python(
            "import sys; from wacz.main import main; sys.exit(main(sys.argv[1:]))",
            &["validate", "-f", tampered.to_str().unwrap()],
        );
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            !out.status.success() && !text.contains("Validation succeeded"),
            "a tampered {entry} must not validate:\n{text}"
        );
        assert!(text.contains(expect), "{entry}: {text}");
    }
}

#[test]
fn a_malformed_warc_is_refused_with_its_offset() {
    let (a, e) = write_capture(Compression::GzipPerRecord, "c.warc.gz");
    let cut = &a[..(e[3].written.offset + e[3].written.length / 2) as usize];
    let mut w = WaczWriter::new(Cursor::new(Vec::new()), t0());
    let err = w
        .add_warc("c.warc.gz", Cursor::new(cut))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("archive/c.warc.gz")
            && err.contains(&format!("offset {}", e[3].written.offset)),
        "{err}"
    );
}

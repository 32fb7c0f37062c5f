//! `qorgau scan`, `train` and `eval` as an analyst runs them, on synthetic
//! fixtures in every input format: the output contract of issue 3 (one JSON
//! object per document, in input order, with scores, indicators and
//! identifiers whose spans slice the original text), clusters, networks,
//! graph exports, and bad input.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel)
}

fn sources_fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../qorgau-sources/tests/fixtures")
        .join(rel)
}

fn qorgau(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_qorgau"))
        .args(args)
        .env("QORGAU_OPERATOR", "test-analyst")
        .output()
        .unwrap()
}

fn records(out: &Output) -> Vec<Value> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn by_id<'a>(records: &'a [Value], id: &str) -> &'a Value {
    records.iter().find(|r| r["id"] == id).unwrap()
}

fn has_identifier(r: &Value, kind: &str, value: &str) -> bool {
    r["identifiers"]
        .as_array()
        .unwrap()
        .iter()
        .any(|i| i["kind"] == kind && i["value"] == value)
}

#[test]
fn scan_follows_the_contract() {
    let input = fixture("scan/ads.jsonl");
    let out = qorgau(&["scan", input.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let recs = records(&out);
    let texts: Vec<Value> = std::fs::read_to_string(&input)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    // One record per document, in input order.
    let ids: Vec<&Value> = recs.iter().map(|r| &r["id"]).collect();
    let want: Vec<&Value> = texts.iter().map(|t| &t["id"]).collect();
    assert_eq!(ids, want);
    for (r, t) in recs.iter().zip(&texts) {
        for field in [
            "lang",
            "flagged",
            "risk",
            "scenario",
            "scores",
            "indicators",
            "identifiers",
            "cluster",
            "network",
            "lexicon_version",
        ] {
            assert!(r.get(field).is_some(), "{} lacks {field}: {r}", r["id"]);
        }
        for s in [
            "employment_abroad",
            "modeling_webcam",
            "romance_grooming",
            "escort_services",
            "sextortion",
            "minor_involved",
        ] {
            let v = r["scores"][s].as_f64().unwrap();
            assert!((0.0..=1.0).contains(&v), "{s} = {v}");
        }
        // Every span slices the original text at the text it reports.
        let text = t["text"].as_str().unwrap();
        for hit in r["indicators"].as_array().unwrap() {
            let (a, b) = (
                hit["span"][0].as_u64().unwrap() as usize,
                hit["span"][1].as_u64().unwrap() as usize,
            );
            assert_eq!(&text[a..b], hit["text"].as_str().unwrap());
        }
        for id in r["identifiers"].as_array().unwrap() {
            let (a, b) = (
                id["span"][0].as_u64().unwrap() as usize,
                id["span"][1].as_u64().unwrap() as usize,
            );
            assert!(
                a < b && b <= text.len() && text.is_char_boundary(a) && text.is_char_boundary(b)
            );
        }
    }

    // The obfuscated Dubai ad: flagged as employment abroad, phone read
    // through the spelled-out digits, span on the words as written.
    let dubai = by_id(&recs, "t-001");
    assert_eq!(dubai["flagged"], true);
    assert_eq!(dubai["scenario"], "employment_abroad");
    assert_eq!(dubai["lang"], "ru");
    assert!(has_identifier(dubai, "phone", "+77015550102"), "{dubai}");
    let phone = dubai["identifiers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["kind"] == "phone")
        .unwrap();
    let text = texts[0]["text"].as_str().unwrap();
    let span = &text
        [phone["span"][0].as_u64().unwrap() as usize..phone["span"][1].as_u64().unwrap() as usize];
    assert!(span.starts_with("восемь"), "{span}");

    // Near-duplicates share a cluster; the same phone ties them into one network.
    assert_eq!(
        by_id(&recs, "t-001")["cluster"],
        by_id(&recs, "t-002")["cluster"]
    );
    assert_ne!(
        by_id(&recs, "t-001")["cluster"],
        by_id(&recs, "t-004")["cluster"]
    );
    let net = &by_id(&recs, "t-001")["network"];
    assert_eq!(&by_id(&recs, "t-002")["network"], net);
    assert_eq!(&by_id(&recs, "t-003")["network"], net);
    assert_ne!(&by_id(&recs, "t-009")["network"], net);

    let escort = by_id(&recs, "t-004");
    assert_eq!(escort["scenario"], "escort_services");
    assert!(
        has_identifier(escort, "card", "4400430123456789"),
        "{escort}"
    );
    assert!(
        has_identifier(escort, "domain", "kyzdar-demo4.net"),
        "{escort}"
    );

    let extortion = by_id(&recs, "t-006");
    assert_eq!(extortion["scenario"], "sextortion");
    let wallet = extortion["identifiers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["kind"] == "crypto")
        .unwrap();
    assert_eq!(wallet["chain"], "tron");
    assert_eq!(wallet["value"], "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t");

    let grooming = by_id(&recs, "t-007");
    assert_eq!(grooming["scenario"], "romance_grooming");
    assert!(
        has_identifier(grooming, "telegram", "dreamer_demo_77"),
        "{grooming}"
    );

    let kazakh = by_id(&recs, "t-008");
    assert_eq!(kazakh["lang"], "kk");
    assert_eq!(kazakh["flagged"], true);
    assert!(has_identifier(kazakh, "phone", "+77775553344"));

    let webcam = by_id(&recs, "t-010");
    assert_eq!(webcam["scenario"], "modeling_webcam");
    assert_eq!(webcam["lang"], "en");
    assert!(
        has_identifier(webcam, "email", "hr.studio.demo@gmail.com"),
        "{webcam}"
    );

    // A warning that quotes the lures, and an ordinary ad, stay unflagged.
    for id in ["t-005", "t-009"] {
        let r = by_id(&recs, id);
        assert_eq!(r["flagged"], false, "{r}");
        assert_eq!(r["scenario"], "none");
    }
    assert!(has_identifier(
        by_id(&recs, "t-009"),
        "phone",
        "+77055551234"
    ));
}

#[test]
fn every_input_format_scans() {
    let cases: Vec<(PathBuf, Vec<&str>)> = vec![
        (sources_fixture("telegram/single_chat/result.json"), vec![]),
        (sources_fixture("telegram_web/channel.html"), vec![]),
        (sources_fixture("html/jobs.html"), vec![]),
        (sources_fixture("text/ad.txt"), vec![]),
        (sources_fixture("jsonl/ads.jsonl"), vec![]),
        (
            sources_fixture("csv/ads.csv"),
            vec!["--format", "csv", "--text-column", "Текст объявления"],
        ),
    ];
    for (path, extra) in cases {
        let mut args = vec!["scan", path.to_str().unwrap()];
        args.extend(extra);
        let out = qorgau(&args);
        let recs = records(&out);
        assert!(
            !recs.is_empty(),
            "{}: no records; {}",
            path.display(),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(recs.iter().all(|r| r["lexicon_version"].is_string()));
        assert!(
            recs.iter()
                .any(|r| !r["identifiers"].as_array().unwrap().is_empty()),
            "{}: no identifiers found",
            path.display()
        );
    }
}

#[test]
fn bad_lines_are_named_and_the_rest_is_scanned() {
    let input = fixture("scan/broken.jsonl");
    let out = qorgau(&["scan", input.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("broken.jsonl:2"), "{stderr}");
    assert!(stderr.contains("broken.jsonl:3"), "{stderr}");
    let ids: Vec<String> = records(&out)
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(ids, ["b-1", "b-4"]);

    let missing = qorgau(&["scan", "/nonexistent/input.jsonl"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("/nonexistent/input.jsonl"));
    let bad_format = qorgau(&["scan", "--format", "pdf", input.to_str().unwrap()]);
    assert_eq!(bad_format.status.code(), Some(2));
}

#[test]
fn graphs_are_written_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let d = |n: &str| dir.path().join(n).to_str().unwrap().to_owned();
    let out_file = d("out.jsonl");
    let out = qorgau(&[
        "scan",
        fixture("scan/ads.jsonl").to_str().unwrap(),
        "--out",
        &out_file,
        "--graph",
        &d("net.graphml"),
        "--graph",
        &d("net.gexf"),
        "--graph",
        &d("net.ftm.json"),
        "--graph",
        &d("net.csv"),
        "--clusters",
        &d("clusters.jsonl"),
        "--networks",
        &d("networks.jsonl"),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(&out_file).unwrap().lines().count(),
        10
    );
    let graphml = std::fs::read_to_string(d("net.graphml")).unwrap();
    assert!(graphml.contains("<graphml") && graphml.contains("+77015550102"));
    assert!(
        std::fs::read_to_string(d("net.gexf"))
            .unwrap()
            .contains("<gexf")
    );
    let ftm = std::fs::read_to_string(d("net.ftm.json")).unwrap();
    assert!(
        ftm.lines()
            .all(|l| serde_json::from_str::<Value>(l).unwrap()["schema"].is_string())
    );
    assert!(
        std::fs::read_to_string(d("net-nodes.csv"))
            .unwrap()
            .starts_with("Id,")
    );
    assert!(
        std::fs::read_to_string(d("net-edges.csv"))
            .unwrap()
            .starts_with("Source,")
    );

    let bad = qorgau(&[
        "scan",
        fixture("scan/ads.jsonl").to_str().unwrap(),
        "--graph",
        &d("net.png"),
    ]);
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn train_eval_and_scan_with_a_model() {
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("model.bin");
    let labelled =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../qorgau-model/tests/fixtures/train.jsonl");
    let out = qorgau(&[
        "train",
        labelled.to_str().unwrap(),
        "--out",
        model.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let eval = qorgau(&[
        "eval",
        labelled.to_str().unwrap(),
        "--model",
        model.to_str().unwrap(),
        "--json",
    ]);
    assert!(
        eval.status.success(),
        "{}",
        String::from_utf8_lossy(&eval.stderr)
    );
    let figures: Value = serde_json::from_slice(&eval.stdout).unwrap();
    assert!(figures["accuracy"].as_f64().unwrap() > 0.8, "{figures}");

    let lexicon_eval = qorgau(&["eval", labelled.to_str().unwrap(), "--json"]);
    let figures: Value = serde_json::from_slice(&lexicon_eval.stdout).unwrap();
    assert!(
        figures["flag"]["precision"].as_f64().unwrap() > 0.8,
        "{figures}"
    );

    let out = qorgau(&[
        "scan",
        fixture("scan/ads.jsonl").to_str().unwrap(),
        "--model",
        model.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for r in records(&out) {
        let m = &r["model"];
        assert!(m["version"].as_str().unwrap().starts_with("model-"), "{r}");
        // The model moves a score by at most its bound.
        for (scenario, adj) in m["adjustments"].as_object().unwrap() {
            let shift = adj["score"].as_f64().unwrap() - adj["lexicon"].as_f64().unwrap();
            assert!(shift.abs() <= 0.3 + 1e-6, "{scenario}: {adj}");
        }
    }
    let corrupt = dir.path().join("corrupt.bin");
    let mut bytes = std::fs::read(&model).unwrap();
    let n = bytes.len() / 2;
    bytes[n] ^= 0xff;
    std::fs::write(&corrupt, bytes).unwrap();
    let out = qorgau(&[
        "scan",
        fixture("scan/ads.jsonl").to_str().unwrap(),
        "--model",
        corrupt.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("corrupt.bin"));
}

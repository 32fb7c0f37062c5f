#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Exports written from the synthetic fixture and read back: by quick-xml and csv here, and
//! by networkx and followthemoney in `check_exports.py` (independent implementations).

use std::fs::File;
use std::io::BufWriter;
use std::path::Path;
use std::process::Command;

use qorgau_network::export;
use qorgau_network::{DocFacts, EdgeKind, NetworkBuilder, NetworkOptions, Networks, Scope};
use quick_xml::Reader;
use quick_xml::events::Event;
use serde_json::json;

fn fixture() -> Networks {
    let text = include_str!("fixtures/facts.jsonl");
    let mut builder = NetworkBuilder::new(NetworkOptions::default());
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let facts: DocFacts = serde_json::from_str(line).unwrap();
        builder.add(facts);
    }
    builder.build()
}

fn write_all(networks: &Networks, dir: &Path) -> usize {
    let graph = networks.graph(&Scope::All);
    export::graphml(
        &graph,
        BufWriter::new(File::create(dir.join("graph.graphml")).unwrap()),
    )
    .unwrap();
    export::gexf(
        &graph,
        BufWriter::new(File::create(dir.join("graph.gexf")).unwrap()),
    )
    .unwrap();
    export::csv_nodes(&graph, File::create(dir.join("nodes.csv")).unwrap()).unwrap();
    export::csv_edges(&graph, File::create(dir.join("edges.csv")).unwrap()).unwrap();
    export::followthemoney(
        networks,
        &Scope::All,
        BufWriter::new(File::create(dir.join("entities.ftm.jsonl")).unwrap()),
    )
    .unwrap()
}

/// Every element balanced and every escape valid, read by quick-xml's own reader.
fn assert_well_formed(path: &Path) -> usize {
    let text = std::fs::read_to_string(path).unwrap();
    let mut reader = Reader::from_str(&text);
    let mut depth = 0i64;
    let mut elements = 0;
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) => {
                depth += 1;
                elements += 1;
                for a in e.attributes() {
                    a.unwrap().unescape_value().unwrap();
                }
            }
            Event::Empty(e) => {
                elements += 1;
                for a in e.attributes() {
                    a.unwrap().unescape_value().unwrap();
                }
            }
            Event::End(_) => depth -= 1,
            Event::Text(t) => {
                t.decode().unwrap();
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(depth, 0, "{} is unbalanced", path.display());
    elements
}

#[test]
fn fixture_networks_are_as_designed() {
    let networks = fixture();
    let a = networks.network_of("fx-a1").unwrap();
    assert_eq!(a.size, 5);
    assert_eq!(a.roles.describe(), "2 recruiting, 3 client-facing");
    let b = networks.network_of("fx-b1").unwrap();
    assert_eq!(b.size, 3);
    assert_eq!(b.roles.describe(), "2 recruiting, 1 control");
    for single in ["fx-s1", "fx-s2", "fx-s3"] {
        assert_eq!(networks.network_of(single).unwrap().size, 1, "{single}");
    }
    assert_eq!(networks.len(), 5);
    assert_eq!(a.mirror_groups.len(), 1);
}

#[test]
fn exports_round_trip_through_independent_readers() {
    let networks = fixture();
    let dir = tempfile::tempdir().unwrap();
    let entities = write_all(&networks, dir.path());
    let graph = networks.graph(&Scope::All);

    // Rust-side reading: XML well-formed, CSV parses with the same counts.
    assert!(assert_well_formed(&dir.path().join("graph.graphml")) > graph.nodes.len());
    assert!(assert_well_formed(&dir.path().join("graph.gexf")) > graph.nodes.len());
    let mut nodes = csv::Reader::from_path(dir.path().join("nodes.csv")).unwrap();
    assert_eq!(&nodes.headers().unwrap()[0], "Id");
    assert_eq!(nodes.records().count(), graph.nodes.len());
    let mut edges = csv::Reader::from_path(dir.path().join("edges.csv")).unwrap();
    assert_eq!(&edges.headers().unwrap()[0], "Source");
    assert_eq!(edges.records().count(), graph.edges.len());

    // What the Python side must find.
    let a = networks.network_of("fx-a1").unwrap();
    let mirror = graph
        .edges
        .iter()
        .find(|e| e.kind == EdgeKind::Mirror && e.source == "w:kyzdar2.net")
        .expect("mirror edge kyzdar2.net → kyzdar.net");
    assert!(
        mirror.label.starts_with("mirror of kyzdar.net: "),
        "{}",
        mirror.label
    );
    let expected = json!({
        "nodes": graph.nodes.len(),
        "edges": graph.edges.len(),
        "entities": entities,
        "node_attrs": {
            "d:fx-a3": {"type": "document", "network": a.id, "role": "client_facing",
                        "scenario": "escort_services", "flagged": true,
                        "first_seen": "2024-03-10T23:10:00+05:00"},
            "i:card:4400123456789013": {"type": "identifier", "kind": "card", "documents": 2,
                                         "network": a.id},
            "w:kyzdar4.net": {"type": "domain", "network": a.id},
            "d:fx-s2": {"label": "fx-s2", "source": "web:news-test.kz"},
        },
        "edge_labels": [
            "shares card 4400123456789013",
            "shares phone +77051112233",
            "same template cluster c-x",
            "hosted on kyzdar.net",
            mirror.label,
        ],
        "edge_kinds": ["identifier", "posted_by", "hosted_on", "mentions_domain", "cluster", "mirror"],
        "gexf_times": {
            "d:fx-a3": ["2024-03-10", "2024-03-10"],
            "i:phone:+77051112233": ["2024-03-10", "2024-05-20"],
        },
        "ftm_schemata": {"LegalEntity": 3, "Article": 11, "CryptoWallet": 1, "BankAccount": 2},
        "ftm_values": [
            ["UserAccount", "phone", "+77051112233"],
            ["UserAccount", "username", "dubai_jobs_test"],
            ["UserAccount", "email", "kadr.seoul@example.kz"],
            ["BankAccount", "accountNumber", "4400123456789013"],
            ["BankAccount", "iban", "KZ86125KZT5004100100"],
            ["CryptoWallet", "currency", "TRX"],
            ["Article", "publishedAt", "2024-03-10T18:10:00"],
            ["Article", "sourceUrl", "https://kyzdar.net/almaty/anketa-1.html"],
            ["LegalEntity", "idNumber", "900101300123"],
        ],
    });
    std::fs::write(dir.path().join("expected.json"), expected.to_string()).unwrap();

    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/check_exports.py");
    let run = Command::new("python3")
        .arg(&script)
        .arg(dir.path())
        .output();
    let output = match run {
        Ok(o) => o,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            eprintln!(
                "SKIPPED: python3 is not installed; the exports were not checked by networkx/followthemoney"
            );
            return;
        }
        Err(e) => panic!("could not run python3: {e}"),
    };
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "check_exports.py failed (install with `python3 -m pip install networkx followthemoney`):\n{stdout}{stderr}"
    );
    assert!(stdout.contains("check_exports: ok"), "{stdout}");
}

/// Runs `check_exports.py` on `dir`; false (and a SKIPPED line) without python3.
fn check_with_python(dir: &Path) -> bool {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/check_exports.py");
    let output = match Command::new("python3").arg(&script).arg(dir).output() {
        Ok(o) => o,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            eprintln!("SKIPPED: python3 is not installed; the exports were not checked");
            return false;
        }
        Err(e) => panic!("could not run python3: {e}"),
    };
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "check_exports.py failed (install with `python3 -m pip install networkx followthemoney`):\n{stdout}{stderr}"
    );
    assert!(stdout.contains("check_exports: ok"), "{stdout}");
    true
}

#[test]
fn shared_pictures_export_as_images_with_their_reason() {
    let picture = "phash:00ff33cc5a5a0f0f";
    let docs = [
        (
            "img-1",
            "+77010000001",
            "the group's first picture (pHash 00ff33cc5a5a0f0f, dHash 1111222233334444)",
        ),
        (
            "img-2",
            "+77010000002",
            "pHash 3, dHash 5 bits from the group's first picture (dHash 1111222233334444, in img-1)",
        ),
        (
            "img-3",
            "+77010000003",
            "pHash 9, dHash 4 bits from the group's first picture (dHash 1111222233334444, in img-1)",
        ),
    ];
    let mut builder = NetworkBuilder::new(NetworkOptions::default());
    for (i, (id, phone, note)) in docs.iter().enumerate() {
        let mut d = DocFacts::new(*id)
            .with_identifier("phone", phone)
            .with_noted_identifier("image", picture, note);
        d.published_at = qorgau_network::parse_time(&format!("2024-06-0{}T10:00:00+05:00", i + 1));
        d.source = Some(format!("telegram:@chan{i}"));
        builder.add(d);
    }
    let networks = builder.build();
    let net = networks.network_of("img-1").unwrap();
    assert_eq!(net.size, 3);
    let dir = tempfile::tempdir().unwrap();
    let entities = write_all(&networks, dir.path());
    let graph = networks.graph(&Scope::All);
    let image_node = format!("i:image:{picture}");

    // GraphML and CSV carry the image node and the reason on each edge.
    let graphml = std::fs::read_to_string(dir.path().join("graph.graphml")).unwrap();
    assert!(graphml.contains("<data key=\"n_type\">image</data>"));
    let mut edges = csv::Reader::from_path(dir.path().join("edges.csv")).unwrap();
    let image_edges: Vec<csv::StringRecord> = edges
        .records()
        .map(|r| r.unwrap())
        .filter(|r| &r[1] == image_node.as_str())
        .collect();
    assert_eq!(image_edges.len(), 3);
    assert!(
        image_edges
            .iter()
            .all(|r| &r[5] == "image" && &r[6] == "true")
    );
    assert!(
        image_edges
            .iter()
            .any(|r| r[4].contains("pHash 3, dHash 5 bits"))
    );

    // FtM: an Image, not an account with a phone or an e-mail, and the reason as the role.
    let ftm = std::fs::read_to_string(dir.path().join("entities.ftm.jsonl")).unwrap();
    let entities_json: Vec<serde_json::Value> = ftm
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let image: Vec<&serde_json::Value> = entities_json
        .iter()
        .filter(|e| e["properties"]["fileName"][0] == picture)
        .collect();
    assert_eq!(image.len(), 1);
    assert_eq!(image[0]["schema"], "Image");
    assert!(image[0]["properties"].get("phone").is_none());
    assert!(image[0]["properties"].get("email").is_none());
    let roles: Vec<&str> = entities_json
        .iter()
        .filter(|e| {
            e["schema"] == "Documentation" && e["properties"]["entity"][0] == image[0]["id"]
        })
        .filter_map(|e| e["properties"]["role"][0].as_str())
        .collect();
    assert_eq!(roles.len(), 3);
    assert!(roles.iter().all(|r| r.starts_with("shows picture: ")));

    let b_label = format!("shares image {picture}: {}", docs[1].2);
    let expected = json!({
        "nodes": graph.nodes.len(),
        "edges": graph.edges.len(),
        "entities": entities,
        "node_attrs": {
            image_node.clone(): {"type": "image", "kind": "image", "documents": 3, "network": net.id},
        },
        "edge_labels": [b_label],
        "edge_kinds": ["image", "identifier"],
        "gexf_times": {},
        "ftm_schemata": {"Image": 1, "Article": 3, "LegalEntity": 1},
        "ftm_values": [
            ["Image", "fileName", picture],
            ["Documentation", "role", format!("shows picture: {}", docs[1].2)],
            ["LegalEntity", "notes", format!("Shared pictures: {picture}")],
        ],
    });
    std::fs::write(dir.path().join("expected.json"), expected.to_string()).unwrap();
    check_with_python(dir.path());
}

#[test]
fn scoped_exports_hold_one_network() {
    let networks = fixture();
    let b = networks.network_of("fx-b2").unwrap().id.clone();
    let graph = networks.graph(&Scope::Networks(vec![b.as_str()]));
    let docs: Vec<&str> = graph
        .nodes
        .iter()
        .filter(|n| n.kind == qorgau_network::NodeKind::Document)
        .map(|n| n.id.as_str())
        .collect();
    assert_eq!(docs, ["d:fx-b1", "d:fx-b2", "d:fx-b3"]);
    // The cluster c-x has only one document in scope, so no cluster node is drawn.
    assert!(
        graph
            .nodes
            .iter()
            .all(|n| n.kind != qorgau_network::NodeKind::Cluster)
    );
    let mut out = Vec::new();
    let n =
        export::followthemoney(&networks, &Scope::Networks(vec![b.as_str()]), &mut out).unwrap();
    assert_eq!(String::from_utf8(out).unwrap().lines().count(), n);
    assert!(
        networks.graph(&Scope::MinSize(2)).nodes.len() < networks.graph(&Scope::All).nodes.len()
    );
}

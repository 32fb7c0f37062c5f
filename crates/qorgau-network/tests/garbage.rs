#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Arbitrary facts never panic the builder, the mirror grouping or any export, and the
//! XML exports stay well-formed whatever the text holds.

use proptest::prelude::*;
use qorgau_network::export;
use qorgau_network::{DocFacts, NetworkBuilder, NetworkOptions, Scope, mirror_groups, parse_time};
use quick_xml::Reader;
use quick_xml::events::Event;

fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![
        ".{0,24}",
        "[a-z0-9.:/@+ -]{0,24}",
        Just("t.me".to_owned()),
        Just("kyzdar2.net".to_owned()),
        Just("\u{0}\u{1}<&>\"'\r\n".to_owned()),
    ]
}

fn any_facts() -> impl Strategy<Value = DocFacts> {
    (
        any_text(),
        proptest::option::of(any_text()),
        proptest::option::of(any_text()),
        proptest::option::of(any_text()),
        proptest::collection::vec(
            (
                prop_oneof![
                    Just("phone".to_owned()),
                    Just("domain".to_owned()),
                    Just("url".to_owned()),
                    Just("card".to_owned()),
                    Just("telegram".to_owned()),
                    Just("crypto".to_owned()),
                    any_text()
                ],
                any_text(),
            ),
            0..5,
        ),
        proptest::option::of(any_text()),
        any::<bool>(),
        proptest::option::of("20[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\+0[0-9]:00"),
    )
        .prop_map(
            |(doc_id, source, author, url, identifiers, cluster, flagged, time)| DocFacts {
                doc_id,
                source,
                author,
                url,
                identifiers,
                cluster,
                flagged,
                scenario: Some("escort_services".into()),
                published_at: time.as_deref().and_then(parse_time),
                text: Some("текст \u{1} <b>".into()),
                ..DocFacts::default()
            },
        )
}

fn well_formed(bytes: &[u8]) {
    let text = std::str::from_utf8(bytes).unwrap();
    let mut reader = Reader::from_str(text);
    let mut depth = 0i64;
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) => {
                depth += 1;
                for a in e.attributes() {
                    a.unwrap().unescape_value().unwrap();
                }
            }
            Event::Empty(e) => {
                for a in e.attributes() {
                    a.unwrap().unescape_value().unwrap();
                }
            }
            Event::End(_) => depth -= 1,
            Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(depth, 0);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn arbitrary_facts_build_and_export(docs in proptest::collection::vec(any_facts(), 0..24)) {
        let n_docs = docs.len();
        let mut builder = NetworkBuilder::new(NetworkOptions { merge_mirrors: true, ..NetworkOptions::default() });
        for d in docs {
            builder.add(d);
        }
        let networks = builder.build();
        prop_assert_eq!(networks.networks().iter().map(|n| n.size).sum::<usize>(), n_docs);
        for i in 0..n_docs {
            prop_assert!(networks.network_of_index(i).is_some());
        }
        let graph = networks.graph(&Scope::All);
        let mut out = Vec::new();
        export::graphml(&graph, &mut out).unwrap();
        well_formed(&out);
        out.clear();
        export::gexf(&graph, &mut out).unwrap();
        well_formed(&out);
        export::csv_nodes(&graph, &mut Vec::new()).unwrap();
        export::csv_edges(&graph, &mut Vec::new()).unwrap();
        out.clear();
        let written = export::followthemoney(&networks, &Scope::All, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        prop_assert_eq!(text.lines().count(), written);
        for line in text.lines() {
            let _: serde_json::Value = serde_json::from_str(line).unwrap();
        }
    }

    #[test]
    fn arbitrary_domains_never_panic(domains in proptest::collection::vec(any_text(), 0..32)) {
        let content = |d: &str| Some(d.len() as u64);
        let groups = mirror_groups(domains.iter().map(String::as_str), Some(&content));
        for g in groups {
            prop_assert!(g.members.len() >= 2);
            prop_assert_eq!(g.links.len(), g.members.len() - 1);
        }
    }
}

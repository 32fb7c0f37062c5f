//! The export checked by independent implementations: ids against the
//! `stix2` library, patterns against the `stix2-patterns` grammar, whole
//! bundles against `stix2-validator` and `stix2.parse`. The tools are
//! required (scripts/install-test-tools installs them); nothing is skipped.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::BTreeMap;

use common::{out_dir, python, synthetic_case};
use qorgau_stix::ids::sco_id;
use qorgau_stix::pattern::equality_pattern;
use qorgau_stix::{Tlp, export_bundle};
use serde_json::{Value, json};

#[test]
fn observable_ids_match_the_stix2_library() {
    // The synthetic case's observables, plus raw values that stress the
    // canonicalisation: quotes, backslashes, control characters, non-ASCII.
    let bundle = export_bundle(&synthetic_case(Tlp::Amber)).unwrap();
    let mut items: Vec<Value> = Vec::new();
    let mut ours: Vec<String> = Vec::new();
    for object in &bundle.objects {
        let t = object["type"].as_str().unwrap();
        let props: Vec<&str> = match t {
            "domain-name" | "url" | "email-addr" | "phone-number" | "cryptocurrency-wallet" => {
                vec!["value"]
            }
            "user-account" => vec!["account_type", "account_login"],
            _ => continue,
        };
        let map: serde_json::Map<String, Value> = props
            .iter()
            .map(|p| (p.to_string(), object[*p].clone()))
            .collect();
        items.push(json!({ "type": t, "props": map }));
        ours.push(object["id"].as_str().unwrap().to_owned());
    }
    assert_eq!(items.len(), 12);
    for (t, value) in [
        ("domain-name", "кыздар.example"),
        ("url", "https://a.example/it's\\\"quoted\""),
        ("email-addr", "tab\there@example.com"),
        ("phone-number", "+7\u{1}\u{1f}7"),
        ("cryptocurrency-wallet", "𝔘nicode-☃"),
    ] {
        items.push(json!({ "type": t, "props": { "value": value } }));
        ours.push(sco_id(t, &[("value", value)]));
    }
    items.push(json!({ "type": "user-account", "props": { "account_type": "telegram", "account_login": "a\\b'c" } }));
    ours.push(sco_id(
        "user-account",
        &[("account_type", "telegram"), ("account_login", "a\\b'c")],
    ));

    let path = out_dir("ids").join("observables.json");
    std::fs::write(&path, serde_json::to_vec(&items).unwrap()).unwrap();
    let theirs: Vec<String> =
        serde_json::from_str(&python(&["ids", path.to_str().unwrap()])).unwrap();
    assert_eq!(ours, theirs);
}

#[test]
fn patterns_parse_and_read_back_the_values() {
    let values = [
        "plain.example",
        "it's",
        r"back\slash",
        r"\'",
        r"ends with \",
        "''",
        "кыз 'қыз' \\\\",
        "https://jobs.example/a?b='c'&d=\\e",
    ];
    let mut items = Vec::new();
    for value in values {
        items.push(
            json!({ "pattern": equality_pattern("url", &[("value", value)]), "literals": [value] }),
        );
    }
    items.push(json!({
        "pattern": equality_pattern("user-account", &[("account_type", "telegram"), ("account_login", "o'brien\\")]),
        "literals": ["telegram", "o'brien\\"],
    }));
    for object in export_bundle(&synthetic_case(Tlp::Green))
        .unwrap()
        .objects_of_type("indicator")
    {
        items.push(json!({ "pattern": object["pattern"], "literals": Value::Null }));
    }
    let path = out_dir("patterns").join("patterns.json");
    std::fs::write(&path, serde_json::to_vec(&items).unwrap()).unwrap();
    let results: Vec<Value> =
        serde_json::from_str(&python(&["patterns", path.to_str().unwrap()])).unwrap();
    assert_eq!(results.len(), items.len());
    for (item, result) in items.iter().zip(&results) {
        assert_eq!(result["errors"], json!([]), "{}", item["pattern"]);
        if !item["literals"].is_null() {
            assert_eq!(result["literals"], item["literals"], "{}", item["pattern"]);
        }
    }
}

#[test]
fn bundles_pass_stix2_validator_and_parse() {
    let dir = out_dir("bundles");
    let mut paths = Vec::new();
    for tlp in Tlp::ALL {
        let bundle = export_bundle(&synthetic_case(tlp)).unwrap();
        let path = dir.join(format!(
            "case-{}.json",
            tlp.extension_value().replace('+', "-")
        ));
        std::fs::write(&path, serde_json::to_vec_pretty(&bundle).unwrap()).unwrap();
        paths.push(path.to_str().unwrap().to_owned());
    }
    let mut args = vec!["validate"];
    args.extend(paths.iter().map(String::as_str));
    let results: BTreeMap<String, Value> = serde_json::from_str(&python(&args)).unwrap();
    let mut warnings: BTreeMap<String, usize> = BTreeMap::new();
    for (path, result) in &results {
        assert_eq!(result["errors"], json!([]), "{path}");
        assert_eq!(result["valid"], true, "{path}");
        for w in result["warnings"].as_array().unwrap() {
            let text = w.as_str().unwrap();
            let message = text.split_once(": ").map_or(text, |(_, m)| m);
            *warnings.entry(message.to_owned()).or_default() += 1;
        }
    }
    // Two kinds of warning remain, both explained in the README; anything
    // new fails here so it gets looked at:
    // * {244} platform account types (telegram, instagram, stripchat) are not
    //   in the open vocabulary account-type-ov, which predates them;
    // * {103} the validator takes the custom observables for domain objects
    //   and asks for UUIDv4, while STIX wants deterministic UUIDv5 ids for
    //   observables (OpenCTI computes the same v5 ids for these types).
    let mut kinds = std::collections::BTreeSet::new();
    for message in warnings.keys() {
        eprintln!("stix2-validator warning: {message}");
        let vocabulary = message.starts_with("{244}") && message.contains("account-type-ov");
        let custom_sco_id = message.starts_with("{103}")
            && (message.contains("value phone-number--")
                || message.contains("value cryptocurrency-wallet--"));
        assert!(
            vocabulary || custom_sco_id,
            "unexpected validator warning: {message}"
        );
        kinds.insert(&message[..5]);
    }
    assert_eq!(
        kinds.len(),
        2,
        "the expected warnings changed: {warnings:?}"
    );

    let parsed: Value = serde_json::from_str(&python(&["parse", &paths[0]])).unwrap();
    assert_eq!(parsed["bundle"], "Bundle");
    let classes: Vec<&str> = parsed["classes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    for class in [
        "DomainName",
        "URL",
        "EmailAddress",
        "UserAccount",
        "PhoneNumber",
        "CryptocurrencyWallet",
        "Indicator",
        "ObservedData",
        "Relationship",
        "Report",
        "Identity",
        "MarkingDefinition",
        "ExtensionDefinition",
    ] {
        assert!(
            classes.contains(&class),
            "stix2 did not read any {class}: {classes:?}"
        );
    }
}

//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::io::BufReader;
use std::path::PathBuf;

use qorgau_sources::{Format, ReadOptions, read};
use serde_json::{Value, json};

/// Absolute path of a fixture.
pub fn fixture(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(path)
}

/// Bytes of a fixture.
pub fn bytes(path: &str) -> Vec<u8> {
    std::fs::read(fixture(path)).unwrap()
}

/// Every item [`read`] yields for a fixture, named by its relative path:
/// documents as JSON, errors as `{"error": "<message>"}`.
pub fn items(path: &str, format: Format, opts: &ReadOptions) -> Vec<Value> {
    let file = std::fs::File::open(fixture(path)).unwrap();
    read(path, BufReader::new(file), format, opts)
        .unwrap()
        .map(|item| match item {
            Ok(doc) => serde_json::to_value(doc).unwrap(),
            Err(e) => json!({ "error": e.to_string() }),
        })
        .collect()
}

/// Compares item by item, so a failure shows the first differing one.
pub fn assert_items(actual: &[Value], expected: &[Value]) {
    for (i, (a, e)) in actual.iter().zip(expected).enumerate() {
        assert_eq!(a, e, "item {i} differs");
    }
    assert_eq!(actual.len(), expected.len(), "number of items: {actual:#?}");
}

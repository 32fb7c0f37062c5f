//! Every text key the pages name is in all three catalogues. Keys built at
//! run time (`Tr::code`, for codes from data files) fall back to the code
//! itself and are checked by the page tests of the binary instead.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

use std::path::Path;

use qorgau_i18n::{Lang, has_key};

/// The string literals passed to `t(…)`, `t_with(…)` and the error pages'
/// `=> "error-…"` arms in `src/`.
fn keys_named_in(dir: &Path, out: &mut Vec<(String, String)>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            keys_named_in(&path, out);
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        for marker in [".t(\"", ".t_with(\"", "=> \"error-", ", \"sign-in-"] {
            for piece in text.split(marker).skip(1) {
                let key = &piece[..piece.find('"').unwrap()];
                let key = match marker {
                    "=> \"error-" => format!("error-{key}"),
                    ", \"sign-in-" => format!("sign-in-{key}"),
                    _ => key.to_owned(),
                };
                out.push((path.display().to_string(), key));
            }
        }
    }
}

#[test]
fn every_key_the_pages_name_is_in_every_language() {
    let mut keys = Vec::new();
    keys_named_in(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut keys,
    );
    assert!(
        keys.len() > 80,
        "the scan finds the pages' keys ({})",
        keys.len()
    );
    let mut missing = Vec::new();
    for (file, key) in &keys {
        for lang in Lang::ALL {
            if !has_key(lang, key) {
                missing.push(format!("{file}: {key} ({})", lang.code()));
            }
        }
    }
    assert!(missing.is_empty(), "texts missing:\n{}", missing.join("\n"));
}

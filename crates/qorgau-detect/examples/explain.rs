//! Prints the assessment of each line of standard input as JSON Lines, for
//! analysts trying lexicon edits:
//!
//! ```text
//! echo "Работа в Дубае, визу оплачиваем" | cargo run -p qorgau-detect --example explain [-- LEXICON_DIR]
//! ```
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::BufRead;

use qorgau_detect::{Detector, Lexicon, language_profile};
use qorgau_normalize::normalize;

fn main() {
    let lexicon = match std::env::args().nth(1) {
        Some(dir) => Lexicon::from_dir(dir).expect("lexicon directory loads"),
        None => Lexicon::builtin().expect("built-in lexicon loads"),
    };
    let det = Detector::new(lexicon);
    for line in std::io::stdin().lock().lines() {
        let text = line.expect("stdin is UTF-8").replace("\\n", "\n");
        let n = normalize(&text);
        let a = det.score(&text, &n);
        let lang = language_profile(&n.text);
        let v = serde_json::json!({"lang": lang, "assessment": a});
        println!("{v}");
    }
}

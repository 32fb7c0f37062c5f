//! Running the independent validator: the `ivms101` npm package 2.0.0
//! (installed globally by `scripts/install-test-tools`) through
//! `tests/crosscheck/notabene.cjs`.

#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)] // test code

use std::path::{Path, PathBuf};
use std::process::Command;

/// The npm package's verdict on one file.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct Verdict {
    pub file: PathBuf,
    /// Whether `JSON.parse` accepted the file.
    pub parsed: bool,
    pub valid: bool,
    pub issues: Vec<String>,
}

/// The npm package's verdicts on `files`, in order.
pub fn notabene(files: &[PathBuf]) -> Vec<Verdict> {
    let root = Command::new("npm")
        .args(["root", "--global"])
        .output()
        .expect("npm not found: run scripts/install-test-tools");
    let node_path = String::from_utf8(root.stdout).unwrap().trim().to_owned();
    assert!(
        Path::new(&node_path).join("ivms101").is_dir(),
        "ivms101 npm package not in {node_path}: run scripts/install-test-tools"
    );
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/crosscheck/notabene.cjs");
    let out = Command::new("node")
        .arg(script)
        .args(files)
        .env("NODE_PATH", &node_path)
        .output()
        .expect("node not found: run scripts/install-test-tools");
    assert!(
        out.status.success(),
        "notabene.cjs failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let verdicts: Vec<Verdict> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(verdicts.len(), files.len());
    verdicts
}

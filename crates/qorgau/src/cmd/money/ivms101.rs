//! `qorgau money ivms101`: checks Travel Rule payloads (IVMS101, 2020 and
//! 2023 editions) a VASP sent or returned, with `qorgau_ivms101::check`,
//! and names every problem by file and JSON path (`FILE: path: message`)
//! so the analyst can find it in what the VASP sent: a payload that breaks
//! the standard is itself a lead.

use std::path::PathBuf;
use std::process::ExitCode;

use serde_json::json;

use crate::output::json_line;

/// Arguments of `money ivms101`.
#[derive(Debug, clap::Args)]
pub struct Ivms101Args {
    /// IVMS101 payloads (JSON `IdentityPayload`).
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
    /// One JSON object per file on stdout (edition, violations or the
    /// parse error).
    #[arg(long)]
    json: bool,
}

/// Runs `money ivms101`: exit 0 when every payload meets the standard, 1
/// when any breaks it, 2 when any cannot be read or parsed (the others are
/// still checked).
pub(super) fn run(args: &Ivms101Args) -> ExitCode {
    let mut worst = 0u8;
    for path in &args.files {
        let name = path.display().to_string();
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) => {
                worst = 2;
                if args.json {
                    json_line(&json!({"file": name, "error": {"message": e.to_string()}}));
                }
                eprintln!("{name}: cannot read: {e}");
                continue;
            }
        };
        match qorgau_ivms101::check(&bytes) {
            Err(e) => {
                worst = 2;
                if args.json {
                    json_line(&json!({"file": name, "error": e}));
                }
                eprintln!("{name}: not an IVMS101 payload: {e}");
            }
            Ok(report) => {
                if !report.is_valid() {
                    worst = worst.max(1);
                }
                if args.json {
                    json_line(&json!({
                        "file": name,
                        "valid": report.is_valid(),
                        "edition": report.edition,
                        "edition_declared": report.edition_declared,
                        "violations": report.violations,
                    }));
                } else {
                    for v in &report.violations {
                        println!("{name}: {v}");
                    }
                    let how = if report.edition_declared {
                        "declared"
                    } else {
                        "inferred"
                    };
                    if report.is_valid() {
                        eprintln!("{name}: valid {} ({how})", report.edition);
                    } else {
                        eprintln!(
                            "{name}: {} violation(s) of {} ({how})",
                            report.violations.len(),
                            report.edition
                        );
                    }
                }
            }
        }
    }
    ExitCode::from(worst)
}

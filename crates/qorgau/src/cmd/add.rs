//! `qorgau add PATH… --case CASE [--note TEXT] [--json]`

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Mutex;

use indicatif::ProgressBar;
use qorgau_evidence::{CaseRecord, ItemRecord, LedgerEntry};
use qorgau_vault::acquire::{self, AcquireObserver, AddRequest};
use qorgau_vault::{AcquireError, Vault};
use serde::Serialize;

use crate::cmd::case_name;
use crate::output::{byte_bar, json_line};

/// Arguments of `add`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Files and folders to acquire (a phone extraction, chat exports, photos, a disk image…).
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// The case to file them under; opened if it does not exist yet.
    #[arg(long, value_name = "CASE")]
    case: String,
    /// A note kept with every item (where and how it was seized).
    #[arg(long, value_name = "TEXT")]
    note: Option<String>,
    /// Print one JSON object per stored item on stdout.
    #[arg(long)]
    json: bool,
}

#[derive(Serialize)]
struct StoredLine<'a> {
    id: String,
    path: &'a str,
    relative_path: &'a str,
    size: u64,
    md5: String,
    sha256: String,
    media_type: &'a str,
    case: &'a str,
    acquired_at: String,
    acquired_at_almaty: &'a str,
    ledger_entry: String,
    new_blob: bool,
}

struct Printer {
    json: bool,
    case_name: String,
    bar: Mutex<Option<ProgressBar>>,
}

impl Printer {
    fn with_bar(&self, f: impl FnOnce(&ProgressBar)) {
        if let Some(bar) = self.bar.lock().unwrap_or_else(|p| p.into_inner()).as_ref() {
            f(bar);
        }
    }

    fn say(&self, line: String) {
        let guard = self.bar.lock().unwrap_or_else(|p| p.into_inner());
        match guard.as_ref() {
            Some(bar) => bar.suspend(|| eprintln!("{line}")),
            None => eprintln!("{line}"),
        }
    }
}

impl AcquireObserver for Printer {
    fn case_ready(&self, case: &CaseRecord, created: bool) {
        if created {
            self.say(format!(
                "opened new case {:?} ({})",
                case.name.as_str(),
                case.id
            ));
        }
    }

    fn planned(&self, files: u64, bytes: u64) {
        self.say(format!("acquiring {files} file(s), {bytes} bytes"));
        *self.bar.lock().unwrap_or_else(|p| p.into_inner()) = Some(byte_bar(bytes, "hashing"));
    }

    fn advanced(&self, bytes: u64) {
        self.with_bar(|bar| bar.inc(bytes));
    }

    fn stored(&self, item: &ItemRecord, entry: &LedgerEntry, new_blob: bool) {
        if self.json {
            json_line(&StoredLine {
                id: item.id.to_string(),
                path: &item.original_path,
                relative_path: &item.relative_path,
                size: item.size,
                md5: item.md5.to_hex(),
                sha256: item.sha256.to_hex(),
                media_type: &item.media_type,
                case: &self.case_name,
                acquired_at: item.acquired_at.to_utc_string(),
                acquired_at_almaty: &item.acquired_at_local,
                ledger_entry: format!("{}#{}", entry.chain, entry.seq),
                new_blob,
            });
        } else {
            self.say(format!(
                "stored {}  {}  md5 {}  sha256 {}  {} bytes",
                item.id, item.relative_path, item.md5, item.sha256, item.size
            ));
        }
    }

    fn failed(&self, error: &AcquireError) {
        self.say(format!("error: {error}"));
    }
}

/// Runs `add`.
pub async fn run(vault: &Vault, args: &Args) -> anyhow::Result<ExitCode> {
    let request = AddRequest {
        paths: args.paths.clone(),
        case: case_name(&args.case)?,
        note: args.note.clone().filter(|n| !n.trim().is_empty()),
    };
    let printer = Printer {
        json: args.json,
        case_name: request.case.to_string(),
        bar: Mutex::new(None),
    };
    let summary = acquire::add(vault, &request, &printer).await;
    printer.with_bar(ProgressBar::finish_and_clear);
    let summary = summary?;
    eprintln!(
        "{} item(s), {} bytes stored in case {:?} ({} new blob(s)); {} file(s) not acquired",
        summary.stored,
        summary.bytes,
        summary.case.name.as_str(),
        summary.new_blobs,
        summary.failed
    );
    if summary.restricted > 0 {
        eprintln!(
            "{} item(s) are on a hash list of known child sexual abuse material: marked restricted (shown blurred, only to roles allowed, exported only with an authorisation)",
            summary.restricted
        );
    }
    if summary.aborted {
        eprintln!("stopped early: the vault cannot take more; items reported as stored are safe");
    }
    Ok(if summary.failed > 0 || summary.aborted {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

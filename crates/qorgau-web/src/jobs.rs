//! Long work started from a page — a capture, the protocol of inspection,
//! a WACZ package — is a job in the database's work queue: the page
//! queues it and shows where it stands; a worker (`qorgau worker`, or
//! `qorgau serve` itself on the embedded default) runs it as the command
//! line would (`qorgau capture|protocol|export … --json`, see the binary's
//! `work` module). A restarted or second server sees the same jobs; a
//! killed worker's job is taken by another.

use std::path::{Path, PathBuf};

use qorgau_core::{Id, Timestamp};
use qorgau_store::{NewJob, Store, StoreError, WorkFilter, WorkJob, WorkState};

/// What a job does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Task {
    /// Capture a page or channel into the case.
    Capture {
        /// The address.
        url: String,
        /// Why it is preserved.
        note: String,
    },
    /// The protocol of inspection of the case's captures (PDF).
    Protocol {
        /// ru, kk or en.
        lang: String,
        /// The decision that lets marked material be printed, if any.
        authorisation: Option<String>,
    },
    /// A WACZ package of the case's web captures.
    Wacz {
        /// The decision that lets marked material leave, if any.
        authorisation: Option<String>,
    },
    /// A BagIt bag of every item of the case with its custody ledger,
    /// packed as one ZIP for the download.
    Bagit {
        /// The decision that lets marked material leave, if any.
        authorisation: Option<String>,
    },
    /// Transactions imported into the case (`qorgau money import`).
    MoneyImport {
        /// The uploaded file's plain name under `<data-dir>/uploads/`.
        input: String,
        /// tron-csv, erc20-csv, btc-json or bank-csv.
        format: String,
        /// The bank statement's column mapping, when given.
        map: Option<String>,
        /// The file's name as the investigator had it.
        shown: String,
    },
    /// An export scanned for recruitment and exploitation (`qorgau scan
    /// --approved-lexicon`), its results a file to download.
    Scan {
        /// The uploaded file's plain name under `<data-dir>/uploads/`.
        input: String,
        /// The input format (`auto` to guess).
        format: String,
        /// CSV: the column holding the text.
        text_column: Option<String>,
        /// The file's name as the investigator had it.
        shown: String,
    },
}

/// Where a job stands, as the page shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobState {
    /// Waiting for a worker (or for its next attempt).
    Queued,
    /// A worker has it.
    Running,
    /// Done: what the command reported (its JSON lines).
    Done(Vec<serde_json::Value>),
    /// Failed for good: the command's words.
    Failed(String),
}

impl JobState {
    /// Still to finish: the page reloads itself.
    pub fn is_open(&self) -> bool {
        matches!(self, JobState::Queued | JobState::Running)
    }
}

/// One background job as the page shows it.
#[derive(Debug, Clone)]
pub struct Job {
    /// Id (in the page's address).
    pub id: Id,
    /// The job kind (`capture`, `money-import`, `scan`…).
    pub kind: String,
    /// A scan's counts (`documents`, `flagged`), when done.
    pub scanned: Option<serde_json::Value>,
    /// Who asked.
    pub username: String,
    /// The case's id.
    pub case_id: Option<Id>,
    /// What is being done, in words (the URL).
    pub what: String,
    /// When it was asked for.
    pub started_at: Timestamp,
    /// Where it stands.
    pub state: JobState,
    /// The last line of progress the worker wrote.
    pub progress: String,
    /// The file the job wrote, when it writes one.
    pub file: Option<PathBuf>,
    /// Attempts so far (a retry after a failure shows as 2).
    pub attempts: i64,
    /// The last attempt's error while it waits for a retry.
    pub last_error: Option<String>,
}

impl Job {
    /// The page's view of a stored job; `exports` is where files go.
    pub fn of(job: WorkJob, exports: &Path) -> Self {
        let p = &job.payload;
        let what = match job.kind.as_str() {
            "capture" => p["url"].as_str().unwrap_or_default().to_owned(),
            "protocol" => format!("protocol ({})", p["lang"].as_str().unwrap_or_default()),
            "wacz" => "WACZ".to_owned(),
            "bagit" => "BagIt".to_owned(),
            "money-import" | "scan" => format!(
                "{} ({}): {}",
                job.kind,
                p["format"].as_str().unwrap_or("auto"),
                p["shown"].as_str().unwrap_or_default()
            ),
            other => other.to_owned(),
        };
        let file = p["file"].as_str().map(|f| exports.join(f));
        let state = match job.state {
            WorkState::Queued => JobState::Queued,
            WorkState::Running => JobState::Running,
            WorkState::Done => JobState::Done(
                job.result
                    .as_ref()
                    .and_then(|r| r["reported"].as_array().cloned())
                    .unwrap_or_default(),
            ),
            WorkState::Dead => {
                JobState::Failed(job.last_error.clone().unwrap_or_else(|| "failed".into()))
            }
        };
        let scanned = job
            .result
            .as_ref()
            .and_then(|r| r.get("scanned"))
            .filter(|v| !v.is_null())
            .cloned();
        Self {
            id: job.id,
            kind: job.kind,
            scanned,
            username: job.submitted_by,
            case_id: job.case_id,
            what,
            started_at: job.submitted_at,
            state,
            progress: job.progress,
            file,
            attempts: job.attempts,
            last_error: job.last_error,
        }
    }
}

/// Queues `task` on the case for `username`; returns the job's id.
pub async fn start(
    store: &Store,
    username: &str,
    case_id: Id,
    case_name: &str,
    task: &Task,
) -> Result<Id, StoreError> {
    let file_id = Id::new();
    let (kind, payload) = match task {
        Task::Capture { url, note } => (
            "capture",
            serde_json::json!({ "case": case_name, "url": url, "note": note }),
        ),
        Task::Protocol {
            lang,
            authorisation,
        } => (
            "protocol",
            serde_json::json!({ "case": case_name, "lang": lang, "file": format!("protocol-{file_id}.pdf"), "authorisation": authorisation }),
        ),
        Task::Wacz { authorisation } => (
            "wacz",
            serde_json::json!({ "case": case_name, "file": format!("{case_name}-{file_id}.wacz"), "authorisation": authorisation }),
        ),
        Task::Bagit { authorisation } => (
            "bagit",
            serde_json::json!({ "case": case_name, "file": format!("{case_name}-{file_id}.bag.zip"), "authorisation": authorisation }),
        ),
        Task::MoneyImport {
            input,
            format,
            map,
            shown,
        } => {
            let mut p = serde_json::json!({
                "case": case_name, "input": input, "format": format, "shown": shown,
            });
            if let Some(map) = map {
                p["map"] = map.clone().into();
            }
            ("money-import", p)
        }
        Task::Scan {
            input,
            format,
            text_column,
            shown,
        } => {
            let mut p = serde_json::json!({
                "input": input, "format": format, "shown": shown,
                "file": format!("{input}.scan.jsonl"),
            });
            if let Some(c) = text_column {
                p["text_column"] = c.clone().into();
            }
            ("scan", p)
        }
    };
    let mut job = NewJob::new(kind, payload, username);
    job.case_id = Some(case_id);
    // People wait for these; schedules can wait for them.
    job.priority = 10;
    job.max_attempts = 2;
    store
        .submit_job(&job)
        .await?
        .ok_or_else(|| StoreError::Conflict("the job was not queued".into()))
}

/// A case's jobs started from pages, newest first.
pub async fn of_case(store: &Store, case_id: Id, exports: &Path) -> Result<Vec<Job>, StoreError> {
    Ok(store
        .work_jobs(&WorkFilter {
            case_id: Some(case_id),
            limit: 50,
            ..WorkFilter::default()
        })
        .await?
        .into_iter()
        .filter(|j| {
            matches!(
                j.kind.as_str(),
                "capture" | "protocol" | "wacz" | "bagit" | "money-import" | "scan"
            )
        })
        .map(|j| Job::of(j, exports))
        .collect())
}

/// A job's progress as the command reported it (`done/total unit` or
/// `done unit`, see the binary's `work::child`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress<'a> {
    /// Done so far.
    pub done: u64,
    /// Of how many, when known.
    pub total: Option<u64>,
    /// `bytes`, `documents`…
    pub unit: &'a str,
}

/// Reads a progress line; `None` for anything else (a capture reports the
/// address it is at).
pub fn progress_of(line: &str) -> Option<Progress<'_>> {
    let (count, unit) = line.split_once(' ')?;
    if unit.is_empty() || !unit.bytes().all(|b| b.is_ascii_lowercase()) {
        return None;
    }
    let (done, total) = match count.split_once('/') {
        Some((d, t)) => (d.parse().ok()?, Some(t.parse().ok()?)),
        None => (count.parse().ok()?, None),
    };
    Some(Progress { done, total, unit })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_lines_are_read_and_anything_else_is_not() {
        assert_eq!(
            progress_of("512/2048 bytes"),
            Some(Progress {
                done: 512,
                total: Some(2048),
                unit: "bytes"
            })
        );
        assert_eq!(
            progress_of("40 documents"),
            Some(Progress {
                done: 40,
                total: None,
                unit: "documents"
            })
        );
        for other in [
            "https://example.test/a b",
            "",
            "12",
            "x/2 bytes",
            "1/2 Bytes",
        ] {
            assert_eq!(progress_of(other), None, "{other}");
        }
    }
}

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
    },
    /// A WACZ package of the case's web captures.
    Wacz,
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
        Self {
            id: job.id,
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
        Task::Protocol { lang } => (
            "protocol",
            serde_json::json!({ "case": case_name, "lang": lang, "file": format!("protocol-{file_id}.pdf") }),
        ),
        Task::Wacz => (
            "wacz",
            serde_json::json!({ "case": case_name, "file": format!("{case_name}-{file_id}.wacz") }),
        ),
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
        .filter(|j| matches!(j.kind.as_str(), "capture" | "protocol" | "wacz"))
        .map(|j| Job::of(j, exports))
        .collect())
}

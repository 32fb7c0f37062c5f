//! Long work started from a page — a capture, the protocol of inspection,
//! a WACZ package — runs in the background while the person goes on, and
//! the page shows its progress.
//!
//! Each runs as a child process of the same `qorgau` binary (`qorgau
//! capture URL --case … --json`, `qorgau protocol CASE …`, `qorgau export
//! CASE --wacz …`), given by the binary that serves
//! the interface ([`Worker`]): the capture code is the one the command line
//! runs and its tests check, a browser that crashes or hangs takes a child
//! down and never the server, and the ledger names the person who asked
//! (`QORGAU_OPERATOR`). Jobs are kept in memory by the server that started
//! them; a restart forgets the list, never a capture already stored (the
//! vault's own transaction decides that). Shared queues across servers are
//! issue 9's work queue in PostgreSQL.

use std::collections::HashMap;
use std::ffi::OsString;
use std::path::PathBuf;
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use qorgau_core::{Id, Timestamp};
use tokio::io::{AsyncBufReadExt, BufReader};

/// How to start the worker: the program, arguments before the subcommand
/// (`--data-dir …`), and environment (database URL), all from the binary.
#[derive(Debug, Clone)]
pub struct Worker {
    /// The `qorgau` binary.
    pub program: PathBuf,
    /// Arguments every run takes first.
    pub args: Vec<OsString>,
    /// Environment every run gets.
    pub env: Vec<(OsString, OsString)>,
    /// Capture without a browser (a machine without Chromium).
    pub no_browser: bool,
    /// Where files the jobs write (protocols, packages) are kept until
    /// downloaded; each is also hashed into the ledger by the command.
    pub out_dir: PathBuf,
}

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

/// Where a job stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobState {
    /// Waiting for or holding the worker.
    Running,
    /// Done: what the worker reported (its JSON lines).
    Done(Vec<serde_json::Value>),
    /// Failed: the worker's words.
    Failed(String),
}

/// One background job as the page shows it.
#[derive(Debug, Clone)]
pub struct Job {
    /// Id (in the page's address).
    pub id: Id,
    /// Who asked (only they and their agency's colleagues see it).
    pub username: String,
    /// The case's id.
    pub case_id: String,
    /// What is being done, in words (the URL).
    pub what: String,
    /// When it started.
    pub started_at: Timestamp,
    /// Where it stands.
    pub state: JobState,
    /// The last line of progress the worker wrote.
    pub progress: String,
    /// The file the job wrote, when it writes one.
    pub file: Option<PathBuf>,
}

/// The jobs of this server.
#[derive(Debug, Default)]
pub struct Jobs {
    jobs: Mutex<HashMap<Id, Job>>,
}

/// The longest a job may run before it is stopped.
const JOB_DEADLINE: Duration = Duration::from_secs(600);

impl Jobs {
    /// A job by id.
    pub fn get(&self, id: Id) -> Option<Job> {
        self.jobs.lock().ok()?.get(&id).cloned()
    }

    /// The jobs of a case, newest first.
    pub fn of_case(&self, case_id: &str) -> Vec<Job> {
        let mut out: Vec<Job> = self
            .jobs
            .lock()
            .map(|j| {
                j.values()
                    .filter(|j| j.case_id == case_id)
                    .cloned()
                    .collect()
            })
            .unwrap_or_default();
        out.sort_by_key(|j| std::cmp::Reverse(j.started_at));
        out
    }

    fn update(&self, id: Id, f: impl FnOnce(&mut Job)) {
        if let Ok(mut jobs) = self.jobs.lock()
            && let Some(job) = jobs.get_mut(&id)
        {
            f(job);
        }
    }

    /// Starts `task` on the case named `case_name` for `username`;
    /// returns the job's id at once.
    pub fn start(
        self: &Arc<Self>,
        worker: &Worker,
        username: &str,
        case_id: &str,
        case_name: &str,
        task: &Task,
    ) -> Id {
        let id = Id::new();
        let mut command = tokio::process::Command::new(&worker.program);
        command.args(&worker.args);
        let (what, file) = match task {
            Task::Capture { url, note } => {
                command.arg("capture").arg(url).arg("--case").arg(case_name);
                if !note.trim().is_empty() {
                    command.arg("--note").arg(note);
                }
                if worker.no_browser {
                    command.arg("--no-browser");
                }
                (url.clone(), None)
            }
            Task::Protocol { lang } => {
                let file = worker.out_dir.join(format!("protocol-{id}.pdf"));
                command
                    .arg("protocol")
                    .arg(case_name)
                    .arg("--lang")
                    .arg(lang)
                    .arg("--format")
                    .arg("pdf")
                    .arg("--out")
                    .arg(&file);
                (format!("protocol ({lang})"), Some(file))
            }
            Task::Wacz => {
                let file = worker.out_dir.join(format!("{case_name}-{id}.wacz"));
                command
                    .arg("export")
                    .arg(case_name)
                    .arg("--wacz")
                    .arg(&file);
                ("WACZ".to_owned(), Some(file))
            }
        };
        command.arg("--json");
        if let Ok(mut jobs) = self.jobs.lock() {
            jobs.insert(
                id,
                Job {
                    id,
                    username: username.to_owned(),
                    case_id: case_id.to_owned(),
                    what,
                    started_at: Timestamp::now(),
                    state: JobState::Running,
                    progress: String::new(),
                    file: file.clone(),
                },
            );
        }
        if let Some(dir) = file.as_ref().and_then(|f| f.parent())
            && let Err(e) = std::fs::create_dir_all(dir)
        {
            self.update(id, |j| {
                j.state = JobState::Failed(format!("cannot make {}: {e}", dir.display()));
            });
            return id;
        }
        for (k, v) in &worker.env {
            command.env(k, v);
        }
        command
            .env("QORGAU_OPERATOR", username)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true);
        let jobs = Arc::clone(self);
        tokio::spawn(async move {
            let state = match tokio::time::timeout(JOB_DEADLINE, run(&jobs, id, command)).await {
                Ok(state) => state,
                Err(_) => JobState::Failed(format!(
                    "stopped after {} s without finishing",
                    JOB_DEADLINE.as_secs()
                )),
            };
            jobs.update(id, |j| j.state = state);
        });
        id
    }
}

async fn run(jobs: &Jobs, id: Id, mut command: tokio::process::Command) -> JobState {
    let mut child = match command.spawn() {
        Ok(c) => c,
        Err(e) => return JobState::Failed(format!("the capture worker does not start: {e}")),
    };
    let (Some(stdout), Some(stderr)) = (child.stdout.take(), child.stderr.take()) else {
        return JobState::Failed("the capture worker has no output".into());
    };
    let errors = tokio::spawn(async move {
        let mut lines = BufReader::new(stderr).lines();
        let mut kept = Vec::new();
        while let Ok(Some(line)) = lines.next_line().await {
            kept.push(line);
        }
        kept
    });
    let mut reported = Vec::new();
    let mut lines = BufReader::new(stdout).lines();
    while let Ok(Some(line)) = lines.next_line().await {
        if let Ok(value) = serde_json::from_str::<serde_json::Value>(&line) {
            let shown = value
                .get("final_url")
                .or_else(|| value.get("url"))
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_owned();
            jobs.update(id, |j| j.progress = shown);
            reported.push(value);
        }
    }
    let status = child.wait().await;
    let stderr = errors.await.unwrap_or_default();
    match status {
        Ok(s) if s.success() && !reported.is_empty() => JobState::Done(reported),
        Ok(_) | Err(_) => {
            let words: Vec<&str> = stderr
                .iter()
                .map(String::as_str)
                .filter(|l| l.starts_with("error"))
                .collect();
            JobState::Failed(if words.is_empty() {
                stderr
                    .last()
                    .cloned()
                    .unwrap_or_else(|| "the capture failed".into())
            } else {
                words.join("\n")
            })
        }
    }
}

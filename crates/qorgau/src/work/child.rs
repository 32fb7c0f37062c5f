//! `capture`, `protocol`, `wacz`: jobs run as a child `qorgau capture|
//! protocol|export … --json` of this same binary. The command line's code
//! is the one its tests check, and a browser that crashes or hangs takes
//! a child down, never the worker. The child dies with the worker
//! (`PR_SET_PDEATHSIG`), so a killed worker leaves no capture running on
//! its own while another worker retries it.
//!
//! Effects are idempotent the way these commands are: a capture run twice
//! is two versions of the page (the second one later, and marked so in the
//! ledger), a protocol or a package written twice overwrites one file.

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::Stdio;

use qorgau_work::handler::HandlerFuture;
use qorgau_work::{Finish, Handler, JobError, Running};
use tokio::io::{AsyncBufReadExt, BufReader};

/// How to start a child command.
#[derive(Debug, Clone)]
pub struct ChildCommand {
    /// The `qorgau` binary.
    pub program: PathBuf,
    /// Arguments every run takes first (`--data-dir …`).
    pub args: Vec<OsString>,
    /// Environment every run gets (the database URL).
    pub env: Vec<(OsString, OsString)>,
    /// Capture over plain HTTP (no Chromium on this machine).
    pub no_browser: bool,
    /// Where protocols and packages are written for download.
    pub exports_dir: PathBuf,
}

#[derive(Debug, Clone, Copy)]
enum What {
    Capture,
    Protocol,
    Wacz,
}

/// One of the three child-command kinds.
pub struct Child {
    what: What,
    command: ChildCommand,
}

impl Child {
    /// `capture`: `{case, url, note}`.
    pub fn capture(command: ChildCommand) -> Self {
        Self {
            what: What::Capture,
            command,
        }
    }

    /// `protocol`: `{case, lang, file}`.
    pub fn protocol(command: ChildCommand) -> Self {
        Self {
            what: What::Protocol,
            command,
        }
    }

    /// `wacz`: `{case, file}`.
    pub fn wacz(command: ChildCommand) -> Self {
        Self {
            what: What::Wacz,
            command,
        }
    }
}

/// A file name a job may write: one plain name, no directories, so a
/// payload altered in the database cannot write outside the exports.
fn file_name(job: &Running) -> Result<String, JobError> {
    let name = job.arg("file")?;
    let plain = !name.is_empty()
        && name.len() <= 200
        && name != "."
        && name != ".."
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if plain {
        Ok(name.to_owned())
    } else {
        Err(JobError::Permanent(format!(
            "{name:?} is not a plain file name for an export"
        )))
    }
}

impl Handler for Child {
    fn kind(&self) -> &'static str {
        match self.what {
            What::Capture => "capture",
            What::Protocol => "protocol",
            What::Wacz => "wacz",
        }
    }

    fn run<'a>(&'a self, job: &'a Running) -> HandlerFuture<'a> {
        Box::pin(async move {
            let c = &self.command;
            let mut command = tokio::process::Command::new(&c.program);
            command.args(&c.args);
            let case = job.arg("case")?;
            let mut file = None;
            match self.what {
                What::Capture => {
                    command
                        .arg("capture")
                        .arg(job.arg("url")?)
                        .arg("--case")
                        .arg(case);
                    let note = job.lease.job.payload["note"].as_str().unwrap_or_default();
                    if !note.trim().is_empty() {
                        command.arg("--note").arg(note);
                    }
                    if c.no_browser {
                        command.arg("--no-browser");
                    }
                }
                What::Protocol => {
                    let name = file_name(job)?;
                    let path = c.exports_dir.join(&name);
                    command
                        .arg("protocol")
                        .arg(case)
                        .arg("--lang")
                        .arg(job.arg("lang")?)
                        .arg("--format")
                        .arg("pdf")
                        .arg("--out")
                        .arg(&path);
                    file = Some(name);
                }
                What::Wacz => {
                    let name = file_name(job)?;
                    let path = c.exports_dir.join(&name);
                    command.arg("export").arg(case).arg("--wacz").arg(&path);
                    file = Some(name);
                }
            }
            if file.is_some() {
                std::fs::create_dir_all(&c.exports_dir).map_err(|e| {
                    JobError::Retry(format!("cannot make {}: {e}", c.exports_dir.display()))
                })?;
            }
            command.arg("--json");
            for (k, v) in &c.env {
                command.env(k, v);
            }
            command
                .env("QORGAU_OPERATOR", &job.lease.job.submitted_by)
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .kill_on_drop(true);
            // SAFETY: prctl in the child between fork and exec touches no
            // memory of the parent; it only asks the kernel to kill the
            // child when the worker's thread that forked it dies.
            unsafe {
                command.pre_exec(|| {
                    if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) != 0 {
                        return Err(std::io::Error::last_os_error());
                    }
                    Ok(())
                });
            }
            let reported = run(job, command).await?;
            let mut result = serde_json::json!({ "reported": reported });
            if let Some(name) = file {
                result["file"] = serde_json::Value::String(name);
            }
            Ok(Finish::Result(result))
        })
    }
}

async fn run(
    job: &Running,
    mut command: tokio::process::Command,
) -> Result<Vec<serde_json::Value>, JobError> {
    let mut child = command
        .spawn()
        .map_err(|e| JobError::Retry(format!("the worker command does not start: {e}")))?;
    let (Some(stdout), Some(stderr)) = (child.stdout.take(), child.stderr.take()) else {
        return Err(JobError::Retry("the worker command has no output".into()));
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
                .unwrap_or_default();
            if !shown.is_empty() {
                job.progress(shown);
            }
            reported.push(value);
        }
    }
    let status = child
        .wait()
        .await
        .map_err(|e| JobError::Retry(format!("waiting for the worker command: {e}")))?;
    let stderr = errors.await.unwrap_or_default();
    if status.success() && !reported.is_empty() {
        return Ok(reported);
    }
    let words: Vec<&str> = stderr
        .iter()
        .map(String::as_str)
        .filter(|l| l.starts_with("error"))
        .collect();
    let words = if words.is_empty() {
        stderr
            .last()
            .cloned()
            .unwrap_or_else(|| "the command failed without a word".into())
    } else {
        words.join("\n")
    };
    // Exit 2 is bad input (no such case, a malformed address): the same
    // arguments will fail the same way.
    Err(if status.code() == Some(2) {
        JobError::Permanent(words)
    } else {
        JobError::Retry(words)
    })
}

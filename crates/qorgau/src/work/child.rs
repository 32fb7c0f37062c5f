//! `capture`, `protocol`, `wacz`, `bagit`, `monitor-run`, `scan`, `money-import`:
//! jobs run as a child `qorgau capture|protocol|export|monitor run|scan|
//! money import …` of this same binary. The command line's code
//! is the one its tests check, and a browser that crashes or hangs takes
//! a child down, never the worker. The child dies with the worker
//! (`PR_SET_PDEATHSIG`), so a killed worker leaves no capture running on
//! its own while another worker retries it.
//!
//! Effects are idempotent the way these commands are: a capture run twice
//! is two versions of the page (the second one later, and marked so in the
//! ledger), a protocol, a package or a scan's results written twice
//! overwrite one file, a monitoring run repeated finds nothing new, an
//! import repeated de-duplicates every transfer it already stored.
//!
//! Input files (`scan`, `money-import`) are plain names under
//! `<data-dir>/uploads/`, output files plain names under
//! `<data-dir>/web-exports/`: a payload altered in the database can name
//! nothing else.

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
    /// Where protocols, packages and scan results are written for download.
    pub exports_dir: PathBuf,
    /// Where files given to jobs wait (`qorgau jobs submit --input`).
    pub uploads_dir: PathBuf,
}

/// The child-command kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum What {
    /// `capture`: `{case, url, note}`.
    Capture,
    /// `protocol`: `{case, lang, file}`.
    Protocol,
    /// `wacz`: `{case, file}`.
    Wacz,
    /// `bagit`: `{case, file}` (the bag packed as one ZIP).
    Bagit,
    /// `monitor-run`: `{job}` (a monitoring job's name).
    MonitorRun,
    /// `scan`: `{input, format?, file}`.
    Scan,
    /// `money-import`: `{input, format, case?, map?}`.
    MoneyImport,
}

impl What {
    /// Every kind, for the handler list.
    pub const ALL: [What; 7] = [
        What::Capture,
        What::Protocol,
        What::Wacz,
        What::Bagit,
        What::MonitorRun,
        What::Scan,
        What::MoneyImport,
    ];
}

/// One child-command kind.
pub struct Child {
    what: What,
    command: ChildCommand,
}

impl Child {
    /// The handler of `what`.
    pub fn new(what: What, command: ChildCommand) -> Self {
        Self { what, command }
    }
}

/// A file name a job may use: one plain name, no directories, so a
/// payload altered in the database cannot reach outside its directory.
fn plain_name(job: &Running, arg: &str) -> Result<String, JobError> {
    let name = job.arg(arg)?;
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
            "{arg} {name:?} is not a plain file name"
        )))
    }
}

/// Passes the job's authorisation for marked material, if it has one, in
/// the `--option=value` form so that a value starting with a dash is still
/// a value and never an option.
fn authorised(command: &mut tokio::process::Command, job: &Running) {
    if let Some(a) = job
        .lease
        .job
        .payload
        .get("authorisation")
        .and_then(|a| a.as_str())
        .filter(|a| !a.trim().is_empty())
    {
        command.arg(format!("--restricted-authorisation={a}"));
    }
}

/// One of a fixed set of words, so a payload cannot smuggle an option.
fn word<'a>(job: &'a Running, arg: &str, allowed: &[&str]) -> Result<&'a str, JobError> {
    let value = job.arg(arg)?;
    if allowed.contains(&value) {
        Ok(value)
    } else {
        Err(JobError::Permanent(format!(
            "{arg} {value:?}: one of {}",
            allowed.join(", ")
        )))
    }
}

impl Handler for Child {
    fn kind(&self) -> &'static str {
        match self.what {
            What::Capture => "capture",
            What::Protocol => "protocol",
            What::Wacz => "wacz",
            What::Bagit => "bagit",
            What::MonitorRun => "monitor-run",
            What::Scan => "scan",
            What::MoneyImport => "money-import",
        }
    }

    fn deadline(&self) -> std::time::Duration {
        // A large export's scan or import takes longer than a page.
        std::time::Duration::from_secs(match self.what {
            What::Scan | What::MoneyImport => 6 * 3600,
            _ => 1800,
        })
    }

    fn run<'a>(&'a self, job: &'a Running) -> HandlerFuture<'a> {
        Box::pin(async move {
            let c = &self.command;
            let mut command = tokio::process::Command::new(&c.program);
            command.args(&c.args);
            let mut file = None;
            // Commands that report one JSON line per result on stdout.
            let mut reports = true;
            match self.what {
                What::Capture => {
                    command
                        .arg("capture")
                        .arg(job.arg("url")?)
                        .arg("--case")
                        .arg(job.arg("case")?);
                    let note = job.lease.job.payload["note"].as_str().unwrap_or_default();
                    if !note.trim().is_empty() {
                        command.arg("--note").arg(note);
                    }
                    if c.no_browser {
                        command.arg("--no-browser");
                    }
                }
                What::Protocol => {
                    let name = plain_name(job, "file")?;
                    command
                        .arg("protocol")
                        .arg(job.arg("case")?)
                        .arg("--lang")
                        .arg(word(job, "lang", &["ru", "kk", "en"])?)
                        .arg("--format")
                        .arg("pdf")
                        .arg("--out")
                        .arg(c.exports_dir.join(&name));
                    authorised(&mut command, job);
                    file = Some(name);
                }
                What::Wacz => {
                    let name = plain_name(job, "file")?;
                    command
                        .arg("export")
                        .arg(job.arg("case")?)
                        .arg("--wacz")
                        .arg(c.exports_dir.join(&name));
                    authorised(&mut command, job);
                    file = Some(name);
                }
                What::Bagit => {
                    let name = plain_name(job, "file")?;
                    command
                        .arg("export")
                        .arg(job.arg("case")?)
                        .arg("--bagit-zip")
                        .arg(c.exports_dir.join(&name));
                    authorised(&mut command, job);
                    file = Some(name);
                }
                What::MonitorRun => {
                    command.arg("monitor").arg("run").arg(job.arg("job")?);
                }
                What::Scan => {
                    let input = plain_name(job, "input")?;
                    let name = plain_name(job, "file")?;
                    let format = match job.lease.job.payload.get("format") {
                        Some(_) => word(
                            job,
                            "format",
                            &qorgau_sources::Format::ALL.map(qorgau_sources::Format::name),
                        )?,
                        None => "auto",
                    };
                    command
                        .arg("scan")
                        .arg("--approved-lexicon")
                        .arg(c.uploads_dir.join(&input))
                        .arg("--format")
                        .arg(format)
                        .args(
                            job.lease
                                .job
                                .payload
                                .get("text_column")
                                .and_then(|v| v.as_str())
                                .map(|c| ["--text-column", c])
                                .into_iter()
                                .flatten(),
                        )
                        .arg("--out")
                        .arg(c.exports_dir.join(&name));
                    file = Some(name);
                    reports = false;
                }
                What::MoneyImport => {
                    let input = plain_name(job, "input")?;
                    command
                        .arg("money")
                        .arg("import")
                        .arg(c.uploads_dir.join(&input))
                        .arg("--format")
                        .arg(word(
                            job,
                            "format",
                            &["tron-csv", "erc20-csv", "btc-json", "bank-csv"],
                        )?);
                    if job.lease.job.payload.get("case").is_some() {
                        command.arg("--case").arg(job.arg("case")?);
                    }
                    if job.lease.job.payload.get("map").is_some() {
                        command.arg("--map").arg(job.arg("map")?);
                    }
                }
            }
            if file.is_some() {
                std::fs::create_dir_all(&c.exports_dir).map_err(|e| {
                    JobError::Retry(format!("cannot make {}: {e}", c.exports_dir.display()))
                })?;
            }
            if reports {
                command.arg("--json");
            }
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
            let reported = run(job, command, reports, self.what == What::MoneyImport).await?;
            let mut result = serde_json::json!({ "reported": reported });
            if let Some(name) = file {
                if self.what == What::Scan {
                    result["scanned"] = scan_counts(&c.exports_dir.join(&name));
                }
                result["file"] = serde_json::Value::String(name);
            }
            Ok(Finish::Result(result))
        })
    }
}

/// How many documents a scan's results hold, and how many are flagged.
fn scan_counts(path: &std::path::Path) -> serde_json::Value {
    use std::io::BufRead;
    let Ok(file) = std::fs::File::open(path) else {
        return serde_json::Value::Null;
    };
    let (mut documents, mut flagged) = (0u64, 0u64);
    for line in std::io::BufReader::new(file).lines().map_while(Result::ok) {
        documents += 1;
        if line.contains("\"flagged\":true") {
            flagged += 1;
        }
    }
    serde_json::json!({ "documents": documents, "flagged": flagged })
}

/// A progress line of a child command (`crate::output::report_progress`)
/// as the job's progress: `done/total unit`, or `done unit` when the total
/// is unknown — the form the web page draws a bar from.
fn progress_of(line: &str) -> Option<String> {
    if !line.starts_with("{\"progress\"") {
        return None;
    }
    let value: serde_json::Value = serde_json::from_str(line).ok()?;
    let p = value.get("progress")?;
    let done = p.get("done")?.as_u64()?;
    let unit = p.get("unit")?.as_str()?;
    Some(match p.get("total").and_then(serde_json::Value::as_u64) {
        Some(total) => format!("{done}/{total} {unit}"),
        None => format!("{done} {unit}"),
    })
}

async fn run(
    job: &Running,
    mut command: tokio::process::Command,
    reports: bool,
    import: bool,
) -> Result<Vec<serde_json::Value>, JobError> {
    command.env(crate::output::PROGRESS_ENV, "1");
    let mut child = command
        .spawn()
        .map_err(|e| JobError::Retry(format!("the worker command does not start: {e}")))?;
    let (Some(stdout), Some(stderr)) = (child.stdout.take(), child.stderr.take()) else {
        return Err(JobError::Retry("the worker command has no output".into()));
    };
    // Both streams at once: results on stdout, progress and errors on
    // stderr (a scan writes nothing on stdout until it ends).
    let mut reported = Vec::new();
    let mut stderr_kept = Vec::new();
    let mut out = BufReader::new(stdout).lines();
    let mut err = BufReader::new(stderr).lines();
    let (mut out_open, mut err_open) = (true, true);
    while out_open || err_open {
        tokio::select! {
            line = out.next_line(), if out_open => match line {
                Ok(Some(line)) => {
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
                _ => out_open = false,
            },
            line = err.next_line(), if err_open => match line {
                Ok(Some(line)) => match progress_of(&line) {
                    Some(shown) => job.progress(&shown),
                    None => stderr_kept.push(line),
                },
                _ => err_open = false,
            },
        }
    }
    let status = child
        .wait()
        .await
        .map_err(|e| JobError::Retry(format!("waiting for the worker command: {e}")))?;
    let stderr = stderr_kept;
    if status.success() && (!reports || !reported.is_empty()) {
        return Ok(reported);
    }
    // An import that kept its good rows and reported its bad ones (exit 1
    // with its report) is done: the bad rows, line by line, are in the
    // result, and running it again would only meet them again.
    if import && status.code() == Some(1) && reported.iter().any(|r| r.get("row_errors").is_some())
    {
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

#[cfg(test)]
mod progress_tests {
    use super::progress_of;

    #[test]
    fn a_child_s_progress_lines_become_the_job_s_progress() {
        assert_eq!(
            progress_of(r#"{"progress":{"done":512,"total":2048,"unit":"bytes"}}"#).as_deref(),
            Some("512/2048 bytes")
        );
        assert_eq!(
            progress_of(r#"{"progress":{"done":40,"total":null,"unit":"documents"}}"#).as_deref(),
            Some("40 documents")
        );
        assert_eq!(progress_of("error: something"), None);
        assert_eq!(progress_of(r#"{"progress":"broken"#), None);
    }
}

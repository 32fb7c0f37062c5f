//! Shared output helpers: JSON lines, progress bars, input errors.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde::Serialize;

/// Bad input named by the user: exit code 2.
#[derive(Debug)]
pub struct InputError(pub String);

impl std::fmt::Display for InputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for InputError {}

/// Prints one JSON object on its own line to stdout.
pub fn json_line<T: Serialize>(value: &T) {
    match serde_json::to_string(value) {
        Ok(line) => println!("{line}"),
        Err(e) => eprintln!("error: cannot encode output as JSON: {e}"),
    }
}

/// Set by a worker on the commands it runs: long commands then also write
/// their progress to stderr as JSON lines once a second
/// (`{"progress":{"done":N,"total":M,"unit":"bytes"}}`), which the worker
/// puts on the job's page — a terminal bar is invisible when stderr is a
/// pipe.
pub const PROGRESS_ENV: &str = "QORGAU_PROGRESS_JSON";

/// Reports `bar` as JSON lines on stderr while it runs, when a worker asked
/// for it ([`PROGRESS_ENV`]); `unit` names what it counts. The last line,
/// written when the returned guard is dropped, is where the bar ended.
pub fn report_progress(bar: &ProgressBar, unit: &'static str) -> ProgressReport {
    let enabled = std::env::var_os(PROGRESS_ENV).is_some();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    if enabled {
        let (bar, stop) = (bar.clone(), std::sync::Arc::clone(&stop));
        std::thread::spawn(move || {
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                progress_line(&bar, unit);
                std::thread::sleep(std::time::Duration::from_secs(1));
            }
        });
    }
    ProgressReport {
        bar: enabled.then(|| bar.clone()),
        unit,
        stop,
    }
}

fn progress_line(bar: &ProgressBar, unit: &str) {
    let line = serde_json::json!({ "progress": {
        "done": bar.position(), "total": bar.length(), "unit": unit,
    }});
    eprintln!("{line}");
}

/// Stops the progress lines of [`report_progress`], writing the last one.
pub struct ProgressReport {
    bar: Option<ProgressBar>,
    unit: &'static str,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl Drop for ProgressReport {
    fn drop(&mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
        if let Some(bar) = &self.bar {
            progress_line(bar, self.unit);
        }
    }
}

/// A counting progress bar on stderr (files, blobs); invisible when stderr
/// is not a terminal.
pub fn count_bar(total: u64, message: &'static str) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} eta {eta}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    bar.set_message(message);
    bar
}

/// A byte-progress bar on stderr; invisible when stderr is not a terminal.
pub fn byte_bar(total: u64, message: &'static str) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template(
            "{msg} [{bar:30}] {bytes}/{total_bytes} {binary_bytes_per_sec} eta {eta}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> "),
    );
    bar.set_message(message);
    bar
}

//! `qorgau capture URL… --case CASE [--note TEXT] [--no-browser] [--json]`,
//! `qorgau capture --list [URL] [--case CASE]`,
//! `qorgau capture --diff CAPTURE [CAPTURE]`

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use futures_util::StreamExt;
use indicatif::ProgressBar;
use qorgau_capture::{
    CaptureOptions, CaptureView, Capturer, ChannelLimits, HttpEngine, PageCapture, Provenance,
    capture_channel, channel_of,
};
use qorgau_core::{Id, Sha256Digest, Timestamp};
use qorgau_evidence::{CaptureRecord, ItemRecord};
use qorgau_store::{CaptureFilter, ItemFilter};
use qorgau_vault::Vault;
use qorgau_vault::capture::{
    CaptureDraft, StagingArea, StoredCapture, open_staging, store_captures,
};
use serde::Serialize;

use crate::cmd::case_name;
use crate::output::{InputError, json_line};

/// Arguments of `capture`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Pages to preserve; a `https://t.me/s/CHANNEL` URL pages back through the channel.
    #[arg(value_name = "URL")]
    urls: Vec<String>,
    /// The case to file the captures under; opened if it does not exist yet.
    #[arg(long, value_name = "CASE")]
    case: Option<String>,
    /// A note kept with every item (why the page is preserved).
    #[arg(long, value_name = "TEXT")]
    note: Option<String>,
    /// Capture over plain HTTP, without a browser (no scripts, no screenshot).
    #[arg(long)]
    no_browser: bool,
    /// The Chromium binary (default: QORGAU_CHROMIUM, else `chromium` on PATH).
    #[arg(long, value_name = "PATH", env = "QORGAU_CHROMIUM")]
    chromium: Option<PathBuf>,
    /// Seconds to wait for a page to load before keeping what arrived (marked partial).
    #[arg(long, value_name = "SECONDS", default_value_t = 20)]
    timeout: u64,
    /// Treat every URL as a channel preview (`…/s/CHANNEL`), also off t.me.
    #[arg(long)]
    channel: bool,
    /// Channels: stop at posts older than this date (YYYY-MM-DD, UTC).
    #[arg(long, value_name = "DATE")]
    until: Option<String>,
    /// Channels: keep at most this many posts (the newest).
    #[arg(long, value_name = "N", default_value_t = 200)]
    max_posts: usize,
    /// List the captures (of URL, if given; of --case, if given) with their versions.
    #[arg(long, conflicts_with = "diff")]
    list: bool,
    /// Show what changed between two captures (ids), or between the last two captures of a URL.
    #[arg(long, num_args = 1..=2, value_name = "CAPTURE|URL")]
    diff: Option<Vec<String>>,
    /// The public network address this machine reaches the internet from,
    /// when it is behind NAT (for the protocol; default: the local interface
    /// address towards each server).
    #[arg(long, value_name = "ADDRESS", env = "QORGAU_PUBLIC_ADDRESS")]
    public_address: Option<String>,
    /// Time-stamp each capture's manifest hash at this RFC 3161 authority
    /// (`http(s)://…`); the token is stored with the capture and checked by `verify`.
    #[arg(long, value_name = "URL", env = "QORGAU_TSA")]
    tsa: Option<String>,
    /// Print JSON lines on stdout.
    #[arg(long)]
    json: bool,
}

/// One stored capture, as `--json` prints it.
#[derive(Serialize)]
struct CapturedLine<'a> {
    capture: String,
    case: &'a str,
    kind: &'a str,
    engine: &'a str,
    url: &'a str,
    final_url: &'a str,
    http_status: Option<u16>,
    partial: Option<&'a str>,
    manifest_sha256: String,
    items: u64,
    bytes: u64,
    started_at: String,
    finished_at: String,
    version: usize,
    ledger_entry: String,
    time_stamp_authority: Option<&'a str>,
    warnings: &'a [String],
}

/// Runs `capture`.
pub async fn run(vault: &Vault, args: &Args) -> anyhow::Result<ExitCode> {
    if args.list {
        return list(vault, args).await;
    }
    if let Some(ids) = &args.diff {
        return diff(vault, args, ids).await;
    }
    if args.urls.is_empty() {
        return Err(InputError("name at least one URL to capture".into()).into());
    }
    let case_text = args
        .case
        .as_deref()
        .ok_or_else(|| InputError("--case is required to capture".into()))?;
    let case = case_name(case_text)?;
    for url in &args.urls {
        check_url(url)?;
    }
    if let Some(tsa) = &args.tsa {
        check_tsa(tsa)?;
    }
    let until = match &args.until {
        None => None,
        Some(d) => Some(
            chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d")
                .map_err(|e| InputError(format!("--until {d:?} is not a date YYYY-MM-DD: {e}")))?
                .and_hms_opt(0, 0, 0)
                .map(|t| t.and_utc())
                .ok_or_else(|| InputError(format!("--until {d:?} is not a date")))?,
        ),
    };
    let options = CaptureOptions {
        load_timeout: Duration::from_secs(args.timeout.max(1)),
        ..CaptureOptions::default()
    };
    let capturer = if args.no_browser {
        Capturer::Http(HttpEngine::new(options)?)
    } else {
        let chromium = qorgau_capture::find_chromium(args.chromium.as_deref())?;
        Capturer::Browser(Box::new(
            qorgau_capture::BrowserEngine::launch(&chromium, options).await?,
        ))
    };
    let staging = open_staging(vault)?;
    let limits = ChannelLimits {
        until,
        max_posts: args.max_posts.max(1),
        ..ChannelLimits::default()
    };
    let progress = (!args.json).then(|| {
        let bar = ProgressBar::new(args.urls.len() as u64).with_style(
            indicatif::ProgressStyle::with_template("{spinner} {pos}/{len} {wide_msg}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
        );
        bar.enable_steady_tick(Duration::from_millis(120));
        bar
    });
    let mut failed = 0;
    let mut pending: Vec<Pending> = Vec::new();
    let mut oldest = std::time::Instant::now();
    // Plain HTTP captures overlap (a page's round trips with another's
    // writing); the browser takes one page at a time.
    let parallel = match capturer {
        Capturer::Http(_) => HTTP_PARALLEL,
        Capturer::Browser(_) => 1,
    };
    let mut captured =
        futures_util::stream::iter(args.urls.iter())
            .map(|url| {
                let (capturer, case, limits, progress) =
                    (&capturer, &case, &limits, progress.as_ref());
                let staging = &staging;
                async move {
                    capture_one(vault, staging, capturer, args, case, url, limits, progress).await
                }
            })
            .buffered(parallel);
    while let Some(result) = captured.next().await {
        match result {
            Ok(p) => {
                if pending.is_empty() {
                    oldest = std::time::Instant::now();
                }
                pending.push(p);
            }
            Err(e) => {
                failed += 1;
                if let Some(bar) = &progress {
                    bar.suspend(|| eprintln!("error: {e:#}"));
                } else {
                    eprintln!("error: {e:#}");
                }
            }
        }
        if let Some(bar) = &progress {
            bar.inc(1);
        }
        // Captures are stored in runs (one sync, one transaction), but
        // never held back long: a page captured is evidence only once stored.
        if pending.len() >= FLUSH_CAPTURES || oldest.elapsed() >= FLUSH_AFTER {
            failed += flush(vault, args, &case, &mut pending, progress.as_ref()).await?;
        }
    }
    drop(captured);
    failed += flush(vault, args, &case, &mut pending, progress.as_ref()).await?;
    if let Some(bar) = progress {
        bar.finish_and_clear();
    }
    capturer.close().await;
    Ok(if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Captures stored together at most.
const FLUSH_CAPTURES: usize = 64;
/// Pages captured at once over plain HTTP.
const HTTP_PARALLEL: usize = 4;
/// Longest a capture waits in staging before it is stored.
const FLUSH_AFTER: Duration = Duration::from_secs(10);

/// A capture written to staging, waiting to be stored.
struct Pending {
    draft: CaptureDraft,
    warnings: Vec<String>,
    /// False when something asked for (a time-stamp) is missing.
    complete: bool,
}

/// Stores the pending captures and reports each; returns how many failed.
async fn flush(
    vault: &Vault,
    args: &Args,
    case: &qorgau_core::CaseName,
    pending: &mut Vec<Pending>,
    progress: Option<&ProgressBar>,
) -> anyhow::Result<usize> {
    if pending.is_empty() {
        return Ok(0);
    }
    if let Some(bar) = progress {
        bar.set_message(format!("storing {} capture(s) in the vault", pending.len()));
    }
    let drafts: Vec<CaptureDraft> = pending.iter().map(|p| p.draft.clone()).collect();
    let results = store_captures(vault, &drafts, &Quiet).await?;
    let mut failed = 0;
    for (p, result) in pending.drain(..).zip(results) {
        match result {
            Ok(stored) => {
                let version = vault
                    .store
                    .captures(&CaptureFilter {
                        url: Some(p.draft.url.clone()),
                        ..CaptureFilter::default()
                    })
                    .await?
                    .len();
                let print = || report(args, case.as_str(), &stored, version, &p.warnings);
                match progress {
                    Some(bar) => bar.suspend(print),
                    None => print(),
                }
                if !p.complete {
                    failed += 1;
                }
            }
            Err(e) => {
                failed += 1;
                eprintln!("error: {e:#}");
            }
        }
    }
    Ok(failed)
}

fn check_tsa(tsa: &str) -> anyhow::Result<()> {
    match url::Url::parse(tsa) {
        Ok(u) if matches!(u.scheme(), "http" | "https") => Ok(()),
        Ok(_) => Err(InputError(format!(
            "--tsa {tsa:?}: a time-stamping authority is reached over http or https; nothing was captured"
        ))
        .into()),
        Err(e) => Err(InputError(format!(
            "--tsa {tsa:?} is not a URL: {e}; nothing was captured"
        ))
        .into()),
    }
}

fn check_url(url: &str) -> anyhow::Result<()> {
    let parsed = url::Url::parse(url)
        .map_err(|e| InputError(format!("{url:?} is not a URL: {e}; nothing was captured")))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(InputError(format!(
            "{url:?}: only http and https pages can be captured; nothing was captured"
        ))
        .into());
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)] // one capture's whole context, all borrowed
async fn capture_one(
    vault: &Vault,
    staging: &StagingArea,
    capturer: &Capturer,
    args: &Args,
    case: &qorgau_core::CaseName,
    url: &str,
    limits: &ChannelLimits,
    progress: Option<&ProgressBar>,
) -> anyhow::Result<Pending> {
    let id = Id::new();
    let dir = staging.dir.join(format!("capture-{id}"));
    let who = Provenance {
        capture_id: id,
        operator: vault.actor.clone(),
        tool: vault.tool.clone(),
        note: args.note.clone(),
    };
    let spinner = progress;
    if let Some(s) = spinner {
        s.set_message(format!("capturing {url}"));
    }
    let is_channel = args.channel || channel_of(url).is_some();
    let (bundle, page_facts, kind, mut warnings) = if is_channel {
        let channel = capture_channel(capturer, url, limits, |page, posts| {
            if let Some(s) = spinner {
                s.set_message(format!("{} ({posts} posts so far)", page.final_url));
            }
        })
        .await?;
        let bundle = qorgau_capture::write_channel(&dir, &channel, &who)
            .with_context(|| format!("writing the capture of {url} to {}", dir.display()))?;
        let first = channel.pages.first().cloned();
        let mut warnings: Vec<String> = channel
            .pages
            .iter()
            .flat_map(|p| p.warnings.iter().cloned())
            .collect();
        warnings.dedup();
        warnings.push(format!(
            "{} posts on {} pages; {}",
            channel.posts.len(),
            channel.pages.len(),
            channel.stopped
        ));
        (bundle, first, "channel", warnings)
    } else {
        let page = capturer.capture(url).await?;
        let bundle = qorgau_capture::write_page(&dir, &page, &who)
            .with_context(|| format!("writing the capture of {url} to {}", dir.display()))?;
        let warnings = page.warnings.clone();
        (bundle, Some(page), "page", warnings)
    };
    let manifest_sha256 = Sha256Digest::parse(&bundle.manifest_sha256)
        .map_err(|e| anyhow::anyhow!("manifest digest: {e}"))?;
    // A capture is stored even when the authority cannot be reached: the
    // page may be gone tomorrow, the time-stamp is an addition to it.
    let mut stamped = None;
    let mut complete = true;
    if let Some(tsa) = &args.tsa {
        if let Some(s) = spinner {
            s.set_message(format!("time-stamping the capture of {url} at {tsa}"));
        }
        match qorgau_capture::time_stamp_manifest(
            tsa,
            *manifest_sha256.as_bytes(),
            &dir,
            Duration::from_secs(args.timeout.max(1)),
        )
        .await
        {
            Ok(token) => stamped = Some((tsa.clone(), token)),
            Err(e) => {
                complete = false;
                warnings.push(format!(
                    "NOT TIME-STAMPED: {e}; the capture is stored without a token"
                ));
            }
        }
    }
    let page: Option<&PageCapture> = page_facts.as_ref();
    let summary = serde_json::json!({
        "title": page.and_then(|p| p.title.clone()),
        "server_ip": page.and_then(|p| p.server_ip.clone()),
        "source_address": args.public_address.clone().or_else(|| {
            page.and_then(|p| p.server_ip.as_deref())
                .and_then(qorgau_capture::local_address_towards)
        }),
        "tls": page.and_then(|p| p.tls.clone()),
        "browser": page.and_then(|p| p.browser_version.clone()),
        "user_agent": page.map(|p| p.user_agent.clone()),
        "viewport": page.and_then(|p| p.viewport),
        "screenshot_note": page.and_then(|p| p.screenshot_note.clone()),
        "requests": page.map(|p| p.exchanges.len()),
        "redirects": page.map(redirects).unwrap_or_default(),
        "scrolled": capturer.engine() == qorgau_capture::Engine::Browser,
        "warnings": warnings,
        "files": bundle.files,
        "time_stamp": stamped.as_ref().map(|(tsa, token)| serde_json::json!({
            "authority": tsa,
            "file": qorgau_capture::TOKEN_FILE,
            "gen_time": token.info().gen_time.to_rfc3339(),
            "serial_number": hex::encode(&token.info().serial_number),
            "policy": token.info().policy,
            "signer": token.info().signer_subject,
        })),
    });
    let draft = CaptureDraft {
        id,
        dir: dir.clone(),
        case: case.clone(),
        note: args.note.clone(),
        kind: kind.to_owned(),
        engine: capturer.engine().as_str().to_owned(),
        url: url.to_owned(),
        final_url: page.map_or_else(|| url.to_owned(), |p| p.final_url.clone()),
        started_at: page.map_or_else(Timestamp::now, |p| p.started_at),
        finished_at: Timestamp::now(),
        http_status: page.and_then(|p| p.status),
        partial: page.and_then(|p| p.partial.clone()),
        manifest_sha256,
        time_stamp: stamped.as_ref().map(|(tsa, token)| {
            use base64::Engine;
            (
                base64::engine::general_purpose::STANDARD.encode(token.der()),
                tsa.clone(),
            )
        }),
        summary,
    };
    Ok(Pending {
        draft,
        warnings,
        complete,
    })
}

/// The redirects the page went through, hop by hop, for the protocol.
fn redirects(page: &PageCapture) -> Vec<serde_json::Value> {
    let mut out = Vec::new();
    let mut url = page.requested_url.as_str();
    for e in &page.exchanges {
        if e.request.url != url {
            continue;
        }
        let Some(r) = &e.response else { break };
        if !(300..400).contains(&r.status) {
            break;
        }
        let Some(to) = r
            .header("location")
            .and_then(|l| url::Url::parse(url).ok()?.join(l).ok())
        else {
            break;
        };
        out.push(serde_json::json!({"from": url, "to": to.as_str(), "status": r.status}));
        url = page
            .exchanges
            .iter()
            .find(|x| x.request.url == to.as_str())
            .map_or(url, |x| x.request.url.as_str());
        if url != to.as_str() {
            break;
        }
    }
    out
}

/// The acquisition inside a capture reports nothing of its own.
struct Quiet;
impl qorgau_vault::AcquireObserver for Quiet {}

fn report(args: &Args, case: &str, stored: &StoredCapture, version: usize, warnings: &[String]) {
    let r = &stored.record;
    if args.json {
        json_line(&CapturedLine {
            capture: r.id.to_string(),
            case,
            kind: &r.kind,
            engine: &r.engine,
            url: &r.url,
            final_url: &r.final_url,
            http_status: r.http_status,
            partial: r.partial.as_deref(),
            manifest_sha256: r.manifest_sha256.to_hex(),
            items: stored.items,
            bytes: stored.bytes,
            started_at: r.started_at.to_utc_string(),
            finished_at: r.finished_at.to_utc_string(),
            version,
            ledger_entry: format!("{}#{}", stored.entry.chain, stored.entry.seq),
            time_stamp_authority: r.time_stamp_authority.as_deref(),
            warnings,
        });
        return;
    }
    let status = r
        .http_status
        .map_or_else(|| "no status".to_owned(), |s| format!("HTTP {s}"));
    eprintln!(
        "captured {} → {} ({status}) as capture {} (version {version} of this URL): {} items, {} bytes, manifest sha256 {}",
        r.url, r.final_url, r.id, stored.items, stored.bytes, r.manifest_sha256
    );
    if let Some(p) = &r.partial {
        eprintln!("  PARTIAL: {p}");
    }
    if let Some(tsa) = &r.time_stamp_authority {
        eprintln!(
            "  manifest time-stamped by {tsa} (token {})",
            qorgau_capture::TOKEN_FILE
        );
    }
    for w in warnings {
        eprintln!("  note: {w}");
    }
}

async fn list(vault: &Vault, args: &Args) -> anyhow::Result<ExitCode> {
    let case_id = match &args.case {
        Some(c) => Some(crate::cmd::find_case(vault, c).await?.id),
        None => None,
    };
    let url = args.urls.first().cloned();
    let captures = vault
        .store
        .captures(&CaptureFilter { case_id, url })
        .await?;
    let mut versions: std::collections::HashMap<&str, usize> = Default::default();
    for c in &captures {
        let v = versions.entry(c.url.as_str()).or_default();
        *v += 1;
        if args.json {
            json_line(&serde_json::json!({
                "capture": c.id.to_string(),
                "version": *v,
                "kind": c.kind,
                "engine": c.engine,
                "url": c.url,
                "final_url": c.final_url,
                "http_status": c.http_status,
                "partial": c.partial,
                "started_at": c.started_at.to_utc_string(),
                "manifest_sha256": c.manifest_sha256.to_hex(),
            }));
        } else {
            println!(
                "{}  v{}  {}  {}  {}{}",
                c.id,
                v,
                c.started_at.to_utc_string(),
                c.http_status
                    .map_or_else(|| "---".to_owned(), |s| s.to_string()),
                c.url,
                if c.partial.is_some() {
                    "  (partial)"
                } else {
                    ""
                }
            );
        }
    }
    if captures.is_empty() && !args.json {
        eprintln!("no captures");
    }
    Ok(ExitCode::SUCCESS)
}

/// Finds a capture by id.
async fn capture_by_id(vault: &Vault, text: &str) -> anyhow::Result<CaptureRecord> {
    let id =
        Id::parse(text).map_err(|e| InputError(format!("{text:?} is not a capture id: {e}")))?;
    vault
        .store
        .capture(id)
        .await?
        .ok_or_else(|| InputError(format!("there is no capture {text}")).into())
}

async fn diff(vault: &Vault, args: &Args, ids: &[String]) -> anyhow::Result<ExitCode> {
    let (before, after) = match ids {
        [a, b] => (
            capture_by_id(vault, a).await?,
            capture_by_id(vault, b).await?,
        ),
        [url] => {
            let all = vault
                .store
                .captures(&CaptureFilter {
                    url: Some(url.clone()),
                    ..CaptureFilter::default()
                })
                .await?;
            match all.as_slice() {
                [.., a, b] => (a.clone(), b.clone()),
                _ => {
                    return Err(InputError(format!(
                        "{url} has {} capture(s); two are needed to compare",
                        all.len()
                    ))
                    .into());
                }
            }
        }
        _ => return Err(InputError("--diff takes one URL or two capture ids".into()).into()),
    };
    let a = view(vault, &before).await?;
    let b = view(vault, &after).await?;
    let d = qorgau_capture::diff(&a, &b);
    if args.json {
        json_line(&serde_json::json!({
            "before": before.id.to_string(),
            "after": after.id.to_string(),
            "before_at": before.started_at.to_utc_string(),
            "after_at": after.started_at.to_utc_string(),
            "same": d.is_empty(),
            "changes": d,
        }));
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "capture {} ({}) → capture {} ({})",
        before.id,
        before.started_at.to_utc_string(),
        after.id,
        after.started_at.to_utc_string()
    );
    if d.is_empty() {
        println!("no differences in status, address, title, text, links or media");
    }
    for f in &d.fields {
        println!("{}: {} → {}", f.field, f.before, f.after);
    }
    if !d.text.is_empty() {
        println!("text:");
        for l in &d.text {
            println!("  {} {}", l.sign, l.line);
        }
    }
    for l in &d.links_added {
        println!("link added: {l}");
    }
    for l in &d.links_removed {
        println!("link removed: {l}");
    }
    for (n, s) in &d.media_added {
        println!("media added: {n} (sha256 {s})");
    }
    for (n, s) in &d.media_removed {
        println!("media removed: {n} (sha256 {s})");
    }
    Ok(ExitCode::SUCCESS)
}

/// Reads a capture's text files back from the vault (re-hashed on read).
async fn view(vault: &Vault, capture: &CaptureRecord) -> anyhow::Result<CaptureView> {
    let items = vault
        .store
        .items(&ItemFilter {
            acquisition_id: Some(capture.acquisition_id),
            ..ItemFilter::default()
        })
        .await?;
    let read = async |item: &ItemRecord| -> anyhow::Result<String> {
        let bytes = crate::cmd::read_item(vault, item).await?;
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    };
    // A channel's first page stands for the channel.
    let prefix = if capture.kind == "channel" {
        "page-01/"
    } else {
        ""
    };
    let named = |name: &str| {
        let want = format!("{prefix}{name}");
        items
            .iter()
            .find(|i| i.relative_path == want || i.relative_path.ends_with(&format!("/{want}")))
    };
    let mut v = CaptureView {
        final_url: capture.final_url.clone(),
        status: capture.http_status,
        ..CaptureView::default()
    };
    if let Some(i) = named("title.txt") {
        v.title = Some(read(i).await?);
    }
    if let Some(i) = named("text.txt") {
        v.text = read(i).await?;
    }
    if let Some(i) = named("links.txt") {
        v.links = read(i).await?.lines().map(str::to_owned).collect();
    }
    for i in &items {
        if i.relative_path.contains(&format!("{prefix}media/")) {
            let name = i
                .file_name
                .split_once('-')
                .map_or(i.file_name.as_str(), |(_, n)| n);
            v.media.push((name.to_owned(), i.sha256.to_hex()));
        }
    }
    Ok(v)
}

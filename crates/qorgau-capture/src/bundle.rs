//! A capture as files: what goes into the vault, one item per file.
//!
//! ```text
//! capture.warc.gz   every request and response, warcinfo and metadata
//! screenshot.png    full page (browser)
//! dom.html          the rendered DOM (browser)
//! title.txt         the page title
//! text.txt          the visible text
//! links.txt         outgoing links, one per line
//! media/NN-name     each embedded image, video or audio file
//! capture.json      what the capture found (URL, final URL, status, server
//!                   IP, certificate, times, browser, viewport, warnings)
//! manifest.json     every file above with its size, MD5 and SHA-256
//! ```
//!
//! A channel capture holds one such set per preview page (`page-01/`…) and
//! one `posts/<id>.json` per post. The manifest is written last; its hash is
//! what a time-stamping authority signs and what the capture record names,
//! so one hash vouches for every file of the capture.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use md5::Digest as _;
use qorgau_core::{Actor, Id, Tool};
use serde::Serialize;

use crate::model::PageCapture;
use crate::telegram::ChannelCapture;
use crate::warc_out;

/// One file of a capture, as listed in its manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BundleFile {
    /// Path inside the capture directory, `/`-separated.
    pub path: String,
    /// What it is: `warc`, `screenshot`, `dom`, `title`, `text`, `links`,
    /// `media`, `capture`, `post`.
    pub role: String,
    /// Size in bytes.
    pub size: u64,
    /// MD5, hex.
    pub md5: String,
    /// SHA-256, hex.
    pub sha256: String,
}

/// A capture written to a directory.
#[derive(Debug, Clone)]
pub struct Bundle {
    /// The directory.
    pub dir: PathBuf,
    /// Its files (without the manifest).
    pub files: Vec<BundleFile>,
    /// The manifest's SHA-256, hex.
    pub manifest_sha256: String,
}

/// Who and what made a capture; goes into the WARC's `warcinfo` and the
/// manifest.
#[derive(Debug, Clone)]
pub struct Provenance {
    /// The capture's id.
    pub capture_id: Id,
    /// The operator and machine.
    pub operator: Actor,
    /// The software.
    pub tool: Tool,
    /// The operator's note.
    pub note: Option<String>,
}

/// Writes one page capture into `dir` (created; must not exist).
pub fn write_page(dir: &Path, capture: &PageCapture, who: &Provenance) -> io::Result<Bundle> {
    fs::create_dir_all(dir)?;
    let mut files = Vec::new();
    write_page_files(dir, "", capture, who, &mut files)?;
    finish(
        dir,
        files,
        who,
        "page",
        &capture.requested_url,
        &capture.final_url,
    )
}

/// Writes a channel capture into `dir`: each preview page in `page-NN/`,
/// each post in `posts/<id>.json`.
pub fn write_channel(dir: &Path, channel: &ChannelCapture, who: &Provenance) -> io::Result<Bundle> {
    fs::create_dir_all(dir)?;
    let mut files = Vec::new();
    for (i, page) in channel.pages.iter().enumerate() {
        let sub = format!("page-{:02}/", i + 1);
        fs::create_dir_all(dir.join(&sub))?;
        write_page_files(dir, &sub, page, who, &mut files)?;
    }
    fs::create_dir_all(dir.join("posts"))?;
    for post in &channel.posts {
        let bytes = serde_json::to_vec_pretty(post).map_err(io::Error::other)?;
        files.push(put(
            dir,
            &format!("posts/{}.json", post.id),
            "post",
            &bytes,
        )?);
    }
    let summary = serde_json::json!({
        "channel": channel.channel,
        "pages": channel.pages.len(),
        "posts": channel.posts.len(),
        "first_post": channel.posts.first().map(|p| p.id),
        "last_post": channel.posts.last().map(|p| p.id),
        "stopped": channel.stopped,
    });
    let bytes = serde_json::to_vec_pretty(&summary).map_err(io::Error::other)?;
    files.push(put(dir, "channel.json", "capture", &bytes)?);
    let first = channel.pages.first();
    finish(
        dir,
        files,
        who,
        "channel",
        first.map_or("", |p| p.requested_url.as_str()),
        first.map_or("", |p| p.final_url.as_str()),
    )
}

fn write_page_files(
    dir: &Path,
    prefix: &str,
    capture: &PageCapture,
    who: &Provenance,
    files: &mut Vec<BundleFile>,
) -> io::Result<()> {
    let warc = warc_out::warc_bytes(capture, who, &format!("{prefix}capture.warc.gz"))?;
    files.push(put(
        dir,
        &format!("{prefix}capture.warc.gz"),
        "warc",
        &warc,
    )?);
    if let Some(png) = &capture.screenshot_png {
        files.push(put(
            dir,
            &format!("{prefix}screenshot.png"),
            "screenshot",
            png,
        )?);
    }
    if let Some(dom) = &capture.dom_html {
        files.push(put(
            dir,
            &format!("{prefix}dom.html"),
            "dom",
            dom.as_bytes(),
        )?);
    }
    if let Some(title) = &capture.title {
        files.push(put(
            dir,
            &format!("{prefix}title.txt"),
            "title",
            title.as_bytes(),
        )?);
    }
    files.push(put(
        dir,
        &format!("{prefix}text.txt"),
        "text",
        capture.visible_text.as_bytes(),
    )?);
    let mut links = capture.links.join("\n");
    if !links.is_empty() {
        links.push('\n');
    }
    files.push(put(
        dir,
        &format!("{prefix}links.txt"),
        "links",
        links.as_bytes(),
    )?);
    let mut media_index = 0;
    for (exchange, response) in capture.media() {
        media_index += 1;
        if media_index == 1 {
            fs::create_dir_all(dir.join(format!("{prefix}media")))?;
        }
        let name = media_name(
            media_index,
            &exchange.request.url,
            response.media_type().as_deref(),
        );
        files.push(put(
            dir,
            &format!("{prefix}media/{name}"),
            "media",
            &response.body,
        )?);
    }
    let facts = serde_json::json!({
        "capture": capture,
        "requests": capture.exchanges.len(),
        "failed_requests": capture.exchanges.iter().filter(|e| e.error.is_some()).count(),
    });
    let bytes = serde_json::to_vec_pretty(&facts).map_err(io::Error::other)?;
    files.push(put(
        dir,
        &format!("{prefix}capture.json"),
        "capture",
        &bytes,
    )?);
    Ok(())
}

/// Writes the manifest and returns the bundle.
fn finish(
    dir: &Path,
    files: Vec<BundleFile>,
    who: &Provenance,
    kind: &str,
    url: &str,
    final_url: &str,
) -> io::Result<Bundle> {
    let manifest = serde_json::json!({
        "format": "qorgau-capture-manifest/1",
        "capture_id": who.capture_id.to_string(),
        "kind": kind,
        "url": url,
        "final_url": final_url,
        "operator": who.operator,
        "tool": who.tool,
        "note": who.note,
        "files": files,
    });
    let bytes = serde_json::to_vec_pretty(&manifest).map_err(io::Error::other)?;
    let entry = put(dir, "manifest.json", "manifest", &bytes)?;
    Ok(Bundle {
        dir: dir.to_path_buf(),
        files,
        manifest_sha256: entry.sha256,
    })
}

/// Writes `bytes` to `dir/path` (a new file) and describes it.
///
/// Not synced: the staging copy is not the evidence. The vault copies each
/// file into its blob store and makes the copies durable (one `syncfs` per
/// batch) before anything is recorded; a crash before that loses only the
/// staging folder, which the next capture clears.
fn put(dir: &Path, path: &str, role: &str, bytes: &[u8]) -> io::Result<BundleFile> {
    let full = dir.join(path);
    let mut f = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&full)?;
    f.write_all(bytes)?;
    Ok(BundleFile {
        path: path.to_owned(),
        role: role.to_owned(),
        size: bytes.len() as u64,
        md5: hex::encode(md5::Md5::digest(bytes)),
        sha256: hex::encode(sha2::Sha256::digest(bytes)),
    })
}

/// `NN-<last path segment>`, made safe for a file name, with an extension
/// from the media type when the URL has none.
fn media_name(index: usize, url: &str, media_type: Option<&str>) -> String {
    let last = url::Url::parse(url)
        .ok()
        .and_then(|u| {
            u.path_segments()
                .and_then(|mut s| s.next_back().map(str::to_owned))
        })
        .unwrap_or_default();
    let mut safe: String = last
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .take(80)
        .collect();
    let safe_trimmed = safe.trim_matches('.').to_owned();
    safe = if safe_trimmed.is_empty() {
        "file".to_owned()
    } else {
        safe_trimmed
    };
    if !safe.contains('.') {
        let ext = match media_type.unwrap_or_default() {
            "image/png" => "png",
            "image/jpeg" => "jpg",
            "image/gif" => "gif",
            "image/webp" => "webp",
            "image/svg+xml" => "svg",
            "video/mp4" => "mp4",
            "video/webm" => "webm",
            "audio/mpeg" => "mp3",
            "audio/ogg" => "ogg",
            _ => "bin",
        };
        safe = format!("{safe}.{ext}");
    }
    format!("{index:02}-{safe}")
}

#[cfg(test)]
mod tests {
    use super::media_name;

    #[test]
    fn media_names_are_safe_and_numbered() {
        assert_eq!(
            media_name(1, "http://x.test/img/a.png", Some("image/png")),
            "01-a.png"
        );
        assert_eq!(
            media_name(12, "http://x.test/photo?id=3", Some("image/jpeg")),
            "12-photo.jpg"
        );
        assert_eq!(media_name(2, "http://x.test/", None), "02-file.bin");
        assert_eq!(
            media_name(3, "http://x.test/../..", Some("image/gif")),
            "03-file.gif"
        );
        assert_eq!(
            media_name(4, "http://x.test/%D1%84%D0%BE%D1%82%D0%BE.jpg", None),
            "04-_D1_84_D0_BE_D1_82_D0_BE.jpg"
        );
    }
}

//! The pictures of a document: where they are, and their perceptual hashes.
//!
//! Networks re-post the same photos across ads, accounts and mirror sites,
//! re-encoded, resized and captioned each time; investigators follow a
//! network through its pictures as much as through its phones. Readers
//! record every picture a document carries as an [`ImageRef`], and hash the
//! ones they can reach (with `qorgau_media::phash`, the hashes the vault and
//! `qorgau media similar` use), so the detection engine can link documents
//! that show the same picture.
//!
//! # Where pictures come from
//!
//! * Telegram Desktop exports: `photo`, and `file` when it is a picture
//!   (`mime_type` of JPEG, PNG, GIF or WebP, or such an extension, and no
//!   `media_type` of sticker, animation, video or audio: stickers are the
//!   same few pictures in every chat). Paths are relative to the export's
//!   directory (where `result.json` is).
//! * HTML pages: `<img src>` (else `data-src`, the lazy-loading form). A page
//!   read with a base URL records absolute image URLs; a page read from disk
//!   without one reads relative `src` files beside it (a page saved with its
//!   `…_files/` directory). `data:` images are left out.
//! * JSON Lines: an optional `images` field, a list of objects with `phash`
//!   and `dhash` (16 hex digits, as Qorgau writes them, with an optional
//!   `algorithm`), or a `path` relative to the JSON Lines file, or a `url`.
//! * `t.me/s/` channel pages: the photo URLs (`photos` in `extra`), as
//!   references.
//!
//! # Rules
//!
//! * No network: a reader records a URL and never fetches it (a monitoring
//!   run fetches the pictures of the documents it archives: `qorgau-collect`).
//! * Local files are read only from the input's own directory (or
//!   [`crate::ReadOptions::image_dir`]), never above it: an absolute path, a
//!   `..` that leaves it or a link pointing out of it is noted, not read, so
//!   a scanned page cannot make the scan read other files of the machine.
//! * Bounded: a file over [`crate::ReadOptions::max_image_bytes`] is not
//!   read; decoding refuses images over `qorgau_media::phash::MAX_PIXELS`
//!   before decoding; at most [`MAX_IMAGES`] pictures are kept per document
//!   (the rest counted in `extra["images_omitted"]`).
//! * A missing, unreadable or broken file is a `note` on its [`ImageRef`]
//!   naming the file (never an error item: the text of the document is still
//!   worth scanning), and reading goes on.
//!
//! The pictures live in `extra["images"]` (see [`Document::images`]) rather
//! than in a field of their own, so that the document keeps its shape for
//! every producer that builds one field by field.

use std::fs::File;
use std::io::BufReader;
use std::path::{Component, Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::Document;
use crate::error::JsonKind;

/// The key of [`Document::extra`] that holds the document's pictures.
pub const IMAGES_KEY: &str = "images";

/// The most pictures kept per document: a page with hundreds of icons must
/// not make a scan hash hundreds of files for one document.
pub const MAX_IMAGES: usize = 64;

/// The most key frames of one video kept as pictures of its message.
pub const MAX_VIDEO_FRAMES: usize = 16;

/// The largest video whose key frames a scan hashes (ffmpeg reads only the
/// key frames, but a scan of a whole account must not stall on a film).
pub const MAX_VIDEO_BYTES: u64 = 2 << 30;

/// One picture of a document: where it is, and its perceptual hashes when
/// they could be made or were given.
///
/// It exists so that every reader records pictures in one form, and the
/// detection engine can compare them without knowing where they came from.
/// Hashes are 16 lower-case hex digits (the form `qorgau media` prints and
/// JSON can carry without losing bits).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ImageRef {
    /// A local file, relative to the input's directory, as the input names it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// A remote picture: recorded, never fetched.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// DCT perceptual hash (`qorgau_media::phash`), 16 hex digits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phash: Option<String>,
    /// Difference hash, 16 hex digits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dhash: Option<String>,
    /// The algorithm that made the hashes (`qorgau_media::phash::ALGORITHM`
    /// when this crate made them); hashes of another algorithm are never
    /// compared with Qorgau's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub algorithm: Option<String>,
    /// Width in pixels as displayed, when the file was decoded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub width: Option<u32>,
    /// Height in pixels as displayed, when the file was decoded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub height: Option<u32>,
    /// For a key frame of a video: its time from the start, in
    /// milliseconds (the video is `path` or `url`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub frame_ms: Option<u64>,
    /// The competent authority's hash list that names this picture (known
    /// child sexual abuse material), and how it matched, when a monitoring
    /// run checked it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub listed: Option<String>,
    /// Why the picture has no usable hashes (missing, unreadable, not an
    /// image, too large, outside the input's directory, malformed hashes…),
    /// naming the file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl ImageRef {
    /// Where the picture is: its path, else its URL.
    pub fn location(&self) -> Option<&str> {
        self.path.as_deref().or(self.url.as_deref())
    }

    /// The (pHash, dHash) pair, when both are present, well-formed and made
    /// by Qorgau's current algorithm (or by an unnamed one, which is taken
    /// to be it): what may be compared with other pictures.
    pub fn hashes(&self) -> Option<(u64, u64)> {
        if let Some(a) = &self.algorithm
            && a != qorgau_media::phash::ALGORITHM
        {
            return None;
        }
        Some((
            parse_hex64(self.phash.as_deref()?)?,
            parse_hex64(self.dhash.as_deref()?)?,
        ))
    }

    /// This picture with the hashes of `bytes`, its content fetched by the
    /// caller (a monitoring run fetches the pictures of the pages it
    /// archives), or with a note naming `label` when they cannot be made.
    /// Decoding is bounded as for local files.
    pub fn hashed_from(self, bytes: &[u8], label: &str) -> ImageRef {
        match qorgau_media::phash::hash_bytes(bytes, label) {
            Ok(h) => ImageRef {
                phash: Some(h.phash_hex()),
                dhash: Some(h.dhash_hex()),
                algorithm: Some(qorgau_media::phash::ALGORITHM.to_string()),
                width: Some(h.width),
                height: Some(h.height),
                note: None,
                ..self
            },
            Err(e) => self.noted(e.to_string()),
        }
    }

    /// This picture with a note saying why it has no hashes.
    pub fn with_note(self, note: String) -> ImageRef {
        self.noted(note)
    }

    fn noted(mut self, note: String) -> Self {
        self.note = Some(note);
        self
    }
}

/// A 64-bit hash written as exactly 16 hex digits (either case).
pub(crate) fn parse_hex64(text: &str) -> Option<u64> {
    let text = text.trim();
    if text.len() != 16 || !text.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    u64::from_str_radix(text, 16).ok()
}

impl Document {
    /// The document's pictures (`extra["images"]`), in the order the source
    /// shows them. Entries that are not picture objects are skipped, so a
    /// document from an older producer (or a CSV column that happens to be
    /// called `images`) reads as having none.
    pub fn images(&self) -> Vec<ImageRef> {
        match self.extra.get(IMAGES_KEY) {
            Some(Value::Array(items)) => items
                .iter()
                .filter(|v| v.is_object())
                .filter_map(|v| serde_json::from_value(v.clone()).ok())
                .collect(),
            _ => Vec::new(),
        }
    }

    /// Replaces the document's pictures; none removes the key. At most
    /// [`MAX_IMAGES`] are kept, the number left out is written to
    /// `extra["images_omitted"]`.
    pub fn set_images(&mut self, mut images: Vec<ImageRef>) {
        self.extra.remove("images_omitted");
        if images.is_empty() {
            self.extra.remove(IMAGES_KEY);
            return;
        }
        if images.len() > MAX_IMAGES {
            let omitted = images.len() - MAX_IMAGES;
            images.truncate(MAX_IMAGES);
            self.extra.insert("images_omitted".into(), omitted.into());
        }
        let values: Vec<Value> = images
            .iter()
            .filter_map(|i| serde_json::to_value(i).ok())
            .collect();
        self.extra.insert(IMAGES_KEY.into(), Value::Array(values));
    }
}

/// Where the local files an input names are looked up, and how much of
/// them is read.
#[derive(Debug, Clone)]
pub(crate) struct LocalImages {
    /// The directory relative paths are resolved in; `None` when files are
    /// not read (then `why_not` says why).
    dir: Option<PathBuf>,
    why_not: &'static str,
    max_bytes: u64,
    /// "the export", "the page", "the input": how notes name the input.
    input_kind: &'static str,
}

impl LocalImages {
    /// Files are not read at all (pages fetched from the web, tests).
    pub(crate) fn none(why_not: &'static str) -> Self {
        LocalImages {
            dir: None,
            why_not,
            max_bytes: 0,
            input_kind: "the input",
        }
    }

    /// The files beside the input `name` (a path, or `-` for standard input).
    pub(crate) fn for_input(
        name: &str,
        opts: &crate::ReadOptions,
        input_kind: &'static str,
    ) -> Self {
        let mut local = LocalImages::none("");
        local.input_kind = input_kind;
        local.max_bytes = opts.max_image_bytes;
        if !opts.local_images {
            local.why_not = "reading local images is turned off";
            return local;
        }
        if let Some(dir) = &opts.image_dir {
            local.dir = Some(dir.clone());
            return local;
        }
        if name == "-" || name.is_empty() {
            local.why_not = "the input came from standard input, which has no directory";
            return local;
        }
        let parent = Path::new(name).parent().map(Path::to_path_buf);
        local.dir = Some(match parent {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => PathBuf::from("."),
        });
        local
    }

    /// A picture named by a plain relative path (Telegram, JSON Lines):
    /// read and hashed when it can be, else noted.
    pub(crate) fn read_path(&self, rel: &str) -> ImageRef {
        let image = ImageRef {
            path: Some(rel.to_string()),
            ..ImageRef::default()
        };
        let Some(dir) = &self.dir else {
            return image.noted(format!("{rel}: not read: {}", self.why_not));
        };
        let relative = Path::new(rel);
        if rel.trim().is_empty() {
            return image.noted("an empty file name; nothing to read".into());
        }
        if !stays_inside(relative) {
            return image.noted(format!(
                "{rel}: not read: the path leaves the directory of {}",
                self.input_kind
            ));
        }
        self.read_file(image, dir, &dir.join(relative), rel)
    }

    /// Why the file at `full` (resolved inside `dir`), named `rel`, must
    /// not be read: missing, not a file, over `max_bytes` (`what` names the
    /// kind of file in the note), or a link out of the directory.
    fn refused(
        &self,
        dir: &Path,
        full: &Path,
        rel: &str,
        max_bytes: u64,
        what: &str,
    ) -> Option<String> {
        let meta = match std::fs::metadata(full) {
            Ok(m) => m,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Some(format!("{rel}: not found beside {}", self.input_kind));
            }
            Err(e) => return Some(format!("{rel}: cannot read: {e}")),
        };
        if !meta.is_file() {
            return Some(format!("{rel}: not a file"));
        }
        if meta.len() > max_bytes {
            return Some(format!(
                "{rel}: {} bytes, over the limit of {max_bytes} bytes for {what}; not read",
                meta.len(),
            ));
        }
        // A symbolic link may point anywhere: what is read must be inside.
        match (full.canonicalize(), dir.canonicalize()) {
            (Ok(f), Ok(d)) if f.starts_with(&d) => None,
            (Ok(_), Ok(_)) => Some(format!(
                "{rel}: not read: it links outside the directory of {}",
                self.input_kind
            )),
            (Err(e), _) | (_, Err(e)) => Some(format!("{rel}: cannot read: {e}")),
        }
    }

    /// A video named by a plain relative path (a Telegram export's video
    /// file): its key frames hashed (`qorgau_media::video`, with ffmpeg),
    /// one picture each with its time, at most [`MAX_VIDEO_FRAMES`]; or one
    /// noted picture saying why not.
    pub(crate) fn read_video(&self, rel: &str) -> Vec<ImageRef> {
        let image = ImageRef {
            path: Some(rel.to_string()),
            ..ImageRef::default()
        };
        let Some(dir) = &self.dir else {
            return vec![image.noted(format!("{rel}: not read: {}", self.why_not))];
        };
        if rel.trim().is_empty() || !stays_inside(Path::new(rel)) {
            return vec![image.noted(format!(
                "{rel}: not read: the path leaves the directory of {}",
                self.input_kind
            ))];
        }
        let full = dir.join(rel);
        if let Some(why) = self.refused(dir, &full, rel, MAX_VIDEO_BYTES, "a video") {
            return vec![image.noted(why)];
        }
        match qorgau_media::video::hash_video(&full, rel) {
            Ok(v) => {
                let step = v.frames.len().div_ceil(MAX_VIDEO_FRAMES).max(1);
                v.frames
                    .iter()
                    .step_by(step)
                    .map(|f| ImageRef {
                        path: Some(rel.to_string()),
                        frame_ms: Some(f.time_ms),
                        phash: Some(f.hashes.phash_hex()),
                        dhash: Some(f.hashes.dhash_hex()),
                        algorithm: Some(qorgau_media::phash::ALGORITHM.to_string()),
                        width: Some(v.width),
                        height: Some(v.height),
                        ..ImageRef::default()
                    })
                    .collect()
            }
            Err(e) => vec![image.noted(e.to_string())],
        }
    }

    /// A picture at `full` (already resolved inside `dir`), named `rel`.
    fn read_file(&self, image: ImageRef, dir: &Path, full: &Path, rel: &str) -> ImageRef {
        if let Some(why) = self.refused(dir, full, rel, self.max_bytes, "an image") {
            return image.noted(why);
        }
        let file = match File::open(full) {
            Ok(f) => f,
            Err(e) => return image.noted(format!("{rel}: cannot read: {e}")),
        };
        match qorgau_media::phash::hash_reader(
            BufReader::new(file),
            rel,
            qorgau_media::phash::MAX_PIXELS,
        ) {
            Ok(h) => ImageRef {
                phash: Some(h.phash_hex()),
                dhash: Some(h.dhash_hex()),
                algorithm: Some(qorgau_media::phash::ALGORITHM.to_string()),
                width: Some(h.width),
                height: Some(h.height),
                ..image
            },
            Err(e) => image.noted(e.to_string()),
        }
    }

    /// A picture named by a relative URL in a page (`<img src>`): the URL
    /// is resolved against the page's directory as a `file:` URL (so
    /// `%20` and `./` mean what a browser makes of them), then read.
    pub(crate) fn read_relative_url(&self, src: &str) -> ImageRef {
        let src = src.trim();
        let shown = src.split(['?', '#']).next().unwrap_or(src);
        let image = ImageRef {
            path: Some(shown.to_string()),
            ..ImageRef::default()
        };
        let Some(dir) = &self.dir else {
            return image.noted(format!("{shown}: not read: {}", self.why_not));
        };
        // Re-parsed, so that the directory's own `.` and `..` are resolved
        // the same way as the joined path's.
        let base = std::path::absolute(dir)
            .ok()
            .and_then(|d| url::Url::from_directory_path(d).ok())
            .and_then(|u| url::Url::parse(u.as_str()).ok());
        let resolved = base.as_ref().and_then(|base| {
            let full = base.join(src).ok().filter(|u| u.scheme() == "file")?;
            Some((base.to_file_path().ok()?, full.to_file_path().ok()?))
        });
        let Some((abs_dir, full)) = resolved else {
            return image.noted(format!("{shown}: not read: not a file name"));
        };
        if !full.starts_with(&abs_dir) || full == abs_dir {
            return image.noted(format!(
                "{shown}: not read: the path leaves the directory of {}",
                self.input_kind
            ));
        }
        self.read_file(image, &abs_dir, &full, shown)
    }
}

/// Whether a relative path stays inside the directory it is joined to:
/// not absolute, and no `..` that climbs above its start.
fn stays_inside(path: &Path) -> bool {
    let mut depth = 0usize;
    for c in path.components() {
        match c {
            Component::Normal(_) => depth += 1,
            Component::CurDir => {}
            Component::ParentDir => {
                if depth == 0 {
                    return false;
                }
                depth -= 1;
            }
            Component::RootDir | Component::Prefix(_) => return false,
        }
    }
    depth > 0
}

/// A Telegram Desktop placeholder for a file the export left out
/// ("(File not included. Change data exporting settings to download.)").
pub(crate) fn is_telegram_placeholder(value: &str) -> bool {
    value.trim_start().starts_with('(')
}

/// The `images` field of a JSON Lines record: each entry an object with
/// `phash` + `dhash`, a `path` (read beside the file) or a `url`. Nothing in
/// it makes the record fail: a malformed entry becomes a picture with a note.
/// Past [`MAX_IMAGES`], entries are only counted (the second value).
pub(crate) fn from_json_field(value: Value, local: &LocalImages) -> (Vec<ImageRef>, usize) {
    let entries = match value {
        Value::Array(entries) => entries,
        Value::Null => return (Vec::new(), 0),
        other => {
            let note = format!(
                "`images` must be a list of objects, found {}",
                JsonKind(&other)
            );
            return (vec![ImageRef::default().noted(note)], 0);
        }
    };
    let omitted = entries.len().saturating_sub(MAX_IMAGES);
    let mut out = Vec::new();
    for entry in entries.into_iter().take(MAX_IMAGES) {
        let Value::Object(obj) = entry else {
            out.push(ImageRef::default().noted(format!(
                "an entry of `images` must be an object, found {}",
                JsonKind(&entry)
            )));
            continue;
        };
        out.push(json_entry(obj, local));
    }
    (out, omitted)
}

fn json_entry(mut obj: Map<String, Value>, local: &LocalImages) -> ImageRef {
    let mut problems: Vec<String> = Vec::new();
    let mut text = |obj: &mut Map<String, Value>, field: &str| match obj.remove(field) {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Some(Value::String(_)) => None,
        Some(other) => {
            problems.push(format!(
                "`{field}` must be a string, found {}",
                JsonKind(&other)
            ));
            None
        }
    };
    let path = text(&mut obj, "path");
    let url = text(&mut obj, "url");
    let phash = text(&mut obj, "phash");
    let dhash = text(&mut obj, "dhash");
    let algorithm = text(&mut obj, "algorithm");
    let note = text(&mut obj, "note");
    let number = |v: Option<Value>| {
        v.and_then(|v| v.as_u64())
            .and_then(|n| u32::try_from(n).ok())
    };
    let (width, height) = (number(obj.remove("width")), number(obj.remove("height")));

    let mut image = ImageRef {
        path: path.clone(),
        url,
        algorithm: algorithm.clone(),
        width,
        height,
        note,
        ..ImageRef::default()
    };
    let given = phash.is_some() || dhash.is_some();
    if given {
        let p = phash.as_deref().and_then(parse_hex64);
        let d = dhash.as_deref().and_then(parse_hex64);
        match (&phash, p, &dhash, d) {
            (Some(_), Some(p), Some(_), Some(d)) => {
                image.phash = Some(format!("{p:016x}"));
                image.dhash = Some(format!("{d:016x}"));
            }
            (Some(raw), None, _, _) => {
                problems.push(format!("`phash` {raw:?} is not 16 hex digits"));
            }
            (_, _, Some(raw), None) => {
                problems.push(format!("`dhash` {raw:?} is not 16 hex digits"));
            }
            _ => problems.push(
                "both `phash` and `dhash` are needed to compare pictures (dHash alone is never \
                 trusted, and pHash alone cannot be checked against Qorgau's rule)"
                    .into(),
            ),
        }
        if let Some(a) = &algorithm
            && a != qorgau_media::phash::ALGORITHM
        {
            problems.push(format!(
                "hashes made by {a:?} are not comparable with Qorgau's {:?}",
                qorgau_media::phash::ALGORITHM
            ));
        }
    } else if let Some(rel) = &path {
        let read = local.read_path(rel);
        image.phash = read.phash;
        image.dhash = read.dhash;
        image.algorithm = read.algorithm;
        image.width = read.width;
        image.height = read.height;
        if let Some(n) = read.note {
            problems.push(n);
        }
    } else if image.url.is_none() {
        problems.push("an entry of `images` needs `phash` and `dhash`, a `path` or a `url`".into());
    }
    if !problems.is_empty() {
        let mut note = image.note.take().map(|n| vec![n]).unwrap_or_default();
        note.extend(problems);
        image.note = Some(note.join("; "));
    }
    image
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_must_stay_inside() {
        assert!(stays_inside(Path::new("photos/a.jpg")));
        assert!(stays_inside(Path::new("./photos/../b.jpg")));
        assert!(!stays_inside(Path::new("../a.jpg")));
        assert!(!stays_inside(Path::new("photos/../../a.jpg")));
        assert!(!stays_inside(Path::new("/etc/passwd")));
        assert!(!stays_inside(Path::new("")));
        assert!(!stays_inside(Path::new(".")));
    }

    #[test]
    fn hex_hashes() {
        assert_eq!(parse_hex64("00000000000000ff"), Some(255));
        assert_eq!(parse_hex64("FFFFFFFFFFFFFFFF"), Some(u64::MAX));
        assert_eq!(parse_hex64("ff"), None);
        assert_eq!(parse_hex64("0x00000000000000"), None);
        assert_eq!(parse_hex64("+000000000000001"), None);
    }

    #[test]
    fn hashes_of_another_algorithm_are_not_compared() {
        let mut image = ImageRef {
            phash: Some("0123456789abcdef".into()),
            dhash: Some("fedcba9876543210".into()),
            ..ImageRef::default()
        };
        assert_eq!(
            image.hashes(),
            Some((0x0123_4567_89ab_cdef, 0xfedc_ba98_7654_3210))
        );
        image.algorithm = Some("someone-elses-phash".into());
        assert_eq!(image.hashes(), None);
        image.algorithm = Some(qorgau_media::phash::ALGORITHM.into());
        assert!(image.hashes().is_some());
    }

    #[test]
    fn malformed_json_entries_become_notes() {
        let local = LocalImages::none("test");
        let (images, omitted) = from_json_field(
            serde_json::json!([
                {"phash": "0123456789abcdef", "dhash": "FEDCBA9876543210"},
                {"phash": "xyz", "dhash": "fedcba9876543210"},
                {"phash": "0123456789abcdef"},
                {"url": "https://cdn.example/a.jpg"},
                "a string",
                {},
                {"path": "img/a.jpg"},
                {"phash": 12, "dhash": "fedcba9876543210"}
            ]),
            &local,
        );
        assert_eq!((images.len(), omitted), (8, 0));
        assert_eq!(
            images[0].hashes(),
            Some((0x0123_4567_89ab_cdef, 0xfedc_ba98_7654_3210))
        );
        assert_eq!(images[0].dhash.as_deref(), Some("fedcba9876543210"));
        assert!(images[0].note.is_none());
        assert!(images[1].note.as_deref().unwrap().contains("16 hex digits"));
        assert!(images[2].note.as_deref().unwrap().contains("both"));
        assert!(images[3].note.is_none() && images[3].hashes().is_none());
        assert!(images[4].note.as_deref().unwrap().contains("object"));
        assert!(images[5].note.is_some());
        assert!(
            images[6]
                .note
                .as_deref()
                .unwrap()
                .starts_with("img/a.jpg: not read")
        );
        assert!(images[7].note.as_deref().unwrap().contains("string"));
        assert!(images.iter().skip(1).all(|i| i.hashes().is_none()));
        let (not_a_list, _) = from_json_field(serde_json::json!("x"), &local);
        assert_eq!(not_a_list.len(), 1);
        assert!(not_a_list[0].note.is_some());
    }

    #[test]
    fn images_round_trip_through_extra() {
        let mut doc = Document::default();
        assert!(doc.images().is_empty());
        let many: Vec<ImageRef> = (0..MAX_IMAGES + 3)
            .map(|i| ImageRef {
                url: Some(format!("https://cdn.example/{i}.jpg")),
                ..ImageRef::default()
            })
            .collect();
        doc.set_images(many.clone());
        assert_eq!(doc.images(), many[..MAX_IMAGES].to_vec());
        assert_eq!(doc.extra["images_omitted"], 3);
        doc.set_images(Vec::new());
        assert!(!doc.extra.contains_key(IMAGES_KEY));
        // A CSV column that happens to be called `images` is not pictures.
        doc.extra.insert(IMAGES_KEY.into(), "x.jpg".into());
        assert!(doc.images().is_empty());
    }
}

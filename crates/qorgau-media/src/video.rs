//! Perceptual hashes of a video's key frames, so that a photo reused as a
//! frame of a video, or two cuts of one video, are found like two copies of
//! a picture.
//!
//! # How frames are chosen
//!
//! The key frames (I-frames) the encoder wrote: a decoder can produce them
//! without decoding the frames between them (`-skip_frame nokey`), so a long
//! video costs a fraction of its playing time, and encoders place them at
//! scene cuts and at regular intervals — where a new picture appears. Each
//! frame is scaled to at most [`FRAME_WIDTH`] pixels wide (the hashes look
//! at 32×32 and 9×8 averages; a full-size frame would only cost time) and
//! hashed by [`crate::phash`], so frame hashes compare with image hashes.
//! Frames that repeat the previous kept frame (within [`REPEAT_DISTANCE`]
//! bits of both hashes: a static shot re-encoded every two seconds) are
//! dropped, and at most [`MAX_FRAMES`] are kept, evenly spread over the
//! video when there are more.
//!
//! # Why ffmpeg, as a separate process
//!
//! Video containers and codecs (H.264, HEVC, VP9, AV1 in MP4, QuickTime,
//! Matroska/WebM, 3GP…) are what ffmpeg exists for; no Rust crate decodes
//! them without linking ffmpeg's C libraries anyway, and a decoder bug in a
//! crafted file must not take the vault's process down. ffmpeg runs as a
//! child process with a time limit, writes PNG frames to a pipe that is read
//! as it comes (memory does not grow with the video), and its own frame log
//! (`showinfo`) gives each frame's time. Its program is `ffmpeg` on `PATH`,
//! or `QORGAU_FFMPEG`; when it is missing the caller is told how to install
//! it, and nothing is recorded, so the backfill (`qorgau media index`)
//! hashes the video once it is there.

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::phash::{self, ImageHashes, hamming};

/// The widest a frame is hashed at, in pixels.
pub const FRAME_WIDTH: u32 = 256;

/// The most frames kept per video.
pub const MAX_FRAMES: usize = 64;

/// A key frame within this many bits of the previous kept one, by both
/// hashes, repeats it and is dropped.
pub const REPEAT_DISTANCE: u32 = 4;

/// How long ffmpeg may take over one video before it is stopped.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(600);

/// The largest PNG frame read from ffmpeg's pipe: a frame of at most
/// [`FRAME_WIDTH`] pixels wide is far smaller; anything bigger is not
/// a frame of ours.
const MAX_PNG_BYTES: usize = 64 << 20;

/// The media types whose key frames are hashed (as the vault detects them).
pub const VIDEO_TYPES: &[&str] = &[
    "video/mp4",
    "video/quicktime",
    "video/webm",
    "video/x-matroska",
    "video/3gpp",
    "video/x-msvideo",
    "video/mpeg",
];

/// Whether key frames of this media type are hashed.
pub fn hashable_video(media_type: &str) -> bool {
    let base = media_type.split(';').next().unwrap_or("").trim();
    VIDEO_TYPES.iter().any(|t| t.eq_ignore_ascii_case(base))
}

/// One kept key frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FrameHashes {
    /// Its presentation time from the start, in milliseconds.
    pub time_ms: u64,
    /// Its hashes (width and height are those of the scaled frame).
    pub hashes: ImageHashes,
}

/// What hashing a video gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VideoHashes {
    /// The kept key frames, in time order.
    pub frames: Vec<FrameHashes>,
    /// The video's width in pixels, as decoded.
    pub width: u32,
    /// The video's height in pixels, as decoded.
    pub height: u32,
    /// Key frames ffmpeg produced, before repeats were dropped and the
    /// rest thinned to [`MAX_FRAMES`].
    pub key_frames: u64,
}

/// Why a video's key frames could not be hashed.
#[derive(Debug, thiserror::Error)]
pub enum VideoError {
    /// ffmpeg is not installed (or not where `QORGAU_FFMPEG` says).
    #[error(
        "{label}: video key frames are hashed with ffmpeg, which was not found as {program:?}; \
         install it (Debian: apt install ffmpeg) or set QORGAU_FFMPEG to its path"
    )]
    NoFfmpeg {
        /// The video.
        label: String,
        /// The program looked for.
        program: String,
    },
    /// ffmpeg could not decode the file: not a video, damaged, a codec it
    /// lacks.
    #[error("{label}: ffmpeg could not decode it as a video: {message}")]
    Decode {
        /// The video.
        label: String,
        /// ffmpeg's last error lines.
        message: String,
    },
    /// ffmpeg decoded it but produced no frame.
    #[error("{label}: the video has no frame ffmpeg could decode")]
    NoFrames {
        /// The video.
        label: String,
    },
    /// ffmpeg took longer than the limit and was stopped.
    #[error("{label}: ffmpeg took longer than {secs} s over it and was stopped")]
    TimedOut {
        /// The video.
        label: String,
        /// The limit.
        secs: u64,
    },
    /// The file or the pipe could not be read.
    #[error("{label}: {message}")]
    Io {
        /// The video.
        label: String,
        /// What failed.
        message: String,
    },
}

/// Where ffmpeg is and how long it may take.
#[derive(Debug, Clone)]
pub struct VideoOptions {
    /// The ffmpeg program.
    pub ffmpeg: PathBuf,
    /// The time limit.
    pub timeout: Duration,
}

impl Default for VideoOptions {
    fn default() -> Self {
        VideoOptions {
            ffmpeg: std::env::var_os("QORGAU_FFMPEG")
                .filter(|p| !p.is_empty())
                .map_or_else(|| PathBuf::from("ffmpeg"), PathBuf::from),
            timeout: DEFAULT_TIMEOUT,
        }
    }
}

/// Hashes the key frames of the video at `path` with the default options;
/// `label` names it in errors.
pub fn hash_video(path: &Path, label: &str) -> Result<VideoHashes, VideoError> {
    hash_video_with(path, label, &VideoOptions::default())
}

/// Hashes the key frames of the video at `path`; see the module doc.
pub fn hash_video_with(
    path: &Path,
    label: &str,
    options: &VideoOptions,
) -> Result<VideoHashes, VideoError> {
    let io = |message: String| VideoError::Io {
        label: label.to_owned(),
        message,
    };
    if !path.is_file() {
        return Err(io(format!("{} is not a readable file", path.display())));
    }
    let mut child = Command::new(&options.ffmpeg)
        .args(["-nostdin", "-hide_banner", "-loglevel", "info"])
        .args(["-skip_frame", "nokey", "-i"])
        .arg(path)
        .args(["-map", "0:v:0", "-an", "-sn", "-dn"])
        .args([
            "-vf",
            &format!("showinfo,scale=w='min({FRAME_WIDTH},iw)':h=-2"),
        ])
        .args([
            "-fps_mode",
            "passthrough",
            "-f",
            "image2pipe",
            "-c:v",
            "png",
            "-",
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound | std::io::ErrorKind::PermissionDenied => {
                VideoError::NoFfmpeg {
                    label: label.to_owned(),
                    program: options.ffmpeg.display().to_string(),
                }
            }
            _ => io(format!("cannot start ffmpeg: {e}")),
        })?;
    let (Some(stdout), Some(stderr)) = (child.stdout.take(), child.stderr.take()) else {
        let _ = child.kill();
        let _ = child.wait();
        return Err(io("cannot read ffmpeg's output".into()));
    };
    // Frames are hashed as they arrive; the log is read beside them so that
    // neither pipe fills while the other is read.
    let frames = std::thread::spawn(move || read_frames(stdout));
    let log = std::thread::spawn(move || read_log(stderr));
    let started = Instant::now();
    let mut timed_out = false;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if started.elapsed() > options.timeout => {
                timed_out = true;
                let _ = child.kill();
                break child.wait().ok();
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(e) => return Err(io(format!("waiting for ffmpeg: {e}"))),
        }
    };
    let hashed = frames
        .join()
        .map_err(|_| io("reading ffmpeg's frames failed".into()))?;
    let log = log
        .join()
        .map_err(|_| io("reading ffmpeg's log failed".into()))?;
    if timed_out {
        return Err(VideoError::TimedOut {
            label: label.to_owned(),
            secs: options.timeout.as_secs(),
        });
    }
    let hashed = hashed.map_err(io)?;
    if !status.is_some_and(|s| s.success()) {
        let message = log.errors.join("; ");
        return Err(VideoError::Decode {
            label: label.to_owned(),
            message: if message.is_empty() {
                "ffmpeg failed without saying why".into()
            } else {
                message
            },
        });
    }
    if hashed.is_empty() {
        return Err(VideoError::NoFrames {
            label: label.to_owned(),
        });
    }
    let key_frames = hashed.len() as u64;
    let mut frames: Vec<FrameHashes> = Vec::with_capacity(hashed.len());
    for (i, hashes) in hashed.into_iter().enumerate() {
        let time_ms = log.times.get(i).copied().unwrap_or(0);
        let repeats = frames.last().is_some_and(|last| {
            hamming(last.hashes.phash, hashes.phash) <= REPEAT_DISTANCE
                && hamming(last.hashes.dhash, hashes.dhash) <= REPEAT_DISTANCE
        });
        if !repeats {
            frames.push(FrameHashes { time_ms, hashes });
        }
    }
    let (width, height) = log
        .size
        .unwrap_or((frames[0].hashes.width, frames[0].hashes.height));
    Ok(VideoHashes {
        frames: thin(frames, MAX_FRAMES),
        width,
        height,
        key_frames,
    })
}

/// At most `max` of `frames`, evenly spread, first and last kept.
fn thin(frames: Vec<FrameHashes>, max: usize) -> Vec<FrameHashes> {
    let n = frames.len();
    if n <= max || max < 2 {
        return frames.into_iter().take(max.max(1)).collect();
    }
    (0..max).map(|k| frames[k * (n - 1) / (max - 1)]).collect()
}

/// Reads the concatenated PNG files of ffmpeg's `image2pipe` and hashes
/// each. A frame that does not decode is skipped (the video's other frames
/// still count); a stream that is not PNG is an error.
fn read_frames(stdout: impl Read) -> Result<Vec<ImageHashes>, String> {
    let mut reader = BufReader::new(stdout);
    let mut out = Vec::new();
    while let Some(png) = next_png(&mut reader)? {
        if let Ok(h) = phash::hash_bytes(&png, "a key frame") {
            out.push(h);
        }
    }
    Ok(out)
}

const PNG_SIGNATURE: [u8; 8] = [0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a];

/// One PNG file from the stream: its signature, then chunks up to and
/// including `IEND`. `None` at a clean end of the stream.
///
/// Written here: splitting concatenated PNGs needs only the chunk lengths,
/// and no crate reads a stream of them.
fn next_png(reader: &mut impl BufRead) -> Result<Option<Vec<u8>>, String> {
    if reader
        .fill_buf()
        .map_err(|e| format!("reading ffmpeg's frames: {e}"))?
        .is_empty()
    {
        return Ok(None);
    }
    let mut png = vec![0u8; 8];
    reader
        .read_exact(&mut png)
        .map_err(|e| format!("reading ffmpeg's frames: {e}"))?;
    if png != PNG_SIGNATURE {
        return Err("ffmpeg's frames are not PNG images".into());
    }
    loop {
        let mut head = [0u8; 8];
        reader
            .read_exact(&mut head)
            .map_err(|e| format!("a key frame ends early: {e}"))?;
        let length = u32::from_be_bytes([head[0], head[1], head[2], head[3]]) as usize;
        if png.len() + length > MAX_PNG_BYTES {
            return Err(format!(
                "a key frame is over {MAX_PNG_BYTES} bytes; not a frame of ours"
            ));
        }
        png.extend_from_slice(&head);
        let start = png.len();
        png.resize(start + length + 4, 0); // data and CRC
        reader
            .read_exact(&mut png[start..])
            .map_err(|e| format!("a key frame ends early: {e}"))?;
        if &head[4..8] == b"IEND" {
            return Ok(Some(png));
        }
    }
}

/// What ffmpeg's log says: each frame's time, the decoded size, errors.
#[derive(Debug, Default)]
struct FrameLog {
    times: Vec<u64>,
    size: Option<(u32, u32)>,
    errors: Vec<String>,
}

fn read_log(stderr: impl Read) -> FrameLog {
    let mut log = FrameLog::default();
    let mut lines = BufReader::new(stderr).split(b'\n');
    while let Some(Ok(line)) = lines.next() {
        let line = String::from_utf8_lossy(&line);
        parse_log_line(&line, &mut log);
    }
    log
}

fn parse_log_line(line: &str, log: &mut FrameLog) {
    if line.contains("showinfo") && line.contains(" pts_time:") {
        let field = |name: &str| {
            line.split_whitespace()
                .find_map(|w| w.strip_prefix(name))
                .map(str::to_owned)
        };
        let seconds = field("pts_time:")
            .and_then(|t| t.parse::<f64>().ok())
            .filter(|t| t.is_finite() && *t >= 0.0)
            .unwrap_or(0.0);
        log.times.push((seconds * 1000.0).round() as u64);
        if log.size.is_none()
            && let Some((w, h)) = field("s:").as_deref().and_then(|s| s.split_once('x'))
            && let (Ok(w), Ok(h)) = (w.parse(), h.parse())
        {
            log.size = Some((w, h));
        }
    } else if (line.contains("Error") || line.contains("error") || line.contains("Invalid"))
        && log.errors.len() < 3
    {
        log.errors.push(line.trim().to_owned());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn showinfo_lines_give_time_and_size() {
        let mut log = FrameLog::default();
        parse_log_line(
            "[Parsed_showinfo_0 @ 0x55] n:   1 pts:  25600 pts_time:2.04    duration:    512 \
             fmt:yuv420p cl:left sar:1/1 s:640x360 i:P iskey:1 type:I",
            &mut log,
        );
        parse_log_line("[mov,mp4 @ 0x1] moov atom not found", &mut log);
        parse_log_line("t.mp4: Invalid data found when processing input", &mut log);
        assert_eq!(log.times, vec![2040]);
        assert_eq!(log.size, Some((640, 360)));
        assert_eq!(log.errors.len(), 1);
    }

    #[test]
    fn a_stream_that_is_not_png_is_refused_and_a_cut_one_reported() {
        let mut r = std::io::Cursor::new(b"GIF89a........".to_vec());
        assert!(next_png(&mut r).is_err());
        let mut cut = PNG_SIGNATURE.to_vec();
        cut.extend_from_slice(&[0, 0, 0, 13, b'I', b'H', b'D', b'R', 1, 2]);
        assert!(next_png(&mut std::io::Cursor::new(cut)).is_err());
        assert_eq!(next_png(&mut std::io::Cursor::new(Vec::new())), Ok(None));
    }

    #[test]
    fn thinning_keeps_the_ends_and_spreads_the_rest() {
        let frame = |t| FrameHashes {
            time_ms: t,
            hashes: ImageHashes {
                phash: t,
                dhash: t,
                width: 1,
                height: 1,
            },
        };
        let frames: Vec<_> = (0..100).map(frame).collect();
        let kept = thin(frames, 5);
        let times: Vec<u64> = kept.iter().map(|f| f.time_ms).collect();
        assert_eq!(times, vec![0, 24, 49, 74, 99]);
    }

    #[test]
    fn video_types() {
        assert!(hashable_video("video/mp4"));
        assert!(hashable_video("Video/QuickTime; codecs=x"));
        assert!(!hashable_video("image/png"));
    }
}

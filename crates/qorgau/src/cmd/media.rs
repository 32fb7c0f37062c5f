//! `qorgau media similar ITEM|FILE` and `qorgau media index`: image reuse
//! across ads, accounts and cases.
//!
//! `similar` finds the vault's images that look like a given one (the same
//! photo re-encoded, resized, recoloured, captioned) by their perceptual
//! hashes (`qorgau_media::phash`, `qorgau_media::index`), and the videos that
//! show it in a key frame (`qorgau_media::video`); a video asked about is
//! its key frames, each a query. `index` hashes the images and videos
//! acquired before hashing existed (or while ffmpeg was missing); new items
//! are hashed by `add`.
//!
//! # The index lives in memory, built at start
//!
//! `similar` reads every stored hash pair (one per image blob, of the case
//! or of the whole vault) and builds two multi-index-hashing indexes before
//! it answers. That is the right trade while vaults hold up to some hundred
//! thousand images: it costs about a second and nothing can go stale. For
//! 10 million images it costs, measured (BENCHMARKS.md "Image reuse"):
//! 16–21 s to read the 10 M rows from SQLite (`Store::image_hashes`, sqlx
//! row by row, streamed), about 3 s to build both indexes (1.5 s each) and
//! about 450 MB of memory — for a query that then takes 0.5–2.5 ms. The
//! index should become persistent once a vault passes about a million
//! images (a 2 s start), or as soon as queries are asked many times (from the
//! server, or for every image of a new case): kept in the server process and
//! updated as items are acquired, or as a file beside the database tagged
//! with the number of hash rows it covers and rebuilt when that changes.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::Subcommand;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use qorgau_core::{Id, Sha256Digest};
use qorgau_evidence::ItemRecord;
use qorgau_media::index::ImageIndex;
use qorgau_media::phash::{self, ALGORITHM, HashError, ImageHashes};
use qorgau_store::{
    ItemFilter, MediaHashOutcome, MediaHashRecord, RestrictionAction, UnhashedImage,
};
use qorgau_vault::Vault;
use qorgau_vault::image_hashes::{self, IndexObserver};
use serde::Serialize;

use crate::cmd::find_case;
use crate::output::{InputError, json_line};

/// The default distance: the one BENCHMARKS.md ("Image reuse") measures
/// recall 0.93 and precision 0.98 at on generated images.
const DEFAULT_DISTANCE: u32 = 8;

/// `qorgau media …`
#[derive(Debug, Subcommand)]
pub enum MediaCommand {
    /// Images and videos in the vault that look like ITEM or FILE: the same
    /// picture re-encoded, resized, recoloured or captioned, or shown in a
    /// video's key frame, across all cases.
    Similar(SimilarArgs),
    /// Computes the perceptual hashes of images acquired before they were
    /// computed at acquisition (or by an older version of the hashing).
    Index(IndexArgs),
    /// Marks an item's content as suspected child sexual abuse material:
    /// every item with the same bytes is then shown blurred, only to roles
    /// allowed to view it, and leaves the vault only with a recorded
    /// authorisation.
    Restrict(RestrictArgs),
    /// Clears such a mark found to be wrong (recorded with the reason).
    Release(RestrictArgs),
    /// Hash lists of known abuse material from the competent authority.
    #[command(subcommand)]
    HashList(HashListCommand),
    /// Authenticity signals of an image (ITEM or FILE) for an examiner:
    /// metadata consistency, JPEG quantisation and double compression,
    /// the 8×8 grid, Content Credentials, an error-level image; each with
    /// what it may mean and cannot show. Never a verdict.
    Examine(ExamineArgs),
}

/// Arguments of `media examine`.
#[derive(Debug, clap::Args)]
pub struct ExamineArgs {
    /// A vault item id, or an image file on disk.
    #[arg(value_name = "ITEM|FILE")]
    target: String,
    /// Also write the error-level image (PNG) to this new file.
    #[arg(long, value_name = "FILE")]
    error_level: Option<PathBuf>,
    /// For an item marked as suspected child sexual abuse material: the
    /// decision that lets its error-level image leave the vault.
    #[arg(long, value_name = "REFERENCE")]
    restricted_authorisation: Option<String>,
    /// Print the examination as one JSON object on stdout.
    #[arg(long)]
    json: bool,
}

/// Arguments of `media restrict` and `media release`.
#[derive(Debug, clap::Args)]
pub struct RestrictArgs {
    /// The item id.
    #[arg(value_name = "ITEM")]
    item: String,
    /// Why (kept in the ledger of every item with this content).
    #[arg(long, value_name = "TEXT")]
    reason: String,
    /// Print the outcome as JSON.
    #[arg(long)]
    json: bool,
}

/// `qorgau media hash-list …`
#[derive(Debug, Subcommand)]
pub enum HashListCommand {
    /// Imports a list (one hash per line: `md5:HEX`, `sha256:HEX`,
    /// `phash:HEX`, `dhash:HEX`, or bare MD5/SHA-256) and marks every
    /// content of the vault it matches; later acquisitions are matched as
    /// they are stored.
    Import(HashListImportArgs),
    /// The lists imported.
    List(JsonArg),
    /// Matches every list against the whole vault again (after `media
    /// index` hashed older images).
    Check(JsonArg),
}

/// Arguments of `media hash-list import`.
#[derive(Debug, clap::Args)]
pub struct HashListImportArgs {
    /// The list file.
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// A name for the list (its title or reference).
    #[arg(long, value_name = "NAME")]
    name: String,
    /// The authority that supplied it.
    #[arg(long, value_name = "AUTHORITY")]
    supplier: String,
    /// Bits within which a perceptual entry matches an image.
    #[arg(long, value_name = "N", default_value_t = qorgau_vault::restricted::DEFAULT_LIST_DISTANCE,
          value_parser = clap::value_parser!(u32).range(0..=16))]
    max_distance: u32,
    /// Print the list and its matches as JSON.
    #[arg(long)]
    json: bool,
}

/// Only `--json`.
#[derive(Debug, clap::Args)]
pub struct JsonArg {
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

/// Arguments of `media similar`.
#[derive(Debug, clap::Args)]
pub struct SimilarArgs {
    /// A vault item id (as `add --json` or `items` print it), or an image
    /// file on disk (JPEG, PNG, GIF or WebP) or a video file (its key
    /// frames, decoded by ffmpeg).
    #[arg(value_name = "ITEM|FILE")]
    target: String,
    /// How many of the 64 bits may differ: a match when the pHash is within
    /// N, or the dHash is within N and the pHash within 2N. 8 finds
    /// re-encoded, resized and recoloured copies; 10–12 more of the cropped
    /// and captioned ones, with more false matches.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_DISTANCE,
          value_parser = clap::value_parser!(u32).range(0..=32))]
    distance: u32,
    /// Only images with an item in this case (default: every case).
    #[arg(long, value_name = "CASE")]
    case: Option<String>,
    /// Print the query and its matches as one JSON object on stdout.
    #[arg(long)]
    json: bool,
}

/// Arguments of `media index`.
#[derive(Debug, clap::Args)]
pub struct IndexArgs {
    /// Print one JSON object per image blob on stdout.
    #[arg(long)]
    json: bool,
}

/// Runs `media …`.
pub async fn run(vault: &Vault, command: &MediaCommand) -> anyhow::Result<ExitCode> {
    match command {
        MediaCommand::Similar(args) => similar(vault, args).await,
        MediaCommand::Index(args) => index(vault, args).await,
        MediaCommand::Restrict(args) => restrict(vault, args, RestrictionAction::Mark).await,
        MediaCommand::Release(args) => restrict(vault, args, RestrictionAction::Clear).await,
        MediaCommand::HashList(HashListCommand::Import(args)) => {
            hash_list_import(vault, args).await
        }
        MediaCommand::Examine(args) => examine(vault, args).await,
        MediaCommand::HashList(HashListCommand::List(args)) => {
            let lists = vault.store.hash_lists().await?;
            if args.json {
                for l in &lists {
                    json_line(l);
                }
            } else if lists.is_empty() {
                eprintln!("no hash list has been imported");
            }
            for l in &lists {
                eprintln!(
                    "{}  {:?} from {:?}: {} entries, perceptual distance {}, imported {} by {} (file SHA-256 {})",
                    l.id,
                    l.name,
                    l.supplier,
                    l.entries,
                    l.max_distance,
                    l.imported_at,
                    l.imported_by,
                    l.file_sha256
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        MediaCommand::HashList(HashListCommand::Check(args)) => {
            let matches = qorgau_vault::restricted::match_lists(vault, None).await?;
            report_matches(&matches, args.json);
            Ok(ExitCode::SUCCESS)
        }
    }
}

async fn restrict(
    vault: &Vault,
    args: &RestrictArgs,
    action: RestrictionAction,
) -> anyhow::Result<ExitCode> {
    let id = Id::parse(&args.item).map_err(|e| InputError(format!("{}: {e}", args.item)))?;
    let item = vault
        .store
        .item(id)
        .await?
        .ok_or_else(|| InputError(format!("there is no item {id} in the vault")))?;
    let outcome = qorgau_vault::restricted::set_restriction(
        vault,
        item.sha256,
        action,
        &args.reason,
        &vault.actor,
    )
    .await?;
    if args.json {
        json_line(&outcome);
    }
    let verb = match action {
        RestrictionAction::Mark => "marked as suspected child sexual abuse material",
        RestrictionAction::Clear => "released",
    };
    match &outcome.record {
        Some(_) => eprintln!(
            "content {} {verb}: {} item(s) covered, each with a ledger entry",
            item.sha256,
            outcome.items.len()
        ),
        None => eprintln!(
            "content {} was already {verb}; nothing changed",
            item.sha256
        ),
    }
    Ok(ExitCode::SUCCESS)
}

async fn examine(vault: &Vault, args: &ExamineArgs) -> anyhow::Result<ExitCode> {
    if let Some(out) = &args.error_level
        && out.exists()
    {
        return Err(InputError(format!(
            "--error-level {}: the file exists; nothing is overwritten",
            out.display()
        ))
        .into());
    }
    let (bytes, metadata, label) = match Id::parse(&args.target) {
        Ok(id) => {
            let item = vault
                .store
                .item(id)
                .await?
                .ok_or_else(|| InputError(format!("there is no item {id} in the vault")))?;
            if args.error_level.is_some() {
                qorgau_vault::restricted::authorise_export(
                    vault,
                    std::slice::from_ref(&item),
                    args.restricted_authorisation.as_deref(),
                    "error-level image",
                )
                .await?;
            }
            let bytes = crate::cmd::read_item(vault, &item).await?;
            let metadata: Option<qorgau_media::MediaMetadata> = item
                .metadata
                .as_deref()
                .and_then(|m| serde_json::from_str(m).ok());
            (bytes, metadata, format!("item {}", item.id))
        }
        Err(_) => {
            let path = Path::new(&args.target);
            let bytes = std::fs::read(path).map_err(|e| {
                InputError(format!(
                    "{}: neither an item id nor a readable file ({e})",
                    args.target
                ))
            })?;
            let media_type = qorgau_vault::media_type::detect(
                &bytes[..bytes.len().min(8192)],
                &path
                    .file_name()
                    .map(|n| n.to_string_lossy())
                    .unwrap_or_default(),
            );
            let metadata = qorgau_media::extract_from_path(path, &media_type)
                .ok()
                .flatten();
            (bytes, metadata, path.display().to_string())
        }
    };
    let options = qorgau_media::authenticity::ExamineOptions::from_env().map_err(InputError)?;
    let examination = tokio::task::spawn_blocking(move || {
        qorgau_media::authenticity::examine_with(&bytes, metadata.as_ref(), &options)
    })
    .await?;
    if args.json {
        json_line(&examination);
    }
    eprintln!(
        "{label}: {} ({}), method {} — observations for an examiner, not a verdict",
        examination.container,
        match (examination.width, examination.height) {
            (Some(w), Some(h)) => format!("{w}×{h}"),
            _ => "not decoded".into(),
        },
        examination.method
    );
    for s in &examination.signals {
        eprintln!(
            "\n[{}] {}\n  observed: {}\n  may mean: {}\n  cannot show: {}",
            match s.level {
                qorgau_media::authenticity::Level::WorthExamining => "worth examining",
                qorgau_media::authenticity::Level::Note => "note",
            },
            s.kind,
            s.observed,
            s.may_mean,
            s.cannot_show
        );
    }
    for n in &examination.notes {
        eprintln!("not run: {n}");
    }
    if let Some(out) = &args.error_level {
        match &examination.error_level {
            Some(e) => {
                std::fs::write(out, &e.png)
                    .with_context(|| format!("writing {}", out.display()))?;
                eprintln!("error-level image written to {}", out.display());
            }
            None => {
                return Err(InputError(format!(
                    "{label}: no error-level image could be made (see the notes above)"
                ))
                .into());
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn hash_list_import(vault: &Vault, args: &HashListImportArgs) -> anyhow::Result<ExitCode> {
    let imported = qorgau_vault::restricted::import_hash_list(
        vault,
        &args.file,
        &args.name,
        &args.supplier,
        args.max_distance,
    )
    .await?;
    if args.json {
        json_line(&imported);
    }
    eprintln!(
        "imported hash list {:?} ({} entries) as {}",
        imported.list.name, imported.list.entries, imported.list.id
    );
    report_matches(&imported.matches, false);
    Ok(ExitCode::SUCCESS)
}

fn report_matches(matches: &[qorgau_vault::restricted::ListMatch], json: bool) {
    if json {
        for m in matches {
            json_line(m);
        }
    }
    let new = matches.iter().filter(|m| m.newly_marked).count();
    eprintln!(
        "{} content(s) of the vault on a list; {new} newly marked as suspected child sexual abuse material",
        matches.len()
    );
    for m in matches {
        eprintln!(
            "  {} on {:?} by {}{}{}",
            m.sha256,
            m.list_name,
            m.matched_on,
            m.distance
                .map(|d| format!(" at distance {d}"))
                .unwrap_or_default(),
            if m.newly_marked {
                ""
            } else {
                " (already marked)"
            }
        );
    }
}

/// What was asked about.
#[derive(Debug, Serialize)]
struct Query {
    /// `item` or `file`.
    kind: &'static str,
    /// The item id, when an item.
    #[serde(skip_serializing_if = "Option::is_none")]
    item: Option<String>,
    /// The file, or the item's original path.
    path: String,
    sha256: Option<String>,
    /// The image's hashes; for a video, its first key frame's.
    phash: String,
    dhash: String,
    width: Option<u32>,
    height: Option<u32>,
    /// For a video: each kept key frame, every one of them a query.
    #[serde(skip_serializing_if = "Option::is_none")]
    key_frames: Option<Vec<FrameOut>>,
}

/// A key frame as reported.
#[derive(Debug, Clone, Serialize)]
struct FrameOut {
    at_ms: u64,
    phash: String,
    dhash: String,
}

/// One picture of the query: the image, or one key frame of the video.
#[derive(Debug, Clone, Copy)]
struct Picture {
    at_ms: Option<u64>,
    phash: u64,
    dhash: u64,
}

/// One item of a matching image or video, by its closest picture.
#[derive(Debug, Serialize)]
struct Match {
    case: String,
    item: String,
    original_path: String,
    sha256: String,
    phash_distance: u32,
    dhash_distance: u32,
    phash: String,
    dhash: String,
    acquired_at: String,
    /// When the match is a key frame of a video item: its time.
    #[serde(skip_serializing_if = "Option::is_none")]
    frame_at_ms: Option<u64>,
    /// When the query is a video: the time of its key frame that matched.
    #[serde(skip_serializing_if = "Option::is_none")]
    query_frame_at_ms: Option<u64>,
}

#[derive(Debug, Serialize)]
struct SimilarReport<'a> {
    query: &'a Query,
    distance: u32,
    algorithm: &'static str,
    case: Option<&'a str>,
    images_searched: usize,
    video_frames_searched: usize,
    matches: &'a [Match],
}

/// A stored picture in the index: an image, or a key frame of a video.
struct Indexed {
    sha256: Sha256Digest,
    at_ms: Option<u64>,
    phash: u64,
    dhash: u64,
}

/// The closest pair found for one stored content.
struct Closest {
    distances: (u32, u32),
    stored: usize,
    query_at_ms: Option<u64>,
}

async fn similar(vault: &Vault, args: &SimilarArgs) -> anyhow::Result<ExitCode> {
    let (query, pictures, skip_item) = resolve(vault, &args.target).await?;
    let case = match &args.case {
        Some(name) => Some(find_case(vault, name).await?),
        None => None,
    };
    let case_id = case.as_ref().map(|c| c.id);
    let images = vault.store.image_hashes(ALGORITHM, case_id).await?;
    let frames = vault.store.frame_hashes(ALGORITHM, case_id).await?;
    let (images_searched, frames_searched) = (images.len(), frames.len());
    let stored: Vec<Indexed> = images
        .into_iter()
        .map(|h| Indexed {
            sha256: h.sha256,
            at_ms: None,
            phash: h.phash,
            dhash: h.dhash,
        })
        .chain(frames.into_iter().map(|f| Indexed {
            sha256: f.sha256,
            at_ms: Some(f.time_ms),
            phash: f.phash,
            dhash: f.dhash,
        }))
        .collect();
    let pairs: Vec<(u64, u64)> = stored.iter().map(|h| (h.phash, h.dhash)).collect();
    let index = tokio::task::block_in_place(|| ImageIndex::new(&pairs))
        .context("building the image index")?;
    drop(pairs);

    // Per stored content, its closest picture to any picture of the query.
    let mut closest: std::collections::HashMap<Sha256Digest, Closest> =
        std::collections::HashMap::new();
    for picture in &pictures {
        for m in index.similar(picture.phash, picture.dhash, args.distance) {
            let Some(hit) = stored.get(m.id as usize) else {
                continue;
            };
            let distances = (m.phash_distance, m.dhash_distance);
            let better = closest
                .get(&hit.sha256)
                .is_none_or(|c| distances < c.distances);
            if better {
                closest.insert(
                    hit.sha256,
                    Closest {
                        distances,
                        stored: m.id as usize,
                        query_at_ms: picture.at_ms,
                    },
                );
            }
        }
    }
    let mut found: Vec<(Sha256Digest, Closest)> = closest.into_iter().collect();
    found.sort_by_key(|(sha256, c)| (c.distances, *sha256));

    let cases: std::collections::HashMap<Id, String> = vault
        .store
        .cases()
        .await?
        .into_iter()
        .map(|c| (c.id, c.name.as_str().to_string()))
        .collect();
    let mut matches = Vec::new();
    for (sha256, c) in &found {
        let Some(hit) = stored.get(c.stored) else {
            continue;
        };
        let items = vault
            .store
            .items(&ItemFilter {
                case_id,
                sha256: Some(*sha256),
                acquisition_id: None,
            })
            .await?;
        for item in items.iter().filter(|i| Some(i.id) != skip_item) {
            matches.push(Match {
                case: cases
                    .get(&item.case_id)
                    .cloned()
                    .unwrap_or_else(|| item.case_id.to_string()),
                item: item.id.to_string(),
                original_path: item.original_path.clone(),
                sha256: sha256.to_hex(),
                phash_distance: c.distances.0,
                dhash_distance: c.distances.1,
                phash: format!("{:016x}", hit.phash),
                dhash: format!("{:016x}", hit.dhash),
                acquired_at: item.acquired_at.to_utc_string(),
                frame_at_ms: hit.at_ms,
                query_frame_at_ms: c.query_at_ms,
            });
        }
    }

    if args.json {
        json_line(&SimilarReport {
            query: &query,
            distance: args.distance,
            algorithm: ALGORITHM,
            case: args.case.as_deref(),
            images_searched,
            video_frames_searched: frames_searched,
            matches: &matches,
        });
    }
    let frames_note = query
        .key_frames
        .as_ref()
        .map(|f| format!(", {} key frame(s)", f.len()))
        .unwrap_or_default();
    eprintln!(
        "{} {} (pHash {}, dHash {}{frames_note}): {} item(s) within distance {} among {} image(s) \
         and {} video key frame(s){}",
        query.kind,
        query.item.as_deref().unwrap_or(&query.path),
        query.phash,
        query.dhash,
        matches.len(),
        args.distance,
        images_searched,
        frames_searched,
        args.case
            .as_deref()
            .map(|c| format!(" of case {c}"))
            .unwrap_or_default()
    );
    for m in &matches {
        let mut line = format!(
            "  pHash {:>2}  dHash {:>2}  {}  {}  {}",
            m.phash_distance, m.dhash_distance, m.case, m.item, m.original_path
        );
        if let Some(ms) = m.frame_at_ms {
            line.push_str(&format!("  frame at {}", clock(ms)));
        }
        if let Some(ms) = m.query_frame_at_ms {
            line.push_str(&format!("  (query frame at {})", clock(ms)));
        }
        eprintln!("{line}");
    }
    Ok(ExitCode::SUCCESS)
}

/// A time within a video, as people read it: `m:ss.s`.
fn clock(ms: u64) -> String {
    format!("{}:{:04.1}", ms / 60_000, (ms % 60_000) as f64 / 1000.0)
}

/// The query's pictures: from an item (its stored hashes, else its blob) or
/// a file on disk; an image is one picture, a video its key frames. Errors
/// name the input; bad input exits 2.
async fn resolve(vault: &Vault, target: &str) -> anyhow::Result<(Query, Vec<Picture>, Option<Id>)> {
    let path = PathBuf::from(target);
    if let Ok(id) = Id::parse(target)
        && !path.exists()
    {
        let item = vault.store.item(id).await?.ok_or_else(|| {
            InputError(format!(
                "there is no item {id} in the vault at {} (and no file of that name)",
                vault.data_dir.display()
            ))
        })?;
        let hashes = item_hashes(vault, &item).await?;
        let query = query_of("item", Some(&item), &item.original_path, &hashes);
        return Ok((query, hashes.pictures(), Some(item.id)));
    }
    let hashes = file_hashes(&path)?;
    let query = query_of("file", None, &path.display().to_string(), &hashes);
    Ok((query, hashes.pictures(), None))
}

/// The hashes of what was asked about.
enum Hashed {
    Image(ImageHashes),
    Video {
        frames: Vec<Picture>,
        width: u32,
        height: u32,
    },
}

impl Hashed {
    fn pictures(&self) -> Vec<Picture> {
        match self {
            Hashed::Image(h) => vec![Picture {
                at_ms: None,
                phash: h.phash,
                dhash: h.dhash,
            }],
            Hashed::Video { frames, .. } => frames.clone(),
        }
    }
}

fn query_of(kind: &'static str, item: Option<&ItemRecord>, path: &str, hashes: &Hashed) -> Query {
    let (first, width, height, key_frames) = match hashes {
        Hashed::Image(h) => (
            (h.phash, h.dhash),
            (h.width > 0).then_some(h.width),
            (h.height > 0).then_some(h.height),
            None,
        ),
        Hashed::Video {
            frames,
            width,
            height,
        } => (
            frames.first().map_or((0, 0), |f| (f.phash, f.dhash)),
            Some(*width),
            Some(*height),
            Some(
                frames
                    .iter()
                    .map(|f| FrameOut {
                        at_ms: f.at_ms.unwrap_or(0),
                        phash: format!("{:016x}", f.phash),
                        dhash: format!("{:016x}", f.dhash),
                    })
                    .collect(),
            ),
        ),
    };
    Query {
        kind,
        item: item.map(|i| i.id.to_string()),
        path: path.to_owned(),
        sha256: item.map(|i| i.sha256.to_hex()),
        phash: format!("{:016x}", first.0),
        dhash: format!("{:016x}", first.1),
        width,
        height,
        key_frames,
    }
}

fn video_pictures(v: &qorgau_media::video::VideoHashes) -> Hashed {
    Hashed::Video {
        frames: v
            .frames
            .iter()
            .map(|f| Picture {
                at_ms: Some(f.time_ms),
                phash: f.hashes.phash,
                dhash: f.hashes.dhash,
            })
            .collect(),
        width: v.width,
        height: v.height,
    }
}

fn file_hashes(path: &Path) -> anyhow::Result<Hashed> {
    if path.is_dir() {
        return Err(InputError(format!(
            "{} is a folder; name an image or video file or a vault item id",
            path.display()
        ))
        .into());
    }
    let head = {
        use std::io::Read;
        let mut head = Vec::with_capacity(8192);
        std::fs::File::open(path)
            .and_then(|f| f.take(8192).read_to_end(&mut head))
            .map_err(|e| InputError(format!("{}: cannot read: {e}", path.display())))?;
        head
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let media_type = qorgau_vault::media_type::detect(&head, &name);
    if qorgau_media::video::hashable_video(&media_type) {
        let label = path.display().to_string();
        return tokio::task::block_in_place(|| qorgau_media::video::hash_video(path, &label))
            .map(|v| video_pictures(&v))
            .map_err(|e| InputError(e.to_string()).into());
    }
    tokio::task::block_in_place(|| phash::hash_file(path))
        .map(Hashed::Image)
        .map_err(|e| match e {
            // Unreadable or not an image: the user named something unusable.
            HashError::Io { .. }
            | HashError::NotAnImage { .. }
            | HashError::TooLarge { .. }
            | HashError::Decode { .. } => InputError(e.to_string()).into(),
            other => anyhow::Error::new(other),
        })
}

async fn item_hashes(vault: &Vault, item: &ItemRecord) -> anyhow::Result<Hashed> {
    let not_image = |reason: String| {
        InputError(format!(
            "item {} ({}) cannot be compared: {reason}",
            item.id, item.original_path
        ))
    };
    match vault.store.media_hash(&item.sha256, ALGORITHM).await? {
        Some(MediaHashRecord {
            outcome:
                MediaHashOutcome::Hashed {
                    phash,
                    dhash,
                    width,
                    height,
                },
            ..
        }) => Ok(Hashed::Image(ImageHashes {
            phash,
            dhash,
            width,
            height,
        })),
        Some(MediaHashRecord {
            outcome:
                MediaHashOutcome::KeyFrames {
                    frames,
                    width,
                    height,
                },
            ..
        }) => Ok(Hashed::Video {
            frames: frames
                .iter()
                .map(|f| Picture {
                    at_ms: Some(f.time_ms),
                    phash: f.phash,
                    dhash: f.dhash,
                })
                .collect(),
            width,
            height,
        }),
        Some(MediaHashRecord {
            outcome: MediaHashOutcome::Failed { reason },
            ..
        }) => Err(not_image(reason).into()),
        None => {
            let video = qorgau_media::video::hashable_video(&item.media_type);
            if !video && !phash::hashable(&item.media_type) {
                return Err(not_image(format!(
                    "it is {}, not a JPEG, PNG, GIF or WebP image or a video",
                    item.media_type
                ))
                .into());
            }
            // Acquired before hashing (or while ffmpeg was missing): hash
            // its stored copy now (`qorgau media index` stores the hashes of
            // all such items).
            let blob = vault.blobs.local(&item.sha256).await?;
            let hide = |e: String| not_image(e.replace(&blob.display().to_string(), ""));
            if video {
                return tokio::task::block_in_place(|| {
                    qorgau_media::video::hash_video(&blob, &item.original_path)
                })
                .map(|v| video_pictures(&v))
                .map_err(|e| hide(e.to_string()).into());
            }
            tokio::task::block_in_place(|| phash::hash_file(&blob))
                .map(Hashed::Image)
                .map_err(|e| hide(e.to_string()).into())
        }
    }
}

/// Progress of `media index`: a bar on stderr, JSON lines on stdout.
struct IndexProgress {
    bar: ProgressBar,
    json: bool,
}

impl IndexObserver for IndexProgress {
    fn planned(&self, blobs: u64) {
        self.bar.set_length(blobs);
    }

    fn done(&self, image: &UnhashedImage, record: &MediaHashRecord) {
        self.bar.inc(1);
        let (status, phash, dhash, reason) = match &record.outcome {
            MediaHashOutcome::Hashed { phash, dhash, .. } => (
                "hashed",
                Some(format!("{phash:016x}")),
                Some(format!("{dhash:016x}")),
                None,
            ),
            MediaHashOutcome::KeyFrames { frames, .. } => (
                "hashed",
                frames.first().map(|f| format!("{:016x}", f.phash)),
                frames.first().map(|f| format!("{:016x}", f.dhash)),
                None,
            ),
            MediaHashOutcome::Failed { reason } => {
                self.bar.suspend(|| eprintln!("not hashed: {reason}"));
                ("failed", None, None, Some(reason.clone()))
            }
        };
        if self.json {
            json_line(&serde_json::json!({
                "sha256": image.sha256.to_hex(),
                "item": image.item_id.to_string(),
                "original_path": image.original_path,
                "status": status,
                "phash": phash,
                "dhash": dhash,
                "reason": reason,
            }));
        }
    }

    fn unreadable(&self, image: &UnhashedImage, reason: &str) {
        self.bar.inc(1);
        self.bar.suspend(|| eprintln!("FAIL {reason}"));
        if self.json {
            json_line(&serde_json::json!({
                "sha256": image.sha256.to_hex(),
                "item": image.item_id.to_string(),
                "original_path": image.original_path,
                "status": "unreadable",
                "reason": reason,
            }));
        }
    }
}

async fn index(vault: &Vault, args: &IndexArgs) -> anyhow::Result<ExitCode> {
    let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} images, eta {eta}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    bar.set_message("hashing");
    let progress = IndexProgress {
        bar,
        json: args.json,
    };
    let summary = image_hashes::index_missing(vault, &progress).await;
    progress.bar.finish_and_clear();
    let summary = summary?;
    eprintln!(
        "{} image(s) without perceptual hashes: {} hashed, {} not hashable (reason kept), {} unreadable",
        summary.planned, summary.hashed, summary.failed, summary.unreadable
    );
    // Newly hashed images may be on a list's perceptual hashes.
    if summary.hashed > 0 && !vault.store.hash_lists().await?.is_empty() {
        let matches = qorgau_vault::restricted::match_lists(vault, None).await?;
        report_matches(&matches, false);
    }
    Ok(if summary.unreadable == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

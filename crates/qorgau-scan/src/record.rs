//! The output record of `qorgau scan`: one JSON object per document.
//!
//! Field names and value forms are a contract (issue 3): keep them stable,
//! add fields freely.

use std::collections::BTreeMap;

use serde::Serialize;

/// One document's result.
#[derive(Debug, Clone, Serialize)]
pub struct ScanRecord {
    /// The document's id as given.
    pub id: String,
    /// Language: ru, kk, en, ky, uz, mixed or und.
    pub lang: String,
    /// Flagged for a person to review (never acted on automatically).
    pub flagged: bool,
    /// Overall risk, 0..1.
    pub risk: f32,
    /// The leading scenario, or `none`.
    pub scenario: String,
    /// Score per scenario and `minor_involved`.
    pub scores: BTreeMap<String, f32>,
    /// Whether the text shows that a minor is targeted or involved.
    pub minor: bool,
    /// Indicators that fired, with spans (byte offsets) into the original text.
    pub indicators: Vec<IndicatorOut>,
    /// Context that lowered scores (warnings, news, licences), with spans.
    pub dampeners: Vec<IndicatorOut>,
    /// Identifiers found, validated and normalised.
    pub identifiers: Vec<IdentifierOut>,
    /// Near-duplicate cluster.
    pub cluster: Option<String>,
    /// Network of documents sharing identifiers.
    pub network: Option<String>,
    /// The document's role in the funnel (recruiting, client_facing, …).
    pub role: String,
    /// Lexicon version that produced the scores.
    pub lexicon_version: String,
    /// Model version and its effect, when a model was used.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model: Option<ModelOut>,
    /// Where the document came from, passed through.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Its URL, passed through.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The pictures it shows, with their perceptual hashes and, when another document of
    /// the batch shows the same picture, the link it made (see [`ImageOut`]).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub images: Vec<ImageOut>,
}

/// A picture of the document, as the source gave it and as linking judged it.
///
/// It exists so that an investigator sees why two documents were linked through a picture
/// (which group, how close, whether the group was set aside as a hub) and why a picture
/// was not compared at all (a missing or broken file, a remote URL, a featureless image).
#[derive(Debug, Clone, Serialize)]
pub struct ImageOut {
    /// A local file, relative to the input, as the source names it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// A remote picture (recorded, never fetched).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// For a key frame of a video (the video is `path` or `url`): its time
    /// from the start, in milliseconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub frame_ms: Option<u64>,
    /// The hash list that names the picture (known abuse material), as the
    /// monitoring run that fetched it found.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub listed: Option<String>,
    /// pHash, 16 hex digits (`qorgau_media::phash`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phash: Option<String>,
    /// dHash, 16 hex digits.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dhash: Option<String>,
    /// Width in pixels, when the file was decoded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub width: Option<u32>,
    /// Height in pixels, when the file was decoded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub height: Option<u32>,
    /// Why the picture was not read, not hashed or not compared, naming it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The group of near-duplicate pictures this one belongs to, when the group spans two
    /// or more documents of the batch.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub link: Option<ImageLinkOut>,
    /// The hashes to compare (both present, well-formed, of Qorgau's algorithm).
    #[serde(skip)]
    pub(crate) hashes: Option<(u64, u64)>,
}

/// How a picture is tied to the same picture in other documents: the reason behind an
/// `image` identifier in the network.
#[derive(Debug, Clone, Serialize)]
pub struct ImageLinkOut {
    /// The group's name, the value of the document's `image` identifier in the network
    /// (`phash:` and the pHash of the group's first picture).
    pub identifier: String,
    /// Documents of the batch that show a picture of the group.
    pub documents: usize,
    /// Pictures in the group.
    pub pictures: usize,
    /// The group's first picture in input order, which names it.
    pub first: FirstPictureOut,
    /// Bits in which this picture's pHash differs from the first picture's.
    pub phash_distance: u32,
    /// Bits in which this picture's dHash differs from the first picture's.
    pub dhash_distance: u32,
    /// Whether the group was set aside as a hub (a picture in too many documents or
    /// sources, such as a logo or a stock photo): reported, not linking.
    pub hub: bool,
}

/// The first picture of an image group: where it is, and its hashes.
#[derive(Debug, Clone, Serialize)]
pub struct FirstPictureOut {
    /// The document that shows it.
    pub document: String,
    /// Its path or URL, as the source names it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// Its pHash, 16 hex digits.
    pub phash: String,
    /// Its dHash, 16 hex digits.
    pub dhash: String,
}

/// An indicator (or dampener) that fired.
#[derive(Debug, Clone, Serialize)]
pub struct IndicatorOut {
    /// Lexicon entry id.
    pub id: String,
    /// Scenario it speaks for (`minor_involved`, `control`, … included).
    pub scenario: String,
    /// Byte range in the original text.
    pub span: [usize; 2],
    /// The original text of the span.
    pub text: String,
    /// Its weight.
    pub weight: f32,
    /// Why it is an indicator, for the investigator.
    pub why: String,
}

/// An identifier found.
#[derive(Debug, Clone, Serialize)]
pub struct IdentifierOut {
    /// phone, email, url, domain, telegram, whatsapp, instagram, tiktok,
    /// crypto, card, iban, iin or seed_phrase.
    pub kind: String,
    /// Normalised value.
    pub value: String,
    /// For crypto: btc, eth, tron, ltc, xmr, zec or ton.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub chain: Option<String>,
    /// Byte range in the original text.
    pub span: [usize; 2],
}

/// What the trained model did to the scores.
#[derive(Debug, Clone, Serialize)]
pub struct ModelOut {
    /// Model version.
    pub version: String,
    /// Per scenario: lexicon score, adjusted score and why.
    pub adjustments: BTreeMap<String, serde_json::Value>,
    /// The n-grams that moved the leading scenario, with weights.
    pub explanation: Vec<serde_json::Value>,
}

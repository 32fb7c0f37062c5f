//! What a protocol of inspection says, as plain data.
//!
//! The CLI fills an [`Inspection`] from the vault (capture records, items,
//! ledger key) and hands it to [`crate::render`]. Everything is serde so the
//! same data can be stored next to the rendered protocol or produced by
//! other tools; screenshots travel as base64 in JSON.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// One inspection of one or more internet resources: the content of one
/// protocol («протокол осмотра интернет-ресурса»).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inspection {
    /// Case (or pre-investigation material) number, as the agency writes it.
    pub case_id: String,
    /// Short title of the case.
    pub case_title: String,
    /// Where the protocol was drawn up, e.g. «г. Алматы»; `None` leaves it
    /// out.
    #[serde(default)]
    pub place: Option<String>,
    /// Who inspected.
    pub inspector: Person,
    /// Other persons present: specialist, attesting witnesses (понятые),
    /// interpreter. When empty, the protocol still prints blank signature
    /// lines for a specialist and two attesting witnesses, to fill by hand.
    #[serde(default)]
    pub participants: Vec<Participant>,
    /// When the inspection started (UTC; rendered in UTC and Asia/Almaty).
    pub started_at: DateTime<Utc>,
    /// When it finished; must not be before `started_at`.
    pub finished_at: DateTime<Utc>,
    /// The software that made the captures.
    pub tool: Tool,
    /// Name of the computer the inspection ran on.
    pub host_name: String,
    /// Network address the resources were accessed from (the public address
    /// where known); `None` prints "not recorded".
    #[serde(default)]
    pub source_address: Option<String>,
    /// Grounds and purpose (order, request, operational note), as the
    /// investigator words it.
    #[serde(default)]
    pub grounds: Option<String>,
    /// The resources inspected, in order.
    pub targets: Vec<Target>,
    /// Every file obtained, with its hashes (section 3 of the protocol).
    pub files: Vec<FileRow>,
    /// How to check the material offline.
    pub verification: Verification,
    /// RFC 3161 time stamps obtained for the capture manifests.
    #[serde(default)]
    pub time_stamps: Vec<TimeStamp>,
}

/// A person named in the protocol.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    /// Full name.
    pub name: String,
    /// Position and rank, e.g. «старший следователь, капитан полиции».
    pub position: String,
    /// Agency and unit.
    pub agency: String,
}

/// The role of a participant other than the inspector.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Специалист: a technical specialist invited to the inspection.
    Specialist,
    /// Понятой: an attesting witness.
    Witness,
    /// Переводчик.
    Interpreter,
    /// Anyone else taking part.
    Other,
}

/// A participant other than the inspector.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Participant {
    /// Their role.
    pub role: Role,
    /// Full name.
    pub name: String,
    /// Further details (position, address) as they should appear.
    #[serde(default)]
    pub details: Option<String>,
}

/// The software used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tool {
    /// Name, e.g. `qorgau`.
    pub name: String,
    /// Version, e.g. `0.1.0` (with a commit where known).
    pub version: String,
}

/// One inspected resource.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Target {
    /// The address as requested.
    pub url: String,
    /// The address after redirects, when it differs or is known.
    #[serde(default)]
    pub final_url: Option<String>,
    /// IP address of the server that answered.
    #[serde(default)]
    pub server_ip: Option<String>,
    /// Page title.
    #[serde(default)]
    pub title: Option<String>,
    /// HTTP status of the final response.
    #[serde(default)]
    pub http_status: Option<u16>,
    /// The server's TLS certificate, for HTTPS.
    #[serde(default)]
    pub tls: Option<Tls>,
    /// When the content was fixed.
    pub captured_at: DateTime<Utc>,
    /// Whether the capture is incomplete (timeout, blocked resources); a
    /// partial capture is marked as such in the protocol.
    #[serde(default)]
    pub partial: bool,
    /// Why it is partial.
    #[serde(default)]
    pub partial_reason: Option<String>,
    /// What was done, in order.
    #[serde(default)]
    pub steps: Vec<Step>,
    /// Screenshots to embed.
    #[serde(default)]
    pub screenshots: Vec<Screenshot>,
}

/// A TLS certificate as seen at capture time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tls {
    /// Subject (distinguished name or common name).
    pub subject: String,
    /// Issuer.
    pub issuer: String,
    /// Start of validity.
    pub valid_from: DateTime<Utc>,
    /// End of validity.
    pub valid_to: DateTime<Utc>,
}

/// One step of the inspection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    /// When it happened.
    pub at: DateTime<Utc>,
    /// What happened.
    #[serde(flatten)]
    pub action: Action,
}

/// What a step did. Known actions are worded by the catalogue in each
/// language; [`Action::Note`] carries free text as written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Action {
    /// An address was opened.
    Open {
        /// The address.
        url: String,
    },
    /// The server redirected.
    Redirect {
        /// From.
        from: String,
        /// To.
        to: String,
        /// HTTP status of the redirect.
        status: u16,
    },
    /// The page loaded and the network went quiet.
    Loaded,
    /// The page was scrolled to the end to load lazy content.
    Scrolled,
    /// A full-page screenshot was taken.
    Screenshot {
        /// Its file name.
        file: String,
    },
    /// The rendered page source was saved.
    SavedHtml {
        /// Its file name.
        file: String,
    },
    /// The network exchange was saved as WARC.
    SavedWarc {
        /// Its file name.
        file: String,
    },
    /// Hashes were computed.
    Hashed {
        /// How many files.
        count: u64,
    },
    /// Loading did not finish in time.
    Timeout {
        /// The limit, in seconds.
        seconds: u64,
    },
    /// An RFC 3161 time stamp was obtained.
    TimeStamped {
        /// The time-stamping authority.
        authority: String,
    },
    /// Anything else, in the investigator's words.
    Note {
        /// The text.
        text: String,
    },
}

/// A screenshot embedded in the protocol.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Screenshot {
    /// File name, as in the file table.
    pub name: String,
    /// The PNG file, byte for byte.
    #[serde(with = "base64_bytes")]
    pub png: Vec<u8>,
    /// Its SHA-256, hex; checked against `png` before rendering.
    pub sha256: String,
}

/// One file obtained, for the table of files.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileRow {
    /// Name or path inside the capture.
    pub name: String,
    /// Kind: `warc`, `screenshot`, `dom`, `title`, `text`, `links`, `media`,
    /// `capture`, `post`, `manifest`, `timestamp` are translated; anything
    /// else is printed as is.
    pub kind: String,
    /// Size in bytes.
    pub size: u64,
    /// MD5, 32 hex digits.
    pub md5: String,
    /// SHA-256, 64 hex digits.
    pub sha256: String,
}

/// What a reader needs to verify the material offline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verification {
    /// The vault's Ed25519 public key (hex, base64 or PEM body) that signs
    /// the custody ledger.
    pub public_key: String,
    /// SHA-256 of the capture manifest (which lists every file), hex.
    #[serde(default)]
    pub manifest_sha256: Option<String>,
    /// Signature over the manifest or the ledger entry that vouches for it.
    #[serde(default)]
    pub signature: Option<String>,
}

/// An RFC 3161 time stamp.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimeStamp {
    /// The time-stamping authority (name or URL).
    pub authority: String,
    /// The time it attests (genTime).
    pub time: DateTime<Utc>,
    /// Serial number of the token.
    pub serial: String,
    /// SHA-256 of the token file, hex.
    pub token_sha256: String,
}

/// Bytes as base64 in human-readable formats, so JSON stays compact.
mod base64_bytes {
    use base64::Engine as _;
    use base64::engine::general_purpose::STANDARD;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&STANDARD.encode(bytes))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        let s = String::deserialize(d)?;
        STANDARD
            .decode(s.as_bytes())
            .map_err(serde::de::Error::custom)
    }
}

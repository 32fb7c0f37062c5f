//! The input of an export: what a case may share, and nothing else.
//!
//! # Why there is no field for a person
//!
//! A bundle leaves Qorgau for partners (police of other regions, NGOs,
//! platforms, foreign liaison) under a TLP marking that Qorgau cannot enforce
//! once the file is gone. The study's rule that victim data is need-to-know
//! (DOMAIN.md, "Non-negotiables") therefore has to hold *before* export, so
//! the input is built to be unable to carry it:
//!
//! * there is no name, birth date, IIN, address, photo, age, nationality,
//!   account display name or free-text note anywhere in these types;
//! * an [`Indicator`] is a piece of the *network's* infrastructure — the ad
//!   domain, the recruiter's handle, the payment wallet — and must declare a
//!   perpetrator-side [`FunnelRole`]; there is deliberately no "victim" role,
//!   so a victim's phone or account cannot be declared as an indicator
//!   without misstating what it is;
//! * the STIX objects chosen for each kind omit the optional properties that
//!   name people (`display_name` on `user-account` and `email-addr`);
//! * labels are slugs ([`Label`]), relation reasons are a closed list
//!   ([`RelationReason`]) and the case is known by an opaque reference
//!   ([`CaseRef`]), so there is no prose field a note about a person could slip
//!   into. The report title is the one free text; it is length-limited and its
//!   documentation says it is shared.
//!
//! What the types cannot stop is an analyst typing a victim's own identifier
//! as a recruiter's: that decision stays with a person, as everywhere in
//! Qorgau.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Everything of one case that may be shared: its indicators and how they
/// are linked. Built by the case module from reviewed indicators, turned into
/// a bundle by [`crate::export_bundle`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CaseIndicators {
    /// The case as partners may refer to it in correspondence.
    pub case_ref: CaseRef,
    /// A random UUID generated once when the case is first shared and kept
    /// with it (never shown): the ids of the case's objects derive from it
    /// (see [`crate::ids::derived_id`]), so every export of the case names
    /// its objects alike and nobody else can compute them.
    pub id_seed: uuid::Uuid,
    /// The report's name, seen by every recipient: an operational title such
    /// as "Webcam studio recruitment network, Almaty", never a person's name.
    /// At most [`CaseIndicators::TITLE_MAX_CHARS`] characters, no control
    /// characters.
    pub title: String,
    /// When the shared picture of the case was first put together; becomes
    /// `created` of every object the case owns.
    pub created: DateTime<Utc>,
    /// When the shared content last changed; becomes `modified` (the STIX
    /// version) of every object the case owns, so exporting an unchanged case
    /// again yields the same objects and a TAXII server stores no new versions.
    pub modified: DateTime<Utc>,
    /// The organisation that shares the indicators (an `identity` of class
    /// `organization`), e.g. "Cyber police, Almaty (synthetic)".
    pub producer: String,
    /// How far the recipients may pass the bundle on.
    pub tlp: Tlp,
    /// The recruitment scenarios of the case (study, section 3).
    #[serde(default)]
    pub scenarios: Vec<Scenario>,
    /// The identifiers the network uses.
    pub indicators: Vec<Indicator>,
    /// Links between indicators that make them one network.
    #[serde(default)]
    pub relations: Vec<Relation>,
}

impl CaseIndicators {
    /// Longest accepted title: long enough for a descriptive heading, too
    /// short for case notes.
    pub const TITLE_MAX_CHARS: usize = 160;
    /// Longest accepted producer name.
    pub const PRODUCER_MAX_CHARS: usize = 200;
}

/// An opaque case reference (`[A-Za-z0-9._-]`, 1–64 characters) such as
/// `KZ-ALM-2026-0042`: partners can quote it back, and it cannot hold a name
/// with spaces or a sentence.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CaseRef(String);

impl CaseRef {
    /// Checks the form; see the type's documentation.
    pub fn new(value: impl Into<String>) -> Result<Self, crate::ModelError> {
        let value = value.into();
        let ok = !value.is_empty()
            && value.len() <= 64
            && value
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
        if ok {
            Ok(CaseRef(value))
        } else {
            Err(crate::ModelError::CaseRef { value })
        }
    }

    /// The reference as given.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for CaseRef {
    type Error = crate::ModelError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        CaseRef::new(value)
    }
}

impl From<CaseRef> for String {
    fn from(value: CaseRef) -> Self {
        value.0
    }
}

/// A tag on an indicator: a lowercase slug (`[a-z0-9]` first, then
/// `[a-z0-9._:-]`, at most 64 characters), e.g. `mirror-domain` or
/// `payment:prepayment`. Slugs keep labels to vocabulary and out of prose.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Label(String);

impl Label {
    /// Checks the form; see the type's documentation.
    pub fn new(value: impl Into<String>) -> Result<Self, crate::ModelError> {
        let value = value.into();
        let mut bytes = value.bytes();
        let ok = value.len() <= 64
            && bytes
                .next()
                .is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            && bytes.all(|b| {
                b.is_ascii_lowercase()
                    || b.is_ascii_digit()
                    || matches!(b, b'.' | b'_' | b':' | b'-')
            });
        if ok {
            Ok(Label(value))
        } else {
            Err(crate::ModelError::Label { value })
        }
    }

    /// The slug.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Label {
    type Error = crate::ModelError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Label::new(value)
    }
}

impl From<Label> for String {
    fn from(value: Label) -> Self {
        value.0
    }
}

/// Traffic Light Protocol 2.0 levels (FIRST). Every exported object carries
/// the level's marking, so a recipient's tooling can enforce it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Tlp {
    /// No limit on disclosure.
    Clear,
    /// The recipients' community.
    Green,
    /// The recipients' organisations and their clients, need-to-know.
    Amber,
    /// The recipients' organisations only.
    AmberStrict,
    /// The named recipients only.
    Red,
}

impl Tlp {
    /// Every level, least restrictive first (the order of [`Ord`]).
    pub const ALL: [Tlp; 5] = [
        Tlp::Clear,
        Tlp::Green,
        Tlp::Amber,
        Tlp::AmberStrict,
        Tlp::Red,
    ];
}

/// The recruitment and exploitation scenarios of the study (section 3), as
/// `qorgau-detect` names them, so a partner can filter by scenario.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scenario {
    /// Jobs abroad and deceptive relocation jobs.
    EmploymentAbroad,
    /// Model agencies, portfolio fees, video chat, webcam studios.
    ModelingWebcam,
    /// Romantic lures and grooming.
    RomanceGrooming,
    /// Client-facing escort and "massage" ads.
    EscortServices,
    /// Threats to publish intimate images.
    Sextortion,
}

impl Scenario {
    /// The name `qorgau-detect` uses, written as a STIX label.
    pub fn as_str(self) -> &'static str {
        match self {
            Scenario::EmploymentAbroad => "employment_abroad",
            Scenario::ModelingWebcam => "modeling_webcam",
            Scenario::RomanceGrooming => "romance_grooming",
            Scenario::EscortServices => "escort_services",
            Scenario::Sextortion => "sextortion",
        }
    }
}

/// What an identifier does for the network (the funnel of the study,
/// section 3, as `qorgau-network` names its roles). There is no role for a
/// victim or a witness: see the module documentation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FunnelRole {
    /// Bait that recruits: job, modelling, "online earnings" ads and contacts.
    Recruiting,
    /// Selling to clients: escort sites, their mirrors and contacts.
    ClientFacing,
    /// Contacts that pass rules, debts and threats to controlled people.
    Control,
    /// Grooming accounts.
    Grooming,
    /// Extortion accounts and leak channels.
    Extortion,
    /// Where the money goes: dropper wallets and payment contacts.
    Payment,
    /// Other infrastructure of the network (redirectors, hosting).
    Infrastructure,
}

impl FunnelRole {
    /// The role as a STIX label (`role:recruiting`, …).
    pub fn label(self) -> &'static str {
        match self {
            FunnelRole::Recruiting => "role:recruiting",
            FunnelRole::ClientFacing => "role:client_facing",
            FunnelRole::Control => "role:control",
            FunnelRole::Grooming => "role:grooming",
            FunnelRole::Extortion => "role:extortion",
            FunnelRole::Payment => "role:payment",
            FunnelRole::Infrastructure => "role:infrastructure",
        }
    }
}

/// One identifier the network uses, as the case module reviewed it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Indicator {
    /// What the value is.
    pub kind: IndicatorKind,
    /// The identifier as written by the extractor (normalised again on export;
    /// see [`crate::normalise_value`]).
    pub value: String,
    /// What it does for the network.
    pub role: FunnelRole,
    /// First time it was seen in preserved material.
    pub first_seen: DateTime<Utc>,
    /// Last time it was seen; `None` when seen once.
    #[serde(default)]
    pub last_seen: Option<DateTime<Utc>>,
    /// How many times it was seen (at least 1), shared as the
    /// `number_observed` of its `observed-data`.
    #[serde(default = "one")]
    pub times_seen: u32,
    /// Scenarios it was seen in.
    #[serde(default)]
    pub scenarios: Vec<Scenario>,
    /// Further tags.
    #[serde(default)]
    pub labels: Vec<Label>,
    /// The producer's confidence that the identifier belongs to the network,
    /// 0–100 (STIX confidence scale).
    pub confidence: u8,
}

fn one() -> u32 {
    1
}

/// The kinds of identifier the study names as the network's traces
/// (section 3 and 5.3): sites, links, mail, accounts, wallets, phones.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum IndicatorKind {
    /// A registrable domain or host name (`kyzdar4.example`).
    Domain,
    /// An `http`/`https` URL.
    Url,
    /// An e-mail address.
    Email,
    /// An account name on a platform (`@recruiter_example` on Telegram).
    Handle {
        /// Where the account lives.
        platform: Platform,
    },
    /// A cryptocurrency address.
    Wallet {
        /// Which chain it belongs to.
        chain: Chain,
    },
    /// A phone number in E.164 form (`+77010000000`).
    Phone,
}

/// Platforms whose accounts appear in the study's cases. The STIX
/// `account_type` is [`Platform::account_type`].
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Platform {
    /// Telegram.
    Telegram,
    /// WhatsApp (accounts are phone numbers; prefer [`IndicatorKind::Phone`]).
    Whatsapp,
    /// Instagram.
    Instagram,
    /// TikTok.
    Tiktok,
    /// VKontakte.
    Vk,
    /// Facebook.
    Facebook,
    /// X, formerly Twitter (STIX calls the account type `twitter`).
    X,
    /// OLX.kz classifieds.
    Olx,
    /// Any other platform, named by a lowercase slug (e.g. `stripchat`).
    Other(String),
}

impl Platform {
    /// The STIX `account_type` (open vocabulary `account-type-ov`; `facebook`
    /// and `twitter` are in the vocabulary, the others are platform slugs).
    pub fn account_type(&self) -> &str {
        match self {
            Platform::Telegram => "telegram",
            Platform::Whatsapp => "whatsapp",
            Platform::Instagram => "instagram",
            Platform::Tiktok => "tiktok",
            Platform::Vk => "vk",
            Platform::Facebook => "facebook",
            Platform::X => "twitter",
            Platform::Olx => "olx",
            Platform::Other(slug) => slug,
        }
    }

    /// Whether the platform treats account names case-insensitively, so the
    /// exported login is lowercased and ids agree however it was written.
    pub(crate) fn case_insensitive(&self) -> bool {
        !matches!(self, Platform::Other(_))
    }
}

/// Chains whose addresses appear in the study's cases (section 3.5: USDT on
/// Tron and Ethereum, BTC; Monero and Zcash, banned in Kazakhstan).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Chain {
    /// Bitcoin.
    Bitcoin,
    /// Ethereum and EVM chains with the same address form.
    Ethereum,
    /// Tron (USDT-TRC20).
    Tron,
    /// Litecoin.
    Litecoin,
    /// TON.
    Ton,
    /// Monero.
    Monero,
    /// Zcash.
    Zcash,
    /// Another chain, named by a lowercase slug.
    Other(String),
}

impl Chain {
    /// The name written to the wallet's `chain` property.
    pub fn as_str(&self) -> &str {
        match self {
            Chain::Bitcoin => "bitcoin",
            Chain::Ethereum => "ethereum",
            Chain::Tron => "tron",
            Chain::Litecoin => "litecoin",
            Chain::Ton => "ton",
            Chain::Monero => "monero",
            Chain::Zcash => "zcash",
            Chain::Other(slug) => slug,
        }
    }
}

/// A link between two indicators of the case, by their values as given in
/// [`Indicator::value`] (compared after normalisation).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Relation {
    /// Value of the first indicator.
    pub from: String,
    /// Value of the second indicator.
    pub to: String,
    /// Why they belong together.
    pub reason: RelationReason,
}

/// Why two indicators are linked: a closed list of what the network analysis
/// (`qorgau-network`) finds, so no free text travels with a relation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RelationReason {
    /// Both appear in the same advertisement or post.
    SameAdvert,
    /// The same ad template is posted with each.
    SharedTemplate,
    /// One domain mirrors the other (domain hopping, study 2.3.2).
    MirrorDomain,
    /// One is given as the contact of the other (a site lists a phone).
    ContactOf,
    /// One is where payments for the other are sent.
    PaymentFor,
    /// One redirects to the other.
    RedirectsTo,
}

impl RelationReason {
    /// The English sentence written as the relationship's description.
    pub fn description(self) -> &'static str {
        match self {
            RelationReason::SameAdvert => "Both appear in the same advertisement or post.",
            RelationReason::SharedTemplate => {
                "The same advertisement template is posted with both."
            }
            RelationReason::MirrorDomain => "One domain mirrors the other (domain hopping).",
            RelationReason::ContactOf => "The target is given as a contact of the source.",
            RelationReason::PaymentFor => "The target receives payments for the source.",
            RelationReason::RedirectsTo => "The source redirects to the target.",
        }
    }
}

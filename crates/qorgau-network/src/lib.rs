//! Networks behind trafficking ads: documents linked through the identifiers they share.
//!
//! Investigators follow a network through the same phone, Telegram handle, card, wallet,
//! e-mail or picture behind many ads and accounts — recruiting ads on one side,
//! client-facing escort ads on the other — and through escort sites that hop domains when
//! blocked (kyzdar.net → kyzdar2.net → kyzdar4.net). This crate turns per-document facts
//! into those networks. It knows nothing of HTTP, SQL or the detection crates: its input is
//! [`DocFacts`], plain strings, so any producer can feed it.
//!
//! ```
//! use qorgau_network::{DocFacts, NetworkBuilder, NetworkOptions};
//!
//! let mut builder = NetworkBuilder::new(NetworkOptions::default());
//! builder.add(DocFacts::new("ad-1").with_identifier("phone", "+77011234567"));
//! builder.add(DocFacts::new("ad-2").with_identifier("phone", "+7 701 123 45 67")
//!     .with_identifier("domain", "t.me")); // a hub: reported, never links
//! builder.add(DocFacts::new("ad-3").with_identifier("domain", "t.me"));
//! let networks = builder.build();
//! assert_eq!(networks.network_of("ad-1").map(|n| n.size), Some(2));
//! assert_eq!(networks.network_of("ad-3").map(|n| n.size), Some(1));
//! ```
//!
//! The flow: [`NetworkBuilder::add`] interns each identifier → [`NetworkBuilder::build`]
//! finds hubs ([`hubs`]), unions documents through every other shared identifier
//! ([`builder`] says what links and how network ids are made), groups mirror domains
//! ([`mirror`]), and summarises each [`Network`] (size, funnel [`Role`]s, time span,
//! identifiers, accounts, domains, mirror groups) → [`Networks::graph`] gives the graph
//! ([`graph`]) → [`export`] writes it as GraphML, GEXF, CSV or FollowTheMoney entities.

pub mod builder;
pub mod export;
pub mod facts;
pub mod graph;
pub mod hubs;
mod ident;
pub mod mirror;
pub mod networks;
mod unionfind;

pub use builder::{NetworkBuilder, NetworkOptions};
pub use facts::{DocFacts, IMAGE_KIND, Role, RoleCounts, parse_time};
pub use graph::{Edge, EdgeKind, Graph, Node, NodeKind, Scope};
pub use hubs::{Hub, HubList, HubReason, HubRule};
pub use mirror::{
    DomainName, MirrorEvidence, MirrorGroup, MirrorLink, MirrorMember, MirrorOptions, MirrorReason,
    mirror_groups, mirror_groups_with,
};
pub use networks::{Network, NetworkIdentifier, Networks};

/// The first 12 hex digits (48 bits) of SHA-256: short enough to read aloud, long enough
/// that a million networks rarely clash (and clashes are numbered, see [`builder`]).
pub(crate) fn short_hash(text: &str) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(text.as_bytes());
    let mut hex = hex::encode(digest);
    hex.truncate(12);
    hex
}

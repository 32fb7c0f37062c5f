//! Hub identifiers: values that many unrelated posters share, so that linking documents
//! through them would glue every network into one.
//!
//! Two kinds of hub are recognised, and both are *reported* (on [`crate::Networks::hubs`]
//! and on every network that mentions them) but never *merge* documents:
//!
//! 1. **The stop-list** (`data/hub_domains.txt`, editable): platform and service domains
//!    (`t.me`, `wa.me`, `instagram.com`, `olx.kz`, `gmail.com` as a domain, …). A `domain`
//!    identifier on the list is a hub, and so is a `url` to such a site with no path; a link
//!    *with* a path (`t.me/some_handle`, `wa.me/77011234567`) names its owner and links. The
//!    list may also name single values (`phone:+7…`) such as a public hotline.
//! 2. **The spread rule**, for hubs no list knows. An identifier is a hub when it is seen in
//!    many documents that otherwise belong to many *unrelated* groups. "Unrelated groups"
//!    are the connected components formed by all other, non-candidate identifiers; only
//!    groups of two or more documents count, since a group is evidence of a separate owner
//!    only when it is held together by an identifier of its own. Domains and bare links
//!    (the way platforms show up) become hubs at [`HubRule::platform_min_docs`] documents
//!    in [`HubRule::platform_min_groups`] groups. Identifiers that name a person or an
//!    account (phones, handles, cards, wallets, e-mail) are held to a far higher bar
//!    ([`HubRule::identity_min_docs`], [`HubRule::identity_min_groups`] and
//!    [`HubRule::identity_min_sources`] distinct sources), because a network that rotates
//!    dropper cards around one constant phone looks, in structure alone, just like a hub:
//!    only breadth over many unrelated sources tells a public hotline from a busy pimp.
//! 3. **Shared pictures** (identifiers of kind [`crate::IMAGE_KIND`]: a group of
//!    near-duplicate images, joined transitively by the producer) are held to a *lower*
//!    bar, with either of two measures enough: [`HubRule::image_hub_docs`] documents, or
//!    [`HubRule::image_hub_sources`] distinct sources. A picture is weaker evidence than a
//!    phone: a logo, a stock photo or a meme turns up in the ads of strangers, and a
//!    transitive group of look-alikes can chain two unrelated pictures through a third. A
//!    network's own photos are re-posted through its few channels and mirror sites; a
//!    picture spread over ten or more sources is spread like a platform's, and one in a
//!    hundred documents of one batch either is generic or belongs to a network so large
//!    that its phones and handles hold it together anyway, so the picture is not needed.
//!    As for every hub, the group is reported and never merges; an analyst who knows
//!    better names it in [`crate::NetworkOptions::never_hubs`] (`image:phash:…`).

use std::collections::HashSet;

use serde::Serialize;

use crate::ident;

const DEFAULT_LIST: &str = include_str!("../data/hub_domains.txt");

/// The editable stop-list of hub domains and values.
#[derive(Clone, Debug)]
pub struct HubList {
    domains: HashSet<String>,
    values: HashSet<(String, String)>,
}

impl Default for HubList {
    /// The list shipped in `data/hub_domains.txt`.
    fn default() -> Self {
        HubList::parse(DEFAULT_LIST)
    }
}

impl HubList {
    /// An empty list, for corpora where every domain is someone's own.
    pub fn empty() -> Self {
        HubList {
            domains: HashSet::new(),
            values: HashSet::new(),
        }
    }

    /// Reads a list in the format of `data/hub_domains.txt`: one entry per line, `#`
    /// comments, a bare name for a domain and `kind:value` for any other identifier.
    pub fn parse(text: &str) -> Self {
        let mut list = HubList::empty();
        for line in text.lines() {
            let line = line.split('#').next().unwrap_or("").trim();
            if line.is_empty() {
                continue;
            }
            list.add(line);
        }
        list
    }

    /// Adds one entry in the file's format.
    pub fn add(&mut self, entry: &str) {
        let entry = entry.trim();
        match entry.split_once(':') {
            Some((kind, value)) if !kind.contains('.') => {
                if let Some((kind, value)) = ident::normalize(kind, value) {
                    self.values.insert((kind.into_owned(), value.into_owned()));
                }
            }
            _ => {
                let domain = entry.trim_end_matches('.').to_lowercase();
                if !domain.is_empty() {
                    self.domains.insert(domain);
                }
            }
        }
    }

    /// Whether a domain (or host) is on the list, directly or through its registrable domain.
    pub fn contains_domain(&self, domain: &str) -> bool {
        let domain = domain.trim_end_matches('.').to_lowercase();
        let domain = domain.strip_prefix("www.").unwrap_or(&domain);
        self.domains.contains(domain) || self.domains.contains(&ident::registrable(domain))
    }

    /// Whether a normalised identifier is a listed hub (see the module doc for URLs).
    pub(crate) fn is_hub(&self, kind: &str, value: &str) -> bool {
        if self.values.contains(&(kind.to_owned(), value.to_owned())) {
            return true;
        }
        match kind {
            "domain" => self.contains_domain(value),
            "url" => {
                ident::url_is_bare(value)
                    && ident::host_of(value).is_some_and(|h| self.contains_domain(&h))
            }
            _ => false,
        }
    }
}

/// Thresholds of the spread rule (see the module doc); the defaults suit corpora from a few
/// thousand to millions of documents.
#[derive(Clone, Debug)]
pub struct HubRule {
    /// Documents a domain or bare link must appear in before it can be a hub.
    pub platform_min_docs: usize,
    /// Unrelated groups those documents must fall into.
    pub platform_min_groups: usize,
    /// Documents any other identifier must appear in before it can be a hub.
    pub identity_min_docs: usize,
    /// Unrelated groups those documents must fall into.
    pub identity_min_groups: usize,
    /// Distinct sources (`olx.kz`, `telegram:@x`, `web:site`) they must come from.
    pub identity_min_sources: usize,
    /// Documents from which a shared picture (an `image` identifier) is a hub, however its
    /// documents are otherwise grouped.
    pub image_hub_docs: usize,
    /// Distinct sources from which a shared picture is a hub, however few its documents.
    pub image_hub_sources: usize,
}

impl Default for HubRule {
    fn default() -> Self {
        HubRule {
            platform_min_docs: 20,
            platform_min_groups: 5,
            identity_min_docs: 200,
            identity_min_groups: 30,
            identity_min_sources: 30,
            image_hub_docs: 100,
            image_hub_sources: 10,
        }
    }
}

impl HubRule {
    /// A rule that never fires, so that only the stop-list makes hubs.
    pub fn off() -> Self {
        HubRule {
            platform_min_docs: usize::MAX,
            platform_min_groups: usize::MAX,
            identity_min_docs: usize::MAX,
            identity_min_groups: usize::MAX,
            identity_min_sources: usize::MAX,
            image_hub_docs: usize::MAX,
            image_hub_sources: usize::MAX,
        }
    }

    /// Whether a kind is judged as a platform (domains and links) or as an identity.
    pub(crate) fn is_platform_kind(kind: &str) -> bool {
        matches!(kind, "domain" | "url")
    }

    /// The document count from which an identifier of `kind` is a candidate (for a
    /// picture, the smaller of its two bars: sources never outnumber documents).
    pub(crate) fn min_docs(&self, kind: &str) -> usize {
        if Self::is_platform_kind(kind) {
            self.platform_min_docs
        } else if kind == crate::facts::IMAGE_KIND {
            self.image_hub_docs.min(self.image_hub_sources)
        } else {
            self.identity_min_docs
        }
        .max(2)
    }

    /// Whether a candidate's spread makes it a hub.
    pub(crate) fn is_hub(&self, kind: &str, docs: usize, groups: usize, sources: usize) -> bool {
        if kind == crate::facts::IMAGE_KIND {
            docs >= self.min_docs(kind)
                && (docs >= self.image_hub_docs || sources >= self.image_hub_sources)
        } else if Self::is_platform_kind(kind) {
            docs >= self.platform_min_docs && groups >= self.platform_min_groups
        } else {
            docs >= self.identity_min_docs
                && groups >= self.identity_min_groups
                && sources >= self.identity_min_sources
        }
    }
}

/// Why an identifier is a hub.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HubReason {
    /// It is on the stop-list.
    StopList,
    /// The spread rule found it in many documents of unrelated groups.
    Spread,
}

/// An identifier that was seen but not used to link documents, with the figures that made
/// it a hub, so an analyst can judge (and override through the options).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Hub {
    /// Identifier kind.
    pub kind: String,
    /// Normalised value.
    pub value: String,
    /// Documents that mention it.
    pub documents: usize,
    /// Distinct sources those documents come from.
    pub sources: usize,
    /// Unrelated groups (see the module doc) among those documents; 0 for stop-listed hubs,
    /// which are not measured.
    pub groups: usize,
    /// Why it is a hub.
    pub reason: HubReason,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stop_list_names_platforms_not_their_users() {
        let list = HubList::default();
        assert!(list.is_hub("domain", "t.me"));
        assert!(list.is_hub("domain", "olx.kz"));
        assert!(list.is_hub("url", "wa.me"));
        assert!(list.is_hub("url", "instagram.com/"));
        assert!(!list.is_hub("url", "t.me/kamila_vip"));
        assert!(!list.is_hub("email", "someone@gmail.com"));
        assert!(!list.is_hub("domain", "kyzdar.net"));
        assert!(list.contains_domain("api.whatsapp.com"));
    }

    #[test]
    fn pictures_are_hubs_by_documents_or_by_sources() {
        let rule = HubRule::default();
        let image = crate::facts::IMAGE_KIND;
        // A network's photo in a few of its channels links.
        assert!(!rule.is_hub(image, 2, 0, 1));
        assert!(!rule.is_hub(image, 40, 12, 3));
        assert!(!rule.is_hub(image, 99, 50, 9));
        // Ten sources are enough, whatever the count of documents…
        assert!(rule.is_hub(image, 10, 0, 10));
        assert!(rule.is_hub(image, 12, 1, 12));
        // …and so are a hundred documents, whatever the count of sources.
        assert!(rule.is_hub(image, 100, 1, 1));
        // The bar for pictures is lower than for a phone with the same spread.
        assert!(!rule.is_hub("phone", 100, 1, 1));
        assert!(!rule.is_hub("phone", 12, 12, 12));
        // Candidates are looked at from the lower of the two bars.
        assert_eq!(rule.min_docs(image), 10);
        assert_eq!(rule.min_docs("phone"), 200);
        // Turned off, nothing is a hub; one document is never a hub.
        assert!(!HubRule::off().is_hub(image, 1_000_000, 1_000, 1_000));
        let tiny = HubRule {
            image_hub_docs: 1,
            image_hub_sources: 1,
            ..HubRule::default()
        };
        assert!(!tiny.is_hub(image, 1, 1, 1));
        assert!(tiny.is_hub(image, 2, 1, 1));
    }

    #[test]
    fn list_takes_values_and_comments() {
        let list = HubList::parse("# c\nexample.org # trailing\nphone:+7 700 000 00 00\n");
        assert!(list.is_hub("domain", "example.org"));
        assert!(list.is_hub("phone", "+77000000000"));
        assert!(!list.is_hub("phone", "+77000000001"));
    }
}

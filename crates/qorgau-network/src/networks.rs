//! The built networks: which network each document is in, a summary per network, the hubs
//! that were not used to link, the mirror groups, and the graph behind it all.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, FixedOffset};
use serde::Serialize;

use crate::builder::{Interner, NetworkOptions};
use crate::facts::{DocFacts, Role, RoleCounts};
use crate::hubs::{Hub, HubReason};
use crate::mirror::MirrorGroup;

/// One added document with its interned parts.
#[derive(Debug)]
pub(crate) struct DocRecord {
    pub(crate) facts: DocFacts,
    pub(crate) idents: Vec<u32>,
    /// The `domain` identifier added only because the document is published on that site.
    pub(crate) host_only: Option<u32>,
    pub(crate) source: u32,
    pub(crate) account: Option<u32>,
    pub(crate) cluster: Option<u32>,
    pub(crate) role: Role,
}

/// One distinct identifier and the documents that carry it.
#[derive(Debug)]
pub(crate) struct Ident {
    pub(crate) kind: u32,
    pub(crate) value: Box<str>,
    pub(crate) docs: Vec<u32>,
    pub(crate) hub: Option<HubReason>,
}

/// One domain the documents touch.
#[derive(Debug)]
pub(crate) struct Domain {
    pub(crate) name: String,
    /// Documents that touch it, each once, in order.
    pub(crate) docs: Vec<u32>,
    /// Documents that name it as an identifier (a domain or a link).
    pub(crate) mentions: Vec<u32>,
    /// Documents published on it.
    pub(crate) hosted: Vec<u32>,
    pub(crate) first_seen: Option<DateTime<FixedOffset>>,
    pub(crate) last_seen: Option<DateTime<FixedOffset>>,
    pub(crate) mirror_group: Option<usize>,
    pub(crate) network: Option<u32>,
}

impl Domain {
    pub(crate) fn new(name: String) -> Self {
        Domain {
            name,
            docs: Vec::new(),
            mentions: Vec::new(),
            hosted: Vec::new(),
            first_seen: None,
            last_seen: None,
            mirror_group: None,
            network: None,
        }
    }

    pub(crate) fn touch(&mut self, doc: u32, hosted: bool, t: Option<DateTime<FixedOffset>>) {
        if self.docs.last() != Some(&doc) {
            self.docs.push(doc);
        }
        let list = if hosted {
            &mut self.hosted
        } else {
            &mut self.mentions
        };
        if list.last() != Some(&doc) {
            list.push(doc);
        }
        if let Some(t) = t {
            self.first_seen = Some(self.first_seen.map_or(t, |f| f.min(t)));
            self.last_seen = Some(self.last_seen.map_or(t, |l| l.max(t)));
        }
    }
}

/// An identifier of a network with the number of documents (in the whole corpus) carrying it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NetworkIdentifier {
    /// Identifier kind.
    pub kind: String,
    /// Normalised value.
    pub value: String,
    /// Documents that carry it.
    pub documents: usize,
}

/// One network: the documents linked by shared identifiers, and what an investigator reads
/// first about them (size, funnel, time span, identifiers, accounts, domains, mirrors).
#[derive(Clone, Debug, Serialize)]
pub struct Network {
    /// Stable readable id (see [`crate::builder`] for how it is made).
    pub id: String,
    /// Number of documents.
    pub size: usize,
    /// Document ids, in the order they were added.
    pub documents: Vec<String>,
    /// Documents flagged for review.
    pub flagged: usize,
    /// Documents per funnel role.
    pub roles: RoleCounts,
    /// Documents per scenario (`none` for documents without one).
    pub scenarios: BTreeMap<String, usize>,
    /// Documents per source.
    pub sources: BTreeMap<String, usize>,
    /// Accounts (`source/author`) that posted them.
    pub accounts: Vec<String>,
    /// Non-hub identifiers, by kind, most shared first.
    pub identifiers: Vec<NetworkIdentifier>,
    /// Count of distinct identifiers per kind.
    pub identifiers_by_kind: BTreeMap<String, usize>,
    /// Hub identifiers its documents mention (`kind:value`), which did not link.
    pub hubs: Vec<String>,
    /// Domains its documents name or are published on.
    pub domains: Vec<String>,
    /// Ids of the mirror groups its domains belong to.
    pub mirror_groups: Vec<String>,
    /// Documents per template cluster.
    pub clusters: BTreeMap<String, usize>,
    /// Earliest publication time.
    pub first_seen: Option<DateTime<FixedOffset>>,
    /// Latest publication time.
    pub last_seen: Option<DateTime<FixedOffset>>,
    #[serde(skip)]
    pub(crate) key: String,
    #[serde(skip)]
    pub(crate) doc_index: Vec<u32>,
}

impl Network {
    pub(crate) fn empty(key: String, doc_index: Vec<u32>) -> Self {
        Network {
            id: String::new(),
            size: doc_index.len(),
            documents: Vec::with_capacity(doc_index.len()),
            flagged: 0,
            roles: RoleCounts::default(),
            scenarios: BTreeMap::new(),
            sources: BTreeMap::new(),
            accounts: Vec::new(),
            identifiers: Vec::new(),
            identifiers_by_kind: BTreeMap::new(),
            hubs: Vec::new(),
            domains: Vec::new(),
            mirror_groups: Vec::new(),
            clusters: BTreeMap::new(),
            first_seen: None,
            last_seen: None,
            key,
            doc_index,
        }
    }

    /// How long the network has been seen active, when times are known.
    pub fn time_span(&self) -> Option<chrono::Duration> {
        Some(self.last_seen? - self.first_seen?)
    }

    /// A one-line summary for reports: size, funnel and span.
    pub fn describe(&self) -> String {
        let span = match (self.first_seen, self.last_seen) {
            (Some(f), Some(l)) => format!(", {} – {}", f.date_naive(), l.date_naive()),
            _ => String::new(),
        };
        format!(
            "{}: {} document{} ({}), {} identifier{}{}",
            self.id,
            self.size,
            if self.size == 1 { "" } else { "s" },
            self.roles.describe(),
            self.identifiers.len(),
            if self.identifiers.len() == 1 { "" } else { "s" },
            span
        )
    }
}

/// The result of [`crate::NetworkBuilder::build`].
#[derive(Debug)]
pub struct Networks {
    pub(crate) options: NetworkOptions,
    pub(crate) docs: Vec<DocRecord>,
    pub(crate) idents: Vec<Ident>,
    pub(crate) kinds: Interner,
    pub(crate) accounts: Interner,
    pub(crate) clusters: Interner,
    pub(crate) domains: Vec<Domain>,
    pub(crate) doc_network: Vec<u32>,
    pub(crate) networks: Vec<Network>,
    pub(crate) hubs: Vec<Hub>,
    pub(crate) mirror_groups: Vec<MirrorGroup>,
    by_id: HashMap<String, usize>,
    by_doc: HashMap<String, u32>,
}

impl Networks {
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn assemble(
        options: NetworkOptions,
        docs: Vec<DocRecord>,
        idents: Vec<Ident>,
        kinds: Interner,
        accounts: Interner,
        clusters: Interner,
        domains: Vec<Domain>,
        doc_network: Vec<u32>,
        networks: Vec<Network>,
        hubs: Vec<Hub>,
        mirror_groups: Vec<MirrorGroup>,
    ) -> Self {
        let by_id = networks
            .iter()
            .enumerate()
            .map(|(i, n)| (n.id.clone(), i))
            .collect();
        let mut by_doc = HashMap::with_capacity(docs.len());
        for (i, d) in docs.iter().enumerate() {
            by_doc.entry(d.facts.doc_id.clone()).or_insert(i as u32);
        }
        Networks {
            options,
            docs,
            idents,
            kinds,
            accounts,
            clusters,
            domains,
            doc_network,
            networks,
            hubs,
            mirror_groups,
            by_id,
            by_doc,
        }
    }

    /// Number of networks (singletons included).
    pub fn len(&self) -> usize {
        self.networks.len()
    }

    /// Whether there are no networks (no documents were added).
    pub fn is_empty(&self) -> bool {
        self.networks.is_empty()
    }

    /// All networks, biggest first, then by id.
    pub fn networks(&self) -> &[Network] {
        &self.networks
    }

    /// The network with this id.
    pub fn get(&self, id: &str) -> Option<&Network> {
        self.by_id.get(id).and_then(|&i| self.networks.get(i))
    }

    /// The network of the document with this id (the first added, if ids repeat).
    pub fn network_of(&self, doc_id: &str) -> Option<&Network> {
        let doc = *self.by_doc.get(doc_id)?;
        self.network_of_index(doc as usize)
    }

    /// The network of the document [`crate::NetworkBuilder::add`] returned `index` for.
    pub fn network_of_index(&self, index: usize) -> Option<&Network> {
        let net = *self.doc_network.get(index)?;
        self.networks.get(net as usize)
    }

    /// Number of documents.
    pub fn documents(&self) -> usize {
        self.docs.len()
    }

    /// The facts of the document at `index`.
    pub fn facts(&self, index: usize) -> Option<&DocFacts> {
        self.docs.get(index).map(|d| &d.facts)
    }

    /// Identifiers that were seen but did not link, most widespread first.
    pub fn hubs(&self) -> &[Hub] {
        &self.hubs
    }

    /// All mirror groups, biggest first.
    pub fn mirror_groups(&self) -> &[MirrorGroup] {
        &self.mirror_groups
    }

    /// The mirror group with this id.
    pub fn mirror_group(&self, id: &str) -> Option<&MirrorGroup> {
        self.mirror_groups.iter().find(|g| g.id == id)
    }

    /// The options the networks were built with.
    pub fn options(&self) -> &NetworkOptions {
        &self.options
    }

    /// Which network indices a scope selects.
    pub(crate) fn selected(&self, scope: &crate::graph::Scope<'_>) -> Vec<bool> {
        use crate::graph::Scope;
        match scope {
            Scope::All => vec![true; self.networks.len()],
            Scope::MinSize(min) => self.networks.iter().map(|n| n.size >= *min).collect(),
            Scope::Networks(ids) => self
                .networks
                .iter()
                .map(|n| ids.iter().any(|id| *id == n.id))
                .collect(),
        }
    }

    pub(crate) fn kind_name(&self, ident: &Ident) -> &str {
        self.kinds.name(ident.kind)
    }
}

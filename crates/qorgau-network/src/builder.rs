//! Turning documents into networks: identifiers interned as they arrive, then one
//! union-find pass at [`NetworkBuilder::build`].
//!
//! # What links documents
//! - **A shared identifier** (phone, WhatsApp, Telegram/Instagram/TikTok handle, e-mail,
//!   card, IBAN, IIN, wallet, seed phrase, domain, link) merges the documents that carry it,
//!   unless it is a hub ([`crate::hubs`]).
//! - **A shared picture** (an identifier of kind [`crate::IMAGE_KIND`]: the producer grouped
//!   near-duplicate images across the batch and gave every document in a group the group's
//!   name) links like any identifier, under its own hub rule ([`crate::HubRule`]); the
//!   distances that put each document in the group travel as
//!   [`DocFacts::identifier_notes`] to the graph's edges and the exports.
//! - **The site a document is published on** (a `web:<domain>` source, else the registrable
//!   host of its URL) counts as a `domain` identifier of the document while
//!   [`NetworkOptions::merge_hosts`] is on (the default): a site's own pages are posted by
//!   whoever runs it, an escort site's profiles are that site's client-facing ads, and a
//!   recruiting ad that names the site joins them. Platforms on the stop-list (`olx.kz`,
//!   `t.me`, `facebook.com`, …) are hubs as always, and the spread rule applies as to any
//!   domain, so a portal that publishes reports about many unrelated networks links nothing.
//! - **A template cluster** is a weaker tie: it is always drawn in the graph, and merges
//!   networks only with [`NetworkOptions::merge_clusters`] (default off: a template can be
//!   copied by anyone).
//! - **An account** (`source` + `author`) is drawn, and merges only with
//!   [`NetworkOptions::merge_accounts`] (default off: authors are display names that collide
//!   — many posters are called «Айгерим» — and a Telegram group carries many posters).
//! - **Mirror domains** ([`crate::mirror`]) are drawn and reported, and merge only with
//!   [`NetworkOptions::merge_mirrors`] (default off: a similar name is not proof of one owner).
//!
//! # Network ids
//! `n-` and the first 12 hex digits of SHA-256 of the network's smallest non-hub identifier
//! written `kind:value` (byte order), or, for a network with no identifier, of `doc:` and
//! its smallest document id. The id of a network thus depends only on what identifies it:
//! the same phone gives the same id in tomorrow's scan, and a document with one phone that
//! no other document shares still gets the id its network will have once others join.
//! Shared pictures never name a network: a group's name depends on which of its pictures
//! came first in the batch, so a network held together only by pictures is named by its
//! smallest document id.
//! Networks that merge take the smaller key's id. The rare clash of two 48-bit prefixes is
//! resolved by appending `-2`, `-3`, ….
//!
//! Every document belongs to exactly one network; one sharing nothing is a network of size 1
//! (so the `network` field of `qorgau scan` is never null, and `size` tells singletons apart).

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, FixedOffset};

use crate::facts::DocFacts;
use crate::hubs::{Hub, HubList, HubReason, HubRule};
use crate::ident;
use crate::mirror::{self, MirrorEvidence, MirrorOptions};
use crate::networks::{DocRecord, Domain, Ident, Network, NetworkIdentifier, Networks};
use crate::unionfind::UnionFind;

/// What to link by and how to judge hubs. The defaults are the ones documented on the module.
#[derive(Clone, Debug)]
pub struct NetworkOptions {
    /// The stop-list of hub domains and values.
    pub hub_list: HubList,
    /// The spread rule for hubs no list knows.
    pub hub_rule: HubRule,
    /// Identifiers (`kind:value`, normalised) never treated as hubs, whatever their spread:
    /// the analyst's override.
    pub never_hubs: HashSet<String>,
    /// Identifier kinds that never link (still listed on the network).
    pub ignore_kinds: HashSet<String>,
    /// Link documents published on the same (non-hub) site.
    pub merge_hosts: bool,
    /// Merge documents of the same template cluster.
    pub merge_clusters: bool,
    /// Merge documents posted by the same account (`source` + `author`).
    pub merge_accounts: bool,
    /// Merge the networks of mirror domains.
    pub merge_mirrors: bool,
    /// Mirror-name tuning.
    pub mirror: MirrorOptions,
    /// Content fingerprints of domains (e.g. SimHash of their pages), as mirror evidence.
    pub domain_fingerprints: HashMap<String, u64>,
}

impl Default for NetworkOptions {
    fn default() -> Self {
        NetworkOptions {
            hub_list: HubList::default(),
            hub_rule: HubRule::default(),
            never_hubs: HashSet::new(),
            ignore_kinds: HashSet::new(),
            merge_hosts: true,
            merge_clusters: false,
            merge_accounts: false,
            merge_mirrors: false,
            mirror: MirrorOptions::default(),
            domain_fingerprints: HashMap::new(),
        }
    }
}

/// Collects documents, then builds their networks in one pass.
///
/// Memory and time are linear in documents plus identifier mentions; identifiers are
/// interned once, so a million ads build in seconds.
#[derive(Debug)]
pub struct NetworkBuilder {
    options: NetworkOptions,
    docs: Vec<DocRecord>,
    ident_index: HashMap<Box<str>, u32>,
    idents: Vec<Ident>,
    kinds: Interner,
    sources: Interner,
    accounts: Interner,
    clusters: Interner,
    key: String,
}

#[derive(Debug, Default)]
pub(crate) struct Interner {
    index: HashMap<Box<str>, u32>,
    pub(crate) names: Vec<Box<str>>,
}

impl Interner {
    pub(crate) fn intern(&mut self, s: &str) -> u32 {
        if let Some(&i) = self.index.get(s) {
            return i;
        }
        let i = self.names.len() as u32;
        self.names.push(s.into());
        self.index.insert(s.into(), i);
        i
    }

    pub(crate) fn name(&self, i: u32) -> &str {
        self.names.get(i as usize).map_or("", |s| s)
    }
}

impl NetworkBuilder {
    /// A builder with the given options.
    pub fn new(options: NetworkOptions) -> Self {
        NetworkBuilder {
            options,
            docs: Vec::new(),
            ident_index: HashMap::new(),
            idents: Vec::new(),
            kinds: Interner::default(),
            sources: Interner::default(),
            accounts: Interner::default(),
            clusters: Interner::default(),
            key: String::new(),
        }
    }

    /// Adds one document and returns its index (the order of adding), by which
    /// [`Networks::network_of_index`] finds its network.
    pub fn add(&mut self, mut facts: DocFacts) -> usize {
        let index = self.docs.len();
        let mut ids: Vec<u32> = Vec::with_capacity(facts.identifiers.len() + 1);
        if !facts.identifier_notes.is_empty() {
            // Keyed by the identifier's normalised form, as the graph looks them up.
            let notes = std::mem::take(&mut facts.identifier_notes);
            for (key, note) in notes {
                if let Some((kind, value)) = key.split_once(':')
                    && let Some((kind, value)) = ident::normalize(kind, value)
                {
                    facts
                        .identifier_notes
                        .insert(format!("{kind}:{value}"), note);
                }
            }
        }
        let raw = std::mem::take(&mut facts.identifiers);
        let mut pairs: Vec<(Cow<'_, str>, Cow<'_, str>)> = raw
            .iter()
            .filter_map(|(kind, value)| ident::normalize(kind, value))
            .collect();
        let mut host_only = None;
        if self.options.merge_hosts
            && let Some(host) = hosting_domain(&facts)
            && !self.options.hub_list.contains_domain(&host)
            && !pairs.iter().any(|(k, v)| k == "domain" && *v == host)
        {
            host_only = Some(pairs.len());
            pairs.push((Cow::Borrowed("domain"), Cow::Owned(host)));
        }
        let mut host_ident = None;
        for (position, (kind, value)) in pairs.into_iter().enumerate() {
            self.key.clear();
            self.key.push_str(&kind);
            self.key.push(':');
            self.key.push_str(&value);
            let id = match self.ident_index.get(self.key.as_str()) {
                Some(&id) => id,
                None => {
                    let id = self.idents.len() as u32;
                    let kind_id = self.kinds.intern(&kind);
                    self.idents.push(Ident {
                        kind: kind_id,
                        value: value.into(),
                        docs: Vec::new(),
                        hub: None,
                    });
                    self.ident_index.insert(self.key.as_str().into(), id);
                    id
                }
            };
            if host_only == Some(position) {
                host_ident = Some(id);
            }
            ids.push(id);
        }
        ids.sort_unstable();
        ids.dedup();
        for &id in &ids {
            if let Some(ident) = self.idents.get_mut(id as usize) {
                ident.docs.push(index as u32);
            }
        }
        let source = self.sources.intern(&ident::source_key(
            facts.source.as_deref(),
            facts.url.as_deref(),
        ));
        let account = account_key(&facts).map(|k| self.accounts.intern(&k));
        let cluster = facts
            .cluster
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(|c| self.clusters.intern(c));
        let role = facts.effective_role();
        self.docs.push(DocRecord {
            facts,
            idents: ids,
            host_only: host_ident,
            source,
            account,
            cluster,
            role,
        });
        index
    }

    /// How many documents were added.
    pub fn len(&self) -> usize {
        self.docs.len()
    }

    /// Whether no document was added.
    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    /// Links the documents and summarises each network.
    pub fn build(mut self) -> Networks {
        let n = self.docs.len();
        let mut uf = UnionFind::new(n);
        let ignored: HashSet<u32> = self
            .options
            .ignore_kinds
            .iter()
            .filter_map(|k| self.kinds.index.get(k.as_str()).copied())
            .collect();

        // 1. Stop-listed hubs; candidates for the spread rule; everything else links now.
        let mut candidates: Vec<u32> = Vec::new();
        for (id, ident) in self.idents.iter_mut().enumerate() {
            let kind = self.kinds.name(ident.kind);
            if !self.options.never_hubs.is_empty()
                && self
                    .options
                    .never_hubs
                    .contains(&format!("{kind}:{}", ident.value))
            {
                continue;
            }
            if self.options.hub_list.is_hub(kind, &ident.value) {
                ident.hub = Some(HubReason::StopList);
            } else if ident.docs.len() >= self.options.hub_rule.min_docs(kind) {
                candidates.push(id as u32);
            }
        }
        let candidate_set: HashSet<u32> = candidates.iter().copied().collect();
        for (id, ident) in self.idents.iter().enumerate() {
            if ident.hub.is_some()
                || ignored.contains(&ident.kind)
                || candidate_set.contains(&(id as u32))
            {
                continue;
            }
            link_all(&mut uf, &ident.docs);
        }

        // 2. The spread rule, judged against the groups the other identifiers formed.
        let mut hubs: Vec<Hub> = Vec::new();
        for &id in &candidates {
            let Some(ident) = self.idents.get(id as usize) else {
                continue;
            };
            let kind = self.kinds.name(ident.kind);
            let mut groups: HashSet<u32> = HashSet::new();
            let mut sources: HashSet<u32> = HashSet::new();
            for &d in &ident.docs {
                if uf.set_size(d) >= 2 {
                    groups.insert(uf.find(d));
                }
                if let Some(doc) = self.docs.get(d as usize) {
                    sources.insert(doc.source);
                }
            }
            let rule = &self.options.hub_rule;
            if rule.is_hub(kind, ident.docs.len(), groups.len(), sources.len()) {
                hubs.push(Hub {
                    kind: kind.to_owned(),
                    value: ident.value.to_string(),
                    documents: ident.docs.len(),
                    sources: sources.len(),
                    groups: groups.len(),
                    reason: HubReason::Spread,
                });
            }
        }
        let spread_hubs: HashSet<(String, String)> = hubs
            .iter()
            .map(|h| (h.kind.clone(), h.value.clone()))
            .collect();
        for &id in &candidates {
            let Some(ident) = self.idents.get_mut(id as usize) else {
                continue;
            };
            let kind = self.kinds.name(ident.kind).to_owned();
            if spread_hubs.contains(&(kind, ident.value.to_string())) {
                ident.hub = Some(HubReason::Spread);
            } else if !ignored.contains(&ident.kind) {
                link_all(&mut uf, &ident.docs);
            }
        }
        for ident in &self.idents {
            if ident.hub == Some(HubReason::StopList) {
                let mut sources: HashSet<u32> = HashSet::new();
                for &d in &ident.docs {
                    if let Some(doc) = self.docs.get(d as usize) {
                        sources.insert(doc.source);
                    }
                }
                hubs.push(Hub {
                    kind: self.kinds.name(ident.kind).to_owned(),
                    value: ident.value.to_string(),
                    documents: ident.docs.len(),
                    sources: sources.len(),
                    groups: 0,
                    reason: HubReason::StopList,
                });
            }
        }
        hubs.sort_by(|a, b| {
            b.documents
                .cmp(&a.documents)
                .then_with(|| (&a.kind, &a.value).cmp(&(&b.kind, &b.value)))
        });

        // 3. Optional weaker ties.
        if self.options.merge_clusters {
            merge_by(&mut uf, self.docs.iter().map(|d| d.cluster));
        }
        if self.options.merge_accounts {
            merge_by(&mut uf, self.docs.iter().map(|d| d.account));
        }

        // 4. Domains and their mirror groups.
        let mut domains = self.collect_domains();
        let owner_of: HashMap<&str, u64> = domains
            .iter()
            .filter_map(|d| {
                d.docs
                    .first()
                    .map(|&doc| (d.name.as_str(), u64::from(uf.find(doc))))
            })
            .collect();
        let seen_of: HashMap<&str, (DateTime<FixedOffset>, DateTime<FixedOffset>)> = domains
            .iter()
            .filter_map(|d| Some((d.name.as_str(), (d.first_seen?, d.last_seen?))))
            .collect();
        let fingerprints = &self.options.domain_fingerprints;
        let content = |d: &str| fingerprints.get(d).copied();
        let owner = |d: &str| owner_of.get(d).copied();
        let seen = |d: &str| seen_of.get(d).copied();
        let evidence = MirrorEvidence {
            content: if fingerprints.is_empty() {
                None
            } else {
                Some(&content)
            },
            owner: Some(&owner),
            seen: Some(&seen),
        };
        let mirror_groups = mirror::mirror_groups_with(
            domains.iter().map(|d| d.name.as_str()),
            &self.options.mirror,
            &evidence,
        );
        if self.options.merge_mirrors {
            let by_name: HashMap<&str, &Domain> =
                domains.iter().map(|d| (d.name.as_str(), d)).collect();
            for group in &mirror_groups {
                let docs: Vec<u32> = group
                    .members
                    .iter()
                    .filter_map(|m| by_name.get(m.domain.as_str()))
                    .filter_map(|d| d.docs.first().copied())
                    .collect();
                link_all(&mut uf, &docs);
            }
        }
        let group_of: HashMap<&str, usize> = mirror_groups
            .iter()
            .enumerate()
            .flat_map(|(g, group)| group.members.iter().map(move |m| (m.domain.as_str(), g)))
            .collect();
        for d in &mut domains {
            d.mirror_group = group_of.get(d.name.as_str()).copied();
        }

        // 5. Networks.
        let mut root_to_net: HashMap<u32, u32> = HashMap::new();
        let mut members: Vec<Vec<u32>> = Vec::new();
        let mut doc_network: Vec<u32> = Vec::with_capacity(n);
        for d in 0..n as u32 {
            let root = uf.find(d);
            let net = *root_to_net.entry(root).or_insert_with(|| {
                members.push(Vec::new());
                (members.len() - 1) as u32
            });
            if let Some(m) = members.get_mut(net as usize) {
                m.push(d);
            }
            doc_network.push(net);
        }
        for d in &mut domains {
            let mut counts: HashMap<u32, usize> = HashMap::new();
            for &doc in &d.docs {
                if let Some(&net) = doc_network.get(doc as usize) {
                    *counts.entry(net).or_insert(0) += 1;
                }
            }
            d.network = counts
                .into_iter()
                .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
                .map(|(net, _)| net);
        }
        let keys = self.network_keys(&members, &doc_network);
        let mut networks: Vec<Network> = members
            .iter()
            .zip(keys)
            .map(|(docs, key)| Network::empty(key, docs.clone()))
            .collect();
        self.summarise(&mut networks, &doc_network, &domains, &mirror_groups);

        // Biggest first, then by id, for stable and readable listings.
        let mut order: Vec<usize> = (0..networks.len()).collect();
        order.sort_by(|&a, &b| {
            networks[b]
                .size
                .cmp(&networks[a].size)
                .then_with(|| networks[a].id.cmp(&networks[b].id))
        });
        let mut new_index = vec![0u32; networks.len()];
        for (new, &old) in order.iter().enumerate() {
            new_index[old] = new as u32;
        }
        let mut slots: Vec<Option<Network>> = networks.into_iter().map(Some).collect();
        let networks: Vec<Network> = order
            .iter()
            .filter_map(|&old| slots.get_mut(old).and_then(Option::take))
            .collect();
        for net in &mut doc_network {
            *net = new_index.get(*net as usize).copied().unwrap_or(0);
        }
        for d in &mut domains {
            d.network = d.network.and_then(|n| new_index.get(n as usize).copied());
        }

        Networks::assemble(
            self.options,
            self.docs,
            self.idents,
            self.kinds,
            self.accounts,
            self.clusters,
            domains,
            doc_network,
            networks,
            hubs,
            mirror_groups,
        )
    }

    /// Every domain the documents touch: `domain` identifiers, hosts of links, `web:` sources
    /// and document URLs, hubs left out.
    fn collect_domains(&self) -> Vec<Domain> {
        let mut index: HashMap<String, usize> = HashMap::new();
        let mut domains: Vec<Domain> = Vec::new();
        let mut touch = |name: String, doc: u32, hosted: bool, t: Option<DateTime<FixedOffset>>| {
            if self.options.hub_list.contains_domain(&name) {
                return;
            }
            let i = *index.entry(name.clone()).or_insert_with(|| {
                domains.push(Domain::new(name));
                domains.len() - 1
            });
            if let Some(d) = domains.get_mut(i) {
                d.touch(doc, hosted, t);
            }
        };
        for (doc, rec) in self.docs.iter().enumerate() {
            let doc = doc as u32;
            let t = rec.facts.published_at;
            for &id in &rec.idents {
                if rec.host_only == Some(id) {
                    continue;
                }
                let Some(ident) = self.idents.get(id as usize) else {
                    continue;
                };
                if ident.hub.is_some() {
                    continue;
                }
                match self.kinds.name(ident.kind) {
                    "domain" => touch(ident.value.to_string(), doc, false, t),
                    "url" => {
                        if let Some(host) = ident::host_of(&ident.value) {
                            touch(ident::registrable(&host), doc, false, t);
                        }
                    }
                    _ => {}
                }
            }
            if let Some(host) = hosting_domain(&rec.facts) {
                touch(host, doc, true, t);
            }
        }
        domains
    }

    /// The id key of each network: its smallest non-hub identifier other than a picture,
    /// else its smallest doc id.
    fn network_keys(&self, members: &[Vec<u32>], doc_network: &[u32]) -> Vec<String> {
        let mut best: Vec<Option<String>> = vec![None; members.len()];
        let mut key = String::new();
        let image_kind = self.kinds.index.get(crate::facts::IMAGE_KIND).copied();
        for ident in &self.idents {
            if ident.hub.is_some() || Some(ident.kind) == image_kind {
                continue;
            }
            let Some(&first) = ident.docs.first() else {
                continue;
            };
            let Some(&net) = doc_network.get(first as usize) else {
                continue;
            };
            key.clear();
            key.push_str(self.kinds.name(ident.kind));
            key.push(':');
            key.push_str(&ident.value);
            if let Some(slot) = best.get_mut(net as usize) {
                match slot {
                    Some(k) if key >= *k => {}
                    Some(k) => k.clone_from(&key),
                    None => *slot = Some(key.clone()),
                }
            }
        }
        members
            .iter()
            .zip(best)
            .map(|(docs, best)| match best {
                Some(key) => key,
                None => {
                    let smallest = docs
                        .iter()
                        .filter_map(|&d| self.docs.get(d as usize))
                        .map(|d| d.facts.doc_id.as_str())
                        .min()
                        .unwrap_or_default();
                    format!("doc:{smallest}")
                }
            })
            .collect()
    }

    fn summarise(
        &self,
        networks: &mut [Network],
        doc_network: &[u32],
        domains: &[Domain],
        mirror_groups: &[mirror::MirrorGroup],
    ) {
        // Ids, with clashes of the short hash resolved.
        let mut used: HashMap<String, usize> = HashMap::new();
        for net in networks.iter_mut() {
            let base = format!("n-{}", crate::short_hash(&net.key));
            let count = used.entry(base.clone()).or_insert(0);
            *count += 1;
            net.id = if *count == 1 {
                base
            } else {
                format!("{base}-{count}")
            };
        }
        for net in networks.iter_mut() {
            let mut accounts: Vec<u32> = Vec::new();
            let mut idents: Vec<u32> = Vec::new();
            for &d in &net.doc_index {
                let Some(doc) = self.docs.get(d as usize) else {
                    continue;
                };
                net.documents.push(doc.facts.doc_id.clone());
                if doc.facts.flagged {
                    net.flagged += 1;
                }
                net.roles.add(doc.role);
                count(
                    &mut net.scenarios,
                    doc.facts.scenario.as_deref().unwrap_or("none"),
                );
                count(&mut net.sources, self.sources.name(doc.source));
                if let Some(a) = doc.account {
                    accounts.push(a);
                }
                if let Some(c) = doc.cluster {
                    count(&mut net.clusters, self.clusters.name(c));
                }
                if let Some(t) = doc.facts.published_at {
                    net.first_seen = Some(net.first_seen.map_or(t, |f| f.min(t)));
                    net.last_seen = Some(net.last_seen.map_or(t, |l| l.max(t)));
                }
                idents.extend(doc.idents.iter().copied());
            }
            let mut accounts: Vec<String> = {
                accounts.sort_unstable();
                accounts.dedup();
                accounts
                    .into_iter()
                    .map(|a| self.accounts.name(a).to_owned())
                    .collect()
            };
            accounts.sort();
            net.accounts = accounts;
            idents.sort_unstable();
            idents.dedup();
            let mut listed: Vec<NetworkIdentifier> = Vec::new();
            let mut hub_names: Vec<String> = Vec::new();
            for id in idents {
                let Some(ident) = self.idents.get(id as usize) else {
                    continue;
                };
                let kind = self.kinds.name(ident.kind);
                if ident.hub.is_some() {
                    hub_names.push(format!("{kind}:{}", ident.value));
                    continue;
                }
                count(&mut net.identifiers_by_kind, kind);
                listed.push(NetworkIdentifier {
                    kind: kind.to_owned(),
                    value: ident.value.to_string(),
                    documents: ident.docs.len(),
                });
            }
            listed.sort_by(|a, b| {
                (&a.kind, std::cmp::Reverse(a.documents), &a.value).cmp(&(
                    &b.kind,
                    std::cmp::Reverse(b.documents),
                    &b.value,
                ))
            });
            hub_names.sort();
            net.identifiers = listed;
            net.hubs = hub_names;
        }
        // Domains and mirror groups per network (a domain belongs to every network whose
        // documents touch it).
        for d in domains {
            let mut nets: Vec<u32> = d
                .docs
                .iter()
                .filter_map(|&doc| doc_network.get(doc as usize).copied())
                .collect();
            nets.sort_unstable();
            nets.dedup();
            for net in nets {
                if let Some(network) = networks.get_mut(net as usize) {
                    network.domains.push(d.name.clone());
                    if let Some(g) = d.mirror_group.and_then(|g| mirror_groups.get(g))
                        && !network.mirror_groups.contains(&g.id)
                    {
                        network.mirror_groups.push(g.id.clone());
                    }
                }
            }
        }
        for net in networks.iter_mut() {
            net.domains.sort();
            net.mirror_groups.sort();
        }
    }
}

/// The site a document is published on: its `web:` source, else its URL's registrable host.
pub(crate) fn hosting_domain(facts: &DocFacts) -> Option<String> {
    facts
        .source
        .as_deref()
        .and_then(ident::web_source_domain)
        .or_else(|| {
            facts
                .url
                .as_deref()
                .and_then(ident::host_of)
                .map(|h| ident::registrable(&h))
        })
}

/// The account a document was posted by: `source/author`; without an author, the source
/// itself when it names a channel or site (`telegram:@x`, `web:site.kz`) rather than a
/// platform (`olx.kz`, `telegram:private`).
pub(crate) fn account_key(facts: &DocFacts) -> Option<String> {
    let source = facts
        .source
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let author = facts
        .author
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    match (source, author) {
        (Some(s), Some(a)) => Some(format!("{s}/{a}")),
        (Some(s), None) if s.contains(":@") || s.starts_with("web:") => Some(s.to_owned()),
        (None, Some(a)) => Some(a.to_owned()),
        _ => None,
    }
}

/// Adds one to `key`'s count, allocating the key only the first time.
fn count(map: &mut BTreeMap<String, usize>, key: &str) {
    match map.get_mut(key) {
        Some(n) => *n += 1,
        None => {
            map.insert(key.to_owned(), 1);
        }
    }
}

fn link_all(uf: &mut UnionFind, docs: &[u32]) {
    if let Some((&first, rest)) = docs.split_first() {
        for &d in rest {
            uf.union(first, d);
        }
    }
}

fn merge_by(uf: &mut UnionFind, keys: impl Iterator<Item = Option<u32>>) {
    let mut first: HashMap<u32, u32> = HashMap::new();
    for (doc, key) in keys.enumerate() {
        if let Some(k) = key {
            let head = *first.entry(k).or_insert(doc as u32);
            uf.union(head, doc as u32);
        }
    }
}

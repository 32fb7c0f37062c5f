//! The graph behind the networks, in the shape every export writes: nodes for documents,
//! accounts, identifiers, shared pictures, domains and template clusters; edges that each
//! carry the reason they exist ("shares phone +77011234567", "same template cluster c-12",
//! "shares image phash:…: pHash 3, dHash 5 bits from the group's first picture (dHash …,
//! in tg:…)",
//! "mirror of kyzdar.net: …") and whether that kind of tie merges networks.
//!
//! Hub identifiers are left out: drawn, they would join unrelated networks on screen just as
//! they would in the union-find. They are listed on [`crate::Networks::hubs`].

use std::collections::HashMap;

use chrono::{DateTime, FixedOffset};

use crate::facts::{IMAGE_KIND, Role};
use crate::networks::Networks;

/// Which networks a graph or export covers.
#[derive(Clone, Debug)]
pub enum Scope<'a> {
    /// Every network, singletons included.
    All,
    /// Networks of at least this many documents (2 drops the singletons).
    MinSize(usize),
    /// These networks, by id.
    Networks(Vec<&'a str>),
}

/// What a node stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NodeKind {
    /// An ad, post or message.
    Document,
    /// Who posted it (`source/author`).
    Account,
    /// A phone, handle, card, wallet, e-mail, link, … (domains have their own kind).
    Identifier,
    /// A registrable domain named in or hosting documents.
    Domain,
    /// A near-duplicate template cluster.
    Cluster,
    /// A picture shared by documents (a group of near-duplicate images, identifier kind
    /// [`crate::IMAGE_KIND`]): its own kind, because image reuse is the link investigators
    /// follow most, and a reader filters or colours it apart from phones and handles.
    Image,
}

impl NodeKind {
    /// The name written in exports.
    pub fn as_str(self) -> &'static str {
        match self {
            NodeKind::Document => "document",
            NodeKind::Account => "account",
            NodeKind::Identifier => "identifier",
            NodeKind::Domain => "domain",
            NodeKind::Cluster => "cluster",
            NodeKind::Image => "image",
        }
    }
}

/// What an edge says.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EdgeKind {
    /// Document → identifier it carries.
    Identifier,
    /// Document → account that posted it.
    PostedBy,
    /// Document → domain it names.
    MentionsDomain,
    /// Document → domain it is published on.
    HostedOn,
    /// Document → its template cluster.
    Cluster,
    /// Domain → the domain it mirrors.
    Mirror,
    /// Document → a picture it shows that other documents show too; the label says how
    /// close this document's copy is to the group's first picture.
    Image,
}

impl EdgeKind {
    /// The name written in exports.
    pub fn as_str(self) -> &'static str {
        match self {
            EdgeKind::Identifier => "identifier",
            EdgeKind::PostedBy => "posted_by",
            EdgeKind::MentionsDomain => "mentions_domain",
            EdgeKind::HostedOn => "hosted_on",
            EdgeKind::Cluster => "cluster",
            EdgeKind::Mirror => "mirror",
            EdgeKind::Image => "image",
        }
    }
}

/// One node with the attributes exports write (absent ones are left empty).
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    /// Unique id: `d:` document id, `a:` account, `i:kind:value` (pictures too:
    /// `i:image:phash:…`), `w:` domain, `c:` cluster.
    pub id: String,
    /// What it stands for.
    pub kind: NodeKind,
    /// What a person reads on screen.
    pub label: String,
    /// The network it belongs to (for domains, the network most of its documents are in).
    pub network: Option<String>,
    /// Identifier kind, for identifiers (`image` for pictures, `domain` for domains).
    pub ident_kind: Option<String>,
    /// Identifier value, domain name, account or cluster name.
    pub value: Option<String>,
    /// Scenario, for documents.
    pub scenario: Option<String>,
    /// Funnel role, for documents.
    pub role: Option<Role>,
    /// Flagged for review, for documents.
    pub flagged: Option<bool>,
    /// Source, for documents.
    pub source: Option<String>,
    /// URL, for documents.
    pub url: Option<String>,
    /// Documents behind it (1 for a document).
    pub documents: usize,
    /// Mirror group id, for domains.
    pub mirror_group: Option<String>,
    /// First time seen (publication time for a document).
    pub first_seen: Option<DateTime<FixedOffset>>,
    /// Last time seen.
    pub last_seen: Option<DateTime<FixedOffset>>,
}

impl Node {
    fn new(id: String, kind: NodeKind, label: String) -> Self {
        Node {
            id,
            kind,
            label,
            network: None,
            ident_kind: None,
            value: None,
            scenario: None,
            role: None,
            flagged: None,
            source: None,
            url: None,
            documents: 0,
            mirror_group: None,
            first_seen: None,
            last_seen: None,
        }
    }

    fn seen(&mut self, t: Option<DateTime<FixedOffset>>) {
        if let Some(t) = t {
            self.first_seen = Some(self.first_seen.map_or(t, |f| f.min(t)));
            self.last_seen = Some(self.last_seen.map_or(t, |l| l.max(t)));
        }
    }
}

/// One edge with its reason.
#[derive(Clone, Debug, PartialEq)]
pub struct Edge {
    /// Unique id (`e0`, `e1`, …).
    pub id: String,
    /// Source node id.
    pub source: String,
    /// Target node id.
    pub target: String,
    /// What it says.
    pub kind: EdgeKind,
    /// The reason in words, shown as the edge label.
    pub label: String,
    /// Whether this tie merged networks under the options used.
    pub merges: bool,
    /// When the tie was first seen (the document's publication time).
    pub start: Option<DateTime<FixedOffset>>,
}

/// Nodes and edges ready to export.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Graph {
    /// Nodes, documents first.
    pub nodes: Vec<Node>,
    /// Edges.
    pub edges: Vec<Edge>,
}

impl Graph {
    /// Whether any node or edge carries a time (exports then write a dynamic graph).
    pub fn has_times(&self) -> bool {
        self.nodes.iter().any(|n| n.first_seen.is_some())
    }
}

struct GraphBuilder {
    graph: Graph,
    index: HashMap<String, usize>,
}

impl GraphBuilder {
    fn node(&mut self, id: String, make: impl FnOnce(String) -> Node) -> usize {
        if let Some(&i) = self.index.get(&id) {
            return i;
        }
        let i = self.graph.nodes.len();
        self.index.insert(id.clone(), i);
        self.graph.nodes.push(make(id));
        i
    }

    fn get(&mut self, i: usize) -> Option<&mut Node> {
        self.graph.nodes.get_mut(i)
    }

    fn edge(
        &mut self,
        source: &str,
        target: &str,
        kind: EdgeKind,
        label: String,
        merges: bool,
        start: Option<DateTime<FixedOffset>>,
    ) {
        let id = format!("e{}", self.graph.edges.len());
        self.graph.edges.push(Edge {
            id,
            source: source.to_owned(),
            target: target.to_owned(),
            kind,
            label,
            merges,
            start,
        });
    }
}

impl Networks {
    /// The graph of the networks in `scope`.
    pub fn graph(&self, scope: &Scope<'_>) -> Graph {
        let selected = self.selected(scope);
        let in_scope = |doc: u32| {
            self.doc_network
                .get(doc as usize)
                .and_then(|&n| selected.get(n as usize))
                .copied()
                .unwrap_or(false)
        };
        let net_id = |doc: u32| {
            self.doc_network
                .get(doc as usize)
                .and_then(|&n| self.networks.get(n as usize))
                .map(|n| n.id.clone())
        };
        let mut gb = GraphBuilder {
            graph: Graph::default(),
            index: HashMap::new(),
        };
        let mut doc_nodes: Vec<u32> = Vec::new();
        for (net_index, net) in self.networks.iter().enumerate() {
            if selected.get(net_index).copied().unwrap_or(false) {
                doc_nodes.extend(net.doc_index.iter().copied());
            }
        }
        doc_nodes.sort_unstable();

        // Documents.
        for &d in &doc_nodes {
            let Some(doc) = self.docs.get(d as usize) else {
                continue;
            };
            let f = &doc.facts;
            let label = f
                .title
                .clone()
                .filter(|t| !t.trim().is_empty())
                .unwrap_or_else(|| f.doc_id.clone());
            let mut node = Node::new(format!("d:{}", f.doc_id), NodeKind::Document, label);
            node.network = net_id(d);
            node.value = Some(f.doc_id.clone());
            node.scenario = f.scenario.clone();
            node.role = Some(doc.role);
            node.flagged = Some(f.flagged);
            node.source = f.source.clone();
            node.url = f.url.clone();
            node.documents = 1;
            node.seen(f.published_at);
            let id = node.id.clone();
            gb.node(id, |_| node);
        }

        // Identifiers, accounts and clusters.
        let mut cluster_count: HashMap<u32, usize> = HashMap::new();
        for &d in &doc_nodes {
            if let Some(c) = self.docs.get(d as usize).and_then(|doc| doc.cluster) {
                *cluster_count.entry(c).or_insert(0) += 1;
            }
        }
        let ignored = &self.options.ignore_kinds;
        for &d in &doc_nodes {
            let Some(doc) = self.docs.get(d as usize) else {
                continue;
            };
            let t = doc.facts.published_at;
            let doc_node = format!("d:{}", doc.facts.doc_id);
            for &id in &doc.idents {
                let Some(ident) = self.idents.get(id as usize) else {
                    continue;
                };
                let kind = self.kind_name(ident);
                if ident.hub.is_some() || kind == "domain" {
                    continue;
                }
                let node_id = format!("i:{kind}:{}", ident.value);
                let (node_kind, edge_kind) = if kind == IMAGE_KIND {
                    (NodeKind::Image, EdgeKind::Image)
                } else {
                    (NodeKind::Identifier, EdgeKind::Identifier)
                };
                let i = gb.node(node_id.clone(), |nid| {
                    let mut n = Node::new(nid, node_kind, format!("{kind} {}", ident.value));
                    n.network = net_id(d);
                    n.ident_kind = Some(kind.to_owned());
                    n.value = Some(ident.value.to_string());
                    n.documents = ident.docs.len();
                    n
                });
                if let Some(n) = gb.get(i) {
                    n.seen(t);
                }
                let shared = ident.docs.len() >= 2;
                let verb = if shared { "shares" } else { "mentions" };
                let mut label = format!("{verb} {kind} {}", ident.value);
                if let Some(note) = doc
                    .facts
                    .identifier_notes
                    .get(node_id.strip_prefix("i:").unwrap_or(&node_id))
                    .filter(|n| !n.trim().is_empty())
                {
                    label.push_str(": ");
                    label.push_str(note.trim());
                }
                gb.edge(
                    &doc_node,
                    &node_id,
                    edge_kind,
                    label,
                    shared && !ignored.contains(kind),
                    t,
                );
            }
            if let Some(a) = doc.account {
                let name = self.accounts.name(a).to_owned();
                let node_id = format!("a:{name}");
                let i = gb.node(node_id.clone(), |nid| {
                    let mut n = Node::new(nid, NodeKind::Account, name.clone());
                    n.network = net_id(d);
                    n.value = Some(name.clone());
                    n.source = doc.facts.source.clone();
                    n
                });
                if let Some(n) = gb.get(i) {
                    n.documents += 1;
                    n.seen(t);
                }
                gb.edge(
                    &doc_node,
                    &node_id,
                    EdgeKind::PostedBy,
                    format!("posted by {name}"),
                    self.options.merge_accounts,
                    t,
                );
            }
            if let Some(c) = doc.cluster
                && cluster_count.get(&c).copied().unwrap_or(0) >= 2
            {
                let name = self.clusters.name(c).to_owned();
                let node_id = format!("c:{name}");
                let i = gb.node(node_id.clone(), |nid| {
                    let mut n = Node::new(nid, NodeKind::Cluster, format!("template {name}"));
                    n.value = Some(name.clone());
                    n.network = net_id(d);
                    n
                });
                if let Some(n) = gb.get(i) {
                    n.documents += 1;
                    n.seen(t);
                }
                gb.edge(
                    &doc_node,
                    &node_id,
                    EdgeKind::Cluster,
                    format!("same template cluster {name}"),
                    self.options.merge_clusters,
                    t,
                );
            }
        }

        // Domains.
        let mut domain_in_graph: HashMap<&str, ()> = HashMap::new();
        for dom in &self.domains {
            if !dom.docs.iter().any(|&d| in_scope(d)) {
                continue;
            }
            domain_in_graph.insert(dom.name.as_str(), ());
            let node_id = format!("w:{}", dom.name);
            let network = dom
                .network
                .and_then(|n| self.networks.get(n as usize))
                .map(|n| n.id.clone());
            let group = dom
                .mirror_group
                .and_then(|g| self.mirror_groups.get(g))
                .map(|g| g.id.clone());
            gb.node(node_id.clone(), |nid| {
                let mut n = Node::new(nid, NodeKind::Domain, dom.name.clone());
                n.network = network;
                n.ident_kind = Some("domain".into());
                n.value = Some(dom.name.clone());
                n.documents = dom.docs.len();
                n.mirror_group = group;
                n.first_seen = dom.first_seen;
                n.last_seen = dom.last_seen;
                n
            });
            for (docs, kind) in [
                (&dom.mentions, EdgeKind::MentionsDomain),
                (&dom.hosted, EdgeKind::HostedOn),
            ] {
                for &d in docs.iter().filter(|&&d| in_scope(d)) {
                    let Some(doc) = self.docs.get(d as usize) else {
                        continue;
                    };
                    let (label, merges) = match kind {
                        EdgeKind::HostedOn => (
                            format!("hosted on {}", dom.name),
                            self.options.merge_hosts && dom.hosted.len() >= 2,
                        ),
                        _ => {
                            let shared = dom.mentions.len() >= 2;
                            let verb = if shared { "shares" } else { "mentions" };
                            (format!("{verb} domain {}", dom.name), shared)
                        }
                    };
                    gb.edge(
                        &format!("d:{}", doc.facts.doc_id),
                        &node_id,
                        kind,
                        label,
                        merges,
                        doc.facts.published_at,
                    );
                }
            }
        }

        // Mirror links between domains both in the graph.
        for group in &self.mirror_groups {
            for link in &group.links {
                if domain_in_graph.contains_key(link.from.as_str())
                    && domain_in_graph.contains_key(link.to.as_str())
                {
                    let start = group
                        .members
                        .iter()
                        .find(|m| m.domain == link.from)
                        .and_then(|m| m.first_seen);
                    gb.edge(
                        &format!("w:{}", link.from),
                        &format!("w:{}", link.to),
                        EdgeKind::Mirror,
                        link.describe(),
                        self.options.merge_mirrors,
                        start,
                    );
                }
            }
        }
        gb.graph
    }
}

//! Batch work: assessing many documents on all cores in input order, and
//! linking them into clusters and networks.

use std::collections::HashSet;

use qorgau_cluster::{ClusterParams, Clusters, Signature, cluster_all};
use qorgau_network::{DocFacts, IMAGE_KIND, NetworkBuilder, NetworkOptions, Networks, parse_time};
use qorgau_sources::Document;

use crate::images::{ImageLinkOptions, group_pictures};
use crate::pipeline::{DocAssessment, Pipeline};

/// Documents assessed per round; each round is split across the threads.
const ROUND: usize = 4096;

/// Assesses documents on `threads` threads, keeping input order.
///
/// `on_document` is called on the calling thread with each input item in
/// order: an `Err` (a bad input line) is passed through for the caller to
/// report and does not stop the scan. The normalised text is kept only when
/// `keep_text` is set (templates need it), to bound memory on large inputs.
pub fn scan_parallel<E>(
    pipeline: &Pipeline,
    documents: impl Iterator<Item = Result<Document, E>>,
    threads: usize,
    keep_text: bool,
    mut on_error: impl FnMut(E),
    mut on_progress: impl FnMut(usize),
) -> Vec<DocAssessment> {
    let threads = threads.max(1);
    let mut out: Vec<DocAssessment> = Vec::new();
    let mut round: Vec<Document> = Vec::with_capacity(ROUND);
    let mut documents = documents.peekable();
    loop {
        round.clear();
        while round.len() < ROUND {
            match documents.next() {
                Some(Ok(doc)) => round.push(doc),
                Some(Err(e)) => on_error(e),
                None => break,
            }
        }
        if round.is_empty() {
            break;
        }
        let per = round.len().div_ceil(threads);
        let results: Vec<Vec<DocAssessment>> = std::thread::scope(|scope| {
            let handles: Vec<_> = round
                .chunks(per)
                .map(|chunk| {
                    scope.spawn(move || {
                        chunk
                            .iter()
                            .map(|d| {
                                let mut a = pipeline.assess(d);
                                if !keep_text {
                                    a.normalized = String::new();
                                }
                                a
                            })
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().unwrap_or_default())
                .collect()
        });
        for part in results {
            out.extend(part);
        }
        on_progress(out.len());
        if documents.peek().is_none() {
            break;
        }
    }
    out
}

/// What linking a batch produced.
pub struct Linked {
    /// Near-duplicate clusters (index = position in the batch).
    pub clusters: Clusters,
    /// Networks of documents sharing identifiers.
    pub networks: Networks,
}

/// The template of one cluster of at least two documents, for review.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ClusterSummary {
    /// The cluster label, as in the records.
    pub cluster: String,
    /// How many documents it holds.
    pub size: usize,
    /// Their ids (at most 1,000).
    pub documents: Vec<String>,
    /// Fixed text and varying slots.
    pub template: qorgau_cluster::Template,
    /// The template in one line: fixed text with `{a|b|…}` slots.
    pub template_text: String,
}

/// Templates of every cluster with two or more members; needs the batch to
/// have been scanned with `keep_text`.
pub fn cluster_summaries(assessed: &[DocAssessment], clusters: &Clusters) -> Vec<ClusterSummary> {
    let mut out = Vec::new();
    for c in 0..clusters.len() {
        if clusters.size(c) < 2 {
            continue;
        }
        let members: Vec<usize> = clusters.members(c).collect();
        let texts: Vec<&str> = members
            .iter()
            .filter_map(|&i| assessed.get(i).map(|a| a.normalized.as_str()))
            .collect();
        let template = qorgau_cluster::template(&texts);
        out.push(ClusterSummary {
            cluster: clusters.label(c).unwrap_or_default().to_owned(),
            size: members.len(),
            documents: members
                .iter()
                .take(1000)
                .filter_map(|&i| assessed.get(i).map(|a| a.record.id.clone()))
                .collect(),
            template_text: template.to_string(),
            template,
        });
    }
    out
}

/// Fills in `cluster` and `network` of every record, and the `link` of every picture
/// shared with another document ([`link_with`] with the default image rule).
pub fn link(assessed: &mut [DocAssessment], options: NetworkOptions) -> Linked {
    link_with(assessed, options, &ImageLinkOptions::default())
}

/// [`link`] with the rule for pictures given: near-duplicate pictures are grouped across
/// the batch (module `images`) and each group seen in two or more documents becomes an
/// `image` identifier of those documents, with how close each copy is as the reason.
pub fn link_with(
    assessed: &mut [DocAssessment],
    options: NetworkOptions,
    images: &ImageLinkOptions,
) -> Linked {
    let groups = group_pictures(assessed, images);
    let mut doc_images: Vec<Vec<(String, String)>> = vec![Vec::new(); assessed.len()];
    for group in &groups {
        for (doc, note) in &group.notes {
            if let Some(list) = doc_images.get_mut(*doc) {
                list.push((group.value.clone(), note.clone()));
            }
        }
    }
    let signatures: Vec<Signature> = assessed.iter().map(|a| a.signature.clone()).collect();
    let assignment = cluster_all(&signatures, &ClusterParams::default());
    let clusters = Clusters::from_assignment(&assignment, &signatures);
    drop(signatures);
    let mut builder = NetworkBuilder::new(options);
    for (i, a) in assessed.iter_mut().enumerate() {
        a.record.cluster = clusters.label_of(i).map(str::to_owned);
        let r = &a.record;
        let mut facts = DocFacts::new(r.id.clone());
        facts.published_at = a.published_at.as_deref().and_then(parse_time);
        facts.source = r.source.clone();
        facts.author = a.author.clone();
        facts.url = r.url.clone();
        facts.scenario = r.flagged.then(|| r.scenario.clone());
        facts.flagged = r.flagged;
        facts.identifiers = r
            .identifiers
            .iter()
            .map(|i| (i.kind.clone(), i.value.clone()))
            .collect();
        for (value, note) in doc_images
            .get_mut(i)
            .map(std::mem::take)
            .unwrap_or_default()
        {
            facts
                .identifier_notes
                .insert(format!("{IMAGE_KIND}:{value}"), note);
            facts.identifiers.push((IMAGE_KIND.to_owned(), value));
        }
        facts.cluster = r.cluster.clone();
        facts.lang = Some(r.lang.clone());
        builder.add(facts);
    }
    let networks = builder.build();
    let hubs: HashSet<&str> = networks
        .hubs()
        .iter()
        .filter(|h| h.kind == IMAGE_KIND)
        .map(|h| h.value.as_str())
        .collect();
    for (i, a) in assessed.iter_mut().enumerate() {
        a.record.network = networks.network_of_index(i).map(|n| n.id.clone());
        if !hubs.is_empty() {
            for link in a.record.images.iter_mut().filter_map(|i| i.link.as_mut()) {
                link.hub = hubs.contains(link.identifier.as_str());
            }
        }
    }
    Linked { clusters, networks }
}

//! Final clusters and their stable labels.
//!
//! Label choice: `c-` + 16 hex digits of the xxh3 hash of the cluster's
//! lexicographically smallest member signature. It depends only on the
//! members' content (and the MinHash parameters), not on doc ids, input
//! order or threads, so the same template found in two runs over different
//! corpora gets the same label as long as its smallest signature is shared.
//! Identical signatures always land in one cluster, so two clusters never
//! share a label. A document without any shingle (only emoji or
//! punctuation) is always a singleton and is labelled `c-empty-<doc id>`.

use std::collections::HashMap;

use xxhash_rust::xxh3::xxh3_64;

use crate::minhash::Signature;

/// The outcome of clustering: per document its cluster, per cluster its
/// members and label. Clusters are numbered from 0 in the order of their
/// first member.
#[derive(Debug, Clone)]
pub struct Clusters {
    docs: Vec<usize>,
    index: HashMap<usize, u32>,
    cluster: Vec<u32>,
    offsets: Vec<usize>,
    members: Vec<u32>,
    labels: Vec<String>,
}

impl Clusters {
    /// Clusters from the bulk path's output ([`crate::cluster_all`]), doc =
    /// index into `signatures`.
    pub fn from_assignment(assignment: &[u32], signatures: &[Signature]) -> Self {
        Self::build((0..assignment.len()).collect(), assignment, signatures)
    }

    /// `roots[i]` is the internal index of the first member of `i`'s
    /// cluster (always ≤ i).
    pub(crate) fn build(docs: Vec<usize>, roots: &[u32], sigs: &[Signature]) -> Self {
        let n = docs.len().min(roots.len());
        let mut number = vec![u32::MAX; n];
        let mut cluster = vec![0u32; n];
        let mut count = 0u32;
        for i in 0..n {
            let r = (roots[i] as usize).min(i);
            if number[r] == u32::MAX {
                number[r] = count;
                count += 1;
            }
            cluster[i] = number[r];
        }
        let k = count as usize;
        let mut offsets = vec![0usize; k + 1];
        for &c in &cluster {
            offsets[c as usize + 1] += 1;
        }
        for c in 0..k {
            offsets[c + 1] += offsets[c];
        }
        let mut fill = offsets.clone();
        let mut members = vec![0u32; n];
        for (i, &c) in cluster.iter().enumerate() {
            members[fill[c as usize]] = i as u32;
            fill[c as usize] += 1;
        }
        let labels = (0..k)
            .map(|c| {
                let ms = &members[offsets[c]..offsets[c + 1]];
                let smallest = ms
                    .iter()
                    .filter_map(|&i| sigs.get(i as usize))
                    .filter(|s| !s.is_empty())
                    .min();
                match smallest {
                    Some(s) => format!("c-{:016x}", xxh3_64(&s.to_bytes())),
                    None => format!("c-empty-{}", ms.first().map_or(0, |&i| docs[i as usize])),
                }
            })
            .collect();
        let index = docs
            .iter()
            .take(n)
            .enumerate()
            .map(|(i, &d)| (d, i as u32))
            .collect();
        Self {
            docs,
            index,
            cluster,
            offsets,
            members,
            labels,
        }
    }

    /// Number of clusters (singletons included).
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    /// True when no document was clustered.
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    /// Cluster number of `doc`.
    pub fn cluster_of(&self, doc: usize) -> Option<usize> {
        let &i = self.index.get(&doc)?;
        Some(self.cluster[i as usize] as usize)
    }

    /// Stable label of cluster number `cluster`.
    pub fn label(&self, cluster: usize) -> Option<&str> {
        self.labels.get(cluster).map(String::as_str)
    }

    /// Stable label of `doc`'s cluster: what `qorgau scan` writes as `cluster`.
    pub fn label_of(&self, doc: usize) -> Option<&str> {
        self.label(self.cluster_of(doc)?)
    }

    /// Doc ids of cluster number `cluster`, in insertion order.
    pub fn members(&self, cluster: usize) -> impl Iterator<Item = usize> + '_ {
        let range = match (self.offsets.get(cluster), self.offsets.get(cluster + 1)) {
            (Some(&s), Some(&e)) => s..e,
            _ => 0..0,
        };
        self.members[range].iter().map(|&i| self.docs[i as usize])
    }

    /// Number of members of cluster number `cluster`.
    pub fn size(&self, cluster: usize) -> usize {
        match (self.offsets.get(cluster), self.offsets.get(cluster + 1)) {
            (Some(&s), Some(&e)) => e - s,
            _ => 0,
        }
    }

    /// Every document's cluster number, in insertion order, as `(doc, cluster)`.
    pub fn assignments(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        self.docs
            .iter()
            .zip(&self.cluster)
            .map(|(&d, &c)| (d, c as usize))
    }
}

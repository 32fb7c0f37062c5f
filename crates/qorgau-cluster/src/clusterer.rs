//! The incremental clusterer: documents arrive one by one (monitoring) or in
//! batches, and each can be asked for its current cluster at any time.

use std::collections::HashMap;

use crate::clusters::Clusters;
use crate::lsh::{BandIndex, ClusterParams, Memo, band_key};
use crate::minhash::Signature;
use crate::parallel::threads;
use crate::union_find::UnionFind;

/// A document's current cluster, named by the earliest-inserted member (a
/// caller's doc id). It changes only when the cluster merges with one that
/// started earlier; the stable label comes from [`Clusters`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ClusterId(pub usize);

/// LSH banding index with union-find over verified bucket collisions, for
/// documents that arrive over time (monitoring). Inserting documents in doc
/// order gives exactly the clusters of [`crate::cluster_all`]. It keeps a
/// copy of every signature and about one map entry per document per band
/// (some 1 KB per document with the defaults); for a large corpus known up
/// front, [`crate::cluster_all`] needs far less.
pub struct Clusterer {
    params: ClusterParams,
    sigs: Vec<Signature>,
    docs: Vec<usize>,
    index: HashMap<usize, u32>,
    bands: Vec<BandIndex>,
    uf: UnionFind,
}

impl Clusterer {
    /// An empty clusterer.
    pub fn new(params: ClusterParams) -> Self {
        let mut bands = Vec::new();
        bands.resize_with(params.bands, BandIndex::default);
        Self {
            params,
            sigs: Vec::new(),
            docs: Vec::new(),
            index: HashMap::new(),
            bands,
            uf: UnionFind::default(),
        }
    }

    /// Number of documents inserted.
    pub fn len(&self) -> usize {
        self.docs.len()
    }

    /// True before the first insert.
    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    /// Adds document `doc` and returns its current cluster. A doc id seen
    /// before is not added again; its current cluster is returned.
    pub fn insert(&mut self, doc: usize, sig: &Signature) -> ClusterId {
        let Some(i) = self.register(doc, sig) else {
            return self.cluster_of(doc).unwrap_or(ClusterId(doc));
        };
        let Self {
            params,
            sigs,
            bands,
            uf,
            ..
        } = self;
        let sig = &sigs[i as usize];
        if !sig.is_empty() {
            let len = sig.values().len();
            let needed = params.needed(len);
            let mut memo = Memo::new(1);
            for (b, band) in bands.iter_mut().enumerate().take(params.bands_for(len)) {
                let similar =
                    |r: u32| memo.similar(0, r, || sig.agreeing(&sigs[r as usize]) >= needed);
                if let Some(r) = band.visit(
                    band_key(sig, b, params.rows),
                    i,
                    params.max_representatives,
                    similar,
                ) {
                    uf.union(i, r);
                }
            }
        }
        ClusterId(self.docs[self.uf.find(i) as usize])
    }

    /// Adds many documents at once, one thread per group of bands. The
    /// result is the same as inserting them one by one in this order.
    pub fn insert_many<'a>(&mut self, docs: impl IntoIterator<Item = (usize, &'a Signature)>) {
        let new: Vec<u32> = docs
            .into_iter()
            .filter_map(|(doc, sig)| self.register(doc, sig))
            .collect();
        let Self {
            params,
            sigs,
            bands,
            uf,
            ..
        } = self;
        let workers = threads(params.threads).min(bands.len()).max(1);
        let per = bands.len().div_ceil(workers).max(1);
        let sigs: &[Signature] = sigs;
        let params: &ClusterParams = params;
        let new = &new;
        let edges: Vec<Vec<(u32, u32)>> = std::thread::scope(|s| {
            let handles: Vec<_> = bands
                .chunks_mut(per)
                .enumerate()
                .map(|(c, chunk)| {
                    s.spawn(move || {
                        let mut edges = Vec::new();
                        let mut memo = Memo::new(new.len());
                        for (k, band) in chunk.iter_mut().enumerate() {
                            let b = c * per + k;
                            for (slot, &i) in new.iter().enumerate() {
                                let sig = &sigs[i as usize];
                                let len = sig.values().len();
                                if params.bands_for(len) <= b || sig.is_empty() {
                                    continue;
                                }
                                let needed = params.needed(len);
                                let similar = |r: u32| {
                                    memo.similar(slot, r, || {
                                        sig.agreeing(&sigs[r as usize]) >= needed
                                    })
                                };
                                let key = band_key(sig, b, params.rows);
                                if let Some(r) =
                                    band.visit(key, i, params.max_representatives, similar)
                                {
                                    edges.push((i, r));
                                }
                            }
                        }
                        edges
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
                .collect()
        });
        for (a, b) in edges.into_iter().flatten() {
            uf.union(a, b);
        }
    }

    /// The current cluster of `doc`, if it was inserted.
    pub fn cluster_of(&mut self, doc: usize) -> Option<ClusterId> {
        let &i = self.index.get(&doc)?;
        Some(ClusterId(self.docs[self.uf.find(i) as usize]))
    }

    /// The final clusters with their stable labels.
    pub fn finish(mut self) -> Clusters {
        let roots = self.uf.roots();
        Clusters::build(self.docs, &roots, &self.sigs)
    }

    /// Stores a new document; `None` if the doc id is already known.
    fn register(&mut self, doc: usize, sig: &Signature) -> Option<u32> {
        if self.index.contains_key(&doc) || self.docs.len() >= u32::MAX as usize {
            return None;
        }
        let i = self.uf.push();
        self.sigs.push(sig.clone());
        self.docs.push(doc);
        self.index.insert(doc, i);
        Some(i)
    }
}

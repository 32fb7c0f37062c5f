//! The bulk path: all signatures known up front, bands spread over threads.
//!
//! First all band keys are computed on all cores (each signature is read
//! once). Then each thread takes whole bands and walks the documents in doc
//! order through one band's bucket map, exactly as [`crate::Clusterer`]
//! does, so both paths give the same clusters. A signature is touched again
//! only to compare it with a bucket's representatives (which stay in cache),
//! and a [`Memo`] spares comparing a pair again in every band it shares.
//! Each thread keeps its own union-find and one band map that it clears
//! between bands; they are merged at the end. Memory beyond the
//! signatures: 4 bytes per document per band for the keys, and per thread
//! 24 bytes per document plus one band map.

use crate::lsh::{BandIndex, ClusterParams, Memo, band_key};
use crate::minhash::Signature;
use crate::parallel::threads;
use crate::union_find::UnionFind;

/// Clusters all `signatures` (doc = index) on all cores. Returns, for every
/// document, the index of the first document of its cluster (so a singleton
/// maps to itself). At most `u32::MAX` documents are clustered; any beyond
/// that stay singletons.
pub fn cluster_all(signatures: &[Signature], params: &ClusterParams) -> Vec<u32> {
    let n = signatures.len().min(u32::MAX as usize);
    let mut roots = if n == 0 || params.bands == 0 {
        (0..n as u32).collect()
    } else {
        cluster_prefix(&signatures[..n], params)
    };
    roots.extend((n..signatures.len()).map(|i| i as u32));
    roots
}

/// `cluster_all` for at least one document and one band.
fn cluster_prefix(sigs: &[Signature], params: &ClusterParams) -> Vec<u32> {
    let n = sigs.len();
    let workers = threads(params.threads).max(1);

    // Phase 1, all cores over document ranges: every band key, band-major,
    // and how many bands each document has (0 for an empty signature). Each
    // signature is read once here instead of once per band below.
    let mut keys = vec![0u32; params.bands * n];
    let mut nbands = vec![0u32; n];
    let chunk = n.div_ceil(workers).max(1);
    let mut rows: Vec<_> = keys
        .chunks_mut(n)
        .map(|row| row.chunks_mut(chunk))
        .collect();
    std::thread::scope(|s| {
        for (t, counts) in nbands.chunks_mut(chunk).enumerate() {
            let mut parts: Vec<&mut [u32]> = rows.iter_mut().filter_map(Iterator::next).collect();
            let lo = t * chunk;
            s.spawn(move || {
                for (k, count) in counts.iter_mut().enumerate() {
                    let sig = &sigs[lo + k];
                    if sig.is_empty() {
                        continue;
                    }
                    let bands = params.bands_for(sig.values().len());
                    *count = bands as u32;
                    for (b, part) in parts.iter_mut().enumerate().take(bands) {
                        part[k] = band_key(sig, b, params.rows);
                    }
                }
            });
        }
    });

    // Phase 2, one thread per group of bands, documents in order.
    let workers = workers.min(params.bands);
    let (keys, nbands) = (&keys, &nbands);
    let mut finds: Vec<UnionFind> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..workers)
            .map(|t| {
                s.spawn(move || {
                    let mut uf = UnionFind::new(n);
                    let mut index = BandIndex::default();
                    let mut memo = Memo::new(n);
                    for b in (t..params.bands).step_by(workers) {
                        index.clear();
                        let row = &keys[b * n..(b + 1) * n];
                        for (i, (&key, &count)) in row.iter().zip(nbands).enumerate() {
                            if count as usize <= b {
                                continue;
                            }
                            let sig = &sigs[i];
                            let similar = |r: u32| {
                                memo.similar(i, r, || {
                                    let needed = params.needed(sig.values().len());
                                    sig.agreeing(&sigs[r as usize]) >= needed
                                })
                            };
                            if let Some(r) =
                                index.visit(key, i as u32, params.max_representatives, similar)
                            {
                                uf.union(i as u32, r);
                            }
                        }
                    }
                    uf
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    });
    let Some((first, rest)) = finds.split_first_mut() else {
        return (0..n as u32).collect();
    };
    for other in rest {
        first.absorb(other);
    }
    first.roots()
}

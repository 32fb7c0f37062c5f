//! A small ordered parallel map over a slice with `std::thread::scope`.
//!
//! Written by hand instead of pulling in rayon: one function, used for
//! signing and by the benchmark, where chunked work with an atomic cursor
//! balances two cores as well as a work-stealing pool would.

use std::sync::atomic::{AtomicUsize, Ordering};

/// Number of worker threads: `requested`, or all cores when 0.
pub(crate) fn threads(requested: usize) -> usize {
    if requested > 0 {
        return requested;
    }
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// `items.iter().map(f).collect()`, on all cores, in input order.
pub(crate) fn map_chunks<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let workers = threads(0).min(items.len().div_ceil(256)).max(1);
    if workers == 1 {
        return items.iter().map(f).collect();
    }
    let chunk = 4096.min(items.len().div_ceil(workers * 4)).max(1);
    let chunks = items.len().div_ceil(chunk);
    let cursor = AtomicUsize::new(0);
    let mut parts: Vec<(usize, Vec<R>)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                s.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let c = cursor.fetch_add(1, Ordering::Relaxed);
                        if c >= chunks {
                            break;
                        }
                        let end = ((c + 1) * chunk).min(items.len());
                        done.push((c, items[c * chunk..end].iter().map(&f).collect()));
                    }
                    done
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    });
    parts.sort_unstable_by_key(|p| p.0);
    let mut out = Vec::with_capacity(items.len());
    for (_, part) in parts {
        out.extend(part);
    }
    out
}

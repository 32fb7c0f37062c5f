//! Disjoint sets over dense `u32` indices, with path halving and union by size, so that a
//! million documents join in near-linear time. Written out because it is twenty lines and
//! the crates that offer it bring generic machinery this does not need.

/// Disjoint sets of `0..n`.
#[derive(Clone, Debug)]
pub(crate) struct UnionFind {
    parent: Vec<u32>,
    size: Vec<u32>,
}

impl UnionFind {
    /// `n` singleton sets.
    pub(crate) fn new(n: usize) -> Self {
        UnionFind {
            parent: (0..n as u32).collect(),
            size: vec![1; n],
        }
    }

    /// The representative of `x`'s set.
    pub(crate) fn find(&mut self, mut x: u32) -> u32 {
        while let Some(&p) = self.parent.get(x as usize) {
            if p == x {
                break;
            }
            let grand = self.parent.get(p as usize).copied().unwrap_or(p);
            if let Some(slot) = self.parent.get_mut(x as usize) {
                *slot = grand;
            }
            x = grand;
        }
        x
    }

    /// Joins the sets of `a` and `b`; true when they were apart.
    pub(crate) fn union(&mut self, a: u32, b: u32) -> bool {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra == rb {
            return false;
        }
        let size = |s: &Vec<u32>, i: u32| s.get(i as usize).copied().unwrap_or(1);
        let (big, small) = if size(&self.size, ra) >= size(&self.size, rb) {
            (ra, rb)
        } else {
            (rb, ra)
        };
        let joined = size(&self.size, big) + size(&self.size, small);
        if let Some(slot) = self.parent.get_mut(small as usize) {
            *slot = big;
        }
        if let Some(slot) = self.size.get_mut(big as usize) {
            *slot = joined;
        }
        true
    }

    /// The size of `x`'s set.
    pub(crate) fn set_size(&mut self, x: u32) -> usize {
        let r = self.find(x);
        self.size.get(r as usize).copied().unwrap_or(1) as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_and_counts() {
        let mut uf = UnionFind::new(6);
        assert!(uf.union(0, 1));
        assert!(uf.union(2, 3));
        assert!(uf.union(1, 3));
        assert!(!uf.union(0, 2));
        assert_eq!(uf.find(0), uf.find(3));
        assert_ne!(uf.find(0), uf.find(4));
        assert_eq!(uf.set_size(2), 4);
        assert_eq!(uf.set_size(5), 1);
        assert_eq!(uf.find(99), 99, "out of range finds itself, no panic");
    }
}

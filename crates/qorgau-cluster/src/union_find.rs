//! Disjoint sets whose root is always the smallest index in the set.
//!
//! Making the smallest index the root (instead of union by rank) keeps the
//! result independent of the order of unions, so the bulk and incremental
//! paths and any number of threads give the same roots; path halving keeps
//! finds short.

/// Disjoint sets over `0..len`.
#[derive(Debug, Clone, Default)]
pub(crate) struct UnionFind {
    parent: Vec<u32>,
}

impl UnionFind {
    pub(crate) fn new(len: usize) -> Self {
        Self {
            parent: (0..len as u32).collect(),
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.parent.len()
    }

    /// Adds one singleton set and returns its index.
    pub(crate) fn push(&mut self) -> u32 {
        let i = self.parent.len() as u32;
        self.parent.push(i);
        i
    }

    /// The smallest index in `x`'s set.
    pub(crate) fn find(&mut self, mut x: u32) -> u32 {
        while self.parent[x as usize] != x {
            let grand = self.parent[self.parent[x as usize] as usize];
            self.parent[x as usize] = grand;
            x = grand;
        }
        x
    }

    pub(crate) fn union(&mut self, a: u32, b: u32) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra < rb {
            self.parent[rb as usize] = ra;
        } else if rb < ra {
            self.parent[ra as usize] = rb;
        }
    }

    /// Adds every union of `other` (same length) to `self`.
    pub(crate) fn absorb(&mut self, other: &mut UnionFind) {
        for i in 0..other.len() as u32 {
            let r = other.find(i);
            if r != i {
                self.union(i, r);
            }
        }
    }

    /// The root of every element.
    pub(crate) fn roots(&mut self) -> Vec<u32> {
        (0..self.parent.len() as u32)
            .map(|i| self.find(i))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn root_is_smallest_member_whatever_the_order() {
        let mut a = UnionFind::new(6);
        a.union(5, 4);
        a.union(4, 2);
        a.union(3, 1);
        let mut b = UnionFind::new(6);
        b.union(1, 3);
        b.union(2, 5);
        b.union(5, 4);
        assert_eq!(a.roots(), [0, 1, 2, 1, 2, 2]);
        assert_eq!(b.roots(), a.roots());
        let mut c = UnionFind::new(6);
        c.absorb(&mut a);
        assert_eq!(c.roots(), a.roots());
    }
}

//! Where Meek's ballots go: the path of each ballot through the elected candidates it ranks,
//! up to its first hopeful one, with ballots that share a path counted once.
//!
//! A Meek iteration gives every ballot to its candidates in order, each keeping a share; what a
//! ballot gives depends only on the sequence of candidates it reaches (excluded ones skipped,
//! elected ones passing the rest on, the first hopeful one keeping everything). Ballots with the
//! same such sequence give the same, so the paths form a tree whose nodes carry the number of
//! ballots through them, and an iteration costs one step per node instead of one per ballot.
//!
//! The tree only grows: when a hopeful candidate is elected, the ballots ending at it go on to
//! their next hopeful candidate; when one is excluded, they go on from its parent. Each ballot
//! is walked once in all over the count. Ballots with tied preferences are kept apart and
//! distributed one by one.
//!
//! When most remaining candidates are elected, paths get long and are shared less (with a
//! million random rankings and 9 of 11 candidates elected, the tree has 0.4 nodes per ballot;
//! with a few popular candidates, 2). Even then an iteration over the tree costs no more than
//! one over the ballots, and counts that elect many candidates early iterate most. The tree is
//! only dropped, for distributing the ballots one by one (`flat`), if it would pass 4 nodes per
//! ballot, to bound its memory; that gives the same votes, as a ballot gives the same whichever
//! way its path is walked.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use super::Status;
use crate::vote::ballot::Rankings;

/// No node: the ballot has no hopeful candidate left.
const NONE: u32 = u32::MAX;

/// The tree of ballot paths.
#[derive(Debug)]
pub(super) struct Paths {
    /// Node 0 is the root (no candidate); a node's parent always has a smaller index.
    parent: Vec<u32>,
    candidate: Vec<u16>,
    /// Ballots whose path goes through the node (or ends at it).
    through: Vec<u64>,
    /// Ballots whose path ends at the node with no hopeful candidate after it.
    ending: Vec<u64>,
    children: HashMap<u64, u32, BuildHasherDefault<NodeHasher>>,
    /// Each ballot's last node (its hopeful candidate), and that candidate's position on it.
    last: Vec<u32>,
    position: Vec<u32>,
    /// The ballots whose path ends at each hopeful candidate.
    piles: Vec<Vec<u32>>,
    /// Ballots with tied preferences, counted one by one.
    pub tied: Vec<u32>,
    /// The valid ballots without ties: counted one by one once `flat` is set.
    pub strict: Vec<u32>,
    pub flat: bool,
    /// The most nodes the tree may have.
    budget: usize,
    /// The nodes ballots go through, depth first, rebuilt after the tree changes.
    order: Order,
    changed: bool,
}

/// The nodes with ballots, in depth-first order (the root first), so that an iteration reads
/// each node's parent from close by: nodes are numbered as ballots happen to create them, and
/// reading parents in that order misses the cache on large trees.
#[derive(Debug, Default)]
pub(super) struct Order {
    /// The position of each node's parent in this order.
    pub parent: Vec<u32>,
    pub candidate: Vec<u16>,
    pub through: Vec<u64>,
    pub ending: Vec<u64>,
}

impl Paths {
    /// The paths of the valid ballots when `status` says who is hopeful.
    pub fn new(rankings: &Rankings, status: &[Status]) -> Paths {
        let mut paths = Paths {
            parent: vec![0],
            candidate: vec![u16::MAX],
            through: vec![0],
            ending: vec![0],
            children: HashMap::default(),
            last: vec![NONE; rankings.len()],
            position: vec![0; rankings.len()],
            piles: vec![Vec::new(); rankings.alternatives()],
            tied: Vec::new(),
            strict: Vec::new(),
            flat: false,
            budget: 0,
            order: Order::default(),
            changed: true,
        };
        for (b, ballot) in rankings.iter().enumerate() {
            if ballot.count == 0 {
                continue;
            }
            // Ballots with no candidate to count for are not valid votes: left out.
            if !ballot.alternatives.iter().any(|&c| status[usize::from(c)] == Status::Hopeful) {
                continue;
            }
            if ballot.has_ties() {
                paths.tied.push(b as u32);
            } else {
                paths.through[0] += ballot.count;
                paths.walk(rankings, status, b, 0, 0);
                paths.strict.push(b as u32);
            }
        }
        paths.budget = (4 * paths.strict.len()).max(1 << 12);
        paths
    }

    /// The number of nodes.
    pub fn len(&self) -> usize {
        self.parent.len()
    }

    /// Ballots that no candidate is left for.
    pub fn exhausted_at_root(&self) -> u64 {
        self.ending[0]
    }

    /// The nodes with ballots, depth first (without the root).
    pub fn order(&mut self) -> &Order {
        if self.changed {
            self.changed = false;
            self.order = self.depth_first();
        }
        &self.order
    }

    fn depth_first(&self) -> Order {
        let n = self.len();
        // Children lists of the live nodes, by counting sort on the parent.
        let mut first = vec![0u32; n + 1];
        for node in 1..n {
            if self.through[node] > 0 {
                first[self.parent[node] as usize + 1] += 1;
            }
        }
        for i in 0..n {
            first[i + 1] += first[i];
        }
        let mut next = first.clone();
        let mut children = vec![0u32; first[n] as usize];
        for node in 1..n {
            if self.through[node] > 0 {
                let p = self.parent[node] as usize;
                children[next[p] as usize] = node as u32;
                next[p] += 1;
            }
        }
        let mut order = Order::default();
        let mut stack: Vec<(u32, u32)> = vec![(0, 0)];
        let mut position = vec![0u32; n];
        while let Some((node, parent)) = stack.pop() {
            let node = node as usize;
            let at = order.parent.len() as u32;
            position[node] = at;
            order.parent.push(parent);
            order.candidate.push(self.candidate[node]);
            order.through.push(self.through[node]);
            order.ending.push(self.ending[node]);
            for &child in children[first[node] as usize..first[node + 1] as usize].iter().rev() {
                stack.push((child, at));
            }
        }
        order
    }

    /// Candidate `c` was elected: its ballots go on to their next hopeful candidate.
    pub fn elected(&mut self, rankings: &Rankings, status: &[Status], c: usize) {
        if self.too_big(c) {
            return;
        }
        for b in self.take_pile(c) {
            let b = b as usize;
            let (node, from) = (self.last[b], self.position[b] as usize + 1);
            self.walk(rankings, status, b, from, node);
        }
    }

    /// Candidate `c` was excluded: its ballots go on from the node before it.
    pub fn excluded(&mut self, rankings: &Rankings, status: &[Status], c: usize) {
        if self.too_big(c) {
            return;
        }
        for b in self.take_pile(c) {
            let b = b as usize;
            let node = self.last[b] as usize;
            self.through[node] -= rankings.get(b).count;
            self.changed = true;
            let from = self.position[b] as usize + 1;
            self.walk(rankings, status, b, from, self.parent[node]);
        }
    }

    /// Whether the tree is dropped (now, if moving the ballots ending at `c` could take it past
    /// its budget: each may add a node per candidate left on it; 8 is a fair guess).
    fn too_big(&mut self, c: usize) -> bool {
        if !self.flat && self.len() + 8 * self.piles[c].len() > self.budget {
            self.drop_tree();
        }
        self.flat
    }

    /// Drops the tree: from now on ballots are distributed one by one.
    pub fn drop_tree(&mut self) {
        *self = Paths { strict: std::mem::take(&mut self.strict), tied: std::mem::take(&mut self.tied), ..Paths::flat() };
    }

    /// A tree dropped for one-by-one counting.
    fn flat() -> Paths {
        Paths {
            parent: vec![0],
            candidate: vec![u16::MAX],
            through: vec![0],
            ending: vec![0],
            children: HashMap::default(),
            last: Vec::new(),
            position: Vec::new(),
            piles: Vec::new(),
            tied: Vec::new(),
            strict: Vec::new(),
            flat: true,
            budget: 0,
            order: Order::default(),
            changed: true,
        }
    }

    /// The ballots ending at `c`, in the order they are stored (which keeps walking them in step
    /// with the memory).
    fn take_pile(&mut self, c: usize) -> Vec<u32> {
        let mut pile = std::mem::take(&mut self.piles[c]);
        pile.sort_unstable();
        pile
    }

    /// Extends ballot `b`'s path from `node`, reading the ballot from position `from`.
    fn walk(&mut self, rankings: &Rankings, status: &[Status], b: usize, from: usize, mut node: u32) {
        self.changed = true;
        let ballot = rankings.get(b);
        let count = ballot.count;
        for (at, &c) in ballot.alternatives.iter().enumerate().skip(from) {
            match status[usize::from(c)] {
                Status::Elected | Status::Pending => {
                    node = self.child(node, c);
                    self.through[node as usize] += count;
                }
                Status::Hopeful => {
                    node = self.child(node, c);
                    self.through[node as usize] += count;
                    self.last[b] = node;
                    self.position[b] = at as u32;
                    self.piles[usize::from(c)].push(b as u32);
                    return;
                }
                Status::Excluded | Status::Withdrawn => {}
            }
        }
        self.ending[node as usize] += count;
        self.last[b] = NONE;
    }

    fn child(&mut self, node: u32, c: u16) -> u32 {
        let key = u64::from(node) << 16 | u64::from(c);
        if let Some(&child) = self.children.get(&key) {
            return child;
        }
        let child = self.parent.len() as u32;
        self.parent.push(node);
        self.candidate.push(c);
        self.through.push(0);
        self.ending.push(0);
        self.children.insert(key, child);
        child
    }
}

/// Hashes the (node, candidate) keys of the tree with one multiplication. The keys are numbers
/// the count gives out in order, not input, so the hash needs no seed to stay spread out, and
/// the tree is looked up, never iterated.
#[derive(Debug, Default)]
struct NodeHasher(u64);

impl Hasher for NodeHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }
    fn write_u64(&mut self, key: u64) {
        // Fibonacci hashing: the high bits, which the table uses, depend on every key bit.
        self.0 = (self.0 ^ key).wrapping_mul(0x9e37_79b9_7f4a_7c15).rotate_left(26);
    }
}

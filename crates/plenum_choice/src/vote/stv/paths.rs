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
//! When most remaining candidates are elected, paths get long and stop being shared (with a
//! million random rankings the tree ends with more nodes than ballots); building it then costs
//! more than it saves. So once an update would take the tree past a quarter of the ballots in
//! nodes, the count drops it and distributes the ballots one by one (`flat`), which gives the
//! same votes: a ballot gives the same whichever way its path is walked.

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
    pub parent: Vec<u32>,
    pub candidate: Vec<u16>,
    /// Ballots whose path goes through the node (or ends at it).
    pub through: Vec<u64>,
    /// Ballots whose path ends at the node with no hopeful candidate after it.
    pub ending: Vec<u64>,
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
        paths.budget = (paths.strict.len() / 4).max(1 << 12);
        paths
    }

    /// The number of nodes.
    pub fn len(&self) -> usize {
        self.parent.len()
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
            let from = self.position[b] as usize + 1;
            self.walk(rankings, status, b, from, self.parent[node]);
        }
    }

    /// Whether the tree is dropped (now, if moving the ballots ending at `c` could take it past
    /// its budget: each may add a node).
    fn too_big(&mut self, c: usize) -> bool {
        if !self.flat && self.len() + self.piles[c].len() > self.budget {
            self.flat = true;
            *self = Paths { strict: std::mem::take(&mut self.strict), tied: std::mem::take(&mut self.tied), ..Paths::flat() };
        }
        self.flat
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

//! Secret ballots (DESIGN.md, tier A). A secret vote is two records: the roll mark
//! ([`Event::RollMarked`](crate::event::Event::RollMarked)) says *that* a member voted, in the
//! log; the [`SealedBallot`] says *what* was voted, under a random [`BallotId`], with no member
//! and no time, kept apart from the log until the poll closes. Then every ballot is published
//! in an order shuffled with randomness the caller passes in, so the order of the board says
//! nothing about the order of voting. Each voter keeps a [`ReceiptCode`] to find their ballot.

use serde::{Deserialize, Serialize};

use crate::id::{BallotId, PollId, ReceiptCode};
use crate::poll::Choice;

/// A secret ballot before its poll closes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SealedBallot {
    pub poll: PollId,
    pub ballot: BallotId,
    pub receipt: ReceiptCode,
    pub choice: Choice,
}

/// A ballot on the public board of a closed secret poll.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublishedBallot {
    pub ballot: BallotId,
    pub receipt: ReceiptCode,
    pub choice: Choice,
}

/// The random bytes a secret vote needs, drawn by the caller from the operating system.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BallotRandomness {
    pub ballot_id: [u8; 16],
    pub receipt: [u8; 10],
}

/// xoshiro256** (Blackman and Vigna), seeded with the caller's random bytes: enough to shuffle
/// a board fairly; the unpredictability comes from the seed.
struct Xoshiro([u64; 4]);

impl Xoshiro {
    fn new(seed: [u8; 32]) -> Xoshiro {
        let mut s = [0u64; 4];
        for (i, chunk) in seed.chunks_exact(8).enumerate() {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            s[i] = u64::from_le_bytes(word);
        }
        if s == [0; 4] {
            // The all-zero state is the generator's one fixed point.
            s = [0x9e37_79b9_7f4a_7c15, 0xbf58_476d_1ce4_e5b9, 0x94d0_49bb_1331_11eb, 1];
        }
        Xoshiro(s)
    }

    fn next(&mut self) -> u64 {
        let s = &mut self.0;
        let result = s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        result
    }

    /// Uniform in `0..n` (`n > 0`), by rejection, without modulo bias.
    fn below(&mut self, n: u64) -> u64 {
        let zone = u64::MAX - (u64::MAX - n + 1) % n;
        loop {
            let x = self.next();
            if x <= zone {
                return x % n;
            }
        }
    }
}

/// Shuffles `items` uniformly (Fisher–Yates) with the generator seeded by `seed`. The same
/// seed gives the same order.
pub fn shuffle<T>(items: &mut [T], seed: [u8; 32]) {
    let mut rng = Xoshiro::new(seed);
    for i in (1..items.len()).rev() {
        let j = rng.below(i as u64 + 1) as usize;
        items.swap(i, j);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shuffling_is_a_permutation_fixed_by_the_seed() {
        let mut a: Vec<u32> = (0..100).collect();
        let mut b = a.clone();
        shuffle(&mut a, [7; 32]);
        shuffle(&mut b, [7; 32]);
        assert_eq!(a, b);
        assert_ne!(a, (0..100).collect::<Vec<_>>());
        let mut sorted = a.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, (0..100).collect::<Vec<_>>());
    }

    #[test]
    fn every_position_is_reached_for_small_boards() {
        // Over many seeds, each of three items lands in each place.
        let mut seen = [[false; 3]; 3];
        for s in 0..60u8 {
            let mut items = [0usize, 1, 2];
            shuffle(&mut items, [s; 32]);
            for (place, item) in items.iter().enumerate() {
                seen[*item][place] = true;
            }
        }
        assert!(seen.iter().flatten().all(|x| *x));
    }
}

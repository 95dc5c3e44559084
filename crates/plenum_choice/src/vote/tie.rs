//! Breaking ties between alternatives, in a way anyone can repeat.
//!
//! Every method breaks ties with one [`TieOrder`]: a priority order of all alternatives fixed
//! before counting. Where alternatives are tied for something good (winning, being elected,
//! locking a pair first), the one earlier in the order gets it; where they are tied for something
//! bad (being eliminated), the one *latest* in the order suffers it. So the order always favours
//! its first alternatives. Methods that have their own first step (STV looks back at earlier
//! rounds) use the order only when that step leaves a tie. Every tie a method breaks is reported
//! in its outcome as a [`Tie`].
//!
//! The order is either the alternatives' own order (alternative 1 first), or a draw by lot from
//! a seed the caller gives, so that a public draw can be reproduced by anyone:
//! the seed's UTF-8 bytes are hashed with 64-bit FNV-1a; that value seeds SplitMix64; the
//! alternatives, in their own order, are shuffled by Fisher–Yates from the last position down,
//! position `i` swapping with position `next() % (i + 1)`.

use super::ballot::Alternative;

/// How ties are broken.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub enum TieBreak {
    /// Alternative 1 first, then 2, and so on.
    #[default]
    AlternativeOrder,
    /// A given priority order (alternatives not listed follow in their own order).
    Priority(Vec<Alternative>),
    /// By lot: an order drawn from the seed as the module documentation says.
    Lot(String),
}

impl TieBreak {
    /// For people: how the order was made.
    #[must_use]
    pub fn describe(&self) -> String {
        match self {
            TieBreak::AlternativeOrder => "alternative order (lower number first)".to_owned(),
            TieBreak::Priority(_) => "the given priority order".to_owned(),
            TieBreak::Lot(seed) => format!("lot drawn from seed {seed:?}"),
        }
    }
}

/// A tie that a method broke.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tie {
    /// The round in which it happened (1-based), where the method has rounds.
    pub round: Option<usize>,
    /// The tied alternatives, in tie-breaking priority order.
    pub tied: Vec<Alternative>,
    /// The alternative the tie was decided for (or against, for an elimination).
    pub chosen: Alternative,
    /// What was decided and on what the alternatives were tied, for people
    /// (`"eliminated: 12 votes each"`).
    pub on: String,
    /// What decided it (`"alternative order"`, `"earlier round"`, `"lot drawn from seed …"`).
    pub by: String,
}

/// The position of every alternative in the tie-breaking order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TieOrder {
    position: Vec<u32>,
    rule: TieBreak,
}

impl TieOrder {
    /// The order `rule` gives `alternatives` alternatives.
    #[must_use]
    pub fn new(rule: &TieBreak, alternatives: usize) -> TieOrder {
        let order: Vec<Alternative> = match rule {
            TieBreak::AlternativeOrder => (0..alternatives).collect(),
            TieBreak::Priority(first) => {
                let mut listed = vec![false; alternatives];
                let mut order = Vec::with_capacity(alternatives);
                for &a in first {
                    if a < alternatives && !std::mem::replace(&mut listed[a], true) {
                        order.push(a);
                    }
                }
                order.extend((0..alternatives).filter(|&a| !listed[a]));
                order
            }
            TieBreak::Lot(seed) => drawn_order(seed, alternatives),
        };
        let mut position = vec![0u32; alternatives];
        for (i, a) in order.into_iter().enumerate() {
            position[a] = i as u32;
        }
        TieOrder { position, rule: rule.clone() }
    }

    /// The same order with the alternatives marked in `last` moved after all the others
    /// (keeping their order among themselves): withdrawn candidates, for instance.
    #[must_use]
    pub fn with_last(self, last: &[bool]) -> TieOrder {
        let mut order = self.order();
        order.sort_by_key(|&a| last.get(a).copied().unwrap_or(false));
        let mut position = vec![0u32; order.len()];
        for (i, a) in order.into_iter().enumerate() {
            position[a] = i as u32;
        }
        TieOrder { position, rule: self.rule }
    }

    /// The position of `a`: lower is favoured.
    #[must_use]
    pub fn position(&self, a: Alternative) -> u32 {
        self.position[a]
    }

    /// The alternatives, most favoured first.
    #[must_use]
    pub fn order(&self) -> Vec<Alternative> {
        let mut order: Vec<Alternative> = (0..self.position.len()).collect();
        order.sort_by_key(|&a| self.position[a]);
        order
    }

    #[must_use]
    pub fn rule(&self) -> &TieBreak {
        &self.rule
    }

    /// Of `tied`, the alternative the order favours; the tie is recorded in `ties` when there
    /// is more than one.
    pub fn favour(
        &self,
        tied: &[Alternative],
        round: Option<usize>,
        on: impl FnOnce() -> String,
        ties: &mut Vec<Tie>,
    ) -> Alternative {
        self.decide(tied, round, on, ties, false)
    }

    /// Of `tied`, the alternative the order disfavours (the last in it); the tie is recorded in
    /// `ties` when there is more than one.
    pub fn disfavour(
        &self,
        tied: &[Alternative],
        round: Option<usize>,
        on: impl FnOnce() -> String,
        ties: &mut Vec<Tie>,
    ) -> Alternative {
        self.decide(tied, round, on, ties, true)
    }

    /// The first `seats` alternatives by `keys` (higher key first), equal keys in tie order;
    /// each group of equal keys that reaches into the first `seats` is recorded as a tie
    /// (`describe` says what they were tied on). The first tie recorded, if it includes the
    /// first alternative, holds every alternative that tied for the top.
    pub fn top<K: Ord>(
        &self,
        keys: &[K],
        seats: usize,
        describe: impl Fn(&K) -> String,
        ties: &mut Vec<Tie>,
    ) -> Vec<Alternative> {
        let mut order: Vec<Alternative> = (0..keys.len()).collect();
        order.sort_by(|&a, &b| keys[b].cmp(&keys[a]).then_with(|| self.position[a].cmp(&self.position[b])));
        let seats = seats.min(order.len());
        let mut start = 0;
        while start < seats {
            let end = start + order[start..].iter().take_while(|&&a| keys[a] == keys[order[start]]).count();
            if end - start > 1 {
                let tied = order[start..end].to_vec();
                let place = if start == 0 { "first place".to_owned() } else { format!("place {}", start + 1) };
                ties.push(Tie {
                    round: None,
                    chosen: tied[0],
                    on: format!("{place}: {}", describe(&keys[tied[0]])),
                    tied,
                    by: self.rule.describe(),
                });
            }
            start = end;
        }
        order.truncate(seats);
        order
    }

    fn decide(
        &self,
        tied: &[Alternative],
        round: Option<usize>,
        on: impl FnOnce() -> String,
        ties: &mut Vec<Tie>,
        last: bool,
    ) -> Alternative {
        let mut sorted = tied.to_vec();
        sorted.sort_by_key(|&a| self.position[a]);
        let chosen = if last { sorted[sorted.len() - 1] } else { sorted[0] };
        if sorted.len() > 1 {
            ties.push(Tie { round, tied: sorted, chosen, on: on(), by: self.rule.describe() });
        }
        chosen
    }
}

/// The order of `alternatives` alternatives drawn by lot from `seed`.
fn drawn_order(seed: &str, alternatives: usize) -> Vec<Alternative> {
    let mut state = fnv1a(seed.as_bytes());
    let mut order: Vec<Alternative> = (0..alternatives).collect();
    for i in (1..alternatives).rev() {
        let j = (splitmix64(&mut state) % (i as u64 + 1)) as usize;
        order.swap(i, j);
    }
    order
}

fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3))
}

fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_draw_by_lot_is_the_same_every_time_and_depends_on_the_seed() {
        let a = TieOrder::new(&TieBreak::Lot("2026-11-26 public draw".into()), 10).order();
        let b = TieOrder::new(&TieBreak::Lot("2026-11-26 public draw".into()), 10).order();
        let c = TieOrder::new(&TieBreak::Lot("another seed".into()), 10).order();
        assert_eq!(a, b);
        assert_ne!(a, c);
        let mut sorted = a.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, (0..10).collect::<Vec<_>>());
    }

    #[test]
    fn the_draw_is_pinned_so_anyone_can_repeat_it() {
        // Computed by hand from the algorithm in the module docs; a change here breaks old draws.
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
        let mut s = 0u64;
        assert_eq!(splitmix64(&mut s), 0xe220_a839_7b1d_cdaf);
    }

    #[test]
    fn the_top_places_follow_the_keys_then_the_order_and_report_each_tie() {
        let order = TieOrder::new(&TieBreak::AlternativeOrder, 5);
        let mut ties = Vec::new();
        let top = order.top(&[3, 7, 7, 1, 3], 3, |k| format!("{k}"), &mut ties);
        assert_eq!(top, vec![1, 2, 0]);
        assert_eq!(ties.len(), 2);
        assert_eq!(ties[0].tied, vec![1, 2]);
        assert_eq!(ties[1].tied, vec![0, 4]);
        assert_eq!(ties[1].chosen, 0);
    }

    #[test]
    fn the_order_favours_its_first_alternative_and_eliminates_its_last() {
        let order = TieOrder::new(&TieBreak::Priority(vec![2]), 4);
        let mut ties = Vec::new();
        assert_eq!(order.favour(&[3, 2, 0], None, || "tied".into(), &mut ties), 2);
        assert_eq!(order.disfavour(&[3, 2, 0], Some(1), || "tied".into(), &mut ties), 3);
        assert_eq!(order.favour(&[1], None, || "alone".into(), &mut ties), 1);
        assert_eq!(ties.len(), 2);
        assert_eq!(ties[1].tied, vec![2, 0, 3]);
    }
}

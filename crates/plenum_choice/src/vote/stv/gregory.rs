//! The weighted inclusive Gregory method and Scottish STV: each ballot sits in the pile of the
//! candidate it currently counts for, with a weight; a surplus moves the whole pile on at a
//! reduced weight, an exclusion moves it on at the weights it has.
//!
//! Weights are kept once in a table and ballots refer to them by index, so a transfer computes
//! each distinct new weight once, and the tallies are updated once per (weight, candidate) pair,
//! whatever the number of ballots.

use std::collections::HashMap;
use std::mem;

use super::number::{Arith, Exact, Fixed, Round as Rounding};
use super::{Setup, Status, Wigm, by_votes_descending, name, names, outcome, shown};
use crate::rational::Rational;
use crate::vote::ballot::Alternative;
use crate::vote::{Outcome, Round, Tie};

/// Which Gregory rule.
#[derive(Debug, Clone, Copy)]
pub(super) enum Kind {
    Wigm(Wigm),
    Scottish,
}

pub(super) fn count(setup: &Setup<'_>, kind: Kind) -> Outcome {
    let seats = setup.seats as u128;
    let total = u128::from(setup.valid_ballots());
    match kind {
        Kind::Scottish => {
            let arith = Fixed::new(5);
            let quota = arith.int(total / (seats + 1) + 1);
            Count::new(setup, arith, quota, true).run()
        }
        Kind::Wigm(Wigm::Exact) => {
            let quota = Exact::PLAIN.div_count(&Exact::PLAIN.int(total), seats + 1);
            Count::new(setup, Exact::PLAIN, quota, false).run()
        }
        Kind::Wigm(Wigm::Fixed { decimals }) => {
            let arith = Fixed::new(decimals);
            let quota = arith.div_count(&arith.int(total), seats + 1) + arith.epsilon();
            Count::new(setup, arith, quota, false).run()
        }
    }
}

/// How a Gregory rule computes a ballot's weight after a surplus transfer.
trait Transfer: Arith {
    /// The new weight of a ballot of weight `w` from a candidate with `votes` and `surplus`.
    fn transferred(&self, w: &Self::V, surplus: &Self::V, votes: &Self::V, scottish: bool) -> Self::V;
}

impl Transfer for Exact {
    fn transferred(&self, w: &Rational, surplus: &Rational, votes: &Rational, _: bool) -> Rational {
        (w * surplus).checked_div(votes).unwrap_or_default()
    }
}

impl Transfer for Fixed {
    fn transferred(&self, w: &i128, surplus: &i128, votes: &i128, scottish: bool) -> i128 {
        if scottish {
            // Rule 48(3): surplus times the value when received, divided by the votes, "to five
            // decimal places (any remainder being ignored)".
            self.mul_div(*w, *surplus, *votes, Rounding::Down)
        } else {
            // PRF WIGM D.4: each multiplication and division truncated.
            self.div(self.mul(*w, *surplus, Rounding::Down), *votes, Rounding::Down)
        }
    }
}

/// A ballot (or, for tied preferences, a share of one) in a candidate's pile.
#[derive(Debug, Clone, Copy)]
struct Piece {
    ballot: u32,
    /// Where on the ballot the group of equally ranked candidates it counts for starts.
    group: u32,
    weight: u32,
}

/// Ballot counts gathered by (weight, candidate) during one transfer.
#[derive(Debug, Default)]
struct Gathered {
    columns: usize,
    slot: Vec<u32>,
    weights: Vec<u32>,
    counts: Vec<u128>,
}

impl Gathered {
    fn add(&mut self, weight: u32, column: usize, count: u64) {
        let w = weight as usize;
        if w >= self.slot.len() {
            self.slot.resize(w + 1, u32::MAX);
        }
        if self.slot[w] == u32::MAX {
            self.slot[w] = self.weights.len() as u32;
            self.weights.push(weight);
            self.counts.extend(std::iter::repeat_n(0, self.columns));
        }
        self.counts[self.slot[w] as usize * self.columns + column] += u128::from(count);
    }
}

struct Count<'a, A: Transfer> {
    setup: &'a Setup<'a>,
    arith: A,
    scottish: bool,
    quota: A::V,
    status: Vec<Status>,
    piles: Vec<Vec<Piece>>,
    tally: Vec<A::V>,
    exhausted: A::V,
    weights: Vec<A::V>,
    /// (weight, k) → the weight of a `1/k` share.
    shares: HashMap<(u32, u32), u32>,
    gathered: Gathered,
    seats_left: usize,
    winners: Vec<Alternative>,
    ties: Vec<Tie>,
    rounds: Vec<Round>,
}

impl<'a, A: Transfer> Count<'a, A> {
    fn new(setup: &'a Setup<'a>, arith: A, quota: A::V, scottish: bool) -> Self {
        let m = setup.rankings.alternatives();
        let status = setup.withdrawn.iter().map(|&w| if w { Status::Withdrawn } else { Status::Hopeful }).collect();
        Count {
            setup,
            scottish,
            quota,
            status,
            piles: vec![Vec::new(); m],
            tally: vec![arith.int(0); m],
            exhausted: arith.int(0),
            weights: vec![arith.int(1)],
            shares: HashMap::new(),
            gathered: Gathered { columns: m + 1, ..Gathered::default() },
            seats_left: setup.seats,
            winners: Vec::new(),
            ties: Vec::new(),
            rounds: Vec::new(),
            arith,
        }
    }

    fn m(&self) -> usize {
        self.status.len()
    }

    fn run(mut self) -> Outcome {
        for (b, ballot) in self.setup.rankings.iter().enumerate() {
            if ballot.count > 0 {
                // A ballot with no candidate to count for is not a valid vote: left out.
                self.place(b, 0, 0, ballot.count);
            }
        }
        self.flush();
        self.record("first preferences".to_owned(), Vec::new());
        self.elect_reaching_quota();
        while !self.complete() {
            let pending: Vec<Alternative> = (0..self.m()).filter(|&c| self.status[c] == Status::Pending).collect();
            if pending.is_empty() {
                self.exclude_lowest();
            } else {
                self.transfer_largest_surplus(pending);
            }
        }
        self.finish()
    }

    fn complete(&self) -> bool {
        let hopeful = self.status.iter().filter(|&&s| s == Status::Hopeful).count();
        self.seats_left == 0 || hopeful <= self.seats_left
    }

    fn reaches_quota(&self, votes: &A::V) -> bool {
        match self.arith.cmp(votes, &self.quota) {
            std::cmp::Ordering::Greater => true,
            std::cmp::Ordering::Equal => !self.arith.exact(),
            std::cmp::Ordering::Less => false,
        }
    }

    /// Puts the ballot `b` (or its share of weight `weight`) on the pile of its next hopeful
    /// preference from position `from`; returns false if there is none.
    fn place(&mut self, b: usize, from: usize, weight: u32, count: u64) -> bool {
        let ballot = self.setup.rankings.get(b);
        let (alternatives, levels) = (ballot.alternatives, ballot.levels);
        let mut at = from;
        while at < alternatives.len() {
            let mut end = at + 1;
            if let Some(levels) = levels {
                while end < alternatives.len() && levels[end] == levels[at] {
                    end += 1;
                }
            }
            let group = &alternatives[at..end];
            let hopeful = group.iter().filter(|&&c| self.status[usize::from(c)] == Status::Hopeful).count();
            if hopeful > 0 {
                let share = if hopeful == 1 { weight } else { self.share(weight, hopeful as u32, count) };
                for &c in group {
                    let c = usize::from(c);
                    if self.status[c] == Status::Hopeful {
                        self.piles[c].push(Piece { ballot: b as u32, group: at as u32, weight: share });
                        self.gathered.add(share, c, count);
                    }
                }
                return true;
            }
            at = end;
        }
        false
    }

    /// The weight of a `1/k` share of a ballot of weight `weight`; what rounding loses of the
    /// `count` ballots is exhausted.
    fn share(&mut self, weight: u32, k: u32, count: u64) -> u32 {
        let id = match self.shares.get(&(weight, k)) {
            Some(&id) => id,
            None => {
                let value = self.arith.div_count(&self.weights[weight as usize], u128::from(k));
                self.weights.push(value);
                let id = (self.weights.len() - 1) as u32;
                self.shares.insert((weight, k), id);
                id
            }
        };
        let whole = &self.weights[weight as usize];
        let parts = self.arith.mul_count(&self.weights[id as usize], u128::from(k));
        let lost = self.arith.sub(whole, &parts);
        if !self.arith.is_zero(&lost) {
            self.exhausted = self.arith.add(&self.exhausted, &self.arith.mul_count(&lost, u128::from(count)));
        }
        id
    }

    /// Adds what was gathered to the tallies (and the last column to the exhausted votes).
    fn flush(&mut self) {
        let gathered = mem::take(&mut self.gathered);
        let columns = gathered.columns;
        for (slot, &weight) in gathered.weights.iter().enumerate() {
            for column in 0..columns {
                let count = gathered.counts[slot * columns + column];
                if count == 0 {
                    continue;
                }
                let value = self.arith.mul_count(&self.weights[weight as usize], count);
                let target = if column < self.m() { &mut self.tally[column] } else { &mut self.exhausted };
                *target = self.arith.add(target, &value);
            }
        }
        self.gathered = Gathered { columns, ..Gathered::default() };
    }

    /// Moves every piece of `pile` on, at weight `new_weight(old)`: a surplus to the preferences
    /// after the piece's group, an excluded candidate's ballots to what remains of its group
    /// first (equally ranked candidates share a ballot, as in Droop's Meek).
    fn move_pile(&mut self, pile: &[Piece], new_weight: &[u32], surplus: bool) {
        let m = self.m();
        for piece in pile {
            let ballot = self.setup.rankings.get(piece.ballot as usize);
            let (count, mut from) = (ballot.count, piece.group as usize);
            if surplus {
                from += 1;
                if let Some(levels) = ballot.levels {
                    while from < levels.len() && levels[from] == levels[piece.group as usize] {
                        from += 1;
                    }
                }
            }
            let weight = new_weight.get(piece.weight as usize).copied().unwrap_or(piece.weight);
            if !self.place(piece.ballot as usize, from, weight, count) {
                self.gathered.add(weight, m, count);
            }
        }
        self.flush();
    }

    fn transfer_largest_surplus(&mut self, pending: Vec<Alternative>) {
        let votes: Vec<Rational> = self.tally.iter().map(|v| self.arith.rational(v)).collect();
        let most = pending.iter().map(|&c| &votes[c]).max().cloned().unwrap_or_default();
        if self.arith.rational(&self.quota) == most {
            // Nothing to transfer, so no stage (SSI 2007/42 rule 48(1): "exceeds the quota"),
            // and no order to decide.
            for c in pending {
                self.status[c] = Status::Elected;
            }
            return;
        }
        let tied: Vec<Alternative> = pending.into_iter().filter(|&c| votes[c] == most).collect();
        let x = self.break_tie(tied, true, "surplus transferred first");
        let v = self.tally[x].clone();
        let surplus = self.arith.sub(&v, &self.quota);
        self.status[x] = Status::Elected;
        let pile = mem::take(&mut self.piles[x]);
        let mut new_weight = vec![u32::MAX; self.weights.len()];
        let mut moved = vec![0u128; self.weights.len()];
        for piece in &pile {
            let w = piece.weight as usize;
            if new_weight[w] == u32::MAX {
                let value = self.arith.transferred(&self.weights[w], &surplus, &v, self.scottish);
                self.weights.push(value);
                new_weight[w] = (self.weights.len() - 1) as u32;
            }
            moved[w] += u128::from(self.setup.rankings.get(piece.ballot as usize).count);
        }
        // What the transferred ballots carry; the rest of the surplus is lost to rounding.
        let mut carried = self.arith.int(0);
        for (w, &count) in moved.iter().enumerate() {
            if count > 0 {
                carried = self.arith.add(&carried, &self.arith.mul_count(&self.weights[new_weight[w] as usize], count));
            }
        }
        let lost = self.arith.sub(&surplus, &carried);
        self.exhausted = self.arith.add(&self.exhausted, &lost);
        self.move_pile(&pile, &new_weight, true);
        self.tally[x] = self.quota.clone();
        let ratio = self.arith.rational(&surplus).checked_div(&self.arith.rational(&v)).unwrap_or_default();
        let rounding = if self.scottish {
            ", truncated to 5 decimals"
        } else if self.arith.exact() {
            ""
        } else {
            ", truncated"
        };
        let note = format!(
            "surplus of {} ({}) transferred: each of its ballots at its value times {} / {} ({}){}",
            name(x),
            shown(&self.arith.rational(&surplus), 12),
            shown(&self.arith.rational(&surplus), 12),
            shown(&votes[x], 12),
            shown(&ratio, 9),
            rounding,
        );
        self.record(note, Vec::new());
        self.elect_reaching_quota();
    }

    fn exclude_lowest(&mut self) {
        let votes: Vec<Rational> = self.tally.iter().map(|v| self.arith.rational(v)).collect();
        let hopeful: Vec<Alternative> = (0..self.m()).filter(|&c| self.status[c] == Status::Hopeful).collect();
        let least = hopeful.iter().map(|&c| &votes[c]).min().cloned().unwrap_or_default();
        let tied: Vec<Alternative> = hopeful.into_iter().filter(|&c| votes[c] == least).collect();
        let x = self.break_tie(tied, false, "excluded");
        self.status[x] = Status::Excluded;
        let pile = mem::take(&mut self.piles[x]);
        self.move_pile(&pile, &[], false);
        self.tally[x] = self.arith.int(0);
        let note = format!("{} excluded ({} votes): its ballots transferred at their current values", name(x), shown(&least, 12));
        self.record(note, vec![x]);
        self.elect_reaching_quota();
    }

    /// Of `tied` (candidates with equal votes), the one whose surplus goes first (`highest`) or
    /// who is excluded.
    fn break_tie(&mut self, mut tied: Vec<Alternative>, highest: bool, what: &str) -> Alternative {
        if tied.len() == 1 {
            return tied[0];
        }
        let tie = &self.setup.tie;
        tied.sort_by_key(|&c| tie.position(c));
        let round = Some(self.rounds.len() + 1);
        let on = format!("{what}: {} votes each", shown(&self.arith.rational(&self.tally[tied[0]]), 12));
        if !self.scottish {
            return if highest {
                tie.favour(&tied, round, || on, &mut self.ties)
            } else {
                tie.disfavour(&tied, round, || on, &mut self.ties)
            };
        }
        // Rules 49(2) and 51(2): the most recent stage at which their votes differed.
        let mut left = tied.clone();
        let mut decided = None;
        for (stage, r) in self.rounds.iter().enumerate().rev() {
            let extreme =
                if highest { left.iter().map(|&c| &r.tallies[c]).max() } else { left.iter().map(|&c| &r.tallies[c]).min() };
            let Some(extreme) = extreme.cloned() else { break };
            left.retain(|&c| r.tallies[c] == extreme);
            if left.len() == 1 {
                decided = Some((left[0], format!("votes at the end of stage {}", stage + 1)));
                break;
            }
        }
        let (chosen, by) = decided.unwrap_or_else(|| {
            // Rules 49(3) and 51(2)(b): by lot.
            let chosen = if highest { left[0] } else { left[left.len() - 1] };
            (chosen, format!("equal at every stage, so by lot: {}", tie.rule().describe()))
        });
        self.ties.push(Tie { round, tied, chosen, on, by });
        chosen
    }

    /// Elects every hopeful candidate who reaches the quota, most votes first, while seats
    /// remain; their surpluses are pending.
    fn elect_reaching_quota(&mut self) {
        let mut reaching: Vec<Alternative> =
            (0..self.m()).filter(|&c| self.status[c] == Status::Hopeful && self.reaches_quota(&self.tally[c])).collect();
        if reaching.is_empty() {
            return;
        }
        let votes: Vec<Rational> = self.tally.iter().map(|v| self.arith.rational(v)).collect();
        by_votes_descending(&mut reaching, &votes, &self.setup.tie);
        reaching.truncate(self.seats_left);
        for c in reaching {
            self.status[c] = Status::Pending;
            self.elect(c);
        }
    }

    fn elect(&mut self, c: Alternative) {
        self.seats_left -= 1;
        self.winners.push(c);
        if let Some(round) = self.rounds.last_mut() {
            round.elected.push(c);
        }
    }

    fn record(&mut self, note: String, eliminated: Vec<Alternative>) {
        let tallies = self.tally.iter().map(|v| self.arith.rational(v)).collect();
        self.rounds.push(Round {
            tallies,
            exhausted: self.arith.rational(&self.exhausted),
            quota: Some(self.arith.rational(&self.quota)),
            keep_factors: None,
            elected: Vec::new(),
            eliminated,
            note,
        });
    }

    fn finish(mut self) -> Outcome {
        let mut remaining: Vec<Alternative> = (0..self.m()).filter(|&c| self.status[c] == Status::Hopeful).collect();
        if self.seats_left > 0 && !remaining.is_empty() {
            let votes: Vec<Rational> = self.tally.iter().map(|v| self.arith.rational(v)).collect();
            by_votes_descending(&mut remaining, &votes, &self.setup.tie);
            remaining.truncate(self.seats_left);
            for &c in &remaining {
                self.status[c] = Status::Elected;
                self.elect(c);
            }
            if let Some(round) = self.rounds.last_mut() {
                round.note.push_str(&format!("; {} elected to fill the seats left", names(&remaining)));
            }
        }
        outcome(self.winners, self.ties, self.rounds)
    }
}

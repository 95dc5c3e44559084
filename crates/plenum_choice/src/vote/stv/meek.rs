//! Meek's method: keep factors iterated to a fixed point, in exact rationals or in fixed point
//! with the rounding of the PR Foundation's reference rule or of Droop.

use std::cmp::Ordering;

use super::number::{Arith, Exact, Fixed, Round as Rounding, round_up};
use super::paths::Paths;
use super::{Meek, MeekArithmetic, MeekVariant, Setup, Status, by_votes_descending, name, names, outcome, shown};
use crate::rational::Rational;
use crate::vote::ballot::Alternative;
use crate::vote::{Outcome, Round, Tie};

pub(super) fn count(setup: &Setup<'_>, meek: Meek) -> Outcome {
    match meek.arithmetic {
        MeekArithmetic::Exact { keep_factor_decimals } => Count::new(setup, meek, Exact { keep_factor_decimals }).run(),
        MeekArithmetic::Fixed { decimals } => Count::new(setup, meek, Fixed::new(decimals)).run(),
        MeekArithmetic::Guarded { precision, guard } => {
            Count::new(setup, meek, Fixed::guarded(precision, guard, setup.valid_ballots())).run()
        }
    }
}

/// The steps of Meek's method that depend on the arithmetic.
trait MeekArith: Arith {
    /// What a candidate with keep factor `kf` keeps of weight `w`, and what goes on.
    fn keep(&self, w: &Self::V, kf: &Self::V, variant: MeekVariant) -> (Self::V, Self::V);
    /// The quota for `votes` (the valid ballots less the exhausted votes).
    fn quota(&self, votes: &Self::V, seats: usize) -> Self::V;
    /// The next keep factor of an elected candidate.
    fn next_keep_factor(&self, kf: &Self::V, quota: &Self::V, votes: &Self::V) -> Self::V;
    /// `10^-exponent`.
    fn omega(&self, exponent: u32) -> Self::V;
}

impl MeekArith for Exact {
    fn keep(&self, w: &Rational, kf: &Rational, _: MeekVariant) -> (Rational, Rational) {
        let keep = w * kf;
        let rest = w - &keep;
        (keep, rest)
    }
    fn quota(&self, votes: &Rational, seats: usize) -> Rational {
        self.div_count(votes, seats as u128 + 1)
    }
    fn next_keep_factor(&self, kf: &Rational, quota: &Rational, votes: &Rational) -> Rational {
        let next = (kf * quota).checked_div(votes).unwrap_or_else(|| kf.clone());
        match self.keep_factor_decimals {
            Some(decimals) => round_up(&next, decimals),
            None => next,
        }
    }
    fn omega(&self, exponent: u32) -> Rational {
        let mut omega = Rational::ONE;
        for _ in 0..exponent {
            omega = omega.div_int(10).unwrap_or_default();
        }
        omega
    }
}

impl MeekArith for Fixed {
    #[inline]
    fn keep(&self, w: &i128, kf: &i128, variant: MeekVariant) -> (i128, i128) {
        if variant == MeekVariant::Reference && !self.is_guarded() {
            // PRF B.2.a: "w multiplied by the keep factor (to 9 decimal places, rounded up)",
            // and w reduced by the same amount.
            let keep = self.mul(*w, *kf, Rounding::Up);
            (keep, w - keep)
        } else {
            // Droop's meek.py: keep and remainder each rounded down.
            (self.mul(*w, *kf, Rounding::Down), self.mul(*w, self.scale - kf, Rounding::Down))
        }
    }
    fn quota(&self, votes: &i128, seats: usize) -> i128 {
        let share = self.div_count(votes, seats as u128 + 1);
        // Rounded up, so that reaching it is exceeding the exact quota; guarded is "exact".
        if self.is_guarded() { share } else { share + self.epsilon() }
    }
    fn next_keep_factor(&self, kf: &i128, quota: &i128, votes: &i128) -> i128 {
        if *votes <= 0 {
            return *kf;
        }
        let round = if self.is_guarded() { Rounding::Down } else { Rounding::Up };
        self.div(self.mul(*kf, *quota, round), *votes, round)
    }
    fn omega(&self, exponent: u32) -> i128 {
        self.power_of_ten(exponent)
    }
}

/// Why an iteration stopped.
#[derive(Debug)]
enum Stop {
    Elected(Vec<Alternative>),
    Omega,
    Stable,
    SureLosers(Vec<Alternative>),
    /// No round was needed: the continuing candidates already fill the seats (or none left).
    Complete,
}

struct Count<'a, A: MeekArith> {
    setup: &'a Setup<'a>,
    meek: Meek,
    arith: A,
    status: Vec<Status>,
    keep_factor: Vec<A::V>,
    paths: Paths,
    total: A::V,
    omega: A::V,
    seats_left: usize,
    winners: Vec<Alternative>,
    ties: Vec<Tie>,
    rounds: Vec<Round>,
    /// The last distribution: votes, exhausted votes, quota, surplus.
    votes: Vec<A::V>,
    exhausted: A::V,
    quota: A::V,
    surplus: A::V,
    /// Weight leaving each node, reused between iterations.
    out: Vec<A::V>,
    /// Whether `votes` and `exhausted` are those the current keep factors give: an election
    /// changes no keep factor, and Droop's loop distributes again right after one.
    fresh: bool,
}

impl<'a, A: MeekArith> Count<'a, A> {
    fn new(setup: &'a Setup<'a>, meek: Meek, arith: A) -> Self {
        let m = setup.rankings.alternatives();
        let status: Vec<Status> = setup.withdrawn.iter().map(|&w| if w { Status::Withdrawn } else { Status::Hopeful }).collect();
        let keep_factor = status.iter().map(|&s| arith.int(u128::from(s == Status::Hopeful))).collect();
        let paths = Paths::new(setup.rankings, &status);
        let zero = arith.int(0);
        Count {
            setup,
            meek,
            total: arith.int(u128::from(setup.valid_ballots())),
            omega: arith.omega(meek.omega_exponent),
            status,
            keep_factor,
            paths,
            seats_left: setup.seats,
            winners: Vec::new(),
            ties: Vec::new(),
            rounds: Vec::new(),
            votes: vec![zero.clone(); m],
            exhausted: zero.clone(),
            quota: zero.clone(),
            surplus: zero,
            out: Vec::new(),
            fresh: false,
            arith,
        }
    }

    fn m(&self) -> usize {
        self.status.len()
    }

    fn hopeful(&self) -> Vec<Alternative> {
        (0..self.m()).filter(|&c| self.status[c] == Status::Hopeful).collect()
    }

    fn complete(&self) -> bool {
        self.seats_left == 0 || self.hopeful().len() <= self.seats_left
    }

    fn run(mut self) -> Outcome {
        // Round 1 is always counted, so that the first preferences are on record.
        while self.rounds.is_empty() || !self.complete() {
            let (stop, iterations) = self.iterate();
            self.record(&stop, iterations);
            match stop {
                Stop::Elected(_) | Stop::Complete => {}
                Stop::Omega | Stop::Stable => self.exclude_lowest(matches!(stop, Stop::Stable)),
                Stop::SureLosers(losers) => {
                    for &c in &losers {
                        self.exclude(c);
                    }
                    if let Some(round) = self.rounds.last_mut() {
                        round.eliminated = losers;
                    }
                }
            }
        }
        self.finish()
    }

    /// Iterates the keep factors until someone is elected or the surplus is small enough.
    fn iterate(&mut self) -> (Stop, usize) {
        let mut last_surplus = self.total.clone();
        let complete = self.rounds.is_empty() && self.complete();
        let mut iterations = 0;
        loop {
            iterations += 1;
            if !self.fresh {
                self.distribute();
                self.fresh = true;
            }
            let counted = self.votes.iter().fold(self.arith.int(0), |sum, v| self.arith.add(&sum, v));
            self.quota = self.arith.quota(&counted, self.setup.seats);
            if complete {
                return (Stop::Complete, iterations);
            }
            let elected = self.elect_reaching_quota();
            let mut surplus = self.arith.int(0);
            for c in (0..self.m()).filter(|&c| self.status[c] == Status::Elected) {
                surplus = self.arith.add(&surplus, &self.arith.sub(&self.votes[c], &self.quota));
            }
            let reference = self.meek.variant == MeekVariant::Reference;
            if reference && self.arith.cmp(&surplus, &self.arith.int(0)) == Ordering::Less {
                surplus = self.arith.int(0);
            }
            self.surplus = surplus;
            if !elected.is_empty() {
                return (Stop::Elected(elected), iterations);
            }
            let below_omega = match self.arith.cmp(&self.surplus, &self.omega) {
                Ordering::Less => true,
                Ordering::Equal => !reference,
                Ordering::Greater => false,
            };
            if below_omega {
                return (Stop::Omega, iterations);
            }
            if self.arith.cmp(&self.surplus, &last_surplus) != Ordering::Less {
                return (Stop::Stable, iterations);
            }
            if self.meek.defeat_sure_losers {
                let losers = self.sure_losers();
                if !losers.is_empty() {
                    return (Stop::SureLosers(losers), iterations);
                }
            }
            last_surplus = self.surplus.clone();
            self.fresh = false;
            for c in 0..self.m() {
                if self.status[c] == Status::Elected {
                    self.keep_factor[c] = self.arith.next_keep_factor(&self.keep_factor[c], &self.quota, &self.votes[c]);
                }
            }
        }
    }

    /// Gives every ballot to its candidates with the current keep factors.
    fn distribute(&mut self) {
        let zero = self.arith.int(0);
        self.votes.iter_mut().for_each(|v| *v = zero.clone());
        let paths = &self.paths;
        let (arith, variant) = (&self.arith, self.meek.variant);
        let one = arith.int(1);
        self.out.clear();
        self.out.resize(paths.len(), zero.clone());
        self.out[0] = one.clone();
        let mut exhausted = arith.mul_count(&one, u128::from(paths.ending[0]));
        for node in 1..paths.len() {
            let through = u128::from(paths.through[node]);
            if through == 0 {
                continue;
            }
            let c = usize::from(paths.candidate[node]);
            let w = &self.out[paths.parent[node] as usize];
            let (keep, rest) = arith.keep(w, &self.keep_factor[c], variant);
            let lost = arith.sub(&arith.sub(w, &keep), &rest);
            self.votes[c] = arith.add(&self.votes[c], &arith.mul_count(&keep, through));
            if !arith.is_zero(&lost) {
                exhausted = arith.add(&exhausted, &arith.mul_count(&lost, through));
            }
            if paths.ending[node] > 0 {
                exhausted = arith.add(&exhausted, &arith.mul_count(&rest, u128::from(paths.ending[node])));
            }
            self.out[node] = rest;
        }
        if self.paths.flat {
            let flat = self.distribute_one_by_one();
            exhausted = self.arith.add(&exhausted, &flat);
        }
        for i in 0..self.paths.tied.len() {
            let b = self.paths.tied[i] as usize;
            let mut lost = zero.clone();
            self.distribute_tied(b, 0, one.clone(), &mut lost);
            let count = u128::from(self.setup.rankings.get(b).count);
            exhausted = self.arith.add(&exhausted, &self.arith.mul_count(&lost, count));
        }
        self.exhausted = exhausted;
    }

    /// Distributes the ballots without ties one by one (when the tree of paths is dropped);
    /// returns what they leave exhausted.
    fn distribute_one_by_one(&mut self) -> A::V {
        let (arith, variant) = (&self.arith, self.meek.variant);
        let (one, mut exhausted) = (arith.int(1), arith.int(0));
        for &b in &self.paths.strict {
            let ballot = self.setup.rankings.get(b as usize);
            let count = u128::from(ballot.count);
            let mut w = one.clone();
            let mut kept = false;
            for &c in ballot.alternatives {
                let c = usize::from(c);
                match self.status[c] {
                    // A hopeful candidate keeps everything (keep factor 1 rounds to itself).
                    Status::Hopeful => {
                        self.votes[c] = arith.add(&self.votes[c], &arith.mul_count(&w, count));
                        kept = true;
                        break;
                    }
                    Status::Elected | Status::Pending => {
                        let (keep, rest) = arith.keep(&w, &self.keep_factor[c], variant);
                        let lost = arith.sub(&arith.sub(&w, &keep), &rest);
                        if !arith.is_zero(&lost) {
                            exhausted = arith.add(&exhausted, &arith.mul_count(&lost, count));
                        }
                        self.votes[c] = arith.add(&self.votes[c], &arith.mul_count(&keep, count));
                        w = rest;
                    }
                    Status::Excluded | Status::Withdrawn => {}
                }
            }
            if !kept {
                exhausted = arith.add(&exhausted, &arith.mul_count(&w, count));
            }
        }
        exhausted
    }

    /// Distributes weight `w` of ballot `b` (which has tied preferences) from group `from` on:
    /// a group of `k` continuing candidates shares it equally, each part going on after the
    /// group. What is not kept is added to `lost` (per ballot).
    fn distribute_tied(&mut self, b: usize, from: usize, w: A::V, lost: &mut A::V) {
        let ballot = self.setup.rankings.get(b);
        let (alternatives, levels) = (ballot.alternatives, ballot.levels.unwrap_or_default());
        let count = u128::from(ballot.count);
        let mut at = from;
        while at < alternatives.len() {
            let mut end = at + 1;
            while end < alternatives.len() && levels.get(end) == levels.get(at) {
                end += 1;
            }
            let continuing: Vec<usize> = alternatives[at..end]
                .iter()
                .map(|&c| usize::from(c))
                .filter(|&c| matches!(self.status[c], Status::Hopeful | Status::Elected))
                .collect();
            if !continuing.is_empty() {
                let share = self.arith.div_count(&w, continuing.len() as u128);
                let split = self.arith.mul_count(&share, continuing.len() as u128);
                *lost = self.arith.add(lost, &self.arith.sub(&w, &split));
                for c in continuing {
                    let (keep, rest) = self.arith.keep(&share, &self.keep_factor[c], self.meek.variant);
                    let gone = self.arith.sub(&self.arith.sub(&share, &keep), &rest);
                    *lost = self.arith.add(lost, &gone);
                    self.votes[c] = self.arith.add(&self.votes[c], &self.arith.mul_count(&keep, count));
                    if !self.arith.is_zero(&rest) {
                        self.distribute_tied(b, end, rest, lost);
                    }
                }
                return;
            }
            at = end;
        }
        *lost = self.arith.add(lost, &w);
    }

    /// Elects the hopeful candidates who reach the quota, most votes first, while seats remain.
    fn elect_reaching_quota(&mut self) -> Vec<Alternative> {
        let exact = self.arith.exact();
        let mut reaching: Vec<Alternative> = self
            .hopeful()
            .into_iter()
            .filter(|&c| match self.arith.cmp(&self.votes[c], &self.quota) {
                Ordering::Greater => true,
                Ordering::Equal => !exact,
                Ordering::Less => false,
            })
            .collect();
        if reaching.is_empty() {
            return reaching;
        }
        let votes = self.rational_votes();
        by_votes_descending(&mut reaching, &votes, &self.setup.tie);
        reaching.truncate(self.seats_left);
        for &c in &reaching {
            self.status[c] = Status::Elected;
            self.seats_left -= 1;
            self.winners.push(c);
        }
        for &c in &reaching {
            self.paths.elected(self.setup.rankings, &self.status, c);
        }
        reaching
    }

    /// Droop's sure losers: the largest set of lowest candidates (never splitting candidates
    /// within the surplus of each other) whose votes with the surplus are below the next one's,
    /// leaving enough candidates for the seats.
    fn sure_losers(&self) -> Vec<Alternative> {
        let arith = &self.arith;
        let mut sorted = self.hopeful();
        sorted.sort_by(|&a, &b| arith.cmp(&self.votes[a], &self.votes[b]).then(a.cmp(&b)));
        let mut groups: Vec<Vec<Alternative>> = Vec::new();
        let mut group: Vec<Alternative> = Vec::new();
        let mut base = arith.int(0);
        for c in sorted {
            if arith.cmp(&arith.add(&base, &self.surplus), &self.votes[c]) != Ordering::Less {
                group.push(c);
            } else {
                if !group.is_empty() {
                    groups.push(std::mem::take(&mut group));
                }
                group.push(c);
                base = self.votes[c].clone();
            }
        }
        if !group.is_empty() {
            groups.push(group);
        }
        let most = self.hopeful().len().saturating_sub(self.seats_left);
        let (mut sum, mut taken, mut last) = (arith.int(0), 0, None);
        for g in 0..groups.len().saturating_sub(1) {
            taken += groups[g].len();
            if taken > most {
                break;
            }
            for &c in &groups[g] {
                sum = arith.add(&sum, &self.votes[c]);
            }
            if arith.cmp(&arith.add(&sum, &self.surplus), &self.votes[groups[g + 1][0]]) == Ordering::Less {
                last = Some(g);
            }
        }
        let mut losers: Vec<Alternative> = groups.into_iter().take(last.map_or(0, |g| g + 1)).flatten().collect();
        losers.sort_unstable();
        losers
    }

    /// Excludes the hopeful candidate with the fewest votes; every candidate within the surplus
    /// of the fewest is tied with it (PRF B.3).
    fn exclude_lowest(&mut self, stable: bool) {
        let hopeful = self.hopeful();
        let Some(&lowest) = hopeful.iter().min_by(|&&a, &&b| self.arith.cmp_raw(&self.votes[a], &self.votes[b])) else {
            return;
        };
        let window = self.arith.add(&self.votes[lowest], &self.surplus);
        let mut tied: Vec<Alternative> =
            hopeful.into_iter().filter(|&c| self.arith.cmp(&self.votes[c], &window) != Ordering::Greater).collect();
        let tie = &self.setup.tie;
        tied.sort_by_key(|&c| tie.position(c));
        let round = Some(self.rounds.len());
        let surplus = shown(&self.arith.rational(&self.surplus), 12);
        let x = tie.disfavour(&tied, round, || format!("excluded: fewest votes, within the surplus {surplus}"), &mut self.ties);
        self.exclude(x);
        let why = if stable { "stopped falling" } else { "is below omega" };
        if let Some(round) = self.rounds.last_mut() {
            round.eliminated = vec![x];
            round.note.push_str(&format!("; the surplus ({surplus}) {why}: {} excluded", name(x)));
        }
    }

    fn exclude(&mut self, c: Alternative) {
        self.fresh = false;
        self.status[c] = Status::Excluded;
        self.keep_factor[c] = self.arith.int(0);
        self.paths.excluded(self.setup.rankings, &self.status, c);
    }

    fn rational_votes(&self) -> Vec<Rational> {
        self.votes.iter().map(|v| self.arith.rational(v)).collect()
    }

    fn record(&mut self, stop: &Stop, iterations: usize) {
        let plural = if iterations == 1 { "iteration" } else { "iterations" };
        let note = match stop {
            Stop::Complete => "first preferences".to_owned(),
            Stop::Elected(elected) => format!("{iterations} {plural}: {} reached the quota", names(elected)),
            Stop::Omega | Stop::Stable => format!("{iterations} {plural}"),
            Stop::SureLosers(losers) => {
                format!("{iterations} {plural}: {} cannot be elected (sure losers) and are excluded together", names(losers))
            }
        };
        self.rounds.push(Round {
            tallies: self.rational_votes(),
            exhausted: self.arith.rational(&self.exhausted),
            quota: Some(self.arith.rational(&self.quota)),
            keep_factors: Some(self.keep_factor.iter().map(|k| self.arith.rational(k)).collect()),
            elected: match stop {
                Stop::Elected(elected) => elected.clone(),
                _ => Vec::new(),
            },
            eliminated: Vec::new(),
            note,
        });
    }

    fn finish(mut self) -> Outcome {
        let mut remaining = self.hopeful();
        if self.seats_left > 0 && !remaining.is_empty() {
            let votes = self.rational_votes();
            by_votes_descending(&mut remaining, &votes, &self.setup.tie);
            remaining.truncate(self.seats_left);
            for &c in &remaining {
                self.status[c] = Status::Elected;
                self.winners.push(c);
            }
            self.seats_left -= remaining.len();
            if let Some(round) = self.rounds.last_mut() {
                round.elected.extend_from_slice(&remaining);
                round.note.push_str(&format!("; {} elected to fill the seats left", names(&remaining)));
            }
        }
        outcome(self.winners, self.ties, self.rounds)
    }
}

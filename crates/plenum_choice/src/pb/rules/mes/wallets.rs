//! The voters' money during a run of the Method of Equal Shares, kept by groups.
//!
//! Voters who have paid for the same projects at the same prices hold the same amount, so
//! they are kept together in a *purse* (a group with one balance). Pricing a project then costs
//! a few operations per purse among its supporters instead of per voter, and funding it splits
//! each purse it touches in two: those who paid and those who did not. All voters start in one
//! purse; everyone who has spent everything shares the empty purse.
//!
//! A price is found the "poor and rich" way rather than by sorting purses: everyone is
//! assumed able to pay the equal share; those who cannot give all they have, the share of the
//! rest is recomputed, and so on until nobody else falls short (usually once or twice). The
//! share only grows, so the result is the smallest price that covers the cost.

use std::cmp::Ordering;
use std::collections::HashMap;

use crate::rational::Rational;

use super::super::amount::{Amount, Uncertain};

/// Index of a purse.
type Purse = u32;

const EMPTY: Purse = 0;
const NONE: Purse = Purse::MAX;

/// The money of every ballot, grouped into purses with equal balances.
#[derive(Debug)]
pub(super) struct Wallets<N> {
    /// The purse each distinct ballot's voters share.
    purse_of: Vec<Purse>,
    /// How many voters cast each distinct ballot.
    weight: Vec<u64>,
    balance: Vec<N>,
    /// Number of voters in each purse.
    voters: Vec<u64>,
    // Scratch space, kept between calls to avoid allocating on the hot path.
    tally: Vec<u64>,
    touched: Vec<Purse>,
    remap: Vec<Purse>,
}

/// The price of a project for its supporters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Price<N> {
    /// Affordable: the smallest factor ρ such that supporter i pays min(balance, ρ·sat_i).
    Rho(N),
    /// Its supporters hold this much in all, less than its cost.
    OutOfReach(N),
}

/// What funding a project did to its supporters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Payment {
    /// Supporters who paid their full share.
    pub full: u64,
    /// Supporters who could not pay their full share and gave all they had.
    pub all_they_had: u64,
}

impl<N: Amount> Wallets<N> {
    /// Every voter of every ballot holds `start`.
    pub fn new(weight: Vec<u64>, start: N) -> Wallets<N> {
        let voters: u64 = weight.iter().sum();
        let purse_of = vec![1; weight.len()];
        Wallets {
            purse_of,
            weight,
            balance: vec![N::zero(), start],
            voters: vec![0, voters],
            tally: vec![0, 0],
            touched: Vec::new(),
            remap: vec![NONE, NONE],
        }
    }

    /// The price of a project costing `cost` whose supporters (distinct ballots) all get
    /// satisfaction `sat` from it.
    pub fn price_uniform(&mut self, supporters: &[u32], sat: &N, cost: &N) -> Result<Price<N>, Uncertain> {
        self.tally_purses(supporters);
        let result = self.walk_uniform(sat, cost);
        self.clear_tally();
        result
    }

    fn walk_uniform(&self, sat: &N, cost: &N) -> Result<Price<N>, Uncertain> {
        let holdings: Vec<(&N, u64)> =
            self.touched.iter().map(|&c| (&self.balance[c as usize], self.tally[c as usize])).collect();
        Ok(match N::equal_share(&holdings, cost)? {
            Ok(share) => share.div(sat).map_or_else(|| Price::OutOfReach(N::zero()), Price::Rho),
            Err(available) => Price::OutOfReach(available),
        })
    }

    /// The price of a project costing `cost` whose supporters get different satisfactions
    /// (`sats`, aligned with `supporters`).
    pub fn price_varied(&self, supporters: &[u32], sats: &[N], raw_sats: &[Rational], cost: &N) -> Result<Price<N>, Uncertain> {
        let groups = self.groups(supporters, sats, raw_sats);
        let sat_of = |g: usize| groups[g].1.mul_int(groups[g].2);
        let mut rich_sat = (0..groups.len()).fold(N::zero(), |acc, g| acc.add(&sat_of(g)));
        let mut rich: Vec<usize> = (0..groups.len()).collect();
        let mut paid = N::zero();
        loop {
            let Some(rho) = cost.sub(&paid).div(&rich_sat) else { return Ok(Price::OutOfReach(paid)) };
            let mut still = Vec::with_capacity(rich.len());
            let mut fell = false;
            for &g in &rich {
                let (c, s, w) = &groups[g];
                if rho.mul(s).compare(&self.balance[*c as usize])? == Ordering::Greater {
                    paid = paid.add(&self.balance[*c as usize].mul_int(*w));
                    rich_sat = rich_sat.sub(&sat_of(g));
                    fell = true;
                } else {
                    still.push(g);
                }
            }
            if !fell {
                return Ok(Price::Rho(rho));
            }
            if still.is_empty() {
                return Ok(Price::OutOfReach(paid));
            }
            rich = still;
        }
    }

    /// How much the supporters hold in all.
    #[cfg(test)]
    pub fn available(&mut self, supporters: &[u32]) -> N {
        self.tally_purses(supporters);
        let total =
            self.touched.iter().fold(N::zero(), |acc, &c| acc.add(&self.balance[c as usize].mul_int(self.tally[c as usize])));
        self.clear_tally();
        total
    }

    /// Funds a project at factor `rho`: each supporter pays min(balance, rho·sat), where all
    /// supporters get satisfaction `sat`.
    pub fn pay_uniform(&mut self, supporters: &[u32], sat: &N, rho: &N) -> Result<Payment, Uncertain> {
        let share = rho.mul(sat);
        let mut payment = Payment { full: 0, all_they_had: 0 };
        let mut remapped = Vec::new();
        let mut result = Ok(());
        for &b in supporters {
            let c = self.purse_of[b as usize];
            if self.remap[c as usize] == NONE {
                let to = match self.after_paying(c, &share) {
                    Ok(to) => to,
                    Err(e) => {
                        result = Err(e);
                        break;
                    }
                };
                self.remap[c as usize] = to;
                remapped.push(c);
            }
            let to = self.remap[c as usize];
            let w = self.weight[b as usize];
            if to == EMPTY && !self.balance[c as usize].compare(&share).is_ok_and(Ordering::is_ge) {
                payment.all_they_had += w;
            } else {
                payment.full += w;
            }
            self.move_ballot(b, c, to, w);
        }
        for c in remapped {
            self.remap[c as usize] = NONE;
        }
        result?;
        Ok(payment)
    }

    /// Funds a project at factor `rho` when supporters' satisfactions differ.
    pub fn pay_varied(&mut self, supporters: &[u32], sats: &[N], raw_sats: &[Rational], rho: &N) -> Result<Payment, Uncertain> {
        let mut payment = Payment { full: 0, all_they_had: 0 };
        let mut opened: HashMap<(Purse, &Rational), Purse> = HashMap::new();
        for ((&b, s), raw) in supporters.iter().zip(sats).zip(raw_sats) {
            let c = self.purse_of[b as usize];
            let share = rho.mul(s);
            let to = match opened.get(&(c, raw)) {
                Some(&to) => to,
                None => {
                    let to = self.after_paying(c, &share)?;
                    opened.insert((c, raw), to);
                    to
                }
            };
            let w = self.weight[b as usize];
            if to == EMPTY && self.balance[c as usize].compare(&share)? == Ordering::Less {
                payment.all_they_had += w;
            } else {
                payment.full += w;
            }
            self.move_ballot(b, c, to, w);
        }
        Ok(payment)
    }

    /// The purse that purse `c`'s voters move to after paying `share` each (or all they have).
    fn after_paying(&mut self, c: Purse, share: &N) -> Result<Purse, Uncertain> {
        Ok(match self.balance[c as usize].left_after(share)? {
            Some(left) => self.open(left),
            None => EMPTY,
        })
    }

    fn move_ballot(&mut self, b: u32, from: Purse, to: Purse, w: u64) {
        self.purse_of[b as usize] = to;
        self.voters[from as usize] -= w;
        self.voters[to as usize] += w;
    }

    fn open(&mut self, balance: N) -> Purse {
        let c = self.balance.len() as Purse;
        self.balance.push(balance);
        self.voters.push(0);
        self.tally.push(0);
        self.remap.push(NONE);
        c
    }

    /// Counts the supporters in each purse (the empty purse aside: it has nothing to give).
    fn tally_purses(&mut self, supporters: &[u32]) {
        for &b in supporters {
            let c = self.purse_of[b as usize];
            if c == EMPTY {
                continue;
            }
            if self.tally[c as usize] == 0 {
                self.touched.push(c);
            }
            self.tally[c as usize] += self.weight[b as usize];
        }
    }

    fn clear_tally(&mut self) {
        for &c in &self.touched {
            self.tally[c as usize] = 0;
        }
        self.touched.clear();
    }

    /// Supporters grouped by (purse, satisfaction), with the number of voters in each group.
    /// Satisfactions are grouped by their exact value (`raw_sats`); the empty purse is left out.
    fn groups<'a>(&self, supporters: &[u32], sats: &'a [N], raw_sats: &'a [Rational]) -> Vec<(Purse, &'a N, u64)> {
        let mut entries: Vec<(Purse, &Rational, &N, u64)> = supporters
            .iter()
            .zip(sats)
            .zip(raw_sats)
            .map(|((&b, s), raw)| (self.purse_of[b as usize], raw, s, self.weight[b as usize]))
            .filter(|e| e.0 != EMPTY)
            .collect();
        entries.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1)));
        let mut groups: Vec<(Purse, &Rational, &N, u64)> = Vec::with_capacity(entries.len());
        for (c, raw, s, w) in entries {
            match groups.last_mut() {
                Some(last) if last.0 == c && last.1 == raw => last.3 += w,
                _ => groups.push((c, raw, s, w)),
            }
        }
        groups.into_iter().map(|(c, _, s, w)| (c, s, w)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::rational::Rational;

    fn q(n: i64, d: i64) -> Rational {
        Rational::new(n, d).unwrap()
    }

    #[test]
    fn equal_shares_when_everyone_can_pay() {
        let mut w = Wallets::new(vec![1, 1, 1], q(10, 1));
        assert_eq!(w.price_uniform(&[0, 1, 2], &Rational::ONE, &q(9, 1)), Ok(Price::Rho(q(3, 1))));
    }

    #[test]
    fn the_poor_give_everything_and_the_rest_share_what_is_left() {
        // Ballot 0 (2 voters) has 10 each; ballot 1 (1 voter) pays for a project and keeps 1.
        let mut w = Wallets::new(vec![2, 1], q(10, 1));
        w.pay_uniform(&[1], &Rational::ONE, &q(9, 1)).unwrap();
        // A project costing 15 for all three: the one with 1 gives 1, the others pay 7 each.
        assert_eq!(w.price_uniform(&[0, 1], &Rational::ONE, &q(15, 1)), Ok(Price::Rho(q(7, 1))));
        assert_eq!(w.price_uniform(&[0, 1], &Rational::ONE, &q(22, 1)), Ok(Price::OutOfReach(q(21, 1))));
        let paid = w.pay_uniform(&[0, 1], &Rational::ONE, &q(7, 1)).unwrap();
        assert_eq!(paid, Payment { full: 2, all_they_had: 1 });
        assert_eq!(w.available(&[0, 1]), q(6, 1));
    }

    #[test]
    fn varied_satisfaction_prices_per_unit() {
        // Two voters with 10 each, satisfactions 1 and 3: ρ·1 + ρ·3 = 8 gives ρ = 2.
        let w = Wallets::new(vec![1, 1], q(10, 1));
        let sats = [q(1, 1), q(3, 1)];
        assert_eq!(w.price_varied(&[0, 1], &sats, &sats, &q(8, 1)), Ok(Price::Rho(q(2, 1))));
        // Cost 16: the second would pay 12 > 10, so gives 10; the first pays 6 at ρ = 6.
        assert_eq!(w.price_varied(&[0, 1], &sats, &sats, &q(16, 1)), Ok(Price::Rho(q(6, 1))));
    }
}

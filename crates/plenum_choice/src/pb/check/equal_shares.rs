//! The Method of Equal Shares as pabulib's checker computes it to verify `equalshares*` rules:
//! approval ballots only, costs and budget floored to integers, exact fractions, ties broken
//! by lower cost and then more approvals (an unbroken tie is a processing error, as there),
//! the add-one completion and the comparison with utilitarian greedy.
//!
//! This is the checker's own variant, kept apart from [`crate::pb::rules`] on purpose: it
//! differs in its details (flooring, tie-breaking, a voter who approves a project twice pays
//! twice) and must agree with the checker, not with pabutools.

use std::collections::BTreeSet;

use super::python::{Abort, Value, floor_int};
use super::{Checker, Level};
use crate::rational::Rational;

/// The most budget increments the add-one completion tries. The checker has no bound (and
/// loops forever when every project fits); real files need far fewer.
const MAX_ADD_ONE_STEPS: usize = 10_000;

/// An integer of any size as a rational.
fn rational(n: i128) -> Rational {
    match i64::try_from(n) {
        Ok(n) => Rational::integer(n),
        Err(_) => n.to_string().parse().unwrap_or(Rational::ZERO),
    }
}

/// What the rule needs: floored costs and, per project, its approvers (voter indices, one
/// entry per time a voter names it).
struct Election {
    costs: Vec<i128>,
    approvers: Vec<Vec<usize>>,
    voters: usize,
}

impl Checker<'_> {
    /// `verify_equalshares_selected`.
    pub(super) fn verify_equal_shares(&mut self, rule: &str, add_one: bool, comparison: bool) -> Result<(), Abort> {
        if self.table.meta.get("vote_type").and_then(Value::text) != Some("approval") {
            let message = format!("Rule '{rule}' can be verified only for approval ballots.");
            self.add("equalshares unsupported vote_type", self.table.meta.at("vote_type"), message, Level::Warning);
            return Ok(());
        }
        let projects = &self.table.projects;
        let mut costs = Vec::with_capacity(projects.len());
        for i in 0..projects.len() {
            costs.push(self.cost_floor(i)?);
        }
        let mut approvers = vec![Vec::new(); projects.len()];
        for (v, vote) in self.table.votes.list.iter().enumerate() {
            for id in vote.get("vote").map(Value::split_list).unwrap_or_default() {
                if let Some(p) = projects.position(id) {
                    approvers[p].push(v);
                }
            }
        }
        let election = Election { costs, approvers, voters: self.table.votes.len() };
        let mut winners = if election.voters == 0 {
            Vec::new()
        } else {
            let total = self.meta_budget_floor()?;
            if add_one { election.add_one(total)? } else { election.fixed_budget(total)? }
        };
        if comparison {
            let total = self.meta_budget_floor()?;
            winners = election.compare_with_greedy(winners, total);
        }
        let winners: BTreeSet<String> = winners.into_iter().map(|p| self.table.projects.list[p].id.to_string()).collect();
        let mut selected = BTreeSet::new();
        for project in &self.table.projects.list {
            let flag = match project.get("selected") {
                Some(v) if v.truthy() => v.to_int()?,
                _ => 0,
            };
            if flag == 1 {
                selected.insert(project.id.to_string());
            }
        }
        self.compare(&format!("{rule} rule not followed"), &winners, &selected, Level::Error);
        Ok(())
    }

    /// `int(math.floor(_parse_numeric(meta["budget"])))`.
    fn meta_budget_floor(&self) -> Result<i128, Abort> {
        let budget = self.table.meta.get("budget").ok_or_else(|| Abort("KeyError: 'budget'".to_owned()))?;
        Ok(floor_int(budget.parse_numeric()?)?)
    }
}

impl Election {
    /// `_equal_shares_fixed_budget`.
    fn fixed_budget(&self, total: i128) -> Result<Vec<usize>, Abort> {
        let share = rational(total).div_int(self.voters as i64).unwrap_or(Rational::ZERO);
        let mut budget = vec![share; self.voters];
        let costs: Vec<Rational> = self.costs.iter().map(|&c| rational(c)).collect();
        // Projects still in the running with their last effective vote count, in file order.
        let mut remaining: Vec<(usize, Rational)> = (0..self.costs.len())
            .filter(|&p| self.costs[p] > 0 && !self.approvers[p].is_empty())
            .map(|p| (p, Rational::from(self.approvers[p].len())))
            .collect();
        let mut winners = Vec::new();
        loop {
            let mut best: Vec<usize> = Vec::new();
            let mut best_eff = Rational::ZERO;
            let mut ranked = remaining.clone();
            ranked.sort_by(|a, b| b.1.cmp(&a.1));
            for (p, previous) in ranked {
                if previous < best_eff {
                    break;
                }
                let cost = &costs[p];
                let money: Rational = self.approvers[p].iter().map(|&v| &budget[v]).sum();
                if money < *cost {
                    remaining.retain(|(q, _)| *q != p);
                    continue;
                }
                let mut payers = self.approvers[p].clone();
                payers.sort_by(|&a, &b| budget[a].cmp(&budget[b]));
                let mut paid = Rational::ZERO;
                let mut left = payers.len() as i64;
                for v in payers {
                    let max_payment = (cost - &paid).div_int(left).ok_or_else(division_by_zero)?;
                    let eff = cost.checked_div(&max_payment).ok_or_else(division_by_zero)?;
                    if max_payment > budget[v] {
                        paid += &budget[v];
                        left -= 1;
                    } else {
                        if let Some(entry) = remaining.iter_mut().find(|(q, _)| *q == p) {
                            entry.1 = eff.clone();
                        }
                        if eff > best_eff {
                            best_eff = eff;
                            best = vec![p];
                        } else if eff == best_eff {
                            best.push(p);
                        }
                        break;
                    }
                }
            }
            if best.is_empty() {
                break;
            }
            let best = self.break_ties(best);
            let [winner] = best.as_slice() else {
                return Err(Abort(format!("ValueError: Equal Shares tie-breaking failed for projects {best:?}")));
            };
            let winner = *winner;
            winners.push(winner);
            remaining.retain(|(q, _)| *q != winner);
            let max_payment = costs[winner].checked_div(&best_eff).ok_or_else(division_by_zero)?;
            for &v in &self.approvers[winner] {
                budget[v] = if budget[v] > max_payment { &budget[v] - &max_payment } else { Rational::ZERO };
            }
        }
        Ok(winners)
    }

    /// `_break_equalshares_ties`: lowest cost, then most approvals.
    fn break_ties(&self, best: Vec<usize>) -> Vec<usize> {
        let cheapest = best.iter().map(|&p| self.costs[p]).min().unwrap_or_default();
        let best: Vec<usize> = best.into_iter().filter(|&p| self.costs[p] == cheapest).collect();
        let most = best.iter().map(|&p| self.approvers[p].len()).max().unwrap_or_default();
        best.into_iter().filter(|&p| self.approvers[p].len() == most).collect()
    }

    /// `_compute_equalshares_winners(add1=True)`: raise the budget by one unit per voter while
    /// the outcome still fits in the real budget.
    fn add_one(&self, total: i128) -> Result<Vec<usize>, Abort> {
        let mut winners = self.fixed_budget(total)?;
        let n = self.voters as i128;
        let eligible: i128 = (0..self.costs.len())
            .filter(|&p| self.costs[p] > 0 && !self.approvers[p].is_empty())
            .map(|p| self.costs[p])
            .fold(0, i128::saturating_add);
        if eligible <= total {
            return Err(Abort(
                "the checker's add-one completion never ends when every approved project fits in the budget".to_owned(),
            ));
        }
        let mut artificial = total.div_euclid(n).saturating_mul(n);
        for _ in 0..MAX_ADD_ONE_STEPS {
            let next = artificial.saturating_add(n);
            let next_winners = self.fixed_budget(next)?;
            let cost = next_winners.iter().map(|&p| self.costs[p]).fold(0, i128::saturating_add);
            if cost > total {
                return Ok(winners);
            }
            artificial = next;
            winners = next_winners;
        }
        Err(Abort(format!("Equal Shares add-one completion did not settle within {MAX_ADD_ONE_STEPS} budget increments")))
    }

    /// `_apply_equalshares_comparison_step` (satisfaction mode): keep Equal Shares unless more
    /// voters approve more projects of the utilitarian greedy outcome.
    fn compare_with_greedy(&self, winners: Vec<usize>, total: i128) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.costs.len()).collect();
        order.sort_by(|&a, &b| self.approvers[b].len().cmp(&self.approvers[a].len()));
        let mut greedy = Vec::new();
        let mut spent: i128 = 0;
        for p in order {
            if spent.saturating_add(self.costs[p]) <= total {
                greedy.push(p);
                spent = spent.saturating_add(self.costs[p]);
            }
        }
        let satisfaction = |chosen: &[usize]| {
            let mut sat = vec![0usize; self.voters];
            for &p in chosen {
                for &v in &self.approvers[p] {
                    sat[v] += 1;
                }
            }
            sat
        };
        let (mes, greedy_sat) = (satisfaction(&winners), satisfaction(&greedy));
        let prefers_mes = mes.iter().zip(&greedy_sat).filter(|(m, g)| m > g).count();
        let prefers_greedy = mes.iter().zip(&greedy_sat).filter(|(m, g)| g > m).count();
        if prefers_greedy > prefers_mes { greedy } else { winners }
    }
}

fn division_by_zero() -> Abort {
    Abort("ZeroDivisionError in Equal Shares".to_owned())
}

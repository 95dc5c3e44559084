//! One run of MES at a given share per voter, in either arithmetic (see `amount.rs`).

use std::cmp::Ordering;

use crate::pb::ProjectIndex;
use crate::pb::ballots::Satisfaction;
use crate::rational::Rational;

use super::super::amount::{Amount, Uncertain};
use super::super::greedy::money;
use super::super::tie::Tie;
use super::wallets::{Payment, Price, Wallets};
use super::{Fate, Problem, Round};

/// What a run funded, and, when explaining, how.
#[derive(Debug, Default)]
pub(super) struct Run {
    /// In order of funding (free projects aside).
    pub funded: Vec<ProjectIndex>,
    pub rounds: Vec<Round>,
    pub ties: Vec<Tie>,
    /// Per project, when explaining.
    pub fates: Vec<Option<Fate>>,
}

/// A run recorded in full, for people.
#[derive(Debug)]
pub(super) struct Explained {
    pub funded: Vec<ProjectIndex>,
    pub rounds: Vec<Round>,
    pub ties: Vec<Tie>,
    pub fates: Vec<Fate>,
}

/// Recording a run needs exact values; intervals have none (and never explain).
pub(super) trait Exact {
    fn exact(&self) -> Option<Rational>;
}

impl Exact for Rational {
    fn exact(&self) -> Option<Rational> {
        Some(self.clone())
    }
}

impl Exact for super::super::amount::Interval {
    fn exact(&self) -> Option<Rational> {
        None
    }
}

impl Exact for super::super::amount::Hybrid {
    fn exact(&self) -> Option<Rational> {
        match self {
            super::super::amount::Hybrid::Exact(x) => Some(x.clone()),
            super::super::amount::Hybrid::Approx(_) => None,
        }
    }
}

impl Problem<'_> {
    /// The run at `share`, in exact arithmetic, with every project's fate.
    pub(super) fn explained(&self, share: &Rational) -> Explained {
        // Exact arithmetic never reports Uncertain; the default (nothing funded) is unreachable.
        let run = self.select::<Rational>(share.clone(), true).unwrap_or_default();
        let mut fates: Vec<Fate> = run.fates.into_iter().map(|f| f.unwrap_or(Fate::NoSupport)).collect();
        fates.resize(self.instance.projects.len(), Fate::NoSupport);
        Explained { funded: run.funded, rounds: run.rounds, ties: run.ties, fates }
    }

    /// One run of MES with `share` per voter (with intervals, `share` may be a range of shares:
    /// a run that decides everything then holds for every share in it). When `explain` is set,
    /// every remaining project is priced in every round, so that each one's fate is known
    /// exactly; otherwise projects are priced lazily (a project's ρ never falls, so its last ρ
    /// bounds the next one).
    pub(super) fn select<N: Amount + Exact>(&self, share: N, explain: bool) -> Result<Run, Uncertain> {
        let cost: Vec<N> = self.instance.projects.iter().map(|p| N::of(&p.cost)).collect();
        let unit_sat: Vec<N> = self.unit_sat.iter().map(N::of).collect();
        let sats: Vec<Vec<N>> = self.sats.iter().map(|s| s.iter().map(N::of).collect()).collect();
        let mut wallets = Wallets::new(self.weights.clone(), share);
        let mut bound: Vec<N> =
            self.considered.iter().map(|&p| cost[p].div(&N::of(&self.total_sat[p])).unwrap_or_else(N::zero)).collect();
        // Positions into `considered` of the projects still in play.
        let mut remaining: Vec<usize> = (0..self.considered.len()).collect();
        let n = self.instance.projects.len();
        let mut run = Run { fates: vec![None; if explain { n } else { 0 }], ..Run::default() };
        let mut last_price: Vec<Option<(usize, Rational)>> = vec![None; if explain { n } else { 0 }];
        let price = |wallets: &mut Wallets<N>, p: ProjectIndex| {
            if self.satisfaction.is_uniform() {
                wallets.price_uniform(&self.supporters[p], &unit_sat[p], &cost[p])
            } else {
                wallets.price_varied(&self.supporters[p], &sats[p], &self.sats[p], &cost[p])
            }
        };
        loop {
            let round = run.funded.len() + 1;
            // Lowest bound first; the order only decides how soon pricing can stop.
            remaining.sort_by(|&a, &b| {
                bound[a].lower_cmp(&bound[b]).then_with(|| self.tie.cmp(self.considered[a], self.considered[b]))
            });
            let mut best: Option<N> = None;
            let mut tied: Vec<ProjectIndex> = Vec::new();
            let mut priced: Vec<(ProjectIndex, N)> = Vec::new();
            let mut still = Vec::with_capacity(remaining.len());
            for (k, &i) in remaining.iter().enumerate() {
                // Every later project's ρ is at least its bound, which is at least this one's
                // lower end: once that is certainly above the best, none of them can win.
                if !explain && best.as_ref().is_some_and(|b| bound[i].compare(b) == Ok(Ordering::Greater)) {
                    still.extend_from_slice(&remaining[k..]);
                    break;
                }
                let p = self.considered[i];
                match price(&mut wallets, p)? {
                    Price::OutOfReach(available) => {
                        if explain {
                            let last_price = last_price[p].take();
                            let available = available.exact().unwrap_or_default();
                            run.fates[p] = Some(Fate::OutOfReach { after_round: round - 1, available, last_price });
                        }
                    }
                    Price::Rho(rho) => {
                        let order = best.as_ref().map(|b| rho.compare(b)).transpose()?;
                        match order {
                            Some(Ordering::Greater) => {}
                            Some(Ordering::Equal) => tied.push(p),
                            _ => {
                                best = Some(rho.clone());
                                tied = vec![p];
                            }
                        }
                        if explain {
                            last_price[p] = rho.exact().map(|r| (round, r));
                            priced.push((p, rho.clone()));
                        }
                        bound[i] = rho;
                        still.push(i);
                    }
                }
            }
            remaining = still;
            let Some(rho) = best else { break };
            // Equal ρ means: equal effective support (cost satisfaction), equal price per
            // supporter (cardinality), equal price per point (points).
            let on = match (rho.exact(), self.satisfaction) {
                (Some(r), Satisfaction::Cost) => {
                    let effective = Rational::ONE.checked_div(&r).map(|e| e.to_decimal(2)).unwrap_or_default();
                    format!("{effective} effective supporters")
                }
                (Some(r), Satisfaction::Cardinality) => format!("{} per supporter", money(&r)),
                (Some(r), Satisfaction::Points) => format!("{} per point", money(&r)),
                (None, _) => String::new(),
            };
            let Some(p) = self.tie.decide(Some(round), tied, on, &mut run.ties) else { break };
            remaining.retain(|&i| self.considered[i] != p);
            let payment = if self.satisfaction.is_uniform() {
                wallets.pay_uniform(&self.supporters[p], &unit_sat[p], &rho)?
            } else {
                wallets.pay_varied(&self.supporters[p], &sats[p], &self.sats[p], &rho)?
            };
            run.funded.push(p);
            if explain {
                run.fates[p] = Some(Fate::Funded { round });
                run.rounds.push(self.round_record(p, &rho, payment, &priced)?);
            }
        }
        Ok(run)
    }

    /// The public record of a round: the project, its ρ, who paid how, and the runner-up.
    fn round_record<N: Amount + Exact>(
        &self,
        p: ProjectIndex,
        rho: &N,
        payment: Payment,
        priced: &[(ProjectIndex, N)],
    ) -> Result<Round, Uncertain> {
        let mut runner_up: Option<&(ProjectIndex, N)> = None;
        for candidate in priced.iter().filter(|(q, _)| *q != p) {
            let better = match runner_up {
                None => true,
                Some(current) => match candidate.1.compare(&current.1)? {
                    Ordering::Less => true,
                    Ordering::Equal => self.tie.cmp(candidate.0, current.0) == Ordering::Less,
                    Ordering::Greater => false,
                },
            };
            if better {
                runner_up = Some(candidate);
            }
        }
        Ok(Round {
            project: p,
            rho: rho.exact().unwrap_or_default(),
            paid_in_full: payment.full,
            paid_all_they_had: payment.all_they_had,
            runner_up: runner_up.and_then(|(q, r)| r.exact().map(|r| (*q, r))),
        })
    }
}

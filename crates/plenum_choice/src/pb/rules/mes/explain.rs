//! MES explanations for people.

use crate::pb::ballots::Satisfaction;
use crate::pb::{Instance, ProjectIndex};
use crate::rational::Rational;

use super::super::greedy::money;
use super::{Fate, MesTrace};

impl MesTrace {
    /// Why project `p` was or was not funded, in a sentence.
    #[must_use]
    pub fn explain(&self, instance: &Instance, p: ProjectIndex) -> Option<String> {
        if !self.explained {
            return None;
        }
        let fate = self.fates.get(p)?;
        let cost = &instance.projects[p].cost;
        let id = |q: ProjectIndex| instance.projects[q].id.as_str();
        Some(match fate {
            Fate::Free => "funded: it costs nothing and some voters want it".to_owned(),
            Fate::NoSupport => match self.satisfaction {
                Satisfaction::Cost if !cost.is_positive() => {
                    "not funded: it costs nothing, so cost satisfaction gives no one any".to_owned()
                }
                _ => "not funded: no voter supports it".to_owned(),
            },
            Fate::Funded { round } => {
                let r = &self.rounds[round - 1];
                let mut s = format!(
                    "funded in round {round}: {}; {} supporters paid their full share{}",
                    self.price_words(&r.rho, cost),
                    r.paid_in_full,
                    if r.paid_all_they_had > 0 {
                        format!(" and {} gave all they had left", r.paid_all_they_had)
                    } else {
                        String::new()
                    }
                );
                if let Some((q, rho)) = &r.runner_up {
                    s.push_str(&format!(
                        "; the next best was {} ({})",
                        id(*q),
                        self.price_words(rho, &instance.projects[*q].cost)
                    ));
                }
                s
            }
            Fate::OutOfReach { after_round, available, last_price } => {
                let mut s = format!(
                    "not funded: {} its supporters had {} left in all, less than its cost of {} (short by {})",
                    if *after_round == 0 { "from the start".to_owned() } else { format!("after round {after_round}") },
                    money(available),
                    money(cost),
                    money(&(cost - available))
                );
                if let Some((round, rho)) = last_price
                    && let Some(winner) = self.rounds.get(round - 1)
                {
                    s.push_str(&format!(
                        "; in round {round} it would have needed {}, but {} needed only {}",
                        self.price_words(rho, cost),
                        id(winner.project),
                        self.price_words(&winner.rho, &instance.projects[winner.project].cost)
                    ));
                }
                s
            }
            Fate::FundedByCompletion => {
                let detail = self.greedy.as_ref().and_then(|g| g.explain(instance, p)).unwrap_or_default();
                format!("funded by the utilitarian completion after Equal Shares ({detail})")
            }
        })
    }

    /// A price factor in words: money per supporter for uniform satisfaction, per point otherwise.
    fn price_words(&self, rho: &Rational, cost: &Rational) -> String {
        match self.satisfaction {
            Satisfaction::Cost => {
                let share = rho * cost;
                let effective = cost
                    .checked_div(&share)
                    .map(|e| if e.is_integer() { e.to_string() } else { e.to_decimal(1) })
                    .unwrap_or_default();
                format!("{} per supporter, as if {effective} supporters paid in full", money(&share))
            }
            Satisfaction::Cardinality => format!("{} per supporter", money(rho)),
            Satisfaction::Points => format!("{} per point", money(rho)),
        }
    }
}

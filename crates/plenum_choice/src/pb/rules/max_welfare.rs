//! Maximum utilitarian welfare: the affordable set of projects with the greatest total
//! satisfaction (a knapsack problem), solved exactly.
//!
//! Branch and bound over the projects in order of satisfaction per unit of cost, bounded by the
//! fractional relaxation, all in exact arithmetic. Several sets can share the greatest welfare;
//! pabutools leaves the choice to its solver, Plenum decides it: walking the projects in
//! tie-breaking order, each is included if some optimal set includes it together with the
//! choices already made. Projects that satisfy nobody are never funded (they add nothing), and
//! free projects that satisfy somebody always are.

use crate::pb::ballots::Satisfaction;
use crate::pb::{Ballots, Instance, ProjectIndex};
use crate::rational::Rational;

use super::greedy::money;
use super::tie::TieOrder;

/// The working of the maximum-welfare rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WelfareTrace {
    pub satisfaction: Satisfaction,
    /// The greatest total satisfaction that fits the budget.
    pub welfare: Rational,
    /// Per project: its total satisfaction.
    pub value: Vec<Rational>,
    /// Per project not funded: the greatest welfare of an affordable set that includes it
    /// (`None` if it does not fit at all or satisfies nobody).
    pub best_with: Vec<Option<Rational>>,
    pub funded: Vec<bool>,
}

/// The funded projects and the working.
#[derive(Debug, Clone)]
pub struct WelfareOutcome {
    pub funded: Vec<ProjectIndex>,
    pub trace: WelfareTrace,
    pub notes: Vec<String>,
}

/// One project in the search, with its index among all projects.
#[derive(Debug)]
struct Item {
    project: ProjectIndex,
    cost: Rational,
    value: Rational,
}

/// Runs the maximum-welfare rule.
#[must_use]
pub fn knapsack(instance: &Instance, ballots: &Ballots, satisfaction: Satisfaction, tie: &TieOrder) -> WelfareOutcome {
    let n = instance.projects.len();
    let mut value = vec![Rational::ZERO; n];
    for ballot in &ballots.ballots {
        for (p, points) in ballot.entries() {
            value[p] += &satisfaction.of(&instance.projects[p].cost, points).mul_int(ballot.weight as i64);
        }
    }
    let budget = &instance.budget;
    let mut free = Vec::new();
    let mut items = Vec::new();
    for (p, project) in instance.projects.iter().enumerate() {
        if !value[p].is_positive() || &project.cost > budget {
            continue;
        }
        if project.cost.is_positive() {
            items.push(Item { project: p, cost: project.cost.clone(), value: value[p].clone() });
        } else {
            free.push(p);
        }
    }
    // Best density first, so that the bound is tight early.
    items.sort_by(|a, b| (&b.value * &a.cost).cmp(&(&a.value * &b.cost)).then_with(|| tie.cmp(a.project, b.project)));
    let search = Search { items: &items, budget };
    let mut forced: Vec<Option<bool>> = vec![None; items.len()];
    let optimum = search.best(&forced, None).map_or(Rational::ZERO, |(v, _)| v);

    // Fix the choice among optimal sets in tie-breaking order.
    let mut by_tie: Vec<usize> = (0..items.len()).collect();
    by_tie.sort_by(|&a, &b| tie.cmp(items[a].project, items[b].project));
    for k in by_tie {
        forced[k] = Some(true);
        if search.best(&forced, Some(&optimum)).is_none() {
            forced[k] = Some(false);
        }
    }
    let mut funded: Vec<ProjectIndex> = free.clone();
    let mut chosen = vec![false; n];
    for &p in &free {
        chosen[p] = true;
    }
    for (k, item) in items.iter().enumerate() {
        if forced[k] == Some(true) {
            funded.push(item.project);
            chosen[item.project] = true;
        }
    }
    let mut best_with = vec![None; n];
    for (k, item) in items.iter().enumerate() {
        if !chosen[item.project] {
            let mut only_this: Vec<Option<bool>> = vec![None; items.len()];
            only_this[k] = Some(true);
            best_with[item.project] = search.best(&only_this, None).map(|(v, _)| v);
        }
    }
    let free_value: Rational = free.iter().map(|&p| &value[p]).sum();
    let welfare = &optimum + &free_value;
    let best_with = best_with.into_iter().map(|b| b.map(|v| v + &free_value)).collect();
    WelfareOutcome {
        funded,
        trace: WelfareTrace { satisfaction, welfare, value, best_with, funded: chosen },
        notes: vec![format!(
            "among several sets with the greatest welfare, the one chosen includes the earliest projects in {} order",
            tie.rule.as_str()
        )],
    }
}

/// Branch and bound over `items` (sorted by density) within `budget`.
#[derive(Debug)]
struct Search<'a> {
    items: &'a [Item],
    budget: &'a Rational,
}

impl Search<'_> {
    /// The best value and set respecting `forced` (Some(true): must take, Some(false): must not).
    /// With `target`, returns the first set reaching it, or `None` if none does.
    fn best(&self, forced: &[Option<bool>], target: Option<&Rational>) -> Option<(Rational, Vec<bool>)> {
        let mut take = vec![false; self.items.len()];
        let mut room = self.budget.clone();
        let mut value = Rational::ZERO;
        for (k, item) in self.items.iter().enumerate() {
            if forced[k] == Some(true) {
                take[k] = true;
                room -= &item.cost;
                value += &item.value;
            }
        }
        if room.is_negative() {
            return None;
        }
        let mut state = State { best: None, target };
        self.branch(0, forced, &mut take, room, value, &mut state);
        state.best
    }

    fn branch(
        &self,
        k: usize,
        forced: &[Option<bool>],
        take: &mut Vec<bool>,
        room: Rational,
        value: Rational,
        state: &mut State<'_>,
    ) {
        if state.done() {
            return;
        }
        if k == self.items.len() {
            let better = match (&state.best, state.target) {
                (_, Some(target)) => &value >= target,
                (Some((best, _)), None) => value > *best,
                (None, None) => true,
            };
            if better {
                state.best = Some((value, take.clone()));
            }
            return;
        }
        if forced[k].is_some() {
            return self.branch(k + 1, forced, take, room, value, state);
        }
        let bound = self.bound(k, forced, &room, &value);
        let hopeless = match (&state.best, state.target) {
            (_, Some(target)) => &bound < target,
            (Some((best, _)), None) => &bound <= best,
            (None, None) => false,
        };
        if hopeless {
            return;
        }
        let item = &self.items[k];
        if item.cost <= room {
            take[k] = true;
            self.branch(k + 1, forced, take, &room - &item.cost, &value + &item.value, state);
            take[k] = false;
        }
        self.branch(k + 1, forced, take, room, value, state);
    }

    /// The fractional relaxation from item `k` on: an upper bound on what can still be reached.
    fn bound(&self, k: usize, forced: &[Option<bool>], room: &Rational, value: &Rational) -> Rational {
        let mut room = room.clone();
        let mut bound = value.clone();
        for (j, item) in self.items.iter().enumerate().skip(k) {
            if forced[j].is_some() {
                continue;
            }
            if item.cost <= room {
                room -= &item.cost;
                bound += &item.value;
            } else {
                if let Some(part) = (&item.value * &room).checked_div(&item.cost) {
                    bound += &part;
                }
                break;
            }
        }
        bound
    }
}

#[derive(Debug)]
struct State<'a> {
    best: Option<(Rational, Vec<bool>)>,
    target: Option<&'a Rational>,
}

impl State<'_> {
    fn done(&self) -> bool {
        self.target.is_some() && self.best.is_some()
    }
}

impl WelfareTrace {
    /// Why project `p` was or was not funded, in a sentence.
    #[must_use]
    pub fn explain(&self, instance: &Instance, p: ProjectIndex) -> Option<String> {
        let value = self.value.get(p)?;
        let welfare = money(&self.welfare);
        Some(if self.funded[p] {
            format!(
                "funded: it belongs to the affordable set with the greatest total satisfaction ({welfare}); its own is {}",
                money(value)
            )
        } else if !value.is_positive() {
            "not funded: it satisfies no voter".to_owned()
        } else if instance.projects[p].cost > instance.budget {
            "not funded: it costs more than the whole budget".to_owned()
        } else {
            match &self.best_with[p] {
                Some(with) => format!(
                    "not funded: the best affordable set that includes it reaches {} total satisfaction, less than {welfare}",
                    money(with)
                ),
                None => format!("not funded: no affordable set that includes it reaches {welfare}"),
            }
        })
    }
}

//! The PB rules against straightforward reference implementations (one voter at a time, no
//! grouping, no laziness), on hand-made and random elections.
#![expect(clippy::unwrap_used, reason = "test helpers fail loudly on broken fixtures")]

use plenum_choice::Rational;
use plenum_choice::pb::ballots::Satisfaction;
use plenum_choice::pb::rules::{Completion, Count, Rule, RuleSpec, TieBreak};
use plenum_choice::pb::{Election, Instance, Meta, Profile, Project, VoteType, Voter};
use proptest::prelude::*;

fn q(n: i64) -> Rational {
    Rational::integer(n)
}

/// An election; `ballots` name project positions, with points (1 each for approval).
fn election(budget: i64, costs: &[i64], vote_type: VoteType, ballots: &[Vec<(usize, i64)>]) -> Election {
    let projects = costs
        .iter()
        .enumerate()
        .map(|(i, &c)| Project { id: format!("{}", 10 + i * 7 % 13), cost: q(c), fields: vec![] })
        .collect();
    let voters = ballots
        .iter()
        .enumerate()
        .map(|(i, b)| Voter {
            id: i.to_string(),
            vote: b.iter().map(|(p, _)| *p).collect(),
            points: vote_type.requires_points().then(|| b.iter().map(|(_, pts)| q(*pts)).collect()),
        })
        .collect();
    Election {
        instance: Instance {
            meta: Meta(vec![("vote_type".into(), vote_type.as_str().into())]),
            budget: q(budget),
            project_columns: vec![],
            projects,
        },
        profile: Profile { vote_type, voters, columns: vec![] },
    }
}

fn approval(budget: i64, costs: &[i64], ballots: &[&[usize]]) -> Election {
    let ballots: Vec<Vec<(usize, i64)>> = ballots.iter().map(|b| b.iter().map(|&p| (p, 1)).collect()).collect();
    election(budget, costs, VoteType::Approval, &ballots)
}

fn spec(rule: Rule, satisfaction: Satisfaction, completion: Completion) -> RuleSpec {
    RuleSpec { rule, satisfaction, completion, tie_break: TieBreak::ProjectId }
}

/// The funded projects; also checks that recording explanations changes nothing.
fn run(e: &Election, spec: &RuleSpec) -> Vec<usize> {
    let fast = Count::new(e).run(spec).unwrap();
    let explained = Count::new(e).explaining().run(spec).unwrap();
    assert_eq!(fast.selected, explained.selected, "explaining changed the outcome of {spec:?}");
    assert_eq!(fast.ties, explained.ties, "explaining changed the ties of {spec:?}");
    fast.selected
}

/// Per-voter satisfaction as the rules define it (membership for cost and cardinality).
fn sat(e: &Election, s: Satisfaction, voter: &Voter, p: usize) -> Rational {
    let Some(pos) = voter.vote.iter().rposition(|&x| x == p) else { return Rational::ZERO };
    match s {
        Satisfaction::Cost => e.instance.projects[p].cost.clone(),
        Satisfaction::Cardinality => Rational::ONE,
        Satisfaction::Points => voter.points.as_ref().map_or(Rational::ONE, |pts| pts[pos].clone()),
    }
}

/// Lexicographic tie order: by project_id string.
fn by_id(e: &Election, a: usize, b: usize) -> std::cmp::Ordering {
    e.instance.projects[a].id.cmp(&e.instance.projects[b].id)
}

/// MES one voter at a time (pabutools' `naive_mes` with the poor/rich price).
fn naive_mes(e: &Election, s: Satisfaction, share: &Rational) -> Vec<usize> {
    let voters = &e.profile.voters.to_vec();
    let mut money = vec![share.clone(); voters.len()];
    let n = e.instance.projects.len();
    let total = |p: usize| -> Rational { voters.iter().map(|v| sat(e, s, v, p)).sum() };
    let mut out: Vec<usize> = (0..n).filter(|&p| total(p).is_positive() && !e.instance.projects[p].cost.is_positive()).collect();
    out.sort_by(|&a, &b| by_id(e, a, b));
    let mut remaining: Vec<usize> =
        (0..n).filter(|&p| total(p).is_positive() && e.instance.projects[p].cost.is_positive()).collect();
    loop {
        let mut best: Option<(Rational, usize)> = None;
        remaining.retain(|&p| {
            let cost = &e.instance.projects[p].cost;
            let supporters: Vec<usize> = (0..voters.len()).filter(|&i| sat(e, s, &voters[i], p).is_positive()).collect();
            let available: Rational = supporters.iter().map(|&i| &money[i]).sum();
            if &available < cost {
                return false;
            }
            // Poor/rich: whoever cannot pay rho·sat pays everything.
            let mut rich = supporters.clone();
            let mut poor_money = Rational::ZERO;
            let rho = loop {
                let rich_sat: Rational = rich.iter().map(|&i| sat(e, s, &voters[i], p)).sum();
                let rho = (cost - &poor_money).checked_div(&rich_sat).unwrap();
                let (poor, still): (Vec<usize>, Vec<usize>) =
                    rich.iter().partition(|&&i| money[i] < &rho * &sat(e, s, &voters[i], p));
                if poor.is_empty() {
                    break rho;
                }
                poor_money = poor_money + poor.iter().map(|&i| &money[i]).sum::<Rational>();
                rich = still;
            };
            let better = match &best {
                None => true,
                Some((b, bp)) => rho < *b || (rho == *b && by_id(e, p, *bp).is_lt()),
            };
            if better {
                best = Some((rho, p));
            }
            true
        });
        let Some((rho, p)) = best else { return out };
        for (i, v) in voters.iter().enumerate() {
            let share = &rho * &sat(e, s, v, p);
            money[i] = if money[i] <= share { Rational::ZERO } else { &money[i] - &share };
        }
        out.push(p);
        remaining.retain(|&x| x != p);
    }
}

fn naive_mes_add1(e: &Election, s: Satisfaction) -> Vec<usize> {
    let n = e.profile.voters.len() as i64;
    if n == 0 {
        return vec![];
    }
    let considered: Vec<usize> = (0..e.instance.projects.len())
        .filter(|&p| {
            e.instance.projects[p].cost.is_positive() && e.profile.voters.to_vec().iter().any(|v| sat(e, s, v, p).is_positive())
        })
        .collect();
    let mut share = e.instance.budget.div_int(n).unwrap();
    let mut previous: Option<Vec<usize>> = None;
    loop {
        let out = naive_mes(e, s, &share);
        let spent = e.instance.cost_of(&out);
        if spent > e.instance.budget {
            return previous.unwrap_or(out);
        }
        if considered.iter().all(|&p| out.contains(&p) || &spent + &e.instance.projects[p].cost > e.instance.budget) {
            return out;
        }
        previous = Some(out);
        share = share + Rational::ONE;
    }
}

/// Sequential Phragmén one voter at a time.
fn naive_phragmen(e: &Election) -> Vec<usize> {
    let voters = &e.profile.voters.to_vec();
    let mut load = vec![Rational::ZERO; voters.len()];
    let approves = |i: usize, p: usize| voters[i].vote.contains(&p);
    let mut remaining: Vec<usize> =
        (0..e.instance.projects.len()).filter(|&p| e.instance.projects[p].cost <= e.instance.budget).collect();
    let mut out = vec![];
    let mut spent = Rational::ZERO;
    while !remaining.is_empty() {
        // None = infinite.
        let value = |p: usize| -> Option<Rational> {
            let score = (0..voters.len()).filter(|&i| approves(i, p)).count() as i64;
            if score == 0 {
                return None;
            }
            let sum: Rational = (0..voters.len()).filter(|&i| approves(i, p)).map(|i| &load[i]).sum();
            (sum + &e.instance.projects[p].cost).div_int(score)
        };
        let key = |v: &Option<Rational>| (v.is_none(), v.clone().unwrap_or_default());
        let best = remaining.iter().map(|&p| key(&value(p))).min().unwrap();
        let mut tied: Vec<usize> = remaining.iter().copied().filter(|&p| key(&value(p)) == best).collect();
        if tied.iter().any(|&p| &spent + &e.instance.projects[p].cost > e.instance.budget) {
            break;
        }
        tied.sort_by(|&a, &b| by_id(e, a, b));
        let p = tied[0];
        if let Some(l) = value(p) {
            for (i, slot) in load.iter_mut().enumerate() {
                if approves(i, p) {
                    *slot = l.clone();
                }
            }
        }
        spent += &e.instance.projects[p].cost;
        out.push(p);
        remaining.retain(|&x| x != p);
    }
    out
}

#[test]
fn equal_shares_funds_what_each_group_can_pay_for() {
    // 6 voters, budget 60: 10 each. Four want A (cost 40), two want B (cost 20) and C (20).
    let e = approval(60, &[40, 20, 20], &[&[0], &[0], &[0], &[0], &[1, 2], &[1, 2]]);
    let mes = spec(Rule::Mes, Satisfaction::Cost, Completion::None);
    let out = Count::new(&e).explaining().run(&mes).unwrap();
    // A costs the four 10 each; B and C tie, and C wins on project_id ("11" < "17"); B is
    // then out of reach.
    assert_eq!(e.instance.projects[2].id, "11");
    let mut selected = out.selected.clone();
    selected.sort_unstable();
    assert_eq!(selected, vec![0, 2]);
    assert_eq!(out.ties[0].tied, vec![2, 1]);
    // Greedy by votes funds A first and then one of B and C: the two would get one project either way.
    assert_eq!(run(&e, &spec(Rule::GreedyUtilitarian, Satisfaction::Cost, Completion::None)).len(), 2);
    let why = out.explain(&e, 1);
    assert!(why.contains("not funded") && why.contains("short by 20"), "{why}");
}

#[test]
fn equal_shares_breaks_exact_ties_by_project_id_and_reports_them() {
    // Two identical projects, room for one: ids are "10" and "17" ("10" < "17").
    let e = approval(10, &[10, 10], &[&[0, 1], &[0, 1]]);
    let out = Count::new(&e).run(&spec(Rule::Mes, Satisfaction::Cost, Completion::None)).unwrap();
    assert_eq!(out.selected, vec![0]);
    assert_eq!(out.ties.len(), 1);
    assert_eq!(out.ties[0].tied, vec![0, 1]);
    assert_eq!(out.ties[0].round, Some(1));
}

#[test]
fn cost_then_votes_tie_breaking_prefers_the_cheaper_project_then_the_more_popular() {
    // Greedy by votes: three projects with 2 votes each; only 10 of budget.
    // project_id order would take "10" (cost 10) first; cost-votes takes the cheapest first.
    let e = approval(10, &[10, 6, 4], &[&[0, 1, 2], &[0, 1, 2]]);
    let ids: Vec<&str> = e.instance.projects.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, vec!["10", "17", "11"]);
    let by_id = RuleSpec { tie_break: TieBreak::ProjectId, ..spec(Rule::Greedy, Satisfaction::Cost, Completion::None) };
    let by_cost = RuleSpec { tie_break: TieBreak::CostThenVotes, ..by_id };
    assert_eq!(Count::new(&e).run(&by_id).unwrap().selected, vec![0]);
    let out = Count::new(&e).run(&by_cost).unwrap();
    assert_eq!(out.selected, vec![2, 1]);
    assert_eq!(out.ties[0].tied, vec![2, 1, 0], "cheapest first: 4, 6, 10");
    // Equal cost: more votes first, then project_id.
    let e = approval(5, &[5, 5, 5], &[&[1, 2], &[2]]);
    let by_cost = RuleSpec { tie_break: TieBreak::CostThenVotes, ..spec(Rule::Mes, Satisfaction::Cardinality, Completion::None) };
    let order = Count::new(&e).tie_order(TieBreak::CostThenVotes);
    let mut all = vec![0, 1, 2];
    order.sort(&mut all);
    assert_eq!(all, vec![2, 1, 0]);
    assert!(Count::new(&e).run(&by_cost).is_ok());
}

#[test]
fn add_one_completion_spends_what_plain_equal_shares_leaves() {
    // Budget 30 for 3 voters: the project of two voters costs 21, more than their 20.
    let e = approval(30, &[21, 9], &[&[0], &[0], &[1]]);
    assert_eq!(run(&e, &spec(Rule::Mes, Satisfaction::Cost, Completion::None)), vec![1]);
    let mut add1 = run(&e, &spec(Rule::Mes, Satisfaction::Cost, Completion::Add1));
    add1.sort_unstable();
    assert_eq!(add1, vec![0, 1]);
}

#[test]
fn greedy_as_cities_count_skips_or_stops() {
    // Votes: A 3, B 2, C 1. Budget 10: A (6) fits, B (5) does not, C (4) fits.
    let e = approval(10, &[6, 5, 4], &[&[0, 1, 2], &[0, 1], &[0]]);
    assert_eq!(run(&e, &spec(Rule::Greedy, Satisfaction::Cost, Completion::None)), vec![0, 2]);
    assert_eq!(run(&e, &spec(Rule::GreedyNoSkip, Satisfaction::Cost, Completion::None)), vec![0]);
}

#[test]
fn phragmen_stops_at_the_first_project_that_does_not_fit() {
    let e = approval(10, &[6, 5, 4], &[&[0, 1, 2], &[0, 1], &[0]]);
    assert_eq!(run(&e, &spec(Rule::Phragmen, Satisfaction::Cost, Completion::None)), naive_phragmen(&e));
}

#[test]
fn max_welfare_beats_greedy_when_greedy_wastes_money() {
    // With cardinality satisfaction, A (cost 7) satisfies 3 voters, and B and C (cost 5 each)
    // 2 each: B + C together satisfy 4, more than A alone, and both fit.
    let e = approval(10, &[7, 5, 5], &[&[0, 1], &[0, 2], &[0, 1, 2]]);
    let mut best = run(&e, &spec(Rule::MaxWelfare, Satisfaction::Cardinality, Completion::None));
    best.sort_unstable();
    assert_eq!(best, vec![1, 2]);
}

#[test]
fn rules_report_an_empty_election_without_failing() {
    let e = approval(100, &[10, 20], &[]);
    for rule in [Rule::Greedy, Rule::GreedyUtilitarian, Rule::Mes, Rule::Phragmen, Rule::MaxWelfare] {
        for completion in [Completion::None, Completion::Add1, Completion::Add1Utilitarian] {
            let out = Count::new(&e).run(&spec(rule, Satisfaction::Cost, completion)).unwrap();
            assert!(out.total_cost(&e) <= e.instance.budget);
        }
    }
}

prop_compose! {
    fn arb_election(vote_type: VoteType)(
        costs in prop::collection::vec(0i64..25, 1..7),
        budget in 1i64..80,
        raw in prop::collection::vec(prop::collection::vec((0usize..7, 0i64..5), 0..5), 0..14),
    ) -> Election {
        let n = costs.len();
        let ballots: Vec<Vec<(usize, i64)>> = raw
            .into_iter()
            .map(|b| {
                let mut seen = vec![];
                b.into_iter().filter(|(p, _)| *p < n).filter(|(p, _)| { let new = !seen.contains(p); seen.push(*p); new }).collect()
            })
            .collect();
        election(budget, &costs, vote_type, &ballots)
    }
}

prop_compose! {
    /// Larger elections, where money splits into many purses and prices are only known within
    /// intervals for most of a run: the fast paths must still agree with the reference.
    fn arb_larger_election()(
        voters in 20usize..120,
        per_voter in 20i64..200,
        costs in prop::collection::vec(1i64..4000, 3..12),
        seed in any::<u64>(),
    ) -> Election {
        let mut state = seed | 1;
        let mut next = move || { state ^= state << 13; state ^= state >> 7; state ^= state << 17; state };
        let n = costs.len();
        let ballots: Vec<Vec<(usize, i64)>> = (0..voters)
            .map(|_| {
                let len = (next() % 4) as usize;
                let mut b: Vec<usize> = (0..len).map(|_| (next() % n as u64) as usize).collect();
                b.sort_unstable();
                b.dedup();
                b.into_iter().map(|p| (p, 1)).collect()
            })
            .collect();
        let costs: Vec<i64> = costs.iter().map(|c| c * 7 + 3).collect();
        election(voters as i64 * per_voter, &costs, VoteType::Approval, &ballots)
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, .. ProptestConfig::default() })]

    #[test]
    fn equal_shares_on_larger_elections_equals_the_reference(e in arb_larger_election(), s in prop::sample::select(vec![Satisfaction::Cost, Satisfaction::Cardinality])) {
        let n = e.profile.voters.len() as i64;
        prop_assert_eq!(run(&e, &spec(Rule::Mes, s, Completion::None)), naive_mes(&e, s, &e.instance.budget.div_int(n).unwrap()));
        prop_assert_eq!(run(&e, &spec(Rule::Mes, s, Completion::Add1)), naive_mes_add1(&e, s));
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, .. ProptestConfig::default() })]

    #[test]
    fn equal_shares_equals_the_one_voter_at_a_time_reference(e in arb_election(VoteType::Approval), s in prop::sample::select(vec![Satisfaction::Cost, Satisfaction::Cardinality])) {
        let n = e.profile.voters.len() as i64;
        let expected = if n == 0 { vec![] } else { naive_mes(&e, s, &e.instance.budget.div_int(n).unwrap()) };
        prop_assert_eq!(run(&e, &spec(Rule::Mes, s, Completion::None)), expected);
        prop_assert_eq!(run(&e, &spec(Rule::Mes, s, Completion::Add1)), naive_mes_add1(&e, s));
    }

    #[test]
    fn equal_shares_with_points_equals_the_reference(e in arb_election(VoteType::Cumulative)) {
        let n = e.profile.voters.len() as i64;
        let expected = if n == 0 { vec![] } else { naive_mes(&e, Satisfaction::Points, &e.instance.budget.div_int(n).unwrap()) };
        prop_assert_eq!(run(&e, &spec(Rule::Mes, Satisfaction::Points, Completion::None)), expected);
        prop_assert_eq!(run(&e, &spec(Rule::Mes, Satisfaction::Points, Completion::Add1)), naive_mes_add1(&e, Satisfaction::Points));
    }

    #[test]
    fn phragmen_equals_the_reference(e in arb_election(VoteType::Approval)) {
        prop_assert_eq!(run(&e, &spec(Rule::Phragmen, Satisfaction::Cost, Completion::None)), naive_phragmen(&e));
    }

    #[test]
    fn no_rule_ever_spends_more_than_the_budget(e in arb_election(VoteType::Cumulative)) {
        for rule in [Rule::Greedy, Rule::GreedyNoSkip, Rule::GreedyUtilitarian, Rule::Mes, Rule::MaxWelfare] {
            for s in [Satisfaction::Cost, Satisfaction::Cardinality, Satisfaction::Points] {
                for c in [Completion::None, Completion::Add1, Completion::Add1Utilitarian] {
                    let out = Count::new(&e).run(&spec(rule, s, c)).unwrap();
                    prop_assert!(out.total_cost(&e) <= e.instance.budget, "{:?} {:?} {:?}", rule, s, c);
                    let mut unique = out.selected.clone();
                    unique.sort_unstable();
                    unique.dedup();
                    prop_assert_eq!(unique.len(), out.selected.len());
                }
            }
        }
    }

    #[test]
    fn max_welfare_is_the_best_affordable_set_and_the_first_in_tie_order(e in arb_election(VoteType::Approval), s in prop::sample::select(vec![Satisfaction::Cost, Satisfaction::Cardinality])) {
        let n = e.instance.projects.len();
        let value = |p: usize| -> Rational { e.profile.voters.to_vec().iter().map(|v| sat(&e, s, v, p)).sum() };
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by(|&a, &b| by_id(&e, a, b));
        let mut best: Option<(Rational, Vec<bool>)> = None;
        for mask in 0u32..(1 << n) {
            let set: Vec<usize> = (0..n).filter(|&p| mask & (1 << p) != 0).collect();
            if set.iter().any(|&p| !value(p).is_positive()) || e.instance.cost_of(&set) > e.instance.budget {
                continue;
            }
            let w: Rational = set.iter().map(|&p| value(p)).sum();
            // Prefer greater welfare, then the set that takes the earliest projects in tie order.
            let key: Vec<bool> = order.iter().map(|&p| mask & (1 << p) == 0).collect();
            let better = match &best { None => true, Some((bw, bk)) => w > *bw || (w == *bw && key < *bk) };
            if better { best = Some((w, key)); }
        }
        let mut got = run(&e, &spec(Rule::MaxWelfare, s, Completion::None));
        got.sort_unstable();
        let (_, key) = best.unwrap();
        let mut expected: Vec<usize> = order.iter().zip(&key).filter(|(_, out)| !**out).map(|(&p, _)| p).collect();
        expected.sort_unstable();
        prop_assert_eq!(got, expected);
    }

    #[test]
    fn equal_shares_does_not_depend_on_the_order_of_voters(e in arb_election(VoteType::Approval), seed in any::<u64>()) {
        let mut shuffled = e.clone();
        let len = shuffled.profile.voters.len();
        if len > 1 {
            let k = (seed as usize) % len;
            let mut voters = shuffled.profile.voters.to_vec();
            voters.rotate_left(k);
            voters.reverse();
            shuffled.profile.voters = voters.into_iter().collect();
        }
        let s = spec(Rule::Mes, Satisfaction::Cost, Completion::Add1Utilitarian);
        prop_assert_eq!(run(&e, &s), run(&shuffled, &s));
    }
}

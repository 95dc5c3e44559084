//! Open data: a cycle as Pabulib files (one per pot) and a closed cycle from a real Pabulib
//! election (its projects, ballots and the result of the default rule on them).

use plenum_choice::pb::rules::{Completion, RuleSpec, tally};
use plenum_choice::pb::{Election, VoteType};
use plenum_choice::rational::Rational;

use super::count::{self, PotElection};
use super::{Amount, BallotFormat, BudgetCycle, BudgetRule, BudgetVote, Budgets, Currency, Phase, PublishedBudgetBallot};
use crate::event::Event;
use crate::id::{AccountId, BallotId, BodyId, BudgetCycleId, BudgetProjectId, ReceiptCode};
use crate::instant::Instant;
use crate::name::{Prose, Title};
use crate::refusal::{Refusal, Thing};
use crate::state::{State, already_exists};

/// The most decimal places an imported amount may have.
pub const MAX_DECIMALS: u32 = 6;

/// A project of an imported election.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ImportedProject {
    pub project: BudgetProjectId,
    /// The file's `project_id`.
    pub code: String,
    pub title: Title,
    pub cost: Amount,
}

/// What importing needs: the election read from the file, and one fresh id per project.
#[derive(Debug, Clone)]
pub struct ImportCycle {
    pub cycle: BudgetCycleId,
    pub body: BodyId,
    pub election: Election,
    pub project_ids: Vec<BudgetProjectId>,
}

/// `dd.mm.yyyy`, the date format of Pabulib's `META`.
fn pabulib_date(at: Instant) -> String {
    let text = at.to_string();
    format!("{}.{}.{}", &text[8..10], &text[5..7], &text[0..4])
}

/// The Pabulib name of the rule that gave a pot's result. Pabulib has no name for Equal Shares
/// with add-one and then greedy completion, nor for Phragmén or maximum welfare: such a pot is
/// `equalshares/add1` when the greedy step funded nothing (the result is then exactly that
/// rule's, which pabulib's checker verifies), and `unknown` otherwise.
fn rule_name(rule: BudgetRule, election: &Election, funded: &[bool]) -> &'static str {
    match rule {
        BudgetRule::EqualShares => {
            let add1 = RuleSpec { completion: Completion::Add1, ..count::spec(rule) };
            // Before the count there is no result to compare.
            let same = funded.is_empty()
                || tally(election, &add1).is_ok_and(|o| (0..funded.len()).all(|k| o.selected.contains(&k) == funded[k]));
            if same { "equalshares/add1" } else { "unknown" }
        }
        BudgetRule::EqualSharesPlain => "equalshares",
        BudgetRule::Greedy => "greedy",
        BudgetRule::Phragmen | BudgetRule::MaxWelfare => "unknown",
    }
}

/// The cycle as Pabulib elections, one per pot, with its counted ballots (published order)
/// and, once counted, which projects were funded (`selected`). A cycle imported from a file
/// gives back that file's facts.
#[must_use]
pub fn export(cycle: &BudgetCycle, budgets: &Budgets) -> Vec<PotElection> {
    let ballots: Vec<&BudgetVote> = cycle.counted.iter().flat_map(|k| k.ballots.iter().map(|b| &b.vote)).collect();
    let mut pots = count::elections(cycle, budgets, ballots.iter().copied());
    if cycle.imported {
        // An imported election gives back its own file's facts.
        for pot in &mut pots {
            pot.election.instance.meta = plenum_choice::pb::Meta(cycle.meta.clone());
        }
        return pots;
    }
    for pot in &mut pots {
        let district = pot.district.as_ref().and_then(|d| cycle.districts.iter().find(|x| &x.id == d));
        let meta = &mut pot.election.instance.meta;
        meta.set("description", cycle.title.as_str());
        meta.set("country", "Worldwide");
        meta.set("unit", cycle.title.as_str());
        if let Some(d) = district {
            meta.set("subunit", d.name.as_str());
        }
        meta.set("instance", cycle.schedule[0].to_string()[..4].to_owned());
        meta.set("date_begin", pabulib_date(cycle.schedule[Phase::Vote.index()]));
        meta.set("date_end", pabulib_date(cycle.vote_closes_at()));
        meta.set("currency", cycle.currency.as_str());
        if let BallotFormat::Cumulative { points } = cycle.format {
            meta.set("max_sum_points", points.to_string());
        }
        let selected: Vec<bool> = match &cycle.counted {
            Some(k) => pot.projects.iter().map(|p| k.result.is_funded(p)).collect(),
            None => Vec::new(),
        };
        let rule = rule_name(cycle.rule, &pot.election, &selected);
        pot.election.instance.meta.set("rule", rule);
        let votes = plenum_choice::pb::Ballots::from_profile(&pot.election.profile, pot.projects.len()).approval_counts();
        let instance = &mut pot.election.instance;
        instance.project_columns.push("votes".to_owned());
        if !selected.is_empty() {
            instance.project_columns.push("selected".to_owned());
        }
        for (k, project) in instance.projects.iter_mut().enumerate() {
            project.fields.push(Some(votes.get(k).copied().unwrap_or(0).to_string()));
            if let Some(s) = selected.get(k) {
                project.fields.push(Some(if *s { "1" } else { "0" }.to_owned()));
            }
        }
    }
    pots
}

fn whole(x: &Rational) -> Option<u64> {
    if x.is_integer() { x.to_i64().and_then(|v| u64::try_from(v).ok()) } else { None }
}

impl State {
    /// A facilitator imports a real election as a closed cycle of the body: its projects (all
    /// feasible at their file cost), its ballots in file order, and the result of the default
    /// rule (Equal Shares with its completions). The budget and costs may have up to
    /// [`MAX_DECIMALS`] decimal places (kept exact, see [`BudgetCycle::decimals`]); points must be whole numbers;
    /// ordinal ballots keep their order (any points are dropped, as ranking ballots have none).
    pub fn import_budget_cycle(&self, import: ImportCycle, by: &AccountId, at: Instant) -> Result<Vec<Event>, Refusal> {
        self.as_facilitator(&import.body, by)?;
        if self.budgets.cycles.contains_key(&import.cycle) {
            return Err(already_exists(Thing::BudgetCycle, &import.cycle));
        }
        let bad = |reason: String| Refusal::CannotImport { reason };
        let election = &import.election;
        let instance = &election.instance;
        if import.project_ids.len() != instance.projects.len() {
            return Err(bad("one id per project is needed".to_owned()));
        }
        // Decimal budgets and costs are kept exact: amounts count units of 10^-decimals.
        let decimals = std::iter::once(&instance.budget)
            .chain(instance.projects.iter().map(|p| &p.cost))
            .try_fold(0u32, |most, x| x.decimal_places().map(|d| most.max(d)))
            .filter(|d| *d <= MAX_DECIMALS)
            .ok_or_else(|| bad(format!("an amount has more than {MAX_DECIMALS} decimal places, or none that end")))?;
        let scale = 10i64.pow(decimals);
        let units = |x: &Rational| whole(&x.mul_int(scale));
        let total = units(&instance.budget)
            .filter(|b| *b > 0)
            .ok_or_else(|| bad("the budget is not a positive amount that fits".to_owned()))?;
        let title_of = |text: &str| Title::parse(&text.chars().take(Title::MAX_CHARS).collect::<String>()).ok();
        let mut projects = Vec::new();
        for (k, p) in instance.projects.iter().enumerate() {
            let cost =
                units(&p.cost).ok_or_else(|| bad(format!("project {} costs {}, not an amount that fits", p.id, p.cost)))?;
            let title = instance.project_field(k, "name").and_then(title_of).or_else(|| title_of(&p.id));
            projects.push(ImportedProject {
                project: import.project_ids[k].clone(),
                code: p.id.clone(),
                title: title.ok_or_else(|| bad(format!("project {} has no name", p.id)))?,
                cost: Amount(cost),
            });
        }
        let vote_type = election.profile.vote_type;
        let mut ballots = Vec::with_capacity(election.profile.voters.len());
        let (mut longest, mut most_points) = (0u32, 0u64);
        for (position, voter) in election.profile.voters.iter().enumerate() {
            let ids = voter.vote.iter().map(|&k| import.project_ids[k].clone());
            let vote = match vote_type {
                VoteType::Approval | VoteType::ChooseOne => BudgetVote::Approval(ids.collect()),
                VoteType::Ordinal => BudgetVote::Ranking(ids.collect()),
                VoteType::Cumulative => {
                    let points = voter.points.unwrap_or(&[]);
                    let mut marks = Vec::new();
                    for (id, n) in ids.zip(points) {
                        let n = whole(n)
                            .and_then(|n| u32::try_from(n).ok())
                            .ok_or_else(|| bad(format!("voter {} gave {n} points, not a whole number", voter.id)))?;
                        marks.push((id, n));
                    }
                    most_points = most_points.max(marks.iter().map(|(_, n)| u64::from(*n)).sum());
                    BudgetVote::Points(marks)
                }
                VoteType::Scoring => return Err(bad("scoring ballots have no ballot format in Plenum yet".to_owned())),
            };
            longest = longest.max(u32::try_from(voter.vote.len()).unwrap_or(u32::MAX));
            // Imported ballots have no receipts: their ids and codes only number them.
            let mut bytes = [0u8; 16];
            bytes[..8].copy_from_slice(&(position as u64).to_be_bytes());
            let mut receipt = [0u8; 10];
            receipt[2..].copy_from_slice(&(position as u64).to_be_bytes());
            ballots.push(PublishedBudgetBallot {
                ballot: BallotId::from_random(bytes),
                receipt: ReceiptCode::from_random(receipt),
                vote,
                paper: None,
            });
        }
        let format = match vote_type {
            VoteType::Cumulative => BallotFormat::Cumulative { points: u32::try_from(most_points.max(1)).unwrap_or(u32::MAX) },
            VoteType::Ordinal => BallotFormat::Ranking { max: longest.max(1) },
            _ => BallotFormat::Approval { min: 0, max: longest.max(1) },
        };
        let meta = &instance.meta;
        let title =
            [meta.get("unit"), meta.get("subunit"), meta.get("instance")].into_iter().flatten().collect::<Vec<_>>().join(" · ");
        let title = match title_of(&title).or_else(|| title_of(meta.get("description").unwrap_or(""))) {
            Some(t) => t,
            None => Title::parse("Imported election").map_err(|e| bad(e.to_string()))?,
        };
        let description = Prose::parse(meta.get("description").unwrap_or(title.as_str())).map_err(|e| bad(e.to_string()))?;
        let currency = match meta.get("currency").and_then(|c| Currency::parse(&c.to_uppercase()).ok()) {
            Some(c) => c,
            None => Currency::parse("XXX").map_err(|e| bad(e.to_string()))?,
        };
        let rule = BudgetRule::EqualShares;
        // The result: count the imported cycle as it will stand.
        let mut scratch = Budgets::default();
        let mut cycle =
            imported_cycle(&import.cycle, &import.body, &title, &description, &currency, Amount(total), format, rule, at);
        cycle.decimals = decimals;
        for p in &projects {
            scratch.projects.insert(p.project.clone(), imported_project(&import.cycle, p, &description, by, at));
        }
        let mut counted_cycle = cycle;
        counted_cycle.projects = projects.iter().map(|p| p.project.clone()).collect();
        let result = count::count(&counted_cycle, &scratch, ballots.iter().map(|b| &b.vote), rule)?;
        Ok(vec![Event::BudgetCycleImported {
            cycle: import.cycle,
            body: import.body,
            title,
            description,
            currency,
            total: Amount(total),
            projects,
            format,
            rule,
            ballots,
            result,
            meta: meta.0.clone(),
            decimals,
            by: by.clone(),
            at,
        }])
    }
}

#[expect(clippy::too_many_arguments, reason = "the fields of an imported cycle")]
pub(crate) fn imported_cycle(
    id: &BudgetCycleId,
    body: &BodyId,
    title: &Title,
    description: &Prose,
    currency: &Currency,
    total: Amount,
    format: BallotFormat,
    rule: BudgetRule,
    at: Instant,
) -> BudgetCycle {
    BudgetCycle {
        id: id.clone(),
        body: body.clone(),
        title: title.clone(),
        description: description.clone(),
        currency: currency.clone(),
        total,
        districts: Vec::new(),
        schedule: vec![at; Phase::ALL.len()],
        ideas_from: super::IdeasFrom::Members,
        format,
        rule,
        phase: Phase::Results,
        transitions: vec![super::Transition { to: Phase::Results, by: None, at }],
        roll: std::collections::BTreeSet::new(),
        voted: std::collections::BTreeSet::new(),
        sealed: Vec::new(),
        counted: None,
        imported: true,
        meta: Vec::new(),
        decimals: 0,
        projects: Vec::new(),
    }
}

pub(crate) fn imported_project(
    cycle: &BudgetCycleId,
    p: &ImportedProject,
    description: &Prose,
    by: &AccountId,
    at: Instant,
) -> super::BudgetProject {
    super::BudgetProject {
        id: p.project.clone(),
        cycle: cycle.clone(),
        code: p.code.clone(),
        ideas: Vec::new(),
        title: p.title.clone(),
        description: Prose::parse(p.title.as_str()).unwrap_or_else(|_| description.clone()),
        estimate: p.cost,
        district: None,
        by: by.clone(),
        at,
        review: Some(super::Review::Feasible { final_cost: p.cost }),
        progress: Vec::new(),
    }
}

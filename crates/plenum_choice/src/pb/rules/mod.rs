//! The rules that decide which projects are funded.
//!
//! Every rule is exact (rational arithmetic throughout) and deterministic: ties are broken by a
//! [`TieBreak`] order fixed before counting, and every tie that was broken is reported in the
//! [`Outcome`]. Outcomes equal those of pabutools 1.2.3 for the rules it has (greedy
//! utilitarian welfare, Equal Shares with its completions, sequential Phragmén); the greedy
//! rules cities use and the rules named in Pabulib's `META rule` follow pabulib's checker.
//!
//! Start with [`Count::new`], which merges identical ballots once, then [`Count::run`] any
//! number of rules on it.

pub(crate) mod amount;
pub mod greedy;
pub mod max_welfare;
pub mod mes;
pub mod meta;
pub mod phragmen;
pub mod tie;

use std::fmt;

pub use self::tie::{Tie, TieBreak, TieOrder};
use super::ballots::Satisfaction;
use super::{Ballots, Election, ProjectIndex};
use crate::rational::Rational;

/// Which rule to run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Rule {
    /// By votes (or score), skip what does not fit: what most cities do.
    Greedy,
    /// By votes (or score), stop at the first project that does not fit.
    GreedyNoSkip,
    /// Greedy over the projects at or above `META min_project_score_threshold`.
    GreedyThreshold,
    /// pabutools' greedy utilitarian welfare: satisfaction per unit of cost.
    GreedyUtilitarian,
    /// The Method of Equal Shares.
    Mes,
    /// Sequential Phragmén (approval ballots).
    Phragmen,
    /// The set of projects with the greatest total satisfaction that fits the budget.
    MaxWelfare,
    /// The rule the file's `META rule` names.
    Meta,
}

impl Rule {
    pub const ALL: [Rule; 8] = [
        Rule::Greedy,
        Rule::GreedyNoSkip,
        Rule::GreedyThreshold,
        Rule::GreedyUtilitarian,
        Rule::Mes,
        Rule::Phragmen,
        Rule::MaxWelfare,
        Rule::Meta,
    ];

    /// The name used on the command line.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Rule::Greedy => "greedy",
            Rule::GreedyNoSkip => "greedy-no-skip",
            Rule::GreedyThreshold => "greedy-threshold",
            Rule::GreedyUtilitarian => "greedy-utilitarian",
            Rule::Mes => "mes",
            Rule::Phragmen => "phragmen",
            Rule::MaxWelfare => "max-welfare",
            Rule::Meta => "meta",
        }
    }
}

/// How Equal Shares completes an outcome that leaves money unspent.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Completion {
    /// Plain MES.
    None,
    /// Add one unit of money per voter and rerun, until exhaustive or overspent.
    Add1,
    /// `Add1`, then utilitarian greedy on what is left (equalshares.net's default).
    #[default]
    Add1Utilitarian,
}

impl Completion {
    /// The name used on the command line.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Completion::None => "none",
            Completion::Add1 => "add1",
            Completion::Add1Utilitarian => "add1-utilitarian",
        }
    }
}

/// A rule with its settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RuleSpec {
    pub rule: Rule,
    /// Used by the utilitarian greedy, MES and max-welfare rules.
    pub satisfaction: Satisfaction,
    /// Used by MES.
    pub completion: Completion,
    pub tie_break: TieBreak,
}

impl Default for RuleSpec {
    /// Equal Shares with cost satisfaction, add-one then utilitarian completion: the rule
    /// equalshares.net recommends to cities.
    fn default() -> Self {
        RuleSpec {
            rule: Rule::Mes,
            satisfaction: Satisfaction::Cost,
            completion: Completion::Add1Utilitarian,
            tie_break: TieBreak::ProjectId,
        }
    }
}

impl fmt::Display for RuleSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.rule.as_str())?;
        match self.rule {
            Rule::Mes => write!(f, " ({} satisfaction, completion {})", self.satisfaction.as_str(), self.completion.as_str()),
            Rule::GreedyUtilitarian | Rule::MaxWelfare => write!(f, " ({} satisfaction)", self.satisfaction.as_str()),
            _ => Ok(()),
        }
    }
}

/// Why a rule could not run on an election.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RuleError {
    #[error("{rule} needs approval ballots, and this election's ballots are {vote_type}")]
    NeedsApprovalBallots { rule: &'static str, vote_type: &'static str },
    #[error("greedy-threshold needs META min_project_score_threshold, and this file has none")]
    MissingThreshold,
    #[error("META min_project_score_threshold is {found:?}, which is not a number")]
    BadThreshold { found: String },
    #[error("the file's META has no rule")]
    NoMetaRule,
    #[error("the file's META rule is {0:?}, which Plenum does not know")]
    UnknownMetaRule(String),
    #[error("the file's META rule is \"unknown\": the file does not say how projects were chosen")]
    MetaRuleUnknown,
    #[error(
        "the file's META rule is \"greedy-custom\" for {unit:?}, a city-specific rule Plenum cannot run (only Poznań's is known)"
    )]
    CustomRule { unit: String },
}

/// What a rule decided, and how.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// The rule that ran (for `meta`, the rule the file named).
    pub spec: RuleSpec,
    /// The funded projects, in the order the rule chose them.
    pub selected: Vec<ProjectIndex>,
    /// Every tie the tie-breaking order decided.
    pub ties: Vec<Tie>,
    /// The rule's working, to explain each project's fate.
    pub working: Working,
    /// Anything a reader of the result should know (e.g. how a META rule was interpreted).
    pub notes: Vec<String>,
}

/// A rule's working.
#[derive(Debug, Clone)]
pub enum Working {
    Greedy(greedy::GreedyTrace),
    Mes(Box<mes::MesTrace>),
    Phragmen(phragmen::PhragmenTrace),
    MaxWelfare(max_welfare::WelfareTrace),
    /// Equal Shares compared with greedy by votes, as pabulib's `…-comparison` rules do.
    Comparison(Box<meta::ComparisonTrace>),
}

impl Outcome {
    /// Total cost of the funded projects.
    #[must_use]
    pub fn total_cost(&self, election: &Election) -> Rational {
        election.instance.cost_of(&self.selected)
    }

    /// Why project `p` was or was not funded, in a sentence for people.
    #[must_use]
    pub fn explain(&self, election: &Election, p: ProjectIndex) -> String {
        let instance = &election.instance;
        let text = match &self.working {
            Working::Greedy(trace) => trace.explain(instance, p),
            Working::Mes(trace) => trace.explain(instance, p),
            Working::Phragmen(trace) => trace.explain(instance, p),
            Working::MaxWelfare(trace) => trace.explain(instance, p),
            Working::Comparison(trace) => trace.explain(instance, p),
        };
        let funded = if self.selected.contains(&p) { "funded" } else { "not funded" };
        text.unwrap_or_else(|| format!("{funded} (count with explanations to see why)"))
    }
}

/// An election prepared for counting: identical ballots merged, approval counts known.
#[derive(Debug)]
pub struct Count<'a> {
    pub election: &'a Election,
    pub ballots: Ballots,
    /// For each project, how many voters' ballots name it.
    pub votes: Vec<u64>,
    /// Whether rules record everything [`Outcome::explain`] needs. Equal Shares then reruns its
    /// final round in exact arithmetic, pricing every project in every round; without it, only
    /// the funded projects and the ties are recorded.
    pub explain: bool,
}

impl<'a> Count<'a> {
    /// Prepares an election for counting, without explanations.
    #[must_use]
    pub fn new(election: &'a Election) -> Count<'a> {
        let ballots = Ballots::from_profile(&election.profile, election.instance.projects.len());
        let votes = ballots.approval_counts();
        Count { election, ballots, votes, explain: false }
    }

    /// The same, recording why each project was or was not funded.
    #[must_use]
    pub fn explaining(mut self) -> Count<'a> {
        self.explain = true;
        self
    }

    /// The tie-breaking order `rule` gives this election's projects.
    #[must_use]
    pub fn tie_order(&self, rule: TieBreak) -> TieOrder {
        TieOrder::new(rule, &self.election.instance, &self.votes)
    }

    /// Runs one rule.
    ///
    /// # Errors
    /// When the rule does not apply to this election (see [`RuleError`]).
    pub fn run(&self, spec: &RuleSpec) -> Result<Outcome, RuleError> {
        let instance = &self.election.instance;
        let tie = self.tie_order(spec.tie_break);
        let from_scan = |scan: greedy::Scan| Outcome {
            spec: *spec,
            selected: scan.funded,
            ties: scan.ties,
            working: Working::Greedy(scan.trace),
            notes: Vec::new(),
        };
        Ok(match spec.rule {
            Rule::Greedy => {
                from_scan(greedy::city(instance, &self.ballots, self.ranks_by_score(), greedy::Fit::Skip, None, &tie))
            }
            Rule::GreedyNoSkip => {
                from_scan(greedy::city(instance, &self.ballots, self.ranks_by_score(), greedy::Fit::Stop, None, &tie))
            }
            Rule::GreedyThreshold => {
                let threshold = meta::threshold(instance)?.ok_or(RuleError::MissingThreshold)?;
                from_scan(greedy::city(instance, &self.ballots, self.ranks_by_score(), greedy::Fit::Skip, Some(threshold), &tie))
            }
            Rule::GreedyUtilitarian => from_scan(greedy::utilitarian(instance, &self.ballots, spec.satisfaction, &[], &tie)),
            Rule::Mes => {
                let mes = mes::equal_shares(instance, &self.ballots, spec.satisfaction, spec.completion, &tie, self.explain);
                let mut notes = Vec::new();
                if spec.completion != Completion::None && mes.trace.voters > 0 {
                    notes.push(format!(
                        "add-one completion: {} runs of Equal Shares ({} needed exact arithmetic throughout); each voter's share ended at {}",
                        mes.trace.runs,
                        mes.trace.exact_runs,
                        greedy::money(&mes.trace.budget_per_voter)
                    ));
                }
                Outcome { spec: *spec, selected: mes.funded, ties: mes.ties, working: Working::Mes(Box::new(mes.trace)), notes }
            }
            Rule::Phragmen => {
                if !self.ballots.vote_type.is_approval() {
                    return Err(RuleError::NeedsApprovalBallots { rule: "phragmen", vote_type: self.ballots.vote_type.as_str() });
                }
                let run = phragmen::sequential(instance, &self.ballots, &tie, self.explain);
                Outcome {
                    spec: *spec,
                    selected: run.funded,
                    ties: run.ties,
                    working: Working::Phragmen(run.trace),
                    notes: Vec::new(),
                }
            }
            Rule::MaxWelfare => {
                let run = max_welfare::knapsack(instance, &self.ballots, spec.satisfaction, &tie);
                Outcome {
                    spec: *spec,
                    selected: run.funded,
                    ties: Vec::new(),
                    working: Working::MaxWelfare(run.trace),
                    notes: run.notes,
                }
            }
            Rule::Meta => meta::run(self, spec.tie_break)?,
        })
    }

    /// Greedy as cities count ranks by score when the file has a `score` column or the ballots
    /// carry points, and by votes otherwise (pabulib's checker does the same).
    #[must_use]
    pub fn ranks_by_score(&self) -> bool {
        self.election.instance.project_column("score").is_some() || self.ballots.vote_type.requires_points()
    }
}

/// Runs one rule on an election.
///
/// # Errors
/// When the rule does not apply to this election (see [`RuleError`]).
pub fn tally(election: &Election, spec: &RuleSpec) -> Result<Outcome, RuleError> {
    Count::new(election).run(spec)
}

//! Participatory budgeting: a budget cycle owned by a body, from ideas to implementation.
//!
//! A cycle has a total budget in one currency, optionally split into district pots (the rest is
//! the city-wide pot), and goes through [`Phase`]s in order, each move an explicit, logged
//! event: members submit, support and comment on **ideas** (facilitators merge duplicates);
//! in **development** members turn ideas into projects with a cost estimate; in **review**
//! facilitators (staff) record each project's feasibility, with a public reason when it is not
//! feasible, and its final cost; in the **vote** members on the roll (the body's members when
//! the vote opened) cast secret ballots with a receipt (DESIGN.md tier A, as for polls) in the
//! [`BallotFormat`] the cycle set; at **results** the ballots are published shuffled and each
//! pot is counted by the [`BudgetRule`] fixed before voting, with the PB engine of
//! `plenum_choice` (see [`count`]); in **implementation** facilitators record each funded
//! project's status, money spent and dated updates.
//!
//! Amounts are whole units of the cycle's currency ([`Amount`]); no float decides anything.

pub mod commands;
pub mod count;
pub mod pabulib;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::event::Event;
use crate::id::{AccountId, BallotId, BodyId, BudgetCycleId, BudgetProjectId, CommentId, DistrictId, IdeaId, ReceiptCode};
use crate::instant::Instant;
use crate::name::{ParseError, Prose, Title};
use crate::refusal::{ReplayError, Thing};

pub use commands::{DevelopProject, NewCycle, SubmitIdea};
pub use count::{BudgetResult, PotResult};

/// An amount of money in whole units of a cycle's currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Amount(pub u64);

impl Amount {
    /// Reads a whole, non-negative amount (`250000`; blanks, `_` and `,` between digit groups
    /// are ignored, so `250 000` and `250,000` read too).
    pub fn parse(text: &str) -> Result<Amount, ParseError> {
        let digits: String = text.trim().chars().filter(|c| !matches!(c, ' ' | '_' | ',' | '\u{a0}')).collect();
        if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
            return Err(ParseError::Amount { text: text.to_owned() });
        }
        digits.parse().map(Amount).map_err(|_| ParseError::Amount { text: text.to_owned() })
    }
}

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// An ISO 4217 currency code: three capital letters (`EUR`, `BRL`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Currency(String);

impl Currency {
    pub fn parse(text: &str) -> Result<Currency, ParseError> {
        let text = text.trim();
        if text.len() == 3 && text.chars().all(|c| c.is_ascii_uppercase()) {
            Ok(Currency(text.to_owned()))
        } else {
            Err(ParseError::Currency { text: text.to_owned() })
        }
    }

    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Currency {
    type Error = ParseError;
    fn try_from(text: String) -> Result<Self, ParseError> {
        Currency::parse(&text)
    }
}

impl From<Currency> for String {
    fn from(c: Currency) -> String {
        c.0
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The phases of a cycle, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    Ideas,
    Development,
    Review,
    Vote,
    Results,
    Implementation,
}

impl Phase {
    pub const ALL: [Phase; 6] =
        [Phase::Ideas, Phase::Development, Phase::Review, Phase::Vote, Phase::Results, Phase::Implementation];

    /// The snake_case name (also the Fluent key suffix).
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Phase::Ideas => "ideas",
            Phase::Development => "development",
            Phase::Review => "review",
            Phase::Vote => "vote",
            Phase::Results => "results",
            Phase::Implementation => "implementation",
        }
    }

    #[must_use]
    pub fn index(self) -> usize {
        self as usize
    }

    /// The phase after this one, if any.
    #[must_use]
    pub fn next(self) -> Option<Phase> {
        Phase::ALL.get(self.index() + 1).copied()
    }
}

/// A district's own pot: part of the total, spent only on projects in the district.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct District {
    pub id: DistrictId,
    pub name: Title,
    pub budget: Amount,
}

/// Who may submit and support ideas.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdeasFrom {
    /// Members of the body.
    Members,
    /// Any registered resident.
    Residents,
}

/// A point on the map in millionths of a degree (exact, no floats).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Coordinates {
    pub lat_micro: i32,
    pub lon_micro: i32,
}

impl Coordinates {
    /// Reads decimal degrees (`41.3851`, `-2.17`), at most six decimals, latitude within ±90
    /// and longitude within ±180.
    pub fn parse(lat: &str, lon: &str) -> Result<Coordinates, ParseError> {
        let lat_micro = micro_degrees(lat, 90)?;
        let lon_micro = micro_degrees(lon, 180)?;
        Ok(Coordinates { lat_micro, lon_micro })
    }

    /// Decimal degrees as text, six decimals.
    #[must_use]
    pub fn degrees(micro: i32) -> String {
        let sign = if micro < 0 { "-" } else { "" };
        let m = micro.unsigned_abs();
        format!("{sign}{}.{:06}", m / 1_000_000, m % 1_000_000)
    }
}

fn micro_degrees(text: &str, limit: i64) -> Result<i32, ParseError> {
    let bad = || ParseError::Coordinate { text: text.to_owned() };
    let t = text.trim();
    let (negative, t) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t),
    };
    let (whole, fraction) = t.split_once('.').unwrap_or((t, ""));
    if whole.is_empty() || fraction.len() > 6 || !whole.chars().chain(fraction.chars()).all(|c| c.is_ascii_digit()) {
        return Err(bad());
    }
    if whole.len() > 3 {
        return Err(bad());
    }
    let whole: i64 = whole.parse().map_err(|_| bad())?;
    let fraction: i64 = if fraction.is_empty() { 0 } else { format!("{fraction:0<6}").parse().map_err(|_| bad())? };
    let micro = whole * 1_000_000 + fraction;
    if micro > limit * 1_000_000 {
        return Err(bad());
    }
    i32::try_from(if negative { -micro } else { micro }).map_err(|_| bad())
}

/// Where an idea is: a name people know, coordinates, or both.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Place {
    pub name: Option<Title>,
    pub coordinates: Option<Coordinates>,
}

/// How voters fill in a cycle's ballot. Counts are over the whole ballot; the cost limit of a
/// knapsack ballot and the points of a cumulative one apply to each pot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "format", rename_all = "snake_case")]
pub enum BallotFormat {
    /// Approve between `min` and `max` projects.
    Approval { min: u32, max: u32 },
    /// Approve projects whose total cost fits each pot's budget (the knapsack ballot).
    Knapsack,
    /// Spread up to `points` points over the projects of each pot.
    Cumulative { points: u32 },
    /// Rank up to `max` projects, most preferred first.
    Ranking { max: u32 },
}

impl BallotFormat {
    /// The snake_case name (also the Fluent key suffix).
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            BallotFormat::Approval { .. } => "approval",
            BallotFormat::Knapsack => "knapsack",
            BallotFormat::Cumulative { .. } => "cumulative",
            BallotFormat::Ranking { .. } => "ranking",
        }
    }

    /// Whether a ballot is a set of approved projects.
    #[must_use]
    pub fn is_approval(self) -> bool {
        matches!(self, BallotFormat::Approval { .. } | BallotFormat::Knapsack)
    }
}

/// The rule that counts a pot, fixed before voting opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BudgetRule {
    /// The Method of Equal Shares with cost satisfaction, completed by add-one and then by
    /// utilitarian greedy (the default).
    EqualShares,
    /// Equal Shares without completion.
    EqualSharesPlain,
    /// By votes (or points), skipping what does not fit: what most cities do.
    Greedy,
    /// Sequential Phragmén (approval ballots only).
    Phragmen,
    /// The greatest total cost satisfaction that fits.
    MaxWelfare,
}

impl BudgetRule {
    pub const ALL: [BudgetRule; 5] =
        [BudgetRule::EqualShares, BudgetRule::EqualSharesPlain, BudgetRule::Greedy, BudgetRule::Phragmen, BudgetRule::MaxWelfare];

    /// The snake_case name (also the Fluent key suffix).
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            BudgetRule::EqualShares => "equal_shares",
            BudgetRule::EqualSharesPlain => "equal_shares_plain",
            BudgetRule::Greedy => "greedy",
            BudgetRule::Phragmen => "phragmen",
            BudgetRule::MaxWelfare => "max_welfare",
        }
    }

    /// Reads a snake_case name.
    #[must_use]
    pub fn parse(text: &str) -> Option<BudgetRule> {
        BudgetRule::ALL.into_iter().find(|r| r.name() == text)
    }
}

/// What review found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "verdict", rename_all = "snake_case")]
pub enum Review {
    Feasible { final_cost: Amount },
    NotFeasible { reason: Prose },
}

/// How a funded project is going.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImplementationStatus {
    Planned,
    InProgress,
    Completed,
    Cancelled,
}

impl ImplementationStatus {
    pub const ALL: [ImplementationStatus; 4] = [
        ImplementationStatus::Planned,
        ImplementationStatus::InProgress,
        ImplementationStatus::Completed,
        ImplementationStatus::Cancelled,
    ];

    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            ImplementationStatus::Planned => "planned",
            ImplementationStatus::InProgress => "in_progress",
            ImplementationStatus::Completed => "completed",
            ImplementationStatus::Cancelled => "cancelled",
        }
    }

    #[must_use]
    pub fn parse(text: &str) -> Option<ImplementationStatus> {
        ImplementationStatus::ALL.into_iter().find(|s| s.name() == text)
    }
}

/// A filled-in ballot. Approval and knapsack ballots name projects; cumulative ballots give
/// each project points; ranking ballots list projects most preferred first.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", content = "marks", rename_all = "snake_case")]
pub enum BudgetVote {
    Approval(Vec<BudgetProjectId>),
    Points(Vec<(BudgetProjectId, u32)>),
    Ranking(Vec<BudgetProjectId>),
}

impl BudgetVote {
    /// The projects named, in ballot order.
    pub fn projects(&self) -> Box<dyn Iterator<Item = &BudgetProjectId> + '_> {
        match self {
            BudgetVote::Approval(p) | BudgetVote::Ranking(p) => Box::new(p.iter()),
            BudgetVote::Points(p) => Box::new(p.iter().map(|(id, _)| id)),
        }
    }
}

/// A secret budget ballot before the vote closes: no voter, no time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SealedBudgetBallot {
    pub cycle: BudgetCycleId,
    pub ballot: BallotId,
    pub receipt: ReceiptCode,
    pub vote: BudgetVote,
}

/// A ballot on the public board of a counted cycle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublishedBudgetBallot {
    pub ballot: BallotId,
    pub receipt: ReceiptCode,
    pub vote: BudgetVote,
    /// The printed number of a paper ballot (see [`crate::paper_ballot`]); absent for online
    /// ballots, so their JSON is as it always was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paper: Option<crate::paper_ballot::PaperNumber>,
}

/// An idea, as submitted and discussed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Idea {
    pub id: IdeaId,
    pub cycle: BudgetCycleId,
    pub title: Title,
    pub description: Prose,
    pub place: Option<Place>,
    pub category: Title,
    pub district: Option<DistrictId>,
    pub by: AccountId,
    pub at: Instant,
    pub supporters: BTreeSet<AccountId>,
    pub comments: Vec<Comment>,
    /// The idea this one was merged into as a duplicate.
    pub merged_into: Option<IdeaId>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    pub id: CommentId,
    pub text: Prose,
    pub by: AccountId,
    pub at: Instant,
}

/// A project: developed from ideas, reviewed, voted on, perhaps funded and implemented.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BudgetProject {
    pub id: BudgetProjectId,
    pub cycle: BudgetCycleId,
    /// The project's id in the cycle's Pabulib file (`001`, `002`, … or the imported id); its
    /// order breaks the ties that cost and votes leave.
    pub code: String,
    pub ideas: Vec<IdeaId>,
    pub title: Title,
    pub description: Prose,
    pub estimate: Amount,
    pub district: Option<DistrictId>,
    pub by: AccountId,
    pub at: Instant,
    pub review: Option<Review>,
    pub progress: Vec<Progress>,
}

impl BudgetProject {
    /// The final cost, if review found the project feasible.
    #[must_use]
    pub fn final_cost(&self) -> Option<Amount> {
        match &self.review {
            Some(Review::Feasible { final_cost }) => Some(*final_cost),
            _ => None,
        }
    }

    /// The latest status and money spent, if any update was recorded.
    #[must_use]
    pub fn latest(&self) -> Option<&Progress> {
        self.progress.last()
    }
}

/// A dated implementation update.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    pub status: ImplementationStatus,
    pub spent: Amount,
    pub note: Prose,
    pub by: AccountId,
    pub at: Instant,
}

/// A phase move, as logged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transition {
    pub to: Phase,
    pub by: Option<AccountId>,
    pub at: Instant,
}

/// A budget cycle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BudgetCycle {
    pub id: BudgetCycleId,
    pub body: BodyId,
    pub title: Title,
    pub description: Prose,
    pub currency: Currency,
    pub total: Amount,
    pub districts: Vec<District>,
    /// The planned start of each phase, in phase order.
    pub schedule: Vec<Instant>,
    pub ideas_from: IdeasFrom,
    pub format: BallotFormat,
    pub rule: BudgetRule,
    pub phase: Phase,
    pub transitions: Vec<Transition>,
    /// Who may vote: the body's members when the vote opened.
    pub roll: BTreeSet<AccountId>,
    pub voted: BTreeSet<AccountId>,
    /// Sealed ballots while the vote is open, sorted by ballot id.
    pub sealed: Vec<SealedBudgetBallot>,
    /// Once counted: the ballots in published order and the result.
    pub counted: Option<Counted>,
    /// Whether the cycle was imported from a Pabulib file (closed, not run here).
    pub imported: bool,
    /// An imported file's `META` rows, as they were.
    pub meta: Vec<(String, String)>,
    /// Decimal places of the cycle's amounts: every [`Amount`] of the cycle counts units of
    /// 10^-decimals of the currency (0 for cycles run here; an imported file's decimal budget
    /// or costs, such as `216829.41`, are kept exact this way).
    pub decimals: u32,
    /// Projects in code order.
    pub projects: Vec<BudgetProjectId>,
}

/// What a counted cycle keeps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Counted {
    pub ballots: Vec<PublishedBudgetBallot>,
    pub result: BudgetResult,
    pub at: Instant,
}

impl BudgetCycle {
    /// The city-wide pot: the total less the district budgets.
    #[must_use]
    pub fn city_wide_budget(&self) -> Amount {
        Amount(self.total.0.saturating_sub(self.districts.iter().map(|d| d.budget.0).sum()))
    }

    /// The budget of a pot (`None` is the city-wide pot).
    #[must_use]
    pub fn pot_budget(&self, district: Option<&DistrictId>) -> Option<Amount> {
        match district {
            None => Some(self.city_wide_budget()),
            Some(d) => self.districts.iter().find(|x| &x.id == d).map(|x| x.budget),
        }
    }

    /// Every pot: the city-wide one first (if it has money), then the districts.
    #[must_use]
    pub fn pots(&self) -> Vec<Option<DistrictId>> {
        let mut pots = Vec::new();
        if self.districts.is_empty() || self.city_wide_budget().0 > 0 {
            pots.push(None);
        }
        pots.extend(self.districts.iter().map(|d| Some(d.id.clone())));
        pots
    }

    /// An amount of the cycle as the exact number of currency units it stands for.
    #[must_use]
    pub fn exact(&self, amount: Amount) -> plenum_choice::rational::Rational {
        let units = plenum_choice::rational::Rational::from(amount.0);
        match 10i64.checked_pow(self.decimals) {
            Some(scale) if scale > 1 => units.div_int(scale).unwrap_or(units),
            _ => units,
        }
    }

    /// When voting closes: the planned start of the results phase.
    #[must_use]
    pub fn vote_closes_at(&self) -> Instant {
        self.schedule[Phase::Results.index()]
    }
}

/// Every cycle, idea and project: the part of [`State`](crate::State) this module keeps.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Budgets {
    pub(crate) cycles: BTreeMap<BudgetCycleId, BudgetCycle>,
    pub(crate) ideas: BTreeMap<IdeaId, Idea>,
    pub(crate) projects: BTreeMap<BudgetProjectId, BudgetProject>,
}

impl Budgets {
    #[must_use]
    pub fn cycle(&self, id: &BudgetCycleId) -> Option<&BudgetCycle> {
        self.cycles.get(id)
    }

    /// Every cycle, in id order.
    pub fn cycles(&self) -> impl Iterator<Item = &BudgetCycle> {
        self.cycles.values()
    }

    /// A body's cycles, in id order.
    pub fn cycles_of<'a>(&'a self, body: &'a BodyId) -> impl Iterator<Item = &'a BudgetCycle> {
        self.cycles.values().filter(move |c| &c.body == body)
    }

    #[must_use]
    pub fn idea(&self, id: &IdeaId) -> Option<&Idea> {
        self.ideas.get(id)
    }

    /// A cycle's ideas, in id order.
    pub fn ideas_of<'a>(&'a self, cycle: &'a BudgetCycleId) -> impl Iterator<Item = &'a Idea> {
        self.ideas.values().filter(move |i| &i.cycle == cycle)
    }

    #[must_use]
    pub fn project(&self, id: &BudgetProjectId) -> Option<&BudgetProject> {
        self.projects.get(id)
    }

    /// A cycle's projects, in code order.
    pub fn projects_of<'a>(&'a self, cycle: &'a BudgetCycle) -> impl Iterator<Item = &'a BudgetProject> {
        cycle.projects.iter().filter_map(|p| self.projects.get(p))
    }

    /// Puts a sealed ballot in its cycle's box (the store calls this for the ballots it holds
    /// apart from the log, after replaying it).
    pub fn deposit(&mut self, ballot: &SealedBudgetBallot) -> Result<(), ReplayError> {
        let broken = |reason: &str| ReplayError { kind: "sealed_budget_ballot", reason: reason.to_owned() };
        let cycle = self.cycles.get_mut(&ballot.cycle).ok_or_else(|| broken("no such cycle"))?;
        if cycle.counted.is_some() {
            return Err(broken("the cycle is counted"));
        }
        match cycle.sealed.binary_search_by(|b| b.ballot.cmp(&ballot.ballot)) {
            Ok(_) => Err(broken("a ballot with this id is in the box already")),
            Err(place) => {
                cycle.sealed.insert(place, ballot.clone());
                Ok(())
            }
        }
    }

    /// Applies one of this module's events (others are ignored).
    pub(crate) fn apply(&mut self, event: &Event) -> Result<(), ReplayError> {
        let broken = |reason: String| ReplayError { kind: event.kind(), reason };
        let missing = |thing: Thing, id: &dyn fmt::Display| broken(format!("there is no {thing} {id}"));
        match event.clone() {
            Event::BudgetCycleCreated {
                cycle,
                body,
                title,
                description,
                currency,
                total,
                districts,
                schedule,
                ideas_from,
                format,
                rule,
                by,
                at,
            } => {
                let c = BudgetCycle {
                    id: cycle.clone(),
                    body,
                    title,
                    description,
                    currency,
                    total,
                    districts,
                    schedule,
                    ideas_from,
                    format,
                    rule,
                    phase: Phase::Ideas,
                    transitions: vec![Transition { to: Phase::Ideas, by: Some(by), at }],
                    roll: BTreeSet::new(),
                    voted: BTreeSet::new(),
                    sealed: Vec::new(),
                    counted: None,
                    imported: false,
                    meta: Vec::new(),
                    decimals: 0,
                    projects: Vec::new(),
                };
                self.cycles.insert(cycle, c);
            }
            Event::BudgetCycleImported {
                cycle,
                body,
                title,
                description,
                currency,
                total,
                projects,
                format,
                rule,
                ballots,
                result,
                meta,
                decimals,
                by,
                at,
            } => {
                let mut c = pabulib::imported_cycle(&cycle, &body, &title, &description, &currency, total, format, rule, at);
                c.meta = meta;
                if decimals > pabulib::MAX_DECIMALS {
                    return Err(broken(format!("{decimals} decimal places, more than {}", pabulib::MAX_DECIMALS)));
                }
                c.decimals = decimals;
                for p in &projects {
                    c.projects.push(p.project.clone());
                    self.projects.insert(p.project.clone(), pabulib::imported_project(&cycle, p, &description, &by, at));
                }
                c.counted = Some(Counted { ballots, result, at });
                self.cycles.insert(cycle, c);
            }
            Event::BudgetBallotSet { cycle, format, rule, .. } => {
                let c = self.cycles.get_mut(&cycle).ok_or_else(|| missing(Thing::BudgetCycle, &cycle))?;
                c.format = format;
                c.rule = rule;
            }
            Event::BudgetPhaseChanged { cycle, to, by, at, .. } => {
                let c = self.cycles.get_mut(&cycle).ok_or_else(|| missing(Thing::BudgetCycle, &cycle))?;
                c.phase = to;
                c.transitions.push(Transition { to, by: Some(by), at });
            }
            Event::BudgetVoteOpened { cycle, roll, .. } => {
                let c = self.cycles.get_mut(&cycle).ok_or_else(|| missing(Thing::BudgetCycle, &cycle))?;
                c.roll = roll.into_iter().collect();
            }
            Event::BudgetRollMarked { cycle, member } => {
                let c = self.cycles.get_mut(&cycle).ok_or_else(|| missing(Thing::BudgetCycle, &cycle))?;
                if !c.voted.insert(member.clone()) {
                    return Err(broken(format!("{member} voted twice")));
                }
            }
            Event::BudgetVoteCounted { cycle, ballots, result, at } => {
                let c = self.cycles.get_mut(&cycle).ok_or_else(|| missing(Thing::BudgetCycle, &cycle))?;
                c.sealed.clear();
                c.phase = Phase::Results;
                c.transitions.push(Transition { to: Phase::Results, by: None, at });
                c.counted = Some(Counted { ballots, result, at });
            }
            Event::IdeaSubmitted { idea, cycle, title, description, place, category, district, by, at } => {
                let i = Idea {
                    id: idea.clone(),
                    cycle,
                    title,
                    description,
                    place,
                    category,
                    district,
                    by,
                    at,
                    supporters: BTreeSet::new(),
                    comments: Vec::new(),
                    merged_into: None,
                };
                self.ideas.insert(idea, i);
            }
            Event::IdeaSupported { idea, by, .. } => {
                let i = self.ideas.get_mut(&idea).ok_or_else(|| missing(Thing::Idea, &idea))?;
                i.supporters.insert(by);
            }
            Event::IdeaCommented { comment, idea, text, by, at } => {
                let i = self.ideas.get_mut(&idea).ok_or_else(|| missing(Thing::Idea, &idea))?;
                i.comments.push(Comment { id: comment, text, by, at });
            }
            Event::IdeasMerged { duplicate, into, .. } => {
                let d = self.ideas.get_mut(&duplicate).ok_or_else(|| missing(Thing::Idea, &duplicate))?;
                d.merged_into = Some(into.clone());
                let moved = d.supporters.clone();
                let i = self.ideas.get_mut(&into).ok_or_else(|| missing(Thing::Idea, &into))?;
                i.supporters.extend(moved);
            }
            Event::BudgetProjectDeveloped { project, cycle, code, ideas, title, description, estimate, district, by, at } => {
                let c = self.cycles.get_mut(&cycle).ok_or_else(|| missing(Thing::BudgetCycle, &cycle))?;
                c.projects.push(project.clone());
                let p = BudgetProject {
                    id: project.clone(),
                    cycle,
                    code,
                    ideas,
                    title,
                    description,
                    estimate,
                    district,
                    by,
                    at,
                    review: None,
                    progress: Vec::new(),
                };
                self.projects.insert(project, p);
            }
            Event::BudgetProjectReviewed { project, review, .. } => {
                let p = self.projects.get_mut(&project).ok_or_else(|| missing(Thing::BudgetProject, &project))?;
                p.review = Some(review);
            }
            Event::ProjectProgressRecorded { project, status, spent, note, by, at } => {
                let p = self.projects.get_mut(&project).ok_or_else(|| missing(Thing::BudgetProject, &project))?;
                p.progress.push(Progress { status, spent, note, by, at });
            }
            _ => {}
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_read_whole_units_with_group_separators() {
        assert_eq!(Amount::parse("250 000").unwrap(), Amount(250_000));
        assert_eq!(Amount::parse("250,000").unwrap(), Amount(250_000));
        assert!(Amount::parse("12.5").is_err());
        assert!(Amount::parse("-3").is_err());
        assert!(Amount::parse("").is_err());
    }

    #[test]
    fn coordinates_are_exact_micro_degrees_within_range() {
        let c = Coordinates::parse("41.3851", "-2.17").unwrap();
        assert_eq!((c.lat_micro, c.lon_micro), (41_385_100, -2_170_000));
        assert_eq!(Coordinates::degrees(c.lon_micro), "-2.170000");
        assert!(Coordinates::parse("91", "0").is_err());
        assert!(Coordinates::parse("1.1234567", "0").is_err());
        assert!(Coordinates::parse("north", "0").is_err());
    }

    #[test]
    fn currencies_are_three_capitals() {
        assert!(Currency::parse("EUR").is_ok());
        assert!(Currency::parse("eur").is_err());
        assert!(Currency::parse("EURO").is_err());
    }

    #[test]
    fn phases_follow_one_another() {
        assert_eq!(Phase::Ideas.next(), Some(Phase::Development));
        assert_eq!(Phase::Implementation.next(), None);
    }
}

//! The commands of a budget cycle: each checks the state and returns the events it causes.

use std::collections::BTreeSet;

use super::count;
use super::{
    Amount, BallotFormat, BudgetCycle, BudgetProject, BudgetRule, BudgetVote, Currency, District, IdeasFrom,
    ImplementationStatus, Phase, Place, PublishedBudgetBallot, Review, SealedBudgetBallot,
};
use crate::ballot::{BallotRandomness, shuffle};
use crate::event::Event;
use crate::id::{AccountId, BallotId, BodyId, BudgetCycleId, BudgetProjectId, CommentId, DistrictId, IdeaId, ReceiptCode};
use crate::instant::Instant;
use crate::name::{Prose, Title};
use crate::refusal::{Refusal, Thing};
use crate::state::{State, already_exists, not_found};

/// What is needed to start a cycle.
#[derive(Debug, Clone)]
pub struct NewCycle {
    pub cycle: BudgetCycleId,
    pub body: BodyId,
    pub title: Title,
    pub description: Prose,
    pub currency: Currency,
    pub total: Amount,
    pub districts: Vec<District>,
    /// The planned start of each of the six phases, in order.
    pub schedule: Vec<Instant>,
    pub ideas_from: IdeasFrom,
    pub format: BallotFormat,
    pub rule: BudgetRule,
}

/// A new idea.
#[derive(Debug, Clone)]
pub struct SubmitIdea {
    pub idea: IdeaId,
    pub cycle: BudgetCycleId,
    pub title: Title,
    pub description: Prose,
    pub place: Option<Place>,
    pub category: Title,
    pub district: Option<DistrictId>,
}

/// A project developed from ideas.
#[derive(Debug, Clone)]
pub struct DevelopProject {
    pub project: BudgetProjectId,
    pub cycle: BudgetCycleId,
    pub ideas: Vec<IdeaId>,
    pub title: Title,
    pub description: Prose,
    pub estimate: Amount,
    pub district: Option<DistrictId>,
}

/// What casting a budget ballot produces: the roll mark for the log, the sealed ballot for the
/// box, and the receipt shown to the voter once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BudgetCast {
    pub events: Vec<Event>,
    pub sealed: SealedBudgetBallot,
    pub receipt: ReceiptCode,
}

fn check_format(format: BallotFormat, rule: BudgetRule) -> Result<(), Refusal> {
    let bad = |reason: &str| Err(Refusal::BadBallotFormat { reason: reason.to_owned() });
    match format {
        BallotFormat::Approval { min, max } if max == 0 || min > max => {
            return bad("an approval ballot needs 0 ≤ minimum ≤ maximum and a maximum of at least 1");
        }
        BallotFormat::Cumulative { points: 0 } => return bad("a cumulative ballot needs at least 1 point"),
        BallotFormat::Ranking { max: 0 } => return bad("a ranking ballot needs room for at least 1 project"),
        _ => {}
    }
    if rule == BudgetRule::Phragmen && !format.is_approval() {
        return Err(Refusal::RuleNeedsApprovalBallots);
    }
    Ok(())
}

impl State {
    pub(crate) fn existing_cycle(&self, id: &BudgetCycleId) -> Result<&BudgetCycle, Refusal> {
        self.budgets.cycles.get(id).ok_or_else(|| not_found(Thing::BudgetCycle, id))
    }

    fn cycle_in(&self, id: &BudgetCycleId, phases: &[Phase]) -> Result<&BudgetCycle, Refusal> {
        let c = self.existing_cycle(id)?;
        if c.imported || !phases.contains(&c.phase) {
            return Err(Refusal::WrongPhase { phase: c.phase.name() });
        }
        Ok(c)
    }

    fn existing_budget_project(&self, id: &BudgetProjectId) -> Result<&BudgetProject, Refusal> {
        self.budgets.projects.get(id).ok_or_else(|| not_found(Thing::BudgetProject, id))
    }

    fn check_district(cycle: &BudgetCycle, district: Option<&DistrictId>) -> Result<(), Refusal> {
        match district {
            Some(d) if !cycle.districts.iter().any(|x| &x.id == d) => Err(not_found(Thing::District, d)),
            _ => Ok(()),
        }
    }

    /// A facilitator of the body starts a cycle, in its ideas phase.
    pub fn create_budget_cycle(&self, new: NewCycle, by: &AccountId, at: Instant) -> Result<Vec<Event>, Refusal> {
        self.as_facilitator(&new.body, by)?;
        if self.budgets.cycles.contains_key(&new.cycle) {
            return Err(already_exists(Thing::BudgetCycle, &new.cycle));
        }
        if new.schedule.len() != Phase::ALL.len() || !new.schedule.is_sorted() {
            return Err(Refusal::BadSchedule);
        }
        let mut seen = BTreeSet::new();
        for d in &new.districts {
            if !seen.insert(&d.id) {
                return Err(Refusal::Duplicate { id: d.id.to_string() });
            }
        }
        let districts: u64 = new.districts.iter().map(|d| d.budget.0).fold(0, u64::saturating_add);
        if districts > new.total.0 || new.total.0 == 0 {
            return Err(Refusal::DistrictsOverBudget { districts, total: new.total.0 });
        }
        check_format(new.format, new.rule)?;
        Ok(vec![Event::BudgetCycleCreated {
            cycle: new.cycle,
            body: new.body,
            title: new.title,
            description: new.description,
            currency: new.currency,
            total: new.total,
            districts: new.districts,
            schedule: new.schedule,
            ideas_from: new.ideas_from,
            format: new.format,
            rule: new.rule,
            by: by.clone(),
            at,
        }])
    }

    /// A facilitator sets the ballot format and the counting rule, before the vote opens.
    pub fn set_budget_ballot(
        &self,
        cycle: &BudgetCycleId,
        format: BallotFormat,
        rule: BudgetRule,
        by: &AccountId,
        at: Instant,
    ) -> Result<Vec<Event>, Refusal> {
        let c = self.cycle_in(cycle, &[Phase::Ideas, Phase::Development, Phase::Review])?;
        self.as_facilitator(&c.body, by)?;
        check_format(format, rule)?;
        Ok(vec![Event::BudgetBallotSet { cycle: cycle.clone(), format, rule, by: by.clone(), at }])
    }

    /// A facilitator moves the cycle to the next phase. Opening the vote needs every project
    /// reviewed and at least one feasible, and fixes the roll (the body's members now). The
    /// vote ends with [`State::close_budget_vote`], not here.
    pub fn advance_budget_phase(
        &self,
        cycle: &BudgetCycleId,
        to: Phase,
        by: &AccountId,
        at: Instant,
    ) -> Result<Vec<Event>, Refusal> {
        let c = self.existing_cycle(cycle)?;
        let body = self.as_facilitator(&c.body, by)?;
        if c.imported || c.phase.next() != Some(to) {
            return Err(Refusal::PhaseOutOfOrder { from: c.phase.name(), to: to.name() });
        }
        if to == Phase::Results {
            return Err(Refusal::PollStillOpen { closes_at: c.vote_closes_at() });
        }
        let mut events = vec![Event::BudgetPhaseChanged { cycle: cycle.clone(), from: c.phase, to, by: by.clone(), at }];
        if to == Phase::Vote {
            let projects: Vec<&BudgetProject> = self.budgets.projects_of(c).collect();
            let unreviewed = projects.iter().filter(|p| p.review.is_none()).count();
            if unreviewed > 0 {
                return Err(Refusal::ProjectsNotReviewed { count: unreviewed as u64 });
            }
            if !projects.iter().any(|p| p.final_cost().is_some()) {
                return Err(Refusal::NoFeasibleProject);
            }
            if at >= c.vote_closes_at() {
                return Err(Refusal::BadWindow);
            }
            events.push(Event::BudgetVoteOpened {
                cycle: cycle.clone(),
                // Residents only, when the cycle asks (see `registry`).
                roll: body
                    .current_members()
                    .filter(|m| self.registry.admits_to_budget(cycle, &body.id, m, at))
                    .cloned()
                    .collect(),
                format: c.format,
                rule: c.rule,
                closes_at: c.vote_closes_at(),
                at,
            });
        }
        Ok(events)
    }

    /// Whether `who` may take part in a cycle's ideas (as the cycle says: members or residents).
    fn may_take_part(&self, c: &BudgetCycle, who: &AccountId) -> Result<(), Refusal> {
        match c.ideas_from {
            IdeasFrom::Members => self.as_member(&c.body, who).map(|_| ()),
            IdeasFrom::Residents => self.existing_resident(who).map(|_| ()),
        }
    }

    /// A member (or resident, as the cycle says) submits an idea, in the ideas phase.
    pub fn submit_idea(&self, new: SubmitIdea, by: &AccountId, at: Instant) -> Result<Vec<Event>, Refusal> {
        let c = self.cycle_in(&new.cycle, &[Phase::Ideas])?;
        self.may_take_part(c, by)?;
        if self.budgets.ideas.contains_key(&new.idea) {
            return Err(already_exists(Thing::Idea, &new.idea));
        }
        State::check_district(c, new.district.as_ref())?;
        Ok(vec![Event::IdeaSubmitted {
            idea: new.idea,
            cycle: new.cycle,
            title: new.title,
            description: new.description,
            place: new.place,
            category: new.category,
            district: new.district,
            by: by.clone(),
            at,
        }])
    }

    fn live_idea(&self, idea: &IdeaId) -> Result<(&super::Idea, &BudgetCycle), Refusal> {
        let i = self.budgets.ideas.get(idea).ok_or_else(|| not_found(Thing::Idea, idea))?;
        if i.merged_into.is_some() {
            return Err(Refusal::IdeaMerged);
        }
        Ok((i, self.existing_cycle(&i.cycle)?))
    }

    /// Someone supports an idea, once, in the ideas phase.
    pub fn support_idea(&self, idea: &IdeaId, by: &AccountId, at: Instant) -> Result<Vec<Event>, Refusal> {
        let (i, c) = self.live_idea(idea)?;
        self.cycle_in(&c.id, &[Phase::Ideas])?;
        self.may_take_part(c, by)?;
        if i.supporters.contains(by) {
            return Err(Refusal::AlreadySupported);
        }
        Ok(vec![Event::IdeaSupported { idea: idea.clone(), by: by.clone(), at }])
    }

    /// Someone comments on an idea, until the vote opens.
    pub fn comment_on_idea(
        &self,
        comment: CommentId,
        idea: &IdeaId,
        text: Prose,
        by: &AccountId,
        at: Instant,
    ) -> Result<Vec<Event>, Refusal> {
        let i = self.budgets.ideas.get(idea).ok_or_else(|| not_found(Thing::Idea, idea))?;
        let c = self.cycle_in(&i.cycle, &[Phase::Ideas, Phase::Development, Phase::Review])?;
        self.may_take_part(c, by)?;
        if i.comments.iter().any(|x| x.id == comment) {
            return Err(already_exists(Thing::Comment, &comment));
        }
        Ok(vec![Event::IdeaCommented { comment, idea: idea.clone(), text, by: by.clone(), at }])
    }

    /// A facilitator merges a duplicate idea into another of the same cycle; its supporters
    /// move over.
    pub fn merge_ideas(&self, duplicate: &IdeaId, into: &IdeaId, by: &AccountId, at: Instant) -> Result<Vec<Event>, Refusal> {
        if duplicate == into {
            return Err(Refusal::Duplicate { id: into.to_string() });
        }
        let (d, c) = self.live_idea(duplicate)?;
        let (i, _) = self.live_idea(into)?;
        self.cycle_in(&c.id, &[Phase::Ideas, Phase::Development])?;
        self.as_facilitator(&c.body, by)?;
        if d.cycle != i.cycle {
            return Err(Refusal::NotInThisCycle { id: into.to_string() });
        }
        Ok(vec![Event::IdeasMerged { duplicate: duplicate.clone(), into: into.clone(), by: by.clone(), at }])
    }

    /// A member (a volunteer or delegate) turns ideas into a project with a cost estimate, in
    /// the development phase.
    pub fn develop_project(&self, new: DevelopProject, by: &AccountId, at: Instant) -> Result<Vec<Event>, Refusal> {
        let c = self.cycle_in(&new.cycle, &[Phase::Development])?;
        self.as_member(&c.body, by)?;
        if self.budgets.projects.contains_key(&new.project) {
            return Err(already_exists(Thing::BudgetProject, &new.project));
        }
        let mut seen = BTreeSet::new();
        for idea in &new.ideas {
            if !seen.insert(idea) {
                return Err(Refusal::Duplicate { id: idea.to_string() });
            }
            let (i, _) = self.live_idea(idea)?;
            if i.cycle != c.id {
                return Err(Refusal::NotInThisCycle { id: idea.to_string() });
            }
        }
        if new.estimate.0 == 0 {
            return Err(Refusal::CostMustBePositive);
        }
        State::check_district(c, new.district.as_ref())?;
        Ok(vec![Event::BudgetProjectDeveloped {
            project: new.project,
            cycle: new.cycle,
            code: format!("{:03}", c.projects.len() + 1),
            ideas: new.ideas,
            title: new.title,
            description: new.description,
            estimate: new.estimate,
            district: new.district,
            by: by.clone(),
            at,
        }])
    }

    /// A facilitator (staff) records a project's feasibility and final cost, in the review
    /// phase; a later review replaces an earlier one.
    pub fn review_project(
        &self,
        project: &BudgetProjectId,
        review: Review,
        by: &AccountId,
        at: Instant,
    ) -> Result<Vec<Event>, Refusal> {
        let p = self.existing_budget_project(project)?;
        let c = self.cycle_in(&p.cycle, &[Phase::Review])?;
        self.as_facilitator(&c.body, by)?;
        if let Review::Feasible { final_cost } = &review
            && final_cost.0 == 0
        {
            return Err(Refusal::CostMustBePositive);
        }
        Ok(vec![Event::BudgetProjectReviewed { project: project.clone(), review, by: by.clone(), at }])
    }

    /// A member on the roll votes, once, while the vote is open. The ballot is checked against
    /// the cycle's format; it is sealed, and the voter gets a receipt.
    pub fn cast_budget_ballot(
        &self,
        cycle: &BudgetCycleId,
        vote: BudgetVote,
        by: &AccountId,
        at: Instant,
        randomness: BallotRandomness,
    ) -> Result<BudgetCast, Refusal> {
        let c = self.existing_cycle(cycle)?;
        if c.phase != Phase::Vote || c.imported {
            return Err(Refusal::WrongPhase { phase: c.phase.name() });
        }
        if !c.roll.contains(by) {
            let member = self.body(&c.body).is_some_and(|b| b.is_member(by));
            return Err(if member { Refusal::NotOnRoll } else { Refusal::NotAMember });
        }
        if at >= c.vote_closes_at() {
            return Err(Refusal::VotingOver { closes_at: c.vote_closes_at() });
        }
        if c.voted.contains(by) {
            return Err(Refusal::AlreadyVoted);
        }
        count::check_ballot(c, &self.budgets, &vote)?;
        let ballot = BallotId::from_random(randomness.ballot_id);
        if c.sealed.binary_search_by(|b| b.ballot.cmp(&ballot)).is_ok() {
            return Err(already_exists(Thing::Ballot, &ballot));
        }
        let receipt = ReceiptCode::from_random(randomness.receipt);
        Ok(BudgetCast {
            events: vec![Event::BudgetRollMarked { cycle: cycle.clone(), member: by.clone() }],
            sealed: SealedBudgetBallot { cycle: cycle.clone(), ballot, receipt: receipt.clone(), vote },
            receipt,
        })
    }

    /// Closes the vote at or after its planned end: publishes the ballots (online and settled
    /// paper ones) shuffled with `shuffle_seed` and counts every pot by the rule fixed when the
    /// vote opened. This is the move to the results phase. Refused while a paper ballot is
    /// unsettled.
    pub fn close_budget_vote(&self, cycle: &BudgetCycleId, at: Instant, shuffle_seed: [u8; 32]) -> Result<Vec<Event>, Refusal> {
        let c = self.existing_cycle(cycle)?;
        if c.phase != Phase::Vote || c.imported {
            return Err(Refusal::WrongPhase { phase: c.phase.name() });
        }
        if at < c.vote_closes_at() {
            return Err(Refusal::PollStillOpen { closes_at: c.vote_closes_at() });
        }
        let paper = self.paper_ballots().of(cycle);
        let unsettled = paper.map_or(0, crate::paper_ballot::PaperBox::unsettled);
        if unsettled > 0 {
            return Err(Refusal::PaperBallotsUnsettled { count: unsettled });
        }
        let mut ballots: Vec<PublishedBudgetBallot> = c
            .sealed
            .iter()
            .map(|b| PublishedBudgetBallot {
                ballot: b.ballot.clone(),
                receipt: b.receipt.clone(),
                vote: b.vote.clone(),
                paper: None,
            })
            .collect();
        // Paper ballots join the same tally, each settled number once.
        ballots.extend(
            paper.into_iter().flat_map(|p| p.settled()).map(|(n, v)| crate::paper_ballot::published(&shuffle_seed, n, v)),
        );
        ballots.sort_by(|a, b| a.ballot.cmp(&b.ballot));
        shuffle(&mut ballots, shuffle_seed);
        let result = count::count(c, &self.budgets, ballots.iter().map(|b| &b.vote), c.rule)?;
        Ok(vec![Event::BudgetVoteCounted { cycle: cycle.clone(), ballots, result, at }])
    }

    /// A facilitator records a funded project's status, money spent and a dated note, in the
    /// implementation phase.
    pub fn record_progress(
        &self,
        project: &BudgetProjectId,
        status: ImplementationStatus,
        spent: Amount,
        note: Prose,
        by: &AccountId,
        at: Instant,
    ) -> Result<Vec<Event>, Refusal> {
        let p = self.existing_budget_project(project)?;
        let c = self.cycle_in(&p.cycle, &[Phase::Implementation])?;
        self.as_facilitator(&c.body, by)?;
        let funded = c.counted.as_ref().is_some_and(|k| k.result.is_funded(project));
        if !funded {
            return Err(Refusal::NotFunded);
        }
        Ok(vec![Event::ProjectProgressRecorded { project: project.clone(), status, spent, note, by: by.clone(), at }])
    }
}

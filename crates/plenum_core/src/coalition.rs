//! Organisations and coalitions: organisations act through their representatives; a coalition
//! is an organisation whose members are organisations (coalitions among them: a city front can
//! sit inside a regional one). It admits and removes members by its charter's rule, consensus
//! of the members or a supermajority of them, counted exactly.
//!
//! The platform (planks and positions) is in [`crate::platform`], pledges in [`crate::pledge`];
//! all of it lives in [`Coalitions`], one field of the [`State`].

use std::collections::{BTreeMap, BTreeSet};

use plenum_choice::vote::motion::{Base, Threshold};
use serde::{Deserialize, Serialize};

use crate::charter::Fraction;
use crate::event::Event;
use crate::id::{AccountId, CandidateId, OrganisationId, PlankId};
use crate::instant::Instant;
use crate::name::{Prose, Title};
use crate::platform::{Plank, PlatformEntry};
use crate::pledge::Candidate;
use crate::refusal::{Refusal, ReplayError, Thing};
use crate::state::{State, already_exists, not_found};

/// Everything about organisations, coalitions, platforms and pledges.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Coalitions {
    pub(crate) organisations: BTreeMap<OrganisationId, Organisation>,
    pub(crate) planks: BTreeMap<PlankId, Plank>,
    pub(crate) candidates: BTreeMap<CandidateId, Candidate>,
}

/// An organisation, as it presents itself in public.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Organisation {
    pub id: OrganisationId,
    pub name: Title,
    pub kind: Title,
    pub description: Prose,
    pub contact: Title,
    /// The accounts that act for it.
    pub representatives: BTreeSet<AccountId>,
    pub created_at: Instant,
    /// Set when the organisation is a coalition.
    pub coalition: Option<Coalition>,
}

impl Organisation {
    #[must_use]
    pub fn is_representative(&self, who: &AccountId) -> bool {
        self.representatives.contains(who)
    }
}

/// How a coalition decides: admitting and removing members, adopting planks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum CoalitionRule {
    /// Every member agrees (for planks: nobody blocks and every member has taken a position).
    Consensus,
    /// At least this share of the members agrees (for planks: endorses).
    Supermajority { share: Fraction },
}

impl CoalitionRule {
    /// The fewest agreeing members out of `members` that carry a decision.
    #[must_use]
    pub fn needed(self, members: u64) -> u64 {
        match self {
            CoalitionRule::Consensus => members,
            CoalitionRule::Supermajority { share } => at_least(share, members),
        }
    }
}

/// `⌈share × n⌉`, exactly; 0 when `n` is 0.
#[must_use]
pub fn at_least(share: Fraction, n: u64) -> u64 {
    if n == 0 { 0 } else { Threshold::AtLeast(share.share(), Base::AllMembers).needed(n) }
}

/// A coalition's rules as data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CoalitionCharter {
    pub rule: CoalitionRule,
    /// The maximum programme: planks endorsed by at least this share of the members.
    pub maximum_share: Fraction,
    pub individuals_may_join: bool,
}

impl Default for CoalitionCharter {
    fn default() -> CoalitionCharter {
        CoalitionCharter { rule: CoalitionRule::Consensus, maximum_share: Fraction::HALF, individuals_may_join: false }
    }
}

/// What a membership decision is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MembershipMatter {
    Admission,
    Removal,
}

/// An admission or removal being decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingDecision {
    pub matter: MembershipMatter,
    pub roll: Vec<OrganisationId>,
    pub agree: BTreeSet<OrganisationId>,
    pub object: BTreeSet<OrganisationId>,
    pub proposed_by: AccountId,
    pub proposed_at: Instant,
}

/// A decided admission or removal, kept for the coalition's page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PastDecision {
    pub organisation: OrganisationId,
    pub matter: MembershipMatter,
    pub carried: bool,
    pub agree: u64,
    pub object: u64,
    pub roll: u64,
    pub at: Instant,
}

/// What makes an organisation a coalition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Coalition {
    pub charter: CoalitionCharter,
    /// Member organisations and when they joined.
    pub members: BTreeMap<OrganisationId, Instant>,
    pub individuals: BTreeMap<AccountId, Instant>,
    pub pending: BTreeMap<OrganisationId, PendingDecision>,
    pub decisions: Vec<PastDecision>,
    /// The platform: the planks on it, in the order they were put there.
    pub platform: Vec<PlatformEntry>,
}

impl Coalition {
    #[must_use]
    pub fn is_member(&self, organisation: &OrganisationId) -> bool {
        self.members.contains_key(organisation)
    }

    #[must_use]
    pub fn entry(&self, plank: &PlankId) -> Option<&PlatformEntry> {
        self.platform.iter().find(|e| &e.plank == plank)
    }

    /// Takes an organisation that is gone off the rolls of the decisions under way.
    fn forget_on_rolls(&mut self, departed: &OrganisationId) {
        for p in self.pending.values_mut() {
            *p = without(p, departed);
        }
    }

    /// How a decision on this roll with these answers comes out, if it is decided yet.
    #[must_use]
    pub fn outcome(&self, pending: &PendingDecision) -> Option<bool> {
        let roll = pending.roll.len() as u64;
        let (agree, object) = (pending.agree.len() as u64, pending.object.len() as u64);
        let needed = self.charter.rule.needed(roll);
        if agree >= needed {
            Some(true)
        } else if roll - object < needed {
            Some(false)
        } else {
            None
        }
    }
}

/// What is needed to register an organisation (or the organisation a coalition is).
#[derive(Debug, Clone)]
pub struct CreateOrganisation {
    pub organisation: OrganisationId,
    pub name: Title,
    pub kind: Title,
    pub description: Prose,
    pub contact: Title,
}

impl State {
    /// Every organisation, coalitions included, in id order.
    pub fn organisations(&self) -> impl Iterator<Item = &Organisation> {
        self.coalitions.organisations.values()
    }

    #[must_use]
    pub fn organisation(&self, id: &OrganisationId) -> Option<&Organisation> {
        self.coalitions.organisations.get(id)
    }

    /// The coalition with this id, if that organisation is one.
    #[must_use]
    pub fn coalition(&self, id: &OrganisationId) -> Option<&Coalition> {
        self.organisation(id).and_then(|o| o.coalition.as_ref())
    }

    /// The coalitions an organisation is a member of, in id order.
    pub fn coalitions_of<'a>(&'a self, organisation: &'a OrganisationId) -> impl Iterator<Item = &'a Organisation> {
        self.organisations().filter(move |o| o.coalition.as_ref().is_some_and(|c| c.is_member(organisation)))
    }

    /// The organisations `who` represents, in id order.
    pub fn represented_by<'a>(&'a self, who: &'a AccountId) -> impl Iterator<Item = &'a Organisation> {
        self.organisations().filter(move |o| o.is_representative(who))
    }

    pub(crate) fn existing_organisation(&self, id: &OrganisationId) -> Result<&Organisation, Refusal> {
        self.organisation(id).ok_or_else(|| not_found(Thing::Organisation, id))
    }

    pub(crate) fn existing_coalition(&self, id: &OrganisationId) -> Result<&Coalition, Refusal> {
        self.coalition(id).ok_or_else(|| not_found(Thing::Coalition, id))
    }

    /// The organisation, if `who` represents it.
    pub(crate) fn as_representative(&self, organisation: &OrganisationId, who: &AccountId) -> Result<&Organisation, Refusal> {
        let o = self.existing_organisation(organisation)?;
        if o.is_representative(who) { Ok(o) } else { Err(Refusal::NotARepresentative) }
    }

    /// The coalition, if `who` represents one of its member organisations.
    pub(crate) fn as_coalition_member(&self, coalition: &OrganisationId, who: &AccountId) -> Result<&Coalition, Refusal> {
        let c = self.existing_coalition(coalition)?;
        let represents_member = c.members.keys().any(|m| self.organisation(m).is_some_and(|o| o.is_representative(who)));
        if represents_member { Ok(c) } else { Err(Refusal::NotACoalitionMember) }
    }

    /// Whether `inner` is `outer` or sits inside it, through any depth of member coalitions.
    fn contains(&self, outer: &OrganisationId, inner: &OrganisationId) -> bool {
        let mut seen = BTreeSet::new();
        let mut todo = vec![outer.clone()];
        while let Some(next) = todo.pop() {
            if &next == inner {
                return true;
            }
            if seen.insert(next.clone())
                && let Some(c) = self.coalition(&next)
            {
                todo.extend(c.members.keys().cloned());
            }
        }
        false
    }

    /// A resident registers an organisation and becomes its first representative.
    pub fn create_organisation(&self, new: CreateOrganisation, by: &AccountId, at: Instant) -> Result<Vec<Event>, Refusal> {
        self.existing_resident(by)?;
        if self.coalitions.organisations.contains_key(&new.organisation) {
            return Err(already_exists(Thing::Organisation, &new.organisation));
        }
        Ok(vec![Event::OrganisationCreated {
            organisation: new.organisation,
            name: new.name,
            organisation_kind: new.kind,
            description: new.description,
            contact: new.contact,
            by: by.clone(),
            at,
        }])
    }

    /// A representative makes another resident a representative too.
    pub fn add_representative(
        &self,
        organisation: &OrganisationId,
        resident: &AccountId,
        by: &AccountId,
        at: Instant,
    ) -> Result<Vec<Event>, Refusal> {
        let o = self.as_representative(organisation, by)?;
        self.existing_resident(resident)?;
        if o.is_representative(resident) {
            return Err(Refusal::AlreadyARepresentative);
        }
        Ok(vec![Event::RepresentativeAdded {
            organisation: organisation.clone(),
            resident: resident.clone(),
            by: by.clone(),
            at,
        }])
    }

    /// A representative steps down or removes another; the last one cannot.
    pub fn remove_representative(
        &self,
        organisation: &OrganisationId,
        resident: &AccountId,
        by: &AccountId,
        at: Instant,
    ) -> Result<Vec<Event>, Refusal> {
        let o = self.as_representative(organisation, by)?;
        if !o.is_representative(resident) {
            return Err(Refusal::NotARepresentative);
        }
        if o.representatives.len() == 1 {
            return Err(Refusal::LastRepresentative);
        }
        Ok(vec![Event::RepresentativeRemoved {
            organisation: organisation.clone(),
            resident: resident.clone(),
            by: by.clone(),
            at,
        }])
    }

    /// A resident founds a coalition: an organisation with a charter, whose first members are
    /// the `founders` (organisations the resident represents; there may be none yet).
    pub fn found_coalition(
        &self,
        new: CreateOrganisation,
        charter: CoalitionCharter,
        founders: Vec<OrganisationId>,
        by: &AccountId,
        at: Instant,
    ) -> Result<Vec<Event>, Refusal> {
        let coalition = new.organisation.clone();
        let mut events = self.create_organisation(new, by, at)?;
        let mut seen = BTreeSet::new();
        for founder in &founders {
            if !seen.insert(founder) {
                return Err(Refusal::Duplicate { id: founder.to_string() });
            }
            self.as_representative(founder, by)?;
        }
        events.push(Event::CoalitionFounded { coalition, charter, founders, by: by.clone(), at });
        Ok(events)
    }

    /// A representative of `organisation` applies to join the coalition. Its members decide by
    /// the charter's rule; a coalition without members admits at once.
    pub fn apply_to_join(
        &self,
        coalition: &OrganisationId,
        organisation: &OrganisationId,
        by: &AccountId,
        at: Instant,
    ) -> Result<Vec<Event>, Refusal> {
        let c = self.existing_coalition(coalition)?;
        self.as_representative(organisation, by)?;
        if c.is_member(organisation) {
            return Err(Refusal::AlreadyInCoalition);
        }
        if self.contains(organisation, coalition) {
            return Err(Refusal::CoalitionCycle);
        }
        self.propose_membership(c, coalition, organisation, MembershipMatter::Admission, by, at)
    }

    /// A representative of a member proposes removing another member; the others decide.
    pub fn propose_removal(
        &self,
        coalition: &OrganisationId,
        organisation: &OrganisationId,
        by: &AccountId,
        at: Instant,
    ) -> Result<Vec<Event>, Refusal> {
        let c = self.as_coalition_member(coalition, by)?;
        if !c.is_member(organisation) {
            return Err(Refusal::NotInCoalition);
        }
        self.propose_membership(c, coalition, organisation, MembershipMatter::Removal, by, at)
    }

    fn propose_membership(
        &self,
        c: &Coalition,
        coalition: &OrganisationId,
        organisation: &OrganisationId,
        matter: MembershipMatter,
        by: &AccountId,
        at: Instant,
    ) -> Result<Vec<Event>, Refusal> {
        if c.pending.contains_key(organisation) {
            return Err(Refusal::MembershipDecisionPending);
        }
        let roll: Vec<OrganisationId> = c.members.keys().filter(|m| *m != organisation).cloned().collect();
        let mut events = vec![Event::MembershipProposed {
            coalition: coalition.clone(),
            organisation: organisation.clone(),
            matter,
            roll: roll.clone(),
            by: by.clone(),
            at,
        }];
        if roll.is_empty() {
            events.push(Event::MembershipDecided {
                coalition: coalition.clone(),
                organisation: organisation.clone(),
                matter,
                carried: true,
                agree: 0,
                object: 0,
                roll: 0,
                at,
            });
        }
        Ok(events)
    }

    /// A representative of a member on the roll answers a membership proposal. The answer that
    /// settles it under the charter's rule also records the decision.
    pub fn answer_membership(
        &self,
        coalition: &OrganisationId,
        organisation: &OrganisationId,
        member: &OrganisationId,
        agree: bool,
        by: &AccountId,
        at: Instant,
    ) -> Result<Vec<Event>, Refusal> {
        let c = self.existing_coalition(coalition)?;
        self.as_representative(member, by)?;
        let pending = c.pending.get(organisation).ok_or(Refusal::NoMembershipDecision)?;
        if !pending.roll.contains(member) || pending.agree.contains(member) || pending.object.contains(member) {
            return Err(Refusal::NotOnDecisionRoll);
        }
        let mut after = pending.clone();
        if agree {
            after.agree.insert(member.clone());
        } else {
            after.object.insert(member.clone());
        }
        let mut events = vec![Event::MembershipStanceTaken {
            coalition: coalition.clone(),
            organisation: organisation.clone(),
            member: member.clone(),
            agree,
            by: by.clone(),
            at,
        }];
        if let Some(carried) = c.outcome(&after) {
            events.push(decided(coalition, organisation, &after, carried, at));
            if carried && after.matter == MembershipMatter::Removal {
                events.extend(settle_after_departure(c, coalition, organisation, at));
            }
        }
        Ok(events)
    }

    /// A member organisation leaves of its own accord.
    pub fn leave_coalition(
        &self,
        coalition: &OrganisationId,
        organisation: &OrganisationId,
        by: &AccountId,
        at: Instant,
    ) -> Result<Vec<Event>, Refusal> {
        let c = self.existing_coalition(coalition)?;
        self.as_representative(organisation, by)?;
        if !c.is_member(organisation) {
            return Err(Refusal::NotInCoalition);
        }
        let mut events =
            vec![Event::CoalitionLeft { coalition: coalition.clone(), organisation: organisation.clone(), by: by.clone(), at }];
        events.extend(settle_after_departure(c, coalition, organisation, at));
        Ok(events)
    }

    /// A resident joins as an individual, if the charter allows it.
    pub fn join_as_individual(&self, coalition: &OrganisationId, by: &AccountId, at: Instant) -> Result<Vec<Event>, Refusal> {
        self.existing_resident(by)?;
        let c = self.existing_coalition(coalition)?;
        if !c.charter.individuals_may_join {
            return Err(Refusal::IndividualsNotAdmitted);
        }
        if c.individuals.contains_key(by) {
            return Err(Refusal::AlreadyAnIndividualMember);
        }
        Ok(vec![Event::IndividualJoined { coalition: coalition.clone(), resident: by.clone(), at }])
    }

    pub fn leave_as_individual(&self, coalition: &OrganisationId, by: &AccountId, at: Instant) -> Result<Vec<Event>, Refusal> {
        let c = self.existing_coalition(coalition)?;
        if !c.individuals.contains_key(by) {
            return Err(Refusal::NotInCoalition);
        }
        Ok(vec![Event::IndividualLeft { coalition: coalition.clone(), resident: by.clone(), at }])
    }
}

fn decided(coalition: &OrganisationId, organisation: &OrganisationId, p: &PendingDecision, carried: bool, at: Instant) -> Event {
    Event::MembershipDecided {
        coalition: coalition.clone(),
        organisation: organisation.clone(),
        matter: p.matter,
        carried,
        agree: p.agree.len() as u64,
        object: p.object.len() as u64,
        roll: p.roll.len() as u64,
        at,
    }
}

/// A member that leaves (or is removed) leaves the rolls of the decisions under way; any of
/// them that the remaining roll now settles is decided at once, so none waits forever on an
/// organisation that is gone.
fn settle_after_departure(c: &Coalition, coalition: &OrganisationId, departed: &OrganisationId, at: Instant) -> Vec<Event> {
    c.pending
        .iter()
        .filter(|(subject, p)| *subject != departed && p.roll.contains(departed))
        .filter_map(|(subject, p)| {
            let rest = without(p, departed);
            c.outcome(&rest).map(|carried| decided(coalition, subject, &rest, carried, at))
        })
        .collect()
}

/// A pending decision with `departed` taken off its roll and its answers.
fn without(p: &PendingDecision, departed: &OrganisationId) -> PendingDecision {
    let mut rest = p.clone();
    rest.roll.retain(|m| m != departed);
    rest.agree.remove(departed);
    rest.object.remove(departed);
    rest
}

pub(crate) fn broken(event: &Event, reason: String) -> ReplayError {
    ReplayError { kind: event.kind(), reason }
}

impl Coalitions {
    pub(crate) fn organisation_mut(&mut self, event: &Event, id: &OrganisationId) -> Result<&mut Organisation, ReplayError> {
        self.organisations.get_mut(id).ok_or_else(|| broken(event, format!("there is no organisation {id}")))
    }

    pub(crate) fn coalition_mut(&mut self, event: &Event, id: &OrganisationId) -> Result<&mut Coalition, ReplayError> {
        self.organisation_mut(event, id)?.coalition.as_mut().ok_or_else(|| broken(event, format!("{id} is not a coalition")))
    }

    /// Applies one of the coalition events (the others are not this module's and are refused).
    pub(crate) fn apply(&mut self, event: &Event) -> Result<(), ReplayError> {
        match event {
            Event::OrganisationCreated { organisation, name, organisation_kind, description, contact, by, at } => {
                let o = Organisation {
                    id: organisation.clone(),
                    name: name.clone(),
                    kind: organisation_kind.clone(),
                    description: description.clone(),
                    contact: contact.clone(),
                    representatives: BTreeSet::from([by.clone()]),
                    created_at: *at,
                    coalition: None,
                };
                self.organisations.insert(organisation.clone(), o);
            }
            Event::RepresentativeAdded { organisation, resident, .. } => {
                self.organisation_mut(event, organisation)?.representatives.insert(resident.clone());
            }
            Event::RepresentativeRemoved { organisation, resident, .. } => {
                self.organisation_mut(event, organisation)?.representatives.remove(resident);
            }
            Event::CoalitionFounded { coalition, charter, founders, at, .. } => {
                let o = self.organisation_mut(event, coalition)?;
                o.coalition = Some(Coalition {
                    charter: *charter,
                    members: founders.iter().map(|f| (f.clone(), *at)).collect(),
                    individuals: BTreeMap::new(),
                    pending: BTreeMap::new(),
                    decisions: Vec::new(),
                    platform: Vec::new(),
                });
            }
            Event::MembershipProposed { coalition, organisation, matter, roll, by, at } => {
                let c = self.coalition_mut(event, coalition)?;
                let pending = PendingDecision {
                    matter: *matter,
                    roll: roll.clone(),
                    agree: BTreeSet::new(),
                    object: BTreeSet::new(),
                    proposed_by: by.clone(),
                    proposed_at: *at,
                };
                c.pending.insert(organisation.clone(), pending);
            }
            Event::MembershipStanceTaken { coalition, organisation, member, agree, .. } => {
                let c = self.coalition_mut(event, coalition)?;
                let p = c.pending.get_mut(organisation).ok_or_else(|| broken(event, "no decision under way".to_owned()))?;
                if *agree {
                    p.agree.insert(member.clone());
                } else {
                    p.object.insert(member.clone());
                }
            }
            Event::MembershipDecided { coalition, organisation, matter, carried, agree, object, roll, at } => {
                let c = self.coalition_mut(event, coalition)?;
                c.pending.remove(organisation);
                if *carried {
                    match matter {
                        MembershipMatter::Admission => {
                            c.members.insert(organisation.clone(), *at);
                        }
                        MembershipMatter::Removal => {
                            c.members.remove(organisation);
                            c.forget_on_rolls(organisation);
                        }
                    }
                }
                c.decisions.push(PastDecision {
                    organisation: organisation.clone(),
                    matter: *matter,
                    carried: *carried,
                    agree: *agree,
                    object: *object,
                    roll: *roll,
                    at: *at,
                });
            }
            Event::CoalitionLeft { coalition, organisation, .. } => {
                let c = self.coalition_mut(event, coalition)?;
                c.members.remove(organisation);
                // A pending decision on the one who left is moot; it no longer decides others.
                c.pending.remove(organisation);
                c.forget_on_rolls(organisation);
            }
            Event::IndividualJoined { coalition, resident, at } => {
                self.coalition_mut(event, coalition)?.individuals.insert(resident.clone(), *at);
            }
            Event::IndividualLeft { coalition, resident, .. } => {
                self.coalition_mut(event, coalition)?.individuals.remove(resident);
            }
            Event::PlankProposed { .. }
            | Event::PlankAmended { .. }
            | Event::PlankShared { .. }
            | Event::PositionTaken { .. }
            | Event::PlankAdopted { .. } => self.apply_platform(event)?,
            Event::CandidateEntered { .. }
            | Event::PledgeSigned { .. }
            | Event::PledgeWithdrawn { .. }
            | Event::CandidateElected { .. }
            | Event::OfficialVoteRecorded { .. } => self.apply_pledge(event)?,
            other => return Err(broken(other, "not a coalition event".to_owned())),
        }
        Ok(())
    }
}

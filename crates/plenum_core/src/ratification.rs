//! Ratification: a council decision sent down to its constituents.
//!
//! A facilitator of the council opens a ratification of a policy motion the council passed (or
//! of a dispute decision under appeal). Every assembly under the council gets a poll (a motion
//! of kind `ratification`), closing at the deadline; a lower council's result is its own rule
//! applied to its constituents' results, so a regional council's policy goes down to the
//! assemblies through the municipal councils. When the last poll closes (or at the deadline,
//! with [`State::decide_ratification`]) the results combine by each council's
//! [`RatificationRule`] and the outcome is published with every constituent's result.
//!
//! An assembly's poll decides yes if it passed, no if it failed with a quorum; without a
//! quorum, or not closed by the deadline, the assembly has not decided and counts as its
//! council's charter says ([`NonDecider`]).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::council::{Combine, NonDecider, RatificationRule};
use crate::event::Event;
use crate::id::{AccountId, BodyId, DisputeId, MotionId, PollId, RatificationId};
use crate::instant::Instant;
use crate::motion::{MotionKind, MotionStatus};
use crate::name::{Prose, Title};
use crate::poll::{PollResult, Secrecy};
use crate::refusal::{Refusal, Thing};
use crate::state::{State, already_exists, not_found};

/// What is being ratified.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "subject", rename_all = "snake_case")]
pub enum RatificationSubject {
    /// A policy motion the council passed.
    Motion { motion: MotionId },
    /// A council's decision on a dispute, appealed.
    Dispute { dispute: DisputeId },
}

/// One body in a ratification's tree: a council (with its rule) or an assembly (with its poll).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RatificationNode {
    pub body: BodyId,
    /// The council it answers to; `None` for the council that sent it.
    pub parent: Option<BodyId>,
    pub rule: Option<RatificationRule>,
    pub poll: Option<PollId>,
}

/// What a constituent decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Yes,
    No,
    /// No quorum, or no result by the deadline.
    Undecided,
}

/// One constituent's result, as published.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConstituentResult {
    pub body: BodyId,
    pub parent: BodyId,
    pub decision: Decision,
    /// What it counted as: yes, no, or `None` (left out).
    pub counted_as: Option<bool>,
    /// Yes and no votes cast (for a council, in every assembly under it).
    pub yes: u64,
    pub no: u64,
    /// Members represented.
    pub members: u64,
}

/// The published outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RatificationOutcome {
    pub ratified: bool,
    pub rule: RatificationRule,
    /// Every constituent at every level, top-down.
    pub results: Vec<ConstituentResult>,
}

/// A ratification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ratification {
    pub id: RatificationId,
    pub council: BodyId,
    pub subject: RatificationSubject,
    pub title: Title,
    pub nodes: Vec<RatificationNode>,
    pub closes_at: Instant,
    pub opened_at: Instant,
    pub outcome: Option<RatificationOutcome>,
}

/// A child's result as its parent combines it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Child {
    pub decision: Decision,
    pub yes: u64,
    pub no: u64,
    pub members: u64,
}

/// What a decision counts as under a rule.
#[must_use]
pub fn counted_as(decision: Decision, non_decider: NonDecider) -> Option<bool> {
    match (decision, non_decider) {
        (Decision::Yes, _) | (Decision::Undecided, NonDecider::Yes) => Some(true),
        (Decision::No, _) | (Decision::Undecided, NonDecider::No) => Some(false),
        (Decision::Undecided, NonDecider::Abstains) => None,
    }
}

/// Combines constituents' results by a rule: whether the council's answer is yes. Integer
/// arithmetic throughout ("more than half" is 2·yes > yes + no).
#[must_use]
pub fn combine(rule: RatificationRule, children: &[Child]) -> bool {
    let (mut n_yes, mut n_no, mut w_yes, mut w_no, mut v_yes, mut v_no) = (0u128, 0u128, 0u128, 0u128, 0u128, 0u128);
    for c in children {
        v_yes += u128::from(c.yes);
        v_no += u128::from(c.no);
        match counted_as(c.decision, rule.non_decider) {
            Some(true) => {
                n_yes += 1;
                w_yes += u128::from(c.members);
            }
            Some(false) => {
                n_no += 1;
                w_no += u128::from(c.members);
            }
            None => {}
        }
    }
    let constituents = 2 * n_yes > n_yes + n_no;
    match rule.combine {
        Combine::MajorityOfConstituents => constituents,
        Combine::DoubleMajority => constituents && 2 * v_yes > v_yes + v_no,
        Combine::MembershipWeighted => 2 * w_yes > w_yes + w_no,
        Combine::Unanimity => n_no == 0 && n_yes > 0,
    }
}

/// What is needed to open a ratification.
#[derive(Debug, Clone)]
pub struct OpenRatification {
    pub ratification: RatificationId,
    pub subject: RatificationSubject,
    pub closes_at: Instant,
    /// Ids for the motion and poll of each assembly under the council
    /// ([`State::assemblies_under`] says how many).
    pub ids: Vec<(MotionId, PollId)>,
}

impl State {
    #[must_use]
    pub fn ratification(&self, id: &RatificationId) -> Option<&Ratification> {
        self.confederation.ratifications.get(id)
    }

    /// Every ratification, in id order.
    pub fn ratifications(&self) -> impl Iterator<Item = &Ratification> {
        self.confederation.ratifications.values()
    }

    /// A facilitator of the council sends a policy motion it passed to its constituents.
    pub fn open_ratification(&self, new: OpenRatification, by: &AccountId, at: Instant) -> Result<Vec<Event>, Refusal> {
        let RatificationSubject::Motion { motion } = &new.subject else {
            return Err(Refusal::NotRatifiable { reason: "a dispute decision is sent for ratification by its appeal" });
        };
        let m = self.existing_motion(motion)?;
        self.existing_council(&m.body)?;
        self.as_facilitator(&m.body, by)?;
        if m.kind != MotionKind::Policy {
            return Err(Refusal::NotRatifiable { reason: "only policy motions need ratification" });
        }
        if !matches!(m.status, MotionStatus::Passed { .. }) {
            return Err(Refusal::NotRatifiable { reason: "the council has not passed it" });
        }
        if self.confederation.ratifications.values().any(|r| r.subject == new.subject) {
            return Err(Refusal::NotRatifiable { reason: "it has been sent for ratification already" });
        }
        let (council, title, text) = (m.body.clone(), m.title.clone(), m.text.clone());
        self.ratification_events(new, council, title, text, by, at)
    }

    /// The events that open a ratification: the tree, then a motion and poll per assembly.
    pub(crate) fn ratification_events(
        &self,
        new: OpenRatification,
        council: BodyId,
        title: Title,
        text: Prose,
        by: &AccountId,
        at: Instant,
    ) -> Result<Vec<Event>, Refusal> {
        if self.confederation.ratifications.contains_key(&new.ratification) {
            return Err(already_exists(Thing::Ratification, &new.ratification));
        }
        if new.closes_at <= at {
            return Err(Refusal::BadWindow);
        }
        let leaves = self.assemblies_under(&council);
        if new.ids.len() < leaves.len() {
            return Err(Refusal::NotEnoughIds { needed: leaves.len() });
        }
        let polls: BTreeMap<BodyId, &(MotionId, PollId)> = leaves.iter().cloned().zip(new.ids.iter()).collect();
        for (motion, poll) in polls.values() {
            if self.motions.contains_key(motion) {
                return Err(already_exists(Thing::Motion, motion));
            }
            if self.polls.contains_key(poll) {
                return Err(already_exists(Thing::Poll, poll));
            }
        }
        // The tree, top-down: each council's constituents after it.
        let mut nodes = Vec::new();
        let mut queue = std::collections::VecDeque::from([(council.clone(), None::<BodyId>)]);
        let mut seen = std::collections::BTreeSet::new();
        while let Some((body, parent)) = queue.pop_front() {
            if !seen.insert((body.clone(), parent.clone())) || nodes.len() > 10_000 {
                continue;
            }
            match self.council(&body) {
                Some(c) => {
                    nodes.push(RatificationNode { body: body.clone(), parent, rule: Some(c.ratification), poll: None });
                    queue.extend(c.constituents.iter().map(|k| (k.body.clone(), Some(body.clone()))));
                }
                None => {
                    let poll = polls.get(&body).map(|(_, p)| p.clone());
                    nodes.push(RatificationNode { body, parent, rule: None, poll });
                }
            }
        }
        let mut events = vec![Event::RatificationOpened {
            ratification: new.ratification,
            council,
            subject: new.subject,
            title: title.clone(),
            nodes,
            closes_at: new.closes_at,
            by: by.clone(),
            at,
        }];
        for leaf in &leaves {
            let (Some((motion, poll)), Some(body)) = (polls.get(leaf), self.body(leaf)) else { continue };
            events.push(Event::MotionFiled {
                motion: motion.clone(),
                body: leaf.clone(),
                motion_kind: MotionKind::Ratification,
                title: title.clone(),
                text: text.clone(),
                proposed_charter: None,
                by: by.clone(),
                at,
            });
            events.push(Event::PollOpened {
                poll: poll.clone(),
                motion: motion.clone(),
                body: leaf.clone(),
                secrecy: Secrecy::Secret,
                rules: body.charter.rules_for(MotionKind::Ratification),
                opens_at: at,
                closes_at: new.closes_at,
                roll: body.current_members().cloned().collect(),
                by: by.clone(),
                at,
            });
        }
        Ok(events)
    }

    /// Anyone decides a ratification at or after its deadline: assemblies whose polls have not
    /// closed count as not having decided.
    pub fn decide_ratification(&self, id: &RatificationId, at: Instant) -> Result<Vec<Event>, Refusal> {
        let r = self.confederation.ratifications.get(id).ok_or_else(|| not_found(Thing::Ratification, id))?;
        if r.outcome.is_some() {
            return Err(Refusal::PollClosed);
        }
        if at < r.closes_at {
            return Err(Refusal::PollStillOpen { closes_at: r.closes_at });
        }
        Ok(vec![Event::RatificationDecided { ratification: id.clone(), outcome: self.ratification_outcome(r, None), at }])
    }

    /// After one of a ratification's polls closes with `result`: the decision, if it was the
    /// last one open.
    pub(crate) fn after_ratification_poll(
        &self,
        id: &RatificationId,
        poll: &PollId,
        result: &PollResult,
        at: Instant,
    ) -> Vec<Event> {
        let Some(r) = self.confederation.ratifications.get(id) else { return Vec::new() };
        if r.outcome.is_some() {
            return Vec::new();
        }
        let all_closed =
            r.nodes.iter().filter_map(|n| n.poll.as_ref()).all(|p| p == poll || self.poll(p).is_some_and(|p| p.closed.is_some()));
        if !all_closed {
            return Vec::new();
        }
        vec![Event::RatificationDecided {
            ratification: id.clone(),
            outcome: self.ratification_outcome(r, Some((poll, result))),
            at,
        }]
    }

    /// The outcome from the polls as they stand (and `just_closed`, not yet applied).
    fn ratification_outcome(&self, r: &Ratification, just_closed: Option<(&PollId, &PollResult)>) -> RatificationOutcome {
        let leaf = |poll: &PollId| -> Child {
            let result = match just_closed {
                Some((p, res)) if p == poll => Some(res),
                _ => self.poll(poll).and_then(|p| p.closed.as_ref()).map(|c| &c.result),
            };
            let members = self.poll(poll).map_or(0, |p| p.roll.len() as u64);
            match result {
                Some(res) => Child {
                    decision: if !res.quorum_met {
                        Decision::Undecided
                    } else if res.passed {
                        Decision::Yes
                    } else {
                        Decision::No
                    },
                    yes: res.yes,
                    no: res.no,
                    members,
                },
                None => Child { decision: Decision::Undecided, yes: 0, no: 0, members },
            }
        };
        // Bottom-up: children appear after their parents in `nodes`.
        let mut children: BTreeMap<BodyId, Vec<(usize, Child)>> = BTreeMap::new();
        let mut own: Vec<Option<Child>> = vec![None; r.nodes.len()];
        for (i, n) in r.nodes.iter().enumerate().rev() {
            let child = match (&n.poll, n.rule) {
                (Some(p), _) => leaf(p),
                (None, Some(rule)) => {
                    let kids: Vec<Child> = children.get(&n.body).map(|k| k.iter().map(|(_, c)| *c).collect()).unwrap_or_default();
                    Child {
                        decision: if combine(rule, &kids) { Decision::Yes } else { Decision::No },
                        yes: kids.iter().map(|c| c.yes).sum(),
                        no: kids.iter().map(|c| c.no).sum(),
                        members: kids.iter().map(|c| c.members).sum(),
                    }
                }
                (None, None) => Child { decision: Decision::Undecided, yes: 0, no: 0, members: 0 },
            };
            own[i] = Some(child);
            if let Some(parent) = &n.parent {
                children.entry(parent.clone()).or_default().push((i, child));
            }
        }
        let rule_of = |body: &BodyId| r.nodes.iter().find(|n| &n.body == body).and_then(|n| n.rule);
        let top_rule = rule_of(&r.council)
            .unwrap_or(RatificationRule { combine: Combine::MajorityOfConstituents, non_decider: NonDecider::No });
        let ratified = own.first().copied().flatten().is_some_and(|c| c.decision == Decision::Yes);
        let results = r
            .nodes
            .iter()
            .zip(own)
            .filter_map(|(n, c)| {
                let parent = n.parent.clone()?;
                let c = c?;
                let non_decider = rule_of(&parent).map_or(NonDecider::No, |r| r.non_decider);
                Some(ConstituentResult {
                    body: n.body.clone(),
                    counted_as: counted_as(c.decision, non_decider),
                    parent,
                    decision: c.decision,
                    yes: c.yes,
                    no: c.no,
                    members: c.members,
                })
            })
            .collect();
        RatificationOutcome { ratified, rule: top_rule, results }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn child(decision: Decision, yes: u64, no: u64, members: u64) -> Child {
        Child { decision, yes, no, members }
    }

    #[test]
    fn a_double_majority_needs_both_the_bodies_and_the_votes() {
        let rule = RatificationRule { combine: Combine::DoubleMajority, non_decider: NonDecider::No };
        // Two small bodies say yes, one large body says no by many votes.
        let kids = [child(Decision::Yes, 6, 4, 12), child(Decision::Yes, 5, 3, 10), child(Decision::No, 10, 40, 60)];
        assert!(!combine(rule, &kids));
        assert!(combine(RatificationRule { combine: Combine::MajorityOfConstituents, ..rule }, &kids));
        assert!(!combine(RatificationRule { combine: Combine::MembershipWeighted, ..rule }, &kids));
        let kids = [child(Decision::Yes, 30, 4, 40), child(Decision::Yes, 5, 3, 10), child(Decision::No, 10, 20, 60)];
        assert!(combine(rule, &kids));
    }

    #[test]
    fn non_deciders_count_as_the_charter_says() {
        let kids = [child(Decision::Yes, 3, 1, 5), child(Decision::Undecided, 0, 0, 5), child(Decision::Undecided, 0, 0, 5)];
        let rule = |non_decider| RatificationRule { combine: Combine::MajorityOfConstituents, non_decider };
        assert!(!combine(rule(NonDecider::No), &kids));
        assert!(combine(rule(NonDecider::Abstains), &kids));
        assert!(combine(rule(NonDecider::Yes), &kids));
        let unanimity = RatificationRule { combine: Combine::Unanimity, non_decider: NonDecider::Abstains };
        assert!(combine(unanimity, &kids));
        assert!(!combine(RatificationRule { non_decider: NonDecider::No, ..unanimity }, &kids));
    }
}

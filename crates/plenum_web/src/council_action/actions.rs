//! The confederation's actions, one per step: what each form and JSON body carries and the
//! domain command it prepares.

use std::collections::BTreeSet;

use plenum_core::{
    AccountId, BodyId, BodySlug, CreateBody, DelegationRules, DisputeId, DrawId, Hex32, MeetingId, MotionId, PollId,
    RatificationId, RecallId, SeatRule, Secrecy, State, TaskId, TaskStatus, Title,
};
use serde::{Deserialize, Serialize};

use crate::error::WebError;
use crate::ids::new_id;

use super::input::{
    Ballots, List, Text, bad, body, closes_in, council, council_page, days, dispute, first, in_days, person, prose, title, yes,
};
use super::{Action, Field, Prepared, field};
// --- the actions ---

/// Create a council over existing bodies.
#[derive(Debug, Deserialize)]
pub struct NewCouncil {
    name: Text,
    slug: Text,
    /// The constituents, by slug or id.
    constituents: List,
    /// `fixed` (the default) or `by_membership`.
    #[serde(default)]
    seat_rule: Text,
    seats: Text,
    /// The constituents (of those listed) that fill their seats by lot; the others elect.
    #[serde(default)]
    drawn: List,
    #[serde(default)]
    combine: Text,
    #[serde(default)]
    non_decider: Text,
    #[serde(default)]
    recall_on_deviation: Text,
}

impl Action for NewCouncil {
    const SUMMARY: &'static str = "Create a council over existing bodies; the caller becomes its clerk (first facilitator)";
    const OPERATION: &'static str = "createCouncil";
    const TARGET: Option<&'static str> = None;
    const FIELDS: &'static [Field] = &[
        field("name", "string", true, "The council's name"),
        field("slug", "string", true, "Its address name"),
        field("constituents", "list", true, "The constituent bodies, by slug or id"),
        field(
            "seat_rule",
            "string",
            false,
            "fixed (default): `seats` per constituent; by_membership: `seats` in all, by largest remainders",
        ),
        field("seats", "integer", true, "Seats per constituent, or in all"),
        field("drawn", "list", false, "The constituents that fill their seats by lot (the others elect by STV)"),
        field(
            "combine",
            "string",
            false,
            "How ratification results combine: double_majority (default), majority_of_constituents, membership_weighted, unanimity",
        ),
        field("non_decider", "string", false, "What a constituent that does not decide counts as: no (default), yes, abstains"),
        field("recall_on_deviation", "boolean", false, "A vote against the mandate opens a recall petition at once"),
    ];

    fn prepare(self, _: &[String], s: &State) -> Result<Prepared, WebError> {
        let name = title(&self.name, "name")?;
        let slug = BodySlug::parse(self.slug.trim())
            .ok()
            .filter(|x| !crate::pages::body::RESERVED_SLUGS.contains(&x.as_str()))
            .ok_or_else(|| WebError::bad_input("invalid_slug", format!("{:?} cannot be an address name", self.slug.0)))?;
        let seats: u32 =
            self.seats.trim().parse().ok().filter(|n| (1..=1000).contains(n)).ok_or_else(|| bad("seats: 1 to 1000"))?;
        let seat_rule = match self.seat_rule.trim() {
            "" | "fixed" => SeatRule::Fixed { per_constituent: seats },
            "by_membership" => SeatRule::ByMembership { total: seats },
            other => return Err(bad(format!("seat rule {other:?}: fixed or by_membership"))),
        };
        let drawn: BTreeSet<BodyId> = self.drawn.0.iter().map(|d| body(s, d).map(|b| b.id.clone())).collect::<Result<_, _>>()?;
        let rules_on_deviation = |mut r: DelegationRules| {
            r.recall_on_deviation = yes(&self.recall_on_deviation);
            r
        };
        let constituents = self
            .constituents
            .0
            .iter()
            .map(|c| {
                let id = body(s, c)?.id.clone();
                let rules = if drawn.contains(&id) { DelegationRules::drawn() } else { DelegationRules::elected() };
                Ok((id, rules_on_deviation(rules)))
            })
            .collect::<Result<Vec<_>, WebError>>()?;
        if let Some(stray) = drawn.iter().find(|d| !constituents.iter().any(|(c, _)| &c == d)) {
            return Err(bad(format!("drawn: {stray} is not one of the constituents")));
        }
        let combine = match self.combine.trim() {
            "" | "double_majority" => plenum_core::Combine::DoubleMajority,
            "majority_of_constituents" => plenum_core::Combine::MajorityOfConstituents,
            "membership_weighted" => plenum_core::Combine::MembershipWeighted,
            "unanimity" => plenum_core::Combine::Unanimity,
            other => return Err(bad(format!("combine {other:?} is not a rule"))),
        };
        let non_decider = match self.non_decider.trim() {
            "" | "no" => plenum_core::NonDecider::No,
            "yes" => plenum_core::NonDecider::Yes,
            "abstains" => plenum_core::NonDecider::Abstains,
            other => return Err(bad(format!("non_decider {other:?}: yes, no or abstains"))),
        };
        let id = new_id(BodyId::parse)?;
        let new = plenum_core::CreateCouncil {
            body: CreateBody { body: id.clone(), slug: slug.clone(), name, charter: None },
            constituents,
            seats: seat_rule,
            ratification: plenum_core::RatificationRule { combine, non_decider },
        };
        Ok(Prepared::new(format!("/councils/{slug}"), Some(id.to_string()), move |s, by, at| s.create_council(new, by, at)))
    }
}

/// A constituent's facilitator asks its members how its delegates must vote on a council item.
#[derive(Debug, Deserialize)]
pub struct SeekMandate {
    motion: Text,
    constituent: Text,
    #[serde(default)]
    days: Text,
    /// Wins over `days` (the form asks in minutes, as the poll form does).
    #[serde(default)]
    minutes: Text,
}

impl Action for SeekMandate {
    const SUMMARY: &'static str = "Ask a constituent's members how its delegates must vote on a council item (a poll in the constituent; open if the constituent is itself a council)";
    const OPERATION: &'static str = "seekMandate";
    const TARGET: Option<&'static str> = Some("The council's id");
    const FIELDS: &'static [Field] = &[
        field("motion", "string", true, "The council motion's id"),
        field("constituent", "string", true, "The constituent, by slug or id"),
        field("days", "integer", false, "How long the poll runs: 1 to 30 days"),
        field("minutes", "integer", false, "Or in minutes: 1 to 43200 (wins over days)"),
    ];

    fn prepare(self, path: &[String], s: &State) -> Result<Prepared, WebError> {
        council(s, first(path)?)?;
        let council_motion = MotionId::parse(self.motion.trim()).map_err(|_| bad("motion"))?;
        let constituent = body(s, &self.constituent.0)?.id.clone();
        let closes_at = closes_in(&self.minutes, &self.days, 30)?;
        let secrecy = if s.council(&constituent).is_some() { Secrecy::Open } else { Secrecy::Secret };
        let (motion, poll) = (new_id(MotionId::parse)?, new_id(PollId::parse)?);
        let seek = plenum_core::SeekMandate { council_motion, constituent, motion, poll: poll.clone(), secrecy, closes_at };
        Ok(Prepared::new(format!("/polls/{poll}"), Some(poll.to_string()), move |s, by, at| s.seek_mandate(seek, by, at)))
    }
}

/// A member of a delegate's constituent starts a recall petition (and signs it).
#[derive(Debug, Deserialize)]
pub struct StartRecall {
    /// In the API; the form takes it from its path.
    #[serde(default)]
    delegate: Text,
    #[serde(default)]
    reason: Text,
}

impl Action for StartRecall {
    const SUMMARY: &'static str = "Start (and sign) a recall petition against a delegate of the caller's body";
    const OPERATION: &'static str = "startRecall";
    const TARGET: Option<&'static str> = Some("The council's id");
    const FIELDS: &'static [Field] =
        &[field("delegate", "string", true, "The delegate's account id"), field("reason", "string", false, "Why")];

    fn prepare(self, path: &[String], s: &State) -> Result<Prepared, WebError> {
        let (c, _) = council(s, first(path)?)?;
        let delegate = path.get(1).map_or(self.delegate.trim(), String::as_str);
        let delegate = AccountId::parse(delegate).map_err(|_| WebError::not_found())?;
        let reason = match self.reason.trim() {
            "" => None,
            _ => Some(prose(&self.reason, "reason")?),
        };
        let recall = new_id(RecallId::parse)?;
        let start = plenum_core::StartRecall { recall: recall.clone(), council: c.id.clone(), delegate, reason };
        Ok(Prepared::new(format!("/recalls/{recall}"), Some(recall.to_string()), move |s, by, at| s.start_recall(start, by, at)))
    }
}

/// A member signs a recall petition; the last signature needed opens the recall poll.
#[derive(Debug, Deserialize)]
pub struct SignRecall {}

impl Action for SignRecall {
    const SUMMARY: &'static str = "Sign a recall petition (the body is {})";
    const OPERATION: &'static str = "signRecall";
    const TARGET: Option<&'static str> = Some("The petition's id");
    const FIELDS: &'static [Field] = &[];

    fn prepare(self, path: &[String], _: &State) -> Result<Prepared, WebError> {
        let id = RecallId::parse(first(path)?).map_err(|_| WebError::not_found())?;
        let ids = (new_id(MotionId::parse)?, new_id(PollId::parse)?);
        let page = format!("/recalls/{id}");
        Ok(Prepared::new(page, None, move |s, by, at| s.sign_recall(&id, ids, by, at)))
    }
}

/// The council's facilitator sends a policy the council passed to its constituents.
#[derive(Debug, Deserialize)]
pub struct OpenRatification {
    motion: Text,
    #[serde(default)]
    days: Text,
    #[serde(default)]
    minutes: Text,
}

impl Action for OpenRatification {
    const SUMMARY: &'static str =
        "Send a policy the council passed to its constituents for ratification (a poll in every assembly under it)";
    const OPERATION: &'static str = "openRatification";
    const TARGET: Option<&'static str> = Some("The council's id");
    const FIELDS: &'static [Field] = &[
        field("motion", "string", true, "The council motion's id"),
        field("days", "integer", false, "The deadline: 1 to 90 days"),
        field("minutes", "integer", false, "Or in minutes: 1 to 129600 (wins over days)"),
    ];

    fn prepare(self, path: &[String], s: &State) -> Result<Prepared, WebError> {
        let (c, _) = council(s, first(path)?)?;
        let motion = MotionId::parse(self.motion.trim()).map_err(|_| bad("motion"))?;
        let closes_at = closes_in(&self.minutes, &self.days, 90)?;
        let ids = fresh_pairs(s.assemblies_under(&c.id).len())?;
        let ratification = new_id(RatificationId::parse)?;
        let new = plenum_core::OpenRatification {
            ratification: ratification.clone(),
            subject: plenum_core::RatificationSubject::Motion { motion },
            closes_at,
            ids,
        };
        let page = format!("/ratifications/{ratification}");
        Ok(Prepared::new(page, Some(ratification.to_string()), move |s, by, at| s.open_ratification(new, by, at)))
    }
}

fn fresh_pairs(n: usize) -> Result<Vec<(MotionId, PollId)>, WebError> {
    (0..n).map(|_| Ok((new_id(MotionId::parse)?, new_id(PollId::parse)?))).collect()
}

/// A constituent's facilitator brings a dispute against another constituent.
#[derive(Debug, Deserialize)]
pub struct BringDispute {
    claimant: Text,
    respondent: Text,
    title: Text,
    claim: Text,
}

impl Action for BringDispute {
    const SUMMARY: &'static str = "Bring a dispute against another constituent to the council";
    const OPERATION: &'static str = "bringDispute";
    const TARGET: Option<&'static str> = Some("The council's id");
    const FIELDS: &'static [Field] = &[
        field("claimant", "string", true, "The body bringing it (the caller facilitates it), by slug or id"),
        field("respondent", "string", true, "The other body, by slug or id"),
        field("title", "string", true, "What it is about"),
        field("claim", "string", true, "The claim"),
    ];

    fn prepare(self, path: &[String], s: &State) -> Result<Prepared, WebError> {
        let (c, slug) = council(s, first(path)?)?;
        let dispute = new_id(DisputeId::parse)?;
        let new = plenum_core::BringDispute {
            dispute: dispute.clone(),
            council: c.id.clone(),
            claimant: body(s, &self.claimant.0)?.id.clone(),
            respondent: body(s, &self.respondent.0)?.id.clone(),
            title: title(&self.title, "title")?,
            claim: prose(&self.claim, "claim")?,
        };
        let page = format!("/councils/{slug}#dispute-{dispute}");
        Ok(Prepared::new(page, Some(dispute.to_string()), move |s, by, at| s.bring_dispute(new, by, at)))
    }
}

/// The respondent's facilitator answers.
#[derive(Debug, Deserialize)]
pub struct AnswerDispute {
    response: Text,
}

impl Action for AnswerDispute {
    const SUMMARY: &'static str = "Answer a dispute's claim (a facilitator of the respondent)";
    const OPERATION: &'static str = "answerDispute";
    const TARGET: Option<&'static str> = Some("The dispute's id");
    const FIELDS: &'static [Field] = &[field("response", "string", true, "The response")];

    fn prepare(self, path: &[String], s: &State) -> Result<Prepared, WebError> {
        let d = dispute(s, path)?;
        let (id, response) = (d.id.clone(), prose(&self.response, "response")?);
        let page = format!("{}#dispute-{id}", council_page(s, &d.council));
        Ok(Prepared::new(page, None, move |s, by, at| s.answer_dispute(&id, response, by, at)))
    }
}

/// The council's facilitator sets the hearing at one of its meetings.
#[derive(Debug, Deserialize)]
pub struct ScheduleHearing {
    meeting: Text,
}

impl Action for ScheduleHearing {
    const SUMMARY: &'static str = "Set a dispute's hearing at one of the council's meetings";
    const OPERATION: &'static str = "scheduleHearing";
    const TARGET: Option<&'static str> = Some("The dispute's id");
    const FIELDS: &'static [Field] = &[field("meeting", "string", true, "The council meeting's id")];

    fn prepare(self, path: &[String], s: &State) -> Result<Prepared, WebError> {
        let d = dispute(s, path)?;
        let id = d.id.clone();
        let meeting = MeetingId::parse(self.meeting.trim()).map_err(|_| bad("meeting"))?;
        let page = format!("{}#dispute-{id}", council_page(s, &d.council));
        Ok(Prepared::new(page, None, move |s, by, at| s.schedule_hearing(&id, &meeting, by, at)))
    }
}

/// The council's facilitator records its decision with reasons.
#[derive(Debug, Deserialize)]
pub struct DecideDispute {
    decision: Text,
    reasons: Text,
}

impl Action for DecideDispute {
    const SUMMARY: &'static str = "Record the council's decision on a dispute, with its reasons, after the hearing";
    const OPERATION: &'static str = "decideDispute";
    const TARGET: Option<&'static str> = Some("The dispute's id");
    const FIELDS: &'static [Field] =
        &[field("decision", "string", true, "The decision"), field("reasons", "string", true, "The reasons for it")];

    fn prepare(self, path: &[String], s: &State) -> Result<Prepared, WebError> {
        let d = dispute(s, path)?;
        let id = d.id.clone();
        let (decision, reasons) = (prose(&self.decision, "decision")?, prose(&self.reasons, "reasons")?);
        let page = format!("{}#dispute-{id}", council_page(s, &d.council));
        Ok(Prepared::new(page, None, move |s, by, at| s.decide_dispute(&id, decision, reasons, by, at)))
    }
}

/// A party's facilitator appeals: the decision goes to ratification by the constituents.
#[derive(Debug, Deserialize)]
pub struct AppealDispute {
    appellant: Text,
    #[serde(default)]
    days: Text,
}

impl Action for AppealDispute {
    const SUMMARY: &'static str = "Appeal a dispute's decision: it is sent to the constituents for ratification";
    const OPERATION: &'static str = "appealDispute";
    const TARGET: Option<&'static str> = Some("The dispute's id");
    const FIELDS: &'static [Field] = &[
        field("appellant", "string", true, "The party appealing (the caller facilitates it), by slug or id"),
        field("days", "integer", true, "The ratification's deadline: 1 to 90 days"),
    ];

    fn prepare(self, path: &[String], s: &State) -> Result<Prepared, WebError> {
        let d = dispute(s, path)?;
        let id = d.id.clone();
        let appellant = body(s, &self.appellant.0)?.id.clone();
        let closes_at = in_days(days(&self.days, "days", 1..=90)?)?;
        let ratification = new_id(RatificationId::parse)?;
        let new = plenum_core::OpenRatification {
            ratification: ratification.clone(),
            subject: plenum_core::RatificationSubject::Dispute { dispute: id.clone() },
            closes_at,
            ids: fresh_pairs(s.assemblies_under(&d.council).len())?,
        };
        let page = format!("/ratifications/{ratification}");
        Ok(Prepared::new(page, Some(ratification.to_string()), move |s, by, at| s.appeal_dispute(&id, &appellant, new, by, at)))
    }
}

/// The council's facilitator adds a task.
#[derive(Debug, Deserialize)]
pub struct AddTask {
    title: Text,
    responsible: Text,
    due_days: Text,
}

impl Action for AddTask {
    const SUMMARY: &'static str = "Add an administrative task, naming a member of the council as responsible";
    const OPERATION: &'static str = "addTask";
    const TARGET: Option<&'static str> = Some("The council's id");
    const FIELDS: &'static [Field] = &[
        field("title", "string", true, "What is to be done"),
        field("responsible", "string", true, "A member of the council, by account id or display name"),
        field("due_days", "integer", true, "Due in this many days: 1 to 3650"),
    ];

    fn prepare(self, path: &[String], s: &State) -> Result<Prepared, WebError> {
        let (c, slug) = council(s, first(path)?)?;
        let task = new_id(TaskId::parse)?;
        let new = plenum_core::AddTask {
            task: task.clone(),
            council: c.id.clone(),
            title: title(&self.title, "title")?,
            responsible: person(s, &c.id, &self.responsible.0)?,
            due: in_days(days(&self.due_days, "due_days", 1..=3650)?)?,
        };
        Ok(Prepared::new(format!("/councils/{slug}#tasks-h"), Some(task.to_string()), move |s, by, at| s.add_task(new, by, at)))
    }
}

/// The person responsible, or the council's facilitator, records progress.
#[derive(Debug, Deserialize)]
pub struct UpdateTask {
    status: Text,
    note: Text,
}

impl Action for UpdateTask {
    const SUMMARY: &'static str = "Record progress on a task (the person responsible or a facilitator of the council)";
    const OPERATION: &'static str = "updateTask";
    const TARGET: Option<&'static str> = Some("The task's id");
    const FIELDS: &'static [Field] =
        &[field("status", "string", true, "open, in_progress, blocked or done"), field("note", "string", true, "What happened")];

    fn prepare(self, path: &[String], s: &State) -> Result<Prepared, WebError> {
        let t = TaskId::parse(first(path)?).ok().and_then(|id| s.task(&id)).ok_or_else(WebError::not_found)?;
        let status = match self.status.trim() {
            "open" => TaskStatus::Open,
            "in_progress" => TaskStatus::InProgress,
            "blocked" => TaskStatus::Blocked,
            "done" => TaskStatus::Done,
            other => return Err(bad(format!("status {other:?}: open, in_progress, blocked or done"))),
        };
        let (id, note) = (t.id.clone(), prose(&self.note, "note")?);
        let page = format!("{}#tasks-h", council_page(s, &t.council));
        Ok(Prepared::new(page, None, move |s, by, at| s.update_task(&id, status, note, by, at)))
    }
}

/// A constituent's facilitator enters an election's ranked ballots; the count seats the
/// elected.
#[derive(Debug, Deserialize)]
pub struct ElectDelegates {
    constituent: Text,
    candidates: List,
    ballots: Ballots,
    term_days: Text,
}

impl Action for ElectDelegates {
    const SUMMARY: &'static str =
        "Enter a constituent's election (candidates and ranked ballots); STV (IRV for one seat) seats the elected for a new term";
    const OPERATION: &'static str = "electDelegates";
    const TARGET: Option<&'static str> = Some("The council's id");
    const FIELDS: &'static [Field] = &[
        field("constituent", "string", true, "The constituent, by slug or id"),
        field("candidates", "list", true, "Members standing, by account id or display name, in the order that breaks ties"),
        field("ballots", "ballots", true, "The ranked ballots as counted, each best first"),
        field("term_days", "integer", true, "The term: 1 to 1830 days"),
    ];

    fn prepare(self, path: &[String], s: &State) -> Result<Prepared, WebError> {
        let (c, slug) = council(s, first(path)?)?;
        let constituent = body(s, &self.constituent.0)?.id.clone();
        let candidates: Vec<AccountId> =
            self.candidates.0.iter().map(|x| person(s, &constituent, x)).collect::<Result<_, _>>()?;
        let ballots = self
            .ballots
            .0
            .iter()
            .map(|b| {
                b.iter()
                    .map(|x| {
                        person(s, &constituent, x)
                            .ok()
                            .filter(|p| candidates.contains(p))
                            .ok_or_else(|| bad(format!("ballots: {x:?} is not a candidate")))
                    })
                    .collect::<Result<Vec<_>, _>>()
            })
            .collect::<Result<Vec<_>, _>>()?;
        let new = plenum_core::ElectDelegates {
            council: c.id.clone(),
            constituent,
            candidates,
            ballots,
            term_ends: in_days(days(&self.term_days, "term_days", 1..=1830)?)?,
        };
        Ok(Prepared::new(format!("/councils/{slug}"), None, move |s, by, at| s.elect_delegates(new, by, at)))
    }
}

/// A constituent's facilitator announces a draw with the commitment to its seed.
#[derive(Debug, Deserialize)]
pub struct AnnounceDraw {
    constituent: Text,
    /// SHA-256 of the seed, in hex.
    commitment: Text,
    close_days: Text,
    term_days: Text,
    /// `category:n` each.
    #[serde(default)]
    quotas: List,
}

impl Action for AnnounceDraw {
    const SUMMARY: &'static str = "Announce a draw by lot for a constituent's seats, publishing the SHA-256 commitment to the seed before the volunteer list closes";
    const OPERATION: &'static str = "announceDraw";
    const TARGET: Option<&'static str> = Some("The council's id");
    const FIELDS: &'static [Field] = &[
        field("constituent", "string", true, "The constituent, by slug or id"),
        field("commitment", "string", true, "SHA-256 of the 32-byte seed, 64 hexadecimal digits"),
        field("close_days", "integer", true, "The volunteer list closes in this many days: 1 to 90"),
        field("term_days", "integer", true, "The term, from now: more than close_days, at most 1830 days"),
        field("quotas", "list", false, "Quotas as category:at_least, e.g. women:2"),
    ];

    fn prepare(self, path: &[String], s: &State) -> Result<Prepared, WebError> {
        let (c, slug) = council(s, first(path)?)?;
        let commitment = Hex32::parse(self.commitment.trim()).map_err(WebError::from)?;
        let quotas = self
            .quotas
            .0
            .iter()
            .map(|q| {
                let (category, n) = q.rsplit_once(':').ok_or_else(|| bad(format!("quota {q:?}: category:number")))?;
                let at_least = n.trim().parse().map_err(|_| bad(format!("quota {q:?}: category:number")))?;
                Ok(plenum_core::Quota { category: Title::parse(category.trim()).map_err(|e| bad(e.to_string()))?, at_least })
            })
            .collect::<Result<Vec<_>, WebError>>()?;
        let draw = new_id(DrawId::parse)?;
        let new = plenum_core::AnnounceDraw {
            draw: draw.clone(),
            council: c.id.clone(),
            constituent: body(s, &self.constituent.0)?.id.clone(),
            commitment,
            volunteers_close_at: in_days(days(&self.close_days, "close_days", 1..=90)?)?,
            quotas,
            term_ends: in_days(days(&self.term_days, "term_days", 1..=1830)?)?,
        };
        let page = format!("/councils/{slug}#draw-{draw}");
        Ok(Prepared::new(page, Some(draw.to_string()), move |s, by, at| s.announce_draw(new, by, at)))
    }
}

/// A member of the constituent volunteers for a draw.
#[derive(Debug, Deserialize)]
pub struct Volunteer {
    #[serde(default)]
    category: Text,
}

impl Action for Volunteer {
    const SUMMARY: &'static str = "Volunteer for a draw (a member of the constituent, before the list closes)";
    const OPERATION: &'static str = "volunteer";
    const TARGET: Option<&'static str> = Some("The draw's id");
    const FIELDS: &'static [Field] = &[field("category", "string", false, "The quota category the volunteer counts in, if any")];

    fn prepare(self, path: &[String], s: &State) -> Result<Prepared, WebError> {
        let d = DrawId::parse(first(path)?).ok().and_then(|id| s.draw(&id)).ok_or_else(WebError::not_found)?;
        let category = match self.category.trim() {
            "" => None,
            _ => Some(title(&self.category, "category")?),
        };
        let id = d.id.clone();
        let page = format!("{}#draw-{id}", council_page(s, &d.council));
        Ok(Prepared::new(page, None, move |s, by, at| s.volunteer(&id, category, by, at)))
    }
}

/// A constituent's facilitator reveals the seed; the draw seats the people it picks.
#[derive(Debug, Deserialize)]
pub struct HoldDraw {
    seed: Text,
}

impl Action for HoldDraw {
    const SUMMARY: &'static str =
        "Hold a draw after its volunteer list closed, revealing the seed (it must match the commitment)";
    const OPERATION: &'static str = "holdDraw";
    const TARGET: Option<&'static str> = Some("The draw's id");
    const FIELDS: &'static [Field] = &[field("seed", "string", true, "The seed, 64 hexadecimal digits")];

    fn prepare(self, path: &[String], s: &State) -> Result<Prepared, WebError> {
        let d = DrawId::parse(first(path)?).ok().and_then(|id| s.draw(&id)).ok_or_else(WebError::not_found)?;
        let seed = Hex32::parse(self.seed.trim()).map_err(WebError::from)?;
        let id = d.id.clone();
        let page = format!("{}#draw-{id}", council_page(s, &d.council));
        Ok(Prepared::new(page, None, move |s, by, at| s.hold_draw(&id, seed, by, at)))
    }
}

/// A delegate reports back to their constituent on a council meeting.
#[derive(Debug, Deserialize)]
pub struct FileReport {
    meeting: Text,
    text: Text,
}

impl Action for FileReport {
    const SUMMARY: &'static str =
        "Report back to the caller's constituent on a council meeting (a delegate seated on the council)";
    const OPERATION: &'static str = "fileReport";
    const TARGET: Option<&'static str> = Some("The council's id");
    const FIELDS: &'static [Field] =
        &[field("meeting", "string", true, "The council meeting's id"), field("text", "string", true, "The report")];

    fn prepare(self, path: &[String], s: &State) -> Result<Prepared, WebError> {
        let (_, slug) = council(s, first(path)?)?;
        let meeting = MeetingId::parse(self.meeting.trim()).map_err(|_| bad("meeting"))?;
        let text = prose(&self.text, "text")?;
        let report = new_id(plenum_core::ReportId::parse)?;
        let page = format!("/councils/{slug}#reports-h");
        Ok(Prepared::new(page, Some(report.to_string()), move |s, by, at| s.file_report(report, &meeting, text, by, at)))
    }
}

/// What a write answers (`ActionDone` in the OpenAPI document).
#[derive(Debug, Serialize)]
pub struct ActionDone {
    pub id: Option<String>,
    pub page: String,
}

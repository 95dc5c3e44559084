//! Plenum's domain, pure: residents, bodies and their charters, meetings, motions and polls;
//! organisations, coalitions, platforms and pledges.
//!
//! # How it works
//!
//! [`State`] is everything that has happened so far. A command is a method on `State`
//! (`create_body`, `join`, `file_motion`, `open_poll`, `open_amendment_poll`, `cast_vote`, `close_poll`, …) that checks
//! the command against the state and returns the [`Event`]s it causes, or a [`Refusal`] saying
//! why not; it changes nothing. The caller (the store) appends the events to the log and then
//! [`State::apply`]s them. Replaying the log from the start ([`State::replay`]) rebuilds the same
//! state.
//!
//! This crate does no IO, reads no clock and draws no random numbers: the current instant,
//! every id and every random byte (secret ballot ids, receipt codes, the shuffle of published
//! ballots) are passed in. Input is parsed into domain types (`BodySlug`, `DisplayName`,
//! `Title`, ids, `Instant`) at the boundary, so a value of these types is always valid.
//!
//! # Example
//!
//! ```
//! use plenum_core::{AccountId, BodyId, BodySlug, CreateBody, DisplayName, Instant, State, Title};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let now = Instant::parse("2025-05-01T18:00:00Z")?;
//! let ana = AccountId::parse("01968a3c-0000-7000-8000-000000000001")?;
//! let mut state = State::default();
//! for event in state.register_resident(ana.clone(), DisplayName::parse("Ana")?, now)? {
//!     state.apply(&event)?;
//! }
//! let body = CreateBody {
//!     body: BodyId::parse("01968a3c-0000-7000-8000-000000000002")?,
//!     slug: BodySlug::parse("old-town")?,
//!     name: Title::parse("Old Town Assembly")?,
//!     charter: None, // the default charter
//! };
//! for event in state.create_body(body, &ana, now)? {
//!     state.apply(&event)?;
//! }
//! assert!(state.bodies().next().is_some_and(|b| b.is_facilitator(&ana)));
//! # Ok(())
//! # }
//! ```

pub mod assembly;
pub mod ballot;
pub mod blind;
pub mod budget;
pub mod charter;
pub mod coalition;
pub mod credential;
pub mod event;
pub mod id;
pub mod instant;
pub mod meeting;
pub mod motion;
pub mod name;
pub mod platform;
pub mod pledge;
pub mod poll;
pub mod refusal;
pub mod resident;
pub mod state;
// --- confederation ---
pub mod confederation;
pub mod council;
pub mod delegate;
pub mod dispute;
pub mod mandate;
pub mod ratification;
pub mod recall;
pub mod sortition;
pub mod task;
// --- registry ---
pub mod registry;
// --- paper ballots ---
pub mod paper_ballot;
// --- unlinkable ballots ---
pub mod unlinkable;
// --- poll residency ---
pub mod poll_residency;
pub mod voting_key;

pub use assembly::{Body, CreateBody, Membership, MembershipStatus, Role};
pub use ballot::{BallotRandomness, PublishedBallot, SealedBallot};
pub use budget::commands::BudgetCast;
pub use budget::{
    Amount, BallotFormat, BudgetCycle, BudgetProject, BudgetResult, BudgetRule, BudgetVote, Budgets, Coordinates, Currency,
    DevelopProject, District, Idea, IdeasFrom, ImplementationStatus, NewCycle, Phase, Place, PotResult, PublishedBudgetBallot,
    Review, SealedBudgetBallot, SubmitIdea,
};
pub use charter::{Charter, DecisionRule, Fraction, MembershipRule, QuorumRule, ThresholdBase, ThresholdRule};
pub use coalition::{Coalition, CoalitionCharter, CoalitionRule, CreateOrganisation, MembershipMatter, Organisation};
pub use credential::{AgeBand, Credential, CredentialError, Issuer, KeyId, KeyRing, PublishedKey};
pub use event::Event;
pub use id::{
    AccountId, AmendmentId, ArgumentId, BallotId, BodyId, BudgetCycleId, BudgetProjectId, CandidateId, CommentId, DistrictId,
    IdeaId, MeetingId, MotionId, OrganisationId, PlankId, PollId, ReceiptCode, VoteRecordId,
};
pub use instant::Instant;
pub use meeting::{Meeting, ScheduleMeeting, Venue};
pub use motion::{AmendmentStatus, FileMotion, Motion, MotionKind, MotionStatus, OpenAmendmentPoll, Side};
pub use name::{BodySlug, DisplayName, Link, ParseError, Prose, TimeZoneName, Title};
pub use platform::{PlankText, Position, Programme};
pub use pledge::{Candidate, EnterCandidate, OfficialVote};
pub use poll::{Cast, Choice, DecidedBy, InPersonCount, OpenPoll, Poll, PollResult, Secrecy};
pub use refusal::{Refusal, ReplayError, Thing};
pub use resident::Resident;
pub use state::State;
// --- confederation ---
pub use confederation::PollPurpose;
pub use council::{
    Combine, Constituent, Council, CreateCouncil, DelegationRules, NonDecider, PolicyStatus, RatificationRule, SeatRule,
    Selection, VacancyRule,
};
pub use delegate::{Delegation, ElectDelegates, Seat, SeatEnded, SeatedBy};
pub use dispute::{BringDispute, Dispute, DisputeStage};
pub use id::{DisputeId, DrawId, RatificationId, RecallId, ReportId, TaskId};
pub use mandate::{Deviation, Mandate, Report, SeekMandate};
pub use paper_ballot::{PaperBallot, PaperBox, PaperCast, PaperNumber, PaperStatus, SealedPaperEntry};
pub use ratification::{
    ConstituentResult, Decision, OpenRatification, Ratification, RatificationNode, RatificationOutcome, RatificationSubject,
};
pub use recall::{Recall, RecallStage, StartRecall};
pub use sortition::{AnnounceDraw, Draw, Hex32, Quota, Volunteer};
pub use task::{AddTask, Task, TaskStatus};
// --- registry ---
pub use id::LegalDemandId;
pub use registry::{DemandDetails, EnrolResident, Enrolment, ErasureReason, Holding, LegalDemand, PersonalDataRead, Registry};
// --- unlinkable ballots ---
pub use unlinkable::{IssuedToken, UnlinkablePoll, token_hash};
// --- poll residency ---
pub use poll_residency::PollResidency;

//! Why a command was refused, and why an event could not be applied.

use std::fmt;

use serde::Serialize;

use crate::instant::Instant;

/// The kinds of thing a command can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Thing {
    Resident,
    Body,
    Meeting,
    Motion,
    Argument,
    Amendment,
    Poll,
    Ballot,
    Organisation,
    Coalition,
    Plank,
    Candidate,
    BudgetCycle,
    District,
    Idea,
    Comment,
    BudgetProject,
    // --- confederation ---
    Council,
    Draw,
    Recall,
    Ratification,
    Dispute,
    Task,
    Report,
    // --- registry ---
    Credential,
    LegalDemand,
    // --- paper ballots ---
    PaperBallot,
}

impl fmt::Display for Thing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Thing::Resident => "resident",
            Thing::Body => "body",
            Thing::Meeting => "meeting",
            Thing::Motion => "motion",
            Thing::Argument => "argument",
            Thing::Amendment => "amendment",
            Thing::Poll => "poll",
            Thing::Ballot => "ballot",
            Thing::Organisation => "organisation",
            Thing::Coalition => "coalition",
            Thing::Plank => "plank",
            Thing::Candidate => "candidate",
            Thing::BudgetCycle => "budget cycle",
            Thing::District => "district",
            Thing::Idea => "idea",
            Thing::Comment => "comment",
            Thing::BudgetProject => "project",
            Thing::Council => "council",
            Thing::Draw => "draw",
            Thing::Recall => "recall",
            Thing::Ratification => "ratification",
            Thing::Dispute => "dispute",
            Thing::Task => "task",
            Thing::Report => "report",
            Thing::Credential => "credential",
            Thing::LegalDemand => "legal demand",
            Thing::PaperBallot => "paper ballot",
        })
    }
}

/// A command that the current state does not allow. Nothing changes when a command is refused.
/// [`Refusal::code`] is a stable snake_case code for APIs and translations.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("there is no {thing} with the id {id}")]
    NotFound { thing: Thing, id: String },
    #[error("a {thing} with the id {id} exists already")]
    AlreadyExists { thing: Thing, id: String },
    #[error("the address name {slug:?} is taken by another body")]
    SlugTaken { slug: String },
    #[error("only a member of this body may do that")]
    NotAMember,
    #[error("only a facilitator of this body may do that")]
    NotAFacilitator,
    #[error("already a member of this body")]
    AlreadyAMember,
    #[error("a request to join this body is already waiting for approval")]
    AlreadyRequested,
    #[error("there is no request to join from this resident")]
    NoPendingRequest,
    #[error("already a facilitator of this body")]
    AlreadyAFacilitator,
    #[error("the last facilitator cannot leave while other members remain; appoint another first")]
    LastFacilitator,
    #[error("{id} is listed twice")]
    Duplicate { id: String },
    #[error("the meeting must end after it starts")]
    EndsBeforeStart,
    #[error("motion {motion} belongs to another body")]
    FromAnotherBody { motion: String },
    #[error("there are no minutes to publish yet")]
    MinutesMissing,
    #[error("the minutes are published already and cannot be changed")]
    MinutesAlreadyPublished,
    #[error("only the motion's mover may do that")]
    NotTheMover,
    #[error("the motion is {status}, so this cannot be done now")]
    MotionNotOpen { status: &'static str },
    #[error("a charter amendment must carry the proposed charter")]
    ProposedCharterMissing,
    #[error("only a charter amendment carries a proposed charter")]
    ProposedCharterUnexpected,
    #[error("motions of the kind {kind} cannot be filed yet")]
    KindNotSupportedYet { kind: &'static str },
    #[error("the amendment was already accepted or declined")]
    AmendmentSettled,
    #[error("the amendment is being voted on; its poll decides it")]
    AmendmentBeingVotedOn,
    #[error("an amendment to this motion is being voted on; wait for its poll to close")]
    AmendmentVotePending,
    #[error("a poll must close after it opens, and not in the past")]
    BadWindow,
    #[error("the poll opens at {opens_at}")]
    PollNotOpenYet { opens_at: Instant },
    #[error("voting ended at {closes_at}")]
    VotingOver { closes_at: Instant },
    #[error("the poll is closed")]
    PollClosed,
    #[error("the poll stays open until {closes_at}")]
    PollStillOpen { closes_at: Instant },
    #[error("not on this poll's roll (the roll is the body's members when the poll opened)")]
    NotOnRoll,
    #[error("this member has voted in this poll already")]
    AlreadyVoted,
    #[error("these counts are impossible: {reason}")]
    ImpossibleCount { reason: String },
    // --- coalitions ---
    #[error("only a representative of this organisation may do that")]
    NotARepresentative,
    #[error("only a representative of a member organisation of this coalition may do that")]
    NotACoalitionMember,
    #[error("already a representative of this organisation")]
    AlreadyARepresentative,
    #[error("an organisation must keep at least one representative")]
    LastRepresentative,
    #[error("the organisation is already a member of this coalition")]
    AlreadyInCoalition,
    #[error("the organisation is not a member of this coalition")]
    NotInCoalition,
    #[error("a decision on this organisation's membership is already under way")]
    MembershipDecisionPending,
    #[error("there is no membership decision under way for this organisation")]
    NoMembershipDecision,
    #[error("this member organisation is not on the decision's roll or has already given its answer")]
    NotOnDecisionRoll,
    #[error("a coalition cannot join itself or a coalition it belongs to")]
    CoalitionCycle,
    #[error("this coalition's charter does not let individuals join")]
    IndividualsNotAdmitted,
    #[error("already an individual member of this coalition")]
    AlreadyAnIndividualMember,
    #[error("the plank is not on this coalition's platform")]
    PlankNotOnPlatform,
    #[error("the plank is already on this coalition's platform")]
    PlankAlreadyOnPlatform,
    #[error("the plank is adopted in its current wording already")]
    PlankAlreadyAdopted,
    #[error("the plank cannot be adopted under the coalition's rule: {reason}")]
    PlankNotAdoptable { reason: String },
    #[error("the plank was amended since version {version}; take a position on the current text")]
    StaleVersion { version: u32 },
    #[error("only the candidate, or the coalition that entered them, may do that")]
    NotTheCandidate,
    #[error("this candidate has already pledged to this plank")]
    AlreadyPledged,
    #[error("this candidate has no standing pledge to this plank")]
    NoPledge,
    #[error("the candidate has not been recorded as elected")]
    NotElected,
    #[error("the candidate is recorded as elected already")]
    AlreadyElected,
    // --- budget cycles ---
    #[error("the cycle is in its {phase} phase, so this cannot be done now")]
    WrongPhase { phase: &'static str },
    #[error("a cycle moves one phase at a time, in order: not from {from} to {to}")]
    PhaseOutOfOrder { from: &'static str, to: &'static str },
    #[error("the schedule needs a start date for each of the six phases, in order")]
    BadSchedule,
    #[error("the district budgets add up to {districts}, more than the total {total} (which must be more than 0)")]
    DistrictsOverBudget { districts: u64, total: u64 },
    #[error("this ballot format cannot work: {reason}")]
    BadBallotFormat { reason: String },
    #[error("sequential Phragmén counts approval ballots only")]
    RuleNeedsApprovalBallots,
    #[error("already supported this idea")]
    AlreadySupported,
    #[error("the idea was merged into another; support or develop that one")]
    IdeaMerged,
    #[error("{id} belongs to another budget cycle")]
    NotInThisCycle { id: String },
    #[error("a cost must be more than 0")]
    CostMustBePositive,
    #[error("{count} projects still wait for review")]
    ProjectsNotReviewed { count: u64 },
    #[error("no project was found feasible, so there is nothing to vote on")]
    NoFeasibleProject,
    #[error("this cycle's ballot is a {format} ballot")]
    BallotWrongKind { format: &'static str },
    #[error("project {project} is not on the ballot (only feasible projects of this cycle are)")]
    BallotNotOnOffer { project: String },
    #[error("give project {project} at least 1 point, or leave it out")]
    BallotZeroPoints { project: String },
    #[error("choose at least {min} projects")]
    BallotTooFew { min: u32 },
    #[error("choose at most {max} projects")]
    BallotTooMany { max: u32 },
    #[error("the chosen projects cost {cost}, more than the {budget} available")]
    BallotOverBudget { cost: u64, budget: u64 },
    #[error("{points} points given, more than the {limit} available")]
    BallotTooManyPoints { points: u64, limit: u32 },
    #[error("only a funded project has an implementation to track")]
    NotFunded,
    #[error("this election cannot be imported: {reason}")]
    CannotImport { reason: String },
    // --- confederation ---
    #[error("this body is not a council")]
    NotACouncil,
    #[error("body {body} is not a constituent of this council")]
    NotAConstituent { body: String },
    #[error("the seats do not add up: {reason}")]
    BadSeats { reason: String },
    #[error("this person does not hold a seat on this council")]
    NotADelegate,
    #[error("{resident} has served the most consecutive terms the charter allows")]
    TermLimitReached { resident: String },
    #[error("a ballot is not valid: {reason}")]
    BadBallot { reason: String },
    #[error("the constituent's charter fills its seats by {method}, not this way")]
    WrongSelection { method: &'static str },
    #[error("the volunteer list closed at {closes_at}")]
    VolunteeringClosed { closes_at: Instant },
    #[error("the volunteer list stays open until {closes_at}")]
    VolunteeringStillOpen { closes_at: Instant },
    #[error("already a volunteer in this draw")]
    AlreadyVolunteered,
    #[error("the seed does not match the commitment published before the volunteer list closed")]
    SeedMismatch,
    #[error("a seed or commitment must be 64 hexadecimal digits")]
    BadSeed,
    #[error("the draw has been held already")]
    AlreadyDrawn,
    #[error("this member has signed this petition already")]
    AlreadySigned,
    #[error("the petition is no longer open for signatures")]
    PetitionClosed,
    #[error("{needed} new ids are needed for this")]
    NotEnoughIds { needed: usize },
    #[error("this cannot be sent for ratification: {reason}")]
    NotRatifiable { reason: &'static str },
    #[error("the dispute is {stage}, so this cannot be done now")]
    DisputeStage { stage: &'static str },
    #[error("only a facilitator of a party to the dispute may do that")]
    NotAParty,
    #[error("a body cannot bring a dispute against itself")]
    SameBody,
    #[error("a date must be in the future")]
    InThePast,
    // --- registry ---
    #[error("only a registrar may do that")]
    NotARegistrar,
    #[error("already a registrar")]
    AlreadyARegistrar,
    #[error("a credential must expire after today and within ten years")]
    ExpiryOutOfRange,
    #[error("the personal data of credential {number} has been erased")]
    CredentialErased { number: u64 },
    #[error("the credential has expired")]
    CredentialExpired,
    #[error("this account holds a credential already")]
    AlreadyHoldsCredential,
    #[error("the credential has not expired yet")]
    NotYetExpired,
    #[error("a date must not be in the future")]
    InTheFuture,
    #[error("a council votes in the open: its delegates answer to those who sent them")]
    CouncilVotesAreOpen,
    // --- paper ballots ---
    #[error("already a paper volunteer of this cycle")]
    AlreadyAPaperVolunteer,
    #[error("only a paper volunteer of this cycle may enter paper ballots")]
    NotAPaperVolunteer,
    #[error("paper ballot {number} has been entered twice already")]
    PaperBallotEnteredTwice { number: u32 },
    #[error("you entered paper ballot {number} already; its second entry must be by another volunteer")]
    PaperBallotSameVolunteer { number: u32 },
    #[error("paper ballot {number} has no mismatch to resolve")]
    PaperBallotNoMismatch { number: u32 },
    #[error("{count} paper ballots are not settled yet (entered once, or with entries that differ)")]
    PaperBallotsUnsettled { count: u64 },
    // --- unlinkable ballots ---
    #[error("this poll is not unlinkable: it takes no voting tokens")]
    NotUnlinkable,
    #[error("this poll is unlinkable: vote with a voting token")]
    TokenRequired,
    #[error("this member has taken the voting token of this poll already")]
    TokenAlreadyIssued,
    #[error("the blinded token is not a value the poll's key can sign")]
    BadBlindedToken,
    #[error("the signing key is not the key published for this poll")]
    WrongVotingKey,
    #[error("a voting token must be 16 to 64 bytes")]
    MalformedToken,
    #[error("the token's signature does not verify with the poll's key")]
    BadTokenSignature,
    #[error("this voting token has been used already")]
    TokenAlreadyUsed,
}

impl Refusal {
    /// A stable snake_case code naming the refusal.
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            Refusal::NotFound { .. } => "not_found",
            Refusal::AlreadyExists { .. } => "already_exists",
            Refusal::SlugTaken { .. } => "slug_taken",
            Refusal::NotAMember => "not_a_member",
            Refusal::NotAFacilitator => "not_a_facilitator",
            Refusal::AlreadyAMember => "already_a_member",
            Refusal::AlreadyRequested => "already_requested",
            Refusal::NoPendingRequest => "no_pending_request",
            Refusal::AlreadyAFacilitator => "already_a_facilitator",
            Refusal::LastFacilitator => "last_facilitator",
            Refusal::Duplicate { .. } => "duplicate",
            Refusal::EndsBeforeStart => "ends_before_start",
            Refusal::FromAnotherBody { .. } => "from_another_body",
            Refusal::MinutesMissing => "minutes_missing",
            Refusal::MinutesAlreadyPublished => "minutes_already_published",
            Refusal::NotTheMover => "not_the_mover",
            Refusal::MotionNotOpen { .. } => "motion_not_open",
            Refusal::ProposedCharterMissing => "proposed_charter_missing",
            Refusal::ProposedCharterUnexpected => "proposed_charter_unexpected",
            Refusal::KindNotSupportedYet { .. } => "kind_not_supported_yet",
            Refusal::AmendmentSettled => "amendment_settled",
            Refusal::AmendmentBeingVotedOn => "amendment_being_voted_on",
            Refusal::AmendmentVotePending => "amendment_vote_pending",
            Refusal::BadWindow => "bad_window",
            Refusal::PollNotOpenYet { .. } => "poll_not_open_yet",
            Refusal::VotingOver { .. } => "voting_over",
            Refusal::PollClosed => "poll_closed",
            Refusal::PollStillOpen { .. } => "poll_still_open",
            Refusal::NotOnRoll => "not_on_roll",
            Refusal::AlreadyVoted => "already_voted",
            Refusal::ImpossibleCount { .. } => "impossible_count",
            Refusal::NotARepresentative => "not_a_representative",
            Refusal::NotACoalitionMember => "not_a_coalition_member",
            Refusal::AlreadyARepresentative => "already_a_representative",
            Refusal::LastRepresentative => "last_representative",
            Refusal::AlreadyInCoalition => "already_in_coalition",
            Refusal::NotInCoalition => "not_in_coalition",
            Refusal::MembershipDecisionPending => "membership_decision_pending",
            Refusal::NoMembershipDecision => "no_membership_decision",
            Refusal::NotOnDecisionRoll => "not_on_decision_roll",
            Refusal::CoalitionCycle => "coalition_cycle",
            Refusal::IndividualsNotAdmitted => "individuals_not_admitted",
            Refusal::AlreadyAnIndividualMember => "already_an_individual_member",
            Refusal::PlankNotOnPlatform => "plank_not_on_platform",
            Refusal::PlankAlreadyOnPlatform => "plank_already_on_platform",
            Refusal::PlankAlreadyAdopted => "plank_already_adopted",
            Refusal::PlankNotAdoptable { .. } => "plank_not_adoptable",
            Refusal::StaleVersion { .. } => "stale_version",
            Refusal::NotTheCandidate => "not_the_candidate",
            Refusal::AlreadyPledged => "already_pledged",
            Refusal::NoPledge => "no_pledge",
            Refusal::NotElected => "not_elected",
            Refusal::AlreadyElected => "already_elected",
            Refusal::WrongPhase { .. } => "wrong_phase",
            Refusal::PhaseOutOfOrder { .. } => "phase_out_of_order",
            Refusal::BadSchedule => "bad_schedule",
            Refusal::DistrictsOverBudget { .. } => "districts_over_budget",
            Refusal::BadBallotFormat { .. } => "bad_ballot_format",
            Refusal::RuleNeedsApprovalBallots => "rule_needs_approval_ballots",
            Refusal::AlreadySupported => "already_supported",
            Refusal::IdeaMerged => "idea_merged",
            Refusal::NotInThisCycle { .. } => "not_in_this_cycle",
            Refusal::CostMustBePositive => "cost_must_be_positive",
            Refusal::ProjectsNotReviewed { .. } => "projects_not_reviewed",
            Refusal::NoFeasibleProject => "no_feasible_project",
            Refusal::BallotWrongKind { .. } => "ballot_wrong_kind",
            Refusal::BallotNotOnOffer { .. } => "ballot_not_on_offer",
            Refusal::BallotZeroPoints { .. } => "ballot_zero_points",
            Refusal::BallotTooFew { .. } => "ballot_too_few",
            Refusal::BallotTooMany { .. } => "ballot_too_many",
            Refusal::BallotOverBudget { .. } => "ballot_over_budget",
            Refusal::BallotTooManyPoints { .. } => "ballot_too_many_points",
            Refusal::NotFunded => "not_funded",
            Refusal::CannotImport { .. } => "cannot_import",
            Refusal::NotACouncil => "not_a_council",
            Refusal::NotAConstituent { .. } => "not_a_constituent",
            Refusal::BadSeats { .. } => "bad_seats",
            Refusal::NotADelegate => "not_a_delegate",
            Refusal::TermLimitReached { .. } => "term_limit_reached",
            Refusal::BadBallot { .. } => "bad_ballot",
            Refusal::WrongSelection { .. } => "wrong_selection",
            Refusal::VolunteeringClosed { .. } => "volunteering_closed",
            Refusal::VolunteeringStillOpen { .. } => "volunteering_still_open",
            Refusal::AlreadyVolunteered => "already_volunteered",
            Refusal::SeedMismatch => "seed_mismatch",
            Refusal::BadSeed => "bad_seed",
            Refusal::AlreadyDrawn => "already_drawn",
            Refusal::AlreadySigned => "already_signed",
            Refusal::PetitionClosed => "petition_closed",
            Refusal::NotEnoughIds { .. } => "not_enough_ids",
            Refusal::NotRatifiable { .. } => "not_ratifiable",
            Refusal::DisputeStage { .. } => "dispute_stage",
            Refusal::NotAParty => "not_a_party",
            Refusal::SameBody => "same_body",
            Refusal::InThePast => "in_the_past",
            Refusal::NotARegistrar => "not_a_registrar",
            Refusal::AlreadyARegistrar => "already_a_registrar",
            Refusal::ExpiryOutOfRange => "expiry_out_of_range",
            Refusal::CredentialErased { .. } => "credential_erased",
            Refusal::CredentialExpired => "credential_expired",
            Refusal::AlreadyHoldsCredential => "already_holds_credential",
            Refusal::NotYetExpired => "not_yet_expired",
            Refusal::InTheFuture => "in_the_future",
            Refusal::CouncilVotesAreOpen => "council_votes_are_open",
            Refusal::AlreadyAPaperVolunteer => "already_a_paper_volunteer",
            Refusal::NotAPaperVolunteer => "not_a_paper_volunteer",
            Refusal::PaperBallotEnteredTwice { .. } => "paper_ballot_entered_twice",
            Refusal::PaperBallotSameVolunteer { .. } => "paper_ballot_same_volunteer",
            Refusal::PaperBallotNoMismatch { .. } => "paper_ballot_no_mismatch",
            Refusal::PaperBallotsUnsettled { .. } => "paper_ballots_unsettled",
            Refusal::NotUnlinkable => "not_unlinkable",
            Refusal::TokenRequired => "token_required",
            Refusal::TokenAlreadyIssued => "token_already_issued",
            Refusal::BadBlindedToken => "bad_blinded_token",
            Refusal::WrongVotingKey => "wrong_voting_key",
            Refusal::MalformedToken => "malformed_token",
            Refusal::BadTokenSignature => "bad_token_signature",
            Refusal::TokenAlreadyUsed => "token_already_used",
        }
    }
}

/// An event that does not fit the state it is applied to: the log is corrupt or out of order.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a {kind} event cannot be applied: {reason}")]
pub struct ReplayError {
    pub kind: &'static str,
    pub reason: String,
}

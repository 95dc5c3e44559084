//! Events: every change of state, as it is appended to the log.
//!
//! An event serialises to JSON with a `kind` field naming it in snake_case (`body_created`).
//! Kinds are stable: once an event kind has been written to a log, its name and payload are read
//! forever. A payload that must change gets a new kind with a version suffix
//! (`body_created_v2`), and `apply` keeps handling the old one; [`Event::version`] says which
//! version of its kind an event is (every kind is at version 1 today, the amendment votes' `amendment_poll_opened` and
//! `amendment_decided` included: they are new kinds, not new versions of old ones).

use serde::{Deserialize, Serialize};

use crate::ballot::PublishedBallot;
use crate::budget::pabulib::ImportedProject;
use crate::budget::{
    Amount, BallotFormat, BudgetResult, BudgetRule, Currency, District, IdeasFrom, ImplementationStatus, Phase, Place,
    PublishedBudgetBallot, Review,
};
use crate::charter::{Charter, DecisionRule};
use crate::coalition::{CoalitionCharter, MembershipMatter};
use crate::id::{
    AccountId, AmendmentId, ArgumentId, BodyId, BudgetCycleId, BudgetProjectId, CandidateId, CommentId, DistrictId, IdeaId,
    MeetingId, MotionId, OrganisationId, PlankId, PollId, VoteRecordId,
};
use crate::instant::Instant;
use crate::meeting::Venue;
use crate::motion::{MotionKind, Side};
use crate::name::{BodySlug, DisplayName, Prose, TimeZoneName, Title};
use crate::platform::Position;
use crate::pledge::OfficialVote;
use crate::poll::{Choice, InPersonCount, PollResult, Secrecy};
// --- confederation ---
use crate::charter::Fraction;
use crate::council::{Constituent, RatificationRule, SeatRule};
use crate::delegate::{SeatEnded, SeatedBy};
use crate::id::{DisputeId, DrawId, RatificationId, RecallId, ReportId, TaskId};
use crate::ratification::{RatificationNode, RatificationOutcome, RatificationSubject};
use crate::sortition::{Hex32, Quota};
use crate::task::TaskStatus;
// --- registry ---
use crate::credential::AgeBand;
use crate::id::LegalDemandId;
use crate::registry::{DemandDetails, ErasureReason};
// --- paper ballots ---
use crate::paper_ballot::PaperNumber;

/// Something that happened. Payloads carry everything needed to apply them without looking
/// anything up elsewhere, and no secret (passwords and sealed ballots never enter the log).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Event {
    /// A resident made an account.
    ResidentRegistered {
        resident: AccountId,
        display_name: DisplayName,
        at: Instant,
    },
    /// A resident created an assembly and became its first facilitator.
    BodyCreated {
        body: BodyId,
        slug: BodySlug,
        name: Title,
        charter: Charter,
        by: AccountId,
        at: Instant,
    },
    /// A resident asked to join a body whose charter requires approval.
    MembershipRequested {
        body: BodyId,
        resident: AccountId,
        at: Instant,
    },
    /// A resident became a member: at once under an open charter (`approved_by` is `None`), or
    /// on a facilitator's approval.
    MembershipGranted {
        body: BodyId,
        resident: AccountId,
        approved_by: Option<AccountId>,
        at: Instant,
    },
    /// A member left (or a request was withdrawn).
    MembershipEnded {
        body: BodyId,
        resident: AccountId,
        by: AccountId,
        at: Instant,
    },
    /// A facilitator made a member a facilitator too.
    FacilitatorAppointed {
        body: BodyId,
        resident: AccountId,
        by: AccountId,
        at: Instant,
    },
    MeetingScheduled {
        meeting: MeetingId,
        body: BodyId,
        title: Title,
        starts_at: Instant,
        ends_at: Instant,
        /// The zone the meeting is held in, for showing local times.
        time_zone: TimeZoneName,
        venue: Venue,
        agenda: Vec<MotionId>,
        by: AccountId,
        at: Instant,
    },
    /// The members present at a meeting (replaces an earlier record) and how many guests came.
    AttendanceRecorded {
        meeting: MeetingId,
        present: Vec<AccountId>,
        guests: u64,
        by: AccountId,
        at: Instant,
    },
    /// The minutes, as written so far (replaces an earlier draft).
    MinutesRecorded {
        meeting: MeetingId,
        minutes: Prose,
        by: AccountId,
        at: Instant,
    },
    MinutesPublished {
        meeting: MeetingId,
        by: AccountId,
        at: Instant,
    },
    /// A member filed a motion. A charter amendment carries the whole proposed charter.
    MotionFiled {
        motion: MotionId,
        body: BodyId,
        motion_kind: MotionKind,
        title: Title,
        text: Prose,
        proposed_charter: Option<Charter>,
        by: AccountId,
        at: Instant,
    },
    MotionWithdrawn {
        motion: MotionId,
        by: AccountId,
        at: Instant,
    },
    ArgumentAdded {
        argument: ArgumentId,
        motion: MotionId,
        side: Side,
        text: Prose,
        by: AccountId,
        at: Instant,
    },
    /// A member proposed replacing the motion's text.
    AmendmentProposed {
        amendment: AmendmentId,
        motion: MotionId,
        text: Prose,
        by: AccountId,
        at: Instant,
    },
    /// The mover accepted an amendment: the motion's text is now the amendment's.
    AmendmentAccepted {
        amendment: AmendmentId,
        motion: MotionId,
        by: AccountId,
        at: Instant,
    },
    AmendmentDeclined {
        amendment: AmendmentId,
        motion: MotionId,
        by: AccountId,
        at: Instant,
    },
    /// A facilitator put an amendment to a vote. The motion stays open; the rules are the
    /// charter's for ordinary motions ([`Charter::amendment_vote_rules`]) and the roll is the
    /// body's members at this moment, both fixed here. The poll's `poll_closed` is followed by
    /// `amendment_decided`.
    AmendmentPollOpened {
        poll: PollId,
        motion: MotionId,
        amendment: AmendmentId,
        body: BodyId,
        secrecy: Secrecy,
        rules: DecisionRule,
        opens_at: Instant,
        closes_at: Instant,
        roll: Vec<AccountId>,
        by: AccountId,
        at: Instant,
    },
    /// The poll on an amendment closed: adopted (the motion's text is now the amendment's, as
    /// when the mover accepts it) or not (the amendment is declined).
    AmendmentDecided {
        amendment: AmendmentId,
        motion: MotionId,
        poll: PollId,
        adopted: bool,
        at: Instant,
    },
    /// A facilitator put a motion to a vote. The rules come from the charter for the motion's
    /// kind and the roll is the body's members at this moment; both are fixed here.
    PollOpened {
        poll: PollId,
        motion: MotionId,
        body: BodyId,
        secrecy: Secrecy,
        rules: DecisionRule,
        opens_at: Instant,
        closes_at: Instant,
        roll: Vec<AccountId>,
        by: AccountId,
        at: Instant,
    },
    /// An open poll's vote: who voted what.
    VoteCast {
        poll: PollId,
        member: AccountId,
        choice: Choice,
        at: Instant,
    },
    /// A secret poll's roll: *that* this member voted. What they voted is a sealed ballot kept
    /// apart, published only when the poll closes. No time is recorded.
    RollMarked {
        poll: PollId,
        member: AccountId,
    },
    /// A facilitator entered the counts from a meeting (replaces an earlier entry).
    InPersonCounted {
        poll: PollId,
        count: InPersonCount,
        meeting: Option<MeetingId>,
        by: AccountId,
        at: Instant,
    },
    /// The poll closed with this result. For a secret poll, `ballots` are all its ballots in
    /// shuffled order; for an open poll they are empty (the votes are in the log already).
    PollClosed {
        poll: PollId,
        result: PollResult,
        ballots: Vec<PublishedBallot>,
        at: Instant,
    },
    /// A charter amendment passed and the body's charter is now the one it proposed.
    CharterAmended {
        body: BodyId,
        motion: MotionId,
        charter: Charter,
        at: Instant,
    },
    // --- coalitions ---
    /// A resident registered an organisation and became its first representative.
    OrganisationCreated {
        organisation: OrganisationId,
        name: Title,
        /// What sort of organisation it is, in its own words ("tenants' union").
        organisation_kind: Title,
        description: Prose,
        /// Public contact: an address, a mail box, a web page.
        contact: Title,
        by: AccountId,
        at: Instant,
    },
    /// A representative made another resident a representative of the organisation too.
    RepresentativeAdded {
        organisation: OrganisationId,
        resident: AccountId,
        by: AccountId,
        at: Instant,
    },
    RepresentativeRemoved {
        organisation: OrganisationId,
        resident: AccountId,
        by: AccountId,
        at: Instant,
    },
    /// An organisation (created just before, in the same command) became a coalition with
    /// this charter; the founders, organisations the founder represents, are its first members.
    CoalitionFounded {
        coalition: OrganisationId,
        charter: CoalitionCharter,
        founders: Vec<OrganisationId>,
        by: AccountId,
        at: Instant,
    },
    /// An organisation applied to join a coalition, or a member proposed removing one. The
    /// roll (the members who decide, the subject excepted) is fixed here.
    MembershipProposed {
        coalition: OrganisationId,
        organisation: OrganisationId,
        matter: MembershipMatter,
        roll: Vec<OrganisationId>,
        by: AccountId,
        at: Instant,
    },
    /// A member organisation on the roll agreed to the proposal or objected to it.
    MembershipStanceTaken {
        coalition: OrganisationId,
        organisation: OrganisationId,
        member: OrganisationId,
        agree: bool,
        by: AccountId,
        at: Instant,
    },
    /// The coalition's rule decided: `carried` admits (or removes) the organisation.
    MembershipDecided {
        coalition: OrganisationId,
        organisation: OrganisationId,
        matter: MembershipMatter,
        carried: bool,
        agree: u64,
        object: u64,
        roll: u64,
        at: Instant,
    },
    /// A member organisation left the coalition of its own accord.
    CoalitionLeft {
        coalition: OrganisationId,
        organisation: OrganisationId,
        by: AccountId,
        at: Instant,
    },
    /// A resident joined a coalition as an individual (its charter allows it).
    IndividualJoined {
        coalition: OrganisationId,
        resident: AccountId,
        at: Instant,
    },
    IndividualLeft {
        coalition: OrganisationId,
        resident: AccountId,
        at: Instant,
    },
    /// A plank was proposed for a coalition's platform (its version 1).
    PlankProposed {
        plank: PlankId,
        coalition: OrganisationId,
        title: Title,
        text: Prose,
        category: Title,
        by: AccountId,
        at: Instant,
    },
    /// A plank's wording changed (its next version). Positions and adoptions of earlier
    /// versions stay in the history and no longer count.
    PlankAmended {
        plank: PlankId,
        version: u32,
        title: Title,
        text: Prose,
        category: Title,
        by: AccountId,
        at: Instant,
    },
    /// A plank of another platform was put on this coalition's platform too.
    PlankShared {
        plank: PlankId,
        coalition: OrganisationId,
        by: AccountId,
        at: Instant,
    },
    /// A member organisation's position on a plank (replaces its earlier one).
    PositionTaken {
        coalition: OrganisationId,
        plank: PlankId,
        organisation: OrganisationId,
        version: u32,
        position: Position,
        by: AccountId,
        at: Instant,
    },
    /// The coalition adopted a plank's current version by its rule, with the count that did it.
    PlankAdopted {
        coalition: OrganisationId,
        plank: PlankId,
        version: u32,
        endorsements: u64,
        blocks: u64,
        members: u64,
        by: AccountId,
        at: Instant,
    },
    /// A candidate's public profile: made by the candidate (`account` is theirs) or entered by
    /// a coalition (`coalition` is set, `account` is not).
    CandidateEntered {
        candidate: CandidateId,
        name: DisplayName,
        office: Title,
        statement: Option<Prose>,
        account: Option<AccountId>,
        coalition: Option<OrganisationId>,
        by: AccountId,
        at: Instant,
    },
    /// A candidate pledged to a plank of a coalition's platform, signed with their name.
    PledgeSigned {
        candidate: CandidateId,
        coalition: OrganisationId,
        plank: PlankId,
        version: u32,
        signature: DisplayName,
        by: AccountId,
        at: Instant,
    },
    PledgeWithdrawn {
        candidate: CandidateId,
        coalition: OrganisationId,
        plank: PlankId,
        reason: Option<Prose>,
        by: AccountId,
        at: Instant,
    },
    CandidateElected {
        candidate: CandidateId,
        by: AccountId,
        at: Instant,
    },
    /// An elected official's vote on a question, recorded against their pledge to a plank.
    OfficialVoteRecorded {
        record: VoteRecordId,
        candidate: CandidateId,
        coalition: OrganisationId,
        plank: PlankId,
        question: Title,
        vote: OfficialVote,
        held_at: Instant,
        by: AccountId,
        at: Instant,
    },
    // --- budget cycles ---
    /// A facilitator started a participatory-budgeting cycle, in its ideas phase.
    BudgetCycleCreated {
        cycle: BudgetCycleId,
        body: BodyId,
        title: Title,
        description: Prose,
        currency: Currency,
        total: Amount,
        districts: Vec<District>,
        /// The planned start of each phase, in phase order.
        schedule: Vec<Instant>,
        ideas_from: IdeasFrom,
        format: BallotFormat,
        rule: BudgetRule,
        by: AccountId,
        at: Instant,
    },
    /// A facilitator changed the ballot format and the counting rule (before the vote).
    BudgetBallotSet {
        cycle: BudgetCycleId,
        format: BallotFormat,
        rule: BudgetRule,
        by: AccountId,
        at: Instant,
    },
    /// A facilitator moved the cycle to its next phase.
    BudgetPhaseChanged {
        cycle: BudgetCycleId,
        from: Phase,
        to: Phase,
        by: AccountId,
        at: Instant,
    },
    /// The vote opened (follows `budget_phase_changed` to `vote`): the roll (the body's
    /// members now), the format and the rule are fixed here.
    BudgetVoteOpened {
        cycle: BudgetCycleId,
        roll: Vec<AccountId>,
        format: BallotFormat,
        rule: BudgetRule,
        closes_at: Instant,
        at: Instant,
    },
    /// *That* a member voted in a cycle; what they voted is a sealed ballot kept apart until
    /// the count. No time is recorded.
    BudgetRollMarked {
        cycle: BudgetCycleId,
        member: AccountId,
    },
    /// The vote closed and was counted: the cycle is in its results phase. `ballots` are all
    /// its ballots in shuffled order.
    BudgetVoteCounted {
        cycle: BudgetCycleId,
        ballots: Vec<PublishedBudgetBallot>,
        result: BudgetResult,
        at: Instant,
    },
    IdeaSubmitted {
        idea: IdeaId,
        cycle: BudgetCycleId,
        title: Title,
        description: Prose,
        place: Option<Place>,
        category: Title,
        district: Option<DistrictId>,
        by: AccountId,
        at: Instant,
    },
    IdeaSupported {
        idea: IdeaId,
        by: AccountId,
        at: Instant,
    },
    IdeaCommented {
        comment: CommentId,
        idea: IdeaId,
        text: Prose,
        by: AccountId,
        at: Instant,
    },
    /// A facilitator merged a duplicate idea into another; its supporters moved over.
    IdeasMerged {
        duplicate: IdeaId,
        into: IdeaId,
        by: AccountId,
        at: Instant,
    },
    /// A member turned ideas into a project with a cost estimate.
    BudgetProjectDeveloped {
        project: BudgetProjectId,
        cycle: BudgetCycleId,
        /// The project's id in the cycle's Pabulib file.
        code: String,
        ideas: Vec<IdeaId>,
        title: Title,
        description: Prose,
        estimate: Amount,
        district: Option<DistrictId>,
        by: AccountId,
        at: Instant,
    },
    /// A facilitator (staff) recorded whether a project is feasible (with its final cost) or
    /// not (with a public reason). Replaces an earlier review.
    BudgetProjectReviewed {
        project: BudgetProjectId,
        review: Review,
        by: AccountId,
        at: Instant,
    },
    /// A facilitator imported a real election (a Pabulib file) as a closed cycle: its
    /// projects, ballots in file order, the result of `rule` on them, and the file's `META`.
    BudgetCycleImported {
        cycle: BudgetCycleId,
        body: BodyId,
        title: Title,
        description: Prose,
        currency: Currency,
        total: Amount,
        projects: Vec<ImportedProject>,
        format: BallotFormat,
        rule: BudgetRule,
        ballots: Vec<PublishedBudgetBallot>,
        result: BudgetResult,
        meta: Vec<(String, String)>,
        /// Decimal places of `total` and the projects' costs (absent when 0, as in every
        /// import before decimals were accepted).
        #[serde(default, skip_serializing_if = "is_zero")]
        decimals: u32,
        by: AccountId,
        at: Instant,
    },
    /// A dated update on a funded project: status, money spent so far, a note.
    ProjectProgressRecorded {
        project: BudgetProjectId,
        status: ImplementationStatus,
        spent: Amount,
        note: Prose,
        by: AccountId,
        at: Instant,
    },
    // --- confederation ---
    /// A resident created a council over existing bodies (its `body_created` comes first); the
    /// seats each constituent fills are set here, by the seat rule.
    CouncilCreated {
        council: BodyId,
        constituents: Vec<Constituent>,
        seat_rule: SeatRule,
        ratification: RatificationRule,
        by: AccountId,
        at: Instant,
    },
    /// A constituent elected its delegation: the ranked ballots as counted, and the elected in
    /// order (IRV for one seat, STV for more). They hold the seats from now to `term_ends`; the
    /// round before leaves.
    DelegatesElected {
        council: BodyId,
        constituent: BodyId,
        round: u32,
        candidates: Vec<AccountId>,
        ballots: Vec<Vec<AccountId>>,
        elected: Vec<AccountId>,
        term_ends: Instant,
        by: AccountId,
        at: Instant,
    },
    /// A draw was announced with the commitment to its seed (SHA-256 of the seed), before the
    /// volunteer list closes.
    DrawAnnounced {
        draw: DrawId,
        council: BodyId,
        constituent: BodyId,
        seats: u32,
        commitment: Hex32,
        volunteers_close_at: Instant,
        quotas: Vec<Quota>,
        term_ends: Instant,
        by: AccountId,
        at: Instant,
    },
    VolunteerEnrolled {
        draw: DrawId,
        resident: AccountId,
        category: Option<Title>,
        at: Instant,
    },
    /// The seed was revealed and the draw held: the drawn hold the seats for a new term.
    DrawHeld {
        draw: DrawId,
        round: u32,
        seed: Hex32,
        drawn: Vec<AccountId>,
        at: Instant,
    },
    /// A delegate left a seat before the end of the term (recalled).
    SeatVacated {
        council: BodyId,
        constituent: BodyId,
        delegate: AccountId,
        reason: SeatEnded,
        at: Instant,
    },
    /// A vacated seat was filled as the constituent's charter says, for the rest of the term.
    SeatFilled {
        council: BodyId,
        constituent: BodyId,
        delegate: AccountId,
        replaces: AccountId,
        seated_by: SeatedBy,
        term_ends: Instant,
        at: Instant,
    },
    /// A constituent put to its members how its delegates must vote on a council motion (the
    /// `motion_filed` and `poll_opened` of its mandate motion come first).
    MandateSought {
        council: BodyId,
        council_motion: MotionId,
        constituent: BodyId,
        poll: PollId,
        at: Instant,
    },
    /// The mandate poll closed: yes, no, or no mandate (no quorum).
    MandateDecided {
        council_motion: MotionId,
        constituent: BodyId,
        poll: PollId,
        mandate: Option<Choice>,
        at: Instant,
    },
    /// A delegate voted against the constituent's mandate.
    MandateDeviated {
        council: BodyId,
        council_motion: MotionId,
        poll: PollId,
        constituent: BodyId,
        delegate: AccountId,
        mandate: Choice,
        vote: Choice,
        at: Instant,
    },
    DelegateReported {
        report: ReportId,
        council: BodyId,
        constituent: BodyId,
        meeting: MeetingId,
        delegate: AccountId,
        text: Prose,
        at: Instant,
    },
    /// A recall petition opened: by a member (who signs it), or by the charter on a vote
    /// against the mandate (`by` is `None`).
    RecallStarted {
        recall: RecallId,
        council: BodyId,
        constituent: BodyId,
        delegate: AccountId,
        reason: Option<Prose>,
        share: Fraction,
        closes_at: Instant,
        by: Option<AccountId>,
        at: Instant,
    },
    RecallSigned {
        recall: RecallId,
        resident: AccountId,
        at: Instant,
    },
    /// Enough members signed: the recall poll is open (its motion and poll events come first).
    RecallQualified {
        recall: RecallId,
        poll: PollId,
        signatures: u64,
        members: u64,
        at: Instant,
    },
    RecallDecided {
        recall: RecallId,
        poll: PollId,
        recalled: bool,
        at: Instant,
    },
    /// A council decision went to its constituents; each assembly's motion and poll follow.
    RatificationOpened {
        ratification: RatificationId,
        council: BodyId,
        subject: RatificationSubject,
        title: Title,
        nodes: Vec<RatificationNode>,
        closes_at: Instant,
        by: AccountId,
        at: Instant,
    },
    /// The outcome, with every constituent's result.
    RatificationDecided {
        ratification: RatificationId,
        outcome: RatificationOutcome,
        at: Instant,
    },
    DisputeBrought {
        dispute: DisputeId,
        council: BodyId,
        claimant: BodyId,
        respondent: BodyId,
        title: Title,
        claim: Prose,
        by: AccountId,
        at: Instant,
    },
    DisputeAnswered {
        dispute: DisputeId,
        response: Prose,
        by: AccountId,
        at: Instant,
    },
    HearingScheduled {
        dispute: DisputeId,
        meeting: MeetingId,
        by: AccountId,
        at: Instant,
    },
    DisputeDecided {
        dispute: DisputeId,
        decision: Prose,
        reasons: Prose,
        by: AccountId,
        at: Instant,
    },
    /// A party appealed; the `ratification_opened` of the decision follows.
    DisputeAppealed {
        dispute: DisputeId,
        appellant: BodyId,
        ratification: RatificationId,
        by: AccountId,
        at: Instant,
    },
    TaskAdded {
        task: TaskId,
        council: BodyId,
        title: Title,
        responsible: AccountId,
        due: Instant,
        by: AccountId,
        at: Instant,
    },
    TaskUpdated {
        task: TaskId,
        status: TaskStatus,
        note: Prose,
        by: AccountId,
        at: Instant,
    },
    // --- registry ---
    /// The instance's operator made an account a registrar, who may enrol residents.
    RegistrarAppointed {
        registrar: AccountId,
        at: Instant,
    },
    /// A registrar verified a resident in person and issued credential `credential`. Nothing
    /// else about the person: no name, no document, no nationality, no status, no photo.
    ResidentEnrolled {
        credential: u64,
        area: BodyId,
        age_band: AgeBand,
        expires_at: Instant,
        registrar: AccountId,
        at: Instant,
    },
    /// An account claimed a credential with its one-time code. The credential's number is not
    /// here: the log never links an account to a credential.
    CredentialClaimed {
        account: AccountId,
        area: BodyId,
        age_band: AgeBand,
        expires_at: Instant,
        at: Instant,
    },
    /// A registrar read a resident's personal data, for this reason.
    PersonalDataRead {
        credential: u64,
        by: AccountId,
        reason: Prose,
        at: Instant,
    },
    /// A resident's personal data was erased: its key was destroyed.
    PersonalDataErased {
        credential: u64,
        reason: ErasureReason,
        at: Instant,
    },
    /// A legal demand for registry data was recorded; `details` is absent when a court sealed it.
    LegalDemandRecorded {
        demand: LegalDemandId,
        received_at: Instant,
        details: Option<DemandDetails>,
        recorded_by: AccountId,
        at: Instant,
    },
    /// A budget cycle's vote is open only to residents of its area holding a valid credential,
    /// from `min_age` if given.
    BudgetResidencyRequired {
        cycle: BudgetCycleId,
        min_age: Option<u8>,
        by: AccountId,
        at: Instant,
    },
    // --- paper ballots ---
    /// A facilitator made a member a paper volunteer of a budget cycle: one who may enter its
    /// paper ballots.
    PaperVolunteerAppointed {
        cycle: BudgetCycleId,
        volunteer: AccountId,
        by: AccountId,
        at: Instant,
    },
    /// A paper volunteer entered paper ballot `number` (one of its two independent entries).
    /// What it says is sealed apart from the log (`SealedPaperEntry`) until the count
    /// publishes the settled paper ballots, as an online ballot is.
    PaperBallotEntered {
        cycle: BudgetCycleId,
        number: PaperNumber,
        by: AccountId,
        at: Instant,
    },
    /// A facilitator resolved a paper ballot whose two entries differ, entering what it says
    /// (sealed, like an entry).
    PaperBallotResolved {
        cycle: BudgetCycleId,
        number: PaperNumber,
        by: AccountId,
        at: Instant,
    },
    // --- unlinkable ballots ---
    /// An unlinkable poll's RSA public key (RFC 9474 RSABSSA-SHA384-PSS-Deterministic), right
    /// after its `poll_opened`: modulus and exponent in hexadecimal, and the key's hash
    /// (`voting_key::key_hash`) so anyone can check that the key served never changed. The
    /// secret key is never in the log.
    VotingKeyPublished {
        poll: PollId,
        modulus: String,
        exponent: String,
        key_hash: String,
        at: Instant,
    },
    /// A member on the roll took the poll's one blind-signed voting token. Nothing of the
    /// token, the blinded value or the signature; no time.
    VotingTokenIssued {
        poll: PollId,
        member: AccountId,
    },
    /// A token was spent on a ballot: the token's SHA-256 in hexadecimal. No member, no time;
    /// the ballot itself is sealed apart from the log, as in a secret poll.
    VotingTokenSpent {
        poll: PollId,
        token_hash: String,
    },
    // --- poll residency ---
    /// The poll opened just before in the same batch is open only to members holding a valid
    /// resident credential of the assembly's area, from `min_age` if given (its roll in
    /// `poll_opened` is already limited so).
    PollResidencyRequired {
        poll: PollId,
        min_age: Option<u8>,
        by: AccountId,
        at: Instant,
    },
}

#[expect(clippy::trivially_copy_pass_by_ref, reason = "serde's skip_serializing_if passes a reference")]
fn is_zero(n: &u32) -> bool {
    *n == 0
}

impl Event {
    /// The event's kind, as in its JSON `kind` field.
    #[must_use]
    pub fn kind(&self) -> &'static str {
        match self {
            Event::ResidentRegistered { .. } => "resident_registered",
            Event::BodyCreated { .. } => "body_created",
            Event::MembershipRequested { .. } => "membership_requested",
            Event::MembershipGranted { .. } => "membership_granted",
            Event::MembershipEnded { .. } => "membership_ended",
            Event::FacilitatorAppointed { .. } => "facilitator_appointed",
            Event::MeetingScheduled { .. } => "meeting_scheduled",
            Event::AttendanceRecorded { .. } => "attendance_recorded",
            Event::MinutesRecorded { .. } => "minutes_recorded",
            Event::MinutesPublished { .. } => "minutes_published",
            Event::MotionFiled { .. } => "motion_filed",
            Event::MotionWithdrawn { .. } => "motion_withdrawn",
            Event::ArgumentAdded { .. } => "argument_added",
            Event::AmendmentProposed { .. } => "amendment_proposed",
            Event::AmendmentAccepted { .. } => "amendment_accepted",
            Event::AmendmentDeclined { .. } => "amendment_declined",
            Event::AmendmentPollOpened { .. } => "amendment_poll_opened",
            Event::AmendmentDecided { .. } => "amendment_decided",
            Event::PollOpened { .. } => "poll_opened",
            Event::VoteCast { .. } => "vote_cast",
            Event::RollMarked { .. } => "roll_marked",
            Event::InPersonCounted { .. } => "in_person_counted",
            Event::PollClosed { .. } => "poll_closed",
            Event::CharterAmended { .. } => "charter_amended",
            Event::OrganisationCreated { .. } => "organisation_created",
            Event::RepresentativeAdded { .. } => "representative_added",
            Event::RepresentativeRemoved { .. } => "representative_removed",
            Event::CoalitionFounded { .. } => "coalition_founded",
            Event::MembershipProposed { .. } => "membership_proposed",
            Event::MembershipStanceTaken { .. } => "membership_stance_taken",
            Event::MembershipDecided { .. } => "membership_decided",
            Event::CoalitionLeft { .. } => "coalition_left",
            Event::IndividualJoined { .. } => "individual_joined",
            Event::IndividualLeft { .. } => "individual_left",
            Event::PlankProposed { .. } => "plank_proposed",
            Event::PlankAmended { .. } => "plank_amended",
            Event::PlankShared { .. } => "plank_shared",
            Event::PositionTaken { .. } => "position_taken",
            Event::PlankAdopted { .. } => "plank_adopted",
            Event::CandidateEntered { .. } => "candidate_entered",
            Event::PledgeSigned { .. } => "pledge_signed",
            Event::PledgeWithdrawn { .. } => "pledge_withdrawn",
            Event::CandidateElected { .. } => "candidate_elected",
            Event::OfficialVoteRecorded { .. } => "official_vote_recorded",
            Event::BudgetCycleCreated { .. } => "budget_cycle_created",
            Event::BudgetBallotSet { .. } => "budget_ballot_set",
            Event::BudgetPhaseChanged { .. } => "budget_phase_changed",
            Event::BudgetVoteOpened { .. } => "budget_vote_opened",
            Event::BudgetRollMarked { .. } => "budget_roll_marked",
            Event::BudgetVoteCounted { .. } => "budget_vote_counted",
            Event::IdeaSubmitted { .. } => "idea_submitted",
            Event::IdeaSupported { .. } => "idea_supported",
            Event::IdeaCommented { .. } => "idea_commented",
            Event::IdeasMerged { .. } => "ideas_merged",
            Event::BudgetProjectDeveloped { .. } => "budget_project_developed",
            Event::BudgetProjectReviewed { .. } => "budget_project_reviewed",
            Event::ProjectProgressRecorded { .. } => "project_progress_recorded",
            Event::BudgetCycleImported { .. } => "budget_cycle_imported",
            Event::CouncilCreated { .. } => "council_created",
            Event::DelegatesElected { .. } => "delegates_elected",
            Event::DrawAnnounced { .. } => "draw_announced",
            Event::VolunteerEnrolled { .. } => "volunteer_enrolled",
            Event::DrawHeld { .. } => "draw_held",
            Event::SeatVacated { .. } => "seat_vacated",
            Event::SeatFilled { .. } => "seat_filled",
            Event::MandateSought { .. } => "mandate_sought",
            Event::MandateDecided { .. } => "mandate_decided",
            Event::MandateDeviated { .. } => "mandate_deviated",
            Event::DelegateReported { .. } => "delegate_reported",
            Event::RecallStarted { .. } => "recall_started",
            Event::RecallSigned { .. } => "recall_signed",
            Event::RecallQualified { .. } => "recall_qualified",
            Event::RecallDecided { .. } => "recall_decided",
            Event::RatificationOpened { .. } => "ratification_opened",
            Event::RatificationDecided { .. } => "ratification_decided",
            Event::DisputeBrought { .. } => "dispute_brought",
            Event::DisputeAnswered { .. } => "dispute_answered",
            Event::HearingScheduled { .. } => "hearing_scheduled",
            Event::DisputeDecided { .. } => "dispute_decided",
            Event::DisputeAppealed { .. } => "dispute_appealed",
            Event::TaskAdded { .. } => "task_added",
            Event::TaskUpdated { .. } => "task_updated",
            Event::RegistrarAppointed { .. } => "registrar_appointed",
            Event::ResidentEnrolled { .. } => "resident_enrolled",
            Event::CredentialClaimed { .. } => "credential_claimed",
            Event::PersonalDataRead { .. } => "personal_data_read",
            Event::PersonalDataErased { .. } => "personal_data_erased",
            Event::LegalDemandRecorded { .. } => "legal_demand_recorded",
            Event::BudgetResidencyRequired { .. } => "budget_residency_required",
            Event::PaperVolunteerAppointed { .. } => "paper_volunteer_appointed",
            Event::PaperBallotEntered { .. } => "paper_ballot_entered",
            Event::PaperBallotResolved { .. } => "paper_ballot_resolved",
            Event::VotingKeyPublished { .. } => "voting_key_published",
            Event::VotingTokenIssued { .. } => "voting_token_issued",
            Event::VotingTokenSpent { .. } => "voting_token_spent",
            Event::PollResidencyRequired { .. } => "poll_residency_required",
        }
    }

    /// The version of the event's payload within its kind.
    #[must_use]
    pub fn version(&self) -> u32 {
        1
    }
}

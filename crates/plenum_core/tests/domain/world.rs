//! A small world for tests: makes ids from a counter, keeps the log, applies what commands
//! return, and fails the test on any refusal it was not told to expect.

use plenum_core::{
    AccountId, BallotRandomness, BodyId, BodySlug, Cast, Charter, CreateBody, DisplayName, Event, FileMotion, Instant, MotionId,
    MotionKind, OpenPoll, PollId, Prose, Refusal, SealedBallot, Secrecy, State, Title,
};

pub struct World {
    pub state: State,
    pub log: Vec<Event>,
    pub sealed: Vec<SealedBallot>,
    next: u64,
    pub now: Instant,
}

pub fn at(text: &str) -> Instant {
    Instant::parse(text).unwrap()
}

impl World {
    pub fn new() -> World {
        World { state: State::default(), log: Vec::new(), sealed: Vec::new(), next: 1, now: at("2025-05-01T18:00:00Z") }
    }

    /// A fresh UUIDv7 text.
    pub fn id(&mut self) -> String {
        self.next += 1;
        format!("01968a3c-0000-7000-8000-{:012x}", self.next)
    }

    pub fn random(&mut self) -> BallotRandomness {
        self.next += 1;
        let mut ballot_id = [0u8; 16];
        ballot_id[..8].copy_from_slice(&self.next.to_le_bytes());
        let mut receipt = [0u8; 10];
        receipt[..8].copy_from_slice(&self.next.wrapping_mul(0x9e37_79b9_7f4a_7c15).to_le_bytes());
        BallotRandomness { ballot_id, receipt }
    }

    pub fn commit(&mut self, events: Result<Vec<Event>, Refusal>) {
        for event in events.unwrap() {
            self.state.apply(&event).unwrap();
            self.log.push(event);
        }
    }

    pub fn commit_cast(&mut self, cast: Cast) {
        self.commit(Ok(cast.events));
        if let Some(ballot) = cast.sealed {
            self.state.deposit(&ballot).unwrap();
            self.sealed.push(ballot);
        }
    }

    pub fn resident(&mut self, name: &str) -> AccountId {
        let id = AccountId::parse(&self.id()).unwrap();
        let events = self.state.register_resident(id.clone(), DisplayName::parse(name).unwrap(), self.now);
        self.commit(events);
        id
    }

    pub fn assembly(&mut self, slug: &str, founder: &AccountId, charter: Option<Charter>) -> BodyId {
        let body = BodyId::parse(&self.id()).unwrap();
        let new = CreateBody {
            body: body.clone(),
            slug: BodySlug::parse(slug).unwrap(),
            name: Title::parse(&format!("Assembly of {slug}")).unwrap(),
            charter,
        };
        let events = self.state.create_body(new, founder, self.now);
        self.commit(events);
        body
    }

    pub fn join(&mut self, body: &BodyId, who: &AccountId) {
        let events = self.state.join(body, who, self.now);
        self.commit(events);
    }

    pub fn motion(&mut self, body: &BodyId, by: &AccountId, kind: MotionKind, charter: Option<Charter>) -> MotionId {
        let motion = MotionId::parse(&self.id()).unwrap();
        let new = FileMotion {
            motion: motion.clone(),
            body: body.clone(),
            kind,
            title: Title::parse("Plant trees on Elm Street").unwrap(),
            text: Prose::parse("The assembly asks the city to plant twenty trees.").unwrap(),
            proposed_charter: charter,
        };
        let events = self.state.file_motion(new, by, self.now);
        self.commit(events);
        motion
    }

    /// Opens a poll now, closing in a day.
    pub fn poll(&mut self, motion: &MotionId, by: &AccountId, secrecy: Secrecy) -> PollId {
        let poll = PollId::parse(&self.id()).unwrap();
        let new = OpenPoll {
            poll: poll.clone(),
            motion: motion.clone(),
            secrecy,
            opens_at: self.now,
            closes_at: self.now.plus_seconds(86_400),
        };
        let events = self.state.open_poll(new, by, self.now);
        self.commit(events);
        poll
    }

    pub fn vote(&mut self, poll: &PollId, who: &AccountId, choice: plenum_core::Choice) -> Result<Cast, Refusal> {
        let random = self.random();
        let cast = self.state.cast_vote(poll, choice, who, self.now, random)?;
        self.commit_cast(cast.clone());
        Ok(cast)
    }

    pub fn close(&mut self, poll: &PollId) {
        let closes_at = self.state.poll(poll).unwrap().closes_at;
        let events = self.state.close_poll(poll, closes_at, [42; 32]);
        self.commit(events);
    }

    /// The state rebuilt from the log and the sealed ballots of polls still open.
    pub fn replayed(&self) -> State {
        let mut state = State::replay(&self.log).unwrap();
        for ballot in &self.sealed {
            if state.poll(&ballot.poll).is_some_and(|p| p.closed.is_none()) {
                state.deposit(ballot).unwrap();
            }
        }
        state
    }
}

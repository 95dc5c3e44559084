//! Unlinkable ballots (DESIGN.md, ballot secrecy tier B): polls in which even the server
//! cannot tell which member cast which ballot.
//!
//! A facilitator opens the poll as unlinkable: it is a secret poll (tier A: sealed ballots,
//! receipts, the board published shuffled at close) and, with it, an RSA key is published
//! (`voting_key_published`, with the key's hash). Before voting, a member on the roll sends a
//! *blinded* token (RFC 9474, see [`crate::blind`]) and gets it signed, once per poll: the log
//! records `voting_token_issued` (the member, nothing of the token). The member unblinds the
//! signature and casts the ballot with the token and the signature on a request that carries
//! no session: the ballot box checks the signature with the poll's key and that the token was
//! not spent, records `voting_token_spent` (the token's SHA-256, no member, no time) and seals
//! the ballot as a tier-A ballot. The server saw the blinded value only, which says nothing
//! about the token, so it cannot link the ballot to the member who took the token.
//!
//! What this does not protect against: the server (or anyone on the network) correlating the
//! time or the address of the token request with the ballot's; coercion; a voter showing how
//! they voted (the receipt finds the ballot on the board).

use std::collections::{BTreeMap, BTreeSet};

use sha2::{Digest, Sha256};

use crate::ballot::{BallotRandomness, SealedBallot};
use crate::blind::{self, PublicKey, SecretKey};
use crate::event::Event;
use crate::id::{AccountId, BallotId, PollId, ReceiptCode};
use crate::instant::Instant;
use crate::poll::{Cast, Choice, OpenPoll, Poll, Secrecy};
use crate::refusal::{Refusal, ReplayError, Thing};
use crate::state::{State, already_exists};
use crate::voting_key::{from_hex, key_hash, to_hex};

/// The shortest and longest voting token accepted, in bytes (clients send 32 random bytes).
pub const TOKEN_BYTES: std::ops::RangeInclusive<usize> = 16..=64;

/// The unlinkable polls: one field of [`State`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Unlinkable {
    polls: BTreeMap<PollId, UnlinkablePoll>,
}

/// What an unlinkable poll adds to its [`Poll`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnlinkablePoll {
    /// The key the tokens are signed with.
    pub key: PublicKey,
    /// Its hash as the log published it ([`key_hash`]).
    pub key_hash: String,
    /// The members who took their token.
    pub tokens_issued: BTreeSet<AccountId>,
    /// The SHA-256 (hex) of every token spent on a ballot.
    pub spent: BTreeSet<String>,
}

/// What issuing a token produces: the event for the log and the blind signature for the member
/// (kept nowhere).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuedToken {
    pub events: Vec<Event>,
    pub blind_signature: Vec<u8>,
}

/// The SHA-256 of a token, as the log and the spent table keep it (64 lowercase hex digits).
#[must_use]
pub fn token_hash(token: &[u8]) -> String {
    to_hex(&Sha256::digest(token))
}

impl State {
    /// The unlinkable part of a poll, if the poll is unlinkable.
    #[must_use]
    pub fn unlinkable_poll(&self, poll: &PollId) -> Option<&UnlinkablePoll> {
        self.unlinkable.polls.get(poll)
    }

    /// How many ballots a poll's ballot box should hold: the spent tokens of an unlinkable poll,
    /// the roll marks of any other.
    #[must_use]
    pub fn ballots_expected(&self, poll: &Poll) -> usize {
        self.unlinkable_poll(&poll.id).map_or(poll.voted.len(), |u| u.spent.len())
    }

    /// A facilitator puts a motion to an unlinkable vote: a secret poll (whatever `new.secrecy`
    /// says) whose tokens `key` signs. The key's public half goes to the log with its hash.
    pub fn open_unlinkable_poll(
        &self,
        new: OpenPoll,
        key: &PublicKey,
        by: &AccountId,
        at: Instant,
    ) -> Result<Vec<Event>, Refusal> {
        let poll = new.poll.clone();
        let mut events = self.open_poll(OpenPoll { secrecy: Secrecy::Secret, ..new }, by, at)?;
        events.push(Event::VotingKeyPublished {
            poll,
            modulus: to_hex(&key.modulus()),
            exponent: to_hex(&key.exponent()),
            key_hash: key_hash(key),
            at,
        });
        Ok(events)
    }

    /// Whether `by` may take the voting token of `poll` at `at`: the poll is unlinkable and
    /// open, `by` is on its roll and has not taken it yet.
    pub fn may_take_voting_token(&self, poll: &PollId, by: &AccountId, at: Instant) -> Result<&UnlinkablePoll, Refusal> {
        let p = self.existing_poll(poll)?;
        let u = self.unlinkable_poll(poll).ok_or(Refusal::NotUnlinkable)?;
        if !p.roll.contains(by) {
            let member = self.body(&p.body).is_some_and(|b| b.is_member(by));
            return Err(if member { Refusal::NotOnRoll } else { Refusal::NotAMember });
        }
        open_at(p, at)?;
        if u.tokens_issued.contains(by) {
            return Err(Refusal::TokenAlreadyIssued);
        }
        Ok(u)
    }

    /// A member on the roll of an open unlinkable poll gets the blinded token `blinded` signed
    /// with the poll's secret key, once. Neither the blinded value nor the signature is logged.
    pub fn issue_voting_token(
        &self,
        poll: &PollId,
        blinded: &[u8],
        key: &SecretKey,
        by: &AccountId,
        at: Instant,
    ) -> Result<IssuedToken, Refusal> {
        let u = self.may_take_voting_token(poll, by, at)?;
        if key.public() != &u.key {
            return Err(Refusal::WrongVotingKey);
        }
        let blind_signature = blind::blind_sign(key, blinded).map_err(|_| Refusal::BadBlindedToken)?;
        Ok(IssuedToken { events: vec![Event::VotingTokenIssued { poll: poll.clone(), member: by.clone() }], blind_signature })
    }

    /// A ballot cast with a token and its (unblinded) signature, by nobody the server knows.
    /// `randomness` makes the ballot id and the receipt, as for a tier-A secret ballot.
    pub fn cast_unlinkable_ballot(
        &self,
        poll: &PollId,
        token: &[u8],
        signature: &[u8],
        choice: Choice,
        at: Instant,
        randomness: BallotRandomness,
    ) -> Result<Cast, Refusal> {
        let p = self.existing_poll(poll)?;
        let u = self.unlinkable_poll(poll).ok_or(Refusal::NotUnlinkable)?;
        open_at(p, at)?;
        if !TOKEN_BYTES.contains(&token.len()) {
            return Err(Refusal::MalformedToken);
        }
        blind::verify(&u.key, token, signature).map_err(|_| Refusal::BadTokenSignature)?;
        let hash = token_hash(token);
        if u.spent.contains(&hash) {
            return Err(Refusal::TokenAlreadyUsed);
        }
        let ballot = BallotId::from_random(randomness.ballot_id);
        if p.sealed.binary_search_by(|b| b.ballot.cmp(&ballot)).is_ok() {
            return Err(already_exists(Thing::Ballot, &ballot));
        }
        let receipt = ReceiptCode::from_random(randomness.receipt);
        Ok(Cast {
            events: vec![Event::VotingTokenSpent { poll: poll.clone(), token_hash: hash }],
            sealed: Some(SealedBallot { poll: poll.clone(), ballot, receipt: receipt.clone(), choice }),
            receipt: Some(receipt),
        })
    }

    /// Applies this module's events.
    pub(crate) fn apply_unlinkable(&mut self, event: &Event) -> Result<(), ReplayError> {
        let broken = |reason: String| ReplayError { kind: event.kind(), reason };
        match event {
            Event::VotingKeyPublished { poll, modulus, exponent, key_hash: hash, .. } => {
                if !self.polls.contains_key(poll) {
                    return Err(broken(format!("there is no poll {poll}")));
                }
                let key = from_hex(modulus)
                    .zip(from_hex(exponent))
                    .and_then(|(n, e)| PublicKey::from_be_bytes(&n, &e).ok())
                    .ok_or_else(|| broken("the key does not read".to_owned()))?;
                if &key_hash(&key) != hash {
                    return Err(broken("the key's hash is not the hash of the key".to_owned()));
                }
                let u = UnlinkablePoll { key, key_hash: hash.clone(), tokens_issued: BTreeSet::new(), spent: BTreeSet::new() };
                self.unlinkable.polls.insert(poll.clone(), u);
            }
            Event::VotingTokenIssued { poll, member } => {
                let u = self.unlinkable.polls.get_mut(poll).ok_or_else(|| broken(format!("poll {poll} is not unlinkable")))?;
                if !u.tokens_issued.insert(member.clone()) {
                    return Err(broken(format!("{member} took two tokens")));
                }
            }
            Event::VotingTokenSpent { poll, token_hash: hash } => {
                let u = self.unlinkable.polls.get_mut(poll).ok_or_else(|| broken(format!("poll {poll} is not unlinkable")))?;
                if !u.spent.insert(hash.clone()) {
                    return Err(broken(format!("token {hash} was spent twice")));
                }
            }
            _ => {}
        }
        Ok(())
    }
}

/// Refuses unless `p` takes votes at `at`.
fn open_at(p: &Poll, at: Instant) -> Result<(), Refusal> {
    if p.closed.is_some() {
        return Err(Refusal::PollClosed);
    }
    if at < p.opens_at {
        return Err(Refusal::PollNotOpenYet { opens_at: p.opens_at });
    }
    if at >= p.closes_at {
        return Err(Refusal::VotingOver { closes_at: p.closes_at });
    }
    Ok(())
}

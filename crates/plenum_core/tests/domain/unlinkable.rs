//! Unlinkable ballots (tier B): a token per member, blind-signed; ballots cast with a token by
//! nobody the server knows; every refusal with its reason.

use plenum_core::blind::{PublicKey, SecretKey, blind, finalize};
use plenum_core::voting_key::{generate_bits, key_hash};
use plenum_core::{Choice, Event, MotionKind, OpenPoll, PollId, ReceiptCode, Refusal, Secrecy, token_hash};

use crate::world::World;

/// A voter's side of the protocol: a token, blinded; `finalize` unblinds the server's answer.
struct Voter {
    token: Vec<u8>,
    blinded: Vec<u8>,
    unblinder: plenum_core::blind::Unblinder,
}

impl Voter {
    fn new(key: &PublicKey, n: u8) -> Voter {
        let token = vec![n; 32];
        let mut r = vec![n.wrapping_add(1); key.modulus_len() - 1];
        r[0] = 1;
        let (blinded, unblinder) = blind(key, &token, &[n; 48], &r).unwrap();
        Voter { token, blinded, unblinder }
    }

    fn signature(&self, key: &PublicKey, blind_signature: &[u8]) -> Vec<u8> {
        finalize(key, &self.token, blind_signature, &self.unblinder).unwrap()
    }
}

fn key(seed: u8) -> SecretKey {
    generate_bits([seed; 32], 1024).unwrap()
}

/// Ana (facilitator) and three members, and an unlinkable poll on Ana's motion.
fn unlinkable_poll(secret: &SecretKey) -> (World, Vec<plenum_core::AccountId>, PollId) {
    let mut w = World::new();
    let ana = w.resident("Ana");
    let body = w.assembly("old-town", &ana, None);
    let mut members = vec![ana.clone()];
    for i in 0..3 {
        let m = w.resident(&format!("Member {i}"));
        w.join(&body, &m);
        members.push(m);
    }
    let motion = w.motion(&body, &ana, MotionKind::Policy, None);
    let poll = PollId::parse(&w.id()).unwrap();
    let new =
        OpenPoll { poll: poll.clone(), motion, secrecy: Secrecy::Open, opens_at: w.now, closes_at: w.now.plus_seconds(86_400) };
    let events = w.state.open_unlinkable_poll(new, secret.public(), &ana, w.now);
    w.commit(events);
    (w, members, poll)
}

fn take_token(
    w: &mut World,
    secret: &SecretKey,
    poll: &PollId,
    who: &plenum_core::AccountId,
    voter: &Voter,
) -> Result<Vec<u8>, Refusal> {
    let issued = w.state.issue_voting_token(poll, &voter.blinded, secret, who, w.now)?;
    w.commit(Ok(issued.events));
    Ok(voter.signature(secret.public(), &issued.blind_signature))
}

fn cast(w: &mut World, poll: &PollId, token: &[u8], signature: &[u8], choice: Choice) -> Result<ReceiptCode, Refusal> {
    let random = w.random();
    let cast = w.state.cast_unlinkable_ballot(poll, token, signature, choice, w.now, random)?;
    let receipt = cast.receipt.clone().unwrap();
    w.commit_cast(cast);
    Ok(receipt)
}

#[test]
fn members_vote_with_blind_signed_tokens_and_the_log_never_links_them_to_their_ballots() {
    let secret = key(1);
    let (mut w, members, poll) = unlinkable_poll(&secret);
    let p = w.state.poll(&poll).unwrap();
    assert_eq!(p.secrecy, Secrecy::Secret, "an unlinkable poll is a secret poll");
    let u = w.state.unlinkable_poll(&poll).unwrap();
    assert_eq!(u.key_hash, key_hash(secret.public()));
    assert!(matches!(w.log.last(), Some(Event::VotingKeyPublished { key_hash, .. }) if key_hash == &u.key_hash));

    let mut receipts = Vec::new();
    let mut tokens = Vec::new();
    for (i, member) in members.iter().take(3).enumerate() {
        let voter = Voter::new(secret.public(), u8::try_from(i).unwrap() + 10);
        let signature = take_token(&mut w, &secret, &poll, member, &voter).unwrap();
        tokens.push((voter.token.clone(), signature));
    }
    // Cast in another order than the tokens were taken.
    for ((token, signature), choice) in tokens.iter().rev().zip([Choice::No, Choice::Yes, Choice::Yes]) {
        receipts.push(cast(&mut w, &poll, token, signature, choice).unwrap());
    }
    let u = w.state.unlinkable_poll(&poll).unwrap();
    assert_eq!((u.tokens_issued.len(), u.spent.len()), (3, 3));
    assert!(u.spent.contains(&token_hash(&tokens[0].0)));
    // The log holds who took a token and which tokens were spent: no blinded value, no choice,
    // no receipt, no member beside a spent token.
    let json = serde_json::to_string(&w.log).unwrap();
    assert!(!json.contains("\"yes\"") && !json.contains("receipt") && !json.contains("blind"), "{json}");
    for event in &w.log {
        if let Event::VotingTokenSpent { .. } = event {
            assert!(!serde_json::to_string(event).unwrap().contains("member"));
        }
    }
    assert_eq!(w.state.ballots_expected(w.state.poll(&poll).unwrap()), 3);

    w.close(&poll);
    let closed = w.state.poll(&poll).unwrap().closed.clone().unwrap();
    assert_eq!((closed.result.yes, closed.result.no, closed.result.online), (2, 1, 3));
    for receipt in &receipts {
        assert_eq!(closed.ballots.iter().filter(|b| &b.receipt == receipt).count(), 1);
    }
    assert_eq!(w.replayed(), w.state);
}

#[test]
fn forged_altered_replayed_and_second_tokens_are_refused_and_change_nothing() {
    let secret = key(2);
    let (mut w, members, poll) = unlinkable_poll(&secret);
    let voter = Voter::new(secret.public(), 20);
    let signature = take_token(&mut w, &secret, &poll, &members[1], &voter).unwrap();

    // A second token for the same member.
    let again = Voter::new(secret.public(), 21);
    assert_eq!(w.state.issue_voting_token(&poll, &again.blinded, &secret, &members[1], w.now), Err(Refusal::TokenAlreadyIssued));
    // Someone not on the roll, and a blinded value the key cannot sign.
    let outsider = w.resident("Olga");
    assert_eq!(w.state.issue_voting_token(&poll, &again.blinded, &secret, &outsider, w.now), Err(Refusal::NotAMember));
    assert_eq!(w.state.issue_voting_token(&poll, &[0xff; 200], &secret, &members[2], w.now), Err(Refusal::BadBlindedToken));
    // Another key than the poll's.
    assert_eq!(w.state.issue_voting_token(&poll, &again.blinded, &key(3), &members[2], w.now), Err(Refusal::WrongVotingKey));

    let before = w.state.clone();
    let random = w.random();
    // Forged: signed by another key.
    let other = key(4);
    let forged_voter = Voter::new(other.public(), 22);
    let forged = forged_voter.signature(other.public(), &plenum_core::blind::blind_sign(&other, &forged_voter.blinded).unwrap());
    let refused = |w: &World, token: &[u8], signature: &[u8]| {
        w.state.cast_unlinkable_ballot(&poll, token, signature, Choice::Yes, w.now, random).unwrap_err()
    };
    assert_eq!(refused(&w, &forged_voter.token, &forged), Refusal::BadTokenSignature);
    // Altered token, altered signature, a token of the wrong length.
    let mut altered = voter.token.clone();
    altered[0] ^= 1;
    assert_eq!(refused(&w, &altered, &signature), Refusal::BadTokenSignature);
    let mut bad = signature.clone();
    bad[5] ^= 1;
    assert_eq!(refused(&w, &voter.token, &bad), Refusal::BadTokenSignature);
    assert_eq!(refused(&w, &[1; 8], &signature), Refusal::MalformedToken);
    assert_eq!(w.state, before, "refusals change nothing");

    cast(&mut w, &poll, &voter.token, &signature, Choice::No).unwrap();
    // Replayed.
    assert_eq!(refused(&w, &voter.token, &signature), Refusal::TokenAlreadyUsed);
    // In-person counts cannot add more people than the roll holds beside the ballots cast.
    let count = plenum_core::InPersonCount { yes: 1, no: 0, abstain: 0, present: 4 };
    let refused_count = w.state.enter_in_person_count(&poll, count, None, &members[0], w.now);
    assert!(matches!(refused_count, Err(Refusal::ImpossibleCount { .. })), "{refused_count:?}");
    // A member who took a token cannot vote the tier-A way either.
    assert_eq!(w.vote(&poll, &members[2], Choice::Yes), Err(Refusal::TokenRequired));

    // After the deadline and after the close.
    let closes_at = w.state.poll(&poll).unwrap().closes_at;
    let late = w.state.issue_voting_token(&poll, &again.blinded, &secret, &members[2], closes_at);
    assert_eq!(late, Err(Refusal::VotingOver { closes_at }));
    w.close(&poll);
    let fresh = Voter::new(secret.public(), 23);
    assert_eq!(w.state.issue_voting_token(&poll, &fresh.blinded, &secret, &members[3], w.now), Err(Refusal::PollClosed));
    assert_eq!(refused(&w, &voter.token, &signature), Refusal::PollClosed);
}

#[test]
fn an_ordinary_poll_takes_no_tokens_and_a_changed_key_hash_does_not_replay() {
    let secret = key(5);
    let (mut w, members, poll) = unlinkable_poll(&secret);
    let motion = w.motion(&w.state.poll(&poll).unwrap().body.clone(), &members[0], MotionKind::Policy, None);
    let plain = w.poll(&motion, &members[0], Secrecy::Secret);
    let voter = Voter::new(secret.public(), 30);
    assert_eq!(w.state.issue_voting_token(&plain, &voter.blinded, &secret, &members[1], w.now), Err(Refusal::NotUnlinkable));

    let mut log = w.log.clone();
    for event in &mut log {
        if let Event::VotingKeyPublished { key_hash, .. } = event {
            *key_hash = "0".repeat(64);
        }
    }
    assert!(plenum_core::State::replay(&log).is_err());
}

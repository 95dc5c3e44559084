//! The demo's unlinkable poll (tier B): Harbour Assembly votes on weekday lifeguards with
//! blind-signed voting tokens. Jo and Hana have taken their tokens and cast their ballots; Ana,
//! also on the roll, has not, so a visitor signed in as `ana` can try it in the browser.

use std::collections::BTreeMap;

use plenum_core::blind::{blind, finalize};
use plenum_core::{
    AccountId, BodyId, Choice, FileMotion, Instant, MotionId, MotionKind, OpenPoll, PollId, Prose, Secrecy, Title,
};
use plenum_store::Store;

use crate::demo::DemoError;
use crate::ids::{ballot_randomness, new_id, random_bytes};

const DAY: i64 = 86_400;

pub async fn fill(
    store: &Store,
    people: &BTreeMap<&'static str, AccountId>,
    harbour: &BodyId,
    now: Instant,
) -> Result<(), DemoError> {
    let person = |login: &str| people.get(login).cloned().ok_or_else(|| DemoError::Other(format!("no demo person {login}")));
    let motion = new_id(MotionId::parse)?;
    let file = FileMotion {
        motion: motion.clone(),
        body: harbour.clone(),
        kind: MotionKind::Policy,
        title: Title::parse("Lifeguards at the harbour beach on weekdays")?,
        text: Prose::parse(
            "Ask the city to staff the harbour beach with lifeguards on weekdays in July and August, not only at weekends.",
        )?,
        proposed_charter: None,
    };
    let jo = person("jo")?;
    store.execute(|s| s.file_motion(file, &jo, now.plus_seconds(-6 * DAY))).await?;
    let poll = new_id(PollId::parse)?;
    let opens = now.plus_seconds(-5 * DAY);
    let new =
        OpenPoll { poll: poll.clone(), motion, secrecy: Secrecy::Secret, opens_at: opens, closes_at: now.plus_seconds(5 * DAY) };
    let key = crate::pages::unlinkable::new_key().await?;
    store.open_unlinkable_poll(new, &key, &person("ivan")?, opens).await?;
    for (who, choice) in [("jo", Choice::Yes), ("hana", Choice::Yes)] {
        let at = now.plus_seconds(-4 * DAY);
        let token: [u8; 32] = random_bytes()?;
        let salt: [u8; 48] = random_bytes()?;
        let r: [u8; 255] = random_bytes()?;
        let (blinded, unblinder) = blind(key.public(), &token, &salt, &r).map_err(|e| DemoError::Other(e.to_string()))?;
        let answer = store.issue_voting_token(&poll, &blinded, &person(who)?, at).await?;
        let signature = finalize(key.public(), &token, &answer, &unblinder).map_err(|e| DemoError::Other(e.to_string()))?;
        store.cast_unlinkable_ballot(&poll, &token, &signature, choice, at, ballot_randomness()?).await?;
    }
    Ok(())
}
